// jax.nn.dot_product_attention with JAX's XLA formulation
// (_dot_product_attention_xla): [B, T, N, H] layout, grouped-query attention
// (N query heads over K key/value heads), logits in promote(dtype, float32),
// masks (boolean, causal, local window, sequence lengths) applied by replacing
// logits with a large negative number, softmax always in float32.
//
// JAX vmaps a core function over the G = N / K query heads of each group; here
// the group axis is carried explicitly ([B, K, G, T, S] logits), which is the
// same computation.
import { Array, float32, lax, promoteTypes, scalar, stopGradient, type ArrayInput, type DType } from "@jaxts/core";
import { bool, fmt, int32 } from "../math_helpers.js";
import { softmax, logsumexp } from "./functions.js";

export interface DotProductAttentionOptions {
  /** added to the logits; 4-D (or fewer, padded in front), broadcastable to [B, N, T, S] */
  bias?: ArrayInput | null;
  /** boolean, true where attention is allowed; 4-D (or fewer), broadcastable to [B, N, T, S] */
  mask?: ArrayInput | null;
  /** logit scale (default 1 / sqrt(H)) */
  scale?: number | null;
  /** mask out keys after each query position (lower-triangular [T, S] mask) */
  isCausal?: boolean;
  /** int32 [B]: queries at positions >= the length are masked and give zeros */
  querySeqLengths?: ArrayInput | null;
  /** int32 [B]: keys/values at positions >= the length are masked */
  keyValueSeqLengths?: ArrayInput | null;
  /** [left, right] (or one number for both): query t attends to keys in [t - left, t + right] */
  localWindowSize?: number | readonly [number, number] | null;
  /** "xla" or null (the same); "cudnn" is not available in jaxts */
  implementation?: "xla" | "cudnn" | null;
  /** also return the logsumexp of the logits, shaped like the query without H */
  returnResidual?: boolean;
}

const OP = "dot_product_attention";

function asArr(x: ArrayInput, what: string): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number" || typeof x === "boolean") return scalar(x);
  throw new TypeError(`[${OP}] ${what} must be an Array, got ${x === null ? "null" : typeof x}`);
}

function ensure4d(t: Array): Array {
  return t.ndim >= 4 ? t : lax.reshape(t, [...new globalThis.Array<number>(4 - t.ndim).fill(1), ...t.shape]);
}

const shapeStr = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

function checkShapeAndDType(t: Array | null, shape: number[], d: DType | null, name: string): void {
  if (t === null) return;
  if (t.ndim !== shape.length) throw new RangeError(`[${OP}] ${name} ndim should be ${shape.length}, but got ${t.ndim} (${fmt(t)})`);
  if (d !== null && t.dtype !== d) throw new TypeError(`[${OP}] ${name} dtype should be ${d.name}, but got ${t.dtype.name} (${fmt(t)})`);
  for (let i = 0; i < t.ndim; i++) {
    if (shape[i] !== -1 && t.shape[i] !== shape[i]) {
      throw new RangeError(`[${OP}] ${name} shape should be [${shape.join(", ")}]: but got ${shapeStr(t.shape)}`);
    }
  }
}

/** Broadcast x (a scalar, or of equal rank with size-1 axes) to `shape`. */
function bcast(x: Array, shape: number[]): Array {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return lax.broadcastInDim(x, shape, x.ndim === 0 ? [] : shape.map((_, i) => i));
}

/** A [tB, tN, tT, tS] bias or mask as [tB, K|1, G|1, tT, tS]. */
function toGrouped(t: Array, n: number, k: number, g: number, name: string): Array {
  const [tB, tN, tT, tS] = t.shape as [number, number, number, number];
  if (tN === 1) return lax.reshape(t, [tB, 1, 1, tT, tS]);
  if (tN !== n) throw new RangeError(`[${OP}] ${name} ${fmt(t)} must have 1 or N = ${n} heads on axis 1`);
  return lax.reshape(t, [tB, k, g, tT, tS]);
}

function largeNegative(d: DType): Array {
  // Softmax runs in float32, so the value is capped to stay finite there.
  const f32max = 3.4028234663852886e38;
  const dmax = d.name === "float16" ? 65504 : d.name === "float32" ? f32max : Number.MAX_VALUE;
  return scalar(-0.7 * Math.min(dmax, f32max), d, false);
}

function iota(shape: number[], dim: number): Array {
  return lax.broadcastedIota(int32, shape, dim);
}

/**
 * jax.nn.dot_product_attention(query, key, value, bias?, mask?, {scale, isCausal,
 * querySeqLengths, keyValueSeqLengths, localWindowSize, implementation,
 * returnResidual}): softmax(Q Kᵀ · scale + bias) V per head, with query
 * [B, T, N, H] (or [T, N, H]), key and value [B, S, K, H] (N a multiple of K).
 * `bias` and `mask` may also be given in the options object.
 */
