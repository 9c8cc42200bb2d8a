// Structural (shape) primitives: broadcast_in_dim, reshape, squeeze, transpose,
// rev, pad, concatenate, iota and slice. They move elements without arithmetic:
// the dtype is kept, and the result is weakly typed when every input is (JAX's
// standard weak-type rule). expand_dims and broadcast are not primitives: as in
// JAX, they lower to broadcast_in_dim.
import { Array, asArray, type ArrayInput } from "../array.js";
import { dtype as toDType, type DType, type DTypeLike } from "../dtypes.js";
import { pyRepr } from "../jaxpr.js";
import { ShapedArray, fmtAval, normalizeAxes, normalizeAxis, shapeSize, type Shape } from "../shape.js";
import { coerceOperands, definePrimitive } from "./define.js";

const JsArray = globalThis.Array;

// ---------------------------------------------------------------------------
// Validation helpers (every message names the op).

/** Python tuple text for messages: `(1,)`, `(2, 3)`. */
const tup = (xs: unknown): string => (JsArray.isArray(xs) ? pyRepr(xs) : String(xs));

function checkIntList(op: string, what: string, xs: unknown, min = -Infinity): readonly number[] {
  if (!JsArray.isArray(xs) || xs.some((d) => !Number.isInteger(d) || d < min)) {
    const kind = min === 0 ? "non-negative integers" : min === 1 ? "positive integers" : "integers";
    throw new TypeError(`[${op}] ${what} must be a sequence of ${kind}, got ${JSON.stringify(xs)}`);
  }
  return xs as number[];
}

function checkOperands(op: string, avals: ShapedArray[], n: number): void {
  if (avals.length !== n) {
    throw new TypeError(`[${op}] takes ${n} operand${n === 1 ? "" : "s"}, got ${avals.length}`);
  }
}

/** Each entry in [0, ndim) and no repeats. */
function checkDims(op: string, what: string, dims: readonly number[], ndim: number, a: ShapedArray): void {
  for (const d of dims) {
    if (d < 0 || d >= ndim) {
      throw new RangeError(`[${op}] ${what} ${tup(dims)} out of range for rank ${ndim}: ${fmtAval(a)}`);
    }
  }
  if (new Set(dims).size !== dims.length) {
    throw new RangeError(`[${op}] ${what} ${tup(dims)} contain a repeated dimension: ${fmtAval(a)}`);
  }
}

function isPermutation(perm: readonly number[], n: number): boolean {
  if (perm.length !== n) return false;
  const seen = new Set(perm);
  return seen.size === n && perm.every((d) => d >= 0 && d < n);
}

const frozen = <T>(xs: readonly T[]): readonly T[] => Object.freeze([...xs]);

// ---------------------------------------------------------------------------
// Primitives

export interface BroadcastInDimParams {
  shape: readonly number[];
  broadcast_dimensions: readonly number[];
  sharding: null;
}
/**
 * Operand dimension i becomes output dimension broadcast_dimensions[i]; its size
 * is 1 (broadcast) or equal to the target's. The dimensions need not increase
 * (JAX allows an implicit transpose), but must be distinct.
 */
export const broadcastInDimP = definePrimitive(
  "broadcast_in_dim",
  (avals, { shape, broadcast_dimensions: bd }: BroadcastInDimParams) => {
    const op = "broadcast_in_dim";
    checkOperands(op, avals, 1);
    const x = avals[0]!;
    checkIntList(op, "shape", shape, 0);
    checkIntList(op, "broadcast_dimensions", bd);
    if (bd.length !== x.ndim) {
      throw new TypeError(
        `[${op}] broadcast_dimensions ${tup(bd)} must have one entry per operand dimension: ${fmtAval(x)} -> shape ${tup(shape)}`,
      );
    }
    if (shape.length < x.ndim) {
      throw new TypeError(`[${op}] target shape ${tup(shape)} has a lower rank than the operand ${fmtAval(x)}`);
    }
    checkDims(op, "broadcast_dimensions", bd, shape.length, x);
    for (let i = 0; i < x.ndim; i++) {
      const d = x.shape[i]!;
      const t = shape[bd[i]!]!;
      if (d !== 1 && d !== t) {
        throw new TypeError(
          `[${op}] operand dimension ${i} of size ${d} must be 1 or equal to target dimension ${bd[i]} of size ${t}: ${fmtAval(x)} -> shape ${tup(shape)} with broadcast_dimensions ${tup(bd)}`,
        );
      }
    }
    return new ShapedArray(shape, x.dtype, x.weakType);
  },
);
// JAX hides shape and sharding (implied by the binder's type) and empty broadcast_dimensions.
broadcastInDimP.ppParams = (p: BroadcastInDimParams) =>
  p.broadcast_dimensions.length ? [["broadcast_dimensions", pyRepr(p.broadcast_dimensions)]] : [];

