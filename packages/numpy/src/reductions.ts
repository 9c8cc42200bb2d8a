// Reductions of jax.numpy (jax/_src/numpy/reductions.py and the reducing parts
// of lax_numpy.py): sum/prod/max/min/mean/var/std with axis, keepdims, where,
// initial and dtype; argmax/argmin; the nan* family; cumulative sums and
// products; quantiles; and the differencing, integration, convolution,
// interpolation and histogram routines.
//
// Dtype rules are jnp's: sum/prod widen bool and sub-32-bit integers to
// int32/uint32 and compute float16 in float32; mean/var/std of integers give
// float32; index results are int32.
import { Array, Tracer, lax, promoteIntegerDType, scalar, type ArrayInput, type DType, type DTypeLike } from "@jaxts/core";
import {
  arr,
  asDType,
  bool,
  broadcastAll,
  broadcastTo,
  concat,
  constLike,
  float32,
  fmt,
  full,
  fullLike,
  indexAxis,
  int32,
  moveaxis,
  normAxes,
  normAxis,
  prod as prodOf,
  promote,
  promoteDtypes,
  range,
  ravel,
  reshape,
  reverse,
  scatterAdd1d,
  sliceAxis,
  take,
  toInexact,
  userDType,
  where3,
  type Axis,
} from "./math_helpers.js";
import { clip, isnan } from "./ufuncs.js";
import { searchsorted } from "./sorting.js";

export type { Axis };

const isOptions = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x);

/** `f(a, axis, opts)` or `f(a, opts)`: the axis positionally or in the options. */
function splitAxis<O extends { axis?: Axis }>(axisOrOpts: Axis | O, opts: O | undefined): O {
  if (isOptions(axisOrOpts)) return axisOrOpts as O;
  const o = { ...(opts ?? {}) } as O;
  if (axisOrOpts !== undefined) o.axis = axisOrOpts as Axis;
  return o;
}

export interface ReduceOptions {
  /** axis or axes to reduce (default: all; negative counts from the end) */
  axis?: Axis;
  /** keep reduced axes as size 1 */
  keepdims?: boolean;
  /** only elements where this (bool) mask is true take part */
  where?: ArrayInput;
  /** a starting value combined with the reduction */
  initial?: number;
}
export interface SumOptions extends ReduceOptions {
  /** result (and computation) dtype */
  dtype?: DTypeLike;
  /** widen bool and narrow integers to int32/uint32 (default true) */
  promoteIntegers?: boolean;
}

function checkWhere(op: string, where: ArrayInput | undefined): Array | undefined {
  if (where === undefined || where === null) return undefined;
  const w = arr(op, where, "where");
  if (w.dtype !== bool) throw new TypeError(`[${op}] where must be a boolean array; got ${fmt(w)}`);
  return w;
}

interface Reducer {
  name: string;
  /** the lax reduction (for the computation dtype) */
  reduce: (x: Array, dims: number[]) => Array;
  /** the binary op, used to fold in `initial` */
  combine: (x: Array, y: Array) => Array;
  /** the identity filled in where `where` is false */
  identity: (d: DType) => number;
  hasIdentity: boolean;
  preproc?: (x: Array) => Array;
  upcastF16?: boolean;
}

const toNumeric = (x: Array) => (x.dtype === bool ? lax.convertElementType(x, int32) : x);
const toBoolArr = (x: Array) => (x.dtype === bool ? x : lax.ne(x, constLike(x, 0)));

/** JAX's _reduction. */
function reduction(r: Reducer, a0: ArrayInput, o: SumOptions, promoteIntegers: boolean): Array {
  const { name } = r;
  let a = arr(name, a0);
  const where = checkWhere(name, o.where);
  const { initial, keepdims = false } = o;
  if (initial !== undefined && typeof initial !== "number") throw new TypeError(`[${name}] initial must be a number, got ${typeof initial}`);
  if (initial === undefined && !r.hasIdentity && where) {
    throw new TypeError(`[${name}] reduction operation ${name} does not have an identity, so to use a where mask one has to specify 'initial'`);
  }
  if (r.preproc) a = r.preproc(a);
  const dims = normAxes(name, o.axis, a.ndim);
  if (initial === undefined && !r.hasIdentity && dims.some((d) => a.shape[d] === 0)) {
    throw new RangeError(`[${name}] zero-size array to reduction operation ${name} which has no identity (${fmt(a)}, axes (${dims.join(", ")}))`);
  }
  const resultDType = o.dtype !== undefined ? userDType(name, o.dtype) : promoteIntegers ? promoteIntegerDType(a.dtype) : a.dtype;
  const computeDType = r.upcastF16 && o.dtype === undefined && resultDType.name === "float16" ? float32 : resultDType;
  a = lax.convertElementType(a, computeDType, false);
  if (where) a = where3(name, where, a, scalar(r.identity(computeDType), computeDType, false));
  let result = r.reduce(a, dims);
  if (initial !== undefined) result = r.combine(scalar(initial, computeDType, false), result);
  if (keepdims) result = lax.expandDims(result, dims);
  return lax.convertElementType(result, resultDType, false);
}

const sumReducer: Reducer = {
  name: "sum",
  reduce: (x, d) => (x.dtype === bool ? lax.reduceOr(x, d) : lax.reduceSum(x, d)),
  combine: (x, y) => (x.dtype === bool ? lax.bitwiseOr(x, y) : lax.add(x, y)),
  identity: () => 0,
  hasIdentity: true,
  preproc: toNumeric,
  upcastF16: true,
};
const prodReducer: Reducer = {
  name: "prod",
  reduce: (x, d) => (x.dtype === bool ? lax.reduceAnd(x, d) : lax.reduceProd(x, d)),
  combine: (x, y) => (x.dtype === bool ? lax.bitwiseAnd(x, y) : lax.mul(x, y)),
  identity: () => 1,
  hasIdentity: true,
  preproc: toNumeric,
  upcastF16: true,
};
const maxReducer: Reducer = {
  name: "max",
  reduce: (x, d) => lax.reduceMax(x, d),
  combine: (x, y) => lax.max(x, y),
  identity: (d) => lax.maxIdentity(d),
  hasIdentity: false,
};
const minReducer: Reducer = {
  name: "min",
  reduce: (x, d) => lax.reduceMin(x, d),
  combine: (x, y) => lax.min(x, y),
  identity: (d) => lax.minIdentity(d),
  hasIdentity: false,
};
const allReducer: Reducer = {
  name: "all",
  reduce: (x, d) => lax.reduceAnd(x, d),
  combine: (x, y) => lax.bitwiseAnd(x, y),
  identity: () => 1,
  hasIdentity: true,
  preproc: toBoolArr,
};
const anyReducer: Reducer = {
  name: "any",
  reduce: (x, d) => lax.reduceOr(x, d),
  combine: (x, y) => lax.bitwiseOr(x, y),
  identity: () => 0,
  hasIdentity: true,
  preproc: toBoolArr,
};

const named = (r: Reducer, name: string): Reducer => ({ ...r, name });

/** jnp.sum. `sum(a, axis?, opts?)` or `sum(a, opts)`. */
export function sum(a: ArrayInput, axis?: Axis | SumOptions, opts?: SumOptions): Array {
  const o = splitAxis(axis, opts);
  return reduction(sumReducer, a, o, o.promoteIntegers ?? true);
}

/** jnp.prod. */
export function prod(a: ArrayInput, axis?: Axis | SumOptions, opts?: SumOptions): Array {
  const o = splitAxis(axis, opts);
  return reduction(prodReducer, a, o, o.promoteIntegers ?? true);
}

/** jnp.max (amax): the maximum; NaN propagates; an empty reduction needs `initial`. */
export function max(a: ArrayInput, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
  return reduction(maxReducer, a, splitAxis(axis, opts), false);
}
/** jnp.min (amin). */
export function min(a: ArrayInput, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
  return reduction(minReducer, a, splitAxis(axis, opts), false);
}
export function amax(a: ArrayInput, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
  return reduction(named(maxReducer, "amax"), a, splitAxis(axis, opts), false);
}
export function amin(a: ArrayInput, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
  return reduction(named(minReducer, "amin"), a, splitAxis(axis, opts), false);
}

type LogicalOptions = Omit<ReduceOptions, "initial">;
/** jnp.all: whether every element is true (nonzero). */
export function all(a: ArrayInput, axis?: Axis | LogicalOptions, opts?: LogicalOptions): Array {
  return reduction(allReducer, a, splitAxis(axis, opts), false);
}
/** jnp.any: whether some element is true (nonzero). */
export function any(a: ArrayInput, axis?: Axis | LogicalOptions, opts?: LogicalOptions): Array {
  return reduction(anyReducer, a, splitAxis(axis, opts), false);
}

/** The number of elements taking part in a reduction (JAX's _count), in `d`. */
function count(name: string, a: Array, dims: number[], keepdims: boolean, where: Array | undefined, d: DType): Array {
  if (!where) return scalar(dims.reduce((n, k) => n * a.shape[k]!, 1), d, false);
  return reduction(named(sumReducer, name), broadcastTo(name, where, a.shape), { axis: dims, keepdims, dtype: d }, false);
}

export interface MeanOptions {
  axis?: Axis;
  dtype?: DTypeLike;
  keepdims?: boolean;
  where?: ArrayInput;
}

/** jnp.mean: integers and bool give float32; float16 is summed in float32. */
export function mean(a: ArrayInput, axis?: Axis | MeanOptions, opts?: MeanOptions): Array {
  const o = splitAxis(axis, opts);
  const x = arr("mean", a);
  const where = checkWhere("mean", o.where);
  const resultDType = o.dtype !== undefined ? userDType("mean", o.dtype) : toInexact(x.dtype);
  const computeDType = o.dtype === undefined && resultDType.name === "float16" ? float32 : resultDType;
  const dims = normAxes("mean", o.axis, x.ndim);
  const keepdims = o.keepdims ?? false;
  const n = count("mean", x, dims, keepdims, where, computeDType);
  const total = reduction(named(sumReducer, "mean"), x, { axis: dims, dtype: computeDType, keepdims, where }, false);
  return lax.convertElementType(lax.div(total, n), resultDType, false);
}

