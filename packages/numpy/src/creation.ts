// Array creation (jax.numpy's array_creation.py and the creation functions of
// lax_numpy.py): array/asarray, zeros/ones/full/empty and their *Like forms,
// arange, linspace/logspace/geomspace, eye/identity/tri/tril/triu,
// diag/diagflat/diagonal/trace, meshgrid, indices, copy. dtype defaults and
// weak types are JAX's: JS numbers are weakly typed (jnp.array(1) is a weak
// int32), integer results default to int32, floating ones to float32.
import {
  Array,
  Tracer,
  array as coreArray,
  bool,
  float32,
  int32,
  lax,
  resultTypeWithWeak,
  scalar,
  vmap,
  type ArrayInput,
  type DType,
  type DTypeLike,
  type NestedArray,
  type TypedLike,
} from "@jaxts/core";
import {
  broadcastAll,
  broadcastShapesOf,
  broadcastToShape,
  canonicalShape,
  describe,
  fmt,
  fullOf,
  isOptions,
  moveaxes,
  normAxis,
  range,
  scalarOf,
  toArray,
  toInexact,
  typedOfInput,
  userDType,
  type ArrayLike,
  type ShapeLike,
} from "./shape_util.js";
import { abs, add, cos, i0, multiply, power, sqrt, subtract, trueDivide } from "./ufuncs.js";

const JsArray = globalThis.Array;

// ---------------------------------------------------------------------------
// array / asarray

export interface ArrayCreationOptions {
  dtype?: DTypeLike | null;
  /** JAX arrays are immutable: copy only matters for dispose(); default true for `array`. */
  copy?: boolean;
  /** Prepend size-1 dimensions up to this rank. */
  ndmin?: number;
}

function containsArray(x: unknown): boolean {
  return x instanceof Array || (JsArray.isArray(x) && x.some(containsArray));
}

/** A (nested) JS list holding Arrays: stack them (with promotion), as jnp.array does. */
function stackNested(x: unknown[]): Array {
  const parts = x.map((e) => (JsArray.isArray(e) ? stackNested(e) : e instanceof Array ? e : array(e as number | boolean)));
  if (parts.length === 0) return coreArray([]);
  const shape = parts[0]!.shape;
  if (!parts.every((p) => p.ndim === shape.length && p.shape.every((d, i) => d === shape[i]))) {
    throw new TypeError(`[array] nested sequences must have a uniform shape, got ${parts.map(fmt).join(", ")}`);
  }
  const { dtype: d } = resultTypeWithWeak(parts.map((p) => p.aval));
  return lax.concatenate(
    parts.map((p) => lax.broadcastInDim(lax.convertElementType(p, d, false), [1, ...shape], range(1, shape.length + 1))),
    0,
  );
}

/**
 * jnp.array: an Array from nested lists, typed arrays, scalars or Arrays.
 * Defaults are JAX's: booleans give bool, integers int32, other numbers
 * float32; a JS scalar gives a weakly typed 0-d array.
 */
export function array(object: ArrayLike, opts: ArrayCreationOptions | DTypeLike = {}): Array {
  const o: ArrayCreationOptions = isOptions(opts) ? (opts as ArrayCreationOptions) : { dtype: opts as DTypeLike };
  const d = o.dtype === undefined || o.dtype === null ? null : userDType("array", o.dtype);
  let out: Array;
  if (object instanceof Array) {
    out = d ? lax.convertElementType(object, d, false) : object;
    if (o.copy !== false && out === object) out = copy(object);
  } else if (typeof object === "number" || typeof object === "boolean") {
    out = d ? scalarOf(object, d, false) : scalar(object);
  } else if (JsArray.isArray(object) && containsArray(object)) {
    out = stackNested(object);
    if (d) out = lax.convertElementType(out, d, false);
  } else if (JsArray.isArray(object) || ArrayBuffer.isView(object)) {
    out = d ? coreArray(object as NestedArray, { dtype: d }) : coreArray(object as NestedArray);
  } else {
    throw new TypeError(`[array] cannot convert ${describe(object)} to an Array`);
  }
  const ndmin = o.ndmin ?? 0;
  if (out.ndim < ndmin) out = lax.expandDims(out, range(ndmin - out.ndim));
  return out;
}

/** jnp.asarray: like `array`, without copying an Array that already has the dtype. */
export function asarray(a: ArrayLike, dtype?: DTypeLike | null | { dtype?: DTypeLike | null }): Array {
  const d = isOptions(dtype) ? (dtype as { dtype?: DTypeLike | null }).dtype : (dtype as DTypeLike | null | undefined);
  return array(a, { dtype: d ?? null, copy: false });
}

