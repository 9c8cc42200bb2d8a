// jax.random: threefry-2x32 keys and samplers composed from lax primitives, so
// every function works under jit and vmap. Keys are uint32 arrays of shape [2]
// (JAX's key data); see threefry.ts.
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
