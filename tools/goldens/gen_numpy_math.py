"""Goldens for @jaxts/numpy's math: elementwise functions (ufuncs), reductions,
sorting/searching/set operations and the selection helpers.

Run with the JAX 0.10.2 interpreter (NumPy 2.4 comes with it):
    /tmp/jaxvenv/bin/python tools/goldens/gen_numpy_math.py

Every case runs the jax.numpy function for the expected dtype and shape (JAX
is the spec for dtype rules: weak scalars, float32 for integer inputs of
transcendental functions, int32 indices). Expected VALUES come from NumPy
(`ref`), cast to that dtype, and are checked against JAX's own values before
they are written. Where JAX deliberately differs from NumPy (partition order,
nanargmax of all-NaN slices, unique's size=/fill_value=, quantile's
"nearest", integer division by zero, over-wide shifts, ...) the case says
src="jax" and JAX's values are the golden.

float64 cases run JAX with x64 enabled (our float64 is a real dtype), and a
64-bit integer dtype JAX reports there maps to its 32-bit form (our integers
stay 32-bit, as JAX's default).
"""
import json
import math
import os
import sys
from contextlib import contextmanager

import numpy as np

import jax
import jax.numpy as jnp

sys.path.insert(0, os.path.dirname(__file__))
from common import enc, rng, sample  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "numpy", "test", "fixtures")
R = rng(11)

FLOATS = ["float32", "float64", "float16"]
INTS = ["int32", "int8", "uint8", "int16", "uint16", "uint32"]


@contextmanager
def x64(on):
    old = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", on)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", old)


def canon(dt):
    dt = np.dtype(dt)
    return {np.dtype("int64"): np.dtype("int32"), np.dtype("uint64"): np.dtype("uint32")}.get(dt, dt)


def camel(k):
    head, *rest = k.split("_")
    return head + "".join(w.title() for w in rest)


def enc_arg(a):
    if isinstance(a, dict) and "fn" in a:
        return a
    if isinstance(a, (list, tuple)):
        return {"list": [enc_arg(x) for x in a]}
    if isinstance(a, np.ndarray):
        return enc(a)
    if isinstance(a, (bool, np.bool_)):
        return {"scalar": bool(a)}
    if isinstance(a, (int, float)):
        if isinstance(a, float) and float(a).is_integer():
            raise ValueError(f"integral float scalar {a} cannot be a JS number")
        return {"scalar": a if not isinstance(a, float) or math.isfinite(a) else str(a).replace("Infinity", "inf")}
    if a is None:
        return None
    if isinstance(a, str):
        return a
    raise TypeError(type(a))


def enc_opt(v):
    """Options are plain JSON (numbers, strings, booleans, axis lists) unless they are arrays."""
    if isinstance(v, np.ndarray):
        return enc(v)
    if isinstance(v, tuple) and all(isinstance(x, (int, float)) for x in v):
        return list(v)
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    return enc_arg(v)


def has_f64(xs):
    for x in xs:
        if isinstance(x, np.ndarray) and x.dtype == np.float64:
            return True
        if isinstance(x, str) and x == "float64":
            return True
        if isinstance(x, (list, tuple)) and has_f64(x):
            return True
        if isinstance(x, dict) and has_f64(list(x.values())):
            return True
    return False


def as_list(out):
    if isinstance(out, (list, tuple)):
        return list(out), True
    return [out], False


