// Indexing primitives: dynamic_slice, dynamic_update_slice, gather and the
// scatter family (scatter, scatter-add, scatter-sub, scatter-mul, scatter-min,
// scatter-max), with XLA's semantics as JAX exposes them.
//
// Conventions taken from JAX (jax/_src/lax/slicing.py):
// - the index vector dimension of gather/scatter indices is always their last dimension;
// - dynamic_slice/dynamic_update_slice clamp start indices so the window stays in bounds;
//   the lax wrappers first wrap negative indices (i < 0 -> i + dim), as JAX's do;
// - gather modes: CLIP and PROMISE_IN_BOUNDS clamp the window start, FILL_OR_DROP returns
//   `fill_value` for every window that is not entirely in bounds;
// - scatter modes: CLIP clamps the window start, FILL_OR_DROP and PROMISE_IN_BOUNDS drop every
//   window that is not entirely in bounds (XLA's behaviour, which JAX's CPU backend shows);
// - duplicate indices: updates are applied in row-major order of the scatter (batch)
//   dimensions, so add/mul/min/max accumulate and plain `scatter` keeps the last update
//   (XLA leaves that order unspecified; JAX on CPU applies them in this order too).
import { Array, asArray, scalar, type ArrayInput } from "../array.js";
import { bool, int32, wrapInt, type DType } from "../dtypes.js";
import { Jaxpr, JaxprEqn, Var } from "../jaxpr.js";
import { ShapedArray, fmtAval } from "../shape.js";
import type { Primitive } from "../core.js";
import { checkDType, coerceOperands, definePrimitive } from "./define.js";
import { add, addP, convertElementType, lt, maxP, minP, mulP, selectN, subP } from "./elementwise.js";
import { expandDims, squeeze } from "./structural.js";

// ---------------------------------------------------------------------------
// Parameter types (printed exactly as JAX's reprs)

