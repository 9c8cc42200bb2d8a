// LayerNorm, RMSNorm, BatchNorm, GroupNorm (flax/linen/normalization.py):
// statistics in at least float32, Flax's fast variance E[x²] - E[x]², clipped at 0.
import { Array, lax, promoteTypes, float32, type DTypeLike } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Module, type Scope } from "../module.js";
import { canonAxes, fmtShape, onesInit, paramDtypeOf, promoteDtype, zerosInit, type DTypeOptions, type Initializer } from "../util.js";

export interface NormOptions extends DTypeOptions {
  epsilon?: number;
  useBias?: boolean;
  useScale?: boolean;
  biasInit?: Initializer;
  scaleInit?: Initializer;
  /** E[x²] - E[x]² (default true) instead of E[(x - E[x])²] */
  useFastVariance?: boolean;
}

function checkInput(op: string, x: unknown): Array {
  if (!(x instanceof Array)) throw new TypeError(`[${op}] input must be an Array, got ${x === null ? "null" : typeof x}`);
  if (x.ndim < 1) throw new RangeError(`[${op}] input must have rank >= 1, got ${fmtShape(x)}`);
  return x;
}

/** Flax's _compute_stats: mean and variance over `axes`, computed in at least float32. */
function computeStats(x: Array, axes: number[], dtype: DTypeLike | null | undefined, useMean: boolean, fastVariance: boolean): [Array, Array] {
  const d = promoteTypes(dtype ?? x.dtype, float32);
  const xf = x.astype(d);
  if (!useMean) return [jnp.zeros([], d), jnp.mean(jnp.square(xf), axes)];
  const mean = jnp.mean(xf, axes);
  if (fastVariance) {
    const mean2 = jnp.mean(jnp.square(xf), axes);
    return [mean, jnp.maximum(0, mean2.sub(jnp.square(mean)))];
  }
  const centered = xf.sub(jnp.expandDims(mean, axes));
  return [mean, jnp.mean(jnp.square(centered), axes)];
}

/**
 * Flax's _normalize: (x - mean) * rsqrt(var + eps) * scale + bias, with the
 * statistics broadcast back over the reduction axes and scale/bias shaped by
 * the feature axes.
 */
function normalize(
  scope: Scope,
  x: Array,
  mean: Array,
  variance: Array,
  reductionAxes: number[],
  featureAxes: number[],
  o: NormOptions,
  epsDefault: number,
  subtractMean = true,
): Array {
  const eps = o.epsilon ?? epsDefault;
  const statShape = x.shape.map((d, i) => (reductionAxes.includes(i) ? 1 : d));
  const featureShape = x.shape.map((d, i) => (featureAxes.includes(i) ? d : 1));
  const reducedFeatureShape = featureAxes.map((a) => x.shape[a]!);
  const m = mean.reshape(mean.ndim === 0 ? statShape.map(() => 1) : statShape);
  const v = variance.reshape(statShape);
  let mul = lax.rsqrt(v.add(eps));
  const pd = paramDtypeOf(o);
  let scale: Array | null = null;
  let bias: Array | null = null;
  if (o.useScale ?? true) {
    scale = scope.param("scale", o.scaleInit ?? onesInit, reducedFeatureShape, pd).reshape(featureShape);
    mul = mul.mul(scale);
  }
  let y = subtractMean ? x.sub(m) : x;
  y = y.mul(mul);
  if (o.useBias ?? true) {
    bias = scope.param("bias", o.biasInit ?? zerosInit, reducedFeatureShape, pd).reshape(featureShape);
    y = y.add(bias);
  }
  // The output dtype: the requested dtype, else the promotion of input and params.
  const [out] = promoteDtype(o.dtype ?? promoteDtype(null, x, scale, bias)[0]!.dtype, y);
  return out;
}

export interface LayerNormOptions extends NormOptions {
  /** axes to normalize over (default -1) */
  reductionAxes?: number | readonly number[];
  /** axes of scale and bias (default -1) */
  featureAxes?: number | readonly number[];
}

/** Layer normalization (Ba et al.), epsilon 1e-6 as Flax. */
export class LayerNorm extends Module {
  constructor(readonly options: LayerNormOptions = {}) {
    super();
  }
  call(scope: Scope, inputs: Array): Array {
    const x = checkInput("LayerNorm", inputs);
    const o = this.options;
    const red = canonAxes(x.ndim, o.reductionAxes ?? -1, "LayerNorm");
    const feat = canonAxes(x.ndim, o.featureAxes ?? -1, "LayerNorm");
    const [mean, v] = computeStats(x, red, o.dtype, true, o.useFastVariance ?? true);
    return normalize(scope, x, mean, v, red, feat, o, 1e-6);
  }
}

