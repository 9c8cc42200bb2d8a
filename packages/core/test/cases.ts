// Running golden fixture cases: the function each case of a fixture applies to
// its arguments, shared by core's golden tests and other backends' (xla-onnx).
import { Array, lax } from "../src/index.js";
import type { EncodedArray } from "./golden.js";

// elementwise

/** Elementwise golden ops (tools/goldens/gen_elementwise.py) that are not a plain `lax[op](...args)`. */
export type ElementwiseOp = (args: Array[], params: any) => Array;
export const elementwiseSpecial: Record<string, ElementwiseOp> = {
  round: ([x], p) => lax.round(x!, p.rounding_method),
  integerPow: ([x], p) => lax.integerPow(x!, p.y),
  convertElementType: ([x], p) => lax.convertElementType(x!, p.new_dtype),
  bitcastConvertType: ([x], p) => lax.bitcastConvertType(x!, p.new_dtype),
  selectN: ([w, ...cs]) => lax.selectN(w!, ...cs),
  clamp: ([lo, x, hi]) => lax.clamp(lo!, x!, hi!),
  and: ([x, y]) => lax.bitwiseAnd(x!, y!),
  or: ([x, y]) => lax.bitwiseOr(x!, y!),
  xor: ([x, y]) => lax.bitwiseXor(x!, y!),
  not: ([x]) => lax.bitwiseNot(x!),
};

// structural

/** Runs a structural golden case's op (tools/goldens/gen_structural.py) on its arguments. */
export type StructuralRunner = (xs: Array[], p: any) => Array;
export const structuralRunners: Record<string, StructuralRunner> = {
  broadcastInDim: ([x], p) => lax.broadcastInDim(x!, p.shape, p.broadcastDimensions),
  broadcast: ([x], p) => lax.broadcast(x!, p.sizes),
  reshape: ([x], p) => lax.reshape(x!, p.newSizes, p.dimensions),
  squeeze: ([x], p) => lax.squeeze(x!, p.dimensions),
  expandDims: ([x], p) => lax.expandDims(x!, p.dimensions),
  transpose: ([x], p) => lax.transpose(x!, p.permutation),
  rev: ([x], p) => lax.rev(x!, p.dimensions),
  pad: ([x, pv], p) => lax.pad(x!, pv!, p.paddingConfig),
  concatenate: (xs, p) => lax.concatenate(xs, p.dimension),
  iota: (_, p) => lax.iota(p.dtype, p.size),
  broadcastedIota: (_, p) => lax.broadcastedIota(p.dtype, p.shape, p.dimension),
  slice: ([x], p) => lax.slice(x!, p.startIndices, p.limitIndices, p.strides),
  sliceInDim: ([x], p) => lax.sliceInDim(x!, p.startIndex, p.limitIndex, p.stride, p.axis),
  collapse: ([x], p) => lax.collapse(x!, p.startDimension, p.stopDimension),
  "m.reshape": ([x], p) => x!.reshape(...p.args),
  "m.transpose": ([x], p) => x!.transpose(...p.args),
  "m.T": ([x]) => x!.T,
  "m.ravel": ([x]) => x!.ravel(),
  "m.swapaxes": ([x], p) => x!.swapaxes(p.args[0], p.args[1]),
  "m.squeeze": ([x], p) => x!.squeeze(...p.args),
  "m.expandDims": ([x], p) => x!.expandDims(p.args[0]),
  "m.broadcastTo": ([x], p) => x!.broadcastTo(p.args[0]),
  "m.add": ([a, b]) => a!.add(b!),
  "m.mul": ([a, b]) => a!.mul(b!),
  "m.sub": ([a, b]) => a!.sub(b!),
  "m.maximum": ([a, b]) => a!.maximum(b!),
  "m.lt": ([a, b]) => a!.lt(b!),
};

// indexing

/** An indexing golden case (tools/goldens/gen_indexing.py). */
export interface IndexingCase {
  op: string;
  note: string;
  args: EncodedArray[];
  params: Record<string, any>;
  out: EncodedArray;
}

function fillValue(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return v as number;
}

