// Indexing primitives (dynamic_slice, dynamic_update_slice, gather, scatter family)
// against values computed by JAX 0.10.2 (tools/goldens/gen_indexing.py), the Jaxpr
// text JAX prints for them, and their error messages.
import { describe, expect, it } from "vitest";
import {
  Array,
  ShapeDtypeStruct,
  array,
  evalJaxpr,
  lax,
  makeJaxpr,
  type ClosedJaxpr,
} from "../src/index.js";
import { indexingCaseFn as caseFn, type IndexingCase as Case } from "./cases.js";
import { decode, expectMatches, loadGolden, type EncodedArray } from "./golden.js";


const cases = loadGolden<Case>("indexing");

describe("indexing vs JAX 0.10.2", () => {
  it("covers every op, dtype and mode", () => {
    const ops = new Set(cases.map((c) => c.op));
    expect([...ops].sort()).toEqual(
      [
        "dynamicIndexInDim",
        "dynamicSlice",
        "dynamicSliceInDim",
        "dynamicUpdateIndexInDim",
        "dynamicUpdateSlice",
        "dynamicUpdateSliceInDim",
        "gather",
        "scatter",
        "scatterAdd",
        "scatterMax",
        "scatterMin",
        "scatterMul",
        "scatterSub",
      ].sort(),
    );
    const dtypes = new Set(cases.filter((c) => c.op === "gather").map((c) => c.args[0]!.dtype));
    expect(dtypes.size).toBeGreaterThanOrEqual(8);
  });

  cases.forEach((c, n) => {
    it(`${c.op} #${n}: ${c.note}${c.params.mode ? ` [${c.params.mode}]` : ""}`, () => {
      const args = c.args.map(decode);
      const f = caseFn(c);
      const eager = f(...args);
      // Indexing only moves values or combines them one update at a time: results are exact.
      expectMatches(eager, c.out, { rtol: 0, atol: 0, label: "eager" });

      // Staged: the abstract eval agrees with eager, and evaluating the Jaxpr gives the same values.
      const closed = makeJaxpr(f)(...args.map((a) => new ShapeDtypeStruct(a.shape, a.dtype, a.weakType)));
      expect(closed.outAvals[0]!.strShort()).toBe(eager.aval.strShort());
      const [viaJaxpr] = evalJaxpr(closed.jaxpr, closed.consts, args);
      expectMatches(viaJaxpr!, c.out, { rtol: 0, atol: 0, label: "evalJaxpr" });

      // Static (JS number) start indices behave as int32 array indices.
      const nStatic = c.op === "dynamicSlice" ? 1 : c.op === "dynamicUpdateSlice" ? 2 : -1;
      // (JAX rejects static negative indices when allow_negative_indices=False, so those are skipped.)
      if (nStatic > 0 && c.params.allow_negative_indices && args.slice(nStatic).every((a) => a.dtype.name === "int32")) {
        const nums = args.slice(nStatic).map((a) => a.item() as number);
        expectMatches(f(...args.slice(0, nStatic), ...(nums as unknown as Array[])), c.out, { rtol: 0, atol: 0, label: "static" });
      }
    });
  });
});

// ---------------------------------------------------------------------------
// Jaxpr text

const jaxprCases = new Map(
  loadGolden<{ name: string; jaxpr: string }>("indexing_jaxpr").map((c) => [c.name, c.jaxpr] as const),
);
const S = (dtype: string, ...shape: number[]) => new ShapeDtypeStruct(shape, dtype);
const TAKE = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] };
const ROWS = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
type A = Array;
const f5 = S("float32", 5);
const i31 = S("int32", 3, 1);
const gatherFill = (dtype: string) => () =>
  makeJaxpr((x: A, i: A) => lax.gather(x, i, TAKE, [1], { mode: "fill" }))(S(dtype, 5), i31);

