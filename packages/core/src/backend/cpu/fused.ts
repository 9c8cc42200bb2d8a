// Rendering the fuser's elementwise kernels (src/fuser) as JS: one generated
// loop per kernel, calling each primitive's scalar function (the same function
// its unfused CPU kernel applies) and rounding every intermediate to its dtype
// exactly as storing it into a typed array would — so a fused program computes
// bit for bit what the equation-by-equation interpreter computes, without
// writing the intermediates to memory.
import { float16, float32, float64, roundToFloat16, type DType, type TypedArray } from "../../dtypes.js";
import type { ElementwiseKernel, KernelRef } from "../../fuser/index.js";
import type { JaxprEqn } from "../../jaxpr.js";
import { broadcastInDimP } from "../../primitives/structural.js";
import { ShapedArray } from "../../shape.js";
import { broadcastIndex } from "./elementwise.js";
import { alloc, scalarKernels } from "./kernels.js";

/**
 * Whether the CPU backend fuses this equation: an elementwise primitive with a
 * scalar function, or a broadcast_in_dim of a single value.
 */
export function cpuFusible(e: JaxprEqn): boolean {
  if (e.primitive === broadcastInDimP) return e.inputs[0]!.aval.size === 1;
  return scalarKernels.has(e.primitive);
}

export type FusedKernelFn = (inputs: TypedArray[]) => TypedArray[];

/** Compile a kernel to a JS function from its input arrays to its output arrays. */
export function renderKernel(k: ElementwiseKernel): FusedKernelFn {
  const names: string[] = [];
  const values: unknown[] = [];
  const constant = (v: unknown, hint: string): string => {
    const name = `${hint}${names.length}`;
    names.push(name);
    values.push(v);
    return name;
  };
  const roundFns = new Map<string, string>();
  /** The expression `e` rounded as a store into `d`'s typed array would round it. */
  const round = (e: string, d: DType): string => {
    if (d === float64) return e;
    if (d === float32) return `Math.fround(${e})`;
    if (d === float16) return `${constant(roundToFloat16, "h")}(Math.fround(${e}))`;
    if (d.name === "int32") return `((${e}) | 0)`;
    if (d.name === "uint32") return `((${e}) >>> 0)`;
    // Narrow integers and bool: through a one-element array of the storage type.
    let fn = roundFns.get(d.name);
    if (!fn) {
      const cell = new d.storage(1);
      fn = constant((x: number) => {
        cell[0] = x;
        return cell[0]!;
      }, "r");
      roundFns.set(d.name, fn);
    }
    return `${fn}(${e})`;
  };

  // Uniform operations (one value for the whole kernel) go before the loop.
  const head: string[] = [];
  const body: string[] = [];
  const outAval = new ShapedArray(k.shape, float64);
  k.inputs.forEach((inp, j) => {
    head.push(inp.broadcast ? `const in${j} = ins[${j}][0];` : `const in${j} = ins[${j}];`);
    // Expanded inputs read through an index map (built once per kernel: shapes are static).
    if (inp.expand) head.push(`const map${j} = ${constant(broadcastIndex(inp.aval, outAval), "m")};`);
  });
  const ref = (r: KernelRef, uniform: boolean): string => {
    if (r.kind === "input") {
      const inp = k.inputs[r.index]!;
      if (inp.broadcast) return `in${r.index}`;
      if (uniform) return `in${r.index}[0]`;
      return inp.expand ? `in${r.index}[map${r.index}[i]]` : `in${r.index}[i]`;
    }
    if (r.kind === "op") return `t${r.index}`;
    // As the interpreter reads a literal: stored into a one-element array of its dtype.
    const cell = new r.dtype.storage(1);
    cell[0] = r.value;
    const v = cell[0]!;
    return Number.isFinite(v) && !Object.is(v, -0) ? String(v) : constant(v, "c");
  };
  k.ops.forEach((op, i) => {
    const args = op.args.map((r) => ref(r, op.uniform));
    const emit = (v: string) => (op.uniform ? head : body).push(`const t${i} = ${v};`);
    // broadcast_in_dim of a single value: that value.
    if (op.primitive === broadcastInDimP) return emit(args[0]!);
    const sk = scalarKernels.get(op.primitive)!;
    const f = constant(sk.form === "binary" && sk.byDtype ? sk.byDtype(op.inAvals[0]!.dtype) : sk.f, "f");
    let call: string;
    switch (sk.form) {
      case "unary":
        call = `${f}(${args[0]}, ${constant(op.inAvals[0]!.dtype, "d")}, ${constant(op.params, "p")})`;
        break;
      case "binary":
        call = `${f}(${args[0]}, ${args[1]}, ${constant(op.inAvals[0]!.dtype, "d")})`;
        break;
      case "nary":
        call = `${f}([${args.join(", ")}], ${constant(op.inAvals[sk.dtypeArg]!.dtype, "d")})`;
        break;
      case "convert":
        call = `${f}(${args[0]}, ${constant(op.outAval.dtype, "d")}, ${constant(op.inAvals[0]!.dtype, "d")})`;
        break;
    }
    emit(round(call, op.outAval.dtype));
  });
  k.outputs.forEach((opIdx, j) => {
    head.push(`const out${j} = outs[${j}];`);
    if (k.ops[opIdx]!.uniform) head.push(`out${j}[0] = t${opIdx};`);
    else body.push(`out${j}[i] = t${opIdx};`);
  });
  const src = `return function fusedKernel(ins, outs) {\n${head.join("\n")}\nfor (let i = 0; i < ${k.size}; i++) {\n${body.join("\n")}\n}\n};`;
  const loop = new Function(...names, src)(...values) as (ins: TypedArray[], outs: TypedArray[]) => void;
  const outAvals = k.outputs.map((i) => k.ops[i]!.outAval);
  return (inputs) => {
    const outs = outAvals.map(alloc);
    loop(inputs, outs);
    return outs;
  };
}
