// conv_general_dilated → ONNX Conv: operands transposed to [N, C, spatial...] and
// [O, I, spatial...] by the dimension numbers; lhs dilation and lax's padding
// (negative allowed) applied by the pad lowering; rhs dilation, strides and
// feature groups by Conv itself (lhs dilation > 1 falls back for now); the result transposed to out_spec. Floating
// point only (float16 computes in float32); batch groups, float64 and integer
// convolutions run on the CPU backend.
import { lax } from "@jaxts/core";
import { registerLowering1 } from "./table.js";
import { T, cast, dt } from "./util.js";
import { pad, transpose } from "./structural.js";

registerLowering1(
  lax.convGeneralDilatedP,
  ({ g }, [x, w], e) => {
    const p = e.params;
    const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers as { lhs_spec: number[]; rhs_spec: number[]; out_spec: number[] };
    const [xa, wa] = e.inAvals as [any, any];
    const tOut = dt(e.outAvals[0]!);
    const tx = dt(xa);
    const c = T.f32;
    let lhs = transpose(g, cast(g, x!, tx, c), lhs_spec);
    const rhs = transpose(g, cast(g, w!, dt(wa), c), rhs_spec);
    const shape = lhs_spec.map((d) => xa.shape[d]!);
    const nsp = shape.length - 2;
    const lhsDil: number[] = p.lhs_dilation;
    const padding: [number, number][] = p.padding;
    if (lhsDil.some((d) => d > 1) || padding.some(([lo, hi]) => lo !== 0 || hi !== 0)) {
      const cfg: [number, number, number][] = [[0, 0, 0], [0, 0, 0], ...padding.map(([lo, hi], i) => [lo, hi, lhsDil[i]! - 1] as [number, number, number])];
      lhs = pad(g, lhs, g.scalar(0, c), shape, cfg, c);
    }
    let r = g.op("Conv", [lhs, rhs], {
      strides: [...p.window_strides],
      dilations: [...p.rhs_dilation],
      group: p.feature_group_count,
      pads: new Array(2 * nsp).fill(0),
    });
    const perm = new Array<number>(out_spec.length);
    out_spec.forEach((d, k) => (perm[d] = k));
    r = transpose(g, r, perm);
    return cast(g, r, c, tOut);
  },
  (e) => {
    const t = e.inAvals[0]!.dtype.name;
    const o = e.outAvals[0]!.dtype.name;
    if ((t !== "float32" && t !== "float16") || (o !== "float32" && o !== "float16")) {
      return `no ONNX lowering for 'conv_general_dilated' from ${t} to ${o} (float32/float16 only)`;
    }
    if (e.params.batch_group_count !== 1) return "no ONNX lowering for 'conv_general_dilated' with batch_group_count > 1";
    // A dense conv over a dilated input multiplies the holes' zeros by the weights
    // (0 · inf = NaN) where XLA skips them; a ConvTranspose lowering would not.
    if (e.params.lhs_dilation.some((d: number) => d > 1)) return "no ONNX lowering for 'conv_general_dilated' with lhs_dilation > 1 yet";
    if (e.inAvals[0]!.ndim < 3) return "no ONNX lowering for 'conv_general_dilated' without spatial dimensions";
    return true;
  },
);
