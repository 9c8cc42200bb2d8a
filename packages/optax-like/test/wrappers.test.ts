// Wrappers and combinators: masked, multiTransform, injectHyperparams,
// multiSteps, applyIfFinite, chain, and the loss gradients.
import { describe, expect, test } from "vitest";
import { Array, array, grad, jit, tree } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import * as optax from "../src/index.js";
import { checkGrads, randArray, rng } from "../../core/test/check.js";

const vals = (x: Array): number[] => [...x.dataSync()];
const params = () => ({ a: array([1, 2], { dtype: "float64" }), b: { c: array([3], { dtype: "float64" }) } });
const grads = (s = 1) => ({ a: array([0.5 * s, -1 * s], { dtype: "float64" }), b: { c: array([2 * s], { dtype: "float64" }) } });

describe("masked / multiTransform", () => {
  test("masked applies the inner transform only where the mask is true; inner state holds only masked-in leaves", () => {
    const tx = optax.masked(optax.sgd(0.1, { momentum: 0.9 }), { a: true, b: false });
    const s0 = tx.init(params());
    expect(tree.leaves(s0).length).toBe(1); // only the trace of `a`
    const [u] = tx.update(grads(), s0, params());
    expect(vals(u.a)).toEqual([-0.05, 0.1]);
    expect(vals(u.b.c)).toEqual([2]); // passed through
  });

  test("a mask function and a mask prefix", () => {
    const tx = optax.masked(optax.scale(10), (p: ReturnType<typeof params>) => ({ a: false, b: true }));
    const [u] = tx.update(grads(), tx.init(params()), params());
    expect(vals(u.a)).toEqual([0.5, -1]);
    expect(vals(u.b.c)).toEqual([20]);
  });

  test("multiTransform routes each label to its transformation", () => {
    const tx = optax.multiTransform({ fast: optax.sgd(1), frozen: optax.setToZero() }, { a: "fast", b: { c: "frozen" } });
    const s = tx.init(params());
    const [u] = tx.update(grads(), s, params());
    expect(vals(u.a)).toEqual([-0.5, 1]);
    expect(vals(u.b.c)).toEqual([0]);
    expect(() => optax.multiTransform({ fast: optax.sgd(1) }, { a: "fast", b: { c: "slow" } }).init(params())).toThrow(/\[multiTransform\].*slow/);
  });

  test("masked rejects non-boolean masks", () => {
    expect(() => optax.masked(optax.sgd(1), { a: 1, b: true }).init(params())).toThrow(/\[masked\] mask leaves must be booleans/);
  });
});

describe("injectHyperparams", () => {
  test("hyperparams live in the state, can be changed between steps, and schedules follow the count", () => {
    const tx = optax.injectHyperparams((hp) => optax.sgd(hp.learningRate), { learningRate: 0.1 });
    let s = tx.init(params());
    expect(s.hyperparams.learningRate.dtype.name).toBe("float64");
    let u;
    [u, s] = tx.update(grads(), s, params());
    expect(vals(u.a)).toEqual([-0.05, 0.1]);
    s = { ...s, hyperparams: { learningRate: jnp.asarray(1.0, { dtype: "float64" }) } };
    [u, s] = tx.update(grads(), s, params());
    expect(vals(u.a)).toEqual([-0.5, 1]);

    const sched = optax.injectHyperparams((hp) => optax.sgd(hp.lr), { lr: optax.linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 4 }) });
    let ss = sched.init(params());
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      [u, ss] = sched.update(grads(), ss, params());
      seen.push(ss.hyperparams.lr.item() as number);
      expect(vals(u.b.c)[0]).toBeCloseTo(-2 * (1 - i / 4), 6);
    }
    expect(seen).toEqual([1, 0.75, 0.5]);
  });
});

describe("multiSteps", () => {
  test("accumulates k mean gradients, emits one inner update, zero otherwise", () => {
    const tx = optax.multiSteps(optax.sgd(1), 3);
    let s = tx.init(params());
    const outs: number[][] = [];
    for (let i = 1; i <= 6; i++) {
      const [u, s2] = tx.update(grads(i), s, params());
      s = s2;
      outs.push(vals(u.a));
    }
    // mean of scales 1,2,3 = 2 → -[1, -2]; then 4,5,6 → 5
    expect(outs).toEqual([[0, 0], [0, 0], [-1, 2], [0, 0], [0, 0], [-2.5, 5]]);
    expect(s.gradientStep.item()).toBe(2);
    expect(s.miniStep.item()).toBe(0);
  });

  test("the inner state only advances on emitting steps; jit matches eager", () => {
    const tx = optax.multiSteps(optax.adam(0.1), 2, { useGradMean: false });
    const step = (s: optax.MultiStepsState, g: unknown) => tx.update(g, s, params());
    const js = jit(step);
    let se = tx.init(params());
    let sj = se;
    for (let i = 1; i <= 4; i++) {
      const [ue, s1] = step(se, grads(i));
      const [uj, s2] = js(sj, grads(i));
      expect(vals(uj.a)).toEqual(vals(ue.a));
      [se, sj] = [s1, s2];
      expect(((se as any).innerOptState[0].count as Array).item()).toBe(Math.floor(i / 2));
    }
  });
});

