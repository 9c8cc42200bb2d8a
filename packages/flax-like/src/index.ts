// @jaxts/flax-like: Linen-style modules with pure init/apply over PyTrees,
// layers with Flax's defaults, pooling, summaries, and safetensors checkpoints.
export { Module, Scope, Variable, FnModule, module, type Variables, type ApplyOptions, type InitOptions, type Mutable, type CallHook } from "./module.js";
export { Dense, Linear, DenseGeneral, Conv, ConvTranspose, convTranspose, Embed } from "./layers/linear.js";
export type { DenseOptions, DenseGeneralOptions, ConvOptions, ConvTransposeOptions, EmbedOptions, PaddingLike } from "./layers/linear.js";
export { LayerNorm, RMSNorm, BatchNorm, GroupNorm } from "./layers/normalization.js";
export type { NormOptions, LayerNormOptions, BatchNormOptions, GroupNormOptions } from "./layers/normalization.js";
export { Dropout, type DropoutOptions } from "./layers/stochastic.js";
export {
  MultiHeadAttention,
  MultiHeadDotProductAttention,
  SelfAttention,
  makeAttentionMask,
  makeCausalMask,
  combineMasks,
} from "./layers/attention.js";
export type { MultiHeadAttentionOptions, AttentionCallOptions } from "./layers/attention.js";
export { RNNCellBase, LSTMCell, GRUCell, SimpleCell, RNN, flipSequences } from "./layers/recurrent.js";
export type { CellOptions, RNNOptions, RNNCallOptions } from "./layers/recurrent.js";
export { Sequential, MLP, type Layer, type MLPOptions } from "./layers/combinators.js";
export { pool, maxPool, avgPool, minPool, type PoolOptions, type AvgPoolOptions, type PoolPadding } from "./pooling.js";
export { paramCount, paramBytes, tabulate, summaryRows, type SummaryRow } from "./summary.js";
export {
  toSafetensors,
  toSafetensorsSync,
  fromSafetensors,
  parseSafetensors,
  saveCheckpoint,
  loadCheckpoint,
  assertWritable,
  CheckpointError,
  type SaveOptions,
  type ParsedSafetensors,
} from "./checkpoint.js";
export type { DTypeOptions, Initializer } from "./util.js";
// jax.nn activations and initializers, as flax.linen re-exports them.
import { nn } from "@jaxts/numpy";
export const identity = nn.identity;
export const relu = nn.relu;
export const relu6 = nn.relu6;
export const squareplus = nn.squareplus;
export const softplus = nn.softplus;
export const sparsePlus = nn.sparsePlus;
export const softSign = nn.softSign;
export const sigmoid = nn.sigmoid;
export const sparseSigmoid = nn.sparseSigmoid;
export const silu = nn.silu;
export const swish = nn.swish;
export const mish = nn.mish;
export const logSigmoid = nn.logSigmoid;
export const elu = nn.elu;
export const leakyRelu = nn.leakyRelu;
export const hardTanh = nn.hardTanh;
export const celu = nn.celu;
export const selu = nn.selu;
export const gelu = nn.gelu;
export const glu = nn.glu;
export const hardSigmoid = nn.hardSigmoid;
export const hardSilu = nn.hardSilu;
export const hardSwish = nn.hardSwish;
export const tanh = nn.tanh;
export const log1mexp = nn.log1mexp;
export const softmax = nn.softmax;
export const logSoftmax = nn.logSoftmax;
export const logsumexp = nn.logsumexp;
export const logmeanexp = nn.logmeanexp;
export const standardize = nn.standardize;
export const oneHot = nn.oneHot;
export const dotProductAttention = nn.dotProductAttention;
export const initializers = nn.initializers;
