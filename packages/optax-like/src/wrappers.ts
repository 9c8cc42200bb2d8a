// Wrappers and combinators (optax/transforms/_masking.py, _combining.py,
// _accumulation.py, _conditionality.py, optax/schedules/_inject.py).
import { Array, asArray, bool, int32, lax, scalar, tree } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import {
  type GradientTransformation,
  type OptState,
  type Params,
  type PyTree,
  type Schedule,
  describe,
  safeIncrement,
  treeUtils as tu,
  zeroCount,
} from "./base.js";

/**
 * Stands in for a masked-out subtree: a PyTree node with no children, so inner
 * transformations (and `tree.map`) never see the leaves it replaces.
 */
export class MaskedNode {
  toString(): string {
    return "MaskedNode";
  }
}
tree.registerPytreeNode(
  MaskedNode,
  () => [[], null],
  () => new MaskedNode(),
);

/** A tree of booleans (a prefix of the params tree), one boolean for all, or a function of the params/updates. */
export type Mask = boolean | PyTree | ((params: Params) => PyTree);

export interface MaskedState {
  innerState: OptState;
}

function maskTreeOf(name: string, mask: Mask, t: PyTree): PyTree {
  const m = typeof mask === "function" ? mask(t) : mask;
  for (const leaf of tree.leaves(m)) {
    if (typeof leaf !== "boolean") throw new TypeError(`[${name}] mask leaves must be booleans, got ${describe(leaf)}`);
  }
  return m;
}

const maskPytree = (t: PyTree, maskTree: PyTree): PyTree => tree.map((m: boolean, p: unknown) => (m ? p : new MaskedNode()), maskTree, t);

/** Applies `inner` only where `mask` is true; other updates pass through unchanged. State `{innerState}`. */
export function masked(inner: GradientTransformation, mask: Mask): GradientTransformation<MaskedState> {
  return {
    init: (params) => ({ innerState: inner.init(maskPytree(params, maskTreeOf("masked", mask, params))) }),
    update: (updates, state, params) => {
      const m = maskTreeOf("masked", mask, updates);
      const maskedParams = params === undefined || params === null ? undefined : maskPytree(params, m);
      const [newMasked, innerState] = inner.update(maskPytree(updates, m), state.innerState, maskedParams);
      const out = tree.map((keep: boolean, newU: unknown, oldU: unknown) => (keep ? newU : oldU), m, newMasked, updates);
      return [out, { innerState }];
    },
  };
}

export interface MultiTransformState {
  innerStates: Record<string, MaskedState>;
}

/**
 * Applies a different transformation to each group of parameters: `paramLabels`
 * is a tree of labels matching the params (or a function of them), and
 * `transforms[label]` handles the leaves with that label (Optax's `multi_transform`).
 */
export function multiTransform(
  transforms: Record<string, GradientTransformation>,
  paramLabels: PyTree | ((params: Params) => PyTree),
): GradientTransformation<MultiTransformState> {
  const labelsOf = (t: PyTree): PyTree => (typeof paramLabels === "function" ? paramLabels(t) : paramLabels);
  const maskFor = (labels: PyTree, group: string): PyTree => tree.map((l: unknown) => l === group, labels);
  const groups = Object.keys(transforms);
  return {
    init: (params) => {
      const labels = labelsOf(params);
      const missing = [...new Set(tree.leaves(labels).map(String))].filter((l) => !(l in transforms));
      if (missing.length > 0) {
        throw new TypeError(`[multiTransform] some parameters have labels with no transformation: ${missing.join(", ")} (transforms: ${groups.join(", ")})`);
      }
      const innerStates: Record<string, MaskedState> = {};
      for (const g of groups) innerStates[g] = masked(transforms[g]!, maskFor(labels, g)).init(params);
      return { innerStates };
    },
    update: (updates, state, params) => {
      const labels = labelsOf(updates);
      const innerStates: Record<string, MaskedState> = {};
      let u = updates;
      for (const g of groups) {
        [u, innerStates[g]] = masked(transforms[g]!, maskFor(labels, g)).update(u, state.innerStates[g], params);
      }
      return [u, { innerStates }];
    },
  };
}

