"""Goldens for @jaxts/flax-like (packages/flax-like): Flax Linen layers run by Flax itself.

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_flax.py
     (JAX 0.10.2 + Flax 0.12.8 installed from /opt/pypi/files;
      writes packages/flax-like/test/fixtures/flax_layers.json).

Each case: {"name", "inputs": [enc...], "variables": Flax's variables from init
(nested dicts of enc, collection "batch_stats" renamed "batchStats"), "out": the
output of apply with those variables (nested lists for tuples), and optionally
"mask" (the attention mask given to apply), "updated" (mutable collections after apply) and "extra" outputs}. The TypeScript
test builds the same layer by case name, checks that its own init gives the same
parameter names and shapes, and that apply with Flax's variables gives Flax's output.
"""
import os

import jax
import jax.numpy as jnp
import numpy as np
import flax
import flax.linen as nn

import common
from common import enc

common.FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "flax-like", "test", "fixtures")

R = np.random.default_rng(5)


def x32(*shape, lo=-2.0, hi=2.0):
    return jnp.asarray(R.uniform(lo, hi, size=shape).astype(np.float32))


def enc_tree(t):
    if isinstance(t, dict) or hasattr(t, "items"):
        return {("batchStats" if k == "batch_stats" else k): enc_tree(v) for k, v in t.items()}
    if isinstance(t, (tuple, list)):
        return [enc_tree(v) for v in t]
    return enc(np.asarray(t))


def randomize(variables, seed):
    """Replace every leaf by random values (so zero biases/ones scales are exercised)."""
    rng = np.random.default_rng(seed)
    return jax.tree.map(lambda a: jnp.asarray(rng.uniform(-1, 1, size=a.shape).astype(a.dtype)), variables)


cases = []


def case(name, module, inputs, init_inputs=None, apply_kw=None, init_kw=None, mutable=None, randomize_vars=True, method=None):
    key = jax.random.key(0)
    init_inputs = inputs if init_inputs is None else init_inputs
    variables = module.init(key, *init_inputs, **(init_kw or {}))
    variables = flax.core.unfreeze(variables)
    if randomize_vars:
        variables = randomize(variables, len(cases) + 100)
        if "batch_stats" in variables:
            variables["batch_stats"] = jax.tree.map(lambda a: jnp.abs(a) + 0.5 if a is not None else a, variables["batch_stats"])
    kw = dict(apply_kw or {})
    if method is not None:
        kw["method"] = method
    c = {"name": name, "inputs": [enc_tree(i) for i in inputs], "variables": enc_tree(variables)}
    if "mask" in kw:
        c["mask"] = enc(np.asarray(kw["mask"]))
    if "seq_lengths" in kw:
        c["seqLengths"] = enc(np.asarray(kw["seq_lengths"]))
    if mutable:
        out, upd = module.apply(variables, *inputs, mutable=mutable, **kw)
        c["updated"] = enc_tree(flax.core.unfreeze(upd))
    else:
        out = module.apply(variables, *inputs, **kw)
    c["out"] = enc_tree(out)
    cases.append(c)


# Linear
case("dense", nn.Dense(5), [x32(3, 4)])
with jax.enable_x64(True):
    case("dense_nobias_f64", nn.Dense(3, use_bias=False, param_dtype=jnp.float64),
         [jnp.asarray(R.uniform(-1, 1, (2, 4)))])
case("dense_batch3", nn.Dense(2), [x32(2, 3, 4)])
case("dense_general", nn.DenseGeneral(features=(2, 3), axis=(-2, -1)), [x32(2, 4, 5)])
case("dense_general_mid", nn.DenseGeneral(features=3, axis=1), [x32(2, 4, 5)])
case("conv2d_same", nn.Conv(4, (3, 3)), [x32(2, 6, 6, 3)])
case("conv2d_valid_stride", nn.Conv(4, (3, 3), strides=2, padding="VALID"), [x32(1, 7, 7, 2)])
case("conv1d_causal_dil", nn.Conv(3, (3,), kernel_dilation=2, padding="CAUSAL"), [x32(2, 10, 2)])
case("conv2d_circular", nn.Conv(2, (3, 3), padding="CIRCULAR"), [x32(1, 5, 5, 2)])
case("conv2d_groups_explicit", nn.Conv(4, (2, 2), padding=((1, 0), (0, 1)), feature_group_count=2), [x32(2, 5, 5, 4)])
case("conv2d_int_pad_dil", nn.Conv(3, (3, 3), padding=1, kernel_dilation=(1, 2)), [x32(1, 6, 7, 2)])
case("conv3d", nn.Conv(2, (2, 2, 2)), [x32(1, 4, 4, 4, 1)])
case("conv1d_unbatched", nn.Conv(3, (3,)), [x32(8, 2)])
case("conv2d_two_batch_dims", nn.Conv(2, (3, 3)), [x32(2, 2, 4, 4, 1)])
case("conv_transpose2d", nn.ConvTranspose(3, (3, 3), strides=(2, 2)), [x32(1, 4, 4, 2)])
case("conv_transpose1d_valid_tk", nn.ConvTranspose(2, (3,), strides=(2,), padding="VALID", transpose_kernel=True), [x32(2, 5, 3)])
case("conv_transpose2d_dil", nn.ConvTranspose(2, (2, 2), kernel_dilation=(2, 1), padding="VALID"), [x32(1, 3, 3, 2)])
case("embed", nn.Embed(10, 4), [jnp.asarray(R.integers(0, 10, (2, 3)), jnp.int32)])
case("embed_attend", nn.Embed(10, 4), [x32(2, 4)], init_inputs=[jnp.zeros((1,), jnp.int32)], method="attend")

