// dot_general: the general tensor contraction (XLA's DotGeneral), with the
// lax wrappers dotGeneral, dot and batchMatmul, and the Precision enum that
// dot_general and conv_general_dilated share.
//
// Output dimensions are XLA's: batch dims (in lhs_batch order), then the lhs
// free dims, then the rhs free dims (each in increasing axis order).
import { Array, asArray, type ArrayInput } from "../array.js";
import { dtype as toDType, type DType, type DTypeLike } from "../dtypes.js";
import { PyList } from "../jaxpr.js";
import { ShapedArray, fmtAval } from "../shape.js";
import { definePrimitive } from "./define.js";

// ---------------------------------------------------------------------------
// Precision

/** lax.Precision: a hint for accelerators (the CPU backend always computes at full precision). */
export class Precision {
  static readonly DEFAULT = new Precision("DEFAULT", 0);
  static readonly HIGH = new Precision("HIGH", 1);
  static readonly HIGHEST = new Precision("HIGHEST", 2);

  private constructor(
    readonly name: "DEFAULT" | "HIGH" | "HIGHEST",
    readonly value: number,
  ) {
    Object.freeze(this);
  }
  /** JAX's repr: `Precision.HIGHEST`. */
  toString(): string {
    return `Precision.${this.name}`;
  }
  toJSON(): string {
    return this.name;
  }
}

// JAX's _precision_strings.
const precisionStrings: Record<string, Precision> = {
  highest: Precision.HIGHEST,
  float32: Precision.HIGHEST,
  high: Precision.HIGH,
  bfloat16_3x: Precision.HIGH,
  tensorfloat32: Precision.HIGH,
  default: Precision.DEFAULT,
  bfloat16: Precision.DEFAULT,
  fastest: Precision.DEFAULT,
};

type PrecisionOne = Precision | keyof typeof precisionStrings | "DEFAULT" | "HIGH" | "HIGHEST";
export type PrecisionLike = PrecisionOne | readonly [PrecisionOne, PrecisionOne] | null | undefined;
/** The canonical param value: null or a pair (lhs, rhs). */
export type CanonicalPrecision = readonly [Precision, Precision] | null;

function onePrecision(op: string, p: unknown): Precision {
  if (p instanceof Precision) return p;
  if (typeof p === "string") {
    const r = precisionStrings[p] ?? (Precision as unknown as Record<string, Precision | undefined>)[p];
    if (r instanceof Precision) return r;
  }
  throw new TypeError(
    `[${op}] precision must be null, a lax.Precision, one of ${Object.keys(precisionStrings).join(", ")}, or a pair of these; got ${String(p)}`,
  );
}

/** lax.canonicalize_precision: null, or the same precision for both operands, or a pair. */
export function canonicalizePrecision(precision: PrecisionLike, op = "dot_general"): CanonicalPrecision {
  if (precision === null || precision === undefined) return null;
  if (globalThis.Array.isArray(precision)) {
    if (precision.length !== 2) {
      throw new TypeError(`[${op}] a precision pair must have 2 entries, got ${precision.length}`);
    }
    return Object.freeze([onePrecision(op, precision[0]), onePrecision(op, precision[1])] as const);
  }
  const p = onePrecision(op, precision);
  return Object.freeze([p, p] as const);
}

// ---------------------------------------------------------------------------
// dtype rules shared with conv_general_dilated

/** XLA's HigherPrecisionType ordering key (jax _dot_general_dtype_rule's type_properties). */
function typeProperties(d: DType): number[] {
  const [maxexp, nmant] = d.name === "float16" ? [16, 10] : d.name === "float32" ? [128, 23] : d.name === "float64" ? [1024, 52] : [-1, -1];
  const bits = d.kind === "b" ? 1 : d.bits;
  return [maxexp, nmant, bits, d.kind === "u" ? 0 : 1];
}

function compareProps(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function bitWidth(d: DType): number {
  return d.kind === "b" ? 1 : d.bits;
}

// ---------------------------------------------------------------------------
// dot_general

/** ((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch)). */
export type DotDimensionNumbers = readonly [
  readonly [readonly number[], readonly number[]],
  readonly [readonly number[], readonly number[]],
];

export interface DotGeneralParams {
  dimension_numbers: DotDimensionNumbers;
  precision: CanonicalPrecision;
  preferred_element_type: DType | null;
  out_sharding: null;
}

const fmtDims = (d: readonly number[]) => `[${d.join(", ")}]`;

function checkDims(which: "lhs" | "rhs", dims: readonly number[], what: string, a: ShapedArray, ctx: string): void {
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d >= a.ndim) {
      throw new RangeError(
        `[dot_general] ${which} ${what} dimension ${d} is out of range for ${which} of rank ${a.ndim}: ${ctx}`,
      );
    }
  }
  if (new Set(dims).size !== dims.length) {
    throw new RangeError(`[dot_general] ${which} ${what} dimensions ${fmtDims(dims)} contain a repeated axis: ${ctx}`);
  }
}

