// jax.nn's normalizing and encoding functions: softmax, log_softmax, logsumexp
// (jax/_src/ops/special.py), logmeanexp, standardize and one_hot, with JAX's
// stable formulations: the maximum is subtracted under stop_gradient, masked
// (`where`) entries are excluded from both the maximum and the sum, and an
// infinite maximum is replaced by 0 so that all -inf rows give -inf, not NaN.
import { Array, lax, scalar, stopGradient, type ArrayInput, type DTypeLike } from "@jaxts/core";
import { arr, bool, float32, fmt, fullLike, normAxes, normAxis, prod, promote, userDType, type Axis } from "../math_helpers.js";
import { where as jnpWhere } from "../misc.js";
import { max as jnpMax, mean as jnpMean, sum as jnpSum } from "../reductions.js";
import { abs, add, clip, divide, exp, isfinite, less, log, multiply, square, subtract } from "../ufuncs.js";

const isOptions = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x);

/** `f(x, axis, opts)` or `f(x, opts)`: the axis positionally or in the options. */
function splitAxis<O extends { axis?: Axis }>(axisOrOpts: Axis | O | undefined, opts: O | undefined): O {
  if (isOptions(axisOrOpts)) return { ...(axisOrOpts as O) };
  const o = { ...(opts ?? {}) } as O;
  if (axisOrOpts !== undefined) o.axis = axisOrOpts as Axis;
  return o;
}

function checkWhere(op: string, where: ArrayInput | null | undefined, x: Array): Array | undefined {
  if (where === undefined || where === null) return undefined;
  const w = arr(op, where, "where");
  if (w.dtype !== bool) throw new TypeError(`[${op}] where must be a boolean array, got ${fmt(w)}`);
  const lead = x.ndim - w.ndim;
  if (lead < 0 || w.shape.some((d, i) => d !== 1 && d !== x.shape[lead + i])) {
    throw new RangeError(`[${op}] where ${fmt(w)} does not broadcast to the input ${fmt(x)}`);
  }
  return w;
}

export interface SoftmaxOptions {
  /** axis or axes to normalize over (default -1; null: all axes) */
  axis?: Axis;
  /** only entries where this is true take part; the others give 0 (softmax) or -inf (log_softmax) */
  where?: ArrayInput | null;
  /** the value masked entries start from (default -inf; JAX's internal `initial`) */
  initial?: number;
}

function softmaxAxis(op: string, x: Array, axis: Axis): Axis {
  // Validate here so errors name the op (jnp.max would name itself).
  normAxes(op, axis === undefined ? -1 : axis, x.ndim);
  return axis === undefined ? -1 : axis;
}

/**
 * jax.nn.softmax(x, axis = -1, where = None): exp(x - max) / sum(exp(x - max))
 * along `axis`. Differentiated by ordinary AD of this formula, as JAX does by
 * default (the maximum under stop_gradient).
 */
export function softmax(x: ArrayInput, axis?: Axis | SoftmaxOptions, opts?: SoftmaxOptions): Array {
  const o = splitAxis(axis, opts);
  const xa = arr("softmax", x);
  const ax = softmaxAxis("softmax", xa, o.axis);
  const w = checkWhere("softmax", o.where, xa);
  const initial = o.initial ?? -Infinity;
  const xMax = jnpMax(xa, ax, { where: w, initial, keepdims: true });
  const xSafe = w ? jnpWhere(w, xa, initial) : xa;
  const unnormalized = exp(subtract(xSafe, stopGradient(xMax)));
  const result = divide(unnormalized, jnpSum(unnormalized, ax, { where: w, keepdims: true }));
  return w ? jnpWhere(w, result, 0) : result;
}

/**
 * jax.nn.log_softmax(x, axis = -1, where = None): x - max - log(sum(exp(x - max)));
 * masked entries give -inf.
 */
export function logSoftmax(x: ArrayInput, axis?: Axis | SoftmaxOptions, opts?: SoftmaxOptions): Array {
  const o = splitAxis(axis, opts);
  const xa = arr("log_softmax", x);
  const ax = softmaxAxis("log_softmax", xa, o.axis);
  const w = checkWhere("log_softmax", o.where, xa);
  const xMax = jnpMax(xa, ax, { where: w, initial: -Infinity, keepdims: true });
  const xSafe = w ? jnpWhere(w, xa, -Infinity) : xa;
  const shifted = subtract(xSafe, stopGradient(xMax));
  const shiftedLogsumexp = log(jnpSum(exp(shifted), ax, { where: w, keepdims: true }));
  const result = subtract(shifted, shiftedLogsumexp);
  return w ? jnpWhere(w, result, -Infinity) : result;
}

