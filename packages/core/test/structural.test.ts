// Structural primitives (broadcast_in_dim, reshape, squeeze, transpose, rev, pad,
// concatenate, iota, slice), their lax wrappers and the Array shape methods,
// against NumPy goldens (tools/goldens/gen_structural.py), under makeJaxpr, and
// printed as JAX 0.10.2 prints them.
import { describe, expect, it } from "vitest";
import {
  Array,
  ShapeDtypeStruct,
  array,
  evalJaxpr,
  fromTyped,
  getBackend,
  lax,
  makeJaxpr,
  scalar,
  float16,
  float32,
  int32,
  type TypedArray,
} from "../src/index.js";
import { structuralRunners as runners } from "./cases.js";
import { decode, expectMatches, loadGolden, loadJaxprGoldens, type EncodedArray } from "./golden.js";

interface Case {
  op: string;
  note: string;
  args: EncodedArray[];
  params: any;
  out: EncodedArray;
}

/** Element-for-element identity, telling -0 from 0 (structural ops move values, never round them). */
function expectSameValues(got: TypedArray, want: TypedArray, label: string): void {
  expect(got.length, label).toBe(want.length);
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) bad.push(`[${i}] got ${g}, expected ${w}`);
  }
  expect(bad, label).toEqual([]);
}

function expectedValues(e: EncodedArray): TypedArray {
  return decode(e).dataSync();
}

const cases = loadGolden<Case>("structural");

describe("structural ops match NumPy", () => {
  it("covers every op of the family", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(runners)));
  });
  cases.forEach((c, i) => {
    it(`${c.op} #${i} ${c.note} ${JSON.stringify(c.params)}`, () => {
      const args = c.args.map(decode);
      const out = runners[c.op]!(args, c.params);
      expectMatches(out, c.out, { rtol: 0, atol: 0 });
      expectSameValues(out.dataSync(), expectedValues(c.out), "values (sign of zero included)");
    });
  });
});

describe("structural ops under makeJaxpr", () => {
  const cpu = getBackend("cpu");
  cases.forEach((c, i) => {
    it(`${c.op} #${i} ${c.note}`, () => {
      const args = c.args.map(decode);
      const f = (...xs: Array[]) => runners[c.op]!(xs, c.params);
      const eager = f(...args);
      const closed = makeJaxpr(f)(...args.map((a) => new ShapeDtypeStruct(a.shape, a.dtype)));
      // The abstract eval gives what eager evaluation gives.
      const [outAval] = closed.outAvals;
      expect(outAval!.shape).toEqual(eager.shape);
      expect(outAval!.dtype).toBe(eager.dtype);
      expect(outAval!.weakType).toBe(eager.weakType);
      // Evaluating the Jaxpr (by binding) and running it compiled on the CPU backend reproduce eager.
      const [viaEval] = evalJaxpr(closed.jaxpr, closed.consts, args);
      expectSameValues(viaEval!.dataSync(), eager.dataSync(), "evalJaxpr");
      const [viaCompiled] = cpu.compile(closed.jaxpr).execute([...closed.consts, ...args].map((a) => a._buf));
      expectSameValues((viaCompiled as TypedArray).slice(), eager.dataSync(), "compiled");
    });
  });
});

// ---------------------------------------------------------------------------
// JAX's text

const goldens = loadJaxprGoldens();
const f32 = (...shape: number[]) => new ShapeDtypeStruct(shape, "float32");
type A = Array;

