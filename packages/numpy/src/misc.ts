// Selection and polynomial helpers of jax.numpy: where (three-argument, and
// the one-argument nonzero form with size=), select, piecewise, extract and
// polyval.
import { Array, Tracer, array, lax, vmap, type ArrayInput } from "@jaxts/core";
import {
  arr,
  bool,
  broadcastAll,
  broadcastShapes,
  broadcastTo,
  fmt,
  full,
  int32,
  nonzero1d,
  promoteDtypes,
  range,
  ravel,
  reshape,
  take,
  where3,
} from "./math_helpers.js";
import * as linalg from "./linalg.js";

export interface WhereSizeOptions {
  /** static number of indices (required under jit/vmap) */
  size?: number;
  /** index used for the padding past the true entries (default 0) */
  fillValue?: number;
}

/** The concrete count of true entries, or an error that names `size`. */
function concreteCount(op: string, mask: Array, input: Array = mask): number {
  let m = mask;
  if (m instanceof Tracer) {
    const c = m.toConcrete();
    if (c === null) throw new TypeError(`[${op}] the output size depends on the values of a traced ${fmt(input)}; pass a static \`size\``);
    m = c;
  }
  let n = 0;
  for (const v of m.dataSync()) n += v ? 1 : 0;
  return n;
}

/**
 * jnp.where. With three arguments, elementwise `condition ? x : y` with NumPy
 * broadcasting and x, y promoted together. With one argument (and optional
 * {size, fillValue}), the indices of the nonzero entries, one int32 array per
 * dimension (jnp.nonzero).
 */
export function where(condition: ArrayInput, x: ArrayInput, y: ArrayInput): Array;
export function where(condition: ArrayInput, opts?: WhereSizeOptions): Array[];
export function where(condition: ArrayInput, x?: ArrayInput | WhereSizeOptions, y?: ArrayInput): Array | Array[] {
  if (y !== undefined) {
    if (x === undefined || (typeof x === "object" && !(x instanceof Array))) {
      throw new TypeError("[where] either both or neither of the x and y arguments should be provided");
    }
    return where3("where", condition, x as ArrayInput, y);
  }
  if (x !== undefined && (x instanceof Array || typeof x !== "object")) {
    throw new TypeError("[where] either both or neither of the x and y arguments should be provided");
  }
  const opts = (x ?? {}) as WhereSizeOptions;
  const c = arr("where", condition, "condition");
  if (c.ndim === 0) throw new TypeError(`[where] calling nonzero on a rank-0 array is not allowed (${fmt(c)}); use atleast_1d first`);
  const mask = c.dtype === bool ? c : lax.ne(c, lax.convertElementType(0, c.dtype));
  const flat = ravel(mask);
  const size = opts.size ?? concreteCount("where", flat, c);
  if (!Number.isInteger(size) || size < 0) throw new TypeError(`[where] size must be a non-negative integer, got ${size}`);
  const fill = opts.fillValue ?? 0;
  const idx = nonzero1d(flat, size, -1);
  const valid = lax.ge(idx, lax.convertElementType(0, int32));
  // Unravel the flat indices; padding entries take fillValue in every output.
  const out: Array[] = [];
  let rest = idx;
  const strides = c.shape.map((_, i) => c.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let k = 0; k < c.ndim; k++) {
    const s = lax.convertElementType(strides[k]!, int32);
    const q = lax.div(rest, s);
    rest = lax.rem(rest, s);
    out.push(lax.select(valid, q, full([size], fill, int32)));
  }
  return out;
}

/**
 * jnp.select(condlist, choicelist, default): for each element, the choice of
 * the first true condition, else `default`; choices are promoted together.
 */
export function select(condlist: readonly ArrayInput[], choicelist: readonly ArrayInput[], defaultValue: ArrayInput = 0): Array {
  if (!globalThis.Array.isArray(condlist) || !globalThis.Array.isArray(choicelist)) {
    throw new TypeError("[select] condlist and choicelist must be lists of arrays");
  }
  if (condlist.length !== choicelist.length) {
    throw new TypeError(`[select] condlist must have length equal to choicelist (${condlist.length} vs ${choicelist.length})`);
  }
  if (condlist.length === 0) throw new TypeError("[select] condlist must be non-empty");
  const conds = condlist.map((c, i) => arr("select", c, `condlist[${i}]`));
  const choices = promoteDtypes("select", [defaultValue, ...choicelist]);
  const shape = broadcastShapes("select", ...conds.map((c) => c.shape), ...choices.map((c) => c.shape));
  // The index of the first true condition + 1, or 0 (the default): argmax over [false, c0, c1, ...] would do
  // it; a fold from the last condition to the first gives the same without stacking.
  let idx = full(shape, 0, int32);
  for (let i = conds.length - 1; i >= 0; i--) {
    const c = conds[i]!.dtype === bool ? conds[i]! : lax.ne(conds[i]!, lax.convertElementType(0, conds[i]!.dtype));
    idx = lax.select(broadcastTo("select", c, shape), full(shape, i + 1, int32), idx);
  }
  return lax.selectN(idx, ...choices.map((c) => broadcastTo("select", c, shape)));
}