export interface AverageOptions {
  axis?: Axis;
  /** weights broadcastable to a, or 1-D along a single `axis` */
  weights?: ArrayInput | null;
  /** also return the sum of the weights */
  returned?: boolean;
  keepdims?: boolean;
}

/** jnp.average: the (weighted) mean; with `returned`, [average, sum of weights]. */
export function average(a: ArrayInput, opts?: AverageOptions & { returned?: false }): Array;
export function average(a: ArrayInput, opts: AverageOptions & { returned: true }): [Array, Array];
export function average(a: ArrayInput, opts: AverageOptions = {}): Array | [Array, Array] {
  const keepdims = opts.keepdims ?? false;
  let avg: Array;
  let wsum: Array;
  if (opts.weights === undefined || opts.weights === null) {
    const [x] = promoteDtypes("average", [arr("average", a)], { toFloat: true });
    avg = mean(x!, { axis: opts.axis, keepdims });
    const dims = normAxes("average", opts.axis, x!.ndim);
    wsum = scalar(dims.reduce((n, k) => n * x!.shape[k]!, 1), avg.dtype, false);
  } else {
    let [x, w] = promoteDtypes("average", [arr("average", a), arr("average", opts.weights, "weights")], { toFloat: true }) as [Array, Array];
    const sameShape = x.ndim === w.ndim && x.shape.every((d, i) => d === w.shape[i]);
    if (!sameShape) {
      if (opts.axis === undefined || opts.axis === null) {
        throw new TypeError(`[average] axis must be specified when shapes of a and weights differ (${fmt(x)} vs ${fmt(w)})`);
      }
      const axes = normAxes("average", opts.axis, x.ndim);
      const wantShape = axes.map((k) => x.shape[k]!);
      if (w.ndim !== wantShape.length || w.shape.some((d, i) => d !== wantShape[i])) {
        throw new TypeError(`[average] shape of weights must be consistent with shape of a along the specified axis: ${fmt(w)} vs ${fmt(x)}, axis ${JSON.stringify(opts.axis)}`);
      }
      // Weights laid along `axes` (in the order given), size 1 elsewhere.
      const order = axes.map((k, i) => [k, i] as const).sort((p, q) => p[0] - q[0]);
      w = lax.transpose(w, order.map(([, i]) => i));
      w = reshape(w, x.shape.map((d, i) => (axes.includes(i) ? d : 1)));
    }
    wsum = sum(w, { axis: opts.axis, keepdims });
    avg = lax.div(sum(lax.mul(...(broadcastAll("average", [x, w]) as [Array, Array])), { axis: opts.axis, keepdims }), wsum);
  }
  if (!opts.returned) return avg;
  if (wsum.ndim !== avg.ndim || wsum.shape.some((d, i) => d !== avg.shape[i])) wsum = broadcastTo("average", wsum, avg.shape);
  return [avg, wsum];
}

export interface VarOptions {
  axis?: Axis;
  dtype?: DTypeLike;
  /** delta degrees of freedom: divide by N - ddof (default 0) */
  ddof?: number;
  /** the array API's name for ddof */
  correction?: number;
  keepdims?: boolean;
  where?: ArrayInput;
  /** a precomputed mean (keepdims shape) */
  mean?: ArrayInput;
}

/** JAX's _var_promote_types: [computation dtype, result dtype]. */
function varTypes(op: string, a: DType, dtype: DTypeLike | undefined): [DType, DType] {
  let d: DType;
  let c: DType;
  if (dtype !== undefined) {
    d = userDType(op, dtype);
    c = d;
  } else {
    d = toInexact(a);
    c = d;
  }
  return [c.name === "float16" ? float32 : c, d];
}

function correctionOf(op: string, o: VarOptions): number {
  if (o.correction !== undefined) {
    if (o.ddof !== undefined && o.ddof !== 0) throw new TypeError(`[${op}] ddof and correction can't be provided simultaneously`);
    return o.correction;
  }
  return o.ddof ?? 0;
}

/** jnp.var: mean of squared deviations over N - ddof (NaN where N - ddof <= 0); integers give float32. */
function var_(a: ArrayInput, axis?: Axis | VarOptions, opts?: VarOptions): Array {
  const o = splitAxis(axis, opts);
  const x0 = arr("var", a);
  const where = checkWhere("var", o.where);
  const corr = correctionOf("var", o);
  const [cd, rd] = varTypes("var", x0.dtype, o.dtype);
  const x = lax.convertElementType(x0, cd, false);
  const dims = normAxes("var", o.axis, x.ndim);
  const keepdims = o.keepdims ?? false;
  const m = o.mean === undefined ? mean(x, { axis: dims, dtype: cd, keepdims: true, where }) : asDType(arr("var", o.mean, "mean"), cd);
  const [xb, mb] = broadcastAll("var", [x, m]);
  const centered = lax.square(lax.sub(xb!, mb!));
  const n = lax.sub(count("var", x, dims, keepdims, where, cd), scalar(corr, cd, false));
  const total = reduction(named(sumReducer, "var"), centered, { axis: dims, dtype: cd, keepdims, where }, false);
  const result = lax.convertElementType(lax.div(total, n), rd, false);
  return where3("var", lax.gt(n, constLike(n, 0)), result, scalar(NaN, rd, false));
}
export { var_ as var };

/** jnp.std: sqrt(var). */
export function std(a: ArrayInput, axis?: Axis | VarOptions, opts?: VarOptions): Array {
  const o = splitAxis(axis, opts);
  if (o.dtype !== undefined && userDType("std", o.dtype).kind !== "f") {
    throw new TypeError(`[std] dtype must be inexact; got ${String(o.dtype)}`);
  }
  return lax.sqrt(var_(a, o));
}

/** jnp.ptp: max - min along the axes. */
export function ptp(a: ArrayInput, axis?: Axis | { axis?: Axis; keepdims?: boolean }, opts?: { axis?: Axis; keepdims?: boolean }): Array {
  const o = splitAxis(axis, opts);
  const x = arr("ptp", a);
  const r = { axis: o.axis, keepdims: o.keepdims };
  return lax.sub(reduction(named(maxReducer, "ptp"), x, r, false), reduction(named(minReducer, "ptp"), x, r, false));
}

/** jnp.count_nonzero: the number of nonzero (true) elements, int32. */
export function countNonzero(a: ArrayInput, axis?: Axis | { axis?: Axis; keepdims?: boolean }, opts?: { axis?: Axis; keepdims?: boolean }): Array {
  const o = splitAxis(axis, opts);
  const x = arr("count_nonzero", a);
  const nz = lax.ne(x, constLike(x, 0));
  return reduction(named(sumReducer, "count_nonzero"), nz, { axis: o.axis, keepdims: o.keepdims, dtype: int32 }, false);
}

// ---------------------------------------------------------------------------
// argmax / argmin

export interface ArgOptions {
  /** the axis (default: the flattened array) */
  axis?: number | null;
  keepdims?: boolean;
}

function argReduce(name: "argmax" | "argmin", a: ArrayInput, axis: number | null | undefined, keepdims: boolean): Array {
  let x = arr(name, a);
  let dims: number[];
  let ax: number;
  if (axis === undefined || axis === null) {
    dims = range(x.ndim);
    x = ravel(x);
    ax = 0;
  } else {
    ax = normAxis(name, axis, x.ndim);
    dims = [ax];
  }
  if (x.shape[ax] === 0) throw new RangeError(`[${name}] attempt to get ${name} of an empty sequence (${fmt(arr(name, a))})`);
  const r = (name === "argmax" ? lax.argmax : lax.argmin)(x, ax, int32);
  return keepdims ? lax.expandDims(r, dims) : r;
}

/** jnp.argmax: the first index of the maximum (a NaN counts as the maximum), int32. */
export function argmax(a: ArrayInput, axis?: number | null | ArgOptions, opts?: ArgOptions): Array {
  const o = splitAxis(axis as Axis | ArgOptions, opts) as ArgOptions;
  return argReduce("argmax", a, o.axis, o.keepdims ?? false);
}
/** jnp.argmin: the first index of the minimum (a NaN counts as the minimum), int32. */
export function argmin(a: ArrayInput, axis?: number | null | ArgOptions, opts?: ArgOptions): Array {
  const o = splitAxis(axis as Axis | ArgOptions, opts) as ArgOptions;
  return argReduce("argmin", a, o.axis, o.keepdims ?? false);
}

function nanArg(name: "nanargmax" | "nanargmin", a: ArrayInput, o: ArgOptions): Array {
  const x = arr(name, a);
  const base = name === "nanargmax" ? "argmax" : "argmin";
  if (x.dtype.kind !== "f") return argReduce(base, x, o.axis, o.keepdims ?? false);
  const nan = isnan(x);
  const filled = lax.select(nan, fullLike(x, name === "nanargmax" ? -Infinity : Infinity), x);
  const res = argReduce(base, filled, o.axis, o.keepdims ?? false);
  const allNan = reduction(named(allReducer, name), nan, { axis: o.axis ?? null, keepdims: o.keepdims }, false);
  return lax.select(allNan, fullLike(res, -1), res);
}

/** jnp.nanargmax: argmax ignoring NaN; -1 where a slice is all NaN (as JAX; NumPy raises). */
export function nanargmax(a: ArrayInput, axis?: number | null | ArgOptions, opts?: ArgOptions): Array {
  return nanArg("nanargmax", a, splitAxis(axis as Axis | ArgOptions, opts) as ArgOptions);
}
/** jnp.nanargmin: argmin ignoring NaN; -1 where a slice is all NaN. */
export function nanargmin(a: ArrayInput, axis?: number | null | ArgOptions, opts?: ArgOptions): Array {
  return nanArg("nanargmin", a, splitAxis(axis as Axis | ArgOptions, opts) as ArgOptions);
}

// ---------------------------------------------------------------------------
// nan* reductions (JAX's _nan_reduction)

