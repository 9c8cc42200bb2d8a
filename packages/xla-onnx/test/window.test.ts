// reduce_window_{sum,max,min} on the ONNX backend: every `kind: "window"` case of
// core's reduction golden, eagerly and under jit; gradients of max and average
// pooling; one jitted training step of a small CNN with max pooling. All of it
// must run inside ONNX graphs (no CPU fallback) and equal the goldens and the
// CPU backend.
import { beforeAll, describe, expect, it } from "vitest";
import { grad, jit, lax, random, valueAndGrad, type Array } from "@jaxts/core";
import type { OnnxBackend } from "../src/index.js";
import { checkBoth, decode, expectClose, loadGolden, onnx, toCpu, toOnnx, type EncodedArray } from "./harness.js";

let b: OnnxBackend;
beforeAll(async () => {
  b = await onnx();
});

interface WindowCase {
  kind: string;
  op: "sum" | "max" | "min";
  note?: string;
  x: EncodedArray;
  out: EncodedArray;
  window_dimensions: number[];
  window_strides: number[];
  padding: string | [number, number][];
  base_dilation: number[];
  window_dilation: number[];
}

/** The init value lax.reduceWindow recognizes (as core's reduction.test.ts). */
function windowInit(op: string, dtype: string): number | boolean {
  if (op === "sum") return 0;
  const isMax = op === "max";
  if (dtype === "bool") return !isMax;
  if (dtype.startsWith("float")) return isMax ? -Infinity : Infinity;
  const bits = Number(dtype.replace(/\D/g, ""));
  const unsigned = dtype.startsWith("u");
  if (isMax) return unsigned ? 0 : -(2 ** (bits - 1));
  return unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
}

const comps = { sum: lax.add, max: lax.max, min: lax.min };
const fmt = (a: EncodedArray) => `${a.dtype}[${a.shape}]`;

function noFallback<T>(label: string, f: () => Promise<T>): Promise<T> {
  const before = b.info().cpuFallbacks;
  return f().then((r) => {
    expect(b.info().cpuFallbacks, `${label}: no CPU fallback`).toBe(before);
    return r;
  });
}

describe("reduce_window goldens on onnx", () => {
  const cases = loadGolden<WindowCase>("reduction").filter((c) => c.kind === "window");
  const ops = ["sum", "max", "min"] as const;
  it("covers all window cases", () => {
    expect(cases.length).toBeGreaterThan(300);
    for (const op of ops) expect(cases.some((c) => c.op === op)).toBe(true);
  });
  for (const op of ops) {
    for (const mode of ["eager", "jit"] as const) {
      it(`reduce_window_${op} (${mode})`, async () => {
        for (const c of cases.filter((c) => c.op === op)) {
          const f = (x: Array) =>
            lax.reduceWindow(x, windowInit(op, c.x.dtype), comps[op], c.window_dimensions, c.window_strides, c.padding, {
              baseDilation: c.base_dilation,
              windowDilation: c.window_dilation,
            });
          const g = mode === "jit" ? jit(f) : f;
          const geometry = JSON.stringify([c.window_dimensions, c.window_strides, c.padding, c.base_dilation, c.window_dilation]);
          const label = `reduce_window_${op} ${mode} ${fmt(c.x)} ${geometry} ${c.note ?? ""}`;
          // XLA (and this lowering) rounds each addition of a float16 sum to
          // float16; the golden and the CPU backend add exactly and round once:
          // up to half an ulp per addition apart.
          const taps = c.window_dimensions.reduce((a, b) => a * b, 1);
          const scale = op === "sum" && c.x.dtype === "float16" ? taps : 1;
          await noFallback(label, () => checkBoth(([x]) => g(x!), [decode(c.x)], c.out, label, { scale }));
        }
      });
    }
  }
});

const randn = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

describe("reduce_window beyond the goldens", () => {
  const cases: [string, Array, "sum" | "max" | "min", number[], number[], string | [number, number][], number[], number[]][] = [];
  const ints = lax.floor(randn(11, [3, 9, 8]).mul(20));
  for (const d of ["int16", "uint16", "int8", "bool"] as const) {
    const x = d === "bool" ? lax.gt(ints, 0) : lax.convertElementType(ints, d);
    for (const op of d === "bool" ? (["max", "min"] as const) : (["sum", "max", "min"] as const)) {
      cases.push([d, x, op, [1, 3, 2], [1, 2, 1], [[0, 0], [-1, 2], [1, 1]], [1, 2, 1], [1, 1, 3]]);
    }
  }
  const big = randn(12, [2, 30, 30]);
  // 400 taps: the float sum goes per dimension (another order than XLA's).
  for (const op of ["sum", "max", "min"] as const) cases.push(["f32 big", big, op, [1, 20, 20], [1, 5, 5], "VALID", [1, 1, 1], [1, 1, 1]]);
  cases.push(["i32 big", lax.convertElementType(ints.mul(1e7), "int32"), "sum", [1, 9, 8], [1, 1, 1], "SAME", [1, 1, 1], [1, 1, 1]]);
  cases.push(["rank 0", randn(13, []), "max", [], [], [], [], []]);
  cases.push(["empty operand, padded", randn(14, [0, 3]), "min", [1, 2], [1, 1], [[2, 0], [0, 0]], [1, 1], [1, 1]]);
  for (const [name, x, op, wd, ws, padding, bd, wdil] of cases) {
    it(`${name} reduce_window_${op} ${x.dtype.name}[${x.shape}]`, async () => {
      const init = windowInit(op, x.dtype.name);
      const f = jit((y: Array) => lax.reduceWindow(y, init, comps[op], wd, ws, padding, { baseDilation: bd, windowDilation: wdil }));
      await noFallback(name, () => checkBoth(([y]) => f(y!), [x], null, `${name} ${op}`));
    });
  }
});

