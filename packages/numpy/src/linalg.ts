// jnp.linalg (jax/_src/numpy/linalg.py) and jax.scipy.linalg.solve_triangular,
// imported as the `linalg` namespace: `jnp.linalg.solve(a, b)`.
//
// The decompositions run the kernels of linalg_kernels.ts (LU with partial
// pivoting, substitution, Cholesky, Householder QR, Jacobi eigh and SVD) on
// `[..., m, n]` batches. Each is wrapped in a custom JVP carrying JAX's rule
// (jax/_src/lax/linalg.py: cholesky_jvp_rule, qr_jvp_rule, eigh_jvp_rule,
// svd_jvp_rule, triangular_solve's JVP; numpy/linalg.py: _det_jvp via the
// cofactor solve, _slogdet_jvp, _pinv_jvp), so derivatives never go through
// the loops. Inside a rule, primal values come from the custom functions
// themselves (as JAX binds the primitive) and every tangent is combined only
// with matrix products, masks and elementwise factors of primal values
// (inverses appear as explicit matrices), so the rules are linear in the
// tangents, transpose for reverse mode, and differentiate again for higher
// orders.
import {
  Array,
  customJvp,
  float32,
  int32,
  lax,
  resultTypeWithWeak,
  stopGradient,
  type ArrayInput,
  type DType,
  type ProductOptions,
} from "@jaxts/core";
import { arr, normAxis } from "./math_helpers.js";
import { cross as jnpCross } from "./reductions.js";
import { einsum } from "./einsum.js";
import { matmul as jnpMatmul, outer as jnpOuter, tensordot as jnpTensordot, vecdot as jnpVecdot } from "./products.js";
import {
  bcast,
  broadcastShape,
  bx,
  choleskyKernel,
  cst,
  diagPart,
  epsOf,
  eighKernel,
  eye,
  fill,
  fmtA,
  householderKernel,
  luKernel,
  mm,
  mT,
  permuteColumns,
  range,
  svdKernel,
  tril,
  triSolveKernel,
  triu,
  where,
} from "./linalg_kernels.js";


// ---------------------------------------------------------------------------
// argument helpers

/** jnp's promote_dtypes_inexact for one argument: integers and bool become float32. */
function inexact(op: string, x: unknown, what = "a"): Array {
  const a = arr(op, x, what);
  return a.dtype.kind === "f" ? a : lax.convertElementType(a, float32);
}

/** Promote several arguments to one inexact dtype. */
function inexactAll(op: string, xs: unknown[], names: string[]): Array[] {
  const as = xs.map((x, i) => arr(op, x, names[i]));
  let { dtype, weakType } = resultTypeWithWeak(as.map((a) => a.aval));
  if (dtype.kind !== "f") dtype = float32;
  return as.map((a) => lax.convertElementType(a, dtype, weakType));
}

function checkMatrix(op: string, a: Array, square = false): void {
  if (a.ndim < 2) throw new TypeError(`[${op}] argument must have shape [..., m, n] (at least 2-D), got ${fmtA(a)}`);
  if (square && a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) {
    throw new TypeError(`[${op}] argument must be a square matrix (or a batch of them), shape [..., n, n]; got ${fmtA(a)}`);
  }
}

const lastDim = (a: Array): number => a.shape[a.ndim - 1]!;

/** A tuple with JAX's namedtuple field names attached (so both `[w, v] = ...` and `.eigenvalues` work). */
function named<T extends Array[], N extends Record<string, Array>>(items: T, names: N): T & N {
  return Object.assign(items, names);
}

export type SlogdetResult = [sign: Array, logabsdet: Array] & { sign: Array; logabsdet: Array };
export type EighResult = [eigenvalues: Array, eigenvectors: Array] & { eigenvalues: Array; eigenvectors: Array };
export type QRResult = [Q: Array, R: Array] & { Q: Array; R: Array };
export type SVDResult = [U: Array, S: Array, Vh: Array] & { U: Array; S: Array; Vh: Array };
export type LstsqResult = [x: Array, residuals: Array, rank: Array, s: Array];

/** One custom function per static configuration. */
function cache<F>(make: (key: string) => F): (key: string) => F {
  const m = new Map<string, F>();
  return (key) => {
    let f = m.get(key);
    if (!f) {
      f = make(key);
      m.set(key, f);
    }
    return f;
  };
}

/** Batch dims broadcast between a `[..., m, m]` matrix and a right-hand side `[..., m, k]`. */
function broadcastBatch(op: string, a: Array, b: Array): [Array, Array] {
  let batch: number[];
  try {
    batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    throw new TypeError(`[${op}] batch dimensions of ${fmtA(a)} and ${fmtA(b)} do not broadcast`);
  }
  return [bcast(a, [...batch, ...a.shape.slice(-2)]), bcast(b, [...batch, ...b.shape.slice(-2)])];
}

const sumAll = (x: Array, axes: number[]): Array => lax.reduceSum(x, axes);
/** trace(A·B) for batches: sum(Aᵀ ⊙ B). */
const traceOfProduct = (a: Array, b: Array): Array => sumAll(mT(a).mul(b), [b.ndim - 2, b.ndim - 1]);

// ---------------------------------------------------------------------------
// Triangular solve (jax.scipy.linalg.solve_triangular)

export interface SolveTriangularOptions {
  /** 0 / "N": solve a x = b; 1 / "T": aᵀ x = b; 2 / "C": aᴴ x = b (= aᵀ for real a). */
  trans?: 0 | 1 | 2 | "N" | "T" | "C";
  /** Use the lower triangle of a (default false: the upper). */
  lower?: boolean;
  /** Take the diagonal of a to be ones (it is not read). */
  unitDiagonal?: boolean;
}

/** The triangular solve on `[..., m, m]` and `[..., m, k]` (equal batch dims) as a custom-JVP function. */
const triangularSolveFn = cache((key: string) => {
  const [lower, transA, unit] = key.split(",").map((s) => s === "1");
  const solveOp = (a: Array, b: Array) => triSolveKernel(transA ? mT(a) : a, b, transA ? !lower : lower!, unit!);
  const f = customJvp(function triangular_solve(a: Array, b: Array) {
    return solveOp(a, b);
  });
  f.defjvp(function triangular_solve_jvp([a, b]: Array[], [ga, gb]: Array[]) {
    const ans = f(a!, b!);
    const m = lastDim(a!);
    // op(A)^-1 as a matrix: tangents only meet it through products.
    const inv = f(a!, bcast(eye(m, a!.dtype), a!.shape));
    const k = unit ? 1 : 0;
    let gA = lower ? tril(ga!, -k) : triu(ga!, k);
    if (transA) gA = mT(gA);
    return [ans, mm(inv, gb!.sub(mm(gA, ans)))];
  });
  return f;
});

function triangularSolve(a: Array, b: Array, lower: boolean, transA: boolean, unit: boolean): Array {
  return triangularSolveFn(`${+lower},${+transA},${+unit}`)(a, b);
}

/**
 * jax.scipy.linalg.solve_triangular(a, b, {trans, lower, unitDiagonal}): x with
 * op(a) x = b for triangular `a [..., m, m]` and `b [..., m]` or `[..., m, k]`.
 */
