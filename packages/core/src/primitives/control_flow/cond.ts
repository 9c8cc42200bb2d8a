// The `cond` primitive (lax.cond, lax.switch): apply one of several branch
// Jaxprs selected by an int32 index. Params, printing and rules follow JAX's
// conditionals.py: `cond[branches=(...)] index consts... operands...`.
import { Array, asArray, scalar, type ArrayInput } from "../../array.js";
import { Primitive } from "../../core.js";
import { bool, int32 } from "../../dtypes.js";
import { ClosedJaxpr, Jaxpr, Var } from "../../jaxpr.js";
import { ShapedArray, fmtAval } from "../../shape.js";
import * as tree from "../../tree.js";
import { setJvp, type Tangent } from "../../transforms/jvp.js";
import type { PartialEvalTrace, PartialEvalTracer } from "../../transforms/partial_eval.js";
import { isUndef, setTranspose } from "../../transforms/transpose.js";
import { moveaxis, moveBatchAxis, setBatch } from "../../transforms/vmap.js";
import { zerosLike } from "../../transforms/zeros.js";
import { clamp, convertElementType, eq, ne, stopGradient } from "../elementwise.js";
import {
  batchJaxpr,
  bcastSelectN,
  flattenArgs,
  jaxprForwarding,
  jvpJaxpr,
  leafPaths,
  mergeLists,
  orLists,
  peJaxpr,
  pruneOutputs,
  runBatched,
  runCompiled,
  runJaxpr,
  traceFlat,
  transposeJaxpr,
  type Traced,
} from "./common.js";

export type CondParams = {
  /** One closed Jaxpr per branch; all take the same inputs and give the same output types. */
  branches: readonly ClosedJaxpr[];
};

const avalsStr = (as: readonly ShapedArray[]) => as.map((a) => a.strShort()).join(" ");

export const condP = new Primitive("cond", true);
condP.abstractEval = (avals, { branches }: CondParams) => {
  if (!globalThis.Array.isArray(branches as unknown) || branches.length === 0) {
    throw new TypeError("[cond] requires at least one branch Jaxpr");
  }
  const [index, ...ops] = avals;
  if (!index || index.dtype !== int32 || index.ndim !== 0) {
    throw new TypeError(`[cond] the branch index must be an int32 scalar, got ${index ? fmtAval(index) : "nothing"}`);
  }
  const b0 = branches[0]!;
  branches.forEach((b, i) => {
    if (i === 0) return;
    if (b.inAvals.length !== b0.inAvals.length || b.inAvals.some((a, k) => !a.sameType(b0.inAvals[k]!))) {
      throw new TypeError(`[cond] branches 0 and ${i} have mismatching input types: ${avalsStr(b0.inAvals)} vs ${avalsStr(b.inAvals)}`);
    }
    if (b.outAvals.length !== b0.outAvals.length || b.outAvals.some((a, k) => !a.sameType(b0.outAvals[k]!))) {
      throw new TypeError(`[cond] branches 0 and ${i} have mismatching output types: ${avalsStr(b0.outAvals)} vs ${avalsStr(b.outAvals)}`);
    }
  });
  if (ops.length !== b0.inAvals.length || ops.some((a, k) => !a.sameType(b0.inAvals[k]!))) {
    throw new TypeError(`[cond] branches take input types ${avalsStr(b0.inAvals)}, called with operands of type ${avalsStr(ops)}`);
  }
  return b0.outAvals;
};

condP.impl = (args, params: CondParams) => {
  condP.abstractEval(
    args.map((a) => a.aval),
    params,
  );
  const { branches } = params;
  const [index, ...ops] = args;
  const i = Math.min(Math.max(Number(index!.dataSync()[0]), 0), branches.length - 1);
  return runCompiled(branches[i]!, ops);
};

const union = (lists: boolean[][]) => lists.reduce((a, b) => orLists(a, b));

// --- JVP: differentiate every branch with the same nonzero pattern; an output
// tangent is nonzero if it is in any branch.
setJvp(condP, (primals, tangents, { branches }: CondParams) => {
  const [index, ...ops] = primals;
  const opsNz = tangents.slice(1).map((t) => t !== null);
  const outNz = union(branches.map((b) => jvpJaxpr(b, opsNz, false).outNz));
  const jvpBranches = branches.map((b) => jvpJaxpr(b, opsNz, outNz).jaxpr);
  const dots = tangents.slice(1).filter((t): t is Array => t !== null);
  const outs = condP.bind([index!, ...ops, ...dots], { branches: jvpBranches });
  const m = branches[0]!.outAvals.length;
  let k = m;
  return [outs.slice(0, m), outNz.map((z) => (z ? outs[k++]! : null))];
});

