// dot_general (lax.dotGeneral / dot / batchMatmul) and the Array methods matmul
// and dot, against goldens from tools/goldens/gen_linalg.py (NumPy values, JAX
// dtypes, errors and Jaxpr texts).
import { describe, expect, it } from "vitest";
import {
  Array,
  ShapeDtypeStruct,
  array,
  dtype as toDType,
  fromTyped,
  lax,
  makeJaxpr,
  type ClosedJaxpr,
} from "../src/index.js";
import { decode, expectMatches, loadGolden, expectStagedLikeEager, loadJaxprGoldens, type EncodedArray } from "./golden.js";

type DN = [[number[], number[]], [number[], number[]]];
interface DotCase {
  kind: "dot_general";
  note: string;
  args: EncodedArray[];
  dimension_numbers: DN;
  preferred_element_type: string | null;
  out: EncodedArray;
}
interface MethodCase {
  kind: "method";
  op: "matmul" | "dot";
  note: string;
  args: [EncodedArray, EncodedArray | number];
  y_is_number: boolean;
  out: EncodedArray;
}
interface ErrorCase {
  kind: "error";
  note: string;
  lhs: { shape: number[]; dtype: string };
  rhs: { shape: number[]; dtype: string };
  dimension_numbers: DN;
  preferred_element_type: string | null;
  jax_error: string;
}
interface BigCase {
  kind: "big";
  M: number;
  K: number;
  N: number;
  row_sums: number[];
  col_sums: number[];
  rows: number[];
  row_values: number[][];
  cols: number[];
  col_values: number[][];
}
interface JaxprCase {
  kind: "jaxpr";
  name: string;
  args: { shape: number[]; dtype: string }[];
  text: string;
}

const JsArray = globalThis.Array;
const all = loadGolden("linalg");
const dotCases = all.filter((c): c is DotCase => c.kind === "dot_general");
const methodCases = all.filter((c): c is MethodCase => c.kind === "method");
const errorCases = all.filter((c): c is ErrorCase => c.kind === "error");
const bigCase = all.find((c): c is BigCase => c.kind === "big")!;
const jaxprCases = new Map(all.filter((c): c is JaxprCase => c.kind === "jaxpr").map((c) => [c.name, c]));

const dotOf = (c: DotCase) => (x: Array, y: Array) =>
  lax.dotGeneral(x, y, c.dimension_numbers, { preferredElementType: c.preferred_element_type });

describe("dot_general: values against NumPy", () => {
  it("covers the dtypes and kinds of cases", () => {
    const dtypes = new Set(dotCases.map((c) => c.args[0]!.dtype));
    for (const d of ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32", "int16", "bool"]) {
      expect(dtypes.has(d), d).toBe(true);
    }
    expect(dotCases.length).toBeGreaterThan(100);
  });
  for (const c of dotCases) {
    it(c.note, () => {
      const [x, y] = c.args.map(decode) as [Array, Array];
      expectMatches(dotOf(c)(x, y), c.out, { label: c.note });
    });
  }
});

describe("dot_general under makeJaxpr", () => {
  for (const c of dotCases) {
    it(c.note, () => {
      const [x, y] = c.args.map(decode) as [Array, Array];
      expectStagedLikeEager(dotOf(c), [x, y], ["dot_general"]);
    });
  }
});

describe("dot_general: blocked kernel across block boundaries", () => {
  it("67x300 @ 300x515 float32", () => {
    const { M, K, N } = bigCase;
    const a = new Float32Array(M * K);
    const b = new Float32Array(K * N);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) a[i * K + k] = ((i * 31 + k * 17) % 11) - 5;
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) b[k * N + j] = ((k * 13 + j * 7) % 9) - 4;
    const out = lax.dot(fromTyped(a, [M, K], toDType("float32")), fromTyped(b, [K, N], toDType("float32")));
    expect(out.shape).toEqual([M, N]);
    const v = out.dataSync();
    const rowSums = [...globalThis.Array(M).keys()].map((i) => {
      let s = 0;
      for (let j = 0; j < N; j++) s += v[i * N + j]!;
      return s;
    });
    const colSums = [...globalThis.Array(N).keys()].map((j) => {
      let s = 0;
      for (let i = 0; i < M; i++) s += v[i * N + j]!;
      return s;
    });
    expect(rowSums).toEqual(bigCase.row_sums);
    expect(colSums).toEqual(bigCase.col_sums);
    bigCase.rows.forEach((i, r) => expect(JsArray.from(v.subarray(i * N, (i + 1) * N)), `row ${i}`).toEqual(bigCase.row_values[r]));
    bigCase.cols.forEach((j, r) => {
      const col = [...globalThis.Array(M).keys()].map((i) => v[i * N + j]);
      expect(col, `col ${j}`).toEqual(bigCase.col_values[r]);
    });
  });
});

