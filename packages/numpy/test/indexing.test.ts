import { describe, expect, test } from "vitest";
import {
  Array,
  NonConcreteBooleanIndexError,
  array as coreArray,
  float32,
  grad,
  int8,
  int32,
  jit,
  makeJaxpr,
  scalar,
  uint8,
  vmap,
} from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { loadGolden } from "../../core/test/golden.js";
import { byName, runGoldenCases, type Runner } from "./shape_cases.js";

const OPS = ["set", "add", "subtract", "multiply", "divide", "power", "min", "max"] as const;
const atRunners: Record<string, Runner> = {
  get: ([x, ...idx]) => (x as Array).get(...idx),
  "at.get": ([x, ...idx], kw) => (x as Array).at(...idx).get(kw),
  "at.apply.square": ([x, ...idx], kw) => (x as Array).at(...idx).apply((v) => v.mul(v), kw),
  "at.apply.neg": ([x, ...idx], kw) => (x as Array).at(...idx).apply((v) => v.neg(), kw),
  "maskIndices.triu": ([n, k]) => jnp.maskIndices(n, (a, kk) => jnp.triu(a, kk), k),
};
for (const op of OPS) {
  atRunners[`at.${op}`] = (args, kw) => {
    const [x, ...rest] = args as [Array, ...any[]];
    const val = rest.pop();
    return x.at(...rest)[op](val, kw);
  };
}

describe("indexing goldens (NumPy values; JAX's out-of-bounds, update and size= semantics)", () => {
  runGoldenCases("indexing", import.meta.url, atRunners, byName(jnp as unknown as Record<string, unknown>));
});

// The programs of gen_numpy_shape.py's PROGRAMS table, in the same order of arguments.
const f34 = jnp.zeros([3, 4]);
const f5 = jnp.zeros([5]);
const i2 = jnp.zeros([2], "int32");
const PROGRAMS: Record<string, [(...a: Array[]) => Array, Array[]]> = {
  get_int: [(x) => x.get(1), [f34]],
  get_slice_rev: [(x) => x.get("1:3, ::-1"), [f34]],
  get_col: [(x) => x.get(":, 0"), [f34]],
  get_newaxis: [(x) => x.get("...", null), [f34]],
  get_strided: [(x) => x.get({ step: 2 }, { start: 1 }), [f34]],
  get_neg_ints: [(x) => x.get(-1, -2), [f34]],
  get_oob_static: [(x) => x.get(10), [f34]],
  get_oob_static_1d: [(x) => x.get(10), [f5]],
  get_traced: [(x, i) => x.get(i!), [f34, scalar(1, int32, false)]],
  get_traced_weak: [(x, i) => x.get(i!), [f5, scalar(2)]],
  get_traced_i8: [(x, i) => x.get(i!), [f5, scalar(2, int8, false)]],
  get_traced_slice: [(x, i) => x.get(i!, "1:3"), [f34, scalar(2, int8, false)]],
  get_traced_rev: [(x, i) => x.get(i!, "::-1"), [f34, scalar(2, uint8, false)]],
  get_array: [(x, i) => x.get(i!), [f34, i2]],
  get_two_arrays: [(x, i, j) => x.get(i!, j!), [f34, i2, i2]],
  get_col_array: [(x, i) => x.get(":", i!), [f34, i2]],
  get_int_none_array: [(x, i) => x.get(1, null, i!), [f34, i2]],
  get_strided_array: [(x, i) => x.get("::2", i!), [f34, i2]],
  at_set_int: [(x) => x.at(1).set(5.0), [f34]],
  at_add_array: [(x, i) => x.at(i!).add(1.0), [f34, i2]],
  at_mul_slice_int: [(x) => x.at("1:", 2).multiply(2.0), [f34]],
  at_get_fill: [(x, i) => x.at(i!).get({ mode: "fill", fillValue: -1.5 }), [f5, jnp.zeros([3], "int32")]],
  at_set_traced: [(x, i, v) => x.at(i!).set(v!), [f5, scalar(0, int32, false), scalar(1, float32, false)]],
  at_min_clip: [(x, i, v) => x.at(i!).min(v!, { mode: "clip" }), [f34, jnp.zeros([2, 1], "int32"), jnp.zeros([2, 1, 4])]],
};

