"""Goldens for jax.random (threefry2x32 keys and the samplers), from JAX 0.10.2.

Run with JAX 0.10.2's interpreter:

    /tmp/jaxvenv/bin/python tools/goldens/gen_random.py

JAX runs in its default configuration (x64 disabled, jax_threefry_partitionable
True, the default in 0.10.2); the float64 cases come last, after enabling x64
(the key data and the bits do not depend on it). Every case records the key as
its raw uint32 data ("key") so the test starts from the same two words; "args"
holds the other arguments (arrays encoded as in common.py, `None` as null).
"""
import os
import sys

import jax
import jax.numpy as jnp
import numpy as np
from jax import random

sys.path.insert(0, os.path.dirname(__file__))
from common import enc, write  # noqa: E402

assert jax.__version__ == "0.10.2", jax.__version__
assert jax.config.jax_threefry_partitionable, "0.10.2 defaults to partitionable threefry"

CASES = []


def kd(key):
    return [int(v) for v in np.asarray(random.key_data(key)).reshape(-1)]


def arg(v):
    if isinstance(v, (np.ndarray, jax.Array)):
        return enc(np.asarray(v))
    if isinstance(v, tuple):
        return list(v)
    return v


def case(fn, key, out, **args):
    CASES.append({"fn": fn, "key": kd(key), "args": {k: arg(v) for k, v in args.items()}, "out": enc(np.asarray(out))})


SEEDS = [0, 1, 42, 7, 2024, 123456789]
KEYS = [random.key(s) for s in SEEDS]
# Keys reached through split and fold_in, so later cases start from arbitrary words.
DERIVED = [random.split(random.fold_in(random.key(3), 11))[1], random.split(random.key(99), 5)[3]]
ALLKEYS = KEYS + DERIVED


def f32(x):
    return jnp.asarray(x, jnp.float32)


# ---- keys, split, fold_in, bits ------------------------------------------------
for s in [0, 1, 42, -1, 2**31, 2**32 + 5, 2**31 - 1, -(2**31), 123456789, 2**40 + 7]:
    CASES.append({"fn": "key", "key": None, "args": {"seed": s}, "out": enc(np.asarray(random.key_data(random.key(s))))})
    assert np.array_equal(random.key_data(random.key(s)), random.PRNGKey(s))
for s, d in [(-3, "int8"), (200, "uint8"), (2**32 - 1, "uint32"), (-7, "int32"), (1000, "int16")]:
    seed = jnp.asarray(np.array(s).astype(d))
    CASES.append({"fn": "key", "key": None, "args": {"seed": enc(np.asarray(seed))},
                  "out": enc(np.asarray(random.key_data(random.key(seed))))})

for k in ALLKEYS:
    for num in [2, 3, 1, 0, (2, 3), (4, 1, 2)]:
        case("split", k, random.key_data(random.split(k, num)), num=num)
    for d in [0, 1, 7, 2**31, 2**32 - 1]:
        case("foldIn", k, random.key_data(random.fold_in(k, d)), data=d)
    case("foldIn", k, random.key_data(random.fold_in(k, jnp.int32(-5))), data=enc(np.int32(-5)))
    for shape in [(), (1,), (3,), (2, 3), (0,), (2, 0, 3), (1000,)]:
        case("bits", k, random.bits(k, shape), shape=shape, dtype="uint32")
    for d in ["uint8", "uint16"]:
        case("bits", k, random.bits(k, (7,), d), shape=(7,), dtype=d)
# A chain: split, fold_in, split again.
k = random.key(5)
for i in range(4):
    k = random.fold_in(random.split(k, 3)[i % 3], i)
    case("bits", k, random.bits(k, (4,)), shape=(4,), dtype="uint32")
# vmap over keys (jax.vmap(split)) equals splitting each key.
ks = random.split(random.key(8), 4)
CASES.append({"fn": "vmapSplit", "key": None, "args": {"keys": enc(np.asarray(random.key_data(ks)))},
              "out": enc(np.asarray(random.key_data(jax.vmap(random.split)(ks))))})

