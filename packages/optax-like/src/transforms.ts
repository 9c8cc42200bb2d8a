// Building blocks (optax/_src/transform.py, optax/transforms/_accumulation.py,
// _adding.py, optax/_src/factorized.py). Each returns a GradientTransformation;
// the optimizers in alias.ts are chains of these. Defaults follow Optax 0.2.8.
import { Array, asArray, float32, lax, random, tree } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import {
  type EmptyState,
  type GradientTransformation,
  type PyTree,
  type Scalar,
  type ScalarOrSchedule,
  type Schedule,
  castScalarTo,
  emptyState,
  evalScalar,
  identity,
  oneMinus,
  requireParams,
  safeIncrement,
  statelessWithTreeMap,
  treeUtils as tu,
  zeroCount,
} from "./base.js";
import { masked, type Mask } from "./wrappers.js";

const castTo = castScalarTo;

// ---------------------------------------------------------------------------
// Scaling

/** Multiplies updates by a fixed step size. */
export function scale(stepSize: Scalar): GradientTransformation<EmptyState> {
  return statelessWithTreeMap("scale", (g) => g.mul(typeof stepSize === "number" ? stepSize : castTo(stepSize, g)));
}

export interface ScaleByScheduleState {
  count: Array;
}

/** Multiplies updates by `stepSizeFn(count)` (cast to each update's dtype). */
export function scaleBySchedule(stepSizeFn: Schedule): GradientTransformation<ScaleByScheduleState> {
  return {
    init: () => ({ count: zeroCount() }),
    update: (updates, state) => {
      const step = asArray(stepSizeFn(state.count));
      return [tree.map((g: Array) => castTo(step, g).mul(g), updates), { count: safeIncrement(state.count) }];
    },
  };
}

/** Scales by `-learningRate` (or `+learningRate` with `flipSign: false`); a schedule is evaluated at the step count. */
export function scaleByLearningRate(learningRate: ScalarOrSchedule | null | undefined, opts: { flipSign?: boolean } = {}): GradientTransformation {
  if (learningRate === null || learningRate === undefined) return identity();
  const m = opts.flipSign === false ? 1 : -1;
  if (typeof learningRate === "function") return scaleBySchedule((c) => asArray(learningRate(c)).mul(m));
  return scale(typeof learningRate === "number" ? m * learningRate : learningRate.mul(m));
}

/** Replaces updates by their sign. */
export function scaleBySign(): GradientTransformation<EmptyState> {
  return statelessWithTreeMap("scaleBySign", (g) => jnp.sign(g));
}

// ---------------------------------------------------------------------------
// Adam family

export interface AdamOptions {
  b1?: Scalar;
  b2?: Scalar;
  eps?: Scalar;
  epsRoot?: Scalar;
  /** dtype of the first moment in the state (default: the parameters'). */
  muDtype?: string | null;
  nesterov?: boolean;
}

export interface ScaleByAdamState {
  count: Array;
  mu: PyTree;
  nu: PyTree;
}

/** Nesterov's mu-hat (Optax/NAdam): `b1 * mu/(1-b1^(t+1)) + (1-b1) * g/(1-b1^t)`. */
function nesterovMuHat(mu: PyTree, updates: PyTree, b1: Scalar, countInc: Array): PyTree {
  const a = tu.biasCorrection(mu, b1, safeIncrement(countInc));
  const b = tu.biasCorrection(updates, b1, countInc);
  return tree.map((m: Array, g: Array) => m.mul(b1).add(g.mul(oneMinus(b1))), a, b);
}

const adamDenom = (nuHat: Array, epsRoot: Scalar, eps: Scalar): Array => lax.sqrt(nuHat.add(epsRoot)).add(eps);

