// dynamic_slice, dynamic_update_slice, gather and the scatter family.
//
// gather/scatter with arbitrary dimension numbers lower to flat indexing: for
// every output (gather) or update (scatter) element its flat operand index is
// Σ_d (start_d + offset_d) · stride_d, built by broadcasting small index
// tensors; then one Gather (axis 0) or ScatterElements on the flattened operand.
// Out-of-bounds windows follow XLA/core: gather clamps (CLIP, PROMISE_IN_BOUNDS)
// or fills (FILL_OR_DROP); scatter clamps (CLIP) or drops the window (otherwise;
// dropped updates go to a scratch element past the end).
import { lax } from "@jaxts/core";
import type { DT } from "../dtypes.js";
import type { GraphBuilder } from "../proto.js";
import { registerLowering1, type LowerEqn } from "./table.js";
import { T, cast, dt, expand, isFloat, isUnsigned, notC, reshape, whereT } from "./util.js";
import { convert } from "./elementwise.js";

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** A start index as int64 clamped to [0, hi]; also whether it was out of bounds. */
function clampStart(g: GraphBuilder, v: string, hi: number): { clamped: string; oob: string } {
  const lo = g.scalar(0, T.i64);
  const h = g.scalar(hi, T.i64);
  const oob = g.op("Or", [g.op("Less", [v, lo]), g.op("Greater", [v, h])]);
  return { clamped: clampI64(g, v, lo, h), oob };
}

/** min(max(v, lo), hi) by comparisons (ORT's int64 Clip/Max/Min give 0 for some values past 2^31). */
function clampI64(g: GraphBuilder, v: string, lo: string, hi: string): string {
  const a = g.op("Where", [g.op("Less", [v, lo]), lo, v]);
  return g.op("Where", [g.op("Greater", [a, hi]), hi, a]);
}

/** Indices (any integer dtype) as int64. */
function indicesI64(g: GraphBuilder, x: string, t: DT): string {
  return cast(g, x, t, T.i64);
}

function scalarI64(g: GraphBuilder, x: string, t: DT): string {
  return indicesI64(g, x, t);
}

// --- dynamic_slice / dynamic_update_slice ------------------------------------

registerLowering1(lax.dynamicSliceP, ({ g }, [x, ...starts], e) => {
  const xa = e.inAvals[0]!;
  const sizes: number[] = [...e.params.slice_sizes];
  if (xa.ndim === 0) return x!;
  const st = starts.map((s, d) => {
    const v = scalarI64(g, s, dt(e.inAvals[1 + d]!));
    return clampI64(g, v, g.scalar(0, T.i64), g.scalar(xa.shape[d]! - sizes[d]!, T.i64));
  });
  const startV = g.op("Concat", st.map((s) => reshape(g, s, [1])), { axis: 0 });
  const endV = g.op("Add", [startV, g.i64(sizes)]);
  return g.op("Slice", [x!, startV, endV, g.i64(xa.shape.map((_, i) => i))]);
});

/** Flat operand indices of a window of `shape` at `starts` (int64 scalars) in an operand of `opShape`. */
function windowFlatIndices(g: GraphBuilder, starts: string[], shape: readonly number[], opShape: readonly number[]): string {
  const strides = stridesOf(opShape);
  let flat: string | null = null;
  shape.forEach((n, d) => {
    const place = shape.map((_, i) => (i === d ? n : 1));
    const iota = reshape(g, g.constant({ dtype: T.i64, dims: [n], values: Array.from({ length: n }, (_, i) => i) }), place);
    const idx = g.op("Mul", [g.op("Add", [iota, starts[d]!]), g.scalar(strides[d]!, T.i64)]);
    flat = flat === null ? idx : g.op("Add", [flat, idx]);
  });
  return expand(g, flat!, shape);
}

