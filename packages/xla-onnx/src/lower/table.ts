// The lowering table: core primitive → a function that emits ONNX nodes.
// Each primitive family registers its rules in its own file (elementwise.ts,
// structural.ts, ...); `lowerings` is keyed by the primitive objects themselves.
import type { Jaxpr, Primitive, ShapedArray } from "@jaxts/core";
import type { GraphBuilder } from "../proto.js";

/** What a rule sees of one equation. */
export interface LowerEqn {
  readonly prim: Primitive;
  readonly params: any;
  readonly inAvals: readonly ShapedArray[];
  readonly outAvals: readonly ShapedArray[];
}

export interface LowerCtx {
  readonly g: GraphBuilder;
  /** Lower a (sub-)Jaxpr inline into `g`: inputs are value names for [...constvars, ...invars]. */
  inline(jaxpr: Jaxpr, inputs: readonly string[], g?: GraphBuilder): string[];
  /** Constants for a ClosedJaxpr's consts (host values embedded in the graph). */
  constsOf(consts: readonly import("@jaxts/core").Array[], g?: GraphBuilder): string[];
}

/** Emits nodes for one equation and returns the names of its outputs. */
export type LowerRule = (ctx: LowerCtx, ins: string[], eqn: LowerEqn) => string[];

export interface LowerEntry {
  rule: LowerRule;
  /** When present and false, the equation runs on the CPU backend instead (with a warning). */
  supports?: (eqn: LowerEqn) => boolean | string;
}

export const lowerings = new Map<Primitive, LowerEntry>();

export function registerLowering(p: Primitive, rule: LowerRule, supports?: LowerEntry["supports"]): void {
  lowerings.set(p, { rule, supports });
}

/** A one-output rule. */
export function registerLowering1(
  p: Primitive,
  rule: (ctx: LowerCtx, ins: string[], eqn: LowerEqn) => string,
  supports?: LowerEntry["supports"],
): void {
  lowerings.set(p, { rule: (c, i, e) => [rule(c, i, e)], supports });
}

/** Raised by a rule that finds it cannot lower an equation after all. */
export class Unsupported extends Error {}
