// jax.nn.initializers conformance: every initializer against values JAX 0.10.2
// computed for the same seeds (tools/goldens/gen_numpy_nn.py; core's random
// gives JAX's bits, so the samples agree to rounding), distribution checks
// (orthogonality, truncation, variance), vmap over keys, jit, and errors.
import { describe, expect, test } from "vitest";
import { Array, jit, random, vmap } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { expectMatches, loadGolden, type EncodedArray } from "../../core/test/golden.js";
import { checkJit, checkVmap } from "../../core/test/check.js";

const { initializers } = jnp.nn;
type Init = jnp.nn.initializers.Initializer;

interface InitCase {
  builder: string;
  bargs: unknown[] | null;
  seed: number;
  shape: number[];
  dtype: string | null;
  out: EncodedArray;
}

function build(c: Pick<InitCase, "builder" | "bargs">): Init {
  const b = (initializers as Record<string, unknown>)[c.builder];
  if (c.bargs === null) return b as Init;
  return (b as (...a: unknown[]) => Init)(...c.bargs);
}

const cases = loadGolden<InitCase>("nn_initializers", import.meta.url);

describe("initializers vs JAX (same seeds)", () => {
  test("fixture covers every initializer", () => {
    const names = Object.keys(initializers).filter((k) => k !== "computeFans");
    expect(new Set(cases.map((c) => c.builder))).toEqual(new Set(names));
  });
  for (const c of cases) {
    test(`${c.builder}(${JSON.stringify(c.bargs ?? "")}) seed ${c.seed} [${c.shape}] ${c.dtype}`, () => {
      const out = build(c)(random.key(c.seed), c.shape, c.dtype ?? undefined); // null in the fixture: use the builder's dtype
      // Uniform samples are exact; normal samples go through erf_inv (and
      // orthogonal through a QR), computed by different kernels than XLA's.
      const tol = c.out.dtype === "float64" ? { rtol: 1e-12, atol: 1e-13 } : { rtol: 2e-6, atol: 1e-6 };
      expectMatches(out, c.out, tol);
    });
  }
});

const key = random.key(42);