describe("applyIfFinite", () => {
  test("skips non-finite updates (zero update, state kept) until too many in a row", () => {
    const tx = optax.applyIfFinite(optax.sgd(1, { momentum: 0.5 }), 1);
    let s = tx.init(params());
    const bad = { a: array([NaN, 1], { dtype: "float64" }), b: { c: array([1], { dtype: "float64" }) } };
    let u;
    [u, s] = tx.update(grads(), s, params());
    expect(vals(u.a)).toEqual([-0.5, 1]);
    [u, s] = tx.update(bad, s, params());
    expect(vals(u.a)).toEqual([0, 0]);
    expect(s.lastFinite.item()).toBe(false);
    expect(s.notfiniteCount.item()).toBe(1);
    expect(vals(s.innerState[0].trace.a)).toEqual([0.5, -1]);
    [u, s] = tx.update(bad, s, params()); // 2 > maxConsecutiveErrors: applied
    expect(Number.isNaN(vals(u.a)[0]!)).toBe(true);
    expect(s.totalNotfinite.item()).toBe(2);
  });
});

describe("chain and errors", () => {
  test("chain checks its arguments and its state", () => {
    expect(() => optax.chain(optax.sgd(1), {} as optax.GradientTransformation)).toThrow(/\[chain\] argument 1/);
    const tx = optax.chain(optax.scale(2), optax.scale(3));
    expect(() => tx.update(grads(), [{}], params())).toThrow(/\[chain\] expected a state of 2/);
    const [u] = tx.update(grads(), tx.init(params()), params());
    expect(vals(u.b.c)).toEqual([12]);
  });

  test("loss errors name the function and shapes", () => {
    expect(() => optax.softmaxCrossEntropyWithIntegerLabels(jnp.zeros([4, 3]), jnp.zeros([4]))).toThrow(/\[softmaxCrossEntropyWithIntegerLabels\] labels must be integers, got float32\[4\]/);
    expect(() => optax.softmaxCrossEntropyWithIntegerLabels(jnp.zeros([4, 3]), jnp.zeros([3], { dtype: "int32" }))).toThrow(/float32\[4,3\]/);
    expect(() => optax.squaredError(jnp.zeros([4, 3]), jnp.zeros([2]))).toThrow(/\[squaredError\].*\[4,3\].*\[2\]/);
  });
});

describe("loss gradients", () => {
  const r = rng(3);
  const x = randArray([3, 4], r);
  const y = randArray([3, 4], r);
  const probs = jnp.nn.softmax(randArray([3, 4], r));
  test.each([
    ["huberLoss", (a: Array) => optax.huberLoss(a.mul(3), y).sum()],
    ["logCosh", (a: Array) => optax.logCosh(a, y).sum()],
    ["softmaxCrossEntropy", (a: Array) => optax.softmaxCrossEntropy(a, probs).sum()],
    ["sigmoidBinaryCrossEntropy", (a: Array) => optax.sigmoidBinaryCrossEntropy(a, probs).sum()],
    ["cosineSimilarity", (a: Array) => optax.cosineSimilarity(a, y).sum()],
  ])("%s: JVP/VJP vs finite differences", (_name, f) => {
    checkGrads(f, [x], 1, { rtol: 1e-4, atol: 1e-5 });
  });

  test("softmaxCrossEntropyWithIntegerLabels gradient is softmax - onehot", () => {
    const labels = array([1, 0, 3], { dtype: "int32" });
    const g = grad((l: Array) => optax.softmaxCrossEntropyWithIntegerLabels(l, labels).sum())(x);
    const want = jnp.nn.softmax(x).sub(jnp.nn.oneHot(labels, 4, { dtype: "float64" }));
    vals(g).forEach((v, i) => expect(v).toBeCloseTo(vals(want)[i]!, 10));
  });
});
