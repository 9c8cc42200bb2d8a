// Special functions (erfc, erf_inv, lgamma, digamma, polygamma), nextafter and
// bitcast_convert_type, built from ONNX arithmetic.
//
// The special functions follow XLA's CHLO decompositions (stablehlo's
// ChloLegalizeToStablehlo.cpp), which is what JAX runs: Cephes polynomials for
// erfc, Giles' polynomials for erf_inv, the Lanczos approximation (g = 7, n = 9)
// with reflection below 1/2 for lgamma and digamma, and the Hurwitz zeta
// series with Euler-Maclaurin tail for polygamma. float16 computes in float32
// (as XLA upcasts), float32 in float32 and float64 in float64. Two changes make
// them more accurate than XLA where XLA relies on flushing subnormals (which
// ONNX Runtime does not do) or loses bits:
//  - lgamma's reflection uses log(sin(pi f)) = log(pi) + log(f) when pi f would
//    be subnormal (|x| < 1e-30 in float32, 1e-300 in float64), and takes that log
//    of a rescaled f;
//  - float64 erf_inv takes w = -log((1 - |x|)(1 + |x|)) (Giles' own form) instead
//    of -log1p(-x*x), whose rounded x*x costs ~1e-10 relative near |x| = 1.
//
// nextafter and bitcast_convert_type need float bits, which ONNX cannot see: they
// are computed exactly with float64 arithmetic (the exponent from Log, corrected
// with exact powers of two from Pow(2, e)). Every value (±0, subnormals,
// infinities, extreme finite values) converts exactly; NaNs are the exception:
// ONNX has no access to a NaN's sign or payload, so float → integer bitcasts map
// every NaN to the canonical quiet NaN (0x7e00, 0x7fc00000, 0x7ff8000000000000)
// and integer → float bitcasts of NaN patterns give that canonical NaN.
import { lax, type Primitive } from "@jaxts/core";
import type { DT } from "../dtypes.js";
import type { GraphBuilder } from "../proto.js";
import { registerLowering1, type LowerEqn } from "./table.js";
import { T, cast, dt, isFloat } from "./util.js";
import { FloatOps, log1p } from "./math64.js";

type V = string | number;

/** math64's FloatOps plus the ops these rules need (numbers become constants of type t). */
class Ex extends FloatOps {
  pow = (a: V, b: V) => this.g.op("Pow", [this.v(a), this.v(b)]);
  sin = (a: V) => this.g.op("Sin", [this.v(a)]);
  cos = (a: V) => this.g.op("Cos", [this.v(a)]);
  /** C fmod. */
  rem = (a: V, b: V) => this.g.op("Mod", [this.v(a), this.v(b)], { fmod: 1 });
  ne = (a: V, b: V) => this.not(this.eq(a, b));
  isFinite = (a: V) => this.not(this.or(this.isnan(a), this.isinf(a)));
  /** Where for booleans (ORT's Where has no bool kernel). */
  whereB = (c: string, a: string, b: string) => this.or(this.and(c, a), this.and(this.not(c), b));
  log1p = (x: string) => log1p(this, x);
  /** Horner with the coefficients from the highest power down (as XLA lists them). */
  horner(x: string, cs: readonly number[]): string {
    let p = this.v(cs[0]!);
    for (let i = 1; i < cs.length; i++) p = this.add(this.mul(p, x), cs[i]!);
    return p;
  }
}

/** The float type XLA computes a special function in: float16 → float32. */
function upcast(t: DT): DT {
  return t === T.f16 ? T.f32 : t;
}

/** Register a float op computed in `upcast(t)` and cast back. */
function special(p: Primitive, body: (e: Ex, ins: string[]) => string): void {
  registerLowering1(
    p,
    ({ g }, ins, eqn) => {
      const t = dt(eqn.inAvals[0]!);
      const c = upcast(t);
      const e = new Ex(g, c);
      return cast(g, body(e, ins.map((x, i) => cast(g, x, dt(eqn.inAvals[i]!), c))), c, t);
    },
    (eqn) => isFloat(dt(eqn.inAvals[0]!)) || `${eqn.prim.name} of ${eqn.inAvals[0]!.dtype.name}`,
  );
}

// ---------------------------------------------------------------------------
// erfc (Cephes, as materializeErfcApproximationF32/F64)

