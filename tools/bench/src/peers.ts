// jaxts against its peers, side by side in one process run (issue 5):
//   1. matmul 256/1024/2048 float32 (GFLOP/s)
//   2. elementwise chain tanh(x*2+1)*x over 16M floats (ms)
//   3. one jitted SGD step of an MLP 784-256-10, batch 128 (ms/step) + first-call time
//   4. per-call overhead of a tiny jitted function (µs, call + read back)
// on: jaxts CPU, jaxts ONNX (jit + devicePut to "onnx"), raw onnxruntime-node running
// a hand-built graph of the same work, @jax-js/jax (wasm), @tensorflow/tfjs-backend-wasm,
// @tensorflow/tfjs-backend-cpu, and NumPy (a python3 subprocess, when numpy imports).
// Every figure is a median after warm-up; every timed call includes reading the
// result back to JS (an onnxruntime-node session.run always does).
// Prints Markdown tables plus one JSON line, and writes results/peers-<date>.{json,md}.
//
//   pnpm --filter @jaxts/bench peers            (QUICK=1 for a fast smoke run)
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { array, devicePut, jit, lax, tree, valueAndGrad, type Array } from "@jaxts/core";
import { init as initOnnx } from "@jaxts/xla-onnx";
import * as ort from "onnxruntime-node";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  AttributeProto_AttributeType as AT,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType as DT,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from "onnx-buf";
import * as jax from "@jax-js/jax";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { markdownTable, mlpLoss as loss, randn, time, type MlpParams as Params, type Timing } from "./harness.js";

// tfjs-core's Node bundle registers no gradients; its (ESM-syntax) register_all_gradients
// loads through tsx's CommonJS hook and registers into the global gradient registry.
createRequire(import.meta.url)("@tensorflow/tfjs-core/dist/register_all_gradients");

const QUICK = process.env.QUICK === "1";
const IMPLS = ["jaxts-cpu", "jaxts-onnx", "ort-raw", "jax-js-wasm", "tfjs-wasm", "tfjs-cpu", "numpy"] as const;
type Impl = (typeof IMPLS)[number];

interface Result {
  workload: string;
  impl: Impl;
  /** The reported figure (GFLOP/s, ms or µs; see unit). */
  value: number | null;
  unit: string;
  medianMs: number | null;
  minMs: number | null;
  runs: number;
  note?: string;
}
const results: Result[] = [];

const MATMUL_SIZES = [256, 1024, 2048];
const EW_N = 16 * 1024 * 1024;
const BATCH = 128;
const LR = 0.01;

// ---------------------------------------------------------------- timing

/**
 * Median of runs after warm-up. One untimed probe call decides how many runs
 * fit in `budgetMs` (between `minRuns` and `maxRuns`).
 */
async function bench(name: string, fn: () => unknown | Promise<unknown>, opts: { budgetMs?: number; minRuns?: number; maxRuns?: number; warmup?: number } = {}): Promise<Timing> {
  const budget = (opts.budgetMs ?? 3000) * (QUICK ? 0.2 : 1);
  const t0 = performance.now();
  await fn();
  const probe = Math.max(performance.now() - t0, 0.001);
  const warmup = Math.max(0, Math.min(opts.warmup ?? 3, Math.floor(budget / 4 / probe)));
  const runs = Math.max(opts.minRuns ?? 3, Math.min(opts.maxRuns ?? 200, Math.floor(budget / probe)));
  return time(name, fn, { warmup, runs });
}

async function record(workload: string, impl: Impl, unit: string, toValue: (t: Timing) => number, run: () => Promise<Timing>): Promise<void> {
  try {
    const t = await run();
    const prev = results.findIndex((r) => r.workload === workload && r.impl === impl);
    const r: Result = { workload, impl, value: toValue(t), unit, medianMs: t.medianMs, minMs: t.minMs, runs: t.runs };
    // Several passes: keep the pass with the lowest median (load from other processes only slows a pass down).
    if (prev < 0) results.push(r);
    else if (results[prev]!.medianMs === null || t.medianMs < results[prev]!.medianMs!) results[prev] = r;
    process.stderr.write(`  ${workload} / ${impl}: ${toValue(t).toPrecision(4)} ${unit} (median ${t.medianMs.toFixed(3)} ms of ${t.runs})\n`);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 120);
    if (get(workload, impl)) return;
    results.push({ workload, impl, value: null, unit, medianMs: null, minMs: null, runs: 0, note: `error: ${msg}` });
    process.stderr.write(`  ${workload} / ${impl}: ERROR ${msg}\n`);
  }
}

function skip(workload: string, impl: Impl, unit: string, note: string): void {
  if (get(workload, impl)) return;
  results.push({ workload, impl, value: null, unit, medianMs: null, minMs: null, runs: 0, note });
}

