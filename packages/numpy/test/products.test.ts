// Products and einsum: NumPy goldens (values; jnp's result dtypes), opt_einsum's
// contraction paths, gradients, vmap, jit, and error messages.
import { describe, expect, test } from "vitest";
import { Array, array, jit, makeJaxpr } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { dot, einsum, einsumPath, inner, kron, matmul, matvec, outer, tensordot, vdot, vecdot, vecmat } from "../src/products.js";
import { loadGolden, type EncodedArray } from "../../core/test/golden.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { decodeArg, expectClose, type Case } from "./linalg_golden.js";

const cases = loadGolden<Case>("products", import.meta.url);
const zeros = (shape: number[], dtype: string): Array => jnp.zeros(shape, dtype as "float32");

type Fn = (args: any[], kw: any) => Array;
const FNS: Record<string, Fn> = {
  dot: ([a, b], kw) => dot(a, b, kw),
  vdot: ([a, b], kw) => vdot(a, b, kw),
  inner: ([a, b], kw) => inner(a, b, kw),
  outer: ([a, b]) => outer(a, b),
  matmul: ([a, b], kw) => matmul(a, b, kw),
  kron: ([a, b]) => kron(a, b),
  tensordot: ([a, b, axes], kw) => tensordot(a, b, axes, kw),
  vecdot: ([a, b], kw) => vecdot(a, b, kw),
  matvec: ([a, b], kw) => matvec(a, b, kw),
  vecmat: ([a, b], kw) => vecmat(a, b, kw),
  einsum: ([spec, ...ops], kw) => einsum(spec, ...ops, kw),
  einsumInterleaved: (args) => (einsum as (...xs: unknown[]) => Array)(...args),
};

