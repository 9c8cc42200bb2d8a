// LSTMCell, GRUCell, SimpleCell and RNN (flax/linen/recurrent.py). A cell is
// `call(scope, carry, x) -> [newCarry, y]`; RNN runs it over time with lax.scan.
import { Array, lax, random, tree } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Module, type Scope } from "../module.js";
import { Dense } from "./linear.js";
import { defaultKernelInit, paramDtypeOf, zerosInit, type DTypeOptions, type Initializer } from "../util.js";

type Act = (x: Array) => Array;

export interface CellOptions extends DTypeOptions {
  kernelInit?: Initializer;
  /** default: orthogonal() */
  recurrentKernelInit?: Initializer;
  biasInit?: Initializer;
  carryInit?: Initializer;
  /** default tanh */
  activationFn?: Act;
  /** default sigmoid (LSTM/GRU) */
  gateFn?: Act;
}

const defaultRecurrentInit: Initializer = jnp.nn.initializers.orthogonal();

/** Base class of recurrent cells: `call(scope, carry, x) -> [newCarry, y]` plus `initializeCarry`. */
export abstract class RNNCellBase extends Module {
  /** number of trailing feature axes of an input step (1) */
  get numFeatureAxes(): number {
    return 1;
  }
  /** The initial carry for an input step of shape `inputShape` ([batch..., features]). */
  abstract initializeCarry(key: Array, inputShape: readonly number[]): any;
  abstract override call(scope: Scope, carry: any, inputs: Array): [any, Array];
}

abstract class CellWithOptions extends RNNCellBase {
  constructor(
    readonly features: number,
    readonly options: CellOptions = {},
  ) {
    super();
  }
  protected denseI(scope: Scope, name: string, useBias: boolean): (x: Array) => Array {
    const o = this.options;
    return scope.child(
      name,
      new Dense(this.features, { useBias, kernelInit: o.kernelInit ?? defaultKernelInit, biasInit: o.biasInit ?? zerosInit, dtype: o.dtype, paramDtype: o.paramDtype }),
    );
  }
  protected denseH(scope: Scope, name: string, useBias: boolean): (x: Array) => Array {
    const o = this.options;
    return scope.child(
      name,
      new Dense(this.features, {
        useBias,
        kernelInit: o.recurrentKernelInit ?? defaultRecurrentInit,
        biasInit: o.biasInit ?? zerosInit,
        dtype: o.dtype,
        paramDtype: o.paramDtype,
      }),
    );
  }
  protected carryOf(key: Array, inputShape: readonly number[]): Array {
    const shape = [...inputShape.slice(0, -1), this.features];
    return (this.options.carryInit ?? zerosInit)(key, shape, paramDtypeOf(this.options));
  }
  protected get act(): Act {
    return this.options.activationFn ?? jnp.tanh;
  }
  protected get gate(): Act {
    return this.options.gateFn ?? jnp.nn.sigmoid;
  }
}

/** LSTM cell; carry `[c, h]`; params ii/if/ig/io (no bias) and hi/hf/hg/ho (with bias). */
export class LSTMCell extends CellWithOptions {
  call(scope: Scope, carry: [Array, Array], inputs: Array): [[Array, Array], Array] {
    const [c, h] = carry;
    const gi = (n: string) => this.denseI(scope, `i${n}`, false)(inputs);
    const gh = (n: string) => this.denseH(scope, `h${n}`, true)(h);
    const i = this.gate(gi("i").add(gh("i")));
    const f = this.gate(gi("f").add(gh("f")));
    const g = this.act(gi("g").add(gh("g")));
    const o = this.gate(gi("o").add(gh("o")));
    const newC = f.mul(c).add(i.mul(g));
    const newH = o.mul(this.act(newC));
    return [[newC, newH], newH];
  }
  initializeCarry(key: Array, inputShape: readonly number[]): [Array, Array] {
    const ks = random.split(key);
    return [this.carryOf(ks.get(0), inputShape), this.carryOf(ks.get(1), inputShape)];
  }
}