registerLowering1(lax.dynamicUpdateSliceP, ({ g }, [x, u, ...starts], e) => {
  const xa = e.inAvals[0]!;
  const ua = e.inAvals[1]!;
  if (ua.size === 0) return x!;
  if (xa.ndim === 0) return u!;
  const st = starts.map((s, d) => {
    const v = scalarI64(g, s, dt(e.inAvals[2 + d]!));
    return clampI64(g, v, g.scalar(0, T.i64), g.scalar(xa.shape[d]! - ua.shape[d]!, T.i64));
  });
  const flat = reshape(g, windowFlatIndices(g, st, ua.shape, xa.shape), [ua.size]);
  const r = g.op("ScatterElements", [reshape(g, x!, [xa.size]), flat, reshape(g, u!, [ua.size])], { axis: 0 });
  return reshape(g, r, xa.shape);
});

// --- gather ------------------------------------------------------------------

interface Dn {
  offsetDims?: readonly number[];
  collapsedSliceDims?: readonly number[];
  startIndexMap?: readonly number[];
  updateWindowDims?: readonly number[];
  insertedWindowDims?: readonly number[];
  scatterDimsToOperandDims?: readonly number[];
  operandBatchingDims: readonly number[];
  startIndicesBatchingDims?: readonly number[];
  scatterIndicesBatchingDims?: readonly number[];
}

/**
 * Flat operand indices for windows placed in a result space of `resShape` whose
 * dims `windowResDims[p]` walk operand dims `winDims[p]` and whose other dims
 * walk the indices' batch dims in order. Returns the flat indices (resShape)
 * and, per batch position, whether any start was out of bounds.
 */
function flatIndices(
  g: GraphBuilder,
  idx: string,
  idxType: DT,
  idxShape: readonly number[],
  opShape: readonly number[],
  window: readonly number[],
  startMap: readonly number[],
  opBatch: readonly number[],
  idxBatch: readonly number[],
  winDims: readonly number[],
  windowResDims: readonly number[],
  resShape: readonly number[],
  clampStarts = true,
): { flat: string; oob: string | null } {
  const batchShape = idxShape.slice(0, -1);
  const k = idxShape[idxShape.length - 1]!;
  const strides = stridesOf(opShape);
  // Where batch dims sit in the result: the non-window result dims, in order.
  const batchRes: number[] = [];
  for (let d = 0; d < resShape.length; d++) if (!windowResDims.includes(d)) batchRes.push(d);
  /** A tensor over the batch dims (shape `tShape`, default the full batch shape) into result space. */
  const toRes = (t: string, tShape: readonly number[] = batchShape): string => {
    const place = resShape.map(() => 1);
    batchRes.forEach((r, i) => (place[r] = tShape[i]!));
    return reshape(g, t, place);
  };
  const I = indicesI64(g, idx, idxType);
  let flat: string | null = null;
  let oob: string | null = null;
  const add = (t: string) => (flat = flat === null ? t : g.op("Add", [flat, t]));
  startMap.forEach((d, j) => {
    const v = k === 1 ? reshape(g, I, batchShape) : g.op("Gather", [I, g.scalar(j, T.i64)], { axis: idxShape.length - 1 });
    const hi = opShape[d]! - window[d]!;
    // Unclamped where the caller replaces every out-of-bounds window's index (scatter's drop).
    const { clamped, oob: o } = clampStarts ? clampStart(g, v, hi) : { clamped: v, oob: g.op("Or", [g.op("Less", [v, g.scalar(0, T.i64)]), g.op("Greater", [v, g.scalar(hi, T.i64)])]) };
    oob = oob === null ? o : g.op("Or", [oob, o]);
    add(toRes(g.op("Mul", [clamped, g.scalar(strides[d]!, T.i64)])));
  });
  opBatch.forEach((d, j) => {
    const bd = idxBatch[j]!;
    const n = batchShape[bd]!;
    const place = batchShape.map((_, i) => (i === bd ? n : 1));
    const iota = reshape(g, g.constant({ dtype: T.i64, dims: [n], values: Array.from({ length: n }, (_, i) => i * strides[d]!) }), place);
    add(toRes(iota, place));
  });
  winDims.forEach((d, p) => {
    const n = window[d]!;
    if (n === 1) return;
    const r = windowResDims[p]!;
    const place = resShape.map((_, i) => (i === r ? n : 1));
    add(reshape(g, g.constant({ dtype: T.i64, dims: [n], values: Array.from({ length: n }, (_, i) => i * strides[d]!) }), place));
  });
  const f = flat ?? g.scalar(0, T.i64);
  return { flat: expand(g, f, resShape), oob: oob === null ? null : toRes(oob) };
}

