// L-BFGS (optax/_src/transform.py `scale_by_lbfgs`, alias.py `lbfgs`), the
// backtracking (Armijo) and zoom (strong Wolfe) line searches (optax/_src/linesearch.py
// `scale_by_backtracking_linesearch`, `scale_by_zoom_linesearch`,
// `value_and_grad_from_state`).
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
      throw new TypeError("[valueAndGradFromState] value or gradient not found in the state; make sure the optimizer stores them (e.g. scaleByZoomLinesearch, or scaleByBacktrackingLinesearch with storeGrad: true)");
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

// ---------------------------------------------------------------------------
// Zoom line search (strong Wolfe, with the approximate-Wolfe fallback)

export interface ZoomLinesearchInfo {
  numLinesearchSteps: Array;
  decreaseError: Array;
  curvatureError: Array;
}

export interface ScaleByZoomLinesearchState {
  /** The stepsize taken at the last update (1 at init). */
  learningRate: Array;
  /** The objective at the accepted params (+inf at init, so `valueAndGradFromState` computes it). */
  value: Array;
  /** The gradient at the accepted params (zeros at init). */
  grad: PyTree;
  info: ZoomLinesearchInfo;
}

export interface ZoomLinesearchOptions {
  /** Upper bound on the stepsize; `null` (default): none. */
  maxLearningRate?: number | null;
  /** Tolerance on the decrease and curvature errors (default 0). */
  tol?: number;
  /** Factor by which trial stepsizes grow while searching for an interval (default 2). */
  increaseFactor?: number;
  /** `c1` of the sufficient decrease condition (default 1e-4). */
  slopeRtol?: number;
  /** `c2` of the strong curvature condition (default 0.9). */
  curvRtol?: number;
  /** Relative tolerance on `|f(x)|` of the approximate sufficient decrease condition (default 1e-6); `null`: Armijo only. */
  approxDecRtol?: number | null;
  /** Once the zoom interval is shorter than this and a sufficient decrease was found, take that stepsize (default 1e-5). */
  stepsizePrecision?: number;
  /** First trial stepsize: `"keep"` (default, as Optax) the previous stepsize, or `"one"`. */
  initialGuessStrategy?: "keep" | "one";
  /** Print diagnostics (console.warn) when the line search fails; eager only (no debug print under jit). */
  verbose?: boolean;
}

// The line search's loop state (Optax's ZoomLinesearchState, minus params/updates,
// which the loop body closes over).
type ZoomState = {
  count: Array;
  stepsize: Array;
  value: Array;
  grad: PyTree;
  slope: Array;
  decreaseError: Array;
  curvatureError: Array;
  error: Array;
  intervalFound: Array;
  done: Array;
  failed: Array;
  low: Array;
  valueLow: Array;
  slopeLow: Array;
  high: Array;
  valueHigh: Array;
  slopeHigh: Array;
  cubicRef: Array;
  valueCubicRef: Array;
  safeStepsize: Array;
  safeValue: Array;
  safeGrad: PyTree;
};

/**
 * Minimizer of the cubic through `(a, fa)` with slope `fpa` at `a`, `(b, fb)` and
 * `(c, fc)` (NaN/inf when it has none; the caller checks it lies inside the interval).
 */
function cubicMin(a: Array, fa: Array, fpa: Array, b: Array, fb: Array, c: Array, fc: Array): Array {
  const db = b.sub(a);
  const dc = c.sub(a);
  const denom = jnp.square(db.mul(dc)).mul(db.sub(dc));
  const rb = fb.sub(fa).sub(fpa.mul(db));
  const rc = fc.sub(fa).sub(fpa.mul(dc));
  const cA = jnp.square(dc).mul(rb).sub(jnp.square(db).mul(rc)).div(denom);
  const cB = jnp.square(db).mul(db).mul(rc).sub(jnp.square(dc).mul(dc).mul(rb)).div(denom);
  const disc = cB.mul(cB).sub(cA.mul(fpa).mul(3));
  return a.add(cB.neg().add(lax.sqrt(disc)).div(cA.mul(3)));
}

