// onnxruntime-node, loaded once. It is CommonJS; the default import is its
// module object.
//
// Sessions are created and run through the package's native binding
// (`onnxruntime-node/dist/binding`), which loads models and runs them
// synchronously on the calling thread. The public `InferenceSession` wraps the
// very same calls in `setImmediate` + a promise (see the package's
// dist/backend.js), which buys no parallelism in Node and would make every
// result a pending value: calling the binding directly lets results be computed
// when a jaxts call returns, so synchronous reads (`dataSync`, `tolist`, Python-
// style control flow on values) work as in JAX, and per-call overhead drops.
// The binding is internal API: `onnxruntime-node` is pinned to an exact version
// in package.json, and `nativeBinding()` fails with a clear error if it moves.
import { createRequire } from "node:module";
import ortModule from "onnxruntime-node";

export const ort: typeof import("onnxruntime-node") = ortModule;
export type OrtTensor = import("onnxruntime-node").Tensor;
export type OrtSessionOptions = import("onnxruntime-node").InferenceSession.SessionOptions;

/** The raw tensor the native binding returns for outputs it did not wrap. */
interface RawTensor {
  type: string;
  data: unknown;
  dims: readonly number[];
}

interface NativeInferenceSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: OrtSessionOptions): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, null>, options: object): Record<string, OrtTensor | RawTensor>;
  dispose(): void;
}

interface NativeBinding {
  binding: { InferenceSession: new () => NativeInferenceSession };
  initOrt(): void;
}

let native: NativeBinding | null = null;

function nativeBinding(): NativeBinding {
  if (native) return native;
  const require = createRequire(import.meta.url);
  let mod: Partial<NativeBinding>;
  try {
    mod = require("onnxruntime-node/dist/binding") as Partial<NativeBinding>;
  } catch (e) {
    throw new Error(`[@jaxts/xla-onnx] cannot load onnxruntime-node's native binding (onnxruntime-node/dist/binding): ${(e as Error).message}`);
  }
  if (typeof mod.initOrt !== "function" || typeof mod.binding?.InferenceSession !== "function") {
    throw new Error(
      "[@jaxts/xla-onnx] onnxruntime-node's native binding has an unexpected shape; this package is built for onnxruntime-node 1.30.0 (see its package.json)",
    );
  }
  native = mod as NativeBinding;
  return native;
}

/** A loaded model, run synchronously. */
export class SyncSession {
  private readonly s: NativeInferenceSession;
  private readonly fetches: Record<string, null>;
  private released = false;

  /** Load a serialized ModelProto; throws what ONNX Runtime throws (bad model, provider unavailable). */
  constructor(bytes: Uint8Array, options: OrtSessionOptions, readonly outputNames: readonly string[]) {
    const b = nativeBinding();
    // Reads ort.env.logLevel once per process: set it before the first session.
    b.initOrt();
    this.s = new b.binding.InferenceSession();
    this.s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, options);
    this.fetches = Object.fromEntries(outputNames.map((n) => [n, null]));
  }

  /** Run on `feeds`; returns the outputs in `outputNames` order. */
  run(feeds: Record<string, OrtTensor>): OrtTensor[] {
    if (this.released) throw new Error("[onnx] session was released");
    const r = this.s.run(feeds, this.fetches, {});
    return this.outputNames.map((n) => {
      const t = r[n]!;
      return t instanceof ort.Tensor ? t : new ort.Tensor(t.type as any, t.data as any, t.dims);
    });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.s.dispose();
  }
}
