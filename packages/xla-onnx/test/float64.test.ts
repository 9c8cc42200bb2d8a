// float64 transcendental functions and integer bitwise reductions on the onnx
// backend: ONNX Runtime's CPU provider has no double kernel for Tan, Asin, Acos,
// Atan, Sinh, Cosh, Asinh, Acosh, Atanh, Erf (and its double Sin/Cos lose
// relative accuracy next to their zeros), and no integer ReduceAnd/Or/Xor; the
// lowerings build them from ops it has (src/lower/math64.ts, reduction.ts). Each
// case must run on onnx (no CPU fallback) and match core's golden and the CPU
// backend (checked against JAX); signed zeros must match too.
import { describe, expect, it } from "vitest";
import { dtype, fromTyped, jit, lax, type Array } from "@jaxts/core";
import { checkBoth, decode, fmtEncoded, guardFallbacks, loadGolden, toCpu, toOnnx, type ElemCase, type RedCase } from "./harness.js";

const L = lax as unknown as Record<string, (...a: any[]) => Array>;
const fmt = fmtEncoded;


/** No equation of this file's tests ran on the CPU backend. */
const expectNoFallback = guardFallbacks();

const f64 = (xs: readonly number[], shape = [xs.length]) => fromTyped(Float64Array.from(xs), shape, dtype("float64"), false, "cpu");

/** Zeros keep their sign: where the CPU result is +-0 the onnx one is the same zero. */
async function expectSignedZeros(got: Array, want: Array, label: string): Promise<void> {
  const a = (await toCpu(got)).dataSync();
  const b = want.dataSync();
  const bad: string[] = [];
  for (let i = 0; i < b.length; i++) if (b[i] === 0 && !Object.is(a[i], b[i])) bad.push(`[${i}] onnx ${Object.is(a[i], -0) ? "-0" : a[i]}, cpu ${Object.is(b[i], -0) ? "-0" : b[i]}`);
  expect(bad, `${label}: signed zeros`).toEqual([]);
}

// ---------------------------------------------------------------------------
// float64 elementwise


const unaryOps = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "erf"];
/** A few ulps (the CPU backend's own functions are within about 1 ulp). */
const RTOL = 1e-14;

describe("float64 elementwise goldens on onnx (no CPU fallback)", () => {
  const cases = loadGolden<ElemCase>("elementwise").filter((c) => c.out.dtype === "float64" && [...unaryOps, "atan2"].includes(c.op));
  it("covers every op", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set([...unaryOps, "atan2"]));
  });
  for (const c of cases) {
    it(`${c.op}(${c.args.map(fmt).join(", ")})`, async () => {
      const args = c.args.map(decode);
      const f = (xs: Array[]) => L[c.op]!(...xs);
      await checkBoth(f, args, c.out, c.op, { rtol: c.rtol ?? RTOL, atol: c.atol ?? 0 });
      await expectSignedZeros(f(toOnnx(args)), f(args), c.op);
      expectNoFallback(c.op);
    });
  }
});