/** Adam's rescaling (Kingma & Ba 2014), with optional Nesterov momentum (NAdam). */
export function scaleByAdam(opts: AdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, muDtype = null, nesterov = false } = opts;
  return {
    init: (params) => ({ count: zeroCount(), mu: tu.zerosLike(params, muDtype), nu: tu.zerosLike(params) }),
    update: (updates, state) => {
      const mu = tu.updateMoment(updates, state.mu, b1, 1);
      const nu = tu.updateMoment(updates, state.nu, b2, 2);
      const countInc = safeIncrement(state.count);
      const muHat = nesterov ? nesterovMuHat(mu, updates, b1, countInc) : tu.biasCorrection(mu, b1, countInc);
      const nuHat = tu.biasCorrection(nu, b2, countInc);
      const out = tree.map((m: Array, v: Array) => m.div(adamDenom(v, epsRoot, eps)), muHat, nuHat);
      return [out, { count: countInc, mu: tu.cast(mu, muDtype), nu: tu.castLike(nu, state.nu) }];
    },
  };
}

export interface ScaleByAmsgradState extends ScaleByAdamState {
  nuMax: PyTree;
}

/** AMSGrad (Reddi et al. 2018): Adam with the running maximum of the bias-corrected second moment. */
export function scaleByAmsgrad(opts: Omit<AdamOptions, "nesterov"> = {}): GradientTransformation<ScaleByAmsgradState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, muDtype = null } = opts;
  return {
    init: (params) => ({ count: zeroCount(), mu: tu.zerosLike(params, muDtype), nu: tu.zerosLike(params), nuMax: tu.zerosLike(params) }),
    update: (updates, state) => {
      const mu = tu.updateMoment(updates, state.mu, b1, 1);
      const nu = tu.updateMoment(updates, state.nu, b2, 2);
      const countInc = safeIncrement(state.count);
      const muHat = tu.biasCorrection(mu, b1, countInc);
      const nuHat = tu.biasCorrection(nu, b2, countInc);
      const nuMax = tree.map((a: Array, b: Array) => jnp.maximum(a, b), state.nuMax, nuHat);
      const out = tree.map((m: Array, v: Array) => m.div(adamDenom(v, epsRoot, eps)), muHat, nuMax);
      return [out, { count: countInc, mu: tu.cast(mu, muDtype), nu, nuMax }];
    },
  };
}

/** Adamax (Kingma & Ba 2014, §7): the second moment replaced by an infinity norm. */
export function scaleByAdamax(opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar } = {}): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = opts;
  return {
    init: (params) => ({ count: zeroCount(), mu: tu.zerosLike(params), nu: tu.zerosLike(params) }),
    update: (updates, state) => {
      const countInc = safeIncrement(state.count);
      const mu = tu.updateMoment(updates, state.mu, b1, 1);
      const nu = tu.updateInfinityMoment(updates, state.nu, b2, eps);
      const muHat = tu.biasCorrection(mu, b1, countInc);
      return [tree.map((m: Array, v: Array) => m.div(v), muHat, nu), { count: countInc, mu, nu }];
    },
  };
}

/** RAdam (Liu et al. 2020): Adam with the variance of the adaptive rate rectified; plain momentum while `rho < threshold`. */
export function scaleByRadam(opts: AdamOptions & { threshold?: number } = {}): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, threshold = 5.0, nesterov = false } = opts;
  if (typeof b2 !== "number") throw new TypeError("[scaleByRadam] b2 must be a number (rho_inf is computed from it at construction)");
  const roInf = 2 / (1 - b2) - 1;
  return {
    init: (params) => ({ count: zeroCount(), mu: tu.zerosLike(params), nu: tu.zerosLike(params) }),
    update: (updates, state) => {
      const mu = tu.updateMoment(updates, state.mu, b1, 1);
      const nu = tu.updateMoment(updates, state.nu, b2, 2);
      const countInc = safeIncrement(state.count);
      const muHat = nesterov ? nesterovMuHat(mu, updates, b1, countInc) : tu.biasCorrection(mu, b1, countInc);
      const nuHat = tu.biasCorrection(nu, b2, countInc);
      const out = tree.map(
        (m: Array, v: Array) => {
          // rho_t = rho_inf - 2 t b2^t / (1 - b2^t), in the update's dtype.
          const t = countInc.astype(m.dtype);
          const b2t = lax.pow(castTo(b2, m), t);
          const ro = castTo(roInf, m).sub(t.mul(2).mul(b2t).div(b2t.mul(-1).add(1)));
          const r = lax.sqrt(ro.sub(4).mul(ro.sub(2)).mul(roInf).div(ro.mul((roInf - 4) * (roInf - 2))));
          const rectified = r.mul(m).div(adamDenom(v, epsRoot, eps));
          return jnp.where(ro.ge(threshold), rectified, m);
        },
        muHat,
        nuHat,
      );
      return [out, { count: countInc, mu, nu }];
    },
  };
}