// --- vmap. A batched index turns the cond into a select over every branch's
// outputs (JAX's approach); an unbatched one batches each branch.
setBatch(condP, (vals, dims, { branches }: CondParams, axisSize) => {
  const [index, ...ops] = vals;
  const [idim, ...odims] = dims;
  if (idim !== null && idim !== undefined) {
    const idx = moveaxis(index!, idim, 0);
    const opsB = ops.map((x, i) => moveBatchAxis(axisSize, odims[i] ?? null, 0, x));
    const branchOuts = branches.map((b, i) => {
      // Select on the inputs too, so reverse-mode through the unselected
      // branches sees no gradient (jax-ml/jax#1052).
      const pred = eq(idx, scalar(i, int32, false));
      const opsI = opsB.map((x) => bcastSelectN(pred, [stopGradient(x), x]));
      return runBatched(b, opsI, opsI.map(() => 0), axisSize);
    });
    const outs = branchOuts[0]!.map((_, k) => bcastSelectN(idx, branchOuts.map((o) => o[k]!)));
    return [outs, outs.map(() => 0)];
  }
  const opsB = ops.map((x, i) => (odims[i] === null || odims[i] === undefined ? x : moveaxis(x, odims[i]!, 0)));
  const inDims = odims.map((d) => (d === null || d === undefined ? null : 0));
  const outBat = union(branches.map((b) => batchJaxpr(b, axisSize, inDims, false).outBatched));
  const batched = branches.map((b) => batchJaxpr(b, axisSize, inDims, outBat).jaxpr);
  const outs = condP.bind([index!, ...opsB], { branches: batched });
  return [outs, outBat.map((b) => (b ? 0 : null))];
});

// --- partial evaluation (JAX's _cond_partial_eval): with a known index, the
// known parts of all branches run now in one cond that also returns residuals;
// the unknown parts are staged as a cond consuming them. Residuals differ per
// branch, so they are merged by type and padded with zeros.
function mergeResiduals(perBranch: ShapedArray[][]): { all: ShapedArray[]; indices: number[][] } {
  const all: ShapedArray[] = [];
  const slot = new Map<string, number>();
  const indices = perBranch.map((avals) => {
    const seen = new Map<string, number>();
    return avals.map((a) => {
      const n = seen.get(a.key()) ?? 0;
      seen.set(a.key(), n + 1);
      const tag = `${a.key()}#${n}`;
      let i = slot.get(tag);
      if (i === undefined) {
        i = all.length;
        all.push(a);
        slot.set(tag, i);
      }
      return i;
    });
  });
  return { all, indices };
}

function joinOutputs(known: ClosedJaxpr, numOuts: number, all: ShapedArray[], idx: number[]): ClosedJaxpr {
  const { jaxpr } = traceFlat((...xs) => {
    const outs = runJaxpr(known, xs);
    const res: Array[] = all.map((a) => zerosLike(a));
    idx.forEach((j, k) => (res[j] = outs[numOuts + k]!));
    return [...outs.slice(0, numOuts), ...res];
  }, known.inAvals);
  return jaxpr;
}

function joinInputs(unknown: ClosedJaxpr, all: ShapedArray[], idx: number[]): ClosedJaxpr {
  const j = unknown.jaxpr;
  const resVars = all.map((a) => new Var(a));
  idx.forEach((slot, k) => (resVars[slot] = j.invars[k]!));
  return new ClosedJaxpr(new Jaxpr(j.constvars, [...resVars, ...j.invars.slice(idx.length)], j.eqns, j.outvars), unknown.consts);
}

