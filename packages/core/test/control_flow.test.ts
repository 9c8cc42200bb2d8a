// Control flow (cond/switch, whileLoop/foriLoop, scan/map): eager results vs
// plain JS loops, makeJaxpr text vs JAX 0.10.2, and every transformation
// (JVP/VJP to 2nd order vs finite differences, vmap vs a loop incl. batched
// predicates, jit vs eager) and their compositions.
import { describe, expect, it } from "vitest";
import {
  Array,
  ShapeDtypeStruct,
  array,
  float32,
  float64,
  grad,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  scalar,
  vjp,
  vmap,
  type ClosedJaxpr,
} from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "./check.js";
import { loadJaxprGoldens, loadJaxprExamples } from "./golden.js";

type A = Array;
const goldens = loadJaxprGoldens();
const examples = loadJaxprExamples();

const S = (shape: number[], dt = "float32", weak = false) => new ShapeDtypeStruct(shape, dt, weak);
/** A Python float argument: weakly typed f32 (JS numbers like 5.0 are integers). */
const pyFloat = S([], "float32", true);
const pyInt = S([], "int32", true);
const x3 = S([3]);
const f32 = (v: number) => scalar(v, float32);
const vals = (x: A): number[] => [...x.dataSync()];
const f64 = (v: number) => scalar(v, float64, false);

// ---------------------------------------------------------------------------
// Jaxpr text identical to JAX's

/** The programs behind JAX's goldens, written with our API. */
const programs: Record<string, () => ClosedJaxpr> = {
  // examples.json (docs.jax.dev)
  jaxpr_one_of_three_switch: () =>
    makeJaxpr((index: A, arg: A) =>
      lax.switch(index, [(x: A) => lax.add(x, 1), (x: A) => lax.sub(x, 2), (x: A) => lax.add(x, 3)], arg),
    )(pyInt, pyFloat),
  jaxpr_func7_cond: () =>
    makeJaxpr((arg: A) =>
      lax.cond(
        lax.ge(arg, 0),
        (xtrue: A) => lax.add(xtrue, 3),
        (xfalse: A) => lax.sub(xfalse, 3),
        arg,
      ),
    )(pyFloat),
  jaxpr_func8_cond_constvar: () =>
    makeJaxpr((arg1: A, arg2: [A, A]) =>
      lax.cond(
        lax.ge(arg1, 0),
        (xtrue: [A, A]) => xtrue[0],
        (xfalse: [A, A]) => array([1]).add(xfalse[1]),
        arg2,
      ),
    )(pyFloat, [S([1]), pyFloat]),
  jaxpr_func10_fori_while: () =>
    makeJaxpr((arg: A, n: A) => {
      const ones = lax.broadcastInDim(scalar(1, float32, false), arg.shape, []);
      return lax.foriLoop(0, n, (_i: A, carry: A) => lax.add(lax.add(carry, lax.mul(ones, 3)), arg), lax.add(arg, ones));
    })(S([16]), pyInt),
  jaxpr_func11_scan: () =>
    makeJaxpr((arr: A, extra: A) => {
      const ones = lax.broadcastInDim(scalar(1, float32, false), arr.shape, []);
      const body = (carry: A, [ae1, ae2]: [A, A]): [A, A] => [carry.add(ae1.mul(ae2)).add(extra), carry];
      return lax.scan(body, f32(0), [arr, ones]);
    })(S([16]), pyFloat),
  // goldens_jax_0_10_2.json
  cond: () => makeJaxpr((p: A, x: A) => lax.cond(p, (x: A) => x.add(1), (x: A) => x.sub(1), x))(S([], "bool"), x3),
  cond_int_index: () =>
    makeJaxpr((i: A, x: A) => lax.switch(i, [(x: A) => x.add(1), (x: A) => x.sub(1), (x: A) => x.mul(2)], x))(S([], "int32"), x3),
  cond_consts: () =>
    makeJaxpr((p: A, x: A, y: A) => lax.cond(p, (x: A) => x.mul(y), (x: A) => x, x))(S([], "bool"), x3, x3),
  cond_big_branches: () => {
    const br = (x: A) => {
      for (let i = 0; i < 11; i++) x = lax.cos(x);
      return x;
    };
    return makeJaxpr((p: A, x: A) => lax.cond(p, br, (x: A) => x, x))(S([], "bool"), x3);
  },
  while: () =>
    makeJaxpr((x: A) =>
      lax.whileLoop(
        (c: [A, A]) => lax.lt(c[0], 10),
        (c: [A, A]) => [c[0].add(1), c[1].mul(2)] as [A, A],
        [0, x] as unknown as [A, A],
      ),
    )(x3),
  fori_loop: () => makeJaxpr((x: A) => lax.foriLoop(0, 3, (_i: A, c: A) => c.add(1), x))(x3),
  scan: () => makeJaxpr((xs: A) => lax.scan((c: A, x: A) => [c.add(x), c.mul(x)], f32(0), xs))(x3),
  scan_cumsum_f32: () => makeJaxpr((c: A, xs: A) => lax.scan((c: A, x: A) => [c.add(x), c], c, xs))(S([]), x3),
  scan_consts: () =>
    makeJaxpr((c: A, xs: A) =>
      lax.scan((c: A, x: A) => [c.add(x.mul(lax.squeeze(lax.slice(xs, [0], [1]), [0]))), null], c, xs),
    )(S([]), x3),
};

