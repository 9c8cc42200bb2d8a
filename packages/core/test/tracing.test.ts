// Tracing machinery: makeJaxpr, evalJaxpr, checkJaxpr, concretization and leaked-tracer errors.
import { describe, expect, it } from "vitest";
import {
  Array,
  ClosedJaxpr,
  ConcretizationTypeError,
  Jaxpr,
  JaxprEqn,
  JaxprTypeError,
  ShapeDtypeStruct,
  ShapedArray,
  UnexpectedTracerError,
  Var,
  array,
  checkJaxpr,
  evalJaxpr,
  float32,
  lax,
  makeJaxpr,
  jit,
  grad,
  vmap,
} from "../src/index.js";
import { addP, sinP } from "../src/primitives/elementwise.js";

const f = (x: Array, y: Array) => lax.mul(lax.sin(x), y).add(lax.exp(y));

describe("makeJaxpr / evalJaxpr", () => {
  it("evaluating the Jaxpr gives the eager result", () => {
    const x = array([0.5, -1, 2], { dtype: "float32" });
    const y = array([1.5, 2, -0.25], { dtype: "float32" });
    const cj = makeJaxpr(f)(x, y);
    checkJaxpr(cj.jaxpr);
    const [out] = evalJaxpr(cj.jaxpr, cj.consts, [x, y]);
    expect(out!.tolist()).toEqual(f(x, y).tolist());
    expect(cj.outAvals.map(String)).toEqual(["f32[3]"]);
  });

  it("closed-over arrays become constvars; closed-over scalars become literals", () => {
    const c = array([1, 2, 3], { dtype: "float32" });
    const s = array(2.5, { dtype: "float32" });
    const cj = makeJaxpr((x: Array) => x.add(c).mul(s))(new ShapeDtypeStruct([3], "float32"));
    expect(cj.toString()).toBe(
      "{ lambda a:f32[3]; b:f32[3]. let\n    c:f32[3] = add b a\n    d:f32[3] = mul c 2.5:f32[]\n  in (d,) }",
    );
    expect(cj.consts).toHaveLength(1);
    const x = array([1, 1, 1], { dtype: "float32" });
    expect(evalJaxpr(cj.jaxpr, cj.consts, [x])[0]!.tolist()).toEqual([5, 7.5, 10]);
  });

  it("stages operations with no traced input (the trace is dynamic)", () => {
    const cj = makeJaxpr((x: Array) => x.div(lax.log(array(2.5, { dtype: "float32" }))))(3.5);
    // As in JAX, the weakly typed argument is converted to meet the strong float32.
    expect(cj.toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = log 2.5:f32[]",
        "    c:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a",
        "    d:f32[] = div c b",
        "  in (d,) }",
      ].join("\n"),
    );
  });

  it("accepts PyTree arguments and outputs", () => {
    const cj = makeJaxpr((p: { w: Array; b: Array[] }) => ({ out: p.w.add(p.b[0]!) }))({
      w: new ShapeDtypeStruct([2], "float32"),
      b: [new ShapeDtypeStruct([2], "float32")],
    });
    // Object keys flatten in sorted order: b[0] is `a`, w is `b`.
    expect(cj.toString()).toBe("{ lambda ; a:f32[2] b:f32[2]. let c:f32[2] = add b a in (c,) }");
  });

  it("rejects arguments that are not arrays", () => {
    expect(() => makeJaxpr((x: Array) => x)("hello" as never)).toThrow(/\[makeJaxpr\] arguments must be/);
  });
});

