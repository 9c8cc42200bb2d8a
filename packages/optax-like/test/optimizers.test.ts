// Each optimizer's first steps against its update formulas, written here
// independently in plain float64 JS over dataSync() values (following the papers
// and Optax's docs), plus the structure, shapes and dtypes of its state.
import { describe, expect, test } from "vitest";
import { Array, fromTyped, float64, random, tree } from "@jaxts/core";
import * as optax from "../src/index.js";
import { rng } from "../../core/test/check.js";

// Leaves in tree order: b (3), w (2x3).
const SHAPES: Record<string, number[]> = { b: [3], w: [2, 3] };
const NAMES = ["b", "w"];
type Leaves = number[][];

function makeLeaves(seed: number, scale = 1): Leaves {
  const r = rng(seed);
  return NAMES.map((n) => Array_from(SHAPES[n]!.reduce((a, b) => a * b, 1), () => r() * scale));
}
function Array_from(n: number, f: () => number): number[] {
  return globalThis.Array.from({ length: n }, f);
}
function toTree(ls: Leaves): Record<string, Array> {
  return Object.fromEntries(NAMES.map((n, i) => [n, fromTyped(Float64Array.from(ls[i]!), SHAPES[n]!, float64)]));
}
const fromTree = (t: Record<string, Array>): Leaves => NAMES.map((n) => [...t[n]!.dataSync()]);

const P0 = makeLeaves(1);
const GRADS = [makeLeaves(2), makeLeaves(3, 0.5), makeLeaves(4, 2)];
const gradAt = (t: number): Leaves => GRADS[t % GRADS.length]!;

/** Per-leaf elementwise map. */
const ew = (f: (...xs: number[]) => number, ...leaves: Leaves[]): Leaves => leaves[0]!.map((leaf, li) => leaf.map((_, i) => f(...leaves.map((l) => l[li]![i]!))));
const zeros = (): Leaves => P0.map((l) => l.map(() => 0));
const full = (v: number): Leaves => P0.map((l) => l.map(() => v));
const norm = (x: number[]): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0));
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** A reference optimizer: given params and gradient at step t (1-based), returns the update. */
type Ref = () => (p: Leaves, g: Leaves, t: number) => Leaves;

function runLib(opt: optax.GradientTransformation, steps: number): { updates: Leaves[]; state: unknown } {
  let params = toTree(P0);
  let state = opt.init(params);
  const updates: Leaves[] = [];
  for (let t = 0; t < steps; t++) {
    const [u, s] = opt.update(toTree(gradAt(t)), state, params);
    state = s;
    updates.push(fromTree(u));
    params = optax.applyUpdates(params, u);
  }
  return { updates, state };
}

function runRef(ref: Ref, steps: number): Leaves[] {
  const step = ref();
  let p = P0;
  const out: Leaves[] = [];
  for (let t = 0; t < steps; t++) {
    const u = step(p, gradAt(t), t + 1);
    out.push(u);
    p = ew((a, b) => a + b, p, u);
  }
  return out;
}

function expectLeavesClose(got: Leaves, want: Leaves, rtol: number, what: string): void {
  const bad: string[] = [];
  got.forEach((leaf, li) =>
    leaf.forEach((v, i) => {
      const w = want[li]![i]!;
      if (!(Math.abs(v - w) <= 1e-14 + rtol * Math.abs(w)) && bad.length < 4) bad.push(`${NAMES[li]}[${i}]: got ${v}, want ${w}`);
    }),
  );
  expect(bad, what).toEqual([]);
}

/** `dtype[shape]` at every leaf: the state's tree structure, shapes and dtypes in one value. */
const sig = (state: unknown): unknown => tree.map((x: Array) => (x instanceof Array ? `${x.dtype.name}[${x.shape}]` : typeof x), state);
const P = (dtype = "float64") => ({ b: `${dtype}[3]`, w: `${dtype}[2,3]` });
const COUNT = "int32[]";

interface Case {
  name: string;
  opt: () => optax.GradientTransformation;
  ref: Ref;
  state: unknown;
  steps?: number;
  rtol?: number;
}

const lr = 0.1;

