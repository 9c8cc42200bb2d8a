// Jacobians and Hessians (vmap over JVPs or VJPs), evalShape and linearTranspose.
import { Array, asArray, type ArrayInput } from "../array.js";
import type { DType } from "../dtypes.js";
import { convertElementType, eq } from "../primitives/elementwise.js";
import { broadcastedIota, reshape, slice } from "../primitives/structural.js";
import { ShapedArray } from "../shape.js";
import { ShapeDtypeStruct, traceToJaxpr } from "../staging.js";
import * as tree from "../tree.js";
import { jvp } from "./jvp.js";
import { stageFlat } from "./jit.js";
import { backwardPass, UndefPrimal, vjp } from "./transpose.js";
import { vmap } from "./vmap.js";
import { zerosLike } from "./zeros.js";

export interface JacOptions {
  argnums?: number | readonly number[];
  hasAux?: boolean;
}

/** N x (leaf shapes) identity basis for a list of leaves totalling N elements. */
function stdBasis(leaves: Array[], dtype: DType): Array[] {
  const n = leaves.reduce((s, l) => s + l.size, 0);
  const eye = convertElementType(eq(broadcastedIota("int32", [n, n], 0), broadcastedIota("int32", [n, n], 1)), dtype);
  let off = 0;
  return leaves.map((l) => {
    const block = slice(eye, [0, off], [n, off + l.size]);
    off += l.size;
    return reshape(block, [n, ...l.aval.shape]);
  });
}

function splitArgs(name: string, args: unknown[], argnums: number | readonly number[]) {
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const k of nums) {
    if (!Number.isInteger(k) || k < 0 || k >= args.length) {
      throw new RangeError(`[${name}] argnums ${JSON.stringify(argnums)} out of range for ${args.length} positional arguments`);
    }
  }
  const dyn = nums.map((k) => args[k]);
  const rebuild = (d: unknown[]) => {
    const full = [...args];
    nums.forEach((k, i) => (full[k] = d[i]));
    return full;
  };
  return { dyn, rebuild, single: typeof argnums === "number" };
}

function floatDType(name: string, leaves: Array[]): DType {
  const d = leaves.find((l) => l.dtype.kind === "f")?.dtype;
  if (!d || leaves.some((l) => l.dtype.kind !== "f")) {
    throw new TypeError(`[${name}] requires floating-point inputs, got ${leaves.map((l) => l.dtype.name).join(", ")}`);
  }
  return d;
}

/**
 * The differentiated arguments as float leaves, and f as a function of those leaves;
 * with hasAux, f's aux output is kept aside and read back through `aux()`.
 */
function flatInputs(name: string, f: (...args: any[]) => any, args: unknown[], opts: JacOptions) {
  const { dyn, rebuild, single } = splitArgs(name, args, opts.argnums ?? 0);
  const [inLeaves, inTree] = tree.flatten(dyn);
  const xs = inLeaves.map((x) => asArray(x as ArrayInput));
  const dtype = floatDType(name, xs);
  let aux: unknown;
  const fFlat = (...ls: Array[]) => {
    const out = f(...rebuild(tree.unflatten(inTree, ls) as unknown[]));
    if (opts.hasAux) {
      aux = out[1];
      return out[0];
    }
    return out;
  };
  return { xs, dtype, inTree, single, fFlat, aux: () => aux };
}

/** jax.jacfwd: Jacobian by forward mode; output leaves have shape out.shape + in.shape. */
export function jacfwd(f: (...args: any[]) => any, opts: JacOptions = {}): (...args: any[]) => any {
  return (...args: any[]) => {
    const { xs, dtype: dt, inTree, single, fFlat, aux } = flatInputs("jacfwd", f, args, opts);
    const pushfwd = (...ts: Array[]) => jvp(fFlat, xs, ts)[1];
    const jacT = vmap(pushfwd, { outAxes: -1 })(...stdBasis(xs, dt));
    // Each output leaf has shape out.shape + [N]: split N back into the input leaves.
    const [jLeaves, outTree] = tree.flatten(jacT);
    const shaped = tree.unflatten(
      outTree,
      jLeaves.map((j: Array) => {
        const perIn = unravelLast(j, xs);
        return single ? perIn[0] : tree.unflatten(inTree, perIn);
      }),
    );
    return opts.hasAux ? [shaped, aux()] : shaped;
  };
}