type PiecewiseFn = ArrayInput | ((x: Array, ...args: any[]) => ArrayInput);

/**
 * jnp.piecewise(x, condlist, funclist, ...args): evaluate, per element, the
 * function (or constant) of the first true condition; with one more function
 * than conditions, the last is the default (else 0). Each function gets a
 * scalar x (as JAX's vectorized lax.switch) and the extra args; results are
 * cast to x's dtype.
 */
export function piecewise(x: ArrayInput, condlist: Array | readonly ArrayInput[], funclist: readonly PiecewiseFn[], ...args: unknown[]): Array {
  const xa = arr("piecewise", x);
  const conds =
    condlist instanceof Array
      ? range(condlist.shape[0] ?? 0).map((i) => lax.squeeze(lax.sliceInDim(condlist, i, i + 1, 1, 0), [0]))
      : condlist.map((c, i) => arr("piecewise", c, `condlist[${i}]`));
  if (condlist instanceof Array && condlist.ndim === 0) throw new TypeError("[piecewise] condlist must be a list of conditions");
  const nc = conds.length;
  const nf = funclist.length;
  let fns: PiecewiseFn[];
  if (nf === nc + 1) fns = [funclist[nf - 1]!, ...funclist.slice(0, nf - 1)];
  else if (nf === nc) fns = [0, ...funclist];
  else throw new TypeError(`[piecewise] with ${nc} condition(s), either ${nc} or ${nc + 1} functions are expected; got ${nf}`);
  // index = 1 + the position of the last true condition (0 if none), as JAX's argmax of the cumulative sum.
  let idx = full(xa.shape, 0, int32);
  conds.forEach((c0, i) => {
    const c = broadcastTo("piecewise", c0.dtype === bool ? c0 : lax.ne(c0, lax.convertElementType(0, c0.dtype)), xa.shape);
    idx = lax.select(c, full(xa.shape, i + 1, int32), idx);
  });
  const dtype = xa.dtype;
  const branches = fns.map((f) =>
    typeof f === "function"
      ? (v: Array) => lax.convertElementType(arr("piecewise", f(v, ...args), "function result"), dtype)
      : (v: Array) => constOf(f, dtype, v),
  );
  if (xa.size === 0) return xa;
  const flatIdx = ravel(idx);
  const flatX = ravel(xa);
  const out = vmap((i: Array, v: Array) => lax.switch(i, branches, v))(flatIdx, flatX) as Array;
  return reshape(out, xa.shape);
}

/** A constant branch: the value as x's dtype, broadcast to the (scalar) operand's shape. */
function constOf(c: ArrayInput, dtype: Array["dtype"], like: Array): Array {
  const v = lax.convertElementType(arr("piecewise", c, "constant"), dtype);
  if (v.ndim !== 0) throw new TypeError(`[piecewise] constants in funclist must be scalars, got ${fmt(v)}`);
  return like.ndim === 0 ? v : lax.broadcastInDim(v, like.shape, []);
}

/**
 * jnp.extract(condition, arr): the elements of the flattened `arr` where the
 * flattened condition is true; with `size`, padded with `fillValue` (default 0).
 */