const programs: Record<string, () => ClosedJaxpr> = {
  gather_default: () => makeJaxpr((x: A, i: A) => lax.gather(x, i, TAKE, [1]))(f5, i31),
  gather_fill_f32: gatherFill("float32"),
  gather_fill_i8: gatherFill("int8"),
  gather_fill_u8: gatherFill("uint8"),
  gather_fill_i32: gatherFill("int32"),
  gather_fill_u32: gatherFill("uint32"),
  gather_fill_bool: gatherFill("bool"),
  gather_fill_value: () =>
    makeJaxpr((x: A, i: A) => lax.gather(x, i, TAKE, [1], { mode: "fill", fillValue: 2.5 }))(f5, i31),
  gather_clip_flags: () =>
    makeJaxpr((x: A, i: A) =>
      lax.gather(
        x,
        i,
        { offsetDims: [1], collapsedSliceDims: [2], startIndexMap: [2], operandBatchingDims: [0], startIndicesBatchingDims: [0] },
        [1, 3, 1],
        { mode: "clip", indicesAreSorted: true, uniqueIndices: true, fillValue: 7 },
      ),
    )(S("float32", 2, 3, 4), S("int32", 2, 5, 1)),
  scatter: () => makeJaxpr((x: A, i: A, y: A) => lax.scatter(x, i, y, ROWS))(f5, i31, S("float32", 3)),
  scatter_add: () => makeJaxpr((x: A, i: A, y: A) => lax.scatterAdd(x, i, y, ROWS))(f5, i31, S("float32", 3)),
  scatter_sub: () => makeJaxpr((x: A, i: A, y: A) => lax.scatterSub(x, i, y, ROWS))(f5, i31, S("float32", 3)),
  scatter_mul: () =>
    makeJaxpr((x: A, i: A, y: A) => lax.scatterMul(x, i, y, ROWS, { mode: "clip" }))(f5, i31, S("float32", 3)),
  scatter_min_i32: () =>
    makeJaxpr((x: A, i: A, y: A) => lax.scatterMin(x, i, y, ROWS, { mode: "promise_in_bounds" }))(
      S("int32", 5),
      i31,
      S("int32", 3),
    ),
  scatter_max_u8: () =>
    makeJaxpr((x: A, i: A, y: A) => lax.scatterMax(x, i, y, ROWS, { indicesAreSorted: true, uniqueIndices: true }))(
      S("uint8", 5),
      S("int8", 3, 1),
      S("uint8", 3),
    ),
  scatter_window: () =>
    makeJaxpr((x: A, i: A, y: A) =>
      lax.scatter(x, i, y, { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }),
    )(S("float32", 4, 3), S("int32", 2, 1), S("float32", 2, 3)),
  dynamic_slice_traced: () => makeJaxpr((x: A, i: A) => lax.dynamicSlice(x, [i], [2]))(f5, S("int32")),
  dynamic_slice_static_neg: () => makeJaxpr((x: A) => lax.dynamicSlice(x, [-1], [2]))(f5),
  dynamic_slice_u8: () => makeJaxpr((x: A, i: A) => lax.dynamicSlice(x, [i], [2]))(f5, S("uint8")),
  dynamic_slice_weak: () => makeJaxpr((x: A, i: A, j: A) => lax.dynamicSlice(x, [i, j], [1, 2]))(S("float32", 2, 3), 0, 1),
  dynamic_slice_no_neg: () =>
    makeJaxpr((x: A, i: A) => lax.dynamicSlice(x, [i], [2], { allowNegativeIndices: false }))(f5, S("int32")),
  dynamic_update_slice: () =>
    makeJaxpr((x: A, y: A, i: A) => lax.dynamicUpdateSlice(x, y, [i]))(f5, S("float32", 2), S("int32")),
  dynamic_update_slice_2d: () =>
    makeJaxpr((x: A, y: A, i: A) => lax.dynamicUpdateSlice(x, y, [i, 1]))(S("float32", 3, 4), S("float32", 1, 2), S("int32")),
  dynamic_slice_in_dim_i8: () =>
    makeJaxpr((x: A, i: A) => lax.dynamicSliceInDim(x, i, 2, 1))(S("float32", 3, 4), S("int8")),
  dynamic_update_slice_in_dim: () =>
    makeJaxpr((x: A, y: A, i: A) => lax.dynamicUpdateSliceInDim(x, y, i, 0))(S("float32", 3, 4), S("float32", 1, 4), S("int32")),
  scatter_add_twice: () =>
    makeJaxpr((x: A, i: A, y: A) => lax.scatterAdd(lax.scatterAdd(x, i, y, ROWS), i, y, ROWS))(f5, i31, S("float32", 3)),
};

