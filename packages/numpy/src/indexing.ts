// Indexing functions of jax.numpy (jax/_src/numpy/indexing.py and lax_numpy.py):
// take, takeAlongAxis, putAlongAxis, nonzero/argwhere/flatnonzero, compress,
// choose, place, put, unravelIndex, ravelMultiIndex, diag/tril/triu indices and
// fillDiagonal. (where, select and extract are in misc.ts.)
//
// The `x.get(...)` / `x.at(...)` engine itself lives in @jaxts/core
// (src/indexing.ts), so every Array indexes the same way with or without this
// package; it is re-exported here. Out-of-bounds behaviour is JAX's, not
// NumPy's: reads clamp (or fill, where a function says so), updates are
// dropped, and nothing raises, because indices may be traced.
import {
  Array,
  Tracer,
  bool,
  float32,
  fromTyped,
  int32,
  lax,
  scalar,
  type ArrayInput,
  type IndexOptions,
} from "@jaxts/core";
import {
  broadcastShapesOf,
  broadcastToShape,
  describe,
  fmt,
  fullOf,
  isOptions,
  normAxis,
  promoteDtypes,
  range,
  toArray,
  type ArrayLike,
} from "./shape_util.js";

export {
  IndexUpdateRef,
  NonConcreteBooleanIndexError,
  type IndexItem,
  type IndexOptions,
  type IndexGetOptions,
  type Slice,
} from "@jaxts/core";

/** jnp.newaxis: `null` in an index inserts a size-1 axis. */
export const newaxis = null;

const JsArray = globalThis.Array;
type GatherModeName = "clip" | "fill" | "drop" | "promise_in_bounds";

function concreteOf(op: string, x: Array, what: string): Array {
  const c = x instanceof Tracer ? x.toConcrete() : x;
  if (!c) {
    throw new TypeError(
      `[${op}] ${what} must be concrete (the result's shape depends on it), but it is the traced ${fmt(x)}; pass a static \`size\``,
    );
  }
  return c;
}

function staticSize(op: string, v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  throw new TypeError(`[${op}] ${what} must be a non-negative integer, got ${describe(v)}`);
}

const int = (v: number) => scalar(v, int32, false);

/** `select(i < 0, i + n, i)` for signed index arrays (JAX's _normalize_index). */
function normalizeIndex(i: Array, n: number): Array {
  if (i.dtype.kind === "u") return i;
  const d = i.dtype;
  return lax.select(lax.lt(i, scalar(0, d, false)), lax.add(i, scalar(n, d, false)), i);
}

// ---------------------------------------------------------------------------
// take / takeAlongAxis / putAlongAxis

export interface TakeOptions {
  /**
   * Out-of-bounds indices: "fill" (default: the fill value), "clip", "wrap"
   * (indices taken modulo the axis size) or "promise_in_bounds".
   */
  mode?: "fill" | "clip" | "wrap" | "promise_in_bounds" | "raise" | null;
  /** For "fill": the value of out-of-bounds reads (default NaN, int min, uint max, true). */
  fillValue?: number | boolean | null;
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
}

/**
 * jnp.take(a, indices, axis?, {mode, fillValue}): the elements of `a` at
 * `indices` along an axis (of the flattened array without one). Negative
 * indices count from the end.
 */
