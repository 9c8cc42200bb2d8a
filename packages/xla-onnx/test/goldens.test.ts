// Core's primitive goldens (packages/core/test/fixtures) on the ONNX backend:
// every case runs on the CPU backend and on "onnx", and the ONNX result must
// match the golden and the CPU result.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { jit, lax, type Array } from "@jaxts/core";
import { checkBoth, decode, loadGolden, onnx, type EncodedArray } from "./harness.js";

beforeAll(async () => {
  await onnx();
});

const L = lax as unknown as Record<string, (...a: any[]) => Array>;
const fmt = (a: EncodedArray) => `${a.dtype}[${a.shape}]`;

function group<C>(cs: C[], key: (c: C) => string): Map<string, C[]> {
  const m = new Map<string, C[]>();
  for (const c of cs) m.set(key(c), [...(m.get(key(c)) ?? []), c]);
  return m;
}

// ---------------------------------------------------------------------------
// elementwise

interface ElemCase {
  op: string;
  args: EncodedArray[];
  out: EncodedArray;
  params?: Record<string, any>;
  rtol?: number | null;
  atol?: number | null;
}

const elemSpecial: Record<string, (args: Array[], p: any) => Array> = {
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

/** ORT's float32 transcendental kernels are vectorized approximations: a few ulp. */
const elemScale: Record<string, number> = {
  sin: 4, cos: 4, tan: 8, asin: 4, acos: 4, atan: 4, sinh: 8, cosh: 8, tanh: 8, asinh: 8, acosh: 8, atanh: 8,
  exp: 4, exp2: 4, log: 4, log1p: 8, expm1: 8, logistic: 8, erf: 8, pow: 8, atan2: 8, cbrt: 4,
};

describe("elementwise goldens on onnx", () => {
  const cases = loadGolden<ElemCase>("elementwise");
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(op, async () => {
      const f = elemSpecial[op] ?? ((args: Array[]) => L[op]!(...args));
      for (const c of cs) {
        const label = `${op}${c.params ? JSON.stringify(c.params) : ""}(${c.args.map(fmt).join(", ")})`;
        const scale = elemScale[op] ?? 1;
        const t = c.out.dtype;
        await checkBoth((xs) => f(xs, c.params ?? {}), c.args.map(decode), c.out, label, {
          scale,
          rtol: c.rtol ?? (t === "float16" ? 2e-3 : undefined),
          atol: c.atol ?? undefined,
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// structural

interface StructCase {
  op: string;
  note: string;
  args: EncodedArray[];
  params: Record<string, any>;
  out: EncodedArray;
}

const structOps: Record<string, (args: Array[], p: any) => Array> = {
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

describe("structural goldens on onnx", () => {
  const cases = loadGolden<StructCase>("structural");
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(op, async () => {
      const f = structOps[op];
      expect(f, `no mapping for ${op}`).toBeDefined();
      for (const c of cs) {
        // iota takes no operands: run it on the ONNX backend by making it the
        // default for the call.
        await checkBoth((xs) => f!(xs, c.params), c.args.map(decode), c.out, `${op} ${c.note} ${JSON.stringify(c.params)}`);
      }
    });
  }
});

// ---------------------------------------------------------------------------
// reductions

interface RedCase {
  kind: string;
  op: string;
  x: EncodedArray;
  out: EncodedArray;
  axes?: number[];
  axis?: number;
  reverse?: boolean;
  index_dtype?: string;
  note?: string;
  window_dimensions?: number[];
  window_strides?: number[];
  padding?: any;
  base_dilation?: number[];
  window_dilation?: number[];
}

const reducers: Record<string, (x: Array, axes: number[]) => Array> = {
  reduce_sum: lax.reduceSum,
  reduce_prod: lax.reduceProd,
  reduce_max: lax.reduceMax,
  reduce_min: lax.reduceMin,
  reduce_and: lax.reduceAnd,
  reduce_or: lax.reduceOr,
  reduce_xor: lax.reduceXor,
};
const cumulative: Record<string, (x: Array, axis: number, reverse: boolean) => Array> = {
  cumsum: lax.cumsum,
  cumprod: lax.cumprod,
  cummax: lax.cummax,
  cummin: lax.cummin,
  cumlogsumexp: lax.cumlogsumexp,
};

describe("reduction goldens on onnx", () => {
  const cases = loadGolden<RedCase>("reduction");
  for (const [op, cs] of group(
    cases.filter((c) => c.kind === "reduce"),
    (c) => c.op,
  )) {
    it(op, async () => {
      for (const c of cs) {
        // Sums in another order: float32 rounding differs by a few ulp.
        await checkBoth(([x]) => reducers[op]!(x!, c.axes!), [decode(c.x)], c.out, `${op} ${fmt(c.x)} axes=${c.axes} ${c.note ?? ""}`, { scale: 8 });
      }
    });
  }
  for (const [op, cs] of group(
    cases.filter((c) => c.kind === "arg"),
    (c) => c.op,
  )) {
    it(op, async () => {
      const f = op === "argmax" ? lax.argmax : lax.argmin;
      for (const c of cs) {
        await checkBoth(([x]) => f(x!, c.axis!, c.index_dtype as any), [decode(c.x)], c.out, `${op} ${fmt(c.x)} axis=${c.axis} ${c.note ?? ""}`);
      }
    });
  }
  for (const [op, cs] of group(
    cases.filter((c) => c.kind === "cum"),
    (c) => c.op,
  )) {
    it(op, async () => {
      for (const c of cs) {
        await checkBoth(([x]) => cumulative[op]!(x!, c.axis!, c.reverse!), [decode(c.x)], c.out, `${op} ${fmt(c.x)} axis=${c.axis} rev=${c.reverse} ${c.note ?? ""}`, {
          scale: 16,
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// dot_general

interface DotCase {
  kind: string;
  note: string;
  args: EncodedArray[];
  dimension_numbers: any;
  preferred_element_type: string | null;
  out: EncodedArray;
}

describe("dot_general goldens on onnx", () => {
  const cases = loadGolden<DotCase>("linalg").filter((c) => c.kind === "dot_general");
  it(`dot_general (${cases.length} cases)`, async () => {
    for (const c of cases) {
      await checkBoth(
        ([x, y]) => lax.dotGeneral(x!, y!, c.dimension_numbers, { preferredElementType: (c.preferred_element_type ?? undefined) as any }),
        c.args.map(decode),
        c.out,
        `dot_general ${c.note} ${JSON.stringify(c.dimension_numbers)}`,
        { scale: 16 },
      );
    }
  });
});

// ---------------------------------------------------------------------------
// indexing (dynamic_slice/dynamic_update_slice/gather/scatter), jitted

interface IdxCase {
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
function idxFn(c: IdxCase): (...xs: Array[]) => Array {
  const p = c.params;
  switch (c.op) {
    case "gather":
      return (x, i) => lax.gather(x!, i!, gdn(p.dimension_numbers), p.slice_sizes, { mode: p.mode, fillValue: fillValue(p.fill_value) });
    case "dynamicSlice":
      return (x, ...starts) => lax.dynamicSlice(x!, starts, p.slice_sizes, { allowNegativeIndices: p.allow_negative_indices });
    case "dynamicUpdateSlice":
      return (x, u, ...starts) => lax.dynamicUpdateSlice(x!, u!, starts, { allowNegativeIndices: p.allow_negative_indices });
    case "dynamicSliceInDim":
      return (x, s) => lax.dynamicSliceInDim(x!, s!, p.slice_size, p.axis);
    case "dynamicIndexInDim":
      return (x, s) => lax.dynamicIndexInDim(x!, s!, p.axis, p.keepdims);
    case "dynamicUpdateSliceInDim":
      return (x, u, s) => lax.dynamicUpdateSliceInDim(x!, u!, s!, p.axis);
    case "dynamicUpdateIndexInDim":
      return (x, u, s) => lax.dynamicUpdateIndexInDim(x!, u!, s!, p.axis);
    default:
      return (x, i, u) => scatterFns[c.op]!(x!, i!, u!, sdn(p.dimension_numbers), { mode: p.mode });
  }
}

describe("indexing goldens on onnx (jitted)", () => {
  const cases = loadGolden<IdxCase>("indexing");
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(`${op} (${cs.length} cases)`, async () => {
      for (const c of cs) {
        const f = jit(idxFn(c));
        // float16 scatter-add/mul accumulate in float32 here (one rounding at the
        // end) where the CPU backend rounds after each update.
        const f16 = c.out.dtype === "float16" && op.startsWith("scatter");
        await checkBoth((xs) => f(...xs), c.args.map(decode), c.out, `${op} ${c.note} [${c.params.mode ?? ""}]`, f16 ? { rtol: 2e-3, atol: 1e-3 } : { rtol: 0, atol: 0 });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// sort / top_k, jitted (values and order; NaN sign bits are not compared)

interface SortCase {
  op: "sort" | "sort_key_val" | "top_k";
  name: string;
  single?: boolean;
  args: EncodedArray[];
  params: { dimension: number; is_stable: boolean; num_keys: number; k: number; axis: number | null };
  out: EncodedArray[];
  out_stable?: EncodedArray[];
}

function sortApply(c: SortCase, args: Array[]): Array[] {
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

describe("sort / top_k goldens on onnx (jitted)", () => {
  const cases = loadGolden<SortCase>("sort");
  // -NaN sorts first in JAX's total order; ONNX has no bitcast to see NaN signs.
  const negNan = (c: SortCase) => c.args.some((a: any) => a.signbit && a.data.some((v: unknown, i: number) => v === "nan" && a.signbit[i]));
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(`${op} (${cs.length} cases)`, async () => {
      for (const c of cs) {
        if (negNan(c)) continue;
        const f = jit((...xs: Array[]) => sortApply(c, xs));
        await checkBoth((xs) => f(...xs), c.args.map(decode), c.out_stable ?? c.out, c.name, { rtol: 0, atol: 0 });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// conv_general_dilated (float32/float16 lowered to Conv; other dtypes and batch
// groups fall back to the CPU backend per equation)

interface ConvCase {
  kind: string;
  note: string;
  args: EncodedArray[];
  params: {
    windowStrides: number[];
    padding: string | [number, number][];
    lhsDilation?: number[];
    rhsDilation?: number[];
    dimensionNumbers?: [string, string, string] | null;
    featureGroupCount?: number;
    batchGroupCount?: number;
    preferredElementType?: string;
  };
  out: EncodedArray;
}

describe("conv goldens on onnx", () => {
  const cases = loadGolden<ConvCase>("conv").filter((c) => c.kind === "conv");
  it(`conv_general_dilated (${cases.length} cases)`, async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const c of cases) {
      const p = c.params;
      const f = (xs: Array[]) =>
        lax.convGeneralDilated(xs[0]!, xs[1]!, p.windowStrides, p.padding as any, {
          lhsDilation: p.lhsDilation,
          rhsDilation: p.rhsDilation,
          dimensionNumbers: p.dimensionNumbers as any,
          featureGroupCount: p.featureGroupCount,
          batchGroupCount: p.batchGroupCount,
          preferredElementType: p.preferredElementType as any,
        });
      await checkBoth(f, c.args.map(decode), c.out, `conv ${c.note}`, { scale: 16 });
    }
    warn.mockRestore();
  });
});