export interface LogsumexpOptions {
  /** axis or axes to reduce (default: all) */
  axis?: Axis;
  /** scale factors for the exponentials, broadcastable to `a` */
  b?: ArrayInput | null;
  keepdims?: boolean;
  /** return [log|sum|, sign(sum)] instead of NaN for negative sums */
  returnSign?: boolean;
  /** only elements where this is true take part */
  where?: ArrayInput | null;
}

/**
 * jax.nn.logsumexp (= jax.scipy.special.logsumexp): log(sum(b · exp(a))) over
 * `axis`, stably (the finite maximum is factored out under stop_gradient).
 * With `returnSign`, returns [log|sum|, sign]; otherwise negative sums give NaN.
 */
export function logsumexp(a: ArrayInput, axis?: Axis | (LogsumexpOptions & { returnSign?: false }), opts?: LogsumexpOptions & { returnSign?: false }): Array;
export function logsumexp(a: ArrayInput, axis: Axis | (LogsumexpOptions & { returnSign: true }), opts?: LogsumexpOptions & { returnSign: true }): [Array, Array];
export function logsumexp(a: ArrayInput, axis?: Axis | LogsumexpOptions, opts?: LogsumexpOptions): Array | [Array, Array];
export function logsumexp(a: ArrayInput, axis?: Axis | LogsumexpOptions, opts?: LogsumexpOptions): Array | [Array, Array] {
  const op = "logsumexp";
  const o = splitAxis(axis, opts);
  let x = arr(op, a);
  const w = checkWhere(op, o.where, x);
  if (w) x = jnpWhere(w, x, 0);
  const hasB = o.b !== undefined && o.b !== null;
  let ax: Array;
  let bx: Array | undefined;
  if (hasB) {
    [ax, bx] = promote(op, [x, arr(op, o.b!, "b")], { toFloat: true }) as [Array, Array];
    ax = jnpWhere(lax.ne(bx, scalar(0, bx.dtype, false)), ax, -Infinity);
  } else {
    [ax] = promote(op, [x], { toFloat: true }) as [Array];
  }
  const keepdims = o.keepdims ?? false;
  const dims = normAxes(op, o.axis, ax.ndim);
  let amax = jnpMax(ax, dims, { keepdims, where: w, initial: -Infinity });
  amax = stopGradient(lax.select(isfinite(amax), amax, fullLike(amax, 0)));
  const amaxWithDims = keepdims ? amax : lax.expandDims(amax, [...dims].sort((p, q) => p - q));
  let expA = lax.exp(lax.sub(ax, lax.broadcastInDim(amaxWithDims, ax.shape, ax.shape.map((_, i) => i))));
  if (bx) expA = lax.mul(expA, bx);
  let sumexp = jnpSum(expA, dims, { keepdims, where: w });
  const sign = lax.sign(sumexp);
  sumexp = abs(sumexp);
  const out = lax.add(lax.log(sumexp), lax.convertElementType(amax, sumexp.dtype));
  if (o.returnSign) return [out, sign];
  if (hasB) return jnpWhere(less(sign, 0), scalar(NaN, out.dtype, false), out);
  return out;
}

export interface LogmeanexpOptions {
  axis?: Axis;
  where?: ArrayInput | null;
  keepdims?: boolean;
}

/** jax.nn.logmeanexp: logsumexp(x) - log(n), n the number of elements reduced (where true). */
export function logmeanexp(x: ArrayInput, axis?: Axis | LogmeanexpOptions, opts?: LogmeanexpOptions): Array {
  const op = "logmeanexp";
  const o = splitAxis(axis, opts);
  const xa = arr(op, x);
  const w = checkWhere(op, o.where, xa);
  const keepdims = o.keepdims ?? false;
  const lse = logsumexp(xa, { axis: o.axis, where: w, keepdims });
  const dims = normAxes(op, o.axis, xa.ndim);
  let count: Array;
  if (w) {
    const wb = lax.broadcastInDim(
      w.ndim < xa.ndim ? lax.reshape(w, [...new globalThis.Array(xa.ndim - w.ndim).fill(1), ...w.shape]) : w,
      xa.shape,
      xa.shape.map((_, i) => i),
    );
    count = jnpSum(wb, dims, { keepdims, dtype: lse.dtype });
  } else {
    count = scalar(prod(dims.map((d) => xa.shape[d]!)), lse.dtype, false);
  }
  return subtract(lse, log(count));
}

