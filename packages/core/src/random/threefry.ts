// The threefry-2x32 counter-based PRNG (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3"), composed from uint32 lax operations, with
// JAX 0.10.2's key derivation (jax/_src/random/threefry2x32.py in its default
// `jax_threefry_partitionable=True` mode): same seed and calls, same bits.
//
// A key is the raw key data of JAX's threefry2x32 implementation: a uint32
// array of shape [2] (a batch of keys has shape [..., 2]). jax.random.key's
// typed scalar keys and jax.random.PRNGKey's legacy uint32[2] keys carry the
// same two words; here both constructors return the uint32[2] array.
import { Array, type ArrayInput } from "../array.js";
import { dtype as toDType, type DTypeLike, uint8, uint16, uint32 } from "../dtypes.js";
import * as lax from "../lax.js";
import { jit } from "../transforms/jit.js";
import { checkKey, checkShapeArg, full, konst, stack, type Shape } from "./common.js";

const u32 = (v: number) => konst(v >>> 0, uint32);

function rotateLeft(x: Array, r: number): Array {
  return lax.bitwiseOr(lax.shiftLeft(x, u32(r)), lax.shiftRightLogical(x, u32(32 - r)));
}

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;

/**
 * The threefry2x32 hash (20 rounds) of the counter pairs (x1, x2) under the key
 * words (k1, k2); operands broadcast like an elementwise primitive. Unrolled as
 * JAX's default lowering; jitted so eager calls reuse one traced program per shape.
 */
export const threefry2x32 = jit(function threefry2x32(k1: Array, k2: Array, x1: Array, x2: Array): [Array, Array] {
  const ks = [k1, k2, lax.bitwiseXor(lax.bitwiseXor(k1, k2), u32(0x1bd11bda))];
  let a = lax.add(x1, ks[0]!);
  let b = lax.add(x2, ks[1]!);
  for (let i = 0; i < 5; i++) {
    for (const r of ROTATIONS[i % 2]!) {
      a = lax.add(a, b);
      b = lax.bitwiseXor(a, rotateLeft(b, r));
    }
    a = lax.add(a, ks[(i + 1) % 3]!);
    b = lax.add(lax.add(b, ks[(i + 2) % 3]!), u32(i + 1));
  }
  return [a, b];
});

/** The two key words as uint32 scalars. */
export function keyWords(key: Array): [Array, Array] {
  const w = (i: number) => lax.reshape(lax.slice(key, [i], [i + 1]), []);
  return [w(0), w(1)];
}

/**
 * prng.iota_2x32_shape: a uint64 row-major iota over `shape` as (hi, lo) uint32
 * words. JS arrays hold fewer than 2^32 elements, so hi is 0.
 */
function iota2x32(shape: Shape): [Array, Array] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0) return [u32(0), u32(0)];
  const lo = lax.reshape(lax.iota(uint32, size), shape);
  return [full(shape, 0, uint32), lo];
}

/** Hash the counters 0..size-1 of `shape` under `key`: the two uint32 words per position. */
export function bitsPair(key: Array, shape: Shape): [Array, Array] {
  const [k1, k2] = keyWords(key);
  const [hi, lo] = iota2x32(shape);
  return threefry2x32(k1, k2, hi, lo);
}

/** threefry_random_bits (partitionable): uint8/16/32 bits of `shape`. */
export function randomBits(key: Array, bitWidth: 8 | 16 | 32, shape: Shape): Array {
  const [b1, b2] = bitsPair(key, shape);
  const bits = lax.bitwiseXor(b1, b2);
  return bitWidth === 32 ? bits : lax.convertElementType(bits, bitWidth === 16 ? uint16 : uint8);
}

/** threefry_split (partitionable): keys of shape [...shape, 2]. */
export function splitKey(key: Array, shape: Shape): Array {
  const [b1, b2] = bitsPair(key, shape);
  return stack([b1, b2], shape.length);
}

/** threefry_seed for a uint32 scalar: the key [0, seed] (JAX without x64 has no high word). */
function seedKey(seed: Array): Array {
  return stack([lax.shiftRightLogical(seed, u32(32)), seed], 0);
}

/** threefry_fold_in: hash the seed key of `data` under `key`. */
export function foldInKey(key: Array, data: Array): Array {
  const [k1, k2] = keyWords(key);
  const s = seedKey(data);
  const [x1, x2] = keyWords(s);
  const [o1, o2] = threefry2x32(k1, k2, lax.reshape(x1, [1]), lax.reshape(x2, [1]));
  return lax.concatenate([o1, o2], 0);
}

