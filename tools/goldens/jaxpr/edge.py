import jax, jax.numpy as jnp, numpy as np
from jax import lax
x3 = jnp.ones(3, jnp.float32)
def show(name, fn, *args):
    s = str(jax.make_jaxpr(fn)(*args))
    print('### ' + name); print(s); print('### maxlen', max(len(l) for l in s.split('\n')))
show('lit_0.1', lambda x: x*0.1, x3)
show('lit_inf_nan', lambda x: (x+jnp.inf, x+jnp.nan, x - jnp.inf), x3)
show('lit_small', lambda x: x*1e-8, x3)
show('lit_big', lambda x: x*1e20, x3)
show('lit_neg', lambda x: x*-2.5, x3)
show('lit_bool', lambda x: jnp.logical_and(x, True), jnp.ones(3, bool))
show('lit_f16', lambda x: x*0.1, jnp.ones(3, jnp.float16))
show('lit_bf16', lambda x: x*0.1, jnp.ones(3, jnp.bfloat16))
show('lit_int_big', lambda x: x*123456789, jnp.ones(3, jnp.int32))
show('lit_uint', lambda x: x+1, jnp.ones(3, jnp.uint32))
show('lit_np_f32_scalar', lambda x: x*np.float32(0.1), x3)
# custom jvp/vjp
@jax.custom_jvp
def f(x): return jnp.sin(x)
@f.defjvp
def f_jvp(p, t): return f(p[0]), t[0]*jnp.cos(p[0])
show('custom_jvp', f, x3)
@jax.custom_vjp
def g(x): return jnp.sin(x)
def g_fwd(x): return g(x), jnp.cos(x)
def g_bwd(r, ct): return (ct*r,)
g.defvjp(g_fwd, g_bwd)
show('custom_vjp', g, x3)
show('relu', jax.nn.relu, x3)
# width tests: find lengths near 80
for n in range(1, 12):
    names = [f'v{i}' for i in range(n)]
    fn = eval('lambda ' + ','.join(names) + ': ' + names[0] + '*' + names[-1])
    show(f'width_{n}', fn, *([x3]*n))
def many(*xs):
    return sum(xs[1:], xs[0])
show('many_args', many, *([jnp.ones((10,10))]*30))
show('jit_top', jax.jit(lambda x: jnp.sin(x)+1.), x3)
def fn2(x):
  g = jax.jit(lambda y: y*2.)
  return g(x) + g(x)
show('jit_shared_twice', fn2, x3)
show('scan_consts', lambda c, xs: lax.scan(lambda c, x: (c + x*xs[0], None), c, xs), jnp.float32(0.), x3)
show('cond_consts', lambda p, x, y: lax.cond(p, lambda x: x*y, lambda x: x, x), True, x3, x3)
show('grad_sin', jax.grad(lambda x: jnp.sin(x)), 1.0)
show('grad_tanh_sum', jax.grad(lambda x: jnp.sum(jnp.tanh(x))), x3)
show('vmap_dot', jax.vmap(lambda x, y: jnp.dot(x, y)), jnp.ones((4,3)), jnp.ones((4,3)))
show('dot_int', lambda x, y: jnp.dot(x, y), jnp.ones((2,3), jnp.int32), jnp.ones((3,), jnp.int32))
show('mean', lambda x: jnp.mean(x), x3)
show('softmax', jax.nn.softmax, x3)
show('logsumexp', jax.nn.logsumexp, x3)
show('ident', lambda x: x, x3)
show('no_args', lambda: jnp.float32(1.0))
show('literal_out', lambda x: 1.0, x3)
show('dup_out', lambda x: (x, x), x3)
show('pytree', lambda d: d['a'] + d['b'][0], {'a': x3, 'b': (x3,)})
show('exp_accuracy', lambda x: lax.exp(x, accuracy=lax.Tolerance(atol=1e-3, rtol=0., ulps=0)), x3)
show('mul_out_dtype', lambda x, y: lax.mul(x, y), jnp.ones(3, jnp.int8), jnp.ones(3, jnp.int8))
