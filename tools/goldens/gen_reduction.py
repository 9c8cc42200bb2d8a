"""Goldens for the reductions: lax reduce_*, argmax/argmin, cumulative and windowed
reductions, and the jnp-style Array methods (sum, prod, max, min, mean, any, all,
argmax, argmin, cumsum), plus make_jaxpr texts of a few reduction programs.

Run with the JAX 0.10.2 interpreter (NumPy 2.4 comes with it):
    /tmp/jaxvenv/bin/python tools/goldens/gen_reduction.py

Expected values of the lax-level ops come from NumPy references written here
(floating sums/products/logsumexps computed in float64 and rounded once to the
dtype; integer results computed in the dtype, so they wrap around); each
reference is checked against jax.lax on the same input before it is written.
The Array-method cases use jax.numpy directly (its dtype rules are the spec).
float64 is left out of the method cases: JAX without x64 would canonicalize it.
"""
import numpy as np

import jax
import jax.numpy as jnp
from jax import lax

from common import enc, rng, sample, write

R = rng(7)
FLOATS = ["float32", "float64", "float16"]
INTS = ["int32", "uint8", "int8", "uint32", "int16", "uint16"]
NUMERIC = FLOATS + INTS
ALL = NUMERIC + ["bool"]
INT_BOOL = INTS + ["bool"]


def is_float(dt):
    return np.dtype(dt).kind == "f"


def max_identity(dt):
    dt = np.dtype(dt)
    if dt.kind == "f":
        return -np.inf
    if dt == np.bool_:
        return False
    return np.iinfo(dt).min


def min_identity(dt):
    dt = np.dtype(dt)
    if dt.kind == "f":
        return np.inf
    if dt == np.bool_:
        return True
    return np.iinfo(dt).max


def and_identity(dt):
    dt = np.dtype(dt)
    return np.True_ if dt == np.bool_ else np.array(-1).astype(dt)[()]


def check_against_jax(ref, got, what):
    got = np.asarray(got)
    assert ref.shape == got.shape and ref.dtype == got.dtype, (what, ref.shape, got.shape, ref.dtype, got.dtype)
    if ref.dtype.kind == "f":
        rtol = {"float16": 2e-3, "float32": 1e-5, "float64": 1e-5}[str(ref.dtype)]
        np.testing.assert_allclose(got.astype(np.float64), ref.astype(np.float64), rtol=rtol, atol=rtol, err_msg=what)
    else:
        np.testing.assert_array_equal(got, ref, err_msg=what)


def jax_ok(dt):
    # JAX without x64 cannot hold float64 inputs; those references stay unchecked.
    return np.dtype(dt) != np.float64


# ---------------------------------------------------------------------------
# reduce_* over axes

def ref_reduce(op, x, axes):
    axes = tuple(axes)
    dt = x.dtype
    if op in ("reduce_sum", "reduce_prod"):
        uf = np.add if op == "reduce_sum" else np.multiply
        if is_float(dt):
            return uf.reduce(x.astype(np.float64), axis=axes).astype(dt)
        with np.errstate(over="ignore"):
            return uf.reduce(x, axis=axes, dtype=dt)
    if op == "reduce_max":
        return np.maximum.reduce(x, axis=axes, initial=max_identity(dt)).astype(dt)
    if op == "reduce_min":
        return np.minimum.reduce(x, axis=axes, initial=min_identity(dt)).astype(dt)
    uf = {"reduce_and": np.bitwise_and, "reduce_or": np.bitwise_or, "reduce_xor": np.bitwise_xor}[op]
    init = and_identity(dt) if op == "reduce_and" else np.zeros((), dt)[()]
    return uf.reduce(x, axis=axes, initial=init).astype(dt)


LAX_REDUCE = {
    "reduce_sum": (NUMERIC, lax.reduce_sum),
    "reduce_prod": (NUMERIC, lax.reduce_prod),
    "reduce_max": (ALL, lax.reduce_max),
    "reduce_min": (ALL, lax.reduce_min),
    "reduce_and": (INT_BOOL, lax.reduce_and),
    "reduce_or": (INT_BOOL, lax.reduce_or),
    "reduce_xor": (INT_BOOL, lax.reduce_xor),
}