/** Yogi (Zaheer et al. 2018): an additive, sign-controlled second-moment update. */
export function scaleByYogi(opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar; epsRoot?: Scalar; initialAccumulatorValue?: number } = {}): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-3, epsRoot = 0, initialAccumulatorValue = 1e-6 } = opts;
  return {
    init: (params) => ({ count: zeroCount(), mu: tu.fullLike(params, initialAccumulatorValue), nu: tu.fullLike(params, initialAccumulatorValue) }),
    update: (updates, state) => {
      const mu = tu.updateMoment(updates, state.mu, b1, 1);
      const nu = tree.map((g: Array, v: Array) => {
        const g2 = g.mul(g);
        return v.sub(jnp.sign(v.sub(g2)).mul(g2).mul(oneMinus(b2)));
      }, updates, state.nu);
      const countInc = safeIncrement(state.count);
      const muHat = tu.biasCorrection(mu, b1, countInc);
      const nuHat = tu.biasCorrection(nu, b2, countInc);
      return [tree.map((m: Array, v: Array) => m.div(adamDenom(v, epsRoot, eps)), muHat, nuHat), { count: countInc, mu, nu }];
    },
  };
}

export interface ScaleByLionState {
  count: Array;
  mu: PyTree;
}

/** Lion (Chen et al. 2023): the sign of an interpolation of gradient and momentum. */
export function scaleByLion(opts: { b1?: Scalar; b2?: Scalar; muDtype?: string | null } = {}): GradientTransformation<ScaleByLionState> {
  const { b1 = 0.9, b2 = 0.99, muDtype = null } = opts;
  return {
    init: (params) => ({ count: zeroCount(), mu: tu.zerosLike(params, muDtype) }),
    update: (updates, state) => {
      const out = tree.map((g: Array, m: Array) => jnp.sign(g.mul(oneMinus(b1)).add(m.mul(b1))), updates, state.mu);
      const mu = tu.cast(tu.updateMoment(updates, state.mu, b2, 1), muDtype);
      return [out, { count: safeIncrement(state.count), mu }];
    },
  };
}

export interface ScaleByNovogradState {
  count: Array;
  mu: PyTree;
  nu: PyTree;
}

/** NovoGrad (Ginsburg et al. 2019): a per-layer second moment of the gradient norm. */
export function scaleByNovograd(opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar; epsRoot?: Scalar; weightDecay?: Scalar; muDtype?: string | null } = {}): GradientTransformation<ScaleByNovogradState> {
  const { b1 = 0.9, b2 = 0.25, eps = 1e-8, epsRoot = 0, weightDecay = 0, muDtype = null } = opts;
  return {
    init: (params) => ({ count: zeroCount(), mu: tu.zerosLike(params, muDtype), nu: tree.map((p: Array) => jnp.zeros([], { dtype: p.dtype }), params) }),
    update: (updates, state, params) => {
      const ps = requireParams("scaleByNovograd", params);
      const countInc = safeIncrement(state.count);
      const first = countInc.eq(1);
      // The first step initializes the moments instead of averaging (Optax's lax.cond; a select here).
      const nu = tree.map((g: Array, n: Array) => {
        const sq = g.mul(g).sum().astype(n.dtype);
        return jnp.where(first, sq, sq.mul(oneMinus(b2)).add(n.mul(b2)));
      }, updates, state.nu);
      const mu = tree.map((g: Array, p: Array, m: Array, n: Array) => {
        const add = g.div(lax.sqrt(n.add(epsRoot)).add(eps)).add(p.mul(weightDecay));
        return jnp.where(first, add, m.mul(b1).add(add));
      }, updates, ps, state.mu, nu);
      const muC = tu.cast(mu, muDtype);
      return [muC, { count: countInc, mu: muC, nu }];
    },
  };
}

