// conv_general_dilated. Operands are transposed to [N, C, spatial...] and
// [O, I, spatial...] by the dimension numbers and the result back to out_spec.
//
// Which positions XLA multiplies (checked against JAX 0.10.2 on the CPU): a
// window never multiplies lhs-dilation holes, nor the padding of an lhs-dilated
// input (all dtypes); float64 also skips plain padding, while float32/float16
// convolutions multiply plain padding's zeros (an inf/NaN weight over padding
// gives NaN there). Zeros only differ from skipping when a weight is inf/NaN;
// each path below reproduces these rules exactly:
//
// - float32/float16 results (float16 and integer operands computed in float32),
//   no lhs dilation: padding (negative allowed) with the pad lowering, then ONNX
//   Conv (strides, rhs dilation, feature groups). Padding zeros are multiplied,
//   as XLA does for these dtypes. (The CPU backend skips them instead, so with an
//   inf/NaN weight over padding the two backends differ; ONNX agrees with JAX.)
// - float32/float16 with lhs dilation > 1: ConvTranspose, which scatters each
//   real input times the kernel (holes are never multiplied): strides = lhs
//   dilation, dilations = rhs dilation, the kernel spatially flipped and its
//   feature axes swapped per group ([O, I] → [G·I, O/G]), no pads. Its output Y
//   covers every position a window can reach; out[o] = Y[o·stride + P] with
//   P = (window extent − 1) − pad_lo, read with Pad (zeros: windows that see no
//   input) and a strided Slice.
// - everything else (float64 results, integer/bool results, no spatial
//   dimensions): one MatMul per kernel tap on the zero-dilated, padded input
//   (strided Slice per tap), summed. For float operands a tap's product is
//   masked out (Where, a constant mask) at the output positions where that tap
//   reads a hole or padding, so nothing there is multiplied into the result;
//   taps that read only holes/padding are dropped. Integer and bool
//   convolutions compute in uint32, whose MatMul wraps modulo 2^32 (XLA's
//   integer conv wraps in the result type), and are cast (bool: != 0) at the
//   end; ORT has no float64 Conv/ConvTranspose kernels.
//
// Batch groups: the lhs batch is batch_group_count groups of N/bgc (group-major)
// and output feature group j convolves batch group j over all input features.
// That is a feature-grouped convolution with bgc groups over the lhs rearranged
// [bgc, N', C, ...] → [N', bgc·C, ...].
import { lax } from "@jaxts/core";
import type { GraphBuilder } from "../proto.js";
import type { DT } from "../dtypes.js";
import { registerLowering1 } from "./table.js";
import { T, cast, dt, fill, isFloat, reshape, size } from "./util.js";
import { convert } from "./elementwise.js";
import { pad, slice, transpose } from "./structural.js";

interface Geometry {
  /** Operand shapes in [N, C, spatial...] / [O, I, spatial...] order (after batch-group rearrangement). */
  xShape: number[];
  wShape: number[];
  /** Output shape in [N, O, spatial...] order. */
  outShape: number[];
  groups: number;
  strides: number[];
  padding: [number, number][];
  lhsDil: number[];
  rhsDil: number[];
}

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

