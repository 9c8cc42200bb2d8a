// Shared by products.test.ts, linalg.test.ts and fft.test.ts: decoding the
// fixtures of tools/goldens/gen_numpy_linalg.py and comparing results with
// tolerances scaled to the size of the expected values.
import { expect } from "vitest";
import { Array, type DType } from "@jaxts/core";
import { decode, type EncodedArray } from "../../core/test/golden.js";

export interface Case {
  fn: string;
  args: unknown[];
  kw: Record<string, unknown>;
  out: unknown;
  note: string;
}

const isEncoded = (v: unknown): v is EncodedArray =>
  typeof v === "object" && v !== null && "dtype" in v && "shape" in v && "data" in v;

/** Fixture values to call arguments: arrays decode, {real, imag} pairs decode both parts, "inf" strings become numbers. */
export function decodeArg(v: unknown): unknown {
  if (isEncoded(v)) return decode(v);
  if (v instanceof Array) return v;
  if (globalThis.Array.isArray(v)) return v.map(decodeArg);
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeArg(x)]));
  }
  return v;
}

/** Tolerances for decomposition-sized float computations (relative to the largest expected magnitude). */
export function tolFor(d: DType | string, scale = 1): { rtol: number; atol: number } {
  const name = typeof d === "string" ? d : d.name;
  if (name === "float64") return { rtol: 1e-10 * scale, atol: 1e-10 * scale };
  if (name === "float32") return { rtol: 2e-4 * scale, atol: 2e-4 * scale };
  return { rtol: 0, atol: 0 };
}

function maxAbs(e: EncodedArray): number {
  let m = 0;
  for (const v of e.data) if (typeof v === "number" && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * Compare an array with a fixture value: same dtype and shape, values within
 * rtol·|e| + atol·max(1, max|e|) (NaN matches NaN, infinities exactly).
 */
export function expectClose(actual: Array, expected: EncodedArray, label: string, scale = 1, checkDType = true): void {
  if (checkDType) expect(actual.dtype.name, `${label}: dtype`).toBe(expected.dtype);
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  const { rtol, atol } = tolFor(expected.dtype, scale);
  const bound = atol * Math.max(1, maxAbs(expected));
  const got = actual.dataSync();
  const bad: string[] = [];
  expected.data.forEach((ev, i) => {
    const e = ev === "nan" ? NaN : ev === "inf" ? Infinity : ev === "-inf" ? -Infinity : (ev as number);
    const g = Number(got[i]);
    const ok = Number.isNaN(e) ? Number.isNaN(g) : !Number.isFinite(e) ? g === e : Math.abs(g - e) <= bound + rtol * Math.abs(e);
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${g}, expected ${e}`);
  });
  expect(bad, `${label}: values (rtol ${rtol}, atol ${bound})`).toEqual([]);
}

/** A JS copy of an array's values (for sign normalization of singular/eigen vectors). */
export const values = (x: Array): number[] => [...x.dataSync()].map(Number);
