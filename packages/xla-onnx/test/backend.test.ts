// The ONNX backend as a backend: jit through one session, grad/vmap of jitted
// functions, asynchronous dispatch, the structural session cache, execution
// provider fallback, CPU fallback for unlowered primitives, errors, exportOnnx.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { array, devicePut, grad, jit, lax, makeJaxpr, random, valueAndGrad, vmap, type Array } from "@jaxts/core";
import { fromBinary } from "@bufbuild/protobuf";
import { ModelProtoSchema } from "onnx-buf";
import { ort } from "../src/ort.js";
import { OnnxBackend, backendInfo, exportOnnx, init, lowerings } from "../src/index.js";
import { allToCpu, expectClose, onnx, toCpu, toOnnx } from "./harness.js";

let b: OnnxBackend;
beforeAll(async () => {
  b = await onnx();
});

const randn = (seed: number, shape: number[], dtype = "float32") => random.normal(random.key(seed), shape, dtype as any);

function mlp(params: { w1: Array; b1: Array; w2: Array; b2: Array }, x: Array): Array {
  const h = lax.tanh(x.matmul(params.w1).add(params.b1));
  return h.matmul(params.w2).add(params.b2);
}
const loss = (params: any, x: Array, y: Array) => {
  const d = mlp(params, x).sub(y);
  return d.mul(d).mean();
};

describe("jit on onnx", () => {
  it("lowers a whole jitted function to one session and equals the CPU result", async () => {
    const f = jit((x: Array, y: Array) => lax.tanh(x.mul(2).add(1)).mul(x).add(y.sum(0)));
    const x = randn(0, [4, 5]);
    const y = randn(1, [3, 5]);
    const want = f(x, y);
    const before = b.info().sessions;
    const [xo, yo] = toOnnx([x, y]);
    const got = f(xo!, yo!);
    expect(got.backend.name).toBe("onnx");
    expectClose(await toCpu(got), want, "jit");
    expect(b.info().sessions - before).toBe(1);
    expect(b.info().cpuFallbacks).toBe(0);
  });

  it("results are computed when the call returns: synchronous and asynchronous reads both work", async () => {
    const x = devicePut(array([1, 2, 3], { dtype: "float32" }), "onnx");
    const f = jit((a: Array) => a.mul(a));
    const y = f(f(f(x)));
    expect(y.tolist()).toEqual([1, 256, 6561]);
    expect([...(await y.data())]).toEqual([1, 256, 6561]);
    await expect(y.blockUntilReady()).resolves.toBe(y);
  });

  it("eager control flow reads values on the onnx backend (JS if, lax.cond, whileLoop)", () => {
    const x = devicePut(array([1, 2, 3], { dtype: "float32" }), "onnx");
    const s = x.sum();
    expect((s.item() as number) > 5 ? "big" : "small").toBe("big");
    const c = lax.cond(s.gt(5), (a: Array) => a.mul(2), (a: Array) => a.neg(), x);
    expect(c.backend.name).toBe("onnx");
    expect(c.tolist()).toEqual([2, 4, 6]);
    const w = lax.whileLoop((a: Array) => a.sum().lt(100), (a: Array) => a.mul(2), x);
    expect(w.tolist()).toEqual([32, 64, 96]);
  });

  it("a disposed array says so", () => {
    const x = devicePut(array([1, 2], { dtype: "float32" }), "onnx");
    const y = x.mul(2);
    y.dispose();
    expect(() => y.dataSync()).toThrow(/dispose/);
    expect(x.tolist()).toEqual([1, 2]);
  });

  it("grad, valueAndGrad and vmap of jitted functions equal the CPU results", async () => {
    const params = { w1: randn(2, [6, 8]), b1: randn(3, [8]), w2: randn(4, [8, 2]), b2: randn(5, [2]) };
    const x = randn(6, [10, 6]);
    const y = randn(7, [10, 2]);
    const g = jit(grad(loss));
    const want = g(params, x, y);
    const got = g(...toOnnx([params, x, y] as const));
    for (const k of ["w1", "b1", "w2", "b2"] as const) expectClose(await toCpu(got[k]), want[k], `grad ${k}`, 16);

    const gj = grad(jit(loss));
    const got2 = gj(...toOnnx([params, x, y] as const));
    for (const k of ["w1", "b1", "w2", "b2"] as const) expectClose(await toCpu(got2[k]), want[k], `grad(jit) ${k}`, 16);

    const [v, gv] = valueAndGrad(jit(loss))(...toOnnx([params, x, y] as const));
    expectClose(await toCpu(v), loss(params, x, y), "value", 8);
    expectClose(await toCpu(gv.w2), want.w2, "valueAndGrad w2", 16);

    const per = (p: typeof params) => vmap(jit((xi: Array) => mlp(p, xi.reshape(1, 6)).sum()));
    expectClose(await toCpu(per(toOnnx(params))(toOnnx(x))), per(params)(x), "vmap(jit)", 8);
    const vj = jit(vmap((xi: Array, yi: Array) => lax.dot(xi, yi)));
    const a = randn(8, [5, 3]);
    const c = randn(9, [5, 3]);
    const [ao, co] = toOnnx([a, c]);
    expectClose(await toCpu(vj(ao!, co!)), vj(a, c), "jit(vmap)", 8);
  });

  it("a jitted SGD step runs on onnx and matches CPU", async () => {
    const params = { w1: randn(12, [6, 8]), b1: randn(13, [8]), w2: randn(14, [8, 2]), b2: randn(15, [2]) };
    const x = randn(16, [10, 6]);
    const y = randn(17, [10, 2]);
    const step = jit((p: any, xb: Array, yb: Array) => {
      const gr = grad(loss)(p, xb, yb);
      return Object.fromEntries(Object.keys(p).map((k) => [k, p[k].sub(gr[k].mul(0.1))]));
    });
    let pc: any = params;
    let po: any = toOnnx(params);
    for (let i = 0; i < 3; i++) {
      pc = step(pc, x, y);
      po = step(po, toOnnx(x), toOnnx(y));
    }
    for (const k of Object.keys(params)) expectClose(await toCpu(po[k]), pc[k], `sgd ${k}`, 32);
  });

  it("literal outputs, inputs returned as outputs, and dropped outputs", async () => {
    const f = jit((x: Array, y: Array) => [x, lax.add(x, 1), y.mul(0).add(3)]);
    const [x0, x1, y3] = f(toOnnx(array([1, 2], { dtype: "float32" })), toOnnx(array([5], { dtype: "int32" })));
    const got = await allToCpu([x0!, x1!, y3!]);
    expect(got.map((a) => a.tolist())).toEqual([[1, 2], [2, 3], [3]]);
    const id = jit((x: Array) => x);
    const xo = toOnnx(array([7], { dtype: "float32" }));
    const yo = id(xo);
    xo.dispose();
    expect(await yo.data()).toEqual(Float32Array.of(7));
  });

  it("iota and other operand-free equations run inside the graph", async () => {
    const f = jit((x: Array) => x.add(lax.broadcastedIota("float32", [2, 3], 1)));
    const x = array([[1, 1, 1], [2, 2, 2]], { dtype: "float32" });
    expect((await toCpu(f(toOnnx(x)))).tolist()).toEqual([[1, 2, 3], [2, 3, 4]]);
    const g = jit((x: Array) => x.add(lax.iota("int32", 100).astype("float32").sum()));
    expect((await toCpu(g(toOnnx(array([1], { dtype: "float32" }))))).tolist()).toEqual([4951]);
  });
});

