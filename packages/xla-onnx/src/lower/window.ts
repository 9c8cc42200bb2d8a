// Windowed reductions: reduce_window_sum / reduce_window_max / reduce_window_min
// (XLA's ReduceWindow with the monoid's identity as init), for every dtype and
// every geometry core accepts (padding incl. negative, strides, base and window
// dilation), with no CPU fallback.
//
// How: the operand is padded with the identity by the pad lowering (base
// dilation = interior padding, negative padding = a crop), so every window lies
// inside the padded tensor; then each window offset ("tap") is one strided Slice
// of output shape, and the taps are combined elementwise:
// - max / min: per dimension (a rectangular window is separable and max/min do
//   not depend on order), so a window of w1 x w2 costs w1 + w2 slices; combined
//   by the elementwise max/min lowering, which makes NaN win as XLA does (ORT's
//   MaxPool and ReduceMax drop NaN depending on its position; measured with
//   onnxruntime-node 1.30). bool combines with Or/And.
// - sum: all taps in row-major window order, starting from 0 (a zero sum is
//   +0, never -0, as XLA's from its +0 init), in the operand's
//   type — XLA's order and precision, so float sums round as JAX's do (checked
//   bit for bit against JAX 0.10.2 on core's window goldens; core's CPU kernel
//   accumulates float16/float32 in float64 and rounds once, within tolerance).
//   Beyond 256 taps the sum goes per dimension, to bound the graph. Integers
//   add in int64 and wrap back (ORT's narrow integer kernels are incomplete);
//   float16 adds in float32 and rounds every partial sum to float16 with an
//   explicit Cast pair (a chain of ORT float16 Adds measured as one float32
//   accumulation rounded at the end).
// Core has no generic reduce_window primitive (lax.reduceWindow binds one of
// these three or throws), so there is nothing else to lower.
import { lax, type DType } from "@jaxts/core";
import type { GraphBuilder } from "../proto.js";
import type { DT } from "../dtypes.js";
import { registerLowering1, type LowerCtx, type LowerEqn } from "./table.js";
import { T, cast, dt, fill, isFloat, opIn, size } from "./util.js";
import { maxNaN, minNaN } from "./elementwise.js";
import { pad } from "./structural.js";

type Kind = "sum" | "max" | "min";

interface WindowParams {
  window_dimensions: readonly number[];
  window_strides: readonly number[];
  padding: readonly (readonly [number, number])[];
  base_dilation: readonly number[];
  window_dilation: readonly number[];
}

const dilate = (d: number, k: number): number => (d === 0 ? 0 : 1 + k * (d - 1));

/** Most taps a float sum folds in XLA's row-major order before going per dimension. */
const MAX_FOLD_TAPS = 256;

function identity(kind: Kind, d: DType): number {
  return kind === "sum" ? 0 : kind === "max" ? lax.maxIdentity(d) : lax.minIdentity(d);
}

/** The element type the whole computation runs in. */
function computeIn(kind: Kind, t: DT): DT {
  if (kind === "sum") return isFloat(t) ? (t === T.f16 ? T.f32 : t) : T.i64;
  // ORT's Pad and Max/Min lack 16-bit integer kernels.
  return t === T.i16 || t === T.u16 ? T.i32 : t;
}

/**
 * The strided slice of `x` seen by window offset `offset` (per axis, in units
 * of the window dilation) along `axes`: output-shaped along those axes.
 */
function tap(
  g: GraphBuilder,
  x: string,
  axes: readonly number[],
  offset: readonly number[],
  p: WindowParams,
  outShape: readonly number[],
): string {
  const starts = axes.map((a, k) => offset[k]! * p.window_dilation[a]!);
  const ends = axes.map((a, k) => starts[k]! + (outShape[a]! - 1) * p.window_strides[a]! + 1);
  const steps = axes.map((a) => p.window_strides[a]!);
  const ins = [x, g.i64(starts), g.i64(ends), g.i64(axes)];
  if (steps.some((s) => s !== 1)) ins.push(g.i64(steps));
  return g.op("Slice", ins);
}

