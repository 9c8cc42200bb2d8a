// NumPy/JAX indexing of Arrays: `x.get(...)` reads and `x.at(...).set/add/...`
// updates, composed from lax (slice, dynamic_slice, gather, scatter*). It lives
// in core, not in @jaxts/numpy, so `x.get` works for every user of Array; the
// numpy package re-exports it and builds jnp.take & co. on top.
//
// The engine follows jax/_src/numpy/indexing.py (rewriting_take, NDIndexer,
// _index_to_gather) and jax/_src/ops/scatter.py (_scatter_update) step by step,
// so the same index gives the same primitives, in the same order, as in JAX:
// static integers and slices become `slice` (+ rev/squeeze/expand_dims), scalar
// array indices `dynamic_slice`, everything else a `gather` (or a scatter for
// updates). Indices are JS values:
//   - numbers (negative counts from the end), `null` (newaxis), `"..."`;
//   - slices: `{start, stop, step}` objects or NumPy strings, e.g. x.get("1:3, ..., None");
//   - integer index arrays (Arrays or nested JS lists) — advanced indexing with
//     NumPy's broadcasting and placement rules;
//   - boolean masks (Arrays or JS lists of booleans), which must be concrete.
import { Array, Tracer, array, arrayMethods, scalar, fromTyped, type ArrayInput, type NestedArray } from "./array.js";
import { bool, int32, resultTypeWithWeak, typedOf, castScalar, type DType } from "./dtypes.js";
import * as lax from "./lax.js";
import {
  GatherDimensionNumbers,
  GatherScatterMode,
  ScatterDimensionNumbers,
  type GatherScatterModeLike,
  type ScatterDimensionNumbersLike,
  type ScatterOptions,
} from "./primitives/indexing.js";
import { broadcastShapes, fmtAval, shapeEqual } from "./shape.js";
import { power, trueDivide } from "./methods.js";

const JsArray = globalThis.Array;

/** A NumPy slice `start:stop:step`; missing entries take NumPy's defaults. */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** One index element, as `x.get(...)` and `x.at(...)` take them. */
export type IndexItem = number | boolean | string | null | Slice | Array | NestedArray[];

/**
 * A boolean index that is not concrete (a traced mask under jit/vmap): the
 * result's shape would depend on the mask's values (JAX's NonConcreteBooleanIndexError).
 */
export class NonConcreteBooleanIndexError extends RangeError {
  override name = "NonConcreteBooleanIndexError";
}

// ---------------------------------------------------------------------------
// Parsing (JAX's IndexType.from_index and _parse_indices)

type Parsed =
  | { kind: "none" }
  | { kind: "ellipsis" }
  | { kind: "slice"; start: number | null; stop: number | null; step: number | null }
  | { kind: "int"; value: number }
  | { kind: "array"; value: Array }
  | { kind: "bool"; value: Array | boolean };

interface ParsedIndex {
  idx: Parsed;
  /** The axes of the indexed array this index consumes. */
  axes: number[];
}

const range = (a: number, b: number): number[] => JsArray.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

function describeItem(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x instanceof Array) return fmtAval(x.aval);
  try {
    return JSON.stringify(x);
  } catch {
    return String(x);
  }
}

function isSliceObject(x: unknown): x is Slice {
  if (typeof x !== "object" || x === null || x instanceof Array || JsArray.isArray(x)) return false;
  return Object.keys(x).every((k) => k === "start" || k === "stop" || k === "step");
}

function sliceEntry(op: string, v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new TypeError(`[${op}] slice ${what} must be a static integer or null, got ${describeItem(v)}`);
}

const intPattern = /^[+-]?\d+$/;

/** Split a NumPy-style index string ("1:3, ..., None", "::-1", ":, 0") into items. */
function parseIndexString(op: string, s: string): Parsed[] {
  const tokens = s.split(",").map((t) => t.trim());
  if (tokens.length > 1 && tokens[tokens.length - 1] === "") tokens.pop(); // "1," is the tuple (1,)
  return tokens.map((t): Parsed => {
    if (t === "...") return { kind: "ellipsis" };
    if (t === "None" || t === "newaxis") return { kind: "none" };
    if (intPattern.test(t)) return { kind: "int", value: Number(t) };
    const parts = t.split(":").map((p) => p.trim());
    if (parts.length === 2 || parts.length === 3) {
      const vals = parts.map((p) => (p === "" ? null : intPattern.test(p) ? Number(p) : undefined));
      if (vals.every((v) => v !== undefined)) {
        return { kind: "slice", start: vals[0]!, stop: vals[1]!, step: parts.length === 3 ? vals[2]! : null };
      }
    }
    throw new TypeError(
      `[${op}] cannot parse ${JSON.stringify(t)} in the index string ${JSON.stringify(s)}: expected integers, ` +
        `slices like "1:3" or "::-1", "..." or "None"`,
    );
  });
}

