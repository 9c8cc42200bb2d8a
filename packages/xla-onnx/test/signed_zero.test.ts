// Signed zeros through every lowering that selects or passes values through.
//
// ONNX Runtime's CPU Where (onnxruntime-node 1.30, float16/32/64) returns +0
// where it takes a -0 from its second input (X), and at graph optimization
// level basic and up ORT rewrites Where(Not(c), a, b) as Where(c, b, a); its
// Max/Min/ReduceMax/ReduceMin/ScatterElements(max|min) return either zero when
// -0 and +0 compare equal; Sign(-0) is +0. XLA keeps the sign of zero: select
// is exact, max/min are IEEE 754-2019 maximum/minimum (+0 > -0, also inside
// reductions, windows, scans and scatters), sign(-0) = -0, round(-0.3) = -0.
// Each case runs on onnx eagerly and under jit, compares every element with
// Object.is (NaN = NaN) against the reference, and must not fall back to the
// CPU backend. The reference is the CPU backend (checked against JAX), except
// where noted: the CPU backend's reduce_max/min, cummax/cummin,
// reduce_window_max/min and scatter-max/min break ties between -0 and +0 by
// position, where XLA's IEEE maximum/minimum does not (there the reference is
// a plain-JS fold with Math.max/Math.min, which are IEEE 754-2019's).
import { describe, expect, it } from "vitest";
import { array, dtype, jit, lax, type Array } from "@jaxts/core";
import { arr, type ArrayFn, expectSameBits, fmtBits, guardFallbacks, onnx, sameBits, toCpu, toOnnx } from "./harness.js";


const expectNoFallback = guardFallbacks();

const FLOATS = ["float32", "float64", "float16"] as const;
type FloatName = (typeof FLOATS)[number];

/** A CPU array of dtype `d` (values exact in every float dtype used here). */

const fmt = fmtBits;
const same = sameBits;

type Fn = ArrayFn;

/** Whether expectSame is running f on onnx (constants f builds must live there too). */
let onOnnx_ = false;
/** A constant `c` built on the CPU, on the backend f runs on (`v`: f's argument, for the call site's sake). */
function near(_v: Array, c: Array): Array {
  return onOnnx_ ? toOnnx(c) : c;
}

/**
 * f on onnx, eagerly and under jit, equals `want` (default: f on the CPU
 * backend) bit for bit; `zerosOnly`: only where a side is a zero or NaN.
 */
function expectSame(f: Fn, args: Array[], label: string, opts: { want?: Array | Array[]; zerosOnly?: boolean } = {}): Promise<void> {
  const onOnnx = <T>(run: () => T): T => {
    onOnnx_ = true;
    try {
      return run();
    } finally {
      onOnnx_ = false;
    }
  };
  return expectSameBits(f, args, label, { ...opts, onOnnx, after: expectNoFallback });
}

/** Every value of `vals` against every value (x varies slowest). */
function pairs(vals: readonly number[]): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const a of vals) for (const b of vals) xs.push(a), ys.push(b);
  return [xs, ys];
}

const Z = [-0, 0];
const SPECIAL = [-0, 0, NaN, Infinity, -Infinity];
/** Exact in float16 too; rounding ties and values that round to zero included. */
const UNARY = [...SPECIAL, -0.25, 0.25, -0.5, 0.5, -0.75, 0.75, -1.5, 1.5, -2.5, 2.5, -3, 3, -(2 ** -20), 2 ** -20];
const BINARY = [...SPECIAL, -1.5, 1.5];

// ---------------------------------------------------------------------------

describe("ORT behaviour the lowerings work around", () => {
  it("select: a -0 taken from the `then` branch stays -0 (plain ONNX Where would give +0)", async () => {
    for (const d of FLOATS) {
      const c = arr([1, 1, 0, 0, 1, 0], "bool");
      const a = arr([-0, 0, 1, 1, NaN, 2], d);
      const b = arr([2, 2, -0, 0, 3, -Infinity], d);
      await expectSame((p, x, y) => lax.select(p!, x!, y!), [c, a, b], `select ${d}`);
    }
  });
});

