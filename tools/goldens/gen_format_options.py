"""Goldens for print options: repr(jax_array) under np.printoptions, and
jnp.array_repr / jnp.array_str (NumPy's array_repr/array_str of the values).

    /tmp/jaxvenv/bin/python tools/goldens/gen_format_options.py

array_repr is taken on the NumPy array (jnp.array_repr is np.array_repr and
names JAX's class "ArrayImpl"; jaxts prints "Array", the same width as NumPy's
"array", so the text is NumPy's with that prefix). array_str of a 0-d array is
NumPy's str of the scalar (JAX's raises a TypeError there).
"""
import os
import sys

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from common import enc, rng, write  # noqa: E402

R = rng(5)
cases = []


def add(name, a, dtype=None, opts=None, args=None):
    a = np.asarray(a, dtype=dtype)
    x = jnp.asarray(a)
    assert x.dtype == a.dtype
    opts = opts or {}
    args = args or {}
    with np.printoptions(**opts):
        r = repr(x)
        ar = np.array_repr(a, **args)
        assert ar.startswith("array(")
        ar = "Array(" + ar[len("array("):]
        st = np.array_str(a, **args)
    e = enc(a)
    cmap = {"max_line_width": "maxLineWidth", "precision": "precision", "suppress_small": "suppressSmall"}
    e.update({"name": name, "options": opts, "args": {cmap[k]: v for k, v in args.items()},
              "repr": r, "array_repr": ar, "array_str": st})
    cases.append(e)


OPTS = [
    {},
    {"precision": 3},
    {"precision": 0},
    {"suppress": True},
    {"precision": 2, "suppress": True},
    {"threshold": 5},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 0, "edgeitems": 2},
    {"linewidth": 20},
    {"linewidth": 40, "precision": 4},
]
ARRAYS = {
    "f32_mixed": (np.array([1.123456789, 2e-9, 3.0, -4.5]), "float32"),
    "f64_mixed": (np.array([np.pi, 1e-7, -2.0, 1e5]), "float64"),
    "f16": (np.array([0.1, 1.5, -3.25]), "float16"),
    "f32_2d": (R.standard_normal((4, 5)), "float32"),
    "f32_3d": (R.standard_normal((2, 3, 4)) * 100, "float32"),
    "f32_long": (np.arange(30) / 7, "float32"),
    "f32_nan_inf": (np.array([np.nan, -np.inf, 1e-6, 2.0]), "float32"),
    "f32_big": (np.array([1e9, 1.0]), "float32"),
    "i32": (np.arange(-5, 20) * 1000, "int32"),
    "i32_2d": (np.arange(24).reshape(4, 6), "int32"),
    "u8": (np.array([0, 255, 7]), "uint8"),
    "bool": (np.array([True, False, True, True, False, False, True]), "bool"),
    "scalar_f32": (np.array(1 / 3), "float32"),
    "scalar_f64": (np.array(1e20), "float64"),
    "scalar_i32": (np.array(-7), "int32"),
    "scalar_bool": (np.array(True), "bool"),
    "empty_1d": (np.zeros((0,)), "float32"),
    "empty_2d": (np.zeros((2, 0)), "int32"),
    "empty_f64": (np.zeros((0, 3)), "float64"),
}
for an, (a, dt) in ARRAYS.items():
    for i, o in enumerate(OPTS):
        add(f"{an}/opts{i}", a, dt, opts=o)
# Per-call arguments of array_repr/array_str (override the options).
for an in ["f32_mixed", "f64_mixed", "f32_3d", "f32_long", "scalar_f32", "i32"]:
    a, dt = ARRAYS[an]
    add(f"{an}/args_prec", a, dt, args={"precision": 2})
    add(f"{an}/args_suppress", a, dt, args={"precision": 6, "suppress_small": True})
    add(f"{an}/args_width", a, dt, opts={"precision": 3}, args={"max_line_width": 30})
# Above the default threshold: array_repr adds shape=.
add("f32_1200", np.arange(1200) / 4, "float32")
add("i32_1001_2d", np.arange(1001 * 2).reshape(1001, 2), "int32", opts={"linewidth": 50})
# Scalars for array_str: numpy's str of the scalar.
for dt in ["float32", "float64", "float16"]:
    for v in [3.0, 0.1, 1e20, 1e-5, 1e16, 1e15, -0.0, np.nan, -np.inf, 123456.78, 65504.0]:
        add(f"scalar_str_{dt}_{v!r}", v, dt)
write("format_options", cases)