/** A float32 value rounded to float16 (each step of a float16 sum rounds, as in XLA). */
function roundF16(g: GraphBuilder, x: string): string {
  return g.op("Cast", [g.op("Cast", [x], { to: T.f16 })], { to: T.f32 });
}

/** Row-major window offsets over `dims`. */
function offsets(dims: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const w of dims) out = out.flatMap((o) => Array.from({ length: w }, (_, k) => [...o, k]));
  return out;
}

function lowerWindow(kind: Kind) {
  return ({ g }: LowerCtx, [x]: string[], e: LowerEqn): string => {
    const p = e.params as WindowParams;
    const xa = e.inAvals[0]!;
    const outShape: number[] = [...e.outAvals[0]!.shape];
    const t = dt(xa);
    const nd = xa.ndim;
    const init = identity(kind, xa.dtype);
    if (nd === 0) return x!; // a rank-0 window holds the one element
    // No windows, or windows that see only padding and dilation holes.
    if (size(outShape) === 0 || xa.size === 0) return fill(g, init, t, outShape);

    const c = computeIn(kind, t);
    let v = cast(g, x!, t, c);
    const cfg = p.padding.map(([lo, hi], i) => [lo, hi, p.base_dilation[i]! - 1] as [number, number, number]);
    if (cfg.some(([lo, hi, int]) => lo !== 0 || hi !== 0 || int !== 0)) v = pad(g, v, g.scalar(init, c), xa.shape, cfg, c);
    const padded = xa.shape.map((d, i) => dilate(d, p.base_dilation[i]!) + p.padding[i]![0] + p.padding[i]![1]);

    // Axes whose window is not the identity (one tap, stride 1, nothing cropped).
    const axes = padded.map((_, i) => i).filter((i) => p.window_dimensions[i]! > 1 || p.window_strides[i]! > 1 || padded[i] !== outShape[i]);
    let r = v;
    if (axes.length > 0) {
      const combine =
        kind === "sum"
          ? (a: string, b: string) => (t === T.f16 ? roundF16(g, g.op("Add", [a, b])) : opIn(g, "Add", [a, b], c))
          : (a: string, b: string) => (kind === "max" ? maxNaN : minNaN)(g, a, b, c);
      const fold = (taps: string[]) => taps.reduce((a, b) => combine(a, b));
      const wins = axes.map((a) => p.window_dimensions[a]!);
      const taps = size(wins);
      if (kind === "sum" && isFloat(c) && taps <= MAX_FOLD_TAPS) {
        // XLA's order: ((0 + x0) + x1) + ... over the window in row-major order.
        r = fold([g.scalar(0, c), ...offsets(wins).map((o) => tap(g, v, axes, o, p, outShape))]);
      } else {
        // One axis at a time (the axes already reduced have their output size).
        axes.forEach((a, i) => {
          const taps = Array.from({ length: p.window_dimensions[a]! }, (_, k) => tap(g, r, [a], [k], p, outShape));
          r = fold(i === 0 && kind === "sum" && isFloat(c) ? [g.scalar(0, c), ...taps] : taps);
        });
      }
    }
    // XLA sums from the +0 init, so a float window sum is never -0 (nor is the
    // CPU backend's); the fold's leading Add(0, x) is removed by ORT's
    // NoopElimination, and an identity window adds nothing at all.
    if (kind === "sum" && isFloat(c)) r = g.op("Where", [g.op("Equal", [r, g.scalar(0, c)]), g.scalar(0, c), r]);
    return cast(g, r, c, t);
  };
}

registerLowering1(lax.reduceWindowSumP, lowerWindow("sum"));
registerLowering1(lax.reduceWindowMaxP, lowerWindow("max"));
registerLowering1(lax.reduceWindowMinP, lowerWindow("min"));
