// conv_general_dilated: XLA's general convolution (strides, explicit padding,
// lhs/rhs dilation, any dimension layout, feature and batch groups), with the
// lax wrappers convGeneralDilated, conv and convWithGeneralPadding.
import { Array, asArray, type ArrayInput } from "../array.js";
import { dtype as toDType, type DType, type DTypeLike } from "../dtypes.js";
import { pyRepr } from "../jaxpr.js";
import { ShapedArray, fmtAval, type Shape } from "../shape.js";
import { definePrimitive } from "./define.js";
import { padtypeToPads } from "./reduction.js";
import { canonicalizePrecision, type CanonicalPrecision, type PrecisionLike } from "./linalg.js";

/**
 * Where the batch/feature/spatial dimensions of each operand are:
 * `lhs_spec = (batch, feature, spatial...)`, `rhs_spec = (out feature, in feature, spatial...)`,
 * `out_spec = (batch, feature, spatial...)`, each a list of axis numbers.
 */
export class ConvDimensionNumbers {
  readonly lhs_spec: readonly number[];
  readonly rhs_spec: readonly number[];
  readonly out_spec: readonly number[];
  constructor(lhsSpec: readonly number[], rhsSpec: readonly number[], outSpec: readonly number[]) {
    this.lhs_spec = Object.freeze([...lhsSpec]);
    this.rhs_spec = Object.freeze([...rhsSpec]);
    this.out_spec = Object.freeze([...outSpec]);
    Object.freeze(this);
  }
  /** JAX's repr of the NamedTuple. */
  toString(): string {
    return `ConvDimensionNumbers(lhs_spec=${pyRepr(this.lhs_spec)}, rhs_spec=${pyRepr(this.rhs_spec)}, out_spec=${pyRepr(this.out_spec)})`;
  }
}

export type ConvDimensionNumbersLike = ConvDimensionNumbers | readonly [string, string, string] | null | undefined;

/** lax.conv_general_permutations: axis numbers from layout strings such as ("NHWC", "HWIO", "NHWC"). */
export function convGeneralPermutations(dimensionNumbers: readonly [string, string, string]): [number[], number[], number[]] {
  const [lhsSpec, rhsSpec, outSpec] = dimensionNumbers;
  const charpairs = [["N", "C"], ["O", "I"], ["N", "C"]] as const;
  dimensionNumbers.forEach((spec, i) => {
    const [a, b] = charpairs[i]!;
    const count = (ch: string) => [...spec].filter((c) => c === ch).length;
    if (count(a) !== 1 || count(b) !== 1) {
      throw new TypeError(
        `[conv_general_dilated] dimension_numbers[${i}] must contain the characters '${a}' and '${b}' exactly once, got ${spec}`,
      );
    }
    if (new Set(spec).size !== spec.length) {
      throw new TypeError(`[conv_general_dilated] dimension_numbers[${i}] cannot have duplicate characters, got ${spec}`);
    }
  });
  const spatial = (spec: string, pair: readonly string[]) =>
    [...spec].filter((c) => !pair.includes(c)).sort().join("");
  if (spatial(lhsSpec, ["N", "C"]) !== spatial(rhsSpec, ["O", "I"]) || spatial(rhsSpec, ["O", "I"]) !== spatial(outSpec, ["N", "C"])) {
    throw new TypeError(
      `[conv_general_dilated] dimension_numbers elements must each have the same set of spatial characters, got ${JSON.stringify(dimensionNumbers)}`,
    );
  }
  // Spatial axes are ordered as they appear in the rhs spec.
  const getperm = (spec: string, pair: readonly string[]) => {
    let sp = [...spec].map((_, i) => i).filter((i) => !pair.includes(spec[i]!));
    if (spec !== rhsSpec) sp = sp.sort((x, y) => rhsSpec.indexOf(spec[x]!) - rhsSpec.indexOf(spec[y]!));
    return [spec.indexOf(pair[0]!), spec.indexOf(pair[1]!), ...sp];
  };
  return [getperm(lhsSpec, charpairs[0]), getperm(rhsSpec, charpairs[1]), getperm(outSpec, charpairs[2])];
}

