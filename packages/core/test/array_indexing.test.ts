// x.get / x.at work from @jaxts/core alone (the engine is core's src/indexing.ts;
// its NumPy/JAX goldens, Jaxpr comparisons, grads and vmap checks are in
// packages/numpy/test/indexing.test.ts). Expected values follow from NumPy's
// indexing rules applied to arange(12).reshape(3, 4).
import { describe, expect, test } from "vitest";
import { array, IndexUpdateRef, jit, makeJaxpr, scalar } from "../src/index.js";

const x = array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);

describe("Array.get / Array.at without @jaxts/numpy", () => {
  test("basic and advanced reads", () => {
    expect(x.get(1).tolist()).toEqual([4, 5, 6, 7]);
    expect(x.get("::-1, 0").tolist()).toEqual([8, 4, 0]);
    expect(x.get([0, 2], [3, 1]).tolist()).toEqual([3, 9]);
    expect(x.get(x.gt(8)).tolist()).toEqual([9, 10, 11]);
    expect(x.get(null, -1, "1:3").shape).toEqual([1, 2]);
  });
  test("updates are functional; repeated indices accumulate; out of bounds is dropped", () => {
    const ref = x.at([0, 0, 5]);
    expect(ref).toBeInstanceOf(IndexUpdateRef);
    expect(ref.add(1).get(":, 0").tolist()).toEqual([2, 4, 8]);
    expect(x.get(0, 0).item()).toBe(0);
  });
  test("static indices stage slices, traced ones dynamic_slice", () => {
    expect(makeJaxpr((a: typeof x) => a.get(1, "1:"))(x).toString()).toContain("slice[");
    expect(makeJaxpr((a: typeof x, i: typeof x) => a.get(i))(x, scalar(1)).toString()).toContain("dynamic_slice[");
    expect(jit((a: typeof x, i: typeof x) => a.get(i, -1))(x, scalar(2)).item()).toBe(11);
  });

  test("x.at[i] with a number or an index string, as JAX's x.at[...] (NumPy semantics)", () => {
    const x = array([1, 2, 3, 4], { dtype: "float32" });
    expect(x.at[0].set(9).tolist()).toEqual([9, 2, 3, 4]);
    expect(x.at[-1].add(1).tolist()).toEqual([1, 2, 3, 5]);
    expect((x.at as any)["1:3"].multiply(2).tolist()).toEqual([1, 4, 6, 4]);
    expect(x.at(array([0, 0])).add(1).tolist()).toEqual([3, 2, 3, 4]);
  });
});