function nanReduction(r: Reducer, a0: ArrayInput, o: SumOptions, init: number, nanIfAllNan: boolean, promoteIntegers: boolean): Array {
  const a = arr(r.name, a0);
  checkWhere(r.name, o.where);
  if (a.dtype.kind !== "f") return reduction(r, a, o, promoteIntegers);
  const filled = lax.select(isnan(a), fullLike(a, init), a);
  const out = reduction(r, filled, o, promoteIntegers);
  if (!nanIfAllNan) return out;
  const allNan = reduction(named(allReducer, r.name), isnan(a), { axis: o.axis, keepdims: o.keepdims }, false);
  return lax.select(allNan, fullLike(out, NaN), out);
}

/** jnp.nansum: sum treating NaN as 0. */
export function nansum(a: ArrayInput, axis?: Axis | SumOptions, opts?: SumOptions): Array {
  const o = splitAxis(axis, opts);
  return nanReduction(named(sumReducer, "nansum"), a, o, 0, false, o.promoteIntegers ?? true);
}
/** jnp.nanprod: product treating NaN as 1. */
export function nanprod(a: ArrayInput, axis?: Axis | SumOptions, opts?: SumOptions): Array {
  const o = splitAxis(axis, opts);
  return nanReduction(named(prodReducer, "nanprod"), a, o, 1, false, o.promoteIntegers ?? true);
}
/** jnp.nanmax: max ignoring NaN; NaN where a slice is all NaN (without `initial`). */
export function nanmax(a: ArrayInput, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
  const o = splitAxis(axis, opts);
  return nanReduction(named(maxReducer, "nanmax"), a, o, -Infinity, o.initial === undefined, false);
}
/** jnp.nanmin: min ignoring NaN; NaN where a slice is all NaN (without `initial`). */
export function nanmin(a: ArrayInput, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
  const o = splitAxis(axis, opts);
  return nanReduction(named(minReducer, "nanmin"), a, o, Infinity, o.initial === undefined, false);
}

/** jnp.nanmean: mean over the non-NaN elements (NaN where there are none). */
export function nanmean(a: ArrayInput, axis?: Axis | MeanOptions, opts?: MeanOptions): Array {
  const o = splitAxis(axis, opts);
  const x = arr("nanmean", a);
  const where = checkWhere("nanmean", o.where);
  if (x.dtype.kind !== "f") return mean(x, o);
  const d = o.dtype !== undefined ? userDType("nanmean", o.dtype) : toInexact(x.dtype);
  const notNan = lax.bitwiseNot(isnan(x));
  const n = reduction(named(sumReducer, "nanmean"), notNan, { axis: o.axis, dtype: d, keepdims: o.keepdims, where }, false);
  return lax.div(nansum(x, { axis: o.axis, dtype: d, keepdims: o.keepdims, where }), n);
}

/** jnp.nanvar: var over the non-NaN elements (NaN where N - ddof <= 0). */
export function nanvar(a: ArrayInput, axis?: Axis | VarOptions, opts?: VarOptions): Array {
  const o = splitAxis(axis, opts);
  const x0 = arr("nanvar", a);
  const where = checkWhere("nanvar", o.where);
  const [cd, rd] = varTypes("nanvar", x0.dtype, o.dtype);
  const x = lax.convertElementType(x0, cd, false);
  const dims = normAxes("nanvar", o.axis, x.ndim);
  const keepdims = o.keepdims ?? false;
  const m = o.mean === undefined ? nanmean(x, { axis: dims, dtype: cd, keepdims: true, where }) : asDType(arr("nanvar", o.mean, "mean"), cd);
  const [xb, mb] = broadcastAll("nanvar", [x, m]);
  const nan = isnan(xb!);
  const centered = lax.square(lax.select(nan, fullLike(xb!, 0), lax.sub(xb!, mb!)));
  const nInt = reduction(named(sumReducer, "nanvar"), lax.bitwiseNot(nan), { axis: dims, keepdims, where }, true);
  const n = lax.sub(nInt, scalar(correctionOf("nanvar", o), int32, false));
  const bad = lax.le(n, constLike(n, 0));
  let result = reduction(named(sumReducer, "nanvar"), centered, { axis: dims, keepdims, where }, false);
  result = where3("nanvar", bad, scalar(NaN, result.dtype, false), result);
  const divisor = where3("nanvar", bad, scalar(1, int32, false), n);
  result = lax.div(...(broadcastAll("nanvar", [result, lax.convertElementType(divisor, result.dtype)]) as [Array, Array]));
  return lax.convertElementType(result, rd, false);
}

/** jnp.nanstd: sqrt(nanvar). */
export function nanstd(a: ArrayInput, axis?: Axis | VarOptions, opts?: VarOptions): Array {
  return lax.sqrt(nanvar(a, splitAxis(axis, opts)));
}

// ---------------------------------------------------------------------------
// Cumulative reductions

export interface CumulativeOptions {
  /** the axis (default: the flattened array) */
  axis?: number | null;
  dtype?: DTypeLike;
}

/** JAX's _cumulative_reduction. */
function cumulative(
  name: string,
  scan: (x: Array, axis: number) => Array,
  a0: ArrayInput,
  o: CumulativeOptions,
  fill: number | null,
  promoteIntegers = false,
): Array {
  let a = arr(name, a0);
  if (o.axis === undefined || o.axis === null || a.ndim === 0) a = ravel(a);
  const axis = normAxis(name, o.axis ?? 0, a.ndim);
  if (fill !== null && a.dtype.kind === "f") a = lax.select(isnan(a), fullLike(a, fill), a);
  let resultDType: DType;
  let computeDType: DType;
  if (o.dtype === undefined) {
    resultDType = promoteIntegers || a.dtype === bool ? promoteIntegerDType(a.dtype) : a.dtype;
    computeDType = resultDType;
  } else if (userDType(name, o.dtype) === bool) {
    resultDType = bool;
    if (a.dtype !== bool) a = lax.ne(a, constLike(a, 0));
    computeDType = promoteIntegerDType(bool);
  } else {
    resultDType = userDType(name, o.dtype);
    computeDType = resultDType;
  }
  a = lax.convertElementType(a, computeDType, false);
  return lax.convertElementType(scan(a, axis), resultDType, false);
}

const cumOpts = (axis: number | null | undefined | CumulativeOptions, opts: CumulativeOptions | undefined): CumulativeOptions =>
  splitAxis(axis as Axis | CumulativeOptions, opts) as CumulativeOptions;

/** jnp.cumsum: running sum (axis null flattens); bool accumulates as int32, narrow integers keep their dtype. */
export function cumsum(a: ArrayInput, axis?: number | null | CumulativeOptions, opts?: CumulativeOptions): Array {
  return cumulative("cumsum", (x, ax) => lax.cumsum(x, ax), a, cumOpts(axis, opts), null);
}
/** jnp.cumprod: running product. */
export function cumprod(a: ArrayInput, axis?: number | null | CumulativeOptions, opts?: CumulativeOptions): Array {
  return cumulative("cumprod", (x, ax) => lax.cumprod(x, ax), a, cumOpts(axis, opts), null);
}
/** jnp.nancumsum: running sum treating NaN as 0. */
export function nancumsum(a: ArrayInput, axis?: number | null | CumulativeOptions, opts?: CumulativeOptions): Array {
  return cumulative("nancumsum", (x, ax) => lax.cumsum(x, ax), a, cumOpts(axis, opts), 0);
}
/** jnp.nancumprod: running product treating NaN as 1. */
export function nancumprod(a: ArrayInput, axis?: number | null | CumulativeOptions, opts?: CumulativeOptions): Array {
  return cumulative("nancumprod", (x, ax) => lax.cumprod(x, ax), a, cumOpts(axis, opts), 1);
}

export interface CumulativeSumOptions extends CumulativeOptions {
  /** prepend the identity (0 or 1) so the result is one longer along the axis */
  includeInitial?: boolean;
}

function cumulativeArrayApi(name: string, x0: ArrayInput, o: CumulativeSumOptions, isSum: boolean): Array {
  const x = arr(name, x0);
  if (x.ndim === 0) throw new TypeError(`[${name}] the input must be non-scalar, got ${fmt(x)}`);
  if ((o.axis === undefined || o.axis === null) && x.ndim > 1) {
    throw new TypeError(`[${name}] the input array has rank ${x.ndim}, however axis was not set to an explicit value; it is only optional for 1-D arrays`);
  }
  const axis = normAxis(name, o.axis ?? 0, x.ndim);
  const out = isSum
    ? cumulative(name, (y, ax) => lax.cumsum(y, ax), x, { axis, dtype: o.dtype }, null, true)
    : cumulative(name, (y, ax) => lax.cumprod(y, ax), x, { axis, dtype: o.dtype }, null);
  if (!o.includeInitial) return out;
  const shape = x.shape.map((d, i) => (i === axis ? 1 : d));
  return lax.concatenate([full(shape, isSum ? 0 : 1, out.dtype), out], axis);
}

/** jnp.cumulative_sum (array API): axis required for rank > 1; integers widen like sum. */
export function cumulativeSum(x: ArrayInput, opts: CumulativeSumOptions = {}): Array {
  return cumulativeArrayApi("cumulative_sum", x, opts, true);
}
/** jnp.cumulative_prod (array API). */
export function cumulativeProd(x: ArrayInput, opts: CumulativeSumOptions = {}): Array {
  return cumulativeArrayApi("cumulative_prod", x, opts, false);
}

// ---------------------------------------------------------------------------
// Quantiles

export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest";

export interface QuantileOptions {
  axis?: Axis;
  /** how to pick between the two nearest order statistics (default "linear") */
  method?: QuantileMethod;
  keepdims?: boolean;
}

/**
 * Gather sorted values at per-position indices: `a` (sorted along `axis`),
 * `idx` of shape Q + R (Q = q's shape, R = a's shape without `axis`) -> Q + R.
 */
