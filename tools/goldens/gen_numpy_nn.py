"""Goldens for @jaxts/numpy's nn namespace (packages/numpy/src/nn/): jax.nn's
activations, softmax/log_softmax/logsumexp/logmeanexp, standardize, one_hot,
dot_product_attention and jax.nn.initializers.

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_numpy_nn.py
     (JAX 0.10.2; writes packages/numpy/test/fixtures/{nn,nn_initializers}.json).

Every expected value is computed by JAX itself (float64 cases under
jax.enable_x64), including the derivatives: `grad` is jax.grad of
sum(f(x) * cot) (cot = 1 for elementwise activations), so the values at kinks
(relu'(0) = 0, ties of max/min split in half, ...) are JAX's.

Activation case: {"kind": "act", "fn", "args" (after x, TS positional order),
"x", "out", "grad"?}. Reduction-like cases: {"kind": fn, "x", "kw" (TS option
names; arrays encoded), "out", "cot"?, "grad"?}. Initializer case:
{"builder", "bargs" (TS builder arguments), "seed", "shape", "dtype", "out"}.
"""
import os

import jax
import jax.numpy as jnp
import numpy as np

import common
from common import enc

common.FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "numpy", "test", "fixtures")

R = np.random.default_rng(11)
nn = jax.nn

SPECIAL = [-np.inf, -1e4, -100.0, -30.0, -6.5, -3.0, -1.5, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 1.5,
           3.0, 6.0, 6.5, 30.0, 100.0, 1e4, np.inf, np.nan]


def x64(dtype):
    return jax.enable_x64(np.dtype(dtype) == np.float64)


# ---------------------------------------------------------------------------
# Activations: name -> (jax function, [(TS positional args, jax kwargs)])
ACTS = {
    "identity": (nn.identity, [([], {})]),
    "relu": (nn.relu, [([], {})]),
    "relu6": (nn.relu6, [([], {})]),
    "squareplus": (nn.squareplus, [([], {}), ([1.0], {"b": 1.0})]),
    "softplus": (nn.softplus, [([], {})]),
    "sparsePlus": (nn.sparse_plus, [([], {})]),
    "softSign": (nn.soft_sign, [([], {})]),
    "sigmoid": (nn.sigmoid, [([], {})]),
    "sparseSigmoid": (nn.sparse_sigmoid, [([], {})]),
    "silu": (nn.silu, [([], {})]),
    "swish": (nn.swish, [([], {})]),
    "mish": (nn.mish, [([], {})]),
    "logSigmoid": (nn.log_sigmoid, [([], {})]),
    "elu": (nn.elu, [([], {}), ([0.5], {"alpha": 0.5})]),
    "leakyRelu": (nn.leaky_relu, [([], {}), ([0.2], {"negative_slope": 0.2})]),
    "hardTanh": (nn.hard_tanh, [([], {})]),
    "celu": (nn.celu, [([], {}), ([2.0], {"alpha": 2.0})]),
    "selu": (nn.selu, [([], {})]),
    "gelu": (nn.gelu, [([], {}), ([False], {"approximate": False})]),
    "hardSigmoid": (nn.hard_sigmoid, [([], {})]),
    "hardSilu": (nn.hard_silu, [([], {})]),
    "hardSwish": (nn.hard_swish, [([], {})]),
    "tanh": (nn.tanh, [([], {})]),
    "log1mexp": (nn.log1mexp, [([], {})]),
}
# Integer inputs: the functions JAX accepts them for (dtype rules).
INT_OK = ["identity", "relu", "relu6", "squareplus", "softplus", "sparsePlus", "softSign", "sparseSigmoid", "elu",
          "leakyRelu", "hardTanh", "celu", "selu", "gelu", "hardSigmoid", "hardSilu"]


