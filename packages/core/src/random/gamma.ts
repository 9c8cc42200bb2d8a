// Gamma-family and Poisson samplers with JAX's algorithms and sampling loops
// (jax/_src/random/core.py): Marsaglia-Tsang rejection per element (one key per
// element, the loops vectorized by vmap as JAX's CPU lowering does), beta and
// Dirichlet from log-gamma samples, Poisson by Knuth's method below lambda = 10
// and Hörmann's transformed rejection above.
//
// Differentiable in the shape parameters by JAX's implicit reparameterization
// gradient (random_gamma_grad, in gamma_grad.ts), attached with customJvp.
import { Array, type ArrayInput } from "../array.js";
import { bool, canCast, type DType, type DTypeLike, float32, int32, intRange } from "../dtypes.js";
import * as lax from "../lax.js";
import { stopGradient } from "../primitives/elementwise.js";
import { customJvp } from "../transforms/custom.js";
import { vmap } from "../transforms/vmap.js";
import {
  broadcastTo,
  checkKey,
  checkParamShapes,
  checkShapeArg,
  convert,
  finfo,
  floatDType,
  full,
  intDType,
  konst,
  shapeOf,
  unstack,
  type Shape,
} from "./common.js";
import { broadcastShapesOrThrow, exponentialImpl, normalImpl, uniformImpl } from "./continuous.js";
import { randomGammaGrad } from "./gamma_grad.js";
import { splitKey } from "./threefry.js";

const split2 = (k: Array) => unstack(splitKey(k, [2])) as [Array, Array];

/** jax.random._gamma_one: one Marsaglia-Tsang sample for a scalar alpha. */
function gammaOne(key: Array, alpha: Array, logSpace: boolean): Array {
  const d0 = alpha.dtype;
  const c = (v: number) => konst(v, d0);
  const zero = c(0);
  const one = c(1);
  const oneThird = c(1 / 3);
  // alpha < 1 samples Gamma(alpha + 1) * U^(1/alpha).
  const boostMask = lax.ge(alpha, one);
  const alphaOrig = alpha;
  const a = lax.select(boostMask, alpha, lax.add(alpha, one));
  const d = lax.sub(a, oneThird);
  const cc = lax.div(oneThird, lax.sqrt(d));

  type State = [Array, Array, Array, Array];
  const condFn = ([, X, V, U]: State) =>
    lax.bitwiseAnd(
      lax.ge(U, lax.sub(one, lax.mul(c(0.0331), lax.mul(X, X)))),
      lax.ge(lax.log(U), lax.add(lax.mul(X, c(0.5)), lax.mul(d, lax.add(lax.sub(one, V), lax.log(V))))),
    );
  const bodyFn = ([k]: State): State => {
    const [k1, xKey, uKey] = unstack(splitKey(k, [3])) as [Array, Array, Array];
    const [, x, v] = lax.whileLoop(
      ([, , v]: [Array, Array, Array]) => lax.le(v, zero),
      ([kk]: [Array, Array, Array]): [Array, Array, Array] => {
        const [next, sub] = split2(kk);
        const xx = normalImpl(sub, [], d0);
        return [next, xx, lax.add(one, lax.mul(xx, cc))];
      },
      [xKey, zero, c(-1)] as [Array, Array, Array],
    );
    const X = lax.mul(x, x);
    const V = lax.mul(lax.mul(v, v), v);
    const U = uniformImpl(uKey, [], d0, 0, 1);
    return [k1, X, V, U];
  };
  const [k0, subkey] = split2(key);
  // The initial state makes condFn true.
  const [, , V] = lax.whileLoop(condFn, bodyFn, [k0, zero, one, c(2)] as State);
  if (logSpace) {
    const logSamples = lax.neg(exponentialImpl(subkey, [], d0));
    const logBoost = lax.select(
      lax.bitwiseOr(boostMask, lax.eq(logSamples, zero)),
      zero,
      lax.mul(logSamples, lax.div(one, alphaOrig)),
    );
    return lax.add(lax.add(lax.log(d), lax.log(V)), logBoost);
  }
  const samples = lax.sub(one, uniformImpl(subkey, [], d0, 0, 1));
  const boost = lax.select(boostMask, one, lax.pow(samples, lax.div(one, alphaOrig)));
  return lax.mul(lax.mul(d, V), boost);
}

/** random_gamma_p's implementation: one key per element of `a`. */
function gammaSamples(key: Array, a: Array, logSpace: boolean): Array {
  const n = a.size;
  if (n === 0) return a;
  const keys = splitKey(key, [n]);
  const samples = vmap((k: Array, al: Array) => gammaOne(k, al, logSpace))(keys, lax.reshape(a, [n]));
  return lax.reshape(samples, a.shape);
}

