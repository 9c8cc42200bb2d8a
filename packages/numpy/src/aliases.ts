// Cheap jax.numpy aliases: the 64-bit integer dtypes (canonicalized to 32 bits,
// as JAX does with x64 disabled), float_, ndarray and iterable.
import { Array, float64, int32, uint32 } from "@jaxts/core";

/**
 * jnp.int64 / jnp.uint64: with x64 disabled JAX canonicalizes them to int32 /
 * uint32 (jnp.array(1, jnp.int64).dtype is int32), so here they are those dtypes.
 */
export const int64 = int32;
export const uint64 = uint32;

/**
 * jnp.float_ is jnp.float64 (NumPy's default float). jaxts keeps explicitly
 * requested float64 (like `double`), so this is float64; JAX without x64 would
 * canonicalize it to float32.
 */
export const float_ = float64;

/** jnp.ndarray: the array class (jax.Array), for `instanceof` checks and types. */
export const ndarray = Array;
export type ndarray = Array;

/**
 * jnp.iterable (np.iterable): whether `x` can be iterated. Arrays are iterable
 * unless 0-d (iterating a 0-d array is an error in NumPy and JAX); JS values
 * are iterable when they have Symbol.iterator (lists, typed arrays, strings).
 */
export function iterable(x: unknown): boolean {
  if (x instanceof Array) return x.ndim > 0;
  if (typeof x === "string") return true;
  return x !== null && typeof x === "object" && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}
