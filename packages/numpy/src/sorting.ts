// Sorting, searching and set operations of jax.numpy (jax/_src/numpy/sorting.py,
// setops.py, the searchsorted of hijax.py): sort, argsort, lexsort, partition,
// argpartition, searchsorted, unique and the 1-D set routines, isin.
//
// As in JAX, NaN sorts after everything (and -0.0 equals 0.0); functions whose
// output size depends on the values (unique, intersect1d, ...) need concrete
// input unless a static `size` is given, in which case the result is padded
// with `fillValue` (by default JAX's choice, usually the smallest value).
import { Array, Tracer, lax, scalar, type ArrayInput, type DTypeLike } from "@jaxts/core";
import {
  arr,
  bool,
  broadcastAll,
  concat,
  constLike,
  float32,
  fmt,
  full,
  fullLike,
  int32,
  moveaxis,
  nonzero1d,
  normAxis,
  promoteDtypes,
  prod,
  range,
  ravel,
  reshape,
  reverse,
  scatterSet1d,
  sliceAxis,
  take,
  userDType,
} from "./math_helpers.js";

const isOptions = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x);

/** An axis given positionally or in an options object; `null` flattens. */
function axisArg<O extends { axis?: number | null }>(axisOrOpts: number | null | O | undefined, opts: O | undefined, dflt: number | null): [number | null, O] {
  if (isOptions(axisOrOpts)) return [(axisOrOpts as O).axis === undefined ? dflt : (axisOrOpts as O).axis!, axisOrOpts as O];
  const o = (opts ?? {}) as O;
  if (axisOrOpts !== undefined) return [axisOrOpts as number | null, o];
  return [o.axis === undefined ? dflt : o.axis!, o];
}

// ---------------------------------------------------------------------------
// sort / argsort / lexsort

export interface SortOptions {
  /** the axis to sort along (default -1); null sorts the flattened array */
  axis?: number | null;
  /** keep equal elements in their input order (default true) */
  stable?: boolean;
  /** sort in descending order (default false) */
  descending?: boolean;
}

/** jnp.sort: sorted copy along an axis (NaN last; descending reverses, so NaN comes first). */
export function sort(a: ArrayInput, axisOrOpts?: number | null | SortOptions, opts?: SortOptions): Array {
  const [axis, o] = axisArg(axisOrOpts, opts, -1);
  let x = arr("sort", a);
  if (axis === null) x = ravel(x);
  if (x.ndim === 0) throw new RangeError(`[sort] cannot sort a rank-0 array (${fmt(x)}); pass axis: null`);
  const dim = normAxis("sort", axis ?? 0, x.ndim);
  const r = lax.sort(x, { dimension: dim, isStable: o.stable ?? true });
  return o.descending ? reverse(r, dim) : r;
}

export interface ArgsortOptions extends SortOptions {
  /** index dtype (default int32) */
  dtype?: DTypeLike;
}

/**
 * jnp.argsort: the indices that sort an array along an axis (int32). Stable by
 * default; a stable descending argsort keeps equal elements in input order.
 */
export function argsort(a: ArrayInput, axisOrOpts?: number | null | ArgsortOptions, opts?: ArgsortOptions): Array {
  const [axis, o] = axisArg(axisOrOpts, opts, -1);
  let x = arr("argsort", a);
  if (axis === null) x = ravel(x);
  if (x.ndim === 0) throw new RangeError(`[argsort] cannot sort a rank-0 array (${fmt(x)}); pass axis: null`);
  const dim = normAxis("argsort", axis ?? 0, x.ndim);
  const stable = o.stable ?? true;
  const idxDType = o.dtype === undefined ? int32 : userDType("argsort", o.dtype);
  if (!idxDType.isInteger) throw new TypeError(`[argsort] dtype must be an integer dtype, got ${idxDType.name}`);
  let iota = lax.broadcastedIota(idxDType, x.shape, dim);
  if (o.descending && stable) {
    x = reverse(x, dim);
    iota = reverse(iota, dim);
  }
  const [, idx] = lax.sortKeyVal(x, iota, dim, stable);
  return o.descending ? reverse(idx!, dim) : idx!;
}

/**
 * jnp.lexsort: indices that sort by several keys, the LAST key primary (as
 * NumPy); all keys have the same shape; int32 result.
 */
