"""Jaxprs printed by JAX 0.10.2 for custom_jvp / custom_vjp / checkpoint programs.

Run with a Python that has JAX 0.10.2:
  /tmp/jaxvenv/bin/python tools/goldens/jaxpr/gen_custom.py
Writes packages/core/test/fixtures/custom_jaxprs.json: {name: jaxpr text}.
The TypeScript tests (test/custom.test.ts, test/checkpoint.test.ts) write the
same programs with jaxts and compare the text.
"""
import json, os
import jax, jax.numpy as jnp
from jax import lax

x3 = jax.ShapeDtypeStruct((3,), jnp.float32)
x23 = jax.ShapeDtypeStruct((2, 3), jnp.float32)
m33 = jax.ShapeDtypeStruct((3, 3), jnp.float32)

@jax.custom_jvp
def f(x): return jnp.sin(x)
@f.defjvp
def f_jvp(p, t): return f(p[0]), t[0] * jnp.cos(p[0])

@jax.custom_vjp
def g(x): return jnp.sin(x)
def g_fwd(x): return g(x), jnp.cos(x)
def g_bwd(r, ct): return (ct * r,)
g.defvjp(g_fwd, g_bwd)

def chain(x): return jnp.sin(jnp.sin(jnp.sin(x)))
c = jax.checkpoint(chain)
c_none = jax.checkpoint(chain, policy=jax.checkpoint_policies.nothing_saveable)

def mlp(w, x): return jnp.tanh(w @ jnp.tanh(w @ x))
c_dots = jax.checkpoint(mlp, policy=jax.checkpoint_policies.dots_saveable)

cases = {
    "custom_jvp_vjp": (lambda x: jax.vjp(f, x)[1](x), [x3]),
    "custom_jvp_linearize": (lambda x: jax.linearize(f, x)[1](x), [x3]),
    "custom_jvp_vmap": (jax.vmap(f), [x23]),
    "custom_vjp_linearize": (lambda x: jax.linearize(g, x)[1](x), [x3]),
    "custom_vjp_vmap": (jax.vmap(g), [x23]),
    "checkpoint": (c, [x3]),
    "checkpoint_policy": (c_none, [x3]),
    "checkpoint_vjp": (lambda x: jax.vjp(c, x)[1](x), [x3]),
    "checkpoint_linearize": (lambda x: jax.linearize(c, x)[1](x), [x3]),
    "checkpoint_jvp": (lambda x, t: jax.jvp(c, (x,), (t,)), [x3, x3]),
    "checkpoint_vmap": (jax.vmap(c), [x23]),
    # (with a dots policy JAX also inserts reduce_precision on saved residuals, an XLA detail jaxts omits)
}
out = {name: str(jax.make_jaxpr(fn)(*args)) for name, (fn, args) in cases.items()}
path = os.path.join(os.path.dirname(__file__), "../../../packages/core/test/fixtures/custom_jaxprs.json")
with open(path, "w") as fh:
    json.dump({"jax_version": jax.__version__, "cases": out}, fh, indent=1)
for k, v in out.items():
    print(k); print(v)
