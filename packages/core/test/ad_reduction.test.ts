// The spec table for reductions under the transformations: JVP and VJP against
// finite differences up to second order (float64; random inputs, so no ties),
// vmap against a loop for several in_axes (batch axes before, between and after
// the reduced ones), jit against eager, and the transposition identity for the
// linear ones. Ties and zeros, where the derivative is a convention, are checked
// against values printed by JAX 0.10.2 (jax_enable_x64).
import { describe, expect, it } from "vitest";
import { type Array as JArray, array, grad, hessian, jit, jvp, lax, makeJaxpr, ShapeDtypeStruct, vjp, vmap } from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";
import { runAdSpec, type AdSpec } from "./ad_table.js";

const f64 = (v: unknown) => array(v as number[], { dtype: "float64" });
const vals = (x: JArray) => [...x.dataSync()];
const rwMax = (x: JArray, w: number[], s: number[], p: lax.PaddingLike, o: lax.ReduceWindowOptions = {}) =>
  lax.reduceWindow(x, -Infinity, lax.max, w, s, p, o);
const rwMin = (x: JArray, w: number[], s: number[], p: lax.PaddingLike, o: lax.ReduceWindowOptions = {}) =>
  lax.reduceWindow(x, Infinity, lax.min, w, s, p, o);
const rwSum = (x: JArray, w: number[], s: number[], p: lax.PaddingLike, o: lax.ReduceWindowOptions = {}) =>
  lax.reduceWindow(x, 0, lax.add, w, s, p, o);
const toF64 = (x: JArray) => lax.convertElementType(x, "float64");

// Batch axes: in front, between the operand's axes, at the end.
const axes3 = [[0], [1], [3]];
const axes2 = [[0], [1], [2]];

const linear: AdSpec[] = [
  { name: "reduce_sum one axis", f: (x) => lax.reduceSum(x, [1]), args: [[2, 3, 4]], inAxes: axes3 },
  { name: "reduce_sum two axes", f: (x) => lax.reduceSum(x, [0, 2]), args: [[2, 3, 4]], inAxes: axes3 },
  { name: "reduce_sum all axes", f: (x) => lax.reduceSum(x, [0, 1]), args: [[3, 4]], inAxes: axes2 },
  { name: "reduce_sum no axes", f: (x) => lax.reduceSum(x, []), args: [[3, 4]], inAxes: axes2 },
  { name: "reduce_sum empty axis", f: (x) => lax.reduceSum(x, [1]), args: [[3, 0]], inAxes: axes2 },
  { name: "reduce_window_sum valid", f: (x) => rwSum(x, [2, 2], [1, 1], "VALID"), args: [[4, 5]], inAxes: axes2 },
  { name: "reduce_window_sum strided same", f: (x) => rwSum(x, [3, 2], [2, 3], "SAME"), args: [[5, 7]], inAxes: axes2 },
  { name: "reduce_window_sum explicit padding", f: (x) => rwSum(x, [2, 3], [1, 2], [[1, 2], [3, 0]]), args: [[4, 5]], inAxes: axes2 },
  {
    name: "reduce_window_sum base dilation",
    f: (x) => rwSum(x, [2, 3], [1, 2], [[1, 0], [0, 2]], { baseDilation: [2, 3] }),
    args: [[3, 4]],
    inAxes: axes2,
  },
  {
    name: "reduce_window_sum window dilation",
    f: (x) => rwSum(x, [2, 2], [2, 1], [[0, 1], [2, 2]], { windowDilation: [2, 3] }),
    args: [[5, 6]],
    inAxes: axes2,
  },
  { name: "reduce_window_sum 1-d", f: (x) => rwSum(x, [3], [2], [[1, 1]]), args: [[7]] },
  { name: "reduce_window_sum empty output", f: (x) => rwSum(x, [3, 1], [1, 1], "VALID"), args: [[2, 3]], inAxes: axes2 },
  { name: "reduce_window_sum negative padding", f: (x) => rwSum(x, [2], [1], [[-1, 2]]), args: [[5]] },
  { name: "reduce_window_sum rank 0", f: (x) => rwSum(x, [], [], []), args: [[]] },
  { name: "cumsum axis 0", f: (x) => lax.cumsum(x, 0), args: [[4, 3]], inAxes: axes2 },
  { name: "cumsum axis 1 reverse", f: (x) => lax.cumsum(x, 1, true), args: [[3, 5]], inAxes: axes2 },
];