class Suite:
    def __init__(self, name):
        self.name = name
        self.cases = []

    def add(self, fn, args, kw=None, *, ref=None, jfn=None, src="numpy", tol=None, label=None, compare=True):
        """fn: the TS name; args: positional (arrays/scalars/lists); kw: snake_case keyword arguments."""
        kw = kw or {}
        jfn = jfn or getattr(jnp, fn_snake(fn))
        with x64(has_f64(list(args) + list(kw.values()))):
            jout = jfn(*[jax_arg(a) for a in args], **{k: jax_arg(v) for k, v in kw.items()})
            jouts, multi = as_list(jout)
            jouts = [np.asarray(o) for o in jouts]
        if src == "jax" or ref is None:
            outs = [o.astype(canon(o.dtype)) for o in jouts]
        else:
            routs, _ = as_list(ref(*args, **kw))
            outs = []
            for r, j in zip(routs, jouts):
                r = np.asarray(r)
                if r.shape != j.shape:
                    raise AssertionError(f"{self.name}/{fn} {label}: numpy shape {r.shape} vs jax {j.shape}")
                with np.errstate(all="ignore"):
                    outs.append(r.astype(canon(j.dtype)))
            if compare:
                for r, j in zip(outs, jouts):
                    check_close(r, j, f"{self.name}/{fn} {label or ''}")
        case = {
            "fn": fn,
            "args": [enc_arg(a) for a in args],
            "opts": {camel(k): enc_opt(v) for k, v in kw.items()},
            "out": [enc(o) for o in outs] if multi else enc(outs[0]),
            "multi": multi,
        }
        if label:
            case["label"] = label
        if tol:
            case["tol"] = tol
        self.cases.append(case)

    def write(self):
        os.makedirs(FIXTURES, exist_ok=True)
        path = os.path.join(FIXTURES, self.name + ".json")
        with open(path, "w") as f:
            json.dump({"generator": "tools/goldens/gen_numpy_math.py", "numpy": np.__version__, "jax": jax.__version__, "cases": self.cases},
                      f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {path}: {len(self.cases)} cases")


def fn_snake(name):
    out = "".join("_" + c.lower() if c.isupper() else c for c in name)
    return {"var_": "var"}.get(out, out)


NAMED_FNS = {
    "neg": lambda x: -x,
    "square": lambda x: x * x,
    "half": lambda x: x / 2,
}


def jax_arg(a):
    if isinstance(a, dict) and "fn" in a:
        return NAMED_FNS[a["fn"]]
    if isinstance(a, tuple):
        return tuple(jax_arg(x) for x in a)
    if isinstance(a, list):
        return [jax_arg(x) for x in a]
    return a


def check_close(r, j, what):
    if r.dtype != j.dtype and canon(j.dtype) != r.dtype:
        raise AssertionError(f"{what}: dtype {r.dtype} vs {j.dtype}")
    if r.shape != j.shape:
        raise AssertionError(f"{what}: shape {r.shape} vs {j.shape}")
    if r.dtype.kind == "f":
        rtol = {"float16": 4e-3, "float32": 2e-5, "float64": 1e-9}[str(r.dtype)]
        ok = np.isclose(r.astype(np.float64), j.astype(np.float64), rtol=rtol, atol=rtol, equal_nan=True)
        if not ok.all():
            bad = np.argwhere(~ok)[:3]
            raise AssertionError(f"{what}: numpy {r[tuple(bad[0])] if r.ndim else r} vs jax {j[tuple(bad[0])] if j.ndim else j} at {bad.tolist()}")
    else:
        if not np.array_equal(r, j.astype(r.dtype)):
            raise AssertionError(f"{what}: numpy {r.tolist()} vs jax {j.tolist()}")


def specials(dt):
    return np.array([0.0, -0.0, 1.5, -2.25, np.nan, np.inf, -np.inf], dtype=dt)


def pos(shape, dt, lo=0.1, hi=3.0):
    return R.uniform(lo, hi, size=shape).astype(dt)


def unif(shape, dt, lo=-3.0, hi=3.0):
    return sample(shape, dt, R, lo, hi)


# ---------------------------------------------------------------------------
# Elementwise (ufuncs)

def as_float_ref(f):
    """A NumPy reference for a function computed in float: integer/bool inputs go through float64."""
    def g(*xs, **kw):
        ys = [np.asarray(x).astype(np.float64) if np.asarray(x).dtype.kind in "biu" else x for x in xs]
        with np.errstate(all="ignore"):
            return f(*ys, **kw)
    return g


def ufuncs():
    s = Suite("numpy_ufuncs")
    unary_float = {
        "sin": (np.sin, None), "cos": (np.cos, None), "tan": (np.tan, (-1.4, 1.4)), "arcsin": (np.arcsin, (-1, 1)),
        "arccos": (np.arccos, (-1, 1)), "arctan": (np.arctan, None), "sinh": (np.sinh, None), "cosh": (np.cosh, None),
        "tanh": (np.tanh, None), "arcsinh": (np.arcsinh, None), "arccosh": (np.arccosh, (1, 4)), "arctanh": (np.arctanh, (-0.99, 0.99)),
        "exp": (np.exp, None), "exp2": (np.exp2, None), "expm1": (np.expm1, None), "log": (np.log, (0.01, 5)),
        "log2": (np.log2, (0.01, 5)), "log10": (np.log10, (0.01, 5)), "log1p": (np.log1p, (-0.9, 5)), "sqrt": (np.sqrt, (0, 5)),
        "cbrt": (np.cbrt, None), "deg2rad": (np.deg2rad, None), "rad2deg": (np.rad2deg, None), "fabs": (np.fabs, None),
        "reciprocal": (lambda x: np.reciprocal(x), (0.5, 3)), "sinc": (np.sinc, None),
    }
    for name, (f, dom) in unary_float.items():
        lo, hi = dom or (-3, 3)
        for dt in FLOATS:
            x = R.uniform(lo, hi, size=(2, 3)).astype(dt)
            tol = {"rtol": 4e-3, "atol": 4e-3} if dt == "float16" else ({"rtol": 1e-5, "atol": 1e-6} if dt == "float32" else None)
            s.add(name, [x], ref=as_float_ref(f), label=dt, tol=tol)
        xi = np.array([[1, 2, 3], [0, 1, 2]], np.int32) if dom is None or dom[0] <= 0 else np.array([[1, 2, 3], [2, 1, 3]], np.int32)
        if name in ("arcsin", "arccos", "arctanh"):
            xi = np.array([0, 1, -1][: 3 if name != "arctanh" else 1], np.int32)
        s.add(name, [xi], ref=as_float_ref(f), label="int32", tol={"rtol": 1e-5, "atol": 1e-6})
        s.add(name, [np.zeros((0, 2), np.float32)], ref=as_float_ref(f), label="empty")
        if name in ("sin", "exp", "log", "sqrt", "tanh", "arctan", "expm1", "log1p", "cbrt", "sinc"):
            s.add(name, [specials("float32")], ref=as_float_ref(f), label="specials", tol={"rtol": 1e-5, "atol": 1e-6})
    s.add("sin", [0.5], ref=as_float_ref(np.sin), label="weak scalar")
    s.add("exp", [np.array([True, False])], ref=as_float_ref(np.exp), label="bool")
    # sinc at zero (and its neighbours)
    s.add("sinc", [np.array([0.0, 1e-4, -1.0, 2.5], np.float64)], ref=np.sinc, label="zero")

    # numeric unary ops keeping the dtype
    for name, f in {"negative": np.negative, "positive": np.positive, "absolute": np.absolute, "abs": np.abs,
                    "sign": np.sign, "square": np.square}.items():
        for dt in FLOATS + INTS:
            s.add(name, [unif((2, 3), dt)], ref=f, label=dt)
        s.add(name, [specials("float32")], ref=f, label="specials")
    s.add("absolute", [np.array([-128, 5, 127], np.int8)], ref=np.absolute, label="int8 min wraps")
    s.add("square", [np.array([True, False])], ref=lambda x: np.square(x.astype(np.int32)), label="bool")
    s.add("negative", [np.array([0, 1, 200], np.uint8)], ref=np.negative, label="uint8 wraps")
    for name, f in {"floor": np.floor, "ceil": np.ceil, "trunc": np.trunc, "fix": np.fix, "rint": np.rint}.items():
        for dt in FLOATS:
            s.add(name, [np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.7, -3.7], dt)], ref=f, label=dt,
                  jfn=jnp.trunc if name == "fix" else None)
        s.add(name, [specials("float32")], ref=f, label="specials", jfn=jnp.trunc if name == "fix" else None)
        s.add(name, [np.array([-3, 0, 7], np.int32)], ref=(lambda x: x.astype(np.float32)) if name == "rint" else (lambda x: x),
              label="int32", jfn=jnp.trunc if name == "fix" else None)
    for dec in [0, 1, 2, -1]:
        s.add("round", [np.array([1.25, 2.675, -0.125, 12345.678, 0.5, 1.5], np.float32), dec],
              ref=lambda x, d: np.round(x * np.float32(10.0 ** d)) / np.float32(10.0 ** d), label=f"decimals {dec}")
    s.add("round", [np.array([1.25, -2.5, 0.35], np.float64), 1], ref=lambda x, d: np.round(x * 10.0 ** d) / 10.0 ** d, label="f64")
    s.add("round", [np.array([1.25, -2.5, 0.35], np.float16), 1], ref=lambda x, d: np.round(x.astype(np.float32) * np.float32(10.0 ** d)) / np.float32(10.0 ** d), label="f16")
    s.add("around", [np.array([3, -7], np.int32), 2], ref=lambda x, d: x, label="int")

    for name, f in {"isnan": np.isnan, "isinf": np.isinf, "isfinite": np.isfinite, "isposinf": np.isposinf,
                    "isneginf": np.isneginf, "signbit": np.signbit}.items():
        for dt in FLOATS:
            s.add(name, [specials(dt)], ref=f, label=dt)
        s.add(name, [np.array([-2, 0, 3], np.int32)], ref=f, label="int32")
        s.add(name, [np.array([True, False])], ref=f, label="bool")
    s.add("logicalNot", [np.array([0, 2, -1], np.int32)], ref=np.logical_not)
    s.add("logicalNot", [np.array([0.0, np.nan, 1.5], np.float32)], ref=np.logical_not, label="float")
    for name in ["bitwiseNot", "invert", "bitwiseInvert"]:
        for dt in INTS + ["bool"]:
            s.add(name, [unif((4,), dt)], ref=np.invert, label=dt)
    for dt in INTS:
        s.add("bitwiseCount", [unif((5,), dt)], ref=np.bitwise_count, label=dt)
    s.add("spacing", [np.array([1.0, -1.0, 0.0, 1e-30, 3.5e10], np.float32)], ref=np.spacing)
    s.add("spacing", [np.array([1.0, -2.0, 0.0, 1e300], np.float64)], ref=np.spacing, label="f64")
    for dt in FLOATS:
        x = np.array([0.5, -3.75, 1e-3, 8.0, 0.0, -0.0, np.inf, -np.inf, np.nan, 6e-5, 1e-7 if dt != "float16" else 1e-6], dt)
        s.add("frexp", [x], ref=np.frexp, label=dt)
        s.add("modf", [np.array([2.75, -2.75, 0.5, -0.0, 3.0, 1000.5], dt)], ref=np.modf, label=dt)
    s.add("frexp", [np.array([1e-40, -3e-42], np.float32)], ref=np.frexp, label="subnormal f32", compare=False)  # XLA's CPU flushes float32 subnormals
    s.add("frexp", [np.array([5e-310, -1e-320], np.float64)], ref=np.frexp, label="subnormal f64", compare=False)
    s.add("frexp", [np.array([3, -4, 0], np.int32)], ref=lambda x: np.frexp(x.astype(np.float32)), label="int32")
    s.add("modf", [np.array([np.inf, -np.inf, np.nan], np.float32)], src="jax", label="specials (JAX: inf - inf)")
    s.add("real", [unif((2, 2), "float32")], ref=np.real)
    s.add("imag", [unif((2, 2), "int32")], ref=np.imag)
    s.add("conj", [unif((3,), "float64")], ref=np.conj)
    s.add("conjugate", [unif((3,), "int8")], ref=np.conjugate)
    s.add("angle", [np.array([-1.5, 0.0, 2.0, -0.0], np.float32)], ref=np.angle)
    s.add("angle", [np.array([-1, 0, 3], np.int32)], ref=lambda x: np.angle(x).astype(np.float32), label="int")
    s.add("angle", [np.array([-1.0, 2.0], np.float64)], {"deg": True}, ref=lambda x, deg: np.angle(x, deg=deg), label="deg")

    for dt in FLOATS:
        x = np.array([0.0, 0.5, -1.5, 3.0, 7.9, 8.0, 8.5, -20.0, 50.0], dt)
        s.add("i0", [x], ref=lambda a: np.i0(a.astype(np.float64)), label=dt, tol={"rtol": 4e-3, "atol": 4e-3} if dt == "float16" else None)
    s.add("i0", [np.array([0, 2, -3], np.int32)], ref=lambda a: np.i0(a.astype(np.float64)), label="int32")
    s.add("iscomplex", [unif((3,), "float32")], ref=np.iscomplex)
    s.add("isreal", [unif((3,), "int8")], ref=np.isreal)

    # ---- binary
    shapes = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((0, 3), (3,)), ((), (4,))]
    arith = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "maximum": np.maximum, "minimum": np.minimum}
    for name, f in arith.items():
        for dt in FLOATS + INTS:
            for sa, sb in shapes[:2]:
                s.add(name, [unif(sa, dt), unif(sb, dt)], ref=f, label=f"{dt} {sa} {sb}")
        for sa, sb in shapes[2:]:
            s.add(name, [unif(sa, "float32"), unif(sb, "float32")], ref=f, label=f"bcast {sa} {sb}")
        s.add(name, [unif((3,), "int8"), unif((3,), "float16")], ref=lambda a, b: f(a.astype(np.float16), b), label="int8+f16")
        s.add(name, [unif((3,), "uint8"), unif((3,), "int8")], ref=lambda a, b: f(a.astype(np.int16), b.astype(np.int16)), label="u8+i8")
        s.add(name, [unif((3,), "int32"), unif((3,), "float32")], ref=lambda a, b: f(a.astype(np.float32), b), label="i32+f32")
        s.add(name, [unif((4,), "uint8"), 3], ref=lambda a, b: f(a, np.uint8(b)), label="uint8 + weak int")
        s.add(name, [unif((4,), "float16"), 2.5], ref=lambda a, b: f(a, np.float16(b)), label="f16 + weak float")
        s.add(name, [unif((4,), "int32"), 2.5], ref=lambda a, b: f(a.astype(np.float32), np.float32(b)), label="int32 + weak float")
        s.add(name, [specials("float32"), np.float32(1.0) * np.ones(7, np.float32)], ref=f, label="specials")
    s.add("add", [np.array([True, False, True]), np.array([True, False, False])], ref=np.logical_or, label="bool is or")
    s.add("multiply", [np.array([True, False, True]), np.array([True, True, False])], ref=np.logical_and, label="bool is and")
    s.add("add", [np.array([100, 200], np.uint8), 300], ref=lambda a, b: (a.astype(np.int64) + b).astype(np.uint8), label="weak int wraps")
    s.add("maximum", [np.array([np.nan, 1, 2], np.float32), np.array([0, np.nan, 1], np.float32)], ref=np.maximum, label="nan")

    for name, f in {"divide": np.divide, "trueDivide": np.true_divide}.items():
        for dt in FLOATS + ["int32", "uint8", "int8"]:
            b = unif((2, 3), dt)
            b = np.where(b == 0, 1, b).astype(dt)
            s.add(name, [unif((2, 3), dt), b], ref=as_float_ref(f), label=dt)
        s.add(name, [np.array([1.0, -1.0, 0.0], np.float32), np.array([0.0, 0.0, 0.0], np.float32)], ref=f, label="by zero")
    for name, f in {"floorDivide": np.floor_divide, "remainder": np.remainder, "mod": np.mod, "fmod": np.fmod}.items():
        for dt in FLOATS + INTS:
            a = unif((2, 4), dt)
            b = unif((2, 4), dt)
            b = np.where(b == 0, 3, b).astype(dt)
            s.add(name, [a, b], ref=f, label=dt)
        s.add(name, [np.array([7.5, -7.5, 7.5, -7.5, 0.0, 3.0], np.float32), np.array([2.0, 2.0, -2.0, -2.0, 5.0, np.inf], np.float32)],
              ref=f, label="signs")
        s.add(name, [np.array([5, -5, 0], np.int32), np.array([0, 0, 0], np.int32)], src="jax", label="int by zero (JAX)")
        s.add(name, [np.array([1.0, -1.0, 0.0], np.float32), np.array([0.0, 0.0, 0.0], np.float32)], src="jax", label="float by zero (JAX)")
        s.add(name, [np.array([True, False]), np.array([True, True])], ref=lambda a, b: f(a.astype(np.int32), b.astype(np.int32)), label="bool")
    s.add("divmod", [np.array([7, -7, 7, -7], np.int32), np.array([2, 2, -2, -2], np.int32)], ref=np.divmod)
    s.add("divmod", [np.array([7.5, -7.5, 7.5, -0.5], np.float64), np.array([2.0, 2.0, -2.0, 2.0], np.float64)], ref=np.divmod, label="f64")

    for dt in FLOATS:
        s.add("power", [pos((2, 3), dt), unif((2, 3), dt)], ref=np.power, label=dt, tol={"rtol": 4e-3, "atol": 4e-3} if dt == "float16" else None)
        s.add("power", [unif((2, 3), dt), 3], ref=lambda a, b: a ** b, label=f"{dt} static int exponent")
        s.add("power", [unif((3,), dt), np.array([0, 1, 2], np.int32)], ref=lambda a, b: np.power(a, b.astype(a.dtype)), label=f"{dt} int array exponent")
    for dt in INTS:
        a = unif((5,), dt)
        s.add("power", [a, np.array([0, 1, 2, 3, 2], dt)], ref=np.power, label=dt)
    s.add("power", [np.array([2, -3, 0, 5], np.int32), np.array([-1, -2, 0, 40], np.int32)], src="jax", label="int negative/large (JAX)")
    s.add("power", [np.array([0.0, 0.0, -8.0, 2.0], np.float32), np.array([0.0, -1.0, 1.5, np.inf], np.float32)], ref=np.power, label="specials")
    s.add("power", [2.5, np.array([1.0, -2.0], np.float32)], ref=lambda a, b: np.power(np.float32(a), b), label="weak base")
    s.add("pow", [np.array([1, 2, 3], np.int32), 2], ref=np.power, label="static")
    s.add("floatPower", [np.array([2, 3, 4], np.int32), np.array([2, -1, 0], np.int32)], ref=lambda a, b: np.float_power(a, b))
    s.add("floatPower", [pos((3,), "float64"), unif((3,), "float64")], ref=np.float_power, label="f64")

    binary_float = {
        "arctan2": (np.arctan2, None), "atan2": (np.arctan2, None), "hypot": (np.hypot, None),
        "logaddexp": (np.logaddexp, None), "logaddexp2": (np.logaddexp2, None), "copysign": (np.copysign, None),
        "heaviside": (np.heaviside, None), "fmax": (np.fmax, None), "fmin": (np.fmin, None),
    }
    for name, (f, _) in binary_float.items():
        for dt in FLOATS:
            s.add(name, [unif((2, 3), dt), unif((3,), dt)], ref=f, label=dt,
                  tol={"rtol": 4e-3, "atol": 4e-3} if dt == "float16" else ({"rtol": 1e-5, "atol": 1e-6} if dt == "float32" else None))
        s.add(name, [np.array([1, -2, 0], np.int32), np.array([3, 0, -1], np.int32)], ref=as_float_ref(f), label="int32",
              tol={"rtol": 1e-5, "atol": 1e-6})
        sp = specials("float32")
        s.add(name, [np.repeat(sp, 7), np.tile(sp, 7)], ref=f, label="specials", tol={"rtol": 1e-5, "atol": 1e-6})
    s.add("hypot", [np.array([3e30, 1e-30, 0.0], np.float32), np.array([4e30, 1e-30, 0.0], np.float32)], ref=np.hypot, label="no overflow")
    s.add("logaddexp", [np.array([1000.0, -1000.0], np.float32), np.array([1000.0, -1001.0], np.float32)], ref=np.logaddexp, label="large")
    for dt in FLOATS:
        s.add("nextafter", [np.array([1.0, 1.0, 0.0, -2.0, np.nan], dt), np.array([2.0, 0.0, 1.0, -np.inf, 1.0], dt)], ref=np.nextafter, label=dt)
        s.add("ldexp", [np.array([0.5, 3.0, -1.25, 0.0, np.inf, 7.0], dt), np.array([3, -2, 10, 5, 1, 0], np.int32)], ref=np.ldexp, label=dt)
    s.add("ldexp", [np.array([1, 2], np.int32), np.array([3, -1], np.int32)], ref=lambda a, b: np.ldexp(a.astype(np.float32), b), label="int")
    for dt in ["int32", "int8", "uint16"]:
        a = np.array([12, 18, 0, 7, 9, 0], dt) if dt == "uint16" else np.array([12, -18, 0, 7, 9, 0], dt)
        b = np.array([8, 12, 5, 0, 6, 0], dt)
        s.add("gcd", [a, b], ref=np.gcd, label=dt)
        s.add("lcm", [a, b], ref=np.lcm, label=dt)
    s.add("gcd", [np.array([[12], [15]], np.int32), np.array([8, 10, 45], np.int32)], ref=np.gcd, label="broadcast")
    for name, f in {"bitwiseAnd": np.bitwise_and, "bitwiseOr": np.bitwise_or, "bitwiseXor": np.bitwise_xor}.items():
        for dt in INTS + ["bool"]:
            s.add(name, [unif((2, 3), dt), unif((3,), dt)], ref=f, label=dt)
        s.add(name, [unif((3,), "uint8"), 7], ref=lambda a, b: f(a, np.uint8(b)), label="weak")
    for name, f in {"leftShift": np.left_shift, "rightShift": np.right_shift, "bitwiseLeftShift": np.left_shift,
                    "bitwiseRightShift": np.right_shift}.items():
        for dt in INTS:
            s.add(name, [unif((4,), dt), np.array([0, 1, 3, 5], dt)], ref=f, label=dt)
        s.add(name, [np.array([-8, 8, 1], np.int32), np.array([40, 33, 32], np.int32)], src="jax", label="over-wide shifts (JAX)")
    for name, f in {"logicalAnd": np.logical_and, "logicalOr": np.logical_or, "logicalXor": np.logical_xor}.items():
        s.add(name, [np.array([0, 1, 2, 0], np.int32), np.array([0.0, 0.0, 3.5, np.nan], np.float32)], ref=f)
        s.add(name, [np.array([True, False]), np.array([[True], [False]])], ref=f, label="bool bcast")
    for name, f in {"equal": np.equal, "notEqual": np.not_equal, "less": np.less, "lessEqual": np.less_equal,
                    "greater": np.greater, "greaterEqual": np.greater_equal}.items():
        for dt in ["float32", "float64", "int8", "uint8", "bool"]:
            s.add(name, [unif((2, 3), dt), unif((3,), dt)], ref=f, label=dt)
        s.add(name, [specials("float32"), np.float32(np.nan) * np.ones(7, np.float32)], ref=f, label="nan")
        s.add(name, [np.array([-1, 0, 255], np.int32), np.array([255, 0, 1], np.uint8)], ref=lambda a, b: f(a, b.astype(np.int32)), label="i32 vs u8")
        s.add(name, [np.array([1, 2, 3], np.int8), 2.5], ref=lambda a, b: f(a.astype(np.float32), np.float32(b)), label="int vs weak float")

    a = np.array([1.0, 1e-9, 100.0, np.nan, np.inf, -np.inf, 1.0], np.float32)
    b = np.array([1.00001, 0.0, 100.001, np.nan, np.inf, np.inf, 1.1], np.float32)
    for kw in [{}, {"rtol": 1e-3}, {"atol": 0.2}, {"equal_nan": True}]:
        s.add("isclose", [a, b], kw, ref=np.isclose, label=str(kw))
        s.add("allclose", [a[:3], b[:3]], kw, ref=lambda x, y, **k: np.array(np.allclose(x, y, **k)), label=str(kw))
    s.add("isclose", [np.array([1, 2, 3], np.int32), np.array([1, 3, 3], np.int32)], ref=np.isclose, label="int")
    s.add("isclose", [np.array([1.0, 2.0], np.float64), np.array([1.0 + 1e-6, 2.1], np.float64)], ref=np.isclose, label="f64")
    for args, kw in [((np.array([1, 2]), np.array([1, 2])), {}), ((np.array([1, 2]), np.array([1, 3])), {}),
                     ((np.array([1, 2]), np.array([[1, 2]])), {}),
                     ((np.array([np.nan, 1.0], np.float32), np.array([np.nan, 1.0], np.float32)), {"equal_nan": True}),
                     ((np.array([np.nan, 1.0], np.float32), np.array([np.nan, 1.0], np.float32)), {})]:
        args = tuple(x.astype(np.int32) if x.dtype == np.int64 else x for x in args)
        s.add("arrayEqual", list(args), kw, ref=lambda x, y, **k: np.array(np.array_equal(x, y, **k)), label=str(kw))
    for x, y in [(np.array([1, 2], np.int32), np.array([[1, 2], [1, 2]], np.int32)), (np.array([1, 2], np.int32), np.array([1, 2, 3], np.int32)),
                 (np.array([1, 2], np.int32), np.array([[1, 2], [1, 3]], np.int32))]:
        # JAX 0.10.2's array_equiv raises TypeError for shapes that do not broadcast (it means to return False, as NumPy).
        s.add("arrayEquiv", [x, y], ref=lambda p, q: np.array(np.array_equiv(p, q)), jfn=lambda p, q: jnp.asarray(np.array_equiv(p, q)))

    for dt in FLOATS + INTS:
        x = unif((2, 4), dt)
        lo, hi = (-1.5, 2.5) if dt in FLOATS else (1, 20)
        s.add("clip", [x, lo, hi], ref=lambda a, l, h: np.clip(a, np.asarray(l).astype(a.dtype), np.asarray(h).astype(a.dtype)), label=dt)
    s.add("clip", [unif((5,), "float32"), None, 0.5], ref=lambda a, l, h: np.minimum(a, np.float32(h)), label="max only")
    s.add("clip", [unif((5,), "float32"), np.array([-1.0, 0.0, 1.0, 2.0, -2.0], np.float32), None], ref=lambda a, l, h: np.maximum(a, l), label="array min")
    s.add("clip", [np.array([np.nan, 5.0], np.float32), -1.5, 2.5], ref=lambda a, l, h: np.clip(a, l, h), label="nan")
    for dt in FLOATS:
        x = np.array([np.nan, np.inf, -np.inf, 1.5, -0.0], dt)
        s.add("nanToNum", [x], ref=np.nan_to_num, label=dt)
        s.add("nanToNum", [x], {"nan": -1.5, "posinf": 9.5, "neginf": -9.5}, ref=lambda a, **k: np.nan_to_num(a, **k), label=dt + " values")
    s.add("nanToNum", [np.array([1, 2], np.int32)], ref=np.nan_to_num, label="int")
    return s


