// conv_general_dilated under the transformations: JVP/VJP vs finite differences
// (2nd order), vmap vs a loop (lhs, rhs, both batched; non-leading batch axes),
// jit vs eager, and the transpose identity <ct, f(x)> = <fᵀ(ct), x> per operand.
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, lax, linearTranspose, vmap } from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";

interface Case {
  name: string;
  lhs: number[];
  rhs: number[];
  strides: number[];
  padding: lax.ConvPadding;
  opts?: lax.ConvOptions;
}

const cases: Case[] = [
  { name: "1-D, VALID", lhs: [2, 2, 5], rhs: [3, 2, 2], strides: [1], padding: "VALID" },
  { name: "1-D, stride 2 leaving a tail, SAME_LOWER", lhs: [1, 2, 6], rhs: [2, 2, 3], strides: [2], padding: "SAME_LOWER" },
  { name: "2-D, strides (2, 1), SAME", lhs: [1, 2, 5, 4], rhs: [2, 2, 3, 2], strides: [2, 1], padding: "SAME" },
  {
    name: "2-D, asymmetric and negative padding",
    lhs: [1, 1, 5, 4], rhs: [2, 1, 2, 2], strides: [1, 2], padding: [[2, 1], [0, -1]],
  },
  {
    name: "2-D, lhs and rhs dilation",
    lhs: [1, 2, 3, 3], rhs: [2, 2, 2, 2], strides: [1, 1], padding: [[1, 0], [0, 1]],
    opts: { lhsDilation: [2, 1], rhsDilation: [1, 2] },
  },
  {
    name: "2-D, strides with lhs dilation (transposed conv)",
    lhs: [1, 1, 3, 2], rhs: [1, 1, 3, 2], strides: [2, 1], padding: [[2, 2], [1, 1]],
    opts: { lhsDilation: [2, 2] },
  },
  {
    name: "2-D, NHWC/HWIO",
    lhs: [2, 4, 3, 2], rhs: [2, 2, 2, 3], strides: [2, 1], padding: "SAME",
    opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] },
  },
  {
    name: "2-D, scrambled dimension numbers",
    lhs: [3, 2, 1, 4], rhs: [2, 2, 3, 2], strides: [1, 1], padding: [[0, 1], [1, 0]],
    opts: { dimensionNumbers: ["HCNW", "WIHO", "CWHN"], rhsDilation: [2, 1] },
  },
  {
    name: "1-D, feature groups",
    lhs: [2, 4, 4], rhs: [4, 2, 2], strides: [1], padding: [[1, 0]],
    opts: { featureGroupCount: 2 },
  },
  {
    name: "2-D, feature groups, NHWC, strides",
    lhs: [1, 4, 3, 6], rhs: [2, 2, 2, 6], strides: [2, 1], padding: "SAME",
    opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"], featureGroupCount: 3 },
  },
  {
    name: "1-D, batch groups",
    lhs: [4, 2, 4], rhs: [4, 2, 2], strides: [1], padding: "VALID",
    opts: { batchGroupCount: 2 },
  },
  {
    name: "2-D, batch groups, rhs dilation, scrambled layout",
    lhs: [3, 6, 2, 2], rhs: [2, 2, 2, 3], strides: [1, 1], padding: [[0, 1], [1, 0]],
    opts: { dimensionNumbers: ["HNCW", "HWIO", "NHWC"], batchGroupCount: 3, rhsDilation: [1, 2] },
  },
  { name: "3-D, strides and padding", lhs: [1, 1, 3, 3, 2], rhs: [2, 1, 2, 2, 2], strides: [1, 2, 1], padding: [[0, 1], [1, 0], [0, 0]] },
];

const dot = (a: Array, b: Array): number => {
  const x = a.dataSync();
  const y = b.dataSync();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
};

const insertAxis = (shape: number[], axis: number, n: number) => [...shape.slice(0, axis), n, ...shape.slice(axis)];

