// @jaxts/numpy: the jax.numpy surface. Every function is a composition of
// @jaxts/core primitives, so it works under grad, vmap and jit with no extra code.
// Elementwise math, reductions, sorting/searching/sets, selection helpers, dtype helpers.
export * from "./ufuncs.js";
export * from "./reductions.js";
export * from "./sorting.js";
export * from "./misc.js";
export * from "./vectorize.js";
export * from "./dtypes.js";
// Array creation, shape manipulation, indexing (x.get/x.at come from @jaxts/core).
export * from "./creation.js";
export * from "./manipulation.js";
export * from "./indexing.js";
// jax.nn (activations, softmax/logsumexp, attention, initializers).
export * as nn from "./nn/index.js";
// Products and einsum; the linalg and fft namespaces (jnp.linalg, jnp.fft).
export * from "./products.js";
export * as linalg from "./linalg.js";
export * as fft from "./fft.js";
// jnp.save / savez / load (.npy, .npz).
export * from "./io.js";
// jnp.array_repr / array_str and print options.
export * from "./printing.js";
// Aliases: int64/uint64 (32-bit, as JAX without x64), float_, ndarray, iterable.
export * from "./aliases.js";
