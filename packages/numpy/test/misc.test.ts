import { describe, expect, test } from "vitest";
import { Array, array, jit } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { loadGolden } from "../../core/test/golden.js";
import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_misc", import.meta.url);

const vals = (x: Array) => [...x.dataSync()];

describe("selection: gradients, vmap, jit", () => {
  const r = rng(31);
  const x = randArray([2, 4], r);
  const y = randArray([4], r);
  test("where, select, piecewise, extract, polyval", () => {
    const c = jnp.greater(x, 0);
    checkGrads((a: Array, b: Array) => jnp.where(c, a, b), [x, y], 2);
    checkGrads((a: Array) => jnp.select([jnp.less(x, -0.3), jnp.greater(x, 0.3)], [jnp.multiply(a, 2), jnp.sin(a)], 0.5), [x], 2);
    checkGrads(
      (a: Array) => jnp.piecewise(a, [jnp.less(x, 0)], [(v: Array) => jnp.exp(v), (v: Array) => jnp.multiply(v, v)]),
      [x],
      2,
    );
    checkGrads((a: Array) => jnp.extract(c, a), [x], 2);
    checkGrads(jnp.polyval, [randArray([3], r), y], 2);
  });
  test("polynomial arithmetic", () => {
    const p = randArray([4], r);
    const q = randArray([2], r);
    checkGrads(jnp.polyadd, [p, q], 2);
    checkGrads(jnp.polysub, [q, p], 2);
    checkGrads(jnp.polymul, [p, q], 2);
    checkGrads((a: Array, b: Array) => jnp.polydiv(a, b), [p, jnp.add(q, 3)], 2);
    checkGrads((a: Array) => jnp.polyder(a, 2), [p], 2);
    checkGrads((a: Array) => jnp.polyint(a, 2, 1.5), [p], 2);
    checkGrads(jnp.poly, [p], 2);
    const px = array([-1, -0.5, 0, 0.4, 1, 1.6], { dtype: "float64" });
    checkGrads((v: Array) => jnp.polyfit(px, v, 2) as Array, [randArray([6], r)], 2);
    checkVmap((v: Array) => jnp.polyfit(px, v, 1) as Array, [randArray([3, 6], r)]);
    checkVmap(jnp.polymul, [randArray([3, 4], r), randArray([3, 2], r)]);
    checkVmap((a: Array) => jnp.polyder(a), [randArray([3, 4], r)]);
    checkVmap(jnp.poly, [randArray([3, 3], r)]);
  });
  test("vmap", () => {
    const b = randArray([3, 4], r);
    checkVmap((c: Array, a: Array) => jnp.where(c, a, 0), [jnp.greater(b, 0), b]);
    checkVmap((a: Array) => jnp.where(jnp.greater(a, 0), { size: 4, fillValue: -1 })[0]!, [b]);
    checkVmap((a: Array) => jnp.select([jnp.less(a, 0)], [jnp.negative(a)], 1), [b]);
    checkVmap((a: Array) => jnp.piecewise(a, [jnp.less(a, 0)], [(v: Array) => jnp.negative(v), 2]), [b]);
    checkVmap((a: Array) => jnp.extract(jnp.greater(a, 0), a, { size: 4 }), [b]);
    checkVmap((p: Array, v: Array) => jnp.polyval(p, v), [randArray([3, 3], r), b]);
  });
  test("jit", () => {
    checkJit((a: Array) => jnp.where(jnp.greater(a, 0), { size: 8 }), [x]);
    checkJit((a: Array) => jnp.piecewise(a, [jnp.less(a, 0)], [0, (v: Array) => jnp.sqrt(v)]), [x]);
  });
  test("where/extract without size need concrete values", () => {
    expect(vals(jnp.where(array([0, 3, 0, 1]))[0]!)).toEqual([1, 3]);
    expect(() => jit((a: Array) => jnp.where(a))(array([0, 1]))).toThrow(/\[where\] the output size depends on the values of a traced i32\[2\]; pass a static `size`/);
    expect(() => jit((a: Array) => jnp.extract(a, a))(array([0, 1]))).toThrow(/\[extract\] the output size depends/);
  });
});