export const dotGeneralP = definePrimitive("dot_general", (avals, params: DotGeneralParams) => {
  if (avals.length !== 2) throw new TypeError(`[dot_general] takes two operands, got ${avals.length}`);
  const [lhs, rhs] = avals as [ShapedArray, ShapedArray];
  const ctx = `${fmtAval(lhs)} x ${fmtAval(rhs)}`;
  const [[lc, rc], [lb, rb]] = params.dimension_numbers;
  checkDims("lhs", lc, "contracting", lhs, ctx);
  checkDims("rhs", rc, "contracting", rhs, ctx);
  checkDims("lhs", lb, "batch", lhs, ctx);
  checkDims("rhs", rb, "batch", rhs, ctx);
  if (lb.length !== rb.length) {
    throw new TypeError(
      `[dot_general] lhs and rhs need the same number of batch dimensions, got ${fmtDims(lb)} and ${fmtDims(rb)}: ${ctx}`,
    );
  }
  if (lc.length !== rc.length) {
    throw new TypeError(
      `[dot_general] lhs and rhs need the same number of contracting dimensions, got ${fmtDims(lc)} and ${fmtDims(rc)}: ${ctx}`,
    );
  }
  for (const [which, c, b] of [["lhs", lc, lb], ["rhs", rc, rb]] as const) {
    const both = c.filter((d) => b.includes(d));
    if (both.length) {
      throw new TypeError(
        `[dot_general] ${which} dimension ${both[0]} is both a batch and a contracting dimension (batch ${fmtDims(b)}, contracting ${fmtDims(c)}): ${ctx}`,
      );
    }
  }
  lb.forEach((d, i) => {
    if (lhs.shape[d] !== rhs.shape[rb[i]!]) {
      throw new TypeError(`[dot_general] batch dims ${lhs.shape[d]} and ${rhs.shape[rb[i]!]} do not match: ${ctx}`);
    }
  });
  lc.forEach((d, i) => {
    if (lhs.shape[d] !== rhs.shape[rc[i]!]) {
      throw new TypeError(`[dot_general] contracting dims ${lhs.shape[d]} and ${rhs.shape[rc[i]!]} do not match: ${ctx}`);
    }
  });

  // dtype: the operand of higher precision (XLA's rule); equal rank but different dtypes is an error.
  const cmp = compareProps(typeProperties(lhs.dtype), typeProperties(rhs.dtype));
  if (cmp === 0 && lhs.dtype !== rhs.dtype) {
    throw new TypeError(`[dot_general] argument type error: ${lhs.dtype.name}, ${rhs.dtype.name} (${ctx})`);
  }
  let dtype = cmp >= 0 ? lhs.dtype : rhs.dtype;
  const pref = params.preferred_element_type;
  if (pref !== null && pref !== undefined && pref !== dtype) {
    if (dtype.kind !== "f" && bitWidth(pref) < bitWidth(dtype)) {
      throw new TypeError(
        `[dot_general] preferred_element_type ${pref.name} must not be narrower than the result type ${dtype.name}: ${ctx}`,
      );
    }
    dtype = pref;
  }

  const shape = [
    ...lb.map((d) => lhs.shape[d]!),
    ...lhs.shape.filter((_, i) => !lc.includes(i) && !lb.includes(i)),
    ...rhs.shape.filter((_, i) => !rc.includes(i) && !rb.includes(i)),
  ];
  return new ShapedArray(shape, dtype, lhs.weakType && rhs.weakType);
});

// JAX's custom rule: dims as lists, None precision/preferred_element_type hidden, out_sharding hidden.
dotGeneralP.ppParams = ({ dimension_numbers, precision, preferred_element_type }: DotGeneralParams) => {
  const [[lc, rc], [lb, rb]] = dimension_numbers;
  const out: [string, unknown][] = [
    ["dimension_numbers", [[new PyList(lc), new PyList(rc)], [new PyList(lb), new PyList(rb)]]],
  ];
  if (precision !== null) out.push(["precision", precision]);
  if (preferred_element_type !== null) out.push(["preferred_element_type", preferred_element_type]);
  return out;
};

