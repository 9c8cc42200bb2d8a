// Samplers derived from the basic ones by a transformation, as jax.random
// writes them: rademacher, lognormal, pareto, chisquare, f, t, rayleigh,
// weibull_min, geometric, triangular, wald, maxwell, double_sided_maxwell,
// generalized_normal, ball.
import { Array, type ArrayInput } from "../array.js";
import { dtype as toDType, type DType, type DTypeLike, float32, int32 } from "../dtypes.js";
import * as lax from "../lax.js";
import {
  broadcastTo,
  checkKey,
  checkParamShapes,
  checkShapeArg,
  convert,
  floatDType,
  intDType,
  konst,
  shapeOf,
  unstack,
  type Shape,
} from "./common.js";
import { broadcastShapesOrThrow, exponentialImpl, normalImpl, uniformImpl } from "./continuous.js";
import { bernoulli } from "./discrete.js";
import { gamma, loggamma } from "./gamma.js";
import { splitKey } from "./threefry.js";

const split2 = (k: Array) => unstack(splitKey(k, [2])) as [Array, Array];

/** _check_broadcast_shapes: the broadcast of the parameter shapes, or `shape` checked against them. */
function paramShape(op: string, shape: Shape | null | undefined, ...params: ArrayInput[]): number[] {
  const shapes = params.map(shapeOf);
  if (shape === null || shape === undefined) return broadcastShapesOrThrow(op, ...shapes);
  const s = checkShapeArg(op, shape);
  checkParamShapes(op, s, ...shapes);
  return s;
}

/** dtypes.safe_to_cast for array parameters (JS numbers always cast). */
function checkSafeCast(op: string, d: DType, ...args: ArrayInput[]): void {
  for (const x of args) {
    if (x instanceof Array && !x.weakType && x.dtype.kind === "f" && x.dtype.bits > d.bits) {
      throw new TypeError(`[random.${op}] cannot safely cast argument of type ${x.dtype.name} to ${d.name}`);
    }
  }
}

/** random.rademacher(key, shape=[], dtype=int32): -1 or 1 with equal probability. */
export function rademacher(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("rademacher", key);
  const s = checkShapeArg("rademacher", shape);
  const d = dtype === null || dtype === undefined ? int32 : floatOrInt("rademacher", dtype);
  const b = bernoulli(k, 0.5, s).astype(d);
  return b.mul(2).sub(1).astype(d);
}

function floatOrInt(op: string, dtype: DTypeLike): DType {
  const d = toDType(dtype);
  if (d.kind === "b") throw new TypeError(`[random.${op}] dtype must be numeric, got bool`);
  return d;
}

/** random.lognormal(key, sigma=1, shape?, dtype=float32): exp(sigma * normal). */
export function lognormal(key: Array, sigma: ArrayInput = 1, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "lognormal";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, sigma);
  checkSafeCast(op, d, sigma);
  return lax.exp(normalImpl(k, s, d).mul(convert(sigma, d)));
}

/** random.pareto(key, b, shape?, dtype=float32): exp(exponential / b). */
export function pareto(key: Array, b: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "pareto";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, b);
  checkSafeCast(op, d, b);
  return lax.exp(exponentialImpl(k, s, d).div(convert(b, d)));
}

function chisquareImpl(key: Array, df: Array, shape: number[], d: DType): Array {
  const half = df.div(konst(2, d));
  return lax.mul(lax.exp(loggamma(key, half, shape, d)), konst(2, d));
}

/** random.chisquare(key, df, shape?, dtype=float32): 2 Gamma(df / 2), sampled in log space. */
export function chisquare(key: Array, df: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "chisquare";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, df);
  checkSafeCast(op, d, df);
  return chisquareImpl(k, convert(df, d), s, d);
}