SHAPES_AXES = [
    ((2, 3, 4), (1,)),
    ((2, 3, 4), (0, 2)),
    ((2, 3, 4), (-1,)),
    ((2, 3, 4), (-3, -1)),
    ((2, 3, 4), ()),
    ((2, 3, 4), (0, 1, 2)),
    ((5,), (0,)),
    ((0, 3), (0,)),
    ((0, 3), (1,)),
    ((3, 0), (1,)),
    ((), ()),
]


def lax_reduce_case(op, x, axes, note=""):
    norm = tuple(a % x.ndim for a in axes) if x.ndim else ()
    out = ref_reduce(op, x, norm)
    if jax_ok(x.dtype):
        check_against_jax(out, LAX_REDUCE[op][1](jnp.asarray(x), norm), f"{op} {x.dtype} {axes} {note}")
    return {"kind": "reduce", "op": op, "axes": list(axes), "x": enc(x), "out": enc(out), "note": note}


def reduce_cases():
    cases = []
    for op, (dtypes, _) in LAX_REDUCE.items():
        for dt in dtypes:
            for shape, axes in SHAPES_AXES:
                if op == "reduce_prod":
                    x = sample(shape, dt, R, 0.5, 1.5) if is_float(dt) else R.integers(0, 3, size=shape).astype(dt)
                else:
                    x = sample(shape, dt, R)
                cases.append(lax_reduce_case(op, x, axes))
    # Special values: NaN propagates through max/min/sum; inf - inf = nan.
    special = np.array([[1.0, np.nan, 3.0], [np.inf, 2.0, -np.inf], [-0.0, 0.0, 5.0]])
    for dt in FLOATS:
        for op in ("reduce_max", "reduce_min", "reduce_sum", "reduce_prod"):
            for axes in ((0,), (1,), (0, 1)):
                cases.append(lax_reduce_case(op, special.astype(dt), axes, "special"))
    # Integer wrap-around.
    wraps = [
        ("reduce_sum", np.array([100, 100, 100], np.int8)),
        ("reduce_sum", np.array([200, 100], np.uint8)),
        ("reduce_sum", np.array([2_000_000_000, 2_000_000_000], np.int32)),
        ("reduce_sum", np.array([4_000_000_000, 1_000_000_000], np.uint32)),
        ("reduce_sum", np.array([30000, 30000], np.int16)),
        ("reduce_prod", np.array([100_000, 100_000, 7], np.int32)),
        ("reduce_prod", np.array([70_000, 70_000, 3], np.uint32)),
        ("reduce_prod", np.array([100, 3], np.int8)),
        ("reduce_max", np.array([4_000_000_000, 5], np.uint32)),
        ("reduce_min", np.array([-2_000_000_000, 5], np.int32)),
        ("reduce_and", np.array([4_000_000_000, 4_000_000_001], np.uint32)),
        ("reduce_xor", np.array([-1, 5, 7], np.int8)),
    ]
    for op, x in wraps:
        cases.append(lax_reduce_case(op, x, (0,), "wrap"))
    # Long float16 / float32 sums: accumulated wide, rounded once.
    cases.append(lax_reduce_case("reduce_sum", R.uniform(0, 1, size=(1000,)).astype(np.float16), (0,), "long"))
    cases.append(lax_reduce_case("reduce_sum", R.uniform(-1, 1, size=(4, 500)).astype(np.float32), (1,), "long"))
    return cases


# ---------------------------------------------------------------------------
# argmax / argmin

def arg_case(op, x, axis, index_dtype="int32", note=""):
    f = np.argmax if op == "argmax" else np.argmin
    out = f(x, axis=axis).astype(index_dtype)
    if jax_ok(x.dtype):
        g = lax.argmax if op == "argmax" else lax.argmin
        check_against_jax(out, g(jnp.asarray(x), axis % x.ndim, np.dtype(index_dtype)), f"{op} {x.dtype} {axis} {note}")
    return {"kind": "arg", "op": op, "axis": axis, "index_dtype": index_dtype, "x": enc(x), "out": enc(out), "note": note}


