"""Goldens for the elementwise primitives, dtype promotion and the elementwise Array methods.

Writes packages/core/test/fixtures/{elementwise,promotion,elementwise_methods}.json.

References:
  * Floating-point math: NumPy in float64 on the (exactly widened) inputs, then
    rounded to the operand dtype; add/sub/mul/div use NumPy's own arithmetic in
    the operand dtype (NumPy rounds float16 arithmetic through float32, as XLA).
  * erf, erfc: Python's math module (vectorized). lgamma, erf_inv, digamma and
    logistic: mpmath at 30 significant digits (mpmath is installed here); math.lgamma
    is only absolutely accurate near lgamma's zeros (2e-10 relative at 1.000001).
  * Special values where XLA defines them (not NumPy's / mpmath's): lgamma is +inf
    at non-positive integers and at +-inf; digamma is NaN at non-positive integers
    and -inf; erf_inv is +-inf at +-1 and NaN outside [-1, 1].
  * Integer semantics are XLA's, computed here with Python integers from the
    documented rules (not NumPy's): two's-complement wraparound; division
    truncates toward zero, x / 0 = -1 (all ones) and INT_MIN / -1 = INT_MIN;
    x % 0 = x and INT_MIN % -1 = 0; shift amounts are read as unsigned and amounts
    >= the bit width give 0 (shift_right_arithmetic: the sign fill).
  * convert_element_type float -> int is XLA's: truncation toward zero, NaN -> 0,
    saturation at the integer bounds (xla/service/elemental_ir_emitter.cc).
  * Promotion: the binary promotion table of JAX's "Type promotion semantics"
    documentation, transcribed below, with 64-bit results canonicalized to 32-bit
    (x64 disabled). can_cast: numpy.can_cast (jnp.can_cast is NumPy's).
  * Array methods: the result dtype from that table, the values from NumPy in that
    dtype; floor_divide/remainder follow jnp's formulas where NumPy differs
    (division by zero).
"""
import math
import os
import sys

import mpmath
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import enc, enc_scalar, rng, write  # noqa: E402

mpmath.mp.dps = 30
np.seterr(all="ignore")

FLOATS = ["float16", "float32", "float64"]
SINTS = ["int8", "int16", "int32"]
UINTS = ["uint8", "uint16", "uint32"]
INTS = SINTS + UINTS
ALL = ["bool"] + INTS + FLOATS
R = rng(1234)

cases = []


def case(op, args, out, params=None, **extra):
    c = {"op": op, "args": [enc(a) for a in args], "out": enc(out)}
    if params:
        c["params"] = params
    c.update(extra)
    cases.append(c)


def float_specials(dt):
    fi = np.finfo(dt)
    return [np.nan, np.inf, -np.inf, 0.0, -0.0, float(fi.max), -float(fi.max), float(fi.tiny),
            float(fi.smallest_subnormal), -float(fi.smallest_subnormal), 1.0, -1.0]


def int_specials(dt):
    ii = np.iinfo(dt)
    return [ii.min, ii.max, 0, 1, ii.max - 1] + ([-1, ii.min + 1] if ii.min < 0 else [])


def int_values(dt, n=12):
    ii = np.iinfo(dt)
    rnd = R.integers(ii.min, ii.max, size=n, endpoint=True, dtype=np.int64)
    return np.array(int_specials(dt) + rnd.tolist(), dtype=np.int64).astype(dt)


# ---------------------------------------------------------------------------
# Unary floating-point math

def vec(f):
    return np.vectorize(f, otypes=[np.float64])


def lgamma_ref(x):
    # mpmath, not math.lgamma: CPython's lgamma is accurate only in absolute terms
    # near its zeros (1, 2 and on the negative axis), e.g. 2e-10 relative at 1.000001.
    if math.isnan(x):
        return math.nan
    if math.isinf(x) or (x <= 0 and x == math.floor(x)):
        return math.inf  # +-inf and the poles
    return float(mpmath.loggamma(mpmath.mpf(x)).real)


def digamma_ref(x):
    if math.isnan(x) or x == -math.inf:
        return math.nan
    if x == math.inf:
        return math.inf
    if x <= 0 and x == math.floor(x):
        return math.nan
    return float(mpmath.digamma(mpmath.mpf(x)))


def erf_inv_ref(x):
    if math.isnan(x) or abs(x) > 1:
        return math.nan
    if abs(x) == 1:
        return math.copysign(math.inf, x)
    if x == 0:
        return x
    return float(mpmath.erfinv(mpmath.mpf(x)))


def logistic_ref(x):
    if math.isnan(x):
        return x
    return float(1 / (1 + mpmath.exp(-mpmath.mpf(x))))


def round_away(x):
    t = np.trunc(x)
    r = np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t)
    return np.copysign(r, x)