function windowDims(rank: number, excluded: readonly number[], batching: readonly number[]): number[] {
  const out: number[] = [];
  for (let d = 0; d < rank; d++) if (!excluded.includes(d) && !batching.includes(d)) out.push(d);
  return out;
}

registerLowering1(lax.gatherP, ({ g }, [x, idx], e) => {
  const [xa, ia] = e.inAvals as [any, any];
  const out = e.outAvals[0]!;
  const dn = e.params.dimension_numbers as Dn;
  const sizes: number[] = [...e.params.slice_sizes];
  const winDims = windowDims(xa.ndim, dn.collapsedSliceDims!, dn.operandBatchingDims);
  const { flat, oob } = flatIndices(
    g,
    idx!,
    dt(ia),
    ia.shape,
    xa.shape,
    sizes,
    dn.startIndexMap!,
    dn.operandBatchingDims,
    dn.startIndicesBatchingDims!,
    winDims,
    dn.offsetDims!,
    out.shape,
  );
  const r = g.op("Gather", [reshape(g, x!, [xa.size]), flat], { axis: 0 });
  if (e.params.mode?.name !== "FILL_OR_DROP" || oob === null) return r;
  const t = dt(out);
  // As core's CPU kernel: Number(fill_value); integers wrap, other values cast.
  const v = Number(e.params.fill_value);
  const fillT = isFloat(t) ? v : t === T.bool ? (v !== 0 ? 1 : 0) : Number.isInteger(v) ? wrapInt(v, t) : saturate(v, t);
  const ct = t === T.bool || t === T.i8 || t === T.i16 || t === T.u16 || t === T.u32 ? T.i64 : t;
  // A -0 fill must not come through Where's `then` input (util.whereT).
  const rr = Object.is(fillT, -0) ? whereT(g, oob, g.scalar(fillT, ct), cast(g, r, t, ct), ct) : g.op("Where", [oob, g.scalar(fillT, ct), cast(g, r, t, ct)]);
  return cast(g, rr, ct, t);
});

function bitsOfT(t: DT): number {
  return t === T.i8 || t === T.u8 ? 8 : t === T.i16 || t === T.u16 ? 16 : t === T.i64 ? 64 : 32;
}
function saturate(v: number, t: DT): number {
  if (Number.isNaN(v)) return 0;
  const bits = bitsOfT(t);
  const [lo, hi] = isUnsigned(t) ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  return Math.min(Math.max(Math.trunc(v), lo), hi);
}
function wrapInt(v: number, t: DT): number {
  const bits = bitsOfT(t);
  const m = 2 ** bits;
  let r = ((Math.trunc(v) % m) + m) % m;
  if (!isUnsigned(t) && r >= m / 2) r -= m;
  return r;
}

// --- scatter -----------------------------------------------------------------