/** Minimizer of the quadratic through `(a, fa)` with slope `fpa` at `a` and `(b, fb)`. */
function quadMin(a: Array, fa: Array, fpa: Array, b: Array, fb: Array): Array {
  const db = b.sub(a);
  const curv = fb.sub(fa).sub(fpa.mul(db)).div(jnp.square(db));
  return a.sub(fpa.div(curv.mul(2)));
}

/**
 * Zoom line search (Optax `scale_by_zoom_linesearch`; Nocedal & Wright Alg. 3.5 and 3.6):
 * finds a stepsize `t` along the updates `u` satisfying the sufficient decrease
 * `f(x + t u) <= f(x) + slopeRtol * t <u, g>` (or Hager-Zhang's approximate version
 * `(2 slopeRtol - 1) <u, g> >= slope(t)` with `f(x + t u) <= f(x) + approxDecRtol |f(x)|`)
 * and the strong curvature condition `|slope(t)| <= curvRtol |<u, g>|`. It first grows
 * the stepsize by `increaseFactor` until an interval containing such a stepsize is
 * bracketed, then shrinks the interval with safeguarded cubic, then quadratic
 * interpolation, then bisection. After `maxLinesearchSteps` evaluations (or an interval
 * shorter than `stepsizePrecision`) it falls back to the best stepsize with sufficient
 * decrease, if any. Stores the value and gradient at the new params for
 * `valueAndGradFromState`. Both phases run inside one `lax.whileLoop` (`lax.cond` per
 * iteration), so the update jits.
 *
 * Called as `scaleByZoomLinesearch(maxLinesearchSteps, opts)` or with one options object
 * `{ maxLinesearchSteps, ...opts }`; `update` needs `{ value, grad, valueFn }`.
 */
