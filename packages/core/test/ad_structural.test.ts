// The spec table for structural primitives under the transformations: JVP and
// VJP against finite differences up to second order (float64), vmap against a
// loop for several in_axes, jit against eager, and the transpose identity
// <ct, f(x)> = <fᵀ(ct), x> (all of them are linear).
import { describe, expect, it } from "vitest";
import { type Array as JArray, grad, jit, jvp, lax, makeJaxpr, ShapeDtypeStruct, vjp, vmap } from "../src/index.js";
import { jacrev, linearTranspose } from "../src/transforms/jacobian.js";
import { checkJit, checkVmap, randArray, rng } from "./check.js";
import { runAdSpec, type AdSpec } from "./ad_table.js";

const specs: AdSpec[] = [
  { name: "broadcast_in_dim add leading", f: (x) => lax.broadcastInDim(x, [2, 3], [1]), args: [[3]] },
  { name: "broadcast_in_dim size-1 dims", f: (x) => lax.broadcastInDim(x, [3, 4, 2], [0, 1]), args: [[3, 1]] },
  { name: "broadcast_in_dim permuting", f: (x) => lax.broadcastInDim(x, [3, 4, 2], [2, 0]), args: [[2, 3]] },
  { name: "broadcast_in_dim permuting size-1", f: (x) => lax.broadcastInDim(x, [3, 4, 2], [2, 1, 0]), args: [[1, 4, 3]] },
  { name: "broadcast_in_dim scalar", f: (x) => lax.broadcastInDim(x, [2, 3], []), args: [[]] },
  { name: "reshape", f: (x) => lax.reshape(x, [3, 2]), args: [[2, 3]] },
  { name: "reshape with dimensions", f: (x) => lax.reshape(x, [4, 6], [2, 0, 1]), args: [[2, 3, 4]] },
  { name: "reshape scalar", f: (x) => lax.reshape(x, [1, 1]), args: [[]] },
  { name: "squeeze", f: (x) => lax.squeeze(x, [1, 3]), args: [[2, 1, 3, 1]] },
  { name: "squeeze to scalar", f: (x) => lax.squeeze(x, [0]), args: [[1]] },
  { name: "transpose", f: (x) => lax.transpose(x, [2, 0, 1]), args: [[2, 3, 4]] },
  { name: "rev one dim", f: (x) => lax.rev(x, [0]), args: [[3, 4]] },
  { name: "rev all dims", f: (x) => lax.rev(x, [0, 1]), args: [[3, 4]] },
  {
    name: "pad low/high/interior",
    f: (x, v) => lax.pad(x, v, [[1, 2, 1], [0, 1, 0]]),
    args: [[3, 4], []],
    inAxes: [[0, 0], [0, null], [null, 0], [2, 0], [1, null]],
  },
  {
    name: "pad negative (cropping)",
    f: (x, v) => lax.pad(x, v, [[-1, 1, 2], [2, -2, 1]]),
    args: [[3, 4], []],
    inAxes: [[0, 0], [1, null], [null, 0]],
  },
  { name: "pad empty dim", f: (x, v) => lax.pad(x, v, [[1, 1, 2], [0, 0, 0]]), args: [[0, 2], []] },
  {
    name: "concatenate dim 0",
    f: (a, b, c) => lax.concatenate([a, b, c], 0),
    args: [[2, 3], [4, 3], [1, 3]],
    inAxes: [[0, 0, 0], [null, 1, 0], [2, null, null], [null, null, 1]],
  },
  {
    name: "concatenate dim 1",
    f: (a, b) => lax.concatenate([a, b], 1),
    args: [[2, 3], [2, 1]],
  },
  { name: "slice", f: (x) => lax.slice(x, [1, 0], [4, 6]), args: [[5, 6]] },
  { name: "slice strided", f: (x) => lax.slice(x, [0, 1], [5, 6], [2, 3]), args: [[5, 6]] },
  { name: "slice strided empty", f: (x) => lax.slice(x, [2, 1], [2, 6], [2, 2]), args: [[5, 6]] },
  {
    name: "iota (unbatched constant)",
    f: (x) => lax.mul(x, lax.convertElementType(lax.broadcastedIota("int32", [3, 4], 1), "float64")),
    args: [[3, 4]],
  },
  {
    name: "composition",
    f: (x, y) => lax.transpose(lax.concatenate([lax.rev(lax.slice(x, [0, 1], [3, 4]), [1]), lax.broadcastInDim(y, [3, 2], [0])], 1), [1, 0]),
    args: [[3, 4], [3]],
  },
];