# Normalization
case("layernorm", nn.LayerNorm(), [x32(2, 3, 5)])
case("layernorm_axes", nn.LayerNorm(reduction_axes=(-2, -1), feature_axes=-1, use_fast_variance=False), [x32(2, 3, 5)])
case("rmsnorm", nn.RMSNorm(), [x32(2, 5)])
case("batchnorm_eval", nn.BatchNorm(use_running_average=True), [x32(4, 3)])
case("batchnorm_train", nn.BatchNorm(use_running_average=False, momentum=0.9), [x32(4, 2, 3)], mutable=["batch_stats"])
case("groupnorm", nn.GroupNorm(num_groups=2), [x32(2, 3, 3, 4)])
case("groupnorm_size", nn.GroupNorm(num_groups=None, group_size=1), [x32(2, 5, 3)])

# Attention
q, kv = x32(2, 3, 5), x32(2, 4, 5)
mask = jnp.asarray(R.integers(0, 2, (2, 1, 3, 4)).astype(bool)).at[..., 0].set(True)
case("mha_cross_mask", nn.MultiHeadDotProductAttention(num_heads=2, qkv_features=8, out_features=6), [q, kv],
     apply_kw={"mask": mask})
case("mha_qkv", nn.MultiHeadDotProductAttention(num_heads=2, qkv_features=8, out_features=6), [q, kv, x32(2, 4, 5)])
xs = x32(2, 4, 6)
case("self_attention_causal", nn.MultiHeadDotProductAttention(num_heads=2), [xs],
     apply_kw={"mask": nn.make_causal_mask(jnp.ones((2, 4)))})

# Recurrent
carry_lstm = (x32(2, 3), x32(2, 3))
case("lstm_cell", nn.LSTMCell(3), [carry_lstm, x32(2, 4)])
case("gru_cell", nn.GRUCell(3), [x32(2, 3), x32(2, 4)])
case("simple_cell", nn.SimpleCell(3), [x32(2, 3), x32(2, 4)])
case("rnn_lstm", nn.RNN(nn.LSTMCell(3)), [x32(2, 5, 4)])
case("rnn_gru_reverse_carry", nn.RNN(nn.GRUCell(3), reverse=True, keep_order=False, return_carry=True), [x32(2, 5, 4)])
case("rnn_simple_time_major", nn.RNN(nn.SimpleCell(2), time_major=True), [x32(5, 2, 3)])


# Combinators
case("sequential", nn.Sequential([nn.Dense(4), nn.relu, nn.Dense(2)]), [x32(3, 5)])


# Pooling (no parameters): outputs of Flax's functions.
def pool_case(name, fn, x, *args, **kw):
    cases.append({"name": name, "inputs": [enc(np.asarray(x))], "variables": {}, "out": enc(np.asarray(fn(x, *args, **kw)))})


px = x32(2, 5, 5, 2)
pool_case("max_pool_same_s2", nn.max_pool, px, (2, 2), strides=(2, 2), padding="SAME")
pool_case("avg_pool_same_nopad", nn.avg_pool, px, (3, 3), padding="SAME", count_include_pad=False)
pool_case("avg_pool_valid", nn.avg_pool, px, (2, 2), strides=(1, 2))
pool_case("min_pool_explicit", flax.linen.pooling.min_pool, px, (2, 3), padding=((1, 0), (1, 1)))
pool_case("max_pool_1d_unbatched", nn.max_pool, x32(6, 3), (2,), strides=(2,))


# DenseGeneral batch_dims (appended last so the earlier cases' random draws are unchanged)
init_shapes = []


def spy(init, tag):
    def f(key, shape, dtype=jnp.float32):
        init_shapes.append([tag, [int(d) for d in shape]])
        return init(key, shape, dtype)
    return f


