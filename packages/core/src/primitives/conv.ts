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
