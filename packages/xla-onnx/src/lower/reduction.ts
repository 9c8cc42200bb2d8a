// Reductions, argmax/argmin, cumulative ops.
import { lax, type Primitive } from "@jaxts/core";
import type { GraphBuilder } from "../proto.js";
import type { DT } from "../dtypes.js";
import { registerLowering1 } from "./table.js";
import { T, bitsOf, cast, computeType, dt, fill, isFloat, isUnsigned, notC, opIn, reshape } from "./util.js";
import { maxNaN, minNaN } from "./elementwise.js";
import { slice } from "./structural.js";

function lowest(t: DT): number {
  if (isFloat(t)) return -Infinity;
  if (t === T.bool) return 0;
  return isUnsigned(t) ? 0 : -(2 ** (bitsOf(t) - 1));
}
function highest(t: DT): number {
  if (isFloat(t)) return Infinity;
  if (t === T.bool) return 1;
  return isUnsigned(t) ? 2 ** bitsOf(t) - 1 : 2 ** (bitsOf(t) - 1) - 1;
}

/** Any NaN along `axes` (keepdims 0). */
function anyNaN(g: GraphBuilder, x: string, axes: string): string {
  const m = g.op("Cast", [g.op("IsNaN", [x])], { to: T.u8 });
  return g.op("Cast", [g.op("ReduceMax", [m, axes], { keepdims: 0 })], { to: T.bool });
}

function reduce(p: Primitive, op: string, identity: (t: DT) => number, nanCheck: boolean): void {
  registerLowering1(p, ({ g }, [x], e) => {
    const axes: number[] = [...e.params.axes];
    const xa = e.inAvals[0]!;
    const out = e.outAvals[0]!;
    const t = dt(xa);
    if (axes.length === 0) return x!;
    if (xa.size === 0) return fill(g, identity(t), t, out.shape);
    // One element per result: XLA simplifies the reduction to a reshape (so a
    // one-element sum of -0 is -0), as the CPU backend does.
    if (xa.size === out.size) return g.op("Reshape", [x!, g.i64(out.shape)]);
    const ax = g.i64(axes);
    // ORT's int32 sums and products saturate; XLA's wrap: compute integers in int64.
    const c = !isFloat(t) && (op === "ReduceSum" || op === "ReduceProd") ? T.i64 : computeType(op, t)!;
    let r = g.op(op, [cast(g, x!, t, c), ax], { keepdims: 0 });
    r = cast(g, r, c, t);
    // XLA sums from its +0 init, so a float sum of two or more elements is never
    // -0 (the CPU backend's too); ORT's ReduceSum of -0s is -0. (Not by adding +0: ORT's
    // NoopElimination removes Add(v, 0).)
    if (op === "ReduceSum" && isFloat(t)) r = g.op("Where", [g.op("Equal", [r, g.scalar(0, t)]), g.scalar(0, t), r]);
    if (nanCheck && isFloat(t)) {
      r = signedZeroExtremum(g, op, x!, ax, r, t);
      r = g.op("Where", [anyNaN(g, x!, ax), g.scalar(NaN, t), r]);
    }
    return r;
  });
}
/**
 * XLA's max/min are IEEE 754-2019 maximum/minimum (+0 > -0), so a reduce_max
 * whose result is a zero is +0 if any element is +0 (reduce_min: -0 if any is
 * -0). ORT's ReduceMax/ReduceMin return whichever zero comes first. Where the
 * result `r` is a zero, every element is <= 0 (>= 0 for min), and the max (min)
 * of 1/x is +inf (-inf) exactly when one is +0 (-0).
 */
function signedZeroExtremum(g: GraphBuilder, op: string, x: string, ax: string, r: string, t: DT): string {
  const zero = g.scalar(0, t);
  const k = g.op(op, [g.op("Reciprocal", [x]), ax], { keepdims: 0 });
  const isZero = g.op("Equal", [r, zero]);
  if (op === "ReduceMax") return g.op("Where", [g.op("And", [isZero, g.op("Greater", [k, zero])]), zero, r]);
  // -0 where a -0 is there; r, in Where's `then` input, is never -0 elsewhere.
  const negZero = g.op("And", [isZero, g.op("Less", [k, zero])]);
  return g.op("Where", [notC(g, negZero), r, g.scalar(-0, t)]);
}

