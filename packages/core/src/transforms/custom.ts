// Custom derivatives: customJvp (jax.custom_jvp) and customVjp (jax.custom_vjp).
//
// Calling a custom function traces it into a Jaxpr and binds a higher-order
// primitive holding that Jaxpr plus the user's rules:
//  - custom_jvp_call: evaluates its Jaxpr; under JVP the user's rule runs instead
//    (so linearize and grad use the rule's linear part); vmap batches the Jaxpr
//    and the rule.
//  - custom_vjp_call: evaluates its Jaxpr; under JVP the fwd rule runs and the
//    tangents go through a `custom_lin` primitive whose transpose calls bwd with
//    the residuals. custom_lin cannot be evaluated: forward mode over a custom_vjp
//    function raises JAX's error.
// Values closed over by the custom function become leading operands (num_consts);
// differentiating with respect to them is an error, as in JAX.
import { Array, Tracer, asArray, type ArrayInput } from "../array.js";
import { Primitive, currentLevel } from "../core.js";
import { ClosedJaxpr, Jaxpr, PyList, evalJaxpr } from "../jaxpr.js";
import { stopGradient } from "../primitives/elementwise.js";
import { reduceSum } from "../primitives/reduction.js";
import { fmtAval, type ShapedArray } from "../shape.js";
import * as tree from "../tree.js";
import { stageFlat } from "./jit.js";
import { addTangents, setJvp, type Tangent } from "./jvp.js";
import { setTranspose } from "./transpose.js";
import { moveBatchAxis, moveaxis, setBatch, vmapFlat, type BDim } from "./vmap.js";
import { zerosLike } from "./zeros.js";

/**
 * A function carried in a primitive's params (a rule). Jaxprs print it by name,
 * as JAX prints the rule's function name; it hashes by identity.
 */
export class RuleRef<F> {
  private static nextId = 0;
  private readonly id = RuleRef.nextId++;
  constructor(
    /** The rule's name (`f_jvp`). */
    readonly name: string,
    /** The name of the custom function it belongs to (`f`). */
    readonly primalName: string,
    readonly fn: F,
  ) {}
  toString(): string {
    return this.name;
  }
  toJSON(): string {
    return `rule:${this.name}#${this.id}`;
  }
}

/** Flat JVP rule over the differentiable operands: tangents may be null (symbolic zeros). */
export type FlatJvp = (primals: Array[], tangents: Tangent[]) => [Array[], Tangent[]];
/** Flat fwd rule: primal outputs and flat residuals. */
export type FlatFwd = (primals: Array[]) => { outs: Array[]; res: Array[] };
/** Flat bwd rule: one cotangent (or null for zero) per differentiable operand. */
export type FlatBwd = (res: Array[], cts: Array[]) => Tangent[];

export interface CustomJvpParams {
  /** The function, with closed-over values as its first `num_consts` inputs. */
  call_jaxpr: ClosedJaxpr;
  jvp: RuleRef<FlatJvp>;
  num_consts: number;
  symbolic_zeros: boolean;
}

export interface CustomVjpParams {
  call_jaxpr: ClosedJaxpr;
  fwd: RuleRef<FlatFwd>;
  bwd: RuleRef<FlatBwd>;
  num_consts: number;
  symbolic_zeros: boolean;
}

export interface CustomLinParams {
  num_res: number;
  bwd: RuleRef<FlatBwd>;
  out_avals: ShapedArray[];
  symbolic_zeros: boolean;
  /** Per differentiable operand of the custom function: its tangent is a symbolic zero (not an input). */
  in_zeros: PyList<boolean>;
}

function fnName(f: Function, fallback = "<lambda>"): string {
  return f.name || fallback;
}

function checkCallAvals(op: string, avals: ShapedArray[], j: ClosedJaxpr): ShapedArray[] {
  const ins = j.inAvals;
  if (avals.length !== ins.length || avals.some((a, i) => !a.sameType(ins[i]!))) {
    throw new TypeError(`[${op}] called with ${avals.map(fmtAval).join(", ")} but its Jaxpr takes ${ins.map(fmtAval).join(", ")}`);
  }
  return j.outAvals;
}

