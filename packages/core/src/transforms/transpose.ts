// Reverse mode: transposition of linear Jaxprs, and on top of it (with
// linearize) vjp, grad and valueAndGrad.
import { Array, asArray, type ArrayInput } from "../array.js";
import type { Primitive } from "../core.js";
import { evalJaxpr, Jaxpr, Literal, literalArray, type Atom, type Var } from "../jaxpr.js";
import { ShapedArray, fmtAval } from "../shape.js";
import * as tree from "../tree.js";
import { addTangents, jvpFlat, type Tangent } from "./jvp.js";
import { PartialVal, partialEvalFlat } from "./partial_eval.js";
import { zerosLike } from "./zeros.js";

/** A linear input whose value is not known: what transposition solves for. */
export class UndefPrimal {
  constructor(readonly aval: ShapedArray) {}
}

export type LinearArg = Array | UndefPrimal;

/**
 * A transpose rule: given the cotangents of the outputs (null = zero) and the
 * inputs (UndefPrimal where linear), return a cotangent per input (null for
 * non-linear inputs or zero cotangents).
 */
export type TransposeRule = (cts: Tangent[], args: LinearArg[], params: any) => Tangent[];

export function setTranspose(p: Primitive, rule: TransposeRule): void {
  p.rules.set("transpose", rule);
}

export const isUndef = (x: LinearArg): x is UndefPrimal => x instanceof UndefPrimal;

/**
 * Run a linear Jaxpr backwards: `args` gives each invar a value or UndefPrimal;
 * returns the cotangent of each UndefPrimal input (null when zero).
 */
export function backwardPass(jaxpr: Jaxpr, consts: readonly Array[], args: LinearArg[], cts: Tangent[]): Tangent[] {
  const primal = new Map<Var, Array | UndefPrimal>();
  const ct = new Map<Var, Array>();
  jaxpr.constvars.forEach((v, i) => primal.set(v, consts[i]!));
  jaxpr.invars.forEach((v, i) => primal.set(v, args[i]!));

  // Forward: evaluate the non-linear equations (those with no undefined input).
  const linearEqns = [];
  for (const eqn of jaxpr.eqns) {
    const ins = eqn.inputs.map((a) => (a instanceof Literal ? literalArray(a) : primal.get(a)));
    if (ins.every((x) => x instanceof Array)) {
      const outs = eqn.primitive.bind(ins as Array[], eqn.params);
      eqn.outvars.forEach((v, i) => primal.set(v, outs[i]!));
    } else {
      eqn.outvars.forEach((v) => primal.set(v, new UndefPrimal(v.aval)));
      linearEqns.push(eqn);
    }
  }

  const writeCt = (a: Atom, c: Tangent) => {
    if (c === null || a instanceof Literal) return;
    const prev = ct.get(a);
    ct.set(a, prev === undefined ? c : addTangents(prev, c));
  };
  jaxpr.outvars.forEach((a, i) => writeCt(a, cts[i] ?? null));

  for (let k = linearEqns.length - 1; k >= 0; k--) {
    const eqn = linearEqns[k]!;
    const ctsOut = eqn.outvars.map((v) => {
      const c = ct.get(v) ?? null;
      ct.delete(v);
      return c;
    });
    if (ctsOut.every((c) => c === null)) continue;
    const ins: LinearArg[] = eqn.inputs.map((a) => (a instanceof Literal ? literalArray(a) : primal.get(a)!));
    const rule = eqn.primitive.rules.get("transpose") as TransposeRule | undefined;
    if (!rule) throw new Error(`[vjp] transpose rule for '${eqn.primitive.name}' not implemented`);
    const ctsIn = rule(ctsOut, ins, eqn.params);
    eqn.inputs.forEach((a, i) => {
      if (isUndef(ins[i]!)) writeCt(a, ctsIn[i] ?? null);
    });
  }
  return jaxpr.invars.map((v, i) => (isUndef(args[i]!) ? ct.get(v) ?? null : null));
}

// ---------------------------------------------------------------------------
// linearize and vjp

interface Linearized {
  primalsOut: Array[];
  /** The linear map: Jaxpr from tangents of the inputs to tangents of the outputs. */
  jaxpr: Jaxpr;
  consts: Array[];
  outTree: tree.PyTreeDef;
}