const nonlinear: AdSpec[] = [
  { name: "reduce_prod one axis", f: (x) => lax.reduceProd(x, [1]), args: [[2, 5, 3]], inAxes: axes3, lo: 0.5, hi: 1.5 },
  { name: "reduce_prod two axes", f: (x) => lax.reduceProd(x, [0, 2]), args: [[3, 2, 3]], inAxes: axes3, lo: 0.5, hi: 1.5 },
  { name: "reduce_prod empty axis", f: (x) => lax.reduceProd(x, [0]), args: [[0, 3]], inAxes: axes2 },
  { name: "reduce_prod negative values", f: (x) => lax.reduceProd(x, [0]), args: [[4, 2]], inAxes: axes2 },
  { name: "reduce_max one axis", f: (x) => lax.reduceMax(x, [1]), args: [[2, 5, 3]], inAxes: axes3 },
  { name: "reduce_max two axes", f: (x) => lax.reduceMax(x, [0, 2]), args: [[3, 2, 4]], inAxes: axes3 },
  { name: "reduce_min one axis", f: (x) => lax.reduceMin(x, [0]), args: [[4, 3]], inAxes: axes2 },
  { name: "reduce_min all axes", f: (x) => lax.reduceMin(x, [0, 1]), args: [[4, 3]], inAxes: axes2 },
  {
    name: "argmax (as a float factor)",
    f: (x) => lax.mul(lax.reduceMax(x, [1]), toF64(lax.argmax(x, 1))),
    args: [[3, 4]],
    inAxes: axes2,
  },
  {
    name: "argmin (as a float factor)",
    f: (x) => lax.mul(lax.reduceSum(x, [0]), toF64(lax.argmin(x, 0, "int16"))),
    args: [[3, 4]],
    inAxes: axes2,
  },
  {
    name: "reduce_or/and/xor (no tangent)",
    f: (x) => {
      const pos = lax.convertElementType(lax.gt(x, 0), "int32");
      const m = lax.add(lax.add(lax.reduceOr(pos, [1]), lax.reduceAnd(pos, [1])), lax.reduceXor(pos, [1]));
      return lax.mul(lax.reduceSum(x, [1]), toF64(m));
    },
    args: [[3, 4]],
    inAxes: axes2,
  },
  { name: "reduce_window_max valid", f: (x) => rwMax(x, [2, 2], [1, 1], "VALID"), args: [[4, 5]], inAxes: axes2 },
  { name: "reduce_window_max strided same", f: (x) => rwMax(x, [3, 2], [2, 2], "SAME"), args: [[5, 6]], inAxes: axes2 },
  {
    name: "reduce_window_max dilations and padding",
    f: (x) => rwMax(x, [2, 2], [1, 2], [[1, 0], [1, 1]], { baseDilation: [1, 2], windowDilation: [2, 1] }),
    args: [[4, 4]],
    inAxes: axes2,
  },
  { name: "reduce_window_min overlapping", f: (x) => rwMin(x, [3], [1], [[1, 1]]), args: [[6]] },
  { name: "reduce_window_min 3-d", f: (x) => rwMin(x, [1, 2, 2], [1, 2, 1], "VALID"), args: [[2, 4, 3]], inAxes: axes3 },
  { name: "reduce_window_max empty output", f: (x) => rwMax(x, [1, 4], [1, 1], "VALID"), args: [[2, 3]], inAxes: axes2 },
  { name: "reduce_window_max empty operand", f: (x) => rwMax(x, [2], [1], "VALID"), args: [[0]] },
  { name: "reduce_window_max rank 0", f: (x) => rwMax(x, [], [], []), args: [[]] },
  { name: "cumprod", f: (x) => lax.cumprod(x, 1), args: [[2, 5]], inAxes: axes2 },
  { name: "cumprod reverse odd length", f: (x) => lax.cumprod(x, 0, true), args: [[7, 2]], inAxes: axes2 },
  { name: "cummax", f: (x) => lax.cummax(x, 0), args: [[6, 2]], inAxes: axes2 },
  { name: "cummax reverse", f: (x) => lax.cummax(x, 1, true), args: [[2, 5]], inAxes: axes2 },
  { name: "cummin", f: (x) => lax.cummin(x, 1), args: [[3, 4]], inAxes: axes2 },
  { name: "cumlogsumexp", f: (x) => lax.cumlogsumexp(x, 0), args: [[5, 2]], inAxes: axes2, lo: -3, hi: 3 },
  { name: "cumlogsumexp reverse", f: (x) => lax.cumlogsumexp(x, 1, true), args: [[2, 8]], inAxes: axes2, lo: -3, hi: 3 },
  { name: "cum* length 1", f: (x) => lax.mul(lax.cumprod(x, 0), lax.cumlogsumexp(x, 0)), args: [[1, 3]], inAxes: axes2 },
];

