// Print options (np.set_printoptions) in repr(jax.Array) and array2string
// (tools/goldens/gen_format_options.py).
import { afterEach, describe, expect, it } from "vitest";
import { array2string, dtype as toDType, fromTyped, getPrintOptions, resetPrintOptions, setPrintOptions, formatScalar } from "../src/index.js";
import { loadGolden, type EncodedArray } from "./golden.js";

interface OptionsCase extends EncodedArray {
  name: string;
  options: Record<string, number | boolean>;
  args: { maxLineWidth?: number; precision?: number; suppressSmall?: boolean };
  repr: string;
  array_str: string;
}

const cases = loadGolden<OptionsCase>("format_options");
afterEach(() => resetPrintOptions());

function arr(c: OptionsCase) {
  const d = toDType(c.dtype);
  const data = new d.storage(c.data.length);
  c.data.forEach((v, i) => (data[i] = v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number)));
  return fromTyped(data, c.shape, d);
}

describe("repr under print options matches JAX", () => {
  for (const c of cases.filter((c) => Object.keys(c.args).length === 0)) {
    it(c.name, () => {
      setPrintOptions(c.options);
      expect(arr(c).toString()).toBe(c.repr);
    });
  }
});

describe("array2string (separator ' ') matches np.array_str", () => {
  for (const c of cases.filter((c) => c.shape.length > 0)) {
    it(c.name, () => {
      setPrintOptions(c.options);
      const a = arr(c);
      expect(array2string(a.dataSync(), a.aval, { ...c.args })).toBe(c.array_str);
    });
  }
  it("formatScalar matches str() of NumPy scalars", () => {
    for (const c of cases.filter((c) => c.shape.length === 0)) {
      const a = arr(c);
      expect(formatScalar(a.dataSync()[0]!, a.dtype), c.name).toBe(c.array_str);
    }
  });
});

describe("setPrintOptions", () => {
  it("returns the previous options, keeps the ones not given, and validates", () => {
    const prev = setPrintOptions({ precision: 2 });
    expect(prev.precision).toBe(8);
    expect(getPrintOptions()).toEqual({ precision: 2, threshold: 1000, edgeitems: 3, linewidth: 75, suppress: false });
    expect(() => setPrintOptions({ precision: -1 })).toThrow("[setPrintOptions] precision must be an integer >= 0, got -1");
    expect(() => setPrintOptions({ linewidth: 0 })).toThrow("linewidth must be an integer >= 1");
    expect(() => setPrintOptions({ suppress: 1 as never })).toThrow("suppress must be a boolean");
    expect(() => setPrintOptions({ floatmode: "fixed" } as never)).toThrow('unknown print option "floatmode"');
    expect(getPrintOptions().precision).toBe(2);
  });
});