function indexArray(op: string, a: Array): Parsed {
  if (a.dtype === bool) return { kind: "bool", value: a };
  if (a.dtype.isInteger) return { kind: "array", value: a };
  throw new TypeError(`[${op}] indexer must have integer or boolean type, got indexer with type ${a.dtype.name} (${fmtAval(a.aval)})`);
}

function parseItem(op: string, x: unknown): Parsed[] {
  if (x === null) return [{ kind: "none" }];
  if (typeof x === "number") {
    if (!Number.isInteger(x)) throw new TypeError(`[${op}] indexer must have integer or boolean type, got the number ${x}`);
    return [{ kind: "int", value: x }];
  }
  if (typeof x === "boolean") return [{ kind: "bool", value: x }];
  if (typeof x === "string") return parseIndexString(op, x);
  if (x instanceof Array) return [indexArray(op, x)];
  if (JsArray.isArray(x)) {
    if (x.length === 0) return [{ kind: "array", value: fromTyped(new Int32Array(0), [0], int32) }];
    let a: Array;
    try {
      a = array(x as NestedArray[]);
    } catch (e) {
      throw new TypeError(`[${op}] a JS list index must be a (nested) list of integers or booleans: ${(e as Error).message}`);
    }
    return [indexArray(op, a)];
  }
  if (isSliceObject(x)) {
    const step = sliceEntry(op, x.step, "step");
    if (step === 0) throw new RangeError(`[${op}] slice step cannot be zero`);
    return [{ kind: "slice", start: sliceEntry(op, x.start, "start"), stop: sliceEntry(op, x.stop, "stop"), step }];
  }
  throw new TypeError(
    `[${op}] only integers, slices ({start, stop, step} or "1:3"), "..." (ellipsis), null (newaxis) and integer or ` +
      `boolean arrays are valid indices, got ${describeItem(x)}`,
  );
}

function ndimOf(p: Parsed): number {
  if (p.kind === "array") return p.value.ndim;
  if (p.kind === "bool") return typeof p.value === "boolean" ? 0 : p.value.ndim;
  return 0;
}

/** JAX's _parse_indices: which axes each index consumes (the ellipsis takes the rest). */
function parseIndices(op: string, items: readonly unknown[], shape: readonly number[]): ParsedIndex[] {
  const parsed = items.flatMap((x) => parseItem(op, x));
  const consumed = parsed.map((p) =>
    p.kind === "none" || p.kind === "ellipsis" ? 0 : p.kind === "bool" ? ndimOf(p) : 1,
  );
  const ellipses = parsed.flatMap((p, i) => (p.kind === "ellipsis" ? [i] : []));
  if (ellipses.length > 1) throw new RangeError(`[${op}] an index can only have a single ellipsis ('...')`);
  const total = consumed.reduce((a, b) => a + b, 0);
  if (total > shape.length) {
    throw new RangeError(`[${op}] too many indices: array is ${shape.length}-dimensional (shape (${shape.join(", ")})), but ${total} were indexed`);
  }
  if (ellipses.length) consumed[ellipses[0]!] = shape.length - total;
  let dim = 0;
  return parsed.map((idx, i) => {
    const axes = range(dim, dim + consumed[i]!);
    dim += consumed[i]!;
    return { idx, axes };
  });
}

/** The explicit full slices an ellipsis and the implicit trailing dimensions stand for. */
function expandEllipses(indices: ParsedIndex[], ndim: number): ParsedIndex[] {
  const full = (axis: number): ParsedIndex => ({ idx: { kind: "slice", start: null, stop: null, step: null }, axes: [axis] });
  const out: ParsedIndex[] = [];
  let consumed = 0;
  for (const p of indices) {
    consumed += p.axes.length;
    if (p.idx.kind === "ellipsis") out.push(...p.axes.map(full));
    else out.push(p);
  }
  for (let a = consumed; a < ndim; a++) out.push(full(a));
  return out;
}

/** Python's slice.indices(size): (start, stop, step) clamped into range. */
function sliceIndices(s: { start: number | null; stop: number | null; step: number | null }, size: number): [number, number, number] {
  const step = s.step ?? 1;
  const [lower, upper] = step < 0 ? [-1, size - 1] : [0, size];
  const clampI = (v: number | null, dflt: number) =>
    v === null ? dflt : v < 0 ? Math.max(v + size, lower) : Math.min(v, upper);
  return [clampI(s.start, step < 0 ? upper : lower), clampI(s.stop, step < 0 ? lower : upper), step];
}

