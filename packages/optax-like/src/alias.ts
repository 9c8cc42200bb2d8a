// Optimizers (optax/_src/alias.py): each a `chain` of building blocks, with
// Optax's defaults. The learning rate may be a number, a scalar Array (e.g. from
// `injectHyperparams`) or a schedule.
import { Array } from "@jaxts/core";
import { type GradientTransformation, type Scalar, type ScalarOrSchedule, chain, identity } from "./base.js";
import { clipByBlockRms } from "./clipping.js";
import {
  type AdamOptions,
  type RmsOptions,
  addDecayedWeights,
  addNoise,
  ema,
  scale,
  scaleByAdadelta,
  scaleByAdam,
  scaleByAdamax,
  scaleByAmsgrad,
  scaleByFactoredRms,
  scaleByLearningRate,
  scaleByLion,
  scaleByNovograd,
  scaleByParamBlockRms,
  scaleByRadam,
  scaleByRms,
  scaleByRss,
  scaleByStddev,
  scaleByTrustRatio,
  scaleByYogi,
  trace,
} from "./transforms.js";
import { type Mask, masked } from "./wrappers.js";

type WeightDecayOptions = { weightDecay?: ScalarOrSchedule; mask?: Mask | null };

/** SGD with optional (Nesterov) momentum: `chain(trace(momentum), scaleByLearningRate(lr))`. */
export function sgd(learningRate: ScalarOrSchedule, opts: { momentum?: Scalar | null; nesterov?: boolean; accumulatorDtype?: string | null } = {}): GradientTransformation {
  const { momentum = null, nesterov = false, accumulatorDtype = null } = opts;
  return chain(momentum === null ? identity() : trace({ decay: momentum, nesterov, accumulatorDtype }), scaleByLearningRate(learningRate));
}

/** Adam (Kingma & Ba 2014). Defaults b1 0.9, b2 0.999, eps 1e-8. */
export function adam(learningRate: ScalarOrSchedule, opts: AdamOptions = {}): GradientTransformation {
  return chain(scaleByAdam(opts), scaleByLearningRate(learningRate));
}

/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay (default 1e-4), applied before the learning rate. */
export function adamw(learningRate: ScalarOrSchedule, opts: AdamOptions & WeightDecayOptions = {}): GradientTransformation {
  const { weightDecay = 1e-4, mask = null, ...adamOpts } = opts;
  return chain(scaleByAdam(adamOpts), addDecayedWeights(weightDecay, mask), scaleByLearningRate(learningRate));
}

/** NAdam (Dozat 2016): Adam with Nesterov momentum. */
export function nadam(learningRate: ScalarOrSchedule, opts: Omit<AdamOptions, "nesterov"> = {}): GradientTransformation {
  return adam(learningRate, { ...opts, nesterov: true });
}

/** NAdamW: NAdam with decoupled weight decay. */
export function nadamw(learningRate: ScalarOrSchedule, opts: Omit<AdamOptions, "nesterov"> & WeightDecayOptions = {}): GradientTransformation {
  return adamw(learningRate, { ...opts, nesterov: true });
}

/** AMSGrad (Reddi et al. 2018). */
export function amsgrad(learningRate: ScalarOrSchedule, opts: Omit<AdamOptions, "nesterov"> = {}): GradientTransformation {
  return chain(scaleByAmsgrad(opts), scaleByLearningRate(learningRate));
}

/** RAdam (Liu et al. 2020); `threshold` 5 on the SMA length. */
export function radam(learningRate: ScalarOrSchedule, opts: AdamOptions & { threshold?: number } = {}): GradientTransformation {
  return chain(scaleByRadam(opts), scaleByLearningRate(learningRate));
}

/** Adamax (Kingma & Ba 2014, §7). */
export function adamax(learningRate: ScalarOrSchedule, opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar } = {}): GradientTransformation {
  return chain(scaleByAdamax(opts), scaleByLearningRate(learningRate));
}

/** Adamax with decoupled weight decay (default 1e-4). */
export function adamaxw(learningRate: ScalarOrSchedule, opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar } & WeightDecayOptions = {}): GradientTransformation {
  const { weightDecay = 1e-4, mask = null, ...rest } = opts;
  return chain(scaleByAdamax(rest), addDecayedWeights(weightDecay, mask), scaleByLearningRate(learningRate));
}

/**
 * RMSProp (Tieleman & Hinton 2012); `centered` uses the variance (Graves 2013);
 * optional (Nesterov) momentum after the learning rate. Defaults decay 0.9, eps 1e-8 inside the sqrt.
 */
export function rmsprop(
  learningRate: ScalarOrSchedule,
  opts: RmsOptions & { centered?: boolean; momentum?: Scalar | null; nesterov?: boolean } = {},
): GradientTransformation {
  const { centered = false, momentum = null, nesterov = false, ...rms } = opts;
  return chain(
    centered ? scaleByStddev(rms) : scaleByRms(rms),
    scaleByLearningRate(learningRate),
    momentum === null ? identity() : trace({ decay: momentum, nesterov }),
  );
}

/** Adagrad (Duchi et al. 2011). Defaults initialAccumulatorValue 0.1, eps 1e-7. */
export function adagrad(learningRate: ScalarOrSchedule, opts: { initialAccumulatorValue?: number; eps?: Scalar } = {}): GradientTransformation {
  return chain(scaleByRss(opts), scaleByLearningRate(learningRate));
}

