// Array methods with NumPy semantics (dtype promotion with weak types, shape
// broadcasting), composed from lax primitives. jnp builds on the same helpers.
import { Array, type ArrayInput, arrayMethods, asArray, fromTyped, scalar } from "./array.js";
import {
  bool,
  castScalar,
  dtype as toDType,
  type DType,
  type DTypeLike,
  float32,
  int32,
  resultTypeWithWeak,
  type TypedLike,
  typedOf,
} from "./dtypes.js";
import * as lax from "./lax.js";
import { broadcastShapes, checkShape, normalizeAxes, normalizeAxis, shapeEqual } from "./shape.js";

// ---------------------------------------------------------------------------
// Elementwise methods (jnp semantics): add, sub, mul, div, pow, maximum,
// minimum, comparisons, and/or/xor, floorDiv, mod, neg, abs, not, astype, clip.

/** JS numbers are weakly typed like Python scalars (int32 or float32); booleans are strong bool. */
function typedOfInput(x: ArrayInput): TypedLike {
  if (x instanceof Array) return x.aval;
  if (typeof x === "boolean") return { dtype: bool, weakType: false };
  if (typeof x === "number") return { dtype: Number.isInteger(x) ? int32 : float32, weakType: true };
  return asArray(x).aval; // throws naming the bad input
}

/**
 * A JS number or boolean as a scalar of dtype `d`, converted as JAX converts a
 * Python scalar: integers wrap into integer dtypes (x_uint8 + 300 adds 44),
 * other numbers round to the float dtype. Like JAX's OverflowError, integers
 * beyond the int64 range cannot become integers.
 */
function scalarOf(op: string, x: number | boolean, d: DType, weakType: boolean): Array {
  const v = Number(x);
  if (typeof x === "number" && d.kind !== "f" && Math.abs(v) >= 2 ** 63) {
    throw new RangeError(`[${op}] the JS integer ${x} is too large to convert to ${d.name}`);
  }
  const data = new d.storage(1);
  data[0] = castScalar(v, d, typeof x === "boolean" ? bool : Number.isInteger(v) ? int32 : float32);
  return fromTyped(data, [], d, weakType);
}

export interface PromoteOptions {
  /** promote to a floating dtype (float32 for ints and bool), as jnp's true_divide */
  toFloat?: boolean;
  /** promote bool to int32, as jnp's promote_args_numeric */
  numeric?: boolean;
}

/**
 * Promote operands to a common dtype (JAX's lattice; JS numbers are weak) and
 * broadcast them to a common shape. Every operand takes the result's weak type,
 * as jnp's promote_dtypes does. Numbers become scalar constants of the result
 * dtype directly, so no conversion is traced for them.
 */
export function promoteArgs(op: string, args: ArrayInput[], opts: PromoteOptions = {}): Array[] {
  let { dtype, weakType } = resultTypeWithWeak(args.map(typedOfInput));
  if (opts.toFloat && dtype.kind !== "f") dtype = float32;
  if (opts.numeric && dtype === bool) dtype = int32;
  if (dtype === bool) weakType = false;
  const arrs = args.map((x) =>
    x instanceof Array ? lax.convertElementType(x, dtype, weakType) : scalarOf(op, x, dtype, weakType),
  );
  return promoteShapes(op, arrs);
}

/** NumPy broadcast_arrays: every operand broadcast to the common shape (rank-0 ones too unless keepScalars). */
export function broadcastArrays(op: string, arrs: Array[], opts: { keepScalars?: boolean } = {}): Array[] {
  const shape = broadcastShapes(op, ...arrs.map((a) => a.aval.shape));
  return arrs.map((a) =>
    (opts.keepScalars !== false && a.ndim === 0) || shapeEqual(a.aval.shape, shape) ? a : broadcastTo(a, shape),
  );
}