export function lexsort(keys: readonly ArrayInput[], opts: { axis?: number } = {}): Array {
  if (!globalThis.Array.isArray(keys) || keys.length === 0) throw new TypeError("[lexsort] need a list of keys with length > 0");
  const ks = keys.map((k, i) => arr("lexsort", k, `key ${i}`));
  if (ks.some((k) => k.ndim !== ks[0]!.ndim || k.shape.some((d, i) => d !== ks[0]!.shape[i]))) {
    throw new TypeError(`[lexsort] all keys need to be the same shape, got ${ks.map(fmt).join(", ")}`);
  }
  if (ks[0]!.ndim === 0) return scalar(0, int32, false);
  const axis = normAxis("lexsort", opts.axis ?? -1, ks[0]!.ndim);
  const iota = lax.broadcastedIota(int32, ks[0]!.shape, axis);
  const out = lax.sort([...ks.slice().reverse(), iota], { dimension: axis, numKeys: ks.length });
  return out[out.length - 1]!;
}

// ---------------------------------------------------------------------------
// partition / argpartition (JAX's top_k formulation)

function partitionPrep(op: string, a: ArrayInput, kth: number, axis: number): { x: Array; axis: number; kth: number } {
  const x = arr(op, a);
  if (x.ndim === 0) throw new RangeError(`[${op}] needs an array of rank >= 1, got ${fmt(x)}`);
  const ax = normAxis(op, axis, x.ndim);
  const n = x.shape[ax]!;
  if (!Number.isInteger(kth) || kth < -n || kth >= n) throw new RangeError(`[${op}] kth ${kth} is out of bounds for axis ${ax} of ${fmt(x)}`);
  return { x, axis: ax, kth: kth < 0 ? kth + n : kth };
}

/** -x for top_k of the smallest: unsigned integers as -(x + 1) so 0 stays orderable. */
function negForMin(x: Array): Array {
  if (x.dtype === bool) return lax.bitwiseNot(x);
  return x.dtype.kind === "u" ? lax.neg(lax.add(x, constLike(x, 1))) : lax.neg(x);
}
function unnegForMin(x: Array): Array {
  if (x.dtype === bool) return lax.bitwiseNot(x);
  return x.dtype.kind === "u" ? lax.sub(lax.neg(x), constLike(x, 1)) : lax.neg(x);
}

/**
 * jnp.partition: the kth element in its sorted place, the kth smallest before
 * it (in sorted order) and the rest after it (in descending order), as JAX.
 */
export function partition(a: ArrayInput, kth: number, opts: { axis?: number } = {}): Array {
  const { x, axis, kth: k } = partitionPrep("partition", a, kth, opts.axis ?? -1);
  const y = lax.transpose(x, swapPerm(x.ndim, axis));
  const bottom = unnegForMin(lax.topK(negForMin(y), k + 1)[0]);
  const top = lax.topK(y, y.shape[y.ndim - 1]! - k - 1)[0];
  const out = lax.concatenate([bottom, top], y.ndim - 1);
  return lax.transpose(out, swapPerm(x.ndim, axis));
}

/** jnp.argpartition: the indices of partition's arrangement (int32). */
export function argpartition(a: ArrayInput, kth: number, opts: { axis?: number } = {}): Array {
  const { x, axis, kth: k } = partitionPrep("argpartition", a, kth, opts.axis ?? -1);
  const y = lax.transpose(x, swapPerm(x.ndim, axis));
  const n = y.shape[y.ndim - 1]!;
  const bottomInd = lax.topK(negForMin(y), k + 1)[1];
  // The others: rank the positions not in bottomInd first (1.0 beats 0.0), by index order.
  const taken = lax.reduceOr(
    lax.eq(lax.expandDims(bottomInd, [bottomInd.ndim]), lax.broadcastedIota(int32, [...bottomInd.shape, n], bottomInd.ndim)),
    [bottomInd.ndim - 1],
  );
  const proxy = lax.select(taken, full(taken.shape, 0, float32), full(taken.shape, 1, float32));
  const topInd = lax.topK(proxy, n - k - 1)[1];
  const out = lax.concatenate([bottomInd, topInd], y.ndim - 1);
  return lax.transpose(out, swapPerm(x.ndim, axis));
}

function swapPerm(nd: number, axis: number): number[] {
  const p = range(nd);
  p[axis] = nd - 1;
  p[nd - 1] = axis;
  return p;
}