def arg_cases():
    cases = []
    for op in ("argmax", "argmin"):
        for dt in ALL:
            for shape, axis in [((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), 2), ((2, 3, 4), -1), ((5,), 0), ((0, 3), 1)]:
                x = sample(shape, dt, R)
                cases.append(arg_case(op, x, axis))
            # Ties: the first index wins.
            x = R.integers(0, 2, size=(4, 6)).astype(dt)
            cases.append(arg_case(op, x, 1, note="ties"))
            cases.append(arg_case(op, x, 0, note="ties"))
        for dt in FLOATS:
            x = np.array([[1.0, np.nan, 3.0, np.nan], [np.nan, -np.inf, np.inf, 2.0], [0.0, -0.0, 4.0, 4.0]], dt)
            cases.append(arg_case(op, x, 1, note="nan"))
            cases.append(arg_case(op, x, 0, note="nan"))
        cases.append(arg_case(op, sample((3, 7), "float32", R), 1, "uint8"))
        cases.append(arg_case(op, sample((3, 7), "int32", R), 0, "int16"))
    return cases


# ---------------------------------------------------------------------------
# cumulative reductions

CUM = {
    "cumsum": (np.add, lax.cumsum, NUMERIC),
    "cumprod": (np.multiply, lax.cumprod, NUMERIC),
    "cummax": (np.maximum, lax.cummax, NUMERIC),
    "cummin": (np.minimum, lax.cummin, NUMERIC),
    "cumlogsumexp": (np.logaddexp, lax.cumlogsumexp, FLOATS),
}


def ref_cum(op, x, axis, reverse):
    uf = CUM[op][0]
    y = np.flip(x, axis) if reverse else x
    if is_float(x.dtype):
        with np.errstate(invalid="ignore"):
            r = uf.accumulate(y.astype(np.float64), axis=axis).astype(x.dtype)
    else:
        with np.errstate(over="ignore"):
            r = uf.accumulate(y, axis=axis, dtype=x.dtype)
    return np.flip(r, axis) if reverse else r


def cum_case(op, x, axis, reverse, note=""):
    out = ref_cum(op, x, axis % x.ndim, reverse)
    if jax_ok(x.dtype):
        check_against_jax(out, CUM[op][1](jnp.asarray(x), axis % x.ndim, reverse), f"{op} {x.dtype} {axis} {reverse} {note}")
    return {"kind": "cum", "op": op, "axis": axis, "reverse": reverse, "x": enc(x), "out": enc(out), "note": note}


def cum_cases():
    cases = []
    for op, (_, _, dtypes) in CUM.items():
        for dt in dtypes:
            for shape, axis in [((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), -1), ((6,), 0), ((0, 3), 0), ((3, 0), 1)]:
                for reverse in (False, True):
                    if op == "cumprod":
                        x = sample(shape, dt, R, 0.5, 1.5) if is_float(dt) else R.integers(0, 4, size=shape).astype(dt)
                    else:
                        x = sample(shape, dt, R)
                    cases.append(cum_case(op, x, axis, reverse))
        if dtypes is FLOATS or op in ("cumsum", "cummax", "cummin"):
            for dt in FLOATS:
                x = np.array([1.0, -np.inf, 2.0, np.nan, 3.0, np.inf], dt)
                cases.append(cum_case(op, x, 0, False, "special"))
                cases.append(cum_case(op, x, 0, True, "special"))
            cases.append(cum_case(op, np.array([-np.inf, -np.inf, np.inf, np.inf], np.float32), 0, False, "inf"))
    cases.append(cum_case("cumsum", np.array([100, 100, 100, -128], np.int8), 0, False, "wrap"))
    cases.append(cum_case("cumsum", np.array([2_000_000_000, 2_000_000_000, 5], np.int32), 0, False, "wrap"))
    cases.append(cum_case("cumprod", np.array([100_000, 100_000, 7], np.int32), 0, True, "wrap"))
    cases.append(cum_case("cumprod", np.array([70_000, 70_000, 3], np.uint32), 0, False, "wrap"))
    cases.append(cum_case("cumsum", R.uniform(0, 1, size=(300,)).astype(np.float16), 0, False, "long"))
    return cases


# ---------------------------------------------------------------------------
# windowed reductions

def window_pads(shape, wd, ws, padding, wdil):
    if not isinstance(padding, str):
        return [tuple(p) for p in padding]
    dw = [(w - 1) * d + 1 for w, d in zip(wd, wdil)]
    return [tuple(p) for p in lax.padtype_to_pads(shape, dw, ws, padding)]