# ---- uniform and the continuous samplers -----------------------------------------
for k in ALLKEYS:
    case("uniform", k, random.uniform(k, (5,)), shape=(5,), dtype="float32", minval=0.0, maxval=1.0)
    case("uniform", k, random.uniform(k, ()), shape=(), dtype="float32", minval=0.0, maxval=1.0)
    case("normal", k, random.normal(k, (6,)), shape=(6,), dtype="float32")
    case("normal", k, random.normal(k, ()), shape=(), dtype="float32")
k0, k1, k2 = KEYS[0], KEYS[1], KEYS[2]
case("uniform", k1, random.uniform(k1, (2, 3), minval=-2.0, maxval=3.0), shape=(2, 3), dtype="float32", minval=-2.0, maxval=3.0)
case("uniform", k1, random.uniform(k1, (400,)), shape=(400,), dtype="float32", minval=0.0, maxval=1.0)
mn = f32([[0.0, -1.0, 10.0]])
mx = f32([[1.0, 1.0, 5.0]])  # the last column has maxval < minval: minval is returned
case("uniform", k2, random.uniform(k2, (2, 3), minval=mn, maxval=mx), shape=(2, 3), dtype="float32", minval=mn, maxval=mx)
case("uniform", k2, random.uniform(k2, (4,), minval=2.0, maxval=1.0), shape=(4,), dtype="float32", minval=2.0, maxval=1.0)
case("uniform", k0, random.uniform(k0, (9,), jnp.float16), shape=(9,), dtype="float16", minval=0.0, maxval=1.0)
case("uniform", k0, random.uniform(k0, (0, 3)), shape=(0, 3), dtype="float32", minval=0.0, maxval=1.0)
case("normal", k1, random.normal(k1, (20, 20)), shape=(20, 20), dtype="float32")
case("normal", k2, random.normal(k2, (9,), jnp.float16), shape=(9,), dtype="float16")

for k in KEYS[:3]:
    case("truncatedNormal", k, random.truncated_normal(k, -1.0, 2.0, (8,)), lower=-1.0, upper=2.0, shape=(8,), dtype="float32")
lo, hi = f32([-3.0, 0.0, 1.0]), f32([3.0, 0.5, 4.0])
case("truncatedNormal", k1, random.truncated_normal(k1, lo, hi), lower=lo, upper=hi, shape=None, dtype="float32")
case("truncatedNormal", k1, random.truncated_normal(k1, lo, hi, (2, 3)), lower=lo, upper=hi, shape=(2, 3), dtype="float32")

for k in KEYS[:3]:
    case("exponential", k, random.exponential(k, (7,)), shape=(7,), dtype="float32")
    case("laplace", k, random.laplace(k, (7,)), shape=(7,), dtype="float32")
    case("logistic", k, random.logistic(k, (7,)), shape=(7,), dtype="float32")
    case("cauchy", k, random.cauchy(k, (7,)), shape=(7,), dtype="float32")
    for mode in ["low", "high", "highest"]:
        case("gumbel", k, random.gumbel(k, (2, 4), mode=mode), shape=(2, 4), dtype="float32", mode=mode)
case("gumbel", k1, random.gumbel(k1, (5,), jnp.float16), shape=(5,), dtype="float16", mode="low")

# ---- discrete samplers ------------------------------------------------------------
for k in KEYS[:4]:
    case("bernoulli", k, random.bernoulli(k, 0.3, (20,)), p=0.3, shape=(20,), mode="low")
    case("randint", k, random.randint(k, (10,), 0, 10), shape=(10,), minval=0, maxval=10, dtype="int32")
    case("randint", k, random.randint(k, (3, 4), -50, 1000), shape=(3, 4), minval=-50, maxval=1000, dtype="int32")
    case("permutation", k, random.permutation(k, 10), x=10, axis=0, independent=False)
p = f32([0.1, 0.5, 0.9])
case("bernoulli", k1, random.bernoulli(k1, p), p=p, shape=None, mode="low")
case("bernoulli", k1, random.bernoulli(k1, p, (4, 3)), p=p, shape=(4, 3), mode="low")
case("bernoulli", k2, random.bernoulli(k2, 0.5, (16,), mode="high"), p=0.5, shape=(16,), mode="high")
case("bernoulli", k2, random.bernoulli(k2), p=0.5, shape=None, mode="low")

