// Discrete samplers: bernoulli, randint, categorical, permutation, choice,
// following jax.random's formulations (jax/_src/random/core.py).
import { Array, type ArrayInput, asArray, scalar } from "../array.js";
import { type DType, type DTypeLike, float32, int32, intRange, uint8, uint16, uint32 } from "../dtypes.js";
import * as lax from "../lax.js";
import { normalizeAxis } from "../shape.js";
import {
  broadcastToRank,
  checkKey,
  checkParamShapes,
  checkShapeArg,
  finfo,
  full,
  intDType,
  konst,
  take,
  unstack,
  type Shape,
} from "./common.js";
import { gumbelImpl, type GumbelMode, uniformImpl } from "./continuous.js";
import { randomBits, splitKey } from "./threefry.js";

const range = (n: number): number[] => [...globalThis.Array(n).keys()];
const prod = (s: Shape) => s.reduce((a, b) => a * b, 1);
const fmt = (s: Shape) => `(${s.join(",")}${s.length === 1 ? "," : ""})`;

/** jnp.asarray of a probability-like parameter: JS numbers are weak float32 (or int32 for integers). */
function paramArray(op: string, x: ArrayInput, what: string): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number" || typeof x === "boolean") return asArray(x);
  throw new TypeError(`[random.${op}] ${what} must be an Array or a number`);
}

function checkMode(op: string, mode: string | null | undefined): GumbelMode {
  const m = mode ?? "low";
  if (m !== "low" && m !== "high" && m !== "highest") {
    throw new RangeError(`[random.${op}] mode must be "low" or "high", got ${JSON.stringify(mode)}`);
  }
  return m;
}

// ---------------------------------------------------------------------------
// bernoulli

/**
 * random.bernoulli(key, p=0.5, shape?, mode="low"): booleans that are true
 * with probability p (u < p for u uniform in p's float dtype). mode="high"
 * adds a second uniform below the first one's resolution, for tiny p.
 */
export function bernoulli(key: Array, p: ArrayInput = 0.5, shape: Shape | null = null, mode: "low" | "high" = "low"): Array {
  const op = "bernoulli";
  const k = checkKey(op, key);
  if (mode !== "low" && mode !== "high") throw new RangeError(`[random.bernoulli] got mode=${JSON.stringify(mode)}, expected "high" or "low"`);
  // A JS number is a Python float here (weak float32), even when integral.
  const pf = typeof p === "number" ? scalar(p, float32, true) : paramArray(op, p, "p");
  if (pf.dtype.kind !== "f") {
    throw new TypeError(`[random.bernoulli] probability p must have a floating dtype, got ${pf.aval.strShort()}`);
  }
  let s: number[];
  if (shape === null || shape === undefined) s = [...pf.shape];
  else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, pf.shape);
  }
  const d = pf.dtype;
  if (mode === "high") {
    const [u1, u2] = unstack(uniformImpl(k, [2, ...s], d, 0, 1)) as [Array, Array];
    return lax.lt(lax.mul(u2, konst(2 ** -finfo(d).nmant, d)), bcast(pf.sub(u1), s));
  }
  return uniformImpl(k, s, d, 0, 1).lt(pf);
}

function bcast(x: Array, shape: Shape): Array {
  return x.ndim === shape.length && x.shape.every((d, i) => d === shape[i]) ? x : x.broadcastTo(shape);
}

// ---------------------------------------------------------------------------
// randint

/** jnp.asarray for a randint bound: JS integers must fit int32 (JAX without x64). */
function intBound(op: string, x: ArrayInput, what: string): Array {
  if (typeof x === "number" && Number.isInteger(x) && (x < -(2 ** 31) || x >= 2 ** 31)) {
    throw new RangeError(`[random.${op}] ${what}=${x} is too large to convert to int32`);
  }
  return paramArray(op, x, what);
}

/** _convert_and_clip_integer: convert to `d`, clipping to its range instead of wrapping. */
function convertAndClip(v: Array, d: DType): Array {
  const [dlo, dhi] = intRange(d);
  const [vlo, vhi] = intRange(v.dtype);
  return v.clip(konst(Math.max(dlo, vlo), v.dtype), konst(Math.min(dhi, vhi), v.dtype)).astype(d);
}

const UINT: Record<number, DType> = { 8: uint8, 16: uint16, 32: uint32 };