export interface ReshapeParams {
  new_sizes: readonly number[];
  /** A permutation applied to the operand before the row-major reshape, or null. */
  dimensions: readonly number[] | null;
  sharding: null;
}
export const reshapeP = definePrimitive("reshape", (avals, { new_sizes, dimensions }: ReshapeParams) => {
  const op = "reshape";
  checkOperands(op, avals, 1);
  const x = avals[0]!;
  checkIntList(op, "new_sizes", new_sizes, 0);
  if (dimensions !== null) {
    checkIntList(op, "dimensions", dimensions);
    if (!isPermutation(dimensions, x.ndim)) {
      throw new TypeError(`[${op}] dimensions ${tup(dimensions)} must be a permutation of the operand dimensions: ${fmtAval(x)}`);
    }
  }
  if (shapeSize(new_sizes) !== x.size) {
    throw new TypeError(
      `[${op}] cannot reshape ${fmtAval(x)} (size ${x.size}) into shape ${tup(new_sizes)} (size ${shapeSize(new_sizes)})`,
    );
  }
  return new ShapedArray(new_sizes, x.dtype, x.weakType);
});

export const squeezeP = definePrimitive("squeeze", (avals, { dimensions }: { dimensions: readonly number[] }) => {
  const op = "squeeze";
  checkOperands(op, avals, 1);
  const x = avals[0]!;
  checkIntList(op, "dimensions", dimensions);
  checkDims(op, "dimensions", dimensions, x.ndim, x);
  for (const d of dimensions) {
    if (x.shape[d] !== 1) {
      throw new TypeError(`[${op}] cannot squeeze dimension ${d} of size ${x.shape[d]} (only size-1 dimensions): ${fmtAval(x)}`);
    }
  }
  const drop = new Set(dimensions);
  return new ShapedArray(
    x.shape.filter((_, i) => !drop.has(i)),
    x.dtype,
    x.weakType,
  );
});

export const transposeP = definePrimitive("transpose", (avals, { permutation }: { permutation: readonly number[] }) => {
  const op = "transpose";
  checkOperands(op, avals, 1);
  const x = avals[0]!;
  checkIntList(op, "permutation", permutation);
  if (!isPermutation(permutation, x.ndim)) {
    throw new TypeError(`[${op}] permutation ${tup(permutation)} is not a permutation of the dimensions of ${fmtAval(x)}`);
  }
  return new ShapedArray(
    permutation.map((d) => x.shape[d]!),
    x.dtype,
    x.weakType,
  );
});

export const revP = definePrimitive("rev", (avals, { dimensions }: { dimensions: readonly number[] }) => {
  const op = "rev";
  checkOperands(op, avals, 1);
  const x = avals[0]!;
  checkIntList(op, "dimensions", dimensions);
  checkDims(op, "dimensions", dimensions, x.ndim, x);
  return x;
});