/** `(0,)`, `(1, 2)`, `()`: a Python tuple's repr. */
function pyTuple(xs: readonly number[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`;
}

function dimList(op: string, name: string, xs: unknown): readonly number[] {
  if (!globalThis.Array.isArray(xs) || xs.some((d) => !Number.isInteger(d))) {
    throw new TypeError(`[${op}] ${name} must be a list of integers, got ${JSON.stringify(xs)}`);
  }
  return Object.freeze([...(xs as number[])]);
}

export interface GatherDimensionNumbersLike {
  offsetDims: readonly number[];
  collapsedSliceDims: readonly number[];
  startIndexMap: readonly number[];
  operandBatchingDims?: readonly number[];
  startIndicesBatchingDims?: readonly number[];
}

/**
 * lax.GatherDimensionNumbers: how the dimensions of the operand, the indices and the
 * output of a gather relate (see XLA's Gather). Immutable; prints as JAX's NamedTuple.
 */
export class GatherDimensionNumbers implements GatherDimensionNumbersLike {
  readonly offsetDims: readonly number[];
  readonly collapsedSliceDims: readonly number[];
  readonly startIndexMap: readonly number[];
  readonly operandBatchingDims: readonly number[];
  readonly startIndicesBatchingDims: readonly number[];
  constructor(d: GatherDimensionNumbersLike) {
    this.offsetDims = dimList("gather", "offset_dims", d.offsetDims);
    this.collapsedSliceDims = dimList("gather", "collapsed_slice_dims", d.collapsedSliceDims);
    this.startIndexMap = dimList("gather", "start_index_map", d.startIndexMap);
    this.operandBatchingDims = dimList("gather", "operand_batching_dims", d.operandBatchingDims ?? []);
    this.startIndicesBatchingDims = dimList("gather", "start_indices_batching_dims", d.startIndicesBatchingDims ?? []);
    Object.freeze(this);
  }
  static from(d: GatherDimensionNumbersLike): GatherDimensionNumbers {
    return d instanceof GatherDimensionNumbers ? d : new GatherDimensionNumbers(d);
  }
  toString(): string {
    return (
      `GatherDimensionNumbers(offset_dims=${pyTuple(this.offsetDims)}, ` +
      `collapsed_slice_dims=${pyTuple(this.collapsedSliceDims)}, start_index_map=${pyTuple(this.startIndexMap)}, ` +
      `operand_batching_dims=${pyTuple(this.operandBatchingDims)}, ` +
      `start_indices_batching_dims=${pyTuple(this.startIndicesBatchingDims)})`
    );
  }
  toJSON(): string {
    return this.toString();
  }
}

export interface ScatterDimensionNumbersLike {
  updateWindowDims: readonly number[];
  insertedWindowDims: readonly number[];
  scatterDimsToOperandDims: readonly number[];
  operandBatchingDims?: readonly number[];
  scatterIndicesBatchingDims?: readonly number[];
}

/** lax.ScatterDimensionNumbers (see XLA's Scatter). Immutable; prints as JAX's NamedTuple. */
export class ScatterDimensionNumbers implements ScatterDimensionNumbersLike {
  readonly updateWindowDims: readonly number[];
  readonly insertedWindowDims: readonly number[];
  readonly scatterDimsToOperandDims: readonly number[];
  readonly operandBatchingDims: readonly number[];
  readonly scatterIndicesBatchingDims: readonly number[];
  constructor(d: ScatterDimensionNumbersLike) {
    this.updateWindowDims = dimList("scatter", "update_window_dims", d.updateWindowDims);
    this.insertedWindowDims = dimList("scatter", "inserted_window_dims", d.insertedWindowDims);
    this.scatterDimsToOperandDims = dimList("scatter", "scatter_dims_to_operand_dims", d.scatterDimsToOperandDims);
    this.operandBatchingDims = dimList("scatter", "operand_batching_dims", d.operandBatchingDims ?? []);
    this.scatterIndicesBatchingDims = dimList("scatter", "scatter_indices_batching_dims", d.scatterIndicesBatchingDims ?? []);
    Object.freeze(this);
  }
  static from(d: ScatterDimensionNumbersLike): ScatterDimensionNumbers {
    return d instanceof ScatterDimensionNumbers ? d : new ScatterDimensionNumbers(d);
  }
  toString(): string {
    return (
      `ScatterDimensionNumbers(update_window_dims=${pyTuple(this.updateWindowDims)}, ` +
      `inserted_window_dims=${pyTuple(this.insertedWindowDims)}, ` +
      `scatter_dims_to_operand_dims=${pyTuple(this.scatterDimsToOperandDims)}, ` +
      `operand_batching_dims=${pyTuple(this.operandBatchingDims)}, ` +
      `scatter_indices_batching_dims=${pyTuple(this.scatterIndicesBatchingDims)})`
    );
  }
  toJSON(): string {
    return this.toString();
  }
}

export type GatherScatterModeName = "CLIP" | "FILL_OR_DROP" | "PROMISE_IN_BOUNDS";

/** lax.GatherScatterMode: what happens to out-of-bounds indices. Compare with `===`. */
export class GatherScatterMode {
  /** Clamp window starts so the whole window is in bounds. */
  static readonly CLIP = new GatherScatterMode("CLIP");
  /** Gather: fill out-of-bounds windows with `fill_value`; scatter: drop them. */
  static readonly FILL_OR_DROP = new GatherScatterMode("FILL_OR_DROP");
  /** The caller promises indices are in bounds (gather clamps, scatter drops, as XLA does). */
  static readonly PROMISE_IN_BOUNDS = new GatherScatterMode("PROMISE_IN_BOUNDS");
  private constructor(readonly name: GatherScatterModeName) {
    Object.freeze(this);
  }
  /** JAX's `GatherScatterMode.from_any`: "clip", "fill"/"drop"/null, "promise_in_bounds". */
  static fromAny(s: GatherScatterMode | string | null | undefined): GatherScatterMode {
    if (s instanceof GatherScatterMode) return s;
    if (s === "clip") return GatherScatterMode.CLIP;
    if (s === null || s === undefined || s === "fill" || s === "drop") return GatherScatterMode.FILL_OR_DROP;
    if (s === "promise_in_bounds") return GatherScatterMode.PROMISE_IN_BOUNDS;
    throw new TypeError(`Unknown gather mode "${s}" (expected "clip", "fill", "drop" or "promise_in_bounds")`);
  }
  toString(): string {
    return `GatherScatterMode.${this.name}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

export type GatherScatterModeLike = GatherScatterMode | "clip" | "fill" | "drop" | "promise_in_bounds" | null;

// ---------------------------------------------------------------------------
// Shared validation helpers (JAX's messages, prefixed with the op)

function isSorted(op: string, name: string, dims: readonly number[]): void {
  for (let i = 1; i < dims.length; i++) {
    if (dims[i]! < dims[i - 1]!) throw new TypeError(`[${op}] ${name} must be sorted; got ${pyTuple(dims)}`);
  }
}

function dimsInRange(op: string, name: string, dims: readonly number[], rank: number): void {
  for (const d of dims) {
    if (d < 0 || d >= rank) {
      throw new TypeError(`[${op}] invalid ${name}: valid range is [0, ${rank}), got ${d} in ${pyTuple(dims)}`);
    }
  }
}

function noDuplicates(op: string, name: string, dims: readonly number[]): void {
  if (new Set(dims).size !== dims.length) throw new TypeError(`[${op}] ${name} must not repeat; got ${pyTuple(dims)}`);
}

function disjoint(op: string, n1: string, d1: readonly number[], n2: string, d2: readonly number[]): void {
  if (d1.some((d) => d2.includes(d))) {
    throw new TypeError(`[${op}] ${n1} and ${n2} must be disjoint; got ${pyTuple(d1)} and ${pyTuple(d2)}`);
  }
}

function checkIndexDType(op: string, what: string, a: ShapedArray): void {
  if (!a.dtype.isInteger) throw new TypeError(`[${op}] ${what} must have an integer dtype, got ${fmtAval(a)}`);
}

function checkSizes(op: string, name: string, sizes: unknown): asserts sizes is readonly number[] {
  if (!globalThis.Array.isArray(sizes) || sizes.some((s) => !Number.isInteger(s))) {
    throw new TypeError(`[${op}] ${name} must be a list of integers, got ${JSON.stringify(sizes)}`);
  }
}

// ---------------------------------------------------------------------------
// dynamic_slice / dynamic_update_slice

function checkStartIndices(op: string, operand: ShapedArray, starts: ShapedArray[]): void {
  if (starts.length !== operand.ndim) {
    throw new TypeError(
      `[${op}] needs one start index per operand dimension: got ${starts.length} for ${fmtAval(operand)}`,
    );
  }
  const bad = starts.find((s) => s.ndim !== 0);
  if (bad) throw new TypeError(`[${op}] start indices must be scalars, got ${starts.map(fmtAval).join(", ")}`);
  if (starts.some((s) => !s.dtype.isInteger || s.dtype !== starts[0]!.dtype)) {
    throw new TypeError(
      `[${op}] start indices must be integers of the same dtype, got ${starts.map((s) => s.dtype.name).join(", ")}`,
    );
  }
}

export type DynamicSliceParams = {
  slice_sizes: readonly number[];
};

/** dynamic_slice(operand, *start_indices; slice_sizes): start indices are clamped into range. */
export const dynamicSliceP = definePrimitive("dynamic_slice", (avals, { slice_sizes }: DynamicSliceParams) => {
  const [operand, ...starts] = avals;
  if (!operand) throw new TypeError("[dynamic_slice] needs an operand");
  checkSizes("dynamic_slice", "slice_sizes", slice_sizes);
  if (slice_sizes.length !== operand.ndim) {
    throw new TypeError(
      `[dynamic_slice] slice_sizes ${pyTuple(slice_sizes)} must have one entry per dimension of ${fmtAval(operand)}`,
    );
  }
  if (slice_sizes.some((s, i) => s < 0 || s > operand.shape[i]!)) {
    throw new TypeError(
      `[dynamic_slice] slice_sizes must be within [0, dim] for each dimension: got slice_sizes ${pyTuple(slice_sizes)} for ${fmtAval(operand)}`,
    );
  }
  checkStartIndices("dynamic_slice", operand, starts);
  return new ShapedArray(slice_sizes, operand.dtype, operand.weakType);
});

/** dynamic_update_slice(operand, update, *start_indices): start indices are clamped into range. */
export const dynamicUpdateSliceP = definePrimitive("dynamic_update_slice", (avals) => {
  const [operand, update, ...starts] = avals;
  if (!operand || !update) throw new TypeError("[dynamic_update_slice] needs an operand and an update");
  if (operand.dtype !== update.dtype) {
    throw new TypeError(
      `[dynamic_update_slice] operand and update must have the same dtype, got ${fmtAval(operand)} and ${fmtAval(update)}`,
    );
  }
  if (operand.ndim !== update.ndim) {
    throw new TypeError(
      `[dynamic_update_slice] update must have the same rank as the operand, got ${fmtAval(update)} for ${fmtAval(operand)}`,
    );
  }
  if (update.shape.some((s, i) => s > operand.shape[i]!)) {
    throw new TypeError(
      `[dynamic_update_slice] update must not be larger than the operand in any dimension, got ${fmtAval(update)} for ${fmtAval(operand)}`,
    );
  }
  checkStartIndices("dynamic_update_slice", operand, starts);
  return operand;
});

export interface DynamicIndexOptions {
  /** Wrap negative indices (i -> i + dim) before clamping; per dimension or for all. Default true. */
  allowNegativeIndices?: boolean | readonly boolean[];
}

/**
 * JAX's `_dynamic_slice_indices`: JS numbers become int32 constants (negative ones
 * wrapped), array indices of signed dtype get `select(i < 0, i + dim, i)`.
 */
function dynamicSliceIndices(
  op: string,
  operand: Array,
  startIndices: readonly ArrayInput[],
  allowNegative: boolean | readonly boolean[],
): Array[] {
  if (!globalThis.Array.isArray(startIndices)) {
    throw new TypeError(`[${op}] start indices must be a list of scalars, one per dimension`);
  }
  if (startIndices.length !== operand.ndim) {
    throw new TypeError(
      `[${op}] needs one start index per operand dimension: got ${startIndices.length} for ${fmtAval(operand)}`,
    );
  }
  const allow = typeof allowNegative === "boolean" ? startIndices.map(() => allowNegative) : allowNegative;
  return startIndices.map((i, k) => {
    const d = operand.shape[k]!;
    if (typeof i === "number") {
      if (!Number.isInteger(i)) throw new TypeError(`[${op}] start index ${i} is not an integer`);
      if (i < 0 && !allow[k]) {
        throw new RangeError(`[${op}] index ${i} is out of bounds for dimension ${d} with allowNegativeIndices=false`);
      }
      return scalar(i < 0 ? i + d : i, int32, false);
    }
    const x = asArray(i);
    if (x.dtype.kind === "u" || !allow[k] || x.ndim !== 0 || !x.dtype.isInteger) return x;
    // Same equations, in the same order, as JAX's `lax.select(i < 0, i + d, i)`.
    const negative = lt(x, 0);
    const strong = x.weakType ? convertElementType(x, x.dtype, false) : x;
    return selectN(negative, x, add(strong, scalar(wrapInt(d, x.dtype), x.dtype, false)));
  });
}

/**
 * lax.dynamic_slice: the slice of `sliceSizes` starting at `startIndices` (scalars,
 * possibly traced). Negative indices count from the end; starts are clamped so the
 * slice is in bounds.
 */
export function dynamicSlice(
  operand: ArrayInput,
  startIndices: readonly ArrayInput[],
  sliceSizes: readonly number[],
  opts: DynamicIndexOptions = {},
): Array {
  const x = asArray(operand);
  const starts = dynamicSliceIndices("dynamic_slice", x, startIndices, opts.allowNegativeIndices ?? true);
  return dynamicSliceP.bind1([x, ...starts], { slice_sizes: Object.freeze([...sliceSizes]) });
}

/** lax.dynamic_update_slice: `operand` with `update` written at `startIndices` (clamped). */
export function dynamicUpdateSlice(
  operand: ArrayInput,
  update: ArrayInput,
  startIndices: readonly ArrayInput[],
  opts: DynamicIndexOptions = {},
): Array {
  const [x, u] = coerceOperands([operand, update]);
  const starts = dynamicSliceIndices("dynamic_update_slice", x!, startIndices, opts.allowNegativeIndices ?? true);
  return dynamicUpdateSliceP.bind1([x!, u!, ...starts]);
}

function zeroLike(index: ArrayInput): ArrayInput {
  return typeof index === "number" ? 0 : scalar(0, asArray(index).dtype, false);
}

function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`[${op}] axis ${axis} is out of bounds for an array of rank ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** lax.dynamic_slice_in_dim: `operand[..., start:start+sliceSize]` along `axis`. */
export function dynamicSliceInDim(
  operand: ArrayInput,
  startIndex: ArrayInput,
  sliceSize: number,
  axis = 0,
  opts: { allowNegativeIndices?: boolean } = {},
): Array {
  const x = asArray(operand);
  const ax = normAxis("dynamic_slice_in_dim", axis, x.ndim);
  const starts: ArrayInput[] = x.shape.map(() => zeroLike(startIndex));
  starts[ax] = startIndex;
  const sizes = [...x.shape];
  sizes[ax] = sliceSize;
  const allow = x.shape.map((_, i) => i === ax && (opts.allowNegativeIndices ?? true));
  return dynamicSlice(x, starts, sizes, { allowNegativeIndices: allow });
}

/** lax.dynamic_index_in_dim: `operand[..., index]` along `axis` (kept as size 1 when `keepdims`). */
export function dynamicIndexInDim(
  operand: ArrayInput,
  index: ArrayInput,
  axis = 0,
  keepdims = true,
  opts: { allowNegativeIndices?: boolean } = {},
): Array {
  const x = asArray(operand);
  const ax = normAxis("dynamic_index_in_dim", axis, x.ndim);
  const r = dynamicSliceInDim(x, index, 1, ax, opts);
  return keepdims ? r : squeeze(r, [ax]);
}

/** lax.dynamic_update_slice_in_dim: write `update` at `startIndex` along `axis`. */
export function dynamicUpdateSliceInDim(
  operand: ArrayInput,
  update: ArrayInput,
  startIndex: ArrayInput,
  axis: number,
  opts: { allowNegativeIndices?: boolean } = {},
): Array {
  const x = asArray(operand);
  const ax = normAxis("dynamic_update_slice_in_dim", axis, x.ndim);
  const starts: ArrayInput[] = x.shape.map(() => zeroLike(startIndex));
  starts[ax] = startIndex;
  const allow = x.shape.map((_, i) => i === ax && (opts.allowNegativeIndices ?? true));
  return dynamicUpdateSlice(x, update, starts, { allowNegativeIndices: allow });
}

/** lax.dynamic_update_index_in_dim: write `update` (with or without `axis`) at `index`. */
export function dynamicUpdateIndexInDim(
  operand: ArrayInput,
  update: ArrayInput,
  index: ArrayInput,
  axis: number,
  opts: { allowNegativeIndices?: boolean } = {},
): Array {
  const x = asArray(operand);
  const ax = normAxis("dynamic_update_index_in_dim", axis, x.ndim);
  let u = coerceOperands([x, update])[1]!;
  if (u.ndim !== x.ndim) {
    if (u.ndim + 1 !== x.ndim) {
      throw new TypeError(
        `[dynamic_update_index_in_dim] update must have rank ${x.ndim} or ${x.ndim - 1}, got ${fmtAval(u)} for ${fmtAval(x)}`,
      );
    }
    u = expandDims(u, [ax]);
  }
  return dynamicUpdateSliceInDim(x, u, index, ax, opts);
}

// ---------------------------------------------------------------------------
// gather

export type GatherParams = {
  dimension_numbers: GatherDimensionNumbers;
  slice_sizes: readonly number[];
  indices_are_sorted: boolean;
  unique_indices: boolean;
  mode: GatherScatterMode;
  /** null unless mode is FILL_OR_DROP; a number, or `true` for bool operands. */
  fill_value: number | boolean | null;
};

/** Output shape of a gather (JAX's `_gather_shape_computation`). */
function gatherShape(indices: ShapedArray, dn: GatherDimensionNumbers, sliceSizes: readonly number[]): number[] {
  const rank = dn.offsetDims.length + indices.ndim - 1;
  const batch = indices.shape.slice(0, -1);
  const window = sliceSizes.filter((_, i) => !dn.collapsedSliceDims.includes(i) && !dn.operandBatchingDims.includes(i));
  const out: number[] = [];
  let b = 0;
  let w = 0;
  for (let i = 0; i < rank; i++) out.push(dn.offsetDims.includes(i) ? window[w++]! : batch[b++]!);
  return out;
}

export const gatherP = definePrimitive("gather", (avals, params: GatherParams) => {
  const op = "gather";
  const [operand, indices] = avals;
  if (avals.length !== 2) throw new TypeError(`[gather] takes an operand and indices, got ${avals.length} arguments`);
  const dn = params.dimension_numbers;
  if (!(dn instanceof GatherDimensionNumbers)) {
    throw new TypeError("[gather] dimension_numbers must be a GatherDimensionNumbers");
  }
  if (!(params.mode instanceof GatherScatterMode)) throw new TypeError("[gather] mode must be a GatherScatterMode");
  const sliceSizes = params.slice_sizes;
  checkSizes(op, "slice_sizes", sliceSizes);
  checkIndexDType(op, "indices", indices!);
  const shapes = `operand ${fmtAval(operand!)}, indices ${fmtAval(indices!)}`;
  if (indices!.ndim < 1) {
    throw new TypeError(
      `[gather] indices must have at least one dimension (the index vector is the last one), got ${shapes}`,
    );
  }
  const ivd = indices!.ndim - 1;
  const { offsetDims, collapsedSliceDims, startIndexMap, operandBatchingDims, startIndicesBatchingDims } = dn;
  isSorted(op, "offset_dims", offsetDims);
  noDuplicates(op, "offset_dims", offsetDims);
  const outRank = offsetDims.length + indices!.ndim - 1;
  offsetDims.forEach((d, i) => {
    if (d < 0 || d >= outRank) {
      throw new TypeError(`[gather] offset dimension ${i} is out of bounds: got ${d}, but should be in [0, ${outRank})`);
    }
  });
  if (startIndexMap.length !== indices!.shape[ivd]) {
    throw new TypeError(
      `[gather] start_index_map has ${startIndexMap.length} elements but the index vector (last) dimension of the indices has size ${indices!.shape[ivd]}; these must be equal (${shapes})`,
    );
  }
  startIndexMap.forEach((d, i) => {
    if (d < 0 || d >= operand!.ndim) {
      throw new TypeError(`[gather] invalid start_index_map: domain is [0, ${operand!.ndim}), got ${i}->${d} (${shapes})`);
    }
  });
  noDuplicates(op, "start_index_map", startIndexMap);
  isSorted(op, "collapsed_slice_dims", collapsedSliceDims);
  dimsInRange(op, "collapsed_slice_dims", collapsedSliceDims, operand!.ndim);
  noDuplicates(op, "collapsed_slice_dims", collapsedSliceDims);
  noDuplicates(op, "operand_batching_dims", operandBatchingDims);
  isSorted(op, "operand_batching_dims", operandBatchingDims);
  dimsInRange(op, "operand_batching_dims", operandBatchingDims, operand!.ndim);
  disjoint(op, "collapsed_slice_dims", collapsedSliceDims, "operand_batching_dims", operandBatchingDims);
  disjoint(op, "start_index_map", startIndexMap, "operand_batching_dims", operandBatchingDims);
  noDuplicates(op, "start_indices_batching_dims", startIndicesBatchingDims);
  dimsInRange(op, "start_indices_batching_dims", startIndicesBatchingDims, indices!.ndim);
  if (startIndicesBatchingDims.includes(ivd)) {
    throw new TypeError(
      `[gather] the index vector (last) dimension of the indices cannot be a batching dimension; got start_indices_batching_dims=${pyTuple(startIndicesBatchingDims)} (${shapes})`,
    );
  }
  if (operandBatchingDims.length !== startIndicesBatchingDims.length) {
    throw new TypeError(
      `[gather] needs as many operand_batching_dims as start_indices_batching_dims, got ${pyTuple(operandBatchingDims)} and ${pyTuple(startIndicesBatchingDims)}`,
    );
  }
  const opBatch = operandBatchingDims.map((d) => operand!.shape[d]!);
  const idxBatch = startIndicesBatchingDims.map((d) => indices!.shape[d]!);
  if (opBatch.some((s, i) => s !== idxBatch[i])) {
    throw new TypeError(
      `[gather] operand batching dimensions and indices batching dimensions must have the same sizes, got ${pyTuple(opBatch)} and ${pyTuple(idxBatch)} (${shapes})`,
    );
  }
  if (sliceSizes.length !== operand!.ndim) {
    throw new TypeError(
      `[gather] needs one slice size per operand dimension: got slice_sizes=${pyTuple(sliceSizes)} for ${fmtAval(operand!)}`,
    );
  }
  if (sliceSizes.length !== offsetDims.length + collapsedSliceDims.length + operandBatchingDims.length) {
    throw new TypeError(
      `[gather] every operand dimension must be an offset dimension or collapsed or batching: got slice_sizes=${pyTuple(sliceSizes)}, offset_dims=${pyTuple(offsetDims)}, collapsed_slice_dims=${pyTuple(collapsedSliceDims)}, operand_batching_dims=${pyTuple(operandBatchingDims)}`,
    );
  }
  const emptyIndices = indices!.shape.some((s) => s === 0);
  sliceSizes.forEach((s, i) => {
    if (!emptyIndices && !(s >= 0 && s <= operand!.shape[i]!)) {
      throw new TypeError(
        `[gather] slice size at index ${i} is out of range: must be within [0, ${operand!.shape[i]}], got ${s} (slice_sizes=${pyTuple(sliceSizes)}, ${shapes})`,
      );
    }
  });
  collapsedSliceDims.forEach((d, i) => {
    if (sliceSizes[d] !== 1) {
      throw new TypeError(
        `[gather] can only collapse slice dims of size 1, but slice size is ${sliceSizes[d]} for dimension ${d} at position ${i} of collapsed_slice_dims`,
      );
    }
  });
  operandBatchingDims.forEach((d, i) => {
    if (sliceSizes[d]! > 1) {
      throw new TypeError(
        `[gather] operand batching dims must have slice size 0 or 1, but slice size is ${sliceSizes[d]} for dimension ${d} at position ${i} of operand_batching_dims`,
      );
    }
  });
  return new ShapedArray(gatherShape(indices!, dn, sliceSizes), operand!.dtype, operand!.weakType);
});

/** JAX's default fill for FILL_OR_DROP gathers: NaN, the minimum signed int, the maximum unsigned int, True. */
function defaultFillValue(d: DType): number | boolean {
  if (d.kind === "f") return NaN;
  if (d.kind === "i") return -(2 ** (d.bits - 1));
  if (d.kind === "u") return 2 ** d.bits - 1;
  return true;
}

export interface GatherOptions {
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
  /** Default: PROMISE_IN_BOUNDS (as lax.gather). */
  mode?: GatherScatterModeLike;
  /** For FILL_OR_DROP; defaults as JAX's (NaN, int min, uint max, true). Ignored otherwise. */
  fillValue?: number | boolean | null;
}

/** lax.gather(operand, startIndices, dimensionNumbers, sliceSizes, {indicesAreSorted, uniqueIndices, mode, fillValue}). */
export function gather(
  operand: ArrayInput,
  startIndices: ArrayInput,
  dimensionNumbers: GatherDimensionNumbersLike,
  sliceSizes: readonly number[],
  opts: GatherOptions = {},
): Array {
  const x = asArray(operand);
  const mode = GatherScatterMode.fromAny(opts.mode ?? GatherScatterMode.PROMISE_IN_BOUNDS);
  let fill: number | boolean | null = null;
  if (mode === GatherScatterMode.FILL_OR_DROP) fill = opts.fillValue ?? defaultFillValue(x.dtype);
  return gatherP.bind1([x, asArray(startIndices)], {
    dimension_numbers: GatherDimensionNumbers.from(dimensionNumbers),
    fill_value: fill,
    indices_are_sorted: Boolean(opts.indicesAreSorted),
    mode,
    slice_sizes: Object.freeze([...sliceSizes]),
    unique_indices: Boolean(opts.uniqueIndices),
  } satisfies GatherParams);
}

// ---------------------------------------------------------------------------
// scatter family

export type ScatterParams = {
  dimension_numbers: ScatterDimensionNumbers;
  indices_are_sorted: boolean;
  unique_indices: boolean;
  mode: GatherScatterMode;
  /** `{ lambda ; a b. let c = add a b in (c,) }` for scatter-add; null for scatter. */
  update_jaxpr: Jaxpr | null;
  update_consts: readonly never[];
};

function scatterShapeRule(op: string, avals: ShapedArray[], params: ScatterParams): ShapedArray {
  if (avals.length !== 3) {
    throw new TypeError(`[${op}] takes an operand, indices and updates, got ${avals.length} arguments`);
  }
  const [operand, indices, updates] = avals as [ShapedArray, ShapedArray, ShapedArray];
  const dn = params.dimension_numbers;
  if (!(dn instanceof ScatterDimensionNumbers)) {
    throw new TypeError(`[${op}] dimension_numbers must be a ScatterDimensionNumbers`);
  }
  if (!(params.mode instanceof GatherScatterMode)) throw new TypeError(`[${op}] mode must be a GatherScatterMode`);
  const shapes = `operand ${fmtAval(operand)}, indices ${fmtAval(indices)}, updates ${fmtAval(updates)}`;
  checkIndexDType(op, "indices", indices);
  if (operand.dtype !== updates.dtype) {
    throw new TypeError(`[${op}] operand and updates must have the same dtype, got ${shapes}`);
  }
  if (indices.ndim < 1) {
    throw new TypeError(`[${op}] indices must have at least one dimension (the index vector is the last one), got ${shapes}`);
  }
  const ivd = indices.ndim - 1;
  const { updateWindowDims, insertedWindowDims, scatterDimsToOperandDims, operandBatchingDims, scatterIndicesBatchingDims } =
    dn;
  const expectedRank = indices.ndim - 1 + updateWindowDims.length;
  if (updates.ndim !== expectedRank) {
    throw new TypeError(
      `[${op}] updates must have rank ${expectedRank} (batch dims of the indices + ${updateWindowDims.length} update_window_dims), got ${shapes}`,
    );
  }
  isSorted(op, "update_window_dims", updateWindowDims);
  noDuplicates(op, "update_window_dims", updateWindowDims);
  dimsInRange(op, "update_window_dims", updateWindowDims, updates.ndim);
  isSorted(op, "inserted_window_dims", insertedWindowDims);
  noDuplicates(op, "inserted_window_dims", insertedWindowDims);
  dimsInRange(op, "inserted_window_dims", insertedWindowDims, operand.ndim);
  isSorted(op, "operand_batching_dims", operandBatchingDims);
  noDuplicates(op, "operand_batching_dims", operandBatchingDims);
  dimsInRange(op, "operand_batching_dims", operandBatchingDims, operand.ndim);
  disjoint(op, "inserted_window_dims", insertedWindowDims, "operand_batching_dims", operandBatchingDims);
  disjoint(op, "scatter_dims_to_operand_dims", scatterDimsToOperandDims, "operand_batching_dims", operandBatchingDims);
  noDuplicates(op, "scatter_indices_batching_dims", scatterIndicesBatchingDims);
  dimsInRange(op, "scatter_indices_batching_dims", scatterIndicesBatchingDims, indices.ndim);
  if (scatterIndicesBatchingDims.includes(ivd)) {
    throw new TypeError(
      `[${op}] the index vector (last) dimension of the indices cannot be a batching dimension; got scatter_indices_batching_dims=${pyTuple(scatterIndicesBatchingDims)} (${shapes})`,
    );
  }
  if (operandBatchingDims.length !== scatterIndicesBatchingDims.length) {
    throw new TypeError(
      `[${op}] needs as many operand_batching_dims as scatter_indices_batching_dims, got ${pyTuple(operandBatchingDims)} and ${pyTuple(scatterIndicesBatchingDims)}`,
    );
  }
  const opBatch = operandBatchingDims.map((d) => operand.shape[d]!);
  const idxBatch = scatterIndicesBatchingDims.map((d) => indices.shape[d]!);
  if (opBatch.some((s, i) => s !== idxBatch[i])) {
    throw new TypeError(
      `[${op}] operand batching dimensions and indices batching dimensions must have the same sizes, got ${pyTuple(opBatch)} and ${pyTuple(idxBatch)} (${shapes})`,
    );
  }
  // The updates dimension of each indices batching dim: update scatter dims follow the indices' batch dims.
  const updScatterDims = range(updates.ndim).filter((d) => !updateWindowDims.includes(d));
  const updBatch = scatterIndicesBatchingDims.map((d) => updates.shape[updScatterDims[d]!]!);
  if (opBatch.some((s, i) => s !== updBatch[i])) {
    throw new TypeError(
      `[${op}] operand batching dimensions and updates batching dimensions must have the same sizes, got ${pyTuple(opBatch)} and ${pyTuple(updBatch)} (${shapes})`,
    );
  }
  const windowSize = updateWindowDims.length + insertedWindowDims.length + operandBatchingDims.length;
  if (windowSize !== operand.ndim) {
    throw new TypeError(
      `[${op}] update_window_dims, inserted_window_dims and operand_batching_dims must together cover the operand's ${operand.ndim} dimensions, got ${windowSize}: update_window_dims=${pyTuple(updateWindowDims)}, inserted_window_dims=${pyTuple(insertedWindowDims)}, operand_batching_dims=${pyTuple(operandBatchingDims)} (${shapes})`,
    );
  }
  if (scatterDimsToOperandDims.length !== indices.shape[ivd]) {
    throw new TypeError(
      `[${op}] scatter_dims_to_operand_dims has ${scatterDimsToOperandDims.length} elements but the index vector (last) dimension of the indices has size ${indices.shape[ivd]}; these must be equal (${shapes})`,
    );
  }
  scatterDimsToOperandDims.forEach((d, i) => {
    if (d < 0 || d >= operand.ndim) {
      throw new TypeError(
        `[${op}] invalid scatter_dims_to_operand_dims: domain is [0, ${operand.ndim}), got ${i}->${d} (${shapes})`,
      );
    }
  });
  noDuplicates(op, "scatter_dims_to_operand_dims", scatterDimsToOperandDims);
  const maxWindow = range(operand.ndim)
    .filter((d) => !insertedWindowDims.includes(d) && !operandBatchingDims.includes(d))
    .map((d) => operand.shape[d]!);
  updateWindowDims.forEach((d, i) => {
    if (updates.shape[d]! > maxWindow[i]!) {
      throw new TypeError(
        `[${op}] window dimension ${d} of the updates has size ${updates.shape[d]}, larger than the corresponding operand dimension (${maxWindow[i]}) (${shapes})`,
      );
    }
  });
  updScatterDims.forEach((d, i) => {
    if (updates.shape[d] !== indices.shape[i]) {
      throw new TypeError(
        `[${op}] scatter dimension ${d} of the updates has size ${updates.shape[d]} but the corresponding indices dimension ${i} has size ${indices.shape[i]} (${shapes})`,
      );
    }
  });
  return operand;
}

