// Shape manipulation (the corresponding functions of jax.numpy's lax_numpy.py):
// reshape/ravel/transpose/swapaxes/moveaxis/expandDims/squeeze, broadcasting,
// joining (concatenate/stack/hstack/vstack/dstack/columnStack/append), splitting,
// tile/repeat, flips and rotations, roll, pad (every NumPy mode but callables),
// atleast1d/2d/3d, resize, insert/delete, unstack, ndim/shape/size. Each is a
// composition of lax ops, as in JAX, so they work under grad, vmap and jit.
import { Array, Tracer, bool, float32, int32, lax, scalar, vmap, type ArrayInput, type DTypeLike } from "@jaxts/core";
import { array, linspace, zerosLike } from "./creation.js";
import { nonzero, take, type Slice } from "./indexing.js";
import {
  broadcastShapesOf,
  broadcastToShape,
  canonicalShape,
  describe,
  fmt,
  fullOf,
  isOptions,
  moveaxes,
  normAxis,
  promoteDtypes,
  range,
  toArray,
  userDType,
  type ArrayLike,
  type ShapeLike,
} from "./shape_util.js";

const JsArray = globalThis.Array;
type Axes = number | readonly number[];
const axesList = (a: Axes): number[] => (typeof a === "number" ? [a] : [...a]);

/** A concrete integer (JS number, or a concrete integer Array scalar); `what` names it in errors. */
function staticInt(op: string, v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (v instanceof Array && v.ndim === 0 && v.dtype.isInteger) {
    const c = v instanceof Tracer ? v.toConcrete() : v;
    if (c) return Number(c.item());
    throw new TypeError(`[${op}] ${what} must be a static integer, got the traced ${fmt(v)}`);
  }
  throw new TypeError(`[${op}] ${what} must be an integer, got ${describe(v)}`);
}

// ---------------------------------------------------------------------------
// Shapes and axes

/** jnp.ndim. */
export const ndim = (a: ArrayLike): number => toArray("ndim", a).ndim;
/** jnp.shape. */
export const shape = (a: ArrayLike): number[] => toArray("shape", a).shape;
/** jnp.size(a, axis?): the number of elements (along one axis when given). */
export function size(a: ArrayLike, axis?: number | null): number {
  const x = toArray("size", a);
  return axis === undefined || axis === null ? x.size : x.shape[normAxis("size", axis, x.ndim)]!;
}

/**
 * jnp.reshape(a, shape, {order}): one dimension may be -1. order "F" reads
 * and writes elements in column-major order.
 */
export function reshape(a: ArrayLike, newShape: ShapeLike, opts: { order?: "C" | "F" } = {}): Array {
  const x = toArray("reshape", a);
  const s = typeof newShape === "number" ? [newShape] : [...newShape];
  const order = opts.order ?? "C";
  if (order === "C") return x.reshape(s);
  if (order !== "F") throw new TypeError(`[reshape] order must be "C" or "F", got ${JSON.stringify(order)}`);
  return x.T.reshape([...s].reverse()).T;
}

/** jnp.ravel(a, {order}). */
export function ravel(a: ArrayLike, opts: { order?: "C" | "F" } = {}): Array {
  const x = toArray("ravel", a);
  return reshape(x, [x.size], opts);
}

/** jnp.transpose(a, axes?): reverse the axes, or permute them. */
export function transpose(a: ArrayLike, axes?: readonly number[] | null): Array {
  const x = toArray("transpose", a);
  return axes === undefined || axes === null ? x.transpose() : x.transpose([...axes]);
}
/** jnp.permute_dims(a, axes) (the array API's transpose). */
export const permuteDims = (a: ArrayLike, axes: readonly number[]): Array => transpose(a, axes);
/** jnp.matrix_transpose: swap the last two axes. */
export function matrixTranspose(a: ArrayLike): Array {
  const x = toArray("matrix_transpose", a);
  if (x.ndim < 2) throw new TypeError(`[matrix_transpose] requires at least 2 dimensions, got ${fmt(x)}`);
  return x.swapaxes(-1, -2);
}

/** jnp.swapaxes(a, axis1, axis2). */
export const swapaxes = (a: ArrayLike, axis1: number, axis2: number): Array => toArray("swapaxes", a).swapaxes(axis1, axis2);

/** jnp.moveaxis(a, source, destination): move axes to new positions, the others keep their order. */
export function moveaxis(a: ArrayLike, source: Axes, destination: Axes): Array {
  return moveaxes("moveaxis", toArray("moveaxis", a), axesList(source), axesList(destination));
}

/** jnp.rollaxis(a, axis, start = 0): NumPy's older moveaxis. */
export function rollaxis(a: ArrayLike, axis: number, start = 0): Array {
  const x = toArray("rollaxis", a);
  const ax = normAxis("rollaxis", axis, x.ndim);
  if (!Number.isInteger(start) || start < -x.ndim || start > x.ndim) {
    throw new RangeError(`[rollaxis] start=${start} must satisfy ${-x.ndim} <= start <= ${x.ndim}`);
  }
  let st = start < 0 ? start + x.ndim : start;
  if (ax < st) st -= 1;
  return moveaxes("rollaxis", x, [ax], [st]);
}

/** jnp.expand_dims(a, axis): insert size-1 axes at the given positions of the result. */
export function expandDims(a: ArrayLike, axis: Axes): Array {
  const x = toArray("expand_dims", a);
  const ax = axesList(axis);
  const n = x.ndim + ax.length;
  const norm = ax.map((d) => normAxis("expand_dims", d, n));
  if (new Set(norm).size !== norm.length) throw new RangeError(`[expand_dims] repeated axis in (${ax.join(", ")})`);
  return lax.expandDims(x, norm);
}

/** jnp.squeeze(a, axis?): remove size-1 axes (all of them, or the given ones, which must have size 1). */
export function squeeze(a: ArrayLike, axis?: Axes | null): Array {
  const x = toArray("squeeze", a);
  if (axis === undefined || axis === null) return x.squeeze();
  const ax = axesList(axis).map((d) => normAxis("squeeze", d, x.ndim));
  const bad = ax.filter((d) => x.shape[d] !== 1);
  if (bad.length) {
    throw new TypeError(
      `[squeeze] cannot select an axis to squeeze out which has size not equal to one, got ${fmt(x)} and axis (${axesList(axis).join(", ")})`,
    );
  }
  return lax.squeeze(x, ax);
}

// ---------------------------------------------------------------------------
// Broadcasting

/** jnp.broadcast_to(a, shape). */
export function broadcastTo(a: ArrayLike, newShape: ShapeLike): Array {
  const x = toArray("broadcast_to", a);
  const s = canonicalShape("broadcast_to", newShape);
  if (s.length < x.ndim) {
    throw new TypeError(`[broadcast_to] cannot broadcast to a shape with fewer dimensions: ${fmt(x)} to (${s.join(", ")})`);
  }
  return broadcastToShape("broadcast_to", x, s);
}

/** jnp.broadcast_shapes(...shapes). */
export function broadcastShapes(...shapes: ShapeLike[]): number[] {
  return broadcastShapesOf("broadcast_shapes", ...shapes.map((s) => canonicalShape("broadcast_shapes", s)));
}