export function take(a: ArrayLike, indices: ArrayLike, axis: number | null | TakeOptions = null, opts: TakeOptions = {}): Array {
  if (isOptions(axis)) return take(a, indices, null, axis as TakeOptions);
  let x = toArray("take", a);
  let idx = toArray("take", indices, "indices");
  if (!idx.dtype.isInteger) throw new TypeError(`[take] indices must have an integer dtype, got ${fmt(idx)}`);
  let ax: number;
  if (axis === null) {
    x = lax.reshape(x, [x.size]);
    ax = 0;
  } else ax = normAxis("take", axis as number, x.ndim);
  const n = x.shape[ax]!;
  const mode = opts.mode ?? "fill";
  let gatherMode: GatherModeName;
  if (mode === "fill") {
    gatherMode = "fill";
    idx = normalizeIndex(idx, n);
  } else if (mode === "wrap") {
    idx = idx.mod(scalar(n, idx.dtype, false));
    gatherMode = "promise_in_bounds";
  } else if (mode === "clip") gatherMode = "clip";
  else if (mode === "promise_in_bounds") gatherMode = mode;
  else if (mode === "raise") throw new TypeError("[take] mode 'raise' is not supported (indices may be traced); use 'fill', 'clip' or 'wrap'");
  else throw new TypeError(`[take] invalid mode ${JSON.stringify(mode)}; expected 'fill', 'clip', 'wrap' or 'promise_in_bounds'`);
  const sizes = [...x.shape];
  if (n === 0) {
    if (idx.size !== 0) throw new RangeError(`[take] cannot do a non-empty take from an empty axis (${fmt(x)}, axis ${ax})`);
    return x;
  }
  if (idx.size === 0) return fullOf([...sizes.slice(0, ax), ...idx.shape, ...sizes.slice(ax + 1)], 0, x.dtype, x.weakType);
  sizes[ax] = 1;
  const k = idx.ndim;
  const dnums: lax.GatherDimensionNumbersLike = {
    offsetDims: [...range(ax), ...range(ax + k, x.ndim + k - 1)],
    collapsedSliceDims: [ax],
    startIndexMap: [ax],
  };
  return lax.gather(x, lax.expandDims(idx, [k]), dnums, sizes, {
    mode: gatherMode,
    fillValue: opts.fillValue ?? null,
    uniqueIndices: opts.uniqueIndices,
    indicesAreSorted: opts.indicesAreSorted,
  });
}

export interface TakeAlongAxisOptions {
  /** "fill" (default) or "clip"/"promise_in_bounds" for out-of-bounds indices. */
  mode?: "fill" | "clip" | "promise_in_bounds" | null;
  fillValue?: number | boolean | null;
  /** Negative indices count from the end (default unless mode is "promise_in_bounds"). */
  wrapNegativeIndices?: boolean;
}

/**
 * jnp.take_along_axis(arr, indices, axis, {mode, fillValue}): pick values
 * along an axis with an index array of the same rank (other axes broadcast),
 * e.g. with the result of argsort or argmax(keepdims). `axis: null` takes
 * from the flattened array with 1-D indices. Out-of-bounds reads give NaN
 * (the fill value) by default.
 */
export function takeAlongAxis(arr: ArrayLike, indices: ArrayLike, axis: number | null, opts: TakeAlongAxisOptions = {}): Array {
  let a = toArray("take_along_axis", arr);
  let idx = toArray("take_along_axis", indices, "indices");
  if (!idx.dtype.isInteger) throw new TypeError(`[take_along_axis] indices must be of integer type, got ${fmt(idx)}`);
  if (axis === null) {
    if (idx.ndim !== 1) throw new TypeError(`[take_along_axis] indices must be 1-D if axis is null, got ${fmt(idx)}`);
    a = lax.reshape(a, [a.size]);
    axis = 0;
  }
  if (a.ndim !== idx.ndim) {
    throw new TypeError(`[take_along_axis] indices and arr must have the same number of dimensions; ${fmt(idx)} vs ${fmt(a)}`);
  }
  const ax = normAxis("take_along_axis", axis, a.ndim);
  const idxShape = idx.shape;
  const arrShape = a.shape.map((d, i) => (i === ax ? 1 : d));
  const outShape = broadcastShapesOf("take_along_axis", idxShape, arrShape);
  const axisSize = a.shape[ax]!;
  if (axisSize === 0) return fullOf(outShape, 0, a.dtype);
  const wrap = opts.wrapNegativeIndices ?? opts.mode !== "promise_in_bounds";
  if (wrap) idx = normalizeIndex(lax.convertElementType(idx, int32, false), axisSize);

  const indexDims = range(a.ndim).filter((i) => i === ax || idxShape[i] !== 1);
  const gatherIndices = lax.reshape(idx, [...indexDims.map((i) => outShape[i]!), 1]);
  const sliceSizes: number[] = [];
  const offsetDims: number[] = [];
  const startIndexMap: number[] = [];
  const collapsed: number[] = [];
  const operandBatching: number[] = [];
  const indicesBatching: number[] = [];
  const squeezeDims: number[] = [];
  let newI = 0;
  let j = 0;
  for (let i = 0; i < a.ndim; i++) {
    if (i === ax) {
      sliceSizes.push(1);
      startIndexMap.push(newI);
      collapsed.push(newI);
      newI++;
      j++;
    } else if (idxShape[i] === 1) {
      offsetDims.push(i);
      sliceSizes.push(arrShape[i]!);
      newI++;
    } else if (arrShape[i] === 1) {
      squeezeDims.push(i);
      j++;
    } else {
      sliceSizes.push(arrShape[i] === 0 ? 0 : 1);
      operandBatching.push(newI);
      indicesBatching.push(j);
      newI++;
      j++;
    }
  }
  const operand = squeezeDims.length ? lax.squeeze(a, squeezeDims) : a;
  return lax.gather(
    operand,
    gatherIndices,
    {
      offsetDims,
      collapsedSliceDims: collapsed,
      startIndexMap,
      operandBatchingDims: operandBatching,
      startIndicesBatchingDims: indicesBatching,
    },
    sliceSizes,
    { mode: opts.mode ?? "fill", fillValue: opts.fillValue ?? null },
  );
}