function closedOverError(kind: "custom_jvp" | "custom_vjp"): Error {
  const rules = kind === "custom_jvp" ? "the custom_jvp rule" : "the custom_vjp fwd and bwd rules";
  const what = kind === "custom_jvp" ? "custom JVP" : "custom VJP";
  return new TypeError(
    `Detected differentiation of a ${kind} function with respect to a closed-over value. That isn't supported ` +
      `because the ${what} rule only specifies how to differentiate the ${kind} function with respect to explicit ` +
      `input parameters. Try passing the closed-over value into the ${kind} function as an argument, and adapting ${rules}.`,
  );
}

function batchedConstError(kind: "custom_jvp" | "custom_vjp", name: string): Error {
  return new TypeError(
    `[vmap] the ${kind} function ${name} closes over a value batched by vmap, and its rules cannot be batched ` +
      `with respect to a closed-over value. Pass the value to ${name} as an explicit argument.`,
  );
}

// ---------------------------------------------------------------------------
// Shared helpers

/** Operands of a batched call: batch axes moved to 0 (unbatched stay unbatched). */
function moveToFront(vals: Array[], dims: BDim[]): [Array[], BDim[]] {
  return [vals.map((v, i) => (dims[i] === null ? v : moveaxis(v, dims[i]!, 0))), dims.map((d) => (d === null ? null : 0))];
}

/** vmap a flat function, every output batched along axis 0. */
function vmapAllOut(f: (...xs: Array[]) => Array[], xs: Array[], dims: BDim[], axisSize: number): Array[] {
  const r = vmapFlat(f, xs, dims, axisSize);
  return r.outs.map((o, i) => moveBatchAxis(axisSize, r.outDims[i]!, 0, o));
}

/** Batch a call Jaxpr (consts already operands) with every output batched at 0. */
function batchCallJaxpr(j: ClosedJaxpr, vals: Array[], dims: BDim[], axisSize: number): { jaxpr: ClosedJaxpr; consts: Array[] } {
  const staged = stageFlat(
    (...xs) => vmapAllOut((...ys) => evalJaxpr(j.jaxpr, j.consts, ys), xs, dims, axisSize),
    vals.map((v) => v.aval),
  );
  return { jaxpr: new ClosedJaxpr(staged.jaxpr, []), consts: staged.consts };
}

/** Leaves of a custom function's arguments as Arrays. */
function flattenArgs(kind: string, name: string, args: unknown[]): [Array[], tree.PyTreeDef] {
  const [leaves, inTree] = tree.flatten(args);
  return [
    leaves.map((x, i) => {
      if (!(x instanceof Array) && typeof x !== "number" && typeof x !== "boolean") {
        throw new TypeError(
          `[${kind}] arguments of ${name} must be Arrays or numbers (use nondiffArgnums for other values); leaf ${i} is ${typeof x}`,
        );
      }
      return asArray(x as ArrayInput);
    }),
    inTree,
  ];
}

function normalizeArgnums(kind: string, name: string, nums: number | readonly number[] | undefined): number[] {
  const list = nums === undefined ? [] : typeof nums === "number" ? [nums] : [...nums];
  for (const k of list) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`[${kind}] nondiffArgnums of ${name} must be non-negative integers, got ${k}`);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

/** Split a call's arguments into the non-differentiable ones and the rest. */
function splitArgs(kind: string, name: string, args: unknown[], nondiff: number[]): { nondiffVals: unknown[]; diffArgs: unknown[] } {
  for (const k of nondiff) {
    if (k >= args.length) {
      throw new RangeError(`[${kind}] nondiffArgnums ${k} out of range for ${name} called with ${args.length} positional arguments`);
    }
  }
  const set = new Set(nondiff);
  return { nondiffVals: nondiff.map((k) => args[k]), diffArgs: args.filter((_, i) => !set.has(i)) };
}

/** Rebuild the full argument list from the non-differentiable values and the differentiable ones. */
function mergeArgs(nondiff: number[], nondiffVals: unknown[], diffArgs: unknown[]): unknown[] {
  const out: unknown[] = [];
  const n = nondiff.length + diffArgs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const k = nondiff.indexOf(i);
    out.push(k >= 0 ? nondiffVals[k] : diffArgs[d++]);
  }
  return out;
}