/** jnp.broadcast_arrays(...arrays): every array broadcast to the common shape. */
export function broadcastArrays(...arrays: ArrayLike[]): Array[] {
  const xs = arrays.map((a, i) => toArray("broadcast_arrays", a, `argument ${i}`));
  const s = broadcastShapesOf("broadcast_arrays", ...xs.map((x) => x.shape));
  return xs.map((x) => broadcastToShape("broadcast_arrays", x, s));
}

// ---------------------------------------------------------------------------
// Joining

/** A list of arrays, or an Array whose leading axis lists them (as jnp accepts). */
type ArraySequence = readonly ArrayLike[] | Array;

function sequence(op: string, arrays: ArraySequence): ArrayLike[] {
  if (arrays instanceof Array) {
    if (arrays.ndim === 0) throw new TypeError(`[${op}] expected a sequence of arrays, got the scalar ${fmt(arrays)}`);
    return unstack(arrays);
  }
  if (!JsArray.isArray(arrays)) throw new TypeError(`[${op}] expected a list of arrays, got ${describe(arrays)}`);
  return [...arrays];
}

function withDType(op: string, xs: readonly ArrayLike[], dtype: DTypeLike | null | undefined): Array[] {
  if (dtype === undefined || dtype === null) return promoteDtypes(op, xs);
  const d = userDType(op, dtype);
  return xs.map((x, i) => lax.convertElementType(toArray(op, x, `argument ${i}`), d, false));
}

export interface JoinOptions {
  dtype?: DTypeLike | null;
}

/** jnp.concatenate(arrays, axis = 0, {dtype}): dtypes are promoted; axis null joins the flattened arrays. */
export function concatenate(arrays: ArraySequence, axis: number | null = 0, opts: JoinOptions = {}): Array {
  const list = sequence("concatenate", arrays);
  if (list.length === 0) throw new TypeError("[concatenate] need at least one array to concatenate");
  const xs = withDType("concatenate", list, opts.dtype);
  if (axis === null) return lax.concatenate(xs.map((x) => lax.reshape(x, [x.size])), 0);
  if (xs[0]!.ndim === 0) throw new TypeError("[concatenate] zero-dimensional arrays cannot be concatenated");
  const ax = normAxis("concatenate", axis, xs[0]!.ndim);
  const ref = xs[0]!;
  xs.forEach((x) => {
    if (x.ndim !== ref.ndim || x.shape.some((d, i) => i !== ax && d !== ref.shape[i])) {
      throw new TypeError(
        `[concatenate] all the input array dimensions except for the concatenation axis (${ax}) must match exactly, got ${xs.map(fmt).join(", ")}`,
      );
    }
  });
  return lax.concatenate(xs, ax);
}
/** jnp.concat (the array API's concatenate). */
export const concat = (arrays: ArraySequence, axis: number | null = 0): Array => concatenate(arrays, axis);

/** jnp.stack(arrays, axis = 0, {dtype}): join same-shaped arrays along a new axis. */
export function stack(arrays: ArraySequence, axis = 0, opts: JoinOptions = {}): Array {
  const list = sequence("stack", arrays);
  if (list.length === 0) throw new TypeError("[stack] need at least one array to stack");
  const xs = withDType("stack", list, opts.dtype);
  const s = xs[0]!.shape;
  if (!xs.every((x) => x.ndim === s.length && x.shape.every((d, i) => d === s[i]))) {
    throw new TypeError(`[stack] all input arrays must have the same shape, got ${xs.map(fmt).join(", ")}`);
  }
  const ax = normAxis("stack", axis, s.length + 1);
  return lax.concatenate(xs.map((x) => lax.expandDims(x, [ax])), ax);
}

/** jnp.atleast_1d: scalars become 1-D; several arguments give a list. */
export function atleast1d(x: ArrayLike): Array;
export function atleast1d(...xs: ArrayLike[]): Array[];
export function atleast1d(...xs: ArrayLike[]): Array | Array[] {
  const r = xs.map((a) => array(a, { copy: false, ndmin: 1 }));
  return r.length === 1 ? r[0]! : r;
}
/** jnp.atleast_2d: leading size-1 axes up to rank 2. */
export function atleast2d(x: ArrayLike): Array;
export function atleast2d(...xs: ArrayLike[]): Array[];
export function atleast2d(...xs: ArrayLike[]): Array | Array[] {
  const r = xs.map((a) => array(a, { copy: false, ndmin: 2 }));
  return r.length === 1 ? r[0]! : r;
}
/** jnp.atleast_3d: a 1-D array (N,) becomes (1, N, 1), a 2-D one (M, N, 1). */
export function atleast3d(x: ArrayLike): Array;
export function atleast3d(...xs: ArrayLike[]): Array[];
export function atleast3d(...xs: ArrayLike[]): Array | Array[] {
  const r = xs.map((a) => {
    const x = toArray("atleast_3d", a);
    if (x.ndim === 0) return lax.expandDims(x, [0, 1, 2]);
    if (x.ndim === 1) return lax.expandDims(x, [0, 2]);
    if (x.ndim === 2) return lax.expandDims(x, [2]);
    return x;
  });
  return r.length === 1 ? r[0]! : r;
}

/** jnp.hstack: concatenate along axis 1 (axis 0 for 1-D arrays). */
export function hstack(tup: ArraySequence, opts: JoinOptions = {}): Array {
  const xs = sequence("hstack", tup).map((a) => atleast1d(a));
  if (xs.length === 0) throw new TypeError("[hstack] need at least one array to concatenate");
  return concatenate(xs, xs[0]!.ndim === 1 ? 0 : 1, opts);
}
/** jnp.vstack: concatenate along axis 0 after atleast2d. */
export function vstack(tup: ArraySequence, opts: JoinOptions = {}): Array {
  return concatenate(sequence("vstack", tup).map((a) => atleast2d(a)), 0, opts);
}
/** jnp.dstack: concatenate along axis 2 after atleast3d. */
export function dstack(tup: ArraySequence, opts: JoinOptions = {}): Array {
  return concatenate(sequence("dstack", tup).map((a) => atleast3d(a)), 2, opts);
}
/** jnp.column_stack: 1-D arrays become columns, then concatenate along axis 1. */
export function columnStack(tup: ArraySequence): Array {
  const xs = sequence("column_stack", tup).map((a) => {
    const x = toArray("column_stack", a);
    return x.ndim < 2 ? atleast2d(x).T : x;
  });
  return concatenate(xs, 1);
}

/** jnp.append(arr, values, axis?): without an axis both are flattened. */
export function append(arr: ArrayLike, values: ArrayLike, axis: number | null = null): Array {
  if (axis === null) return concatenate([ravel(arr), ravel(values)], 0);
  return concatenate([arr, values], axis);
}

/** Nested lists of arrays for `block`. */
export type BlockList = ArrayLike | readonly BlockList[];

/**
 * jnp.block(arrays): assemble an array from nested lists of blocks; the
 * innermost lists join along the last axis, the next along the second-to-last,
 * and so on.
 */
export function block(arrays: BlockList): Array {
  const rec = (xs: BlockList): [Array, number] => {
    if (!JsArray.isArray(xs) || ((xs as unknown[]).length > 0 && (xs as unknown[]).every((v) => typeof v === "number" || typeof v === "boolean"))) {
      return [toArray("block", xs), 1];
    }
    const list = xs as readonly BlockList[];
    if (list.length === 0) throw new TypeError("[block] does not allow empty list arguments");
    const parts = list.map(rec);
    const depth = parts[0]![1];
    if (parts.some(([, d]) => d !== depth)) throw new TypeError("[block] mismatched list depths");
    const rank = Math.max(depth, ...parts.map(([x]) => x.ndim));
    const xsN = parts.map(([x]) => (x.ndim < rank ? lax.expandDims(x, range(rank - x.ndim)) : x));
    return [concatenate(xsN, -depth), depth + 1];
  };
  return rec(arrays)[0];
}

