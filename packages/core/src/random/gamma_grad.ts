// The implicit reparameterization gradient of Gamma samples (Figurnov et al.,
// 2018): d sample / d alpha = -(dP(alpha, x)/d alpha) / (dP(alpha, x)/dx) for
// the regularized incomplete gamma P, as JAX's random_gamma_grad
// (jax/_src/lax/special.py: the igamma power series below x = max(1, alpha),
// the continued fraction above, each differentiated in alpha alongside).
// Vectorized: every element iterates until its own term converges (the
// `enabled` masks), which gives each element the value of JAX's per-element loop.
import type { Array } from "../array.js";
import type { DType } from "../dtypes.js";
import * as lax from "../lax.js";
import { finfo, full, konst } from "./common.js";

const FLOAT_MAX: Record<string, number> = { float16: 65504, float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };

function fullLike(x: Array, v: number): Array {
  return full(x.shape, v, x.dtype);
}

/** _igamma_series in SAMPLE_DERIVATIVE mode. */
function igammaSeries(x: Array, a: Array, enabled: Array, d: DType): Array {
  const c = (v: number) => konst(v, d);
  const eps = c(finfo(d).eps);
  type S = [Array, Array, Array, Array, Array, Array];
  const [, , , ans, , dansDa] = lax.whileLoop(
    (s: S) => s[0].any(),
    ([en, r0, c0, ans0, dcDa0, dansDa0]: S): S => {
      const r = lax.add(r0, c(1));
      const dcDa = lax.sub(lax.mul(dcDa0, lax.div(x, r)), lax.div(lax.mul(c0, x), lax.mul(r, r)));
      const dansDa = lax.add(dansDa0, dcDa);
      const cc = lax.mul(c0, lax.div(x, r));
      const ans = lax.add(ans0, cc);
      const go = lax.bitwiseAnd(en, lax.gt(lax.abs(lax.div(dcDa, dansDa)), eps));
      return [go, lax.select(en, r, r0), lax.select(en, cc, c0), lax.select(en, ans, ans0), lax.select(en, dcDa, dcDa0), lax.select(en, dansDa, dansDa0)];
    },
    [enabled, a, fullLike(a, 1), fullLike(a, 1), fullLike(a, 0), fullLike(a, 0)] as S,
  );
  const dlogaxDa = lax.sub(lax.log(x), lax.digamma(lax.add(a, c(1))));
  return lax.div(lax.mul(lax.neg(lax.add(dansDa, lax.mul(ans, dlogaxDa))), x), a);
}