describe("conv_general_dilated under jvp/vjp, vmap, jit", () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = rng(c.name.length * 7 + 1);
      const f = (x: Array, w: Array) => lax.convGeneralDilated(x, w, c.strides, c.padding, c.opts);
      const x = randArray(c.lhs, r);
      const w = randArray(c.rhs, r);
      const y = f(x, w);

      checkGrads(f, [x, w], 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-4 });
      checkJit(f, [x, w]);

      const B = 2;
      const xb = randArray([B, ...c.lhs], r);
      const wb = randArray([B, ...c.rhs], r);
      checkVmap(f, [xb, wb]);
      checkVmap(f, [xb, w], { inAxes: [0, null] });
      checkVmap(f, [x, wb], { inAxes: [null, 0] });
      // batch axes in the middle and last
      const mid = 1;
      const last = c.rhs.length;
      const xm = randArray(insertAxis(c.lhs, mid, B), r);
      const wl = randArray(insertAxis(c.rhs, last, B), r);
      checkVmap(f, [xm, wl], { inAxes: [mid, last] });
      checkVmap(f, [xm, w], { inAxes: [mid, null] });
      checkVmap(f, [x, wl], { inAxes: [null, last] });

      // transpose identity for each operand
      const ct = randArray(y.shape, r);
      const [xt] = linearTranspose((a: Array) => f(a, w), x)(ct) as Array[];
      expect(xt!.shape).toEqual(c.lhs);
      expect(dot(xt!, x)).toBeCloseTo(dot(ct, y), 9);
      const [wt] = linearTranspose((b: Array) => f(x, b), w)(ct) as Array[];
      expect(wt!.shape).toEqual(c.rhs);
      expect(dot(wt!, w)).toBeCloseTo(dot(ct, y), 9);
    });
  }

  it("grad through a vmapped conv, jitted (composition)", () => {
    const r = rng(3);
    const c = cases[9]!;
    const f = (x: Array, w: Array) => lax.convGeneralDilated(x, w, c.strides, c.padding, c.opts);
    const g = jit((xs: Array, w: Array) => vmap(f, { inAxes: [0, null] })(xs, w));
    const xs = randArray([2, ...c.lhs], r);
    const w = randArray(c.rhs, r);
    checkGrads(g, [xs, w], 1, { rtol: 1e-6, atol: 1e-6 });
    checkVmap(g, [randArray([2, 2, ...c.lhs], r), randArray([2, ...c.rhs], r)]);
    // per-example gradients w.r.t. the kernel, jitted
    const loss = (x: Array, k: Array) => f(x, k).sum();
    const perEx = (x: Array, k: Array) => vmap(grad(loss, { argnums: 1 }), { inAxes: [0, null] })(x, k);
    checkJit(perEx, [xs, w]);
    checkGrads(perEx, [xs, w], 1, { rtol: 1e-6, atol: 1e-6 });
  });

  it("vmap over a size-0 axis gives an empty batch of the unbatched shape", () => {
    const r = rng(5);
    const c = cases[10]!;
    const f = (x: Array, w: Array) => lax.convGeneralDilated(x, w, c.strides, c.padding, c.opts);
    const x = randArray(c.lhs, r);
    const w = randArray(c.rhs, r);
    const out = vmap(f, { inAxes: [0, null] })(randArray([0, ...c.lhs], r), w) as Array;
    expect(out.shape).toEqual([0, ...f(x, w).shape]);
  });

  it("transposing a conv of a value with itself is an error naming the primitive", () => {
    const r = rng(11);
    const x = randArray([1, 1, 3], r);
    const f = (a: Array) => lax.convGeneralDilated(a, a, [1], "VALID");
    expect(() => linearTranspose(f, x)(randArray([1, 1, 1], r))).toThrow(/conv_general_dilated\] transpose: both operands are linear/);
  });
});
