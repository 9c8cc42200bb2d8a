// Elementwise primitives: unary math, binary arithmetic, comparisons, bitwise
// ops, select_n, clamp, and dtype conversions. Shapes must match (rank-0
// operands broadcast), dtypes must match; JS numbers are coerced to the dtype of
// the array operand by the lax wrappers.
import { Array, asArray, type ArrayInput } from "../array.js";
import { DType, bool, dtype as toDType, type DTypeLike } from "../dtypes.js";
import { ShapedArray, fmtAval, shapeEqual } from "../shape.js";
import {
  binaryOp,
  binaryPrimitive,
  checkDType,
  coerceOperands,
  definePrimitive,
  dtypeIn,
  naryShape,
  unaryOp,
  unaryPrimitive,
} from "./define.js";

// --- unary, floating point ------------------------------------------------
export const sinP = unaryPrimitive("sin", "float");
export const cosP = unaryPrimitive("cos", "float");
export const tanP = unaryPrimitive("tan", "float");
export const asinP = unaryPrimitive("asin", "float");
export const acosP = unaryPrimitive("acos", "float");
export const atanP = unaryPrimitive("atan", "float");
export const sinhP = unaryPrimitive("sinh", "float");
export const coshP = unaryPrimitive("cosh", "float");
export const tanhP = unaryPrimitive("tanh", "float");
export const asinhP = unaryPrimitive("asinh", "float");
export const acoshP = unaryPrimitive("acosh", "float");
export const atanhP = unaryPrimitive("atanh", "float");
export const expP = unaryPrimitive("exp", "float");
export const exp2P = unaryPrimitive("exp2", "float");
export const logP = unaryPrimitive("log", "float");
export const log1pP = unaryPrimitive("log1p", "float");
export const expm1P = unaryPrimitive("expm1", "float");
export const sqrtP = unaryPrimitive("sqrt", "float");
export const rsqrtP = unaryPrimitive("rsqrt", "float");
export const cbrtP = unaryPrimitive("cbrt", "float");
export const logisticP = unaryPrimitive("logistic", "float");
export const erfP = unaryPrimitive("erf", "float");
export const erfcP = unaryPrimitive("erfc", "float");
export const erfInvP = unaryPrimitive("erf_inv", "float");
export const lgammaP = unaryPrimitive("lgamma", "float");
export const digammaP = unaryPrimitive("digamma", "float");
/** polygamma(m, x): the m-th derivative of digamma; m holds non-negative integers. */
export const polygammaP = binaryPrimitive("polygamma", "float");
export const floorP = unaryPrimitive("floor", "float");
export const ceilP = unaryPrimitive("ceil", "float");
/** rounding_method: 0 = AWAY_FROM_ZERO (default), 1 = TO_NEAREST_EVEN. */
export const roundP = unaryPrimitive("round", "float");
export const isFiniteP = unaryPrimitive("is_finite", "float", () => bool);

// --- unary, numeric -------------------------------------------------------
export const negP = unaryPrimitive("neg", "numeric");
/** abs: signed integers and floats (JAX rejects unsigned and bool inputs). */
export const absP = definePrimitive("abs", ([x]) => {
  if (!x) throw new TypeError("[abs] takes one operand");
  if (x.dtype.kind === "u" || x.dtype.kind === "b") {
    throw new TypeError(`[abs] requires signed integer or floating-point inputs, got ${fmtAval(x)}`);
  }
  return x;
});
export const signP = unaryPrimitive("sign", "numeric");
export const squareP = unaryPrimitive("square", "numeric");
export const integerPowP = definePrimitive("integer_pow", ([x], { y }: { y: number }) => {
  checkDType("integer_pow", x!, "numeric");
  if (!Number.isInteger(y)) throw new TypeError(`[integer_pow] exponent must be an integer, got ${y}`);
  if (y < 0 && x!.dtype.kind !== "f") {
    throw new TypeError(`[integer_pow] negative exponent ${y} needs a floating-point base, got ${fmtAval(x!)}`);
  }
  return x!;
});

