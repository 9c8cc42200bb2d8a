// The backend registry and eager dispatch. Eager operations run the way JAX runs
// them: as cached one-equation programs, unless the backend has a fast path.
import type { Array } from "../array.js";
import type { Params, Primitive } from "../core.js";
import type { ShapedArray } from "../shape.js";
import type { Backend, Device, Executable } from "./interface.js";

const backends = new Map<string, Backend>();
let defaultName: string | null = null;

/** Register a backend under its name. The first registered becomes the default until set. */
export function registerBackend(b: Backend, opts: { setDefault?: boolean } = {}): void {
  if (backends.has(b.name) && backends.get(b.name) !== b) {
    throw new Error(`[registerBackend] a different backend named '${b.name}' is already registered`);
  }
  backends.set(b.name, b);
  if (defaultName === null || opts.setDefault) defaultName = b.name;
}

export function getBackend(name?: string | Backend): Backend {
  if (name === undefined) return defaultBackend();
  if (typeof name !== "string") return name;
  const b = backends.get(name);
  if (!b) {
    throw new Error(`[backend] unknown backend '${name}'; registered: ${[...backends.keys()].join(", ")}`);
  }
  return b;
}

export function defaultBackend(): Backend {
  if (defaultName === null) throw new Error("[backend] no backend registered");
  return backends.get(defaultName)!;
}

export function setDefaultBackend(name: string): void {
  getBackend(name);
  defaultName = name;
}

export function backendNames(): string[] {
  return [...backends.keys()];
}

/** All devices, or those of one backend. */
export function devices(backend?: string): Device[] {
  if (backend !== undefined) return [...getBackend(backend).devices];
  return [...backends.values()].flatMap((b) => b.devices);
}

// ---------------------------------------------------------------------------
// Eager execution of one primitive.

import { Array as ArrayClass, Tracer, asArray } from "../array.js";
import { Jaxpr, JaxprEqn, Var, paramsKey } from "../jaxpr.js";

const eagerCache = new WeakMap<Backend, Map<string, Executable>>();

function pickBackend(prim: Primitive, args: Array[]): Backend {
  // Arrays that are not scalars decide; scalars follow them (like JAX's
  // uncommitted values). Mixed non-scalar placements are an error.
  let target: Backend | null = null;
  for (const a of args) {
    if (a.size <= 1) continue;
    const b = a.backend;
    if (target === null) target = b;
    else if (b !== target) {
      throw new Error(
        `[${prim.name}] arguments live on different backends ('${target.name}' and '${b.name}'); move them with devicePut first`,
      );
    }
  }
  return target ?? (args.length > 0 ? args[0]!.backend : defaultBackend());
}

/**
 * Whether a concrete array's value can be read synchronously now: always, except
 * for a result an asynchronous backend has not computed yet.
 */
export function canReadSync(x: Array): boolean {
  const b = x._backend;
  return !b || !b.isReady || b.isReady(x._buf);
}

/** Copy an array to another backend (synchronous read; async backends must be awaited first). */
export function transfer(x: Array, to: Backend): Array {
  if (x.backend === to) return x;
  const data = x.backend.readSync(x._buf, x.aval);
  return new ArrayClass(x.aval, to.put(data, x.aval), to);
}

/** Place an array on a device or backend (the default backend when omitted), as jax.device_put. */
export function devicePut(x: Array | number | boolean, target?: Device | Backend | string): Array {
  const backend =
    target === undefined ? defaultBackend() : typeof target === "string" ? getBackend(target) : "backend" in target && "platform" in target ? target.backend : (target as Backend);
  const arr = x instanceof ArrayClass ? x : asArray(x);
  if (arr instanceof Tracer) return arr;
  return transfer(arr, backend);
}

const compiledCache = new WeakMap<Jaxpr, Map<Backend, Executable>>();

/**
 * Run a Jaxpr as one compiled program on the backend its arguments live on
 * (compiled once per Jaxpr and backend).
 */
export function getCompiled(jaxpr: Jaxpr, args: Array[]): Array[] {
  const backend = args.length ? pickBackend({ name: "jit" } as Primitive, args) : defaultBackend();
  let byBackend = compiledCache.get(jaxpr);
  if (!byBackend) compiledCache.set(jaxpr, (byBackend = new Map()));
  let exe = byBackend.get(backend);
  if (!exe) {
    exe = backend.compile(jaxpr);
    byBackend.set(backend, exe);
  }
  const outs = exe.execute(args.map((a) => transfer(a, backend)._buf));
  return outs.map((b, i) => new ArrayClass(jaxpr.outvars[i]!.aval, b, backend));
}

export function executePrimitive(prim: Primitive, args: Array[], params: Params, outAvals: ShapedArray[]): Array[] {
  const backend = pickBackend(prim, args);
  const placed = args.map((a) => transfer(a, backend));
  const inAvals = placed.map((a) => a.aval);
  const bufs = placed.map((a) => a._buf);
  let outs: unknown[];
  if (backend.executePrimitive) {
    outs = backend.executePrimitive(prim, bufs, params, inAvals, outAvals);
  } else {
    let cache = eagerCache.get(backend);
    if (!cache) eagerCache.set(backend, (cache = new Map()));
    const key = `${prim.name}|${paramsKey(params)}|${inAvals.map((a) => a.key()).join(",")}`;
    let exe = cache.get(key);
    if (!exe) {
      const invars = inAvals.map((a) => new Var(a));
      const outvars = outAvals.map((a) => new Var(a));
      const jaxpr = new Jaxpr([], invars, [new JaxprEqn(prim, invars, params, outvars)], outvars);
      exe = backend.compile(jaxpr);
      cache.set(key, exe);
    }
    outs = exe.execute(bufs);
  }
  return outs.map((b, i) => new ArrayClass(outAvals[i]!, b, backend));
}