/** lax.conv_dimension_numbers: canonicalize null / layout strings / ConvDimensionNumbers. */
export function convDimensionNumbers(lhsShape: Shape, rhsShape: Shape, dimensionNumbers: ConvDimensionNumbersLike): ConvDimensionNumbers {
  if (dimensionNumbers instanceof ConvDimensionNumbers) return dimensionNumbers;
  if (lhsShape.length !== rhsShape.length) {
    throw new TypeError(
      `[conv_general_dilated] lhs and rhs must have the same rank, got ${lhsShape.length} and ${rhsShape.length}`,
    );
  }
  if (dimensionNumbers === null || dimensionNumbers === undefined) {
    const iota = lhsShape.map((_, i) => i);
    return new ConvDimensionNumbers(iota, iota, iota);
  }
  if (!globalThis.Array.isArray(dimensionNumbers) || dimensionNumbers.length !== 3) {
    throw new TypeError(
      `[conv_general_dilated] dimension_numbers must be null, a ConvDimensionNumbers or three layout strings, got ${String(dimensionNumbers)}`,
    );
  }
  dimensionNumbers.forEach((spec, i) => {
    if (typeof spec !== "string") {
      throw new TypeError(`[conv_general_dilated] dimension_numbers elements must be strings, got ${JSON.stringify(dimensionNumbers)}`);
    }
    if (spec.length !== lhsShape.length) {
      throw new TypeError(
        `[conv_general_dilated] dimension_numbers[${i}] must have length equal to the rank of lhs and rhs, got ${spec.length} (${spec}) for shapes (${lhsShape.join(",")}) and (${rhsShape.join(",")})`,
      );
    }
  });
  const [l, r, o] = convGeneralPermutations(dimensionNumbers);
  return new ConvDimensionNumbers(l, r, o);
}

// ---------------------------------------------------------------------------
// The primitive

export interface ConvParams {
  window_strides: readonly number[];
  padding: readonly (readonly [number, number])[];
  lhs_dilation: readonly number[];
  rhs_dilation: readonly number[];
  dimension_numbers: ConvDimensionNumbers;
  feature_group_count: number;
  batch_group_count: number;
  precision: CanonicalPrecision;
  preferred_element_type: DType | null;
  out_sharding: null;
}

const dilateDim = (d: number, r: number) => (r === 1 ? d : Math.max(0, 1 + r * (d - 1)));
const strideDim = (d: number, w: number, s: number) => Math.max(0, Math.floor((d - w) / s) + 1);
const isPerm = (spec: readonly number[], n: number) =>
  spec.length === n && new Set(spec).size === n && spec.every((a) => Number.isInteger(a) && a >= 0 && a < n);
const tuple = (xs: readonly unknown[]) => pyRepr(xs);

function checkPositiveInts(name: string, xs: readonly number[], n: number, ctx: string): void {
  if (!globalThis.Array.isArray(xs) || xs.length !== n) {
    throw new TypeError(`[conv_general_dilated] ${name} must have one entry per spatial dimension (${n}), got ${JSON.stringify(xs)}: ${ctx}`);
  }
  if (xs.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new RangeError(`[conv_general_dilated] ${name} must be positive integers, got ${tuple(xs)}: ${ctx}`);
  }
}

/** jax _validate_preferred_element_type, for conv. */
function checkPreferred(input: DType, pref: DType, ctx: string): void {
  const cat = (d: DType) => (d.kind === "i" || d.kind === "u" ? "integral" : d.kind === "f" ? "floating" : "bool");
  if (!(cat(input) === "integral" && cat(pref) === "floating")) {
    if (cat(input) !== "bool" && cat(input) !== cat(pref)) {
      throw new TypeError(
        `[conv_general_dilated] input type ${input.name} is incompatible with preferred_element_type ${pref.name} (allowed: integral to integral or floating, floating to floating): ${ctx}`,
      );
    }
    if (input.kind === "i" && pref.kind !== "i") {
      throw new TypeError(
        `[conv_general_dilated] preferred_element_type ${pref.name} must have the same signedness as ${input.name}: ${ctx}`,
      );
    }
  }
  if (pref.itemsize < input.itemsize) {
    throw new TypeError(`[conv_general_dilated] preferred_element_type ${pref.name} must not be narrower than ${input.name}: ${ctx}`);
  }
}

