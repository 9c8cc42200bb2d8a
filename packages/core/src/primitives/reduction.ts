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

// ---------------------------------------------------------------------------
// Transformation rules (JVP, transpose, batching), as JAX's in lax.py,
// windowed_reductions.py and control_flow/loops.py.
//
// - reduce_sum, reduce_window_sum and cumsum are linear: their JVP is themselves
//   applied to the tangent; their transposes broadcast the cotangent back, pad it
//   and sum windows again, or accumulate it in the other direction.
// - reduce_prod differentiates a pairwise product tree (JAX's _reduce_prod_jvp_rule):
//   correct with zeros in the operand, unlike a division by it.
// - reduce_max / reduce_min give the mean of the tangents at the positions that
//   attain the result (JAX's _reduce_chooser_jvp_rule: ties share equally).
// - reduce_window_max / reduce_window_min: JAX binds select_and_gather_add, whose
//   windows pair (value, tangent) and keep the first maximal pair. Here the same
//   choice is made without a new primitive: the window position of the first
//   maximum is found by argmax over the window's offsets, and the tangent is
//   gathered there, so the linear part is a pad and a gather (transposed into a
//   scatter-add). Finding the positions materializes (window size) x (output size)
//   values, where XLA's select_and_gather_add needs the output size.
// - cumprod / cummax / cummin / cumlogsumexp differentiate JAX's parallel prefix
//   scan (associative_scan) of the combining function; cumlogsumexp combines with
//   a log-add-exp whose derivative is exact also where its operands tie.
// - The bitwise reductions and argmax / argmin have no tangent.
// - Every reduction batches by shifting its axes past the batch axis.
import { bool, int32 } from "../dtypes.js";
import { div, eq, exp, isFinite as isFiniteOp, log, rem, select, stopGradient, sub } from "./elementwise.js";
import {
  broadcastInDim,
  broadcastedIota,
  concatenate,
  pad,
  reshape,
  rev,
  sliceInDim,
  slice as sliceOp,
  squeeze,
} from "./structural.js";
import { gather, GatherDimensionNumbers } from "./indexing.js";
import { defjvpLinear, defjvpZero, jvpFlat, setJvp } from "../transforms/jvp.js";
import { setTranspose } from "../transforms/transpose.js";
import { setBatch } from "../transforms/vmap.js";
import { scalar } from "../array.js";

const range = (n: number): number[] => [...globalThis.Array(n).keys()];
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const insertAt = <T>(xs: readonly T[], at: number, v: T): T[] => [...xs.slice(0, at), v, ...xs.slice(at)];
const fullLike = (shape: readonly number[], v: number, like: Array): Array =>
  broadcastInDim(scalar(v, like.dtype, false), shape, []);

// --- reduce_* and argmax / argmin

defjvpLinear(reduceSumP);
setTranspose(reduceSumP, ([ct], [x], { axes }: ReduceParams) => {
  const shape = x!.aval.shape;
  return [broadcastInDim(ct!, shape, range(shape.length).filter((i) => !axes.includes(i)))];
});

/** The product over `axes` by a tree of pairwise products along one flattened axis. */
function productTree(x: Array, axes: readonly number[]): Array {
  const shape = x.aval.shape;
  const nonAxes = range(shape.length).filter((i) => !axes.includes(i));
  const outShape = nonAxes.map((i) => shape[i]!);
  let y = reshape(x, [prod(axes.map((a) => shape[a]!)), ...outShape], [...axes, ...nonAxes]);
  while (y.aval.shape[0]! > 1) {
    const n = y.aval.shape[0]!;
    const n1 = Math.ceil(n / 2);
    const y1 = sliceInDim(y, 0, n1, 1, 0);
    let y2 = sliceInDim(y, n1, n, 1, 0);
    if (n - n1 !== n1) y2 = pad(y2, scalar(1, y.dtype, y.weakType), y.aval.shape.map((_, i) => [0, i === 0 ? 1 : 0, 0]));
    y = mul(y1, y2);
  }
  if (y.aval.shape[0] === 0) return fullLike(outShape, 1, x);
  return squeeze(y, [0]);
}

setJvp(reduceProdP, ([x], [t], params: ReduceParams) => {
  const out = reduceProdP.bind1([x!], params);
  const { tangentsOut } = jvpFlat((y: Array) => productTree(y, params.axes), [x!], [t!], { instantiate: false });
  return [[out], [tangentsOut[0] ?? null]];
});