registerLowering1(lax.convGeneralDilatedP, ({ g }, [x, w], e) => {
  const p = e.params;
  const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers as { lhs_spec: number[]; rhs_spec: number[]; out_spec: number[] };
  const [xa, wa] = e.inAvals as [any, any];
  const out = e.outAvals[0]!;
  const tIn = dt(xa);
  const tOut = dt(out);
  const nsp = xa.ndim - 2;
  // The type to compute in: float32 for float16/float32 results (Conv's type),
  // float64 for float64 results, uint32 (wrapping) for integer and bool results.
  const c = isFloat(tOut) ? (tOut === T.f64 ? T.f64 : T.f32) : T.u32;
  const perm = new Array<number>(out_spec.length);
  out_spec.forEach((d, k) => (perm[d] = k));

  let xShape = lhs_spec.map((d) => xa.shape[d]! as number);
  const wShape = rhs_spec.map((d) => wa.shape[d]! as number);
  const outShape = out_spec.map((d) => out.shape[d]!);
  // Empty results, and empty contractions (no input features, an empty kernel
  // window or an empty input: every window reads only padding): zeros.
  if (size(outShape) === 0 || wShape[1] === 0 || size(wShape.slice(2)) === 0 || xShape.slice(2).some((n) => n === 0)) {
    return convert(g, fill(g, 0, c, out.shape), c, tOut);
  }

  let lhs = transpose(g, cast(g, x!, tIn, c), lhs_spec);
  const rhs = transpose(g, cast(g, w!, tIn, c), rhs_spec);
  let groups: number = p.feature_group_count;
  const bgc: number = p.batch_group_count;
  if (bgc > 1) {
    const [n, ch, ...sp] = xShape as [number, number, ...number[]];
    const n1 = n / bgc;
    lhs = reshape(g, lhs, [bgc, n1, ch, ...sp]);
    lhs = transpose(g, lhs, [1, 0, ...iota(sp.length + 1).map((i) => i + 2)]);
    xShape = [n1, bgc * ch, ...sp];
    lhs = reshape(g, lhs, xShape);
    groups = bgc;
  }
  const geo: Geometry = {
    xShape,
    wShape,
    outShape,
    groups,
    strides: [...p.window_strides],
    padding: p.padding.map(([lo, hi]: [number, number]) => [lo, hi]),
    lhsDil: [...p.lhs_dilation],
    rhsDil: [...p.rhs_dilation],
  };
  let r: string;
  if (c === T.f32 && nsp > 0) {
    r = geo.lhsDil.some((d) => d > 1) ? viaConvTranspose(g, lhs, rhs, geo) : viaConv(g, lhs, rhs, geo);
  } else {
    r = viaTaps(g, lhs, rhs, geo, c, isFloat(tIn));
  }
  return convert(g, transpose(g, r, perm), c, tOut);
});

/** Pad (lax semantics, negative crops) and ONNX Conv; float32. */
function viaConv(g: GraphBuilder, lhs: string, rhs: string, geo: Geometry): string {
  const nsp = geo.xShape.length - 2;
  if (geo.padding.some(([lo, hi]) => lo !== 0 || hi !== 0)) {
    const cfg: [number, number, number][] = [[0, 0, 0], [0, 0, 0], ...geo.padding.map(([lo, hi]) => [lo, hi, 0] as [number, number, number])];
    lhs = pad(g, lhs, g.scalar(0, T.f32), geo.xShape, cfg, T.f32);
  }
  return g.op("Conv", [lhs, rhs], {
    strides: geo.strides,
    dilations: geo.rhsDil,
    group: geo.groups,
    pads: new Array(2 * nsp).fill(0),
  });
}

/** lhs dilation > 1 as ONNX ConvTranspose (never multiplies holes); float32. */
function viaConvTranspose(g: GraphBuilder, lhs: string, rhs: string, geo: Geometry): string {
  const { xShape, wShape, outShape, groups: G, strides, padding, lhsDil, rhsDil } = geo;
  const nsp = xShape.length - 2;
  const [O, I, ...k] = wShape as [number, number, ...number[]];
  const sp = iota(nsp).map((i) => i + 2);
  // [O, I, k...] → [G, O/G, I, k...] → [G, I, O/G, k...] → [G·I, O/G, k...], flipped.
  let wt = reshape(g, rhs, [G, O / G, I, ...k]);
  wt = transpose(g, wt, [0, 2, 1, ...sp.map((a) => a + 1)]);
  wt = reshape(g, wt, [G * I, O / G, ...k]);
  wt = g.op("Slice", [wt, g.i64(sp.map(() => -1)), g.i64(sp.map((a) => -(wShape[a]! + 1))), g.i64(sp), g.i64(sp.map(() => -1))]);
  let y = g.op("ConvTranspose", [lhs, wt], {
    strides: lhsDil,
    dilations: rhsDil,
    group: G,
    pads: new Array(2 * nsp).fill(0),
  });
  // Y[u] holds the window sum for position u − P of the stride-1 output grid.
  const yShape = [xShape[0]!, O, ...iota(nsp).map((d) => lhsDil[d]! * (xShape[d + 2]! - 1) + (k[d]! - 1) * rhsDil[d]! + 1)];
  const cfg: [number, number, number][] = [[0, 0, 0], [0, 0, 0]];
  const starts: number[] = [0, 0];
  const ends: number[] = [yShape[0]!, O];
  const steps: number[] = [1, 1];
  for (let d = 0; d < nsp; d++) {
    const P = (k[d]! - 1) * rhsDil[d]! - padding[d]![0];
    const L = outShape[d + 2]!;
    const last = P + (L - 1) * strides[d]!;
    const lo = Math.max(0, -P);
    const hi = Math.max(0, last + 1 - yShape[d + 2]!);
    cfg.push([lo, hi, 0]);
    starts.push(P + lo);
    ends.push(last + lo + 1);
    steps.push(strides[d]!);
  }
  if (cfg.some(([lo, hi]) => lo > 0 || hi > 0)) y = pad(g, y, g.scalar(0, T.f32), yShape, cfg, T.f32);
  const paddedShape = yShape.map((n, i) => n + cfg[i]![0] + cfg[i]![1]);
  const whole = starts.every((s, i) => s === 0 && steps[i] === 1 && ends[i] === paddedShape[i]);
  return whole ? y : slice(g, y, starts, ends, steps);
}