case("randint", k1, random.randint(k1, (6,), 5, 2), shape=(6,), minval=5, maxval=2, dtype="int32")
case("randint", k1, random.randint(k1, (8,), 0, 256, jnp.uint8), shape=(8,), minval=0, maxval=256, dtype="uint8")
case("randint", k1, random.randint(k1, (8,), -128, 128, jnp.int8), shape=(8,), minval=-128, maxval=128, dtype="int8")
case("randint", k2, random.randint(k2, (8,), -1000, 40000, jnp.int16), shape=(8,), minval=-1000, maxval=40000, dtype="int16")
case("randint", k2, random.randint(k2, (8,), 0, 2**31 - 1, jnp.uint32), shape=(8,), minval=0, maxval=2**31 - 1, dtype="uint32")
case("randint", k2, random.randint(k2, (8,), -(2**31), 2**31 - 1), shape=(8,), minval=-(2**31), maxval=2**31 - 1, dtype="int32")
case("randint", k0, random.randint(k0, (5,), 0.7, 5.9), shape=(5,), minval=0.7, maxval=5.9, dtype="int32")
mn = jnp.asarray([0, 10, -5], jnp.int32)
mx = jnp.asarray([[3], [100]], jnp.int32)
case("randint", k0, random.randint(k0, (2, 3), mn, mx), shape=(2, 3), minval=mn, maxval=mx, dtype="int32")

case("permutation", k1, random.permutation(k1, 1), x=1, axis=0, independent=False)
case("permutation", k1, random.permutation(k1, 2000), x=2000, axis=0, independent=False)  # two sort rounds
x = jnp.arange(15.0, dtype=jnp.float32).reshape(5, 3)
case("permutation", k2, random.permutation(k2, x), x=x, axis=0, independent=False)
case("permutation", k2, random.permutation(k2, x, axis=1), x=x, axis=1, independent=False)
case("permutation", k2, random.permutation(k2, x, axis=1, independent=True), x=x, axis=1, independent=True)
case("permutation", k0, random.permutation(k0, jnp.arange(6, dtype=jnp.int32)), x=jnp.arange(6, dtype=jnp.int32), axis=0, independent=False)

logits = f32([0.0, 1.0, -1.0, 2.0, 0.5])
for k in KEYS[:3]:
    case("categorical", k, random.categorical(k, logits), logits=logits, axis=-1, shape=None, replace=True)
    case("categorical", k, random.categorical(k, logits, shape=(12,)), logits=logits, axis=-1, shape=(12,), replace=True)
L = f32(np.linspace(-2, 2, 12).reshape(3, 4))
case("categorical", k1, random.categorical(k1, L), logits=L, axis=-1, shape=None, replace=True)
case("categorical", k1, random.categorical(k1, L, axis=0), logits=L, axis=0, shape=None, replace=True)
case("categorical", k1, random.categorical(k1, L, shape=(5, 3)), logits=L, axis=-1, shape=(5, 3), replace=True)
case("categorical", k2, random.categorical(k2, L, shape=(2, 3), replace=False), logits=L, axis=-1, shape=(2, 3), replace=False)
case("categorical", k2, random.categorical(k2, L, axis=0, shape=(3, 4), replace=False), logits=L, axis=0, shape=(3, 4), replace=False)

for k in KEYS[:3]:
    case("choice", k, random.choice(k, 10, (5,)), a=10, shape=(5,), replace=True, p=None, axis=0)
    case("choice", k, random.choice(k, 10, (5,), replace=False), a=10, shape=(5,), replace=False, p=None, axis=0)
pp = f32([0.1, 0.2, 0.3, 0.4])
A = jnp.arange(12, dtype=jnp.int32).reshape(4, 3)
case("choice", k1, random.choice(k1, 4, (3, 2), p=pp), a=4, shape=(3, 2), replace=True, p=pp, axis=0)
case("choice", k1, random.choice(k1, 4, (3,), replace=False, p=pp), a=4, shape=(3,), replace=False, p=pp, axis=0)
case("choice", k2, random.choice(k2, A, (2,)), a=A, shape=(2,), replace=True, p=None, axis=0)
case("choice", k2, random.choice(k2, A, (2, 2), axis=1), a=A, shape=(2, 2), replace=True, p=None, axis=1)
case("choice", k2, random.choice(k2, A, (3,), replace=False), a=A, shape=(3,), replace=False, p=None, axis=0)
case("choice", k2, random.choice(k2, A, (2,), replace=False, p=pp), a=A, shape=(2,), replace=False, p=pp, axis=0)
case("choice", k0, random.choice(k0, 5, ()), a=5, shape=(), replace=True, p=None, axis=0)

