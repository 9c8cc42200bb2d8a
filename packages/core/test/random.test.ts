// jax.random: threefry keys and bits pinned bit for bit to JAX 0.10.2
// (fixtures/random.json from tools/goldens/gen_random.py), float samples to a
// few ulps; jit vs eager and vmap over keys vs a loop (exact); distribution
// sanity on large samples; gradients through the reparameterized samplers;
// and the errors.
import { describe, expect, test } from "vitest";
import { Array, fromTyped, float32, float64, grad, int32, jit, makeJaxpr, random, uint32, vmap } from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";
import { loadGolden } from "./golden.js";
import { keyOf, maxUlps, runCase, type RandomCase, ulp } from "./random_golden_cases.js";

const cases = loadGolden<RandomCase>("random", import.meta.url);
const vals = (x: Array): number[] => [...x.dataSync()];
const f32 = (xs: number[], shape = [xs.length]) => fromTyped(Float32Array.from(xs), shape, float32);
const i32 = (xs: number[], shape = [xs.length]) => fromTyped(Int32Array.from(xs), shape, int32);

// ---------------------------------------------------------------------------
// Goldens

/**
 * Float tolerance in ulps. Samplers built from uniform arithmetic alone are
 * exact; transcendental functions (erf_inv, log, tan, pow) differ from XLA's
 * CPU approximations by a few ulps; orthogonal's Gram-Schmidt QR differs from
 * LAPACK's Householder QR by rounding (measured in ulps of 1). Custom uniform ranges are measured
 * against the range's scale: XLA fuses floats * (max - min) + min into an FMA,
 * we round the product first (one ulp of max(|min|, |max|)).
 */
const ULPS: Record<string, number> = {
  uniform: 1,
  normal: 4,
  truncatedNormal: 8,
  exponential: 2,
  laplace: 2,
  logistic: 4,
  cauchy: 2,
  gumbel: 6,
  gamma: 6,
  loggamma: 4,
  beta: 4,
  dirichlet: 6,
  multivariateNormal: 4,
  orthogonal: 16, // of 1.0, the scale of unit vectors' entries
  lognormal: 2,
  pareto: 2,
  chisquare: 4,
  f: 4,
  t: 6,
  rayleigh: 2,
  weibullMin: 2,
  triangular: 1,
  wald: 16, // x = mu + mu^2 y / 2 - mu / 2 sqrt(...) cancels
  maxwell: 4,
  doubleSidedMaxwell: 4,
  generalizedNormal: 6,
  ball: 8,
  // d sample / d alpha: series and continued fractions stopped at eps, as XLA's.
  gradGamma: 64,
  gradLoggamma: 64,
  gradBeta: 64,
  gradDirichlet: 64,
};

/** Largest |expected| among the values and the range bounds of a case: where ulps are measured. */
function scaleOf(c: RandomCase): number {
  let s = c.fn === "orthogonal" ? 1 : 0;
  for (const name of ["minval", "maxval", "lower", "upper"]) {
    const v = c.args[name];
    if (typeof v === "number") s = Math.max(s, Math.abs(v));
  }
  return s;
}

function expectGolden(c: RandomCase, label: string): void {
  const out = runCase(c);
  expect(out.dtype.name, `${label}: dtype`).toBe(c.out.dtype);
  expect(out.shape, `${label}: shape`).toEqual(c.out.shape);
  if (c.out.dtype.startsWith("float")) {
    const tol = ULPS[c.fn] ?? 0;
    const scale = scaleOf(c);
    const got = vals(out);
    const bad: string[] = [];
    c.out.data.forEach((ev, i) => {
      const e = ev as number;
      const limit = tol * Math.max(ulp(e, out.dtype.bits), ulp(scale, out.dtype.bits));
      if (!(Math.abs(got[i]! - e) <= limit) && bad.length < 4) bad.push(`[${i}] got ${got[i]}, expected ${e}`);
    });
    expect(bad, `${label}: values beyond ${tol} ulps (max ${maxUlps(out, c.out)} ulps)`).toEqual([]);
  } else {
    expect(vals(out), `${label}: values`).toEqual(c.out.data);
  }
}

