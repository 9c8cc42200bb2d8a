// Lowering a Jaxpr (or a run of its equations) into an ONNX graph.
import { ClosedJaxpr, DropVar, Jaxpr, Literal, type Array, type JaxprEqn, type Var } from "@jaxts/core";
import { onnxType } from "../dtypes.js";
import type { GraphBuilder } from "../proto.js";
import { lowerings, type LowerCtx, type LowerEqn } from "./table.js";

export function eqnInfo(e: JaxprEqn): LowerEqn {
  return { prim: e.primitive, params: e.params, inAvals: e.inputs.map((a) => a.aval), outAvals: e.outvars.map((v) => v.aval) };
}

/** Why an equation cannot be lowered (null when it can). */
export function whyNotLowerable(e: JaxprEqn): string | null {
  const entry = lowerings.get(e.primitive);
  if (!entry) return `no ONNX lowering for '${e.primitive.name}'`;
  if (entry.supports) {
    const ok = entry.supports(eqnInfo(e));
    if (ok !== true) return typeof ok === "string" ? ok : `no ONNX lowering for '${e.primitive.name}' with ${e.inputs.map((a) => a.aval.strShort()).join(", ")}`;
  }
  return null;
}

/** Whether every equation of a Jaxpr (recursively, via the rules' checks) lowers. */
export function jaxprLowerable(j: Jaxpr | ClosedJaxpr): boolean {
  const jaxpr = j instanceof ClosedJaxpr ? j.jaxpr : j;
  return jaxpr.eqns.every((e) => whyNotLowerable(e) === null);
}

/** First reason a Jaxpr cannot be lowered, or true. */
export function jaxprSupport(j: Jaxpr | ClosedJaxpr): true | string {
  const jaxpr = j instanceof ClosedJaxpr ? j.jaxpr : j;
  for (const e of jaxpr.eqns) {
    const r = whyNotLowerable(e);
    if (r !== null) return r;
  }
  return true;
}

export function literalConst(g: GraphBuilder, l: Literal): string {
  return g.constant({ dtype: onnxType(l.aval.dtype), dims: [], values: [l.val] });
}

/** Embed concrete arrays (a ClosedJaxpr's consts) as constants. Needs their values now. */
export function arrayConsts(g: GraphBuilder, consts: readonly Array[]): string[] {
  return consts.map((c) => {
    const data = c.dataSync();
    return g.constant({ dtype: onnxType(c.dtype), dims: c.shape, values: data }, true);
  });
}

export function makeCtx(g: GraphBuilder): LowerCtx {
  return {
    g,
    inline: (jaxpr, inputs, g2) => lowerEqns(g2 ?? g, jaxpr, inputs),
    constsOf: (consts, g2) => arrayConsts(g2 ?? g, consts),
  };
}

/**
 * Lower all equations of `jaxpr` into `g`; `inputs` name [...constvars, ...invars].
 * Returns the names of its outputs.
 */
export function lowerEqns(g: GraphBuilder, jaxpr: Jaxpr, inputs: readonly string[]): string[] {
  const env = new Map<Var, string>();
  [...jaxpr.constvars, ...jaxpr.invars].forEach((v, i) => env.set(v, inputs[i]!));
  lowerInto(g, jaxpr.eqns, env);
  return jaxpr.outvars.map((a) => (a instanceof Literal ? literalConst(g, a) : env.get(a as Var)!));
}

/** Lower equations, reading and writing value names in `env`. */
export function lowerInto(g: GraphBuilder, eqns: readonly JaxprEqn[], env: Map<Var, string>): void {
  const ctx = makeCtx(g);
  for (const e of eqns) {
    const info = eqnInfo(e);
    let outs: string[];
    if (info.outAvals.length > 0 && info.outAvals.every((a) => a.size === 0)) {
      // Nothing to compute: empty results are constants.
      outs = info.outAvals.map((a) => g.constant({ dtype: onnxType(a.dtype), dims: a.shape, values: [] }));
    } else {
      const entry = lowerings.get(e.primitive);
      if (!entry) throw new Error(`[onnx] no ONNX lowering for '${e.primitive.name}'`);
      const ins = e.inputs.map((a) => {
        if (a instanceof Literal) return literalConst(g, a);
        const n = env.get(a);
        if (n === undefined) throw new Error(`[onnx] variable read before assignment in ${e.primitive.name}`);
        return n;
      });
      outs = entry.rule(ctx, ins, info);
    }
    e.outvars.forEach((v, i) => {
      if (!(v instanceof DropVar)) env.set(v, outs[i]!);
    });
  }
}