/**
 * jnp.copy: a new array with the same values. Arrays are immutable, so this
 * matters only for dispose(): the copy has its own buffer. Under a trace it is
 * the value itself, as JAX's copy is free there too.
 */
export function copy(a: ArrayLike): Array {
  const x = toArray("copy", a);
  return x instanceof Tracer ? x : lax.rev(x, []);
}

/** jnp.astype(x, dtype = float32, {copy}): convert to a dtype (the result is strongly typed). */
export function astype(x: ArrayLike, dtype: DTypeLike | null, opts: { copy?: boolean } = {}): Array {
  const a = toArray("astype", x);
  const d = dtype === null || dtype === undefined ? float32 : userDType("astype", dtype);
  const r = lax.convertElementType(a, d, false);
  return opts.copy && r === a ? copy(r) : r;
}

// ---------------------------------------------------------------------------
// zeros / ones / full / empty and *Like

type DTypeArg = DTypeLike | null | undefined | { dtype?: DTypeLike | null };
const dtypeArg = (op: string, d: DTypeArg): DType | null => {
  const v = isOptions(d) ? (d as { dtype?: DTypeLike | null }).dtype : (d as DTypeLike | null | undefined);
  return v === undefined || v === null ? null : userDType(op, v);
};

/** jnp.zeros(shape, dtype = float32). */
export function zeros(shape: ShapeLike, dtype?: DTypeArg): Array {
  return fullOf(canonicalShape("zeros", shape), 0, dtypeArg("zeros", dtype) ?? float32);
}
/** jnp.ones(shape, dtype = float32). */
export function ones(shape: ShapeLike, dtype?: DTypeArg): Array {
  return fullOf(canonicalShape("ones", shape), 1, dtypeArg("ones", dtype) ?? float32);
}
/** jnp.empty: JAX has no uninitialized memory, so this is jnp.zeros. */
export function empty(shape: ShapeLike, dtype?: DTypeArg): Array {
  return fullOf(canonicalShape("empty", shape), 0, dtypeArg("empty", dtype) ?? float32);
}

/**
 * jnp.full(shape, fillValue, dtype?): without a dtype the fill value's dtype
 * and weak type are kept (full(3, 2) is a weak int32 array); an array fill
 * value broadcasts to the shape.
 */
export function full(shape: ShapeLike, fillValue: ArrayLike, dtype?: DTypeArg): Array {
  const s = canonicalShape("full", shape);
  const d = dtypeArg("full", dtype);
  if (typeof fillValue === "number" || typeof fillValue === "boolean") {
    const { dtype: fd, weakType } = typedOfInput(fillValue);
    return fullOf(s, fillValue, d ?? fd, d ? false : weakType);
  }
  const v = toArray("full", fillValue, "fillValue");
  const c = d ? lax.convertElementType(v, d, false) : v;
  if (c.ndim === 0) return s.length === 0 ? c : lax.broadcastInDim(c, s, []);
  return broadcastToShape("full", c, s);
}

export interface LikeOptions {
  dtype?: DTypeLike | null;
  /** The shape of the result (default: the prototype's). */
  shape?: ShapeLike | null;
}

function likeArgs(op: string, a: ArrayLike, dtype: DTypeLike | null | undefined | LikeOptions, shape?: ShapeLike | null) {
  const o: LikeOptions = isOptions(dtype) ? (dtype as LikeOptions) : { dtype: dtype as DTypeLike | null | undefined, shape };
  const x = a instanceof Array ? a.aval : typeof a === "number" || typeof a === "boolean" ? typedOfInput(a) : toArray(op, a).aval;
  const xShape = "shape" in x ? [...(x as { shape: readonly number[] }).shape] : [];
  const d = o.dtype === undefined || o.dtype === null ? null : userDType(op, o.dtype);
  const s = o.shape === undefined || o.shape === null ? xShape : canonicalShape(op, o.shape);
  // lax.full_like: the prototype's weak type is kept only when no dtype is given.
  return { dtype: d ?? x.dtype, weakType: d === null && x.weakType, shape: s };
}