# name: (reference on float64, random range, extra points, tolerance overrides {dtype: (rtol, atol)}, signed zeros)
SPECIAL_TOL = {"float64": (5e-15, 0.0)}
UNARY_FLOAT = {
    "sin": (np.sin, (-10, 10), [1e5, -1e5, 1e10, 3.141592653589793], {}, True),
    "cos": (np.cos, (-10, 10), [1e5, 1e10, 1.5707963267948966], {}, False),
    "tan": (np.tan, (-10, 10), [1e5, 1.5707963267948966, -1.5], {}, True),
    "asin": (np.arcsin, (-1.2, 1.2), [0.5, -0.5, 1e-8], {}, True),
    "acos": (np.arccos, (-1.2, 1.2), [0.5, -0.5, 0.99999], {}, False),
    "atan": (np.arctan, (-10, 10), [1e10, -1e10, 1e-8], {}, True),
    "sinh": (np.sinh, (-10, 10), [100.0, -100.0, 1000.0, 1e-8], {}, True),
    "cosh": (np.cosh, (-10, 10), [100.0, -1000.0], {}, False),
    "tanh": (np.tanh, (-10, 10), [30.0, -30.0, 1e-8], {}, True),
    "asinh": (np.arcsinh, (-10, 10), [1e10, -1e10, 1e-8], {}, True),
    "acosh": (np.arccosh, (0.5, 10), [1.0, 1e10, 1.0000001], {}, False),
    "atanh": (np.arctanh, (-1.2, 1.2), [0.5, -0.99, 1e-8], {}, True),
    "exp": (np.exp, (-20, 20), [100.0, -100.0, 1000.0, -1000.0, 1e-10], {}, False),
    "exp2": (np.exp2, (-20, 20), [100.0, -200.0, 1100.0, -1100.0, 0.5], {}, False),
    "log": (np.log, (-1, 10), [1e-30, 1e30, 2.718281828459045], {}, False),
    "log1p": (np.log1p, (-1.5, 10), [1e-10, -1e-10, -0.999999], {}, True),
    "expm1": (np.expm1, (-20, 20), [1e-10, -1e-10, 100.0, -100.0, 1000.0], {}, True),
    "sqrt": (np.sqrt, (-1, 100), [1e-30, 1e30, 2.0], {}, True),
    "rsqrt": (lambda x: 1 / np.sqrt(x), (-1, 100), [1e-30, 1e30, 2.0], {}, True),
    "cbrt": (np.cbrt, (-100, 100), [1e-30, -1e30, 27.0], {}, True),
    "logistic": (vec(logistic_ref), (-20, 20), [100.0, -100.0, -800.0, 800.0, 1e-8], {}, False),
    "erf": (vec(math.erf), (-6, 6), [0.5, -0.5, 2.5, -2.5, 10.0, -10.0, 1e-10], SPECIAL_TOL, True),
    "erfc": (vec(math.erfc), (-6, 6), [0.5, 0.75, 1.5, 2.49, 2.5, 4.0, 10.0, 26.0, 27.5, -10.0], SPECIAL_TOL, False),
    "erfInv": (vec(erf_inv_ref), (-1, 1), [0.5, -0.5, 0.999, -0.9999999, 1e-10, 1.1, -1.1], SPECIAL_TOL, True),
    "lgamma": (vec(lgamma_ref), (-10, 20),
               [1.0, 2.0, 3.0, 1.000001, 1.999999, 0.5, 1e-10, 1e10, 1e30, -0.5, -1.5, -2.5, -1.0, -2.0, 171.5, 0.999999,
                -1e-300, -0.25, -100.5],
               {"float64": (5e-15, 1e-16)}, False),
    "digamma": (vec(digamma_ref), (-10, 20),
                [1.4616321449683622, 1.46, 1e-10, 1e10, -0.5, -1.0, -3.0, 0.5, 2.0, 9.99, 10.01, -1e-300, -0.25, -100.5],
                {"float64": (5e-15, 1e-16)}, False),
    "floor": (np.floor, (-10, 10), [-0.5, 0.5, -1e-300, 2.5, -2.5], {}, True),
    "ceil": (np.ceil, (-10, 10), [-0.5, 0.5, 1e-300, 2.5, -2.5], {}, True),
    "isFinite": (np.isfinite, (-10, 10), [], {}, False),
}
HALVES = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 0.49999999999999994, -0.3, 4.5000001]


def float_inputs(dt, lo, hi, extra, n=16):
    vals = float_specials(dt) + list(extra) + R.uniform(lo, hi, size=n).tolist()
    return np.array(vals, dtype=np.float64).astype(dt)


def gen_unary_float():
    for op, (f, (lo, hi), extra, tols, signed) in UNARY_FLOAT.items():
        for dt in FLOATS:
            x = float_inputs(dt, lo, hi, extra)
            out = np.asarray(f(x.astype(np.float64)))
            out = out.astype(bool) if op == "isFinite" else out.astype(dt)
            kw = {}
            if dt in tols:
                kw["rtol"], kw["atol"] = tols[dt]
            if signed:
                kw["signed_zeros"] = True
            case(op, [x], out, **kw)
        # rank-0 and empty operands
        x0 = np.array(0.75, np.float32)
        case(op, [x0], (np.asarray(f(x0.astype(np.float64)))).astype(bool if op == "isFinite" else np.float32))
        xe = np.zeros((2, 0, 3), np.float32)
        case(op, [xe], np.zeros((2, 0, 3), bool if op == "isFinite" else np.float32))
    for dt in FLOATS:
        extra = HALVES + ([2.0 ** 51 + 0.5, -(2.0 ** 51) - 0.5] if dt == "float64" else [])
        x = float_inputs(dt, -10, 10, extra)
        x64 = x.astype(np.float64)
        case("round", [x], round_away(x64).astype(dt), params={"rounding_method": 0}, signed_zeros=True)
        case("round", [x], np.round(x64).astype(dt), params={"rounding_method": 1}, signed_zeros=True)


# ---------------------------------------------------------------------------
# Unary numeric / integer

def wrap(v, dt):
    ii = np.iinfo(dt)
    v &= (1 << ii.bits) - 1
    if ii.min < 0 and v >= 1 << (ii.bits - 1):
        v -= 1 << ii.bits
    return v


def int_map(f, dt, *xs):
    return np.array([wrap(int(f(*[int(a) for a in t])), dt) for t in zip(*xs)], dtype=np.int64).astype(dt)


