// The module system: init/apply purity, collections and mutability, rngs,
// BatchNorm statistics, Dropout, gradients, jit and vmap of apply, summaries, errors.
import { describe, expect, it } from "vitest";
import { Array, grad, jit, random, tree, valueAndGrad, vmap } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import {
  BatchNorm,
  Conv,
  Dense,
  DenseGeneral,
  Dropout,
  Embed,
  GRUCell,
  LayerNorm,
  LSTMCell,
  MLP,
  MultiHeadAttention,
  Module,
  RNN,
  module,
  paramCount,
  tabulate,
  summaryRows,
  type Scope,
} from "../src/index.js";

const vals = (x: Array) => [...x.dataSync()];

class CNN extends Module {
  call(scope: Scope, x: Array): Array {
    x = scope.child(new Conv(4, [3, 3]))(x);
    x = jnp.nn.relu(x);
    x = scope.child(new BatchNorm())(x);
    x = x.reshape([x.shape[0]!, -1]);
    x = scope.child(new Dropout(0.5))(x);
    return scope.child(new Dense(3))(x);
  }
}

describe("init / apply", () => {
  it("init returns the collections with Flax-style auto names; apply is pure", () => {
    const model = new CNN();
    const x = randArray([2, 5, 5, 1], rng(1), -1, 1, "float32");
    const v = model.init(random.key(0), x);
    expect(Object.keys(v)).toEqual(["params", "batchStats"]);
    expect(Object.keys(v.params)).toEqual(["Conv_0", "BatchNorm_0", "Dense_0"]);
    expect(v.params.Dense_0.kernel.shape).toEqual([100, 3]);
    expect(Object.keys(v.batchStats.BatchNorm_0)).toEqual(["mean", "var"]);
    const y1 = model.apply(v, x);
    const y2 = model.apply(v, x);
    expect(y1.shape).toEqual([2, 3]);
    expect(vals(y1)).toEqual(vals(y2));
    // Same key, same variables; another key, other values.
    expect(vals(model.init(random.key(0), x).params.Dense_0.kernel)).toEqual(vals(v.params.Dense_0.kernel));
    expect(vals(model.init(random.key(1), x).params.Dense_0.kernel)).not.toEqual(vals(v.params.Dense_0.kernel));
    // Different layers get different initial kernels.
    const m2 = new MLP([4, 4]);
    const v2 = m2.init(random.key(0), jnp.ones([1, 4]));
    expect(vals(v2.params.Dense_0.kernel)).not.toEqual(vals(v2.params.Dense_1.kernel));
  });

  it("lecunNormal kernel init has fan-in variance; bias zeros; paramDtype", () => {
    const v = new Dense(256, { paramDtype: "float64" }).init(random.key(3), jnp.ones([1, 400]));
    const k = vals(v.params.kernel);
    const mean = k.reduce((a, b) => a + b, 0) / k.length;
    const variance = k.reduce((a, b) => a + (b - mean) ** 2, 0) / k.length;
    expect(variance).toBeGreaterThan(0.9 / 400);
    expect(variance).toBeLessThan(1.1 / 400);
    expect(v.params.kernel.dtype.name).toBe("float64");
    expect(vals(v.params.bias).every((b) => b === 0)).toBe(true);
  });

  it("dtype option casts the computation", () => {
    const d = new Dense(2, { dtype: "float16" });
    const v = d.init(random.key(0), jnp.ones([1, 3]));
    expect(v.params.kernel.dtype.name).toBe("float32");
    expect(d.apply(v, jnp.ones([1, 3])).dtype.name).toBe("float16");
  });

  it("shared weights: calling a child function twice reuses its parameters", () => {
    const m = module((s, x: Array) => {
      const d = s.child("shared", new Dense(3));
      return d(d(x));
    });
    const v = m.init(random.key(0), jnp.ones([1, 3]));
    expect(Object.keys(v.params)).toEqual(["shared"]);
    expect(paramCount(v)).toBe(12);
  });

  it("apply never mutates the variables passed in", () => {
    const bn = new BatchNorm();
    const x = randArray([8, 3], rng(2), -1, 1, "float32");
    const v = bn.init(random.key(0), x);
    const before = vals(v.batchStats.mean);
    const [, upd] = bn.apply(v, x, { train: true, mutable: ["batchStats"] });
    expect(vals(v.batchStats.mean)).toEqual(before);
    expect(vals(upd.batchStats.mean)).not.toEqual(before);
  });

  it("method option runs another method (Embed.attend)", () => {
    const e = new Embed(5, 3);
    const v = e.init(random.key(0), jnp.array([1, 2], { dtype: "int32" }));
    const q = randArray([2, 3], rng(4), -1, 1, "float32");
    const logits = e.apply(v, q, { method: "attend" });
    expect(logits.shape).toEqual([2, 5]);
    const want = jnp.matmul(q, v.params.embedding.T);
    expect(vals(logits).map((a, i) => Math.abs(a - vals(want)[i]!) < 1e-5).every(Boolean)).toBe(true);
  });
});

