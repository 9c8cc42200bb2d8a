// @jaxts/numpy: the jax.numpy surface. Every function is a composition of
// @jaxts/core primitives, so it works under grad, vmap and jit with no extra code.
export {};
