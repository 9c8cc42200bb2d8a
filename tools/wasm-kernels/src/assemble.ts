// Assembling the CPU backend's .wat kernels (shared by gen.ts and the test).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

/** packages/core/src/backend/cpu/wasm: the .wat sources and their generated _wasm.ts modules. */
export const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "packages", "core", "src", "backend", "cpu", "wasm");

export interface Kernel {
  /** the .wat file's name without the extension */
  name: string;
  /** the generated module's path */
  out: string;
  /** the generated module's text */
  text: string;
  bytes: Uint8Array;
}

/** Assemble every .wat file in wasmDir (fixed-width SIMD only: no relaxed-simd, no threads). */
export async function assembleAll(): Promise<Kernel[]> {
  const wabt = await wabtInit();
  const kernels: Kernel[] = [];
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith(".wat")).sort()) {
    const name = file.slice(0, -4);
    const mod = wabt.parseWat(file, readFileSync(join(wasmDir, file), "utf8"), { simd: true });
    let bytes: Uint8Array;
    try {
      mod.validate();
      bytes = new Uint8Array(mod.toBinary({ log: false, write_debug_names: false }).buffer);
    } finally {
      mod.destroy();
    }
    kernels.push({ name, out: join(wasmDir, `${name}_wasm.ts`), text: render(name, bytes), bytes });
  }
  return kernels;
}

function render(name: string, bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 24) lines.push("  " + Array.from(bytes.subarray(i, i + 24)).join(", ") + ",");
  const id = name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return [
    `// Generated from ${name}.wat by tools/wasm-kernels (pnpm --filter @jaxts/wasm-kernels gen).`,
    "// Do not edit: edit the .wat file and regenerate.",
    `export const ${id}WasmBytes: Uint8Array = new Uint8Array([`,
    ...lines,
    "]);",
    "",
  ].join("\n");
}