def act_cases():
    cases = []
    for name, (f, variants) in ACTS.items():
        for args, kw in variants:
            g = lambda x, f=f, kw=kw: f(x, **kw)
            for dt in ["float32", "float64", "float16"]:
                with x64(dt):
                    inputs = [np.array(SPECIAL, dtype=dt), R.uniform(-8, 8, size=(2, 3, 4)).astype(dt)]
                    if name == "log1mexp":
                        # (no float16 subnormals: XLA rounds those differently)
                        small = 1e-6 if dt != "float16" else 1e-4
                        inputs.append(np.array([small, 1e-3, 0.1, 0.5, 0.69, 0.7, 1, 5, 20, 50], dtype=dt))
                    for x in inputs:
                        xj = jnp.asarray(x)
                        out = g(xj)
                        grad = jax.grad(lambda x: jnp.sum(g(x)))(xj)
                        cases.append({"kind": "act", "fn": name, "args": args, "x": enc(x), "out": enc(out), "grad": enc(grad)})
            if name in INT_OK:
                x = np.arange(-4, 8, dtype=np.int32)
                out = g(jnp.asarray(x))
                cases.append({"kind": "act", "fn": name, "args": args, "x": enc(x), "out": enc(out)})
    # glu: split along an axis.
    for dt in ["float32", "float64"]:
        with x64(dt):
            x = R.uniform(-4, 4, size=(4, 6)).astype(dt)
            cot = R.uniform(-1, 1, size=(4, 3)).astype(dt)
            for axis, c in [(-1, cot), (1, cot), (0, R.uniform(-1, 1, size=(2, 6)).astype(dt))]:
                xj = jnp.asarray(x)
                out = nn.glu(xj, axis)
                grad = jax.grad(lambda x: jnp.sum(nn.glu(x, axis) * c))(xj)
                cases.append({"kind": "glu", "x": enc(x), "axis": axis, "out": enc(out), "cot": enc(c), "grad": enc(grad)})
    return cases


# Points where JAX's derivative convention matters: custom JVPs (relu, relu6),
# ties of maximum/minimum (split in half), where-selects and abs at 0.
KINKS = {
    "relu": [0.0], "relu6": [0.0, 6.0], "leakyRelu": [0.0], "elu": [0.0], "celu": [0.0], "selu": [0.0],
    "hardTanh": [-1.0, 1.0], "hardSigmoid": [-3.0, 3.0], "hardSilu": [-3.0, 3.0], "hardSwish": [-3.0, 3.0],
    "sparsePlus": [-1.0, 1.0], "sparseSigmoid": [-1.0, 1.0], "softSign": [0.0], "squareplus": [0.0],
    "identity": [0.0], "gelu": [0.0], "silu": [0.0], "mish": [0.0], "softplus": [0.0], "logSigmoid": [0.0],
}


def kink_cases():
    cases = []
    for name, pts in KINKS.items():
        f, variants = ACTS[name]
        for args, kw in variants:
            g = lambda x, f=f, kw=kw: f(x, **kw)
            for dt in ["float32", "float64"]:
                with x64(dt):
                    x = jnp.asarray(np.array(pts, dt))
                    d1 = jax.vmap(jax.grad(g))(x)
                    d2 = jax.vmap(jax.grad(jax.grad(g)))(x)
                    cases.append({"kind": "kink", "fn": name, "args": args, "x": enc(x), "grad": enc(d1), "grad2": enc(d2)})
    return cases


# ---------------------------------------------------------------------------
# softmax / log_softmax / logsumexp / logmeanexp / standardize

def ts_kw(kw):
    """jax kwargs -> TS option names, arrays encoded."""
    names = {"return_sign": "returnSign", "keepdims": "keepdims", "axis": "axis", "where": "where", "b": "b",
             "initial": "initial", "mean": "mean", "variance": "variance", "epsilon": "epsilon", "algorithm": "algorithm"}
    out = {}
    for k, v in kw.items():
        if isinstance(v, np.ndarray):
            v = enc(v)
        elif isinstance(v, tuple):
            v = list(v)
        out[names[k]] = v
    return out