function gatherOrderStat(a: Array, idx: Array, axis: number, qNdim: number): Array {
  if (qNdim === 0) return lax.squeeze(takeAlong(a, lax.expandDims(idx, [axis]), axis), [axis]);
  return moveaxis(takeAlong(a, moveaxis(idx, 0, axis), axis), axis, 0);
}

function takeAlong(a: Array, idx: Array, axis: number): Array {
  const nd = a.ndim;
  const outShape = idx.shape;
  const cols = range(nd).map((k) => lax.reshape(k === axis ? idx : lax.broadcastedIota(int32, outShape, k), [...outShape, 1]));
  return lax.gather(
    a,
    nd === 1 ? cols[0]! : lax.concatenate(cols, nd),
    { offsetDims: [], collapsedSliceDims: range(nd), startIndexMap: range(nd) },
    range(nd).map(() => 1),
    { mode: "clip" },
  );
}

/** JAX's _quantile. */
function quantileImpl(op: string, a0: ArrayInput, q0: ArrayInput, o: QuantileOptions, squashNans: boolean): Array {
  const method = o.method ?? "linear";
  if (!["linear", "lower", "higher", "midpoint", "nearest"].includes(method)) {
    throw new TypeError(`[${op}] method can only be 'linear', 'lower', 'higher', 'midpoint' or 'nearest', got ${JSON.stringify(method)}`);
  }
  let [a] = promoteDtypes(op, [arr(op, a0, "a")], { toFloat: true }) as [Array];
  const qIn = arr(op, q0, "q");
  if (qIn.ndim > 1) throw new TypeError(`[${op}] q must have rank <= 1, got ${fmt(qIn)}`);
  // Compute in the common inexact dtype of a and q (a JS number q takes a's precision).
  const [, q] = promoteDtypes(op, [a, qIn], { toFloat: true }) as [Array, Array];
  const keepdims = o.keepdims ?? false;
  let keepShape: number[] | null = null;
  let axis: number;
  if (o.axis === undefined || o.axis === null) {
    if (keepdims) keepShape = a.shape.map(() => 1);
    a = ravel(a);
    axis = 0;
  } else if (typeof o.axis !== "number") {
    const axes = normAxes(op, o.axis, a.ndim);
    keepShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const keep = range(a.ndim).filter((i) => !axes.includes(i));
    const moved = lax.transpose(a, [...keep, ...axes]);
    a = reshape(moved, [...keep.map((i) => a.shape[i]!), prodOf(axes.map((i) => a.shape[i]!))]);
    axis = a.ndim - 1;
  } else {
    axis = normAxis(op, o.axis, a.ndim);
  }
  const qNdim = q.ndim;
  const n = a.shape[axis]!;
  const restShape = a.shape.filter((_, i) => i !== axis);
  const outShape = [...q.shape, ...restShape];
  const qb = (x: Array) => lax.broadcastInDim(x, outShape, range(qNdim));
  let low: Array, high: Array, highWeight: Array;
  let sorted: Array;
  if (squashNans) {
    sorted = lax.sort(a, { dimension: axis });
    const counts = lax.reduceSum(lax.convertElementType(lax.bitwiseNot(isnan(a)), q.dtype), [axis]);
    const countsB = lax.broadcastInDim(counts, outShape, range(qNdim, qNdim + restShape.length));
    const cm1 = lax.sub(countsB, constLike(countsB, 1));
    const pos = lax.mul(qb(q), cm1);
    const lo = lax.floor(pos);
    const hi = lax.ceil(pos);
    highWeight = lax.sub(pos, lo);
    const z = constLike(lo, 0);
    low = lax.convertElementType(lax.max(z, lax.min(lo, cm1)), int32);
    high = lax.convertElementType(lax.max(z, lax.min(hi, cm1)), int32);
  } else {
    const anyNan = lax.reduceOr(isnan(a), [axis]);
    const nanB = lax.broadcastInDim(anyNan, a.shape, range(a.ndim).filter((i) => i !== axis));
    sorted = lax.sort(lax.select(nanB, fullLike(a, NaN), a), { dimension: axis });
    const pos = lax.mul(q, constLike(q, n - 1));
    const lo = lax.floor(pos);
    const hi = lax.ceil(pos);
    const top = constLike(lo, n - 1);
    const z = constLike(lo, 0);
    highWeight = qb(lax.sub(pos, lo));
    low = qb(lax.convertElementType(lax.clamp(z, lo, top), int32));
    high = qb(lax.convertElementType(lax.clamp(z, hi, top), int32));
  }
  const lowValue = gatherOrderStat(sorted, low, axis, qNdim);
  const highValue = gatherOrderStat(sorted, high, axis, qNdim);
  let result: Array;
  switch (method) {
    case "linear": {
      const lowWeight = lax.sub(constLike(highWeight, 1), highWeight);
      result = lax.add(lax.mul(asDType(lowValue, q.dtype), lowWeight), lax.mul(asDType(highValue, q.dtype), highWeight));
      break;
    }
    case "lower":
      result = lowValue;
      break;
    case "higher":
      result = highValue;
      break;
    case "nearest":
      result = lax.select(lax.le(highWeight, constLike(highWeight, 0.5)), lowValue, highValue);
      break;
    default:
      result = lax.mul(lax.add(lowValue, highValue), constLike(lowValue, 0.5));
  }
  if (keepdims) result = keepShape ? reshape(result, [...q.shape, ...keepShape]) : lax.expandDims(result, [qNdim + axis]);
  return lax.convertElementType(result, a.dtype, false);
}

/** jnp.quantile(a, q, opts): q in [0, 1] (scalar or 1-D; its axis comes first in the result). NaN propagates. */
export function quantile(a: ArrayInput, q: ArrayInput, opts: QuantileOptions = {}): Array {
  return quantileImpl("quantile", a, q, opts, false);
}
/** jnp.nanquantile: quantile ignoring NaN (NaN where a slice is all NaN). */
export function nanquantile(a: ArrayInput, q: ArrayInput, opts: QuantileOptions = {}): Array {
  return quantileImpl("nanquantile", a, q, opts, true);
}
/** jnp.percentile: quantile at q / 100. */
export function percentile(a: ArrayInput, q: ArrayInput, opts: QuantileOptions = {}): Array {
  const [qf] = promoteDtypes("percentile", [arr("percentile", q, "q")], { toFloat: true });
  return quantileImpl("percentile", a, lax.div(qf!, constLike(qf!, 100)), opts, false);
}
/** jnp.nanpercentile: nanquantile at q / 100. */
export function nanpercentile(a: ArrayInput, q: ArrayInput, opts: QuantileOptions = {}): Array {
  const [qf] = promoteDtypes("nanpercentile", [arr("nanpercentile", q, "q")], { toFloat: true });
  return quantileImpl("nanpercentile", a, lax.div(qf!, constLike(qf!, 100)), opts, true);
}
/** jnp.median: the "midpoint" quantile at 0.5. */
export function median(a: ArrayInput, axis?: Axis | { axis?: Axis; keepdims?: boolean }, opts?: { axis?: Axis; keepdims?: boolean }): Array {
  const o = splitAxis(axis, opts);
  return quantileImpl("median", a, 0.5, { axis: o.axis, keepdims: o.keepdims, method: "midpoint" }, false);
}
/** jnp.nanmedian: median ignoring NaN. */
export function nanmedian(a: ArrayInput, axis?: Axis | { axis?: Axis; keepdims?: boolean }, opts?: { axis?: Axis; keepdims?: boolean }): Array {
  const o = splitAxis(axis, opts);
  return quantileImpl("nanmedian", a, 0.5, { axis: o.axis, keepdims: o.keepdims, method: "midpoint" }, true);
}

// ---------------------------------------------------------------------------
// Differences, gradients, integration

export interface DiffOptions {
  /** how many times to difference (default 1) */
  n?: number;
  /** default -1 */
  axis?: number;
  /** values put before / after `a` along the axis (scalars broadcast) */
  prepend?: ArrayInput;
  append?: ArrayInput;
}

/** jnp.diff: the n-th discrete difference along an axis (bool arrays use !=). */
export function diff(a: ArrayInput, nOrOpts?: number | DiffOptions, opts: DiffOptions = {}): Array {
  const o: DiffOptions = typeof nOrOpts === "number" ? { ...opts, n: nOrOpts } : { ...(nOrOpts ?? {}) };
  let x = arr("diff", a);
  const n = o.n ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`[diff] order must be a non-negative integer, got ${n}`);
  if (n === 0) return x;
  if (x.ndim === 0) throw new TypeError(`[diff] requires input that is at least one dimensional; got ${fmt(x)}`);
  const axis = normAxis("diff", o.axis ?? -1, x.ndim);
  const parts: Array[] = [];
  const edge = (v: ArrayInput, what: string) => {
    const e = arr("diff", v, what);
    return e.ndim === 0 ? broadcastTo("diff", e, x.shape.map((d, i) => (i === axis ? 1 : d))) : e;
  };
  if (o.prepend !== undefined) parts.push(edge(o.prepend, "prepend"));
  parts.push(x);
  if (o.append !== undefined) parts.push(edge(o.append, "append"));
  if (parts.length > 1) x = concat(promoteDtypes("diff", parts), axis);
  for (let k = 0; k < n; k++) {
    const m = x.shape[axis]!;
    const hi = sliceAxis(x, axis, 1, null);
    const lo = sliceAxis(x, axis, 0, Math.max(m - 1, 0));
    x = x.dtype === bool ? lax.ne(hi, lo) : lax.sub(hi, lo);
  }
  return x;
}

/** jnp.ediff1d: differences of the flattened array, with optional values at the ends (in its dtype). */
export function ediff1d(ary: ArrayInput, opts: { toEnd?: ArrayInput; toBegin?: ArrayInput } = {}): Array {
  const x = ravel(arr("ediff1d", ary));
  const m = x.shape[0]!;
  let r = lax.sub(sliceAxis(x, 0, 1, null), sliceAxis(x, 0, 0, Math.max(m - 1, 0)));
  if (opts.toBegin !== undefined) r = lax.concatenate([ravel(asDType(arr("ediff1d", opts.toBegin, "toBegin"), x.dtype)), r], 0);
  if (opts.toEnd !== undefined) r = lax.concatenate([r, ravel(asDType(arr("ediff1d", opts.toEnd, "toEnd"), x.dtype))], 0);
  return r;
}

