// CPU kernel for conv_general_dilated: im2col + the matrix product of linalg.ts.
//
// Per output batch element and group, the input windows are gathered into a
// column matrix Col[I*KS, P] (I input features per group, KS kernel positions,
// P output positions; zeros where a window reads padding or a hole of the lhs
// dilation), and Out[Og, P] = W[Og, I*KS] @ Col. Layouts never need a transpose:
// each logical dimension (batch, feature, spatial) is addressed by its stride.
import { float16, roundToFloat16 } from "../../dtypes.js";
import { convGeneralDilatedP, type ConvParams } from "../../primitives/conv.js";
import { shapeSize, stridesOf } from "../../shape.js";
import { gemmFloat, gemmInt } from "./linalg.js";
import { alloc, registerCpuKernel1 } from "./kernels.js";

registerCpuKernel1(convGeneralDilatedP, ([x, w], p: ConvParams, [xa, wa], out) => {
  const o = alloc(out);
  if (o.length === 0) return o;
  const dn = p.dimension_numbers;
  const ns = xa!.ndim - 2;
  const xs = stridesOf(xa!.shape);
  const ws = stridesOf(wa!.shape);
  const os = stridesOf(out.shape);
  const xBatchStride = xs[dn.lhs_spec[0]!]!;
  const xFeatStride = xs[dn.lhs_spec[1]!]!;
  const wOutStride = ws[dn.rhs_spec[0]!]!;
  const wInStride = ws[dn.rhs_spec[1]!]!;
  const oBatchStride = os[dn.out_spec[0]!]!;
  const oFeatStride = os[dn.out_spec[1]!]!;
  const inSize = dn.lhs_spec.slice(2).map((a) => xa!.shape[a]!);
  const kSize = dn.rhs_spec.slice(2).map((a) => wa!.shape[a]!);
  const outSize = dn.out_spec.slice(2).map((a) => out.shape[a]!);
  const xSp = dn.lhs_spec.slice(2).map((a) => xs[a]!);
  const wSp = dn.rhs_spec.slice(2).map((a) => ws[a]!);
  const oSp = dn.out_spec.slice(2).map((a) => os[a]!);

  const fg = p.feature_group_count;
  const bg = p.batch_group_count;
  const nOut = out.shape[dn.out_spec[0]!]!;
  const O = wa!.shape[dn.rhs_spec[0]!]!;
  const I = wa!.shape[dn.rhs_spec[1]!]!;
  const groups = Math.max(fg, bg);
  const Og = O / groups;
  const KS = shapeSize(kSize);
  const P = shapeSize(outSize);
  const Kdim = I * KS;
  if (Kdim === 0) return o; // empty contraction: zeros

  // For each spatial dim, the input index read by (output index, kernel index), or -1.
  const tables = outSize.map((os_, d) => {
    const t = new Int32Array(os_ * kSize[d]!);
    const [lo] = p.padding[d]!;
    const st = p.window_strides[d]!;
    const ld = p.lhs_dilation[d]!;
    const rd = p.rhs_dilation[d]!;
    for (let oi = 0; oi < os_; oi++) {
      for (let k = 0; k < kSize[d]!; k++) {
        const pos = oi * st + k * rd - lo; // position in the dilated, padded input
        const ok = pos >= 0 && pos % ld === 0 && pos / ld < inSize[d]!;
        t[oi * kSize[d]! + k] = ok ? pos / ld : -1;
      }
    }
    return t;
  });

  // inOff[kf*P + pf]: input spatial offset for kernel position kf at output position pf (-1: zero).
  // outOff[pf]: output spatial offset. wOff[kf]: kernel spatial offset.
  const inOff = new Int32Array(KS * P);
  const outOff = new Int32Array(P);
  const wOff = new Int32Array(KS);
  const kIdx = new Array<number>(ns).fill(0);
  for (let kf = 0; kf < KS; kf++) {
    let wo = 0;
    for (let d = 0; d < ns; d++) wo += kIdx[d]! * wSp[d]!;
    wOff[kf] = wo;
    const oIdx = new Array<number>(ns).fill(0);
    for (let pf = 0; pf < P; pf++) {
      let off = 0;
      let oo = 0;
      for (let d = 0; d < ns; d++) {
        const i = tables[d]![oIdx[d]! * kSize[d]! + kIdx[d]!]!;
        if (i < 0) {
          off = -1;
          break;
        }
        off += i * xSp[d]!;
      }
      inOff[kf * P + pf] = off;
      if (kf === 0) {
        for (let d = 0; d < ns; d++) oo += oIdx[d]! * oSp[d]!;
        outOff[pf] = oo;
      }
      odometer(oIdx, outSize);
    }
    odometer(kIdx, kSize);
  }

  // Operands share a dtype; preferred_element_type only widens (int -> float or
  // wider int, float -> wider float), so values are read as they are.
  const isFloat = out.dtype.kind === "f";
  const toF16 = out.dtype === float16;
  const toBool = out.dtype.kind === "b";
  // The kernel as a contiguous [O, I*KS] matrix.
  const W = isFloat ? new Float64Array(O * Kdim) : new Int32Array(O * Kdim);
  for (let oc = 0; oc < O; oc++) {
    for (let c = 0; c < I; c++) {
      const src = oc * wOutStride + c * wInStride;
      const dst = oc * Kdim + c * KS;
      for (let kf = 0; kf < KS; kf++) W[dst + kf] = w![src + wOff[kf]!]!;
    }
  }
  // XLA skips padding and lhs-dilation holes rather than multiplying zeros into
  // them, which differs from im2col's zeros only when a weight is inf or nan.
  if (isFloat && !(W as Float64Array).every(Number.isFinite)) {
    const geometry = { nOut, groups, fg, bg, I, Og, KS, P, Kdim, xBatchStride, xFeatStride, oBatchStride, oFeatStride };
    convDirect(x!, o, W as Float64Array, inOff, outOff, geometry, toF16);
    return o;
  }
  const col = isFloat ? new Float64Array(Kdim * P) : new Int32Array(Kdim * P);
  const acc = isFloat ? new Float64Array(Og * P) : new Int32Array(Og * P);

  for (let n = 0; n < nOut; n++) {
    for (let g = 0; g < groups; g++) {
      // Batch groups split the lhs batch; feature groups split the lhs features.
      const xBase = (bg > 1 ? g * nOut + n : n) * xBatchStride + (fg > 1 ? g * I : 0) * xFeatStride;
      im2col(x!, xBase, xFeatStride, I, inOff, col);
      acc.fill(0);
      if (isFloat) gemmFloat(Og, Kdim, P, W, g * Og * Kdim, Kdim, 1, col, 0, P, 1, acc as Float64Array, 0);
      else gemmInt(Og, Kdim, P, W, g * Og * Kdim, Kdim, 1, col, 0, P, 1, acc as Int32Array, 0);
      for (let oc = 0; oc < Og; oc++) {
        const dst = n * oBatchStride + (g * Og + oc) * oFeatStride;
        const src = oc * P;
        for (let pf = 0; pf < P; pf++) {
          const v = acc[src + pf]!;
          o[dst + outOff[pf]!] = toF16 ? roundToFloat16(v) : toBool ? (v !== 0 ? 1 : 0) : v;
        }
      }
    }
  }
  return o;
});