// ---------------------------------------------------------------------------
// lax functions

export interface DotOptions {
  precision?: PrecisionLike;
  preferredElementType?: DTypeLike | null;
}

/** Dimension numbers as users write them; axes may be negative. */
export type DotDimensionNumbersLike = readonly [
  readonly [readonly number[] | number, readonly number[] | number],
  readonly [readonly number[] | number, readonly number[] | number],
];

function axesOf(dims: readonly number[] | number, ndim: number): number[] {
  const list = typeof dims === "number" ? [dims] : [...dims];
  // Negative axes count from the end; out-of-range axes are left for the abstract eval to report.
  return list.map((d) => (Number.isInteger(d) && d < 0 && d >= -ndim ? d + ndim : d));
}

/**
 * lax.dot_general(lhs, rhs, dimension_numbers, precision, preferred_element_type):
 * `dimensionNumbers` is `[[lhsContracting, rhsContracting], [lhsBatch, rhsBatch]]`.
 */
export function dotGeneral(
  lhs: ArrayInput,
  rhs: ArrayInput,
  dimensionNumbers: DotDimensionNumbersLike,
  opts: DotOptions = {},
): Array {
  const x = asArray(lhs);
  const y = asArray(rhs);
  if (!globalThis.Array.isArray(dimensionNumbers) || dimensionNumbers.length !== 2) {
    throw new TypeError(
      `[dot_general] dimension_numbers must be [[lhs_contracting, rhs_contracting], [lhs_batch, rhs_batch]], got ${JSON.stringify(dimensionNumbers)}`,
    );
  }
  const [[lc, rc], [lb, rb]] = dimensionNumbers;
  const dn: DotDimensionNumbers = Object.freeze([
    Object.freeze([Object.freeze(axesOf(lc, x.ndim)), Object.freeze(axesOf(rc, y.ndim))] as const),
    Object.freeze([Object.freeze(axesOf(lb, x.ndim)), Object.freeze(axesOf(rb, y.ndim))] as const),
  ] as const);
  const pref = opts.preferredElementType;
  return dotGeneralP.bind1([x, y], {
    dimension_numbers: dn,
    precision: canonicalizePrecision(opts.precision),
    preferred_element_type: pref === null || pref === undefined ? null : toDType(pref),
    out_sharding: null,
  } satisfies DotGeneralParams);
}

/**
 * lax.dot: vector·vector, matrix·vector, vector·matrix or matrix·matrix products;
 * with `dimensionNumbers` it is dot_general.
 */
export function dot(lhs: ArrayInput, rhs: ArrayInput, opts: DotOptions & { dimensionNumbers?: DotDimensionNumbersLike } = {}): Array {
  const x = asArray(lhs);
  const y = asArray(rhs);
  let dn = opts.dimensionNumbers;
  if (dn === undefined) {
    if (x.ndim >= 1 && x.ndim <= 2 && y.ndim >= 1 && y.ndim <= 2 && x.shape[x.ndim - 1] === y.shape[0]) {
      dn = [[[x.ndim - 1], [0]], [[], []]];
    } else {
      throw new TypeError(
        `[dot] dimensionNumbers must be given unless this is an unbatched matrix-matrix, matrix-vector or vector-vector product; got ${fmtAval(x.aval)} and ${fmtAval(y.aval)}`,
      );
    }
  }
  return dotGeneral(x, y, dn, opts);
}

/** lax.batch_matmul: `[..., m, k] x [..., k, n] -> [..., m, n]` over equal leading batch dims. */
export function batchMatmul(lhs: ArrayInput, rhs: ArrayInput, precision: PrecisionLike = null): Array {
  const x = asArray(lhs);
  const y = asArray(rhs);
  if (Math.min(x.ndim, y.ndim) < 2) {
    throw new TypeError(`[batch_matmul] arguments must be at least 2-D, got ${fmtAval(x.aval)} and ${fmtAval(y.aval)}`);
  }
  if (x.ndim !== y.ndim) {
    throw new TypeError(`[batch_matmul] arguments must have the same rank, got ${fmtAval(x.aval)} and ${fmtAval(y.aval)}`);
  }
  const batch = [...globalThis.Array(x.ndim - 2).keys()];
  return dotGeneral(x, y, [[[x.ndim - 1], [y.ndim - 2]], [batch, batch]], { precision });
}

