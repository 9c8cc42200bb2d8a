// Transformation checks in the style of JAX's jax.test_util.check_grads:
// JVPs against central finite differences, VJPs by the transposition identity
// <u, J v> = <Jᵀu, v>, recursively up to a given order; vmap against a loop of
// unbatched calls; jit against eager. Arithmetic on the check side is plain JS
// over dataSync() values, independent of the library under test.
import { expect } from "vitest";
import { Array, dtype, float64, fromTyped, jit, jvp, tree, vjp, vmap, type DType } from "../src/index.js";

/** Deterministic uniform numbers in [-1, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

export function randLike(x: Array, r: () => number): Array {
  const d = new x.dtype.storage(x.size);
  for (let i = 0; i < d.length; i++) d[i] = r();
  return fromTyped(d, x.shape, x.dtype);
}

/** A random float64 array of a shape, values in [lo, hi). */
export function randArray(shape: number[], r: () => number, lo = -1, hi = 1, dtype: DType | string = "float64"): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + ((r() + 1) / 2) * (hi - lo);
  const a = fromTyped(d, shape, float64);
  return dtype === "float64" || dtype === float64 ? a : a.astype(dtype);
}

const leavesOf = (t: unknown): Array[] => tree.leaves(t).map((l) => l as Array);
const vals = (x: Array): number[] => [...x.dataSync()];

function axpy(a: number, xs: Array[], ys: Array[]): Array[] {
  return xs.map((x, i) => {
    const xv = x.dataSync();
    const yv = ys[i]!.dataSync();
    const out = new x.dtype.storage(xv.length);
    for (let k = 0; k < xv.length; k++) out[k] = xv[k]! + a * yv[k]!;
    return fromTyped(out, x.shape, x.dtype);
  });
}

/** Sum over leaves of elementwise products: <xs, ys> for transpose checks. */
export function innerProd(xs: Array[], ys: Array[]): number {
  let s = 0;
  xs.forEach((x, i) => {
    const a = x.dataSync();
    const b = ys[i]!.dataSync();
    for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  });
  return s;
}

export interface Tol {
  rtol?: number;
  atol?: number;
  eps?: number;
}

function expectClose(got: Array[], want: Array[], tol: Tol, what: string): void {
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-5;
  expect(got.length, `${what}: number of outputs`).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.shape, `${what}: shape of output ${i}`).toEqual(want[i]!.shape);
    const gv = vals(g);
    const wv = vals(want[i]!);
    const bad: string[] = [];
    gv.forEach((v, k) => {
      const w = wv[k]!;
      const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= atol + rtol * Math.abs(w);
      if (!ok && bad.length < 4) bad.push(`[${k}] got ${v}, expected ${w}`);
    });
    expect(bad, `${what}: output ${i} (rtol ${rtol}, atol ${atol})`).toEqual([]);
  });
}

type Fn = (...args: any[]) => any;

/** Central difference of f along tangent t at args (flat lists). */
function numericalJvp(f: Fn, args: Array[], t: Array[], eps: number): Array[] {
  const fp = leavesOf(f(...axpy(eps, args, t)));
  const fm = leavesOf(f(...axpy(-eps, args, t)));
  return fp.map((p, i) => {
    const a = p.dataSync();
    const b = fm[i]!.dataSync();
    const out = new Float64Array(a.length);
    for (let k = 0; k < a.length; k++) out[k] = (a[k]! - b[k]!) / (2 * eps);
    return fromTyped(out, p.shape, float64).astype(p.dtype);
  });
}

export function checkJvp(f: Fn, args: Array[], tol: Tol = {}, seed = 0): void {
  const r = rng(seed + 17);
  const t = args.map((a) => randLike(a, r));
  const [out, tout] = jvp(f, args, t);
  expectClose(leavesOf(out), leavesOf(f(...args)), tol, "jvp primal output vs f");
  expectClose(leavesOf(tout), numericalJvp(f, args, t, tol.eps ?? 1e-4), tol, "jvp tangent vs finite differences");
}

