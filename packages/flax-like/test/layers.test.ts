// Every layer against Flax 0.12.8 run on the same parameters
// (tools/goldens/gen_flax.py): init gives Flax's parameter names and shapes,
// apply with Flax's variables gives Flax's output.
import { describe, expect, it } from "vitest";
import { Array, random, tree } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { decode, expectMatches, loadGolden, type EncodedArray } from "../../core/test/golden.js";
import {
  BatchNorm,
  Conv,
  ConvTranspose,
  Dense,
  DenseGeneral,
  Embed,
  GRUCell,
  GroupNorm,
  LSTMCell,
  LayerNorm,
  MultiHeadAttention,
  RMSNorm,
  RNN,
  Sequential,
  SelfAttention,
  SimpleCell,
  avgPool,
  maxPool,
  minPool,
  type Module,
} from "../src/index.js";

interface Case {
  name: string;
  inputs: any[];
  variables: any;
  out: any;
  updated?: any;
  mask?: EncodedArray;
  seqLengths?: EncodedArray;
  /** [param, flat shape] each initializer was called with, in Flax */
  initShapes?: [string, number[]][];
}

const cases = loadGolden<Case>("flax_layers", import.meta.url);
const isEnc = (x: any): x is EncodedArray => x !== null && typeof x === "object" && "dtype" in x && "shape" in x && "data" in x;
const dec = (t: any): any => (isEnc(t) ? decode(t) : globalThis.Array.isArray(t) ? t.map(dec) : Object.fromEntries(Object.entries(t).map(([k, v]) => [k, dec(v)])));
const encLeaves = (t: any): EncodedArray[] => (isEnc(t) ? [t] : globalThis.Array.isArray(t) ? t.flatMap(encLeaves) : Object.values(t).flatMap(encLeaves));

/** name -> path:shape lines of a variables tree (sorted), for comparing with Flax's. */
function shapesOf(t: any, prefix = ""): string[] {
  if (t instanceof Array) return [`${prefix}:${t.shape.join(",")}:${t.dtype.name}`];
  if (isEnc(t)) return [`${prefix}:${t.shape.join(",")}:${t.dtype}`];
  return Object.entries(t)
    .flatMap(([k, v]) => shapesOf(v, `${prefix}/${k}`))
    .sort();
}


interface Spec {
  model: Module;
  /** apply arguments from the decoded inputs */
  args?: (inputs: any[]) => any[];
  /** init arguments (default: args) */
  initArgs?: (inputs: any[]) => any[];
  tol?: { rtol: number; atol: number };
}

