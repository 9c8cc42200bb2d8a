// Zoom line search (scaleByZoomLinesearch) and lbfgs with its default (zoom) line
// search against real Optax 0.2.8 in float64 (tools/goldens/gen_zoom.py).
//
// Tolerances: one line search is a few dozen float64 operations on values that
// differ from Optax's only by summation order (a few ulps), and its branch decisions
// compare quantities that are not near ties in these cases, so stepsizes and iterates
// agree to ~1e-14; we allow 1e-10 (relative, plus the same absolute). Twenty L-BFGS
// steps on Rosenbrock amplify ulp-level differences through the curvature pairs, so
// there we allow 1e-8; on the least-squares problem the last steps sit at the
// minimizer, where the line search runs on rounding noise, so iterates are compared
// to 1e-8 and the line-search counters only before convergence.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test, vi } from "vitest";
import { Array, float64, fromTyped, jit } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import * as optax from "../src/index.js";

const fx = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/zoom.json", import.meta.url)), "utf8"));
const f64 = (v: number[]) => fromTyped(Float64Array.from(v), [v.length], float64);
const mat = (m: number[][]) => fromTyped(Float64Array.from(m.flat()), [m.length, m[0]!.length], float64);
const num = (v: number | string) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : (v as number));

const QA = mat(fx.QA);
const QB = f64(fx.QB);
const LA = mat(fx.LA);
const LB = f64(fx.LB);
const FNS: Record<string, (x: Array) => Array> = {
  quad: (x) => jnp.matmul(jnp.matmul(x.mul(0.5), QA), x).sub(jnp.matmul(QB, x)),
  rosen: (x) => {
    const x0 = x.at[0].get();
    const x1 = x.at[1].get();
    return jnp.square(x0.neg().add(1)).add(jnp.square(x1.sub(x0.mul(x0))).mul(100));
  },
  quartic: (x) => jnp.power(x, 4).sum().add(jnp.square(x).sum().mul(0.5)),
  flat: (x) => f64([1, 3]).mul(jnp.square(x)).sum().add(1e8),
  barrier: (x) => x.sub(jnp.log(x)).sum(),
  lstsq: (x) => {
    const r = jnp.matmul(LA, x).sub(LB);
    return jnp.matmul(r, r).mul(0.5);
  },
};

type Step = { x: number[]; learningRate: number; value: number; numLinesearchSteps: number; decreaseError: number; curvatureError: number };

function findZoomState(s: any): optax.ScaleByZoomLinesearchState {
  if (s && typeof s === "object" && !(s instanceof Array)) {
    if ("learningRate" in s && "info" in s) return s;
    for (const v of Object.values(s)) {
      const r = findZoomState(v);
      if (r) return r;
    }
  }
  return undefined as any;
}

function run(f: (x: Array) => Array, x0: number[], opt: optax.GradientTransformation, steps: number, useJit: boolean): Step[] {
  const vg = optax.valueAndGradFromState(f);
  const step = (x: Array, state: any) => {
    const [value, g] = vg(x, state);
    const [u, s] = opt.update(g, state, x, { value, grad: g, valueFn: f });
    return [optax.applyUpdates(x, u), s];
  };
  const stepJ = useJit ? jit(step) : step;
  let x = f64(x0);
  let state = opt.init(x);
  const out: Step[] = [];
  for (let k = 0; k < steps; k++) {
    [x, state] = (stepJ as any)(x, state);
    const z = findZoomState(state);
    const n = (a: Array) => Number(a.dataSync()[0]);
    out.push({
      x: [...x.dataSync()],
      learningRate: n(z.learningRate),
      value: n(z.value),
      numLinesearchSteps: n(z.info.numLinesearchSteps),
      decreaseError: n(z.info.decreaseError),
      curvatureError: n(z.info.curvatureError),
    });
  }
  return out;
}

const close = (got: number, want: number, tol: number) => Math.abs(got - want) <= tol * (1 + Math.abs(want)) || (Number.isNaN(got) && Number.isNaN(want)) || got === want;

function compare(got: Step[], want: any[], tol: number, countersUpTo = want.length) {
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    const g = got[k]!;
    const where = `step ${k}: got ${JSON.stringify(g)} want ${JSON.stringify(w)}`;
    w.x.forEach((v: number, i: number) => expect(close(g.x[i]!, v, tol), where).toBe(true));
    if (k >= countersUpTo) return;
    expect(close(g.learningRate, w.learningRate, tol), where).toBe(true);
    expect(close(g.value, num(w.value), tol), where).toBe(true);
    expect(g.numLinesearchSteps, where).toBe(w.numLinesearchSteps);
    // The errors are max(., 0) of differences of values of size |f| (or |slope|): their
    // rounding is relative to those, not to the (possibly ~0) difference.
    const errClose = (a: number, b: number, scale: number) => a === b || Math.abs(a - b) <= tol * (1 + Math.abs(b) + scale);
    expect(errClose(g.decreaseError, num(w.decreaseError), Math.abs(g.value)), where).toBe(true);
    expect(errClose(g.curvatureError, num(w.curvatureError), Math.abs(g.curvatureError)), where).toBe(true);
  });
}