// The jnp-style methods compose from the primitives above.
const methods: AdSpec[] = [
  { name: "Array.sum", f: (x) => x.sum(), args: [[3, 4]], linear: true, inAxes: axes2 },
  { name: "Array.sum axis keepdims", f: (x) => x.sum(1, { keepdims: true }), args: [[3, 4]], linear: true, inAxes: axes2 },
  { name: "Array.mean axes", f: (x) => x.mean([0, 2]), args: [[2, 3, 4]], linear: true, inAxes: axes3 },
  { name: "Array.mean where", f: (x) => x.mean(1, { where: lax.gt(x, 0) }), args: [[3, 4]], inAxes: axes2 },
  { name: "Array.max", f: (x) => x.max(0), args: [[4, 3]], inAxes: axes2 },
  { name: "Array.min initial keepdims", f: (x) => x.min(1, { initial: 0.5, keepdims: true }), args: [[3, 4]], inAxes: axes2 },
  { name: "Array.prod", f: (x) => x.prod(1), args: [[3, 4]], inAxes: axes2 },
  { name: "Array.cumsum", f: (x) => x.cumsum(1), args: [[3, 4]], linear: true, inAxes: axes2 },
  { name: "Array.cumsum flattened", f: (x) => x.cumsum(), args: [[3, 4]], linear: true, inAxes: axes2 },
];

describe("linear reductions under jvp/vjp (order 2), vmap, jit, transpose", () => {
  for (const s of linear) it(s.name, () => runAdSpec({ linear: true, ...s }));
});
describe("nonlinear reductions under jvp/vjp (order 2), vmap, jit", () => {
  for (const s of nonlinear) it(s.name, () => runAdSpec(s));
});
describe("reduction Array methods under jvp/vjp (order 2), vmap, jit", () => {
  for (const s of methods) it(s.name, () => runAdSpec(s));
});

describe("integer-valued reductions under vmap and jit", () => {
  const ints = { shape: [3, 4], ints: [-3, 4] as [number, number] };
  const specs: AdSpec[] = [
    { name: "argmax", f: (x) => lax.argmax(x, 1), args: [[3, 4]], order: 0, inAxes: axes2 },
    { name: "argmin", f: (x) => lax.argmin(x, 0), args: [[3, 4]], order: 0, inAxes: axes2 },
    { name: "reduce_and", f: (x) => lax.reduceAnd(x, [0]), args: [ints], inAxes: axes2 },
    { name: "reduce_or", f: (x) => lax.reduceOr(x, [1]), args: [ints], inAxes: axes2 },
    { name: "reduce_xor", f: (x) => lax.reduceXor(x, [0, 1]), args: [ints], inAxes: axes2 },
    { name: "reduce_max int", f: (x) => lax.reduceMax(x, [1]), args: [ints], inAxes: axes2 },
    { name: "cumsum int", f: (x) => lax.cumsum(x, 1), args: [ints], inAxes: axes2 },
    { name: "reduce_window_max int", f: (x) => rwMax(x, [2, 2], [1, 1], "VALID"), args: [ints], inAxes: axes2 },
  ];
  for (const s of specs) it(s.name, () => runAdSpec(s));
});