describe("products: NumPy goldens", () => {
  const byFn = new Map<string, Case[]>();
  for (const c of cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  for (const [fn, cs] of byFn) {
    if (fn === "einsumPath") continue;
    test(`${fn} (${cs.length} cases)`, () => {
      for (const c of cs) {
        const args = decodeArg(c.args) as unknown[];
        const kw = decodeArg(c.kw) as Record<string, unknown>;
        const label = `${fn} ${c.note}`;
        const out = FNS[fn]!(args, kw);
        // Long contractions accumulate rounding: scale float32 tolerances a little.
        expectClose(out, c.out as EncodedArray, label, fn === "einsum" ? 2 : 1);
      }
    });
  }

  // JAX's default ("auto") is opt_einsum's optimal search up to 4 operands (branch-and-bound beyond,
  // where ours is greedy), so the default is compared up to 4 operands.
  test("einsumPath matches opt_einsum's greedy and optimal paths and JAX's default (up to 4 operands)", () => {
    const cs = cases.filter((c) => c.fn === "einsumPath" && (c.kw.optimize !== undefined || c.args.length <= 5));
    expect(cs.length).toBeGreaterThan(20);
    for (const c of cs) {
      const [spec, ...shapes] = c.args as [string, ...{ shape: number[] }[]];
      const ops = shapes.map((s) => zeros(s.shape, "float32"));
      const [path] = einsumPath(spec, ...ops, c.kw as { optimize?: "greedy" | "optimal" });
      expect(path, `${spec} ${c.note}`).toEqual((c.out as number[][][])[0]);
    }
  });
});

describe("einsum semantics", () => {
  const f64 = (x: unknown) => array(x as number[][], { dtype: "float64" });
  test("implicit output sorts labels (uppercase first) and sums repeated ones", () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    expect(einsum("bA", a).shape).toEqual([3, 2]);
    expect(einsum("ij", a).tolist()).toEqual(a.tolist());
    expect(einsum("ii", f64([[1, 2], [3, 4]])).item()).toBe(5);
  });
  test("ellipsis dims missing from an explicit output are summed (JAX; NumPy errors)", () => {
    const x = f64([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(einsum("...ij->ij", x).tolist()).toEqual([[6, 8], [10, 12]]);
  });
  test("each pairwise step is one dot_general (and a single-operand step a reduce_sum)", () => {
    const a = zeros([2, 3], "float32");
    const b = zeros([3, 4], "float32");
    const c = zeros([4, 5], "float32");
    const text = makeJaxpr((x: Array, y: Array, z: Array) => einsum("ij,jk,kl->il", x, y, z))(a, b, c).toString();
    expect(text.match(/dot_general/g)?.length).toBe(2);
    const tr = makeJaxpr((x: Array) => einsum("ii->", x))(zeros([3, 3], "float32")).toString();
    expect(tr).toContain("reduce_sum");
    expect(tr).not.toContain("dot_general");
  });
  test("the result dtype is the promoted one; preferredElementType overrides", () => {
    const a = array([[1, 2]], { dtype: "int32" });
    const b = array([[1.5], [2.5]], { dtype: "float32" });
    expect(einsum("ij,jk->ik", a, b).dtype.name).toBe("float32");
    expect(einsum("ij,jk->ik", a, a.transpose(), { preferredElementType: "float32" }).dtype.name).toBe("float32");
    expect(matmul(a, b).dtype.name).toBe("float32");
    expect(dot(a, a.transpose(), { preferredElementType: "float64" }).dtype.name).toBe("float64");
  });
  test("the jnp namespace exports the products", () => {
    expect(jnp.einsum).toBe(einsum);
    expect(jnp.matmul).toBe(matmul);
    expect(typeof jnp.linalg.solve).toBe("function");
    expect(typeof jnp.fft.fft).toBe("function");
  });
});

describe("products: gradients (float64, order 2)", () => {
  const r = rng(7);
  const specs: [string, number[][]][] = [
    ["ij,jk->ik", [[2, 3], [3, 4]]],
    ["ii->i", [[3, 3]]],
    ["ij->", [[2, 3]]],
    ["bij,bjk->bik", [[2, 3, 2], [2, 2, 3]]],
    ["...ij,...jk", [[2, 1, 2, 3], [3, 3, 2]]],
    ["ij,jk,kl->il", [[2, 3], [3, 2], [2, 2]]],
    ["iij,jk->ik", [[2, 2, 3], [3, 2]]],
    ["i,j->ij", [[3], [2]]],
  ];
  for (const [spec, shapes] of specs) {
    test(`einsum ${spec}`, () => {
      checkGrads((...xs: Array[]) => einsum(spec, ...xs), shapes.map((s) => randArray(s, r)), 2);
    });
  }
  test("matmul, dot, tensordot, kron, vecdot, inner, outer, vdot", () => {
    const a = randArray([2, 3], r);
    const b = randArray([3, 4], r);
    checkGrads((x: Array, y: Array) => matmul(x, y), [randArray([2, 2, 3], r), b], 2);
    checkGrads((x: Array, y: Array) => dot(x, y), [a, b], 2);
    checkGrads((x: Array, y: Array) => tensordot(x, y, [[1], [0]]), [a, b], 2);
    checkGrads((x: Array, y: Array) => kron(x, y), [a, randArray([2, 2], r)], 2);
    checkGrads((x: Array, y: Array) => vecdot(x, y), [a, randArray([3], r)], 2);
    checkGrads((x: Array, y: Array) => inner(x, y), [a, randArray([4, 3], r)], 2);
    checkGrads((x: Array, y: Array) => outer(x, y), [randArray([3], r), randArray([2], r)], 2);
    checkGrads((x: Array, y: Array) => vdot(x, y), [a, randArray([3, 2], r)], 2);
  });
});

describe("products: vmap and jit", () => {
  const r = rng(11);
  test("vmap of einsum, matmul and tensordot equals a loop", () => {
    checkVmap((x: Array, y: Array) => einsum("ij,jk->ik", x, y), [randArray([3, 2, 4], r), randArray([3, 4, 2], r)]);
    checkVmap((x: Array, y: Array) => einsum("ii,i->", x, y), [randArray([4, 3, 3], r), randArray([3], r)], { inAxes: [0, null] });
    checkVmap((x: Array, y: Array) => matmul(x, y), [randArray([3, 2, 4], r), randArray([4, 5], r)], { inAxes: [0, null] });
    checkVmap((x: Array, y: Array) => tensordot(x, y, 1), [randArray([3, 2, 4], r), randArray([3, 4, 2], r)]);
    checkVmap((x: Array) => kron(x, x), [randArray([2, 2, 3], r)]);
  });
  test("jit equals eager", () => {
    checkJit((x: Array, y: Array, z: Array) => einsum("ij,jk,kl->il", x, y, z), [randArray([2, 3], r), randArray([3, 4], r), randArray([4, 2], r)]);
    checkJit((x: Array, y: Array) => vecdot(x, y, { axis: 0 }), [randArray([3, 2], r), randArray([3, 2], r)]);
    expect(jit((x: Array) => einsum("ii", x))(array([[1, 2], [3, 4]], { dtype: "float32" })).item()).toBe(5);
  });
});

describe("products: errors name the function and the shapes", () => {
  const a = zeros([2, 3], "float32");
  const b = zeros([4, 5], "float32");
  test("einsum", () => {
    expect(() => einsum("ij,jk->ik", a)).toThrow(/\[einsum\].*2 operand\(s\) but 1/);
    expect(() => einsum("ij,jk->ik", a, b)).toThrow(/\[einsum\] size of label 'j' for operand 1 \(f32\[4,5\]: 4\) does not match previous terms \(3\)/);
    expect(() => einsum("ijk", a)).toThrow(/\[einsum\] subscript 'ijk' has 3 label\(s\) but operand 0 is f32\[2,3\]/);
    expect(() => einsum("i1", a)).toThrow(/\[einsum\] invalid subscript '1'/);
    expect(() => einsum("ij->ii", a)).toThrow(/output subscript 'i' appears more than once/);
    expect(() => einsum("ij->k", a)).toThrow(/output subscript 'k' .* does not appear in any input/);
    expect(() => einsum("ij,jk->ik", a, zeros([3, 4], "float32"), { optimize: [[0, 1, 2]] })).toThrow(/\[einsum\] invalid contraction path/);
  });
  test("matmul, tensordot, vecdot, vdot", () => {
    expect(() => matmul(a, b)).toThrow(/\[matmul\] contracting dimensions do not match: f32\[2,3\] @ f32\[4,5\]/);
    expect(() => dot(a, b)).toThrow(/\[dot\] shapes f32\[2,3\] and f32\[4,5\] not aligned/);
    expect(() => matmul(a, 2)).toThrow(/\[matmul\] input operand 1 must have ndim at least 1/);
    expect(() => tensordot(a, b, 3)).toThrow(/\[tensordot\] number of tensordot axes \(axes 3\) exceeds input ranks \(f32\[2,3\] and f32\[4,5\]\)/);
    expect(() => tensordot(a, b, [[1], [1]])).toThrow(/\[tensordot\] shape mismatch: axis 1 of f32\[2,3\] \(size 3\) vs axis 1 of f32\[4,5\] \(size 5\)/);
    expect(() => vecdot(a, b)).toThrow(/\[vecdot\] axes must match; got shapes f32\[2,3\] and f32\[4,5\]/);
    expect(() => vdot(a, b)).toThrow(/\[vdot\] operands must have the same size/);
  });
});