function randintImpl(key: Array, minval: Array, maxval: Array, shape: Shape, d: DType): Array {
  let lo = minval.dtype.isInteger ? minval : minval.astype(int32);
  let hi = maxval.dtype.isInteger ? maxval : maxval.astype(int32);
  // Where maxval exceeds the dtype's range the span is one larger (randint(0, 256, uint8)).
  const maxOutOfRange = hi.gt(convertAndClip(konst(intRange(d)[1], d), hi.dtype));
  lo = broadcastToRank(convertAndClip(lo, d), shape.length);
  hi = broadcastToRank(convertAndClip(hi, d), shape.length);
  const nbits = d.bits as 8 | 16 | 32;
  const [k1, k2] = unstack(splitKey(key, [2])) as [Array, Array];
  const higher = randomBits(k1, nbits, shape);
  const lower = randomBits(k2, nbits, shape);
  const ud = UINT[nbits]!;
  const u = (v: number) => konst(v, ud);
  let span = lax.convertElementType(hi.sub(lo), ud);
  const sel = (pred: Array, a: Array, b: Array) => lax.select(bcast(pred, a.shape), a, b);
  // maxval <= minval gives span 1, so minval is returned.
  span = sel(hi.le(lo), lax.broadcastInDim(u(1), span.shape, []), span);
  span = sel(maxOutOfRange.and(hi.gt(lo)), lax.add(span, u(1)), span);
  // 2 * nbits random bits reduced modulo span: (a * 2^nbits + b) % span.
  let multiplier = lax.rem(u(2 ** (nbits / 2)), span);
  multiplier = lax.rem(lax.mul(multiplier, multiplier), span);
  let offset = lax.add(lax.mul(lax.rem(higher, span), multiplier), lax.rem(lower, span));
  offset = lax.rem(offset, span);
  return lax.add(lo, lax.convertElementType(offset, d));
}

/**
 * random.randint(key, shape, minval, maxval, dtype=int32): integers in
 * [minval, maxval) (minval where maxval <= minval), from 2 x nbits random bits
 * per value; 8- and 16-bit dtypes sample in int32 and convert.
 */
export function randint(
  key: Array,
  shape: Shape,
  minval: ArrayInput,
  maxval: ArrayInput,
  dtype: DTypeLike | null = null,
): Array {
  const op = "randint";
  const k = checkKey(op, key);
  const s = checkShapeArg(op, shape);
  const d = intDType(op, dtype);
  let lo = intBound(op, minval, "minval");
  let hi = intBound(op, maxval, "maxval");
  checkParamShapes(op, s, lo.shape, hi.shape);
  let ds = d;
  if (d.bits < 32) {
    ds = int32;
    const [dmin, dmax] = intRange(d);
    lo = lo.astype(int32).clip(dmin, dmax);
    hi = hi.astype(int32).clip(dmin, dmax + 1);
  }
  return randintImpl(k, lo, hi, s, ds).astype(d);
}

// ---------------------------------------------------------------------------
// permutation

/** jax.random._shuffle: sort by fresh random 32-bit keys, enough rounds to make collisions unlikely. */
function shuffle(key: Array, x: Array, axis: number): Array {
  const exponent = 3;
  const rounds = Math.ceil((exponent * Math.log(Math.max(1, x.size))) / Math.log(2 ** 32 - 1));
  let k = key;
  let out = x;
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = unstack(splitKey(k, [2])) as [Array, Array];
    k = next;
    const sortKeys = randomBits(sub, 32, out.shape);
    out = lax.sortKeyVal(sortKeys, out, axis)[1];
  }
  return out;
}

/**
 * random.permutation(key, x, axis=0, independent=false): a shuffled copy of x
 * along `axis` (each slice independently if `independent`), or a permutation
 * of 0..x-1 for an integer x.
 */
export function permutation(key: Array, x: ArrayInput, axis = 0, independent = false): Array {
  const op = "permutation";
  const k = checkKey(op, key);
  const xa = paramArray(op, x, "x");
  const ax = normalizeAxis(`random.${op}`, axis, xa.ndim || 1);
  if (xa.ndim === 0) {
    if (!xa.dtype.isInteger) throw new TypeError("[random.permutation] x must be an integer or at least 1-dimensional");
    const n = typeof x === "number" ? x : Number(xa.item());
    return shuffle(k, lax.iota(int32, n), ax);
  }
  if (independent || xa.ndim === 1) return shuffle(k, xa, ax);
  const ind = shuffle(k, lax.iota(int32, xa.shape[ax]!), 0);
  return take(xa, ind, ax);
}

// ---------------------------------------------------------------------------
// categorical

/**
 * random.categorical(key, logits, axis=-1, shape?, replace=true, mode?):
 * indices sampled from softmax(logits) along `axis`, by the Gumbel-max trick
 * (Gumbel top-k without replacement). `shape` must end with the batch shape.
 */
export function categorical(
  key: Array,
  logits: ArrayInput,
  axis = -1,
  shape: Shape | null = null,
  replace = true,
  mode: GumbelMode | null = null,
): Array {
  const op = "categorical";
  const k = checkKey(op, key);
  const l = paramArray(op, logits, "logits");
  if (l.dtype.kind !== "f") throw new TypeError(`[random.categorical] logits must have a floating dtype, got ${l.aval.strShort()}`);
  const m = checkMode(op, mode);
  const ax = normalizeAxis(`random.${op}`, axis, l.ndim);
  const batch = l.shape.filter((_, i) => i !== ax);
  let s: number[];
  if (shape === null || shape === undefined) s = batch;
  else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, batch);
  }
  const prefix = s.slice(0, s.length - batch.length);
  if (replace) {
    const logitsShape = s.slice(s.length - batch.length);
    logitsShape.splice(ax, 0, l.shape[ax]!);
    const g = gumbelImpl(k, [...prefix, ...logitsShape], l.dtype, m);
    const lx = prefix.length ? lax.expandDims(l, prefix.map((_, i) => i)) : l;
    return g.add(lx).argmax(ax - l.ndim);
  }
  const noisy = l.add(gumbelImpl(k, l.shape, l.dtype, m));
  const n = prod(prefix);
  if (n > l.shape[ax]!) {
    throw new RangeError(`[random.categorical] number of samples without replacement (${n}) cannot exceed number of categories (${l.shape[ax]})`);
  }
  const perm = [...l.shape.keys()].filter((i) => i !== ax).concat([ax]);
  const [, idx] = lax.topK(lax.transpose(noisy, perm), n);
  const nd = idx.ndim;
  return lax.reshape(idx, s, [nd - 1, ...range(nd - 1)]);
}