// Adam-style moment helpers for the references.
function adamRef(opts: { b1?: number; b2?: number; eps?: number; nesterov?: boolean; wd?: number; amsgrad?: boolean; lrate?: number } = {}): Ref {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, nesterov = false, wd = 0, amsgrad = false, lrate = lr } = opts;
  return () => {
    let m = zeros();
    let v = zeros();
    let vmax = zeros();
    return (p, g, t) => {
      m = ew((mi, gi) => b1 * mi + (1 - b1) * gi, m, g);
      v = ew((vi, gi) => b2 * vi + (1 - b2) * gi * gi, v, g);
      const mhat = nesterov
        ? ew((mi, gi) => (b1 * mi) / (1 - b1 ** (t + 1)) + ((1 - b1) * gi) / (1 - b1 ** t), m, g)
        : ew((mi) => mi / (1 - b1 ** t), m);
      let vhat = ew((vi) => vi / (1 - b2 ** t), v);
      if (amsgrad) {
        vmax = ew(Math.max, vmax, vhat);
        vhat = vmax;
      }
      return ew((mh, vh, pi) => -lrate * (mh / (Math.sqrt(vh) + eps) + wd * pi), mhat, vhat, p);
    };
  };
}

const cases: Case[] = [
  {
    name: "sgd",
    opt: () => optax.sgd(lr),
    ref: () => (_p, g) => ew((gi) => -lr * gi, g),
    state: [{}, {}],
  },
  {
    name: "sgd momentum",
    opt: () => optax.sgd(lr, { momentum: 0.9 }),
    ref: () => {
      let tr = zeros();
      return (_p, g) => {
        tr = ew((gi, ti) => gi + 0.9 * ti, g, tr);
        return ew((ti) => -lr * ti, tr);
      };
    },
    state: [{ trace: P() }, {}],
  },
  {
    name: "sgd nesterov",
    opt: () => optax.sgd(lr, { momentum: 0.9, nesterov: true }),
    ref: () => {
      let tr = zeros();
      return (_p, g) => {
        tr = ew((gi, ti) => gi + 0.9 * ti, g, tr);
        return ew((gi, ti) => -lr * (gi + 0.9 * ti), g, tr);
      };
    },
    state: [{ trace: P() }, {}],
  },
  { name: "adam", opt: () => optax.adam(lr), ref: adamRef(), state: [{ count: COUNT, mu: P(), nu: P() }, {}] },
  {
    name: "adam custom betas",
    opt: () => optax.adam(0.05, { b1: 0.5, b2: 0.8, eps: 1e-3 }),
    ref: adamRef({ b1: 0.5, b2: 0.8, eps: 1e-3, lrate: 0.05 }),
    state: [{ count: COUNT, mu: P(), nu: P() }, {}],
  },
  {
    name: "adam muDtype float32",
    opt: () => optax.adam(lr, { muDtype: "float32" }),
    ref: adamRef(),
    state: [{ count: COUNT, mu: P("float32"), nu: P() }, {}],
    rtol: 1e-5,
  },
  {
    name: "adamw",
    opt: () => optax.adamw(lr, { weightDecay: 0.3 }),
    ref: adamRef({ wd: 0.3 }),
    state: [{ count: COUNT, mu: P(), nu: P() }, {}, {}],
  },
  { name: "nadam", opt: () => optax.nadam(lr), ref: adamRef({ nesterov: true }), state: [{ count: COUNT, mu: P(), nu: P() }, {}] },
  { name: "amsgrad", opt: () => optax.amsgrad(lr), ref: adamRef({ amsgrad: true }), state: [{ count: COUNT, mu: P(), nu: P(), nuMax: P() }, {}], steps: 4 },
  {
    name: "radam (through the rectified regime)",
    opt: () => optax.radam(lr, { b2: 0.99 }),
    ref: () => {
      const b1 = 0.9;
      const b2 = 0.99;
      const roInf = 2 / (1 - b2) - 1;
      let m = zeros();
      let v = zeros();
      return (_p, g, t) => {
        m = ew((mi, gi) => b1 * mi + (1 - b1) * gi, m, g);
        v = ew((vi, gi) => b2 * vi + (1 - b2) * gi * gi, v, g);
        const b2t = b2 ** t;
        const ro = roInf - (2 * t * b2t) / (1 - b2t);
        return ew(
          (mi, vi) => {
            const mh = mi / (1 - b1 ** t);
            if (ro < 5) return -lr * mh;
            const r = Math.sqrt(((ro - 4) * (ro - 2) * roInf) / ((roInf - 4) * (roInf - 2) * ro));
            return (-lr * r * mh) / (Math.sqrt(vi / (1 - b2t)) + 1e-8);
          },
          m,
          v,
        );
      };
    },
    state: [{ count: COUNT, mu: P(), nu: P() }, {}],
    steps: 9,
  },
  {
    name: "adamax",
    opt: () => optax.adamax(lr),
    ref: () => {
      let m = zeros();
      let u = zeros();
      return (_p, g, t) => {
        m = ew((mi, gi) => 0.9 * mi + 0.1 * gi, m, g);
        u = ew((ui, gi) => Math.max(0.999 * ui, Math.abs(gi) + 1e-8), u, g);
        return ew((mi, ui) => (-lr * mi) / (1 - 0.9 ** t) / ui, m, u);
      };
    },
    state: [{ count: COUNT, mu: P(), nu: P() }, {}],
  },
  {
    name: "rmsprop",
    opt: () => optax.rmsprop(lr),
    ref: () => {
      let v = zeros();
      return (_p, g) => {
        v = ew((vi, gi) => 0.9 * vi + 0.1 * gi * gi, v, g);
        return ew((gi, vi) => (-lr * gi) / Math.sqrt(vi + 1e-8), g, v);
      };
    },
    state: [{ nu: P() }, {}, {}],
  },
  {
    name: "rmsprop centered + momentum, eps outside the sqrt",
    opt: () => optax.rmsprop(lr, { centered: true, momentum: 0.5, epsInSqrt: false, decay: 0.8, eps: 1e-4, initialScale: 0.1 }),
    ref: () => {
      let m = zeros();
      let v = full(0.1);
      let tr = zeros();
      return (_p, g) => {
        m = ew((mi, gi) => 0.8 * mi + 0.2 * gi, m, g);
        v = ew((vi, gi) => 0.8 * vi + 0.2 * gi * gi, v, g);
        const u = ew((gi, mi, vi) => (-lr * gi) / (Math.sqrt(vi - mi * mi) + 1e-4), g, m, v);
        tr = ew((ui, ti) => ui + 0.5 * ti, u, tr);
        return tr;
      };
    },
    state: [{ mu: P(), nu: P() }, {}, { trace: P() }],
  },
  {
    name: "rmsprop bias-corrected",
    opt: () => optax.rmsprop(lr, { biasCorrection: true }),
    ref: () => {
      let v = zeros();
      return (_p, g, t) => {
        v = ew((vi, gi) => 0.9 * vi + 0.1 * gi * gi, v, g);
        return ew((gi, vi) => (-lr * gi) / Math.sqrt(vi / (1 - 0.9 ** t) + 1e-8), g, v);
      };
    },
    state: [{ count: COUNT, nu: P() }, {}, {}],
  },
  {
    name: "adagrad",
    opt: () => optax.adagrad(lr),
    ref: () => {
      let s = full(0.1);
      return (_p, g) => {
        s = ew((si, gi) => si + gi * gi, s, g);
        return ew((gi, si) => (-lr * gi) / Math.sqrt(si + 1e-7), g, s);
      };
    },
    state: [{ sumOfSquares: P() }, {}],
  },
  {
    name: "adadelta",
    opt: () => optax.adadelta(1.0, { rho: 0.9, eps: 1e-6 }),
    ref: () => {
      let eg = zeros();
      let ex = zeros();
      return (_p, g) => {
        eg = ew((e, gi) => 0.9 * e + 0.1 * gi * gi, eg, g);
        const dx = ew((gi, e, x) => (Math.sqrt(x + 1e-6) / Math.sqrt(e + 1e-6)) * gi, g, eg, ex);
        ex = ew((x, d) => 0.9 * x + 0.1 * d * d, ex, dx);
        return ew((d) => -d, dx);
      };
    },
    state: [{}, { eG: P(), eX: P() }, {}],
  },
  {
    name: "adafactor (w factored)",
    opt: () => optax.adafactor(0.01, { minDimSizeToFactor: 2 }),
    ref: () => {
      // w [2,3]: second-largest dim 0 (rows), largest dim 1: v_row has shape [2], v_col shape [3].
      let vRow = [0, 0];
      let vCol = [0, 0, 0];
      let vB = [0, 0, 0];
      const blockRmsClip = (u: number[]) => u.map((x) => x / Math.max(1, Math.sqrt(u.reduce((s, y) => s + y * y, 0) / u.length)));
      const paramRms = (p: number[]) => Math.max(Math.sqrt(p.reduce((s, y) => s + y * y, 0) / p.length), 1e-3);
      return (p, g, t) => {
        const d = 1 - t ** -0.8;
        const gb = g[0]!.map((x) => x * x + 1e-30);
        vB = vB.map((v, i) => d * v + (1 - d) * gb[i]!);
        const ub = g[0]!.map((x, i) => x / Math.sqrt(vB[i]!));
        const gw = g[1]!.map((x) => x * x + 1e-30);
        vRow = vRow.map((v, r) => d * v + (1 - d) * ((gw[r * 3]! + gw[r * 3 + 1]! + gw[r * 3 + 2]!) / 3));
        vCol = vCol.map((v, c) => d * v + (1 - d) * ((gw[c]! + gw[3 + c]!) / 2));
        const rowMean = (vRow[0]! + vRow[1]!) / 2;
        const uw = g[1]!.map((x, i) => x * (1 / Math.sqrt(vRow[Math.floor(i / 3)]! / rowMean)) * (1 / Math.sqrt(vCol[i % 3]!)));
        return [ub, uw].map((u, li) => blockRmsClip(u).map((x) => -(0.01 * x * paramRms(p[li]!))));
      };
    },
    state: [{ count: COUNT, v: { b: "float64[3]", w: "float64[1]" }, vCol: { b: "float64[1]", w: "float64[3]" }, vRow: { b: "float64[1]", w: "float64[2]" } }, {}, {}, {}, {}],
    rtol: 1e-6,
  },
  {
    name: "lamb",
    opt: () => optax.lamb(lr, { weightDecay: 0.1 }),
    ref: () => {
      const inner = adamRef({ eps: 1e-6, lrate: -1 })();
      return (p, g, t) => {
        const adamU = inner(p, g, t); // m̂/(√v̂+eps)
        const withWd = ew((u, pi) => u + 0.1 * pi, adamU, p);
        return withWd.map((u, li) => {
          const ratio = norm(p[li]!) / norm(u);
          return u.map((x) => -lr * ratio * x);
        });
      };
    },
    state: [{ count: COUNT, mu: P(), nu: P() }, {}, {}, {}],
  },
  {
    name: "lars",
    opt: () => optax.lars(lr, { weightDecay: 0.01 }),
    ref: () => {
      let tr = zeros();
      return (p, g) => {
        const withWd = ew((gi, pi) => gi + 0.01 * pi, g, p);
        const scaled = withWd.map((u, li) => {
          const ratio = (0.001 * norm(p[li]!)) / norm(u);
          return u.map((x) => -lr * ratio * x);
        });
        tr = ew((u, ti) => u + 0.9 * ti, scaled, tr);
        return tr;
      };
    },
    state: [{ innerState: {} }, { innerState: {} }, {}, { trace: P() }],
  },
  {
    name: "lion",
    opt: () => optax.lion(lr, { weightDecay: 0.01 }),
    ref: () => {
      let m = zeros();
      return (p, g) => {
        const u = ew((gi, mi, pi) => -lr * (sign(0.1 * gi + 0.9 * mi) + 0.01 * pi), g, m, p);
        m = ew((mi, gi) => 0.99 * mi + 0.01 * gi, m, g);
        return u;
      };
    },
    state: [{ count: COUNT, mu: P() }, {}, {}],
  },
  {
    name: "yogi",
    opt: () => optax.yogi(lr),
    ref: () => {
      let m = full(1e-6);
      let v = full(1e-6);
      return (_p, g, t) => {
        m = ew((mi, gi) => 0.9 * mi + 0.1 * gi, m, g);
        v = ew((vi, gi) => vi - 0.001 * sign(vi - gi * gi) * gi * gi, v, g);
        return ew((mi, vi) => (-lr * (mi / (1 - 0.9 ** t))) / (Math.sqrt(vi / (1 - 0.999 ** t)) + 1e-3), m, v);
      };
    },
    state: [{ count: COUNT, mu: P(), nu: P() }, {}],
  },
  {
    name: "novograd",
    opt: () => optax.novograd(lr, { weightDecay: 0.05 }),
    ref: () => {
      let m: Leaves | null = null;
      let v: number[] | null = null;
      return (p, g) => {
        const n2 = g.map((leaf) => norm(leaf) ** 2);
        v = v === null ? n2 : v.map((vi, li) => 0.25 * vi + 0.75 * n2[li]!);
        const add = g.map((leaf, li) => leaf.map((x, i) => x / (Math.sqrt(v![li]!) + 1e-6) + 0.05 * p[li]![i]!));
        m = m === null ? add : ew((mi, a) => 0.9 * mi + a, m, add);
        return ew((mi) => -lr * mi, m);
      };
    },
    state: [{ count: COUNT, mu: P(), nu: { b: "float64[]", w: "float64[]" } }, {}],
  },
];

