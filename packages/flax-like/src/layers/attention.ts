// MultiHeadAttention / SelfAttention (flax/linen/attention.py): query/key/value
// DenseGeneral projections to [..., heads, headDim], scaled dot-product
// attention (jnp.nn.dotProductAttention), and an "out" DenseGeneral.
import { Array, lax, random } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Module, type Scope } from "../module.js";
import { DenseGeneral, type DenseOptions } from "./linear.js";
import { LayerNorm } from "./normalization.js";
import { fmtShape, prod, type Initializer } from "../util.js";

export interface MultiHeadAttentionOptions extends Omit<DenseOptions, "biasInit"> {
  /** total features of query/key/value over all heads (default: the query's features) */
  qkvFeatures?: number;
  /** output features (default: the query's features) */
  outFeatures?: number;
  /** dropout on the attention weights (default 0) */
  dropoutRate?: number;
  /** one dropout mask shared over the batch and heads (default true) */
  broadcastDropout?: boolean;
  /** no dropout when true (default: `!train`) */
  deterministic?: boolean;
  biasInit?: Initializer;
  outKernelInit?: Initializer;
  outBiasInit?: Initializer;
  /** LayerNorm (no bias) on queries and keys */
  normalizeQk?: boolean;
}

export interface AttentionCallOptions {
  /** boolean, true where attention is allowed, broadcastable to [batch..., heads, q, kv] */
  mask?: Array | null;
  /** also mask keys after each query position */
  causal?: boolean;
  /** overrides the module's `deterministic` for this call */
  deterministic?: boolean;
}

const isCallOptions = (x: unknown): x is AttentionCallOptions =>
  x !== null && typeof x === "object" && !(x instanceof Array) && !globalThis.Array.isArray(x);

/** A [q, kv] lower-triangular boolean mask (broadcastable to [batch..., heads, q, kv]). */
function causalMask(q: number, kv: number): Array {
  const i = lax.broadcastedIota("int32", [q, kv], 0);
  const j = lax.broadcastedIota("int32", [q, kv], 1);
  return jnp.greaterEqual(i, j);
}

/** flax.linen.make_attention_mask: `pairwiseFn(query[..., :, None], key[..., None, :])` with a heads axis. */
export function makeAttentionMask(queryInput: Array, keyInput: Array, pairwiseFn: (a: Array, b: Array) => Array = jnp.multiply): Array {
  const m = pairwiseFn(jnp.expandDims(queryInput, -1), jnp.expandDims(keyInput, -2));
  return jnp.expandDims(m, -3).astype("bool");
}

/** flax.linen.make_causal_mask: `[..., 1, len, len]` lower-triangular mask for inputs `[..., len]`. */
export function makeCausalMask(x: Array): Array {
  const n = x.shape[x.ndim - 1]!;
  return jnp.broadcastTo(causalMask(n, n), [...x.shape.slice(0, -1), 1, n, n]);
}

/** flax.linen.combine_masks: the logical and of the given masks (nulls skipped). */
export function combineMasks(...masks: (Array | null | undefined)[]): Array | null {
  const ms = masks.filter((m): m is Array => m instanceof Array);
  if (ms.length === 0) return null;
  return ms.reduce((a, b) => jnp.logicalAnd(a, b));
}

/**
 * Multi-head dot-product attention: `call(scope, inputsQ, inputsK?, inputsV?, {mask, causal, deterministic}?)`.
 * Inputs are `[batch..., length, features]`; keys default to the queries and values to the keys.
 * Parameters: `query`, `key`, `value` (kernels `[features, heads, headDim]`) and `out` (`[heads, headDim, outFeatures]`).
 */
