// `Array`: the immutable n-dimensional array users hold, and `Tracer`, the
// stand-in for an Array inside a transformation. Tracers are Arrays so user code
// (and its types) is the same whether it runs eagerly or under jit/grad/vmap.
import {
  bool,
  castScalar,
  DType,
  dtype as toDType,
  float32,
  int32,
  type DTypeLike,
  type TypedArray,
} from "./dtypes.js";
import { ConcretizationTypeError, concretizationMessage } from "./errors.js";
import { ShapedArray, checkShape, shapeSize, type Shape } from "./shape.js";
import type { Backend, Device } from "./backend/interface.js";
import { defaultBackend } from "./backend/registry.js";
import { formatArray } from "./format.js";
import type { Trace } from "./core.js";
import type { IndexItem, IndexUpdateRef } from "./indexing.js";

const JsArray = globalThis.Array;

/** `x.at`: callable with any index (`x.at(i, "1:3")`), or indexable by a number or index string (`x.at[0]`). */
export interface AtAccessor {
  (...index: IndexItem[]): IndexUpdateRef;
  readonly [index: number]: IndexUpdateRef;
}

export interface ReduceOptions {
  keepdims?: boolean;
  /** Only elements where this is true take part (jnp's `where=`). */
  where?: ArrayInput;
  /** Starting value of the reduction (jnp's `initial=`). */
  initial?: number;
}

/** What array-taking functions accept: Arrays and JS scalars (weakly typed). */
export type ArrayInput = Array | number | boolean;

/** Nested JS lists of numbers/booleans, as accepted by `array()` and returned by `tolist()`. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * Methods of Array implemented by higher layers (lax); installed at load time to
 * keep this module free of import cycles.
 */
export interface ArrayMethods {
  [name: string]: (self: Array, ...args: any[]) => any;
}
export const arrayMethods: ArrayMethods = {};

export class Array {
  /** @internal */ _aval: ShapedArray;
  /** @internal backend buffer handle; null for tracers */ _buf: unknown;
  /** @internal */ _backend: Backend | null;
  /** @internal */ _disposed = false;

  /** @internal Use `array()` / `jnp.array()` to create arrays. */
  constructor(aval: ShapedArray, buf: unknown, backend: Backend | null) {
    this._aval = aval;
    this._buf = buf;
    this._backend = backend;
  }