/** Optax's `partition`, the same as `multiTransform`. */
export const partition = multiTransform;

/** Sets every update to zero (e.g. to freeze a group in `multiTransform`). */
export function setToZero(): GradientTransformation<Record<string, never>> {
  return { init: () => ({}), update: (updates, state) => [tu.zerosLike(updates), state] };
}

export interface InjectHyperparamsState {
  count: Array;
  hyperparams: Record<string, Array>;
  innerState: OptState;
}

export type Hyperparam = number | Array | Schedule | boolean | string | null | undefined | object;

/** What the factory receives: numbers and schedules arrive as scalar Arrays, the rest as given. */
export type InjectedHyperparams<H> = { [K in keyof H]: H[K] extends number | Array | Schedule ? Array : H[K] };

/**
 * Moves numeric hyperparameters into the optimizer state so they can be read
 * and changed between steps (and schedules evaluated at the step count) with no
 * retracing: `injectHyperparams((hp) => adam(hp.learningRate), { learningRate: 1e-3 })`.
 * Numbers and Arrays become Arrays of the params' float dtype in `state.hyperparams`;
 * functions are schedules, evaluated at `count` on every update; booleans,
 * strings and names in `staticArgs` are passed as given.
 */
export function injectHyperparams<H extends Record<string, Hyperparam>>(
  innerFactory: (hyperparams: InjectedHyperparams<H>) => GradientTransformation,
  hyperparams: H,
  opts: { staticArgs?: readonly string[]; hyperparamDtype?: string | null } = {},
): GradientTransformation<InjectHyperparamsState> {
  const statics = new Set(opts.staticArgs ?? []);
  const schedules: Record<string, Schedule> = {};
  const numeric: Record<string, number | Array> = {};
  const other: Record<string, Hyperparam> = {};
  for (const [k, v] of Object.entries(hyperparams)) {
    if (statics.has(k) || typeof v === "boolean") other[k] = v;
    else if (typeof v === "function") schedules[k] = v as Schedule;
    else if (typeof v === "number" || v instanceof Array) numeric[k] = v;
    else other[k] = v;
  }
  const dtypeOf = (t: PyTree): string | null => {
    if (opts.hyperparamDtype) return opts.hyperparamDtype;
    const first = tree.leaves(t)[0];
    return first instanceof Array ? first.dtype.name : null;
  };
  const convert = (v: number | Array, dtype: string | null): Array => {
    if (typeof v === "number" && dtype !== null && /float/.test(dtype)) return jnp.asarray(v, { dtype });
    const a = asArray(v);
    return dtype !== null && a.dtype.kind === "f" && /float/.test(dtype) ? a.astype(dtype) : a;
  };
  const scheduled = (count: Array, dtype: string | null): Record<string, Array> =>
    Object.fromEntries(Object.entries(schedules).map(([k, f]) => [k, convert(asArray(f(count)), dtype)]));
  const build = (hp: Record<string, Array>) => innerFactory({ ...other, ...hp } as InjectedHyperparams<H>);
  return {
    init: (params) => {
      const count = zeroCount();
      const dtype = dtypeOf(params);
      const hp: Record<string, Array> = {};
      for (const [k, v] of Object.entries(numeric)) hp[k] = convert(v, dtype);
      Object.assign(hp, scheduled(count, dtype));
      return { count, hyperparams: hp, innerState: build(hp).init(params) };
    },
    update: (updates, state, params) => {
      const dtype = dtypeOf(updates);
      const hp: Record<string, Array> = {};
      for (const [k, v] of Object.entries(state.hyperparams)) hp[k] = convert(v, dtype);
      Object.assign(hp, scheduled(state.count, dtype));
      const [out, innerState] = build(hp).update(updates, state.innerState, params);
      return [out, { count: safeIncrement(state.count), hyperparams: hp, innerState }];
    },
  };
}

