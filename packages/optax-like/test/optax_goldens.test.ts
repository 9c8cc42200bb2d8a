// Against real Optax 0.2.8 (float64, fixtures from tools/goldens/gen_optax.py):
// schedules, losses, clipping, and the first three updates of each optimizer
// (radam with threshold 1.5 reaches rho ≈ 3 at step 3, where Optax's rectifier is NaN: so is ours).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { Array, int32, jit, scalar } from "@jaxts/core";
import * as optax from "../src/index.js";
import { decode, type EncodedArray } from "../../core/test/golden.js";

const fx = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/optax.json", import.meta.url)), "utf8"));
type Enc = EncodedArray;
const decTree = (t: Record<string, Enc>): Record<string, Array> => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, decode(v)]));

function expectClose(got: Array, want: Array, rtol: number, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  const g = got.dataSync();
  const w = want.dataSync();
  const bad: string[] = [];
  for (let i = 0; i < w.length; i++) {
    const ok = (Number.isNaN(Number(w[i])) && Number.isNaN(Number(g[i]))) || Math.abs(Number(g[i]) - Number(w[i])) <= 1e-12 + rtol * Math.abs(Number(w[i]));
    if (!ok && bad.length < 4) bad.push(`[${i}] got ${g[i]}, want ${w[i]}`);
  }
  expect(bad, what).toEqual([]);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const schedule = (name: string, kw: any): optax.Schedule => {
  switch (name) {
    case "constantSchedule":
      return optax.constantSchedule(kw.value);
    case "piecewiseConstantSchedule":
      return optax.piecewiseConstantSchedule(kw.initValue, kw.boundariesAndScales);
    case "sgdrSchedule":
      return optax.sgdrSchedule(kw.cycles);
    default:
      return (optax as any)[name.split(" ")[0]!](kw);
  }
};

describe("schedules match Optax (eager on numbers, jitted on int32 steps)", () => {
  for (const c of fx.cases.schedules) {
    test(c.name, () => {
      const s = schedule(c.name, c.kwargs);
      const js = jit((step: Array) => s(step));
      c.steps.forEach((step: number, i: number) => {
        const want = c.values[i] as number;
        const eager = s(step).item() as number;
        const traced = js(scalar(step, int32, false)).item() as number;
        expect(Math.abs(eager - want), `${c.name} at ${step}: ${eager} vs ${want}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want));
        expect(Math.abs(traced - want), `${c.name} jitted at ${step}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want));
      });
    });
  }
});

describe("losses match Optax", () => {
  for (const c of fx.cases.losses) {
    test(c.name, () => {
      const args = c.args.map((a: Enc | number) => (typeof a === "number" ? a : decode(a)));
      const out = c.opts ? (optax as any)[c.name](...args, c.opts) : (optax as any)[c.name](...args);
      expectClose(out, decode(c.out), 1e-10, c.name);
    });
  }
});

describe("clipping matches Optax", () => {
  const params = decTree(fx.params);
  for (const c of fx.cases.clipping) {
    test(c.name, () => {
      const updates = decTree(c.updates);
      if (c.name === "globalNorm") {
        expectClose(optax.globalNorm(updates), decode(c.out), 1e-12, c.name);
        return;
      }
      const arg = Object.values(c.kwargs)[0] as number;
      const tx: optax.GradientTransformation = (optax as any)[c.name](arg);
      const [u] = tx.update(updates, tx.init(params), params);
      for (const k of Object.keys(c.out)) expectClose(u[k], decode(c.out[k]), 1e-10, `${c.name}.${k}`);
    });
  }
});

describe("optimizers match Optax's first three updates", () => {
  const grads = fx.grads.map(decTree);
  for (const c of fx.cases.optimizers) {
    test(c.name, () => {
      const tx: optax.GradientTransformation = (optax as any)[c.name](...c.args, c.kwargs);
      let params = decTree(fx.params);
      let state = tx.init(params);
      c.updates.forEach((want: Record<string, Enc>, t: number) => {
        const [u, s] = tx.update(grads[t], state, params);
        state = s;
        // adafactor's decay rate is float32 in Optax too; everything else is float64.
        for (const k of Object.keys(want)) expectClose(u[k], decode(want[k]!), c.name === "adafactor" ? 1e-5 : 1e-9, `${c.name} step ${t + 1} .${k}`);
        params = optax.applyUpdates(params, u);
      });
    });
  }
});