export function extract(condition: ArrayInput, array: ArrayInput, opts: { size?: number; fillValue?: ArrayInput } = {}): Array {
  const c = ravel(arr("extract", condition, "condition"));
  const a = ravel(arr("extract", array, "arr"));
  const mask = c.dtype === bool ? c : lax.ne(c, lax.convertElementType(0, c.dtype));
  if (mask.shape[0]! > a.shape[0]!) throw new TypeError(`[extract] condition (${fmt(c)}) is longer than arr (${fmt(a)})`);
  const m = mask.shape[0]! < a.shape[0]! ? lax.concatenate([mask, full([a.shape[0]! - mask.shape[0]!], false, bool)], 0) : mask;
  const size = opts.size ?? concreteCount("extract", m, c);
  const idx = nonzero1d(m, size, a.shape[0]!);
  const fill = lax.convertElementType(arr("extract", opts.fillValue ?? 0, "fillValue"), a.dtype);
  if (a.shape[0] === 0) return lax.broadcastInDim(fill, [size], []);
  const vals = take(a, idx, 0, { mode: "clip" });
  return lax.select(lax.lt(idx, lax.convertElementType(a.shape[0]!, int32)), vals, lax.broadcastInDim(fill, [size], []));
}

/**
 * jnp.polyval(p, x): the polynomial with coefficients p (highest degree first,
 * along p's first axis) at x, by Horner's rule; p and x promoted together.
 */
export function polyval(p: ArrayInput, x: ArrayInput): Array {
  const [pa, xa] = promoteDtypes("polyval", [arr("polyval", p, "p"), arr("polyval", x, "x")]) as [Array, Array];
  if (pa.ndim === 0) throw new TypeError(`[polyval] p must be at least 1-D, got ${fmt(pa)}`);
  const shape = broadcastShapes("polyval", pa.shape.slice(1), xa.shape);
  let y = full(shape, 0, xa.dtype);
  for (let i = 0; i < pa.shape[0]!; i++) {
    const c = lax.squeeze(lax.sliceInDim(pa, i, i + 1, 1, 0), [0]);
    const [yb, xb, cb] = broadcastAll("polyval", [y, xa, c]);
    y = lax.add(lax.mul(yb!, xb!), cb!);
  }
  return y;
}

// ---------------------------------------------------------------------------
// Polynomial arithmetic (coefficients highest degree first, as NumPy's poly1d)

function poly1d(op: string, p: ArrayInput, what = "p"): Array {
  const a = arr(op, p, what);
  if (a.ndim !== 1) throw new TypeError(`[${op}] ${what} must be a 1-D array of coefficients, got ${fmt(a)}`);
  return a;
}

/** Add b into the trailing entries of a (a at least as long as b). */
function addTail(a: Array, b: Array): Array {
  const n = a.shape[0]!;
  const m = b.shape[0]!;
  const padded = m === n ? b : lax.pad(b, lax.convertElementType(0, b.dtype), [[n - m, 0, 0]]);
  return lax.add(a, padded);
}

/** jnp.polyadd: the sum of two polynomials. */
export function polyadd(a1: ArrayInput, a2: ArrayInput): Array {
  const [a, b] = promoteDtypes("polyadd", [poly1d("polyadd", a1, "a1"), poly1d("polyadd", a2, "a2")]) as [Array, Array];
  return b.shape[0]! <= a.shape[0]! ? addTail(a, b) : addTail(b, a);
}

/** jnp.polysub: a1 - a2. */
export function polysub(a1: ArrayInput, a2: ArrayInput): Array {
  const [a, b] = promoteDtypes("polysub", [poly1d("polysub", a1, "a1"), poly1d("polysub", a2, "a2")]) as [Array, Array];
  return polyadd(a, lax.neg(b));
}

/** jnp.polymul: the product of two polynomials (their full convolution), in the inexact promoted dtype. */
export function polymul(a1: ArrayInput, a2: ArrayInput): Array {
  let [a, b] = promoteDtypes("polymul", [poly1d("polymul", a1, "a1"), poly1d("polymul", a2, "a2")], { toFloat: true }) as [Array, Array];
  if (a.shape[0] === 0) a = full([1], 0, b.dtype);
  if (b.shape[0] === 0) b = full([1], 0, a.dtype);
  if (a.shape[0]! < b.shape[0]!) [a, b] = [b, a];
  const m = b.shape[0]!;
  const out = lax.convGeneralDilated(reshape(a, [1, 1, a.shape[0]!]), reshape(lax.rev(b, [0]), [1, 1, m]), [1], [[m - 1, m - 1]]);
  return reshape(out, [out.shape[2]!]);
}

