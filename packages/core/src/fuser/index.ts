// The kernel fuser shared by code-generating backends (DESIGN.md, "Compiled
// backends"): it groups a Jaxpr's equations into kernels and describes each
// kernel in a small IR that a backend renders (JS source for the CPU backend;
// WGSL for WebGPU later).
//
// Today it fuses elementwise chains: runs of consecutive single-output
// elementwise equations over one output shape, whose operands are arrays of
// that shape, size-1 arrays (broadcast) or values computed earlier in the run.
// Equations on size-1 values only (a scalar constant converted, say) join any
// run as `uniform` operations, computed once per kernel call rather than per
// element. Only values read after the run (or returned by the Jaxpr) are
// written to memory; the rest live in registers for one element at a time.
// Which primitives fuse is the backend's choice (`fusible`): a backend fuses
// what it can render (the CPU backend: its elementwise primitives, and
// broadcast_in_dim of a single value).
import type { Params, Primitive } from "../core.js";
import type { DType } from "../dtypes.js";
import { DropVar, Literal, type Jaxpr, type JaxprEqn, type Var } from "../jaxpr.js";
import type { Shape, ShapedArray } from "../shape.js";

/** Where a kernel operation reads a value. */
export type KernelRef =
  /** The kernel's k-th input array (indexed by the loop position, or its only element when `broadcast`). */
  | { kind: "input"; index: number }
  /** The result of the kernel's k-th operation. */
  | { kind: "op"; index: number }
  /** A scalar constant. */
  | { kind: "literal"; value: number; dtype: DType };

/** One elementwise operation of a kernel. */
export interface KernelOp {
  primitive: Primitive;
  params: Params;
  args: KernelRef[];
  inAvals: ShapedArray[];
  outAval: ShapedArray;
  /** One value for the whole kernel (its result and every operand have one element). */
  uniform: boolean;
}

/** A fused elementwise kernel: one loop over `shape` computing `ops` in order. */
export interface ElementwiseKernel {
  shape: Shape;
  size: number;
  /**
   * The arrays it reads: of the kernel's shape, or `broadcast` (one element, read
   * for every position), or `expand` (the kernel's rank with size-1 dimensions
   * that broadcast, e.g. a bias of shape [1, n] added to [m, n]).
   */
  inputs: { aval: ShapedArray; broadcast: boolean; expand: boolean }[];
  ops: KernelOp[];
  /** The operations whose results are written out, in the order of `FusedStep.outvars`. */
  outputs: number[];
}

/** A step of a fused program: one equation as it is, or a fused kernel. */
export type FusionStep =
  | { kind: "eqn"; eqn: JaxprEqn }
  | { kind: "kernel"; kernel: ElementwiseKernel; invars: Var[]; outvars: Var[]; eqns: JaxprEqn[] };

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
/** `a` broadcasts to `b` by its size-1 dimensions alone (as lax's elementwise operands may). */
const expandsTo = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i] || d === 1);

/**
 * Split `jaxpr`'s equations into steps, fusing runs of at least two
 * consecutive `fusible` single-output equations over the same output shape.
 */
export function planFusion(jaxpr: Jaxpr, fusible: (e: JaxprEqn) => boolean): FusionStep[] {
  // Which steps read each variable: needed to know which run values escape.
  const readers = new Map<Var, number[]>();
  jaxpr.eqns.forEach((e, k) =>
    e.inputs.forEach((a) => {
      if (a instanceof Literal) return;
      const r = readers.get(a);
      if (r) r.push(k);
      else readers.set(a, [k]);
    }),
  );
  const returned = new Set(jaxpr.outvars.filter((a): a is Var => !(a instanceof Literal)));

  const steps: FusionStep[] = [];
  let run: JaxprEqn[] = [];
  let runShape: Shape | null = null;
  let defined = new Set<Var>();

  const flush = (end: number) => {
    if (run.length >= 2) steps.push(buildKernel(run, runShape, defined, (v) => returned.has(v) || (readers.get(v) ?? []).some((k) => k >= end)));
    else for (const e of run) steps.push({ kind: "eqn", eqn: e });
    run = [];
    runShape = null;
    defined = new Set();
  };

  jaxpr.eqns.forEach((e, k) => {
    const ok = e.outvars.length === 1 && !(e.outvars[0] instanceof DropVar) && fusible(e);
    if (ok) {
      const out = e.outvars[0]!.aval;
      // Every operand has one element: computed once, whatever the run's shape.
      if (out.size === 1 && e.inputs.every((a) => a.aval.size === 1)) {
        run.push(e);
        defined.add(e.outvars[0]!);
        return;
      }
      const fits = (s: Shape) =>
        e.inputs.every((a) => a instanceof Literal || defined.has(a) || a.aval.size === 1 || expandsTo(a.aval.shape, s));
      if (runShape !== null && !(sameShape(out.shape, runShape) && fits(runShape))) flush(k);
      if (fits(out.shape)) {
        run.push(e);
        runShape = out.shape;
        defined.add(e.outvars[0]!);
        return;
      }
    }
    flush(k);
    steps.push({ kind: "eqn", eqn: e });
  });
  flush(jaxpr.eqns.length);
  return steps;
}

function buildKernel(run: JaxprEqn[], runShape: Shape | null, defined: Set<Var>, escapes: (v: Var) => boolean): FusionStep {
  // A run of uniform operations only loops once.
  const shape = runShape ?? run[0]!.outvars[0]!.aval.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  const inputIndex = new Map<Var, number>();
  const invars: Var[] = [];
  const inputs: ElementwiseKernel["inputs"] = [];
  const opIndex = new Map<Var, number>();
  const ops: KernelOp[] = run.map((e, i) => {
    const args = e.inputs.map((a): KernelRef => {
      if (a instanceof Literal) return { kind: "literal", value: a.val as number, dtype: a.aval.dtype };
      if (defined.has(a)) return { kind: "op", index: opIndex.get(a)! };
      let j = inputIndex.get(a);
      if (j === undefined) {
        j = invars.length;
        inputIndex.set(a, j);
        invars.push(a);
        const broadcast = !sameShape(a.aval.shape, shape) && a.aval.size === 1;
        inputs.push({ aval: a.aval, broadcast, expand: !broadcast && !sameShape(a.aval.shape, shape) });
      }
      return { kind: "input", index: j };
    });
    opIndex.set(e.outvars[0]!, i);
    const outAval = e.outvars[0]!.aval;
    const uniform = outAval.size === 1 && e.inputs.every((a) => a.aval.size === 1);
    return { primitive: e.primitive, params: e.params, args, inAvals: e.inputs.map((a) => a.aval), outAval, uniform };
  });
  const outvars = run.map((e) => e.outvars[0]!).filter(escapes);
  return {
    kind: "kernel",
    kernel: { shape, size, inputs, ops, outputs: outvars.map((v) => opIndex.get(v)!) },
    invars,
    outvars,
    eqns: run,
  };
}
