// Continuous samplers built on uniform bits, each following jax.random's
// formulation (jax/_src/random/core.py) so the same key gives the same values.
import { Array, type ArrayInput } from "../array.js";
import { type DType, type DTypeLike, float16, float64, uint16, uint32 } from "../dtypes.js";
import * as lax from "../lax.js";
import { stopGradient } from "../primitives/elementwise.js";
import {
  broadcastToRank,
  checkKey,
  checkParamShapes,
  checkShapeArg,
  convert,
  finfo,
  floatDType,
  konst,
  shapeOf,
  unstack,
  type Shape,
} from "./common.js";
import { bitsPair, randomBits } from "./threefry.js";

/**
 * Floats uniform in [0, 1): random mantissa bits under the exponent of 1.0,
 * bitcast, minus one (float64 takes 64 bits: the hi word of the threefry pair
 * above the lo word, as JAX's 64-bit random_bits).
 */
function unitFloats(key: Array, shape: Shape, d: DType): Array {
  const { nmant } = finfo(d);
  let one: Array;
  if (d === float64) {
    const [b1, b2] = bitsPair(key, shape);
    const u = (v: number) => konst(v, uint32);
    const hi = lax.bitwiseOr(lax.shiftRightLogical(b1, u(12)), u(0x3ff00000));
    const lo = lax.bitwiseOr(lax.shiftLeft(b1, u(20)), lax.shiftRightLogical(b2, u(12)));
    one = lax.bitcastConvertType(lax.concatenate([lax.expandDims(lo, [shape.length]), lax.expandDims(hi, [shape.length])], shape.length), float64);
  } else if (d === float16) {
    const bits = randomBits(key, 16, shape);
    const u = (v: number) => konst(v, uint16);
    one = lax.bitcastConvertType(lax.bitwiseOr(lax.shiftRightLogical(bits, u(16 - nmant)), u(0x3c00)), float16);
  } else {
    const bits = randomBits(key, 32, shape);
    const u = (v: number) => konst(v, uint32);
    one = lax.bitcastConvertType(lax.bitwiseOr(lax.shiftRightLogical(bits, u(32 - nmant)), u(0x3f800000)), d);
  }
  return lax.sub(one, konst(1, d));
}

/** jax.random._uniform: floats in [minval, maxval) (minval wherever maxval <= minval). */
export function uniformImpl(key: Array, shape: Shape, d: DType, minval: ArrayInput, maxval: ArrayInput): Array {
  const lo = broadcastToRank(convert(minval, d), shape.length);
  const hi = broadcastToRank(convert(maxval, d), shape.length);
  const floats = unitFloats(key, shape, d);
  return lax.max(lo, lax.reshape(floats.mul(hi.sub(lo)).add(lo), shape));
}

/**
 * random.uniform(key, shape=[], dtype=float32, minval=0, maxval=1): floats in
 * [minval, maxval); minval and maxval broadcast to `shape`.
 */
export function uniform(
  key: Array,
  shape: Shape = [],
  dtype: DTypeLike | null = null,
  minval: ArrayInput = 0,
  maxval: ArrayInput = 1,
): Array {
  const k = checkKey("uniform", key);
  const d = floatDType("uniform", dtype);
  const s = checkShapeArg("uniform", shape);
  checkParamShapes("uniform", s, shapeOf(minval), shapeOf(maxval));
  return uniformImpl(k, s, d, minval, maxval);
}

/** jax.random._normal_real: sqrt(2) erfinv(u), u uniform in (-1, 1). */
export function normalImpl(key: Array, shape: Shape, d: DType): Array {
  const lo = -1 + finfo(d).epsneg; // nextafter(-1, 0)
  const u = uniformImpl(key, shape, d, lo, 1);
  return lax.mul(konst(Math.SQRT2, d), lax.erfInv(u));
}

/** random.normal(key, shape=[], dtype=float32): standard normal samples. */
export function normal(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("normal", key);
  return normalImpl(k, checkShapeArg("normal", shape), floatDType("normal", dtype));
}

/**
 * random.truncated_normal(key, lower, upper, shape?, dtype=float32): standard
 * normal samples in the open interval (lower, upper), by inverting the CDF.
 */
export function truncatedNormal(
  key: Array,
  lower: ArrayInput,
  upper: ArrayInput,
  shape: Shape | null = null,
  dtype: DTypeLike | null = null,
): Array {
  const op = "truncatedNormal";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  let s: number[];
  if (shape === null || shape === undefined) {
    s = broadcastShapesOrThrow(op, shapeOf(lower), shapeOf(upper));
  } else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, shapeOf(lower), shapeOf(upper));
  }
  const sqrt2 = konst(Math.SQRT2, d);
  const lo = convert(lower, d);
  const hi = convert(upper, d);
  const a = lax.erf(lo.div(sqrt2));
  const b = lax.erf(hi.div(sqrt2));
  const u = uniformImpl(k, s, d, a, b);
  const out = lax.mul(sqrt2, lax.erfInv(u));
  // Clamp to the open interval: rounding (or u = a) could reach the bounds.
  return out.clip(
    lax.nextafter(stopGradient(lo), konst(Infinity, d)),
    lax.nextafter(stopGradient(hi), konst(-Infinity, d)),
  );
}

export function broadcastShapesOrThrow(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new globalThis.Array<number>(nd).fill(1);
  for (const sh of shapes) {
    sh.forEach((dim, i) => {
      const j = nd - sh.length + i;
      if (out[j] === 1) out[j] = dim;
      else if (dim !== 1 && dim !== out[j]) {
        throw new RangeError(`[random.${op}] incompatible shapes for broadcasting: ${shapes.map((x) => `(${x.join(",")})`).join(", ")}`);
      }
    });
  }
  return out;
}