export const convGeneralDilatedP = definePrimitive("conv_general_dilated", (avals, params: ConvParams) => {
  if (avals.length !== 2) throw new TypeError(`[conv_general_dilated] takes two operands, got ${avals.length}`);
  const [lhs, rhs] = avals as [ShapedArray, ShapedArray];
  const ctx = `${fmtAval(lhs)} x ${fmtAval(rhs)}`;
  if (lhs.ndim !== rhs.ndim) {
    throw new TypeError(`[conv_general_dilated] lhs and rhs must have the same rank: ${ctx}`);
  }
  if (lhs.ndim < 2) {
    throw new TypeError(`[conv_general_dilated] operands need a batch and a feature dimension (rank >= 2): ${ctx}`);
  }
  const dn = params.dimension_numbers;
  if (!(dn instanceof ConvDimensionNumbers)) {
    throw new TypeError(`[conv_general_dilated] dimension_numbers must be a ConvDimensionNumbers`);
  }
  for (const [name, spec] of [["lhs_spec", dn.lhs_spec], ["rhs_spec", dn.rhs_spec], ["out_spec", dn.out_spec]] as const) {
    if (!isPerm(spec, lhs.ndim)) {
      throw new TypeError(`[conv_general_dilated] dimension_numbers.${name} ${tuple(spec)} is not a permutation of the ${lhs.ndim} axes: ${ctx}`);
    }
  }
  const ns = lhs.ndim - 2;
  const fg = params.feature_group_count;
  const bg = params.batch_group_count;
  if (!Number.isInteger(fg) || fg < 1) {
    throw new RangeError(`[conv_general_dilated] feature_group_count must be a positive integer, got ${fg}`);
  }
  const lhsFeatures = lhs.shape[dn.lhs_spec[1]!]!;
  const rhsIn = rhs.shape[dn.rhs_spec[1]!]!;
  const rhsOut = rhs.shape[dn.rhs_spec[0]!]!;
  if (lhsFeatures % fg !== 0) {
    throw new TypeError(
      `[conv_general_dilated] feature_group_count ${fg} must divide the lhs feature dimension ${lhsFeatures}: ${ctx}`,
    );
  }
  if (lhsFeatures / fg !== rhsIn) {
    throw new TypeError(
      `[conv_general_dilated] lhs feature dimension ${lhsFeatures} / feature_group_count ${fg} must equal the rhs input feature dimension ${rhsIn}: ${ctx}`,
    );
  }
  if (rhsOut % fg !== 0) {
    throw new TypeError(
      `[conv_general_dilated] rhs output feature dimension ${rhsOut} must be a multiple of feature_group_count ${fg}: ${ctx}`,
    );
  }
  if (!Number.isInteger(bg) || bg < 1) {
    throw new RangeError(`[conv_general_dilated] batch_group_count must be a positive integer, got ${bg}`);
  }
  const lhsBatch = lhs.shape[dn.lhs_spec[0]!]!;
  if (bg > 1 && lhsBatch % bg !== 0) {
    throw new TypeError(`[conv_general_dilated] batch_group_count ${bg} must divide the lhs batch dimension ${lhsBatch}: ${ctx}`);
  }
  if (rhsOut % bg !== 0) {
    throw new TypeError(
      `[conv_general_dilated] rhs output feature dimension ${rhsOut} must be a multiple of batch_group_count ${bg}: ${ctx}`,
    );
  }
  if (bg > 1 && fg > 1) {
    throw new TypeError(
      `[conv_general_dilated] at most one of batch_group_count and feature_group_count may be > 1, got batch_group_count=${bg} and feature_group_count=${fg}`,
    );
  }
  checkPositiveInts("window_strides", params.window_strides, ns, ctx);
  checkPositiveInts("lhs_dilation", params.lhs_dilation, ns, ctx);
  checkPositiveInts("rhs_dilation", params.rhs_dilation, ns, ctx);
  const pads = params.padding;
  if (!globalThis.Array.isArray(pads) || pads.length !== ns || pads.some((p) => p.length !== 2 || !p.every(Number.isInteger))) {
    throw new TypeError(
      `[conv_general_dilated] padding must be one (low, high) pair of integers per spatial dimension (${ns}), got ${JSON.stringify(pads)}: ${ctx}`,
    );
  }

  const outSpatial: number[] = [];
  for (let d = 0; d < ns; d++) {
    const inSize = dilateDim(lhs.shape[dn.lhs_spec[d + 2]!]!, params.lhs_dilation[d]!);
    const window = dilateDim(rhs.shape[dn.rhs_spec[d + 2]!]!, params.rhs_dilation[d]!);
    const padded = inSize + pads[d]![0] + pads[d]![1];
    if (padded < 0) {
      throw new RangeError(
        `[conv_general_dilated] negative padding ${tuple(pads[d]!)} is larger than spatial dimension ${d} of size ${inSize}: ${ctx}`,
      );
    }
    outSpatial.push(strideDim(padded, window, params.window_strides[d]!));
  }
  const outTrans = [bg > 1 ? lhsBatch / bg : lhsBatch, rhsOut, ...outSpatial];
  const shape = new globalThis.Array<number>(lhs.ndim);
  dn.out_spec.forEach((axis, i) => (shape[axis] = outTrans[i]!));

  if (lhs.dtype !== rhs.dtype) {
    throw new TypeError(`[conv_general_dilated] requires arguments to have the same dtypes, got ${ctx}`);
  }
  let dtype = lhs.dtype;
  const pref = params.preferred_element_type;
  if (pref !== null && pref !== undefined) {
    checkPreferred(dtype, pref, ctx);
    dtype = pref;
  }
  return new ShapedArray(shape, dtype, lhs.weakType && rhs.weakType);
});

