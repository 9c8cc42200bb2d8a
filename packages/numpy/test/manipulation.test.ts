import { describe, expect, test } from "vitest";
import { Array, array as coreArray, jit, scalar } from "@jaxts/core";
import * as jnp from "../src/index.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { byName, runGoldenCases, type Runner } from "./shape_cases.js";

// Functions whose TypeScript signature takes the axis positionally where the
// fixture records it as an option.
const withAxis = (f: (...a: any[]) => any): Runner => (args, kw) => f(...args, kw.axis ?? (f === jnp.split || f === jnp.arraySplit ? 0 : null));

describe("manipulation goldens (NumPy values; promotion and pad/repeat corner cases from JAX)", () => {
  runGoldenCases(
    "manipulation",
    import.meta.url,
    {
      split: withAxis(jnp.split),
      arraySplit: withAxis(jnp.arraySplit),
      append: withAxis(jnp.append),
      insert: withAxis(jnp.insert),
      delete: withAxis(jnp.delete),
      deleteUnique: ([a, obj], kw) => jnp.delete(a, obj, kw.axis ?? null, { assumeUniqueIndices: true }),
      concatenate: ([arrs, axis], kw) => jnp.concatenate(arrs, axis === undefined ? 0 : axis, kw),
      stack: ([arrs, axis], kw) => jnp.stack(arrs, axis ?? 0, kw),
      broadcastShapes: (shapes) => coreArray(jnp.broadcastShapes(...shapes)),
      broadcastArrays: (arrs) => jnp.broadcastArrays(...arrs),
      // The same 1-D functions as the generator's JALONG table.
      "applyAlongAxis.cumsum": ([axis, a]) => jnp.applyAlongAxis((v) => jnp.cumsum(v), axis, a),
      "applyAlongAxis.sort": ([axis, a]) => jnp.applyAlongAxis((v) => jnp.sort(v), axis, a),
      "applyAlongAxis.outer": ([axis, a]) => jnp.applyAlongAxis((v) => jnp.outer(v, v), axis, a),
      "applyOverAxes.sum": ([a, axes]) => jnp.applyOverAxes((x, ax) => jnp.sum(x, ax), a, axes),
    },
    byName(jnp as unknown as Record<string, unknown>),
  );
});

describe("manipulation: behaviour beyond the goldens", () => {
  test("ndim/shape/size", () => {
    const x = jnp.zeros([2, 3, 4]);
    expect(jnp.ndim(x)).toBe(3);
    expect(jnp.shape(x)).toEqual([2, 3, 4]);
    expect(jnp.size(x)).toBe(24);
    expect(jnp.size(x, -1)).toBe(4);
    expect(jnp.ndim(3)).toBe(0);
  });
  test("delete is exported under its JAX name", () => {
    expect(typeof jnp.delete).toBe("function");
  });
  test("roll with a traced shift under jit matches the static roll", () => {
    const x = coreArray([[1, 2, 3], [4, 5, 6]]);
    const f = jit((s: Array) => jnp.roll(x, s, 1));
    for (const s of [-4, -1, 0, 2, 5]) expect(f(scalar(s, undefined, false)).tolist()).toEqual(jnp.roll(x, s, 1).tolist());
  });
  test("repeat with traced repeats needs totalRepeatLength", () => {
    const x = coreArray([1, 2, 3]);
    const f = jit((r: Array) => jnp.repeat(x, r, { totalRepeatLength: 6 }));
    expect(f(coreArray([1, 2, 3])).tolist()).toEqual([1, 2, 2, 3, 3, 3]);
    expect(() => jit((r: Array) => jnp.repeat(x, r))(coreArray([1, 2, 3]))).toThrow(/\[repeat\] repeats .* must be concrete/);
  });
  test("insert with traced indices under jit", () => {
    const x = coreArray([10, 20, 30]);
    const f = jit((i: Array) => jnp.insert(x, i, coreArray([-1, -2])));
    expect(f(coreArray([2, 0])).tolist()).toEqual([-2, 10, 20, -1, 30]);
  });
  test("delete of unique traced indices under jit", () => {
    const x = coreArray([10, 20, 30, 40]);
    const f = jit((i: Array) => jnp.delete(x, i, null, { assumeUniqueIndices: true }));
    expect(f(coreArray([3, 1])).tolist()).toEqual([10, 30]);
  });
});

