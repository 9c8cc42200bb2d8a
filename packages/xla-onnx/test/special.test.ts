// erfc, erf_inv, lgamma, digamma, polygamma, nextafter and bitcast_convert_type
// lowered to ONNX (src/lower/special.ts): core's goldens run eagerly and under jit
// on "onnx" with no equation falling back to the CPU backend, edge cases of the
// exact bit constructions, and jit(grad) of the special functions.
import { beforeAll, describe, expect, it } from "vitest";
import { type Array, array, grad, jit, lax } from "@jaxts/core";
import { elementwiseSpecial } from "../../core/test/cases.js";
import { backendInfo } from "../src/index.js";
import { allToCpu, checkBoth, decode, expectClose, loadGolden, onnx, toOnnx, type EncodedArray, fmtEncoded, type ElemCase } from "./harness.js";

beforeAll(async () => {
  await onnx();
});

const fallbacks = () => backendInfo("onnx").cpuFallbacks;

/** checkBoth, eagerly and under jit, asserting no equation ran on the CPU backend. */
async function checkOnOnnx(
  f: (xs: Array[]) => Array,
  args: Array[],
  out: EncodedArray | null,
  label: string,
  opts: { scale?: number; rtol?: number; atol?: number } = {},
): Promise<void> {
  const before = fallbacks();
  await checkBoth(f, args, out, `${label} eager`, opts);
  await checkBoth((xs) => jit((...a: Array[]) => f(a))(...xs), args, out, `${label} jit`, opts);
  expect(fallbacks() - before, `${label}: equations run on the CPU backend`).toBe(0);
}


const fmt = fmtEncoded;

/**
 * Tolerance scales over the goldens' tolerances (float32's defaults, the float64
 * cases' own rtol/atol). 1 except float64 lgamma/digamma: the Lanczos sum
 * (g = 7, n = 9) cancels terms up to ~420 down to ~80 and is then logged, so both
 * functions are accurate to ~1e-15 *absolutely*; next to lgamma's zeros at 1 and 2
 * and digamma's at 1.4616 that is up to 14x the goldens' atol of 1e-16 (ONNX:
 * lgamma(1.999999) off by 1.4e-15; JAX 0.10.2 itself gives lgamma(2) = 8.9e-16
 * and misses lgamma(1.999999) by 5.4x, digamma(1.46) by 5.2x the tolerance).
 */
const scales: Record<string, { f32: number; f64: number }> = {
  erfc: { f32: 1, f64: 1 },
  erfInv: { f32: 1, f64: 1 },
  lgamma: { f32: 1, f64: 16 },
  digamma: { f32: 1, f64: 16 },
  nextafter: { f32: 1, f64: 1 },
  bitcastConvertType: { f32: 1, f64: 1 },
};

describe("elementwise goldens lowered to ONNX (no CPU fallback)", () => {
  const cases = loadGolden<ElemCase>("elementwise").filter((c) => c.op in scales);
  for (const op of Object.keys(scales)) {
    it(op, async () => {
      const cs = cases.filter((c) => c.op === op);
      expect(cs.length).toBeGreaterThan(0);
      const f = elementwiseSpecial[op] ?? ((xs: Array[]) => (lax as any)[op](...xs));
      for (const c of cs) {
        const t = c.out.dtype;
        const s = t === "float64" ? scales[op]!.f64 : scales[op]!.f32;
        const label = `${op}${c.params ? JSON.stringify(c.params) : ""}(${c.args.map(fmt).join(", ")})`;
        await checkOnOnnx((xs) => f(xs, c.params ?? {}), c.args.map(decode), c.out, label, {
          scale: s,
          rtol: c.rtol != null ? c.rtol * s : t === "float16" ? 2e-3 : undefined,
          atol: c.atol != null ? c.atol * s : undefined,
        });
      }
    });
  }
});

describe("polygamma (mpmath goldens) lowered to ONNX", () => {
  const cases = loadGolden<{ m: EncodedArray; x: EncodedArray; out: EncodedArray }>("polygamma");
  const poly = ([m, x]: Array[]) => lax.polygamma(m!, x!);
  it("float32 and float64", async () => {
    for (const [i, c] of cases.entries()) {
      // Core's polygamma tolerances (test/polygamma.test.ts).
      const tol = c.x.dtype === "float32" ? { rtol: 2e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-14 };
      await checkOnOnnx(poly, [decode(c.m), decode(c.x)], c.out, `polygamma case ${i} ${fmt(c.x)}`, { ...tol, scale: 1 });
    }
  });

  it("float16 computes in float32 (vs the CPU backend)", async () => {
    const m = array([0, 1, 2, 3, 1, 2], { dtype: "float16" });
    const x = array([0.75, 0.3, 2.5, 1.5, -0.5, 7.25], { dtype: "float16" });
    await checkOnOnnx(poly, [m, x], null, "polygamma float16");
  });

  it("poles and non-natural orders as JAX 0.10.2 gives them", async () => {
    // XLA's zeta is +inf at a pole for an even order + 1 and NaN for an odd one,
    // so JAX gives polygamma(1, 0) = inf, polygamma(2, -2) = NaN, as core's CPU
    // kernel does. Non-integer or negative m: NaN.
    for (const dtype of ["float32", "float64"] as const) {
      const m = array([1, 2, 3, 1.5, -1], { dtype });
      const x = array([0, -2, -1, 2, 2], { dtype });
      const before = fallbacks();
      for (const f of [poly, (xs: Array[]) => jit((a: Array, b: Array) => lax.polygamma(a, b))(xs[0]!, xs[1]!)]) {
        const [r] = await allToCpu(f(toOnnx([m, x])));
        expect(globalThis.Array.from(r!.dataSync()), dtype).toEqual([Infinity, NaN, Infinity, NaN, NaN]);
      }
      expect(fallbacks() - before).toBe(0);
    }
  });
});