/** GRU cell; carry `h`; params ir/iz/in (with bias), hr/hz (no bias), hn (with bias). */
export class GRUCell extends CellWithOptions {
  call(scope: Scope, carry: Array, inputs: Array): [Array, Array] {
    const h = carry;
    const r = this.gate(this.denseI(scope, "ir", true)(inputs).add(this.denseH(scope, "hr", false)(h)));
    const z = this.gate(this.denseI(scope, "iz", true)(inputs).add(this.denseH(scope, "hz", false)(h)));
    const n = this.act(this.denseI(scope, "in", true)(inputs).add(r.mul(this.denseH(scope, "hn", true)(h))));
    const newH = jnp.subtract(1, z).mul(n).add(z.mul(h));
    return [newH, newH];
  }
  initializeCarry(key: Array, inputShape: readonly number[]): Array {
    return this.carryOf(key, inputShape);
  }
}

/** Elman cell: `h' = tanh(i(x) + h(h))`; params i (with bias) and h (no bias). */
export class SimpleCell extends CellWithOptions {
  constructor(
    features: number,
    options: CellOptions & { residual?: boolean } = {},
  ) {
    super(features, options);
  }
  call(scope: Scope, carry: Array, inputs: Array): [Array, Array] {
    let y = this.denseI(scope, "i", true)(inputs).add(this.denseH(scope, "h", false)(carry));
    if ((this.options as { residual?: boolean }).residual) y = y.add(carry);
    const newH = this.act(y);
    return [newH, newH];
  }
  initializeCarry(key: Array, inputShape: readonly number[]): Array {
    return this.carryOf(key, inputShape);
  }
}

export interface RNNOptions {
  /** inputs are [time, batch..., features] (default false: [batch..., time, features]) */
  timeMajor?: boolean;
  /** return `[finalCarry, outputs]` (default false: outputs only) */
  returnCarry?: boolean;
  /** run from the last step to the first */
  reverse?: boolean;
  /** with reverse, keep outputs in input order (default false: outputs come reversed, as Flax) */
  keepOrder?: boolean;
  /** loop unrolling of lax.scan */
  unroll?: number;
}

export interface RNNCallOptions {
  initialCarry?: unknown;
  /** key for the cell's carryInit when no initialCarry is given (default random.key(0)) */
  initKey?: Array;
  /**
   * integer length of each sequence, shape `[...batch]`: steps past it are padding. As Flax:
   * with `reverse` each sequence is flipped within its length (padding stays at the end),
   * and the returned carry is the carry after each sequence's last step; outputs past the
   * length are computed on the padding and returned as they come.
   */
  seqLengths?: Array | null;
  /** per-call overrides of the constructor options */
  returnCarry?: boolean;
  timeMajor?: boolean;
  reverse?: boolean;
  keepOrder?: boolean;
}

/**
 * Flax's flip_sequences: reverse the time axis of `inputs`, each sequence within its length
 * when `seqLengths` (shape `[...batch]`) is given, so that padding stays at the end.
 */
export function flipSequences(inputs: Array, seqLengths: Array | null | undefined, numBatchDims: number, timeMajor: boolean): Array {
  const timeAxis = timeMajor ? 0 : numBatchDims;
  const maxSteps = inputs.shape[timeAxis]!;
  if (seqLengths === null || seqLengths === undefined) return jnp.flip(inputs, timeAxis);
  if (maxSteps === 0) return inputs;
  const lens = jnp.expandDims(seqLengths.astype("int32"), timeAxis);
  let idxs = jnp.arange(maxSteps - 1, -1, -1, { dtype: "int32" });
  const ones = new globalThis.Array<number>(numBatchDims).fill(1);
  idxs = idxs.reshape(timeMajor ? [maxSteps, ...ones] : [...ones, maxSteps]);
  idxs = jnp.remainder(idxs.add(lens), maxSteps);
  idxs = idxs.reshape([...idxs.shape, ...new globalThis.Array<number>(inputs.ndim - idxs.ndim).fill(1)]);
  return jnp.takeAlongAxis(inputs, idxs, timeAxis);
}

