// int64/uint64/float_/ndarray/iterable (values checked against JAX 0.10.2 with x64 disabled).
import { describe, expect, it } from "vitest";
import { Array, jit, vmap } from "@jaxts/core";
import * as jnp from "../src/index.js";

describe("dtype aliases", () => {
  it("int64/uint64 canonicalize to 32 bits (jnp.array(1, jnp.int64).dtype == int32)", () => {
    expect(jnp.int64).toBe(jnp.int32);
    expect(jnp.uint64).toBe(jnp.uint32);
    expect(jnp.array([1, 2], jnp.int64).dtype.name).toBe("int32");
    expect(jnp.zeros([2], jnp.uint64).dtype.name).toBe("uint32");
    expect(jnp.iinfo(jnp.int64).max).toBe(2147483647);
  });
  it("float_ is float64, like double", () => {
    expect(jnp.float_).toBe(jnp.double);
    expect(jnp.ones([1], jnp.float_).dtype.name).toBe("float64");
  });
  it("ndarray is the Array class", () => {
    expect(jnp.array([1]) instanceof jnp.ndarray).toBe(true);
    const t: jnp.ndarray = jnp.array(1);
    expect(t).toBeInstanceOf(Array);
  });
});

describe("iterable (np.iterable)", () => {
  it("matches JAX on arrays and JS values", () => {
    // jnp.iterable: 0-d False, [1] True, list True, 3 False, 'ab' True, None False, zeros(0) True.
    expect(jnp.iterable(jnp.array(1))).toBe(false);
    expect(jnp.iterable(jnp.array([1]))).toBe(true);
    expect(jnp.iterable(jnp.zeros([0]))).toBe(true);
    expect(jnp.iterable([1])).toBe(true);
    expect(jnp.iterable(new Float32Array(2))).toBe(true);
    expect(jnp.iterable(3)).toBe(false);
    expect(jnp.iterable("ab")).toBe(true);
    expect(jnp.iterable(null)).toBe(false);
    expect(jnp.iterable(undefined)).toBe(false);
    expect(jnp.iterable(new Map())).toBe(true);
    expect(jnp.iterable({})).toBe(false); // a JS object has no iterator (a Python dict does)
  });
  it("works on traced values by their rank", () => {
    const seen: boolean[] = [];
    jit((x: Array) => (seen.push(jnp.iterable(x)), x))(jnp.ones([3]));
    vmap((x: Array) => (seen.push(jnp.iterable(x)), x))(jnp.ones([3]));
    expect(seen).toEqual([true, false]);
  });
});