function zoomFromOpts(o: Record<string, any>): optax.GradientTransformation {
  return optax.scaleByZoomLinesearch(o.max_linesearch_steps, {
    ...(o.max_learning_rate !== undefined && { maxLearningRate: o.max_learning_rate }),
    ...(o.tol !== undefined && { tol: o.tol }),
    ...(o.increase_factor !== undefined && { increaseFactor: o.increase_factor }),
    ...(o.slope_rtol !== undefined && { slopeRtol: o.slope_rtol }),
    ...(o.curv_rtol !== undefined && { curvRtol: o.curv_rtol }),
    ...("approx_dec_rtol" in o && { approxDecRtol: o.approx_dec_rtol }),
    ...(o.stepsize_precision !== undefined && { stepsizePrecision: o.stepsize_precision }),
    ...(o.initial_guess_strategy !== undefined && { initialGuessStrategy: o.initial_guess_strategy }),
  });
}

describe("scaleByZoomLinesearch against Optax 0.2.8 (sgd direction, float64)", () => {
  for (const [name, c] of Object.entries<any>(fx.zoom)) {
    const trialNote = c.firstTrials ? ` [first trials: ${c.firstTrials.map((t: any) => t.phase).join(",")}]` : "";
    test(`${name}: ${c.fn}, lr ${c.lr}, ${JSON.stringify(c.opts)}${trialNote}`, () => {
      const opt = () => optax.chain(optax.sgd(c.lr), zoomFromOpts(c.opts));
      compare(run(FNS[c.fn]!, c.x0, opt(), c.steps.length, false), c.steps, 1e-10);
    });
  }
  for (const name of ["rosenOneMax", "barrierDomain", "flatNoApprox", "quarticCurvature"]) {
    test(`${name} under jit`, () => {
      const c = fx.zoom[name];
      const opt = optax.chain(optax.sgd(c.lr), zoomFromOpts(c.opts));
      compare(run(FNS[c.fn]!, c.x0, opt, c.steps.length, true), c.steps, 1e-10);
    });
  }
});

describe("scaleByZoomLinesearch API", () => {
  test("options-object call, state structure and dtypes, errors", () => {
    const ls = optax.scaleByZoomLinesearch({ maxLinesearchSteps: 3, initialGuessStrategy: "one" });
    const s = ls.init({ w: f64([1, 2]) });
    expect(s.learningRate.dtype).toBe(float64);
    expect(s.value.dataSync()[0]).toBe(Infinity);
    expect([...(s.grad as any).w.dataSync()]).toEqual([0, 0]);
    expect(s.info.numLinesearchSteps.dtype.name).toBe("int32");
    expect(() => ls.update({ w: f64([1, 1]) }, s, { w: f64([1, 2]) })).toThrow(/valueFn/);
    expect(() => optax.scaleByZoomLinesearch(20, { initialGuessStrategy: "bad" as any })).toThrow(/initial guess/);
    // the options-object form equals the positional form
    const c = fx.zoom.rosenFewSteps;
    compare(run(FNS.rosen!, c.x0, optax.chain(optax.sgd(1), ls), c.steps.length, false), c.steps, 1e-10);
  });
});

describe("scaleByZoomLinesearch verbose", () => {
  test("warns on failure eagerly, stays silent (and works) under jit and on success", () => {
    const c = fx.zoom.flatNoApprox;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const mk = () => optax.chain(optax.sgd(c.lr), optax.scaleByZoomLinesearch(20, { initialGuessStrategy: "one", approxDecRtol: null, verbose: true }));
      compare(run(FNS.flat!, c.x0, mk(), 1, false), c.steps, 1e-10);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/Stepsize reached[\s\S]*FLAG_NO_STEPSIZE_FOUND/);
      compare(run(FNS.flat!, c.x0, mk(), 1, true), c.steps, 1e-10);
      const ok = fx.zoom.quadOne;
      const v = optax.chain(optax.sgd(ok.lr), optax.scaleByZoomLinesearch(20, { initialGuessStrategy: "one", verbose: true }));
      compare(run(FNS.quad!, ok.x0, v, ok.steps.length, false), ok.steps, 1e-10);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("lbfgs() (default zoom line search) against Optax 0.2.8 (float64, 20 steps)", () => {
  test("Rosenbrock, eager and jitted", () => {
    const c = fx.lbfgs.rosen;
    compare(run(FNS.rosen!, c.x0, optax.lbfgs(), 20, false), c.steps, 1e-8);
    compare(run(FNS.rosen!, c.x0, optax.lbfgs(), 20, true), c.steps, 1e-8);
    compare(run(FNS.rosen!, c.x0, optax.lbfgs(null, { skipNonPositiveCurvature: false }), 20, true), c.steps, 1e-8);
  });
  test("least squares, jitted", () => {
    const c = fx.lbfgs.lstsq;
    // Converged (value within 1e-13 of the final one) from step 9 on; the last two line
    // searches fail on rounding noise (20 steps) in Optax too.
    const last = c.steps[19].value;
    const upTo = c.steps.findIndex((s: any) => Math.abs(s.value - last) <= 1e-13 * Math.abs(last));
    expect(upTo).toBeGreaterThan(5);
    compare(run(FNS.lstsq!, c.x0, optax.lbfgs(), 20, true), c.steps, 1e-8, upTo);
    compare(run(FNS.lstsq!, c.x0, optax.lbfgs(null, { skipNonPositiveCurvature: false }), 20, true), c.steps, 1e-8, upTo);
  });
});
