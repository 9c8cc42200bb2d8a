// The Optax contract (optax/_src/base.py): a gradient transformation is a pair
// of pure functions over PyTrees. `init(params)` builds the state; `update(updates,
// state, params?)` returns the transformed updates and the next state. States are
// plain data (objects, JS arrays, Arrays, and the empty `MaskedNode`), so `jit`,
// `vmap` and the `tree` functions see through them, and a whole training step
// jits as one program.
import { Array, asArray, int32, lax, scalar, tree, type ArrayInput } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";

// A PyTree of arrays (params, gradients, updates, states). `any` on purpose: the
// library cannot name the user's tree types, and callers annotate their own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PyTree = any;
export type Params = PyTree;
export type Updates = PyTree;
export type OptState = PyTree;

/** A schedule maps an int32 step count (Array or number) to a scalar; it must be jittable. */
export type Schedule = (count: ArrayInput) => Array;
/** A hyperparameter that is a number, a scalar Array (e.g. from `injectHyperparams`), or a schedule. */
export type ScalarOrSchedule = number | Array | Schedule;
/** A hyperparameter that is a number or a scalar Array. */
export type Scalar = number | Array;

export interface GradientTransformation<S = OptState> {
  init(params: Params): S;
  /** `extraArgs`: Optax's extra args (`{ value, grad, valueFn }`) for transformations that need the objective (line searches); others ignore it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update(updates: Updates, state: S, params?: Params, extraArgs?: any): [Updates, S];
}

/** The state of stateless transformations (Optax's `EmptyState`). */
export type EmptyState = Record<string, never>;
export const emptyState = (): EmptyState => ({});

/** Optax's `NO_PARAMS_MSG`, prefixed by the transformation's name. */
export function requireParams(name: string, params: Params | undefined): Params {
  if (params === undefined || params === null) {
    throw new TypeError(`[${name}] you are using a transformation that requires the current value of parameters, but you are not passing \`params\` when calling \`update\``);
  }
  return params;
}

/** Leaves pass through unchanged; the state is empty. */
export function identity(): GradientTransformation<EmptyState> {
  return {
    init: () => emptyState(),
    update: (updates, state) => [updates, state],
  };
}

/** A stateless transformation from a function of (updates, params). */
export function statelessWithTreeMap(name: string, f: (update: Array, param?: Array) => Array, needsParams = false): GradientTransformation<EmptyState> {
  return {
    init: () => emptyState(),
    update: (updates, state, params) => {
      if (needsParams) return [tree.map(f, updates, requireParams(name, params)), state];
      return [tree.map((u: Array) => f(u), updates), state];
    },
  };
}

/** Applies the transformations in order; the state is the JS array of their states. */
export function chain(...transforms: GradientTransformation[]): GradientTransformation<OptState[]> {
  transforms.forEach((t, i) => {
    if (t === null || typeof t !== "object" || typeof t.init !== "function" || typeof t.update !== "function") {
      throw new TypeError(`[chain] argument ${i} is not a GradientTransformation (an object with init and update)`);
    }
  });
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update: (updates, state, params, extraArgs) => {
      if (!globalThis.Array.isArray(state) || state.length !== transforms.length) {
        throw new TypeError(`[chain] expected a state of ${transforms.length} inner states, got ${describe(state)}`);
      }
      const newState: OptState[] = [];
      let u = updates;
      transforms.forEach((t, i) => {
        const [nu, ns] = t.update(u, state[i], params, extraArgs);
        u = nu;
        newState.push(ns);
      });
      return [u, newState];
    },
  };
}

/** `params + updates`, each result cast back to its parameter's dtype (Optax's `apply_updates`). */
export function applyUpdates(params: Params, updates: Updates): Params {
  const [pLeaves, pDef] = tree.flatten(params);
  const [uLeaves, uDef] = tree.flatten(updates);
  if (!pDef.equals(uDef)) {
    throw new TypeError(`[applyUpdates] params and updates have different tree structures: ${pDef} vs ${uDef}`);
  }
  const out = pLeaves.map((p: ArrayInput, i: number) => {
    const pa = asArray(p);
    const u = asArray(uLeaves[i]);
    if (u.ndim > pa.ndim || !u.shape.every((d, k) => d === pa.shape[pa.ndim - u.ndim + k] || d === 1)) {
      throw new TypeError(`[applyUpdates] update of shape [${u.shape}] does not fit parameter of shape [${pa.shape}] at leaf ${i}`);
    }
    return pa.add(u).astype(pa.dtype);
  });
  return tree.unflatten(pDef, out);
}