def gen_unary_numeric():
    for dt in ALL:
        if dt == "bool":
            continue
        x = int_values(dt) if dt in INTS else float_inputs(dt, -10, 10, [])
        if dt in INTS:
            case("neg", [x], int_map(lambda a: -a, dt, x))
            case("square", [x], int_map(lambda a: a * a, dt, x))
            case("sign", [x], int_map(lambda a: (a > 0) - (a < 0), dt, x))
            if dt in SINTS:
                case("abs", [x], int_map(abs, dt, x))
            for y in [0, 1, 2, 3, 7]:
                case("integerPow", [x], int_map(lambda a: a ** y, dt, x), params={"y": y})
        else:
            x64 = x.astype(np.float64)
            case("neg", [x], (-x64).astype(dt), signed_zeros=True)
            case("abs", [x], np.abs(x64).astype(dt), signed_zeros=True)
            case("square", [x], np.square(x64).astype(dt))
            case("sign", [x], np.sign(x64).astype(dt))
            for y in [0, 1, 2, 3, 7, -1, -2]:
                case("integerPow", [x], np.power(x64, float(y)).astype(dt), params={"y": y}, rtol=4e-3 if dt == "float16" else None)
    for dt in INTS:
        x = int_values(dt)
        bits = np.iinfo(dt).bits
        case("not", [x], int_map(lambda a: ~a, dt, x))
        case("populationCount", [x], int_map(lambda a: bin(a & ((1 << bits) - 1)).count("1"), dt, x))
        case("clz", [x], int_map(lambda a: bits - (a & ((1 << bits) - 1)).bit_length(), dt, x))
    b = np.array([True, False, True], bool)
    case("not", [b], ~b)
    case("neg", [np.zeros((0,), np.int32)], np.zeros((0,), np.int32))
    case("populationCount", [np.array(-1, np.int32)], np.array(32, np.int32))


# ---------------------------------------------------------------------------
# Binary

def xla_div(a, b, dt):
    if b == 0:
        return wrap(-1, dt)
    q = abs(a) // abs(b)
    return wrap(q if (a < 0) == (b < 0) else -q, dt)


def xla_rem(a, b, dt):
    if b == 0:
        return a
    r = abs(a) % abs(b)
    return wrap(r if a >= 0 else -r, dt)


def shift_amount(s, dt):
    return s & ((1 << np.iinfo(dt).bits) - 1)  # read as unsigned


def xla_shl(a, s, dt):
    s = shift_amount(s, dt)
    return 0 if s >= np.iinfo(dt).bits else wrap(a << s, dt)


def xla_shr_logical(a, s, dt):
    bits = np.iinfo(dt).bits
    s = shift_amount(s, dt)
    return 0 if s >= bits else wrap((a & ((1 << bits) - 1)) >> s, dt)


def xla_shr_arith(a, s, dt):
    bits = np.iinfo(dt).bits
    s = shift_amount(s, dt)
    signed = a & ((1 << bits) - 1)
    if signed >= 1 << (bits - 1):
        signed -= 1 << bits
    return wrap(-1 if signed < 0 else 0, dt) if s >= bits else wrap(signed >> s, dt)


def pairs_int(dt):
    """x, y covering wraparound, division by zero, INT_MIN / -1 and random values."""
    ii = np.iinfo(dt)
    xs = [ii.max, ii.min, ii.max, 7, -7 if ii.min < 0 else 7, 0, ii.min, 5, 123 % (ii.max + 1)]
    ys = [1, 1 if ii.min == 0 else -1, ii.max, 0, 2, 0, ii.max, 3, 10]
    rx = R.integers(ii.min, ii.max, 10, endpoint=True, dtype=np.int64).tolist()
    ry = R.integers(ii.min, ii.max, 10, endpoint=True, dtype=np.int64).tolist()
    return np.array(xs + rx, np.int64).astype(dt), np.array(ys + ry, np.int64).astype(dt)


def pairs_float(dt, lo=-10, hi=10):
    sp = float_specials(dt)
    xs = sp + [1.0, -7.5, 7.5, 2.0, 0.0] + R.uniform(lo, hi, 10).tolist()
    ys = sp[::-1] + [0.0, 2.0, -2.0, 0.5, -3.0] + R.uniform(lo, hi, 10).tolist()
    return np.array(xs).astype(dt), np.array(ys).astype(dt)


