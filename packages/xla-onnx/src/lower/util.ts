// Helpers shared by the lowering rules: casts, constants, and running an ONNX
// op in an element type its CPU kernel implements.
import type { DType, ShapedArray } from "@jaxts/core";
import { DT, f16BitsToF32, f32ToF16Bits, onnxType } from "../dtypes.js";
import type { GraphBuilder } from "../proto.js";

export const T = {
  bool: DT.BOOL,
  i8: DT.INT8,
  i16: DT.INT16,
  i32: DT.INT32,
  i64: DT.INT64,
  u8: DT.UINT8,
  u16: DT.UINT16,
  u32: DT.UINT32,
  u64: DT.UINT64,
  f16: DT.FLOAT16,
  f32: DT.FLOAT,
  f64: DT.DOUBLE,
} as const;

const ALL = [T.bool, T.i8, T.i16, T.i32, T.i64, T.u8, T.u16, T.u32, T.u64, T.f16, T.f32, T.f64];
const INTS = [T.i8, T.i16, T.i32, T.i64, T.u8, T.u16, T.u32, T.u64];
const FLOATS = [T.f16, T.f32, T.f64];

/**
 * Element types ONNX Runtime's CPU provider implements, per op (probed with
 * scripts/probe_types.ts against onnxruntime-node 1.30). float16 entries for
 * transcendental ops are served by ORT's own Cast insertion.
 */
export const SUPPORT: Record<string, readonly DT[]> = {
  Abs: [...INTS, ...FLOATS],
  Neg: [T.i8, T.i16, T.i32, T.i64, ...FLOATS],
  Sign: [...INTS, ...FLOATS],
  Sin: FLOATS,
  Cos: FLOATS,
  Tan: [T.f16, T.f32],
  Asin: [T.f16, T.f32],
  Acos: [T.f16, T.f32],
  Atan: [T.f16, T.f32],
  Sinh: [T.f16, T.f32],
  Cosh: [T.f16, T.f32],
  Tanh: FLOATS,
  Asinh: [T.f16, T.f32],
  Acosh: [T.f16, T.f32],
  Atanh: [T.f16, T.f32],
  Exp: FLOATS,
  Log: FLOATS,
  Sqrt: FLOATS,
  Reciprocal: FLOATS,
  Floor: FLOATS,
  Ceil: FLOATS,
  Round: FLOATS,
  Erf: [T.f16, T.f32],
  IsNaN: FLOATS,
  IsInf: FLOATS,
  Sigmoid: FLOATS,
  Not: [T.bool],
  BitwiseNot: INTS,
  Add: [...INTS, ...FLOATS],
  Sub: [...INTS, ...FLOATS],
  Mul: [...INTS, ...FLOATS],
  Div: [...INTS, ...FLOATS],
  Pow: [T.i32, T.i64, ...FLOATS],
  Max: [T.i8, T.i32, T.i64, T.u8, T.u32, T.u64, ...FLOATS],
  Min: [T.i8, T.i32, T.i64, T.u8, T.u32, T.u64, ...FLOATS],
  And: [T.bool],
  Or: [T.bool],
  Xor: [T.bool],
  BitwiseAnd: INTS,
  BitwiseOr: INTS,
  BitwiseXor: INTS,
  BitShift: [T.u8, T.u32, T.u64],
  Equal: ALL,
  Less: [...INTS, ...FLOATS],
  LessOrEqual: [...INTS, ...FLOATS],
  Greater: [...INTS, ...FLOATS],
  GreaterOrEqual: [...INTS, ...FLOATS],
  Mod: [...INTS, ...FLOATS],
  ReduceSum: [T.i32, T.i64, ...FLOATS],
  ReduceMax: [T.bool, T.i8, T.i32, T.i64, T.u8, ...FLOATS],
  ReduceMin: [T.bool, T.i8, T.i32, T.i64, T.u8, ...FLOATS],
  ReduceProd: [T.i32, T.i64, ...FLOATS],
  ArgMax: [T.i8, T.i32, T.i64, T.u8, ...FLOATS],
  ArgMin: [T.i8, T.i32, T.i64, T.u8, ...FLOATS],
  CumSum: [T.i32, T.i64, ...FLOATS],
  MatMul: [T.i32, T.i64, T.u32, T.u64, ...FLOATS],
  Where: [T.i32, T.i64, T.u8, ...FLOATS],
  TopK: [T.i8, T.i16, T.i32, T.i64, T.u8, ...FLOATS],
  Clip: [T.i8, T.i32, T.i64, T.u8, T.u32, T.u64, ...FLOATS],
  Range: [T.i16, T.i32, T.i64, T.f32, T.f64],
};

