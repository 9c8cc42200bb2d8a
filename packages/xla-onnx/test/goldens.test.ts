// Core's primitive goldens (packages/core/test/fixtures) on the ONNX backend:
// every case runs on the CPU backend and on "onnx", and the ONNX result must
// match the golden and the CPU result.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { jit, lax, type Array } from "@jaxts/core";
import { elementwiseSpecial as elemSpecial, indexingCaseFn as idxFn, sortApply, structuralRunners as structOps, type IndexingCase as IdxCase, type SortCase } from "../../core/test/cases.js";
import { checkBoth, decode, loadGolden, onnx, type EncodedArray, fmtEncoded, groupBy, type ElemCase, type RedCase } from "./harness.js";

beforeAll(async () => {
  await onnx();
});

const L = lax as unknown as Record<string, (...a: any[]) => Array>;
const fmt = fmtEncoded;

const group = groupBy;

// ---------------------------------------------------------------------------
// elementwise


/** ORT's float32 transcendental kernels are vectorized approximations: a few ulp. */
const elemScale: Record<string, number> = {
  sin: 4, cos: 4, tan: 8, asin: 4, acos: 4, atan: 4, sinh: 8, cosh: 8, tanh: 8, asinh: 8, acosh: 8, atanh: 8,
  exp: 4, exp2: 4, log: 4, log1p: 8, expm1: 8, logistic: 8, erf: 8, pow: 8, atan2: 8, cbrt: 4,
};
/** float64 lgamma/digamma (cases with their own rtol/atol): XLA's Lanczos sum is ~1e-15 absolute (see special.test.ts), beyond those cases' atol of 1e-16. */
const caseTolScale: Record<string, number> = { lgamma: 16, digamma: 16 };