/** JAX's `inplace=False` reminder: these functions return a new array. */
function checkNotInplace(op: string, inplace: boolean | undefined): void {
  if (inplace !== false) {
    throw new TypeError(
      `[${op}] cannot modify arrays in place, because JAX arrays are immutable. Pass {inplace: false} to instead return an updated array.`,
    );
  }
}

export interface PutOptions {
  /** Must be false: the updated array is returned (JAX arrays are immutable). */
  inplace?: boolean;
  mode?: IndexOptions["mode"];
}

/**
 * jnp.put_along_axis(arr, indices, values, axis, {inplace: false, mode}):
 * `arr` with `values` written at `indices` along an axis (the counterpart of
 * takeAlongAxis).
 */
export function putAlongAxis(arr: ArrayLike, indices: ArrayLike, values: ArrayLike, axis: number | null, opts: PutOptions = {}): Array {
  checkNotInplace("put_along_axis", opts.inplace);
  let a = toArray("put_along_axis", arr);
  const idx = toArray("put_along_axis", indices, "indices");
  const originalShape = a.shape;
  const flattened = axis === null;
  if (axis === null) {
    if (idx.ndim !== 1) throw new TypeError(`[put_along_axis] indices must be 1-D if axis is null, got ${fmt(idx)}`);
    a = lax.reshape(a, [a.size]);
    axis = 0;
  }
  if (a.ndim !== idx.ndim) {
    throw new TypeError(`[put_along_axis] arguments 'arr' and 'indices' must have the same ndim, got ${fmt(a)} and ${fmt(idx)}`);
  }
  const ax = normAxis("put_along_axis", axis, a.ndim);
  const v = toArray("put_along_axis", values, "values");
  let vb: Array;
  try {
    vb = broadcastToShape("put_along_axis", v, idx.shape);
  } catch {
    throw new TypeError(`[put_along_axis] argument 'values' must be broadcastable to 'indices', got ${fmt(v)} and ${fmt(idx)}`);
  }
  const grid = a.shape.map((d, i) =>
    i === ax ? idx : lax.broadcastInDim(lax.iota(int32, d), a.shape.map((s, k) => (k === i ? s : 1)), [i]),
  );
  const out = a.at(...grid).set(vb, { mode: opts.mode ?? null });
  return flattened ? lax.reshape(out, originalShape) : out;
}

// ---------------------------------------------------------------------------
// nonzero and friends

export interface NonzeroOptions {
  /** The static number of results (needed under jit): extra entries are padded, surplus ones dropped. */
  size?: number | null;
  /** What pads the result when `size` exceeds the count (default 0). */
  fillValue?: ArrayInput | readonly ArrayInput[] | null;
}

/**
 * jnp.nonzero(a, {size, fillValue}): the indices of the non-zero elements,
 * one int32 array per dimension. Without `size` the input must be concrete.
 */