describe("session cache", () => {
  it("reuses one session for structurally equal Jaxprs (new objects, same program)", async () => {
    const mk = () => jit((x: Array) => lax.exp(x).mul(3).sub(x));
    const x = toOnnx(randn(20, [7]));
    await mk()(x).data();
    const s0 = b.info();
    await mk()(x).data(); // a fresh jit: a new Jaxpr object, the same structure
    const s1 = b.info();
    expect(s1.sessions).toBe(s0.sessions);
    expect(s1.cacheHits).toBeGreaterThan(s0.cacheHits);
    // A different shape is a different program.
    await mk()(toOnnx(randn(21, [8]))).data();
    expect(b.info().sessions).toBe(s1.sessions + 1);
  });

  it("eager ops are cached one-equation programs", async () => {
    const x = toOnnx(randn(22, [5]));
    await lax.cos(x).data();
    const s = b.info().sessions;
    await lax.cos(lax.cos(x)).data();
    expect(b.info().sessions).toBe(s);
  });
});

describe("CPU fallback for primitives without a lowering", () => {
  it("runs the equation on the CPU backend inside the program, with a one-time warning", async () => {
    // Take lgamma's lowering away for this test (whatever lowers today).
    const rule = lowerings.get(lax.lgammaP);
    lowerings.delete(lax.lgammaP);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const before = b.info().cpuFallbacks;
    const f = jit((x: Array) => lax.lgamma(lax.exp(x)).add(x));
    const x = randn(30, [6]);
    const got = await toCpu(f(toOnnx(x)));
    expectClose(got, f(x), "lgamma fallback", 4);
    f(toOnnx(randn(31, [6])));
    const msgs = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("lgamma"));
    expect(msgs.length).toBeLessThanOrEqual(1);
    expect(b.info().cpuFallbacks).toBe(before + 1);
    warn.mockRestore();
    if (rule) lowerings.set(lax.lgammaP, rule);
  });
});

