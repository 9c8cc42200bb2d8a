// Linen-style modules: a module is a description (its constructor options);
// `init` runs it once to create its variables, `apply` runs it purely on given
// variables. While a module runs, a `Scope` hands it parameters, other
// variables, child modules and rngs, all addressed by the module's path.
import { Array, random, tree } from "@jaxts/core";

/** A collection name → nested dict of arrays, e.g. `{ params: { Dense_0: { kernel, bias } } }`. */
export type Variables = Record<string, any>;

/** Which collections may be written during `apply`: all, one, or some. */
export type Mutable = boolean | string | readonly string[];

export interface ApplyOptions {
  /** named rngs, e.g. `{ dropout: key }` */
  rngs?: Record<string, Array>;
  /** training mode: BatchNorm uses batch statistics, Dropout drops (default false) */
  train?: boolean;
  /** collections that may be updated; `apply` then returns `[output, updatedCollections]` */
  mutable?: Mutable;
  /** run another method of the module instead of `call`: its name, or a function `(module, scope, ...inputs)` */
  method?: string | ((module: any, scope: Scope, ...inputs: any[]) => any);
}

export interface InitOptions {
  /** training mode during init (default false) */
  train?: boolean;
  /** run another method instead of `call` (see ApplyOptions.method) */
  method?: ApplyOptions["method"];
}

const APPLY_KEYS = new Set(["rngs", "train", "mutable", "method"]);

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || x instanceof Array) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** A trailing plain object whose keys are all option names is taken as the options. */
function splitOptions<O>(args: unknown[]): [unknown[], O] {
  const last = args[args.length - 1];
  if (args.length > 0 && isPlainObject(last) && Object.keys(last).every((k) => APPLY_KEYS.has(k))) {
    return [args.slice(0, -1), last as O];
  }
  return [args, {} as O];
}

/** 32-bit FNV-1a of a string: the data folded into an rng for a module path. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Hook called around every child module call (used by `tabulate`). */
export type CallHook = (path: readonly string[], module: Module, inputs: unknown[], output: unknown, order: number) => void;

/** State shared by all scopes of one `init`/`apply` run. */
class Frame {
  readonly rngCounters = new Map<string, number>();
  /** module calls started so far (orders the calls reported to the hook) */
  calls = 0;
  constructor(
    readonly variables: Variables,
    readonly isMutable: (collection: string) => boolean,
    readonly initializing: boolean,
    readonly rngs: Record<string, Array>,
    readonly train: boolean,
    readonly op: string,
    readonly hook: CallHook | null,
  ) {}
}

const pathStr = (path: readonly string[]) => (path.length ? path.join("/") : "<root>");

/** A mutable handle on one variable of a non-parameter collection (e.g. BatchNorm's running mean). */
export class Variable {
  constructor(
    private readonly scope: Scope,
    readonly collection: string,
    readonly name: string,
  ) {}
  get value(): Array {
    return this.scope.getVariable(this.collection, this.name) as Array;
  }
  set value(v: Array) {
    this.scope.putVariable(this.collection, this.name, v);
  }
}

/**
 * What a running module sees: `param`, `variable`, `child`, `makeRng`, and the
 * run's flags (`train`, `isInitializing`). One scope per module call.
 */
export class Scope {
  private readonly autoNames = new Map<string, number>();
  /** @internal */
  constructor(
    private readonly frame: Frame,
    readonly path: readonly string[],
  ) {}

  /** true inside `init` */
  get isInitializing(): boolean {
    return this.frame.initializing;
  }
  /** the `train` flag of this `init`/`apply` */
  get train(): boolean {
    return this.frame.train;
  }
  /** whether a collection may be written in this run */
  isMutableCollection(collection: string): boolean {
    return this.frame.isMutable(collection);
  }

  private node(collection: string, create: boolean): Record<string, any> | undefined {
    let d = this.frame.variables[collection];
    if (d === undefined) {
      if (!create) return undefined;
      d = this.frame.variables[collection] = {};
    }
    for (const p of this.path) {
      let next = d[p];
      if (next === undefined) {
        if (!create) return undefined;
        next = d[p] = {};
      }
      d = next;
    }
    return d;
  }

  /** Whether a variable exists in this scope. */
  hasVariable(collection: string, name: string): boolean {
    const n = this.node(collection, false);
    return n !== undefined && n[name] !== undefined;
  }

  /** @internal */
  getVariable(collection: string, name: string): unknown {
    const n = this.node(collection, false);
    if (n === undefined || n[name] === undefined) {
      throw new Error(`[${this.frame.op}] no variable "${name}" in collection "${collection}" at ${pathStr(this.path)}`);
    }
    return n[name];
  }

