// The spec table for indexing primitives under the transformations: JVP and VJP
// against finite differences up to second order (float64; indices held fixed),
// vmap against a loop with batched operands, updates and indices, jit against
// eager, and the transpose identity <ct, f(x)> = <fᵀ(ct), x> for the linear ones.
import { describe, expect, it } from "vitest";
import {
  type Array as JArray,
  array,
  jvp,
  lax,
  makeJaxpr,
  ShapeDtypeStruct,
  vjp,
  vmap,
} from "../src/index.js";
import { runAdSpec, type AdSpec } from "./ad_table.js";
import { checkJit, checkVmap, randArray, rng } from "./check.js";
import { jacrev } from "../src/transforms/jacobian.js";

const gdn = (offsetDims: number[], collapsedSliceDims: number[], startIndexMap: number[], batching: [number[], number[]] = [[], []]) =>
  new lax.GatherDimensionNumbers({
    offsetDims,
    collapsedSliceDims,
    startIndexMap,
    operandBatchingDims: batching[0],
    startIndicesBatchingDims: batching[1],
  });
const sdn = (updateWindowDims: number[], insertedWindowDims: number[], scatterDimsToOperandDims: number[], batching: [number[], number[]] = [[], []]) =>
  new lax.ScatterDimensionNumbers({
    updateWindowDims,
    insertedWindowDims,
    scatterDimsToOperandDims,
    operandBatchingDims: batching[0],
    scatterIndicesBatchingDims: batching[1],
  });

const idx = (shape: number[], lo: number, hi: number) => ({ shape, ints: [lo, hi] as [number, number] });
const unique = (shape: number[], n: number) => ({ shape, uniqueInts: n });

// Rows of a [5, 4] operand picked by [k, 1] indices.
const rows = { dn: gdn([1], [0], [0]), sizes: [1, 4], sdn: sdn([1], [0], [0]) };
// [3, 2] windows of a [6, 5] operand at 2-d starts.
const windows = { dn: gdn([1, 2], [], [0, 1]), sizes: [3, 2], sdn: sdn([1, 2], [], [0, 1]) };
// Per-example rows: operand [3, 5, 2] and indices [3, 4, 1] batched together along dimension 0.
const batched = { dn: gdn([2], [1], [1], [[0], [0]]), sizes: [1, 1, 2], sdn: sdn([2], [1], [1], [[0], [0]]) };

type ScatterFn = typeof lax.scatterAdd;
const scatterSpecs = (name: string, fn: ScatterFn, extra: Partial<AdSpec> = {}, uniqueIdx = false): AdSpec[] => [
  {
    name: `${name} rows`,
    f: (x, i, u) => fn(x, i, u, rows.sdn, { uniqueIndices: uniqueIdx }),
    args: [[5, 4], uniqueIdx ? unique([3, 1], 5) : idx([3, 1], 0, 5), [3, 4]],
    inAxes: [[0, 0, 0], [0, null, null], [null, 0, null], [null, null, 0], [1, 2, null], [null, 1, 1], [2, null, 0]],
    ...extra,
  },
  {
    name: `${name} windows, clip`,
    f: (x, i, u) => fn(x, i, u, windows.sdn, { mode: "clip", uniqueIndices: uniqueIdx }),
    args: [[6, 5], uniqueIdx ? unique([1, 2], 4) : idx([2, 2], -1, 6), uniqueIdx ? [1, 3, 2] : [2, 3, 2]],
    ...extra,
  },
  {
    name: `${name} rows, dropping out-of-bounds`,
    f: (x, i, u) => fn(x, i, u, rows.sdn, { mode: "drop", uniqueIndices: uniqueIdx }),
    args: [[5, 4], uniqueIdx ? unique([3, 1], 7) : idx([4, 1], -2, 7), uniqueIdx ? [3, 4] : [4, 4]],
    ...extra,
  },
  {
    name: `${name} with batching dims`,
    f: (x, i, u) => fn(x, i, u, batched.sdn, { uniqueIndices: uniqueIdx }),
    args: [[3, 5, 2], uniqueIdx ? unique([3, 1, 1], 5) : idx([3, 4, 1], 0, 5), uniqueIdx ? [3, 1, 2] : [3, 4, 2]],
    inAxes: [[0, 0, 0], [1, null, null], [null, 2, null], [null, null, 3], [2, 0, 1]],
    ...extra,
  },
];

