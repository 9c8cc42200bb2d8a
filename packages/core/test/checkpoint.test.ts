// checkpoint (remat): same values and derivatives as the function (finite
// differences, second order), composition with vmap and jit, Jaxpr text
// identical to JAX 0.10.2, and — the point of it — fewer residuals saved for the
// backward pass.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  Array as JArray,
  ShapeDtypeStruct,
  checkpoint,
  checkpointPolicies,
  customJvp,
  customVjp,
  float64,
  grad,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  remat,
  scalar,
  vjp,
  vmap,
  type ClosedJaxpr,
  type Primitive,
} from "../src/index.js";
import { reduceSumP } from "../src/primitives/reduction.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";

type A = JArray;
const f32 = (...shape: number[]) => new ShapeDtypeStruct(shape, "float32");
const vals = (x: unknown) => [...(x as A).dataSync()];
const own = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/custom_jaxprs.json", import.meta.url)), "utf8")).cases as Record<
  string,
  string
>;
// Second order through an unbatched operand needs reduce_sum's JVP.
const sumOrder = reduceSumP.rules.has("jvp") ? 2 : 1;

function chain(x: A) {
  return lax.sin(lax.sin(lax.sin(x)));
}
const c = checkpoint(chain);

/** Two inputs, two outputs, a closed-over constant array. */
const k = [0.5, -1.25, 2];
function two(x: A, y: A): [A, A] {
  const kk = lax.convertElementType(lax.iota("float64", 3), "float64").mul(k[1]!).add(k[0]!);
  const a = lax.sin(x.mul(y));
  const b = lax.exp(lax.cos(a).mul(kk)).add(y);
  return [a.mul(b), lax.tanh(b)];
}

const r = rng(11);
const x = randArray([3], r, -1.5, 1.5);
const y = randArray([3], r, -1.5, 1.5);
const X = randArray([4, 3], r, -1.5, 1.5);
const XT = randArray([3, 4], r, -1.5, 1.5);

/** The residuals the linearized function closes over (constvars of its Jaxpr). */
function residuals(f: (...xs: A[]) => unknown, ...args: A[]): ClosedJaxpr {
  const [, lin] = linearize(f, ...args);
  return makeJaxpr((...ts: A[]) => lin(...ts))(...args);
}
const residualBytes = (j: ClosedJaxpr) => j.consts.reduce((s, a) => s + a.size * a.dtype.itemsize, 0);

/** n nested sines. */
const sines = (n: number) => (x: A) => {
  let v = x;
  for (let i = 0; i < n; i++) v = lax.sin(v);
  return v;
};

