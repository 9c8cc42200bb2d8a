// The fast, exact lowerings of max/min and what relu, clamp and max pooling (and
// their gradients) bind: max/min against a constant the graph fixes (relu's 0,
// clamp's bounds), select_n of values that cannot be -0, integer div/rem by a
// constant divisor.
//
// Each case runs on onnx eagerly (operands are program inputs: the general
// lowerings) and under jit (literals and broadcast constants are in the graph:
// the fast lowerings; `fastOps` checks which ONNX ops a jitted graph holds),
// compares every element with Object.is (NaN = NaN), and must not fall back to
// the CPU backend. References: plain-JS IEEE 754-2019 maximum/minimum (NaN
// wins, -0 < +0) and the CPU backend (checked against JAX).
import { describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { ModelProtoSchema } from "onnx-buf";
import { array, dtype, jit, lax, setDefaultBackend, vjp, type Array } from "@jaxts/core";
import { exportOnnx } from "../src/index.js";
import { arr, type ArrayFn, expectSameBits, fmtBits, guardFallbacks, sameBits, toOnnx } from "./harness.js";


const expectNoFallback = guardFallbacks();

const FLOATS = ["float32", "float64", "float16"] as const;
type FloatName = (typeof FLOATS)[number];
/** The smallest positive subnormal of each float type. */
const TINY: Record<FloatName, number> = { float16: 2 ** -24, float32: 2 ** -149, float64: 2 ** -1074 };

/** A CPU array of dtype `d` (values exact in `d`). */

const fmt = fmtBits;
const same = sameBits;
/** JAX's max/min: IEEE 754-2019 maximum/minimum (NaN wins, +0 > -0); Math.max/min are exactly that. */
const jmax = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
const jmin = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));

type Fn = ArrayFn;
const list = (r: Array | Array[]) => (globalThis.Array.isArray(r) ? r : [r]);

/** f on onnx, eagerly and under jit, equals `want` (default: f on the CPU backend) bit for bit. */
function expectSame(f: Fn, args: Array[], label: string, want?: Array[]): Promise<void> {
  // Constants f makes (broadcasts of literals) on onnx too when it runs eagerly.
  const onOnnx = <T>(run: () => T): T => {
    setDefaultBackend("onnx");
    try {
      return run();
    } finally {
      setDefaultBackend("cpu");
    }
  };
  return expectSameBits(f, args, label, { want, onOnnx, after: expectNoFallback });
}

/** The ONNX op types (Constant and Identity left out) of f's jitted graph, in order, subgraphs' (If branches) after their node. */
function graphOps(f: Fn, args: Array[]): string[] {
  const m = fromBinary(ModelProtoSchema, exportOnnx(f, toOnnx(args)));
  const ops = (nodes: readonly any[]): string[] =>
    nodes.flatMap((n) => [n.opType as string, ...n.attribute.flatMap((a: any) => (a.g ? ops(a.g.node) : []))]);
  return ops(m.graph!.node).filter((o) => o !== "Constant" && o !== "Identity");
}

/** A constant broadcast inside the function: broadcast_in_dim of a literal (-0 included). */
const bcast = (c: number, d: string, shape: number[]) => lax.broadcastInDim(array(c, { dtype: d }), shape, []);
/** As jax's VJPs build constants: convert_element_type of a literal, then broadcast_in_dim. */
const bcastCvt = (c: number, d: string, shape: number[]) => lax.broadcastInDim(lax.convertElementType(c, d), shape, []);

// ---------------------------------------------------------------------------

