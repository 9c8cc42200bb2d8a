// The tracing machinery: primitives, traces, the trace stack and `bind`.
//
// This follows Autodidax: a transformation is an interpreter (a Trace) over the
// primitives, and `bind` dispatches every primitive application to the innermost
// active trace among its inputs (or the dynamic trace when one is active, so
// staging captures computations with no traced inputs, like iota).
import { Array, Tracer, asArray, type ArrayInput } from "./array.js";
import { UnexpectedTracerError } from "./errors.js";
import { ShapedArray } from "./shape.js";

export type Params = Readonly<Record<string, any>>;

/** Abstract evaluation: validate inputs (throwing errors that name the op) and give output avals. */
export type AbstractEvalRule = (avals: ShapedArray[], params: any) => ShapedArray[];

/**
 * A primitive: a name plus the rules that give it meaning. Rules for the
 * transformations (jvp, transpose, batch) are attached right where the primitive
 * is defined, so everything about one primitive lives in one place.
 */
export class Primitive {
  abstractEval: AbstractEvalRule = () => {
    throw new Error(`[${this.name}] has no abstract evaluation rule`);
  };
  /**
   * Evaluation in terms of other primitives (higher-order primitives such as
   * pjit or cond evaluate their sub-Jaxprs). When absent, the eval trace runs the
   * primitive on a backend.
   */
  impl?: (args: Array[], params: any) => Array[];
  /**
   * The params to print, in order (JAX hides some, e.g. broadcast_in_dim's shape).
   * Defaults to every param sorted by name.
   */
  ppParams?: (params: any) => [string, unknown][];
  /** The inner Jaxpr whose binders reuse the equation's variable names when printed (jit). */
  ppSuggestNames?: (params: any) => import("./jaxpr.js").Jaxpr | null;
  /** Extra rules keyed by transform name ("jvp", "transpose", "batch", ...). */
  readonly rules = new Map<string, unknown>();

  constructor(
    readonly name: string,
    readonly multipleResults = false,
  ) {}

  rule<T>(transform: string): T {
    const r = this.rules.get(transform);
    if (r === undefined) {
      throw new Error(`No ${transform} rule for primitive '${this.name}'`);
    }
    return r as T;
  }

  bind(args: readonly ArrayInput[], params: Params = {}): Array[] {
    return bind(this, args, params);
  }

  /** Bind and return the single result. */
  bind1(args: readonly ArrayInput[], params: Params = {}): Array {
    return bind(this, args, params)[0]!;
  }

  toString(): string {
    return this.name;
  }
}

// ---------------------------------------------------------------------------
// Traces

export type TraceClass = new (main: MainTrace) => Trace;

export class MainTrace {
  active = true;
  constructor(
    readonly level: number,
    readonly traceType: TraceClass,
    readonly globalData: unknown,
  ) {}
}

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wrap a value from outside every active trace (a concrete Array). */
  abstract pure(x: Array): Array;
  /** Wrap a tracer of a lower-level trace. */
  abstract lift(x: Tracer): Array;
  abstract processPrimitive(prim: Primitive, args: Array[], params: Params): Array[];
}

const traceStack: MainTrace[] = [];
let dynamicTrace: MainTrace | null = null;

/** Push a new main trace for the duration of `fn`. */
export function withMainTrace<R>(
  traceType: TraceClass,
  globalData: unknown,
  fn: (main: MainTrace) => R,
  opts: { dynamic?: boolean } = {},
): R {
  const main = new MainTrace(traceStack.length, traceType, globalData);
  traceStack.push(main);
  const prevDynamic = dynamicTrace;
  if (opts.dynamic) dynamicTrace = main;
  try {
    return fn(main);
  } finally {
    dynamicTrace = prevDynamic;
    traceStack.pop();
    main.active = false;
  }
}

export function currentLevel(): number {
  return traceStack.length;
}

function checkLive(t: Tracer): void {
  if (!t._trace.main.active) {
    throw new UnexpectedTracerError(
      `Encountered an unexpected tracer of shape/dtype ${t.aval.strShort()}: a value traced by a ` +
        `transformation that has already finished (it leaked out, e.g. stored in an outer variable ` +
        `or returned through a side channel) was used in '${currentPrimName ?? "an operation"}'. ` +
        `Return values from transformed functions instead of storing them.`,
    );
  }
}

let currentPrimName: string | null = null;

function findTopMain(args: Array[]): MainTrace | null {
  let top: MainTrace | null = dynamicTrace;
  for (const a of args) {
    if (a instanceof Tracer) {
      checkLive(a);
      const m = a._trace.main;
      if (!top || m.level > top.level) top = m;
    }
  }
  return top;
}

/** Bring a value into `trace`: wrap concrete values, lift lower-level tracers. */
export function raise(trace: Trace, x: Array): Array {
  if (!(x instanceof Tracer)) return trace.pure(x);
  const m = x._trace.main;
  if (m === trace.main) return x;
  if (m.level < trace.main.level) return trace.lift(x);
  throw new UnexpectedTracerError(
    `Tracer of ${x.aval.strShort()} from a higher-level transformation reached a lower one: a tracer leaked.`,
  );
}

/** Apply a primitive through the innermost active trace. */
export function bind(prim: Primitive, inputs: readonly ArrayInput[], params: Params = {}): Array[] {
  const prev = currentPrimName;
  currentPrimName = prim.name;
  try {
    const args = inputs.map((x) => asArray(x));
    const main = findTopMain(args);
    if (!main) return evalPrimitive(prim, args, params);
    const trace = new main.traceType(main);
    const outs = trace.processPrimitive(
      prim,
      args.map((a) => raise(trace, a)),
      params,
    );
    return outs;
  } finally {
    currentPrimName = prev;
  }
}

// The eval "trace": no trace at all. Concrete arrays are computed by a backend.
import { executePrimitive } from "./backend/registry.js";

export function evalPrimitive(prim: Primitive, args: Array[], params: Params): Array[] {
  if (prim.impl) return prim.impl(args, params);
  const outAvals = prim.abstractEval(
    args.map((a) => a.aval),
    params,
  );
  return executePrimitive(prim, args, params, outAvals);
}