// --- unary, integer / bool -----------------------------------------------
export const notP = unaryPrimitive("not", "intOrBool");
export const populationCountP = unaryPrimitive("population_count", "integer");
export const clzP = unaryPrimitive("clz", "integer");

/** Identity whose derivative is zero (its JVP rule comes with the transformations). */
export const stopGradientP = unaryPrimitive("stop_gradient", "any");

// --- binary ---------------------------------------------------------------
export const addP = binaryPrimitive("add", "numeric");
export const subP = binaryPrimitive("sub", "numeric");
export const mulP = binaryPrimitive("mul", "numeric");
export const divP = binaryPrimitive("div", "numeric");
export const remP = binaryPrimitive("rem", "numeric");
/** pow(x, y): a floating-point base; the exponent has the base's dtype or is an integer. */
export const powP = definePrimitive("pow", (avals) => {
  if (avals.length !== 2) throw new TypeError(`[pow] takes two operands, got ${avals.length}`);
  const [x, y] = avals as [ShapedArray, ShapedArray];
  checkDType("pow", x, "float");
  if (y.dtype !== x.dtype && !dtypeIn(y.dtype, "integer")) {
    throw new TypeError(
      `[pow] the exponent must have the base's dtype or an integer dtype, got ${fmtAval(x)}, ${fmtAval(y)}`,
    );
  }
  return new ShapedArray(naryShape("pow", avals), x.dtype, x.weakType && y.weakType);
});
export const maxP = binaryPrimitive("max", "any");
export const minP = binaryPrimitive("min", "any");
export const atan2P = binaryPrimitive("atan2", "float");
export const nextafterP = binaryPrimitive("nextafter", "float");
export const andP = binaryPrimitive("and", "intOrBool");
export const orP = binaryPrimitive("or", "intOrBool");
export const xorP = binaryPrimitive("xor", "intOrBool");
export const shiftLeftP = binaryPrimitive("shift_left", "integer");
export const shiftRightArithmeticP = binaryPrimitive("shift_right_arithmetic", "integer");
export const shiftRightLogicalP = binaryPrimitive("shift_right_logical", "integer");

export const eqP = binaryPrimitive("eq", "any", { compare: true });
export const neP = binaryPrimitive("ne", "any", { compare: true });
export const ltP = binaryPrimitive("lt", "any", { compare: true });
export const leP = binaryPrimitive("le", "any", { compare: true });
export const gtP = binaryPrimitive("gt", "any", { compare: true });
export const geP = binaryPrimitive("ge", "any", { compare: true });

// --- select_n, clamp -------------------------------------------------------
/** select_n(which, *cases): which is bool (at most 2 cases) or an integer in [0, n). */
export const selectNP = definePrimitive("select_n", ([which, ...cases]) => {
  if (!which || cases.length === 0) throw new TypeError("[select_n] needs a predicate and at least one case");
  if (!dtypeIn(which.dtype, "intOrBool")) {
    throw new TypeError(`[select_n] predicate must be bool or integer, got ${fmtAval(which)}`);
  }
  if (which.dtype === bool && cases.length > 2) {
    throw new TypeError(`[select_n] a bool predicate selects between at most 2 cases, got ${cases.length}`);
  }
  const c0 = cases[0]!;
  for (const c of cases) {
    if (!c.sameType(c0)) {
      throw new TypeError(`[select_n] cases must have the same shape and dtype, got ${cases.map(fmtAval).join(", ")}`);
    }
  }
  if (which.ndim > 0 && !shapeEqual(which.shape, c0.shape)) {
    throw new TypeError(`[select_n] predicate must be a scalar or have the cases' shape, got ${fmtAval(which)} for ${fmtAval(c0)}`);
  }
  return new ShapedArray(c0.shape, c0.dtype, cases.every((c) => c.weakType));
});

