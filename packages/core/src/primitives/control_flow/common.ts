// Shared machinery of the control-flow primitives (cond, while, scan): tracing
// user functions into closed Jaxprs, and transforming sub-Jaxprs (JVP, batching,
// partial evaluation, transposition) by re-tracing them under the transformation,
// as JAX's jvp_jaxpr / batch_jaxpr / partial_eval_jaxpr_nounits do.
import { Array, asArray, type ArrayInput } from "../../array.js";
import { ClosedJaxpr, Jaxpr, JaxprEqn, Var, derivedCache, evalJaxpr, type Atom } from "../../jaxpr.js";
import { ShapedArray } from "../../shape.js";
import { traceToJaxpr } from "../../staging.js";
import { getCompiled } from "../../backend/registry.js";
import * as tree from "../../tree.js";
import { jvpFlat, type Tangent } from "../../transforms/jvp.js";
import { partialEvalJaxprNounits, type JaxprSplit } from "../../transforms/partial_eval.js";
import { backwardPass, UndefPrimal, type LinearArg } from "../../transforms/transpose.js";
import { moveBatchAxis, vmapFlat, type BDim } from "../../transforms/vmap.js";
import { zerosLike } from "../../transforms/zeros.js";
import { selectN } from "../elementwise.js";
import { broadcastInDim } from "../structural.js";

/** Evaluate a closed Jaxpr on arguments (under whatever traces are active). */
export function runJaxpr(cj: ClosedJaxpr, args: readonly Array[]): Array[] {
  return evalJaxpr(cj.jaxpr, cj.consts, args);
}

/**
 * Run a closed Jaxpr on concrete arrays as one compiled program (what the impls
 * of the control-flow primitives use for each branch or iteration).
 */
export function runCompiled(cj: ClosedJaxpr, args: readonly Array[]): Array[] {
  return getCompiled(cj.jaxpr, [...cj.consts, ...args]);
}

const bits = (xs: readonly boolean[]) => xs.map(Number).join("");
const inst = (instantiate: boolean | readonly boolean[], i: number) =>
  typeof instantiate === "boolean" ? instantiate : instantiate[i]!;
const instKey = (instantiate: boolean | readonly boolean[]) =>
  typeof instantiate === "boolean" ? String(instantiate) : bits(instantiate);

// Derived Jaxprs are cached per source Jaxpr, so repeated transformation of the
// same staged program traces once.
export const memo = derivedCache<ClosedJaxpr>();

/** Split a list at the given lengths (the last part takes the rest). */
export function splitList<T>(xs: readonly T[], ns: readonly number[]): T[][] {
  const out: T[][] = [];
  let k = 0;
  for (const n of ns) {
    out.push(xs.slice(k, k + n));
    k += n;
  }
  out.push(xs.slice(k));
  return out;
}

/** Merge: take from `ifTrue` where `which` is true, else from `ifFalse`, in order. */
export function mergeLists<T>(which: readonly boolean[], ifFalse: readonly T[], ifTrue: readonly T[]): T[] {
  let f = 0;
  let t = 0;
  return which.map((w) => (w ? ifTrue[t++]! : ifFalse[f++]!));
}

export const orLists = (a: readonly boolean[], b: readonly boolean[]) => a.map((x, i) => x || b[i]!);

// ---------------------------------------------------------------------------
// Tracing user functions

export interface Traced {
  /** Consts became the leading invars (as JAX's separate_consts); the ClosedJaxpr has no consts. */
  jaxpr: ClosedJaxpr;
  consts: Array[];
  outTree: tree.PyTreeDef;
}

/** Trace a flat function on avals; closed-over values become leading operands. */
export function traceFlat(f: (...xs: Array[]) => unknown, avals: ShapedArray[]): Traced {
  const { jaxpr: closed, outTree } = traceToJaxpr(f, avals);
  const j = closed.jaxpr;
  return {
    jaxpr: new ClosedJaxpr(new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars), []),
    consts: [...closed.consts],
    outTree,
  };
}

/** Flatten user arguments (PyTrees of Arrays and JS numbers) into Arrays. */
export function flattenArgs(op: string, what: string, x: unknown): [Array[], tree.PyTreeDef] {
  const [leaves, t] = tree.flatten(x);
  return [
    leaves.map((l, i) => {
      if (!(l instanceof Array) && typeof l !== "number" && typeof l !== "boolean") {
        throw new TypeError(`[${op}] ${what} leaves must be Arrays, numbers or booleans; leaf ${i} is ${describe(l)}`);
      }
      return asArray(l as ArrayInput);
    }),
    t,
  ];
}

