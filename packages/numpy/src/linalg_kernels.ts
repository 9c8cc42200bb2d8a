// Matrix algorithms for jnp.linalg written with core primitives only (not part
// of the public API): LU with partial pivoting, triangular solves, Cholesky,
// Householder QR, cyclic Jacobi eigh and one-sided Jacobi SVD. Each works on
// `[..., m, n]` arrays (leading batch dims ride along in every operation), uses
// lax.foriLoop / whileLoop with masks and dynamic slices, and so runs under jit
// and vmap. None is differentiated through: linalg.ts wraps them in custom JVPs
// with JAX's rules.
import { Array, bool, fromTyped, int32, lax, numpyMatmul, scalar, type DType } from "@jaxts/core";

const JsArray = globalThis.Array;

/** Lift to equal rank with leading size-1 axes (lax broadcasts size-1 dims and rank-0 operands, not ranks). */
function liftRank(a: Array, nd: number): Array {
  return a.ndim === 0 || a.ndim === nd ? a : lax.reshape(a, [...JsArray<number>(nd - a.ndim).fill(1), ...a.shape]);
}
const ranked =
  (f: (x: Array, y: Array) => Array) =>
  (x: Array, y: Array): Array => {
    const nd = Math.max(x.ndim, y.ndim);
    return f(liftRank(x, nd), liftRank(y, nd));
  };
/** lax's binary elementwise ops with NumPy rank alignment (trailing axes line up). */
export const bx = {
  eq: ranked(lax.eq), ne: ranked(lax.ne), lt: ranked(lax.lt), le: ranked(lax.le), gt: ranked(lax.gt), ge: ranked(lax.ge),
  add: ranked(lax.add), sub: ranked(lax.sub), mul: ranked(lax.mul), div: ranked(lax.div),
  bitwiseAnd: ranked(lax.bitwiseAnd), bitwiseOr: ranked(lax.bitwiseOr), max: ranked(lax.max), min: ranked(lax.min),
  rem: ranked(lax.rem), pow: ranked(lax.pow),
};

/** Python's range: range(n) = [0, n), range(a, b) = [a, b). */
export function range(a: number, b?: number): number[] {
  const [lo, hi] = b === undefined ? [0, a] : [a, b];
  return JsArray.from({ length: Math.max(0, hi - lo) }, (_, i) => lo + i);
}

// ---------------------------------------------------------------------------
// small helpers shared by linalg.ts and fft.ts

export const fmtA = (x: Array): string => x.aval.strShort();

/** Machine epsilon of a float dtype. */
export function epsOf(d: DType): number {
  return d.name === "float64" ? 2 ** -52 : d.name === "float16" ? 2 ** -10 : 2 ** -23;
}

/** A scalar constant of `d` (strong). */
export const cst = (v: number, d: DType): Array => scalar(v, d, false);

/** An array of `shape` filled with v. */
export function fill(shape: readonly number[], v: number | boolean, d: DType): Array {
  const s = typeof v === "boolean" ? scalar(v) : cst(v, d);
  return shape.length === 0 ? s : lax.broadcastInDim(s, shape, []);
}

/** Broadcast x to `shape` (NumPy alignment: trailing dims; size-1 dims stretch). */
export function bcast(x: Array, shape: readonly number[]): Array {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const lead = shape.length - x.ndim;
  const squeezeDims = x.shape.flatMap((d, i) => (d === 1 && shape[lead + i] !== 1 ? [i] : []));
  const kept = squeezeDims.length ? lax.squeeze(x, squeezeDims) : x;
  const dims = x.shape.flatMap((_, i) => (squeezeDims.includes(i) ? [] : [lead + i]));
  return lax.broadcastInDim(kept, shape, dims);
}

export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  return range(n).map((i) => {
    let d = 1;
    for (const s of shapes) {
      const e = s[s.length - n + i] ?? 1;
      if (e !== 1) {
        if (d !== 1 && d !== e) throw new TypeError(`shapes (${shapes.map((x) => x.join(", ")).join("), (")}) do not broadcast`);
        d = e;
      }
    }
    return d;
  });
}