/** Wider types to compute in when an op lacks a kernel, in order of preference. */
const WIDER: Record<number, readonly DT[]> = {
  [T.bool]: [T.u8, T.i32],
  [T.i8]: [T.i32, T.i64],
  [T.i16]: [T.i32, T.i64],
  [T.u8]: [T.i32, T.u32, T.i64],
  [T.u16]: [T.i32, T.u32, T.i64],
  [T.u32]: [T.i64, T.u64],
  [T.i32]: [T.i64],
  [T.f16]: [T.f32],
  [T.f32]: [T.f64],
};

/** The type to run `op` in for values of type `t` (t itself when implemented), or null. */
export function computeType(op: string, t: DT): DT | null {
  const s = SUPPORT[op];
  if (!s || s.includes(t)) return t;
  for (const w of WIDER[t] ?? []) if (s.includes(w)) return w;
  return null;
}

export function dt(x: DType | ShapedArray): DT {
  return onnxType("dtype" in x ? x.dtype : x);
}

export function cast(g: GraphBuilder, x: string, from: DT, to: DT): string {
  return from === to ? x : g.op("Cast", [x], { to });
}

/**
 * Apply `op` to inputs of type `t`, casting to a wider implemented type and back
 * when ORT lacks a kernel for `t`. `outSame` false: the result is not of the
 * input type (comparisons give bool) and is not cast back.
 */
export function opIn(
  g: GraphBuilder,
  op: string,
  ins: readonly string[],
  t: DT,
  attrs: Record<string, any> = {},
  outSame = true,
): string {
  const c = computeType(op, t);
  if (c === null) throw new Error(`[onnx] ${op} has no kernel for element type ${t}`);
  const outs = g.op(op, ins.map((x) => cast(g, x, t, c)), attrs);
  return outSame ? cast(g, outs, c, t) : outs;
}

// --- what is known of a value at build time -----------------------------------
//
// Rules specialize on operands whose values the graph fixes: literals, arrays a
// function closes over that become constants, and broadcasts or casts of them
// (jaxprs broadcast their constants with broadcast_in_dim). GraphBuilder
// records each value's producer; these walk back through ops that keep every
// element's value (or cast it exactly), never through arithmetic.

/** A number as it is stored in a tensor of element type `t` (as proto.rawBytes encodes it). */
export function storedAs(t: DT, v: number | bigint): number {
  switch (t) {
    case T.f64:
      return Number(v);
    case T.f32:
      return Math.fround(Number(v));
    case T.f16:
      return f16BitsToF32(f32ToF16Bits(Number(v)));
    case T.bool:
      return Number(v) !== 0 ? 1 : 0;
    case T.i8:
      return Int8Array.of(Number(v))[0]!;
    case T.u8:
      return Uint8Array.of(Number(v))[0]!;
    case T.i16:
      return Int16Array.of(Number(v))[0]!;
    case T.u16:
      return Uint16Array.of(Number(v))[0]!;
    case T.i32:
      return Int32Array.of(Number(v))[0]!;
    case T.u32:
      return Uint32Array.of(Number(v))[0]!;
    case T.i64:
      return Number(BigInt.asIntN(64, BigInt(v)));
    case T.u64:
      return Number(BigInt.asUintN(64, BigInt(v)));
    default:
      return Number(v);
  }
}