/** JAX's core.canonicalize_slice: (start, step, size) of x[s]. */
function canonicalizeSlice(s: { start: number | null; stop: number | null; step: number | null }, size: number): [number, number, number] {
  const [start, stop, step] = sliceIndices(s, size);
  const gap = Math.abs(step);
  const distance = step > 0 ? stop - start : start - stop;
  return [start, step, Math.floor(Math.max(0, distance + gap - 1) / gap)];
}

// ---------------------------------------------------------------------------
// Reads: rewriting_take

export interface IndexOptions {
  /** The caller promises the (normalized) index arrays are sorted. */
  indicesAreSorted?: boolean;
  /** The caller promises the (normalized) index arrays hold no duplicates. */
  uniqueIndices?: boolean;
  /**
   * Out-of-bounds indices: "promise_in_bounds" (default: reads clamp, updates
   * drop), "clip" (clamp), "drop"/"fill" (updates dropped, reads give `fillValue`).
   */
  mode?: GatherScatterModeLike;
  /** Negative indices count from the end (default); when false they are out of bounds. */
  wrapNegativeIndices?: boolean;
}

export interface IndexGetOptions extends IndexOptions {
  /** For mode "fill": the value read out of bounds (default NaN, int min, uint max, true). */
  fillValue?: number | boolean | null;
}

const parseMode = (m: GatherScatterModeLike | undefined) => GatherScatterMode.fromAny(m ?? null);

interface StaticSlicer {
  start: number[];
  limit: number[];
  strides: number[] | null;
  rev: number[];
  squeeze: number[];
  newaxis: number[];
}

/** NDIndexer.to_static_slice, or null when the index is not all static ints and slices. */
function toStaticSlice(indices: ParsedIndex[], shape: readonly number[], normalize: boolean, mode: GatherScatterModeLike | undefined): StaticSlicer | null {
  const m = mode === null || mode === undefined ? GatherScatterMode.PROMISE_IN_BOUNDS : parseMode(mode);
  if (m !== GatherScatterMode.PROMISE_IN_BOUNDS && m !== GatherScatterMode.CLIP) return null;
  for (const { idx, axes } of indices) {
    if (idx.kind === "array" || idx.kind === "bool") return null;
    if (idx.kind === "int" && m === GatherScatterMode.PROMISE_IN_BOUNDS) {
      const size = shape[axes[0]!]!;
      const i = normalize && idx.value < 0 ? idx.value + size : idx.value;
      if (!(i >= 0 && i < size)) return null; // out of bounds: a clamping dynamic_slice instead
    }
  }
  const r: StaticSlicer = { start: [], limit: [], strides: [], rev: [], squeeze: [], newaxis: [] };
  for (const { idx, axes } of expandEllipses(indices, shape.length)) {
    const axis = axes[0]!;
    if (idx.kind === "none") {
      r.newaxis.push(r.start.length - r.squeeze.length + r.newaxis.length);
    } else if (idx.kind === "int") {
      const size = shape[axis]!;
      if (size === 0) return null;
      let s = idx.value;
      if (normalize && s < 0) s += size;
      s = Math.min(Math.max(s, 0), size - 1);
      r.start.push(s);
      r.limit.push(s + 1);
      r.strides!.push(1);
      r.squeeze.push(axis);
    } else if (idx.kind === "slice") {
      const size = shape[axis]!;
      const [start, stop, stride] = sliceIndices(idx, size);
      if (stride < 0) {
        const newStart = Math.min(size, stop + 1 + (Math.abs(start - stop - 1) % Math.abs(stride)));
        r.start.push(newStart);
        r.limit.push(Math.max(newStart, start + 1));
        r.strides!.push(Math.abs(stride));
        r.rev.push(axis);
      } else {
        r.start.push(start);
        r.limit.push(Math.max(start, stop));
        r.strides!.push(stride);
      }
    }
  }
  if (r.strides!.every((s) => s === 1)) r.strides = null;
  return r;
}

function applyStaticSlice(x: Array, r: StaticSlicer): Array {
  const trivial =
    r.strides === null && r.start.length === x.ndim && r.start.every((s, i) => s === 0 && r.limit[i] === x.shape[i]);
  let y = trivial ? x : lax.slice(x, r.start, r.limit, r.strides);
  if (r.rev.length) y = lax.rev(y, r.rev);
  if (r.squeeze.length) y = lax.squeeze(y, r.squeeze);
  if (r.newaxis.length) y = lax.expandDims(y, r.newaxis);
  return y;
}

interface DynamicSlicer {
  starts: ArrayInput[];
  sizes: number[];
  rev: number[];
  squeeze: number[];
  newaxis: number[];
  trivial: boolean;
}

