// Samplers that need a matrix factorization: multivariate_normal (Cholesky) and
// orthogonal (QR). Core has no linalg decompositions yet, so this file carries
// two small ones composed from lax ops (unrolled over the static matrix size,
// batched over leading axes, differentiable): replace them with jnp.linalg's
// once it exists.
import { Array, type ArrayInput } from "../array.js";
import { type DTypeLike, float32, int32, resultTypeWithWeak } from "../dtypes.js";
import * as lax from "../lax.js";
import { broadcastShapes } from "../shape.js";
import { checkKey, checkParamShapes, checkShapeArg, convert, floatDType, konst, type Shape } from "./common.js";
import { normalImpl } from "./continuous.js";

const range = (n: number): number[] => [...globalThis.Array(n).keys()];

/** Column j of x ([..., n, m]) as [..., n]. */
function column(x: Array, j: number): Array {
  const nd = x.ndim;
  const start = x.shape.map((_, i) => (i === nd - 1 ? j : 0));
  const limit = x.shape.map((d, i) => (i === nd - 1 ? j + 1 : d));
  return lax.reshape(lax.slice(x, start, limit), x.shape.slice(0, -1));
}

/** Element i of the last axis of x ([..., n]) as [...]. */
function entry(x: Array, i: number): Array {
  return column(lax.expandDims(x, [x.ndim - 1]), i).reshape(x.shape.slice(0, -1));
}

/** Stack columns [..., n] into a matrix [..., n, k]. */
function fromColumns(cols: Array[]): Array {
  const nd = cols[0]!.ndim;
  return lax.concatenate(
    cols.map((c) => lax.expandDims(c, [nd])),
    nd,
  );
}

/** Batched matrix-vector product: a [..., n, k] @ v [..., k] -> [..., n]. */
function matvec(a: Array, v: Array): Array {
  const nb = a.ndim - 2;
  const batch = range(nb);
  return lax.dotGeneral(a, v, [
    [[nb + 1], [nb]],
    [batch, batch],
  ]);
}

/**
 * Lower Cholesky factor of symmetric positive definite matrices [..., n, n]
 * (the input is symmetrized first, as jnp.linalg.cholesky). Column by column
 * (left-looking); a matrix that is not positive definite gets NaNs.
 */
export function cholesky(a: Array): Array {
  const n = a.shape[a.ndim - 1]!;
  const sym = lax.mul(lax.add(a, a.swapaxes(-1, -2)), konst(0.5, a.dtype));
  const idx = lax.broadcastedIota("int32", a.shape.slice(0, -1), a.ndim - 2);
  const cols: Array[] = [];
  for (let j = 0; j < n; j++) {
    let c = column(sym, j);
    if (j > 0) {
      const l = fromColumns(cols); // [..., n, j]
      const rowJ = lax.reshape(
        lax.slice(l, l.shape.map((_, i) => (i === l.ndim - 2 ? j : 0)), l.shape.map((d, i) => (i === l.ndim - 2 ? j + 1 : d))),
        [...l.shape.slice(0, -2), j],
      );
      c = lax.sub(c, matvec(l, rowJ));
    }
    const diag = lax.sqrt(entry(c, j));
    const dB = lax.expandDims(diag, [c.ndim - 1]);
    const jj = konst(j, idx.dtype);
    const below = lax.div(c, dB);
    const zeros = lax.mul(c, konst(0, c.dtype));
    cols.push(lax.select(lax.gt(idx, jj), below, lax.select(lax.eq(idx, jj), lax.broadcastInDim(dB, c.shape, range(c.ndim)), zeros)));
  }
  return fromColumns(cols);
}

/**
 * Q of the reduced QR of z [..., n, m] (n >= m) normalized so that R has a
 * positive diagonal (the unique such factorization: what jax.random.orthogonal
 * computes from LAPACK's Q and sign(diag R)). Classical Gram-Schmidt with
 * reorthogonalization (CGS2), stable for full-rank input.
 */
export function qrPositive(z: Array): Array {
  const m = z.shape[z.ndim - 1]!;
  const qs: Array[] = [];
  for (let j = 0; j < m; j++) {
    let v = column(z, j);
    if (j > 0) {
      const q = fromColumns(qs); // [..., n, j]
      for (let pass = 0; pass < 2; pass++) {
        const coef = matvec(q.swapaxes(-1, -2), v); // [..., j]
        v = lax.sub(v, matvec(q, coef));
      }
    }
    const norm = lax.sqrt(lax.mul(v, v).sum(-1, { keepdims: true }));
    qs.push(lax.div(v, norm));
  }
  return fromColumns(qs);
}

