// CPU kernels of the indexing primitives: dynamic_slice, dynamic_update_slice,
// gather and the scatter family. Every one is "for each window: find its start
// in the operand, then walk the window with precomputed strides".
import type { Primitive } from "../../core.js";
import { castScalar, float16, roundToFloat16, wrapInt, type DType, type TypedArray } from "../../dtypes.js";
import * as P from "../../primitives/indexing.js";
import { stridesOf, type ShapedArray } from "../../shape.js";
import { alloc, registerCpuKernel1 } from "./kernels.js";

/**
 * Walks a window (a box of `shape`) through two strided buffers, calling
 * `f(offsetA, offsetB)` for every element in row-major order. The counter
 * array is allocated once per kernel call, not per window.
 */
class WindowWalker {
  private readonly idx: Int32Array;
  constructor(
    readonly shape: readonly number[],
    readonly aStrides: readonly number[],
    readonly bStrides: readonly number[],
  ) {
    this.idx = new Int32Array(shape.length);
  }
  get empty(): boolean {
    return this.shape.some((s) => s === 0);
  }
  walk(aOff: number, bOff: number, f: (a: number, b: number) => void): void {
    const { shape, aStrides, bStrides, idx } = this;
    const r = shape.length;
    if (r === 0) {
      f(aOff, bOff);
      return;
    }
    if (this.empty) return;
    idx.fill(0);
    const last = r - 1;
    const n = shape[last]!;
    const as = aStrides[last]!;
    const bs = bStrides[last]!;
    let a = aOff;
    let b = bOff;
    for (;;) {
      for (let i = 0; i < n; i++) f(a + i * as, b + i * bs);
      let d = last - 1;
      for (; d >= 0; d--) {
        a += aStrides[d]!;
        b += bStrides[d]!;
        if (++idx[d]! < shape[d]!) break;
        a -= aStrides[d]! * shape[d]!;
        b -= bStrides[d]! * shape[d]!;
        idx[d] = 0;
      }
      if (d < 0) return;
    }
  }
}

const clampInt = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

// --- dynamic_slice / dynamic_update_slice ---------------------------------

/** XLA's clamped starts: each start is clamped to [0, dim - window]. */
function clampedStarts(starts: TypedArray[], shape: readonly number[], window: readonly number[]): number[] {
  return shape.map((d, i) => clampInt(starts[i]![0]!, 0, d - window[i]!));
}

registerCpuKernel1(P.dynamicSliceP, ([x, ...starts], { slice_sizes }: P.DynamicSliceParams, [xa], out) => {
  const o = alloc(out);
  const shape = xa!.shape;
  const start = clampedStarts(starts, shape, slice_sizes);
  const xs = stridesOf(shape);
  const base = start.reduce((acc, s, i) => acc + s * xs[i]!, 0);
  const src = x!;
  new WindowWalker(slice_sizes, xs, stridesOf(slice_sizes)).walk(base, 0, (a, b) => {
    o[b] = src[a]!;
  });
  return o;
});

registerCpuKernel1(P.dynamicUpdateSliceP, ([x, u, ...starts], _params, [xa, ua]) => {
  const o = x!.slice();
  const shape = xa!.shape;
  const start = clampedStarts(starts, shape, ua!.shape);
  const xs = stridesOf(shape);
  const base = start.reduce((acc, s, i) => acc + s * xs[i]!, 0);
  const upd = u!;
  new WindowWalker(ua!.shape, xs, stridesOf(ua!.shape)).walk(base, 0, (a, b) => {
    o[a] = upd[b]!;
  });
  return o;
});

// --- gather / scatter geometry ----------------------------------------------

/** Iterates the batch positions of an index array (all its dimensions but the last). */
class BatchIterator {
  readonly shape: readonly number[];
  readonly pos: Int32Array;
  readonly count: number;
  constructor(indicesShape: readonly number[]) {
    this.shape = indicesShape.slice(0, -1);
    this.pos = new Int32Array(this.shape.length);
    this.count = this.shape.reduce((a, b) => a * b, 1);
  }
  /** Advance `pos` to the next row-major position. */
  next(): void {
    for (let d = this.shape.length - 1; d >= 0; d--) {
      if (++this.pos[d]! < this.shape[d]!) return;
      this.pos[d] = 0;
    }
  }
}

/** Operand dimensions that are windows (neither collapsed/inserted nor batching), ascending. */
function windowOperandDims(rank: number, dropped: readonly number[], batching: readonly number[]): number[] {
  const out: number[] = [];
  for (let d = 0; d < rank; d++) if (!dropped.includes(d) && !batching.includes(d)) out.push(d);
  return out;
}

/**
 * Computes, for batch position `pos`, the operand offset of the window start, or -1
 * when the window is out of bounds and `dropOob` is set (otherwise starts are clamped).
 */
function windowStart(
  indices: TypedArray,
  indexBase: number,
  indexMap: readonly number[],
  operandBatching: readonly number[],
  indicesBatching: readonly number[],
  pos: Int32Array,
  opShape: readonly number[],
  opStrides: readonly number[],
  window: readonly number[],
  dropOob: boolean,
): number {
  let off = 0;
  for (let k = 0; k < indexMap.length; k++) {
    const d = indexMap[k]!;
    const hi = opShape[d]! - window[d]!;
    let v = indices[indexBase + k]!;
    if (v < 0 || v > hi) {
      if (dropOob) return -1;
      v = clampInt(v, 0, hi);
    }
    off += v * opStrides[d]!;
  }
  for (let j = 0; j < operandBatching.length; j++) off += pos[indicesBatching[j]!]! * opStrides[operandBatching[j]!]!;
  return off;
}

// --- gather -----------------------------------------------------------------

