// Vectorization: the batching trace. A BatchTracer holds a value with one extra
// axis (its batch dimension) or no batch axis at all (`null`).
import { Array, Tracer, asArray, type ArrayInput } from "../array.js";
import { MainTrace, Trace, bind, raise, withMainTrace, type Params, type Primitive } from "../core.js";
import { broadcastInDim, reshape, transpose } from "../primitives/structural.js";
import { ShapedArray } from "../shape.js";
import * as tree from "../tree.js";

/** Batch dimension of a value: an axis index, or null when not batched. */
export type BDim = number | null;

/**
 * A batching rule: given values (batched along `dims`) and the batch size,
 * return outputs and their batch dimensions.
 */
export type BatchRule = (vals: Array[], dims: BDim[], params: any, axisSize: number) => [Array[], BDim[]];

export function setBatch(p: Primitive, rule: BatchRule): void {
  p.rules.set("batch", rule);
}

export class BatchTracer extends Tracer {
  constructor(
    trace: Trace,
    readonly val: Array,
    readonly bdim: BDim,
  ) {
    super(trace, bdim === null ? val.aval : new ShapedArray(val.aval.shape.filter((_, i) => i !== bdim), val.dtype, val.weakType));
  }
  override toConcrete(): Array | null {
    // An unbatched value is the same for every batch element.
    if (this.bdim !== null) return null;
    return this.val instanceof Tracer ? this.val.toConcrete() : this.val;
  }
  override concretizationContext(): string {
    if (this.bdim !== null) return "The value is batched by vmap: it differs across the mapped axis.";
    return this.val instanceof Tracer ? this.val.concretizationContext() : "";
  }
}

interface BatchData {
  axisSize: number;
}

export class BatchTrace extends Trace {
  get axisSize(): number {
    return (this.main.globalData as BatchData).axisSize;
  }
  pure(x: Array): Array {
    return new BatchTracer(this, x, null);
  }
  lift(x: Tracer): Array {
    return new BatchTracer(this, x, null);
  }
  processPrimitive(prim: Primitive, args: Array[], params: Params): Array[] {
    const ts = args as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.bdim);
    if (dims.every((d) => d === null)) {
      return bind(prim, vals, params).map((o) => new BatchTracer(this, o, null));
    }
    const rule = prim.rules.get("batch") as BatchRule | undefined;
    if (!rule) throw new Error(`[vmap] batching rule for '${prim.name}' not implemented`);
    const [outs, outDims] = rule(vals, dims, params, this.axisSize);
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i] ?? null));
  }
}

// ---------------------------------------------------------------------------
// Helpers for batching rules