/** clamp(min, x, max): min/max are scalars or x's shape; weak only if all three are. */
export const clampP = definePrimitive("clamp", (avals) => {
  if (avals.length !== 3) throw new TypeError(`[clamp] takes three operands (min, x, max), got ${avals.length}`);
  const [lo, x, hi] = avals;
  for (const b of [lo!, hi!]) {
    if (b.dtype !== x!.dtype) {
      throw new TypeError(`[clamp] operands must have the same dtype, got ${fmtAval(lo!)}, ${fmtAval(x!)}, ${fmtAval(hi!)}`);
    }
    if (b.ndim > 0 && !b.sameType(x!)) {
      throw new TypeError(`[clamp] min/max must be scalars or match x's shape, got ${fmtAval(lo!)}, ${fmtAval(x!)}, ${fmtAval(hi!)}`);
    }
  }
  return x!.withWeakType(avals.every((a) => a.weakType));
});

// --- dtype conversion -----------------------------------------------------
export interface ConvertParams {
  new_dtype: DType;
  weak_type: boolean;
  sharding: null;
}
export const convertElementTypeP = definePrimitive("convert_element_type", ([x], { new_dtype, weak_type }: ConvertParams) => {
  if (!x) throw new TypeError("[convert_element_type] takes one operand");
  if (!(new_dtype instanceof DType)) {
    throw new TypeError(`[convert_element_type] new_dtype must be a DType, got ${String(new_dtype)} for ${fmtAval(x)}`);
  }
  if (typeof weak_type !== "boolean") {
    throw new TypeError(`[convert_element_type] weak_type must be a boolean, got ${String(weak_type)}`);
  }
  return new ShapedArray(x.shape, new_dtype, weak_type);
});
convertElementTypeP.ppParams = ({ new_dtype, weak_type }: ConvertParams) => [
  ["new_dtype", new_dtype],
  ["weak_type", weak_type],
];

/**
 * Reinterpret the bits (little-endian, as XLA on the CPU). A narrower target adds
 * a trailing dimension of from/to elements; a wider one consumes a trailing
 * dimension of to/from. bool only bitcasts to itself. The result is never weak.
 */
export const bitcastConvertTypeP = definePrimitive("bitcast_convert_type", ([x], { new_dtype }: { new_dtype: DType }) => {
  if (!x) throw new TypeError("[bitcast_convert_type] takes one operand");
  if (!(new_dtype instanceof DType)) {
    throw new TypeError(`[bitcast_convert_type] new_dtype must be a DType, got ${String(new_dtype)} for ${fmtAval(x)}`);
  }
  if ((x.dtype.kind === "b" || new_dtype.kind === "b") && x.dtype !== new_dtype) {
    throw new TypeError(`[bitcast_convert_type] cannot bitcast to or from bool: ${fmtAval(x)} -> ${new_dtype.name}`);
  }
  const from = x.dtype.itemsize;
  const to = new_dtype.itemsize;
  if (from === to) return new ShapedArray(x.shape, new_dtype);
  if (from > to) return new ShapedArray([...x.shape, from / to], new_dtype);
  const last = x.ndim > 0 ? x.shape[x.ndim - 1] : 1;
  if (last !== to / from) {
    throw new TypeError(
      `[bitcast_convert_type] ${fmtAval(x)} -> ${new_dtype.name} needs a trailing dimension of ${to / from} (${to}-byte ${new_dtype.name} from ${from}-byte ${x.dtype.name})`,
    );
  }
  return new ShapedArray(x.shape.slice(0, -1), new_dtype);
});

// ---------------------------------------------------------------------------
// lax functions