/** Non-differentiable arrays reach the function through stop_gradient (as in JAX). */
function stopNondiff(vals: unknown[]): unknown[] {
  return vals.map((v) => (v instanceof Array ? stopGradient(v) : v));
}

const typeTree = (t: tree.PyTreeDef, avals: ShapedArray[]): string => String(tree.unflatten(t, avals.map((a) => a.strShort())));

function describe(x: unknown): string {
  if (x instanceof Array) return x.aval.strShort();
  try {
    return String(tree.structure(x));
  } catch {
    return typeof x;
  }
}

function asLeafArrays(what: string, leaves: unknown[]): Array[] {
  return leaves.map((l, i) => {
    if (!(l instanceof Array) && typeof l !== "number" && typeof l !== "boolean") {
      throw new TypeError(`${what}: leaf ${i} is ${l === null ? "null" : typeof l}, not an Array`);
    }
    return asArray(l as ArrayInput);
  });
}

/** No trace is active: a custom function just runs (JAX's eval trace calls it). */
function isEager(leaves: Array[]): boolean {
  return currentLevel() === 0 && !leaves.some((x) => x instanceof Tracer);
}

// ---------------------------------------------------------------------------
// custom_jvp_call

export const customJvpCallP = new Primitive("custom_jvp_call", true);
customJvpCallP.abstractEval = (avals, p: CustomJvpParams) => checkCallAvals("custom_jvp_call", avals, p.call_jaxpr);
customJvpCallP.impl = (args, p: CustomJvpParams) => evalJaxpr(p.call_jaxpr.jaxpr, p.call_jaxpr.consts, args);
customJvpCallP.ppParams = (p: CustomJvpParams) => [
  ["name", p.jvp.primalName],
  ["call_jaxpr", p.call_jaxpr],
  ["jvp", p.jvp],
  ...(p.num_consts ? [["num_consts", p.num_consts] as [string, unknown]] : []),
  ["symbolic_zeros", p.symbolic_zeros],
];

setJvp(customJvpCallP, (primals, tangents, p: CustomJvpParams) => {
  const nc = p.num_consts;
  if (tangents.slice(0, nc).some((t) => t !== null)) throw closedOverError("custom_jvp");
  return p.jvp.fn(primals.slice(nc), tangents.slice(nc));
});

setBatch(customJvpCallP, (vals, dims, p: CustomJvpParams, axisSize) => {
  const [moved, inDims] = moveToFront(vals, dims);
  const { jaxpr, consts } = batchCallJaxpr(p.call_jaxpr, moved, inDims, axisSize);
  const nc = p.num_consts;
  const constsBatched = inDims.slice(0, nc).some((d) => d !== null);
  const argDims = inDims.slice(nc);
  const rule = p.jvp.fn;
  // The batched rule: vmap of the rule over primals and (same-shaped) tangents.
  const batchedJvp: FlatJvp = (ps, ts) => {
    if (constsBatched) throw batchedConstError("custom_jvp", p.jvp.primalName);
    const nzIdx = ts.flatMap((t, i) => (t === null ? [] : [i]));
    let nOut = 0;
    const outs = vmapAllOut(
      (...xs) => {
        const tsIn: Tangent[] = ts.map(() => null);
        nzIdx.forEach((i, k) => (tsIn[i] = xs[ps.length + k]!));
        const [o, to] = rule(xs.slice(0, ps.length), tsIn);
        nOut = o.length;
        return [...o, ...to.map((t, i) => t ?? zerosLike(o[i]!.aval))];
      },
      [...ps, ...nzIdx.map((i) => ts[i]!)],
      [...argDims, ...nzIdx.map((i) => argDims[i]!)],
      axisSize,
    );
    return [outs.slice(0, nOut), outs.slice(nOut)];
  };
  const params: CustomJvpParams = {
    ...p,
    call_jaxpr: jaxpr,
    jvp: new RuleRef(p.jvp.name, p.jvp.primalName, batchedJvp),
    num_consts: consts.length + nc,
  };
  const outs = customJvpCallP.bind([...consts, ...moved], params as unknown as Record<string, unknown>);
  return [outs, outs.map(() => 0)];
});

// ---------------------------------------------------------------------------
// custom_vjp_call and custom_lin