/** random.f(key, dfnum, dfden, shape?, dtype=float32): (chi2(dfnum)/dfnum) / (chi2(dfden)/dfden). */
export function f(key: Array, dfnum: ArrayInput, dfden: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "f";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, dfnum, dfden);
  checkSafeCast(op, d, dfnum, dfden);
  const den = convert(dfden, d);
  const num = convert(dfnum, d);
  const [keyDen, keyNum] = split2(k);
  const chiNum = chisquareImpl(keyNum, num, s, d);
  const chiDen = chisquareImpl(keyDen, den, s, d);
  return lax.div(chiNum.div(num), chiDen.div(den));
}

/** random.t(key, df, shape?, dtype=float32): normal * sqrt((df / 2) / Gamma(df / 2)). */
export function t(key: Array, df: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "t";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, df);
  checkSafeCast(op, d, df);
  const dfa = convert(df, d);
  const [keyN, keyG] = split2(k);
  const n = normalImpl(keyN, s, d);
  const half = dfa.div(konst(2, d));
  const g = gamma(keyG, half, s, d);
  return n.mul(lax.sqrt(half.div(g)));
}

/** random.rayleigh(key, scale, shape?, dtype=float32): scale * sqrt(-2 log u). */
export function rayleigh(key: Array, scale: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "rayleigh";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, scale);
  checkSafeCast(op, d, scale);
  const u = uniformImpl(k, s, d, 0, 1);
  const sc = broadcastTo(convert(scale, d), s);
  return lax.mul(sc, lax.sqrt(lax.mul(lax.log(u), konst(-2, d))));
}

/** random.weibull_min(key, scale, concentration, shape=[], dtype=float32): by the inverse CDF. */
export function weibullMin(
  key: Array,
  scale: ArrayInput,
  concentration: ArrayInput,
  shape: Shape = [],
  dtype: DTypeLike | null = null,
): Array {
  const op = "weibullMin";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = checkShapeArg(op, shape);
  const u = uniformImpl(k, s, d, 0, 1);
  const inv = concentration instanceof Array ? lax.div(konst(1, concentration.dtype), concentration) : 1 / Number(concentration);
  return lax.neg(lax.log1p(lax.neg(u))).pow(inv).mul(scale);
}

/** random.geometric(key, p, shape?, dtype=int32): floor(log u / log(1 - p)) + 1 trials. */
export function geometric(key: Array, p: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "geometric";
  const k = checkKey(op, key);
  const d = intDType(op, dtype);
  const s = paramShape(op, shape, p);
  let pa = p instanceof Array ? p : lax.convertElementType(konst(p, float32), float32, true);
  if (pa.dtype.kind !== "f") pa = pa.astype(float32);
  let u = uniformImpl(k, s, pa.dtype, 0, 1);
  u = lax.select(lax.eq(u, konst(0, pa.dtype)), lax.broadcastInDim(konst(1, pa.dtype), u.shape, []), u);
  const logU = lax.log(u);
  const log1mP = broadcastTo(lax.log1p(lax.neg(pa)), s);
  return lax.add(lax.floor(lax.div(logU, log1mP)), konst(1, pa.dtype)).astype(d);
}

/** random.triangular(key, left, mode, right, shape?, dtype=float32): by the inverse CDF. */
export function triangular(
  key: Array,
  left: ArrayInput,
  mode: ArrayInput,
  right: ArrayInput,
  shape: Shape | null = null,
  dtype: DTypeLike | null = null,
): Array {
  const op = "triangular";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, left, mode, right);
  checkSafeCast(op, d, left, mode, right);
  const l = broadcastTo(convert(left, d), s);
  const r = broadcastTo(convert(right, d), s);
  const m = broadcastTo(convert(mode, d), s);
  const fc = lax.div(lax.sub(m, l), lax.sub(r, l));
  const u = uniformImpl(k, s, d, 0, 1);
  const out1 = lax.add(l, lax.sqrt(lax.mul(lax.mul(u, lax.sub(r, l)), lax.sub(m, l))));
  const out2 = lax.sub(r, lax.sqrt(lax.mul(lax.mul(lax.sub(konst(1, d), u), lax.sub(r, l)), lax.sub(r, m))));
  return lax.select(lax.lt(u, fc), out1, out2);
}