// ---------------------------------------------------------------------------
// searchsorted

/** x < y in sort order: NaN above everything (JAX's _sort_lt_comparator for one key). */
function sortLt(x: Array, y: Array): Array {
  if (x.dtype.kind !== "f") return lax.lt(x, y);
  return lax.bitwiseOr(lax.lt(x, y), lax.bitwiseAnd(lax.ne(y, y), lax.eq(x, x)));
}
/** x <= y in sort order. */
function sortLe(x: Array, y: Array): Array {
  return lax.bitwiseNot(sortLt(y, x));
}

export interface SearchsortedOptions {
  /** "left": first index i with v <= a[i]; "right": first with v < a[i] (default "left") */
  side?: "left" | "right";
  /** indices that sort `a` (then `a` need not be sorted) */
  sorter?: ArrayInput;
  /** "scan" (binary search, the default), "sort" or "compare_all" (JAX's methods) */
  method?: "scan" | "scan_unrolled" | "sort" | "compare_all";
}

/**
 * jnp.searchsorted: where to insert `v` into the sorted 1-D `a` to keep it
 * sorted (int32, v's shape). NaN sorts last. Methods as JAX's: "scan" is a
 * binary search over ceil(log2(n + 1)) levels, "compare_all" counts
 * comparisons, "sort" ranks the concatenation.
 */
export function searchsorted(a: ArrayInput, v: ArrayInput, opts: SearchsortedOptions = {}): Array {
  const { side = "left", method = "scan" } = opts;
  const a0 = arr("searchsorted", a, "a");
  const v0 = arr("searchsorted", v, "v");
  if (a0.ndim !== 1) throw new TypeError(`[searchsorted] a should be 1-dimensional, got ${fmt(a0)}`);
  if (side !== "left" && side !== "right") throw new TypeError(`[searchsorted] side must be "left" or "right", got ${JSON.stringify(side)}`);
  let [sa, q] = promoteDtypes("searchsorted", [a0, v0]) as [Array, Array];
  if (opts.sorter !== undefined) sa = take(sa, arr("searchsorted", opts.sorter, "sorter"), 0);
  const n = sa.shape[0]!;
  if (n === 0) return full(q.shape, 0, int32);
  switch (method) {
    case "scan":
    case "scan_unrolled": {
      const goLeft = side === "left" ? sortLe : sortLt;
      let low = full(q.shape, 0, int32);
      let high = full(q.shape, n, int32);
      const levels = Math.ceil(Math.log2(n + 1));
      for (let l = 0; l < levels; l++) {
        const mid = lax.add(low, lax.div(lax.sub(high, low), scalar(2, int32, false)));
        const left = goLeft(q, take(sa, mid, 0, { mode: "clip" }));
        low = lax.select(left, low, mid);
        high = lax.select(left, mid, high);
      }
      return high;
    }
    case "compare_all": {
      const op = side === "left" ? sortLt : sortLe;
      const cmp = op(lax.broadcastInDim(sa, [n, ...q.shape], [0]), lax.broadcastInDim(q, [n, ...q.shape], range(1, q.ndim + 1)));
      return lax.reduceSum(lax.convertElementType(cmp, int32), [0]);
    }
    case "sort": {
      const qf = ravel(q);
      const rank = (x: Array) => {
        const idx = lax.iota(int32, x.shape[0]!);
        return scatterSet1d(full([x.shape[0]!], 0, int32), lax.sortKeyVal(x, idx)[1]!, idx);
      };
      const index =
        side === "left"
          ? sliceAxis(rank(lax.concatenate([qf, sa], 0)), 0, 0, qf.shape[0]!)
          : sliceAxis(rank(lax.concatenate([sa, qf], 0)), 0, n, null);
      return reshape(lax.sub(index, rank(qf)), q.shape);
    }
    default:
      throw new TypeError(`[searchsorted] unsupported method ${JSON.stringify(method)} (expected "scan", "sort" or "compare_all")`);
  }
}

// ---------------------------------------------------------------------------
// unique and set operations

const SIZE_HINT = "pass a static `size` (and optionally `fillValue`) to use it under jit/vmap/grad";

/** The concrete value of an array, or an error explaining the size= escape hatch. */
function concrete(op: string, x: Array): Array {
  if (x instanceof Tracer) {
    const c = x.toConcrete();
    if (c === null) throw new TypeError(`[${op}] the output size depends on the values of a traced array ${fmt(x)}; ${SIZE_HINT}`);
    return c;
  }
  return x;
}

