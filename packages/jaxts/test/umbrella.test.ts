// The umbrella re-exports the packages themselves (same objects, not copies).
import { describe, expect, it } from "vitest";
import * as core from "@jaxts/core";
import * as flaxLike from "@jaxts/flax-like";
import * as jnpPkg from "@jaxts/numpy";
import * as optaxLike from "@jaxts/optax-like";
import { array, flax, grad, jit, numpy as jnp, optax } from "../src/index.js";

describe("jaxts", () => {
  it("re-exports core at the top level and the other packages as namespaces", () => {
    expect(grad).toBe(core.grad);
    expect(jit).toBe(core.jit);
    expect(jnp.sum).toBe(jnpPkg.sum);
    expect(flax.Dense).toBe(flaxLike.Dense);
    expect(optax.adam).toBe(optaxLike.adam);
  });
  it("works end to end: the gradient of sum(sin(x)) is cos(x)", () => {
    const x = array([0.1, 0.5, 1.2], { dtype: "float64" });
    const g = grad((v: core.Array) => jnp.sum(jnp.sin(v)))(x) as core.Array;
    (g.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(Math.cos([0.1, 0.5, 1.2][i]!), 12));
  });
});