const specs: AdSpec[] = [
  {
    name: "dynamic_slice",
    f: (x, i, j) => lax.dynamicSlice(x, [i, j], [2, 3]),
    args: [[5, 6], idx([], -3, 6), idx([], 0, 5)],
    inAxes: [[0, 0, 0], [null, 0, null], [null, null, 0], [0, null, null], [1, null, 0], [2, 0, 0]],
    linear: true,
  },
  {
    name: "dynamic_slice of a vector",
    f: (x, i) => lax.dynamicSliceInDim(x, i, 2),
    args: [[5], idx([], -6, 6)],
    inAxes: [[0, 0], [null, 0], [1, null]],
    linear: true,
  },
  {
    name: "dynamic_update_slice",
    f: (x, u, i, j) => lax.dynamicUpdateSlice(x, u, [i, j]),
    args: [[5, 6], [2, 3], idx([], -3, 6), idx([], 0, 5)],
    inAxes: [[0, 0, 0, 0], [0, null, null, null], [null, 0, null, null], [null, null, 0, null], [1, 0, null, 0], [null, 1, 0, 0], [2, 2, null, null]],
    linear: true,
  },
  {
    name: "gather rows",
    f: (x, i) => lax.gather(x, i, rows.dn, rows.sizes),
    args: [[5, 4], idx([3, 1], 0, 5)],
    inAxes: [[0, 0], [null, 0], [0, null], [2, 1], [1, 2]],
    linear: true,
  },
  {
    name: "gather windows, clip",
    f: (x, i) => lax.gather(x, i, windows.dn, windows.sizes, { mode: "clip" }),
    args: [[6, 5], idx([2, 2], -2, 7)],
    inAxes: [[0, 0], [null, 0], [0, null], [2, 1], [1, 2]],
    linear: true,
  },
  {
    name: "gather rows, fill",
    f: (x, i) => lax.gather(x, i, rows.dn, rows.sizes, { mode: "fill", fillValue: 2.5 }),
    args: [[5, 4], idx([4, 1], -2, 7)],
    inAxes: [[0, 0], [null, 0], [0, null], [1, 1]],
  },
  {
    name: "gather rows, fill with NaN",
    f: (x, i) => lax.gather(x, i, rows.dn, rows.sizes, { mode: "fill" }),
    args: [[5, 4], idx([4, 1], -2, 7)],
    inAxes: [[0, 0], [null, 0], [0, null]],
    order: 0,
  },
  {
    name: "gather with batching dims",
    f: (x, i) => lax.gather(x, i, batched.dn, batched.sizes),
    args: [[3, 5, 2], idx([3, 4, 1], 0, 5)],
    inAxes: [[0, 0], [null, 0], [0, null], [3, 1], [1, 3]],
    linear: true,
  },
  {
    name: "gather a scalar",
    f: (x, i) => lax.gather(x, i, gdn([], [0], [0]), [1]),
    args: [[5], idx([1], 0, 5)],
    inAxes: [[0, 0], [null, 0], [0, null], [1, 1]],
    linear: true,
  },
  ...scatterSpecs("scatter-add", lax.scatterAdd, { linear: true }),
  ...scatterSpecs("scatter-sub", lax.scatterSub, { linear: true }),
  ...scatterSpecs("scatter (unique)", lax.scatter, { linear: true }, true),
  ...scatterSpecs("scatter (repeated indices)", lax.scatter, { linear: true }),
  ...scatterSpecs("scatter-mul (unique)", lax.scatterMul, {}, true),
  ...scatterSpecs("scatter-min", lax.scatterMin),
  ...scatterSpecs("scatter-max", lax.scatterMax),
  ...scatterSpecs("scatter-max (unique)", lax.scatterMax, {}, true),
  {
    name: "scatter-mul (repeated indices) in the operand",
    f: (x, i) => lax.scatterMul(x, i, lax.broadcastInDim(lax.convertElementType(1.5, "float64"), [4, 4], []), rows.sdn),
    args: [[5, 4], idx([4, 1], 0, 5)],
    inAxes: [[0, 0], [null, 0], [0, null]],
    linear: true,
  },
];

describe("indexing primitives under jvp/vjp (order 2), vmap, jit, transpose", () => {
  for (const s of specs) it(s.name, () => runAdSpec(s));
});