const gdn = (d: Record<string, number[]>) =>
  new lax.GatherDimensionNumbers({
    offsetDims: d.offset_dims!,
    collapsedSliceDims: d.collapsed_slice_dims!,
    startIndexMap: d.start_index_map!,
    operandBatchingDims: d.operand_batching_dims!,
    startIndicesBatchingDims: d.start_indices_batching_dims!,
  });
const sdn = (d: Record<string, number[]>) =>
  new lax.ScatterDimensionNumbers({
    updateWindowDims: d.update_window_dims!,
    insertedWindowDims: d.inserted_window_dims!,
    scatterDimsToOperandDims: d.scatter_dims_to_operand_dims!,
    operandBatchingDims: d.operand_batching_dims!,
    scatterIndicesBatchingDims: d.scatter_indices_batching_dims!,
  });

const scatterFns: Record<string, typeof lax.scatter> = {
  scatter: lax.scatter,
  scatterAdd: lax.scatterAdd,
  scatterSub: lax.scatterSub,
  scatterMul: lax.scatterMul,
  scatterMin: lax.scatterMin,
  scatterMax: lax.scatterMax,
};

/** The function a case applies to its (flat) array arguments. */
export function indexingCaseFn(c: IndexingCase): (...xs: Array[]) => Array {
  const p = c.params;
  switch (c.op) {
    case "gather":
      return (x, i) =>
        lax.gather(x!, i!, gdn(p.dimension_numbers), p.slice_sizes, { mode: p.mode, fillValue: fillValue(p.fill_value) });
    case "dynamicSlice":
      return (x, ...starts) =>
        lax.dynamicSlice(x!, starts, p.slice_sizes, { allowNegativeIndices: p.allow_negative_indices });
    case "dynamicUpdateSlice":
      return (x, u, ...starts) =>
        lax.dynamicUpdateSlice(x!, u!, starts, { allowNegativeIndices: p.allow_negative_indices });
    case "dynamicSliceInDim":
      return (x, s) => lax.dynamicSliceInDim(x!, s!, p.slice_size, p.axis);
    case "dynamicIndexInDim":
      return (x, s) => lax.dynamicIndexInDim(x!, s!, p.axis, p.keepdims);
    case "dynamicUpdateSliceInDim":
      return (x, u, s) => lax.dynamicUpdateSliceInDim(x!, u!, s!, p.axis);
    case "dynamicUpdateIndexInDim":
      return (x, u, s) => lax.dynamicUpdateIndexInDim(x!, u!, s!, p.axis);
    default: {
      const f = scatterFns[c.op];
      if (!f) throw new Error(`unknown op ${c.op}`);
      return (x, i, u) => f(x!, i!, u!, sdn(p.dimension_numbers), { mode: p.mode });
    }
  }
}

// sort / top_k

/** A fixture array with the sign bits of its NaNs and zeros. */
export interface SortEncoded extends EncodedArray {
  signbit?: number[];
}

/** A sort / sort_key_val / top_k golden case (tools/goldens/gen_sort.py). */
export interface SortCase {
  op: "sort" | "sort_key_val" | "top_k";
  name: string;
  single?: boolean;
  args: SortEncoded[];
  params: { dimension: number; is_stable: boolean; num_keys: number; k: number; axis: number | null };
  out: SortEncoded[];
  out_stable?: SortEncoded[];
}

/** Apply a case's op to arguments (concrete or traced). */
export function sortApply(c: SortCase, args: Array[]): Array[] {
  const p = c.params;
  switch (c.op) {
    case "sort":
      if (c.single) return [lax.sort(args[0]!, { dimension: p.dimension, isStable: p.is_stable, numKeys: p.num_keys })];
      return lax.sort(args, { dimension: p.dimension, isStable: p.is_stable, numKeys: p.num_keys });
    case "sort_key_val":
      return lax.sortKeyVal(args[0]!, args[1]!, p.dimension, p.is_stable);
    case "top_k":
      return lax.topK(args[0]!, p.k, p.axis === null ? {} : { axis: p.axis });
  }
}
