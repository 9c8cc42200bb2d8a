// Helpers shared by the lowering rules: casts, constants, and running an ONNX
// op in an element type its CPU kernel implements.
import type { DType, ShapedArray } from "@jaxts/core";
import { DT, onnxType } from "../dtypes.js";
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