describe("optimizers: first steps against their update formulas (float64)", () => {
  for (const c of cases) {
    test(c.name, () => {
      const steps = c.steps ?? 3;
      const { updates, state } = runLib(c.opt(), steps);
      const want = runRef(c.ref, steps);
      updates.forEach((u, t) => expectLeavesClose(u, want[t]!, c.rtol ?? 1e-10, `${c.name} step ${t + 1}`));
      expect(sig(state)).toEqual(c.state);
      const fresh = c.opt().init(toTree(P0));
      expect(sig(fresh), "init state has the same structure as later states").toEqual(c.state);
    });
  }

  test("noisySgd: g + sqrt(eta / t^gamma) · N(0, 1) from the state's key, then -lr", () => {
    const opt = optax.noisySgd(lr, { eta: 0.02, gamma: 0.55, key: 7 });
    let state = opt.init(toTree(P0));
    expect(sig(state)).toEqual([{ count: COUNT, rngKey: "uint32[2]" }, {}]);
    let key = random.key(7);
    for (let t = 1; t <= 3; t++) {
      const g = gradAt(t - 1);
      const [u, s] = opt.update(toTree(g), state, toTree(P0));
      state = s;
      const ks = random.split(key, 2);
      key = ks.get(0);
      const leafKeys = random.split(ks.get(1), 2);
      const noise = NAMES.map((n, i) => [...random.normal(leafKeys.get(i), SHAPES[n]!, "float64").dataSync()]);
      const std = Math.sqrt(0.02 / t ** 0.55);
      expectLeavesClose(fromTree(u), ew((gi, ni) => -lr * (gi + std * ni), g, noise), 1e-6, `noisySgd step ${t}`);
    }
  });

  test("adadelta with no learning rate does not flip the sign (as Optax)", () => {
    const { updates } = runLib(optax.adadelta(), 1);
    // First step: sqrt(eps)/sqrt(0.1 g² + eps) · g, same sign as g.
    updates[0]!.forEach((leaf, li) => leaf.forEach((u, i) => expect(Math.sign(u)).toBe(Math.sign(gradAt(0)[li]![i]!))));
  });

  test("a learning-rate schedule is evaluated at the step count", () => {
    const sched = optax.exponentialDecay({ initValue: 0.5, transitionSteps: 1, decayRate: 0.5 });
    const { updates } = runLib(optax.sgd(sched), 3);
    updates.forEach((u, t) => expectLeavesClose(u, ew((gi) => -0.5 * 0.5 ** t * gi, gradAt(t)), 1e-6, `step ${t + 1}`));
  });

  test("transformations that need params say so", () => {
    const opt = optax.adamw(lr);
    const state = opt.init(toTree(P0));
    expect(() => opt.update(toTree(gradAt(0)), state)).toThrow(/\[addDecayedWeights\].*params/);
  });
});
