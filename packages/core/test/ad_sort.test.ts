// The spec table for sort and top_k under the transformations: JVP and VJP
// against finite differences up to second order (float64; random keys, so no
// ties), vmap against a loop for several in_axes (batch axes before and after the
// sorted one, unbatched operands), jit against eager. Sort has no transpose rule
// (as in JAX): its JVP's linear part is a gather. Ties, where the derivative is a
// convention, are checked against values printed by JAX 0.10.2 (jax_enable_x64).
import { describe, expect, it } from "vitest";
import { type Array as JArray, array, grad, jvp, lax, makeJaxpr, ShapeDtypeStruct, vmap } from "../src/index.js";
import { linearTranspose } from "../src/transforms/jacobian.js";
import { checkJit, checkVmap, randArray, rng } from "./check.js";
import { runAdSpec, type AdSpec } from "./ad_table.js";

const f64 = (v: unknown) => array(v as number[], { dtype: "float64" });
const vals = (x: JArray) => [...x.dataSync()];
/** Multiple outputs: the checks compare every leaf. */
const multi = (f: (...xs: JArray[]) => JArray[]): AdSpec["f"] => f as unknown as AdSpec["f"];
const ints = (shape: number[], hi = 3) => ({ shape, ints: [0, hi] as [number, number] });

const specs: AdSpec[] = [
  { name: "sort 1-d", f: (x) => lax.sort(x), args: [[6]] },
  { name: "sort dimension 0", f: (x) => lax.sort(x, { dimension: 0 }), args: [[4, 3]], inAxes: [[0], [1], [2]] },
  { name: "sort last dimension of 3-d", f: (x) => lax.sort(x), args: [[2, 3, 4]], inAxes: [[0], [2], [3]] },
  {
    name: "sort two operands, one key",
    f: multi((k, v) => lax.sort([k!, v!], { dimension: 1 })),
    args: [[3, 4], [3, 4]],
    inAxes: [[0, 0], [2, 1], [1, null], [null, 0], [0, 2]],
  },
  {
    name: "sort two keys and a value",
    f: multi((k1, k2, v) => lax.sort([k1!, k2!, v!], { numKeys: 2, dimension: 0 })),
    args: [[5, 2], [5, 2], [5, 2]],
    inAxes: [[0, 0, 0], [null, 2, 1], [1, null, null]],
  },
  {
    name: "sortKeyVal with integer keys",
    f: (k, v) => lax.sortKeyVal(k, v, 0)[1],
    args: [ints([6, 2]), [6, 2]],
    inAxes: [[0, 0], [1, null], [null, 2], [2, 1]],
  },
  {
    name: "sort unstable, keys and values",
    f: multi((k, v) => lax.sort([k!, v!], { isStable: false })),
    args: [[5], [5]],
  },
  { name: "top_k last axis", f: multi((x) => lax.topK(x!, 2)), args: [[3, 5]], inAxes: [[0], [1], [2]] },
  { name: "top_k axis 0", f: (x) => lax.topK(x, 3, { axis: 0 })[0], args: [[4, 2, 3]], inAxes: [[0], [1], [3]] },
  { name: "top_k k = 0", f: (x) => lax.topK(x, 0)[0], args: [[2, 3]] },
  { name: "top_k 1-d all", f: (x) => lax.topK(x, 4)[0], args: [[4]] },
  {
    name: "sorted values through a nonlinear function",
    f: (x) => lax.mul(lax.sin(lax.sort(x, { dimension: 0 })), lax.topK(lax.exp(x), 3, { axis: 0 })[0]),
    args: [[3, 2]],
    inAxes: [[0], [1], [2]],
  },
];

describe("sort and top_k under jvp/vjp (order 2), vmap, jit", () => {
  for (const s of specs) it(s.name, () => runAdSpec(s));
});

