// Dense, DenseGeneral, Conv, ConvTranspose, Embed (flax/linen/linear.py).
import { Array, lax, type DTypeLike } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Module, type Scope } from "../module.js";
import {
  canonAxes,
  defaultKernelInit,
  fmtShape,
  paramDtypeOf,
  prod,
  promoteDtype,
  tupleOf,
  zerosInit,
  type DTypeOptions,
  type Initializer,
} from "../util.js";

type Precision = lax.PrecisionLike;

export interface DenseOptions extends DTypeOptions {
  useBias?: boolean;
  kernelInit?: Initializer;
  biasInit?: Initializer;
  precision?: Precision;
}

function checkInput(op: string, x: unknown, minRank = 1): Array {
  if (!(x instanceof Array)) throw new TypeError(`[${op}] input must be an Array, got ${x === null ? "null" : typeof x}`);
  if (x.ndim < minRank) throw new RangeError(`[${op}] input must have rank >= ${minRank}, got ${fmtShape(x)}`);
  return x;
}

/** A linear layer on the last axis: `y = x @ kernel + bias`, kernel `[in, features]`. */
export class Dense extends Module {
  constructor(
    readonly features: number,
    readonly options: DenseOptions = {},
  ) {
    super();
    if (!Number.isInteger(features) || features < 0) throw new RangeError(`[Dense] features must be a non-negative integer, got ${features}`);
  }
  call(scope: Scope, inputs: Array): Array {
    const x0 = checkInput("Dense", inputs);
    const o = this.options;
    const pd = paramDtypeOf(o);
    let kernel = scope.param("kernel", o.kernelInit ?? defaultKernelInit, [x0.shape[x0.ndim - 1]!, this.features], pd);
    let bias = (o.useBias ?? true) ? scope.param("bias", o.biasInit ?? zerosInit, [this.features], pd) : null;
    let x: Array;
    [x, kernel, bias] = promoteDtype(o.dtype, x0, kernel, bias);
    let y = lax.dotGeneral(x, kernel, [[[x.ndim - 1], [0]], [[], []]], { precision: o.precision });
    if (bias) y = y.add(bias);
    return y;
  }
}
/** Flax's name for Dense in NNX and PyTorch's: the same layer. */
export const Linear = Dense;

export interface DenseGeneralOptions extends DenseOptions {
  /** input axes contracted with the kernel (default -1); sorted, as Flax does */
  axis?: number | readonly number[];
  /**
   * leading input axes (consecutive from 0) treated as batch in the kernel: the kernel and
   * bias get these axes in front, one independent map per batch entry (default none)
   */
  batchDims?: number | readonly number[];
}