export function solveTriangular(a: ArrayInput, b: ArrayInput, opts: SolveTriangularOptions = {}): Array {
  const op = "linalg.solveTriangular";
  const { trans = 0, lower = false, unitDiagonal = false } = opts;
  let transA: boolean;
  if (trans === 0 || trans === "N") transA = false;
  else if (trans === 1 || trans === "T" || trans === 2 || trans === "C") transA = true;
  else throw new TypeError(`[${op}] invalid 'trans' value ${JSON.stringify(trans)}; expected 0, 1, 2, "N", "T" or "C"`);
  let [x, y] = inexactAll(op, [a, b], ["a", "b"]) as [Array, Array];
  checkMatrix(op, x, true);
  const isVector = x.ndim === y.ndim + 1;
  if (isVector) y = lax.expandDims(y, [y.ndim]);
  if (y.ndim < 2 || y.shape[y.ndim - 2] !== lastDim(x)) {
    throw new TypeError(`[${op}] incompatible shapes: a ${fmtA(x)} and b ${fmtA(arr(op, b, "b"))} (b must be [..., m] or [..., m, k] with m = ${lastDim(x)})`);
  }
  [x, y] = broadcastBatch(op, x, y);
  const out = triangularSolve(x, y, lower, transA, unitDiagonal);
  return isVector ? lax.squeeze(out, [out.ndim - 1]) : out;
}

// ---------------------------------------------------------------------------
// LU-based: solve, inv, det, slogdet

/** The permutation matrix P (P·b = b[perm]) of `perm [..., m]`. */
function permMatrix(perm: Array, d: DType): Array {
  const m = lastDim(perm);
  return lax.convertElementType(bx.eq(lax.broadcastedIota(int32, [...perm.shape, m], perm.ndim), lax.expandDims(perm, [perm.ndim])), d);
}

/** Solve a x = b (equal batch dims) with an LU factorization (no derivative rule; see solveFn). */
function luSolveRaw(a: Array, b: Array): Array {
  const [lu, , perm] = luKernel(a);
  const pb = mm(permMatrix(perm, a.dtype), b);
  return triSolveKernel(lu, triSolveKernel(lu, pb, true, true), false, false);
}

const invFn = customJvp(function inv(a: Array) {
  return luSolveRaw(a, bcast(eye(lastDim(a), a.dtype), a.shape));
});
invFn.defjvp(function inv_jvp([a]: Array[], [da]: Array[]) {
  const ainv = invFn(a!);
  return [ainv, mm(mm(ainv, da!), ainv).neg()];
});

const solveFn = customJvp(function solve(a: Array, b: Array) {
  return luSolveRaw(a, b);
});
solveFn.defjvp(function solve_jvp([a, b]: Array[], [da, db]: Array[]) {
  const x = solveFn(a!, b!);
  return [x, mm(invFn(a!), db!.sub(mm(da!, x)))];
});

/**
 * jnp.linalg.solve(a, b): x with a x = b for `a [..., m, m]` and `b [..., m]`
 * (when b is 1-D) or `b [..., m, n]`; batch dims broadcast. A singular a gives
 * inf/nan entries (no error), as in JAX.
 */
export function solve(a: ArrayInput, b: ArrayInput): Array {
  const op = "linalg.solve";
  let [x, y] = inexactAll(op, [a, b], ["a", "b"]) as [Array, Array];
  if (x.ndim < 2) throw new TypeError(`[${op}] left hand array must be at least two dimensional; got ${fmtA(x)}`);
  checkMatrix(op, x, true);
  const m = lastDim(x);
  if (y.ndim > 1 && x.ndim === y.ndim + 1 && lastDim(y) === m && y.shape[y.ndim - 2] !== m) {
    throw new TypeError(
      `[${op}] invalid shapes ${fmtA(x)} and ${fmtA(y)}: b must be [..., m] (1-D) or [..., m, n]; for a batch of vectors use solve(a, b[..., None])[..., 0]`,
    );
  }
  const isVector = y.ndim === 1;
  if (isVector) y = lax.expandDims(y, [1]);
  if (y.shape[y.ndim - 2] !== m) throw new TypeError(`[${op}] incompatible shapes ${fmtA(x)} and ${fmtA(arr(op, b, "b"))}`);
  [x, y] = broadcastBatch(op, x, y);
  const out = solveFn(x, y);
  return isVector ? lax.squeeze(out, [out.ndim - 1]) : out;
}

/** jnp.linalg.inv: the inverse of `a [..., n, n]` (inf/nan for singular matrices, as JAX). */
export function inv(a: ArrayInput): Array {
  const x = inexact("linalg.inv", a);
  checkMatrix("linalg.inv", x, true);
  return invFn(x);
}

/** The LU factors' determinant pieces: parity sign, diagonal of U. */
function luParts(a: Array): { lu: Array; perm: Array; diag: Array; sign: Array } {
  const [lu, pivots, perm] = luKernel(a);
  const n = lastDim(a);
  const moved = lax.convertElementType(bx.ne(pivots, bcast(lax.iota(int32, n), pivots.shape)), int32);
  const parity = bx.rem(lax.reduceSum(moved, [moved.ndim - 1]), cst(2, int32));
  const sign = where(bx.eq(parity, cst(1, int32)), cst(-1, a.dtype), 1);
  return { lu, perm, diag: diagPart(lu), sign };
}

/**
 * JAX's _cofactor_solve(a, I): det(a) and adj(a) = det(a)·a⁻¹, computed from
 * the LU factors so that a singular matrix of corank 1 (zero last pivot) still
 * gets its adjugate.
 */
function cofactorRaw(a: Array): [Array, Array] {
  const n = lastDim(a);
  const d = a.dtype;
  const batch = a.shape.slice(0, -2);
  if (n === 1) return [lax.reshape(a, batch), bcast(eye(1, d), a.shape)];
  const { lu, perm, diag, sign } = luParts(a);
  const partial = lax.cumprod(diag, diag.ndim - 1).mul(lax.expandDims(sign, [sign.ndim]));
  const at = (v: Array, i: number) => lax.squeeze(lax.sliceInDim(v, i, i + 1, 1, v.ndim - 1), [v.ndim - 1]);
  const det = at(partial, n - 1);
  const corner = bx.bitwiseAnd(bx.eq(lax.broadcastedIota(int32, [n, n], 0), cst(n - 1, int32)), bx.eq(lax.broadcastedIota(int32, [n, n], 1), cst(n - 1, int32)));
  const lu2 = where(corner, lax.expandDims(bx.div(cst(1, d), at(partial, n - 2)), [batch.length, batch.length + 1]), lu);
  const ones = fill([...batch, n, 1], 1, d);
  const probe = triSolveKernel(lu2, ones, false, false);
  const bad = lax.reduceOr(lax.bitwiseNot(lax.isFinite(probe)), [probe.ndim - 2, probe.ndim - 1]);
  const badM = lax.expandDims(bad, [bad.ndim, bad.ndim + 1]);
  let x = where(badM, 0, bcast(eye(n, d), a.shape));
  x = mm(permMatrix(perm, d), x);
  x = triSolveKernel(lu2, x, true, true);
  const rowMask = bx.lt(lax.broadcastedIota(int32, [n, 1], 0), cst(n - 1, int32));
  x = where(rowMask, x.mul(lax.expandDims(det, [det.ndim, det.ndim + 1])), x);
  x = triSolveKernel(lu2, x, false, false);
  return [det, where(badM, 0, x)];
}

/** adj(a) with the derivative d adj = (tr(adj·da)·adj - adj·da·adj) / det (for nonsingular a). */
const adjugateFn = customJvp(function adjugate(a: Array) {
  return cofactorRaw(a)[1];
});
adjugateFn.defjvp(function adjugate_jvp([a]: Array[], [da]: Array[]) {
  const adj = adjugateFn(a!);
  const det = detLuFn(a!);
  const t = lax.expandDims(traceOfProduct(adj, da!), [det.ndim, det.ndim + 1]);
  const num = adj.mul(t).sub(mm(mm(adj, da!), adj));
  return [adj, num.div(lax.expandDims(det, [det.ndim, det.ndim + 1]))];
});

