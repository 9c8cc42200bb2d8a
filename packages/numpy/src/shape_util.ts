// Private helpers shared by creation.ts, manipulation.ts and indexing.ts (not
// part of the public jnp surface): argument checking, promotion without
// broadcasting, broadcasting to a shape, axis normalization.
import {
  Array,
  DType,
  bool,
  castScalar,
  fromTyped,
  dtype as toDType,
  float32,
  int32,
  lax,
  resultTypeWithWeak,
  type ArrayInput,
  type DTypeLike,
  type TypedArray,
  type TypedLike,
} from "@jaxts/core";
import { array } from "./creation.js";

const JsArray = globalThis.Array;

/** Anything jnp functions accept as an array: Arrays, JS numbers/booleans, nested lists, typed arrays. */
export type ArrayLike = ArrayInput | NestedArrayLike[] | TypedArray;
/** Nested JS lists of numbers, booleans or Arrays (jnp.array stacks Arrays). */
export type NestedArrayLike = number | boolean | Array | NestedArrayLike[];

/** A shape: one size or a list of sizes. */
export type ShapeLike = number | readonly number[];

/** `f32[2,3]`, as in error messages. */
export const fmt = (x: Array): string => x.aval.strShort();

export const range = (a: number, b?: number): number[] => {
  const [lo, hi] = b === undefined ? [0, a] : [a, b];
  return JsArray.from({ length: Math.max(0, hi - lo) }, (_, i) => lo + i);
};

export function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (x instanceof Array) return fmt(x);
  return typeof x === "object" ? (x as object).constructor?.name ?? "object" : `${typeof x} ${String(x)}`;
}

/** jnp.asarray for internal use: JS numbers become weak scalars; bad input names the op. */
export function toArray(op: string, x: unknown, what = "argument"): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number" || typeof x === "boolean" || JsArray.isArray(x) || ArrayBuffer.isView(x)) {
    return array(x as ArrayLike);
  }
  throw new TypeError(`[${op}] ${what} must be an Array, a JS number or boolean, or a nested list, got ${describe(x)}`);
}

/** Normalize an axis (negative counts from the end), naming the op in the error. */
export function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`[${op}] axis ${axis} is out of bounds for an array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** A user dtype (name or DType), with the op named in the error. */
export function userDType(op: string, d: DTypeLike): DType {
  try {
    return toDType(d);
  } catch {
    throw new TypeError(`[${op}] data type ${JSON.stringify(d)} not understood`);
  }
}

/** A shape argument: a non-negative integer or a list of them. */
export function canonicalShape(op: string, shape: ShapeLike): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  if (!JsArray.isArray(shape) && typeof shape !== "number") {
    throw new TypeError(`[${op}] shape must be an integer or a list of integers, got ${describe(shape)}`);
  }
  if (s.some((d) => !Number.isInteger(d))) throw new TypeError(`[${op}] shape must contain integers, got (${s.join(", ")})`);
  if (s.some((d) => d < 0)) throw new RangeError(`[${op}] negative dimensions are not allowed, got shape (${s.join(", ")})`);
  return s;
}

/** The dtype of an input as jnp's promotion sees it (JS numbers are weak). */
export function typedOfInput(x: ArrayInput): TypedLike {
  if (x instanceof Array) return x.aval;
  if (typeof x === "boolean") return { dtype: bool, weakType: false };
  return { dtype: Number.isInteger(x) ? int32 : float32, weakType: true };
}

/**
 * jnp's promote_dtypes: a common dtype (JAX's lattice, JS numbers weak) without
 * broadcasting; every result takes the joint weak type.
 */
export function promoteDtypes(op: string, xs: readonly ArrayLike[]): Array[] {
  const inputs = xs.map((x, i) =>
    typeof x === "number" || typeof x === "boolean" || x instanceof Array ? x : toArray(op, x, `argument ${i}`),
  );
  const { dtype: d, weakType } = resultTypeWithWeak(inputs.map(typedOfInput));
  const weak = d === bool ? false : weakType;
  return inputs.map((x) => (x instanceof Array ? lax.convertElementType(x, d, weak) : scalarOf(x, d, weak)));
}

/**
 * A JS number or boolean as a scalar of dtype `d`, converted as JAX converts a
 * Python scalar: integers wrap into integer dtypes (-1 as uint8 is 255).
 */
export function scalarOf(value: number | boolean, d: DType, weakType = false): Array {
  const v = Number(value);
  const from = typeof value === "boolean" ? bool : Number.isInteger(v) ? int32 : float32;
  const data = new d.storage(1);
  data[0] = castScalar(v, d, from);
  return fromTyped(data, [], d, d === bool ? false : weakType);
}

/** lax.full: a scalar broadcast to a shape. */
export function fullOf(shape: readonly number[], value: number | boolean, d: DType, weakType = false): Array {
  const s = scalarOf(value, d, weakType);
  return shape.length === 0 ? s : lax.broadcastInDim(s, shape, []);
}

/** lax.broadcast_to: trailing dimensions align, size-1 dimensions stretch. */
export function broadcastToShape(op: string, x: Array, shape: readonly number[]): Array {
  const xs = x.shape;
  if (xs.length === shape.length && xs.every((d, i) => d === shape[i])) return x;
  const lead = shape.length - xs.length;
  if (lead < 0 || xs.some((d, i) => d !== 1 && d !== shape[lead + i])) {
    throw new TypeError(`[${op}] incompatible shapes for broadcasting: ${fmt(x)} to shape (${shape.join(", ")})`);
  }
  return lax.broadcastInDim(x, shape, range(lead, shape.length));
}

export function isOptions(x: unknown): x is Record<string, unknown> {
  // A DType object is a dtype argument, not an options object.
  return typeof x === "object" && x !== null && !(x instanceof Array) && !(x instanceof DType) && !JsArray.isArray(x) && !ArrayBuffer.isView(x);
}


/** NumPy broadcasting of shapes, naming the op in the error. */
export function broadcastShapesOf(op: string, ...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new JsArray<number>(nd).fill(1);
  for (const s of shapes) {
    s.forEach((d, i) => {
      const j = nd - s.length + i;
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) {
        throw new TypeError(`[${op}] shapes ${shapes.map((x) => `(${x.join(", ")})`).join(" and ")} cannot be broadcast together`);
      }
    });
  }
  return out;
}

/** Broadcast arrays to their common shape (no dtype change). */
export function broadcastAll(op: string, xs: readonly Array[]): Array[] {
  const shape = broadcastShapesOf(op, ...xs.map((x) => x.shape));
  return xs.map((x) => broadcastToShape(op, x, shape));
}

export const toInexact = (d: DType): DType => (d.kind === "f" ? d : float32);

/** Move axes `src` to positions `dst` (jnp.moveaxis's permutation). */
export function moveaxes(op: string, x: Array, src: readonly number[], dst: readonly number[]): Array {
  const s = src.map((a) => normAxis(op, a, x.ndim));
  const d = dst.map((a) => normAxis(op, a, x.ndim));
  if (s.length !== d.length) throw new RangeError(`[${op}] inconsistent number of elements: ${s.length} vs ${d.length}`);
  if (new Set(s).size !== s.length || new Set(d).size !== d.length) {
    throw new RangeError(`[${op}] repeated axis in source (${src.join(", ")}) or destination (${dst.join(", ")})`);
  }
  const perm = range(x.ndim).filter((i) => !s.includes(i));
  [...d.map((dd, i) => [dd, s[i]!] as const)].sort((p, q) => p[0] - q[0]).forEach(([dd, ss]) => perm.splice(dd, 0, ss));
  return lax.transpose(x, perm);
}