# ---------------------------------------------------------------------------
# Reductions

def reductions():
    s = Suite("numpy_reductions")
    x23 = lambda dt: unif((2, 3), dt)
    axes = [None, 0, 1, -1, (0, 1)]
    for name, f, dts in [("sum", np.sum, FLOATS + INTS + ["bool"]), ("prod", np.prod, FLOATS + INTS + ["bool"]),
                         ("max", np.max, FLOATS + INTS + ["bool"]), ("min", np.min, FLOATS + INTS + ["bool"]),
                         ("amax", np.amax, FLOATS + INTS), ("amin", np.amin, FLOATS + INTS),
                         ("all", np.all, ["float32", "int32", "bool"]), ("any", np.any, ["float32", "int32", "bool"]),
                         ("ptp", np.ptp, FLOATS + ["int32", "uint8"]), ("countNonzero", np.count_nonzero, ["float32", "int32", "bool"])]:
        for dt in dts:
            x = unif((2, 3, 2), dt) if name != "prod" else unif((2, 3, 2), dt, -1.5, 1.5)
            if name == "prod" and dt in INTS:
                x = np.array([[[1, 2], [3, 1]], [[2, 1], [1, 3]]], dt)
            for ax in [None, 1, -1, (0, 2)]:
                kw = {} if ax is None else {"axis": ax}
                s.add(name, [x], kw, ref=lambda a, **k: np.asarray(f(a, **k)), label=f"{dt} axis={ax}",
                      tol={"rtol": 2e-3, "atol": 2e-3} if dt == "float16" else None)
            s.add(name, [x], {"axis": 1, "keepdims": True}, ref=lambda a, **k: np.asarray(f(a, **k)), label=f"{dt} keepdims")
        s.add(name, [specials("float32")], ref=lambda a: np.asarray(f(a)), label="specials")
    for name, f in [("sum", np.sum), ("prod", np.prod), ("all", np.all), ("any", np.any)]:
        s.add(name, [np.zeros((0, 3), np.float32)], {"axis": 0}, ref=lambda a, **k: np.asarray(f(a, **k)), label="empty")
    s.add("countNonzero", [np.zeros((0, 3), np.float32)], {"axis": 0}, ref=lambda a, **k: np.asarray(np.count_nonzero(a, **k)), label="empty")
    s.add("sum", [np.array([100, 100, 100], np.int8)], ref=lambda a: np.sum(a, dtype=np.int32), label="int8 widens")
    s.add("sum", [np.array([200, 200], np.uint8)], ref=lambda a: np.sum(a, dtype=np.uint32), label="uint8 widens")
    s.add("sum", [np.array([100, 100, 100], np.int8)], {"promote_integers": False}, ref=lambda a, **k: np.sum(a, dtype=np.int8), label="no promote")
    s.add("sum", [np.array([1.5, 2.25, 3.0], np.float32)], {"dtype": "float64"}, ref=lambda a, **k: np.sum(a, dtype=np.float64), label="dtype")
    s.add("sum", [np.array([1, 2, 3], np.int32)], {"dtype": "float32"}, ref=lambda a, **k: np.sum(a, dtype=np.float32), label="dtype f32")
    s.add("sum", [np.array([[60000, 10000], [-20000, 5]], np.float16)], {"axis": 0}, ref=lambda a, **k: np.sum(a.astype(np.float32), **k).astype(np.float16), label="f16 in f32")
    w = np.array([[True, False, True], [False, True, True]])
    for name, f, kw in [("sum", np.sum, {}), ("prod", np.prod, {}), ("max", np.max, {"initial": -10.0}), ("min", np.min, {"initial": 10.0}),
                        ("all", np.all, {}), ("any", np.any, {}), ("mean", np.mean, {})]:
        s.add(name, [x23("float32")], {"where": w, **kw}, ref=lambda a, **k: np.asarray(f(a, **k)), label="where")
        s.add(name, [x23("float32")], {"where": w, "axis": 1, **kw}, ref=lambda a, **k: np.asarray(f(a, **k)), label="where axis 1")
    s.add("sum", [x23("float32")], {"initial": 2.5}, ref=lambda a, **k: np.asarray(np.sum(a, **k)), label="initial")
    s.add("max", [np.zeros((0,), np.float32)], {"initial": -1.5}, ref=lambda a, **k: np.asarray(np.max(a, **k)), label="empty with initial")
    s.add("max", [np.array([1, 5, 3], np.int8)], {"initial": 7}, ref=lambda a, **k: np.asarray(np.max(a, **k)), label="int initial")
    s.add("max", [np.array([[1, 5, 3], [2, 2, 9]], np.int32)], {"where": w, "initial": 0, "axis": 0}, ref=lambda a, **k: np.asarray(np.max(a, **k)), label="int where")

    for name, f in [("mean", np.mean), ("var", np.var), ("std", np.std)]:
        for dt in FLOATS + ["int32", "uint8", "bool"]:
            for ax in axes:
                kw = {} if ax is None else {"axis": ax}
                s.add(name, [x23(dt)], kw, ref=lambda a, **k: np.asarray(f(a.astype(np.float64) if a.dtype.kind in "biu" else a, **k)),
                      label=f"{dt} axis={ax}", tol={"rtol": 2e-3, "atol": 2e-3} if dt == "float16" else None)
        s.add(name, [x23("float32")], {"axis": 0, "keepdims": True}, ref=lambda a, **k: np.asarray(f(a, **k)), label="keepdims")
        s.add(name, [np.zeros((0, 2), np.float32)], {"axis": 0}, ref=lambda a, **k: np.asarray(f(a, **k)), label="empty (nan)")
        s.add(name, [specials("float32")[:4]], ref=lambda a: np.asarray(f(a)), label="with -0")
        s.add(name, [x23("float32")], {"axis": 1, "dtype": "float64"}, ref=lambda a, **k: np.asarray(f(a, **k)), label="dtype")
    for ddof in [1, 2, 3]:
        # N - ddof <= 0 gives NaN in JAX (NumPy: inf or negative variance).
        s.add("var", [x23("float32")], {"axis": 1, "ddof": ddof}, ref=lambda a, **k: np.asarray(np.var(a, **k)), label=f"ddof={ddof}",
              src="jax" if ddof >= 3 else "numpy")
        s.add("std", [x23("float64")], {"axis": 0, "ddof": ddof}, ref=lambda a, **k: np.asarray(np.std(a, **k)), label=f"ddof={ddof}",
              src="jax" if ddof >= 2 else "numpy")
    s.add("var", [x23("float32")], {"axis": 1, "correction": 1}, ref=lambda a, **k: np.asarray(np.var(a, axis=1, ddof=1)), label="correction")
    s.add("var", [x23("float32")], {"where": w}, ref=lambda a, **k: np.asarray(np.var(a, **k)), label="where")
    s.add("std", [x23("float32")], {"where": w, "axis": 1}, ref=lambda a, **k: np.asarray(np.std(a, **k)), label="where")
    for kw in [{}, {"axis": 1}, {"axis": 0, "weights": np.array([1.0, 3.0], np.float32)}, {"axis": 1, "weights": np.array([[1, 2, 3], [0, 1, 1]], np.float32)},
               {"axis": 1, "weights": np.array([1.0, 2.0, 0.5], np.float32), "returned": True}, {"returned": True},
               {"axis": (0, 1), "weights": x23("float32") ** 2, "keepdims": True}]:
        s.add("average", [x23("float32")], kw, ref=lambda a, **k: np.average(a, **k), label=str(list(kw)))
    s.add("average", [np.array([1, 2, 4], np.int32)], ref=lambda a: np.average(a.astype(np.float32)), label="int")

    for name in ["argmax", "argmin"]:
        f = getattr(np, name)
        for dt in FLOATS + INTS + ["bool"]:
            x = unif((3, 4), dt)
            for ax in [None, 0, 1, -1]:
                kw = {} if ax is None else {"axis": ax}
                s.add(name, [x], kw, ref=lambda a, **k: np.asarray(f(a, **k)), label=f"{dt} axis={ax}")
        s.add(name, [np.array([[1.0, np.nan, 3.0], [np.nan, 5.0, np.nan]], np.float32)], {"axis": 1}, ref=lambda a, **k: np.asarray(f(a, **k)), label="nan wins")
        s.add(name, [np.array([[2, 7, 7], [1, 1, 0]], np.int32)], {"axis": 1, "keepdims": True}, ref=lambda a, **k: np.asarray(f(a, **k)), label="ties keepdims")
        s.add(name, [np.array([[2, 7, 7], [1, 1, 0]], np.int32)], {"keepdims": True}, ref=lambda a, **k: np.asarray(f(a, **k)), label="flat keepdims")

    xn = np.array([[1.0, np.nan, 3.0, -2.0], [np.nan, np.nan, np.nan, np.nan], [0.5, 2.0, np.nan, 4.0]], np.float32)
    for name in ["nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar", "nanstd", "nanmedian"]:
        f = getattr(np, name)
        for ax in [None, 0, 1, -1]:
            kw = {} if ax is None else {"axis": ax}
            with np.errstate(all="ignore"):
                import warnings
                warnings.simplefilter("ignore")
                s.add(name, [xn], kw, ref=lambda a, **k: np.asarray(f(a, **k)), label=f"axis={ax}")
        s.add(name, [xn.astype(np.float64)], {"axis": 1, "keepdims": True}, ref=lambda a, **k: np.asarray(f(a, **k)), label="f64 keepdims")
        s.add(name, [np.array([[1, 2], [3, 4]], np.int32)], {"axis": 0}, ref=lambda a, **k: np.asarray(f(a.astype(np.float64) if name in ("nanmean", "nanvar", "nanstd", "nanmedian") else a, **k)), label="int")
    s.add("nanvar", [xn], {"axis": 1, "ddof": 1}, ref=lambda a, **k: np.asarray(np.nanvar(a, **k)), label="ddof")
    s.add("nanmax", [xn], {"axis": 1, "initial": 10.0}, src="jax", label="initial (JAX)")
    s.add("nansum", [xn], {"axis": 1, "where": np.array([True, False, True, True])}, ref=lambda a, **k: np.asarray(np.nansum(a, **k)), label="where")
    for name in ["nanargmax", "nanargmin"]:
        s.add(name, [xn[[0, 2]]], {"axis": 1}, ref=lambda a, **k: np.asarray(getattr(np, name)(a, **k)), label="axis 1")
        s.add(name, [xn], {"axis": 1}, src="jax", label="all-nan row gives -1 (JAX)")
        s.add(name, [np.array([3, 1, 2], np.int32)], ref=lambda a: np.asarray(getattr(np, name)(a)), label="int")

    for name, f in [("cumsum", np.cumsum), ("cumprod", np.cumprod)]:
        for dt in FLOATS + INTS + ["bool"]:
            x = unif((2, 3), dt) if name == "cumsum" else unif((2, 3), dt, -1.5, 1.5)
            for ax in [None, 0, 1, -1]:
                kw = {} if ax is None else {"axis": ax}
                jd = jnp.dtype(jax.eval_shape(lambda a: getattr(jnp, name)(a, **kw), x).dtype) if dt != "float64" else np.dtype("float64")
                s.add(name, [x], kw, ref=lambda a, **k: f(a, dtype=canon(jd), **k), label=f"{dt} axis={ax}",
                      tol={"rtol": 2e-3, "atol": 2e-3} if dt == "float16" else None)
        s.add(name, [np.array([1, 2, 3], np.int32)], {"dtype": "float32"}, ref=lambda a, **k: f(a, dtype=np.float32), label="dtype")
        s.add(name, [np.array([0, 2, 3], np.int32)], {"dtype": "bool"}, ref=lambda a, **k: f(a.astype(bool).astype(np.int32)).astype(bool), label="dtype bool")
        s.add(name, [np.zeros((0,), np.float32)], ref=lambda a: f(a), label="empty")
    for name, f in [("nancumsum", np.nancumsum), ("nancumprod", np.nancumprod)]:
        s.add(name, [xn], ref=lambda a: f(a), label="flat")
        s.add(name, [xn], {"axis": 1}, ref=lambda a, **k: f(a, **k), label="axis 1")
        s.add(name, [np.array([1, 2, 3], np.int8)], ref=lambda a: f(a, dtype=np.int8), label="int8")
    for name, f in [("cumulativeSum", np.cumulative_sum), ("cumulativeProd", np.cumulative_prod)]:
        s.add(name, [np.array([1, 2, 3], np.int8)], ref=lambda a: f(a, dtype=np.int32 if name == "cumulativeSum" else np.int8), label="int8")
        s.add(name, [x23("float32")], {"axis": 1, "include_initial": True}, ref=lambda a, **k: f(a, **k), label="include_initial")
        s.add(name, [x23("float32")], {"axis": -2}, ref=lambda a, **k: f(a, **k), label="axis -2")

    # quantiles
    xq = unif((3, 5), "float32")
    for name, f in [("quantile", np.quantile), ("nanquantile", np.nanquantile)]:
        for method in ["linear", "lower", "higher", "midpoint"]:
            for q in [0.3, np.array([0.0, 0.25, 0.5, 1.0], np.float32)]:
                for ax in [None, 1, -2, (0, 1)]:
                    kw = {"method": method}
                    if ax is not None:
                        kw["axis"] = ax
                    s.add(name, [xq, q], kw, ref=lambda a, qq, **k: f(a.astype(np.float64), qq, **k), label=f"{method} q={np.ndim(q)}d axis={ax}")
            s.add(name, [xq, 0.75], {"method": method, "axis": 1, "keepdims": True}, ref=lambda a, qq, **k: f(a.astype(np.float64), qq, **k), label=f"{method} keepdims")
            s.add(name, [xq, np.array([0.1, 0.9], np.float32)], {"method": method, "axis": (0, 1), "keepdims": True},
                  ref=lambda a, qq, **k: f(a.astype(np.float64), qq, **k), label=f"{method} tuple keepdims")
        s.add(name, [xq, 0.3], {"method": "nearest", "axis": 1}, src="jax", label="nearest (JAX)")
        s.add(name, [xq.astype(np.float64), np.array([0.2, 0.6], np.float64)], {"axis": 0}, ref=lambda a, qq, **k: f(a, qq, **k), label="f64")
        s.add(name, [np.array([[3, 1, 2], [9, 7, 8]], np.int32), 0.4], {"axis": 1}, ref=lambda a, qq, **k: f(a.astype(np.float64), qq, **k), label="int")
    with np.errstate(all="ignore"):
        import warnings
        warnings.simplefilter("ignore")
        s.add("quantile", [xn, 0.5], {"axis": 1}, ref=lambda a, qq, **k: np.quantile(a, qq, **k), label="nan propagates")
        s.add("nanquantile", [xn, np.array([0.25, 0.5], np.float32)], {"axis": 1}, ref=lambda a, qq, **k: np.nanquantile(a.astype(np.float64), qq, **k), label="nan skipped")
        s.add("nanpercentile", [xn, 50.0 + 0.5], {"axis": 0}, ref=lambda a, qq, **k: np.nanpercentile(a.astype(np.float64), qq, **k), label="nan")
    s.add("percentile", [xq, np.array([10.0, 50.0, 90.0], np.float32)], {"axis": 1}, ref=lambda a, qq, **k: np.percentile(a.astype(np.float64), qq, **k))
    for ax in [None, 0, 1]:
        kw = {} if ax is None else {"axis": ax}
        s.add("median", [xq], kw, ref=lambda a, **k: np.asarray(np.median(a, **k)), label=f"axis={ax}")
    s.add("median", [np.array([[4, 1, 3, 2]], np.int32)], {"axis": 1, "keepdims": True}, ref=lambda a, **k: np.median(a, **k), label="int keepdims")
    s.add("median", [np.array([[1.0, np.nan, 2.0]], np.float32)], {"axis": 1}, ref=lambda a, **k: np.median(a, **k), label="nan")

    # differences / integration
    for dt in ["float32", "int32", "uint8", "bool", "float64"]:
        x = unif((3, 4), dt)
        for kw in [{}, {"axis": 0}, {"n": 2}, {"n": 2, "axis": -2}, {"n": 0}]:
            s.add("diff", [x], kw, ref=lambda a, **k: np.diff(a, **k), label=f"{dt} {kw}")
    s.add("diff", [np.array([1, 3, 6], np.int32)], {"prepend": 0, "append": np.array([10, 20], np.int32)}, ref=lambda a, **k: np.diff(a, **k), label="prepend/append")
    s.add("diff", [x23("float32")], {"axis": 0, "prepend": np.zeros((1, 3), np.float32)}, ref=lambda a, **k: np.diff(a, **k), label="prepend 2d")
    s.add("diff", [np.zeros((0,), np.float32)], ref=lambda a: np.diff(a), label="empty")
    s.add("ediff1d", [np.array([[1, 4], [9, 16]], np.int32)], ref=np.ediff1d)
    s.add("ediff1d", [np.array([1.5, 4.0, 2.0], np.float32)], {"to_begin": np.array([-9.5], np.float32), "to_end": np.array([7.5, 8.5], np.float32)},
          ref=lambda a, **k: np.ediff1d(a, **k), label="ends")
    s.add("gradient", [np.array([1, 2, 4, 7, 11, 16], np.float32)], ref=np.gradient, label="1d")
    s.add("gradient", [np.array([1, 2, 4, 7, 11, 16], np.float32), 0.5], ref=np.gradient, label="spacing")
    s.add("gradient", [np.array([1, 2, 4, 7, 11, 16], np.float64), np.array([0.0, 1.0, 1.5, 3.5, 4.0, 6.0], np.float64)], ref=np.gradient, label="coords")
    s.add("gradient", [unif((3, 4), "float32")], ref=np.gradient, label="2d")
    s.add("gradient", [unif((3, 4), "float32")], {"axis": -1}, ref=lambda a, **k: np.gradient(a, **k), label="axis -1")
    s.add("gradient", [np.array([[1, 2, 6], [3, 4, 5]], np.int32), 2.5, np.array([0.0, 1.0, 3.0], np.float32)], ref=lambda a, *h: np.gradient(a.astype(np.float64), *h), label="per-axis spacing")
    for kw in [{}, {"dx": 0.5}, {"x": np.array([0.0, 1.0, 1.5, 4.0], np.float32)}, {"axis": 0}, {"x": unif((3, 4), "float32"), "axis": 0}]:
        s.add("trapezoid", [unif((3, 4), "float32")], kw, ref=lambda y, **k: np.trapezoid(y, **k), label=str(list(kw)))
    s.add("trapezoid", [np.array([1, 2, 3], np.int32)], ref=lambda y: np.trapezoid(y.astype(np.float64)), label="int")
    for a, b, kw in [(unif((3,), "float32"), unif((3,), "float32"), {}), (unif((4, 3), "float32"), unif((3,), "float32"), {}),
                     (unif((2,), "float32"), unif((2,), "float32"), {}), (unif((2,), "float32"), unif((3,), "float32"), {}),
                     (unif((3, 2), "float64"), unif((3, 2), "float64"), {"axis": 0}),
                     (unif((3, 4), "float32"), unif((4, 3), "float32"), {"axisa": 0, "axisb": 1, "axisc": 0}),
                     (np.array([1, 2, 3], np.int32), np.array([4, 5, 6], np.int32), {})]:
        s.add("cross", [a, b], kw, ref=lambda p, q, **k: np.cross(p, q, **k), label=f"{a.shape}x{b.shape} {kw}")
    for name, f in [("convolve", np.convolve), ("correlate", np.correlate)]:
        for n1, n2 in [(5, 3), (3, 5), (4, 4), (1, 3)]:
            for mode in ["full", "same", "valid"]:
                s.add(name, [unif((n1,), "float32"), unif((n2,), "float32")], {"mode": mode}, ref=lambda a, v, **k: f(a, v, **k), label=f"{n1},{n2} {mode}")
        s.add(name, [np.array([1, 2, 3], np.int32), np.array([0, 1], np.int32)], ref=lambda a, v: f(a, v).astype(np.float32), label="int")
        s.add(name, [unif((6,), "float64"), unif((3,), "float64")], ref=lambda a, v: f(a, v) if name == "convolve" else f(a, v, "valid"), label="f64")
    xp = np.array([0.0, 1.0, 2.5, 4.0], np.float32)
    fp = np.array([1.0, -1.0, 3.0, 0.5], np.float32)
    xq_ = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 3.9, 4.0, 5.0, np.nan], np.float32)
    s.add("interp", [xq_, xp, fp], ref=np.interp, label="basic")
    s.add("interp", [xq_, xp, fp], {"left": -7.5, "right": 7.5}, ref=lambda a, b, c, **k: np.interp(a, b, c, **k), label="left/right")
    s.add("interp", [xq_[:-1], xp, fp], {"left": "extrapolate", "right": "extrapolate"}, src="jax", label="extrapolate (JAX)")
    s.add("interp", [np.array([-0.5, 0.5, 6.5, 9.9], np.float32), np.array([1.0, 3.0, 8.0], np.float32), np.array([10.0, 0.0, 5.0], np.float32)],
          {"period": 7.5}, ref=lambda a, b, c, **k: np.interp(a, b, c, **k), label="period")
    s.add("interp", [unif((5,), "float64"), np.array([-3.0, 0.0, 3.0]), np.array([1.0, 2.0, -1.0])], ref=np.interp, label="f64")
    s.add("interp", [np.array([0, 1, 2], np.int32), np.array([0, 2], np.int32), np.array([0, 10], np.int32)], ref=lambda a, b, c: np.interp(a, b, c).astype(np.float32), label="int")
    ha = np.array([0.1, 0.4, 0.45, 1.3, 2.2, 2.7, 3.9, 3.95, 0.2, 1.7], np.float32)
    for kw in [{}, {"bins": 4}, {"bins": np.array([0.0, 1.0, 2.5, 4.0], np.float32)}, {"bins": 3, "range": (1.0, 3.0)},
               {"bins": 5, "density": True}, {"bins": 4, "weights": np.arange(10, dtype=np.float32) / 4}]:
        s.add("histogram", [ha], kw, ref=lambda a, **k: np.histogram(a, **k), label=str(list(kw)))
    s.add("histogram", [np.array([1, 1, 1], np.int32)], {"bins": 2}, ref=lambda a, **k: np.histogram(a, **k), label="degenerate range")
    s.add("histogramBinEdges", [ha], {"bins": 6}, ref=lambda a, **k: np.histogram_bin_edges(a, **k))
    s.add("histogramBinEdges", [ha.astype(np.float64)], {"bins": 3, "range": (-1.0, 5.0)}, ref=lambda a, **k: np.histogram_bin_edges(a, **k), label="f64 range")
    for kw in [{}, {"minlength": 8}, {"weights": np.array([0.5, 1.0, 2.0, 0.25, 3.0], np.float32)}, {"length": 3}]:
        x = np.array([0, 1, 1, 4, 2], np.int32)
        ref = (lambda a, **k: np.bincount(a, **k)[:3]) if "length" in kw else (lambda a, **k: np.bincount(a, **k))
        s.add("bincount", [x], kw, ref=lambda a, **k: ref(a, **{kk: v for kk, v in k.items() if kk != "length"}), label=str(list(kw)))
    s.add("bincount", [np.array([True, False, True])], ref=lambda a: np.bincount(a), label="bool")
    s.add("bincount", [np.array([-1, 2], np.int32)], src="jax", label="negative counts as 0 (JAX)")
    for bins in [np.array([0.0, 1.0, 2.5, 4.0], np.float32), np.array([4.0, 2.5, 1.0, 0.0], np.float32)]:
        for right in [False, True]:
            s.add("digitize", [np.array([-1.0, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, 5.0], np.float32), bins], {"right": right},
                  ref=lambda a, b, **k: np.digitize(a, b, **k), label=f"{'inc' if bins[0] < bins[-1] else 'dec'} right={right}")
    s.add("digitize", [np.array([1, 5, 9], np.int32), np.array([2, 6], np.int32)], ref=np.digitize, label="int")
    # unwrap, cov, corrcoef
    ph = np.array([0.0, 0.8, 1.6, 3.5, -2.9, -2.0, 2.5, 3.1], np.float32)
    s.add("unwrap", [ph], ref=np.unwrap, label="phase")
    s.add("unwrap", [np.stack([ph, ph[::-1]]).astype(np.float64)], {"axis": 1, "discont": 4.0 + 0.5}, ref=lambda p, **k: np.unwrap(p, **k), label="discont f64")
    s.add("unwrap", [np.array([0, 2, 9, 11, 1], np.int32)], {"period": 10}, ref=lambda p, **k: np.unwrap(p, **k), label="int period")
    s.add("unwrap", [np.array([[0.0, 5.0], [1.0, 6.5], [2.0, 13.0]], np.float32)], {"axis": 0, "period": 6.0 + 0.25}, ref=lambda p, **k: np.unwrap(p, **k), label="axis 0 period")
    cm = unif((3, 6), "float32")
    for kw in [{}, {"rowvar": False}, {"bias": True}, {"ddof": 2}, {"y": unif((6,), "float32")},
               {"fweights": np.array([1, 2, 1, 3, 1, 1], np.int32)}, {"aweights": np.array([0.5, 1.0, 2.0, 1.0, 0.25, 1.0], np.float32)},
               {"fweights": np.array([1, 2, 1, 3, 1, 1], np.int32), "aweights": np.array([0.5, 1.0, 2.0, 1.0, 0.25, 1.0], np.float32)},
               {"dtype": "float64"}]:
        s.add("cov", [cm if "rowvar" not in kw else cm.T.copy()], kw, ref=lambda m, **k: np.cov(m, **k), label=str(list(kw)))
    s.add("cov", [unif((5,), "float64")], ref=lambda m: np.asarray(np.cov(m)), label="1-D (scalar)")
    s.add("cov", [np.array([[1, 4, 2], [3, 3, 9]], np.int32)], ref=lambda m: np.cov(m).astype(np.float32), label="int")
    for kw in [{}, {"rowvar": False}, {"y": unif((6,), "float32")}]:
        s.add("corrcoef", [cm if "rowvar" not in kw else cm.T.copy()], kw, ref=lambda m, **k: np.corrcoef(m, **k), label=str(list(kw)))
    return s