describe("indexing rules", () => {
  it("integer index operands get no tangent", () => {
    const x = array([1, 2, 3, 4, 5], { dtype: "float64" });
    const i = array([[1], [3]], { dtype: "int32" });
    const [, t] = jvp((ii: JArray) => lax.gather(x, ii, gdn([], [0], [0]), [1]), [i], [i]);
    expect([...(t as JArray).dataSync()]).toEqual([0, 0]);
  });

  it("scatter-mul with repeated indices cannot be differentiated in its updates (as in JAX)", () => {
    const x = array([1, 2, 3], { dtype: "float64" });
    const i = array([[0], [0]], { dtype: "int32" });
    const f = (u: JArray) => lax.scatterMul(x, i, u, sdn([], [0], [0]));
    const msg = /\[scatter-mul\] differentiation with respect to the updates is only implemented with uniqueIndices: true/;
    expect(() => jvp(f, [array([2, 3], { dtype: "float64" })], [array([1, 1], { dtype: "float64" })])).toThrow(msg);
    expect(() => vjp(f, array([2, 3], { dtype: "float64" }))).toThrow(msg);
  });

  // Values printed by JAX 0.10.2: jax.jvp(lambda x, u: lax.scatter_max(x, i, u, dn), (x, u), (tx, tu)) with
  // x = [1, 5, 2], i = [[0], [0], [2]], u = [3, 3, 2], tx = [10, 20, 30], tu = [1, 2, 4]: index 0 has two
  // tied winning updates, index 2 an update tying with the operand.
  it("scatter-max averages the tangents of tied values, as JAX", () => {
    const f64 = (v: number[]) => array(v, { dtype: "float64" });
    const i = array([[0], [0], [2]], { dtype: "int32" });
    const [out, t] = jvp(
      (x: JArray, u: JArray) => lax.scatterMax(x, i, u, sdn([], [0], [0])),
      [f64([1, 5, 2]), f64([3, 3, 2])],
      [f64([10, 20, 30]), f64([1, 2, 4])],
    );
    expect([...(out as JArray).dataSync()]).toEqual([3, 5, 2]);
    expect([...(t as JArray).dataSync()]).toEqual([1.5, 20, 17]);
  });

  // Text printed by JAX 0.10.2: jax.make_jaxpr(jax.vmap(lambda x, i: lax.dynamic_slice(x, (i, 0), (2, 3)),
  // in_axes=(None, 0)))(f32[5,6], i32[4]).
  it("dynamic_slice with batched indices becomes a gather, as in JAX", () => {
    const f = vmap((x: JArray, i: JArray) => lax.dynamicSlice(x, [i, 0], [2, 3]), { inAxes: [null, 0] });
    expect(makeJaxpr(f)(new ShapeDtypeStruct([5, 6], "float32"), new ShapeDtypeStruct([4], "int32")).toString()).toBe(
      `{ lambda ; a:f32[5,6] b:i32[4]. let
    c:bool[4] = lt b 0:i32[]
    d:i32[4] = add b 5:i32[]
    e:i32[4] = select_n c b d
    f:i32[4,1] = broadcast_in_dim[broadcast_dimensions=(0,)] e
    g:i32[4,1] = broadcast_in_dim 0:i32[]
    h:i32[4,2] = concatenate[dimension=1] f g
    i:f32[4,2,3] = gather[
      dimension_numbers=GatherDimensionNumbers(offset_dims=(1, 2), collapsed_slice_dims=(), start_index_map=(0, 1), operand_batching_dims=(), start_indices_batching_dims=())
      fill_value=None
      indices_are_sorted=False
      mode=GatherScatterMode.CLIP
      slice_sizes=(2, 3)
      unique_indices=False
    ] a h
  in (i,) }`,
    );
  });

  it("vmap of jacrev and jit of vmap over gathers and scatters with batched indices", () => {
    const r = rng(11);
    const f = (x: JArray, i: JArray, k: JArray) => {
      const g = lax.gather(x, i, rows.dn, rows.sizes);
      const y = lax.scatterAdd(x, i, lax.mul(g, g), rows.sdn);
      return lax.dynamicSlice(lax.scatterMax(y, i, g, rows.sdn), [k, 1], [2, 2]);
    };
    const xs = randArray([3, 5, 4], r);
    const is = array([[[0], [2], [2]], [[4], [1], [0]], [[3], [3], [3]]], { dtype: "int32" });
    const ks = array([0, 3, -1], { dtype: "int32" });
    const jac = (x: JArray, i: JArray, k: JArray) => jacrev((y: JArray) => f(y, i, k))(x) as JArray;
    expect(jac(randArray([5, 4], r), array([[1], [1], [4]], { dtype: "int32" }), array(2, { dtype: "int32" })).shape).toEqual([2, 2, 5, 4]);
    checkVmap(jac, [xs, is, ks]);
    checkVmap(jac, [xs, is, ks], { inAxes: [0, null, 0] });
    checkJit(vmap(jac), [xs, is, ks]);
  });

  it("the VJP of a gather accumulates repeated rows", () => {
    const i = array([[1], [1], [3]], { dtype: "int32" });
    const x = lax.broadcastInDim(lax.convertElementType(0.5, "float64"), [5, 4], []);
    const [, pullback] = vjp((y: JArray) => lax.gather(y, i, rows.dn, rows.sizes), x);
    const [g] = pullback(lax.broadcastInDim(lax.convertElementType(1, "float64"), [3, 4], [])) as JArray[];
    expect([...g!.dataSync()]).toEqual([0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
  });
});