reduce(lax.reduceSumP, "ReduceSum", () => 0, false);
reduce(lax.reduceProdP, "ReduceProd", () => 1, false);
reduce(lax.reduceMaxP, "ReduceMax", lowest, true);
reduce(lax.reduceMinP, "ReduceMin", highest, true);

/**
 * reduce_and/or/xor. bool: ReduceMin/ReduceMax/ReduceSum mod 2 over uint8/int32.
 * Integers (exact for every width and sign): a log-step pairwise tree along each
 * reduced axis, combining the first and second halves with BitwiseAnd/Or/Xor
 * (ORT implements them for every integer type) and carrying an odd length's last
 * element over with Concat; an empty operand gives the identity.
 */
function bitwiseReduce(p: Primitive, boolOp: string, intOp: string, identity: (t: DT) => number): void {
  registerLowering1(p, ({ g }, [x], e) => {
    const xa = e.inAvals[0]!;
    const axes: number[] = e.params.axes.map((a: number) => (a < 0 ? a + xa.shape.length : a));
    const t = dt(xa);
    const outShape = e.outAvals[0]!.shape;
    if (axes.length === 0) return x!;
    if (xa.size === 0) return fill(g, identity(t), t, outShape);
    if (t === T.bool) {
      const u = g.op("Cast", [x!], { to: boolOp === "xor" ? T.i32 : T.u8 });
      if (boolOp === "xor") {
        const s = g.op("ReduceSum", [u, g.i64(axes)], { keepdims: 0 });
        return g.op("Cast", [g.op("Mod", [s, g.scalar(2, T.i32)], { fmod: 1 })], { to: T.bool });
      }
      return g.op("Cast", [g.op(boolOp, [u, g.i64(axes)], { keepdims: 0 })], { to: T.bool });
    }
    const shape = [...xa.shape];
    let cur = x!;
    const part = (v: string, axis: number, start: number, end: number) => {
      const st = shape.map(() => 0);
      const en = [...shape];
      st[axis] = start;
      en[axis] = end;
      return slice(g, v, st, en);
    };
    for (const axis of axes) {
      let m = shape[axis]!;
      while (m > 1) {
        const h = Math.floor(m / 2);
        let c = g.op(intOp, [part(cur, axis, 0, h), part(cur, axis, h, 2 * h)]);
        if (m % 2 === 1) c = g.op("Concat", [c, part(cur, axis, 2 * h, m)], { axis });
        cur = c;
        m = h + (m % 2);
        shape[axis] = m;
      }
    }
    return reshape(g, cur, outShape);
  });
}
/** All ones: -1 for signed types, 2^bits - 1 for unsigned ones, true for bool. */
const allOnes = (t: DT) => (t === T.bool ? 1 : isUnsigned(t) ? 2 ** bitsOf(t) - 1 : -1);
bitwiseReduce(lax.reduceAndP, "ReduceMin", "BitwiseAnd", allOnes);
bitwiseReduce(lax.reduceOrP, "ReduceMax", "BitwiseOr", () => 0);
bitwiseReduce(lax.reduceXorP, "xor", "BitwiseXor", () => 0);

function argReduce(p: Primitive, op: "ArgMax" | "ArgMin"): void {
  registerLowering1(p, ({ g }, [x], e) => {
    const axis: number = e.params.axes[0];
    const t = dt(e.inAvals[0]!);
    const c = computeType(op, t)!;
    const arg = (b: GraphBuilder) => b.op(op, [cast(b, x!, t, c)], { axis, keepdims: 0, select_last_index: 0 });
    if (!isFloat(t)) return g.op("Cast", [arg(g)], { to: dt(e.outAvals[0]!) });
    // The first NaN wins (ORT's ArgMax/ArgMin skip NaN). An operand without
    // NaN (its sum is not NaN: a NaN makes it NaN) needs only ArgMax/ArgMin;
    // an If picks that or the NaN-aware form.
    const nanAware = (b: GraphBuilder) => {
      const isnan = b.op("Cast", [b.op("IsNaN", [x!])], { to: T.u8 });
      const firstNan = b.op("ArgMax", [isnan], { axis, keepdims: 0, select_last_index: 0 });
      const has = b.op("Cast", [b.op("ReduceMax", [isnan, b.i64([axis])], { keepdims: 0 })], { to: T.bool });
      return b.op("Where", [has, firstNan, arg(b)]);
    };
    const sum = g.op("ReduceSum", [cast(g, x!, t, t === T.f16 ? T.f32 : t)], { keepdims: 0 });
    const outShape = e.outAvals[0]!.shape;
    const sub = (name: string, build: (b: GraphBuilder) => string) => {
      const b = g.child();
      b.addOutput(b.op("Identity", [build(b)]), T.i64, outShape);
      return { graph: b.toGraph(name) };
    };
    const r = g.node("If", [g.op("Equal", [sum, sum])], { then_branch: sub("no_nan", arg), else_branch: sub("nan", nanAware) }, 1)[0]!;
    return g.op("Cast", [r], { to: dt(e.outAvals[0]!) });
  });
}
argReduce(lax.argmaxP, "ArgMax");
argReduce(lax.argminP, "ArgMin");