function range(n: number): number[] {
  return globalThis.Array.from({ length: n }, (_, i) => i);
}

function scatterPrimitive(name: string, numericOnly: boolean): Primitive {
  return definePrimitive(name, (avals, params: ScatterParams) => {
    if (numericOnly && avals[0]) checkDType(name, avals[0], "numeric");
    return scatterShapeRule(name, avals, params);
  });
}

export const scatterP = scatterPrimitive("scatter", false);
export const scatterAddP = scatterPrimitive("scatter-add", true);
export const scatterSubP = scatterPrimitive("scatter-sub", true);
export const scatterMulP = scatterPrimitive("scatter-mul", true);
export const scatterMinP = scatterPrimitive("scatter-min", false);
export const scatterMaxP = scatterPrimitive("scatter-max", false);

/**
 * The `update_jaxpr` JAX attaches to a scatter: `{ lambda ; a:T[] b:T[]. let c:T[] = op a b in (c,) }`.
 * One object per (combiner, dtype), as JAX caches it, so identical scatters share it.
 */
const updateJaxprs = new Map<string, Jaxpr>();
function updateJaxpr(combiner: Primitive, d: DType): Jaxpr {
  const key = `${combiner.name}:${d.name}`;
  let j = updateJaxprs.get(key);
  if (!j) {
    const aval = new ShapedArray([], d, false);
    const [a, b, c] = [new Var(aval), new Var(aval), new Var(aval)];
    j = new Jaxpr([], [a, b], [new JaxprEqn(combiner, [a, b], {}, [c])], [c]);
    updateJaxprs.set(key, j);
  }
  return j;
}

