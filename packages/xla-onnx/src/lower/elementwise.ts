// Elementwise primitives. lax's operands have equal ranks (or are scalars), so
// ONNX's numpy-style broadcasting gives lax's result shape. Integer edge cases
// follow XLA (x/0 = -1, x%0 = x, shifts past the width give 0 or the sign fill);
// ORT kernels missing for a dtype are reached through casts (util.opIn).
import { addAnyP, lax, type Primitive } from "@jaxts/core";
import type { GraphBuilder } from "../proto.js";
import { registerLowering1, type LowerEqn } from "./table.js";
import { T, bitsOf, cast, computeType, dt, expand, isFloat, isUnsigned, maxF, minF, opIn, signBit, signOne, size as sizeOf, splatOf, whereT } from "./util.js";
import type { DT } from "../dtypes.js";
import { FloatOps, acos64, acosh64, asin64, asinh64, atan2_64, atan64, atanh64, cosh64, erf64, expm1, log1p, sinh64, trig64 } from "./math64.js";

/**
 * A float op that ORT implements for f16/f32; `f64` builds the float64 form
 * where ORT has no double kernel (or an inaccurate one) from ops it has (math64.ts).
 */
function floatUnary(p: Primitive, op: string, f64?: (f: FloatOps, x: string) => string): void {
  registerLowering1(p, ({ g }, [x], e) => {
    const t = dt(e.inAvals[0]!);
    if (t === T.f64 && f64) return f64(new FloatOps(g, t), x!);
    return opIn(g, op, [x!], t);
  });
}

floatUnary(lax.sinP, "Sin", (f, x) => trig64(f, x, "sin"));
floatUnary(lax.cosP, "Cos", (f, x) => trig64(f, x, "cos"));
floatUnary(lax.tanP, "Tan", (f, x) => trig64(f, x, "tan"));
floatUnary(lax.asinP, "Asin", asin64);
floatUnary(lax.acosP, "Acos", acos64);
floatUnary(lax.atanP, "Atan", atan64);
floatUnary(lax.sinhP, "Sinh", sinh64);
floatUnary(lax.coshP, "Cosh", cosh64);
floatUnary(lax.tanhP, "Tanh");
floatUnary(lax.asinhP, "Asinh", asinh64);
floatUnary(lax.acoshP, "Acosh", acosh64);
floatUnary(lax.atanhP, "Atanh", atanh64);
floatUnary(lax.expP, "Exp");
floatUnary(lax.logP, "Log");
floatUnary(lax.sqrtP, "Sqrt");
floatUnary(lax.floorP, "Floor");
floatUnary(lax.ceilP, "Ceil");
floatUnary(lax.logisticP, "Sigmoid");
floatUnary(lax.erfP, "Erf", erf64);

/** Run `body` in a float type ORT computes well (f16 → f32), casting back. */
function inFloat(g: GraphBuilder, x: string, t: DT, body: (x: string, c: DT) => string): string {
  const c = t === T.f16 ? T.f32 : t;
  return cast(g, body(cast(g, x, t, c), c), c, t);
}

registerLowering1(lax.exp2P, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  return inFloat(g, x!, t, (v, c) => g.op("Pow", [g.scalar(2, c), v]));
});

registerLowering1(lax.rsqrtP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  // In f64 for f32 inputs: one rounding, like the CPU backend.
  const c = t === T.f64 ? T.f64 : T.f64;
  return cast(g, g.op("Div", [g.scalar(1, c), g.op("Sqrt", [cast(g, x!, t, c)])]), c, t);
});

registerLowering1(lax.cbrtP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  const v = cast(g, x!, t, T.f64);
  const a = g.op("Abs", [v]);
  const r = g.op("Mul", [g.op("Sign", [v]), g.op("Pow", [a, g.scalar(1 / 3, T.f64)])]);
  // NaN, signed zeros and infinities as they are: v only as Where's exact third
  // input (util.whereT); r, selected for finite nonzero v, is nonzero.
  const finiteNonzero = g.op("And", [g.op("Greater", [a, g.scalar(0, T.f64)]), g.op("Less", [a, g.scalar(Infinity, T.f64)])]);
  return cast(g, g.op("Where", [finiteNonzero, r, v]), T.f64, t);
});

