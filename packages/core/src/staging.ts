// Staging Python-style (here JS-style) code into a Jaxpr: the tracing that
// `makeJaxpr` (and later `jit`) does. The trace is dynamic, so every primitive
// bound while it is active is recorded, even one with no traced inputs.
import { canReadSync } from "./backend/registry.js";
import { Array, Tracer, asArray } from "./array.js";
import { MainTrace, Trace, raise, withMainTrace, type Params, type Primitive } from "./core.js";
import { dtype as toDType, type DTypeLike } from "./dtypes.js";
import { ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var, type Atom } from "./jaxpr.js";
import { ShapedArray } from "./shape.js";
import * as tree from "./tree.js";
import { leafNames } from "./debug.js";

export class JaxprTracer extends Tracer {
  override concretizationContext(): string {
    const b = (this._trace.main.globalData as JaxprBuilder | undefined) ?? null;
    return b ? b.describeDependence(this) : "";
  }
}

/** What a traced function is, for error messages. */
export interface TraceDebug {
  /** e.g. "jit", "makeJaxpr" */
  transform: string;
  fnName: string;
  /** One name per flat input. */
  argNames: string[];
}

/** Collects equations while a function is traced. */
class JaxprBuilder {
  constructor(readonly debug: TraceDebug | null = null) {}
  inputs: Tracer[] = [];
  eqns: JaxprEqn[] = [];
  vars = new Map<Tracer, Var>();
  /** Constants captured from outside the trace, keyed by the captured value. */
  consts = new Map<Array, JaxprTracer>();

  newTracer(trace: Trace, aval: ShapedArray): JaxprTracer {
    const t = new JaxprTracer(trace, aval);
    this.vars.set(t, new Var(aval));
    return t;
  }
  /** Which function arguments a traced value depends on, in JAX's words. */
  describeDependence(t: Tracer): string {
    if (!this.debug) return "";
    const v = this.vars.get(t);
    const producer = new Map<Var, JaxprEqn>();
    for (const e of this.eqns) for (const o of e.outvars) producer.set(o, e);
    const inputVars = new Map(this.inputs.map((x, i) => [this.vars.get(x)!, i]));
    const deps = new Set<number>();
    const seen = new Set<Var>();
    const stack = v ? [v] : [];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      const k = inputVars.get(x);
      if (k !== undefined) deps.add(k);
      const e = producer.get(x);
      if (e) for (const a of e.inputs) if (a instanceof Var) stack.push(a);
    }
    const names = [...deps].sort((a, b) => a - b).map((k) => this.debug!.argNames[k] ?? `args[${k}]`);
    const where = `The error occurred while tracing the function ${this.debug.fnName} for ${this.debug.transform}.`;
    if (names.length === 0) return where;
    return `${where} This value depends on the argument${names.length > 1 ? "s" : ""} ${names.join(", ")}.`;
  }
  getVar(t: Tracer): Var {
    const v = this.vars.get(t);
    if (!v) throw new Error("[makeJaxpr] tracer from another trace reached this Jaxpr");
    return v;
  }
}

export class JaxprTrace extends Trace {
  private get builder(): JaxprBuilder {
    return this.main.globalData as JaxprBuilder;
  }
  pure(x: Array): Array {
    // A value from outside: becomes a constant of the Jaxpr (inlined as a
    // literal later if it is a scalar).
    let t = this.builder.consts.get(x);
    if (!t) {
      t = this.builder.newTracer(this, x.aval);
      this.builder.consts.set(x, t);
    }
    return t;
  }
  lift(x: Tracer): Array {
    // A tracer of an enclosing transformation is closed over like a constant.
    return this.pure(x);
  }
  processPrimitive(prim: Primitive, args: Array[], params: Params): Array[] {
    const avals = args.map((a) => a.aval);
    const outAvals = prim.abstractEval(avals, params);
    const outs = outAvals.map((a) => this.builder.newTracer(this, a));
    this.builder.eqns.push(
      new JaxprEqn(
        prim,
        args.map((a) => this.builder.getVar(a as Tracer)),
        params,
        outs.map((o) => this.builder.getVar(o)),
      ),
    );
    return outs;
  }
}

/** Scalars of these kinds are printed inline as literals, as JAX does. */
function isLiteralable(x: Array): boolean {
  return !(x instanceof Tracer) && x.ndim === 0 && canReadSync(x);
}