/** (low, high, interior) per dimension; low/high may be negative (cropping). */
export type PaddingConfig = readonly (readonly [number, number, number])[];
export const padP = definePrimitive("pad", (avals, { padding_config: cfg }: { padding_config: PaddingConfig }) => {
  const op = "pad";
  checkOperands(op, avals, 2);
  const [x, pv] = avals as [ShapedArray, ShapedArray];
  if (pv.ndim !== 0) throw new TypeError(`[${op}] padding_value must be a scalar, got ${fmtAval(pv)}`);
  if (pv.dtype !== x.dtype) {
    throw new TypeError(`[${op}] operand and padding_value must have the same dtype, got ${fmtAval(x)} and ${fmtAval(pv)}`);
  }
  if (!JsArray.isArray(cfg) || cfg.length !== x.ndim) {
    throw new TypeError(`[${op}] padding_config must have one (low, high, interior) triple per dimension of ${fmtAval(x)}, got ${JSON.stringify(cfg)}`);
  }
  const shape = cfg.map((t, i) => {
    if (!JsArray.isArray(t) || t.length !== 3 || t.some((v) => !Number.isInteger(v))) {
      throw new TypeError(`[${op}] padding_config entries must be (low, high, interior) integer triples, got ${JSON.stringify(t)}`);
    }
    const [lo, hi, interior] = t;
    if (interior < 0) {
      throw new RangeError(`[${op}] interior padding must be non-negative, got padding_config ${tup(cfg)} for ${fmtAval(x)}`);
    }
    const d = x.shape[i]!;
    return lo + hi + (d === 0 ? 0 : d + (d - 1) * interior);
  });
  if (shape.some((d) => d < 0)) {
    throw new RangeError(
      `[${op}] padding_config ${tup(cfg)} gives a negative dimension size ${tup(shape)} for ${fmtAval(x)}`,
    );
  }
  return new ShapedArray(shape, x.dtype, x.weakType && pv.weakType);
});

export const concatenateP = definePrimitive("concatenate", (avals, { dimension }: { dimension: number }) => {
  const op = "concatenate";
  if (avals.length === 0) throw new TypeError(`[${op}] needs at least one operand`);
  const x0 = avals[0]!;
  const all = () => avals.map(fmtAval).join(", ");
  if (avals.some((a) => a.ndim !== x0.ndim)) {
    throw new TypeError(`[${op}] operands must have the same rank, got ${all()}`);
  }
  if (!Number.isInteger(dimension) || dimension < 0 || dimension >= x0.ndim) {
    throw new RangeError(`[${op}] dimension ${dimension} is out of range for operands ${all()}`);
  }
  if (avals.some((a) => a.dtype !== x0.dtype)) {
    throw new TypeError(`[${op}] operands must have the same dtype, got ${all()}`);
  }
  for (const a of avals) {
    if (a.shape.some((d, i) => i !== dimension && d !== x0.shape[i])) {
      throw new TypeError(`[${op}] operand shapes may differ only in dimension ${dimension}, got ${all()}`);
    }
  }
  const shape = [...x0.shape];
  shape[dimension] = avals.reduce((s, a) => s + a.shape[dimension]!, 0);
  return new ShapedArray(shape, x0.dtype, avals.every((a) => a.weakType));
});

export interface IotaParams {
  dtype: DType;
  shape: readonly number[];
  dimension: number;
  sharding: null;
}
/** Values 0, 1, 2, ... along `dimension`, repeated along the others. Takes no operands. */
export const iotaP = definePrimitive("iota", (avals, { dtype, shape, dimension }: IotaParams) => {
  const op = "iota";
  checkOperands(op, avals, 0);
  if (dtype.kind === "b") throw new TypeError(`[${op}] does not accept dtype bool; use an integer or floating-point dtype`);
  checkIntList(op, "shape", shape, 0);
  if (!Number.isInteger(dimension) || dimension < 0 || dimension >= shape.length) {
    throw new RangeError(`[${op}] dimension ${dimension} is out of range for shape ${tup(shape)}`);
  }
  return new ShapedArray(shape, dtype, false);
});