export const sin = unaryOp(sinP);
export const cos = unaryOp(cosP);
export const tan = unaryOp(tanP);
export const asin = unaryOp(asinP);
export const acos = unaryOp(acosP);
export const atan = unaryOp(atanP);
export const sinh = unaryOp(sinhP);
export const cosh = unaryOp(coshP);
export const tanh = unaryOp(tanhP);
export const asinh = unaryOp(asinhP);
export const acosh = unaryOp(acoshP);
export const atanh = unaryOp(atanhP);
export const exp = unaryOp(expP);
export const exp2 = unaryOp(exp2P);
export const log = unaryOp(logP);
export const log1p = unaryOp(log1pP);
export const expm1 = unaryOp(expm1P);
export const sqrt = unaryOp(sqrtP);
export const rsqrt = unaryOp(rsqrtP);
export const cbrt = unaryOp(cbrtP);
export const logistic = unaryOp(logisticP);
export const erf = unaryOp(erfP);
export const erfc = unaryOp(erfcP);
export const erfInv = unaryOp(erfInvP);
export const lgamma = unaryOp(lgammaP);
export const digamma = unaryOp(digammaP);
export const polygamma = binaryOp(polygammaP);
export const floor = unaryOp(floorP);
export const ceil = unaryOp(ceilP);
export const isFinite = unaryOp(isFiniteP);
export const neg = unaryOp(negP);
export const abs = unaryOp(absP);
export const sign = unaryOp(signP);
export const square = unaryOp(squareP);
export const bitwiseNot = unaryOp(notP);
export { bitwiseNot as not };
export const populationCount = unaryOp(populationCountP);
export const stopGradient = unaryOp(stopGradientP);
export const clz = unaryOp(clzP);

export enum RoundingMethod {
  AWAY_FROM_ZERO = 0,
  TO_NEAREST_EVEN = 1,
}
export function round(x: ArrayInput, roundingMethod: RoundingMethod = RoundingMethod.AWAY_FROM_ZERO): Array {
  if (roundingMethod !== 0 && roundingMethod !== 1) {
    throw new TypeError(`[round] rounding_method must be 0 (AWAY_FROM_ZERO) or 1 (TO_NEAREST_EVEN), got ${roundingMethod}`);
  }
  return roundP.bind1([asArray(x)], { rounding_method: roundingMethod });
}

export function integerPow(x: ArrayInput, y: number): Array {
  return integerPowP.bind1([asArray(x)], { y });
}

export const add = binaryOp(addP);
export const sub = binaryOp(subP);
export const mul = binaryOp(mulP);
export const div = binaryOp(divP);
export const rem = binaryOp(remP);
export const pow = binaryOp(powP);
export const max = binaryOp(maxP);
export const min = binaryOp(minP);
export const atan2 = binaryOp(atan2P);
export const nextafter = binaryOp(nextafterP);
export const bitwiseAnd = binaryOp(andP);
export const bitwiseOr = binaryOp(orP);
export const bitwiseXor = binaryOp(xorP);
export { bitwiseAnd as and, bitwiseOr as or, bitwiseXor as xor };
export const shiftLeft = binaryOp(shiftLeftP);
export const shiftRightArithmetic = binaryOp(shiftRightArithmeticP);
export const shiftRightLogical = binaryOp(shiftRightLogicalP);
export const eq = binaryOp(eqP);
export const ne = binaryOp(neP);
export const lt = binaryOp(ltP);
export const le = binaryOp(leP);
export const gt = binaryOp(gtP);
export const ge = binaryOp(geP);

export function selectN(which: ArrayInput, ...cases: ArrayInput[]): Array {
  return selectNP.bind1([asArray(which), ...coerceOperands(cases)]);
}
/** lax.select(pred, onTrue, onFalse) = select_n(pred, onFalse, onTrue). */
export function select(pred: ArrayInput, onTrue: ArrayInput, onFalse: ArrayInput): Array {
  return selectN(pred, onFalse, onTrue);
}
export function clamp(lo: ArrayInput, x: ArrayInput, hi: ArrayInput): Array {
  const [xa] = coerceOperands([x]);
  const [l, h] = coerceOperands([xa!, lo, hi]).slice(1);
  return clampP.bind1([l!, xa!, h!]);
}

