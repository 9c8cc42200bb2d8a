// customJvp / customVjp: values and derivatives against finite differences
// (rules that are right must pass check_grads; rules that deliberately differ
// from the true derivative must be the ones used), compositions with grad, vmap
// and jit, Jaxpr text identical to JAX 0.10.2, and JAX's error messages.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  Array as JArray,
  ShapeDtypeStruct,
  customJvp,
  customVjp,
  float64,
  fromTyped,
  grad,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  scalar,
  vjp,
  vmap,
} from "../src/index.js";
import { reduceSumP } from "../src/primitives/reduction.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";
import { loadJaxprGoldens } from "./golden.js";

// Second order through an unbatched operand needs reduce_sum's JVP (cotangents
// summed over the batch); until that rule exists those checks stop at first order.
const sumOrder = reduceSumP.rules.has("jvp") ? 2 : 1;

type A = JArray;
const f32 = (...shape: number[]) => new ShapeDtypeStruct(shape, "float32");
const f64s = (v: number) => scalar(v, float64, false);
const vec = (xs: number[]) => fromTyped(Float64Array.from(xs), [xs.length], float64);
const vals = (x: unknown) => [...(x as A).dataSync()];

const shared = loadJaxprGoldens();
const own = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/custom_jaxprs.json", import.meta.url)), "utf8")).cases as Record<
  string,
  string
>;

// --- the functions of tools/goldens/jaxpr/edge.py and gen_custom.py -----------

const f = customJvp(function f(x: A) {
  return lax.sin(x);
});
f.defjvp(function f_jvp(p: A[], t: A[]) {
  return [f(p[0]!), t[0]!.mul(lax.cos(p[0]!))];
});

const g = customVjp(function g(x: A) {
  return lax.sin(x);
});
g.defvjp(
  function g_fwd(x: A) {
    return [g(x), lax.cos(x)];
  },
  function g_bwd(r: A, ct: A) {
    return [ct.mul(r)];
  },
);

/** x * sin(y), with one tangent rule per argument. */
const h = customJvp(function h(x: A, y: A) {
  return x.mul(lax.sin(y));
});
h.defjvps(
  (gx: A, _ans: A, _x: A, y: A) => gx.mul(lax.sin(y)),
  (gy: A, _ans: A, x: A, y: A) => gy.mul(x).mul(lax.cos(y)),
);

/** x * sin(y) with residuals in a PyTree. */
const m = customVjp(function m(x: A, y: A) {
  return x.mul(lax.sin(y));
});
m.defvjp(
  function m_fwd(x: A, y: A) {
    return [m(x, y), { x, c: lax.cos(y), s: lax.sin(y) }];
  },
  function m_bwd(r: { x: A; c: A; s: A }, ct: A) {
    return [ct.mul(r.s), ct.mul(r.x).mul(r.c)];
  },
);

/** Straight-through rounding: the derivative of round is 0 almost everywhere; the rule says 1. */
const ste = customJvp(function ste(x: A) {
  return lax.round(x);
});
ste.defjvp(function ste_jvp([x]: A[], [t]: A[]) {
  return [ste(x!), t!];
});

/** JAX's clip_gradient (custom_vjp docs): identity forward, clipped cotangent. */
const clipGradient = customVjp(
  function clip_gradient(_lo: number, _hi: number, x: A) {
    return x;
  },
  { nondiffArgnums: [0, 1] },
);
clipGradient.defvjp(
  function clip_fwd(_lo: number, _hi: number, x: A) {
    return [x, null];
  },
  function clip_bwd(lo: number, hi: number, _res: null, ct: A) {
    return [lax.clamp(scalar(lo, ct.dtype), ct, scalar(hi, ct.dtype))];
  },
);

/** x ** n with n a non-differentiable argument. */
const powN = customJvp(
  function pow_n(n: number, x: A) {
    return lax.integerPow(x, n);
  },
  { nondiffArgnums: [0] },
);
powN.defjvp(function pow_n_jvp(n: number, [x]: A[], [t]: A[]) {
  return [powN(n, x!), t!.mul(lax.integerPow(x!, n - 1)).mul(n)];
});

