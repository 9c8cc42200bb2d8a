// jax.nn.initializers (jax/_src/nn/initializers.py): functions
// `(key, shape, dtype = float32) => Array` built from core's `random`, with
// JAX's arithmetic in JAX's dtypes, so the same key gives JAX's values.
//
// Builders take JAX's positional arguments in JAX's order; the trailing
// keyword arguments may instead be passed as one options object
// (`varianceScaling(2, "fan_in", "normal", { inAxis: -3, dtype: "float64" })`).
import { Array, lax, random, scalar, type DType, type DTypeLike } from "@jaxts/core";
import { float32, prod, userDType } from "../math_helpers.js";
import { fullOf } from "../shape_util.js";

/** What the builders return: `init(key, shape, dtype?)`. */
export type Initializer = (key: Array, shape: readonly number[], dtype?: DTypeLike | null) => Array;

type Axes = number | readonly number[];

const name = (op: string) => `nn.initializers.${op}`;

const isOptions = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x);

function checkShape(op: string, shape: unknown): number[] {
  if (!globalThis.Array.isArray(shape) || shape.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < 0)) {
    let shown: string;
    try {
      shown = JSON.stringify(shape) ?? String(shape);
    } catch {
      shown = String(shape);
    }
    throw new TypeError(`[${name(op)}] shape must be a list of non-negative integers, got ${shown}`);
  }
  return [...(shape as number[])];
}

function resolveDType(op: string, d: DTypeLike | null | undefined, floatOnly: boolean): DType {
  const dt = d === null || d === undefined ? float32 : userDType(name(op), d);
  if (floatOnly && dt.kind !== "f") throw new TypeError(`[${name(op)}] dtype must be a floating-point dtype, got ${dt.name}`);
  return dt;
}

function checkKey(op: string, key: unknown): Array {
  if (!(key instanceof Array)) throw new TypeError(`[${name(op)}] key must be a PRNG key (random.key(seed)), got ${key === null ? "null" : typeof key}`);
  return key;
}

/** A strongly typed scalar of dtype d (jnp.array(v, dtype)). */
const konst = (v: number, d: DType): Array => scalar(v, d, false);

/** An initializer that returns zeros (the key is ignored). */
export function zeros(key: Array, shape: readonly number[], dtype?: DTypeLike | null): Array {
  void key;
  return fullOf(checkShape("zeros", shape), 0, resolveDType("zeros", dtype, false));
}

/** An initializer that returns ones (the key is ignored). */
export function ones(key: Array, shape: readonly number[], dtype?: DTypeLike | null): Array {
  void key;
  return fullOf(checkShape("ones", shape), 1, resolveDType("ones", dtype, false));
}

/** constant(value, dtype?): an initializer that fills with `value` (a number or an Array broadcast to the shape). */
export function constant(value: number | boolean | Array, dtype?: DTypeLike | null | { dtype?: DTypeLike | null }): Initializer {
  const d0 = isOptions(dtype) ? (dtype.dtype as DTypeLike | null | undefined) : dtype;
  return (key, shape, dtype = d0) => {
    const s = checkShape("constant", shape);
    const d = resolveDType("constant", dtype, false);
    if (!(value instanceof Array)) return fullOf(s, typeof value === "boolean" ? Number(value) : value, d);
    const v = lax.convertElementType(value, d);
    const lead = s.length - v.ndim;
    if (lead < 0 || v.shape.some((n, i) => n !== 1 && n !== s[lead + i])) {
      throw new RangeError(`[${name("constant")}] value ${v.aval.strShort()} does not broadcast to shape (${s.join(", ")})`);
    }
    const src = v.ndim === s.length ? v : lax.reshape(v, [...new globalThis.Array<number>(lead).fill(1), ...v.shape]);
    return lax.broadcastInDim(src, s, s.map((_, i) => i));
  };
}

/** uniform(scale = 1e-2, dtype?): values uniform in [0, scale). */
export function uniform(scale = 1e-2, dtype?: DTypeLike | null | { dtype?: DTypeLike | null }): Initializer {
  const d0 = isOptions(dtype) ? (dtype.dtype as DTypeLike | null | undefined) : dtype;
  return (key, shape, dtype = d0) => {
    const d = resolveDType("uniform", dtype, true);
    return random.uniform(checkKey("uniform", key), checkShape("uniform", shape), d).mul(konst(scale, d));
  };
}