export function checkVjp(f: Fn, args: Array[], tol: Tol = {}, seed = 0): void {
  const r = rng(seed + 31);
  const [out, pullback] = vjp(f, ...args);
  const outs = leavesOf(out);
  expectClose(outs, leavesOf(f(...args)), tol, "vjp primal output vs f");
  const t = args.map((a) => randLike(a, r));
  const tOut = numericalJvp(f, args, t, tol.eps ?? 1e-4);
  const u = outs.map((o) => randLike(o, r));
  const ctIn = leavesOf(pullback(tree.unflatten(tree.structure(out), u)));
  const lhs = innerProd(t, ctIn);
  const rhs = innerProd(tOut, u);
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-5;
  expect(Math.abs(lhs - rhs), `<Jᵀu, v> = ${lhs} vs <u, Jv> = ${rhs}`).toBeLessThanOrEqual(atol + rtol * Math.abs(rhs));
}

/** JAX's check_grads: forward and reverse mode, recursively to `order`. */
export function checkGrads(f: Fn, args: Array[], order: number, opts: Tol & { modes?: ("fwd" | "rev")[] } = {}): void {
  const modes = opts.modes ?? ["fwd", "rev"];
  const rec = (g: Fn, xs: Array[], k: number, seed: number): void => {
    if (modes.includes("fwd")) {
      checkJvp(g, xs, opts, seed);
      if (k > 1) {
        const r = rng(seed + 101);
        const ts = xs.map((x) => randLike(x, r));
        // Differentiate the JVP itself with respect to the primals.
        rec((...ys: Array[]) => jvp(g, ys, ts), xs, k - 1, seed + 1);
      }
    }
    if (modes.includes("rev")) {
      checkVjp(g, xs, opts, seed);
      if (k > 1) {
        const r = rng(seed + 202);
        const probe = leavesOf(g(...xs)).map((o) => randLike(o, r));
        const gVjp = (...ys: Array[]) => {
          const [out, pb] = vjp(g, ...ys);
          return pb(tree.unflatten(tree.structure(out), probe));
        };
        rec(gVjp, xs, k - 1, seed + 2);
      }
    }
  };
  rec(f, args, order, 0);
}

/** vmap(f) over axis 0 of every argument equals stacking f on each slice. */
export function checkVmap(f: Fn, batched: Array[], opts: { inAxes?: (number | null)[]; tol?: Tol } = {}): void {
  const inAxes = opts.inAxes ?? batched.map(() => 0);
  const size = batched.find((_, i) => inAxes[i] !== null)!.shape[inAxes.find((a) => a !== null)!]!;
  const out = leavesOf(vmap(f, { inAxes })(...batched));
  const per: Array[][] = [];
  for (let b = 0; b < size; b++) {
    const slice = batched.map((x, i) => (inAxes[i] === null ? x : takeAlong(x, inAxes[i]!, b)));
    per.push(leavesOf(f(...slice)));
  }
  out.forEach((o, i) => {
    const expected = stack(per.map((p) => p[i]!));
    expectClose([o], [expected], opts.tol ?? { rtol: 1e-6, atol: 1e-6 }, `vmap output ${i} vs loop`);
  });
}

/** jit(f) gives the same outputs as f. */
export function checkJit(f: Fn, args: Array[], tol: Tol = { rtol: 1e-6, atol: 1e-6 }): void {
  expectClose(leavesOf(jit(f)(...args)), leavesOf(f(...args)), tol, "jit vs eager");
}

function takeAlong(x: Array, axis: number, b: number): Array {
  const shape = x.shape;
  const outShape = shape.filter((_, i) => i !== axis);
  const src = x.dataSync();
  const out = new x.dtype.storage(outShape.reduce((a, c) => a * c, 1));
  const inner = shape.slice(axis + 1).reduce((a, c) => a * c, 1);
  const outer = shape.slice(0, axis).reduce((a, c) => a * c, 1);
  const n = shape[axis]!;
  for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) out[o * inner + k] = src[(o * n + b) * inner + k]!;
  return fromTyped(out, outShape, x.dtype);
}

function stack(xs: Array[]): Array {
  const first = xs[0]!;
  const out = new first.dtype.storage(first.size * xs.length);
  xs.forEach((x, i) => out.set(x.dataSync(), i * first.size));
  return fromTyped(out, [xs.length, ...first.shape], first.dtype);
}