  get aval(): ShapedArray {
    return this._aval;
  }
  get shape(): number[] {
    return [...this.aval.shape];
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get weakType(): boolean {
    return this.aval.weakType;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    return shapeSize(this.aval.shape);
  }
  get device(): Device {
    return this.backend.devices[0]!;
  }
  get backend(): Backend {
    return this.live()._backend!;
  }

  private live(): this {
    if (this._disposed) {
      throw new Error(`Array ${this.aval.strShort()} was used after dispose()`);
    }
    return this;
  }

  /** The values as a fresh typed array (float16 reads as Float32Array). Waits for async backends. */
  async data(): Promise<TypedArray> {
    this.live();
    return this._backend!.read(this._buf, this.aval);
  }

  /** The values as a fresh typed array, synchronously (CPU, or any ready value). */
  dataSync(): TypedArray {
    this.live();
    return this._backend!.readSync(this._buf, this.aval);
  }

  async blockUntilReady(): Promise<this> {
    this.live();
    const b = this._backend; // null for tracers, whose data() explains the error
    if (b?.whenReady) await b.whenReady(this._buf);
    else await this.data();
    return this;
  }

  /** Nested JS lists of numbers (booleans for bool arrays). */
  tolist(): NestedArray {
    return toNested(this.dataSync(), this.aval.shape, this.dtype === bool);
  }

  /** The single value of a size-1 array. */
  item(): number | boolean {
    if (this.size !== 1) {
      throw new TypeError(`[item] can only convert an array of size 1 to a scalar, got shape (${this.shape.join(", ")})`);
    }
    const v = this.dataSync()[0]!;
    return this.dtype === bool ? v !== 0 : v;
  }

  /** Free the device buffer now (a no-op on the CPU backend beyond invalidating). */
  dispose(): void {
    if (this._disposed || this._buf === null) return;
    this._backend!.dispose(this._buf);
    this._disposed = true;
  }
  [Symbol.dispose](): void {
    this.dispose();
  }

  // JS coercion, as Python's __bool__/__float__: only for concrete size-1 arrays.
  [Symbol.toPrimitive](hint: string): number | string | boolean {
    if (hint === "string") return this.toString();
    if (this.size !== 1) {
      throw new TypeError(
        `The truth value of an array with more than one element is ambiguous (shape (${this.shape.join(", ")})). Use .any() or .all().`,
      );
    }
    const v = this.item();
    return typeof v === "boolean" ? (v ? 1 : 0) : v;
  }
  valueOf(): number {
    return this[Symbol.toPrimitive]("number") as number;
  }

  // --- Operations (NumPy semantics: dtype promotion and broadcasting). They are
  // installed by methods.ts so this file stays free of import cycles.
  private call(name: string, ...args: unknown[]): any {
    const m = arrayMethods[name];
    if (!m) throw new Error(`Array.${name} is not available (module not loaded)`);
    return m(this, ...args);
  }
  add(y: ArrayInput): Array { return this.call("add", y); }
  sub(y: ArrayInput): Array { return this.call("sub", y); }
  mul(y: ArrayInput): Array { return this.call("mul", y); }
  /** True division (ints promote to float). */
  div(y: ArrayInput): Array { return this.call("div", y); }
  floorDiv(y: ArrayInput): Array { return this.call("floorDiv", y); }
  /** Python-style modulo (result has the sign of the divisor). */
  mod(y: ArrayInput): Array { return this.call("mod", y); }
  pow(y: ArrayInput): Array { return this.call("pow", y); }
  maximum(y: ArrayInput): Array { return this.call("maximum", y); }
  minimum(y: ArrayInput): Array { return this.call("minimum", y); }
  neg(): Array { return this.call("neg"); }
  abs(): Array { return this.call("abs"); }
  eq(y: ArrayInput): Array { return this.call("eq", y); }
  ne(y: ArrayInput): Array { return this.call("ne", y); }
  lt(y: ArrayInput): Array { return this.call("lt", y); }
  le(y: ArrayInput): Array { return this.call("le", y); }
  gt(y: ArrayInput): Array { return this.call("gt", y); }
  ge(y: ArrayInput): Array { return this.call("ge", y); }
  and(y: ArrayInput): Array { return this.call("and", y); }
  or(y: ArrayInput): Array { return this.call("or", y); }
  xor(y: ArrayInput): Array { return this.call("xor", y); }
  not(): Array { return this.call("not"); }
  astype(dtype: DTypeLike): Array { return this.call("astype", dtype); }
  matmul(y: ArrayInput): Array { return this.call("matmul", y); }
  dot(y: ArrayInput): Array { return this.call("dot", y); }
  reshape(...shape: number[] | [readonly number[]]): Array { return this.call("reshape", ...shape); }
  transpose(...axes: number[] | [readonly number[]]): Array { return this.call("transpose", ...axes); }
  get T(): Array { return this.call("transpose"); }
  ravel(): Array { return this.call("ravel"); }
  flatten(): Array { return this.call("ravel"); }
  squeeze(axis?: number | readonly number[]): Array { return this.call("squeeze", axis); }
  expandDims(axis: number | readonly number[]): Array { return this.call("expandDims", axis); }
  swapaxes(a: number, b: number): Array { return this.call("swapaxes", a, b); }
  broadcastTo(shape: readonly number[]): Array { return this.call("broadcastTo", shape); }
  sum(axis?: number | readonly number[] | null, opts?: ReduceOptions): Array { return this.call("sum", axis, opts); }
  prod(axis?: number | readonly number[] | null, opts?: ReduceOptions): Array { return this.call("prod", axis, opts); }
  max(axis?: number | readonly number[] | null, opts?: ReduceOptions): Array { return this.call("max", axis, opts); }
  min(axis?: number | readonly number[] | null, opts?: ReduceOptions): Array { return this.call("min", axis, opts); }
  mean(axis?: number | readonly number[] | null, opts?: ReduceOptions): Array { return this.call("mean", axis, opts); }
  any(axis?: number | readonly number[] | null, opts?: ReduceOptions): Array { return this.call("any", axis, opts); }
  all(axis?: number | readonly number[] | null, opts?: ReduceOptions): Array { return this.call("all", axis, opts); }
  argmax(axis?: number | null, opts?: { keepdims?: boolean }): Array { return this.call("argmax", axis, opts); }
  argmin(axis?: number | null, opts?: { keepdims?: boolean }): Array { return this.call("argmin", axis, opts); }
  cumsum(axis?: number | null): Array { return this.call("cumsum", axis); }
  clip(min?: ArrayInput | null, max?: ArrayInput | null): Array { return this.call("clip", min, max); }
  /** NumPy-style read indexing: numbers, "1:3, ..., None" strings, slices, index arrays, masks. */
  get(...index: IndexItem[]): Array { return this.call("get", ...index); }
  /**
   * Functional updates, as JAX's `x.at[idx]`: `x.at(idx).set(v)` or, with a
   * number or NumPy-style string index, `x.at[0].add(v)` / `x.at["1:3, ..."].set(v)`.
   * Methods: set, add, subtract, multiply, divide, power, min, max, apply, get.
   */
  get at(): AtAccessor {
    const self = this;
    const fn = (...index: IndexItem[]): IndexUpdateRef => self.call("at", ...index);
    return new Proxy(fn, {
      get(target, prop, receiver) {
        if (typeof prop === "string" && !(prop in target)) return self.call("at", prop);
        return Reflect.get(target, prop, receiver);
      },
    }) as AtAccessor;
  }

  toString(): string {
    return formatArray(this.dataSync(), this.aval);
  }
  /** Node's util.inspect uses this, so console.log(x) prints like JAX. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}


/**
 * A traced Array. Reading its value is an error (it is not known while tracing);
 * every operation is recorded by its trace instead.
 */
export abstract class Tracer extends Array {
  /** @internal */ _trace: Trace;
  constructor(trace: Trace, aval: ShapedArray) {
    super(aval, null, null);
    this._trace = trace;
  }
  /**
   * The concrete value this tracer stands for, when it is known while tracing
   * (a JVP of a concrete primal, a known value in partial evaluation). As in
   * JAX, JS control flow on such values works under grad; under jit it cannot.
   */
  toConcrete(): Array | null {
    return null;
  }
  /** Extra words for concretization errors (which function and argument). */
  concretizationContext(): string {
    return "";
  }
  private concreteOr(what: string): Array {
    const c = this.toConcrete();
    if (c) return c;
    throw new ConcretizationTypeError(concretizationMessage(what, this.aval.strShort(), this.concretizationContext()));
  }
  override get backend(): Backend {
    return this.concreteOr("its backend").backend;
  }
  override async data(): Promise<TypedArray> {
    return this.concreteOr("await x.data()").data();
  }
  override dataSync(): TypedArray {
    return this.concreteOr("x.dataSync()").dataSync();
  }
  override item(): number | boolean {
    return this.concreteOr("x.item()").item();
  }
  override tolist(): NestedArray {
    return this.concreteOr("x.tolist()").tolist();
  }
  override [Symbol.toPrimitive](hint: string): number | string | boolean {
    if (hint === "string") return this.toString();
    return this.concreteOr("converting to a JS number or boolean (e.g. `if (x > 0)`, Number(x))")[Symbol.toPrimitive](hint);
  }
  override dispose(): void {}
  override toString(): string {
    return `Traced<${this.aval.strShort()}>with<${this._trace.constructor.name}>`;
  }
}

// ---------------------------------------------------------------------------
// Creation

function toNested(data: TypedArray, shape: Shape, isBool: boolean): NestedArray {
  const conv = (v: number) => (isBool ? v !== 0 : v);
  if (shape.length === 0) return conv(data[0]!);
  const rec = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim]!;
    const stride = shapeSize(shape.slice(dim + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? conv(data[offset + i]!) : rec(dim + 1, offset + i * stride));
    }
    return out;
  };
  return rec(0, 0);
}

