// Elementwise math of jax.numpy (jax/_src/numpy/ufuncs.py and the elementwise
// parts of lax_numpy.py): NumPy broadcasting, jnp's promotion (JS numbers are
// weak scalars; integer inputs of transcendental functions compute in
// float32), and JAX's formulations, including its custom JVPs (logaddexp,
// sinc at 0, frexp) and its conventions at kinks.
//
// Complex numbers do not exist yet: real() is the identity, imag() zeros,
// conj() the identity and angle() is 0 or pi by sign, as JAX computes them for
// real inputs.
import { Array, customJvp, jvp, lax, scalar, type ArrayInput, type DType } from "@jaxts/core";
import {
  arr,
  bool,
  broadcastAll,
  constLike,
  float32,
  fmt,
  full,
  fullLike,
  indexAxis,
  int32,
  promote,
  promoteDtypes,
} from "./math_helpers.js";
import { finfo } from "./dtypes.js";

type Unary = (x: ArrayInput) => Array;
type Binary = (x: ArrayInput, y: ArrayInput) => Array;

const isIntOrBool = (d: DType) => d.kind !== "f";
const isInt = (d: DType) => d.kind === "i" || d.kind === "u";

function inexact1(op: string, x: ArrayInput): Array {
  return promote(op, [x], { toFloat: true })[0]!;
}
function same1(op: string, x: ArrayInput): Array {
  return promote(op, [x])[0]!;
}

/** A unary function on jnp's promote_args_inexact of its argument. */
function inexactUnary(op: string, f: (x: Array) => Array): Unary {
  const fn = (x: ArrayInput) => f(inexact1(op, x));
  Object.defineProperty(fn, "name", { value: op });
  return fn;
}

function requireKind(op: string, x: Array, ok: (d: DType) => boolean, what: string): void {
  if (!ok(x.dtype)) throw new TypeError(`[${op}] does not accept dtype ${x.dtype.name} (${fmt(x)}); it takes ${what}`);
}

// ---------------------------------------------------------------------------
// Arithmetic

export function add(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("add", [x, y]);
  return a!.dtype === bool ? lax.bitwiseOr(a!, b!) : lax.add(a!, b!);
}

export function subtract(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("subtract", [x, y]);
  requireKind("subtract", a!, (d) => d !== bool, "numbers (use logicalXor for bool)");
  return lax.sub(a!, b!);
}

export function multiply(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("multiply", [x, y]);
  return a!.dtype === bool ? lax.bitwiseAnd(a!, b!) : lax.mul(a!, b!);
}

/** jnp.true_divide: integers and bool divide in float32. */
export function trueDivide(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("true_divide", [x, y], { toFloat: true });
  return lax.div(a!, b!);
}
export const divide = trueDivide;

/** CPython's float divmod, as JAX's _float_divmod: [round(quotient), remainder with the divisor's sign]. */
function floatDivmod(x: Array, y: Array): [Array, Array] {
  let mod = lax.rem(x, y);
  const corrected = lax.select(lax.eq(y, constLike(y, 0)), x, lax.sub(x, mod));
  let div = lax.div(corrected, y);
  const ind = lax.bitwiseAnd(lax.ne(mod, constLike(mod, 0)), lax.ne(lax.sign(y), lax.sign(mod)));
  mod = lax.select(ind, lax.add(mod, y), mod);
  div = lax.select(ind, lax.sub(div, constLike(div, 1)), div);
  return [lax.round(div), mod];
}

/** jnp.floor_divide: integer floor division (x // 0 follows lax.div), float via divmod. */
export function floorDivide(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("floor_divide", [x, y], { numeric: true });
  const d = a!.dtype;
  if (d.kind === "u") return lax.div(a!, b!);
  if (d.kind === "i") {
    const q = lax.div(a!, b!);
    const fix = lax.bitwiseAnd(lax.ne(lax.sign(a!), lax.sign(b!)), lax.ne(lax.rem(a!, b!), constLike(a!, 0)));
    return lax.select(fix, lax.sub(q, constLike(q, 1)), q);
  }
  return floatDivmod(a!, b!)[0];
}

/** jnp.remainder (jnp.mod): the result takes the divisor's sign; integer x % 0 is 0. */
export function remainder(x: ArrayInput, y: ArrayInput): Array {
  const [a, b0] = promote("remainder", [x, y], { numeric: true });
  let b = b0!;
  const zero = constLike(a!, 0);
  if (isInt(b.dtype)) b = lax.select(lax.eq(b, zero), fullLike(b, 1), b);
  const trunc = lax.rem(a!, b);
  const plus = lax.bitwiseAnd(lax.ne(lax.lt(trunc, zero), lax.lt(b, zero)), lax.ne(trunc, zero));
  return lax.select(plus, lax.add(trunc, b), trunc);
}
export const mod = remainder;

/** jnp.divmod: [floorDivide, remainder]. */
export function divmod(x: ArrayInput, y: ArrayInput): [Array, Array] {
  const [a, b] = promote("divmod", [x, y], { numeric: true });
  if (isInt(a!.dtype)) return [floorDivide(a!, b!), remainder(a!, b!)];
  return floatDivmod(a!, b!);
}

/** jnp.fmod: C's fmod (the result takes the dividend's sign); integer x fmod 0 is 0. */
export function fmod(x: ArrayInput, y: ArrayInput): Array {
  const [a, b0] = promote("fmod", [x, y], { numeric: true });
  let b = b0!;
  if (isInt(b.dtype)) b = lax.select(lax.eq(b, constLike(b, 0)), fullLike(b, 1), b);
  return lax.rem(a!, b);
}