// ---------------------------------------------------------------------------
// Splitting

function splitImpl(op: string, ary: ArrayLike, indicesOrSections: number | readonly number[] | Array, axis: number): Array[] {
  const x = toArray(op, ary);
  const ax = normAxis(op, staticInt(op, axis, "axis"), x.ndim);
  const n = x.shape[ax]!;
  let sizes: number[];
  if (JsArray.isArray(indicesOrSections) || (indicesOrSections instanceof Array && indicesOrSections.ndim > 0)) {
    const idx = JsArray.isArray(indicesOrSections)
      ? (indicesOrSections as number[]).map((v, i) => staticInt(op, v, `split index ${i}`))
      : [...concreteOf(op, indicesOrSections as Array, "indices").dataSync()].map(Number);
    const points = [0, ...idx, n];
    sizes = points.slice(1).map((p, i) => p - points[i]!);
    // NumPy clamps split points into [0, n] and gives empty pieces for decreasing ones.
    let pos = 0;
    return points.slice(1).map((p) => {
      const start = Math.min(Math.max(pos, 0), n);
      const stop = Math.min(Math.max(p < 0 ? p + n : p, start), n);
      pos = p < 0 ? p + n : p;
      return lax.sliceInDim(x, start, stop, 1, ax);
    });
  }
  const num = staticInt(op, indicesOrSections, "number of sections");
  if (num <= 0) throw new RangeError(`[${op}] number of sections must be larger than 0, got ${num}`);
  const part = Math.floor(n / num);
  const r = n % num;
  if (r === 0) sizes = new JsArray<number>(num).fill(part);
  else if (op === "array_split") sizes = [...new JsArray<number>(r).fill(part + 1), ...new JsArray<number>(num - r).fill(part)];
  else throw new RangeError(`[${op}] array split does not result in an equal division: ${n} elements into ${num} sections (rest ${r})`);
  let start = 0;
  return sizes.map((s) => {
    const piece = lax.sliceInDim(x, start, start + s, 1, ax);
    start += s;
    return piece;
  });
}

function concreteOf(op: string, x: Array, what: string): Array {
  const c = x instanceof Tracer ? x.toConcrete() : x;
  if (!c) throw new TypeError(`[${op}] ${what} must be concrete, got the traced ${fmt(x)}`);
  return c;
}

/** jnp.split(ary, indicesOrSections, axis = 0): equal sections (must divide evenly) or split points. */
export const split = (ary: ArrayLike, indicesOrSections: number | readonly number[] | Array, axis = 0): Array[] =>
  splitImpl("split", ary, indicesOrSections, axis);
/** jnp.array_split: like split, but sections may differ in size by one. */
export const arraySplit = (ary: ArrayLike, indicesOrSections: number | readonly number[] | Array, axis = 0): Array[] =>
  splitImpl("array_split", ary, indicesOrSections, axis);
/** jnp.hsplit: split along axis 1 (axis 0 for 1-D arrays). */
export function hsplit(ary: ArrayLike, indicesOrSections: number | readonly number[] | Array): Array[] {
  const x = toArray("hsplit", ary);
  if (x.ndim === 0) throw new TypeError("[hsplit] only works on arrays of 1 or more dimensions");
  return splitImpl("hsplit", x, indicesOrSections, x.ndim === 1 ? 0 : 1);
}
/** jnp.vsplit: split along axis 0 (at least 2-D). */
export function vsplit(ary: ArrayLike, indicesOrSections: number | readonly number[] | Array): Array[] {
  const x = toArray("vsplit", ary);
  if (x.ndim < 2) throw new TypeError(`[vsplit] only works on arrays of 2 or more dimensions, got ${fmt(x)}`);
  return splitImpl("vsplit", x, indicesOrSections, 0);
}
/** jnp.dsplit: split along axis 2 (at least 3-D). */
export function dsplit(ary: ArrayLike, indicesOrSections: number | readonly number[] | Array): Array[] {
  const x = toArray("dsplit", ary);
  if (x.ndim < 3) throw new TypeError(`[dsplit] only works on arrays of 3 or more dimensions, got ${fmt(x)}`);
  return splitImpl("dsplit", x, indicesOrSections, 2);
}

/** jnp.unstack(x, {axis = 0}): the slices along an axis, as a list. */
export function unstack(x: ArrayLike, opts: { axis?: number } = {}): Array[] {
  const a = toArray("unstack", x);
  if (a.ndim === 0) throw new TypeError("[unstack] requires an array of at least one dimension, got a scalar");
  const ax = normAxis("unstack", opts.axis ?? 0, a.ndim);
  return range(a.shape[ax]!).map((i) => lax.squeeze(lax.sliceInDim(a, i, i + 1, 1, ax), [ax]));
}

// ---------------------------------------------------------------------------
// Repetition

/** jnp.tile(A, reps): repeat the whole array `reps` times along each axis. */
export function tile(A: ArrayLike, reps: number | readonly number[]): Array {
  const x = toArray("tile", A);
  let r = (typeof reps === "number" ? [reps] : [...reps]).map((v, i) => staticInt("tile", v, `reps[${i}]`));
  if (r.some((v) => v < 0)) throw new RangeError(`[tile] reps must be non-negative, got (${r.join(", ")})`);
  r = [...new JsArray<number>(Math.max(0, x.ndim - r.length)).fill(1), ...r];
  const a = r.length > x.ndim ? lax.expandDims(x, range(r.length - x.ndim)) : x;
  // Interleave a size-r axis before each axis, broadcast, and merge the pairs.
  const pairs = a.shape.flatMap((d, i) => [r[i]!, d]);
  const b = lax.broadcastInDim(a, pairs, a.shape.map((_, i) => 2 * i + 1));
  return lax.reshape(b, a.shape.map((d, i) => d * r[i]!));
}

export interface RepeatOptions {
  axis?: number | null;
  /** The static length of the result along the axis: lets array `repeats` be traced (under jit). */
  totalRepeatLength?: number | null;
}

/**
 * jnp.repeat(a, repeats, {axis, totalRepeatLength}): repeat each element.
 * Without an axis the array is flattened. `repeats` is a number or an array
 * (one count per element along the axis); array repeats must be concrete
 * unless `totalRepeatLength` is given (extra output is filled with the last
 * element, missing output is cut off, as in JAX).
 */
