// dtype helpers of jax.numpy: finfo, iinfo, promoteTypes, resultType, canCast,
// issubdtype, isdtype and the dtype objects. Promotion itself lives in
// @jaxts/core (JAX's lattice with weak types); this file re-exports it with the
// jnp spellings and adds the machine-limit records.
import {
  Array,
  DType,
  bool,
  canCast as coreCanCast,
  dtype as coreDType,
  float16,
  float32,
  float64,
  int16,
  int32,
  int8,
  promoteTypes as corePromoteTypes,
  resultType as coreResultType,
  roundToFloat16,
  uint16,
  uint32,
  uint8,
  type DTypeLike,
  type TypedLike,
} from "@jaxts/core";

export { bool, int8, int16, int32, uint8, uint16, uint32, float16, float32, float64, DType };
/** NumPy's spelling of the bool dtype. */
export const bool_ = bool;

/** An Array, a dtype, or a dtype name: anything with a dtype. */
export type HasDType = DTypeLike | Array | TypedLike;

function dtypeOf(op: string, x: HasDType | DTypeCategory): DType {
  if (x instanceof DType) return x;
  if (x instanceof Array) return x.dtype;
  if (x instanceof DTypeCategory) throw new TypeError(`[${op}] expected a dtype, got the abstract category ${x.name}`);
  if (typeof x === "object" && x !== null && "dtype" in x) return (x as TypedLike).dtype;
  try {
    return coreDType(x as DTypeLike);
  } catch {
    throw new TypeError(`[${op}] data type ${JSON.stringify(x)} not understood`);
  }
}

/** jnp.dtype: the DType of a dtype name, DType or Array. */
export function dtype(x: HasDType): DType {
  return dtypeOf("dtype", x);
}

// ---------------------------------------------------------------------------
// finfo / iinfo

/** jnp.finfo: machine limits of a floating dtype (values as JS numbers). */
export interface FInfo {
  readonly dtype: DType;
  readonly bits: number;
  /** the difference between 1 and the next larger representable number */
  readonly eps: number;
  /** the difference between 1 and the next smaller representable number */
  readonly epsneg: number;
  readonly max: number;
  readonly min: number;
  /** the smallest positive normal number (same as smallestNormal) */
  readonly tiny: number;
  readonly smallestNormal: number;
  readonly smallestSubnormal: number;
  /** 10 ** -precision */
  readonly resolution: number;
  /** decimal digits of precision */
  readonly precision: number;
  readonly nmant: number;
  readonly nexp: number;
  readonly minexp: number;
  readonly maxexp: number;
  readonly machep: number;
  readonly negep: number;
}

function makeFInfo(d: DType, nmant: number, nexp: number): FInfo {
  const maxexp = 2 ** (nexp - 1);
  const minexp = 2 - maxexp; // 1 - bias, bias = maxexp - 1
  const eps = 2 ** -nmant;
  const max = (2 - eps) * 2 ** (maxexp - 1);
  const precision = Math.floor(nmant * Math.log10(2));
  const tiny = 2 ** minexp;
  return Object.freeze({
    dtype: d,
    bits: d.bits,
    eps,
    epsneg: 2 ** -(nmant + 1),
    max,
    min: -max,
    tiny,
    smallestNormal: tiny,
    smallestSubnormal: 2 ** (minexp - nmant),
    // A value of the dtype, as NumPy's (float16's 1e-3 is 0.0010004...).
    resolution: d === float16 ? roundToFloat16(10 ** -precision) : d === float32 ? Math.fround(10 ** -precision) : 10 ** -precision,
    precision,
    nmant,
    nexp,
    minexp,
    maxexp,
    machep: -nmant,
    negep: -(nmant + 1),
  });
}

const finfos = new Map<DType, FInfo>([
  [float16, makeFInfo(float16, 10, 5)],
  [float32, makeFInfo(float32, 23, 8)],
  [float64, makeFInfo(float64, 52, 11)],
]);

export function finfo(x: HasDType): FInfo {
  const d = dtypeOf("finfo", x);
  const info = finfos.get(d);
  if (!info) throw new TypeError(`[finfo] data type ${d.name} not inexact (finfo takes a floating dtype; use iinfo for integers)`);
  return info;
}

/** jnp.iinfo: limits of an integer dtype. */
export interface IInfo {
  readonly dtype: DType;
  readonly bits: number;
  readonly min: number;
  readonly max: number;
  /** "i" (signed) or "u" (unsigned) */
  readonly kind: "i" | "u";
}

export function iinfo(x: HasDType): IInfo {
  const d = dtypeOf("iinfo", x);
  if (d.kind !== "i" && d.kind !== "u") {
    throw new TypeError(`[iinfo] invalid integer data type ${d.name} (iinfo takes an integer dtype; use finfo for floats)`);
  }
  const bits = d.bits;
  const [min, max] = d.kind === "u" ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  return Object.freeze({ dtype: d, bits, min, max, kind: d.kind });
}

// ---------------------------------------------------------------------------
// Promotion (JAX's lattice, from core)

/** jnp.promote_types: the promoted dtype of two (strong) dtypes. */
export function promoteTypes(a: HasDType, b: HasDType): DType {
  return corePromoteTypes(dtypeOf("promote_types", a), dtypeOf("promote_types", b));
}

