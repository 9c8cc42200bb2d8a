// Reductions (reduce_*, argmax/argmin, cum*, reduce_window_*), their lax wrappers
// and the jnp-style Array methods (sum, prod, max, min, mean, any, all, argmax,
// argmin, cumsum), against goldens from tools/goldens/gen_reduction.py (NumPy
// references checked against JAX 0.10.2; jax.numpy for the methods), under
// makeJaxpr / evalJaxpr, and printed as JAX 0.10.2 prints them.
import { describe, expect, it } from "vitest";
import { Array, ShapeDtypeStruct, array, evalJaxpr, lax, makeJaxpr, type ClosedJaxpr } from "../src/index.js";
import { reduceSumP, cumsumP, argmaxP, reduceWindowSumP } from "../src/primitives/reduction.js";
import { decode, expectMatches, loadGolden, loadJaxprGoldens, type EncodedArray } from "./golden.js";

interface Case {
  kind: "reduce" | "arg" | "cum" | "window" | "method" | "jaxpr";
  op: string;
  note?: string;
  x: EncodedArray;
  out: EncodedArray;
  [k: string]: any;
}

const cases = loadGolden<Case>("reduction");
const byKind = (k: Case["kind"]) => cases.filter((c) => c.kind === k);
const group = (cs: Case[], key: (c: Case) => string) => {
  const m = new Map<string, Case[]>();
  for (const c of cs) m.set(key(c), [...(m.get(key(c)) ?? []), c]);
  return m;
};

const fmt = (e: EncodedArray) => `${e.dtype}[${e.shape.join(",")}]`;
const label = (c: Case, extra: string) => `${c.op ?? c.method} ${fmt(c.x)} ${extra} ${c.note ?? ""}`;

/** Eager result vs golden; then makeJaxpr gives the same aval and evalJaxpr the same values. */
function checkCase(c: Case, f: (x: Array) => Array, extra: string): void {
  const x = decode(c.x);
  const l = label(c, extra);
  const y = f(x);
  expectMatches(y, c.out, { label: l });
  const closed = makeJaxpr(f)(x);
  expect(closed.outAvals[0]!.strShort(), `${l}: traced aval`).toBe(y.aval.strShort());
  const [z] = evalJaxpr(closed.jaxpr, closed.consts, [x]);
  expect(Object.is(z!.weakType, y.weakType)).toBe(true);
  expect([...z!.dataSync()], `${l}: evalJaxpr`).toEqual([...y.dataSync()]);
}

const reducers: Record<string, (x: Array, axes: number[]) => Array> = {
  reduce_sum: lax.reduceSum,
  reduce_prod: lax.reduceProd,
  reduce_max: lax.reduceMax,
  reduce_min: lax.reduceMin,
  reduce_and: lax.reduceAnd,
  reduce_or: lax.reduceOr,
  reduce_xor: lax.reduceXor,
};