const ERFC32_P = [
  +2.326819970068386e-2, -1.387039388740657e-1, +3.687424674597105e-1, -5.824733027278666e-1, +6.210004621745983e-1,
  -4.944515323274145e-1, +3.404879937665872e-1, -2.741127028184656e-1, +5.638259427386472e-1,
];
const ERFC32_R = [
  -1.047766399936249e1, +1.297719955372516e1, -7.495518717768503, +2.921019019210786, -1.0152652792027,
  +4.218463358204948e-1, -2.820767439740514e-1, +5.641895067754075e-1,
];
const ERF32_T = [
  +7.853861353153693e-5, -8.010193625184903e-4, +5.188327685732524e-3, -2.685381193529856e-2, +1.128358514861418e-1,
  -3.7612625824233e-1, +1.12837916572671,
];
const ERFC64_P = [
  2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687, 4.86371970985681366614e1,
  1.96520832956077098242e2, 5.26445194995477358631e2, 9.3452852717195760754e2, 1.02755188689515710272e3,
  5.57535335369399327526e2,
];
const ERFC64_Q = [
  1, 1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2, 9.75708501743205489753e2,
  1.82390916687909736289e3, 2.24633760818710981792e3, 1.65666309194161350182e3, 5.57535340817727675546e2,
];
const ERFC64_R = [
  5.64189583547755073984e-1, 1.27536670759978104416, 5.01905042251180477414, 6.16021097993053585195,
  7.4097426995044893916, 2.9788666537210024067,
];
const ERFC64_S = [
  1, 2.2605286322011727659, 9.39603524938001434673, 1.20489539808096656605e1, 1.70814450747565897222e1,
  9.60896809063285878198, 3.3690764510008151605,
];
const ERF64_T = [
  9.60497373987051638749, 9.00260197203842689217e1, 2.23200534594684319226e3, 7.00332514112805075473e3,
  5.55923013010394962768e4,
];
const ERF64_U = [
  1, 3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3, 2.26290000613890934246e4,
  4.92673942608635921086e4,
];

function erfc(e: Ex, x: string): string {
  const f64 = e.t === T.f64;
  const xsq = e.mul(x, x);
  const z = e.neg(xsq);
  const ax = e.abs(x);
  const expZ = e.exp(z);
  let big: string;
  if (f64) {
    // erfc(|x|) = exp(-x^2) P(|x|)/Q(|x|) for |x| < 8, exp(-x^2) R(|x|)/S(|x|) beyond.
    const pq = e.div(e.mul(expZ, e.horner(ax, ERFC64_P)), e.horner(ax, ERFC64_Q));
    const rs = e.div(e.mul(expZ, e.horner(ax, ERFC64_R)), e.horner(ax, ERFC64_S));
    big = e.where(e.lt(ax, 8), pq, rs);
  } else {
    // erfc(|x|) = exp(-x^2) / |x| * P(1/x^2) for |x| < 2, R(1/x^2) beyond.
    const r2 = e.div(1, xsq);
    const poly = e.where(e.lt(ax, 2), e.horner(r2, ERFC32_P), e.horner(r2, ERFC32_R));
    big = e.mul(e.mul(expZ, e.div(1, ax)), poly);
  }
  big = e.where(e.lt(z, f64 ? -7.09782712893383996843e2 : -88.72283905206835), 0, big);
  big = e.where(e.lt(x, 0), e.sub(2, big), big);
  // |x| < 1: 1 - erf(x), erf(x) = x T(x^2) (float32) or x T(x^2) / U(x^2) (float64).
  const erf = f64 ? e.div(e.mul(x, e.horner(xsq, ERF64_T)), e.horner(xsq, ERF64_U)) : e.mul(x, e.horner(xsq, ERF32_T));
  return e.where(e.lt(ax, 1), e.sub(1, erf), big);
}
special(lax.erfcP, (e, [x]) => erfc(e, x!));

// ---------------------------------------------------------------------------
// erf_inv (Giles, "Approximating the erfinv function"; erfInv32 / erfInv64)