// Accurate forms (math64.ts): Goldberg's log1p, Kahan's expm1.
registerLowering1(lax.log1pP, ({ g }, [x], e) => inFloat(g, x!, dt(e.inAvals[0]!), (v, c) => log1p(new FloatOps(g, c), v)));
registerLowering1(lax.expm1P, ({ g }, [x], e) => inFloat(g, x!, dt(e.inAvals[0]!), (v, c) => expm1(new FloatOps(g, c), v)));

registerLowering1(lax.roundP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  if (e.params.rounding_method === 1) return opIn(g, "Round", [x!], t);
  return inFloat(g, x!, t, (v, c) => {
    // Half away from zero: r = floor(|x|) + (|x| - floor(|x|) >= 0.5), with x's sign.
    const a = g.op("Abs", [v]);
    const f = g.op("Floor", [a]);
    const up = g.op("GreaterOrEqual", [g.op("Sub", [a, f]), g.scalar(0.5, c)]);
    const r = g.op("Where", [up, g.op("Add", [f, g.scalar(1, c)]), f]);
    // x's sign by multiplication (round(-0.3) = -0; a Where would lose it).
    return g.op("Mul", [r, signOne(g, v, c)]);
  });
});

registerLowering1(lax.isFiniteP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  return g.op("Not", [g.op("Or", [g.op("IsNaN", [x!]), g.op("IsInf", [cast(g, x!, t, t)])])]);
});

registerLowering1(lax.negP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  if (isUnsigned(t)) return g.op("Sub", [g.scalar(0, t), x!]);
  return opIn(g, "Neg", [x!], t);
});

registerLowering1(lax.absP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  return isUnsigned(t) ? x! : opIn(g, "Abs", [x!], t);
});

registerLowering1(lax.signP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  const s = opIn(g, "Sign", [x!], t);
  if (!isFloat(t)) return s;
  // XLA: sign(+-0) = +-0, sign(NaN) = NaN (ORT: Sign(-0) = +0; float16 Sign(NaN) = 0).
  // x only as Where's exact third input.
  const zero = g.scalar(0, t);
  return g.op("Where", [g.op("Or", [g.op("Less", [x!, zero]), g.op("Greater", [x!, zero])]), s, x!]);
});

registerLowering1(lax.squareP, ({ g }, [x], e) => opIn(g, "Mul", [x!, x!], dt(e.inAvals[0]!)));

registerLowering1(lax.integerPowP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  const y: number = e.params.y;
  const n = Math.abs(y);
  if (n === 0) return g.op("Expand", [g.scalar(1, t), g.op("Shape", [x!])]);
  // Repeated squaring, as XLA expands integer_pow.
  let acc: string | null = null;
  let base = x!;
  let k = n;
  while (k > 0) {
    if (k & 1) acc = acc === null ? base : opIn(g, "Mul", [acc, base], t);
    k >>>= 1;
    if (k > 0) base = opIn(g, "Mul", [base, base], t);
  }
  return y < 0 ? g.op("Div", [g.scalar(1, t), acc!]) : acc!;
});

registerLowering1(lax.notP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  return t === T.bool ? g.op("Not", [x!]) : g.op("BitwiseNot", [x!]);
});

/** x masked to its width, as uint32. */
function asU32(g: GraphBuilder, x: string, t: DT): string {
  const u = cast(g, x, t, T.u32);
  const bits = bitsOf(t);
  return bits === 32 ? u : g.op("BitwiseAnd", [u, g.scalar(2 ** bits - 1, T.u32)]);
}

function popcount32(g: GraphBuilder, v: string): string {
  const c = (n: number) => g.scalar(n, T.u32);
  const shr = (a: string, s: number) => g.op("BitShift", [a, c(s)], { direction: "RIGHT" });
  const and = (a: string, m: number) => g.op("BitwiseAnd", [a, c(m)]);
  let x = g.op("Sub", [v, and(shr(v, 1), 0x55555555)]);
  x = g.op("Add", [and(x, 0x33333333), and(shr(x, 2), 0x33333333)]);
  x = and(g.op("Add", [x, shr(x, 4)]), 0x0f0f0f0f);
  return shr(g.op("Mul", [x, c(0x01010101)]), 24);
}

registerLowering1(lax.populationCountP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  return cast(g, popcount32(g, asU32(g, x!, t)), T.u32, t);
});

