// Small helpers shared by the layers.
import { Array, dtype as toDType, resultType, type DType, type DTypeLike } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";

export type Initializer = jnp.nn.initializers.Initializer;

/** Flax's default kernel initializer: lecun_normal (truncated normal, fan_in). */
export const defaultKernelInit: Initializer = jnp.nn.initializers.lecunNormal();
export const zerosInit: Initializer = jnp.nn.initializers.zeros;
export const onesInit: Initializer = jnp.nn.initializers.ones;

/** Options every parameterized layer takes, as in Flax. */
export interface DTypeOptions {
  /** the dtype of the computation (default: inferred from inputs and params) */
  dtype?: DTypeLike | null;
  /** the dtype of the parameters (default float32) */
  paramDtype?: DTypeLike;
}

export const fmtShape = (x: Array) => `${x.dtype.short}[${x.shape.join(",")}]`;

/**
 * Flax's promote_dtype: cast all arrays to `dtype` when given, else to their
 * common result type (null entries stay null).
 */
export function promoteDtype<T extends (Array | null)[]>(dtype: DTypeLike | null | undefined, ...xs: T): T {
  const present = xs.filter((x): x is Array => x !== null);
  const d: DType = dtype !== null && dtype !== undefined ? toDType(dtype) : resultType(...present.map((x) => x.dtype));
  return xs.map((x) => (x === null || x.dtype === d ? x : x.astype(d))) as T;
}

export const paramDtypeOf = (o: DTypeOptions): DType => toDType(o.paramDtype ?? "float32");

export function canonAxes(ndim: number, axes: number | readonly number[], op: string): number[] {
  const list = typeof axes === "number" ? [axes] : [...axes];
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) throw new RangeError(`[${op}] axis ${a} out of range for rank ${ndim}`);
    return a < 0 ? a + ndim : a;
  });
}

/** A number broadcast to n entries, or a list checked to have n entries. */
export function tupleOf(v: number | readonly number[] | undefined | null, n: number, dflt: number, op: string, what: string): number[] {
  if (v === undefined || v === null) return new globalThis.Array<number>(n).fill(dflt);
  if (typeof v === "number") return new globalThis.Array<number>(n).fill(v);
  if (v.length !== n) throw new RangeError(`[${op}] ${what} must have ${n} entries, got [${v.join(", ")}]`);
  return [...v];
}

export const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
