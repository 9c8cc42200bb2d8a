// CPU kernels of the elementwise primitives: a scalar function per primitive,
// applied by one loop that broadcasts rank-0 operands and size-1 dimensions.
import type { Primitive } from "../../core.js";
import { castScalar, float16FromBits, float16ToBits as float16Bits, type DType, type TypedArray } from "../../dtypes.js";
import * as P from "../../primitives/elementwise.js";
import type { ShapedArray } from "../../shape.js";
import { alloc, registerCpuKernel1, scalarKernels } from "./kernels.js";
import { digamma, erf, erfc, erfInv, lgamma, polygamma } from "./special.js";

type Scalar1 = (x: number, d: DType, params: any) => number;
type Scalar2 = (x: number, y: number, d: DType) => number;

/**
 * The hot loops, compiled once per primitive and per combination of operand
 * and result dtypes (`perDtypes`): one loop shared by every primitive would call
 * its scalar function from a megamorphic call site, and one loop seeing several
 * typed-array classes makes every element access megamorphic — V8 then runs it
 * 5-15x slower per element. Each copy made by `new Function` has its own type
 * feedback, so each stays monomorphic and inlines its scalar function.
 */
function perDtypes<L>(make: (d: DType) => L): (key: string, d: DType) => L {
  const cache = new Map<string, L>();
  return (key, d) => {
    let l = cache.get(key);
    if (!l) cache.set(key, (l = make(d)));
    return l;
  };
}
// V8 caches `new Function` by its source text, and copies compiled from one
// source share type feedback: the tag makes each copy's source its own.
let loopTag = 0;
const unaryLoop = () =>
  new Function("f", `return function unaryLoop(x, o, d, params) { /* ${loopTag++} */ for (let i = 0; i < o.length; i++) o[i] = f(x[i], d, params); }`) as (
    f: Scalar1,
  ) => (x: TypedArray, o: TypedArray, d: DType, params: any) => void;
const binaryLoops = () =>
  new Function(
    "f",
    `/* ${loopTag++} */ return {
      same(x, y, o, d) { for (let i = 0; i < o.length; i++) o[i] = f(x[i], y[i], d); },
      left(xv, y, o, d) { for (let i = 0; i < o.length; i++) o[i] = f(xv, y[i], d); },
      right(x, yv, o, d) { for (let i = 0; i < o.length; i++) o[i] = f(x[i], yv, d); },
    };`,
  ) as (f: Scalar2) => {
    same(x: TypedArray, y: TypedArray, o: TypedArray, d: DType): void;
    left(xv: number, y: TypedArray, o: TypedArray, d: DType): void;
    right(x: TypedArray, yv: number, o: TypedArray, d: DType): void;
  };

function unary(p: Primitive, f: Scalar1): void {
  scalarKernels.set(p, { form: "unary", f });
  const loops = perDtypes(() => unaryLoop()(f));
  registerCpuKernel1(p, ([x], params, [xa], out) => {
    const o = alloc(out);
    loops(xa!.dtype.name + out.dtype.name, xa!.dtype)(x!, o, xa!.dtype, params);
    return o;
  });
}

/**
 * Index maps for n-ary broadcasting: for each input, the flat input index of
 * every output element (null when the input has the output's shape). Rank-0
 * inputs and size-1 dimensions broadcast, as lax's elementwise ops allow.
 */
export function broadcastIndex(a: ShapedArray, out: ShapedArray): Int32Array | null {
  const n = out.size;
  if (a.ndim === out.ndim && a.shape.every((d, i) => d === out.shape[i])) return null;
  const idx = new Int32Array(n);
  if (a.ndim === 0 || a.size === 1) return idx;
  const nd = out.ndim;
  const strides = new Array<number>(nd);
  let acc = 1;
  for (let k = nd - 1; k >= 0; k--) {
    strides[k] = a.shape[k] === 1 ? 0 : acc;
    acc *= a.shape[k]!;
  }
  const counter = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = off;
    for (let k = nd - 1; k >= 0; k--) {
      counter[k]!++;
      off += strides[k]!;
      if (counter[k]! < out.shape[k]!) break;
      off -= strides[k]! * counter[k]!;
      counter[k] = 0;
    }
  }
  return idx;
}

