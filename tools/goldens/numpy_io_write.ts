// Used by gen_numpy_io.py: load each NumPy-written fixture with jaxts and write
// it back with jaxts' save/savez into the directory given, for NumPy to read.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { array, load, save, savez } from "../../packages/numpy/src/index.js";

const out = process.argv[2]!;
const fix = join(import.meta.dirname, "../../packages/numpy/test/fixtures");
const manifest = JSON.parse(readFileSync(join(fix, "numpy_io.json"), "utf8"));
for (const c of manifest.npy) {
  const a = await load(join(fix, "npy", c.file));
  await save(join(out, c.file), a as never);
}
await savez(join(out, "all.npz"), array([0, 1, 2, 3], "float32"), array([[1, 2], [3, 4]], "int32"), { named: array([true, false]) });