// ---------------------------------------------------------------------------
// RMS family, Adagrad, Adadelta

export interface RmsOptions {
  decay?: Scalar;
  eps?: Scalar;
  initialScale?: number;
  epsInSqrt?: boolean;
  biasCorrection?: boolean;
}

function rmsScaling(nuHat: Array, eps: Scalar, epsInSqrt: boolean): Array {
  return epsInSqrt ? lax.rsqrt(nuHat.add(eps)) : asArray(1).astype(nuHat.dtype).div(lax.sqrt(nuHat).add(eps));
}

/** RMSProp's rescaling by the root of an EMA of squared gradients. State `{nu}` (`{count, nu}` with bias correction). */
export function scaleByRms(opts: RmsOptions = {}): GradientTransformation<{ nu: PyTree; count?: Array }> {
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true, biasCorrection = false } = opts;
  return {
    init: (params) => (biasCorrection ? { count: zeroCount(), nu: tu.fullLike(params, initialScale) } : { nu: tu.fullLike(params, initialScale) }),
    update: (updates, state) => {
      const nu = tu.updateMoment(updates, state.nu, decay, 2);
      const countInc = biasCorrection ? safeIncrement(state.count!) : null;
      const nuHat = countInc ? tu.biasCorrection(nu, decay, countInc) : nu;
      const out = tree.map((g: Array, n: Array) => rmsScaling(n, eps, epsInSqrt).mul(g), updates, nuHat);
      return [out, countInc ? { count: countInc, nu } : { nu }];
    },
  };
}

/** Centered RMSProp: rescales by the root of the EMA variance `nu - mu²`. State `{mu, nu}` (plus `count` with bias correction). */
export function scaleByStddev(opts: RmsOptions = {}): GradientTransformation<{ mu: PyTree; nu: PyTree; count?: Array }> {
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true, biasCorrection = false } = opts;
  return {
    init: (params) => {
      const s = { mu: tu.zerosLike(params), nu: tu.fullLike(params, initialScale) };
      return biasCorrection ? { count: zeroCount(), ...s } : s;
    },
    update: (updates, state) => {
      const mu = tu.updateMoment(updates, state.mu, decay, 1);
      const nu = tu.updateMoment(updates, state.nu, decay, 2);
      const countInc = biasCorrection ? safeIncrement(state.count!) : null;
      const muHat = countInc ? tu.biasCorrection(mu, decay, countInc) : mu;
      const nuHat = countInc ? tu.biasCorrection(nu, decay, countInc) : nu;
      const out = tree.map((g: Array, m: Array, n: Array) => rmsScaling(n.sub(m.mul(m)), eps, epsInSqrt).mul(g), updates, muHat, nuHat);
      return [out, countInc ? { count: countInc, mu, nu } : { mu, nu }];
    },
  };
}

/** Adagrad's rescaling by the root of the running sum of squares. State `{sumOfSquares}`. */
export function scaleByRss(opts: { initialAccumulatorValue?: number; eps?: Scalar } = {}): GradientTransformation<{ sumOfSquares: PyTree }> {
  const { initialAccumulatorValue = 0.1, eps = 1e-7 } = opts;
  return {
    init: (params) => ({ sumOfSquares: tu.fullLike(params, initialAccumulatorValue) }),
    update: (updates, state) => {
      const sos = tree.map((g: Array, t: Array) => g.mul(g).add(t), updates, state.sumOfSquares);
      const out = tree.map((g: Array, t: Array) => jnp.where(t.gt(0), lax.rsqrt(t.add(eps)), 0).mul(g), updates, sos);
      return [out, { sumOfSquares: sos }];
    },
  };
}