export function repeat(a: ArrayLike, repeats: ArrayLike, axisOrOpts?: number | null | RepeatOptions, opts: RepeatOptions = {}): Array {
  const o: RepeatOptions = isOptions(axisOrOpts) ? (axisOrOpts as RepeatOptions) : { ...opts, axis: axisOrOpts as number | null | undefined };
  let x = toArray("repeat", a);
  let axis: number;
  if (o.axis === undefined || o.axis === null) {
    x = lax.reshape(x, [x.size]);
    axis = 0;
  } else axis = normAxis("repeat", staticInt("repeat", o.axis, "axis"), x.ndim);
  let total = o.totalRepeatLength ?? null;
  if (total !== null && (!Number.isInteger(total) || total < 0)) {
    throw new RangeError(`[repeat] totalRepeatLength must be a non-negative integer, got ${total}`);
  }
  let reps: Array;
  if (total === null) {
    const r = typeof repeats === "number" ? repeats : concreteOf("repeat", toArray("repeat", repeats, "repeats"), "repeats (without totalRepeatLength, as under jit)");
    const vals = typeof r === "number" ? [r] : [...r.dataSync()].map(Number);
    if (vals.some((v) => !Number.isInteger(v) || v < 0)) throw new RangeError(`[repeat] repeats must be non-negative integers, got ${describe(repeats)}`);
    const rShape = typeof r === "number" ? [] : r.shape;
    if (rShape.length === 0 && x.ndim !== 0) {
      const n = vals[0]!;
      const aux = [...x.shape];
      aux.splice(axis + 1, 0, n);
      const b = lax.broadcastInDim(x, aux, range(aux.length).filter((i) => i !== axis + 1));
      return lax.reshape(b, x.shape.map((d, i) => (i === axis ? d * n : d)));
    }
    const flat = x.ndim === 0 ? vals : broadcastList("repeat", vals, x.shape[axis]!);
    total = flat.reduce((p, v) => p + v, 0);
    reps = array(flat, { dtype: int32 });
  } else {
    const r = toArray("repeat", repeats, "repeats");
    const rr = lax.reshape(r, [r.size]);
    reps = x.ndim === 0 ? rr : broadcastToShape("repeat", rr, [x.shape[axis]!]);
  }
  if (x.ndim === 0) {
    if (reps.shape[0] !== 1) throw new TypeError("[repeat] with a scalar `a` is only implemented for scalar `repeats`");
    return fullOf([total], 0, x.dtype, x.weakType).at(":").set(x);
  }
  if (total === 0) return fullOf(x.shape.map((d, i) => (i === axis ? 0 : d)), 0, x.dtype, x.weakType);
  if (x.shape[axis] === 0) return x;
  reps = lax.convertElementType(reps, int32, false);
  const exclusive = roll(reps, 1).at(0).set(0);
  const scatterIndices = exclusive.cumsum(0);
  const indicators = fullOf([total], 0, int32).at(scatterIndices).add(1);
  const gatherIndices = lax.sub(indicators.cumsum(0), scalar(1, int32, false));
  return take(x, gatherIndices, axis);
}

function broadcastList(op: string, vals: number[], n: number): number[] {
  if (vals.length === n) return vals;
  if (vals.length === 1) return new JsArray<number>(n).fill(vals[0]!);
  throw new TypeError(`[${op}] repeats of length ${vals.length} cannot be broadcast to the axis length ${n}`);
}

/** jnp.resize(a, newShape): the flattened array repeated (or cut) to fill the new shape. */
export function resize(a: ArrayLike, newShape: ShapeLike): Array {
  const x = ravel(a);
  const s = canonicalShape("resize", newShape);
  const n = s.reduce((p, d) => p * d, 1);
  if (x.size === 0 || n === 0) return zerosLike(x, null, s);
  const t = tile(x, Math.ceil(n / x.size));
  return lax.reshape(n === t.size ? t : lax.slice(t, [0], [n]), s);
}

/**
 * jnp.trim_zeros(filt, trim = "fb", {axis}): drop leading ("f") and/or
 * trailing ("b") zeros (whole zero slices along each axis). The input must be
 * concrete: the result's shape depends on its values.
 */
export function trimZeros(filt: ArrayLike, trim = "fb", opts: { axis?: Axes | null } = {}): Array {
  const x = toArray("trim_zeros", filt);
  const c = concreteOf("trim_zeros", x, "filt");
  const axes = opts.axis === undefined || opts.axis === null ? range(x.ndim) : axesList(opts.axis).map((a) => normAxis("trim_zeros", a, x.ndim));
  const t = trim.toLowerCase();
  if (axes.length === 0 || (!t.includes("f") && !t.includes("b"))) return x;
  const data = c.dataSync();
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const slices = x.shape.map((n, ax) => {
    if (!axes.includes(ax)) return { start: 0, stop: n };
    const nonzero = new JsArray<boolean>(n).fill(false);
    for (let k = 0; k < data.length; k++) if (data[k]) nonzero[Math.floor(k / strides[ax]!) % n] = true;
    const first = nonzero.indexOf(true);
    if (first < 0) return { start: 0, stop: 0 };
    return { start: t.includes("f") ? first : 0, stop: t.includes("b") ? nonzero.lastIndexOf(true) + 1 : n };
  });
  return lax.slice(x, slices.map((s) => s.start), slices.map((s) => s.stop));
}

/**
 * jnp.apply_along_axis(func1d, axis, arr, ...args): `func1d` applied to every
 * 1-D slice along an axis (vmapped over the other axes, as in JAX).
 */
export function applyAlongAxis(func1d: (a: Array, ...args: any[]) => Array, axis: number, arr: ArrayLike, ...args: unknown[]): Array {
  const x = toArray("apply_along_axis", arr);
  const ax = normAxis("apply_along_axis", axis, x.ndim);
  let f = (a: Array) => func1d(a, ...args);
  for (let i = 1; i < x.ndim - ax; i++) f = vmap(f, { inAxes: i, outAxes: -1 }) as (a: Array) => Array;
  for (let i = 0; i < ax; i++) f = vmap(f, { inAxes: 0, outAxes: 0 }) as (a: Array) => Array;
  return f(x);
}

/**
 * jnp.apply_over_axes(func, a, axes): apply `func(a, axis)` for each axis in
 * turn; a result with one dimension less gets it back (keepdims).
 */
export function applyOverAxes(func: (a: Array, axis: number) => Array, a: ArrayLike, axes: Axes): Array {
  let x = toArray("apply_over_axes", a);
  for (const axis of axesList(axes)) {
    const b = func(x, axis);
    if (b.ndim === x.ndim) x = b;
    else if (b.ndim === x.ndim - 1) x = lax.expandDims(b, [normAxis("apply_over_axes", axis, x.ndim)]);
    else throw new TypeError(`[apply_over_axes] function is not returning an array of the correct shape: ${fmt(b)} from ${fmt(x)}`);
  }
  return x;
}

// ---------------------------------------------------------------------------
// Reordering

/** jnp.flip(m, axis?): reverse the order of elements along the given axes (all by default). */
export function flip(m: ArrayLike, axis?: Axes | null): Array {
  const x = toArray("flip", m);
  const ax = axis === undefined || axis === null ? range(x.ndim) : axesList(axis).map((d) => normAxis("flip", d, x.ndim));
  return lax.rev(x, ax);
}
/** jnp.fliplr: flip axis 1. */
export function fliplr(m: ArrayLike): Array {
  const x = toArray("fliplr", m);
  if (x.ndim < 2) throw new TypeError(`[fliplr] requires an array of at least 2 dimensions, got ${fmt(x)}`);
  return lax.rev(x, [1]);
}
/** jnp.flipud: flip axis 0. */
export function flipud(m: ArrayLike): Array {
  const x = toArray("flipud", m);
  if (x.ndim < 1) throw new TypeError("[flipud] requires an array of at least 1 dimension, got a scalar");
  return lax.rev(x, [0]);
}

