// conv_general_dilated on the ONNX backend under jit(grad): the gradient of a
// strided convolution w.r.t. its input is an lhs-dilated convolution
// (ConvTranspose), the gradient of a grouped/depthwise one w.r.t. its weights a
// batch-grouped convolution, float64 and integer convolutions run as per-tap
// MatMuls. Every case runs inside the ONNX graph (no CPU fallback) and equals
// the CPU backend.
import { beforeAll, describe, expect, it } from "vitest";
import { array, grad, jit, lax, makeJaxpr, random, type Array, type Jaxpr } from "@jaxts/core";
import { expectClose, jitOnBoth, onnx, toCpu, toOnnx } from "./harness.js";

beforeAll(async () => {
  await onnx();
});

const randn = (seed: number, shape: number[], dtype: "float32" | "float64" = "float32") =>
  random.normal(random.key(seed), shape, dtype);

/** jit(f) on CPU arrays and on their ONNX copies: equal results, no equation on the CPU backend. */
const same = (f: (...xs: Array[]) => Array | Array[], args: Array[], label: string, scale = 16) => jitOnBoth(f, args, label, scale);

/** The params of every conv_general_dilated in f's Jaxpr (nested Jaxprs included). */
function convParams(f: (...xs: Array[]) => unknown, args: Array[]): any[] {
  const out: any[] = [];
  const walk = (j: Jaxpr) => {
    for (const e of j.eqns) {
      if (e.primitive.name === "conv_general_dilated") out.push(e.params);
      for (const v of Object.values(e.params)) {
        if (v && typeof v === "object" && "jaxpr" in v && "eqns" in (v as any).jaxpr) walk((v as any).jaxpr);
      }
    }
  };
  walk(makeJaxpr(f)(...args).jaxpr);
  return out;
}

interface Spec {
  name: string;
  x: number[];
  w: number[];
  strides: number[];
  padding: "SAME" | "VALID" | [number, number][];
  rhsDilation?: number[];
  featureGroupCount?: number;
  dimensionNumbers?: [string, string, string];
  /** What the gradient must contain. */
  expectLhsDilation?: boolean;
  expectBatchGroups?: boolean;
}

const specs: Spec[] = [
  { name: "strided 3x3 SAME", x: [2, 3, 9, 8], w: [4, 3, 3, 3], strides: [2, 2], padding: "SAME", expectLhsDilation: true },
  { name: "strided VALID, stride 3x2", x: [2, 3, 10, 7], w: [5, 3, 2, 3], strides: [3, 2], padding: "VALID", expectLhsDilation: true },
  { name: "strided, asymmetric and negative padding", x: [1, 2, 9, 9], w: [3, 2, 3, 2], strides: [2, 3], padding: [[2, -1], [-1, 3]], expectLhsDilation: true },
  { name: "dilated (atrous) 3x3", x: [2, 3, 9, 10], w: [4, 3, 3, 3], strides: [1, 1], padding: "SAME", rhsDilation: [2, 3] },
  { name: "dilated and strided", x: [2, 2, 11, 10], w: [3, 2, 3, 2], strides: [2, 2], padding: [[1, 2], [0, 1]], rhsDilation: [2, 2], expectLhsDilation: true },
  { name: "feature groups 2, strided", x: [2, 4, 8, 8], w: [6, 2, 3, 3], strides: [2, 2], padding: "SAME", featureGroupCount: 2, expectLhsDilation: true, expectBatchGroups: true },
  { name: "depthwise 3x3, strided", x: [2, 6, 9, 9], w: [6, 1, 3, 3], strides: [2, 2], padding: "SAME", featureGroupCount: 6, expectLhsDilation: true, expectBatchGroups: true },
  { name: "depthwise, multiplier 2, dilated", x: [2, 3, 9, 8], w: [6, 1, 3, 2], strides: [1, 1], padding: "VALID", rhsDilation: [2, 1], featureGroupCount: 3, expectBatchGroups: true },
  {
    name: "depthwise NHWC/HWIO, strided",
    x: [2, 9, 8, 4], w: [3, 3, 1, 4], strides: [2, 2], padding: "SAME", featureGroupCount: 4,
    dimensionNumbers: ["NHWC", "HWIO", "NHWC"], expectLhsDilation: true, expectBatchGroups: true,
  },
  { name: "1-D strided NWC", x: [3, 11, 2], w: [3, 2, 4], strides: [2], padding: "SAME", dimensionNumbers: ["NWC", "WIO", "NWC"], expectLhsDilation: true },
  { name: "3-D strided, grouped", x: [1, 4, 5, 6, 5], w: [4, 2, 2, 3, 2], strides: [2, 2, 1], padding: "SAME", featureGroupCount: 2, expectLhsDilation: true, expectBatchGroups: true },
];

