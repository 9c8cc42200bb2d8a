// Running one row of a transformation spec table: JVP and VJP against finite
// differences (checkGrads, float arguments only; integer arguments such as
// indices are held fixed), vmap against a loop for several in_axes patterns
// (integer arguments batched too), jit against eager, and for linear functions
// the transposition identity <ct, f(x)> = <fᵀ(ct), x> through linearTranspose.
import { expect } from "vitest";
import { fromTyped, int32, type Array } from "../src/index.js";
import { linearTranspose } from "../src/transforms/jacobian.js";
import { checkGrads, checkJit, checkVmap, innerProd, randArray, randLike, rng } from "./check.js";

/**
 * An argument: a float64 array of a shape, random integers in [lo, hi), or
 * distinct integers drawn from [0, n) (for scatters promising unique indices).
 */
export type ArgSpec = number[] | { shape: number[]; ints: [number, number] } | { shape: number[]; uniqueInts: number };

export interface AdSpec {
  name: string;
  f: (...xs: Array[]) => Array;
  args: ArgSpec[];
  /** Batch axes to try (one entry per argument); default: all 0, all last, first only. */
  inAxes?: (number | null)[][];
  /** f is linear in its float arguments: check its transpose. */
  linear?: boolean;
  /** Differentiation order for checkGrads (default 2; 0 skips it). */
  order?: number;
  lo?: number;
  hi?: number;
  tol?: number;
}

const isFloat = (a: ArgSpec): a is number[] => globalThis.Array.isArray(a);
const shapeOf = (a: ArgSpec): number[] => (isFloat(a) ? a : a.shape);

function gen(a: ArgSpec, r: () => number, lo: number, hi: number): Array {
  if (isFloat(a)) return randArray(a, r, lo, hi);
  const n = a.shape.reduce((x, y) => x * y, 1);
  const out = new Int32Array(n);
  if ("ints" in a) {
    const [l, h] = a.ints;
    for (let i = 0; i < n; i++) out[i] = Math.min(h - 1, l + Math.floor(((r() + 1) / 2) * (h - l)));
  } else {
    const perm = [...globalThis.Array(a.uniqueInts).keys()];
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(((r() + 1) / 2) * (i + 1)));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    for (let i = 0; i < n; i++) out[i] = perm[i]!;
  }
  return fromTyped(out, a.shape, int32);
}

/** `size` independent draws of an argument, stacked along `axis`. */
function genBatched(a: ArgSpec, axis: number, size: number, r: () => number, lo: number, hi: number): Array {
  const xs = globalThis.Array.from({ length: size }, () => gen(a, r, lo, hi));
  const shape = shapeOf(a);
  const inner = shape.slice(axis).reduce((x, y) => x * y, 1);
  const outer = shape.slice(0, axis).reduce((x, y) => x * y, 1);
  const out = new xs[0]!.dtype.storage(inner * outer * size);
  xs.forEach((x, b) => {
    const d = x.dataSync();
    for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) out[(o * size + b) * inner + k] = d[o * inner + k]!;
  });
  return fromTyped(out, [...shape.slice(0, axis), size, ...shape.slice(axis)], xs[0]!.dtype);
}

export function runAdSpec(s: AdSpec): void {
  const r = rng([...s.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
  const lo = s.lo ?? -1;
  const hi = s.hi ?? 1;
  const tol = s.tol ?? 1e-6;
  const args = s.args.map((a) => gen(a, r, lo, hi));
  const floatIdx = s.args.flatMap((a, i) => (isFloat(a) ? [i] : []));
  // f as a function of its float arguments, the others held at `args`.
  const onFloats = (...xs: Array[]) => {
    const full = [...args];
    floatIdx.forEach((i, k) => (full[i] = xs[k]!));
    return s.f(...full);
  };
  const floats = floatIdx.map((i) => args[i]!);

  if ((s.order ?? 2) > 0) checkGrads(onFloats, floats, s.order ?? 2, { rtol: tol, atol: tol, eps: 1e-5 });

  const n = s.args.length;
  const variants = s.inAxes ?? [
    s.args.map(() => 0),
    s.args.map((a) => shapeOf(a).length),
    s.args.map((_, i) => (i === 0 ? 0 : null)),
  ];
  for (const inAxes of variants) {
    expect(inAxes.length, `${s.name}: inAxes ${JSON.stringify(inAxes)} has one entry per argument`).toBe(n);
    const batched = s.args.map((a, i) => (inAxes[i] === null ? args[i]! : genBatched(a, inAxes[i]!, 3, r, lo, hi)));
    checkVmap(s.f, batched, { inAxes, tol: { rtol: 1e-12, atol: 1e-12 } });
  }

  checkJit(s.f, args);

  if (s.linear) {
    const fT = linearTranspose(onFloats, ...floats);
    const out = onFloats(...floats);
    const ct = randLike(out, r);
    const cts = fT(ct) as Array[];
    cts.forEach((c, i) => expect(c.shape, `${s.name}: transpose output ${i} shape`).toEqual(floats[i]!.shape));
    const lhs = innerProd([ct], [out]);
    const rhs = innerProd(cts, floats);
    expect(Math.abs(lhs - rhs), `${s.name}: <ct, f(x)> = ${lhs} vs <fᵀ(ct), x> = ${rhs}`).toBeLessThanOrEqual(
      1e-10 * (1 + Math.abs(lhs)),
    );
  }
}