/** NDIndexer.to_dynamic_slice, or null when the index needs a gather. */
function toDynamicSlice(indices: ParsedIndex[], shape: readonly number[], mode: GatherScatterModeLike | undefined): DynamicSlicer | null {
  if (mode !== null && mode !== undefined) {
    const m = parseMode(mode);
    if (m !== GatherScatterMode.PROMISE_IN_BOUNDS && m !== GatherScatterMode.CLIP) return null;
  }
  for (const { idx } of indices) {
    if (idx.kind === "slice" && idx.step !== null && idx.step !== 1 && idx.step !== -1) return null;
    if (idx.kind === "array" && idx.value.ndim !== 0) return null;
    if (idx.kind === "bool") return null;
  }
  const r: DynamicSlicer = { starts: [], sizes: [], rev: [], squeeze: [], newaxis: [], trivial: true };
  for (const { idx, axes } of expandEllipses(indices, shape.length)) {
    const axis = axes[0]!;
    if (idx.kind === "none") {
      r.newaxis.push(r.starts.length - r.squeeze.length + r.newaxis.length);
    } else if (idx.kind === "int" || idx.kind === "array") {
      r.trivial = false;
      if (shape[axis] === 0) return null;
      // A static integer is a concrete int32 here (as jnp.asarray(i) in JAX), so
      // dynamic_slice normalizes it with the same (constant) equations.
      r.starts.push(idx.kind === "int" ? scalar(idx.value, int32, false) : idx.value);
      r.sizes.push(1);
      r.squeeze.push(axis);
    } else if (idx.kind === "slice") {
      if (idx.start !== null || idx.stop !== null || idx.step !== null) r.trivial = false;
      const [start, stop, stride] = sliceIndices(idx, shape[axis]!);
      if (stride < 0) {
        const newStart = stop + 1 + (Math.abs(start - stop - 1) % Math.abs(stride));
        r.starts.push(newStart);
        r.sizes.push(Math.max(0, start + 1 - newStart));
        r.rev.push(axis);
      } else {
        r.starts.push(start);
        r.sizes.push(Math.max(0, stop - start));
      }
    }
  }
  if (r.starts.length > 1) {
    // dynamic_slice needs start indices of one dtype.
    r.starts = r.starts.map((s) => (typeof s === "number" ? scalar(s, int32, false) : lax.convertElementType(s, int32, false)));
  }
  return r;
}

function applyDynamicSlice(x: Array, r: DynamicSlicer, normalize: boolean): Array {
  let y = r.trivial ? x : lax.dynamicSlice(x, r.starts, r.sizes, { allowNegativeIndices: normalize });
  if (r.rev.length) y = lax.rev(y, r.rev);
  if (r.squeeze.length) y = lax.squeeze(y, r.squeeze);
  if (r.newaxis.length) y = lax.expandDims(y, r.newaxis);
  return y;
}

/** The concrete value of an array, or null when it is only known while tracing. */
function concreteValue(x: Array): Array | null {
  return x instanceof Tracer ? x.toConcrete() : x;
}

/** NDIndexer.expand_bool_indices: boolean masks become the integer arrays of their true positions. */
function expandBoolIndices(op: string, indices: ParsedIndex[], shape: readonly number[]): ParsedIndex[] {
  const out: ParsedIndex[] = [];
  indices.forEach(({ idx, axes }, position) => {
    if (idx.kind !== "bool" || typeof idx.value === "boolean") {
      out.push({ idx, axes });
      return;
    }
    const mask = concreteValue(idx.value);
    if (!mask) {
      throw new NonConcreteBooleanIndexError(
        `[${op}] boolean indices must be concrete; got the traced mask ${fmtAval(idx.value.aval)}. The shape of the ` +
          `result would depend on the mask's values, which are not known under jit/vmap. Use jnp.where(mask, x, other), ` +
          `or jnp.nonzero(mask, {size}) with a static size, instead.`,
      );
    }
    if (mask.ndim === 0) {
      out.push({ idx: { kind: "bool", value: Boolean(mask.item()) }, axes: [] });
      return;
    }
    const expected = axes.map((a) => shape[a]!);
    if (!mask.shape.every((s, i) => s === 0 || s === expected[i])) {
      throw new RangeError(
        `[${op}] boolean index did not match shape of indexed array in index ${position}: got (${mask.shape.join(", ")}), expected (${expected.join(", ")})`,
      );
    }
    // np.where(mask): one index array per masked axis, positions in row-major order.
    const data = mask.dataSync();
    const strides = mask.shape.map((_, i) => mask.shape.slice(i + 1).reduce((p, d) => p * d, 1));
    const hits: number[] = [];
    for (let k = 0; k < data.length; k++) if (data[k]) hits.push(k);
    axes.forEach((axis, d) => {
      const v = new Int32Array(hits.length);
      hits.forEach((k, n) => (v[n] = Math.floor(k / strides[d]!) % mask.shape[d]!));
      out.push({ idx: { kind: "array", value: fromTyped(v, [hits.length], int32) }, axes: [axis] });
    });
  });
  return out;
}