const r = rng(7);
const x = randArray([3], r, -1.5, 1.5);
const y = randArray([3], r, -1.5, 1.5);
const X = randArray([4, 3], r, -1.5, 1.5);
const XT = randArray([3, 4], r, -1.5, 1.5);

describe("customJvp", () => {
  it("prints custom_jvp_call as JAX does", () => {
    expect(makeJaxpr(f)(f32(3)).toString()).toBe(shared.get("custom_jvp"));
    expect(makeJaxpr(vmap(f))(f32(2, 3)).toString()).toBe(own.custom_jvp_vmap);
    expect(makeJaxpr((x: A) => vjp(f, x)[1](x)[0])(f32(3)).toString()).toBe(own.custom_jvp_vjp);
    expect(makeJaxpr((x: A) => linearize(f, x)[1](x))(f32(3)).toString()).toBe(own.custom_jvp_linearize);
  });

  it("prints jax.nn.relu (custom_jvp around jit)", () => {
    const reluJit = jit(function relu(x: A) {
      return lax.max(x, 0.0);
    });
    const relu = customJvp(function relu(x: A) {
      return reluJit(x);
    });
    relu.defjvps((gx: A, _ans: A, x: A) => lax.selectN(lax.gt(x, 0.0), lax.mul(gx, 0.0), gx));
    expect(makeJaxpr(relu)(f32(3)).toString()).toBe(shared.get("relu"));
  });

  it("correct rules pass check_grads to second order", () => {
    checkGrads(f, [x], 2);
    checkGrads(h, [x, y], 2);
    checkGrads((x: A) => powN(3, x), [x], 2);
  });

  it("the custom rule is the one used (straight-through estimator)", () => {
    const t = randArray([3], rng(1));
    // round has derivative 0 almost everywhere; the rule makes it the identity.
    expect(vals(jvp(ste, [x], [t])[1])).toEqual(vals(t));
    expect(vals(vjp(ste, x)[1](t)[0])).toEqual(vals(t));
    expect(vals(linearize(ste, x)[1](t))).toEqual(vals(t));
    // d/dx ste(x)*x = x + round(x) under the rule; d²/dx² = 2 (true derivative: 0).
    const x0 = 1.3;
    expect(vals(grad((x: A) => ste(x).mul(x))(f64s(x0)))).toEqual([x0 + 1]);
    expect(vals(grad(grad((x: A) => ste(x).mul(x)))(f64s(x0)))).toEqual([2]);
    expect(vals(vmap(grad((x: A) => ste(x).mul(x)))(vec([0.2, 1.6, -2.7])))).toEqual([0.2 + 0, 1.6 + 2, -2.7 - 3]);
  });

  it("the rule receives instantiated zero tangents and the primal values", () => {
    const seen: number[][] = [];
    const k = customJvp(function k(a: A, b: A) {
      return a.mul(b);
    });
    k.defjvp(function k_jvp([a, b]: A[], [ta, tb]: A[]) {
      seen.push(vals(tb!));
      return [k(a!, b!), ta!.mul(b!).add(a!.mul(tb!))];
    });
    const [out, tout] = jvp((a: A) => k(a, y), [x], [vec([1, 1, 1])]);
    expect(seen).toEqual([[0, 0, 0]]);
    expect(vals(out)).toEqual(vals(x.mul(y)));
    expect(vals(tout)).toEqual(vals(y));
  });

  it("composes with vmap (batched call and batched rule)", () => {
    checkVmap(f, [X]);
    checkVmap(f, [XT], { inAxes: [1] });
    checkVmap(h, [X, y], { inAxes: [0, null] });
    checkVmap(h, [x, XT], { inAxes: [null, 1] });
    // jvp/vjp of vmap: the batched rule runs, also with an unbatched operand.
    checkGrads(vmap(f), [X], 2);
    checkGrads(vmap(h, { inAxes: [0, null] }), [X, y], sumOrder);
    checkGrads(vmap(h, { inAxes: [null, 1] }), [x, XT], 1);
    // vmap of derivatives.
    checkVmap((a: A) => jvp(f, [a], [lax.cos(a)])[1], [X]);
    checkVmap((a: A, b: A) => vjp(h, a, b)[1](a), [X, y], { inAxes: [0, null] });
  });

  it("composes with jit", () => {
    checkJit(f, [x]);
    checkJit(h, [x, y]);
    checkJit((a: A) => jvp(h, [a, y], [a, a])[1], [x]);
    checkGrads(jit(f), [x], 2);
    checkGrads(jit(h), [x, y], 1);
    checkVmap(jit(h), [X, y], { inAxes: [0, null] });
    const d = (a: A) => grad((x: A) => ste(x).mul(x))(a);
    expect(vals(jit(d)(f64s(1.3)))).toEqual(vals(d(f64s(1.3))));
    expect(vals(grad(jit((x: A) => ste(x).mul(x)))(f64s(1.3)))).toEqual([2.3]);
  });

  it("works with pytrees of arguments and outputs", () => {
    const p = customJvp(function p(xy: { a: A; b: A }) {
      return [xy.a.mul(xy.b), lax.sin(xy.a)];
    });
    p.defjvp(function p_jvp([xy]: { a: A; b: A }[], [t]: { a: A; b: A }[]) {
      return [p(xy!), [t!.a.mul(xy!.b).add(xy!.a.mul(t!.b)), t!.a.mul(lax.cos(xy!.a))]];
    });
    checkGrads((a: A, b: A) => p({ a, b }), [x, y], 2);
    checkVmap((a: A, b: A) => p({ a, b }), [X, y], { inAxes: [0, null] });
  });

  it("raises JAX's errors", () => {
    const noRule = customJvp(function q(x: A) {
      return x;
    });
    expect(() => jvp(noRule, [x], [x])).toThrow("No JVP defined for custom_jvp function q using defjvp.");

    const notPair = customJvp(function q(x: A) {
      return lax.sin(x);
    });
    notPair.defjvp(function q_jvp([x]: A[]) {
      return [x] as unknown as [A, A];
    });
    expect(() => jvp(notPair, [x], [x])).toThrow(
      "Custom JVP rule q_jvp for function q must produce a pair (list or tuple of length two) representing primal and tangent outputs",
    );

    const badShape = customJvp(function q(x: A) {
      return lax.sin(x);
    });
    badShape.defjvp(function q_jvp([x]: A[], [t]: A[]) {
      return [badShape(x!), lax.slice(t!, [0], [2])];
    });
    expect(() => jvp(badShape, [x], [x])).toThrow(
      "Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. Expected f64[3] (tangent type of f64[3]) but got f64[2].",
    );

    const badPrimal = customJvp(function q(x: A) {
      return lax.sin(x);
    });
    badPrimal.defjvp(function q_jvp([x]: A[], [t]: A[]) {
      return [lax.slice(x!, [0], [2]), lax.slice(t!, [0], [2])];
    });
    expect(() => jvp(badPrimal, [x], [x])).toThrow(
      "Custom JVP rule q_jvp for function q must produce a pair (list or tuple of length two) where the first element represents the primal output (equal in value to the output of the custom_jvp-decorated function q, and in particular with leaves of the same shape/dtype), but instead the JVP rule output's first element had shapes/dtypes of:\n    f64[2]\nwhile the custom_jvp-decorated function q had output shapes/dtypes of:\n    f64[3]",
    );

    const badTree = customJvp(function q(x: A) {
      return lax.sin(x);
    });
    badTree.defjvp(function q_jvp([x]: A[], [t]: A[]) {
      return [badTree(x!), [t!, t!]];
    });
    expect(() => jvp(badTree, [x], [x])).toThrow(/must produce primal and tangent outputs with equal container \(pytree\) structures/);

    // Differentiating with respect to a value the function closes over.
    expect(() =>
      jvp(
        (c: A) => {
          const q = customJvp(function q(x: A) {
            return x.mul(c);
          });
          q.defjvp(([x]: A[], [t]: A[]) => [q(x!), t!.mul(c)]);
          return q(x);
        },
        [y],
        [y],
      ),
    ).toThrow("Detected differentiation of a custom_jvp function with respect to a closed-over value.");

    expect(() => powN.defjvps(null)).toThrow("Can't use ``defjvps`` with ``nondiff_argnums``.");
  });
});

