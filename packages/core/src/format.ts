// Printing arrays exactly as JAX's `repr(jax_array)` does: `Array([1., 2.], dtype=float32)`.
//
// JAX calls NumPy's array2string with its default print options (precision 8,
// floatmode 'maxprec', threshold 1000, edgeitems 3, linewidth 75), so this
// file follows NumPy's arrayprint.py: the same choice between positional and
// scientific notation, the same common precision and padding, summarization
// and line wrapping. Float digits come from the Dragon4 algorithm with NumPy's
// cutoff rules, run on exact big-integer arithmetic, so each dtype prints its
// own shortest round-trip digits (float32 0.1 prints as 0.1).
import { roundToFloat16, type DType, type TypedArray } from "./dtypes.js";
import type { ShapedArray } from "./shape.js";

const PREFIX = "Array(";

/**
 * The NumPy print options this printer follows (np.set_printoptions); JAX
 * prints through NumPy, so they apply to `Array.toString()` too. floatmode is
 * always 'maxprec' and sign '-'.
 */
export interface PrintOptions {
  /** Digits after the point (default 8). */
  precision: number;
  /** Arrays with more elements are summarized with "..." (default 1000). */
  threshold: number;
  /** Items shown at each end of a summarized axis (default 3). */
  edgeitems: number;
  /** Characters per line before wrapping (default 75). */
  linewidth: number;
  /** Never use scientific notation for small values: print them as 0 at this precision (default false). */
  suppress: boolean;
}

const DEFAULT_PRINT_OPTIONS: Readonly<PrintOptions> = Object.freeze({
  precision: 8,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 75,
  suppress: false,
});
let printOptions: PrintOptions = { ...DEFAULT_PRINT_OPTIONS };

/** A copy of the current print options. */
export function getPrintOptions(): PrintOptions {
  return { ...printOptions };
}