/** lax.select with NumPy broadcasting of the predicate and both cases (numbers take the other case's dtype). */
export function where(c: Array, x: Array | number, y: Array | number): Array {
  if (!(x instanceof Array) && !(y instanceof Array)) throw new TypeError("[where] internal: one case must be an Array");
  const d = x instanceof Array ? x.dtype : (y as Array).dtype;
  const xa = x instanceof Array ? x : cst(x, d);
  const ya = y instanceof Array ? y : cst(y, d);
  const shape = broadcastShape(c.shape, xa.shape, ya.shape);
  return lax.select(bcast(c, shape), bcast(xa, shape), bcast(ya, shape));
}

/** The last two axes swapped. */
export function mT(x: Array): Array {
  const n = x.ndim;
  return lax.transpose(x, [...range(n - 2), n - 1, n - 2]);
}

/** Batched matrix product (jnp.matmul). */
export const mm = (a: Array, b: Array): Array => numpyMatmul(a, b);

/** Integer row or column index of an `[m, n]` grid (for masks). */
export const rowIdx = (m: number, n: number): Array => lax.broadcastedIota(int32, [m, n], 0);
export const colIdx = (m: number, n: number): Array => lax.broadcastedIota(int32, [m, n], 1);

/** The `[n, m]` identity-like matrix (ones where row + k == col). */
export function eye(n: number, d: DType, m = n, k = 0): Array {
  return lax.convertElementType(bx.eq(bx.add(rowIdx(n, m), cst(k, int32)), colIdx(n, m)), d);
}

/** Mask of the lower (col <= row + k) or upper (col >= row + k) triangle of an `[m, n]` matrix. */
export function triMask(m: number, n: number, k: number, lower: boolean): Array {
  const diff = bx.sub(colIdx(m, n), rowIdx(m, n));
  return lower ? bx.le(diff, cst(k, int32)) : bx.ge(diff, cst(k, int32));
}

export const tril = (x: Array, k = 0): Array => where(triMask(x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!, k, true), x, 0);
export const triu = (x: Array, k = 0): Array => where(triMask(x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!, k, false), x, 0);

/** The main diagonal `[..., min(m, n)]` of `[..., m, n]`. */
export function diagPart(x: Array): Array {
  const m = x.shape[x.ndim - 2]!;
  const n = x.shape[x.ndim - 1]!;
  const k = Math.min(m, n);
  const sq = m === k && n === k ? x : lax.slice(x, x.shape.map(() => 0), [...x.shape.slice(0, -2), k, k]);
  return lax.reduceSum(where(bx.eq(rowIdx(k, k), colIdx(k, k)), sq, 0), [sq.ndim - 1]);
}

/** `[..., n]` -> the diagonal matrix `[..., n, n]`. */
export function diagEmbed(v: Array): Array {
  const n = v.shape[v.ndim - 1]!;
  return where(bx.eq(rowIdx(n, n), colIdx(n, n)), lax.expandDims(v, [v.ndim - 1]), 0);
}

/** Columns of `[..., m, n]` permuted by `perm [..., n]` (column k of the result is column perm[k]); exact. */
export function permuteColumns(x: Array, perm: Array): Array {
  const n = x.shape[x.ndim - 1]!;
  const p = lax.convertElementType(bx.eq(lax.broadcastedIota(int32, [...perm.shape.slice(0, -1), n, n], perm.ndim - 1), lax.expandDims(perm, [perm.ndim - 1])), x.dtype);
  return mm(x, p);
}

/** One row `[..., 1, n]` of `[..., m, n]` at a traced index. */
const rowAt = (x: Array, i: Array): Array => lax.dynamicIndexInDim(x, i, x.ndim - 2, true);
/** One column `[..., m, 1]` of `[..., m, n]` at a traced index. */
const colAt = (x: Array, j: Array): Array => lax.dynamicIndexInDim(x, j, x.ndim - 1, true);