function powIntInt(x0: Array, y0: Array): Array {
  let [x, y] = broadcastAll("power", [x0, y0]) as [Array, Array];
  const zero = fullLike(y, 0);
  const one = fullLike(y, 1);
  let acc = lax.select(lax.bitwiseAnd(lax.eq(x, zero), lax.ne(y, zero)), zero, one);
  for (let bit = 0; bit < 6; bit++) {
    acc = lax.select(lax.ne(lax.bitwiseAnd(y, one), zero), lax.mul(acc, x), acc);
    x = lax.mul(x, x);
    y = lax.shiftRightLogical(y, one);
  }
  return acc;
}

/**
 * jnp.power. A JS integer exponent is static and lowers to lax.integer_pow
 * (integers wrap; a negative power of an integer array is an error). Integer
 * arrays use JAX's binary exponentiation over the low 6 bits of the exponent;
 * a float base with an integer array exponent keeps the base's dtype.
 */
export function power(x: ArrayInput, y: ArrayInput): Array {
  arr("power", x, "argument 0");
  arr("power", y, "argument 1");
  if (typeof y === "number" && Number.isInteger(y)) {
    const [a] = promote("power", [x], { numeric: true });
    if (isInt(a!.dtype) && y < 0) {
      throw new RangeError(`[power] integers to negative integer powers are not allowed: ${fmt(a!)} ** ${y}`);
    }
    return lax.integerPow(a!, y);
  }
  const [a, b] = promote("power", [x, y], { numeric: true });
  if (isInt(a!.dtype)) return powIntInt(a!, b!);
  if (x instanceof Array && y instanceof Array && x.dtype.kind === "f" && isInt(y.dtype)) {
    const [xb, yb] = broadcastAll("power", [x, y]);
    return lax.pow(xb!, yb!);
  }
  return lax.pow(a!, b!);
}
export const pow = power;

/** jnp.float_power: power in the inexact promoted dtype (float32 for integers, as JAX; NumPy uses float64). */
export function floatPower(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("float_power", [x, y], { toFloat: true });
  return lax.pow(a!, b!);
}

export function negative(x: ArrayInput): Array {
  const a = same1("negative", x);
  requireKind("negative", a, (d) => d !== bool, "numbers (use logicalNot for bool)");
  return lax.neg(a);
}

export function positive(x: ArrayInput): Array {
  return same1("positive", x);
}

/** jnp.absolute: unsigned and bool values are their own absolute value; |x| of the int minimum wraps. */
export function absolute(x: ArrayInput): Array {
  const a = arr("absolute", x);
  return a.dtype === bool || a.dtype.kind === "u" ? a : lax.abs(a);
}
export const abs = absolute;

export const fabs = inexactUnary("fabs", lax.abs);

export function sign(x: ArrayInput): Array {
  const a = same1("sign", x);
  requireKind("sign", a, (d) => d !== bool, "numbers");
  return lax.sign(a);
}

/** jnp.reciprocal: 1/x in the inexact dtype (integer_pow(x, -1)). */
export const reciprocal = inexactUnary("reciprocal", (x) => lax.integerPow(x, -1));

export function square(x: ArrayInput): Array {
  const [a] = promote("square", [x], { numeric: true });
  return lax.square(a!);
}

export const sqrt = inexactUnary("sqrt", lax.sqrt);
export const cbrt = inexactUnary("cbrt", lax.cbrt);
export const exp = inexactUnary("exp", lax.exp);
export const exp2 = inexactUnary("exp2", lax.exp2);
export const expm1 = inexactUnary("expm1", lax.expm1);
export const log = inexactUnary("log", lax.log);
export const log1p = inexactUnary("log1p", lax.log1p);
/** log(x) / log(2), as JAX computes it. */
export const log2 = inexactUnary("log2", (x) => lax.div(lax.log(x), lax.log(constLike(x, 2))));
/** log(x) * (1 / log(10)), as JAX computes it. */
export const log10 = inexactUnary("log10", (x) => lax.mul(lax.log(x), constLike(x, 0.4342944819032518)));

export const sin = inexactUnary("sin", lax.sin);
export const cos = inexactUnary("cos", lax.cos);
export const tan = inexactUnary("tan", lax.tan);
export const arcsin = inexactUnary("arcsin", lax.asin);
export const arccos = inexactUnary("arccos", lax.acos);
export const arctan = inexactUnary("arctan", lax.atan);
export const sinh = inexactUnary("sinh", lax.sinh);
export const cosh = inexactUnary("cosh", lax.cosh);
export const tanh = inexactUnary("tanh", lax.tanh);
export const arcsinh = inexactUnary("arcsinh", lax.asinh);
export const arccosh = inexactUnary("arccosh", lax.acosh);
export const arctanh = inexactUnary("arctanh", lax.atanh);
// The array API spellings.
export { arcsin as asin, arccos as acos, arctan as atan, arcsinh as asinh, arccosh as acosh, arctanh as atanh };

export function arctan2(x1: ArrayInput, x2: ArrayInput): Array {
  const [a, b] = promote("arctan2", [x1, x2], { toFloat: true });
  return lax.atan2(a!, b!);
}
export const atan2 = arctan2;