export function nonzero(a: ArrayLike, opts: NonzeroOptions = {}): Array[] {
  const x = toArray("nonzero", a);
  if (x.ndim === 0) throw new TypeError("[nonzero] calling nonzero on 0-d arrays is not allowed; use atleast1d(x) first");
  const mask = x.dtype === bool ? x : lax.ne(x, scalar(0, x.dtype, false));
  const count = mask.sum();
  const size =
    opts.size === undefined || opts.size === null
      ? Number(concreteOf("nonzero", count, "the input (without `size`)").item())
      : staticSize("nonzero", opts.size, "size");
  if (x.size === 0 || size === 0) return x.shape.map(() => fullOf([size], 0, int32));
  const cs = lax.reshape(mask, [x.size]).cumsum(0);
  const bins = fullOf([size], 0, int32).at(lax.max(cs, int(0))).add(1, { mode: "drop" });
  const flat = bins.cumsum(0);
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((p, d) => p * d, 1));
  let out = strides.map((s, i) => flat.floorDiv(int(s)).mod(int(x.shape[i]!)));
  if (opts.fillValue !== undefined && opts.fillValue !== null) {
    const fv = JsArray.isArray(opts.fillValue) ? (opts.fillValue as ArrayInput[]) : x.shape.map(() => opts.fillValue as ArrayInput);
    if (fv.length !== x.ndim || fv.some((v) => v instanceof Array && v.ndim !== 0)) {
      throw new TypeError(`[nonzero] fillValue must be a scalar or a list of ${x.ndim} scalars, got ${describe(opts.fillValue)}`);
    }
    const fillMask = lax.ge(lax.iota(int32, size), count);
    out = out.map((o, i) => where(fillMask, fv[i]!, o));
  }
  return out;
}

/** jnp.flatnonzero(a, {size, fillValue}): nonzero of the flattened array. */
export function flatnonzero(a: ArrayLike, opts: NonzeroOptions = {}): Array {
  const x = toArray("flatnonzero", a);
  return nonzero(lax.reshape(x, [x.size]), opts)[0]!;
}

/** jnp.argwhere(a, {size, fillValue}): the indices of non-zero elements as rows of an (N, a.ndim) array. */
export function argwhere(a: ArrayLike, opts: NonzeroOptions = {}): Array {
  const x = toArray("argwhere", a);
  const nz = nonzero(x.ndim === 0 ? lax.reshape(x, [1]) : x, opts);
  const result = lax.concatenate(nz.map((v) => lax.expandDims(v, [1])), 1);
  if (x.ndim === 0) return lax.reshape(lax.slice(result, [0, 0], [result.shape[0]!, 0]), [result.shape[0]!, 0]);
  return result;
}

/** The three-argument jnp.where (promote x and y, broadcast, select); jnp.where itself lives in misc.ts. */
function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  let c = toArray("where", condition, "condition");
  if (c.dtype !== bool) c = lax.ne(c, scalar(0, c.dtype, false));
  const [xp, yp] = promoteDtypes("where", [x, y]);
  const shape = broadcastShapesOf("where", c.shape, xp!.shape, yp!.shape);
  const xb = broadcastToShape("where", xp!, shape);
  const yb = broadcastToShape("where", yp!, shape);
  if (shape.some((d) => d === 0)) return xb;
  return lax.select(c.ndim === 0 ? c : broadcastToShape("where", c, shape), xb, yb);
}

export interface CompressOptions {
  size?: number | null;
  /** Pads the result when `size` exceeds the count (default 0). */
  fillValue?: ArrayInput;
}

/**
 * jnp.compress(condition, a, axis?, {size, fillValue}): the slices of `a`
 * along an axis where the 1-D condition is true. Without `size` the
 * condition must be concrete.
 */