/** det from the LU factors; its JVP is tr(adj(a)·da) (JAX's _det_jvp through the cofactor solve). */
const detLuFn = customJvp(function det(a: Array) {
  const { diag, sign } = luParts(a);
  return lax.reduceProd(diag, [diag.ndim - 1]).mul(sign);
});
detLuFn.defjvp(function det_jvp([a]: Array[], [da]: Array[]) {
  return [detLuFn(a!), traceOfProduct(adjugateFn(a!), da!)];
});

const entry = (a: Array, i: number, j: number): Array =>
  lax.reshape(lax.slice(a, [...a.shape.slice(0, -2).map(() => 0), i, j], [...a.shape.slice(0, -2), i + 1, j + 1]), a.shape.slice(0, -2));

/** jnp.linalg.det: closed forms for 2x2 and 3x3 (as JAX), LU otherwise. */
export function det(a: ArrayInput): Array {
  const op = "linalg.det";
  const x = inexact(op, a);
  checkMatrix(op, x, true);
  const n = lastDim(x);
  const e = (i: number, j: number) => entry(x, i, j);
  if (n === 0) return fill(x.shape.slice(0, -2), 1, x.dtype);
  if (n === 1) return e(0, 0);
  if (n === 2) return e(0, 0).mul(e(1, 1)).sub(e(0, 1).mul(e(1, 0)));
  if (n === 3) {
    return e(0, 0).mul(e(1, 1)).mul(e(2, 2))
      .add(e(0, 1).mul(e(1, 2)).mul(e(2, 0)))
      .add(e(0, 2).mul(e(1, 0)).mul(e(2, 1)))
      .sub(e(0, 2).mul(e(1, 1)).mul(e(2, 0)))
      .sub(e(0, 0).mul(e(1, 2)).mul(e(2, 1)))
      .sub(e(0, 1).mul(e(1, 0)).mul(e(2, 2)));
  }
  return detLuFn(x);
}

const slogdetSmallFn = customJvp(function slogdet_small(a: Array) {
  const n = lastDim(a);
  const dt = n === 1 ? entry(a, 0, 0) : entry(a, 0, 0).mul(entry(a, 1, 1)).sub(entry(a, 0, 1).mul(entry(a, 1, 0)));
  return [lax.sign(dt), lax.log(lax.abs(dt))];
});
slogdetSmallFn.defjvp(function slogdet_small_jvp([a]: Array[], [g]: Array[]) {
  const [sign, ans] = slogdetSmallFn(a!) as [Array, Array];
  const n = lastDim(a!);
  const x = (i: number, j: number) => entry(a!, i, j);
  const gt = (i: number, j: number) => entry(g!, i, j);
  const ansDot =
    n === 1
      ? gt(0, 0).div(x(0, 0))
      : gt(0, 0).mul(x(1, 1)).sub(gt(0, 1).mul(x(1, 0))).sub(gt(1, 0).mul(x(0, 1))).add(gt(1, 1).mul(x(0, 0)))
          .div(x(0, 0).mul(x(1, 1)).sub(x(0, 1).mul(x(1, 0))));
  return [[sign, ans], [sign.mul(cst(0, sign.dtype)), ansDot]];
});

const slogdetLuFn = customJvp(function slogdet(a: Array) {
  const { diag, sign } = luParts(a);
  const d = a.dtype;
  const isZero = lax.reduceOr(bx.eq(diag, cst(0, d)), [diag.ndim - 1]);
  const negs = lax.reduceSum(lax.convertElementType(bx.lt(diag, cst(0, d)), int32), [diag.ndim - 1]);
  const s = sign.mul(where(bx.eq(bx.rem(negs, cst(2, int32)), cst(1, int32)), cst(-1, d), 1));
  return [where(isZero, 0, s), where(isZero, -Infinity, lax.reduceSum(lax.log(lax.abs(diag)), [diag.ndim - 1]))];
});
slogdetLuFn.defjvp(function slogdet_jvp([a]: Array[], [g]: Array[]) {
  const [sign, ans] = slogdetLuFn(a!) as [Array, Array];
  return [[sign, ans], [sign.mul(cst(0, sign.dtype)), traceOfProduct(invFn(a!), g!)]];
});

/**
 * jnp.linalg.slogdet: [sign, logabsdet] of `a [..., n, n]` (also as
 * `.sign` / `.logabsdet`); a singular matrix gives sign 0 and logabsdet -inf.
 */
export function slogdet(a: ArrayInput, opts: { method?: "lu" | null } = {}): SlogdetResult {
  const op = "linalg.slogdet";
  const x = inexact(op, a);
  if (opts.method !== undefined && opts.method !== null && opts.method !== "lu") {
    throw new TypeError(`[${op}] unknown slogdet method '${String(opts.method)}'; the supported method is 'lu'`);
  }
  if (x.ndim < 2 || x.shape[x.ndim - 1] !== x.shape[x.ndim - 2]) throw new TypeError(`[${op}] argument must have shape [..., n, n], got ${fmtA(x)}`);
  const n = lastDim(x);
  let r: Array[];
  if (n === 0) r = [fill(x.shape.slice(0, -2), 1, x.dtype), fill(x.shape.slice(0, -2), 0, x.dtype)];
  else r = (n <= 2 ? slogdetSmallFn(x) : slogdetLuFn(x)) as Array[];
  return named([r[0]!, r[1]!] as [Array, Array], { sign: r[0]!, logabsdet: r[1]! });
}

// ---------------------------------------------------------------------------
// Cholesky

const choleskyFn = customJvp(function cholesky(a: Array) {
  return choleskyKernel(a);
});
choleskyFn.defjvp(function cholesky_jvp([a]: Array[], [sigmaDot]: Array[]) {
  // L_dot = L · phi(L⁻¹ Σ̇ L⁻ᴴ), phi = lower triangle with the diagonal halved.
  const L = choleskyFn(a!);
  const n = lastDim(a!);
  const Linv = triangularSolve(L, bcast(eye(n, L.dtype), L.shape), true, false, false);
  const tmp = mm(mm(Linv, sigmaDot!), mT(Linv));
  const phi = tril(tmp).mul(where(bx.eq(lax.broadcastedIota(int32, [n, n], 0), lax.broadcastedIota(int32, [n, n], 1)), cst(0.5, L.dtype), 1));
  return [L, mm(L, phi)];
});

/** The symmetric matrix read from one triangle of a (the other is ignored). */
function fromTriangle(a: Array, lower: boolean): Array {
  const t = lower ? tril(a) : triu(a);
  return t.add(mT(lower ? tril(a, -1) : triu(a, 1)));
}

const symmetrize = (a: Array): Array => a.add(mT(a)).div(cst(2, a.dtype));

/**
 * jnp.linalg.cholesky(a, {upper, symmetrizeInput}): the lower (or upper)
 * Cholesky factor of a positive-definite `a [..., n, n]`. With symmetrizeInput
 * (default) a is replaced by (a + aᵀ)/2 first; otherwise only its lower
 * triangle is read. A matrix that is not positive definite gives NaNs.
 */
export function cholesky(a: ArrayInput, opts: { upper?: boolean; symmetrizeInput?: boolean } = {}): Array {
  const op = "linalg.cholesky";
  const x = inexact(op, a);
  checkMatrix(op, x, true);
  const s = opts.symmetrizeInput === false ? fromTriangle(x, true) : symmetrize(x);
  const L = choleskyFn(s);
  return opts.upper ? mT(L) : L;
}

// ---------------------------------------------------------------------------
// QR

