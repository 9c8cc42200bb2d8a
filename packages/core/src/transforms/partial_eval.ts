// Partial evaluation: run a function on partly known inputs, computing what
// depends only on known values now and staging the rest into a Jaxpr. Applied
// to a JVP this is `linearize`: primal work happens now, the tangent (linear)
// part becomes a Jaxpr that `transpose` can run backwards.
import { canReadSync } from "../backend/registry.js";
import { Array, Tracer, asArray, type ArrayInput } from "../array.js";
import { MainTrace, Trace, bind, raise, withMainTrace, type Params, type Primitive } from "../core.js";
import { Jaxpr, JaxprEqn, Literal, Var, type Atom } from "../jaxpr.js";
import { ShapedArray } from "../shape.js";
import * as tree from "../tree.js";

/** A value that is either known (a concrete or outer-traced Array) or only an aval. */
export class PartialVal {
  private constructor(
    readonly aval: ShapedArray,
    readonly known: Array | null,
  ) {}
  static known(x: Array): PartialVal {
    return new PartialVal(x.aval, x);
  }
  static unknown(aval: ShapedArray): PartialVal {
    return new PartialVal(aval, null);
  }
  get isKnown(): boolean {
    return this.known !== null;
  }
}

type Recipe =
  | { kind: "lambda" }
  | { kind: "const"; val: Array }
  | { kind: "eqn"; eqn: EqnRecipe };

interface EqnRecipe {
  prim: Primitive;
  inputs: PartialEvalTracer[];
  params: Params;
  outAvals: ShapedArray[];
  /** Output tracers, set after creation (an unused output stays unnamed). */
  outs: PartialEvalTracer[];
}

export class PartialEvalTracer extends Tracer {
  constructor(
    trace: Trace,
    readonly pval: PartialVal,
    public recipe: Recipe | null,
  ) {
    super(trace, pval.aval);
  }
  override toConcrete(): Array | null {
    const k = this.pval.known;
    return k === null ? null : k instanceof Tracer ? k.toConcrete() : k;
  }
}

/**
 * A partial-eval rule for primitives with sub-Jaxprs (jit, cond, scan...): split
 * the work into a known part run now and an unknown part staged as equations.
 */
export type PartialEvalRule = (trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: any) => PartialEvalTracer[];

export class PartialEvalTrace extends Trace {
  newArg(pval: PartialVal): PartialEvalTracer {
    return pval.isKnown ? new PartialEvalTracer(this, pval, null) : new PartialEvalTracer(this, pval, { kind: "lambda" });
  }
  pure(x: Array): Array {
    return new PartialEvalTracer(this, PartialVal.known(x), null);
  }
  lift(x: Tracer): Array {
    return new PartialEvalTracer(this, PartialVal.known(x), null);
  }
  /** Turn a known tracer into an unknown one whose value is a constant of the staged Jaxpr. */
  instantiateConst(t: PartialEvalTracer): PartialEvalTracer {
    if (!t.pval.isKnown) return t;
    return new PartialEvalTracer(this, PartialVal.unknown(t.aval), { kind: "const", val: t.pval.known! });
  }
  /** Record an equation over (instantiated) unknown inputs. */
  stage(prim: Primitive, tracers: PartialEvalTracer[], params: Params, outAvals: ShapedArray[]): PartialEvalTracer[] {
    const inputs = tracers.map((t) => this.instantiateConst(t));
    const eqn: EqnRecipe = { prim, inputs, params, outAvals, outs: [] };
    eqn.outs = outAvals.map((a) => new PartialEvalTracer(this, PartialVal.unknown(a), { kind: "eqn", eqn }));
    return eqn.outs;
  }
  processPrimitive(prim: Primitive, args: Array[], params: Params): Array[] {
    const ts = args as PartialEvalTracer[];
    if (ts.every((t) => t.pval.isKnown)) {
      return bind(
        prim,
        ts.map((t) => t.pval.known!),
        params,
      ).map((o) => this.pure(o));
    }
    const rule = prim.rules.get("partialEval") as PartialEvalRule | undefined;
    if (rule) return rule(this, ts, params);
    return this.stage(prim, ts, params, prim.abstractEval(
      ts.map((t) => t.aval),
      params,
    ));
  }
}