// ---------------------------------------------------------------------------
// Public key operations

/**
 * A uint32 scalar from an integer seed: JS integers wrap modulo 2^32 and
 * integer arrays convert (two's complement), as JAX does without x64.
 */
function seedWord(op: string, seed: ArrayInput, what: string): Array {
  if (typeof seed === "number") {
    if (!Number.isInteger(seed)) throw new TypeError(`[random.${op}] ${what} must be an integer, got ${seed}`);
    if (Math.abs(seed) >= 2 ** 63) throw new RangeError(`[random.${op}] ${what} ${seed} is out of the int64 range`);
    return u32(((seed % 2 ** 32) + 2 ** 32) % 2 ** 32);
  }
  if (typeof seed === "boolean") return u32(seed ? 1 : 0);
  if (!(seed instanceof Array)) throw new TypeError(`[random.${op}] ${what} must be an integer or an integer Array`);
  if (!seed.dtype.isInteger) {
    throw new TypeError(`[random.${op}] ${what} must be an integer; got ${seed.aval.strShort()}`);
  }
  if (seed.ndim !== 0) {
    throw new TypeError(
      `[random.${op}] accepts a scalar ${what}, but was given an array of shape ${seed.aval.strShort()}. Use vmap for batching`,
    );
  }
  return seed.dtype === uint32 ? seed : lax.convertElementType(seed, uint32);
}

/**
 * random.key(seed): a threefry2x32 key from an integer seed (JS integer or
 * integer scalar Array, traceable). The key is JAX's key data, uint32[2]
 * (jax.random.key_data(jax.random.key(seed)) in JAX).
 */
export function key(seed: ArrayInput): Array {
  return seedKey(seedWord("key", seed, "seed"));
}

/** random.PRNGKey(seed): the legacy uint32[2] key; the same array as key(seed). */
export function PRNGKey(seed: ArrayInput): Array {
  return seedKey(seedWord("PRNGKey", seed, "seed"));
}

/** random.key_data: the uint32 words of keys (keys already are their data here). */
export function keyData(keys: Array): Array {
  return checkKey("keyData", keys, true);
}

/** random.wrap_key_data: validates a uint32 [..., 2] array as keys. */
export function wrapKeyData(data: Array): Array {
  return checkKey("wrapKeyData", data, true);
}

/** random.clone: the identity (there is no key-reuse checker). */
export function clone(key: Array): Array {
  return checkKey("clone", key, true);
}

/** random.split(key, num=2): `num` new keys (or a shape of keys), shape [...num, 2]. */
export function split(key: Array, num: number | readonly number[] = 2): Array {
  const k = checkKey("split", key);
  const shape = typeof num === "number" ? checkShapeArg("split", [num], "num") : checkShapeArg("split", num, "num");
  return splitKey(k, shape);
}

/**
 * random.fold_in(key, data): a new key from a key and a 32-bit integer (JS
 * integers must fit uint32 as in JAX; integer Arrays convert to uint32).
 */
export function foldIn(key: Array, data: ArrayInput): Array {
  const k = checkKey("foldIn", key);
  if (typeof data === "number" && Number.isInteger(data) && (data < 0 || data >= 2 ** 32)) {
    throw new RangeError(`[random.foldIn] JS integer ${data} out of bounds for uint32`);
  }
  let d: Array;
  if (data instanceof Array) {
    if (data.ndim !== 0) {
      throw new TypeError(
        `[random.foldIn] accepts a scalar, but was given an array of shape ${data.aval.strShort()}. Use vmap for batching.`,
      );
    }
    d = data.dtype === uint32 ? data : lax.convertElementType(data, uint32);
  } else if (typeof data === "number") {
    d = u32(Math.trunc(data));
  } else {
    d = u32(data ? 1 : 0);
  }
  return foldInKey(k, d);
}

/** random.bits(key, shape=[], dtype=uint32): uniform random bits as unsigned integers. */
export function bits(key: Array, shape: Shape = [], dtype: DTypeLike | null = null): Array {
  const k = checkKey("bits", key);
  const s = checkShapeArg("bits", shape);
  if (dtype === "uint64") throw new TypeError("[random.bits] uint64 is not supported (jaxts has no 64-bit integers)");
  const d = dtype === null || dtype === undefined ? uint32 : toDType(dtype);
  if (d.kind !== "u") throw new TypeError(`[random.bits] dtype must be an unsigned int dtype, got ${d.name}`);
  return randomBits(k, d.bits as 8 | 16 | 32, s);
}