# ---- gamma family and poisson -----------------------------------------------------
alphas = f32([0.3, 1.0, 2.5, 10.0, 0.05])
for k in KEYS[:3]:
    case("gamma", k, random.gamma(k, alphas), a=alphas, shape=None, dtype="float32")
    case("loggamma", k, random.loggamma(k, alphas), a=alphas, shape=None, dtype="float32")
case("gamma", k1, random.gamma(k1, 3.0, (4, 2)), a=3.0, shape=(4, 2), dtype="float32")
case("gamma", k1, random.gamma(k1, 0.5, ()), a=0.5, shape=(), dtype="float32")
case("gamma", k1, random.gamma(k1, alphas, (2, 5)), a=alphas, shape=(2, 5), dtype="float32")
case("beta", k0, random.beta(k0, 2.0, 5.0, (6,)), a=2.0, b=5.0, shape=(6,), dtype="float32")
case("beta", k1, random.beta(k1, f32([0.5, 1.0, 3.0]), 2.0), a=f32([0.5, 1.0, 3.0]), b=2.0, shape=None, dtype="float32")
alpha = f32([0.5, 1.0, 2.0, 4.0])
case("dirichlet", k0, random.dirichlet(k0, alpha), alpha=alpha, shape=None, dtype="float32")
case("dirichlet", k1, random.dirichlet(k1, alpha, (3,)), alpha=alpha, shape=(3,), dtype="float32")
for k in KEYS[:3]:
    case("poisson", k, random.poisson(k, 3.0, (12,)), lam=3.0, shape=(12,), dtype="int32")
    case("poisson", k, random.poisson(k, 25.0, (12,)), lam=25.0, shape=(12,), dtype="int32")
lam = f32([0.0, 0.5, 5.0, 9.99, 10.0, 15.0, 100.0, 1000.0])
case("poisson", k1, random.poisson(k1, lam), lam=lam, shape=None, dtype="int32")
case("poisson", k2, random.poisson(k2, lam, (2, 8)), lam=lam, shape=(2, 8), dtype="int32")

# Gradients in the shape parameters: JAX's implicit reparameterization (random_gamma_grad).
ga = f32([0.2, 1.0, 3.0, 50.0])
for k in KEYS[:2]:
    case("gradGamma", k, jax.grad(lambda a: random.gamma(k, a).sum())(ga), a=ga, dtype="float32")
    case("gradLoggamma", k, jax.grad(lambda a: random.loggamma(k, a).sum())(ga), a=ga, dtype="float32")
    case("gradBeta", k, jax.grad(lambda a: random.beta(k, a, 2.0).sum())(f32([0.5, 1.5, 4.0])), a=f32([0.5, 1.5, 4.0]), b=2.0, dtype="float32")
    case("gradDirichlet", k, jax.grad(lambda a: random.dirichlet(k, a)[0])(f32([1.0, 2.0, 3.0])), alpha=f32([1.0, 2.0, 3.0]), dtype="float32")

# ---- multivariate normal, orthogonal ----------------------------------------------
mean = f32([1.0, -2.0, 0.5])
cov = f32([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]])
case("multivariateNormal", k0, random.multivariate_normal(k0, mean, cov), mean=mean, cov=cov, shape=None)
case("multivariateNormal", k1, random.multivariate_normal(k1, mean, cov, (4,)), mean=mean, cov=cov, shape=(4,))
means = f32([[0.0, 0.0], [5.0, -5.0]])
covs = f32([[[1.0, 0.5], [0.5, 1.0]], [[0.2, 0.0], [0.0, 3.0]]])
case("multivariateNormal", k2, random.multivariate_normal(k2, means, covs), mean=means, cov=covs, shape=None)
case("multivariateNormal", k2, random.multivariate_normal(k2, means[0], covs, (3, 2)), mean=means[0], cov=covs, shape=(3, 2))
for n, m, shape in [(3, None, ()), (4, 2, ()), (2, 4, ()), (3, None, (2,)), (1, None, ())]:
    case("orthogonal", k1, random.orthogonal(k1, n, shape, m=m), n=n, shape=shape, dtype="float32", m=m)

