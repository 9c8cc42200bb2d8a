// CPU kernels of sort and top_k. Each lane along the sorted axis is sorted as a
// permutation of indices (ties broken by index, so the result is stable and
// deterministic), then every operand is gathered through the permutation.
// Elements are moved as raw bits so NaN signs and -0.0 survive.
import type { TypedArray } from "../../dtypes.js";
import { sortP, topKP, type SortParams, type TopKParams } from "../../primitives/sort.js";
import { alloc, registerCpuKernel } from "./kernels.js";

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The elements as unsigned words (`w` per element), to copy them bit for bit. */
function rawView(t: TypedArray): { raw: TypedArray; w: number } {
  if (t instanceof Float64Array) return { raw: new Uint32Array(t.buffer, t.byteOffset, t.length * 2), w: 2 };
  if (t instanceof Float32Array) return { raw: new Uint32Array(t.buffer, t.byteOffset, t.length), w: 1 };
  return { raw: t, w: 1 };
}

/** The word holding the sign bit of element i of a float raw view. */
const signWord = (w: number, i: number): number => (w === 2 && littleEndian ? 2 * i + 1 : i * w);

/**
 * Iterate over the lanes along `axis`: f(outer, inner, stride) for each, where
 * element j of the lane is at (outer * shape[axis] + j) * stride + inner.
 */
function forEachLane(shape: readonly number[], axis: number, f: (outer: number, inner: number, stride: number) => void): void {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let stride = 1;
  for (let i = axis + 1; i < shape.length; i++) stride *= shape[i]!;
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < stride; s++) f(o, s, stride);
  }
}

/**
 * sort's key order: -0.0 == 0.0, NaNs (of either sign) equal to each other and
 * after everything else.
 */
function compareKeys(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

registerCpuKernel(sortP, (ins, { dimension, num_keys }: SortParams, inAvals, outAvals) => {
  const outs = outAvals.map((a) => alloc(a));
  const shape = inAvals[0]!.shape;
  const n = shape[dimension]!;
  if (outs[0]!.length === 0) return outs;
  const keys = Array.from({ length: num_keys }, () => new Float64Array(n));
  const perm = new Uint32Array(n);
  const srcs = ins.map(rawView);
  const dsts = outs.map(rawView);
  const k0 = keys[0]!;
  const cmp =
    num_keys === 1
      ? (i: number, j: number) => compareKeys(k0[i]!, k0[j]!) || i - j
      : (i: number, j: number) => {
          for (let k = 0; k < num_keys; k++) {
            const c = compareKeys(keys[k]![i]!, keys[k]![j]!);
            if (c !== 0) return c;
          }
          return i - j;
        };
  forEachLane(shape, dimension, (o, s, stride) => {
    const base = o * n * stride + s;
    for (let k = 0; k < num_keys; k++) {
      const src = ins[k]!;
      const key = keys[k]!;
      for (let j = 0; j < n; j++) key[j] = src[base + j * stride]!;
    }
    for (let j = 0; j < n; j++) perm[j] = j;
    perm.sort(cmp);
    for (let op = 0; op < ins.length; op++) {
      const { raw: src, w } = srcs[op]!;
      const dst = dsts[op]!.raw;
      for (let j = 0; j < n; j++) {
        const from = (base + perm[j]! * stride) * w;
        const to = (base + j * stride) * w;
        for (let t = 0; t < w; t++) dst[to + t] = src[from + t]!;
      }
    }
  });
  return outs;
});

registerCpuKernel(topKP, ([x], { k, axis }: TopKParams, [xa], [va, ia]) => {
  const values = alloc(va!);
  const indices = alloc(ia!);
  const shape = xa!.shape;
  const n = shape[axis]!;
  if (values.length === 0) return [values, indices];
  const isFloat = xa!.dtype.kind === "f";
  const vals = new Float64Array(n);
  // Float class in the total order: 0 = -NaN, 1 = a number, 2 = +NaN.
  const cls = new Int8Array(n).fill(1);
  const perm = new Uint32Array(n);
  const { raw: src, w } = rawView(x!);
  const dst = rawView(values).raw;
  const cmp = (i: number, j: number): number => {
    const ci = cls[i]!;
    const cj = cls[j]!;
    if (ci !== cj) return cj - ci;
    const a = vals[i]!;
    const b = vals[j]!;
    if (a > b) return -1;
    if (a < b) return 1;
    if (a === 0 && b === 0) {
      const na = 1 / a < 0;
      if (na !== 1 / b < 0) return na ? 1 : -1;
    }
    return i - j;
  };
  forEachLane(shape, axis, (o, s, stride) => {
    const base = o * n * stride + s;
    for (let j = 0; j < n; j++) {
      const e = base + j * stride;
      const v = x![e]!;
      vals[j] = v;
      if (isFloat) cls[j] = v !== v ? (src[signWord(w, e)]! >>> 31 ? 0 : 2) : 1;
      perm[j] = j;
    }
    perm.sort(cmp);
    const outBase = o * k * stride + s;
    for (let j = 0; j < k; j++) {
      const p = perm[j]!;
      const from = (base + p * stride) * w;
      const to = (outBase + j * stride) * w;
      for (let t = 0; t < w; t++) dst[to + t] = src[from + t]!;
      indices[outBase + j * stride] = p;
    }
  });
  return [values, indices];
});