describe("execution providers", () => {
  it("falls back to ['cpu'] when the CUDA provider cannot load, and says so", async () => {
    const supported = ort.listSupportedBackends?.() ?? [];
    const cuda = supported.find((x: { name: string }) => x.name === "cuda");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const ob = await init({ name: "onnx-cuda-probe", setDefault: false });
    warn.mockRestore();
    const info = backendInfo("onnx-cuda-probe");
    expect(info.requestedProviders).toEqual(["cuda", "cpu"]);
    if (!cuda?.bundled) {
      // No CUDA provider libraries here: one fallback, remembered.
      expect(info.executionProviders).toEqual(["cpu"]);
      expect(info.fallbackReason).toMatch(/cuda|shared library|provider/i);
    }
    const x = devicePut(array([1, 2], { dtype: "float32" }), ob);
    expect([...(await lax.mul(x, x).data())]).toEqual([1, 4]);
    expect(ob.info().executionProviders).toEqual(info.executionProviders);
    expect(await init({ name: "onnx-cuda-probe" })).toBe(ob);
  });

  it("backendInfo names the backend that is not initialized", () => {
    expect(() => backendInfo("nope")).toThrow(/not initialized/);
  });
});

describe("errors", () => {
  it("bad input is rejected before any work, naming the op", () => {
    const x = toOnnx(randn(40, [2, 3]));
    const y = toOnnx(randn(41, [4, 5]));
    expect(() => lax.dotGeneral(x, y, [[[1], [0]], [[], []]])).toThrow(/\[dot_general\]/);
    expect(() => lax.add(x, y)).toThrow(/\[add\]/);
  });

  it("a model ONNX Runtime refuses throws, and leaves the cache usable", async () => {
    const bad = new OnnxBackend({ executionProviders: ["cpu"] });
    // Garbage bytes.
    expect(() => bad.createSession(new Uint8Array([1, 2, 3]), ["y"])).toThrow();
    const x = toOnnx(randn(42, [3]));
    expect((await toCpu(lax.neg(x))).shape).toEqual([3]);
  });
});

describe("exportOnnx", () => {
  it("exports a function as ONNX bytes that run in a fresh session", async () => {
    const w = randn(50, [4, 3]);
    const f = (x: Array) => lax.tanh(x.matmul(w)).sum(1);
    const x = randn(51, [5, 4]);
    const bytes = exportOnnx(f, [x], { inputNames: ["input"], outputNames: ["score"] });
    expect(bytes).toBeInstanceOf(Uint8Array);
    const s = await ort.InferenceSession.create(bytes, { executionProviders: ["cpu"] });
    expect(s.inputNames).toEqual(["input"]);
    expect(s.outputNames).toEqual(["score"]);
    const out = await s.run({ input: new ort.Tensor("float32", x.dataSync() as Float32Array, [5, 4]) });
    const want = f(x);
    const got = array(globalThis.Array.from(out.score!.data as Float32Array), { dtype: "float32" });
    expectClose(got, want, "exported", 8);
    await s.release();
  });

  it("closed-over arrays become initializers of the exported graph; small constants stay Constant nodes", async () => {
    const w = randn(54, [3, 2]);
    const big = randn(55, [600]);
    const f = (x: Array) => x.matmul(w).sum().add(big.sum()).mul(2);
    const bytes = exportOnnx(f, [randn(56, [4, 3])]);
    const model = fromBinary(ModelProtoSchema, bytes);
    const inits = model.graph!.initializer;
    expect(inits.map((t) => t.dims.map(Number))).toEqual(expect.arrayContaining([[3, 2], [600]]));
    expect(model.graph!.node.filter((n) => n.opType === "Constant").every((n) => n.attribute[0]!.t!.dims.reduce((a, d) => a * Number(d), 1) <= 256)).toBe(true);
    const s = await ort.InferenceSession.create(bytes, { executionProviders: ["cpu"] });
    const x = randn(56, [4, 3]);
    const out = await s.run({ x0: new ort.Tensor("float32", x.dataSync() as Float32Array, [4, 3]) });
    expectClose(array(out.y0!.data as Float32Array, { dtype: "float32" }).reshape(), f(x), "exported with initializers", 8);
    await s.release();
  });

  it("refuses a function with an equation it cannot lower", () => {
    const rule = lowerings.get(lax.lgammaP);
    lowerings.delete(lax.lgammaP);
    try {
      expect(() => exportOnnx((x: Array) => lax.lgamma(x), [randn(52, [3])])).toThrow(/\[exportOnnx\] cannot export: .*lgamma/);
    } finally {
      if (rule) lowerings.set(lax.lgammaP, rule);
    }
  });

  it("makeJaxpr still prints the program it exports", () => {
    expect(makeJaxpr((x: Array) => lax.sin(x))(randn(53, [2])).toString()).toContain("sin");
  });
});