function linearizeFlat(f: (...xs: Array[]) => unknown, primals: Array[]): Linearized {
  const n = primals.length;
  let outTree: tree.PyTreeDef | null = null;
  const fJvp = (...pt: Array[]) => {
    const r = jvpFlat(f, pt.slice(0, n), pt.slice(n));
    outTree = r.outTree;
    return [...r.primalsOut, ...(r.tangentsOut as Array[])];
  };
  const pvals = [
    ...primals.map((x) => PartialVal.known(x)),
    ...primals.map((x) => PartialVal.unknown(x.aval)),
  ];
  const { jaxpr, consts, knownOut } = partialEvalFlat(fJvp, pvals);
  const m = knownOut.length / 2;
  const primalsOut = knownOut.slice(0, m).map((x, i) => {
    if (x === null) throw new Error(`[linearize] primal output ${i} depends on tangents`);
    return x;
  });
  // The Jaxpr's outputs are [primals..., tangents...]; keep the tangent half.
  const lin = new Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.eqns, jaxpr.outvars.slice(m));
  return { primalsOut, jaxpr: lin, consts, outTree: outTree! };
}

function flatArgs(op: string, args: readonly unknown[]): [Array[], tree.PyTreeDef] {
  const [leaves, inTree] = tree.flatten(args);
  return [
    leaves.map((x, i) => {
      if (!(x instanceof Array) && typeof x !== "number" && typeof x !== "boolean") {
        throw new TypeError(`[${op}] argument leaves must be Arrays or numbers; leaf ${i} is ${typeof x}`);
      }
      return asArray(x as ArrayInput);
    }),
    inTree,
  ];
}

/**
 * jax.linearize: `[primalsOut, fJvp]` where fJvp(...tangents) evaluates the
 * linearized function (one tangent PyTree per argument).
 */
export function linearize<T = any>(f: (...args: any[]) => T, ...primals: unknown[]): [T, (...tangents: unknown[]) => T] {
  const [flat, inTree] = flatArgs("linearize", primals);
  const lin = linearizeFlat((...xs) => f(...(tree.unflatten(inTree, xs) as unknown[])), flat);
  const fJvp = (...tangents: unknown[]): T => {
    const [tflat, tTree] = flatArgs("linearize", tangents);
    if (!tTree.equals(inTree)) throw new TypeError(`[linearize] tangents must have the structure ${inTree}, got ${tTree}`);
    return tree.unflatten(lin.outTree, evalJaxpr(lin.jaxpr, lin.consts, tflat));
  };
  return [tree.unflatten(lin.outTree, lin.primalsOut), fJvp];
}

export function vjpFlat(
  f: (...xs: Array[]) => unknown,
  primals: Array[],
): { primalsOut: Array[]; outTree: tree.PyTreeDef; pullback: (cts: Tangent[]) => Array[] } {
  const lin = linearizeFlat(f, primals);
  const pullback = (cts: Tangent[]): Array[] => {
    const undefs = primals.map((x) => new UndefPrimal(x.aval));
    const ctsIn = backwardPass(lin.jaxpr, lin.consts, undefs, cts);
    return ctsIn.map((c, i) => c ?? zerosLike(primals[i]!.aval));
  };
  return { primalsOut: lin.primalsOut, outTree: lin.outTree, pullback };
}

/**
 * jax.vjp: `vjp(f, ...primals)` → `[out, pullback]`; `pullback(ct)` returns one
 * cotangent PyTree per argument (a list).
 */
export function vjp<T = any>(f: (...args: any[]) => T, ...primals: unknown[]): [T, (ct: T) => any[]] {
  const [flat, inTree] = flatArgs("vjp", primals);
  const { primalsOut, outTree, pullback } = vjpFlat((...xs) => f(...(tree.unflatten(inTree, xs) as unknown[])), flat);
  const pb = (ct: T): any[] => {
    const [ctFlat, ctTree] = tree.flatten(ct);
    if (!ctTree.equals(outTree)) {
      throw new TypeError(`[vjp] cotangent must have the structure of the output ${outTree}, got ${ctTree}`);
    }
    const cts = ctFlat.map((c, i) => {
      const a = asArray(c as ArrayInput);
      const o = primalsOut[i]!;
      if (a.ndim !== o.ndim || a.shape.some((d, k) => d !== o.aval.shape[k])) {
        throw new TypeError(`[vjp] cotangent ${i} has shape ${fmtAval(a)} but the output is ${fmtAval(o)}`);
      }
      return a;
    });
    return tree.unflatten(inTree, pullback(cts)) as any[];
  };
  return [tree.unflatten(outTree, primalsOut), pb];
}