function buildJaxpr(builder: JaxprBuilder, inTracers: Tracer[], outs: Array[]): ClosedJaxpr {
  const literals = new Map<Var, Literal>();
  const constvars: Var[] = [];
  const constVals: Array[] = [];
  for (const [val, t] of builder.consts) {
    const v = builder.getVar(t);
    if (isLiteralable(val)) literals.set(v, new Literal(val.dataSync()[0]!, val.aval));
    else {
      constvars.push(v);
      constVals.push(val);
    }
  }
  const sub = (a: Var): Atom => literals.get(a) ?? a;
  const eqns = builder.eqns.map((e) =>
    e.inputs.some((a) => a instanceof Var && literals.has(a))
      ? new JaxprEqn(e.primitive, e.inputs.map((a) => (a instanceof Var ? sub(a) : a)), e.params, e.outvars)
      : e,
  );
  const outvars = outs.map((o) => sub(builder.getVar(o as Tracer)));
  const jaxpr = new Jaxpr(
    constvars,
    inTracers.map((t) => builder.getVar(t)),
    eqns,
    outvars,
  );
  return new ClosedJaxpr(jaxpr, constVals);
}

/** A shape/dtype stand-in for an argument (jax.ShapeDtypeStruct). */
export class ShapeDtypeStruct {
  readonly shape: readonly number[];
  readonly dtype;
  constructor(shape: readonly number[], dtype: DTypeLike, readonly weakType = false) {
    this.shape = [...shape];
    this.dtype = toDType(dtype);
  }
}

function avalOfArg(x: unknown): ShapedArray {
  if (x instanceof Array) return x.aval;
  if (x instanceof ShapeDtypeStruct) return new ShapedArray(x.shape, x.dtype, x.weakType);
  if (typeof x === "number" || typeof x === "boolean") return makeArrayScalarAval(x);
  throw new TypeError(`[makeJaxpr] arguments must be Arrays, numbers, booleans or ShapeDtypeStructs, got ${typeof x}`);
}

function makeArrayScalarAval(x: number | boolean): ShapedArray {
  return typeof x === "boolean"
    ? new ShapedArray([], toDType("bool"))
    : new ShapedArray([], toDType(Number.isInteger(x) ? "int32" : "float32"), true);
}

export interface TraceResult {
  jaxpr: ClosedJaxpr;
  outTree: tree.PyTreeDef;
}

/**
 * Trace `f` on abstract values of the flat arguments `avals`; `f` takes and
 * returns flat lists of arrays.
 */
export function traceToJaxpr(f: (...args: Array[]) => unknown, avals: ShapedArray[], debug: TraceDebug | null = null): TraceResult {
  const builder = new JaxprBuilder(debug);
  return withMainTrace(
    JaxprTrace,
    builder,
    (main: MainTrace) => {
      const trace = new JaxprTrace(main);
      const inTracers = avals.map((a) => builder.newTracer(trace, a));
      builder.inputs = inTracers;
      const out = f(...inTracers);
      const [leaves, outTree] = tree.flatten(out);
      const outArrays = leaves.map((l) => {
        if (l instanceof Array || typeof l === "number" || typeof l === "boolean") return raise(trace, asArray(l));
        throw new TypeError(`[makeJaxpr] function outputs must be Arrays or numbers, got ${typeof l}`);
      });
      return { jaxpr: buildJaxpr(builder, inTracers, outArrays), outTree };
    },
    { dynamic: true },
  );
}

/**
 * jax.make_jaxpr: `makeJaxpr(f)(...args)` gives the ClosedJaxpr of `f` at these
 * argument types. Arguments are PyTrees whose leaves are Arrays, JS numbers
 * (weakly typed) or ShapeDtypeStructs.
 */
export function makeJaxpr(f: (...args: any[]) => unknown): (...args: unknown[]) => ClosedJaxpr {
  return (...args: unknown[]) => {
    const [leaves, inTree] = tree.flatten(args);
    const avals = leaves.map(avalOfArg);
    const debug = { transform: "makeJaxpr", fnName: f.name || "<lambda>", argNames: leafNames(f, args) };
    const { jaxpr } = traceToJaxpr((...flat) => f(...(tree.unflatten(inTree, flat) as unknown[])), avals, debug);
    return jaxpr;
  };
}