function describe(x: unknown): string {
  if (x === null) return "null";
  return typeof x === "object" ? ((x as object).constructor?.name ?? "object") : typeof x;
}

/** Paths of the leaves of a tree structure, as strings (`[0]`, `['a']`), for error messages. */
export function leafPaths(t: tree.PyTreeDef): string[] {
  const idx = tree.unflatten(
    t,
    globalThis.Array.from({ length: t.numLeaves }, (_, i) => i),
  );
  return tree.leavesWithPath(idx).map(([p]) => tree.keystr(p));
}

/** For each output: the index of the invar it returns directly, or null (JAX's _jaxpr_forwarding). */
export function jaxprForwarding(j: Jaxpr): (number | null)[] {
  const pos = new Map<Var, number>();
  j.invars.forEach((v, i) => pos.set(v, i));
  return j.outvars.map((a) => (a instanceof Var && pos.has(a) ? pos.get(a)! : null));
}

/** Keep only the outputs marked in `keep`. */
export function pruneOutputs(cj: ClosedJaxpr, keep: readonly boolean[]): ClosedJaxpr {
  if (keep.every((k) => k)) return cj;
  const j = cj.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, j.eqns, j.outvars.filter((_, i) => keep[i])), cj.consts);
}

/** Reorder binders: invars[inPerm[k]] becomes invar k; likewise outputs. */
export function permuteBinders(cj: ClosedJaxpr, inPerm: readonly number[], outPerm: readonly number[]): ClosedJaxpr {
  const j = cj.jaxpr;
  return new ClosedJaxpr(
    new Jaxpr(
      j.constvars,
      inPerm.map((i) => j.invars[i]!),
      j.eqns,
      outPerm.map((i) => j.outvars[i]!),
    ),
    cj.consts,
  );
}