/**
 * jnp.result_type: the dtype of combining these values (JS numbers are weak,
 * booleans bool, Arrays keep their weak type); a weak result is reported as
 * the default dtype of its kind.
 */
export function resultType(...args: (HasDType | number | boolean)[]): DType {
  if (args.length === 0) throw new TypeError("[result_type] at least one array or dtype is required");
  return coreResultType(...args.map((a) => (a instanceof Array ? a.aval : a)));
}

/** jnp.can_cast(from, to) with "safe" casting: every value of `from` is exact in `to`. */
export function canCast(from: HasDType, to: HasDType): boolean {
  return coreCanCast(dtypeOf("can_cast", from), dtypeOf("can_cast", to));
}

// ---------------------------------------------------------------------------
// The abstract dtype hierarchy (np.generic > np.number > ...), for issubdtype.

export class DTypeCategory {
  /** @internal */
  constructor(
    readonly name: string,
    readonly parent: DTypeCategory | null,
    private readonly test: (d: DType) => boolean,
  ) {
    Object.freeze(this);
  }
  /** Whether a dtype belongs to this category. */
  contains(d: DType): boolean {
    return this.test(d);
  }
  /** Whether this category is (a subcategory of) `other`. */
  isSubOf(other: DTypeCategory): boolean {
    for (let c: DTypeCategory | null = this; c; c = c.parent) if (c === other) return true;
    return false;
  }
  toString(): string {
    return this.name;
  }
}

export const generic = new DTypeCategory("generic", null, () => true);
export const number = new DTypeCategory("number", generic, (d) => d.kind !== "b");
export const inexact = new DTypeCategory("inexact", number, (d) => d.kind === "f");
export const floating = new DTypeCategory("floating", inexact, (d) => d.kind === "f");
/** No complex dtypes exist yet; nothing belongs to this category. */
export const complexfloating = new DTypeCategory("complexfloating", inexact, () => false);
export const integer = new DTypeCategory("integer", number, (d) => d.kind === "i" || d.kind === "u");
export const signedinteger = new DTypeCategory("signedinteger", integer, (d) => d.kind === "i");
export const unsignedinteger = new DTypeCategory("unsignedinteger", integer, (d) => d.kind === "u");

const categories = new Map<string, DTypeCategory>(
  [generic, number, inexact, floating, complexfloating, integer, signedinteger, unsignedinteger].map((c) => [c.name, c]),
);

function asCategoryOrDType(op: string, x: HasDType | DTypeCategory): DType | DTypeCategory {
  if (x instanceof DTypeCategory) return x;
  if (typeof x === "string" && categories.has(x)) return categories.get(x)!;
  return dtypeOf(op, x);
}

/**
 * jnp.issubdtype(arg1, arg2): whether arg1 (a dtype, an Array's dtype or a
 * category) is arg2 or below it in NumPy's hierarchy (`issubdtype(int8,
 * integer)`, `issubdtype(float32, inexact)`); two dtypes must be equal.
 */
export function issubdtype(arg1: HasDType | DTypeCategory, arg2: HasDType | DTypeCategory): boolean {
  const a = asCategoryOrDType("issubdtype", arg1);
  const b = asCategoryOrDType("issubdtype", arg2);
  if (b instanceof DTypeCategory) return a instanceof DTypeCategory ? a.isSubOf(b) : b.contains(a);
  return a === b;
}

export type DTypeKindName = "bool" | "signed integer" | "unsigned integer" | "integral" | "real floating" | "complex floating" | "numeric";

/**
 * jnp.isdtype(dtype, kind): the array API's kind test. `kind` is a kind name
 * ("bool", "signed integer", "unsigned integer", "integral", "real floating",
 * "complex floating", "numeric"), a dtype, or a list of these.
 */
export function isdtype(x: HasDType, kind: DTypeKindName | DTypeLike | readonly (DTypeKindName | DTypeLike)[]): boolean {
  const d = dtypeOf("isdtype", x);
  const kinds = globalThis.Array.isArray(kind) ? (kind as readonly (DTypeKindName | DTypeLike)[]) : [kind as DTypeKindName | DTypeLike];
  return kinds.some((k) => {
    switch (k) {
      case "bool":
        return d === bool;
      case "signed integer":
        return d.kind === "i";
      case "unsigned integer":
        return d.kind === "u";
      case "integral":
        return d.kind === "i" || d.kind === "u";
      case "real floating":
        return d.kind === "f";
      case "complex floating":
        return false;
      case "numeric":
        return d.kind !== "b";
      default:
        if (typeof k === "string" && !(k as string).match(/^[a-z0-9_]+$/)) {
          throw new TypeError(`[isdtype] unknown kind ${JSON.stringify(k)}`);
        }
        return dtypeOf("isdtype", k as DTypeLike) === d;
    }
  });
}

// ---------------------------------------------------------------------------
// NumPy's C-style aliases (the default int is int32 here, as JAX without x64)

export const single = float32;
export const double = float64;
export const int_ = int32;
export const uint = uint32;

// Constants (plain JS numbers, as jnp.pi is a Python float).
export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;
export const eulerGamma = 0.5772156649015329;