describe("customVjp", () => {
  it("prints custom_vjp_call and custom_lin as JAX does", () => {
    expect(makeJaxpr(g)(f32(3)).toString()).toBe(shared.get("custom_vjp"));
    expect(makeJaxpr(vmap(g))(f32(2, 3)).toString()).toBe(own.custom_vjp_vmap);
    expect(makeJaxpr((x: A) => linearize(g, x)[1](x))(f32(3)).toString()).toBe(own.custom_vjp_linearize);
  });

  it("correct rules pass reverse-mode check_grads to second order", () => {
    checkGrads(g, [x], 2, { modes: ["rev"] });
    checkGrads(m, [x, y], 2, { modes: ["rev"] });
    expect(vals(grad((a: A) => g(a))(f64s(0.7)))).toEqual([Math.cos(0.7)]);
  });

  it("reverse mode calls bwd (clip_gradient)", () => {
    const z = vec([0.5, -0.25, 2]);
    const [out, pb] = vjp((a: A) => clipGradient(-1, 1, a), z);
    expect(vals(out)).toEqual(vals(z));
    expect(vals(pb(vec([-3, 0.5, 1.5]))[0])).toEqual([-1, 0.5, 1]);
    // grad of 4*clip_gradient(x): the cotangent 4 is clipped to 1.
    expect(vals(grad((a: A) => clipGradient(-1, 1, a).mul(4))(f64s(0.3)))).toEqual([1]);
    expect(vals(vmap(grad((a: A) => clipGradient(-1, 1, a).mul(4)))(z))).toEqual([1, 1, 1]);
  });

  it("bwd may return null for a zero cotangent", () => {
    const k = customVjp(function k(a: A, b: A) {
      return a.mul(b);
    });
    k.defvjp(
      (a: A, b: A) => [k(a, b), b],
      (b: A, ct: A) => [ct.mul(b), null],
    );
    const [, pb] = vjp(k, x, y);
    const [ca, cb] = pb(vec([1, 1, 1]));
    expect(vals(ca)).toEqual(vals(y));
    expect(vals(cb)).toEqual([0, 0, 0]);
  });

  it("forward mode raises JAX's error", () => {
    expect(() => jvp(g, [x], [x])).toThrow("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
    const [, lin] = linearize(g, x);
    expect(() => lin(x)).toThrow("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
    expect(() => vmap((t: A) => jvp(g, [x], [t])[1])(X)).toThrow("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
  });

  it("composes with vmap (batched fwd and bwd)", () => {
    checkVmap(g, [X]);
    checkVmap(g, [XT], { inAxes: [1] });
    checkVmap(m, [X, y], { inAxes: [0, null] });
    checkVmap(m, [x, XT], { inAxes: [null, 1] });
    // vjp of vmap: batched fwd/bwd; the unbatched operand's cotangent sums over the batch.
    checkGrads(vmap(g), [X], 2, { modes: ["rev"] });
    checkGrads(vmap(m, { inAxes: [0, null] }), [X, y], sumOrder, { modes: ["rev"] });
    checkGrads(vmap(m, { inAxes: [null, 1] }), [x, XT], 1, { modes: ["rev"] });
    // vmap of vjp.
    checkVmap((a: A, b: A) => vjp(m, a, b)[1](a), [X, y], { inAxes: [0, null] });
    checkVmap((a: A) => grad((s: A) => g(s).mul(s))(a), [vec([0.1, -0.4, 1.2])]);
  });

  it("composes with jit", () => {
    checkJit(g, [x]);
    checkJit(m, [x, y]);
    checkJit((a: A, b: A) => vjp(m, a, b)[1](a), [x, y]);
    checkGrads(jit(g), [x], 2, { modes: ["rev"] });
    checkGrads(jit(m), [x, y], 2, { modes: ["rev"] });
    checkVmap(jit(m), [X, y], { inAxes: [0, null] });
    checkGrads(jit(vmap(m, { inAxes: [0, null] })), [X, y], 1, { modes: ["rev"] });
    expect(vals(jit(grad((a: A) => clipGradient(-1, 1, a).mul(4)))(f64s(0.3)))).toEqual([1]);
    expect(() => jvp(jit(g), [x], [x])).toThrow("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
  });

  it("composes with customJvp inside (rules of both kinds)", () => {
    const both = (a: A, b: A) => m(f(a), b);
    checkGrads(both, [x, y], 2, { modes: ["rev"] });
    checkVmap(both, [X, y], { inAxes: [0, null] });
  });

  it("raises JAX's errors naming the function and the shapes", () => {
    const noRule = customVjp(function q(x: A) {
      return x;
    });
    expect(() => vjp(noRule, x)).toThrow("No VJP defined for custom_vjp function q using defvjp.");

    const twoCts = customVjp(function q(x: A) {
      return lax.sin(x);
    });
    twoCts.defvjp(
      function q_fwd(x: A) {
        return [twoCts(x), lax.cos(x)];
      },
      function q_bwd(r: A, ct: A) {
        return [ct.mul(r), ct];
      },
    );
    expect(() => vjp(twoCts, x)[1](x)).toThrow(
      "Custom VJP bwd rule q_bwd for function q must produce an output with the same container (pytree) structure as the args tuple of the primal function, and in particular must produce a tuple of length equal to the number of arguments to the primal function, but got bwd output structure PyTreeDef([*, *]) for primal input structure PyTreeDef([*]).",
    );

    const wrongShape = customVjp(function q(x: A) {
      return lax.sin(x);
    });
    wrongShape.defvjp(
      function q_fwd(x: A) {
        return [wrongShape(x), lax.cos(x)];
      },
      function q_bwd(r: A, ct: A) {
        return [lax.slice(ct.mul(r), [0], [2])];
      },
    );
    expect(() => vjp(wrongShape, x)[1](x)).toThrow(
      "Custom VJP bwd rule q_bwd for function q must produce an output with the same type as the args tuple of the primal function, but at output[0] the bwd rule produced an output of type f64[2] corresponding to an input of type f64[3], so the shapes do not match",
    );

    const notPair = customVjp(function q(x: A) {
      return lax.sin(x);
    });
    notPair.defvjp(
      function q_fwd(x: A) {
        return lax.sin(x) as unknown as [A, A];
      },
      function q_bwd(_r: A, ct: A) {
        return [ct];
      },
    );
    expect(() => vjp(notPair, x)).toThrow(
      "Custom VJP fwd rule q_fwd for function q must produce a pair (list or tuple of length two) where the first element represents the primal output (equal to the output of the custom_vjp-decorated function q) and the second element represents residuals (i.e. values stored from the forward pass for use on the backward pass), but instead of a pair the fwd rule q_fwd produced f64[3].",
    );

    const badOut = customVjp(function q(x: A) {
      return lax.sin(x);
    });
    badOut.defvjp(
      function q_fwd(x: A) {
        return [lax.slice(x, [0], [2]), x];
      },
      function q_bwd(_r: A, ct: A) {
        return [ct];
      },
    );
    expect(() => vjp(badOut, x)).toThrow(/but instead the fwd rule output's first element had shapes\/dtypes of:\n {4}f64\[2\]\nwhile the custom_vjp-decorated function q had output shapes\/dtypes of:\n {4}f64\[3\]/);

    expect(() =>
      vjp((c: A) => {
        const q = customVjp(function q(x: A) {
          return x.mul(c);
        });
        q.defvjp(
          (x: A) => [q(x), null],
          (_r: null, ct: A) => [ct.mul(c)],
        );
        return q(x);
      }, y),
    ).toThrow("Detected differentiation of a custom_vjp function with respect to a closed-over value.");
  });
});

// A custom_jvp function applied to tangents inside a JVP rule is inlined by partial
// evaluation, so reverse mode transposes through its primal function.
it("a customJvp function applied to tangents transposes (partial eval inlines it)", () => {
  const scale2 = customJvp((x: any) => x.mul(2));
  scale2.defjvp(([x]: any[], [t]: any[]) => [scale2(x), scale2(t)]);
  const f = (x: any) => lax.sin(scale2(x));
  const x = scalar(0.3, float64, false);
  expect(grad(f)(x).item()).toBeCloseTo(2 * Math.cos(0.6), 12);
  expect(grad(grad(f))(x).item()).toBeCloseTo(-4 * Math.sin(0.6), 12);
});
