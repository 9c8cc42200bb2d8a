// Window functions, vander, vectorize, packbits/unpackbits, histogram2d/histogramdd:
// goldens from tools/goldens/gen_numpy_extra.py plus gradients, vmap and jit checks.
import { describe, expect, test } from "vitest";
import { Array, array, grad, jit } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { expectMatches, loadGolden, type EncodedArray } from "../../core/test/golden.js";
import { decodeArg, goldenSuite, runCase, type MathCase } from "./math_golden.js";

goldenSuite("numpy_extra", import.meta.url);

const vals = (x: Array) => [...x.dataSync()];

describe("window functions", () => {
  test("float32 results, M <= 1 gives ones", () => {
    for (const f of [jnp.bartlett, jnp.blackman, jnp.hamming, jnp.hanning]) {
      expect(f(5).dtype.name).toBe("float32");
      expect(f(0).shape).toEqual([0]);
      expect(vals(f(1))).toEqual([1]);
    }
    expect(jnp.kaiser(4, 1.5).dtype.name).toBe("float32");
    expect(vals(jnp.kaiser(1, 3))).toEqual([1]);
  });
  test("kaiser: gradient in beta, jit", () => {
    checkGrads((b: Array) => jnp.kaiser(6, b), [array(2.5, { dtype: "float64" })], 1);
    checkJit((b: Array) => jnp.kaiser(7, b), [array(1.5)]);
  });
  test("errors", () => {
    expect(() => jnp.hamming(2.5)).toThrow(/\[hamming\] M must be an integer window size, got 2.5/);
  });
});

