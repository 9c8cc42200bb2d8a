// jnp.fft (jax/_src/numpy/fft.py), imported as the `fft` namespace.
//
// Complex values: jaxts has no complex dtype yet, so a complex array is a pair
// of real arrays of the same shape and float dtype, `{ real, imag }` (the
// `Complex` type). Every transform returns a Complex except irfft/irfftn/
// irfft2/hfft, which return real Arrays. Inputs that may be complex (fft,
// ifft, irfft, hfft, ...) take a Complex or a real Array (imaginary part 0);
// rfft/ihfft take real Arrays only. Complex values are PyTrees (plain
// objects), so they pass through grad, vmap and jit; derivatives are with
// respect to the real and imaginary parts as separate real inputs.
//
// The 1-D transform along an axis is composed from core ops: a DFT matrix
// product (dot_general) for lengths up to 64, Cooley-Tukey's four-step split
// (reshape, DFT of the factors, twiddle multiply, transpose) for composite
// lengths, and Bluestein's chirp-z convolution (through a power-of-two FFT)
// for larger primes. Angles are reduced exactly (j·k mod n) and evaluated in
// float64, then cast to the data's dtype.
import { Array, dtype as toDType, float32, fromTyped, lax, type ArrayInput, type DType, type DTypeLike } from "@jaxts/core";
import { arr, normAxis } from "./math_helpers.js";
import { bx, cst, fmtA, range } from "./linalg_kernels.js";

const JsArray = globalThis.Array;

/** A complex array as two real arrays of one shape and float dtype. */
export interface Complex {
  real: Array;
  imag: Array;
}

export type ComplexInput = Complex | ArrayInput;
export type FftNorm = "backward" | "ortho" | "forward" | null;

/** Internal complex value: the imaginary part may be absent (known zero). */
interface Cx {
  re: Array;
  im: Array | null;
}

const isComplex = (x: unknown): x is Complex =>
  typeof x === "object" && x !== null && !(x instanceof Array) && "real" in x && "imag" in x;

/** JAX's promotion for FFTs: float16, integers and bool compute as float32. */
function toFloat(x: Array): Array {
  return x.dtype.kind === "f" && x.dtype.name !== "float16" ? x : lax.convertElementType(x, float32);
}

function complexArg(op: string, a: unknown): Cx {
  if (isComplex(a)) {
    const re = arr(op, a.real, "a.real");
    const im = arr(op, a.imag, "a.imag");
    if (re.shape.length !== im.shape.length || re.shape.some((d, i) => d !== im.shape[i])) {
      throw new TypeError(`[${op}] the real and imaginary parts must have the same shape, got ${fmtA(re)} and ${fmtA(im)}`);
    }
    const r = toFloat(re);
    const i = toFloat(im);
    if (r.dtype !== i.dtype) {
      const d = r.dtype.bits >= i.dtype.bits ? r.dtype : i.dtype;
      return { re: lax.convertElementType(r, d), im: lax.convertElementType(i, d) };
    }
    return { re: r, im: i };
  }
  return { re: toFloat(arr(op, a)), im: null };
}

function realArg(op: string, a: unknown): Array {
  if (isComplex(a)) throw new TypeError(`[${op}] takes a real array; got a complex {real, imag} pair`);
  return toFloat(arr(op, a));
}

const out = (x: Cx): Complex => ({ real: x.re, imag: x.im ?? bx.mul(x.re, cst(0, x.re.dtype)) });

// ---------------------------------------------------------------------------
// constant matrices (float64 angles, cast to the dtype)

const constCache = new Map<string, Array>();

function concrete(data: Float64Array, shape: number[], d: DType): Array {
  const store = new d.storage(data.length);
  for (let i = 0; i < data.length; i++) store[i] = data[i]!;
  return fromTyped(store, shape, d);
}

function constant(key: string, shape: number[], d: DType, make: () => Float64Array): Array {
  const k = `${key}|${d.name}`;
  let c = constCache.get(k);
  if (!c) {
    // Built directly in the dtype's storage: no op runs, so nothing is traced even inside jit.
    c = concrete(make(), shape, d);
    constCache.set(k, c);
  }
  return c;
}