describe("makeJaxpr prints indexing primitives exactly as JAX 0.10.2", () => {
  it("has a program for every JAX text", () => {
    expect(Object.keys(programs).sort()).toEqual([...jaxprCases.keys()].sort());
  });
  // scatter_add_twice checks hoisting: JAX prints a sub-Jaxpr used twice once,
  // as `let jaxpr = ... in` (jaxpr_format.md section 1.4).
  for (const [name, program] of Object.entries(programs)) {
    it(name, () => {
      expect(program().toString()).toBe(jaxprCases.get(name));
    });
  }
  it("shares one update_jaxpr per (combiner, dtype), as JAX caches it", () => {
    const j = makeJaxpr((x: A, i: A, y: A) => lax.scatterAdd(lax.scatterAdd(x, i, y, ROWS), i, y, ROWS))(
      f5,
      i31,
      S("float32", 3),
    );
    const [a, b] = j.eqns;
    expect(a!.params.update_jaxpr).toBe(b!.params.update_jaxpr);
    expect(a!.params.update_jaxpr).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------
// Params and their printing

describe("dimension numbers and modes", () => {
  it("print as JAX's reprs", () => {
    expect(String(new lax.GatherDimensionNumbers({ offsetDims: [1, 2], collapsedSliceDims: [0], startIndexMap: [0] }))).toBe(
      "GatherDimensionNumbers(offset_dims=(1, 2), collapsed_slice_dims=(0,), start_index_map=(0,), operand_batching_dims=(), start_indices_batching_dims=())",
    );
    expect(String(new lax.ScatterDimensionNumbers(ROWS))).toBe(
      "ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())",
    );
    expect(String(lax.GatherScatterMode.FILL_OR_DROP)).toBe("GatherScatterMode.FILL_OR_DROP");
    expect(String(lax.GatherScatterMode.CLIP)).toBe("GatherScatterMode.CLIP");
    expect(String(lax.GatherScatterMode.PROMISE_IN_BOUNDS)).toBe("GatherScatterMode.PROMISE_IN_BOUNDS");
  });
  it("are frozen", () => {
    const d = new lax.GatherDimensionNumbers(TAKE);
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d.offsetDims)).toBe(true);
  });
  it("parse modes as GatherScatterMode.from_any", () => {
    expect(lax.GatherScatterMode.fromAny("clip")).toBe(lax.GatherScatterMode.CLIP);
    expect(lax.GatherScatterMode.fromAny("fill")).toBe(lax.GatherScatterMode.FILL_OR_DROP);
    expect(lax.GatherScatterMode.fromAny("drop")).toBe(lax.GatherScatterMode.FILL_OR_DROP);
    expect(lax.GatherScatterMode.fromAny(null)).toBe(lax.GatherScatterMode.FILL_OR_DROP);
    expect(lax.GatherScatterMode.fromAny("promise_in_bounds")).toBe(lax.GatherScatterMode.PROMISE_IN_BOUNDS);
    expect(() => lax.GatherScatterMode.fromAny("wrap")).toThrow(/Unknown gather mode "wrap"/);
  });
  it("default modes and fill values follow lax.gather / lax.scatter", () => {
    const x = array([1, 2, 3], { dtype: "float32" });
    const i = array([[0]]);
    const g = makeJaxpr((a: A, b: A) => lax.gather(a, b, TAKE, [1]))(x, i).eqns[0]!.params;
    expect(g.mode).toBe(lax.GatherScatterMode.PROMISE_IN_BOUNDS);
    expect(g.fill_value).toBeNull();
    const s = makeJaxpr((a: A, b: A, c: A) => lax.scatter(a, b, c, ROWS))(x, i, array([1], { dtype: "float32" })).eqns[0]!
      .params;
    expect(s.mode).toBe(lax.GatherScatterMode.FILL_OR_DROP);
    expect(s.update_jaxpr).toBeNull();
    expect(s.update_consts).toEqual([]);
  });
});

describe("weak types", () => {
  it("outputs keep the operand's weak type", () => {
    const weak = lax.convertElementType(array([0, 1.5, 2], { dtype: "float32" }), "float32", true);
    expect(lax.gather(weak, array([[1]]), TAKE, [1]).weakType).toBe(true);
    expect(lax.dynamicSlice(weak, [1], [2]).weakType).toBe(true);
    expect(lax.scatterAdd(weak, array([[1]]), lax.convertElementType(array([1], { dtype: "float32" }), "float32", true), ROWS).weakType).toBe(true);
    expect(lax.gather(array([1, 2], { dtype: "float32" }), array([[1]]), TAKE, [1]).weakType).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Errors: validated before any work, naming the op and the shapes

describe("errors", () => {
  const x = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
  const f5a = array([0, 1, 2, 3, 4], { dtype: "float32" });
  const idx = array([[0], [1]]);
  const cases: [string, () => unknown, RegExp][] = [
    ["dynamic_slice: index count", () => lax.dynamicSlice(x, [0], [1, 1]), /\[dynamic_slice\] needs one start index per operand dimension: got 1 for f32\[2,3\]/],
    ["dynamic_slice: slice too big", () => lax.dynamicSlice(x, [0, 0], [3, 1]), /\[dynamic_slice\] slice_sizes must be within \[0, dim\].*\(3, 1\) for f32\[2,3\]/],
    ["dynamic_slice: negative size", () => lax.dynamicSlice(x, [0, 0], [-1, 1]), /\[dynamic_slice\] slice_sizes must be within/],
    ["dynamic_slice: sizes rank", () => lax.dynamicSlice(x, [0, 0], [1]), /\[dynamic_slice\] slice_sizes \(1,\) must have one entry per dimension of f32\[2,3\]/],
    ["dynamic_slice: mixed index dtypes", () => lax.dynamicSlice(x, [lax.convertElementType(0, "int8"), 0], [1, 1]), /\[dynamic_slice\] start indices must be integers of the same dtype, got int8, int32/],
    ["dynamic_slice: float index", () => lax.dynamicSlice(x, [array(0.5), array(1.5)], [1, 1]), /\[dynamic_slice\] start indices must be integers of the same dtype, got float32, float32/],
    ["dynamic_slice: non-scalar index", () => lax.dynamicSliceP.bind1([x, array([0]), array([0])], { slice_sizes: [1, 1] }), /\[dynamic_slice\] start indices must be scalars, got i32\[1\], i32\[1\]/],
    ["dynamic_slice: non-integer static index", () => lax.dynamicSlice(x, [0.5, 0], [1, 1]), /\[dynamic_slice\] start index 0.5 is not an integer/],
    ["dynamic_slice: negative with allowNegativeIndices=false", () => lax.dynamicSlice(x, [-1, 0], [1, 1], { allowNegativeIndices: false }), /index -1 is out of bounds for dimension 2/],
    ["dynamic_update_slice: dtype", () => lax.dynamicUpdateSlice(x, array([[1]]), [0, 0]), /\[dynamic_update_slice\] operand and update must have the same dtype, got f32\[2,3\] and i32\[1,1\]/],
    ["dynamic_update_slice: rank", () => lax.dynamicUpdateSlice(x, array([1], { dtype: "float32" }), [0, 0]), /\[dynamic_update_slice\] update must have the same rank as the operand, got f32\[1\] for f32\[2,3\]/],
    ["dynamic_update_slice: too big", () => lax.dynamicUpdateSlice(x, array([[1], [2], [3]], { dtype: "float32" }), [0, 0]), /\[dynamic_update_slice\] update must not be larger than the operand.*f32\[3,1\] for f32\[2,3\]/],
    ["dynamic_update_slice: index count", () => lax.dynamicUpdateSlice(x, x, [0]), /\[dynamic_update_slice\] needs one start index per operand dimension/],
    ["dynamic_update_index_in_dim: update rank", () => lax.dynamicUpdateIndexInDim(x, lax.reshape(f5a, [5, 1, 1]), 0, 0), /\[dynamic_update_index_in_dim\] update must have rank 2 or 1, got f32\[5,1,1\] for f32\[2,3\]/],
    ["dynamic_slice_in_dim: axis", () => lax.dynamicSliceInDim(x, 0, 1, 2), /\[dynamic_slice_in_dim\] axis 2 is out of bounds for an array of rank 2/],
    ["gather: float indices", () => lax.gather(f5a, array([[0.5]]), TAKE, [1]), /\[gather\] indices must have an integer dtype, got f32\[1,1\]/],
    ["gather: rank-0 indices", () => lax.gather(f5a, array(0), TAKE, [1]), /\[gather\] indices must have at least one dimension/],
    ["gather: start_index_map length", () => lax.gather(x, array([[0, 1]]), { offsetDims: [], collapsedSliceDims: [0, 1], startIndexMap: [0] }, [1, 1]), /\[gather\] start_index_map has 1 elements but the index vector \(last\) dimension of the indices has size 2/],
    ["gather: start_index_map range", () => lax.gather(f5a, idx, { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [1] }, [1]), /\[gather\] invalid start_index_map: domain is \[0, 1\), got 0->1/],
    ["gather: offset_dims unsorted", () => lax.gather(x, idx, { offsetDims: [2, 1], collapsedSliceDims: [], startIndexMap: [0] }, [1, 3]), /\[gather\] offset_dims must be sorted; got \(2, 1\)/],
    ["gather: offset_dims range", () => lax.gather(x, idx, { offsetDims: [1, 5], collapsedSliceDims: [], startIndexMap: [0] }, [1, 3]), /\[gather\] offset dimension 1 is out of bounds: got 5, but should be in \[0, 3\)/],
    ["gather: collapsed range", () => lax.gather(f5a, idx, { offsetDims: [], collapsedSliceDims: [1], startIndexMap: [0] }, [1]), /\[gather\] invalid collapsed_slice_dims: valid range is \[0, 1\), got 1/],
    ["gather: collapsed size != 1", () => lax.gather(x, idx, { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [2, 3]), /\[gather\] can only collapse slice dims of size 1, but slice size is 2 for dimension 0/],
    ["gather: slice size too big", () => lax.gather(x, idx, { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 4]), /\[gather\] slice size at index 1 is out of range: must be within \[0, 3\], got 4/],
    ["gather: slice_sizes rank", () => lax.gather(x, idx, { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }, [1]), /\[gather\] needs one slice size per operand dimension: got slice_sizes=\(1,\) for f32\[2,3\]/],
    ["gather: dims not covered", () => lax.gather(x, idx, { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 3]), /\[gather\] every operand dimension must be an offset dimension or collapsed or batching/],
    ["gather: batching overlaps start_index_map", () => lax.gather(x, array([[0], [1]]), { offsetDims: [1], collapsedSliceDims: [], startIndexMap: [0], operandBatchingDims: [0], startIndicesBatchingDims: [0] }, [1, 3]), /\[gather\] start_index_map and operand_batching_dims must be disjoint; got \(0,\) and \(0,\)/],
    ["gather: batching count", () => lax.gather(x, idx, { offsetDims: [1], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [] }, [1, 1]), /\[gather\] needs as many operand_batching_dims as start_indices_batching_dims, got \(0,\) and \(\)/],
    ["gather: batching sizes", () => lax.gather(x, array([[0], [1], [2]]), { offsetDims: [], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [0] }, [1, 1]), /\[gather\] operand batching dimensions and indices batching dimensions must have the same sizes, got \(2,\) and \(3,\)/],
    ["gather: index vector dim as batching", () => lax.gather(x, idx, { offsetDims: [1], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [1] }, [1, 1]), /\[gather\] the index vector \(last\) dimension of the indices cannot be a batching dimension/],
    ["gather: repeated start_index_map", () => lax.gather(x, array([[0, 1]]), { offsetDims: [], collapsedSliceDims: [0, 1], startIndexMap: [0, 0] }, [1, 1]), /\[gather\] start_index_map must not repeat; got \(0, 0\)/],
    ["gather: bad dims list", () => lax.gather(x, idx, { offsetDims: [0.5], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 3]), /\[gather\] offset_dims must be a list of integers/],
    ["gather: bad mode", () => lax.gather(x, idx, TAKE, [1, 3], { mode: "wrap" as any }), /Unknown gather mode "wrap"/],
    ["scatter: dtype mismatch", () => lax.scatter(f5a, idx, array([1, 2]), ROWS), /\[scatter\] operand and updates must have the same dtype, got operand f32\[5\], indices i32\[2,1\], updates i32\[2\]/],
    ["scatter: float indices", () => lax.scatter(f5a, array([[0.5]]), array([1], { dtype: "float32" }), ROWS), /\[scatter\] indices must have an integer dtype, got f32\[1,1\]/],
    ["scatter: updates rank", () => lax.scatterAdd(f5a, idx, array([[1, 2]], { dtype: "float32" }), ROWS), /\[scatter-add\] updates must have rank 1 .*updates f32\[1,2\]/],
    ["scatter: scatter dim size", () => lax.scatterMul(f5a, idx, array([1, 2, 3], { dtype: "float32" }), ROWS), /\[scatter-mul\] scatter dimension 0 of the updates has size 3 but the corresponding indices dimension 0 has size 2/],
    ["scatter: window too big", () => lax.scatter(x, idx, array([[1, 2, 3, 4], [1, 2, 3, 4]], { dtype: "float32" }), { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }), /\[scatter\] window dimension 1 of the updates has size 4, larger than the corresponding operand dimension \(3\)/],
    ["scatter: window count", () => lax.scatterMin(x, idx, array([1, 2], { dtype: "float32" }), ROWS), /\[scatter-min\] update_window_dims, inserted_window_dims and operand_batching_dims must together cover the operand's 2 dimensions, got 1/],
    ["scatter: dims_to_operand size", () => lax.scatterMax(f5a, array([[0, 1]]), array([1], { dtype: "float32" }), ROWS), /\[scatter-max\] scatter_dims_to_operand_dims has 1 elements but the index vector \(last\) dimension of the indices has size 2/],
    ["scatter: dims_to_operand range", () => lax.scatter(f5a, idx, array([1, 2], { dtype: "float32" }), { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [3] }), /\[scatter\] invalid scatter_dims_to_operand_dims: domain is \[0, 1\), got 0->3/],
    ["scatter: inserted unsorted", () => lax.scatter(x, array([[0, 1]]), array([1], { dtype: "float32" }), { updateWindowDims: [], insertedWindowDims: [1, 0], scatterDimsToOperandDims: [0, 1] }), /\[scatter\] inserted_window_dims must be sorted; got \(1, 0\)/],
    ["scatter: batching sizes", () => lax.scatter(x, array([[0], [1], [2]]), array([1, 2, 3], { dtype: "float32" }), { updateWindowDims: [], insertedWindowDims: [1], scatterDimsToOperandDims: [1], operandBatchingDims: [0], scatterIndicesBatchingDims: [0] }), /\[scatter\] operand batching dimensions and indices batching dimensions must have the same sizes, got \(2,\) and \(3,\)/],
    ["scatter-add: bool", () => lax.scatterAdd(array([true, false]), idx, array([true, true]), ROWS), /\[scatter-add\] add does not accept bool operands, got bool\[2\]/],
    ["scatter-mul: bool via primitive", () => lax.scatterMulP.bind1([array([true, false]), idx, array([true, true])], {}), /\[scatter-mul\] requires numeric \(non-bool\) inputs, got bool\[2\]/],
  ];
  for (const [name, thunk, re] of cases) {
    it(name, () => {
      expect(thunk).toThrow(re);
    });
  }
  it("raise TypeError / RangeError", () => {
    expect(() => lax.gather(x, idx, TAKE, [1, 3])).toThrow(TypeError);
    expect(() => lax.dynamicSliceInDim(x, 0, 1, 5)).toThrow(RangeError);
  });
});
