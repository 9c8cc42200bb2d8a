// Array printing against repr(jax_array) from JAX 0.10.2 (tools/goldens/gen_format.py).
import { describe, expect, it } from "vitest";
import { ShapedArray, array, dtype as toDType, fromTyped, scalar } from "../src/index.js";
import { formatArray } from "../src/format.js";
import { loadGolden, type EncodedArray } from "./golden.js";

interface FormatCase extends EncodedArray {
  name: string;
  weak_type: boolean;
  repr: string;
}

const cases = loadGolden<FormatCase>("format");

function typed(c: FormatCase) {
  const d = toDType(c.dtype);
  const data = new d.storage(c.data.length);
  c.data.forEach((v, i) => (data[i] = v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number)));
  return { d, data };
}

describe("formatArray matches repr(jax.Array)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const { d, data } = typed(c);
      expect(formatArray(data, new ShapedArray(c.shape, d, c.weak_type))).toBe(c.repr);
    });
  }

  it("covers every dtype, 0-d, empty, summarized and weak arrays", () => {
    const dtypes = new Set(cases.map((c) => c.dtype));
    for (const d of ["float16", "float32", "float64", "int8", "int16", "int32", "uint8", "uint16", "uint32", "bool"]) {
      expect(dtypes.has(d), d).toBe(true);
    }
    expect(cases.some((c) => c.shape.length === 0)).toBe(true);
    expect(cases.some((c) => c.shape.includes(0))).toBe(true);
    expect(cases.some((c) => c.repr.includes("..."))).toBe(true);
    expect(cases.some((c) => c.repr.includes("weak_type=True"))).toBe(true);
    expect(cases.some((c) => c.repr.includes("e+") && c.repr.includes("e-"))).toBe(true);
  });
});

describe("String(x) and x.toString() print like JAX", () => {
  const byName = new Map(cases.map((c) => [c.name, c]));
  it("arrays built from fixture values", () => {
    for (const name of ["f_tenths_float32", "i32_2d", "b_1d", "f32_3d", "empty_0x3_f32", "sum_2d_f32", "f_weak_float32"]) {
      const c = byName.get(name)!;
      const { d, data } = typed(c);
      const x = fromTyped(data, c.shape, d, c.weak_type);
      expect(String(x), name).toBe(c.repr);
      expect(x.toString(), name).toBe(c.repr);
      expect(`${x}`, name).toBe(c.repr);
    }
  });
  it("arrays made by array() and scalar()", () => {
    expect(String(array([1, 2, 3]))).toBe(byName.get("i_small_int32")!.repr);
    expect(String(array([0.1, 0.2, 0.3]))).toBe(byName.get("f_tenths_float32")!.repr);
    expect(String(scalar(3, toDType("float32")))).toBe(byName.get("scalar_float32_weak")!.repr);
    expect(String(array([true, false, true]))).toBe(byName.get("b_1d")!.repr);
  });
});