export function compress(condition: ArrayLike, a: ArrayLike, axis: number | null = null, opts: CompressOptions = {}): Array {
  let c = toArray("compress", condition, "condition");
  if (c.dtype !== bool) c = lax.ne(c, scalar(0, c.dtype, false));
  if (c.ndim !== 1) throw new TypeError(`[compress] condition must be a 1-D array, got ${fmt(c)}`);
  let x = toArray("compress", a);
  let ax = 0;
  if (axis === null) x = lax.reshape(x, [x.size]);
  else {
    ax = normAxis("compress", axis, x.ndim);
    x = moveToFront(x, ax);
  }
  const n = x.shape[0]!;
  const extra = c.shape[0]! > n ? lax.sliceInDim(c, n, null, 1, 0) : null;
  if (c.shape[0]! > n) c = lax.sliceInDim(c, 0, n, 1, 0);
  if (x.shape[0]! > c.shape[0]!) x = lax.sliceInDim(x, 0, c.shape[0]!, 1, 0);
  let result: Array;
  if (opts.size === undefined || opts.size === null) {
    if (extra && concreteOf("compress", extra, "the condition (without `size`)").any().item()) {
      throw new RangeError("[compress] condition contains entries that are out of bounds");
    }
    result = x.get(concreteOf("compress", c, "the condition (without `size`)"));
  } else {
    const size = staticSize("compress", opts.size, "size");
    if (size > x.shape[0]!) {
      throw new RangeError(`[compress] size must not be greater than the size of the array axis; got size=${size} for a.shape[axis]=${x.shape[0]}`);
    }
    const mask = lax.broadcastInDim(c, x.shape, [0]);
    const filled = lax.select(mask, x, lax.broadcastInDim(lax.convertElementType(toArray("compress", opts.fillValue ?? 0), x.dtype, x.weakType), x.shape, []));
    // Stable order: true entries first, each group in input order.
    const [, order] = lax.sort([lax.convertElementType(lax.bitwiseNot(c), int32, false), lax.iota(int32, c.shape[0]!)], { dimension: 0, numKeys: 1 });
    result = lax.sliceInDim(take(filled, order!, 0, { mode: "promise_in_bounds" }), 0, size, 1, 0);
  }
  return axis === null ? result : moveFromFront(result, ax);
}

const moveToFront = (x: Array, ax: number) => (ax === 0 ? x : lax.transpose(x, [ax, ...range(x.ndim).filter((i) => i !== ax)]));
function moveFromFront(x: Array, ax: number): Array {
  if (ax === 0) return x;
  const perm = range(1, x.ndim);
  perm.splice(ax, 0, 0);
  return lax.transpose(x, perm);
}

/**
 * jnp.choose(a, choices, {mode = "raise"}): pick, per element, from the
 * choice array a's value names (all broadcast together). mode "raise"
 * needs a concrete `a`; "wrap" and "clip" work under jit.
 */
export function choose(a: ArrayLike, choices: readonly ArrayLike[], opts: { mode?: "raise" | "wrap" | "clip" } = {}): Array {
  let idx = toArray("choose", a);
  if (!idx.dtype.isInteger) throw new TypeError(`[choose] \`a\` must be integer typed, got ${fmt(idx)}`);
  const n = choices.length;
  if (n === 0) throw new TypeError("[choose] needs at least one choice");
  const mode = opts.mode ?? "raise";
  if (mode === "raise") {
    const c = concreteOf("choose", idx, "`a` with mode 'raise' (use mode 'wrap' or 'clip' under jit)");
    if ([...c.dataSync()].some((v) => v < 0 || v >= n)) throw new RangeError(`[choose] invalid entry in choice array (valid: 0 to ${n - 1})`);
  } else if (mode === "wrap") idx = idx.mod(scalar(n, idx.dtype, false));
  else if (mode === "clip") idx = lax.clamp(scalar(0, idx.dtype, false), idx, scalar(n - 1, idx.dtype, false));
  else throw new TypeError(`[choose] mode=${JSON.stringify(mode)} not understood; must be 'raise', 'wrap' or 'clip'`);
  const cs = promoteDtypes("choose", choices);
  const shape = broadcastShapesOf("choose", idx.shape, ...cs.map((c) => c.shape));
  const ib = broadcastToShape("choose", idx, shape);
  const stacked = lax.concatenate(cs.map((c) => lax.expandDims(broadcastToShape("choose", c, shape), [0])), 0);
  const grid = shape.map((d, i) => lax.broadcastInDim(lax.iota(int32, d), shape.map((s, k) => (k === i ? s : 1)), [i]));
  return stacked.get(ib, ...grid);
}