export interface SliceParams {
  start_indices: readonly number[];
  limit_indices: readonly number[];
  strides: readonly number[] | null;
}
export const sliceP = definePrimitive("slice", (avals, { start_indices: start, limit_indices: limit, strides }: SliceParams) => {
  const op = "slice";
  checkOperands(op, avals, 1);
  const x = avals[0]!;
  checkIntList(op, "start_indices", start);
  checkIntList(op, "limit_indices", limit);
  if (start.length !== x.ndim || limit.length !== x.ndim) {
    throw new TypeError(
      `[${op}] start_indices ${tup(start)} and limit_indices ${tup(limit)} must have one entry per dimension of ${fmtAval(x)}`,
    );
  }
  if (strides !== null) {
    checkIntList(op, "strides", strides, 1);
    if (strides.length !== x.ndim) {
      throw new TypeError(`[${op}] strides ${tup(strides)} must have one entry per dimension of ${fmtAval(x)}`);
    }
  }
  for (let i = 0; i < x.ndim; i++) {
    if (start[i]! < 0 || limit[i]! > x.shape[i]! || limit[i]! < start[i]!) {
      throw new RangeError(
        `[${op}] start_indices ${tup(start)} and limit_indices ${tup(limit)} must satisfy 0 <= start <= limit <= size in every dimension of ${fmtAval(x)}`,
      );
    }
  }
  const shape = start.map((s, i) => {
    const n = limit[i]! - s;
    const st = strides ? strides[i]! : 1;
    return n === 0 ? 0 : Math.floor((n - 1) / st) + 1;
  });
  return new ShapedArray(shape, x.dtype, x.weakType);
});

// ---------------------------------------------------------------------------
// lax functions

function isIdentity(perm: readonly number[]): boolean {
  return perm.every((d, i) => d === i);
}

/** lax.broadcast_in_dim(operand, shape, broadcast_dimensions). */
export function broadcastInDim(operand: ArrayInput, shape: Shape, broadcastDimensions: readonly number[]): Array {
  const x = asArray(operand);
  if (x.ndim === shape.length && broadcastDimensions.length === 0) return x;
  return broadcastInDimP.bind1([x], {
    shape: frozen(shape),
    broadcast_dimensions: frozen(broadcastDimensions),
    sharding: null,
  });
}

/** lax.broadcast: add leading dimensions of the given sizes. */
export function broadcast(operand: ArrayInput, sizes: readonly number[]): Array {
  const x = asArray(operand);
  if (sizes.length === 0) return x;
  const dims = x.shape.map((_, i) => sizes.length + i);
  return broadcastInDim(x, [...sizes, ...x.shape], dims);
}

/** lax.reshape; `dimensions` (a permutation) is applied to the operand first. */
export function reshape(operand: ArrayInput, newSizes: Shape, dimensions: readonly number[] | null = null): Array {
  const x = asArray(operand);
  const sameDims = dimensions === null || (dimensions.length === x.ndim && isIdentity(dimensions));
  const sameShape = newSizes.length === x.ndim && newSizes.every((d, i) => d === x.shape[i]);
  if (x.ndim > 0 && sameShape && sameDims) return x;
  return reshapeP.bind1([x], {
    new_sizes: frozen(newSizes),
    dimensions: sameDims ? null : frozen(dimensions!),
    sharding: null,
  });
}

/** lax.squeeze: remove the given size-1 dimensions (negative axes allowed). */
export function squeeze(array: ArrayInput, dimensions: readonly number[]): Array {
  const x = asArray(array);
  const dims = normalizeAxes("squeeze", dimensions, x.ndim).sort((a, b) => a - b);
  if (dims.length === 0) return x;
  return squeezeP.bind1([x], { dimensions: frozen(dims) });
}

/** lax.expand_dims: insert size-1 dimensions at the given output positions (a broadcast_in_dim). */
export function expandDims(array: ArrayInput, dimensions: readonly number[]): Array {
  const x = asArray(array);
  const ndimOut = x.ndim + dimensions.length;
  const dims = normalizeAxes("expand_dims", dimensions, ndimOut);
  const inserted = new Set(dims);
  const shape: number[] = [];
  const bdims: number[] = [];
  for (let i = 0, j = 0; i < ndimOut; i++) {
    if (inserted.has(i)) shape.push(1);
    else {
      shape.push(x.shape[j++]!);
      bdims.push(i);
    }
  }
  return broadcastInDim(x, shape, bdims);
}

/** lax.transpose; the identity permutation returns the operand. */
export function transpose(operand: ArrayInput, permutation: readonly number[]): Array {
  const x = asArray(operand);
  if (permutation.length === x.ndim && isIdentity(permutation)) return x;
  return transposeP.bind1([x], { permutation: frozen(permutation) });
}