/** Adadelta (Zeiler 2012). As in Optax, no learning rate (null) means no scaling and no sign flip. */
export function adadelta(
  learningRate: ScalarOrSchedule | null = null,
  opts: { rho?: Scalar; eps?: Scalar; weightDecay?: ScalarOrSchedule; weightDecayMask?: Mask | null } = {},
): GradientTransformation {
  const { rho = 0.9, eps = 1e-6, weightDecay = 0, weightDecayMask = null } = opts;
  return chain(addDecayedWeights(weightDecay, weightDecayMask), scaleByAdadelta({ rho, eps }), scaleByLearningRate(learningRate));
}

/**
 * Adafactor (Shazeer & Stern 2018): factored second moments for matrices with
 * both dims ≥ `minDimSizeToFactor`, update clipping by block RMS, scaling by
 * the parameter RMS, optional momentum and weight decay.
 */
export function adafactor(
  learningRate: ScalarOrSchedule | null = null,
  opts: {
    minDimSizeToFactor?: number;
    decayRate?: number;
    decayOffset?: number;
    multiplyByParameterScale?: boolean;
    clippingThreshold?: Scalar | null;
    momentum?: Scalar | null;
    dtypeMomentum?: string;
    weightDecayRate?: ScalarOrSchedule | null;
    eps?: number;
    factored?: boolean;
    weightDecayMask?: Mask | null;
  } = {},
): GradientTransformation {
  const {
    minDimSizeToFactor = 128,
    decayRate = 0.8,
    decayOffset = 0,
    multiplyByParameterScale = true,
    clippingThreshold = 1.0,
    momentum = null,
    dtypeMomentum = "float32",
    weightDecayRate = null,
    eps = 1e-30,
    factored = true,
    weightDecayMask = null,
  } = opts;
  const tx: GradientTransformation[] = [scaleByFactoredRms({ factored, decayRate, stepOffset: decayOffset, minDimSizeToFactor, epsilon: eps })];
  if (clippingThreshold !== null) tx.push(clipByBlockRms(clippingThreshold));
  if (learningRate !== null) tx.push(scaleByLearningRate(learningRate, { flipSign: false }));
  if (multiplyByParameterScale) tx.push(scaleByParamBlockRms());
  if (momentum !== null) tx.push(ema({ decay: momentum, debias: false, accumulatorDtype: dtypeMomentum }));
  if (weightDecayRate !== null) tx.push(addDecayedWeights(weightDecayRate, weightDecayMask));
  tx.push(scale(-1));
  return chain(...tx);
}

/** LAMB (You et al. 2020): Adam, weight decay, then a per-layer trust ratio. Defaults eps 1e-6, weightDecay 0. */
export function lamb(learningRate: ScalarOrSchedule, opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar; epsRoot?: Scalar } & WeightDecayOptions = {}): GradientTransformation {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-6, epsRoot = 0, weightDecay = 0, mask = null } = opts;
  return chain(scaleByAdam({ b1, b2, eps, epsRoot }), addDecayedWeights(weightDecay, mask), scaleByTrustRatio(), scaleByLearningRate(learningRate));
}

/** LARS (You et al. 2017): weight decay, a trust ratio (coefficient 0.001), the learning rate, then momentum 0.9. */
export function lars(
  learningRate: ScalarOrSchedule,
  opts: { weightDecay?: Scalar; weightDecayMask?: Mask; trustCoefficient?: Scalar; eps?: Scalar; trustRatioMask?: Mask; momentum?: Scalar; nesterov?: boolean } = {},
): GradientTransformation {
  const { weightDecay = 0, weightDecayMask = true, trustCoefficient = 0.001, eps = 0, trustRatioMask = true, momentum = 0.9, nesterov = false } = opts;
  return chain(
    addDecayedWeights(weightDecay, weightDecayMask),
    masked(scaleByTrustRatio({ trustCoefficient, eps }), trustRatioMask),
    scaleByLearningRate(learningRate),
    trace({ decay: momentum, nesterov }),
  );
}

/** Lion (Chen et al. 2023). Defaults b1 0.9, b2 0.99, weightDecay 1e-3. */
export function lion(learningRate: ScalarOrSchedule, opts: { b1?: Scalar; b2?: Scalar; muDtype?: string | null } & WeightDecayOptions = {}): GradientTransformation {
  const { weightDecay = 1e-3, mask = null, ...rest } = opts;
  return chain(scaleByLion(rest), addDecayedWeights(weightDecay, mask), scaleByLearningRate(learningRate));
}

/** Yogi (Zaheer et al. 2018). Defaults b1 0.9, b2 0.999, eps 1e-3. */
export function yogi(learningRate: ScalarOrSchedule, opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar } = {}): GradientTransformation {
  return chain(scaleByYogi(opts), scaleByLearningRate(learningRate));
}

/** NovoGrad (Ginsburg et al. 2019). Defaults b1 0.9, b2 0.25, eps 1e-6. */
export function novograd(learningRate: ScalarOrSchedule, opts: { b1?: Scalar; b2?: Scalar; eps?: Scalar; epsRoot?: Scalar; weightDecay?: Scalar } = {}): GradientTransformation {
  const { b1 = 0.9, b2 = 0.25, eps = 1e-6, epsRoot = 0, weightDecay = 0 } = opts;
  return chain(scaleByNovograd({ b1, b2, eps, epsRoot, weightDecay }), scaleByLearningRate(learningRate));
}

/** Noisy SGD (Neelakantan et al. 2015): Gaussian noise with variance `eta / t^gamma`, then SGD. */
export function noisySgd(learningRate: ScalarOrSchedule, opts: { eta?: Scalar; gamma?: Scalar; key?: Array | number } = {}): GradientTransformation {
  const { eta = 0.01, gamma = 0.55, key = 0 } = opts;
  return chain(addNoise(eta, gamma, key), scaleByLearningRate(learningRate));
}
