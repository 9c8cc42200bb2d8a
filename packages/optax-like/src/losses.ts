// Losses (optax/losses): elementwise or per-example, never reduced over the
// batch (take `.mean()` yourself, as with Optax). All differentiable and jittable.
import { Array, asArray, type ArrayInput } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";

function floating(name: string, x: ArrayInput, what = "predictions"): Array {
  const a = asArray(x);
  if (a.dtype.kind !== "f") throw new TypeError(`[${name}] ${what} must be floating, got ${a.dtype.name}[${a.shape}]`);
  return a;
}

function errors(name: string, predictions: ArrayInput, targets?: ArrayInput | null): Array {
  const p = floating(name, predictions);
  if (targets === undefined || targets === null) return p;
  const t = asArray(targets);
  try {
    jnp.broadcastShapes(p.shape, t.shape);
  } catch {
    throw new TypeError(`[${name}] predictions ${p.dtype.name}[${p.shape}] and targets ${t.dtype.name}[${t.shape}] do not broadcast`);
  }
  return p.sub(t);
}

/** `(predictions - targets)²`, elementwise. */
export function squaredError(predictions: ArrayInput, targets?: ArrayInput | null): Array {
  const e = errors("squaredError", predictions, targets);
  return e.mul(e);
}

/** `½ (predictions - targets)²`, elementwise. */
export function l2Loss(predictions: ArrayInput, targets?: ArrayInput | null): Array {
  return squaredError(predictions, targets).mul(0.5);
}

/** Huber loss: quadratic within `delta` of the target, linear beyond. */
export function huberLoss(predictions: ArrayInput, targets?: ArrayInput | null, opts: { delta?: number } = {}): Array {
  const delta = opts.delta ?? 1.0;
  const abs = errors("huberLoss", predictions, targets).abs();
  const quadratic = jnp.minimum(abs, delta);
  const linear = abs.sub(quadratic);
  return quadratic.mul(quadratic).mul(0.5).add(linear.mul(delta));
}

/** `log(cosh(predictions - targets))`, computed stably as `logaddexp(e, -e) - log 2`. */
export function logCosh(predictions: ArrayInput, targets?: ArrayInput | null): Array {
  const e = errors("logCosh", predictions, targets);
  return jnp.logaddexp(e, e.neg()).sub(Math.LN2);
}

/**
 * `-Σ labels · log_softmax(logits)` over `axis`. Terms whose label is 0 count as
 * 0 even where a logit is -inf (Optax would give NaN there).
 */
export function softmaxCrossEntropy(logits: ArrayInput, labels: ArrayInput, opts: { axis?: number } = {}): Array {
  const l = floating("softmaxCrossEntropy", logits, "logits");
  const y = asArray(labels);
  if (l.ndim !== y.ndim || l.shape.some((d, i) => d !== y.shape[i] && y.shape[i] !== 1 && d !== 1)) {
    throw new TypeError(`[softmaxCrossEntropy] logits ${l.dtype.name}[${l.shape}] and labels ${y.dtype.name}[${y.shape}] must have the same shape`);
  }
  const axis = opts.axis ?? -1;
  const logp = jnp.nn.logSoftmax(l, axis);
  return jnp.where(y.eq(0), 0, y.mul(logp)).sum(axis).neg();
}

/** `logsumexp(logits) - logits[label]` over `axis` (the last by default), for integer class labels. */
export function softmaxCrossEntropyWithIntegerLabels(logits: ArrayInput, labels: ArrayInput, opts: { axis?: number } = {}): Array {
  const l = floating("softmaxCrossEntropyWithIntegerLabels", logits, "logits");
  const y = asArray(labels);
  if (y.dtype.kind !== "i" && y.dtype.kind !== "u") {
    throw new TypeError(`[softmaxCrossEntropyWithIntegerLabels] labels must be integers, got ${y.dtype.name}[${y.shape}]`);
  }
  const axis = (opts.axis ?? -1) < 0 ? l.ndim + (opts.axis ?? -1) : opts.axis!;
  const expected = l.shape.filter((_, i) => i !== axis);
  if (y.ndim !== expected.length || y.shape.some((d, i) => d !== expected[i])) {
    throw new TypeError(`[softmaxCrossEntropyWithIntegerLabels] labels ${y.dtype.name}[${y.shape}] must have the shape of logits ${l.dtype.name}[${l.shape}] without axis ${axis}: [${expected}]`);
  }
  const labelLogits = jnp.takeAlongAxis(l, y.expandDims(axis), axis).squeeze(axis);
  return jnp.nn.logsumexp(l, axis).sub(labelLogits);
}

/** Elementwise `-labels·log σ(logits) - (1 - labels)·log σ(-logits)`. */
export function sigmoidBinaryCrossEntropy(logits: ArrayInput, labels: ArrayInput): Array {
  const l = floating("sigmoidBinaryCrossEntropy", logits, "logits");
  const y = asArray(labels).astype(l.dtype);
  return y.neg().mul(jnp.nn.logSigmoid(l)).sub(asArray(1).sub(y).mul(jnp.nn.logSigmoid(l.neg())));
}

/** `Σ targets · (log targets - logPredictions)` over `axis` (0·log 0 = 0). */
export function klDivergence(logPredictions: ArrayInput, targets: ArrayInput, opts: { axis?: number } = {}): Array {
  const lp = floating("klDivergence", logPredictions, "logPredictions");
  const t = floating("klDivergence", targets, "targets");
  const loss = t.mul(jnp.where(t.eq(0), 0, jnp.log(t)).sub(lp));
  return loss.sum(opts.axis ?? -1);
}

/** `max(0, 1 - outputs · targets)` with targets in {-1, 1}. */
export function hingeLoss(predictorOutputs: ArrayInput, targets: ArrayInput): Array {
  return jnp.maximum(0, asArray(1).sub(asArray(predictorOutputs).mul(targets)));
}

/** Cosine similarity over `axis`; squared norms are clipped below at `epsilon`. */
export function cosineSimilarity(predictions: ArrayInput, targets: ArrayInput, opts: { epsilon?: number; axis?: number } = {}): Array {
  const a = floating("cosineSimilarity", predictions);
  const b = floating("cosineSimilarity", targets, "targets");
  const axis = opts.axis ?? -1;
  const eps = opts.epsilon ?? 0;
  const an = jnp.sqrt(jnp.maximum(a.mul(a).sum(axis, { keepdims: true }), eps));
  const bn = jnp.sqrt(jnp.maximum(b.mul(b).sum(axis, { keepdims: true }), eps));
  return a.div(an).mul(b.div(bn)).sum(axis);
}

/** `1 - cosineSimilarity`. */
export function cosineDistance(predictions: ArrayInput, targets: ArrayInput, opts: { epsilon?: number; axis?: number } = {}): Array {
  return asArray(1).sub(cosineSimilarity(predictions, targets, opts));
}

/** `(1 - alpha)·labels + alpha / numCategories` (Szegedy et al. 2016). */
export function smoothLabels(labels: ArrayInput, alpha: number): Array {
  const y = floating("smoothLabels", labels, "labels");
  return y.mul(1 - alpha).add(alpha / y.shape[y.ndim - 1]!);
}