/** lax.rev: reverse the order of elements along the given dimensions. */
export function rev(operand: ArrayInput, dimensions: readonly number[]): Array {
  const x = asArray(operand);
  return revP.bind1([x], { dimensions: frozen(normalizeAxes("rev", dimensions, x.ndim)) });
}

/** lax.pad(operand, padding_value, [[low, high, interior], ...]); negative low/high crop. */
export function pad(
  operand: ArrayInput,
  paddingValue: ArrayInput,
  paddingConfig: readonly (readonly [number, number, number] | readonly number[])[],
): Array {
  const [x, pv] = coerceOperands([operand, paddingValue]);
  const cfg = JsArray.isArray(paddingConfig)
    ? paddingConfig.map((t) => (JsArray.isArray(t) ? (Object.freeze([...t]) as readonly number[]) : t))
    : paddingConfig;
  return padP.bind1([x!, pv!], { padding_config: Object.freeze(cfg) });
}

/** lax.concatenate(operands, dimension); a single operand is returned as is. */
export function concatenate(operands: readonly ArrayInput[], dimension: number): Array {
  if (operands.length === 0) throw new TypeError("[concatenate] needs at least one operand");
  const xs = coerceOperands([...operands]);
  if (xs.length === 1) return xs[0]!;
  return concatenateP.bind1(xs, { dimension: normalizeAxis("concatenate", dimension, xs[0]!.ndim) });
}

/** lax.iota(dtype, size): [0, 1, ..., size-1]. */
export function iota(dtype: DTypeLike, size: number): Array {
  return broadcastedIota(dtype, [size], 0);
}

/** lax.broadcasted_iota(dtype, shape, dimension). */
export function broadcastedIota(dtype: DTypeLike, shape: Shape, dimension: number): Array {
  const dim = Number.isInteger(dimension) && dimension < 0 ? dimension + shape.length : dimension;
  return iotaP.bind1([], { dtype: toDType(dtype), shape: frozen(shape), dimension: dim, sharding: null });
}

/** lax.slice(operand, start_indices, limit_indices, strides?). */
export function slice(
  operand: ArrayInput,
  startIndices: readonly number[],
  limitIndices: readonly number[],
  strides: readonly number[] | null = null,
): Array {
  return sliceP.bind1([asArray(operand)], {
    start_indices: frozen(startIndices),
    limit_indices: frozen(limitIndices),
    strides: strides === null || strides === undefined ? null : frozen(strides),
  });
}

/** lax.slice_in_dim: `operand[..., start:limit:stride]` along `axis`; negative indices count from the end. */
export function sliceInDim(
  operand: ArrayInput,
  startIndex: number | null,
  limitIndex: number | null,
  stride = 1,
  axis = 0,
): Array {
  const x = asArray(operand);
  const ax = normalizeAxis("slice_in_dim", axis, x.ndim);
  const n = x.shape[ax]!;
  let start = startIndex ?? 0;
  let limit = limitIndex ?? n;
  if (start < 0) start += n;
  if (limit < 0) limit += n;
  const starts = x.shape.map(() => 0);
  const limits = [...x.shape];
  const strides = x.shape.map(() => 1);
  starts[ax] = start;
  limits[ax] = limit;
  strides[ax] = stride;
  return slice(x, starts, limits, strides);
}

/**
 * lax.collapse: merge dimensions [startDimension, stopDimension) into one
 * (Python slice semantics for the bounds; stop defaults to the rank).
 */
export function collapse(operand: ArrayInput, startDimension: number, stopDimension: number | null = null): Array {
  const x = asArray(operand);
  const nd = x.ndim;
  const clampIdx = (i: number) => (i < 0 ? Math.max(0, i + nd) : Math.min(i, nd));
  const lo = clampIdx(startDimension);
  const hi = stopDimension === null ? nd : clampIdx(stopDimension);
  if (hi < lo) {
    throw new RangeError(`[collapse] invalid dimension range [${startDimension}:${stopDimension}] for ${fmtAval(x.aval)}`);
  }
  const size = shapeSize(x.shape.slice(lo, hi));
  return reshape(x, [...x.shape.slice(0, lo), size, ...x.shape.slice(hi)]);
}