/** jnp.polydiv: [quotient, remainder] of polynomial long division (remainder as long as u). */
export function polydiv(u: ArrayInput, v: ArrayInput): [Array, Array] {
  let [ua, va] = promoteDtypes("polydiv", [poly1d("polydiv", u, "u"), poly1d("polydiv", v, "v")], { toFloat: true }) as [Array, Array];
  const m = ua.shape[0]! - 1;
  const n = va.shape[0]! - 1;
  if (n < 0) throw new TypeError(`[polydiv] the divisor must have at least one coefficient, got ${fmt(va)}`);
  const scale = lax.div(lax.convertElementType(1, va.dtype), lax.squeeze(lax.sliceInDim(va, 0, 1, 1, 0), [0]));
  const qs: Array[] = [];
  for (let k = 0; k <= m - n; k++) {
    const d = lax.mul(scale, lax.squeeze(lax.sliceInDim(ua, k, k + 1, 1, 0), [0]));
    qs.push(lax.reshape(d, [1]));
    const sub = lax.pad(lax.mul(lax.neg(d), va), lax.convertElementType(0, va.dtype), [[k, m - n - k, 0]]);
    ua = lax.add(ua, sub);
  }
  const q = qs.length ? lax.concatenate(qs, 0) : full([1], 0, ua.dtype);
  return [q, ua];
}

/** jnp.polyder: the m-th derivative's coefficients (inexact dtype). */
export function polyder(p: ArrayInput, m = 1): Array {
  const [a] = promoteDtypes("polyder", [poly1d("polyder", p)], { toFloat: true }) as [Array];
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`[polyder] order of derivative must be a non-negative integer, got ${m}`);
  if (m === 0) return a;
  const n = a.shape[0]!;
  if (n <= m) return full([0], 0, a.dtype);
  // coefficient k (highest first) of degree n-1-k gains prod_{j<m} (deg - j).
  const coeff = range(n - m).map((k) => range(m).reduce((acc, j) => acc * (n - 1 - k - j), 1));
  const c = array(coeff, { dtype: a.dtype });
  return lax.mul(lax.sliceInDim(a, 0, n - m, 1, 0), c);
}

/** jnp.polyint: the m-th antiderivative's coefficients, with integration constants k (scalar or m of them). */
export function polyint(p: ArrayInput, m = 1, k: ArrayInput | null = null): Array {
  const [a, kk] = promoteDtypes("polyint", [poly1d("polyint", p), k ?? 0], { toFloat: true }) as [Array, Array];
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`[polyint] order of integral must be a non-negative integer, got ${m}`);
  let ks = kk.ndim === 0 ? lax.reshape(kk, [1]) : kk;
  if (ks.ndim !== 1) throw new TypeError(`[polyint] k must be a scalar or a rank-1 array of length 1 or m, got ${fmt(kk)}`);
  if (ks.shape[0] === 1) ks = lax.broadcastInDim(lax.reshape(ks, []), [m], []);
  if (ks.shape[0] !== m) throw new TypeError(`[polyint] k must be a scalar or a rank-1 array of length 1 or m, got ${fmt(kk)} for m=${m}`);
  if (m === 0) return a;
  const n = a.shape[0]! + m;
  // Entry i (highest first) has degree n-1-i; its divisor is prod_{j<m} max(1, deg - j).
  const coeff = range(n).map((i) => range(m).reduce((acc, j) => acc * Math.max(1, n - 1 - i - j), 1));
  return lax.div(lax.concatenate([a, ks], 0), array(coeff, { dtype: a.dtype }));
}

/** jnp.poly: the coefficients of the monic polynomial with the given (1-D) roots. */
export function poly(seqOfZeros: ArrayInput): Array {
  let [z] = promoteDtypes("poly", [arr("poly", seqOfZeros)], { toFloat: true }) as [Array];
  if (z.ndim === 0) z = lax.reshape(z, [1]);
  if (z.ndim !== 1) throw new TypeError(`[poly] input must be a 1-D array of roots (square matrices need eigvals, not available), got ${fmt(z)}`);
  let a = full([1], 1, z.dtype);
  if (z.shape[0] === 0) return full([], 1, z.dtype);
  for (let k = 0; k < z.shape[0]!; k++) {
    const root = lax.reshape(lax.neg(lax.sliceInDim(z, k, k + 1, 1, 0)), [1]);
    a = polymul(a, lax.concatenate([full([1], 1, z.dtype), root], 0));
  }
  return a;
}

export interface PolyfitOptions {
  /** relative cutoff for small singular values (default len(x) * eps) */
  rcond?: number | null;
  /** also return [residuals, rank, singular values, rcond] */
  full?: boolean;
  /** weights applied to the residuals (1-D, one per sample) */
  w?: ArrayInput | null;
  /** also return the covariance of the coefficients ("unscaled": not scaled by the residual variance) */
  cov?: boolean | "unscaled";
}