registerLowering1(lax.clzP, ({ g }, [x], e) => {
  const t = dt(e.inAvals[0]!);
  let v = asU32(g, x!, t);
  for (const s of [1, 2, 4, 8, 16]) v = g.op("BitwiseOr", [v, g.op("BitShift", [v, g.scalar(s, T.u32)], { direction: "RIGHT" })]);
  const n = g.op("Sub", [g.scalar(bitsOf(t), T.u32), popcount32(g, v)]);
  return cast(g, n, T.u32, t);
});

registerLowering1(lax.stopGradientP, (_c, [x]) => x!);

// --- binary arithmetic ---

function binary(p: Primitive, op: string, boolOp?: string): void {
  registerLowering1(p, ({ g }, [x, y], e) => {
    const t = dt(e.inAvals[0]!);
    if (t === T.bool && boolOp) return g.op(boolOp, [x!, y!]);
    return opIn(g, op, [x!, y!], t);
  });
}
binary(lax.addP, "Add", "Or");
binary(addAnyP, "Add", "Or");
binary(lax.subP, "Sub");
binary(lax.mulP, "Mul", "And");

/** Whether integer divisor `y` is a constant other than 0 and -1 (nothing for div/rem to special-case). */
function safeDivisor(g: GraphBuilder, y: string, t: DT): boolean {
  const c = splatOf(g, y);
  return c !== null && c !== 0 && (isUnsigned(t) || c !== -1);
}

/**
 * Integer remainder x - trunc(x / y) * y for y not 0 or -1 (exact: |trunc(x / y) * y| <= |x|).
 * ORT's integer Mod(fmod=1) goes through double fmod, several times slower than Div, Mul and Sub.
 */
function remInt(g: GraphBuilder, x: string, y: string, t: DT): string {
  return opIn(g, "Sub", [x, opIn(g, "Mul", [opIn(g, "Div", [x, y], t), y], t)], t);
}

registerLowering1(lax.divP, ({ g }, [x, y], e) => {
  const t = dt(e.inAvals[0]!);
  if (isFloat(t)) return opIn(g, "Div", [x!, y!], t);
  // A constant divisor other than 0 and -1: ORT's Div truncates as XLA's.
  if (safeDivisor(g, y!, t)) return opIn(g, "Div", [x!, y!], t);
  // XLA: x / 0 = -1 (all ones); INT_MIN / -1 wraps. Never let ORT divide by 0 or -1.
  const zero = g.op("Equal", [y!, g.scalar(0, t)]);
  const safe = isUnsigned(t) ? zero : g.op("Or", [zero, g.op("Equal", [y!, g.scalar(-1, t)])]);
  const y1 = whereT(g, safe, g.scalar(1, t), y!, t);
  let q = g.op("Div", [x!, y1]);
  if (!isUnsigned(t)) q = whereT(g, g.op("Equal", [y!, g.scalar(-1, t)]), g.op("Sub", [g.scalar(0, t), x!]), q, t);
  return whereT(g, zero, g.scalar(isUnsigned(t) ? 2 ** bitsOf(t) - 1 : -1, t), q, t);
});

registerLowering1(lax.remP, ({ g }, [x, y], e) => {
  const t = dt(e.inAvals[0]!);
  if (isFloat(t)) return inFloat(g, x!, t, (xv, c) => g.op("Mod", [xv, cast(g, y!, t, c)], { fmod: 1 }));
  // C's remainder (sign of the dividend); x % 0 = x; x % -1 = 0.
  // x - trunc(x / y) * y, except for a one-element x: ORT's DivMulFusion
  // rewrites Div(1, y) * z as Div(z, y) (integers too) where that Div's
  // numerator is a one-element constant 1 (also one ORT folds); there fmod.
  const rem = (a: string, b: string) => (e.inAvals[0]!.size > 1 ? remInt(g, a, b, t) : g.op("Mod", [a, b], { fmod: 1 }));
  if (safeDivisor(g, y!, t)) return rem(x!, y!);
  const zero = g.op("Equal", [y!, g.scalar(0, t)]);
  const safe = isUnsigned(t) ? zero : g.op("Or", [zero, g.op("Equal", [y!, g.scalar(-1, t)])]);
  const r = rem(x!, whereT(g, safe, g.scalar(1, t), y!, t));
  return whereT(g, zero, x!, r, t);
});

registerLowering1(lax.powP, ({ g }, [x, y], e) => {
  const t = dt(e.inAvals[0]!);
  const ty = dt(e.inAvals[1]!);
  return inFloat(g, x!, t, (xv, c) => g.op("Pow", [xv, cast(g, y!, ty, c)]));
});

