// checkpoint (remat): a function whose internal linearization points are not
// saved for the backward pass but recomputed there (jax.checkpoint).
//
// `checkpoint(f)` binds the `remat2` primitive (JAX's name for it) holding f's
// Jaxpr. Its JVP is a remat2 of the JVP Jaxpr. Its partial-eval rule is the point
// of it all: known outputs are computed now, and the unknown (tangent) part is
// staged as a remat2 whose Jaxpr recomputes every known value the policy does
// not allow to be saved, so only the inputs (and saveable values) become
// residuals. Its transpose partially evaluates the inner Jaxpr again (the
// recomputation), transposes the linear part, and is itself staged as a remat2.
import { Array, Tracer, asArray, type ArrayInput } from "../array.js";
import { Primitive, currentLevel, type Params } from "../core.js";
import { Jaxpr, JaxprEqn, Literal, Var, derivedCache, evalJaxpr, literalArray, type Atom } from "../jaxpr.js";
import { fmtAval, type ShapedArray } from "../shape.js";
import * as tree from "../tree.js";
import { stageFlat } from "./jit.js";
import { jvpFlat, setJvp, type Tangent } from "./jvp.js";
import { PartialVal, partialEvalFlat, type PartialEvalTrace, type PartialEvalTracer } from "./partial_eval.js";
import { backwardPass, isUndef, setTranspose, UndefPrimal, type LinearArg } from "./transpose.js";
import { setBatch, vmapFlat, type BDim } from "./vmap.js";

/**
 * A rematerialization policy: given an equation computed from known values
 * (its primitive, input avals and params), may its outputs be saved as residuals?
 * Everything else is recomputed in the backward pass.
 */
export type CheckpointPolicyFn = (prim: Primitive, avals: ShapedArray[], params: Params) => boolean;

/** A policy as a param: prints as JAX prints a Python function. */
export class CheckpointPolicy {
  constructor(
    readonly name: string,
    readonly fn: CheckpointPolicyFn,
    /** How JAX prints it (a function prints as `<function NAME at 0x...>`, addresses masked). */
    readonly repr = `<function ${name} at 0xXXXXXXXXXXXX>`,
  ) {}
  toString(): string {
    return this.repr;
  }
  toJSON(): string {
    return `policy:${this.name}`;
  }
}

const isDot = (p: Primitive) => p.name === "dot_general";

/** jax.checkpoint_policies. */
export const checkpointPolicies = {
  /** Save every intermediate (no rematerialization). */
  everythingSaveable: new CheckpointPolicy("everything_saveable", () => true),
  /** Save nothing but the inputs (the default). */
  nothingSaveable: new CheckpointPolicy("nothing_saveable", () => false),
  /** Save the results of matrix multiplications (dot_general); recompute the rest. */
  dotsSaveable: new CheckpointPolicy("dots_saveable", (p) => isDot(p), "DotsSaveable(only_if_no_batch_dims=False)"),
  /** Save dot_general results that have no batch dimensions. */
  dotsWithNoBatchDimsSaveable: new CheckpointPolicy("dots_with_no_batch_dims_saveable", (p, _avals, params) => {
    if (!isDot(p)) return false;
    const dn = params.dimension_numbers as unknown;
    // dimension_numbers: [[lhsContract, rhsContract], [lhsBatch, rhsBatch]] (possibly PyList-wrapped).
    const items = (x: unknown): unknown[] =>
      globalThis.Array.isArray(x) ? x : x && typeof x === "object" && "items" in x ? [...(x as { items: unknown[] }).items] : [];
    const batch = items(items(dn)[1]);
    return batch.every((b) => items(b).length === 0);
  }, "DotsSaveable(only_if_no_batch_dims=True)"),
};

export interface CheckpointParams {
  /** The function's Jaxpr, closed-over values as its leading inputs. */
  jaxpr: Jaxpr;
  prevent_cse: boolean;
  differentiated: boolean;
  policy: CheckpointPolicy | null;
}

export const checkpointP = new Primitive("remat2", true);
checkpointP.abstractEval = (avals, { jaxpr }: CheckpointParams) => {
  const ins = jaxpr.inAvals;
  if (avals.length !== ins.length || avals.some((a, i) => !a.sameType(ins[i]!))) {
    throw new TypeError(`[checkpoint] called with ${avals.map(fmtAval).join(", ")} but its Jaxpr takes ${ins.map(fmtAval).join(", ")}`);
  }
  return jaxpr.outAvals;
};
checkpointP.impl = (args, { jaxpr }: CheckpointParams) => evalJaxpr(jaxpr, [], args);

const bindCheckpoint = (args: Array[], params: CheckpointParams, jaxpr: Jaxpr, differentiated = params.differentiated) =>
  checkpointP.bind(args, { ...params, jaxpr, differentiated } as unknown as Params);

