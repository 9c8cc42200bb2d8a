// Structural primitives: broadcast_in_dim, reshape, squeeze, transpose, rev,
// pad, concatenate, iota, slice.
import { lax } from "@jaxts/core";
import type { GraphBuilder } from "../proto.js";
import type { DT } from "../dtypes.js";
import { registerLowering1 } from "./table.js";
import { T, dt, expand, reshape, size } from "./util.js";
import { convert } from "./elementwise.js";

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function transpose(g: GraphBuilder, x: string, perm: readonly number[]): string {
  if (perm.every((p, i) => p === i)) return x;
  return g.op("Transpose", [x], { perm: [...perm] });
}

registerLowering1(lax.broadcastInDimP, ({ g }, [x], e) => {
  const { shape, broadcast_dimensions: dims } = e.params as { shape: number[]; broadcast_dimensions: number[] };
  const xa = e.inAvals[0]!;
  // Operand dims in increasing target order (JAX allows an implicit transpose).
  const order = dims.map((_, i) => i).sort((a, b) => dims[a]! - dims[b]!);
  let v = transpose(g, x!, order);
  const mid = shape.map(() => 1);
  order.forEach((i) => (mid[dims[i]!] = xa.shape[i]!));
  if (!same(mid, xa.shape)) v = reshape(g, v, mid);
  return same(mid, shape) ? v : expand(g, v, shape);
});

registerLowering1(lax.reshapeP, ({ g }, [x], e) => {
  const { new_sizes, dimensions } = e.params as { new_sizes: number[]; dimensions: number[] | null };
  const v = dimensions ? transpose(g, x!, dimensions) : x!;
  return same(e.inAvals[0]!.shape, new_sizes) && !dimensions ? v : reshape(g, v, new_sizes);
});

registerLowering1(lax.squeezeP, ({ g }, [x], e) => reshape(g, x!, e.outAvals[0]!.shape));

registerLowering1(lax.transposeP, ({ g }, [x], e) => transpose(g, x!, e.params.permutation));

registerLowering1(lax.revP, ({ g }, [x], e) => {
  const dims: number[] = [...e.params.dimensions];
  if (dims.length === 0) return x!;
  const shape = e.inAvals[0]!.shape;
  return g.op("Slice", [
    x!,
    g.i64(dims.map(() => -1)),
    g.i64(dims.map((d) => -(shape[d]! + 1))),
    g.i64(dims),
    g.i64(dims.map(() => -1)),
  ]);
});

export function slice(g: GraphBuilder, x: string, starts: number[], ends: number[], steps?: number[]): string {
  if (starts.length === 0) return x;
  const axes = starts.map((_, i) => i);
  const ins = [x, g.i64(starts), g.i64(ends), g.i64(axes)];
  if (steps && steps.some((s) => s !== 1)) ins.push(g.i64(steps));
  return g.op("Slice", ins);
}

/** lax.pad: lo/hi may be negative (cropping); interior padding between elements. */
export function pad(g: GraphBuilder, x: string, v: string, shape: readonly number[], cfg: readonly (readonly [number, number, number])[], t: DT): string {
  let cur = x;
  let curShape = [...shape];
  // Interior padding: per axis, add a unit axis after it, pad it, merge, drop the tail.
  cfg.forEach(([, , interior], d) => {
    const n = curShape[d]!;
    if (interior === 0 || n === 0) return;
    const r = curShape.length;
    const withUnit = [...curShape.slice(0, d + 1), 1, ...curShape.slice(d + 1)];
    const pads = new Array(2 * (r + 1)).fill(0);
    pads[r + 1 + d + 1] = interior;
    let y = g.op("Pad", [reshape(g, cur, withUnit), g.i64(pads), v]);
    const merged = [...curShape];
    merged[d] = n * (1 + interior);
    y = reshape(g, y, merged);
    const keep = n + (n - 1) * interior;
    const ends = [...merged];
    ends[d] = keep;
    cur = slice(g, y, merged.map(() => 0), ends);
    curShape = [...merged];
    curShape[d] = keep;
  });
  // Edge padding: positive parts with Pad, negative parts with Slice.
  const r = curShape.length;
  const pads = new Array(2 * r).fill(0);
  let needPad = false;
  cfg.forEach(([lo, hi], d) => {
    if (lo > 0) (pads[d] = lo), (needPad = true);
    if (hi > 0) (pads[r + d] = hi), (needPad = true);
  });
  if (needPad) {
    cur = g.op("Pad", [cur, g.i64(pads), v]);
    curShape = curShape.map((n, d) => n + pads[d] + pads[r + d]);
  }
  if (cfg.some(([lo, hi]) => lo < 0 || hi < 0)) {
    const starts = cfg.map(([lo]) => (lo < 0 ? -lo : 0));
    const ends = cfg.map(([, hi], d) => curShape[d]! + (hi < 0 ? hi : 0));
    cur = slice(g, cur, starts, ends);
  }
  void t;
  return cur;
}

registerLowering1(lax.padP, ({ g }, [x, v], e) => {
  const xa = e.inAvals[0]!;
  const out = e.outAvals[0]!;
  const t = dt(xa);
  if (xa.size === 0) return expand(g, v!, out.shape);
  // ORT's Pad lacks 16-bit integer kernels: go through int32.
  const c = t === T.i16 || t === T.u16 ? T.i32 : t;
  const cx = c === t ? x! : g.op("Cast", [x!], { to: c });
  const cv = c === t ? v! : g.op("Cast", [v!], { to: c });
  const r = pad(g, cx, cv, xa.shape, e.params.padding_config, c);
  return c === t ? r : g.op("Cast", [r], { to: t });
});

registerLowering1(lax.concatenateP, ({ g }, ins, e) => {
  const parts = ins.filter((_, i) => e.inAvals[i]!.size > 0);
  if (parts.length === 1) return parts[0]!;
  return g.op("Concat", parts, { axis: e.params.dimension });
});

registerLowering1(lax.iotaP, ({ g }, _ins, e) => {
  const { shape, dimension } = e.params as { shape: number[]; dimension: number };
  const out = e.outAvals[0]!;
  const n = shape[dimension]!;
  const t = dt(out);
  let r: string;
  if (n <= 64) r = g.constant({ dtype: t, dims: [n], values: Array.from({ length: n }, (_, i) => i) });
  else r = convert(g, g.op("Range", [g.scalar(0, T.i64), g.scalar(n, T.i64), g.scalar(1, T.i64)]), T.i64, t);
  const mid = shape.map((s, i) => (i === dimension ? s : 1));
  if (shape.length !== 1) r = reshape(g, r, mid);
  return size(mid) === size(shape) ? r : expand(g, r, shape);
});

registerLowering1(lax.sliceP, ({ g }, [x], e) => {
  const { start_indices, limit_indices, strides } = e.params as { start_indices: number[]; limit_indices: number[]; strides: number[] | null };
  return slice(g, x!, [...start_indices], [...limit_indices], strides ? [...strides] : undefined);
});
