// Setup for core's transformation spec tables run on this backend: "onnx" is
// the default backend, so every array the tests create lives there and every
// primitive (eager or jitted) runs through ONNX Runtime. After each file, a
// check that the tests did run on it.
import { afterAll, expect } from "vitest";
import { defaultBackend } from "../../../core/src/index.js";
import { backendInfo, init } from "../../src/index.js";

// At the top level, before the test file's own top-level arrays are made.
await init({ setDefault: true, executionProviders: ["cpu"], intraOpNumThreads: 1 });
const sessions0 = backendInfo().sessions + backendInfo().cacheHits;

afterAll(() => {
  // The core module the tests import is the one this backend registered with.
  expect(defaultBackend().name).toBe("onnx");
  const info = backendInfo();
  expect(info.sessions + info.cacheHits, "programs run on onnx").toBeGreaterThan(sessions0);
  console.log(`[core-spec-on-onnx] sessions ${info.sessions}, cache hits ${info.cacheHits}, CPU fallbacks ${info.cpuFallbacks}`);
});