export function scaleByZoomLinesearch(
  maxLinesearchSteps: number | (ZoomLinesearchOptions & { maxLinesearchSteps?: number }) = 20,
  opts: ZoomLinesearchOptions = {},
): GradientTransformation<ScaleByZoomLinesearchState> {
  const name = "scaleByZoomLinesearch";
  if (typeof maxLinesearchSteps === "object" && maxLinesearchSteps !== null) {
    opts = maxLinesearchSteps;
    maxLinesearchSteps = maxLinesearchSteps.maxLinesearchSteps ?? 20;
  }
  const maxSteps = maxLinesearchSteps;
  if (!Number.isInteger(maxSteps) || maxSteps < 0) throw new RangeError(`[${name}] maxLinesearchSteps must be a non-negative integer, got ${maxSteps}`);
  const {
    maxLearningRate = null,
    tol = 0,
    increaseFactor = 2.0,
    slopeRtol = 1e-4,
    curvRtol = 0.9,
    approxDecRtol = 1e-6,
    stepsizePrecision = 1e-5,
    initialGuessStrategy = "keep",
    verbose = false,
  } = opts;
  if (initialGuessStrategy !== "keep" && initialGuessStrategy !== "one") {
    throw new RangeError(`[${name}] Unknown initial guess strategy: ${String(initialGuessStrategy)} (expected "keep" or "one")`);
  }
  return {
    init: (params) => {
      const dtype = floatDtypeOf(params, name);
      return {
        learningRate: scalar(1, dtype, false),
        value: scalar(Infinity, dtype, false),
        grad: tree.map((x: Array) => jnp.zerosLike(x), params),
        info: { numLinesearchSteps: zeroCount(), decreaseError: scalar(Infinity, dtype, false), curvatureError: scalar(Infinity, dtype, false) },
      };
    },
    update: (updates, state, params, extraArgs?: ExtraArgs) => {
      params = requireParams(name, params);
      const { value, grad, valueFn } = requireExtra(name, extraArgs);
      const dt = state.learningRate.dtype;
      const c = (x: number) => scalar(x, dt, false);
      const i32 = (x: number) => scalar(x, int32, false);
      const zero = c(0);
      const inf = c(Infinity);
      const valueInit = asArray(value).astype(dt);
      const slopeInit = treeVdot(updates, grad).astype(dt);
      const grad0 = tree.map((g: Array, p: Array) => asArray(g).astype(p.dtype), grad, params);
      const vg = valueAndGrad(valueFn);

      // value, gradient and slope of t -> f(params + t * updates) at t
      const onLine = (t: Array): [Array, PyTree, Array] => {
        const [v, g] = vg(treeAddScale(params, t, updates)) as [Array, PyTree];
        const gc = tree.map((x: Array, p: Array) => asArray(x).astype(p.dtype), g, params);
        return [asArray(v).astype(dt), gc, treeVdot(gc, updates).astype(dt)];
      };
      const nanToInf = (e: Array) => jnp.where(jnp.isnan(e), inf, e);
      const decreaseError = (t: Array, v: Array, s: Array): Array => {
        let err = v.sub(valueInit).sub(t.mul(c(slopeRtol)).mul(slopeInit));
        if (approxDecRtol !== null) {
          const approxSlope = s.sub(slopeInit.mul(c(2 * slopeRtol - 1)));
          const approxValue = v.sub(valueInit).sub(jnp.abs(valueInit).mul(c(approxDecRtol)));
          err = jnp.minimum(jnp.maximum(approxSlope, approxValue), err);
        }
        return nanToInf(jnp.maximum(err, zero));
      };
      const curvatureError = (s: Array): Array => nanToInf(jnp.maximum(jnp.abs(s).sub(jnp.abs(slopeInit).mul(c(curvRtol))), zero));
      const sel = <T extends PyTree>(pred: Array, a: T, b: T): T => tree.map((x: Array, y: Array) => jnp.where(pred, x, y), a, b) as T;
      const tolA = c(tol);
      const lastStep = (count: Array) => count.add(i32(1)).ge(i32(maxSteps));

      // Phase 1: grow the stepsize until [low, high] brackets an acceptable one.
      const searchInterval = (s: ZoomState): ZoomState => {
        const first = s.count.eq(i32(0));
        let t = jnp.where(first, stepsizeGuess, s.stepsize.mul(c(increaseFactor)));
        let maxReached = jnp.asarray(false);
        if (maxLearningRate !== null) {
          maxReached = t.ge(c(maxLearningRate));
          t = jnp.minimum(t, c(maxLearningRate));
        }
        const [v, g, sl] = onLine(t);
        const dec = decreaseError(t, v, sl);
        const curv = curvatureError(sl);
        const err = jnp.maximum(dec, curv);
        const safe = dec.le(tolA);
        const [safeStepsize, safeValue, safeGrad] = sel(safe, [t, v, g], [s.safeStepsize, s.safeValue, s.safeGrad]);
        const setHigh = jnp.logicalOr(dec.gt(zero), jnp.logicalAnd(v.ge(s.value), jnp.logicalNot(first)));
        const setLow = jnp.logicalAnd(sl.ge(zero), jnp.logicalNot(setHigh));
        const [low, valueLow, slopeLow, high, valueHigh, slopeHigh] = sel(setLow, [t, v, sl, s.stepsize, s.value, s.slope], [s.stepsize, s.value, s.slope, t, v, sl]);
        const converged = err.le(tolA);
        const intervalFound = jnp.logicalOr(jnp.logicalOr(setHigh, setLow), converged);
        const done = jnp.logicalOr(converged, jnp.logicalAnd(maxReached, jnp.logicalNot(intervalFound)));
        const failed = jnp.logicalAnd(lastStep(s.count), jnp.logicalNot(done));
        return {
          count: safeIncrement(s.count), stepsize: t, value: v, grad: g, slope: sl,
          decreaseError: dec, curvatureError: curv, error: err, intervalFound, done, failed,
          low, valueLow, slopeLow, high, valueHigh, slopeHigh, cubicRef: low, valueCubicRef: valueLow,
          safeStepsize, safeValue, safeGrad,
        };
      };

      // Phase 2: shrink [low, high] (cubic, else quadratic, else bisection trial point).
      const zoomIntoInterval = (s: ZoomState): ZoomState => {
        const delta = jnp.abs(s.high.sub(s.low));
        const left = jnp.minimum(s.high, s.low);
        const right = jnp.maximum(s.high, s.low);
        const cubicChk = delta.mul(c(0.2));
        const quadChk = delta.mul(c(0.1));
        const tooSmall = delta.le(c(stepsizePrecision));
        const inside = (m: Array, chk: Array) => jnp.logicalAnd(m.gt(left.add(chk)), m.lt(right.sub(chk)));
        const mCubic = cubicMin(s.low, s.valueLow, s.slopeLow, s.high, s.valueHigh, s.cubicRef, s.valueCubicRef);
        const useCubic = inside(mCubic, cubicChk);
        const mQuad = quadMin(s.low, s.valueLow, s.slopeLow, s.high, s.valueHigh);
        const useQuad = jnp.logicalAnd(jnp.logicalNot(useCubic), inside(mQuad, quadChk));
        const mBisect = s.low.add(s.high).div(c(2));
        const middle = jnp.where(useCubic, mCubic, jnp.where(useQuad, mQuad, mBisect));
        const [v, g, sl] = onLine(middle);
        const dec = decreaseError(middle, v, sl);
        const curv = curvatureError(sl);
        const err = jnp.maximum(dec, curv);
        const updSafe = jnp.logicalAnd(dec.le(tolA), v.lt(s.safeValue));
        const [safeStepsize, safeValue, safeGrad] = sel(updSafe, [middle, v, g], [s.safeStepsize, s.safeValue, s.safeGrad]);
        const done = err.le(tolA);
        const setHighToMiddle = jnp.logicalOr(dec.gt(zero), v.ge(s.valueLow));
        const setHighToLow = jnp.logicalAnd(sl.mul(s.high.sub(s.low)).ge(zero), jnp.logicalNot(setHighToMiddle));
        const setLowToMiddle = jnp.logicalNot(setHighToMiddle);
        const hi1 = sel(setHighToMiddle, [middle, v, sl], [s.high, s.valueHigh, s.slopeHigh]);
        const [high, valueHigh, slopeHigh] = sel(setHighToLow, [s.low, s.valueLow, s.slopeLow], hi1);
        const [low, valueLow, slopeLow] = sel(setLowToMiddle, [middle, v, sl], [s.low, s.valueLow, s.slopeLow]);
        const [cubicRef, valueCubicRef] = sel(jnp.logicalOr(setHighToMiddle, setHighToLow), [s.high, s.valueHigh], [s.low, s.valueLow]);
        const presumablyFailed = jnp.logicalOr(lastStep(s.count), jnp.logicalAnd(tooSmall, safeStepsize.gt(zero)));
        const failed = jnp.logicalAnd(presumablyFailed, jnp.logicalNot(done));
        return {
          count: safeIncrement(s.count), stepsize: middle, value: v, grad: g, slope: sl,
          decreaseError: dec, curvatureError: curv, error: err, intervalFound: s.intervalFound, done, failed,
          low, valueLow, slopeLow, high, valueHigh, slopeHigh, cubicRef, valueCubicRef,
          safeStepsize, safeValue, safeGrad,
        };
      };

      // On failure: the best stepsize with sufficient decrease if any (or 0 when the last
      // trial left the domain), else the last trial.
      const trySafeStep = (s: ZoomState): ZoomState => {
        const useSafe = jnp.logicalOr(s.safeStepsize.gt(zero), jnp.isinf(s.decreaseError));
        const [stepsize, v, g] = sel(useSafe, [s.safeStepsize, s.safeValue, s.safeGrad], [s.stepsize, s.value, s.grad]);
        return { ...s, stepsize, value: v, grad: g };
      };

      const stepsizeGuess = initialGuessStrategy === "one" ? c(1) : state.learningRate;
      const f = jnp.asarray(false);
      const init: ZoomState = {
        count: zeroCount(), stepsize: zero, value: valueInit, grad: grad0, slope: slopeInit,
        decreaseError: inf, curvatureError: inf, error: inf, intervalFound: f, done: f, failed: f,
        low: zero, valueLow: valueInit, slopeLow: slopeInit, high: zero, valueHigh: valueInit, slopeHigh: slopeInit,
        cubicRef: zero, valueCubicRef: valueInit, safeStepsize: zero, safeValue: valueInit, safeGrad: grad0,
      };
      const out = lax.whileLoop(
        (s: ZoomState) => jnp.logicalNot(jnp.logicalOr(s.done, s.failed)),
        (s: ZoomState) => {
          const n = lax.cond(s.intervalFound, zoomIntoInterval, searchInterval, s) as ZoomState;
          return lax.cond(n.failed, trySafeStep, (x: ZoomState) => x, n) as ZoomState;
        },
        init,
      ) as ZoomState;
      if (verbose) reportZoomFailure(out, valueInit, slopeInit);
      const newState: ScaleByZoomLinesearchState = {
        learningRate: out.stepsize,
        value: out.value,
        grad: out.grad,
        info: { numLinesearchSteps: out.count, decreaseError: out.decreaseError, curvatureError: out.curvatureError },
      };
      return [treeScale(out.stepsize, updates), newState];
    },
  };
}