const ERFINV32_LT5 = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727,
  1.50140941,
];
const ERFINV32_GE5 = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406,
  2.83297682,
];
const ERFINV64_LT625 = [
  -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18, 1.115787767802518096e-17,
  -1.333171662854620906e-16, 2.0972767875968561637e-17, 6.6376381343583238325e-15, -4.0545662729752068639e-14,
  -8.1519341976054721522e-14, 2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
  1.051212273321532285e-9, -4.1126339803469836976e-9, -2.9070369957882005086e-8, 4.2347877827932403518e-7,
  -1.3654692000834678645e-6, -1.3882523362786468719e-5, 0.0001867342080340571352, -0.00074070253416626697512,
  -0.0060336708714301490533, 0.24015818242558961693, 1.6536545626831027356,
];
const ERFINV64_LT16 = [
  2.2137376921775787049e-9, 9.0756561938885390979e-8, -2.7517406297064545428e-7, 1.8239629214389227755e-8,
  1.5027403968909827627e-6, -4.013867526981545969e-6, 2.9234449089955446044e-6, 1.2475304481671778723e-5,
  -4.7318229009055733981e-5, 6.8284851459573175448e-5, 2.4031110387097893999e-5, -0.0003550375203628474796,
  0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066, -0.0037512085075692412107,
  0.005370914553590063617, 1.0052589676941592334, 3.0838856104922207635,
];
const ERFINV64_GE16 = [
  -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-9, -3.7894654401267369937e-9,
  7.6157012080783393804e-9, -1.4960026627149240478e-8, 2.9147953450901080826e-8, -6.7711997758452339498e-8,
  2.2900482228026654717e-7, -9.9298272942317002539e-7, 4.5260625972231537039e-6, -1.9681778105531670567e-5,
  7.5995277030017761139e-5, -0.00021503011930044477347, -0.00013871931833623122026, 1.0103004648645343977,
  4.8499064014085844221,
];

function erfInv(e: Ex, x: string): string {
  let p: string;
  if (e.t !== T.f64) {
    const w0 = e.neg(e.log1p(e.mul(x, e.neg(x))));
    const lt = e.lt(w0, 5);
    const w = e.where(lt, e.sub(w0, 2.5), e.sub(e.sqrt(w0), 3));
    p = e.where(lt, ERFINV32_LT5[0]!, ERFINV32_GE5[0]!);
    for (let i = 1; i < 9; i++) p = e.add(e.where(lt, ERFINV32_LT5[i]!, ERFINV32_GE5[i]!), e.mul(p, w));
  } else {
    const ax = e.abs(x);
    const w0 = e.neg(e.log(e.mul(e.sub(1, ax), e.add(1, ax))));
    const lt625 = e.lt(w0, 6.25);
    const lt16 = e.lt(w0, 16);
    // The three ranges as in erfInv64: 23, 19 and 17 coefficients.
    const w = e.where(lt625, e.sub(w0, 3.125), e.sub(e.sqrt(w0), e.where(lt16, 3.25, 5)));
    const coef = (i: number): string => {
      let c = e.v(ERFINV64_LT625[i]!);
      if (i < 19) c = e.where(lt625, c, ERFINV64_LT16[i]!);
      if (i < 17) c = e.where(lt16, c, ERFINV64_GE16[i]!);
      return c;
    };
    p = coef(0);
    for (let i = 1; i < 17; i++) p = e.add(coef(i), e.mul(p, w));
    for (let i = 17; i < 19; i++) p = e.where(lt16, e.add(coef(i), e.mul(p, w)), p);
    for (let i = 19; i < 23; i++) p = e.where(lt625, e.add(coef(i), e.mul(p, w)), p);
  }
  // erf_inv(±1) = ±inf.
  return e.where(e.eq(e.abs(x), 1), e.mul(x, Infinity), e.mul(p, x));
}
special(lax.erfInvP, (e, [x]) => erfInv(e, x!));

// ---------------------------------------------------------------------------
// lgamma, digamma (Lanczos, as materializeLgamma / materializeDigamma)

const LANCZOS_G = 7;
const LANCZOS_BASE = 0.99999999999980993227684700473478;
const LANCZOS = [
  676.520368121885098567009190444019, -1259.13921672240287047156078755283, 771.3234287776530788486528258894,
  -176.61502916214059906584551354, 12.507343278686904814458936853, -0.13857109526572011689554707,
  9.984369578019570859563e-6, 1.50563273514931155834e-7,
];

