// The built-in CPU backend: buffers are plain typed arrays (garbage collected),
// kernels are loops over them, and a compiled Jaxpr runs step by step: each
// elementwise chain the fuser finds as one generated loop (fused.ts), every
// other equation through its kernel.
import type { Params, Primitive } from "../../core.js";
import type { TypedArray } from "../../dtypes.js";
import { DropVar, Literal, type Jaxpr, type Var } from "../../jaxpr.js";
import type { ShapedArray } from "../../shape.js";
import type { Backend, Device, Executable } from "../interface.js";
import { Array } from "../../array.js";
import { cpuKernels, runCpuKernel } from "./kernels.js";
import { planFusion, type FusionStep } from "../../fuser/index.js";
import { cpuFusible, renderKernel } from "./fused.js";
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
  /** Fuse elementwise chains in compiled programs (see src/fuser); off: one kernel per equation. */
  fusion = true;

  compile(jaxpr: Jaxpr): Executable {
    const steps = this.fusion ? planFusion(jaxpr, cpuFusible) : jaxpr.eqns.map((eqn): FusionStep => ({ kind: "eqn", eqn }));
    const run = steps.map((s) => (s.kind === "kernel" ? renderKernel(s.kernel) : null));
    const stepIns = steps.map((s) => (s.kind === "kernel" ? s.invars : s.eqn.inputs));
    const stepOuts = steps.map((s) => (s.kind === "kernel" ? s.outvars : s.eqn.outvars));
    // Free each intermediate at its last use: lastUse[k] lists the variables
    // whose final read is step k.
    const outputs = new Set(jaxpr.outvars);
    const last = new Map<Var, number>();
    stepIns.forEach((ins, k) => ins.forEach((a) => a instanceof Literal || last.set(a, k)));
    const lastUse: Var[][] = steps.map(() => []);
    for (const [v, k] of last) if (!outputs.has(v)) lastUse[k]!.push(v);
    // Values nothing reads are dropped as soon as they are produced.
    stepOuts.forEach((outs, k) => outs.forEach((v) => last.has(v) || outputs.has(v) || lastUse[k]!.push(v)));
    const stats = { peakLiveBuffers: 0, fusedKernels: run.filter((r) => r !== null).length };
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
        steps.forEach((step, k) => {
          let outs: TypedArray[];
          if (step.kind === "kernel") outs = run[k]!(step.invars.map(read));
          else {
            const eqn = step.eqn;
            const ins = eqn.inputs.map(read);
            const outAvals = eqn.outvars.map((v) => v.aval);
            outs = cpuKernels.has(eqn.primitive)
              ? runCpuKernel(eqn.primitive, ins, eqn.params, eqn.inputs.map((a) => a.aval), outAvals)
              : runImpl(eqn.primitive, ins, eqn.params, eqn.inputs.map((a) => a.aval));
          }
          stepOuts[k]!.forEach((v, i) => {
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

export const cpuBackend = new CpuBackend();

/** Higher-order primitives (jit, cond, scan, ...) run through their impl on CPU arrays. */
function runImpl(prim: Primitive, ins: TypedArray[], params: Params, avals: ShapedArray[]): TypedArray[] {
  if (!prim.impl) throw new Error(`[cpu] no CPU kernel for primitive '${prim.name}'`);
  const outs = prim.impl(
    ins.map((b, i) => new Array(avals[i]!, b, cpuBackend)),
    params,
  );
  return outs.map((o) => o._buf as TypedArray);
}