def red_case(kind, f, x, kw, dt, grad=True):
    with x64(dt):
        xj = jnp.asarray(x)
        jkw = {k: (jnp.asarray(v) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
        out = f(xj, **jkw)
        case = {"kind": kind, "x": enc(x), "kw": ts_kw(kw)}
        if isinstance(out, tuple):
            case["out"] = [enc(o) for o in out]
            return case
        case["out"] = enc(out)
        if grad and np.all(np.isfinite(x)) and x.size > 0:
            cot = R.uniform(-1, 1, size=out.shape).astype(dt)
            g = jax.grad(lambda x: jnp.sum(f(x, **jkw) * cot))(xj)
            case["cot"] = enc(cot)
            case["grad"] = enc(g)
        return case


def softmax_initial(x, axis=-1, where=None, initial=-jnp.inf):
    from jax._src.nn.functions import _softmax_deprecated
    return _softmax_deprecated(x, axis, where, initial)


def reduction_cases():
    cases = []
    fns = {"softmax": nn.softmax, "logSoftmax": nn.log_softmax}
    for dt in ["float32", "float64", "float16"]:
        x2 = R.uniform(-5, 5, size=(3, 4)).astype(dt)
        x3 = R.uniform(-5, 5, size=(2, 3, 4)).astype(dt)
        big = np.array([[1e4, -1e4, 0, 1e4 - 1], [-1e4, -1e4, -1e4 + 2, -1e4 + 1]], dtype=dt) if dt != "float16" else \
            np.array([[1e4, -1e4, 0, 9990], [-1e4, -1e4, -9998, -9999]], dtype=dt)
        infs = np.array([[np.inf, 1, 2, 3], [-np.inf, 0, 1, 2], [-np.inf] * 4, [np.nan, 1, 2, 3]], dtype=dt)
        mask2 = np.array([[True, False, True, True], [False, False, False, False], [True, True, True, False]])
        for kind, f in fns.items():
            cases.append(red_case(kind, f, x2, {}, dt))
            cases.append(red_case(kind, f, x3, {"axis": 1}, dt))
            cases.append(red_case(kind, f, x3, {"axis": -3}, dt))
            cases.append(red_case(kind, f, x3, {"axis": (0, 2)}, dt))
            cases.append(red_case(kind, f, x2, {"axis": None}, dt))
            cases.append(red_case(kind, f, big, {}, dt))
            cases.append(red_case(kind, f, infs, {}, dt))
            cases.append(red_case(kind, f, x2, {"where": mask2}, dt))
            cases.append(red_case(kind, f, x2, {"axis": 0, "where": mask2}, dt))
            cases.append(red_case(kind, f, x3, {"where": np.array([True, False, True, True])}, dt))
            cases.append(red_case(kind, f, np.zeros((2, 0), dt), {}, dt))
        cases.append(red_case("softmax", softmax_initial, x2, {"where": mask2, "initial": -2.0}, dt))
        # logsumexp
        f = nn.logsumexp
        cases.append(red_case("logsumexp", f, x2, {}, dt))
        cases.append(red_case("logsumexp", f, x3, {"axis": 1}, dt))
        cases.append(red_case("logsumexp", f, x3, {"axis": (0, -1), "keepdims": True}, dt))
        cases.append(red_case("logsumexp", f, x3, {"axis": -1, "keepdims": True}, dt))
        cases.append(red_case("logsumexp", f, big, {"axis": 1}, dt))
        cases.append(red_case("logsumexp", f, -big, {"axis": 1}, dt))
        cases.append(red_case("logsumexp", f, infs, {"axis": 1}, dt))
        cases.append(red_case("logsumexp", f, x2, {"axis": 1, "where": mask2}, dt))
        cases.append(red_case("logsumexp", f, x2, {"axis": 1, "where": mask2, "keepdims": True}, dt))
        bpos = R.uniform(0.5, 2, size=(3, 4)).astype(dt)
        bsigned = np.array([[1, -1, 2, 0.5], [1, 1, 0, 0], [-1, -2, -0.5, 0]], dtype=dt)
        bzero = np.array([[1, 0, 2, 0.5], [0, 0, 0, 0], [1, 1, 1, 0]], dtype=dt)
        cases.append(red_case("logsumexp", f, x2, {"axis": 1, "b": bpos}, dt))
        cases.append(red_case("logsumexp", f, x2, {"axis": 1, "b": bsigned}, dt, grad=False))
        cases.append(red_case("logsumexp", f, x2, {"axis": 1, "b": bsigned, "return_sign": True}, dt))
        cases.append(red_case("logsumexp", f, x2, {"axis": 1, "b": bzero}, dt, grad=False))
        cases.append(red_case("logsumexp", f, x2, {"b": np.array([1, 2, 0.5, 1], dt)}, dt))
        cases.append(red_case("logsumexp", f, x2, {"axis": 0, "b": bpos, "where": mask2}, dt))
        cases.append(red_case("logsumexp", f, np.zeros((2, 0), dt), {"axis": 1}, dt))
        cases.append(red_case("logsumexp", f, np.zeros((0,), dt), {}, dt))
        # logmeanexp
        cases.append(red_case("logmeanexp", nn.logmeanexp, x3, {"axis": 1}, dt))
        cases.append(red_case("logmeanexp", nn.logmeanexp, x2, {"axis": 1, "where": mask2, "keepdims": True}, dt))
        cases.append(red_case("logmeanexp", nn.logmeanexp, big, {}, dt))
        # standardize
        g = nn.standardize
        cases.append(red_case("standardize", g, x2, {}, dt))
        cases.append(red_case("standardize", g, x3, {"axis": (0, 2)}, dt))
        cases.append(red_case("standardize", g, x3, {"axis": 1, "algorithm": "stable"}, dt))
        cases.append(red_case("standardize", g, x2, {"axis": 0, "epsilon": 0.5}, dt))
        cases.append(red_case("standardize", g, x2, {"where": mask2}, dt))
        cases.append(red_case("standardize", g, x2, {"mean": np.array([[0.5], [1], [-1]], dt),
                                                     "variance": np.array([[2.0], [0.5], [1]], dt)}, dt))
        # Zero variance (computed exactly, so the clip at 0 ties as in JAX).
        cases.append(red_case("standardize", g, np.full((2, 4), 2.0, dt), {}, dt))
        cases.append(red_case("standardize", g, x2, {"axis": None}, dt))
    return cases


def one_hot_cases():
    cases = []
    x = np.array([[0, 2, 5], [-1, 1, 3]], np.int32)
    for kw in [{}, {"axis": 0}, {"axis": 1}, {"axis": -2}, {"dtype": "int32"}, {"dtype": "bool"}, {"dtype": "float16"}]:
        jkw = dict(kw)
        out = nn.one_hot(jnp.asarray(x), 4, **jkw)
        cases.append({"kind": "oneHot", "x": enc(x), "numClasses": 4, "kw": kw, "out": enc(out)})
    for x, n in [(np.array(2, np.int32), 3), (np.zeros((0,), np.int32), 3), (np.array([0, 1], np.int32), 0),
                 (np.array([0, 1, 2], np.uint8), 3)]:
        out = nn.one_hot(jnp.asarray(x), n)
        cases.append({"kind": "oneHot", "x": enc(x), "numClasses": n, "kw": {}, "out": enc(out)})
    with jax.enable_x64(True):
        x = np.array([0, 1, 2], np.int32)
        out = nn.one_hot(jnp.asarray(x), 3, dtype=jnp.float64)
        cases.append({"kind": "oneHot", "x": enc(x), "numClasses": 3, "kw": {"dtype": "float64"}, "out": enc(out)})
    return cases


# ---------------------------------------------------------------------------
# dot_product_attention

def attn_case(dt, qshape, kshape, bias_shape=None, mask_shape=None, grad=False, mask_kind="random", **kw):
    with x64(dt):
        q = R.normal(size=qshape).astype(dt)
        k = R.normal(size=kshape).astype(dt)
        v = R.normal(size=kshape).astype(dt)
        bias = R.normal(size=bias_shape).astype(dt) if bias_shape is not None else None
        mask = None
        if mask_shape is not None:
            mask = R.uniform(size=mask_shape) < 0.7
        jkw = {}
        tkw = {}
        for name, val in kw.items():
            tsname = {"scale": "scale", "is_causal": "isCausal", "query_seq_lengths": "querySeqLengths",
                      "key_value_seq_lengths": "keyValueSeqLengths", "local_window_size": "localWindowSize",
                      "return_residual": "returnResidual"}[name]
            if isinstance(val, np.ndarray):
                jkw[name] = jnp.asarray(val)
                tkw[tsname] = enc(val)
            else:
                jkw[name] = val
                tkw[tsname] = list(val) if isinstance(val, tuple) else val
        args = [jnp.asarray(q), jnp.asarray(k), jnp.asarray(v)]
        jb = None if bias is None else jnp.asarray(bias)
        jm = None if mask is None else jnp.asarray(mask)
        out = nn.dot_product_attention(*args, jb, jm, **jkw)
        case = {"kind": "attention", "q": enc(q), "k": enc(k), "v": enc(v),
                "bias": None if bias is None else enc(bias), "mask": None if mask is None else enc(mask), "kw": tkw}
        if isinstance(out, tuple):
            case["out"] = [enc(o) for o in out]
        else:
            case["out"] = enc(out)
        if grad:
            cot = R.uniform(-1, 1, size=out.shape).astype(dt)
            gs = jax.grad(lambda q, k, v: jnp.sum(nn.dot_product_attention(q, k, v, jb, jm, **jkw) * cot),
                          argnums=(0, 1, 2))(*args)
            case["cot"] = enc(cot)
            case["grad"] = [enc(g) for g in gs]
        return case


def attention_cases():
    cases = []
    for dt in ["float32", "float64"]:
        B, T, S, N, K, H = 2, 3, 4, 4, 2, 5
        cases.append(attn_case(dt, (B, T, N, H), (B, S, N, H), grad=True))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), grad=True))  # grouped-query
        cases.append(attn_case(dt, (B, T, N, H), (B, S, 1, H)))  # multi-query
        cases.append(attn_case(dt, (T, N, H), (S, K, H)))  # 3-D
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), bias_shape=(B, N, T, S), grad=True))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), bias_shape=(1, 1, T, S)))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), bias_shape=(T, S)))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), mask_shape=(B, N, T, S), grad=True))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), mask_shape=(B, 1, T, S)))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), is_causal=True, grad=True))
        cases.append(attn_case(dt, (B, S, N, H), (B, S, K, H), is_causal=True, bias_shape=(1, N, S, S),
                               mask_shape=(1, 1, S, S)))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), scale=0.7))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), local_window_size=1))
        cases.append(attn_case(dt, (B, S, N, H), (B, S, K, H), local_window_size=(2, 0)))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), query_seq_lengths=np.array([2, 3], np.int32),
                               key_value_seq_lengths=np.array([1, 3], np.int32), grad=True))
        cases.append(attn_case(dt, (B, T, N, H), (B, S, K, H), key_value_seq_lengths=np.array([4, 2], np.int32),
                               return_residual=True))
        cases.append(attn_case(dt, (T, N, H), (S, K, H), is_causal=True, return_residual=True))
        # A fully masked row: every logit is the large negative number.
        cases.append(attn_case(dt, (1, 2, 2, 3), (1, 3, 2, 3), mask_shape=None,
                               key_value_seq_lengths=np.array([0], np.int32)))
    cases.append(attn_case("float16", (2, 3, 4, 5), (2, 4, 2, 5), is_causal=True, bias_shape=(2, 4, 3, 4)))
    return cases