/** z = -x where x < 1/2 (reflected), x - 1 elsewhere; log(t) for t = z + g + 1/2. */
function lanczosArgs(e: Ex, x: string): { reflect: string; z: string; t: string; logT: string } {
  const reflect = e.lt(x, 0.5);
  const z = e.where(reflect, e.neg(x), e.sub(x, 1));
  const t = e.add(LANCZOS_G + 0.5, z);
  const logT = e.add(Math.log(LANCZOS_G + 0.5), e.log1p(e.div(z, LANCZOS_G + 0.5)));
  return { reflect, z, t, logT };
}

/** log|sin(pi f)| for f = frac(|x|) folded into [0, 1/2]; pi f underflowing handled exactly. */
function logSinPi(e: Ex, f: string): string {
  const f64 = e.t === T.f64;
  // Below `tiny`, sin(pi f) = pi f to all digits but pi f may be subnormal: take
  // log(pi) + log(f 2^64) - 64 log 2 (f 2^64 is normal).
  const tiny = f64 ? 1e-300 : 1e-30;
  const small = e.add(Math.log(Math.PI), e.sub(e.log(e.mul(f, 2 ** 64)), 64 * Math.LN2));
  return e.where(e.lt(f, tiny), small, e.log(e.sin(e.mul(Math.PI, f))));
}

function lgamma(e: Ex, x: string): string {
  const { reflect, z, t, logT } = lanczosArgs(e, x);
  let a = e.v(LANCZOS_BASE);
  for (let i = 0; i < LANCZOS.length; i++) a = e.add(a, e.div(LANCZOS[i]!, e.add(z, i + 1)));
  // (z + 1/2) log t - t, written so that t does not overflow first.
  const r = e.mul(e.sub(e.add(z, 0.5), e.div(t, logT)), logT);
  const lg = e.add(e.add((Math.log(2) + Math.log(Math.PI)) / 2, r), e.log(a));
  // Reflection: lgamma(x) = log(pi) - lgamma(1 - x) - log|sin(pi x)|, with
  // |sin(pi x)| = sin(pi f), f = frac(|x|) folded to min(f, 1 - f).
  const ax = e.abs(x);
  let f = e.sub(ax, e.floor(ax));
  f = e.where(e.lt(0.5, f), e.sub(1, f), f);
  const denom = logSinPi(e, f);
  const refl = e.where(e.isFinite(denom), e.sub(e.sub(Math.log(Math.PI), denom), lg), e.neg(denom));
  return e.where(e.isinf(x), Infinity, e.where(reflect, refl, lg));
}
special(lax.lgammaP, (e, [x]) => lgamma(e, x!));

function digamma(e: Ex, x: string): string {
  const { reflect, z, t, logT } = lanczosArgs(e, x);
  let a = e.v(LANCZOS_BASE);
  let da: string = e.v(0);
  for (let i = 0; i < LANCZOS.length; i++) {
    const zt = e.add(z, i + 1);
    da = e.sub(da, e.div(LANCZOS[i]!, e.mul(zt, zt)));
    a = e.add(a, e.div(LANCZOS[i]!, zt));
  }
  const d = e.sub(e.add(logT, e.div(da, a)), e.div(LANCZOS_G, t));
  // Reflection: digamma(x) = digamma(1 - x) - pi cot(pi x), x shifted into [-1/2, 1/2].
  const rx = e.add(x, e.abs(e.floor(e.add(x, 0.5))));
  const px = e.mul(Math.PI, rx);
  const refl = e.sub(d, e.div(e.mul(Math.PI, e.cos(px)), e.sin(px)));
  const pole = e.and(e.le(x, 0), e.eq(x, e.floor(x)));
  return e.where(pole, NaN, e.where(reflect, refl, d));
}
special(lax.digammaP, (e, [x]) => digamma(e, x!));

// ---------------------------------------------------------------------------
// polygamma (materializePolygamma: (-1)^(n+1) n! zeta(n + 1, x); materializeZeta)

// (2k)! / B_2k, highest k first.
const ZETA_COEFFS = [
  -7.1661652561756670113e18, 1.8152105401943546773e17, -4.5979787224074726105e15, 1.1646782814350067249e14,
  -2.950130727918164224e12, 7.47242496e10, -1.8924375803183791606e9, 47900160.0, -1209600.0, 30240.0, -720.0, 12.0,
];

