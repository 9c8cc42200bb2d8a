// jit: trace once per (function, argument types, static args), then run the
// Jaxpr as one compiled program. `jit` is itself a primitive holding its Jaxpr,
// so every transformation composes with it (grad(jit(f)), vmap(jit(f)), ...).
import { Array, Tracer, asArray, type ArrayInput } from "../array.js";
import { Primitive, type Params } from "../core.js";
import { ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var, derivedCache, evalJaxpr, type Atom } from "../jaxpr.js";
import { getCompiled } from "../backend/registry.js";
import { ShapedArray, fmtAval } from "../shape.js";
import { traceToJaxpr, ShapeDtypeStruct, type TraceDebug } from "../staging.js";
import { leafNames, paramNames } from "../debug.js";
import * as tree from "../tree.js";
import { jvpFlat, setJvp, type Tangent } from "./jvp.js";
import { PartialEvalTracer, partialEvalJaxprNounits, type PartialEvalTrace } from "./partial_eval.js";
import { backwardPass, setTranspose, UndefPrimal, type LinearArg } from "./transpose.js";
import { setBatch, vmapFlat, moveBatchAxis, type BDim } from "./vmap.js";

export interface JitParams {
  name: string;
  /** A closed Jaxpr with no consts: closed-over values are passed as leading operands. */
  jaxpr: ClosedJaxpr;
}

export const jitP = new Primitive("jit", true);
jitP.abstractEval = (avals, { jaxpr, name }: JitParams) => {
  const ins = jaxpr.inAvals;
  if (avals.length !== ins.length || avals.some((a, i) => !a.sameType(ins[i]!))) {
    throw new TypeError(
      `[jit] ${name} called with ${avals.map(fmtAval).join(", ")} but its Jaxpr takes ${ins.map(fmtAval).join(", ")}`,
    );
  }
  return jaxpr.outAvals;
};
jitP.impl = (args, { jaxpr }: JitParams) => getCompiled(jaxpr.jaxpr, args);
jitP.ppParams = ({ name, jaxpr }: JitParams) => [
  ["name", name],
  ["jaxpr", jaxpr],
];
jitP.ppSuggestNames = ({ jaxpr }: JitParams) => jaxpr.jaxpr;

/** Trace a flat function on avals into a Jaxpr whose consts became leading invars. */
export function stageFlat(
  f: (...xs: Array[]) => unknown,
  avals: ShapedArray[],
  debug: TraceDebug | null = null,
): { jaxpr: Jaxpr; consts: Array[]; outTree: tree.PyTreeDef } {
  const { jaxpr: closed, outTree } = traceToJaxpr(f, avals, debug);
  const j = closed.jaxpr;
  return {
    jaxpr: new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars),
    consts: [...closed.consts],
    outTree,
  };
}

function bindJit(name: string, jaxpr: Jaxpr, args: Array[]): Array[] {
  return jitP.bind(args, { name, jaxpr: new ClosedJaxpr(jaxpr, []) });
}

// Derived Jaxprs are cached per source Jaxpr, so transformed jitted functions
// trace once too.
const memo = derivedCache<Jaxpr>();

// --- JVP: differentiate the inner Jaxpr once per pattern of nonzero tangents.
setJvp(jitP, (primals, tangents, { name, jaxpr }: JitParams) => {
  const j = jaxpr.jaxpr;
  const nz = tangents.map((t) => t !== null);
  const made = memo(j, `jvp:${nz.map(Number).join("")}`, () => {
    let outNz: boolean[] = [];
    const n = primals.length;
    const tanAvals = j.inAvals.filter((_, i) => nz[i]);
    const staged = stageFlat(
      (...xs) => {
        const ps = xs.slice(0, n);
        let k = n;
        const ts: Tangent[] = nz.map((z) => (z ? xs[k++]! : null));
        const r = jvpFlat((...ys) => evalJaxpr(j, [], ys), ps, ts, { instantiate: false });
        outNz = r.tangentsOut.map((t) => t !== null);
        return [...r.primalsOut, ...(r.tangentsOut.filter((t) => t !== null) as Array[])];
      },
      [...j.inAvals, ...tanAvals],
    );
    return { jaxpr: staged.jaxpr, consts: staged.consts, outNz };
  });
  const outs = bindJit(`jvp(${name})`, made.jaxpr, [...made.consts, ...primals, ...(tangents.filter((t) => t !== null) as Array[])]);
  const m = j.outvars.length;
  let k = m;
  return [outs.slice(0, m), made.outNz.map((z) => (z ? outs[k++]! : null))];
});