  /** @internal */
  putVariable(collection: string, name: string, value: unknown): void {
    if (!this.frame.isMutable(collection)) {
      throw new Error(
        `[${this.frame.op}] cannot update variable "${name}" in ${pathStr(this.path)}: collection "${collection}" is immutable; pass {mutable: ["${collection}"]} to apply`,
      );
    }
    this.node(collection, true)![name] = value;
  }

  /**
   * A parameter (collection "params"): created with `initFn(makeRng("params"), ...initArgs)`
   * during init, read from the variables otherwise. When the first init argument is a
   * shape, a stored parameter of another shape is an error naming its path.
   */
  param<A extends unknown[]>(name: string, initFn: (key: Array, ...args: A) => Array, ...initArgs: A): Array {
    if (this.hasVariable("params", name)) {
      const v = this.getVariable("params", name) as Array;
      const shape = initArgs[0];
      if (globalThis.Array.isArray(shape) && shape.every((d) => typeof d === "number") && v instanceof Array) {
        if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
          throw new Error(
            `[${this.frame.op}] parameter "${pathStr([...this.path, name])}" has shape [${v.shape.join(", ")}] but the module expects [${shape.join(", ")}]`,
          );
        }
      }
      return v;
    }
    if (!this.frame.isMutable("params")) {
      throw new Error(
        `[${this.frame.op}] missing parameter "${pathStr([...this.path, name])}" (pass the variables returned by init)`,
      );
    }
    const value = initFn(this.makeRng("params"), ...initArgs);
    this.node("params", true)![name] = value;
    return value;
  }

  /**
   * A variable of another collection (e.g. "batchStats"): `init()` gives its first value
   * when it does not exist yet (only where the collection is mutable).
   */
  variable(collection: string, name: string, init: () => Array): Variable {
    if (!this.hasVariable(collection, name)) {
      if (!this.frame.isMutable(collection)) {
        throw new Error(
          `[${this.frame.op}] missing variable "${name}" of collection "${collection}" at ${pathStr(this.path)} (pass the variables returned by init, or make "${collection}" mutable)`,
        );
      }
      this.node(collection, true)![name] = init();
    }
    return new Variable(this, collection, name);
  }

  /** Whether an rng of this name was given. */
  hasRng(name: string): boolean {
    return this.frame.rngs[name] !== undefined;
  }

  /** A fresh key from the named rng, distinct per module path and per call. */
  makeRng(name: string): Array {
    const base = this.frame.rngs[name];
    if (base === undefined) {
      const hint = name === "params" ? "call init with a key" : `pass {rngs: {${name}: key}}`;
      throw new Error(`[${this.frame.op}] ${pathStr(this.path)} needs an rng named "${name}" but none was given; ${hint}`);
    }
    const id = `${name}:${this.path.join("/")}`;
    const n = this.frame.rngCounters.get(id) ?? 0;
    this.frame.rngCounters.set(id, n + 1);
    const k = this.path.length ? random.foldIn(base, hash32(this.path.join("/"))) : base;
    return random.foldIn(k, n);
  }

  /**
   * A child module as a function of its inputs. Named explicitly, or
   * `<TypeName>_<n>` counted per type in this scope (as Flax names submodules).
   * Calling the returned function again reuses the same variables (shared weights).
   */
  child<M extends Module>(name: string, module: M): M["call"] extends (scope: Scope, ...inputs: infer I) => infer O ? (...inputs: I) => O : never;
  child<M extends Module>(module: M): M["call"] extends (scope: Scope, ...inputs: infer I) => infer O ? (...inputs: I) => O : never;
  child(a: string | Module, b?: Module): (...inputs: any[]) => any {
    let name: string;
    let module: Module;
    if (typeof a === "string") {
      name = a;
      module = b!;
    } else {
      module = a;
      const t = module.typeName;
      const n = this.autoNames.get(t) ?? 0;
      this.autoNames.set(t, n + 1);
      name = `${t}_${n}`;
    }
    if (!(module instanceof Module)) throw new TypeError(`[Scope.child] expected a Module for "${name}", got ${typeof module}`);
    return this.childFn(name, module, (m, s, ...xs) => m.call(s, ...xs));
  }

  /** Like `child`, but runs `fn(module, childScope, ...inputs)` (another method of the child). */
  childMethod<M extends Module, I extends unknown[], O>(
    name: string,
    module: M,
    fn: (module: M, scope: Scope, ...inputs: I) => O,
  ): (...inputs: I) => O {
    return this.childFn(name, module, fn as any);
  }

  private childFn(name: string, module: Module, fn: (m: Module, s: Scope, ...xs: any[]) => any): (...inputs: any[]) => any {
    const path = [...this.path, name];
    return (...inputs: any[]) => {
      const order = this.frame.calls++;
      const out = fn(module, new Scope(this.frame, path), ...inputs);
      this.frame.hook?.(path, module, inputs, out, order);
      return out;
    };
  }
}

