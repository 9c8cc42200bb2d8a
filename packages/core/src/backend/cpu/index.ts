// The built-in CPU backend: buffers are plain typed arrays (garbage collected),
// kernels are loops over them, and a compiled Jaxpr is interpreted equation by
// equation.
import type { Params, Primitive } from "../../core.js";
import type { TypedArray } from "../../dtypes.js";
import { DropVar, Literal, type Jaxpr, type Var } from "../../jaxpr.js";
import type { ShapedArray } from "../../shape.js";
import type { Backend, Device, Executable } from "../interface.js";
import { runCpuKernel } from "./kernels.js";
import "./elementwise.js";
import "./reduction.js";
import "./sort.js";
import "./structural.js";
import "./linalg.js";
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
    return {
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
        for (const eqn of jaxpr.eqns) {
          const outs = runCpuKernel(
            eqn.primitive,
            eqn.inputs.map(read),
            eqn.params,
            eqn.inputs.map((a) => a.aval),
            eqn.outvars.map((v) => v.aval),
          );
          eqn.outvars.forEach((v, i) => {
            if (!(v instanceof DropVar)) env.set(v, outs[i]!);
          });
        }
        return jaxpr.outvars.map(read);
      },
    };
  }
}

export const cpuBackend: Backend = new CpuBackend();
