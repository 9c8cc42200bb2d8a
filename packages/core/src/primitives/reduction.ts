// Reductions: reduce_{sum,prod,max,min,and,or,xor} over a set of axes, argmax /
// argmin along one axis, windowed reductions (reduce_window_{sum,max,min}) and
// cumulative reductions (cum{sum,prod,max,min,logsumexp}) along one axis.
//
// The primitives' params and rules follow jax/_src/lax/lax.py,
// windowed_reductions.py and control_flow/loops.py. The lax wrappers normalize
// negative axes (JAX's primitives reject them; the wrappers here accept them).
// `lax.reduce` / `lax.reduceWindow` recognize a monoid (lax.add with 0, lax.max
// with its identity, ...) and bind the specific primitive, as JAX does; any other
// computation would need the generic reduce / reduce_window primitives, which
// take a sub-Jaxpr and are not supported yet.
import { Array, Tracer, asArray, type ArrayInput } from "../array.js";
import { DType, dtype as toDType, intRange, wrapInt, type DTypeLike } from "../dtypes.js";
import { ShapedArray, fmtAval, type Shape } from "../shape.js";
import { checkDType, definePrimitive, type DTypeClass } from "./define.js";
import { add, bitwiseAnd, bitwiseOr, bitwiseXor, convertElementType, max, min, mul } from "./elementwise.js";