/** `verbose`: eager diagnostics when the line search failed (skipped when traced). */
function reportZoomFailure(s: ZoomState, valueInit: Array, slopeInit: Array): void {
  let num: (x: Array) => number;
  try {
    num = (x: Array) => Number(x.dataSync()[0]);
    num(s.failed);
  } catch {
    return; // traced under jit: jaxts has no debug print
  }
  if (!num(s.failed) && num(s.done)) return;
  const lines = [
    "INFO: scaleByZoomLinesearch:",
    `Value at current params: ${num(valueInit)}`,
    `Slope along update direction: ${num(slopeInit)}`,
    `Stepsize reached: ${num(s.stepsize)}`,
    `Decrease Error: ${num(s.decreaseError)}`,
    `Curvature Error: ${num(s.curvatureError)}`,
  ];
  if (num(s.safeStepsize) > 0) lines.push("FLAG_CURVATURE_COND_NOT_SATISFIED: the curvature condition was not met; taking a stepsize ensuring sufficient decrease.");
  else {
    lines.push("FLAG_NO_STEPSIZE_FOUND: no stepsize with sufficient decrease was found.");
    if (num(slopeInit) >= 0) lines.push(`FLAG_NOT_A_DESCENT_DIRECTION: the slope (=${num(slopeInit)}) at stepsize=0 should be negative.`);
    if (num(s.decreaseError) === Infinity) lines.push("Cannot even make a step without getting Inf or NaN; the line search won't make a step.");
  }
  console.warn(lines.join("\n"));
}