/** A linear map contracting several input axes into several output features. */
export class DenseGeneral extends Module {
  readonly features: number[];
  constructor(
    features: number | readonly number[],
    readonly options: DenseGeneralOptions = {},
  ) {
    super();
    this.features = typeof features === "number" ? [features] : [...features];
    const bd = options.batchDims === undefined ? [] : typeof options.batchDims === "number" ? [options.batchDims] : [...options.batchDims];
    if (bd.length) {
      const max = Math.max(...bd);
      const set = new Set(bd);
      if (set.size !== max + 1 || ![...set].every((d) => Number.isInteger(d) && d >= 0 && d <= max)) {
        throw new RangeError(`[DenseGeneral] batchDims [${bd.join(", ")}] must be consecutive leading dimensions starting from 0`);
      }
    }
  }
  call(scope: Scope, inputs: Array): Array {
    const x0 = checkInput("DenseGeneral", inputs);
    const o = this.options;
    const features = this.features;
    // As Flax's _normalize_axes: non-negative and sorted.
    const axes = canonAxes(x0.ndim, o.axis ?? -1, "DenseGeneral").sort((a, b) => a - b);
    const batchDims = canonAxes(x0.ndim, o.batchDims ?? [], "DenseGeneral").sort((a, b) => a - b);
    const nb = batchDims.length;
    for (const b of batchDims) {
      if (axes.includes(b)) throw new RangeError(`[DenseGeneral] axis ${b} is both a batch and a contracted dimension`);
    }
    const batchShape = batchDims.map((a) => x0.shape[a]!);
    const inShape = axes.map((a) => x0.shape[a]!);
    const kernelShape = [...batchShape, ...inShape, ...features];
    const base = o.kernelInit ?? defaultKernelInit;
    // As Flax: the initializers see flattened shapes — the kernel's
    // [prod(batch) * prod(in), prod(features)], the bias's [prod(batch) * prod(features)].
    const kernelInit: Initializer = (key, shape, dtype) =>
      base(key, [prod(batchShape) * prod(inShape), prod(features)], dtype).reshape([...shape]);
    const pd = paramDtypeOf(o);
    let kernel = scope.param("kernel", kernelInit, kernelShape, pd);
    let bias: Array | null = null;
    if (o.useBias ?? true) {
      const bInit = o.biasInit ?? zerosInit;
      const biasInit: Initializer = (key, shape, dtype) => bInit(key, [prod(batchShape) * prod(features)], dtype).reshape([...shape]);
      bias = scope.param("bias", biasInit, [...batchShape, ...features], pd);
    }
    let x: Array;
    [x, kernel, bias] = promoteDtype(o.dtype, x0, kernel, bias);
    const batchInd = batchDims.map((_, i) => i);
    const contractInd = axes.map((_, i) => nb + i);
    // dot_general output: [batch..., free input axes..., features...]
    let y = lax.dotGeneral(x, kernel, [[axes, contractInd], [batchDims, batchInd]], { precision: o.precision });
    if (bias) {
      // batch sizes, then 1 for each free input axis, then the features
      const expanded: number[] = [];
      for (let a = 0; a < x0.ndim; a++) {
        if (axes.includes(a)) continue;
        expanded.push(batchDims.includes(a) ? x0.shape[a]! : 1);
      }
      y = y.add(bias.reshape([...expanded, ...features]));
    }
    return y;
  }
}

/** Padding as Flax takes it: a mode, one number, one number or (low, high) pair per spatial axis. */
export type PaddingLike =
  | "SAME"
  | "VALID"
  | "CIRCULAR"
  | "CAUSAL"
  | number
  | readonly (number | readonly [number, number])[];

function canonicalizePadding(p: PaddingLike, n: number, op: string): string | [number, number][] {
  if (typeof p === "string") {
    const u = p.toUpperCase();
    if (!["SAME", "VALID", "CIRCULAR", "CAUSAL", "SAME_LOWER"].includes(u)) {
      throw new TypeError(`[${op}] padding must be SAME, VALID, CIRCULAR, CAUSAL, a number or per-axis pairs, got "${p}"`);
    }
    return u;
  }
  if (typeof p === "number") return new globalThis.Array(n).fill(0).map(() => [p, p]);
  if (!globalThis.Array.isArray(p) || p.length !== n) {
    throw new TypeError(`[${op}] padding must have one entry per spatial dimension (${n}), got ${JSON.stringify(p)}`);
  }
  return p.map((e) => (typeof e === "number" ? [e, e] : [e[0], e[1]]));
}

const LAYOUTS: Record<number, [string, string, string]> = {
  1: ["NWC", "WIO", "NWC"],
  2: ["NHWC", "HWIO", "NHWC"],
  3: ["NDHWC", "DHWIO", "NDHWC"],
};

export interface ConvOptions extends DenseOptions {
  /** stride per spatial axis (default 1) */
  strides?: number | readonly number[];
  /** "SAME" (default), "VALID", "CIRCULAR", "CAUSAL" (1-D), a number, or per-axis (low, high) pairs */
  padding?: PaddingLike;
  /** lhs dilation per spatial axis (default 1) */
  inputDilation?: number | readonly number[];
  /** kernel (atrous) dilation per spatial axis (default 1) */
  kernelDilation?: number | readonly number[];
  /** grouped convolution: input features are split into this many groups (default 1) */
  featureGroupCount?: number;
  /** multiplied into the kernel (same shape as the kernel) */
  mask?: Array | null;
}

/** Shared batch-dims handling of Conv/ConvTranspose: flatten leading batch axes to one. */
function flattenBatch(x: Array, nSpatial: number): [Array, number[] | null] {
  const nb = x.ndim - (nSpatial + 1);
  if (nb === 1) return [x, null];
  const batch = x.shape.slice(0, nb);
  return [x.reshape([prod(batch), ...x.shape.slice(nb)]), batch];
}