export interface ScatterOptions {
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
  /** Default: FILL_OR_DROP (as lax.scatter*: out-of-bounds windows are dropped). */
  mode?: GatherScatterModeLike;
}

// The combiner is looked up at call time: these modules import each other, so
// a primitive imported from elementwise.ts may not be initialized yet here.
function scatterOp(prim: Primitive, getCombiner: (() => Primitive) | null) {
  return (
    operand: ArrayInput,
    scatterIndices: ArrayInput,
    updates: ArrayInput,
    dimensionNumbers: ScatterDimensionNumbersLike,
    opts: ScatterOptions = {},
  ): Array => {
    const combiner = getCombiner ? getCombiner() : null;
    const [x, u] = coerceOperands([operand, updates]);
    if (combiner && combiner !== minP && combiner !== maxP && x!.dtype === bool) {
      throw new TypeError(`[${prim.name}] ${combiner.name} does not accept bool operands, got ${fmtAval(x!)}`);
    }
    return prim.bind1([x!, asArray(scatterIndices), u!], {
      dimension_numbers: ScatterDimensionNumbers.from(dimensionNumbers),
      indices_are_sorted: Boolean(opts.indicesAreSorted),
      mode: GatherScatterMode.fromAny(opts.mode ?? null),
      unique_indices: Boolean(opts.uniqueIndices),
      update_consts: Object.freeze([]) as readonly never[],
      update_jaxpr: combiner ? updateJaxpr(combiner, x!.dtype) : null,
    } satisfies ScatterParams);
  };
}