describe("checkpoint", () => {
  it("prints remat2 as JAX does (also after jvp, vjp, linearize, vmap)", () => {
    expect(makeJaxpr(c)(f32(3)).toString()).toBe(own.checkpoint);
    expect(makeJaxpr(checkpoint(chain, { policy: checkpointPolicies.nothingSaveable }))(f32(3)).toString()).toBe(own.checkpoint_policy);
    expect(makeJaxpr((x: A) => vjp(c, x)[1](x)[0])(f32(3)).toString()).toBe(own.checkpoint_vjp);
    expect(makeJaxpr((x: A) => linearize(c, x)[1](x))(f32(3)).toString()).toBe(own.checkpoint_linearize);
    expect(makeJaxpr((x: A, t: A) => jvp(c, [x], [t]))(f32(3), f32(3)).toString()).toBe(own.checkpoint_jvp);
    expect(makeJaxpr(vmap(c))(f32(2, 3)).toString()).toBe(own.checkpoint_vmap);
  });

  it("has the function's values and derivatives (check_grads, order 2)", () => {
    expect(vals(c(x))).toEqual(vals(chain(x)));
    checkGrads(c, [x], 2);
    checkGrads(checkpoint(two), [x, y], 2);
    expect(remat).toBe(checkpoint);
    for (const policy of [checkpointPolicies.everythingSaveable, checkpointPolicies.nothingSaveable, checkpointPolicies.dotsSaveable]) {
      checkGrads(checkpoint(two, { policy }), [x, y], 2);
    }
    // A function policy: save only the results of sin.
    checkGrads(checkpoint(two, { policy: (p: Primitive) => p.name === "sin" }), [x, y], 2);
    expect(vals(grad(checkpoint((s: A) => lax.sin(lax.cos(s))))(scalar(0.4, float64, false)))).toEqual(
      vals(grad((s: A) => lax.sin(lax.cos(s)))(scalar(0.4, float64, false))),
    );
  });

  it("saves only the inputs for the backward pass, recomputing the rest", () => {
    // Without checkpoint, linearizing sin∘sin∘...∘sin saves every cos value.
    for (const n of [3, 10]) {
      const plain = residuals(sines(n), x);
      const ck = residuals(checkpoint(sines(n)), x);
      expect(plain.jaxpr.constvars.length).toBe(n);
      expect(ck.jaxpr.constvars.length).toBe(1);
      expect(vals(ck.consts[0])).toEqual(vals(x)); // the input itself
      expect(residualBytes(ck) * n).toBe(residualBytes(plain));
      // Recomputation is inside the staged remat2: the backward pass has the sines again.
      expect(ck.jaxpr.eqns.map((e) => e.primitive.name)).toEqual(["remat2"]);
      // Same linear map.
      const t = randArray([3], rng(n));
      expect(vals(linearize(checkpoint(sines(n)), x)[1](t))).toEqual(vals(linearize(sines(n), x)[1](t)));
    }
    // everything_saveable behaves like no checkpoint; a policy in between saves what it allows.
    expect(residuals(checkpoint(sines(3), { policy: checkpointPolicies.everythingSaveable }), x).jaxpr.constvars.length).toBe(3);
    const onlyCos = residuals(checkpoint(sines(3), { policy: (p: Primitive) => p.name === "cos" }), x);
    expect(onlyCos.jaxpr.constvars.length).toBe(3);
    // Saving the sines (not the cosines): the input and the two inner sines are saved, the cosines recomputed.
    const onlySin = residuals(checkpoint(sines(3), { policy: (p: Primitive) => p.name === "sin" }), x);
    expect(onlySin.jaxpr.constvars.length).toBe(3);
    const inner = onlySin.jaxpr.eqns[0]!.params.jaxpr as { eqns: { primitive: Primitive }[] };
    expect(inner.eqns.map((e) => e.primitive.name).filter((n) => n === "sin")).toEqual([]);
    // With two inputs and outputs, only the two inputs are saved.
    expect(residuals(checkpoint(two), x, y).jaxpr.constvars.length).toBe(2);
    expect(residuals(two, x, y).jaxpr.constvars.length).toBeGreaterThan(2);
  });

  it("composes with vmap", () => {
    checkVmap(c, [X]);
    checkVmap(c, [XT], { inAxes: [1] });
    checkVmap(checkpoint(two), [X, y], { inAxes: [0, null] });
    checkVmap(checkpoint(two), [x, XT], { inAxes: [null, 1] });
    checkGrads(vmap(c), [X], 2);
    checkGrads(vmap(checkpoint(two), { inAxes: [0, null] }), [X, y], sumOrder);
    // vmap of derivatives.
    checkVmap((a: A) => vjp(c, a)[1](a)[0], [X]);
    checkVmap((a: A, b: A) => jvp(checkpoint(two), [a, b], [b, a])[1][0], [X, y], { inAxes: [0, null] });
    checkVmap((a: A) => grad(checkpoint((s: A) => lax.sin(lax.sin(s)).mul(s)))(a), [randArray([5], rng(3))]);
  });

  it("composes with jit", () => {
    checkJit(c, [x]);
    checkJit(checkpoint(two), [x, y]);
    const pull = (a: A, b: A) => vjp(checkpoint(two), a, b)[1]([a, b]);
    checkJit(pull, [x, y]);
    checkJit((a: A) => vjp(c, a)[1](a)[0], [x]);
    checkJit((a: A) => linearize(c, a)[1](a), [x]);
    checkJit(vmap(c), [X]);
    checkGrads(jit(c), [x], 2, { modes: ["fwd"] });
    // jit inside checkpoint: the inner jit is split by its own partial-eval rule.
    const inner = jit((a: A) => lax.sin(lax.sin(a)));
    checkGrads(checkpoint((a: A) => lax.cos(inner(a))), [x], 2);
  });

  it("works with static arguments, pytrees, nesting and custom rules inside", () => {
    const powc = checkpoint((n: number, a: A) => lax.integerPow(lax.sin(a), n), { staticArgnums: [0] });
    checkGrads((a: A) => powc(3, a), [x], 2);
    const tree = checkpoint((p: { a: A; b: A }) => ({ s: lax.sin(p.a.mul(p.b)), t: [lax.cos(p.a)] }));
    checkGrads((a: A, b: A) => tree({ a, b }), [x, y], 2);
    const nested = checkpoint((a: A) => lax.sin(c(lax.cos(a))));
    checkGrads(nested, [x], 2);
    // As in JAX, the inner checkpoint is recomputed whole inside the outer one: only the input is saved.
    expect(residuals(nested, x).jaxpr.constvars.length).toBe(1);
    const staged = residuals(nested, x).jaxpr.eqns[0]!.params.jaxpr as { eqns: { primitive: Primitive; params: Record<string, unknown> }[] };
    expect(staged.eqns.filter((e) => e.primitive.name === "remat2").map((e) => e.params.differentiated)).toEqual([true]);

    const cj = customJvp(function cj(a: A) {
      return lax.sin(a);
    });
    cj.defjvp(([a]: A[], [t]: A[]) => [cj(a!), t!.mul(lax.cos(a!))]);
    checkGrads(checkpoint((a: A) => cj(lax.sin(a))), [x], 2);
    const cv = customVjp(function cv(a: A) {
      return lax.sin(a);
    });
    cv.defvjp(
      (a: A) => [cv(a), lax.cos(a)],
      (res: A, ct: A) => [ct.mul(res)],
    );
    checkGrads(checkpoint((a: A) => cv(lax.sin(a))), [x], 2, { modes: ["rev"] });
  });

  it("dots policies select dot_general equations", () => {
    const j = makeJaxpr((w: A, v: A) => lax.dotGeneral(w, v, [[[1], [0]], [[], []]]))(f32(3, 3), f32(3));
    const bj = makeJaxpr((w: A, v: A) => lax.dotGeneral(w, v, [[[2], [1]], [[0], [0]]]))(f32(2, 3, 3), f32(2, 3));
    const e = j.jaxpr.eqns[0]!;
    const be = bj.jaxpr.eqns[0]!;
    const avals = (q: typeof e) => q.inputs.map((a) => a.aval);
    expect(checkpointPolicies.dotsSaveable.fn(e.primitive, avals(e), e.params)).toBe(true);
    expect(checkpointPolicies.dotsWithNoBatchDimsSaveable.fn(e.primitive, avals(e), e.params)).toBe(true);
    expect(checkpointPolicies.dotsWithNoBatchDimsSaveable.fn(be.primitive, avals(be), be.params)).toBe(false);
    const s = makeJaxpr((v: A) => lax.sin(v))(f32(3)).jaxpr.eqns[0]!;
    expect(checkpointPolicies.dotsSaveable.fn(s.primitive, avals(s), s.params)).toBe(false);
    expect(String(checkpointPolicies.dotsSaveable)).toBe("DotsSaveable(only_if_no_batch_dims=False)");
  });
});