/** Broadcast arrays to a common shape; rank-0 operands stay scalars (lax broadcasts them). */
export function promoteShapes(op: string, arrs: Array[]): Array[] {
  // As jnp's _promote_shapes: check NumPy broadcasting, then give lower-rank
  // operands leading size-1 dimensions; rank-0 operands and size-1 dimensions
  // are broadcast by lax itself.
  broadcastShapes(op, ...arrs.map((a) => a.aval.shape));
  const nd = Math.max(...arrs.map((a) => a.ndim));
  return arrs.map((a) => {
    if (a.ndim === 0 || a.ndim === nd) return a;
    const k = nd - a.ndim;
    return lax.broadcastInDim(a, [...globalThis.Array(k).fill(1), ...a.aval.shape], a.aval.shape.map((_, i) => i + k));
  });
}

/** NumPy broadcast_to, via broadcast_in_dim (installed by the structural ops). */
export function broadcastTo(x: Array, shape: readonly number[]): Array {
  const m = arrayMethods.broadcastTo;
  if (!m) throw new Error("broadcastTo is not available");
  return m(x, shape);
}

type Binary = (x: ArrayInput, y: ArrayInput) => Array;

function promoted(op: string, f: (x: Array, y: Array) => Array, opts: PromoteOptions = {}): Binary {
  return (x, y) => {
    const [a, b] = promoteArgs(op, [x, y], opts);
    return f(a!, b!);
  };
}

const zeroLike = (x: Array, v = 0) => scalarOf("const", v, x.dtype, false);

/** jnp.add: bool adds as logical or. */
export const add = promoted("add", (x, y) => (x.dtype === bool ? lax.bitwiseOr(x, y) : lax.add(x, y)));
export const subtract = promoted("sub", lax.sub);
/** jnp.multiply: bool multiplies as logical and. */
export const multiply = promoted("mul", (x, y) => (x.dtype === bool ? lax.bitwiseAnd(x, y) : lax.mul(x, y)));
/** jnp.true_divide: integers and bool divide in float32. */
export const trueDivide = promoted("div", lax.div, { toFloat: true });
export const maximum = promoted("maximum", lax.max);
export const minimum = promoted("minimum", lax.min);

/**
 * jnp.floor_divide. Integers: the truncated quotient minus one where the signs
 * differ and the division is inexact (so x // 0 follows lax.div's -1). Floats:
 * CPython's float divmod (fmod, then correct the quotient), rounded.
 */
export const floorDivide = promoted(
  "floorDiv",
  (x, y) => {
    if (x.dtype.kind === "u") return lax.div(x, y);
    if (x.dtype.kind === "i") {
      const q = lax.div(x, y);
      const fix = lax.bitwiseAnd(lax.ne(lax.sign(x), lax.sign(y)), lax.ne(lax.rem(x, y), zeroLike(x)));
      return lax.select(fix, lax.sub(q, zeroLike(q, 1)), q);
    }
    const mod = lax.rem(x, y);
    const div = lax.div(lax.sub(x, mod), y);
    const fix = lax.bitwiseAnd(lax.ne(mod, zeroLike(mod)), lax.ne(lax.sign(y), lax.sign(mod)));
    return lax.round(lax.select(fix, lax.sub(div, zeroLike(div, 1)), div));
  },
  { numeric: true },
);

/** jnp.remainder: the result has the divisor's sign; integer x % 0 is 0. */
export const remainder = promoted(
  "mod",
  (x, y) => {
    const zero = zeroLike(x);
    const ones = y.ndim > 0 ? broadcastTo(zeroLike(y, 1), y.shape) : zeroLike(y, 1);
    const safeY = x.dtype.kind === "f" ? y : lax.select(lax.eq(y, zero), ones, y);
    const trunc = lax.rem(x, safeY);
    const fix = lax.bitwiseAnd(lax.ne(lax.lt(trunc, zero), lax.lt(safeY, zero)), lax.ne(trunc, zero));
    return lax.select(fix, lax.add(trunc, safeY), trunc);
  },
  { numeric: true },
);

