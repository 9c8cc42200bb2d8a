// Special functions in double precision for the CPU kernels of erf, erfc,
// erf_inv, lgamma and digamma. Each is accurate to a few ulps (about 1e-15
// relative) wherever the function itself is well conditioned: the smooth parts
// are Chebyshev series generated with mpmath (tools/gen_special_coeffs.py), the
// rest are exact identities (reflection, recurrence) and asymptotic series.
// Special values follow XLA: lgamma is +inf at poles and +-inf, digamma is NaN
// at non-positive integers, erf_inv is +-inf at +-1 and NaN outside [-1, 1].
import {
  DIGAMMA_MID,
  DIGAMMA_ZERO_HI,
  DIGAMMA_ZERO_LO,
  ERF_SMALL,
  ERFC_MID,
  ERFC_TAIL,
  LGAMMA_MID,
} from "./special_coeffs.js";

interface Chebyshev {
  readonly a: number;
  readonly b: number;
  readonly c: readonly number[];
}

/** Clenshaw evaluation of a Chebyshev series at x in [a, b]. */
function chebyshev(s: Chebyshev, x: number): number {
  const t = (2 * x - s.a - s.b) / (s.b - s.a);
  const t2 = 2 * t;
  const c = s.c;
  let b1 = 0;
  let b2 = 0;
  for (let k = c.length - 1; k >= 1; k--) {
    const b0 = c[k]! + t2 * b1 - b2;
    b2 = b1;
    b1 = b0;
  }
  return c[0]! + t * b1 - b2;
}

const SQRT_PI = 1.7724538509055160273;
const LOG_SQRT_2PI = 0.91893853320467274178;
const LOG_PI = 1.1447298858494001741;

/** exp(-x^2) without the error of rounding x^2 (which grows like x^2 ulps). */
function expNegSquare(x: number): number {
  // x = hi + (x - hi) with hi short enough that hi^2 is exact.
  const hi = Math.round(x * 65536) / 65536;
  const lo = (x - hi) * (x + hi);
  return Math.exp(-hi * hi) * Math.exp(-lo);
}

/** erfc(x) for x >= 0.5. */
function erfcPositive(x: number): number {
  if (x < 4) return expNegSquare(x) * chebyshev(ERFC_MID, x);
  if (x > 27.3) return 0; // below the smallest subnormal
  return (expNegSquare(x) / x) * chebyshev(ERFC_TAIL, 1 / (x * x));
}

export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 0.5) return x * chebyshev(ERF_SMALL, x * x);
  if (Number.isNaN(x)) return NaN;
  const r = 1 - erfcPositive(ax);
  return x < 0 ? -r : r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) <= 0.5) return 1 - x * chebyshev(ERF_SMALL, x * x);
  return x > 0 ? erfcPositive(x) : 2 - erfcPositive(-x);
}

export function erfInv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y; // keeps the sign of zero
  const ay = Math.abs(y);
  // Starting point: Giles' single-precision approximation (~1e-7 relative).
  let w = -Math.log((1 - ay) * (1 + ay));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * w;
    p = -3.5233877e-6 + p * w;
    p = -4.39150654e-6 + p * w;
    p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w;
    p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    p = 0.000100950558 + p * w;
    p = 0.00134934322 + p * w;
    p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w;
    p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  let x = p * ay;
  if (ay <= 0.5) {
    // Halley steps on erf(x) = y (cubic convergence from ~1e-7).
    for (let i = 0; i < 3; i++) {
      const r = (erf(x) - ay) / ((2 / SQRT_PI) * Math.exp(-x * x));
      if (!(Math.abs(r) > 0)) break;
      x -= r / (1 + x * r);
    }
  } else {
    // Newton steps on log(erfc(x)) = log(1 - y): 1 - y is exact here, the log
    // form is nearly linear in the far tail (where the single-precision start
    // is poor), and erfc keeps the residual's relative accuracy.
    const logQ = Math.log(1 - ay);
    for (let i = 0; i < 12; i++) {
      const e = erfc(x);
      const step = ((Math.log(e) - logQ) * e) / ((2 / SQRT_PI) * Math.exp(-x * x));
      if (!Number.isFinite(step)) break;
      x += step;
      if (Math.abs(step) <= 1e-16 * x) break;
    }
  }
  return y < 0 ? -x : x;
}

/** sin(pi x) with exact argument reduction. */
function sinPi(x: number): number {
  const r = x - 2 * Math.round(x / 2); // exact, in [-1, 1]
  const a = Math.abs(r);
  const s = a <= 0.25 ? Math.sin(Math.PI * a) : a <= 0.75 ? Math.cos(Math.PI * (a - 0.5)) : Math.sin(Math.PI * (1 - a));
  return r < 0 ? -s : s;
}

/** cos(pi x) with exact argument reduction. */
function cosPi(x: number): number {
  const a = Math.abs(x - 2 * Math.round(x / 2)); // exact, in [0, 1]
  if (a <= 0.25) return Math.cos(Math.PI * a);
  if (a <= 0.75) return Math.sin(Math.PI * (0.5 - a));
  return -Math.cos(Math.PI * (1 - a));
}