describe("max / min against a constant", () => {
  for (const d of FLOATS) {
    const t = TINY[d];
    const X = [-0, 0, NaN, Infinity, -Infinity, 1, -1, 1.5, -1.5, t, -t, 2 * t, -2 * t, 3, -3];
    const C = [0, -0, NaN, Infinity, -Infinity, 1, -1, 1.5, -1.5, t, -t];

    it(`${d}: max/min(x, c), (c, x), broadcast c, clamp: every constant against every edge value`, async () => {
      const x = arr(X, d);
      const n = X.length;
      for (const c of C) {
        const f: Fn = (v) => [
          lax.max(v!, c),
          lax.max(c, v!),
          lax.min(v!, c),
          lax.min(c, v!),
          lax.max(v!, bcast(c, d, [n])),
          lax.min(bcast(c, d, [n]), v!),
        ];
        const want = [
          X.map((a) => jmax(a, c)),
          X.map((a) => jmax(c, a)),
          X.map((a) => jmin(a, c)),
          X.map((a) => jmin(c, a)),
          X.map((a) => jmax(a, c)),
          X.map((a) => jmin(c, a)),
        ].map((w) => arr(w, d));
        // The CPU backend agrees with the plain-JS reference.
        list(f(x)).forEach((r, k) => expect(globalThis.Array.from(r.dataSync(), fmt), `cpu ${k} c=${fmt(c)}`).toEqual(globalThis.Array.from(want[k]!.dataSync(), fmt)));
        await expectSame(f, [x], `${d} c=${fmt(c)}`, want);
      }
    });

    it(`${d}: clamp with constant bounds (zeros of both signs, NaN, infinities)`, async () => {
      const x = arr(X, d);
      const bounds: [number, number][] = [
        [0, 1],
        [-0, 1],
        [-1, 0],
        [-1, -0],
        [-0, 0],
        [0, -0],
        [-Infinity, Infinity],
        [-1.5, 1.5],
        [NaN, 1],
        [-1, NaN],
      ];
      for (const [lo, hi] of bounds) {
        const want = arr(
          X.map((a) => jmin(jmax(a, lo), hi)),
          d,
        );
        await expectSame((v) => lax.clamp(lo, v!, hi), [x], `${d} clamp(${fmt(lo)}, x, ${fmt(hi)})`, [want]);
      }
    });

    it(`${d}: a scalar against a broadcast constant gives the broadcast shape`, async () => {
      for (const s of [-0, 0, NaN, -2, 2]) {
        for (const c of [0, -0, 1, -1]) {
          const want = [arr([jmax(s, c), jmax(s, c), jmax(s, c)], d), arr([jmin(c, s), jmin(c, s), jmin(c, s)], d)];
          await expectSame((v) => [lax.max(v!, bcast(c, d, [3])), lax.min(bcast(c, d, [3]), v!)], [arr([s], d, [])], `${d} scalar ${fmt(s)} vs [3] of ${fmt(c)}`, want);
        }
      }
    });

    it(`${d}: relu on a long array (every position of the vector kernels) and its gradient's select_n`, async () => {
      const vals = [-0, 0, NaN, -1, 1, Infinity, -Infinity, t, -t];
      const xs = globalThis.Array.from({ length: 1031 }, (_, i) => vals[(i * 7 + (i >> 3)) % vals.length]!);
      const x = arr(xs, d);
      await expectSame((v) => lax.max(v!, 0), [x], `${d} relu long`, [arr(xs.map((a) => jmax(a, 0)), d)]);
      // relu's VJP as jax builds it: select_n of broadcast constants (1, 0.5, 0).
      const n = xs.length;
      const reluGrad: Fn = (v) => {
        const r = lax.max(v!, 0);
        const j = lax.eq(v!, r);
        const k = lax.eq(bcastCvt(0, d, [n]), r);
        const p = lax.selectN(k, bcastCvt(1, d, [n]), bcastCvt(0.5, d, [n]));
        return lax.selectN(j, bcastCvt(0, d, [n]), p);
      };
      await expectSame(reluGrad, [x], `${d} relu grad select_n`);
      const ops = graphOps(reluGrad, [x]);
      expect(ops.filter((o) => o === "Where").length, `${d} relu grad: one Where per select_n (${ops})`).toBe(2);
      expect(ops.includes("Reciprocal") || ops.includes("Mul"), `${d} relu grad: no exact-max or exact-select fix-ups (${ops})`).toBe(false);
    });

    it(`${d}: the jitted graphs take the constant paths`, () => {
      const x = arr(X, d);
      const ops = (f: Fn) => graphOps(f, [x]);
      expect(ops((v) => lax.max(v!, 0))).toEqual(["Relu", "Abs"]);
      expect(ops((v) => lax.max(0, v!))).toEqual(["Relu", "Abs"]);
      expect(ops((v) => lax.max(v!, 1.5))).toEqual(["LessOrEqual", "Where"]);
      expect(ops((v) => lax.min(v!, 0))).toEqual(["Greater", "Where"]);
      expect(ops((v) => lax.min(v!, -1))).toEqual(["GreaterOrEqual", "Where"]);
      expect(ops((v) => lax.max(v!, NaN))).toEqual(["Add"]);
      expect(ops((v) => lax.max(v!, -0))).toEqual(["Less", "Where", "Where", "Mul"]);
      expect(ops((v) => lax.clamp(0, v!, 1))).toEqual(["Relu", "Abs", "GreaterOrEqual", "Where"]);
    });
  }
});

