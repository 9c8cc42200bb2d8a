// The built-in CPU backend: buffers are plain typed arrays (garbage collected),
// kernels are loops over them, and a compiled Jaxpr is interpreted equation by
// equation.
import type { Params, Primitive } from "../../core.js";
import type { TypedArray } from "../../dtypes.js";
import { DropVar, Literal, type Jaxpr, type Var } from "../../jaxpr.js";
import type { ShapedArray } from "../../shape.js";
import type { Backend, Device, Executable } from "../interface.js";
import { Array } from "../../array.js";
import { cpuKernels, runCpuKernel } from "./kernels.js";
import "./elementwise.js";
import "./reduction.js";
import "./sort.js";
import "./structural.js";
import "./linalg.js";
import "./conv.js";
import "./indexing.js";

class CpuDevice implements Device {
  readonly platform = "cpu";
  readonly id = 0;
  constructor(readonly backend: Backend) {}
  toString(): string {
    return "CpuDevice(id=0)";
  }
}

class CpuBackend implements Backend {
  readonly name = "cpu";
  readonly devices: readonly Device[] = [new CpuDevice(this)];

  put(data: TypedArray, aval: ShapedArray): TypedArray {
    if (!(data instanceof aval.dtype.storage)) {
      throw new TypeError(`[cpu] buffer for ${aval.strShort()} must be a ${aval.dtype.storage.name}`);
    }
    return data;
  }
  async read(buf: unknown): Promise<TypedArray> {
    return (buf as TypedArray).slice();
  }
  readSync(buf: unknown): TypedArray {
    return (buf as TypedArray).slice();
  }
  dispose(): void {
    // Typed arrays are garbage collected.
  }
  executePrimitive(prim: Primitive, inputs: unknown[], params: Params, inAvals: ShapedArray[], outAvals: ShapedArray[]): unknown[] {
    return runCpuKernel(prim, inputs as TypedArray[], params, inAvals, outAvals);
  }
  compile(jaxpr: Jaxpr): Executable {
    // Free each intermediate at its last use: lastUse[k] lists the variables
    // whose final read is equation k.
    const outputs = new Set(jaxpr.outvars);
    const last = new Map<Var, number>();
    jaxpr.eqns.forEach((e, k) => e.inputs.forEach((a) => a instanceof Literal || last.set(a, k)));
    const lastUse: Var[][] = jaxpr.eqns.map(() => []);
    for (const [v, k] of last) if (!outputs.has(v)) lastUse[k]!.push(v);
    // Values nothing reads are dropped as soon as they are produced.
    jaxpr.eqns.forEach((e, k) => e.outvars.forEach((v) => last.has(v) || outputs.has(v) || lastUse[k]!.push(v)));
    const stats = { peakLiveBuffers: 0 };
    return {
      stats,
      execute: (inputs: unknown[]) => {
        const env = new Map<Var, TypedArray>();
        [...jaxpr.constvars, ...jaxpr.invars].forEach((v, i) => env.set(v, inputs[i] as TypedArray));
        const read = (a: Var | Literal): TypedArray => {
          if (a instanceof Literal) {
            const t = new a.aval.dtype.storage(1);
            t[0] = a.val;
            return t;
          }
          return env.get(a)!;
        };
        jaxpr.eqns.forEach((eqn, k) => {
          const ins = eqn.inputs.map(read);
          const outAvals = eqn.outvars.map((v) => v.aval);
          const outs = cpuKernels.has(eqn.primitive)
            ? runCpuKernel(eqn.primitive, ins, eqn.params, eqn.inputs.map((a) => a.aval), outAvals)
            : runImpl(eqn.primitive, ins, eqn.params, eqn.inputs.map((a) => a.aval));
          eqn.outvars.forEach((v, i) => {
            if (!(v instanceof DropVar)) env.set(v, outs[i]!);
          });
          stats.peakLiveBuffers = Math.max(stats.peakLiveBuffers, env.size);
          for (const v of lastUse[k]!) env.delete(v);
        });
        return jaxpr.outvars.map(read);
      },
    };
  }
}

export const cpuBackend: Backend = new CpuBackend();

/** Higher-order primitives (jit, cond, scan, ...) run through their impl on CPU arrays. */
function runImpl(prim: Primitive, ins: TypedArray[], params: Params, avals: ShapedArray[]): TypedArray[] {
  if (!prim.impl) throw new Error(`[cpu] no CPU kernel for primitive '${prim.name}'`);
  const outs = prim.impl(
    ins.map((b, i) => new Array(avals[i]!, b, cpuBackend)),
    params,
  );
  return outs.map((o) => o._buf as TypedArray);
}