/**
 * jnp.gradient(f, ...spacing, {axis}): central differences inside, one-sided
 * at the edges (edge_order 1); spacing is one scalar or 1-D coordinate array
 * per axis (or one for all). One array for a single axis, else a list.
 */
export function gradient(f: ArrayInput, ...rest: (ArrayInput | { axis?: Axis })[]): Array | Array[] {
  const last = rest[rest.length - 1];
  const o = isOptions(last) ? (rest.pop() as { axis?: Axis }) : {};
  const varargs = rest as ArrayInput[];
  const [a, ...spacing] = promoteDtypes("gradient", [arr("gradient", f), ...varargs.map((v, i) => arr("gradient", v, `spacing ${i}`))], { toFloat: true });
  const axes = normAxes("gradient", o.axis, a!.ndim);
  if (axes.length === 0) return [];
  if (axes.some((ax) => a!.shape[ax]! < 2)) {
    throw new RangeError(`[gradient] shape of array too small to calculate a numerical gradient, at least 2 elements are required: ${fmt(a!)}`);
  }
  let dx: Array[];
  if (spacing.length === 0) dx = axes.map(() => scalar(1, a!.dtype, false));
  else if (spacing.length === 1) dx = axes.map(() => spacing[0]!);
  else if (spacing.length === axes.length) dx = spacing;
  else throw new TypeError(`[gradient] invalid number of spacing arguments ${spacing.length} for axis ${JSON.stringify(o.axis)}`);
  const along = (x: Array, h: Array, axis: number): Array => {
    const s = (lo: number | null, hi: number | null) => sliceAxis(x, axis, lo, hi);
    let upper = lax.sub(s(1, 2), s(0, 1));
    let lower = lax.sub(s(-1, null), s(-2, -1));
    let inner: Array;
    if (h.ndim === 0) {
      inner = lax.div(lax.mul(lax.sub(s(2, null), s(null, -2)), constLike(x, 0.5)), h);
      lower = lax.div(lower, h);
      upper = lax.div(upper, h);
    } else if (h.ndim === 1) {
      if (h.shape[0] !== x.shape[axis]) {
        throw new TypeError(`[gradient] spacing arrays must have the same length as the dimension along which the gradient is calculated: ${fmt(h)} for axis ${axis} of ${fmt(x)}`);
      }
      const hs = reshape(h, x.shape.map((d, i) => (i === axis ? d : 1)));
      const sh = (lo: number | null, hi: number | null) => sliceAxis(hs, axis, lo, hi);
      upper = lax.div(upper, lax.sub(sh(1, 2), sh(0, 1)));
      lower = lax.div(lower, lax.sub(sh(-1, null), sh(-2, -1)));
      const dx1 = lax.sub(sh(1, -1), sh(0, -2));
      const dx2 = lax.sub(sh(2, null), sh(1, -1));
      const ca = lax.div(lax.neg(dx2), lax.mul(dx1, lax.add(dx1, dx2)));
      const cb = lax.div(lax.sub(dx2, dx1), lax.mul(dx1, dx2));
      const cc = lax.div(dx1, lax.mul(dx2, lax.add(dx1, dx2)));
      inner = lax.add(lax.add(lax.mul(ca, s(0, -2)), lax.mul(cb, s(1, -1))), lax.mul(cc, s(2, null)));
    } else {
      throw new TypeError(`[gradient] spacing arrays must be 1-D arrays or scalars, got ${fmt(h)}`);
    }
    return lax.concatenate([upper, inner, lower], axis);
  };
  const grads = axes.map((ax, i) => along(a!, dx[i]!, ax));
  return axes.length === 1 ? grads[0]! : grads;
}

/** jnp.trapezoid: integral by the trapezoid rule along an axis, with sample points `x` or spacing `dx`. */
export function trapezoid(y: ArrayInput, opts: { x?: ArrayInput | null; dx?: ArrayInput; axis?: number } = {}): Array {
  const axis = opts.axis ?? -1;
  let ya: Array;
  let dxa: Array;
  if (opts.x === undefined || opts.x === null) {
    [ya] = promoteDtypes("trapezoid", [arr("trapezoid", y, "y")], { toFloat: true }) as [Array];
    dxa = arr("trapezoid", opts.dx ?? 1.0, "dx");
    if (dxa.ndim > 0) {
      dxa = lax.expandDims(dxa, range(ya.ndim - dxa.ndim));
      dxa = moveaxis(dxa, axis, -1);
    }
  } else {
    const [yp, xp] = promoteDtypes("trapezoid", [arr("trapezoid", y, "y"), arr("trapezoid", opts.x, "x")], { toFloat: true }) as [Array, Array];
    ya = yp;
    dxa = xp.ndim === 1 ? diff(xp) : moveaxis(diff(xp, { axis }), axis, -1);
  }
  ya = moveaxis(ya, axis, -1);
  const last = ya.ndim - 1;
  const m = ya.shape[last]!;
  if (dxa.ndim === 0 || dxa.shape[dxa.ndim - 1] === 1) {
    const dxr = dxa.ndim === 0 ? dxa : indexAxis(dxa, dxa.ndim - 1, 0);
    const ends = m === 0 ? fullLike(sum(ya, last), 0) : lax.add(indexAxis(ya, last, 0), indexAxis(ya, last, -1));
    return multiplyB(dxr, lax.sub(sum(ya, last), lax.mul(constLike(ya, 0.5), ends)));
  }
  const mid = lax.add(sliceAxis(ya, last, 1, null), sliceAxis(ya, last, 0, Math.max(m - 1, 0)));
  return lax.mul(constLike(ya, 0.5), sum(multiplyB(dxa, mid), -1));
}

/** Multiply with NumPy broadcasting (same dtypes). */
function multiplyB(x: Array, y: Array): Array {
  const [a, b] = promote("multiply", [x, y]);
  return lax.mul(a!, b!);
}

// ---------------------------------------------------------------------------
// cross, convolve, correlate

export interface CrossOptions {
  axisa?: number;
  axisb?: number;
  axisc?: number;
  /** sets axisa, axisb and axisc together */
  axis?: number;
}

/** jnp.cross: the cross product of 2- or 3-vectors along the given axes (2 x 2 gives the scalar z). */
export function cross(a: ArrayInput, b: ArrayInput, opts: CrossOptions = {}): Array {
  let { axisa = -1, axisb = -1, axisc = -1 } = opts;
  if (opts.axis !== undefined) axisa = axisb = axisc = opts.axis;
  const [pa, pb] = promoteDtypes("cross", [arr("cross", a, "a"), arr("cross", b, "b")]);
  if (pa!.ndim === 0 || pb!.ndim === 0) throw new TypeError(`[cross] inputs must be at least 1-D, got ${fmt(pa!)} and ${fmt(pb!)}`);
  const x = moveaxis(pa!, axisa, -1);
  const y = moveaxis(pb!, axisb, -1);
  const nx = x.shape[x.ndim - 1]!;
  const ny = y.shape[y.ndim - 1]!;
  if (![2, 3].includes(nx) || ![2, 3].includes(ny)) {
    throw new TypeError(`[cross] dimension must be either 2 or 3 for cross product, got ${fmt(pa!)} (axis ${axisa}) and ${fmt(pb!)} (axis ${axisb})`);
  }
  const comp = (v: Array, i: number) => indexAxis(v, v.ndim - 1, i);
  const mul = (u: Array, v: Array) => multiplyB(u, v);
  const sub = (u: Array, v: Array) => {
    const [p, q] = promote("subtract", [u, v]);
    return p!.dtype === bool ? lax.bitwiseXor(p!, q!) : lax.sub(p!, q!);
  };
  if (nx === 2 && ny === 2) return sub(mul(comp(x, 0), comp(y, 1)), mul(comp(x, 1), comp(y, 0)));
  const a0 = comp(x, 0);
  const a1 = comp(x, 1);
  const a2 = nx === 3 ? comp(x, 2) : fullLike(a0, 0);
  const b0 = comp(y, 0);
  const b1 = comp(y, 1);
  const b2 = ny === 3 ? comp(y, 2) : fullLike(b0, 0);
  const cs = broadcastAll("cross", [sub(mul(a1, b2), mul(a2, b1)), sub(mul(a2, b0), mul(a0, b2)), sub(mul(a0, b1), mul(a1, b0))]);
  const c = lax.concatenate(cs.map((v) => lax.expandDims(v, [0])), 0);
  return moveaxis(c, 0, axisc);
}

export type ConvolveMode = "full" | "same" | "valid";
export interface ConvolveOptions {
  mode?: ConvolveMode;
  precision?: lax.PrecisionLike;
  preferredElementType?: DTypeLike;
}

/** JAX's _conv: a 1-D convolution of the longer input by the (flipped, for convolve) shorter one. */
function conv1d(op: "convolve" | "correlate", a: ArrayInput, v: ArrayInput, o: ConvolveOptions, dfltMode: ConvolveMode): Array {
  const mode = o.mode ?? dfltMode;
  const xa = arr(op, a, "a");
  const va = arr(op, v, "v");
  if (xa.ndim !== 1 || va.ndim !== 1) throw new TypeError(`[${op}] only supports 1-dimensional inputs, got ${fmt(xa)} and ${fmt(va)}`);
  let [x, y] = promoteDtypes(op, [xa, va], { toFloat: o.preferredElementType === undefined }) as [Array, Array];
  if (x.shape[0] === 0 || y.shape[0] === 0) throw new TypeError(`[${op}] inputs cannot be empty, got ${fmt(x)} and ${fmt(y)}`);
  let flipOut = false;
  if (x.shape[0]! < y.shape[0]!) {
    [x, y] = [y, x];
    if (op === "correlate") flipOut = true;
  }
  if (op === "convolve") y = reverse(y, 0);
  const m = y.shape[0]!;
  let padding: [number, number];
  if (mode === "valid") padding = [0, 0];
  else if (mode === "same") padding = [Math.floor(m / 2), m - Math.floor(m / 2) - 1];
  else if (mode === "full") padding = [m - 1, m - 1];
  else throw new TypeError(`[${op}] mode must be one of "full", "same", "valid", got ${JSON.stringify(mode)}`);
  const out = lax.convGeneralDilated(reshape(x, [1, 1, x.shape[0]!]), reshape(y, [1, 1, m]), [1], [padding], {
    precision: o.precision,
    preferredElementType: o.preferredElementType ?? null,
  });
  const r = reshape(out, [out.shape[2]!]);
  return flipOut ? reverse(r, 0) : r;
}