/** `count + 1`, saturating at the dtype's maximum instead of wrapping (Optax's `safe_increment`). */
export function safeIncrement(count: Array): Array {
  const max = count.dtype.kind === "f" ? Number.MAX_VALUE : 2147483647;
  const c = count.dtype === int32 || count.dtype.kind === "f" ? count : count.astype(int32);
  return jnp.where(c.lt(scalar(max, c.dtype, false)), c.add(scalar(1, c.dtype, false)), scalar(max, c.dtype, false));
}

/** A fresh int32 step counter. */
export const zeroCount = (): Array => jnp.zeros([], { dtype: int32 });

/** Per-leaf helpers over trees (optax.tree). */
export const treeUtils = {
  zerosLike(t: PyTree, dtype?: string | null): PyTree {
    return tree.map((x: Array) => jnp.zerosLike(x, dtype ? { dtype } : undefined), t);
  },
  fullLike(t: PyTree, value: Scalar, dtype?: string | null): PyTree {
    return tree.map((x: Array) => jnp.fullLike(x, value, dtype ? { dtype } : undefined), t);
  },
  cast(t: PyTree, dtype?: string | null): PyTree {
    return dtype ? tree.map((x: Array) => x.astype(dtype), t) : t;
  },
  castLike(t: PyTree, like: PyTree): PyTree {
    return tree.map((x: Array, l: Array) => x.astype(l.dtype), t, like);
  },
  /** `(1 - decay) * g**order + decay * t`. */
  updateMoment(updates: PyTree, moments: PyTree, decay: Scalar, order: number): PyTree {
    return tree.map((g: Array, t: Array) => powOrder(g, order).mul(oneMinus(decay)).add(t.mul(decay)), updates, moments);
  },
  /** `max(|g| + eps, decay * t)`. */
  updateInfinityMoment(updates: PyTree, moments: PyTree, decay: Scalar, eps: Scalar): PyTree {
    return tree.map((g: Array, t: Array) => jnp.maximum(g.abs().add(eps), t.mul(decay)), updates, moments);
  },
  /** `moment / (1 - decay**count)`, the power taken in the moment's dtype. */
  biasCorrection(moment: PyTree, decay: Scalar, count: Array): PyTree {
    return tree.map((t: Array) => t.div(biasCorrectionFactor(decay, count, t)), moment);
  },
  /** The L2 norm of all leaves together. */
  norm(t: PyTree): Array {
    const leaves = tree.leaves(t) as Array[];
    if (leaves.length === 0) return jnp.zeros([]);
    let total: Array | null = null;
    for (const x of leaves) {
      const s = asArray(x).mul(asArray(x)).sum();
      total = total === null ? s : total.add(s.astype(total.dtype));
    }
    return lax.sqrt(total!);
  },
};

function powOrder(g: Array, order: number): Array {
  if (order === 1) return g;
  if (order === 2) return g.mul(g);
  return g.pow(order);
}

/** `1 - s` keeping a number a number (a weak scalar) and an Array an Array. */
export function oneMinus(s: Scalar): Scalar {
  return typeof s === "number" ? 1 - s : asArray(1).sub(s);
}

/** `1 - decay**count` in `like`'s dtype (Optax computes it at the count's float dtype, then casts). */
export function biasCorrectionFactor(decay: Scalar, count: Array, like: Array): Array {
  const d = castScalarTo(decay, like);
  return scalar(1, like.dtype, false).sub(lax.pow(d, count.astype(like.dtype)));
}

/** A number or scalar Array in `like`'s dtype; numbers are converted exactly (not through float32). */
export function castScalarTo(s: Scalar, like: Array): Array {
  return typeof s === "number" ? scalar(s, like.dtype, false) : s.astype(like.dtype);
}

export function describe(x: unknown): string {
  if (x instanceof Array) return `${x.dtype.name}[${x.shape}]`;
  if (globalThis.Array.isArray(x)) return `an array of length ${x.length}`;
  if (x === null) return "null";
  if (typeof x === "object") return `an object with keys {${Object.keys(x as object).join(", ")}}`;
  return typeof x;
}

/** Evaluates a ScalarOrSchedule at a count. */
export function evalScalar(s: ScalarOrSchedule, count: Array): Scalar {
  return typeof s === "function" ? s(count) : s;
}