// Derived Jaxprs are cached per source Jaxpr and pattern.
const memo = derivedCache<Jaxpr>();

const bits = (xs: boolean[]) => xs.map(Number).join("");

// --- JVP: a remat2 of the JVP Jaxpr (only nonzero tangents are inputs).
setJvp(checkpointP, (primals, tangents, params: CheckpointParams) => {
  const j = params.jaxpr;
  const nz = tangents.map((t) => t !== null);
  const made = memo(j, `jvp:${bits(nz)}`, () => {
    let outNz: boolean[] = [];
    const n = primals.length;
    const staged = stageFlat(
      (...xs) => {
        let k = n;
        const ts: Tangent[] = nz.map((z) => (z ? xs[k++]! : null));
        const r = jvpFlat((...ys) => evalJaxpr(j, [], ys), xs.slice(0, n), ts, { instantiate: false });
        outNz = r.tangentsOut.map((t) => t !== null);
        return [...r.primalsOut, ...(r.tangentsOut.filter((t) => t !== null) as Array[])];
      },
      [...j.inAvals, ...j.inAvals.filter((_, i) => nz[i])],
    );
    return { jaxpr: staged.jaxpr, consts: staged.consts, outNz };
  });
  const outs = bindCheckpoint([...made.consts, ...primals, ...(tangents.filter((t) => t !== null) as Array[])], params, made.jaxpr);
  const m = j.outvars.length;
  let k = m;
  return [outs.slice(0, m), made.outNz.map((z) => (z ? outs[k++]! : null))];
});

// --- vmap: a remat2 of the batched Jaxpr.
setBatch(checkpointP, (vals, dims, params: CheckpointParams, axisSize) => {
  const j = params.jaxpr;
  const made = memo(j, `batch:${axisSize}:${dims.join(",")}:${vals.map((v) => v.aval.key()).join(",")}`, () => {
    let outDims: BDim[] = [];
    const staged = stageFlat(
      (...xs) => {
        const r = vmapFlat((...ys) => evalJaxpr(j, [], ys), xs, dims, axisSize);
        outDims = r.outDims;
        return r.outs;
      },
      vals.map((v) => v.aval),
    );
    return { ...staged, outDims };
  });
  return [bindCheckpoint([...made.consts, ...vals], params, made.jaxpr), made.outDims];
});

// --- partial evaluation: the rematerialization itself.
interface Item {
  eqn: JaxprEqn;
  known: boolean;
  saveable: boolean;
}
interface KnownInfo {
  val: Array | null;
  /** Index of the producing known item (when val is not yet computed). */
  producer: number;
}

