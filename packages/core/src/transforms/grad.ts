// grad and valueAndGrad (JAX signatures, options object for argnums/hasAux).
import { Array, asArray, scalar, type ArrayInput } from "../array.js";
import * as tree from "../tree.js";
import { vjpFlat } from "./transpose.js";

export interface GradOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
  /** f returns `[output, aux]`; aux is passed through un-differentiated. */
  hasAux?: boolean;
}

function fnName(f: Function): string {
  return f.name || "<anonymous>";
}

/** jax.value_and_grad: returns `[value, grads]` (or `[[value, aux], grads]` with hasAux). */
export function valueAndGrad(f: (...args: any[]) => any, opts: GradOptions = {}): (...args: any[]) => [any, any] {
  const argnums = opts.argnums ?? 0;
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  const name = fnName(f);
  return (...args: any[]) => {
    for (const k of nums) {
      if (!Number.isInteger(k) || k < 0 || k >= args.length) {
        throw new RangeError(`[grad] argnums ${JSON.stringify(argnums)} out of range for ${name} called with ${args.length} positional arguments`);
      }
    }
    const diffArgs = nums.map((k) => args[k]);
    const [leaves, inTree] = tree.flatten(diffArgs);
    const primals = leaves.map((x, i) => {
      if (!(x instanceof Array) && typeof x !== "number") {
        throw new TypeError(`[grad] differentiated arguments of ${name} must be Arrays or numbers; leaf ${i} is ${typeof x}`);
      }
      const a = asArray(x as ArrayInput);
      if (a.dtype.kind !== "f") {
        throw new TypeError(
          `[grad] requires real-valued (floating-point) inputs; ${name} argument leaf ${i} has dtype ${a.dtype.name}. ` +
            `Use float inputs, or mark integer arguments non-differentiated with argnums.`,
        );
      }
      return a;
    });
    // With hasAux, aux is returned through the transformation as extra outputs
    // (with zero cotangents), so what the caller gets are plain values, not tracers.
    const fFlat = (...xs: Array[]) => {
      const parts = tree.unflatten(inTree, xs) as unknown[];
      const full = [...args];
      nums.forEach((k, i) => (full[k] = parts[i]));
      const out = f(...full);
      if (!opts.hasAux) return out;
      if (!globalThis.Array.isArray(out) || out.length !== 2) {
        throw new TypeError(`[grad] with hasAux, ${name} must return a pair [output, aux]`);
      }
      return [out[0], out[1]];
    };
    const { primalsOut, outTree, pullback } = vjpFlat(fFlat, primals);
    let out: Array;
    let aux: unknown;
    if (opts.hasAux) {
      const [o, a] = tree.unflatten(outTree, primalsOut) as [unknown, unknown];
      if (!(o instanceof Array)) throw new TypeError(`[grad] ${name} must return a single scalar array as its output, got a tree`);
      out = o;
      aux = a;
    } else {
      if (primalsOut.length !== 1 || !tree.treedefIsStrictLeaf(outTree)) {
        throw new TypeError(`[grad] ${name} must return a single scalar array, got a tree ${outTree}`);
      }
      out = primalsOut[0]!;
    }
    if (out.ndim !== 0) {
      throw new TypeError(`[grad] requires a scalar output; ${name} returned ${out.aval.strShort()}. Use vjp or jacrev for non-scalar outputs.`);
    }
    if (out.dtype.kind !== "f") {
      throw new TypeError(`[grad] requires a real-valued (floating-point) output; ${name} returned ${out.aval.strShort()}`);
    }
    // The output is the first flat leaf; aux leaves get zero (null) cotangents.
    const cts = primalsOut.map((_, i) => (i === 0 ? scalar(1, out.dtype, false) : null));
    const grads = tree.unflatten(inTree, pullback(cts)) as unknown[];
    const g = typeof argnums === "number" ? grads[0] : grads;
    return [opts.hasAux ? [out, aux] : out, g];
  };
}

/** jax.grad: the gradient of a scalar function (with `[grads, aux]` when hasAux). */
export function grad(f: (...args: any[]) => any, opts: GradOptions = {}): (...args: any[]) => any {
  const vg = valueAndGrad(f, opts);
  return (...args: any[]) => {
    const [v, g] = vg(...args);
    return opts.hasAux ? [g, (v as [unknown, unknown])[1]] : g;
  };
}