/** jnp.convolve(a, v, {mode}): discrete linear convolution of 1-D arrays (mode "full" by default). */
export function convolve(a: ArrayInput, v: ArrayInput, opts: ConvolveOptions = {}): Array {
  return conv1d("convolve", a, v, opts, "full");
}
/** jnp.correlate(a, v, {mode}): cross-correlation of 1-D arrays (mode "valid" by default). */
export function correlate(a: ArrayInput, v: ArrayInput, opts: ConvolveOptions = {}): Array {
  return conv1d("correlate", a, v, opts, "valid");
}

// ---------------------------------------------------------------------------
// interp, histogram, bincount, digitize

export interface InterpOptions {
  /** value below xp[0] (default fp[0]); "extrapolate" continues the first segment */
  left?: ArrayInput | "extrapolate" | null;
  /** value above xp[-1] (default fp[-1]); "extrapolate" continues the last segment */
  right?: ArrayInput | "extrapolate" | null;
  /** the period of periodic x-coordinates */
  period?: ArrayInput | null;
}

/** jnp.interp: piecewise-linear interpolation of (xp, fp) at x (xp increasing). */
export function interp(x: ArrayInput, xp: ArrayInput, fp: ArrayInput, opts: InterpOptions = {}): Array {
  const x0 = arr("interp", x, "x");
  const xp0 = arr("interp", xp, "xp");
  const fp0 = arr("interp", fp, "fp");
  if (xp0.ndim !== 1 || fp0.ndim !== 1 || xp0.shape[0] !== fp0.shape[0]) {
    throw new TypeError(`[interp] xp and fp must be one-dimensional arrays of equal size, got ${fmt(xp0)} and ${fmt(fp0)}`);
  }
  if (xp0.shape[0] === 0) throw new TypeError(`[interp] xp and fp must not be empty`);
  for (const [k, v] of [["left", opts.left], ["right", opts.right]] as const) {
    if (typeof v === "string" && v !== "extrapolate") throw new TypeError(`[interp] the only valid string value of \`${k}\` is 'extrapolate', got ${JSON.stringify(v)}`);
  }
  let [xa, xpa] = promoteDtypes("interp", [x0, xp0], { toFloat: true }) as [Array, Array];
  let [fpa] = promoteDtypes("interp", [fp0], { toFloat: true }) as [Array];
  const period = opts.period ?? null;
  if (period !== null) {
    const p0 = arr("interp", period, "period");
    if (p0.ndim !== 0) throw new TypeError(`[interp] period must be a scalar; got ${fmt(p0)}`);
    const p = lax.abs(asDType(p0, xa.dtype));
    const modp = (v: Array) => {
      const r = lax.rem(v, p);
      return lax.select(lax.bitwiseAnd(lax.ne(r, constLike(r, 0)), lax.lt(r, constLike(r, 0))), lax.add(r, p), r);
    };
    xa = modp(xa);
    xpa = modp(xpa);
    [xpa, fpa] = lax.sortKeyVal(xpa, fpa) as [Array, Array];
    const k = xpa.shape[0]!;
    xpa = lax.concatenate([lax.sub(sliceAxis(xpa, 0, k - 1, k), p), xpa, lax.add(sliceAxis(xpa, 0, 0, 1), p)], 0);
    fpa = lax.concatenate([sliceAxis(fpa, 0, k - 1, k), fpa, sliceAxis(fpa, 0, 0, 1)], 0);
  }
  const k = xpa.shape[0]!;
  const i = lax.clamp(scalar(1, int32, false), searchsorted(xpa, xa, { side: "right" }), scalar(Math.max(k - 1, 1), int32, false));
  const im1 = lax.sub(i, scalar(1, int32, false));
  const at = (v: Array, idx: Array) => take(v, idx, 0, { mode: "clip" });
  const fi = at(fpa, i);
  const fim1 = at(fpa, im1);
  const df = lax.sub(fi, fim1);
  const dx = lax.sub(at(xpa, i), at(xpa, im1));
  const delta = lax.sub(xa, at(xpa, im1));
  // np.spacing(finfo(dtype).eps): the spacing of the numbers around eps.
  const eps = xpa.dtype.name === "float64" ? 2 ** -104 : xpa.dtype.name === "float16" ? 2 ** -20 : 2 ** -46;
  const dx0 = lax.le(lax.abs(dx), constLike(dx, eps));
  const safeDx = lax.select(dx0, fullLike(dx, 1), dx);
  let f = lax.select(dx0, fim1, lax.add(fim1, lax.mul(lax.div(delta, asDType(safeDx, delta.dtype)), asDType(df, delta.dtype))));
  f = asDType(f, fpa.dtype);
  if (period === null) {
    if (opts.left !== "extrapolate") {
      const leftV = opts.left === undefined || opts.left === null ? indexAxis(fpa, 0, 0) : arr("interp", opts.left, "left");
      f = where3("interp", lax.lt(xa, indexAxis(xpa, 0, 0)), leftV, f);
    }
    if (opts.right !== "extrapolate") {
      const rightV = opts.right === undefined || opts.right === null ? indexAxis(fpa, 0, -1) : arr("interp", opts.right, "right");
      f = where3("interp", lax.gt(xa, indexAxis(xpa, 0, -1)), rightV, f);
    }
  }
  return f;
}

export interface HistogramOptions {
  /** the number of equal-width bins (default 10), or the bin edges (1-D, increasing) */
  bins?: number | Array;
  /** [lower, upper] for integer bins (default [min, max] of a) */
  range?: readonly [ArrayInput, ArrayInput] | null;
  weights?: ArrayInput | null;
  /** normalize so the histogram integrates to 1 */
  density?: boolean;
}

/** jnp.histogram_bin_edges: the bin edges histogram would use. */
export function histogramBinEdges(a: ArrayInput, opts: Omit<HistogramOptions, "density"> = {}): Array {
  const x = arr("histogram_bin_edges", a);
  const d = toInexact(x.dtype);
  const bins = opts.bins ?? 10;
  if (bins instanceof Array) {
    if (bins.ndim !== 1) throw new TypeError(`[histogram_bin_edges] bins must be an integer or a 1-D array of edges, got ${fmt(bins)}`);
    return asDType(bins, d);
  }
  if (!Number.isInteger(bins) || bins < 1) throw new TypeError(`[histogram_bin_edges] bins must be a positive integer, got ${bins}`);
  let lo: Array, hi: Array;
  if (opts.range === undefined || opts.range === null) {
    if (x.size === 0) {
      lo = scalar(0, d, false);
      hi = scalar(1, d, false);
    } else {
      lo = asDType(lax.reduceMin(x, range(x.ndim)), d);
      hi = asDType(lax.reduceMax(x, range(x.ndim)), d);
    }
  } else {
    if (!globalThis.Array.isArray(opts.range) || opts.range.length !== 2) {
      throw new TypeError(`[histogram_bin_edges] range must be null or a pair [lower, upper], got ${JSON.stringify(opts.range)}`);
    }
    lo = asDType(arr("histogram_bin_edges", opts.range[0], "range[0]"), d);
    hi = asDType(arr("histogram_bin_edges", opts.range[1], "range[1]"), d);
  }
  const same = lax.eq(hi, lo);
  lo = lax.select(same, lax.sub(lo, constLike(lo, 0.5)), lo);
  hi = lax.select(same, lax.add(hi, constLike(hi, 0.5)), hi);
  // jnp.linspace(lo, hi, bins + 1): lo * (1 - t) + hi * t for t = i / bins, then hi exactly.
  const t = lax.div(lax.iota(d, bins), scalar(bins, d, false));
  const inner = lax.add(lax.mul(lo, lax.sub(constLike(t, 1), t)), lax.mul(hi, t));
  return lax.concatenate([inner, lax.expandDims(hi, [0])], 0);
}

/**
 * The bin of each x for increasing edges e[0..k-1]: 0 below e[0], i for
 * e[i-1] <= x < e[i], k above e[k-1]; x equal to the last edge goes into the
 * last bin (JAX's histogram sets it to k-1 ("last"), histogramdd subtracts one
 * from its index ("previous"); the same for increasing edges).
 */
function binIndex(edges: Array, x: Array, lastEdge: "last" | "previous"): Array {
  const idx = searchsorted(edges, x, { side: "right" });
  const atLast = lax.eq(asDType(x, edges.dtype), indexAxis(edges, 0, -1));
  const moved = lastEdge === "last" ? full(idx.shape, edges.shape[0]! - 1, int32) : lax.sub(idx, constLike(idx, 1));
  return lax.select(atLast, moved, idx);
}