export const customVjpCallP = new Primitive("custom_vjp_call", true);
customVjpCallP.abstractEval = (avals, p: CustomVjpParams) => checkCallAvals("custom_vjp_call", avals, p.call_jaxpr);
customVjpCallP.impl = (args, p: CustomVjpParams) => evalJaxpr(p.call_jaxpr.jaxpr, p.call_jaxpr.consts, args);
customVjpCallP.ppParams = (p: CustomVjpParams) => [
  ["name", p.fwd.primalName],
  ["bwd", p.bwd],
  ["call_jaxpr", p.call_jaxpr],
  ["fwd", p.fwd],
  ...(p.num_consts ? [["num_consts", p.num_consts] as [string, unknown]] : []),
  ["symbolic_zeros", p.symbolic_zeros],
];

const jvpOfCustomVjpError = () => new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");

/** The tangent map of a custom_vjp function: linear in its tangent inputs; only its transpose (bwd) can run. */
export const customLinP = new Primitive("custom_lin", true);
customLinP.abstractEval = (_avals, p: CustomLinParams) => p.out_avals;
customLinP.impl = () => {
  throw jvpOfCustomVjpError();
};
customLinP.ppParams = (p: CustomLinParams) => [
  ["bwd", p.bwd],
  ["in_zeros", p.in_zeros],
  ["num_res", p.num_res],
  ["symbolic_zeros", p.symbolic_zeros],
];
setBatch(customLinP, () => {
  throw jvpOfCustomVjpError();
});
setTranspose(customLinP, (cts, args, p: CustomLinParams) => {
  const res = args.slice(0, p.num_res) as Array[];
  const ctsOut = cts.map((c, i) => c ?? zerosLike(p.out_avals[i]!));
  const ctsIn = p.bwd.fn(res, ctsOut);
  const nz = ctsIn.filter((_, i) => !p.in_zeros.items[i]);
  return [...res.map(() => null), ...nz];
});

setJvp(customVjpCallP, (primals, tangents, p: CustomVjpParams) => {
  const nc = p.num_consts;
  if (tangents.slice(0, nc).some((t) => t !== null)) throw closedOverError("custom_vjp");
  const ts = tangents.slice(nc);
  const { outs, res } = p.fwd.fn(primals.slice(nc));
  const touts = customLinP.bind([...res, ...(ts.filter((t) => t !== null) as Array[])], {
    num_res: res.length,
    bwd: p.bwd,
    out_avals: outs.map((o) => o.aval.withWeakType(false)),
    symbolic_zeros: p.symbolic_zeros,
    in_zeros: new PyList(ts.map((t) => t === null)),
  });
  return [outs, touts];
});

setBatch(customVjpCallP, (vals, dims, p: CustomVjpParams, axisSize) => {
  const [moved, inDims] = moveToFront(vals, dims);
  const { jaxpr, consts } = batchCallJaxpr(p.call_jaxpr, moved, inDims, axisSize);
  const nc = p.num_consts;
  const constsBatched = inDims.slice(0, nc).some((d) => d !== null);
  const argDims = inDims.slice(nc);
  const name = p.fwd.primalName;
  const fwd = p.fwd.fn;
  const bwd = p.bwd.fn;
  const nOut = p.call_jaxpr.outAvals.length;
  // Batched fwd: outputs and residuals all batched along axis 0.
  const batchedFwd: FlatFwd = (ps) => {
    if (constsBatched) throw batchedConstError("custom_vjp", name);
    const all = vmapAllOut(
      (...xs) => {
        const r = fwd(xs);
        return [...r.outs, ...r.res];
      },
      ps,
      argDims,
      axisSize,
    );
    return { outs: all.slice(0, nOut), res: all.slice(nOut) };
  };
  // Batched bwd: residuals and cotangents are batched along 0; cotangents of
  // unbatched operands are summed over the batch.
  const batchedBwd: FlatBwd = (res, cts) => {
    if (constsBatched) throw batchedConstError("custom_vjp", name);
    let mask: boolean[] = [];
    const nz = vmapAllOut(
      (...xs) => {
        const r = bwd(xs.slice(0, res.length), xs.slice(res.length));
        mask = r.map((c) => c !== null);
        return r.filter((c): c is Array => c !== null);
      },
      [...res, ...cts],
      [...res.map(() => 0), ...cts.map(() => 0)],
      axisSize,
    );
    let k = 0;
    return mask.map((m, i) => {
      if (!m) return null;
      const c = nz[k++]!;
      return argDims[i] === null ? reduceSum(c, [0]) : c;
    });
  };
  const params: CustomVjpParams = {
    ...p,
    call_jaxpr: jaxpr,
    fwd: new RuleRef(p.fwd.name, name, batchedFwd),
    bwd: new RuleRef(p.bwd.name, name, batchedBwd),
    num_consts: consts.length + nc,
  };
  const outs = customVjpCallP.bind([...consts, ...moved], params as unknown as Record<string, unknown>);
  return [outs, outs.map(() => 0)];
});

