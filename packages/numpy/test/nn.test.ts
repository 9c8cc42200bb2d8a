// jax.nn conformance: activations, softmax/log_softmax/logsumexp/logmeanexp,
// standardize, one_hot and dot_product_attention against JAX 0.10.2 goldens
// (values and derivatives, kinks included; tools/goldens/gen_numpy_nn.py),
// plus finite-difference gradient checks, vmap/jit checks and error messages.
import { describe, expect, test } from "vitest";
import { Array, array, grad, jit, jvp, vmap, type ArrayInput } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { decode, expectMatches, loadGolden, type EncodedArray } from "../../core/test/golden.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";

const { nn } = jnp;

type Fn = (x: Array, ...args: any[]) => Array;
const ACT: Record<string, Fn> = {
  identity: nn.identity,
  relu: nn.relu,
  relu6: nn.relu6,
  squareplus: nn.squareplus,
  softplus: nn.softplus,
  sparsePlus: nn.sparsePlus,
  softSign: nn.softSign,
  sigmoid: nn.sigmoid,
  sparseSigmoid: nn.sparseSigmoid,
  silu: nn.silu,
  swish: nn.swish,
  mish: nn.mish,
  logSigmoid: nn.logSigmoid,
  elu: nn.elu,
  leakyRelu: nn.leakyRelu,
  hardTanh: nn.hardTanh,
  celu: nn.celu,
  selu: nn.selu,
  gelu: nn.gelu,
  hardSigmoid: nn.hardSigmoid,
  hardSilu: nn.hardSilu,
  hardSwish: nn.hardSwish,
  tanh: nn.tanh,
  log1mexp: nn.log1mexp,
};

/** Tolerances for values computed with different (but accurate) elementwise kernels than XLA's. */
function tol(dtype: string, scale = 1): { rtol: number; atol: number } {
  if (dtype === "float16") return { rtol: 2e-3 * scale, atol: 2e-3 * scale };
  if (dtype === "float32") return { rtol: 1e-5 * scale, atol: 1e-6 * scale };
  return { rtol: 1e-12 * scale, atol: 1e-13 * scale };
}

/** A fixture option value: encoded arrays become Arrays. */
function decodeKw(kw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kw)) {
    out[k] = v !== null && typeof v === "object" && "data" in (v as object) ? decode(v as EncodedArray) : v;
  }
  return out;
}

const label = (c: { kind: string; fn?: string; x?: EncodedArray; kw?: unknown; args?: unknown }) =>
  `${c.kind}${c.fn ? " " + c.fn : ""} ${c.x ? c.x.dtype + "[" + c.x.shape + "]" : ""} ${JSON.stringify(c.args ?? c.kw ?? "")}`;

const cases = loadGolden<any>("nn", import.meta.url);

describe("activations vs JAX (values and gradients)", () => {
  const acts = cases.filter((c) => c.kind === "act");
  test("fixture has cases for every activation", () => {
    expect(new Set(acts.map((c) => c.fn))).toEqual(new Set(Object.keys(ACT)));
  });
  for (const c of acts) {
    test(label(c), () => {
      const f = ACT[c.fn]!;
      const x = decode(c.x);
      const t = tol(c.out.dtype, c.out.dtype === "float16" ? 1 : 4);
      expectMatches(f(x, ...c.args), c.out, { ...t, label: "value" });
      if (c.grad) {
        const g = grad((y: Array) => jnp.sum(f(y, ...c.args)))(x);
        expectMatches(g, c.grad, { ...tol(c.x.dtype, c.x.dtype === "float16" ? 2 : 10), label: "grad" });
      }
    });
  }
});

describe("derivatives at kinks match JAX's conventions", () => {
  for (const c of cases.filter((c) => c.kind === "kink")) {
    test(label(c), () => {
      const f = ACT[c.fn]!;
      const x = decode(c.x);
      const g = (y: Array) => f(y, ...c.args);
      const t = tol(c.x.dtype, 4);
      // Reverse mode, forward mode, and the second derivative.
      expectMatches(vmap(grad(g))(x), c.grad, { ...t, label: "grad" });
      const [, tangent] = jvp(g, [x], [jnp.onesLike(x)]);
      expectMatches(tangent as Array, c.grad, { ...t, label: "jvp" });
      expectMatches(vmap(grad(grad(g)))(x), c.grad2, { ...t, label: "second derivative" });
    });
  }
  test("relu'(0) = 0 and relu6'(6) = 0 (custom JVPs), not the 1/2 of a max tie", () => {
    const x = array([0, 6], { dtype: "float32" });
    expect(vmap(grad(nn.relu))(x).tolist()).toEqual([0, 1]);
    expect(vmap(grad(nn.relu6))(x).tolist()).toEqual([0, 0]);
    expect(vmap(grad((y: Array) => jnp.maximum(y, 0)))(x).tolist()).toEqual([0.5, 1]);
  });
});