// Values printed by JAX 0.10.2 for the same calls.
describe("derivative conventions at ties match JAX", () => {
  it("sort moves tied keys' tangents stably", () => {
    const t = jvp((x: JArray) => lax.sort(x), [f64([1, 3, 3, 0])], [f64([1, 2, 4, 5])])[1] as JArray;
    expect(vals(t)).toEqual([5, 1, 2, 4]);
    const g = grad((x: JArray) => lax.reduceSum(lax.mul(lax.sort(x), f64([1, 2, 3, 4])), [0]))(f64([1, 3, 3, 0])) as JArray;
    expect(vals(g)).toEqual([2, 3, 4, 1]);
    const [tk, tv] = jvp(
      (k: JArray, v: JArray) => lax.sort([k, v], { dimension: 0 }),
      [f64([[2, 1], [1, 2]]), f64([[5, 6], [7, 8]])],
      [f64([[1, 2], [3, 4]]), f64([[10, 20], [30, 40]])],
    )[1] as JArray[];
    expect(vals(tk!)).toEqual([3, 2, 1, 4]);
    expect(vals(tv!)).toEqual([30, 20, 10, 40]);
  });

  it("top_k takes tied values' tangents in index order", () => {
    const t = jvp((x: JArray) => lax.topK(x, 3)[0], [f64([1, 3, 3, 0, 3])], [f64([1, 2, 4, 5, 6])])[1] as JArray;
    expect(vals(t)).toEqual([2, 4, 6]);
    const g = grad((x: JArray) => lax.reduceSum(lax.mul(lax.topK(x, 2)[0], f64([1, 10])), [0]))(f64([1, 3, 3, 0, 3])) as JArray;
    expect(vals(g)).toEqual([0, 1, 10, 0, 0]);
  });

  it("sort itself has no transpose (as in JAX): linearTranspose through it names it", () => {
    const k = array([2, 1, 0], { dtype: "int32" });
    const v = f64([1, 2, 3]);
    expect(() => linearTranspose((w: JArray) => lax.sortKeyVal(k, w)[1], v)(v)).toThrow("[vjp] transpose rule for 'sort' not implemented");
  });

  it("top_k indices have a zero tangent", () => {
    const [, [, ti]] = jvp((x: JArray) => lax.topK(x, 2), [f64([1, 3, 2])], [f64([1, 1, 1])]) as [JArray[], JArray[]];
    expect(ti!.dtype.name).toBe("int32");
    expect(vals(ti!)).toEqual([0, 0]);
  });
});

describe("sort rules in compositions", () => {
  it("vmap of grad and jit of vmap", () => {
    const f = (x: JArray) => lax.reduceSum(lax.mul(lax.sort(x), lax.topK(x, 4)[0]), [0]);
    checkVmap(grad(f), [randArray([3, 4], rng(1))]);
    checkVmap(grad(f), [randArray([4, 3], rng(2))], { inAxes: [1] });
    checkJit(vmap(grad(f)), [randArray([3, 4], rng(3))]);
  });

  // Texts printed by JAX 0.10.2 for the same programs (where JAX leaks numpy
  // scalars into params, `np.int64(k)` is written `k`).
  it("Jaxprs match JAX's", () => {
    const s = (shape: number[]) => new ShapeDtypeStruct(shape, "float32");
    const j = (x: JArray, t: JArray) => jvp((y: JArray) => lax.sort(y, { dimension: 0 }), [x], [t]);
    expect(makeJaxpr(j)(s([3, 2]), s([3, 2])).toString()).toBe(
      `{ lambda ; a:f32[3,2] b:f32[3,2]. let
    c:u32[3,2] = iota[dimension=0 dtype=uint32 shape=(3, 2) sharding=None] 
    d:f32[3,2] e:u32[3,2] = sort[dimension=0 is_stable=True num_keys=1] a c
    f:u32[3,2,1] = broadcast_in_dim[broadcast_dimensions=(0, 1)] e
    g:f32[3,2] = gather[
      dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,), operand_batching_dims=(1,), start_indices_batching_dims=(1,))
      fill_value=None
      indices_are_sorted=False
      mode=GatherScatterMode.PROMISE_IN_BOUNDS
      slice_sizes=(1, 1)
      unique_indices=False
    ] b f
  in (d, g) }`,
    );
    expect(makeJaxpr(vmap((x: JArray) => lax.sort(x, { dimension: 0 }), { inAxes: 1 }))(s([2, 3, 4])).toString()).toBe(
      `{ lambda ; a:f32[2,3,4]. let
    b:f32[2,3,4] = sort[dimension=0 is_stable=True num_keys=1] a
    c:f32[3,2,4] = transpose[permutation=(1, 0, 2)] b
  in (c,) }`,
    );
  });
});