function spec(c: Case): Spec {
  const seq = (model: Module): Spec => ({ model, args: (xs) => [xs[0], { seqLengths: decode(c.seqLengths!) }] });
  switch (c.name) {
    case "dense":
    case "dense_batch3":
      return { model: new Dense(c.name === "dense" ? 5 : 2) };
    case "dense_nobias_f64":
      return { model: new Dense(3, { useBias: false, paramDtype: "float64" }) };
    case "dense_general":
      return { model: new DenseGeneral([2, 3], { axis: [-2, -1] }) };
    case "dense_general_mid":
      return { model: new DenseGeneral(3, { axis: 1 }) };
    case "dense_general_batch":
      return { model: new DenseGeneral(4, { batchDims: [0] }) };
    case "dense_general_batch2_axes":
      return { model: new DenseGeneral([2, 3], { axis: [-1, -2], batchDims: [1, 0] }) };
    case "dense_general_batch_mid_nobias":
      return { model: new DenseGeneral([3], { axis: 1, batchDims: [0], useBias: false }) };
    case "dense_general_unsorted_axes":
      return { model: new DenseGeneral([2, 3], { axis: [-1, 1] }) };
    case "conv2d_same":
      return { model: new Conv(4, [3, 3]) };
    case "conv2d_valid_stride":
      return { model: new Conv(4, [3, 3], { strides: 2, padding: "VALID" }) };
    case "conv1d_causal_dil":
      return { model: new Conv(3, [3], { kernelDilation: 2, padding: "CAUSAL" }) };
    case "conv2d_circular":
      return { model: new Conv(2, [3, 3], { padding: "CIRCULAR" }) };
    case "conv2d_groups_explicit":
      return { model: new Conv(4, [2, 2], { padding: [[1, 0], [0, 1]], featureGroupCount: 2 }) };
    case "conv2d_int_pad_dil":
      return { model: new Conv(3, [3, 3], { padding: 1, kernelDilation: [1, 2] }) };
    case "conv3d":
      return { model: new Conv(2, [2, 2, 2]) };
    case "conv1d_unbatched":
      return { model: new Conv(3, [3]) };
    case "conv2d_two_batch_dims":
      return { model: new Conv(2, [3, 3]) };
    case "conv_transpose2d":
      return { model: new ConvTranspose(3, [3, 3], { strides: [2, 2] }) };
    case "conv_transpose1d_valid_tk":
      return { model: new ConvTranspose(2, [3], { strides: [2], padding: "VALID", transposeKernel: true }) };
    case "conv_transpose2d_dil":
      return { model: new ConvTranspose(2, [2, 2], { kernelDilation: [2, 1], padding: "VALID" }) };
    case "conv_transpose2d_circular":
      return { model: new ConvTranspose(3, [3, 3], { strides: [2, 2], padding: "CIRCULAR" }) };
    case "conv_transpose1d_circular_tk_even":
      return { model: new ConvTranspose(2, [4], { strides: [3], padding: "CIRCULAR", transposeKernel: true }) };
    case "conv_transpose2d_circular_dil_unbatched":
      return { model: new ConvTranspose(2, [2, 3], { kernelDilation: [2, 1], padding: "CIRCULAR" }) };
    case "conv_transpose1d_circular_long_kernel":
      return { model: new ConvTranspose(2, [7], { padding: "CIRCULAR", useBias: false }) };
    case "embed":
      return { model: new Embed(10, 4) };
    case "embed_attend":
      return {
        model: new Embed(10, 4),
        args: (xs) => [xs[0], { method: "attend" }],
        initArgs: () => [jnp.zeros([1], "int32")],
      };
    case "layernorm":
      return { model: new LayerNorm() };
    case "layernorm_axes":
      return { model: new LayerNorm({ reductionAxes: [-2, -1], featureAxes: -1, useFastVariance: false }) };
    case "rmsnorm":
      return { model: new RMSNorm() };
    case "batchnorm_eval":
      return { model: new BatchNorm({ useRunningAverage: true }) };
    case "batchnorm_train":
      return { model: new BatchNorm({ momentum: 0.9 }), args: (xs) => [xs[0], { train: true, mutable: ["batchStats"] }] };
    case "groupnorm":
      return { model: new GroupNorm({ numGroups: 2 }) };
    case "groupnorm_size":
      return { model: new GroupNorm({ numGroups: null, groupSize: 1 }) };
    case "mha_cross_mask":
      return { model: new MultiHeadAttention(2, { qkvFeatures: 8, outFeatures: 6 }), args: (xs) => [xs[0], xs[1], { mask: decode(c.mask!) }] };
    case "mha_qkv":
      return { model: new MultiHeadAttention(2, { qkvFeatures: 8, outFeatures: 6 }) };
    case "self_attention_causal":
      return { model: new SelfAttention(2), args: (xs) => [xs[0], { causal: true }] };
    case "lstm_cell":
      return { model: new LSTMCell(3) };
    case "gru_cell":
      return { model: new GRUCell(3) };
    case "simple_cell":
      return { model: new SimpleCell(3) };
    case "rnn_lstm":
      return { model: new RNN(new LSTMCell(3)) };
    case "rnn_gru_reverse_carry":
      return { model: new RNN(new GRUCell(3), { reverse: true, keepOrder: false, returnCarry: true }) };
    case "rnn_simple_time_major":
      return { model: new RNN(new SimpleCell(2), { timeMajor: true }) };
    case "rnn_lstm_seqlen_carry":
      return seq(new RNN(new LSTMCell(3), { returnCarry: true }));
    case "rnn_gru_seqlen_reverse_keep_carry":
      return seq(new RNN(new GRUCell(3), { reverse: true, keepOrder: true, returnCarry: true }));
    case "rnn_lstm_seqlen_reverse":
      return seq(new RNN(new LSTMCell(2), { reverse: true }));
    case "rnn_gru_seqlen_time_major_reverse_carry":
      return seq(new RNN(new GRUCell(2), { timeMajor: true, reverse: true, returnCarry: true }));
    case "rnn_lstm_seqlen_time_major_keep":
      return seq(new RNN(new LSTMCell(2), { timeMajor: true, reverse: true, keepOrder: true, returnCarry: true }));
    case "rnn_gru_seqlen_plain":
      return seq(new RNN(new GRUCell(2)));
    case "rnn_lstm_seqlen_2batch_reverse_keep":
      return seq(new RNN(new LSTMCell(2), { reverse: true, keepOrder: true }));
    case "rnn_simple_seqlen_long_carry":
      return seq(new RNN(new SimpleCell(2), { returnCarry: true }));
    case "sequential":
      return { model: new Sequential([new Dense(4), jnp.nn.relu, new Dense(2)]) };
    default:
      throw new Error(`no spec for ${c.name}`);
  }
}