# ---------------------------------------------------------------------------
# Initializers: (TS builder name, TS builder args, jax initializer)
I = jax.nn.initializers


def init_specs():
    specs = [
        ("zeros", None, I.zeros), ("ones", None, I.ones),
        ("constant", [-7.0], I.constant(-7.0)),
        ("uniform", [], I.uniform()), ("uniform", [3.0], I.uniform(3.0)),
        ("normal", [], I.normal()), ("normal", [2.5], I.normal(2.5)),
        ("truncatedNormal", [], I.truncated_normal()),
        ("truncatedNormal", [1.5, {"lower": -1.0, "upper": 3.0}], I.truncated_normal(1.5, lower=-1.0, upper=3.0)),
    ]
    for mode in ["fan_in", "fan_out", "fan_avg", "fan_geo_avg"]:
        for dist in ["truncated_normal", "normal", "uniform"]:
            specs.append(("varianceScaling", [1.7, mode, dist], I.variance_scaling(1.7, mode, dist)))
    specs.append(("varianceScaling", [2.0, "fan_in", "normal", {"inAxis": 0, "outAxis": [1, 2], "batchAxis": 3}],
                  I.variance_scaling(2.0, "fan_in", "normal", in_axis=0, out_axis=(1, 2), batch_axis=3)))
    for ts, jf in [("glorotUniform", I.glorot_uniform), ("glorotNormal", I.glorot_normal),
                   ("lecunUniform", I.lecun_uniform), ("lecunNormal", I.lecun_normal),
                   ("heUniform", I.he_uniform), ("heNormal", I.he_normal),
                   ("xavierUniform", I.xavier_uniform), ("xavierNormal", I.xavier_normal),
                   ("kaimingUniform", I.kaiming_uniform), ("kaimingNormal", I.kaiming_normal)]:
        specs.append((ts, [], jf()))
    specs.append(("heNormal", [{"inAxis": -3, "outAxis": -1}], I.he_normal(in_axis=-3, out_axis=-1)))
    specs.append(("orthogonal", [], I.orthogonal()))
    specs.append(("orthogonal", [2.0, {"columnAxis": 0}], I.orthogonal(2.0, column_axis=0)))
    return specs


