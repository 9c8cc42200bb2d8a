// jax.random, composed from lax primitives so every sampler works under jit,
// vmap and (where JAX defines one) grad, with the bits of JAX 0.10.2's default
// threefry2x32 implementation.
//
// Keys: a key is JAX's raw threefry2x32 key data, a uint32 Array of shape [2].
// random.key(seed) and random.PRNGKey(seed) both return it (JAX's typed scalar
// keys carry the same two words: jax.random.key_data(jax.random.key(s)) ==
// random.key(s)). A batch of keys, e.g. split(key, 3), has shape [3, 2];
// samplers take one key and are batched over keys with vmap.
//
// Arguments follow JAX's positional order (shape as a list of integers, null
// for JAX's None); defaults are JAX's with x64 disabled: float32 samples, int32
// integers, JS integer seeds taken modulo 2^32. float16/float32/float64 are
// supported; there is no uint64 (bits) since jaxts has no 64-bit integers.
export { key, PRNGKey, keyData, wrapKeyData, clone, split, foldIn, bits } from "./threefry.js";
export { uniform, normal, truncatedNormal, exponential, gumbel, laplace, logistic, cauchy, type GumbelMode } from "./continuous.js";
export { bernoulli, randint, permutation, categorical, choice } from "./discrete.js";
export { gamma, loggamma, beta, dirichlet, poisson } from "./gamma.js";
export { multivariateNormal, orthogonal, type MvnMethod } from "./multivariate.js";
export {
  rademacher,
  lognormal,
  pareto,
  chisquare,
  f,
  t,
  rayleigh,
  weibullMin,
  geometric,
  triangular,
  wald,
  maxwell,
  doubleSidedMaxwell,
  generalizedNormal,
  ball,
} from "./derived.js";