describe("lax reduce_* against NumPy/JAX goldens", () => {
  for (const [op, cs] of group(byKind("reduce"), (c) => c.op)) {
    it(`${op} (${cs.length} cases: dtypes, axes incl. negative/empty/all, zero-size, NaN/inf, wrap-around)`, () => {
      for (const c of cs) checkCase(c, (x) => reducers[op]!(x, c.axes), `axes=${JSON.stringify(c.axes)}`);
    });
  }
  it("covers the dtypes and edge cases it claims", () => {
    const rs = byKind("reduce");
    const dtypes = new Set(rs.map((c) => c.x.dtype));
    for (const d of ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32", "bool"]) expect(dtypes.has(d)).toBe(true);
    expect(rs.some((c) => c.x.shape.includes(0))).toBe(true);
    expect(rs.some((c) => c.note === "wrap")).toBe(true);
    expect(rs.some((c) => c.out.data.includes("nan"))).toBe(true);
  });
});

describe("lax.argmax / lax.argmin", () => {
  for (const [op, cs] of group(byKind("arg"), (c) => c.op)) {
    it(`${op} (${cs.length} cases: ties keep the first index, the first NaN wins, index dtypes)`, () => {
      const f = op === "argmax" ? lax.argmax : lax.argmin;
      for (const c of cs) checkCase(c, (x) => f(x, c.axis, c.index_dtype), `axis=${c.axis} ${c.index_dtype}`);
    });
  }
});

describe("lax cumulative reductions", () => {
  const fs: Record<string, (x: Array, axis: number, reverse: boolean) => Array> = {
    cumsum: lax.cumsum,
    cumprod: lax.cumprod,
    cummax: lax.cummax,
    cummin: lax.cummin,
    cumlogsumexp: lax.cumlogsumexp,
  };
  for (const [op, cs] of group(byKind("cum"), (c) => c.op)) {
    it(`${op} (${cs.length} cases: axes, reverse, zero-size, inf/NaN, wrap-around)`, () => {
      for (const c of cs) checkCase(c, (x) => fs[op]!(x, c.axis, c.reverse), `axis=${c.axis} reverse=${c.reverse}`);
    });
  }
});

function windowInit(op: string, dtype: string): number | boolean {
  if (op === "sum") return 0;
  const isMax = op === "max";
  if (dtype === "bool") return !isMax;
  if (dtype.startsWith("float")) return isMax ? -Infinity : Infinity;
  const bits = Number(dtype.replace(/\D/g, ""));
  const unsigned = dtype.startsWith("u");
  if (isMax) return unsigned ? 0 : -(2 ** (bits - 1));
  return unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
}

describe("lax.reduceWindow (sum / max / min)", () => {
  const comps: Record<string, (a: Array, b: Array) => Array> = { sum: lax.add, max: lax.max, min: lax.min };
  for (const [op, cs] of group(byKind("window"), (c) => c.op)) {
    it(`reduce_window_${op} (${cs.length} cases: SAME/VALID/SAME_LOWER/explicit and negative padding, strides, dilations)`, () => {
      for (const c of cs) {
        const f = (x: Array) =>
          lax.reduceWindow(x, windowInit(op, c.x.dtype), comps[op]!, c.window_dimensions, c.window_strides, c.padding, {
            baseDilation: c.base_dilation,
            windowDilation: c.window_dilation,
          });
        checkCase(c, f, `${JSON.stringify([c.window_dimensions, c.window_strides, c.padding, c.base_dilation, c.window_dilation])}`);
      }
    });
  }
  it("pads with the identity: an all-padding window gives -inf / the dtype minimum / 0", () => {
    const x = array([1, 2, 3], { dtype: "int8" });
    expect(lax.reduceWindow(x, -128, lax.max, [2], [1], [[3, 0]]).tolist()).toEqual([-128, -128, 1, 2, 3]);
    expect(lax.reduceWindow(x, 0, lax.add, [2], [1], [[3, 0]]).tolist()).toEqual([0, 0, 1, 3, 5]);
    const f = array([1, 2, 3], { dtype: "float32" });
    expect(lax.reduceWindow(f, Infinity, lax.min, [2], [1], [[0, 3]]).tolist()).toEqual([1, 2, 3, Infinity, Infinity]);
  });
  it("defaults: strides 1, VALID padding, no dilation; an int max accepts -Infinity as init", () => {
    const x = array([3, 1, 4, 1, 5], { dtype: "int32" });
    expect(lax.reduceWindow(x, -Infinity, lax.max, [2]).tolist()).toEqual([3, 4, 4, 5]);
    expect(lax.reduceWindow(array(3.5), 0, lax.add, []).item()).toBe(3.5);
  });
});

describe("Array reduction methods (jax.numpy semantics)", () => {
  const run = (c: Case) => (x: Array): Array => {
    const opts = { ...c.opts };
    if (opts.where) opts.where = decode(opts.where);
    switch (c.method) {
      case "argmax":
      case "argmin":
        return x[c.method as "argmax"](c.axis, { keepdims: opts.keepdims });
      case "cumsum":
        return x.cumsum(c.axis);
      default:
        return (x as any)[c.method](c.axis, opts);
    }
  };
  for (const [m, cs] of group(byKind("method"), (c) => c.method)) {
    it(`${m} (${cs.length} cases: dtype widening, axis/keepdims/where/initial, empty, NaN)`, () => {
      for (const c of cs) checkCase(c, run(c), `axis=${JSON.stringify(c.axis)} opts=${JSON.stringify(Object.keys(c.opts))}`);
    });
  }
  it("sum/prod widen bool and small ints like jnp (int8 -> int32, uint8 -> uint32); max keeps the dtype", () => {
    const widened = byKind("method").filter((c) => c.method === "sum" && c.axis === null && Object.keys(c.opts).length === 0);
    const pairs = new Map(widened.map((c) => [c.x.dtype, c.out.dtype]));
    expect(pairs.get("int8")).toBe("int32");
    expect(pairs.get("uint8")).toBe("uint32");
    expect(pairs.get("bool")).toBe("int32");
    expect(pairs.get("float16")).toBe("float16");
    const x = array([100, 100, 100], { dtype: "int8" });
    expect(x.sum().dtype.name).toBe(pairs.get("int8"));
    expect(x.max().dtype.name).toBe("int8");
  });
  it("errors name the op", () => {
    const e = array([[]], { dtype: "float32" }).reshape(0, 3);
    expect(() => e.max(0)).toThrow(/\[max\] zero-size array to reduction operation max which has no identity.*f32\[0,3\]/);
    expect(() => e.min()).toThrow(/\[min\] zero-size array/);
    expect(e.max(0, { initial: 2 }).tolist()).toEqual([2, 2, 2]);
    const x = array([[1, 2, 3]], { dtype: "float32" });
    expect(() => x.max(1, { where: array([[true, false, true]]) })).toThrow(/\[max\] .*to use a where mask one has to specify 'initial'/);
    expect(() => x.sum(2)).toThrow(/\[sum\] axis 2 is out of bounds for f32\[1,3\]/);
    expect(() => x.sum([1, -1])).toThrow(/\[sum\] duplicate value in axis/);
    expect(() => e.argmax()).toThrow(/\[argmax\] attempt to get argmax of an empty sequence/);
    expect(() => e.argmin(0)).toThrow(/\[argmin\] attempt to get argmin of an empty sequence/);
    expect(() => x.any(0, { initial: 1 })).toThrow(/\[any\] does not take 'initial'/);
    expect(() => array(3.5).cumsum(0)).toThrow(/\[cumsum\] axis 0 is out of bounds for f32\[\]/);
  });
});

describe("abstract-eval errors name the op, the operand and the axes", () => {
  const f = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
  const i = array([1, 2, 3], { dtype: "int32" });
  const b = array([true, false]);
  it("reduce_*", () => {
    expect(() => lax.reduceSum(b, [0])).toThrow(TypeError);
    expect(() => lax.reduceSum(b, [0])).toThrow(/\[reduce_sum\] requires numeric \(non-bool\) inputs, got bool\[2\]/);
    expect(() => lax.reduceProd(b, [0])).toThrow(/\[reduce_prod\]/);
    expect(() => lax.reduceAnd(f, [0])).toThrow(/\[reduce_and\] requires integer or bool inputs, got f32\[2,3\]/);
    expect(() => lax.reduceXor(f, [0])).toThrow(/\[reduce_xor\]/);
    expect(() => lax.reduceSum(f, [2])).toThrow(RangeError);
    expect(() => lax.reduceSum(f, [2])).toThrow(/\[reduce_sum\] axis 2 is out of bounds for f32\[2,3\]/);
    expect(() => lax.reduceMax(f, [-3])).toThrow(/\[reduce_max\] axis -3 is out of bounds for f32\[2,3\]/);
    expect(() => lax.reduceMin(f, [0, -2])).toThrow(/\[reduce_min\] duplicate axis in axes \(0, 0\) for f32\[2,3\]/);
    // The primitive itself rejects negative axes (the wrappers normalize them).
    expect(() => reduceSumP.bind1([f], { axes: [-1], out_sharding: null })).toThrow(/\[reduce_sum\] axis -1 in axes \(-1,\) is out of bounds for f32\[2,3\]/);
    expect(() => reduceSumP.bind1([f, f], { axes: [0], out_sharding: null })).toThrow(/\[reduce_sum\] takes one operand, got 2/);
  });
  it("argmax / argmin", () => {
    const e = array([[]], { dtype: "float32" }).reshape(0, 3);
    expect(() => lax.argmax(e, 0, "int32")).toThrow(/\[argmax\] requires a non-empty reduced dimension: axis 0 of f32\[0,3\] has size 0/);
    expect(lax.argmax(e, 1, "int32").shape).toEqual([0]);
    expect(() => lax.argmin(f, 0, "float32")).toThrow(/\[argmin\] index_dtype must be an integer type, got float32/);
    expect(() => lax.argmax(f, 2, "int32")).toThrow(/\[argmax\] axis 2 is out of bounds for f32\[2,3\]/);
    expect(() => argmaxP.bind1([f], { axes: [0, 1], index_dtype: i.dtype })).toThrow(/\[argmax\] reduces exactly one axis, got axes \(0, 1\)/);
  });
  it("cumulative", () => {
    expect(() => lax.cumsum(b)).toThrow(/\[cumsum\] requires numeric \(non-bool\) inputs, got bool\[2\]/);
    expect(() => lax.cummax(b)).toThrow(/\[cummax\]/);
    expect(() => lax.cumlogsumexp(i)).toThrow(/\[cumlogsumexp\] requires floating-point inputs, got i32\[3\]/);
    expect(() => lax.cumprod(f, 2)).toThrow(/\[cumprod\] axis 2 is out of bounds for f32\[2,3\]/);
    expect(() => cumsumP.bind1([f], { axis: -1, reverse: false })).toThrow(/\[cumsum\] axis -1 is out of bounds for f32\[2,3\]/);
    expect(lax.cumsum(f, -1).tolist()).toEqual([[1, 3, 6], [4, 9, 15]]);
  });
  it("reduce_window", () => {
    expect(() => lax.reduceWindow(f, 0, lax.add, [2])).toThrow(
      /\[reduce_window\] window_dimensions \(2,\) must have one entry per operand dimension, got 1 for f32\[2,3\]/,
    );
    expect(() => lax.reduceWindow(f, 0, lax.add, [1, 0])).toThrow(/\[reduce_window\] window_dimensions must be strictly positive/);
    expect(() => lax.reduceWindow(f, 0, lax.add, [1, 1], [1, 0])).toThrow(/window_strides must be strictly positive/);
    expect(() => lax.reduceWindow(f, 0, lax.add, [1, 1], [1, 1], "FULL")).toThrow(/unrecognized padding type.*'FULL'/);
    expect(() => lax.reduceWindow(f, 0, lax.add, [1, 1], [1, 1], [[0, 0]])).toThrow(/\[reduce_window\] padding needs one \[lo, hi\] pair per operand dimension/);
    expect(() => lax.reduceWindow(f, 0, lax.add, [1, 1], [1, 1], [[-3, 0], [0, 0]])).toThrow(/leaves a negative size/);
    expect(() => lax.reduceWindow(f, 0, lax.add, [1, 1], [1, 1], "VALID", { baseDilation: [0, 1] })).toThrow(/base_dilation must be strictly positive/);
    expect(() => lax.reduceWindow(b, 0, lax.add, [1])).toThrow(/\[reduce_window_sum\] requires numeric/);
    expect(() =>
      reduceWindowSumP.bind1([f], {
        window_dimensions: [1, 1],
        window_strides: [1, 1],
        padding: [[0, 0], [0]],
        base_dilation: [1, 1],
        window_dilation: [1, 1],
      }),
    ).toThrow(/\[reduce_window_sum\] padding must be a list of \[lo, hi\] integer pairs/);
  });
  it("generic reductions are reported as not supported yet", () => {
    expect(() => lax.reduceWindow(f, 1, lax.mul, [1, 2])).toThrow(/\[reduce_window\] computation lax.mul with init value 1 on f32\[2,3\] is not supported yet/);
    expect(() => lax.reduceWindow(f, 1, lax.add, [1, 2])).toThrow(/not supported yet/);
    expect(() => lax.reduce(f, 0, lax.sub, [0])).toThrow(/\[reduce\] computation .* with init value 0 on f32\[2,3\] is not supported yet/);
    expect(() => lax.reduce(f, 5, lax.add, [0])).toThrow(/\[reduce\] computation lax.add with init value 5 .* not supported yet/);
    expect(() => lax.reduce(f, 0, (a: Array, c: Array) => lax.add(a, c), [0])).toThrow(/anonymous function.*not supported yet/);
    expect(() => lax.reduce(f, 0, lax.bitwiseOr, [0])).toThrow(/not supported yet/);
    expect(() => lax.reduce([f, f], [0, 0], lax.add, [0])).toThrow(/\[reduce\] variadic reductions \(2 operands\) are not supported yet/);
    expect(() => lax.reduce([f], 0 as any, lax.add, [0])).toThrow(/same structure/);
  });
});

describe("lax.reduce maps monoids to the specific primitives", () => {
  const x = array([[1, 5, 3], [4, 2, 6]], { dtype: "int32" });
  const text = (f: (a: Array) => Array | Array[]) => makeJaxpr(f)(x).toString();
  it("values equal the specific reductions", () => {
    expect(lax.reduce(x, 0, lax.add, [1]).tolist()).toEqual(lax.reduceSum(x, [1]).tolist());
    expect(lax.reduce(x, 1, lax.mul, [0]).tolist()).toEqual(lax.reduceProd(x, [0]).tolist());
    expect(lax.reduce(x, -2147483648, lax.max, [1]).tolist()).toEqual(lax.reduceMax(x, [1]).tolist());
    expect(lax.reduce(x, Infinity, lax.min, [1]).tolist()).toEqual(lax.reduceMin(x, [1]).tolist());
    expect(lax.reduce(x, -1, lax.bitwiseAnd, [1]).tolist()).toEqual(lax.reduceAnd(x, [1]).tolist());
    expect(lax.reduce(x, 0, lax.bitwiseXor, [1]).tolist()).toEqual(lax.reduceXor(x, [1]).tolist());
    const [r] = lax.reduce([x], [0], lax.add, [0, 1]);
    expect(r!.item()).toBe(21);
    expect(lax.reduce(array([true, false]), true, lax.bitwiseAnd, [0]).item()).toBe(false);
  });
  it("binds one equation per reduction", () => {
    expect(text((a) => lax.reduce(a, 0, lax.add, [0]))).toContain("reduce_sum[axes=(0,) out_sharding=None] a");
    expect(text((a) => lax.reduce(a, 0, lax.bitwiseOr, [0]))).toContain("reduce_or[axes=(0,)] a");
    expect(text((a) => lax.reduce(a, 1, lax.mul, [1]))).toContain("reduce_prod[axes=(1,)] a");
  });
});

describe("weak types follow JAX", () => {
  it("reduce_sum/max/cumsum/reduce_window keep weak types; argmax and logical reductions drop them", () => {
    const w = lax.broadcastInDim(2.5, [3], []);
    expect(w.weakType).toBe(true);
    expect(lax.reduceSum(w, [0]).weakType).toBe(true);
    expect(lax.reduceMax(w, [0]).weakType).toBe(true);
    expect(lax.cumsum(w).weakType).toBe(true);
    expect(lax.reduceWindow(w, 0, lax.add, [2]).weakType).toBe(true);
    expect(lax.argmax(w, 0, "int32").weakType).toBe(false);
    const wi = lax.broadcastInDim(3, [3], []);
    expect(lax.reduceOr(wi, [0]).weakType).toBe(false);
    // jnp.sum converts first, so its result is strong.
    expect(w.sum().weakType).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Printing: exactly JAX 0.10.2's make_jaxpr text.

const jaxGoldens = loadJaxprGoldens();
const ownJaxprs = new Map(byKind("jaxpr").map((c) => [c.name as string, c.jaxpr as string]));
const sds = (dtype: string, ...shape: number[]) => new ShapeDtypeStruct(shape, dtype);
const x3 = sds("float32", 3);
type A = Array;

const jaxGoldenPrograms: Record<string, () => ClosedJaxpr> = {
  reduce_sum: () => makeJaxpr((x: A) => x.sum())(x3),
  reduce_sum_axis: () => makeJaxpr((x: A) => x.sum(1))(sds("float32", 2, 3)),
  reduce_max_min_prod: () => makeJaxpr((x: A) => [x.max(), x.min(), x.prod()])(x3),
  reduce_and_or: () => makeJaxpr((x: A) => [x.all(), x.any()])(sds("bool", 3)),
  argmax_argmin: () => makeJaxpr((x: A) => [x.argmax(), x.argmin()])(x3),
  reduce_window_sum: () => makeJaxpr((x: A) => lax.reduceWindow(x, 0, lax.add, [2], [1], "VALID"))(x3),
  reduce_window_max: () => makeJaxpr((x: A) => lax.reduceWindow(x, -Infinity, lax.max, [2], [1], "VALID"))(x3),
  cumsum_lax: () => makeJaxpr((x: A) => lax.cumsum(x, 0))(x3),
  cummax_cumprod: () =>
    makeJaxpr((x: A) => [lax.cummax(x, 0), lax.cumprod(x, 0), lax.cummin(x, 0), lax.cumlogsumexp(x, 0)])(x3),
  mean: () => makeJaxpr((x: A) => x.mean())(x3),
  max_reduce_all: () => makeJaxpr((x: A) => x.max([0, 1]))(sds("float32", 2, 3)),
  sum_keepdims: () => makeJaxpr((x: A) => x.sum(0, { keepdims: true }))(sds("float32", 2, 3)),
  argmax_axis1: () => makeJaxpr((x: A) => x.argmax(1))(sds("float32", 2, 3)),
  cumsum_rev: () => makeJaxpr((x: A) => lax.cumsum(x, 0, true))(x3),
};

const ownPrograms: Record<string, () => ClosedJaxpr> = {
  sum_int8: () => makeJaxpr((x: A) => x.sum())(sds("int8", 3)),
  sum_f16: () => makeJaxpr((x: A) => x.sum())(sds("float16", 3)),
  sum_bool: () => makeJaxpr((x: A) => x.sum())(sds("bool", 3)),
  sum_initial: () => makeJaxpr((x: A) => x.sum(1, { initial: 2.0 }))(sds("float32", 2, 3)),
  prod_keepdims: () => makeJaxpr((x: A) => x.prod([0, 2], { keepdims: true }))(sds("float32", 2, 3, 4)),
  max_keepdims_neg: () => makeJaxpr((x: A) => x.max(-1, { keepdims: true }))(sds("int32", 2, 3)),
  mean_int: () => makeJaxpr((x: A) => x.mean())(sds("int32", 3)),
  mean_f16_keepdims: () => makeJaxpr((x: A) => x.mean(0, { keepdims: true }))(sds("float16", 2, 3)),
  any_int: () => makeJaxpr((x: A) => x.any())(sds("int32", 3)),
  all_axis: () => makeJaxpr((x: A) => x.all(0))(sds("bool", 2, 3)),
  argmax_keepdims: () => makeJaxpr((x: A) => x.argmax(1, { keepdims: true }))(sds("float32", 2, 3)),
  argmin_flat: () => makeJaxpr((x: A) => x.argmin())(sds("float32", 2, 3)),
  lax_argmin_u8: () => makeJaxpr((x: A) => lax.argmin(x, 1, "uint8"))(sds("int32", 3, 2)),
  lax_reduce_xor: () => makeJaxpr((x: A) => lax.reduceXor(x, [0]))(sds("int32", 3)),
  lax_reduce_add_int: () => makeJaxpr((x: A) => lax.reduce(x, 0, lax.add, [0]))(sds("int32", 3)),
  lax_reduce_max_neginf_int: () => makeJaxpr((x: A) => lax.reduce(x, -Infinity, lax.max, [0]))(sds("int32", 3)),
  lax_reduce_and_u32: () => makeJaxpr((x: A) => lax.reduce(x, -1, lax.bitwiseAnd, [0]))(sds("uint32", 3)),
  lax_reduce_window_dilated: () =>
    makeJaxpr((x: A) =>
      lax.reduceWindow(x, 0, lax.add, [2, 2], [1, 1], "SAME", { baseDilation: [2, 1], windowDilation: [1, 2] }),
    )(sds("float32", 3, 4)),
  lax_reduce_window_min_pad: () => makeJaxpr((x: A) => lax.reduceWindow(x, Infinity, lax.min, [2], [2], [[1, 0]]))(sds("float32", 5)),
  lax_cumsum_rev_axis1: () => makeJaxpr((x: A) => lax.cumsum(x, 1, true))(sds("int32", 2, 3)),
};

describe("makeJaxpr prints reductions exactly as JAX 0.10.2", () => {
  for (const [name, program] of Object.entries(jaxGoldenPrograms)) {
    it(`goldens_jax_0_10_2: ${name}`, () => {
      const expected = jaxGoldens.get(name);
      expect(expected, `golden ${name}`).toBeDefined();
      expect(program().toString()).toBe(expected);
    });
  }
  for (const [name, program] of Object.entries(ownPrograms)) {
    it(`gen_reduction: ${name}`, () => {
      const expected = ownJaxprs.get(name);
      expect(expected, `golden ${name}`).toBeDefined();
      expect(program().toString()).toBe(expected);
    });
  }
});

describe("max/min of signed zeros as XLA (IEEE 754-2019: -0 < +0; NaN wins)", () => {
  const z = (xs: number[]) => array(xs, { dtype: "float32" });
  const signs = (a: Array) => globalThis.Array.from(a.dataSync(), (v) => (Object.is(v, -0) ? "-0" : String(v)));
  it("reduce_max / reduce_min / cummax / cummin", () => {
    for (const xs of [[-0, 0], [0, -0]]) {
      expect(signs(lax.reduceMax(z(xs), [0])), `reduce_max ${xs}`).toEqual(["0"]);
      expect(signs(lax.reduceMin(z(xs), [0])), `reduce_min ${xs}`).toEqual(["-0"]);
    }
    expect(signs(lax.reduceMax(z([-0, -0]), [0]))).toEqual(["-0"]);
    expect(signs(lax.cummax(z([-0, 0, -0]), 0))).toEqual(["-0", "0", "0"]);
    expect(signs(lax.cummin(z([0, -0, 0]), 0))).toEqual(["0", "-0", "-0"]);
    expect(signs(lax.reduceMax(z([1, NaN, 2]), [0]))).toEqual(["NaN"]);
  });
  it("sums start from +0 (cumsum, cumlogsumexp), except a one-element reduce_sum (a reshape in XLA)", () => {
    expect(signs(lax.cumsum(z([-0, -0, 1]), 0))).toEqual(["0", "0", "1"]);
    expect(signs(lax.cumsum(z([-0, -0]), 0, true))).toEqual(["0", "0"]);
    expect(signs(lax.cumlogsumexp(z([-0, -Infinity]), 0))).toEqual(["0", "0"]);
    expect(signs(lax.cumprod(z([-0, 1]), 0))).toEqual(["-0", "-0"]);
    expect(signs(lax.reduceSum(z([-0]), [0]))).toEqual(["-0"]);
    expect(signs(lax.reduceSum(z([-0, -0]), [0]))).toEqual(["0"]);
    expect(signs(lax.reduceSum(array([[-0], [-0]], { dtype: "float32" }), [1]))).toEqual(["-0", "-0"]);
  });
  it("reduce_window max / min and scatter max / min", () => {
    const w = (x: Array, f: typeof lax.max) => lax.reduceWindow(x, f === lax.max ? -Infinity : Infinity, f, [2], [1]);
    expect(signs(w(z([-0, 0, -0]), lax.max))).toEqual(["0", "0"]);
    expect(signs(w(z([0, -0, 0]), lax.min))).toEqual(["-0", "-0"]);
    expect(signs(z([0, -0]).at[0].max(-0))).toEqual(["0", "-0"]);
    expect(signs(z([-0, 0]).at[1].min(-0))).toEqual(["-0", "-0"]);
    expect(signs(z([-0, 0]).at[0].max(0))).toEqual(["0", "0"]);
  });
});