export function convertElementType(x: ArrayInput, newDType: DTypeLike, weakType = false): Array {
  const xa = asArray(x);
  const d = toDType(newDType);
  if (xa.dtype === d && xa.weakType === weakType) return xa;
  return convertElementTypeP.bind1([xa], { new_dtype: d, weak_type: weakType, sharding: null });
}
export function bitcastConvertType(x: ArrayInput, newDType: DTypeLike): Array {
  return bitcastConvertTypeP.bind1([asArray(x)], { new_dtype: toDType(newDType) });
}

// ---------------------------------------------------------------------------
// Transformation rules (JVP, transpose, batching) for the primitives above.
import { reduceSum } from "./reduction.js";
import { broadcastInDim, reshape } from "./structural.js";
import { defjvp, defjvpLinear, defjvpZero, setJvp, type Tangent } from "../transforms/jvp.js";
import { isUndef, setTranspose, type LinearArg } from "../transforms/transpose.js";
import { vectorizedBatch } from "../transforms/vmap.js";
import { addAnyP } from "../transforms/zeros.js";
import { zerosLike } from "../transforms/zeros.js";
import type { ShapedArray as Aval } from "../shape.js";

/** Sum a cotangent down to an operand that was broadcast (rank 0, or size-1 dimensions). */
function unbroadcast(ct: Array, aval: Aval): Array {
  if (aval.ndim === 0) return ct.ndim > 0 ? reduceSum(ct, [...globalThis.Array(ct.ndim).keys()]) : ct;
  const axes = aval.shape.flatMap((d, k) => (d === 1 && ct.aval.shape[k] !== 1 ? [k] : []));
  return axes.length ? reshape(reduceSum(ct, axes), aval.shape) : ct;
}
/** Broadcast a contribution (rank 0, or with size-1 dimensions) to the output's shape. */
function bcastTo(x: Array, ref: Array): Array {
  if (x.aval.shape.length === ref.aval.shape.length && x.aval.shape.every((d, k) => d === ref.aval.shape[k])) return x;
  return broadcastInDim(x, ref.aval.shape, x.ndim === 0 ? [] : [...globalThis.Array(x.ndim).keys()]);
}
const sq = (x: Array) => mul(x, x);
const one = (x: Array) => 1;

defjvp(sinP, (g, _ans, [x]) => mul(g, cos(x!)));
defjvp(cosP, (g, _ans, [x]) => neg(mul(g, sin(x!))));
defjvp(tanP, (g, ans) => mul(g, add(one(ans), sq(ans))));
defjvp(asinP, (g, _ans, [x]) => mul(g, rsqrt(sub(one(x!), sq(x!)))));
defjvp(acosP, (g, _ans, [x]) => neg(mul(g, rsqrt(sub(one(x!), sq(x!))))));
defjvp(atanP, (g, _ans, [x]) => div(g, add(one(x!), sq(x!))));
defjvp(sinhP, (g, _ans, [x]) => mul(g, cosh(x!)));
defjvp(coshP, (g, _ans, [x]) => mul(g, sinh(x!)));
defjvp(tanhP, (g, ans) => mul(g, sub(one(ans), sq(ans))));
defjvp(asinhP, (g, _ans, [x]) => mul(g, rsqrt(add(sq(x!), 1))));
defjvp(acoshP, (g, _ans, [x]) => mul(g, rsqrt(mul(sub(x!, 1), add(x!, 1)))));
defjvp(atanhP, (g, _ans, [x]) => div(g, mul(add(one(x!), x!), sub(one(x!), x!))));
defjvp(expP, (g, ans) => mul(g, ans));
defjvp(exp2P, (g, ans) => mul(g, mul(ans, Math.LN2)));
defjvp(logP, (g, _ans, [x]) => div(g, x!));
defjvp(log1pP, (g, _ans, [x]) => div(g, add(x!, 1)));
defjvp(expm1P, (g, ans) => mul(g, add(ans, 1)));
defjvp(sqrtP, (g, ans) => div(g, mul(ans, 2)));
defjvp(rsqrtP, (g, ans, [x]) => mul(g, mul(div(ans, x!), -0.5)));
defjvp(cbrtP, (g, ans) => mul(g, mul(integerPow(ans, -2), 1 / 3)));
defjvp(logisticP, (g, ans) => mul(g, mul(ans, sub(one(ans), ans))));
defjvp(erfP, (g, _ans, [x]) => mul(g, mul(exp(neg(sq(x!))), 2 / Math.sqrt(Math.PI))));
defjvp(erfcP, (g, _ans, [x]) => mul(g, mul(exp(neg(sq(x!))), -2 / Math.sqrt(Math.PI))));
defjvp(erfInvP, (g, ans) => mul(g, mul(exp(sq(ans)), Math.sqrt(Math.PI) / 2)));
defjvp(lgammaP, (g, _ans, [x]) => mul(g, digamma(x!)));
defjvp(digammaP, (g, _ans, [x]) => mul(g, polygamma(bcastTo(convertElementType(1, x!.dtype), x!), x!)));
// d/dx ψ⁽ᵐ⁾(x) = ψ⁽ᵐ⁺¹⁾(x); the order m is not differentiable (as in JAX).
defjvp(polygammaP, null, (g, ans, [m, x]) => bcastTo(mul(g, polygamma(add(m!, 1), x!)), ans));
for (const p of [floorP, ceilP, roundP, signP, isFiniteP, notP, populationCountP, clzP, stopGradientP, nextafterP, bitcastConvertTypeP])
  defjvpZero(p);