describe("BatchNorm", () => {
  it("train mode updates running statistics by momentum 0.99; eval uses them", () => {
    const bn = new BatchNorm();
    const x = randArray([16, 2], rng(5), -2, 3, "float32");
    const v = bn.init(random.key(0), x);
    const [y, upd] = bn.apply(v, x, { train: true, mutable: ["batchStats"] });
    const xv = vals(x);
    for (let c = 0; c < 2; c++) {
      const col = xv.filter((_, i) => i % 2 === c);
      const m = col.reduce((a, b) => a + b, 0) / col.length;
      const varc = col.reduce((a, b) => a + (b - m) ** 2, 0) / col.length;
      expect(upd.batchStats.mean.dataSync()[c]).toBeCloseTo(0.01 * m, 5);
      expect(upd.batchStats.var.dataSync()[c]).toBeCloseTo(0.99 + 0.01 * varc, 5);
      // Training output is normalized with the batch statistics (epsilon 1e-5).
      const yc = vals(y).filter((_, i) => i % 2 === c);
      yc.forEach((yy, i) => expect(yy).toBeCloseTo((col[i]! - m) / Math.sqrt(varc + 1e-5), 4));
    }
    // Eval mode: running statistics, nothing to update.
    const yEval = bn.apply({ ...v, batchStats: upd.batchStats }, x);
    const m0 = upd.batchStats.mean.dataSync()[0]!;
    const v0 = upd.batchStats.var.dataSync()[0]!;
    expect(yEval.dataSync()[0]).toBeCloseTo((xv[0]! - m0) / Math.sqrt(v0 + 1e-5), 4);
  });

  it("train mode without a mutable batchStats collection is an error naming it", () => {
    const bn = new BatchNorm();
    const x = jnp.ones([4, 2]);
    const v = bn.init(random.key(0), x);
    expect(() => bn.apply(v, x, { train: true })).toThrow(/collection "batchStats" is immutable.*mutable/);
  });
});