describe("glu vs JAX", () => {
  for (const c of cases.filter((c) => c.kind === "glu")) {
    test(`${c.x.dtype} axis ${c.axis}`, () => {
      const x = decode(c.x);
      const t = tol(c.x.dtype, 4);
      expectMatches(nn.glu(x, c.axis), c.out, t);
      expectMatches(nn.glu(x, { axis: c.axis }), c.out, t);
      const cot = decode(c.cot);
      expectMatches(grad((y: Array) => jnp.sum(jnp.multiply(nn.glu(y, c.axis), cot)))(x), c.grad, { ...t, label: "grad" });
    });
  }
});

type Reducer = (x: Array, kw: any) => Array | [Array, Array];
const REDUCERS: Record<string, Reducer> = {
  softmax: (x, kw) => nn.softmax(x, kw),
  logSoftmax: (x, kw) => nn.logSoftmax(x, kw),
  logsumexp: (x, kw) => nn.logsumexp(x, kw),
  logmeanexp: (x, kw) => nn.logmeanexp(x, kw),
  standardize: (x, kw) => nn.standardize(x, kw),
};

describe("softmax, log_softmax, logsumexp, logmeanexp, standardize vs JAX", () => {
  for (const c of cases.filter((c) => c.kind in REDUCERS)) {
    test(label(c), () => {
      const f = REDUCERS[c.kind]!;
      const x = decode(c.x);
      const kw = decodeKw(c.kw);
      const t = tol(c.x.dtype, 8);
      const out = f(x, kw);
      if (globalThis.Array.isArray(c.out)) {
        expect(globalThis.Array.isArray(out)).toBe(true);
        (c.out as EncodedArray[]).forEach((e, i) => expectMatches((out as Array[])[i]!, e, { ...t, label: `output ${i}` }));
        return;
      }
      expectMatches(out as Array, c.out, t);
      if (c.grad) {
        const cot = decode(c.cot);
        const g = grad((y: Array) => jnp.sum(jnp.multiply(f(y, kw) as Array, cot)))(x);
        expectMatches(g, c.grad, { ...tol(c.x.dtype, 20), label: "grad" });
      }
    });
  }

  test("positional axis matches the options form", () => {
    const x = randArray([3, 4], rng(3));
    expect(nn.softmax(x, 0).tolist()).toEqual(nn.softmax(x, { axis: 0 }).tolist());
    expect(nn.logsumexp(x, 1, { keepdims: true }).tolist()).toEqual(nn.logsumexp(x, { axis: 1, keepdims: true }).tolist());
    expect(nn.standardize(x, 0).tolist()).toEqual(nn.standardize(x, { axis: 0 }).tolist());
    expect(nn.gelu(x, { approximate: false }).tolist()).toEqual(nn.gelu(x, false).tolist());
    expect(nn.gelu(x, {}).tolist()).toEqual(nn.gelu(x).tolist());
  });

  test("softmax at ±1e4 is finite and sums to 1 (stable)", () => {
    const x = array([[1e4, -1e4, 1e4], [-1e4, -1e4, -1e4]], { dtype: "float32" });
    const s = nn.softmax(x).tolist() as number[][];
    expect(s).toEqual([
      [0.5, 0, 0.5],
      [1 / 3, 1 / 3, 1 / 3].map((v) => Math.fround(v)),
    ]);
    expect(nn.logsumexp(x, 1).tolist()).toEqual([1e4 + Math.fround(Math.log(2)), -1e4 + Math.fround(Math.log(3))].map(Math.fround));
    expect(nn.softplus(array([1e4, -1e4], { dtype: "float32" })).tolist()).toEqual([1e4, 0]);
  });
});