/**
 * Build the Jaxpr of the unknown part: inputs are the `tracersIn` (lambda
 * bindings), consts are the known values it closes over.
 */
export function tracersToJaxpr(tracersIn: PartialEvalTracer[], tracersOut: PartialEvalTracer[]): { jaxpr: Jaxpr; consts: Array[] } {
  const vars = new Map<PartialEvalTracer, Var>();
  const constvars: Var[] = [];
  const consts: Array[] = [];
  const constByVal = new Map<Array, Var>();
  const eqns: JaxprEqn[] = [];
  const seenEqns = new Set<EqnRecipe>();
  const invars = tracersIn.map((t) => {
    const v = new Var(t.aval);
    vars.set(t, v);
    return v;
  });

  const varOf = (t: PartialEvalTracer): Atom => {
    const v = vars.get(t);
    if (v) return v;
    const r = t.recipe;
    if (r === null || r.kind === "lambda") {
      throw new Error("[partial_eval] an unknown value does not come from the function's inputs");
    }
    if (r.kind === "const") {
      let cv = constByVal.get(r.val);
      if (!cv) {
        if (!(r.val instanceof Tracer) && r.val.ndim === 0 && canReadSync(r.val)) {
          // Scalars become literals, as when staging.
          return new Literal(r.val.dataSync()[0]!, r.val.aval);
        }
        cv = new Var(t.aval);
        constByVal.set(r.val, cv);
        constvars.push(cv);
        consts.push(r.val);
      }
      vars.set(t, cv);
      return cv;
    }
    visit(r.eqn);
    return vars.get(t)!;
  };

  // Iterative post-order over equation recipes (deep programs must not overflow the stack).
  const visit = (root: EqnRecipe): void => {
    const stack: [EqnRecipe, boolean][] = [[root, false]];
    while (stack.length) {
      const [e, ready] = stack.pop()!;
      if (seenEqns.has(e)) continue;
      if (!ready) {
        stack.push([e, true]);
        for (const t of e.inputs) {
          if (!vars.has(t) && t.recipe?.kind === "eqn" && !seenEqns.has(t.recipe.eqn)) stack.push([t.recipe.eqn, false]);
        }
        continue;
      }
      seenEqns.add(e);
      const ins = e.inputs.map(varOf);
      const outs = e.outs.map((o) => {
        const v = new Var(o.aval);
        vars.set(o, v);
        return v;
      });
      eqns.push(new JaxprEqn(e.prim, ins, e.params, outs));
    }
  };

  const outvars = tracersOut.map(varOf);
  return { jaxpr: new Jaxpr(constvars, invars, eqns, outvars), consts };
}

/**
 * Partially evaluate a flat function: known inputs are computed with, unknown ones
 * staged. Returns the staged Jaxpr (inputs: the unknown inputs), its consts, and
 * for each output either its known value or null.
 */
export function partialEvalFlat(
  f: (...xs: Array[]) => Array[],
  pvalsIn: PartialVal[],
): { jaxpr: Jaxpr; consts: Array[]; knownOut: (Array | null)[]; outAvals: ShapedArray[] } {
  return withMainTrace(PartialEvalTrace, null, (main: MainTrace) => {
    const trace = new PartialEvalTrace(main);
    const tracersIn = pvalsIn.map((p) => trace.newArg(p));
    const outs = f(...tracersIn).map((o) => raise(trace, asArray(o as ArrayInput)) as PartialEvalTracer);
    const knownOut = outs.map((t) => (t.pval.isKnown ? t.pval.known! : null));
    const unknownIns = tracersIn.filter((t) => !t.pval.isKnown);
    const { jaxpr, consts } = tracersToJaxpr(
      unknownIns,
      outs.map((t) => trace.instantiateConst(t)),
    );
    return { jaxpr, consts, knownOut, outAvals: outs.map((t) => t.aval) };
  });
}