/** JAX's random_gamma JVP: d sample / d a by implicit reparameterization (d log-sample in log space). */
function gammaGrad(sample: Array, a: Array, logSpace: boolean): Array {
  if (!logSpace) return randomGammaGrad(a, sample);
  // exp(log-sample) may round to 0: use the smallest normal float instead.
  const x = lax.exp(sample);
  const safe = lax.select(lax.eq(x, konst(0, x.dtype)), full(x.shape, finfo(x.dtype).tiny, x.dtype), x);
  return lax.div(randomGammaGrad(a, safe), safe);
}

function differentiableGamma(logSpace: boolean) {
  const g = customJvp((key: Array, a: Array) => gammaSamples(key, a, logSpace));
  g.defjvps(null, (t: Array, ans: Array, _key: Array, a: Array) => lax.mul(t, gammaGrad(ans, a, logSpace)));
  return g;
}
const gammaDiff = differentiableGamma(false);
const loggammaDiff = differentiableGamma(true);

function gammaImpl(key: Array, a: Array, logSpace: boolean): Array {
  return (logSpace ? loggammaDiff : gammaDiff)(key, a);
}

function gammaLike(op: string, key: Array, a: ArrayInput, shape: Shape | null | undefined, dtype: DTypeLike | null, logSpace: boolean): Array {
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  let s: number[];
  if (shape === null || shape === undefined) s = shapeOf(a);
  else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, shapeOf(a));
  }
  return gammaImpl(k, broadcastTo(convert(a, d), s), logSpace);
}

/**
 * random.gamma(key, a, shape?, dtype=float32): Gamma(a, 1) samples by
 * Marsaglia and Tsang's method (JAX's exact sampling loop).
 */
export function gamma(key: Array, a: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  return gammaLike("gamma", key, a, shape, dtype, false);
}

/** random.loggamma(key, a, shape?, dtype=float32): log of Gamma(a) samples, accurate for small a. */
export function loggamma(key: Array, a: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  return gammaLike("loggamma", key, a, shape, dtype, true);
}

/** dtypes.safe_to_cast for the array parameters of beta (JS numbers always cast). */
function checkSafeCast(op: string, d: DType, ...args: ArrayInput[]): void {
  for (const x of args) {
    if (x instanceof Array && !x.weakType && !canCast(x.dtype, d)) {
      throw new TypeError(`[random.${op}] cannot safely cast argument of type ${x.dtype.name} to ${d.name}`);
    }
  }
}

/** random.beta(key, a, b, shape?, dtype=float32): Beta(a, b) from two log-gamma samples. */
export function beta(key: Array, a: ArrayInput, b: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "beta";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  checkSafeCast(op, d, a, b);
  let s: number[];
  if (shape === null || shape === undefined) s = broadcastShapesOrThrow(op, shapeOf(a), shapeOf(b));
  else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, shapeOf(a), shapeOf(b));
  }
  const [keyA, keyB] = split2(k);
  const logGammaA = gammaImpl(keyA, broadcastTo(convert(a, d), s), true);
  const logGammaB = gammaImpl(keyB, broadcastTo(convert(b, d), s), true);
  // gamma_a / (gamma_a + gamma_b) without underflow.
  const logMax = lax.max(logGammaA, logGammaB);
  const ga = lax.exp(lax.sub(logGammaA, logMax));
  const gb = lax.exp(lax.sub(logGammaB, logMax));
  return lax.div(ga, lax.add(ga, gb));
}

/**
 * random.dirichlet(key, alpha, shape?, dtype=float32): Dirichlet(alpha) samples
 * of shape [...shape, n] for alpha of shape [..., n] (softmax of log-gammas).
 */
export function dirichlet(key: Array, alpha: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "dirichlet";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const ash = shapeOf(alpha);
  if (ash.length < 1) throw new RangeError(`[random.dirichlet] requires alpha.ndim >= 1, got alpha.ndim == ${ash.length}`);
  const batch = ash.slice(0, -1);
  let s: number[];
  if (shape === null || shape === undefined) s = batch;
  else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, batch);
  }
  const full_ = [...s, ash[ash.length - 1]!];
  const logGamma = gammaImpl(k, broadcastTo(convert(alpha, d), full_), true);
  return softmaxLast(logGamma);
}

/** jax.nn.softmax over the last axis. */
function softmaxLast(x: Array): Array {
  const ax = x.ndim - 1;
  const m = stopGradient(x.max(ax, { keepdims: true }));
  const e = lax.exp(x.sub(m));
  return e.div(e.sum(ax, { keepdims: true }));
}

// ---------------------------------------------------------------------------
// Poisson