describe("goldens from JAX 0.10.2", () => {
  const byFn = new Map<string, [RandomCase, number][]>();
  cases.forEach((c, i) => byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), [c, i]]));
  for (const [fn, list] of byFn) {
    test(`${fn} (${list.length} cases)`, () => {
      for (const [c, i] of list) expectGolden(c, `case ${i} ${fn}(${JSON.stringify(c.args).slice(0, 120)})`);
    });
  }

  test("the fixtures cover every function and both float widths", () => {
    const fns = new Set(cases.map((c) => c.fn));
    const all = ["key", "split", "foldIn", "bits", "uniform", "normal", "randint", "permutation", "choice", "categorical", "gamma", "loggamma", "poisson", "beta", "dirichlet", "multivariateNormal", "orthogonal", "truncatedNormal", "bernoulli", "gumbel", "exponential", "laplace", "logistic", "cauchy"];
    all.push("gradGamma", "gradLoggamma", "gradBeta", "gradDirichlet");
    all.push("rademacher", "lognormal", "pareto", "chisquare", "f", "t", "rayleigh", "weibullMin", "geometric", "triangular", "wald", "maxwell", "doubleSidedMaxwell", "generalizedNormal", "ball");
    for (const f of all) {
      expect(fns.has(f), f).toBe(true);
    }
    expect(cases.some((c) => c.out.dtype === "float64")).toBe(true);
    expect(cases.some((c) => c.out.dtype === "float16")).toBe(true);
  });
});

describe("keys", () => {
  test("key and PRNGKey give the same uint32[2] data; keyData/wrapKeyData/clone are identities", () => {
    const k = random.key(42);
    expect(k.dtype).toBe(uint32);
    expect(k.shape).toEqual([2]);
    expect(vals(k)).toEqual([0, 42]);
    expect(vals(random.PRNGKey(42))).toEqual([0, 42]);
    expect(vals(random.keyData(random.split(k)))).toEqual(vals(random.split(k)));
    expect(vals(random.wrapKeyData(k))).toEqual([0, 42]);
    expect(vals(random.clone(k))).toEqual([0, 42]);
  });

  test("split's default is 2 keys; a shape gives a grid of keys", () => {
    const k = random.key(0);
    expect(random.split(k).shape).toEqual([2, 2]);
    expect(random.split(k, [2, 3]).shape).toEqual([2, 3, 2]);
    // split(k, [2, 3]) is split(k, 6) reshaped (one iota over the grid).
    expect(vals(random.split(k, [2, 3]))).toEqual(vals(random.split(k, 6)));
  });

  test("seeds are traceable: key under jit and vmap", () => {
    const seeds = i32([0, 1, 42, -1], [4]);
    const viaVmap = vmap((s: Array) => random.key(s))(seeds);
    expect(vals(viaVmap)).toEqual([0, 0, 0, 1, 0, 42, 0, 4294967295]);
    const f = jit((s: Array) => random.uniform(random.key(s), [3]));
    expect(vals(f(i32([7], [])))).toEqual(vals(random.uniform(random.key(7), [3])));
  });

  test("the hash is staged as one jitted threefry2x32 call", () => {
    const text = makeJaxpr((k: Array) => random.bits(k, [3]))(random.key(0)).toString();
    expect(text).toContain("name=threefry2x32");
    expect(text).toContain("shift_right_logical");
  });
});

// ---------------------------------------------------------------------------
// jit vs eager, vmap vs loop (exact)