describe("dot_general: wrappers", () => {
  const find = (note: string) => {
    const c = dotCases.find((k) => k.note === note);
    if (!c) throw new Error(`no golden case '${note}'`);
    return c;
  };

  it("normalizes negative axes", () => {
    const c = find("batched float32");
    const [x, y] = c.args.map(decode) as [Array, Array];
    expectMatches(lax.dotGeneral(x, y, [[[-1], [-2]], [[-3], [-3]]]), c.out);
    const c2 = find("lhs transposed float32");
    const [x2, y2] = c2.args.map(decode) as [Array, Array];
    expectMatches(lax.dotGeneral(x2, y2, [[-2, -2], [[], []]]), c2.out);
  });

  it("lax.dot defaults to vector/matrix products", () => {
    for (const note of ["matrix-matrix float32", "matrix-vector int8", "vector-matrix float64", "vector-vector uint8"]) {
      const c = find(note);
      const [x, y] = c.args.map(decode) as [Array, Array];
      expectMatches(lax.dot(x, y), c.out, { label: note });
    }
    const c = find("batched float32");
    const [x, y] = c.args.map(decode) as [Array, Array];
    expect(() => lax.dot(x, y)).toThrow(/\[dot\] dimensionNumbers must be given/);
    expectMatches(lax.dot(x, y, { dimensionNumbers: c.dimension_numbers }), c.out);
  });

  it("lax.batchMatmul contracts the last two dims over equal batch dims", () => {
    const c = find("batched int32");
    const [x, y] = c.args.map(decode) as [Array, Array];
    expectMatches(lax.batchMatmul(x, y), c.out);
    expect(() => lax.batchMatmul(x, array([1, 2, 3, 4]))).toThrow(/\[batch_matmul\] arguments must be at least 2-D/);
    expect(() => lax.batchMatmul(x, array([[1, 2], [3, 4]]))).toThrow(/\[batch_matmul\] arguments must have the same rank/);
  });

  it("canonicalizes precision", () => {
    const p = lax.Precision;
    const x = new ShapeDtypeStruct([2, 3], "float32");
    const y = new ShapeDtypeStruct([3], "float32");
    const prec = (precision: unknown) =>
      makeJaxpr((a: Array, b: Array) => lax.dot(a, b, { precision: precision as never }))(x, y).jaxpr.eqns[0]!.params.precision;
    expect(prec(null)).toBe(null);
    expect(prec(p.HIGH)).toEqual([p.HIGH, p.HIGH]);
    expect(prec("highest")).toEqual([p.HIGHEST, p.HIGHEST]);
    expect(prec("bfloat16")).toEqual([p.DEFAULT, p.DEFAULT]);
    expect(prec(["high", p.DEFAULT])).toEqual([p.HIGH, p.DEFAULT]);
    expect(String(p.HIGHEST)).toBe("Precision.HIGHEST");
    expect(() => prec("fast")).toThrow(/\[dot_general\] precision must be null, a lax.Precision/);
    expect(() => prec([p.HIGH])).toThrow(/a precision pair must have 2 entries/);
  });

  it("weak types: weak only when both operands are", () => {
    const w = lax.dot(lax.convertElementType(array([1, 2]), "float32", true), lax.convertElementType(array([3, 4]), "float32", true));
    expect(w.weakType).toBe(true);
    expect(w.item()).toBe(11);
    expect(lax.dot(array([1, 2], { dtype: "float32" }), lax.convertElementType(array([3, 4]), "float32", true)).weakType).toBe(false);
  });

  it("does not modify its inputs", () => {
    const x = array([[1, 2], [3, 4]], { dtype: "float32" });
    lax.dotGeneral(x, x, [[[0], [1]], [[], []]]);
    expect(x.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe("dot_general: errors", () => {
  it("names the op, the dims and the operands", () => {
    const x = new ShapeDtypeStruct([2, 3], "float32");
    const y = new ShapeDtypeStruct([4, 5], "float32");
    expect(() => makeJaxpr((a: Array, b: Array) => lax.dotGeneral(a, b, [[[1], [0]], [[], []]]))(x, y)).toThrow(
      new TypeError("[dot_general] contracting dims 3 and 4 do not match: f32[2,3] x f32[4,5]"),
    );
  });
  for (const c of errorCases) {
    it(`${c.note} (JAX: ${c.jax_error.slice(0, 60)}...)`, () => {
      const x = fromTyped(new (toDType(c.lhs.dtype).storage)(c.lhs.shape.reduce((p, d) => p * d, 1)), c.lhs.shape, toDType(c.lhs.dtype));
      const y = fromTyped(new (toDType(c.rhs.dtype).storage)(c.rhs.shape.reduce((p, d) => p * d, 1)), c.rhs.shape, toDType(c.rhs.dtype));
      let err: unknown;
      try {
        lax.dotGeneral(x, y, c.dimension_numbers, { preferredElementType: c.preferred_element_type });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(Error);
      expect(err instanceof TypeError || err instanceof RangeError).toBe(true);
      const msg = (err as Error).message;
      expect(msg).toMatch(/^\[dot_general\] /);
      expect(msg).toContain(`${toDType(c.lhs.dtype).short}[${c.lhs.shape.join(",")}]`);
    });
  }
  it("specific messages", () => {
    const trace = (ls: number[], rs: number[], dn: DN, opts = {}) => () =>
      makeJaxpr((a: Array, b: Array) => lax.dotGeneral(a, b, dn, opts))(new ShapeDtypeStruct(ls, "float32"), new ShapeDtypeStruct(rs, "float32"));
    expect(trace([2, 3], [3, 4], [[[2], [0]], [[], []]])).toThrow(/lhs contracting dimension 2 is out of range for lhs of rank 2/);
    expect(trace([2, 3, 4], [3, 4, 5], [[[2], [1]], [[0], [0]]])).toThrow(/batch dims 2 and 3 do not match: f32\[2,3,4\] x f32\[3,4,5\]/);
    expect(trace([3, 3], [3, 3], [[[1, 1], [0, 1]], [[], []]])).toThrow(/lhs contracting dimensions \[1, 1\] contain a repeated axis/);
    expect(trace([3, 4], [3, 4], [[[0], [0]], [[0], [0]]])).toThrow(/lhs dimension 0 is both a batch and a contracting dimension/);
    expect(trace([2, 3], [3, 4], [[[1], [0, 1]], [[], []]])).toThrow(/same number of contracting dimensions/);
    expect(trace([2, 3, 4], [2, 4, 5], [[[2], [1]], [[0], []]])).toThrow(/same number of batch dimensions/);
    expect(() =>
      lax.dotGeneral(array([[1]], { dtype: "int32" }), array([[1]], { dtype: "uint32" }), [[[1], [0]], [[], []]], { preferredElementType: "int8" }),
    ).toThrow(/preferred_element_type int8 must not be narrower than the result type int32/);
    expect(() => lax.dotGeneral(array([[1]], { dtype: "int16" }), array([[1]], { dtype: "uint16" }), [[[1], [0]], [[], []]])).not.toThrow();
  });
});

describe("Array.matmul / Array.dot: values against NumPy", () => {
  for (const c of methodCases) {
    it(`${c.op}: ${c.note}`, () => {
      const x = decode(c.args[0]);
      const y = c.y_is_number ? (c.args[1] as number) : decode(c.args[1] as EncodedArray);
      const r = c.op === "matmul" ? x.matmul(y) : x.dot(y);
      expectMatches(r, c.out, { label: c.note });
      if (!c.y_is_number) {
        expectStagedLikeEager((a: Array, b: Array) => (c.op === "matmul" ? a.matmul(b) : a.dot(b)), [x, y as Array]);
      }
    });
  }
  it("matmul errors", () => {
    const x = array([[1, 2], [3, 4]], { dtype: "float32" });
    expect(() => x.matmul(2)).toThrow(/\[matmul\] input operand 1 must have ndim at least 1/);
    expect(() => lax.convertElementType(3, "float32").matmul(x)).toThrow(/\[matmul\] input operand 0 must have ndim at least 1/);
    const a = fromTyped(new Float32Array(2 * 3 * 2 * 2), [2, 3, 2, 2], toDType("float32"));
    const b = fromTyped(new Float32Array(4 * 2 * 2), [4, 2, 2], toDType("float32"));
    expect(() => a.matmul(b)).toThrow(/\[matmul\] incompatible shapes for matmul arguments: f32\[2,3,2,2\] and f32\[4,2,2\]/);
    expect(() => x.matmul(array([1, 2, 3], { dtype: "float32" }))).toThrow(/contracting dims 2 and 3 do not match/);
  });
});

// ---------------------------------------------------------------------------
// Jaxpr text identical to JAX's.

const jaxGoldens = loadJaxprGoldens();
const s = (dt: string, ...shape: number[]) => new ShapeDtypeStruct(shape, dt);
type A = Array;
const dn = (lc: number[], rc: number[], lb: number[] = [], rb: number[] = []): DN => [[lc, rc], [lb, rb]];

const programs: Record<string, () => ClosedJaxpr> = {
  // goldens_jax_0_10_2.json
  dot: () => makeJaxpr((x: A, y: A) => x.dot(y))(s("float32", 2, 3), s("float32", 3, 4)),
  matmul_vec: () => makeJaxpr((x: A, y: A) => x.matmul(y))(s("float32", 2, 3), s("float32", 3)),
  dot_general_lax: () =>
    makeJaxpr((x: A, y: A) => lax.dotGeneral(x, y, dn([1], [0]), { preferredElementType: "float32" }))(s("float32", 2, 3), s("float32", 3, 4)),
  dot_int: () => makeJaxpr((x: A, y: A) => x.dot(y))(s("int32", 2, 3), s("int32", 3)),
  dot_batched: () =>
    makeJaxpr((x: A, y: A) => lax.dotGeneral(x, y, dn([2], [1], [0], [0]), { preferredElementType: "float32" }))(
      s("float32", 2, 3, 4),
      s("float32", 2, 4, 5),
    ),
  dot_precision: () =>
    makeJaxpr((x: A, y: A) => lax.dot(x, y, { precision: lax.Precision.HIGHEST, preferredElementType: "float32" }))(
      s("float32", 2, 3),
      s("float32", 3),
    ),
  // linalg.json (printed by JAX 0.10.2 in gen_linalg.py)
  dot_general_plain: () => makeJaxpr((x: A, y: A) => lax.dotGeneral(x, y, dn([1], [0])))(s("float32", 2, 3), s("float32", 3, 4)),
  dot_general_batched_precision: () =>
    makeJaxpr((x: A, y: A) => lax.dotGeneral(x, y, dn([2], [1], [0], [0]), { precision: [lax.Precision.HIGH, lax.Precision.DEFAULT] }))(
      s("float32", 2, 3, 4),
      s("float32", 2, 4, 5),
    ),
  dot_general_preferred_int32: () =>
    makeJaxpr((x: A, y: A) => lax.dotGeneral(x, y, dn([0], [0]), { preferredElementType: "int32" }))(s("int8", 3, 2), s("int8", 3, 5)),
  lax_dot_highest: () => makeJaxpr((x: A, y: A) => lax.dot(x, y, { precision: "highest" }))(s("float32", 4), s("float32", 4)),
  batch_matmul: () => makeJaxpr((x: A, y: A) => lax.batchMatmul(x, y))(s("float32", 2, 3, 4), s("float32", 2, 4, 5)),
  matmul_method: () => makeJaxpr((x: A, y: A) => x.matmul(y))(s("float32", 2, 3), s("float32", 3, 4)),
  matmul_broadcast: () => makeJaxpr((x: A, y: A) => x.matmul(y))(s("float32", 5, 1, 2, 3), s("float32", 4, 3, 6)),
  matmul_vec_vec: () => makeJaxpr((x: A, y: A) => x.matmul(y))(s("float32", 3), s("float32", 3)),
  matmul_int8_f32: () => makeJaxpr((x: A, y: A) => x.matmul(y))(s("int8", 2, 3), s("float32", 3)),
  dot_method_3d: () => makeJaxpr((x: A, y: A) => x.dot(y))(s("float32", 2, 3, 4), s("float32", 5, 4, 6)),
};

describe("dot_general: Jaxpr text matches JAX 0.10.2", () => {
  for (const [name, make] of Object.entries(programs)) {
    it(name, () => {
      const expected = jaxGoldens.get(name) ?? jaxprCases.get(name)?.text;
      expect(expected, `golden ${name}`).toBeDefined();
      expect(make().toString()).toBe(expected);
    });
  }
});