/** Hurwitz zeta(x, q): 9 terms of the series, then the Euler-Maclaurin tail (12 terms). */
function zeta(e: Ex, x: string, q: string): string {
  const negX = e.neg(x);
  let acc = q;
  let sum = e.pow(q, negX);
  for (let i = 0; i < 9; i++) {
    acc = e.add(acc, 1);
    sum = e.add(sum, e.pow(acc, negX));
  }
  acc = e.add(acc, 1);
  const qNegPower = e.pow(acc, negX);
  const correction = e.div(e.mul(qNegPower, acc), e.sub(x, 1));
  const rAcc2 = e.div(1, e.mul(acc, acc));
  let horner: string = e.v(0);
  for (let i = 0; i < 11; i++) {
    const prod = e.mul(e.add(x, 22 - 2 * i), e.add(x, 21 - 2 * i));
    horner = e.mul(prod, e.mul(rAcc2, e.add(horner, 1 / ZETA_COEFFS[i]!)));
  }
  const tail = e.mul(qNegPower, e.add(0.5, e.mul(e.div(x, acc), e.add(1 / ZETA_COEFFS[11]!, horner))));
  const accurate = e.add(e.add(sum, correction), tail);
  const smallest = e.t === T.f64 ? 5e-324 : 2 ** -149;
  let out = e.where(e.lt(e.abs(qNegPower), e.mul(e.abs(sum), smallest)), sum, accurate);
  out = e.where(e.lt(x, 1), NaN, out);
  const qLeZero = e.le(q, 0);
  const xInt = e.eq(x, e.floor(x));
  out = e.where(e.and(qLeZero, e.not(xInt)), NaN, out);
  // Poles at non-positive integer q: +inf for even integer x, NaN otherwise.
  const atPole = e.and(qLeZero, e.eq(q, e.floor(q)));
  const evenInt = e.and(xInt, e.eq(e.rem(x, 2), 0));
  out = e.where(atPole, e.where(evenInt, Infinity, NaN), out);
  return e.where(e.eq(x, 1), Infinity, out);
}

function polygamma(e: Ex, n: string, x: string): string {
  const sign = e.sub(e.mul(2, e.rem(n, 2)), 1);
  const n1 = e.add(n, 1);
  let r = e.mul(e.mul(sign, e.exp(lgamma(e, n1))), zeta(e, n1, x));
  r = e.where(e.eq(n, 0), digamma(e, x), r);
  const nonNatural = e.or(e.ne(n, e.floor(n)), e.lt(n, 0));
  return e.where(nonNatural, NaN, r);
}
special(lax.polygammaP, (e, [n, x]) => polygamma(e, n!, x!));

// ---------------------------------------------------------------------------
// Exact float bits (float64 arithmetic)

interface FloatLayout {
  /** Total bits, mantissa bits (with the implicit one), exponent bits, bias, minimum normal exponent. */
  w: number;
  p: number;
  ew: number;
  bias: number;
  emin: number;
}
const LAYOUT: Record<number, FloatLayout> = {
  [T.f16]: { w: 16, p: 11, ew: 5, bias: 15, emin: -14 },
  [T.f32]: { w: 32, p: 24, ew: 8, bias: 127, emin: -126 },
  [T.f64]: { w: 64, p: 53, ew: 11, bias: 1023, emin: -1022 },
};

/** floor(log2 a) for normal float64 a > 0, exactly: Log's estimate corrected with exact powers of two. */
function exponentOf(e: Ex, a: string): string {
  let k = e.floor(e.mul(e.log(a), 1 / Math.LN2));
  k = e.where(e.gt(e.pow(2, k), a), e.sub(k, 1), k);
  return e.where(e.le(e.pow(2, e.add(k, 1)), a), e.add(k, 1), k);
}