# ---------------------------------------------------------------------------
# Sorting, searching, sets

def sorting():
    s = Suite("numpy_sorting")
    for dt in FLOATS + INTS + ["bool"]:
        x = unif((3, 5), dt)
        for ax in [None, 0, 1, -1]:
            kw = {"axis": ax}
            s.add("sort", [x], kw, ref=lambda a, **k: np.sort(a, **k), label=f"{dt} axis={ax}")
            s.add("argsort", [x], {**kw, "stable": True}, ref=lambda a, **k: np.argsort(a, kind="stable", axis=k["axis"]), label=f"{dt} axis={ax}")
        s.add("sort", [x], {"descending": True}, ref=lambda a, **k: np.flip(np.sort(a), -1), label=f"{dt} descending")
    x = np.array([3, 1, 3, 2, 1, 3], np.int32)
    s.add("argsort", [x], {"descending": True}, src="jax", label="stable descending (JAX)")
    s.add("argsort", [x], {"descending": True, "stable": True, "dtype": "int16"}, src="jax", label="dtype")
    xs = np.array([np.nan, 1.0, -0.0, 0.0, -np.inf, np.inf, -1.0], np.float32)
    s.add("sort", [xs], ref=np.sort, label="specials")
    s.add("argsort", [xs], ref=lambda a: np.argsort(a, kind="stable"), label="specials")
    s.add("sort", [np.zeros((0, 3), np.float32)], {"axis": 0}, ref=lambda a, **k: np.sort(a, **k), label="empty")
    keys = [np.array([1, 5, 1, 4, 3, 4, 4], np.int32), np.array([9, 4, 0, 4, 0, 2, 1], np.int32)]
    s.add("lexsort", [keys], ref=lambda k: np.lexsort(k), label="two keys")
    s.add("lexsort", [[np.array([[3, 1], [2, 2]], np.float32), np.array([[1, 1], [0, 1]], np.float32)]], {"axis": 0}, ref=lambda k, **kw: np.lexsort(k, **kw), label="axis 0")
    for dt in ["float32", "int32", "uint8", "float64"]:
        x = unif((4, 6), dt)
        for kth in [0, 2, 5, -1]:
            s.add("partition", [x, kth], src="jax", label=f"{dt} kth={kth}")
            s.add("argpartition", [x, kth], src="jax", label=f"{dt} kth={kth}")
        s.add("partition", [x, 1], {"axis": 0}, src="jax", label=f"{dt} axis 0")
        s.add("argpartition", [x, 1], {"axis": 0}, src="jax", label=f"{dt} axis 0")
    a = np.array([1.0, 2.0, 2.0, 3.0, 5.0, np.nan], np.float32)
    v = np.array([[0.0, 2.0, 2.5], [5.0, 6.0, np.nan]], np.float32)
    for method in ["scan", "sort", "compare_all"]:
        for side in ["left", "right"]:
            s.add("searchsorted", [a, v], {"side": side, "method": method}, ref=lambda p, q, **k: np.searchsorted(p, q, side=k["side"]),
                  label=f"{method} {side}")
    s.add("searchsorted", [np.array([3, 1, 2], np.int32), np.array([2, 0, 4], np.int32)], {"sorter": np.array([1, 2, 0], np.int32)},
          ref=lambda p, q, **k: np.searchsorted(p, q, **k), label="sorter")
    s.add("searchsorted", [np.array([1, 5, 9], np.uint8), 6], ref=lambda p, q: np.asarray(np.searchsorted(p, q)), label="scalar")
    s.add("searchsorted", [np.zeros((0,), np.float32), np.array([1.0], np.float32)], ref=lambda p, q: np.searchsorted(p, q), label="empty")
    s.add("searchsorted", [np.arange(100, dtype=np.float64) / 7, unif((13,), "float64", -1, 16)], ref=np.searchsorted, label="long f64")

    x = np.array([3, 1, 2, 1, 3, 3, 0], np.int32)
    s.add("unique", [x], ref=np.unique, label="values")
    s.add("unique", [x], {"return_index": True, "return_inverse": True, "return_counts": True}, ref=lambda a, **k: np.unique(a, **k), label="all")
    s.add("unique", [np.array([[1, 2], [2, 1]], np.int32)], {"return_inverse": True}, ref=lambda a, **k: np.unique(a, **k), label="inverse keeps shape")
    s.add("unique", [np.array([1.0, np.nan, 2.0, np.nan], np.float32)], ref=np.unique, label="nan equal")
    s.add("unique", [np.array([1.0, np.nan, 2.0, np.nan], np.float32)], {"equal_nan": False}, ref=lambda a, **k: np.unique(a, **k), label="nan distinct")
    s.add("unique", [np.array([[1, 0, 1], [0, 5, 0], [1, 0, 1], [0, 5, 1]], np.int32)], {"axis": 0, "return_counts": True},
          ref=lambda a, **k: np.unique(a, **k), label="axis 0")
    s.add("unique", [np.array([[1, 0, 1], [0, 5, 0]], np.int32)], {"axis": 1, "return_index": True}, ref=lambda a, **k: np.unique(a, **k), label="axis 1")
    s.add("unique", [np.zeros((0,), np.float32)], ref=np.unique, label="empty")
    for kw in [{"size": 6}, {"size": 2}, {"size": 6, "fill_value": -1}, {"size": 6, "return_index": True, "return_inverse": True, "return_counts": True},
               {"size": 3, "return_counts": True, "fill_value": 9}]:
        s.add("unique", [x], kw, src="jax", label=f"size {kw}")
    s.add("unique", [np.zeros((0,), np.float32)], {"size": 3, "fill_value": 1.5}, src="jax", label="empty sized")
    s.add("unique", [np.array([[1, 2], [1, 2], [0, 3]], np.int32)], {"axis": 0, "size": 3, "fill_value": 7}, src="jax", label="axis sized")
    for name, f in [("uniqueValues", np.unique_values), ("uniqueCounts", None), ("uniqueInverse", None), ("uniqueAll", None)]:
        if f is not None:
            s.add(name, [np.array([2.0, np.nan, 2.0, np.nan], np.float32)], ref=f, label="nan distinct")
    a1 = np.array([5, 1, 3, 1, 7, 3], np.int32)
    a2 = np.array([3, 9, 1, 1, 4], np.int32)
    s.add("union1d", [a1, a2], ref=np.union1d)
    s.add("union1d", [a1, a2], {"size": 9, "fill_value": -1}, src="jax", label="sized")
    s.add("union1d", [np.array([1, 2], np.uint8), np.array([2.5, -1.5], np.float32)], ref=lambda p, q: np.union1d(p.astype(np.float32), q), label="promotes")
    s.add("intersect1d", [a1, a2], ref=np.intersect1d)
    s.add("intersect1d", [a1, a2], {"return_indices": True}, ref=lambda p, q, **k: np.intersect1d(p, q, **k), label="indices")
    s.add("intersect1d", [np.array([1, 2, 3], np.int32), np.array([3, 2, 7], np.int32)], {"assume_unique": True, "return_indices": True},
          ref=lambda p, q, **k: np.intersect1d(p, q, **k), label="assume unique")
    s.add("intersect1d", [a1, a2], {"size": 4}, src="jax", label="sized")
    s.add("intersect1d", [a1, a2], {"size": 4, "fill_value": 0, "return_indices": True}, src="jax", label="sized indices")
    s.add("setdiff1d", [a1, a2], ref=np.setdiff1d)
    s.add("setdiff1d", [a1, a2], {"size": 5}, src="jax", label="sized")
    s.add("setdiff1d", [a1, a2], {"size": 5, "fill_value": 8}, src="jax", label="sized fill")
    s.add("setdiff1d", [np.array([4, 1, 6], np.int32), a2], {"assume_unique": True}, ref=lambda p, q, **k: np.setdiff1d(p, q, **k), label="assume unique")
    s.add("setxor1d", [a1, a2], ref=np.setxor1d)
    s.add("setxor1d", [np.array([1, 2, 5], np.int32), np.array([2, 3, 9], np.int32)], {"assume_unique": True}, ref=lambda p, q, **k: np.setxor1d(p, q, **k), label="assume unique")
    s.add("setxor1d", [a1, a2], {"size": 6}, src="jax", label="sized")
    s.add("setxor1d", [a1, a2], {"size": 6, "fill_value": -2}, src="jax", label="sized fill")
    el = np.array([[1, 2, 3], [4, 5, 9]], np.int32)
    te = np.array([9, 2, 4, 4], np.int32)
    for kw in [{}, {"invert": True}, {"method": "binary_search"}, {"method": "binary_search", "invert": True}, {"method": "compare_all"}]:
        s.add("isin", [el, te], kw, ref=lambda p, q, **k: np.isin(p, q, invert=k.get("invert", False)), label=str(kw))
    s.add("isin", [np.array([1.5, np.nan], np.float32), np.array([np.nan, 1.5], np.float32)], ref=np.isin, label="nan never matches")
    s.add("isin", [np.array([1, 2], np.int32), np.zeros((0,), np.int32)], ref=np.isin, label="empty test")
    return s