// Values printed by JAX 0.10.2 for the same calls (ties and zeros).
describe("derivative conventions at ties and zeros match JAX", () => {
  const jvp1 = (f: (x: JArray) => JArray, x: unknown, t: unknown) => vals(jvp(f, [f64(x)], [f64(t)])[1] as JArray);

  it("reduce_max / reduce_min average the tangents of tied maxima", () => {
    expect(jvp1((x) => lax.reduceMax(x, [1]), [[1, 3, 3], [2, 2, 2]], [[1, 2, 4], [3, 5, 7]])).toEqual([3, 5]);
    const g = grad((x: JArray) => lax.reduceMin(x, [0, 1]))(f64([[1, 0, 3], [0, 2, 0]])) as JArray;
    expect(vals(g)).toEqual([0, 0.3333333333333333, 0, 0.3333333333333333, 0, 0.3333333333333333]);
  });

  it("reduce_prod is exact with zeros (first and second order)", () => {
    const p = (x: JArray) => lax.reduceProd(x, [0]);
    expect(vals(grad(p)(f64([2, 0, 3])) as JArray)).toEqual([0, 6, 0]);
    expect(vals(grad(p)(f64([0, 0, 3])) as JArray)).toEqual([0, 0, 0]);
    expect(vals(hessian(p)(f64([2, 0, 3])) as JArray)).toEqual([0, 3, 0, 3, 0, 2, 0, 2, 0]);
    expect(vals(hessian(p)(f64([0, 0, 3])) as JArray)).toEqual([0, 3, 0, 3, 0, 0, 0, 0, 0]);
  });

  it("reduce_window_max / min take the first maximal element of each window", () => {
    expect(jvp1((x) => rwMax(x, [2], [1], "VALID"), [1, 1, 1, 0], [1, 2, 3, 4])).toEqual([1, 2, 3]);
    const w = f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const g = grad((x: JArray) => lax.reduceSum(lax.mul(rwMin(x, [2, 2], [1, 1], [[1, 0], [0, 1]]), w), [0, 1]))(
      f64([[1, 1, 2], [1, 1, 0], [0, 3, 0]]),
    ) as JArray;
    expect(vals(g)).toEqual([5, 2, 3, 0, 0, 28, 7, 0, 0]);
  });

  it("cummax / cummin split ties as the prefix scan of lax.max does", () => {
    expect(jvp1((x) => lax.cummax(x, 0), [1, 1, 1, 0, 2], [1, 2, 3, 4, 5])).toEqual([1, 1.5, 2.25, 2.25, 5]);
    expect(jvp1((x) => lax.cummin(x, 0, true), [0, 1, 1, 1, 2, 1], [1, 2, 3, 4, 5, 6])).toEqual([1, 3.375, 4.75, 5, 6, 6]);
  });

  it("cumprod is exact with zeros (first and second order)", () => {
    expect(jvp1((x) => lax.cumprod(x, 0), [2, 0, 3, 0, 5], [1, 2, 3, 4, 5])).toEqual([1, 4, 12, 0, 0]);
    const w = f64([1, 2, 3, 4, 5]);
    expect(vals(grad((x: JArray) => lax.reduceSum(lax.mul(lax.cumprod(x, 0), w), [0]))(f64([2, 0, 3, 0, 5])) as JArray)).toEqual([
      1, 22, 0, 0, 0,
    ]);
    const h = hessian((x: JArray) => lax.reshape(lax.slice(lax.cumprod(x, 0), [3], [4]), []))(f64([2, 0, 3, 0])) as JArray;
    expect(vals(h)).toEqual([0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 6, 0, 0]);
  });

  it("cumlogsumexp at ties and -inf", () => {
    expect(jvp1((x) => lax.cumlogsumexp(x, 0), [0, 0, 0], [1, 2, 3])).toEqual([1, 1.5, 2]);
    const h = hessian((x: JArray) => lax.reshape(lax.slice(lax.cumlogsumexp(x, 0), [2], [3]), []))(f64([0, 0, 0])) as JArray;
    const want = [2 / 9, -1 / 9, -1 / 9, -1 / 9, 2 / 9, -1 / 9, -1 / 9, -1 / 9, 2 / 9];
    vals(h).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 14));
    const t = jvp1((x) => lax.cumlogsumexp(x, 0), [-Infinity, 0, 1], [1, 2, 3]);
    [1, 2, 2.7310585786300052].forEach((v, i) => expect(t[i]).toBeCloseTo(v, 14));
  });
});