/** jnp.zeros_like(a, dtype?, shape?). */
export function zerosLike(a: ArrayLike, dtype?: DTypeLike | null | LikeOptions, shape?: ShapeLike | null): Array {
  const l = likeArgs("zeros_like", a, dtype, shape);
  return fullOf(l.shape, 0, l.dtype, l.weakType);
}
/** jnp.ones_like(a, dtype?, shape?). */
export function onesLike(a: ArrayLike, dtype?: DTypeLike | null | LikeOptions, shape?: ShapeLike | null): Array {
  const l = likeArgs("ones_like", a, dtype, shape);
  return fullOf(l.shape, 1, l.dtype, l.weakType);
}
/** jnp.empty_like: zeros_like. */
export function emptyLike(a: ArrayLike, dtype?: DTypeLike | null | LikeOptions, shape?: ShapeLike | null): Array {
  const l = likeArgs("empty_like", a, dtype, shape);
  return fullOf(l.shape, 0, l.dtype, l.weakType);
}
/** jnp.full_like(a, fillValue, dtype?, shape?): the result has a's dtype unless one is given. */
export function fullLike(a: ArrayLike, fillValue: ArrayLike, dtype?: DTypeLike | null | LikeOptions, shape?: ShapeLike | null): Array {
  const l = likeArgs("full_like", a, dtype, shape);
  if (typeof fillValue === "number" || typeof fillValue === "boolean") return fullOf(l.shape, fillValue, l.dtype, l.weakType);
  const v = lax.convertElementType(toArray("full_like", fillValue, "fillValue"), l.dtype, l.weakType);
  if (v.ndim === 0) return l.shape.length === 0 ? v : lax.broadcastInDim(v, l.shape, []);
  return broadcastToShape("full_like", v, l.shape);
}

// ---------------------------------------------------------------------------
// Ranges

export interface DTypeOptions {
  dtype?: DTypeLike | null;
}

/** A concrete scalar argument (JS number or concrete 0-d Array). */
function concreteScalar(op: string, name: string, v: ArrayInput): { value: number; typed: TypedLike } {
  if (typeof v === "number" || typeof v === "boolean") return { value: Number(v), typed: typedOfInput(v) };
  if (!(v instanceof Array)) throw new TypeError(`[${op}] ${name} must be a number or a scalar Array, got ${describe(v)}`);
  const c = v instanceof Tracer ? v.toConcrete() : v;
  if (!c) {
    throw new TypeError(
      `[${op}] argument '${name}' must be concrete: the size of the result depends on it, and it is a traced ${fmt(v)}. ` +
        `Pass a JS number, or mark the argument static (jit's staticArgnums).`,
    );
  }
  if (c.ndim !== 0) throw new TypeError(`[${op}] arguments must be scalars; got ${name} of shape (${c.shape.join(", ")})`);
  return { value: Number(c.item()), typed: v.aval };
}

/**
 * jnp.arange(stop) / arange(start, stop, step?), with a trailing `{dtype}`.
 * Arguments must be concrete. The dtype defaults to the promoted dtype of the
 * arguments (int32 for JS integers, float32 for other numbers).
 */
export function arange(...args: (ArrayInput | DTypeOptions | null | undefined)[]): Array {
  let opts: DTypeOptions = {};
  if (args.length && isOptions(args[args.length - 1])) opts = args.pop() as DTypeOptions;
  if (args.length < 1 || args.length > 3) throw new TypeError(`[arange] takes 1 to 3 positional arguments, got ${args.length}`);
  const [a0, a1, a2] = args as (ArrayInput | null | undefined)[];
  const startName = a1 === undefined || a1 === null ? (a2 === undefined || a2 === null ? "stop" : "start") : "start";
  const s0 = concreteScalar("arange", startName, a0 as ArrayInput);
  const s1 = a1 === undefined || a1 === null ? null : concreteScalar("arange", "stop", a1);
  const s2 = a2 === undefined || a2 === null ? null : concreteScalar("arange", "step", a2);
  const d =
    opts.dtype !== undefined && opts.dtype !== null
      ? userDType("arange", opts.dtype)
      : resultTypeWithWeak([s0, s1, s2].filter((v) => v !== null).map((v) => v!.typed)).dtype;
  let start = s0.value;
  let stop: number;
  if (s1 === null) {
    stop = start;
    start = 0;
  } else stop = s1.value;
  if (s2 !== null) {
    const step = s2.value;
    if (step === 0) throw new RangeError("[arange] step must not be zero");
    const work = d.kind === "f" && d.bits < 32 ? float32 : d;
    const size = Math.max(0, Math.ceil((stop - start) / step));
    return lax.convertElementType(
      lax.add(scalar(start, work, false), lax.mul(scalar(step, work, false), lax.iota(work, size))),
      d,
      false,
    );
  }
  if (start === 0) return lax.iota(d, Math.max(0, Math.ceil(stop)));
  const size = Math.max(0, Math.ceil(stop - start));
  return lax.add(scalar(start, d, false), lax.iota(d, size));
}