/** jnp.rot90(m, k = 1, axes = [0, 1]): rotate by 90° k times in the plane of two axes (from the first towards the second). */
export function rot90(m: ArrayLike, k = 1, axes: readonly [number, number] = [0, 1]): Array {
  const x = toArray("rot90", m);
  if (x.ndim < 2) throw new TypeError(`[rot90] requires its first argument to have ndim at least two, got ${fmt(x)}`);
  if (!Number.isInteger(k)) throw new TypeError(`[rot90] k must be an integer, got ${k}`);
  if (axes.length !== 2) throw new TypeError(`[rot90] axes must be a pair of axes, got (${axes.join(", ")})`);
  const a1 = normAxis("rot90", axes[0], x.ndim);
  const a2 = normAxis("rot90", axes[1], x.ndim);
  if (a1 === a2) throw new RangeError(`[rot90] axes must be different, got (${axes.join(", ")})`);
  const kk = ((k % 4) + 4) % 4;
  if (kk === 0) return x;
  if (kk === 2) return lax.rev(lax.rev(x, [a1]), [a2]);
  const perm = range(x.ndim);
  [perm[a1], perm[a2]] = [perm[a2]!, perm[a1]!];
  return kk === 1 ? lax.transpose(lax.rev(x, [a2]), perm) : lax.rev(lax.transpose(x, perm), [a2]);
}

/**
 * jnp.roll(a, shift, axis?): shift elements along axes, wrapping around.
 * Without an axis the array is flattened first. A traced shift is supported
 * (dynamic_slice of the array concatenated with itself).
 */
export function roll(a: ArrayLike, shift: ArrayInput | readonly number[], axis?: Axes | null): Array {
  const x = toArray("roll", a);
  if (axis === undefined || axis === null) return lax.reshape(roll(lax.reshape(x, [x.size]), shift, 0), x.shape);
  const ax = axesList(axis).map((d) => normAxis("roll", d, x.ndim));
  const staticShift =
    typeof shift === "number" ? [shift] : JsArray.isArray(shift) ? (shift as number[]) : null;
  if (staticShift) {
    const n = Math.max(ax.length, staticShift.length);
    if ((ax.length !== 1 && ax.length !== n) || (staticShift.length !== 1 && staticShift.length !== n)) {
      throw new TypeError(`[roll] shift (${staticShift.join(", ")}) and axis (${ax.join(", ")}) must have broadcastable lengths`);
    }
    let y = x;
    for (let k = 0; k < n; k++) {
      const d = ax[ax.length === 1 ? 0 : k]!;
      const s = staticInt("roll", staticShift[staticShift.length === 1 ? 0 : k], "shift");
      const len = y.shape[d]!;
      if (len === 0) continue;
      const i = (((-s) % len) + len) % len;
      y = lax.concatenate([lax.sliceInDim(y, i, len, 1, d), lax.sliceInDim(y, 0, i, 1, d)], d);
    }
    return y;
  }
  const sh = toArray("roll", shift, "shift");
  if (sh.ndim > 1) throw new TypeError(`[roll] 'shift' and 'axis' arguments must be scalars or 1D arrays, got ${fmt(sh)}`);
  const n = Math.max(ax.length, sh.ndim === 0 ? 1 : sh.shape[0]!);
  let y = x;
  for (let k = 0; k < n; k++) {
    const d = ax[ax.length === 1 ? 0 : k]!;
    const s = sh.ndim === 0 ? sh : sh.get(sh.shape[0] === 1 ? 0 : k);
    const len = scalar(y.shape[d]!, int32, false);
    const r = lax.convertElementType(s, int32, false).mod(lax.max(len, scalar(1, int32, false)));
    y = lax.dynamicSliceInDim(lax.concatenate([y, y], d), lax.sub(len, r), y.shape[d]!, d);
  }
  return y;
}

// ---------------------------------------------------------------------------
// Padding

export type PadMode =
  | "constant"
  | "edge"
  | "reflect"
  | "symmetric"
  | "wrap"
  | "linear_ramp"
  | "maximum"
  | "minimum"
  | "mean"
  | "median"
  | "empty";

/** One value, a (before, after) pair, or one pair per axis — NumPy's pad_width forms. */
export type PadPairs<T> = T | readonly T[] | readonly (readonly T[])[];

export interface PadOptions {
  mode?: PadMode;
  /** "constant": the fill values (scalar, per-side, or per-axis pairs; default 0). */
  constantValues?: PadPairs<number> | Array;
  /** "linear_ramp": the values the ramps end at (default 0). */
  endValues?: PadPairs<number>;
  /** "maximum"/"minimum"/"mean"/"median": how many edge values the statistic uses (default all). */
  statLength?: PadPairs<number> | null;
  /** "reflect"/"symmetric": "even" (default) or "odd" (reflect about the edge value). */
  reflectType?: "even" | "odd";
}

/** NumPy's _broadcast_to_pairs: normalize pad_width-like arguments to one [before, after] per axis. */
function toPairs<T>(op: string, name: string, v: unknown, nd: number, isValue: (x: unknown) => x is T): [T, T][] {
  const bad = () =>
    new TypeError(`[${op}] ${name} with ndim=${nd} has an unsupported shape: ${describe(v)}; valid shapes are (${nd}, 2), (1, 2), (2,), (1,) or ()`);
  if (isValue(v)) return range(nd).map(() => [v, v]);
  if (!JsArray.isArray(v)) throw bad();
  if (v.every(isValue)) {
    if (v.length === 1) return range(nd).map(() => [v[0], v[0]]);
    if (v.length === 2) return range(nd).map(() => [v[0], v[1]]);
    throw bad();
  }
  if (v.every((p) => JsArray.isArray(p) && p.length === 2 && p.every(isValue))) {
    const pairs = v as [T, T][];
    if (pairs.length === nd) return pairs.map((p) => [p[0], p[1]]);
    if (pairs.length === 1) return range(nd).map(() => [pairs[0]![0], pairs[0]![1]]);
  }
  throw bad();
}

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
const isNum = (x: unknown): x is number => typeof x === "number";

/**
 * jnp.pad(array, padWidth, mode = "constant", {constantValues, endValues,
 * statLength, reflectType}); the mode may also be given in the options.
 */
export function pad(arr: ArrayLike, padWidth: PadPairs<number>, mode?: PadMode | PadOptions, opts: PadOptions = {}): Array {
  const o: PadOptions = isOptions(mode) ? (mode as PadOptions) : { ...opts, mode: (mode as PadMode | undefined) ?? opts.mode };
  const m = o.mode ?? "constant";
  const x = toArray("pad", arr);
  const nd = x.ndim;
  const allowed: Record<PadMode, (keyof PadOptions)[]> = {
    constant: ["constantValues"],
    edge: [],
    wrap: [],
    empty: [],
    linear_ramp: ["endValues"],
    maximum: ["statLength"],
    minimum: ["statLength"],
    mean: ["statLength"],
    median: ["statLength"],
    reflect: ["reflectType"],
    symmetric: ["reflectType"],
  };
  if (!(m in allowed)) throw new TypeError(`[pad] unimplemented padding mode '${String(m)}'`);
  const extra = (Object.keys(o) as (keyof PadOptions)[]).filter((k) => k !== "mode" && o[k] !== undefined && !allowed[m].includes(k));
  if (extra.length) throw new TypeError(`[pad] unsupported options for mode '${m}': ${extra.join(", ")}`);
  if (nd === 0) return x;
  const widths = toPairs("pad", "padWidth", padWidth, nd, isInt);
  if (widths.some(([b, a]) => b < 0 || a < 0)) throw new RangeError(`[pad] padWidth can't contain negative values, got ${describe(padWidth)}`);
  switch (m) {
    case "constant":
      return padConstant(x, widths, o.constantValues ?? 0);
    case "wrap":
      return padWrap(x, widths);
    case "reflect":
    case "symmetric": {
      const rt = o.reflectType ?? "even";
      if (rt !== "even" && rt !== "odd") throw new TypeError(`[pad] reflectType must be "even" or "odd", got ${JSON.stringify(rt)}`);
      return padReflect(x, widths, m, rt);
    }
    case "edge":
      return padEdge(x, widths);
    case "linear_ramp":
      return padLinearRamp(x, widths, toPairs("pad", "endValues", o.endValues ?? 0, nd, isNum));
    case "empty":
      return padConstant(x, widths, 0);
    default: {
      const stat = o.statLength === undefined || o.statLength === null ? null : toPairs("pad", "statLength", o.statLength, nd, isInt);
      return padStats(x, widths, stat, m);
    }
  }
}

