// Elementwise primitives against NumPy goldens (tools/goldens/gen_elementwise.py),
// plus their abstract-eval errors, weak-type rules and behaviour under makeJaxpr.
import { describe, expect, it } from "vitest";
import { Array, array, evalJaxpr, fromTyped, grad, lax, makeJaxpr, scalar, type ArrayInput } from "../src/index.js";
import { dtype as toDType, float16, float32, int32, roundToFloat16 } from "../src/dtypes.js";
import { elementwiseSpecial as special, type ElementwiseOp as Op } from "./cases.js";
import { decode, expectMatches, loadGolden, type EncodedArray } from "./golden.js";

interface Case {
  op: string;
  args: EncodedArray[];
  out: EncodedArray;
  params?: Record<string, unknown>;
  rtol?: number | null;
  atol?: number | null;
  signed_zeros?: boolean;
}

const L = lax as unknown as Record<string, (...a: any[]) => Array>;

function opOf(name: string): Op {
  const f = special[name] ?? ((args: Array[]) => L[name]!(...args));
  if (!special[name] && typeof L[name] !== "function") throw new Error(`no lax.${name}`);
  return f;
}

const label = (c: Case) =>
  `${c.op}${c.params ? JSON.stringify(c.params) : ""}(${c.args.map((a) => `${a.dtype}[${a.shape}]`).join(", ")})`;

/** Zeros in the expected output must have the same sign (where XLA specifies it). */
function expectZeroSigns(actual: Array, expected: EncodedArray, what: string): void {
  const got = actual.dataSync();
  const bad: string[] = [];
  expected.data.forEach((e, i) => {
    if (e === 0 && !Object.is(got[i], e)) bad.push(`[${i}] got ${Object.is(got[i], -0) ? "-0" : got[i]}, expected ${Object.is(e, -0) ? "-0" : e}`);
  });
  expect(bad, `${what}: signs of zeros`).toEqual([]);
}

/** Bitwise equality (NaN equals NaN, -0 differs from 0). */
function expectSameValues(a: Array, b: Array, what: string): void {
  expect(a.shape, what).toEqual(b.shape);
  expect(a.dtype, what).toBe(b.dtype);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect(`[${i}] ${x[i]}`, what).toBe(`[${i}] ${y[i]}`);
}

const cases = loadGolden<Case>("elementwise");
const byOp = new Map<string, Case[]>();
for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

describe("elementwise primitives vs NumPy goldens", () => {
  for (const [op, cs] of byOp) {
    it(op, () => {
      const f = opOf(op);
      for (const c of cs) {
        const what = label(c);
        const args = c.args.map(decode);
        const out = f(args, c.params ?? {});
        expectMatches(out, c.out, { label: what, rtol: c.rtol ?? undefined, atol: c.atol ?? undefined });
        if (c.signed_zeros) expectZeroSigns(out, c.out, what);
      }
    });
  }

  it("covers every elementwise lax function", () => {
    const names = [
      "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "exp", "exp2",
      "log", "log1p", "expm1", "sqrt", "rsqrt", "cbrt", "logistic", "erf", "erfc", "erfInv", "lgamma", "digamma",
      "floor", "ceil", "round", "isFinite", "neg", "abs", "sign", "square", "integerPow", "not", "populationCount",
      "clz", "add", "sub", "mul", "div", "rem", "pow", "max", "min", "atan2", "nextafter", "and", "or", "xor",
      "shiftLeft", "shiftRightArithmetic", "shiftRightLogical", "eq", "ne", "lt", "le", "gt", "ge", "selectN",
      "clamp", "convertElementType", "bitcastConvertType",
    ];
    expect(names.filter((n) => !byOp.has(n))).toEqual([]);
  });
});

describe("under makeJaxpr", () => {
  for (const [op, cs] of byOp) {
    it(`${op}: abstract eval matches eager, evalJaxpr reproduces it`, () => {
      const f = opOf(op);
      for (const c of cs) {
        const what = label(c);
        const args = c.args.map(decode);
        const eager = f(args, c.params ?? {});
        const closed = makeJaxpr((...xs: Array[]) => f(xs, c.params ?? {}))(...args);
        const outAval = closed.jaxpr.outvars[0]!.aval;
        expect(outAval.shape, what).toEqual(eager.shape);
        expect(outAval.dtype, what).toBe(eager.dtype);
        expect(outAval.weakType, what).toBe(eager.weakType);
        const [again] = evalJaxpr(closed.jaxpr, closed.consts, args);
        expectSameValues(again!, eager, what);
      }
    });
  }
});

// ---------------------------------------------------------------------------

const f32 = (xs: number[]) => array(xs, { dtype: "float32" });
const i32 = (xs: number[]) => array(xs, { dtype: "int32" });

