import { describe, expect, test } from "vitest";
import { Array, array, grad, jit, vmap } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_reductions", import.meta.url);

const f64 = (xs: number[] | number[][]) => array(xs, { dtype: "float64" });
const vals = (x: Array) => [...x.dataSync()];

describe("reductions: gradients (float64, JVP and VJP vs finite differences)", () => {
  const r = rng(3);
  const x = randArray([3, 4], r, -2, 2);
  const pos = randArray([3, 4], r, 0.5, 2);
  const tol = { rtol: 1e-6, atol: 1e-6 };
  const specs: [string, (a: Array) => Array, Array][] = [
    ["sum axis", (a) => jnp.sum(a, 1), x],
    ["sum where", (a) => jnp.sum(a, { where: jnp.greater(x, 0) }), x],
    ["prod", (a) => jnp.prod(a, 0), pos],
    ["mean keepdims", (a) => jnp.mean(a, { axis: -1, keepdims: true }), x],
    ["var", (a) => jnp.var(a, 1), x],
    ["var ddof", (a) => jnp.var(a, { axis: 0, ddof: 1 }), x],
    ["var where", (a) => jnp.var(a, { where: jnp.greater(x, -1) }), x],
    ["std", (a) => jnp.std(a), x],
    ["std axis tuple", (a) => jnp.std(a, [0, 1]), x],
    ["max", (a) => jnp.max(a, 1), x],
    ["min initial", (a) => jnp.min(a, { axis: 0, initial: 0.5 }), x],
    ["ptp", (a) => jnp.ptp(a, 0), x],
    ["average weights", (a) => jnp.average(a, { axis: 1, weights: f64([1, 2, 3, 4]) }), x],
    ["nansum", (a) => jnp.nansum(a, 0), x],
    ["nanmean", (a) => jnp.nanmean(a, 1), x],
    ["nanvar", (a) => jnp.nanvar(a, 1), x],
    ["nanstd", (a) => jnp.nanstd(a), x],
    ["nanmax", (a) => jnp.nanmax(a, 0), x],
    ["cumsum", (a) => jnp.cumsum(a, 1), x],
    ["cumprod", (a) => jnp.cumprod(a, 0), pos],
    ["nancumsum", (a) => jnp.nancumsum(a), x],
    ["cumulativeSum include_initial", (a) => jnp.cumulativeSum(a, { axis: 1, includeInitial: true }), x],
    ["quantile linear", (a) => jnp.quantile(a, f64([0.1, 0.5, 0.8]), { axis: 1 }), x],
    ["quantile keepdims tuple", (a) => jnp.quantile(a, 0.3, { axis: [0, 1], keepdims: true }), x],
    ["nanquantile", (a) => jnp.nanquantile(a, 0.7, { axis: 0 }), x],
    ["median", (a) => jnp.median(a, 0), x],
    ["percentile", (a) => jnp.percentile(a, 35, { axis: 1 }), x],
    ["diff", (a) => jnp.diff(a, { n: 2 }), x],
    ["ediff1d", (a) => jnp.ediff1d(a), x],
    ["gradient", (a) => jnp.gradient(a, { axis: 1 }) as Array, x],
    ["trapezoid", (a) => jnp.trapezoid(a, { dx: 0.5 }), x],
  ];
  for (const [name, f, a] of specs) test(name, () => checkGrads(f, [a], 2, tol));

  test("quantile with respect to q, interp with respect to x, xp and fp", () => {
    checkGrads((q: Array) => jnp.quantile(x, q, { axis: 1 }), [f64([0.15, 0.55])], 2, tol);
    const xp = f64([0, 1, 2.5, 4]);
    const fp = f64([1, -1, 3, 0.5]);
    const xq = f64([0.3, 1.7, 3.1, 3.9]);
    checkGrads((v: Array) => jnp.interp(v, xp, fp), [xq], 2, tol);
    checkGrads((v: Array) => jnp.interp(xq, xp, v), [fp], 2, tol);
    checkGrads((v: Array) => jnp.interp(xq, v, fp), [xp], 2, tol);
  });

  test("trapezoid and gradient with coordinates, cross, convolve, correlate", () => {
    const y = randArray([5], r);
    const c = f64([0, 0.5, 1.5, 2, 3.5]);
    checkGrads((a: Array, b: Array) => jnp.trapezoid(a, { x: b }), [y, c], 2, tol);
    checkGrads((a: Array, b: Array) => jnp.gradient(a, b) as Array, [y, c], 2, tol);
    checkGrads(jnp.cross, [randArray([2, 3], r), randArray([3], r)], 2, tol);
    checkGrads((a: Array, v: Array) => jnp.convolve(a, v), [randArray([6], r), randArray([3], r)], 1, tol);
    checkGrads((a: Array, v: Array) => jnp.correlate(a, v, { mode: "same" }), [randArray([6], r), randArray([3], r)], 1, tol);
  });

  test("unwrap, cov, corrcoef", () => {
    checkGrads((p: Array) => jnp.unwrap(p), [f64([0, 0.8, 1.6, 3.5, -2.9, -2.0, 2.5])], 2, tol);
    checkGrads((m: Array) => jnp.cov(m), [randArray([3, 5], r)], 2, tol);
    checkGrads((m: Array, w: Array) => jnp.cov(m, { aweights: w }), [randArray([2, 5], r), randArray([5], r, 0.5, 2)], 2, tol);
    checkGrads((m: Array) => jnp.corrcoef(m), [randArray([3, 5], r)], 1, tol);
  });

  test("JAX's conventions at kinks: max splits ties, median of ties, var of a constant", () => {
    expect(vals(grad((a: Array) => jnp.max(a))(f64([1, 3, 3])))).toEqual([0, 0.5, 0.5]);
    expect(vals(grad((a: Array) => jnp.min(a))(f64([2, 2, 5])))).toEqual([0.5, 0.5, 0]);
    expect(vals(grad((a: Array) => jnp.var(a))(f64([2, 2, 2])))).toEqual([0, 0, 0]);
  });

  test("NaN-ignoring reductions have zero gradient at the NaNs", () => {
    const a = f64([1, NaN, 3]);
    expect(vals(grad((v: Array) => jnp.nansum(v))(a))).toEqual([1, 0, 1]);
    expect(vals(grad((v: Array) => jnp.nanmean(v))(a))).toEqual([0.5, 0, 0.5]);
    expect(vals(grad((v: Array) => jnp.nanmax(v))(a))).toEqual([0, 0, 1]);
  });
});

