// Forward-mode differentiation: the JVP trace. A JVPTracer carries a primal and
// a tangent; a `null` tangent is a symbolic zero and is never materialized.
import { Array, Tracer, asArray, type ArrayInput } from "../array.js";
import { MainTrace, Trace, bind, raise, withMainTrace, type Params, type Primitive } from "../core.js";
import type { DType } from "../dtypes.js";
import type { ShapedArray } from "../shape.js";
import * as tree from "../tree.js";
import { addAny, zerosLike } from "./zeros.js";

/** A tangent: an array, or `null` for a symbolic zero. */
export type Tangent = Array | null;

/**
 * A JVP rule: given primal inputs and their tangents (some null), return the
 * primal outputs and their tangents. Rules only run when some tangent is nonzero.
 */
export type JvpRule = (primals: Array[], tangents: Tangent[], params: any) => [Array[], Tangent[]];

export function setJvp(p: Primitive, rule: JvpRule): void {
  p.rules.set("jvp", rule);
}

/**
 * Define a JVP from one rule per argument, as JAX's `defjvp`: each rule maps the
 * argument's tangent `g` (never null) to its contribution to the output tangent,
 * given the primal inputs, the primal output and params. Contributions are summed;
 * a null rule means the output does not depend on that argument differentiably.
 */
export function defjvp(
  p: Primitive,
  ...argRules: (((g: Array, ans: Array, primals: Array[], params: any) => Array) | null)[]
): void {
  setJvp(p, (primals, tangents, params) => {
    const ans = p.bind1(primals, params);
    let out: Tangent = null;
    tangents.forEach((g, i) => {
      const r = argRules[i];
      if (g === null || !r) return;
      const c = r(g, ans, primals, params);
      out = out === null ? c : addTangents(out, c);
    });
    return [[ans], [out]];
  });
}

/** The output tangent is always zero (floor, sign, comparisons, integer ops, ...). */
export function defjvpZero(p: Primitive): void {
  setJvp(p, (primals, _tangents, params) => [p.bind(primals, params), p.bind(primals, params).map(() => null)]);
}

/** A primitive linear in all its inputs: its JVP is itself applied to the tangents. */
export function defjvpLinear(p: Primitive): void {
  setJvp(p, (primals, tangents, params) => {
    const outs = p.bind(primals, params);
    const ts = tangents.map((t, i) => t ?? zerosLike(primals[i]!.aval));
    return [outs, p.bind(ts, params)];
  });
}

/** Sum two tangents or cotangents of the same type (JAX's add_any). */
export function addTangents(a: Array, b: Array): Array {
  return addAny(a, b);
}

// ---------------------------------------------------------------------------
// The trace

export class JVPTracer extends Tracer {
  constructor(
    trace: Trace,
    readonly primal: Array,
    readonly tangent: Tangent,
  ) {
    super(trace, primal.aval);
  }
  override toConcrete(): Array | null {
    return this.primal instanceof Tracer ? this.primal.toConcrete() : this.primal;
  }
  override concretizationContext(): string {
    return this.primal instanceof Tracer ? this.primal.concretizationContext() : "";
  }
}

export class JVPTrace extends Trace {
  pure(x: Array): Array {
    return new JVPTracer(this, x, null);
  }
  lift(x: Tracer): Array {
    return new JVPTracer(this, x, null);
  }
  processPrimitive(prim: Primitive, args: Array[], params: Params): Array[] {
    const ts = args as JVPTracer[];
    const primals = ts.map((t) => t.primal);
    const tangents = ts.map((t) => t.tangent);
    if (tangents.every((t) => t === null)) {
      // Nothing to differentiate: run the primitive on the primals alone.
      return bind(prim, primals, params).map((o) => new JVPTracer(this, o, null));
    }
    const rule = prim.rules.get("jvp") as JvpRule | undefined;
    if (!rule) throw new Error(`[jvp] differentiation rule for '${prim.name}' not implemented`);
    const [outs, touts] = rule(primals, tangents, params);
    return outs.map((o, i) => new JVPTracer(this, o, touts[i] ?? null));
  }
}

/** Tangents must match primals in shape; float tangents for float primals. */
function checkTangent(op: string, p: ShapedArray, t: ShapedArray, i: number): void {
  if (p.shape.length !== t.shape.length || p.shape.some((d, k) => d !== t.shape[k])) {
    throw new TypeError(
      `[${op}] primal and tangent arguments must have equal shapes; argument ${i} has primal ${p.strShort()} and tangent ${t.strShort()}`,
    );
  }
  if (p.dtype !== t.dtype) {
    throw new TypeError(
      `[${op}] primal and tangent arguments must have equal dtypes; argument ${i} has primal ${p.strShort()} and tangent ${t.strShort()}`,
    );
  }
}

/**
 * Flat JVP: evaluate `f` on primals with tangents (null = zero), returning the
 * flat primal outputs and output tangents (zeros instantiated unless
 * `instantiate` is false).
 */
export function jvpFlat(
  f: (...xs: Array[]) => unknown,
  primals: Array[],
  tangents: Tangent[],
  opts: { instantiate?: boolean } = {},
): { primalsOut: Array[]; tangentsOut: Tangent[]; outTree: tree.PyTreeDef } {
  return withMainTrace(JVPTrace, null, (main: MainTrace) => {
    const trace = new JVPTrace(main);
    const tracersIn = primals.map((x, i) => new JVPTracer(trace, x, tangents[i] ?? null));
    const out = f(...tracersIn);
    const [leaves, outTree] = tree.flatten(out);
    const tracersOut = leaves.map((l) => raise(trace, asArray(l as ArrayInput)) as JVPTracer);
    const primalsOut = tracersOut.map((t) => t.primal);
    const tangentsOut = tracersOut.map((t) =>
      t.tangent === null && opts.instantiate !== false ? zerosLike(t.primal.aval) : t.tangent,
    );
    return { primalsOut, tangentsOut, outTree };
  });
}

/**
 * jax.jvp: `jvp(f, primals, tangents)` with primals and tangents as lists of
 * PyTrees (one per argument of `f`) → `[primalsOut, tangentsOut]`.
 */
export function jvp<T = any>(f: (...args: any[]) => T, primals: readonly unknown[], tangents: readonly unknown[]): [T, T] {
  if (!globalThis.Array.isArray(primals) || !globalThis.Array.isArray(tangents)) {
    throw new TypeError("[jvp] primal and tangent arguments must be lists (one entry per argument of f)");
  }
  const [pLeaves, pTree] = tree.flatten(primals);
  const [tLeaves, tTree] = tree.flatten(tangents);
  if (!pTree.equals(tTree)) {
    throw new TypeError(`[jvp] primal and tangent arguments must have the same tree structure; got ${pTree} and ${tTree}`);
  }
  const ps = pLeaves.map((x) => asArray(x));
  const ts = tLeaves.map((x) => asArray(x));
  ps.forEach((p, i) => checkTangent("jvp", p.aval, ts[i]!.aval.withWeakType(p.weakType), i));
  const { primalsOut, tangentsOut, outTree } = jvpFlat((...xs) => f(...(tree.unflatten(pTree, xs) as unknown[])), ps, ts);
  return [tree.unflatten(outTree, primalsOut), tree.unflatten(outTree, tangentsOut as Array[])];
}

export type { DType };