// ---------------------------------------------------------------------------
// customJvp

export interface CustomOptions {
  /** Positional arguments that are not differentiated; they are passed first to the rules (as in JAX). */
  nondiffArgnums?: number | readonly number[];
}

/** A user JVP rule: `(primals, tangents) => [primalOut, tangentOut]` (lists, one entry per argument). */
export type JvpRuleFn = (...args: any[]) => [unknown, unknown];
/** One rule per argument for defjvps: `(g, ans, ...primals) => tangent contribution`. */
export type ArgJvpFn = ((g: any, ans: any, ...primals: any[]) => unknown) | null;

export interface CustomJvp<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** The undecorated function. */
  readonly fun: F;
  readonly nondiffArgnums: readonly number[];
  /** Set the JVP rule (JAX's signature: lists of primals and tangents); returns the rule. */
  defjvp<R extends JvpRuleFn>(jvp: R): R;
  /** Set one tangent rule per argument, `(g, ans, ...primals) => contribution` (null: no dependence). */
  defjvps(...jvps: ArgJvpFn[]): void;
}

/** jax.custom_jvp: a function whose JVP (and so its gradients) is given by a rule. */
export function customJvp<F extends (...args: any[]) => any>(f: F, opts: CustomOptions = {}): CustomJvp<F> {
  const name = fnName(f);
  const nondiff = normalizeArgnums("custom_jvp", name, opts.nondiffArgnums);
  // The rule on flat values, given the structure of the call.
  let makeRule: ((inTree: tree.PyTreeDef, outTree: tree.PyTreeDef, outAvals: ShapedArray[], nondiffVals: unknown[]) => FlatJvp) | null = null;
  let ruleName = "jvp";

  const call = (...args: unknown[]): unknown => {
    if (!makeRule) throw new TypeError(`No JVP defined for custom_jvp function ${name} using defjvp.`);
    const { nondiffVals, diffArgs } = splitArgs("custom_jvp", name, args, nondiff);
    const [xs, inTree] = flattenArgs("custom_jvp", name, diffArgs);
    if (isEager(xs)) return f(...args);
    const stopped = stopNondiff(nondiffVals);
    const { jaxpr, consts, outTree } = stageFlat(
      (...ys) => f(...mergeArgs(nondiff, stopped, tree.unflatten(inTree, ys) as unknown[])),
      xs.map((x) => x.aval),
    );
    const params: CustomJvpParams = {
      call_jaxpr: new ClosedJaxpr(jaxpr, []),
      jvp: new RuleRef(ruleName, name, makeRule(inTree, outTree, jaxpr.outAvals, nondiffVals)),
      num_consts: consts.length,
      symbolic_zeros: false,
    };
    const outs = customJvpCallP.bind([...consts, ...xs], params as unknown as Record<string, unknown>);
    return tree.unflatten(outTree, outs);
  };

  const self = call as unknown as CustomJvp<F>;
  Object.defineProperty(self, "name", { value: name });
  Object.defineProperty(self, "fun", { value: f });
  Object.defineProperty(self, "nondiffArgnums", { value: nondiff });

  self.defjvp = <R extends JvpRuleFn>(jvp: R): R => {
    const jvpName = fnName(jvp);
    ruleName = jvpName;
    makeRule = (inTree, outTree, outAvals, nondiffVals) => (ps, ts) => {
      const tsInst = ts.map((t, i) => t ?? zerosLike(ps[i]!.aval));
      const pair = jvp(...nondiffVals, tree.unflatten(inTree, ps), tree.unflatten(inTree, tsInst));
      return checkJvpOutput(pair, jvpName, name, outTree, outAvals);
    };
    return jvp;
  };

  self.defjvps = (...jvps: ArgJvpFn[]): void => {
    if (nondiff.length) throw new TypeError("Can't use ``defjvps`` with ``nondiff_argnums``.");
    ruleName = "jvp";
    makeRule = (inTree, outTree, outAvals) => (ps, ts) => {
      const primals = tree.unflatten(inTree, ps) as unknown[];
      const ans = self(...(primals as Parameters<F>));
      const [ansLeaves, ansTree] = tree.flatten(ans);
      const outs = asLeafArrays(`[custom_jvp] output of ${name}`, ansLeaves);
      checkJvpOutput([ans, ans], "jvp", name, outTree, outAvals);
      let acc: Tangent[] = outs.map(() => null);
      const children = inTree.children();
      if (jvps.length !== children.length) {
        throw new TypeError(`[custom_jvp] defjvps of ${name} got ${jvps.length} rules for ${children.length} arguments`);
      }
      let offset = 0;
      children.forEach((child, i) => {
        const n = child.numLeaves;
        const tsArg = ts.slice(offset, offset + n);
        const psArg = ps.slice(offset, offset + n);
        offset += n;
        const rule = jvps[i];
        if (!rule || tsArg.every((t) => t === null)) return;
        const g = tree.unflatten(child, tsArg.map((t, k) => t ?? zerosLike(psArg[k]!.aval)));
        const c = rule(g, ans, ...primals);
        const [cLeaves, cTree] = tree.flatten(c);
        if (!cTree.equals(ansTree)) {
          throw new TypeError(
            `[custom_jvp] the defjvps rule for argument ${i} of ${name} must produce a tangent with the output's structure ${ansTree}, got ${cTree}`,
          );
        }
        const cs = asLeafArrays(`[custom_jvp] defjvps rule for argument ${i} of ${name}`, cLeaves);
        cs.forEach((x, k) => checkTangentType(outs[k]!, x, 1));
        acc = acc.map((a, k) => (a === null ? cs[k]! : addTangents(a, cs[k]!)));
      });
      return [outs, acc];
    };
  };
  return self;
}

