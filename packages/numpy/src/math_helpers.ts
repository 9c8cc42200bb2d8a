// Internal helpers shared by ufuncs.ts, reductions.ts, sorting.ts and misc.ts:
// argument checks, dtype promotion without broadcasting, and small structural
// pieces (full, iota, slices, take) written directly on lax so these modules do
// not depend on the rest of the jnp surface. Not part of the public API.
import {
  Array,
  bool,
  dtype as toDType,
  float32,
  int32,
  lax,
  promoteArgs,
  broadcastArrays,
  broadcastShapes,
  resultTypeWithWeak,
  scalar,
  uint32,
  type ArrayInput,
  type DType,
  type DTypeLike,
  type PromoteOptions,
  type TypedLike,
} from "@jaxts/core";

export type Axis = number | readonly number[] | null | undefined;

const JsArray = globalThis.Array;

/** `f32[2,3]` for error messages. */
export const fmt = (x: Array): string => x.aval.strShort();

/** Check one array argument: Arrays pass; JS numbers and booleans become weak scalars. */
export function arr(op: string, x: unknown, what = "argument"): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number" || typeof x === "boolean") return scalar(x);
  const desc = x === null ? "null" : x === undefined ? "undefined" : JsArray.isArray(x) ? "a JS array (wrap it with jnp.array(...))" : typeof x;
  throw new TypeError(`[${op}] ${what} must be an Array, number or boolean, got ${desc}`);
}

/** Check that an argument is an Array input (for functions that take one) without converting. */
export function checkInput(op: string, x: unknown, what = "argument"): asserts x is ArrayInput {
  arr(op, x, what);
}

export function typedOfInput(x: ArrayInput): TypedLike {
  if (x instanceof Array) return x.aval;
  if (typeof x === "boolean") return { dtype: bool, weakType: false };
  return { dtype: Number.isInteger(x) ? int32 : float32, weakType: true };
}