/** Infer shape and flatten a nested list; throws on ragged input. */
function flattenNested(x: NestedArray | TypedArray): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  let cur: unknown = x;
  while (JsArray.isArray(cur) || ArrayBuffer.isView(cur)) {
    shape.push((cur as ArrayLike<unknown>).length);
    cur = (cur as ArrayLike<unknown>)[0];
  }
  const flat: (number | boolean)[] = [];
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== "number" && typeof v !== "boolean") {
        throw new TypeError(`[array] ragged or non-numeric nested input: found ${typeof v} where a number was expected`);
      }
      flat.push(v);
      return;
    }
    if (!(JsArray.isArray(v) || ArrayBuffer.isView(v)) || (v as ArrayLike<unknown>).length !== shape[dim]) {
      throw new TypeError(`[array] ragged nested input: expected a list of length ${shape[dim]} at depth ${dim}`);
    }
    for (let i = 0; i < shape[dim]!; i++) walk((v as ArrayLike<unknown>)[i], dim + 1);
  };
  walk(x, 0);
  return { shape, flat };
}

export interface ArrayOptions {
  dtype?: DTypeLike;
  /** Place on this backend (by name) instead of the default backend. */
  backend?: string | Backend;
}

function typedArrayDType(x: TypedArray): DType | null {
  if (x instanceof Float32Array) return float32;
  if (x instanceof Float64Array) return toDType("float64");
  if (x instanceof Int32Array) return int32;
  if (x instanceof Uint32Array) return toDType("uint32");
  if (x instanceof Int16Array) return toDType("int16");
  if (x instanceof Uint16Array) return toDType("uint16");
  if (x instanceof Int8Array) return toDType("int8");
  if (x instanceof Uint8Array) return toDType("uint8");
  return null;
}

