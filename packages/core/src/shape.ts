// Abstract values (avals) and shape helpers shared by every primitive rule.
import { DType } from "./dtypes.js";

export type Shape = readonly number[];

/** The abstract value of an array: shape, dtype and weak type. Immutable. */
export class ShapedArray {
  readonly shape: Shape;
  constructor(
    shape: Shape,
    readonly dtype: DType,
    readonly weakType: boolean = false,
  ) {
    this.shape = Object.freeze([...shape]);
  }
  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return shapeSize(this.shape);
  }
  /** `f32[3,4]`, as Jaxprs print it. */
  strShort(): string {
    return `${this.dtype.short}[${this.shape.join(",")}]`;
  }
  toString(): string {
    return this.strShort();
  }
  equals(o: ShapedArray): boolean {
    return this.dtype === o.dtype && this.weakType === o.weakType && shapeEqual(this.shape, o.shape);
  }
  /** Same shape and dtype, ignoring weak type. */
  sameType(o: ShapedArray): boolean {
    return this.dtype === o.dtype && shapeEqual(this.shape, o.shape);
  }
  withWeakType(weakType: boolean): ShapedArray {
    return weakType === this.weakType ? this : new ShapedArray(this.shape, this.dtype, weakType);
  }
  withShape(shape: Shape): ShapedArray {
    return new ShapedArray(shape, this.dtype, this.weakType);
  }
  /** A string key for caches. */
  key(): string {
    return `${this.strShort()}${this.weakType ? "w" : ""}`;
  }
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Normalize a possibly negative axis; throws naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`[${op}] axis ${axis} is out of bounds for an array of rank ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalize a list of axes, rejecting duplicates. */
export function normalizeAxes(op: string, axes: readonly number[], ndim: number): number[] {
  const out = axes.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(out).size !== out.length) {
    throw new RangeError(`[${op}] repeated axis in ${JSON.stringify(axes)}`);
  }
  return out;
}

export function checkShape(op: string, shape: Shape, what = "shape"): void {
  if (!globalThis.Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`[${op}] ${what} must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/** NumPy broadcasting of shapes; throws naming the op and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i]!;
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) {
        throw new TypeError(
          `[${op}] shapes ${shapes.map((x) => `(${x.join(",")})`).join(", ")} cannot be broadcast together`,
        );
      }
    }
  }
  return out;
}

/** `f32[2,3]` for error messages. */
export function fmtAval(a: { shape: Shape; dtype: DType }): string {
  return `${a.dtype.short}[${a.shape.join(",")}]`;
}
