// jnp.vectorize (jax/_src/numpy/vectorize.py): a function of core-shaped
// arguments broadcast over leading ("loop") dimensions with vmap, optionally
// following a generalized-ufunc signature such as "(m,n),(n)->(m)".
import { Array, vmap } from "@jaxts/core";
import { asarray } from "./creation.js";
import { expandDims, squeeze } from "./manipulation.js";
import { broadcastShapesOf } from "./shape_util.js";

type CoreDims = readonly string[];

const DIMENSION_NAME = String.raw`\w+`;
const CORE_DIMENSION_LIST = `(?:${DIMENSION_NAME}(?:,${DIMENSION_NAME})*)?`;
const ARGUMENT = String.raw`\(${CORE_DIMENSION_LIST}\)`;
const ARGUMENT_LIST = `${ARGUMENT}(?:,${ARGUMENT})*`;
const SIGNATURE = new RegExp(`^${ARGUMENT_LIST}->${ARGUMENT_LIST}$`);

/** Parse a gufunc signature into the core dimensions of each input and output. */
function parseSignature(signature: string): [CoreDims[], CoreDims[]] {
  if (!SIGNATURE.test(signature)) throw new TypeError(`[vectorize] not a valid gufunc signature: ${signature}`);
  const [ins, outs] = signature.split("->").map((list) =>
    [...list!.matchAll(new RegExp(ARGUMENT, "g"))].map((m) => [...m[0].matchAll(new RegExp(DIMENSION_NAME, "g"))].map((d) => d[0])),
  );
  return [ins!, outs!];
}

/** Python's repr of a shape tuple and of a tuple of dimension names, as JAX's messages show them. */
const pyShape = (s: readonly number[]): string => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;
const pyDims = (d: CoreDims): string => `(${d.map((x) => `'${x}'`).join(", ")}${d.length === 1 ? "," : ""})`;

function updateDimSizes(sizes: Map<string, number>, shape: readonly number[], coreDims: CoreDims, context: string, isInput: boolean): void {
  const k = coreDims.length;
  if (isInput) {
    if (shape.length < k) {
      throw new TypeError(`[vectorize] input with shape ${pyShape(shape)} does not have enough dimensions for all core dimensions ${pyDims(coreDims)} ${context}`);
    }
  } else if (shape.length !== k) {
    throw new TypeError(`[vectorize] output shape ${pyShape(shape)} does not match core dimensions ${pyDims(coreDims)} ${context}`);
  }
  const core = k ? shape.slice(shape.length - k) : [];
  coreDims.forEach((dim, i) => {
    const size = core[i]!;
    const prev = sizes.get(dim);
    if (prev === undefined) sizes.set(dim, size);
    else if (prev !== size) throw new TypeError(`[vectorize] inconsistent size for core dimension '${dim}': ${size} vs ${prev} ${context}`);
  });
}

export interface VectorizeOptions {
  /** positions of arguments passed through unchanged (not vectorized); null/undefined arguments are excluded too */
  excluded?: Iterable<number>;
  /** a generalized ufunc signature, e.g. "(n),(n)->()" or "(m,n)->(n),(m)"; default: every argument is a scalar */
  signature?: string | null;
}

type Out = Array | readonly Array[];