/** Move axis `from` of x to position `to`. */
export function moveaxis(x: Array, from: number, to: number): Array {
  if (from === to) return x;
  const perm = [...globalThis.Array(x.ndim).keys()].filter((i) => i !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** Put x's batch dimension at `to`, materializing it (broadcast) when x is unbatched. */
export function moveBatchAxis(axisSize: number, from: BDim, to: number, x: Array): Array {
  if (from === null) {
    const shape = [...x.aval.shape];
    shape.splice(to, 0, axisSize);
    const dims = [...globalThis.Array(x.ndim).keys()].map((i) => (i < to ? i : i + 1));
    return broadcastInDim(x, shape, dims);
  }
  return moveaxis(x, from, to);
}

/**
 * Batching rule for elementwise primitives: batch axes move to 0; an unbatched
 * operand gets a leading size-1 axis (lax broadcasts it) unless it is rank 0; a
 * batched scalar meeting arrays gets trailing size-1 axes.
 */
export function vectorizedBatch(p: Primitive): void {
  setBatch(p, (vals, dims, params) => {
    const rank = Math.max(...vals.map((v, i) => v.ndim - (dims[i] === null ? 0 : 1)));
    const moved = vals.map((v, i) => {
      const d = dims[i]!;
      if (d === null) {
        return v.ndim === 0 ? v : broadcastInDim(v, [1, ...v.aval.shape], v.aval.shape.map((_, k) => k + 1));
      }
      const m = moveaxis(v, d, 0);
      if (m.ndim - 1 < rank) return reshape(m, [m.aval.shape[0]!, ...globalThis.Array(rank).fill(1)]);
      return m;
    });
    return [p.bind(moved, params), p.multipleResults ? moved.map(() => 0) : [0]];
  });
}

// ---------------------------------------------------------------------------
// vmap

export interface VmapOptions {
  /** Per-argument batch axes: a number, null (broadcast), or a PyTree prefix of the arguments. */
  inAxes?: unknown;
  /** Where to put the batch axis of each output (prefix of the outputs). */
  outAxes?: unknown;
  /** The batch size, required when no input is batched. */
  axisSize?: number;
}

function fmtShape(s: readonly number[]): string {
  return `(${s.join(", ")}${s.length === 1 ? "," : ""})`;
}

export function vmapFlat(
  f: (...xs: Array[]) => unknown,
  args: Array[],
  inDims: BDim[],
  axisSize: number,
): { outs: Array[]; outDims: BDim[]; outTree: tree.PyTreeDef } {
  return withMainTrace(BatchTrace, { axisSize } satisfies BatchData, (main: MainTrace) => {
    const trace = new BatchTrace(main);
    const tracersIn = args.map((x, i) => new BatchTracer(trace, x, inDims[i] ?? null));
    const out = f(...tracersIn);
    const [leaves, outTree] = tree.flatten(out);
    const tracersOut = leaves.map((l) => raise(trace, asArray(l as ArrayInput)) as BatchTracer);
    return { outs: tracersOut.map((t) => t.val), outDims: tracersOut.map((t) => t.bdim), outTree };
  });
}

/** jax.vmap. */
export function vmap<F extends (...args: any[]) => any>(f: F, opts: VmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  const name = f.name || "<anonymous>";
  return ((...args: any[]) => {
    const inAxes = opts.inAxes ?? 0;
    const [leaves, inTree] = tree.flatten(args);
    let axes: unknown[];
    try {
      axes =
        typeof inAxes === "number" || inAxes === null
          ? leaves.map(() => inAxes)
          : tree.broadcastPrefix(inAxes, args, (x) => x === null, "vmap in_axes");
    } catch (e) {
      throw new TypeError(
        `[vmap] in_axes must be a number, null, or a tree prefix of the arguments of ${name} (a list with one entry per argument): ${(e as Error).message}`,
      );
    }
    const arrs = leaves.map((x) => asArray(x as ArrayInput));
    let size: number | null = opts.axisSize ?? null;
    const dims: BDim[] = arrs.map((a, i) => {
      const ax = axes[i];
      if (ax === null || ax === undefined) return null;
      if (typeof ax !== "number" || !Number.isInteger(ax)) {
        throw new TypeError(`[vmap] in_axes entries must be integers or null, got ${JSON.stringify(ax)}`);
      }
      if (ax < -a.ndim || ax >= a.ndim) {
        throw new RangeError(
          `[vmap] in_axes ${ax} is out of bounds for argument leaf ${i} of ${name} with shape ${fmtShape(a.aval.shape)}`,
        );
      }
      return ax < 0 ? ax + a.ndim : ax;
    });
    const sizes = arrs.map((a, i) => (dims[i] === null ? null : a.aval.shape[dims[i]!]!));
    const distinct = new Set(sizes.filter((s): s is number => s !== null));
    if (size !== null) distinct.add(size);
    if (distinct.size > 1) {
      const lines = arrs
        .map((a, i) => (dims[i] === null ? null : `  argument leaf ${i} has shape ${fmtShape(a.aval.shape)} and axis ${dims[i]} is to be mapped`))
        .filter((s) => s !== null);
      throw new TypeError(`[vmap] got inconsistent sizes for array axes to be mapped in ${name}:\n${lines.join("\n")}`);
    }
    if (distinct.size === 0) {
      throw new TypeError(`[vmap] ${name} has no batched inputs (all in_axes are null); pass axisSize`);
    }
    size = [...distinct][0]!;
    const { outs, outDims, outTree } = vmapFlat((...xs) => f(...(tree.unflatten(inTree, xs) as unknown[])), arrs, dims, size);
    const outAxesOpt = opts.outAxes ?? 0;
    const outAxes =
      typeof outAxesOpt === "number" || outAxesOpt === null
        ? outs.map(() => outAxesOpt)
        : tree.broadcastPrefix(outAxesOpt, tree.unflatten(outTree, outs), (x) => x === null, "vmap out_axes");
    const placed = outs.map((o, i) => {
      const to = outAxes[i] as number | null;
      if (to === null) {
        if (outDims[i] !== null) throw new TypeError(`[vmap] out_axes is null for output ${i} of ${name}, but it is batched`);
        return o;
      }
      const nd = o.ndim + (outDims[i] === null ? 1 : 0);
      return moveBatchAxis(size!, outDims[i]!, to < 0 ? to + nd : to, o);
    });
    return tree.unflatten(outTree, placed);
  }) as (...args: Parameters<F>) => ReturnType<F>;
}
