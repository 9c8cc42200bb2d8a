// L-BFGS (optax/_src/transform.py `scale_by_lbfgs`, alias.py `lbfgs`) and the
// backtracking (Armijo) line search (optax/_src/linesearch.py
// `scale_by_backtracking_linesearch`, `value_and_grad_from_state`).
//
// Transformations that need the objective take Optax's extra args as a 4th
// argument of `update`: `update(updates, state, params, { value, grad, valueFn })`
// (Optax's GradientTransformationExtraArgs); `chain` forwards it to every link.
// The memory of (s, y) pairs is stacked arrays with a circular index and the line
// search is a `lax.whileLoop`, so a whole L-BFGS step jits with no host round trip.
import { Array, asArray, grad as gradFn, int32, lax, scalar, tree, valueAndGrad } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { type GradientTransformation, type Params, type PyTree, type ScalarOrSchedule, chain, describe, identity, requireParams, safeIncrement, zeroCount } from "./base.js";
import { scale, scaleByLearningRate } from "./transforms.js";

/** Optax's extra args for `update` (value at `params`, gradient at `params`, and the objective). */
export interface ExtraArgs {
  value?: Array;
  grad?: PyTree;
  valueFn?: (params: Params) => Array;
}

function leavesOf(t: PyTree): Array[] {
  return (tree.leaves(t) as unknown[]).map((x) => asArray(x as Array));
}

/** `sum_i <a_i, b_i>` over all leaves (real), in the first leaf's dtype. */
function treeVdot(a: PyTree, b: PyTree): Array {
  const la = leavesOf(a);
  const lb = leavesOf(b);
  let total: Array | null = null;
  la.forEach((x, i) => {
    const s = x.mul(lb[i]!).sum();
    total = total === null ? s : total.add(s.astype(total.dtype));
  });
  return total ?? jnp.zeros([]);
}

const treeAddScale = (a: PyTree, s: Array, b: PyTree): PyTree => tree.map((x: Array, y: Array) => x.add(y.mul(s.astype(y.dtype))).astype(x.dtype), a, b);
const treeScale = (s: Array, a: PyTree): PyTree => tree.map((x: Array) => x.mul(s.astype(x.dtype)), a);
const treeSub = (a: PyTree, b: PyTree): PyTree => tree.map((x: Array, y: Array) => x.sub(y), a, b);

function floatDtypeOf(params: PyTree, name: string) {
  const leaves = leavesOf(params);
  if (leaves.length === 0) throw new TypeError(`[${name}] params have no leaves`);
  const d = leaves[0]!.dtype;
  return d.kind === "f" ? d : jnp.zeros([]).dtype;
}

// ---------------------------------------------------------------------------
// scaleByLbfgs

export interface ScaleByLbfgsState {
  count: Array;
  params: Params;
  updates: PyTree;
  /** Each leaf stacked `[memorySize, ...leaf.shape]`: past `params_{k+1} - params_k`. */
  diffParamsMemory: PyTree;
  /** Each leaf stacked `[memorySize, ...leaf.shape]`: past `updates_{k+1} - updates_k`. */
  diffUpdatesMemory: PyTree;
  /** `[memorySize]`: `1 / <s, y>` (0 for empty slots). */
  weightsMemory: Array;
}

/**
 * Two-loop recursion (Nocedal & Wright, Alg. 7.4): `P_k u` from the memory, oldest
 * entry at `memoryIdx`, newest at `memoryIdx - 1`; empty slots have weight 0.
 */
function preconditionByLbfgs(updates: PyTree, dParams: PyTree, dUpdates: PyTree, rhos: Array, identityScale: Array, memoryIdx: Array): PyTree {
  const m = rhos.shape[0]!;
  const indices = jnp.arange(m).astype(memoryIdx.dtype).add(memoryIdx).mod(scalar(m, memoryIdx.dtype, false));
  const at = (t: PyTree, idx: Array): PyTree => tree.map((x: Array) => lax.dynamicIndexInDim(x, idx, 0, false), t);
  const [q, alphas] = lax.scan(
    (vec: PyTree, idx: Array) => {
      const alpha = lax.dynamicIndexInDim(rhos, idx, 0, false).mul(treeVdot(at(dParams, idx), vec));
      return [treeAddScale(vec, alpha.neg(), at(dUpdates, idx)), alpha] as const;
    },
    updates,
    indices,
    { reverse: true },
  );
  const r0 = treeScale(identityScale, q);
  const [r] = lax.scan(
    (vec: PyTree, [idx, alpha]: [Array, Array]) => {
      const beta = lax.dynamicIndexInDim(rhos, idx, 0, false).mul(treeVdot(at(dUpdates, idx), vec));
      return [treeAddScale(vec, alpha.sub(beta), at(dParams, idx)), beta] as const;
    },
    r0,
    [indices, alphas],
  );
  return r;
}