/** _igammac_continued_fraction in SAMPLE_DERIVATIVE mode. */
function igammacContinuedFraction(x: Array, a: Array, enabled: Array, d: DType): Array {
  const k = (v: number) => konst(v, d);
  const eps = finfo(d).eps;
  const y0 = lax.sub(k(1), a);
  const z0 = lax.add(lax.add(x, y0), k(1));
  const pkm1 = lax.add(x, k(1));
  const qkm1 = lax.mul(z0, x);
  const ans0 = lax.div(pkm1, qkm1);
  const dqkm1Da = lax.neg(x);
  const dansDa0 = lax.div(lax.sub(fullLike(x, 0), lax.mul(ans0, dqkm1Da)), qkm1);
  // enabled, ans, y, z, c, pkm1, qkm1, pkm2, qkm2, dpkm2, dqkm2, dpkm1, dqkm1, dans
  type S = [Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array, Array];
  const init: S = [enabled, ans0, y0, z0, k(0), pkm1, qkm1, fullLike(x, 1), x, fullLike(x, 0), fullLike(x, 0), fullLike(x, 0), dqkm1Da, dansDa0];
  const out = lax.whileLoop(
    (s: S) => lax.bitwiseAnd(lax.lt(s[4], k(2000)), s[0].any()),
    (s: S): S => {
      const [en, ans0_, y_, z_, c_, pkm1_, qkm1_, pkm2_, qkm2_, dpkm2_, dqkm2_, dpkm1_, dqkm1_, dans_] = s;
      const c = lax.add(c_, k(1));
      const y = lax.add(y_, k(1));
      const z = lax.add(z_, k(2));
      const yc = lax.mul(y, c);
      const pk = lax.sub(lax.mul(pkm1_, z), lax.mul(pkm2_, yc));
      const qk = lax.sub(lax.mul(qkm1_, z), lax.mul(qkm2_, yc));
      const nz = lax.ne(qk, k(0));
      const r = lax.div(pk, qk);
      const ans = lax.select(nz, r, ans0_);
      const dpk = lax.add(lax.sub(lax.sub(lax.mul(dpkm1_, z), pkm1_), lax.mul(dpkm2_, yc)), lax.mul(pkm2_, c));
      const dqk = lax.add(lax.sub(lax.sub(lax.mul(dqkm1_, z), qkm1_), lax.mul(dqkm2_, yc)), lax.mul(qkm2_, c));
      const dansNew = lax.select(nz, lax.div(lax.sub(dpk, lax.mul(ans, dqk)), qk), dans_);
      const gradCond = lax.select(nz, lax.abs(lax.sub(dansNew, dans_)), fullLike(dans_, 1));
      const rescale = lax.gt(lax.abs(pk), k(1 / eps));
      const sc = (v: Array) => lax.select(rescale, lax.mul(v, k(eps)), v);
      const npkm2 = sc(pkm1_);
      const npkm1 = sc(pk);
      const nqkm2 = sc(qkm1_);
      const nqkm1 = sc(qk);
      const ndpkm2 = sc(dpkm1_);
      const ndqkm2 = sc(dqkm1_);
      const ndpkm1 = sc(dpk);
      const ndqkm1 = sc(dqk);
      const go = lax.bitwiseAnd(en, lax.gt(gradCond, k(eps)));
      const keep = (v: Array, old: Array) => lax.select(en, v, old);
      return [
        go,
        keep(ans, ans0_),
        keep(y, y_),
        keep(z, z_),
        c,
        keep(npkm1, pkm1_),
        keep(nqkm1, qkm1_),
        keep(npkm2, pkm2_),
        keep(nqkm2, qkm2_),
        keep(ndpkm2, dpkm2_),
        keep(ndqkm2, dqkm2_),
        keep(ndpkm1, dpkm1_),
        keep(ndqkm1, dqkm1_),
        keep(dansNew, dans_),
      ];
    },
    init,
  );
  const ans = out[1];
  const dansDa = out[13];
  const dlogaxDa = lax.sub(lax.log(x), lax.digamma(a));
  return lax.neg(lax.mul(lax.add(dansDa, lax.mul(ans, dlogaxDa)), x));
}

/** random_gamma_grad(a, x): d x / d a for x ~ Gamma(a), holding the CDF value fixed. */
export function randomGammaGrad(a: Array, x: Array): Array {
  const d = a.dtype;
  const k = (v: number) => konst(v, d);
  const isNan = lax.bitwiseOr(lax.ne(a, a), lax.ne(x, x));
  const xIsZero = lax.eq(x, k(0));
  const domainError = lax.bitwiseOr(lax.lt(x, k(0)), lax.le(a, k(0)));
  const useIgammac = lax.bitwiseAnd(lax.gt(x, k(1)), lax.gt(x, a));
  const logAx = lax.sub(lax.sub(lax.mul(a, lax.log(x)), x), lax.lgamma(a));
  const underflow = lax.lt(logAx, k(-Math.log(FLOAT_MAX[d.name]!)));
  const enabled = lax.bitwiseNot(lax.bitwiseOr(lax.bitwiseOr(lax.bitwiseOr(xIsZero, domainError), underflow), isNan));
  let out = lax.select(
    useIgammac,
    lax.neg(igammacContinuedFraction(x, a, lax.bitwiseAnd(enabled, useIgammac), d)),
    igammaSeries(x, a, lax.bitwiseAnd(enabled, lax.bitwiseNot(useIgammac)), d),
  );
  out = lax.select(xIsZero, fullLike(out, 0), out);
  return lax.select(lax.bitwiseOr(domainError, isNan), fullLike(a, NaN), out);
}