/** Split the last axis (of size sum of leaf sizes) into per-leaf blocks shaped like the leaves. */
function unravelLast(j: Array, leaves: Array[]): Array[] {
  const outShape = j.aval.shape.slice(0, -1);
  let off = 0;
  return leaves.map((l) => {
    const start = [...outShape.map(() => 0), off];
    const limit = [...outShape, off + l.size];
    off += l.size;
    return reshape(slice(j, start, limit), [...outShape, ...l.aval.shape]);
  });
}

/** jax.jacrev: Jacobian by reverse mode; same layout as jacfwd. */
export function jacrev(f: (...args: any[]) => any, opts: JacOptions = {}): (...args: any[]) => any {
  return (...args: any[]) => {
    const { xs, inTree, single, fFlat, aux } = flatInputs("jacrev", f, args, opts);
    const [y, pullback] = vjp(fFlat, ...xs);
    const [yLeaves, yTree] = tree.flatten(y);
    const ys = yLeaves.map((l) => l as Array);
    const basis = stdBasis(ys, floatDType("jacrev", ys));
    // Rows of the Jacobian: one pullback per output basis vector.
    const rows = vmap((...bs: Array[]) => pullback(tree.unflatten(yTree, bs)))(...basis) as Array[];
    // rows[i] has shape [M, ...in_i.shape]; split M into the output leaves.
    let off = 0;
    const perOut = ys.map((yl) => {
      const m = yl.size;
      const blocks = rows.map((r) => {
        const start = r.aval.shape.map((_, k) => (k === 0 ? off : 0));
        const limit = r.aval.shape.map((d, k) => (k === 0 ? off + m : d));
        return reshape(slice(r, start, limit), [...yl.aval.shape, ...r.aval.shape.slice(1)]);
      });
      off += m;
      return single ? blocks[0] : tree.unflatten(inTree, blocks);
    });
    const jac = tree.unflatten(yTree, perOut);
    return opts.hasAux ? [jac, aux()] : jac;
  };
}

/** jax.hessian = jacfwd(jacrev(f)). */
export function hessian(f: (...args: any[]) => any, opts: JacOptions = {}): (...args: any[]) => any {
  return jacfwd(jacrev(f, { argnums: opts.argnums }), { argnums: opts.argnums, hasAux: false });
}

/** jax.eval_shape: the output shapes/dtypes of f, computed without running it. */
export function evalShape(f: (...args: any[]) => any, ...args: unknown[]): any {
  const [leaves, inTree] = tree.flatten(args);
  const avals = leaves.map((x) => {
    if (x instanceof ShapeDtypeStruct) return new ShapedArray(x.shape, x.dtype, x.weakType);
    return asArray(x as ArrayInput).aval;
  });
  const { jaxpr, outTree } = traceToJaxpr((...xs) => f(...(tree.unflatten(inTree, xs) as unknown[])), avals);
  return tree.unflatten(
    outTree,
    jaxpr.outAvals.map((a) => new ShapeDtypeStruct(a.shape, a.dtype, a.weakType)),
  );
}

/**
 * jax.linear_transpose: for a linear f and example primals, a function mapping
 * output cotangents to input cotangents (a list, one per argument).
 */
export function linearTranspose(f: (...args: any[]) => any, ...primals: unknown[]): (ct: any) => any[] {
  const [leaves, inTree] = tree.flatten(primals);
  const avals = leaves.map((x) =>
    x instanceof ShapeDtypeStruct ? new ShapedArray(x.shape, x.dtype, x.weakType) : asArray(x as ArrayInput).aval,
  );
  const staged = stageFlat((...xs) => f(...(tree.unflatten(inTree, xs) as unknown[])), avals);
  const nConsts = staged.consts.length;
  return (ct: any) => {
    const [ctLeaves, ctTree] = tree.flatten(ct);
    if (!ctTree.equals(staged.outTree)) {
      throw new TypeError(`[linearTranspose] cotangent must have the output's structure ${staged.outTree}, got ${ctTree}`);
    }
    const args = [...staged.consts, ...avals.map((a) => new UndefPrimal(a))];
    const cts = backwardPass(staged.jaxpr, [], args, ctLeaves.map((c) => asArray(c as ArrayInput)));
    return tree.unflatten(
      inTree,
      cts.slice(nConsts).map((c, i) => c ?? zerosLike(avals[i]!)),
    ) as any[];
  };
}
