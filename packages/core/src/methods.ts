// Array methods with NumPy semantics (dtype promotion with weak types, shape
// broadcasting), composed from lax primitives. jnp builds on the same helpers.
import { Array, arrayMethods, asArray, scalar, type ArrayInput } from "./array.js";
import { dtype as toDType, float32, resultTypeWithWeak, type DType, type DTypeLike } from "./dtypes.js";
import * as lax from "./lax.js";
import { broadcastShapes, shapeEqual } from "./shape.js";

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