/** JAX's _thin_qr_jvp (real case). */
function thinQrJvp(q: Array, r: Array, dx: Array): [Array, Array] {
  const n = lastDim(r);
  const rinv = triangularSolve(r, bcast(eye(n, r.dtype), r.shape), false, false, false);
  const dxRinv = mm(dx, rinv);
  const qtDxRinv = mm(mT(q), dxRinv);
  const low = tril(qtDxRinv, -1);
  const dO = low.sub(mT(low));
  const dq = mm(q, dO.sub(qtDxRinv)).add(dxRinv);
  const dr = mm(qtDxRinv.sub(dO), r);
  return [dq, dr];
}

const sliceLast2 = (x: Array, r0: number, r1: number, c0: number, c1: number): Array =>
  lax.slice(x, [...x.shape.slice(0, -2).map(() => 0), r0, c0], [...x.shape.slice(0, -2), r1, c1]);

const qrFn = cache((key: string) => {
  const full = key === "full";
  const f = customJvp(function qr(a: Array) {
    const m = a.shape[a.ndim - 2]!;
    const n = lastDim(a);
    const k = full ? m : Math.min(m, n);
    const [q, r] = householderKernel(a);
    return [sliceLast2(q, 0, m, 0, k), sliceLast2(r, 0, k, 0, n)];
  });
  f.defjvp(function qr_jvp([x]: Array[], [dx]: Array[]) {
    const [q, r] = f(x!) as [Array, Array];
    const m = x!.shape[x!.ndim - 2]!;
    const n = lastDim(x!);
    if (m < n) {
      const x2 = sliceLast2(x!, 0, m, m, n);
      const dx1 = sliceLast2(dx!, 0, m, 0, m);
      const dx2 = sliceLast2(dx!, 0, m, m, n);
      const r1 = sliceLast2(r, 0, m, 0, m);
      const [dq, dr1] = thinQrJvp(q, r1, dx1);
      const dr2 = mm(mT(dq), x2).add(mm(mT(q), dx2));
      return [[q, r], [dq, lax.concatenate([dr1, dr2], dr1.ndim - 1)]];
    }
    const qmn = full ? sliceLast2(q, 0, m, 0, n) : q;
    const rnn = full ? sliceLast2(r, 0, n, 0, n) : r;
    const [dqmn, drnn] = thinQrJvp(qmn, rnn, dx!);
    if (!full || m === n) return [[q, r], [dqmn, drnn]];
    // The extra columns of a complete Q (JAX's qr_jvp_rule, full_matrices and m > n).
    const qnn = sliceLast2(qmn, 0, n, 0, n);
    const qpn = sliceLast2(qmn, n, m, 0, n);
    const qmp = sliceLast2(q, 0, m, n, m);
    const dqnn = sliceLast2(dqmn, 0, n, 0, n);
    const dqpn = sliceLast2(dqmn, n, m, 0, n);
    const zpnH = mm(mT(invFn(qnn.sub(bcast(eye(n, q.dtype), qnn.shape)))), mT(qpn));
    const zpn = mT(zpnH);
    const dqmp = mm(dqmn, zpnH).sub(mm(qmn.add(mm(qmp, zpn)), mT(dqpn.sub(mm(zpn, dqnn)))));
    const dq = lax.concatenate([dqmn, dqmp], dqmn.ndim - 1);
    const dr = lax.concatenate([drnn, fill([...drnn.shape.slice(0, -2), m - n, n], 0, drnn.dtype)], drnn.ndim - 2);
    return [[q, r], [dq, dr]];
  });
  return f;
});

/**
 * jnp.linalg.qr(a, mode): "reduced" (default) gives Q `[..., m, k]` and R
 * `[..., k, n]` with k = min(m, n); "complete" gives Q `[..., m, m]` and R
 * `[..., m, n]`; "r" gives the reduced R only. Householder reflections with
 * LAPACK's sign conventions.
 */
export function qr(a: ArrayInput, mode: "reduced" | "complete" | "r"): QRResult | Array;
export function qr(a: ArrayInput, mode?: "reduced" | "complete"): QRResult;
export function qr(a: ArrayInput, mode: "r"): Array;
export function qr(a: ArrayInput, mode: "reduced" | "complete" | "r" = "reduced"): QRResult | Array {
  const op = "linalg.qr";
  const x = inexact(op, a);
  checkMatrix(op, x);
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new TypeError(`[${op}] unsupported QR decomposition mode '${String(mode)}' (use "reduced", "complete" or "r")`);
  }
  const [q, r] = qrFn(mode === "complete" ? "full" : "reduced")(x) as [Array, Array];
  if (mode === "r") return r;
  return named([q, r] as [Array, Array], { Q: q, R: r });
}

// ---------------------------------------------------------------------------
// eigh

const eighFn = customJvp(function eigh(a: Array) {
  return eighKernel(a);
});
eighFn.defjvp(function eigh_jvp([a]: Array[], [aDot]: Array[]) {
  const [w, v] = eighFn(a!) as [Array, Array];
  const n = lastDim(a!);
  const I = eye(n, a!.dtype);
  // F[i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it.
  const diff = lax.expandDims(w, [w.ndim - 1]).sub(lax.expandDims(w, [w.ndim]));
  const F = cst(1, a!.dtype).div(diff.add(I)).sub(I);
  const vtav = mm(mm(mT(v), aDot!), v);
  return [[w, v], [diagPart(vtav), mm(v, F.mul(vtav))]];
});

/**
 * jnp.linalg.eigh(a, UPLO, {symmetrizeInput}): eigenvalues (ascending) and
 * eigenvectors (columns) of a symmetric `a [..., n, n]`, as [w, v] (also
 * `.eigenvalues` / `.eigenvectors`). With symmetrizeInput (default) a is
 * replaced by (a + aᵀ)/2; otherwise only the UPLO triangle ("L" default) is read.
 */
export function eigh(a: ArrayInput, UPLO: "L" | "U" | null = null, opts: { symmetrizeInput?: boolean } = {}): EighResult {
  const op = "linalg.eigh";
  if (UPLO !== null && UPLO !== "L" && UPLO !== "U") throw new TypeError(`[${op}] UPLO must be one of null, 'L', or 'U', got ${JSON.stringify(UPLO)}`);
  const x = inexact(op, a);
  checkMatrix(op, x, true);
  const s = opts.symmetrizeInput === false ? fromTriangle(x, UPLO !== "U") : symmetrize(x);
  const [w, v] = eighFn(s) as [Array, Array];
  return named([w, v] as [Array, Array], { eigenvalues: w, eigenvectors: v });
}

/** jnp.linalg.eigvalsh: the eigenvalues (ascending) of a symmetric matrix. */
export function eigvalsh(a: ArrayInput, UPLO: "L" | "U" | null = "L", opts: { symmetrizeInput?: boolean } = {}): Array {
  return eigh(a, UPLO, opts)[0];
}

// ---------------------------------------------------------------------------
// SVD

/** JAX's svd_jvp_rule (real case) for the reduced SVD. */
function svdJvp(A: Array, dA: Array, U: Array, s: Array, Vt: Array): [Array, Array, Array] {
  const d = A.dtype;
  const V = mT(Vt);
  const k = lastDim(s);
  const sRow = lax.expandDims(s, [s.ndim - 1]); // [..., 1, k]: s_j along columns
  const sCol = mT(sRow);
  const dS = mm(mm(mT(U), dA), V);
  const ds = diagPart(dS);
  const I = eye(k, d);
  const sDiffs = sRow.add(sCol).mul(sRow.sub(sCol));
  const F = cst(1, d).div(sDiffs.add(I)).sub(I);
  const dSS = dS.mul(sRow);
  const SdS = dS.mul(sCol);
  let dU = mm(U, F.mul(dSS.add(mT(dSS))));
  let dV = mm(V, F.mul(SdS.add(mT(SdS))));
  const m = A.shape[A.ndim - 2]!;
  const n = lastDim(A);
  if (m > n) {
    const dAV = mm(dA, V);
    dU = dU.add(dAV.sub(mm(U, mm(mT(U), dAV))).div(sRow));
  }
  if (n > m) {
    const dAHU = mm(mT(dA), U);
    dV = dV.add(dAHU.sub(mm(V, mm(Vt, dAHU))).div(sRow));
  }
  return [ds, dU, mT(dV)];
}