/** random.wald(key, mean, shape?, dtype=float32): inverse Gaussian samples (Michael, Schucany and Haas). */
export function wald(key: Array, mean: ArrayInput, shape: Shape | null = null, dtype: DTypeLike | null = null): Array {
  const op = "wald";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = paramShape(op, shape, mean);
  checkSafeCast(op, d, mean);
  const [k1, k2] = split2(k);
  const mu = broadcastTo(convert(mean, d), s);
  const v = normalImpl(k1, s, d);
  const z = uniformImpl(k2, s, d, 0, 1);
  const c = (x: number) => konst(x, d);
  const y = lax.integerPow(v, 2);
  const ySq = lax.integerPow(y, 2);
  const muSq = lax.integerPow(mu, 2);
  const sqrtTerm = lax.sqrt(lax.add(lax.mul(lax.mul(c(4), mu), y), lax.mul(muSq, ySq)));
  const x = lax.sub(lax.add(mu, lax.div(lax.mul(muSq, y), c(2))), lax.mul(lax.div(mu, c(2)), sqrtTerm));
  return lax.select(lax.le(z, lax.div(mu, lax.add(mu, x))), x, lax.div(muSq, x));
}

function maxwellImpl(key: Array, shape: number[], d: DType): Array {
  const n = normalImpl(key, [...shape, 3], d);
  return lax.sqrt(lax.mul(n, n).sum(-1));
}

/** random.maxwell(key, shape=[], dtype=float32): the norm of a standard normal 3-vector. */
export function maxwell(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("maxwell", key);
  return maxwellImpl(k, checkShapeArg("maxwell", shape), floatDType("maxwell", dtype));
}

/**
 * random.double_sided_maxwell(key, loc, scale, shape=[], dtype=float32):
 * loc + scale * sign * maxwell. As in JAX the result has shape
 * [...shape, ...broadcast(loc, scale)] (shape defaults to that broadcast).
 */
export function doubleSidedMaxwell(
  key: Array,
  loc: ArrayInput,
  scale: ArrayInput,
  shape: Shape = [],
  dtype: DTypeLike | null = null,
): Array {
  const op = "doubleSidedMaxwell";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const params = broadcastShapesOrThrow(op, shapeOf(loc), shapeOf(scale));
  let s = checkShapeArg(op, shape);
  if (s.length === 0) s = params;
  s = [...s, ...params];
  const [maxwellKey, signKey] = split2(k);
  const m = maxwellImpl(maxwellKey, s, d);
  const sign = rademacher(signKey, s, d);
  return sign.mul(m).mul(scale).add(loc);
}

/** random.generalized_normal(key, p, shape=[], dtype=float32): density proportional to exp(-|x|^p). */
export function generalizedNormal(key: Array, p: number, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const op = "generalizedNormal";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = checkShapeArg(op, shape);
  const [k0, k1] = split2(k);
  const g = gamma(k0, 1 / p, s, d);
  const r = rademacher(k1, s, d);
  return r.mul(g.pow(1 / p));
}

/** random.ball(key, d, p=2, shape=[], dtype=float32): uniform samples from the unit Lp ball in d dimensions. */
export function ball(key: Array, d: number, p = 2, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const op = "ball";
  const k = checkKey(op, key);
  const dt = floatDType(op, dtype);
  const s = checkShapeArg(op, shape);
  if (!Number.isInteger(d) || d < 0) throw new TypeError(`[random.ball] d must be a non-negative integer, got ${d}`);
  const [k1, k2] = split2(k);
  const g = generalizedNormal(k1, p, [...s, d], dt);
  const e = exponentialImpl(k2, s, dt);
  const norm = g.abs().pow(p).sum(-1).add(e).pow(1 / p);
  return g.div(lax.expandDims(norm, [norm.ndim]));
}