condP.rules.set("partialEval", (trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: CondParams) => {
  const { branches } = params;
  const [idxT, ...opTs] = tracers;
  if (!idxT!.pval.isKnown) return trace.stage(condP, tracers, params, branches[0]!.outAvals);
  const opsUk = opTs.map((t) => !t.pval.isKnown);
  const outUk = union(branches.map((b) => peJaxpr(b, opsUk, false).outUk));
  const splits = branches.map((b) => peJaxpr(b, opsUk, outUk));
  const { all, indices } = mergeResiduals(splits.map((s) => s.resAvals));
  const nKnownOut = outUk.filter((u) => !u).length;
  const knownVals = opTs.filter((t) => t.pval.isKnown).map((t) => t.pval.known!);
  let knownOuts: Array[] = [];
  if (nKnownOut + all.length > 0) {
    const knownBranches = splits.map((s, i) => joinOutputs(s.known, nKnownOut, all, indices[i]!));
    knownOuts = condP.bind([idxT!.pval.known!, ...knownVals], { branches: knownBranches });
  }
  let staged: PartialEvalTracer[] = [];
  if (outUk.some((u) => u)) {
    const unknownBranches = splits.map((s, i) => joinInputs(s.unknown, all, indices[i]!));
    const res = knownOuts.slice(nKnownOut).map((r) => trace.pure(r) as PartialEvalTracer);
    staged = trace.stage(
      condP,
      [idxT!, ...res, ...opTs.filter((t) => !t.pval.isKnown)],
      { branches: unknownBranches },
      unknownBranches[0]!.outAvals,
    );
  }
  return mergeLists(
    outUk,
    knownOuts.slice(0, nKnownOut).map((o) => trace.pure(o) as PartialEvalTracer),
    staged,
  );
});

// --- transpose: transpose each branch; the index is never linear.
setTranspose(condP, (cts, args, { branches }: CondParams) => {
  const [index, ...ops] = args;
  if (isUndef(index!)) throw new Error("[cond] transpose: the branch index cannot be linear");
  const undef = ops.map((o) => isUndef(o));
  const ctNz = cts.map((c) => c !== null);
  const outNz = union(branches.map((b) => transposeJaxpr(b, undef, ctNz, false).outNz));
  const tBranches = branches.map((b) => transposeJaxpr(b, undef, ctNz, outNz).jaxpr);
  const defined = ops.filter((o): o is Array => !isUndef(o));
  const outs = condP.bind([index as Array, ...defined, ...(cts.filter((c) => c !== null) as Array[])], { branches: tBranches });
  let k = 0;
  let u = 0;
  return [null, ...undef.map((isU): Tangent => (isU && outNz[u++] ? outs[k++]! : null))];
});

// ---------------------------------------------------------------------------
// lax.cond and lax.switch

function checkBranchOutputs(api: string, n1: string, n2: string, t1: Traced, t2: Traced): void {
  if (!t1.outTree.equals(t2.outTree)) {
    throw new TypeError(
      `[${api}] branch outputs must have the same pytree structure, but they differ: ` +
        `${n1} output is ${t1.outTree} but ${n2} output is ${t2.outTree}. ` +
        `Revise ${n1} and/or ${n2} so that they have the same pytree structure.`,
    );
  }
  const a1 = t1.jaxpr.outAvals;
  const a2 = t2.jaxpr.outAvals;
  const paths = leafPaths(t1.outTree);
  const diffs = a1.flatMap((a, k) =>
    a.sameType(a2[k]!)
      ? []
      : [
          `the output of ${n1}${paths[k] ? ` at path ${paths[k]}` : ""} has type ${a.strShort()} but the corresponding output of ${n2} has type ${a2[k]!.strShort()}`,
        ],
  );
  if (diffs.length) {
    throw new TypeError(
      `[${api}] branches must have equal output types but they differ: ${diffs.join("; ")}. ` +
        `Revise ${n1} and/or ${n2} so that all output types match.`,
    );
  }
}

/**
 * Trace branch functions on the operands' types, merge their closed-over
 * values into shared leading operands (JAX's _merge_common_consts), check that
 * their outputs agree, and bind `cond`.
 */