describe("select_n of values that cannot be -0", () => {
  for (const d of FLOATS) {
    it(`${d}: select against constants of either sign and a value that may be -0`, async () => {
      const X = [-0, 0, NaN, Infinity, -Infinity, -1.5, 1.5, -0, 0, -0];
      const n = X.length;
      const x = arr(X, d);
      const p = arr([1, 0, 1, 0, 1, 0, 1, 0, 1, 0], "bool");
      for (const c of [0, -0, 1, NaN]) {
        const cases: [string, Fn][] = [
          [`select(p, x, ${fmt(c)})`, (v, q) => lax.select(q!, v!, bcast(c, d, [n]))],
          [`select(p, ${fmt(c)}, x)`, (v, q) => lax.select(q!, bcast(c, d, [n]), v!)],
          [`select(p, ${fmt(c)}, -x)`, (v, q) => lax.select(q!, bcast(c, d, [n]), lax.neg(v!))],
          [`select(p, |x|, x)`, (v, q) => lax.select(q!, lax.abs(v!), v!)],
          [`select(p, x, |x|)`, (v, q) => lax.select(q!, v!, lax.abs(v!))],
          [`select_n(i, ${fmt(c)}, x, 2)`, (v, q) => lax.selectN(lax.add(lax.convertElementType(q!, "int32"), lax.convertElementType(lax.lt(v!, 0), "int32")), bcast(c, d, [n]), v!, bcast(2, d, [n]))],
        ];
        for (const [name, f] of cases) await expectSame(f, [x, p], `${d} ${name}`);
      }
    });
  }
});

