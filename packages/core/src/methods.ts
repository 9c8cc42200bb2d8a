// Array methods with NumPy semantics (dtype promotion with weak types, shape
// broadcasting), composed from lax primitives. jnp builds on the same helpers.
import { Array, arrayMethods, asArray, scalar, type ArrayInput } from "./array.js";
import { dtype as toDType, float32, resultTypeWithWeak, type DType, type DTypeLike } from "./dtypes.js";
import * as lax from "./lax.js";
import { broadcastShapes, checkShape, normalizeAxes, normalizeAxis, shapeEqual } from "./shape.js";

/**
 * Promote operands to a common dtype (JAX's lattice; JS numbers are weak) and
 * broadcast them to a common shape. Numbers become scalar constants of the
 * result dtype directly, so no conversion is traced for them.
 */
export function promoteArgs(op: string, args: ArrayInput[], opts: { toFloat?: boolean } = {}): Array[] {
  const typed = args.map((x) =>
    x instanceof Array
      ? { dtype: x.dtype, weakType: x.weakType }
      : typeof x === "boolean"
        ? { dtype: toDType("bool"), weakType: false }
        : { dtype: toDType(Number.isInteger(x) ? "int32" : "float32"), weakType: true },
  );
  let { dtype, weakType } = resultTypeWithWeak(typed);
  if (opts.toFloat && dtype.kind !== "f") dtype = float32;
  const arrs = args.map((x) =>
    x instanceof Array ? lax.convertElementType(x, dtype, weakType && x.weakType) : scalar(x, dtype, weakType),
  );
  return broadcastArrays(op, arrs);
}

/** Broadcast arrays to a common shape; rank-0 operands stay scalars (lax broadcasts them). */
export function broadcastArrays(op: string, arrs: Array[]): Array[] {
  const shape = broadcastShapes(op, ...arrs.map((a) => a.aval.shape));
  return arrs.map((a) => (a.ndim === 0 || shapeEqual(a.aval.shape, shape) ? a : broadcastTo(a, shape)));
}

/** NumPy broadcast_to, via broadcast_in_dim (installed by the structural ops). */
export function broadcastTo(x: Array, shape: readonly number[]): Array {
  const m = arrayMethods.broadcastTo;
  if (!m) throw new Error("broadcastTo is not available");
  return m(x, shape);
}

function binaryMethod(op: string, f: (x: Array, y: Array) => Array, opts: { toFloat?: boolean } = {}) {
  arrayMethods[op] = (x: Array, y: ArrayInput) => {
    const [a, b] = promoteArgs(op, [x, y], opts);
    return f(a!, b!);
  };
}

binaryMethod("add", lax.add);
binaryMethod("sub", lax.sub);
binaryMethod("mul", lax.mul);
binaryMethod("div", lax.div, { toFloat: true });
binaryMethod("pow", (x, y) => (x.dtype.kind === "f" ? lax.pow(x, y) : intPow(x, y)));
binaryMethod("maximum", lax.max);
binaryMethod("minimum", lax.min);
binaryMethod("eq", lax.eq);
binaryMethod("ne", lax.ne);
binaryMethod("lt", lax.lt);
binaryMethod("le", lax.le);
binaryMethod("gt", lax.gt);
binaryMethod("ge", lax.ge);
binaryMethod("and", lax.bitwiseAnd);
binaryMethod("or", lax.bitwiseOr);
binaryMethod("xor", lax.bitwiseXor);
binaryMethod("floorDiv", floorDivide);
binaryMethod("mod", remainder);

arrayMethods.neg = (x: Array) => lax.neg(x);
arrayMethods.abs = (x: Array) => lax.abs(x);
arrayMethods.not = (x: Array) => lax.bitwiseNot(x);
arrayMethods.astype = (x: Array, d: DTypeLike) => lax.convertElementType(x, d, false);

function intPow(x: Array, y: Array): Array {
  // Integer power by squaring over the (traced) exponent is a loop; without
  // control flow primitives, fall back to float pow and convert back.
  return lax.convertElementType(lax.round(lax.pow(lax.convertElementType(x, "float64"), lax.convertElementType(y, "float64"))), x.dtype);
}