/** n-ary loop with broadcasting. */
function nary(p: Primitive, f: (args: number[], d: DType) => number, dtypeArg = 0): void {
  scalarKernels.set(p, { form: "nary", f, dtypeArg });
  registerCpuKernel1(p, (ins, _params, avals, out) => {
    const o = alloc(out);
    const n = o.length;
    const d = avals[dtypeArg]!.dtype;
    const maps = avals.map((a) => broadcastIndex(a, out));
    const args = new Array<number>(ins.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < ins.length; k++) args[k] = ins[k]![maps[k] ? maps[k]![i]! : i]!;
      o[i] = f(args, d);
    }
    return o;
  });
}

/**
 * `byDtype`, for hot primitives whose scalar function branches on the dtype:
 * one function per dtype, so that no function's type feedback mixes integer and
 * float arithmetic (V8 would then compile the slower, general form for all).
 */
function binary(p: Primitive, f: Scalar2, byDtype?: (d: DType) => Scalar2): void {
  scalarKernels.set(p, { form: "binary", f, byDtype });
  const loopsFor = perDtypes((d: DType) => binaryLoops()(byDtype ? byDtype(d) : f));
  registerCpuKernel1(p, ([x, y], _params, [xa, ya], out) => {
    const o = alloc(out);
    const d = xa!.dtype;
    const n = o.length;
    const xSame = xa!.size === n && xa!.ndim === out.ndim;
    const ySame = ya!.size === n && ya!.ndim === out.ndim;
    const loops = loopsFor(d.name + ya!.dtype.name + out.dtype.name, d);
    // Common cases without index maps: equal shapes, or one operand a single value.
    if (xSame && ySame) loops.same(x!, y!, o, d);
    else if (xa!.size === 1 && ySame) loops.left(x![0]!, y!, o, d);
    else if (ya!.size === 1 && xSame) loops.right(x!, y![0]!, o, d);
    else {
      const xm = broadcastIndex(xa!, out);
      const ym = broadcastIndex(ya!, out);
      for (let i = 0; i < n; i++) o[i] = f(x![xm ? xm[i]! : i]!, y![ym ? ym[i]! : i]!, d);
    }
    return o;
  });
}

const isInt32 = (d: DType) => d.name === "int32" || d.name === "uint32";

// --- float unary ---
unary(P.sinP, Math.sin);
unary(P.cosP, Math.cos);
unary(P.tanP, Math.tan);
unary(P.asinP, Math.asin);
unary(P.acosP, Math.acos);
unary(P.atanP, Math.atan);
unary(P.sinhP, Math.sinh);
unary(P.coshP, Math.cosh);
unary(P.tanhP, Math.tanh);
unary(P.asinhP, Math.asinh);
unary(P.acoshP, Math.acosh);
unary(P.atanhP, Math.atanh);
unary(P.expP, Math.exp);
unary(P.exp2P, (x) => 2 ** x);
unary(P.logP, Math.log);
unary(P.log1pP, Math.log1p);
unary(P.expm1P, Math.expm1);
unary(P.sqrtP, Math.sqrt);
unary(P.rsqrtP, (x) => 1 / Math.sqrt(x));
unary(P.cbrtP, Math.cbrt);
unary(P.logisticP, (x) => 1 / (1 + Math.exp(-x)));
unary(P.erfP, erf);
unary(P.erfcP, erfc);
unary(P.erfInvP, erfInv);
unary(P.lgammaP, lgamma);
unary(P.digammaP, digamma);
binary(P.polygammaP, polygamma);
unary(P.floorP, Math.floor);
unary(P.ceilP, Math.ceil);
unary(P.roundP, (x, _d, { rounding_method }) => (rounding_method === 1 ? roundHalfEven(x) : roundHalfAway(x)));
unary(P.isFiniteP, (x) => (Number.isFinite(x) ? 1 : 0));

// Both keep the sign of zero (round(-0.3) is -0), as XLA's round does.
function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const f = Math.floor(a);
  const r = a - f >= 0.5 ? f + 1 : f; // a - f is exact
  return x < 0 || Object.is(x, -0) ? -r : r;
}
function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const f = Math.floor(a);
  const diff = a - f;
  const r = diff > 0.5 || (diff === 0.5 && f % 2 === 1) ? f + 1 : f;
  return x < 0 || Object.is(x, -0) ? -r : r;
}