export type MvnMethod = "cholesky" | "svd" | "eigh";

/**
 * random.multivariate_normal(key, mean, cov, shape?, dtype?, method="cholesky"):
 * mean + L z with L the Cholesky factor of cov and z standard normal, of shape
 * [...shape, n] (shape defaults to the broadcast batch shape of mean and cov).
 * The "svd" and "eigh" methods need jnp.linalg decompositions (not yet here).
 */
export function multivariateNormal(
  key: Array,
  mean: ArrayInput,
  cov: ArrayInput,
  shape: Shape | null = null,
  dtype: DTypeLike | null = null,
  method: MvnMethod = "cholesky",
): Array {
  const op = "multivariateNormal";
  const k = checkKey(op, key);
  if (method !== "cholesky" && method !== "svd" && method !== "eigh") {
    throw new RangeError(`[random.multivariateNormal] method must be one of "svd", "eigh", "cholesky", got ${JSON.stringify(method)}`);
  }
  if (method !== "cholesky") {
    throw new Error(`[random.multivariateNormal] method "${method}" needs an ${method} decomposition, which jaxts does not have yet; use "cholesky"`);
  }
  // promote_dtypes_inexact(mean, cov): JS numbers are weak; integers become float32.
  const typed = (x: ArrayInput) =>
    x instanceof Array ? x.aval : { dtype: typeof x === "number" && !Number.isInteger(x) ? float32 : int32, weakType: true };
  let inexact = resultTypeWithWeak([typed(mean), typed(cov)]).dtype;
  if (inexact.kind !== "f") inexact = float32;
  const mu = convert(mean, inexact);
  const sigma = convert(cov, inexact);
  const d = dtype === null || dtype === undefined ? inexact : floatDType(op, dtype);
  if (mu.ndim < 1) throw new RangeError(`[random.multivariateNormal] requires mean.ndim >= 1, got mean.ndim == ${mu.ndim}`);
  if (sigma.ndim < 2) throw new RangeError(`[random.multivariateNormal] requires cov.ndim >= 2, got cov.ndim == ${sigma.ndim}`);
  const n = mu.shape[mu.ndim - 1]!;
  const cs = sigma.shape;
  if (cs[cs.length - 1] !== n || cs[cs.length - 2] !== n) {
    throw new RangeError(
      `[random.multivariateNormal] requires cov.shape == (..., n, n) for n=${n}, but got cov.shape == (${cs.join(",")})`,
    );
  }
  let s: number[];
  const mb = mu.shape.slice(0, -1);
  const cb = cs.slice(0, -2);
  if (shape === null || shape === undefined) s = broadcastShapes(`random.${op}`, mb, cb);
  else {
    s = checkShapeArg(op, shape);
    checkParamShapes(op, s, mb, cb);
  }
  const factor = cholesky(sigma);
  const z = normalImpl(k, [...s, n], d);
  // einsum('...ij,...j->...i', factor, z) with the batch axes broadcast.
  const f = factor.broadcastTo([...s, n, n]);
  return mu.add(matvec(f.astype(d), z));
}

/**
 * random.orthogonal(key, n, shape=[], dtype=float32, m=n): matrices of shape
 * [...shape, n, m] uniform on the orthogonal group (semi-orthogonal when n != m):
 * Q of the QR of a Gaussian matrix, its columns' signs fixed by R's diagonal.
 */
export function orthogonal(key: Array, n: number, shape: Shape = [], dtype: DTypeLike | null = null, m: number | null = null): Array {
  const op = "orthogonal";
  const k = checkKey(op, key);
  const d = floatDType(op, dtype);
  const s = checkShapeArg(op, shape);
  const cols = m ?? n;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new TypeError(`[random.orthogonal] n and m must be non-negative integers, got n=${n}, m=${m}`);
  }
  const z = normalImpl(k, [...s, Math.max(n, cols), Math.min(n, cols)], d);
  if (Math.min(n, cols) === 0) return lax.reshape(z, n < cols ? [...s, n, cols] : z.shape);
  const q = qrPositive(z);
  return n < cols ? q.swapaxes(-1, -2) : q;
}