export const deg2rad = inexactUnary("deg2rad", (x) => lax.mul(x, constLike(x, Math.PI / 180)));
export const rad2deg = inexactUnary("rad2deg", (x) => lax.mul(x, constLike(x, 180 / Math.PI)));
export const radians = deg2rad;
export const degrees = rad2deg;

// ---------------------------------------------------------------------------
// Rounding

/** jnp.floor: integer and bool arrays are returned unchanged. */
export function floor(x: ArrayInput): Array {
  const a = arr("floor", x);
  return isIntOrBool(a.dtype) ? a : lax.floor(inexact1("floor", a));
}

/** jnp.ceil: integer and bool arrays are returned unchanged. */
export function ceil(x: ArrayInput): Array {
  const a = arr("ceil", x);
  return isIntOrBool(a.dtype) ? a : lax.ceil(inexact1("ceil", a));
}

/** jnp.trunc: round toward zero (ceil below 0, floor otherwise); integers unchanged. */
export function trunc(x: ArrayInput): Array {
  const a = arr("trunc", x);
  if (isIntOrBool(a.dtype)) return a;
  return lax.select(lax.lt(a, constLike(a, 0)), lax.ceil(a), lax.floor(a));
}
/** jnp.fix (deprecated in JAX 0.9 in favour of trunc): the same as trunc. */
export const fix = trunc;

/** jnp.rint: round half to even; integer and bool inputs become float32. */
export function rint(x: ArrayInput): Array {
  const a = arr("rint", x);
  if (isIntOrBool(a.dtype)) return lax.convertElementType(a, float32);
  return lax.round(a, lax.RoundingMethod.TO_NEAREST_EVEN);
}

/**
 * jnp.round(a, decimals): round half to even at `decimals` decimal places
 * (x * 10^d rounded, divided by 10^d, as JAX; float16 computes in float32).
 * Integers are returned unchanged (negative decimals are not supported for them).
 */
export function round(a: ArrayInput, decimals = 0): Array {
  const x = arr("round", a);
  if (!Number.isInteger(decimals)) throw new TypeError(`[round] decimals must be an integer, got ${decimals}`);
  if (isInt(x.dtype)) {
    if (decimals < 0) throw new RangeError("[round] integer round is not implemented for decimals < 0");
    return x;
  }
  if (x.dtype === bool) throw new TypeError(`[round] does not accept dtype bool (${fmt(x)})`);
  if (decimals === 0) return lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN);
  if (decimals > Math.log10(finfo(x.dtype).max)) return x;
  const f16 = x.dtype.name === "float16";
  const y = f16 ? lax.convertElementType(x, float32) : x;
  const factor = constLike(y, 10 ** decimals);
  const out = lax.div(lax.round(lax.mul(y, factor), lax.RoundingMethod.TO_NEAREST_EVEN), factor);
  return f16 ? lax.convertElementType(out, x.dtype) : out;
}
export const around = round;

// ---------------------------------------------------------------------------
// Extrema and clipping

export function maximum(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("maximum", [x, y]);
  return lax.max(a!, b!);
}

export function minimum(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("minimum", [x, y]);
  return lax.min(a!, b!);
}

/** jnp.fmax: the maximum, ignoring NaN (NaN only where both are NaN). */
export function fmax(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("fmax", [x, y]);
  return lax.select(lax.bitwiseOr(lax.gt(a!, b!), isnan(b!)), a!, b!);
}

/** jnp.fmin: the minimum, ignoring NaN (NaN only where both are NaN). */
export function fmin(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("fmin", [x, y]);
  return lax.select(lax.bitwiseOr(lax.lt(a!, b!), isnan(b!)), a!, b!);
}

/** jnp.clip(x, min, max) = minimum(max, maximum(min, x)); null/undefined bounds are skipped. */
export function clip(x: ArrayInput, min?: ArrayInput | null, max?: ArrayInput | null): Array {
  let r = arr("clip", x);
  if (min !== null && min !== undefined) r = maximum(min, r);
  if (max !== null && max !== undefined) r = minimum(max, r);
  return r;
}

export interface NanToNumOptions {
  /** replacement for NaN (default 0) */
  nan?: number;
  /** replacement for +inf (default: the dtype's largest finite value) */
  posinf?: number | null;
  /** replacement for -inf (default: the dtype's most negative finite value) */
  neginf?: number | null;
}

/** jnp.nan_to_num: NaN to `nan`, infinities to `posinf`/`neginf`; non-float arrays unchanged. */
export function nanToNum(x: ArrayInput, opts: NanToNumOptions = {}): Array {
  const a = arr("nan_to_num", x);
  if (a.dtype.kind !== "f") return a;
  const info = finfo(a.dtype);
  const c = (v: number) => fullLike(a, v);
  let out = lax.select(isnan(a), c(opts.nan ?? 0), a);
  out = lax.select(isposinf(out), c(opts.posinf ?? info.max), out);
  out = lax.select(isneginf(out), c(opts.neginf ?? info.min), out);
  return out;
}

// ---------------------------------------------------------------------------
// Floating-point functions

export function isnan(x: ArrayInput): Array {
  const a = arr("isnan", x);
  return lax.ne(a, a);
}

export function isinf(x: ArrayInput): Array {
  const a = arr("isinf", x);
  if (a.dtype.kind !== "f") return fullLike(a, false, bool);
  return lax.eq(lax.abs(a), constLike(a, Infinity));
}

