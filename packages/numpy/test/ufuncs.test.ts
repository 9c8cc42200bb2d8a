import { describe, expect, test } from "vitest";
import { Array, array, grad, jit, makeJaxpr, vmap, type ArrayInput } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_ufuncs", import.meta.url);

const f64 = (xs: number[] | number[][]) => array(xs, { dtype: "float64" });
const close = (got: Array, want: number[] | number, tol = 1e-9) => {
  const g = got.ndim === 0 ? [got.item() as number] : [...got.dataSync()];
  const w = typeof want === "number" ? [want] : want;
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `[${i}] ${v} vs ${w[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i]!))));
};

type Unary = (x: ArrayInput) => Array;
/** Unary functions differentiated to second order on a domain where they are smooth. */
const unarySpecs: [string, Unary, number, number][] = [
  ["sin", jnp.sin, -2, 2],
  ["cos", jnp.cos, -2, 2],
  ["tan", jnp.tan, -1, 1],
  ["arcsin", jnp.arcsin, -0.8, 0.8],
  ["arccos", jnp.arccos, -0.8, 0.8],
  ["arctan", jnp.arctan, -2, 2],
  ["sinh", jnp.sinh, -2, 2],
  ["cosh", jnp.cosh, -2, 2],
  ["tanh", jnp.tanh, -2, 2],
  ["arcsinh", jnp.arcsinh, -2, 2],
  ["arccosh", jnp.arccosh, 1.2, 3],
  ["arctanh", jnp.arctanh, -0.8, 0.8],
  ["exp", jnp.exp, -2, 2],
  ["exp2", jnp.exp2, -2, 2],
  ["expm1", jnp.expm1, -2, 2],
  ["log", jnp.log, 0.2, 3],
  ["log2", jnp.log2, 0.2, 3],
  ["log10", jnp.log10, 0.2, 3],
  ["log1p", jnp.log1p, -0.5, 3],
  ["sqrt", jnp.sqrt, 0.2, 3],
  ["cbrt", jnp.cbrt, 0.2, 3],
  ["square", jnp.square, -2, 2],
  ["reciprocal", jnp.reciprocal, 0.5, 2],
  ["absolute", jnp.absolute, 0.1, 2],
  ["fabs", jnp.fabs, -2, -0.1],
  ["negative", jnp.negative, -2, 2],
  ["deg2rad", jnp.deg2rad, -2, 2],
  ["rad2deg", jnp.rad2deg, -2, 2],
  ["sinc", jnp.sinc, -2, 2],
  ["nanToNum", (x) => jnp.nanToNum(x), -2, 2],
  ["modf fraction", (x) => jnp.modf(x)[0], 0.1, 0.9],
  ["frexp mantissa", (x) => jnp.frexp(x)[0], 0.6, 0.9],
  ["round (zero gradient)", (x) => jnp.round(x, 1), 0.11, 0.14],
  ["i0 (|x| <= 8)", jnp.i0, -3, 3],
  ["i0 (|x| > 8)", jnp.i0, 8.5, 12],
];

describe("ufuncs: gradients (JVP and VJP vs finite differences, float64)", () => {
  for (const [name, f, lo, hi] of unarySpecs) {
    test(name, () => checkGrads(f, [randArray([2, 3], rng(name.length), lo, hi)], 2, { rtol: 1e-6, atol: 1e-6 }));
  }

  const binarySpecs: [string, (x: Array, y: Array) => Array, number, number, number, number][] = [
    ["add", jnp.add, -2, 2, -2, 2],
    ["subtract", jnp.subtract, -2, 2, -2, 2],
    ["multiply", jnp.multiply, -2, 2, -2, 2],
    ["divide", jnp.divide, -2, 2, 0.5, 2],
    ["power", jnp.power, 0.5, 2, -1.5, 1.5],
    ["floatPower", jnp.floatPower, 0.5, 2, -1.5, 1.5],
    ["arctan2", jnp.arctan2, -2, 2, 0.5, 2],
    ["hypot", jnp.hypot, 0.5, 2, -2, -0.5],
    ["logaddexp", jnp.logaddexp, -2, 2, -2, 2],
    ["logaddexp2", jnp.logaddexp2, -2, 2, -2, 2],
    ["maximum", jnp.maximum, -2, -0.1, 0.1, 2],
    ["minimum", jnp.minimum, -2, -0.1, 0.1, 2],
    ["fmax", jnp.fmax, 0.1, 2, -2, -0.1],
    ["fmin", jnp.fmin, 0.1, 2, -2, -0.1],
    ["copysign", jnp.copysign, 0.2, 2, -2, -0.2],
    ["remainder (x only)", (x, y) => jnp.remainder(x, jnp.add(jnp.multiply(y, 0), 3)), 0.1, 2.9, 0, 1],
  ];
  for (const [name, f, alo, ahi, blo, bhi] of binarySpecs) {
    test(name, () => {
      const r = rng(name.length + 100);
      checkGrads(f, [randArray([2, 3], r, alo, ahi), randArray([3], r, blo, bhi)], 2, { rtol: 1e-6, atol: 1e-6 });
    });
  }

  test("ldexp and clip (in the interior)", () => {
    checkGrads((x: Array) => jnp.ldexp(x, array([1, -2, 3])), [randArray([3], rng(5), 0.5, 2)], 2);
    checkGrads((x: Array) => jnp.clip(x, -0.5, 0.5), [f64([-0.9, -0.2, 0.3, 0.8])], 2);
    checkGrads((x: Array, lo: Array) => jnp.clip(x, lo, 1.5), [f64([-0.9, -0.2, 0.3, 0.8]), f64([-0.5, -0.5, 0, 1])], 1);
  });

  test("JAX's conventions at kinks: abs'(0) = 1, maximum/minimum split ties, clip's bound takes a tie", () => {
    close(grad((x: Array) => jnp.abs(x))(f64([0]).reshape([])), 1);
    close(grad((x: Array) => jnp.maximum(x, 1))(f64([1]).reshape([])), 0.5);
    close(grad((x: Array) => jnp.minimum(x, x))(f64([2]).reshape([])), 1);
    close(grad((x: Array) => jnp.sign(x))(f64([0.5]).reshape([])), 0);
    close(grad((x: Array) => jnp.floor(x))(f64([0.5]).reshape([])), 0);
  });

  test("sinc: value 1 and exact derivatives at 0 (JAX's Maclaurin custom JVP)", () => {
    const z = f64([0]).reshape([]);
    close(jnp.sinc(z), 1);
    close(grad(jnp.sinc)(z), 0);
    close(grad(grad(jnp.sinc))(z), -(Math.PI ** 2) / 3);
    close(grad(grad(grad(grad(jnp.sinc))))(z), Math.PI ** 4 / 5, 1e-7);
  });

  test("logaddexp: finite gradients at -inf and +inf (JAX's custom JVP)", () => {
    const [g1, g2] = grad(jnp.logaddexp, { argnums: [0, 1] })(f64([-Infinity]).reshape([]), f64([0]).reshape([])) as Array[];
    close(g1!, 0);
    close(g2!, 1);
    const [h1, h2] = grad(jnp.logaddexp, { argnums: [0, 1] })(f64([Infinity]).reshape([]), f64([Infinity]).reshape([])) as Array[];
    close(h1!, 1);
    close(h2!, 1);
    close(jnp.logaddexp(f64([1000]), f64([1000])), 1000 + Math.LN2);
  });

  test("hypot: gradient where one side is 0", () => {
    const [gx, gy] = grad(jnp.hypot, { argnums: [0, 1] })(f64([3]).reshape([]), f64([0]).reshape([])) as Array[];
    close(gx!, 1);
    close(gy!, 0);
  });

  test("i0: derivative exactly 0 at 0 (JAX's custom JVP), i1 elsewhere", () => {
    const z = f64([0]).reshape([]);
    close(jnp.i0(z), 1);
    close(grad(jnp.i0)(z), 0);
    close(grad(jnp.i0)(f64([1]).reshape([])), 0.5651591039924851, 1e-12);
  });

  test("frexp: mantissa tangent 2^-e, exponent not differentiated", () => {
    close(grad((x: Array) => jnp.frexp(x)[0])(f64([6]).reshape([])), 1 / 8);
  });
});

describe("ufuncs: vmap (vs a loop) and jit (vs eager)", () => {
  const r = rng(7);
  const a = randArray([4, 3], r, 0.5, 2);
  const b = randArray([4, 3], r, -2, 2);
  test("unary and binary, batched and unbatched operands", () => {
    checkVmap(jnp.sin, [b]);
    checkVmap(jnp.sinc, [b]);
    checkVmap(jnp.logaddexp, [a, b]);
    checkVmap(jnp.power, [a, b]);
    checkVmap(jnp.hypot, [a, randArray([3], r)], { inAxes: [0, null] });
    checkVmap(jnp.arctan2, [randArray([3], r), b], { inAxes: [null, 0] });
    checkVmap((x: Array) => jnp.clip(x, -0.5, 0.5), [b]);
    checkVmap((x: Array) => jnp.frexp(x)[0], [a]);
    checkVmap((x: Array) => jnp.frexp(x)[1], [a]);
    checkVmap((x: Array, y: Array) => jnp.isclose(x, y, { atol: 0.5 }), [a, b]);
    checkVmap((x: Array) => jnp.round(x, 1), [b], { inAxes: [1] });
    checkVmap(jnp.copysign, [a.T, b], { inAxes: [1, 0] });
  });
  test("integer functions (gcd's while loop under vmap)", () => {
    const x = array([[12, 18, 7], [9, 0, 5], [21, 14, 10]]);
    const y = array([[8, 12, 0], [6, 4, 25], [6, 35, 4]]);
    checkVmap(jnp.gcd, [x, y]);
    checkVmap(jnp.lcm, [x, y]);
    checkVmap(jnp.floorDivide, [x, array([[3, 5, 2], [4, 3, 3], [2, 7, 3]])]);
    checkVmap(jnp.rightShift, [x, array([1, 2, 0])], { inAxes: [0, null] });
  });
  test("jit", () => {
    checkJit(jnp.logaddexp, [a, b]);
    checkJit((x: Array) => jnp.frexp(x), [b]);
    checkJit(jnp.gcd, [array([12, 9]), array([8, 6])]);
    checkJit((x: Array) => jnp.ldexp(x, 3), [b]);
  });
  test("a traced function stages lax primitives (no new primitives)", () => {
    const text = makeJaxpr((x: Array) => jnp.log10(x))(array([1, 2], { dtype: "float32" })).toString();
    expect(text).toContain("log");
    expect(text).toContain("mul");
  });
  test("jit of jnp functions with weak scalars", () => {
    const f = jit((x: Array) => jnp.add(x, 1));
    expect(f(array([1, 2], { dtype: "int8" })).dtype.name).toBe("int8");
  });
});

describe("ufuncs: dtypes and weak types (JAX's rules)", () => {
  test("integer inputs of transcendental functions give float32; weak inputs stay weak", () => {
    expect(jnp.sin(array([1, 2])).dtype.name).toBe("float32");
    expect(jnp.sin(2).weakType).toBe(true);
    expect(jnp.sin(array([1], { dtype: "float16" })).dtype.name).toBe("float16");
    expect(jnp.add(array([1], { dtype: "uint8" }), 300).dtype.name).toBe("uint8");
    expect(jnp.multiply(array([1], { dtype: "float16" }), 2.5).dtype.name).toBe("float16");
    expect(jnp.divide(array([1], { dtype: "int8" }), 2).dtype.name).toBe("float32");
    expect(jnp.floatPower(array([2]), 2).dtype.name).toBe("float32");
    expect(jnp.rint(array([2])).dtype.name).toBe("float32");
    expect(jnp.square(array([true])).dtype.name).toBe("int32");
    expect(jnp.equal(array([1]), 1.5).dtype.name).toBe("bool");
    expect(jnp.bitwiseCount(array([7], { dtype: "int16" })).dtype.name).toBe("uint8");
    expect(jnp.frexp(array([3]))[1].dtype.name).toBe("int32");
  });
  test("power with a static integer exponent lowers to integer_pow", () => {
    const text = makeJaxpr((x: Array) => jnp.power(x, 3))(array([1, 2], { dtype: "float32" })).toString();
    expect(text).toContain("integer_pow");
  });
});

describe("ufuncs: errors name the function and the offending shapes/dtypes", () => {
  const x = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
  test("bad inputs", () => {
    expect(() => jnp.sin([1, 2] as unknown as Array)).toThrow(/\[sin\] argument 0 must be an Array, number or boolean, got a JS array/);
    expect(() => jnp.add(x, array([1, 2, 3, 4]))).toThrow(/\[add\] shapes \(2,3\), \(4\) cannot be broadcast together/);
    expect(() => jnp.bitwiseAnd(x, x)).toThrow(/\[bitwise_and\] does not accept dtype float32 \(f32\[2,3\]\)/);
    expect(() => jnp.leftShift(x, 1)).toThrow(/\[left_shift\] does not accept dtype float32/);
    expect(() => jnp.negative(array([true]))).toThrow(/\[negative\] does not accept dtype bool/);
    expect(() => jnp.power(array([2, 3]), -1)).toThrow(/\[power\] integers to negative integer powers are not allowed: i32\[2\] \*\* -1/);
    expect(() => jnp.gcd(x, x)).toThrow(/\[gcd\] arguments must be integers, got f32\[2,3\]/);
    expect(() => jnp.ldexp(x, x)).toThrow(/\[ldexp\] x2 must be an integer, got f32\[2,3\]/);
    expect(() => jnp.round(x, 1.5)).toThrow(/\[round\] decimals must be an integer/);
    expect(() => jnp.round(array([3]), -1)).toThrow(/\[round\] integer round is not implemented for decimals < 0/);
  });
  test("arrayEqual/arrayEquiv answer false rather than throw for mismatched shapes", () => {
    expect(jnp.arrayEqual(array([1, 2]), array([1, 2, 3])).item()).toBe(false);
    expect(jnp.arrayEquiv(array([1, 2]), array([1, 2, 3])).item()).toBe(false);
  });
});