checkpointP.rules.set("partialEval", (trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: CheckpointParams) => {
  const j = params.jaxpr;
  const policy = (params.policy ?? checkpointPolicies.nothingSaveable).fn;
  const known = new Map<Var, KnownInfo>();
  const subst = new Map<Var, Atom>();
  const items: Item[] = [];
  const resolve = (a: Atom): Atom => {
    let x = a;
    while (x instanceof Var && subst.has(x)) x = subst.get(x)!;
    return x;
  };
  const isKnown = (a: Atom) => {
    const r = resolve(a);
    return r instanceof Literal || known.has(r);
  };
  j.invars.forEach((v, i) => {
    const t = tracers[i]!;
    if (t.pval.isKnown) known.set(v, { val: t.pval.known!, producer: -1 });
  });

  // Compute known values on demand, each producing equation once, in order.
  const force = (atoms: Atom[]): void => {
    const need = new Set<number>();
    const work = atoms.map(resolve).filter((a): a is Var => a instanceof Var);
    while (work.length) {
      const info = known.get(work.pop()!);
      if (!info || info.val !== null || need.has(info.producer)) continue;
      need.add(info.producer);
      for (const a of items[info.producer]!.eqn.inputs) {
        const r = resolve(a);
        if (r instanceof Var) work.push(r);
      }
    }
    for (const idx of [...need].sort((a, b) => a - b)) {
      const e = items[idx]!.eqn;
      const outs = e.primitive.bind(e.inputs.map(valueOf), e.params);
      e.outvars.forEach((v, i) => (known.get(v)!.val = outs[i]!));
    }
  };
  const valueOf = (a: Atom): Array => {
    const r = resolve(a);
    if (r instanceof Literal) return literalArray(r);
    const info = known.get(r);
    if (!info || info.val === null) throw new Error("[checkpoint] partial eval: a known value was used before it was computed");
    return info.val;
  };

  for (const eqn of j.eqns) {
    const mixed = !eqn.inputs.every(isKnown);
    if (!mixed) {
      const idx = items.length;
      const saveable = policy(eqn.primitive, eqn.inputs.map((a) => a.aval), eqn.params);
      items.push({ eqn, known: true, saveable });
      eqn.outvars.forEach((v) => known.set(v, { val: null, producer: idx }));
    } else if (eqn.primitive.rules.has("partialEval") && eqn.inputs.some(isKnown)) {
      // A higher-order equation (jit, remat2, ...) with known and unknown inputs:
      // its own rule splits it, giving its known outputs now. When the policy
      // saves the equation, the residuals of that split are saved; otherwise the
      // whole equation is recomputed in the staged Jaxpr (as JAX does for a
      // nested checkpoint).
      const knownIns = eqn.inputs.filter(isKnown);
      force(knownIns);
      const pvals = eqn.inputs.map((a) => (isKnown(a) ? PartialVal.known(valueOf(a)) : PartialVal.unknown(a.aval)));
      const sub = partialEvalFlat((...xs) => eqn.primitive.bind(xs, eqn.params), pvals);
      const knownOut = (i: number) => sub.knownOut[i] ?? null;
      if (policy(eqn.primitive, eqn.inputs.map((a) => a.aval), eqn.params)) {
        sub.jaxpr.constvars.forEach((v, i) => known.set(v, { val: sub.consts[i]!, producer: -1 }));
        const unknownIns = eqn.inputs.filter((a) => !isKnown(a));
        sub.jaxpr.invars.forEach((v, i) => subst.set(v, unknownIns[i]!));
        for (const e of sub.jaxpr.eqns) items.push({ eqn: e, known: false, saveable: false });
        eqn.outvars.forEach((v, i) => {
          const k = knownOut(i);
          if (k !== null) known.set(v, { val: k, producer: -1 });
          else subst.set(v, sub.jaxpr.outvars[i]!);
        });
      } else {
        // Its known outputs have their values now, and the staged Jaxpr recomputes
        // them along with the rest when it needs them.
        const idx = items.length;
        const staged = eqn.primitive === checkpointP ? new JaxprEqn(eqn.primitive, eqn.inputs, { ...eqn.params, differentiated: true }, eqn.outvars) : eqn;
        items.push({ eqn: staged, known: false, saveable: false });
        eqn.outvars.forEach((v, i) => {
          const k = knownOut(i);
          if (k !== null) known.set(v, { val: k, producer: idx });
        });
      }
    } else {
      items.push({ eqn, known: false, saveable: false });
    }
  }

  // The staged Jaxpr: walk back from the unknown outputs; known values the policy
  // saves (and known inputs) become residuals, the others are recomputed.
  const outAtoms = j.outvars.map(resolve);
  const unknownOuts = outAtoms.filter((a) => !isKnown(a));
  const needed = new Set<Var>(unknownOuts.filter((a): a is Var => a instanceof Var));
  const included = new Set<number>();
  for (let idx = items.length - 1; idx >= 0; idx--) {
    const it = items[idx]!;
    if (!it.eqn.outvars.some((v) => needed.has(v))) continue;
    if (it.known && it.saveable) continue;
    included.add(idx);
    for (const a of it.eqn.inputs) {
      const r = resolve(a);
      if (r instanceof Var) needed.add(r);
    }
  }
  const isResidual = (v: Var) => {
    const info = known.get(v);
    return info !== undefined && (info.producer < 0 || !included.has(info.producer));
  };
  const residuals: Var[] = [];
  const seen = new Set<Var>();
  const addRes = (v: Var) => {
    if (needed.has(v) && isResidual(v) && !seen.has(v)) {
      seen.add(v);
      residuals.push(v);
    }
  };
  j.invars.forEach(addRes);
  for (const v of known.keys()) addRes(v);
  const unknownIns = j.invars.map((v, i) => [v, i] as const).filter(([v]) => !known.has(v) && needed.has(v));

  force([...residuals, ...outAtoms.filter(isKnown)]);
  let stagedOuts: PartialEvalTracer[] = [];
  if (unknownOuts.length) {
    const eqns = [...included]
      .sort((a, b) => a - b)
      .map((idx) => {
        const e = items[idx]!.eqn;
        const ins = e.inputs.map(resolve);
        return ins.every((a, i) => a === e.inputs[i]) ? e : new JaxprEqn(e.primitive, ins, e.params, e.outvars);
      });
    const staged = new Jaxpr([], [...residuals, ...unknownIns.map(([v]) => v)], eqns, unknownOuts);
    const resTracers = residuals.map((v) => trace.pure(valueOf(v)) as PartialEvalTracer);
    stagedOuts = trace.stage(
      checkpointP,
      [...resTracers, ...unknownIns.map(([, i]) => tracers[i]!)],
      { ...params, jaxpr: staged, differentiated: true },
      staged.outAvals,
    );
  }
  let k = 0;
  return outAtoms.map((a) => (isKnown(a) ? (trace.pure(valueOf(a)) as PartialEvalTracer) : stagedOuts[k++]!));
});