export function isfinite(x: ArrayInput): Array {
  const a = arr("isfinite", x);
  if (a.dtype.kind !== "f") return fullLike(a, true, bool);
  return lax.isFinite(a);
}

export function isposinf(x: ArrayInput): Array {
  const a = arr("isposinf", x);
  if (a.dtype.kind !== "f") return fullLike(a, false, bool);
  return lax.eq(a, constLike(a, Infinity));
}

export function isneginf(x: ArrayInput): Array {
  const a = arr("isneginf", x);
  if (a.dtype.kind !== "f") return fullLike(a, false, bool);
  return lax.eq(a, constLike(a, -Infinity));
}

/** The word holding sign and exponent of each float: int16/int32 for float16/32, the high int32 word of a float64. */
function highWord(x: Array): Array {
  if (x.dtype.name === "float64") return indexAxis(lax.bitcastConvertType(x, int32), x.ndim, 1);
  return lax.bitcastConvertType(x, x.dtype.name === "float16" ? "int16" : int32);
}

/** Rebuild floats from new high words (and, for float64, the unchanged low words of `like`). */
function fromHighWord(hi: Array, like: Array): Array {
  if (like.dtype.name !== "float64") return lax.bitcastConvertType(hi, like.dtype);
  const lo = lax.sliceInDim(lax.bitcastConvertType(like, int32), 0, 1, 1, like.ndim);
  return lax.bitcastConvertType(lax.concatenate([lo, lax.expandDims(hi, [hi.ndim])], hi.ndim), like.dtype);
}

/** Bit layout of the high word: mantissa bits in it, exponent bits, exponent bias. */
function wordLayout(d: DType): { shift: number; nexp: number; bias: number; nmant: number; bits: number } {
  const info = finfo(d);
  const bits = d.name === "float16" ? 16 : 32;
  return { shift: d.name === "float64" ? 20 : info.nmant, nexp: info.nexp, bias: 1 - info.minexp, nmant: info.nmant, bits };
}

/** A bit pattern as a signed integer of `bits` bits (for building int16/int32 constants). */
const signed = (v: number, bits: number) => (bits === 32 ? v | 0 : (v << (32 - bits)) >> (32 - bits));

/** jnp.signbit: the sign bit (also of -0.0 and of NaNs); integers x < 0; bool false. */
export function signbit(x: ArrayInput): Array {
  const a = same1("signbit", x);
  if (isInt(a.dtype)) return lax.lt(a, constLike(a, 0));
  if (a.dtype === bool) return fullLike(a, false, bool);
  const w = highWord(a);
  return lax.lt(w, constLike(w, 0));
}

/** jnp.copysign: |x1| with the sign bit of x2. */
export function copysign(x1: ArrayInput, x2: ArrayInput): Array {
  const [a, b] = promote("copysign", [x1, x2], { toFloat: true });
  const m = lax.abs(a!);
  return lax.select(signbit(b!), lax.neg(m), m);
}

export function nextafter(x1: ArrayInput, x2: ArrayInput): Array {
  const [a, b] = promote("nextafter", [x1, x2], { toFloat: true });
  return lax.nextafter(a!, b!);
}

/** jnp.spacing: the distance to the next representable number away from zero (signed like x). */
export function spacing(x: ArrayInput): Array {
  const a = inexact1("spacing", x);
  const inf = fullLike(a, Infinity);
  if (a.dtype.name === "float16") return lax.sub(lax.nextafter(a, inf), a);
  const result = lax.sub(lax.nextafter(a, copysign(inf, a)), a);
  return lax.select(lax.eq(result, constLike(result, 0)), copysign(fullLike(a, finfo(a.dtype).smallestSubnormal), a), result);
}

/** The exponent and the raw mantissa bits of frexp (no derivative). */
function frexpParts(x: Array): [Array, Array] {
  const L = wordLayout(x.dtype);
  const info = finfo(x.dtype);
  const sub = lax.lt(lax.abs(x), constLike(x, info.tiny));
  const x1 = lax.select(sub, lax.mul(x, constLike(x, 2 ** L.nmant)), x);
  const w = highWord(x1);
  const wc = (v: number) => constLike(w, signed(v, L.bits));
  const mask = (1 << L.nexp) - 1;
  const expBits = lax.bitwiseAnd(lax.shiftRightArithmetic(w, wc(L.shift)), wc(mask));
  let e = lax.add(lax.convertElementType(expBits, int32), scalar(1 - L.bias, int32, false));
  e = lax.add(e, lax.select(sub, full(x.shape, -L.nmant, int32), full(x.shape, 0, int32)));
  const cleared = lax.bitwiseAnd(w, wc(~(mask << L.shift)));
  const mw = lax.bitwiseOr(cleared, wc((L.bias - 1) << L.shift));
  const m = fromHighWord(mw, x1);
  const special = lax.bitwiseOr(lax.bitwiseOr(isinf(x), isnan(x)), lax.eq(x, constLike(x, 0)));
  return [lax.select(special, x, m), lax.select(special, full(x.shape, 0, int32), e)];
}

// The mantissa's derivative is 2^-e (JAX's _frexp_jvp); the exponent has none.
const frexpMantissa = customJvp((x: Array) => frexpParts(x)[0]);
frexpMantissa.defjvp(([x]: Array[], [t]: Array[]) => {
  // The primal through frexpMantissa itself, so higher derivatives use this rule again.
  const e = frexpParts(x!)[1];
  return [frexpMantissa(x!), lax.mul(t!, lax.exp2(lax.neg(lax.convertElementType(e, x!.dtype))))];
});

