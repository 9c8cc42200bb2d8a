// What a backend provides. Core never imports a backend package; backends
// register themselves with `registerBackend` and core calls them through this.
import type { Primitive, Params } from "../core.js";
import type { TypedArray } from "../dtypes.js";
import type { Jaxpr } from "../jaxpr.js";
import type { ShapedArray } from "../shape.js";

/** An opaque buffer handle owned by a backend. */
export type Buffer = unknown;

export interface Device {
  readonly platform: string;
  readonly id: number;
  readonly backend: Backend;
  toString(): string;
}

/** A compiled program: takes input buffers, returns output buffers. */
export interface Executable {
  execute(inputs: Buffer[]): Buffer[];
  /**
   * Optional figures a backend reports (the CPU backend: the most buffers alive
   * at once, and how many fused kernels the program has).
   */
  stats?: { peakLiveBuffers?: number; fusedKernels?: number };
  dispose?(): void;
}

export interface Backend {
  /** Registry name, e.g. "cpu", "webgpu", "onnx". */
  readonly name: string;
  readonly devices: readonly Device[];

  /** Upload host data holding values of `aval.dtype` (float16 as float32 values). */
  put(data: TypedArray, aval: ShapedArray): Buffer;
  /** Download into a fresh typed array (waits for pending work). */
  read(buf: Buffer, aval: ShapedArray): Promise<TypedArray>;
  /** Download synchronously; throws an error saying to `await x.data()` when it cannot. */
  readSync(buf: Buffer, aval: ShapedArray): TypedArray;
  /**
   * Optional, for asynchronous backends: whether the buffer's value is computed,
   * so that `readSync` succeeds now. Absent means always ready.
   */
  isReady?(buf: Buffer): boolean;
  /** Optional: resolves when the buffer's value is computed (without downloading it). */
  whenReady?(buf: Buffer): Promise<void>;
  /** Release a buffer. Must tolerate being called once per buffer at any time. */
  dispose(buf: Buffer): void;

  /**
   * Compile a Jaxpr. The executable takes buffers for `[...constvars, ...invars]`
   * and returns buffers for `outvars`.
   */
  compile(jaxpr: Jaxpr): Executable;

  /**
   * Optional fast path for eager execution of one primitive. When absent, eager
   * operations are compiled as one-equation Jaxprs and cached.
   */
  executePrimitive?(
    prim: Primitive,
    inputs: Buffer[],
    params: Params,
    inAvals: ShapedArray[],
    outAvals: ShapedArray[],
  ): Buffer[];
}