/** Remove equations whose outputs are never used (control flow here has no effects). */
export function dceJaxpr(j: Jaxpr): Jaxpr {
  const live = new Set<Var>();
  for (const a of j.outvars) if (a instanceof Var) live.add(a);
  const kept: JaxprEqn[] = [];
  for (let k = j.eqns.length - 1; k >= 0; k--) {
    const e = j.eqns[k]!;
    if (!e.outvars.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  return new Jaxpr(j.constvars, j.invars, kept, j.outvars);
}

/** Which invars a Jaxpr reads (after dead-code elimination). */
export function usedInputs(j: Jaxpr): boolean[] {
  const d = dceJaxpr(j);
  const used = new Set<Atom>(d.outvars);
  for (const e of d.eqns) for (const a of e.inputs) used.add(a);
  return j.invars.map((v) => used.has(v));
}

// ---------------------------------------------------------------------------
// Transforming closed Jaxprs

/**
 * JVP of a closed Jaxpr: inputs [primals..., tangents where nz], outputs
 * [primals..., tangents where outNz]. Output tangents are instantiated (zeros)
 * where `instantiate` says so; outNz says which tangent outputs exist.
 */
export function jvpJaxpr(
  cj: ClosedJaxpr,
  nz: readonly boolean[],
  instantiate: boolean | readonly boolean[],
): { jaxpr: ClosedJaxpr; outNz: boolean[] } {
  return memo(cj, `jvp:${bits(nz)}:${instKey(instantiate)}`, () => {
    const n = cj.inAvals.length;
    let outNz: boolean[] = [];
    const tanAvals = cj.inAvals.filter((_, i) => nz[i]);
    const { jaxpr } = traceToJaxpr(
      (...xs: Array[]) => {
        const ps = xs.slice(0, n);
        let k = n;
        const ts: Tangent[] = nz.map((z) => (z ? xs[k++]! : null));
        const r = jvpFlat((...ys) => runJaxpr(cj, ys), ps, ts, { instantiate: false });
        const touts = r.tangentsOut.map((t, i) => (t === null && inst(instantiate, i) ? zerosLike(r.primalsOut[i]!.aval) : t));
        outNz = touts.map((t) => t !== null);
        return [...r.primalsOut, ...(touts.filter((t) => t !== null) as Array[])];
      },
      [...cj.inAvals, ...tanAvals],
    );
    return { jaxpr, outNz };
  });
}

/** An aval with the batch axis of size `size` inserted at `d`. */
export function batchedAval(a: ShapedArray, d: BDim, size: number): ShapedArray {
  if (d === null) return a;
  const s = [...a.shape];
  s.splice(d, 0, size);
  return a.withShape(s);
}

/**
 * Batch a closed Jaxpr: inputs batched along `inDims`; batched outputs (and
 * those marked in `instantiate`, broadcast) have the batch axis at 0.
 */
export function batchJaxpr(
  cj: ClosedJaxpr,
  axisSize: number,
  inDims: readonly BDim[],
  instantiate: boolean | readonly boolean[],
): { jaxpr: ClosedJaxpr; outBatched: boolean[] } {
  return memo(cj, `batch:${axisSize}:${inDims.join(",")}:${instKey(instantiate)}`, () => {
    let outBatched: boolean[] = [];
    const avals = cj.inAvals.map((a, i) => batchedAval(a, inDims[i] ?? null, axisSize));
    const { jaxpr } = traceToJaxpr((...xs: Array[]) => {
      const r = vmapFlat((...ys) => runJaxpr(cj, ys), xs, [...inDims], axisSize);
      outBatched = r.outDims.map((d, i) => d !== null || inst(instantiate, i));
      return r.outs.map((o, i) => (outBatched[i] ? moveBatchAxis(axisSize, r.outDims[i]!, 0, o) : o));
    }, avals);
    return { jaxpr, outBatched };
  });
}

/** select_n with a predicate of lower rank broadcast along the leading dims of the cases. */
export function bcastSelectN(which: Array, cases: Array[]): Array {
  const c0 = cases[0]!;
  const w = which.ndim !== c0.ndim ? broadcastInDim(which, c0.aval.shape, [...globalThis.Array(which.ndim).keys()]) : which;
  return selectN(w, ...cases);
}

/** Run a closed Jaxpr batched (inline): outputs with the batch axis at 0 (all instantiated). */
export function runBatched(cj: ClosedJaxpr, args: Array[], dims: BDim[], axisSize: number): Array[] {
  const r = vmapFlat((...ys) => runJaxpr(cj, ys), args, dims, axisSize);
  return r.outs.map((o, i) => moveBatchAxis(axisSize, r.outDims[i]!, 0, o));
}

export type PeSplit = JaxprSplit;

/** Partial evaluation of a closed Jaxpr (JAX's partial_eval_jaxpr_nounits), cached per Jaxpr. */
export function peJaxpr(cj: ClosedJaxpr, inUk: readonly boolean[], instantiate: boolean | readonly boolean[]): PeSplit {
  return memo(cj, `pe:${bits(inUk)}:${instKey(instantiate)}`, () => partialEvalJaxprNounits(cj, inUk, instantiate));
}

/**
 * Transpose a closed linear Jaxpr: inputs [defined (non-linear) args...,
 * nonzero output cotangents...], outputs the cotangents of the undefined
 * inputs where outNz (instantiated with zeros where `instantiate` says so).
 */
export function transposeJaxpr(
  cj: ClosedJaxpr,
  undef: readonly boolean[],
  ctNz: readonly boolean[],
  instantiate: boolean | readonly boolean[],
): { jaxpr: ClosedJaxpr; outNz: boolean[] } {
  return memo(cj, `T:${bits(undef)}:${bits(ctNz)}:${instKey(instantiate)}`, () => {
    let outNz: boolean[] = [];
    const defAvals = cj.inAvals.filter((_, i) => !undef[i]);
    const ctAvals = cj.outAvals.filter((_, i) => ctNz[i]);
    const nDef = defAvals.length;
    const undefAvals = cj.inAvals.filter((_, i) => undef[i]);
    const { jaxpr } = traceToJaxpr(
      (...xs: Array[]) => {
        let d = 0;
        const args: LinearArg[] = cj.inAvals.map((a, i) => (undef[i] ? new UndefPrimal(a) : xs[d++]!));
        let c = nDef;
        const cts: Tangent[] = ctNz.map((z) => (z ? xs[c++]! : null));
        const res = backwardPass(cj.jaxpr, cj.consts, args, cts).filter((_, i) => undef[i]);
        const outs = res.map((r, k) => (r === null && inst(instantiate, k) ? zerosLike(undefAvals[k]!) : r));
        outNz = outs.map((r) => r !== null);
        return outs.filter((r) => r !== null) as Array[];
      },
      [...defAvals, ...ctAvals],
    );
    return { jaxpr, outNz };
  });
}