/** Normalize one axis (negative counts from the end); throws naming the op. */
export function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`[${op}] axis ${axis} is out of bounds for an array of rank ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalize an axis argument: null/undefined means every axis; duplicates are an error. */
export function normAxes(op: string, axis: Axis, ndim: number): number[] {
  if (axis === null || axis === undefined) return range(ndim);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normAxis(op, a, ndim));
  if (new Set(out).size !== out.length) throw new RangeError(`[${op}] duplicate value in axis (${list.join(", ")})`);
  return out;
}

/** Python's range: range(n) = [0, n), range(a, b) = [a, b). */
export function range(a: number, b?: number): number[] {
  const [lo, hi] = b === undefined ? [0, a] : [a, b];
  return JsArray.from({ length: Math.max(0, hi - lo) }, (_, i) => lo + i);
}
export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** The dtype a user asked for, resolved with an error naming the op. */
export function userDType(op: string, d: DTypeLike): DType {
  try {
    return toDType(d);
  } catch {
    throw new TypeError(`[${op}] unknown dtype ${JSON.stringify(String(d))}`);
  }
}

/** JAX's to_inexact_dtype: bool and integers become float32 (the default float). */
export const toInexact = (d: DType): DType => (d.kind === "f" ? d : float32);
/** JAX's to_numeric_dtype: bool becomes int32. */
export const toNumeric = (d: DType): DType => (d === bool ? int32 : d);

/**
 * Promote to a common dtype without broadcasting (jnp's promote_dtypes*):
 * JS numbers join as weak scalars and every result takes the joint weak type.
 */
export function promoteDtypes(op: string, xs: ArrayInput[], opts: PromoteOptions = {}): Array[] {
  xs.forEach((x, i) => checkInput(op, x, `argument ${i}`));
  let { dtype, weakType } = resultTypeWithWeak(xs.map(typedOfInput));
  if (opts.toFloat) dtype = toInexact(dtype);
  if (opts.numeric) dtype = toNumeric(dtype);
  if (dtype === bool) weakType = false;
  return xs.map((x) =>
    x instanceof Array ? lax.convertElementType(x, dtype, weakType) : scalar(typeof x === "boolean" ? Number(x) : x, dtype, weakType),
  );
}

/**
 * Promote (core's promoteArgs: jnp's dtype rules and rank promotion) and then
 * broadcast every operand to the full common shape, so the results also feed
 * lax.select; checks the inputs first so errors name the op.
 */
export function promote(op: string, xs: ArrayInput[], opts: PromoteOptions = {}): Array[] {
  xs.forEach((x, i) => checkInput(op, x, `argument ${i}`));
  const ys = promoteArgs(op, xs, opts);
  return ys.length > 1 ? broadcastArrays(op, ys, { keepScalars: false }) : ys;
}

/** A constant of a shape (broadcast of a scalar; nothing is materialized eagerly beyond the output). */
export function full(shape: readonly number[], value: number | boolean, dtype: DType, weakType = false): Array {
  const s = scalar(typeof value === "boolean" ? Number(value) : value, dtype, weakType);
  return shape.length === 0 ? s : lax.broadcastInDim(s, shape, []);
}

/** A scalar constant of x's dtype (strong). */
export const constLike = (x: Array, v: number | boolean): Array => scalar(typeof v === "boolean" ? Number(v) : v, x.dtype, false);

export function fullLike(x: Array, value: number | boolean, dtype: DType = x.dtype): Array {
  return full(x.shape, value, dtype);
}

/** Broadcast to a shape (NumPy rules: align trailing dimensions). */
export function broadcastTo(op: string, x: Array, shape: readonly number[]): Array {
  const xs = x.shape;
  if (xs.length === shape.length && xs.every((d, i) => d === shape[i])) return x;
  const lead = shape.length - xs.length;
  if (lead < 0 || xs.some((d, i) => d !== 1 && d !== shape[lead + i])) {
    throw new TypeError(`[${op}] cannot broadcast ${fmt(x)} to shape (${shape.join(", ")})`);
  }
  // Size-1 dimensions that stretch are squeezed first: broadcast_in_dim maps each operand dim to an output dim.
  const squeeze = xs.flatMap((d, i) => (d === 1 && shape[lead + i] !== 1 ? [i] : []));
  const y = squeeze.length ? lax.squeeze(x, squeeze) : x;
  const dims = xs.flatMap((_, i) => (squeeze.includes(i) ? [] : [lead + i]));
  return lax.broadcastInDim(y, shape, dims);
}

/** NumPy broadcasting of shapes, naming the op in the error (core's rule). */
export { broadcastShapes };

export function broadcastAll(op: string, xs: Array[]): Array[] {
  const shape = broadcastShapes(op, ...xs.map((x) => x.shape));
  return xs.map((x) => broadcastTo(op, x, shape));
}

export function reshape(x: Array, shape: readonly number[]): Array {
  const s = x.shape;
  if (s.length === shape.length && s.every((d, i) => d === shape[i])) return x;
  return lax.reshape(x, shape);
}

export const ravel = (x: Array): Array => reshape(x, [x.size]);

export function moveaxis(x: Array, source: number, destination: number): Array {
  const src = normAxis("moveaxis", source, x.ndim);
  const dst = normAxis("moveaxis", destination, x.ndim);
  if (src === dst) return x;
  const perm = range(x.ndim).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  return lax.transpose(x, perm);
}

/** x[start:stop:step] along one axis (Python slice semantics with clamping, step > 0). */
export function sliceAxis(x: Array, axis: number, start: number | null, stop: number | null, step = 1): Array {
  const n = x.shape[axis]!;
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const lo = start === null ? 0 : clampIdx(start);
  const hi = Math.max(lo, stop === null ? n : clampIdx(stop));
  if (lo === 0 && hi === n && step === 1) return x;
  return lax.sliceInDim(x, lo, hi, step, axis);
}

/** x[..., i, ...] along one axis (the axis removed). */
export function indexAxis(x: Array, axis: number, i: number): Array {
  const n = x.shape[axis]!;
  const j = i < 0 ? i + n : i;
  return lax.squeeze(lax.sliceInDim(x, j, j + 1, 1, axis), [axis]);
}

export function concat(xs: Array[], axis: number): Array {
  if (xs.length === 1) return xs[0]!;
  return lax.concatenate(xs, axis);
}

export function reverse(x: Array, axis: number): Array {
  return lax.rev(x, [axis]);
}

/**
 * x.take(idx, axis): gather whole slices of `x` at integer indices along one
 * axis; the output shape is x.shape[:axis] + idx.shape + x.shape[axis+1:].
 * mode "clip" clamps indices; "fill" gives `fillValue` (default NaN / int min)
 * for out-of-range ones (JAX's take modes); negative indices are not wrapped.
 */
export function take(
  x: Array,
  idx: Array,
  axis = 0,
  opts: { mode?: "clip" | "fill" | "promise_in_bounds"; fillValue?: number | boolean } = {},
): Array {
  const i = idx.dtype === int32 ? idx : lax.convertElementType(idx, int32);
  const sliceSizes = x.shape.map((d, k) => (k === axis ? 1 : d));
  const offsetDims = range(x.ndim)
    .filter((k) => k !== axis)
    .map((k) => (k < axis ? k : k - 1 + i.ndim));
  return lax.gather(
    x,
    lax.expandDims(i, [i.ndim]),
    { offsetDims, collapsedSliceDims: [axis], startIndexMap: [axis] },
    sliceSizes,
    { mode: opts.mode ?? "clip", fillValue: opts.fillValue },
  );
}

/** take_along_axis: out[..., j, ...] = x[..., idx[..., j, ...], ...] (idx broadcast against x off the axis). */
export function takeAlongAxis(x: Array, idx: Array, axis: number, opts: { mode?: "clip" | "fill"; fillValue?: number } = {}): Array {
  const nd = x.ndim;
  const i0 = idx.dtype === int32 ? idx : lax.convertElementType(idx, int32);
  const outShape = x.shape.map((d, k) => (k === axis ? i0.shape[k]! : Math.max(d, i0.shape[k]!)));
  const xb = broadcastTo("take_along_axis", x, x.shape.map((d, k) => (k === axis ? d : outShape[k]!)));
  const ib = broadcastTo("take_along_axis", i0, outShape);
  // Full index tuples: iota along the other axes, idx along `axis`.
  const cols = range(nd).map((k) => lax.reshape(k === axis ? ib : lax.broadcastedIota(int32, outShape, k), [...outShape, 1]));
  const indices = nd === 1 ? cols[0]! : lax.concatenate(cols, nd);
  return lax.gather(
    xb,
    indices,
    { offsetDims: [], collapsedSliceDims: range(nd), startIndexMap: range(nd) },
    range(nd).map(() => 1),
    { mode: opts.mode ?? "clip", fillValue: opts.fillValue },
  );
}

/** zeros(n).at[idx].add(updates) along axis 0 of a 1-D result; out-of-range indices are dropped. */
export function scatterAdd1d(n: number, idx: Array, updates: Array, dtype: DType): Array {
  const i = idx.dtype === int32 ? idx : lax.convertElementType(idx, int32);
  const u0 = asDType(updates, dtype);
  const u = u0.ndim === 0 && i.ndim > 0 ? lax.broadcastInDim(u0, i.shape, []) : u0;
  return lax.scatterAdd(full([n], 0, dtype), lax.expandDims(i, [i.ndim]), u, {
    updateWindowDims: [],
    insertedWindowDims: [0],
    scatterDimsToOperandDims: [0],
  });
}

/** out = base; out[idx[k]] = updates[k] along axis 0 (1-D); out-of-range indices are dropped. */
export function scatterSet1d(base: Array, idx: Array, updates: Array): Array {
  const i = idx.dtype === int32 ? idx : lax.convertElementType(idx, int32);
  return lax.scatter(base, lax.expandDims(i, [i.ndim]), updates, {
    updateWindowDims: range(updates.ndim - i.ndim).map((k) => i.ndim + k),
    insertedWindowDims: [0],
    scatterDimsToOperandDims: [0],
  });
}

/**
 * The indices of the true entries of a 1-D bool mask, in order, padded to
 * `size` with `fill` (JAX's nonzero(mask, size=size, fill_value=fill)).
 */
export function nonzero1d(mask: Array, size: number, fill = 0): Array {
  const n = mask.shape[0]!;
  const m = mask.dtype === bool ? mask : lax.ne(mask, constLike(mask, 0));
  if (n === 0 || size === 0) return full([size], fill, int32);
  // Each true entry goes to its rank among the true entries; the rest are dropped (index `size`).
  const rank = lax.sub(lax.cumsum(lax.convertElementType(m, int32), 0), scalar(1, int32, false));
  const target = lax.select(m, rank, full([n], size, int32));
  return scatterSet1d(full([size], fill, int32), target, lax.iota(int32, n));
}

/** JAX's _where: condition to bool, x and y promoted together, all three broadcast. */
export function where3(op: string, condition: ArrayInput, x: ArrayInput, y: ArrayInput): Array {
  let c = arr(op, condition, "condition");
  if (c.dtype !== bool) c = lax.ne(c, constLike(c, 0));
  const [a, b] = promoteDtypes(op, [x, y]);
  const [cb, ab, bb] = broadcastAll(op, [c, a!, b!]);
  return lax.select(cb!, ab!, bb!);
}

/** A value x of any dtype as a float of the dtype of `like`, for arithmetic in that dtype. */
export const asDType = (x: Array, d: DType): Array => (x.dtype === d ? x : lax.convertElementType(x, d, false));

export { int32, float32, uint32, bool };
