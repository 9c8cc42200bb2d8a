// Runs a case of fixtures/random.json (tools/goldens/gen_random.py) through
// our random module, and measures float differences in units in the last place.
import { Array, fromTyped, grad, random, uint32, vmap } from "../src/index.js";
import { decode, type EncodedArray } from "./golden.js";

export interface RandomCase {
  fn: string;
  key: number[] | null;
  args: Record<string, unknown>;
  out: EncodedArray;
}

const isEncoded = (v: unknown): v is EncodedArray =>
  typeof v === "object" && v !== null && "dtype" in v && "data" in v && "shape" in v;

/** An argument: encoded arrays decode, everything else (numbers, shapes, null) passes through. */
function a(v: unknown): any {
  return isEncoded(v) ? decode(v) : v;
}

export function keyOf(words: readonly number[]): Array {
  return fromTyped(Uint32Array.from(words), [2], uint32);
}

export function runCase(c: RandomCase): Array {
  const k = c.key ? keyOf(c.key) : (null as unknown as Array);
  const g = (name: string) => a(c.args[name]);
  switch (c.fn) {
    case "key":
      return random.key(g("seed"));
    case "vmapSplit":
      return vmap((kk: Array) => random.split(kk))(g("keys"));
    case "split":
      return random.split(k, g("num"));
    case "foldIn":
      return random.foldIn(k, g("data"));
    case "bits":
      return random.bits(k, g("shape"), g("dtype"));
    case "uniform":
      return random.uniform(k, g("shape"), g("dtype"), g("minval"), g("maxval"));
    case "normal":
      return random.normal(k, g("shape"), g("dtype"));
    case "truncatedNormal":
      return random.truncatedNormal(k, g("lower"), g("upper"), g("shape"), g("dtype"));
    case "exponential":
      return random.exponential(k, g("shape"), g("dtype"));
    case "laplace":
      return random.laplace(k, g("shape"), g("dtype"));
    case "logistic":
      return random.logistic(k, g("shape"), g("dtype"));
    case "cauchy":
      return random.cauchy(k, g("shape"), g("dtype"));
    case "gumbel":
      return random.gumbel(k, g("shape"), g("dtype"), g("mode"));
    case "bernoulli":
      return random.bernoulli(k, g("p"), g("shape"), g("mode"));
    case "randint":
      return random.randint(k, g("shape"), g("minval"), g("maxval"), g("dtype"));
    case "permutation":
      return random.permutation(k, g("x"), g("axis"), g("independent"));
    case "categorical":
      return random.categorical(k, g("logits"), g("axis"), g("shape"), g("replace"));
    case "choice":
      return random.choice(k, g("a"), g("shape"), g("replace"), g("p"), g("axis"));
    case "gamma":
      return random.gamma(k, g("a"), g("shape"), g("dtype"));
    case "loggamma":
      return random.loggamma(k, g("a"), g("shape"), g("dtype"));
    case "beta":
      return random.beta(k, g("a"), g("b"), g("shape"), g("dtype"));
    case "dirichlet":
      return random.dirichlet(k, g("alpha"), g("shape"), g("dtype"));
    case "poisson":
      return random.poisson(k, g("lam"), g("shape"), g("dtype"));
    case "multivariateNormal":
      return random.multivariateNormal(k, g("mean"), g("cov"), g("shape"));
    case "orthogonal":
      return random.orthogonal(k, g("n"), g("shape"), g("dtype"), g("m"));
    case "rademacher":
      return random.rademacher(k, g("shape"), g("dtype"));
    case "lognormal":
      return random.lognormal(k, g("sigma"), g("shape"), g("dtype"));
    case "pareto":
      return random.pareto(k, g("b"), g("shape"), g("dtype"));
    case "chisquare":
      return random.chisquare(k, g("df"), g("shape"), g("dtype"));
    case "f":
      return random.f(k, g("dfnum"), g("dfden"), g("shape"), g("dtype"));
    case "t":
      return random.t(k, g("df"), g("shape"), g("dtype"));
    case "rayleigh":
      return random.rayleigh(k, g("scale"), g("shape"), g("dtype"));
    case "weibullMin":
      return random.weibullMin(k, g("scale"), g("concentration"), g("shape"), g("dtype"));
    case "geometric":
      return random.geometric(k, g("p"), g("shape"), g("dtype"));
    case "triangular":
      return random.triangular(k, g("left"), g("mode"), g("right"), g("shape"), g("dtype"));
    case "wald":
      return random.wald(k, g("mean"), g("shape"), g("dtype"));
    case "maxwell":
      return random.maxwell(k, g("shape"), g("dtype"));
    case "doubleSidedMaxwell":
      return random.doubleSidedMaxwell(k, g("loc"), g("scale"), g("shape"), g("dtype"));
    case "generalizedNormal":
      return random.generalizedNormal(k, g("p"), g("shape"), g("dtype"));
    case "ball":
      return random.ball(k, g("d"), g("p"), g("shape"), g("dtype"));
    case "gradGamma":
      return grad((x: Array) => random.gamma(k, x, null, g("dtype")).sum())(g("a"));
    case "gradLoggamma":
      return grad((x: Array) => random.loggamma(k, x, null, g("dtype")).sum())(g("a"));
    case "gradBeta":
      return grad((x: Array) => random.beta(k, x, g("b"), null, g("dtype")).sum())(g("a"));
    case "gradDirichlet":
      return grad((x: Array) => random.dirichlet(k, x, null, g("dtype")).get(0))(g("alpha"));
    default:
      throw new Error(`unknown random case ${c.fn}`);
  }
}

/** The spacing of floats of `bits` (16, 32, 64) at |x| (ulp). */
export function ulp(x: number, bits: number): number {
  const [mant, minExp] = bits === 16 ? [10, -14] : bits === 32 ? [23, -126] : [52, -1022];
  const ax = Math.abs(x);
  const e = ax === 0 ? minExp : Math.max(minExp, Math.floor(Math.log2(ax)));
  return 2 ** (e - mant);
}

/** Largest difference between actual and expected, in ulps of the expected values (NaNs must match). */
export function maxUlps(actual: Array, expected: EncodedArray): number {
  const got = actual.dataSync();
  const bits = actual.dtype.bits;
  let worst = 0;
  expected.data.forEach((ev, i) => {
    const e = ev === "nan" ? NaN : ev === "inf" ? Infinity : ev === "-inf" ? -Infinity : (ev as number);
    const v = got[i]!;
    if (Number.isNaN(e) || Number.isNaN(v)) {
      if (Number.isNaN(e) !== Number.isNaN(v)) worst = Infinity;
      return;
    }
    if (!Number.isFinite(e) || !Number.isFinite(v)) {
      if (e !== v) worst = Infinity;
      return;
    }
    worst = Math.max(worst, Math.abs(v - e) / ulp(e, bits));
  });
  return worst;
}