/** jnp.frexp: [mantissa in [0.5, 1) with x's sign, int32 exponent] with x = m * 2^e; 0, inf and NaN give [x, 0]. */
export function frexp(x: ArrayInput): [Array, Array] {
  const a = inexact1("frexp", x);
  return [frexpMantissa(a), frexpParts(a)[1]];
}

/** jnp.ldexp: x1 * 2^x2 for an integer x2, computed as JAX does (through frexp). */
export function ldexp(x1: ArrayInput, x2: ArrayInput): Array {
  const a0 = arr("ldexp", x1, "x1");
  const b0 = arr("ldexp", x2, "x2");
  if (b0.dtype.kind === "f") throw new TypeError(`[ldexp] x2 must be an integer, got ${fmt(b0)}`);
  const a = inexact1("ldexp", a0);
  const b = lax.convertElementType(b0, a.dtype);
  const [m0, e0] = frexp(a);
  const [m1, e1] = broadcastAll("ldexp", [m0, lax.add(lax.convertElementType(e0, a.dtype), b)]) as [Array, Array];
  const pos = lax.gt(e1, constLike(e1, 0));
  const m = lax.select(pos, lax.mul(m1, constLike(m1, 2)), m1);
  const e = lax.select(pos, lax.sub(e1, constLike(e1, 1)), e1);
  const r = lax.mul(m, lax.pow(fullLike(e, 2), e));
  const [aB, rB] = broadcastAll("ldexp", [a, r]);
  return lax.select(lax.bitwiseOr(isinf(aB!), lax.eq(aB!, constLike(aB!, 0))), aB!, rB!);
}

/** jnp.modf: [fractional part, integral part], both with x's sign (whole = floor for x >= 0, else ceil). */
export function modf(x: ArrayInput): [Array, Array] {
  const a = inexact1("modf", x);
  const whole = lax.select(lax.ge(a, constLike(a, 0)), lax.floor(a), lax.ceil(a));
  return [lax.sub(a, whole), whole];
}

/** jnp.heaviside: 0 below zero, 1 above, x2 at zero, NaN at NaN. */
export function heaviside(x1: ArrayInput, x2: ArrayInput): Array {
  const [a0, b0] = promoteDtypes("heaviside", [x1, x2], { toFloat: true });
  const [a, b] = broadcastAll("heaviside", [a0!, b0!]) as [Array, Array];
  const z = fullLike(a, 0);
  return lax.select(lax.lt(a, z), z, lax.select(lax.gt(a, z), fullLike(a, 1), lax.select(isnan(a), a, b)));
}

/** jnp.hypot: sqrt(x1² + x2²) without overflow (max * sqrt(1 + (min/max)²)); inf if either is inf. */
export function hypot(x1: ArrayInput, x2: ArrayInput): Array {
  const [a0, b0] = promote("hypot", [x1, x2], { toFloat: true });
  const [a, b] = broadcastAll("hypot", [lax.abs(a0!), lax.abs(b0!)]) as [Array, Array];
  const inf = lax.bitwiseOr(isposinf(a), isposinf(b));
  const hi = lax.max(a, b);
  const lo = lax.min(a, b);
  const zero = lax.eq(hi, constLike(hi, 0));
  const safe = lax.select(zero, fullLike(hi, 1), hi);
  const r = lax.select(zero, hi, lax.mul(hi, lax.sqrt(lax.add(constLike(hi, 1), lax.square(lax.div(lo, safe))))));
  return lax.select(inf, fullLike(r, Infinity), r);
}

/** x with +inf replaced by 0 (JAX's _replace_inf, used by the logaddexp JVPs). */
const replaceInf = (x: Array) => lax.select(lax.eq(x, constLike(x, Infinity)), fullLike(x, 0), x);

function makeLogAddExp(base2: boolean) {
  const expFn = base2 ? lax.exp2 : lax.exp;
  const f = customJvp((a: Array, b: Array): Array => {
    const amax = lax.max(a, b);
    const delta = lax.sub(a, b);
    const tail = base2
      ? lax.mul(constLike(amax, 1 / Math.LN2), lax.log1p(lax.exp2(lax.neg(lax.abs(delta)))))
      : lax.log1p(lax.exp(lax.neg(lax.abs(delta))));
    return lax.select(isnan(delta), lax.add(a, b), lax.add(amax, tail));
  });
  f.defjvp(([a, b]: Array[], [ta, tb]: Array[]) => {
    const out = f(a!, b!);
    const ro = replaceInf(out);
    const t = lax.add(lax.mul(ta!, expFn(lax.sub(replaceInf(a!), ro))), lax.mul(tb!, expFn(lax.sub(replaceInf(b!), ro))));
    return [out, t];
  });
  return f;
}
const logaddexpImpl = makeLogAddExp(false);
const logaddexp2Impl = makeLogAddExp(true);

/** jnp.logaddexp: log(exp(x1) + exp(x2)) computed stably, with JAX's custom JVP. */
export function logaddexp(x1: ArrayInput, x2: ArrayInput): Array {
  const [a, b] = promote("logaddexp", [x1, x2], { toFloat: true });
  return logaddexpImpl(...(broadcastAll("logaddexp", [a!, b!]) as [Array, Array]));
}