# ---------------------------------------------------------------------------
# Selection helpers

def misc():
    s = Suite("numpy_misc")
    c = np.array([[True, False, True], [False, False, True]])
    s.add("where", [c, unif((2, 3), "float32"), unif((3,), "float32")], ref=np.where, label="3-arg")
    s.add("where", [np.array([0, 2, -1], np.int32), np.array([1, 2, 3], np.int8), 2.5], ref=lambda a, b, cc: np.where(a, b.astype(np.float32), np.float32(cc)), label="int cond, promote")
    s.add("where", [c[:, :1], np.array(1.5, np.float32), np.array([1, 2, 3], np.int32)], ref=lambda a, b, cc: np.where(a, b, cc.astype(np.float32)), label="broadcast")
    s.add("where", [c], ref=lambda a: np.where(a), label="1-arg")
    s.add("where", [np.array([0.0, 1.5, 0.0, -2.0], np.float32)], {"size": 3}, src="jax", label="1-arg size")
    s.add("where", [c], {"size": 5, "fill_value": -1}, src="jax", label="1-arg size fill")
    xs = np.array([-2.0, -0.5, 0.0, 0.5, 2.0, 3.0], np.float32)
    conds = [xs < 0, xs > 1]
    s.add("select", [conds, [xs * 2, xs * 10]], ref=lambda cl, ch: np.select(cl, ch), label="default 0")
    s.add("select", [conds, [xs * 2, xs * 10], -1.5], ref=lambda cl, ch, d: np.select(cl, ch, d), label="default")
    s.add("select", [[xs < 1, xs > -1], [np.ones(6, np.int32), np.full(6, 2, np.int8)], 7], ref=lambda cl, ch, d: np.select(cl, ch, d).astype(np.int32),
          label="first true wins, promote")
    s.add("piecewise", [xs, [xs < 0, xs > 1], [{"fn": "neg"}, {"fn": "square"}, 0.5]], ref=lambda x, cl, fl: np.piecewise(x, cl, [lambda v: -v, lambda v: v * v, 0.5]),
          label="with default")
    s.add("piecewise", [xs, [xs < 1, xs > -1], [{"fn": "half"}, 4.0 + 0.25]], ref=lambda x, cl, fl: np.piecewise(x, cl, [lambda v: v / 2, 4.25]),
          label="last true wins")
    s.add("piecewise", [np.array([1, -2, 3], np.int32), [np.array([True, False, True])], [{"fn": "neg"}]], ref=lambda x, cl, fl: np.piecewise(x, cl, [lambda v: -v]),
          label="int, zero default")
    s.add("extract", [c, unif((2, 3), "float32")], ref=np.extract)
    s.add("extract", [np.array([0, 1, 1, 0], np.int32), np.array([5, 6, 7, 8], np.int32)], ref=np.extract, label="int cond")
    s.add("extract", [c, unif((2, 3), "float32")], {"size": 5}, src="jax", label="sized")
    s.add("extract", [c, unif((2, 3), "float32")], {"size": 2, "fill_value": 9.5}, src="jax", label="sized short")
    s.add("polyval", [np.array([1.5, -2.0, 3.0], np.float32), unif((4,), "float32")], ref=np.polyval)
    s.add("polyval", [np.array([2, 0, 1], np.int32), np.array([[0, 1], [2, 3]], np.int32)], ref=np.polyval, label="int")
    s.add("polyval", [np.array([1.0, 2.0], np.float64), 0.5], ref=lambda p, x: np.asarray(np.polyval(p, x)), label="scalar x")
    p1 = np.array([1.5, -2.0, 3.0], np.float32)
    p2 = np.array([0.5, 4.0], np.float32)
    for name, f in [("polyadd", np.polyadd), ("polysub", np.polysub), ("polymul", np.polymul)]:
        s.add(name, [p1, p2], ref=f, label="f32")
        s.add(name, [p2, p1], ref=f, label="shorter first")
        s.add(name, [np.array([1, 2], np.int32), np.array([3, 4, 5], np.int32)], ref=lambda a, b: f(a, b).astype(np.float32 if name == "polymul" else np.int32), label="int")
    s.add("polydiv", [np.array([1.0, -3.0, 2.5, 4.0], np.float64), np.array([2.0, 1.0], np.float64)], ref=np.polydiv, src="jax", label="f64 (JAX keeps the remainder's length)")
    s.add("polydiv", [np.array([3.0, 1.0], np.float32), np.array([1.0, 2.0, 1.0], np.float32)], src="jax", label="divisor longer")
    for m in [0, 1, 2, 4]:
        s.add("polyder", [np.array([1.0, -2.0, 3.0, 4.5], np.float32), m], ref=lambda p, mm: np.polyder(p, mm), label=f"m={m}")
        s.add("polyint", [np.array([1.0, -2.0, 3.0], np.float32), m], ref=lambda p, mm: np.polyint(p, mm), label=f"m={m}")
    s.add("polyint", [np.array([1.0, 2.0], np.float64), 2, np.array([3.0, -1.0], np.float64)], ref=lambda p, mm, k: np.polyint(p, mm, k), label="k per order")
    s.add("polyint", [np.array([3, 2], np.int32), 1, 5], ref=lambda p, mm, k: np.polyint(p, mm, k).astype(np.float32), label="int, scalar k")
    px = np.linspace(-1.5, 2.0, 9)
    py = 0.5 * px ** 3 - px + 0.25 + 0.05 * np.sin(7 * px)
    for dt in ["float64", "float32"]:
        s.add("polyfit", [px.astype(dt), py.astype(dt), 3], ref=lambda a, b, d: np.polyfit(a, b, d), label=dt,
              tol={"rtol": 1e-3, "atol": 1e-4} if dt == "float32" else {"rtol": 1e-9, "atol": 1e-10})
    s.add("polyfit", [px, np.stack([py, 2 * py + 1], axis=1), 2], ref=lambda a, b, d: np.polyfit(a, b, d), label="2-D y", tol={"rtol": 1e-9, "atol": 1e-10})
    s.add("polyfit", [px, py, 2], {"w": np.linspace(0.5, 2.0, 9)}, ref=lambda a, b, d, **k: np.polyfit(a, b, d, **k), label="weights", tol={"rtol": 1e-9, "atol": 1e-10})
    s.add("polyfit", [px, py, 2], {"cov": True}, ref=lambda a, b, d, **k: np.polyfit(a, b, d, **k), label="cov", tol={"rtol": 1e-8, "atol": 1e-10})
    s.add("polyfit", [px, np.stack([py, 2 * py + 1], axis=1), 1], {"cov": True}, ref=lambda a, b, d, **k: np.polyfit(a, b, d, **k), label="cov 2-D y", tol={"rtol": 1e-8, "atol": 1e-10})
    s.add("polyfit", [px, py, 2], {"cov": "unscaled"}, ref=lambda a, b, d, **k: np.polyfit(a, b, d, **k), label="cov unscaled", tol={"rtol": 1e-8, "atol": 1e-10})
    s.add("polyfit", [px, py, 2], {"full": True}, src="jax", label="full (JAX)", tol={"rtol": 1e-8, "atol": 1e-10})
    s.add("poly", [np.array([1.0, -2.0, 0.5], np.float32)], ref=np.poly)
    s.add("poly", [np.array([3, 1], np.int32)], ref=lambda z: np.poly(z).astype(np.float32), label="int")
    return s