/** jit(fn) on the CPU backend and on onnx: equal, and nothing fell back. */
async function same(fn: (...xs: Array[]) => Array | Array[], args: Array[], label: string, scale = 8): Promise<void> {
  const jf = jit(fn);
  const want = jf(...args);
  const got = await noFallback(label, async () => {
    const r = jf(...toOnnx(args));
    const rs = globalThis.Array.isArray(r) ? r : [r];
    return Promise.all(rs.map(toCpu));
  });
  const ws = globalThis.Array.isArray(want) ? want : [want];
  expect(got.length).toBe(ws.length);
  got.forEach((g, i) => expectClose(g, ws[i]!, `${label} out ${i}`, scale));
}

// NCHW pooling over the two spatial axes.
const maxPool = (x: Array, w: number, s: number, padding: string) =>
  lax.reduceWindow(x, -Infinity, lax.max, [1, 1, w, w], [1, 1, s, s], padding);
const avgPool = (x: Array, w: number, s: number, padding: string) =>
  lax.reduceWindow(x, 0, lax.add, [1, 1, w, w], [1, 1, s, s], padding).div(w * w);

describe("pooling gradients on onnx", () => {
  const x = randn(1, [2, 3, 7, 7]);
  const ct = (y: Array) => lax.sin(y).mul(y); // a cotangent that varies per output
  for (const [w, s, padding] of [
    [2, 2, "VALID"],
    [3, 2, "SAME"],
    [3, 1, "SAME"],
    [2, 1, "VALID"],
  ] as const) {
    it(`max pool ${w}x${w}/${s} ${padding}`, async () => {
      await same(grad((x: Array) => ct(maxPool(x, w, s, padding)).sum()), [x], `grad maxPool ${w}/${s} ${padding}`);
    });
    it(`avg pool ${w}x${w}/${s} ${padding}`, async () => {
      await same(grad((x: Array) => ct(avgPool(x, w, s, padding)).sum()), [x], `grad avgPool ${w}/${s} ${padding}`);
    });
  }
  it("min pool with ties and NaN (first minimal position; NaN propagates)", async () => {
    const t = lax.floor(randn(2, [1, 2, 6, 6]).mul(1.5));
    await same(grad((x: Array) => ct(lax.reduceWindow(x, Infinity, lax.min, [1, 1, 3, 3], [1, 1, 2, 2], "SAME")).sum()), [t], "grad minPool ties");
    const withNan = t.at([0, 0, 2, 3]).set(NaN);
    await same((x: Array) => maxPool(x, 3, 2, "SAME"), [withNan], "maxPool NaN");
  });
});

describe("a CNN training step on onnx", () => {
  it("conv + relu + max pool + dense, jit(valueAndGrad) + SGD: no CPU fallback, same as CPU", async () => {
    // NCHW / OIHW, stride 1, SAME padding.
    const conv = (x: Array, w: Array) => lax.conv(x, w, [1, 1], "SAME");
    const loss = (params: Array[], x: Array, y: Array) => {
      const [w1, w2, wd] = params as [Array, Array, Array];
      let h = maxPool(lax.max(conv(x, w1), 0), 2, 2, "VALID"); // [8, 4, 6, 6]
      h = maxPool(lax.max(conv(h, w2), 0), 3, 2, "SAME"); // [8, 4, 3, 3]
      const logits = h.reshape([8, 36]).matmul(wd); // [8, 10]
      const lse = lax.log(lax.exp(logits).sum(1, { keepdims: true }));
      return logits.sub(lse).mul(y).sum().neg().div(8);
    };
    const step = jit((params: Array[], x: Array, y: Array) => {
      const [l, gs] = valueAndGrad(loss)(params, x, y) as [Array, Array[]];
      return [l, ...params.map((p, i) => p.sub(gs[i]!.mul(0.1)))];
    });
    const params = [randn(3, [4, 1, 3, 3]).mul(0.5), randn(4, [4, 4, 3, 3]).mul(0.3), randn(5, [36, 10]).mul(0.2)];
    const x = randn(6, [8, 1, 12, 12]);
    const labels = random.randint(random.key(7), [8], 0, 10);
    const y = lax.convertElementType(lax.eq(labels.reshape([8, 1]), lax.broadcastedIota("int32", [8, 10], 1)), "float32");
    const want = step(params, x, y) as Array[];
    const got = await noFallback("cnn step", async () => {
      const r = step(toOnnx(params), toOnnx(x), toOnnx(y)) as Array[];
      return Promise.all(r.map(toCpu));
    });
    got.forEach((g, i) => expectClose(g, want[i]!, `cnn step out ${i}`, 16));
  });
});