const svdFn = cache((key: string) => {
  const full = key === "full";
  const f = customJvp(function svd(a: Array) {
    const [u, s, vh] = svdKernel(a, full, true);
    return [u!, s, vh!];
  });
  f.defjvp(function svd_jvp([a]: Array[], [da]: Array[]) {
    const m = a!.shape[a!.ndim - 2]!;
    const n = lastDim(a!);
    if (full && m !== n) throw new TypeError("[linalg.svd] singular value decomposition JVP not implemented for full matrices (use fullMatrices: false)");
    const [u, s, vh] = f(a!) as [Array, Array, Array];
    const [ds, du, dvh] = svdJvp(a!, da!, u, s, vh);
    return [[u, s, vh], [du, ds, dvh]];
  });
  return f;
});

const svdValsFn = customJvp(function svdvals(a: Array) {
  return svdKernel(a, false, false)[1];
});
svdValsFn.defjvp(function svdvals_jvp([a]: Array[], [da]: Array[]) {
  const [u, s, vh] = svdFn("reduced")(a!) as [Array, Array, Array];
  return [s, diagPart(mm(mm(mT(u), da!), mT(vh)))];
});

export interface SvdOptions {
  fullMatrices?: boolean;
  computeUv?: boolean;
  hermitian?: boolean;
}

/**
 * jnp.linalg.svd(a, {fullMatrices = true, computeUv = true, hermitian}):
 * [U, S, Vh] (also `.U`, `.S`, `.Vh`) with singular values descending, or S
 * alone without computeUv. One-sided Jacobi; hermitian uses eigh as JAX.
 */
export function svd(a: ArrayInput, opts: SvdOptions & { computeUv: false }): Array;
export function svd(a: ArrayInput, opts?: SvdOptions & { computeUv?: true }): SVDResult;
export function svd(a: ArrayInput, opts: SvdOptions): SVDResult | Array;
export function svd(a: ArrayInput, opts: SvdOptions = {}): SVDResult | Array {
  const op = "linalg.svd";
  const { fullMatrices = true, computeUv = true, hermitian = false } = opts;
  const x = inexact(op, a);
  checkMatrix(op, x, hermitian);
  if (hermitian) {
    const [w, v] = eighFn(symmetrize(x)) as [Array, Array];
    // JAX's: sort (|w|, index, sign(w)) ascending, then reverse.
    const s = lax.abs(w);
    const last = s.ndim - 1;
    if (!computeUv) return lax.rev(lax.sort(s, { dimension: -1 }), [last]);
    const idx = bcast(lax.iota(int32, lastDim(s)), s.shape);
    const [ss, perm, sign] = (lax.sort([s, idx, lax.sign(w)], { numKeys: 1 }) as Array[]).map((t) => lax.rev(t, [last])) as [Array, Array, Array];
    const sDesc = ss;
    const u = permuteColumns(v, perm);
    const vh = mT(u.mul(lax.expandDims(sign, [sign.ndim - 1])));
    return named([u, sDesc, vh] as [Array, Array, Array], { U: u, S: sDesc, Vh: vh });
  }
  if (!computeUv) return svdValsFn(x);
  const [u, s, vh] = svdFn(fullMatrices ? "full" : "reduced")(x) as [Array, Array, Array];
  return named([u, s, vh] as [Array, Array, Array], { U: u, S: s, Vh: vh });
}

/** jnp.linalg.svdvals: the singular values (descending). */
export function svdvals(x: ArrayInput): Array {
  const a = inexact("linalg.svdvals", x, "x");
  checkMatrix("linalg.svdvals", a);
  return svdValsFn(a);
}

// ---------------------------------------------------------------------------
// pinv, lstsq, matrix_rank, matrix_power, cond

const pinvFn = cache((key: string) => {
  const hermitian = key === "h";
  const f = customJvp(
    function pinv(rtol: Array, a: Array) {
      const m = a.shape[a.ndim - 2]!;
      const n = lastDim(a);
      if (m === 0 || n === 0) return fill([...a.shape.slice(0, -2), n, m], 0, a.dtype);
      const [u, s, vh] = svd(a, { fullMatrices: false, hermitian }) as SVDResult;
      const rt = lax.expandDims(lax.expandDims(rtol, [rtol.ndim]), range(Math.max(0, s.ndim - rtol.ndim - 1))); // [..., 1]
      const s0 = lax.slice(s, s.shape.map(() => 0), [...s.shape.slice(0, -1), 1]);
      const cutoff = rt.mul(s0);
      const sMasked = where(s.gt(cutoff), s, Infinity);
      return mm(mT(vh), mT(u).div(lax.expandDims(sMasked, [sMasked.ndim])));
    },
    { nondiffArgnums: [0] },
  );
  f.defjvp(function pinv_jvp(rtol: Array, [a0]: Array[], [aDot0]: Array[]) {
    let a = a0!;
    let aDot = aDot0!;
    const p = f(rtol, a);
    if (hermitian) {
      a = symmetrize(a);
      aDot = symmetrize(aDot);
    }
    const m = a.shape[a.ndim - 2]!;
    const n = lastDim(a);
    let pDot: Array;
    if (m >= n) {
      const s = mm(mm(p, mT(p)), mT(aDot));
      const t = mm(mm(mT(aDot), mT(p)), p);
      pDot = mm(mm(p, aDot), p).neg().add(s).sub(mm(mm(s, a), p)).add(t).sub(mm(mm(p, a), t));
    } else {
      const s = mm(p, mm(mT(p), mT(aDot)));
      const t = mm(mT(aDot), mm(mT(p), p));
      pDot = mm(p, mm(aDot, p)).neg().add(s).sub(mm(s, mm(a, p))).add(t).sub(mm(p, mm(a, t)));
    }
    return [p, pDot];
  });
  return f;
});

/**
 * jnp.linalg.pinv(a, {rtol, hermitian}): the Moore-Penrose pseudo-inverse via
 * the SVD; singular values at most rtol·max(s) are treated as zero (default
 * rtol = 10·max(m, n)·eps). `rcond` is an alias of rtol.
 */
export function pinv(a: ArrayInput, opts: { rtol?: ArrayInput | null; hermitian?: boolean; rcond?: ArrayInput | null } = {}): Array {
  const op = "linalg.pinv";
  const x = inexact(op, a);
  checkMatrix(op, x, !!opts.hermitian);
  let rtol = opts.rtol ?? null;
  if (opts.rcond !== undefined && opts.rcond !== null) {
    if (rtol !== null) throw new TypeError(`[${op}] only one of rtol and rcond may be specified`);
    rtol = opts.rcond;
  }
  const m = x.shape[x.ndim - 2]!;
  const n = lastDim(x);
  const rt = rtol === null ? cst(10 * Math.max(m, n) * epsOf(x.dtype), x.dtype) : lax.convertElementType(stopGradient(arr(op, rtol, "rtol")), x.dtype);
  return pinvFn(opts.hermitian ? "h" : "g")(rt, x);
}

/**
 * jnp.linalg.lstsq(a, b, {rcond, numpyResid}): the least-squares solution of
 * a x = b for 2-D `a [m, n]` and `b [m]` or `[m, k]`, as [x, residuals, rank, s]
 * (via the SVD; singular values below rcond·max(s) are dropped, default
 * eps·max(m, n)). Residuals are ‖b - a x‖² per column; with numpyResid they
 * are empty when rank < n or m <= n, as NumPy.
 */
