// maxPool, avgPool, minPool (flax/linen/pooling.py) via lax.reduceWindow, channels last.
import { Array, lax } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { fmtShape, prod, tupleOf } from "./util.js";

export type PoolPadding = "SAME" | "VALID" | readonly (readonly [number, number])[];

export interface PoolOptions {
  /** strides per window axis (default 1) */
  strides?: number | readonly number[];
  /** "VALID" (default), "SAME", or (low, high) pairs per window axis */
  padding?: PoolPadding;
}

/**
 * flax.linen.pool: reduce windows over the axes between the batch axis (or
 * axes) and the feature axis; unbatched inputs ([...window axes, features]) work too.
 */
export function pool(
  op: string,
  inputs: Array,
  init: number,
  reduceFn: typeof lax.add,
  windowShape: readonly number[],
  opts: PoolOptions = {},
): Array {
  if (!(inputs instanceof Array)) throw new TypeError(`[${op}] input must be an Array`);
  const n = windowShape.length;
  if (inputs.ndim < n + 1) throw new RangeError(`[${op}] input ${fmtShape(inputs)} needs rank >= ${n + 1} for a ${n}-d window`);
  const strides = tupleOf(opts.strides, n, 1, op, "strides");
  const nb = inputs.ndim - (n + 1);
  const x = nb === 0 ? inputs.reshape([1, ...inputs.shape]) : inputs;
  const nbx = Math.max(nb, 1);
  const dims = [...new globalThis.Array<number>(nbx).fill(1), ...windowShape, 1];
  const allStrides = [...new globalThis.Array<number>(nbx).fill(1), ...strides, 1];
  let padding: lax.PaddingLike = opts.padding ?? "VALID";
  if (typeof padding !== "string") {
    if (padding.length !== n) throw new RangeError(`[${op}] padding must have ${n} (low, high) pairs, got ${JSON.stringify(padding)}`);
    padding = [...new globalThis.Array(nbx).fill([0, 0]), ...padding, [0, 0]];
  }
  const y = lax.reduceWindow(x, init, reduceFn, dims, allStrides, padding);
  return nb === 0 ? y.reshape(y.shape.slice(1)) : y;
}

/** Max over windows (pads with -inf). */
export function maxPool(inputs: Array, windowShape: readonly number[], opts: PoolOptions = {}): Array {
  return pool("maxPool", inputs, -Infinity, lax.max, windowShape, opts);
}

/** Min over windows (pads with +inf). */
export function minPool(inputs: Array, windowShape: readonly number[], opts: PoolOptions = {}): Array {
  return pool("minPool", inputs, Infinity, lax.min, windowShape, opts);
}

export interface AvgPoolOptions extends PoolOptions {
  /** divide by the full window size, padding included (default true, as Flax) */
  countIncludePad?: boolean;
}

/** Mean over windows. */
export function avgPool(inputs: Array, windowShape: readonly number[], opts: AvgPoolOptions = {}): Array {
  const y = pool("avgPool", inputs, 0, lax.add, windowShape, opts);
  if (opts.countIncludePad ?? true) return y.div(prod(windowShape));
  const nb = inputs.ndim - (windowShape.length + 1);
  const onesShape = [1, ...inputs.shape.slice(nb, -1), 1];
  const ones = jnp.ones(onesShape, inputs.dtype);
  const counts = pool("avgPool", ones, 0, lax.add, windowShape, opts);
  const c = nb === 0 ? counts.reshape(counts.shape.slice(1)) : counts;
  return y.div(c);
}