describe("manipulation: errors name the function and the shapes", () => {
  const x = jnp.zeros([2, 3]);
  test.each([
    ["reshape", () => jnp.reshape(x, [4, 2]), /\[reshape\] cannot reshape f32\[2,3\]/],
    ["squeeze non-1", () => jnp.squeeze(x, 0), /\[squeeze\] cannot select an axis to squeeze out which has size not equal to one, got f32\[2,3\]/],
    ["expandDims axis", () => jnp.expandDims(x, 5), /\[expand_dims\] axis 5 is out of bounds/],
    ["moveaxis lengths", () => jnp.moveaxis(x, [0, 1], [0]), /\[moveaxis\] inconsistent number of elements: 2 vs 1/],
    ["broadcastTo", () => jnp.broadcastTo(x, [3, 3]), /\[broadcast_to\] incompatible shapes for broadcasting: f32\[2,3\] to shape \(3, 3\)/],
    ["broadcastShapes", () => jnp.broadcastShapes([2, 3], [4]), /\[broadcast_shapes\] shapes \(2, 3\) and \(4\) cannot be broadcast together/],
    ["concatenate 0-d", () => jnp.concatenate([scalar(1), scalar(2)]), /\[concatenate\] zero-dimensional arrays cannot be concatenated/],
    ["concatenate shapes", () => jnp.concatenate([x, jnp.zeros([2, 4])]), /\[concatenate\] all the input array dimensions except for the concatenation axis \(0\) must match exactly, got f32\[2,3\], f32\[2,4\]/],
    ["concatenate empty", () => jnp.concatenate([]), /\[concatenate\] need at least one array/],
    ["stack shapes", () => jnp.stack([x, jnp.zeros([3, 2])]), /\[stack\] all input arrays must have the same shape, got f32\[2,3\], f32\[3,2\]/],
    ["split unequal", () => jnp.split(x, 2, 1), /\[split\] array split does not result in an equal division: 3 elements into 2 sections/],
    ["vsplit 1-D", () => jnp.vsplit(jnp.zeros([4]), 2), /\[vsplit\] only works on arrays of 2 or more dimensions, got f32\[4\]/],
    ["tile negative", () => jnp.tile(x, -1), /\[tile\] reps must be non-negative/],
    ["repeat negative", () => jnp.repeat(x, -1), /\[repeat\] repeats must be non-negative integers/],
    ["rot90 1-D", () => jnp.rot90(jnp.zeros([3])), /\[rot90\] requires its first argument to have ndim at least two, got f32\[3\]/],
    ["rot90 same axes", () => jnp.rot90(x, 1, [1, -1]), /\[rot90\] axes must be different/],
    ["roll lengths", () => jnp.roll(x, [1, 2, 3], [0, 1]), /\[roll\] shift \(1, 2, 3\) and axis \(0, 1\)/],
    ["pad mode", () => jnp.pad(x, 1, "bogus" as "edge"), /\[pad\] unimplemented padding mode 'bogus'/],
    ["pad option for mode", () => jnp.pad(x, 1, { mode: "edge", constantValues: 3 }), /\[pad\] unsupported options for mode 'edge': constantValues/],
    ["pad negative", () => jnp.pad(x, [[1, -1]]), /\[pad\] padWidth can't contain negative values/],
    ["pad width shape", () => jnp.pad(x, [[1, 2, 3]]), /\[pad\] padWidth with ndim=2 has an unsupported shape/],
    ["pad empty axis", () => jnp.pad(jnp.zeros([0, 2]), 1, "wrap"), /\[pad\] cannot apply 'wrap' padding to the empty axis 0 of f32\[0,2\]/],
    ["pad statLength 0", () => jnp.pad(x, 1, { mode: "mean", statLength: 0 }), /\[pad\] statLength of 0/],
    ["insert 2-D obj", () => jnp.insert(x, coreArray([[0]]), 1, 0), /\[insert\] obj must be a slice, a one-dimensional array or a scalar, got i32\[1,1\]/],
    ["delete bool shape", () => jnp.delete(x, [true, false], 1), /\[delete\] a boolean obj must be one-dimensional with length matching the axis \(3\)/],
    ["delete traced", () => jit((i: Array) => jnp.delete(x, i, 0))(coreArray([0])), /\[delete\] the obj array .* must be concrete/],
    ["delete out of bounds", () => jnp.delete(x, [5], 0), /\[delete\] index 5 is out of bounds for axis 0 with size 2/],
    ["unstack scalar", () => jnp.unstack(scalar(1)), /\[unstack\] requires an array of at least one dimension/],
    ["block depths", () => jnp.block([[x], x]), /\[block\] mismatched list depths/],
    ["block empty", () => jnp.block([]), /\[block\] does not allow empty list arguments/],
    ["trimZeros traced", () => jit((a: Array) => jnp.trimZeros(a))(coreArray([0, 1])), /\[trim_zeros\] filt must be concrete/],
    ["applyOverAxes shape", () => jnp.applyOverAxes((a) => a.sum(), x, [0]), /\[apply_over_axes\] function is not returning an array of the correct shape: f32\[\] from f32\[2,3\]/],
    ["fliplr 1-D", () => jnp.fliplr(jnp.zeros([3])), /\[fliplr\] requires an array of at least 2 dimensions, got f32\[3\]/],
  ])("%s", (_, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe("manipulation: transformations", () => {
  const r = rng(7);
  const x = randArray([2, 3, 4], r);
  test("grads (order 2)", () => {
    const fs: ((a: Array) => Array | Array[])[] = [
      (a) => jnp.reshape(a, [4, 6], { order: "F" }),
      (a) => jnp.moveaxis(a, [0, 1], [-1, 0]),
      (a) => jnp.squeeze(jnp.expandDims(a, [0, 2]), 0),
      (a) => jnp.broadcastTo(jnp.sum(a, 0), [5, 3, 4]),
      (a) => jnp.concatenate([a, a.mul(a)], -1),
      (a) => jnp.stack([a, a.mul(2)], 1),
      (a) => jnp.split(a, [1, 3], 2),
      (a) => jnp.tile(a, [2, 1, 1, 2]),
      (a) => jnp.repeat(a, [1, 0, 2], { axis: 1 }),
      (a) => jnp.flip(a, [0, 2]),
      (a) => jnp.roll(a, [1, -2], [0, 2]),
      (a) => jnp.rot90(a, 3, [1, 2]),
      (a) => jnp.resize(a, [5, 7]),
      (a) => jnp.insert(a, [0, 2], a.get(":, 0:1").mul(3), 1),
      (a) => jnp.delete(a, { start: 0, stop: null, step: 2 }, 2),
      (a) => jnp.unstack(a, { axis: 2 }),
      (a) => jnp.columnStack([a.get(0, 0), a.get(1, 1)]),
      (a) => jnp.block([[a.get(0), a.get(1, ":", ":2")], [a.get(1), a.get(0, ":", "1:3")]]),
      (a) => jnp.applyAlongAxis((v) => v.mul(v).cumsum(0), 1, a),
      (a) => jnp.applyOverAxes((v, ax) => v.max(ax), a, [0, 2]),
    ];
    for (const f of fs) checkGrads(f, [x], 2);
  });
  test("pad grads for every differentiable mode", () => {
    const m = randArray([3, 4], r);
    for (const mode of ["constant", "edge", "reflect", "symmetric", "wrap", "linear_ramp", "maximum", "minimum", "mean", "median"] as const) {
      checkGrads((a: Array) => jnp.pad(a, [[2, 1], [3, 2]], mode), [m], 2);
    }
    checkGrads((a: Array) => jnp.pad(a, [[4, 5], [1, 6]], { mode: "reflect", reflectType: "odd" }), [m], 2);
    checkGrads((a: Array) => jnp.pad(a, 2, { mode: "mean", statLength: [[1, 2], [3, 1]] }), [m], 2);
  });
  test("vmap matches a loop", () => {
    const b = randArray([3, 2, 4], r);
    checkVmap((a: Array) => jnp.pad(a, [[1, 2], [0, 3]], "reflect"), [b]);
    checkVmap((a: Array) => jnp.pad(a, 1, { mode: "median" }), [b]);
    checkVmap((a: Array) => jnp.roll(a, 3, 1), [b]);
    checkVmap((a: Array) => jnp.repeat(a, 2, { axis: 0 }), [b]);
    checkVmap((a: Array) => jnp.concatenate([a, a], 0), [b]);
    checkVmap((a: Array, s: Array) => jnp.roll(a, s, 1), [b, coreArray([1, -2, 7])]);
    checkVmap((a: Array, i: Array) => jnp.insert(a, i, 0, 1), [b, coreArray([0, 4, 2])]);
    checkVmap((a: Array, r2: Array) => jnp.repeat(a, r2, { axis: 1, totalRepeatLength: 6 }), [b, coreArray([[1, 2, 1, 2], [0, 0, 0, 6], [3, 3, 0, 0]])]);
    checkVmap((a: Array) => jnp.rot90(a), [b], { inAxes: [2] });
  });
  test("jit matches eager", () => {
    checkJit((a: Array) => jnp.pad(a, [[1, 2], [0, 3], [2, 2]], "symmetric"), [x]);
    checkJit((a: Array) => jnp.tile(jnp.flip(a), 2), [x]);
    checkJit((a: Array) => jnp.insert(a, 1, 5, 2), [x]);
  });
});