function poissonKnuth(key: Array, lam: Array, shape: Shape, d: DType, maxIters: number): Array {
  type S = [Array, Array, Array, Array];
  const negLam = lax.neg(lam);
  const [, k] = lax.whileLoop(
    ([i, , , logProd]: S) => lax.bitwiseAnd(lax.gt(logProd, negLam).any(), lax.lt(i, konst(maxIters, int32))),
    ([i, kk, rng, logProd]: S): S => {
      const [next, sub] = split2(rng);
      const k2 = lax.select(lax.gt(logProd, negLam), lax.add(kk, konst(1, d)), kk);
      const u = uniformImpl(sub, shape, float32, 0, 1);
      return [lax.add(i, konst(1, int32)), k2, next, lax.add(logProd, lax.log(u))];
    },
    [konst(0, int32), full(shape, 0, d), key, full(shape, 0, float32)] as S,
  );
  return lax.sub(k, konst(1, d));
}

function poissonRejection(key: Array, lam: Array, shape: Shape, d: DType, maxIters: number): Array {
  const c = (v: number) => konst(v, float32);
  const logLam = lax.log(lam);
  const b = lax.add(c(0.931), lax.mul(c(2.53), lax.sqrt(lam)));
  const a = lax.add(c(-0.059), lax.mul(c(0.02483), b));
  const invAlpha = lax.add(c(1.1239), lax.div(c(1.1328), lax.sub(b, c(3.4))));
  const vR = lax.sub(c(0.9277), lax.div(c(3.6224), lax.sub(b, c(2))));
  type S = [Array, Array, Array, Array];
  const [, kOut] = lax.whileLoop(
    ([i, , accepted]: S) => lax.bitwiseAnd(lax.bitwiseNot(accepted).any(), lax.lt(i, konst(maxIters, int32))),
    ([i, kOut0, accepted, k0]: S): S => {
      const [next, sub0, sub1] = unstack(splitKey(k0, [3])) as [Array, Array, Array];
      const u = lax.sub(uniformImpl(sub0, shape, float32, 0, 1), c(0.5));
      const v = uniformImpl(sub1, shape, float32, 0, 1);
      const uShifted = lax.sub(c(0.5), lax.abs(u));
      const k = lax.floor(lax.add(lax.add(lax.mul(lax.add(lax.div(lax.mul(c(2), a), uShifted), b), u), lam), c(0.43)));
      const s = lax.log(lax.div(lax.mul(v, invAlpha), lax.add(lax.div(a, lax.mul(uShifted, uShifted)), b)));
      const t = lax.sub(lax.add(lax.neg(lam), lax.mul(k, logLam)), lax.lgamma(lax.add(k, c(1))));
      const accept1 = lax.bitwiseAnd(lax.ge(uShifted, c(0.07)), lax.le(v, vR));
      const reject = lax.bitwiseOr(lax.lt(k, c(0)), lax.bitwiseAnd(lax.lt(uShifted, c(0.013)), lax.gt(v, uShifted)));
      const accept2 = lax.le(s, t);
      const accept = lax.bitwiseOr(accept1, lax.bitwiseAnd(lax.bitwiseNot(reject), accept2));
      return [lax.add(i, konst(1, int32)), lax.select(accept, k, kOut0), lax.bitwiseOr(accepted, accept), next];
    },
    [konst(0, int32), full(shape, -1, float32), full(shape, false, bool), key] as S,
  );
  return lax.convertElementType(kOut, d);
}

/**
 * random.poisson(key, lam, shape?, dtype=int32): Poisson(lam) samples (lam is
 * computed in float32); Knuth's algorithm for lam < 10, transformed rejection
 * (Hörmann) otherwise, as JAX, TensorFlow and NumPy.
 */
export function poisson(key: Array, lam: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "poisson";
  const k = checkKey(op, key);
  const d = intDType(op, dtype);
  let s: number[];
  if (shape === null || shape === undefined) s = shapeOf(lam);
  else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, shapeOf(lam));
  }
  const l = broadcastTo(convert(lam, float32), s);
  const useKnuth = lax.bitwiseOr(lax.ne(l, l), lax.lt(l, konst(10, float32)));
  const lamKnuth = lax.select(useKnuth, l, full(s, 0, float32));
  // Rejection's acceptance rate tends to 89% as lam grows: any large value serves.
  const lamRejection = lax.select(useKnuth, full(s, 1e5, float32), l);
  const maxIters = intRange(d)[1];
  const result = lax.select(
    useKnuth,
    poissonKnuth(k, lamKnuth, s, d, Math.min(maxIters, 2 ** 31 - 1)),
    poissonRejection(k, lamRejection, s, d, Math.min(maxIters, 2 ** 31 - 1)),
  );
  return lax.select(lax.eq(l, konst(0, float32)), full(s, 0, d), result);
}