// ---------------------------------------------------------------------------
// lax functions

export type ConvPadding = "SAME" | "VALID" | "SAME_LOWER" | string | readonly (readonly [number, number])[];

export interface ConvOptions {
  lhsDilation?: readonly number[] | null;
  rhsDilation?: readonly number[] | null;
  dimensionNumbers?: ConvDimensionNumbersLike;
  featureGroupCount?: number;
  batchGroupCount?: number;
  precision?: PrecisionLike;
  preferredElementType?: DTypeLike | null;
}

/**
 * lax.conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation,
 * rhs_dilation, dimension_numbers, feature_group_count, batch_group_count,
 * precision, preferred_element_type).
 */
export function convGeneralDilated(
  lhs: ArrayInput,
  rhs: ArrayInput,
  windowStrides: readonly number[],
  padding: ConvPadding,
  opts: ConvOptions = {},
): Array {
  const x = asArray(lhs);
  const w = asArray(rhs);
  const dn = convDimensionNumbers(x.shape, w.shape, opts.dimensionNumbers);
  const ns = x.ndim - 2;
  const lhsDilation = opts.lhsDilation ?? new globalThis.Array<number>(Math.max(ns, 0)).fill(1);
  const rhsDilation = opts.rhsDilation ?? new globalThis.Array<number>(Math.max(w.ndim - 2, 0)).fill(1);
  let pads: [number, number][];
  if (typeof padding === "string") {
    if (!["SAME", "VALID", "SAME_LOWER"].includes(padding.toUpperCase())) {
      throw new TypeError(`[conv_general_dilated] unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got '${padding}'`);
    }
    if (lhsDilation.some((d) => d !== 1)) {
      throw new TypeError(
        "[conv_general_dilated] string padding is not implemented for transposed convolution (lhs_dilation != 1); give the padding explicitly",
      );
    }
    const rhsSpatial = dn.rhs_spec.slice(2).map((a, i) => dilateDim(w.shape[a]!, rhsDilation[i] ?? 1));
    const lhsSpatial = dn.lhs_spec.slice(2).map((a) => x.shape[a]!);
    checkPositiveInts("window_strides", windowStrides, lhsSpatial.length, `${fmtAval(x.aval)} x ${fmtAval(w.aval)}`);
    pads = padtypeToPads(lhsSpatial, rhsSpatial, windowStrides, padding);
  } else {
    if (!globalThis.Array.isArray(padding) || padding.some((p) => !globalThis.Array.isArray(p) || p.length !== 2)) {
      throw new TypeError(
        `[conv_general_dilated] padding must be 'SAME', 'VALID', 'SAME_LOWER' or a list of (low, high) pairs, got ${JSON.stringify(padding)}`,
      );
    }
    pads = padding.map(([lo, hi]) => [lo, hi]);
  }
  const pref = opts.preferredElementType;
  return convGeneralDilatedP.bind1([x, w], {
    window_strides: Object.freeze([...windowStrides]),
    padding: Object.freeze(pads.map((p) => Object.freeze(p))),
    lhs_dilation: Object.freeze([...lhsDilation]),
    rhs_dilation: Object.freeze([...rhsDilation]),
    dimension_numbers: dn,
    feature_group_count: opts.featureGroupCount ?? 1,
    batch_group_count: opts.batchGroupCount ?? 1,
    precision: canonicalizePrecision(opts.precision, "conv_general_dilated"),
    preferred_element_type: pref === null || pref === undefined ? null : toDType(pref),
    out_sharding: null,
  } satisfies ConvParams);
}