/** Sum of squares along an axis, scaled by the largest magnitude so it neither overflows nor underflows. */
function scaledNorm(x: Array, axis: number): Array {
  const m = lax.reduceMax(lax.abs(x), [axis]);
  const safe = where(bx.eq(m, cst(0, x.dtype)), 1, m);
  const y = x.div(lax.expandDims(safe, [axis]));
  const r = bx.mul(lax.sqrt(lax.reduceSum(bx.mul(y, y), [axis])), safe);
  return where(bx.eq(m, cst(0, x.dtype)), 0, r);
}

// ---------------------------------------------------------------------------
// LU with partial pivoting (JAX's _lu_unblocked, on batches)

/**
 * P·A = L·U for `a [..., m, n]`: returns the packed factors (unit L below the
 * diagonal, U on and above), the pivot rows `[..., min(m, n)]` (row k was
 * swapped with pivots[k]) and the permutation `[..., m]` (int32), as lax.linalg.lu.
 * The pivot is the first entry of largest magnitude, as LAPACK's getrf.
 */
export function luKernel(a: Array): [Array, Array, Array] {
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, -2);
  const pivots0 = fill([...batch, k], 0, int32);
  const perm0 = bcast(lax.iota(int32, m), [...batch, m]);
  if (k === 0) return [a, pivots0, perm0];
  const rows = rowIdx(m, n);
  const cols = colIdx(m, n);
  const mIdx = lax.iota(int32, m);
  const kIdx = lax.iota(int32, k);
  const [piv, perm, lu] = lax.foriLoop(
    0,
    k,
    (j: Array, [pivots, permutation, x]: [Array, Array, Array]) => {
      const col = lax.squeeze(colAt(x, j), [x.ndim - 1]); // [..., m]
      const mag = where(bx.ge(mIdx, j), lax.abs(col), -Infinity);
      const i = lax.argmax(mag, mag.ndim - 1, int32); // [...]
      const iB = lax.expandDims(i, [i.ndim]);
      pivots = where(bx.eq(kIdx, j), iB, pivots);
      const iRow = lax.expandDims(iB, [iB.ndim]); // [..., 1, 1]
      const rowJ = rowAt(x, j);
      const rowI = lax.reduceSum(where(bx.eq(rows, iRow), x, 0), [x.ndim - 2]);
      x = where(bx.eq(rows, j), lax.expandDims(rowI, [rowI.ndim - 1]), where(bx.eq(rows, iRow), rowJ, x));
      const pj = lax.dynamicIndexInDim(permutation, j, permutation.ndim - 1, true);
      const pi = lax.reduceSum(where(bx.eq(mIdx, iB), permutation, 0), [permutation.ndim - 1]);
      permutation = where(bx.eq(mIdx, j), lax.expandDims(pi, [pi.ndim]), where(bx.eq(mIdx, iB), pj, permutation));
      const pivot = lax.dynamicIndexInDim(rowAt(x, j), j, x.ndim - 1, true); // [..., 1, 1]
      const c = colAt(x, j);
      const below = bx.gt(rowIdx(m, 1), j);
      const scaled = where(bx.bitwiseAnd(bcast(below, c.shape), bcast(bx.ne(pivot, cst(0, x.dtype)), c.shape)), bx.div(c, bcast(pivot, c.shape)), c);
      x = where(bx.eq(cols, j), scaled, x);
      const outer = bx.mul(bcast(scaled, x.shape), bcast(rowAt(x, j), x.shape));
      x = bx.sub(x, where(bx.bitwiseAnd(bx.gt(rows, j), bx.gt(cols, j)), outer, 0));
      return [pivots, permutation, x] as [Array, Array, Array];
    },
    [pivots0, perm0, a] as [Array, Array, Array],
  );
  return [lu, piv, perm];
}

// ---------------------------------------------------------------------------
// Triangular solve

/**
 * Solve `A X = B` for triangular `a [..., m, m]` (lower or upper; with
 * unitDiagonal the diagonal is taken to be ones) and `b [..., m, k]` with the
 * same batch dims, by forward or back substitution. Entries of `a` outside its
 * triangle are never read.
 */