/** Adadelta (Zeiler 2012). State `{eG, eX}`: EMAs of squared gradients and squared updates. */
export function scaleByAdadelta(opts: { rho?: Scalar; eps?: Scalar } = {}): GradientTransformation<{ eG: PyTree; eX: PyTree }> {
  const { rho = 0.9, eps = 1e-6 } = opts;
  return {
    init: (params) => ({ eG: tu.zerosLike(params), eX: tu.zerosLike(params) }),
    update: (updates, state) => {
      const eG = tu.updateMoment(updates, state.eG, rho, 2);
      const out = tree.map((g: Array, eg: Array, ex: Array) => lax.sqrt(ex.add(eps)).div(lax.sqrt(eg.add(eps))).mul(g), updates, eG, state.eX);
      const eX = tu.updateMoment(out, state.eX, rho, 2);
      return [out, { eG, eX }];
    },
  };
}

// ---------------------------------------------------------------------------
// Trust ratios and parameter scaling (LAMB, LARS, Adafactor)

/** `||x||₂`, or `minNorm` when the norm is at most `minNorm`, with gradients that stay finite at 0. */
export function safeNorm(x: Array, minNorm: Scalar): Array {
  const norm = lax.sqrt(x.mul(x).sum());
  const small = norm.le(minNorm);
  const xs = jnp.where(small, jnp.onesLike(x), x);
  return jnp.where(small, castTo(minNorm, norm), lax.sqrt(xs.mul(xs).sum()));
}

/** Root mean square of `x`, at least `minRms`. */
export function safeRootMeanSquares(x: Array, minRms: Scalar): Array {
  const rms = lax.sqrt(x.mul(x).mean());
  const small = rms.le(minRms);
  const xs = jnp.where(small, jnp.onesLike(x), x);
  return jnp.where(small, castTo(minRms, rms), lax.sqrt(xs.mul(xs).mean()));
}

/** Scales each update by `trustCoefficient · ||param|| / (||update|| + eps)` (1 when either norm is 0). */
export function scaleByTrustRatio(opts: { minNorm?: Scalar; trustCoefficient?: Scalar; eps?: Scalar } = {}): GradientTransformation<EmptyState> {
  const { minNorm = 0, trustCoefficient = 1, eps = 0 } = opts;
  return statelessWithTreeMap(
    "scaleByTrustRatio",
    (u, p) => {
      const pn = safeNorm(p!, minNorm);
      const un = safeNorm(u, minNorm);
      const ratio = pn.mul(trustCoefficient).div(un.add(eps));
      const zero = jnp.logicalOr(pn.eq(0), un.eq(0));
      return u.mul(jnp.where(zero, jnp.onesLike(ratio), ratio).astype(u.dtype));
    },
    true,
  );
}

/** Multiplies each update by the RMS of its parameter (at least `minScale`). */
export function scaleByParamBlockRms(minScale: Scalar = 1e-3): GradientTransformation<EmptyState> {
  return statelessWithTreeMap("scaleByParamBlockRms", (u, p) => u.mul(safeRootMeanSquares(p!, minScale)), true);
}

/** Multiplies each update by the L2 norm of its parameter (at least `minScale`). */
export function scaleByParamBlockNorm(minScale: Scalar = 1e-3): GradientTransformation<EmptyState> {
  return statelessWithTreeMap("scaleByParamBlockNorm", (u, p) => u.mul(safeNorm(p!, minScale)), true);
}

export interface FactoredState {
  count: Array;
  vRow: PyTree;
  vCol: PyTree;
  v: PyTree;
}

