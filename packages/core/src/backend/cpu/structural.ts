// CPU kernels of the structural primitives. Most are one strided copy: the
// output (or a window of it) is walked in row-major order while the source is
// read through per-dimension strides that encode the op (0 to broadcast, a
// permuted stride to transpose, a negative one to reverse, a multiple to slice
// with a step). Buffers are immutable, so ops that keep the row-major order
// (reshape without a permutation, squeeze, broadcast_in_dim that only inserts
// size-1 dimensions) return the input buffer itself.
import { float16, type TypedArray } from "../../dtypes.js";
import * as P from "../../primitives/structural.js";
import { stridesOf, type ShapedArray } from "../../shape.js";
import { alloc, registerCpuKernel1 } from "./kernels.js";

const TILE = 16;

/**
 * dst[dstOff + Σ i_k·dstStr_k] = src[srcOff + Σ i_k·srcStr_k] for every index i
 * of `shape`. Size-1 dimensions are dropped and dimensions contiguous in both
 * source and destination are merged first, so the inner loop runs as long as
 * possible (and becomes a block copy or a fill when it can).
 */
export function stridedCopy(
  src: TypedArray,
  srcOff: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOff: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  const dims: number[] = [];
  const ss: number[] = [];
  const ds: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    const n = shape[k]!;
    if (n === 0) return;
    if (n === 1) continue;
    const m = dims.length - 1;
    // Merge into the previous (outer) dimension when it steps exactly over this one.
    if (m >= 0 && ss[m] === srcStrides[k]! * n && ds[m] === dstStrides[k]! * n) {
      dims[m] = dims[m]! * n;
      ss[m] = srcStrides[k]!;
      ds[m] = dstStrides[k]!;
    } else {
      dims.push(n);
      ss.push(srcStrides[k]!);
      ds.push(dstStrides[k]!);
    }
  }
  const nd = dims.length;
  if (nd === 0) {
    dst[dstOff] = src[srcOff]!;
    return;
  }
  const inner = dims[nd - 1]!;
  const si = ss[nd - 1]!;
  const di = ds[nd - 1]!;
  // A transpose (the source is contiguous along some outer dimension, not the
  // inner one) is copied in square tiles of that dimension and the inner one, so
  // reads and writes both stay in cache. Every element is written once, so the
  // loop order is free: that dimension moves next to the inner one.
  let tiled = false;
  if (nd >= 2 && (si > 1 || si < -1) && inner >= TILE) {
    const p = ss.indexOf(1);
    if (p >= 0 && p < nd - 1 && dims[p]! >= TILE) {
      const q = nd - 2;
      [dims[p], dims[q]] = [dims[q]!, dims[p]!];
      [ss[p], ss[q]] = [ss[q]!, ss[p]!];
      [ds[p], ds[q]] = [ds[q]!, ds[p]!];
      tiled = true;
    }
  }
  const rows = tiled ? dims[nd - 2]! : 0;
  const sr = tiled ? ss[nd - 2]! : 0;
  const dr = tiled ? ds[nd - 2]! : 0;
  const outer = tiled ? nd - 2 : nd - 1;
  const idx = new Int32Array(outer);
  let s = srcOff;
  let d = dstOff;
  for (;;) {
    if (tiled) {
      for (let r0 = 0; r0 < rows; r0 += TILE) {
        const r1 = Math.min(rows, r0 + TILE);
        for (let c0 = 0; c0 < inner; c0 += TILE) {
          const c1 = Math.min(inner, c0 + TILE);
          for (let r = r0; r < r1; r++) {
            for (let c = c0, a = s + r * sr + c0 * si, b = d + r * dr + c0 * di; c < c1; c++, a += si, b += di) {
              dst[b] = src[a]!;
            }
          }
        }
      }
    } else if (di === 1 && si === 1 && inner >= 16) {
      dst.set(src.subarray(s, s + inner), d);
    } else if (di === 1 && si === 0) {
      dst.fill(src[s]!, d, d + inner);
    } else {
      for (let j = 0, a = s, b = d; j < inner; j++, a += si, b += di) dst[b] = src[a]!;
    }
    // Odometer over the outer dimensions.
    let k = outer - 1;
    for (; k >= 0; k--) {
      s += ss[k]!;
      d += ds[k]!;
      if (++idx[k]! < dims[k]!) break;
      s -= ss[k]! * dims[k]!;
      d -= ds[k]! * dims[k]!;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

/** Read `src` from `srcOff` through `srcStrides` into a fresh row-major array of `out`'s shape. */
function readStrided(src: TypedArray, srcOff: number, srcStrides: readonly number[], out: ShapedArray): TypedArray {
  const o = alloc(out);
  stridedCopy(src, srcOff, srcStrides, o, 0, stridesOf(out.shape), out.shape);
  return o;
}

/**
 * Reuse a buffer whose row-major layout is unchanged. float16 outputs are rounded
 * in place by runCpuKernel, so they get a copy: the input may be a caller's
 * typed array (fromTyped does not copy) that must not change.
 */
function sameLayout(x: TypedArray, out: ShapedArray): TypedArray {
  return out.dtype === float16 ? x.slice() : x;
}

registerCpuKernel1(P.broadcastInDimP, ([x], { broadcast_dimensions: bd }: P.BroadcastInDimParams, [xa], out) => {
  const inStrides = stridesOf(xa!.shape);
  const srcStrides = new Array<number>(out.ndim).fill(0);
  let increasing = true;
  for (let i = 0; i < bd.length; i++) {
    if (xa!.shape[i] !== 1) srcStrides[bd[i]!] = inStrides[i]!;
    if (i > 0 && bd[i]! < bd[i - 1]!) increasing = false;
  }
  if (out.size === xa!.size && increasing) return sameLayout(x!, out);
  if (xa!.size === 1) return alloc(out).fill(x![0]!);
  return readStrided(x!, 0, srcStrides, out);
});

registerCpuKernel1(P.reshapeP, ([x], { dimensions }: P.ReshapeParams, [xa], out) => {
  if (dimensions === null) return sameLayout(x!, out);
  // Transpose by `dimensions`, then the row-major reshape is free.
  const inStrides = stridesOf(xa!.shape);
  const permShape = dimensions.map((d) => xa!.shape[d]!);
  const o = alloc(out);
  stridedCopy(x!, 0, dimensions.map((d) => inStrides[d]!), o, 0, stridesOf(permShape), permShape);
  return o;
});

registerCpuKernel1(P.squeezeP, ([x], _params, _avals, out) => sameLayout(x!, out));

registerCpuKernel1(P.transposeP, ([x], { permutation }: { permutation: readonly number[] }, [xa], out) => {
  const inStrides = stridesOf(xa!.shape);
  return readStrided(x!, 0, permutation.map((d) => inStrides[d]!), out);
});

registerCpuKernel1(P.revP, ([x], { dimensions }: { dimensions: readonly number[] }, [xa], out) => {
  const strides = stridesOf(xa!.shape);
  let off = 0;
  for (const d of dimensions) {
    if (xa!.shape[d]! > 0) off += (xa!.shape[d]! - 1) * strides[d]!;
    strides[d] = -strides[d]!;
  }
  return readStrided(x!, off, strides, out);
});

registerCpuKernel1(P.padP, ([x, pv], { padding_config: cfg }: { padding_config: P.PaddingConfig }, [xa], out) => {
  const o = alloc(out).fill(pv![0]!);
  const inStrides = stridesOf(xa!.shape);
  const outStrides = stridesOf(out.shape);
  let srcOff = 0;
  let dstOff = 0;
  const dstStrides: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < xa!.ndim; i++) {
    const [lo, , interior] = cfg[i]!;
    const step = interior + 1;
    const n = xa!.shape[i]!;
    // Input index j lands at lo + j*step; keep the j that fall inside [0, out).
    const first = lo >= 0 ? 0 : Math.ceil(-lo / step);
    const last = Math.min(n - 1, Math.floor((out.shape[i]! - 1 - lo) / step));
    counts.push(Math.max(0, last - first + 1));
    srcOff += first * inStrides[i]!;
    dstOff += (lo + first * step) * outStrides[i]!;
    dstStrides.push(step * outStrides[i]!);
  }
  stridedCopy(x!, srcOff, inStrides, o, dstOff, dstStrides, counts);
  return o;
});

registerCpuKernel1(P.concatenateP, (xs, { dimension }: { dimension: number }, avals, out) => {
  const o = alloc(out);
  let outer = 1;
  for (let i = 0; i < dimension; i++) outer *= out.shape[i]!;
  let innerSize = 1;
  for (let i = dimension + 1; i < out.ndim; i++) innerSize *= out.shape[i]!;
  const rowOut = out.shape[dimension]! * innerSize;
  let col = 0;
  xs.forEach((x, k) => {
    const row = avals[k]!.shape[dimension]! * innerSize;
    if (row >= 32) {
      for (let r = 0; r < outer; r++) o.set(x.subarray(r * row, (r + 1) * row), r * rowOut + col);
    } else if (row > 0) {
      // Short rows (e.g. stacking columns along a last axis): a subarray per row costs more than the copy.
      for (let r = 0; r < outer; r++) {
        const src = r * row;
        const dst = r * rowOut + col;
        for (let j = 0; j < row; j++) o[dst + j] = x[src + j]!;
      }
    }
    col += row;
  });
  return o;
});

registerCpuKernel1(P.iotaP, (_xs, { shape, dimension }: P.IotaParams, _avals, out) => {
  const o = alloc(out);
  const n = shape[dimension]!;
  let inner = 1;
  for (let i = dimension + 1; i < shape.length; i++) inner *= shape[i]!;
  // o[i] = floor(i / inner) mod n; values wrap on store for narrow integer dtypes.
  for (let i = 0, v = 0, c = 0; i < o.length; i++) {
    o[i] = v;
    if (++c === inner) {
      c = 0;
      if (++v === n) v = 0;
    }
  }
  return o;
});

registerCpuKernel1(P.sliceP, ([x], { start_indices: start, strides }: P.SliceParams, [xa], out) => {
  const inStrides = stridesOf(xa!.shape);
  let off = 0;
  for (let i = 0; i < xa!.ndim; i++) off += start[i]! * inStrides[i]!;
  return readStrided(x!, off, strides ? inStrides.map((s, i) => s * strides[i]!) : inStrides, out);
});