/** A one-off figure (first-call time): only the first pass's counts, later passes hit caches. */
function single(workload: string, impl: Impl, ms: number): void {
  if (get(workload, impl)) return;
  results.push({ workload, impl, value: ms, unit: "ms", medianMs: ms, minMs: ms, runs: 1 });
  process.stderr.write(`  ${workload} / ${impl}: ${ms.toFixed(1)} ms\n`);
}

// ---------------------------------------------------------------- data

/** Uniform values in [-1, 1) (cheap for 16M). */
function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

const mlpData = {
  w1: randn(784 * 256, 1, 0.05),
  b1: randn(256, 2, 0.01),
  w2: randn(256 * 10, 3, 0.05),
  b2: randn(10, 4, 0.01),
  x: randn(BATCH * 784, 5, 1),
  onehot: (() => {
    const o = new Float32Array(BATCH * 10);
    for (let i = 0; i < BATCH; i++) o[i * 10 + ((i * 7) % 10)] = 1;
    return o;
  })(),
};
const MLP_SHAPES = { w1: [784, 256], b1: [256], w2: [256, 10], b2: [10], x: [BATCH, 784], onehot: [BATCH, 10] } as const;
type MlpKey = keyof typeof MLP_SHAPES;

// ---------------------------------------------------------------- raw ONNX graphs (onnx-buf)

function vinfo(name: string, dims: readonly number[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: "tensorType",
        value: create(TypeProto_TensorSchema, {
          elemType: DT.FLOAT,
          shape: create(TensorShapeProtoSchema, {
            dim: dims.map((d) => create(TensorShapeProto_DimensionSchema, { value: { case: "dimValue", value: BigInt(d) } })),
          }),
        }),
      },
    }),
  });
}

/** A minimal graph builder: nodes with int / ints attributes, float and int64 constants. */
class G {
  nodes: NodeProto[] = [];
  inits: TensorProto[] = [];
  inputs: ValueInfoProto[] = [];
  outputs: ValueInfoProto[] = [];
  private n = 0;
  input(name: string, dims: readonly number[]): string {
    this.inputs.push(vinfo(name, dims));
    return name;
  }
  output(name: string, dims: readonly number[]): void {
    this.outputs.push(vinfo(name, dims));
  }
  op(opType: string, inputs: string[], attrs: Record<string, number | number[]> = {}, out?: string): string {
    const o = out ?? `t${this.n++}`;
    const attribute: AttributeProto[] = Object.entries(attrs).map(([name, v]) =>
      typeof v === "number"
        ? create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(v) })
        : create(AttributeProtoSchema, { name, type: AT.INTS, ints: v.map((x) => BigInt(x)) }),
    );
    this.nodes.push(create(NodeProtoSchema, { opType, input: inputs, output: [o], name: `n${this.n++}`, attribute }));
    return o;
  }
  f32(v: number): string {
    const name = `c${this.n++}`;
    this.inits.push(create(TensorProtoSchema, { name, dataType: DT.FLOAT, dims: [], floatData: [v] }));
    return name;
  }
  i64(v: number[]): string {
    const name = `c${this.n++}`;
    this.inits.push(create(TensorProtoSchema, { name, dataType: DT.INT64, dims: [BigInt(v.length)], int64Data: v.map((x) => BigInt(x)) }));
    return name;
  }
  bytes(): Uint8Array {
    const graph = create(GraphProtoSchema, { name: "bench", node: this.nodes, input: this.inputs, output: this.outputs, initializer: this.inits });
    const model = create(ModelProtoSchema, {
      irVersion: 10n,
      producerName: "jaxts-bench",
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: "", version: 21n })],
      graph,
    });
    return toBinary(ModelProtoSchema, model);
  }
}

function matmulGraph(n: number): Uint8Array {
  const g = new G();
  g.op("MatMul", [g.input("a", [n, n]), g.input("b", [n, n])], {}, "c");
  g.output("c", [n, n]);
  return g.bytes();
}

/** tanh(x*2+1)*x, or (tiny) x*2+1. */
function elementwiseGraph(n: number, tiny = false): Uint8Array {
  const g = new G();
  const x = g.input("x", [n]);
  const t = g.op("Add", [g.op("Mul", [x, g.f32(2)]), g.f32(1)], {}, tiny ? "y" : undefined);
  if (!tiny) g.op("Mul", [g.op("Tanh", [t]), x], {}, "y");
  g.output("y", [n]);
  return g.bytes();
}