export interface MultiStepsState {
  miniStep: Array;
  gradientStep: Array;
  innerOptState: OptState;
  accGrads: PyTree;
}

/**
 * Gradient accumulation (Optax's `MultiSteps`): accumulates `everyK` gradients
 * (their mean by default) and applies `opt` once; the other steps return zero
 * updates. Selection by `where`, so it jits with no host round trip.
 */
export function multiSteps(
  opt: GradientTransformation,
  everyKSchedule: number | ((gradientStep: Array) => Array | number),
  opts: { useGradMean?: boolean } = {},
): GradientTransformation<MultiStepsState> {
  const useGradMean = opts.useGradMean ?? true;
  const kOf = (step: Array): Array => asArray(typeof everyKSchedule === "function" ? everyKSchedule(step) : everyKSchedule).astype(int32);
  return {
    init: (params) => ({ miniStep: zeroCount(), gradientStep: zeroCount(), innerOptState: opt.init(params), accGrads: tu.zerosLike(params) }),
    update: (updates, state, params) => {
      const k = kOf(state.gradientStep);
      const n = state.miniStep;
      const accGrads = tree.map(
        (g: Array, acc: Array) => (useGradMean ? acc.add(g.sub(acc).div(n.add(1).astype(acc.dtype))) : acc.add(g)),
        updates,
        state.accGrads,
      );
      const [finalUpdates, newInner] = opt.update(accGrads, state.innerOptState, params);
      const emit = n.eq(k.sub(1));
      const sel = (a: Array, b: Array) => jnp.where(emit, a, b).astype(b.dtype);
      return [
        tree.map((u: Array) => jnp.where(emit, u, jnp.zerosLike(u)), finalUpdates),
        {
          miniStep: lax.rem(safeIncrement(n), k),
          gradientStep: sel(safeIncrement(state.gradientStep), state.gradientStep),
          innerOptState: tree.map((nst: Array, st: Array) => sel(asArray(nst), asArray(st)), newInner, state.innerOptState),
          accGrads: tree.map((a: Array) => jnp.where(emit, jnp.zerosLike(a), a), accGrads),
        },
      ];
    },
  };
}

export interface ApplyIfFiniteState {
  notfiniteCount: Array;
  lastFinite: Array;
  totalNotfinite: Array;
  innerState: OptState;
}

/**
 * Applies `inner` only when every update is finite; otherwise returns zero
 * updates and keeps the inner state, unless more than `maxConsecutiveErrors`
 * non-finite steps happened in a row (Optax's `apply_if_finite`).
 */
export function applyIfFinite(inner: GradientTransformation, maxConsecutiveErrors: number): GradientTransformation<ApplyIfFiniteState> {
  return {
    init: (params) => ({
      notfiniteCount: zeroCount(),
      lastFinite: scalar(true, bool, false),
      totalNotfinite: zeroCount(),
      innerState: inner.init(params),
    }),
    update: (updates, state, params) => {
      let isFinite: Array = scalar(true, bool, false);
      for (const leaf of tree.leaves(updates) as Array[]) isFinite = jnp.logicalAnd(isFinite, jnp.all(jnp.isfinite(leaf)));
      const notfiniteCount = jnp.where(isFinite, zeroCount(), safeIncrement(state.notfiniteCount));
      const apply = jnp.logicalOr(isFinite, notfiniteCount.gt(maxConsecutiveErrors));
      const [newUpdates, newInner] = inner.update(updates, state.innerState, params);
      return [
        tree.map((u: Array) => jnp.where(apply, u, jnp.zerosLike(u)), newUpdates),
        {
          notfiniteCount,
          lastFinite: isFinite,
          totalNotfinite: jnp.where(isFinite, state.totalNotfinite, safeIncrement(state.totalNotfinite)),
          innerState: tree.map((n: Array, o: Array) => jnp.where(apply, n, o).astype(o.dtype), newInner, state.innerState),
        },
      ];
    },
  };
}
