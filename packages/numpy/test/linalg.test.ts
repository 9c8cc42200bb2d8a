// jnp.linalg: NumPy goldens (float32/float64, batches, empty batches, JAX's
// non-finite results for singular inputs), gauge-invariant checks for eigen-
// and singular vectors, gradients through the custom JVP rules (float64, up to
// second order), vmap, jit and error messages.
import { describe, expect, test } from "vitest";
import { Array, array, grad, hessian, jacfwd, jacrev, jit, jvp, makeJaxpr, vmap } from "@jaxts/core";
import * as linalg from "../src/linalg.js";
import { loadGolden, type EncodedArray } from "../../core/test/golden.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { decodeArg, expectClose, values, type Case } from "./linalg_golden.js";

const cases = loadGolden<Case>("linalg", import.meta.url);
const f64 = (x: unknown) => array(x as number[][], { dtype: "float64" });

type Fn = (args: any[], kw: any) => unknown;
const FNS: Record<string, Fn> = {
  det: ([a]) => linalg.det(a),
  slogdet: ([a], kw) => linalg.slogdet(a, kw),
  inv: ([a]) => linalg.inv(a),
  solve: ([a, b]) => linalg.solve(a, b),
  cholesky: ([a], kw) => linalg.cholesky(a, kw),
  qr: ([a, mode]) => linalg.qr(a, mode),
  eigh: ([a, uplo], kw) => linalg.eigh(a, uplo ?? null, kw),
  eigvalsh: ([a]) => linalg.eigvalsh(a),
  svd: ([a], kw) => linalg.svd(a, kw),
  svdvals: ([a]) => linalg.svdvals(a),
  pinv: ([a], kw) => linalg.pinv(a, kw),
  lstsq: ([a, b], kw) => linalg.lstsq(a, b, kw),
  matrixRank: ([a], kw) => linalg.matrixRank(a, kw),
  matrixPower: ([a, n]) => linalg.matrixPower(a, n),
  norm: ([x, ord, axis, keepdims]) => linalg.norm(x, ord ?? null, axis ?? null, keepdims ?? false),
  vectorNorm: ([x], kw) => linalg.vectorNorm(x, kw),
  matrixNorm: ([x], kw) => linalg.matrixNorm(x, kw),
  cond: ([x, p]) => linalg.cond(x, p ?? null),
  trace: ([x], kw) => linalg.trace(x, kw),
  diagonal: ([x], kw) => linalg.diagonal(x, kw),
  cross: ([a, b], kw) => linalg.cross(a, b, kw),
  outer: ([a, b]) => linalg.outer(a, b),
  multiDot: ([arrs]) => linalg.multiDot(arrs),
  tensorinv: ([a, ind]) => linalg.tensorinv(a, ind),
  tensorsolve: ([a, b], kw) => linalg.tensorsolve(a, b, kw.axes ?? null),
  solveTriangular: ([a, b], kw) => linalg.solveTriangular(a, b, kw),
};

// ---------------------------------------------------------------------------
// gauge-invariant comparison of eigen/singular vectors