describe("integer div / rem by a constant", () => {
  const INTS: [string, number, number][] = [
    ["int8", -128, 127],
    ["int16", -32768, 32767],
    ["int32", -(2 ** 31), 2 ** 31 - 1],
    ["uint8", 0, 255],
    ["uint16", 0, 65535],
    ["uint32", 0, 2 ** 32 - 1],
  ];
  for (const [d, lo, hi] of INTS) {
    it(`${d}: every edge dividend against constant divisors (0, -1, 1, the extremes, small ones)`, async () => {
      const X = [...new Set([lo, lo + 1, -7, -3, -2, -1, 0, 1, 2, 3, 7, hi - 1, hi].filter((v) => v >= lo && v <= hi))];
      const C = [...new Set([0, -1, 1, 2, -2, 3, -3, 7, lo, hi, lo + 1].filter((v) => v >= lo && v <= hi))];
      const x = arr(X, d);
      for (const c of C) {
        const k = () => array(c, { dtype: d });
        await expectSame((v) => [lax.div(v!, k()), lax.rem(v!, k())], [x], `${d} x / ${c}, x % ${c}`);
        await expectSame((v) => [lax.div(k(), v!), lax.rem(k(), v!)], [x], `${d} ${c} / x, ${c} % x`);
        // Broadcast: a full-size constant dividend (no DivMulFusion), and x * (1 / c) after it.
        await expectSame((v) => [lax.rem(bcast(c, d, [X.length]), v!), lax.mul(lax.div(bcast(1, d, [X.length]), v!), v!)], [x], `${d} [${c}] % x`);
        if (c !== 0 && c !== -1) {
          const ops = graphOps((v) => [lax.div(v!, k()), lax.rem(v!, k())], [x]);
          expect(ops.includes("Where") || ops.includes("Mod"), `${d} / ${c}: plain Div, rem by Div/Mul/Sub (${ops})`).toBe(false);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------

/** lax.reduce_window max/min (no base dilation) in plain JS: the IEEE fold from the identity over each window. */
function windowRef(
  xs: readonly number[],
  shape: readonly number[],
  kind: "max" | "min",
  win: readonly number[],
  strides: readonly number[],
  pads: readonly (readonly [number, number])[],
  dil: readonly number[],
): { values: number[]; shape: number[] } {
  const nd = shape.length;
  const out = shape.map((n, a) => {
    const p = n + pads[a]![0] + pads[a]![1];
    const w = (win[a]! - 1) * dil[a]! + 1;
    return p < w ? 0 : Math.floor((p - w) / strides[a]!) + 1;
  });
  const f = kind === "max" ? jmax : jmin;
  const init = kind === "max" ? -Infinity : Infinity;
  const strideOf = shape.map((_, a) => shape.slice(a + 1).reduce((p, q) => p * q, 1));
  const values: number[] = [];
  const total = out.reduce((p, q) => p * q, 1);
  for (let flat = 0; flat < total; flat++) {
    const o: number[] = [];
    let r = flat;
    for (let a = nd - 1; a >= 0; a--) (o[a] = r % out[a]!), (r = Math.floor(r / out[a]!));
    let acc = init;
    const visit = (a: number, off: number, inside: boolean): void => {
      if (a === nd) {
        acc = f(acc, inside ? xs[off]! : init);
        return;
      }
      for (let k = 0; k < win[a]!; k++) {
        const q = o[a]! * strides[a]! + k * dil[a]! - pads[a]![0];
        const ok = q >= 0 && q < shape[a]!;
        visit(a + 1, off + (ok ? q : 0) * strideOf[a]!, inside && ok);
      }
    };
    visit(0, 0, true);
    values.push(acc);
  }
  return { values, shape: out };
}

describe("max / min pooling by MaxPool where it is exact, the per-tap form otherwise", () => {
  interface Geo {
    name: string;
    shape: number[];
    win: number[];
    strides: number[];
    pads: [number, number][];
    dil?: number[];
  }
  const geos: Geo[] = [
    { name: "2x2 stride 2 (NCHW)", shape: [2, 3, 4, 4], win: [1, 1, 2, 2], strides: [1, 1, 2, 2], pads: [[0, 0], [0, 0], [0, 0], [0, 0]] },
    { name: "3x3 stride 1 SAME", shape: [1, 2, 5, 5], win: [1, 1, 3, 3], strides: [1, 1, 1, 1], pads: [[0, 0], [0, 0], [1, 1], [1, 1]] },
    { name: "3x3 stride 2, odd sizes", shape: [2, 7, 5], win: [1, 3, 3], strides: [1, 2, 2], pads: [[0, 0], [0, 0], [0, 0]] },
    { name: "1-D window 3 stride 2", shape: [3, 9], win: [1, 3], strides: [1, 2], pads: [[0, 0], [1, 0]] },
    { name: "3-D window", shape: [2, 3, 3, 4], win: [1, 2, 2, 2], strides: [1, 1, 1, 2], pads: [[0, 0], [0, 0], [0, 0], [0, 0]] },
    { name: "window dilation", shape: [2, 3, 8], win: [1, 2, 3], strides: [1, 1, 2], pads: [[0, 0], [0, 0], [0, 0]], dil: [1, 1, 2] },
    { name: "negative padding (crop)", shape: [4, 7], win: [1, 2], strides: [1, 1], pads: [[0, 0], [-1, 1]] },
    { name: "pooled leading axis", shape: [6, 5], win: [2, 1], strides: [2, 1], pads: [[0, 0], [0, 0]] },
    { name: "4 pooled axes (not MaxPool)", shape: [2, 2, 3, 3], win: [2, 2, 2, 2], strides: [1, 1, 1, 1], pads: [[0, 0], [0, 0], [0, 0], [0, 0]] },
    { name: "windows of padding alone (not MaxPool)", shape: [2, 4], win: [1, 1], strides: [1, 1], pads: [[0, 0], [2, 0]] },
  ];

  for (const d of FLOATS) {
    const t = TINY[d];
    const lowest = d === "float16" ? -65504 : d === "float32" ? -3.4028234663852886e38 : -Number.MAX_VALUE;
    /** Data sets for an operand of n elements: some take MaxPool's branch, some the per-tap one. */
    const data = (n: number): [string, number[]][] => {
      const pick = (vals: number[], seed: number) => globalThis.Array.from({ length: n }, (_, i) => vals[(i * 7 + seed + ((i * i) >> 2)) % vals.length]!);
      return [
        ["finite, +0, no -0", pick([0, 1, -1, 2.5, -3, 0, 7, -0.5, t, -t], 1)],
        ["relu-like (mostly +0)", pick([0, 0, 0, 1.5, 0, 3], 2)],
        ["-0 and negatives, no +0", pick([-0, -1, -0, -2, -0, -t], 3)],
        ["+0 and -0 mixed", pick([0, -0, -0, -1, 0, -0, -0, 1], 4)],
        ["zeros of both signs only", pick([-0, -0, 0, -0, -0, -0, -0], 5)],
        ["NaN here and there", pick([1, NaN, -1, 0, -0, 2, -Infinity, 3, 4], 6)],
        ["-inf windows", pick([-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 1, -Infinity, -Infinity], 7)],
        ["+inf windows", pick([Infinity, Infinity, Infinity, Infinity, -1, Infinity, Infinity], 8)],
        ["lowest finite with -inf", pick([lowest, -Infinity, lowest, -Infinity, -Infinity], 9)],
        ["lowest finite, no infinities", pick([lowest, lowest, -1, lowest], 10)],
      ];
    };

    for (const geo of geos) {
      it(`${d}: ${geo.name}`, async () => {
        const dil = geo.dil ?? geo.shape.map(() => 1);
        const n = geo.shape.reduce((p, q) => p * q, 1);
        for (const kind of ["max", "min"] as const) {
          const f: Fn = (v) =>
            lax.reduceWindow(v!, kind === "max" ? -Infinity : Infinity, kind === "max" ? lax.max : lax.min, geo.win, geo.strides, geo.pads, { windowDilation: dil });
          for (const [name, xs] of data(n)) {
            const ref = windowRef(xs, geo.shape, kind, geo.win, geo.strides, geo.pads, dil);
            await expectSame(f, [arr(xs, d, geo.shape)], `${d} ${geo.name} ${kind} [${name}]`, [arr(ref.values, d, ref.shape)]);
          }
          const ops = graphOps(f, [arr(data(n)[0]![1], d, geo.shape)]);
          const pooled = !geo.name.includes("not MaxPool");
          expect(ops.includes("MaxPool"), `${d} ${geo.name} ${kind}: MaxPool (${ops})`).toBe(pooled);
        }
      });
    }
  }

  it("integers keep the per-tap form (no NaN, no signed zeros)", async () => {
    for (const d of ["int8", "int32", "uint8", "int16"]) {
      const xs = [3, 0, 7, 1, 2, 9, 4, 4, 5, 0, 1, 6];
      const win = [1, 2];
      const ref = windowRef(xs, [3, 4], "max", win, [1, 1], [[0, 0], [0, 1]], [1, 1]);
      const init = d.startsWith("u") ? 0 : d === "int8" ? -128 : d === "int16" ? -32768 : -(2 ** 31);
      await expectSame((v) => lax.reduceWindow(v!, init, lax.max, win, [1, 1], [[0, 0], [0, 1]]), [arr(xs, d, [3, 4])], `${d} window max`, [
        arr(ref.values.map((v) => (v === -Infinity ? init : v)), d, ref.shape),
      ]);
    }
  });
});

// ---------------------------------------------------------------------------

describe("argmax / argmin: ArgMax alone where the operand has no NaN", () => {
  /** JAX's argmax/argmin: the first NaN, else the first extremum (-0 and +0 compare equal). */
  const argRef = (row: number[], kind: "max" | "min") => {
    const nan = row.findIndex((v) => Number.isNaN(v));
    if (nan >= 0) return nan;
    let best = 0;
    row.forEach((v, i) => {
      if (kind === "max" ? v > row[best]! : v < row[best]!) best = i;
    });
    return best;
  };
  for (const d of FLOATS) {
    it(`${d}: rows with and without NaN, ties of +-0, infinities, along either axis`, async () => {
      const t = TINY[d];
      const sets: [string, number[][]][] = [
        [
          "no NaN",
          [
            [-0, 0, -1, 0],
            [0, -0, -0, -1],
            [-Infinity, -Infinity, -Infinity, -Infinity],
            [Infinity, 1, Infinity, -Infinity],
            [t, -t, 2 * t, 2 * t],
            [-2, -3, -1.5, -1.5],
          ],
        ],
        [
          "NaN in some rows",
          [
            [1, NaN, 3, NaN],
            [NaN, -Infinity, Infinity, 0],
            [-0, 0, -1, 0],
            [Infinity, Infinity, 2, NaN],
            [NaN, NaN, NaN, NaN],
            [-2, -3, -1.5, -1.5],
          ],
        ],
        [
          "+inf and -inf, no NaN",
          [
            [Infinity, -Infinity, 0, 1],
            [-Infinity, Infinity, -0, 0],
            [1, 2, 3, 4],
            [0, 0, 0, 0],
            [-1, -1, -1, -1],
            [2, 1, 2, 1],
          ],
        ],
      ];
      for (const [name, rows] of sets) {
        const x = arr(rows.flat(), d, [rows.length, 4]);
        const cols = rows[0]!.map((_, j) => rows.map((r) => r[j]!));
        for (const kind of ["max", "min"] as const) {
          const f = kind === "max" ? lax.argmax : lax.argmin;
          await expectSame((v) => f(v!, 1), [x], `${d} arg${kind} rows [${name}]`, [arr(rows.map((r) => argRef(r, kind)), "int32")]);
          await expectSame((v) => f(v!, 0), [x], `${d} arg${kind} cols [${name}]`, [arr(cols.map((c) => argRef(c, kind)), "int32")]);
        }
      }
      expect(graphOps((v) => lax.argmax(v!, 1), [arr([1, 2, 3, 4], d, [2, 2])])).toContain("If");
    });
  }

  it("max pooling's VJP (argmax over stacked window views) with ties, NaN and -inf", async () => {
    const pool = (h: Array) => lax.reduceWindow(h, -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2], "VALID");
    const poolVjp: Fn = (v, ct) => {
      const [, back] = vjp(pool, v!);
      return back(ct!)[0];
    };
    const sets: number[][] = [
      [0, 0, 0, 0, 1, 2, 2, 1, -0, 0, -1, -0, -Infinity, -Infinity, -Infinity, -Infinity],
      [NaN, 1, 2, NaN, -Infinity, NaN, 3, 3, 0, -0, -0, 0, 5, 4, 4, 5],
    ];
    for (const xs of sets) {
      const x = arr(xs, "float32", [1, 1, 4, 4]);
      const ct = arr([1, 2, 3, 4], "float32", [1, 1, 2, 2]);
      await expectSame(poolVjp, [x, ct], `pool vjp [${xs.map(fmt)}]`);
    }
  });
});

// ---------------------------------------------------------------------------

describe("scatter drops out-of-bounds windows without clamping their starts", () => {
  it("scatter-add / scatter-max with windows partly and wholly out of bounds, every mode", async () => {
    // Operand [5, 4]; windows of [1, 2] at (row, col) starts, some out of bounds.
    const dn = new lax.ScatterDimensionNumbers({ updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0, 1] });
    const starts = [
      [0, 0],
      [4, 2],
      [4, 3],
      [-1, 0],
      [2, -1],
      [5, 0],
      [1, 2],
      [2147483647, 1],
      [-2147483648, 2],
      [3, 1],
    ];
    const x = arr(globalThis.Array.from({ length: 20 }, (_, i) => i - 7), "float32", [5, 4]);
    const idx = arr(starts.flat(), "int32", [starts.length, 2]);
    const upd = arr(globalThis.Array.from({ length: starts.length * 2 }, (_, i) => (i % 3) - 1.5), "float32", [starts.length, 2]);
    for (const mode of ["clip", "drop", "promise_in_bounds"] as const) {
      await expectSame((a, i, u) => lax.scatterAdd(a!, i!, u!, dn, { mode }), [x, idx, upd], `scatter-add ${mode}`);
      await expectSame((a, i, u) => lax.scatterMax(a!, i!, u!, dn, { mode }), [x, idx, upd], `scatter-max ${mode}`);
    }
    const ops = graphOps((a, i, u) => lax.scatterAdd(a!, i!, u!, dn, { mode: "drop" }), [x, idx, upd]);
    expect(ops.filter((o) => o === "Where").length, `drop: one Where (the scratch index), no clamps (${ops})`).toBe(1);
  });
});

// ---------------------------------------------------------------------------

describe("max / min of two operands (no constant): ORT's Max/Min propagate NaN, zero ties fixed", () => {
  for (const d of FLOATS) {
    it(`${d}: every pair of edge values, same shape and a broadcast scalar operand`, async () => {
      const t = TINY[d];
      const V = [-0, 0, NaN, Infinity, -Infinity, 1, -1, 1.5, -1.5, t, -t, 2 * t, -2 * t];
      const xs: number[] = [];
      const ys: number[] = [];
      for (const a of V) for (const b of V) xs.push(a), ys.push(b);
      const x = arr(xs, d);
      const y = arr(ys, d);
      await expectSame((a, b) => [lax.max(a!, b!), lax.min(a!, b!)], [x, y], `${d} pairs`, [arr(xs.map((a, i) => jmax(a, ys[i]!)), d), arr(xs.map((a, i) => jmin(a, ys[i]!)), d)]);
      for (const s of V) {
        const want = [arr(V.map((a) => jmax(a, s)), d), arr(V.map((a) => jmin(s, a)), d)];
        await expectSame((a, b) => [lax.max(a!, b!), lax.min(b!, a!)], [arr(V, d), arr([s], d, [])], `${d} vs scalar ${fmt(s)}`, want);
      }
      const ops = graphOps((a, b) => lax.max(a!, b!), [x, y]);
      expect(ops, `${d} max: ORT Max + zero-tie fix`).toEqual(["Max", "Reciprocal", "Reciprocal", "Max", "Greater", "Equal", "And", "Where"]);
    });
  }
});

describe("select_n of broadcast constants reads scalars", () => {
  it("splat cases become scalars broadcast by Where (full-shape and scalar selectors, int and bool)", async () => {
    for (const d of ["float32", "float16", "int32", "int8", "uint32"]) {
      const n = 6;
      const p = arr([1, 0, 1, 0, 0, 1], "bool");
      const i = arr([0, 1, 2, 2, 1, 0], "int32");
      const c = (v: number) => bcast(v, d, [n]);
      const x = arr([5, 6, 7, 8, 9, 10], d);
      await expectSame((q, v) => lax.selectN(q!, c(1), v!), [p, x], `${d} select_n(p, 1, x)`);
      await expectSame((q, v) => lax.selectN(q!, c(0), c(d.startsWith("float") ? -0 : 3)), [p, x], `${d} select_n(p, 0, c)`);
      await expectSame((q, v) => lax.selectN(q!, c(2), v!, c(4)), [i, x], `${d} select_n(i, 2, x, 4)`);
      // A scalar selector keeps the cases' shape.
      await expectSame((q) => lax.selectN(q!, c(1), c(2)), [arr([1], "bool", [])], `${d} select_n(scalar p, 1, 2)`);
      await expectSame((q) => lax.selectN(q!, bcast(1, d, [1, 1]), bcast(2, d, [1, 1])), [arr([0], "bool", [])], `${d} select_n(scalar p, [[1]], [[2]])`);
    }
    // The Where reads Constant nodes (scalars), not the broadcasts (dead nodes ORT folds away).
    const m = fromBinary(ModelProtoSchema, exportOnnx((q: Array) => lax.selectN(q, bcast(0.5, "float32", [4]), bcast(1, "float32", [4])), toOnnx([arr([1, 0, 1, 0], "bool")])));
    const producer = new Map(m.graph!.node.flatMap((nd) => nd.output.map((o) => [o, nd] as const)));
    const wheres = m.graph!.node.filter((nd) => nd.opType === "Where");
    expect(wheres.length).toBe(1);
    for (const inp of wheres[0]!.input.slice(1)) {
      const pn = producer.get(inp)!;
      expect(pn.opType, "a Where input").toBe("Constant");
      expect((pn.attribute[0]!.t as any).dims.length, "a scalar").toBe(0);
    }
  });
});