// ---------------------------------------------------------------------------
// choice

/** jnp.searchsorted(sorted, query, side="left") by JAX's binary search ("scan" method). */
function searchsortedLeft(sorted: Array, query: Array): Array {
  const n = sorted.shape[0]!;
  if (n === 0) return full(query.shape, 0, int32);
  const levels = Math.ceil(Math.log2(n + 1));
  let low = full(query.shape, 0, uint32);
  let high = full(query.shape, n, uint32);
  const one = konst(1, uint32);
  for (let i = 0; i < levels; i++) {
    const mid = lax.add(low, lax.shiftRightLogical(lax.sub(high, low), one));
    const goLeft = lax.le(query, take(sorted, mid, 0));
    low = lax.select(goLeft, low, mid);
    high = lax.select(goLeft, mid, high);
  }
  return lax.convertElementType(high, int32);
}

/**
 * random.choice(key, a, shape=[], replace=true, p?, axis=0, mode?): samples
 * from the entries of `a` along `axis` (or from 0..a-1 for an integer a),
 * uniformly or with probabilities p, with or without replacement.
 */
export function choice(
  key: Array,
  a: ArrayInput,
  shape: Shape = [],
  replace = true,
  p: ArrayInput | null = null,
  axis = 0,
  mode: GumbelMode | null = null,
): Array {
  const op = "choice";
  const k = checkKey(op, key);
  if (!globalThis.Array.isArray(shape)) {
    throw new TypeError(`[random.choice] shape argument must be a list of integers, got ${JSON.stringify(shape)}`);
  }
  const s = checkShapeArg(op, shape);
  const arr = paramArray(op, a, "a");
  let nInputs: number;
  let ax = axis;
  if (arr.ndim === 0) {
    if (!arr.dtype.isInteger) throw new TypeError(`[random.choice] a must be an integer or an array, got ${arr.aval.strShort()}`);
    nInputs = typeof a === "number" ? a : Number(arr.item());
  } else {
    ax = normalizeAxis(`random.${op}`, axis, arr.ndim);
    nInputs = arr.shape[ax]!;
  }
  const nDraws = prod(s);
  if (nDraws === 0) return full(s, 0, arr.dtype);
  if (nInputs <= 0) throw new RangeError("[random.choice] a must be greater than 0 unless no samples are taken");
  if (!replace && nDraws > nInputs) {
    throw new RangeError(
      `[random.choice] cannot take a larger sample (size ${nDraws}) than population (size ${nInputs}) when replace=false`,
    );
  }
  let result: Array;
  if (p === null || p === undefined) {
    if (replace) {
      const ind = randint(k, s, 0, nInputs);
      result = arr.ndim === 0 ? ind : take(arr, ind, ax);
    } else {
      const perm = permutation(k, arr.ndim === 0 ? nInputs : arr, ax);
      const limit = perm.shape.map((d, i) => (i === ax ? nDraws : d));
      result = lax.slice(perm, perm.shape.map(() => 0), limit);
    }
  } else {
    let pa = paramArray(op, p, "p");
    if (pa.dtype.kind !== "f") pa = pa.astype("float32");
    if (pa.ndim !== 1 || pa.shape[0] !== nInputs) {
      throw new RangeError(
        `[random.choice] p must be null or a 1D vector with the same size as a.shape[axis]. p has shape ${fmt(pa.shape)} and a.shape[axis] is ${nInputs}`,
      );
    }
    let ind: Array;
    if (replace) {
      const cuml = pa.cumsum();
      const last = lax.reshape(lax.slice(cuml, [nInputs - 1], [nInputs]), []);
      const r = last.mul(lax.sub(konst(1, cuml.dtype), uniformImpl(k, s, cuml.dtype, 0, 1)));
      ind = searchsortedLeft(cuml, r);
    } else {
      const g = gumbelImpl(k, [nInputs], pa.dtype, checkMode(op, mode)).add(lax.log(pa));
      ind = lax.topK(g, nDraws)[1];
    }
    result = arr.ndim === 0 ? ind : take(arr, ind, ax);
  }
  return lax.reshape(result, arr.ndim === 0 ? s : [...arr.shape.slice(0, ax), ...s, ...arr.shape.slice(ax + 1)]);
}
