// Core dtypes ↔ ONNX element types and onnxruntime tensor types.
import { float16FromBits, float16ToBits, type DType, type TypedArray } from "@jaxts/core";
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

/** A number's half bits, rounded to nearest even (core's float16ToBits), and back. */
export const f32ToF16Bits = float16ToBits;
export const f16BitsToF32 = float16FromBits;

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