/** The SGD step of the MLP, forward and backward written out by hand. */
function mlpStepGraph(): Uint8Array {
  const g = new G();
  const x = g.input("x", MLP_SHAPES.x);
  const y = g.input("onehot", MLP_SHAPES.onehot);
  const w1 = g.input("w1", MLP_SHAPES.w1);
  const b1 = g.input("b1", MLP_SHAPES.b1);
  const w2 = g.input("w2", MLP_SHAPES.w2);
  const b2 = g.input("b2", MLP_SHAPES.b2);
  const z1 = g.op("Add", [g.op("MatMul", [x, w1]), b1]);
  const h = g.op("Relu", [z1]);
  const logits = g.op("Add", [g.op("MatMul", [h, w2]), b2]);
  const lsm = g.op("LogSoftmax", [logits], { axis: -1 });
  const rowLoss = g.op("ReduceSum", [g.op("Mul", [lsm, y]), g.i64([1])], { keepdims: 0 });
  g.op("Neg", [g.op("ReduceMean", [rowLoss], { keepdims: 0 })], {}, "loss");
  // dlogits = (softmax - onehot) / B
  const dlogits = g.op("Mul", [g.op("Sub", [g.op("Exp", [lsm]), y]), g.f32(1 / BATCH)]);
  const dw2 = g.op("MatMul", [g.op("Transpose", [h], { perm: [1, 0] }), dlogits]);
  const db2 = g.op("ReduceSum", [dlogits, g.i64([0])], { keepdims: 0 });
  const dh = g.op("MatMul", [dlogits, g.op("Transpose", [w2], { perm: [1, 0] })]);
  const dz1 = g.op("Where", [g.op("Greater", [z1, g.f32(0)]), dh, g.f32(0)]);
  const dw1 = g.op("MatMul", [g.op("Transpose", [x], { perm: [1, 0] }), dz1]);
  const db1 = g.op("ReduceSum", [dz1, g.i64([0])], { keepdims: 0 });
  const lr = g.f32(LR);
  for (const [p, d, name] of [
    [w1, dw1, "w1"],
    [b1, db1, "b1"],
    [w2, dw2, "w2"],
    [b2, db2, "b2"],
  ] as const) {
    g.op("Sub", [p, g.op("Mul", [d, lr])], {}, `${name}_new`);
    g.output(`${name}_new`, MLP_SHAPES[name]);
  }
  g.output("loss", []);
  return g.bytes();
}

// ---------------------------------------------------------------- jaxts

function sgdStep(p: Params, x: Array, onehot: Array): [Array, Params] {
  const [l, g] = valueAndGrad(loss)(p, x, onehot) as [Array, Params];
  return [l, tree.map((a: Array, d: Array) => a.sub(d.mul(LR)), p, g) as Params];
}

async function jaxtsSuite(impl: "jaxts-cpu" | "jaxts-onnx", skipSlow = false): Promise<void> {
  const put = (a: Array) => (impl === "jaxts-onnx" ? devicePut(a, "onnx") : a);
  const mk = (data: Float32Array, shape: readonly number[]) => put(array(data).reshape([...shape]));
  const onnx = impl === "jaxts-onnx";

  // matmul
  for (const n of MATMUL_SIZES) {
    const w = `matmul ${n}`;
    if (skipSlow && n >= 1024) continue; // plain-JS matmuls take seconds: one pass is enough
    const a = mk(randn(n * n, 11), [n, n]);
    const b = mk(randn(n * n, 12), [n, n]);
    const f = jit((a: Array, b: Array) => a.matmul(b));
    await record(w, impl, "GFLOP/s", (t) => (2 * n ** 3) / t.medianMs / 1e6, () =>
      // plain-JS kernels on the CPU backend: ~3.5 s per 2048³ product, so the probe call is the only warm-up
      bench(w, () => f(a, b).data(), { budgetMs: n >= 1024 ? 5000 : 2000, minRuns: 3, warmup: !onnx && n >= 2048 ? 0 : 3 }),
    );
  }

  // elementwise
  {
    const w = "tanh(x*2+1)*x 16M";
    const x = mk(uniform(EW_N, 21), [EW_N]);
    const f = jit((x: Array) => lax.tanh(x.mul(2).add(1)).mul(x));
    await record(w, impl, "ms", (t) => t.medianMs, () => bench(w, () => f(x).data(), { budgetMs: 5000, minRuns: 5, maxRuns: 15 }));
  }

  // MLP SGD step: first call, then steady state
  {
    let p: Params = { w1: mk(mlpData.w1, MLP_SHAPES.w1), b1: mk(mlpData.b1, MLP_SHAPES.b1), w2: mk(mlpData.w2, MLP_SHAPES.w2), b2: mk(mlpData.b2, MLP_SHAPES.b2) };
    const x = mk(mlpData.x, MLP_SHAPES.x);
    const y = mk(mlpData.onehot, MLP_SHAPES.onehot);
    const step = jit(sgdStep);
    const once = async () => {
      const [l, np] = step(p, x, y);
      p = np;
      await l.data();
      await p.w1.blockUntilReady();
    };
    const t0 = performance.now();
    await once();
    single("MLP step: first call", impl, performance.now() - t0);
    await record("MLP step", impl, "ms", (t) => t.medianMs, () => bench("MLP step", once, { budgetMs: 4000, minRuns: 10, maxRuns: 200, warmup: 10 }));
  }

  // tiny call
  {
    const w = "tiny jit call";
    const x = mk(new Float32Array([1, 2, 3, 4]), [4]);
    const f = jit((x: Array) => x.mul(2).add(1));
    await record(w, impl, "µs", (t) => t.medianMs * 1000, () => bench(w, () => f(x).data(), { budgetMs: 2000, minRuns: 50, maxRuns: 3000, warmup: 50 }));
  }
}