interface GatherIndexer {
  /** the shape of x[idx] */
  sliceShape: number[];
  gatherSliceShape: number[];
  gatherIndices: Array;
  dnums: GatherDimensionNumbers;
  uniqueIndices: boolean;
  indicesAreSorted: boolean;
  /** dimensions of the gather's output reversed afterwards (negative steps) */
  reversedYDims: number[];
  /** newaxis dimensions: inserted after a gather, squeezed out of a scatter's updates */
  newaxisDims: number[];
  /** scalar-boolean index positions: size-1 dimensions inserted into the operand */
  scalarBoolDims: number[];
}

/** JAX's _index_to_gather: every (bool-expanded) index as one gather. */
function indexToGather(op: string, indices0: ParsedIndex[], shape0: readonly number[], normalize: boolean): GatherIndexer {
  const isAdvancedPos = indices0.flatMap((p, i) => (p.idx.kind === "array" || p.idx.kind === "int" ? [i] : []));
  const advancedContiguous = isAdvancedPos.every((p, i) => i === 0 || p - isAdvancedPos[i - 1]! === 1);
  let indices = expandEllipses(indices0, shape0.length);

  // Scalar booleans become a new size-1 axis indexed by [0] (true) or [] (false).
  const scalarBoolDims = indices.flatMap((p, i) => (p.idx.kind === "bool" ? [i] : []));
  const shape = [...shape0];
  {
    let dim = 0;
    indices = indices.map(({ idx, axes }, i) => {
      if (idx.kind === "bool") {
        shape.splice(i, 0, 1);
        const v = idx.value === true ? new Int32Array([0]) : new Int32Array(0);
        return { idx: { kind: "array", value: fromTyped(v, [v.length], int32) }, axes: [dim++] };
      }
      const r = { idx, axes: range(dim, dim + axes.length) };
      dim += axes.length;
      return r;
    });
  }

  if (normalize) {
    indices = indices.map(({ idx, axes }) => {
      const size = shape[axes[0]!]!;
      if (idx.kind === "int") return { idx: { kind: "int", value: idx.value < 0 ? idx.value + size : idx.value }, axes };
      if (idx.kind === "array" && idx.value.dtype.kind !== "u") {
        const i = idx.value;
        const negative = lax.lt(i, scalar(0, i.dtype, false));
        const wrapped = lax.add(i, scalar(size, i.dtype, false));
        return { idx: { kind: "array", value: lax.select(negative, wrapped, i) }, axes };
      }
      return { idx, axes };
    });
  }

  // The advanced indices (integer arrays, and static integers when there are any arrays).
  let advanced: Array[] = [];
  let idxAdvancedAxes: number[] = [];
  let xAdvancedAxes: number[] = [];
  if (indices.some((p) => p.idx.kind === "array" && p.idx.value.ndim > 0)) {
    let j = 0;
    indices.forEach((p, i) => {
      if (p.idx.kind === "none") return;
      if (p.idx.kind === "array" || p.idx.kind === "int") {
        advanced.push(p.idx.kind === "int" ? scalar(p.idx.value, int32, true) : p.idx.value);
        idxAdvancedAxes.push(i);
        xAdvancedAxes.push(j);
      }
      j++;
    });
  }

  let xAxis = 0;
  let yAxis = 0;
  let collapsedYAxis = 0;
  const offsetDims: number[] = [];
  const collapsedSliceDims: number[] = [];
  const startIndexMap: number[] = [];
  const gatherIndices: [Array, number][] = [];
  const gatherIndicesShape: number[] = [];
  const sliceShape: number[] = [];
  const newaxisDims: number[] = [];
  const reversedYDims: number[] = [];
  const gatherSliceShape: number[] = [];
  const toIndexDType = (a: Array) => lax.convertElementType(a, int32, false);

  indices.forEach(({ idx }, idxPos) => {
    if (advanced.length && ((advancedContiguous && idxPos === idxAdvancedAxes[0]) || (!advancedContiguous && idxPos === 0))) {
      const bshape = broadcastShapes(op, ...advanced.map((a) => a.shape));
      const arrs = advanced.map((a) => (advanced.every((b) => shapeEqual(b.shape, advanced[0]!.shape)) ? a : broadcastToShape(a, bshape)));
      const start = gatherIndicesShape.length;
      for (const a of arrs) gatherIndices.push([toIndexDType(a), start]);
      gatherIndicesShape.push(...bshape);
      startIndexMap.push(...xAdvancedAxes);
      collapsedSliceDims.push(...xAdvancedAxes);
      sliceShape.push(...bshape);
      yAxis += bshape.length;
      collapsedYAxis += bshape.length;
    }
    if (idxAdvancedAxes.includes(idxPos)) {
      xAxis += 1;
      gatherSliceShape.push(1);
      return;
    }
    if ((idx.kind === "int" || idx.kind === "array") && (idx.kind === "int" || idx.value.ndim === 0)) {
      if (shape[xAxis] === 0) throw new RangeError(`[${op}] index is out of bounds for axis ${xAxis} with size 0`);
      const i = idx.kind === "int" ? scalar(idx.value, int32, false) : toIndexDType(idx.value);
      gatherIndices.push([i, gatherIndicesShape.length]);
      collapsedSliceDims.push(xAxis);
      gatherSliceShape.push(1);
      startIndexMap.push(xAxis);
      xAxis += 1;
    } else if (idx.kind === "none") {
      sliceShape.push(1);
      newaxisDims.push(yAxis);
      yAxis += 1;
    } else if (idx.kind === "slice") {
      const [start, step, sliceSize] = canonicalizeSlice(idx, shape[xAxis]!);
      sliceShape.push(sliceSize);
      if (step === 1) {
        if (sliceSize !== shape[xAxis]) {
          gatherIndices.push([scalar(start, int32, false), gatherIndicesShape.length]);
          startIndexMap.push(xAxis);
        }
        gatherSliceShape.push(sliceSize);
        offsetDims.push(collapsedYAxis);
      } else {
        let ix = lax.add(scalar(start, int32, false), lax.mul(scalar(step, int32, false), lax.iota(int32, sliceSize)));
        if (step < 0) {
          reversedYDims.push(collapsedYAxis);
          ix = lax.rev(ix, [0]);
        }
        gatherSliceShape.push(1);
        gatherIndices.push([ix, gatherIndicesShape.length]);
        startIndexMap.push(xAxis);
        gatherIndicesShape.push(sliceSize);
        collapsedSliceDims.push(xAxis);
      }
      collapsedYAxis += 1;
      yAxis += 1;
      xAxis += 1;
    } else {
      throw new Error(`[${op}] internal: unexpected index ${describeItem(idx)} at position ${idxPos}`);
    }
  });

  let gatherIndicesArray: Array;
  if (gatherIndices.length === 0) gatherIndicesArray = fromTyped(new Int32Array(0), [0], int32);
  else if (gatherIndices.length === 1) {
    const g = gatherIndices[0]![0];
    gatherIndicesArray = lax.expandDims(g, [g.ndim]);
  } else {
    const last = gatherIndicesShape.length;
    const full = [...gatherIndicesShape, 1];
    gatherIndicesArray = lax.concatenate(
      gatherIndices.map(([g, i]) => lax.broadcastInDim(g, full, range(i, i + g.ndim))),
      last,
    );
  }
  return {
    sliceShape,
    gatherSliceShape,
    gatherIndices: gatherIndicesArray,
    dnums: new GatherDimensionNumbers({
      offsetDims,
      collapsedSliceDims: [...collapsedSliceDims].sort((a, b) => a - b),
      startIndexMap,
    }),
    uniqueIndices: advanced.length === 0,
    indicesAreSorted: advanced.length === 0,
    reversedYDims,
    newaxisDims,
    scalarBoolDims,
  };
}