export { whereT };

/**
 * max(x, c) / min(x, c) for a float constant c the graph fixes (relu's 0, a
 * clamp's bounds), exact: x reaches the output only through Where's exact
 * `else` input or a multiplication by 1, c only through the `then` input where
 * it is not -0. NaN x compares false and stays x; ties give c (the same value,
 * or for zeros the IEEE answer).
 */
function minMaxConst(g: GraphBuilder, op: "Max" | "Min", x: string, c: number, t: DT): string {
  const zero = g.scalar(0, t);
  // The scalar (the caller broadcasts the result where the constant is larger than x).
  const cName = g.scalar(c, t);
  // NaN wins: x + NaN is NaN everywhere (and has the broadcast shape).
  if (Number.isNaN(c)) return g.op("Add", [x, cName]);
  if (op === "Max") {
    // max(x, +0): Relu is max(x, 0) but keeps -0 (onnxruntime 1.30, every float
    // type and position); Abs makes that +0 and keeps the rest (NaN, +inf, x > 0).
    if (Object.is(c, 0) && computeType("Relu", t) === t) return g.op("Abs", [g.op("Relu", [x])]);
    // max(x, -0): -0 where x < 0 (as +0 * -1), else x * 1 (x = -0 stays -0).
    if (Object.is(c, -0)) {
      const neg = g.op("Less", [x, zero]);
      return g.op("Mul", [g.op("Where", [neg, zero, x]), g.op("Where", [neg, g.scalar(-1, t), g.scalar(1, t)])]);
    }
    // c (+0 or nonzero) where x <= c.
    return g.op("Where", [g.op("LessOrEqual", [x, cName]), cName, x]);
  }
  // min(x, +0): +0 where x > 0, else x (x = -0 stays -0).
  if (Object.is(c, 0)) return g.op("Where", [g.op("Greater", [x, zero]), zero, x]);
  // min(x, -0): -0 where x >= 0 (as +0 * -1), else x * 1.
  if (Object.is(c, -0)) {
    const nonneg = g.op("GreaterOrEqual", [x, zero]);
    return g.op("Mul", [g.op("Where", [nonneg, zero, x]), g.op("Where", [nonneg, g.scalar(-1, t), g.scalar(1, t)])]);
  }
  return g.op("Where", [g.op("GreaterOrEqual", [x, cName]), cName, x]);
}

/**
 * The elementwise max/min lowering. `shapes`: the operands' shapes where they
 * may differ (a scalar against an array); equal when left out.
 */
function minMax(op: "Max" | "Min", boolOp: string) {
  return (g: GraphBuilder, x: string, y: string, t: DT, shapes?: readonly [readonly number[], readonly number[]]): string => {
    if (t === T.bool) return g.op(boolOp, [x, y]);
    if (!isFloat(t)) return opIn(g, op, [x, y], t);
    // A constant operand (max and min are symmetric, NaN included); the result
    // broadcast where the constant is the larger operand.
    const [sx, sy] = shapes ?? [[], []];
    const cy = splatOf(g, y);
    if (cy !== null) return sizeOf(sx) < sizeOf(sy) ? expand(g, minMaxConst(g, op, x, cy, t), sy) : minMaxConst(g, op, x, cy, t);
    const cx = splatOf(g, x);
    if (cx !== null) return sizeOf(sy) < sizeOf(sx) ? expand(g, minMaxConst(g, op, y, cx, t), sx) : minMaxConst(g, op, y, cx, t);
    // IEEE maximum/minimum as XLA's (max(-0, +0) = +0, min = -0), NaN wins.
    return op === "Max" ? maxF(g, x, y, t) : minF(g, x, y, t);
  };
}
export const maxNaN = minMax("Max", "Or");
export const minNaN = minMax("Min", "And");
const shapesOf = (e: LowerEqn) => [e.inAvals[0]!.shape, e.inAvals[1]!.shape] as const;
registerLowering1(lax.maxP, ({ g }, [x, y], e) => maxNaN(g, x!, y!, dt(e.inAvals[0]!), shapesOf(e)));
registerLowering1(lax.minP, ({ g }, [x, y], e) => minNaN(g, x!, y!, dt(e.inAvals[0]!), shapesOf(e)));

