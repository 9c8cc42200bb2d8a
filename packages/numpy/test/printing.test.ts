// jnp.array_repr / array_str / printoptions against NumPy (tools/goldens/gen_format_options.py).
import { afterEach, describe, expect, it } from "vitest";
import { Array, dtype as toDType, fromTyped, jit } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { loadGolden, type EncodedArray } from "../../core/test/golden.js";

interface OptionsCase extends EncodedArray {
  name: string;
  options: Record<string, number | boolean>;
  args: jnp.ArrayPrintOptions;
  repr: string;
  array_repr: string;
  array_str: string;
}

const cases = loadGolden<OptionsCase>("format_options", new URL("../../core/test/", import.meta.url).href);
const DEFAULTS = jnp.getPrintoptions();
afterEach(() => jnp.setPrintoptions(DEFAULTS));

function arr(c: OptionsCase): Array {
  const d = toDType(c.dtype);
  const data = new d.storage(c.data.length);
  c.data.forEach((v, i) => (data[i] = v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number)));
  return fromTyped(data, c.shape, d);
}

describe("arrayRepr / arrayStr match NumPy's array_repr / array_str", () => {
  for (const c of cases) {
    it(c.name, () => {
      const a = arr(c);
      jnp.printoptions(c.options, () => {
        expect(jnp.arrayRepr(a, c.args)).toBe(c.array_repr);
        expect(jnp.arrayStr(a, c.args)).toBe(c.array_str);
        expect(a.toString()).toBe(c.repr);
      });
    });
  }
});

describe("print options", () => {
  const x = jnp.array([1.123456789, 2e-9, 3], "float32");
  it("defaults are NumPy's", () => {
    expect(jnp.getPrintoptions()).toEqual({ precision: 8, threshold: 1000, edgeitems: 3, linewidth: 75, suppress: false });
  });
  it("setPrintoptions changes Array printing until changed back", () => {
    jnp.setPrintoptions({ precision: 3, suppress: true });
    expect(x.toString()).toBe("Array([1.123, 0.   , 3.   ], dtype=float32)");
    expect(jnp.getPrintoptions().precision).toBe(3);
    jnp.setPrintoptions({ precision: 8, suppress: false });
    expect(x.toString()).toBe("Array([1.1234568e+00, 1.9999999e-09, 3.0000000e+00], dtype=float32)");
  });
  it("printoptions restores the options after fn, also when fn throws, and returns fn's value", () => {
    expect(jnp.printoptions({ precision: 2 }, () => jnp.arrayStr(x))).toBe("[1.12e+00 2.00e-09 3.00e+00]");
    expect(() =>
      jnp.printoptions({ precision: 1 }, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(jnp.getPrintoptions()).toEqual(DEFAULTS);
    // Nested: the inner block restores the outer block's options.
    jnp.printoptions({ precision: 4 }, () => {
      jnp.printoptions({ suppress: true }, () => expect(jnp.getPrintoptions()).toMatchObject({ precision: 4, suppress: true }));
      expect(jnp.getPrintoptions()).toMatchObject({ precision: 4, suppress: false });
    });
  });
  it("printoptions with an async fn restores when the promise settles", async () => {
    const p = jnp.printoptions({ precision: 2 }, async () => {
      await Promise.resolve();
      return jnp.getPrintoptions().precision;
    });
    expect(jnp.getPrintoptions().precision).toBe(2);
    expect(await p).toBe(2);
    expect(jnp.getPrintoptions()).toEqual(DEFAULTS);
  });
  it("bad options and traced arrays are refused", () => {
    expect(() => jnp.setPrintoptions({ threshold: 1.5 })).toThrow("threshold must be an integer >= 0, got 1.5");
    expect(() => jnp.printoptions({ bogus: 1 } as never, () => 0)).toThrow('unknown print option "bogus"');
    expect(jnp.getPrintoptions()).toEqual(DEFAULTS);
    expect(() => jit((a: Array) => (jnp.arrayRepr(a), a))(x)).toThrow("[arrayRepr] needs a concrete array");
    expect(() => jnp.arrayRepr(x, { precision: -2 })).toThrow("precision must be an integer >= 0");
  });
  it("JS values print like jnp.asarray of them", () => {
    expect(jnp.arrayRepr([1, 2])).toBe("Array([1, 2], dtype=int32)");
    expect(jnp.arrayStr([[true, false]])).toBe("[[ True False]]");
    expect(jnp.arrayStr(2.5)).toBe("2.5");
  });
});