describe("makeJaxpr prints structural ops as JAX 0.10.2 does", () => {
  // The programs behind goldens_jax_0_10_2.json, written with jaxts.
  const programs: Record<string, () => string> = {
    broadcast_in_dim: () => makeJaxpr((x: A) => x.broadcastTo([2, 3]))(f32(3)).toString(),
    broadcast_scalar: () =>
      makeJaxpr((x: A) => x.add(lax.broadcastInDim(scalar(0, float32, false), [2, 3], [])))(f32()).toString(),
    reshape: () => makeJaxpr((x: A) => x.reshape(3, 2))(f32(2, 3)).toString(),
    reshape_lax: () => makeJaxpr((x: A) => lax.reshape(x, [6]))(f32(2, 3)).toString(),
    squeeze: () => makeJaxpr((x: A) => x.squeeze(0))(f32(1, 3)).toString(),
    expand_dims: () => makeJaxpr((x: A) => x.expandDims(0))(f32(3)).toString(),
    expand_dims_lax: () => makeJaxpr((x: A) => lax.expandDims(x, [0]))(f32(3)).toString(),
    expand_dims_multi: () => makeJaxpr((x: A) => lax.expandDims(x, [0, 2]))(f32(3)).toString(),
    transpose: () => makeJaxpr((x: A) => x.T)(f32(2, 3)).toString(),
    rev_lax: () => makeJaxpr((x: A) => lax.rev(x, [0]))(f32(3)).toString(),
    pad: () => makeJaxpr((x: A) => lax.pad(x, 0.0, [[1, 2, 0]]))(f32(3)).toString(),
    concatenate: () => makeJaxpr((x: A, y: A) => lax.concatenate([x, y], 0))(f32(3), f32(3)).toString(),
    iota: () => makeJaxpr(() => lax.iota("int32", 3))().toString(),
    arange: () => makeJaxpr(() => lax.iota("int32", 3))().toString(),
    arange_f: () => makeJaxpr((x: A) => x.add(lax.iota("float32", 3)))(f32(3)).toString(),
    slice: () => makeJaxpr((x: A) => lax.slice(x, [1], [3]))(f32(3)).toString(),
    slice_lax: () => makeJaxpr((x: A) => lax.slice(x, [0, 1], [2, 3], [1, 1]))(f32(2, 3)).toString(),
    slice_stride: () => makeJaxpr((x: A) => lax.slice(x, [0], [3], [2]))(f32(3)).toString(),
    index_int: () => makeJaxpr((x: A) => lax.squeeze(lax.slice(x, [1, 0], [2, 3]), [0]))(f32(2, 3)).toString(),
    broadcast_in_dim_lax: () => makeJaxpr((x: A) => lax.broadcastInDim(x, [2, 3, 4], [1]))(f32(3)).toString(),
    broadcast: () => makeJaxpr((x: A) => lax.broadcast(x, [2]))(f32(3)).toString(),
  };
  for (const [name, program] of Object.entries(programs)) {
    it(name, () => {
      const want = goldens.get(name);
      expect(want, `golden ${name} exists`).toBeDefined();
      expect(program()).toBe(want);
    });
  }

  // More programs, printed by JAX 0.10.2's make_jaxpr (the lax calls are given in each comment).
  it("reshape with dimensions, negative/interior pad, concatenate of three, transposing broadcast, 2-D iota", () => {
    // lax.reshape(a, (1, 3), (1, 0)) on f32[3,1]
    expect(makeJaxpr((a: A) => lax.reshape(a, [1, 3], [1, 0]))(f32(3, 1)).toString()).toBe(
      "{ lambda ; a:f32[3,1]. let\n    b:f32[1,3] = reshape[dimensions=(1, 0) new_sizes=(1, 3) sharding=None] a\n  in (b,) }",
    );
    // lax.pad(a, 0., ((-1, 2, 1), (0, 0, 0))) on f32[3,1]
    expect(makeJaxpr((a: A) => lax.pad(a, 0.0, [[-1, 2, 1], [0, 0, 0]]))(f32(3, 1)).toString()).toBe(
      "{ lambda ; a:f32[3,1]. let\n    b:f32[6,1] = pad[padding_config=((-1, 2, 1), (0, 0, 0))] a 0.0:f32[]\n  in (b,) }",
    );
    // lax.concatenate([a, a, a], 1) on f32[3,1]
    expect(makeJaxpr((a: A) => lax.concatenate([a, a, a], 1))(f32(3, 1)).toString()).toBe(
      "{ lambda ; a:f32[3,1]. let b:f32[3,3] = concatenate[dimension=1] a a a in (b,) }",
    );
    // lax.broadcast_in_dim(a, (2, 3, 4), (1, 0)) on f32[3,1]
    expect(makeJaxpr((a: A) => lax.broadcastInDim(a, [2, 3, 4], [1, 0]))(f32(3, 1)).toString()).toBe(
      "{ lambda ; a:f32[3,1]. let\n    b:f32[2,3,4] = broadcast_in_dim[broadcast_dimensions=(1, 0)] a\n  in (b,) }",
    );
    // lax.broadcasted_iota(jnp.float16, (2, 3), 1)
    expect(makeJaxpr(() => lax.broadcastedIota("float16", [2, 3], 1))().toString()).toBe(
      "{ lambda ; . let\n    a:f16[2,3] = iota[dimension=1 dtype=float16 shape=(2, 3) sharding=None] \n  in (a,) }",
    );
    // lax.collapse(a, 0) on f32[3,1]; x.squeeze() on f32[3,1]
    expect(makeJaxpr((a: A) => lax.collapse(a, 0))(f32(3, 1)).toString()).toBe(
      "{ lambda ; a:f32[3,1]. let\n    b:f32[3] = reshape[dimensions=None new_sizes=(3,) sharding=None] a\n  in (b,) }",
    );
    expect(makeJaxpr((a: A) => a.squeeze())(f32(3, 1)).toString()).toBe(
      "{ lambda ; a:f32[3,1]. let b:f32[3] = squeeze[dimensions=(1,)] a in (b,) }",
    );
  });

  it("no-op reshapes and transposes emit no equation, as in JAX", () => {
    // jax: lax.reshape(a, (3, 1)) on f32[3,1] and a.T on f32[3] both print `let  in (a,) }`.
    expect(makeJaxpr((a: A) => lax.reshape(a, [3, 1]))(f32(3, 1)).toString()).toBe("{ lambda ; a:f32[3,1]. let  in (a,) }");
    expect(makeJaxpr((a: A) => a.T)(f32(3)).toString()).toBe("{ lambda ; a:f32[3]. let  in (a,) }");
  });
});