describe("elementwise", () => {
  for (const d of FLOATS) {
    it(`${d}: neg, abs, sign, floor, ceil, round (both methods), cbrt, square, integer_pow keep signed zeros`, async () => {
      const x = arr(UNARY, d);
      const exact: [string, (x: Array) => Array][] = [
        ["neg", lax.neg],
        ["abs", lax.abs],
        ["sign", lax.sign],
        ["floor", lax.floor],
        ["ceil", lax.ceil],
        ["round away", (v) => lax.round(v, 0)],
        ["round even", (v) => lax.round(v, 1)],
        ["square", lax.square],
        ["integer_pow 3", (v) => lax.integerPow(v, 3)],
        ["integer_pow -1", (v) => lax.integerPow(v, -1)],
        ["stop_gradient", lax.stopGradient],
      ];
      for (const [name, f] of exact) await expectSame((v) => f(v!), [x], `${name} ${d}`);
      await expectSame((v) => lax.cbrt(v!), [x], `cbrt ${d}`, { zerosOnly: true });
    });

    it(`${d}: odd functions and log1p/expm1 at +-0 (zeros only)`, async () => {
      const x = arr([...SPECIAL, -(2 ** -20), 2 ** -20, -0.5, 0.5], d);
      const ops: [string, (x: Array) => Array][] = [
        ["sin", lax.sin],
        ["tan", lax.tan],
        ["asin", lax.asin],
        ["atan", lax.atan],
        ["sinh", lax.sinh],
        ["tanh", lax.tanh],
        ["asinh", lax.asinh],
        ["atanh", lax.atanh],
        ["erf", lax.erf],
        ["erf_inv", lax.erfInv],
        ["sqrt", lax.sqrt],
        ["log1p", lax.log1p],
        ["expm1", lax.expm1],
      ];
      for (const [name, f] of ops) await expectSame((v) => f(v!), [x], `${name} ${d}`, { zerosOnly: true });
    });

    it(`${d}: max, min (IEEE: max(-0, +0) = +0, min = -0), add/sub/mul/div/rem over every pair of special values`, async () => {
      const [xs, ys] = pairs(BINARY);
      const args = [arr(xs, d), arr(ys, d)];
      for (const [name, f] of [
        ["max", lax.max],
        ["min", lax.min],
        ["add", lax.add],
        ["sub", lax.sub],
        ["mul", lax.mul],
        ["div", lax.div],
        ["rem", lax.rem],
      ] as const) {
        await expectSame((a, b) => f(a!, b!), args, `${name} ${d}`);
      }
      // JAX's semantics spelled out, not only the CPU backend's.
      const m = (await toCpu(lax.max(...(toOnnx(args) as [Array, Array])))).dataSync();
      const n = (await toCpu(lax.min(...(toOnnx(args) as [Array, Array])))).dataSync();
      xs.forEach((a, i) => {
        expect(same(m[i]!, Number.isNaN(a) || Number.isNaN(ys[i]!) ? NaN : Math.max(a, ys[i]!)), `max(${fmt(a)}, ${fmt(ys[i]!)})`).toBe(true);
        expect(same(n[i]!, Number.isNaN(a) || Number.isNaN(ys[i]!) ? NaN : Math.min(a, ys[i]!)), `min(${fmt(a)}, ${fmt(ys[i]!)})`).toBe(true);
      });
    });

    it(`${d}: max, min, clamp, select against constants (+-0 literals and closed-over arrays fold in the graph)`, async () => {
      const x = arr([...SPECIAL, -1.5, 1.5], d);
      const p = arr([1, 0, 1, 0, 1, 0, 1], "bool");
      for (const c of [0, -0]) {
        const k = arr([c], d, []);
        const kk = arr([c, c, c, c, c, c, c], d);
        const cases: [string, Fn][] = [
          [`max(x, ${fmt(c)})`, (v) => lax.max(v!, c)],
          [`max(${fmt(c)}, x)`, (v) => lax.max(c, v!)],
          [`min(x, ${fmt(c)})`, (v) => lax.min(v!, c)],
          [`min(${fmt(c)}, x)`, (v) => lax.min(c, v!)],
          [`max(x, [${fmt(c)}])`, (v) => lax.max(v!, near(v!, k))],
          [`min([${fmt(c)}], x)`, (v) => lax.min(near(v!, k), v!)],
          [`clamp(${fmt(c)}, x, 1)`, (v) => lax.clamp(near(v!, k), v!, near(v!, arr([1], d, [])))],
          [`clamp(-1, x, ${fmt(c)})`, (v) => lax.clamp(near(v!, arr([-1], d, [])), v!, near(v!, k))],
          [`select(p, x, ${fmt(c)})`, (v, q) => lax.select(q!, v!, near(v!, kk))],
          [`select(p, ${fmt(c)}, x)`, (v, q) => lax.select(q!, near(v!, kk), v!)],
          [`select(p, ${fmt(c)}, ${fmt(-c)})`, (v, q) => lax.select(q!, near(v!, kk), lax.neg(near(v!, kk)))],
        ];
        for (const [name, f] of cases) await expectSame(f, [x, p], `${name} ${d}`);
      }
    });

    it(`${d}: atan2 over every pair of special values (zeros and NaN exact)`, async () => {
      const [ys, xs] = pairs(BINARY);
      await expectSame((y, x) => lax.atan2(y!, x!), [arr(ys, d), arr(xs, d)], `atan2 ${d}`, { zerosOnly: true });
    });

    it(`${d}: clamp with signed zeros in lo, x and hi`, async () => {
      const vals = [-0, 0, -1, 1, NaN];
      const lo: number[] = [];
      const x: number[] = [];
      const hi: number[] = [];
      for (const l of [-0, 0, -1]) for (const v of vals) for (const h of [-0, 0, 1]) lo.push(l), x.push(v), hi.push(h);
      await expectSame((l, v, h) => lax.clamp(l!, v!, h!), [arr(lo, d), arr(x, d), arr(hi, d)], `clamp ${d}`);
      // Scalar bounds (broadcast), as jnp.clip passes them.
      await expectSame((v) => lax.clamp(arr([0], d, []), v!, arr([1], d, [])), [arr(vals, d)], `clamp(+0, x, 1) ${d}`);
      await expectSame((v) => lax.clamp(arr([-1], d, []), v!, arr([-0], d, [])), [arr(vals, d)], `clamp(-1, x, -0) ${d}`);
    });

    it(`${d}: select_n (bool and int32 selectors, 2 and 3 cases)`, async () => {
      const c = [...SPECIAL, -1.5];
      const a = arr(c, d);
      const b = arr([...c].reverse(), d);
      const e = arr([0, -0, -0, 0, NaN, -0], d);
      await expectSame((p, x, y) => lax.selectN(p!, x!, y!), [arr([1, 0, 1, 0, 1, 0], "bool"), a, b], `select_n bool ${d}`);
      await expectSame((p, x, y) => lax.selectN(p!, x!, y!), [arr([0, 0, 0, 0, 0, 0], "bool"), a, b], `select_n bool all false ${d}`);
      await expectSame((p, x, y) => lax.selectN(p!, x!, y!), [arr([1, 1, 1, 1, 1, 1], "bool"), a, b], `select_n bool all true ${d}`);
      await expectSame((p, x, y, z) => lax.selectN(p!, x!, y!, z!), [arr([0, 1, 2, 2, 1, 0], "int32"), a, b, e], `select_n int32 ${d}`);
      await expectSame((p, x, y, z) => lax.selectN(p!, x!, y!, z!), [arr([2, 2, 1, 0, 0, 1], "int32"), e, a, b], `select_n int32 ${d} (2)`);
    });

    it(`${d}: convert_element_type keeps -0 (float to float)`, async () => {
      const x = arr(UNARY, d);
      for (const to of FLOATS) await expectSame((v) => lax.convertElementType(v!, to), [x], `convert ${d} -> ${to}`);
    });
  }

  it("integers: select_n, max, min, clamp, sign (no signed zeros to lose; still exact)", async () => {
    for (const d of ["int8", "int32", "uint8", "uint32"]) {
      const signed = !d.startsWith("u");
      const v = signed ? [-3, 0, 2, -1, 5, 0] : [3, 0, 2, 1, 5, 0];
      const w = signed ? [0, -2, 2, 7, -5, 0] : [0, 2, 2, 7, 5, 0];
      const x = arr(v, d);
      const y = arr(w, d);
      await expectSame((p, a, b) => lax.selectN(p!, a!, b!), [arr([1, 0, 1, 0, 1, 0], "bool"), x, y], `select_n ${d}`);
      await expectSame((a, b) => lax.max(a!, b!), [x, y], `max ${d}`);
      await expectSame((a, b) => lax.min(a!, b!), [x, y], `min ${d}`);
      await expectSame((a) => lax.clamp(arr([0], d, []), a!, arr([2], d, [])), [x], `clamp ${d}`);
      await expectSame((a) => lax.sign(a!), [x], `sign ${d}`);
    }
  });
});