export class MultiHeadAttention extends Module {
  constructor(
    readonly numHeads: number,
    readonly options: MultiHeadAttentionOptions = {},
  ) {
    super();
  }
  call(scope: Scope, inputsQ: Array, ...rest: (Array | null | undefined | AttentionCallOptions)[]): Array {
    const op = "MultiHeadAttention";
    let callOpts: AttentionCallOptions = {};
    if (rest.length && isCallOptions(rest[rest.length - 1])) callOpts = rest.pop() as AttentionCallOptions;
    let inputsK = (rest[0] ?? null) as Array | null;
    let inputsV = (rest[1] ?? null) as Array | null;
    if (inputsK === null) {
      if (inputsV !== null) throw new TypeError(`[${op}] inputsK is null but inputsV is given`);
      inputsK = inputsQ;
    }
    if (inputsV === null) inputsV = inputsK;
    const o = this.options;
    const features = o.outFeatures ?? inputsQ.shape[inputsQ.ndim - 1]!;
    const qkvFeatures = o.qkvFeatures ?? inputsQ.shape[inputsQ.ndim - 1]!;
    if (qkvFeatures % this.numHeads !== 0) {
      throw new RangeError(`[${op}] qkvFeatures ${qkvFeatures} must be divisible by numHeads ${this.numHeads}`);
    }
    const headDim = qkvFeatures / this.numHeads;
    const dense = (name: string) =>
      scope.child(
        name,
        new DenseGeneral([this.numHeads, headDim], {
          axis: -1,
          dtype: o.dtype,
          paramDtype: o.paramDtype,
          kernelInit: o.kernelInit,
          biasInit: o.biasInit,
          useBias: o.useBias,
          precision: o.precision,
        }),
      );
    let query = dense("query")(inputsQ);
    let key = dense("key")(inputsK);
    const value = dense("value")(inputsV);
    if (o.normalizeQk) {
      query = scope.child("query_ln", new LayerNorm({ useBias: false, dtype: o.dtype, paramDtype: o.paramDtype }))(query);
      key = scope.child("key_ln", new LayerNorm({ useBias: false, dtype: o.dtype, paramDtype: o.paramDtype }))(key);
    }
    const rate = o.dropoutRate ?? 0;
    const deterministic = rate === 0 || (callOpts.deterministic ?? o.deterministic ?? !scope.train);
    const x = deterministic
      ? attendFast(op, query, key, value, callOpts)
      : attendWithDropout(query, key, value, callOpts, rate, o.broadcastDropout ?? true, scope.makeRng("dropout"));
    return scope.child(
      "out",
      new DenseGeneral(features, {
        axis: [-2, -1],
        dtype: o.dtype,
        paramDtype: o.paramDtype,
        kernelInit: o.outKernelInit ?? o.kernelInit,
        biasInit: o.outBiasInit ?? o.biasInit,
        useBias: o.useBias,
        precision: o.precision,
      }),
    )(x);
  }
}

/** Flax's name. */
export const MultiHeadDotProductAttention = MultiHeadAttention;

/** jnp.nn.dotProductAttention over [B, T, N, H], with extra batch axes flattened into B. */
function attendFast(op: string, q: Array, k: Array, v: Array, c: AttentionCallOptions): Array {
  if (q.ndim < 3) throw new RangeError(`[${op}] projected query must be [batch..., length, heads, headDim], got ${fmtShape(q)}`);
  const batch = q.shape.slice(0, -3);
  const flat = (t: Array) => t.reshape([prod(batch), ...t.shape.slice(-3)]);
  let mask = c.mask ?? null;
  if (mask !== null) {
    if (mask.ndim > 4) {
      const mb = jnp.broadcastTo(mask, [...batch, ...mask.shape.slice(-3)]);
      mask = mb.reshape([prod(batch), ...mb.shape.slice(-3)]);
    }
    mask = mask.astype("bool");
  }
  const y = jnp.nn.dotProductAttention(flat(q), flat(k), flat(v), { mask, isCausal: c.causal ?? false });
  return y.reshape([...batch, ...y.shape.slice(1)]);
}

/** Flax's dot_product_attention with dropout on the weights (softmax in float32). */
function attendWithDropout(q: Array, k: Array, v: Array, c: AttentionCallOptions, rate: number, broadcast: boolean, rng: Array): Array {
  const depth = q.shape[q.ndim - 1]!;
  const qs = q.div(Math.sqrt(depth));
  let w = jnp.einsum("...qhd,...khd->...hqk", qs, k);
  const qLen = q.shape[q.ndim - 3]!;
  const kLen = k.shape[k.ndim - 3]!;
  const mask = combineMasks(c.mask ? c.mask.astype("bool") : null, c.causal ? causalMask(qLen, kLen) : null);
  if (mask) {
    const bigNeg = jnp.finfo(w.dtype).min;
    w = jnp.where(mask, w, bigNeg);
  }
  w = jnp.nn.softmax(w.astype("float32"), -1).astype(w.dtype);
  const keep = 1 - rate;
  const dropShape = broadcast ? [...new globalThis.Array<number>(k.ndim - 2).fill(1), ...w.shape.slice(-2)] : w.shape;
  const kept = random.bernoulli(rng, keep, dropShape);
  w = w.mul(kept.astype(w.dtype).div(keep));
  return jnp.einsum("...hqk,...khd->...qhd", w, v);
}

/** Self-attention: MultiHeadAttention with keys and values from the queries; `call(scope, x, {mask, causal}?)`. */
export class SelfAttention extends MultiHeadAttention {
  override call(scope: Scope, inputs: Array, opts: AttentionCallOptions = {}): Array {
    return super.call(scope, inputs, null, null, opts);
  }
}