export type { tree };

// ---------------------------------------------------------------------------
// Partial evaluation of a closed Jaxpr by tracing (JAX's partial_eval_jaxpr_nounits)

export interface JaxprSplit {
  /** known inputs → [known outputs..., residuals...] */
  known: ClosedJaxpr;
  /** [residuals..., unknown inputs...] → unknown outputs */
  unknown: ClosedJaxpr;
  /** Which outputs are unknown (computed by `unknown`). */
  outUk: boolean[];
  resAvals: ShapedArray[];
  /** For each residual: the index among the known inputs it is a copy of, or null. */
  resFwd: (number | null)[];
  numKnownOuts: number;
}

/**
 * Split a closed Jaxpr into the part computable from the known inputs and the
 * part that needs the unknown ones. The Jaxpr is traced (known inputs as staged
 * values, unknown ones as unknowns), so primitives with sub-Jaxprs (jit, cond,
 * scan, ...) split by their own partialEval rules instead of being staged whole.
 * Outputs marked in `instantiate` are unknown even when computable.
 */
export function partialEvalJaxprNounits(
  cj: ClosedJaxpr,
  inUk: readonly boolean[],
  instantiate: boolean | readonly boolean[],
): JaxprSplit {
  const inst = (i: number) => (typeof instantiate === "boolean" ? instantiate : instantiate[i]!);
  let outUk: boolean[] = [];
  let unknown: ClosedJaxpr | null = null;
  let resFwd: (number | null)[] = [];
  let resAvals: ShapedArray[] = [];
  let numKnownOuts = 0;
  const knownAvals = cj.inAvals.filter((_, i) => !inUk[i]);
  const { jaxpr: known } = traceToJaxpr(
    (...kins: Array[]) =>
      withMainTrace(PartialEvalTrace, null, (main: MainTrace) => {
        const trace = new PartialEvalTrace(main);
        let k = 0;
        const tin = cj.inAvals.map((a, i) => trace.newArg(inUk[i] ? PartialVal.unknown(a) : PartialVal.known(kins[k++]!)));
        const outs = evalJaxpr(cj.jaxpr, cj.consts, tin).map((o) => raise(trace, o) as PartialEvalTracer);
        outUk = outs.map((t, i) => !t.pval.isKnown || inst(i));
        const knownOuts = outs.filter((_, i) => !outUk[i]).map((t) => t.pval.known!);
        numKnownOuts = knownOuts.length;
        const { jaxpr, consts } = tracersToJaxpr(
          tin.filter((_, i) => inUk[i]),
          outs.filter((_, i) => outUk[i]).map((t) => trace.instantiateConst(t)),
        );
        // Known values the unknown part reads are residuals when they were
        // computed here; concrete constants stay constants of the unknown part.
        const isRes = consts.map((c) => c instanceof Tracer);
        const residuals = consts.filter((_, i) => isRes[i]);
        unknown = new ClosedJaxpr(
          new Jaxpr(
            jaxpr.constvars.filter((_, i) => !isRes[i]),
            [...jaxpr.constvars.filter((_, i) => isRes[i]), ...jaxpr.invars],
            jaxpr.eqns,
            jaxpr.outvars,
          ),
          consts.filter((_, i) => !isRes[i]),
        );
        resAvals = residuals.map((r) => r.aval);
        resFwd = residuals.map((r) => {
          const j = kins.indexOf(r);
          return j >= 0 ? j : null;
        });
        return [...knownOuts, ...residuals];
      }),
    knownAvals,
  );
  return { known, unknown: unknown!, outUk, resAvals, resFwd, numKnownOuts };
}

import { ClosedJaxpr, evalJaxpr } from "../jaxpr.js";
import { traceToJaxpr } from "../staging.js";
