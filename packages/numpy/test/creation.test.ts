import { describe, expect, test } from "vitest";
import { Array, array as coreArray, float64, jit, makeJaxpr, scalar } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { byName, runGoldenCases } from "./shape_cases.js";

describe("creation goldens (NumPy values, JAX dtypes and weak types)", () => {
  runGoldenCases(
    "creation",
    import.meta.url,
    {
      linspaceRetstep: ([start, stop, num], kw) => jnp.linspace(start, stop, num, { ...kw, retstep: true }),
      // The same functions of the coordinates as the generator's FROMFN table.
      "fromfunction.i+2j": ([shape], kw) => jnp.fromfunction((i, j) => i!.add(j!.mul(2)), shape, kw),
      "fromfunction.i*j-k": ([shape], kw) => jnp.fromfunction((i, j, k) => i!.mul(j!).sub(k!), shape, kw),
      "fromfunction.sq": ([shape], kw) => jnp.fromfunction((i) => i!.mul(i!), shape, kw),
    },
    byName(jnp as unknown as Record<string, unknown>),
  );
});

describe("creation: dtypes, weak types and shapes", () => {
  test("JS scalars are weak, lists are strong (jnp.array)", () => {
    expect(jnp.array(1).weakType).toBe(true);
    expect(jnp.array(1).dtype.name).toBe("int32");
    expect(jnp.array([1, 2]).weakType).toBe(false);
    expect(jnp.array(true).weakType).toBe(false);
    expect(jnp.asarray(2.5, "float16").dtype.name).toBe("float16");
  });
  test("array stacks nested Arrays with promotion", () => {
    const a = jnp.array([1, 2], { dtype: "int8" });
    const b = coreArray([0.5, 1.5]);
    const s = jnp.array([a, b]);
    expect(s.dtype.name).toBe("float32");
    expect(s.tolist()).toEqual([
      [1, 2],
      [0.5, 1.5],
    ]);
  });
  test("copy gives an independent buffer (dispose of the copy keeps the original)", () => {
    const x = coreArray([1, 2, 3]);
    const c = jnp.copy(x);
    expect(c).not.toBe(x);
    c.dispose();
    expect(x.tolist()).toEqual([1, 2, 3]);
    const a = jnp.array(x);
    expect(a).not.toBe(x);
    expect(jnp.asarray(x)).toBe(x);
  });
  test("zeros/ones take a dtype name, a DType or {dtype}", () => {
    expect(jnp.zeros([2], "int8").dtype.name).toBe("int8");
    expect(jnp.ones(2, { dtype: float64 }).dtype).toBe(float64);
    expect(jnp.full([2], scalar(3, float64, false)).dtype).toBe(float64);
  });
  test("eye with a traced offset under jit", () => {
    const f = jit((k: Array) => jnp.eye(3, 4, { k }));
    expect(f(scalar(1)).tolist()).toEqual([
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
  });
  test("arange stages only iota-based ops", () => {
    const text = makeJaxpr(() => jnp.arange(2, 7))().toString();
    expect(text).toContain("iota");
  });
});

describe("creation: errors name the function and the bad input", () => {
  test.each([
    ["zeros negative", () => jnp.zeros([2, -1]), /\[zeros\] negative dimensions/],
    ["zeros bad dtype", () => jnp.zeros(2, "complex64"), /\[zeros\] data type "complex64" not understood/],
    ["arange step 0", () => jnp.arange(0, 5, 0), /\[arange\] step must not be zero/],
    ["arange traced", () => jit((n: Array) => jnp.arange(n))(scalar(3)), /\[arange\] argument 'stop' must be concrete/],
    ["arange non-scalar", () => jnp.arange(coreArray([1, 2])), /\[arange\] arguments must be scalars/],
    ["linspace negative num", () => jnp.linspace(0, 1, -1), /\[linspace\] number of samples, -1/],
    ["linspace axis", () => jnp.linspace(0, 1, 3, { axis: 2 }), /\[linspace\] axis 2 is out of bounds/],
    ["eye k float", () => jnp.eye(3, 3, { k: 0.5 }), /\[eye\] k must be a scalar integer/],
    ["eye negative", () => jnp.eye(-1), /\[eye\] negative dimensions/],
    ["tril 1-D", () => jnp.tril(coreArray([1, 2])), /\[tril\] argument must be at least 2-D, got i32\[2\]/],
    ["diag 3-D", () => jnp.diag(jnp.zeros([2, 2, 2])), /\[diag\] input must be 1-D or 2-D, got f32\[2,2,2\]/],
    ["diagonal same axes", () => jnp.diagonal(jnp.zeros([2, 2]), 0, 1, -1), /\[diagonal\] axis1 and axis2 cannot be the same/],
    ["trace 1-D", () => jnp.trace(jnp.zeros([3])), /\[trace\] requires an array of at least two dimensions, got f32\[3\]/],
    ["meshgrid 2-D", () => jnp.meshgrid(jnp.zeros([2, 2])), /\[meshgrid\] arguments must be 1-D, got f32\[2,2\]/],
    ["meshgrid indexing", () => jnp.meshgrid(jnp.zeros([2]), { indexing: "ji" as "ij" }), /\[meshgrid\] valid values for indexing/],
    ["full bad shape", () => jnp.full([2, 3], jnp.zeros([4])), /\[full\] incompatible shapes for broadcasting: f32\[4\] to shape \(2, 3\)/],
    ["array ragged", () => jnp.array([[1, 2], [3]] as number[][]), /ragged/],
  ])("%s", (_, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe("creation: transformations", () => {
  const r = rng(3);
  test("grads: linspace/logspace/geomspace in start and stop", () => {
    checkGrads((a: Array, b: Array) => jnp.linspace(a, b, 5), [randArray([2], r), randArray([2], r)], 2);
    checkGrads((a: Array, b: Array) => jnp.linspace(a, b, 4, { endpoint: false, axis: -1 }), [randArray([3], r), randArray([], r)], 2);
    checkGrads((a: Array, b: Array) => jnp.logspace(a, b, 4), [randArray([], r, 0, 1), randArray([], r, 1, 2)], 2, { rtol: 1e-4 });
    checkGrads((a: Array, b: Array) => jnp.geomspace(a, b, 4), [randArray([2], r, 1, 2), randArray([2], r, 3, 4)], 2, { rtol: 1e-4 });
  });
  test("grads: tril/triu/diag/diagflat/diagonal/trace", () => {
    const m = randArray([3, 4], r);
    checkGrads((x: Array) => jnp.tril(x, -1), [m], 2);
    checkGrads((x: Array) => jnp.triu(x, 1), [randArray([2, 3, 3], r)], 2);
    checkGrads((x: Array) => jnp.diag(x, 1), [randArray([3], r)], 2);
    checkGrads((x: Array) => jnp.diag(x, -1), [m], 2);
    checkGrads((x: Array) => jnp.diagflat(x, -2), [randArray([2, 2], r)], 2);
    checkGrads((x: Array) => jnp.diagonal(x, 1, 2, 0), [randArray([3, 2, 4], r)], 2);
    checkGrads((x: Array) => jnp.trace(x, -1), [m], 2);
    checkGrads((x: Array, y: Array) => jnp.meshgrid(x, y).map((g) => g.mul(g)), [randArray([3], r), randArray([2], r)], 2);
    checkGrads((x: Array) => jnp.fullLike(x, x.sum()), [randArray([2], r)], 1);
    checkGrads((x: Array) => jnp.fromfunction((i, j) => x.get(i!).mul(j!.astype("float64")), [3, 2], { dtype: "int32" }), [randArray([3], r)], 2);
  });
  test("vmap matches a loop", () => {
    checkVmap((a: Array, b: Array) => jnp.linspace(a, b, 5), [randArray([4], r), randArray([4, 2], r)]);
    checkVmap((x: Array) => jnp.diagonal(x, 1), [randArray([3, 3, 4], r)]);
    checkVmap((x: Array) => jnp.trace(x), [randArray([2, 3, 3], r)]);
    checkVmap((x: Array) => jnp.tril(x), [randArray([2, 3, 3], r)]);
    checkVmap((x: Array) => jnp.diag(x), [randArray([2, 3], r)]);
    checkVmap((x: Array) => jnp.diagflat(x, 1), [randArray([2, 3], r)]);
    checkVmap((x: Array, y: Array) => jnp.meshgrid(x, y, { indexing: "ij" }), [randArray([2, 3], r), randArray([2, 4], r)]);
    checkVmap((x: Array) => jnp.zerosLike(x).add(jnp.onesLike(x)), [randArray([2, 3], r)]);
  });
  test("jit matches eager", () => {
    checkJit((a: Array, b: Array) => jnp.linspace(a, b, 7, { axis: 1 }), [randArray([2], r), randArray([3, 1], r)]);
    checkJit((x: Array) => jnp.diagonal(x, -1).add(jnp.trace(x)), [randArray([4, 4], r)]);
    checkJit((x: Array) => jnp.geomspace(x, x.mul(8), 4), [randArray([2], r, 1, 2)]);
  });
});