describe("selection: errors", () => {
  test("bad arguments name the function", () => {
    const x = array([1, 2, 3]);
    expect(() => (jnp.where as (...a: unknown[]) => unknown)(x, x)).toThrow(/\[where\] either both or neither of the x and y arguments should be provided/);
    expect(() => jnp.where(array(1))).toThrow(/\[where\] calling nonzero on a rank-0 array is not allowed/);
    expect(() => jnp.where(jnp.greater(x, 1), x, array([1, 2]))).toThrow(/\[where\] shapes \(3\), \(3\), \(2\) cannot be broadcast together/);
    expect(() => jnp.select([jnp.greater(x, 1)], [])).toThrow(/\[select\] condlist must have length equal to choicelist \(1 vs 0\)/);
    expect(() => jnp.select([], [])).toThrow(/\[select\] condlist must be non-empty/);
    expect(() => jnp.piecewise(x, [jnp.greater(x, 1)], [1, 2, 3])).toThrow(/\[piecewise\] with 1 condition\(s\), either 1 or 2 functions are expected; got 3/);
    expect(() => jnp.polyval(array(2), x)).toThrow(/\[polyval\] p must be at least 1-D, got i32\[\]/);
    expect(() => jnp.polyder(x, -1)).toThrow(/\[polyder\] order of derivative must be a non-negative integer, got -1/);
    expect(() => jnp.polyint(x, 2, array([1, 2, 3]))).toThrow(/\[polyint\] k must be a scalar or a rank-1 array of length 1 or m, got f32\[3\] for m=2/);
    expect(() => jnp.poly(array([[1, 2], [3, 4]]))).toThrow(/\[poly\] input must be a 1-D array of roots/);
    expect(() => jnp.polyfit(x, array([1, 2]), 1)).toThrow(/\[polyfit\] expected x and y to have same length, got f32\[3\] and f32\[2\]/);
    expect(() => jnp.polyfit(x, x, 3, { cov: true })).toThrow(/\[polyfit\] the number of data points must exceed order to scale the covariance matrix \(3 <= 4\)/);
    expect(() => jnp.polyadd(array([[1]]), x)).toThrow(/\[polyadd\] a1 must be a 1-D array of coefficients, got i32\[1,1\]/);
    expect(() => jnp.cov(array([[[1]]]))).toThrow(/\[cov\] m has more than 2 dimensions: f32\[1,1,1\]/);
    expect(() => jnp.cov(array([[1, 2]]), { fweights: array([1.5, 2]) })).toThrow(/\[cov\] fweights must be integer, got f32\[2\]/);
  });
});

interface DTypeTables {
  finfo: Record<string, Record<string, number | string>>;
  iinfo: Record<string, { bits: number; min: number; max: number }>;
  promoteTypes: Record<string, Record<string, string>>;
  canCast: Record<string, Record<string, boolean>>;
  resultType: { args: (string | number | boolean)[]; out: string }[];
  issubdtype: Record<string, Record<string, boolean>>;
}

describe("dtype helpers vs NumPy (finfo, iinfo, can_cast) and JAX (promote_types, result_type, issubdtype)", () => {
  const t = loadGolden<DTypeTables>("numpy_dtypes", import.meta.url)[0]!;
  test("finfo", () => {
    for (const [d, info] of Object.entries(t.finfo)) {
      const got = jnp.finfo(d) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(info)) expect(got[k], `${d}.${k}`).toBe(typeof v === "string" ? Number(v) : v);
      expect(jnp.finfo(d).dtype.name).toBe(d);
    }
    expect(jnp.finfo(array([1], { dtype: "float16" })).bits).toBe(16);
  });
  test("iinfo", () => {
    for (const [d, info] of Object.entries(t.iinfo)) {
      const got = jnp.iinfo(d);
      expect([got.bits, got.min, got.max], d).toEqual([info.bits, info.min, info.max]);
    }
  });
  test("promoteTypes, canCast, issubdtype over every pair", () => {
    for (const [a, row] of Object.entries(t.promoteTypes)) {
      for (const [b, out] of Object.entries(row)) expect(jnp.promoteTypes(a, b).name, `${a}+${b}`).toBe(out);
    }
    for (const [a, row] of Object.entries(t.canCast)) {
      for (const [b, out] of Object.entries(row)) expect(jnp.canCast(a, b), `${a}->${b}`).toBe(out);
    }
    const cats = { generic: jnp.generic, number: jnp.number, inexact: jnp.inexact, floating: jnp.floating, integer: jnp.integer, signedinteger: jnp.signedinteger, unsignedinteger: jnp.unsignedinteger };
    for (const [d, row] of Object.entries(t.issubdtype)) {
      for (const [c, out] of Object.entries(row)) {
        expect(jnp.issubdtype(d, cats[c as keyof typeof cats]), `${d} in ${c}`).toBe(out);
        expect(jnp.issubdtype(d, c), `${d} in "${c}"`).toBe(out);
      }
    }
    expect(jnp.issubdtype(jnp.floating, jnp.inexact)).toBe(true);
    expect(jnp.issubdtype(jnp.integer, jnp.floating)).toBe(false);
    expect(jnp.issubdtype("int8", "int8")).toBe(true);
  });
  test("resultType with weak JS numbers", () => {
    for (const { args, out } of t.resultType) expect(jnp.resultType(...args).name, JSON.stringify(args)).toBe(out);
    expect(jnp.resultType(array([1], { dtype: "uint8" }), 2).name).toBe("uint8");
  });
  test("isdtype kinds, dtype objects", () => {
    expect(jnp.isdtype("int8", "signed integer")).toBe(true);
    expect(jnp.isdtype("uint8", ["real floating", "integral"])).toBe(true);
    expect(jnp.isdtype("bool", "numeric")).toBe(false);
    expect(jnp.isdtype("float16", jnp.float16)).toBe(true);
    expect(jnp.dtype("f32")).toBe(jnp.float32);
    expect(jnp.dtype(array([true]))).toBe(jnp.bool_);
  });
  test("errors", () => {
    expect(() => jnp.finfo("int32")).toThrow(/\[finfo\] data type int32 not inexact/);
    expect(() => jnp.iinfo("float32")).toThrow(/\[iinfo\] invalid integer data type float32/);
    expect(() => jnp.promoteTypes("int7", "int8")).toThrow(/\[promote_types\] data type "int7" not understood/);
    expect(() => jnp.isdtype("int8", "integer-ish" as "integral")).toThrow(/\[isdtype\] unknown kind "integer-ish"/);
  });
});