const countTrue = (mask: Array): number => {
  let n = 0;
  for (const v of concrete("count", mask).dataSync()) n += v ? 1 : 0;
  return n;
};

function checkSize(op: string, size: number | undefined): void {
  if (size !== undefined && (!Number.isInteger(size) || size < 0)) throw new TypeError(`[${op}] size must be a non-negative integer, got ${size}`);
}

/** a != b along axis 0 rows (any over the rest); NaN equal to NaN when equalNan. */
function rowsDiffer(a: Array, b: Array, equalNan: boolean): Array {
  let ne = lax.ne(a, b);
  if (equalNan && a.dtype.kind === "f") ne = lax.bitwiseAnd(ne, lax.bitwiseNot(lax.bitwiseAnd(lax.ne(a, a), lax.ne(b, b))));
  return ne.ndim > 1 ? lax.reduceOr(ne, range(1, ne.ndim)) : ne;
}

/** JAX's _unique_sorted_mask: rows sorted lexicographically, the first-of-a-run mask, the permutation. */
function uniqueSortedMask(x: Array, equalNan: boolean): { aux: Array; mask: Array; perm: Array } {
  const n = x.shape[0]!;
  const rest = x.shape.slice(1);
  let perm: Array;
  if (prod(rest) === 0) {
    perm = full([1], 0, int32);
  } else {
    const rows = reshape(x, [n, prod(rest)]);
    const cols = range(prod(rest)).map((j) => lax.squeeze(lax.sliceInDim(rows, j, j + 1, 1, 1), [1]));
    const out = lax.sort([...cols, lax.iota(int32, n)], { dimension: 0, numKeys: cols.length });
    perm = out[out.length - 1]!;
  }
  const aux = x.size ? take(x, perm, 0) : x;
  let mask: Array;
  const m = aux.shape[0]!;
  if (aux.size && m > 0) {
    const differ = rowsDiffer(sliceAxis(aux, 0, 1, null), sliceAxis(aux, 0, 0, m - 1), equalNan);
    mask = lax.concatenate([full([1], true, bool), differ], 0);
  } else {
    mask = full([prod(rest) === 0 ? 1 : n], false, bool);
  }
  return { aux, mask, perm };
}

export interface UniqueOptions {
  returnIndex?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  /** unique rows/slices along this axis (default: the flattened array) */
  axis?: number | null;
  /** treat NaNs as equal (default true) */
  equalNan?: boolean;
  /** static output length; required under transformations */
  size?: number;
  /** value for the padding past the unique values (default: the smallest unique value) */
  fillValue?: ArrayInput;
}

interface UniqueResult {
  values: Array;
  index?: Array;
  inverse?: Array;
  counts?: Array;
  trueSize: Array;
}

function uniqueImpl(op: string, x: Array, axis: number, o: UniqueOptions): UniqueResult {
  const equalNan = o.equalNan ?? true;
  let size = o.size;
  checkSize(op, size);
  if (x.shape[axis] === 0 && size && o.fillValue === undefined) {
    throw new TypeError(`[${op}] for zero-sized input with nonzero size argument, fillValue must be specified`);
  }
  const moved = moveaxis(x, axis, 0);
  const { aux, mask, perm } = uniqueSortedMask(moved, equalNan);
  if (size === undefined) size = countTrue(mask);
  const ind = nonzero1d(mask, size);
  const trueSize = lax.reduceSum(lax.convertElementType(mask, int32), [0]);
  let result = aux.size ? take(aux, ind, 0) : aux;
  if (o.fillValue !== undefined && o.size !== undefined) {
    const fill = lax.convertElementType(arr(op, o.fillValue, "fillValue"), result.dtype);
    if (result.shape[0]) {
      const valid = lax.lt(lax.iota(int32, size), trueSize);
      const [v, r, f] = broadcastAll(op, [lax.expandDims(valid, range(1, result.ndim)), result, fill]);
      result = lax.select(v!, r!, f!);
    } else {
      result = lax.broadcastInDim(fill, [size, ...result.shape.slice(1)], []);
    }
  }
  const out: UniqueResult = { values: moveaxis(result, 0, axis), trueSize };
  if (o.returnIndex) out.index = aux.size ? take(perm, ind, 0) : perm;
  if (o.returnInverse) {
    if (aux.size) {
      const imask = lax.sub(lax.cumsum(lax.convertElementType(mask, int32), 0), scalar(1, int32, false));
      out.inverse = scatterSet1d(full(mask.shape, 0, int32), perm, imask);
    } else {
      out.inverse = full([x.shape[axis]!], 0, int32);
    }
  }
  if (o.returnCounts) {
    const m = mask.shape[0]!;
    if (aux.size) {
      let idx = nonzero1d(mask, size + 1);
      const tail = sliceAxis(idx, 0, 1, null);
      idx = lax.concatenate([sliceAxis(idx, 0, 0, 1), lax.select(lax.ne(tail, constLike(tail, 0)), tail, fullLike(tail, m))], 0);
      out.counts = lax.sub(sliceAxis(idx, 0, 1, null), sliceAxis(idx, 0, 0, size));
    } else if (x.shape[axis]) {
      out.counts = full([1], x.shape[axis]!, int32);
    } else {
      out.counts = full([0], 0, int32);
    }
  }
  return out;
}