/** jnp.logaddexp2: log2(2^x1 + 2^x2) computed stably, with JAX's custom JVP. */
export function logaddexp2(x1: ArrayInput, x2: ArrayInput): Array {
  const [a, b] = promote("logaddexp2", [x1, x2], { toFloat: true });
  return logaddexp2Impl(...(broadcastAll("logaddexp2", [a!, b!]) as [Array, Array]));
}

// sinc's value at 0 comes from its Maclaurin series, so that every derivative
// is right there too (JAX's _sinc_maclaurin: term k and its JVP term k + 1).
const maclaurin = new Map<number, (x: Array) => Array>();
function sincMaclaurin(k: number): (x: Array) => Array {
  let f = maclaurin.get(k);
  if (!f) {
    const g = customJvp((x: Array) =>
      k % 2 ? lax.mul(x, constLike(x, 0)) : lax.add(lax.mul(x, constLike(x, 0)), constLike(x, (-1) ** (k / 2) / (k + 1))),
    );
    g.defjvp(([x]: Array[], [t]: Array[]) => [sincMaclaurin(k)(x!), lax.mul(sincMaclaurin(k + 1)(x!), t!)]);
    f = g;
    maclaurin.set(k, f);
  }
  return f;
}

/** jnp.sinc: sin(pi x) / (pi x), 1 at 0 (with correct derivatives of every order there). */
export function sinc(x: ArrayInput): Array {
  const a = inexact1("sinc", x);
  const eqZero = lax.eq(a, constLike(a, 0));
  const piX = lax.mul(constLike(a, Math.PI), a);
  const safe = lax.select(eqZero, fullLike(a, 1), piX);
  return lax.select(eqZero, sincMaclaurin(0)(piX), lax.div(lax.sin(safe), safe));
}

// ---------------------------------------------------------------------------
// Bessel i0 (Cephes' Chebyshev expansions of i0e, as JAX's bessel_i0e)

// prettier-ignore
const I0E_A64 = [
  -4.41534164647933937950e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16, 1.71539128555513303061e-15,
  -1.16853328779934516808e-14, 7.67618549860493561688e-14, -4.85644678311192946090e-13, 2.95505266312963983461e-12,
  -1.72682629144155570723e-11, 9.67580903537323691224e-11, -5.18979560163526290666e-10, 2.65982372468238665035e-9,
  -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7, 1.11738753912010371815e-6,
  -4.41673835845875056359e-6, 1.64484480707288970893e-5, -5.75419501008210370398e-5, 1.88502885095841655729e-4,
  -5.76375574538582365885e-4, 1.63947561694133579842e-3, -4.32430999505057594430e-3, 1.05464603945949983183e-2,
  -2.37374148058994688156e-2, 4.93052842396707084878e-2, -9.49010970480476444210e-2, 1.71620901522208775349e-1,
  -3.04682672343198398683e-1, 6.76795274409476084995e-1,
];
// prettier-ignore
const I0E_B64 = [
  -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17, 3.46122286769746109310e-17,
  -2.82762398051658348494e-16, -3.42548561967721913462e-16, 1.77256013305652638360e-15, 3.81168066935262242075e-15,
  -9.55484669882830764870e-15, -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
  7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11, -3.14991652796324136454e-11,
  1.18891471078464383424e-11, 4.94060238822496958910e-10, 3.39623202570838634515e-9, 2.26666899049817806459e-8,
  2.04891858946906374183e-7, 2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.36911647825569408990e-3,
  8.04490411014108831608e-1,
];

/** Clenshaw's recurrence for a Chebyshev series (Cephes' chbevl, JAX's evaluate_chebyshev_polynomial). */
function chebyshev(x: Array, coeffs: readonly number[]): Array {
  let b0 = fullLike(x, 0);
  let b1 = fullLike(x, 0);
  let b2 = fullLike(x, 0);
  for (const c of coeffs) {
    b2 = b1;
    b1 = b0;
    b0 = lax.add(lax.sub(lax.mul(x, b1), b2), constLike(x, c));
  }
  return lax.mul(constLike(x, 0.5), lax.sub(b0, b2));
}

/** exp(-|x|) i0(x): float32 uses the shorter expansions (float16 computes in float32), as JAX. */
function i0e(x0: Array): Array {
  const f16 = x0.dtype.name === "float16";
  const x = lax.abs(f16 ? lax.convertElementType(x0, float32) : x0);
  const f64 = x.dtype.name === "float64";
  const a = f64 ? I0E_A64 : I0E_A64.slice(12);
  const b = f64 ? I0E_B64 : I0E_B64.slice(18);
  const le8 = chebyshev(lax.sub(lax.mul(constLike(x, 0.5), x), constLike(x, 2)), a);
  const safe = lax.select(lax.le(x, constLike(x, 8)), fullLike(x, 8), x);
  const gt8 = lax.div(chebyshev(lax.sub(lax.div(constLike(x, 32), safe), constLike(x, 2)), b), lax.sqrt(safe));
  const r = lax.select(lax.le(x, constLike(x, 8)), le8, gt8);
  return f16 ? lax.convertElementType(r, x0.dtype) : r;
}

const i0Plain = (x: Array) => lax.mul(lax.exp(lax.abs(x)), i0e(x));
// JAX's _i0_jvp: the derivative is exactly 0 at 0 (where |x| has its kink).
const i0Impl = customJvp((x: Array) => i0Plain(x));
i0Impl.defjvp(([x]: Array[], [t]: Array[]) => {
  const tOut = (jvp(i0Plain, [x!], [t!]) as [Array, Array])[1];
  return [i0Impl(x!), lax.select(lax.eq(x!, constLike(x!, 0)), fullLike(tOut, 0), tOut)];
});

