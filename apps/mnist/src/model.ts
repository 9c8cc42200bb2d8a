// The two models and everything about training them that is not I/O: the loss,
// one jitted train step (valueAndGrad + optimizer update + applyUpdates), and a
// jitted evaluation that counts correct predictions.
import { fromTyped, float32, int32, jit, valueAndGrad, type Array } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Conv, Dense, Module, maxPool, relu, type Scope } from "@jaxts/flax-like";
import * as optax from "@jaxts/optax-like";
import { IMAGE_SIZE, NUM_CLASSES, type Dataset } from "./data.js";

export type ModelName = "mlp" | "cnn";

/** 784 → 256 → 128 → 10 with ReLU. */
export class MnistMLP extends Module {
  call(scope: Scope, x: Array): Array {
    x = x.reshape([x.shape[0]!, IMAGE_SIZE]);
    x = relu(scope.child(new Dense(256))(x));
    x = relu(scope.child(new Dense(128))(x));
    return scope.child(new Dense(NUM_CLASSES))(x);
  }
}

/** conv3x3(16) → maxpool 2 → conv3x3(32) → maxpool 2 → dense 128 → dense 10, ReLU. */
export class MnistCNN extends Module {
  call(scope: Scope, x: Array): Array {
    x = x.reshape([x.shape[0]!, 28, 28, 1]);
    x = maxPool(relu(scope.child(new Conv(16, [3, 3]))(x)), [2, 2], { strides: [2, 2] });
    x = maxPool(relu(scope.child(new Conv(32, [3, 3]))(x)), [2, 2], { strides: [2, 2] });
    x = x.reshape([x.shape[0]!, -1]);
    x = relu(scope.child(new Dense(128))(x));
    return scope.child(new Dense(NUM_CLASSES))(x);
  }
}

export function makeModel(name: ModelName): Module {
  return name === "mlp" ? new MnistMLP() : new MnistCNN();
}

export type Params = Record<string, any>;
export type TrainStep = (params: Params, optState: unknown, x: Array, y: Array) => [Params, unknown, Array, Array];

/**
 * The train step as a plain function: mean softmax cross-entropy, its gradient,
 * the optimizer's update and applyUpdates. Returns the new params and optimizer
 * state, the batch loss and the number of correct predictions in the batch
 * (both scalar Arrays; nothing is read back to the host).
 */
export function trainStepFn(model: Module, opt: optax.GradientTransformation): TrainStep {
  return (params, optState, x, y) => {
    const lossAndLogits = (p: Params): [Array, Array] => {
      const logits = model.apply({ params: p }, x) as Array;
      return [optax.softmaxCrossEntropyWithIntegerLabels(logits, y).mean(), logits];
    };
    const [[loss, logits], grads] = valueAndGrad(lossAndLogits, { hasAux: true })(params) as [[Array, Array], Params];
    const [updates, newState] = opt.update(grads, optState, params);
    const correct = jnp.argmax(logits, -1).eq(y).astype("int32").sum();
    return [optax.applyUpdates(params, updates) as Params, newState, loss, correct];
  };
}

/** The whole train step under one `jit`. */
export function makeTrainStep(model: Module, opt: optax.GradientTransformation): TrainStep {
  return jit(trainStepFn(model, opt)) as unknown as TrainStep;
}

/** A jitted `(params, x, y) → number of correct predictions` (int32 scalar). */
export function makeEvalStep(model: Module): (params: Params, x: Array, y: Array) => Array {
  return jit((params: Params, x: Array, y: Array) => {
    const logits = model.apply({ params }, x) as Array;
    return jnp.argmax(logits, -1).eq(y).astype("int32").sum();
  }) as unknown as (params: Params, x: Array, y: Array) => Array;
}

/**
 * Rows `[start, start + size)` of `ds` (after `order`, when given) as `[size, 784]`
 * float32 and `[size]` int32 Arrays. With `shift`, each image is translated by a
 * random whole number of pixels in [-maxShift, maxShift] along each axis (zero fill):
 * the data augmentation used in training.
 */
export function batch(ds: Dataset, start: number, size: number, order?: Int32Array, shift?: { rand: () => number; maxShift: number }): [Array, Array] {
  const x = new Float32Array(size * IMAGE_SIZE);
  const y = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const r = order ? order[start + i]! : start + i;
    const src = ds.images.subarray(r * IMAGE_SIZE, (r + 1) * IMAGE_SIZE);
    if (!shift) {
      x.set(src, i * IMAGE_SIZE);
    } else {
      const span = 2 * shift.maxShift + 1;
      const dy = Math.floor(shift.rand() * span) - shift.maxShift;
      const dx = Math.floor(shift.rand() * span) - shift.maxShift;
      for (let row = 0; row < 28; row++) {
        const sr = row - dy;
        if (sr < 0 || sr >= 28) continue;
        for (let col = 0; col < 28; col++) {
          const sc = col - dx;
          if (sc >= 0 && sc < 28) x[i * IMAGE_SIZE + row * 28 + col] = src[sr * 28 + sc]!;
        }
      }
    }
    y[i] = ds.labels[r]!;
  }
  return [fromTyped(x, [size, IMAGE_SIZE], float32), fromTyped(y, [size], int32)];
}

/**
 * Held-out accuracy in [0, 1], over all of `ds` in batches of `batchSize`
 * (the last, smaller batch is its own jit specialization).
 */
export async function evaluate(evalStep: (params: Params, x: Array, y: Array) => Array, params: Params, ds: Dataset, batchSize = 500): Promise<number> {
  const counts: Array[] = [];
  for (let start = 0; start < ds.n; start += batchSize) {
    const [x, y] = batch(ds, start, Math.min(batchSize, ds.n - start));
    counts.push(evalStep(params, x, y));
  }
  let correct = 0;
  for (const c of counts) correct += Number((await c.data())[0]);
  return correct / ds.n;
}
