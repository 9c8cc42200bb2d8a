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

// ---------------------------------------------------------------------------
// Transformation rules (JVP, batching), as JAX's in lax.py.
//
// - sort: the permutation is found by sorting an iota along with the operands;
//   each nonzero tangent is gathered through it (JAX's _sort_jvp), so the linear
//   part is a gather, transposed into a scatter-add.
// - top_k: the tangent is gathered at the returned indices (JAX's _top_k_jvp);
//   the indices have no tangent.
// - Both batch by keeping the batch axis where it is and shifting the sorted axis.
import { uint32 } from "../dtypes.js";
import { gather, GatherDimensionNumbers } from "./indexing.js";
import { broadcastInDim, broadcastedIota, expandDims, reshape } from "./structural.js";
import { setJvp } from "../transforms/jvp.js";
import { moveaxis, setBatch } from "../transforms/vmap.js";

const range = (n: number): number[] => [...globalThis.Array(n).keys()];

/** Gather `t` along `axis` at `indices` (shape of the output plus a trailing 1), the other axes paired up. */
function gatherAlong(t: Array, indices: Array, axis: number): Array {
  const others = range(t.ndim).filter((i) => i !== axis);
  const dnums = new GatherDimensionNumbers({
    offsetDims: [],
    collapsedSliceDims: [axis],
    startIndexMap: [axis],
    operandBatchingDims: others,
    startIndicesBatchingDims: others,
  });
  return gather(t, indices, dnums, t.aval.shape.map(() => 1));
}

setJvp(sortP, (primals, tangents, params: SortParams) => {
  const shape = primals[0]!.aval.shape;
  const sorted = sortP.bind([...primals, broadcastedIota(uint32, shape, params.dimension)], params);
  const perm = expandDims(sorted[sorted.length - 1]!, [shape.length]);
  return [sorted.slice(0, -1), tangents.map((t) => (t === null ? null : gatherAlong(t, perm, params.dimension)))];
});

setJvp(topKP, ([x], [t], params: TopKParams) => {
  const [values, indices] = topKP.bind([x!], params);
  const idx = reshape(indices!, [...indices!.aval.shape, 1]);
  return [
    [values!, indices!],
    [t === null ? null : gatherAlong(t, idx, params.axis), null],
  ];
});

// JAX's _sort_batch_rule: the batch axis of the first batched operand is kept;
// the others are moved there or broadcast along it.
setBatch(sortP, (xs, dims, params: SortParams) => {
  const k = dims.findIndex((d) => d !== null);
  const b = dims[k]!;
  const proto = xs[k]!;
  const args = xs.map((x, i) => {
    const d = dims[i] ?? null;
    if (d === null) return broadcastInDim(x, proto.aval.shape, range(proto.ndim).filter((j) => j !== b));
    return moveaxis(x, d, b);
  });
  const dimension = params.dimension + (b <= params.dimension ? 1 : 0);
  return [sortP.bind(args, { ...params, dimension }), args.map(() => b)];
});

setBatch(topKP, ([x], [d], params: TopKParams) => {
  const b = d!;
  return [topKP.bind([x!], { ...params, axis: b <= params.axis ? params.axis + 1 : params.axis }), [b, b]];
});