export interface LinspaceOptions extends DTypeOptions {
  endpoint?: boolean;
  retstep?: boolean;
  axis?: number;
}

function startStop(op: string, start: ArrayLike, stop: ArrayLike, dtype: DTypeLike | null | undefined) {
  const [a, b] = [toArray(op, start, "start"), toArray(op, stop, "stop")];
  const d = dtype === undefined || dtype === null ? toInexact(resultTypeWithWeak([a.aval, b.aval]).dtype) : userDType(op, dtype);
  const comp = toInexact(d);
  return { a: lax.convertElementType(a, comp, false), b: lax.convertElementType(b, comp, false), dtype: d, comp };
}

/**
 * jnp.linspace(start, stop, num = 50, {endpoint, retstep, dtype, axis}):
 * `start * (1 - t) + stop * t`, which recovers both endpoints exactly; start
 * and stop may be arrays (the samples run along `axis`). With `retstep` the
 * result is `[samples, step]`.
 */
export function linspace(start: ArrayLike, stop: ArrayLike, num?: number, opts?: LinspaceOptions & { retstep?: false }): Array;
export function linspace(start: ArrayLike, stop: ArrayLike, num: number, opts: LinspaceOptions & { retstep: true }): [Array, Array];
export function linspace(start: ArrayLike, stop: ArrayLike, num = 50, opts: LinspaceOptions = {}): Array | [Array, Array] {
  const { endpoint = true, retstep = false } = opts;
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`[linspace] number of samples, ${num}, must be a non-negative integer`);
  const { a, b, dtype, comp } = startStop("linspace", start, stop, opts.dtype);
  const boundsShape = broadcastShapesOf("linspace", a.shape, b.shape);
  const bStart = broadcastToShape("linspace", a, boundsShape);
  const bStop = broadcastToShape("linspace", b, boundsShape);
  let axis = opts.axis ?? 0;
  axis = axis < 0 ? boundsShape.length + axis + 1 : axis;
  if (axis < 0 || axis > boundsShape.length) {
    throw new RangeError(`[linspace] axis ${opts.axis} is out of bounds for a result of dimension ${boundsShape.length + 1}`);
  }
  const withAxis = [...boundsShape];
  withAxis.splice(axis, 0, 1);
  const div = endpoint ? num - 1 : num;
  let out: Array;
  let delta: Array;
  if (num > 1) {
    delta = lax.div(lax.sub(bStop, bStart), scalar(div, comp, false));
    const iotaShape = withAxis.map((_, i) => (i === axis ? div : 1));
    const step = lax.reshape(lax.div(lax.iota(comp, div), scalar(div, comp, false)), iotaShape);
    const one = scalar(1, comp, false);
    const shapeOut = withAxis.map((d, i) => (i === axis ? div : d));
    const s = lax.broadcastInDim(lax.reshape(bStart, withAxis), shapeOut, range(withAxis.length));
    const e = lax.broadcastInDim(lax.reshape(bStop, withAxis), shapeOut, range(withAxis.length));
    const t = lax.broadcastInDim(step, shapeOut, range(withAxis.length));
    out = lax.add(lax.mul(s, lax.sub(one, t)), lax.mul(e, t));
    if (endpoint) out = lax.concatenate([out, lax.expandDims(bStop, [axis])], axis);
  } else if (num === 1) {
    delta = endpoint ? scalar(NaN, comp, false) : lax.sub(bStop, bStart);
    out = lax.reshape(bStart, withAxis);
  } else {
    delta = scalar(NaN, comp, false);
    out = fullOf(withAxis.map((d, i) => (i === axis ? 0 : d)), 0, comp);
  }
  if (dtype.isInteger && out.dtype.kind === "f") out = lax.floor(out);
  const result = lax.convertElementType(out, dtype, false);
  return retstep ? [result, delta] : result;
}

export interface LogspaceOptions extends DTypeOptions {
  endpoint?: boolean;
  base?: number;
  axis?: number;
}