// ---------------------------------------------------------------------------
// Errors: raised by the abstract eval (or the wrapper) before any work, naming the op.

describe("structural errors", () => {
  const x = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" }); // f32[2,3]
  const table: [string, () => unknown, new (...a: any[]) => Error, RegExp][] = [
    ["bid rank", () => lax.broadcastInDim(x, [2, 3], [0]), TypeError, /\[broadcast_in_dim\] broadcast_dimensions \(0,\) must have one entry per operand dimension: f32\[2,3\]/],
    ["bid lower rank", () => lax.broadcastInDim(x, [6], [0, 1]), TypeError, /\[broadcast_in_dim\] target shape \(6,\) has a lower rank than the operand f32\[2,3\]/],
    ["bid range", () => lax.broadcastInDim(x, [2, 3], [0, 2]), RangeError, /\[broadcast_in_dim\] broadcast_dimensions \(0, 2\) out of range for rank 2: f32\[2,3\]/],
    ["bid repeat", () => lax.broadcastInDim(x, [2, 3, 3], [1, 1]), RangeError, /\[broadcast_in_dim\] .*repeated/],
    ["bid size", () => lax.broadcastInDim(x, [2, 4], [0, 1]), TypeError, /\[broadcast_in_dim\] operand dimension 1 of size 3 must be 1 or equal to target dimension 1 of size 4: f32\[2,3\]/],
    ["bid shape", () => lax.broadcastInDim(x, [2, -3], [0, 1]), TypeError, /\[broadcast_in_dim\] shape must be a sequence of non-negative integers/],
    ["reshape size", () => lax.reshape(x, [5]), TypeError, /\[reshape\] cannot reshape f32\[2,3\] \(size 6\) into shape \(5,\) \(size 5\)/],
    ["reshape dims", () => lax.reshape(x, [6], [0, 0]), TypeError, /\[reshape\] dimensions \(0, 0\) must be a permutation of the operand dimensions: f32\[2,3\]/],
    ["reshape negative", () => lax.reshape(x, [-2, -3]), TypeError, /\[reshape\] new_sizes must be a sequence of non-negative integers/],
    ["squeeze size", () => lax.squeeze(x, [1]), TypeError, /\[squeeze\] cannot squeeze dimension 1 of size 3 .*f32\[2,3\]/],
    ["squeeze axis", () => lax.squeeze(x, [2]), RangeError, /\[squeeze\] axis 2 is out of bounds for an array of rank 2/],
    ["expand repeat", () => lax.expandDims(x, [0, -4]), RangeError, /\[expand_dims\] repeated axis/],
    ["expand range", () => lax.expandDims(x, [3]), RangeError, /\[expand_dims\] axis 3 is out of bounds for an array of rank 3/],
    ["transpose perm", () => lax.transpose(x, [0, 0]), TypeError, /\[transpose\] permutation \(0, 0\) is not a permutation of the dimensions of f32\[2,3\]/],
    ["transpose len", () => lax.transpose(x, [1, 0, 2]), TypeError, /\[transpose\] permutation \(1, 0, 2\) is not a permutation/],
    ["rev range", () => lax.rev(x, [2]), RangeError, /\[rev\] axis 2 is out of bounds for an array of rank 2/],
    ["rev repeat", () => lax.rev(x, [1, -1]), RangeError, /\[rev\] repeated axis/],
    ["pad scalar", () => lax.pad(x, array([0, 0], { dtype: "float32" }), [[0, 0, 0], [0, 0, 0]]), TypeError, /\[pad\] padding_value must be a scalar, got f32\[2\]/],
    ["pad dtype", () => lax.pad(x, scalar(0, int32, false), [[0, 0, 0], [0, 0, 0]]), TypeError, /\[pad\] operand and padding_value must have the same dtype, got f32\[2,3\] and i32\[\]/],
    ["pad config", () => lax.pad(x, 0, [[1, 1, 0]]), TypeError, /\[pad\] padding_config must have one \(low, high, interior\) triple per dimension of f32\[2,3\]/],
    ["pad triple", () => lax.pad(x, 0, [[1, 1], [0, 0, 0]]), TypeError, /\[pad\] padding_config entries must be \(low, high, interior\) integer triples/],
    ["pad interior", () => lax.pad(x, 0, [[0, 0, -1], [0, 0, 0]]), RangeError, /\[pad\] interior padding must be non-negative/],
    ["pad negative", () => lax.pad(x, 0, [[-2, -1, 0], [0, 0, 0]]), RangeError, /\[pad\] padding_config \(\(-2, -1, 0\), \(0, 0, 0\)\) gives a negative dimension size \(-1, 3\) for f32\[2,3\]/],
    ["concat empty", () => lax.concatenate([], 0), TypeError, /\[concatenate\] needs at least one operand/],
    ["concat rank", () => lax.concatenate([x, array([1, 2], { dtype: "float32" })], 0), TypeError, /\[concatenate\] operands must have the same rank, got f32\[2,3\], f32\[2\]/],
    ["concat rank2", () => lax.concatenate([x, array([[[1]]], { dtype: "float32" })], 0), TypeError, /\[concatenate\] operands must have the same rank, got f32\[2,3\], f32\[1,1,1\]/],
    ["concat dtype", () => lax.concatenate([x, array([[1, 2, 3]], { dtype: "int32" })], 0), TypeError, /\[concatenate\] operands must have the same dtype, got f32\[2,3\], i32\[1,3\]/],
    ["concat shape", () => lax.concatenate([x, array([[1, 2]], { dtype: "float32" })], 0), TypeError, /\[concatenate\] operand shapes may differ only in dimension 0, got f32\[2,3\], f32\[1,2\]/],
    ["concat dim", () => lax.concatenate([x, x], 2), RangeError, /\[concatenate\] axis 2 is out of bounds for an array of rank 2/],
    ["iota bool", () => lax.iota("bool", 3), TypeError, /\[iota\] does not accept dtype bool/],
    ["iota dim", () => lax.broadcastedIota("int32", [2, 3], 2), RangeError, /\[iota\] dimension 2 is out of range for shape \(2, 3\)/],
    ["iota shape", () => lax.iota("int32", -1), TypeError, /\[iota\] shape must be a sequence of non-negative integers/],
    ["slice len", () => lax.slice(x, [0], [1]), TypeError, /\[slice\] start_indices \(0,\) and limit_indices \(1,\) must have one entry per dimension of f32\[2,3\]/],
    ["slice limit", () => lax.slice(x, [0, 0], [2, 4]), RangeError, /\[slice\] .*0 <= start <= limit <= size .*f32\[2,3\]/],
    ["slice start", () => lax.slice(x, [-1, 0], [2, 3]), RangeError, /\[slice\] start_indices \(-1, 0\)/],
    ["slice order", () => lax.slice(x, [2, 0], [1, 3]), RangeError, /\[slice\] start_indices \(2, 0\) and limit_indices \(1, 3\)/],
    ["slice stride", () => lax.slice(x, [0, 0], [2, 3], [1, 0]), TypeError, /\[slice\] strides must be a sequence of positive integers/],
    ["slice strides len", () => lax.slice(x, [0, 0], [2, 3], [1]), TypeError, /\[slice\] strides \(1,\) must have one entry per dimension/],
    ["collapse range", () => lax.collapse(x, 2, 1), RangeError, /\[collapse\] invalid dimension range/],
    ["m.reshape two -1", () => x.reshape(-1, -1), TypeError, /\[reshape\] the new shape \(-1, -1\) may contain one -1/],
    ["m.reshape -1 divide", () => x.reshape(4, -1), TypeError, /\[reshape\] cannot reshape array of shape \(2, 3\) \(size 6\) into shape \(4, -1\)/],
    ["m.reshape size", () => x.reshape(4), TypeError, /\[reshape\] cannot reshape f32\[2,3\] \(size 6\) into shape \(4,\)/],
    ["m.reshape nonint", () => x.reshape(1.5, 4), TypeError, /\[reshape\] the new shape must be integers/],
    ["m.transpose axes", () => x.transpose(0), TypeError, /\[transpose\] axes \(0,\) do not match an array of rank 2/],
    ["m.transpose repeat", () => x.transpose(1, -1), RangeError, /\[transpose\] repeated axis/],
    ["m.swapaxes", () => x.swapaxes(0, 2), RangeError, /\[swapaxes\] axis 2 is out of bounds/],
    ["m.squeeze", () => x.squeeze(0), TypeError, /\[squeeze\] cannot squeeze dimension 0 of size 2/],
    ["m.broadcastTo", () => x.broadcastTo([2, 4]), TypeError, /\[broadcast_to\] cannot broadcast f32\[2,3\] to shape \(2, 4\)/],
    ["m.broadcastTo rank", () => x.broadcastTo([3]), TypeError, /\[broadcast_to\] cannot broadcast f32\[2,3\] to shape \(3,\)/],
    ["m.add shapes", () => x.add(array([1, 2], { dtype: "float32" })), TypeError, /\[add\] shapes \(2,3\), \(2\) cannot be broadcast together/],
  ];
  for (const [name, thunk, cls, re] of table) {
    it(name, () => {
      expect(thunk).toThrow(cls);
      expect(thunk).toThrow(re);
    });
  }

  it("abstract evaluation raises the same errors while tracing", () => {
    expect(() => makeJaxpr((a: A) => lax.reshape(a, [5]))(f32(2, 3))).toThrow(/\[reshape\] cannot reshape f32\[2,3\]/);
    expect(() => makeJaxpr((a: A) => lax.pad(a, 0, [[-3, 0, 0]]))(f32(2))).toThrow(/\[pad\] .*negative dimension size/);
    expect(() => makeJaxpr((a: A, b: A) => lax.concatenate([a, b], 0))(f32(2, 3), f32(2, 4))).toThrow(
      /\[concatenate\] operand shapes may differ only in dimension 0, got f32\[2,3\], f32\[2,4\]/,
    );
  });

  it("primitives validate params bound directly (bypassing the wrappers)", () => {
    expect(() => lax.squeezeP.bind1([x], { dimensions: [5] })).toThrow(/\[squeeze\] dimensions \(5,\) out of range for rank 2: f32\[2,3\]/);
    expect(() => lax.revP.bind1([x], { dimensions: [0, 0] })).toThrow(/\[rev\] dimensions \(0, 0\) contain a repeated dimension/);
    expect(() => lax.iotaP.bind1([x], { dtype: int32, shape: [3], dimension: 0, sharding: null })).toThrow(/\[iota\] takes 0 operands, got 1/);
    expect(() => lax.concatenateP.bind1([x, x], { dimension: -1 })).toThrow(/\[concatenate\] dimension -1 is out of range/);
    expect(() => lax.transposeP.bind1([x, x], { permutation: [1, 0] })).toThrow(/\[transpose\] takes 1 operand, got 2/);
  });
});

