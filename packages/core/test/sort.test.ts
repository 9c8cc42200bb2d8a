// sort / sort_key_val / top_k against goldens computed by JAX 0.10.2
// (tools/goldens/gen_sort.py), including NaNs of both signs and -0.0 bit for bit.
import { describe, expect, it } from "vitest";
import { Array, ShapeDtypeStruct, dtype as toDType, evalJaxpr, fromTyped, lax, makeJaxpr } from "../src/index.js";
import { sortApply as apply, type SortCase, type SortEncoded as Encoded } from "./cases.js";
import { expectMatches, loadGolden, loadJaxprGoldens, type EncodedArray } from "./golden.js";

const cases = loadGolden<SortCase>("sort");

/** The word of each element that holds its sign bit. */
function signWords(d: Float32Array | Float64Array): Uint32Array {
  const u = new Uint32Array(d.buffer, d.byteOffset, d.length * (d instanceof Float64Array ? 2 : 1));
  return d instanceof Float64Array ? u.filter((_, i) => i % 2 === 1) : u;
}

/** Decode a fixture array, giving NaNs their recorded sign bit. */
function decodeBits(e: Encoded): Array {
  const d = toDType(e.dtype);
  const data = new d.storage(e.data.length);
  e.data.forEach((v, i) => (data[i] = v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number)));
  if (e.signbit && (data instanceof Float32Array || data instanceof Float64Array)) {
    const u = new Uint32Array(data.buffer);
    const w = data instanceof Float64Array ? 2 : 1;
    e.data.forEach((v, i) => {
      const j = i * w + w - 1;
      if (v === "nan") u[j] = e.signbit![i] ? (u[j]! | 0x80000000) >>> 0 : u[j]! & 0x7fffffff;
    });
  }
  return fromTyped(data, e.shape, d);
}

/** Exact comparison, plus the sign bits of zeros and NaNs. */
function check(got: Array, e: Encoded, label: string): void {
  expectMatches(got, e, { label, rtol: 0, atol: 0 });
  const d = got.dataSync();
  if (e.signbit && (d instanceof Float32Array || d instanceof Float64Array)) {
    expect([...signWords(d)].map((w) => w >>> 31), `${label}: sign bits`).toEqual(e.signbit);
  }
}

describe("sort / top_k goldens (JAX 0.10.2)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const outs = apply(c, c.args.map(decodeBits));
      expect(outs.length).toBe(c.out.length);
      if (c.out_stable) {
        // Unstable: equal keys may come in any order, so the keys equal JAX's
        // values, and the whole result is the stable one (a valid unstable order).
        for (let k = 0; k < c.params.num_keys; k++) expectMatches(outs[k]!, c.out[k]!, { label: `${c.name} key ${k}` });
        outs.forEach((o, i) => check(o, c.out_stable![i]!, `${c.name} out ${i}`));
        return;
      }
      outs.forEach((o, i) => check(o, c.out[i]!, `${c.name} out ${i}`));
    });
  }

  it("cover every op, every dtype, NaN signs and -0.0", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(["sort", "sort_key_val", "top_k"]));
    const dtypes = new Set(cases.map((c) => c.args[0]!.dtype));
    for (const d of ["float16", "float32", "float64", "int8", "int16", "int32", "uint8", "uint16", "uint32", "bool"]) {
      expect(dtypes.has(d), d).toBe(true);
    }
    const nanSigns = cases.flatMap((c) => c.args.flatMap((a) => a.data.map((v, i) => (v === "nan" ? a.signbit![i] : -1))));
    expect(nanSigns).toContain(0);
    expect(nanSigns).toContain(1);
  });
});

describe("sort / top_k semantics", () => {
  it("single operand in gives one array out, a list gives a list", () => {
    const x = fromTyped(new Float32Array([3, 1, 2]), [3], toDType("float32"));
    expect(lax.sort(x)).toBeInstanceOf(Array);
    const outs = lax.sort([x]);
    expect(outs).toHaveLength(1);
    expect([...outs[0]!.dataSync()]).toEqual([1, 2, 3]);
  });

  it("top_k keeps the weak type of values; indices are int32", () => {
    const x = fromTyped(new Float32Array([2, 1]), [2], toDType("float32"), true);
    const [v, i] = lax.topK(x, 1);
    expect(v!.weakType).toBe(true);
    expect(i!.dtype.name).toBe("int32");
    expect(i!.weakType).toBe(false);
  });
});