/** The bits of floats of type t, as uint64 (NaN → the canonical quiet NaN). */
function floatToBits(g: GraphBuilder, x: string, t: DT): string {
  const L = LAYOUT[t]!;
  const e = new Ex(g, T.f64);
  const v = cast(g, x, t, T.f64);
  const a = e.abs(v);
  const sub = e.lt(a, 2 ** L.emin); // zero and subnormals
  // Normal: a = 2^k (1 + M / 2^(p-1)); a 2^-k is in [1, 2) (2^-k may be subnormal, the product is exact).
  const k = exponentOf(e, e.where(sub, 1, a));
  const mNorm = e.sub(e.mul(e.mul(a, e.pow(2, e.neg(k))), 2 ** (L.p - 1)), 2 ** (L.p - 1));
  // Subnormal: a = M 2^(emin - p + 1); scale in two exact steps (2^1074 overflows).
  const s = L.p - 1 - L.emin;
  const mSub = e.mul(e.mul(a, 2 ** Math.ceil(s / 2)), 2 ** Math.floor(s / 2));
  const nan = e.isnan(v);
  const inf = e.isinf(v);
  const eMax = 2 ** L.ew - 1;
  const E = e.where(e.or(nan, inf), eMax, e.where(sub, 0, e.add(k, L.bias)));
  const M = e.where(nan, 2 ** (L.p - 2), e.where(inf, 0, e.where(sub, mSub, mNorm)));
  const u64 = (f: string) => g.op("Cast", [f], { to: T.u64 });
  const shl = (u: string, n: number) => g.op("BitShift", [u, g.scalar(n, T.u64)], { direction: "LEFT" });
  const bits = g.op("BitwiseOr", [shl(u64(E), L.p - 1), u64(M)]);
  const sign = e.and(e.signBit(v), e.not(nan));
  return g.op("BitwiseOr", [bits, shl(g.op("Cast", [sign], { to: T.u64 }), L.w - 1)]);
}

/** Floats of type t from their bits (uint64, the low L.w bits). */
function bitsToFloat(g: GraphBuilder, bits: string, t: DT): string {
  const L = LAYOUT[t]!;
  const e = new Ex(g, T.f64);
  const field = (shift: number, width: number): string => {
    const sh = shift === 0 ? bits : g.op("BitShift", [bits, g.scalar(shift, T.u64)], { direction: "RIGHT" });
    return g.op("Cast", [g.op("BitwiseAnd", [sh, g.scalar(2 ** width - 1, T.u64)])], { to: T.f64 });
  };
  const M = field(0, L.p - 1);
  const E = field(L.p - 1, L.ew);
  const S = field(L.w - 1, 1);
  const frac = 2 ** -(L.p - 1);
  // Normal: (1 + M 2^-(p-1)) 2^(E - bias); subnormal: (M 2^-(p-1)) 2^emin; both exact.
  const norm = e.mul(e.mul(e.add(2 ** (L.p - 1), M), frac), e.pow(2, e.sub(E, L.bias)));
  const subn = e.mul(e.mul(M, frac), 2 ** L.emin);
  const eMax = 2 ** L.ew - 1;
  let v = e.where(e.eq(E, 0), subn, norm);
  v = e.where(e.eq(E, eMax), e.where(e.eq(M, 0), Infinity, NaN), v);
  // The sign by multiplication: ORT's CPU Where turns a -0 taken from its first
  // branch into +0.
  return g.op("Cast", [e.mul(v, e.sub(1, e.mul(2, S)))], { to: t });
}

function byteWidth(t: DT): number {
  switch (t) {
    case T.i8:
    case T.u8:
      return 1;
    case T.i16:
    case T.u16:
    case T.f16:
      return 2;
    case T.f64:
      return 8;
    default:
      return 4;
  }
}

/** Bits of any non-bool element type as uint64 (low bits). */
function toBits(g: GraphBuilder, x: string, t: DT): string {
  if (isFloat(t)) return floatToBits(g, x, t);
  const u = g.op("Cast", [x], { to: T.u64 }); // sign-extends signed types
  return g.op("BitwiseAnd", [u, g.scalar(2 ** (8 * byteWidth(t)) - 1, T.u64)]);
}

/** Values of type t from bits in uint64 (low bits). */
function fromBits(g: GraphBuilder, bits: string, t: DT): string {
  if (isFloat(t)) return bitsToFloat(g, bits, t);
  const unsigned: Record<number, DT> = { [T.i8]: T.u8, [T.i16]: T.u16, [T.i32]: T.u32 };
  const u = unsigned[t] ?? t;
  const narrowed = g.op("Cast", [bits], { to: u }); // truncates
  return u === t ? narrowed : g.op("Cast", [narrowed], { to: t }); // wraps
}