/**
 * jnp.power. A JS integer exponent is static: lax.integer_pow (integers wrap;
 * negative powers of integers are an error). A float base with an integer
 * array exponent keeps the base's dtype. Integer arrays use JAX's binary
 * exponentiation over the low 6 bits of the exponent.
 */
export function power(x: ArrayInput, y: ArrayInput): Array {
  if (typeof y === "number" && Number.isInteger(y)) {
    const [a] = promoteArgs("pow", [x], { numeric: true });
    return lax.integerPow(a!, y);
  }
  const [a, b] = promoteArgs("pow", [x, y], { numeric: true });
  if (a!.dtype.kind !== "f") return powIntInt(a!, b!);
  if (x instanceof Array && y instanceof Array && x.dtype.kind === "f" && y.dtype.kind !== "f" && y.dtype !== bool) {
    const [xb, yb] = broadcastArrays("pow", [x, y]);
    return lax.pow(xb!, yb!);
  }
  return lax.pow(a!, b!);
}

function powIntInt(x: Array, y: Array): Array {
  const shape = broadcastShapes("pow", x.shape, y.shape);
  const full = (a: Array) => (shapeEqual(a.shape, shape) ? a : broadcastTo(a, shape));
  let base = full(x);
  let e = full(y);
  const zero = zeroLike(e);
  const one = zeroLike(e, 1);
  // pow(0, e) is 0 for e != 0, otherwise start from 1.
  let acc = lax.select(lax.bitwiseAnd(lax.eq(base, zero), lax.ne(e, zero)), full(zero), full(one));
  for (let bit = 0; bit < 6; bit++) {
    acc = lax.select(lax.ne(lax.bitwiseAnd(e, one), zero), lax.mul(acc, base), acc);
    base = lax.mul(base, base);
    e = lax.shiftRightLogical(e, one);
  }
  return acc;
}

/** jnp.clip(x, min, max) = minimum(max, maximum(min, x)); null or undefined means no bound. */
export function clip(x: Array, min?: ArrayInput | null, max?: ArrayInput | null): Array {
  let r = x;
  if (min !== null && min !== undefined) r = maximum(min, r);
  if (max !== null && max !== undefined) r = minimum(max, r);
  return r;
}

arrayMethods.add = add;
arrayMethods.sub = subtract;
arrayMethods.mul = multiply;
arrayMethods.div = trueDivide;
arrayMethods.pow = power;
arrayMethods.maximum = maximum;
arrayMethods.minimum = minimum;
arrayMethods.floorDiv = floorDivide;
arrayMethods.mod = remainder;
arrayMethods.eq = promoted("eq", lax.eq);
arrayMethods.ne = promoted("ne", lax.ne);
arrayMethods.lt = promoted("lt", lax.lt);
arrayMethods.le = promoted("le", lax.le);
arrayMethods.gt = promoted("gt", lax.gt);
arrayMethods.ge = promoted("ge", lax.ge);
arrayMethods.and = promoted("and", lax.bitwiseAnd);
arrayMethods.or = promoted("or", lax.bitwiseOr);
arrayMethods.xor = promoted("xor", lax.bitwiseXor);
arrayMethods.neg = (x: Array) => lax.neg(x);
/** jnp.abs: unsigned and bool arrays are their own absolute value. */
arrayMethods.abs = (x: Array) => (x.dtype.kind === "u" || x.dtype === bool ? x : lax.abs(x));
arrayMethods.not = (x: Array) => lax.bitwiseNot(x);
arrayMethods.astype = (x: Array, d: DTypeLike) => lax.convertElementType(x, toDType(d), false);
arrayMethods.clip = clip;

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