export function triSolveKernel(a: Array, b: Array, lower: boolean, unitDiagonal: boolean): Array {
  const m = a.shape[a.ndim - 1]!;
  if (m === 0 || b.size === 0) return b;
  const mIdx = lax.iota(int32, m);
  return lax.foriLoop(
    0,
    m,
    (step: Array, x: Array) => {
      const i = lower ? step : bx.sub(cst(m - 1, int32), step);
      const row = rowAt(a, i); // [..., 1, m]
      const offDiag = where(lower ? bx.lt(mIdx, i) : bx.gt(mIdx, i), row, 0);
      const s = mm(offDiag, x); // [..., 1, k]
      let xi = bx.sub(rowAt(b, i), s);
      if (!unitDiagonal) xi = bx.div(xi, bcast(lax.dynamicIndexInDim(row, i, row.ndim - 1, true), xi.shape));
      return lax.dynamicUpdateSliceInDim(x, xi, i, x.ndim - 2);
    },
    bx.mul(b, cst(0, b.dtype)),
  );
}

// ---------------------------------------------------------------------------
// Cholesky

/**
 * The lower Cholesky factor of a symmetric positive-definite `a [..., n, n]`
 * (only its lower triangle is read). A matrix that is not positive definite
 * gives all NaNs, as JAX's (LAPACK's) cholesky.
 */
export function choleskyKernel(a: Array): Array {
  const n = a.shape[a.ndim - 1]!;
  if (n === 0) return a;
  const rows = rowIdx(n, 1);
  const cols = colIdx(n, n);
  const L = lax.foriLoop(
    0,
    n,
    (j: Array, l: Array) => {
      const lj = rowAt(l, j); // [..., 1, n] (entries left of the diagonal so far)
      const c = bx.sub(colAt(a, j), mm(l, mT(lj))); // [..., n, 1]
      const d = lax.sqrt(lax.dynamicIndexInDim(c, j, c.ndim - 2, true)); // [..., 1, 1]
      const newCol = where(bx.gt(rows, j), bx.div(c, bcast(d, c.shape)), where(bx.eq(rows, j), bcast(d, c.shape), 0));
      return where(bx.eq(cols, j), newCol, l);
    },
    bx.mul(a, cst(0, a.dtype)),
  );
  // As JAX: the whole factor becomes NaN (LAPACK reports failure), then the upper triangle is zeroed (tril).
  const ok = lax.reduceAnd(bx.gt(diagPart(L), cst(0, a.dtype)), [L.ndim - 2]);
  return where(lax.expandDims(ok, [ok.ndim, ok.ndim + 1]), L, where(triMask(n, n, 0, true), cst(NaN, a.dtype), 0));
}

// ---------------------------------------------------------------------------
// Householder QR

/**
 * Householder QR of `a [..., m, n]` with LAPACK's conventions (geqrf + orgqr:
 * reflectors H = I - tau v vᵀ with v[0] = 1, beta = -sign(alpha)·‖x‖, no
 * reflection where the column is already zero below the diagonal). Returns
 * `q [..., m, m]` and the upper-triangular `r [..., m, n]`.
 */
export function householderKernel(a: Array): [Array, Array] {
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const d = a.dtype;
  const batch = a.shape.slice(0, -2);
  const q0 = bcast(eye(m, d), [...batch, m, m]);
  const k = Math.min(m, n);
  if (k === 0) return [q0, a];
  const rows = rowIdx(m, 1);
  const [q, r] = lax.foriLoop(
    0,
    k,
    (j: Array, [qq, rr]: [Array, Array]) => {
      const x = colAt(rr, j); // [..., m, 1]
      const alpha = lax.dynamicIndexInDim(x, j, x.ndim - 2, true); // [..., 1, 1]
      const below = where(bx.gt(rows, j), x, 0);
      const xnorm = lax.expandDims(scaledNorm(below, below.ndim - 2), [below.ndim - 2]); // [..., 1, 1]
      const zero = bx.eq(xnorm, cst(0, d));
      const h = scaledNorm(lax.concatenate([alpha, xnorm], alpha.ndim - 2), alpha.ndim - 2); // hypot(alpha, xnorm)
      const beta = lax.neg(bx.mul(where(bx.ge(alpha, cst(0, d)), cst(1, d), -1), lax.expandDims(h, [h.ndim - 1])));
      const tau = where(zero, 0, bx.div(bx.sub(beta, alpha), where(zero, 1, beta)));
      const scale = where(zero, 1, bx.sub(alpha, beta));
      const v = where(bx.eq(rows, j), 1, bx.div(below, bcast(scale, below.shape)));
      const vt = mT(v);
      rr = rr.sub(v.mul(tau).mul(mm(vt, rr)));
      qq = qq.sub(mm(mm(qq, v).mul(tau), vt));
      return [qq, rr] as [Array, Array];
    },
    [q0, a] as [Array, Array],
  );
  return [q, triu(r)];
}