// --- vmap: batch the inner Jaxpr once per pattern of batch dims and size.
setBatch(jitP, (vals, dims, { name, jaxpr }: JitParams, axisSize) => {
  const j = jaxpr.jaxpr;
  const made = memo(j, `batch:${axisSize}:${dims.join(",")}`, () => {
    let outDims: BDim[] = [];
    const avals = vals.map((v) => v.aval);
    const staged = stageFlat((...xs) => {
      const r = vmapFlat((...ys) => evalJaxpr(j, [], ys), xs, dims, axisSize);
      outDims = r.outDims;
      return r.outs;
    }, avals);
    return { ...staged, outDims };
  });
  return [bindJit(name, made.jaxpr, [...made.consts, ...vals]), made.outDims];
});

// --- partial evaluation: split the Jaxpr into a known part run now and an
// unknown part staged with the residuals it needs (autodidax's partial_eval_jaxpr).
interface Split {
  known: Jaxpr;
  unknown: Jaxpr;
  outUnknown: boolean[];
  numResiduals: number;
  /** Constants the known/unknown Jaxprs take as leading inputs (from tracing; else empty). */
  knownConsts?: Array[];
  unknownConsts?: Array[];
}

export function partialEvalJaxpr(j: Jaxpr, inUnknown: boolean[]): Split {
  // Equations with sub-Jaxprs (jit, cond, scan, ...) split by their own rules:
  // trace the Jaxpr under partial evaluation rather than staging them whole.
  if (j.eqns.some((e) => e.primitive.rules.has("partialEval"))) {
    const r = partialEvalJaxprNounits(new ClosedJaxpr(j, []), inUnknown, false);
    const k = r.known.jaxpr;
    const u = r.unknown.jaxpr;
    return {
      known: new Jaxpr([], [...k.constvars, ...k.invars], k.eqns, k.outvars),
      unknown: new Jaxpr([], [...u.constvars, ...u.invars], u.eqns, u.outvars),
      outUnknown: r.outUk,
      numResiduals: r.resAvals.length,
      knownConsts: [...r.known.consts],
      unknownConsts: [...r.unknown.consts],
    };
  }
  const unk = new Set<Var>();
  j.invars.forEach((v, i) => inUnknown[i] && unk.add(v));
  const isUnk = (a: Atom) => a instanceof Var && unk.has(a);
  const knownEqns: JaxprEqn[] = [];
  const unknownEqns: JaxprEqn[] = [];
  const residuals: Var[] = [];
  const residualSet = new Set<Var>();
  const addResidual = (a: Atom) => {
    if (a instanceof Var && !unk.has(a) && !residualSet.has(a)) {
      residualSet.add(a);
      residuals.push(a);
    }
  };
  for (const eqn of j.eqns) {
    if (eqn.inputs.some(isUnk)) {
      eqn.inputs.forEach(addResidual);
      eqn.outvars.forEach((v) => unk.add(v));
      unknownEqns.push(eqn);
    } else knownEqns.push(eqn);
  }
  const outUnknown = j.outvars.map(isUnk);
  const knownIns = j.invars.filter((_, i) => !inUnknown[i]);
  const unknownIns = j.invars.filter((_, i) => inUnknown[i]);
  const knownOuts = j.outvars.filter((_, i) => !outUnknown[i]);
  const known = new Jaxpr([], knownIns, knownEqns, [...knownOuts, ...residuals]);
  // The unknown side binds residuals under fresh variables (single assignment per Jaxpr).
  const unknown = new Jaxpr([], [...residuals, ...unknownIns], unknownEqns, j.outvars.filter((_, i) => outUnknown[i]));
  return { known, unknown, outUnknown, numResiduals: residuals.length };
}