/** lax.broadcast_to: align trailing dimensions (size-1 dimensions stretch). */
function broadcastToShape(x: Array, shape: readonly number[]): Array {
  if (shapeEqual(x.shape, shape)) return x;
  const lead = shape.length - x.ndim;
  return lax.broadcastInDim(x, shape, range(lead, shape.length));
}

const hasZero = (s: readonly number[]) => s.some((d) => d === 0);

/**
 * `x[index]` with JAX's semantics (jnp's rewriting_take): a static slice when
 * the index is static ints and slices, a dynamic_slice for scalar array
 * indices, otherwise a gather. `op` names the caller in errors.
 */
export function rewritingTake(x: Array, index: readonly unknown[], opts: IndexGetOptions = {}, op = "get"): Array {
  const normalize = opts.wrapNegativeIndices ?? true;
  const indices = parseIndices(op, index, x.shape);
  const st = toStaticSlice(indices, x.shape, normalize, opts.mode);
  if (st) return applyStaticSlice(x, st);
  const dyn = toDynamicSlice(indices, x.shape, opts.mode);
  if (dyn) return applyDynamicSlice(x, dyn, normalize);

  const expanded = expandBoolIndices(op, indices, x.shape);
  const g = indexToGather(op, expanded, x.shape, normalize);
  let fill = opts.fillValue ?? null;
  if (fill !== null && typeof fill !== "number" && typeof fill !== "boolean") {
    throw new TypeError(`[${op}] fillValue must be a JS number or boolean, got ${describeItem(fill)}`);
  }
  let y = x;
  if (g.scalarBoolDims.length) y = lax.expandDims(y, g.scalarBoolDims);
  if (hasZero(g.sliceShape)) return lax.broadcastInDim(scalar(0, y.dtype, y.weakType), g.sliceShape, []);
  if (!hasZero(g.gatherIndices.shape)) {
    y = lax.gather(y, g.gatherIndices, g.dnums, g.gatherSliceShape, {
      uniqueIndices: Boolean(opts.uniqueIndices) || g.uniqueIndices,
      indicesAreSorted: Boolean(opts.indicesAreSorted) || g.indicesAreSorted,
      mode: opts.mode ?? null,
      fillValue: fill,
    });
  }
  if (g.reversedYDims.length) y = lax.rev(y, g.reversedYDims);
  return g.newaxisDims.length ? lax.expandDims(y, g.newaxisDims) : y;
}