/** The two dims Adafactor factors over: [second largest, largest], or null (Optax's `_factored_dims`). */
function factoredDims(shape: readonly number[], factored: boolean, minDimSizeToFactor: number): [number, number] | null {
  if (!factored || shape.length < 2) return null;
  // np.argsort is stable: equal sizes keep index order.
  const sorted = shape.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((e) => e[1]);
  const d1 = sorted[sorted.length - 2]!;
  const d0 = sorted[sorted.length - 1]!;
  if (shape[d1]! < minDimSizeToFactor) return null;
  return [d1, d0];
}

/** Adafactor's factored second-moment rescaling (Shazeer & Stern 2018). */
export function scaleByFactoredRms(
  opts: { factored?: boolean; decayRate?: number; stepOffset?: number; minDimSizeToFactor?: number; epsilon?: number } = {},
): GradientTransformation<FactoredState> {
  const { factored = true, decayRate = 0.8, stepOffset = 0, minDimSizeToFactor = 128, epsilon = 1e-30 } = opts;
  const dummy = (p: Array) => jnp.zeros([1], { dtype: p.dtype });
  const without = (p: Array, axis: number) => jnp.zeros(p.shape.filter((_, i) => i !== axis), { dtype: p.dtype });
  return {
    init: (params) => ({
      count: zeroCount(),
      vRow: tree.map((p: Array) => {
        const f = factoredDims(p.shape, factored, minDimSizeToFactor);
        return f ? without(p, f[1]) : dummy(p);
      }, params),
      vCol: tree.map((p: Array) => {
        const f = factoredDims(p.shape, factored, minDimSizeToFactor);
        return f ? without(p, f[0]) : dummy(p);
      }, params),
      v: tree.map((p: Array) => (factoredDims(p.shape, factored, minDimSizeToFactor) ? dummy(p) : jnp.zerosLike(p)), params),
    }),
    update: (grads, state, params) => {
      const ps = requireParams("scaleByFactoredRms", params);
      // decay_t = 1 - (step + 1)^(-decayRate), in float32 as Optax computes it.
      const t = state.count.sub(stepOffset).add(1).astype(float32);
      const decayT = asArray(1).sub(lax.pow(t, asArray(-decayRate).astype(float32)));
      const results = tree.map((g: Array, vr: Array, vc: Array, v: Array, p: Array) => {
        const dt = castTo(decayT, p);
        const keep = (x: Array, old: Array) => old.mul(dt).add(x.mul(asArray(1).astype(p.dtype).sub(dt))).astype(p.dtype);
        const gsq = g.mul(g).add(epsilon);
        const f = factoredDims(p.shape, factored, minDimSizeToFactor);
        if (f) {
          const [d1, d0] = f;
          const newVr = keep(gsq.mean(d0), vr);
          const newVc = keep(gsq.mean(d1), vc);
          const reducedD1 = d1 > d0 ? d1 - 1 : d1;
          const rowColMean = newVr.mean(reducedD1, { keepdims: true });
          const rowFactor = lax.rsqrt(newVr.div(rowColMean));
          const colFactor = lax.rsqrt(newVc);
          const u = g.mul(rowFactor.expandDims(d0)).mul(colFactor.expandDims(d1));
          return { u, vr: newVr, vc: newVc, v: dummy(p) };
        }
        const newV = keep(gsq, v);
        return { u: g.mul(lax.rsqrt(newV)), vr: dummy(p), vc: dummy(p), v: newV };
      }, grads, state.vRow, state.vCol, state.v, ps);
      const isResult = (x: unknown) => x !== null && typeof x === "object" && "u" in (x as object) && "vr" in (x as object);
      const pick = (k: "u" | "vr" | "vc" | "v") => tree.mapWithOptions({ isLeaf: isResult }, (r: Record<string, Array>) => r[k], results);
      return [pick("u"), { count: safeIncrement(state.count), vRow: pick("vr"), vCol: pick("vc"), v: pick("v") }];
    },
  };
}

