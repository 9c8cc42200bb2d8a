// Transformations compose: every pair checked against an independent reference
// (finite differences, loops, eager evaluation), plus the seed examples.
import { describe, expect, it } from "vitest";
import { type Array, array, checkpoint, grad, hessian, jacfwd, jacrev, jit, jvp, lax, makeJaxpr, valueAndGrad, vmap } from "../src/index.js";
import { checkGrads, randArray, rng } from "./check.js";

const f64 = (x: number | number[]) => array(x, { dtype: "float64" });
const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * (1 + Math.abs(b)));

// f(x) = sin(x) * x + exp(x / 2), with derivatives written out by hand.
const f = (x: Array) => lax.sin(x).mul(x).add(lax.exp(x.mul(0.5)));
const df = (x: number) => Math.cos(x) * x + Math.sin(x) + 0.5 * Math.exp(x / 2);
const d2f = (x: number) => -Math.sin(x) * x + 2 * Math.cos(x) + 0.25 * Math.exp(x / 2);
const d3f = (x: number) => -Math.cos(x) * x - 3 * Math.sin(x) + 0.125 * Math.exp(x / 2);

describe("seed examples", () => {
  it("grad(grad(f)) of x² + 2x + 1 is 2", () => {
    const g = grad(grad((x: Array) => x.mul(x).add(x.mul(2)).add(1)));
    expect(g(array(3, { dtype: "float32" })).item()).toBe(2);
    expect(g(array(-7.5, { dtype: "float32" })).item()).toBe(2);
  });

  it("gradient descent on the Rosenbrock function reaches (1, 1)", () => {
    const rosen = (p: { x: Array; y: Array }) => {
      const a = lax.sub(1, p.x);
      const b = p.y.sub(p.x.mul(p.x));
      return a.mul(a).add(b.mul(b).mul(100));
    };
    const step = jit((p: { x: Array; y: Array }) => {
      const g = grad(rosen)(p) as { x: Array; y: Array };
      return { x: p.x.sub(g.x.mul(1e-3)), y: p.y.sub(g.y.mul(1e-3)) };
    });
    let p = { x: f64(-1.2), y: f64(1) };
    for (let i = 0; i < 20000; i++) p = step(p);
    close(p.x.item() as number, 1, 1e-3);
    close(p.y.item() as number, 1, 1e-3);
    expect(step.cacheSize).toBe(1);
  });
});