/** jnp.logspace(start, stop, num = 50, {endpoint, base = 10, dtype, axis}): base ** linspace(start, stop). */
export function logspace(start: ArrayLike, stop: ArrayLike, num = 50, opts: LogspaceOptions = {}): Array {
  const { a, b, dtype } = startStop("logspace", start, stop, opts.dtype);
  const lin = linspace(a, b, num, { endpoint: opts.endpoint ?? true, axis: opts.axis ?? 0 });
  const base = scalar(opts.base ?? 10, lin.dtype, false);
  return lax.convertElementType(lax.pow(lax.broadcastInDim(base, lin.shape, []), lin), dtype, false);
}

/** jnp.geomspace(start, stop, num = 50, {endpoint, dtype, axis}): a geometric progression (signs of start kept). */
export function geomspace(start: ArrayLike, stop: ArrayLike, num = 50, opts: Omit<LogspaceOptions, "base"> = {}): Array {
  const { a, b, dtype, comp } = startStop("geomspace", start, stop, opts.dtype);
  const bin = (f: (x: Array, y: Array) => Array, x: Array, y: Array) => {
    const [p, q] = broadcastAll("geomspace", [x, y]);
    return f(p!, q!);
  };
  const sign = lax.sign(a);
  const log10 = (x: Array) => lax.div(lax.log(x), lax.log(fullOf(x.shape, 10, comp)));
  const lg = logspace(log10(lax.div(a, sign)), log10(bin(lax.div, b, sign)), num, { endpoint: opts.endpoint ?? true, dtype: comp });
  let res = bin(lax.mul, sign, lg);
  const axis = normAxis("geomspace", opts.axis ?? 0, res.ndim);
  if (axis !== 0) res = lax.transpose(res, [...range(1, axis + 1), 0, ...range(axis + 1, res.ndim)]);
  return lax.convertElementType(res, dtype, false);
}

// ---------------------------------------------------------------------------
// Matrices: eye, identity, tri, tril, triu

export interface EyeOptions extends DTypeOptions {
  /** Diagonal offset (may be a traced integer scalar). */
  k?: ArrayInput;
}

/** jnp.eye(N, M = N, {k = 0, dtype = float32}): ones on the k-th diagonal. */
export function eye(N: number, M?: number | null | EyeOptions, opts: EyeOptions = {}): Array {
  if (isOptions(M)) return eye(N, null, M as EyeOptions);
  const m = M === undefined || M === null ? N : (M as number);
  for (const [n, v] of [["N", N], ["M", m]] as const) {
    if (!Number.isInteger(v)) throw new TypeError(`[eye] ${n} must be an integer, got ${v}`);
    if (v < 0) throw new RangeError(`[eye] negative dimensions are not allowed, got N=${N} and M=${m}`);
  }
  const d = opts.dtype === undefined || opts.dtype === null ? float32 : userDType("eye", opts.dtype);
  const k = opts.k ?? 0;
  const offset = typeof k === "number" ? scalar(k, int32, true) : k instanceof Array ? k : null;
  if (!offset || offset.ndim !== 0 || !offset.dtype.isInteger || (typeof k === "number" && !Number.isInteger(k))) {
    throw new TypeError(`[eye] k must be a scalar integer; got ${describe(k)}`);
  }
  const i = lax.broadcastedIota(offset.dtype, [N, m], 0);
  const j = lax.broadcastedIota(offset.dtype, [N, m], 1);
  return lax.convertElementType(lax.eq(lax.add(i, offset), j), d, false);
}

/** jnp.identity(n, dtype = float32). */
export function identity(n: number, dtype?: DTypeArg): Array {
  return eye(n, n, { dtype: dtypeArg("identity", dtype) });
}

/** The boolean mask `j <= i + k` of shape (N, M) (lax._tri). */
function triMask(N: number, M: number, k: number): Array {
  const i = lax.broadcastedIota(int32, [N, M], 0);
  const j = lax.broadcastedIota(int32, [N, M], 1);
  return lax.ge(lax.add(i, scalar(k, int32, false)), j);
}

/** jnp.tri(N, M = N, k = 0, {dtype = float32}): ones at and below the k-th diagonal. */
export function tri(N: number, M?: number | null, k = 0, opts: DTypeOptions = {}): Array {
  const m = M ?? N;
  for (const v of [N, m, k]) if (!Number.isInteger(v)) throw new TypeError(`[tri] N, M and k must be integers, got ${N}, ${m}, ${k}`);
  if (N < 0 || m < 0) throw new RangeError(`[tri] negative dimensions are not allowed, got N=${N} and M=${m}`);
  const d = opts.dtype === undefined || opts.dtype === null ? float32 : userDType("tri", opts.dtype);
  return lax.convertElementType(triMask(N, m, k), d, false);
}