/** lax.scatter: write `updates` into `operand` (for duplicate indices the last update wins here). */
export const scatter = scatterOp(scatterP, null);
/** lax.scatter_add: add `updates` into `operand` (duplicates accumulate). */
export const scatterAdd = scatterOp(scatterAddP, () => addP);
/** lax.scatter_sub: subtract `updates` from `operand`. */
export const scatterSub = scatterOp(scatterSubP, () => subP);
/** lax.scatter_mul: multiply `operand` by `updates`. */
export const scatterMul = scatterOp(scatterMulP, () => mulP);
/** lax.scatter_min: elementwise minimum (NaN propagates, as lax.min). */
export const scatterMin = scatterOp(scatterMinP, () => minP);
/** lax.scatter_max: elementwise maximum (NaN propagates, as lax.max). */
export const scatterMax = scatterOp(scatterMaxP, () => maxP);


// ---------------------------------------------------------------------------
// Transformation rules (JVP, transpose, batching), as JAX's in slicing.py.
// Index operands are integers: they get no tangent and are never linear.
// dynamic_slice, dynamic_update_slice, gather, scatter-add/sub and scatter are
// linear in their array operands; gather and scatter-add transpose into each
// other. Batching moves the batch axis into the gather/scatter batching
// dimensions; the dynamic slices batch as the gather/scatter they are.
import { fromTyped } from "../array.js";
import { uint32 } from "../dtypes.js";
import { div, eq, mul, neg, select } from "./elementwise.js";
import { broadcast, broadcastInDim, concatenate, iota, reshape } from "./structural.js";
import { setJvp, type Tangent } from "../transforms/jvp.js";
import { isUndef, setTranspose, type LinearArg } from "../transforms/transpose.js";
import { moveBatchAxis, moveaxis, setBatch, type BDim } from "../transforms/vmap.js";
import { zerosLike } from "../transforms/zeros.js";