// --- transpose: recompute the non-linear part, transpose the linear part; staged as a remat2.
setTranspose(checkpointP, (cts, args: LinearArg[], params: CheckpointParams) => {
  const j = params.jaxpr;
  const undef = args.map(isUndef);
  const ctNz = cts.map((c) => c !== null);
  const made = memo(j, `T:${bits(undef)}:${bits(ctNz)}`, () => {
    let inNz: boolean[] = [];
    const nDef = undef.filter((u) => !u).length;
    const staged = stageFlat(
      (...xs) => {
        let d = 0;
        const pvals = j.invars.map((v, i) => (undef[i] ? PartialVal.unknown(v.aval) : PartialVal.known(xs[d++]!)));
        let c = nDef;
        const ctsIn: Tangent[] = ctNz.map((z) => (z ? xs[c++]! : null));
        const pe = partialEvalFlat((...ys) => evalJaxpr(j, [], ys), pvals);
        const res = backwardPass(
          pe.jaxpr,
          pe.consts,
          pe.jaxpr.invars.map((v) => new UndefPrimal(v.aval)),
          ctsIn,
        );
        inNz = res.map((r) => r !== null);
        return res.filter((r): r is Array => r !== null);
      },
      [...j.inAvals.filter((_, i) => !undef[i]), ...j.outAvals.filter((_, i) => ctNz[i])],
    );
    return { ...staged, inNz };
  });
  const defined = args.filter((a): a is Array => !isUndef(a));
  const outs = bindCheckpoint([...made.consts, ...defined, ...(cts.filter((c) => c !== null) as Array[])], params, made.jaxpr, true);
  let k = 0;
  let u = 0;
  return undef.map((isU) => (isU ? (made.inNz[u++] ? outs[k++]! : null) : null));
});

// ---------------------------------------------------------------------------
// The user-facing checkpoint

export interface CheckpointOptions {
  /** Which intermediates may be saved (default: none, only the inputs). */
  policy?: CheckpointPolicy | CheckpointPolicyFn | null;
  /** Kept for API compatibility (JAX uses it to stop XLA from merging the recomputation). */
  preventCse?: boolean;
  /** Positional arguments that are static JS values (closed over when tracing). */
  staticArgnums?: number | readonly number[];
}

/**
 * jax.checkpoint (alias remat): `f` with the same values and derivatives, whose
 * intermediates are recomputed during the backward pass instead of saved.
 */
export function checkpoint<F extends (...args: any[]) => any>(f: F, opts: CheckpointOptions = {}): F {
  const name = f.name || "<lambda>";
  const statics = new Set(typeof opts.staticArgnums === "number" ? [opts.staticArgnums] : opts.staticArgnums ?? []);
  const pol = opts.policy;
  const policy = pol === undefined || pol === null ? null : pol instanceof CheckpointPolicy ? pol : new CheckpointPolicy(pol.name || "<lambda>", pol);
  const preventCse = opts.preventCse ?? true;
  const wrapped = (...args: unknown[]) => {
    for (const k of statics) {
      if (!Number.isInteger(k) || k < 0 || k >= args.length) {
        throw new RangeError(`[checkpoint] staticArgnums ${k} out of range for ${name} called with ${args.length} arguments`);
      }
    }
    const dynamic = args.filter((_, i) => !statics.has(i));
    const [leaves, inTree] = tree.flatten(dynamic);
    const xs = leaves.map((x, i) => {
      if (!(x instanceof Array) && typeof x !== "number" && typeof x !== "boolean") {
        throw new TypeError(`[checkpoint] arguments of ${name} must be Arrays or numbers (or static); leaf ${i} is ${typeof x}`);
      }
      return asArray(x as ArrayInput);
    });
    const merge = (dyn: unknown[]) => {
      const full: unknown[] = [];
      let d = 0;
      for (let i = 0; i < args.length; i++) full.push(statics.has(i) ? args[i] : dyn[d++]);
      return full;
    };
    // With no transformation active it is just f.
    if (currentLevel() === 0 && !xs.some((x) => x instanceof Tracer)) return f(...(merge(dynamic) as Parameters<F>));
    const { jaxpr, consts, outTree } = stageFlat(
      (...ys) => f(...(merge(tree.unflatten(inTree, ys) as unknown[]) as Parameters<F>)),
      xs.map((x) => x.aval),
    );
    const params: CheckpointParams = { jaxpr, prevent_cse: preventCse, differentiated: false, policy };
    return tree.unflatten(outTree, checkpointP.bind([...consts, ...xs], params as unknown as Params));
  };
  Object.defineProperty(wrapped, "name", { value: name });
  return wrapped as F;
}

/** jax.remat: an alias of checkpoint. */
export const remat = checkpoint;