/** An integer fill wraps into an integer dtype (as NumPy/JAX convert a Python int); others cast. */
function fillScalar(v: number, d: DType): number {
  return Number.isInteger(v) && d.isInteger ? wrapInt(v, d) : castScalar(v, d);
}

registerCpuKernel1(P.gatherP, ([x, idx], params: P.GatherParams, [xa, ia], out) => {
  const o = alloc(out);
  if (o.length === 0) return o;
  const dn = params.dimension_numbers;
  const opShape = xa!.shape;
  const opStrides = stridesOf(opShape);
  const outStrides = stridesOf(out.shape);
  const fill = params.mode === P.GatherScatterMode.FILL_OR_DROP;
  const fillValue = fill ? fillScalar(Number(params.fill_value), out.dtype) : 0;
  const winDims = windowOperandDims(xa!.ndim, dn.collapsedSliceDims, dn.operandBatchingDims);
  const winShape = winDims.map((d) => params.slice_sizes[d]!);
  const walker = new WindowWalker(
    winShape,
    winDims.map((d) => opStrides[d]!),
    dn.offsetDims.map((d) => outStrides[d]!),
  );
  const batchOutDims: number[] = [];
  for (let d = 0; d < out.ndim; d++) if (!dn.offsetDims.includes(d)) batchOutDims.push(d);
  const batch = new BatchIterator(ia!.shape);
  const k = ia!.shape[ia!.ndim - 1]!;
  const src = x!;
  const indices = idx!;
  const copy = (a: number, b: number) => {
    o[b] = src[a]!;
  };
  const fillOne = (_a: number, b: number) => {
    o[b] = fillValue;
  };
  for (let g = 0; g < batch.count; g++, batch.next()) {
    let outBase = 0;
    for (let i = 0; i < batchOutDims.length; i++) outBase += batch.pos[i]! * outStrides[batchOutDims[i]!]!;
    const start = windowStart(
      indices,
      g * k,
      dn.startIndexMap,
      dn.operandBatchingDims,
      dn.startIndicesBatchingDims,
      batch.pos,
      opShape,
      opStrides,
      params.slice_sizes,
      fill,
    );
    walker.walk(start, outBase, start < 0 ? fillOne : copy);
  }
  return o;
});

// --- scatter family ---------------------------------------------------------

type Combine = (old: number, upd: number) => number;

function combiner(p: Primitive, d: DType): Combine {
  const f16 = d === float16;
  const wide32 = d.name === "int32" || d.name === "uint32";
  // XLA's min/max: NaN wins, -0 < +0 — JS's Math.min/Math.max.
  const nanMin = Math.min;
  const nanMax = Math.max;
  switch (p) {
    case P.scatterP:
      return (_a, b) => b;
    case P.scatterAddP:
      return f16 ? (a, b) => roundToFloat16(a + b) : (a, b) => a + b;
    case P.scatterSubP:
      return f16 ? (a, b) => roundToFloat16(a - b) : (a, b) => a - b;
    case P.scatterMulP:
      // 32-bit integer products wrap (Math.imul keeps the low 32 bits exactly).
      return f16 ? (a, b) => roundToFloat16(a * b) : wide32 ? Math.imul : (a, b) => a * b;
    case P.scatterMinP:
      return nanMin;
    case P.scatterMaxP:
      return nanMax;
    default:
      throw new Error(`[cpu] no scatter combiner for '${p.name}'`);
  }
}

function registerScatter(p: Primitive): void {
  registerCpuKernel1(p, ([x, idx, u], params: P.ScatterParams, [xa, ia, ua]: ShapedArray[]) => {
    const o = x!.slice();
    const dn = params.dimension_numbers;
    if (ua!.size === 0) return o;
    const opShape = xa!.shape;
    const opStrides = stridesOf(opShape);
    const updStrides = stridesOf(ua!.shape);
    const winDims = windowOperandDims(xa!.ndim, dn.insertedWindowDims, dn.operandBatchingDims);
    // Window extent per operand dimension: the update's window size, or 1 for inserted/batching dims.
    const window = opShape.map(() => 1);
    winDims.forEach((d, p) => (window[d] = ua!.shape[dn.updateWindowDims[p]!]!));
    const walker = new WindowWalker(
      winDims.map((d) => window[d]!),
      winDims.map((d) => opStrides[d]!),
      dn.updateWindowDims.map((d) => updStrides[d]!),
    );
    const updScatterDims: number[] = [];
    for (let d = 0; d < ua!.ndim; d++) if (!dn.updateWindowDims.includes(d)) updScatterDims.push(d);
    const batch = new BatchIterator(ia!.shape);
    const k = ia!.shape[ia!.ndim - 1]!;
    const f = combiner(p, xa!.dtype);
    const upd = u!;
    const apply = (a: number, b: number) => {
      o[a] = f(o[a]!, upd[b]!);
    };
    const drop = params.mode !== P.GatherScatterMode.CLIP;
    for (let g = 0; g < batch.count; g++, batch.next()) {
      const start = windowStart(
        idx!,
        g * k,
        dn.scatterDimsToOperandDims,
        dn.operandBatchingDims,
        dn.scatterIndicesBatchingDims,
        batch.pos,
        opShape,
        opStrides,
        window,
        drop,
      );
      if (start < 0) continue;
      let updBase = 0;
      for (let i = 0; i < updScatterDims.length; i++) updBase += batch.pos[i]! * updStrides[updScatterDims[i]!]!;
      walker.walk(start, updBase, apply);
    }
    return o;
  });
}

for (const p of [P.scatterP, P.scatterAddP, P.scatterSubP, P.scatterMulP, P.scatterMinP, P.scatterMaxP]) registerScatter(p);