def gen_binary():
    for dt in INTS:
        x, y = pairs_int(dt)
        case("add", [x, y], x + y)
        case("sub", [x, y], x - y)
        case("mul", [x, y], x * y)
        case("div", [x, y], int_map(lambda a, b: xla_div(a, b, dt), dt, x, y))
        case("rem", [x, y], int_map(lambda a, b: xla_rem(a, b, dt), dt, x, y))
        case("max", [x, y], np.maximum(x, y))
        case("min", [x, y], np.minimum(x, y))
        case("and", [x, y], x & y)
        case("or", [x, y], x | y)
        case("xor", [x, y], x ^ y)
        for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
            case(op, [x, y], getattr(np, {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal",
                                          "gt": "greater", "ge": "greater_equal"}[op])(x, y))
        bits = np.iinfo(dt).bits
        amounts = [0, 1, bits - 1, bits, bits + 1, 100 % (np.iinfo(dt).max + 1), 3, 5]
        if dt in SINTS:
            amounts += [-1, -bits]
        sx = np.resize(int_values(dt), len(amounts) * 2)
        sy = np.array(amounts * 2, np.int64).astype(dt)
        case("shiftLeft", [sx, sy], int_map(lambda a, s: xla_shl(a, s, dt), dt, sx, sy))
        case("shiftRightLogical", [sx, sy], int_map(lambda a, s: xla_shr_logical(a, s, dt), dt, sx, sy))
        case("shiftRightArithmetic", [sx, sy], int_map(lambda a, s: xla_shr_arith(a, s, dt), dt, sx, sy))
    # bitwise ops on uint32 values above 2^31
    u = np.array([0x80000000, 0xFFFFFFFF, 0xDEADBEEF, 0x7FFFFFFF], np.uint32)
    v = np.array([0xFFFFFFFF, 0x80000001, 0x0F0F0F0F, 0x80000000], np.uint32)
    for op, f in [("and", np.bitwise_and), ("or", np.bitwise_or), ("xor", np.bitwise_xor)]:
        case(op, [u, v], f(u, v))
    case("not", [u], ~u)
    case("lt", [u, v], u < v)
    case("max", [u, v], np.maximum(u, v))
    case("div", [u, v], int_map(lambda a, b: xla_div(a, b, "uint32"), "uint32", u, v))
    b1 = np.array([True, True, False, False])
    b2 = np.array([True, False, True, False])
    for op, f in [("and", np.logical_and), ("or", np.logical_or), ("xor", np.logical_xor), ("max", np.maximum),
                  ("min", np.minimum), ("eq", np.equal), ("lt", np.less), ("ge", np.greater_equal)]:
        case(op, [b1, b2], f(b1, b2))
    for dt in FLOATS:
        x, y = pairs_float(dt)
        x64, y64 = x.astype(np.float64), y.astype(np.float64)
        case("add", [x, y], x + y)
        case("sub", [x, y], x - y)
        case("mul", [x, y], x * y)
        case("div", [x, y], x / y)
        case("rem", [x, y], np.fmod(x64, y64).astype(dt))
        case("pow", [x, y], np.power(x64, y64).astype(dt))
        case("atan2", [x, y], np.arctan2(x64, y64).astype(dt))
        case("nextafter", [x, y], np.nextafter(x, y))
        # max/min: avoid (+0, -0) pairs, whose order XLA leaves unspecified
        keep = ~((x == 0) & (y == 0))
        case("max", [x[keep], y[keep]], np.maximum(x[keep], y[keep]))
        case("min", [x[keep], y[keep]], np.minimum(x[keep], y[keep]))
        for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
            case(op, [x, y], getattr(np, {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal",
                                          "gt": "greater", "ge": "greater_equal"}[op])(x, y))
        # pow special cases of C's pow: pow(1, nan) = 1, pow(nan, 0) = 1, pow(-1, +-inf) = 1, pow(-8, 1/3) = nan
        px = np.array([1, np.nan, -1, -1, -8, 0, -0.0, 2], dt)
        py = np.array([np.nan, 0, np.inf, -np.inf, 1 / 3, -1, -3, -1074 if dt == "float64" else -30], dt)
        case("pow", [px, py], np.power(px.astype(np.float64), py.astype(np.float64)).astype(dt), signed_zeros=True)
        # float base, int32 exponent
        pe = np.array([0, 1, 2, 3, -1, -2, 10, 31], np.int32)
        case("pow", [x[:8], pe], np.power(x[:8].astype(np.float64), pe.astype(np.float64)).astype(dt))
        # nextafter stepping from zero and across powers of two
        nx = np.array([0, 0, -0.0, 1, 1, 2, -2, float(np.finfo(dt).max), float(np.finfo(dt).smallest_subnormal)], dt)
        ny = np.array([1, -1, 1, 2, 0, 0, -np.inf, np.inf, 0], dt)
        case("nextafter", [nx, ny], np.nextafter(nx, ny), signed_zeros=True)
    # rank-0 operands broadcasting, size-1 broadcasting, empty shapes
    a = np.array([1.5, -2.0, 3.25], np.float32)
    s = np.array(2.0, np.float32)
    case("add", [s, a], s + a)
    case("sub", [a, s], a - s)
    case("mul", [s, s], s * s)
    case("div", [np.array(7, np.int32), np.array([2, -2, 0], np.int32)], np.array([3, -3, -1], np.int32))
    case("add", [np.ones((2, 1), np.float32), np.arange(3, dtype=np.float32).reshape(1, 3)],
         np.ones((2, 1), np.float32) + np.arange(3, dtype=np.float32).reshape(1, 3))
    case("add", [np.zeros((0,), np.float32), np.zeros((0,), np.float32)], np.zeros((0,), np.float32))
    case("max", [np.zeros((2, 0, 3), np.int8), np.array(1, np.int8)], np.zeros((2, 0, 3), np.int8))
    case("lt", [np.zeros((2, 0), np.float64), np.zeros((2, 0), np.float64)], np.zeros((2, 0), bool))


# ---------------------------------------------------------------------------
# select_n, clamp

def gen_select_clamp():
    for dt in ["float32", "int8", "uint32", "float16", "bool", "float64"]:
        c0 = (R.integers(0, 2, 6).astype(dt) if dt == "bool" else np.arange(6).astype(dt))
        c1 = (R.integers(0, 2, 6).astype(dt) if dt == "bool" else (np.arange(6) * 10 + 1).astype(dt))
        c2 = (R.integers(0, 2, 6).astype(dt) if dt == "bool" else (np.arange(6) * -3).astype(dt))
        p = np.array([True, False, True, True, False, False])
        case("selectN", [p, c0, c1], np.where(p, c1, c0))
        w = np.array([0, 1, 2, 2, 1, 0], np.int32)
        case("selectN", [w, c0, c1, c2], np.choose(w, [c0, c1, c2]))
    c0, c1 = np.arange(4, dtype=np.float32), -np.arange(4, dtype=np.float32)
    case("selectN", [np.array(True), c0, c1], c1)
    case("selectN", [np.array(0, np.int32), c0, c1], c0)
    case("selectN", [np.array([1, 0, 1, 0], np.uint8), c0, c1], np.where([1, 0, 1, 0], c1, c0))
    case("selectN", [np.array([0, 0, 0, 0], np.int32), c0], c0)
    case("selectN", [np.zeros((0,), bool), np.zeros((0,), np.float32), np.zeros((0,), np.float32)], np.zeros((0,), np.float32))
    for dt in ["float32", "float64", "float16", "int32", "uint8", "int8"]:
        x = (np.array([-5, -1, 0, 1, 2, 3, 7, 100]) if dt not in FLOATS else
             np.array([-5, -1, 0, 1, 2.5, 3, np.nan, np.inf, -np.inf])).astype(dt)
        if dt in UINTS:
            x = np.array([0, 1, 2, 3, 7, 100, 255], dt)
        lo, hi = np.array(1, dt), np.array(3, dt)
        case("clamp", [lo, x, hi], np.minimum(np.maximum(x, lo), hi))
        los = np.resize(np.array([0, 2, 1], dt), x.shape)
        his = np.resize(np.array([5, 2, 3], dt), x.shape)
        case("clamp", [los, x, his], np.minimum(np.maximum(x, los), his))
    case("clamp", [np.array(0, np.float32), np.zeros((2, 0), np.float32), np.array(1, np.float32)], np.zeros((2, 0), np.float32))


