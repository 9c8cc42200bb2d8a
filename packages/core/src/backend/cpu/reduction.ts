// CPU kernels of the reductions: reduce_* over axes, argmax/argmin, windowed and
// cumulative reductions. Loops run over row-major typed arrays with precomputed
// strides.
//
// Numerics: floating-point sums, products and cumulative sums/products/logsumexps
// accumulate in float64 and round once to the output dtype. XLA accumulates
// float16 in float32 (it promotes narrow float reductions internally) and float32
// in float32, so results can differ from JAX's in the last place, never by more.
// Integer sums and products wrap around (two's complement), as in XLA. max/min
// are XLA's (NaN wins; -0 < +0, so max(-0, +0) = +0): JS's Math.max/Math.min.
// Empty reductions give the identity.
import type { Primitive } from "../../core.js";
import type { DType, TypedArray } from "../../dtypes.js";
import * as P from "../../primitives/reduction.js";
import { stridesOf, type Shape } from "../../shape.js";
import { alloc, registerCpuKernel1 } from "./kernels.js";

const isFloat = (d: DType): boolean => d.kind === "f";
const isInt32 = (d: DType): boolean => d.name === "int32" || d.name === "uint32";

/** For each input element (row-major), the flat index of the output element it reduces into. */
function outIndexMap(shape: Shape, axes: readonly number[]): Int32Array {
  const nd = shape.length;
  let n = 1;
  for (const d of shape) n *= d;
  const map = new Int32Array(n);
  if (nd === 0 || n === 0) return map;
  const ostr = new Array<number>(nd).fill(0);
  let acc = 1;
  for (let i = nd - 1; i >= 0; i--) {
    if (!axes.includes(i)) {
      ostr[i] = acc;
      acc *= shape[i]!;
    }
  }
  const last = nd - 1;
  const lastLen = shape[last]!;
  const lastStr = ostr[last]!;
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let i = 0; i < n; i += lastLen) {
    for (let j = 0; j < lastLen; j++) map[i + j] = base + j * lastStr;
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      base += ostr[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= ostr[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

type ReduceKernel = (x: TypedArray, map: Int32Array, out: TypedArray, d: DType) => TypedArray;

function registerReduce(p: Primitive, k: ReduceKernel): void {
  registerCpuKernel1(p, ([x], { axes }: P.ReduceParams, [xa], out) => k(x!, outIndexMap(xa!.shape, axes), alloc(out), xa!.dtype));
}

registerReduce(P.reduceSumP, (x, map, o, d) => {
  // One element per output: XLA simplifies the sum to a reshape (reduce_sum([-0]) is -0).
  if (x.length === o.length) {
    o.set(x);
    return o;
  }
  if (isFloat(d)) {
    const acc = new Float64Array(o.length);
    for (let i = 0; i < x.length; i++) acc[map[i]!] += x[i]!;
    o.set(acc);
  } else {
    // Stores into the integer typed array wrap around.
    for (let i = 0; i < x.length; i++) o[map[i]!] += x[i]!;
  }
  return o;
});

registerReduce(P.reduceProdP, (x, map, o, d) => {
  if (isFloat(d)) {
    const acc = new Float64Array(o.length).fill(1);
    for (let i = 0; i < x.length; i++) acc[map[i]!] *= x[i]!;
    o.set(acc);
  } else if (isInt32(d)) {
    o.fill(1);
    for (let i = 0; i < x.length; i++) o[map[i]!] = Math.imul(o[map[i]!]!, x[i]!);
  } else {
    o.fill(1);
    for (let i = 0; i < x.length; i++) o[map[i]!] *= x[i]!;
  }
  return o;
});

registerReduce(P.reduceMaxP, (x, map, o, d) => {
  o.fill(P.maxIdentity(d));
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const k = map[i]!;
    o[k] = Math.max(o[k]!, v);
  }
  return o;
});

registerReduce(P.reduceMinP, (x, map, o, d) => {
  o.fill(P.minIdentity(d));
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const k = map[i]!;
    o[k] = Math.min(o[k]!, v);
  }
  return o;
});

registerReduce(P.reduceAndP, (x, map, o, d) => {
  o.fill(P.andIdentity(d));
  for (let i = 0; i < x.length; i++) o[map[i]!] &= x[i]!;
  return o;
});

registerReduce(P.reduceOrP, (x, map, o) => {
  for (let i = 0; i < x.length; i++) o[map[i]!] |= x[i]!;
  return o;
});

registerReduce(P.reduceXorP, (x, map, o) => {
  for (let i = 0; i < x.length; i++) o[map[i]!] ^= x[i]!;
  return o;
});

// ---------------------------------------------------------------------------
// One-axis kernels see the operand as [outer, n, inner].

function splitAt(shape: Shape, axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

function registerArg(p: Primitive, better: (v: number, best: number) => boolean): void {
  registerCpuKernel1(p, ([x], { axes }: P.ArgMinMaxParams, [xa], out) => {
    const [outer, n, inner] = splitAt(xa!.shape, axes[0]);
    const o = alloc(out);
    const best = new Float64Array(inner);
    for (let a = 0; a < outer; a++) {
      const base = a * n * inner;
      const ob = a * inner;
      for (let j = 0; j < inner; j++) best[j] = x![base + j]!;
      for (let k = 1; k < n; k++) {
        const row = base + k * inner;
        for (let j = 0; j < inner; j++) {
          const b = best[j]!;
          if (b !== b) continue; // the first NaN wins
          const v = x![row + j]!;
          if (better(v, b) || v !== v) {
            best[j] = v;
            o[ob + j] = k;
          }
        }
      }
    }
    return o;
  });
}

// Strict comparisons keep the first index among ties.
registerArg(P.argmaxP, (v, b) => v > b);
registerArg(P.argminP, (v, b) => v < b);

// ---------------------------------------------------------------------------
// Cumulative reductions

type Combine = (acc: number, v: number) => number;

/**
 * A running combination along one axis. The first element is combined with the
 * identity too, as XLA's scan from the init value does: cumsum([-0]) is
 * 0 + -0 = +0 and cumlogsumexp([-0]) is +0, as in JAX.
 */
function registerCumulative(p: Primitive, combine: (d: DType) => Combine, identity: (d: DType) => number): void {
  registerCpuKernel1(p, ([x], { axis, reverse }: P.CumulativeParams, [xa], out) => {
    const d = xa!.dtype;
    const f = combine(d);
    const id = identity(d);
    const [outer, n, inner] = splitAt(xa!.shape, axis);
    const o = alloc(out);
    // Floats run in float64; integer running values wrap on store.
    const run = isFloat(d) ? new Float64Array(inner) : new d.storage(inner);
    for (let a = 0; a < outer; a++) {
      const base = a * n * inner;
      for (let t = 0; t < n; t++) {
        const row = base + (reverse ? n - 1 - t : t) * inner;
        if (t === 0) for (let j = 0; j < inner; j++) run[j] = f(id, x![row + j]!);
        else for (let j = 0; j < inner; j++) run[j] = f(run[j]!, x![row + j]!);
        for (let j = 0; j < inner; j++) o[row + j] = run[j]!;
      }
    }
    return o;
  });
}

// XLA's max/min: NaN wins, and -0 < +0 (IEEE 754-2019 maximum/minimum) — which
// is exactly JS's Math.max/Math.min.
const maxNaN: Combine = Math.max;
const minNaN: Combine = Math.min;

/** log(exp(a) + exp(b)), as jnp.logaddexp (inf + inf = inf, -inf + -inf = -inf). */
export function logaddexp(a: number, b: number): number {
  const m = Math.max(a, b);
  const delta = a - b;
  if (delta !== delta) return a + b;
  return m + Math.log1p(Math.exp(-Math.abs(delta)));
}

registerCumulative(P.cumsumP, () => (a, v) => a + v, () => 0);
registerCumulative(P.cumprodP, (d) => (isInt32(d) ? Math.imul : (a, v) => a * v), () => 1);
registerCumulative(P.cummaxP, () => maxNaN, P.maxIdentity);
registerCumulative(P.cumminP, () => minNaN, P.minIdentity);
registerCumulative(P.cumlogsumexpP, () => logaddexp, () => -Infinity);

// ---------------------------------------------------------------------------
// Windowed reductions: every output element reduces its window of the padded,
// base-dilated operand; padding and dilation holes hold the identity, so they
// are skipped. Per dimension and output index, the window's valid input offsets
// are precomputed, so the inner loop is a plain gather.

const SUM = 0;
const MAX = 1;
const MIN = 2;

function registerWindow(p: Primitive, mode: number): void {
  registerCpuKernel1(p, ([x], params: P.ReduceWindowParams, [xa], out) => {
    const d = xa!.dtype;
    const o = alloc(out);
    const nd = xa!.ndim;
    const identity = mode === SUM ? 0 : mode === MAX ? P.maxIdentity(d) : P.minIdentity(d);
    if (nd === 0) {
      o[0] = x![0]!; // a rank-0 window holds the one element
      return o;
    }
    const inShape = xa!.shape;
    const outShape = out.shape;
    const inStr = stridesOf(inShape);
    const { window_dimensions: wdims, window_strides: wstr, padding, base_dilation: bdil, window_dilation: wdil } = params;
    // offsets[k][i]: input offsets (along dim k, times its stride) in the window of output index i.
    const offsets: Int32Array[][] = inShape.map((s, k) => {
      const dil = s === 0 ? 0 : 1 + bdil[k]! * (s - 1);
      const per: Int32Array[] = [];
      for (let i = 0; i < outShape[k]!; i++) {
        const offs: number[] = [];
        for (let w = 0; w < wdims[k]!; w++) {
          const pos = i * wstr[k]! + w * wdil[k]! - padding[k]![0];
          if (pos >= 0 && pos < dil && pos % bdil[k]! === 0) offs.push((pos / bdil[k]!) * inStr[k]!);
        }
        per.push(Int32Array.from(offs));
      }
      return per;
    });
    const last = nd - 1;
    const oIdx = new Array<number>(nd).fill(0);
    const wIdx = new Array<number>(nd).fill(0);
    const cur = new Array<Int32Array>(nd);
    for (let oi = 0; oi < o.length; oi++) {
      let acc = identity;
      let empty = false;
      for (let k = 0; k < nd; k++) {
        cur[k] = offsets[k]![oIdx[k]!]!;
        if (cur[k]!.length === 0) empty = true;
      }
      if (!empty) {
        const inner = cur[last]!;
        wIdx.fill(0);
        for (;;) {
          let base = 0;
          for (let k = 0; k < last; k++) base += cur[k]![wIdx[k]!]!;
          if (mode === SUM) {
            for (let j = 0; j < inner.length; j++) acc += x![base + inner[j]!]!;
          } else if (mode === MAX) {
            // Math.max: NaN sticks, and +0 beats -0, as XLA's max.
            for (let j = 0; j < inner.length; j++) acc = Math.max(acc, x![base + inner[j]!]!);
          } else {
            for (let j = 0; j < inner.length; j++) acc = Math.min(acc, x![base + inner[j]!]!);
          }
          let k = last - 1;
          for (; k >= 0; k--) {
            if (++wIdx[k]! < cur[k]!.length) break;
            wIdx[k] = 0;
          }
          if (k < 0) break;
        }
      }
      o[oi] = acc;
      for (let k = last; k >= 0; k--) {
        if (++oIdx[k]! < outShape[k]!) break;
        oIdx[k] = 0;
      }
    }
    return o;
  });
}

registerWindow(P.reduceWindowSumP, SUM);
registerWindow(P.reduceWindowMaxP, MAX);
registerWindow(P.reduceWindowMinP, MIN);