// The same-dtype bitcast is registered in elementwise.ts; this rule replaces it
// (lower/index.ts loads this file after elementwise.ts) and covers every pair.
registerLowering1(
  lax.bitcastConvertTypeP,
  ({ g }, [x], eqn) => {
    const from = dt(eqn.inAvals[0]!);
    const to = dt(eqn.outAvals[0]!);
    if (from === to) return x!;
    const wf = byteWidth(from);
    const wt = byteWidth(to);
    const bits = toBits(g, x!, from);
    if (wf === wt) return fromBits(g, bits, to);
    if (wf > wt) {
      // Little-endian pieces along a new last axis.
      const k = wf / wt;
      const shifts = g.constant({ dtype: T.u64, dims: [k], values: Array.from({ length: k }, (_, i) => 8 * wt * i) });
      const pieces = g.op("BitShift", [g.op("Unsqueeze", [bits, g.i64([-1])]), shifts], { direction: "RIGHT" });
      return fromBits(g, g.op("BitwiseAnd", [pieces, g.scalar(2 ** (8 * wt) - 1, T.u64)]), to);
    }
    const k = wt / wf;
    const shifts = g.constant({ dtype: T.u64, dims: [k], values: Array.from({ length: k }, (_, i) => 8 * wf * i) });
    const placed = g.op("BitShift", [bits, shifts], { direction: "LEFT" });
    // Or the k pieces of the last axis together (ORT's int64 ReduceSum is not exact).
    const rank = eqn.inAvals[0]!.ndim;
    let merged: string | null = null;
    for (let i = 0; i < k; i++) {
      const piece = g.op("Squeeze", [g.op("Slice", [placed, g.i64([i]), g.i64([i + 1]), g.i64([rank - 1])]), g.i64([rank - 1])]);
      merged = merged === null ? piece : g.op("BitwiseOr", [merged, piece]);
    }
    return fromBits(g, merged!, to);
  },
  (eqn: LowerEqn) => eqn.inAvals[0]!.dtype.name !== "bool" || eqn.outAvals[0]!.dtype.name === "bool" || "bitcast of bool",
);

// ---------------------------------------------------------------------------
// nextafter: x plus or minus one unit in the last place, exactly, in float64.

registerLowering1(
  lax.nextafterP,
  ({ g }, [x, y], eqn) => {
    const t = dt(eqn.inAvals[0]!);
    const L = LAYOUT[t]!;
    const e = new Ex(g, T.f64);
    const xv = cast(g, x!, t, T.f64);
    const yv = cast(g, y!, t, T.f64);
    const a = e.abs(xv);
    const normal = e.ge(a, 2 ** L.emin);
    const k = exponentOf(e, e.where(normal, e.where(e.isinf(a), 1, a), 1));
    const kc = e.where(normal, k, L.emin); // subnormals step by 2^(emin - p + 1)
    const ulpUp = e.pow(2, e.sub(kc, L.p - 1));
    // Below a power of two (above the smallest normal) the step halves.
    const pow2 = e.and(e.and(normal, e.gt(k, L.emin)), e.eq(a, e.pow(2, k)));
    const ulpDown = e.where(pow2, e.mul(ulpUp, 0.5), ulpUp);
    const away = g.op("Xor", [e.gt(yv, xv), e.lt(xv, 0)]);
    // The magnitude, then the sign by multiplication (ORT's CPU Where turns a -0
    // taken from its first branch into +0).
    let mag = e.where(away, e.add(a, ulpUp), e.sub(a, ulpDown));
    let neg = e.lt(xv, 0);
    const maxFinite = (2 - 2 ** -(L.p - 1)) * 2 ** L.bias;
    const minSub = 2 ** (L.emin - L.p + 1);
    mag = e.where(e.isinf(xv), maxFinite, mag);
    const xZero = e.eq(xv, 0);
    mag = e.where(xZero, minSub, mag);
    neg = e.whereB(xZero, e.lt(yv, 0), neg);
    // x == y (also +0 and -0): y itself.
    const same = e.eq(xv, yv);
    mag = e.where(same, e.abs(yv), mag);
    neg = e.whereB(same, e.signBit(yv), neg);
    mag = e.where(e.or(e.isnan(xv), e.isnan(yv)), NaN, mag);
    const r = e.mul(mag, e.where(neg, -1, 1));
    return cast(g, r, T.f64, t);
  },
  (eqn) => isFloat(dt(eqn.inAvals[0]!)) || `nextafter of ${eqn.inAvals[0]!.dtype.name}`,
);