/** Root-mean-square normalization (no centering, no bias), epsilon 1e-6 as Flax. */
export class RMSNorm extends Module {
  constructor(readonly options: Omit<LayerNormOptions, "useBias" | "biasInit"> = {}) {
    super();
  }
  call(scope: Scope, inputs: Array): Array {
    const x = checkInput("RMSNorm", inputs);
    const o = { ...this.options, useBias: false };
    const red = canonAxes(x.ndim, o.reductionAxes ?? -1, "RMSNorm");
    const feat = canonAxes(x.ndim, o.featureAxes ?? -1, "RMSNorm");
    const [mean, v] = computeStats(x, red, o.dtype, false, true);
    return normalize(scope, x, mean, v, red, feat, o, 1e-6, false);
  }
}

export interface BatchNormOptions extends NormOptions {
  /** use the stored running statistics (default: `!train` of the apply call) */
  useRunningAverage?: boolean;
  /** the feature axis or axes (default -1) */
  axis?: number | readonly number[];
  /** running average decay (default 0.99) */
  momentum?: number;
}

/**
 * Batch normalization. The running `mean` and `var` live in the mutable
 * "batchStats" collection; training mode (`{train: true, mutable: ["batchStats"]}`)
 * normalizes with the batch statistics and updates them by `momentum` (0.99);
 * otherwise the running statistics are used. Epsilon 1e-5 as Flax.
 */
export class BatchNorm extends Module {
  constructor(readonly options: BatchNormOptions = {}) {
    super();
  }
  call(scope: Scope, inputs: Array): Array {
    const x = checkInput("BatchNorm", inputs);
    const o = this.options;
    const useRA = o.useRunningAverage ?? !scope.train;
    const featureAxes = canonAxes(x.ndim, o.axis ?? -1, "BatchNorm");
    const reductionAxes = x.shape.map((_, i) => i).filter((i) => !featureAxes.includes(i));
    const featureShape = featureAxes.map((a) => x.shape[a]!);
    const raMean = scope.variable("batchStats", "mean", () => jnp.zeros(featureShape, float32));
    const raVar = scope.variable("batchStats", "var", () => jnp.ones(featureShape, float32));
    let mean: Array;
    let v: Array;
    if (useRA) {
      mean = raMean.value;
      v = raVar.value;
    } else {
      [mean, v] = computeStats(x, reductionAxes, o.dtype, true, o.useFastVariance ?? true);
      if (!scope.isInitializing) {
        const m = o.momentum ?? 0.99;
        raMean.value = raMean.value.mul(m).add(mean.mul(1 - m));
        raVar.value = raVar.value.mul(m).add(v.mul(1 - m));
      }
    }
    return normalize(scope, x, mean, v, reductionAxes, featureAxes, o, 1e-5);
  }
}

export interface GroupNormOptions extends NormOptions {
  /** number of groups (default 32); give `groupSize` with `numGroups: null` instead */
  numGroups?: number | null;
  groupSize?: number | null;
}

/** Group normalization over the non-batch axes (axis 0 is the batch), channels last; epsilon 1e-6. */
export class GroupNorm extends Module {
  constructor(readonly options: GroupNormOptions = {}) {
    super();
  }
  call(scope: Scope, inputs: Array): Array {
    const op = "GroupNorm";
    const x = checkInput(op, inputs);
    const o = this.options;
    const channels = x.shape[x.ndim - 1]!;
    const numGroupsOpt = o.numGroups === undefined ? (o.groupSize ? null : 32) : o.numGroups;
    const groupSizeOpt = o.groupSize ?? null;
    if ((numGroupsOpt === null) === (groupSizeOpt === null)) {
      throw new TypeError(`[${op}] give exactly one of numGroups and groupSize (pass numGroups: null with groupSize)`);
    }
    let numGroups: number;
    if (groupSizeOpt !== null) {
      if (channels % groupSizeOpt !== 0) throw new RangeError(`[${op}] number of channels ${channels} is not a multiple of groupSize ${groupSizeOpt}: ${fmtShape(x)}`);
      numGroups = channels / groupSizeOpt;
    } else numGroups = numGroupsOpt!;
    if (numGroups <= 0 || channels % numGroups !== 0) {
      throw new RangeError(`[${op}] number of groups ${numGroups} does not divide the number of channels ${channels}: ${fmtShape(x)}`);
    }
    const gs = channels / numGroups;
    const grouped = x.reshape([...x.shape.slice(0, -1), numGroups, gs]);
    const red = [...x.shape.slice(1, -1).map((_, i) => i + 1), grouped.ndim - 1];
    let [mean, v] = computeStats(grouped, red, o.dtype, true, o.useFastVariance ?? true);
    mean = jnp.repeat(mean, gs, -1);
    v = jnp.repeat(v, gs, -1);
    const reductionAxes = x.shape.slice(1, -1).map((_, i) => i + 1);
    // mean/var are [batch, channels]; broadcast over the spatial axes.
    const statShape = x.shape.map((d, i) => (i === 0 || i === x.ndim - 1 ? d : 1));
    return normalize(scope, x, mean.reshape(statShape), v.reshape(statShape), reductionAxes, [x.ndim - 1], o, 1e-6);
  }
}