describe("one_hot vs JAX", () => {
  for (const c of cases.filter((c) => c.kind === "oneHot")) {
    test(`${c.x.dtype}[${c.x.shape}] n=${c.numClasses} ${JSON.stringify(c.kw)}`, () => {
      expectMatches(nn.oneHot(decode(c.x), c.numClasses, c.kw), c.out);
    });
  }
});

describe("dot_product_attention vs JAX", () => {
  const attn = cases.filter((c) => c.kind === "attention");
  for (const c of attn) {
    const desc = `${c.q.dtype} q[${c.q.shape}] k[${c.k.shape}] bias ${c.bias ? `[${c.bias.shape}]` : "-"} mask ${c.mask ? `[${c.mask.shape}]` : "-"} ${JSON.stringify(
      Object.fromEntries(Object.entries(c.kw).map(([k, v]) => [k, v !== null && typeof v === "object" && "data" in (v as object) ? (v as EncodedArray).data : v])),
    )}`;
    test(desc, () => {
      const [q, k, v] = [decode(c.q), decode(c.k), decode(c.v)];
      const bias = c.bias ? decode(c.bias) : null;
      const mask = c.mask ? decode(c.mask) : null;
      const kw = decodeKw(c.kw);
      // Softmax runs in float32 even for float64 inputs (as JAX).
      const t = c.q.dtype === "float64" ? { rtol: 2e-6, atol: 2e-6 } : c.q.dtype === "float16" ? { rtol: 5e-3, atol: 5e-3 } : { rtol: 2e-5, atol: 2e-6 };
      const out = nn.dotProductAttention(q, k, v, bias, mask, kw as jnp.nn.DotProductAttentionOptions);
      if (globalThis.Array.isArray(c.out)) {
        expectMatches((out as Array[])[0]!, c.out[0], { ...t, label: "encoded" });
        expectMatches((out as Array[])[1]!, c.out[1], { ...t, label: "residual" });
      } else {
        expectMatches(out as Array, c.out, t);
        // The options-object form (bias and mask among the options).
        const out2 = nn.dotProductAttention(q, k, v, { ...kw, bias, mask });
        expectMatches(out2 as Array, c.out, t);
      }
      if (c.grad) {
        const cot = decode(c.cot);
        const gs = grad((a: Array, b: Array, d: Array) => jnp.sum(jnp.multiply(nn.dotProductAttention(a, b, d, bias, mask, kw), cot)), {
          argnums: [0, 1, 2],
        })(q, k, v) as Array[];
        const gt = c.q.dtype === "float64" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-4, atol: 2e-5 };
        gs.forEach((g, i) => expectMatches(g, c.grad[i], { ...gt, label: `grad ${"qkv"[i]}` }));
      }
    });
  }
});

// ---------------------------------------------------------------------------
// Finite-difference gradient checks (float64, away from kinks)

const KINK_POINTS = [-3, -1, 0, 1, 3, 6];
/** Random float64 values in [lo, hi) kept at least 0.05 from every kink. */
function smoothInput(shape: number[], seed: number, lo = -5, hi = 7): Array {
  const x = randArray(shape, rng(seed), lo, hi);
  const d = Float64Array.from(x.dataSync(), (v) => {
    for (const k of KINK_POINTS) if (Math.abs(v - k) < 0.05) return k + 0.05 * Math.sign(v - k || 1);
    return v;
  });
  return jnp.array(d).reshape(shape);
}

describe("checkGrads (order 2, float64) for every differentiable activation", () => {
  const variants: [string, unknown[]][] = Object.keys(ACT).map((k) => [k, []]);
  variants.push(["elu", [0.5]], ["celu", [2.0]], ["leakyRelu", [0.2]], ["squareplus", [1.0]], ["gelu", [false]]);
  for (const [name, args] of variants) {
    test(`${name}${args.length ? JSON.stringify(args) : ""}`, () => {
      const x = name === "log1mexp" ? randArray([2, 4], rng(5), 0.1, 4) : smoothInput([2, 4], 5);
      checkGrads((y: Array) => ACT[name]!(y, ...args), [x], 2, { rtol: 1e-5, atol: 1e-6 });
    });
  }
  test("elu/celu/leaky_relu/squareplus are differentiable in their parameter too", () => {
    const x = smoothInput([5], 8);
    checkGrads((y: Array, a: Array) => nn.elu(y, a), [x, jnp.array(0.7, { dtype: "float64" })], 2);
    checkGrads((y: Array, a: Array) => nn.celu(y, a), [x, jnp.array(1.3, { dtype: "float64" })], 2);
    checkGrads((y: Array, a: Array) => nn.leakyRelu(y, a), [x, jnp.array(0.1, { dtype: "float64" })], 2);
    checkGrads((y: Array, b: Array) => nn.squareplus(y, b), [x, jnp.array(2.0, { dtype: "float64" })], 2);
  });
  test("glu", () => checkGrads((y: Array) => nn.glu(y, 0), [smoothInput([4, 3], 9)], 2));
});