describe("reductions: vmap (vs a loop) and jit", () => {
  const r = rng(9);
  const b = randArray([4, 3, 5], r);
  test("reductions over the mapped argument", () => {
    checkVmap((a: Array) => jnp.sum(a, 1), [b]);
    checkVmap((a: Array) => jnp.mean(a, { axis: -1, keepdims: true }), [b]);
    checkVmap((a: Array) => jnp.var(a, { axis: 0, ddof: 1 }), [b]);
    checkVmap((a: Array) => jnp.argmax(a, 1), [b]);
    checkVmap((a: Array) => jnp.argmin(a), [b], { inAxes: [2] });
    checkVmap((a: Array) => jnp.nanmax(a, 0), [b]);
    checkVmap((a: Array) => jnp.cumsum(a, 1), [b]);
    checkVmap((a: Array) => jnp.cumprod(a), [b]);
    checkVmap((a: Array) => jnp.quantile(a, 0.3, { axis: 1 }), [b]);
    checkVmap((a: Array) => jnp.nanquantile(a, array([0.2, 0.9], { dtype: "float64" }), { axis: 0 }), [b]);
    checkVmap((a: Array) => jnp.median(a), [b], { inAxes: [1] });
    checkVmap((a: Array) => jnp.diff(a, { axis: 0 }), [b]);
    checkVmap((a: Array) => jnp.gradient(a, { axis: 1 }) as Array, [b]);
    checkVmap((a: Array) => jnp.trapezoid(a), [b]);
    checkVmap((a: Array) => jnp.average(a, { axis: 0, weights: array([1, 2, 3], { dtype: "float64" }) }), [b]);
    checkVmap((a: Array, w: Array) => jnp.sum(a, { where: w }), [b, jnp.greater(b, 0)]);
    checkVmap((a: Array) => jnp.unwrap(a, { axis: 0 }), [b]);
    checkVmap((a: Array) => jnp.cov(a), [b]);
    checkVmap((a: Array) => jnp.corrcoef(a, { rowvar: false }), [b]);
  });
  test("1-D routines", () => {
    const v = randArray([4, 6], r);
    checkVmap((a: Array, k: Array) => jnp.convolve(a, k), [v, randArray([4, 3], r)]);
    checkVmap((a: Array) => jnp.correlate(a, array([1, -1, 0.5], { dtype: "float64" }), { mode: "full" }), [v]);
    checkVmap((a: Array, c: Array) => jnp.cross(a, c), [randArray([4, 3], r), randArray([4, 3], r)]);
    checkVmap((q: Array) => jnp.interp(q, array([0, 1, 2], { dtype: "float64" }), array([1, -1, 2], { dtype: "float64" })), [randArray([4, 5], r, -1, 3)]);
    checkVmap((fp: Array) => jnp.interp(array([0.5, 1.5], { dtype: "float64" }), array([0, 1, 2], { dtype: "float64" }), fp), [randArray([4, 3], r)]);
    checkVmap((a: Array) => jnp.digitize(a, array([-0.5, 0, 0.5], { dtype: "float64" })), [v]);
    checkVmap((a: Array) => jnp.bincount(a, { length: 5 }), [array([[0, 1, 1, 4], [2, 2, 2, 0], [3, 9, 1, 0]])]);
    checkVmap((a: Array) => jnp.histogram(a, { bins: array([-1, 0, 0.5, 1], { dtype: "float64" }) })[0], [v]);
  });
  test("jit", () => {
    const a = randArray([3, 4], r);
    checkJit((v: Array) => jnp.var(v, { axis: 1, ddof: 1 }), [a]);
    checkJit((v: Array) => jnp.quantile(v, array([0.25, 0.75], { dtype: "float64" }), { axis: 0, method: "midpoint" }), [a]);
    checkJit((v: Array) => jnp.histogram(v, { bins: 4, range: [-1, 1] }), [a]);
    checkJit((v: Array) => jnp.bincount(v, { length: 4 }), [array([0, 3, 3, 1])]);
  });
});