function triLU(op: string, m: ArrayLike, k: number, lower: boolean): Array {
  const x = toArray(op, m);
  if (x.ndim < 2) throw new TypeError(`[${op}] argument must be at least 2-D, got ${fmt(x)}`);
  if (!Number.isInteger(k)) throw new TypeError(`[${op}] k must be an integer, got ${k}`);
  const [N, M] = x.shape.slice(-2) as [number, number];
  const mask = lax.broadcast(triMask(N, M, lower ? k : k - 1), x.shape.slice(0, -2));
  const z = fullOf(x.shape, 0, x.dtype, x.weakType);
  return lower ? lax.select(mask, x, z) : lax.select(mask, z, x);
}
/** jnp.tril(m, k = 0): zero above the k-th diagonal (of the last two axes). */
export const tril = (m: ArrayLike, k = 0): Array => triLU("tril", m, k, true);
/** jnp.triu(m, k = 0): zero below the k-th diagonal (of the last two axes). */
export const triu = (m: ArrayLike, k = 0): Array => triLU("triu", m, k, false);

// ---------------------------------------------------------------------------
// Diagonals

/** jnp.diagonal(a, offset = 0, axis1 = 0, axis2 = 1): the diagonal moves to the last axis. */
export function diagonal(a: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): Array {
  const x = toArray("diagonal", a);
  if (x.ndim < 2) throw new TypeError(`[diagonal] requires an array of at least two dimensions, got ${fmt(x)}`);
  if (!Number.isInteger(offset)) throw new TypeError(`[diagonal] offset must be a static integer, got ${offset}`);
  const ax1 = normAxis("diagonal", axis1, x.ndim);
  const ax2 = normAxis("diagonal", axis2, x.ndim);
  if (ax1 === ax2) throw new RangeError(`[diagonal] axis1 and axis2 cannot be the same (${axis1}, ${axis2})`);
  const moved = moveaxes("diagonal", x, [ax1, ax2], [-2, -1]);
  const n = Math.max(0, Math.min(x.shape[ax1]! + Math.min(offset, 0), x.shape[ax2]! - Math.max(offset, 0)));
  const i = lax.iota(int32, n);
  const j = lax.add(scalar(Math.abs(offset), int32, false), lax.iota(int32, n));
  return offset >= 0 ? moved.get("...", i, j) : moved.get("...", j, i);
}

/** jnp.diag(v, k = 0): a 1-D v becomes a 2-D matrix with v on the k-th diagonal; a 2-D v gives its k-th diagonal. */
export function diag(v: ArrayLike, k = 0): Array {
  const x = toArray("diag", v);
  if (!Number.isInteger(k)) throw new TypeError(`[diag] k must be an integer, got ${k}`);
  if (x.ndim === 2) return diagonal(x, k);
  if (x.ndim !== 1) throw new TypeError(`[diag] input must be 1-D or 2-D, got ${fmt(x)}`);
  const n = x.shape[0]! + Math.abs(k);
  const zero = scalar(0, x.dtype, x.weakType);
  const padded = lax.pad(x, zero, [[Math.max(0, -k), Math.max(0, k), 0]]);
  const col = lax.broadcastInDim(padded, [n, n], [0]);
  return lax.select(eye(n, n, { k, dtype: bool }), col, lax.broadcastInDim(zero, [n, n], []));
}

/** jnp.diagflat(v, k = 0): the flattened input on the k-th diagonal of a square matrix. */
export function diagflat(v: ArrayLike, k = 0): Array {
  const x = toArray("diagflat", v);
  if (!Number.isInteger(k)) throw new TypeError(`[diagflat] k must be an integer, got ${k}`);
  const flat = lax.reshape(x, [x.size]);
  const n = x.size + Math.abs(k);
  const i = lax.iota(int32, x.size);
  const c = (val: number) => scalar(val, int32, false);
  const fi = k >= 0 ? lax.add(lax.add(i, c(k)), lax.mul(i, c(n))) : lax.add(i, lax.mul(lax.sub(i, c(k)), c(n)));
  const res = fullOf([n * n], 0, x.dtype, x.weakType).at(fi).set(flat);
  return lax.reshape(res, [n, n]);
}

export interface TraceOptions extends DTypeOptions {}