describe("checkGrads for softmax, logsumexp, standardize and attention", () => {
  const x = randArray([3, 4], rng(21), -3, 3);
  const mask = jnp.array([
    [true, false, true, true],
    [true, true, true, true],
    [false, true, true, false],
  ]);
  const b = randArray([3, 4], rng(22), 0.5, 2);
  test("softmax / log_softmax (axis, tuple axis, where)", () => {
    checkGrads((y: Array) => nn.softmax(y), [x], 2);
    checkGrads((y: Array) => nn.softmax(y, [0, 1]), [x], 2);
    checkGrads((y: Array) => nn.softmax(y, { axis: 0, where: mask }), [x], 2);
    checkGrads((y: Array) => nn.logSoftmax(y, 0), [x], 2);
    // Masked entries are -inf; compare the others (check.ts does not match infinities).
    checkGrads((y: Array) => jnp.where(mask, nn.logSoftmax(y, { where: mask }), 0), [x], 2);
  });
  test("logsumexp (b, where, keepdims) and logmeanexp", () => {
    checkGrads((y: Array) => nn.logsumexp(y), [x], 2);
    checkGrads((y: Array, w: Array) => nn.logsumexp(y, { axis: 1, b: w }), [x, b], 2);
    checkGrads((y: Array) => nn.logsumexp(y, { axis: 0, where: mask, keepdims: true }), [x], 2);
    checkGrads((y: Array) => nn.logsumexp(y, 1, { returnSign: true, b: jnp.negative(b) })[0], [x], 2);
    checkGrads((y: Array) => nn.logmeanexp(y, 1), [x], 2);
  });
  test("standardize (fast and stable; given mean and variance)", () => {
    checkGrads((y: Array) => nn.standardize(y), [x], 2);
    checkGrads((y: Array) => nn.standardize(y, { axis: 0, algorithm: "stable", where: mask }), [x], 2);
    const m = randArray([3, 1], rng(23));
    const v = randArray([3, 1], rng(24), 0.5, 2);
    checkGrads((y: Array, mm: Array, vv: Array) => nn.standardize(y, { mean: mm, variance: vv }), [x, m, v], 2);
  });
  // The softmax runs in float32 even for float64 inputs (as in JAX), so the
  // finite differences carry float32 rounding: a larger step and tolerance.
  test("dot_product_attention (grouped, causal, bias, sequence lengths)", () => {
    const q = randArray([1, 3, 4, 2], rng(31));
    const k = randArray([1, 4, 2, 2], rng(32));
    const v = randArray([1, 4, 2, 2], rng(33));
    const bias = randArray([1, 4, 3, 4], rng(34));
    checkGrads((a: Array, bb: Array, c: Array) => nn.dotProductAttention(a, bb, c, null, null, { isCausal: true }), [q, k, v], 1, {
      rtol: 2e-3,
      atol: 1e-4,
      eps: 3e-3,
    });
    checkGrads(
      (a: Array, bb: Array, c: Array, d: Array) =>
        nn.dotProductAttention(a, bb, c, d, null, { keyValueSeqLengths: jnp.array([3], { dtype: "int32" }) }),
      [q, k, v, bias],
      1,
      { rtol: 2e-3, atol: 1e-4, eps: 3e-3 },
    );
  });
});

// ---------------------------------------------------------------------------
// vmap and jit