// ---------------------------------------------------------------------------
// nextafter and bitcasts: exact, compared bit for bit with the CPU backend.

const F16_MIN_SUB = 2 ** -24;
const F16_MIN_NORM = 2 ** -14;
const edge: Record<"float16" | "float32" | "float64", number[]> = {
  float16: [0, -0, F16_MIN_SUB, -F16_MIN_SUB, 2 * F16_MIN_SUB, F16_MIN_NORM - F16_MIN_SUB, F16_MIN_NORM, -F16_MIN_NORM, 1, -1, 2, 0.5, 1024, 65504, -65504, Infinity, -Infinity, NaN, 0.333, -3.14],
  float32: [0, -0, 2 ** -149, -(2 ** -149), 2 ** -148, 2 ** -126 - 2 ** -149, 2 ** -126, -(2 ** -126), 1, -1, 2, 0.5, 2 ** 24, 3.4028234663852886e38, -3.4028234663852886e38, Infinity, -Infinity, NaN, 0.1, -3.14159],
  float64: [0, -0, 5e-324, -5e-324, 1e-323, 2 ** -1022 - 5e-324, 2 ** -1022, -(2 ** -1022), 1, -1, 2, 0.5, 2 ** 53, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, NaN, 0.1, -Math.PI],
};

/** Bit-exact comparison (sign of zero included; any NaN matches NaN). */
function sameValues(got: Array, want: Array, label: string): void {
  expect(got.dtype.name, label).toBe(want.dtype.name);
  expect(got.shape, label).toEqual(want.shape);
  const a = globalThis.Array.from(got.dataSync());
  const b = globalThis.Array.from(want.dataSync());
  const bad = b.flatMap((v, i) => (Object.is(a[i], v) || (Number.isNaN(v) && Number.isNaN(a[i]!)) ? [] : [`[${i}] onnx ${Object.is(a[i], -0) ? "-0" : a[i]}, cpu ${Object.is(v, -0) ? "-0" : v}`]));
  expect(bad, label).toEqual([]);
}

async function exactOnOnnx(f: (xs: Array[]) => Array, args: Array[], label: string): Promise<void> {
  const before = fallbacks();
  const want = f(args);
  for (const [mode, g] of [
    ["eager", f],
    ["jit", (xs: Array[]) => jit((...a: Array[]) => f(a))(...xs)],
  ] as const) {
    const [got] = await allToCpu(g(toOnnx(args)));
    sameValues(got!, want, `${label} ${mode}`);
  }
  expect(fallbacks() - before, `${label}: equations run on the CPU backend`).toBe(0);
}

describe("nextafter edge cases (bit-exact)", () => {
  for (const dtype of ["float16", "float32", "float64"] as const) {
    it(dtype, async () => {
      const v = edge[dtype];
      // Every ordered pair of edge values.
      const xs = v.flatMap((a) => v.map(() => a));
      const ys = v.flatMap(() => v);
      await exactOnOnnx(([x, y]) => lax.nextafter(x!, y!), [array(xs, { dtype }), array(ys, { dtype })], `nextafter ${dtype}`);
    });
  }
});