/**
 * One MatMul per kernel tap over the zero-dilated, padded input. `mask`: skip
 * (Where) the products at holes and padding, as XLA does for float64.
 */
function viaTaps(g: GraphBuilder, lhs: string, rhs: string, geo: Geometry, c: DT, mask: boolean): string {
  const { xShape, wShape, outShape, groups: G, strides, padding, lhsDil, rhsDil } = geo;
  const nsp = xShape.length - 2;
  const [N, C, ...n] = xShape as [number, number, ...number[]];
  const [O, I, ...k] = wShape as [number, number, ...number[]];
  const L = outShape.slice(2);
  const P = size(L);
  const KS = size(k);
  const zero = g.scalar(0, c);
  // Zero-dilate and pad the input (lax.pad: negative padding crops).
  let xp = lhs;
  if (padding.some(([lo, hi]) => lo !== 0 || hi !== 0) || lhsDil.some((d) => d > 1)) {
    const cfg: [number, number, number][] = [[0, 0, 0], [0, 0, 0], ...padding.map(([lo, hi], d) => [lo, hi, lhsDil[d]! - 1] as [number, number, number])];
    xp = pad(g, lhs, zero, xShape, cfg, c);
  }
  // The kernel as [KS, G, O/G, I], one [G, O/G, I] matrix per tap.
  const wk = reshape(g, transpose(g, rhs, [...iota(nsp).map((i) => i + 2), 0, 1]), [KS, G, O / G, I]);
  let acc: string | null = null;
  const tap = new Array<number>(nsp).fill(0);
  for (let t = 0; t < KS; t++, odometer(tap, k)) {
    // Per spatial dim, which output positions read real input at this tap.
    const valid = iota(nsp).map((d) =>
      iota(L[d]!).map((o) => {
        const pos = o * strides[d]! + tap[d]! * rhsDil[d]! - padding[d]![0];
        return pos >= 0 && pos % lhsDil[d]! === 0 && pos / lhsDil[d]! < n[d]!;
      }),
    );
    if (valid.some((v) => v.every((b) => !b))) continue; // reads only holes/padding
    const starts = [0, 0, ...iota(nsp).map((d) => tap[d]! * rhsDil[d]!)];
    const ends = [N, C, ...iota(nsp).map((d) => tap[d]! * rhsDil[d]! + (L[d]! - 1) * strides[d]! + 1)];
    const xs = reshape(g, slice(g, xp, starts, ends, [1, 1, ...strides]), [N, G, I, P]);
    const wt = g.op("Gather", [wk, g.scalar(t, T.i64)], { axis: 0 });
    let prod = g.op("MatMul", [wt, xs]); // [N, G, O/G, P]
    if (mask && !valid.every((v) => v.every((b) => b))) {
      const m: boolean[] = [];
      const idx = new Array<number>(nsp).fill(0);
      for (let q = 0; q < P; q++, odometer(idx, L)) m.push(idx.every((i, d) => valid[d]![i]!));
      const mc = g.constant({ dtype: T.bool, dims: [P], values: m.map((b) => (b ? 1 : 0)) });
      prod = g.op("Where", [mc, prod, zero]);
    }
    acc = acc === null ? prod : g.op("Add", [acc, prod]);
  }
  return acc === null ? fill(g, 0, c, outShape) : reshape(g, acc, outShape);
}

/** Advance a row-major multi-index. */
function odometer(idx: number[], dims: readonly number[]): void {
  for (let d = idx.length - 1; d >= 0; d--) {
    if (++idx[d]! < dims[d]!) return;
    idx[d] = 0;
  }
}