const EXACT = { rtol: 0, atol: 0 };
const SAMPLERS: [string, (k: Array) => Array][] = [
  ["split", (k) => random.split(k, 3)],
  ["foldIn", (k) => random.foldIn(k, 17)],
  ["bits", (k) => random.bits(k, [2, 3])],
  ["bits uint8", (k) => random.bits(k, [5], "uint8")],
  ["uniform", (k) => random.uniform(k, [4], "float32", -1, 3)],
  ["uniform f64", (k) => random.uniform(k, [4], "float64")],
  ["normal", (k) => random.normal(k, [2, 3])],
  ["truncatedNormal", (k) => random.truncatedNormal(k, -1, 0.5, [5])],
  ["bernoulli", (k) => random.bernoulli(k, 0.3, [6])],
  ["randint", (k) => random.randint(k, [6], -3, 9)],
  ["randint uint8", (k) => random.randint(k, [6], 0, 256, "uint8")],
  ["permutation", (k) => random.permutation(k, 7)],
  ["permutation independent", (k) => random.permutation(k, f32([1, 2, 3, 4, 5, 6], [2, 3]), 1, true)],
  ["choice", (k) => random.choice(k, 9, [4], false)],
  ["choice p", (k) => random.choice(k, 4, [5], true, f32([0.1, 0.2, 0.3, 0.4], [4]))],
  ["categorical", (k) => random.categorical(k, f32([0, 1, 2, -1], [4]), -1, [3])],
  ["gumbel high", (k) => random.gumbel(k, [3], null, "high")],
  ["exponential", (k) => random.exponential(k, [3])],
  ["laplace", (k) => random.laplace(k, [3])],
  ["logistic", (k) => random.logistic(k, [3])],
  ["cauchy", (k) => random.cauchy(k, [3])],
  ["gamma", (k) => random.gamma(k, f32([0.4, 1, 3], [3]))],
  ["loggamma", (k) => random.loggamma(k, 0.2, [2])],
  ["beta", (k) => random.beta(k, 2, 3, [3])],
  ["dirichlet", (k) => random.dirichlet(k, f32([1, 2, 3], [3]))],
  ["poisson", (k) => random.poisson(k, f32([0, 2, 12, 40], [4]))],
  ["multivariateNormal", (k) => random.multivariateNormal(k, f32([1, 2], [2]), f32([2, 0.5, 0.5, 1], [2, 2]), [3])],
  ["orthogonal", (k) => random.orthogonal(k, 3)],
  ["t", (k) => random.t(k, 4, [3])],
  ["f", (k) => random.f(k, 2, 5, [2])],
  ["geometric", (k) => random.geometric(k, 0.2, [4])],
  ["wald", (k) => random.wald(k, 2, [3])],
  ["ball", (k) => random.ball(k, 3, 2, [2])],
  ["doubleSidedMaxwell", (k) => random.doubleSidedMaxwell(k, f32([0, 1]), 2)],
];

describe("transformations", () => {
  const keys = random.split(random.key(1234), 3);

  test.each(SAMPLERS)("%s: jit equals eager, bit for bit", (_, f) => {
    checkJit(f, [random.key(5)], EXACT);
    expect(vals(jit(f)(random.key(5)))).toEqual(vals(f(random.key(5))));
  });

  test.each(SAMPLERS)("%s: vmap over keys equals a loop over keys", (_, f) => {
    checkVmap(f, [keys], { tol: EXACT });
  });

  test("vmap over parameters with a shared key (inAxes [null, 0])", () => {
    const alphas = f32([0.5, 1.5, 4, 9], [4]);
    checkVmap((k: Array, a: Array) => random.gamma(k, a, [2]), [random.key(3), alphas], { inAxes: [null, 0], tol: EXACT });
    const lams = f32([1, 5, 20], [3]);
    checkVmap((k: Array, l: Array) => random.poisson(k, l, [4]), [random.key(3), lams], { inAxes: [null, 0], tol: EXACT });
    const data = fromTyped(Uint32Array.from([0, 1, 2, 99]), [4], uint32);
    checkVmap((k: Array, d: Array) => random.foldIn(k, d), [random.key(3), data], { inAxes: [null, 0], tol: EXACT });
  });

  test("vmap of a sampler over batched keys equals JAX's (split keys, then sample each)", () => {
    // Same as sampling with each key separately: the goldens pin those.
    const ks = random.split(random.key(8), 4);
    const batched = vmap((k: Array) => random.uniform(k, [3]))(ks);
    const rows = [0, 1, 2, 3].map((i) => vals(random.uniform(keyOf(vals(ks).slice(2 * i, 2 * i + 2)), [3])));
    expect(vals(batched)).toEqual(rows.flat());
  });
});