/** normal(stddev = 1e-2, dtype?): normal values with mean 0 and standard deviation `stddev`. */
export function normal(stddev = 1e-2, dtype?: DTypeLike | null | { dtype?: DTypeLike | null }): Initializer {
  const d0 = isOptions(dtype) ? (dtype.dtype as DTypeLike | null | undefined) : dtype;
  return (key, shape, dtype = d0) => {
    const d = resolveDType("normal", dtype, true);
    return random.normal(checkKey("normal", key), checkShape("normal", shape), d).mul(konst(stddev, d));
  };
}

export interface TruncatedNormalOptions {
  dtype?: DTypeLike | null;
  /** lower bound, in standard deviations (default -2) */
  lower?: number;
  /** upper bound, in standard deviations (default 2) */
  upper?: number;
}

/**
 * truncatedNormal(stddev = 1e-2, dtype?, lower = -2, upper = 2): stddev times a
 * standard normal truncated to (lower, upper) (no variance correction).
 */
export function truncatedNormal(
  stddev = 1e-2,
  dtype?: DTypeLike | null | TruncatedNormalOptions,
  lower = -2.0,
  upper = 2.0,
): Initializer {
  let d0: DTypeLike | null | undefined;
  if (isOptions(dtype)) {
    const o = dtype as TruncatedNormalOptions;
    d0 = o.dtype;
    lower = o.lower ?? lower;
    upper = o.upper ?? upper;
  } else d0 = dtype as DTypeLike | null | undefined;
  return (key, shape, dtype = d0) => {
    const d = resolveDType("truncatedNormal", dtype, true);
    const s = checkShape("truncatedNormal", shape);
    return random.truncatedNormal(checkKey("truncatedNormal", key), lower, upper, s, d).mul(konst(stddev, d));
  };
}

function axisIndex(op: string, shape: number[], axis: number, what: string): number {
  const n = shape.length;
  if (!Number.isInteger(axis) || axis < -n || axis >= n) {
    throw new RangeError(`[${name(op)}] ${what} ${axis} is out of range for a shape of rank ${n} (${shape.join(", ")})`);
  }
  return axis < 0 ? axis + n : axis;
}

function axesSize(op: string, shape: number[], axes: Axes, what: string): number {
  const list = typeof axes === "number" ? [axes] : [...axes];
  return prod(list.map((a) => shape[axisIndex(op, shape, a, what)]!));
}