/** jnp.histogram: [counts (float, or weighted sums), bin edges]; the last bin includes its right edge. */
export function histogram(a: ArrayInput, opts: HistogramOptions = {}): [Array, Array] {
  const x0 = arr("histogram", a);
  let x: Array, w: Array;
  if (opts.weights === undefined || opts.weights === null) {
    [x] = promoteDtypes("histogram", [x0], { toFloat: true }) as [Array];
    w = fullLike(x, 1);
  } else {
    const w0 = arr("histogram", opts.weights, "weights");
    if (w0.ndim !== x0.ndim || w0.shape.some((d, i) => d !== x0.shape[i])) {
      throw new TypeError(`[histogram] weights should have the same shape as a, got ${fmt(w0)} and ${fmt(x0)}`);
    }
    [x, w] = promoteDtypes("histogram", [x0, w0], { toFloat: true }) as [Array, Array];
  }
  const edges = histogramBinEdges(x, { bins: opts.bins, range: opts.range });
  const ne = edges.shape[0]!;
  const xf = ravel(x);
  const idx = binIndex(edges, xf, "last");
  const counts = sliceAxis(scatterAdd1d(ne, idx, ravel(w), w.dtype), 0, 1, null);
  if (!opts.density) return [counts, edges];
  const widths = diff(edges);
  return [lax.div(lax.div(counts, asDType(widths, counts.dtype)), lax.reduceSum(counts, [0])), edges];
}

/** Bins of one dimension of histogramdd/histogram2d: a count or the edges. */
export type HistogramBins = number | Array;

export interface HistogramddOptions {
  /** the bins of every dimension (a count, default 10), or one count or edge array per dimension */
  bins?: HistogramBins | readonly HistogramBins[];
  /** per dimension, null or [lower, upper] (default: the data's range) */
  range?: readonly (readonly [ArrayInput, ArrayInput] | null)[] | null;
  /** one weight per sample (shape [N]) */
  weights?: ArrayInput | null;
  /** normalize so the histogram integrates to 1 over the bins' volume */
  density?: boolean;
}

/** A bins entry given as a 0-d array means a count (Python's operator.index), which must be concrete. */
function binsEntry(op: string, b: HistogramBins): HistogramBins {
  if (!(b instanceof Array) || b.ndim !== 0) return b;
  const c = b instanceof Tracer ? b.toConcrete() : b;
  if (c === null) throw new TypeError(`[${op}] a bin count must be concrete, got the traced ${fmt(b)}`);
  const v = c.item() as number;
  if (!Number.isInteger(v)) throw new TypeError(`[${op}] bins must be integers or 1-D arrays of edges, got ${v}`);
  return v;
}

/** Split an array of bins along its first axis, as Python's list(bins). */
const splitBins = (b: Array): Array[] => globalThis.Array.from({ length: b.shape[0]! }, (_, i) => indexAxis(b, 0, i));

/**
 * jnp.histogramdd(sample, {bins, range, weights, density}): the histogram of N
 * points in D dimensions (sample [N, D]), as [counts, edges per dimension].
 * Counts are int32 (JAX's bincount) unless weighted or normalized.
 */
export function histogramdd(sample: ArrayInput, opts: HistogramddOptions = {}): [Array, Array[]] {
  return histogramddImpl("histogramdd", sample, opts);
}

function histogramddImpl(op: string, sample: ArrayInput, opts: HistogramddOptions): [Array, Array[]] {
  const s0 = arr(op, sample, "sample");
  if (s0.ndim !== 2) throw new TypeError(`[${op}] sample must be a 2-D array of N points in D dimensions, got ${fmt(s0)}`);
  let x: Array;
  let w: Array | null = null;
  if (opts.weights === undefined || opts.weights === null) {
    [x] = promoteDtypes(op, [s0], { toFloat: true }) as [Array];
  } else {
    const w0 = arr(op, opts.weights, "weights");
    if (w0.ndim !== 1 || w0.shape[0] !== s0.shape[0]) throw new TypeError(`[${op}] should have one weight for each sample; got ${fmt(w0)} for sample ${fmt(s0)}`);
    [x, w] = promoteDtypes(op, [s0, w0], { toFloat: true }) as [Array, Array];
  }
  const [n, d] = x.shape as [number, number];
  const ranges = opts.range ?? null;
  if (ranges !== null && (!globalThis.Array.isArray(ranges) || ranges.length !== d || ranges.some((r) => r !== null && (!globalThis.Array.isArray(r) || r.length !== 2)))) {
    throw new TypeError(`[${op}] for sample.shape=(${n}, ${d}), range must be a sequence of ${d} pairs or nulls; got ${JSON.stringify(ranges)}`);
  }
  const bins0 = opts.bins ?? 10;
  let perDim: HistogramBins[];
  if (typeof bins0 === "number" || (bins0 instanceof Array && bins0.ndim === 0)) perDim = new globalThis.Array<HistogramBins>(d).fill(bins0 as HistogramBins);
  else {
    perDim = bins0 instanceof Array ? splitBins(bins0) : [...bins0];
    if (perDim.length !== d) throw new TypeError(`[${op}] should be a bin for each dimension: got ${perDim.length} for ${d} dimensions`);
  }
  const idx: Array[] = [];
  const edges: Array[] = [];
  for (let i = 0; i < d; i++) {
    const xi = indexAxis(x, 1, i);
    const e = histogramBinEdges(xi, { bins: binsEntry(op, perDim[i]!), range: ranges === null ? null : ranges[i] });
    idx.push(binIndex(e, xi, "previous"));
    edges.push(e);
  }
  // Every dimension has an under- and an overflow bin (dropped at the end): nbins = edges + 1.
  const nbins = edges.map((e) => e.shape[0]! + 1);
  let flat: Array = full([n], 0, int32);
  let stride = 1;
  for (let i = d - 1; i >= 0; i--) {
    const ii = lax.clamp(scalar(0, int32, false), idx[i]!, scalar(nbins[i]! - 1, int32, false));
    flat = lax.add(flat, lax.mul(ii, scalar(stride, int32, false)));
    stride *= nbins[i]!;
  }
  let hist = w === null ? scatterAdd1d(stride, flat, scalar(1, int32, false), int32) : scatterAdd1d(stride, flat, w, w.dtype);
  hist = reshape(hist, nbins);
  hist = lax.slice(hist, nbins.map(() => 1), nbins.map((k) => k - 1));
  if (opts.density) {
    hist = asDType(hist, x.dtype);
    hist = lax.div(hist, lax.reduceSum(hist, range(d)));
    edges.forEach((e, i) => {
      const widths = asDType(diff(e), x.dtype);
      hist = lax.div(hist, lax.broadcastInDim(widths, hist.shape, [i]));
    });
  }
  return [hist, edges];
}

/**
 * jnp.histogram2d(x, y, {bins, range, weights, density}): the 2-D histogram of
 * points (x[i], y[i]), as [counts, x edges, y edges]. `bins` is a count, one
 * edge array for both axes, or a pair of counts/edge arrays.
 */
export function histogram2d(x: ArrayInput, y: ArrayInput, opts: HistogramddOptions = {}): [Array, Array, Array] {
  const xa = arr("histogram2d", x, "x");
  const ya = arr("histogram2d", y, "y");
  if (xa.ndim !== 1 || ya.ndim !== 1 || xa.shape[0] !== ya.shape[0]) {
    throw new TypeError(`[histogram2d] x and y must be 1-D arrays of the same length, got ${fmt(xa)} and ${fmt(ya)}`);
  }
  let bins = opts.bins ?? 10;
  // As JAX: anything of a length other than 1 or 2 is one edge array for both dimensions.
  const len = bins instanceof Array ? (bins.ndim === 0 ? 1 : bins.shape[0]!) : typeof bins === "number" ? 1 : bins.length;
  if (len !== 1 && len !== 2) {
    const e = bins instanceof Array ? bins : arr("histogram2d", bins as unknown as ArrayInput, "bins");
    bins = [e, e];
  }
  const [xp, yp] = promoteDtypes("histogram2d", [xa, ya]) as [Array, Array];
  const sample = lax.concatenate([lax.expandDims(xp, [1]), lax.expandDims(yp, [1])], 1);
  const [hist, edges] = histogramddImpl("histogram2d", sample, { ...opts, bins });
  return [hist, edges[0]!, edges[1]!];
}

export interface BincountOptions {
  weights?: ArrayInput | null;
  /** the minimum output length */
  minlength?: number;
  /** a static output length (required under jit/vmap; larger values are dropped) */
  length?: number;
}

/** jnp.bincount: occurrences (or summed weights) of each non-negative integer; negative values count as 0. */
export function bincount(x: ArrayInput, opts: BincountOptions = {}): Array {
  let xa = arr("bincount", x);
  if (xa.dtype === bool) xa = lax.convertElementType(xa, int32);
  if (!xa.dtype.isInteger) throw new TypeError(`[bincount] x must have an integer type; got ${fmt(xa)}`);
  if (xa.ndim !== 1) throw new TypeError(`[bincount] only 1-dimensional input is supported, got ${fmt(xa)}`);
  const minlength = opts.minlength ?? 0;
  if (!Number.isInteger(minlength) || minlength < 0) throw new RangeError(`[bincount] minlength must be a non-negative integer, got ${minlength}`);
  let length = opts.length;
  if (length === undefined) {
    if (xa instanceof Tracer && xa.toConcrete() === null) {
      throw new TypeError(`[bincount] the output length depends on the values of the traced ${fmt(xa)}; pass a static \`length\``);
    }
    const data = (xa instanceof Tracer ? xa.toConcrete()! : xa).dataSync();
    let mx = -1;
    for (const v of data) mx = Math.max(mx, v);
    length = Math.max(minlength, data.length ? Math.max(0, mx) + 1 : 0);
  }
  const idx = lax.max(xa, constLike(xa, 0));
  if (opts.weights === undefined || opts.weights === null) return scatterAdd1d(length, idx, scalar(1, int32, false), int32);
  const w = arr("bincount", opts.weights, "weights");
  if (w.ndim !== 1 || w.shape[0] !== xa.shape[0]) throw new TypeError(`[bincount] weights must have the shape of x: ${fmt(w)} vs ${fmt(xa)}`);
  return scatterAdd1d(length, idx, w, w.dtype);
}