describe("documented semantics", () => {
  it("round: JAX's docstring examples for both rounding methods", () => {
    const x = f32([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]);
    expect(lax.round(x).tolist()).toEqual([-2, -1, -1, 0, 1, 1, 2]);
    const even = lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN).dataSync();
    expect([...even]).toEqual([-2, -1, -0, 0, 0, 1, 2]);
    expect(Object.is(even[2], -0)).toBe(true);
  });

  it("sign keeps the sign of zero and NaN (lax.sign docstring)", () => {
    const s = lax.sign(f32([-0, 0, NaN, -3, 2])).dataSync();
    expect(Object.is(s[0], -0) && Object.is(s[1], 0)).toBe(true);
    expect([...s].slice(2)).toEqual([NaN, -1, 1]);
  });

  it("neg of unsigned integers is 2^nbits - x (lax.neg docstring)", () => {
    expect(lax.neg(array([1, 0, 200], { dtype: "uint8" })).tolist()).toEqual([255, 0, 56]);
  });

  it("nextafter(0, 1) in float32 is the smallest subnormal, 1e-45 (lax.nextafter docstring)", () => {
    expect(lax.nextafter(f32([0]), f32([1])).item()).toBe(2 ** -149);
  });

  it("integer division and remainder by zero follow XLA (x / 0 = -1, x % 0 = x)", () => {
    expect(lax.div(i32([7, -7, 0]), i32([0, 0, 0])).tolist()).toEqual([-1, -1, -1]);
    expect(lax.rem(i32([7, -7, 0]), i32([0, 0, 0])).tolist()).toEqual([7, -7, 0]);
    expect(lax.div(array([7], { dtype: "uint16" }), array([0], { dtype: "uint16" })).tolist()).toEqual([65535]);
    expect(lax.div(i32([-(2 ** 31)]), i32([-1])).tolist()).toEqual([-(2 ** 31)]);
    expect(lax.rem(i32([-(2 ** 31)]), i32([-1])).tolist()).toEqual([0]);
  });

  it("float -> int conversion truncates, maps NaN to 0 and saturates (XLA's convert)", () => {
    const x = f32([NaN, Infinity, -Infinity, 1e10, -1e10, -2.9, 2.9]);
    expect(lax.convertElementType(x, "int32").tolist()).toEqual([0, 2147483647, -2147483648, 2147483647, -2147483648, -2, 2]);
    expect(lax.convertElementType(x, "uint8").tolist()).toEqual([0, 255, 0, 255, 0, 0, 2]);
    expect(lax.convertElementType(x, "bool").tolist()).toEqual([true, true, true, true, true, true, true]);
  });

  it("roundToFloat16 rounds once, ties to even", () => {
    // 1 + 2^-11 is the midpoint of 1 and 1 + 2^-10: ties go to the even neighbour 1.
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1);
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 * 2 ** -10);
    expect(roundToFloat16(65519.99)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(roundToFloat16(2 ** -25)).toBe(0);
    expect(Object.is(roundToFloat16(-(2 ** -26)), -0)).toBe(true);
    expect(roundToFloat16(2 ** -25 * 1.5)).toBe(2 ** -24);
  });
});

describe("weak types", () => {
  const w = (x: number, d = float32) => scalar(x, d, true);
  it("n-ary results are weak only when every operand is", () => {
    expect(lax.add(w(1), w(2)).weakType).toBe(true);
    expect(lax.add(w(1), scalar(2, float32, false)).weakType).toBe(false);
    expect(lax.add(f32([1, 2]), 3).weakType).toBe(false);
    expect(lax.clamp(w(0), w(5), w(1)).weakType).toBe(true);
    expect(lax.clamp(w(0), scalar(5, float32, false), w(1)).weakType).toBe(false);
    expect(lax.clamp(scalar(0, float32, false), w(5), w(1)).weakType).toBe(false);
    expect(lax.selectN(scalar(true), w(1), w(2)).weakType).toBe(true);
    expect(lax.selectN(scalar(true), w(1), scalar(2, float32, false)).weakType).toBe(false);
    expect(lax.pow(w(2), w(3)).weakType).toBe(true);
  });
  it("convert_element_type sets weak_type from its parameter; bitcast is never weak", () => {
    expect(lax.convertElementType(w(1), "float32", false).weakType).toBe(false);
    expect(lax.convertElementType(f32([1]), "int32", true).weakType).toBe(true);
    expect(lax.bitcastConvertType(w(1), "int32").weakType).toBe(false);
  });
  it("lax wrappers give JS numbers the dtype of the array operand, weakly typed", () => {
    const r = lax.mul(array([1, 2], { dtype: "int8" }), 100);
    expect(r.dtype.name).toBe("int8");
    expect(r.tolist()).toEqual([100, -56]);
  });
});