describe("vmap (vs a loop) and jit (vs eager)", () => {
  const xs = smoothInput([3, 2, 4], 41);
  test("every activation under vmap and jit", () => {
    for (const [name, f] of Object.entries(ACT)) {
      const x = name === "log1mexp" ? randArray([3, 2, 4], rng(42), 0.1, 4) : xs;
      checkVmap((y: Array) => f(y), [x]);
      checkVmap((y: Array) => f(y), [x], { inAxes: [2] });
      checkJit((y: Array) => f(y), [x]);
    }
    checkVmap((y: Array) => nn.glu(y, -1), [xs]);
  });
  test("softmax family, standardize and one_hot under vmap", () => {
    const mask = jnp.greater(randArray([3, 2, 4], rng(43)), -0.5);
    checkVmap((y: Array) => nn.softmax(y, 0), [xs]);
    checkVmap((y: Array, m: Array) => nn.softmax(y, { where: m }), [xs, mask]);
    checkVmap((y: Array, m: Array) => jnp.where(m, nn.logSoftmax(y, { axis: 0, where: m }), 0), [xs, mask]);
    const finite = (r: Array) => jnp.where(jnp.isfinite(r), r, 0); // fully masked rows give -inf
    checkVmap((y: Array, m: Array) => finite(nn.logsumexp(y, { axis: 0, where: m })), [xs, mask]);
    checkVmap((y: Array, w: Array) => nn.logsumexp(y, { b: w, returnSign: true })[0], [xs, jnp.subtract(mask.astype("float64"), 0.3)]);
    checkVmap((y: Array) => nn.standardize(y, 0), [xs], { inAxes: [1] });
    checkVmap((i: Array) => nn.oneHot(i, 5, { axis: 0 }), [jnp.array([[0, 4], [2, -1], [7, 3]], { dtype: "int32" })]);
    checkJit((y: Array) => nn.logsumexp(y, 1), [xs]);
    checkJit((y: Array) => nn.softmax(y), [xs]);
  });
  test("dot_product_attention under vmap (an extra batch axis) and jit", () => {
    const q = randArray([3, 2, 3, 4, 2], rng(51));
    const k = randArray([3, 2, 5, 2, 2], rng(52));
    const v = randArray([3, 2, 5, 2, 2], rng(53));
    const f = (a: Array, b: Array, c: Array) => nn.dotProductAttention(a, b, c, null, null, { isCausal: true });
    checkVmap(f, [q, k, v], { tol: { rtol: 1e-6, atol: 1e-7 } });
    checkVmap((a: Array, b: Array, c: Array) => nn.dotProductAttention(a, b, c), [q, k, v], { inAxes: [0, 0, 0] });
    const lens = jnp.array([[5, 2], [1, 3], [4, 4]], { dtype: "int32" });
    checkVmap(
      (a: Array, b: Array, c: Array, l: Array) => nn.dotProductAttention(a, b, c, null, null, { keyValueSeqLengths: l, querySeqLengths: l }),
      [q, k, v, lens],
    );
    checkJit((a: Array, b: Array, c: Array) => nn.dotProductAttention(a.get(0), b.get(0), c.get(0), { isCausal: true }), [q, k, v]);
  });
});

// ---------------------------------------------------------------------------
// dtype rules and errors

describe("dtype rules", () => {
  test("float16 and integer inputs follow jnp promotion", () => {
    expect(nn.relu(array([-1, 2], { dtype: "int32" })).dtype.name).toBe("int32");
    expect(nn.gelu(array([-1, 2], { dtype: "int32" })).dtype.name).toBe("float32");
    expect(nn.softplus(array([1], { dtype: "float16" })).dtype.name).toBe("float16");
    expect(nn.oneHot(array([1, 2], { dtype: "int32" }), 3).dtype.name).toBe("float32");
    expect(nn.logsumexp(array([1, 2], { dtype: "int32" })).dtype.name).toBe("float32");
  });
  test("dot_product_attention computes float16 logits in float32 and returns float16", () => {
    const q = randArray([1, 2, 2, 3], rng(61), -1, 1, "float16");
    expect(nn.dotProductAttention(q, q, q).dtype.name).toBe("float16");
  });
});

