// jaxts: one import for the whole library, as `import jax` is in Python:
//   import { jit, grad, vmap, lax, random, numpy as jnp, optax, flax } from "jaxts";
export * from "@jaxts/core";
export * as numpy from "@jaxts/numpy";
export * as flax from "@jaxts/flax-like";
export * as optax from "@jaxts/optax-like";
