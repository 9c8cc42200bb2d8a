// jnp.array_repr, jnp.array_str and NumPy's print options (get_printoptions,
// set_printoptions, printoptions). JAX prints arrays through NumPy, so the
// options also change how `Array.toString()` prints; both go through
// @jaxts/core's printer (array2string), which follows NumPy's arrayprint.py.
import {
  Array,
  Tracer,
  array2string,
  formatScalar,
  getPrintOptions,
  setPrintOptions,
  type PrintOptions,
} from "@jaxts/core";
import { asarray } from "./creation.js";
import type { ArrayLike } from "./shape_util.js";

export type { PrintOptions };

export interface ArrayPrintOptions {
  /** Characters per line (default: the linewidth print option). */
  maxLineWidth?: number | null;
  /** Digits after the point (default: the precision print option). */
  precision?: number | null;
  /** Print small values as 0 instead of switching to scientific notation (default: the suppress option). */
  suppressSmall?: boolean | null;
}

const PREFIX = "Array(";

function concrete(op: string, a: ArrayLike): Array {
  if (a instanceof Tracer) {
    throw new TypeError(`[${op}] needs a concrete array, got a traced value (${a.aval.toString()}); print outside jit/vmap/grad or use jax.debug.print`);
  }
  return asarray(a);
}

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * jnp.array_repr: NumPy's array_repr of the values, e.g.
 * `Array([1., 2.], dtype=float32)`. As in NumPy, the dtype is left out when
 * the text implies it (float64, bool), and the shape is added for empty
 * arrays other than shape (0,) and for arrays summarized past the threshold.
 * (JAX prints its class name, "ArrayImpl(", here; jaxts prints "Array(".)
 */
export function arrayRepr(a: ArrayLike, opts: ArrayPrintOptions = {}): string {
  const x = concrete("arrayRepr", a);
  const current = getPrintOptions();
  const maxLineWidth = opts.maxLineWidth ?? current.linewidth;
  const lst = array2string(x.dataSync(), x.aval, {
    maxLineWidth,
    precision: opts.precision,
    suppressSmall: opts.suppressSmall,
    separator: ", ",
    prefix: PREFIX,
    suffix: ")",
  });
  const extras: string[] = [];
  if ((x.size === 0 && !(x.ndim === 1 && x.shape[0] === 0)) || x.size > current.threshold) extras.push(`shape=${pyShape(x.shape)}`);
  const implied = x.dtype.name === "float64" || x.dtype.name === "bool";
  if (!implied || x.size === 0) extras.push(`dtype=${x.dtype.name}`);
  if (extras.length === 0) return `${PREFIX}${lst})`;
  const arrStr = `${PREFIX}${lst},`;
  const extraStr = `${extras.join(", ")})`;
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf("\n") + 1);
  const spacer = lastLineLen + extraStr.length + 1 > maxLineWidth ? `\n${" ".repeat(PREFIX.length)}` : " ";
  return arrStr + spacer + extraStr;
}

/**
 * jnp.array_str: NumPy's array_str of the values, e.g. `[1. 2.]`; a 0-d array
 * prints as its scalar ("0.1", "1e+20", "True"), as NumPy does.
 */
export function arrayStr(a: ArrayLike, opts: ArrayPrintOptions = {}): string {
  const x = concrete("arrayStr", a);
  const data = x.dataSync();
  if (x.ndim === 0) return formatScalar(data[0]!, x.dtype);
  return array2string(data, x.aval, {
    maxLineWidth: opts.maxLineWidth,
    precision: opts.precision,
    suppressSmall: opts.suppressSmall,
    separator: " ",
    prefix: "",
  });
}

/** jnp.get_printoptions: the current print options (a copy). */
export function getPrintoptions(): PrintOptions {
  return getPrintOptions();
}

/** jnp.set_printoptions: set the options given (precision, threshold, edgeitems, linewidth, suppress); others keep their values. */
export function setPrintoptions(opts: Partial<PrintOptions>): void {
  setPrintOptions(opts);
}

/**
 * jnp.printoptions: run `fn` with these print options set, and restore the
 * previous ones afterwards, also when `fn` throws. If `fn` returns a promise,
 * the options are restored when it settles.
 */
export function printoptions<T>(opts: Partial<PrintOptions>, fn: () => T): T {
  const prev = setPrintOptions(opts);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    setPrintOptions(prev);
    throw e;
  }
  if (result && typeof (result as { then?: unknown }).then === "function") {
    return (result as unknown as Promise<unknown>).finally(() => setPrintOptions(prev)) as T;
  }
  setPrintOptions(prev);
  return result;
}