interface Mat {
  rows: number;
  cols: number;
  v: number[];
}
const mat = (x: Array, batch: number): Mat => {
  const [r, c] = x.shape.slice(-2) as [number, number];
  return { rows: r, cols: c, v: values(x).slice(batch * r * c, (batch + 1) * r * c) };
};
const encMat = (e: EncodedArray, batch: number): Mat => {
  const [r, c] = e.shape.slice(-2) as [number, number];
  return { rows: r, cols: c, v: (e.data as number[]).slice(batch * r * c, (batch + 1) * r * c) };
};
const col = (m: Mat, k: number): number[] => globalThis.Array.from({ length: m.rows }, (_, i) => m.v[i * m.cols + k]!);
const row = (m: Mat, k: number): number[] => m.v.slice(k * m.cols, (k + 1) * m.cols);
/** Flip a vector so its entry of largest magnitude is positive. */
function normSign(u: number[]): [number[], number] {
  let best = 0;
  u.forEach((x, i) => (Math.abs(x) > Math.abs(u[best]!) + 1e-9 ? (best = i) : 0));
  const s = u[best]! < 0 ? -1 : 1;
  return [u.map((x) => x * s), s];
}
function expectVec(got: number[], want: number[], tol: number, label: string): void {
  const bad = got.map((g, i) => [g, want[i]!] as const).filter(([g, w]) => Math.abs(g - w) > tol);
  expect(bad.slice(0, 3), label).toEqual([]);
}
/** An orthonormality check: Mᵀ M = I (columns) or M Mᵀ = I (rows). */
function expectOrthonormal(m: Mat, byRows: boolean, tol: number, label: string): void {
  const k = byRows ? m.rows : m.cols;
  const vec = (i: number) => (byRows ? row(m, i) : col(m, i));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = vec(i).reduce((s, x, t) => s + x * vec(j)[t]!, 0);
      expect(Math.abs(d - (i === j ? 1 : 0)), `${label}: orthonormality (${i}, ${j})`).toBeLessThanOrEqual(tol);
    }
  }
}
/** Values whose neighbours differ by more than a relative gap (their vectors are determined up to sign). */
function distinct(s: number[], gap: number): boolean[] {
  const scale = Math.max(1e-30, ...s.map(Math.abs));
  return s.map((x, i) => [s[i - 1], s[i + 1]].every((y) => y === undefined || Math.abs(x - y) > gap * scale));
}

function checkEigh(c: Case, out: [Array, Array], label: string): void {
  const [wE, vE] = c.out as [EncodedArray, EncodedArray];
  expectClose(out[0], wE, `${label} eigenvalues`);
  expect(out[1].shape, `${label} eigenvectors shape`).toEqual(vE.shape);
  const n = vE.shape[vE.shape.length - 1]!;
  const batches = n === 0 ? 0 : vE.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const tol = vE.dtype === "float64" ? 1e-8 : 2e-3;
  for (let b = 0; b < batches; b++) {
    const got = mat(out[1], b);
    const want = encMat(vE, b);
    expectOrthonormal(got, false, tol, label);
    const w = (wE.data as number[]).slice(b * n, (b + 1) * n);
    distinct(w, 1e-2).forEach((ok, k) => ok && expectVec(normSign(col(got, k))[0], normSign(col(want, k))[0], tol, `${label} vector ${k}`));
  }
}

function checkSvd(c: Case, a: Array, out: [Array, Array, Array], label: string): void {
  const [uE, sE, vhE] = c.out as [EncodedArray, EncodedArray, EncodedArray];
  expectClose(out[1], sE, `${label} singular values`);
  expect(out[0].shape, `${label} U shape`).toEqual(uE.shape);
  expect(out[2].shape, `${label} Vh shape`).toEqual(vhE.shape);
  const k = sE.shape[sE.shape.length - 1]!;
  const batches = sE.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const tol = sE.dtype === "float64" ? 1e-8 : 2e-3;
  for (let b = 0; b < batches; b++) {
    const U = mat(out[0], b);
    const Vh = mat(out[2], b);
    const A = mat(a, b);
    expectOrthonormal(U, false, tol, `${label} U`);
    expectOrthonormal(Vh, true, tol, `${label} Vh`);
    const s = values(out[1]).slice(b * k, (b + 1) * k);
    const scale = Math.max(1, ...A.v.map(Math.abs));
    for (let i = 0; i < A.rows; i++) {
      for (let j = 0; j < A.cols; j++) {
        let r = 0;
        for (let t = 0; t < k; t++) r += U.v[i * U.cols + t]! * s[t]! * Vh.v[t * Vh.cols + j]!;
        expect(Math.abs(r - A.v[i * A.cols + j]!), `${label}: U S Vh reconstructs a at (${i}, ${j})`).toBeLessThanOrEqual(tol * scale);
      }
    }
    const sw = (sE.data as number[]).slice(b * k, (b + 1) * k);
    const dist = distinct(sw, 1e-2).map((ok, t) => ok && sw[t]! > 1e-3 * Math.max(...sw));
    const uW = encMat(uE, b);
    const vW = encMat(vhE, b);
    dist.forEach((ok, t) => {
      if (!ok) return;
      const [ug, sg] = normSign(col(U, t));
      const [uw, sw2] = normSign(col(uW, t));
      expectVec(ug, uw, tol, `${label} u ${t}`);
      expectVec(row(Vh, t).map((x) => x * sg), row(vW, t).map((x) => x * sw2), tol, `${label} v ${t}`);
    });
  }
}