/** jnp.digitize: the bin index of each x (bins increasing or decreasing); `right` closes bins on the right. */
export function digitize(x: ArrayInput, bins: ArrayInput, opts: { right?: boolean; method?: "scan" | "sort" | "compare_all" } = {}): Array {
  const xa = arr("digitize", x, "x");
  const b = arr("digitize", bins, "bins");
  if (b.ndim !== 1) throw new TypeError(`[digitize] bins must be a 1-dimensional array; got ${fmt(b)}`);
  const n = b.shape[0]!;
  if (n === 0) return full(xa.shape, 0, int32);
  const side = opts.right ? "left" : "right";
  const inc = searchsorted(b, xa, { side, method: opts.method });
  const dec = lax.sub(scalar(n, int32, false), searchsorted(reverse(b, 0), xa, { side, method: opts.method }));
  return where3("digitize", lax.ge(indexAxis(b, 0, -1), indexAxis(b, 0, 0)), inc, dec);
}

// ---------------------------------------------------------------------------
// unwrap, cov, corrcoef

export interface UnwrapOptions {
  /** jumps smaller than this are left alone (default period / 2) */
  discont?: ArrayInput | null;
  /** default -1 */
  axis?: number;
  /** default 2 pi */
  period?: ArrayInput;
}

/** jnp.unwrap: remove jumps larger than `discont` by adding multiples of `period` (cumulatively along an axis). */
export function unwrap(p: ArrayInput, opts: UnwrapOptions = {}): Array {
  const [pa, per] = promoteDtypes("unwrap", [arr("unwrap", p), opts.period ?? 2 * Math.PI]) as [Array, Array];
  if (pa.ndim === 0) throw new TypeError(`[unwrap] p must be at least 1-D, got ${fmt(pa)}`);
  const axis = normAxis("unwrap", opts.axis ?? -1, pa.ndim);
  if (pa.shape[axis] === 0) return pa;
  const isInt = pa.dtype.isInteger;
  const discont = opts.discont === undefined || opts.discont === null ? trueDivideB(per, 2) : arr("unwrap", opts.discont, "discont");
  const interval = isInt ? floorDivideB(per, 2) : trueDivideB(per, 2);
  const dd = diff(pa, { axis });
  let ddmod = subtractB(remainderB(addB(dd, interval), per), interval);
  ddmod = where3("unwrap", lax.bitwiseAnd(eqB(ddmod, negB(interval)), lax.gt(dd, constLike(dd, 0))), interval, ddmod);
  const correct = where3("unwrap", ltB(lax.abs(dd), discont), 0, subtractB(ddmod, dd));
  const first = sliceAxis(pa, axis, 0, 1);
  const rest = sliceAxis(pa, axis, 1, null);
  const shifted = addB(rest, cumsum(correct, axis));
  return concat(promoteDtypes("unwrap", [first, shifted]), axis);
}

// Small elementwise helpers with jnp promotion and broadcasting (the ufuncs, without importing them all).
const binB = (f: (a: Array, b: Array) => Array, opts: { toFloat?: boolean; numeric?: boolean } = {}) => (x: ArrayInput, y: ArrayInput) => {
  const [a, b] = promote("unwrap", [x, y], opts);
  return f(a!, b!);
};
const addB = binB(lax.add);
const subtractB = binB(lax.sub);
const trueDivideB = binB(lax.div, { toFloat: true });
const eqB = binB(lax.eq);
const ltB = binB(lax.lt);
const negB = (x: Array) => lax.neg(x);
function floorDivideB(x: Array, y: ArrayInput): Array {
  const [a, b] = promote("unwrap", [x, y]);
  const q = lax.div(a!, b!);
  const fix = lax.bitwiseAnd(lax.ne(lax.sign(a!), lax.sign(b!)), lax.ne(lax.rem(a!, b!), constLike(a!, 0)));
  return lax.select(fix, lax.sub(q, constLike(q, 1)), q);
}
function remainderB(x: Array, y: ArrayInput): Array {
  const [a, b] = promote("unwrap", [x, y], { numeric: true });
  const zero = constLike(a!, 0);
  const trunc = lax.rem(a!, b!);
  const plus = lax.bitwiseAnd(lax.ne(lax.lt(trunc, zero), lax.lt(b!, zero)), lax.ne(trunc, zero));
  return lax.select(plus, lax.add(trunc, b!), trunc);
}

export interface CovOptions {
  /** a second set of variables, stacked after m's */
  y?: ArrayInput | null;
  /** each row is a variable (default true); false: each column is */
  rowvar?: boolean;
  /** normalize by N instead of N - 1 */
  bias?: boolean;
  ddof?: number | null;
  /** integer frequency weights per observation */
  fweights?: ArrayInput | null;
  /** observation weights */
  aweights?: ArrayInput | null;
  dtype?: DTypeLike;
}

const atLeast2d = (x: Array): Array => (x.ndim >= 2 ? x : reshape(x, [1, ...(x.ndim === 1 ? x.shape : [1])]));

/** jnp.cov: the covariance matrix of the variables (rows by default), optionally weighted. */
export function cov(m: ArrayInput, opts: CovOptions = {}): Array {
  const rowvar = opts.rowvar ?? true;
  let mm: Array;
  let yy: Array | null = null;
  if (opts.y !== undefined && opts.y !== null) {
    [mm, yy] = promoteDtypes("cov", [arr("cov", m, "m"), arr("cov", opts.y, "y")], { toFloat: true }) as [Array, Array];
    if (yy!.ndim > 2) throw new TypeError(`[cov] y has more than 2 dimensions: ${fmt(yy!)}`);
  } else {
    [mm] = promoteDtypes("cov", [arr("cov", m, "m")], { toFloat: true }) as [Array];
  }
  if (mm.ndim > 2) throw new TypeError(`[cov] m has more than 2 dimensions: ${fmt(mm)}`);
  if (opts.dtype !== undefined && userDType("cov", opts.dtype).kind !== "f") {
    throw new TypeError(`[cov] dtype must be a float dtype; got ${String(opts.dtype)}`);
  }
  let X = atLeast2d(mm);
  if (!rowvar && mm.ndim !== 1) X = lax.transpose(X, [1, 0]);
  if (X.shape[0] === 0) return full([0, 0], 0, X.dtype);
  if (yy) {
    let y2 = atLeast2d(yy);
    if (!rowvar && y2.shape[0] !== 1) y2 = lax.transpose(y2, [1, 0]);
    X = concat(promoteDtypes("cov", [X, y2]), 0);
  }
  const nVars = X.shape[0]!;
  const nObs = X.shape[1]!;
  if (nObs === 0) return full(nVars === 1 ? [] : [nVars, nVars], NaN, X.dtype);
  const ddof = opts.ddof ?? (opts.bias ? 0 : 1);
  let w: Array | null = null;
  let aw: Array | null = null;
  if (opts.fweights !== undefined && opts.fweights !== null) {
    const fw = arr("cov", opts.fweights, "fweights");
    if (fw.ndim > 1) throw new TypeError(`[cov] cannot handle multidimensional fweights: ${fmt(fw)}`);
    if (fw.shape[0] !== nObs) throw new TypeError(`[cov] incompatible numbers of samples and fweights: ${nObs} and ${fmt(fw)}`);
    if (!fw.dtype.isInteger) throw new TypeError(`[cov] fweights must be integer, got ${fmt(fw)}`);
    w = lax.abs(fw);
  }
  if (opts.aweights !== undefined && opts.aweights !== null) {
    const a0 = arr("cov", opts.aweights, "aweights");
    if (a0.ndim > 1) throw new TypeError(`[cov] cannot handle multidimensional aweights: ${fmt(a0)}`);
    if (a0.shape[0] !== nObs) throw new TypeError(`[cov] incompatible numbers of samples and aweights: ${nObs} and ${fmt(a0)}`);
    aw = a0.dtype.kind === "u" ? a0 : lax.abs(a0);
    w = w === null ? aw : (promote("cov", [w, aw]).reduce((p, q) => lax.mul(p, q)) as Array);
  }
  if (opts.dtype !== undefined) {
    const d = userDType("cov", opts.dtype);
    X = asDType(X, d);
    if (w) w = asDType(w, d);
  }
  const [avg, wsum0] = average(X, { axis: 1, weights: w ? broadcastTo("cov", reshape(w, [1, nObs]), X.shape) : null, returned: true });
  const wsum = indexAxis(wsum0, 0, 0);
  let f: Array;
  if (w === null) f = scalar(nObs - ddof, X.dtype, false);
  else if (ddof === 0) f = wsum;
  else if (aw === null) f = lax.sub(wsum, constLike(wsum, ddof));
  else {
    const [ww, aa] = promote("cov", [w, aw]);
    f = lax.sub(wsum, lax.div(lax.mul(constLike(wsum, ddof), asDType(sum(lax.mul(ww!, aa!)), wsum.dtype)), wsum));
  }
  const Xc = lax.sub(X, lax.expandDims(avg, [1]));
  const XT = lax.transpose(w === null ? Xc : lax.mul(Xc, asDType(broadcastTo("cov", reshape(w, [1, nObs]), Xc.shape), Xc.dtype)), [1, 0]);
  const prodXX = lax.dotGeneral(Xc, XT, [[[1], [0]], [[], []]]);
  const out = lax.div(prodXX, asDType(f, prodXX.dtype));
  return nVars === 1 ? reshape(out, []) : out;
}

/** jnp.corrcoef: Pearson correlation coefficients (cov normalized by the standard deviations, clipped to [-1, 1]). */
export function corrcoef(x: ArrayInput, opts: { y?: ArrayInput | null; rowvar?: boolean; dtype?: DTypeLike } = {}): Array {
  const c = cov(x, { y: opts.y, rowvar: opts.rowvar, dtype: opts.dtype });
  if (c.ndim === 0) return lax.div(c, c);
  const n = c.shape[0]!;
  const d = lax.gather(
    c,
    lax.concatenate([lax.reshape(lax.iota(int32, n), [n, 1]), lax.reshape(lax.iota(int32, n), [n, 1])], 1),
    { offsetDims: [], collapsedSliceDims: [0, 1], startIndexMap: [0, 1] },
    [1, 1],
  );
  const sd = lax.sqrt(d);
  const r = lax.div(lax.div(c, lax.broadcastInDim(sd, [n, n], [0])), lax.broadcastInDim(sd, [n, n], [1]));
  return clip(r, -1, 1);
}
