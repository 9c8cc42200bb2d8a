// Core dtypes ↔ ONNX element types and onnxruntime tensor types.
import { type DType, type TypedArray } from "@jaxts/core";
import { TensorProto_DataType as DT } from "onnx-buf";

export { DT };

const onnxByName: Record<string, DT> = {
  bool: DT.BOOL,
  int8: DT.INT8,
  int16: DT.INT16,
  int32: DT.INT32,
  uint8: DT.UINT8,
  uint16: DT.UINT16,
  uint32: DT.UINT32,
  float16: DT.FLOAT16,
  float32: DT.FLOAT,
  float64: DT.DOUBLE,
};

/** The ONNX element type of a core dtype. */
export function onnxType(d: DType): DT {
  const t = onnxByName[d.name];
  if (t === undefined) throw new TypeError(`[onnx] no ONNX element type for dtype ${d.name}`);
  return t;
}

/** onnxruntime's tensor type string for a core dtype. */
export function ortType(d: DType): "bool" | "int8" | "int16" | "int32" | "uint8" | "uint16" | "uint32" | "float16" | "float32" | "float64" {
  return d.name as ReturnType<typeof ortType>;
}

export const ONNX_TYPE_NAMES: Record<number, string> = {
  [DT.BOOL]: "bool",
  [DT.INT8]: "int8",
  [DT.INT16]: "int16",
  [DT.INT32]: "int32",
  [DT.INT64]: "int64",
  [DT.UINT8]: "uint8",
  [DT.UINT16]: "uint16",
  [DT.UINT32]: "uint32",
  [DT.UINT64]: "uint64",
  [DT.FLOAT16]: "float16",
  [DT.FLOAT]: "float32",
  [DT.DOUBLE]: "float64",
};

// ---------------------------------------------------------------------------
// float16 ⇄ float32 (core keeps float16 values in Float32Array; ONNX Runtime
// wants the IEEE half bits in a Uint16Array).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Round a float32 to the nearest half (ties to even) and return its bits. */
export function f32ToF16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → inf
  if (e <= 0) {
    // subnormal half (or zero)
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // may carry into exponent (correct)
  return sign | h;
}

export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function toF16Bits(data: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = f32ToF16Bits(data[i]!);
  return out;
}

export function fromF16Bits(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = f16BitsToF32(bits[i]!);
  return out;
}

/** Host data of a core dtype → the typed array onnxruntime takes for it. */
export function toOrtData(data: TypedArray, d: DType): TypedArray | Uint16Array {
  if (d.name === "float16") return toF16Bits(data);
  return data;
}