describe("vander", () => {
  const r = rng(5);
  test("gradients, vmap, jit", () => {
    const x = randArray([4], r);
    checkGrads((a: Array) => jnp.vander(a), [x], 2);
    checkGrads((a: Array) => jnp.vander(a, 3, { increasing: true }), [x], 1);
    checkVmap((a: Array) => jnp.vander(a, 3), [randArray([2, 4], r)]);
    checkJit((a: Array) => jnp.vander(a), [x]);
  });
  test("errors", () => {
    expect(() => jnp.vander(array([[1, 2]]))).toThrow(/\[vander\] x must be a one-dimensional array, got i32\[1,2\]/);
    expect(() => jnp.vander(array([1, 2]), -1)).toThrow(/\[vander\] N must be nonnegative, got -1/);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any */
// The functions of gen_numpy_extra.py's VEC_FNS, with their options.
const vecFns: Record<string, [(...a: any[]) => any, jnp.VectorizeOptions]> = {
  dot: [(a: Array, b: Array) => jnp.dot(a, b), { signature: "(n),(n)->()" }],
  matvec: [(m: Array, v: Array) => jnp.matmul(m, v), { signature: "(m,n),(n)->(m)" }],
  stats: [(a: Array) => [jnp.mean(a, 0), jnp.sum(a, 1)], { signature: "(m,n)->(n),(m)" }],
  center: [(a: Array) => jnp.subtract(a, jnp.mean(a)), { signature: "(n)->(n)" }],
  affine: [(x: Array, y: Array) => jnp.add(jnp.multiply(x, 2.5), jnp.sin(y)), {}],
  clipmax: [(x: Array, y: Array) => jnp.minimum(x, jnp.max(y)), { signature: "(),(k)->()" }],
  powex: [(x: Array, p: number) => jnp.power(x, p), { excluded: [1] }],
  outer: [(a: Array, b: Array) => jnp.outer(a, b), { signature: "(m),(n)->(m,n)" }],
};

describe("vectorize", () => {
  describe("goldens (JAX's jnp.vectorize)", () => {
    const cases = loadGolden<MathCase>("numpy_vectorize", import.meta.url);
    cases.forEach((c, i) => {
      test(`${i}: ${c.fn} ${c.label ?? ""}`, () => {
        const [f, o] = vecFns[c.fn]!;
        const got = jnp.vectorize(f, o)(...c.args.map(decodeArg));
        const outs = c.multi ? (got as Array[]) : [got as Array];
        const want = c.out as EncodedArray[];
        expect(outs.length).toBe(want.length);
        want.forEach((w, k) => expectMatches(outs[k]!, w, { rtol: 1e-5, atol: 1e-5, label: `${c.fn} output ${k}` }));
      });
    });
  });

  const r = rng(9);
  test("matches a loop over the broadcast loop dimensions", () => {
    const a = randArray([3, 1, 4], r);
    const b = randArray([2, 4], r);
    const got = jnp.vectorize((u: Array, v: Array) => jnp.dot(u, v), { signature: "(n),(n)->()" })(a, b);
    expect(got.shape).toEqual([3, 2]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        const want = jnp.dot(a.get(i, 0), b.get(j)).item() as number;
        expect(got.get(i, j).item()).toBeCloseTo(want, 12);
      }
    }
    // No signature: elementwise over broadcast scalars, the function sees 0-d arrays.
    const shapes: number[][] = [];
    const e = jnp.vectorize((x: Array, y: Array) => {
      shapes.push(x.shape, y.shape);
      return jnp.where(jnp.greater(x, y), x, jnp.multiply(y, 2));
    })(a, b);
    expect(e.shape).toEqual([3, 2, 4]);
    expect(shapes.every((s) => s.length === 0)).toBe(true);
    expect(vals(e)).toEqual(vals(jnp.where(jnp.greater(a, b), a, jnp.multiply(b, 2))));
  });
  test("excluded and null arguments are passed through", () => {
    const seen: unknown[] = [];
    const f = jnp.vectorize(
      (x: Array, mode: string, y: Array | null) => {
        seen.push(mode, y);
        return mode === "neg" ? jnp.negative(x) : x;
      },
      { excluded: [1] },
    );
    expect(vals(f(array([1, 2]), "neg", null))).toEqual([-1, -2]);
    expect(seen).toEqual(["neg", null]);
  });
  test("under grad, jit and vmap", () => {
    const matvec = jnp.vectorize((m: Array, v: Array) => jnp.matmul(m, v), { signature: "(m,n),(n)->(m)" });
    const m = randArray([2, 3, 4], r);
    const v = randArray([4], r);
    checkGrads((x: Array, y: Array) => matvec(x, y), [m, v], 2);
    checkJit((x: Array, y: Array) => matvec(x, y), [m, v]);
    checkVmap((x: Array, y: Array) => matvec(x, y), [randArray([3, 2, 3, 4], r), randArray([3, 4], r)]);
    const norm = jnp.vectorize((x: Array) => jnp.sqrt(jnp.sum(jnp.multiply(x, x))), { signature: "(n)->()" });
    const g = grad((x: Array) => jnp.sum(norm(x)))(m);
    const n = norm(m);
    expect(vals(g)).toEqual(vals(jnp.divide(m, jnp.expandDims(n, -1))).map((x) => expect.closeTo(x, 12)));
    const jitted = jit((x: Array) => norm(x));
    expect(vals(jitted(m))).toEqual(vals(n).map((x) => expect.closeTo(x, 12)));
  });
  test("errors like JAX's", () => {
    const ctx = (s: string) => `on vectorized function with excluded=\\[\\] and signature='${s.replace(/[()]/g, "\\$&")}'`;
    const dot = jnp.vectorize((a: Array, b: Array) => jnp.dot(a, b), { signature: "(n),(n)->()" });
    expect(() => dot(jnp.ones([2, 3]), jnp.ones([4]))).toThrow(new RegExp(`\\[vectorize\\] inconsistent size for core dimension 'n': 4 vs 3 ${ctx("(n),(n)->()")}`));
    expect(() => dot(array(1), jnp.ones([3]))).toThrow(new RegExp(`input with shape \\(\\) does not have enough dimensions for all core dimensions \\('n',\\) ${ctx("(n),(n)->()")}`));
    expect(() => (dot as (...a: unknown[]) => unknown)(jnp.ones([3]))).toThrow(/wrong number of positional arguments: expected 2, got 1 on vectorized function/);
    expect(() => dot(jnp.ones([2, 3]), jnp.ones([3, 3]))).toThrow(/\[vectorize\] shapes \(2\) and \(3\) cannot be broadcast together/);
    const one = jnp.vectorize((a: Array) => [jnp.sum(a, 0)], { signature: "(m,n)->(n),(m)" });
    expect(() => one(jnp.ones([2, 3]))).toThrow(/wrong number of output arguments: expected 2, got 1/);
    const notTuple = jnp.vectorize((a: Array) => jnp.sum(a, 0), { signature: "(m,n)->(n),(m)" });
    expect(() => notTuple(jnp.ones([2, 3]))).toThrow(/output must be a tuple \(an array\) when multiple outputs are expected, got: f32\[3\]/);
    const badOut = jnp.vectorize((a: Array) => jnp.sum(a), { signature: "(m,n)->(n)" });
    expect(() => badOut(jnp.ones([2, 3]))).toThrow(/output shape \(\) does not match core dimensions \('n',\)/);
    expect(() => jnp.vectorize((a: Array) => a, { signature: "(m,n)->(n" })).toThrow(/\[vectorize\] not a valid gufunc signature: \(m,n\)->\(n/);
    expect(() => jnp.vectorize((a: Array) => a, { excluded: [-1] })).toThrow(/excluded=\[-1\] contains negative numbers/);
  });
});

describe("packbits / unpackbits", () => {
  test("round trip, vmap, jit", () => {
    const bits = jnp.asarray([[1, 0, 1, 1, 0, 0, 1, 0, 1, 1], [0, 1, 1, 0, 1, 0, 0, 1, 1, 0]], "uint8");
    const packed = jnp.packbits(bits, { axis: 1 });
    expect(packed.dtype.name).toBe("uint8");
    expect(vals(jnp.unpackbits(packed, { axis: 1, count: 10 }))).toEqual(vals(bits));
    checkVmap((b: Array) => jnp.packbits(b, { bitorder: "little" }), [bits]);
    checkVmap((p: Array) => jnp.unpackbits(p, { count: 12 }), [packed]);
    checkJit((b: Array) => jnp.packbits(b, { axis: 0 }), [bits]);
    checkJit((p: Array) => jnp.unpackbits(p, { axis: 0, bitorder: "little" }), [packed]);
  });
  test("errors", () => {
    expect(() => jnp.packbits(array([0.5, 1]))).toThrow(/\[packbits\] expected an input array of integer or boolean data type, got f32\[2\]/);
    expect(() => jnp.unpackbits(array([1, 2]))).toThrow(/\[unpackbits\] expected an input array of unsigned byte data type, got i32\[2\]/);
    expect(() => jnp.packbits(array([1]), { bitorder: "middle" as "big" })).toThrow(/\[packbits\] 'order' must be either 'little' or 'big'/);
  });
});

describe("histogram2d / histogramdd", () => {
  describe("goldens (NumPy values, JAX dtypes)", () => {
    const cases = loadGolden<MathCase>("numpy_histogram", import.meta.url);
    cases.forEach((c, i) => {
      test(`${i}: ${c.fn} ${c.label ?? ""}`, () => {
        const got = runCase(c) as [Array, Array[] | Array, Array?];
        const outs = (got[1] instanceof Array ? got : [got[0], ...got[1]]) as Array[];
        const want = c.out as EncodedArray[];
        expect(outs.length).toBe(want.length);
        want.forEach((w, k) => expectMatches(outs[k]!, w, { ...(c.tol ?? {}), label: `${c.fn} output ${k}` }));
      });
    });
  });
  const r = rng(12);
  test("counts match a loop, jit, vmap, gradient of weighted counts", () => {
    const x = randArray([25], r, -2, 2);
    const y = randArray([25], r, -2, 2);
    const [h, ex, ey] = jnp.histogram2d(x, y, { bins: [3, 4] });
    expect(h.dtype.name).toBe("int32");
    const cnt = new globalThis.Array(12).fill(0);
    const xs = vals(x), ys = vals(y), exv = vals(ex), eyv = vals(ey);
    const bin = (v: number, e: number[]) => Math.min(e.findLastIndex((t) => t <= v), e.length - 2);
    xs.forEach((v, k) => cnt[bin(v, exv) * 4 + bin(ys[k]!, eyv)]++);
    expect(vals(h)).toEqual(cnt);
    checkJit((a: Array, b: Array) => jnp.histogram2d(a, b, { bins: 3, density: true })[0], [x, y]);
    checkVmap((a: Array) => jnp.histogramdd(a, { bins: 2, range: [[-2, 2], [-2, 2]] })[0], [randArray([3, 10, 2], r, -2, 2)]);
    const s = jnp.stack([x, y], 1);
    checkGrads((w: Array) => jnp.histogramdd(s, { bins: 3, weights: w })[0], [randArray([25], r)], 1);
  });
  test("errors", () => {
    const s = jnp.ones([4, 2]);
    expect(() => jnp.histogramdd(jnp.ones([4]))).toThrow(/\[histogramdd\] sample must be a 2-D array of N points in D dimensions, got f32\[4\]/);
    expect(() => jnp.histogramdd(s, { bins: [2, 3, 4] })).toThrow(/\[histogramdd\] should be a bin for each dimension: got 3 for 2 dimensions/);
    expect(() => jnp.histogramdd(s, { weights: jnp.ones([3]) })).toThrow(/\[histogramdd\] should have one weight for each sample/);
    expect(() => jnp.histogramdd(s, { range: [[0, 1]] })).toThrow(/\[histogramdd\] for sample.shape=\(4, 2\), range must be a sequence of 2 pairs or nulls/);
    expect(() => jnp.histogram2d(jnp.ones([3]), jnp.ones([4]))).toThrow(/\[histogram2d\] x and y must be 1-D arrays of the same length, got f32\[3\] and f32\[4\]/);
  });
});