function noPaddingOnEmpty(x: Array, i: number, [b, a]: [number, number], mode: string): boolean {
  if (x.shape[i] !== 0) return false;
  if (b > 0 || a > 0) throw new RangeError(`[pad] cannot apply '${mode}' padding to the empty axis ${i} of ${fmt(x)}`);
  return true;
}

function padConstant(x: Array, widths: [number, number][], values: PadPairs<number> | Array): Array {
  const nd = x.ndim;
  const cv = lax.convertElementType(toArray("pad", values as ArrayLike, "constantValues"), x.dtype, x.weakType);
  const all = (i: number, side: 0 | 1, w: number) => {
    const cfg = range(nd).map((k) => (k === i ? (side === 0 ? [w, 0, 0] : [0, w, 0]) : [0, 0, 0]) as [number, number, number]);
    return cfg;
  };
  if (cv.ndim === 0 || (cv.ndim === 1 && cv.shape[0] === 1)) {
    return lax.pad(x, cv.ndim === 0 ? cv : lax.reshape(cv, []), widths.map(([b, a]) => [b, a, 0] as [number, number, number]));
  }
  if (cv.ndim === 1 && cv.shape[0] !== 2) {
    throw new TypeError(`[pad] constantValues has unsupported shape (${cv.shape.join(", ")}); a 1-D or 2-D value must have last dimension 1 or 2`);
  }
  const pairs = broadcastToShape("pad", cv, [nd, 2]);
  let y = x;
  for (let i = 0; i < nd; i++) {
    if (widths[i]![0] !== 0) y = lax.pad(y, pairs.get(i, 0), all(i, 0, widths[i]![0]));
    if (widths[i]![1] !== 0) y = lax.pad(y, pairs.get(i, 1), all(i, 1, widths[i]![1]));
  }
  return y;
}

function padWrap(x: Array, widths: [number, number][]): Array {
  let y = x;
  for (let i = 0; i < y.ndim; i++) {
    if (noPaddingOnEmpty(y, i, widths[i]!, "wrap")) continue;
    const n = y.shape[i]!;
    const [b, a] = widths[i]!;
    const parts: Array[] = [];
    if (b % n > 0) parts.push(lax.sliceInDim(y, n - (b % n), n, 1, i));
    for (let r = 0; r < Math.floor(b / n) + Math.floor(a / n) + 1; r++) parts.push(y);
    if (a % n > 0) parts.push(lax.sliceInDim(y, 0, a % n, 1, i));
    y = lax.concatenate(parts, i);
  }
  return y;
}

function padReflect(x: Array, widths: [number, number][], mode: "reflect" | "symmetric", reflectType: "even" | "odd"): Array {
  let y = x;
  for (let i = 0; i < y.ndim; i++) {
    const n = y.shape[i]!;
    if (noPaddingOnEmpty(y, i, widths[i]!, mode)) continue;
    if (widths[i]![0] === 0 && widths[i]![1] === 0) continue;
    const build = (arr: Array, padding: number, before: boolean): Array => {
      let edge = before ? lax.sliceInDim(arr, 0, 1, 1, i) : lax.sliceInDim(arr, -1, null, 1, i);
      const offset = mode === "reflect" && n > 1 ? 1 : 0;
      while (padding > 0) {
        const cur = Math.min(padding, n - offset);
        padding -= cur;
        const len = arr.shape[i]!;
        let piece = before
          ? lax.sliceInDim(arr, offset, offset + cur, 1, i)
          : lax.sliceInDim(arr, len - (cur + offset), mode === "symmetric" || n === 1 ? len : len - 1, 1, i);
        piece = lax.rev(piece, [i]);
        if (reflectType === "odd") {
          const e = lax.broadcastInDim(edge, piece.shape, range(piece.ndim));
          piece = lax.sub(lax.mul(scalar(2, e.dtype, e.weakType), e), piece);
          if (n > 1) edge = before ? lax.sliceInDim(piece, 0, 1, 1, i) : lax.sliceInDim(piece, -1, null, 1, i);
        }
        arr = before ? lax.concatenate([piece, arr], i) : lax.concatenate([arr, piece], i);
      }
      return arr;
    };
    y = build(y, widths[i]![0], true);
    y = build(y, widths[i]![1], false);
  }
  return y;
}

/** `edge` (size 1 along axis i) repeated `n` times along axis i. */
function repeatEdge(edge: Array, n: number, i: number): Array {
  const s = edge.shape.map((d, k) => (k === i ? n : d));
  return lax.broadcastInDim(lax.squeeze(edge, [i]), s, range(s.length).filter((k) => k !== i));
}

function padEdge(x: Array, widths: [number, number][]): Array {
  let y = x;
  for (let i = 0; i < y.ndim; i++) {
    if (noPaddingOnEmpty(y, i, widths[i]!, "edge")) continue;
    const n = y.shape[i]!;
    const before = repeatEdge(lax.sliceInDim(y, 0, 1, 1, i), widths[i]![0], i);
    const after = repeatEdge(lax.sliceInDim(y, n - 1, n, 1, i), widths[i]![1], i);
    y = lax.concatenate([before, y, after], i);
  }
  return y;
}

function padLinearRamp(x: Array, widths: [number, number][], ends: [number, number][]): Array {
  let y = x;
  for (let i = 0; i < y.ndim; i++) {
    if (noPaddingOnEmpty(y, i, widths[i]!, "linear_ramp")) continue;
    const edgeBefore = lax.squeeze(lax.sliceInDim(y, 0, 1, 1, i), [i]);
    const edgeAfter = lax.squeeze(lax.sliceInDim(y, -1, null, 1, i), [i]);
    const ramp = (end: number, edge: Array, num: number) =>
      lax.convertElementType(
        linspaceFromCreation(scalar(end, edge.dtype.kind === "f" ? edge.dtype : float32, false), edge, num, y.dtype, i),
        y.dtype,
        y.weakType,
      );
    const before = ramp(ends[i]![0], edgeBefore, widths[i]![0]);
    const after = lax.rev(ramp(ends[i]![1], edgeAfter, widths[i]![1]), [i]);
    y = lax.concatenate([before, y, after], i);
  }
  return y;
}

function linspaceFromCreation(start: Array, stop: Array, num: number, dtype: DTypeLike, axis: number): Array {
  return linspace(start, stop, num, { endpoint: false, dtype, axis });
}