function lossFor(s: Spec) {
  return (x: Array, w: Array, r: Array) =>
    lax
      .convGeneralDilated(x, w, s.strides, s.padding, {
        rhsDilation: s.rhsDilation,
        featureGroupCount: s.featureGroupCount,
        dimensionNumbers: s.dimensionNumbers,
      })
      .mul(r)
      .sum();
}

function outShape(s: Spec, x: Array, w: Array): number[] {
  return lax.convGeneralDilated(x, w, s.strides, s.padding, {
    rhsDilation: s.rhsDilation,
    featureGroupCount: s.featureGroupCount,
    dimensionNumbers: s.dimensionNumbers,
  }).shape as number[];
}

describe("conv_general_dilated gradients on onnx", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const s of specs) {
      it(`${s.name} (${dtype})`, async () => {
        const x = randn(1, s.x, dtype);
        const w = randn(2, s.w, dtype);
        const r = randn(3, outShape(s, x, w), dtype);
        const f = grad(lossFor(s), { argnums: [0, 1] });
        const ps = convParams(f, [x, w, r]);
        if (s.expectLhsDilation) expect(ps.some((p) => p.lhs_dilation.some((d: number) => d > 1)), "an lhs-dilated conv").toBe(true);
        if (s.expectBatchGroups) expect(ps.some((p) => p.batch_group_count > 1), "a batch-grouped conv").toBe(true);
        await same((x, w, r) => f(x, w, r), [x, w, r], `${s.name} ${dtype}`);
      });
    }
  }

  it("second order: d/dw of |d loss/dx|^2 (lhs dilation and batch groups together)", async () => {
    const s = specs.find((q) => q.name === "depthwise 3x3, strided")!;
    const x = randn(4, s.x);
    const w = randn(5, s.w);
    const r = randn(6, outShape(s, x, w));
    const gx = grad(lossFor(s));
    const f = grad((x: Array, w: Array, r: Array) => { const d = gx(x, w, r); return d.mul(d).sum(); }, { argnums: [0, 1] });
    const ps = convParams(f, [x, w, r]);
    expect(ps.some((p) => p.lhs_dilation.some((d: number) => d > 1) && p.batch_group_count > 1), "an lhs-dilated, batch-grouped conv").toBe(true);
    await same(f, [x, w, r], "second order", 64);
  });
});

