// The CPU backend's table of kernels, keyed by primitive. Each kernel takes the
// input typed arrays with their avals and returns output typed arrays.
import type { Params, Primitive } from "../../core.js";
import { float16, roundToFloat16, type DType, type TypedArray } from "../../dtypes.js";
import type { ShapedArray } from "../../shape.js";

export type CpuKernel = (
  inputs: TypedArray[],
  params: any,
  inAvals: ShapedArray[],
  outAvals: ShapedArray[],
) => TypedArray[];

export const cpuKernels = new Map<Primitive, CpuKernel>();

/**
 * The per-element function of an elementwise primitive, as its CPU kernel
 * applies it (computing in float64; the store into the output rounds): `unary`
 * f(x, inDtype, params), `binary` f(x, y, inDtype), `nary` f([...args],
 * dtype of argument `dtypeArg`), `convert` f(x, outDtype, inDtype). The fused
 * kernels (fused.ts) call the same functions.
 */
export type ScalarKernel =
  | { form: "unary"; f: (x: number, d: DType, params: any) => number }
  | { form: "binary"; f: (x: number, y: number, d: DType) => number; byDtype?: (d: DType) => (x: number, y: number, d: DType) => number }
  | { form: "nary"; f: (args: number[], d: DType) => number; dtypeArg: number }
  | { form: "convert"; f: (x: number, to: DType, from: DType) => number };

export const scalarKernels = new Map<Primitive, ScalarKernel>();

export function registerCpuKernel(p: Primitive, k: CpuKernel): void {
  if (cpuKernels.has(p)) throw new Error(`[cpu] kernel for '${p.name}' registered twice`);
  cpuKernels.set(p, k);
}

/** Single-output kernel convenience. */
export function registerCpuKernel1(
  p: Primitive,
  k: (inputs: TypedArray[], params: any, inAvals: ShapedArray[], out: ShapedArray) => TypedArray,
): void {
  registerCpuKernel(p, (ins, params, inAvals, outAvals) => [k(ins, params, inAvals, outAvals[0]!)]);
}

export function runCpuKernel(p: Primitive, inputs: TypedArray[], params: Params, inAvals: ShapedArray[], outAvals: ShapedArray[]): TypedArray[] {
  const k = cpuKernels.get(p);
  if (!k) throw new Error(`[cpu] no CPU kernel for primitive '${p.name}'`);
  const outs = k(inputs, params, inAvals, outAvals);
  // float16 lives in Float32Array storage: round every produced value to half precision.
  outAvals.forEach((a, i) => {
    if (a.dtype === float16) roundInPlaceF16(outs[i]!);
  });
  return outs;
}

export function roundInPlaceF16(x: TypedArray): void {
  for (let i = 0; i < x.length; i++) x[i] = roundToFloat16(x[i]!);
}

export function alloc(aval: ShapedArray): TypedArray {
  return new aval.dtype.storage(aval.size);
}