function copyDicts(v: unknown): any {
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyDicts(x);
    return out;
  }
  return v;
}

function mutablePredicate(m: Mutable | undefined): (c: string) => boolean {
  if (m === undefined || m === false) return () => false;
  if (m === true) return () => true;
  const set = new Set(typeof m === "string" ? [m] : m);
  return (c) => set.has(c);
}

function dropEmpty(v: Variables): Variables {
  const out: Variables = {};
  for (const [k, x] of Object.entries(v)) if (!(isPlainObject(x) && Object.keys(x).length === 0)) out[k] = x;
  return out;
}

function runMethod(module: Module, scope: Scope, method: ApplyOptions["method"], inputs: unknown[]): unknown {
  if (method === undefined) return module.call(scope, ...inputs);
  if (typeof method === "function") return method(module, scope, ...inputs);
  const f = (module as any)[method];
  if (typeof f !== "function") throw new TypeError(`[apply] ${module.typeName} has no method "${method}"`);
  return f.call(module, scope, ...inputs);
}

/**
 * A layer or model. Subclasses hold their configuration (plain, immutable
 * options) and implement `call(scope, ...inputs)`.
 */
export abstract class Module {
  /** run the module: create/read variables through `scope`, compute the output */
  abstract call(scope: Scope, ...inputs: any[]): any;

  /** the name used for auto-named children (`Dense_0`): the class name by default */
  get typeName(): string {
    return this.constructor.name;
  }

  /**
   * Create the variables from example inputs: `init(key, ...inputs, {train?})`.
   * `key` seeds the "params" rng; give `{ params: key, dropout: key2 }` for more rngs.
   */
  init(key: Array | Record<string, Array>, ...inputsAndOptions: any[]): Variables {
    return this.initWithOutput(key, ...inputsAndOptions)[1];
  }

  /** `init` that also returns the output: `[output, variables]`. */
  initWithOutput(key: Array | Record<string, Array>, ...inputsAndOptions: any[]): [any, Variables] {
    return this.runInit(key, inputsAndOptions, null);
  }

  /** @internal */
  runInit(key: Array | Record<string, Array>, inputsAndOptions: unknown[], hook: CallHook | null): [any, Variables] {
    const [inputs, opts] = splitOptions<InitOptions & ApplyOptions>(inputsAndOptions);
    const rngs = key instanceof Array ? { params: key } : { ...key };
    const frame = new Frame({}, () => true, true, rngs, opts.train ?? false, "init", hook);
    const out = runMethod(this, new Scope(frame, []), opts.method, inputs);
    return [out, dropEmpty(frame.variables)];
  }

  /**
   * Run the module purely on `variables`: `apply(variables, ...inputs, {rngs, train, mutable, method})`.
   * Returns the output, or `[output, updatedCollections]` when `mutable` is given.
   */
  apply(variables: Variables, ...inputsAndOptions: any[]): any {
    const [inputs, opts] = splitOptions<ApplyOptions>(inputsAndOptions);
    if (!isPlainObject(variables)) {
      throw new TypeError(`[apply] variables must be a plain object of collections (as returned by init), got ${variables}`);
    }
    const isMutable = mutablePredicate(opts.mutable);
    const frame = new Frame(copyDicts(variables), isMutable, false, { ...(opts.rngs ?? {}) }, opts.train ?? false, "apply", null);
    const out = runMethod(this, new Scope(frame, []), opts.method, inputs);
    if (opts.mutable === undefined || opts.mutable === false) return out;
    const updated: Variables = {};
    for (const [k, v] of Object.entries(frame.variables)) if (isMutable(k)) updated[k] = v;
    return [out, updated];
  }
}

/** A module from a plain function `(scope, ...inputs) => output`. */
export class FnModule extends Module {
  constructor(
    readonly fn: (scope: Scope, ...inputs: any[]) => any,
    readonly name = "Fn",
  ) {
    super();
  }
  override get typeName(): string {
    return this.name;
  }
  call(scope: Scope, ...inputs: any[]): any {
    return this.fn(scope, ...inputs);
  }
}

/** Wrap a function `(scope, ...inputs) => output` as a Module. */
export function module(fn: (scope: Scope, ...inputs: any[]) => any, name?: string): Module {
  return new FnModule(fn, name);
}

/** Leaves of a PyTree as arrays (for counting and summaries). */
export function arrayLeaves(t: unknown): Array[] {
  return tree.leaves(t).filter((x): x is Array => x instanceof Array);
}