// ---------------------------------------------------------------------------
// Jacobi rotations (eigh and SVD)

/**
 * Round-robin pairings of N (even) indices: N - 1 rounds of N / 2 disjoint
 * pairs covering every pair once (the circle method), as int32 tables [N-1, N/2].
 */
function roundRobin(N: number): [Array, Array] {
  const ps: number[] = [];
  const qs: number[] = [];
  const players = range(N);
  for (let r = 0; r < N - 1; r++) {
    for (let i = 0; i < N / 2; i++) {
      const a = players[i]!;
      const b = players[N - 1 - i]!;
      ps.push(Math.min(a, b));
      qs.push(Math.max(a, b));
    }
    players.splice(1, 0, players.pop()!);
  }
  const tbl = (xs: number[]) => fromTyped(new Int32Array(xs), [N - 1, N / 2], int32);
  return [tbl(ps), tbl(qs)];
}

/**
 * The rotation of one round: J with J[p,p] = J[q,q] = c, J[p,q] = s,
 * J[q,p] = -s for each pair, from the 2x2 symmetric blocks
 * [[app, apq], [apq, aqq]] (Golub & Van Loan's sym.schur2: Jᵀ A J zeroes apq).
 */
function roundRotation(app: Array, aqq: Array, apq: Array, OP: Array, OQ: Array): Array {
  const d = app.dtype;
  const zero = bx.eq(apq, cst(0, d));
  const tau = bx.div(bx.sub(aqq, app), bx.mul(cst(2, d), where(zero, 1, apq)));
  const sgn = where(bx.ge(tau, cst(0, d)), cst(1, d), -1);
  const t = bx.div(sgn, bx.add(lax.abs(tau), lax.sqrt(bx.add(cst(1, d), bx.mul(tau, tau)))));
  const c0 = lax.rsqrt(bx.add(cst(1, d), bx.mul(t, t)));
  const c = where(zero, 1, c0);
  const s = where(zero, 0, bx.mul(t, c0));
  // J = Pᵀ diag(c) P + Qᵀ diag(c) Q + Pᵀ diag(s) Q - Qᵀ diag(s) P (P, Q one-hot [N/2, N])
  const scaleT = (O: Array, v: Array) => mT(O).mul(lax.expandDims(v, [v.ndim - 1]));
  return bx.add(
    bx.add(mm(scaleT(OP, c), OP), mm(scaleT(OQ, c), OQ)),
    bx.sub(mm(scaleT(OP, s), OQ), mm(scaleT(OQ, s), OP)),
  );
}