describe("errors a JAX user expects", () => {
  it("JS control flow on a traced value raises a concretization error pointing at lax.cond", () => {
    const g = (x: Array) => (Number(lax.sin(x)) > 0 ? x : x.neg());
    expect(() => makeJaxpr(g)(new ShapeDtypeStruct([], "float32"))).toThrow(ConcretizationTypeError);
    expect(() => makeJaxpr((x: Array) => ((x as unknown as number) > 0 ? x : x))(1.5)).toThrow(/lax\.cond/);
    expect(() => makeJaxpr((x: Array) => x.item())(1.5)).toThrow(/x\.item\(\)/);
    expect(() => makeJaxpr((x: Array) => x.dataSync())(1.5)).toThrow(ConcretizationTypeError);
  });

  it("a tracer used after its trace ended raises a leaked-tracer error", () => {
    let leaked: Array | null = null;
    makeJaxpr((x: Array) => {
      leaked = lax.sin(x);
      return x;
    })(1.5);
    expect(() => lax.cos(leaked!)).toThrow(UnexpectedTracerError);
    expect(() => lax.cos(leaked!)).toThrow(/\[?cos|'cos'/);
  });

  it("the truth value of a multi-element concrete array is ambiguous", () => {
    const x = array([1, 2]);
    expect(() => (x as unknown as number) > 0).toThrow(/more than one element is ambiguous/);
    expect(Number(array([3]))).toBe(3);
  });
});

describe("checkJaxpr", () => {
  const a = new ShapedArray([3], float32);
  it("accepts well-formed Jaxprs", () => {
    const x = new Var(a);
    const y = new Var(a);
    expect(() => checkJaxpr(new Jaxpr([], [x], [new JaxprEqn(sinP, [x], {}, [y])], [y]))).not.toThrow();
  });
  it("rejects a variable defined twice", () => {
    const x = new Var(a);
    const y = new Var(a);
    const j = new Jaxpr([], [x], [new JaxprEqn(sinP, [x], {}, [y]), new JaxprEqn(sinP, [x], {}, [y])], [y]);
    expect(() => checkJaxpr(j)).toThrow(JaxprTypeError);
    expect(() => checkJaxpr(j)).toThrow(/defined twice/);
  });
  it("rejects a use before definition", () => {
    const x = new Var(a);
    const y = new Var(a);
    const z = new Var(a);
    const j = new Jaxpr([], [x], [new JaxprEqn(addP, [x, z], {}, [y])], [y]);
    expect(() => checkJaxpr(j)).toThrow(/used before definition in add/);
  });
  it("rejects an output type that disagrees with the primitive's rule", () => {
    const x = new Var(a);
    const y = new Var(new ShapedArray([4], float32));
    expect(() => checkJaxpr(new Jaxpr([], [x], [new JaxprEqn(sinP, [x], {}, [y])], [y]))).toThrow(
      /sin output 0 has type f32\[3\] but is bound to .*f32\[4\]/,
    );
  });
  it("rejects an eqn whose inputs violate the primitive's rule", () => {
    const x = new Var(a);
    const i = new Var(new ShapedArray([3], (array([1]) as Array).dtype));
    const y = new Var(a);
    expect(() => checkJaxpr(new Jaxpr([], [x, i], [new JaxprEqn(addP, [x, i], {}, [y])], [y]))).toThrow(
      /\[add\] requires arguments to have the same dtypes/,
    );
  });
  it("ClosedJaxpr checks its const count", () => {
    const x = new Var(a);
    expect(() => new ClosedJaxpr(new Jaxpr([x], [], [], [x]), [])).toThrow(/1 constvars but 0 consts/);
  });
});

describe("concretization under transformations", () => {
  it("under jit the error names the function and the argument the value depends on", () => {
    const f = jit(function step(params: { w: Array }, x: Array, lr: Array) {
      return (lax.sin(x) as unknown as number) > 0 ? params.w.mul(lr) : params.w;
    });
    const w = array([1, 2], { dtype: "float32" });
    const call = () => f({ w }, array(0.5, { dtype: "float32" }), array(0.1, { dtype: "float32" }));
    expect(call).toThrow(ConcretizationTypeError);
    expect(call).toThrow(/while tracing the function step for jit\. This value depends on the argument x\./);
    expect(call).toThrow(/lax\.cond/);
  });

  it("names PyTree leaves and rest parameters", () => {
    const g = jit((...xs: Array[]) => ((xs[1]!.sum() as unknown as number) > 0 ? xs[0] : xs[1]));
    expect(() => g(array([1]), array([2]))).toThrow(/depends on the argument xs\[1\]/);
    const h = jit((p: { a: Array; b: Array }) => (Number(p.b.sum()) > 0 ? p.a : p.b));
    expect(() => h({ a: array([1]), b: array([2]) })).toThrow(/depends on the argument p\['b'\]/);
  });

  it("under grad, JS control flow on concrete values works, as in JAX", () => {
    const absLike = (x: Array) => ((x as unknown as number) > 0 ? x.mul(x) : x.neg());
    expect(grad(absLike)(array(3, { dtype: "float32" })).item()).toBe(6);
    expect(grad(absLike)(array(-3, { dtype: "float32" })).item()).toBe(-1);
  });

  it("under vmap, a batched value cannot be concretized", () => {
    const f = (x: Array) => ((x as unknown as number) > 0 ? x : x.neg());
    expect(() => vmap(f)(array([1, -1], { dtype: "float32" }))).toThrow(/batched by vmap/);
  });
});