/**
 * jnp.polyfit(x, y, deg): least-squares polynomial coefficients (highest
 * degree first; y may hold several columns), via the column-scaled Vandermonde
 * matrix and linalg.lstsq, as JAX's. With `full`: [c, residuals, rank, s,
 * rcond]; with `cov`: [c, covariance].
 */
export function polyfit(x: ArrayInput, y: ArrayInput, deg: number, opts: PolyfitOptions = {}): Array | Array[] {
  const op = "polyfit";
  if (!Number.isInteger(deg) || deg < 0) throw new TypeError(`[${op}] expected deg >= 0 (an integer), got ${deg}`);
  const order = deg + 1;
  const [xa, ya] = promoteDtypes(op, [arr(op, x, "x"), arr(op, y, "y")], { toFloat: true }) as [Array, Array];
  if (xa.ndim !== 1) throw new TypeError(`[${op}] expected 1D vector for x, got ${fmt(xa)}`);
  if (xa.size === 0) throw new TypeError(`[${op}] expected non-empty vector for x`);
  if (ya.ndim < 1 || ya.ndim > 2) throw new TypeError(`[${op}] expected 1D or 2D array for y, got ${fmt(ya)}`);
  const n = xa.shape[0]!;
  if (ya.shape[0] !== n) throw new TypeError(`[${op}] expected x and y to have same length, got ${fmt(xa)} and ${fmt(ya)}`);
  const eps = xa.dtype.name === "float64" ? 2 ** -52 : xa.dtype.name === "float16" ? 2 ** -10 : 2 ** -23;
  const rcond = opts.rcond ?? n * eps;
  // The Vandermonde matrix: column j holds x^(deg - j).
  let lhs = lax.concatenate(range(order).map((j) => lax.reshape(lax.integerPow(xa, deg - j), [n, 1])), 1);
  let rhs = ya;
  if (opts.w !== undefined && opts.w !== null) {
    const [w] = promoteDtypes(op, [arr(op, opts.w, "w")], { toFloat: true }) as [Array];
    if (w.ndim !== 1) throw new TypeError(`[${op}] expected a 1-d array for weights, got ${fmt(w)}`);
    if (w.shape[0] !== n) throw new TypeError(`[${op}] expected w and y to have the same length, got ${fmt(w)} and ${fmt(ya)}`);
    const wc = lax.convertElementType(w, lhs.dtype);
    lhs = lax.mul(lhs, lax.broadcastInDim(wc, lhs.shape, [0]));
    rhs = lax.mul(rhs, rhs.ndim === 2 ? lax.broadcastInDim(wc, rhs.shape, [0]) : wc);
  }
  const scale = lax.sqrt(lax.reduceSum(lax.mul(lhs, lhs), [0]));
  lhs = lax.div(lhs, lax.broadcastInDim(scale, lhs.shape, [1]));
  const [c0, resids, rank, s] = linalg.lstsq(lhs, rhs, { rcond });
  const c = c0.ndim > 1 ? lax.div(c0, lax.broadcastInDim(scale, c0.shape, [0])) : lax.div(c0, scale);
  if (opts.full) return [c, resids, rank, s, lax.convertElementType(rcond, c.dtype)];
  if (!opts.cov) return c;
  const gram = lax.dotGeneral(lhs, lhs, [[[0], [0]], [[], []]]);
  const vbase = lax.div(linalg.inv(gram), lax.mul(lax.broadcastInDim(scale, [order, order], [0]), lax.broadcastInDim(scale, [order, order], [1])));
  let fac: Array;
  if (opts.cov === "unscaled") fac = full([ya.ndim === 1 ? 1 : ya.shape[1]!], 1, c.dtype);
  else {
    if (n <= order) throw new TypeError(`[${op}] the number of data points must exceed order to scale the covariance matrix (${n} <= ${order})`);
    fac = lax.div(resids, lax.convertElementType(n - order, resids.dtype));
  }
  if (ya.ndim === 1) return [c, lax.mul(vbase, lax.reshape(lax.sliceInDim(fac, 0, 1, 1, 0), []))];
  const k = fac.shape[0]!;
  return [c, lax.mul(lax.broadcastInDim(vbase, [order, order, k], [0, 1]), lax.broadcastInDim(fac, [order, order, k], [2]))];
}
