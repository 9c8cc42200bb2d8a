// A third-party backend plugs into core through the public interface only:
// registerBackend + put/read/readSync/dispose/compile. It has no single-primitive
// fast path, so eager operations reach it as cached one-equation Jaxprs.
import { afterEach, describe, expect, it } from "vitest";
import {
  Literal,
  array,
  backendNames,
  defaultBackend,
  devicePut,
  devices,
  getBackend,
  lax,
  registerBackend,
  setDefaultBackend,
  type Backend,
  type Device,
  type Executable,
  type Jaxpr,
  type ShapedArray,
  type TypedArray,
} from "../src/index.js";

/** Buffers are Float64Array copies; programs are interpreted with a tiny kernel table. */
class InterpBackend implements Backend {
  readonly devices: readonly Device[];
  compiled: string[] = [];
  disposed = 0;
  constructor(
    readonly name: string,
    readonly async = false,
  ) {
    const self = this;
    this.devices = [{ platform: name, id: 0, backend: self, toString: () => `${name}:0` }];
  }
  put(data: TypedArray, _aval: ShapedArray): Float64Array {
    return Float64Array.from(data);
  }
  async read(buf: unknown, aval: ShapedArray): Promise<TypedArray> {
    return aval.dtype.storage.from(buf as Float64Array);
  }
  readSync(buf: unknown, aval: ShapedArray): TypedArray {
    if (this.async) throw new Error(`[${this.name}] cannot read synchronously; use await x.data()`);
    return aval.dtype.storage.from(buf as Float64Array);
  }
  dispose(): void {
    this.disposed++;
  }
  compile(jaxpr: Jaxpr): Executable {
    this.compiled.push(jaxpr.eqns.map((e) => e.primitive.name).join(","));
    const kernels: Record<string, (...xs: number[]) => number> = {
      add: (a, b) => a + b,
      mul: (a, b) => a * b,
      sin: Math.sin,
      neg: (a) => -a,
    };
    return {
      execute: (inputs) => {
        const env = new Map<unknown, Float64Array>();
        [...jaxpr.constvars, ...jaxpr.invars].forEach((v, i) => env.set(v, inputs[i] as Float64Array));
        for (const eqn of jaxpr.eqns) {
          const k = kernels[eqn.primitive.name];
          if (!k) throw new Error(`[${this.name}] no kernel for ${eqn.primitive.name}`);
          const ins = eqn.inputs.map((a) => (a instanceof Literal ? Float64Array.of(a.val) : env.get(a)!));
          const n = eqn.outvars[0]!.aval.size;
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = k(...ins.map((x) => x[x.length === 1 ? 0 : i]!));
          env.set(eqn.outvars[0], out);
        }
        return jaxpr.outvars.map((v) => (v instanceof Literal ? Float64Array.of(v.val) : env.get(v)!));
      },
    };
  }
}

const interp = new InterpBackend("interp");
registerBackend(interp);
const lazy = new InterpBackend("lazy", true);
registerBackend(lazy);

afterEach(() => setDefaultBackend("cpu"));

describe("backend registry", () => {
  it("lists registered backends and devices; cpu stays the default", () => {
    expect(backendNames()).toEqual(expect.arrayContaining(["cpu", "interp", "lazy"]));
    expect(defaultBackend().name).toBe("cpu");
    expect(devices("interp").map(String)).toEqual(["interp:0"]);
    expect(devices().length).toBeGreaterThanOrEqual(3);
  });

  it("rejects unknown names and a second backend under a taken name", () => {
    expect(() => getBackend("nope")).toThrow(/unknown backend 'nope'/);
    expect(() => setDefaultBackend("nope")).toThrow(/unknown backend/);
    expect(() => registerBackend(new InterpBackend("interp"))).toThrow(/already registered/);
  });
});

describe("a third-party backend", () => {
  it("runs eager ops as cached one-equation programs and matches the CPU backend", () => {
    const xc = array([0.5, 1, 2], { dtype: "float32" });
    const x = devicePut(xc, "interp");
    expect(x.backend.name).toBe("interp");
    const before = interp.compiled.length;
    const y = lax.add(lax.sin(x), x);
    const y2 = lax.add(lax.sin(x), x);
    // sin and add compiled once each, then served from the cache.
    expect(interp.compiled.slice(before)).toEqual(["sin", "add"]);
    expect(y.backend.name).toBe("interp");
    const cpu = lax.add(lax.sin(xc), xc);
    expect([...y.dataSync()]).toEqual([...cpu.dataSync()]);
    expect(y2.tolist()).toEqual(cpu.tolist());
  });

  it("becomes the place new arrays live when made default", () => {
    setDefaultBackend("interp");
    const a = array([1, 2, 3], { dtype: "float32" });
    expect(a.backend.name).toBe("interp");
    expect(a.mul(2).tolist()).toEqual([2, 4, 6]);
  });

  it("names the primitive its compiler cannot handle", () => {
    const x = devicePut(array([1, 2], { dtype: "float32" }), "interp");
    expect(() => lax.cos(x)).toThrow(/no kernel for cos/);
  });

  it("refuses to mix non-scalar arrays from two backends", () => {
    const a = devicePut(array([1, 2], { dtype: "float32" }), "interp");
    const c = array([1, 2], { dtype: "float32" });
    expect(() => lax.add(a, c)).toThrow(/\[add\] arguments live on different backends \('interp' and 'cpu'\)/);
  });

  it("an asynchronous backend says what to await; await data() works", async () => {
    const x = devicePut(array([1, 2], { dtype: "float32" }), "lazy");
    expect(() => x.dataSync()).toThrow(/await x.data\(\)/);
    expect([...(await lax.neg(x).data())]).toEqual([-1, -2]);
  });

  it("dispose() frees the buffer once and later use is an error", () => {
    const x = devicePut(array([1, 2], { dtype: "float32" }), "interp");
    const n = interp.disposed;
    x.dispose();
    x.dispose();
    expect(interp.disposed).toBe(n + 1);
    expect(() => x.dataSync()).toThrow(/used after dispose/);
  });
});
