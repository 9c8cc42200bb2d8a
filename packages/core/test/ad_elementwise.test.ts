// The spec table for elementwise primitives under the transformations: JVP and
// VJP against finite differences up to second order (float64), vmap against a
// loop, jit against eager.
import { describe, it } from "vitest";
import { type Array as JArray, lax } from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";

type Spec = { name: string; f: (...xs: any[]) => JArray; arity: number; lo?: number; hi?: number; order?: number; tol?: number; eps?: number };

const specs: Spec[] = [
  { name: "sin", f: lax.sin, arity: 1 },
  { name: "cos", f: lax.cos, arity: 1 },
  { name: "tan", f: lax.tan, arity: 1, lo: -1.2, hi: 1.2 },
  { name: "asin", f: lax.asin, arity: 1, lo: -0.8, hi: 0.8 },
  { name: "acos", f: lax.acos, arity: 1, lo: -0.8, hi: 0.8 },
  { name: "atan", f: lax.atan, arity: 1 },
  { name: "sinh", f: lax.sinh, arity: 1 },
  { name: "cosh", f: lax.cosh, arity: 1 },
  { name: "tanh", f: lax.tanh, arity: 1 },
  { name: "asinh", f: lax.asinh, arity: 1 },
  { name: "acosh", f: lax.acosh, arity: 1, lo: 1.2, hi: 3 },
  { name: "atanh", f: lax.atanh, arity: 1, lo: -0.8, hi: 0.8 },
  { name: "exp", f: lax.exp, arity: 1 },
  { name: "exp2", f: lax.exp2, arity: 1 },
  { name: "log", f: lax.log, arity: 1, lo: 0.5, hi: 3 },
  { name: "log1p", f: lax.log1p, arity: 1, lo: -0.5, hi: 2 },
  { name: "expm1", f: lax.expm1, arity: 1 },
  { name: "sqrt", f: lax.sqrt, arity: 1, lo: 0.5, hi: 3 },
  { name: "rsqrt", f: lax.rsqrt, arity: 1, lo: 0.5, hi: 3 },
  { name: "cbrt", f: lax.cbrt, arity: 1, lo: 0.5, hi: 3 },
  { name: "logistic", f: lax.logistic, arity: 1 },
  { name: "erf", f: lax.erf, arity: 1 },
  { name: "erfc", f: lax.erfc, arity: 1 },
  { name: "erf_inv", f: lax.erfInv, arity: 1, lo: -0.7, hi: 0.7 },
  { name: "lgamma", f: lax.lgamma, arity: 1, lo: 0.5, hi: 4, order: 1 },
  { name: "neg", f: lax.neg, arity: 1 },
  { name: "abs", f: lax.abs, arity: 1, lo: 0.2, hi: 2 },
  { name: "square", f: lax.square, arity: 1 },
  { name: "integer_pow 3", f: (x) => lax.integerPow(x, 3), arity: 1 },
  { name: "integer_pow -2", f: (x) => lax.integerPow(x, -2), arity: 1, lo: 0.5, hi: 2 },
  { name: "add", f: lax.add, arity: 2 },
  { name: "sub", f: lax.sub, arity: 2 },
  { name: "mul", f: lax.mul, arity: 2 },
  { name: "div", f: lax.div, arity: 2, lo: 0.5, hi: 2 },
  { name: "pow", f: lax.pow, arity: 2, lo: 0.5, hi: 2 },
  { name: "max", f: lax.max, arity: 2 },
  { name: "min", f: lax.min, arity: 2 },
  { name: "atan2", f: lax.atan2, arity: 2, lo: 0.3, hi: 2 },
  { name: "rem", f: lax.rem, arity: 2, lo: 0.3, hi: 2 },
  { name: "clamp", f: (x) => lax.clamp(-0.5, x, 0.5), arity: 1 },
  { name: "select_n", f: (x, y) => lax.selectN(lax.gt(x, y), x, lax.mul(x, y)), arity: 2 },
  { name: "convert f64->f32->f64", f: (x) => lax.convertElementType(lax.convertElementType(lax.sin(x), "float32"), "float64"), arity: 1, tol: 1e-3, eps: 1e-2 },
];

describe("elementwise primitives under jvp/vjp (order 2), vmap, jit", () => {
  for (const s of specs) {
    it(s.name, () => {
      const r = rng(s.name.length * 7919);
      const args = Array.from({ length: s.arity }, () => randArray([3], r, s.lo ?? -1, s.hi ?? 1));
      const tol = s.tol ?? 1e-6;
      checkGrads(s.f, args, s.order ?? 2, { rtol: tol, atol: tol, eps: s.eps ?? 1e-5 });
      const batched = Array.from({ length: s.arity }, () => randArray([4, 3], r, s.lo ?? -1, s.hi ?? 1));
      checkVmap(s.f, batched);
      // Only the first argument batched; the others broadcast.
      checkVmap(s.f, [batched[0]!, ...args.slice(1)], { inAxes: args.map((_, i) => (i === 0 ? 0 : null)) });
      checkJit(s.f, args);
    });
  }
});

describe("binary primitives with broadcast operands (rank 0, size-1 dims) under jvp/vjp and vmap", () => {
  const shapes: [number[], number[]][] = [
    [[3], []],
    [[], [2, 3]],
    [[2, 1], [1, 3]],
  ];
  for (const s of specs.filter((sp) => sp.arity === 2 && !["select_n", "rem"].includes(sp.name))) {
    it(s.name, () => {
      const r = rng(s.name.length * 31);
      for (const [a, b] of shapes) {
        const args = [randArray(a, r, s.lo ?? -1, s.hi ?? 1), randArray(b, r, s.lo ?? -1, s.hi ?? 1)];
        checkGrads(s.f, args, 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
      }
      checkVmap(s.f, [randArray([4, 2, 1], r, s.lo ?? -1, s.hi ?? 1), randArray([1, 3], r, s.lo ?? -1, s.hi ?? 1)], { inAxes: [0, null] });
    });
  }
});