// --- numeric unary (ints wrap on store) ---
unary(P.negP, (x) => -x);
unary(P.absP, Math.abs);
unary(P.signP, (x, d) => (d.kind === "u" ? (x > 0 ? 1 : 0) : Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : x));
unary(P.squareP, (x, d) => (isInt32(d) ? Math.imul(x, x) : x * x));
unary(P.integerPowP, (x, d, { y }) => intPow(x, y, d));

function intPow(x: number, y: number, d: DType): number {
  if (d.kind === "f") return y >= 0 ? mulPow(x, y, (a, b) => a * b) : 1 / mulPow(x, -y, (a, b) => a * b);
  const m = isInt32(d) ? Math.imul : (a: number, b: number) => castScalar(a * b, d, d);
  return mulPow(x, y, m);
}
/** x^y by repeated squaring with the given multiply (XLA expands integer_pow the same way). */
function mulPow(x: number, y: number, m: (a: number, b: number) => number): number {
  let acc = 1;
  let base = x;
  let first = true;
  while (y > 0) {
    if (y & 1) {
      acc = first ? base : m(acc, base);
      first = false;
    }
    y >>>= 1;
    if (y > 0) base = m(base, base);
  }
  return acc;
}

// Buffers are immutable, so the identity can share its input.
registerCpuKernel1(P.stopGradientP, ([x]) => x!);

// --- integer / bool unary ---
unary(P.notP, (x, d) => (d.kind === "b" ? 1 - x : ~x));
unary(P.populationCountP, (x, d) => {
  let v = (x & mask(d)) >>> 0;
  let c = 0;
  while (v) {
    c += v & 1;
    v >>>= 1;
  }
  return c;
});
unary(P.clzP, (x, d) => Math.clz32((x & mask(d)) >>> 0) - (32 - d.bits));

function mask(d: DType): number {
  return d.bits === 32 ? 0xffffffff : (1 << d.bits) - 1;
}

// --- binary arithmetic ---
const or: Scalar2 = (x, y) => x | y;
const plus: Scalar2 = (x, y) => x + y;
const and: Scalar2 = (x, y) => x & y;
const times: Scalar2 = (x, y) => x * y;
binary(P.addP, (x, y, d) => (d.kind === "b" ? x | y : x + y), (d) => (d.kind === "b" ? or : plus));
binary(P.subP, (x, y) => x - y);
binary(
  P.mulP,
  (x, y, d) => (isInt32(d) ? Math.imul(x, y) : d.kind === "b" ? x & y : x * y),
  (d) => (isInt32(d) ? Math.imul : d.kind === "b" ? and : times),
);
binary(P.divP, (x, y, d) => {
  if (d.kind === "f") return x / y;
  // XLA: x / 0 = -1 (all ones), INT_MIN / -1 = INT_MIN (wraps); otherwise truncate.
  if (y === 0) return -1;
  return Math.trunc(x / y);
});
binary(P.remP, (x, y, d) => {
  if (d.kind === "f") return x % y;
  if (y === 0) return x;
  return x % y;
});
binary(P.powP, pow);
/** A scalar function from an expression in x and y, compiled per dtype (see `binary`'s byDtype). */
const perDtype = (expr: string) => (d: DType) => new Function("x", "y", `return ${expr}; /* ${d.name} */`) as Scalar2;
// Math.max/min: NaN wins, and -0 < +0, as XLA's max/min.
binary(P.maxP, (x, y) => Math.max(x, y), perDtype("Math.max(x, y)"));
binary(P.minP, (x, y) => Math.min(x, y), perDtype("Math.min(x, y)"));
binary(P.atan2P, Math.atan2);
binary(P.nextafterP, nextafter);
binary(P.andP, (x, y) => x & y);
binary(P.orP, (x, y) => x | y);
binary(P.xorP, (x, y) => x ^ y);
// Shift amounts are read as unsigned; amounts >= the bit width give 0 (or the sign fill).
binary(P.shiftLeftP, (x, y, d) => {
  const s = shiftAmount(y, d);
  return s >= d.bits ? 0 : d.bits === 32 ? x << s : x * 2 ** s;
});
binary(P.shiftRightLogicalP, (x, y, d) => {
  const s = shiftAmount(y, d);
  return s >= d.bits ? 0 : Math.floor(((x & mask(d)) >>> 0) / 2 ** s);
});
binary(P.shiftRightArithmeticP, (x, y, d) => {
  const s = shiftAmount(y, d);
  const signed = d.kind === "u" ? signedOf(x, d) : x;
  const r = Math.floor(signed / 2 ** Math.min(s, d.bits - 1));
  return s >= d.bits ? (signed < 0 ? -1 : 0) : r;
});