describe("abstract-eval errors name the op and the operands", () => {
  const u8 = array([1, 2], { dtype: "uint8" });
  const b = array([true, false]);
  const cases: [string, () => unknown, RegExp][] = [
    ["sin of an integer", () => lax.sin(i32([1])), /^\[sin\] requires floating-point inputs, got i32\[1\]$/],
    ["erf_inv of bool", () => lax.erfInv(b), /^\[erf_inv\] requires floating-point inputs, got bool\[2\]$/],
    ["neg of bool", () => lax.neg(b), /^\[neg\] requires numeric \(non-bool\) inputs, got bool\[2\]$/],
    ["abs of unsigned", () => lax.abs(u8), /^\[abs\] requires signed integer or floating-point inputs, got u8\[2\]$/],
    ["abs of bool", () => lax.abs(b), /^\[abs\].*bool\[2\]/],
    ["not of float", () => lax.bitwiseNot(f32([1])), /^\[not\] requires integer or bool inputs, got f32\[1\]$/],
    ["population_count of bool", () => lax.populationCount(b), /^\[population_count\] requires integer inputs, got bool\[2\]$/],
    ["clz of float", () => lax.clz(f32([1])), /^\[clz\] requires integer inputs, got f32\[1\]$/],
    ["add of bool", () => lax.add(b, b), /^\[add\] requires numeric \(non-bool\) inputs, got bool\[2\]$/],
    ["add of mixed dtypes", () => lax.add(f32([1]), i32([1])), /^\[add\] requires arguments to have the same dtypes, got f32\[1\], i32\[1\]$/],
    ["add of mismatched shapes", () => lax.add(f32([1, 2]), f32([1, 2, 3])), /^\[add\] got incompatible shapes for broadcasting: f32\[2\], f32\[3\]$/],
    ["shift of floats", () => lax.shiftLeft(f32([1]), f32([1])), /^\[shift_left\] requires integer inputs, got f32\[1\]$/],
    ["and of floats", () => lax.bitwiseAnd(f32([1]), f32([1])), /^\[and\] requires integer or bool inputs, got f32\[1\]$/],
    ["pow of integers", () => lax.pow(i32([2]), i32([2])), /^\[pow\] requires floating-point inputs, got i32\[1\]$/],
    ["pow with a float exponent of another dtype", () => lax.pow(f32([2]), array([2], { dtype: "float64" })),
      /^\[pow\] the exponent must have the base's dtype or an integer dtype, got f32\[1\], f64\[1\]$/],
    ["nextafter of ints", () => lax.nextafter(i32([1]), i32([2])), /^\[nextafter\] requires floating-point inputs, got i32\[1\]$/],
    ["atan2 of mixed dtypes", () => lax.atan2(f32([1]), array([1], { dtype: "float16" })), /^\[atan2\] requires arguments to have the same dtypes/],
    ["integer_pow with a negative exponent of an int", () => lax.integerPow(i32([2]), -1),
      /^\[integer_pow\] negative exponent -1 needs a floating-point base, got i32\[1\]$/],
    ["integer_pow with a fractional exponent", () => lax.integerPow(f32([2]), 1.5), /^\[integer_pow\] exponent must be an integer, got 1.5$/],
    ["round with a bad method", () => lax.round(f32([1]), 2 as lax.RoundingMethod), /^\[round\] rounding_method must be 0 \(AWAY_FROM_ZERO\) or 1 \(TO_NEAREST_EVEN\), got 2$/],
    ["select_n with a float predicate", () => lax.selectN(f32([1]), f32([1]), f32([2])), /^\[select_n\] predicate must be bool or integer, got f32\[1\]$/],
    ["select_n with a bool predicate and 3 cases", () => lax.selectN(scalar(true), f32([1]), f32([2]), f32([3])),
      /^\[select_n\] a bool predicate selects between at most 2 cases, got 3$/],
    ["select_n with cases of different dtypes", () => lax.selectN(scalar(true), f32([1]), i32([1])),
      /^\[select_n\] cases must have the same shape and dtype, got f32\[1\], i32\[1\]$/],
    ["select_n with a predicate of another shape", () => lax.selectN(array([true, false]), f32([1, 2, 3]), f32([1, 2, 3])),
      /^\[select_n\] predicate must be a scalar or have the cases' shape, got bool\[2\] for f32\[3\]$/],
    ["select_n with no cases", () => lax.selectN(scalar(true)), /^\[select_n\] needs a predicate and at least one case$/],
    ["clamp with bounds of another dtype", () => lax.clamp(i32([0]), f32([1]), f32([2])), /^\[clamp\] operands must have the same dtype, got i32\[1\], f32\[1\], f32\[1\]$/],
    ["clamp with bounds of another shape", () => lax.clamp(f32([0, 1]), f32([1, 2, 3]), 5), /^\[clamp\] min\/max must be scalars or match x's shape, got f32\[2\], f32\[3\], f32\[\]$/],
    ["bitcast from bool", () => lax.bitcastConvertType(b, "uint8"), /^\[bitcast_convert_type\] cannot bitcast to or from bool: bool\[2\] -> uint8$/],
    ["bitcast to a wider dtype without the trailing dimension", () => lax.bitcastConvertType(array([1, 2, 3], { dtype: "uint8" }), "int32"),
      /^\[bitcast_convert_type\] u8\[3\] -> int32 needs a trailing dimension of 4/],
    ["bitcast of a scalar to a wider dtype", () => lax.bitcastConvertType(scalar(1, float32, false), "float64"),
      /^\[bitcast_convert_type\] f32\[\] -> float64 needs a trailing dimension of 2/],
    ["convert to an unknown dtype", () => lax.convertElementType(f32([1]), "complex64"), /^\[dtype\] unknown dtype "complex64"/],
  ];
  for (const [what, f, re] of cases) {
    it(what, () => expect(f).toThrow(re));
  }

  it("errors are TypeErrors raised before any computation, also while tracing", () => {
    expect(() => lax.sin(i32([1]))).toThrow(TypeError);
    expect(() => makeJaxpr((x: Array) => lax.sin(x))(i32([1]))).toThrow(/^\[sin\] requires floating-point inputs, got i32\[1\]$/);
  });
});

describe("kernels", () => {
  it("bool select_n and integer select_n pick the same case", () => {
    const c0 = f32([1, 2, 3]);
    const c1 = f32([10, 20, 30]);
    const viaBool = lax.selectN(array([true, false, true]), c0, c1);
    const viaInt = lax.selectN(i32([1, 0, 1]), c0, c1);
    expect(viaBool.tolist()).toEqual([10, 2, 30]);
    expect(viaInt.tolist()).toEqual(viaBool.tolist());
  });

  it("float16 outputs are exactly representable float16 values", () => {
    const x = fromTyped(new Float32Array([0.1, 1 / 3, 1e-7, 12345.678]), [4], float16);
    for (const v of lax.sin(x).dataSync()) expect(roundToFloat16(v)).toBe(v);
    for (const v of lax.div(x, x.astype("float16")).dataSync()) expect(roundToFloat16(v)).toBe(v);
  });

  it("bitcast round-trips preserve every bit pattern of int32 -> float32 -> int32", () => {
    const bits = [0, 1, -1, 0x7fc00001, 0x7f800001, -0x7fffffff, 0x00800000, 123456789];
    const x = i32(bits);
    expect(lax.bitcastConvertType(lax.bitcastConvertType(x, "float32"), "int32").tolist()).toEqual(bits);
  });

  it("rank-0 operands broadcast in every position", () => {
    const x = f32([1, 2, 3]);
    const s = (v: number): ArrayInput => scalar(v, float32, false);
    expect(lax.sub(s(10), x).tolist()).toEqual([9, 8, 7]);
    expect(lax.clamp(s(1.5), x, s(2.5)).tolist()).toEqual([1.5, 2, 2.5]);
    expect(lax.selectN(scalar(true), x, f32([0, 0, 0])).tolist()).toEqual([0, 0, 0]);
    expect(lax.max(x, s(2)).tolist()).toEqual([2, 2, 3]);
  });

  it("pow with an integer exponent keeps the base's dtype and differentiates in it", () => {
    const e = i32([2, 3, 0]);
    const x = f32([1.5, 2, 4]);
    const y = lax.pow(x, e);
    expect([y.dtype.name, y.tolist()]).toEqual(["float32", [2.25, 8, 1]]);
    // d/dx x^e = e x^(e-1), and 0 where e == 0
    expect(grad((v: Array) => lax.pow(v, e).sum())(x).tolist()).toEqual([2 * 1.5, 3 * 2 * 2, 0]);
  });

  it("convert_element_type to the same dtype and weak type is the identity (no equation)", () => {
    const closed = makeJaxpr((x: Array) => lax.convertElementType(x, "float32"))(f32([1]));
    expect(closed.jaxpr.eqns.length).toBe(0);
    expect(String(makeJaxpr((x: Array) => lax.convertElementType(x, int32))(f32([1])))).toBe(
      "{ lambda ; a:f32[1]. let\n    b:i32[1] = convert_element_type[new_dtype=int32 weak_type=False] a\n  in (b,) }",
    );
    expect(toDType("f32")).toBe(float32);
  });
});
