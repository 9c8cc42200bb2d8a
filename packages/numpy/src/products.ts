// Tensor products of jax.numpy (jax/_src/numpy/tensor_contractions.py and
// lax_numpy.kron): dot, vdot, vecdot, matmul, matvec, vecmat, tensordot,
// inner, outer, kron, and einsum / einsumPath (einsum.ts).
//
// As in jnp, operands keep their dtypes and dot_general is asked for the
// promoted dtype (preferred_element_type), so a product of two float32 arrays is
// one dot_general; `preferredElementType` overrides the result dtype.
import { Array, lax, numpyDot, numpyMatmul, resultTypeWithWeak, type ArrayInput, type DType, type ProductOptions } from "@jaxts/core";
import { arr, fmt, normAxis, promoteDtypes } from "./math_helpers.js";
import { range } from "./linalg_kernels.js";

export type { ProductOptions };
export { einsum, einsumPath, type EinsumOptions, type EinsumPathResult } from "./einsum.js";

const JsArray = globalThis.Array;

/** The result dtype of a product: the promoted dtype (weak if all operands are), or the preferred one (strong). */
function productDType(xs: Array[], opts: ProductOptions): { dtype: DType; weakType: boolean } {
  if (opts.preferredElementType !== undefined && opts.preferredElementType !== null) {
    return { dtype: lax.convertElementType(xs[0]!, opts.preferredElementType).dtype, weakType: false };
  }
  return resultTypeWithWeak(xs.map((x) => x.aval));
}

/** dot_general with jnp's dtype handling: accumulate in the result dtype, then fix the weak type. */
function dotGeneralProduct(a: Array, b: Array, dims: lax.DotDimensionNumbersLike, opts: ProductOptions): Array {
  const { dtype, weakType } = productDType([a, b], opts);
  const out = lax.dotGeneral(a, b, dims, { precision: opts.precision, preferredElementType: dtype });
  return lax.convertElementType(out, dtype, weakType);
}

/** jnp.dot: contracts a's last axis with b's only axis (or its second-to-last); a scalar operand multiplies. */
export function dot(a: ArrayInput, b: ArrayInput, opts: ProductOptions = {}): Array {
  const x = arr("dot", a, "a");
  const y = arr("dot", b, "b");
  if (x.ndim > 0 && y.ndim > 0) {
    const k = y.ndim > 1 ? y.shape[y.ndim - 2]! : y.shape[0]!;
    if (x.shape[x.ndim - 1] !== k) throw new TypeError(`[dot] shapes ${fmt(x)} and ${fmt(y)} not aligned: ${x.shape[x.ndim - 1]} (dim ${x.ndim - 1}) != ${k}`);
  }
  return numpyDot(x, y, opts);
}

/** jnp.matmul (`a @ b`): 1-D operands become matrices and back; leading (batch) dims broadcast. */
export function matmul(a: ArrayInput, b: ArrayInput, opts: ProductOptions = {}): Array {
  const x = arr("matmul", a, "a");
  const y = arr("matmul", b, "b");
  [x, y].forEach((v, i) => {
    if (v.ndim < 1) throw new TypeError(`[matmul] input operand ${i} must have ndim at least 1, but it has ndim 0 (${fmt(v)})`);
  });
  const k = y.ndim > 1 ? y.shape[y.ndim - 2]! : y.shape[0]!;
  if (x.shape[x.ndim - 1] !== k) {
    throw new TypeError(`[matmul] contracting dimensions do not match: ${fmt(x)} @ ${fmt(y)} (${x.shape[x.ndim - 1]} vs ${k})`);
  }
  return numpyMatmul(x, y, opts);
}

/** jnp.matvec: `x1 [..., n, m]` times `x2 [..., m]` -> `[..., n]` (batch dims broadcast). */
export function matvec(x1: ArrayInput, x2: ArrayInput, opts: ProductOptions = {}): Array {
  const a = arr("matvec", x1, "x1");
  const b = arr("matvec", x2, "x2");
  if (a.ndim < 2 || b.ndim < 1) throw new TypeError(`[matvec] needs x1 of rank >= 2 and x2 of rank >= 1, got ${fmt(a)} and ${fmt(b)}`);
  const out = numpyMatmul(a, lax.expandDims(b, [b.ndim]), opts);
  return lax.squeeze(out, [out.ndim - 1]);
}