/** Flax's _select_last_carry: `x[seqLengths - 1, arange(x.shape[1])]` of each stacked carry leaf. */
function selectLastCarry(carries: unknown, seqLengths: Array): unknown {
  const last = seqLengths.astype("int32").sub(1);
  const slice = (x: Array): Array => {
    if (x.ndim < 2) throw new RangeError(`[RNN] seqLengths needs batched carries, got a carry of shape [${x.shape.slice(1).join(",")}]`);
    const [t, n1] = [x.shape[0]!, x.shape[1]!];
    // numpy indexing: negative indices wrap, then (as JAX's gather) clamp
    const i0 = jnp.clip(jnp.where(last.lt(0), last.add(t), last), 0, t - 1);
    const flat = i0.mul(n1).add(jnp.arange(n1, { dtype: "int32" }));
    return jnp.take(x.reshape([t * n1, ...x.shape.slice(2)]), flat, 0, { mode: "clip" });
  };
  return tree.map(slice, carries as any);
}

/** Runs a cell over the time axis with lax.scan; the cell's params are under "cell". */
export class RNN extends Module {
  constructor(
    readonly cell: RNNCellBase,
    readonly options: RNNOptions = {},
  ) {
    super();
  }
  call(scope: Scope, inputs: Array, callOpts: RNNCallOptions = {}): any {
    const o = this.options;
    const timeMajor = callOpts.timeMajor ?? o.timeMajor ?? false;
    const returnCarry = callOpts.returnCarry ?? o.returnCarry ?? false;
    const reverse = callOpts.reverse ?? o.reverse ?? false;
    const keepOrder = callOpts.keepOrder ?? o.keepOrder ?? false;
    const seqLengths = callOpts.seqLengths ?? null;
    const nf = this.cell.numFeatureAxes;
    if (inputs.ndim < nf + 1) throw new RangeError(`[RNN] inputs need a time axis and ${nf} feature axis: got rank ${inputs.ndim}`);
    const timeAxis = timeMajor ? 0 : inputs.ndim - (nf + 1);
    const numBatchDims = inputs.ndim - nf - 1;
    if (seqLengths !== null) {
      if (!(seqLengths instanceof Array)) throw new TypeError("[RNN] seqLengths must be an Array");
      const batchShape = timeMajor ? inputs.shape.slice(1, inputs.ndim - nf) : inputs.shape.slice(0, timeAxis);
      if (seqLengths.shape.join(",") !== batchShape.join(",")) {
        throw new RangeError(`[RNN] seqLengths must have the batch shape [${batchShape.join(",")}], got [${seqLengths.shape.join(",")}]`);
      }
    }
    // As Flax: reverse flips the inputs (within each length) and scans forward.
    if (reverse) inputs = flipSequences(inputs, seqLengths, numBatchDims, timeMajor);
    const stepShape = inputs.shape.filter((_, i) => i !== timeAxis);
    const carry0 = callOpts.initialCarry ?? this.cell.initializeCarry(callOpts.initKey ?? random.key(0), stepShape);
    const xs = timeAxis === 0 ? inputs : jnp.moveaxis(inputs, timeAxis, 0);
    const cellFn = scope.child("cell", this.cell) as (c: unknown, x: Array) => [unknown, Array];
    // Create the cell's parameters outside the loop (the scan body only reads them).
    if (scope.isInitializing && xs.shape[0]! > 0) cellFn(carry0, xs.get(0));
    // With seqLengths and returnCarry, every step's carry is kept to pick each sequence's last.
    const sliceCarry = seqLengths !== null && returnCarry;
    const body = sliceCarry
      ? (c: unknown, x: Array): [unknown, unknown] => {
          const [nc, y] = cellFn(c, x);
          return [nc, [nc, y]];
        }
      : (c: unknown, x: Array) => cellFn(c, x);
    const scanOpts = { unroll: o.unroll ?? 1 } as Parameters<typeof lax.scan>[3];
    let carry: unknown;
    let ys: Array;
    if (sliceCarry) {
      const [, [carries, y]] = lax.scan(body as any, carry0, xs, scanOpts) as [unknown, [unknown, Array]];
      carry = selectLastCarry(carries, seqLengths!);
      ys = y;
    } else {
      [carry, ys] = lax.scan(body as any, carry0, xs, scanOpts) as [unknown, Array];
    }
    let outputs = timeAxis === 0 ? ys : jnp.moveaxis(ys, 0, timeAxis);
    if (reverse && keepOrder) outputs = flipSequences(outputs, seqLengths, numBatchDims, timeMajor);
    return returnCarry ? [carry, outputs] : outputs;
  }
}