for (const p of [andP, orP, xorP, shiftLeftP, shiftRightArithmeticP, shiftRightLogicalP, eqP, neP, ltP, leP, gtP, geP])
  defjvpZero(p);
defjvpLinear(negP);
defjvp(absP, (g, _ans, [x]) => select(ge(x!, 0), g, neg(g)));
defjvp(squareP, (g, _ans, [x]) => mul(g, mul(x!, 2)));
defjvp(integerPowP, (g, _ans, [x], { y }: { y: number }) =>
  y === 0 ? zerosLike(g.aval) : mul(g, y === 1 ? scalarLike(g, 1) : mul(integerPow(x!, y - 1), y)),
);
const scalarLike = (x: Array, v: number) => convertElementType(v, x.dtype, x.weakType);

// Binary ops: a rank-0 operand's contribution is broadcast to the output's shape.
defjvp(addP, (g, ans) => bcastTo(g, ans), (g, ans) => bcastTo(g, ans));
defjvp(subP, (g, ans) => bcastTo(g, ans), (g, ans) => bcastTo(neg(g), ans));
defjvp(mulP, (g, ans, [, y]) => bcastTo(mul(g, y!), ans), (g, ans, [x]) => bcastTo(mul(x!, g), ans));
defjvp(
  divP,
  (g, ans, [, y]) => bcastTo(div(g, y!), ans),
  (g, ans, [, y]) => bcastTo(neg(mul(g, div(ans, y!))), ans),
);
defjvp(
  remP,
  (g, ans) => bcastTo(g, ans),
  (g, ans, [x, y]) => bcastTo(mul(neg(g), mul(sign(div(x!, y!)), floor(abs(div(x!, y!))))), ans),
);
defjvp(
  powP,
  // d/dx x^y = y x^(y-1), taken as 0 where y == 0 (as JAX does, avoiding 0 * inf);
  // an integer exponent is converted to the base's dtype first, as JAX does.
  (g, ans, [x, y0]) => {
    // Work in the output's shape: either operand may be rank 0 or have size-1 dims.
    const y = bcastTo(y0!.dtype === x!.dtype ? y0! : convertElementType(y0!, x!.dtype, y0!.weakType), ans);
    const dx = select(eq(y, 0), zerosLike(ans.aval), mul(y, pow(bcastTo(x!, ans), sub(y, 1))));
    return mul(bcastTo(g, ans), dx);
  },
  // d/dy x^y = log(x) x^y, with log(0) replaced by log(1) where x == 0.
  (g, ans, [x]) => {
    const xb = bcastTo(x!, ans);
    const safe = select(eq(xb, 0), bcastTo(convertElementType(1, xb.dtype, xb.weakType), ans), xb);
    return mul(bcastTo(g, ans), mul(log(safe), ans));
  },
);
/** Where x equals the result: 1, or 0.5 when both operands tie (JAX splits ties). */
function balancedEq(x: Array, z: Array, y: Array): Array {
  const c = (v: number) => bcastTo(convertElementType(v, z.dtype), z);
  return select(eq(x, z), select(eq(y, z), c(0.5), c(1)), c(0));
}
defjvp(maxP, (g, ans, [x, y]) => mul(bcastTo(g, ans), balancedEq(x!, ans, y!)), (g, ans, [x, y]) => mul(bcastTo(g, ans), balancedEq(y!, ans, x!)));
defjvp(minP, (g, ans, [x, y]) => mul(bcastTo(g, ans), balancedEq(x!, ans, y!)), (g, ans, [x, y]) => mul(bcastTo(g, ans), balancedEq(y!, ans, x!)));
defjvp(
  atan2P,
  (g, ans, [x, y]) => bcastTo(mul(g, div(y!, add(sq(x!), sq(y!)))), ans),
  (g, ans, [x, y]) => bcastTo(mul(g, div(neg(x!), add(sq(x!), sq(y!)))), ans),
);

