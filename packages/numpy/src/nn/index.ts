// jax.nn: activations, softmax/logsumexp and friends, one_hot, standardize,
// dot_product_attention, and the `initializers` namespace. Everything is
// composed from jnp functions and lax, so it works under grad, vmap and jit.
export * from "./activations.js";
export * from "./functions.js";
export * from "./attention.js";
export * as initializers from "./initializers.js";
