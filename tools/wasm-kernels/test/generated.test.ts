// The committed *_wasm.ts modules in packages/core must be what their .wat
// sources assemble to (regenerate with `pnpm --filter @jaxts/wasm-kernels gen`).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assembleAll } from "../src/assemble.js";

describe("generated wasm modules", async () => {
  const kernels = await assembleAll();
  it("there is at least one kernel", () => expect(kernels.length).toBeGreaterThan(0));
  for (const k of kernels) {
    it(`${k.name}_wasm.ts is up to date with ${k.name}.wat`, () => {
      expect(readFileSync(k.out, "utf8")).toBe(k.text);
      expect(WebAssembly.validate(k.bytes)).toBe(true);
    });
  }
});