/** jnp.i0: the modified Bessel function of the first kind, order 0 (float inputs; integers compute in float32). */
export function i0(x: ArrayInput): Array {
  const a = inexact1("i0", x);
  return i0Impl(a);
}

// ---------------------------------------------------------------------------
// Predicates on the kind of value (real dtypes only: nothing is complex yet)

/** jnp.iscomplex: elementwise imag(x) != 0, so all false for real arrays. */
export function iscomplex(x: ArrayInput): Array {
  const i = imag(x);
  return lax.ne(i, constLike(i, 0));
}
/** jnp.isreal: elementwise imag(x) == 0, so all true for real arrays. */
export function isreal(x: ArrayInput): Array {
  const i = imag(x);
  return lax.eq(i, constLike(i, 0));
}
/** jnp.iscomplexobj: whether x has a complex dtype (never, until complex dtypes exist). */
export function iscomplexobj(x: unknown): boolean {
  void x;
  return false;
}
/** jnp.isrealobj: not iscomplexobj. */
export function isrealobj(x: unknown): boolean {
  return !iscomplexobj(x);
}
/** jnp.isscalar: JS numbers and booleans, and rank-0 Arrays. */
export function isscalar(x: unknown): boolean {
  return typeof x === "number" || typeof x === "boolean" || (x instanceof Array && x.ndim === 0);
}

// ---------------------------------------------------------------------------
// Integer functions

function gcdLoop(a: Array, b: Array): Array {
  const [g] = lax.whileLoop(
    ([, y]: [Array, Array]) => lax.reduceOr(lax.ne(y, constLike(y, 0)), [...y.shape.keys()]),
    ([x, y]: [Array, Array]): [Array, Array] => {
      const nz = lax.ne(y, constLike(y, 0));
      const safeY = lax.select(nz, y, fullLike(y, 1));
      const x1 = lax.select(nz, y, x);
      const y1 = lax.select(nz, lax.rem(x, safeY), fullLike(y, 0));
      const swap = lax.lt(x1, y1);
      return [lax.select(swap, y1, x1), lax.select(swap, x1, y1)];
    },
    [a, b] as [Array, Array],
  );
  return g;
}

/** jnp.gcd: the greatest common divisor of |x1| and |x2| (Euclid's algorithm in a while loop). */
export function gcd(x1: ArrayInput, x2: ArrayInput): Array {
  const [a0, b0] = promoteDtypes("gcd", [x1, x2]);
  if (!isInt(a0!.dtype)) throw new TypeError(`[gcd] arguments must be integers, got ${fmt(a0!)}`);
  const [a, b] = broadcastAll("gcd", [absolute(a0!), absolute(b0!)]);
  return gcdLoop(a!, b!);
}

/** jnp.lcm: |x1 * x2| / gcd (0 when either is 0). */
export function lcm(x1: ArrayInput, x2: ArrayInput): Array {
  const [a0, b0] = promoteDtypes("lcm", [x1, x2]);
  if (!isInt(a0!.dtype)) throw new TypeError(`[lcm] arguments must be integers, got ${fmt(a0!)}`);
  const [a, b] = broadcastAll("lcm", [absolute(a0!), absolute(b0!)]) as [Array, Array];
  const d = gcdLoop(a, b);
  const zero = lax.eq(d, constLike(d, 0));
  return lax.select(zero, fullLike(d, 0), lax.mul(a, floorDivide(b, lax.select(zero, fullLike(d, 1), d))));
}

// ---------------------------------------------------------------------------
// Bitwise and logical

function bitwise(op: string, f: (a: Array, b: Array) => Array): Binary {
  const fn = (x: ArrayInput, y: ArrayInput) => {
    const [a, b] = promote(op, [x, y]);
    requireKind(op, a!, isIntOrBool, "integers or bool");
    return f(a!, b!);
  };
  Object.defineProperty(fn, "name", { value: op });
  return fn;
}

export const bitwiseAnd = bitwise("bitwise_and", lax.bitwiseAnd);
export const bitwiseOr = bitwise("bitwise_or", lax.bitwiseOr);
export const bitwiseXor = bitwise("bitwise_xor", lax.bitwiseXor);

export function bitwiseNot(x: ArrayInput): Array {
  const a = same1("bitwise_not", x);
  requireKind("bitwise_not", a, isIntOrBool, "integers or bool");
  return lax.bitwiseNot(a);
}
export const invert = bitwiseNot;
export const bitwiseInvert = bitwiseNot;

/** jnp.bitwise_count: the number of 1 bits in |x|, as uint8. */
export function bitwiseCount(x: ArrayInput): Array {
  const [a] = promote("bitwise_count", [x], { numeric: true });
  requireKind("bitwise_count", a!, isInt, "integers or bool");
  return lax.convertElementType(lax.populationCount(absolute(a!)), "uint8");
}

export function leftShift(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("left_shift", [x, y], { numeric: true });
  requireKind("left_shift", a!, isInt, "integers or bool");
  return lax.shiftLeft(a!, b!);
}
export const bitwiseLeftShift = leftShift;

/** jnp.right_shift: arithmetic for signed integers, logical for unsigned. */
export function rightShift(x: ArrayInput, y: ArrayInput): Array {
  const [a, b] = promote("right_shift", [x, y], { numeric: true });
  requireKind("right_shift", a!, isInt, "integers or bool");
  return a!.dtype.kind === "u" ? lax.shiftRightLogical(a!, b!) : lax.shiftRightArithmetic(a!, b!);
}
export const bitwiseRightShift = rightShift;