describe("makeJaxpr of control flow prints as JAX 0.10.2", () => {
  for (const [name, make] of Object.entries(programs)) {
    it(name, () => {
      const want = examples.get(name) ?? goldens.get(name);
      expect(want, `golden ${name}`).toBeDefined();
      expect(make().toString()).toBe(want);
    });
  }
});

// ---------------------------------------------------------------------------
// Eager results against plain JS

describe("eager control flow equals plain JS", () => {
  it("cond picks the branch of the predicate (bool, int and float predicates)", () => {
    const x = array([1, -2, 3], { dtype: "float32" });
    const t = (v: A) => lax.mul(v, 2);
    const f = (v: A) => lax.sub(v, 1);
    for (const p of [true, false, 1, 0, 2.5, -0.5, array(0), array(true)]) {
      const truthy = p instanceof Array ? Boolean(p.item()) : Boolean(p);
      const got = vals(lax.cond(p, t, f, x));
      expect(got).toEqual(vals(x).map((v) => (truthy ? v * 2 : v - 1)));
    }
  });

  it("cond with PyTree operands and outputs, several operands", () => {
    const a = array([1, 2], { dtype: "float32" });
    const b = array([10, 20], { dtype: "float32" });
    const out = lax.cond(
      false,
      (u: A, v: { w: A }) => ({ s: lax.add(u, v.w), d: [lax.sub(u, v.w)] }),
      (u: A, v: { w: A }) => ({ s: lax.mul(u, v.w), d: [v.w] }),
      a,
      { w: b },
    ) as { s: A; d: A[] };
    expect(vals(out.s)).toEqual([10, 40]);
    expect(vals(out.d[0]!)).toEqual([10, 20]);
  });

  it("switch clamps the index", () => {
    const x = array([1, 2], { dtype: "float32" });
    const branches = [(v: A) => lax.add(v, 1), (v: A) => lax.mul(v, 3), (v: A) => lax.neg(v)];
    const js = [(v: number) => v + 1, (v: number) => v * 3, (v: number) => -v];
    for (const i of [-3, 0, 1, 2, 7]) {
      const k = Math.min(Math.max(i, 0), 2);
      expect(vals(lax.switch(i, branches, x))).toEqual([1, 2].map(js[k]!));
    }
    // A single branch is just called.
    expect(vals(lax.switch(5, [(v: A) => lax.add(v, 1)], x))).toEqual([2, 3]);
  });

  it("whileLoop and dynamic foriLoop", () => {
    const x = array([1, 2, 3], { dtype: "float32" });
    const [n, y] = lax.whileLoop(
      ([i]: [A, A]) => lax.lt(i, 5),
      ([i, v]: [A, A]) => [lax.add(i, 1), lax.add(lax.mul(v, 2), 1)] as [A, A],
      [array(0), x] as [A, A],
    );
    let js = [1, 2, 3];
    let i = 0;
    while (i < 5) {
      js = js.map((v) => 2 * v + 1);
      i++;
    }
    expect(n.item()).toBe(i);
    expect(vals(y)).toEqual(js);
    // The predicate false from the start: the initial value comes back.
    expect(vals(lax.whileLoop(() => array(false), (v: A) => lax.add(v, 1), x))).toEqual([1, 2, 3]);
    // foriLoop with a traced upper bound goes through while.
    const f = jit((up: A, v: A) => lax.foriLoop(2, up, (k: A, c: A) => lax.add(c, lax.convertElementType(k, "float32")), v));
    for (const up of [0, 2, 3, 6]) {
      let s = [1, 2, 3];
      for (let k = 2; k < up; k++) s = s.map((v) => v + k);
      expect(vals(f(array(up), x))).toEqual(s);
    }
  });

  it("static foriLoop (a scan) matches a JS for loop", () => {
    const x = array([0.5, -1], { dtype: "float64" });
    for (const [lo, hi] of [
      [0, 4],
      [3, 7],
      [5, 2],
    ] as const) {
      let s = vals(x);
      for (let k = lo; k < hi; k++) s = s.map((v) => Math.sin(v) * k);
      const got = lax.foriLoop(lo, hi, (k: A, c: A) => lax.mul(lax.sin(c), lax.convertElementType(k, "float64")), x);
      vals(got).forEach((v, j) => expect(v).toBeCloseTo(s[j]!, 12));
    }
    // Concrete Array bounds are static too.
    expect(vals(lax.foriLoop(array(1), array(4), (k: A, c: A) => lax.add(c, k), array(0)))).toEqual([6]);
  });

  it("scan: forward, reverse, PyTree carry and xs, no xs, zero length", () => {
    const xs = array([1, 2, 3, 4], { dtype: "float32" });
    const step = (c: A, x: A): [A, A] => [lax.add(lax.mul(c, 2), x), lax.sub(c, x)];
    const jsScan = (seq: number[], reverse: boolean) => {
      let c = 1;
      const ys: number[] = new globalThis.Array(seq.length);
      for (let t = 0; t < seq.length; t++) {
        const i = reverse ? seq.length - 1 - t : t;
        ys[i] = c - seq[i]!;
        c = 2 * c + seq[i]!;
      }
      return [c, ys] as const;
    };
    for (const reverse of [false, true]) {
      const [c, ys] = lax.scan(step, f32(1), xs, { reverse });
      const [jc, jys] = jsScan([1, 2, 3, 4], reverse);
      expect(c.item()).toBe(jc);
      expect(vals(ys)).toEqual(jys);
    }
    // PyTree carry and xs; ys a dict.
    const [[a, b], ys] = lax.scan(
      ([s, p]: [A, A], { u, v }: { u: A; v: A }) => [[lax.add(s, u), lax.mul(p, v)], { su: lax.add(s, u), diff: lax.sub(u, v) }] as const,
      [f32(0), f32(1)],
      { u: xs, v: array([2, 2, 0.5, 1], { dtype: "float32" }) },
    ) as unknown as [[A, A], { su: A; diff: A }];
    expect([a.item(), b.item()]).toEqual([10, 2]);
    expect(vals(ys.su)).toEqual([1, 3, 6, 10]);
    expect(vals(ys.diff)).toEqual([-1, 0, 2.5, 3]);
    // No xs: length given.
    const [cnt, sq] = lax.scan((c: A, _x: null) => [lax.add(c, 1), lax.mul(c, c)], array(0), null, { length: 4 });
    expect(cnt.item()).toBe(4);
    expect(vals(sq)).toEqual([0, 1, 4, 9]);
    // Zero length: the carry passes through, ys are empty.
    const [c0, y0] = lax.scan(step, f32(3), array([], { dtype: "float32" }));
    expect(c0.item()).toBe(3);
    expect(y0.shape).toEqual([0]);
    // unroll is accepted (and recorded) without changing results.
    expect(vals(lax.scan(step, f32(1), xs, { unroll: 2 })[1])).toEqual(jsScan([1, 2, 3, 4], false)[1]);
  });

  it("map stacks f over the leading axis", () => {
    const xs = array(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: "float32" },
    );
    const out = lax.map((r: A) => ({ s: lax.add(r, 1), n: lax.neg(r) }), xs) as { s: A; n: A };
    expect(out.s.tolist()).toEqual([
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(vals(out.n)).toEqual([-1, -2, -3, -4, -5, -6]);
  });

  it("scan forwards read-only carries and copied xs without looping them", () => {
    const j = makeJaxpr((c: A, k: A, xs: A) => lax.scan(([c, k]: [A, A], x: A) => [[lax.add(c, lax.mul(k, x)), k], x], [c, k], xs))(
      S([]),
      S([]),
      S([3]),
    );
    // The unchanged carry k became a const (num_consts=1, num_carry=1) and the y
    // that is x is not an output of the scan.
    const text = j.toString();
    expect(text).toContain("num_carry=1");
    expect(text).toContain("num_consts=1");
    const [[c, k], ys] = lax.scan(([c, k]: [A, A], x: A) => [[lax.add(c, lax.mul(k, x)), k], x], [f32(1), f32(2)], array([1, 2, 3], { dtype: "float32" }));
    expect([c.item(), k.item()]).toEqual([13, 2]);
    expect(vals(ys)).toEqual([1, 2, 3]);
  });
});

// ---------------------------------------------------------------------------
// Transformations: a spec table

type Spec = {
  name: string;
  f: (...xs: any[]) => any;
  args: (r: () => number) => A[];
  /** vmap cases: batched args (leading axis 5 where batched) and in_axes. */
  vmaps: (r: () => number) => { args: A[]; inAxes: (number | null)[] }[];
  order?: number;
  modes?: ("fwd" | "rev")[];
  tol?: number;
};

const condF = (p: A, x: A, y: A) =>
  lax.cond(
    lax.gt(p, 0),
    (a: A, b: A) => lax.mul(lax.sin(a), b),
    (a: A, b: A) => lax.add(lax.cos(b), lax.mul(a, a)),
    x,
    y,
  );
// One branch ignores x, the other y: zero tangents/cotangents on one side.
const condZeros = (p: A, x: A, y: A) => lax.cond(lax.gt(p, 0), (a: A, _b: A) => lax.exp(a), (_a: A, b: A) => lax.sin(b), x, y);
const switchF = (i: A, x: A) =>
  lax.switch(i, [(v: A) => lax.sin(v), (v: A) => lax.mul(v, v), (v: A) => lax.exp(lax.mul(v, 0.5))], x);
const scanF = (c0: A, xs: A, w: A) =>
  lax.scan(
    (c: A, x: A) => {
      const h = lax.tanh(lax.add(lax.mul(w, c), x));
      return [h, lax.mul(lax.sin(h), x)];
    },
    c0,
    xs,
  );
// exp(w) is loop-invariant: reverse mode computes it once, outside the loop.
const scanInvariant = (c0: A, xs: A, w: A) =>
  lax.scan((c: A, x: A) => [lax.sin(lax.add(lax.mul(lax.exp(w), c), x)), lax.mul(c, lax.cos(w))], c0, xs);
// PyTree carry, reverse, a closed-over const and an integer counter in the carry.
const scanTree = (c0: A, xs: A, w: A) =>
  lax.scan(
    ([k, a, b]: [A, A, A], x: A) =>
      [[lax.add(k, 1), lax.add(lax.mul(a, lax.cos(b)), x), lax.mul(b, w)], lax.mul(a, lax.convertElementType(k, "float64"))] as const,
    [0, c0, lax.mul(c0, 0.5)],
    xs,
    { reverse: true },
  );
const foriStatic = (x: A, w: A) => lax.foriLoop(0, 4, (i: A, c: A) => lax.sin(lax.add(lax.mul(c, w), lax.convertElementType(i, "float64"))), x);
const whileF = (x: A, w: A) =>
  lax.whileLoop(
    ([i]: [A, A]) => lax.lt(i, 4),
    ([i, v]: [A, A]) => [lax.add(i, 1), lax.sin(lax.mul(v, w))] as [A, A],
    [0, x] as unknown as [A, A],
  )[1];
// The predicate depends on the carry: the trip count varies per example under vmap.
const whileCarryPred = (x: A) =>
  lax.whileLoop(
    ([v]: [A, A]) => lax.lt(v, 2),
    ([v, n]: [A, A]) => [lax.add(lax.mul(v, 1.5), 0.5), lax.add(n, 1)] as [A, A],
    [x, f64(0)] as [A, A],
  );

const specs: Spec[] = [
  {
    name: "cond (true and false predicates)",
    f: (x: A, y: A) => [condF(f64(0.5), x, y), condF(f64(-0.5), x, y)],
    args: (r) => [randArray([3], r), randArray([3], r)],
    vmaps: (r) => [{ args: [randArray([5, 3], r), randArray([5, 3], r)], inAxes: [0, 0] }],
  },
  {
    name: "cond with a batched predicate",
    f: condF,
    args: (r) => [randArray([], r), randArray([3], r), randArray([3], r)],
    vmaps: (r) => [
      { args: [randArray([5], r), randArray([5, 3], r), randArray([5, 3], r)], inAxes: [0, 0, 0] },
      { args: [randArray([5], r), randArray([3], r), randArray([3, 5], r)], inAxes: [0, null, 1] },
      { args: [randArray([5], r), randArray([3], r), randArray([3], r)], inAxes: [0, null, null] },
      { args: [randArray([], r), randArray([5, 3], r), randArray([3], r)], inAxes: [null, 0, null] },
    ],
  },
  {
    name: "cond with branches ignoring operands",
    f: (x: A, y: A) => [condZeros(f64(1), x, y), condZeros(f64(-1), x, y)],
    args: (r) => [randArray([2], r), randArray([2], r)],
    vmaps: (r) => [{ args: [randArray([5, 2], r), randArray([2], r)], inAxes: [0, null] }],
  },
  {
    name: "switch (each index, clamped)",
    f: (x: A) => [-1, 1, 2, 9].map((i) => switchF(array(i), x)),
    args: (r) => [randArray([3], r)],
    vmaps: (r) => [{ args: [randArray([5, 3], r)], inAxes: [0] }],
  },
  {
    name: "switch with a batched index",
    f: (i: A, x: A) => switchF(i, x),
    args: (r) => [array(1), randArray([3], r)],
    vmaps: (r) => [
      { args: [array([0, 2, 1, 5, -1]), randArray([5, 3], r)], inAxes: [0, 0] },
      { args: [array([2, 1, 0, 1, 2]), randArray([3], r)], inAxes: [0, null] },
    ],
    modes: ["fwd", "rev"],
  },
  {
    name: "scan (consts, carry, xs)",
    f: scanF,
    args: (r) => [randArray([3], r), randArray([4, 3], r), randArray([3], r)],
    vmaps: (r) => [
      { args: [randArray([5, 3], r), randArray([5, 4, 3], r), randArray([5, 3], r)], inAxes: [0, 0, 0] },
      { args: [randArray([3], r), randArray([5, 4, 3], r), randArray([3], r)], inAxes: [null, 0, null] },
      { args: [randArray([3], r), randArray([4, 3], r), randArray([5, 3], r)], inAxes: [null, null, 0] },
      { args: [randArray([5, 3], r), randArray([4, 3], r), randArray([3], r)], inAxes: [0, null, null] },
      { args: [randArray([3], r), randArray([4, 5, 3], r), randArray([3, 5], r)], inAxes: [null, 1, 1] },
    ],
    tol: 1e-5,
  },
  {
    name: "scan with loop-invariant residuals (hoisted)",
    f: scanInvariant,
    args: (r) => [randArray([3], r), randArray([4, 3], r), randArray([3], r)],
    vmaps: (r) => [
      { args: [randArray([5, 3], r), randArray([5, 4, 3], r), randArray([5, 3], r)], inAxes: [0, 0, 0] },
      { args: [randArray([3], r), randArray([4, 3], r), randArray([5, 3], r)], inAxes: [null, null, 0] },
    ],
    tol: 1e-5,
  },
  {
    name: "scan (PyTree carry with a counter, reverse)",
    f: scanTree,
    args: (r) => [randArray([2], r), randArray([3, 2], r), randArray([2], r)],
    vmaps: (r) => [
      { args: [randArray([5, 2], r), randArray([5, 3, 2], r), randArray([5, 2], r)], inAxes: [0, 0, 0] },
      { args: [randArray([2], r), randArray([3, 2], r), randArray([5, 2], r)], inAxes: [null, null, 0] },
    ],
    tol: 1e-5,
  },
  {
    name: "foriLoop with static bounds (scan)",
    f: foriStatic,
    args: (r) => [randArray([3], r), randArray([3], r)],
    vmaps: (r) => [
      { args: [randArray([5, 3], r), randArray([5, 3], r)], inAxes: [0, 0] },
      { args: [randArray([3], r), randArray([5, 3], r)], inAxes: [null, 0] },
    ],
    tol: 1e-5,
  },
  {
    name: "whileLoop (forward mode)",
    f: whileF,
    args: (r) => [randArray([3], r), randArray([3], r)],
    vmaps: (r) => [
      { args: [randArray([5, 3], r), randArray([5, 3], r)], inAxes: [0, 0] },
      { args: [randArray([3], r), randArray([5, 3], r)], inAxes: [null, 0] },
    ],
    modes: ["fwd"],
    tol: 1e-5,
  },
  {
    name: "whileLoop with a carry-dependent predicate (batched predicate)",
    f: whileCarryPred,
    args: (r) => [randArray([], r, 0.1, 1.5)],
    vmaps: (r) => [{ args: [randArray([5], r, 0.1, 1.9)], inAxes: [0] }],
    modes: ["fwd"],
    tol: 1e-5,
  },
];

describe("control flow under jvp/vjp (order 2), vmap, jit", () => {
  for (const s of specs) {
    it(s.name, () => {
      const r = rng(s.name.length * 7919);
      const args = s.args(r);
      const tol = s.tol ?? 1e-6;
      checkGrads(s.f, args, s.order ?? 2, { rtol: tol, atol: tol, eps: 1e-5, modes: s.modes });
      for (const v of s.vmaps(r)) checkVmap(s.f, v.args, { inAxes: v.inAxes });
      checkJit(s.f, args);
    });
  }
});

// ---------------------------------------------------------------------------
// Compositions

describe("compositions", () => {
  it("grad(scan) inside vmap, vmap(scan) inside grad", () => {
    const r = rng(11);
    // The gradient of sum(c²) + sum(ys), as a vjp with the matching cotangents.
    const gradLoss = (c0: A, xs: A, w: A) =>
      vjp((a: A, b: A, c: A) => scanF(a, b, c), c0, xs, w)[1]([lax.mul(scanF(c0, xs, w)[0], 2), lax.broadcastInDim(f64(1), [4, 3], [])]);
    const c0 = randArray([5, 3], r);
    const xs = randArray([5, 4, 3], r);
    const w = randArray([5, 3], r);
    checkVmap(gradLoss, [c0, xs, w], { tol: { rtol: 1e-6, atol: 1e-6 } });
    checkVmap(gradLoss, [randArray([3], r), xs, randArray([3], r)], { inAxes: [null, 0, null], tol: { rtol: 1e-6, atol: 1e-6 } });
    // The gradient of the vmapped scan (summed over the batch) matches per-example gradients.
    const batched = vmap((a: A, b: A, c: A) => scanF(a, b, c)[0]);
    const [, pb] = vjp(batched, c0, xs, w);
    const u = randArray([5, 3], r);
    const [gc, gx, gw] = pb(u);
    for (let b = 0; b < 5; b++) {
      const take = (x: A) => lax.squeeze(lax.slice(x, [b, ...x.shape.slice(1).map(() => 0)], [b + 1, ...x.shape.slice(1)]), [0]);
      const [, pb1] = vjp((a: A, bb: A, c: A) => scanF(a, bb, c)[0], take(c0), take(xs), take(w));
      const [ec, ex, ew] = pb1(take(u));
      for (const [g, e] of [
        [gc, ec],
        [gx, ex],
        [gw, ew],
      ] as [A, A][]) {
        vals(take(g)).forEach((v, k) => expect(v).toBeCloseTo(vals(e)[k]!, 12));
      }
    }
  });

  it("grad(cond) inside vmap, with a batched predicate", () => {
    const r = rng(12);
    const g = (p: A, x: A, y: A) => vjp((a: A, b: A) => condF(p, a, b), x, y)[1](lax.cos(x));
    checkVmap(g, [randArray([5], r), randArray([5, 3], r), randArray([5, 3], r)]);
    checkVmap(g, [randArray([5], r), randArray([3], r), randArray([5, 3], r)], { inAxes: [0, null, 0] });
    // And jvp of the vmapped cond matches finite differences.
    const vf = vmap(condF);
    checkGrads(vf, [randArray([5], r), randArray([5, 3], r), randArray([5, 3], r)], 1, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
  });

  it("jit of transformed control flow, and transformations of jitted control flow", () => {
    const r = rng(13);
    const args = [randArray([3], r), randArray([4, 3], r), randArray([3], r)];
    const vjpScan = (c0: A, xs: A, w: A) => vjp(scanF, c0, xs, w)[1]([lax.sin(c0), lax.cos(xs)]);
    checkJit(vjpScan, args);
    checkGrads(jit(scanF), args, 2, { rtol: 1e-5, atol: 1e-5, eps: 1e-5 });
    checkVmap(jit(scanF), [randArray([5, 3], r), randArray([5, 4, 3], r), randArray([5, 3], r)]);
    checkGrads(jit(condF), [f64(0.3), randArray([3], r), randArray([3], r)], 2, { rtol: 1e-6, atol: 1e-6, eps: 1e-5 });
    checkJit((x: A, w: A) => jvp((a: A) => whileF(a, w), [x], [lax.cos(x)]), [randArray([3], r), randArray([3], r)]);
  });

  it("reverse mode hoists loop-invariant residuals out of the scan", () => {
    const r = rng(15);
    const args = [randArray([3], r), randArray([4, 3], r), randArray([3], r)];
    const j = makeJaxpr((c0: A, xs: A, w: A) => vjp(scanInvariant, c0, xs, w)[1]([c0, xs]))(...args);
    const top = j.jaxpr.eqns.map((e) => e.primitive.name);
    // exp(w) and cos(w) are computed once at the top level, not stacked per iteration.
    expect(top).toContain("exp");
    expect(top).toContain("cos");
    const [known, tangent] = j.jaxpr.eqns.filter((e) => e.primitive.name === "scan");
    const bodyPrims = (e: typeof known) => (e!.params.jaxpr as ClosedJaxpr).jaxpr.eqns.map((q) => q.primitive.name);
    expect(bodyPrims(known)).not.toContain("exp");
    expect(bodyPrims(tangent)).not.toContain("exp");
    // The backward scan runs in the opposite direction.
    expect(tangent!.params.reverse).toBe(true);
  });

  it("linearize of whileLoop works; nested control flow differentiates", () => {
    const r = rng(14);
    const x = randArray([3], r);
    const w = randArray([3], r);
    const [y, fJvp] = linearize((a: A) => whileF(a, w), x);
    expect(vals(y)).toEqual(vals(whileF(x, w)));
    const t = randArray([3], r);
    const [, want] = jvp((a: A) => whileF(a, w), [x], [t]);
    vals(fJvp(t)).forEach((v, k) => expect(v).toBeCloseTo(vals(want)[k]!, 12));
    // cond inside scan inside cond.
    const nested = (c0: A, xs: A) =>
      lax.cond(
        lax.gt(lax.squeeze(lax.slice(c0, [0], [1]), [0]), -5),
        (c: A, s: A) =>
          lax.scan(
            (cc: A, xx: A) => [lax.cond(lax.gt(lax.squeeze(lax.slice(xx, [0], [1]), [0]), 0), (u: A) => lax.sin(lax.add(u, xx)), (u: A) => lax.mul(u, xx), cc), cc],
            c,
            s,
          ),
        (c: A, s: A) => [c, lax.mul(s, 2)] as [A, A],
        c0,
        xs,
      );
    const args = [randArray([2], r), randArray([5, 2], r)];
    checkGrads(nested, args, 2, { rtol: 1e-5, atol: 1e-5, eps: 1e-5 });
    checkVmap(nested, [randArray([4, 2], r), randArray([4, 5, 2], r)]);
    checkJit(nested, args);
  });
});

// ---------------------------------------------------------------------------
// Errors

describe("errors", () => {
  const x = array([1, 2, 3], { dtype: "float32" });
  it("reverse mode through whileLoop / dynamic foriLoop raises JAX's error", () => {
    const msg =
      "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. " +
      "Try using lax.scan, or using fori_loop with static start/stop.";
    const w = randArray([], rng(1));
    expect(() => grad((a: A) => whileF(a, w))(f64(0.3))).toThrow(msg);
    expect(() => vjp((a: A) => whileF(a, w), randArray([3], rng(2)))[1](randArray([3], rng(3)))).toThrow(msg);
    // A traced upper bound (under jit) makes foriLoop a while loop.
    const dyn = jit((a: A, n: A) => lax.foriLoop(0, n, (_i: A, c: A) => lax.sin(c), a));
    expect(() => grad((a: A) => dyn(a, array(3)))(f64(0.3))).toThrow(msg);
    // Concrete bounds make it a scan, which reverse mode handles.
    const stat = (a: A, n: A) => lax.foriLoop(0, n, (_i: A, c: A) => lax.sin(c), a);
    expect(grad(stat)(f64(0.3), array(3)).item()).toBeCloseTo(
      Math.cos(0.3) * Math.cos(Math.sin(0.3)) * Math.cos(Math.sin(Math.sin(0.3))),
      12,
    );
  });

  it("cond branch output mismatches name the branches and types", () => {
    expect(() => lax.cond(true, (v: A) => lax.reduceSum(v, [0]), (v: A) => v, x)).toThrow(
      "[cond] branches must have equal output types but they differ: the output of trueFun has type f32[] but the corresponding output of falseFun has type f32[3]",
    );
    expect(() => lax.cond(true, (v: A) => [v, v], (v: A) => [v, lax.convertElementType(v, "int32")], x)).toThrow(
      "the output of trueFun at path [1] has type f32[3] but the corresponding output of falseFun has type i32[3]",
    );
    expect(() => lax.cond(true, (v: A) => [v, v], ((v: A) => v) as any, x)).toThrow(/\[cond\] branch outputs must have the same pytree structure/);
    expect(() => lax.switch(0, [(v: A) => v, (v: A) => v, (v: A) => lax.reshape(v, [3, 1])], x)).toThrow(
      "the output of branch 0 has type f32[3] but the corresponding output of branch 2 has type f32[3,1]",
    );
  });

  it("cond and switch argument checks", () => {
    expect(() => lax.cond(array([true, false]), (v: A) => v, (v: A) => v, x)).toThrow("[cond] pred must be a scalar, got bool[2]");
    expect(() => lax.cond(true, 3 as any, (v: A) => v, x)).toThrow("[cond] trueFun and falseFun arguments should be callable");
    expect(() => lax.switch(1.5, [(v: A) => v], x)).toThrow("[switch] index type must be an integer, got float32");
    expect(() => lax.switch(0, [], x)).toThrow("[switch] empty branch sequence");
  });

  it("scan carry and length errors", () => {
    expect(() => lax.scan((c: A, v: A) => [lax.add(c, v), null], f32(0), x)).not.toThrow();
    expect(() => lax.scan((c: A, v: A) => [lax.broadcastInDim(lax.add(c, v), [3], []), null], scalar(0, float32, false), x)).toThrow(
      "[scan] body function carry output has type f32[3] but input carry has type f32[]",
    );
    expect(() => lax.scan(([a, b]: [A, A], v: A) => [[a, lax.convertElementType(b, "int32")], v], [f32(0), scalar(1, float32, false)], x)).toThrow(
      "[scan] body function carry output at path [1] has type i32[] but input carry at path [1] has type f32[]",
    );
    expect(() => lax.scan((c: A, v: A) => [[c, c], v], f32(0), x)).toThrow(/\[scan\] body function carry input and carry output must have the same pytree structure/);
    expect(() => lax.scan((c: A, v: A) => c as any, f32(0), x)).toThrow("[scan] body output must be a pair [carry, y]");
    expect(() => lax.scan((c: A, v: A) => [c, v], f32(0), [x, array([1, 2], { dtype: "float32" })])).toThrow(
      "[scan] got values with different leading axis sizes: 3, 2",
    );
    expect(() => lax.scan((c: A, v: A) => [c, v], f32(0), x, { length: 4 })).toThrow(
      "[scan] got `length` argument of 4 which disagrees with leading axis sizes [3]",
    );
    expect(() => lax.scan((c: A) => [c, c], f32(0), null)).toThrow("[scan] got no values to scan over and `length` not provided");
    expect(() => lax.scan((c: A) => [c, c], f32(0), f32(1))).toThrow("[scan] got value with no leading axis to scan over: f32[]");
  });

  it("whileLoop checks", () => {
    expect(() => lax.whileLoop((v: A) => v, (v: A) => v, x)).toThrow(
      "[while_loop] condFun must return a boolean scalar, but got output type(s) f32[3]",
    );
    expect(() => lax.whileLoop(() => array(true), (v: A) => lax.reshape(v, [1, 3]), x)).toThrow(
      "[while_loop] body function carry output has type f32[1,3] but input carry has type f32[3]",
    );
    expect(() => lax.foriLoop(0, array(3), (_i: A, v: A) => v, x, { unroll: 2 })).not.toThrow();
    expect(() => jit((n: A) => lax.foriLoop(0, n, (_i: A, v: A) => v, x, { unroll: 2 }))(array(3))).toThrow(
      "[fori_loop] can only use `unroll` if the loop bounds are statically known",
    );
  });

  it("the primitives validate their operands", () => {
    const j = makeJaxpr((p: A, v: A) => lax.cond(p, (u: A) => u, (u: A) => lax.neg(u), v))(S([], "bool"), x3);
    const eqn = j.jaxpr.eqns.find((e) => e.primitive.name === "cond")!;
    expect(() => eqn.primitive.bind([array(1.5), x], eqn.params)).toThrow("[cond] the branch index must be an int32 scalar, got f32[]");
    expect(() => eqn.primitive.bind([array(1), array([1, 2], { dtype: "float32" })], eqn.params)).toThrow(
      "[cond] branches take input types f32[3], called with operands of type f32[2]",
    );
    const s = makeJaxpr((c: A, xs: A) => lax.scan((c: A, v: A) => [lax.add(c, v), c], c, xs))(S([]), x3);
    const se = s.jaxpr.eqns[0]!;
    expect(() => se.primitive.bind([f32(0), array([1, 2], { dtype: "float32" })], se.params)).toThrow(
      "[scan] scanned input 0 must have type f32[3], got f32[2]",
    );
  });
});