jitP.rules.set("partialEval", (trace: PartialEvalTrace, tracers: PartialEvalTracer[], { name, jaxpr }: JitParams) => {
  const j = jaxpr.jaxpr;
  const inUnknown = tracers.map((t) => !t.pval.isKnown);
  const split = memo(j, `pe:${inUnknown.map(Number).join("")}`, () => partialEvalJaxpr(j, inUnknown));
  const knownVals = tracers.filter((t) => t.pval.isKnown).map((t) => t.pval.known!);
  const knownOuts = bindJit(name, split.known, [...(split.knownConsts ?? []), ...knownVals]);
  const nKnownOut = split.outUnknown.filter((u) => !u).length;
  const residuals = knownOuts.slice(nKnownOut).map((r) => trace.pure(r) as PartialEvalTracer);
  const unknownIns = tracers.filter((t) => !t.pval.isKnown);
  const unknownConsts = (split.unknownConsts ?? []).map((c) => trace.pure(c) as PartialEvalTracer);
  const staged = trace.stage(
    jitP,
    [...unknownConsts, ...residuals, ...unknownIns],
    { name, jaxpr: new ClosedJaxpr(split.unknown, []) },
    split.unknown.outAvals,
  );
  let ki = 0;
  let ui = 0;
  return split.outUnknown.map((u) => (u ? staged[ui++]! : (trace.pure(knownOuts[ki++]!) as PartialEvalTracer)));
});

// --- transpose: transpose the inner linear Jaxpr with respect to its undefined inputs.
setTranspose(jitP, (cts, args: LinearArg[], { name, jaxpr }: JitParams) => {
  const j = jaxpr.jaxpr;
  const undef = args.map((a) => a instanceof UndefPrimal);
  const ctNz = cts.map((c) => c !== null);
  const made = memo(j, `T:${undef.map(Number).join("")}:${ctNz.map(Number).join("")}`, () => {
    const defAvals = j.inAvals.filter((_, i) => !undef[i]);
    const ctAvals = j.outAvals.filter((_, i) => ctNz[i]);
    const nDef = defAvals.length;
    return stageFlat(
      (...xs) => {
        let d = 0;
        const linArgs: LinearArg[] = j.inAvals.map((a, i) => (undef[i] ? new UndefPrimal(a) : xs[d++]!));
        let c = nDef;
        const ctsIn: Tangent[] = ctNz.map((z) => (z ? xs[c++]! : null));
        const res = backwardPass(j, [], linArgs, ctsIn);
        return res
          .filter((_, i) => undef[i])
          .map((r, k) => r ?? zerosOf(j.inAvals.filter((_, i) => undef[i])[k]!));
      },
      [...defAvals, ...ctAvals],
    );
  });
  const defined = args.filter((a): a is Array => !(a instanceof UndefPrimal));
  const outs = bindJit(`transpose(${name})`, made.jaxpr, [...made.consts, ...defined, ...(cts.filter((c) => c !== null) as Array[])]);
  let k = 0;
  return undef.map((u) => (u ? outs[k++]! : null));
});

import { zerosLike as zerosOf } from "./zeros.js";

// ---------------------------------------------------------------------------
// The user-facing jit

export interface JitOptions {
  /** Positional arguments that are compile-time constants (hashable JS values); each distinct value retraces. */
  staticArgnums?: number | readonly number[];
  /**
   * Parameters that are compile-time constants, by name (as JAX's static_argnames);
   * names are matched against the function's parameter list.
   */
  staticArgnames?: string | readonly string[];
  /** Accepted for API compatibility; buffers of CPU arrays are never reused in place. */
  donateArgnums?: number | readonly number[];
}