# ---- samplers derived from the basic ones -------------------------------------------
for k in KEYS[:2]:
    case("rademacher", k, random.rademacher(k, (8,)), shape=(8,), dtype="int32")
    case("lognormal", k, random.lognormal(k, 0.5, (5,)), sigma=0.5, shape=(5,), dtype="float32")
    case("pareto", k, random.pareto(k, 3.0, (5,)), b=3.0, shape=(5,), dtype="float32")
    case("chisquare", k, random.chisquare(k, 4.0, (5,)), df=4.0, shape=(5,), dtype="float32")
    case("f", k, random.f(k, 3.0, 7.0, (5,)), dfnum=3.0, dfden=7.0, shape=(5,), dtype="float32")
    case("t", k, random.t(k, 5.0, (5,)), df=5.0, shape=(5,), dtype="float32")
    case("rayleigh", k, random.rayleigh(k, 2.0, (5,)), scale=2.0, shape=(5,), dtype="float32")
    case("weibullMin", k, random.weibull_min(k, 2.0, 1.5, (5,)), scale=2.0, concentration=1.5, shape=(5,), dtype="float32")
    case("geometric", k, random.geometric(k, 0.3, (8,)), p=0.3, shape=(8,), dtype="int32")
    case("triangular", k, random.triangular(k, -1.0, 0.5, 2.0, (5,)), left=-1.0, mode=0.5, right=2.0, shape=(5,), dtype="float32")
    case("wald", k, random.wald(k, 1.5, (5,)), mean=1.5, shape=(5,), dtype="float32")
    case("maxwell", k, random.maxwell(k, (5,)), shape=(5,), dtype="float32")
    case("doubleSidedMaxwell", k, random.double_sided_maxwell(k, 1.0, 2.0, (5,)), loc=1.0, scale=2.0, shape=(5,), dtype="float32")
    case("generalizedNormal", k, random.generalized_normal(k, 1.5, (5,)), p=1.5, shape=(5,), dtype="float32")
    case("ball", k, random.ball(k, 3, 2, (4,)), d=3, p=2, shape=(4,), dtype="float32")
sig = f32([0.1, 1.0, 2.0])
case("lognormal", k2, random.lognormal(k2, sig), sigma=sig, shape=None, dtype="float32")
case("rademacher", k2, random.rademacher(k2, (6,), jnp.float32), shape=(6,), dtype="float32")
case("doubleSidedMaxwell", k2, random.double_sided_maxwell(k2, f32([0.0, 10.0]), 1.0), loc=f32([0.0, 10.0]), scale=1.0, shape=(), dtype="float32")

# ---- float64 (x64 enabled; explicit dtypes only) -----------------------------------
jax.config.update("jax_enable_x64", True)
for k in KEYS[:3]:
    case("uniform", k, random.uniform(k, (6,), jnp.float64), shape=(6,), dtype="float64", minval=0.0, maxval=1.0)
    case("normal", k, random.normal(k, (6,), jnp.float64), shape=(6,), dtype="float64")
    case("exponential", k, random.exponential(k, (4,), jnp.float64), shape=(4,), dtype="float64")
    case("gamma", k, random.gamma(k, jnp.asarray([0.3, 1.0, 2.5, 10.0]), dtype=jnp.float64),
         a=np.asarray([0.3, 1.0, 2.5, 10.0]), shape=None, dtype="float64")
case("uniform", k1, random.uniform(k1, (3,), jnp.float64, -5.0, 5.0), shape=(3,), dtype="float64", minval=-5.0, maxval=5.0)
case("truncatedNormal", k1, random.truncated_normal(k1, -0.5, 0.5, (5,), jnp.float64), lower=-0.5, upper=0.5, shape=(5,), dtype="float64")
case("orthogonal", k2, random.orthogonal(k2, 4, (), jnp.float64), n=4, shape=(), dtype="float64", m=None)
ga64 = np.asarray([0.2, 1.0, 3.0, 50.0])
case("gradGamma", k1, jax.grad(lambda a: random.gamma(k1, a, dtype=jnp.float64).sum())(jnp.asarray(ga64)), a=ga64, dtype="float64")

write("random", CASES)