const zerosOf = (shape: readonly number[], d: DType): Array => zerosLike(new ShapedArray(shape, d, false));
const onesOf = (shape: readonly number[], d: DType): Array => broadcastInDim(scalar(1, d, false), shape, []);

function knownIndices(op: string, xs: LinearArg[]): Array[] {
  return xs.map((x) => {
    if (isUndef(x)) throw new Error(`[${op}] transpose: indices cannot be linear`);
    return x;
  });
}

/**
 * The gather reading back, for each update element, the operand element a
 * scatter with these dimension numbers writes it to (JAX builds it in each scatter rule).
 */
function inverseGather(
  dn: ScatterDimensionNumbers,
  operandRank: number,
  updatesShape: readonly number[],
): { dnums: GatherDimensionNumbers; sliceSizes: number[] } {
  const dnums = new GatherDimensionNumbers({
    offsetDims: dn.updateWindowDims,
    collapsedSliceDims: dn.insertedWindowDims,
    startIndexMap: dn.scatterDimsToOperandDims,
    operandBatchingDims: dn.operandBatchingDims,
    startIndicesBatchingDims: dn.scatterIndicesBatchingDims,
  });
  let pos = 0;
  const sliceSizes = range(operandRank).map((i) =>
    dn.insertedWindowDims.includes(i) || dn.operandBatchingDims.includes(i) ? 1 : updatesShape[dn.updateWindowDims[pos++]!]!,
  );
  return { dnums, sliceSizes };
}

/**
 * `gather(a)` with the inverse gather of a scatter, reading what the scatter wrote
 * or `fill` where it dropped the window (FILL_OR_DROP and PROMISE_IN_BOUNDS
 * scatters drop out-of-bounds windows; CLIP clamps them in both).
 */
function gatherBack(a: Array, indices: Array, updatesShape: readonly number[], params: ScatterParams, fill: number): Array {
  const { dnums, sliceSizes } = inverseGather(params.dimension_numbers, a.ndim, updatesShape);
  const mode = params.mode === GatherScatterMode.CLIP ? GatherScatterMode.CLIP : GatherScatterMode.FILL_OR_DROP;
  return gather(a, indices, dnums, sliceSizes, { mode, fillValue: fill });
}

/**
 * Which elements survive a scatter whose windows may overlap (JAX's trick in its
 * scatter JVP): every update window gets an id (1, 2, ...), the ids are scattered
 * into zeros and gathered back. An operand element is kept where no id landed; an
 * update element is the one written where it reads back its own id.
 */
function scatterSurvivors(operand: ShapedArray, indices: Array, updates: ShapedArray, params: ScatterParams) {
  const idsShape = updates.shape.map((d, i) => (params.dimension_numbers.updateWindowDims.includes(i) ? 1 : d));
  const numIds = idsShape.reduce((a, b) => a * b, 1);
  const ids = reshape(add(iota(uint32, numIds), scalar(1, uint32, false)), idsShape);
  const updateIds = broadcastInDim(ids, updates.shape, range(updates.ndim));
  const scatteredIds = scatterP.bind1([zerosOf(operand.shape, uint32), indices, updateIds], {
    ...params,
    update_jaxpr: null,
  });
  return {
    operandKept: eq(scatteredIds, scalar(0, uint32, false)),
    updateWritten: eq(updateIds, gatherBack(scatteredIds, indices, updates.shape, params, 0)),
  };
}

// --- dynamic_slice / dynamic_update_slice

setJvp(dynamicSliceP, ([x, ...starts], [tx], params: DynamicSliceParams) => [
  [dynamicSliceP.bind1([x!, ...starts], params)],
  [tx ? dynamicSliceP.bind1([tx, ...starts], params) : null],
]);
setTranspose(dynamicSliceP, ([ct], [x, ...starts]) => {
  const s = knownIndices("dynamic_slice", starts);
  return [dynamicUpdateSliceP.bind1([zerosLike(x!.aval), ct!, ...s]), ...s.map(() => null)];
});

setJvp(dynamicUpdateSliceP, ([x, u, ...starts], [tx, tu]) => {
  const out = dynamicUpdateSliceP.bind1([x!, u!, ...starts]);
  if (!tx && !tu) return [[out], [null]];
  return [[out], [dynamicUpdateSliceP.bind1([tx ?? zerosLike(x!.aval), tu ?? zerosLike(u!.aval), ...starts])]];
});
setTranspose(dynamicUpdateSliceP, ([ct], [x, u, ...starts]) => {
  const s = knownIndices("dynamic_update_slice", starts);
  const t = ct!;
  const uShape = u!.aval.shape;
  return [
    isUndef(x!) ? dynamicUpdateSliceP.bind1([t, zerosOf(uShape, t.dtype), ...s]) : null,
    isUndef(u!) ? dynamicSliceP.bind1([t, ...s], { slice_sizes: uShape }) : null,
    ...s.map(() => null),
  ];
});

