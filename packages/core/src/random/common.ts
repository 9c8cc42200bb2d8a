// Shared checks and helpers of the random module: key validation, shape and
// dtype arguments (with errors naming the sampler), dtype constants (finfo),
// and small jnp-style helpers the samplers are composed from.
import { Array, type ArrayInput, scalar } from "../array.js";
import { dtype as toDType, type DType, type DTypeLike, float16, float32, float64, int32, uint32 } from "../dtypes.js";
import * as lax from "../lax.js";
import { broadcastShapes, type Shape, shapeEqual } from "../shape.js";

export type { Shape };

const fmt = (s: Shape) => `(${s.join(",")}${s.length === 1 ? "," : ""})`;

/**
 * A key is a uint32 array whose last axis has size 2 (JAX's raw threefry key
 * data). Samplers take a single key (shape [2]); batch over keys with vmap.
 */
export function checkKey(op: string, key: unknown, allowBatched = false): Array {
  if (!(key instanceof Array)) {
    throw new TypeError(`[random.${op}] expected a PRNG key (a uint32 Array of shape [2]), got ${describe(key)}`);
  }
  if (key.dtype !== uint32 || key.ndim === 0 || key.shape[key.ndim - 1] !== 2) {
    throw new TypeError(
      `[random.${op}] invalid PRNG key data: expected a uint32 array whose last axis is 2 (threefry2x32), got ${key.aval.strShort()}`,
    );
  }
  if (!allowBatched && key.ndim !== 1) {
    throw new RangeError(
      `[random.${op}] accepts a single key, but was given a key array of shape ${fmt(key.shape.slice(0, -1))} != (). Use vmap for batching.`,
    );
  }
  return key;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (globalThis.Array.isArray(x)) return "a JS array";
  return typeof x === "object" ? ((x as object).constructor?.name ?? "object") : typeof x;
}

/** A shape argument: a list of non-negative integers. */
export function checkShapeArg(op: string, shape: unknown, what = "shape"): number[] {
  if (!globalThis.Array.isArray(shape) || shape.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`[random.${op}] ${what} must be a list of non-negative integers, got ${safeJson(shape)}`);
  }
  return [...(shape as number[])];
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/**
 * JAX's _check_shape: parameter shapes must broadcast to exactly `shape`.
 */
export function checkParamShapes(op: string, shape: Shape, ...paramShapes: Shape[]): void {
  if (paramShapes.length === 0) return;
  let out: number[];
  try {
    out = broadcastShapes(`random.${op}`, shape, ...paramShapes);
  } catch {
    throw new RangeError(
      `[random.${op}] incompatible shapes for broadcasting: shape argument ${fmt(shape)} and parameter shapes ${paramShapes.map(fmt).join(", ")}`,
    );
  }
  if (!shapeEqual(out, shape)) {
    throw new RangeError(
      `[random.${op}] parameter shapes must be broadcast-compatible with shape argument, and the result of broadcasting the shapes must equal the shape argument, but got result ${fmt(out)} for shape argument ${fmt(shape)}`,
    );
  }
}

/** Shape of a parameter (JS numbers are scalars). */
export const shapeOf = (x: ArrayInput): number[] => (x instanceof Array ? [...x.shape] : []);

/** A floating dtype argument (default float32, as JAX without x64). */
export function floatDType(op: string, d: DTypeLike | null | undefined): DType {
  const dt = d === null || d === undefined ? float32 : toDType(d);
  if (dt.kind !== "f") throw new TypeError(`[random.${op}] dtype must be a float dtype, got ${dt.name}`);
  return dt;
}

/** An integer dtype argument (default int32). */
export function intDType(op: string, d: DTypeLike | null | undefined): DType {
  const dt = d === null || d === undefined ? int32 : toDType(d);
  if (!dt.isInteger) throw new TypeError(`[random.${op}] dtype must be an integer dtype, got ${dt.name}`);
  return dt;
}

/** numpy.finfo essentials of the float dtypes. */
export function finfo(d: DType): { bits: number; nmant: number; eps: number; epsneg: number; tiny: number } {
  switch (d) {
    case float16:
      return { bits: 16, nmant: 10, eps: 2 ** -10, epsneg: 2 ** -11, tiny: 2 ** -14 };
    case float32:
      return { bits: 32, nmant: 23, eps: 2 ** -23, epsneg: 2 ** -24, tiny: 2 ** -126 };
    case float64:
      return { bits: 64, nmant: 52, eps: 2 ** -52, epsneg: 2 ** -53, tiny: 2 ** -1022 };
    default:
      throw new TypeError(`[random] ${d.name} is not a float dtype`);
  }
}

/** A strongly typed scalar constant (lax._const). */
export const konst = (v: number | boolean, d: DType): Array => scalar(v, d, false);

/** convert_element_type to a strong dtype (JS numbers become constants of that dtype). */
export function convert(x: ArrayInput, d: DType): Array {
  if (!(x instanceof Array)) return konst(x, d);
  return x.dtype === d && !x.weakType ? x : lax.convertElementType(x, d, false);
}

/** lax.full(shape, v, dtype). */
export function full(shape: Shape, v: number | boolean, d: DType): Array {
  const c = konst(v, d);
  return shape.length === 0 ? c : lax.broadcastInDim(c, shape, []);
}

/** jnp.broadcast_to that leaves equal shapes alone. */
export function broadcastTo(x: Array, shape: Shape): Array {
  return shapeEqual(x.shape, shape) ? x : x.broadcastTo(shape);
}

/** lax.broadcast_to_rank: prepend size-1 axes up to `rank`. */
export function broadcastToRank(x: Array, rank: number): Array {
  if (x.ndim >= rank) return x;
  return lax.reshape(x, [...new globalThis.Array<number>(rank - x.ndim).fill(1), ...x.shape]);
}

/** jnp.take(x, idx, axis) for in-bounds integer indices: x.shape[:axis] + idx.shape + x.shape[axis+1:]. */
export function take(x: Array, idx: Array, axis: number): Array {
  const outNdim = x.ndim - 1 + idx.ndim;
  const offsetDims: number[] = [];
  for (let i = 0; i < axis; i++) offsetDims.push(i);
  for (let i = axis + idx.ndim; i < outNdim; i++) offsetDims.push(i);
  const sliceSizes = x.shape.map((d, i) => (i === axis ? 1 : d));
  return lax.gather(
    x,
    lax.expandDims(lax.convertElementType(idx, int32), [idx.ndim]),
    { offsetDims, collapsedSliceDims: [axis], startIndexMap: [axis] },
    sliceSizes,
    { mode: "clip" },
  );
}

/** Split an array along its leading axis of size n into n arrays (lax.index_in_dim). */
export function unstack(x: Array): Array[] {
  const out: Array[] = [];
  for (let i = 0; i < x.shape[0]!; i++) {
    const start = x.shape.map((_, k) => (k === 0 ? i : 0));
    const limit = x.shape.map((d, k) => (k === 0 ? i + 1 : d));
    out.push(lax.reshape(lax.slice(x, start, limit), x.shape.slice(1)));
  }
  return out;
}

/** Stack equally shaped arrays along a new axis. */
export function stack(xs: Array[], axis: number): Array {
  return lax.concatenate(
    xs.map((x) => lax.expandDims(x, [axis])),
    axis,
  );
}