export interface ConvPrecisionOptions {
  precision?: PrecisionLike;
  preferredElementType?: DTypeLike | null;
}

/** lax.conv: NCHW/OIHW layouts, no dilation. */
export function conv(
  lhs: ArrayInput,
  rhs: ArrayInput,
  windowStrides: readonly number[],
  padding: ConvPadding,
  opts: ConvPrecisionOptions = {},
): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding, opts);
}

/** lax.conv_with_general_padding: conv with explicit padding and dilations. */
export function convWithGeneralPadding(
  lhs: ArrayInput,
  rhs: ArrayInput,
  windowStrides: readonly number[],
  padding: ConvPadding,
  lhsDilation: readonly number[] | null,
  rhsDilation: readonly number[] | null,
  opts: ConvPrecisionOptions = {},
): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding, { ...opts, lhsDilation, rhsDilation });
}

// ---------------------------------------------------------------------------
// Transformation rules for conv_general_dilated (bilinear), following JAX's
// _conv_general_dilated_transpose_lhs/rhs and _conv_general_dilated_batch_rule.
import { setJvp, type Tangent } from "../transforms/jvp.js";
import { addAny, zerosLike } from "../transforms/zeros.js";
import { isUndef, setTranspose } from "../transforms/transpose.js";
import { setBatch } from "../transforms/vmap.js";
import { reshape as reshapeOp, rev as revOp } from "./structural.js";
import { convertElementType } from "./elementwise.js";

/**
 * Merge axis `src` of x into axis `dst` (numbered after `src` is removed), `src`
 * becoming the major part of the merged axis (JAX's _reshape_axis_into).
 */
function reshapeAxisInto(src: number, dst: number, x: Array): Array {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const shape = x.shape.filter((_, i) => i !== src);
  shape[dst] = shape[dst]! * x.shape[src]!;
  return reshapeOp(x, shape, perm);
}

/** Split axis `src` of x into `[size1, rest]` (JAX's _reshape_axis_out_of). */
function reshapeAxisOutOf(src: number, size1: number, x: Array): Array {
  const shape = [...x.shape];
  shape.splice(src, 1, size1, shape[src]! / size1);
  return reshapeOp(x, shape);
}

/** (feature, batch, spatial...) ↔ (batch, feature, spatial...): swap the first two entries of a spec. */
const specTranspose = (spec: readonly number[]) => [spec[1]!, spec[0]!, ...spec.slice(2)];
const sdims = (shape: Shape, spec: readonly number[]) => spec.slice(2).map((a) => shape[a]!);
const dilateShape = (shape: readonly number[], dil: readonly number[]) => shape.map((d, i) => dilateDim(d, dil[i]!));
const asCt = (x: Array, dtype: DType) => (x.dtype === dtype ? x : convertElementType(x, dtype));

/** Padding of the conv computing the lhs cotangent (JAX's _conv_general_vjp_lhs_padding). */
function vjpLhsPadding(
  inShape: number[], window: number[], strides: readonly number[], outShape: number[],
  padding: ConvParams["padding"], lhsDil: readonly number[], rhsDil: readonly number[],
): [number, number][] {
  const lhsD = dilateShape(inShape, lhsDil);
  const rhsD = dilateShape(window, rhsDil);
  const outD = dilateShape(outShape, strides);
  return lhsD.map((l, i) => {
    const before = rhsD[i]! - padding[i]![0] - 1;
    return [before, l + rhsD[i]! - 1 - outD[i]! - before];
  });
}

/** Padding of the conv computing the rhs cotangent (JAX's _conv_general_vjp_rhs_padding). */
function vjpRhsPadding(
  inShape: number[], window: number[], strides: readonly number[], outShape: number[],
  padding: ConvParams["padding"], lhsDil: readonly number[], rhsDil: readonly number[],
): [number, number][] {
  const lhsD = dilateShape(inShape, lhsDil);
  const rhsD = dilateShape(window, rhsDil);
  const outD = dilateShape(outShape, strides);
  return lhsD.map((l, i) => {
    const lo = padding[i]![0];
    return [lo, outD[i]! - l + (rhsD[i]! - lo - 1)];
  });
}