export interface StandardizeOptions {
  /** axis or axes to standardize over (default -1; null: all) */
  axis?: Axis;
  /** use this mean instead of x.mean(axis) */
  mean?: ArrayInput | null;
  /** use this variance instead of x.var(axis) */
  variance?: ArrayInput | null;
  /** added to the variance (default 1e-5) */
  epsilon?: ArrayInput;
  /** only these elements contribute to the mean and variance */
  where?: ArrayInput | null;
  /** "fast": mean(x²) - mean(x)² clipped at 0 (JAX's default); "stable": mean((x - mean)²) */
  algorithm?: "fast" | "stable";
}

/** jax.nn.standardize: (x - mean) / sqrt(variance + epsilon) along `axis`. */
export function standardize(x: ArrayInput, axis?: Axis | StandardizeOptions, opts?: StandardizeOptions): Array {
  const op = "standardize";
  const o = splitAxis(axis, opts);
  const xa = arr(op, x);
  const ax = o.axis === undefined ? -1 : o.axis;
  normAxes(op, ax, xa.ndim);
  const w = checkWhere(op, o.where, xa);
  const algorithm = o.algorithm ?? "fast";
  if (algorithm !== "fast" && algorithm !== "stable") {
    throw new RangeError(`[${op}] Unknown algorithm '${String(algorithm)}'. Expected 'fast' or 'stable'.`);
  }
  const m = o.mean === undefined || o.mean === null ? jnpMean(xa, ax, { keepdims: true, where: w }) : arr(op, o.mean, "mean");
  let v: Array;
  if (o.variance !== undefined && o.variance !== null) v = arr(op, o.variance, "variance");
  else if (algorithm === "stable") v = jnpMean(square(subtract(xa, m)), ax, { keepdims: true, where: w });
  else v = clip(subtract(jnpMean(square(xa), ax, { keepdims: true, where: w }), square(m)), 0);
  return multiply(subtract(xa, m), lax.rsqrt(add(v, o.epsilon ?? 1e-5)));
}

export interface OneHotOptions {
  /** result dtype (default float32) */
  dtype?: DTypeLike | null;
  /** where the class axis goes in the result (default -1) */
  axis?: number;
}

/**
 * jax.nn.one_hot(x, num_classes, dtype = float32, axis = -1): 1 where the
 * class equals the index, 0 elsewhere (indices outside [0, num_classes) give
 * all zeros).
 */
export function oneHot(x: ArrayInput, numClasses: number, opts: OneHotOptions = {}): Array {
  const op = "one_hot";
  const xa = arr(op, x);
  if (typeof numClasses !== "number" || !Number.isInteger(numClasses) || numClasses < 0) {
    throw new TypeError(`[${op}] num_classes must be a non-negative integer, got ${String(numClasses)}`);
  }
  if (xa.dtype === bool) throw new TypeError(`[${op}] indices must be integers, got ${fmt(xa)}`);
  const d = opts.dtype === undefined || opts.dtype === null ? float32 : userDType(op, opts.dtype);
  const axis = opts.axis ?? -1;
  const pos = normAxis(op, axis, xa.ndim + 1);
  const lhs = lax.expandDims(xa, [pos]);
  const rhsShape = new globalThis.Array<number>(xa.ndim + 1).fill(1);
  rhsShape[pos] = numClasses;
  const rhs = lax.broadcastedIota(xa.dtype, rhsShape, pos);
  const outShape = [...xa.shape];
  outShape.splice(pos, 0, numClasses);
  const eq = lax.eq(
    lax.broadcastInDim(lhs, outShape, outShape.map((_, i) => i)),
    lax.broadcastInDim(rhs, outShape, outShape.map((_, i) => i)),
  );
  return lax.convertElementType(eq, d, false);
}