/** random.exponential(key, shape=[], dtype=float32): -log(1 - u). */
export function exponential(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("exponential", key);
  const d = floatDType("exponential", dtype);
  return exponentialImpl(k, checkShapeArg("exponential", shape), d);
}

export function exponentialImpl(key: Array, shape: Shape, d: DType): Array {
  const u = uniformImpl(key, shape, d, 0, 1);
  return lax.neg(lax.log1p(lax.neg(u)));
}

export type GumbelMode = "low" | "high" | "highest";

/**
 * random.gumbel(key, shape=[], dtype=float32, mode="low"): -log(-log(u)).
 * "high" draws two uniforms per sample for more resolution near 0 and 1;
 * "highest" (float32) builds each uniform from 64 random bits.
 */
export function gumbel(key: Array, shape: Shape = [], dtype: DTypeLike | null = null, mode: GumbelMode | null = null): Array {
  const k = checkKey("gumbel", key);
  const d = floatDType("gumbel", dtype);
  const m = mode ?? "low";
  if (m !== "low" && m !== "high" && m !== "highest") {
    throw new RangeError(`[random.gumbel] mode must be "low", "high" or "highest", got ${JSON.stringify(mode)}`);
  }
  return gumbelImpl(k, checkShapeArg("gumbel", shape), d, m);
}

export function gumbelImpl(key: Array, shape: Shape, d: DType, mode: GumbelMode): Array {
  const info = finfo(d);
  const c = (v: number) => konst(v, d);
  const negLogNegLog1pNeg = (x: Array) => lax.neg(lax.log(lax.neg(lax.log1p(lax.neg(x)))));
  if (mode === "highest" && d.name === "float32") {
    const u = (v: number) => konst(v, uint32);
    const b = randomBits(key, 32, [2, ...shape]);
    const neg = lax.bitwiseNot(b);
    const [neg0, neg1] = unstack(neg) as [Array, Array];
    // 1 - bits in u64 fixed point: increment the low word, carrying into the high word.
    const carry = lax.convertElementType(lax.eq(neg1, u(0xffffffff)), uint32);
    const negged = stackFront([lax.add(neg0, carry), lax.add(neg1, u(1))]);
    const flip = lax.lt(unstack(b)[0]!, u(2 ** 31));
    const x = safeIntToFloat(lax.select(lax.broadcastInDim(flip, [2, ...shape], shape.map((_, i) => i + 1)), b, negged));
    return lax.select(flip, negLogNegLog1pNeg(x), lax.neg(lax.log(lax.neg(lax.log(x)))));
  }
  if (mode === "high" || mode === "highest") {
    const [high, low] = unstack(uniformImpl(key, [2, ...shape], d, 0, 1)) as [Array, Array];
    const x = lax.select(lax.ge(high, c(0.5)), high, lax.add(lax.add(high, lax.mul(c(2 ** -info.nmant), low)), c(info.tiny)));
    return negLogNegLog1pNeg(x);
  }
  return lax.neg(lax.log(lax.neg(lax.log(uniformImpl(key, shape, d, info.tiny, 1)))));
}

function stackFront(xs: Array[]): Array {
  return lax.concatenate(
    xs.map((x) => lax.expandDims(x, [0])),
    0,
  );
}

/** jax.random._safe_int_to_float: u32[2, ...] as a 64-bit fixed-point fraction -> f32 in (0, 1). */
function safeIntToFloat(bits: Array): Array {
  const u = (v: number) => konst(v >>> 0, uint32);
  const [hi, lo] = unstack(bits) as [Array, Array];
  const hiclz = lax.clz(hi);
  const loclz = lax.clz(lo);
  const hiAll = lax.eq(hiclz, u(32));
  let mantissa = lax.bitwiseOr(
    lax.shiftLeft(hi, hiclz),
    lax.select(hiAll, lax.shiftLeft(lo, loclz), lax.shiftRightLogical(lo, lax.sub(u(32), hiclz))),
  );
  mantissa = lax.shiftRightLogical(mantissa, u(32 - 23 - 1));
  mantissa = lax.bitwiseAnd(mantissa, u((1 << 23) - 1));
  let exp = lax.shiftLeft(lax.sub(u(126), lax.select(hiAll, lax.add(u(32), loclz), hiclz)), u(23));
  exp = lax.bitwiseAnd(exp, u(2 ** 30 - 2 ** 22));
  return lax.bitcastConvertType(lax.bitwiseOr(exp, mantissa), "float32");
}

/** random.laplace(key, shape=[], dtype=float32): sign(u) log1p(-|u|), u in (-1, 1). */
export function laplace(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("laplace", key);
  const d = floatDType("laplace", dtype);
  const u = uniformImpl(k, checkShapeArg("laplace", shape), d, -1 + finfo(d).epsneg, 1);
  return lax.mul(lax.sign(u), lax.log1p(lax.neg(lax.abs(u))));
}

/** random.logistic(key, shape=[], dtype=float32): log(u) - log1p(-u). */
export function logistic(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("logistic", key);
  const d = floatDType("logistic", dtype);
  const x = uniformImpl(k, checkShapeArg("logistic", shape), d, finfo(d).tiny, 1);
  return lax.sub(lax.log(x), lax.log1p(lax.neg(x)));
}

/** random.cauchy(key, shape=[], dtype=float32): tan(pi (u - 1/2)). */
export function cauchy(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("cauchy", key);
  const d = floatDType("cauchy", dtype);
  const u = uniformImpl(k, checkShapeArg("cauchy", shape), d, finfo(d).eps, 1);
  return lax.tan(lax.mul(konst(Math.PI, d), lax.sub(u, konst(0.5, d))));
}
