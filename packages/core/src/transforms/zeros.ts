// Zeros and the `add_any` primitive that sums tangents/cotangents (JAX's add_jaxvals).
import { scalar, type Array } from "../array.js";
import { ShapedArray } from "../shape.js";
import { broadcastInDim } from "../primitives/structural.js";
import { definePrimitive } from "../primitives/define.js";
import { fmtAval } from "../shape.js";

/** Materialize zeros of an aval (used only where a symbolic zero must become real). */
export function zerosLike(aval: ShapedArray): Array {
  const z = scalar(0, aval.dtype, aval.weakType);
  return aval.ndim === 0 ? z : broadcastInDim(z, aval.shape, []);
}

/** Sum of two values of the same type; appears in gradients where fan-out meets. */
export const addAnyP = definePrimitive("add_any", ([x, y]) => {
  if (!x || !y || !x.sameType(y)) {
    throw new TypeError(`[add_any] operands must have the same shape and dtype, got ${x && fmtAval(x)}, ${y && fmtAval(y)}`);
  }
  return new ShapedArray(x.shape, x.dtype, x.weakType && y.weakType);
});

export function addAny(x: Array, y: Array): Array {
  return addAnyP.bind1([x, y]);
}
