// dtypes and JAX's type-promotion lattice with weak types.
//
// A DType is an interned object: compare with ===. Users may pass a DType or its
// name ("float32"). Python-scalar-like JS numbers/booleans are *weakly typed*:
// they take the dtype of the strongly typed operand they meet (see resultType).

export type DTypeName =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "uint8"
  | "uint16"
  | "uint32"
  | "float16"
  | "float32"
  | "float64";

export type DTypeKind = "b" | "i" | "u" | "f";

export type TypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

type TypedArrayCtor = {
  new (n: number): TypedArray;
  new (src: ArrayLike<number> | ArrayBufferLike): TypedArray;
  from(src: ArrayLike<number> | Iterable<number>): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

export class DType {
  /** @internal */
  constructor(
    readonly name: DTypeName,
    readonly kind: DTypeKind,
    /** bytes per element in the logical dtype (float16 is 2 even if stored wider on the CPU) */
    readonly itemsize: number,
    /** the short name used in Jaxprs: f32, i32, bool, ... */
    readonly short: string,
    /** typed-array class that stores this dtype on the CPU backend */
    readonly storage: TypedArrayCtor,
  ) {}
  get isFloating(): boolean {
    return this.kind === "f";
  }
  get isInteger(): boolean {
    return this.kind === "i" || this.kind === "u";
  }
  get isSigned(): boolean {
    return this.kind === "i" || this.kind === "f";
  }
  get bits(): number {
    return this.itemsize * 8;
  }
  toString(): string {
    return this.name;
  }
  toJSON(): string {
    return this.name;
  }
}

export const bool = new DType("bool", "b", 1, "bool", Uint8Array);
export const int8 = new DType("int8", "i", 1, "i8", Int8Array);
export const int16 = new DType("int16", "i", 2, "i16", Int16Array);
export const int32 = new DType("int32", "i", 4, "i32", Int32Array);
export const uint8 = new DType("uint8", "u", 1, "u8", Uint8Array);
export const uint16 = new DType("uint16", "u", 2, "u16", Uint16Array);
export const uint32 = new DType("uint32", "u", 4, "u32", Uint32Array);
// Node 20 has no Float16Array: float16 values are stored in a Float32Array and
// rounded to half precision after every operation that produces them.
export const float16 = new DType("float16", "f", 2, "f16", Float32Array);
export const float32 = new DType("float32", "f", 4, "f32", Float32Array);
export const float64 = new DType("float64", "f", 8, "f64", Float64Array);

export const allDTypes: readonly DType[] = [
  bool,
  int8,
  int16,
  int32,
  uint8,
  uint16,
  uint32,
  float16,
  float32,
  float64,
];

const byName = new Map<string, DType>(allDTypes.map((d) => [d.name, d]));
// NumPy-style aliases a JAX user types.
for (const [alias, d] of [
  ["float", float32],
  ["int", int32],
  ["f16", float16],
  ["f32", float32],
  ["f64", float64],
  ["i8", int8],
  ["i16", int16],
  ["i32", int32],
  ["u8", uint8],
  ["u16", uint16],
  ["u32", uint32],
  ["bool_", bool],
] as const) {
  byName.set(alias, d);
}

export type DTypeLike = DType | DTypeName | string;

/** Resolve a dtype name or object; throws naming the bad value. */
export function dtype(d: DTypeLike): DType {
  if (d instanceof DType) return d;
  const r = byName.get(d);
  if (!r) {
    throw new TypeError(
      `[dtype] unknown dtype ${JSON.stringify(d)}; expected one of ${allDTypes.map((x) => x.name).join(", ")}`,
    );
  }
  return r;
}

export const isFloating = (d: DTypeLike) => dtype(d).kind === "f";
export const isInteger = (d: DTypeLike) => dtype(d).isInteger;

// ---------------------------------------------------------------------------
// JAX's promotion lattice (jax._src.dtypes._type_promotion_lattice, standard
// mode). Nodes are dtype names plus the weak "Python scalar" kinds i* and f*.
// 64-bit integers exist only as lattice nodes: like JAX with x64 disabled they
// canonicalize to their 32-bit forms.

type Node = DTypeName | "int64" | "uint64" | "i*" | "f*";

const lattice: Record<Node, Node[]> = {
  bool: ["i*"],
  "i*": ["uint8", "int8"],
  uint8: ["int16", "uint16"],
  uint16: ["int32", "uint32"],
  uint32: ["int64", "uint64"],
  uint64: ["f*"],
  int8: ["int16"],
  int16: ["int32"],
  int32: ["int64"],
  int64: ["f*"],
  "f*": ["float16"],
  float16: ["float32"],
  float32: ["float64"],
  float64: [],
};

// upper[n] = every node reachable from n (including n).
const upper = new Map<Node, Set<Node>>();
function reach(n: Node): Set<Node> {
  let s = upper.get(n);
  if (s) return s;
  s = new Set<Node>([n]);
  for (const m of lattice[n]) for (const k of reach(m)) s.add(k);
  upper.set(n, s);
  return s;
}
for (const n of Object.keys(lattice) as Node[]) reach(n);

function leastUpperBound(nodes: Node[]): Node {
  let common: Node[] = [...upper.get(nodes[0]!)!];
  for (const n of nodes.slice(1)) {
    const u = upper.get(n)!;
    common = common.filter((c) => u.has(c));
  }
  // The LUB is the common upper bound that every other common bound is above.
  const lub = common.filter((c) => common.every((d) => upper.get(c)!.has(d)));
  if (lub.length !== 1) {
    throw new TypeError(`[promote_types] no unique promotion for ${nodes.join(", ")}`);
  }
  return lub[0]!;
}

function canonical(n: Node): { dtype: DType; weak: boolean } {
  switch (n) {
    case "i*":
      return { dtype: int32, weak: true };
    case "f*":
      return { dtype: float32, weak: true };
    case "int64":
      return { dtype: int32, weak: false };
    case "uint64":
      return { dtype: uint32, weak: false };
    default:
      return { dtype: byName.get(n)!, weak: false };
  }
}

function weakNode(d: DType): Node {
  // A weak value of dtype d behaves like the Python scalar type of its kind.
  return d.kind === "f" ? "f*" : d.kind === "b" ? "bool" : "i*";
}

/** Promote two (strong) dtypes, as jnp.promote_types. */
export function promoteTypes(a: DTypeLike, b: DTypeLike): DType {
  return canonical(leastUpperBound([dtype(a).name, dtype(b).name])).dtype;
}

export interface TypedLike {
  dtype: DType;
  weakType: boolean;
}

/**
 * The dtype and weak type of an operation combining these inputs (JAX's
 * lattice_result_type, canonicalized as with x64 disabled): weak inputs join as
 * their Python scalar kind; the result is weak if every input is weak or if the
 * join is itself a weak kind. bool is never weak.
 */
export function resultTypeWithWeak(inputs: readonly TypedLike[]): { dtype: DType; weakType: boolean } {
  if (inputs.length === 0) throw new TypeError("[result_type] at least one input is required");
  let out: { dtype: DType; weakType: boolean };
  if (inputs.length === 1) {
    out = { dtype: inputs[0]!.dtype, weakType: inputs[0]!.weakType };
  } else if (inputs.every((x) => x.dtype === inputs[0]!.dtype) && !inputs.every((x) => x.weakType)) {
    out = { dtype: inputs[0]!.dtype, weakType: false };
  } else if (inputs.every((x) => x.weakType)) {
    // All weak: join the dtypes themselves, keep weak.
    out = { dtype: canonical(leastUpperBound(inputs.map((x) => x.dtype.name))).dtype, weakType: true };
  } else {
    const r = canonical(leastUpperBound(inputs.map((x) => (x.weakType ? weakNode(x.dtype) : x.dtype.name))));
    out = { dtype: r.dtype, weakType: r.weak };
  }
  if (out.dtype === bool) out.weakType = false;
  return out;
}

/**
 * jnp.result_type: numbers are weak (int32/float32), booleans bool. A weakly
 * typed result is reported as the default dtype of its kind (int32, uint32,
 * float32), as JAX does.
 */
export function resultType(...args: (DTypeLike | number | boolean | TypedLike)[]): DType {
  const r = resultTypeWithWeak(args.map(typedOf));
  if (!r.weakType) return r.dtype;
  return r.dtype.kind === "f" ? float32 : r.dtype.kind === "u" ? uint32 : r.dtype.kind === "i" ? int32 : r.dtype;
}

export function typedOf(x: DTypeLike | number | boolean | TypedLike): TypedLike {
  if (typeof x === "number") return { dtype: Number.isInteger(x) ? int32 : float32, weakType: true };
  if (typeof x === "boolean") return { dtype: bool, weakType: false };
  if (typeof x === "string" || x instanceof DType) return { dtype: dtype(x), weakType: false };
  return x;
}

/**
 * jnp.can_cast(from, to) with NumPy's default "safe" casting: every value of
 * `from` is exactly representable in `to`. (Not the promotion lattice: int32 ->
 * float32 and uint32 -> int32 are unsafe although JAX promotes that way.)
 */
export function canCast(from: DTypeLike, to: DTypeLike): boolean {
  const f = dtype(from);
  const t = dtype(to);
  if (f === t || f.kind === "b") return true;
  switch (t.kind) {
    case "b":
      return false;
    case "f":
      // Integers need their magnitude bits in the significand (11, 24, 53 bits).
      if (f.kind === "f") return t.bits >= f.bits;
      return (f.kind === "i" ? f.bits - 1 : f.bits) <= (t === float16 ? 11 : t === float32 ? 24 : 53);
    case "u":
      return f.kind === "u" && t.bits >= f.bits;
    default:
      return (f.kind === "i" && t.bits >= f.bits) || (f.kind === "u" && t.bits > f.bits);
  }
}

// ---------------------------------------------------------------------------
// Numeric helpers shared by the CPU backend.

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const f64hi = new Uint32Array(f64buf.buffer, 4, 1); // little-endian high word

/**
 * Round a double to the nearest float16 value (ties to even), as a double. One
 * rounding step, as NumPy's and XLA's float64 -> float16 conversions.
 */
/**
 * The IEEE binary16 bits of `x`, rounded to the nearest half-precision value
 * (ties to even, as roundToFloat16); a NaN keeps its sign and becomes the quiet
 * NaN 0x7e00. One definition for every package that moves float16 data as bits
 * (ONNX tensors, .npy, safetensors, bitcasts).
 */
export function float16ToBits(x: number): number {
  f64buf[0] = x;
  const sign = f64hi[0]! >>> 31 ? 0x8000 : 0;
  if (Number.isNaN(x)) return sign | 0x7e00;
  const a = Math.abs(roundToFloat16(x));
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a / 2 ** -24); // subnormal (or zero): an exact multiple of 2^-24
  f64buf[0] = a;
  const e = (f64hi[0]! >>> 20) - 1023;
  return sign | ((e + 15) << 10) | ((a / 2 ** e - 1) * 1024);
}