/** Col[c, kf, pf] = x[base + c*featStride + inOff[kf, pf]], or 0 where inOff is -1. */
function im2col(x: ArrayLike<number>, base: number, featStride: number, I: number, inOff: Int32Array, col: Float64Array | Int32Array): void {
  const n = inOff.length;
  for (let c = 0; c < I; c++) {
    const cb = base + c * featStride;
    const rowBase = c * n;
    for (let kp = 0; kp < n; kp++) {
      const off = inOff[kp]!;
      col[rowBase + kp] = off < 0 ? 0 : x[cb + off]!;
    }
  }
}

interface ConvGeometry {
  nOut: number;
  groups: number;
  fg: number;
  bg: number;
  I: number;
  Og: number;
  KS: number;
  P: number;
  Kdim: number;
  xBatchStride: number;
  xFeatStride: number;
  oBatchStride: number;
  oFeatStride: number;
}

/** Direct loops that read only in-bounds input (float kernels with non-finite weights). */
function convDirect(
  x: ArrayLike<number>,
  o: { [i: number]: number },
  W: Float64Array,
  inOff: Int32Array,
  outOff: Int32Array,
  geometry: ConvGeometry,
  toF16: boolean,
): void {
  const { nOut, groups, fg, bg, I, Og, KS, P, Kdim, xBatchStride, xFeatStride, oBatchStride, oFeatStride } = geometry;
  for (let n = 0; n < nOut; n++) {
    for (let g = 0; g < groups; g++) {
      const xBase = (bg > 1 ? g * nOut + n : n) * xBatchStride + (fg > 1 ? g * I : 0) * xFeatStride;
      for (let oc = 0; oc < Og; oc++) {
        const wBase = (g * Og + oc) * Kdim;
        const dst = n * oBatchStride + (g * Og + oc) * oFeatStride;
        for (let pf = 0; pf < P; pf++) {
          let s = 0;
          for (let c = 0; c < I; c++) {
            const xc = xBase + c * xFeatStride;
            const wc = wBase + c * KS;
            for (let kf = 0; kf < KS; kf++) {
              const off = inOff[kf * P + pf]!;
              if (off >= 0) s += x[xc + off]! * W[wc + kf]!;
            }
          }
          o[dst + outOff[pf]!] = toF16 ? roundToFloat16(s) : s;
        }
      }
    }
  }
}

/** Advance a row-major multi-index. */
function odometer(idx: number[], dims: readonly number[]): void {
  for (let d = idx.length - 1; d >= 0; d--) {
    if (++idx[d]! < dims[d]!) return;
    idx[d] = 0;
  }
}