/** Tile a 1-D array to exactly `size` elements (JAX's _tile_to_size). */
function tileToSize(x: Array, size: number): Array {
  let y = x;
  if (y.size < size) {
    const r = Math.ceil(size / y.size);
    y = lax.reshape(lax.broadcastInDim(y, [r, y.size], [1]), [r * y.size]);
  }
  return y.size > size ? lax.slice(y, [0], [size]) : y;
}

/**
 * jnp.place(arr, mask, vals, {inplace: false}): `arr` with the positions where
 * mask is true filled with `vals` in order (repeated as needed).
 */
export function place(arr: ArrayLike, mask: ArrayLike, vals: ArrayLike, opts: { inplace?: boolean } = {}): Array {
  checkNotInplace("place", opts.inplace);
  const data = toArray("place", arr);
  const m = toArray("place", mask, "mask");
  const v = toArray("place", vals, "vals");
  if (data.size !== m.size) throw new TypeError(`[place] arr and mask must be the same size, got ${fmt(data)} and ${fmt(m)}`);
  if (v.size === 0) throw new TypeError("[place] cannot place values from an empty array");
  if (data.size === 0) return data;
  const idx = nonzero(lax.reshape(m, [m.size]), { size: m.size, fillValue: m.size })[0]!;
  const flatVals = tileToSize(lax.reshape(v, [v.size]), idx.shape[0]!);
  return lax.reshape(lax.reshape(data, [data.size]).at(idx).set(flatVals, { mode: "drop" }), data.shape);
}

/**
 * jnp.put(a, ind, v, mode?, {inplace: false}): `a` with the flat positions
 * `ind` set to `v` (repeated as needed). mode: undefined (out-of-bounds
 * dropped), "clip" or "wrap".
 */
export function put(a: ArrayLike, ind: ArrayLike, v: ArrayLike, mode?: "clip" | "wrap" | null | { inplace?: boolean }, opts: { inplace?: boolean } = {}): Array {
  if (isOptions(mode)) return put(a, ind, v, null, mode as { inplace?: boolean });
  checkNotInplace("put", opts.inplace);
  const arr = toArray("put", a);
  let idx = toArray("put", ind, "ind");
  if (!idx.dtype.isInteger) throw new TypeError(`[put] indices must be integers, got ${fmt(idx)}`);
  idx = lax.reshape(idx, [idx.size]);
  const vv = toArray("put", v, "v");
  const flatV = lax.reshape(vv, [vv.size]);
  if (arr.size === 0 || idx.size === 0 || flatV.size === 0) return arr;
  const vals = tileToSize(flatV, idx.shape[0]!);
  let scatterMode: IndexOptions["mode"];
  if (mode === undefined || mode === null) scatterMode = "drop";
  else if (mode === "clip") {
    idx = lax.clamp(scalar(0, idx.dtype, false), idx, scalar(arr.size - 1, idx.dtype, false));
    scatterMode = "promise_in_bounds";
  } else if (mode === "wrap") {
    idx = idx.mod(scalar(arr.size, idx.dtype, false));
    scatterMode = "promise_in_bounds";
  } else throw new TypeError(`[put] mode should be one of 'wrap' or 'clip', got ${JSON.stringify(mode)}`);
  return arr.at(...unravelIndex(idx, arr.shape)).set(vals, { mode: scatterMode });
}

// ---------------------------------------------------------------------------
// Flat <-> multi-dimensional indices

/**
 * jnp.unravel_index(indices, shape): flat indices as one index array per
 * dimension. Out-of-bounds indices are clamped (JAX does not raise).
 */
export function unravelIndex(indices: ArrayLike, shape: number | readonly number[]): Array[] {
  let idx = toArray("unravel_index", indices, "indices");
  if (!idx.dtype.isInteger) throw new TypeError(`[unravel_index] indices must be integers, got ${fmt(idx)}`);
  const dims = typeof shape === "number" ? [shape] : [...shape];
  const out: Array[] = new JsArray(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) {
    const s = scalar(dims[i]!, idx.dtype, false);
    out[i] = idx.mod(s);
    idx = idx.floorDiv(s);
  }
  const zero = scalar(0, idx.dtype, false);
  const oobPos = lax.gt(idx, zero);
  const oobNeg = idx.dtype.kind === "u" ? null : lax.lt(idx, scalar(-1, idx.dtype, false));
  return dims.map((s, i) => {
    const neg = oobNeg ? lax.select(oobNeg, fullOf(idx.shape, 0, idx.dtype), out[i]!) : out[i]!;
    return lax.select(oobPos, fullOf(idx.shape, s - 1, idx.dtype), neg);
  });
}