/**
 * jnp.vectorize(pyfunc, {excluded, signature}): call `pyfunc` on the core
 * dimensions of its arguments and broadcast over the leading ones with vmap
 * (size-1 loop dimensions are not materialized). Several outputs come back as
 * an array (JAX's tuple).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function vectorize<F extends (...args: any[]) => any>(pyfunc: F, opts: VectorizeOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  const excludedList = [...(opts.excluded ?? [])] as unknown[];
  if (excludedList.some((e) => typeof e !== "number" || !Number.isInteger(e))) {
    throw new TypeError(`[vectorize] can only exclude integer arguments, but excluded=${JSON.stringify(excludedList)}`);
  }
  if ((excludedList as number[]).some((e) => e < 0)) throw new RangeError(`[vectorize] excluded=${JSON.stringify(excludedList)} contains negative numbers`);
  const excluded = new Set(excludedList as number[]);
  const signature = opts.signature ?? null;
  const parsed = signature === null ? null : parseSignature(signature);
  const context = `on vectorized function with excluded=${JSON.stringify([...excluded].sort((a, b) => a - b))} and signature=${signature === null ? "None" : `'${signature}'`}`;
  const name = pyfunc.name || "<anonymous>";

  const wrapped = (...allArgs: unknown[]): unknown => {
    // Excluded positions and null/undefined arguments are closed over; the rest are vectorized.
    const dynamicIdx = allArgs.map((_, i) => i).filter((i) => !excluded.has(i));
    let inputCoreDims: CoreDims[];
    let outputCoreDims: CoreDims[] | null;
    if (parsed) [inputCoreDims, outputCoreDims] = parsed;
    else [inputCoreDims, outputCoreDims] = [dynamicIdx.map(() => []), null];
    const noneAt = dynamicIdx.map((i, k) => [i, k] as const).filter(([i]) => allArgs[i] === null || allArgs[i] === undefined);
    if (noneAt.length) {
      if (noneAt.some(([, k]) => (inputCoreDims[k] ?? []).length !== 0)) {
        throw new TypeError(`[vectorize] cannot pass null at positions {${noneAt.map(([, k]) => k).join(", ")}} with signature='${signature}'`);
      }
      const drop = new Set(noneAt.map(([, k]) => k));
      inputCoreDims = inputCoreDims.filter((_, k) => !drop.has(k));
    }
    const vecIdx = dynamicIdx.filter((i) => allArgs[i] !== null && allArgs[i] !== undefined);
    if (vecIdx.length !== inputCoreDims.length) {
      throw new TypeError(`[vectorize] wrong number of positional arguments: expected ${inputCoreDims.length}, got ${vecIdx.length} ${context}`);
    }
    const args = vecIdx.map((i) => asarray(allArgs[i] as Parameters<typeof asarray>[0]));

    // Loop shapes and core sizes.
    const dimSizes = new Map<string, number>();
    const loopShapes = args.map((a, k) => {
      updateDimSizes(dimSizes, a.shape, inputCoreDims[k]!, context, true);
      return a.shape.slice(0, a.ndim - inputCoreDims[k]!.length);
    });
    const broadcastShape = broadcastShapesOf("vectorize", ...loopShapes);

    const call = (...vs: Array[]): Out => {
      const full = allArgs.slice();
      vecIdx.forEach((i, k) => (full[i] = vs[k]));
      const out = pyfunc(...full) as Out;
      if (outputCoreDims !== null) {
        const isTuple = globalThis.Array.isArray(out);
        if (outputCoreDims.length > 1 && !isTuple) {
          throw new TypeError(`[vectorize] output must be a tuple (an array) when multiple outputs are expected, got: ${out instanceof Array ? out.aval.strShort() : String(out)}\n${context}`);
        }
        const outs = (isTuple ? out : [out]) as readonly unknown[];
        if (outs.length !== outputCoreDims.length) {
          throw new TypeError(`[vectorize] wrong number of output arguments: expected ${outputCoreDims.length}, got ${outs.length} ${context}`);
        }
        const sizes = new Map(dimSizes);
        outs.forEach((o, k) => updateDimSizes(sizes, o instanceof Array ? o.shape : asarray(o as number).shape, outputCoreDims![k]!, context, false));
      }
      return out;
    };

    // vmap over each loop dimension some argument actually has (size > 1), innermost first;
    // dimensions where every argument has size 1 are expanded afterwards.
    const squeezed: Array[] = [];
    const revFilled: number[][] = [];
    args.forEach((a, k) => {
      const loop = loopShapes[k]!;
      const filled = [...new globalThis.Array<number>(broadcastShape.length - loop.length).fill(1), ...loop];
      revFilled.push(filled.reverse());
      const sq = loop.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0);
      squeezed.push(sq.length ? squeeze(a, sq) : a);
    });
    let f: (...vs: Array[]) => Out = call;
    const dimsToExpand: number[] = [];
    for (let negdim = 0; negdim < broadcastShape.length; negdim++) {
      const inAxes = revFilled.map((s) => (s[negdim] === 1 ? null : 0));
      if (inAxes.every((a) => a === null)) dimsToExpand.push(broadcastShape.length - 1 - negdim);
      else f = vmap(f, { inAxes }) as (...vs: Array[]) => Out;
    }
    const result = f(...squeezed);
    if (!dimsToExpand.length) return result;
    const expand = (r: unknown) => expandDims(r as Array, dimsToExpand);
    return globalThis.Array.isArray(result) ? (result as readonly Array[]).map(expand) : expand(result);
  };
  Object.defineProperty(wrapped, "name", { value: name });
  return wrapped as (...args: Parameters<F>) => ReturnType<F>;
}