describe("errors name the function and the offending shapes/dtypes", () => {
  const f32 = (shape: number[]) => jnp.zeros(shape, "float32");
  const cases: [string, () => unknown, RegExp][] = [
    ["glu odd axis", () => nn.glu(f32([2, 3])), /\[glu\] axis size must be divisible by 2, got f32\[2,3\]/],
    ["glu scalar", () => nn.glu(f32([])), /\[glu\] requires an array of rank >= 1/],
    ["sigmoid int", () => nn.sigmoid(array([1], { dtype: "int32" })), /\[sigmoid\] requires a floating-point input, got i32\[1\]/],
    ["gelu approximate", () => nn.gelu(f32([1]), "yes" as unknown as boolean), /\[gelu\] approximate must be a boolean/],
    ["relu non-array", () => nn.relu([1, 2] as unknown as ArrayInput), /\[relu\] argument must be an Array/],
    ["softmax axis", () => nn.softmax(f32([2, 3]), 2), /\[softmax\] axis 2 is out of bounds for an array of rank 2/],
    ["log_softmax where dtype", () => nn.logSoftmax(f32([2, 3]), { where: f32([2, 3]) }), /\[log_softmax\] where must be a boolean array, got f32\[2,3\]/],
    ["softmax where shape", () => nn.softmax(f32([2, 3]), { where: jnp.ones([2], "bool") }), /\[softmax\] where bool\[2\] does not broadcast to the input f32\[2,3\]/],
    ["logsumexp axis", () => nn.logsumexp(f32([2, 3]), [0, 0]), /\[logsumexp\] duplicate value in axis/],
    ["logsumexp b shape", () => nn.logsumexp(f32([2, 3]), { b: f32([4]) }), /logsumexp/],
    ["standardize algorithm", () => nn.standardize(f32([2, 3]), { algorithm: "exact" as "fast" }), /\[standardize\] Unknown algorithm 'exact'/],
    ["one_hot num_classes", () => nn.oneHot(array([1], { dtype: "int32" }), -1), /\[one_hot\] num_classes must be a non-negative integer, got -1/],
    ["one_hot axis", () => nn.oneHot(array([1], { dtype: "int32" }), 3, { axis: 2 }), /\[one_hot\] axis 2 is out of bounds for an array of rank 2/],
    ["one_hot bool", () => nn.oneHot(array([true]), 3), /\[one_hot\] indices must be integers, got bool\[1\]/],
  ];
  const q = f32([2, 3, 4, 5]);
  const k = f32([2, 6, 2, 5]);
  cases.push(
    ["attention value shape", () => nn.dotProductAttention(q, k, f32([2, 6, 2, 4])), /\[dot_product_attention\] value shape should be \[2, 6, 2, 5\]: but got \(2, 6, 2, 4\)/],
    ["attention query head dim", () => nn.dotProductAttention(f32([2, 3, 4, 6]), k, k), /\[dot_product_attention\] query shape should be \[2, -1, -1, 5\]/],
    ["attention dtype", () => nn.dotProductAttention(q, k, jnp.zeros([2, 6, 2, 5], "float64")), /\[dot_product_attention\] value dtype should be float32, but got float64/],
    ["attention heads", () => nn.dotProductAttention(f32([2, 3, 3, 5]), k, k), /The number of query heads must be a multiple of key\/value heads, but got 3 vs 2/],
    ["attention mask dtype", () => nn.dotProductAttention(q, k, k, null, f32([1, 1, 3, 6])), /\[dot_product_attention\] mask dtype should be bool, but got float32/],
    ["attention mask rank", () => nn.dotProductAttention(q, k, k, null, jnp.ones([1, 1, 1, 3, 6], "bool")), /\[dot_product_attention\] mask ndim should be 4, but got 5/],
    ["attention bias heads", () => nn.dotProductAttention(q, k, k, f32([1, 3, 3, 6])), /\[dot_product_attention\] bias f32\[1,3,3,6\] must have 1 or N = 4 heads/],
    ["attention bias shape", () => nn.dotProductAttention(q, k, k, f32([1, 1, 2, 6])), /\[dot_product_attention\] bias .* is not broadcastable to \[B, N, T, S\] = \[2, 4, 3, 6\]/],
    ["attention seq lengths", () => nn.dotProductAttention(q, k, k, null, null, { querySeqLengths: f32([2]) }), /query_seq_lengths dtype should be int32/],
    ["attention seq lengths shape", () => nn.dotProductAttention(q, k, k, null, null, { keyValueSeqLengths: jnp.zeros([3], "int32") }), /key_value_seq_lengths shape should be \[2\]: but got \(3,\)/],
    ["attention cudnn", () => nn.dotProductAttention(q, k, k, null, null, { implementation: "cudnn" }), /implementation "cudnn" is not available/],
    ["attention window", () => nn.dotProductAttention(q, k, k, null, null, { localWindowSize: 1.5 }), /local_window_size must be an integer or a pair of integers/],
  );
  for (const [name, fn, re] of cases) test(name, () => expect(fn).toThrow(re));
});
