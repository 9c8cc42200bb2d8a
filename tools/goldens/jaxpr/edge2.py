import jax, jax.numpy as jnp
from jax import lax
x3 = jnp.ones(3)
def show(name, fn, *args):
    print('### ' + name); print(str(jax.make_jaxpr(fn)(*args)))
@jax.jit
def f(x): return x * 2.
show('shared_named_f', lambda x: f(x) + f(x) + jnp.sin(x) * jnp.cos(x) - x, x3)
@jax.jit
def big(x):
    for i in range(11): x = jnp.sin(x)
    return x
show('big_inner_once', lambda x: big(x) + 1., x3)
def br(x):
    for i in range(11): x = jnp.cos(x)
    return x
show('cond_big_branches', lambda p, x: lax.cond(p, br, lambda x: x, x), True, x3)
show('cond_two_big', lambda p, x: lax.cond(p, br, lambda x: jnp.sin(br(x)), x), True, x3)
show('neg_zero', lambda x: x * -0.0, x3)
show('lit_1e-5', lambda x: x * 1e-5, x3)
show('lit_1e16', lambda x: x * 1e16, x3)
show('lit_123456.7', lambda x: x * 123456.7, x3)
show('x_dup_inner', lambda x: jax.jit(lambda a, b: a * b)(x, x), x3)
show('inner_identity', lambda x: jax.jit(lambda a: a)(x), x3)
show('where_scalar', lambda x: jnp.where(x > 0, x, 0.), x3)
show('reduce_precision', lambda x: lax.reduce_precision(x, 5, 10), x3)
show('max_reduce_all', lambda x: jnp.max(x, axis=(0,1)), jnp.ones((2,3)))
show('sum_keepdims', lambda x: jnp.sum(x, axis=0, keepdims=True), jnp.ones((2,3)))
show('dot_batched', lambda x,y: jnp.einsum('bij,bjk->bik', x, y), jnp.ones((2,3,4)), jnp.ones((2,4,5)))
show('conv_precision', lambda x,w: lax.conv(x, w, (1,1), 'VALID', precision=lax.Precision.HIGHEST), jnp.ones((1,1,5,5)), jnp.ones((1,1,3,3)))
show('dot_precision', lambda x,y: jnp.dot(x,y, precision=lax.Precision.HIGHEST), jnp.ones((2,3)), jnp.ones((3,)))
show('top_k_2d', lambda x: lax.top_k(x, 1), jnp.ones((2,3)))
show('argmax_axis1', lambda x: jnp.argmax(x, axis=1), jnp.ones((2,3)))
show('cumsum_rev', lambda x: lax.cumsum(x, axis=0, reverse=True), x3)
show('dynamic_slice_2d', lambda x, i, j: lax.dynamic_slice(x, (i, j), (1, 2)), jnp.ones((2,3)), 0, 1)
show('gather_2d_take', lambda x, i: jnp.take(x, i, axis=0), jnp.ones((4,3)), jnp.array([0, 2]))
show('clamp_arr', lambda lo, x, hi: lax.clamp(lo, x, hi), x3, x3, x3)
show('expand_dims_multi', lambda x: lax.expand_dims(x, (0, 2)), x3)
show('broadcast_in_dim_lax', lambda x: lax.broadcast_in_dim(x, (2, 3, 4), (1,)), jnp.ones(3))
show('broadcast', lambda x: lax.broadcast(x, (2,)), x3)
show('log_softmax', jax.nn.log_softmax, x3)
show('grad_relu', jax.grad(lambda x: jnp.sum(jax.nn.relu(x))), x3)
show('vjp_custom', jax.grad(lambda x: jnp.sum(jax.nn.gelu(x))), x3)