/** jnp.trace(a, offset = 0, axis1 = 0, axis2 = 1, {dtype}): the sum along a diagonal (jnp.sum's dtype rules). */
export function trace(a: ArrayLike, offset = 0, axis1 = 0, axis2 = 1, opts: TraceOptions = {}): Array {
  const x = toArray("trace", a);
  if (x.ndim < 2) throw new TypeError(`[trace] requires an array of at least two dimensions, got ${fmt(x)}`);
  const ax1 = normAxis("trace", axis1, x.ndim);
  const ax2 = normAxis("trace", axis2, x.ndim);
  if (ax1 === ax2) throw new RangeError(`[trace] axis1 and axis2 can not be same. axis1=${axis1} and axis2=${axis2}`);
  const moved = moveaxes("trace", x, [ax1, ax2], [-2, -1]);
  const mask = lax.broadcast(eye(x.shape[ax1]!, x.shape[ax2]!, { k: offset, dtype: bool }), moved.shape.slice(0, -2));
  const masked = lax.select(mask, moved, fullOf(moved.shape, 0, moved.dtype, moved.weakType));
  const summed = masked.sum([moved.ndim - 2, moved.ndim - 1]);
  return opts.dtype === undefined || opts.dtype === null ? summed : lax.convertElementType(masked, userDType("trace", opts.dtype), false).sum([moved.ndim - 2, moved.ndim - 1]);
}

// ---------------------------------------------------------------------------
// Grids

export interface MeshgridOptions {
  /** "xy" (Cartesian, default) or "ij" (matrix) indexing. */
  indexing?: "xy" | "ij";
  /** Return arrays with size-1 dimensions that broadcast instead of full grids. */
  sparse?: boolean;
  copy?: boolean;
}

/** jnp.meshgrid(...xs, {indexing = "xy", sparse = false}): coordinate grids from 1-D arrays. */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): Array[] {
  let opts: MeshgridOptions = {};
  if (args.length && isOptions(args[args.length - 1])) opts = args.pop() as MeshgridOptions;
  const { indexing = "xy", sparse = false } = opts;
  if (opts.copy === false) throw new TypeError("[meshgrid] only copy=true is supported (JAX arrays are immutable)");
  if (indexing !== "xy" && indexing !== "ij") throw new TypeError(`[meshgrid] valid values for indexing are 'xy' and 'ij', got ${indexing}`);
  const xs = args.map((a, i) => toArray("meshgrid", a, `argument ${i}`));
  if (xs.some((a) => a.ndim !== 1)) {
    throw new TypeError(`[meshgrid] arguments must be 1-D, got ${xs.map(fmt).join(", ")}`);
  }
  const swap = indexing === "xy" && xs.length >= 2;
  if (swap) [xs[0], xs[1]] = [xs[1]!, xs[0]!];
  const shape = xs.map((a) => (sparse ? 1 : a.shape[0]!));
  const out = xs.map((a, i) => {
    const s = sparse ? shape.map((d, k) => (k === i ? a.shape[0]! : d)) : shape;
    return lax.broadcastInDim(a, s, [i]);
  });
  if (swap) [out[0], out[1]] = [out[1]!, out[0]!];
  return out;
}

/**
 * jnp.fromfunction(fn, shape, {dtype = float32}): `fn` called on the
 * coordinates of every element. As in JAX, `fn` is vmapped over each axis, so
 * it sees scalar coordinates and may use any jnp code.
 */
export function fromfunction(fn: (...coords: Array[]) => Array, shape: ShapeLike, opts: DTypeOptions = {}): Array {
  const s = canonicalShape("fromfunction", shape);
  const d = opts.dtype === undefined || opts.dtype === null ? float32 : userDType("fromfunction", opts.dtype);
  let f = fn as (...a: Array[]) => Array;
  for (let i = 0; i < s.length; i++) {
    const inAxes = s.map((_, j) => (j === i ? 0 : null)).reverse();
    f = vmap(f, { inAxes }) as (...a: Array[]) => Array;
  }
  return f(...s.map((n) => lax.iota(d, n)));
}

export interface IndicesOptions extends DTypeOptions {
  sparse?: boolean;
}