# ---------------------------------------------------------------------------
# dtype helpers: finfo/iinfo (NumPy), promote_types/result_type (JAX), can_cast (NumPy "safe"), issubdtype

OUR_DTYPES = ["bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "float16", "float32", "float64"]


def dtype_tables():
    def num(v):
        v = float(v)
        return v if math.isfinite(v) else str(v)
    finfo = {}
    for d in FLOATS:
        fi = np.finfo(d)
        finfo[d] = {"bits": fi.bits, "eps": num(fi.eps), "epsneg": num(fi.epsneg), "max": num(fi.max), "min": num(fi.min),
                    "tiny": num(fi.tiny), "smallestNormal": num(fi.smallest_normal), "smallestSubnormal": num(fi.smallest_subnormal),
                    "resolution": num(fi.resolution), "precision": fi.precision, "nmant": fi.nmant, "nexp": fi.nexp,
                    "minexp": fi.minexp, "maxexp": fi.maxexp, "machep": fi.machep, "negep": fi.negep}
    iinfo = {d: {"bits": np.iinfo(d).bits, "min": int(np.iinfo(d).min), "max": int(np.iinfo(d).max)} for d in INTS}
    with x64(True):
        promote = {a: {b: str(canon(jnp.promote_types(a, b))) for b in OUR_DTYPES} for a in OUR_DTYPES}
    can_cast = {a: {b: bool(np.can_cast(a, b)) for b in OUR_DTYPES} for a in OUR_DTYPES}
    # result_type with weak JS numbers (x64 off: weak float -> float32, weak int -> int32)
    result = []
    for args in [("int8", 1), ("uint8", 2.5), ("float16", 3), ("bool", 1), ("bool", True), (1, 2.5), (1,), (2.5,), ("int8", "uint8"),
                 ("int32", "float16"), ("uint32", "int32"), ("float16", 2.5, "int16")]:
        jargs = [a if isinstance(a, (int, float, bool)) else np.dtype(a) for a in args]
        result.append({"args": list(args), "out": str(canon(jnp.result_type(*jargs)))})
    cats = ["generic", "number", "inexact", "floating", "integer", "signedinteger", "unsignedinteger"]
    sub = {a: {c: bool(jnp.issubdtype(a, getattr(jnp, c))) for c in cats} for a in OUR_DTYPES}
    path = os.path.join(FIXTURES, "numpy_dtypes.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/goldens/gen_numpy_math.py", "numpy": np.__version__, "jax": jax.__version__,
                   "cases": [{"finfo": finfo, "iinfo": iinfo, "promoteTypes": promote, "canCast": can_cast, "resultType": result,
                              "issubdtype": sub}]}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    for build in [ufuncs, reductions, sorting, misc]:
        build().write()
    dtype_tables()
