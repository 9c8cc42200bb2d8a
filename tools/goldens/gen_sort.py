"""Goldens for lax.sort / lax.sort_key_val / lax.top_k.

Run with JAX 0.10.2's interpreter (NumPy alone does not define XLA's orders:
-0.0 == 0.0 and NaNs last in sort, the IEEE total order in top_k):

    /tmp/jaxvenv/bin/python tools/goldens/gen_sort.py

Float arrays carry "signbit" (0/1 per element) besides the usual encoding, so
negative NaNs and -0.0 are checked bit for bit.
"""
import sys

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import enc, rng, sample, write  # noqa: E402

R = rng(7)
FLOATS = ["float32", "float64", "float16"]
INTS = ["int32", "int8", "uint8", "uint32", "int16", "uint16"]
ALL = FLOATS + INTS + ["bool"]


def enc_bits(a):
    a = np.asarray(a)
    e = enc(a)
    if a.dtype.kind == "f":
        e["signbit"] = [int(b) for b in np.signbit(a).reshape(-1)]
    return e


def with_ties(shape, dtype):
    """Random values from a small set, so keys repeat."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return R.integers(0, 2, size=shape).astype(np.bool_)
    vals = R.integers(-3, 4, size=shape)
    if dtype.kind == "u":
        vals = np.abs(vals)
    return vals.astype(dtype)


def special_floats(n, dtype):
    """Values with NaN of both signs, +-inf, +-0.0, ties and ordinary numbers."""
    pool = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -1.5, 2.0, -7.25, 1e-3, 3.0],
                    dtype=np.float64)
    pool[1] = np.copysign(np.nan, -1.0)
    idx = R.integers(0, len(pool), size=n)
    return pool[idx].astype(dtype)


def jx(a):
    return jnp.asarray(a)


cases = []


def add_sort(name, operands, dimension=-1, is_stable=True, num_keys=1, single=False):
    ins = [jx(o) for o in operands]
    if single:
        outs = [lax.sort(ins[0], dimension=dimension, is_stable=is_stable, num_keys=num_keys)]
    else:
        outs = list(lax.sort(tuple(ins), dimension=dimension, is_stable=is_stable, num_keys=num_keys))
    case = {
        "op": "sort", "name": name, "single": single,
        "args": [enc_bits(o) for o in operands],
        "params": {"dimension": dimension, "is_stable": is_stable, "num_keys": num_keys},
        "out": [enc_bits(np.asarray(o)) for o in outs],
    }
    if not is_stable:
        # Any order of equal keys is a valid unstable result; the stable one is among them.
        stable = lax.sort(tuple(ins), dimension=dimension, is_stable=True, num_keys=num_keys)
        case["out_stable"] = [enc_bits(np.asarray(o)) for o in stable]
    cases.append(case)


def add_key_val(name, keys, values, dimension=-1, is_stable=True):
    k, v = lax.sort_key_val(jx(keys), jx(values), dimension=dimension, is_stable=is_stable)
    cases.append({
        "op": "sort_key_val", "name": name,
        "args": [enc_bits(keys), enc_bits(values)],
        "params": {"dimension": dimension, "is_stable": is_stable},
        "out": [enc_bits(np.asarray(k)), enc_bits(np.asarray(v))],
    })


def add_top_k(name, x, k, axis=None):
    kw = {} if axis is None else {"axis": axis}
    v, i = lax.top_k(jx(x), k, **kw)
    cases.append({
        "op": "top_k", "name": name,
        "args": [enc_bits(x)],
        "params": {"k": k, "axis": axis},
        "out": [enc_bits(np.asarray(v)), enc_bits(np.asarray(i))],
    })


# --- sort, one operand ----------------------------------------------------
for dt in ALL:
    add_sort(f"sort_1d_{dt}", [sample((9,), dt, R)], single=True)
    add_sort(f"sort_ties_2d_dim0_{dt}", [with_ties((6, 4), dt)], dimension=0, single=True)
    add_sort(f"sort_3d_dim1_{dt}", [sample((2, 5, 3), dt, R)], dimension=1, single=True)
    add_sort(f"sort_3d_negdim_{dt}", [sample((2, 3, 4), dt, R)], dimension=-1, single=True)
for dt in FLOATS:
    add_sort(f"sort_special_{dt}", [special_floats(24, dt)], single=True)
    add_sort(f"sort_special_2d_{dt}", [special_floats(30, dt).reshape(5, 6)], dimension=0, single=True)
    add_sort(f"sort_special_unstable_{dt}", [special_floats(16, dt)], is_stable=False, single=True)
add_sort("sort_ints_unstable", [with_ties((3, 8), "int32")], is_stable=False, single=True)
add_sort("sort_extremes_int32", [np.array([2**31 - 1, -2**31, 0, -1, 1, -2**31], dtype=np.int32)], single=True)
add_sort("sort_extremes_uint32", [np.array([2**32 - 1, 0, 2**31, 1, 2**31 - 1], dtype=np.uint32)], single=True)
add_sort("sort_empty", [np.zeros((0,), np.float32)], single=True)
add_sort("sort_zero_size_other_dim", [np.zeros((0, 4), np.float32)], dimension=1, single=True)
add_sort("sort_zero_size_sorted_dim", [np.zeros((3, 0), np.int32)], dimension=1, single=True)
add_sort("sort_len1", [np.array([[5.0], [-1.0]], np.float32)], dimension=1, single=True)

# --- sort, several operands ----------------------------------------------
add_sort("multi_argsort_f32", [special_floats(20, "float32"), np.arange(20, dtype=np.int32)])
add_sort("multi_two_keys", [with_ties((12,), "int32"), with_ties((12,), "float32"), np.arange(12, dtype=np.int32)],
         num_keys=2)
add_sort("multi_three_keys_2d", [with_ties((3, 10), "uint8"), with_ties((3, 10), "bool"),
                                 special_floats(30, "float64").reshape(3, 10), np.arange(30, dtype=np.float32).reshape(3, 10)],
         num_keys=3, dimension=1)
add_sort("multi_dim0_bool_key", [with_ties((7, 3), "bool"), sample((7, 3), "float16", R)], dimension=0)
add_sort("multi_all_keys", [with_ties((9,), "int8"), with_ties((9,), "int8")], num_keys=2)
add_sort("multi_unstable_two_keys", [with_ties((10,), "int32"), with_ties((10,), "int32"), np.arange(10, dtype=np.int32)],
         num_keys=2, is_stable=False)
add_sort("multi_empty", [np.zeros((2, 0), np.float32), np.zeros((2, 0), np.int32)], dimension=1)

add_key_val("key_val_f32_i32", special_floats(15, "float32"), np.arange(15, dtype=np.int32))
add_key_val("key_val_2d_dim0", with_ties((5, 3), "int32"), sample((5, 3), "float32", R), dimension=0)
add_key_val("key_val_uint8_bool", with_ties((8,), "uint8"), with_ties((8,), "bool"))

# --- top_k -----------------------------------------------------------------
for dt in ALL:
    add_top_k(f"top_k_1d_{dt}", sample((10,), dt, R), 4)
    add_top_k(f"top_k_ties_2d_{dt}", with_ties((3, 8), dt), 5)
    add_top_k(f"top_k_axis0_{dt}", with_ties((6, 3), dt), 2, axis=0)
for dt in FLOATS:
    add_top_k(f"top_k_special_{dt}", special_floats(24, dt), 24)
    add_top_k(f"top_k_special_part_{dt}", special_floats(40, dt).reshape(4, 10), 6)
add_top_k("top_k_3d_axis1", sample((2, 5, 3), "float32", R), 3, axis=1)
add_top_k("top_k_3d_negaxis", sample((2, 3, 6), "int32", R), 2, axis=-2)
add_top_k("top_k_k0", sample((3, 4), "float32", R), 0)
add_top_k("top_k_full", sample((5,), "float64", R), 5)
add_top_k("top_k_zero_size", np.zeros((0, 4), np.float32), 2)
add_top_k("top_k_empty_axis", np.zeros((3, 0), np.float32), 0)
add_top_k("top_k_extremes_uint32", np.array([2**32 - 1, 0, 2**31, 1, 2**32 - 1], dtype=np.uint32), 3)

write("sort", cases)