describe("gradients through reparameterized samplers (float64)", () => {
  const k = random.key(11);
  test("uniform in minval and maxval", () => {
    const f = (lo: Array, hi: Array) => random.uniform(k, [4], "float64", lo, hi);
    checkGrads(f, [randArray([4], rng(1), -2, -1), randArray([4], rng(2), 1, 2)], 2);
  });

  test("multivariateNormal in mean and cov (through the Cholesky factor)", () => {
    const cov = fromTyped(Float64Array.from([2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5]), [3, 3], float64);
    const f = (mean: Array, c: Array) => random.multivariateNormal(k, mean, c, [2]);
    checkGrads(f, [randArray([3], rng(3)), cov], 1, { rtol: 1e-5, atol: 1e-6 });
  });

  test("gamma's implicit gradient (pinned to JAX by the goldens) under jit and vmap", () => {
    const a = f32([0.3, 2, 7]);
    const g = (kk: Array, x: Array) => grad((y: Array) => random.gamma(kk, y).sum())(x);
    checkJit(g, [k, a], EXACT);
    checkVmap(g, [random.split(k, 3), a], { inAxes: [0, null], tol: EXACT });
    // d/da of Gamma(a) sample scaled by a rate: the rate's gradient is the usual one.
    const h = (rate: Array) => random.gamma(k, 2.5, [3], "float64").div(rate);
    checkGrads(h, [randArray([], rng(9), 1, 2)], 2);
  });

  test("truncatedNormal in its bounds", () => {
    const f = (lo: Array, hi: Array) => random.truncatedNormal(k, lo, hi, [3], "float64");
    checkGrads(f, [randArray([3], rng(4), -2, -1), randArray([3], rng(5), 0.5, 1.5)], 1, { rtol: 1e-5, atol: 1e-6 });
  });
});

// ---------------------------------------------------------------------------
// Distribution sanity on large samples

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, variance };
}

