import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeJaxpr, random, tree, type Array } from "@jaxts/core";
import { loadCheckpoint, saveCheckpoint } from "@jaxts/flax-like";
import { splitMnist, mulberry32 } from "../src/data.js";
import { makeOptimizer } from "../src/main.js";
import { batch, evaluate, makeEvalStep, makeModel, makeTrainStep, trainStepFn, type ModelName, type Params } from "../src/model.js";

const { train, test } = splitMnist();
const scalar = (a: Array) => Number(a.dataSync()[0]);
const leaves = (t: unknown) => tree.leaves(t) as Array[];

function setup(name: ModelName, bs: number) {
  const model = makeModel(name);
  const [x, y] = batch(train, 0, bs);
  const params = (model.init(random.key(0), x) as { params: Params }).params;
  const opt = makeOptimizer(3e-3, 100);
  return { model, x, y, params, opt, optState: opt.init(params) };
}

function expectTreesClose(a: unknown, b: unknown, tol: number) {
  const la = leaves(a);
  const lb = leaves(b);
  expect(la.length).toBe(lb.length);
  la.forEach((u, i) => {
    const v = lb[i]!;
    expect(u.shape).toEqual(v.shape);
    expect(u.dtype).toBe(v.dtype);
    const du = u.dataSync();
    const dv = v.dataSync();
    for (let k = 0; k < du.length; k++) {
      const p = Number(du[k]);
      const q = Number(dv[k]);
      if (Math.abs(p - q) > tol * (1 + Math.abs(q))) throw new Error(`leaf ${i} [${u.shape}] element ${k}: ${p} vs ${q}`);
    }
  });
}

describe.each([
  ["mlp", 64],
  ["cnn", 16],
] as const)("%s train step", (name, bs) => {
  it("jitted: decreases the loss on a batch and equals the eager step", () => {
    const { model, x, y, params, opt, optState } = setup(name, bs);
    const eager = trainStepFn(model, opt);
    const jitted = makeTrainStep(model, opt);
    let [p, s, loss0, c0] = jitted(params, optState, x, y);
    const [pe, se, lossE, cE] = eager(params, optState, x, y);
    expect(scalar(loss0)).toBeCloseTo(scalar(lossE), 5);
    expect(scalar(c0)).toBe(scalar(cE));
    expectTreesClose(p, pe, 1e-5);
    expectTreesClose(s, se, 1e-5);
    const first = scalar(loss0);
    expect(first).toBeGreaterThan(1.5); // about log(10) at initialization
    let loss = loss0;
    for (let i = 0; i < 4; i++) [p, s, loss] = jitted(p, s, x, y);
    expect(scalar(loss)).toBeLessThan(first * 0.8);
  });
});

describe("the train step", () => {
  it("traces to one Jaxpr (no host round trip inside)", () => {
    const { model, x, y, params, opt, optState } = setup("mlp", 8);
    // makeJaxpr throws on any .item()/dataSync() of a tracer.
    const text = makeJaxpr(trainStepFn(model, opt))(params, optState, x, y).toString();
    expect(text).toContain("dot_general");
    expect(text.startsWith("{ lambda")).toBe(true);
  });

  it("augmented batches shift images by at most one pixel, deterministically", () => {
    const order = Int32Array.from({ length: 4 }, (_, i) => i);
    const [a] = batch(train, 0, 4, order, { rand: mulberry32(1), maxShift: 1 });
    const [b] = batch(train, 0, 4, order, { rand: mulberry32(1), maxShift: 1 });
    const [plain] = batch(train, 0, 4);
    expect(a.dataSync()).toEqual(b.dataSync());
    // Ink is conserved up to what falls off the border (MNIST digits have empty borders).
    expect(scalar(a.sum())).toBeCloseTo(scalar(plain.sum()), 2);
  });
});

describe("checkpoint", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("round trip: same parameters, same held-out accuracy", async () => {
    dir = await mkdtemp(join(tmpdir(), "mnist-ckpt-"));
    const { model, params, opt, optState } = setup("mlp", 64);
    const step = makeTrainStep(model, opt);
    let p = params;
    let s = optState;
    for (let i = 0; i < 10; i++) {
      const [x, y] = batch(train, i * 64, 64);
      [p, s] = step(p, s, x, y);
    }
    const file = join(dir, "mlp.safetensors");
    await saveCheckpoint(file, { params: p });
    const restored = await loadCheckpoint<{ params: Params }>(file, { params: p });
    expectTreesClose(restored.params, p, 0);
    const ev = makeEvalStep(model);
    const acc = await evaluate(ev, p, test);
    expect(acc).toBeGreaterThan(0.5); // 10 steps already learn something
    expect(await evaluate(ev, restored.params, test)).toBe(acc);
  });
});