describe("Dropout", () => {
  const x = jnp.ones([4, 50]);
  const d = new Dropout(0.3);
  it("is the identity when not training; drops and rescales when training", () => {
    expect(vals(d.apply({}, x))).toEqual(vals(x));
    const y = d.apply({}, x, { train: true, rngs: { dropout: random.key(1) } });
    const v = vals(y);
    expect(v.every((a) => a === 0 || Math.abs(a - 1 / 0.7) < 1e-6)).toBe(true);
    const kept = v.filter((a) => a !== 0).length / v.length;
    expect(kept).toBeGreaterThan(0.6);
    expect(kept).toBeLessThan(0.8);
  });
  it("is deterministic per rng, different across rngs and layers", () => {
    const a = vals(d.apply({}, x, { train: true, rngs: { dropout: random.key(1) } }));
    const b = vals(d.apply({}, x, { train: true, rngs: { dropout: random.key(1) } }));
    const c = vals(d.apply({}, x, { train: true, rngs: { dropout: random.key(2) } }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const two = module((s, z: Array) => [s.child(new Dropout(0.5))(z), s.child(new Dropout(0.5))(z)]);
    const [p, q] = two.apply({}, x, { train: true, rngs: { dropout: random.key(1) } }) as Array[];
    expect(vals(p!)).not.toEqual(vals(q!));
  });
  it("without a dropout rng in training mode is an error that says how to pass one", () => {
    expect(() => d.apply({}, x, { train: true })).toThrow(/needs an rng named "dropout".*rngs: \{dropout: key\}/);
  });
  it("broadcastDims shares the mask", () => {
    const y = vals(new Dropout(0.5, { broadcastDims: [0] }).apply({}, x, { train: true, rngs: { dropout: random.key(3) } }));
    for (let j = 0; j < 50; j++) for (let i = 1; i < 4; i++) expect(y[i * 50 + j]).toBe(y[j]);
  });
});

describe("transformations of apply", () => {
  it("checkGrads through apply (Dense, LayerNorm, LSTM cell, attention) w.r.t. params and inputs", () => {
    const r = rng(7);
    const x = randArray([2, 3], r);
    const dense = new Dense(2, { paramDtype: "float64" });
    const vd = dense.init(random.key(0), x);
    checkGrads((k: Array, b: Array, xx: Array) => dense.apply({ params: { kernel: k, bias: b } }, xx), [vd.params.kernel, vd.params.bias, x], 2);

    const ln = new LayerNorm({ paramDtype: "float64" });
    const vl = ln.init(random.key(0), x);
    checkGrads((s: Array, b: Array, xx: Array) => ln.apply({ params: { scale: s, bias: b } }, xx), [vl.params.scale, vl.params.bias, x], 1, { rtol: 1e-4, atol: 1e-4 });

    const cell = new LSTMCell(2, { paramDtype: "float64" });
    const c0 = randArray([2, 2], r);
    const vc = cell.init(random.key(0), [c0, c0], x);
    const [leaves, def] = tree.flatten(vc);
    checkGrads((...ls: Array[]) => cell.apply(tree.unflatten(def, ls), [c0, c0], x)[1], leaves as Array[], 1, { rtol: 1e-4, atol: 1e-4 });

    const mha = new MultiHeadAttention(2, { paramDtype: "float64" });
    const xs = randArray([1, 3, 4], r);
    const vm = mha.init(random.key(0), xs);
    // jnp.nn.dotProductAttention takes its softmax in float32 (as JAX), hence the tolerance.
    checkGrads((xx: Array) => mha.apply(vm, xx, { causal: true }), [xs], 1, { rtol: 5e-3, atol: 5e-3, eps: 1e-3 });
  });

  it("valueAndGrad of a loss over the whole variables tree matches finite differences", () => {
    const model = new MLP([5, 1], { paramDtype: "float64" });
    const x = randArray([4, 3], rng(8));
    const y = randArray([4, 1], rng(9));
    const v = model.init(random.key(0), x);
    const loss = (p: any) => jnp.mean(jnp.square(model.apply({ params: p }, x).sub(y)));
    const [l, g] = valueAndGrad(loss)(v.params);
    expect(l.shape).toEqual([]);
    expect(Object.keys(g)).toEqual(["Dense_0", "Dense_1"]);
    // One coordinate by central differences.
    const k = v.params.Dense_0.kernel as Array;
    const eps = 1e-6;
    const bump = (s: number) => {
      const d = new Float64Array(k.dataSync());
      d[2]! += s;
      return loss({ ...v.params, Dense_0: { ...v.params.Dense_0, kernel: jnp.array(d).reshape(k.shape) } }).item() as number;
    };
    expect(g.Dense_0.kernel.dataSync()[2]).toBeCloseTo((bump(eps) - bump(-eps)) / (2 * eps), 6);
  });

  it("jit of apply matches eager (CNN with BatchNorm and Dropout in training mode)", () => {
    const model = new CNN();
    const x = randArray([2, 5, 5, 1], rng(10), -1, 1, "float32");
    const v = model.init(random.key(0), x);
    const step = (vars: any, xx: Array, key: Array) => model.apply(vars, xx, { train: true, mutable: ["batchStats"], rngs: { dropout: key } });
    const [ye, ue] = step(v, x, random.key(5));
    const [yj, uj] = jit(step)(v, x, random.key(5));
    expect(vals(yj).map((a, i) => Math.abs(a - vals(ye)[i]!) < 1e-5).every(Boolean)).toBe(true);
    expect(vals(uj.batchStats.BatchNorm_0.mean).map((a, i) => Math.abs(a - vals(ue.batchStats.BatchNorm_0.mean)[i]!) < 1e-6).every(Boolean)).toBe(true);
    // A whole SGD step under one jit.
    const sgd = jit((params: any, xx: Array) => {
      const g = grad((p: any) => jnp.sum(model.apply({ params: p, batchStats: v.batchStats }, xx)))(params);
      return tree.map((p: Array, gg: Array) => p.sub(gg.mul(0.1)), params, g);
    });
    const p2 = sgd(v.params, x);
    expect(p2.Dense_0.kernel.shape).toEqual([100, 3]);
  });

  it("checkJit and checkVmap of apply (Dense, GRU RNN)", () => {
    const r = rng(11);
    const dense = new Dense(3, { paramDtype: "float64" });
    const x = randArray([5, 4], r);
    const vd = dense.init(random.key(0), x);
    checkJit((xx: Array) => dense.apply(vd, xx), [x]);
    checkVmap((xx: Array) => dense.apply(vd, xx), [randArray([3, 5, 4], r)]);
    const rnn = new RNN(new GRUCell(2, { paramDtype: "float64" }));
    const seq = randArray([2, 6, 3], r);
    const vr = rnn.init(random.key(0), seq);
    const f = (xx: Array) => rnn.apply(vr, xx.astype("float64"));
    checkJit(f, [seq]);
    checkVmap(f, [randArray([3, 2, 6, 3], r)]);
    // vmap over the parameters too (an ensemble).
    const ensemble = vmap((p: any) => dense.apply({ params: p }, x));
    const stacked = tree.map((a: Array) => jnp.stack([a, a.mul(2)]), vd.params);
    const out = ensemble(stacked);
    expect(out.shape).toEqual([2, 5, 3]);
  });

  it("jit of an RNN with traced seqLengths (reverse, keepOrder, returnCarry)", () => {
    const r = rng(12);
    const rnn = new RNN(new LSTMCell(2, { paramDtype: "float64" }), { reverse: true, keepOrder: true, returnCarry: true });
    const seq = randArray([3, 5, 2], r);
    const lens = jnp.asarray([5, 0, 3], { dtype: "int32" });
    const v = rnn.init(random.key(0), seq);
    const f = (xx: Array, l: Array) => rnn.apply(v, xx.astype("float64"), { seqLengths: l });
    const eager = f(seq, lens);
    const jitted = jit(f)(seq, lens);
    tree.leaves(eager).forEach((a: any, i) => expect(vals(tree.leaves(jitted)[i] as Array)).toEqual(vals(a)));
    // the carry of a sequence stops at its length: equal to running the prefix alone
    const [c1] = rnn.apply(v, seq.get(2).get(jnp.arange(3)).reshape([1, 3, 2]).astype("float64")) as any;
    const [c3] = eager as any;
    expect(vals(c3[1].get(2))).toEqual(vals(c1[1].get(0)));
  });
});

describe("summaries", () => {
  it("paramCount and tabulate", () => {
    const model = new MLP([8, 2]);
    const x = jnp.ones([1, 4]);
    const v = model.init(random.key(0), x);
    expect(paramCount(v)).toBe(4 * 8 + 8 + 8 * 2 + 2);
    const rows = summaryRows(model, random.key(0), x);
    expect(rows.map((r) => [r.path, r.module, r.outputs, r.params])).toEqual([
      ["", "MLP", "f32[1,2]", 0],
      ["Dense_0", "Dense", "f32[1,8]", 40],
      ["Dense_1", "Dense", "f32[1,2]", 18],
    ]);
    const t = tabulate(model, random.key(0), x);
    expect(t).toContain("| Dense_0 | Dense  | f32[1,4] | f32[1,8] |     40 |");
    expect(t).toContain("Total parameters: 58");
  });
});

describe("errors", () => {
  it("missing parameters, wrong shapes, bad inputs name the path and shapes", () => {
    const d = new Dense(3);
    const v = d.init(random.key(0), jnp.ones([1, 4]));
    expect(() => d.apply({ params: {} }, jnp.ones([1, 4]))).toThrow(/missing parameter "kernel"/);
    expect(() => d.apply(v, jnp.ones([1, 5]))).toThrow(/parameter "kernel" has shape \[4, 3\] but the module expects \[5, 3\]/);
    expect(() => new Conv(4, [3, 3], { featureGroupCount: 3 }).init(random.key(0), jnp.ones([1, 5, 5, 4]))).toThrow(
      /input features 4 must be a multiple of featureGroupCount 3/,
    );
    expect(() => new Embed(3, 2).init(random.key(0), jnp.ones([2]))).toThrow(/\[Embed\] input must be an integer Array/);
    expect(() => new DenseGeneral(2, { batchDims: [1] })).toThrow(/consecutive leading dimensions starting from 0/);
    expect(() => new DenseGeneral(2, { axis: 0, batchDims: [0] }).init(random.key(0), jnp.ones([2, 3]))).toThrow(/both a batch and a contracted/);
    expect(() => new RNN(new LSTMCell(2)).init(random.key(0), jnp.ones([2, 4, 3]), { seqLengths: jnp.ones([3], { dtype: "int32" }) })).toThrow(
      /seqLengths must have the batch shape \[2\]/,
    );
    expect(() => new MultiHeadAttention(3).init(random.key(0), jnp.ones([1, 2, 4]))).toThrow(/qkvFeatures 4 must be divisible by numHeads 3/);
  });
});