const toBool = (x: Array) => (x.dtype === bool ? x : lax.ne(x, constLike(x, 0)));

function logical(op: string, f: (a: Array, b: Array) => Array): Binary {
  const fn = (x: ArrayInput, y: ArrayInput) => {
    const [a, b] = promote(op, [x, y]);
    return f(toBool(a!), toBool(b!));
  };
  Object.defineProperty(fn, "name", { value: op });
  return fn;
}
export const logicalAnd = logical("logical_and", lax.bitwiseAnd);
export const logicalOr = logical("logical_or", lax.bitwiseOr);
export const logicalXor = logical("logical_xor", lax.bitwiseXor);
export function logicalNot(x: ArrayInput): Array {
  return lax.bitwiseNot(toBool(same1("logical_not", x)));
}

// ---------------------------------------------------------------------------
// Comparisons

function comparison(op: string, f: (a: Array, b: Array) => Array): Binary {
  const fn = (x: ArrayInput, y: ArrayInput) => {
    const [a, b] = promote(op, [x, y]);
    return f(a!, b!);
  };
  Object.defineProperty(fn, "name", { value: op });
  return fn;
}
export const equal = comparison("equal", lax.eq);
export const notEqual = comparison("not_equal", lax.ne);
export const less = comparison("less", lax.lt);
export const lessEqual = comparison("less_equal", lax.le);
export const greater = comparison("greater", lax.gt);
export const greaterEqual = comparison("greater_equal", lax.ge);

export interface IsCloseOptions {
  /** relative tolerance (default 1e-5) */
  rtol?: number;
  /** absolute tolerance (default 1e-8) */
  atol?: number;
  /** whether NaN equals NaN (default false) */
  equalNan?: boolean;
}

/** jnp.isclose: |a - b| <= atol + rtol |b| (b finite), or a == b; computed in the inexact promoted dtype. */
export function isclose(a: ArrayInput, b: ArrayInput, opts: IsCloseOptions = {}): Array {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = opts;
  const [x, y] = promote("isclose", [a, b], { toFloat: true });
  const inRange = lax.le(lax.abs(lax.sub(x!, y!)), lax.add(constLike(x!, atol), lax.mul(constLike(x!, rtol), lax.abs(y!))));
  let out = lax.bitwiseOr(lax.eq(x!, y!), lax.bitwiseAnd(lax.isFinite(y!), inRange));
  if (equalNan) out = lax.bitwiseOr(out, lax.bitwiseAnd(isnan(x!), isnan(y!)));
  return out;
}

const allOf = (x: Array) => lax.reduceAnd(x, [...x.shape.keys()]);

/** jnp.allclose: all(isclose(a, b)) as a bool scalar Array. */
export function allclose(a: ArrayInput, b: ArrayInput, opts: IsCloseOptions = {}): Array {
  return allOf(isclose(a, b, opts));
}

/** jnp.array_equal: same shape and equal elements (NaN equal to NaN with equalNan) as a bool scalar Array. */
export function arrayEqual(a1: ArrayInput, a2: ArrayInput, opts: { equalNan?: boolean } = {}): Array {
  const x = arr("array_equal", a1, "a1");
  const y = arr("array_equal", a2, "a2");
  if (x.ndim !== y.ndim || x.shape.some((d, i) => d !== y.shape[i])) return scalar(false);
  let eq = equal(x, y);
  if (opts.equalNan) eq = lax.bitwiseOr(eq, lax.bitwiseAnd(isnan(x), isnan(y)));
  return allOf(eq);
}

/** jnp.array_equiv: shapes broadcast together and all elements are equal (a bool scalar Array). */
export function arrayEquiv(a1: ArrayInput, a2: ArrayInput): Array {
  const x = arr("array_equiv", a1, "a1");
  const y = arr("array_equiv", a2, "a2");
  let eq: Array;
  try {
    eq = equal(x, y);
  } catch (e) {
    if (e instanceof TypeError && /broadcast/.test(e.message)) return scalar(false);
    throw e;
  }
  return allOf(eq);
}

// ---------------------------------------------------------------------------
// Complex parts (real dtypes only, as JAX computes them for real inputs)

/** jnp.real: the array itself (no complex dtypes exist yet). */
export function real(x: ArrayInput): Array {
  return arr("real", x);
}

/** jnp.imag: zeros of x's dtype (no complex dtypes exist yet). */
export function imag(x: ArrayInput): Array {
  const a = arr("imag", x);
  return fullLike(a, 0);
}

/** jnp.conjugate / jnp.conj: the array itself (no complex dtypes exist yet). */
export function conjugate(x: ArrayInput): Array {
  return arr("conjugate", x);
}
export const conj = conjugate;

/**
 * jnp.angle: atan2(imag, real), for real inputs 0 or pi (NaN stays NaN);
 * integer inputs and float scalars compute in float32, as JAX does.
 */
export function angle(z: ArrayInput, opts: { deg?: boolean } = {}): Array {
  let re = arr("angle", z);
  if (re.dtype.kind !== "f" || re.ndim === 0) re = lax.convertElementType(re, float32);
  const r = lax.atan2(fullLike(re, 0), re);
  return opts.deg ? rad2deg(r) : r;
}