describe("distributions", { timeout: 60_000 }, () => {
  const N = 20_000;
  const k = random.key(2718);
  /** The sample mean is within `z` standard errors of the true mean; the variance within `varTol` (relative). */
  const expectMoments = (xs: number[], mean: number, variance: number, varTol = 0.03, z = 5) => {
    const m = moments(xs);
    expect(Math.abs(m.mean - mean), `mean ${m.mean} vs ${mean}`).toBeLessThan(z * Math.sqrt(variance / xs.length));
    expect(Math.abs(m.variance - variance), `variance ${m.variance} vs ${variance}`).toBeLessThan(varTol * variance);
  };

  test("uniform, normal, exponential, laplace, logistic, gumbel", () => {
    const u = vals(random.uniform(k, [N], "float32", -1, 3));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    expectMoments(u, 1, 16 / 12);
    expectMoments(vals(random.normal(k, [N])), 0, 1);
    expectMoments(vals(random.normal(k, [N], "float64")), 0, 1);
    expectMoments(vals(random.exponential(k, [N])), 1, 1);
    expectMoments(vals(random.laplace(k, [N])), 0, 2);
    expectMoments(vals(random.logistic(k, [N])), 0, Math.PI ** 2 / 3);
    expectMoments(vals(random.gumbel(k, [N])), 0.5772156649, Math.PI ** 2 / 6);
    expectMoments(vals(random.gumbel(k, [N], null, "highest")), 0.5772156649, Math.PI ** 2 / 6);
  });

  test("derived samplers: rademacher, geometric, rayleigh, lognormal, pareto, triangular, maxwell", () => {
    expectMoments(vals(random.rademacher(k, [N])), 0, 1);
    expectMoments(vals(random.geometric(k, 0.3, [N])), 1 / 0.3, 0.7 / 0.09, 0.05);
    expectMoments(vals(random.rayleigh(k, 2, [N])), 2 * Math.sqrt(Math.PI / 2), ((4 - Math.PI) / 2) * 4);
    const s2 = 0.25;
    expectMoments(vals(random.lognormal(k, 0.5, [N])), Math.exp(s2 / 2), (Math.exp(s2) - 1) * Math.exp(s2), 0.05);
    expectMoments(vals(random.pareto(k, 5, [N])), 5 / 4, 5 / (16 * 3), 0.15);
    expectMoments(vals(random.triangular(k, -1, 0.5, 2, [N])), 0.5, (1 + 0.25 + 4 - -0.5 - -2 - 1) / 18);
    expectMoments(vals(random.maxwell(k, [N])), 2 * Math.sqrt(2 / Math.PI), 3 - 8 / Math.PI);
  });

  test("truncatedNormal stays strictly inside its bounds", () => {
    const t = vals(random.truncatedNormal(k, -0.5, 1.5, [N]));
    expect(Math.min(...t)).toBeGreaterThan(-0.5);
    expect(Math.max(...t)).toBeLessThan(1.5);
    // Mean of N(0,1) truncated to (a, b): (phi(a) - phi(b)) / (Phi(b) - Phi(a)).
    const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    const mean = (phi(-0.5) - phi(1.5)) / (0.9331927987311419 - 0.3085375387259869);
    expect(Math.abs(moments(t).mean - mean)).toBeLessThan(0.01);
  });

  test("bernoulli, randint, categorical and choice frequencies", () => {
    const b = vals(random.bernoulli(k, 0.3, [N]));
    expectMoments(b, 0.3, 0.21);
    const r = vals(random.randint(k, [N], -3, 7));
    const counts = new globalThis.Array(10).fill(0);
    r.forEach((v) => counts[v + 3]++);
    expect(Math.min(...r)).toBe(-3);
    expect(Math.max(...r)).toBe(6);
    counts.forEach((c) => expect(Math.abs(c / N - 0.1)).toBeLessThan(0.006));
    const logits = [0, 1, 2, -1];
    const probs = logits.map(Math.exp);
    const z = probs.reduce((a, c) => a + c, 0);
    const cat = vals(random.categorical(k, f32(logits, [4]), -1, [N]));
    [0, 1, 2, 3].forEach((i) => expect(Math.abs(cat.filter((v) => v === i).length / N - probs[i]! / z)).toBeLessThan(0.01));
    const p = [0.1, 0.2, 0.3, 0.4];
    const ch = vals(random.choice(k, 4, [N], true, f32(p, [4])));
    p.forEach((pi, i) => expect(Math.abs(ch.filter((v) => v === i).length / N - pi)).toBeLessThan(0.01));
  });

  test("permutations and sampling without replacement never repeat", () => {
    const perm = vals(random.permutation(k, 5000)); // two sorting rounds
    expect([...perm].sort((a, b) => a - b)).toEqual([...globalThis.Array(5000).keys()]);
    const noRep = vals(random.choice(k, 50, [50], false));
    expect(new Set(noRep).size).toBe(50);
    const noRepP = vals(random.choice(k, 6, [6], false, f32([1, 1, 1, 1, 1, 5], [6])));
    expect(new Set(noRepP).size).toBe(6);
    const cat = vals(random.categorical(k, f32([0, 0, 0, 0], [4]), -1, [4], false));
    expect(new Set(cat).size).toBe(4);
  });

  test("gamma, loggamma, beta, dirichlet", () => {
    const n = 5_000;
    expectMoments(vals(random.gamma(k, 2.5, [n])), 2.5, 2.5, 0.1);
    expectMoments(vals(random.gamma(k, 0.3, [n])), 0.3, 0.3, 0.25); // heavy tail (kurtosis 6/a = 20): the sample variance is noisy
    expectMoments(vals(random.loggamma(k, 4, [n])).map(Math.exp), 4, 4, 0.1);
    expectMoments(vals(random.beta(k, 2, 5, [n])), 2 / 7, (2 * 5) / (49 * 8), 0.1);
    const d = vals(random.dirichlet(k, f32([1, 2, 3], [3]), [n / 4]));
    for (let i = 0; i < d.length; i += 3) expect(Math.abs(d[i]! + d[i + 1]! + d[i + 2]! - 1)).toBeLessThan(1e-5);
    const first = d.filter((_, i) => i % 3 === 2);
    expect(Math.abs(moments(first).mean - 0.5)).toBeLessThan(0.01);
  });

  test("poisson below and above lambda = 10", () => {
    expectMoments(vals(random.poisson(k, 3, [5_000])), 3, 3, 0.1);
    expectMoments(vals(random.poisson(k, 40, [5_000])), 40, 40, 0.1);
    const zeroNan = vals(random.poisson(k, f32([0, NaN], [2])));
    expect(zeroNan).toEqual([0, -1]); // JAX: 0 for lam = 0, -1 for NaN
  });

  test("multivariateNormal's sample covariance and orthogonal's orthonormality", () => {
    const cov = [2, 0.6, 0.6, 1];
    const x = vals(random.multivariateNormal(k, f32([1, -1], [2]), f32(cov, [2, 2]), [N]));
    const a = x.filter((_, i) => i % 2 === 0);
    const b = x.filter((_, i) => i % 2 === 1);
    expectMoments(a, 1, 2);
    expectMoments(b, -1, 1);
    const ma = moments(a).mean;
    const mb = moments(b).mean;
    const c = a.reduce((s, v, i) => s + (v - ma) * (b[i]! - mb), 0) / N;
    expect(Math.abs(c - 0.6)).toBeLessThan(0.03);
    for (const [n, m] of [[5, 5], [6, 3], [3, 6]] as const) {
      const q = random.orthogonal(k, n, [2], "float64", m);
      expect(q.shape).toEqual([2, n, m]);
      const qq = n >= m ? q.swapaxes(-1, -2).matmul(q) : q.matmul(q.swapaxes(-1, -2));
      const eye = vals(qq);
      const r = Math.min(n, m);
      eye.forEach((v, i) => expect(Math.abs(v - (Math.floor(i / r) % r === i % r ? 1 : 0))).toBeLessThan(1e-12));
    }
  });
});