// ---------------------------------------------------------------------------
// Transformation rules (JVP, transpose, batching), as JAX's in lax.py and
// slicing.py. Every structural primitive is linear in its array operands, so
// its JVP is itself applied to the tangents (pad and concatenate instantiate the
// zero tangents of their other operands, as JAX's deflinear does). iota takes no
// operands: its tangent is always a symbolic zero and it is never batched, so it
// needs no rule.
import { scalar } from "../array.js";
import { bool } from "../dtypes.js";
import { select, sub } from "./elementwise.js";
import { reduceSum } from "./reduction.js";
import { defjvpLinear } from "../transforms/jvp.js";
import { isUndef, setTranspose, type LinearArg } from "../transforms/transpose.js";
import { moveaxis, moveBatchAxis, setBatch, type BDim } from "../transforms/vmap.js";

const range = (n: number): number[] => [...JsArray(n).keys()];
/** The inverse permutation. */
const argsort = (perm: readonly number[]): number[] => range(perm.length).sort((a, b) => perm[a]! - perm[b]!);
/** `xs` with `v` inserted at position `at`. */
const insertAt = <T>(xs: readonly T[], at: number, v: T): T[] => [...xs.slice(0, at), v, ...xs.slice(at)];
const strongZero = (x: Array): Array => scalar(0, x.dtype, false);

for (const p of [broadcastInDimP, reshapeP, squeezeP, transposeP, revP, padP, concatenateP, sliceP]) defjvpLinear(p);

// --- transposes: each maps the output cotangent back onto the operand's shape.

// Sum over the broadcast output dimensions; operand dimensions of size 1 are summed
// too and restored with expand_dims. broadcast_dimensions may permute (JAX allows
// it), so the kept dimensions are put back in operand order.
setTranspose(broadcastInDimP, ([ct], [x], { shape, broadcast_dimensions: bd }: BroadcastInDimParams) => {
  if (!isUndef(x!)) return [null];
  const xs = x.aval.shape;
  const unitDims = range(xs.length).filter((i) => xs[i] === 1);
  const kept = bd.filter((_, i) => xs[i] !== 1);
  const axes = range(shape.length).filter((d) => !kept.includes(d));
  let r = axes.length ? reduceSum(ct!, axes) : ct!;
  const sortedKept = [...kept].sort((a, b) => a - b);
  r = transpose(r, kept.map((d) => sortedKept.indexOf(d)));
  return [unitDims.length ? expandDims(r, unitDims) : r];
});

setTranspose(reshapeP, ([ct], [x], { dimensions }: ReshapeParams) => {
  const xs = x!.aval.shape;
  if (dimensions === null) return [reshape(ct!, xs)];
  return [transpose(reshape(ct!, dimensions.map((d) => xs[d]!)), argsort(dimensions))];
});

setTranspose(squeezeP, ([ct], _args, { dimensions }: { dimensions: readonly number[] }) => [expandDims(ct!, dimensions)]);

setTranspose(transposeP, ([ct], _args, { permutation }: { permutation: readonly number[] }) => [
  transpose(ct!, argsort(permutation)),
]);

setTranspose(revP, ([ct], _args, { dimensions }: { dimensions: readonly number[] }) => [rev(ct!, dimensions)]);

// The operand's cotangent: undo low/high padding (negative padding, i.e. cropping,
// becomes zero padding) and skip interior padding with a strided slice. The
// padding value receives everything else: sum(ct) - sum(operand's cotangent).
setTranspose(padP, ([ct], [x, pv], { padding_config: cfg }: { padding_config: PaddingConfig }) => {
  const t = ct!;
  const operandCt = (): Array => {
    const unpadded = pad(t, strongZero(t), cfg.map(([lo, hi]) => [-lo, -hi, 0] as const));
    return slice(unpadded, cfg.map(() => 0), unpadded.aval.shape, cfg.map(([, , interior]) => interior + 1));
  };
  const total = (a: Array) => reduceSum(a, range(a.ndim));
  const xCt = isUndef(x!) || isUndef(pv!) ? operandCt() : null;
  return [isUndef(x!) ? xCt : null, isUndef(pv!) ? sub(total(t), total(xCt!)) : null];
});

