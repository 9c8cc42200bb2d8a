// conv_general_dilated (lax.convGeneralDilated / conv / convWithGeneralPadding)
// against goldens from tools/goldens/gen_conv.py (computed by JAX 0.10.2).
import { describe, expect, it } from "vitest";
import {
  Array,
  ShapeDtypeStruct,
  dtype as toDType,
  fromTyped,
  lax,
  makeJaxpr,
  type ClosedJaxpr,
} from "../src/index.js";
import { decode, expectMatches, loadGolden, expectStagedLikeEager, loadJaxprGoldens, type EncodedArray } from "./golden.js";

interface ConvArgs {
  windowStrides: number[];
  padding: string | [number, number][];
  lhsDilation?: number[];
  rhsDilation?: number[];
  dimensionNumbers?: [string, string, string] | null;
  featureGroupCount?: number;
  batchGroupCount?: number;
  preferredElementType?: string;
}
interface ConvCase {
  kind: "conv";
  note: string;
  args: [EncodedArray, EncodedArray];
  params: ConvArgs;
  out: EncodedArray;
}
interface ErrorCase {
  kind: "error";
  note: string;
  lhs: { shape: number[]; dtype: string };
  rhs: { shape: number[]; dtype: string };
  params: ConvArgs;
  jax_error: string;
}
interface JaxprCase {
  kind: "jaxpr";
  name: string;
  text: string;
}

const all = loadGolden("conv");
const convCases = all.filter((c): c is ConvCase => c.kind === "conv");
const errorCases = all.filter((c): c is ErrorCase => c.kind === "error");
const jaxprCases = new Map(all.filter((c): c is JaxprCase => c.kind === "jaxpr").map((c) => [c.name, c.text]));

const convOf = (p: ConvArgs) => (x: Array, w: Array) =>
  lax.convGeneralDilated(x, w, p.windowStrides, p.padding, {
    lhsDilation: p.lhsDilation,
    rhsDilation: p.rhsDilation,
    dimensionNumbers: p.dimensionNumbers,
    featureGroupCount: p.featureGroupCount,
    batchGroupCount: p.batchGroupCount,
    preferredElementType: p.preferredElementType,
  });

const zeros = (shape: number[], dt: string) => {
  const d = toDType(dt);
  return fromTyped(new d.storage(shape.reduce((p, n) => p * n, 1)), shape, d);
};

describe("conv_general_dilated: values against JAX", () => {
  it("covers dtypes, ranks and options", () => {
    const dtypes = new Set(convCases.map((c) => c.args[0].dtype));
    for (const d of ["float32", "float64", "float16", "int32", "int8", "uint8", "uint32", "bool"]) expect(dtypes.has(d), d).toBe(true);
    const ranks = new Set(convCases.map((c) => c.args[0].shape.length));
    for (const r of [2, 3, 4, 5]) expect(ranks.has(r), `rank ${r}`).toBe(true);
    expect(convCases.some((c) => (c.params.batchGroupCount ?? 1) > 1)).toBe(true);
    expect(convCases.some((c) => (c.params.featureGroupCount ?? 1) > 1)).toBe(true);
    expect(convCases.some((c) => c.params.lhsDilation?.some((d) => d > 1))).toBe(true);
    expect(convCases.some((c) => typeof c.params.padding !== "string" && c.params.padding.flat().some((p) => p < 0))).toBe(true);
  });
  for (const c of convCases) {
    it(c.note, () => {
      const [x, w] = c.args.map(decode) as [Array, Array];
      expectMatches(convOf(c.params)(x, w), c.out, { label: c.note });
    });
  }
});

describe("conv_general_dilated under makeJaxpr", () => {
  for (const c of convCases) {
    it(c.note, () => {
      const [x, w] = c.args.map(decode) as [Array, Array];
      expectStagedLikeEager(convOf(c.params), [x, w], ["conv_general_dilated"]);
    });
  }
});

describe("conv wrappers", () => {
  const find = (note: string) => {
    const c = convCases.find((k) => k.note === note);
    if (!c) throw new Error(`no golden case '${note}'`);
    return c;
  };

  it("lax.conv is NCHW/OIHW without dilation", () => {
    for (const note of ["padding SAME strides 2,3", "padding VALID strides 1,1", "NCHW valid int8"]) {
      const c = find(note.replace("2,3", "[2, 3]").replace("1,1", "[1, 1]"));
      const [x, w] = c.args.map(decode) as [Array, Array];
      expectMatches(lax.conv(x, w, c.params.windowStrides, c.params.padding), c.out, { label: note });
    }
  });

  it("lax.convWithGeneralPadding passes dilations", () => {
    const c = find("lhs dilation + stride");
    const [x, w] = c.args.map(decode) as [Array, Array];
    const r = lax.convWithGeneralPadding(x, w, c.params.windowStrides, c.params.padding, c.params.lhsDilation!, c.params.rhsDilation ?? null);
    expectMatches(r, c.out);
  });

  it("accepts a ConvDimensionNumbers object and prints JAX's repr", () => {
    const c = find("NHWC/HWIO explicit pads");
    const [x, w] = c.args.map(decode) as [Array, Array];
    const dn = lax.convDimensionNumbers(x.shape, w.shape, ["NHWC", "HWIO", "NHWC"]);
    expect(dn).toBeInstanceOf(lax.ConvDimensionNumbers);
    expect(String(dn)).toBe("ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))");
    expectMatches(lax.convGeneralDilated(x, w, c.params.windowStrides, c.params.padding, { dimensionNumbers: dn }), c.out);
    expect(lax.convGeneralPermutations(["NCHW", "OIHW", "NCHW"])).toEqual([
      [0, 1, 2, 3],
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ]);
  });
});

