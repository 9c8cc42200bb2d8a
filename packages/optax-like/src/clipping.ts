// Clipping (optax/transforms/_clipping.py).
import { Array, asArray, tree } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { type EmptyState, type GradientTransformation, type PyTree, type Scalar, castScalarTo, emptyState, requireParams, statelessWithTreeMap, treeUtils } from "./base.js";

/** The L2 norm of all leaves of a tree together (`optax.global_norm` / `optax.tree.norm`). */
export function globalNorm(updates: PyTree): Array {
  return treeUtils.norm(updates);
}

/** Clips each update elementwise to `[-maxDelta, maxDelta]`. */
export function clip(maxDelta: Scalar): GradientTransformation<EmptyState> {
  return statelessWithTreeMap("clip", (g) => jnp.clip(g, castScalarTo(maxDelta, g).neg(), castScalarTo(maxDelta, g)));
}

/** Divides each update by `max(1, rms(update) / threshold)`. */
export function clipByBlockRms(threshold: Scalar): GradientTransformation<EmptyState> {
  return statelessWithTreeMap("clipByBlockRms", (u) => {
    const rms = jnp.sqrt(u.mul(u).mean());
    return u.div(jnp.maximum(1, rms.div(threshold)));
  });
}

/** Rescales all updates together so that their global norm is at most `maxNorm`. */
export function clipByGlobalNorm(maxNorm: Scalar): GradientTransformation<EmptyState> {
  return {
    init: () => emptyState(),
    update: (updates, state) => {
      const gNorm = globalNorm(updates);
      const trigger = gNorm.lt(maxNorm);
      return [tree.map((t: Array) => jnp.where(trigger, t, t.div(gNorm.astype(t.dtype)).mul(maxNorm)), updates), state];
    },
  };
}

/** Norms per output unit (Optax's `unitwise_norm`): whole vectors, axis 0 of matrices, all but the last axis of conv kernels. */
export function unitwiseNorm(x: Array, axis?: number | number[]): Array {
  let axes: number[] | null;
  if (axis !== undefined) axes = typeof axis === "number" ? [axis] : axis;
  else if (x.shape.filter((d) => d !== 1).length <= 1) axes = null;
  else if (x.ndim === 2 || x.ndim === 3) axes = [0];
  else if (x.ndim === 4) axes = [0, 1, 2];
  else if (x.ndim === 5) axes = [0, 1, 2, 3];
  else throw new TypeError(`[unitwiseNorm] expected a parameter of rank 1 to 5, got shape [${x.shape}]; pass axis for other shapes`);
  const sq = axes === null ? x.mul(x).sum(null, { keepdims: true }) : x.mul(x).sum(axes, { keepdims: true });
  return jnp.broadcastTo(jnp.sqrt(sq), x.shape);
}

/**
 * Adaptive gradient clipping (Brock et al. 2021, NFNets): clips each unit's
 * gradient norm to `clipping · max(||param unit||, eps)`.
 */
export function adaptiveGradClip(clipping: Scalar, eps: Scalar = 1e-3, axis?: number | number[]): GradientTransformation<EmptyState> {
  return {
    init: () => emptyState(),
    update: (updates, state, params) => {
      const ps = requireParams("adaptiveGradClip", params);
      const out = tree.map(
        (g: Array, p: Array) => {
          const gNorm = unitwiseNorm(g, axis);
          const maxNorm = jnp.maximum(unitwiseNorm(p, axis), eps).mul(clipping).astype(g.dtype);
          const clipped = g.mul(maxNorm.div(jnp.maximum(gNorm, 1e-6)));
          return jnp.where(gNorm.lt(maxNorm), g, clipped);
        },
        updates,
        ps,
      );
      return [out, state];
    },
  };
}