// ---------------------------------------------------------------------------

/** Rows of a [n, 2] array holding every pair of {-0, +0, -1, +1, NaN}: reductions along axis 1. */
const ROW_VALS = [-0, 0, -1, 1, NaN];
const [ROW_A, ROW_B] = pairs(ROW_VALS);
const ROWS = ROW_A.flatMap((a, i) => [a, ROW_B[i]!]);

/** JAX's max/min (IEEE 754-2019: NaN wins, +0 > -0) folded in order. */
const jmax = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
const jmin = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));

describe("reductions, scans, windows", () => {
  for (const d of FLOATS) {
    it(`${d}: reduce_max / reduce_min of -0 and +0 (in either order) give +0 / -0`, async () => {
      const x = arr(ROWS, d, [ROW_A.length, 2]);
      const want = (f: (a: number, b: number) => number) => arr(ROW_A.map((a, i) => f(a, ROW_B[i]!)), d);
      await expectSame((v) => lax.reduceMax(v!, [1]), [x], `reduce_max ${d}`, { want: want(jmax) });
      await expectSame((v) => lax.reduceMin(v!, [1]), [x], `reduce_min ${d}`, { want: want(jmin) });
      // Longer rows, zeros only, along axis 0 too.
      const long = [-0, -0, -0, 0, -0, -3, -0, -0];
      const rows = [long, long.map((v) => -v)];
      const y = arr(rows.flat(), d, [2, 8]);
      const fold = (xs: number[], f: (a: number, b: number) => number, init: number) => xs.reduce(f, init);
      await expectSame((v) => lax.reduceMax(v!, [1]), [y], `reduce_max long ${d}`, { want: arr(rows.map((r) => fold(r, jmax, -Infinity)), d) });
      await expectSame((v) => lax.reduceMin(v!, [1]), [y], `reduce_min long ${d}`, { want: arr(rows.map((r) => fold(r, jmin, Infinity)), d) });
      const cols = long.map((_, j) => [rows[0]![j]!, rows[1]![j]!]);
      await expectSame((v) => lax.reduceMax(v!, [0]), [y], `reduce_max axis 0 ${d}`, { want: arr(cols.map((c) => fold(c, jmax, -Infinity)), d) });
      await expectSame((v) => lax.reduceMin(v!, [0]), [y], `reduce_min axis 0 ${d}`, { want: arr(cols.map((c) => fold(c, jmin, Infinity)), d) });
      await expectSame((v) => lax.reduceMax(v!, [0, 1]), [y], `reduce_max all ${d}`, { want: arr([fold(rows.flat(), jmax, -Infinity)], d, []) });
      await expectSame((v) => lax.reduceMin(v!, [0, 1]), [y], `reduce_min all ${d}`, { want: arr([fold(rows.flat(), jmin, Infinity)], d, []) });
      // A row of zeros only: +0 wins max wherever it is, -0 wins min.
      const zrows = [
        [-0, -0, -0, 0],
        [0, -0, -0, -0],
        [-0, -0, -0, -0],
        [0, 0, 0, -0],
        [-0, 0, 0, 0],
        [0, 0, 0, 0],
      ];
      const zz = arr(zrows.flat(), d, [6, 4]);
      await expectSame((v) => lax.reduceMax(v!, [1]), [zz], `reduce_max zeros ${d}`, { want: arr(zrows.map((r) => fold(r, jmax, -Infinity)), d) });
      await expectSame((v) => lax.reduceMin(v!, [1]), [zz], `reduce_min zeros ${d}`, { want: arr(zrows.map((r) => fold(r, jmin, Infinity)), d) });
    });

    it(`${d}: reduce_sum, reduce_window_sum, cumsum of zeros (as the CPU backend: sums from +0)`, async () => {
      const zrows = [
        [-0, -0, -0, -0],
        [-0, 0, -0, -0],
        [0, 0, 0, 0],
        [-1, 1, -0, -0],
      ];
      const zz = arr(zrows.flat(), d, [4, 4]);
      await expectSame((v) => lax.reduceSum(v!, [1]), [zz], `reduce_sum ${d}`);
      await expectSame((v) => lax.reduceSum(v!, [0, 1]), [zz], `reduce_sum all ${d}`);
      await expectSame((v) => lax.reduceWindow(v!, 0, lax.add, [1, 2], [1, 1], "VALID"), [zz], `reduce_window_sum ${d}`);
      await expectSame((v) => lax.reduceWindow(v!, 0, lax.add, [2, 2], [1, 2], [[1, 0], [0, 1]]), [zz], `reduce_window_sum padded ${d}`);
      await expectSame((v) => lax.cumsum(v!, 1), [zz], `cumsum ${d}`);
    });

    it(`${d}: argmax / argmin over -0 and +0 pick the first (they compare equal)`, async () => {
      const x = arr(ROWS, d, [ROW_A.length, 2]);
      await expectSame((v) => lax.argmax(v!, 1), [x], `argmax ${d}`);
      await expectSame((v) => lax.argmin(v!, 1), [x], `argmin ${d}`);
    });

    it(`${d}: cummax / cummin (forward and reverse)`, async () => {
      const xs = [-0, 0, -0, -1, NaN, 0, -0];
      const scan = (vals: number[], f: (a: number, b: number) => number) => {
        const out: number[] = [];
        vals.forEach((v, i) => out.push(i === 0 ? v : f(out[i - 1]!, v)));
        return out;
      };
      const zs = [-0, -0, 0, -0, -1, -0, 0, 0];
      for (const vals of [xs, zs]) {
        const v = arr(vals, d);
        await expectSame((a) => lax.cummax(a!, 0), [v], `cummax ${d} [${vals.map(fmt)}]`, { want: arr(scan(vals, jmax), d) });
        await expectSame((a) => lax.cummin(a!, 0), [v], `cummin ${d} [${vals.map(fmt)}]`, { want: arr(scan(vals, jmin), d) });
        const rev = [...vals].reverse();
        await expectSame((a) => lax.cummax(a!, 0, true), [v], `cummax reverse ${d}`, { want: arr(scan(rev, jmax).reverse(), d) });
        await expectSame((a) => lax.cummin(a!, 0, true), [v], `cummin reverse ${d}`, { want: arr(scan(rev, jmin).reverse(), d) });
      }
    });

    it(`${d}: reduce_window_max / min with -0 and +0 in one window`, async () => {
      const xs = [-0, 0, -0, -0, 0, 0, -0, -1, NaN, -0];
      const x = arr(xs, d);
      const win = (f: (a: number, b: number) => number, init: number, w: number, pad: [number, number]) => {
        const p = [...globalThis.Array.from({ length: pad[0] }, () => init), ...xs, ...globalThis.Array.from({ length: pad[1] }, () => init)];
        const out: number[] = [];
        for (let i = 0; i + w <= p.length; i++) out.push(p.slice(i, i + w).reduce(f));
        return out;
      };
      for (const [w, pad] of [
        [2, [0, 0]],
        [3, [1, 1]],
      ] as [number, [number, number]][]) {
        await expectSame((v) => lax.reduceWindow(v!, -Infinity, lax.max, [w], [1], [pad]), [x], `reduce_window_max w=${w} ${d}`, {
          want: arr(win(jmax, -Infinity, w, pad), d),
        });
        await expectSame((v) => lax.reduceWindow(v!, Infinity, lax.min, [w], [1], [pad]), [x], `reduce_window_min w=${w} ${d}`, {
          want: arr(win(jmin, Infinity, w, pad), d),
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------

const sdn = new lax.ScatterDimensionNumbers({ updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] });
const gdn = new lax.GatherDimensionNumbers({ offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] });

describe("indexing and structural ops pass -0 through", () => {
  for (const d of FLOATS) {
    it(`${d}: scatter, scatter-add, scatter-max/min (IEEE ties, duplicate indices)`, async () => {
      const operand = [-0, 0, -0, 0, -0, 0, 1, -1];
      // Each operand element meets updates: 0 ← [+0], 1 ← [-0], 2 ← [-0, +0], 3 ← [-0, -0], 4 ← [-0], 5 ← [+0], 6 ← [-0], 7 ← [-0].
      const idx = [0, 1, 2, 2, 3, 3, 4, 5, 6, 7];
      const upd = [0, -0, -0, 0, -0, -0, -0, 0, -0, -0];
      const x = arr(operand, d);
      const i = arr(idx, "int32", [idx.length, 1]);
      const u = arr(upd, d);
      const combine = (f: (a: number, b: number) => number) => {
        const out = [...operand];
        idx.forEach((k, j) => (out[k] = f(out[k]!, upd[j]!)));
        return arr(out, d);
      };
      await expectSame((a, b, c) => lax.scatterMax(a!, b!, c!, sdn), [x, i, u], `scatter-max ${d}`, { want: combine(jmax) });
      await expectSame((a, b, c) => lax.scatterMin(a!, b!, c!, sdn), [x, i, u], `scatter-min ${d}`, { want: combine(jmin) });
      await expectSame((a, b, c) => lax.scatterAdd(a!, b!, c!, sdn), [x, i, u], `scatter-add ${d}`);
      // scatter: distinct indices (duplicates are unordered in XLA).
      const ui = arr([0, 1, 2, 3, 4], "int32", [5, 1]);
      await expectSame((a, b, c) => lax.scatter(a!, b!, c!, sdn, { uniqueIndices: true }), [x, ui, arr([-0, -0, 0, -0, NaN], d)], `scatter ${d}`);
      // Out-of-bounds updates dropped (FILL_OR_DROP).
      const oi = arr([0, 9, 3, -1], "int32", [4, 1]);
      await expectSame((a, b, c) => lax.scatterMax(a!, b!, c!, sdn, { mode: "drop" }), [x, oi, arr([0, 0, -0, 0], d)], `scatter-max drop ${d}`, {
        want: arr([0, 0, -0, 0, -0, 0, 1, -1], d),
      });
      await expectSame((a, b, c) => lax.scatterMin(a!, b!, c!, sdn, { mode: "drop" }), [x, oi, arr([0, 0, 0, 0], d)], `scatter-min drop ${d}`, {
        want: arr([-0, 0, -0, 0, -0, 0, 1, -1], d),
      });
    });

    it(`${d}: gather (also FILL_OR_DROP with a -0 fill), dynamic_slice, dynamic_update_slice`, async () => {
      const x = arr([-0, 0, -0, 1, NaN, -0], d);
      const i = arr([0, 2, 5, 1, 7, -1], "int32", [6, 1]);
      await expectSame((a, b) => lax.gather(a!, b!, gdn, [1], { mode: "clip" }), [x, i], `gather clip ${d}`);
      await expectSame((a, b) => lax.gather(a!, b!, gdn, [1], { mode: "fill", fillValue: -0 }), [x, i], `gather fill -0 ${d}`);
      await expectSame((a, b) => lax.gather(a!, b!, gdn, [1], { mode: "fill", fillValue: 0 }), [x, i], `gather fill +0 ${d}`);
      await expectSame((a, b) => lax.gather(a!, b!, gdn, [1], { mode: "fill" }), [x, i], `gather fill NaN ${d}`);
      await expectSame((a, s) => lax.dynamicSlice(a!, [s!], [3]), [x, arr([2], "int32", [])], `dynamic_slice ${d}`);
      await expectSame((a, u, s) => lax.dynamicUpdateSlice(a!, u!, [s!]), [x, arr([-0, 0], d), arr([3], "int32", [])], `dynamic_update_slice ${d}`);
    });

    it(`${d}: pad with a -0 (and +0) padding value: edges, interior, negative`, async () => {
      const x = arr([-0, 0, 1, -0], d, [2, 2]);
      for (const pv of [-0, 0]) {
        for (const cfg of [
          [
            [1, 1, 0],
            [0, 2, 0],
          ],
          [
            [0, 0, 1],
            [1, 0, 1],
          ],
          [
            [-1, 1, 1],
            [2, -1, 0],
          ],
        ]) {
          await expectSame((a) => lax.pad(a!, arr([pv], d, []), cfg), [x], `pad ${fmt(pv)} ${JSON.stringify(cfg)} ${d}`);
        }
      }
    });

    it(`${d}: sort / top_k keep -0 and +0 apart (equal keys, stable order)`, async () => {
      const x = arr([0, -0, -1, -0, 0, NaN, -0, 1], d);
      await expectSame((a) => lax.sort(a!), [x], `sort ${d}`);
      await expectSame((a) => lax.topK(a!, 5), [x], `top_k ${d}`);
      const vals = arr([-0, 0, -0, 0, -0, 0, -0, 0], d);
      await expectSame((k, v) => lax.sort([k!, v!], { numKeys: 1 }), [x, vals], `sort with values ${d}`);
    });

    it(`${d}: structural ops and control flow pass -0 through`, async () => {
      const x = arr([-0, 0, -0, 1, -0, NaN], d, [2, 3]);
      await expectSame(
        (a) => [
          lax.transpose(a!, [1, 0]),
          lax.reshape(a!, [3, 2]),
          lax.rev(a!, [1]),
          lax.slice(a!, [0, 1], [2, 3]),
          lax.concatenate([a!, a!], 0),
          lax.broadcastInDim(lax.reduceMax(a!, [0]), [4, 3], [1]),
        ],
        [x],
        `structural ${d}`,
      );
      await expectSame((a, p) => lax.cond(p!, (v: Array) => lax.neg(v), (v: Array) => v, a!), [x, arr([0], "bool", [])], `cond false ${d}`);
      await expectSame((a, p) => lax.cond(p!, (v: Array) => lax.neg(v), (v: Array) => v, a!), [x, arr([1], "bool", [])], `cond true ${d}`);
      await expectSame(
        (a) => lax.whileLoop((c: [Array, Array]) => lax.lt(c[0], 3), (c: [Array, Array]) => [lax.add(c[0], 1), lax.neg(c[1])] as [Array, Array], [arr([0], "int32", []), a!] as [Array, Array])[1],
        [x],
        `while ${d}`,
      );
    });
  }
});

// Type-level check that every float dtype name above is one core knows.
void ((): FloatName[] => [...FLOATS]);

describe("one-element reductions are reshapes (as XLA simplifies them)", () => {
  it("reduce_sum of a single -0 is -0, eagerly and under jit; two -0s sum to +0", async () => {
    await onnx();
    const s = (a: Array) => globalThis.Array.from(a.dataSync(), (v) => (Object.is(v, -0) ? "-0" : String(v)));
    for (const dtype of ["float32", "float64", "float16"] as const) {
      const one = toOnnx(array([-0], { dtype }));
      const col = toOnnx(array([[-0], [-0]], { dtype }));
      expect(s(lax.reduceSum(one, [0])), dtype).toEqual(["-0"]);
      expect(s(lax.reduceSum(col, [1])), dtype).toEqual(["-0", "-0"]);
      expect(s(jit((a: Array) => lax.reduceSum(a, [1]))(col)), dtype).toEqual(["-0", "-0"]);
      expect(s(lax.reduceSum(col, [0])), dtype).toEqual(["0"]);
      expect(s(lax.reduceMax(one, [0])), dtype).toEqual(["-0"]);
    }
  });
});