describe("elementwise goldens on onnx", () => {
  const cases = loadGolden<ElemCase>("elementwise");
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(op, async () => {
      const f = elemSpecial[op] ?? ((args: Array[]) => L[op]!(...args));
      for (const c of cs) {
        const label = `${op}${c.params ? JSON.stringify(c.params) : ""}(${c.args.map(fmt).join(", ")})`;
        const scale = elemScale[op] ?? 1;
        const t = c.out.dtype;
        const cs = c.rtol != null ? (caseTolScale[op] ?? 1) : 1; // the float64 cases
        await checkBoth((xs) => f(xs, c.params ?? {}), c.args.map(decode), c.out, label, {
          scale: scale * cs,
          rtol: c.rtol != null ? c.rtol * cs : t === "float16" ? 2e-3 : undefined,
          atol: c.atol != null ? c.atol * cs : undefined,
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// structural

interface StructCase {
  op: string;
  note: string;
  args: EncodedArray[];
  params: Record<string, any>;
  out: EncodedArray;
}

describe("structural goldens on onnx", () => {
  const cases = loadGolden<StructCase>("structural");
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(op, async () => {
      const f = structOps[op];
      expect(f, `no mapping for ${op}`).toBeDefined();
      for (const c of cs) {
        // iota takes no operands: run it on the ONNX backend by making it the
        // default for the call.
        await checkBoth((xs) => f!(xs, c.params), c.args.map(decode), c.out, `${op} ${c.note} ${JSON.stringify(c.params)}`);
      }
    });
  }
});

// ---------------------------------------------------------------------------
// reductions


const reducers: Record<string, (x: Array, axes: number[]) => Array> = {
  reduce_sum: lax.reduceSum,
  reduce_prod: lax.reduceProd,
  reduce_max: lax.reduceMax,
  reduce_min: lax.reduceMin,
  reduce_and: lax.reduceAnd,
  reduce_or: lax.reduceOr,
  reduce_xor: lax.reduceXor,
};
const cumulative: Record<string, (x: Array, axis: number, reverse: boolean) => Array> = {
  cumsum: lax.cumsum,
  cumprod: lax.cumprod,
  cummax: lax.cummax,
  cummin: lax.cummin,
  cumlogsumexp: lax.cumlogsumexp,
};

describe("reduction goldens on onnx", () => {
  const cases = loadGolden<RedCase>("reduction");
  for (const [op, cs] of group(
    cases.filter((c) => c.kind === "reduce"),
    (c) => c.op,
  )) {
    it(op, async () => {
      for (const c of cs) {
        // Sums in another order: float32 rounding differs by a few ulp.
        await checkBoth(([x]) => reducers[op]!(x!, c.axes!), [decode(c.x)], c.out, `${op} ${fmt(c.x)} axes=${c.axes} ${c.note ?? ""}`, { scale: 8 });
      }
    });
  }
  for (const [op, cs] of group(
    cases.filter((c) => c.kind === "arg"),
    (c) => c.op,
  )) {
    it(op, async () => {
      const f = op === "argmax" ? lax.argmax : lax.argmin;
      for (const c of cs) {
        await checkBoth(([x]) => f(x!, c.axis!, c.index_dtype as any), [decode(c.x)], c.out, `${op} ${fmt(c.x)} axis=${c.axis} ${c.note ?? ""}`);
      }
    });
  }
  for (const [op, cs] of group(
    cases.filter((c) => c.kind === "cum"),
    (c) => c.op,
  )) {
    it(op, async () => {
      for (const c of cs) {
        await checkBoth(([x]) => cumulative[op]!(x!, c.axis!, c.reverse!), [decode(c.x)], c.out, `${op} ${fmt(c.x)} axis=${c.axis} rev=${c.reverse} ${c.note ?? ""}`, {
          scale: 16,
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// dot_general

interface DotCase {
  kind: string;
  note: string;
  args: EncodedArray[];
  dimension_numbers: any;
  preferred_element_type: string | null;
  out: EncodedArray;
}

describe("dot_general goldens on onnx", () => {
  const cases = loadGolden<DotCase>("linalg").filter((c) => c.kind === "dot_general");
  it(`dot_general (${cases.length} cases)`, async () => {
    for (const c of cases) {
      await checkBoth(
        ([x, y]) => lax.dotGeneral(x!, y!, c.dimension_numbers, { preferredElementType: (c.preferred_element_type ?? undefined) as any }),
        c.args.map(decode),
        c.out,
        `dot_general ${c.note} ${JSON.stringify(c.dimension_numbers)}`,
        { scale: 16 },
      );
    }
  });
});

// ---------------------------------------------------------------------------
// indexing (dynamic_slice/dynamic_update_slice/gather/scatter), jitted

describe("indexing goldens on onnx (jitted)", () => {
  const cases = loadGolden<IdxCase>("indexing");
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(`${op} (${cs.length} cases)`, async () => {
      for (const c of cs) {
        const f = jit(idxFn(c));
        // float16 scatter-add/mul accumulate in float32 here (one rounding at the
        // end) where the CPU backend rounds after each update.
        const f16 = c.out.dtype === "float16" && op.startsWith("scatter");
        await checkBoth((xs) => f(...xs), c.args.map(decode), c.out, `${op} ${c.note} [${c.params.mode ?? ""}]`, f16 ? { rtol: 2e-3, atol: 1e-3 } : { rtol: 0, atol: 0 });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// sort / top_k, jitted (values and order; NaN sign bits are not compared)

describe("sort / top_k goldens on onnx (jitted)", () => {
  const cases = loadGolden<SortCase>("sort");
  // -NaN sorts first in JAX's total order; ONNX has no bitcast to see NaN signs.
  const negNan = (c: SortCase) => c.args.some((a: any) => a.signbit && a.data.some((v: unknown, i: number) => v === "nan" && a.signbit[i]));
  for (const [op, cs] of group(cases, (c) => c.op)) {
    it(`${op} (${cs.length} cases)`, async () => {
      for (const c of cs) {
        if (negNan(c)) continue;
        const f = jit((...xs: Array[]) => sortApply(c, xs));
        await checkBoth((xs) => f(...xs), c.args.map(decode), c.out_stable ?? c.out, c.name, { rtol: 0, atol: 0 });
      }
    });
  }
});

// ---------------------------------------------------------------------------
// conv_general_dilated: every case lowers (Conv, ConvTranspose for lhs dilation,
// per-tap MatMuls for float64/integer/bool and no spatial dims); none may fall
// back to the CPU backend.

interface ConvCase {
  kind: string;
  note: string;
  args: EncodedArray[];
  params: {
    windowStrides: number[];
    padding: string | [number, number][];
    lhsDilation?: number[];
    rhsDilation?: number[];
    dimensionNumbers?: [string, string, string] | null;
    featureGroupCount?: number;
    batchGroupCount?: number;
    preferredElementType?: string;
  };
  out: EncodedArray;
}

describe("conv goldens on onnx", () => {
  const cases = loadGolden<ConvCase>("conv").filter((c) => c.kind === "conv");
  it(`conv_general_dilated (${cases.length} cases)`, async () => {
    const b = await onnx();
    const warn = vi.spyOn(console, "warn");
    try {
      for (const c of cases) {
        const p = c.params;
        const f = (xs: Array[]) =>
          lax.convGeneralDilated(xs[0]!, xs[1]!, p.windowStrides, p.padding as any, {
            lhsDilation: p.lhsDilation,
            rhsDilation: p.rhsDilation,
            dimensionNumbers: p.dimensionNumbers as any,
            featureGroupCount: p.featureGroupCount,
            batchGroupCount: p.batchGroupCount,
            preferredElementType: p.preferredElementType as any,
          });
        const before = b.info().cpuFallbacks;
        await checkBoth(f, c.args.map(decode), c.out, `conv ${c.note}`, { scale: 16 });
        expect(b.info().cpuFallbacks - before, `conv ${c.note}: equations run on the CPU backend`).toBe(0);
      }
      const fallbacks = warn.mock.calls.map((a) => String(a[0])).filter((m) => m.includes("conv_general_dilated"));
      expect(fallbacks, "conv fallback warnings").toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});