describe("distribution properties", () => {
  test("truncatedNormal stays within (lower, upper) · stddev; varianceScaling truncated_normal within ±2σ", () => {
    const x = [...initializers.truncatedNormal(0.5, { lower: -1, upper: 0.5 })(key, [4000]).dataSync()];
    expect(Math.min(...x)).toBeGreaterThan(-0.5);
    expect(Math.max(...x)).toBeLessThan(0.25);
    const shape = [50, 80];
    const w = [...initializers.heNormal()(key, shape).dataSync()];
    const sigma = Math.sqrt(2 / 50) / 0.87962566103423978;
    expect(Math.max(...w.map(Math.abs))).toBeLessThan(2 * sigma);
    // Variance after truncation equals scale / fan_in.
    const v = w.reduce((s, e) => s + e * e, 0) / w.length;
    expect(Math.abs(v - 2 / 50) / (2 / 50)).toBeLessThan(0.05);
  });

  test("varianceScaling uniform: bounded by sqrt(3 · scale / fan) with that variance", () => {
    const init = initializers.varianceScaling(1.0, "fan_avg", "uniform");
    const w = [...init(key, [60, 40]).dataSync()];
    const limit = Math.sqrt(3 / 50);
    expect(Math.max(...w.map(Math.abs))).toBeLessThan(limit);
    const v = w.reduce((s, e) => s + e * e, 0) / w.length;
    expect(Math.abs(v - 1 / 50) * 50).toBeLessThan(0.05);
  });

  test("orthogonal: orthonormal columns (tall), rows (wide), along columnAxis", () => {
    const gram = (m: Array) => m.T.matmul(m);
    const near = (a: Array, b: Array) => expect(jnp.max(jnp.abs(jnp.subtract(a, b))).item()).toBeLessThan(1e-5);
    near(gram(initializers.orthogonal()(key, [6, 4])), jnp.eye(4));
    near(gram(initializers.orthogonal()(key, [3, 7]).T), jnp.eye(3));
    const q = initializers.orthogonal(2.0, { columnAxis: 0 })(key, [4, 3, 5]); // 4 columns of length 15
    near(gram(jnp.reshape(jnp.moveaxis(q, 0, -1), [15, 4])), jnp.multiply(jnp.eye(4), 4));
    expect(initializers.orthogonal()(key, [0, 3]).shape).toEqual([0, 3]);
  });

  test("deltaOrthogonal: zero except an orthogonal center tap", () => {
    const w = initializers.deltaOrthogonal()(key, [3, 3, 4, 4]);
    const center = w.get(1, 1);
    expect(jnp.max(jnp.abs(jnp.subtract(center.T.matmul(center), jnp.eye(4)))).item()).toBeLessThan(1e-5);
    expect(jnp.sum(jnp.abs(w)).item()).toBeCloseTo(jnp.sum(jnp.abs(center)).item() as number, 4);
  });

  test("aliases are the same builders; dtypes default to float32 and follow the builder's dtype", () => {
    expect(initializers.xavierUniform).toBe(initializers.glorotUniform);
    expect(initializers.kaimingNormal).toBe(initializers.heNormal);
    expect(initializers.normal()(key, [2]).dtype.name).toBe("float32");
    expect(initializers.zeros(key, [2], "int32").tolist()).toEqual([0, 0]);
    expect(initializers.constant(jnp.array([1, 2, 3]))(key, [2, 3]).tolist()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(initializers.uniform(1, "float64")(key, [2]).dtype.name).toBe("float64");
    expect(initializers.lecunNormal({ dtype: "float64" })(key, [2, 2], "float32").dtype.name).toBe("float32");
  });

  test("computeFans follows JAX's _compute_fans", () => {
    expect(initializers.computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(initializers.computeFans([5, 7, 2], 0, [1, 2])).toEqual([5, 14]);
    expect(initializers.computeFans([4, 5, 6, 7], 1, 2, 0)).toEqual([35, 42]);
  });
});

describe("vmap over keys and jit", () => {
  const keys = random.split(key, 3);
  const builders: [string, Init][] = [
    ["normal", initializers.normal(0.3)],
    ["uniform", initializers.uniform(2)],
    ["truncatedNormal", initializers.truncatedNormal(1.0)],
    ["glorotUniform", initializers.glorotUniform()],
    ["heNormal", initializers.heNormal()],
    ["lecunNormal", initializers.lecunNormal()],
    ["orthogonal", initializers.orthogonal()],
  ];
  for (const [name, init] of builders) {
    test(name, () => {
      checkVmap((k: Array) => init(k, [3, 4]), [keys], { tol: { rtol: 1e-6, atol: 1e-6 } });
      checkJit((k: Array) => init(k, [3, 4]), [keys.get(0)]);
    });
  }
  test("jit of an initializer with a static shape", () => {
    const init = initializers.varianceScaling(0.5, "fan_out", "normal");
    const f = jit((k: Array) => init(k, [4, 5]));
    expect(f(key).tolist()).toEqual(init(key, [4, 5]).tolist());
    expect(vmap((k: Array) => init(k, [2, 2]))(keys).shape).toEqual([3, 2, 2]);
  });
});

describe("errors name the initializer", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["mode", () => initializers.varianceScaling(1, "fan_x" as "fan_in", "normal"), /\[nn.initializers.varianceScaling\] invalid mode for variance scaling initializer: fan_x/],
    [
      "distribution",
      () => initializers.varianceScaling(1, "fan_in", "cauchy" as "normal"),
      /\[nn.initializers.varianceScaling\] invalid distribution for variance scaling initializer: cauchy/,
    ],
    ["1-D default in_axis", () => initializers.glorotNormal()(key, [5]), /Can't compute input and output sizes of a 1-dimensional weights tensor with default in_axis/],
    ["axis out of range", () => initializers.heUniform({ inAxis: 0, outAxis: 3 })(key, [2, 3]), /\[nn.initializers.varianceScaling\] out_axis 3 is out of range for a shape of rank 2/],
    ["int dtype", () => initializers.normal()(key, [2], "int32"), /\[nn.initializers.normal\] dtype must be a floating-point dtype, got int32/],
    ["bad shape", () => initializers.uniform()(key, [2, -1]), /\[nn.initializers.uniform\] shape must be a list of non-negative integers, got \[2,-1\]/],
    ["bad key", () => initializers.normal()(null as unknown as Array, [2]), /\[nn.initializers.normal\] key must be a PRNG key/],
    ["orthogonal 1-D", () => initializers.orthogonal()(key, [4]), /\[nn.initializers.orthogonal\] orthogonal initializer requires at least a 2D shape/],
    ["orthogonal column axis", () => initializers.orthogonal(1, 2)(key, [3, 4]), /column_axis 2 is out of range/],
    ["deltaOrthogonal rank", () => initializers.deltaOrthogonal()(key, [3, 4]), /requires a 3D, 4D or 5D shape, got \(3, 4\)/],
    ["deltaOrthogonal fans", () => initializers.deltaOrthogonal()(key, [3, 5, 4]), /`fan_in` must be less or equal than `fan_out`/],
    ["constant shape", () => initializers.constant(jnp.array([1, 2]))(key, [2, 3]), /\[nn.initializers.constant\] value f32\[2\] does not broadcast to shape \(2, 3\)/],
  ];
  for (const [name, fn, re] of cases) test(name, () => expect(fn).toThrow(re));
});