// ---------------------------------------------------------------------------
// Reduction methods (jnp semantics): sum, prod, max, min, mean, any, all,
// argmax, argmin, cumsum. Like jax.numpy's `_reduction`: sum/prod widen bool and
// sub-32-bit integers to int32/uint32 and compute float16 in float32; `where`
// replaces masked-out elements with the identity; `initial` is combined after
// the reduction; keepdims re-inserts the reduced axes (expand_dims).

type ReduceAxis = number | readonly number[] | null | undefined;
interface ReduceMethodOptions {
  keepdims?: boolean;
  where?: ArrayInput;
  initial?: number;
}

interface JnpReduction {
  name: string;
  /** the lax reduction and the matching binary op (for `initial`) */
  reduce: (x: Array, axes: readonly number[]) => Array;
  combine: (x: Array, y: Array) => Array;
  /** identity for `where`, given the computation dtype */
  identity: (d: DType) => number;
  hasIdentity: boolean;
  preproc?: "numeric" | "bool";
  promoteIntegers?: boolean;
  upcastF16?: boolean;
}

const fmtAxes = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

function reductionDims(op: string, x: Array, axis: ReduceAxis): number[] {
  if (axis === undefined || axis === null) return x.shape.map((_, i) => i);
  const axes = typeof axis === "number" ? [axis] : [...axis];
  const out = axes.map((a) => {
    if (!Number.isInteger(a) || a < -x.ndim || a >= x.ndim) {
      throw new RangeError(`[${op}] axis ${a} is out of bounds for ${x.aval.strShort()}`);
    }
    return a < 0 ? a + x.ndim : a;
  });
  if (new Set(out).size !== out.length) throw new RangeError(`[${op}] duplicate value in axis ${fmtAxes(axes)}`);
  return out;
}

/** jnp's promote_integers: bool and integers narrower than 32 bits widen to int32 / uint32. */
export function promoteIntegerDType(d: DType): DType {
  if (d.kind === "b") return toDType("int32");
  if (d.kind === "u" && d.bits < 32) return toDType("uint32");
  if (d.kind === "i" && d.bits < 32) return toDType("int32");
  return d;
}

function whereMask(where: ArrayInput): Array {
  const w = asArray(where);
  return w.dtype.kind === "b" ? w : lax.convertElementType(w, "bool");
}

function jnpReduce(spec: JnpReduction, x0: Array, axis: ReduceAxis, opts: ReduceMethodOptions = {}, dtype?: DType): Array {
  const { name } = spec;
  const { keepdims = false, where, initial } = opts;
  if (initial === undefined && !spec.hasIdentity && where !== undefined) {
    throw new TypeError(`[${name}] reduction operation ${name} does not have an identity, so to use a where mask one has to specify 'initial'`);
  }
  let a = x0;
  if (spec.preproc === "numeric" && a.dtype.kind === "b") a = lax.convertElementType(a, "int32");
  if (spec.preproc === "bool" && a.dtype.kind !== "b") a = lax.convertElementType(a, "bool");
  const dims = reductionDims(name, a, axis);
  if (initial === undefined && !spec.hasIdentity && dims.some((d) => a.shape[d] === 0)) {
    throw new RangeError(
      `[${name}] zero-size array to reduction operation ${name} which has no identity (axes ${fmtAxes(dims)} of ${a.aval.strShort()}); pass 'initial'`,
    );
  }
  const resultDType = dtype ?? (spec.promoteIntegers ? promoteIntegerDType(a.dtype) : a.dtype);
  const computeDType = spec.upcastF16 && resultDType.name === "float16" ? float32 : resultDType;
  a = lax.convertElementType(a, computeDType, false);
  if (where !== undefined) {
    const w = whereMask(where);
    const shape = broadcastShapes(name, w.shape, a.shape);
    const aB = shapeEqual(a.shape, shape) ? a : broadcastTo(a, shape);
    const wB = shapeEqual(w.shape, shape) ? w : broadcastTo(w, shape);
    const fill = broadcastTo(scalar(spec.identity(computeDType), computeDType, false), shape);
    a = lax.select(wB, aB, fill);
  }
  let result = spec.reduce(a, dims);
  if (initial !== undefined) result = spec.combine(scalar(initial, a.dtype, false), result);
  if (keepdims) result = lax.expandDims(result, dims);
  return lax.convertElementType(result, resultDType, false);
}