/**
 * jnp.unique: the sorted unique values (of the flattened array, or unique
 * slices along `axis`), optionally with the first indices, the inverse
 * (int32, the input's shape when flattened) and the counts, returned as a
 * list in that order. With `size` the output has that static length, padded
 * with `fillValue` (default: the smallest value), as JAX's.
 */
export function unique(ar: ArrayInput, opts?: UniqueOptions & { returnIndex?: false; returnInverse?: false; returnCounts?: false }): Array;
export function unique(ar: ArrayInput, opts: UniqueOptions): Array[];
export function unique(ar: ArrayInput, opts: UniqueOptions = {}): Array | Array[] {
  let x = arr("unique", ar);
  if (opts.size === undefined) x = concrete("unique", x);
  const shape = x.shape;
  const flat = opts.axis === undefined || opts.axis === null;
  let axis = 0;
  if (flat) x = ravel(x);
  else axis = normAxis("unique", opts.axis!, x.ndim);
  const r = uniqueImpl("unique", x, axis, opts);
  const out = [r.values];
  if (opts.returnIndex) out.push(r.index!);
  if (opts.returnInverse) out.push(flat ? reshape(r.inverse!, shape) : r.inverse!);
  if (opts.returnCounts) out.push(r.counts!);
  return out.length === 1 ? out[0]! : out;
}

type SizeOptions = { size?: number; fillValue?: ArrayInput };

/** jnp.unique_all: {values, indices, inverseIndices, counts} (NaNs distinct). */
export function uniqueAll(x: ArrayInput, opts: SizeOptions = {}): { values: Array; indices: Array; inverseIndices: Array; counts: Array } {
  const [values, indices, inverseIndices, counts] = unique(x, { ...opts, returnIndex: true, returnInverse: true, returnCounts: true, equalNan: false });
  return { values: values!, indices: indices!, inverseIndices: inverseIndices!, counts: counts! };
}
/** jnp.unique_counts: {values, counts} (NaNs distinct). */
export function uniqueCounts(x: ArrayInput, opts: SizeOptions = {}): { values: Array; counts: Array } {
  const [values, counts] = unique(x, { ...opts, returnCounts: true, equalNan: false });
  return { values: values!, counts: counts! };
}
/** jnp.unique_inverse: {values, inverseIndices} (NaNs distinct). */
export function uniqueInverse(x: ArrayInput, opts: SizeOptions = {}): { values: Array; inverseIndices: Array } {
  const [values, inverseIndices] = unique(x, { ...opts, returnInverse: true, equalNan: false });
  return { values: values!, inverseIndices: inverseIndices! };
}
/** jnp.unique_values: the sorted unique values (NaNs distinct). */
export function uniqueValues(x: ArrayInput, opts: SizeOptions = {}): Array {
  return unique(x, { ...opts, equalNan: false });
}