export interface LbfgsOptions {
  memorySize?: number;
  scaleInitPrecond?: boolean;
  /**
   * Drop (s, y) pairs with `<s, y> <= 0` (weight 0, and gamma falls back to `min(1, 1/|u|)`),
   * keeping the direction a descent direction when the line search does not enforce the
   * curvature condition (backtracking). Default true. With the default zoom line search it
   * changes nothing whenever the line search succeeds (strong Wolfe gives `<s, y> > 0`);
   * it only acts after a failed line search. Set false to match Optax's `scale_by_lbfgs`
   * exactly in that case too (Optax has no such guard).
   */
  skipNonPositiveCurvature?: boolean;
  /**
   * The line search (default, as Optax: `scaleByZoomLinesearch(20, { initialGuessStrategy: "one" })`,
   * strong Wolfe). `null`: none.
   */
  linesearch?: GradientTransformation | null;
}

/**
 * L-BFGS (Optax `lbfgs`): `chain(scaleByLbfgs, scale(-1) or scaleByLearningRate(lr), linesearch)`.
 * `update` needs `{ value, grad, valueFn }` as its 4th argument for the line search.
 */
export function lbfgs(learningRate: ScalarOrSchedule | null = null, opts: LbfgsOptions = {}): GradientTransformation {
  const { memorySize = 10, scaleInitPrecond = true, skipNonPositiveCurvature = true } = opts;
  const linesearch = opts.linesearch === undefined ? scaleByZoomLinesearch(20, { initialGuessStrategy: "one" }) : opts.linesearch;
  const base = learningRate === null ? scale(-1) : scaleByLearningRate(learningRate);
  const parts: GradientTransformation[] = [scaleByLbfgs({ memorySize, scaleInitPrecond, skipNonPositiveCurvature }), base];
  parts.push(linesearch ?? identity());
  return chain(...parts);
}
