// Runs the cases of tools/goldens/gen_numpy_math.py: each calls one jnp
// function with the recorded positional arguments and options and compares
// every output with the golden (dtype, shape, values at dtype tolerances).
import { describe, expect, test } from "vitest";
import type { Array } from "@jaxts/core";
import { decode, expectMatches, loadGolden, type EncodedArray } from "../../core/test/golden.js";
import * as jnp from "../src/index.js";

type Encoded =
  | EncodedArray
  | { scalar: number | boolean | string }
  | { list: Encoded[] }
  | { fn: string }
  | string
  | number
  | boolean
  | number[]
  | null;

export interface MathCase {
  fn: string;
  args: Encoded[];
  opts: Record<string, Encoded>;
  out: EncodedArray | EncodedArray[];
  multi: boolean;
  label?: string;
  tol?: { rtol: number; atol: number };
}

/** The Python lambdas of the generator's NAMED_FNS, written with jnp. */
const namedFns: Record<string, (x: Array) => Array> = {
  neg: (x) => jnp.negative(x),
  square: (x) => jnp.multiply(x, x),
  half: (x) => jnp.divide(x, 2),
};

const scalarValue = (v: number | boolean | string): number | boolean =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number | boolean);

export function decodeArg(e: Encoded): unknown {
  if (e === null || typeof e !== "object" || globalThis.Array.isArray(e)) return e;
  if ("dtype" in e) return decode(e);
  if ("scalar" in e) return scalarValue(e.scalar);
  if ("list" in e) return e.list.map(decodeArg);
  if ("fn" in e) return namedFns[e.fn]!;
  throw new Error(`unknown encoded argument ${JSON.stringify(e)}`);
}

export function runCase(c: MathCase): unknown {
  const f = (jnp as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
  if (typeof f !== "function") throw new Error(`jnp.${c.fn} is not a function`);
  const args = c.args.map(decodeArg);
  const opts = Object.fromEntries(Object.entries(c.opts).map(([k, v]) => [k, decodeArg(v)]));
  return Object.keys(opts).length ? f(...args, opts) : f(...args);
}

/** One test per golden case of a fixture, grouped by function name. */
export function goldenSuite(fixture: string, base: string): void {
  const cases = loadGolden<MathCase>(fixture, base);
  const byFn = new Map<string, MathCase[]>();
  for (const c of cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  test(`${fixture} has cases`, () => expect(cases.length).toBeGreaterThan(10));
  for (const [fn, cs] of byFn) {
    describe(`golden ${fn}`, () => {
      cs.forEach((c, i) => {
        test(`${i}: ${c.label ?? ""}`, () => {
          const got = runCase(c);
          const outs = c.multi ? (got as Array[]) : [got as Array];
          const want = c.multi ? (c.out as EncodedArray[]) : [c.out as EncodedArray];
          expect(outs.length, "number of outputs").toBe(want.length);
          want.forEach((w, k) => expectMatches(outs[k]!, w, { ...(c.tol ?? {}), label: `${fn} output ${k}` }));
        });
      });
    });
  }
}