export function lstsq(a: ArrayInput, b: ArrayInput, opts: { rcond?: number | null; numpyResid?: boolean } = {}): LstsqResult {
  const op = "linalg.lstsq";
  let [x, y] = inexactAll(op, [a, b], ["a", "b"]) as [Array, Array];
  if (x.ndim !== 2) throw new TypeError(`[${op}] ${x.ndim}-dimensional array given for a; it must be two-dimensional`);
  if (y.ndim < 1 || y.ndim > 2) throw new TypeError(`[${op}] ${y.ndim}-dimensional array given for b; it must be one- or two-dimensional`);
  if (x.shape[0] !== y.shape[0]) throw new TypeError(`[${op}] leading dimensions of a ${fmtA(x)} and b ${fmtA(y)} must match`);
  const vec = y.ndim === 1;
  if (vec) y = lax.expandDims(y, [1]);
  const [m, n] = x.shape as [number, number];
  const d = x.dtype;
  let sol: Array;
  let s: Array;
  let rank: Array;
  if (x.size === 0) {
    s = fill([0], 0, d);
    rank = cst(0, int32);
    sol = fill([n, y.shape[1]!], 0, d);
  } else {
    const rcond = opts.rcond === undefined || opts.rcond === null ? epsOf(d) * Math.max(m, n) : opts.rcond < 0 ? epsOf(d) : opts.rcond;
    const [u, sv, vt] = svd(x, { fullMatrices: false }) as SVDResult;
    s = sv;
    const s0 = lax.slice(sv, [0], [1]);
    const mask = bx.bitwiseAnd(sv.gt(cst(0, d)), sv.ge(s0.mul(cst(rcond, d))));
    rank = lax.reduceSum(lax.convertElementType(mask, int32), [0]);
    const safe = where(mask, sv, 1);
    const sInv = lax.expandDims(where(mask, cst(1, d).div(safe), 0), [1]);
    sol = mm(mT(vt), sInv.mul(mm(mT(u), y)));
  }
  let resid: Array;
  // NumPy's convention needs the rank's value (as in JAX, not under jit).
  if (opts.numpyResid && (Number(rank.item()) < n || m <= n)) resid = fill([0], 0, d);
  else {
    const r = y.sub(mm(x, sol));
    resid = lax.reduceSum(r.mul(r), [0]);
  }
  if (vec) sol = lax.reshape(sol, [n]);
  return [sol, resid, rank, s];
}

/**
 * jnp.linalg.matrix_rank(M, {rtol, tol, hermitian}): the number of singular
 * values above rtol·max(s) (default max(m, n)·eps·max(s)); int32.
 */
export function matrixRank(M: ArrayInput, opts: { rtol?: ArrayInput | null; tol?: ArrayInput | null; hermitian?: boolean } = {}): Array {
  const op = "linalg.matrixRank";
  const x = inexact(op, M, "M");
  let rtol = opts.rtol ?? null;
  if (opts.tol !== undefined && opts.tol !== null) {
    if (rtol !== null) throw new TypeError(`[${op}] only one of tol or rtol may be specified`);
    rtol = opts.tol;
  }
  if (x.ndim < 2) return lax.convertElementType(lax.reduceOr(bx.ne(x, cst(0, x.dtype)), range(x.ndim)), int32);
  const S = svd(x, { fullMatrices: false, computeUv: false, hermitian: !!opts.hermitian }) as Array;
  const lastAxis = S.ndim - 1;
  let tolArr: Array;
  if (rtol === null) {
    const smax = lax.reduceMax(S, [lastAxis]);
    tolArr = smax.mul(cst(Math.max(x.shape[x.ndim - 2]!, lastDim(x)) * epsOf(S.dtype), S.dtype));
  } else tolArr = lax.convertElementType(arr(op, rtol, "rtol"), S.dtype);
  const t = lax.expandDims(tolArr, [tolArr.ndim]);
  return lax.reduceSum(lax.convertElementType(S.gt(t), int32), [lastAxis]);
}

/** jnp.linalg.matrix_power(a, n): repeated squaring; n < 0 inverts first, n = 0 gives identities. */
export function matrixPower(a: ArrayInput, n: number): Array {
  const op = "linalg.matrixPower";
  const x = arr(op, a);
  if (x.ndim < 2) throw new TypeError(`[${op}] ${x.ndim}-dimensional array given; the array must be at least two-dimensional`);
  if (x.shape[x.ndim - 1] !== x.shape[x.ndim - 2]) throw new TypeError(`[${op}] the last 2 dimensions of the array must be square, got ${fmtA(x)}`);
  if (!Number.isInteger(n)) throw new TypeError(`[${op}] exponent must be an integer, got ${n}`);
  let base = x;
  if (n === 0) return bcast(eye(lastDim(x), x.dtype), x.shape);
  if (n < 0) base = inv(x);
  let k = Math.abs(n);
  if (k === 1) return base;
  if (k === 2) return mm(base, base);
  if (k === 3) return mm(mm(base, base), base);
  let z: Array | null = null;
  let result: Array | null = null;
  while (k > 0) {
    z = z === null ? base : mm(z, z);
    const bit = k % 2;
    k = Math.floor(k / 2);
    if (bit) result = result === null ? z : mm(result, z);
  }
  return result!;
}

/**
 * jnp.linalg.cond(x, p): the condition number in the p-norm (null/2: ratio of
 * extreme singular values; -2 the inverse; others ‖x‖·‖x⁻¹‖ for square x).
 * NaNs from singular matrices become inf (unless x has NaNs).
 */
export function cond(x: ArrayInput, p: number | "fro" | "nuc" | null = null): Array {
  const op = "linalg.cond";
  const a = inexact(op, x, "x");
  if (a.ndim < 2) throw new TypeError(`[${op}] input array must be at least 2D; got ${fmtA(a)}`);
  if (lastDim(a) === 0 || a.shape[a.ndim - 2] === 0) throw new TypeError(`[${op}] input array must not be empty; got ${fmtA(a)}`);
  const first = (s: Array) => lax.squeeze(lax.slice(s, s.shape.map(() => 0), [...s.shape.slice(0, -1), 1]), [s.ndim - 1]);
  const last = (s: Array) => lax.squeeze(lax.slice(s, [...s.shape.slice(0, -1).map(() => 0), lastDim(s) - 1], s.shape), [s.ndim - 1]);
  if (p === null || p === 2) {
    const s = svdvals(a);
    return first(s).div(last(s));
  }
  let r: Array;
  if (p === -2) {
    const s = svdvals(a);
    r = last(s).div(first(s));
  } else {
    if (lastDim(a) !== a.shape[a.ndim - 2]) throw new TypeError(`[${op}] for p=${p}, array must be square; got ${fmtA(a)}`);
    r = norm(a, p, [-2, -1]).mul(norm(inv(a), p, [-2, -1]));
  }
  const xNan = lax.reduceOr(bx.ne(a, a), [a.ndim - 2, a.ndim - 1]);
  return where(bx.bitwiseAnd(bx.ne(r, r), lax.bitwiseNot(xNan)), cst(Infinity, r.dtype), r);
}

// ---------------------------------------------------------------------------
// Norms

type Ord = number | "fro" | "f" | "nuc" | null;

