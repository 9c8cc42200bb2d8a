import { describe, expect, test } from "vitest";
import { Array, array, grad, jit, vmap } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_sorting", import.meta.url);

const vals = (x: Array) => [...x.dataSync()];

describe("sorting: gradients", () => {
  const r = rng(21);
  const x = randArray([3, 5], r);
  test("sort values, descending, along axes (gather of the tangent)", () => {
    checkGrads((a: Array) => jnp.sort(a), [x], 2);
    checkGrads((a: Array) => jnp.sort(a, { axis: 0, descending: true }), [x], 2);
    checkGrads((a: Array) => jnp.sort(a, null), [x], 2);
  });
  test("partition values", () => {
    checkGrads((a: Array) => jnp.partition(a, 2), [x], 2);
  });
  test("gathering through argsort and unique values", () => {
    checkGrads((a: Array) => jnp.multiply(a, jnp.argsort(a)), [x], 1);
    const y = array([3, 1, 2, 1], { dtype: "float64" });
    expect(vals(grad((a: Array) => jnp.sum(jnp.unique(a, { size: 4, fillValue: 0 })))(y))).toEqual([1, 1, 1, 0]);
  });
});

describe("sorting: vmap (vs a loop) and jit", () => {
  const r = rng(5);
  const b = randArray([4, 6], r);
  test("sort, argsort, partition, lexsort", () => {
    checkVmap((a: Array) => jnp.sort(a), [b]);
    checkVmap((a: Array) => jnp.argsort(a, { descending: true }), [b]);
    checkVmap((a: Array) => jnp.argsort(a), [b], { inAxes: [1] });
    checkVmap((a: Array) => jnp.partition(a, 1), [b]);
    checkVmap((a: Array) => jnp.argpartition(a, 3), [b]);
    checkVmap((a: Array, c: Array) => jnp.lexsort([a, c]), [array([[1, 0, 1], [2, 2, 0]]), array([[0, 0, 1], [1, 0, 1]])]);
  });
  test("searchsorted with every method, batched sorted array and queries", () => {
    const sorted = jnp.sort(randArray([4, 7], r));
    const q = randArray([4, 5], r);
    for (const method of ["scan", "sort", "compare_all"] as const) {
      checkVmap((a: Array, v: Array) => jnp.searchsorted(a, v, { method }), [sorted, q]);
      checkVmap((v: Array) => jnp.searchsorted(array([-0.5, 0, 0.5], { dtype: "float64" }), v, { side: "right", method }), [q]);
    }
  });
  test("unique and set operations with a static size, isin", () => {
    const ints = array([[3, 1, 3, 0], [2, 2, 2, 2], [5, 4, 3, 4]]);
    checkVmap((a: Array) => jnp.unique(a, { size: 4, fillValue: -1 }), [ints]);
    checkVmap((a: Array) => jnp.unique(a, { size: 4, returnIndex: true, returnInverse: true, returnCounts: true }), [ints]);
    checkVmap((a: Array) => jnp.union1d(a, array([1, 9]), { size: 6, fillValue: 0 }), [ints]);
    checkVmap((a: Array) => jnp.intersect1d(a, array([3, 4, 2]), { size: 3 }), [ints]);
    checkVmap((a: Array) => jnp.setdiff1d(a, array([3, 4]), { size: 4 }), [ints]);
    checkVmap((a: Array) => jnp.setxor1d(a, array([3, 7]), { size: 5 }), [ints]);
    checkVmap((a: Array) => jnp.isin(a, array([2, 3])), [ints]);
    checkVmap((a: Array) => jnp.isin(array([1, 2, 3]), a, { method: "binary_search" }), [ints]);
  });
  test("jit", () => {
    checkJit((a: Array) => jnp.unique(a, { size: 5, returnCounts: true }), [array([3, 1, 3, 0, 1])]);
    checkJit((a: Array, v: Array) => jnp.searchsorted(a, v, { side: "right" }), [array([1, 2, 3]), array([2, 0, 5])]);
    checkJit((a: Array) => jnp.argpartition(a, 1), [array([4, 1, 3, 2])]);
  });
});

describe("sorting: semantics", () => {
  test("NaN sorts last, -0.0 equals 0.0, descending keeps stable order of equal keys", () => {
    expect(vals(jnp.sort(array([NaN, 1, -Infinity, 0])))).toEqual([-Infinity, 0, 1, NaN]);
    expect(vals(jnp.argsort(array([2, 1, 2, 1]), { descending: true }))).toEqual([0, 2, 1, 3]);
  });
  test("unique without size works on concrete values and needs size under jit", () => {
    expect(vals(jnp.unique(array([2, 2, 1])))).toEqual([1, 2]);
    expect(() => jit((a: Array) => jnp.unique(a))(array([1, 2]))).toThrow(/\[unique\] the output size depends on the values of a traced array i32\[2\]; pass a static `size`/);
    expect(() => vmap((a: Array) => jnp.setdiff1d(a, array([1])))(array([[1, 2]]))).toThrow(/\[setdiff1d\] the output size depends on the values/);
  });
  test("in1d (NumPy's, removed in 2.4) is isin of the flattened array", () => {
    expect(vals(jnp.in1d(array([[1, 5], [2, 7]]), array([7, 1])))).toEqual([1, 0, 0, 1]);
  });
});

describe("sorting: errors", () => {
  const x = array([[3, 1], [2, 4]]);
  test("bad shapes and arguments name the function", () => {
    expect(() => jnp.sort(array(3))).toThrow(/\[sort\] cannot sort a rank-0 array \(i32\[\]\); pass axis: null/);
    expect(() => jnp.sort(x, 2)).toThrow(/\[sort\] axis 2 is out of bounds for an array of rank 2/);
    expect(() => jnp.argsort(x, { dtype: "float32" })).toThrow(/\[argsort\] dtype must be an integer dtype, got float32/);
    expect(() => jnp.lexsort([])).toThrow(/\[lexsort\] need a list of keys with length > 0/);
    expect(() => jnp.lexsort([array([1, 2]), array([1, 2, 3])])).toThrow(/\[lexsort\] all keys need to be the same shape, got i32\[2\], i32\[3\]/);
    expect(() => jnp.partition(x, 2)).toThrow(/\[partition\] kth 2 is out of bounds for axis 1 of i32\[2,2\]/);
    expect(() => jnp.searchsorted(x, 1)).toThrow(/\[searchsorted\] a should be 1-dimensional, got i32\[2,2\]/);
    expect(() => jnp.searchsorted(array([1]), 1, { side: "middle" as "left" })).toThrow(/\[searchsorted\] side must be "left" or "right"/);
    expect(() => jnp.searchsorted(array([1]), 1, { method: "magic" as "scan" })).toThrow(/\[searchsorted\] unsupported method "magic"/);
    expect(() => jnp.unique(array([], { dtype: "float32" }), { size: 2 })).toThrow(/\[unique\] for zero-sized input with nonzero size argument, fillValue must be specified/);
    expect(() => jnp.unique(x, { size: -1 })).toThrow(/\[unique\] size must be a non-negative integer, got -1/);
    expect(() => jnp.isin(x, array([1]), { method: "sort" as "auto" })).toThrow(/\[isin\] method "sort" is not implemented/);
  });
});