/** Sweeps of parallel Jacobi rounds until `converged(state)` or maxSweeps. */
function jacobiSweeps(
  N: number,
  init: [Array, Array],
  round: (state: [Array, Array], OP: Array, OQ: Array) => [Array, Array],
  notConverged: (state: [Array, Array]) => Array,
  maxSweeps: number,
): [Array, Array] {
  const [P, Q] = roundRobin(N);
  const d = init[0].dtype;
  const onehot = (idx: Array) => lax.convertElementType(bx.eq(lax.broadcastedIota(int32, [N / 2, N], 1), lax.expandDims(idx, [1])), d);
  const [, a, b] = lax.whileLoop(
    ([sweep, x, y]: [Array, Array, Array]) => bx.bitwiseAnd(bx.lt(sweep, cst(maxSweeps, int32)), notConverged([x, y])),
    ([sweep, x, y]: [Array, Array, Array]) => {
      const [x2, y2] = lax.foriLoop(
        0,
        N - 1,
        (r: Array, st: [Array, Array]) => {
          const OP = onehot(lax.dynamicIndexInDim(P, r, 0, false));
          const OQ = onehot(lax.dynamicIndexInDim(Q, r, 0, false));
          return round(st, OP, OQ);
        },
        [x, y] as [Array, Array],
      );
      return [bx.add(sweep, cst(1, int32)), x2, y2] as [Array, Array, Array];
    },
    [cst(0, int32), init[0], init[1]] as [Array, Array, Array],
  );
  return [a, b];
}

/** Entries [..., N/2] picked from a vector [..., N] by one-hot rows [N/2, N]. */
const pick = (v: Array, O: Array): Array => lax.squeeze(mm(lax.expandDims(v, [v.ndim - 1]), mT(O)), [v.ndim - 1]);
/** Entries A[p_i, q_i] of [..., N, N]. */
const pickPair = (A: Array, OP: Array, OQ: Array): Array => lax.reduceSum(mm(OP, A).mul(OQ), [A.ndim - 1]);

function padTo(x: Array, rowsTo: number, colsTo: number): Array {
  const r = x.shape[x.ndim - 2]!;
  const c = x.shape[x.ndim - 1]!;
  if (r === rowsTo && c === colsTo) return x;
  const cfg = x.shape.map(() => [0, 0, 0] as [number, number, number]);
  cfg[x.ndim - 2] = [0, rowsTo - r, 0];
  cfg[x.ndim - 1] = [0, colsTo - c, 0];
  return lax.pad(x, cst(0, x.dtype), cfg);
}

function sliceTo(x: Array, rows: number, cols: number): Array {
  return lax.slice(x, x.shape.map(() => 0), [...x.shape.slice(0, -2), rows, cols]);
}

/** Sort `v [..., n]` (ascending, stable) and return the sorted values and the permutation. */
function sortWithPerm(v: Array): [Array, Array] {
  const idx = bcast(lax.iota(int32, v.shape[v.ndim - 1]!), v.shape);
  const [s, p] = lax.sort([v, idx], { numKeys: 1 });
  return [s!, p!];
}

const MAX_SWEEPS = 30;

/**
 * Eigenvalues (ascending) and eigenvectors (columns) of a symmetric
 * `a [..., n, n]` by cyclic Jacobi with round-robin ordering: each round
 * applies n/2 disjoint rotations at once (A <- Jᵀ A J, V <- V J); sweeps run
 * until the off-diagonal norm is below n·eps·‖A‖_F.
 */
export function eighKernel(a: Array): [Array, Array] {
  const n = a.shape[a.ndim - 1]!;
  const d = a.dtype;
  const batch = a.shape.slice(0, -2);
  if (n === 0) return [fill([...batch, 0], 0, d), a];
  const N = n + (n % 2);
  const A0 = padTo(a, N, N);
  const V0 = bcast(eye(N, d), [...batch, N, N]);
  const off = lax.convertElementType(bx.ne(rowIdx(N, N), colIdx(N, N)), d);
  const fro2 = lax.reduceSum(bx.mul(A0, A0), [A0.ndim - 2, A0.ndim - 1]);
  const tol2 = bx.mul(fro2, cst((N * epsOf(d)) ** 2, d));
  const [A, V] = jacobiSweeps(
    N,
    [A0, V0],
    ([x, v], OP, OQ) => {
      const dg = diagPart(x);
      const J = roundRotation(pick(dg, OP), pick(dg, OQ), pickPair(x, OP, OQ), OP, OQ);
      return [mm(mT(J), mm(x, J)), mm(v, J)];
    },
    ([x]) => {
      const o = lax.reduceSum(bx.mul(x, x).mul(off), [x.ndim - 2, x.ndim - 1]);
      return lax.reduceOr(bx.gt(o, tol2), range(o.ndim));
    },
    MAX_SWEEPS,
  );
  let w = diagPart(A);
  let v = V;
  if (N !== n) {
    // The padded index stays decoupled (its rotations are exactly the identity).
    w = lax.slice(w, w.shape.map(() => 0), [...batch, n]);
    v = sliceTo(v, n, n);
  }
  const [ws, perm] = sortWithPerm(w);
  return [ws, permuteColumns(v, perm)];
}