// select_n is linear in its cases; the predicate has no tangent.
setJvp(selectNP, ([which, ...cases], [, ...tcases]) => {
  const out = selectN(which!, ...cases);
  if (tcases.every((t) => t === null)) return [[out], [null]];
  const ts = tcases.map((t, i) => t ?? zerosLike(cases[i]!.aval));
  return [[out], [selectN(which!, ...ts)]];
});
setJvp(clampP, ([lo, x, hi], [tlo, tx, thi]) => {
  const out = clamp(lo!, x!, hi!);
  const zero = zerosLike(x!.aval);
  let t: Tangent = null;
  const acc = (c: Array) => (t = t === null ? c : add(t, c));
  if (tx) acc(select(bitwiseAnd(gt(x!, lo!), lt(x!, hi!)), tx, zero));
  if (tlo) acc(select(bitwiseAnd(gt(lo!, x!), lt(lo!, hi!)), bcastTo(tlo, x!), zero));
  if (thi) acc(select(lt(hi!, x!), bcastTo(thi, x!), zero));
  return [[out], [t]];
});
setJvp(convertElementTypeP, ([x], [t], params: any) => {
  const out = convertElementTypeP.bind1([x!], params);
  const differentiable = x!.dtype.kind === "f" && params.new_dtype.kind === "f";
  return [[out], [differentiable && t ? convertElementTypeP.bind1([t], params) : null]];
});
defjvpLinear(addAnyP);