describe("indexing under makeJaxpr prints JAX's Jaxpr (slices for static indices, dynamic_slice, gather, scatter)", () => {
  const cases = loadGolden<{ name: string; jaxpr: string }>("indexing_jaxpr", import.meta.url);
  test("every JAX program has a TypeScript twin", () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(PROGRAMS).sort());
  });
  for (const c of cases) {
    test(c.name, () => {
      const [f, args] = PROGRAMS[c.name]!;
      expect(makeJaxpr(f)(...args).toString()).toBe(c.jaxpr);
    });
  }
});

describe("indexing: forms and semantics", () => {
  const x = coreArray([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
  test("string, slice-object and numeric forms agree", () => {
    expect(x.get("1:3, ::-1").tolist()).toEqual(x.get({ start: 1, stop: 3 }, { step: -1 }).tolist());
    expect(x.get(":, 0").tolist()).toEqual(x.get({}, 0).tolist());
    expect(x.get("-1,").tolist()).toEqual(x.get(-1).tolist());
    expect(x.get(jnp.newaxis, "...", 1).shape).toEqual([1, 3]);
  });
  test("updates return new arrays and leave the original alone", () => {
    const y = x.at(0, 0).set(100);
    expect(y.get(0, 0).item()).toBe(100);
    expect(x.get(0, 0).item()).toBe(0);
  });
  test("boolean masks under grad are concrete (JVP tracers carry values)", () => {
    const g = grad((v: Array) => v.get(v.gt(0)).sum())(coreArray([-1, 2, 3], { dtype: "float32" }));
    expect(g.tolist()).toEqual([0, 1, 1]);
  });
  test("a traced mask raises NonConcreteBooleanIndexError naming the mask", () => {
    const f = jit((v: Array) => v.get(v.gt(0)));
    expect(() => f(coreArray([1, 2]))).toThrow(NonConcreteBooleanIndexError);
    expect(() => f(coreArray([1, 2]))).toThrow(/boolean indices must be concrete; got the traced mask bool\[2\]/);
    expect(() => vmap((v: Array) => v.get(v.gt(0)))(coreArray([[1, 2]]))).toThrow(NonConcreteBooleanIndexError);
  });
  test("nonzero with a static size works under jit", () => {
    const f = jit((v: Array) => jnp.nonzero(v, { size: 3, fillValue: -1 })[0]!);
    expect(f(coreArray([0, 5, 0, 7])).tolist()).toEqual([1, 3, -1]);
    expect(() => jit((v: Array) => jnp.nonzero(v)[0]!)(coreArray([0, 1]))).toThrow(/\[nonzero\] the input \(without `size`\) must be concrete/);
  });
  test("apply with a traced index under jit (while loop over the hit counts)", () => {
    const f = jit((i: Array) => x.astype("float32").at(i).apply((v) => v.add(1)));
    expect(f(coreArray([0, 0, 2])).get(":", 0).tolist()).toEqual([2, 4, 9]);
  });
});

describe("indexing: errors", () => {
  const x = jnp.zeros([3, 4]);
  test.each([
    ["too many", () => x.get(0, 1, 2), /\[get\] too many indices: array is 2-dimensional \(shape \(3, 4\)\), but 3 were indexed/],
    ["two ellipses", () => x.get("...", "..."), /\[get\] an index can only have a single ellipsis/],
    ["float index", () => x.get(1.5), /\[get\] indexer must have integer or boolean type, got the number 1.5/],
    ["float array", () => x.get(jnp.zeros([2])), /\[get\] indexer must have integer or boolean type, got indexer with type float32 \(f32\[2\]\)/],
    ["bad string", () => x.get("1:a"), /\[get\] cannot parse "1:a" in the index string "1:a"/],
    ["step zero", () => x.get({ step: 0 }), /\[get\] slice step cannot be zero/],
    ["slice entry", () => x.get({ start: 0.5 }), /\[get\] slice start must be a static integer or null, got 0.5/],
    ["object", () => x.get({ begin: 1 } as never), /\[get\] only integers, slices .* are valid indices/],
    ["undefined", () => x.get(undefined as never), /\[get\] only integers, slices/],
    ["mask shape", () => x.get([true, false]), /\[get\] boolean index did not match shape of indexed array in index 0: got \(2\), expected \(3\)/],
    ["empty axis", () => jnp.zeros([0, 2]).at(0).get({ mode: "fill" }), /\[at.get\] index is out of bounds for axis 0 with size 0/],
    ["broadcast indices", () => x.get([0, 1], [0, 1, 2]), /\[get\] shapes \(2\), \(3\) cannot be broadcast together/],
    ["update shape", () => x.at(0).set(jnp.zeros([3])), /\[at.set\] cannot broadcast the update values f32\[3\] to the shape \(4\) of the indexed f32\[3,4\]/],
    ["update value", () => x.at(0).set("a" as never), /\[at.set\] update values must be an Array/],
    ["fill value", () => x.at([0]).get({ mode: "fill", fillValue: "a" as never }), /\[at.get\] fillValue must be a JS number or boolean/],
    ["bad mode", () => x.at([0]).get({ mode: "wrap" as never }), /Unknown gather mode "wrap"/],
    ["take raise", () => jnp.take(x, [0], 0, { mode: "raise" }), /\[take\] mode 'raise' is not supported/],
    ["take float", () => jnp.take(x, jnp.zeros([1])), /\[take\] indices must have an integer dtype, got f32\[1\]/],
    ["take empty axis", () => jnp.take(jnp.zeros([0]), [1]), /\[take\] cannot do a non-empty take from an empty axis/],
    ["takeAlongAxis rank", () => jnp.takeAlongAxis(x, coreArray([0]), 1), /\[take_along_axis\] indices and arr must have the same number of dimensions; i32\[1\] vs f32\[3,4\]/],
    ["putAlongAxis inplace", () => jnp.putAlongAxis(x, coreArray([[0]]), 1, 1), /\[put_along_axis\] cannot modify arrays in place/],
    ["nonzero 0-d", () => jnp.nonzero(scalar(1)), /\[nonzero\] calling nonzero on 0-d arrays is not allowed/],
    ["nonzero fill", () => jnp.nonzero(x, { size: 2, fillValue: [1, 2, 3] }), /\[nonzero\] fillValue must be a scalar or a list of 2 scalars/],
    ["compress 2-D", () => jnp.compress(x, x), /\[compress\] condition must be a 1-D array, got bool\[3,4\]/],
    ["compress oob", () => jnp.compress([true, false, false, true], x, 0), /\[compress\] condition contains entries that are out of bounds/],
    ["compress size", () => jnp.compress([true], x, 0, { size: 4 }), /\[compress\] size must not be greater than the size of the array axis; got size=4/],
    ["choose range", () => jnp.choose(coreArray([0, 3]), [x, x]), /\[choose\] invalid entry in choice array/],
    ["choose float", () => jnp.choose(jnp.zeros([2]), [x]), /\[choose\] `a` must be integer typed, got f32\[2\]/],
    ["choose traced raise", () => jit((a: Array) => jnp.choose(a, [x, x]))(coreArray([0])), /\[choose\] `a` with mode 'raise' .* must be concrete/],
    ["place inplace", () => jnp.place(x, x.gt(0), 1), /\[place\] cannot modify arrays in place/],
    ["place sizes", () => jnp.place(x, coreArray([true]), 1, { inplace: false }), /\[place\] arr and mask must be the same size, got f32\[3,4\] and bool\[1\]/],
    ["put mode", () => jnp.put(x, [0], 1, "bogus" as "clip", { inplace: false }), /\[put\] mode should be one of 'wrap' or 'clip'/],
    ["diag_indices n", () => jnp.diagIndices(-1), /\[diag_indices\] n must be nonnegative, got -1/],
    ["diag_indices_from shape", () => jnp.diagIndicesFrom(jnp.zeros([2, 3])), /\[diag_indices_from\] all dimensions of input must be of equal length, got f32\[2,3\]/],
    ["tril_indices_from 3-D", () => jnp.trilIndicesFrom(jnp.zeros([2, 2, 2])), /\[tril_indices_from\] only 2-D inputs are accepted/],
    ["fill_diagonal inplace", () => jnp.fillDiagonal(x, 1), /\[fill_diagonal\] cannot modify arrays in place/],
    ["fill_diagonal wrap", () => jnp.fillDiagonal(x, 1, { wrap: true, inplace: false }), /\[fill_diagonal\] wrap=true is not implemented/],
    ["ix_ 2-D", () => jnp.ix_(coreArray([[0]])), /\[ix_\] arguments must be 1-dimensional, got i32\[1,1\]/],
    ["ix_ bool", () => jnp.ix_(coreArray([true])), /\[ix_\] boolean arguments are not implemented/],
    ["ravel raise", () => jnp.ravelMultiIndex([coreArray([5]), coreArray([0])], [3, 4]), /\[ravel_multi_index\] invalid entry in coordinates array/],
  ])("%s", (_, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe("indexing: gradients through get and at (JAX's rules: gather <-> scatter-add)", () => {
  const r = rng(11);
  const x = randArray([4, 5], r);
  const idx = coreArray([3, 0, 3, -1]);
  test("get forms", () => {
    const fs: ((a: Array) => Array)[] = [
      (a) => a.get(1),
      (a) => a.get("1:3, ::-2"),
      (a) => a.get("...", null, 2),
      (a) => a.get(idx),
      (a) => a.get(":", coreArray([[4, 0], [1, 1]])),
      (a) => a.get(idx, coreArray([0, 1, 2, 4])),
      (a) => a.get([true, false, true, true]),
      (a) => a.get(coreArray([[true, false, false, false, true]]).broadcastTo([4, 5])),
      (a) => a.at(coreArray([7, -9, 1])).get({ mode: "fill", fillValue: 0 }),
      (a) => a.at(coreArray([7, 1])).get({ mode: "clip" }),
    ];
    for (const f of fs) checkGrads(f, [x], 2);
  });
  test("at updates, in the operand and in the values", () => {
    const v = randArray([4, 5], r);
    const fs: ((a: Array, b: Array) => Array)[] = [
      (a, b) => a.at(idx).set(b.get(":4").mul(b.get(":4"))),
      (a, b) => a.at(idx).add(b),
      (a, b) => a.at("::2", coreArray([1, 3])).subtract(b.get(":2, :2")),
      (a, b) => a.at(1).multiply(b.get(0)),
      (a, b) => a.at(":", 2).divide(b.get(":", 0).add(3)),
      (a, b) => a.at(coreArray([0, 2])).max(b.get("1:3")),
      (a, b) => a.at(coreArray([0, 2])).min(b.get("1:3")),
      (a, b) => a.at(coreArray([9, 1, -1])).add(b.get(":3"), { mode: "drop" }),
      (a, b) => a.at(coreArray([9, 1])).set(b.get(":2"), { mode: "clip" }),
    ];
    for (const f of fs) checkGrads(f, [x, v], 2);
    checkGrads((a: Array) => a.at(2).power(3), [randArray([4], r, 0.5, 2)], 2);
  });
  test("takeAlongAxis / take / putAlongAxis / compress / choose", () => {
    const order = coreArray([[1, 0, 4], [2, 2, 0], [4, 3, 1], [0, 0, 0]]);
    checkGrads((a: Array) => jnp.takeAlongAxis(a, order, 1), [x], 2);
    checkGrads((a: Array) => jnp.take(a, coreArray([4, -1, 7]), 1, { fillValue: 0 }), [x], 2);
    checkGrads((a: Array, b: Array) => jnp.putAlongAxis(a, order, b.get(":", ":3"), 1, { inplace: false }), [x, x], 2);
    checkGrads((a: Array) => jnp.compress(coreArray([false, true, true, false, true]), a, 1, { size: 2 }), [x], 2);
    checkGrads((a: Array, b: Array) => jnp.choose(coreArray([0, 1, 1, 0, 1]), [a, b], { mode: "clip" }), [x, x], 2);
    checkGrads((a: Array) => jnp.put(a, coreArray([0, 19, 7]), a.get(0, ":3").mul(2), null, { inplace: false }), [x], 2);
    checkGrads((a: Array, b: Array) => jnp.fillDiagonal(a, b.get(0, ":2"), { inplace: false }), [x, x], 2);
    checkGrads((a: Array) => a.get(...jnp.triuIndices(4, 1, 5)), [x], 2);
    checkGrads((a: Array) => a.get(...jnp.ix_(coreArray([3, 0]), coreArray([1, 1, 4]))), [x], 2);
    checkGrads((a: Array) => jnp.place(a, a.gt(0), coreArray([1, 2]).astype("float64").mul(a.get(0, 0)), { inplace: false }), [x], 1);
  });
});

describe("indexing: vmap with batched arrays and batched indices (vs a loop)", () => {
  const r = rng(5);
  const xs = randArray([3, 4, 5], r);
  test("batched operand, static indices", () => {
    checkVmap((a: Array) => a.get("1:3, ::-1"), [xs]);
    checkVmap((a: Array) => a.get(coreArray([0, 3]), null), [xs]);
    checkVmap((a: Array) => a.at(0).add(1), [xs]);
  });
  test("batched indices", () => {
    const is = coreArray([2, -1, 0]);
    checkVmap((a: Array, i: Array) => a.get(i), [xs, is]);
    checkVmap((a: Array, i: Array) => a.get(i), [xs.get(0), is], { inAxes: [null, 0] });
    checkVmap((a: Array, i: Array) => a.get(":", i), [xs, coreArray([[0, 4], [1, 1], [3, 2]])]);
    checkVmap((a: Array, i: Array) => a.get(i, "1:"), [xs.get(0), coreArray([1, 3, 0])], { inAxes: [null, 0] });
    checkVmap((a: Array, i: Array, v: Array) => a.at(i).set(v), [xs, coreArray([[0, 0], [1, 3], [3, 2]]), randArray([3, 2, 5], r)]);
    checkVmap((a: Array, i: Array) => a.at(i, 2).add(10), [xs, coreArray([1, 2, 3])]);
    checkVmap((a: Array, i: Array) => a.at(i).get({ mode: "fill", fillValue: -3 }), [xs, coreArray([[0, 9], [4, 1], [-7, 2]])]);
    checkVmap((a: Array, i: Array) => jnp.takeAlongAxis(a, i, 0), [xs, coreArray([[[1, 0, 3, 2, 0]], [[3, 3, 3, 3, 3]], [[0, 1, 2, 3, 0]]])]);
    checkVmap((a: Array, i: Array) => jnp.take(a, i, 1), [xs, coreArray([[0, 4], [1, 9], [3, 2]])]);
    checkVmap((v: Array) => jnp.nonzero(v, { size: 4 })[0]!, [coreArray([[0, 1, 0, 1, 1], [1, 0, 0, 0, 0]])]);
  });
  test("jit matches eager", () => {
    checkJit((a: Array, i: Array) => a.at(i, ":2").multiply(3).get(i), [xs.get(0), coreArray([0, 3, 0])]);
    checkJit((a: Array) => jnp.argwhere(a.gt(0), { size: 6 }).astype("float64"), [xs.get(0)]);
  });
});