/** jnp.indices(dimensions, {dtype = int32, sparse}): the grid of indices, stacked (or sparse arrays). */
export function indices(dimensions: readonly number[], opts?: IndicesOptions & { sparse?: false }): Array;
export function indices(dimensions: readonly number[], opts: IndicesOptions & { sparse: true }): Array[];
export function indices(dimensions: readonly number[], opts: IndicesOptions = {}): Array | Array[] {
  const dims = canonicalShape("indices", dimensions);
  const d = opts.dtype === undefined || opts.dtype === null ? int32 : userDType("indices", opts.dtype);
  const out = dims.map((dim, i) => {
    const s = opts.sparse ? dims.map((n, k) => (k === i ? n : 1)) : dims;
    return lax.broadcastInDim(lax.iota(d, dim), s, [i]);
  });
  if (opts.sparse) return out;
  if (out.length === 0) return fullOf([0], 0, d);
  return lax.concatenate(out.map((o) => lax.expandDims(o, [0])), 0);
}

// ---------------------------------------------------------------------------
// Window functions (jax/_src/numpy/window_functions.py) and vander

function windowSize(op: string, M: number): number {
  if (typeof M !== "number" || !Number.isInteger(M)) throw new TypeError(`[${op}] M must be an integer window size, got ${String(M)}`);
  return Math.max(M, 0);
}

/** The sample positions 0..M-1 in float32 (JAX's default float dtype). */
const windowIota = (M: number): Array => lax.iota(float32, M);

/** jnp.bartlett(M): the triangular window, float32 (all ones for M <= 1). */
export function bartlett(M: number): Array {
  const m = windowSize("bartlett", M);
  if (m <= 1) return fullOf([m], 1, float32);
  const n = windowIota(m);
  return subtract(1, trueDivide(abs(subtract(add(multiply(2, n), 1), m)), m - 1));
}

/** jnp.blackman(M): the Blackman window, float32. */
export function blackman(M: number): Array {
  const m = windowSize("blackman", M);
  if (m <= 1) return fullOf([m], 1, float32);
  const n = windowIota(m);
  const c1 = cos(trueDivide(multiply(2 * Math.PI, n), m - 1));
  const c2 = cos(trueDivide(multiply(4 * Math.PI, n), m - 1));
  return add(subtract(0.42, multiply(0.5, c1)), multiply(0.08, c2));
}

/** jnp.hamming(M): the Hamming window, float32. */
export function hamming(M: number): Array {
  const m = windowSize("hamming", M);
  if (m <= 1) return fullOf([m], 1, float32);
  const n = windowIota(m);
  return subtract(0.54, multiply(0.46, cos(trueDivide(multiply(2 * Math.PI, n), m - 1))));
}

/** jnp.hanning(M): the Hann window, float32. */
export function hanning(M: number): Array {
  const m = windowSize("hanning", M);
  if (m <= 1) return fullOf([m], 1, float32);
  const n = windowIota(m);
  return multiply(0.5, subtract(1, cos(trueDivide(multiply(2 * Math.PI, n), m - 1))));
}

/** jnp.kaiser(M, beta): the Kaiser window i0(beta·sqrt(1 - ((n - α)/α)²)) / i0(beta), α = (M-1)/2. */
export function kaiser(M: number, beta: ArrayInput): Array {
  const m = windowSize("kaiser", M);
  const b = toArray("kaiser", beta, "beta");
  // A float64 beta (JAX's x64 mode) computes the positions in float64 too.
  const d = b.dtype.name === "float64" ? b.dtype : float32;
  if (m <= 1) return fullOf([m], 1, d);
  const n = lax.iota(d, m);
  const alpha = 0.5 * (m - 1);
  const r = trueDivide(subtract(n, alpha), alpha);
  return trueDivide(i0(multiply(beta, sqrt(subtract(1, power(r, 2))))), i0(beta));
}

/** jnp.vander(x, N?, {increasing}): the Vandermonde matrix [x^(N-1), ..., x, 1] (or increasing powers), x 1-D. */
export function vander(x: ArrayLike, N?: number | null | { increasing?: boolean }, opts: { increasing?: boolean } = {}): Array {
  if (isOptions(N)) {
    opts = N as { increasing?: boolean };
    N = undefined;
  }
  const a = toArray("vander", x, "x");
  if (a.ndim !== 1) throw new TypeError(`[vander] x must be a one-dimensional array, got ${fmt(a)}`);
  const n = N === undefined || N === null ? a.shape[0]! : (N as number);
  if (!Number.isInteger(n)) throw new TypeError(`[vander] N must be an integer, got ${String(N)}`);
  if (n < 0) throw new RangeError(`[vander] N must be nonnegative, got ${n}`);
  let iota = lax.iota(a.dtype, n);
  if (!opts.increasing) iota = lax.sub(fullOf([n], n - 1, a.dtype), iota);
  return power(lax.expandDims(a, [1]), lax.expandDims(iota, [0]));
}