/** Scalar start indices as one index vector ([n]) or, if any is batched, a batch of them ([size, n]). */
function batchStartIndices(starts: Array[], dims: BDim[], size: number): [Array, BDim] {
  if (starts.length === 0) return [fromTyped(new Int32Array(0), [0], int32), null];
  if (dims.every((d) => d === null)) return [concatenate(starts.map((s) => broadcast(s, [1])), 0), null];
  return [concatenate(starts.map((s, i) => broadcastInDim(s, [size, 1], dims[i] === null ? [] : [0])), 1), 0];
}

// A dynamic_slice is a clamping gather of one full-rank window.
setBatch(dynamicSliceP, ([x, ...starts], [xd, ...sd], { slice_sizes }: DynamicSliceParams, size) => {
  const dims = range(slice_sizes.length);
  const [index, indexDim] = batchStartIndices(starts, sd, size);
  const params: GatherParams = {
    dimension_numbers: new GatherDimensionNumbers({ offsetDims: dims, collapsedSliceDims: [], startIndexMap: dims }),
    slice_sizes,
    unique_indices: true,
    indices_are_sorted: true,
    mode: GatherScatterMode.CLIP,
    fill_value: null,
  };
  return [[batchGather(x!, index, xd!, indexDim, params)], [0]];
});

// A dynamic_update_slice is a clamping scatter of one full-rank window.
setBatch(dynamicUpdateSliceP, ([x, u, ...starts], [xd, ud, ...sd], _params, size) => {
  const dims = range(u!.ndim - (ud === null ? 0 : 1));
  const [index, indexDim] = batchStartIndices(starts, sd, size);
  const params: ScatterParams = {
    dimension_numbers: new ScatterDimensionNumbers({ updateWindowDims: dims, insertedWindowDims: [], scatterDimsToOperandDims: dims }),
    indices_are_sorted: true,
    unique_indices: true,
    mode: GatherScatterMode.CLIP,
    update_jaxpr: null,
    update_consts: Object.freeze([]) as readonly never[],
  };
  return [[batchScatter(scatterP, x!, index, u!, [xd!, indexDim, ud!], params, size)], [0]];
});

// --- gather

setJvp(gatherP, ([x, i], [tx], params: GatherParams) => [
  [gatherP.bind1([x!, i!], params)],
  [tx ? gatherP.bind1([tx, i!], { ...params, fill_value: params.mode === GatherScatterMode.FILL_OR_DROP ? 0 : null }) : null],
]);
setTranspose(gatherP, ([ct], [x, i], params: GatherParams) => {
  const [idx] = knownIndices("gather", [i!]);
  const dn = params.dimension_numbers;
  const sdn = new ScatterDimensionNumbers({
    updateWindowDims: dn.offsetDims,
    insertedWindowDims: dn.collapsedSliceDims,
    scatterDimsToOperandDims: dn.startIndexMap,
    operandBatchingDims: dn.operandBatchingDims,
    scatterIndicesBatchingDims: dn.startIndicesBatchingDims,
  });
  const opts = { uniqueIndices: params.unique_indices, indicesAreSorted: params.indices_are_sorted, mode: params.mode };
  return [scatterAdd(zerosLike(x!.aval), idx!, ct!, sdn, opts), null];
});

const plus1 = (ds: readonly number[]) => ds.map((d) => d + 1);

/** JAX's gather batching rule; the result's batch axis is 0. */
function batchGather(operand: Array, indices: Array, od: BDim, id: BDim, params: GatherParams): Array {
  const dn = params.dimension_numbers;
  if (id === null) {
    // The batch axis is one more window dimension, taken whole.
    const x = moveaxis(operand, od!, 0);
    const dnums = new GatherDimensionNumbers({
      offsetDims: [0, ...plus1(dn.offsetDims)],
      collapsedSliceDims: plus1(dn.collapsedSliceDims),
      startIndexMap: plus1(dn.startIndexMap),
      operandBatchingDims: plus1(dn.operandBatchingDims),
      startIndicesBatchingDims: dn.startIndicesBatchingDims,
    });
    return gatherP.bind1([x, indices], { ...params, dimension_numbers: dnums, slice_sizes: [x.aval.shape[0]!, ...params.slice_sizes] });
  }
  const idx = moveaxis(indices, id, 0);
  if (od === null) {
    // The batch axis is one more batch dimension of the indices. Different examples
    // may read the same elements, so the indices are no longer unique or sorted.
    const dnums = new GatherDimensionNumbers({
      offsetDims: plus1(dn.offsetDims),
      collapsedSliceDims: dn.collapsedSliceDims,
      startIndexMap: dn.startIndexMap,
      operandBatchingDims: dn.operandBatchingDims,
      startIndicesBatchingDims: plus1(dn.startIndicesBatchingDims),
    });
    return gatherP.bind1([operand, idx], { ...params, dimension_numbers: dnums, unique_indices: false, indices_are_sorted: false });
  }
  // Both batched: the batch axes pair up as operand/indices batching dimensions.
  const x = moveaxis(operand, od, 0);
  const dnums = new GatherDimensionNumbers({
    offsetDims: plus1(dn.offsetDims),
    collapsedSliceDims: plus1(dn.collapsedSliceDims),
    startIndexMap: plus1(dn.startIndexMap),
    operandBatchingDims: [0, ...plus1(dn.operandBatchingDims)],
    startIndicesBatchingDims: [0, ...plus1(dn.startIndicesBatchingDims)],
  });
  const sliceSizes = [x.aval.shape[0] === 0 ? 0 : 1, ...params.slice_sizes];
  return gatherP.bind1([x, idx], { ...params, dimension_numbers: dnums, slice_sizes: sliceSizes });
}
setBatch(gatherP, ([x, i], [xd, id], params: GatherParams) => [[batchGather(x!, i!, xd!, id!, params)], [0]]);

// --- scatter family

/** JAX's scatter batching rule: operand and updates get the batch axis in front; the result's batch axis is 0. */
function batchScatter(prim: Primitive, operand: Array, indices: Array, updates: Array, dims: BDim[], params: ScatterParams, size: number): Array {
  const [od, id, ud] = dims;
  const x = moveBatchAxis(size, od ?? null, 0, operand);
  const u = moveBatchAxis(size, ud ?? null, 0, updates);
  const dn = params.dimension_numbers;
  let dnums: ScatterDimensionNumbers;
  let idx = indices;
  if (id === null || id === undefined) {
    // The batch axis is one more update window dimension, written whole.
    dnums = new ScatterDimensionNumbers({
      updateWindowDims: [0, ...plus1(dn.updateWindowDims)],
      insertedWindowDims: plus1(dn.insertedWindowDims),
      scatterDimsToOperandDims: plus1(dn.scatterDimsToOperandDims),
      operandBatchingDims: plus1(dn.operandBatchingDims),
      scatterIndicesBatchingDims: dn.scatterIndicesBatchingDims,
    });
  } else {
    idx = moveaxis(indices, id, 0);
    dnums = new ScatterDimensionNumbers({
      updateWindowDims: plus1(dn.updateWindowDims),
      insertedWindowDims: plus1(dn.insertedWindowDims),
      scatterDimsToOperandDims: plus1(dn.scatterDimsToOperandDims),
      operandBatchingDims: [0, ...plus1(dn.operandBatchingDims)],
      scatterIndicesBatchingDims: [0, ...plus1(dn.scatterIndicesBatchingDims)],
    });
  }
  return prim.bind1([x, idx, u], { ...params, dimension_numbers: dnums });
}
for (const p of [scatterP, scatterAddP, scatterSubP, scatterMulP, scatterMinP, scatterMaxP]) {
  setBatch(p, ([x, i, u], dims, params: ScatterParams, size) => [[batchScatter(p, x!, i!, u!, dims, params, size)], [0]]);
}