# ---------------------------------------------------------------------------
# Conversions

def xla_float_to_int(v, dt):
    ii = np.iinfo(dt)
    if math.isnan(v):
        return 0
    if v <= ii.min:
        return ii.min
    if v >= ii.max:
        return ii.max
    return math.trunc(v)


def convert_ref(x, src, dst):
    if dst == "bool":
        return x != 0
    if src in FLOATS and dst in INTS:
        return np.array([xla_float_to_int(float(v), dst) for v in x.astype(np.float64)], np.int64).astype(dst)
    if src in FLOATS and dst in FLOATS:
        return x.astype(np.float64).astype(dst)  # one rounding from the exact value
    return x.astype(dst)  # int/bool -> int wraps, int -> float rounds once


def convert_inputs(src):
    if src == "bool":
        return np.array([True, False, True])
    if src in INTS:
        ii = np.iinfo(src)
        extra = [2049, 65519, 65520, 16777217, 2147483647, -129, 255, 256, 65535, 65536, 4294967295]
        vals = [v for v in extra if ii.min <= v <= ii.max]
        return np.concatenate([int_values(src, 6), np.array(vals, np.int64).astype(src)])
    fi = np.finfo(src)
    vals = float_specials(src) + [2.7, -2.7, 0.5, -0.99, 127.5, 128.0, -128.5, 255.9, 256.0, 32767.5, 65504.0, 65520.0,
                                  2147483520.0, 2147483648.0, -2147483904.0, 4294967040.0, 4294967296.0, 1e10, -1e10,
                                  1.00048828125, 1.0009765625, 0.1, 1e-5, 3.4e38, 1e-40]
    with np.errstate(all="ignore"):
        return np.array(vals, np.float64).astype(src)


def gen_convert():
    for src in ALL:
        x = convert_inputs(src)
        for dst in ALL:
            case("convertElementType", [x], convert_ref(x, src, dst), params={"new_dtype": dst}, signed_zeros=dst in FLOATS)
    # float64 -> float16/float32 rounding: random magnitudes, exact ties, values next to ties, overflow and subnormals
    h = R.integers(0, 0x7BFF, 200).astype(np.uint16).view(np.float16)
    up = np.nextafter(h, np.float16(np.inf)).astype(np.float64)
    ties = (h.astype(np.float64) + up) / 2
    mags = np.exp(R.uniform(-20, 11.2, 200)) * R.choice([-1, 1], 200)
    x = np.concatenate([ties, -ties, np.nextafter(ties, 0), np.nextafter(ties, np.inf), mags,
                        [65519.99, 65520.0, -65520.0, 2.0 ** -25, 2.0 ** -25 * 1.0000001, 3 * 2.0 ** -26, 1e-300]])
    case("convertElementType", [x], x.astype(np.float16), params={"new_dtype": "float16"}, signed_zeros=True)
    f = R.integers(0, 0x7F7FFFFF, 200).astype(np.uint32).view(np.float32).astype(np.float64)
    x = np.concatenate([f + np.spacing(f.astype(np.float32)).astype(np.float64) / 2, f * (1 + 1e-9), [3.4028235677973366e38, 1e-46]])
    case("convertElementType", [x], x.astype(np.float32), params={"new_dtype": "float32"}, signed_zeros=True)
    case("convertElementType", [np.zeros((2, 0, 3), np.float32)], np.zeros((2, 0, 3), np.int8), params={"new_dtype": "int8"})
    case("convertElementType", [np.array(-3.9, np.float32)], np.array(-3, np.int32), params={"new_dtype": "int32"})


def gen_bitcast():
    f32 = np.array([1.0, -2.5, np.inf, -0.0, 3.4e38, 1e-45, np.nan], np.float32)
    i32 = np.array([0, -1, 2 ** 31 - 1, -(2 ** 31), 0x3F800000, 0x7F800000], np.int32)
    u32 = np.array([0, 0xFFFFFFFF, 0x80000000, 0x3F800000, 0xFF800000], np.uint32)
    f16 = np.array([1.0, -2.0, 65504, -0.0, 6e-8, np.inf, 0.333], np.float16)
    i16 = np.array([0, -1, 0x3C00, 0x7C00, -32768, 0x7BFF], np.int16)
    u16 = np.array([0, 0xFFFF, 0x3C00, 0x8000, 0xFC00], np.uint16)
    u8 = np.arange(0, 256, 37).astype(np.uint8)[:4]
    i8 = np.array([-1, 0, 127, -128], np.int8)
    f64 = np.array([1.0, -0.0, np.pi, 1e300, -np.inf], np.float64)
    for x in [f32, i32, u32]:
        for dst in ["float32", "int32", "uint32"]:
            case("bitcastConvertType", [x], x.view(dst), params={"new_dtype": dst}, signed_zeros=True)
    for x in [f16, i16, u16]:
        for dst in ["float16", "int16", "uint16"]:
            case("bitcastConvertType", [x], x.view(dst), params={"new_dtype": dst}, signed_zeros=True)
    case("bitcastConvertType", [u8], u8.view(np.int8), params={"new_dtype": "int8"})
    case("bitcastConvertType", [i8], i8.view(np.uint8), params={"new_dtype": "uint8"})
    # narrower target: a trailing dimension of from/to elements (little-endian)
    for x, dst in [(f32, "uint8"), (f32, "float16"), (i32, "int16"), (f64, "uint32"), (f64, "int16"), (f64, "uint8"),
                   (f16, "int8"), (u32, "uint16")]:
        ratio = x.dtype.itemsize // np.dtype(dst).itemsize
        case("bitcastConvertType", [x], x.view(dst).reshape(x.shape + (ratio,)), params={"new_dtype": dst})
    # wider target: consume a trailing dimension
    for x, dst in [(np.arange(8, dtype=np.uint8).reshape(2, 4), "float32"), (np.array([0, 0x3F800000], np.int32), "float64"),
                   (np.array([[0x3C00, 0xC000], [0, 0x7C00]], np.uint16), "int32"),
                   (np.array([1.0, 2.0], np.float16), "float32"), (np.arange(16, dtype=np.int8).reshape(2, 8), "float64")]:
        ratio = np.dtype(dst).itemsize // x.dtype.itemsize
        case("bitcastConvertType", [x], x.reshape(-1).view(dst).reshape(x.shape[:-1]), params={"new_dtype": dst})
    case("bitcastConvertType", [np.zeros((2, 0, 3), np.float32)], np.zeros((2, 0, 3, 4), np.uint8), params={"new_dtype": "uint8"})
    case("bitcastConvertType", [np.array(1.0, np.float32)], np.array(1.0, np.float32).view(np.int32), params={"new_dtype": "int32"})