/** cos or sin of 2π·(j·k mod n)/n over a [rows, cols] grid (j along rows). */
function trig(kind: "cos" | "sin", n: number, rows: number, cols: number, d: DType): Array {
  return constant(`${kind}:${n}:${rows}:${cols}`, [rows, cols], d, () => {
    const f = kind === "cos" ? Math.cos : Math.sin;
    const out = new Float64Array(rows * cols);
    for (let j = 0; j < rows; j++) for (let k = 0; k < cols; k++) out[j * cols + k] = f((2 * Math.PI * ((j * k) % n)) / n);
    return out;
  });
}

// ---------------------------------------------------------------------------
// complex arithmetic

/** x @ M along the last axis (M [N, K] constant). */
const matLast = (x: Array, m: Array): Array => lax.dotGeneral(x, m, [[[x.ndim - 1], [0]], [[], []]]);

const addOpt = (a: Array | null, b: Array | null, sub = false): Array | null =>
  a === null ? (b === null ? null : sub ? lax.neg(b) : b) : b === null ? a : sub ? bx.sub(a, b) : bx.add(a, b);

/** (x) · (c ∓ i s) elementwise with constants of x's trailing shape; sign -1 is e^{-iθ}. */
function mulPhase(x: Cx, c: Array, s: Array, sign: number): Cx {
  const cb = lax.broadcastInDim(c, x.re.shape, range(c.ndim).map((i) => x.re.ndim - c.ndim + i));
  const sb = lax.broadcastInDim(s, x.re.shape, range(s.ndim).map((i) => x.re.ndim - s.ndim + i));
  // (re + i im)(c + i·sign·s) = re c - sign im s + i (im c + sign re s)
  const re = addOpt(bx.mul(x.re, cb), x.im && bx.mul(x.im, sb), sign > 0);
  const im = addOpt(x.im && bx.mul(x.im, cb), bx.mul(x.re, sb), sign < 0)!;
  return { re: re!, im };
}

function moveLast(x: Array, axis: number): Array {
  if (axis === x.ndim - 1) return x;
  return lax.transpose(x, [...range(x.ndim).filter((i) => i !== axis), axis]);
}

function moveBack(x: Array, axis: number): Array {
  if (axis === x.ndim - 1) return x;
  const perm = range(x.ndim - 1);
  perm.splice(axis, 0, x.ndim - 1);
  return lax.transpose(x, perm);
}

const mapCx = (x: Cx, f: (a: Array) => Array): Cx => ({ re: f(x.re), im: x.im && f(x.im) });

// ---------------------------------------------------------------------------
// 1-D transforms along the last axis (unnormalized; sign -1 forward, +1 inverse)

const DIRECT_MAX = 64;

function smallestFactor(n: number): number {
  for (let f = 2; f * f <= n; f++) if (n % f === 0) return f;
  return n;
}

/** The divisor of n closest to sqrt(n) (from below). */
function splitFactor(n: number): number {
  for (let f = Math.floor(Math.sqrt(n)); f >= 2; f--) if (n % f === 0) return f;
  return n;
}

/** The first `outLen` outputs of the length-N DFT of x [..., N]. */
function fft1(x: Cx, sign: number, outLen?: number): Cx {
  const N = x.re.shape[x.re.ndim - 1]!;
  const K = outLen ?? N;
  if (N === 1 && K === 1) return x;
  let y: Cx;
  if (N <= DIRECT_MAX) return dftDirect(x, N, sign, K);
  if (smallestFactor(N) === N) y = bluestein(x, N, sign);
  else y = fourStep(x, splitFactor(N), sign);
  return K === N ? y : mapCx(y, (a) => lax.sliceInDim(a, 0, K, 1, a.ndim - 1));
}

function dftDirect(x: Cx, N: number, sign: number, K: number): Cx {
  const d = x.re.dtype;
  const C = trig("cos", N, N, K, d);
  const S = trig("sin", N, N, K, d);
  // Σ_j (re + i im)(cos + i·sign·sin)
  const re = addOpt(matLast(x.re, C), x.im && matLast(x.im, S), sign > 0)!;
  const im = addOpt(x.im && matLast(x.im, C), matLast(x.re, S), sign < 0)!;
  return { re, im };
}

