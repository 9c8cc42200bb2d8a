// cond → (nested) If; while → Loop; scan → Loop with scan outputs. Branches and
// bodies are ONNX subgraphs that read outer values (consts) by name.
import { ShapedArray, bool, lax, type ClosedJaxpr } from "@jaxts/core";
import { onnxType } from "../dtypes.js";
import type { GraphBuilder } from "../proto.js";
import { jaxprSupport } from "./jaxpr.js";
import { registerLowering, type LowerCtx } from "./table.js";
import { T, cast, dt, reshape } from "./util.js";

function allLower(js: readonly ClosedJaxpr[]): true | string {
  for (const j of js) {
    const r = jaxprSupport(j.jaxpr);
    if (r !== true) return r;
  }
  return true;
}

/** Lower a closed Jaxpr into subgraph `sub`, declaring its outputs (fresh names via Identity). */
function subgraphOutputs(sub: GraphBuilder, outs: string[], avals: readonly ShapedArray[]): void {
  outs.forEach((o, i) => {
    const name = sub.op("Identity", [o]);
    sub.addOutput(name, onnxType(avals[i]!.dtype), avals[i]!.shape);
  });
}

function inlineClosed(ctx: LowerCtx, cj: ClosedJaxpr, args: readonly string[], g: GraphBuilder): string[] {
  return ctx.inline(cj.jaxpr, [...ctx.constsOf(cj.consts), ...args], g);
}

/** An ONNX Loop body: inputs (iteration number, condition, the carried values). */
function loopBody(g: GraphBuilder, carryAvals: readonly ShapedArray[]): { body: GraphBuilder; iter: string; carry: string[] } {
  const body = g.child();
  const iter = body.fresh("iter");
  body.addInput(iter, T.i64, []);
  body.addInput(body.fresh("cond_in"), T.bool, []);
  const carry = carryAvals.map((a) => {
    const n = body.fresh("carry");
    body.addInput(n, onnxType(a.dtype), a.shape);
    return n;
  });
  return { body, iter, carry };
}

registerLowering(
  lax.condP,
  (ctx, [index, ...ops], e) => {
    const { g } = ctx;
    const branches = e.params.branches as ClosedJaxpr[];
    const outAvals = e.outAvals;
    if (branches.length === 1) return inlineClosed(ctx, branches[0]!, ops, g);
    const it = dt(e.inAvals[0]!);
    const idx = it === T.bool ? g.op("Cast", [index!], { to: T.i32 }) : cast(g, index!, it, T.i64);
    const idxT = it === T.bool ? T.i32 : T.i64;
    // Branch k when index == k; below 0 picks branch 0, past the end the last.
    const build = (gg: GraphBuilder, k: number): string[] => {
      if (k === branches.length - 1) return inlineClosed(ctx, branches[k]!, ops, gg);
      const pred = k === 0 ? gg.op("LessOrEqual", [idx, gg.scalar(0, idxT)]) : gg.op("Equal", [idx, gg.scalar(k, idxT)]);
      const thenG = gg.child();
      subgraphOutputs(thenG, inlineClosed(ctx, branches[k]!, ops, thenG), outAvals);
      const elseG = gg.child();
      subgraphOutputs(elseG, build(elseG, k + 1), outAvals);
      return gg.node("If", [pred], { then_branch: { graph: thenG.toGraph("then") }, else_branch: { graph: elseG.toGraph("else") } }, outAvals.length);
    };
    return build(g, 0);
  },
  (e) => allLower(e.params.branches),
);

registerLowering(
  lax.whileP,
  (ctx, ins, e) => {
    const { g } = ctx;
    const { cond_jaxpr, cond_nconsts: nc, body_jaxpr, body_nconsts: nb } = e.params as {
      cond_jaxpr: ClosedJaxpr;
      cond_nconsts: number;
      body_jaxpr: ClosedJaxpr;
      body_nconsts: number;
    };
    const cc = ins.slice(0, nc);
    const bc = ins.slice(nc, nc + nb);
    const init = ins.slice(nc + nb);
    const carryAvals = e.inAvals.slice(nc + nb);
    const cond0 = inlineClosed(ctx, cond_jaxpr, [...cc, ...init], g)[0]!;
    const { body, carry } = loopBody(g, carryAvals);
    const next = inlineClosed(ctx, body_jaxpr, [...bc, ...carry], body);
    const c = inlineClosed(ctx, cond_jaxpr, [...cc, ...next], body)[0]!;
    subgraphOutputs(body, [c, ...next], [cond_jaxpr.outAvals[0]!, ...carryAvals]);
    return g.node("Loop", ["", cond0, ...init], { body: { graph: body.toGraph("while_body") } }, init.length);
  },
  (e) => allLower([e.params.cond_jaxpr, e.params.body_jaxpr]),
);

registerLowering(
  lax.scanP,
  (ctx, ins, e) => {
    const { g } = ctx;
    const { jaxpr, length, reverse, num_consts: nC, num_carry: nK } = e.params as {
      jaxpr: ClosedJaxpr;
      length: number;
      reverse: boolean;
      num_consts: number;
      num_carry: number;
    };
    const consts = ins.slice(0, nC);
    const init = ins.slice(nC, nC + nK);
    const xs = ins.slice(nC + nK);
    const carryAvals = e.inAvals.slice(nC, nC + nK);
    const xAvals = e.inAvals.slice(nC + nK);
    const yAvals = jaxpr.outAvals.slice(nK);
    if (length === 0) {
      return [...init, ...e.outAvals.slice(nK).map((a) => g.constant({ dtype: onnxType(a.dtype), dims: a.shape, values: [] }))];
    }
    const { body, iter, carry } = loopBody(g, carryAvals);
    const idx = reverse ? body.op("Sub", [body.scalar(length - 1, T.i64), iter]) : iter;
    const xsNow = xs.map((x, k) => {
      const s = xAvals[k]!.shape;
      return reshape(body, body.op("Gather", [x, reshape(body, idx, [1])], { axis: 0 }), s.slice(1));
    });
    const outs = inlineClosed(ctx, jaxpr, [...consts, ...carry, ...xsNow], body);
    const condOut = body.op("Identity", [body.constant({ dtype: T.bool, dims: [], values: [1] })]);
    subgraphOutputs(body, [condOut, ...outs], [new ShapedArray([], bool), ...carryAvals, ...yAvals]);
    const res = g.node(
      "Loop",
      [g.scalar(length, T.i64), "", ...init],
      { body: { graph: body.toGraph("scan_body") } },
      nK + yAvals.length,
    );
    const finalCarry = res.slice(0, nK);
    let ys = res.slice(nK);
    if (reverse) {
      ys = ys.map((y) => g.op("Slice", [y, g.i64([-1]), g.i64([-(length + 1)]), g.i64([0]), g.i64([-1])]));
    }
    return [...finalCarry, ...ys];
  },
  (e) => allLower([e.params.jaxpr]),
);