/** Values at the true positions of a 1-D mask, padded to `size`: fillValue, or JAX's max-then-min padding. */
function compressSized(op: string, aux: Array, mask: Array, size: number, fillValue: ArrayInput | undefined): [Array, Array] {
  const numResults = lax.reduceSum(lax.convertElementType(mask, int32), [0]);
  const indices = nonzero1d(mask, size, aux.shape[0]!);
  let vals = aux.shape[0] ? take(aux, indices, 0, { mode: "fill", fillValue: 0 }) : full([size], 0, aux.dtype);
  const valid = lax.lt(lax.iota(int32, size), numResults);
  if (fillValue === undefined) {
    if (size > 0) {
      vals = lax.select(valid, vals, lax.broadcastInDim(lax.reduceMax(vals, [0]), [size], []));
      vals = lax.select(valid, vals, lax.broadcastInDim(lax.reduceMin(vals, [0]), [size], []));
    }
  } else {
    const f = lax.convertElementType(arr(op, fillValue, "fillValue"), vals.dtype);
    vals = lax.select(valid, vals, lax.broadcastInDim(f, [size], []));
  }
  return [vals, indices];
}

/** The sized unique values of a 1-D array packed at the front, and their count (JAX's _unique with return_true_size). */
function uniqueFront(x: Array, withIndex = false): { values: Array; count: Array; index: Array | null } {
  const r = uniqueImpl("unique", x, 0, { size: x.shape[0]!, fillValue: 0, returnIndex: withIndex });
  return { values: r.values, count: r.trueSize, index: r.index ?? null };
}

/** jnp.union1d: the sorted unique values of both (flattened) arrays. */
export function union1d(ar1: ArrayInput, ar2: ArrayInput, opts: SizeOptions = {}): Array {
  const [a, b] = promoteDtypes("union1d", [arr("union1d", ar1, "ar1"), arr("union1d", ar2, "ar2")]);
  return unique(lax.concatenate([ravel(a!), ravel(b!)], 0), opts);
}

export interface SetOptions extends SizeOptions {
  /** the inputs are already unique (faster; wrong results otherwise) */
  assumeUnique?: boolean;
}

/** jnp.setdiff1d: the sorted unique values of ar1 that are not in ar2. */
export function setdiff1d(ar1: ArrayInput, ar2: ArrayInput, opts: SetOptions = {}): Array {
  const a1 = ravel(arr("setdiff1d", ar1, "ar1"));
  const a2 = ravel(arr("setdiff1d", ar2, "ar2"));
  checkSize("setdiff1d", opts.size);
  const fill = lax.convertElementType(arr("setdiff1d", opts.fillValue ?? 0, "fillValue"), a1.dtype);
  if (a1.shape[0] === 0) return lax.broadcastInDim(fill, [opts.size ?? 0], []);
  let x = a1;
  if (!opts.assumeUnique) x = opts.size === undefined ? (unique(concrete("setdiff1d", a1)) as Array) : (unique(a1, { size: a1.shape[0]! }) as Array);
  let mask = in1d(x, a2, { invert: true });
  if (opts.size === undefined) {
    const k = countTrue(mask);
    return take(x, nonzero1d(mask, k), 0);
  }
  if (!opts.assumeUnique) {
    // Padding repeats x[0]; only the first n_unique entries count.
    const nUnique = lax.sub(scalar(x.shape[0]! + 1, int32, false), lax.reduceSum(lax.convertElementType(lax.eq(x, indexFirst(x)), int32), [0]));
    mask = lax.bitwiseAnd(mask, lax.lt(lax.iota(int32, x.shape[0]!), nUnique));
  }
  const size = opts.size;
  const count = lax.reduceSum(lax.convertElementType(mask, int32), [0]);
  const picked = take(x, nonzero1d(mask, size), 0);
  return lax.select(lax.lt(lax.iota(int32, size), count), picked, lax.broadcastInDim(fill, [size], []));
}

const indexFirst = (x: Array) => lax.broadcastInDim(lax.squeeze(lax.sliceInDim(x, 0, 1, 1, 0), [0]), x.shape, []);