describe("reductions: dtypes (JAX's rules)", () => {
  test("sum/prod widen narrow integers and bool, mean/var of ints give float32, index results are int32", () => {
    expect(jnp.sum(array([1], { dtype: "int8" })).dtype.name).toBe("int32");
    expect(jnp.sum(array([1], { dtype: "uint16" })).dtype.name).toBe("uint32");
    expect(jnp.prod(array([true])).dtype.name).toBe("int32");
    expect(jnp.max(array([1], { dtype: "int8" })).dtype.name).toBe("int8");
    expect(jnp.mean(array([1, 2])).dtype.name).toBe("float32");
    expect(jnp.var(array([1, 2], { dtype: "float16" })).dtype.name).toBe("float16");
    expect(jnp.argmax(array([1, 2], { dtype: "float64" })).dtype.name).toBe("int32");
    expect(jnp.cumsum(array([1], { dtype: "int8" })).dtype.name).toBe("int8");
    expect(jnp.cumsum(array([true])).dtype.name).toBe("int32");
    expect(jnp.countNonzero(array([1.5, 0])).dtype.name).toBe("int32");
    expect(jnp.nanmean(array([1, 2])).dtype.name).toBe("float32");
    expect(jnp.median(array([1, 2], { dtype: "uint8" })).dtype.name).toBe("float32");
  });
});