setTranspose(concatenateP, ([ct], xs: LinearArg[], { dimension }: { dimension: number }) => {
  const shape = ct!.aval.shape;
  let offset = 0;
  return xs.map((x) => {
    const start = offset;
    offset += x.aval.shape[dimension]!;
    if (!isUndef(x)) return null;
    return slice(
      ct!,
      shape.map((_, i) => (i === dimension ? start : 0)),
      shape.map((d, i) => (i === dimension ? offset : d)),
    );
  });
});

// Zero padding puts the cotangent back where the slice read it; strides become
// interior padding.
setTranspose(sliceP, ([ct], [x], { start_indices: start, limit_indices: limit, strides }: SliceParams) => {
  const t = ct!;
  const xs = x!.aval.shape;
  const cfg: [number, number, number][] =
    strides === null || strides.every((s) => s === 1)
      ? start.map((lo, i) => [lo, xs[i]! - limit[i]!, 0])
      : start.map((lo, i) => {
          const n = t.aval.shape[i]!;
          const realLimit = lo + (n === 0 ? 0 : 1 + (n - 1) * strides[i]!);
          return [lo, xs[i]! - realLimit, strides[i]! - 1];
        });
  return [pad(t, strongZero(t), cfg)];
});

// --- batching: the batch axis becomes one more (untouched) dimension.

setBatch(broadcastInDimP, ([x], [d], { shape, broadcast_dimensions: bd }: BroadcastInDimParams) => {
  const m = moveaxis(x!, d!, 0);
  return [[broadcastInDim(m, [m.aval.shape[0]!, ...shape], [0, ...bd.map((b) => b + 1)])], [0]];
});

setBatch(reshapeP, ([x], [d], { new_sizes, dimensions }: ReshapeParams) => {
  const m = moveaxis(x!, d!, 0);
  const dims = dimensions === null ? null : [0, ...dimensions.map((k) => k + 1)];
  return [[reshape(m, [m.aval.shape[0]!, ...new_sizes], dims)], [0]];
});

setBatch(squeezeP, ([x], [d], { dimensions }: { dimensions: readonly number[] }) => [
  [squeeze(moveaxis(x!, d!, 0), dimensions.map((k) => k + 1))],
  [0],
]);

setBatch(transposeP, ([x], [d], { permutation }: { permutation: readonly number[] }) => {
  const b = d!;
  return [[transpose(x!, [b, ...permutation.map((i) => (i < b ? i : i + 1))])], [0]];
});

setBatch(revP, ([x], [d], { dimensions }: { dimensions: readonly number[] }) => {
  const b = d!;
  return [[rev(x!, dimensions.map((i) => (i >= b ? i + 1 : i)))], [b]];
});

// A batched padding value pads with zeros and then selects the per-example value
// wherever the mask (true on the operand's elements) is false.
setBatch(padP, ([x, pv], [xd, pvd], { padding_config }: { padding_config: PaddingConfig }, size) => {
  const operand = xd === null ? moveBatchAxis(size, null, 0, x!) : x!;
  const b = xd ?? 0;
  const cfg = insertAt(padding_config, b, [0, 0, 0] as const);
  if (pvd === null) return [[pad(operand, pv!, cfg)], [b]];
  const padded = pad(operand, strongZero(operand), cfg);
  const ones = broadcastInDim(scalar(true, bool, false), operand.aval.shape, []);
  const mask = pad(ones, scalar(false, bool, false), cfg);
  return [[select(mask, padded, broadcastInDim(pv!, padded.aval.shape, [b]))], [b]];
});

setBatch(concatenateP, (xs, dims: BDim[], { dimension }: { dimension: number }, size) => [
  [concatenate(xs.map((x, i) => moveBatchAxis(size, dims[i] ?? null, 0, x)), dimension + 1)],
  [0],
]);

setBatch(sliceP, ([x], [d], { start_indices, limit_indices, strides }: SliceParams) => {
  const b = d!;
  const out = slice(
    x!,
    insertAt(start_indices, b, 0),
    insertAt(limit_indices, b, x!.aval.shape[b]!),
    strides === null ? null : insertAt(strides, b, 1),
  );
  return [[out], [b]];
});