// ---------------------------------------------------------------------------
// Weak types (JAX: the result is weak when every input is; iota never is),
// buffer sharing and immutability.

describe("structural weak types", () => {
  it("follow JAX's standard rule", () => {
    const w = scalar(2.5); // weak f32[]
    const s = array([1, 2, 3], { dtype: "float32" });
    expect(lax.broadcastInDim(w, [3], []).weakType).toBe(true);
    expect(lax.expandDims(lax.broadcastInDim(w, [3], []), [0]).weakType).toBe(true);
    expect(lax.reshape(lax.broadcastInDim(w, [2, 3], []), [6]).weakType).toBe(true);
    expect(lax.pad(s, 0, [[1, 1, 0]]).weakType).toBe(false);
    expect(lax.pad(lax.broadcastInDim(w, [3], []), 0, [[1, 1, 0]]).weakType).toBe(true);
    expect(lax.concatenate([s, lax.broadcastInDim(w, [3], [])], 0).weakType).toBe(false);
    expect(lax.iota("float32", 3).weakType).toBe(false);
  });
});

describe("structural buffers", () => {
  it("reshape, squeeze and size-1 expand_dims reuse the immutable buffer; copies leave inputs intact", () => {
    const data = new Float32Array([1, -0, 3, NaN, 5, 6]);
    const x = fromTyped(data, [2, 3], float32);
    const y = lax.reshape(x, [3, 2]);
    expect(y._buf).toBe(x._buf);
    expect(lax.expandDims(y, [0, 3])._buf).toBe(x._buf);
    expect(lax.squeeze(lax.expandDims(y, [1]), [1])._buf).toBe(x._buf);
    // Ops that move elements allocate; nothing writes into the shared buffer.
    lax.transpose(y, [1, 0]);
    lax.rev(y, [0]);
    lax.pad(y, 9, [[1, 1, 1], [0, 0, 0]]);
    lax.concatenate([y, y], 1);
    lax.slice(y, [1, 0], [3, 2]);
    lax.broadcastInDim(y, [4, 3, 2], [1, 2]);
    expectSameValues(data, new Float32Array([1, -0, 3, NaN, 5, 6]), "input buffer");
    expectSameValues(y.dataSync(), new Float32Array([1, -0, 3, NaN, 5, 6]), "reshaped");
  });

  it("float16 results never round a caller's buffer in place", () => {
    const data = new Float32Array([0.1, 0.2, 0.3, 0.4]); // not float16 values
    const x = fromTyped(data, [2, 2], float16);
    const y = lax.reshape(x, [4]);
    expect(data[0]).toBe(Math.fround(0.1));
    expect(y.dataSync()[0]).not.toBe(Math.fround(0.1)); // rounded to half precision (0.0999755859375)
    expect(y.dataSync()[0]).toBe(0.0999755859375);
  });
});
