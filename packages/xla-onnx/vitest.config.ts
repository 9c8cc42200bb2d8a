import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.shared.js";

const { resolve, ssr } = sourceResolution;

// The files of core's test suite that hold the transformation spec tables and
// the transformation/composition tests. Core's golden-value tests run on this
// backend through test/goldens.test.ts (with ONNX Runtime's float tolerances);
// core's tests of the CPU backend's own buffers, printing and tracing-only
// machinery have nothing to run here. SPEC_ALL=1 runs every core test file
// (some compare eager with jit bit for bit, which fused ONNX graphs need not be).
const coreSpecFiles = [
  "test/ad_*.test.ts",
  "test/compositions.test.ts",
  "test/control_flow.test.ts",
  "test/custom.test.ts",
  "test/checkpoint.test.ts",
  "test/jit.test.ts",
  "test/tracing.test.ts",
];

export default defineConfig({
  resolve,
  ssr,
  test: {
    passWithNoTests: true,
    projects: [
      { resolve, ssr, test: { name: "onnx", include: ["test/**/*.test.ts"] } },
      {
        // core's transformation spec tables (JVP/VJP vs finite differences, vmap
        // vs loops, jit vs eager, transposes), unchanged, with "onnx" as the
        // default backend: the same tests, parameterized by backend.
        resolve,
        ssr,
        test: {
          name: "core-spec-on-onnx",
          root: "../core",
          include: process.env.SPEC_ALL ? ["test/**/*.test.ts"] : coreSpecFiles,
          setupFiles: ["../xla-onnx/test/spec/setup.ts"],
        },
      },
    ],
  },
});