const sumSpec: JnpReduction = {
  name: "sum",
  reduce: (x, axes) => (x.dtype.kind === "b" ? lax.reduceOr(x, axes) : lax.reduceSum(x, axes)),
  combine: (x, y) => (x.dtype.kind === "b" ? lax.bitwiseOr(x, y) : lax.add(x, y)),
  identity: () => 0,
  hasIdentity: true,
  preproc: "numeric",
  promoteIntegers: true,
  upcastF16: true,
};
const prodSpec: JnpReduction = {
  name: "prod",
  reduce: (x, axes) => (x.dtype.kind === "b" ? lax.reduceAnd(x, axes) : lax.reduceProd(x, axes)),
  combine: (x, y) => (x.dtype.kind === "b" ? lax.bitwiseAnd(x, y) : lax.mul(x, y)),
  identity: () => 1,
  hasIdentity: true,
  preproc: "numeric",
  promoteIntegers: true,
  upcastF16: true,
};
const maxSpec: JnpReduction = {
  name: "max",
  reduce: (x, axes) => lax.reduceMax(x, axes),
  combine: (x, y) => lax.max(x, y),
  identity: (d) => lax.maxIdentity(d),
  hasIdentity: false,
};
const minSpec: JnpReduction = {
  name: "min",
  reduce: (x, axes) => lax.reduceMin(x, axes),
  combine: (x, y) => lax.min(x, y),
  identity: (d) => lax.minIdentity(d),
  hasIdentity: false,
};
const allSpec: JnpReduction = {
  name: "all",
  reduce: (x, axes) => lax.reduceAnd(x, axes),
  combine: (x, y) => lax.bitwiseAnd(x, y),
  identity: () => 1,
  hasIdentity: true,
  preproc: "bool",
};
const anySpec: JnpReduction = {
  name: "any",
  reduce: (x, axes) => lax.reduceOr(x, axes),
  combine: (x, y) => lax.bitwiseOr(x, y),
  identity: () => 0,
  hasIdentity: true,
  preproc: "bool",
};

arrayMethods.sum = (x: Array, axis?: ReduceAxis, opts?: ReduceMethodOptions) => jnpReduce(sumSpec, x, axis, opts);
arrayMethods.prod = (x: Array, axis?: ReduceAxis, opts?: ReduceMethodOptions) => jnpReduce(prodSpec, x, axis, opts);
arrayMethods.max = (x: Array, axis?: ReduceAxis, opts?: ReduceMethodOptions) => jnpReduce(maxSpec, x, axis, opts);
arrayMethods.min = (x: Array, axis?: ReduceAxis, opts?: ReduceMethodOptions) => jnpReduce(minSpec, x, axis, opts);
for (const spec of [allSpec, anySpec]) {
  arrayMethods[spec.name] = (x: Array, axis?: ReduceAxis, opts: ReduceMethodOptions = {}) => {
    if (opts.initial !== undefined) throw new TypeError(`[${spec.name}] does not take 'initial'`);
    return jnpReduce(spec, x, axis, opts);
  };
}

/** jnp.mean: integers and bool give float32; float16 is summed in float32. */
arrayMethods.mean = (x: Array, axis?: ReduceAxis, opts: ReduceMethodOptions = {}) => {
  if (opts.initial !== undefined) throw new TypeError("[mean] does not take 'initial'");
  const resultDType = x.dtype.kind === "f" ? x.dtype : float32;
  const computeDType = resultDType.name === "float16" ? float32 : resultDType;
  const dims = reductionDims("mean", x, axis);
  const { keepdims = false, where } = opts;
  let count: Array;
  if (where === undefined) {
    count = scalar(dims.reduce((n, d) => n * x.shape[d]!, 1), computeDType, false);
  } else {
    const w = broadcastTo(whereMask(where), x.shape);
    count = jnpReduce(sumSpec, w, dims, { keepdims }, computeDType);
  }
  const total = jnpReduce(sumSpec, x, dims, { keepdims, where }, computeDType);
  return lax.convertElementType(lax.div(total, count), resultDType, false);
};