describe("sort / top_k errors", () => {
  const f32 = (...shape: number[]) => fromTyped(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, toDType("float32"));
  const i32 = (...shape: number[]) => fromTyped(new Int32Array(shape.reduce((a, b) => a * b, 1)), shape, toDType("int32"));
  it("sort", () => {
    expect(() => lax.sort([f32(3), i32(4)])).toThrow(/\[sort\] operands must have equal shapes, got f32\[3\], i32\[4\]/);
    expect(() => lax.sort([])).toThrow(TypeError);
    expect(() => lax.sort([f32(3), f32(3)], { numKeys: 3 })).toThrow(/\[sort\] num_keys=3 must be between 1 and .*\(2\)/);
    expect(() => lax.sort([f32(3)], { numKeys: 0 })).toThrow(RangeError);
    expect(() => lax.sort(f32(3), { numKeys: 2 })).toThrow(RangeError);
    expect(() => lax.sort(f32(2, 3), { dimension: 2 })).toThrow(/\[sort\] axis 2 is out of bounds for an array of rank 2/);
    expect(() => lax.sort(f32(2, 3), { dimension: -3 })).toThrow(RangeError);
    expect(() => lax.sort(f32())).toThrow(/\[sort\]/);
    expect(() => lax.sortKeyVal(f32(3), i32(2))).toThrow(/\[sort\] operands must have equal shapes, got f32\[3\], i32\[2\]/);
    // The primitive itself validates its params.
    expect(() => lax.sortP.bind([f32(3)], { dimension: 1, is_stable: true, num_keys: 1 })).toThrow(
      /\[sort\] dimension 1 is out of bounds for operands f32\[3\]/,
    );
    expect(() => lax.sortP.bind([f32()], { dimension: 0, is_stable: true, num_keys: 1 })).toThrow(
      /\[sort\] operands must have rank >= 1, got f32\[\]/,
    );
  });
  it("top_k", () => {
    expect(() => lax.topK(f32(2, 3), 4)).toThrow(/\[top_k\] k=4 is larger than the size 3 of axis 1 of f32\[2,3\]/);
    expect(() => lax.topK(f32(2, 3), 3, { axis: 0 })).toThrow(/\[top_k\] k=3 is larger than the size 2 of axis 0 of f32\[2,3\]/);
    expect(() => lax.topK(f32(3), -1)).toThrow(/\[top_k\] k must be a non-negative integer, got -1/);
    expect(() => lax.topK(f32(3), 1.5)).toThrow(RangeError);
    expect(() => lax.topK(f32(2, 3), 1, { axis: 2 })).toThrow(/\[top_k\] axis 2 is out of bounds/);
    expect(() => lax.topK(f32(), 0)).toThrow(/\[top_k\]/);
    expect(() => lax.topKP.bind([f32()], { k: 0, axis: 0 })).toThrow(/\[top_k\] operand must have rank >= 1, got f32\[\]/);
  });
});

describe("sort / top_k under makeJaxpr", () => {
  const names = ["multi_two_keys", "sort_3d_dim1_float32", "top_k_3d_axis1", "key_val_2d_dim0", "multi_unstable_two_keys"];
  const sample = cases.filter((c) => names.includes(c.name));
  it("finds the sample cases", () => expect(sample.map((c) => c.name).sort()).toEqual([...names].sort()));
  for (const c of sample) {
    it(`${c.name}: abstract eval matches eager, evalJaxpr matches eager`, () => {
      const args = c.args.map(decodeBits);
      const eager = apply(c, args);
      const closed = makeJaxpr((...xs: Array[]) => apply(c, xs))(...args);
      expect(closed.outAvals.map((a) => [a.shape, a.dtype.name, a.weakType])).toEqual(
        eager.map((x) => [x.shape, x.dtype.name, x.weakType]),
      );
      const again = evalJaxpr(closed.jaxpr, closed.consts, args);
      again.forEach((x, i) => expect([...x.dataSync()]).toEqual([...eager[i]!.dataSync()]));
    });
  }
});

describe("sort / top_k print like JAX", () => {
  const goldens = loadJaxprGoldens();
  const f32 = (...shape: number[]) => new ShapeDtypeStruct(shape, "float32");
  it("sort_lax_multi", () => {
    const text = makeJaxpr((x: Array, y: Array) => lax.sort([x, y], { numKeys: 1 }))(f32(3), f32(3)).toString();
    expect(text).toBe(goldens.get("sort_lax_multi"));
  });
  it("top_k", () => {
    expect(makeJaxpr((x: Array) => lax.topK(x, 2))(f32(3)).toString()).toBe(goldens.get("top_k"));
  });
  it("top_k_2d", () => {
    expect(makeJaxpr((x: Array) => lax.topK(x, 1))(f32(2, 3)).toString()).toBe(goldens.get("top_k_2d"));
  });
  it("the sort inside jnp.sort (golden 'sort')", () => {
    // jnp.sort wraps lax.sort in a jit; its inner jaxpr, de-indented, is lax.sort's.
    const inner = /jaxpr=(\{ lambda ; a:f32\[3\]\. let\n[^]*?in \(b,\) \})/.exec(goldens.get("sort")!)![1]!;
    const text = makeJaxpr((x: Array) => lax.sort(x))(f32(3)).toString();
    expect(text).toBe(inner.replace(/\n {6}/g, "\n"));
  });
  it("argsort's sort with an iota operand prints two outputs (golden 'argsort')", () => {
    const eqn = /d:f32\[3\] b:i32\[3\] = (sort\[[^\]]*\]) a c/.exec(goldens.get("argsort")!)![1]!;
    const text = makeJaxpr((x: Array, i: Array) => lax.sort([x, i], { isStable: true }))(f32(3), new ShapeDtypeStruct([3], "int32")).toString();
    expect(text).toContain(`c:f32[3] d:i32[3] = ${eqn} a b`);
  });
});
