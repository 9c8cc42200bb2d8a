// polygamma (mpmath goldens), and the derivatives of digamma and polygamma it provides.
import { describe, expect, it } from "vitest";
import { type Array as JArray, array, grad, lax, makeJaxpr, ShapeDtypeStruct } from "../src/index.js";
import { checkGrads, checkVmap, randArray, rng } from "./check.js";
import { decode, expectMatches, loadGolden, type EncodedArray } from "./golden.js";

describe("polygamma", () => {
  const cases = loadGolden<{ m: EncodedArray; x: EncodedArray; out: EncodedArray }>("polygamma");
  cases.forEach((c, i) => {
    it(`matches mpmath (${c.x.dtype}, case ${i})`, () => {
      const tol = c.x.dtype === "float32" ? { rtol: 2e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-14 };
      expectMatches(lax.polygamma(decode(c.m), decode(c.x)), c.out, tol);
    });
  });

  it("prints as JAX prints lax.polygamma", () => {
    const s = new ShapeDtypeStruct([3], "float32");
    expect(makeJaxpr((m: JArray, x: JArray) => lax.polygamma(m, x))(s, s).toString()).toBe(
      "{ lambda ; a:f32[3] b:f32[3]. let c:f32[3] = polygamma a b in (c,) }",
    );
  });

  it("gives digamma and polygamma their derivatives (JAX's values at 2.0)", () => {
    // jax.grad(lax.digamma)(2.0) = 0.64493406, jax.grad(lambda x: lax.polygamma(1., x))(2.0) = -0.40411392
    expect(grad(lax.digamma)(array(2, { dtype: "float32" })).item()).toBeCloseTo(0.64493406, 6);
    expect(grad((x: JArray) => lax.polygamma(1, x))(array(2, { dtype: "float32" })).item()).toBeCloseTo(-0.40411392, 6);
  });

  it("digamma and polygamma pass the second-order gradient check and vmap", () => {
    const r = rng(11);
    const x = randArray([4], r, 0.5, 4);
    checkGrads(lax.digamma, [x], 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
    checkGrads((y: JArray) => lax.polygamma(2, y), [x], 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
    checkVmap((m: JArray, y: JArray) => lax.polygamma(m, y), [array([[1, 2], [3, 1]], { dtype: "float64" }), randArray([2, 2], r, 0.5, 3)]);
  });
});