describe("linalg: NumPy goldens", () => {
  const byFn = new Map<string, Case[]>();
  for (const c of cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  for (const [fn, cs] of byFn) {
    test(`${fn} (${cs.length} cases)`, () => {
      for (const c of cs) {
        const args = decodeArg(c.args) as any[];
        const kw = decodeArg(c.kw) as Record<string, unknown>;
        const label = `${fn} ${c.note}`;
        const out = FNS[fn]!(args, kw);
        if (fn === "eigh") checkEigh(c, out as [Array, Array], label);
        else if (fn === "svd" && !(out instanceof Array)) checkSvd(c, args[0], out as [Array, Array, Array], label);
        else if ((fn === "inv" || fn === "solve") && c.note.includes("singular")) {
          // JAX gives non-finite values (no error); the exact inf/nan pattern depends on LAPACK's elimination order.
          expect(values(out as Array).some((v) => !Number.isFinite(v)), label).toBe(true);
        } else if (globalThis.Array.isArray(out)) {
          (out as Array[]).forEach((o, i) => expectClose(o, (c.out as EncodedArray[])[i]!, `${label} [${i}]`, 2));
        } else expectClose(out as Array, c.out as EncodedArray, label, fn === "cond" || fn === "pinv" || fn === "lstsq" ? 10 : 2);
      }
    });
  }
});

describe("linalg: results", () => {
  test("named fields as in JAX's namedtuples", () => {
    const a = f64([[2, 1], [1, 3]]);
    const e = linalg.eigh(a);
    expect(e.eigenvalues).toBe(e[0]);
    expect(e.eigenvectors).toBe(e[1]);
    const s = linalg.slogdet(a);
    expect(s.sign.item()).toBe(1);
    expect(s.logabsdet).toBe(s[1]);
    const q = linalg.qr(a);
    expect(q.Q).toBe(q[0]);
    const u = linalg.svd(a);
    expect([u.U, u.S, u.Vh]).toEqual([u[0], u[1], u[2]]);
  });
  test("norm takes JAX's positional arguments or an options object", () => {
    const t = f64([[[1, -2], [3, 4]], [[0, 5], [-6, 1]]]);
    expect(values(linalg.norm(t, { ord: 1, axis: 1, keepdims: true }))).toEqual(values(linalg.norm(t, 1, 1, true)));
    expect(linalg.norm(t, { axis: [1, 2] }).shape).toEqual([2]);
  });
  test("the 2-norm is scaled: no overflow for large float32 entries (NumPy and JAX give inf)", () => {
    const x = array([1e30, 1e30], { dtype: "float32" });
    expect(linalg.norm(x).item()).toBeCloseTo(Math.SQRT2 * 1e30, -24);
    const m = array([[3e-30, 0], [0, 4e-30]], { dtype: "float32" });
    expect(linalg.norm(m).item() as number).toBeCloseTo(5e-30, 36);
  });
  test("the 2-norm and Frobenius norm have derivative 0 at 0 (no NaN), to second order", () => {
    const z = f64([0, 0, 0]);
    expect(values(grad((x: Array) => linalg.norm(x))(z))).toEqual([0, 0, 0]);
    expect(values(grad((x: Array) => linalg.norm(x, "fro", [0, 1]))(f64([[0, 0], [0, 0]])))).toEqual([0, 0, 0, 0]);
    expect(values(grad((x: Array) => linalg.vectorNorm(x).add(linalg.norm(x, 2)))(z))).toEqual([0, 0, 0]);
    const h = grad((x: Array) => grad((y: Array) => linalg.norm(y))(x).sum())(z);
    expect(values(h).every(Number.isFinite)).toBe(true);
    // Away from 0 the derivative is x/‖x‖.
    values(grad((x: Array) => linalg.norm(x))(f64([3, 4]))).forEach((g, i) => expect(g).toBeCloseTo([0.6, 0.8][i]!, 14));
  });
  test("det of a singular matrix has the adjugate as gradient (JAX's cofactor solve)", () => {
    const sing = f64([[1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 0, 2]]); // rank 3
    expect(Math.abs(linalg.det(sing).item() as number)).toBe(0);
    const g = values(grad((x: Array) => linalg.det(x))(sing));
    // jax.grad(jnp.linalg.det) at this matrix (x64):
    const want = [0, 8, 0, -4, 0, -4, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0];
    g.forEach((v, i) => expect(v, `[${i}]`).toBeCloseTo(want[i]!, 10));
    checkGrads((x: Array) => linalg.det(x), [sing], 1);
  });
  test("cholesky of a matrix that is not positive definite is NaN (lower triangle), as JAX", () => {
    expect(values(linalg.cholesky(f64([[1, 2], [2, 1]])))).toEqual([NaN, 0, NaN, NaN]);
    expect(values(linalg.cholesky(f64([[0]])))).toEqual([NaN]);
  });
  test("empty batches and 0x0 matrices", () => {
    const e = linalg.det(array([], { dtype: "float32" }).reshape([0, 3, 3]));
    expect(e.shape).toEqual([0]);
    expect(linalg.det(array([], { dtype: "float32" }).reshape([0, 0])).item()).toBe(1);
    const [w, v] = linalg.eigh(array([], { dtype: "float64" }).reshape([2, 0, 0]));
    expect([w.shape, v.shape]).toEqual([[2, 0], [2, 0, 0]]);
    const s = linalg.svd(array([], { dtype: "float64" }).reshape([3, 0]));
    expect([s[0].shape, s[1].shape, s[2].shape]).toEqual([[3, 3], [0], [0, 0]]);
    expect(linalg.inv(array([], { dtype: "float64" }).reshape([0, 2, 2])).shape).toEqual([0, 2, 2]);
  });
  test("the decompositions stage loops, not unrolled code, and derivatives stage no loops", () => {
    const a = randArray([4, 4], rng(3));
    const eig = makeJaxpr((x: Array) => linalg.eigvalsh(x))(a).toString();
    expect(eig).toContain("custom_jvp_call");
    expect(eig).toContain("while");
    const lin = makeJaxpr((x: Array, t: Array) => jvp((y: Array) => linalg.eigvalsh(y), [x], [t])[1])(a, a).toString();
    // The tangent is computed from the primal decomposition by products only.
    expect(lin).toContain("dot_general");
  });
});

describe("linalg: gradients (float64; JAX's JVP rules vs finite differences)", () => {
  const r = rng(2024);
  const sym = (n: number) => {
    const x = randArray([n, n], r);
    return x.add(x.transpose()).add(f64(globalThis.Array.from({ length: n }, (_, i) => globalThis.Array.from({ length: n }, (_, j) => (i === j ? 2 * n + i : 0)))));
  };
  const wellCond = (shape: number[]) => {
    const n = shape[shape.length - 1]!;
    const eye = f64(globalThis.Array.from({ length: n }, (_, i) => globalThis.Array.from({ length: n }, (_, j) => (i === j ? n : 0))));
    return randArray(shape, r).add(eye);
  };
  test("det (closed forms and LU) and slogdet", () => {
    for (const n of [1, 2, 3, 5]) checkGrads((x: Array) => linalg.det(x), [wellCond([n, n])], 2);
    checkGrads((x: Array) => linalg.det(x), [wellCond([2, 4, 4])], 2);
    for (const n of [1, 2, 4]) checkGrads((x: Array) => linalg.slogdet(x)[1], [wellCond([n, n])], 2);
  });
  test("inv and solve", () => {
    checkGrads((x: Array) => linalg.inv(x), [wellCond([3, 3])], 2);
    checkGrads((x: Array, y: Array) => linalg.solve(x, y), [wellCond([3, 3]), randArray([3], r)], 2);
    checkGrads((x: Array, y: Array) => linalg.solve(x, y), [wellCond([2, 3, 3]), randArray([3, 2], r)], 2);
  });
  test("solveTriangular (every lower/trans/unit combination)", () => {
    for (const lower of [true, false]) {
      for (const trans of [0, 1] as const) {
        for (const unitDiagonal of [false, true]) {
          checkGrads((x: Array, y: Array) => linalg.solveTriangular(x, y, { lower, trans, unitDiagonal }), [wellCond([3, 3]), randArray([3, 2], r)], 2);
        }
      }
    }
    checkGrads((x: Array, y: Array) => linalg.solveTriangular(x, y, { lower: true }), [wellCond([2, 3, 3]), randArray([2, 3], r)], 1);
  });
  test("cholesky (lower, upper, reading one triangle)", () => {
    checkGrads((x: Array) => linalg.cholesky(x), [sym(4)], 2);
    checkGrads((x: Array) => linalg.cholesky(x, { upper: true }), [sym(3)], 1);
    checkGrads((x: Array) => linalg.cholesky(x, { symmetrizeInput: false }), [sym(3)], 1);
  });
  test("qr (reduced tall/wide/square, complete tall)", () => {
    checkGrads((x: Array) => linalg.qr(x), [randArray([5, 3], r)], 2);
    checkGrads((x: Array) => linalg.qr(x), [randArray([3, 5], r)], 2);
    checkGrads((x: Array) => linalg.qr(x), [randArray([2, 3, 3], r)], 1);
    checkGrads((x: Array) => linalg.qr(x, "complete"), [randArray([5, 3], r)], 1);
    checkGrads((x: Array) => linalg.qr(x, "r"), [randArray([4, 3], r)], 2);
  });
  test("eigh (eigenvalues; sign-invariant functions of eigenvectors)", () => {
    checkGrads((x: Array) => linalg.eigvalsh(x), [sym(4)], 2);
    checkGrads((x: Array) => linalg.eigh(x)[1].mul(linalg.eigh(x)[1]), [sym(4)], 2);
    checkGrads((x: Array) => {
      const [w, v] = linalg.eigh(x);
      return v.mul(w.mul(w).reshape([1, -1])).matmul(v.transpose()); // x², via the decomposition
    }, [sym(3)], 1);
    checkGrads((x: Array) => linalg.eigvalsh(x), [f64([[2, 0.5, 0], [0.5, 1, 0.25], [0, 0.25, -1]]).reshape([1, 3, 3])], 2);
  });
  test("svd (singular values; sign-invariant functions of the vectors; reconstruction)", () => {
    checkGrads((x: Array) => linalg.svd(x, { computeUv: false }), [randArray([4, 3], r)], 2);
    checkGrads((x: Array) => linalg.svdvals(x), [randArray([3, 5], r)], 2);
    for (const shape of [[4, 3], [3, 4], [3, 3]]) {
      checkGrads((x: Array) => {
        const [u, s, vh] = linalg.svd(x, { fullMatrices: false });
        return [u.mul(u), vh.mul(vh), s];
      }, [randArray(shape, r)], 1);
    }
    checkGrads((x: Array) => {
      const [u, s, vh] = linalg.svd(x, { fullMatrices: false });
      return u.mul(s.reshape([1, -1])).matmul(vh);
    }, [randArray([4, 3], r)], 2);
    checkGrads((x: Array) => linalg.svd(x)[1], [randArray([3, 3], r)], 1);
  });
  test("pinv, lstsq, matrixPower, multiDot, cond, tensorinv, tensorsolve", () => {
    checkGrads((x: Array) => linalg.pinv(x), [randArray([4, 3], r)], 1);
    checkGrads((x: Array) => linalg.pinv(x), [randArray([3, 4], r)], 1);
    checkGrads((x: Array) => linalg.pinv(x, { hermitian: true }), [sym(3)], 1);
    checkGrads((x: Array, y: Array) => linalg.lstsq(x, y)[0], [randArray([5, 3], r), randArray([5], r)], 1);
    checkGrads((x: Array) => linalg.matrixPower(x, 5), [randArray([3, 3], r)], 2);
    checkGrads((x: Array) => linalg.matrixPower(x, -2), [wellCond([3, 3])], 1);
    checkGrads((x: Array, y: Array, z: Array) => linalg.multiDot([x, y, z]), [randArray([3], r), randArray([3, 4], r), randArray([4, 2], r)], 2);
    checkGrads((x: Array) => linalg.cond(x), [wellCond([3, 3])], 1);
    checkGrads((x: Array) => linalg.cond(x, 1), [wellCond([3, 3])], 1);
    checkGrads((x: Array) => linalg.tensorinv(x, 1), [wellCond([4, 4]).reshape([4, 2, 2])], 1);
    checkGrads((x: Array, y: Array) => linalg.tensorsolve(x, y), [wellCond([4, 4]).reshape([2, 2, 4]), randArray([2, 2], r)], 1);
  });
  test("norms", () => {
    const v = randArray([5], r, 0.5, 2);
    for (const ord of [null, 2, 1, 3, 0.5, Infinity, -Infinity]) checkGrads((x: Array) => linalg.norm(x, ord), [v], ord === null || ord === 2 || ord === 3 ? 2 : 1);
    const m = randArray([3, 4], r, 0.5, 2);
    for (const ord of [null, "fro", 1, -1, Infinity, -Infinity] as const) checkGrads((x: Array) => linalg.norm(x, ord), [m], 1);
    for (const ord of ["nuc", 2, -2] as const) checkGrads((x: Array) => linalg.norm(x, ord), [randArray([3, 4], r)], 1);
    checkGrads((x: Array) => linalg.norm(x, null, 1, true), [randArray([2, 3, 4], r)], 2);
    checkGrads((x: Array) => linalg.vectorNorm(x, { axis: [0, 2] }), [randArray([2, 3, 4], r)], 2);
    checkGrads((x: Array) => linalg.matrixNorm(x, { ord: "nuc" }), [randArray([2, 3, 4], r)], 1);
  });
});

describe("linalg: vmap (vs a loop) and jit (vs eager)", () => {
  const r = rng(99);
  const spdBatch = (b: number, n: number) => {
    const x = randArray([b, n, n], r);
    return x.matmul(x.transpose([0, 2, 1])).add(f64(globalThis.Array.from({ length: n }, (_, i) => globalThis.Array.from({ length: n }, (_, j) => (i === j ? n : 0)))));
  };
  test("vmap", () => {
    const tol = { tol: { rtol: 1e-9, atol: 1e-9 } };
    checkVmap((x: Array) => linalg.det(x), [randArray([3, 4, 4], r)], tol);
    checkVmap((x: Array) => linalg.slogdet(x)[1], [randArray([3, 5, 5], r)], tol);
    checkVmap((x: Array) => linalg.inv(x), [spdBatch(3, 3)], tol);
    checkVmap((x: Array, y: Array) => linalg.solve(x, y), [spdBatch(3, 3), randArray([3, 3], r)], tol);
    checkVmap((x: Array, y: Array) => linalg.solve(x, y), [spdBatch(3, 3), randArray([3, 2], r)], { inAxes: [0, null], ...tol });
    checkVmap((x: Array) => linalg.cholesky(x), [spdBatch(2, 4)], tol);
    checkVmap((x: Array) => linalg.qr(x)[1], [randArray([3, 4, 3], r)], tol);
    checkVmap((x: Array) => linalg.eigvalsh(x), [spdBatch(3, 4)], tol);
    checkVmap((x: Array) => linalg.svdvals(x), [randArray([3, 4, 3], r)], tol);
    checkVmap((x: Array, y: Array) => linalg.solveTriangular(x, y, { lower: true }), [spdBatch(2, 3), randArray([2, 3], r)], tol);
    checkVmap((x: Array) => linalg.norm(x, 2), [randArray([3, 3, 2], r)], tol);
    checkVmap((x: Array) => linalg.pinv(x), [randArray([2, 4, 3], r)], tol);
  });
  test("vmap of gradients", () => {
    const g = vmap(grad((x: Array) => linalg.det(x)));
    const xs = randArray([3, 3, 3], r);
    const out = g(xs);
    for (let b = 0; b < 3; b++) {
      const one = grad((x: Array) => linalg.det(x))(xs.get(b));
      expect(values(out.get(b)).map((v, i) => Math.abs(v - values(one)[i]!)).every((d) => d < 1e-9)).toBe(true);
    }
  });
  test("second derivatives compose every way: hessian, jacrev(jacrev), jit(jacfwd(jacfwd))", () => {
    const x = spdBatch(1, 3).reshape([3, 3]);
    const fns: ((a: Array) => Array)[] = [
      (a) => linalg.slogdet(a)[1],
      (a) => linalg.eigvalsh(a).mul(f64([1, 2, 3])).sum(),
      (a) => linalg.svdvals(a).sum(),
      (a) => linalg.cholesky(a).sum(),
      (a) => linalg.inv(a).sum(),
      (a) => linalg.qr(a)[1].sum(),
    ];
    for (const f of fns) {
      const h = values(hessian(f)(x));
      const h2 = values(jacrev(jacrev(f))(x));
      const h3 = values(jit(jacfwd(jacfwd(f)))(x));
      h.forEach((v, i) => {
        expect(Math.abs(v - h2[i]!)).toBeLessThan(1e-9);
        expect(Math.abs(v - h3[i]!)).toBeLessThan(1e-9);
      });
    }
  });
  test("jit", () => {
    const a = spdBatch(2, 4);
    checkJit((x: Array) => linalg.eigh(x), [a], { rtol: 1e-9, atol: 1e-9 });
    checkJit((x: Array) => linalg.svd(x, { fullMatrices: false }), [randArray([4, 3], r)], { rtol: 1e-9, atol: 1e-9 });
    checkJit((x: Array) => linalg.qr(x), [randArray([4, 3], r)], { rtol: 1e-9, atol: 1e-9 });
    checkJit((x: Array) => [linalg.det(x), linalg.inv(x), linalg.cholesky(x)], [a], { rtol: 1e-9, atol: 1e-9 });
    checkJit(grad((x: Array) => linalg.eigvalsh(x).sum().add(linalg.det(x))), [a.get(0)], { rtol: 1e-9, atol: 1e-9 });
    expect(jit((x: Array) => linalg.norm(x))(f64([3, 4])).item()).toBe(5);
  });
});

describe("linalg: errors name the function and the shapes", () => {
  const m23 = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
  const v3 = array([1, 2, 3], { dtype: "float32" });
  test("shape checks", () => {
    expect(() => linalg.det(m23)).toThrow(/\[linalg\.det\] argument must be a square matrix .* got f32\[2,3\]/);
    expect(() => linalg.inv(v3)).toThrow(/\[linalg\.inv\] argument must have shape \[\.\.\., m, n\] \(at least 2-D\), got f32\[3\]/);
    expect(() => linalg.slogdet(m23)).toThrow(/\[linalg\.slogdet\] argument must have shape \[\.\.\., n, n\], got f32\[2,3\]/);
    expect(() => linalg.cholesky(m23)).toThrow(/\[linalg\.cholesky\]/);
    expect(() => linalg.eigh(m23)).toThrow(/\[linalg\.eigh\] argument must be a square matrix/);
    expect(() => linalg.solve(v3, v3)).toThrow(/\[linalg\.solve\] left hand array must be at least two dimensional; got f32\[3\]/);
    expect(() => linalg.solve(array([[1, 0], [0, 1]], { dtype: "float32" }), v3)).toThrow(/\[linalg\.solve\] incompatible shapes f32\[2,2\] and f32\[3\]/);
    expect(() => linalg.solve(array([[[1, 0], [0, 1]]], { dtype: "float32" }).reshape([1, 2, 2]), array([[1, 2, 3]], { dtype: "float32" }))).toThrow(/\[linalg\.solve\]/);
    expect(() => linalg.solveTriangular(array([[1, 0], [0, 1]], { dtype: "float32" }), v3)).toThrow(/\[linalg\.solveTriangular\] incompatible shapes/);
    expect(() => linalg.lstsq(v3, v3)).toThrow(/\[linalg\.lstsq\] 1-dimensional array given for a/);
    expect(() => linalg.matrixPower(m23, 2)).toThrow(/\[linalg\.matrixPower\] the last 2 dimensions of the array must be square/);
    expect(() => linalg.multiDot([v3])).toThrow(/\[linalg\.multiDot\] requires at least two arrays/);
    expect(() => linalg.cross(m23, m23, { axis: 0 })).toThrow(/\[linalg\.cross\] both input arrays must be \(arrays of\) 3-dimensional vectors/);
    expect(() => linalg.outer(m23, v3)).toThrow(/\[linalg\.outer\] input arrays must be one-dimensional/);
    expect(() => linalg.tensorinv(m23, 1)).toThrow(/\[linalg\.tensorinv\]/);
  });
  test("option checks", () => {
    expect(() => linalg.norm(m23, "nuc" as never, 0)).toThrow(/\[linalg\.norm\] invalid order 'nuc' for vector norm/);
    expect(() => linalg.norm(m23, 3, [0, 1])).toThrow(/\[linalg\.norm\] invalid order '3' for matrix norm/);
    expect(() => linalg.norm(m23, null, [0, 0])).toThrow(/\[linalg\.norm\] duplicate axes/);
    expect(() => linalg.norm(array([[[1]]], { dtype: "float32" }), 2, [0, 1, 2])).toThrow(/\[linalg\.norm\] improper number of axes/);
    expect(() => linalg.qr(m23, "raw" as never)).toThrow(/\[linalg\.qr\] unsupported QR decomposition mode 'raw'/);
    expect(() => linalg.eigh(m23, "X" as never)).toThrow(/\[linalg\.eigh\] UPLO must be one of null, 'L', or 'U'/);
    expect(() => linalg.solveTriangular(m23, v3, { trans: 3 as never })).toThrow(/\[linalg\.solveTriangular\] invalid 'trans' value 3/);
    expect(() => linalg.slogdet(m23, { method: "qr" as never })).toThrow(/\[linalg\.slogdet\] unknown slogdet method 'qr'/);
    expect(() => linalg.pinv(m23, { rtol: 0.1, rcond: 0.1 })).toThrow(/\[linalg\.pinv\] only one of rtol and rcond/);
    expect(() => linalg.norm(array([], { dtype: "float32" }), -Infinity)).toThrow(/\[linalg\.norm\] zero-size array to reduction operation min/);
    expect(() => grad((x: Array) => linalg.svd(x).S.sum())(m23)).toThrow(/\[linalg\.svd\] singular value decomposition JVP not implemented for full matrices/);
  });
});