function shiftAmount(y: number, d: DType): number {
  return d.kind === "i" ? ((y & mask(d)) >>> 0) >>> 0 : y;
}
function signedOf(x: number, d: DType): number {
  return x >= 2 ** (d.bits - 1) ? x - 2 ** d.bits : x;
}

// Comparisons (NaN compares unequal to everything).
binary(P.eqP, (x, y) => (x === y ? 1 : 0), perDtype("x === y ? 1 : 0"));
binary(P.neP, (x, y) => (x !== y ? 1 : 0), perDtype("x !== y ? 1 : 0"));
binary(P.ltP, (x, y) => (x < y ? 1 : 0), perDtype("x < y ? 1 : 0"));
binary(P.leP, (x, y) => (x <= y ? 1 : 0), perDtype("x <= y ? 1 : 0"));
binary(P.gtP, (x, y) => (x > y ? 1 : 0), perDtype("x > y ? 1 : 0"));
binary(P.geP, (x, y) => (x >= y ? 1 : 0), perDtype("x >= y ? 1 : 0"));

/**
 * C's pow (as XLA's, and NumPy's): unlike JS's `**`, pow(1, y) and pow(x, 0)
 * are 1 even for NaN, and pow(-1, +-inf) is 1. The exponent may be an integer.
 */
function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

const f64 = new Float64Array(1);
const w64 = new Uint32Array(f64.buffer); // [low word, high word] (little-endian)
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** The next representable value of x's dtype after x toward y; steps over the bit pattern. */
function nextafter(x: number, y: number, d: DType): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  // Away from zero is +1 on the magnitude bits, toward zero -1.
  const up = (y > x) === (x > 0);
  if (d.bits === 16) {
    if (x === 0) return y > 0 ? 2 ** -24 : -(2 ** -24);
    return float16FromBits(float16Bits(x) + (up ? 1 : -1));
  }
  if (d.bits === 32) {
    if (x === 0) return y > 0 ? 2 ** -149 : -(2 ** -149);
    f32[0] = x;
    i32[0]! += up ? 1 : -1;
    return f32[0]!;
  }
  if (x === 0) return y > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = x;
  if (up) {
    w64[0] = (w64[0]! + 1) >>> 0;
    if (w64[0] === 0) w64[1]! += 1;
  } else {
    if (w64[0] === 0) w64[1]! -= 1;
    w64[0] = (w64[0]! - 1) >>> 0;
  }
  return f64[0]!;
}

// --- select_n, clamp ---
nary(P.selectNP, (args) => args[1 + args[0]!]!, 1);
nary(P.clampP, ([lo, x, hi]) => (Number.isNaN(x!) ? x! : Math.min(Math.max(x!, lo!), hi!)), 1);

// --- conversions ---
scalarKernels.set(P.convertElementTypeP, { form: "convert", f: castScalar });
registerCpuKernel1(P.convertElementTypeP, ([x], _p, [xa], out) => {
  const o = alloc(out);
  const from = xa!.dtype;
  const to = out.dtype;
  for (let i = 0; i < o.length; i++) o[i] = castScalar(x![i]!, to, from);
  return o;
});

registerCpuKernel1(P.bitcastConvertTypeP, ([x], _p, [xa], out) => {
  const src = bytesOf(x!, xa!);
  return fromBytes(src, out);
});

function bytesOf(x: TypedArray, a: ShapedArray): Uint8Array {
  if (a.dtype.name === "float16") {
    const h = new Uint16Array(x.length);
    for (let i = 0; i < x.length; i++) h[i] = float16Bits(x[i]!);
    return new Uint8Array(h.buffer);
  }
  return new Uint8Array(x.buffer, x.byteOffset, x.byteLength).slice();
}
function fromBytes(b: Uint8Array, out: ShapedArray): TypedArray {
  if (out.dtype.name === "float16") {
    const h = new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2);
    const o = alloc(out);
    for (let i = 0; i < h.length; i++) o[i] = float16FromBits(h[i]!);
    return o;
  }
  return new out.dtype.storage(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}


// add_any sums tangents/cotangents (same shape and dtype).
import { addAnyP } from "../../transforms/zeros.js";
binary(addAnyP, (x, y, d) => (isInt32(d) ? (x + y) | 0 : x + y));