# ---------------------------------------------------------------------------
# Promotion: JAX's documented table (docs/type_promotion.rst), our dtypes only.

NAMES = {"b1": "bool", "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64", "i1": "int8", "i2": "int16",
         "i4": "int32", "i8": "int64", "f2": "float16", "f4": "float32", "f8": "float64", "i*": "i*", "f*": "f*"}
TABLE_COLS = "b1 u1 u2 u4 u8 i1 i2 i4 i8 bf f2 f4 f8 c8 c16 i* f* c*".split()
TABLE = """
b1  b1 u1 u2 u4 u8 i1 i2 i4 i8 bf f2 f4 f8 c8 c16 i* f* c*
u1  u1 u1 u2 u4 u8 i2 i2 i4 i8 bf f2 f4 f8 c8 c16 u1 f* c*
u2  u2 u2 u2 u4 u8 i4 i4 i4 i8 bf f2 f4 f8 c8 c16 u2 f* c*
u4  u4 u4 u4 u4 u8 i8 i8 i8 i8 bf f2 f4 f8 c8 c16 u4 f* c*
u8  u8 u8 u8 u8 u8 f* f* f* f* bf f2 f4 f8 c8 c16 u8 f* c*
i1  i1 i2 i4 i8 f* i1 i2 i4 i8 bf f2 f4 f8 c8 c16 i1 f* c*
i2  i2 i2 i4 i8 f* i2 i2 i4 i8 bf f2 f4 f8 c8 c16 i2 f* c*
i4  i4 i4 i4 i8 f* i4 i4 i4 i8 bf f2 f4 f8 c8 c16 i4 f* c*
i8  i8 i8 i8 i8 f* i8 i8 i8 i8 bf f2 f4 f8 c8 c16 i8 f* c*
f2  f2 f2 f2 f2 f2 f2 f2 f2 f2 f4 f2 f4 f8 c8 c16 f2 f2 c8
f4  f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f8 c8 c16 f4 f4 c8
f8  f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 c16 c16 f8 f8 c16
i*  i* u1 u2 u4 u8 i1 i2 i4 i8 bf f2 f4 f8 c8 c16 i* f* c*
f*  f* f* f* f* f* f* f* f* f* bf f2 f4 f8 c8 c16 f* f* c*
"""
OURS = ["b1", "u1", "u2", "u4", "i1", "i2", "i4", "f2", "f4", "f8", "i*", "f*"]


def parse_table():
    t = {}
    for line in TABLE.strip().splitlines():
        row, *cells = line.split()
        for col, cell in zip(TABLE_COLS, cells):
            t[(row, col)] = cell
    return t


def canonical(code):
    """(dtype, weak) of a table entry with x64 disabled: 64-bit ints -> 32-bit; i*/f* weak int32/float32."""
    return {"i*": ("int32", True), "f*": ("float32", True), "i8": ("int32", False), "u8": ("uint32", False)}.get(
        code, (NAMES[code], False))


def gen_promotion():
    t = parse_table()
    table = []
    for a in OURS:
        for b in OURS:
            d, weak = canonical(t[(a, b)])
            # i*/f* operands stand for weakly typed int32/float32 values
            table.append({"a": canonical(a)[0], "a_weak": a in ("i*", "f*"), "b": canonical(b)[0], "b_weak": b in ("i*", "f*"),
                          "dtype": d, "weak": weak and d != "bool", "source": t[(a, b)]})
    ours = [NAMES[c] for c in OURS[:10]]
    can_cast = [{"from": a, "to": b, "safe": bool(np.can_cast(a, b))} for a in ours for b in ours]
    out = {"generator": "tools/goldens/gen_elementwise.py", "numpy": np.__version__,
           "cases": [{"table": table, "can_cast": can_cast}]}
    return out, t


# ---------------------------------------------------------------------------
# Array methods (jnp semantics)