/** jnp.setxor1d: the sorted unique values in exactly one of the inputs. */
export function setxor1d(ar1: ArrayInput, ar2: ArrayInput, opts: SetOptions = {}): Array {
  const [a, b] = promoteDtypes("setxor1d", [arr("setxor1d", ar1, "ar1"), arr("setxor1d", ar2, "ar2")]);
  const a1 = ravel(a!);
  const a2 = ravel(b!);
  checkSize("setxor1d", opts.size);
  let aux: Array;
  let flag: Array;
  if (opts.assumeUnique) {
    aux = lax.sort(lax.concatenate([a1, a2], 0));
    const m = aux.shape[0]!;
    flag = lax.concatenate(
      [full([1], m > 0, bool), lax.ne(sliceAxis(aux, 0, 1, null), sliceAxis(aux, 0, 0, Math.max(m - 1, 0))), full([1], true, bool)],
      0,
    );
  } else {
    const u1 = uniqueFront(a1);
    const u2 = uniqueFront(a2);
    const n1 = a1.shape[0]!;
    const n2 = a2.shape[0]!;
    // u1's values, then u2's right after them; the slots past num_unique sort last.
    const pos2 = lax.add(lax.iota(int32, n2), lax.broadcastInDim(u1.count, [n2], []));
    let arrCat = scatterSet1d(full([n1 + n2], 0, a1.dtype), lax.iota(int32, n1), u1.values);
    arrCat = scatterSet1d(arrCat, pos2, u2.values);
    const numUnique = lax.add(u1.count, u2.count);
    const m = n1 + n2;
    const maskFull = lax.lt(lax.iota(int32, m + 1), lax.broadcastInDim(lax.add(numUnique, scalar(1, int32, false)), [m + 1], []));
    const sorted = lax.sort([lax.bitwiseNot(sliceAxis(maskFull, 0, 1, null)), arrCat], { dimension: 0, numKeys: 2 });
    aux = sorted[1]!;
    const neq = lax.concatenate(
      [full([1], m > 0, bool), lax.ne(sliceAxis(aux, 0, 1, null), sliceAxis(aux, 0, 0, Math.max(m - 1, 0))), full([1], false, bool)],
      0,
    );
    // .at[num_unique].set(True)
    flag = lax.bitwiseAnd(maskFull, lax.bitwiseOr(neq, lax.eq(lax.iota(int32, m + 1), lax.broadcastInDim(numUnique, [m + 1], []))));
  }
  const k = flag.shape[0]! - 1;
  const auxMask = lax.bitwiseAnd(sliceAxis(flag, 0, 1, null), sliceAxis(flag, 0, 0, k));
  const size = opts.size ?? countTrue(auxMask);
  if (opts.size === undefined) return aux.shape[0] ? take(aux, nonzero1d(auxMask, size), 0) : aux;
  if (!aux.shape[0]) return lax.broadcastInDim(lax.convertElementType(arr("setxor1d", opts.fillValue ?? 0), aux.dtype), [size], []);
  return compressSized("setxor1d", aux, auxMask, size, opts.fillValue)[0];
}

export interface Intersect1dOptions extends SetOptions {
  /** also return the indices of the common values in ar1 and ar2 */
  returnIndices?: boolean;
}

/**
 * jnp.intersect1d: the sorted common unique values; with returnIndices also
 * [values, indices into ar1, indices into ar2] (padding indices point past the end).
 */