/** JAX's _reduce_chooser_jvp_rule: the mean of the tangents where the operand equals the result. */
function chooserJvp(p: typeof reduceMaxP): void {
  setJvp(p, ([x], [g], params: ReduceParams) => {
    const ans = p.bind1([x!], params);
    const { axes } = params;
    const shape = x!.aval.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const location = convertElementType(eq(x!, reshape(ans, shape)), g!.dtype);
    const counts = reduceSum(location, axes);
    return [[ans], [div(reduceSum(mul(g!, location), axes), counts)]];
  });
}
chooserJvp(reduceMaxP);
chooserJvp(reduceMinP);
for (const p of [reduceAndP, reduceOrP, reduceXorP, argmaxP, argminP]) defjvpZero(p);

// JAX's reducer_batcher: reduced axes at or after the batch axis move up by one.
for (const p of [reduceSumP, reduceProdP, reduceMaxP, reduceMinP, reduceAndP, reduceOrP, reduceXorP, argmaxP, argminP]) {
  setBatch(p, ([x], [d], params: ReduceParams) => {
    const b = d!;
    const axes = params.axes.map((a) => (a < b ? a : a + 1));
    return [[p.bind1([x!], { ...params, axes })], [b - axes.filter((a) => a < b).length]];
  });
}

// --- reduce_window_*

defjvpLinear(reduceWindowSumP);

/** jax convolution._conv_general_vjp_lhs_padding. */
function convVjpLhsPadding(
  inShape: readonly number[],
  windowDimensions: readonly number[],
  windowStrides: readonly number[],
  outShape: readonly number[],
  padding: readonly (readonly [number, number])[],
  lhsDilation: readonly number[],
  rhsDilation: readonly number[],
): [number, number][] {
  return inShape.map((d, i) => {
    const lhs = dilateDim(d, lhsDilation[i]!);
    const rhs = dilateDim(windowDimensions[i]!, rhsDilation[i]!);
    const out = dilateDim(outShape[i]!, windowStrides[i]!);
    const before = rhs - padding[i]![0] - 1;
    return [before, lhs + rhs - 1 - out - before];
  });
}

// JAX's _reduce_window_sum_transpose_rule: pad the cotangent (strides become
// interior padding) and sum windows over it, striding by the base dilation.
setTranspose(reduceWindowSumP, ([ct], [x], params: ReduceWindowParams) => {
  const t = ct!;
  const inShape = x!.aval.shape;
  const pads = convVjpLhsPadding(
    inShape,
    params.window_dimensions,
    params.window_strides,
    t.aval.shape,
    params.padding,
    params.base_dilation,
    params.window_dilation,
  );
  const padded = pad(
    t,
    scalar(0, t.dtype, false),
    pads.map(([lo, hi], i) => [lo, hi, params.window_strides[i]! - 1]),
  );
  return [
    reduceWindowSumP.bind1([padded], {
      base_dilation: inShape.map(() => 1),
      padding: inShape.map(() => [0, 0]),
      window_dilation: [...params.window_dilation],
      window_dimensions: [...params.window_dimensions],
      window_strides: [...params.base_dilation],
    }),
  ];
});

/**
 * JVP of reduce_window_max / min: the tangent at the first position of each
 * window that attains the result (the choice of JAX's select_and_gather_add).
 */
function windowChooserJvp(p: typeof reduceWindowMaxP, isMax: boolean): void {
  setJvp(p, ([x], [t], params: ReduceWindowParams) => {
    const out = p.bind1([x!], params);
    const outShape = out.aval.shape;
    const nd = outShape.length;
    if (nd === 0) return [[out], [t!]];
    if (outShape.some((d) => d === 0)) return [[out], [null]];
    const { window_dimensions: wd, window_strides: ws, window_dilation: wdil } = params;
    // Operand and tangent as the windows see them: padded, with dilation holes.
    const cfg = params.padding.map(([lo, hi], i) => [lo, hi, params.base_dilation[i]! - 1]);
    const identity = isMax ? maxIdentity(x!.dtype) : minIdentity(x!.dtype);
    const xp = pad(x!, scalar(identity, x!.dtype, false), cfg);
    // The values at each window offset (row-major over the window), stacked.
    const offsets = range(prod(wd)).map((k) => wd.map((_, i) => Math.floor(k / prod(wd.slice(i + 1))) % wd[i]!));
    const views = offsets.map((o) => {
      const start = o.map((k, i) => k * wdil[i]!);
      const view = sliceOp(xp, start, start.map((s, i) => s + (outShape[i]! - 1) * ws[i]! + 1), ws);
      return reshape(view, [1, ...outShape]);
    });
    const choice = (isMax ? argmax : argmin)(concatenate(views, 0), 0, int32);
    // Where the chosen element sits in the padded operand.
    const columns = range(nd).map((i) => {
      const offset = rem(div(choice, prod(wd.slice(i + 1))), wd[i]!);
      const position = add(mul(broadcastedIota(int32, outShape, i), ws[i]!), mul(offset, wdil[i]!));
      return reshape(position, [...outShape, 1]);
    });
    const indices = concatenate(columns, nd);
    const tp = pad(t!, scalar(0, t!.dtype, false), cfg);
    const dnums = new GatherDimensionNumbers({ offsetDims: [], collapsedSliceDims: range(nd), startIndexMap: range(nd) });
    return [[out], [gather(tp, indices, dnums, outShape.map(() => 1))]];
  });
}
windowChooserJvp(reduceWindowMaxP, true);
windowChooserJvp(reduceWindowMinP, false);