def init_cases():
    cases = []
    for ts, bargs, jinit in init_specs():
        shapes = [(3, 4), (4, 3), (2, 3, 5), (3, 3, 2, 4)]
        if any(isinstance(a, dict) and ("batchAxis" in a or "inAxis" in a) for a in bargs or []):
            shapes = [(3, 3, 2, 4)]
        if ts.startswith("orthogonal"):
            shapes = [(3, 5), (5, 3), (4, 4), (2, 3, 4), (2, 0)]
        for seed, shape in enumerate(shapes):
            for dt in ["float32", "float64"]:
                with x64(dt):
                    out = jinit(jax.random.key(seed), shape, jnp.dtype(dt))
                    cases.append({"builder": ts, "bargs": bargs, "seed": seed, "shape": list(shape), "dtype": dt,
                                  "out": enc(out)})
    for shape in [(3, 4, 4), (3, 3, 2, 5), (3, 2, 3, 2, 2)]:
        for dt in ["float32", "float64"]:
            with x64(dt):
                out = I.delta_orthogonal(1.5)(jax.random.key(5), shape, jnp.dtype(dt))
                cases.append({"builder": "deltaOrthogonal", "bargs": [1.5], "seed": 5, "shape": list(shape),
                              "dtype": dt, "out": enc(out)})
    # The builder's dtype is the default of the initializer.
    with jax.enable_x64(True):
        out = I.normal(0.5, dtype=jnp.float64)(jax.random.key(9), (2, 3))
        cases.append({"builder": "normal", "bargs": [0.5, "float64"], "seed": 9, "shape": [2, 3], "dtype": None,
                      "out": enc(out)})
        out = I.glorot_uniform(dtype=jnp.float64)(jax.random.key(9), (2, 3))
        cases.append({"builder": "glorotUniform", "bargs": [{"dtype": "float64"}], "seed": 9, "shape": [2, 3],
                      "dtype": None, "out": enc(out)})
    return cases


if __name__ == "__main__":
    import sys
    which = sys.argv[1:] or ["nn", "nn_initializers"]
    if "nn_initializers" in which:
        common.write("nn_initializers", init_cases())
    if "nn" in which:
        common.write("nn", act_cases() + kink_cases() + reduction_cases() + one_hot_cases() + attention_cases())
