// Sorting primitives: `sort` (several operands sorted together along one
// dimension, lexicographically by the first `num_keys`) and `top_k` (the k
// largest entries along an axis, with their int32 indices).
//
// Orders, as XLA/JAX define them:
// - sort: floats compare with -0.0 == 0.0 and every NaN (either sign) after +inf;
//   equal keys keep their input order when `is_stable`.
// - top_k: floats follow the IEEE total order -NaN < -inf < ... < -0.0 < 0.0 <
//   ... < inf < NaN; among equal values the lower index comes first.
import { Array, asArray, type ArrayInput } from "../array.js";
import { int32 } from "../dtypes.js";
import { ShapedArray, fmtAval, normalizeAxis, shapeEqual } from "../shape.js";
import { defineMultiPrimitive } from "./define.js";

export interface SortParams {
  dimension: number;
  is_stable: boolean;
  num_keys: number;
}

export const sortP = defineMultiPrimitive("sort", (avals, { dimension, is_stable, num_keys }: SortParams) => {
  if (avals.length === 0) throw new TypeError("[sort] requires at least one operand");
  const a0 = avals[0]!;
  for (const a of avals) {
    if (!shapeEqual(a.shape, a0.shape)) {
      throw new TypeError(`[sort] operands must have equal shapes, got ${avals.map(fmtAval).join(", ")}`);
    }
  }
  if (a0.ndim === 0) throw new TypeError(`[sort] operands must have rank >= 1, got ${avals.map(fmtAval).join(", ")}`);
  if (!Number.isInteger(dimension) || dimension < 0 || dimension >= a0.ndim) {
    throw new RangeError(`[sort] dimension ${dimension} is out of bounds for operands ${avals.map(fmtAval).join(", ")}`);
  }
  if (!Number.isInteger(num_keys) || num_keys < 1 || num_keys > avals.length) {
    throw new RangeError(`[sort] num_keys=${num_keys} must be between 1 and the number of operands (${avals.length})`);
  }
  if (typeof is_stable !== "boolean") throw new TypeError(`[sort] is_stable must be a boolean, got ${String(is_stable)}`);
  return avals;
});

export interface TopKParams {
  k: number;
  axis: number;
}

export const topKP = defineMultiPrimitive("top_k", ([x, ...rest], { k, axis }: TopKParams) => {
  if (!x || rest.length > 0) throw new TypeError(`[top_k] takes one operand, got ${rest.length + (x ? 1 : 0)}`);
  if (x.ndim === 0) throw new TypeError(`[top_k] operand must have rank >= 1, got ${fmtAval(x)}`);
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.ndim) {
    throw new RangeError(`[top_k] axis ${axis} is out of bounds for ${fmtAval(x)}`);
  }
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`[top_k] k must be a non-negative integer, got ${k}`);
  if (k > x.shape[axis]!) {
    throw new RangeError(`[top_k] k=${k} is larger than the size ${x.shape[axis]} of axis ${axis} of ${fmtAval(x)}`);
  }
  if (x.shape[axis]! > 2 ** 31) {
    throw new RangeError(`[top_k] axis ${axis} of ${fmtAval(x)} is too long for int32 indices`);
  }
  const shape = x.shape.slice();
  shape[axis] = k;
  return [new ShapedArray(shape, x.dtype, x.weakType), new ShapedArray(shape, int32, false)];
});

// ---------------------------------------------------------------------------
// lax wrappers

export interface SortOptions {
  /** The dimension to sort along (default -1, the last). */
  dimension?: number;
  /** Keep equal keys in their input order (default true). */
  isStable?: boolean;
  /** How many leading operands are keys (default 1). */
  numKeys?: number;
}

/**
 * lax.sort: sort one operand, or several operands of equal shape together
 * (lexicographically by the first `numKeys`, the rest follow the same
 * permutation). An array in gives an array out; a list gives a list.
 */
export function sort(operand: ArrayInput, opts?: SortOptions): Array;
export function sort(operands: readonly ArrayInput[], opts?: SortOptions): Array[];
export function sort(operand: ArrayInput | readonly ArrayInput[], opts: SortOptions = {}): Array | Array[] {
  const { dimension = -1, isStable = true, numKeys = 1 } = opts;
  if (globalThis.Array.isArray(operand)) {
    const xs = (operand as readonly ArrayInput[]).map((x) => asArray(x));
    if (xs.length === 0) throw new TypeError("[sort] requires at least one operand");
    const dim = normalizeAxis("sort", dimension, xs[0]!.ndim);
    return sortP.bind(xs, { dimension: dim, is_stable: isStable, num_keys: numKeys });
  }
  const x = asArray(operand as ArrayInput);
  const dim = normalizeAxis("sort", dimension, x.ndim);
  return sortP.bind([x], { dimension: dim, is_stable: isStable, num_keys: numKeys })[0]!;
}

/** lax.sort_key_val: sort `keys` along `dimension` and apply the same permutation to `values`. */
export function sortKeyVal(keys: ArrayInput, values: ArrayInput, dimension = -1, isStable = true): [Array, Array] {
  const k = asArray(keys);
  const dim = normalizeAxis("sort", dimension, k.ndim);
  const [sk, sv] = sortP.bind([k, asArray(values)], { dimension: dim, is_stable: isStable, num_keys: 1 });
  return [sk!, sv!];
}

/**
 * lax.top_k: the `k` largest entries along `axis` (default -1) in descending
 * order, and their int32 indices; equal values keep the lower index first.
 */
export function topK(operand: ArrayInput, k: number, opts: { axis?: number } = {}): [Array, Array] {
  const x = asArray(operand);
  const axis = normalizeAxis("top_k", opts.axis ?? -1, x.ndim);
  const [v, i] = topKP.bind([x], { k, axis });
  return [v!, i!];
}