export function intersect1d(ar1: ArrayInput, ar2: ArrayInput, opts?: Intersect1dOptions & { returnIndices?: false }): Array;
export function intersect1d(ar1: ArrayInput, ar2: ArrayInput, opts: Intersect1dOptions): Array | [Array, Array, Array];
export function intersect1d(ar1: ArrayInput, ar2: ArrayInput, opts: Intersect1dOptions = {}): Array | [Array, Array, Array] {
  const [a, b] = promoteDtypes("intersect1d", [arr("intersect1d", ar1, "ar1"), arr("intersect1d", ar2, "ar2")]);
  const a1 = ravel(a!);
  const a2 = ravel(b!);
  checkSize("intersect1d", opts.size);
  const n1 = a1.shape[0]!;
  const n2 = a2.shape[0]!;
  const m = n1 + n2;
  let ind1: Array, ind2: Array, num1: Array;
  let aux: Array, auxSortIdx: Array, mask: Array;
  if (opts.assumeUnique) {
    ind1 = lax.iota(int32, n1);
    ind2 = lax.iota(int32, n2);
    num1 = scalar(n1, int32, false);
    const sorted = lax.sort([lax.concatenate([a1, a2], 0), lax.iota(int32, m)], { dimension: 0, numKeys: 1 });
    aux = sorted[0]!;
    auxSortIdx = sorted[1]!;
    mask = full([m], true, bool);
  } else {
    const u1 = uniqueFront(a1, true);
    const u2 = uniqueFront(a2, true);
    ind1 = u1.index!;
    ind2 = u2.index!;
    num1 = u1.count;
    const pos2 = lax.add(lax.iota(int32, n2), lax.broadcastInDim(u1.count, [n2], []));
    let cat = scatterSet1d(full([m], 0, a1.dtype), lax.iota(int32, n1), u1.values);
    cat = scatterSet1d(cat, pos2, u2.values);
    mask = lax.lt(lax.iota(int32, m), lax.broadcastInDim(lax.add(u1.count, u2.count), [m], []));
    const sorted = lax.sort([lax.bitwiseNot(mask), cat, lax.iota(int32, m)], { dimension: 0, numKeys: 2 });
    aux = sorted[1]!;
    auxSortIdx = sorted[2]!;
  }
  const auxMask =
    m > 0
      ? lax.bitwiseAnd(lax.eq(sliceAxis(aux, 0, 1, null), sliceAxis(aux, 0, 0, m - 1)), sliceAxis(mask, 0, 1, null))
      : full([0], false, bool);
  const size = opts.size ?? countTrue(auxMask);
  const numResults = lax.reduceSum(lax.convertElementType(auxMask, int32), [0]);
  let vals: Array;
  let valIdx: Array;
  if (m > 0) [vals, valIdx] = compressSized("intersect1d", aux, auxMask, size, opts.fillValue);
  else {
    vals = full([size], 0, aux.dtype);
    valIdx = full([size], 0, int32);
  }
  if (!opts.returnIndices) return vals;
  const valid = lax.lt(lax.iota(int32, size), lax.broadcastInDim(numResults, [size], []));
  let i1 = take(auxSortIdx, valIdx, 0, { mode: "fill", fillValue: n1 });
  i1 = lax.select(valid, i1, full([size], n1, int32));
  let i2 = lax.sub(take(auxSortIdx, lax.add(valIdx, scalar(1, int32, false)), 0, { mode: "fill", fillValue: n2 }), num1);
  i2 = lax.select(valid, i2, full([size], n2, int32));
  if (!opts.assumeUnique) {
    i1 = take(ind1, i1, 0, { mode: "fill", fillValue: n1 });
    i2 = take(ind2, i2, 0, { mode: "fill", fillValue: n2 });
  }
  return [vals, i1, i2];
}

export interface IsinOptions {
  assumeUnique?: boolean;
  /** return the negation (not in test elements) */
  invert?: boolean;
  /** "auto"/"compare_all" (every pair, the default) or "binary_search" (sort test elements and search) */
  method?: "auto" | "compare_all" | "binary_search";
}

/** The 1-D membership mask of the flattened `ar1` in `ar2` (JAX's _in1d). */
function in1dImpl(op: string, ar1: ArrayInput, ar2: ArrayInput, opts: IsinOptions): Array {
  const [p1, p2] = promoteDtypes(op, [arr(op, ar1, "element"), arr(op, ar2, "test_elements")]);
  const a1 = ravel(p1!);
  const a2 = ravel(p2!);
  const invert = opts.invert ?? false;
  const method = opts.method ?? "auto";
  if (a1.size === 0 || a2.size === 0) return full(a1.shape, invert, bool);
  if (method === "auto" || method === "compare_all") {
    const n = a1.shape[0]!;
    const k = a2.shape[0]!;
    const x = lax.broadcastInDim(a1, [n, k], [0]);
    const y = lax.broadcastInDim(a2, [n, k], [1]);
    return invert ? lax.reduceAnd(lax.ne(x, y), [1]) : lax.reduceOr(lax.eq(x, y), [1]);
  }
  if (method === "binary_search") {
    const s = lax.sort(a2);
    const ind = searchsorted(s, a1);
    const found = take(s, ind, 0, { mode: "clip" });
    return invert ? lax.ne(a1, found) : lax.eq(a1, found);
  }
  throw new TypeError(`[${op}] method ${JSON.stringify(method)} is not implemented; options are "compare_all", "binary_search" and "auto"`);
}

/** jnp.isin: whether each element is in `testElements` (bool, element's shape). */
export function isin(element: ArrayInput, testElements: ArrayInput, opts: IsinOptions = {}): Array {
  const e = arr("isin", element, "element");
  return reshape(in1dImpl("isin", e, testElements, opts), e.shape);
}

/** NumPy's in1d (removed in NumPy 2.4): isin of the flattened array, 1-D. */
export function in1d(ar1: ArrayInput, ar2: ArrayInput, opts: IsinOptions = {}): Array {
  return in1dImpl("in1d", ar1, ar2, opts);
}