def ref_window(op, x, wd, ws, padding, bd, wdil):
    dt = x.dtype
    ident = {"sum": 0, "max": max_identity(dt), "min": min_identity(dt)}[op]
    work = np.float64 if is_float(dt) else (np.int64 if dt != np.bool_ else np.bool_)
    pads = window_pads(x.shape, wd, ws, padding, wdil)
    dil_shape = [0 if s == 0 else (s - 1) * b + 1 for s, b in zip(x.shape, bd)]
    full = np.full(dil_shape, ident, dtype=work)
    full[tuple(slice(None, None, b) for b in bd)] = x.astype(work)
    for ax, (lo, hi) in enumerate(pads):
        pad_width = [(0, 0)] * x.ndim
        pad_width[ax] = (max(lo, 0), max(hi, 0))
        full = np.pad(full, pad_width, constant_values=ident)
        n = full.shape[ax]
        sl = [slice(None)] * x.ndim
        sl[ax] = slice(max(-lo, 0), n - max(-hi, 0))
        full = full[tuple(sl)]
    dw = [(w - 1) * d + 1 for w, d in zip(wd, wdil)]
    out_shape = [0 if p < w else (p - w) // s + 1 for p, w, s in zip(full.shape, dw, ws)]
    out = np.empty(out_shape, dtype=work)
    for idx in np.ndindex(*out_shape):
        win = full[tuple(slice(o * s, o * s + w, d) for o, s, w, d in zip(idx, ws, dw, wdil))]
        if op == "sum":
            out[idx] = win.sum()
        elif op == "max":
            out[idx] = np.max(win)
        else:
            out[idx] = np.min(win)
    if op == "sum" and not is_float(dt):
        return (out.astype(np.int64) & ((1 << (8 * dt.itemsize)) - 1)).astype(np.uint64).astype(dt)
    return out.astype(dt)


WINDOW_GEOMETRIES = [
    # shape, window_dimensions, window_strides, padding, base_dilation, window_dilation
    ((7,), (3,), (1,), "VALID", (1,), (1,)),
    ((7,), (3,), (2,), "SAME", (1,), (1,)),
    ((7,), (2,), (1,), "SAME_LOWER", (1,), (1,)),
    ((7,), (3,), (1,), ((1, 2),), (1,), (1,)),
    ((7,), (2,), (3,), ((0, 0),), (2,), (1,)),
    ((7,), (2,), (1,), ((1, 0),), (1,), (3,)),
    ((3,), (2,), (1,), ((3, 0),), (1,), (1,)),
    ((4, 5), (2, 3), (1, 2), "SAME", (1, 1), (1, 1)),
    ((4, 5), (2, 2), (1, 1), "SAME", (2, 1), (1, 2)),
    ((4, 5), (2, 2), (2, 1), ((-1, 1), (0, 0)), (1, 1), (1, 1)),
    ((2, 3, 4), (1, 2, 2), (1, 2, 1), ((0, 0), (1, 1), (0, 1)), (1, 1, 2), (1, 1, 1)),
    ((0, 3), (1, 2), (1, 1), "VALID", (1, 1), (1, 1)),
    ((2, 3), (3, 1), (1, 1), "VALID", (1, 1), (1, 1)),
]

WINDOW_DTYPES = {
    "sum": ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32"],
    "max": ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32", "bool"],
    "min": ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32", "bool"],
}


def window_case(op, x, wd, ws, padding, bd, wdil, note=""):
    out = ref_window(op, x, wd, ws, padding, bd, wdil)
    if jax_ok(x.dtype):
        init = {"sum": np.zeros((), x.dtype)[()], "max": max_identity(x.dtype), "min": min_identity(x.dtype)}[op]
        comp = {"sum": lax.add, "max": lax.max, "min": lax.min}[op]
        got = lax.reduce_window(jnp.asarray(x), np.asarray(init, x.dtype), comp, wd, ws,
                                padding if isinstance(padding, str) else tuple(padding), bd, wdil)
        check_against_jax(out, got, f"reduce_window_{op} {x.dtype} {x.shape} {wd} {ws} {padding} {bd} {wdil}")
    return {
        "kind": "window", "op": op, "x": enc(x), "out": enc(out), "note": note,
        "window_dimensions": list(wd), "window_strides": list(ws),
        "padding": padding if isinstance(padding, str) else [list(p) for p in padding],
        "base_dilation": list(bd), "window_dilation": list(wdil),
    }


def window_cases():
    cases = []
    for op, dtypes in WINDOW_DTYPES.items():
        for dt in dtypes:
            for shape, wd, ws, padding, bd, wdil in WINDOW_GEOMETRIES:
                cases.append(window_case(op, sample(shape, dt, R), wd, ws, padding, bd, wdil))
    x = np.array([1.0, np.nan, 3.0, -np.inf, 2.0], np.float32)
    for op in ("sum", "max", "min"):
        cases.append(window_case(op, x, (2,), (1,), "VALID", (1,), (1,), "nan"))
    cases.append(window_case("sum", np.array([100, 100, 100, 7], np.int8), (3,), (1,), "VALID", (1,), (1,), "wrap"))
    return cases


# ---------------------------------------------------------------------------
# Array methods (jax.numpy semantics)

METHOD_DTYPES = ["float32", "float16", "int32", "int8", "uint8", "int16", "uint16", "uint32", "bool"]


def method_case(method, x, axis=None, **opts):
    f = getattr(jnp, method)
    kw = dict(opts)
    if "where" in kw:
        kw["where"] = jnp.asarray(kw["where"])
    if method in ("argmax", "argmin"):
        out = f(jnp.asarray(x), axis=axis, keepdims=kw.get("keepdims", False))
    elif method == "cumsum":
        out = f(jnp.asarray(x), axis=axis)
    else:
        out = f(jnp.asarray(x), axis=tuple(axis) if isinstance(axis, list) else axis, **kw)
    enc_opts = {k: (enc(v) if k == "where" else v) for k, v in opts.items()}
    return {"kind": "method", "method": method, "axis": axis, "opts": enc_opts, "x": enc(x), "out": enc(np.asarray(out))}


def method_cases():
    cases = []
    where = R.integers(0, 2, size=(3, 4)).astype(bool)
    for dt in METHOD_DTYPES:
        x = sample((2, 3, 4), dt, R, 0.5, 1.5) if dt != "bool" else sample((2, 3, 4), dt, R)
        for m in ("sum", "prod", "max", "min", "mean", "any", "all"):
            cases.append(method_case(m, x))
            cases.append(method_case(m, x, 1))
            cases.append(method_case(m, x, [0, -1], keepdims=True))
            cases.append(method_case(m, x, -2, keepdims=True))
            if m in ("max", "min"):
                cases.append(method_case(m, x, 2, where=where, initial=1))
                cases.append(method_case(m, x, None, initial=1))
            elif m in ("sum", "prod"):
                cases.append(method_case(m, x, 0, where=where))
                cases.append(method_case(m, x, [1, 2], initial=3))
            else:
                cases.append(method_case(m, x, [0, 2], where=where, keepdims=True))
        for m in ("argmax", "argmin"):
            cases.append(method_case(m, x))
            cases.append(method_case(m, x, 1))
            cases.append(method_case(m, x, -1, keepdims=True))
            cases.append(method_case(m, x, None, keepdims=True))
        cases.append(method_case("cumsum", x))
        cases.append(method_case("cumsum", x, 1))
        cases.append(method_case("cumsum", x, -1))
    # Widening and wrap-around, empty inputs, NaN.
    cases.append(method_case("sum", np.array([100, 100, 100], np.int8)))
    cases.append(method_case("sum", np.array([200, 200], np.uint8)))
    cases.append(method_case("prod", np.array([100, 100, 100], np.int16)))
    cases.append(method_case("cumsum", np.array([100, 100, 100], np.int8)))
    cases.append(method_case("cumsum", np.array([True, True, False, True])))
    cases.append(method_case("cumsum", np.array(3.5, np.float32)))
    cases.append(method_case("sum", np.zeros((0, 3), np.float32), 0))
    cases.append(method_case("prod", np.zeros((0, 3), np.int8), 0))
    cases.append(method_case("mean", np.zeros((0, 3), np.float32), 0))
    cases.append(method_case("any", np.zeros((0, 3), np.float32), 0))
    cases.append(method_case("all", np.zeros((0, 3), np.float32), 0))
    cases.append(method_case("max", np.zeros((0, 3), np.float32), 1))
    cases.append(method_case("min", np.zeros((0, 3), np.int32), 0, initial=7))
    nanx = np.array([[1.0, np.nan, 3.0], [2.0, 0.5, -np.inf]], np.float32)
    for m in ("sum", "max", "min", "mean", "argmax", "argmin"):
        cases.append(method_case(m, nanx, 1))
    cases.append(method_case("sum", R.uniform(0, 1, size=(2000,)).astype(np.float16)))
    cases.append(method_case("mean", R.uniform(0, 1, size=(2000,)).astype(np.float16)))
    cases.append(method_case("any", np.array([0.0, np.nan, 0.0], np.float32)))
    return cases


# ---------------------------------------------------------------------------
# make_jaxpr texts (JAX 0.10.2) of programs the test writes the same way

def sds(shape, dt):
    return jax.ShapeDtypeStruct(shape, np.dtype(dt))


JAXPR_PROGRAMS = {
    "sum_int8": (lambda x: jnp.sum(x), [sds((3,), "int8")]),
    "sum_f16": (lambda x: jnp.sum(x), [sds((3,), "float16")]),
    "sum_bool": (lambda x: jnp.sum(x), [sds((3,), "bool")]),
    "sum_initial": (lambda x: jnp.sum(x, axis=1, initial=2.0), [sds((2, 3), "float32")]),
    "prod_keepdims": (lambda x: jnp.prod(x, axis=(0, 2), keepdims=True), [sds((2, 3, 4), "float32")]),
    "max_keepdims_neg": (lambda x: jnp.max(x, axis=-1, keepdims=True), [sds((2, 3), "int32")]),
    "mean_int": (lambda x: jnp.mean(x), [sds((3,), "int32")]),
    "mean_f16_keepdims": (lambda x: jnp.mean(x, axis=0, keepdims=True), [sds((2, 3), "float16")]),
    "any_int": (lambda x: jnp.any(x), [sds((3,), "int32")]),
    "all_axis": (lambda x: jnp.all(x, axis=0), [sds((2, 3), "bool")]),
    "argmax_keepdims": (lambda x: jnp.argmax(x, axis=1, keepdims=True), [sds((2, 3), "float32")]),
    "argmin_flat": (lambda x: jnp.argmin(x), [sds((2, 3), "float32")]),
    "lax_argmin_u8": (lambda x: lax.argmin(x, 1, jnp.uint8), [sds((3, 2), "int32")]),
    "lax_reduce_xor": (lambda x: lax.reduce_xor(x, (0,)), [sds((3,), "int32")]),
    "lax_reduce_add_int": (lambda x: lax.reduce(x, 0, lax.add, (0,)), [sds((3,), "int32")]),
    "lax_reduce_max_neginf_int": (lambda x: lax.reduce(x, -jnp.inf, lax.max, (0,)), [sds((3,), "int32")]),
    "lax_reduce_and_u32": (lambda x: lax.reduce(x, -1, lax.bitwise_and, (0,)), [sds((3,), "uint32")]),
    "lax_reduce_window_dilated": (
        lambda x: lax.reduce_window(x, 0.0, lax.add, (2, 2), (1, 1), "SAME", base_dilation=(2, 1), window_dilation=(1, 2)),
        [sds((3, 4), "float32")],
    ),
    "lax_reduce_window_min_pad": (
        lambda x: lax.reduce_window(x, jnp.inf, lax.min, (2,), (2,), [(1, 0)]),
        [sds((5,), "float32")],
    ),
    "lax_cumsum_rev_axis1": (lambda x: lax.cumsum(x, 1, reverse=True), [sds((2, 3), "int32")]),
}


def jaxpr_cases():
    return [{"kind": "jaxpr", "name": k, "jaxpr": str(jax.make_jaxpr(f)(*args))} for k, (f, args) in JAXPR_PROGRAMS.items()]


if __name__ == "__main__":
    assert jax.__version__ == "0.10.2", jax.__version__
    write("reduction", reduce_cases() + arg_cases() + cum_cases() + window_cases() + method_cases() + jaxpr_cases())
