// L-BFGS: directions against an independent float64 two-loop recursion, Rosenbrock
// under jit, and iterates against real Optax 0.2.8 (tools/goldens/gen_lbfgs.py).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { Array, float32, float64, fromTyped, grad, jit } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import * as optax from "../src/index.js";

const fx = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/lbfgs.json", import.meta.url)), "utf8"));
const A: number[][] = fx.A;
const B: number[] = fx.b;
const X0: number[] = fx.x0;
const f64 = (v: number[]) => fromTyped(Float64Array.from(v), [v.length], float64);
type P = { u: Array; v: Array };
const toP = (x: number[]): P => ({ u: f64(x.slice(0, 2)), v: f64(x.slice(2)) });
const fromP = (p: P): number[] => [...p.u.dataSync(), ...p.v.dataSync()];
const Aj = fromTyped(Float64Array.from(A.flat()), [4, 4], float64);
const quad = (p: P): Array => {
  const x = jnp.concatenate([p.u, p.v]);
  return x.mul(jnp.matmul(Aj, x)).sum().mul(0.5).sub(x.mul(f64(B)).sum());
};
const gradJs = (x: number[]) => A.map((row, i) => row.reduce((s, a, j) => s + a * x[j]!, 0) - B[i]!);
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

function expectClose(got: number[], want: number[], tol: number) {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
}

/** Nocedal & Wright Alg. 7.4, written independently: pairs oldest..newest. */
function twoLoop(g: number[], pairs: { s: number[]; y: number[] }[], gamma: number): number[] {
  const q = [...g];
  const alphas: number[] = [];
  for (let i = pairs.length - 1; i >= 0; i--) {
    const { s, y } = pairs[i]!;
    const rho = 1 / dot(y, s);
    const a = rho * dot(s, q);
    alphas[i] = a;
    q.forEach((_, k) => (q[k]! -= a * y[k]!));
  }
  const r = q.map((v) => v * gamma);
  pairs.forEach(({ s, y }, i) => {
    const beta = (1 / dot(y, s)) * dot(y, r);
    r.forEach((_, k) => (r[k]! += s[k]! * (alphas[i]! - beta)));
  });
  return r;
}

describe("scaleByLbfgs", () => {
  for (const memorySize of [10, 2]) {
    test(`first directions equal the float64 two-loop recursion (memorySize ${memorySize}, lr 1)`, () => {
      const t = optax.scaleByLbfgs({ memorySize });
      let state = t.init(toP(X0));
      let x = [...X0];
      let prev: { x: number[]; g: number[] } | null = null;
      const pairs: { s: number[]; y: number[] }[] = [];
      for (let k = 0; k < 4; k++) {
        const g = gradJs(x);
        let gamma: number;
        if (prev === null) gamma = Math.min(1, 1 / Math.sqrt(dot(g, g)));
        else {
          const s = x.map((v, i) => v - prev!.x[i]!);
          const y = g.map((v, i) => v - prev!.g[i]!);
          pairs.push({ s, y });
          if (pairs.length > memorySize) pairs.shift();
          gamma = dot(s, y) / dot(y, y);
        }
        const want = twoLoop(g, pairs, gamma);
        const [d, ns] = t.update(grad(quad)(toP(x)), state, toP(x));
        state = ns;
        expectClose(fromP(d as P), want, 1e-12);
        prev = { x, g };
        x = x.map((v, i) => v - want[i]!);
      }
      expect(state.weightsMemory.shape).toEqual([memorySize]);
      expect(state.diffParamsMemory.u.shape).toEqual([memorySize, 2]);
      expect(state.count.dataSync()[0]).toBe(4);
    });
  }
});

function runOptax(f: (p: any) => Array, p0: any, opt: optax.GradientTransformation, steps: number, extra: boolean, useJit = false): any[] {
  const vg = optax.valueAndGradFromState(f);
  const step = (params: any, state: any) => {
    if (extra) {
      const [value, g] = vg(params, state);
      const [u, s] = opt.update(g, state, params, { value, grad: g, valueFn: f });
      return [optax.applyUpdates(params, u), s];
    }
    const [u, s] = opt.update(grad(f)(params), state, params);
    return [optax.applyUpdates(params, u), s];
  };
  const stepJ = useJit ? jit(step) : step;
  let params = p0;
  let state = opt.init(p0);
  const out: any[] = [];
  for (let k = 0; k < steps; k++) {
    [params, state] = (stepJ as any)(params, state);
    out.push(params);
  }
  return out;
}