// ---------------------------------------------------------------------------
// Updates: _scatter_update

type ScatterFn = (
  operand: ArrayInput,
  indices: ArrayInput,
  updates: ArrayInput,
  dnums: ScatterDimensionNumbersLike,
  opts?: ScatterOptions,
) => Array;

/** The values of an update, as jnp.asarray would make them (JS numbers stay weak scalars). */
type UpdateValues = ArrayInput | NestedArray[];

function valuesOf(op: string, v: unknown): Array | number | boolean {
  if (v instanceof Array || typeof v === "number" || typeof v === "boolean") return v;
  if (JsArray.isArray(v)) return array(v as NestedArray[]);
  throw new TypeError(`[${op}] update values must be an Array, a JS number or boolean, or a nested list, got ${describeItem(v)}`);
}

/**
 * `x[index] op= values`, functionally (JAX's _scatter_update): operand and
 * values are promoted together, values broadcast to the shape of x[index], the
 * scatter runs, and the result takes x's dtype and weak type again.
 */
export function scatterUpdate(
  x: Array,
  index: readonly unknown[],
  values: UpdateValues,
  scatterOp: ScatterFn,
  opts: IndexOptions = {},
  op = "at",
): Array {
  const normalize = opts.wrapNegativeIndices ?? true;
  let y = valuesOf(op, values);
  // A JS integer that fits x's integer dtype is taken in that dtype (no promotion).
  if (typeof y === "number" && Number.isInteger(y) && x.dtype.isInteger && fitsIn(y, x.dtype)) {
    y = scalar(y, x.dtype, false);
  }
  const indices = expandBoolIndices(op, parseIndices(op, index, x.shape), x.shape);
  const g = indexToGather(op, indices, x.shape, normalize);
  if (hasZero(g.sliceShape)) return x;

  const { dtype, weakType } = resultTypeWithWeak([x.aval, y instanceof Array ? y.aval : typedOf(y)]);
  const xp = lax.convertElementType(x, dtype, weakType);
  let yp = y instanceof Array ? lax.convertElementType(y, dtype, weakType) : scalar(castScalar(Number(y), dtype), dtype, weakType);
  if (yp.ndim > g.sliceShape.length || !yp.shape.every((d, i) => d === 1 || d === g.sliceShape[g.sliceShape.length - yp.ndim + i])) {
    throw new TypeError(
      `[${op}] cannot broadcast the update values ${fmtAval(yp.aval)} to the shape (${g.sliceShape.join(", ")}) of the indexed ${fmtAval(x.aval)}`,
    );
  }
  yp = broadcastToShape(yp, g.sliceShape);
  if (g.newaxisDims.length) yp = lax.squeeze(yp, g.newaxisDims);
  if (g.reversedYDims.length) yp = lax.rev(yp, g.reversedYDims);
  let operand = xp;
  if (g.scalarBoolDims.length) operand = lax.expandDims(operand, g.scalarBoolDims);
  const dnums = new ScatterDimensionNumbers({
    updateWindowDims: g.dnums.offsetDims,
    insertedWindowDims: g.dnums.collapsedSliceDims,
    scatterDimsToOperandDims: g.dnums.startIndexMap,
    operandBatchingDims: g.dnums.operandBatchingDims,
    scatterIndicesBatchingDims: g.dnums.startIndicesBatchingDims,
  });
  let out = scatterOp(operand, g.gatherIndices, yp, dnums, {
    indicesAreSorted: g.indicesAreSorted || Boolean(opts.indicesAreSorted),
    uniqueIndices: g.uniqueIndices || Boolean(opts.uniqueIndices),
    mode: opts.mode ?? null,
  });
  if (g.scalarBoolDims.length) out = lax.squeeze(out, g.scalarBoolDims);
  return lax.convertElementType(out, x.dtype, x.weakType);
}

