// cond/switch → If, whileLoop/foriLoop → Loop, scan → Loop with scan outputs:
// jitted on the ONNX backend they run inside the graph (no CPU fallback) and
// equal the CPU results, also under grad and vmap.
import { describe, it } from "vitest";
import { array, grad, lax, random, vmap, type Array } from "@jaxts/core";
import { jitOnBoth as same } from "./harness.js";

const randn = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

describe("control flow inside jit on onnx", () => {
  it("cond and switch (index clamped like XLA)", async () => {
    const x = randn(1, [3]);
    const f = (p: Array, x: Array) => lax.cond(p, (a: Array) => lax.sin(a), (a: Array) => lax.cos(a).mul(2), x);
    await same(f, [lax.gt(x.sum(), 0), x], "cond");
    await same(f, [lax.lt(x.sum(), 0), x], "cond false");
    const s = (i: Array, x: Array) => lax.switch(i, [(a: Array) => a.add(1), (a: Array) => a.mul(3), (a: Array) => lax.exp(a)], x);
    for (const i of [-2, 0, 1, 2, 7]) await same(s, [array(i, { dtype: "int32" }), x], `switch ${i}`);
  });

  it("whileLoop and foriLoop", async () => {
    const f = (x: Array) => lax.whileLoop((c: Array[]) => lax.lt(c[0]!, 10), (c: Array[]) => [c[0]!.add(1), c[1]!.mul(1.1)], [array(0, { dtype: "int32" }), x]);
    await same(f, [randn(2, [4])], "while");
    const g = (x: Array) => lax.foriLoop(0, 5, (i: Array, acc: Array) => acc.add(lax.sin(acc)).add(i.astype("float32")), x);
    await same(g, [randn(3, [2, 2])], "fori");
  });

  it("scan forward and reverse, with stacked outputs", async () => {
    const step = (c: Array, x: Array) => {
      const nc = c.mul(0.9).add(x);
      return [nc, lax.tanh(nc)] as [Array, Array];
    };
    const xs = randn(4, [6, 3]);
    const c0 = randn(5, [3]);
    await same((c: Array, xs: Array) => lax.scan(step, c, xs), [c0, xs], "scan");
    await same((c: Array, xs: Array) => lax.scan(step, c, xs, { reverse: true }), [c0, xs], "scan reverse");
  });

  it("grad and vmap through scan and cond", async () => {
    const loss = (w: Array, xs: Array) => {
      const [c] = lax.scan((c: Array, x: Array) => [lax.tanh(c.mul(w).add(x)), c] as [Array, Array], w.mul(0), xs);
      return lax.cond(lax.gt(c.sum(), 0), (a: Array) => a.mul(a).sum(), (a: Array) => a.sum(), c);
    };
    const w = randn(6, [3]);
    const xs = randn(7, [5, 3]);
    await same(grad(loss), [w, xs], "grad scan/cond", 32);
    await same(vmap(loss, { inAxes: [0, null] }), [randn(8, [4, 3]), xs], "vmap scan/cond", 16);
  });
});