// atan2 from atan(y/x) with the quadrant fixed by the signs (and the special
// cases of both operands zero or both infinite). ORT has no f64 Atan: float64
// follows fdlibm's atan2 on math64's atan.
registerLowering1(lax.atan2P, ({ g }, [y, x], e) => {
  const t = dt(e.inAvals[0]!);
  if (t === T.f64) return atan2_64(new FloatOps(g, t), y!, x!);
  return inFloat(g, y!, t, (yv, c) => {
    // atan2(|y|, x) >= +0, then y's sign by multiplication (atan2(-0, x) = -0:
    // a Where would lose it).
    const xv = cast(g, x!, t, c);
    const ay = g.op("Abs", [yv]);
    const pi = g.scalar(Math.PI, c);
    const sbx = signBit(g, xv, c);
    const a = g.op("Atan", [g.op("Div", [ay, xv])]); // <= -0 where x is negative
    const general = g.op("Where", [sbx, g.op("Add", [a, pi]), a]);
    const zero = g.scalar(0, c);
    const bothZero = g.op("And", [g.op("Equal", [xv, zero]), g.op("Equal", [yv, zero])]);
    const bothInf = g.op("And", [g.op("IsInf", [xv]), g.op("IsInf", [yv])]);
    const zr = g.op("Where", [sbx, pi, zero]);
    const ir = g.op("Where", [sbx, g.scalar((3 * Math.PI) / 4, c), g.scalar(Math.PI / 4, c)]);
    const special = g.op("Where", [bothZero, zr, ir]); // pi, +0 or an infinite pair's angle
    const mag = g.op("Where", [g.op("Or", [bothZero, bothInf]), special, general]);
    return g.op("Mul", [mag, signOne(g, yv, c)]);
  });
});

function bitwise(p: Primitive, op: string, boolOp: string): void {
  registerLowering1(p, ({ g }, [x, y], e) => {
    const t = dt(e.inAvals[0]!);
    return g.op(t === T.bool ? boolOp : op, [x!, y!]);
  });
}
bitwise(lax.andP, "BitwiseAnd", "And");
bitwise(lax.orP, "BitwiseOr", "Or");
bitwise(lax.xorP, "BitwiseXor", "Xor");

const signedOf: Record<number, DT> = { [T.u8]: T.i8, [T.u16]: T.i16, [T.u32]: T.i32, [T.u64]: T.i64 };
const unsignedOf: Record<number, DT> = { [T.i8]: T.u8, [T.i16]: T.u16, [T.i32]: T.u32, [T.i64]: T.u64 };

/** Shift amounts as unsigned values of the operand's width, in uint32. */
function shiftAmount(g: GraphBuilder, s: string, t: DT): string {
  const u = isUnsigned(t) ? t : unsignedOf[t]!;
  return cast(g, cast(g, s, t, u), u, T.u32);
}

registerLowering1(lax.shiftLeftP, ({ g }, [x, s], e) => {
  const t = dt(e.inAvals[0]!);
  const bits = bitsOf(t);
  const amt = shiftAmount(g, s!, t);
  const big = g.op("GreaterOrEqual", [amt, g.scalar(bits, T.u32)]);
  const amt1 = g.op("Min", [amt, g.scalar(bits - 1, T.u32)]);
  const r = g.op("BitShift", [cast(g, x!, t, T.u32), amt1], { direction: "LEFT" });
  return cast(g, g.op("Where", [big, g.scalar(0, T.i64), cast(g, r, T.u32, T.i64)]), T.i64, t);
});

registerLowering1(lax.shiftRightLogicalP, ({ g }, [x, s], e) => {
  const t = dt(e.inAvals[0]!);
  const bits = bitsOf(t);
  const amt = shiftAmount(g, s!, t);
  const big = g.op("GreaterOrEqual", [amt, g.scalar(bits, T.u32)]);
  const amt1 = g.op("Min", [amt, g.scalar(bits - 1, T.u32)]);
  const r = g.op("BitShift", [asU32(g, x!, t), amt1], { direction: "RIGHT" });
  return cast(g, g.op("Where", [big, g.scalar(0, T.i64), cast(g, r, T.u32, T.i64)]), T.i64, t);
});