describe("bitcast_convert_type edge cases (bit-exact)", () => {
  const ints: Record<string, number[]> = {
    int8: [0, 1, -1, 127, -128, 60, -64, 124, 126],
    uint8: [0, 1, 255, 128, 127, 60, 192, 124, 126],
    int16: [0, 1, -1, 32767, -32768, 0x7c00, -1024, 0x7bff, 0x3c00, 0x7e00, 0x0400, 0x03ff, -32767],
    uint16: [0, 1, 65535, 0x8000, 0x7c00, 0xfc00, 0x7bff, 0x3c00, 0x7e00, 0x0400, 0x03ff, 0x8001],
    int32: [0, 1, -1, 2147483647, -2147483648, 0x7f800000, -8388608, 0x7f7fffff, 0x3f800000, 0x7fc00000, 0x00800000, 0x007fffff, -2147483647, 0x3ff00000],
    uint32: [0, 1, 4294967295, 0x80000000, 0x7f800000, 0xff800000, 0x7f7fffff, 0x3f800000, 0x7fc00000, 0x00800000, 0x007fffff, 0x80000001, 0x7ff00000, 0xfff00000],
  };
  const all = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float16", "float32", "float64"] as const;
  const width: Record<string, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, float16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };
  const values = (d: string): number[] => (d in ints ? ints[d]! : edge[d as keyof typeof edge]!.filter((x) => !Number.isNaN(x)));
  for (const from of all) {
    it(`from ${from}`, async () => {
      for (const to of all) {
        let v = values(from);
        const k = width[to]! / width[from]!;
        let shape = [v.length];
        if (k > 1) {
          // Wider target: a trailing dimension of k pieces; cycle the values into [n, k].
          const n = Math.max(2, Math.ceil(v.length / k));
          v = globalThis.Array.from({ length: n * k }, (_, i) => v[(i * 7) % v.length]!);
          shape = [n, k];
        }
        const x = array(v, { dtype: from }).reshape(shape);
        await exactOnOnnx(([a]) => lax.bitcastConvertType(a!, to), [x], `bitcast ${from}${JSON.stringify(shape)} -> ${to}`);
      }
    });
  }

  it("NaNs become the canonical quiet NaN", async () => {
    for (const [dtype, to, bits] of [
      ["float16", "uint16", 0x7e00],
      ["float32", "uint32", 0x7fc00000],
    ] as const) {
      const [r] = await allToCpu(lax.bitcastConvertType(toOnnx(array([NaN, -NaN], { dtype })), to));
      expect(globalThis.Array.from(r!.dataSync())).toEqual([bits, bits]);
    }
    const [r] = await allToCpu(lax.bitcastConvertType(toOnnx(array([NaN], { dtype: "float64" })), "uint32"));
    expect(globalThis.Array.from(r!.dataSync())).toEqual([0, 0x7ff80000]);
    // Every NaN pattern reads back as NaN.
    const [f] = await allToCpu(lax.bitcastConvertType(toOnnx(array([0x7f800001, 0xffffffff, 0x7fc00000, 0xff800001], { dtype: "uint32" })), "float32"));
    expect(globalThis.Array.from(f!.dataSync()).every(Number.isNaN)).toBe(true);
  });
});

describe("random bit patterns (bit-exact)", () => {
  // A deterministic stream of 32-bit patterns (xorshift32).
  function patterns(n: number, seed: number): number[] {
    let s = seed >>> 0;
    return globalThis.Array.from({ length: n }, () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>>= 0);
    });
  }
  const cases = [
    { float: "float16", bits: "uint16", shape: [4000], data: patterns(4000, 1).map((v) => v & 0xffff) },
    { float: "float32", bits: "uint32", shape: [4000], data: patterns(4000, 2) },
    // float64 from pairs of 32-bit words (little-endian: low word first).
    { float: "float64", bits: "uint32", shape: [2000, 2], data: patterns(4000, 3) },
  ] as const;
  for (const c of cases) {
    it(c.float, async () => {
      const bits = array(c.data, { dtype: c.bits }).reshape([...c.shape]);
      await exactOnOnnx(([b]) => lax.bitcastConvertType(b!, c.float), [bits], `${c.bits} -> ${c.float}`);
      // Back to bits (NaN patterns excluded: they come back canonical).
      const fl = lax.bitcastConvertType(bits, c.float);
      const vals = globalThis.Array.from(fl.dataSync()).filter((v) => !Number.isNaN(v));
      const x = array(vals, { dtype: c.float });
      await exactOnOnnx(([a]) => lax.bitcastConvertType(a!, c.bits), [x], `${c.float} -> ${c.bits}`);
      for (const toward of [Infinity, -Infinity, 0]) {
        const y = array(vals.map(() => toward), { dtype: c.float });
        await exactOnOnnx(([a, b]) => lax.nextafter(a!, b!), [x, y], `nextafter ${c.float} toward ${toward}`);
      }
    });
  }
});

// ---------------------------------------------------------------------------
// jit(grad) of the special functions on onnx vs the CPU backend

describe("jit(grad) on onnx", () => {
  const fns: [string, (x: Array) => Array, number[]][] = [
    ["lgamma", lax.lgamma, [0.3, 1.5, 2.7, 7.25, -0.5, -2.3, 15]],
    ["digamma", lax.digamma, [0.3, 1.5, 2.7, 7.25, -0.5, -2.3, 15]],
    ["erf_inv", lax.erfInv, [-0.9, -0.5, 0, 0.1, 0.5, 0.99]],
    ["erfc", lax.erfc, [-2.5, -0.5, 0, 0.3, 1.2, 3.5]],
  ];
  for (const [name, fn, xs] of fns) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`${name} ${dtype}`, async () => {
        const g = jit(grad((x: Array) => fn(x).sum()));
        const x = array(xs, { dtype });
        const want = g(x);
        const before = fallbacks();
        const [got] = await allToCpu(g(toOnnx(x)));
        expect(fallbacks() - before, "equations run on the CPU backend").toBe(0);
        expectClose(got!, want, `grad ${name} ${dtype}`);
      });
    }
  }
});