describe("reductions: errors name the function, the shapes and the axes", () => {
  const x = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
  test("bad axes, empty reductions, where masks", () => {
    expect(() => jnp.sum(x, 2)).toThrow(/\[sum\] axis 2 is out of bounds for an array of rank 2/);
    expect(() => jnp.mean(x, [0, -2])).toThrow(/\[mean\] duplicate value in axis \(0, -2\)/);
    expect(() => jnp.max(array([], { dtype: "float32" }))).toThrow(/\[max\] zero-size array to reduction operation max which has no identity \(f32\[0\]/);
    expect(() => jnp.min(x, { where: jnp.greater(x, 2) })).toThrow(/\[min\] reduction operation min does not have an identity, so to use a where mask one has to specify 'initial'/);
    expect(() => jnp.sum(x, { where: x })).toThrow(/\[sum\] where must be a boolean array; got f32\[2,3\]/);
    expect(() => jnp.argmax(array([], { dtype: "float32" }))).toThrow(/\[argmax\] attempt to get argmax of an empty sequence \(f32\[0\]\)/);
    expect(() => jnp.var(x, { ddof: 1, correction: 1 })).toThrow(/\[var\] ddof and correction can't be provided simultaneously/);
    expect(() => jnp.cumulativeSum(x)).toThrow(/\[cumulative_sum\] the input array has rank 2, however axis was not set/);
  });
  test("quantiles, differences, convolutions, interpolation, histograms", () => {
    expect(() => jnp.quantile(x, 0.5, { method: "weird" as "linear" })).toThrow(/\[quantile\] method can only be/);
    expect(() => jnp.quantile(x, array([[0.5]]))).toThrow(/\[quantile\] q must have rank <= 1, got f32\[1,1\]/);
    expect(() => jnp.diff(array(3))).toThrow(/\[diff\] requires input that is at least one dimensional; got i32\[\]/);
    expect(() => jnp.diff(x, -1)).toThrow(/\[diff\] order must be a non-negative integer, got -1/);
    expect(() => jnp.convolve(x, x)).toThrow(/\[convolve\] only supports 1-dimensional inputs, got f32\[2,3\] and f32\[2,3\]/);
    expect(() => jnp.correlate(array([], { dtype: "float32" }), array([1]))).toThrow(/\[correlate\] inputs cannot be empty/);
    expect(() => jnp.convolve(array([1, 2]), array([1]), { mode: "wide" as "full" })).toThrow(/\[convolve\] mode must be one of/);
    expect(() => jnp.cross(array([1, 2, 3, 4]), array([1, 2, 3]))).toThrow(/\[cross\] dimension must be either 2 or 3 for cross product, got i32\[4\]/);
    expect(() => jnp.interp(array([1]), array([0, 1]), array([0, 1, 2]))).toThrow(/\[interp\] xp and fp must be one-dimensional arrays of equal size, got i32\[2\] and i32\[3\]/);
    expect(() => jnp.interp(array([1]), array([0, 1]), array([0, 1]), { left: "extend" as "extrapolate" })).toThrow(/\[interp\] the only valid string value of `left` is 'extrapolate'/);
    expect(() => jnp.bincount(x)).toThrow(/\[bincount\] x must have an integer type; got f32\[2,3\]/);
    expect(() => jit((v: Array) => jnp.bincount(v))(array([1, 2]))).toThrow(/\[bincount\] the output length depends on the values of the traced i32\[2\]; pass a static `length`/);
    expect(() => jnp.gradient(array([1.5]))).toThrow(/\[gradient\] shape of array too small/);
    expect(() => jnp.average(x, { weights: array([1, 2]) })).toThrow(/\[average\] axis must be specified when shapes of a and weights differ/);
    expect(() => jnp.average(x, { axis: 1, weights: array([1, 2]) })).toThrow(/\[average\] shape of weights must be consistent/);
    expect(() => jnp.histogram(x, { bins: 0 })).toThrow(/\[histogram_bin_edges\] bins must be a positive integer, got 0/);
  });
  test("vmap of an axis-dependent reduction keeps working (no concretization)", () => {
    const out = vmap((a: Array) => jnp.median(a))(array([[1, 5, 3], [2, 2, 8]], { dtype: "float32" }));
    expect(vals(out)).toEqual([3, 2]);
  });
});
