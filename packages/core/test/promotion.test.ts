// dtype promotion against JAX's documented promotion table (transcribed into
// tools/goldens/gen_elementwise.py from docs/type_promotion.rst) and can_cast
// against numpy.can_cast.
import { describe, expect, it } from "vitest";
import {
  allDTypes,
  bool,
  canCast,
  dtype,
  float16,
  float32,
  int8,
  int32,
  promoteTypes,
  resultType,
  resultTypeWithWeak,
  uint8,
  uint32,
} from "../src/dtypes.js";
import { loadGolden } from "./golden.js";

interface Entry {
  a: string;
  a_weak: boolean;
  b: string;
  b_weak: boolean;
  dtype: string;
  weak: boolean;
  source: string;
}
const [golden] = loadGolden<{ table: Entry[]; can_cast: { from: string; to: string; safe: boolean }[] }>("promotion");
const { table, can_cast: castTable } = golden!;

const name = (e: Entry, side: "a" | "b") => (e[`${side}_weak`] ? (e[side] === "int32" ? "i*" : "f*") : e[side]);

describe("promotion table (JAX docs, x64 disabled)", () => {
  it("has every pair of our dtypes and the weak kinds i*, f*", () => {
    expect(table.length).toBe(12 * 12);
  });

  it("resultTypeWithWeak gives the table's dtype and weak type for every pair", () => {
    const bad: string[] = [];
    for (const e of table) {
      const r = resultTypeWithWeak([
        { dtype: dtype(e.a), weakType: e.a_weak },
        { dtype: dtype(e.b), weakType: e.b_weak },
      ]);
      if (r.dtype.name !== e.dtype || r.weakType !== e.weak) {
        bad.push(`${name(e, "a")} + ${name(e, "b")}: got ${r.dtype.name}${r.weakType ? "(weak)" : ""}, table ${e.source}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("promoteTypes agrees with the table on strong dtypes and is symmetric", () => {
    for (const e of table.filter((x) => !x.a_weak && !x.b_weak)) {
      expect(promoteTypes(e.a, e.b).name, `${e.a} ${e.b}`).toBe(e.dtype);
      expect(promoteTypes(e.b, e.a).name, `${e.b} ${e.a}`).toBe(e.dtype);
    }
  });

  it("64-bit results canonicalize to 32 bits, as JAX with x64 disabled", () => {
    // int64 in the table (u32 + i8/i16/i32) -> int32; uint64 is never reached from our dtypes.
    expect(promoteTypes("uint32", "int32")).toBe(int32);
    expect(promoteTypes("uint32", "int8")).toBe(int32);
    expect(table.find((e) => e.a === "uint32" && e.b === "int16" && !e.b_weak)!.source).toBe("i8");
  });

  it("JS numbers are weak (int32 for integers, float32 otherwise); booleans are strong bool", () => {
    expect(resultType("int8", 1)).toBe(int8);
    expect(resultType("uint8", 300)).toBe(uint8);
    expect(resultType("int8", 1.5)).toBe(float32);
    expect(resultType("float16", 1.5)).toBe(float16);
    expect(resultType("uint8", true)).toBe(uint8);
    expect(resultType(true, false)).toBe(bool);
    expect(resultType(1, true)).toBe(int32);
  });

  it("weak results report the default dtype of their kind (jnp.result_type)", () => {
    // jax._src.dtypes.result_type: a weakly typed result is default_types[kind].
    expect(resultType({ dtype: float16, weakType: true })).toBe(float32);
    expect(resultType({ dtype: uint8, weakType: true }, { dtype: uint8, weakType: true })).toBe(uint32);
    expect(resultTypeWithWeak([{ dtype: float16, weakType: true }, { dtype: float16, weakType: true }])).toEqual({
      dtype: float16,
      weakType: true,
    });
    expect(resultType(1, 2)).toBe(int32);
    expect(resultType(1, 2.5)).toBe(float32);
  });

  it("the same dtype with a strong operand is strong; bool is never weak", () => {
    expect(resultTypeWithWeak([{ dtype: float16, weakType: true }, { dtype: float16, weakType: false }])).toEqual({
      dtype: float16,
      weakType: false,
    });
    expect(resultTypeWithWeak([{ dtype: bool, weakType: true }, { dtype: bool, weakType: true }]).weakType).toBe(false);
    expect(resultTypeWithWeak([{ dtype: bool, weakType: true }]).weakType).toBe(false);
    expect(() => resultTypeWithWeak([])).toThrow(/^\[result_type\] at least one input is required$/);
  });

  it("three or more operands join on the lattice", () => {
    expect(resultType("int8", "uint8", 1.5)).toBe(float32);
    expect(resultType("int8", "uint8", "float16")).toBe(float16);
    expect(resultType("bool", 1, "uint16")).toBe(dtype("uint16"));
  });
});

describe("canCast (numpy.can_cast, safe casting)", () => {
  it("matches NumPy for every pair of our dtypes", () => {
    expect(castTable.length).toBe(allDTypes.length ** 2);
    const bad = castTable.filter((c) => canCast(c.from, c.to) !== c.safe).map((c) => `${c.from} -> ${c.to}: expected ${c.safe}`);
    expect(bad).toEqual([]);
  });
  it("rejects unknown dtype names", () => {
    expect(() => canCast("int64", "int32")).toThrow(/^\[dtype\] unknown dtype "int64"/);
  });
});

describe("float16 bits (float16ToBits / float16FromBits)", () => {
  it("round-trip every half bit pattern (NaNs to the quiet NaN of their sign) and round like roundToFloat16", async () => {
    const { float16ToBits, float16FromBits, roundToFloat16 } = await import("../src/dtypes.js");
    for (let h = 0; h < 0x10000; h++) {
      const v = float16FromBits(h);
      const isNaN = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      expect(float16ToBits(v)).toBe(isNaN ? 0x7e00 : h);
    }
    const negNaN = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0]!;
    expect(float16ToBits(negNaN)).toBe(0xfe00);
    for (const x of [0.1, 1 / 3, 65519.99, 65520, 1e-8, 2 ** -25, 3 * 2 ** -26, -2.00048828125]) {
      expect(float16FromBits(float16ToBits(x))).toBe(roundToFloat16(x));
    }
  });
});