const TINY = [5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-200, 1e-20, 2 ** -29, 2 ** -28, 2 ** -27, 2 ** -26, 1e-8, 1e-4];
const HUGE = [1e20, 2 ** 28, 2 ** 60, 2 ** 66, 1e100, 1e300, 1.7976931348623157e308];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0];
const signed = (xs: number[]) => [...xs, ...xs.map((v) => -v)];
/** Where the formulations switch branches, and their neighbours. */
const BREAKS = [0.3, 0.4375, 0.5, 0.6875, 0.78125, 1, 1.1875, 2, 2.4375, 6, 8, 22, 709, 709.78, 710, 710.47, 711];
const around = (xs: number[]) => xs.flatMap((v) => [v * (1 - 2 ** -52), v, v * (1 + 2 ** -52)]);
/** Doubles next to multiples of pi/2 (where sin, cos or tan is tiny or huge), and past the Cody-Waite range. */
const NEAR_PIO2 = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 100, 1000, 12345, 2 ** 19 - 1].map((k) => (k * Math.PI) / 2),
  823549.6, 823550.5, 1e5, 1e6, 1e9, 1e15, 1e22, 6381956970095103 * 2 ** 797,
];
const MID = [0.1, 0.25, 0.7, 0.9, 0.99, 0.999999, 1.5, 3, 3.5, 5.9, 10, 27, 100, 1000];
/** Deterministic pseudo-random values in [lo, hi). */
function uniform(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0;
  return globalThis.Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

const edgeInputs: Record<string, number[]> = {
  default: [...SPECIAL, ...signed([...TINY, ...HUGE, ...around(BREAKS), ...NEAR_PIO2, ...MID]), ...uniform(200, -30, 30, 1)],
  unit: [...SPECIAL, ...signed([...TINY, ...around([0.3, 0.4375, 0.5, 0.6875, 0.975, 1]), 0.1, 0.7, 0.9, 0.99, 0.999999, 1 - 2 ** -30, 1.5, 2, ...HUGE]), ...uniform(200, -1, 1, 2)],
  acosh: [...SPECIAL, 1, ...around([1, 2, 2 ** 28]), 1 + 2 ** -52, 1 + 1e-10, 1.0001, 1.5, 3, 10, 1e5, ...HUGE, 0.5, -1, ...uniform(200, 1, 30, 3)],
};
const inputsOf = (op: string) => edgeInputs[op === "acosh" ? "acosh" : ["asin", "acos", "atanh"].includes(op) ? "unit" : "default"]!;

describe("float64 edge values on onnx vs the CPU backend (no CPU fallback)", () => {
  for (const op of unaryOps) {
    it(op, async () => {
      const x = f64(inputsOf(op));
      await checkBoth(([v]) => L[op]!(v!), [x], { dtype: "float64", shape: x.shape, data: [...(L[op]!(x).dataSync() as Float64Array)].map(enc) }, `${op} edges`, { rtol: RTOL, atol: 0 });
      await expectSignedZeros(L[op]!(toOnnx(x)), L[op]!(x), op);
      expectNoFallback(op);
    });
  }

  it("atan2 over every pair of edge values", async () => {
    const vals = [...SPECIAL, ...signed([5e-324, 2.2250738585072014e-308, 1e-300, 0.5, 1, 2, 1e10, 1e300, 1.7976931348623157e308])];
    const ys: number[] = [];
    const xs: number[] = [];
    for (const a of vals) for (const b of vals) {
      ys.push(a);
      xs.push(b);
    }
    ys.push(...uniform(300, -10, 10, 4));
    xs.push(...uniform(300, -10, 10, 5));
    const args = [f64(ys), f64(xs)];
    const f = ([y, x]: Array[]) => lax.atan2(y!, x!);
    const want = f(args);
    await checkBoth(f, args, { dtype: "float64", shape: want.shape, data: [...(want.dataSync() as Float64Array)].map(enc) }, "atan2 edges", { rtol: RTOL, atol: 0 });
    await expectSignedZeros(f(toOnnx(args)), want, "atan2");
    expectNoFallback("atan2");
  });

  it("all of them in one jitted graph", async () => {
    const g = jit((x: Array, y: Array) => {
      const u = x.mul(0.15); // in (-1, 1), rounded alike on both backends
      return [lax.tan(x), lax.asin(u), lax.acos(u), lax.atan(x), lax.sinh(x), lax.cosh(x), lax.asinh(x), lax.acosh(lax.abs(x).add(1)), lax.atanh(u), lax.erf(x), lax.atan2(x, y)];
    });
    const args = [f64(uniform(64, -5, 5, 6), [8, 8]), f64(uniform(64, -5, 5, 7), [8, 8])];
    await checkBoth((xs) => g(xs[0]!, xs[1]!) as Array[], args, null, "jit");
    expectNoFallback("jit");
  });
});

function enc(v: number): number | string {
  return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : v;
}

// ---------------------------------------------------------------------------
// integer reduce_and / reduce_or / reduce_xor


const reducers: Record<string, (x: Array, axes: number[]) => Array> = {
  reduce_and: lax.reduceAnd,
  reduce_or: lax.reduceOr,
  reduce_xor: lax.reduceXor,
};
const intDTypes = ["int8", "int16", "int32", "uint8", "uint16", "uint32"];

describe("integer bitwise reductions on onnx (no CPU fallback)", () => {
  const cases = loadGolden<RedCase>("reduction").filter((c) => c.kind === "reduce" && c.op in reducers && c.x.dtype !== "bool");
  it("covers every integer dtype", () => {
    expect(new Set(cases.map((c) => c.x.dtype))).toEqual(new Set(intDTypes));
  });
  for (const [op, f] of Object.entries(reducers)) {
    it(`${op} goldens`, async () => {
      for (const c of cases.filter((k) => k.op === op)) {
        await checkBoth(([x]) => f(x!, c.axes!), [decode(c.x)], c.out, `${op} ${fmt(c.x)} axes=${c.axes} ${c.note ?? ""}`, { rtol: 0, atol: 0 });
      }
      expectNoFallback(op);
    });
  }

  /** Extreme values of each dtype (and random bits), odd lengths, several axes. */
  function extremes(d: string, n: number, seed: number): number[] {
    const bits = parseInt(d.replace(/\D/g, ""), 10);
    const [lo, hi] = d.startsWith("u") ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
    const fixed = [lo, hi, lo + 1, hi - 1, 0, 1, -1, 2 ** (bits - 1), 2 ** (bits - 2)].filter((v) => v >= lo && v <= hi);
    const rnd = uniform(n, 0, 2 ** bits, seed).map((v) => Math.floor(v) + lo);
    return rnd.map((v, i) => (i % 3 === 0 ? fixed[(i / 3) % fixed.length]! : v));
  }
  for (const d of intDTypes) {
    it(`${d}: large values, odd lengths, empty operands`, async () => {
      const dt = dtype(d);
      const arr = (xs: number[], shape: number[]) => fromTyped(dt.storage.from(xs), shape, dt, false, "cpu");
      const shapes: [number[], number[][]][] = [
        [[7, 5, 3], [[0], [1], [2], [0, 2], [0, 1, 2], []]],
        [[1000], [[0]]],
        [[3, 129], [[1], [0, 1]]],
        [[1, 1, 2], [[0, 1]]],
        [[0, 4], [[0], [1], [0, 1]]],
        [[4, 0, 2], [[1], [0, 2]]],
      ];
      let seed = 10;
      for (const [shape, axesList] of shapes) {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = arr(extremes(d, n, seed++), shape);
        for (const axes of axesList) {
          for (const [op, f] of Object.entries(reducers)) {
            await checkBoth(([v]) => f(v!, axes), [x], null, `${op} ${d}[${shape}] axes=${axes}`, { rtol: 0, atol: 0 });
          }
        }
      }
      // all-ones operands: reduce_and keeps every bit.
      const ones = arr(new globalThis.Array(9).fill(d.startsWith("u") ? 2 ** parseInt(d.slice(4), 10) - 1 : -1), [9]);
      await checkBoth(([v]) => lax.reduceAnd(v!, [0]), [ones], null, `reduce_and ${d} all ones`, { rtol: 0, atol: 0 });
      // inside a jitted graph, with other ops around
      const g = jit((v: Array) => lax.reduceXor(lax.bitwiseAnd(v, lax.broadcastInDim(lax.reduceOr(v, [0]), v.shape, [1])), [0, 1]));
      await checkBoth(([v]) => g(v!), [arr(extremes(d, 35, seed++), [5, 7])], null, `jit ${d}`, { rtol: 0, atol: 0 });
      expectNoFallback(d);
    });
  }
});