// ---------------------------------------------------------------- raw onnxruntime-node

async function ortSuite(): Promise<void> {
  const impl = "ort-raw";
  const T = (data: Float32Array, dims: readonly number[]) => new ort.Tensor("float32", data, [...dims]);
  for (const n of MATMUL_SIZES) {
    const w = `matmul ${n}`;
    const s = await ort.InferenceSession.create(matmulGraph(n));
    const feeds = { a: T(randn(n * n, 11), [n, n]), b: T(randn(n * n, 12), [n, n]) };
    await record(w, impl, "GFLOP/s", (t) => (2 * n ** 3) / t.medianMs / 1e6, () => bench(w, () => s.run(feeds), { budgetMs: n >= 1024 ? 5000 : 2000, minRuns: 3 }));
    await s.release();
  }
  {
    const w = "tanh(x*2+1)*x 16M";
    const s = await ort.InferenceSession.create(elementwiseGraph(EW_N));
    const feeds = { x: T(uniform(EW_N, 21), [EW_N]) };
    await record(w, impl, "ms", (t) => t.medianMs, () => bench(w, () => s.run(feeds), { budgetMs: 5000, minRuns: 5, maxRuns: 15 }));
    await s.release();
  }
  {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(mlpStepGraph());
    let feeds: Record<string, ort.Tensor> = {};
    for (const k of Object.keys(MLP_SHAPES) as MlpKey[]) feeds[k] = T(mlpData[k], MLP_SHAPES[k]);
    const once = async () => {
      const out = await s.run(feeds);
      feeds = { x: feeds.x!, onehot: feeds.onehot!, w1: out.w1_new!, b1: out.b1_new!, w2: out.w2_new!, b2: out.b2_new! };
      return out.loss!.data;
    };
    await once();
    single("MLP step: first call", impl, performance.now() - t0);
    await record("MLP step", impl, "ms", (t) => t.medianMs, () => bench("MLP step", once, { budgetMs: 4000, minRuns: 10, maxRuns: 200, warmup: 10 }));
    await s.release();
  }
  {
    const w = "tiny jit call";
    const s = await ort.InferenceSession.create(elementwiseGraph(4, true));
    const feeds = { x: T(new Float32Array([1, 2, 3, 4]), [4]) };
    await record(w, impl, "µs", (t) => t.medianMs * 1000, () => bench(w, () => s.run(feeds), { budgetMs: 2000, minRuns: 50, maxRuns: 3000, warmup: 50 }));
    await s.release();
  }
}

// ---------------------------------------------------------------- @jax-js/jax (wasm)

