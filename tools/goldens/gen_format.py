"""Goldens for Array printing: repr(jax_array) as JAX 0.10.2 prints it.

Run with JAX's interpreter (the text comes from jax.Array.__repr__, which uses
NumPy's array2string with JAX's own prefix and dtype suffix):

    /tmp/jaxvenv/bin/python tools/goldens/gen_format.py
"""
import os
import sys

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax._src.lax.lax import _convert_element_type  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from common import enc, rng, write  # noqa: E402

R = rng(11)
cases = []


def add(name, a, dtype=None, weak=False):
    with np.errstate(over="ignore"):
        a = np.asarray(a, dtype=dtype)
    assert a.dtype != np.int64 and a.dtype != np.uint64, name
    x = jnp.asarray(a)
    if weak:
        x = _convert_element_type(x, a.dtype, weak_type=True)
    assert x.dtype == a.dtype, (name, x.dtype, a.dtype)
    e = enc(a)
    e.update({"name": name, "weak_type": weak, "repr": repr(x)})
    cases.append(e)


FLOATS = ["float32", "float64", "float16"]
INTS = ["int8", "int16", "int32", "uint8", "uint16", "uint32"]

# --- scalars (0-d) -----------------------------------------------------------
for dt in FLOATS:
    for v in [3.0, 0.1, -2.5, 0.0, -0.0, np.nan, np.inf, -np.inf, 1e-5, 123456.0, 1e10, 1 / 3]:
        add(f"scalar_{dt}_{v!r}", v, dt)
    add(f"scalar_{dt}_weak", 3.0, dt, weak=True)
for dt in INTS:
    add(f"scalar_{dt}", 7, dt)
    add(f"scalar_{dt}_weak", 0, dt, weak=True)
add("scalar_int32_neg", -123, "int32")
add("scalar_bool_true", True, "bool")
add("scalar_bool_false", False, "bool")

# --- 1-D floats ----------------------------------------------------------------
for dt in FLOATS:
    add(f"f_simple_{dt}", [1.0, 2.0], dt)
    add(f"f_tenths_{dt}", [0.1, 0.2, 0.3], dt)
    add(f"f_neg_{dt}", [-1.5, 2.25, -0.125], dt)
    add(f"f_negzero_{dt}", [-0.0, 0.0, 1.5], dt)
    add(f"f_nan_inf_{dt}", [np.nan, 1.0, np.inf, -np.inf, -0.0], dt)
    add(f"f_only_nan_{dt}", [np.nan, np.nan], dt)
    add(f"f_only_inf_{dt}", [np.inf, -np.inf], dt)
    add(f"f_nan_posinf_{dt}", [np.nan, np.inf, 2.5], dt)
    add(f"f_zeros_{dt}", [0.0, 0.0, -0.0], dt)
    add(f"f_small_{dt}", [1e-5, 1.0], dt)
    add(f"f_ratio_{dt}", [1.0, 1000.0], dt)
    add(f"f_ratio_over_{dt}", [1.0, 1001.0], dt)
    add(f"f_thirds_{dt}", [1 / 3, 2 / 3, 1.0], dt)
    add(f"f_weak_{dt}", [1.0, 2.5], dt, weak=True)
    add(f"f_random_{dt}", R.standard_normal(7), dt)
    add(f"f_random_scaled_{dt}", R.standard_normal(6) * 100, dt)
    add(f"f_wrap_{dt}", R.uniform(-10, 10, 40), dt)
    add(f"f_sci_wrap_{dt}", R.standard_normal(30) * 10.0 ** R.integers(-3, 4, 30), dt)
    add(f"f_tiny_{dt}", [1e-4, 5e-4], dt)
    add(f"f_exact_1e-4_{dt}", [np.asarray(1e-4, dt), 0.0005], dt)
add("f32_cutoff_1e6", [1e6, 1.0], "float32")
add("f32_below_cutoff", [999999.0, 1.0], "float32")
add("f32_large", [1e7, 1.5], "float32")
add("f32_huge", [3e38, -1e-38], "float32")
add("f32_subnormal", [1e-45, 1e-40], "float32")
add("f32_maxprec_rounding", [0.1 + 0.2, 123.456789012], "float32")
add("f32_int_like", [123456.7, 0.5], "float32")
add("f32_digits", [1.2345678, 12.345678, 123.45678], "float32")
add("f32_sci_min_digits", [0.3, 1.2345678e-5], "float32")
add("f32_sci_rounding", [1.0, 2.0e-5, 123456.79], "float32")
add("f64_maxprec_rounding", [0.1 + 0.2, 1 / 7], "float64")
add("f64_cutoff_1e8", [1e8, 1.0], "float64")
add("f64_below_cutoff", [99999999.0, 0.5], "float64")
add("f64_1e16", [1e16, 1.0], "float64")
add("f64_big_exp", [1e100, 1e-100, 1.0], "float64")
add("f64_extremes", [5e-324, 1.7976931348623157e308], "float64")
add("f64_pi_e", [np.pi, np.e], "float64")
add("f64_ties_at_cutoff", [0.001953125, 0.5], "float64")
add("f64_half_ulp", [0.123456785, 0.123456775], "float64")
add("f16_cutoff_1000", [1000.0, 1.0], "float16")
add("f16_below_cutoff", [999.5, 1.0], "float16")
add("f16_max", [65504.0, -65504.0], "float16")
add("f16_subnormal", [6e-8, 1e-5], "float16")
add("f16_digits", [0.1, 0.2, 0.3, 3.14159], "float16")
add("f16_ratio_rounding", [1.0, 1000.5], "float16")