/** Cooley-Tukey with N = N1·N2: DFTs of length N1, twiddles, DFTs of length N2. */
function fourStep(x: Cx, N1: number, sign: number): Cx {
  const N = x.re.shape[x.re.ndim - 1]!;
  const N2 = N / N1;
  const lead = x.re.shape.slice(0, -1);
  const nd = lead.length;
  const swap = (a: Array) => lax.transpose(a, [...range(nd), nd + 1, nd]);
  // j = N2·j1 + j2: [..., j1, j2] -> [..., j2, j1], DFT over j1 -> k1
  let y = mapCx(x, (a) => swap(lax.reshape(a, [...lead, N1, N2])));
  y = fft1(y, sign);
  const d = x.re.dtype;
  y = mulPhase(y, trig("cos", N, N2, N1, d), trig("sin", N, N2, N1, d), sign);
  // [..., j2, k1] -> [..., k1, j2], DFT over j2 -> k2; k = k1 + N1·k2 is [..., k2, k1] flattened
  y = fft1(mapCx(y, swap), sign);
  return mapCx(y, (a) => lax.reshape(swap(a), [...lead, N]));
}

/** A radix-2 FFT in float64 JS (for Bluestein's constant kernel); in place, sign as above. */
function jsFft(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (sign * 2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/**
 * Bluestein: X_k = conj(b_k) Σ_j (x_j conj(b_j)) b_{k-j} with b_m = e^{iπm²/N},
 * the convolution done with length-M FFTs (M a power of two >= 2N - 1).
 * The inverse transform is conj(DFT(conj(x))).
 */
function bluestein(x0: Cx, N: number, sign: number): Cx {
  const conj = (v: Cx): Cx => ({ re: v.re, im: v.im && lax.neg(v.im) });
  const x = sign > 0 ? conj(x0) : x0;
  const d = x.re.dtype;
  let M = 1;
  while (M < 2 * N - 1) M *= 2;
  const chirpAngle = (m: number) => (Math.PI * ((m * m) % (2 * N))) / N;
  const bc = constant(`bc:${N}`, [N], d, () => Float64Array.from(range(N), (m) => Math.cos(chirpAngle(m))));
  const bs = constant(`bs:${N}`, [N], d, () => Float64Array.from(range(N), (m) => Math.sin(chirpAngle(m))));
  const kernel = (part: "re" | "im") =>
    constant(`bk${part}:${N}:${M}`, [M], d, () => {
      const re = new Float64Array(M);
      const im = new Float64Array(M);
      for (let m = 0; m < N; m++) {
        re[m] = Math.cos(chirpAngle(m));
        im[m] = Math.sin(chirpAngle(m));
        if (m > 0) {
          re[M - m] = re[m]!;
          im[M - m] = im[m]!;
        }
      }
      jsFft(re, im, -1);
      return part === "re" ? re : im;
    });
  // a = x · conj(b), zero-padded to M
  const a = mulPhase(x, bc, bs, -1);
  const pad = (v: Array) => lax.pad(v, cst(0, d), [...v.shape.slice(0, -1).map(() => [0, 0, 0] as [number, number, number]), [0, M - N, 0]]);
  const A = fft1({ re: pad(a.re), im: pad(a.im!) }, -1);
  const prod = mulPhase(A, kernel("re"), kernel("im"), 1);
  let conv = fft1(prod, 1);
  conv = mapCx(conv, (v) => bx.mul(lax.sliceInDim(v, 0, N, 1, v.ndim - 1), cst(1 / M, d)));
  const X = mulPhase(conv, bc, bs, -1);
  return sign > 0 ? conj(X) : X;
}

// ---------------------------------------------------------------------------
// transforms along axes

/** Crop or zero-pad the last axis to n. */
function fitLast(x: Array, n: number): Array {
  const cur = x.shape[x.ndim - 1]!;
  if (cur === n) return x;
  if (cur > n) return lax.sliceInDim(x, 0, n, 1, x.ndim - 1);
  return lax.pad(x, cst(0, x.dtype), [...x.shape.slice(0, -1).map(() => [0, 0, 0] as [number, number, number]), [0, n - cur, 0]]);
}

const fitCx = (x: Cx, n: number): Cx => mapCx(x, (a) => fitLast(a, n));

/** A complex transform along `axis` (last-axis length n after crop/pad). */
function cfftAxis(x: Cx, axis: number, n: number, sign: number): Cx {
  const moved = fitCx(mapCx(x, (a) => moveLast(a, axis)), n);
  return mapCx(fft1(moved, sign), (a) => moveBack(a, axis));
}

/** rfft along the last axis: the n//2 + 1 non-negative frequencies of a real signal. */
function rfftLast(x: Array, n: number): Cx {
  return fft1({ re: fitLast(x, n), im: null }, -1, Math.floor(n / 2) + 1);
}

/** irfft along the last axis: the real length-n signal of a Hermitian half spectrum. */
function irfftLast(x: Cx, n: number): Array {
  const h = Math.floor(n / 2) + 1;
  const half = fitCx(x, h);
  const im = half.im ?? bx.mul(half.re, cst(0, half.re.dtype));
  // The imaginary parts of the DC and (even n) Nyquist terms are ignored, as in pocketfft's c2r.
  const keep = lax.broadcastInDim(
    constant(`irfftmask:${h}:${n}`, [h], im.dtype, () => Float64Array.from(range(h), (k) => (k === 0 || (n % 2 === 0 && k === h - 1) ? 0 : 1))),
    im.shape,
    [im.ndim - 1],
  );
  const imK = bx.mul(im, keep);
  const tail = n - h; // negative frequencies k = h .. n-1 are conj(X[n-k]), n-k = tail .. 1
  const rev = (v: Array) => lax.rev(lax.sliceInDim(v, 1, 1 + tail, 1, v.ndim - 1), [v.ndim - 1]);
  const re = tail > 0 ? lax.concatenate([half.re, rev(half.re)], half.re.ndim - 1) : half.re;
  const imFull = tail > 0 ? lax.concatenate([imK, lax.neg(rev(imK))], imK.ndim - 1) : imK;
  return fft1({ re, im: imFull }, 1).re;
}

type Kind = "fft" | "ifft" | "rfft" | "irfft";

function normFactor(op: string, norm: FftNorm | undefined, inverse: boolean, size: number): number {
  const nm = norm ?? "backward";
  if (nm === "backward") return inverse ? 1 / size : 1;
  if (nm === "ortho") return 1 / Math.sqrt(size);
  if (nm === "forward") return inverse ? 1 : 1 / size;
  throw new TypeError(`[${op}] invalid norm value ${JSON.stringify(norm)}; should be "backward", "ortho" or "forward"`);
}

/** JAX's _fft_core: axes/s handling, the n-D transform, normalization. */
function fftCore(op: string, kind: Kind, a: unknown, s: readonly number[] | null, axesIn: readonly number[] | null, norm: FftNorm | undefined): Complex | Array {
  const x: Cx = kind === "rfft" ? { re: realArg(op, a), im: null } : complexArg(op, a);
  const ndim = x.re.ndim;
  if (s !== null) {
    if (s.some((v) => !Number.isInteger(v) || v <= 0)) throw new RangeError(`[${op}] shape should be positive integers, got [${s.join(", ")}]`);
    if (axesIn !== null && s.length !== axesIn.length) throw new TypeError(`[${op}] shape and axes have different lengths: s=[${s.join(", ")}], axes=[${axesIn.join(", ")}]`);
  }
  let axes: number[];
  if (axesIn === null) axes = s === null ? range(ndim) : range(ndim - s.length, ndim);
  else axes = axesIn.map((ax) => normAxis(op, ax, ndim));
  if (new Set(axes).size !== axes.length) throw new TypeError(`[${op}] does not support repeated axes, got axes [${(axesIn ?? axes).join(", ")}]`);
  if (axes.some((ax) => ax < 0 || ax >= ndim)) throw new RangeError(`[${op}] axes out of range for ${fmtA(x.re)}`);
  if (axes.length === 0) {
    if (kind === "irfft") throw new TypeError(`[${op}] needs at least one axis`);
  }
  let sizes: number[];
  if (s !== null) sizes = [...s];
  else if (kind === "irfft") sizes = [...axes.slice(0, -1).map((ax) => x.re.shape[ax]!), Math.max(0, 2 * (x.re.shape[axes[axes.length - 1]!]! - 1))];
  else sizes = axes.map((ax) => x.re.shape[ax]!);
  if (sizes.some((v) => v <= 0)) {
    throw new RangeError(`[${op}] invalid number of data points (${sizes.join(", ")}) for ${fmtA(x.re)} along axes [${axes.join(", ")}]`);
  }
  const total = sizes.reduce((p, v) => p * v, 1);
  const inverse = kind === "ifft" || kind === "irfft";
  const f = normFactor(op, norm, inverse, total);
  const scale = (v: Array) => (f === 1 ? v : bx.mul(v, cst(f, v.dtype)));
  const lastAx = axes[axes.length - 1]!;
  if (kind === "fft" || kind === "ifft") {
    let y = x;
    axes.forEach((ax, i) => (y = cfftAxis(y, ax, sizes[i]!, kind === "fft" ? -1 : 1)));
    return out(mapCx(y, scale));
  }
  if (kind === "rfft") {
    let y = mapCx(rfftLast(moveLast(x.re, lastAx), sizes[sizes.length - 1]!), (v) => moveBack(v, lastAx));
    axes.slice(0, -1).forEach((ax, i) => (y = cfftAxis(y, ax, sizes[i]!, -1)));
    return out(mapCx(y, scale));
  }
  let y = x;
  axes.slice(0, -1).forEach((ax, i) => (y = cfftAxis(y, ax, sizes[i]!, 1)));
  const r = irfftLast(mapCx(y, (v) => moveLast(v, lastAx)), sizes[sizes.length - 1]!);
  return scale(moveBack(r, lastAx));
}

// ---------------------------------------------------------------------------
// public API

/** Options of the 1-D transforms (the positional n, axis, norm of JAX). */
export interface Fft1Options {
  n?: number | null;
  axis?: number;
  norm?: FftNorm;
}
/** Options of the n-D transforms (the positional s, axes, norm of JAX). */
export interface FftNOptions {
  s?: readonly number[] | null;
  axes?: readonly number[] | null;
  norm?: FftNorm;
}

type NArg = number | null | Fft1Options | undefined;
type SArg = readonly number[] | null | FftNOptions | undefined;

const isOpts = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !JsArray.isArray(x);

function opts1(n: NArg, axis: number | undefined, norm: FftNorm | undefined): Required<Fft1Options> {
  if (isOpts(n)) return { n: (n as Fft1Options).n ?? null, axis: (n as Fft1Options).axis ?? -1, norm: (n as Fft1Options).norm ?? null };
  return { n: (n as number | null | undefined) ?? null, axis: axis ?? -1, norm: norm ?? null };
}

function optsN(s: SArg, axes: readonly number[] | null | undefined, norm: FftNorm | undefined, defAxes: readonly number[] | null): Required<FftNOptions> {
  if (isOpts(s)) {
    const o = s as FftNOptions;
    return { s: o.s ?? null, axes: o.axes === undefined ? defAxes : o.axes, norm: o.norm ?? null };
  }
  return { s: (s as readonly number[] | null | undefined) ?? null, axes: axes === undefined ? defAxes : axes, norm: norm ?? null };
}

function core1(op: string, kind: Kind, a: unknown, o: Required<Fft1Options>): Complex | Array {
  if (JsArray.isArray(o.axis)) throw new TypeError(`[${op}] does not support multiple axes; use ${op}n`);
  return fftCore(op, kind, a, o.n === null ? null : [o.n], [o.axis], o.norm);
}

function core2(op: string, kind: Kind, a: unknown, o: Required<FftNOptions>): Complex | Array {
  if (o.axes === null || o.axes.length !== 2) throw new TypeError(`[${op}] only supports 2 axes, got axes ${JSON.stringify(o.axes)}`);
  return fftCore(op, kind, a, o.s, o.axes, o.norm);
}

/** jnp.fft.fft(a, n, axis = -1, norm): the 1-D discrete Fourier transform (also `fft(a, {n, axis, norm})`). */
export function fft(a: ComplexInput, n?: NArg, axis?: number, norm?: FftNorm): Complex {
  return core1("fft.fft", "fft", a, opts1(n, axis, norm)) as Complex;
}
/** jnp.fft.ifft: the inverse 1-D transform (1/n scaling by default). */
export function ifft(a: ComplexInput, n?: NArg, axis?: number, norm?: FftNorm): Complex {
  return core1("fft.ifft", "ifft", a, opts1(n, axis, norm)) as Complex;
}
/** jnp.fft.rfft: the n//2 + 1 non-negative frequency terms of a real signal's transform. */
export function rfft(a: ArrayInput, n?: NArg, axis?: number, norm?: FftNorm): Complex {
  return core1("fft.rfft", "rfft", a, opts1(n, axis, norm)) as Complex;
}
/** jnp.fft.irfft: the real signal (length n, default 2·(m - 1)) of a half spectrum. */
export function irfft(a: ComplexInput, n?: NArg, axis?: number, norm?: FftNorm): Array {
  return core1("fft.irfft", "irfft", a, opts1(n, axis, norm)) as Array;
}
/** jnp.fft.hfft: the real transform of a Hermitian-symmetric signal given by its first half. */
export function hfft(a: ComplexInput, n?: NArg, axis?: number, norm?: FftNorm): Array {
  const o = opts1(n, axis, norm);
  const x = complexArg("fft.hfft", a);
  const conjA: Complex = { real: x.re, imag: x.im === null ? bx.mul(x.re, cst(0, x.re.dtype)) : lax.neg(x.im) };
  const ax = normAxis("fft.hfft", o.axis, x.re.ndim);
  const nn = o.n ?? 2 * (x.re.shape[ax]! - 1);
  const r = core1("fft.hfft", "irfft", conjA, o) as Array;
  return bx.mul(r, cst(nn, r.dtype));
}
/** jnp.fft.ihfft: the inverse of hfft for a real signal. */
export function ihfft(a: ArrayInput, n?: NArg, axis?: number, norm?: FftNorm): Complex {
  const o = opts1(n, axis, norm);
  const x = realArg("fft.ihfft", a);
  const ax = normAxis("fft.ihfft", o.axis, x.ndim);
  const nn = o.n ?? x.shape[ax]!;
  const r = core1("fft.ihfft", "rfft", x, o) as Complex;
  return { real: bx.mul(r.real, cst(1 / nn, r.real.dtype)), imag: bx.mul(r.imag, cst(-1 / nn, r.imag.dtype)) };
}

/** jnp.fft.fftn(a, s, axes, norm): the n-D transform over `axes` (default all; also `fftn(a, {s, axes, norm})`). */
export function fftn(a: ComplexInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Complex {
  const o = optsN(s, axes, norm, null);
  return fftCore("fft.fftn", "fft", a, o.s, o.axes, o.norm) as Complex;
}
/** jnp.fft.ifftn. */
export function ifftn(a: ComplexInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Complex {
  const o = optsN(s, axes, norm, null);
  return fftCore("fft.ifftn", "ifft", a, o.s, o.axes, o.norm) as Complex;
}
/** jnp.fft.rfftn: rfft over the last axis, then fft over the others. */
export function rfftn(a: ArrayInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Complex {
  const o = optsN(s, axes, norm, null);
  return fftCore("fft.rfftn", "rfft", a, o.s, o.axes, o.norm) as Complex;
}
/** jnp.fft.irfftn: ifft over all but the last axis, then irfft over the last. */
export function irfftn(a: ComplexInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Array {
  const o = optsN(s, axes, norm, null);
  return fftCore("fft.irfftn", "irfft", a, o.s, o.axes, o.norm) as Array;
}
/** jnp.fft.fft2 over `axes` (default the last two). */
export function fft2(a: ComplexInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Complex {
  return core2("fft.fft2", "fft", a, optsN(s, axes, norm, [-2, -1])) as Complex;
}
/** jnp.fft.ifft2. */
export function ifft2(a: ComplexInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Complex {
  return core2("fft.ifft2", "ifft", a, optsN(s, axes, norm, [-2, -1])) as Complex;
}
/** jnp.fft.rfft2. */
export function rfft2(a: ArrayInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Complex {
  return core2("fft.rfft2", "rfft", a, optsN(s, axes, norm, [-2, -1])) as Complex;
}
/** jnp.fft.irfft2. */
export function irfft2(a: ComplexInput, s?: SArg, axes?: readonly number[] | null, norm?: FftNorm): Array {
  return core2("fft.irfft2", "irfft", a, optsN(s, axes, norm, [-2, -1])) as Array;
}

function checkN(op: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new TypeError(`[${op}] the n argument only takes a non-negative integer, got ${JSON.stringify(n)}`);
  return n;
}

/** jnp.fft.fftfreq(n, d = 1, {dtype}): the sample frequencies [0, 1, ..., -1] / (d·n). */
export function fftfreq(n: number, d = 1.0, opts: { dtype?: DTypeLike } = {}): Array {
  checkN("fft.fftfreq", n);
  if (typeof d !== "number") throw new TypeError(`[fft.fftfreq] the d argument only takes a single number, got ${JSON.stringify(d)}`);
  const dt = toDType(opts.dtype ?? float32);
  return concrete(Float64Array.from(range(n), (i) => (((i + Math.floor(n / 2)) % n) - Math.floor(n / 2)) / (d * n)), [n], dt);
}

/** jnp.fft.rfftfreq(n, d = 1, {dtype}): the non-negative sample frequencies [0, ..., n//2] / (d·n). */
export function rfftfreq(n: number, d = 1.0, opts: { dtype?: DTypeLike } = {}): Array {
  checkN("fft.rfftfreq", n);
  if (typeof d !== "number") throw new TypeError(`[fft.rfftfreq] the d argument only takes a single number, got ${JSON.stringify(d)}`);
  const dt = toDType(opts.dtype ?? float32);
  const m = Math.floor(n / 2) + 1;
  return concrete(Float64Array.from(range(m), (i) => i / (d * n)), [m], dt);
}

function roll(x: Array, shifts: number[], axes: number[]): Array {
  let y = x;
  axes.forEach((ax, i) => {
    const n = y.shape[ax]!;
    if (n === 0) return;
    const k = ((shifts[i]! % n) + n) % n;
    if (k === 0) return;
    y = lax.concatenate([lax.sliceInDim(y, n - k, n, 1, ax), lax.sliceInDim(y, 0, n - k, 1, ax)], ax);
  });
  return y;
}

function shiftImpl(op: string, x: ComplexInput, axes: number | readonly number[] | null | undefined, inverse: boolean): Array | Complex {
  const apply = (a: Array): Array => {
    const ax = axes === null || axes === undefined ? range(a.ndim) : (typeof axes === "number" ? [axes] : [...axes]).map((v) => normAxis(op, v, a.ndim));
    return roll(a, ax.map((v) => (inverse ? -1 : 1) * Math.floor(a.shape[v]! / 2)), ax);
  };
  if (isComplex(x)) return { real: apply(arr(op, x.real, "x.real")), imag: apply(arr(op, x.imag, "x.imag")) };
  return apply(arr(op, x, "x"));
}

/** jnp.fft.fftshift(x, axes): move the zero frequency to the center (a Complex shifts both parts). */
export function fftshift(x: ArrayInput, axes?: number | readonly number[] | null): Array;
export function fftshift(x: Complex, axes?: number | readonly number[] | null): Complex;
export function fftshift(x: ComplexInput, axes?: number | readonly number[] | null): Array | Complex {
  return shiftImpl("fft.fftshift", x, axes, false);
}

/** jnp.fft.ifftshift: the inverse of fftshift. */
export function ifftshift(x: ArrayInput, axes?: number | readonly number[] | null): Array;
export function ifftshift(x: Complex, axes?: number | readonly number[] | null): Complex;
export function ifftshift(x: ComplexInput, axes?: number | readonly number[] | null): Array | Complex {
  return shiftImpl("fft.ifftshift", x, axes, true);
}