function checkTangentType(p: Array, t: Array, n: number): void {
  const pa = p.aval;
  const ta = t.aval;
  if (pa.sameType(ta)) return;
  if (n === 1) {
    throw new TypeError(
      `Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. ` +
        `Expected ${pa.strShort()} (tangent type of ${pa.strShort()}) but got ${ta.strShort()}.`,
    );
  }
  throw new TypeError(
    `Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes, but got:\n` +
      `  primal ${pa.strShort()} with tangent ${ta.strShort()}, expecting tangent ${pa.strShort()}`,
  );
}

function checkJvpOutput(pair: unknown, jvpName: string, name: string, outTree: tree.PyTreeDef, outAvals: ShapedArray[]): [Array[], Tangent[]] {
  if (!globalThis.Array.isArray(pair) || pair.length !== 2) {
    throw new TypeError(
      `Custom JVP rule ${jvpName} for function ${name} must produce a pair (list or tuple of length two) ` +
        `representing primal and tangent outputs, but got ${describe(pair)}.`,
    );
  }
  const [po, to] = pair;
  const [pLeaves, pTree] = tree.flatten(po);
  const [tLeaves, tTree] = tree.flatten(to);
  if (!pTree.equals(tTree)) {
    throw new TypeError(
      `Custom JVP rule ${jvpName} for function ${name} must produce primal and tangent outputs with equal ` +
        `container (pytree) structures, but got ${pTree} and ${tTree} respectively.`,
    );
  }
  const ps = asLeafArrays(`Custom JVP rule ${jvpName} for function ${name}: primal output`, pLeaves);
  const ts = asLeafArrays(`Custom JVP rule ${jvpName} for function ${name}: tangent output`, tLeaves);
  const avals = ps.map((p) => p.aval);
  if (!pTree.equals(outTree)) {
    throw new TypeError(
      `Custom JVP rule ${jvpName} for function ${name} must produce a pair (list or tuple of length two) where the ` +
        `first element represents the primal output (equal in value to the output of the custom_jvp-decorated function ` +
        `${name}, and in particular of the same container/pytree structure), but instead the JVP rule output's first ` +
        `element had container/pytree structure:\n    ${typeTree(pTree, avals)}\nwhile the custom_jvp-decorated function ` +
        `${name} had output container/pytree structure:\n    ${typeTree(outTree, outAvals)}.`,
    );
  }
  if (avals.some((a, i) => !a.sameType(outAvals[i]!))) {
    throw new TypeError(
      `Custom JVP rule ${jvpName} for function ${name} must produce a pair (list or tuple of length two) where the ` +
        `first element represents the primal output (equal in value to the output of the custom_jvp-decorated function ` +
        `${name}, and in particular with leaves of the same shape/dtype), but instead the JVP rule output's first element ` +
        `had shapes/dtypes of:\n    ${typeTree(pTree, avals)}\nwhile the custom_jvp-decorated function ${name} had output ` +
        `shapes/dtypes of:\n    ${typeTree(outTree, outAvals)}`,
    );
  }
  ps.forEach((p, i) => checkTangentType(p, ts[i]!, ps.length));
  return [ps, ts];
}