const sameValue = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** Ops whose output elements are elements of their first input, unchanged. */
const MOVES = new Set(["Identity", "Expand", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Transpose", "Slice", "Tile", "Gather", "GatherElements", "GatherND"]);
const BOOL_OPS = new Set(["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Not", "IsNaN", "IsInf"]);
const MAX_DEPTH = 32;

/** The element type of value `name` where the graph says it (constants, casts, comparisons), else null. */
export function typeOf(g: GraphBuilder, name: string, depth = 0): DT | null {
  const c = g.constValue(name);
  if (c) return c.dtype;
  const p = g.producer(name);
  if (!p || depth > MAX_DEPTH) return null;
  if (p.op === "Cast") return p.attrs.to as DT;
  if (BOOL_OPS.has(p.op)) return T.bool;
  if (MOVES.has(p.op) || p.op === "Concat") return typeOf(g, p.inputs[0]!, depth + 1);
  if (p.op === "Where") return typeOf(g, p.inputs[1]!, depth + 1) ?? typeOf(g, p.inputs[2]!, depth + 1);
  return null;
}

/** The exact Cast of one value from `from` to `to`, or null where ONNX leaves it open (out of range, NaN to integer). */
function castValue(v: number, from: DT, to: DT): number | null {
  if (to === T.bool) return isFloat(from) ? null : v !== 0 ? 1 : 0;
  if (isFloat(to)) return storedAs(to, v);
  // To an integer: only values it holds exactly.
  return Number.isInteger(v) && storedAs(to, v) === v ? v : null;
}

/**
 * The value every element of `name` has, when the graph fixes it (a constant
 * whose elements are all equal, or a broadcast, reshape, slice or exact cast of
 * one); null otherwise. Floats as stored (a float32 -1e-50 is -0).
 */
export function splatOf(g: GraphBuilder, name: string, depth = 0): number | null {
  const c = g.constValue(name);
  if (c) {
    const n = c.values.length;
    if (n === 0) return null;
    const v = storedAs(c.dtype, c.values[0]!);
    for (let i = 1; i < n; i++) if (!sameValue(storedAs(c.dtype, c.values[i]!), v)) return null;
    return v;
  }
  const p = g.producer(name);
  if (!p || depth > MAX_DEPTH) return null;
  if (MOVES.has(p.op)) return splatOf(g, p.inputs[0]!, depth + 1);
  if (p.op === "Cast") {
    const from = typeOf(g, p.inputs[0]!, depth + 1);
    const v = splatOf(g, p.inputs[0]!, depth + 1);
    return from === null || v === null ? null : castValue(v, from, p.attrs.to as DT);
  }
  return null;
}

/**
 * Whether no element of `name` can be -0 (integers and booleans never are; a
 * float constant without -0; Abs; a cast from an integer; shape ops, Concat and
 * Where of such values). False when unknown.
 */
export function neverNegZero(g: GraphBuilder, name: string, depth = 0): boolean {
  const c = g.constValue(name);
  if (c) {
    if (!isFloat(c.dtype)) return true;
    for (let i = 0; i < c.values.length; i++) if (Object.is(storedAs(c.dtype, c.values[i]!), -0)) return false;
    return true;
  }
  const p = g.producer(name);
  if (!p || depth > MAX_DEPTH) return false;
  if (BOOL_OPS.has(p.op) || p.op === "Abs") return true;
  if (MOVES.has(p.op)) return neverNegZero(g, p.inputs[0]!, depth + 1);
  if (p.op === "Concat") return p.inputs.every((i) => neverNegZero(g, i, depth + 1));
  if (p.op === "Where") return neverNegZero(g, p.inputs[1]!, depth + 1) && neverNegZero(g, p.inputs[2]!, depth + 1);
  if (p.op === "Cast") {
    const from = typeOf(g, p.inputs[0]!, depth + 1);
    if (!isFloat(p.attrs.to as DT) || (from !== null && !isFloat(from))) return true;
    // float to float: a wider type keeps the value; a narrower one may round a tiny negative to -0.
    return from !== null && bitsOf(p.attrs.to as DT) >= bitsOf(from) && neverNegZero(g, p.inputs[0]!, depth + 1);
  }
  return false;
}

// --- selecting values: signed zeros ------------------------------------------
//
// ORT's CPU Where (onnxruntime-node 1.30, float16/float32/float64) returns +0
// where it takes a -0 from its second input (X, the `then` branch): it merges
// its two selections by testing `x != 0`. Its third input (Y) comes through
// exactly. And at graph optimization level basic and up, ORT's NotWhereFusion
// rewrites Where(Not(c), a, b) as Where(c, b, a), which moves `b` into X. So a
// value that may be -0 must never reach the output through X, and a condition
// built with Not must not feed a Where (notC builds one that is not rewritten).

/** Logical not of a bool tensor that is safe to feed Where (Xor with true: no NotWhereFusion). */
export function notC(g: GraphBuilder, c: string): string {
  return g.op("Xor", [c, g.constant({ dtype: T.bool, dims: [], values: [1] })]);
}

/**
 * Where(c, a, b) for any element type; exact for floats (signed zeros, NaN,
 * infinities): Where(!c, 1, a) * Where(c, 1, b), each value reaching the output
 * through Where's exact third input and a multiplication by 1. Where `a` can
 * never be -0 (neverNegZero: e.g. a constant other than -0), a plain
 * Where(c, a, b) is exact and cheaper; where `b` can never be -0,
 * Where(!c, b, a).
 */
export function whereT(g: GraphBuilder, c: string, a: string, b: string, t: DT): string {
  if (isFloat(t)) {
    // One Where where a value that is never -0 can take the `then` input.
    if (neverNegZero(g, a)) return g.op("Where", [c, a, b]);
    if (neverNegZero(g, b)) return g.op("Where", [notC(g, c), b, a]);
    const one = g.scalar(1, t);
    return g.op("Mul", [g.op("Where", [notC(g, c), one, a]), g.op("Where", [c, one, b])]);
  }
  const ct = computeType("Where", t)!;
  return cast(g, g.op("Where", [c, cast(g, a, t, ct), cast(g, b, t, ct)]), ct, t);
}

/** True where v (a float) is negative or -0 (false for NaN). */
export function signBit(g: GraphBuilder, v: string, t: DT): string {
  const zero = g.scalar(0, t);
  return g.op("Or", [g.op("Less", [v, zero]), g.op("Less", [g.op("Div", [g.scalar(1, t), v]), zero])]);
}

/** -1 where v (a float) is negative or -0, else 1 (NaN: 1): multiplying a value >= +0 by it gives that value v's sign. */
export function signOne(g: GraphBuilder, v: string, t: DT): string {
  return g.op("Where", [signBit(g, v, t), g.scalar(-1, t), g.scalar(1, t)]);
}

/**
 * IEEE 754-2019 maximum of floats x and y, as XLA's (llvm.maximum): NaN wins,
 * +0 > -0. ORT's Max propagates NaN from either operand (onnxruntime >= 1.20,
 * every float type, broadcast or not; a NaN result then fails every comparison
 * below and stays). It returns either operand where they compare equal (float32/
 * float64 the second, float16 the first; a broadcast scalar otherwise), so it may
 * give -0 where one of them is +0. Where its result is a zero, both operands
 * are <= 0, and one is +0 exactly where max(1/x, 1/y) > 0 (+inf); there the
 * result is +0 (a +0 constant is exact as Where's `then` input). Comparisons
 * only: ORT's NoopElimination turns Add(v, 0) into v, so adding a zero to fix
 * a sign is not safe once a constant operand folds.
 */
export function maxF(g: GraphBuilder, x: string, y: string, t: DT): string {
  const zero = g.scalar(0, t);
  const m = g.op("Max", [x, y]);
  const pos = g.op("Greater", [g.op("Max", [g.op("Reciprocal", [x]), g.op("Reciprocal", [y])]), zero]);
  return g.op("Where", [g.op("And", [g.op("Equal", [m, zero]), pos]), zero, m]);
}

/**
 * IEEE 754-2019 minimum of floats (NaN wins, -0 < +0), as maxF: where ORT's Min
 * gives a zero and an operand is -0 (min(1/x, 1/y) < 0), -0, through Where's
 * exact `else` input; elsewhere Min's result, which is never -0 there (NaN
 * passes the `then` input unchanged).
 */
export function minF(g: GraphBuilder, x: string, y: string, t: DT): string {
  const zero = g.scalar(0, t);
  const m = g.op("Min", [x, y]);
  const neg = g.op("Less", [g.op("Min", [g.op("Reciprocal", [x]), g.op("Reciprocal", [y])]), zero]);
  return g.op("Where", [notC(g, g.op("And", [g.op("Equal", [m, zero]), neg])), m, g.scalar(-0, t)]);
}

export function scalarOf(g: GraphBuilder, v: number, t: DT): string {
  return g.scalar(v, t);
}

export function isFloat(t: DT): boolean {
  return t === T.f16 || t === T.f32 || t === T.f64;
}
export function isUnsigned(t: DT): boolean {
  return t === T.u8 || t === T.u16 || t === T.u32 || t === T.u64;
}

/** Bits of an integer element type. */
export function bitsOf(t: DT): number {
  switch (t) {
    case T.i8:
    case T.u8:
    case T.bool:
      return 8;
    case T.i16:
    case T.u16:
    case T.f16:
      return 16;
    case T.i64:
    case T.u64:
    case T.f64:
      return 64;
    default:
      return 32;
  }
}

/** Reshape to a static shape. */
export function reshape(g: GraphBuilder, x: string, shape: readonly number[]): string {
  return g.op("Reshape", [x, g.i64(shape)]);
}

/** Broadcast to a static shape (numpy rules). */
export function expand(g: GraphBuilder, x: string, shape: readonly number[]): string {
  return g.op("Expand", [x, g.i64(shape)]);
}

/** A tensor filled with one value. */
export function fill(g: GraphBuilder, v: number, t: DT, shape: readonly number[]): string {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n <= 64) return g.constant({ dtype: t, dims: shape, values: new Array(n).fill(v) });
  return expand(g, g.scalar(v, t), shape);
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