registerLowering1(lax.shiftRightArithmeticP, ({ g }, [x, s], e) => {
  const t = dt(e.inAvals[0]!);
  const bits = bitsOf(t);
  const st = isUnsigned(t) ? signedOf[t]! : t; // as signed of the same width
  const amt = g.op("Min", [shiftAmount(g, s!, t), g.scalar(bits - 1, T.u32)]);
  const xs = cast(g, x!, t, st);
  // Sign-extended to 32 bits, a logical shift by at most bits-1 leaves the
  // arithmetic result in the low bits; for 32-bit values fill the top bits.
  const ux = cast(g, xs, st, T.u32);
  let r = g.op("BitShift", [ux, amt], { direction: "RIGHT" });
  if (bits === 32) {
    const fill = g.op("BitwiseNot", [g.op("BitShift", [g.scalar(0xffffffff, T.u32), amt], { direction: "RIGHT" })]);
    const neg = g.op("Less", [xs, g.scalar(0, st)]);
    r = g.op("Where", [neg, cast(g, g.op("BitwiseOr", [r, fill]), T.u32, T.i64), cast(g, r, T.u32, T.i64)]);
    return cast(g, cast(g, r, T.i64, st), st, t);
  }
  return cast(g, cast(g, r, T.u32, st), st, t);
});

// --- comparisons ---

function compare(p: Primitive, op: string, negate = false): void {
  registerLowering1(p, ({ g }, [x, y], e) => {
    const t = dt(e.inAvals[0]!);
    const r = opIn(g, op, [x!, y!], t, {}, false);
    return negate ? g.op("Not", [r]) : r;
  });
}
compare(lax.eqP, "Equal");
compare(lax.neP, "Equal", true);
compare(lax.ltP, "Less");
compare(lax.leP, "LessOrEqual");
compare(lax.gtP, "Greater");
compare(lax.geP, "GreaterOrEqual");

// --- select_n, clamp ---

registerLowering1(lax.selectNP, ({ g }, [which, ...cases], e) => {
  const t = dt(e.inAvals[1]!);
  const wt = dt(e.inAvals[0]!);
  if (cases.length === 1) return cases[0]!;
  // Where `which` has the result's shape, a case whose elements are one
  // constant is that scalar, broadcast by Where (no full-size constant to read).
  if (e.inAvals[0]!.ndim === e.outAvals[0]!.ndim) {
    cases = cases.map((c) => {
      const v = splatOf(g, c);
      return v !== null && (isFloat(t) || Number.isSafeInteger(v)) ? g.scalar(v, t) : c;
    });
  }
  if (wt === T.bool) return whereT(g, which!, cases[1]!, cases[0]!, t);
  let r = cases[cases.length - 1]!;
  for (let k = cases.length - 2; k >= 0; k--) {
    r = whereT(g, g.op("Equal", [which!, g.scalar(k, wt)]), cases[k]!, r, t);
  }
  return r;
});

registerLowering1(lax.clampP, ({ g }, [lo, x, hi], e) => {
  const t = dt(e.inAvals[1]!);
  const [sl, sx, sh] = e.inAvals.map((a) => a.shape);
  const sm = sizeOf(sl!) > sizeOf(sx!) ? sl! : sx!;
  return minNaN(g, maxNaN(g, x!, lo!, t, [sx!, sl!]), hi!, t, [sm, sh!]);
});

// --- conversions ---

/** Convert between element types with XLA's semantics (float → int saturates, NaN → 0). */
export function convert(g: GraphBuilder, x: string, from: DT, to: DT): string {
  if (from === to) return x;
  if (to === T.bool) {
    const z = g.op("Equal", [x, g.scalar(0, from)]);
    return g.op("Not", [z]);
  }
  if (isFloat(from) && !isFloat(to)) {
    const v = cast(g, x, from, T.f64);
    const noNan = g.op("Where", [g.op("IsNaN", [v]), g.scalar(0, T.f64), v]);
    const [lo, hi] = intRange(to);
    const clipped = g.op("Min", [g.op("Max", [noNan, g.scalar(lo, T.f64)]), g.scalar(hi, T.f64)]);
    return g.op("Cast", [clipped], { to });
  }
  return g.op("Cast", [x], { to });
}

function intRange(t: DT): [number, number] {
  const bits = bitsOf(t);
  if (isUnsigned(t)) return [0, 2 ** bits - 1];
  return [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
}

registerLowering1(lax.convertElementTypeP, ({ g }, [x], e) => convert(g, x!, dt(e.inAvals[0]!), dt(e.outAvals[0]!)));

registerLowering1(
  lax.bitcastConvertTypeP,
  (_c, [x]) => x!,
  (e: LowerEqn) => e.inAvals[0]!.dtype === e.outAvals[0]!.dtype,
);