/**
 * The SVD of `a [..., m, n]` by one-sided (Hestenes) Jacobi: rotate the columns
 * of W = A (or Aᵀ when m < n) until they are orthogonal (W -> A V); the
 * singular values are the column norms (sorted descending) and U comes from a
 * Householder QR of A V, which also completes U for zero singular values and
 * full matrices. Returns [u, s, vh] (u, vh null without computeUv).
 */
export function svdKernel(a: Array, fullMatrices: boolean, computeUv: boolean): [Array | null, Array, Array | null] {
  const m0 = a.shape[a.ndim - 2]!;
  const n0 = a.shape[a.ndim - 1]!;
  const d = a.dtype;
  const batch = a.shape.slice(0, -2);
  const transposed = m0 < n0;
  const W0 = transposed ? mT(a) : a;
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  if (n === 0) {
    const s = fill([...batch, 0], 0, d);
    if (!computeUv) return [null, s, null];
    const big = bcast(eye(fullMatrices ? m : m, d, fullMatrices ? m : 0), [...batch, m, fullMatrices ? m : 0]);
    const u = fullMatrices ? big : fill([...batch, m, 0], 0, d);
    const small = fill([...batch, 0, 0], 0, d);
    return transposed ? [small, s, mT(u)] : [u, s, small];
  }
  const N = n + (n % 2);
  const Wp = padTo(W0, m, N);
  const V0 = bcast(eye(N, d), [...batch, N, N]);
  const off = bx.ne(rowIdx(N, N), colIdx(N, N));
  const tol = cst(N * epsOf(d), d);
  const [W, V] = jacobiSweeps(
    N,
    [Wp, V0],
    ([w, v], OP, OQ) => {
      const G = mm(mT(w), w);
      const dg = diagPart(G);
      const J = roundRotation(pick(dg, OP), pick(dg, OQ), pickPair(G, OP, OQ), OP, OQ);
      return [mm(w, J), mm(v, J)];
    },
    ([w]) => {
      const G = mm(mT(w), w);
      const dg = diagPart(G);
      const denom = lax.sqrt(lax.expandDims(dg, [dg.ndim]).mul(lax.expandDims(dg, [dg.ndim - 1])));
      const rel = where(bx.bitwiseAnd(bcast(off, G.shape), bx.gt(denom, cst(0, d))), bx.div(lax.abs(G), where(bx.gt(denom, cst(0, d)), denom, 1)), 0);
      return lax.reduceOr(bx.gt(rel, tol), range(rel.ndim));
    },
    MAX_SWEEPS,
  );
  const norms = scaledNorm(W, W.ndim - 2); // [..., N]
  const [negSorted, perm] = sortWithPerm(lax.neg(norms));
  let s = lax.neg(negSorted);
  s = lax.slice(s, s.shape.map(() => 0), [...batch, n]);
  if (!computeUv) return [null, s, null];
  const Ws = sliceTo(permuteColumns(W, perm), m, n);
  const Vs = sliceTo(permuteColumns(V, perm), n, n);
  const [Q, R] = householderKernel(Ws);
  const sign = where(bx.ge(diagPart(R), cst(0, d)), cst(1, d), -1); // [..., n]
  const signCols = lax.concatenate([sign, fill([...batch, m - n], 1, d)], sign.ndim - 1);
  let U = Q.mul(lax.expandDims(signCols, [signCols.ndim - 1]));
  if (!fullMatrices) U = sliceTo(U, m, n);
  return transposed ? [Vs, s, mT(U)] : [U, s, mT(Vs)];
}

export { bool, JsArray };
