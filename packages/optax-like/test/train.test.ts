// Whole training steps: valueAndGrad + update + applyUpdates under one jit equal
// the eager step, with no host round trip (the step is traced once), and small
// problems converge.
import { describe, expect, test } from "vitest";
import { Array, array, fromTyped, float32, int32, jit, makeJaxpr, random, tree, valueAndGrad } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import * as optax from "../src/index.js";
import { rng } from "../../core/test/check.js";

type Params = { w1: Array; b1: Array; w2: Array; b2: Array };

function initMlp(seed: number, nIn: number, nHidden: number, nOut: number): Params {
  const [k1, k2] = [random.key(seed), random.key(seed + 1)];
  return {
    w1: random.normal(k1, [nIn, nHidden]).mul(1 / Math.sqrt(nIn)),
    b1: jnp.zeros([nHidden]),
    w2: random.normal(k2, [nHidden, nOut]).mul(1 / Math.sqrt(nHidden)),
    b2: jnp.zeros([nOut]),
  };
}
const mlp = (p: Params, x: Array): Array => jnp.tanh(x.matmul(p.w1).add(p.b1)).matmul(p.w2).add(p.b2);

/** Two interleaved spirals-ish blobs: class = sign of x0·x1, a problem linear models cannot solve. */
function xorData(n: number, seed: number): { x: Array; y: Array } {
  const r = rng(seed);
  const xs = new Float32Array(n * 2);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = r();
    const b = r();
    xs[2 * i] = a;
    xs[2 * i + 1] = b;
    ys[i] = a * b > 0 ? 1 : 0;
  }
  return { x: fromTyped(xs, [n, 2], float32), y: fromTyped(ys, [n], int32) };
}

function makeTrainStep(opt: optax.GradientTransformation) {
  const lossFn = (p: Params, x: Array, y: Array): Array => optax.softmaxCrossEntropyWithIntegerLabels(mlp(p, x), y).mean();
  return (params: Params, optState: unknown, batch: { x: Array; y: Array }): [Params, unknown, Array] => {
    const [loss, grads] = valueAndGrad(lossFn)(params, batch.x, batch.y) as [Array, Params];
    const [updates, newState] = opt.update(grads, optState, params);
    return [optax.applyUpdates(params, updates), newState, loss];
  };
}

const leavesClose = (a: unknown, b: unknown, rtol = 1e-5, atol = 1e-6) => {
  const la = tree.leaves(a) as Array[];
  const lb = tree.leaves(b) as Array[];
  expect(la.length).toBe(lb.length);
  la.forEach((x, i) => {
    expect(x.shape).toEqual(lb[i]!.shape);
    expect(x.dtype).toBe(lb[i]!.dtype);
    const xv = x.dataSync();
    const yv = lb[i]!.dataSync();
    for (let k = 0; k < xv.length; k++) expect(Math.abs(Number(xv[k]) - Number(yv[k]))).toBeLessThanOrEqual(atol + rtol * Math.abs(Number(yv[k])));
  });
};

const optimizers: [string, () => optax.GradientTransformation][] = [
  ["adam", () => optax.adam(0.05)],
  ["adamw + clipByGlobalNorm", () => optax.chain(optax.clipByGlobalNorm(1.0), optax.adamw(0.05, { weightDecay: 1e-3 }))],
  ["sgd nesterov + warmupCosineDecay", () => optax.sgd(optax.warmupCosineDecaySchedule({ initValue: 0, peakValue: 0.5, warmupSteps: 3, decaySteps: 20 }), { momentum: 0.9, nesterov: true })],
  ["lion", () => optax.lion(0.01)],
  ["adafactor", () => optax.adafactor(0.05, { minDimSizeToFactor: 2 })],
  ["lamb", () => optax.lamb(0.05)],
  ["novograd", () => optax.novograd(0.05)],
  ["radam", () => optax.radam(0.05)],
  ["noisySgd", () => optax.noisySgd(0.1)],
  ["injectHyperparams(adam) with a schedule", () => optax.injectHyperparams((hp) => optax.adam(hp.learningRate, { b1: hp.b1 }), { learningRate: optax.exponentialDecay({ initValue: 0.05, transitionSteps: 5, decayRate: 0.5 }), b1: 0.9 })],
  ["multiSteps(adam, 2)", () => optax.multiSteps(optax.adam(0.05), 2)],
  ["applyIfFinite(sgd)", () => optax.applyIfFinite(optax.sgd(0.1), 3)],
  ["multiTransform: adam for weights, sgd for biases", () => optax.multiTransform({ w: optax.adam(0.05), b: optax.sgd(0.1) }, (p: Params) => ({ w1: "w", b1: "b", w2: "w", b2: "b" }))],
];

