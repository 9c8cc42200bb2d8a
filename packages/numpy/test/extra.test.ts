// Window functions, vander, vectorize, packbits/unpackbits, histogram2d/histogramdd:
// goldens from tools/goldens/gen_numpy_extra.py plus gradients, vmap and jit checks.
import { describe, expect, test } from "vitest";
import { Array, array, grad, jit } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { goldenSuite } from "./math_golden.js";

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