function condInternal(
  api: string,
  names: string[],
  index: Array,
  fns: ((...args: any[]) => unknown)[],
  operands: unknown[],
): unknown {
  const [ops, inTree] = flattenArgs(api, "operand", operands);
  const avals = ops.map((o) => o.aval);
  const traced = fns.map((f) => traceFlat((...xs) => f(...(tree.unflatten(inTree, xs) as unknown[])), avals));
  const t0 = traced[0]!;
  if (api === "cond") checkBranchOutputs(api, names[1]!, names[0]!, traced[1]!, t0);
  else traced.slice(1).forEach((t, i) => checkBranchOutputs(api, names[0]!, names[i + 1]!, t0, t));

  // Shared consts: the union of every branch's closed-over values (deduplicated
  // by identity), each branch taking all of them as leading inputs.
  const consts: Array[] = [];
  const constPos = new Map<Array, number>();
  for (const t of traced) {
    for (const c of t.consts) {
      if (!constPos.has(c)) {
        constPos.set(c, consts.length);
        consts.push(c);
      }
    }
  }
  let jaxprs = traced.map((t) => {
    const j = t.jaxpr.jaxpr;
    const nc = t.consts.length;
    const cvars = consts.map((c) => new Var(c.aval));
    t.consts.forEach((c, k) => (cvars[constPos.get(c)!] = j.invars[k]!));
    return new ClosedJaxpr(new Jaxpr([], [...cvars, ...j.invars.slice(nc)], j.eqns, j.outvars), []);
  });

  // Outputs that every branch forwards from the same input are not outputs of
  // the cond: they are that input.
  const fwds = jaxprs.map((j) => jaxprForwarding(j.jaxpr));
  const inFwd = fwds[0]!.map((f, k) => (f !== null && fwds.every((fw) => fw[k] === f) ? f : null));
  jaxprs = jaxprs.map((j) => pruneOutputs(j, inFwd.map((f) => f === null)));
  const allInputs = [...consts, ...ops];
  const outs = condP.bind([index, ...allInputs], { branches: jaxprs });
  let k = 0;
  const flat = inFwd.map((f) => (f === null ? outs[k++]! : allInputs[f]!));
  return tree.unflatten(t0.outTree, flat);
}

function isCallable(f: unknown): f is (...args: any[]) => unknown {
  return typeof f === "function";
}

/**
 * lax.cond(pred, trueFun, falseFun, ...operands): `trueFun(...operands)` if pred
 * else `falseFun(...operands)`. Both branches are traced; operands and results
 * are PyTrees. Under vmap with a batched predicate it becomes a select.
 */
export function cond<T = any>(
  pred: ArrayInput,
  trueFun: (...operands: any[]) => T,
  falseFun: (...operands: any[]) => T,
  ...operands: unknown[]
): T {
  if (!isCallable(trueFun) || !isCallable(falseFun)) {
    throw new TypeError("[cond] trueFun and falseFun arguments should be callable");
  }
  if (pred === null || pred === undefined) throw new TypeError("[cond] predicate is null");
  let p = asArray(pred);
  if (p.ndim !== 0) throw new TypeError(`[cond] pred must be a scalar, got ${fmtAval(p.aval)}`);
  if (p.dtype !== bool) {
    if (p.dtype.kind === "i" || p.dtype.kind === "u" || p.dtype.kind === "f") p = ne(p, 0);
    else throw new TypeError(`[cond] pred type must be either boolean or number, got ${p.dtype.name}`);
  }
  const index = convertElementType(p, int32);
  return condInternal("cond", ["falseFun", "trueFun"], index, [falseFun, trueFun], operands) as T;
}

/**
 * lax.switch(index, branches, ...operands): `branches[clamp(0, index, n-1)](...operands)`.
 */
export function switchFn<T = any>(index: ArrayInput, branches: readonly ((...operands: any[]) => T)[], ...operands: unknown[]): T {
  if (!globalThis.Array.isArray(branches as unknown) || !branches.every(isCallable)) {
    throw new TypeError("[switch] branches argument should be a sequence of callables");
  }
  const idx = asArray(index);
  if (idx.ndim !== 0) throw new TypeError(`[switch] branch index must be scalar, got ${fmtAval(idx.aval)}`);
  if (idx.dtype.kind !== "i" && idx.dtype.kind !== "u") {
    throw new TypeError(`[switch] index type must be an integer, got ${idx.dtype.name}`);
  }
  if (branches.length === 0) throw new RangeError("[switch] empty branch sequence");
  if (branches.length === 1) return branches[0]!(...operands);
  const i = clamp(scalar(0, int32, false), convertElementType(idx, int32), scalar(branches.length - 1, int32, false));
  return condInternal(
    "switch",
    branches.map((_, k) => `branch ${k}`),
    i,
    [...branches],
    operands,
  ) as T;
}
export { switchFn as switch };

