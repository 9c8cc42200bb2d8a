// @jaxts/xla-onnx: the ONNX Runtime backend for jaxts.
//
//   import { init, backendInfo, exportOnnx } from "@jaxts/xla-onnx";
//   await init();                       // registers "onnx" (CUDA when present, else CPU)
//   const f = jit((x) => x.mul(2).tanh());
//   await f(x).data();
import { registerBackend } from "@jaxts/core";
import { OnnxBackend, type BackendInfo, type OnnxBackendOptions } from "./backend.js";

export { OnnxBackend, OrtBuffer, type BackendInfo, type OnnxBackendOptions, type ExecutionProvider } from "./backend.js";
export { exportOnnx, type ExportOptions } from "./export.js";
export { registerLowering, registerLowering1, lowerings, type LowerCtx, type LowerEqn, type LowerRule } from "./lower/table.js";
export { OPSET, IR_VERSION } from "./proto.js";

const instances = new Map<string, OnnxBackend>();

/**
 * Create and register the ONNX Runtime backend (once per name; later calls
 * return the same backend). Probes the execution providers: when the CUDA
 * provider cannot load, the backend uses ['cpu'] from then on.
 */
export async function init(opts: OnnxBackendOptions = {}): Promise<OnnxBackend> {
  const name = opts.name ?? "onnx";
  const existing = instances.get(name);
  if (existing) return existing;
  const b = new OnnxBackend(opts);
  await b.probe();
  registerBackend(b, { setDefault: opts.setDefault ?? true });
  instances.set(name, b);
  return b;
}

/** Which providers run, and cache/fallback counters, for the backend `name` (default "onnx"). */
export function backendInfo(name = "onnx"): BackendInfo {
  const b = instances.get(name);
  if (!b) throw new Error(`[@jaxts/xla-onnx] backend '${name}' is not initialized; call \`await init()\` first`);
  return b.info();
}