// Transposes of the linear ones.
const ctOr = (ct: Tangent, f: (c: Array) => Array): Tangent => (ct === null ? null : f(ct));
setTranspose(addP, ([ct], [x, y]) => [
  isUndef(x!) ? ctOr(ct!, (c) => unbroadcast(c, x.aval)) : null,
  isUndef(y!) ? ctOr(ct!, (c) => unbroadcast(c, y.aval)) : null,
]);
setTranspose(addAnyP, ([ct], [x, y]) => [isUndef(x!) ? ct! : null, isUndef(y!) ? ct! : null]);
setTranspose(subP, ([ct], [x, y]) => [
  isUndef(x!) ? ctOr(ct!, (c) => unbroadcast(c, x.aval)) : null,
  isUndef(y!) ? ctOr(ct!, (c) => unbroadcast(neg(c), y.aval)) : null,
]);
setTranspose(negP, ([ct]) => [ctOr(ct!, neg)]);
setTranspose(mulP, ([ct], [x, y]: LinearArg[]) => {
  if (isUndef(x!) && isUndef(y!)) throw new Error("[mul] transpose: product of two linear values is not linear");
  if (isUndef(x!)) return [ctOr(ct!, (c) => unbroadcast(mul(c, y as Array), x.aval)), null];
  return [null, ctOr(ct!, (c) => unbroadcast(mul(x as Array, c), (y as { aval: Aval }).aval))];
});
setTranspose(divP, ([ct], [x, y]: LinearArg[]) => {
  if (isUndef(y!)) throw new Error("[div] transpose: division is linear in its numerator only");
  return [isUndef(x!) ? ctOr(ct!, (c) => unbroadcast(div(c, y as Array), x.aval)) : null, null];
});
setTranspose(convertElementTypeP, ([ct], [x]) => [
  ctOr(ct!, (c) => convertElementType(c, (x as { aval: Aval }).aval.dtype, (x as { aval: Aval }).aval.weakType)),
]);
setTranspose(selectNP, ([ct], [which, ...cases]) => {
  if (isUndef(which!)) throw new Error("[select_n] transpose: the predicate cannot be linear");
  return [
    null,
    ...cases.map((c, i) => {
      if (!isUndef(c) || ct === null) return null;
      const zero = zerosLike(c.aval);
      return selectN(which as Array, ...cases.map((_, j) => (j === i ? ct : zero)));
    }),
  ];
});

// Every elementwise primitive batches by mapping over the batch axis.
for (const p of [
  sinP, cosP, tanP, asinP, acosP, atanP, sinhP, coshP, tanhP, asinhP, acoshP, atanhP, expP, exp2P, logP, log1pP,
  expm1P, sqrtP, rsqrtP, cbrtP, logisticP, erfP, erfcP, erfInvP, lgammaP, digammaP, polygammaP, floorP, ceilP, roundP,
  isFiniteP, negP, absP, signP, squareP, integerPowP, notP, populationCountP, clzP, stopGradientP, addP, subP,
  mulP, divP, remP, powP, maxP, minP, atan2P, nextafterP, andP, orP, xorP, shiftLeftP, shiftRightArithmeticP,
  shiftRightLogicalP, eqP, neP, ltP, leP, gtP, geP, selectNP, clampP, convertElementTypeP, bitcastConvertTypeP, addAnyP,
])
  vectorizedBatch(p);

// select_n does not broadcast its cases against each other or against the
// predicate, so under vmap every non-scalar operand gets the batch axis in front
// (materialized where unbatched), and a per-example scalar predicate is broadcast
// to the cases' shape (the general case of JAX's _select_batch_rule).
import { moveBatchAxis as moveBatchAxisTo, setBatch as setBatchRule } from "../transforms/vmap.js";
setBatchRule(selectNP, ([which, ...cases], [wd, ...cds], params, size) => {
  const w0 = wd === null && which!.ndim === 0 ? which! : moveBatchAxisTo(size, wd ?? null, 0, which!);
  const cs = cases.map((c, i) => moveBatchAxisTo(size, cds[i] ?? null, 0, c));
  const w = w0.ndim > 0 && w0.ndim < cs[0]!.ndim ? broadcastInDim(w0, cs[0]!.aval.shape, [0]) : w0;
  return [[selectNP.bind1([w, ...cs], params)], [0]];
});
// add_any does not broadcast: an unbatched operand is materialized along the batch axis.
import { moveBatchAxis as moveBatchAxisAddAny, setBatch as setBatchAddAny } from "../transforms/vmap.js";
setBatchAddAny(addAnyP, ([x, y], [dx, dy], _params, size) => [
  [addAnyP.bind1([moveBatchAxisAddAny(size, dx ?? null, 0, x!), moveBatchAxisAddAny(size, dy ?? null, 0, y!)])],
  [0],
]);