/** norm's keyword arguments (JAX's ord, axis, keepdims), as an alternative to positional ones. */
export interface NormOptions {
  ord?: Ord;
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/**
 * The 2-norm over `axes`, scaled by the largest magnitude so large or tiny
 * entries neither overflow nor underflow (sqrt(Σ(x/m)²)·m; m only rescales, so
 * it carries no derivative), with the derivative at 0 chosen as 0 instead of
 * NaN (the where-trick: sqrt never sees the 0).
 */
function l2Norm(x: Array, axes: number[], keepdims: boolean): Array {
  const d = x.dtype;
  let r: Array;
  if (axes.length === 0) r = lax.abs(x);
  else {
    const m = stopGradient(lax.expandDims(lax.reduceMax(lax.abs(x), axes), sortedAxes(axes)));
    const mSafe = where(bx.bitwiseOr(bx.eq(m, cst(0, d)), lax.bitwiseNot(lax.isFinite(m))), cst(1, d), m);
    const y = x.div(mSafe);
    const s2 = lax.expandDims(lax.reduceSum(y.mul(y), axes), sortedAxes(axes));
    const zero = bx.eq(s2, cst(0, d));
    r = where(zero, 0, lax.sqrt(where(zero, cst(1, d), s2)).mul(mSafe));
    if (!keepdims) r = lax.squeeze(r, axes);
  }
  return r;
}

const sortedAxes = (axes: number[]): number[] => [...axes].sort((a, b) => a - b);

function reduceKeep(x: Array, axes: number[], keepdims: boolean, f: (x: Array, axes: number[]) => Array): Array {
  const r = f(x, axes);
  return keepdims ? lax.expandDims(r, sortedAxes(axes)) : r;
}

/** amax with initial 0 (jnp's `initial=0`). */
const maxInit0 = (x: Array, axes: number[]) => bx.max(lax.reduceMax(x, axes), cst(0, x.dtype));

function minNoIdentity(op: string, x: Array, axes: number[]): Array {
  if (axes.some((a) => x.shape[a] === 0)) {
    throw new RangeError(`[${op}] zero-size array to reduction operation min which has no identity (${fmtA(x)})`);
  }
  return lax.reduceMin(x, axes);
}

function vectorNormImpl(op: string, x: Array, axes: number[], keepdims: boolean, ord: Ord): Array {
  if (ord === null || ord === 2) return l2Norm(x, axes, keepdims);
  if (typeof ord === "string") throw new TypeError(`[${op}] invalid order '${ord}' for vector norm`);
  if (ord === Infinity) return reduceKeep(lax.abs(x), axes, keepdims, maxInit0);
  if (ord === -Infinity) return reduceKeep(lax.abs(x), axes, keepdims, (y, ax) => minNoIdentity(op, y, ax));
  if (ord === 0) return reduceKeep(lax.convertElementType(bx.ne(x, cst(0, x.dtype)), x.dtype), axes, keepdims, lax.reduceSum);
  if (ord === 1) return reduceKeep(lax.abs(x), axes, keepdims, lax.reduceSum);
  // Exponents at full shape: pow's derivative rule wants operands of one shape.
  const ax = lax.abs(x);
  const s = reduceKeep(bx.pow(ax, fill(ax.shape, ord, x.dtype)), axes, keepdims, lax.reduceSum);
  return bx.pow(s, fill(s.shape, 1 / ord, x.dtype));
}

function normAxesList(op: string, axis: number | readonly number[], ndim: number): number[] {
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normAxis(op, a, ndim));
  if (new Set(out).size !== out.length) throw new RangeError(`[${op}] duplicate axes in axis=(${list.join(", ")})`);
  return out;
}

/**
 * jnp.linalg.norm(x, ord, axis, keepdims): vector norms over one axis (ord:
 * null/2, ±inf, 0, 1, any p) and matrix norms over two (ord: null/"fro",
 * "nuc", ±1, ±2, ±inf); with axis and ord null, the 2-norm of the flattened x.
 * The 2-norm and Frobenius norm are scaled against overflow and have
 * derivative 0 (not NaN) at 0. The keyword form `norm(x, {ord, axis, keepdims})`
 * is accepted too.
 */
export function norm(x: ArrayInput, ordOrOpts: Ord | NormOptions = null, axisArg: number | readonly number[] | null = null, keepdimsArg = false): Array {
  const op = "linalg.norm";
  let ord: Ord = ordOrOpts as Ord;
  let axis = axisArg;
  let keepdims = keepdimsArg;
  if (typeof ordOrOpts === "object" && ordOrOpts !== null) {
    ({ ord = null, axis = null, keepdims = false } = ordOrOpts);
  }
  const a = inexact(op, x, "x");
  let axes: number[];
  if (axis === null) {
    if (ord === null) return l2Norm(a, range(a.ndim), keepdims);
    axes = range(a.ndim);
  } else axes = normAxesList(op, axis, a.ndim);
  if (axes.length === 1) return vectorNormImpl(op, a, axes, keepdims, ord);
  if (axes.length === 2) return matrixNormImpl(op, a, axes as [number, number], keepdims, ord);
  throw new TypeError(`[${op}] improper number of axes for norm: axis=${JSON.stringify(axis)} (${fmtA(a)}); pass one axis for a vector norm or two for a matrix norm`);
}

function matrixNormImpl(op: string, x: Array, [rowAxis0, colAxis0]: [number, number], keepdims: boolean, ord: Ord): Array {
  let rowAxis = rowAxis0;
  let colAxis = colAxis0;
  if (ord === null || ord === "fro" || ord === "f") return l2Norm(x, [rowAxis, colAxis], keepdims);
  const ab = lax.abs(x);
  if (ord === 1 || ord === -1) {
    if (!keepdims && colAxis > rowAxis) colAxis -= 1;
    const s = reduceKeep(ab, [rowAxis], keepdims, lax.reduceSum);
    return ord === 1 ? reduceKeep(s, [colAxis], keepdims, maxInit0) : reduceKeep(s, [colAxis], keepdims, (y, axs) => minNoIdentity(op, y, axs));
  }
  if (ord === Infinity || ord === -Infinity) {
    if (!keepdims && rowAxis > colAxis) rowAxis -= 1;
    const s = reduceKeep(ab, [colAxis], keepdims, lax.reduceSum);
    return ord === Infinity ? reduceKeep(s, [rowAxis], keepdims, maxInit0) : reduceKeep(s, [rowAxis], keepdims, (y, axs) => minNoIdentity(op, y, axs));
  }
  if (ord === "nuc" || ord === 2 || ord === -2) {
    const rest = range(x.ndim).filter((i) => i !== rowAxis && i !== colAxis);
    const moved = lax.transpose(x, [...rest, rowAxis, colAxis]);
    const s = svdValsFn(moved);
    const last = s.ndim - 1;
    let y = ord === 2 ? maxInit0(s, [last]) : ord === -2 ? minNoIdentity(op, s, [last]) : lax.reduceSum(s, [last]);
    if (keepdims) y = lax.expandDims(y, sortedAxes([rowAxis, colAxis]));
    return y;
  }
  throw new TypeError(`[${op}] invalid order '${String(ord)}' for matrix norm`);
}

/** jnp.linalg.vector_norm(x, {axis, keepdims, ord = 2}). */
export function vectorNorm(x: ArrayInput, opts: { axis?: number | readonly number[] | null; keepdims?: boolean; ord?: number } = {}): Array {
  const op = "linalg.vectorNorm";
  const a = inexact(op, x, "x");
  const axes = opts.axis === undefined || opts.axis === null ? range(a.ndim) : normAxesList(op, opts.axis, a.ndim);
  return vectorNormImpl(op, a, axes, !!opts.keepdims, opts.ord ?? 2);
}

/** jnp.linalg.matrix_norm(x, {keepdims, ord = "fro"}) over the last two axes. */
export function matrixNorm(x: ArrayInput, opts: { keepdims?: boolean; ord?: Ord } = {}): Array {
  const a = inexact("linalg.matrixNorm", x, "x");
  checkMatrix("linalg.matrixNorm", a);
  return norm(a, opts.ord ?? "fro", [-2, -1], !!opts.keepdims);
}

