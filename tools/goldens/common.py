"""Shared encoding for golden fixtures: NumPy computes, JSON stores, Vitest compares.

An array is {"dtype": "float32", "shape": [2, 3], "data": [...]} with data flat in
row-major order; non-finite floats are the strings "nan", "inf", "-inf"; bools are
0/1. float16 data is the float16 values widened to float.
"""
import json
import math
import os

import numpy as np

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "core", "test", "fixtures")


def enc_scalar(v):
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def enc(a):
    a = np.asarray(a)
    return {
        "dtype": str(a.dtype),
        "shape": list(a.shape),
        "data": [enc_scalar(v) for v in a.reshape(-1).tolist()],
    }


def write(name, cases):
    """Write fixtures/<name>.json; cases is a list of dicts (args/params/out...)."""
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name + ".json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/goldens/" + os.path.basename(__import__("sys").argv[0]),
                   "numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases")


def rng(seed=0):
    return np.random.default_rng(seed)


def sample(shape, dtype, rng, lo=-3.0, hi=3.0):
    """Random values of a dtype; floats uniform in [lo, hi), ints across a small range."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -100), min(info.max, 100) + 1, size=shape).astype(dtype)
    return rng.uniform(lo, hi, size=shape).astype(dtype)


def with_specials(x, negative_zero=False):
    """Put NaN, +inf and -inf (and -0.0 when asked) into a float array of 4+ elements, in place."""
    if np.dtype(x.dtype).kind == "f" and x.size >= 4:
        flat = x.reshape(-1)
        flat[0] = np.nan
        flat[-1] = np.inf
        flat[x.size // 2] = -np.inf
        if negative_zero:
            flat[1] = -0.0
    return x