/**
 * jnp.ravel_multi_index(multiIndex, dims, {mode = "raise"}): one flat index
 * per tuple of indices. mode "raise" needs concrete indices; "wrap" and
 * "clip" work under jit.
 */
export function ravelMultiIndex(multiIndex: readonly ArrayLike[], dims: readonly number[], opts: { mode?: "raise" | "wrap" | "clip" } = {}): Array {
  if (multiIndex.length !== dims.length) {
    throw new TypeError(`[ravel_multi_index] parameter multiIndex must be a sequence of length ${dims.length}, got ${multiIndex.length}`);
  }
  const mode = opts.mode ?? "raise";
  const idx = multiIndex.map((m, i) => {
    const a = toArray("ravel_multi_index", m, `multiIndex[${i}]`);
    if (!a.dtype.isInteger) throw new TypeError(`[ravel_multi_index] only int indices permitted, got ${fmt(a)}`);
    return lax.convertElementType(a, int32, false);
  });
  const shape = broadcastShapesOf("ravel_multi_index", ...idx.map((a) => a.shape));
  const fixed = idx.map((a, i) => {
    const d = dims[i]!;
    if (mode === "raise") {
      const c = concreteOf("ravel_multi_index", a, "the indices with mode 'raise' (use 'wrap' or 'clip' under jit)");
      if ([...c.dataSync()].some((v) => v < 0 || v >= d)) throw new RangeError("[ravel_multi_index] invalid entry in coordinates array");
      return a;
    }
    if (mode === "wrap") return a.mod(int(d));
    if (mode === "clip") return lax.clamp(int(0), a, int(d - 1));
    throw new TypeError(`[ravel_multi_index] invalid mode ${JSON.stringify(mode)}; expected 'raise', 'wrap' or 'clip'`);
  });
  let out = fullOf(shape, 0, int32);
  let stride = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    out = lax.add(out, lax.mul(broadcastToShape("ravel_multi_index", fixed[i]!, shape), int(stride)));
    stride *= dims[i]!;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Index sets of diagonals and triangles (static, so computed here directly)

function staticDim(op: string, v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new TypeError(`[${op}] ${what} must be a static integer, got ${describe(v)}`);
}

/** jnp.diag_indices(n, ndim = 2): the indices of the main diagonal of an (n, n, ...) array. */
export function diagIndices(n: number, ndim = 2): Array[] {
  staticDim("diag_indices", n, "n");
  staticDim("diag_indices", ndim, "ndim");
  if (n < 0) throw new RangeError(`[diag_indices] n must be nonnegative, got ${n}`);
  if (ndim < 0) throw new RangeError(`[diag_indices] ndim must be nonnegative, got ${ndim}`);
  return range(ndim).map(() => lax.iota(int32, n));
}

/** jnp.diag_indices_from(arr): diagIndices for a square array of any rank >= 2. */
export function diagIndicesFrom(arr: ArrayLike): Array[] {
  const x = toArray("diag_indices_from", arr);
  if (x.ndim < 2) throw new TypeError(`[diag_indices_from] input array must be at least 2-d, got ${fmt(x)}`);
  if (new Set(x.shape).size !== 1) throw new TypeError(`[diag_indices_from] all dimensions of input must be of equal length, got ${fmt(x)}`);
  return diagIndices(x.shape[0]!, x.ndim);
}

function triangleIndices(op: string, n: number, k: number, m: number | null | undefined, lower: boolean): [Array, Array] {
  staticDim(op, n, "n");
  staticDim(op, k, "k");
  const mm = m === undefined || m === null ? n : staticDim(op, m, "m");
  if (n < 0 || mm < 0) throw new RangeError(`[${op}] n and m must be nonnegative, got n=${n}, m=${mm}`);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < mm; j++) {
      if (lower ? j <= i + k : j >= i + k) {
        rows.push(i);
        cols.push(j);
      }
    }
  }
  const mk = (v: number[]) => fromTyped(Int32Array.from(v), [v.length], int32);
  return [mk(rows), mk(cols)];
}