export function dotProductAttention(
  query: ArrayInput,
  key: ArrayInput,
  value: ArrayInput,
  bias?: ArrayInput | null | DotProductAttentionOptions,
  mask?: ArrayInput | null,
  opts?: DotProductAttentionOptions & { returnResidual?: false },
): Array;
export function dotProductAttention(
  query: ArrayInput,
  key: ArrayInput,
  value: ArrayInput,
  bias: ArrayInput | null | undefined | DotProductAttentionOptions,
  mask: ArrayInput | null | undefined,
  opts: DotProductAttentionOptions & { returnResidual: true },
): [Array, Array];
export function dotProductAttention(
  query: ArrayInput,
  key: ArrayInput,
  value: ArrayInput,
  bias: DotProductAttentionOptions & { returnResidual: true },
): [Array, Array];
export function dotProductAttention(
  query: ArrayInput,
  key: ArrayInput,
  value: ArrayInput,
  bias?: ArrayInput | null | DotProductAttentionOptions,
  mask?: ArrayInput | null,
  opts?: DotProductAttentionOptions,
): Array | [Array, Array];
export function dotProductAttention(
  query: ArrayInput,
  key: ArrayInput,
  value: ArrayInput,
  bias?: ArrayInput | null | DotProductAttentionOptions,
  mask?: ArrayInput | null,
  opts: DotProductAttentionOptions = {},
): Array | [Array, Array] {
  let o: DotProductAttentionOptions;
  if (bias !== null && typeof bias === "object" && !(bias instanceof Array)) {
    o = { ...(bias as DotProductAttentionOptions) };
  } else {
    o = { ...opts };
    if (bias !== undefined && bias !== null) o.bias = bias as ArrayInput;
    if (mask !== undefined && mask !== null) o.mask = mask;
  }
  const q0 = asArr(query, "query");
  const outputShape = q0.shape;
  const q = ensure4d(q0);
  const k = ensure4d(asArr(key, "key"));
  const v = ensure4d(asArr(value, "value"));
  const b = o.bias === undefined || o.bias === null ? null : ensure4d(asArr(o.bias, "bias"));
  const m = o.mask === undefined || o.mask === null ? null : ensure4d(asArr(o.mask, "mask"));
  const qLen = o.querySeqLengths === undefined || o.querySeqLengths === null ? null : asArr(o.querySeqLengths, "query_seq_lengths");
  const kvLen =
    o.keyValueSeqLengths === undefined || o.keyValueSeqLengths === null ? null : asArr(o.keyValueSeqLengths, "key_value_seq_lengths");
  let window: [number, number] | null = null;
  if (o.localWindowSize !== undefined && o.localWindowSize !== null) {
    const w = o.localWindowSize;
    window = typeof w === "number" ? [w, w] : [w[0], w[1]];
    if (!window.every((x) => Number.isInteger(x))) {
      throw new TypeError(`[${OP}] local_window_size must be an integer or a pair of integers, got ${JSON.stringify(w)}`);
    }
  }
  if (k.ndim !== 4) throw new RangeError(`[${OP}] key must be 3-D or 4-D ([S, K, H] or [B, S, K, H]), got ${fmt(k)}`);
  const [B, S, K, H] = k.shape as [number, number, number, number];
  checkShapeAndDType(v, [B, S, K, H], k.dtype, "value");
  checkShapeAndDType(q, [B, -1, -1, H], k.dtype, "query");
  checkShapeAndDType(m, [-1, -1, -1, -1], bool, "mask");
  checkShapeAndDType(b, [-1, -1, -1, -1], null, "bias");
  checkShapeAndDType(qLen, [B], int32, "query_seq_lengths");
  checkShapeAndDType(kvLen, [B], int32, "key_value_seq_lengths");
  if (k.dtype.kind !== "f") throw new TypeError(`[${OP}] query, key and value must be floating point, got ${fmt(k)}`);
  const N = q.shape[2]!;
  const T = q.shape[1]!;
  if (K === 0 || N % K !== 0) {
    throw new RangeError(`[${OP}] The number of query heads must be a multiple of key/value heads, but got ${N} vs ${K}`);
  }
  const impl = o.implementation ?? "xla";
  if (impl === "cudnn") throw new Error(`[${OP}] implementation "cudnn" is not available in jaxts; use "xla" (the default)`);
  if (impl !== "xla") throw new RangeError(`[${OP}] Unsupported implementation option: ${String(impl)}`);
  const scale = o.scale ?? 1.0 / Math.sqrt(H);
  const G = N / K;

  // logits[b, k, g, t, s] = sum_h q[b, t, k, g, h] key[b, s, k, h]
  const logitsDType = promoteTypes(q.dtype, float32);
  const qg = lax.reshape(q, [B, T, K, G, H]);
  let logits = lax.dotGeneral(
    qg,
    k,
    [
      [[4], [3]],
      [
        [0, 2],
        [0, 2],
      ],
    ],
    { preferredElementType: logitsDType },
  ); // [B, K, T, G, S]
  logits = lax.transpose(logits, [0, 1, 3, 2, 4]);
  const lshape = [B, K, G, T, S];
  logits = lax.mul(logits, scalar(scale, logitsDType, false));
  if (b) {
    const bg = toGrouped(b, N, K, G, "bias");
    checkBroadcast(bg, lshape, "bias");
    const bd = promoteTypes(logitsDType, bg.dtype);
    logits = lax.convertElementType(
      lax.add(lax.convertElementType(logits, bd), bcast(lax.convertElementType(bg, bd), lshape)),
      logitsDType,
    );
  }

  let combined: Array | null = null;
  const and = (mk: Array) => {
    combined = combined === null ? bcast(mk, lshape) : lax.bitwiseAnd(combined, bcast(mk, lshape));
  };
  if (m) {
    const mg = toGrouped(m, N, K, G, "mask");
    checkBroadcast(mg, lshape, "mask");
    and(mg);
  }
  if (o.isCausal) {
    const tPos = iota([T, S], 0);
    const sPos = iota([T, S], 1);
    and(lax.reshape(lax.ge(tPos, sPos), [1, 1, 1, T, S]));
  }
  if (window) {
    const [left, right] = window;
    const tPos = iota([T, S], 0);
    const sPos = iota([T, S], 1);
    const leftMask = lax.le(tPos, lax.add(sPos, scalar(left, int32, false)));
    const rightMask = lax.ge(tPos, lax.sub(sPos, scalar(right, int32, false)));
    and(lax.reshape(lax.bitwiseAnd(rightMask, leftMask), [1, 1, 1, T, S]));
  }
  if (qLen || kvLen) {
    let pad: Array | null = null;
    if (qLen) {
      pad = lax.lt(iota([B, T, S], 1), lax.broadcastInDim(qLen, [B, T, S], [0]));
    }
    if (kvLen) {
      const kvMask = lax.lt(iota([B, T, S], 2), lax.broadcastInDim(kvLen, [B, T, S], [0]));
      pad = pad ? lax.bitwiseAnd(pad, kvMask) : kvMask;
    }
    and(lax.reshape(pad!, [B, 1, 1, T, S]));
  }
  let padded = logits;
  if (combined !== null) {
    padded = lax.select(combined, padded, bcast(largeNegative(logitsDType), lshape));
  }
  // Softmax is always computed in float32.
  const padded32 = lax.convertElementType(padded, float32);
  const probs = lax.convertElementType(softmax(padded32, -1), k.dtype);
  // encoded[b, k, g, t, h] = sum_s probs[b, k, g, t, s] value[b, s, k, h]
  let encoded = lax.dotGeneral(probs, v, [
    [[4], [1]],
    [
      [0, 1],
      [0, 2],
    ],
  ]); // [B, K, G, T, H]
  encoded = lax.transpose(encoded, [0, 3, 1, 2, 4]); // [B, T, K, G, H]
  if (qLen) {
    const qMask = lax.lt(iota([B, T], 1), lax.broadcastInDim(qLen, [B, T], [0]));
    const qm = lax.convertElementType(lax.reshape(qMask, [B, T, 1, 1, 1]), encoded.dtype);
    encoded = lax.mul(encoded, lax.broadcastInDim(qm, encoded.shape, [0, 1, 2, 3, 4]));
  }
  const out = lax.reshape(encoded, outputShape);
  if (!o.returnResidual) return out;
  let lse = lax.convertElementType(logsumexp(padded32, -1), k.dtype); // [B, K, G, T]
  lse = lax.transpose(lse, [0, 3, 1, 2]); // [B, T, K, G]
  const residual = lax.reshape(stopGradient(lse), outputShape.slice(0, -1));
  return [out, residual];
}

function checkBroadcast(t: Array, shape: number[], name: string): void {
  if (t.shape.some((d, i) => d !== 1 && d !== shape[i])) {
    throw new RangeError(`[${OP}] ${name} ${fmt(t)} is not broadcastable to [B, N, T, S] = [${shape[0]}, ${shape[1]! * shape[2]!}, ${shape[3]}, ${shape[4]}]`);
  }
}