function argMethod(name: "argmax" | "argmin") {
  arrayMethods[name] = (x: Array, axis?: number | null, opts: { keepdims?: boolean } = {}) => {
    let a = x;
    let ax: number;
    let dims: number[];
    if (axis === undefined || axis === null) {
      dims = x.shape.map((_, i) => i);
      a = lax.reshape(x, [x.size]);
      ax = 0;
    } else {
      ax = reductionDims(name, x, axis)[0]!;
      dims = [ax];
    }
    if (a.shape[ax] === 0) throw new RangeError(`[${name}] attempt to get ${name} of an empty sequence (${x.aval.strShort()})`);
    const r = (name === "argmax" ? lax.argmax : lax.argmin)(a, ax, "int32");
    return opts.keepdims ? lax.expandDims(r, dims) : r;
  };
}
argMethod("argmax");
argMethod("argmin");

/** jnp.cumsum: axis null flattens; bool accumulates as int32; other dtypes keep theirs (int8 wraps). */
arrayMethods.cumsum = (x: Array, axis?: number | null) => {
  let a = x;
  if (axis === undefined || axis === null) a = lax.reshape(x, [x.size]);
  const ax = reductionDims("cumsum", a, axis ?? 0)[0]!;
  const d = a.dtype.kind === "b" ? promoteIntegerDType(a.dtype) : a.dtype;
  return lax.cumsum(lax.convertElementType(a, d, false), ax);
};

// ---------------------------------------------------------------------------
// Linear algebra methods (NumPy semantics): matmul (`@`) and dot, built like
// jnp.matmul / jnp.dot: operands keep their dtypes and dot_general is asked for
// the promoted dtype through preferred_element_type (so `f32 @ f32` stages as
// one dot_general, exactly as in JAX).

/** Options of jnp's products (dot, matmul): lax precision and the accumulation/result dtype. */
export interface ProductOptions {
  precision?: lax.PrecisionLike;
  preferredElementType?: DTypeLike | null;
}

/**
 * Promoted dtype of a product; a JS number joins as a weak scalar of that dtype.
 * A given preferredElementType is the result dtype (strong), as in jnp.
 */
function productOperands(x: Array, y: ArrayInput, opts: ProductOptions = {}): { a: Array; b: Array; dtype: DType; weakType: boolean } {
  let { dtype, weakType } = resultTypeWithWeak([x, y instanceof Array ? y : typedOf(y)]);
  const b = y instanceof Array ? y : scalar(y, dtype, weakType);
  if (opts.preferredElementType !== undefined && opts.preferredElementType !== null) {
    dtype = toDType(opts.preferredElementType);
    weakType = false;
  }
  return { a: x, b, dtype, weakType };
}

/** jnp.matmul: 1-D operands are promoted to matrices and back; leading (batch) dims broadcast. */
arrayMethods.matmul = (x: Array, y: ArrayInput) => matmul(x, y);