def dg_case(name, x, **kw):
    del init_shapes[:]
    case(name, nn.DenseGeneral(kernel_init=spy(nn.initializers.lecun_normal(), "kernel"),
                               bias_init=spy(nn.initializers.zeros_init(), "bias"), **kw), [x])
    cases[-1]["initShapes"] = list(init_shapes)


dg_case("dense_general_batch", x32(3, 2, 5), features=4, batch_dims=(0,))
dg_case("dense_general_batch2_axes", x32(2, 3, 2, 4, 5), features=(2, 3), axis=(-1, -2), batch_dims=(1, 0))
dg_case("dense_general_batch_mid_nobias", x32(2, 4, 3, 5), features=(3,), axis=1, batch_dims=(0,), use_bias=False)
dg_case("dense_general_unsorted_axes", x32(2, 4, 5), features=(2, 3), axis=(-1, 1))

# RNN seq_lengths
lens4 = jnp.asarray([5, 2, 0, 3], jnp.int32)
case("rnn_lstm_seqlen_carry", nn.RNN(nn.LSTMCell(3), return_carry=True), [x32(4, 5, 2)], apply_kw={"seq_lengths": lens4})
case("rnn_gru_seqlen_reverse_keep_carry", nn.RNN(nn.GRUCell(3), reverse=True, keep_order=True, return_carry=True),
     [x32(4, 5, 2)], apply_kw={"seq_lengths": lens4})
case("rnn_lstm_seqlen_reverse", nn.RNN(nn.LSTMCell(2), reverse=True), [x32(4, 5, 3)], apply_kw={"seq_lengths": lens4})
case("rnn_gru_seqlen_time_major_reverse_carry", nn.RNN(nn.GRUCell(2), time_major=True, reverse=True, return_carry=True),
     [x32(5, 4, 3)], apply_kw={"seq_lengths": jnp.asarray([1, 5, 4, 2], jnp.int32)})
case("rnn_lstm_seqlen_time_major_keep", nn.RNN(nn.LSTMCell(2), time_major=True, reverse=True, keep_order=True, return_carry=True),
     [x32(5, 3, 2)], apply_kw={"seq_lengths": jnp.asarray([3, 5, 1], jnp.int32)})
case("rnn_gru_seqlen_plain", nn.RNN(nn.GRUCell(2)), [x32(3, 4, 2)], apply_kw={"seq_lengths": jnp.asarray([4, 1, 2], jnp.int32)})
case("rnn_lstm_seqlen_2batch_reverse_keep", nn.RNN(nn.LSTMCell(2), reverse=True, keep_order=True),
     [x32(2, 3, 4, 2)], apply_kw={"seq_lengths": jnp.asarray([[4, 1, 2], [3, 0, 4]], jnp.int32)})
case("rnn_simple_seqlen_long_carry", nn.RNN(nn.SimpleCell(2), return_carry=True), [x32(3, 4, 2)],
     apply_kw={"seq_lengths": jnp.asarray([6, 4, 1], jnp.int32)})

# ConvTranspose CIRCULAR
case("conv_transpose2d_circular", nn.ConvTranspose(3, (3, 3), strides=(2, 2), padding="CIRCULAR"), [x32(1, 4, 4, 2)])
case("conv_transpose1d_circular_tk_even", nn.ConvTranspose(2, (4,), strides=(3,), padding="CIRCULAR", transpose_kernel=True),
     [x32(2, 5, 3)])
case("conv_transpose2d_circular_dil_unbatched", nn.ConvTranspose(2, (2, 3), kernel_dilation=(2, 1), padding="CIRCULAR"),
     [x32(5, 4, 2)])
case("conv_transpose1d_circular_long_kernel", nn.ConvTranspose(2, (7,), padding="CIRCULAR", use_bias=False), [x32(3, 2, 2)])

common.write("flax_layers", cases)


# A safetensors file written by the reference implementation (safetensors 0.8.0,
# numpy API), read back by the TypeScript loader: packages/flax-like/test/fixtures/numpy.safetensors
def write_safetensors():
    from safetensors.numpy import save_file
    t = {
        "params/Dense_0/kernel": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
        "params/Dense_0/bias": np.array([1.5, -2.25, 3.0], np.float32),
        "half": np.array([0.5, -1.0, 65504.0, 1e-7], np.float16),
        "ints": np.array([[1, -2], [3, 2**31 - 1]], np.int32),
        "mask": np.array([True, False, True]),
        "f64": np.array(np.pi),
    }
    save_file(t, os.path.join(common.FIXTURES, "numpy.safetensors"), metadata={"source": "safetensors.numpy"})


write_safetensors()