async function jaxjsSuite(): Promise<void> {
  const impl = "jax-js-wasm";
  const np = jax.numpy;
  await jax.init("cpu", "wasm");
  jax.defaultDevice("wasm");
  const mk = (data: Float32Array, shape: readonly number[]) => np.array(data, { shape: [...shape] });
  // jax-js consumes the arguments of every function (x.ref keeps one) and data() reads the result.
  for (const n of MATMUL_SIZES) {
    const w = `matmul ${n}`;
    const a = mk(randn(n * n, 11), [n, n]);
    const b = mk(randn(n * n, 12), [n, n]);
    const f = jax.jit((a: jax.Array, b: jax.Array) => np.matmul(a, b));
    await record(w, impl, "GFLOP/s", (t) => (2 * n ** 3) / t.medianMs / 1e6, () =>
      bench(w, () => f(a.ref, b.ref).data(), { budgetMs: n >= 2048 ? 6000 : 3000, minRuns: 3, warmup: n >= 2048 ? 1 : 3 }),
    );
    a.dispose();
    b.dispose();
    f.dispose();
  }
  {
    const w = "tanh(x*2+1)*x 16M";
    const x = mk(uniform(EW_N, 21), [EW_N]);
    const f = jax.jit((x: jax.Array) => np.multiply(np.tanh(np.add(np.multiply(x.ref, 2), 1)), x));
    await record(w, impl, "ms", (t) => t.medianMs, () => bench(w, () => f(x.ref).data(), { budgetMs: 5000, minRuns: 5, maxRuns: 15 }));
    x.dispose();
    f.dispose();
  }
  {
    const jloss = (p: Record<string, jax.Array>, x: jax.Array, y: jax.Array) => {
      const h = jax.nn.relu(np.add(np.matmul(x, p.w1!), p.b1!));
      const logits = np.add(np.matmul(h, p.w2!), p.b2!);
      return np.negative(np.mean(np.sum(np.multiply(jax.nn.logSoftmax(logits, -1), y), -1)));
    };
    const step = jax.jit((p: Record<string, jax.Array>, x: jax.Array, y: jax.Array) => {
      const [l, g] = jax.valueAndGrad(jloss)(jax.tree.ref(p), x, y) as [jax.Array, Record<string, jax.Array>];
      const np2: Record<string, jax.Array> = {};
      for (const k of Object.keys(p)) np2[k] = np.subtract(p[k]!, np.multiply(g[k]!, LR));
      return [l, np2] as [jax.Array, Record<string, jax.Array>];
    });
    let p: Record<string, jax.Array> = { w1: mk(mlpData.w1, MLP_SHAPES.w1), b1: mk(mlpData.b1, MLP_SHAPES.b1), w2: mk(mlpData.w2, MLP_SHAPES.w2), b2: mk(mlpData.b2, MLP_SHAPES.b2) };
    const x = mk(mlpData.x, MLP_SHAPES.x);
    const y = mk(mlpData.onehot, MLP_SHAPES.onehot);
    const once = async () => {
      const [l, np2] = step(p, x.ref, y.ref);
      p = np2;
      await jax.blockUntilReady(p);
      return l.data();
    };
    try {
      const t0 = performance.now();
      await once();
      single("MLP step: first call", impl, performance.now() - t0);
      await record("MLP step", impl, "ms", (t) => t.medianMs, () => bench("MLP step", once, { budgetMs: 4000, minRuns: 10, maxRuns: 200, warmup: 10 }));
    } catch (e) {
      skip("MLP step", impl, "ms", `error: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  {
    const w = "tiny jit call";
    const x = mk(new Float32Array([1, 2, 3, 4]), [4]);
    const f = jax.jit((x: jax.Array) => np.add(np.multiply(x, 2), 1));
    await record(w, impl, "µs", (t) => t.medianMs * 1000, () => bench(w, () => f(x.ref).data(), { budgetMs: 2000, minRuns: 50, maxRuns: 3000, warmup: 50 }));
  }
}

// ---------------------------------------------------------------- TensorFlow.js (wasm, cpu)

async function tfjsSuite(backend: "wasm" | "cpu", skipSlow = false): Promise<void> {
  const impl: Impl = backend === "wasm" ? "tfjs-wasm" : "tfjs-cpu";
  await tf.setBackend(backend);
  await tf.ready();
  const mk = (data: Float32Array, shape: readonly number[]) => tf.tensor(data, [...shape], "float32");
  const readDispose = async (t: tf.Tensor) => {
    const d = await t.data();
    t.dispose();
    return d;
  };
  for (const n of MATMUL_SIZES) {
    const w = `matmul ${n}`;
    if (backend === "cpu" && n >= 2048) {
      skip(w, impl, "GFLOP/s", "skipped: ~0.9 GFLOP/s, ~19 s per 2048³ product");
      continue;
    }
    if (skipSlow && n >= 1024) continue; // ~2.4 s per 1024³ product: one pass is enough
    const a = mk(randn(n * n, 11), [n, n]);
    const b = mk(randn(n * n, 12), [n, n]);
    await record(w, impl, "GFLOP/s", (t) => (2 * n ** 3) / t.medianMs / 1e6, () =>
      bench(w, () => readDispose(tf.matMul(a, b)), { budgetMs: n >= 1024 ? 5000 : 2000, minRuns: 3, warmup: n >= 1024 ? 1 : 3 }),
    );
    a.dispose();
    b.dispose();
  }
  {
    const w = "tanh(x*2+1)*x 16M";
    const x = mk(uniform(EW_N, 21), [EW_N]);
    await record(w, impl, "ms", (t) => t.medianMs, () => bench(w, () => readDispose(tf.tidy(() => tf.mul(tf.tanh(tf.add(tf.mul(x, 2), 1)), x))), { budgetMs: 5000, minRuns: 5, maxRuns: 15 }));
    x.dispose();
  }
  {
    // tfjs has no jit: optimizer.minimize over tf.variableGrads, one step per call.
    const vars = {
      w1: tf.variable(mk(mlpData.w1, MLP_SHAPES.w1)),
      b1: tf.variable(mk(mlpData.b1, MLP_SHAPES.b1)),
      w2: tf.variable(mk(mlpData.w2, MLP_SHAPES.w2)),
      b2: tf.variable(mk(mlpData.b2, MLP_SHAPES.b2)),
    };
    const x = mk(mlpData.x, MLP_SHAPES.x);
    const y = mk(mlpData.onehot, MLP_SHAPES.onehot);
    const opt = tf.train.sgd(LR);
    const once = async () => {
      const l = opt.minimize(() => {
        const h = tf.relu(tf.add(tf.matMul(x, vars.w1), vars.b1));
        const logits = tf.add(tf.matMul(h, vars.w2), vars.b2);
        return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), y), -1))) as tf.Scalar;
      }, true)!;
      return readDispose(l);
    };
    try {
      const t0 = performance.now();
      await once();
      single("MLP step: first call", impl, performance.now() - t0);
      await record("MLP step", impl, "ms", (t) => t.medianMs, () => bench("MLP step", once, { budgetMs: 4000, minRuns: 10, maxRuns: 200, warmup: 5 }));
    } catch (e) {
      skip("MLP step", impl, "ms", `error: ${(e as Error).message.split("\n")[0]}`);
    }
    for (const v of Object.values(vars)) v.dispose();
    x.dispose();
    y.dispose();
  }
  {
    const w = "tiny jit call";
    const x = mk(new Float32Array([1, 2, 3, 4]), [4]);
    await record(w, impl, "µs", (t) => t.medianMs * 1000, () =>
      bench(w, () => readDispose(tf.tidy(() => tf.add(tf.mul(x, 2), 1))), { budgetMs: 2000, minRuns: 50, maxRuns: 3000, warmup: 50 }),
    );
    x.dispose();
  }
}

// ---------------------------------------------------------------- NumPy (python3 subprocess)

const NUMPY_SCRIPT = String.raw`
import json, sys, time
import numpy as np
quick = sys.argv[1] == "1"
B, LR = 128, 0.01
def bench(fn, budget=3.0, min_runs=3, max_runs=200, warmup=3):
    budget *= 0.2 if quick else 1
    t0 = time.perf_counter(); fn(); probe = max(time.perf_counter() - t0, 1e-6)
    for _ in range(max(0, min(warmup, int(budget / 4 / probe)))): fn()
    runs = max(min_runs, min(max_runs, int(budget / probe)))
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return {"medianMs": ts[len(ts) // 2], "minMs": ts[0], "runs": runs}
rng = np.random.default_rng(0)
out = {"version": np.__version__}
for n in (256, 1024, 2048):
    a = rng.standard_normal((n, n), dtype=np.float32); b = rng.standard_normal((n, n), dtype=np.float32)
    out["matmul %d" % n] = bench(lambda: a @ b, budget=5.0 if n >= 1024 else 2.0)
x = rng.uniform(-1, 1, 16 * 1024 * 1024).astype(np.float32)
out["tanh(x*2+1)*x 16M"] = bench(lambda: np.tanh(x * 2 + 1) * x, budget=5.0, min_runs=5, max_runs=15)
p = {"w1": rng.standard_normal((784, 256), dtype=np.float32) * 0.05, "b1": np.zeros(256, np.float32),
     "w2": rng.standard_normal((256, 10), dtype=np.float32) * 0.05, "b2": np.zeros(10, np.float32)}
xb = rng.standard_normal((B, 784), dtype=np.float32)
y = np.zeros((B, 10), np.float32); y[np.arange(B), (np.arange(B) * 7) % 10] = 1
def step():
    z1 = xb @ p["w1"] + p["b1"]; h = np.maximum(z1, 0); logits = h @ p["w2"] + p["b2"]
    m = logits.max(1, keepdims=True); e = np.exp(logits - m); s = e.sum(1, keepdims=True)
    loss = float(-(((logits - m - np.log(s)) * y).sum(1)).mean())
    dl = (e / s - y) / B
    dw2 = h.T @ dl; db2 = dl.sum(0); dz1 = (dl @ p["w2"].T) * (z1 > 0)
    dw1 = xb.T @ dz1; db1 = dz1.sum(0)
    for k, g in (("w1", dw1), ("b1", db1), ("w2", dw2), ("b2", db2)): p[k] = p[k] - LR * g
    return loss
out["MLP step"] = bench(step, budget=4.0, min_runs=10, warmup=10)
xt = np.array([1, 2, 3, 4], np.float32)
out["tiny jit call"] = bench(lambda: xt * 2 + 1, budget=2.0, min_runs=50, max_runs=3000, warmup=50)
print(json.dumps(out))
`;

/** The Python to run NumPy with (`PYTHON=...`; default python3 on PATH). */
const PYTHON = process.env.PYTHON ?? "python3";

function numpySuite(): void {
  const impl = "numpy";
  const probe = spawnSync(PYTHON, ["-c", "import numpy"], { encoding: "utf8" });
  if (probe.status !== 0) {
    for (const w of [...MATMUL_SIZES.map((n) => `matmul ${n}`), "tanh(x*2+1)*x 16M", "MLP step", "tiny jit call"]) skip(w, impl, "", `skipped: ${PYTHON} with numpy not found`);
    return;
  }
  const r = spawnSync(PYTHON, ["-c", NUMPY_SCRIPT, QUICK ? "1" : "0"], { encoding: "utf8", maxBuffer: 1 << 20, timeout: 180_000 });
  if (r.status !== 0) {
    skip("matmul 256", impl, "", `error: ${r.stderr.split("\n").filter(Boolean).pop()}`);
    return;
  }
  const out = JSON.parse(r.stdout) as Record<string, { medianMs: number; minMs: number; runs: number }> & { version: string };
  numpyVersion = out.version;
  for (const n of MATMUL_SIZES) {
    const t = out[`matmul ${n}`]!;
    results.push({ workload: `matmul ${n}`, impl, value: (2 * n ** 3) / t.medianMs / 1e6, unit: "GFLOP/s", ...t });
  }
  const ew = out["tanh(x*2+1)*x 16M"]!;
  results.push({ workload: "tanh(x*2+1)*x 16M", impl, value: ew.medianMs, unit: "ms", ...ew });
  const mlp = out["MLP step"]!;
  results.push({ workload: "MLP step", impl, value: mlp.medianMs, unit: "ms", ...mlp, note: "hand-written backward, not jitted" });
  const tiny = out["tiny jit call"]!;
  results.push({ workload: "tiny jit call", impl, value: tiny.medianMs * 1000, unit: "µs", ...tiny, note: "eager x*2+1, no jit" });
  process.stderr.write(`  numpy ${out.version}: done\n`);
}
let numpyVersion: string | null = null;
let passesRun = 1;

// ---------------------------------------------------------------- report

const WORKLOADS: { name: string; unit: string; higherIsBetter: boolean }[] = [
  ...MATMUL_SIZES.map((n) => ({ name: `matmul ${n}`, unit: "GFLOP/s", higherIsBetter: true })),
  { name: "tanh(x*2+1)*x 16M", unit: "ms", higherIsBetter: false },
  { name: "MLP step", unit: "ms", higherIsBetter: false },
  { name: "MLP step: first call", unit: "ms", higherIsBetter: false },
  { name: "tiny jit call", unit: "µs", higherIsBetter: false },
];

function get(workload: string, impl: Impl): Result | undefined {
  return results.find((r) => r.workload === workload && r.impl === impl);
}

/** Time of impl over time of the reference (> 1: impl is slower). */
function timeRatio(workload: string, impl: Impl, ref: Impl): number | null {
  const a = get(workload, impl)?.medianMs;
  const b = get(workload, ref)?.medianMs;
  return a != null && b != null ? a / b : null;
}

function report(): { md: string; targets: { target: string; measured: string; met: boolean | null }[] } {
  const cell = (r: Result | undefined) => (r === undefined ? "–" : r.value === null ? (r.note?.startsWith("error") ? "error" : "skipped") : r.value);
  const figures = markdownTable(
    WORKLOADS.map((w) => [`${w.name} (${w.unit}${w.higherIsBetter ? ", higher is better" : ""})`, ...IMPLS.map((i) => cell(get(w.name, i)))]),
    ["workload", ...IMPLS],
  );
  const ratios = (ref: Impl) =>
    markdownTable(
      WORKLOADS.map((w) => [w.name, ...IMPLS.map((i) => timeRatio(w.name, i, ref) ?? "–")]),
      ["time ÷ " + ref + " time (> 1: slower than " + ref + ")", ...IMPLS],
    );
  const notes = results.filter((r) => r.note).map((r) => `- ${r.workload} / ${r.impl}: ${r.note}`);

  const mm = (i: Impl) => get("matmul 1024", i)?.value ?? null;
  const fmt = (v: number | null, d = 2) => (v === null ? "n/a" : v.toFixed(d));
  const t1 = mm("jaxts-onnx") !== null && mm("ort-raw") !== null ? mm("jaxts-onnx")! / mm("ort-raw")! : null;
  const t2 = mm("jaxts-onnx") !== null && mm("jax-js-wasm") !== null ? mm("jaxts-onnx")! / mm("jax-js-wasm")! : null;
  const t3 = timeRatio("MLP step", "jaxts-onnx", "jax-js-wasm");
  const t4 = get("MLP step: first call", "jaxts-onnx")?.value ?? null;
  const t5 = timeRatio("tiny jit call", "jaxts-onnx", "ort-raw");
  const targets = [
    { target: "matmul 1024: jaxts-onnx ≥ 0.9× raw ORT (GFLOP/s)", measured: `${fmt(t1)}×`, met: t1 === null ? null : t1 >= 0.9 },
    { target: "matmul 1024: jaxts-onnx ≥ 5× jax-js (GFLOP/s)", measured: `${fmt(t2)}×`, met: t2 === null ? null : t2 >= 5 },
    { target: "MLP step: jaxts-onnx ≤ 0.3× jax-js jitted step (time)", measured: `${fmt(t3)}×`, met: t3 === null ? null : t3 <= 0.3 },
    { target: "MLP step: jaxts-onnx first call ≤ 150 ms", measured: `${fmt(t4, 1)} ms`, met: t4 === null ? null : t4 <= 150 },
    { target: "tiny call: jaxts-onnx ≤ 2× raw session.run (time)", measured: `${fmt(t5)}×`, met: t5 === null ? null : t5 <= 2 },
  ];
  const targetTable = markdownTable(
    targets.map((t) => [t.target, t.measured, t.met === null ? "n/a" : t.met ? "met" : "NOT met"]),
    ["target (issue 5)", "measured", "status"],
  );
  const md = [
    `## jaxts vs peers (${new Date().toISOString().slice(0, 10)})`,
    "",
    `Machine: ${machine()}`,
    "",
    `Medians after warm-up (best of ${passesRun} passes per figure; first calls from the first pass); every timed call includes reading the result back to JS.`,
    "",
    figures,
    "",
    ratios("jaxts-onnx"),
    "",
    ratios("jaxts-cpu"),
    "",
    targetTable,
    "",
    ...(notes.length ? ["Notes:", "", ...notes, ""] : []),
  ].join("\n");
  return { md, targets };
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}-${os.arch()}; onnxruntime-node ${ort.env.versions.node ?? "?"}, @jax-js/jax 0.1.25, tfjs ${tf.version_core}${numpyVersion ? `, numpy ${numpyVersion}` : ""}`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  // ONLY=jaxts-onnx,ort-raw runs a subset (for debugging; results are then not written).
  const only = process.env.ONLY?.split(",");
  const on = (i: Impl) => !only || only.includes(i);
  if (on("numpy")) {
    process.stderr.write("numpy...\n");
    numpySuite();
  }
  // PASSES (default 2) runs every JS suite that many times in turn and keeps each
  // figure's best pass: this 2-core machine is shared, and other processes' load
  // only ever slows a pass down.
  const passes = Number(process.env.PASSES ?? (QUICK ? 1 : 2));
  for (let pass = 1; pass <= passes; pass++) {
    process.stderr.write(`pass ${pass} of ${passes}\n`);
    if (on("ort-raw")) {
      process.stderr.write("raw onnxruntime-node...\n");
      await ortSuite();
    }
    if (on("jaxts-onnx")) {
      process.stderr.write("jaxts onnx...\n");
      await initOnnx({ setDefault: false, executionProviders: ["cpu"] });
      await jaxtsSuite("jaxts-onnx");
    }
    if (on("jax-js-wasm")) {
      process.stderr.write("jax-js...\n");
      await jaxjsSuite();
    }
    if (on("jaxts-cpu")) {
      process.stderr.write("jaxts cpu...\n");
      await jaxtsSuite("jaxts-cpu", pass > 1);
    }
    if (on("tfjs-wasm")) {
      process.stderr.write("tfjs-wasm...\n");
      await tfjsSuite("wasm");
    }
    if (on("tfjs-cpu")) {
      process.stderr.write("tfjs-cpu...\n");
      await tfjsSuite("cpu", pass > 1);
    }
  }
  passesRun = passes;

  const { md, targets } = report();
  const totalS = (performance.now() - t0) / 1000;
  console.log(md);
  const json = { bench: "peers", date: new Date().toISOString(), machine: machine(), quick: QUICK, totalSeconds: totalS, results, targets };
  console.log(JSON.stringify(json));
  if (!QUICK && !only) {
    const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().slice(0, 10);
    writeFileSync(join(dir, `peers-${stamp}.json`), JSON.stringify(json, null, 2) + "\n");
    writeFileSync(join(dir, `peers-${stamp}.md`), md + `\nTotal run time: ${totalS.toFixed(0)} s.\n`);
  }
  process.stderr.write(`done in ${totalS.toFixed(0)} s\n`);
}

try {
  await main();
} catch (e) {
  // tfjs-backend-wasm's emscripten module rethrows uncaught errors with its whole source; print ours first.
  console.error(e);
  process.exit(1);
}