// ---------------------------------------------------------------------------
// Transformation rules for dot_general (bilinear), following JAX's
// _dot_general_transpose_lhs/rhs and _dot_general_batch_rule.
import { setJvp, type Tangent } from "../transforms/jvp.js";
import { addAny } from "../transforms/zeros.js";
import { isUndef, setTranspose } from "../transforms/transpose.js";
import { moveaxis, setBatch } from "../transforms/vmap.js";
import { transpose as transposeOp } from "./structural.js";

const range = (start: number, n: number) => globalThis.Array.from({ length: n }, (_, i) => start + i);
const remaining = (n: number, ...taken: (readonly number[])[]) => range(0, n).filter((i) => !taken.some((t) => t.includes(i)));

setJvp(dotGeneralP, ([x, y], [tx, ty], params: DotGeneralParams) => {
  const out = dotGeneralP.bind1([x!, y!], params);
  let t: Tangent = null;
  if (tx) t = dotGeneralP.bind1([tx, y!], params);
  if (ty) {
    const c = dotGeneralP.bind1([x!, ty], params);
    t = t === null ? c : addAny(t, c);
  }
  return [[out], [t]];
});

/** Cotangent of the lhs of dot_general, given the rhs (JAX's _dot_general_transpose_lhs). */
function dotTransposeLhs(g: Array, xAval: ShapedArray, y: Array, params: DotGeneralParams, swapAns: boolean): Array {
  const [[xc, yc], [xb, yb]] = params.dimension_numbers;
  const xKept = remaining(xAval.ndim, xc, xb);
  const yKept = remaining(y.ndim, yc, yb);
  const ansBatch = range(0, xb.length);
  const ansY = swapAns ? range(xb.length, yKept.length) : range(xb.length + xKept.length, yKept.length);
  const dims: DotDimensionNumbers = [
    [ansY, yKept],
    [ansBatch, yb],
  ];
  const order = [...yc.keys()].sort((a, b) => yc[a]! - yc[b]!);
  const xcSortedByY = order.map((i) => xc[i]!);
  const pre = [...xb, ...xKept, ...xcSortedByY];
  const outAxes = range(0, pre.length).sort((a, b) => pre[a]! - pre[b]!);
  const prod = dotGeneralP.bind1([g, y], { ...params, dimension_numbers: dims, preferred_element_type: null });
  const r = transposeOp(prod, outAxes);
  return r.dtype === xAval.dtype ? r : r.astype(xAval.dtype);
}

setTranspose(dotGeneralP, ([ct], [x, y], params: DotGeneralParams) => {
  if (ct === null) return [null, null];
  if (isUndef(x!) && isUndef(y!)) throw new Error("[dot_general] transpose: both operands are linear");
  const [[xc, yc], [xb, yb]] = params.dimension_numbers;
  if (isUndef(x!)) return [dotTransposeLhs(ct, x.aval, y as Array, params, false), null];
  const swapped: DotGeneralParams = { ...params, dimension_numbers: [[yc, xc], [yb, xb]] };
  return [null, dotTransposeLhs(ct, (y as { aval: ShapedArray }).aval, x as Array, swapped, true)];
});

setBatch(dotGeneralP, ([x, y], [dx, dy], params: DotGeneralParams) => {
  const [[xc, yc], [xb, yb]] = params.dimension_numbers;
  const shift = (dims: readonly number[]) => dims.map((d) => d + 1);
  if (dx !== null && dy !== null) {
    // Both batched: the vmapped axis becomes a new leading batch dimension.
    const xm = moveaxis(x!, dx, 0);
    const ym = moveaxis(y!, dy, 0);
    const dn: DotDimensionNumbers = [
      [shift(xc), shift(yc)],
      [[0, ...shift(xb)], [0, ...shift(yb)]],
    ];
    return [[dotGeneralP.bind1([xm, ym], { ...params, dimension_numbers: dn })], [0]];
  }
  if (dx !== null) {
    // Only lhs batched: the vmapped axis is a free lhs dimension; put it first among them.
    const xm = moveaxis(x!, dx, 0);
    const dn: DotDimensionNumbers = [
      [shift(xc), yc],
      [shift(xb), yb],
    ];
    return [[dotGeneralP.bind1([xm, y!], { ...params, dimension_numbers: dn })], [xb.length]];
  }
  // Only rhs batched: a free rhs dimension, first among the rhs free dims of the output.
  const ym = moveaxis(y!, dy!, 0);
  const dn: DotDimensionNumbers = [
    [xc, shift(yc)],
    [xb, shift(yb)],
  ];
  const xFree = x!.ndim - xc.length - xb.length;
  return [[dotGeneralP.bind1([x!, ym], { ...params, dimension_numbers: dn })], [xb.length + xFree]];
});