/**
 * Create an Array from nested lists, a typed array, a scalar, or another Array
 * (jnp.array). Without `dtype`: booleans give bool, integers int32, otherwise
 * float32 (JAX's defaults); a typed array keeps its dtype.
 */
export function array(x: NestedArray | TypedArray | Array, opts: ArrayOptions = {}): Array {
  if (x instanceof Array) {
    if (!opts.dtype || toDType(opts.dtype) === x.dtype) return x;
    return arrayMethods.astype!(x, opts.dtype);
  }
  const { shape, flat } = flattenNested(x);
  let dt: DType;
  if (opts.dtype !== undefined) dt = toDType(opts.dtype);
  else if (ArrayBuffer.isView(x)) dt = typedArrayDType(x as TypedArray) ?? float32;
  else if (flat.length > 0 && flat.every((v) => typeof v === "boolean")) dt = bool;
  else if (flat.every((v) => typeof v === "boolean" || Number.isInteger(v))) dt = int32;
  else dt = float32;
  const data = new dt.storage(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    data[i] = castScalar(typeof v === "boolean" ? Number(v) : v, dt);
  }
  return fromTyped(data, shape, dt, false, opts.backend);
}

/** Wrap a typed array already holding values of `dtype` (no copy on CPU). */
export function fromTyped(
  data: TypedArray,
  shape: Shape,
  dt: DType,
  weakType = false,
  backend?: string | Backend,
): Array {
  checkShape("array", shape);
  if (data.length !== shapeSize(shape)) {
    throw new TypeError(`[array] ${data.length} values do not fill shape (${shape.join(", ")})`);
  }
  const b = resolveBackend(backend);
  const aval = new ShapedArray(shape, dt, weakType);
  return new Array(aval, b.put(data, aval), b);
}

let resolveBackendFn: (b?: string | Backend) => Backend = () => defaultBackend();
/** @internal */
export function setBackendResolver(f: (b?: string | Backend) => Backend): void {
  resolveBackendFn = f;
}
function resolveBackend(b?: string | Backend): Backend {
  return resolveBackendFn(b);
}

/** A weakly typed scalar for a JS number/boolean (int32 or float32 weak; bool strong). */
export function scalar(x: number | boolean, dt?: DType, weakType = true): Array {
  const d = dt ?? (typeof x === "boolean" ? bool : Number.isInteger(x) ? int32 : float32);
  const data = new d.storage(1);
  data[0] = castScalar(Number(x), d);
  return fromTyped(data, [], d, typeof x === "boolean" ? false : weakType);
}

/** Coerce an input to an Array: numbers become weak scalars. */
export function asArray(x: ArrayInput): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number" || typeof x === "boolean") return scalar(x);
  throw new TypeError(`Expected an Array, number or boolean, got ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (JsArray.isArray(x)) return "a JS array (wrap it with array(...))";
  return typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;
}