def method_cases(t):
    mc = []

    codes = {v: k for k, v in NAMES.items() if not k.endswith("*")}

    def code(d, weak):
        return ("f*" if d in FLOATS else "i*") if weak else codes[d]

    def result(da, wa, db, wb):
        return canonical(t[(code(da, wa), code(db, wb))])

    def arg(v):
        """An operand: an encoded array, or {"scalar": v} for a JS number/boolean (weak if a number)."""
        return enc(v) if isinstance(v, np.ndarray) else {"scalar": enc_scalar(v)}

    def mcase(method, x, y, out, weak=False, **extra):
        # weak None: not checked (comparisons' weak flag on all-weak inputs is not pinned down here)
        c = {"method": method, "x": enc(x), "out": enc(out), "out_weak": weak}
        if isinstance(y, str):
            c["dtype_arg"] = y
        elif y is not None:
            c["y"] = arg(y)
        c.update(extra)
        mc.append(c)

    ops = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "maximum": np.maximum, "minimum": np.minimum,
           "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal}
    # mixed-dtype arrays: the result dtype from JAX's table, the values from NumPy in that dtype
    samples = {"bool": np.array([True, False, True]), "int8": np.array([-100, 7, 127], np.int8),
               "int16": np.array([-3000, 7, 300], np.int16), "int32": np.array([-70000, 7, 2 ** 31 - 1], np.int32),
               "uint8": np.array([200, 7, 255], np.uint8), "uint16": np.array([60000, 7, 300], np.uint16),
               "uint32": np.array([4000000000, 7, 1], np.uint32), "float16": np.array([1.5, -2.25, 65504], np.float16),
               "float32": np.array([1.5, -2.25, 1e30], np.float32), "float64": np.array([1.5, -2.25, 1e300], np.float64)}
    for da in ALL:
        for db in ALL:
            d, weak = result(da, False, db, False)
            x, y = samples[da], samples[db]
            for m in ["add", "mul", "maximum", "lt", "eq"]:
                if m in ("add", "mul") and d == "bool":
                    out = (x | y) if m == "add" else (x & y)
                else:
                    out = ops[m](x.astype(d), y.astype(d))
                mcase(m, x, y, out, weak, dtype=d)
    # weak JS scalars: float32 + 1.5 stays float32; int32 + 2.5 is weak float32; uint8 + 300 wraps 300 to 44
    weak_cases = [
        ("add", np.array([1.0, 2.0], np.float32), 1.5), ("add", np.array([1, 2], np.int32), 2.5),
        ("add", np.array([250, 3], np.uint8), 300), ("add", np.array([1, 2], np.int8), 2),
        ("mul", np.array([1.5, 2.0], np.float16), 3), ("sub", np.array([1, 2], np.uint32), 5),
        ("add", np.array([True, False]), 1), ("add", np.array([True, False]), 1.5),
        ("add", np.array([1, 2], np.int16), -40000), ("mul", np.array([1.0, 2.0], np.float64), 0.1),
        ("maximum", np.array([1, 200], np.uint8), -1), ("lt", np.array([1, 2], np.int32), 1.5),
        ("add", np.array([1, 2], np.int32), True), ("eq", np.array([1.0, np.nan], np.float32), np.nan),
        ("minimum", np.array([1, 200], np.uint8), 300), ("minimum", np.array([1.5, np.nan], np.float16), 1),
    ]
    for m, x, s in weak_cases:
        da = str(x.dtype)
        if isinstance(s, bool):
            d, weak = result(da, False, "bool", False)
        else:
            d, weak = result(da, False, "int32" if float(s).is_integer() else "float32", True)
        if d in INTS:
            sv = np.array(s).astype(np.int64).astype(d)  # Python ints wrap into the dtype (NumPy astype)
        else:
            sv = np.array(s, np.float64).astype(d)
        out = ops[m](x.astype(d), sv)
        if d == "bool" and m == "add":
            out = x | sv
        mcase(m, x, s, out, None if m in ("lt", "eq") else weak, dtype=d)
    # true division: ints and bool divide in float32
    for da in ["int32", "uint8", "bool", "float16", "float64"]:
        x, y = samples[da], samples[da][::-1].copy()
        d = da if da in FLOATS else "float32"
        mcase("div", x, y, (x.astype(np.float64) / y.astype(np.float64)).astype(d), False)
    # (a JS 2.0 is the integer 2: a weak int, so the result is strong float32, as x / 2 in JAX)
    mcase("div", np.array([1, 2, 3], np.int32), 2, np.array([0.5, 1, 1.5], np.float32), False)
    mcase("div", np.array([1, 2, 3], np.int32), 2.5, (np.array([1, 2, 3]) / 2.5).astype(np.float32), True)
    # floor division and modulo: NumPy's sign conventions (nonzero divisors)
    fx = np.array([7, -7, 7, -7, 0, 5, -5, 6], np.int64)
    fy = np.array([2, 2, -2, -2, 3, -3, 3, 3], np.int64)
    for d in ["int8", "int32", "int16"]:
        x, y = fx.astype(d), fy.astype(d)
        mcase("floorDiv", x, y, np.floor_divide(x, y), False)
        mcase("mod", x, y, np.mod(x, y), False)
    for d in ["uint8", "uint32"]:
        x, y = np.array([7, 200, 0, 9], d), np.array([2, 3, 5, 10], d)
        mcase("floorDiv", x, y, np.floor_divide(x, y), False)
        mcase("mod", x, y, np.mod(x, y), False)
    ffx = np.array([7.5, -7.5, 7.5, -7.5, 0.0, 5.0, -1e-30, 1e30, np.inf, np.nan, 3.0], np.float64)
    ffy = np.array([2.0, 2.0, -2.0, -2.0, 3.0, -0.3, 1.0, 7.0, 2.0, 1.0, np.inf], np.float64)
    for d in FLOATS:
        x, y = ffx.astype(d), ffy.astype(d)
        mcase("floorDiv", x, y, np.floor_divide(x, y), False)
        mcase("mod", x, y, np.mod(x, y), False)
    mcase("floorDiv", np.array([7, -7], np.int32), 2, np.array([3, -4], np.int32), False)
    mcase("mod", np.array([7, -7], np.int32), -2, np.array([-1, -1], np.int32), False)
    mcase("mod", np.array([7.5, -7.5], np.float32), 2, np.array([1.5, 0.5], np.float32), False)
    mcase("floorDiv", np.array([True, False]), np.array([True, True]), np.array([1, 0], np.int32), False)
    # division by zero, as jnp (not NumPy): ints floor_divide = lax.div(x, 0) = -1, minus 1 where x != 0;
    # remainder replaces a zero divisor by 1 (result 0); floats: mod(x, 0) = NaN, floor_divide(x, 0) = NaN
    mcase("floorDiv", np.array([5, -5, 0], np.int32), np.array([0, 0, 0], np.int32), np.array([-2, -2, -1], np.int32), False)
    mcase("floorDiv", np.array([5, 0], np.uint8), np.array([0, 0], np.uint8), np.array([255, 255], np.uint8), False)
    mcase("mod", np.array([5, -5, 0], np.int32), np.array([0, 0, 0], np.int32), np.array([0, 0, 0], np.int32), False)
    mcase("mod", np.array([5.0, -5.0], np.float32), np.array([0.0, 0.0], np.float32), np.array([np.nan, np.nan], np.float32), False)
    mcase("floorDiv", np.array([5.0, 0.0], np.float32), np.array([0.0, 0.0], np.float32), np.array([np.nan, np.nan], np.float32), False)
    # power
    px = np.array([2, -3, 0, 5, 1], np.int32)
    pyy = np.array([3, 3, 0, 2, 100], np.int32)
    mcase("pow", px, pyy, np.array([8, -27, 1, 25, 1], np.int32), False)
    # jnp's integer power uses the low 6 bits of the exponent: 2 ** 64 -> 2 ** 0, 2 ** -1 -> 2 ** 63 (wraps to 0)
    mcase("pow", np.array([2, 2, 3, 0], np.int32), np.array([64, -1, 65, 5], np.int32), np.array([1, 0, 3, 0], np.int32), False)
    mcase("pow", np.array([3, 200], np.uint8), np.array([5, 2], np.uint8), np.array([3 ** 5 % 256, 200 * 200 % 256], np.uint8), False)
    mcase("pow", np.array([1.5, -2.0, 0.0], np.float32), 2, np.array([2.25, 4.0, 0.0], np.float32), False)
    mcase("pow", np.array([1.5, 4.0], np.float32), 0.5, np.power(np.array([1.5, 4.0]), 0.5).astype(np.float32), False)
    mcase("pow", np.array([2, 3], np.int32), 3, np.array([8, 27], np.int32), False)
    mcase("pow", np.array([2, 3], np.int32), 0.5, np.power(np.array([2.0, 3.0]), 0.5).astype(np.float32), True)
    mcase("pow", np.array([2.0, 0.5], np.float16), np.array([3, -2], np.int32), np.array([8.0, 4.0], np.float16), False)
    mcase("pow", np.array([1.0, 2.0], np.float64), np.array([2.5, -1.0], np.float32), np.power(np.array([1.0, 2.0]), np.array([2.5, -1.0])), False)
    # unary
    for d in ["int8", "int32", "float32", "uint8"]:
        x = samples[d]
        mcase("neg", x, None, -x, False)
        mcase("abs", x, None, np.abs(x) if d not in UINTS else x, False)
    mcase("abs", samples["bool"], None, samples["bool"], False)
    mcase("not", samples["int8"], None, ~samples["int8"], False)
    mcase("not", samples["bool"], None, ~samples["bool"], False)
    mcase("not", samples["uint32"], None, ~samples["uint32"], False)
    # bitwise
    for d in ["int16", "uint32", "bool"]:
        x, y = samples[d], samples[d][::-1].copy()
        mcase("and", x, y, x & y, False)
        mcase("or", x, y, x | y, False)
        mcase("xor", x, y, x ^ y, False)
    mcase("and", np.array([12, 10], np.uint8), 6, np.array([4, 2], np.uint8), False)
    # astype
    ax = np.array([1.7, -1.7, np.nan, 300.0, -1e10], np.float32)
    for d in ["int32", "uint8", "bool", "float16", "int8"]:
        mcase("astype", ax, d, convert_ref(ax, "float32", d), False)
    # broadcasting
    bx = np.arange(6, dtype=np.float32).reshape(2, 3)
    by = np.array([[10.0], [20.0]], np.float32)
    mcase("add", bx, by, bx + by, False)
    mcase("mul", np.arange(3, dtype=np.int32), bx, np.arange(3, dtype=np.float32) * bx, False)
    mcase("lt", bx, np.array([2.0, 0.0, 9.0], np.float32), bx < np.array([2.0, 0.0, 9.0], np.float32), False)
    mcase("maximum", np.zeros((0, 3), np.float32), np.ones(3, np.float32), np.ones((0, 3), np.float32), False)
    # clip: maximum(min, x) then minimum(max, x); null means no bound
    cx = np.array([-5.0, 0.5, 3.0, 9.0, np.nan], np.float32)
    def clip_case(x, lo, hi, out, weak=False):
        mc.append({"method": "clip", "x": enc(x), "bounds": [None if b is None else arg(b) for b in (lo, hi)],
                   "out": enc(out), "out_weak": weak})

    clip_case(cx, 0, 4, np.clip(cx, 0, 4))
    clip_case(cx, None, 4, np.minimum(cx, np.float32(4)))
    clip_case(cx, 0.25, None, np.maximum(cx, np.float32(0.25)))
    clip_case(cx, None, None, cx)
    ci = np.array([-3, 0, 7, 200], np.int32)
    lo = np.array([0, 1, 2, 3], np.int32)
    clip_case(ci, lo, 100, np.clip(ci, lo, 100))
    cu = np.array([0, 100, 255], np.uint8)
    clip_case(cu, 10, 2.5, np.minimum(np.maximum(cu.astype(np.float32), 10), 2.5).astype(np.float32), True)
    return mc


def main():
    gen_unary_float()
    gen_unary_numeric()
    gen_binary()
    gen_select_clamp()
    gen_convert()
    gen_bitcast()
    write("elementwise", cases)
    promo, t = gen_promotion()
    write("promotion", promo["cases"])
    write("elementwise_methods", method_cases(t))


if __name__ == "__main__":
    main()