/** N-d convolution over NHWC inputs (1, 2 or 3 spatial axes), kernel `[...kernelSize, in/groups, features]`. */
export class Conv extends Module {
  readonly kernelSize: number[];
  constructor(
    readonly features: number,
    kernelSize: readonly number[] | number,
    readonly options: ConvOptions = {},
  ) {
    super();
    if (typeof kernelSize === "number") kernelSize = [kernelSize];
    if (!globalThis.Array.isArray(kernelSize) || kernelSize.length < 1 || kernelSize.length > 3) {
      throw new TypeError(`[Conv] kernelSize must list 1 to 3 spatial sizes, got ${JSON.stringify(kernelSize)}`);
    }
    this.kernelSize = [...kernelSize];
  }
  call(scope: Scope, inputs: Array): Array {
    const op = "Conv";
    const o = this.options;
    const ks = this.kernelSize;
    const n = ks.length;
    let x = checkInput(op, inputs, n + 1);
    const [xb, batchShape] = flattenBatch(x, n);
    x = xb;
    const strides = tupleOf(o.strides, n, 1, op, "strides");
    const inputDilation = tupleOf(o.inputDilation, n, 1, op, "inputDilation");
    const kernelDilation = tupleOf(o.kernelDilation, n, 1, op, "kernelDilation");
    let padding = canonicalizePadding(o.padding ?? "SAME", n, op);
    if (padding === "CIRCULAR") {
      const dilated = ks.map((k, i) => (k - 1) * kernelDilation[i]! + 1);
      const pads: [number, number][] = [[0, 0], ...dilated.map((k): [number, number] => [Math.floor((k - 1) / 2), Math.floor(k / 2)]), [0, 0]];
      x = jnp.pad(x, pads, "wrap");
      padding = "VALID";
    } else if (padding === "CAUSAL") {
      if (n !== 1) throw new RangeError(`[${op}] CAUSAL padding is only defined for 1-D convolutions, got kernelSize [${ks.join(", ")}]`);
      const left = kernelDilation[0]! * (ks[0]! - 1);
      x = jnp.pad(x, [[0, 0], [left, 0], [0, 0]]);
      padding = "VALID";
    }
    const inFeatures = x.shape[x.ndim - 1]!;
    const groups = o.featureGroupCount ?? 1;
    if (inFeatures % groups !== 0) {
      throw new RangeError(`[${op}] input features ${inFeatures} must be a multiple of featureGroupCount ${groups}: ${fmtShape(inputs)}`);
    }
    const kernelShape = [...ks, inFeatures / groups, this.features];
    if (o.mask && (o.mask.ndim !== kernelShape.length || o.mask.shape.some((d, i) => d !== kernelShape[i]))) {
      throw new RangeError(`[${op}] mask must have the kernel's shape [${kernelShape.join(", ")}], got ${fmtShape(o.mask)}`);
    }
    const pd = paramDtypeOf(o);
    let kernel = scope.param("kernel", o.kernelInit ?? defaultKernelInit, kernelShape, pd);
    if (o.mask) kernel = kernel.mul(o.mask);
    let bias = (o.useBias ?? true) ? scope.param("bias", o.biasInit ?? zerosInit, [this.features], pd) : null;
    [x, kernel, bias] = promoteDtype(o.dtype, x, kernel, bias);
    let y = lax.convGeneralDilated(x, kernel, strides, padding as lax.ConvPadding, {
      lhsDilation: inputDilation,
      rhsDilation: kernelDilation,
      dimensionNumbers: LAYOUTS[n]!,
      featureGroupCount: groups,
      precision: o.precision,
    });
    if (bias) y = y.add(bias);
    if (batchShape) y = y.reshape([...batchShape, ...y.shape.slice(1)]);
    return y;
  }
}

/** jax.lax.conv_transpose's per-axis padding for SAME/VALID. */
function convTransposePadding(k: number, s: number, padding: string): [number, number] {
  let padLen: number;
  let padA: number;
  if (padding === "SAME") {
    padLen = k + s - 2;
    padA = s > k - 1 ? k - 1 : Math.ceil(padLen / 2);
  } else {
    padLen = k + s - 2 + Math.max(k - s, 0);
    padA = k - 1;
  }
  return [padA, padLen - padA];
}