/**
 * L-BFGS preconditioning (Optax `scale_by_lbfgs`): returns `P_k u_k` (not negated).
 * With `scaleInitPrecond`, `gamma_k = <s,y>/<y,y>` of the newest pair, and
 * `min(1, 1/|u_0|)` at the first step.
 */
export function scaleByLbfgs(opts: { memorySize?: number; scaleInitPrecond?: boolean; skipNonPositiveCurvature?: boolean } = {}): GradientTransformation<ScaleByLbfgsState> {
  const { memorySize = 10, scaleInitPrecond = true, skipNonPositiveCurvature = false } = opts;
  if (!Number.isInteger(memorySize) || memorySize < 1) throw new RangeError(`[scaleByLbfgs] memorySize must be an integer >= 1, got ${memorySize}`);
  return {
    init: (params) => {
      const dtype = floatDtypeOf(params, "scaleByLbfgs");
      const stacked = tree.map((x: Array) => jnp.zeros([memorySize, ...asArray(x).shape], { dtype: asArray(x).dtype }), params);
      return {
        count: zeroCount(),
        params: tree.map((x: Array) => jnp.zerosLike(x), params),
        updates: tree.map((x: Array) => jnp.zerosLike(x), params),
        diffParamsMemory: stacked,
        diffUpdatesMemory: stacked,
        weightsMemory: jnp.zeros([memorySize], { dtype }),
      };
    },
    update: (updates, state, params) => {
      params = requireParams("scaleByLbfgs", params);
      const [, pDef] = tree.flatten(params);
      const [, uDef] = tree.flatten(updates);
      if (!pDef.equals(uDef)) throw new TypeError(`[scaleByLbfgs] params and updates have different tree structures: ${pDef} vs ${uDef}`);
      const mI = (x: number) => scalar(x, state.count.dtype, false);
      const memoryIdx = state.count.mod(mI(memorySize));
      const prevIdx = state.count.sub(mI(1)).mod(mI(memorySize)); // count 0 -> slot m-1, as jnp's floor mod
      const started = state.count.gt(mI(0));
      const wd = state.weightsMemory.dtype;
      let dParams = treeSub(params, state.params);
      let dUpdates = treeSub(updates, state.updates);
      const sy = treeVdot(dUpdates, dParams).astype(wd);
      const zero = scalar(0, wd, false);
      const bad = skipNonPositiveCurvature ? sy.le(zero) : sy.eq(zero);
      let weight = jnp.where(bad, zero, scalar(1, wd, false).div(jnp.where(sy.eq(zero), scalar(1, wd, false), sy)));
      dParams = tree.map((x: Array) => jnp.where(started, x, jnp.zerosLike(x)), dParams);
      dUpdates = tree.map((x: Array) => jnp.where(started, x, jnp.zerosLike(x)), dUpdates);
      weight = jnp.where(started, weight, zero);
      const put = (mem: PyTree, v: PyTree) => tree.map((x: Array, y: Array) => lax.dynamicUpdateIndexInDim(x, y.astype(x.dtype), prevIdx, 0), mem, v);
      const diffParamsMemory = put(state.diffParamsMemory, dParams);
      const diffUpdatesMemory = put(state.diffUpdatesMemory, dUpdates);
      const weightsMemory = lax.dynamicUpdateIndexInDim(state.weightsMemory, weight, prevIdx, 0);
      let identityScale: Array;
      if (scaleInitPrecond) {
        const num = treeVdot(dUpdates, dParams).astype(wd);
        const den = treeVdot(dUpdates, dUpdates).astype(wd);
        const ratio = jnp.where(den.gt(zero), num.div(jnp.where(den.gt(zero), den, scalar(1, wd, false))), scalar(1, wd, false));
        const uNorm = lax.sqrt(treeVdot(updates, updates).astype(wd));
        const capped = jnp.minimum(scalar(1, wd, false), scalar(1, wd, false).div(uNorm));
        identityScale = jnp.where(started, skipNonPositiveCurvature ? jnp.where(sy.gt(zero), ratio, capped) : ratio, capped);
      } else {
        identityScale = scalar(1, wd, false);
      }
      const out = preconditionByLbfgs(updates, diffParamsMemory, diffUpdatesMemory, weightsMemory, identityScale, memoryIdx);
      return [out, { count: safeIncrement(state.count), params, updates, diffParamsMemory, diffUpdatesMemory, weightsMemory }];
    },
  };
}