/** jnp.matmul with options (the `@` of Array.matmul); shared with @jaxts/numpy. */
export function matmul(x: Array, y: ArrayInput, opts: ProductOptions = {}): Array {
  if (!(y instanceof Array)) {
    throw new TypeError(`[matmul] input operand 1 must have ndim at least 1, but it is the scalar ${String(y)}`);
  }
  const { a, b, dtype, weakType } = productOperands(x, y, opts);
  [a, b].forEach((v, i) => {
    if (v.ndim < 1) throw new TypeError(`[matmul] input operand ${i} must have ndim at least 1, got ${v.aval.strShort()}`);
  });
  const aIsMat = a.ndim > 1;
  const bIsMat = b.ndim > 1;
  const aB = aIsMat ? a.shape.slice(0, -2) : [];
  const bB = bIsMat ? b.shape.slice(0, -2) : [];
  const nb = Math.max(aB.length, bB.length);
  const aBatchDims: (number | null)[] = [...new globalThis.Array<null>(nb - aB.length).fill(null), ...aB];
  const bBatchDims: (number | null)[] = [...new globalThis.Array<null>(nb - bB.length).fill(null), ...bB];
  const aSqueeze: number[] = [];
  const bSqueeze: number[] = [];
  const bothSqueeze: number[] = [];
  const aBatch: number[] = [];
  const bBatch: number[] = [];
  const idxBatch: number[] = [];
  const idxAOther: number[] = [];
  const idxBOther: number[] = [];
  for (let i = 0; i < nb; i++) {
    const ba = aBatchDims[i]!;
    const bb = bBatchDims[i]!;
    if (ba === null) idxBOther.push(i);
    else if (bb === null) idxAOther.push(i);
    else if (ba === 1 && bb === 1) {
      aSqueeze.push(idxBatch.length + idxAOther.length + aSqueeze.length);
      bSqueeze.push(idxBatch.length + idxBOther.length + bSqueeze.length);
      bothSqueeze.push(i);
    } else if (ba === 1) {
      idxBOther.push(i);
      aSqueeze.push(idxBatch.length + idxAOther.length + aSqueeze.length);
    } else if (bb === 1) {
      idxAOther.push(i);
      bSqueeze.push(idxBatch.length + idxBOther.length + bSqueeze.length);
    } else if (ba === bb) {
      aBatch.push(idxBatch.length + idxAOther.length);
      bBatch.push(idxBatch.length + idxBOther.length);
      idxBatch.push(i);
    } else {
      throw new TypeError(`[matmul] incompatible shapes for matmul arguments: ${a.aval.strShort()} and ${b.aval.strShort()}`);
    }
  }
  if (aIsMat) idxAOther.push(nb);
  if (bIsMat) idxBOther.push(nb + (aIsMat ? 1 : 0));
  const order = [...idxBatch, ...idxAOther, ...idxBOther];
  const perm = order.map((_, i) => i).sort((i, j) => order[i]! - order[j]!);
  const a2 = lax.squeeze(a, aSqueeze);
  const b2 = lax.squeeze(b, bSqueeze);
  const out = lax.dotGeneral(a2, b2, [[[a2.ndim - 1], [b2.ndim - 1 - (bIsMat ? 1 : 0)]], [aBatch, bBatch]], {
    precision: opts.precision,
    preferredElementType: dtype,
  });
  let result = lax.transpose(out, perm);
  if (bothSqueeze.length) result = lax.expandDims(result, bothSqueeze);
  return lax.convertElementType(result, dtype, weakType);
}

/** jnp.dot (np.dot): contracts a's last axis with b's only axis or its second-to-last; scalars multiply. */
arrayMethods.dot = (x: Array, y: ArrayInput) => dot(x, y);

/** jnp.dot with options (Array.dot); shared with @jaxts/numpy. */
export function dot(x: Array, y: ArrayInput, opts: ProductOptions = {}): Array {
  const { a, b, dtype, weakType } = productOperands(x, y, opts);
  const contract: [number[], number[]] =
    a.ndim === 0 || b.ndim === 0 ? [[], []] : b.ndim === 1 ? [[a.ndim - 1], [0]] : [[a.ndim - 1], [b.ndim - 2]];
  const out = lax.dotGeneral(a, b, [contract, [[], []]], { precision: opts.precision, preferredElementType: dtype });
  return lax.convertElementType(out, dtype, weakType);
}