/** The value of IEEE binary16 bits `h`. */
export function float16FromBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function roundToFloat16(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 65520)) return Number.isNaN(x) ? x : x > 0 ? Infinity : -Infinity; // 65520 ties up to inf
  if (ax === 0) return x;
  // The float16 quantum at this magnitude: 2^(e-10) for normals (e >= -14), 2^-24 below.
  f64buf[0] = ax;
  const e = Math.max((f64hi[0]! >>> 20) - 1023, -14);
  // Adding and removing 2^(e+42) rounds ax to a multiple of 2^(e-10), ties to even.
  const big = 2 ** (e + 42);
  const r = ax + big - big;
  return x < 0 ? -r : r;
}

/** The float32 bit pattern of a number. */
export function float32Bits(x: number): number {
  f32buf[0] = x;
  return u32buf[0]!;
}

/**
 * Cast a JS number (holding a value of dtype `from`) into `to`'s value domain, as
 * XLA's convert does: int -> int wraps, float -> int truncates toward zero with
 * NaN -> 0 and saturation at the bounds.
 */
export function castScalar(x: number, to: DType, from?: DType): number {
  if (from && from.kind !== "f" && to.kind !== "f" && to.kind !== "b") return wrapInt(x, to);
  switch (to.kind) {
    case "b":
      return x !== 0 ? 1 : 0; // NaN is truthy, as in NumPy and XLA
    case "f":
      return to === float16 ? roundToFloat16(x) : to === float32 ? Math.fround(x) : x;
    default: {
      if (Number.isNaN(x)) return 0;
      const [lo, hi] = intRange(to);
      if (x <= lo) return lo;
      if (x >= hi) return hi;
      return Math.trunc(x);
    }
  }
}

export function intRange(d: DType): [number, number] {
  if (d.kind === "u") return [0, 2 ** d.bits - 1];
  if (d.kind === "i") return [-(2 ** (d.bits - 1)), 2 ** (d.bits - 1) - 1];
  if (d.kind === "b") return [0, 1];
  throw new TypeError(`[iinfo] ${d.name} is not an integer dtype`);
}

/** Wrap an integer-valued number into an integer dtype's range (two's complement). */
export function wrapInt(x: number, to: DType): number {
  switch (to.name) {
    case "int32":
      return x | 0;
    case "uint32":
      return x >>> 0;
    case "int16":
      return (x << 16) >> 16;
    case "uint16":
      return x & 0xffff;
    case "int8":
      return (x << 24) >> 24;
    case "uint8":
      return x & 0xff;
    case "bool":
      return x !== 0 ? 1 : 0;
    default:
      return x;
  }
}
