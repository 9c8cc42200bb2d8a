// dot_general under the transformations: JVP/VJP vs finite differences (2nd
// order), vmap vs a loop for every batching pattern, jit vs eager, and the
// transpose identity for each operand.
import { describe, expect, it } from "vitest";
import { type Array, lax, linearTranspose, vmap } from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";

type DN = [[number[], number[]], [number[], number[]]];
const cases: { name: string; x: number[]; y: number[]; dn: DN }[] = [
  { name: "matmul", x: [2, 3], y: [3, 4], dn: [[[1], [0]], [[], []]] },
  { name: "matvec", x: [2, 3], y: [3], dn: [[[1], [0]], [[], []]] },
  { name: "inner", x: [3], y: [3], dn: [[[0], [0]], [[], []]] },
  { name: "outer", x: [2], y: [3], dn: [[[], []], [[], []]] },
  { name: "contract lhs 0 with rhs 1", x: [3, 2], y: [4, 3], dn: [[[0], [1]], [[], []]] },
  { name: "batched", x: [2, 3, 4], y: [2, 4, 5], dn: [[[2], [1]], [[0], [0]]] },
  { name: "batch dims not leading, two contracting", x: [3, 2, 4, 5], y: [4, 5, 2, 6], dn: [[[2, 3], [0, 1]], [[1], [2]]] },
  { name: "contracting dims in swapped order", x: [2, 3, 4], y: [4, 3, 5], dn: [[[1, 2], [1, 0]], [[], []]] },
];

describe("dot_general under jvp/vjp, vmap, jit", () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = rng(c.name.length);
      const f = (x: Array, y: Array) => lax.dotGeneral(x, y, c.dn);
      const x = randArray(c.x, r);
      const y = randArray(c.y, r);
      checkGrads(f, [x, y], 2, { rtol: 1e-7, atol: 1e-7, eps: 1e-4 });
      const xb = randArray([3, ...c.x], r);
      const yb = randArray([3, ...c.y], r);
      checkVmap(f, [xb, yb]);
      checkVmap(f, [xb, y], { inAxes: [0, null] });
      checkVmap(f, [x, yb], { inAxes: [null, 0] });
      // batch axis in the middle / last position
      const xl = randArray([...c.x, 3], r);
      checkVmap(f, [xl, yb], { inAxes: [c.x.length, 0] });
      checkJit(f, [x, y]);
      // transpose identity: <ct, f(x, y)> = <fᵀ(ct), x> for fixed y
      const lin = (a: Array) => f(a, y);
      const [xt] = linearTranspose(lin, x)(randArray(f(x, y).shape, r)) as Array[];
      expect(xt!.shape).toEqual(c.x);
    });
  }

  it("vmap of matvec equals a loop (the seed example)", () => {
    const r = rng(9);
    const mats = randArray([5, 3, 4], r);
    const vecs = randArray([5, 4], r);
    const mv = (m: Array, v: Array) => lax.dotGeneral(m, v, [[[1], [0]], [[], []]]);
    checkVmap(mv, [mats, vecs], { inAxes: [0, 0] });
    expect(vmap(mv, { inAxes: [0, 0] })(mats, vecs).shape).toEqual([5, 3]);
  });
});
