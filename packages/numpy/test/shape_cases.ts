// Runs the golden cases written by tools/goldens/gen_numpy_shape.py: each case
// names a function, its arguments (encoded arrays are decoded, everything else
// is passed as is) and its options, and holds NumPy's (or JAX's) result.
import { expect, test } from "vitest";
import { Array } from "@jaxts/core";
import { decode, expectMatches, loadGolden, type EncodedArray } from "../../core/test/golden.js";

export interface ShapeCase {
  fn: string;
  args: unknown[];
  kw: Record<string, unknown>;
  out: EncodedArray | EncodedArray[];
  weak?: boolean | boolean[];
  note?: string;
  /** a looser tolerance (rtol = atol) where the reference rounds differently */
  tol?: number;
}

const isEncoded = (v: unknown): v is EncodedArray =>
  typeof v === "object" && v !== null && "dtype" in v && "shape" in v && "data" in v;

/** Encoded arrays become Arrays; lists and plain objects are decoded element by element. */
export function decodeArg(v: unknown): unknown {
  if (isEncoded(v)) return decode(v);
  if (globalThis.Array.isArray(v)) return v.map(decodeArg);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeArg(x)]));
  return v;
}

export type Runner = (args: any[], kw: Record<string, any>) => Array | Array[];

function label(c: ShapeCase, i: number): string {
  const args = JSON.stringify(c.args, (_, v) => (isEncoded(v) ? `${v.dtype}[${v.shape.join(",")}]` : v));
  return `${i}: ${c.fn}(${args.slice(1, -1)}${Object.keys(c.kw).length ? `, ${JSON.stringify(c.kw)}` : ""})${c.note ? ` [${c.note}]` : ""}`;
}

/**
 * One Vitest test per case: the function (from `runners`, or `generic` by
 * name) gives the expected dtype, shape, values and (where JAX recorded it)
 * weak type.
 */
export function runGoldenCases(fixture: string, base: string, runners: Record<string, Runner>, generic: (fn: string) => Runner | undefined): void {
  const cases = loadGolden<ShapeCase>(fixture, base);
  test(`${fixture}: every case has a runner`, () => {
    const missing = [...new Set(cases.map((c) => c.fn))].filter((fn) => !runners[fn] && !generic(fn));
    expect(missing).toEqual([]);
    expect(cases.length).toBeGreaterThan(0);
  });
  cases.forEach((c, i) => {
    test(label(c, i), () => {
      const run = runners[c.fn] ?? generic(c.fn)!;
      const got = run(c.args.map(decodeArg), decodeArg(c.kw) as Record<string, any>);
      const outs = globalThis.Array.isArray(c.out) ? c.out : [c.out];
      const gots = globalThis.Array.isArray(got) ? got : [got];
      expect(gots.length, "number of results").toBe(outs.length);
      gots.forEach((g, k) => {
        expect(g, `result ${k} is an Array`).toBeInstanceOf(Array);
        expectMatches(g, outs[k]!, { label: `result ${k}`, ...(c.tol ? { rtol: c.tol, atol: c.tol } : {}) });
        const weak = globalThis.Array.isArray(c.weak) ? c.weak[k] : c.weak;
        if (weak !== undefined) expect(g.weakType, `result ${k} weak type`).toBe(weak);
      });
    });
  });
}

/** Call `ns[fn](...args)`, with the options object appended when it has entries. */
export function byName(ns: Record<string, unknown>): (fn: string) => Runner | undefined {
  return (fn) => {
    const f = ns[fn];
    if (typeof f !== "function") return undefined;
    return (args, kw) => (Object.keys(kw).length ? f(...args, kw) : f(...args));
  };
}