describe("jit(trainStep) equals the eager step", () => {
  const data = xorData(64, 5);
  for (const [name, make] of optimizers) {
    test(name, () => {
      const opt = make();
      const step = makeTrainStep(opt);
      const jitted = jit(step);
      let pe = initMlp(0, 2, 8, 2);
      let se = opt.init(pe);
      let pj = pe;
      let sj = se;
      for (let i = 0; i < 4; i++) {
        const [p1, s1, l1] = step(pe, se, data);
        const [p2, s2, l2] = jitted(pj, sj, data);
        leavesClose([p2, s2, l2], [p1, s1, l1]);
        expect(tree.structure(s2).equals(tree.structure(s1))).toBe(true);
        [pe, se, pj, sj] = [p1, s1, p2, s2];
      }
    });
  }

  test("the whole step is one program: traced once, no host round trip", () => {
    const opt = optax.adam(0.01);
    const step = makeTrainStep(opt);
    const p = initMlp(0, 2, 8, 2);
    const s = opt.init(p);
    const data = xorData(16, 1);
    // makeJaxpr would throw a ConcretizationTypeError on any .item()/dataSync() of a tracer.
    const text = makeJaxpr(step)(p, s, data).toString();
    expect(text).toContain("pow"); // Adam's bias correction as array ops on the int32 count
    expect(text).not.toMatch(/callback/);
  });
});

describe("small problems converge", () => {
  test("linear regression with adam under jit", () => {
    const r = rng(11);
    const n = 64;
    const xs = new Float32Array(n * 3);
    const ys = new Float32Array(n);
    const wTrue = [1.5, -2, 0.5];
    for (let i = 0; i < n; i++) {
      let y = 0.3;
      for (let j = 0; j < 3; j++) {
        xs[i * 3 + j] = r();
        y += wTrue[j]! * xs[i * 3 + j]!;
      }
      ys[i] = y;
    }
    const x = fromTyped(xs, [n, 3], float32);
    const y = fromTyped(ys, [n], float32);
    const opt = optax.adam(0.1);
    const loss = (p: { w: Array; b: Array }) => optax.l2Loss(x.matmul(p.w).add(p.b), y).mean();
    const step = jit((p: { w: Array; b: Array }, s: unknown): [{ w: Array; b: Array }, unknown, Array] => {
      const [l, g] = valueAndGrad(loss)(p);
      const [u, s2] = opt.update(g, s, p);
      return [optax.applyUpdates(p, u), s2, l];
    });
    let p = { w: jnp.zeros([3]), b: jnp.zeros([]) };
    let s = opt.init(p);
    let l: Array = jnp.zeros([]);
    for (let i = 0; i < 300; i++) [p, s, l] = step(p, s);
    expect(l.item() as number).toBeLessThan(1e-4);
    [...p.w.dataSync()].forEach((v, j) => expect(v).toBeCloseTo(wTrue[j]!, 2));
    expect(p.b.item() as number).toBeCloseTo(0.3, 2);
  });

  test("an MLP learns XOR-like classes with adamw (≥ 95% train accuracy), float32 params stay float32", () => {
    const data = xorData(256, 3);
    const opt = optax.adamw(0.03, { weightDecay: 1e-4 });
    const step = jit(makeTrainStep(opt));
    let p = initMlp(1, 2, 16, 2);
    let s = opt.init(p);
    let loss: Array = jnp.zeros([]);
    for (let i = 0; i < 400; i++) [p, s, loss] = step(p, s, data);
    const acc = jnp.mean(jnp.argmax(mlp(p, data.x), -1).eq(data.y).astype(float32)).item() as number;
    expect(acc).toBeGreaterThanOrEqual(0.95);
    expect(loss.item() as number).toBeLessThan(0.2);
    tree.leaves(p).forEach((leaf: Array) => expect(leaf.dtype).toBe(float32));
  });
});

describe("applyUpdates", () => {
  test("keeps each parameter's dtype", () => {
    const params = { a: array([1, 2], { dtype: "float16" }), b: array([1, 2], { dtype: "float32" }), c: array(3, { dtype: "int32" }) };
    const updates = { a: array([0.5, 0.5], { dtype: "float32" }), b: array([0.25, 0.25], { dtype: "float64" }), c: array(1, { dtype: "int32" }) };
    const out = optax.applyUpdates(params, updates);
    expect(out.a.dtype.name).toBe("float16");
    expect(out.b.dtype.name).toBe("float32");
    expect([...out.a.dataSync()]).toEqual([1.5, 2.5]);
    expect(out.c.item()).toBe(4);
  });

  test("names mismatched trees", () => {
    expect(() => optax.applyUpdates({ a: jnp.zeros([2]) }, { b: jnp.zeros([2]) })).toThrow(/\[applyUpdates\].*different tree structures/);
    expect(() => optax.applyUpdates({ a: jnp.zeros([2]) }, { a: jnp.zeros([3]) })).toThrow(/\[applyUpdates\].*\[3\].*\[2\]/);
  });
});