/**
 * jax.lax.conv_transpose: a fractionally strided convolution (lhs dilation by the
 * strides), with SAME/VALID meaning the padding of the forward convolution and
 * explicit pairs the padding of the transposed one.
 */
export function convTranspose(
  lhs: Array,
  rhs: Array,
  strides: readonly number[],
  padding: string | readonly (readonly [number, number])[],
  opts: { rhsDilation?: readonly number[]; dimensionNumbers?: [string, string, string]; transposeKernel?: boolean; precision?: Precision } = {},
): Array {
  const n = lhs.ndim - 2;
  const dn = opts.dimensionNumbers ?? LAYOUTS[n];
  if (!dn) throw new RangeError(`[conv_transpose] no default layout for ${n} spatial dimensions: ${fmtShape(lhs)}`);
  const rhsSpatial = [...dn[1]].map((c, i) => (c === "I" || c === "O" ? -1 : i)).filter((i) => i >= 0);
  const rhsDil = opts.rhsDilation ?? new globalThis.Array<number>(n).fill(1);
  let pads: [number, number][];
  if (typeof padding === "string") {
    const u = padding.toUpperCase();
    if (u !== "SAME" && u !== "VALID") throw new TypeError(`[conv_transpose] padding must be SAME, VALID or pairs, got "${padding}"`);
    pads = rhsSpatial.map((ax, i) => convTransposePadding((rhs.shape[ax]! - 1) * rhsDil[i]! + 1, strides[i]!, u));
  } else {
    pads = padding.map(([a, b]) => [a, b]);
  }
  let w = rhs;
  if (opts.transposeKernel) {
    w = jnp.flip(w, rhsSpatial);
    w = jnp.swapaxes(w, dn[1].indexOf("O"), dn[1].indexOf("I"));
  }
  return lax.convGeneralDilated(lhs, w, new globalThis.Array<number>(n).fill(1), pads, {
    lhsDilation: strides,
    rhsDilation: rhsDil,
    dimensionNumbers: dn,
    precision: opts.precision,
  });
}

export interface ConvTransposeOptions extends DenseOptions {
  strides?: number | readonly number[];
  /** "SAME" (default), "VALID", a number, or per-axis pairs (padding of the transposed convolution) */
  padding?: PaddingLike;
  kernelDilation?: number | readonly number[];
  /** flip the kernel spatially and swap its in/out axes (the gradient of Conv); the kernel is then `[..., features, in]` */
  transposeKernel?: boolean;
  mask?: Array | null;
}

/** Transposed convolution (NHWC), kernel `[...kernelSize, in, features]`. */
export class ConvTranspose extends Module {
  readonly kernelSize: number[];
  constructor(
    readonly features: number,
    kernelSize: readonly number[] | number,
    readonly options: ConvTransposeOptions = {},
  ) {
    super();
    this.kernelSize = typeof kernelSize === "number" ? [kernelSize] : [...kernelSize];
    if (this.kernelSize.length < 1 || this.kernelSize.length > 3) {
      throw new TypeError(`[ConvTranspose] kernelSize must list 1 to 3 spatial sizes, got ${JSON.stringify(kernelSize)}`);
    }
  }
  call(scope: Scope, inputs: Array): Array {
    const op = "ConvTranspose";
    const o = this.options;
    const ks = this.kernelSize;
    const n = ks.length;
    const [x0, batchShape] = flattenBatch(checkInput(op, inputs, n + 1), n);
    const strides = tupleOf(o.strides, n, 1, op, "strides");
    const kernelDilation = tupleOf(o.kernelDilation, n, 1, op, "kernelDilation");
    const inFeatures = x0.shape[x0.ndim - 1]!;
    const kernelShape = o.transposeKernel ? [...ks, this.features, inFeatures] : [...ks, inFeatures, this.features];
    const pd = paramDtypeOf(o);
    let kernel = scope.param("kernel", o.kernelInit ?? defaultKernelInit, kernelShape, pd);
    if (o.mask) kernel = kernel.mul(o.mask);
    const padding = canonicalizePadding(o.padding ?? "SAME", n, op);
    if (padding === "CAUSAL" || padding === "SAME_LOWER") {
      throw new TypeError(`[${op}] padding ${padding} is not supported; use SAME, VALID, CIRCULAR or explicit pairs`);
    }
    const circular = padding === "CIRCULAR";
    let bias = (o.useBias ?? true) ? scope.param("bias", o.biasInit ?? zerosInit, [this.features], pd) : null;
    let x: Array;
    [x, kernel, bias] = promoteDtype(o.dtype, x0, kernel, bias);
    let y = convTranspose(x, kernel, strides, circular ? "VALID" : padding, {
      rhsDilation: kernelDilation,
      transposeKernel: o.transposeKernel ?? false,
      precision: o.precision,
    });
    if (circular) y = wrapCircular(y, x.shape.slice(1, -1), strides, o.transposeKernel ?? false);
    if (bias) y = y.add(bias);
    if (batchShape) y = y.reshape([...batchShape, ...y.shape.slice(1)]);
    return y;
  }
}