// JAX's _reduce_window_batch_rule: a window of 1 along the batch axis.
for (const p of [reduceWindowSumP, reduceWindowMaxP, reduceWindowMinP]) {
  setBatch(p, ([x], [d], params: ReduceWindowParams) => {
    const b = d!;
    return [
      [
        p.bind1([x!], {
          base_dilation: insertAt(params.base_dilation, b, 1),
          padding: insertAt(params.padding, b, [0, 0] as const),
          window_dilation: insertAt(params.window_dilation, b, 1),
          window_dimensions: insertAt(params.window_dimensions, b, 1),
          window_strides: insertAt(params.window_strides, b, 1),
        }),
      ],
      [b],
    ];
  });
}

// --- cumulative reductions

defjvpLinear(cumsumP);
setTranspose(cumsumP, ([ct], _args, { axis, reverse }: CumulativeParams) => [cumsum(ct!, axis, !reverse)]);

/** JAX's _interleave: a[0], b[0], a[1], b[1], ... along `axis` (a has as many elements as b, or one more). */
function interleave(a: Array, b: Array, axis: number): Array {
  const same = a.aval.shape[axis] === b.aval.shape[axis];
  const cfg = (lo: number, hi: number) => a.aval.shape.map((_, i) => (i === axis ? [lo, hi, 1] : [0, 0, 0]));
  const op = a.dtype === bool ? bitwiseOr : add;
  return op(pad(a, scalar(0, a.dtype, false), cfg(0, same ? 1 : 0)), pad(b, scalar(0, b.dtype, false), cfg(1, same ? 0 : 1)));
}

/** JAX's lax.associative_scan of one array: the Blelloch-style parallel prefix scan of `fn`. */
function associativeScan(fn: (a: Array, b: Array) => Array, x: Array, axis: number, reverse: boolean): Array {
  const sl = (e: Array, start: number, stop: number, stride = 1) => sliceInDim(e, start, stop, stride, axis);
  const scan = (e: Array): Array => {
    const n = e.aval.shape[axis]!;
    if (n < 2) return e;
    const odd = scan(fn(sl(e, 0, n - 1, 2), sl(e, 1, n, 2)));
    const m = odd.aval.shape[axis]!;
    const even = n % 2 === 0 ? fn(sl(odd, 0, m - 1), sl(e, 2, n, 2)) : fn(odd, sl(e, 2, n, 2));
    return interleave(concatenate([sl(e, 0, 1), even], axis), odd, axis);
  };
  const r = scan(reverse ? rev(x, [axis]) : x);
  return reverse ? rev(r, [axis]) : r;
}

/**
 * log(exp(a) + exp(b)) as m + log(exp(a - m) + exp(b - m)) with m = max(a, b)
 * held constant: the same values as JAX's logaddexp (infinite m taken as 0), and
 * derivatives of every order exact, also where a == b (where max and abs have
 * kinks).
 */
function logAddExp(a: Array, b: Array): Array {
  const m = stopGradient(max(a, b));
  const shift = select(isFiniteOp(m), m, fullLike(m.aval.shape, 0, m));
  return add(shift, log(add(exp(sub(a, shift)), exp(sub(b, shift)))));
}

/** JAX's _cumulative_jvp_rule: the JVP of the associative scan (the primal from the primitive itself). */
function cumulativeJvp(p: typeof cumprodP, combine: (a: Array, b: Array) => Array): void {
  setJvp(p, ([x], [t], params: CumulativeParams) => {
    const out = p.bind1([x!], params);
    const { tangentsOut } = jvpFlat((y: Array) => associativeScan(combine, y, params.axis, params.reverse), [x!], [t!], {
      instantiate: false,
    });
    return [[out], [tangentsOut[0] ?? null]];
  });
}
cumulativeJvp(cumprodP, (a, b) => mul(a, b));
cumulativeJvp(cummaxP, (a, b) => max(a, b));
cumulativeJvp(cumminP, (a, b) => min(a, b));
cumulativeJvp(cumlogsumexpP, logAddExp);

// JAX's _cumred_batch_rule.
for (const p of [cumsumP, cumprodP, cummaxP, cumminP, cumlogsumexpP]) {
  setBatch(p, ([x], [d], { axis, reverse }: CumulativeParams) => {
    const b = d!;
    return [[p.bind1([x!], { axis: axis < b ? axis : axis + 1, reverse })], [b]];
  });
}