/** The median along an axis, kept as size 1 (NaN if any element is NaN, as jnp.median). */
function medianKeep(x: Array, axis: number): Array {
  const xf = x.dtype.kind === "f" ? x : lax.convertElementType(x, float32, false);
  const n = xf.shape[axis]!;
  const sorted = lax.sort(xf, { dimension: axis });
  const lo = lax.sliceInDim(sorted, Math.floor((n - 1) / 2), Math.floor((n - 1) / 2) + 1, 1, axis);
  const hi = lax.sliceInDim(sorted, Math.floor(n / 2), Math.floor(n / 2) + 1, 1, axis);
  const mid = lax.mul(lax.add(lo, hi), scalar(0.5, xf.dtype, false));
  if (xf.dtype.kind !== "f") return mid;
  const anyNan = lax.reduceOr(lax.ne(xf, xf), [axis]);
  return lax.select(lax.expandDims(anyNan, [axis]), fullOf(mid.shape, NaN, mid.dtype), mid);
}

function padStats(x: Array, widths: [number, number][], statLength: [number, number][] | null, mode: string): Array {
  const stat = (a: Array, i: number): Array => {
    if (a.shape[i] === 0) throw new RangeError(`[pad] mode '${mode}' needs at least one value along axis ${i} of ${fmt(x)}`);
    if (mode === "maximum") return a.max(i, { keepdims: true });
    if (mode === "minimum") return a.min(i, { keepdims: true });
    if (mode === "mean") return a.mean(i, { keepdims: true });
    return medianKeep(a, i);
  };
  let y = x;
  for (let i = 0; i < y.ndim; i++) {
    let sb: Array;
    let sa: Array;
    if (statLength === null) {
      sb = stat(y, i);
      sa = sb;
    } else {
      const n = y.shape[i]!;
      let [lb, la] = statLength[i]!;
      if (lb === 0 || la === 0) throw new RangeError("[pad] statLength of 0 yields no value for padding");
      lb = Math.min(lb, n);
      la = Math.min(la, n);
      sb = stat(lax.sliceInDim(y, 0, lb, 1, i), i);
      sa = stat(lax.sliceInDim(y, n - la, n, 1, i), i);
    }
    if (y.dtype.isInteger) {
      sb = roundHalfEven(sb);
      sa = roundHalfEven(sa);
    }
    sb = lax.convertElementType(sb, y.dtype, y.weakType);
    sa = lax.convertElementType(sa, y.dtype, y.weakType);
    y = lax.concatenate([repeatEdge(sb, widths[i]![0], i), y, repeatEdge(sa, widths[i]![1], i)], i);
  }
  return y;
}

const roundHalfEven = (x: Array): Array => (x.dtype.kind === "f" ? lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN) : x);

// ---------------------------------------------------------------------------
// insert / delete