const freezePads = (pads: [number, number][]) => Object.freeze(pads.map((p) => Object.freeze(p)));

setJvp(convGeneralDilatedP, ([x, y], [tx, ty], params: ConvParams) => {
  const out = convGeneralDilatedP.bind1([x!, y!], params);
  let t: Tangent = null;
  if (tx) t = convGeneralDilatedP.bind1([tx, y!], params);
  if (ty) {
    const c = convGeneralDilatedP.bind1([x!, ty], params);
    t = t === null ? c : addAny(t, c);
  }
  return [[out], [t]];
});

/** Cotangent of the lhs: a conv of g with the spatially flipped kernel. */
function convTransposeLhs(g: Array, lhsAval: ShapedArray, rhs: Array, params: ConvParams): Array {
  const { lhs_spec: lhsSpec, rhs_spec: rhsSpec, out_spec: outSpec } = params.dimension_numbers;
  const bg = params.batch_group_count;
  let fg = params.feature_group_count;
  const rhsShape = rhs.shape;
  let w = rhs;
  if (fg > 1) {
    // Move the feature-group axis into the transposed kernel's output feature dim.
    w = reshapeAxisInto(rhsSpec[0]!, rhsSpec[1]!, reshapeAxisOutOf(rhsSpec[0]!, fg, w));
  } else if (bg > 1) {
    w = reshapeAxisInto(rhsSpec[0]!, rhsSpec[1]!, reshapeAxisOutOf(rhsSpec[0]!, bg, w));
    fg = bg;
  }
  const padding = vjpLhsPadding(
    sdims(lhsAval.shape, lhsSpec), sdims(rhsShape, rhsSpec), params.window_strides, sdims(g.shape, outSpec),
    params.padding, params.lhs_dilation, params.rhs_dilation,
  );
  const revd = asCt(revOp(w, rhsSpec.slice(2)), g.dtype);
  let out = convGeneralDilatedP.bind1([g, revd], {
    ...params,
    window_strides: params.lhs_dilation,
    padding: freezePads(padding),
    lhs_dilation: params.window_strides,
    dimension_numbers: new ConvDimensionNumbers(outSpec, specTranspose(rhsSpec), lhsSpec),
    feature_group_count: fg,
    batch_group_count: 1,
  } satisfies ConvParams);
  out = asCt(out, lhsAval.dtype);
  if (bg > 1) out = reshapeAxisInto(lhsSpec[1]!, lhsSpec[0]!, reshapeAxisOutOf(lhsSpec[1]!, bg, out));
  return out;
}

/** Cotangent of the rhs: a conv of lhs with g, batch and feature roles swapped. */
function convTransposeRhs(g: Array, lhs: Array, rhsAval: ShapedArray, params: ConvParams): Tangent {
  // An empty cotangent would make a conv whose kernel has spatial size 0.
  if (g.size === 0) return null;
  const dn = params.dimension_numbers;
  let fg = params.feature_group_count;
  let bg = params.batch_group_count;
  if (bg > 1) [fg, bg] = [bg, 1];
  else if (fg > 1) [fg, bg] = [1, fg];
  const padding = vjpRhsPadding(
    sdims(lhs.shape, dn.lhs_spec), sdims(rhsAval.shape, dn.rhs_spec), params.window_strides, sdims(g.shape, dn.out_spec),
    params.padding, params.lhs_dilation, params.rhs_dilation,
  );
  const out = convGeneralDilatedP.bind1([asCt(lhs, g.dtype), g], {
    ...params,
    window_strides: params.rhs_dilation,
    padding: freezePads(padding),
    rhs_dilation: params.window_strides,
    dimension_numbers: new ConvDimensionNumbers(specTranspose(dn.lhs_spec), specTranspose(dn.out_spec), specTranspose(dn.rhs_spec)),
    feature_group_count: fg,
    batch_group_count: bg,
  } satisfies ConvParams);
  return asCt(out, rhsAval.dtype);
}