// ---------------------------------------------------------------------------
// Errors

describe("errors", () => {
  const k = random.key(0);

  test("bad keys", () => {
    expect(() => random.uniform(i32([0, 0]))).toThrow(/\[random\.uniform\] invalid PRNG key data: expected a uint32 array.*i32\[2\]/);
    expect(() => random.normal(fromTyped(new Uint32Array(3), [3], uint32))).toThrow(/\[random\.normal\] invalid PRNG key data.*u32\[3\]/);
    expect(() => random.split(random.split(k))).toThrow(/\[random\.split\] accepts a single key, but was given a key array of shape \(2,\).*vmap/);
    expect(() => random.bits(3 as unknown as Array)).toThrow(/\[random\.bits\] expected a PRNG key/);
  });

  test("bad seeds and fold-in data", () => {
    expect(() => random.key(1.5)).toThrow(/\[random\.key\] seed must be an integer/);
    expect(() => random.key(f32([1], []))).toThrow(/\[random\.key\] seed must be an integer; got f32\[\]/);
    expect(() => random.key(i32([1, 2]))).toThrow(/\[random\.key\] accepts a scalar seed.*i32\[2\]/);
    expect(() => random.foldIn(k, -1)).toThrow(/\[random\.foldIn\] JS integer -1 out of bounds for uint32/);
    expect(() => random.foldIn(k, i32([1, 2]))).toThrow(/\[random\.foldIn\] accepts a scalar/);
  });

  test("bad shapes", () => {
    expect(() => random.uniform(k, [-1])).toThrow(/\[random\.uniform\] shape must be a list of non-negative integers, got \[-1\]/);
    expect(() => random.normal(k, [1.5])).toThrow(/\[random\.normal\] shape must be a list/);
    expect(() => random.split(k, -1)).toThrow(/\[random\.split\] num must be a list of non-negative integers/);
    expect(() => random.uniform(k, [2, 3], "float32", f32([0, 0, 0, 0]))).toThrow(/\[random\.uniform\] incompatible shapes/);
    expect(() => random.uniform(k, [2, 3], "float32", f32([0, 0, 0, 0, 0, 0], [2, 1, 3]))).toThrow(
      /\[random\.uniform\] parameter shapes must be broadcast-compatible with shape argument.*got result \(2,2,3\) for shape argument \(2,3\)/,
    );
    expect(() => random.randint(k, [5], i32([0, 0, 0]), 2)).toThrow(/\[random\.randint\] incompatible shapes/);
    expect(() => random.bernoulli(k, f32([0.1, 0.2]), [3])).toThrow(/\[random\.bernoulli\] incompatible shapes/);
    expect(() => random.gamma(k, f32([1, 2, 3]), [2])).toThrow(/\[random\.gamma\] incompatible shapes/);
    expect(() => random.choice(k, 3, 5 as unknown as number[])).toThrow(/\[random\.choice\] shape argument must be a list/);
    expect(() => random.categorical(k, f32([0, 1, 2]), 1)).toThrow(/axis 1 is out of bounds/);
  });

  test("bad dtypes", () => {
    expect(() => random.uniform(k, [2], "int32")).toThrow(/\[random\.uniform\] dtype must be a float dtype, got int32/);
    expect(() => random.normal(k, [2], "uint8")).toThrow(/\[random\.normal\] dtype must be a float dtype, got uint8/);
    expect(() => random.bits(k, [2], "int32")).toThrow(/\[random\.bits\] dtype must be an unsigned int dtype, got int32/);
    expect(() => random.bits(k, [2], "uint64")).toThrow(/\[random\.bits\] uint64 is not supported/);
    expect(() => random.randint(k, [2], 0, 3, "float32")).toThrow(/\[random\.randint\] dtype must be an integer dtype, got float32/);
    expect(() => random.poisson(k, 3, [2], "float32")).toThrow(/\[random\.poisson\] dtype must be an integer dtype, got float32/);
    expect(() => random.bernoulli(k, i32([1]))).toThrow(/\[random\.bernoulli\] probability p must have a floating dtype, got i32\[1\]/);
    expect(() => random.categorical(k, i32([1, 2]))).toThrow(/\[random\.categorical\] logits must have a floating dtype, got i32\[2\]/);
    expect(() => random.permutation(k, 3.5)).toThrow(/\[random\.permutation\] x must be an integer or at least 1-dimensional/);
    expect(() => random.beta(k, fromTyped(Float64Array.from([1]), [1], float64), 2)).toThrow(/\[random\.beta\] cannot safely cast argument of type float64 to float32/);
    expect(() => random.randint(k, [2], 0, 2 ** 31)).toThrow(/\[random\.randint\] maxval=2147483648 is too large to convert to int32/);
  });

  test("bad parameters", () => {
    expect(() => random.choice(k, 3, [5], false)).toThrow(/\[random\.choice\] cannot take a larger sample \(size 5\) than population \(size 3\) when replace=false/);
    expect(() => random.choice(k, 3, [5], true, f32([0.5, 0.5]))).toThrow(/\[random\.choice\] p must be null or a 1D vector.*p has shape \(2,\) and a.shape\[axis\] is 3/);
    expect(() => random.choice(k, 0, [2])).toThrow(/\[random\.choice\] a must be greater than 0/);
    expect(() => random.categorical(k, f32([0, 1]), -1, [3], false)).toThrow(/\[random\.categorical\] number of samples without replacement \(3\) cannot exceed number of categories \(2\)/);
    expect(() => random.dirichlet(k, 1)).toThrow(/\[random\.dirichlet\] requires alpha.ndim >= 1, got alpha.ndim == 0/);
    expect(() => random.multivariateNormal(k, f32([0, 0, 0]), f32([1, 0, 0, 1], [2, 2]))).toThrow(
      /\[random\.multivariateNormal\] requires cov.shape == \(..., n, n\) for n=3, but got cov.shape == \(2,2\)/,
    );
    expect(() => random.multivariateNormal(k, 0, f32([1, 0, 0, 1], [2, 2]))).toThrow(/requires mean.ndim >= 1, got mean.ndim == 0/);
    expect(() => random.multivariateNormal(k, f32([0, 0]), f32([1, 0, 0, 1], [2, 2]), null, null, "svd")).toThrow(/method "svd" needs an svd decomposition/);
    expect(() => random.gumbel(k, [2], null, "x" as "low")).toThrow(/\[random\.gumbel\] mode must be/);
    expect(() => random.bernoulli(k, 0.5, [2], "x" as "low")).toThrow(/\[random\.bernoulli\] got mode="x"/);
  });

  test("degenerate ranges follow JAX: minval where maxval <= minval", () => {
    expect(vals(random.uniform(k, [3], "float32", 2, 1))).toEqual([2, 2, 2]);
    expect(vals(random.randint(k, [3], 5, 2))).toEqual([5, 5, 5]);
    expect(vals(random.randint(k, [3], 4, 4))).toEqual([4, 4, 4]);
    expect(vals(random.choice(k, 5, [0]))).toEqual([]);
  });

  test("a failed call leaves nothing behind: the next call works", () => {
    expect(() => random.uniform(k, [2], "int32")).toThrow();
    expect(vals(random.uniform(k, [2]))).toEqual(vals(random.uniform(k, [2])));
  });
});