// ---------------------------------------------------------------------------
// Array API helpers and tensor functions

/** jnp.linalg.matrix_transpose: swap the last two axes. */
export function matrixTranspose(x: ArrayInput): Array {
  const a = arr("linalg.matrixTranspose", x, "x");
  if (a.ndim < 2) throw new TypeError(`[linalg.matrixTranspose] requires at least 2 dimensions; got ${fmtA(a)}`);
  return mT(a);
}

/** jnp.linalg.diagonal(x, {offset}): the diagonals of the last two axes. */
export function diagonal(x: ArrayInput, opts: { offset?: number } = {}): Array {
  const a = arr("linalg.diagonal", x, "x");
  checkMatrix("linalg.diagonal", a);
  const k = opts.offset ?? 0;
  const m = a.shape[a.ndim - 2]!;
  const n = lastDim(a);
  const L = Math.max(0, k >= 0 ? Math.min(m, n - k) : Math.min(m + k, n));
  const r0 = k >= 0 ? 0 : Math.min(-k, m);
  const c0 = k >= 0 ? Math.min(k, n) : 0;
  return diagPart(sliceLast2(a, r0, r0 + L, c0, c0 + L));
}

/** jnp.linalg.trace(x, {offset, dtype}): sums of the diagonals of the last two axes (integers widen as jnp.sum). */
export function trace(x: ArrayInput, opts: { offset?: number; dtype?: DType | string | null } = {}): Array {
  const dg = diagonal(x, { offset: opts.offset ?? 0 });
  const s = dg.sum(-1);
  return opts.dtype ? lax.convertElementType(s, opts.dtype) : s;
}

/** jnp.linalg.outer: the outer product of two 1-D arrays. */
export function outer(x1: ArrayInput, x2: ArrayInput): Array {
  const a = arr("linalg.outer", x1, "x1");
  const b = arr("linalg.outer", x2, "x2");
  if (a.ndim !== 1 || b.ndim !== 1) throw new TypeError(`[linalg.outer] input arrays must be one-dimensional, got ${fmtA(a)} and ${fmtA(b)}`);
  return jnpOuter(a, b);
}

/** jnp.linalg.cross: the cross product of 3-vectors along `axis` (default -1). */
export function cross(x1: ArrayInput, x2: ArrayInput, opts: { axis?: number } = {}): Array {
  const a = arr("linalg.cross", x1, "x1");
  const b = arr("linalg.cross", x2, "x2");
  const axis = opts.axis ?? -1;
  const ia = normAxis("linalg.cross", axis, a.ndim);
  const ib = normAxis("linalg.cross", axis, b.ndim);
  if (a.shape[ia] !== 3 || b.shape[ib] !== 3) {
    throw new TypeError(`[linalg.cross] both input arrays must be (arrays of) 3-dimensional vectors, got ${fmtA(a)} and ${fmtA(b)} along axis ${axis}`);
  }
  return jnpCross(a, b, { axis });
}

/** jnp.linalg.matmul (jnp.matmul). */
export const matmul = (x1: ArrayInput, x2: ArrayInput, opts: ProductOptions = {}): Array => jnpMatmul(x1, x2, opts);

/** jnp.linalg.tensordot(x1, x2, {axes = 2, ...}). */
export const tensordot = (
  x1: ArrayInput,
  x2: ArrayInput,
  opts: ProductOptions & { axes?: number | readonly [number, number] | readonly [readonly number[], readonly number[]] } = {},
): Array => jnpTensordot(x1, x2, opts.axes ?? 2, opts);

/** jnp.linalg.vecdot(x1, x2, {axis = -1, ...}). */
export const vecdot = (x1: ArrayInput, x2: ArrayInput, opts: ProductOptions & { axis?: number } = {}): Array => jnpVecdot(x1, x2, opts);

/**
 * jnp.linalg.multi_dot(arrays): the chained product with the cheapest
 * contraction order (via einsum); the first and last may be 1-D.
 */
export function multiDot(arrays: readonly ArrayInput[], opts: ProductOptions = {}): Array {
  const op = "linalg.multiDot";
  const arrs = arrays.map((a, i) => arr(op, a, `arrays[${i}]`));
  if (arrs.length < 2) throw new TypeError(`[${op}] requires at least two arrays; got ${arrs.length}`);
  const shapes = arrs.map((a) => `(${a.shape.join(", ")})`).join(", ");
  const first = arrs[0]!;
  const lastA = arrs[arrs.length - 1]!;
  if (!([1, 2].includes(first.ndim) && [1, 2].includes(lastA.ndim) && arrs.slice(1, -1).every((a) => a.ndim === 2))) {
    throw new TypeError(`[${op}] input arrays must all be two-dimensional, except for the first and last array which may be 1 or 2 dimensional; got shapes ${shapes}`);
  }
  for (let i = 0; i + 1 < arrs.length; i++) {
    if (lastDim(arrs[i]!) !== arrs[i + 1]!.shape[0]) {
      throw new TypeError(`[${op}] last dimension of each array must match first dimension of the following array; got shapes ${shapes}`);
    }
  }
  const axes = arrs.map((_, i) => [i, i + 1]);
  if (first.ndim === 1) axes[0] = [1];
  if (lastA.ndim === 1) axes[axes.length - 1] = [arrs.length - 1];
  const args: unknown[] = [];
  arrs.forEach((a, i) => args.push(a, axes[i]!));
  return (einsum as (...xs: unknown[]) => Array)(...args, { optimize: "auto", ...opts });
}

/** jnp.linalg.tensorinv(a, ind = 2): the inverse with respect to the tensordot over the first `ind` axes. */
export function tensorinv(a: ArrayInput, ind = 2): Array {
  const op = "linalg.tensorinv";
  const x = arr(op, a);
  if (!Number.isInteger(ind) || ind <= 0) throw new TypeError(`[${op}] ind must be a positive integer; got ind=${ind}`);
  const contracting = x.shape.slice(0, ind);
  const batch = x.shape.slice(ind);
  const p0 = contracting.reduce((p, d) => p * d, 1);
  const p1 = batch.reduce((p, d) => p * d, 1);
  if (p0 !== p1) {
    throw new TypeError(`[${op}] is only possible when the product of the first \`ind\` dimensions equals that of the remaining dimensions; got ${fmtA(x)} with ind=${ind}`);
  }
  return lax.reshape(inv(lax.reshape(x, [p0, p1])), [...batch, ...contracting]);
}

/** jnp.linalg.tensorsolve(a, b, axes): x with tensordot(a, x, x.ndim) = b. */
export function tensorsolve(a: ArrayInput, b: ArrayInput, axes: readonly number[] | null = null): Array {
  const op = "linalg.tensorsolve";
  let x = arr(op, a, "a");
  const y = arr(op, b, "b");
  if (axes !== null) {
    const src = axes.map((ax) => normAxis(op, ax, x.ndim));
    const rest = range(x.ndim).filter((i) => !src.includes(i));
    x = lax.transpose(x, [...rest, ...src]);
  }
  const outShape = x.shape.slice(y.ndim);
  if (x.shape.slice(0, y.ndim).some((d, i) => d !== y.shape[i])) {
    throw new TypeError(`[${op}] after moving axes to the end, the leading shape of a must match the shape of b; got ${fmtA(x)} and ${fmtA(y)}`);
  }
  const pOut = outShape.reduce((p, d) => p * d, 1);
  if (y.size !== pOut) throw new TypeError(`[${op}] input arrays must have prod(a.shape[:b.ndim]) == prod(a.shape[b.ndim:]); got ${fmtA(x)} and b.ndim=${y.ndim}`);
  return lax.reshape(solve(lax.reshape(x, [y.size, pOut]), lax.reshape(y, [y.size])), outShape);
}