export interface Jitted<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** The Jaxpr traced for these arguments (without running it). */
  trace(...args: Parameters<F>): ClosedJaxpr;
  /** Number of distinct traces cached so far. */
  readonly cacheSize: number;
}

/** jax.jit. */
export function jit<F extends (...args: any[]) => any>(f: F, opts: JitOptions = {}): Jitted<F> {
  const name = f.name || "<lambda>";
  const statics = new Set(typeof opts.staticArgnums === "number" ? [opts.staticArgnums] : opts.staticArgnums ?? []);
  if (opts.staticArgnames !== undefined) {
    const params = paramNames(f);
    for (const n of typeof opts.staticArgnames === "string" ? [opts.staticArgnames] : opts.staticArgnames) {
      const k = params.indexOf(n);
      if (k < 0) {
        throw new TypeError(
          `[jit] staticArgnames '${n}' is not a parameter of ${name} (parameters: ${params.filter((p) => p !== null).join(", ") || "none found"})`,
        );
      }
      statics.add(k);
    }
  }
  const cache = new Map<string, { jaxpr: Jaxpr; consts: Array[]; outTree: tree.PyTreeDef }>();

  const prepare = (args: unknown[]) => {
    for (const k of statics) {
      if (!Number.isInteger(k) || k < 0 || k >= args.length) {
        throw new RangeError(`[jit] staticArgnums ${k} out of range for ${name} called with ${args.length} arguments`);
      }
      if (args[k] instanceof Array) {
        throw new TypeError(`[jit] static argument ${k} of ${name} must be a hashable JS value, not an Array`);
      }
    }
    const dynamic = args.filter((_, i) => !statics.has(i));
    const [leaves, inTree] = tree.flatten(dynamic);
    const arrs = leaves.map((x, i) => {
      if (x instanceof ShapeDtypeStruct) return x;
      if (!(x instanceof Array) && typeof x !== "number" && typeof x !== "boolean") {
        throw new TypeError(`[jit] arguments of ${name} must be Arrays or numbers (or static); leaf ${i} is ${typeof x}`);
      }
      return asArray(x as ArrayInput);
    });
    const avals = arrs.map((a) => (a instanceof ShapeDtypeStruct ? new ShapedArray(a.shape, a.dtype, a.weakType) : a.aval));
    const staticVals = [...statics].sort().map((k) => [k, args[k]]);
    const key = `${inTree.key}|${avals.map((a) => a.key()).join(",")}|${tree.stableKey(staticVals)}`;
    let entry = cache.get(key);
    if (!entry) {
      const allNames = leafNames(f, args.map((a, i) => (statics.has(i) ? null : a)));
      const debug = { transform: "jit", fnName: name, argNames: allNames };
      entry = stageFlat(
        (...xs) => {
          const dyn = tree.unflatten(inTree, xs) as unknown[];
          const full: unknown[] = [];
          let d = 0;
          for (let i = 0; i < args.length; i++) full.push(statics.has(i) ? args[i] : dyn[d++]);
          return f(...full);
        },
        avals,
        debug,
      );
      cache.set(key, entry);
    }
    return { entry, arrs };
  };

  const jitted = ((...args: unknown[]) => {
    const { entry, arrs } = prepare(args);
    const outs = bindJit(name, entry.jaxpr, [...entry.consts, ...(arrs as Array[])]);
    return tree.unflatten(entry.outTree, outs);
  }) as unknown as Jitted<F>;
  Object.defineProperty(jitted, "cacheSize", { get: () => cache.size });
  jitted.trace = (...args: unknown[]) => {
    const { entry } = prepare(args);
    return new ClosedJaxpr(entry.jaxpr, []);
  };
  return jitted;
}

export type { Params, Literal, Tracer };