/**
 * Flax's CIRCULAR ConvTranspose: the VALID result `y` is padded to an odd number of periods
 * (input size × stride) per spatial axis and folded (summed) onto one period, so the output has
 * size input × stride and wraps around. The extra element of an odd padding goes on the left
 * (on the right with transposeKernel), as Flax.
 */
function wrapCircular(y: Array, inSpatial: readonly number[], strides: readonly number[], transposeKernel: boolean): Array {
  const mod = (a: number, m: number) => ((a % m) + m) % m;
  const periods = inSpatial.map((d, i) => d * strides[i]!);
  const pads: [number, number][] = periods.map((p, i) => {
    const diff = mod(-(y.shape[i + 1]! - p), 2 * p);
    return transposeKernel ? [Math.floor(diff / 2), Math.floor((diff + 1) / 2)] : [Math.floor((diff + 1) / 2), Math.floor(diff / 2)];
  });
  y = jnp.pad(y, [[0, 0], ...pads, [0, 0]]);
  for (let i = 1; i < y.ndim - 1; i++) {
    y = y.reshape([...y.shape.slice(0, i), -1, periods[i - 1]!, ...y.shape.slice(i + 1)]);
    y = jnp.sum(y, i);
  }
  return y;
}

export interface EmbedOptions {
  dtype?: DTypeLike | null;
  paramDtype?: DTypeLike;
  embeddingInit?: Initializer;
}

/** Flax's default embedding init: variance_scaling(1.0, "fan_in", "normal", out_axis=0). */
const defaultEmbedInit: Initializer = jnp.nn.initializers.varianceScaling(1.0, "fan_in", "normal", { outAxis: 0 });

/** A lookup table `[numEmbeddings, features]`; `attend(scope, query)` is `query @ embeddingᵀ`. */
export class Embed extends Module {
  constructor(
    readonly numEmbeddings: number,
    readonly features: number,
    readonly options: EmbedOptions = {},
  ) {
    super();
  }
  private table(scope: Scope): Array {
    const e = scope.param("embedding", this.options.embeddingInit ?? defaultEmbedInit, [this.numEmbeddings, this.features], paramDtypeOf(this.options));
    const d = this.options.dtype;
    return d === null || d === undefined ? e : e.astype(d);
  }
  call(scope: Scope, inputs: Array): Array {
    if (!(inputs instanceof Array) || !inputs.dtype.isInteger) {
      throw new TypeError(`[Embed] input must be an integer Array, got ${inputs instanceof Array ? fmtShape(inputs) : typeof inputs}`);
    }
    const e = this.table(scope);
    if (this.numEmbeddings === 1) return jnp.broadcastTo(e.reshape([this.features]), [...inputs.shape, this.features]);
    return jnp.take(e, inputs, 0);
  }
  /** Attend over the embeddings: `query @ embeddingᵀ` (weight tying for output logits). */
  attend(scope: Scope, query: Array): Array {
    const e = this.table(scope);
    const [q, emb] = promoteDtype(this.options.dtype, query, e);
    return lax.dotGeneral(q, emb, [[[q.ndim - 1], [1]], [[], []]]);
  }
}