# --- 1-D ints and bools --------------------------------------------------------
for dt in INTS:
    info = np.iinfo(dt)
    add(f"i_small_{dt}", [1, 2, 3], dt)
    add(f"i_extremes_{dt}", [info.min, 0, info.max], dt)
    add(f"i_random_{dt}", R.integers(info.min, int(info.max) + 1, 12), dt)
    add(f"i_wrap_{dt}", R.integers(0, min(int(info.max), 100000) + 1, 40), dt)
    add(f"i_weak_{dt}", [5, 10], dt, weak=True)
add("i32_neg_width", [-5, 10, 3], "int32")
add("i32_neg_wide", [-12345, 7], "int32")
add("b_1d", [True, False, True], "bool")
add("b_all_true", [True, True], "bool")
add("b_all_false", [False, False], "bool")
add("b_wrap", R.integers(0, 2, 30).astype(bool), "bool")

# --- N-D -----------------------------------------------------------------------
add("i32_2d", [[1, 2], [3, 4]], "int32")
add("f32_2d", [[1.5, -2.0, 3.25], [4.0, 5.5, -6.0]], "float32")
add("f32_3d", np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 4, "float32")
add("f64_3d_sci", R.standard_normal((2, 2, 3)) * 1e-6, "float64")
add("i16_4d", np.arange(24).reshape(1, 2, 3, 4), "int16")
add("b_2d", [[True, False], [False, True]], "bool")
add("b_3d", R.integers(0, 2, (2, 2, 2)).astype(bool), "bool")
add("f32_2d_wrap", R.standard_normal((3, 20)), "float32")
add("f16_2d_wrap", R.standard_normal((2, 25)), "float16")
add("u8_2d_wrap", R.integers(0, 256, (3, 30)), "uint8")
add("f32_2d_nan", [[np.nan, 1.0], [-np.inf, 0.5]], "float32")
add("f32_col", [[1.0], [2.0], [3.0]], "float32")
add("f32_row", [[1.0, 2.0, 3.0]], "float32")
add("f64_2d_weak", [[0.5, 1.0], [1.5, 2.0]], "float64", weak=True)
add("f32_5d", np.arange(32, dtype=np.float32).reshape(2, 2, 2, 2, 2), "float32")

# --- zero-size ---------------------------------------------------------------
add("empty_f32", np.zeros((0,)), "float32")
add("empty_0x3_f32", np.zeros((0, 3)), "float32")
add("empty_3x0_i32", np.zeros((3, 0)), "int32")
add("empty_2x0x4_bool", np.zeros((2, 0, 4)), "bool")
add("empty_f16", np.zeros((0,)), "float16")
add("empty_weak_f64", np.zeros((0, 2)), "float64", weak=True)

# --- summarized (size > 1000) ----------------------------------------------------
add("sum_1d_i32", np.arange(2000), "int32")
add("sum_1001_f32", np.arange(1001) / 8, "float32")
add("sum_1000_f32_not_summarized", np.arange(1000) / 8, "float32")
add("sum_2d_f32", R.standard_normal((40, 40)), "float32")
add("sum_3x400_f64", R.standard_normal((3, 400)), "float64")
add("sum_3d_i32", np.arange(1210).reshape(10, 11, 11), "int32")
add("sum_narrow_axis", np.arange(1200).reshape(2, 600), "int32")
add("sum_hidden_huge", np.concatenate([np.ones(10), [1e12], np.ones(1500)]), "float32")
add("sum_hidden_nan", np.concatenate([np.ones(10) * 0.5, [np.nan, -np.inf], np.ones(1500)]), "float64")
add("sum_bool", R.integers(0, 2, 1500).astype(bool), "bool")
add("sum_sci", R.standard_normal(1500) * 1e-6, "float32")
add("sum_f16", R.standard_normal((30, 40)), "float16")
add("sum_u32", R.integers(0, 2**32, (1100,), dtype=np.int64), "uint32")
add("sum_weak", np.arange(1500) * 0.5, "float32", weak=True)

# --- random floats: magnitudes, rounded decimals and raw bit patterns ----------
BITS = {"float16": np.uint16, "float32": np.uint32, "float64": np.uint64}
for t in range(240):
    dt = FLOATS[t % 3]
    n = int(R.integers(1, 7))
    kind = t // 3 % 4
    if kind == 0:
        a = R.standard_normal(n) * 10.0 ** R.integers(-8, 8, n)
    elif kind == 1:
        a = np.round(R.standard_normal(n) * 10.0 ** R.integers(0, 9), int(R.integers(0, 10)))
    elif kind == 2:
        a = R.integers(0, np.iinfo(BITS[dt]).max, n, dtype=BITS[dt], endpoint=True).view(dt)
    else:
        a = R.integers(-1000, 1000, n) / 2.0 ** R.integers(0, 30)
    with np.errstate(over="ignore"):
        add(f"random_{t}_{dt}", np.asarray(a).astype(dt), dt)

write("format", cases)