describe("structural primitives under jvp/vjp (order 2), vmap, jit, transpose", () => {
  for (const s of specs) it(s.name, () => runAdSpec({ linear: true, ...s }));
});

describe("structural rules in compositions", () => {
  // f: R^(4) -> R^(5), nonlinear through a product of two structural images of x.
  const f = (x: JArray) => lax.slice(lax.mul(lax.pad(x, 0.5, [[0, 1, 1]]), lax.concatenate([x, lax.rev(x, [0])], 0)), [1], [6]);

  it("vmap of jacrev and of forward mode, jit of vmap", () => {
    const xs = randArray([3, 4], rng(5));
    const t = randArray([4], rng(7));
    const pushfwd = (x: JArray) => jvp(f, [x], [t])[1] as JArray;
    checkVmap(jacrev(f), [xs]);
    checkVmap(pushfwd, [randArray([4, 3], rng(8))], { inAxes: [1] });
    checkJit(vmap(jacrev(f)), [xs]);
    checkVmap(jit(pushfwd), [xs]);
  });

  it("forward-over-reverse Hessian-vector products are symmetric", () => {
    const r = rng(6);
    const [x, u, v] = [randArray([4], r), randArray([4], r), randArray([4], r)];
    const g = (y: JArray) => lax.reshape(lax.slice(f(y), [1], [2]), []);
    const hvp = (w: JArray) => jvp(grad(g), [x], [w])[1] as JArray;
    const dot = (a: JArray, b: JArray) => [...a.dataSync()].reduce((s, ai, i) => s + ai * b.dataSync()[i]!, 0);
    const uHv = dot(u, hvp(v));
    expect(Math.abs(uHv)).toBeGreaterThan(1e-3);
    expect(uHv).toBeCloseTo(dot(v, hvp(u)), 12);
  });

  // Texts printed by JAX 0.10.2 for the same programs.
  it("Jaxprs match JAX's", () => {
    const t = linearTranspose((x: JArray) => lax.broadcastInDim(x, [2, 3], [1]), new ShapeDtypeStruct([3], "float32"));
    expect(makeJaxpr(t)(new ShapeDtypeStruct([2, 3], "float32")).toString()).toBe(
      `{ lambda ; a:f32[2,3]. let
    b:f32[3] = reduce_sum[axes=(0,) out_sharding=None] a
  in (b,) }`,
    );
    const padV = vmap((x: JArray, v: JArray) => lax.pad(x, v, [[1, 2, 1]]), { inAxes: [0, 0] });
    expect(makeJaxpr(padV)(new ShapeDtypeStruct([2, 3], "float32"), new ShapeDtypeStruct([2], "float32")).toString()).toBe(
      `{ lambda ; a:f32[2,3] b:f32[2]. let
    c:f32[2,8] = pad[padding_config=((0, 0, 0), (1, 2, 1))] a 0.0:f32[]
    d:bool[2,3] = broadcast_in_dim True:bool[]
    e:bool[2,8] = pad[padding_config=((0, 0, 0), (1, 2, 1))] d False:bool[]
    f:f32[2,8] = broadcast_in_dim[broadcast_dimensions=(0,)] b
    g:f32[2,8] = select_n e f c
  in (g,) }`,
    );
  });

  it("pad's padding value receives the cotangent of every padded element", () => {
    const x = randArray([3], rng(2));
    const [, pullback] = vjp((v: JArray) => lax.pad(x, v, [[2, 1, 1]]), lax.convertElementType(0, "float64"));
    const ones = lax.broadcastInDim(lax.convertElementType(1, "float64"), [8], []);
    // 2 low + 1 high + 2 interior elements.
    expect((pullback(ones)[0] as JArray).item()).toBe(5);
  });
});
