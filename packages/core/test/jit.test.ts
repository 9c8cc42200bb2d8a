// jit: one trace per (argument types, tree structure, static values); results equal eager.
import { describe, expect, it } from "vitest";
import { type Array, array, evalShape, getBackend, jit, lax, makeJaxpr, ShapeDtypeStruct } from "../src/index.js";

const f32 = (x: number[]) => array(x, { dtype: "float32" });

describe("jit", () => {
  it("traces once per argument types and reuses the trace", () => {
    let traces = 0;
    const f = jit((x: Array, y: Array) => {
      traces++;
      return lax.sin(x).mul(y);
    });
    const a = f32([1, 2]);
    expect(f(a, a).tolist()).toEqual(lax.sin(a).mul(a).tolist());
    f(f32([3, 4]), f32([5, 6]));
    expect(traces).toBe(1);
    f(f32([1, 2, 3]), f32([1, 2, 3])); // new shape
    f(array([1, 2], { dtype: "float64" }), array([1, 2], { dtype: "float64" })); // new dtype
    expect(traces).toBe(3);
    expect(f.cacheSize).toBe(3);
  });

  it("weak types and tree structure are part of the cache key", () => {
    let traces = 0;
    const f = jit((p: { a: Array; b?: Array }) => {
      traces++;
      return p.b ? p.a.add(p.b) : p.a;
    });
    f({ a: f32([1]) });
    f({ a: f32([1]), b: f32([2]) });
    expect(traces).toBe(2);
    const g = jit((x: Array) => x.mul(2));
    expect(g(3.5 as unknown as Array).weakType).toBe(true);
    expect(g(array(3.5, { dtype: "float32" })).weakType).toBe(false);
    expect(g.cacheSize).toBe(2);
  });

  it("staticArgnums and staticArgnames: each value traces once; JS control flow on them works", () => {
    let traces = 0;
    const body = (x: Array, n: number, mode: string) => {
      traces++;
      let y = x;
      for (let i = 0; i < n; i++) y = mode === "sin" ? lax.sin(y) : lax.cos(y);
      return y;
    };
    const byNum = jit(body, { staticArgnums: [1, 2] });
    const byName = jit(body, { staticArgnames: ["n", "mode"] });
    const x = f32([0.5]);
    for (const g of [byNum, byName]) {
      traces = 0;
      const want = lax.sin(lax.sin(lax.sin(x)));
      expect(g(x, 3, "sin").tolist()).toEqual(want.tolist());
      g(f32([0.7]), 3, "sin");
      expect(traces).toBe(1);
      expect(g(x, 2, "cos").tolist()).toEqual(lax.cos(lax.cos(x)).tolist());
      expect(traces).toBe(2);
    }
  });

  it("rejects bad static arguments with clear errors", () => {
    const f = (x: Array, n: number) => x.mul(n);
    expect(() => jit(f, { staticArgnames: "k" })).toThrow(/staticArgnames 'k' is not a parameter of f \(parameters: x, n\)/);
    expect(() => jit(f, { staticArgnums: 5 })(f32([1]), 2)).toThrow(/staticArgnums 5 out of range/);
    expect(() => jit(f, { staticArgnums: 0 })(f32([1]), 2)).toThrow(/static argument 0 of f must be a hashable JS value/);
  });

  it("is a primitive: the Jaxpr holds one jit equation with the traced function's name", () => {
    const inner = jit(function scaled(x: Array) {
      return x.mul(2.5);
    });
    const text = makeJaxpr((x: Array) => inner(x).add(1.5))(f32([1, 2])).toString();
    expect(text).toBe(
      [
        "{ lambda ; a:f32[2]. let",
        "    b:f32[2] = jit[",
        "      name=scaled",
        "      jaxpr={ lambda ; a:f32[2]. let b:f32[2] = mul a 2.5:f32[] in (b,) }",
        "    ] a",
        "    c:f32[2] = add b 1.5:f32[]",
        "  in (c,) }",
      ].join("\n"),
    );
    expect(inner.trace(f32([1, 2])).toString()).toBe("{ lambda ; a:f32[2]. let b:f32[2] = mul a 2.5:f32[] in (b,) }");
  });
});

describe("the CPU backend runs a jitted Jaxpr freeing each intermediate at its last use", () => {
  it("a chain of 40 operations keeps only a couple of buffers alive", () => {
    const chain = (x: Array) => {
      let y = x;
      for (let i = 0; i < 20; i++) y = lax.cos(lax.sin(y));
      return y;
    };
    const x = f32([0.1, 0.2, 0.3]);
    const cj = makeJaxpr(chain)(x);
    const exe = getBackend("cpu").compile(cj.jaxpr);
    const [out] = exe.execute([x.dataSync()]);
    expect([...(out as Float32Array)]).toEqual([...chain(x).dataSync()]);
    // input + the value being consumed + the one produced
    expect(exe.stats!.peakLiveBuffers).toBeLessThanOrEqual(3);
    expect(cj.eqns.length).toBe(40);
  });
});

describe("evalShape", () => {
  it("gives output shapes and dtypes without running the function", () => {
    let ran = 0;
    const f = (x: Array, p: { w: Array }) => {
      ran += x.size; // tracing sees only avals: sizes are known, values are not
      return { y: x.matmul(p.w), n: x.sum() };
    };
    const out = evalShape(f, new ShapeDtypeStruct([4, 3], "float32"), { w: new ShapeDtypeStruct([3, 5], "float32") });
    expect(out.y.shape).toEqual([4, 5]);
    expect(out.y.dtype.name).toBe("float32");
    expect(out.n.shape).toEqual([]);
    expect(ran).toBe(12);
    expect(() => evalShape(f, new ShapeDtypeStruct([4, 3], "float32"), { w: new ShapeDtypeStruct([2, 5], "float32") })).toThrow(
      /dot_general|matmul/,
    );
  });
});