describe("conv_general_dilated lowering details", () => {
  const conv = (p: { strides: number[]; padding: [number, number][]; lhsDilation?: number[]; batchGroupCount?: number; featureGroupCount?: number; pref?: string }) =>
    (x: Array, w: Array) =>
      lax.convGeneralDilated(x, w, p.strides, p.padding, {
        lhsDilation: p.lhsDilation,
        batchGroupCount: p.batchGroupCount,
        featureGroupCount: p.featureGroupCount,
        preferredElementType: p.pref as any,
      });

  it("integer convolutions wrap like XLA (uint32 MatMuls): strides, lhs dilation, batch and feature groups", async () => {
    const ints = (seed: number, shape: number[], dtype: string, lo: number, hi: number) =>
      random.randint(random.key(seed), shape, lo, hi, dtype as any);
    const u32 = (seed: number, shape: number[]) => random.bits(random.key(seed), shape, "uint32");
    const cases: [string, (x: Array, w: Array) => Array, Array, Array][] = [
      ["int32 overflow", conv({ strides: [1, 1], padding: [[1, 1], [0, 0]] }), ints(1, [2, 3, 5, 4], "int32", -2e9, 2e9), ints(2, [2, 3, 2, 2], "int32", -2e9, 2e9)],
      ["int8 lhs dilation", conv({ strides: [2, 1], padding: [[2, 1], [-1, 2]], lhsDilation: [2, 3] }), ints(3, [2, 2, 4, 3], "int8", -128, 127), ints(4, [3, 2, 3, 2], "int8", -128, 127)],
      ["uint8 batch groups", conv({ strides: [1, 2], padding: [[1, 0], [0, 1]], batchGroupCount: 2 }), ints(5, [4, 3, 4, 5], "uint8", 0, 255), ints(6, [4, 3, 2, 2], "uint8", 0, 255)],
      ["int16 feature groups -> int32", conv({ strides: [1, 1], padding: [[0, 0], [1, 1]], featureGroupCount: 2, pref: "int32" }), ints(7, [1, 4, 3, 3], "int16", -3e4, 3e4), ints(8, [4, 2, 2, 2], "int16", -3e4, 3e4)],
      ["uint32 wraps", conv({ strides: [1, 1], padding: [[0, 0], [0, 0]] }), u32(9, [1, 2, 3, 3]), u32(10, [1, 2, 2, 2])],
    ];
    for (const [label, f, x, w] of cases) await same(f, [x, w], label, 0);
    const bools = (seed: number, shape: number[]) => lax.gt(randn(seed, shape), 0.8);
    await same(conv({ strides: [1, 1], padding: [[1, 1], [1, 1]], lhsDilation: [2, 1] }), [bools(11, [2, 2, 3, 3]), bools(12, [2, 2, 2, 2])], "bool", 0);
  });

  it("lhs-dilation holes are never multiplied (ConvTranspose): an inf weight gives no NaN", async () => {
    // JAX 0.10.2 (CPU, float32): ones(1,1,3,3) ⊛ [[inf,1],[1,1]], lhs_dilation 2, padding 1.
    const x = array([[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]], { dtype: "float32" });
    const w = array([[[[Infinity, 1], [1, 1]]]], { dtype: "float32" });
    const f = jit(conv({ strides: [1, 1], padding: [[1, 1], [1, 1]], lhsDilation: [2, 2] }));
    const got = await toCpu(f(...(toOnnx([x, w]) as [Array, Array])));
    const row1 = [1, 1, 1, 1, 1, 1];
    const row2 = [1, Infinity, 1, Infinity, 1, Infinity];
    expect(globalThis.Array.from(got.dataSync())).toEqual([row1, row2, row1, row2, row1, row2].flat());
  });

  it("float32 multiplies plain padding like XLA (inf weight over padding gives NaN); float64 skips it", async () => {
    // JAX 0.10.2 (CPU): ones(1,1,3,3) ⊛ [[inf,1],[1,1]], padding 1. float32 (Eigen)
    // multiplies the padding's zeros; float64 skips padding.
    const f = jit(conv({ strides: [1, 1], padding: [[1, 1], [1, 1]] }));
    const ones = [[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]];
    const wv = [[[[Infinity, 1], [1, 1]]]];
    const f32 = await toCpu(f(...(toOnnx([array(ones, { dtype: "float32" }), array(wv, { dtype: "float32" })]) as [Array, Array])));
    const n = NaN;
    const I = Infinity;
    expect(globalThis.Array.from(f32.dataSync())).toEqual([n, n, n, n, n, I, I, I, n, I, I, I, n, I, I, I]);
    const f64 = await toCpu(f(...(toOnnx([array(ones, { dtype: "float64" }), array(wv, { dtype: "float64" })]) as [Array, Array])));
    expect(globalThis.Array.from(f64.dataSync())).toEqual([1, 2, 2, 1, 2, I, I, I, 2, I, I, I, 1, I, I, I]);
  });
});