/** jnp.vecmat: `x1 [..., n]` times `x2 [..., n, m]` -> `[..., m]` (batch dims broadcast). */
export function vecmat(x1: ArrayInput, x2: ArrayInput, opts: ProductOptions = {}): Array {
  const a = arr("vecmat", x1, "x1");
  const b = arr("vecmat", x2, "x2");
  if (a.ndim < 1 || b.ndim < 2) throw new TypeError(`[vecmat] needs x1 of rank >= 1 and x2 of rank >= 2, got ${fmt(a)} and ${fmt(b)}`);
  const out = numpyMatmul(lax.expandDims(a, [a.ndim - 1]), b, opts);
  return lax.squeeze(out, [out.ndim - 2]);
}

/** jnp.vdot: the dot product of the flattened operands. */
export function vdot(a: ArrayInput, b: ArrayInput, opts: ProductOptions = {}): Array {
  const x = arr("vdot", a, "a");
  const y = arr("vdot", b, "b");
  if (x.size !== y.size) throw new TypeError(`[vdot] operands must have the same size, got ${fmt(x)} and ${fmt(y)}`);
  return numpyDot(lax.reshape(x, [x.size]), lax.reshape(y, [y.size]), opts);
}

/** jnp.vecdot: the dot product along `axis` (default -1), broadcasting the other dims. */
export function vecdot(x1: ArrayInput, x2: ArrayInput, opts: ProductOptions & { axis?: number } = {}): Array {
  const a = arr("vecdot", x1, "x1");
  const b = arr("vecdot", x2, "x2");
  const axis = opts.axis ?? -1;
  if (a.ndim === 0 || b.ndim === 0) throw new TypeError(`[vecdot] operands must have rank >= 1, got ${fmt(a)} and ${fmt(b)}`);
  const ia = normAxis("vecdot", axis, a.ndim);
  const ib = normAxis("vecdot", axis, b.ndim);
  if (a.shape[ia] !== b.shape[ib]) {
    throw new TypeError(`[vecdot] axes must match; got shapes ${fmt(a)} and ${fmt(b)} with axis=${axis}`);
  }
  const am = moveToEnd(a, ia);
  const bm = moveToEnd(b, ib);
  const batch = broadcastBatch("vecdot", am.shape.slice(0, -1), bm.shape.slice(0, -1), a, b);
  const n = am.shape[am.ndim - 1]!;
  const ab = broadcastLeading(am, [...batch, n]);
  const bb = broadcastLeading(bm, [...batch, n]);
  const bd = range(batch.length);
  return dotGeneralProduct(ab, bb, [[[batch.length], [batch.length]], [bd, bd]], opts);
}

/**
 * jnp.tensordot: `axes` is a count (the last `axes` dims of a with the first of b),
 * a pair of axes, or a pair of axis lists.
 */
export function tensordot(
  a: ArrayInput,
  b: ArrayInput,
  axes: number | readonly [number, number] | readonly [readonly number[], readonly number[]] = 2,
  opts: ProductOptions = {},
): Array {
  const x = arr("tensordot", a, "a");
  const y = arr("tensordot", b, "b");
  let contract: [number[], number[]];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0) throw new TypeError(`[tensordot] axes must be a non-negative integer, got ${axes}`);
    if (axes > Math.min(x.ndim, y.ndim)) {
      throw new TypeError(`[tensordot] number of tensordot axes (axes ${axes}) exceeds input ranks (${fmt(x)} and ${fmt(y)})`);
    }
    contract = [range(x.ndim - axes, x.ndim), range(axes)];
  } else if (JsArray.isArray(axes) && axes.length === 2) {
    const [ax1, ax2] = axes;
    if (typeof ax1 === "number" && typeof ax2 === "number") {
      contract = [[normAxis("tensordot", ax1, x.ndim)], [normAxis("tensordot", ax2, y.ndim)]];
    } else if (JsArray.isArray(ax1) && JsArray.isArray(ax2)) {
      if (ax1.length !== ax2.length) {
        throw new TypeError(`[tensordot] requires axes lists to have equal length, got [${ax1.join(", ")}] and [${ax2.join(", ")}]`);
      }
      contract = [ax1.map((i: number) => normAxis("tensordot", i, x.ndim)), ax2.map((i: number) => normAxis("tensordot", i, y.ndim))];
    } else {
      throw new TypeError("[tensordot] requires both axes lists to be either numbers or lists of numbers");
    }
  } else {
    throw new TypeError("[tensordot] axes argument must be a number, a pair of numbers, or a pair of lists of numbers");
  }
  contract[0].forEach((d, i) => {
    const e = contract[1][i]!;
    if (x.shape[d] !== y.shape[e]) {
      throw new TypeError(`[tensordot] shape mismatch: axis ${d} of ${fmt(x)} (size ${x.shape[d]}) vs axis ${e} of ${fmt(y)} (size ${y.shape[e]})`);
    }
  });
  return dotGeneralProduct(x, y, [contract, [[], []]], opts);
}

