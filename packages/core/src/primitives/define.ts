// Helpers that define families of primitives, so each primitive's definition is
// a few lines: its name, which dtypes it accepts, and its rules.
import { Array, asArray, scalar, type ArrayInput } from "../array.js";
import { Primitive, type AbstractEvalRule, type Params } from "../core.js";
import { bool, type DType } from "../dtypes.js";
import { ShapedArray, fmtAval, shapeEqual } from "../shape.js";

export type DTypeClass = "float" | "numeric" | "integer" | "intOrBool" | "any";

const classNames: Record<DTypeClass, string> = {
  float: "floating-point",
  numeric: "numeric (non-bool)",
  integer: "integer",
  intOrBool: "integer or bool",
  any: "any",
};

export function dtypeIn(d: DType, cls: DTypeClass): boolean {
  switch (cls) {
    case "float":
      return d.kind === "f";
    case "numeric":
      return d.kind !== "b";
    case "integer":
      return d.kind === "i" || d.kind === "u";
    case "intOrBool":
      return d.kind !== "f";
    case "any":
      return true;
  }
}

export function checkDType(op: string, a: ShapedArray, cls: DTypeClass): void {
  if (!dtypeIn(a.dtype, cls)) {
    throw new TypeError(`[${op}] requires ${classNames[cls]} inputs, got ${fmtAval(a)}`);
  }
}

/** Define a primitive with one output from its abstract-eval rule. */
export function definePrimitive(name: string, abstractEval: (avals: ShapedArray[], params: any) => ShapedArray): Primitive {
  const p = new Primitive(name);
  p.abstractEval = (avals, params) => [abstractEval(avals, params)];
  return p;
}

export function defineMultiPrimitive(name: string, abstractEval: AbstractEvalRule): Primitive {
  const p = new Primitive(name, true);
  p.abstractEval = abstractEval;
  return p;
}

/** Elementwise unary op: same shape; output dtype = input dtype unless `outDType` given. */
export function unaryPrimitive(name: string, cls: DTypeClass, outDType?: (d: DType) => DType): Primitive {
  return definePrimitive(name, ([x]) => {
    if (!x) throw new TypeError(`[${name}] takes one operand`);
    checkDType(name, x, cls);
    return outDType ? new ShapedArray(x.shape, outDType(x.dtype), false) : x;
  });
}

/**
 * Shape of an n-ary elementwise op, as lax's: rank-0 operands broadcast; the
 * others must have equal rank, and each dimension is equal or 1.
 */
export function naryShape(name: string, avals: ShapedArray[]): readonly number[] {
  const shaped = avals.filter((a) => a.ndim > 0);
  if (shaped.length === 0) return [];
  const nd = shaped[0]!.ndim;
  if (shaped.some((a) => a.ndim !== nd)) {
    throw new TypeError(
      `[${name}] arrays must have the same number of dimensions, got ${avals.map(fmtAval).join(", ")} (Array methods broadcast ranks as NumPy does)`,
    );
  }
  const out: number[] = [];
  for (let k = 0; k < nd; k++) {
    const sizes = new Set(shaped.map((a) => a.shape[k]!));
    sizes.delete(1);
    if (sizes.size > 1) {
      throw new TypeError(`[${name}] got incompatible shapes for broadcasting: ${avals.map(fmtAval).join(", ")}`);
    }
    out.push(sizes.size ? [...sizes][0]! : 1);
  }
  return out;
}

export function checkSameDTypes(name: string, avals: ShapedArray[]): DType {
  const d = avals[0]!.dtype;
  if (avals.some((a) => a.dtype !== d)) {
    throw new TypeError(`[${name}] requires arguments to have the same dtypes, got ${avals.map(fmtAval).join(", ")}`);
  }
  return d;
}

/** Elementwise binary op over same-dtype operands; comparisons give bool. */
export function binaryPrimitive(name: string, cls: DTypeClass, opts: { compare?: boolean } = {}): Primitive {
  return definePrimitive(name, (avals) => {
    if (avals.length !== 2) throw new TypeError(`[${name}] takes two operands, got ${avals.length}`);
    const d = checkSameDTypes(name, avals);
    checkDType(name, avals[0]!, cls);
    const shape = naryShape(name, avals);
    if (opts.compare) return new ShapedArray(shape, bool, false);
    return new ShapedArray(shape, d, avals.every((a) => a.weakType));
  });
}


// ---------------------------------------------------------------------------
// Wrappers used by the lax functions.

/**
 * Coerce lax operands: JS numbers take the dtype of the first Array operand
 * (staying weakly typed), as Python scalars do in JAX.
 */
export function coerceOperands(xs: ArrayInput[]): Array[] {
  const ref = xs.find((x): x is Array => x instanceof Array);
  return xs.map((x) => (x instanceof Array ? x : ref ? scalar(x, ref.dtype) : asArray(x)));
}

export function unaryOp(p: Primitive) {
  return (x: ArrayInput, params: Params = {}): Array => p.bind1([asArray(x)], params);
}

export function binaryOp(p: Primitive) {
  return (x: ArrayInput, y: ArrayInput): Array => p.bind1(coerceOperands([x, y]));
}