// Bernoulli-number coefficients of the Stirling series B_2k / (2k (2k-1)).
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    // Near zero, Gamma(x) = Gamma(x + 1) / x (sin(pi x) would underflow to subnormals).
    if (x > -0.5) return lgammaMid(x + 1) - Math.log(-x);
    // Reflection: lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x).
    return LOG_PI - Math.log(Math.abs(sinPi(x))) - lgamma(1 - x);
  }
  // Below 0.5 the shift x + 1 is exact enough: lgamma is far from its zeros.
  if (x < 0.5) return lgammaMid(x + 1) - Math.log(x);
  if (x <= 3) return lgammaMid(x);
  if (x < 10) {
    // lgamma(x) = lgamma(x - n) + log((x-1)(x-2)...(x-n)), x - n in [2, 3).
    let prod = 1;
    let z = x;
    while (z >= 3) {
      z -= 1;
      prod *= z;
    }
    return lgammaMid(z) + Math.log(prod);
  }
  // Stirling series; written to avoid overflowing before the result does.
  const inv = 1 / x;
  const inv2 = inv * inv;
  let s = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) s = s * inv2 + STIRLING[k]!;
  const lx = Math.log(x);
  return x * (lx - 1) - 0.5 * lx + LOG_SQRT_2PI + s * inv;
}

function lgammaMid(x: number): number {
  // 0.5 <= x <= 3; x - 1 is exact, and so is x - 2 near its zero.
  return (x - 1) * (x - 2) * chebyshev(LGAMMA_MID, x);
}

// Asymptotic digamma coefficients B_2k / (2k).
const DIGAMMA_ASYMPTOTIC = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12, -3617 / 8160];

export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN; // poles (and -inf)
    if (x > -0.5) return digamma(x + 1) - 1 / x;
    // Reflection: digamma(x) = digamma(1 - x) - pi cot(pi x).
    return digamma(1 - x) - (Math.PI * cosPi(x)) / sinPi(x);
  }
  if (x < 1) return digammaMid(x + 1) - 1 / x;
  if (x <= 2) return digammaMid(x);
  if (x < 10) {
    // digamma(x) = digamma(x - n) + sum_k 1 / (x - k), x - n in (1, 2].
    let z = x;
    let s = 0;
    while (z > 2) {
      z -= 1;
      s += 1 / z;
    }
    return digammaMid(z) + s;
  }
  const inv2 = 1 / (x * x);
  let s = 0;
  for (let k = DIGAMMA_ASYMPTOTIC.length - 1; k >= 0; k--) s = s * inv2 + DIGAMMA_ASYMPTOTIC[k]!;
  return Math.log(x) - 0.5 / x - s * inv2;
}

function digammaMid(x: number): number {
  // 1 <= x <= 2; x - x0 is computed to double-double accuracy near the zero.
  return (x - DIGAMMA_ZERO_HI - DIGAMMA_ZERO_LO) * chebyshev(DIGAMMA_MID, x);
}

// Bernoulli numbers B_2k for the asymptotic series of polygamma.
const BERNOULLI_2K = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/**
 * polygamma(m, x) = d^m/dx^m digamma(x) for integer m >= 1 and x > 0 (NaN
 * elsewhere, like XLA for non-integer m): shift x up by the recurrence
 * ψ⁽ᵐ⁾(x) = ψ⁽ᵐ⁾(x+1) − (−1)^m m!/x^(m+1), then the asymptotic series.
 */
export function polygamma(m: number, x: number): number {
  if (m === 0) return digamma(x);
  if (!Number.isInteger(m) || m < 0 || Number.isNaN(x)) return NaN;
  // At the poles XLA's zeta gives +inf for odd m and NaN for even m (whose sign flips across the pole).
  if (x <= 0) return Number.isInteger(x) ? (m % 2 === 1 ? Infinity : NaN) : polygammaNegative(m, x);
  const sign = m % 2 === 1 ? 1 : -1; // (-1)^(m+1)
  const mf = factorial(m);
  let acc = 0;
  while (x < 15 + m) {
    acc += mf / x ** (m + 1);
    x += 1;
  }
  // (-1)^(m+1) [ (m-1)!/x^m + m!/(2 x^(m+1)) + Σ B_2k (2k+m-1)!/((2k)! x^(2k+m)) ]
  let series = factorial(m - 1) / x ** m + mf / (2 * x ** (m + 1));
  for (let k = 1; k <= BERNOULLI_2K.length; k++) {
    const term = (BERNOULLI_2K[k - 1]! * factorial(2 * k + m - 1)) / (factorial(2 * k) * x ** (2 * k + m));
    series += term;
    if (Math.abs(term) < 1e-17 * Math.abs(series)) break;
  }
  return sign * (series + acc);
}

/** For negative non-integer x: the recurrence upward to a positive argument. */
function polygammaNegative(m: number, x: number): number {
  const mf = factorial(m);
  const s = m % 2 === 0 ? 1 : -1; // (-1)^m
  let acc = 0;
  while (x <= 0) {
    acc += (s * mf) / x ** (m + 1);
    x += 1;
  }
  return polygamma(m, x) - acc;
}