/** JAX's _compute_fans: input and output sizes times the receptive field (the remaining axes). */
export function computeFans(shape: readonly number[], inAxis: Axes = -2, outAxis: Axes = -1, batchAxis: Axes = []): [number, number] {
  const op = "varianceScaling";
  const s = [...shape];
  if (inAxis === -2 && s.length <= 1) {
    throw new RangeError(
      `[${name(op)}] Can't compute input and output sizes of a ${s.length}-dimensional weights tensor with default in_axis. Must be at least 2D or specify in_axis explicitly.`,
    );
  }
  const inSize = axesSize(op, s, inAxis, "in_axis");
  const outSize = axesSize(op, s, outAxis, "out_axis");
  const batchSize = axesSize(op, s, batchAxis, "batch_axis");
  const receptiveFieldSize = prod(s) / inSize / outSize / batchSize;
  return [inSize * receptiveFieldSize, outSize * receptiveFieldSize];
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg" | "fan_geo_avg";
export type Distribution = "truncated_normal" | "normal" | "uniform";

export interface FanAxesOptions {
  /** axis or axes of the input dimension (default -2) */
  inAxis?: Axes;
  /** axis or axes of the output dimension (default -1) */
  outAxis?: Axes;
  /** axes ignored when counting fans (default none) */
  batchAxis?: Axes;
  dtype?: DTypeLike | null;
}

/** Positional (inAxis, outAxis, batchAxis, dtype) or one options object. */
function fanArgs(
  inAxis: Axes | FanAxesOptions | undefined,
  outAxis: Axes | undefined,
  batchAxis: Axes | undefined,
  dtype: DTypeLike | null | undefined,
): Required<Omit<FanAxesOptions, "dtype">> & { dtype: DTypeLike | null | undefined } {
  if (isOptions(inAxis)) {
    const o = inAxis as FanAxesOptions;
    return { inAxis: o.inAxis ?? -2, outAxis: o.outAxis ?? -1, batchAxis: o.batchAxis ?? [], dtype: o.dtype };
  }
  return { inAxis: (inAxis as Axes | undefined) ?? -2, outAxis: outAxis ?? -1, batchAxis: batchAxis ?? [], dtype };
}

// Standard deviation of a standard normal truncated to (-2, 2).
const TRUNCATED_STDDEV = 0.87962566103423978;

/**
 * varianceScaling(scale, mode, distribution, inAxis = -2, outAxis = -1,
 * batchAxis = [], dtype?): samples with variance scale / n, n the fan given by
 * `mode` ("fan_in", "fan_out", "fan_avg", "fan_geo_avg"); "truncated_normal"
 * truncates at two standard deviations (and corrects the scale), "uniform"
 * draws from [-sqrt(3 var), sqrt(3 var)).
 */
export function varianceScaling(
  scale: number,
  mode: FanMode,
  distribution: Distribution,
  inAxis?: Axes | FanAxesOptions,
  outAxis?: Axes,
  batchAxis?: Axes,
  dtype?: DTypeLike | null,
): Initializer {
  const op = "varianceScaling";
  if (!["fan_in", "fan_out", "fan_avg", "fan_geo_avg"].includes(mode)) {
    throw new RangeError(`[${name(op)}] invalid mode for variance scaling initializer: ${String(mode)}`);
  }
  if (!["truncated_normal", "normal", "uniform"].includes(distribution)) {
    throw new RangeError(`[${name(op)}] invalid distribution for variance scaling initializer: ${String(distribution)}`);
  }
  const a = fanArgs(inAxis, outAxis, batchAxis, dtype);
  return (key, shape, dtype = a.dtype) => {
    const s = checkShape(op, shape);
    const d = resolveDType(op, dtype, true);
    const k = checkKey(op, key);
    const [fanIn, fanOut] = computeFans(s, a.inAxis, a.outAxis, a.batchAxis);
    const denominator = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : mode === "fan_avg" ? (fanIn + fanOut) / 2 : (fanIn * fanOut) ** 0.5;
    const variance = konst(scale / denominator, d);
    if (distribution === "truncated_normal") {
      const stddev = lax.div(lax.sqrt(variance), konst(TRUNCATED_STDDEV, d));
      return random.truncatedNormal(k, -2, 2, s, d).mul(stddev);
    }
    if (distribution === "normal") return random.normal(k, s, d).mul(lax.sqrt(variance));
    return random.uniform(k, s, d, -1).mul(lax.sqrt(lax.mul(konst(3, d), variance)));
  };
}

type FanBuilder = (inAxis?: Axes | FanAxesOptions, outAxis?: Axes, batchAxis?: Axes, dtype?: DTypeLike | null) => Initializer;

const specialized =
  (scale: number, mode: FanMode, distribution: Distribution): FanBuilder =>
  (inAxis, outAxis, batchAxis, dtype) =>
    varianceScaling(scale, mode, distribution, inAxis, outAxis, batchAxis, dtype);

/** glorotUniform (xavierUniform): varianceScaling(1, "fan_avg", "uniform"). */
export const glorotUniform: FanBuilder = specialized(1.0, "fan_avg", "uniform");
/** glorotNormal (xavierNormal): varianceScaling(1, "fan_avg", "truncated_normal"). */
export const glorotNormal: FanBuilder = specialized(1.0, "fan_avg", "truncated_normal");
/** lecunUniform: varianceScaling(1, "fan_in", "uniform"). */
export const lecunUniform: FanBuilder = specialized(1.0, "fan_in", "uniform");
/** lecunNormal: varianceScaling(1, "fan_in", "truncated_normal"). */
export const lecunNormal: FanBuilder = specialized(1.0, "fan_in", "truncated_normal");
/** heUniform (kaimingUniform): varianceScaling(2, "fan_in", "uniform"). */
export const heUniform: FanBuilder = specialized(2.0, "fan_in", "uniform");
/** heNormal (kaimingNormal): varianceScaling(2, "fan_in", "truncated_normal"). */
export const heNormal: FanBuilder = specialized(2.0, "fan_in", "truncated_normal");
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;

export interface OrthogonalOptions {
  /** the axis whose vectors are orthonormal (default -1) */
  columnAxis?: number;
  dtype?: DTypeLike | null;
}

function orthoArgs(columnAxis: number | OrthogonalOptions | undefined, dtype: DTypeLike | null | undefined): { columnAxis: number; dtype: DTypeLike | null | undefined } {
  if (isOptions(columnAxis)) {
    const o = columnAxis as OrthogonalOptions;
    return { columnAxis: o.columnAxis ?? -1, dtype: o.dtype };
  }
  return { columnAxis: (columnAxis as number | undefined) ?? -1, dtype };
}

/**
 * orthogonal(scale = 1, columnAxis = -1, dtype?): uniformly distributed
 * orthogonal matrices (orthonormal rows or columns, whichever are fewer), the
 * other axes flattened into rows; times `scale`.
 */
export function orthogonal(scale = 1.0, columnAxis?: number | OrthogonalOptions, dtype?: DTypeLike | null): Initializer {
  const a = orthoArgs(columnAxis, dtype);
  return (key, shape, dtype = a.dtype) => orthogonalInit("orthogonal", scale, a.columnAxis, key, shape, dtype);
}

function orthogonalInit(op: string, scale: number, columnAxis: number, key: Array, shape: readonly number[], dtype: DTypeLike | null | undefined): Array {
  const s = checkShape(op, shape);
  const d = resolveDType(op, dtype, true);
  const k = checkKey(op, key);
  if (s.length < 2) throw new RangeError(`[${name(op)}] orthogonal initializer requires at least a 2D shape, got (${s.join(", ")})`);
  const col = axisIndex(op, s, columnAxis, "column_axis");
  if (s.some((n) => n === 0)) return fullOf(s, 0, d);
  const nCols = s[col]!;
  const nRows = prod(s) / nCols;
  let q = random.orthogonal(k, nRows, [], d, nCols);
  const rest = s.filter((_, i) => i !== col);
  q = lax.reshape(q, [...rest, nCols]);
  if (col !== s.length - 1) {
    // moveaxis(q, -1, col): the last axis goes to position col.
    q = lax.transpose(q, s.map((_, i) => (i === col ? s.length - 1 : i < col ? i : i - 1)));
  }
  return lax.mul(konst(scale, d), q);
}

/**
 * deltaOrthogonal(scale = 1, columnAxis = -1, dtype?): convolution kernels
 * ([k, in, out], [k1, k2, in, out] or [k1, k2, k3, in, out], in <= out) that are
 * zero except at the spatial center, which holds an orthogonal matrix.
 */
export function deltaOrthogonal(scale = 1.0, columnAxis?: number | OrthogonalOptions, dtype?: DTypeLike | null): Initializer {
  const a = orthoArgs(columnAxis, dtype);
  return (key, shape, dtype = a.dtype) => {
    const op = "deltaOrthogonal";
    const s = checkShape(op, shape);
    const d = resolveDType(op, dtype, true);
    if (s.length < 3 || s.length > 5) {
      throw new RangeError(`[${name(op)}] Delta orthogonal initializer requires a 3D, 4D or 5D shape, got (${s.join(", ")})`);
    }
    if (s[s.length - 1]! < s[s.length - 2]!) {
      throw new RangeError(`[${name(op)}] \`fan_in\` must be less or equal than \`fan_out\`, got shape (${s.join(", ")})`);
    }
    const ortho = orthogonalInit(op, scale, a.columnAxis, key, s.slice(-2), d);
    const center = s.slice(0, -2).map((n) => Math.floor((n - 1) / 2));
    return fullOf(s, 0, d)
      .at(...center)
      .set(ortho);
  };
}