// ---------------------------------------------------------------------------
// Backtracking (Armijo) line search

export interface BacktrackingLinesearchInfo {
  numLinesearchSteps: Array;
  decreaseError: Array;
}

export interface ScaleByBacktrackingLinesearchState {
  learningRate: Array;
  value: Array;
  /** The gradient at the accepted params with `storeGrad`, else null. */
  grad: PyTree | null;
  info: BacktrackingLinesearchInfo;
}

export interface BacktrackingOptions {
  slopeRtol?: number;
  decreaseFactor?: number;
  increaseFactor?: number;
  maxLearningRate?: number;
  atol?: number;
  rtol?: number;
  storeGrad?: boolean;
}

function requireExtra(name: string, extra: ExtraArgs | undefined): Required<ExtraArgs> {
  if (!extra || extra.value === undefined || extra.grad === undefined || typeof extra.valueFn !== "function") {
    throw new TypeError(`[${name}] update needs the objective: call update(updates, state, params, { value, grad, valueFn }) (got ${describe(extra)})`);
  }
  return extra as Required<ExtraArgs>;
}

/**
 * Backtracking line search (Optax `scale_by_backtracking_linesearch`): starting from
 * `min(increaseFactor * previous stepsize, maxLearningRate)`, multiplies the stepsize by
 * `decreaseFactor` until `f(x + t d) <= (1 + rtol) f(x) + t * slopeRtol * <d, grad> + atol`
 * (at most `maxBacktrackingSteps` times), then scales the updates by `t` (0 if every
 * trial value was non-finite). The loop is a `lax.whileLoop`.
 */
export function scaleByBacktrackingLinesearch(maxBacktrackingSteps: number, opts: BacktrackingOptions = {}): GradientTransformation<ScaleByBacktrackingLinesearchState> {
  const { slopeRtol = 1e-4, decreaseFactor = 0.8, increaseFactor = 1.5, maxLearningRate = 1.0, atol = 0, rtol = 0, storeGrad = false } = opts;
  const name = "scaleByBacktrackingLinesearch";
  return {
    init: (params) => {
      const dtype = floatDtypeOf(params, name);
      return {
        learningRate: scalar(1, dtype, false),
        value: scalar(Infinity, dtype, false),
        grad: storeGrad ? tree.map((x: Array) => jnp.zerosLike(x), params) : null,
        info: { numLinesearchSteps: zeroCount(), decreaseError: scalar(Infinity, dtype, false) },
      };
    },
    update: (updates, state, params, extraArgs?: ExtraArgs) => {
      params = requireParams(name, params);
      const { value, grad, valueFn } = requireExtra(name, extraArgs);
      const dt = state.learningRate.dtype;
      const c = (x: number) => scalar(x, dt, false);
      const value0 = asArray(value).astype(dt);
      const slope = treeVdot(updates, grad).astype(dt);
      const decreaseErr = (t: Array, newValue: Array) => {
        const e = newValue.sub(value0.mul(c(1 + rtol))).sub(t.mul(c(slopeRtol)).mul(slope));
        return jnp.maximum(jnp.where(jnp.isnan(e), c(Infinity), e), c(0));
      };
      type S = { lr: Array; newValue: Array; err: Array; it: Array };
      const maxSteps = scalar(maxBacktrackingSteps, int32, false);
      const init: S = {
        lr: jnp.minimum(state.learningRate.mul(c(increaseFactor)), c(maxLearningRate)),
        newValue: value0,
        err: c(Infinity),
        it: zeroCount(),
      };
      const out = lax.whileLoop(
        (s: S) => jnp.logicalAnd(s.err.gt(c(atol)), s.it.le(maxSteps)),
        (s: S) => {
          const lr = jnp.where(s.it.gt(scalar(0, int32, false)), s.lr.mul(c(decreaseFactor)), s.lr);
          const newValue = asArray(valueFn(treeAddScale(params, lr, updates))).astype(dt);
          return { lr, newValue, err: decreaseErr(lr, newValue), it: s.it.add(scalar(1, int32, false)) };
        },
        init,
      );
      const newLr = jnp.where(jnp.isinf(out.err), c(0), out.lr);
      // Optax evaluates the gradient at the last tried stepsize inside the loop
      // (linearize + transpose); we take it once after the loop at the same point.
      const newGrad = storeGrad ? tree.map((g: Array, p: Array) => g.astype(p.dtype), gradFn(valueFn)(treeAddScale(params, out.lr, updates)), params) : null;
      return [treeScale(newLr, updates), { learningRate: newLr, value: out.newValue, grad: newGrad, info: { numLinesearchSteps: out.it, decreaseError: out.err } }];
    },
  };
}