// ---------------------------------------------------------------------------
// customVjp

export interface CustomVjp<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  readonly fun: F;
  readonly nondiffArgnums: readonly number[];
  /**
   * Set the rules: `fwd(...args)` returns `[out, residuals]`; `bwd(residuals, ct)`
   * returns a list with one cotangent per (differentiable) argument (null for zero).
   * With nondiffArgnums, bwd receives the non-differentiable arguments first.
   */
  defvjp(fwd: (...args: any[]) => [unknown, unknown], bwd: (...args: any[]) => readonly unknown[]): void;
}

/** jax.custom_vjp: a function whose reverse-mode derivative is given by fwd/bwd rules. */
export function customVjp<F extends (...args: any[]) => any>(f: F, opts: CustomOptions = {}): CustomVjp<F> {
  const name = fnName(f);
  const nondiff = normalizeArgnums("custom_vjp", name, opts.nondiffArgnums);
  let rules: { fwd: (...args: any[]) => [unknown, unknown]; bwd: (...args: any[]) => readonly unknown[] } | null = null;

  const call = (...args: unknown[]): unknown => {
    if (!rules) throw new TypeError(`No VJP defined for custom_vjp function ${name} using defvjp.`);
    const { fwd, bwd } = rules;
    const fwdName = fnName(fwd);
    const bwdName = fnName(bwd);
    const { nondiffVals, diffArgs } = splitArgs("custom_vjp", name, args, nondiff);
    const [xs, inTree] = flattenArgs("custom_vjp", name, diffArgs);
    if (isEager(xs)) return f(...args);
    const stopped = stopNondiff(nondiffVals);
    const { jaxpr, consts, outTree } = stageFlat(
      (...ys) => f(...mergeArgs(nondiff, stopped, tree.unflatten(inTree, ys) as unknown[])),
      xs.map((x) => x.aval),
    );
    const outAvals = jaxpr.outAvals;
    const inAvals = xs.map((x) => x.aval);
    let resTree: tree.PyTreeDef | null = null;

    const flatFwd: FlatFwd = (ps) => {
      const pair = fwd(...mergeArgs(nondiff, nondiffVals, tree.unflatten(inTree, ps) as unknown[]));
      const lead = `Custom VJP fwd rule ${fwdName} for function ${name} must produce a pair (list or tuple of length two) where the first element represents the primal output (equal to the output of the custom_vjp-decorated function ${name}) and the second element represents residuals (i.e. values stored from the forward pass for use on the backward pass), but `;
      if (!globalThis.Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${lead}instead of a pair the fwd rule ${fwdName} produced ${describe(pair)}.`);
      }
      const [oLeaves, oTree] = tree.flatten(pair[0]);
      const outs = asLeafArrays(`Custom VJP fwd rule ${fwdName} for function ${name}: primal output`, oLeaves);
      const avals = outs.map((o) => o.aval);
      if (!oTree.equals(outTree)) {
        throw new TypeError(
          `${lead}instead the fwd rule output's first element had container/pytree structure:\n    ${typeTree(oTree, avals)}\n` +
            `while the custom_vjp-decorated function ${name} had output container/pytree structure:\n    ${typeTree(outTree, outAvals)}.`,
        );
      }
      if (avals.some((a, i) => !a.sameType(outAvals[i]!))) {
        throw new TypeError(
          `${lead}instead the fwd rule output's first element had shapes/dtypes of:\n    ${typeTree(oTree, avals)}\n` +
            `while the custom_vjp-decorated function ${name} had output shapes/dtypes of:\n    ${typeTree(outTree, outAvals)}`,
        );
      }
      const [rLeaves, rTree] = tree.flatten(pair[1]);
      resTree = rTree;
      return { outs, res: asLeafArrays(`Custom VJP fwd rule ${fwdName} for function ${name}: residuals`, rLeaves) };
    };

    const flatBwd: FlatBwd = (res, cts) => {
      if (!resTree) throw new Error(`[custom_vjp] bwd rule ${bwdName} of ${name} called before fwd`);
      const out = bwd(...nondiffVals, tree.unflatten(resTree, res), tree.unflatten(outTree, cts));
      const children = inTree.children();
      const structErr = () =>
        new TypeError(
          `Custom VJP bwd rule ${bwdName} for function ${name} must produce an output with the same container (pytree) ` +
            `structure as the args tuple of the primal function, and in particular must produce a tuple of length equal ` +
            `to the number of arguments to the primal function, but got bwd output structure ${describe(out)} for primal ` +
            `input structure ${inTree}.`,
        );
      if (!globalThis.Array.isArray(out) || out.length !== children.length) throw structErr();
      const flat: Tangent[] = [];
      children.forEach((child, i) => {
        const c = out[i];
        if (c === null || c === undefined) {
          for (let k = 0; k < child.numLeaves; k++) flat.push(null);
          return;
        }
        const [leaves, cTree] = tree.flatten(c);
        if (!cTree.equals(child)) throw structErr();
        leaves.forEach((l, k) => {
          const idx = flat.length;
          const want = inAvals[idx]!;
          if (l === null) {
            flat.push(null);
            return;
          }
          const a = asArray(l as ArrayInput);
          if (!a.aval.sameType(want)) {
            const why = a.ndim !== want.ndim || a.shape.some((d, j) => d !== want.shape[j]) ? "shapes" : "dtypes";
            throw new TypeError(
              `Custom VJP bwd rule ${bwdName} for function ${name} must produce an output with the same type as the args ` +
                `tuple of the primal function, but at output[${i}]${child.numLeaves > 1 ? ` (leaf ${k})` : ""} the bwd rule ` +
                `produced an output of type ${a.aval.strShort()} corresponding to an input of type ${want.strShort()}, ` +
                `so the ${why} do not match`,
            );
          }
          flat.push(a);
        });
      });
      return flat;
    };

    const params: CustomVjpParams = {
      call_jaxpr: new ClosedJaxpr(jaxpr, []),
      fwd: new RuleRef(fwdName, name, flatFwd),
      bwd: new RuleRef(bwdName, name, flatBwd),
      num_consts: consts.length,
      symbolic_zeros: false,
    };
    const outs = customVjpCallP.bind([...consts, ...xs], params as unknown as Record<string, unknown>);
    return tree.unflatten(outTree, outs);
  };

  const self = call as unknown as CustomVjp<F>;
  Object.defineProperty(self, "name", { value: name });
  Object.defineProperty(self, "fun", { value: f });
  Object.defineProperty(self, "nondiffArgnums", { value: nondiff });
  self.defvjp = (fwd, bwd) => {
    rules = { fwd, bwd };
  };
  return self;
}

export type { Jaxpr };

// Partial evaluation inlines a custom_jvp_call (as JAX's JaxprTrace does): with
// unknown inputs, the call is just its primal function. This matters when a
// custom function is applied to tangents inside another rule; its transpose
// then comes from the primitives of the primal function.
customJvpCallP.rules.set("partialEval", (_trace: unknown, tracers: Array[], p: CustomJvpParams) =>
  evalJaxpr(p.call_jaxpr.jaxpr, p.call_jaxpr.consts, tracers),
);