const isList = globalThis.Array.isArray;
const fmtTuple = (xs: readonly unknown[]): string => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`;

// ---------------------------------------------------------------------------
// Identities (the values XLA pads windows with and empty reductions give)

/** Identity of max: -inf for floats, the dtype's minimum for ints, false for bool. */
export function maxIdentity(d: DType): number {
  if (d.kind === "f") return -Infinity;
  return intRange(d)[0];
}
/** Identity of min: +inf for floats, the dtype's maximum for ints, true for bool. */
export function minIdentity(d: DType): number {
  if (d.kind === "f") return Infinity;
  return intRange(d)[1];
}
/** Identity of bitwise and: all bits set (true for bool). */
export function andIdentity(d: DType): number {
  return d.kind === "b" ? 1 : wrapInt(-1, d);
}

// ---------------------------------------------------------------------------
// Validation shared by the abstract-eval rules

function oneOperand(op: string, avals: ShapedArray[]): ShapedArray {
  if (avals.length !== 1) throw new TypeError(`[${op}] takes one operand, got ${avals.length}`);
  return avals[0]!;
}

function checkIntList(op: string, what: string, v: unknown, x: ShapedArray): readonly number[] {
  if (!isList(v) || v.some((a) => !Number.isInteger(a))) {
    throw new TypeError(`[${op}] ${what} must be a list of integers, got ${JSON.stringify(v)} for ${fmtAval(x)}`);
  }
  return v as number[];
}

/** Reduction axes: integers in [0, ndim), no duplicates. */
function checkAxes(op: string, x: ShapedArray, axes: unknown): readonly number[] {
  const ax = checkIntList(op, "axes", axes, x);
  for (const a of ax) {
    if (a < 0 || a >= x.ndim) {
      throw new RangeError(`[${op}] axis ${a} in axes ${fmtTuple(ax)} is out of bounds for ${fmtAval(x)}`);
    }
  }
  if (new Set(ax).size !== ax.length) throw new RangeError(`[${op}] duplicate axis in axes ${fmtTuple(ax)} for ${fmtAval(x)}`);
  return ax;
}

/** Wrapper-side normalization of one possibly negative axis, naming the operand. */
function normAxis(op: string, axis: number, x: ShapedArray): number {
  if (!Number.isInteger(axis) || axis < -x.ndim || axis >= x.ndim) {
    throw new RangeError(`[${op}] axis ${axis} is out of bounds for ${fmtAval(x)}`);
  }
  return axis < 0 ? axis + x.ndim : axis;
}
function normAxes(op: string, axes: readonly number[], x: ShapedArray): number[] {
  if (!isList(axes)) throw new TypeError(`[${op}] axes must be a list of integers, got ${JSON.stringify(axes)}`);
  return axes.map((a) => normAxis(op, a, x));
}

// ---------------------------------------------------------------------------
// reduce_* over axes

export interface ReduceParams {
  axes: readonly number[];
}

function reducePrimitive(name: string, cls: DTypeClass, keepWeak: boolean) {
  return definePrimitive(name, (avals, { axes }: ReduceParams) => {
    const x = oneOperand(name, avals);
    checkDType(name, x, cls);
    const ax = checkAxes(name, x, axes);
    const shape = x.shape.filter((_, i) => !ax.includes(i));
    return new ShapedArray(shape, x.dtype, keepWeak && x.weakType);
  });
}

/** reduce_sum[axes, out_sharding]; numeric dtypes; integer sums wrap around. */
export const reduceSumP = reducePrimitive("reduce_sum", "numeric", true);
export const reduceProdP = reducePrimitive("reduce_prod", "numeric", true);
/** NaN propagates; empty reductions give -inf (floats) or the dtype's minimum. */
export const reduceMaxP = reducePrimitive("reduce_max", "any", true);
export const reduceMinP = reducePrimitive("reduce_min", "any", true);
export const reduceAndP = reducePrimitive("reduce_and", "intOrBool", false);
export const reduceOrP = reducePrimitive("reduce_or", "intOrBool", false);
export const reduceXorP = reducePrimitive("reduce_xor", "intOrBool", false);

// ---------------------------------------------------------------------------
// argmax / argmin

export interface ArgMinMaxParams {
  axes: readonly [number];
  index_dtype: DType;
}

function argPrimitive(name: string) {
  return definePrimitive(name, (avals, { axes, index_dtype }: ArgMinMaxParams) => {
    const x = oneOperand(name, avals);
    const ax = checkAxes(name, x, axes);
    if (ax.length !== 1) throw new TypeError(`[${name}] reduces exactly one axis, got axes ${fmtTuple(ax)} for ${fmtAval(x)}`);
    if (!(index_dtype instanceof DType) || !index_dtype.isInteger) {
      throw new TypeError(`[${name}] index_dtype must be an integer type, got ${String(index_dtype)}`);
    }
    const axis = ax[0]!;
    if (x.shape[axis] === 0) {
      throw new RangeError(`[${name}] requires a non-empty reduced dimension: axis ${axis} of ${fmtAval(x)} has size 0`);
    }
    return new ShapedArray(
      x.shape.filter((_, i) => i !== axis),
      index_dtype,
      false,
    );
  });
}

/** Index of the maximum along one axis; the first index among ties; the first NaN wins. */
export const argmaxP = argPrimitive("argmax");
export const argminP = argPrimitive("argmin");

// ---------------------------------------------------------------------------
// reduce_window_{sum,max,min}

export interface ReduceWindowParams {
  window_dimensions: readonly number[];
  window_strides: readonly number[];
  padding: readonly (readonly [number, number])[];
  base_dilation: readonly number[];
  window_dilation: readonly number[];
}

/** Validate the window geometry (everything except padding). */
function checkWindow(
  op: string,
  x: ShapedArray,
  p: Pick<ReduceWindowParams, "window_dimensions" | "window_strides" | "base_dilation" | "window_dilation">,
): void {
  const entries = [
    ["window_dimensions", p.window_dimensions],
    ["window_strides", p.window_strides],
    ["base_dilation", p.base_dilation],
    ["window_dilation", p.window_dilation],
  ] as const;
  for (const [what, v] of entries) {
    const xs = checkIntList(op, what, v, x);
    if (xs.length !== x.ndim) {
      throw new TypeError(`[${op}] ${what} ${fmtTuple(xs)} must have one entry per operand dimension, got ${xs.length} for ${fmtAval(x)}`);
    }
    if (xs.some((d) => d < 1)) {
      throw new RangeError(`[${op}] ${what} must be strictly positive, got ${fmtTuple(xs)} for ${fmtAval(x)}`);
    }
  }
}

function checkPadding(op: string, x: ShapedArray, padding: unknown): readonly (readonly [number, number])[] {
  const ok =
    isList(padding) &&
    padding.every((pr) => isList(pr) && pr.length === 2 && pr.every((v: unknown) => Number.isInteger(v)));
  if (!ok) throw new TypeError(`[${op}] padding must be a list of [lo, hi] integer pairs, got ${JSON.stringify(padding)}`);
  const pads = padding as [number, number][];
  if (pads.length !== x.ndim) {
    throw new TypeError(`[${op}] padding needs one [lo, hi] pair per operand dimension, got ${pads.length} for ${fmtAval(x)}`);
  }
  return pads;
}

const dilateDim = (d: number, dil: number): number => (d === 0 ? 0 : 1 + dil * (d - 1));

/** Output shape of a windowed reduction (jax reduce_window_shape_tuple). */
export function reduceWindowShape(op: string, x: ShapedArray, p: ReduceWindowParams): number[] {
  return x.shape.map((d, i) => {
    const padded = dilateDim(d, p.base_dilation[i]!) + p.padding[i]![0] + p.padding[i]![1];
    if (padded < 0) {
      throw new RangeError(
        `[${op}] padding ${JSON.stringify(p.padding[i])} of dimension ${i} leaves a negative size for ${fmtAval(x)}`,
      );
    }
    const win = dilateDim(p.window_dimensions[i]!, p.window_dilation[i]!);
    return padded < win ? 0 : Math.floor((padded - win) / p.window_strides[i]!) + 1;
  });
}

function windowPrimitive(name: string, cls: DTypeClass) {
  return definePrimitive(name, (avals, params: ReduceWindowParams) => {
    const x = oneOperand(name, avals);
    checkDType(name, x, cls);
    checkWindow(name, x, params);
    checkPadding(name, x, params.padding);
    return new ShapedArray(reduceWindowShape(name, x, params), x.dtype, x.weakType);
  });
}

/** Windows pad (and base-dilation holes) with the reduction's identity. */
export const reduceWindowSumP = windowPrimitive("reduce_window_sum", "numeric");
export const reduceWindowMaxP = windowPrimitive("reduce_window_max", "any");
export const reduceWindowMinP = windowPrimitive("reduce_window_min", "any");

// ---------------------------------------------------------------------------
// cumulative reductions

export interface CumulativeParams {
  axis: number;
  reverse: boolean;
}

function cumulativePrimitive(name: string, cls: DTypeClass) {
  return definePrimitive(name, (avals, { axis, reverse }: CumulativeParams) => {
    const x = oneOperand(name, avals);
    checkDType(name, x, cls);
    if (!Number.isInteger(axis) || axis < 0 || axis >= x.ndim) {
      throw new RangeError(`[${name}] axis ${axis} is out of bounds for ${fmtAval(x)}`);
    }
    if (typeof reverse !== "boolean") throw new TypeError(`[${name}] reverse must be a boolean, got ${String(reverse)}`);
    return x;
  });
}

export const cumsumP = cumulativePrimitive("cumsum", "numeric");
export const cumprodP = cumulativePrimitive("cumprod", "numeric");
export const cummaxP = cumulativePrimitive("cummax", "numeric");
export const cumminP = cumulativePrimitive("cummin", "numeric");
/** Floating point only (JAX accepts ints here but cannot lower them). */
export const cumlogsumexpP = cumulativePrimitive("cumlogsumexp", "float");

// ---------------------------------------------------------------------------
// lax functions

function reduceOp(p: ReturnType<typeof reducePrimitive>, extra: Record<string, unknown> = {}) {
  return (operand: ArrayInput, axes: readonly number[]): Array => {
    const x = asArray(operand);
    return p.bind1([x], { axes: normAxes(p.name, axes, x.aval), ...extra });
  };
}

/** lax.reduce_sum: sum over `axes` (no widening: int8 sums wrap in int8). */
export const reduceSum = reduceOp(reduceSumP, { out_sharding: null });
export const reduceProd = reduceOp(reduceProdP);
export const reduceMax = reduceOp(reduceMaxP);
export const reduceMin = reduceOp(reduceMinP);
export const reduceAnd = reduceOp(reduceAndP);
export const reduceOr = reduceOp(reduceOrP);
export const reduceXor = reduceOp(reduceXorP);

function argOp(p: ReturnType<typeof argPrimitive>) {
  return (operand: ArrayInput, axis: number, indexDtype: DTypeLike = "int32"): Array => {
    const x = asArray(operand);
    const ax = normAxis(p.name, axis, x.aval);
    return p.bind1([x], { axes: [ax], index_dtype: toDType(indexDtype) });
  };
}

export const argmax = argOp(argmaxP);
export const argmin = argOp(argminP);

function cumOp(p: ReturnType<typeof cumulativePrimitive>) {
  return (operand: ArrayInput, axis = 0, reverse = false): Array => {
    const x = asArray(operand);
    return p.bind1([x], { axis: normAxis(p.name, axis, x.aval), reverse });
  };
}

export const cumsum = cumOp(cumsumP);
export const cumprod = cumOp(cumprodP);
export const cummax = cumOp(cummaxP);
export const cummin = cumOp(cumminP);
export const cumlogsumexp = cumOp(cumlogsumexpP);

type Computation = (x: any, y: any) => Array;

/** The lax name of a known computation (looked up at call time: these modules import each other cyclically). */
function computationName(c: Computation): string | undefined {
  const known: [unknown, string][] = [
    [add, "lax.add"],
    [mul, "lax.mul"],
    [max, "lax.max"],
    [min, "lax.min"],
    [bitwiseAnd, "lax.bitwiseAnd"],
    [bitwiseOr, "lax.bitwiseOr"],
    [bitwiseXor, "lax.bitwiseXor"],
  ];
  return known.find(([f]) => f === c)?.[1];
}

/** The concrete value of a scalar init value, or null when it is not a known scalar. */
function concreteScalar(v: ArrayInput): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Tracer || !(v instanceof Array) || v.ndim !== 0) return null;
  return v.dataSync()[0]!;
}

function initIsWeak(v: ArrayInput): boolean {
  return typeof v === "number" ? true : typeof v === "boolean" ? false : v.weakType;
}

function describeComputation(c: Computation): string {
  return computationName(c) ?? (c.name ? `function '${c.name}'` : "an anonymous function");
}

function notSupported(op: string, c: Computation, init: ArrayInput, x: ShapedArray): Error {
  const v = concreteScalar(init);
  return new TypeError(
    `[${op}] computation ${describeComputation(c)} with init value ${v === null ? "(traced or non-scalar)" : v} on ${fmtAval(x)} ` +
      `is not supported yet: only monoids are (lax.add with 0, lax.mul with 1, lax.max / lax.min with their identity` +
      (op === "reduce" ? ", lax.bitwiseAnd / bitwiseOr / bitwiseXor with theirs on integers or bool" : "") +
      `); the generic ${op} primitive with a sub-Jaxpr is not implemented`,
  );
}

/** Does (computation, init) form the monoid whose identity `init` is, for dtype d? */
function isIdentity(c: Computation, v: number, d: DType): boolean {
  const intLike = d.kind !== "f";
  if (c === add || c === bitwiseOr || c === bitwiseXor) return (c === add || intLike) && v === 0;
  if (c === mul) return v === 1;
  if (c === bitwiseAnd) return intLike && (d.kind === "b" ? v !== 0 : wrapInt(v, d) === andIdentity(d));
  if (c === max) return v === maxIdentity(d) || v === -Infinity;
  if (c === min) return v === minIdentity(d) || v === Infinity;
  return false;
}

/**
 * lax.reduce(operands, initValues, computation, dimensions). The computation must
 * be lax.add / mul / max / min / bitwiseAnd / bitwiseOr / bitwiseXor with its
 * identity as init value; it then binds reduce_sum / reduce_prod / ... .
 */
export function reduce(operands: ArrayInput, initValues: ArrayInput, computation: Computation, dimensions: readonly number[]): Array;
export function reduce(
  operands: readonly ArrayInput[],
  initValues: readonly ArrayInput[],
  computation: Computation,
  dimensions: readonly number[],
): Array[];
export function reduce(
  operands: ArrayInput | readonly ArrayInput[],
  initValues: ArrayInput | readonly ArrayInput[],
  computation: Computation,
  dimensions: readonly number[],
): Array | Array[] {
  if (isList(operands) !== isList(initValues)) {
    throw new TypeError("[reduce] operands and initValues must have the same structure (both arrays or both single values)");
  }
  if (isList(operands)) {
    const inits = initValues as readonly ArrayInput[];
    if (operands.length !== inits.length) {
      throw new TypeError(`[reduce] got ${operands.length} operands but ${inits.length} init values`);
    }
    if (operands.length !== 1) {
      throw new TypeError(`[reduce] variadic reductions (${operands.length} operands) are not supported yet`);
    }
    return [reduce(operands[0]!, inits[0]!, computation, dimensions)];
  }
  const x = asArray(operands as ArrayInput);
  const init = initValues as ArrayInput;
  const v = concreteScalar(init);
  if (v === null || !isIdentity(computation, v, x.dtype)) throw notSupported("reduce", computation, init, x.aval);
  const f =
    computation === add
      ? reduceSum
      : computation === mul
        ? reduceProd
        : computation === max
          ? reduceMax
          : computation === min
            ? reduceMin
            : computation === bitwiseAnd
              ? reduceAnd
              : computation === bitwiseOr
                ? reduceOr
                : reduceXor;
  const out = f(x, dimensions);
  return convertElementType(out, out.dtype, x.weakType && initIsWeak(init));
}

export type PaddingLike = "SAME" | "VALID" | "SAME_LOWER" | string | readonly (readonly [number, number])[];

/** jax.lax.padtype_to_pads: explicit [lo, hi] pads for "SAME" / "SAME_LOWER" / "VALID". */
export function padtypeToPads(
  inShape: Shape,
  windowShape: readonly number[],
  windowStrides: readonly number[],
  padding: string,
): [number, number][] {
  const kind = padding.toUpperCase();
  if (kind === "VALID") return inShape.map(() => [0, 0]);
  if (kind !== "SAME" && kind !== "SAME_LOWER") {
    throw new TypeError(`[padtype_to_pads] unrecognized padding type: expected 'VALID', 'SAME' or 'SAME_LOWER', got '${padding}'`);
  }
  return inShape.map((d, i) => {
    const s = windowStrides[i]!;
    const out = Math.ceil(d / s);
    const pad = Math.max(0, (out - 1) * s + windowShape[i]! - d);
    const small = Math.floor(pad / 2);
    return kind === "SAME" ? [small, pad - small] : [pad - small, small];
  });
}

export interface ReduceWindowOptions {
  baseDilation?: readonly number[] | null;
  windowDilation?: readonly number[] | null;
}

/**
 * lax.reduce_window(operand, initValue, computation, windowDimensions,
 * windowStrides, padding, {baseDilation, windowDilation}). The computation must be
 * lax.add with 0, or lax.max / lax.min with their identity.
 */
export function reduceWindow(
  operand: ArrayInput,
  initValue: ArrayInput,
  computation: Computation,
  windowDimensions: readonly number[],
  windowStrides?: readonly number[] | null,
  padding: PaddingLike = "VALID",
  opts: ReduceWindowOptions = {},
): Array {
  const x = asArray(operand);
  const op = "reduce_window";
  const ones = x.shape.map(() => 1);
  const geometry = {
    window_dimensions: windowDimensions,
    window_strides: windowStrides ?? (isList(windowDimensions) ? windowDimensions.map(() => 1) : ones),
    base_dilation: opts.baseDilation ?? ones,
    window_dilation: opts.windowDilation ?? ones,
  };
  checkWindow(op, x.aval, geometry);
  let pads: readonly (readonly [number, number])[];
  if (typeof padding === "string") {
    const dilatedWindow = windowDimensions.map((w, i) => dilateDim(w, geometry.window_dilation[i]!));
    pads = padtypeToPads(x.shape, dilatedWindow, geometry.window_strides, padding);
  } else {
    pads = checkPadding(op, x.aval, padding).map(([lo, hi]) => [lo, hi] as const);
  }
  const v = concreteScalar(initValue);
  const p =
    v === null
      ? null
      : computation === add && v === 0
        ? reduceWindowSumP
        : computation === max && isIdentity(max, v, x.dtype)
          ? reduceWindowMaxP
          : computation === min && isIdentity(min, v, x.dtype)
            ? reduceWindowMinP
            : null;
  if (!p) throw notSupported(op, computation, initValue, x.aval);
  return p.bind1([x], {
    base_dilation: [...geometry.base_dilation],
    padding: pads.map(([lo, hi]) => [lo, hi]),
    window_dilation: [...geometry.window_dilation],
    window_dimensions: [...windowDimensions],
    window_strides: [...geometry.window_strides],
  });
}