describe("lbfgs against Optax 0.2.8 (float64)", () => {
  const cmp = (got: P[], want: { u: number[]; v: number[] }[], tol: number) =>
    want.forEach((w, k) => expectClose(fromP(got[k]!), [...w.u, ...w.v], tol));
  test("no line search, memorySize 2", () => {
    cmp(runOptax(quad, toP(X0), optax.lbfgs(null, { memorySize: 2, linesearch: null }), 5, false), fx.quadNoLinesearch, 1e-10);
  });
  test("no line search, learning rate 0.5, scaleInitPrecond false", () => {
    cmp(runOptax(quad, toP(X0), optax.lbfgs(0.5, { scaleInitPrecond: false, linesearch: null }), 4, false), fx.quadNoLinesearchLr, 1e-10);
  });
  test("backtracking line search (storeGrad), eager and jitted", () => {
    const mk = () => optax.lbfgs(null, { linesearch: optax.scaleByBacktrackingLinesearch(20, { storeGrad: true }) });
    cmp(runOptax(quad, toP(X0), mk(), 6, true), fx.quadBacktracking, 1e-9);
    cmp(runOptax(quad, toP(X0), mk(), 6, true, true), fx.quadBacktracking, 1e-9);
  });
  test("Rosenbrock, backtracking without the curvature guard, jitted", () => {
    const opt = optax.lbfgs(null, { skipNonPositiveCurvature: false, linesearch: optax.scaleByBacktrackingLinesearch(20, { storeGrad: true }) });
    const got = runOptax(rosen, { x: f64([-1.2, 1]) }, opt, 8, true, true);
    (fx.rosenBacktracking as { x: number[] }[]).forEach((w, k) => expectClose([...got[k].x.dataSync()], w.x, 1e-8));
  });
});

const rosen = (p: { x: Array }): Array => {
  const x0 = p.x.at[0].get();
  const x1 = p.x.at[1].get();
  return jnp.square(x0.neg().add(1)).add(jnp.square(x1.sub(x0.mul(x0))).mul(100));
};

describe("lbfgs minimizes Rosenbrock", () => {
  for (const dtype of [float64, float32]) {
    test(`to (1, 1) within 100 jitted steps (${dtype.name})`, () => {
      const opt = optax.lbfgs();
      const vg = optax.valueAndGradFromState(rosen);
      const step = jit((params: { x: Array }, state: any) => {
        const [value, g] = vg(params, state);
        const [u, s] = opt.update(g, state, params, { value, grad: g, valueFn: rosen });
        return [optax.applyUpdates(params, u), s, value];
      });
      let params = { x: fromTyped(Float64Array.from([-1.2, 1]), [2], float64).astype(dtype) };
      let state = opt.init(params);
      let value: Array | null = null;
      let k = 0;
      for (; k < 100; k++) {
        [params, state, value] = step(params, state) as [{ x: Array }, any, Array];
        if (k % 10 === 9 && value!.dataSync()[0]! < (dtype === float64 ? 1e-14 : 1e-8)) break;
      }
      expect(k).toBeLessThan(100);
      expect(params.x.dtype).toBe(dtype);
      expectClose([...params.x.dataSync()], [1, 1], dtype === float64 ? 1e-6 : 2e-3);
    });
  }
});

describe("errors", () => {
  test("line search without the objective names the function", () => {
    const opt = optax.lbfgs();
    const p = toP(X0);
    expect(() => opt.update(grad(quad)(p), opt.init(p), p)).toThrow(/scaleByZoomLinesearch.*valueFn/);
    const bt = optax.lbfgs(null, { linesearch: optax.scaleByBacktrackingLinesearch(20, { storeGrad: true }) });
    expect(() => bt.update(grad(quad)(p), bt.init(p), p)).toThrow(/scaleByBacktrackingLinesearch.*valueFn/);
    expect(() => optax.scaleByLbfgs({ memorySize: 0 })).toThrow(/scaleByLbfgs.*memorySize/);
  });
});