/** jnp.tril_indices(n, k = 0, m = n): row and column indices of the lower triangle (j <= i + k). */
export const trilIndices = (n: number, k = 0, m?: number | null): [Array, Array] => triangleIndices("tril_indices", n, k, m, true);
/** jnp.triu_indices(n, k = 0, m = n): row and column indices of the upper triangle (j >= i + k). */
export const triuIndices = (n: number, k = 0, m?: number | null): [Array, Array] => triangleIndices("triu_indices", n, k, m, false);

function fromShape(op: string, arr: ArrayLike | { shape: readonly number[] }): [number, number] {
  const s = typeof arr === "object" && arr !== null && !globalThis.Array.isArray(arr) && "shape" in arr ? [...arr.shape] : toArray(op, arr).shape;
  if (s.length !== 2) throw new TypeError(`[${op}] only 2-D inputs are accepted, got shape (${s.join(", ")})`);
  return [s[0]!, s[1]!];
}
/** jnp.tril_indices_from(arr, k = 0). */
export function trilIndicesFrom(arr: ArrayLike | { shape: readonly number[] }, k = 0): [Array, Array] {
  const [n, m] = fromShape("tril_indices_from", arr);
  return trilIndices(n, k, m);
}
/** jnp.triu_indices_from(arr, k = 0). */
export function triuIndicesFrom(arr: ArrayLike | { shape: readonly number[] }, k = 0): [Array, Array] {
  const [n, m] = fromShape("triu_indices_from", arr);
  return triuIndices(n, k, m);
}

/**
 * jnp.fill_diagonal(a, val, {inplace: false}): `a` with its main diagonal set
 * to `val` (a scalar, or values repeated along the diagonal). JAX supports
 * neither in-place updates nor wrap=true.
 */
export function fillDiagonal(a: ArrayLike, val: ArrayLike, opts: { wrap?: boolean; inplace?: boolean } = {}): Array {
  checkNotInplace("fill_diagonal", opts.inplace);
  if (opts.wrap) throw new TypeError("[fill_diagonal] wrap=true is not implemented, use wrap=false");
  const x = toArray("fill_diagonal", a);
  const v = toArray("fill_diagonal", val, "val");
  if (x.ndim < 2) throw new TypeError(`[fill_diagonal] array must be at least 2-d, got ${fmt(x)}`);
  if (x.ndim > 2 && !x.shape.every((d) => d === x.shape[0])) {
    throw new TypeError(`[fill_diagonal] all dimensions of input must be of equal length, got ${fmt(x)}`);
  }
  const n = Math.min(...x.shape);
  return x.at(...diagIndices(n, x.ndim)).set(v.ndim === 0 ? v : tileToSize(lax.reshape(v, [v.size]), n));
}

/**
 * jnp.ix_(...args): open-mesh index arrays from 1-D integer arrays, so that
 * `x.get(...ix_(rows, cols))` selects the cross product of rows and cols.
 */
export function ix_(...args: ArrayLike[]): Array[] {
  const n = args.length;
  return args.map((a, i) => {
    const x = toArray("ix_", a, `argument ${i}`);
    if (x.ndim !== 1) throw new TypeError(`[ix_] arguments must be 1-dimensional, got ${fmt(x)}`);
    if (x.dtype === bool) throw new TypeError("[ix_] boolean arguments are not implemented");
    const shape = range(n).map((k) => (k === i ? x.shape[0]! : 1));
    return x.size === 0 ? fullOf(shape, 0, int32) : lax.broadcastInDim(x, shape, [i]);
  });
}

/**
 * jnp.mask_indices(n, maskFunc, k = 0, {size}): the indices where
 * `maskFunc(ones([n, n]), k)` is non-zero (e.g. with jnp.triu).
 */
export function maskIndices(n: number, maskFunc: (a: Array, k: number) => Array, k = 0, opts: { size?: number | null } = {}): [Array, Array] {
  staticDim("mask_indices", n, "n");
  const [i, j] = nonzero(maskFunc(fullOf([n, n], 1, float32), k), { size: opts.size ?? null });
  return [i!, j!];
}