/** The indices a slice selects along an axis of length n (NumPy's slice.indices). */
function sliceRange(s: Slice, n: number): number[] {
  const step = s.step ?? 1;
  if (step === 0) throw new RangeError("slice step cannot be zero");
  const [lower, upper] = step < 0 ? [-1, n - 1] : [0, n];
  const clampI = (v: number | null | undefined, dflt: number) =>
    v === null || v === undefined ? dflt : v < 0 ? Math.max(v + n, lower) : Math.min(v, upper);
  const start = clampI(s.start, step < 0 ? upper : lower);
  const stop = clampI(s.stop, step < 0 ? lower : upper);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

function isSlice(x: unknown): x is Slice {
  return isOptions(x) && Object.keys(x).every((k) => k === "start" || k === "stop" || k === "step");
}

/** A stable argsort of a 1-D int array (lax.sort with an iota payload). */
function argsort1d(x: Array): Array {
  const [, perm] = lax.sort([x, lax.iota(int32, x.shape[0]!)], { dimension: 0, numKeys: 1 });
  return perm!;
}

/**
 * jnp.insert(arr, obj, values, axis?): insert values before the given
 * indices (a number, a list/array of indices, or a slice). Without an axis
 * the array is flattened. Works with traced indices.
 */
export function insert(arr: ArrayLike, obj: number | readonly number[] | Array | Slice, values: ArrayLike, axis: number | null = null): Array {
  let a = toArray("insert", arr);
  if (axis === null) a = lax.reshape(a, [a.size]);
  const ax = normAxis("insert", staticInt("insert", axis ?? 0, "axis"), a.ndim);
  let idx: Array = isSlice(obj) ? array(sliceRange(obj, a.shape[ax]!), { dtype: int32 }) : toArray("insert", obj, "obj");
  if (idx.ndim > 1) throw new TypeError(`[insert] obj must be a slice, a one-dimensional array or a scalar, got ${fmt(idx)}`);
  if (!idx.dtype.isInteger) {
    if (idx.size === 0 && !(obj instanceof Array)) idx = lax.convertElementType(idx, int32, false);
    else throw new TypeError(`[insert] index array must be integer typed, got ${fmt(idx)}`);
  }
  let vals = array(toArray("insert", values, "values"), { dtype: a.dtype, ndmin: a.ndim, copy: false });
  if (idx.size === 1) {
    const index = lax.reshape(idx, []);
    if (idx.ndim === 0) vals = moveaxes("insert", vals, [0], [ax]);
    idx = lax.broadcastInDim(index, [vals.shape[ax]!], []);
  }
  const nIn = a.shape[ax]!;
  const nIns = broadcastShapesOf("insert", idx.shape, [vals.shape[ax]!])[0]!;
  const outShape = a.shape.map((d, i) => (i === ax ? d + nIns : d));
  const out = fullOf(outShape, 0, a.dtype, a.weakType);
  const d = idx.dtype;
  idx = lax.select(lax.lt(idx, scalar(0, d, false)), lax.add(idx, scalar(nIn, d, false)), idx);
  idx = lax.clamp(scalar(0, d, false), idx, scalar(nIn, d, false));
  idx = broadcastToShape("insert", idx, [nIns]);
  const valuesInd = idx.at(argsort1d(idx)).add(lax.iota(d, nIns));
  const arrMask = fullOf([nIn + nIns], 1, bool).at(valuesInd).set(false);
  const arrInd = nonzero(arrMask, { size: nIn })[0]!;
  const lead = range(ax).map(() => ":");
  const valsB = broadcastToShape("insert", vals, outShape.map((s, i) => (i === ax ? nIns : s)));
  return out.at(...lead, valuesInd).set(valsB).at(...lead, arrInd).set(a);
}

/**
 * jnp.delete(arr, obj, axis?, {assumeUniqueIndices}): remove the entries at
 * the given indices (a number, a slice, an index array or a boolean mask).
 * Index arrays must be concrete unless `assumeUniqueIndices` is set.
 * (Exported as `delete`.)
 */
function deleteImpl(
  arr: ArrayLike,
  obj: number | readonly number[] | readonly boolean[] | Array | Slice,
  axis: number | null = null,
  opts: { assumeUniqueIndices?: boolean } = {},
): Array {
  let a = toArray("delete", arr);
  if (axis === null) a = lax.reshape(a, [a.size]);
  const ax = normAxis("delete", staticInt("delete", axis ?? 0, "axis"), a.ndim);
  const n = a.shape[ax]!;
  const lead = range(ax).map(() => ":");
  if (typeof obj === "number") {
    const i = normAxis("delete", staticInt("delete", obj, "obj"), n);
    return lax.concatenate([lax.sliceInDim(a, 0, i, 1, ax), lax.sliceInDim(a, i + 1, n, 1, ax)], ax);
  }
  let unique = opts.assumeUniqueIndices ?? false;
  let o: Array;
  if (isSlice(obj)) {
    o = array(sliceRange(obj, n), { dtype: int32 });
    unique = true;
  } else o = toArray("delete", obj, "obj");
  if (o.dtype.isInteger && unique) {
    let idx = lax.reshape(o, [o.size]);
    const d = idx.dtype;
    idx = lax.select(lax.lt(idx, scalar(0, d, false)), lax.add(idx, scalar(n, d, false)), idx);
    idx = lax.clamp(scalar(0, d, false), idx, scalar(n, d, false));
    idx = lax.sort(idx, { dimension: 0 });
    idx = lax.sub(idx, lax.iota(d, idx.shape[0]!));
    let i = lax.iota(d, n - idx.shape[0]!);
    const ge = lax.ge(lax.broadcastInDim(i, [idx.shape[0]!, i.shape[0]!], [1]), lax.broadcastInDim(idx, [idx.shape[0]!, i.shape[0]!], [0]));
    i = lax.add(i, lax.convertElementType(ge, d, false).sum(0).astype(d));
    return a.get(...lead, i);
  }
  const c = concreteOf("delete", o, "the obj array (pass assumeUniqueIndices: true for traced unique indices)");
  let mask: boolean[];
  if (c.dtype.isInteger) {
    mask = new JsArray<boolean>(n).fill(true);
    for (const v of c.dataSync()) {
      const k = Number(v) < 0 ? Number(v) + n : Number(v);
      if (k < 0 || k >= n) throw new RangeError(`[delete] index ${v} is out of bounds for axis ${ax} with size ${n}`);
      mask[k] = false;
    }
  } else if (c.dtype === bool) {
    if (c.ndim !== 1 || c.shape[0] !== n) {
      throw new TypeError(`[delete] a boolean obj must be one-dimensional with length matching the axis (${n}), got ${fmt(c)}`);
    }
    mask = [...c.dataSync()].map((v) => !v);
  } else throw new TypeError(`[delete] obj must be integer or bool, got ${fmt(c)}`);
  return a.get(...lead, mask);
}
export { deleteImpl as delete };

// ---------------------------------------------------------------------------
// packbits / unpackbits

export interface PackbitsOptions {
  /** the axis to pack along (default: the flattened array) */
  axis?: number | null;
  /** "big" (default): the first bit is the most significant; "little": the least */
  bitorder?: "big" | "little";
}

function bitOrder(op: string, bitorder: string | undefined): "big" | "little" {
  const o = bitorder ?? "big";
  if (o !== "big" && o !== "little") throw new TypeError(`[${op}] 'order' must be either 'little' or 'big', got ${JSON.stringify(bitorder)}`);
  return o;
}

/** The bit weights 1 << k for k = 0..7 (reversed for big-endian), uint8, shaped to broadcast along a trailing axis of rank `ndim`. */
function bitWeights(order: "big" | "little", ndim: number): Array {
  let k = lax.iota("uint8", 8);
  if (order === "big") k = lax.rev(k, [0]);
  const w = lax.shiftLeft(fullOf([8], 1, k.dtype), k);
  return lax.broadcastInDim(w, [...new globalThis.Array<number>(ndim - 1).fill(1), 8], [ndim - 1]);
}

/** jnp.packbits(a, {axis, bitorder}): pack the truthiness of each element into the bits of uint8 (zero-padded to a multiple of 8). */
export function packbits(a: ArrayLike, opts: PackbitsOptions = {}): Array {
  let x = toArray("packbits", a);
  if (!(x.dtype.isInteger || x.dtype === bool)) throw new TypeError(`[packbits] expected an input array of integer or boolean data type, got ${fmt(x)}`);
  const order = bitOrder("packbits", opts.bitorder);
  x = lax.convertElementType(lax.ne(x, fullOf([], 0, x.dtype)), "uint8");
  let axis: number;
  if (opts.axis === undefined || opts.axis === null) {
    x = lax.reshape(x, [x.size]);
    axis = 0;
  } else {
    axis = normAxis("packbits", opts.axis, x.ndim);
  }
  x = moveaxes("packbits", x, [axis], [x.ndim - 1]);
  const n = x.shape[x.ndim - 1]!;
  const rem = n % 8;
  if (rem) x = lax.pad(x, fullOf([], 0, x.dtype), [...x.shape.slice(0, -1).map(() => [0, 0, 0]), [0, 8 - rem, 0]]);
  const groups = x.shape[x.ndim - 1]! / 8;
  x = lax.reshape(x, [...x.shape.slice(0, -1), groups, 8]);
  const packed = lax.reduceSum(lax.shiftLeft(x, bitWeightsShift(order, x.ndim)), [x.ndim - 1]);
  return moveaxes("packbits", packed, [packed.ndim - 1], [axis]);
}

/** The shift amounts 0..7 (reversed for big-endian), uint8, broadcastable along a trailing axis of rank `ndim`. */
function bitWeightsShift(order: "big" | "little", ndim: number): Array {
  let k = lax.iota("uint8", 8);
  if (order === "big") k = lax.rev(k, [0]);
  return lax.broadcastInDim(k, [...new globalThis.Array<number>(ndim - 1).fill(1), 8], [ndim - 1]);
}

export interface UnpackbitsOptions extends PackbitsOptions {
  /** keep this many bits (padding with zeros when larger); negative: drop that many from the end */
  count?: number | null;
}

/** jnp.unpackbits(a, {axis, count, bitorder}): the bits of a uint8 array as a uint8 array of 0s and 1s, 8 per element. */
export function unpackbits(a: ArrayLike, opts: UnpackbitsOptions = {}): Array {
  let x = toArray("unpackbits", a);
  if (x.dtype.name !== "uint8") throw new TypeError(`[unpackbits] expected an input array of unsigned byte data type, got ${fmt(x)}`);
  const order = bitOrder("unpackbits", opts.bitorder);
  let axis: number;
  if (opts.axis === undefined || opts.axis === null) {
    x = lax.reshape(x, [x.size]);
    axis = 0;
  } else {
    axis = normAxis("unpackbits", opts.axis, x.ndim);
  }
  x = moveaxes("unpackbits", x, [axis], [x.ndim - 1]);
  const w = bitWeights(order, x.ndim + 1);
  const bits = lax.convertElementType(lax.gt(lax.bitwiseAnd(lax.expandDims(x, [x.ndim]), w), fullOf([], 0, x.dtype)), "uint8");
  let out = lax.reshape(bits, [...x.shape.slice(0, -1), x.shape[x.ndim - 1]! * 8]);
  const count = opts.count ?? null;
  if (count !== null) {
    if (!Number.isInteger(count)) throw new TypeError(`[unpackbits] count must be an integer or null, got ${String(count)}`);
    const n = out.shape[out.ndim - 1]!;
    if (count > n) out = lax.pad(out, fullOf([], 0, out.dtype), [...out.shape.slice(0, -1).map(() => [0, 0, 0]), [0, count - n, 0]]);
    else out = lax.sliceInDim(out, 0, count < 0 ? Math.max(n + count, 0) : count, 1, out.ndim - 1);
  }
  return moveaxes("unpackbits", out, [out.ndim - 1], [axis]);
}