/**
 * Optax `value_and_grad_from_state`: returns a function `(params, state) => [value, grad]`
 * that reuses the value and gradient a line search stored in the optimizer state
 * (found anywhere in the state tree as an object with `value` and `grad`) when the
 * value is finite, and computes `valueAndGrad(valueFn)(params)` otherwise (first step).
 */
export function valueAndGradFromState(valueFn: (params: Params) => Array): (params: Params, state: PyTree) => [Array, PyTree] {
  return (params, state) => {
    const found = findValueGrad(state);
    if (!found || found.grad === null || found.grad === undefined) {
      throw new TypeError("[valueAndGradFromState] value or gradient not found in the state; make sure the optimizer stores them (e.g. scaleByBacktrackingLinesearch with storeGrad: true)");
    }
    const value = found.value;
    const finite = jnp.logicalAnd(jnp.logicalNot(jnp.isinf(value)), jnp.logicalNot(jnp.isnan(value)));
    const [v, g] = lax.cond(
      finite,
      () => [value, found.grad],
      (p: Params) => valueAndGrad(valueFn)(p),
      params,
    ) as [Array, PyTree];
    return [v, g];
  };
}

function findValueGrad(state: PyTree): { value: Array; grad: PyTree } | null {
  if (state === null || typeof state !== "object" || state instanceof Array) return null;
  if (!globalThis.Array.isArray(state) && "value" in state && "grad" in state && state.value instanceof Array) return state;
  for (const child of globalThis.Array.isArray(state) ? state : Object.values(state)) {
    const r = findValueGrad(child);
    if (r) return r;
  }
  return null;
}

export interface LbfgsOptions {
  memorySize?: number;
  scaleInitPrecond?: boolean;
  /**
   * Drop (s, y) pairs with `<s, y> <= 0` (weight 0, and gamma falls back to `min(1, 1/|u|)`),
   * keeping the direction a descent direction when the line search does not enforce the
   * curvature condition. Default true (Optax has no such guard: its zoom line search
   * enforces strong Wolfe conditions); set false to match Optax's `scale_by_lbfgs` exactly.
   */
  skipNonPositiveCurvature?: boolean;
  /**
   * The line search (default: `scaleByBacktrackingLinesearch(20, { storeGrad: true })`;
   * Optax's default is its zoom line search, not implemented here). `null`: none.
   */
  linesearch?: GradientTransformation | null;
}

/**
 * L-BFGS (Optax `lbfgs`): `chain(scaleByLbfgs, scale(-1) or scaleByLearningRate(lr), linesearch)`.
 * `update` needs `{ value, grad, valueFn }` as its 4th argument for the line search.
 */
export function lbfgs(learningRate: ScalarOrSchedule | null = null, opts: LbfgsOptions = {}): GradientTransformation {
  const { memorySize = 10, scaleInitPrecond = true, skipNonPositiveCurvature = true } = opts;
  const linesearch = opts.linesearch === undefined ? scaleByBacktrackingLinesearch(20, { storeGrad: true }) : opts.linesearch;
  const base = learningRate === null ? scale(-1) : scaleByLearningRate(learningRate);
  const parts: GradientTransformation[] = [scaleByLbfgs({ memorySize, scaleInitPrecond, skipNonPositiveCurvature }), base];
  parts.push(linesearch ?? identity());
  return chain(...parts);
}