/** NumPy floor_divide: floor(x / y) for floats, rounding toward -inf for ints. */
export function floorDivide(x: Array, y: Array): Array {
  if (x.dtype.kind === "f") return lax.floor(lax.div(x, y));
  if (x.dtype.kind === "u") return lax.div(x, y);
  // Truncated quotient, minus one where the signs differ and the division is inexact.
  const q = lax.div(x, y);
  const r = lax.rem(x, y);
  const zero = scalar(0, x.dtype);
  const fix = lax.bitwiseAnd(lax.ne(r, zero), lax.ne(lax.lt(x, zero), lax.lt(y, zero)));
  return lax.select(fix, lax.sub(q, scalar(1, x.dtype)), q);
}

/** NumPy remainder: the result has the sign of the divisor. */
export function remainder(x: Array, y: Array): Array {
  const r = lax.rem(x, y);
  if (x.dtype.kind === "u") return r;
  const zero = scalar(0, x.dtype);
  const fix = lax.bitwiseAnd(lax.ne(r, zero), lax.ne(lax.lt(r, zero), lax.lt(y, zero)));
  return lax.select(fix, lax.add(r, y), r);
}

export type { DType };
export { asArray };

// ---------------------------------------------------------------------------
// Structural methods (NumPy semantics): reshape, transpose/T, ravel, squeeze,
// expandDims, swapaxes, broadcastTo. Each lowers to one lax structural op, as
// the jax.Array methods do, so their Jaxprs match JAX's.

/** `f(2, 3)`, `f([2, 3])` or `f()` -> a list of integers. */
function intArgs(op: string, what: string, args: unknown[]): number[] {
  const list = args.length === 1 && globalThis.Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (list.some((d) => !Number.isInteger(d))) {
    throw new TypeError(`[${op}] ${what} must be integers, got ${JSON.stringify(args)}`);
  }
  return list as number[];
}

const fmtShape = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

arrayMethods.reshape = (x: Array, ...args: unknown[]) => {
  const shape = intArgs("reshape", "the new shape", args);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1 || shape.some((d) => d < -1)) {
    throw new TypeError(`[reshape] the new shape ${fmtShape(shape)} may contain one -1 and otherwise non-negative sizes`);
  }
  if (unknown === 1) {
    const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new TypeError(`[reshape] cannot reshape array of shape ${fmtShape(x.shape)} (size ${x.size}) into shape ${fmtShape(shape)}`);
    }
    return lax.reshape(x, shape.map((d) => (d === -1 ? x.size / known : d)));
  }
  return lax.reshape(x, shape);
};

arrayMethods.transpose = (x: Array, ...args: unknown[]) => {
  const given = args.length === 0 || (args.length === 1 && args[0] == null) ? null : intArgs("transpose", "axes", args);
  if (given === null) return lax.transpose(x, x.shape.map((_, i) => x.ndim - 1 - i));
  if (given.length !== x.ndim) {
    throw new TypeError(`[transpose] axes ${fmtShape(given)} do not match an array of rank ${x.ndim}`);
  }
  return lax.transpose(x, normalizeAxes("transpose", given, x.ndim));
};

arrayMethods.ravel = (x: Array) => lax.reshape(x, [x.size]);

arrayMethods.squeeze = (x: Array, axis?: number | readonly number[] | null) => {
  if (axis === undefined || axis === null) {
    return lax.squeeze(x, x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  }
  return lax.squeeze(x, typeof axis === "number" ? [axis] : axis);
};

arrayMethods.expandDims = (x: Array, axis: number | readonly number[]) =>
  lax.expandDims(x, typeof axis === "number" ? [axis] : axis);

arrayMethods.swapaxes = (x: Array, a: number, b: number) => {
  const i = normalizeAxis("swapaxes", a, x.ndim);
  const j = normalizeAxis("swapaxes", b, x.ndim);
  const perm = x.shape.map((_, k) => (k === i ? j : k === j ? i : k));
  return lax.transpose(x, perm);
};

/** NumPy broadcast_to (as jax.lax.broadcast_to): align trailing dimensions; size-1 dimensions stretch. */
arrayMethods.broadcastTo = (x: Array, shape: readonly number[]) => {
  checkShape("broadcast_to", shape);
  if (shapeEqual(x.shape, shape)) return x;
  const lead = shape.length - x.ndim;
  if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== shape[lead + i])) {
    throw new TypeError(`[broadcast_to] cannot broadcast ${x.aval.strShort()} to shape ${fmtShape(shape)}`);
  }
  return lax.broadcastInDim(x, shape, x.shape.map((_, i) => lead + i));
};
