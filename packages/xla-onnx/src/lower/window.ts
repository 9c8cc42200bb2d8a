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
//   onnxruntime-node 1.30). bool combines with Or/And. Float windows over at
//   most 3 trailing axes (no base dilation) run ORT's MaxPool instead, inside
//   an If, where one pass over the operand shows it is exact (below).
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
import { T, cast, dt, fill, isFloat, opIn, reshape, size } from "./util.js";
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

/** The window by strided slices (one per tap), combined elementwise; in `g`. */
function byTaps(g: GraphBuilder, x: string, kind: Kind, p: WindowParams, xShape: readonly number[], outShape: readonly number[], t: DT, init: number): string {
  const c = computeIn(kind, t);
  let v = cast(g, x, t, c);
  const cfg = p.padding.map(([lo, hi], i) => [lo, hi, p.base_dilation[i]! - 1] as [number, number, number]);
  if (cfg.some(([lo, hi, int]) => lo !== 0 || hi !== 0 || int !== 0)) v = pad(g, v, g.scalar(init, c), xShape, cfg, c);
  const padded = xShape.map((d, i) => dilate(d, p.base_dilation[i]!) + p.padding[i]![0] + p.padding[i]![1]);

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
}

// --- float max/min pooling by MaxPool ------------------------------------------
//
// ORT's MaxPool is one pass, but not XLA's max: it skips NaN depending on where
// it sits in the window, breaks ties between -0 and +0 by position, and its
// float32 kernels start from the lowest finite value, so a window of -inf alone
// gives -3.4e38 (onnxruntime-node 1.30, measured). It is exact where none of
// that can happen: no NaN, not both +0 and -0, and (max) no -inf in the operand,
// with every window holding at least one operand element (padding is -inf).
// Then the window's max is one of its elements and every zero among them has
// the same sign. A pass over the operand decides it: sum(1/x) is NaN whenever x
// holds a NaN, or both +0 (1/+0 = +inf) and -0 (-inf) (and otherwise only if a
// sum overflowing meets an infinity, which costs nothing but the slower form);
// min(x) finds -inf. An If runs MaxPool where that holds and the per-tap
// lowering otherwise. Windows of padding alone are ruled out when lowering.
// min(x) = -max(-x) (Neg is exact).

interface PoolPlan {
  /** The first pooled axis: MaxPool's spatial axes are `first`.. the last (at most 3). */
  first: number;
  padCfg: [number, number, number][] | null;
}

/** Whether MaxPool can compute this window (else null): see above. */
function poolPlan(p: WindowParams, shape: readonly number[], outShape: readonly number[]): PoolPlan | null {
  const nd = shape.length;
  if (p.base_dilation.some((b) => b !== 1)) return null;
  const trivial = (i: number) => p.window_dimensions[i] === 1 && p.window_strides[i] === 1 && p.padding[i]![0] === 0 && p.padding[i]![1] === 0;
  let first = 0;
  while (first < nd && trivial(first)) first++;
  if (first === nd || nd - first > 3) return null;
  for (let a = first; a < nd; a++) {
    // Every window must see an operand element (a window of padding alone is -inf).
    const [lo, hi] = p.padding[a]!;
    const k = p.window_dimensions[a]!;
    const s = p.window_strides[a]!;
    const d = p.window_dilation[a]!;
    const realLo = Math.max(lo, 0);
    const realHi = shape[a]! + lo + hi - Math.max(hi, 0) - 1;
    if (realHi < realLo) return null;
    for (let j = 0; j < outShape[a]!; j++) {
      let hit = false;
      for (let i = 0; i < k && !hit; i++) {
        const q = j * s + i * d;
        hit = q >= realLo && q <= realHi;
      }
      if (!hit) return null;
    }
  }
  const padded = p.padding.some(([lo, hi]) => lo !== 0 || hi !== 0);
  return { first, padCfg: padded ? p.padding.map(([lo, hi]) => [lo, hi, 0]) : null };
}

/** True where MaxPool's max (of -x for min) equals XLA's: see above. */
function poolIsExact(g: GraphBuilder, x: string, t: DT, kind: "max" | "min"): string {
  const c = t === T.f16 ? T.f32 : t; // a float16 sum of reciprocals overflows early
  const v = cast(g, x, t, c);
  const s = g.op("ReduceSum", [g.op("Reciprocal", [v])], { keepdims: 0 });
  const ext =
    kind === "max"
      ? g.op("Greater", [g.op("ReduceMin", [v], { keepdims: 0 }), g.scalar(-Infinity, c)])
      : g.op("Less", [g.op("ReduceMax", [v], { keepdims: 0 }), g.scalar(Infinity, c)]);
  return g.op("And", [g.op("Equal", [s, s]), ext]);
}

function byMaxPool(g: GraphBuilder, x: string, kind: "max" | "min", p: WindowParams, plan: PoolPlan, xShape: readonly number[], outShape: readonly number[], t: DT): string {
  const { first } = plan;
  const spatial = xShape.map((_, i) => i).slice(first);
  let v = kind === "min" ? g.op("Neg", [x]) : x;
  if (plan.padCfg) v = pad(g, v, g.scalar(-Infinity, t), xShape, plan.padCfg, t);
  const lead = size(xShape.slice(0, first));
  v = reshape(g, v, [lead, 1, ...spatial.map((a) => xShape[a]! + p.padding[a]![0] + p.padding[a]![1])]);
  let r = g.op("MaxPool", [v], {
    kernel_shape: spatial.map((a) => p.window_dimensions[a]!),
    strides: spatial.map((a) => p.window_strides[a]!),
    dilations: spatial.map((a) => p.window_dilation[a]!),
  });
  r = reshape(g, r, outShape);
  return kind === "min" ? g.op("Neg", [r]) : r;
}

/** A subgraph of `g` holding `build`'s one output (typed `t`, shaped `shape`). */
function branch(g: GraphBuilder, name: string, t: DT, shape: readonly number[], build: (b: GraphBuilder) => string) {
  const b = g.child();
  b.addOutput(b.op("Identity", [build(b)]), t, shape);
  return { graph: b.toGraph(name) };
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
    const plan = kind !== "sum" && isFloat(t) ? poolPlan(p, xa.shape, outShape) : null;
    if (kind === "sum" || !plan) return byTaps(g, x!, kind, p, xa.shape, outShape, t, init);
    return g.node(
      "If",
      [poolIsExact(g, x!, t, kind)],
      {
        then_branch: branch(g, "maxpool", t, outShape, (b) => byMaxPool(b, x!, kind, p, plan, xa.shape, outShape, t)),
        else_branch: branch(g, "taps", t, outShape, (b) => byTaps(b, x!, kind, p, xa.shape, outShape, t, init)),
      },
      1,
    )[0]!;
  };
}

registerLowering1(lax.reduceWindowSumP, lowerWindow("sum"));
registerLowering1(lax.reduceWindowMaxP, lowerWindow("max"));
registerLowering1(lax.reduceWindowMinP, lowerWindow("min"));
