// sort (multi-operand, lexicographic over num_keys, stable) and top_k, from
// ONNX TopK, which breaks ties by the lower index (so each pass is stable).
// Keys sort by successive stable passes, least significant first; float keys
// take two passes (value with NaN as 0, then NaN last), as core's order has NaNs
// after everything and -0 equal to 0 (JAX's sort comparator); top_k orders +0
// before -0, as XLA's TopK, with one more pass.
import { lax } from "@jaxts/core";
import type { DT } from "../dtypes.js";
import type { GraphBuilder } from "../proto.js";
import { registerLowering } from "./table.js";
import { T, cast, dt, expand, isFloat, reshape } from "./util.js";
import { slice } from "./structural.js";

/** A type TopK implements that orders values of `t` the same way. */
function topkType(t: DT): DT {
  if (t === T.bool) return T.u8;
  if (t === T.u16) return T.i32;
  if (t === T.u32) return T.i64;
  return t;
}

function iotaAlong(g: GraphBuilder, shape: readonly number[], axis: number): string {
  const n = shape[axis]!;
  const place = shape.map((s, i) => (i === axis ? s : 1));
  const r = reshape(g, g.constant({ dtype: T.i64, dims: [n], values: Array.from({ length: n }, (_, i) => i) }), place);
  return expand(g, r, shape);
}

/** Stable pass: reorder `perm` so that `key` (already in perm order) is ascending (or descending). */
function stablePass(g: GraphBuilder, perm: string, key: string, axis: number, n: number, largest: boolean): string {
  const [, idx] = g.node("TopK", [key, g.i64([n])], { axis, largest: largest ? 1 : 0, sorted: 1 }, 2);
  return g.op("GatherElements", [perm, idx!], { axis });
}

/** Sort keys (float → [value with NaN→0, isNaN]) in the order passes apply them (least significant first). */
function passKeys(g: GraphBuilder, x: string, t: DT): string[] {
  if (!isFloat(t)) return [cast(g, x, t, topkType(t))];
  const nan = g.op("IsNaN", [x]);
  const v = g.op("Where", [nan, g.scalar(0, t), x]);
  return [v, g.op("Cast", [nan], { to: T.u8 })];
}

registerLowering(lax.sortP, ({ g }, ins, e) => {
  const { dimension: axis, num_keys: numKeys } = e.params as { dimension: number; num_keys: number };
  const shape = e.inAvals[0]!.shape;
  const n = shape[axis]!;
  if (n <= 1) return ins;
  let perm = iotaAlong(g, shape, axis);
  for (let j = numKeys - 1; j >= 0; j--) {
    for (const k of passKeys(g, ins[j]!, dt(e.inAvals[j]!))) {
      const cur = g.op("GatherElements", [k, perm], { axis });
      perm = stablePass(g, perm, cur, axis, n, false);
    }
  }
  return ins.map((x) => g.op("GatherElements", [x, perm], { axis }));
});

registerLowering(lax.topKP, ({ g }, [x], e) => {
  const { k, axis } = e.params as { k: number; axis: number };
  const shape = e.inAvals[0]!.shape;
  const n = shape[axis]!;
  const t = dt(e.inAvals[0]!);
  let perm = iotaAlong(g, shape, axis);
  // Largest first; NaNs (as +NaN) before everything; +0 before -0 (XLA's CPU
  // TopK compares floats as integers: a total order with -0 < +0), by a first,
  // least significant pass on the sign of zeros (1/x > 0 holds for +0, not -0).
  const keys = passKeys(g, x!, t);
  if (isFloat(t)) keys.unshift(g.op("Cast", [g.op("Greater", [g.op("Div", [g.scalar(1, t), x!]), g.scalar(0, t)])], { to: T.u8 }));
  for (const key of keys) {
    const cur = g.op("GatherElements", [key, perm], { axis });
    perm = stablePass(g, perm, cur, axis, n, true);
  }
  const starts = shape.map(() => 0);
  const ends = [...shape];
  ends[axis] = k;
  const top = k === n ? perm : slice(g, perm, starts, ends);
  return [g.op("GatherElements", [x!, top], { axis }), g.op("Cast", [top], { to: T.i32 })];
});
