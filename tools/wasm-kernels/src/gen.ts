// Assembles each packages/core/src/backend/cpu/wasm/<name>.wat into <name>_wasm.ts
// beside it: the module's bytes as a Uint8Array literal, so @jaxts/core needs no
// build step and no runtime dependency to load its WebAssembly kernels.
//
//   pnpm --filter @jaxts/wasm-kernels gen      (rewrite the .ts modules)
//   pnpm --filter @jaxts/wasm-kernels check    (exit 1 when one is out of date)
import { readFileSync, writeFileSync } from "node:fs";
import { assembleAll } from "./assemble.js";

const check = process.argv.includes("--check");
let stale = 0;
for (const k of await assembleAll()) {
  if (!WebAssembly.validate(k.bytes)) throw new Error(`${k.name}.wat: this Node cannot validate the assembled module`);
  let old = "";
  try {
    old = readFileSync(k.out, "utf8");
  } catch {
    // not generated yet
  }
  if (old === k.text) {
    console.log(`${k.name}_wasm.ts: up to date (${k.bytes.length} bytes)`);
  } else if (check) {
    console.error(`${k.name}_wasm.ts: out of date with ${k.name}.wat; run pnpm --filter @jaxts/wasm-kernels gen`);
    stale++;
  } else {
    writeFileSync(k.out, k.text);
    console.log(`${k.name}_wasm.ts: written (${k.bytes.length} bytes)`);
  }
}
if (stale > 0) process.exit(1);