// ---------------------------------------------------------------------------
// Accumulation, decay, noise

export interface TraceState {
  trace: PyTree;
}

/** Momentum: `t ← g + decay·t`; returns `t` (or `g + decay·t` with Nesterov). */
export function trace(opts: { decay: Scalar; nesterov?: boolean; accumulatorDtype?: string | null }): GradientTransformation<TraceState> {
  const { decay, nesterov = false, accumulatorDtype = null } = opts;
  return {
    init: (params) => ({ trace: tu.zerosLike(params, accumulatorDtype) }),
    update: (updates, state) => {
      const f = (g: Array, t: Array) => g.add(t.mul(decay));
      const newTrace = tree.map(f, updates, state.trace);
      const out = nesterov ? tree.map(f, updates, newTrace) : newTrace;
      return [out, { trace: tu.cast(newTrace, accumulatorDtype) }];
    },
  };
}

export interface EmaState {
  count: Array;
  ema: PyTree;
}

/** Exponential moving average of the updates, debiased by default. */
export function ema(opts: { decay: Scalar; debias?: boolean; accumulatorDtype?: string | null }): GradientTransformation<EmaState> {
  const { decay, debias = true, accumulatorDtype = null } = opts;
  return {
    init: (params) => ({ count: zeroCount(), ema: tu.zerosLike(params, accumulatorDtype) }),
    update: (updates, state) => {
      const newEma = tu.updateMoment(updates, state.ema, decay, 1);
      const countInc = safeIncrement(state.count);
      const out = debias ? tu.biasCorrection(newEma, decay, countInc) : newEma;
      return [out, { count: countInc, ema: tu.cast(newEma, accumulatorDtype) }];
    },
  };
}

/** `updates + weightDecay · params` (decoupled weight decay), optionally masked. A schedule is evaluated at its own count. */
export function addDecayedWeights(weightDecay: ScalarOrSchedule = 0, mask?: Mask | null): GradientTransformation {
  const scheduled = typeof weightDecay === "function";
  const inner: GradientTransformation = {
    init: () => (scheduled ? { count: zeroCount() } : emptyState()),
    update: (updates, state, params) => {
      const ps = requireParams("addDecayedWeights", params);
      const newState = scheduled ? { count: safeIncrement(state.count) } : state;
      if (weightDecay === 0) return [updates, newState];
      const s = evalScalar(weightDecay, scheduled ? state.count : asArray(0));
      return [tree.map((g: Array, p: Array) => g.add(p.mul(s)), updates, ps), newState];
    },
  };
  return mask === undefined || mask === null ? inner : masked(inner, mask);
}

export interface AddNoiseState {
  count: Array;
  rngKey: Array;
}

/** Adds Gaussian noise with variance `eta / (t+1)^gamma` (Neelakantan et al. 2015). */
export function addNoise(eta: Scalar, gamma: Scalar, key: Array | number = 0): GradientTransformation<AddNoiseState> {
  return {
    init: () => ({ count: zeroCount(), rngKey: typeof key === "number" ? random.key(key) : key }),
    update: (updates, state) => {
      const countInc = safeIncrement(state.count);
      const std = lax.sqrt(asArray(eta).astype(float32).div(lax.pow(countInc.astype(float32), asArray(gamma).astype(float32))));
      const [rngKey, sampleKey] = splitTwo(state.rngKey);
      const [leaves, def] = tree.flatten(updates);
      const keys = random.split(sampleKey, leaves.length);
      const noisy = leaves.map((g: Array, i: number) => g.add(castTo(std, g).mul(random.normal(keys.get(i), g.shape, g.dtype))));
      return [tree.unflatten(def, noisy), { count: countInc, rngKey }];
    },
  };
}

function splitTwo(key: Array): [Array, Array] {
  const ks = random.split(key, 2);
  return [ks.get(0), ks.get(1)];
}