const scatterOpts = (params: ScatterParams) => ({
  indicesAreSorted: params.indices_are_sorted,
  uniqueIndices: params.unique_indices,
  mode: params.mode,
});

// scatter-add and scatter-sub are linear in (operand, updates).
for (const p of [scatterAddP, scatterSubP]) {
  setJvp(p, ([x, i, u], [tx, , tu], params: ScatterParams) => {
    const out = p.bind1([x!, i!, u!], params);
    if (!tx && !tu) return [[out], [null]];
    return [[out], [p.bind1([tx ?? zerosLike(x!.aval), i!, tu ?? zerosLike(u!.aval)], params)]];
  });
  setTranspose(p, ([ct], [x, i, u], params: ScatterParams) => {
    const [idx] = knownIndices(p.name, [i!]);
    const t = ct!;
    let uCt: Tangent = null;
    if (isUndef(u!)) {
      const { dnums, sliceSizes } = inverseGather(params.dimension_numbers, t.ndim, u.aval.shape);
      uCt = gather(t, idx!, dnums, sliceSizes, { mode: params.mode, fillValue: 0 });
      if (p === scatterSubP) uCt = neg(uCt);
    }
    return [isUndef(x!) ? t : null, null, uCt];
  });
}

// scatter-mul is linear in the operand; its derivative in the updates is
// x * (tangent at the written positions), which needs unique indices (as in JAX:
// with repeated indices it would be a product over the other updates).
function scatterMulUniqueOnly(params: ScatterParams): void {
  if (!params.unique_indices) {
    throw new Error(
      "[scatter-mul] differentiation with respect to the updates is only implemented with uniqueIndices: true (as in JAX)",
    );
  }
}
setJvp(scatterMulP, ([x, i, u], [tx, , tu], params: ScatterParams) => {
  const out = scatterMulP.bind1([x!, i!, u!], params);
  let t: Tangent = tx ? scatterMulP.bind1([tx, i!, u!], params) : null;
  if (tu) {
    scatterMulUniqueOnly(params);
    const c = mul(x!, scatterAdd(zerosLike(x!.aval), i!, tu, params.dimension_numbers, scatterOpts(params)));
    t = t === null ? c : add(t, c);
  }
  return [[out], [t]];
});
setTranspose(scatterMulP, ([ct], [x, i, u], params: ScatterParams) => {
  const [idx] = knownIndices("scatter-mul", [i!]);
  if (isUndef(x!) && isUndef(u!)) throw new Error("[scatter-mul] transpose: the product of two linear values is not linear");
  const t = ct!;
  if (isUndef(x!)) return [scatterMulP.bind1([t, idx!, u as Array], params), null, null];
  scatterMulUniqueOnly(params);
  const { dnums, sliceSizes } = inverseGather(params.dimension_numbers, t.ndim, u!.aval.shape);
  return [null, null, gather(mul(t, x!), idx!, dnums, sliceSizes, { mode: params.mode, fillValue: 0 })];
});

// scatter-min/max (JAX's _scatter_extremal_jvp): the output tangent comes from the
// values that win; where several tie (updates among themselves or with the
// operand), their tangents are averaged, as for lax.max. The counts are gathered
// with fill value 1 for dropped windows so no coefficient divides by zero.
function scatterExtremalJvp(p: Primitive) {
  return ([x, i, u]: Array[], [tx, , tu]: Tangent[], params: ScatterParams): [Array[], Tangent[]] => {
    const out = p.bind1([x!, i!, u!], params);
    if (!tx && !tu) return [[out], [null]];
    const gx = tx ?? zerosLike(x!.aval);
    const gu = tu ?? zerosLike(u!.aval);
    const dn = params.dimension_numbers;
    const back = (a: Array, fill: number) => gatherBack(a, i!, u!.aval.shape, params, fill);
    const target = back(out, 0);
    const successful = eq(u!, target);
    const retained = eq(back(x!, 0), target);
    const zerosX = zerosLike(x!.aval);
    const onesU = onesOf(u!.aval.shape, u!.dtype);
    const zerosU = zerosLike(u!.aval);
    const count = (us: Array) => back(scatterAdd(zerosX, i!, us, dn, { mode: params.mode }), 1);
    const numUpdates = count(select(successful, onesU, zerosU));
    const numRefs = count(onesU);
    const sharedWithOperand = div(1, add(numUpdates, 1));
    const updatesCoef = select(successful, select(retained, sharedWithOperand, div(1, numUpdates)), zerosU);
    const operandCoef = div(add(-1, select(retained, sharedWithOperand, zerosU)), numRefs);
    const tangentUpdates = add(mul(back(gx, 0), operandCoef), mul(gu, updatesCoef));
    return [[out], [scatterAdd(gx, i!, tangentUpdates, dn, scatterOpts(params))]];
  };
}
setJvp(scatterMinP, scatterExtremalJvp(scatterMinP));
setJvp(scatterMaxP, scatterExtremalJvp(scatterMaxP));

// scatter is linear in (operand, updates). With unique indices its tangent is a
// scatter of the tangents; otherwise (JAX's trick) only the elements that survive
// are kept, and scatter-adds of them give the primal and the tangent.
setJvp(scatterP, ([x, i, u], [tx, , tu], params: ScatterParams) => {
  if (!tx && !tu) return [[scatterP.bind1([x!, i!, u!], params)], [null]];
  const gx = tx ?? zerosLike(x!.aval);
  const gu = tu ?? zerosLike(u!.aval);
  if (params.unique_indices) return [[scatterP.bind1([x!, i!, u!], params)], [scatterP.bind1([gx, i!, gu], params)]];
  const { operandKept, updateWritten } = scatterSurvivors(x!.aval, i!, u!.aval, params);
  const keep = (a: Array, mask: Array) => select(mask, a, zerosLike(a.aval));
  const dn = params.dimension_numbers;
  const opts = scatterOpts(params);
  return [
    [scatterAdd(keep(x!, operandKept), i!, keep(u!, updateWritten), dn, opts)],
    [scatterAdd(keep(gx, operandKept), i!, keep(gu, updateWritten), dn, opts)],
  ];
});
// The operand's cotangent is zero where updates were written; the updates' is
// read back where they were written (masked to the surviving elements when
// windows may overlap, where JAX raises).
setTranspose(scatterP, ([ct], [x, i, u], params: ScatterParams) => {
  const [idx] = knownIndices("scatter", [i!]);
  const t = ct!;
  const xCt = isUndef(x!) ? scatterP.bind1([t, idx!, zerosOf(u!.aval.shape, t.dtype)], params) : null;
  let uCt: Tangent = null;
  if (isUndef(u!)) {
    const { dnums, sliceSizes } = inverseGather(params.dimension_numbers, t.ndim, u.aval.shape);
    uCt = gather(t, idx!, dnums, sliceSizes, { mode: params.mode, fillValue: 0 });
    if (!params.unique_indices) {
      const { updateWritten } = scatterSurvivors(x!.aval, idx!, u.aval, params);
      uCt = select(updateWritten, uCt, zerosLike(uCt.aval));
    }
  }
  return [xCt, null, uCt];
});