const pools: Record<string, (x: Array) => Array> = {
  max_pool_same_s2: (x) => maxPool(x, [2, 2], { strides: [2, 2], padding: "SAME" }),
  avg_pool_same_nopad: (x) => avgPool(x, [3, 3], { padding: "SAME", countIncludePad: false }),
  avg_pool_valid: (x) => avgPool(x, [2, 2], { strides: [1, 2] }),
  min_pool_explicit: (x) => minPool(x, [2, 3], { padding: [[1, 0], [1, 1]] }),
  max_pool_1d_unbatched: (x) => maxPool(x, [2], { strides: [2] }),
};

function expectTree(got: any, want: any, label: string, tol?: { rtol: number; atol: number }): void {
  const w = encLeaves(want);
  const g = tree.leaves(got) as Array[];
  expect(g.length, `${label}: number of outputs`).toBe(w.length);
  g.forEach((a, i) => expectMatches(a, w[i]!, { label: `${label}[${i}]`, rtol: tol?.rtol ?? 2e-5, atol: tol?.atol ?? 2e-5 }));
}

describe("layers vs Flax", () => {
  for (const c of cases) {
    it(c.name, () => {
      const inputs = c.inputs.map(dec);
      if (c.name in pools) {
        expectTree(pools[c.name]!(inputs[0]), c.out, c.name);
        return;
      }
      const s = spec(c);
      const args = s.args ? s.args(inputs) : inputs;
      const initArgs = s.initArgs ? s.initArgs(inputs) : args.filter((a) => !(a && typeof a === "object" && "mutable" in a));
      // Our init: the same collections, names and shapes (and param dtypes) as Flax's.
      const ours = s.model.init(random.key(0), ...initArgs);
      expect(shapesOf(ours), `${c.name}: variables`).toEqual(shapesOf(c.variables));
      // Apply with Flax's variables.
      const out = s.model.apply(dec(c.variables), ...args);
      if (c.initShapes) {
        // The initializers see Flax's flattened shapes (fan_in/fan_out as Flax computes them).
        const seen: string[] = [];
        const spyOf =
          (tag: string, init: any) =>
          (key: Array, shape: readonly number[], dtype: any) => {
            seen.push(JSON.stringify([tag, shape]));
            return init(key, shape, dtype);
          };
        const dg = s.model as DenseGeneral;
        new DenseGeneral(dg.features, {
          ...dg.options,
          kernelInit: spyOf("kernel", jnp.nn.initializers.lecunNormal()),
          biasInit: spyOf("bias", jnp.nn.initializers.zeros),
        }).init(random.key(0), ...initArgs);
        expect([...new Set(seen)]).toEqual([...new Set(c.initShapes.map((e) => JSON.stringify(e)))]);
      }
      if (c.updated) {
        const [y, upd] = out as [Array, any];
        expectTree(y, c.out, c.name, s.tol);
        expect(Object.keys(upd)).toEqual(Object.keys(c.updated));
        expectTree(upd, c.updated, `${c.name} updated`);
      } else {
        expectTree(out, c.out, c.name, s.tol);
      }
    });
  }
});