function fitsIn(v: number, d: DType): boolean {
  const bits = d.bits;
  const [lo, hi] = d.kind === "u" ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  return v >= lo && v <= hi;
}

const onesLike = (x: Array) => lax.broadcastInDim(scalar(1, x.dtype, x.weakType), x.shape, []);

/**
 * `x.at(...index)`: functional indexed updates, as JAX's `x.at[index]`. Every
 * method returns a new array; repeated indices accumulate (add, multiply, min,
 * max, apply); out-of-bounds updates are dropped unless `mode: "clip"`.
 */
export class IndexUpdateRef {
  constructor(
    readonly array: Array,
    readonly index: readonly IndexItem[],
  ) {}

  /** `x[index]`, with `mode` / `fillValue` for out-of-bounds reads. */
  get(opts: IndexGetOptions = {}): Array {
    return rewritingTake(this.array, this.index, opts, "at.get");
  }
  /** `x[index] = values` (for repeated indices one of the values wins). */
  set(values: UpdateValues, opts: IndexOptions = {}): Array {
    return scatterUpdate(this.array, this.index, values, lax.scatter, opts, "at.set");
  }
  /** `x[index] += values` (repeated indices accumulate). */
  add(values: UpdateValues, opts: IndexOptions = {}): Array {
    return scatterUpdate(this.array, this.index, values, lax.scatterAdd, opts, "at.add");
  }
  /** `x[index] -= values`. */
  subtract(values: UpdateValues, opts: IndexOptions = {}): Array {
    return scatterUpdate(this.array, this.index, values, lax.scatterSub, opts, "at.subtract");
  }
  /** `x[index] *= values`. */
  multiply(values: UpdateValues, opts: IndexOptions = {}): Array {
    return scatterUpdate(this.array, this.index, values, lax.scatterMul, opts, "at.multiply");
  }
  /** Alias of `multiply`. */
  mul(values: UpdateValues, opts: IndexOptions = {}): Array {
    return this.multiply(values, opts);
  }
  /** `x[index] /= values` (x divided by the product of the values at each position; integers give floats). */
  divide(values: UpdateValues, opts: IndexOptions = {}): Array {
    const d = scatterUpdate(onesLike(this.array), this.index, values, lax.scatterMul, opts, "at.divide");
    return trueDivide(this.array, d);
  }
  /** `x[index] **= values`. */
  power(values: UpdateValues, opts: IndexOptions = {}): Array {
    const p = scatterUpdate(onesLike(this.array), this.index, values, lax.scatterMul, opts, "at.power");
    return power(this.array, p);
  }
  /** `x[index] = minimum(x[index], values)`. */
  min(values: UpdateValues, opts: IndexOptions = {}): Array {
    return scatterUpdate(this.array, this.index, values, lax.scatterMin, opts, "at.min");
  }
  /** `x[index] = maximum(x[index], values)`. */
  max(values: UpdateValues, opts: IndexOptions = {}): Array {
    return scatterUpdate(this.array, this.index, values, lax.scatterMax, opts, "at.max");
  }
  /**
   * Apply an elementwise function at the indices (`ufunc.at(x, index)`): an
   * element hit k times gets `fn` applied k times. Like JAX's scatter_apply it
   * is not meant for differentiation.
   */
  apply(fn: (x: Array) => Array, opts: IndexOptions = {}): Array {
    const x = this.array;
    const zeros = lax.broadcastInDim(scalar(0, int32, false), x.shape, []);
    const counts = scatterUpdate(zeros, this.index, 1, lax.scatterAdd, opts, "at.apply");
    const step = (y: Array, k: ArrayInput) => {
      const hit = lax.gt(counts, k instanceof Array ? k : scalar(k, int32, false));
      return lax.select(hit, lax.convertElementType(fn(y), x.dtype, x.weakType), y);
    };
    const concrete = concreteValue(counts);
    if (concrete) {
      const most = x.size === 0 ? 0 : Math.max(...concrete.dataSync());
      let y = x;
      for (let k = 0; k < most; k++) y = step(y, k);
      return y;
    }
    const most = lax.reduceMax(counts, range(0, counts.ndim));
    const [, out] = lax.whileLoop(
      ([k]: Array[]) => lax.lt(k!, most),
      ([k, y]: Array[]) => [lax.add(k!, scalar(1, int32, false)), step(y!, k!)],
      [scalar(0, int32, false), x],
    ) as Array[];
    return out!;
  }

  toString(): string {
    return `IndexUpdateRef(${fmtAval(this.array.aval)}, ${describeItem(this.index)})`;
  }
}

arrayMethods.get = (x: Array, ...index: unknown[]) => rewritingTake(x, index);
arrayMethods.at = (x: Array, ...index: IndexItem[]) => new IndexUpdateRef(x, index);