describe("composition matrix", () => {
  const xs = [-1.3, -0.2, 0.4, 2.1];

  it("grad∘grad and grad∘grad∘grad match hand derivatives", () => {
    for (const x of xs) {
      close(grad(f)(f64(x)).item() as number, df(x));
      close(grad(grad(f))(f64(x)).item() as number, d2f(x));
      close(grad(grad(grad(f)))(f64(x)).item() as number, d3f(x));
    }
  });

  it("jit∘vmap∘grad, vmap∘jit∘grad, grad∘jit, jit∘grad∘jit agree with hand derivatives", () => {
    const x = f64(xs);
    const want = xs.map(df);
    const variants = {
      "jit(vmap(grad))": jit(vmap(grad(f))),
      "vmap(jit(grad))": vmap(jit(grad(f))),
      "vmap(grad(jit))": vmap(grad(jit(f))),
      "jit(vmap(grad(jit)))": jit(vmap(grad(jit(f)))),
    };
    for (const [name, g] of Object.entries(variants)) {
      const got = (g(x) as Array).tolist() as number[];
      got.forEach((v, i) => close(v, want[i]!, 1e-9));
      expect(name).toBeTruthy();
    }
  });

  it("vmap∘grad∘grad and grad∘vmap (via sum of vmapped) agree", () => {
    const x = f64(xs);
    const h = vmap(grad(grad(f)))(x).tolist() as number[];
    h.forEach((v, i) => close(v, d2f(xs[i]!)));
  });

  it("jvp of grad, and grad of jvp (forward-over-reverse and reverse-over-forward)", () => {
    for (const x of xs) {
      const [, t] = jvp(grad(f), [f64(x)], [f64(1)]);
      close(t.item() as number, d2f(x));
      const g = grad((y: Array) => jvp(f, [y], [f64(1)])[1]);
      close(g(f64(x)).item() as number, d2f(x));
    }
  });

  it("jacfwd∘jacrev = hessian, for a function of a vector", () => {
    // g(v) = sin(v0) v1 + v0² exp(v1) (elementwise ops on slices)
    const g = (v: Array) => {
      const a = lax.slice(v, [0], [1]).reshape([]);
      const b = lax.slice(v, [1], [2]).reshape([]);
      return lax.sin(a).mul(b).add(a.mul(a).mul(lax.exp(b)));
    };
    const v = f64([0.7, -0.4]);
    const [a, b] = [0.7, -0.4];
    const want = [
      [-Math.sin(a) * b + 2 * Math.exp(b), Math.cos(a) + 2 * a * Math.exp(b)],
      [Math.cos(a) + 2 * a * Math.exp(b), a * a * Math.exp(b)],
    ];
    for (const H of [jacfwd(jacrev(g))(v), jacrev(jacfwd(g))(v), jacfwd(jacfwd(g))(v), hessian(g)(v)] as Array[]) {
      (H.tolist() as number[][]).forEach((row, i) => row.forEach((x, j) => close(x, want[i]![j]!, 1e-9)));
    }
  });

  it("jacfwd and jacrev agree on a vector-valued function", () => {
    const g = (v: Array) => lax.sin(v).mul(lax.exp(v.mul(0.3)));
    const v = randArray([4], rng(3));
    const Jf = jacfwd(g)(v) as Array;
    const Jr = jacrev(g)(v) as Array;
    expect(Jf.shape).toEqual([4, 4]);
    const a = Jf.tolist() as number[][];
    const b = Jr.tolist() as number[][];
    a.forEach((row, i) => row.forEach((x, j) => close(x, b[i]![j]!, 1e-12)));
    const vv = v.tolist() as number[];
    a.forEach((row, i) =>
      row.forEach((x, j) =>
        close(x, i === j ? Math.cos(vv[i]!) * Math.exp(0.3 * vv[i]!) + 0.3 * Math.sin(vv[i]!) * Math.exp(0.3 * vv[i]!) : 0),
      ),
    );
  });

  it("valueAndGrad with argnums lists and hasAux", () => {
    const loss = (w: Array, b: Array, x: Array) => {
      const y = lax.tanh(w.mul(x).add(b));
      return [y.mul(y), { y }] as const;
    };
    const [[v, aux], [gw, gb]] = valueAndGrad(loss, { argnums: [0, 1], hasAux: true })(f64(0.3), f64(-0.1), f64(2));
    const t = Math.tanh(0.3 * 2 - 0.1);
    close(v.item(), t * t);
    close((aux as { y: Array }).y.item() as number, t);
    close(gw.item(), 2 * t * (1 - t * t) * 2);
    close(gb.item(), 2 * t * (1 - t * t));
    // aux holds plain values: usable after the transformation ends
    close(((aux as { y: Array }).y.mul(2).item() as number), 2 * t);
    const g = jit((w: Array) => grad(loss, { hasAux: true })(w, f64(-0.1), f64(2)));
    const [gw2, aux2] = g(f64(0.3)) as [Array, { y: Array }];
    close(gw2.item() as number, 2 * t * (1 - t * t) * 2);
    close(aux2.y.add(1).item() as number, t + 1);
  });

  it("second-order checks through jit and vmap wrappers", () => {
    const g = jit((x: Array, y: Array) => lax.mul(lax.sin(x), lax.exp(y)).add(x.mul(y)));
    checkGrads(g, [randArray([3], rng(1)), randArray([3], rng(2))], 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
    const h = (x: Array, y: Array) => vmap((a: Array, b: Array) => g(a, b))(x, y);
    checkGrads(h, [randArray([2, 3], rng(4)), randArray([2, 3], rng(5))], 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
  });

  it("nested jit and checkpoint under grad, jit and vmap", () => {
    const g = (x: Array) => lax.sin(lax.sin(x)).mul(x);
    const dg = (x: number) => Math.cos(Math.sin(x)) * Math.cos(x) * x + Math.sin(Math.sin(x));
    for (const x of xs) {
      close(grad(jit(jit(g)))(f64(x)).item() as number, dg(x));
      close(grad(jit(checkpoint(g)))(f64(x)).item() as number, dg(x));
      close(jit(grad(jit(checkpoint(jit(g)))))(f64(x)).item() as number, dg(x));
    }
    (vmap(grad(jit(checkpoint(g))))(f64(xs)).tolist() as number[]).forEach((v, i) => close(v, dg(xs[i]!)));
  });

  it("grad of a jitted function stages the forward pass once and the linear part once", () => {
    const j = jit(f);
    const text = makeJaxpr(grad(j))(f64(0.5)).toString();
    expect(text.match(/= jit\[/g)?.length).toBe(2);
  });
});

describe("transform errors a JAX user expects", () => {
  it("grad of a non-scalar output names the function and shape", () => {
    const g = function vecf(x: Array) {
      return lax.sin(x);
    };
    expect(() => grad(g)(f64([1, 2]))).toThrow(/\[grad\] requires a scalar output; vecf returned f64\[2\]/);
  });
  it("grad with respect to an integer input", () => {
    expect(() => grad((x: Array) => x.mul(2))(array(3))).toThrow(/requires real-valued \(floating-point\) inputs.*int32/);
  });
  it("grad argnums out of range", () => {
    expect(() => grad((x: Array) => x, { argnums: 2 })(f64(1))).toThrow(/argnums 2 out of range/);
  });
  it("vmap with mismatched axis sizes lists the arguments", () => {
    const g = function pair(a: Array, b: Array) {
      return a.add(b);
    };
    expect(() => vmap(g)(f64([1, 2, 3]), f64([1, 2]))).toThrow(/inconsistent sizes for array axes to be mapped in pair[\s\S]*shape \(3,\)[\s\S]*shape \(2,\)/);
  });
  it("vmap with an out-of-range in_axes", () => {
    expect(() => vmap((a: Array) => a, { inAxes: 1 })(f64([1, 2]))).toThrow(/in_axes 1 is out of bounds/);
  });
  it("vmap in_axes with the wrong structure", () => {
    expect(() => vmap((a: Array, b: Array) => a.add(b), { inAxes: [0, 0, 0] })(f64([1]), f64([1]))).toThrow(/\[vmap\] in_axes/);
  });
  it("jvp with a tangent of the wrong shape", () => {
    expect(() => jvp(f, [f64([1, 2])], [f64([1, 2, 3])])).toThrow(/\[jvp\] primal and tangent arguments must have equal shapes/);
  });
});