function checkCount(op: string, k: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new TypeError(`[${op}] ${k} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

function validPrintOptions(op: string, o: Partial<PrintOptions>, base: PrintOptions): PrintOptions {
  const out = { ...base };
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    switch (k) {
      case "precision":
      case "threshold":
      case "edgeitems":
        out[k] = checkCount(op, k, v, 0);
        break;
      case "linewidth":
        out[k] = checkCount(op, k, v, 1);
        break;
      case "suppress":
        if (typeof v !== "boolean") throw new TypeError(`[${op}] suppress must be a boolean, got ${String(v)}`);
        out.suppress = v;
        break;
      default:
        throw new TypeError(`[${op}] unknown print option ${JSON.stringify(k)}; expected precision, threshold, edgeitems, linewidth or suppress`);
    }
  }
  return out;
}

/** Set print options (the ones given; others keep their values). Returns the previous options. */
export function setPrintOptions(o: Partial<PrintOptions>): PrintOptions {
  const prev = getPrintOptions();
  printOptions = validPrintOptions("setPrintOptions", o, printOptions);
  return prev;
}

/** Restore NumPy's default print options. */
export function resetPrintOptions(): void {
  printOptions = { ...DEFAULT_PRINT_OPTIONS };
}

// ---------------------------------------------------------------------------
// Dragon4 (Steele & White, Burger & Dybvig), with NumPy's cutoff semantics.

/** A finite float as sign * mantissa * 2^exponent, in the layout of its dtype. */
interface FloatParts {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
  /** Index of the highest set bit of the mantissa. */
  mantissaBit: number;
  /** The gap to the next float above is twice the gap below (a power of two). */
  unequalMargins: boolean;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const hiWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Fraction bits and exponent bias of each float dtype. */
const FLOAT_LAYOUT: Record<number, { mant: number; bias: number }> = {
  16: { mant: 10, bias: 15 },
  32: { mant: 23, bias: 127 },
  64: { mant: 52, bias: 1023 },
};

function bitLength(x: bigint): number {
  return x.toString(2).length;
}

/** Decompose a finite value of a float dtype (held exactly in a JS number). */
function floatParts(x: number, bits: number): FloatParts {
  f64[0] = x;
  const hi = u32[hiWord]!;
  const lo = u32[1 - hiWord]!;
  const negative = hi >>> 31 === 1;
  const e64 = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e64 === 0 && frac === 0n) return { negative, mantissa: 0n, exponent: 0, mantissaBit: 0, unequalMargins: false };
  const { mant, bias } = FLOAT_LAYOUT[bits]!;
  if (e64 === 0) {
    // A float64 subnormal (only float64 values can be this small).
    return { negative, mantissa: frac, exponent: -1074, mantissaBit: bitLength(frac) - 1, unequalMargins: false };
  }
  const e = e64 - 1023;
  if (e >= 1 - bias) {
    const f = frac >> BigInt(52 - mant);
    return {
      negative,
      mantissa: (1n << BigInt(mant)) | f,
      exponent: e - mant,
      mantissaBit: mant,
      unequalMargins: e + bias !== 1 && f === 0n,
    };
  }
  // Subnormal in the target dtype: value = mantissa * 2^(1 - bias - mant).
  const full = (1n << 52n) | frac;
  const mantissa = full >> BigInt(1 - bias - mant - (e - 52));
  return { negative, mantissa, exponent: 1 - bias - mant, mantissaBit: bitLength(mantissa) - 1, unequalMargins: false };
}

const LOG10_2 = 0.30102999566398119521373889472449;

/**
 * The shortest digits that identify the value among its dtype's neighbours,
 * cut off after `cutoffMax` digits (counted in total, or after the decimal
 * point) and rounded there, with at least `cutoffMin` digits (-1: no limit).
 * Returns the digits and the decimal exponent of the first one.
 */
function dragon4(
  p: FloatParts,
  fractionCutoff: boolean,
  cutoffMax: number,
  cutoffMin: number,
): { digits: string; exp10: number } {
  const { mantissa, exponent, mantissaBit, unequalMargins } = p;
  if (mantissa === 0n) return { digits: "0", exp10: 0 };
  const isEven = (mantissa & 1n) === 0n;
  // value = scaledValue / scale; the margins are half the gaps to the neighbours.
  let scale: bigint;
  let value: bigint;
  let marginLow: bigint;
  const m = unequalMargins ? 2n : 1n;
  if (exponent > 0) {
    value = mantissa << BigInt(exponent + (unequalMargins ? 2 : 1));
    scale = unequalMargins ? 4n : 2n;
    marginLow = 1n << BigInt(exponent);
  } else {
    value = mantissa << (unequalMargins ? 2n : 1n);
    scale = 1n << BigInt(-exponent + (unequalMargins ? 2 : 1));
    marginLow = 1n;
  }
  let digitExponent = Math.ceil((mantissaBit + exponent) * LOG10_2 - 0.69);
  if (cutoffMax >= 0 && fractionCutoff && digitExponent <= -cutoffMax) digitExponent = -cutoffMax + 1;
  if (digitExponent > 0) scale *= 10n ** BigInt(digitExponent);
  else if (digitExponent < 0) {
    const pow = 10n ** BigInt(-digitExponent);
    value *= pow;
    marginLow *= pow;
  }
  if (value >= scale) digitExponent += 1;
  else {
    value *= 10n;
    marginLow *= 10n;
  }
  let cutoffMaxExp = digitExponent - 16384;
  if (cutoffMax >= 0) {
    const want = fractionCutoff ? -cutoffMax : digitExponent - cutoffMax;
    if (want > cutoffMaxExp) cutoffMaxExp = want;
  }
  let cutoffMinExp = digitExponent;
  if (cutoffMin >= 0) {
    const want = fractionCutoff ? -cutoffMin : digitExponent - cutoffMin;
    if (want < cutoffMinExp) cutoffMinExp = want;
  }
  let exp10 = digitExponent - 1;
  const out: number[] = [];
  let low = false;
  let high = false;
  let digit = 0;
  for (;;) {
    digitExponent -= 1;
    digit = Number(value / scale);
    value %= scale;
    const marginHigh = marginLow * m;
    low = isEven ? value <= marginLow : value < marginLow;
    high = isEven ? value + marginHigh >= scale : value + marginHigh > scale;
    if (((low || high) && digitExponent <= cutoffMinExp) || digitExponent === cutoffMaxExp) break;
    out.push(digit);
    value *= 10n;
    marginLow *= 10n;
  }
  // Round the last digit: toward the side that stays unique, else to nearest (ties to even digit).
  let roundDown = low;
  if (low === high) {
    const twice = value * 2n;
    roundDown = twice < scale || (twice === scale && (digit & 1) === 0);
  }
  if (roundDown) out.push(digit);
  else if (digit < 9) out.push(digit + 1);
  else {
    for (;;) {
      if (out.length === 0) {
        out.push(1);
        exp10 += 1;
        break;
      }
      const d = out.pop()!;
      if (d !== 9) {
        out.push(d + 1);
        break;
      }
    }
  }
  return { digits: out.join(""), exp10 };
}

/** How trailing zeros are treated: 'k' keeps them, '.' trims them but keeps the point. */
type Trim = "k" | ".";

interface PositionalOptions {
  precision: number;
  minDigits: number;
  trim: Trim;
  padLeft: number;
  padRight: number;
}

/** NumPy's dragon4_positional (unique digits, fractional cutoff, no forced sign). */
function formatPositional(x: number, bits: number, o: PositionalOptions): string {
  const p = floatParts(x, bits);
  const { digits, exp10 } = dragon4(p, true, o.precision, o.minDigits);
  const sign = p.negative ? "-" : "";
  let body: string;
  let numWhole: number;
  let numFrac: number;
  if (exp10 >= 0) {
    numWhole = exp10 + 1;
    if (digits.length <= numWhole) {
      body = digits + "0".repeat(numWhole - digits.length);
      numFrac = 0;
    } else {
      body = `${digits.slice(0, numWhole)}.${digits.slice(numWhole)}`;
      numFrac = digits.length - numWhole;
    }
  } else {
    const zeros = -(exp10 + 1);
    body = `0.${"0".repeat(zeros)}${digits}`;
    numWhole = 1;
    numFrac = zeros + digits.length;
  }
  if (numFrac === 0) body += ".";
  const want = Math.max(o.minDigits, 0);
  if (o.trim === "k" && want > numFrac) {
    body += "0".repeat(want - numFrac);
    numFrac = want;
  }
  if (o.trim !== "k" && numFrac > 0) {
    while (body.endsWith("0")) {
      body = body.slice(0, -1);
      numFrac--;
    }
  }
  if (o.padRight >= numFrac) body += " ".repeat(o.padRight - numFrac);
  const left = numWhole + sign.length;
  return (o.padLeft > left ? " ".repeat(o.padLeft - left) : "") + sign + body;
}

interface ScientificOptions {
  precision: number;
  minDigits: number;
  trim: Trim;
  padLeft: number;
  expDigits: number;
}

/** NumPy's dragon4_scientific (unique digits, no forced sign). */
function formatScientific(x: number, bits: number, o: ScientificOptions): string {
  const p = floatParts(x, bits);
  const { digits, exp10 } = dragon4(
    p,
    false,
    o.precision < 0 ? -1 : o.precision + 1,
    o.minDigits < 0 ? -1 : o.minDigits + 1,
  );
  const sign = p.negative ? "-" : "";
  const pad = o.padLeft > 1 + sign.length ? " ".repeat(o.padLeft - 1 - sign.length) : "";
  let mant = digits[0]!;
  let numFrac = digits.length - 1;
  mant += numFrac > 0 ? `.${digits.slice(1)}` : ".";
  const want = Math.max(o.minDigits, 0);
  if (o.trim === "k" && want > numFrac) {
    mant += "0".repeat(want - numFrac);
    numFrac = want;
  }
  if (o.trim !== "k" && numFrac > 0) mant = mant.replace(/0+$/, "");
  const expDigits = o.expDigits < 0 ? 2 : Math.min(o.expDigits, 5);
  const e = String(Math.abs(exp10)).padStart(expDigits, "0");
  return `${pad}${sign}${mant}e${exp10 < 0 ? "-" : "+"}${e}`;
}

// ---------------------------------------------------------------------------
// Element formatters: one per array, fitted to the values that will be shown.

type ElementFormat = (x: number) => string;

/** Round a JS number to a float dtype's precision (NumPy compares and divides scalars in the dtype). */
function toDTypePrecision(x: number, bits: number): number {
  return bits === 64 ? x : bits === 32 ? Math.fround(x) : roundToFloat16(x);
}

/** finfo(dtype).precision: decimal digits the dtype holds. */
const FLOAT_DIGITS: Record<number, number> = { 16: 3, 32: 6, 64: 15 };

/** NumPy's FloatingFormat for floatmode 'maxprec', sign '-'. */
function floatFormat(values: ArrayLike<number>, bits: number, opts: PrintOptions): ElementFormat {
  const finite: number[] = [];
  let hasNonFinite = false;
  let negInf = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) finite.push(v);
    else {
      hasNonFinite = true;
      if (v === -Infinity) negInf = true;
    }
  }
  // Scientific notation when the non-zero magnitudes are too large, too small
  // or too spread out; NumPy compares in the array's dtype.
  let expFormat = false;
  let maxVal = -Infinity;
  let minVal = Infinity;
  for (const v of finite) {
    if (v === 0) continue;
    const a = Math.abs(v);
    if (a > maxVal) maxVal = a;
    if (a < minVal) minVal = a;
  }
  if (minVal !== Infinity) {
    const cutoff = toDTypePrecision(10 ** Math.min(8, FLOAT_DIGITS[bits]!), bits);
    expFormat =
      maxVal >= cutoff ||
      (!opts.suppress && (minVal < toDTypePrecision(0.0001, bits) || toDTypePrecision(maxVal / minVal, bits) > 1000));
  }

  let padLeft = 0;
  let padRight = 0;
  let precision = opts.precision;
  let minDigits = -1;
  let expSize = -1;
  if (finite.length > 0 && expFormat) {
    let maxFrac = 0;
    for (const v of finite) {
      const s = formatScientific(v, bits, { precision, minDigits: -1, trim: ".", padLeft: -1, expDigits: -1 });
      const [mant, exp] = s.split("e") as [string, string];
      const [int, frac = ""] = mant.split(".");
      expSize = Math.max(expSize, exp.length - 1);
      maxFrac = Math.max(maxFrac, frac.length);
      padLeft = Math.max(padLeft, int!.length);
    }
    precision = maxFrac;
    minDigits = maxFrac;
    padRight = expSize + 2 + precision;
  } else if (finite.length > 0) {
    for (const v of finite) {
      const s = formatPositional(v, bits, { precision, minDigits: -1, trim: ".", padLeft: -1, padRight: -1 });
      const [int, frac = ""] = s.split(".");
      padLeft = Math.max(padLeft, int!.length);
      padRight = Math.max(padRight, frac.length);
    }
    minDigits = 0;
  }
  if (hasNonFinite) {
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset);
  }
  const width = padLeft + padRight + 1;
  return (x: number) => {
    if (Number.isNaN(x)) return "nan".padStart(width);
    if (!Number.isFinite(x)) return (x < 0 ? "-inf" : "inf").padStart(width);
    return expFormat
      ? formatScientific(x, bits, { precision, minDigits, trim: "k", padLeft, expDigits: expSize })
      : formatPositional(x, bits, { precision, minDigits, trim: ".", padLeft, padRight });
  };
}

function intFormat(values: ArrayLike<number>): ElementFormat {
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const width = values.length > 0 ? Math.max(String(max).length, String(min).length) : 0;
  return (x: number) => String(x).padStart(width);
}

function elementFormat(values: ArrayLike<number>, dtype: DType, ndim: number, opts: PrintOptions): ElementFormat {
  switch (dtype.kind) {
    case "b": {
      const t = ndim > 0 ? " True" : "True";
      return (x: number) => (x ? t : "False");
    }
    case "f":
      return floatFormat(values, dtype.bits, opts);
    default:
      return intFormat(values);
  }
}

// ---------------------------------------------------------------------------
// Layout: nested brackets, summarization with "...", wrapping at the line width.

/** Indices shown along an axis of length n: all, or the first and last `edge`. */
function shownIndices(n: number, summarize: boolean, edge: number): number[] {
  if (summarize && n > 2 * edge) {
    return [...Array.from({ length: edge }, (_, i) => i), ...Array.from({ length: edge }, (_, i) => n - edge + i)];
  }
  return Array.from({ length: n }, (_, i) => i);
}

/** The values that will be printed (NumPy fits the element format to these only). */
function shownValues(data: TypedArray, shape: readonly number[], summarize: boolean, edge: number): number[] {
  if (!summarize) return Array.from(data);
  const out: number[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      out.push(data[offset]!);
      return;
    }
    for (const i of shownIndices(shape[axis]!, true, edge)) walk(axis + 1, offset + i * strides[axis]!);
  };
  walk(0, 0);
  return out;
}

/** Append `word` to `line`, first moving to a new line if it would pass `width`. */
function extendLine(acc: { s: string; line: string }, word: string, width: number, nextLinePrefix: string): void {
  if (acc.line.length + word.length > width && acc.line.length > nextLinePrefix.length) {
    acc.s += acc.line.trimEnd() + "\n";
    acc.line = nextLinePrefix;
  }
  acc.line += word;
}

/** NumPy's _formatArray. */
function layout(
  data: TypedArray,
  shape: readonly number[],
  fmt: ElementFormat,
  summarize: boolean,
  lineWidth: number,
  prefix: string,
  sep: string,
  edge: number,
): string {
  const ndim = shape.length;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const rec = (axis: number, offset: number, indent: string, width: number): string => {
    if (axis === ndim) return fmt(data[offset]!);
    const nextIndent = indent + " ";
    const nextWidth = width - 1;
    const n = shape[axis]!;
    const summary = summarize && n > 2 * edge;
    const idx = shownIndices(n, summarize, edge);
    const lead = summary ? edge : 0;
    let s: string;
    if (axis === ndim - 1) {
      const elemWidth = width - Math.max(sep.trimEnd().length, 1);
      const acc = { s: "", line: indent };
      idx.forEach((i, k) => {
        if (summary && k === lead) {
          extendLine(acc, "...", elemWidth, indent);
          acc.line += sep;
        }
        extendLine(acc, rec(axis + 1, offset + i * strides[axis]!, nextIndent, nextWidth), elemWidth, indent);
        if (k < idx.length - 1) acc.line += sep;
      });
      s = acc.s + acc.line;
    } else {
      const lineSep = sep.trimEnd() + "\n".repeat(ndim - axis - 1);
      const parts = idx.map((i) => indent + rec(axis + 1, offset + i * strides[axis]!, nextIndent, nextWidth));
      if (summary) parts.splice(lead, 0, indent + "...");
      s = parts.join(lineSep);
    }
    return `[${s.slice(indent.length)}]`;
  };
  return rec(0, 0, " ".repeat(prefix.length + 1), lineWidth);
}

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * str() of a NumPy scalar of this dtype: the shortest digits that round-trip,
 * positional from 1e-4 up to 1e3/1e6/1e16 for float16/32/64 (np.float32(0.1)
 * → "0.1", 3 → "3.0"), scientific otherwise ("1e+20"); ints as decimals, bools as True/False.
 */
export function formatScalar(x: number, dt: DType): string {
  if (dt.kind === "b") return x ? "True" : "False";
  if (dt.kind !== "f") return String(x);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  const a = Math.abs(x);
  // NumPy switches to scientific at 1e3 (float16), 1e6 (float32), 1e16 (float64).
  if (a === 0 || (a >= 1e-4 && a < (dt.bits === 16 ? 1e3 : dt.bits === 32 ? 1e6 : 1e16))) {
    const s = formatPositional(x, dt.bits, { precision: -1, minDigits: -1, trim: ".", padLeft: -1, padRight: -1 });
    return s.endsWith(".") ? `${s}0` : s;
  }
  return formatScientific(x, dt.bits, { precision: -1, minDigits: -1, trim: ".", padLeft: -1, expDigits: -1 }).replace(".e", "e");
}

export interface Array2StringOptions {
  maxLineWidth?: number | null;
  precision?: number | null;
  suppressSmall?: boolean | null;
  /** Between elements (default " "). */
  separator?: string;
  /** Text the result will follow; wrapped lines are indented by its length. */
  prefix?: string;
  /** Text that will follow the result; taken off the line width of the last line. */
  suffix?: string;
  /** Print options to use instead of the current ones (the three above still override). */
  options?: Partial<PrintOptions>;
}

/**
 * NumPy's array2string for these values (legacy=False, floatmode 'maxprec'):
 * the bracketed elements only. Empty arrays give "[]".
 */
export function array2string(data: TypedArray, aval: ShapedArray, o: Array2StringOptions = {}): string {
  const opts = validPrintOptions("array2string", { ...o.options, linewidth: o.maxLineWidth ?? undefined, precision: o.precision ?? undefined, suppress: o.suppressSmall ?? undefined }, printOptions);
  if (aval.size === 0) return "[]";
  const summarize = aval.size > opts.threshold;
  const fmt = elementFormat(shownValues(data, aval.shape, summarize, opts.edgeitems), aval.dtype, aval.ndim, opts);
  return layout(data, aval.shape, fmt, summarize, opts.linewidth - (o.suffix ?? "").length, o.prefix ?? "", o.separator ?? " ", opts.edgeitems);
}

/** The text of `repr(x)` for a JAX array with these values and aval, under the current print options. */
export function formatArray(data: TypedArray, aval: ShapedArray): string {
  const lineWidth = printOptions.linewidth;
  const dtypeStr = `dtype=${aval.dtype.name}${aval.weakType ? ", weak_type=True" : ""}`;
  const s =
    aval.size === 0
      ? `[], shape=${pyShape(aval.shape)}`
      : array2string(data, aval, { separator: ", ", prefix: PREFIX, suffix: "," });
  // JAX moves the dtype off a too-long last line with spaces (not a newline).
  const lastLineLen = s.length - s.lastIndexOf("\n") + 1;
  const sep = lastLineLen + dtypeStr.length + 2 > lineWidth ? " ".repeat(PREFIX.length) : " ";
  return `${PREFIX}${s},${sep}${dtypeStr})`;
}