function registerScatter(p: typeof lax.scatterP, red: string): void {
  registerLowering1(
    p,
    ({ g }, [x, idx, u], e: LowerEqn) => {
      const [xa, ia, ua] = e.inAvals as [any, any, any];
      if (ua.size === 0) return x!;
      const dn = e.params.dimension_numbers as Dn;
      const t = dt(xa);
      const winDims = windowDims(xa.ndim, dn.insertedWindowDims!, dn.operandBatchingDims);
      const window = xa.shape.map(() => 1);
      winDims.forEach((d, q) => (window[d] = ua.shape[dn.updateWindowDims![q]!]));
      const { flat, oob } = flatIndices(
        g,
        idx!,
        dt(ia),
        ia.shape,
        xa.shape,
        window,
        dn.scatterDimsToOperandDims!,
        dn.operandBatchingDims,
        dn.scatterIndicesBatchingDims!,
        winDims,
        dn.updateWindowDims!,
        ua.shape,
        // Dropped windows' indices are replaced below: only CLIP needs clamped starts.
        e.params.mode?.name === "CLIP",
      );
      let reduction = red;
      const drop = e.params.mode?.name !== "CLIP" && oob !== null;
      const n = xa.size;
      let f = drop ? g.op("Where", [oob!, g.scalar(n, T.i64), flat]) : flat;
      f = reshape(g, f, [ua.size]);
      // ORT lacks float16 add/mul and bool min/max scatter kernels: f16 in f32;
      // bool as uint8, with add = max (or) and mul = min (and).
      const c = t === T.f16 ? T.f32 : t === T.bool ? T.u8 : t;
      if (t === T.bool) reduction = reduction === "add" ? "max" : reduction === "mul" ? "min" : reduction;
      let upd = cast(g, reshape(g, u!, [ua.size]), t, c);
      if (p === lax.scatterSubP) upd = isUnsigned(c) ? g.op("Sub", [g.scalar(0, c), upd]) : g.op("Neg", [upd]);
      let data = cast(g, reshape(g, x!, [n]), t, c);
      if (drop) data = g.op("Concat", [data, g.constant({ dtype: c, dims: [1], values: [0] })], { axis: 0 });
      // ORT's min/max scatter does not propagate NaN; mark NaN updates separately.
      let r = g.op("ScatterElements", [data, f, upd], { axis: 0, reduction });
      if (isFloat(t) && (reduction === "min" || reduction === "max")) {
        // XLA combines with IEEE maximum/minimum (max(+0, -0) = +0, min = -0);
        // ORT's reductions keep the update where the two compare equal. Where
        // the result is a zero, all values met there are <= 0 (>= 0 for min),
        // and the same scatter of their reciprocals is +inf (-inf) exactly
        // where one of them is +0 (-0).
        const zero = g.scalar(0, c);
        const k = g.op("ScatterElements", [g.op("Reciprocal", [data]), f, g.op("Reciprocal", [upd])], { axis: 0, reduction });
        const isZero = g.op("Equal", [r, zero]);
        if (reduction === "max") r = g.op("Where", [g.op("And", [isZero, g.op("Greater", [k, zero])]), zero, r]);
        // r, in Where's `then` input, is never -0 where no -0 was met.
        else r = g.op("Where", [notC(g, g.op("And", [isZero, g.op("Less", [k, zero])])), r, g.scalar(-0, c)]);
        const nanU = g.op("Cast", [g.op("IsNaN", [upd])], { to: T.u8 });
        const zeros = g.op("Cast", [g.op("IsNaN", [data])], { to: T.u8 });
        const hasNan = g.op("Cast", [g.op("ScatterElements", [zeros, f, nanU], { axis: 0, reduction: "max" })], { to: T.bool });
        r = g.op("Where", [hasNan, g.scalar(NaN, c), r]);
      }
      if (drop) r = g.op("Slice", [r, g.i64([0]), g.i64([n]), g.i64([0])]);
      return reshape(g, cast(g, r, c, t), xa.shape);
    },
  );
}
registerScatter(lax.scatterP, "none");
registerScatter(lax.scatterAddP, "add");
registerScatter(lax.scatterSubP, "add");
registerScatter(lax.scatterMulP, "mul");
registerScatter(lax.scatterMinP, "min");
registerScatter(lax.scatterMaxP, "max");

void convert;