describe("conv_general_dilated: errors", () => {
  for (const c of errorCases) {
    it(`${c.note} (JAX: ${c.jax_error.slice(0, 60)}...)`, () => {
      let err: unknown;
      try {
        convOf(c.params)(zeros(c.lhs.shape, c.lhs.dtype), zeros(c.rhs.shape, c.rhs.dtype));
      } catch (e) {
        err = e;
      }
      expect(err instanceof TypeError || err instanceof RangeError, String(err)).toBe(true);
      expect((err as Error).message).toMatch(/^\[conv_general_dilated\] /);
    });
  }

  it("messages name the operands", () => {
    const trace = (ls: number[], rs: number[], p: Partial<ConvArgs>) => () =>
      makeJaxpr((x: Array, w: Array) => convOf({ windowStrides: [1, 1], padding: "VALID", ...p })(x, w))(
        new ShapeDtypeStruct(ls, "float32"),
        new ShapeDtypeStruct(rs, "float32"),
      );
    expect(trace([1, 4, 5, 5], [3, 2, 2, 2], {})).toThrow(
      new TypeError(
        "[conv_general_dilated] lhs feature dimension 4 / feature_group_count 1 must equal the rhs input feature dimension 2: f32[1,4,5,5] x f32[3,2,2,2]",
      ),
    );
    expect(trace([1, 2, 5, 5], [3, 2, 2, 2], { padding: [[-3, -3], [0, 0]] })).toThrow(
      /negative padding \(-3, -3\) is larger than spatial dimension 0 of size 5/,
    );
    expect(trace([1, 2, 5, 5], [3, 2, 2, 2], { windowStrides: [1, 0] })).toThrow(/window_strides must be positive integers, got \(1, 0\)/);
    expect(trace([1, 2, 5, 5], [3, 2, 2, 2], { featureGroupCount: 0 })).toThrow(/feature_group_count must be a positive integer/);
  });
});

// ---------------------------------------------------------------------------
// Jaxpr text identical to JAX's.

const jaxGoldens = loadJaxprGoldens();
const f32 = (...shape: number[]) => new ShapeDtypeStruct(shape, "float32");
type A = Array;

const programs: Record<string, () => ClosedJaxpr> = {
  // goldens_jax_0_10_2.json
  conv: () => makeJaxpr((x: A, w: A) => lax.conv(x, w, [1, 1], "SAME"))(f32(1, 1, 5, 5), f32(1, 1, 3, 3)),
  conv_general_dilated: () =>
    makeJaxpr((x: A, w: A) => lax.convGeneralDilated(x, w, [1], "VALID", { dimensionNumbers: ["NWC", "WIO", "NWC"] }))(
      f32(1, 5, 2),
      f32(3, 2, 4),
    ),
  conv_precision: () =>
    makeJaxpr((x: A, w: A) => lax.conv(x, w, [1, 1], "VALID", { precision: lax.Precision.HIGHEST }))(f32(1, 1, 5, 5), f32(1, 1, 3, 3)),
  // conv.json (printed by JAX 0.10.2 in gen_conv.py)
  conv_nhwc_groups: () =>
    makeJaxpr((x: A, w: A) =>
      lax.convGeneralDilated(x, w, [2, 1], "SAME", {
        rhsDilation: [1, 2],
        dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
        featureGroupCount: 2,
      }),
    )(f32(2, 7, 6, 4), f32(3, 3, 2, 6)),
  conv_lhs_dilation_precision: () =>
    makeJaxpr((x: A, w: A) =>
      lax.convGeneralDilated(x, w, [1], [[1, -1]], {
        lhsDilation: [2],
        precision: ["highest", "default"],
        preferredElementType: "float32",
      }),
    )(f32(1, 2, 5), f32(3, 2, 2)),
  conv_with_general_padding: () =>
    makeJaxpr((x: A, w: A) => lax.convWithGeneralPadding(x, w, [1, 1], [[0, 1], [1, 0]], [1, 1], [2, 2]))(
      f32(1, 1, 6, 6),
      f32(2, 1, 2, 2),
    ),
  conv_3d_batch_groups: () =>
    makeJaxpr((x: A, w: A) => lax.convGeneralDilated(x, w, [1, 1, 1], "VALID", { batchGroupCount: 2 }))(
      f32(4, 1, 3, 3, 3),
      f32(2, 1, 2, 2, 2),
    ),
};

describe("conv_general_dilated: Jaxpr text matches JAX 0.10.2", () => {
  for (const [name, make] of Object.entries(programs)) {
    it(name, () => {
      const expected = jaxGoldens.get(name) ?? jaxprCases.get(name);
      expect(expected, `golden ${name}`).toBeDefined();
      expect(make().toString()).toBe(expected);
    });
  }
});