/** jnp.inner: contracts the last axes of a and b; a scalar operand multiplies. */
export function inner(a: ArrayInput, b: ArrayInput, opts: ProductOptions = {}): Array {
  const x = arr("inner", a, "a");
  const y = arr("inner", b, "b");
  if (x.ndim === 0 || y.ndim === 0) {
    const pref = opts.preferredElementType;
    if (pref !== undefined && pref !== null) return lax.convertElementType(x, pref).mul(lax.convertElementType(y, pref));
    return x.mul(y);
  }
  return tensordot(x, y, [-1, -1], opts);
}

/** jnp.outer: the outer product of the flattened operands. */
export function outer(a: ArrayInput, b: ArrayInput): Array {
  const [x, y] = promoteDtypes("outer", [arr("outer", a, "a"), arr("outer", b, "b")]) as [Array, Array];
  const shape = [x.size, y.size];
  return lax.mul(lax.broadcastInDim(lax.reshape(x, [x.size]), shape, [0]), lax.broadcastInDim(lax.reshape(y, [y.size]), shape, [1]));
}

/** jnp.kron: the Kronecker product (ranks are equalized by leading size-1 axes). */
export function kron(a: ArrayInput, b: ArrayInput): Array {
  let [x, y] = promoteDtypes("kron", [arr("kron", a, "a"), arr("kron", b, "b")]) as [Array, Array];
  if (x.ndim < y.ndim) x = lax.expandDims(x, range(y.ndim - x.ndim));
  else if (y.ndim < x.ndim) y = lax.expandDims(y, range(x.ndim - y.ndim));
  const n = x.ndim;
  const xr = lax.expandDims(x, range(n).map((i) => 2 * i + 1));
  const yr = lax.expandDims(y, range(n).map((i) => 2 * i));
  const shape = range(n).flatMap((i) => [x.shape[i]!, y.shape[i]!]);
  const prodArr = lax.mul(lax.broadcastInDim(xr, shape, range(2 * n)), lax.broadcastInDim(yr, shape, range(2 * n)));
  return lax.reshape(prodArr, range(n).map((i) => x.shape[i]! * y.shape[i]!));
}

// ---------------------------------------------------------------------------
// helpers

function moveToEnd(x: Array, axis: number): Array {
  if (axis === x.ndim - 1) return x;
  const perm = [...range(x.ndim).filter((i) => i !== axis), axis];
  return lax.transpose(x, perm);
}

function broadcastBatch(op: string, s1: readonly number[], s2: readonly number[], a: Array, b: Array): number[] {
  const n = Math.max(s1.length, s2.length);
  const p1 = [...JsArray<number>(n - s1.length).fill(1), ...s1];
  const p2 = [...JsArray<number>(n - s2.length).fill(1), ...s2];
  return p1.map((d, i) => {
    const e = p2[i]!;
    if (d !== e && d !== 1 && e !== 1) throw new TypeError(`[${op}] batch dimensions of ${fmt(a)} and ${fmt(b)} do not broadcast`);
    return d === 1 ? e : d;
  });
}

/** Broadcast x to `shape` (NumPy alignment of trailing dims). */
function broadcastLeading(x: Array, shape: readonly number[]): Array {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const lead = shape.length - x.ndim;
  const squeezeDims = x.shape.flatMap((d, i) => (d === 1 && shape[lead + i] !== 1 ? [i] : []));
  const kept = lax.squeeze(x, squeezeDims);
  const dims = x.shape.flatMap((_, i) => (squeezeDims.includes(i) ? [] : [lead + i]));
  return lax.broadcastInDim(kept, shape, dims);
}
