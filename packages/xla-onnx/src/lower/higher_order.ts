// Higher-order primitives whose sub-Jaxpr is inlined into the graph: jit,
// custom_jvp_call / custom_vjp_call (their primal computation), remat2.
import { checkpointP, customJvpCallP, customVjpCallP, jitP, type ClosedJaxpr, type Jaxpr } from "@jaxts/core";
import { jaxprSupport } from "./jaxpr.js";
import { registerLowering } from "./table.js";

function closedOf(p: unknown): { jaxpr: Jaxpr; consts: readonly import("@jaxts/core").Array[] } {
  const cj = p as ClosedJaxpr | Jaxpr;
  return "consts" in cj ? { jaxpr: cj.jaxpr, consts: cj.consts } : { jaxpr: cj, consts: [] };
}

function inlined(prim: typeof jitP, param: string): void {
  registerLowering(
    prim,
    (ctx, ins, e) => {
      const { jaxpr, consts } = closedOf(e.params[param]);
      return ctx.inline(jaxpr, [...ctx.constsOf(consts), ...ins]);
    },
    (e) => jaxprSupport(closedOf(e.params[param]).jaxpr),
  );
}
inlined(jitP, "jaxpr");
inlined(customJvpCallP, "call_jaxpr");
inlined(customVjpCallP, "call_jaxpr");
inlined(checkpointP, "jaxpr");