describe("reduction rules in compositions", () => {
  it("vmap of grad, jit of grad, grad of jit", () => {
    const f = (x: JArray) => lax.reduceSum(lax.mul(lax.cumlogsumexp(x, 1), rwMax(x, [1, 2], [1, 1], "SAME")), [0, 1]);
    const xs = randArray([3, 2, 5], rng(3));
    checkVmap(grad(f), [xs]);
    checkVmap(grad(f), [randArray([2, 3, 5], rng(4))], { inAxes: [1] });
    const x = randArray([2, 5], rng(5));
    checkJit(grad(f), [x]);
    checkGrads(jit(f), [x], 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
  });

  it("vmap of jvp with an unbatched tangent", () => {
    const t = randArray([4], rng(9));
    const push = (x: JArray) => jvp((y: JArray) => lax.cumprod(lax.sort(y), 0), [x], [t])[1] as JArray;
    checkVmap(push, [randArray([3, 4], rng(8))]);
  });

  // Texts printed by JAX 0.10.2 for the same programs (where JAX leaks numpy
  // scalars into params, `np.int64(k)` is written `k`).
  it("transposes and batched reductions print as JAX's", () => {
    const f = (x: JArray) => rwSum(x, [2], [2], [[1, 0]]);
    const g = (x: JArray, ct: JArray) => vjp(f, x)[1](ct)[0] as JArray;
    const s = (shape: number[]) => new ShapeDtypeStruct(shape, "float32");
    expect(makeJaxpr(g)(s([5]), s([3])).toString()).toBe(
      `{ lambda ; a:f32[5] b:f32[3]. let
    _:f32[3] = reduce_window_sum[
      base_dilation=(1,)
      padding=((1, 0),)
      window_dilation=(1,)
      window_dimensions=(2,)
      window_strides=(2,)
    ] a
    c:f32[6] = pad[padding_config=((0, 1, 1),)] b 0.0:f32[]
    d:f32[5] = reduce_window_sum[
      base_dilation=(1,)
      padding=((0, 0),)
      window_dilation=(1,)
      window_dimensions=(2,)
      window_strides=(1,)
    ] c
  in (d,) }`,
    );
    const g2 = (x: JArray, ct: JArray) => vjp((y: JArray) => lax.reduceSum(y, [0, 2]), x)[1](ct)[0] as JArray;
    expect(makeJaxpr(g2)(s([2, 3, 4]), s([3])).toString()).toBe(
      `{ lambda ; a:f32[2,3,4] b:f32[3]. let
    _:f32[3] = reduce_sum[axes=(0, 2) out_sharding=None] a
    c:f32[2,3,4] = broadcast_in_dim[broadcast_dimensions=(1,)] b
  in (c,) }`,
    );
    expect(makeJaxpr(vmap((x: JArray) => lax.cumsum(x, 1), { inAxes: 1 }))(s([2, 3, 4])).toString()).toBe(
      `{ lambda ; a:f32[2,3,4]. let
    b:f32[2,3,4] = cumsum[axis=2 reverse=False] a
    c:f32[3,2,4] = transpose[permutation=(1, 0, 2)] b
  in (c,) }`,
    );
  });
});
