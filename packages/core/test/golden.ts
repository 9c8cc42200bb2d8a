// Reading NumPy golden fixtures (written by tools/goldens/*.py) and comparing
// arrays with dtype-appropriate tolerances.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { Array, checkJaxpr, dtype as toDType, evalJaxpr, fromTyped, makeJaxpr, type DType } from "../src/index.js";

export interface EncodedArray {
  dtype: string;
  shape: number[];
  data: (number | string)[];
}

export interface GoldenFile<C> {
  generator: string;
  numpy: string;
  cases: C[];
}

/** Load `fixtures/<name>.json` next to the calling test file (`base` = its import.meta.url). */
export function loadGolden<C = any>(name: string, base: string = import.meta.url): C[] {
  const path = fileURLToPath(new URL(`./fixtures/${name}.json`, base));
  return (JSON.parse(readFileSync(path, "utf8")) as GoldenFile<C>).cases;
}

const jaxprGoldensDir = new URL("../../../tools/goldens/jaxpr/", import.meta.url);

/** make_jaxpr texts printed by JAX 0.10.2 (tools/goldens/jaxpr/goldens_jax_0_10_2.json), by program name. */
export function loadJaxprGoldens(): Map<string, string> {
  const path = fileURLToPath(new URL("goldens_jax_0_10_2.json", jaxprGoldensDir));
  return new Map((JSON.parse(readFileSync(path, "utf8")).cases as { name: string; jaxpr: string }[]).map((c) => [c.name, c.jaxpr]));
}

/** The documentation examples' expected texts (tools/goldens/jaxpr/examples.json), by name. */
export function loadJaxprExamples(): Map<string, string> {
  const path = fileURLToPath(new URL("examples.json", jaxprGoldensDir));
  return new Map((JSON.parse(readFileSync(path, "utf8")) as { name: string; expected_jaxpr: string }[]).map((c) => [c.name, c.expected_jaxpr]));
}

function decodeScalar(v: number | string): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return v as number;
}

/** Build an Array from a fixture entry (exact values, no rounding besides the dtype's). */
export function decode(e: EncodedArray): Array {
  const d = toDType(e.dtype);
  const data = new d.storage(e.data.length);
  e.data.forEach((v, i) => (data[i] = decodeScalar(v)));
  return fromTyped(data, e.shape, d);
}

/** Default tolerances by dtype (relative, absolute). */
export function tolerance(d: DType): { rtol: number; atol: number } {
  switch (d.name) {
    case "float16":
      return { rtol: 1e-3, atol: 1e-3 };
    case "float32":
      return { rtol: 2e-6, atol: 1e-6 };
    case "float64":
      return { rtol: 1e-13, atol: 1e-13 };
    default:
      return { rtol: 0, atol: 0 };
  }
}

/**
 * Assert an array equals a fixture's expected value: same dtype and shape, and
 * values within tolerance (NaN matches NaN, infinities must match exactly).
 */
export function expectMatches(
  actual: Array,
  expected: EncodedArray,
  opts: { rtol?: number; atol?: number; label?: string; checkDType?: boolean } = {},
): void {
  const label = opts.label ? `${opts.label}: ` : "";
  if (opts.checkDType !== false) expect(actual.dtype.name, `${label}dtype`).toBe(expected.dtype);
  expect(actual.shape, `${label}shape`).toEqual(expected.shape);
  const tol = tolerance(actual.dtype);
  const rtol = opts.rtol ?? tol.rtol;
  const atol = opts.atol ?? tol.atol;
  const got = actual.dataSync();
  const bad: string[] = [];
  expected.data.forEach((ev, i) => {
    const e = decodeScalar(ev);
    const g = got[i]!;
    const ok = Number.isNaN(e)
      ? Number.isNaN(g)
      : !Number.isFinite(e)
        ? g === e
        : Math.abs(g - e) <= atol + rtol * Math.abs(e);
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${g}, expected ${e}`);
  });
  expect(bad, `${label}values differ (rtol=${rtol}, atol=${atol})`).toEqual([]);
}

/**
 * Stage `f` on `args` and check the Jaxpr against eager evaluation: it is well formed,
 * holds exactly `prims` (when given), its output aval has the eager shape and dtype,
 * and evaluating it gives the eager values bit for bit.
 */
export function expectStagedLikeEager(f: (...xs: Array[]) => Array, args: Array[], prims?: string[]): void {
  const eager = f(...args);
  const closed = makeJaxpr(f)(...args);
  checkJaxpr(closed.jaxpr);
  if (prims) expect(closed.jaxpr.eqns.map((e) => e.primitive.name)).toEqual(prims);
  const [aval] = closed.outAvals;
  expect(aval!.shape).toEqual(eager.shape);
  expect(aval!.dtype).toBe(eager.dtype);
  const [again] = evalJaxpr(closed.jaxpr, closed.consts, args);
  expect(again!.dtype).toBe(eager.dtype);
  expect(globalThis.Array.from(again!.dataSync())).toEqual(globalThis.Array.from(eager.dataSync()));
}