registerLowering1(lax.cumsumP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  const c = isFloat(t) ? computeType("CumSum", t)! : T.i64;
  let r = g.op("CumSum", [cast(g, x!, t, c), g.scalar(e.params.axis, T.i32)], { reverse: e.params.reverse ? 1 : 0 });
  // As XLA's (and the CPU backend's) scan from the +0 identity, a zero prefix
  // sum is +0 (ORT's CumSum starts from the first element: cumsum([-0]) = -0).
  if (isFloat(c)) r = g.op("Where", [g.op("Equal", [r, g.scalar(0, c)]), g.scalar(0, c), r]);
  return cast(g, r, c, t);
});

/**
 * A cumulative op by log-step (Hillis–Steele) scan: log2(n) rounds of combining
 * each element with the one 2^k positions before it (after, when reversed).
 */
function logStepScan(
  g: GraphBuilder,
  x: string,
  shape: readonly number[],
  axis: number,
  reverse: boolean,
  identity: string,
  combine: (a: string, b: string) => string,
): string {
  const n = shape[axis]!;
  let cur = x;
  for (let k = 1; k < n; k *= 2) {
    // shifted[i] = cur[i - k] (identity where i < k); reversed: cur[i + k].
    const r = shape.length;
    const pads = new Array(2 * r).fill(0);
    if (reverse) pads[r + axis] = k;
    else pads[axis] = k;
    const padded = g.op("Pad", [cur, g.i64(pads), identity]);
    const starts = shape.map(() => 0);
    const ends = [...shape];
    if (reverse) {
      starts[axis] = k;
      ends[axis] = n + k;
    }
    const shifted = slice(g, padded, starts, ends);
    cur = reverse ? combine(cur, shifted) : combine(shifted, cur);
  }
  return cur;
}

function cumulative(p: Primitive, identity: (t: DT) => number, combine: (g: GraphBuilder, a: string, b: string, t: DT) => string): void {
  registerLowering1(p, ({ g }, [x], e) => {
    const xa = e.inAvals[0]!;
    const t = dt(xa);
    // Pad lacks 16-bit kernels; compute in a wider type for those.
    const c = t === T.i16 || t === T.u16 || t === T.i8 ? T.i32 : t === T.f16 ? T.f32 : t;
    const v = cast(g, x!, t, c);
    const r = logStepScan(g, v, xa.shape, e.params.axis, e.params.reverse, g.scalar(identity(c), c), (a, b) => combine(g, a, b, c));
    return cast(g, r, c, t);
  });
}
cumulative(lax.cumprodP, () => 1, (g, a, b, t) => opIn(g, "Mul", [a, b], t));
cumulative(lax.cummaxP, lowest, (g, a, b, t) => maxNaN(g, a, b, t));
cumulative(lax.cumminP, highest, (g, a, b, t) => minNaN(g, a, b, t));
cumulative(lax.cumlogsumexpP, () => -Infinity, (g, a, b, t) => {
  // logaddexp(a, b) = max + log1p(exp(-|a - b|)), with -inf handled.
  const m = g.op("Max", [a, b]);
  const d = g.op("Neg", [g.op("Abs", [g.op("Sub", [a, b])])]);
  const s = g.op("Add", [m, g.op("Log", [g.op("Add", [g.scalar(1, t), g.op("Exp", [d])])])]);
  const isInfM = g.op("IsInf", [m]);
  const nan = g.op("Or", [g.op("IsNaN", [a]), g.op("IsNaN", [b])]);
  return g.op("Where", [nan, g.op("Add", [a, b]), g.op("Where", [isInfM, m, s])]);
});