setTranspose(convGeneralDilatedP, ([ct], [x, y], params: ConvParams) => {
  if (ct === null) return [null, null];
  if (isUndef(x!) && isUndef(y!)) throw new Error("[conv_general_dilated] transpose: both operands are linear");
  if (isUndef(x!)) return [convTransposeLhs(ct, x.aval, y as Array, params), null];
  return [null, convTransposeRhs(ct, x as Array, (y as { aval: ShapedArray }).aval, params)];
});

setBatch(convGeneralDilatedP, ([lhs, rhs], [ld, rd], params: ConvParams, axisSize) => {
  const { lhs_spec: lhsSpec, rhs_spec: rhsSpec, out_spec: outSpec } = params.dimension_numbers;
  const fg = params.feature_group_count;
  const bg = params.batch_group_count;
  const conv = (a: Array, b: Array, over: Partial<ConvParams> = {}) => convGeneralDilatedP.bind1([a, b], { ...params, ...over });
  if (axisSize === 0) {
    // Folding a size-0 axis into batch or feature dims would lose the other sizes.
    const unbatched = (v: Array, d: number | null) => (d === null ? v.aval : new ShapedArray(v.shape.filter((_, i) => i !== d), v.dtype));
    const aval = convGeneralDilatedP.abstractEval([unbatched(lhs!, ld ?? null), unbatched(rhs!, rd ?? null)], params)[0]!;
    return [[zerosLike(new ShapedArray([0, ...aval.shape], aval.dtype))], [0]];
  }
  if (ld !== null && rd !== null) {
    // Both batched: the vmapped axis becomes extra feature (or batch) groups.
    let newLhs: Array;
    let over: Partial<ConvParams>;
    if (bg > 1) {
      newLhs = reshapeAxisInto(ld!, lhsSpec[0]!, lhs!);
      over = { batch_group_count: bg * axisSize };
    } else {
      newLhs = reshapeAxisInto(ld!, lhsSpec[1]!, lhs!);
      over = { feature_group_count: fg * axisSize };
    }
    const newRhs = reshapeAxisInto(rd!, rhsSpec[0]!, rhs!);
    const out = conv(newLhs, newRhs, over);
    return [[reshapeAxisOutOf(outSpec[1]!, axisSize, out)], [outSpec[1]!]];
  }
  if (ld !== null) {
    if (bg === 1) {
      const out = conv(reshapeAxisInto(ld, lhsSpec[0]!, lhs!), rhs!);
      return [[reshapeAxisOutOf(outSpec[0]!, axisSize, out)], [outSpec[0]!]];
    }
    // Batch groups must stay outermost in the lhs batch dim: [groups, vmapped, batch/groups].
    let x = reshapeAxisOutOf(lhsSpec[0]! + (ld <= lhsSpec[0]! ? 1 : 0), bg, lhs!);
    x = reshapeAxisInto(ld + (lhsSpec[0]! < ld ? 1 : 0), lhsSpec[0]! + 1, x);
    x = reshapeAxisInto(lhsSpec[0]!, lhsSpec[0]!, x);
    const out = conv(x, rhs!);
    return [[reshapeAxisOutOf(outSpec[0]!, axisSize, out)], [outSpec[0]!]];
  }
  // Only rhs batched.
  const r = rd!;
  if (fg === 1 && bg === 1) {
    const out = conv(lhs!, reshapeAxisInto(r, rhsSpec[0]!, rhs!));
    return [[reshapeAxisOutOf(outSpec[1]!, axisSize, out)], [outSpec[1]!]];
  }
  // Groups must stay outermost in the rhs output feature dim: [groups, vmapped, rest].
  const groups = fg > 1 ? fg : bg;
  let w = reshapeAxisOutOf(rhsSpec[0]! + (r <= rhsSpec[0]! ? 1 : 0), groups, rhs!);
  w = reshapeAxisInto(r + (rhsSpec[0]! < r ? 1 : 0), rhsSpec[0]! + 1, w);
  w = reshapeAxisInto(rhsSpec[0]!, rhsSpec[0]!, w);
  let out = conv(lhs!, w);
  out = reshapeAxisOutOf(outSpec[1]!, groups, out);
  out = reshapeAxisOutOf(outSpec[1]! + 1, axisSize, out);
  out = reshapeAxisInto(outSpec[1]!, outSpec[1]! + 1, out);
  return [[out], [outSpec[1]!]];
});
