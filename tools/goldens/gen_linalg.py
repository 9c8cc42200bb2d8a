"""Goldens for dot_general (lax.dotGeneral / dot / batchMatmul) and the Array
methods matmul and dot.

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_linalg.py
(NumPy computes every value; JAX 0.10.2 is used only for the result dtypes of
mixed-dtype and preferred_element_type cases, for the error cases, and for the
make_jaxpr texts. Writes packages/core/test/fixtures/linalg.json.)

Values: the contraction is computed exactly in float64 (floats) or int64
(integers) with np.einsum and then cast to the result dtype, so integer results
wrap like XLA's and float results are correctly rounded sums.

Case kinds:
  dot_general: args [lhs, rhs], dimension_numbers, preferred_element_type, out
  method:      op "matmul" | "dot", args [x, y], out
  big:         generated inputs (formula shared with the test), out only
  error:       shapes/dtypes/dimension_numbers that JAX rejects
  jaxpr:       program name and JAX's make_jaxpr text
"""
import numpy as np

import jax
import jax.numpy as jnp
from jax import lax

from common import enc, rng, sample, with_specials, write

R = rng(11)
cases = []


def data(shape, dtype, special=False):
    x = sample(shape, dtype, R)
    return with_specials(x) if special else x


def grid(shape, dtype):
    """Multiples of 1/16 in [-3, 3]: short to store, and sums of their products stay exact in float32."""
    return (np.round(R.uniform(-3, 3, size=shape) * 16) / 16).astype(dtype)


def letters(n, start):
    return "".join(chr(ord(start) + i) for i in range(n))


def contract(lhs, rhs, dn):
    """dot_general in exact arithmetic: output = batch, lhs free, rhs free."""
    (lc, rc), (lb, rb) = dn
    la = list(letters(lhs.ndim, "a"))
    ra = list(letters(rhs.ndim, "n"))
    for i, j in zip(lc, rc):
        ra[j] = la[i]
    for i, j in zip(lb, rb):
        ra[j] = la[i]
    lf = [la[i] for i in range(lhs.ndim) if i not in lc and i not in lb]
    rf = [ra[i] for i in range(rhs.ndim) if i not in rc and i not in rb]
    out = "".join([la[i] for i in lb] + lf + rf)
    wide = lambda x: x.astype(np.float64 if x.dtype.kind == "f" else np.int64)
    return np.einsum(f"{''.join(la)},{''.join(ra)}->{out}", wide(lhs), wide(rhs))


def cast(v, dtype):
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return v != 0
    if dtype.kind in "iu" and v.dtype.kind == "f":
        return np.trunc(v).astype(dtype)
    return v.astype(dtype)


def jax_dtype(lhs, rhs, dn, pref):
    # x64 on, so that preferred_element_type=float64 is honoured (dtypes here are explicit).
    with jax.enable_x64(True):
        r = jax.eval_shape(lambda a, b: lax.dot_general(a, b, dn, preferred_element_type=pref),
                           jax.ShapeDtypeStruct(lhs.shape, lhs.dtype), jax.ShapeDtypeStruct(rhs.shape, rhs.dtype))
    return r.dtype, r.shape


def dot_general(lhs, rhs, dn, pref=None, note=""):
    dtype, shape = jax_dtype(lhs, rhs, dn, pref)
    out = cast(contract(lhs, rhs, dn), dtype)
    assert out.shape == shape, (out.shape, shape)
    cases.append({"kind": "dot_general", "note": note, "args": [enc(lhs), enc(rhs)],
                  "dimension_numbers": [[list(dn[0][0]), list(dn[0][1])], [list(dn[1][0]), list(dn[1][1])]],
                  "preferred_element_type": None if pref is None else np.dtype(pref).name,
                  "out": enc(out)})


MM = (((1,), (0,)), ((), ()))
ALL = ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32", "int16", "bool"]

# --- plain products over every dtype -----------------------------------------
for dt in ALL:
    dot_general(data((5, 7), dt), data((7, 3), dt), MM, note=f"matrix-matrix {dt}")
    dot_general(data((4, 6), dt), data((6,), dt), (((1,), (0,)), ((), ())), note=f"matrix-vector {dt}")
    dot_general(data((6,), dt), data((6, 5), dt), (((0,), (0,)), ((), ())), note=f"vector-matrix {dt}")
    dot_general(data((9,), dt), data((9,), dt), (((0,), (0,)), ((), ())), note=f"vector-vector {dt}")
    dot_general(data((2, 3, 4), dt), data((2, 4, 5), dt), (((2,), (1,)), ((0,), (0,))), note=f"batched {dt}")

# Integer wraparound: products/sums past the type's range.
for dt, v in [("int8", 100), ("uint8", 200), ("int32", 2**20), ("uint32", 2**20), ("int16", 300)]:
    a = np.full((2, 3), v, dt)
    dot_general(a, a.T.copy(), MM, note=f"{dt} wraparound")
a = np.array([[2**31 - 1, -(2**31)], [12345678, -7]], np.int32)
dot_general(a, a, MM, note="int32 extremes")
a = np.array([[2**32 - 1, 2**31], [3, 4000000000]], np.uint32)
dot_general(a, a, MM, note="uint32 extremes")

# --- layouts: which axes contract/batch and in what order --------------------
for dt in ["float32", "int32"]:
    x = data((4, 5), dt)
    dot_general(x, data((4, 6), dt), (((0,), (0,)), ((), ())), note=f"lhs transposed {dt}")
    dot_general(data((3, 5), dt), data((6, 5), dt), (((1,), (1,)), ((), ())), note=f"rhs transposed {dt}")
    dot_general(data((5, 3), dt), data((6, 5), dt), (((0,), (1,)), ((), ())), note=f"both transposed {dt}")
    dot_general(data((2, 3, 4), dt), data((4, 3, 5), dt), (((1, 2), (1, 0)), ((), ())), note=f"two contracting dims {dt}")
    dot_general(data((2, 3, 4), dt), data((3, 4, 5), dt), (((2, 1), (1, 0)), ((), ())), note=f"contracting dims out of order {dt}")
    dot_general(data((3, 2, 4), dt), data((4, 2, 5), dt), (((2,), (0,)), ((1,), (1,))), note=f"batch dim not leading {dt}")
    dot_general(data((2, 3, 4, 5), dt), data((3, 5, 2, 6), dt), (((3,), (1,)), ((1, 0), (0, 2))),
                note=f"two batch dims, permuted {dt}")
    dot_general(data((4, 2, 3), dt), data((2, 4), dt), (((0,), (1,)), ((1,), (0,))), note=f"batch + contract, no rhs free {dt}")
    dot_general(data((3,), dt), data((4,), dt), (((), ()), ((), ())), note=f"outer product {dt}")
    dot_general(data((), dt), data((2, 3), dt), (((), ()), ((), ())), note=f"scalar times matrix {dt}")
    dot_general(data((2, 3), dt), data((3, 2), dt), (((), ()), ((), ())), note=f"no contraction, 4-D out {dt}")
    dot_general(data((3, 4), dt), data((3, 4), dt), (((), ()), ((0, 1), (0, 1))), note=f"batch only (elementwise) {dt}")
    dot_general(data((2, 3, 5), dt), data((2, 5), dt), (((2,), (1,)), ((0,), (0,))), note=f"batched matvec {dt}")

# Mid-size products that take the packed (blocked) path, in several layouts.
for dt in ["float32", "float64"]:
    dot_general(grid((24, 40), dt), grid((40, 30), dt), MM, note=f"packed path {dt}")
    dot_general(grid((40, 24), dt), grid((40, 30), dt), (((0,), (0,)), ((), ())), note=f"packed path, lhs transposed {dt}")
    dot_general(grid((24, 40), dt), grid((30, 40), dt), (((1,), (1,)), ((), ())), note=f"packed path, rhs transposed {dt}")
    dot_general(grid((3, 14, 33), dt), grid((3, 33, 19), dt), (((2,), (1,)), ((0,), (0,))), note=f"packed path, batched, ragged tiles {dt}")
dot_general(grid((8, 260), "float64"), grid((260, 5), "float64"), MM, note="K > block size, float64")
dot_general(grid((5, 260), "float32"), grid((260, 8), "float32"), MM, note="K > block size, float32")

# --- zero-size shapes ---------------------------------------------------------
for dt in ["float32", "int32", "bool"]:
    dot_general(data((0, 3), dt), data((3, 4), dt), MM, note=f"M = 0 {dt}")
    dot_general(data((2, 0), dt), data((0, 4), dt), MM, note=f"K = 0 gives zeros {dt}")
    dot_general(data((2, 3), dt), data((3, 0), dt), MM, note=f"N = 0 {dt}")
    dot_general(data((0, 2, 3), dt), data((0, 3, 4), dt), (((2,), (1,)), ((0,), (0,))), note=f"zero batch {dt}")

# --- NaN / inf ------------------------------------------------------------------
for dt in ["float32", "float64", "float16"]:
    dot_general(data((4, 5), dt, special=True), data((5, 3), dt), MM, note=f"nan/inf propagate {dt}")
    a = np.array([[np.inf, 1.0], [0.0, 2.0]], dt)
    b = np.array([[0.0, 1.0], [1.0, -np.inf]], dt)
    dot_general(a, b, MM, note=f"inf*0 is nan, inf-inf is nan {dt}")
dot_general(np.array([[60000.0, 60000.0]], "float16"), np.array([[2.0], [2.0]], "float16"), MM, note="float16 overflow to inf")
dot_general(np.array([[1e-4] * 64], "float16"), np.array([[1e-4]] * 64, "float16"), MM, note="float16 subnormal result")

# --- mixed dtypes and preferred_element_type -----------------------------------
dot_general(data((2, 3), "int8"), data((3, 4), "float32"), MM, note="int8 x float32 -> float32")
dot_general(data((2, 3), "float16"), data((3, 4), "float32"), MM, note="float16 x float32 -> float32")
dot_general(data((2, 3), "int32"), data((3, 4), "uint32"), MM, note="int32 x uint32 -> int32")
dot_general(np.full((2, 3), 200, "uint8"), np.full((3, 2), -100, "int8"), MM, note="uint8 x int8 -> int8 (wraps)")
dot_general(data((2, 3), "bool"), data((3, 4), "int8"), MM, note="bool x int8 -> int8")
dot_general(data((2, 3), "bool"), data((3, 4), "float16"), MM, note="bool x float16 -> float16")
dot_general(np.full((2, 3), 100, "int8"), np.full((3, 2), 100, "int8"), MM, "int32", note="int8 -> int32 accumulation")
dot_general(np.full((2, 3), 100, "int8"), np.full((3, 2), 100, "int8"), MM, "float32", note="int8 -> float32")
dot_general(np.full((1, 2), 200, "uint8"), np.full((2, 1), 100, "int8"), MM, "int16", note="uint8 x int8 -> int16 (wraps)")
dot_general(data((3, 4), "float16"), data((4, 2), "float16"), MM, "float32", note="float16 -> float32")
dot_general(data((3, 4), "float32"), data((4, 2), "float32"), MM, "float64", note="float32 -> float64")
dot_general(np.full((1, 2), 70000.0, "float32"), np.full((2, 1), 70000.0, "float32"), MM, "float16", note="float32 -> float16 overflows")
dot_general(np.full((1, 2), 1.5, "float32"), np.full((2, 1), 1.5, "float32"), MM, "int32",
            note="float32 -> int32: computed in float, then converted")
dot_general(data((3, 3), "bool"), data((3, 3), "bool"), MM, "int32", note="bool -> int32 counts")


# --- Array methods: matmul and dot (NumPy semantics) ---------------------------
def method(op, x, y, note=""):
    # jnp's result dtype (a JS/Python number is weak). JAX itself then hands a weak
    # int scalar to dot_general unconverted, which fails for int8 . 3; we convert it.
    dtype = jnp.result_type(x, y)
    xw = x if not isinstance(x, np.ndarray) else x.astype(np.float64 if x.dtype.kind == "f" else np.int64)
    yw = y if not isinstance(y, np.ndarray) else y.astype(np.float64 if y.dtype.kind == "f" else np.int64)
    v = (np.matmul if op == "matmul" else np.dot)(xw, yw)
    out = cast(np.asarray(v), dtype)
    cases.append({"kind": "method", "op": op, "note": note, "args": [enc(x), y if not isinstance(y, np.ndarray) else enc(y)],
                  "y_is_number": not isinstance(y, np.ndarray), "out": enc(out)})


for dt in ["float32", "int32", "float16", "bool", "uint8"]:
    method("matmul", data((3, 4), dt), data((4, 2), dt), f"2-D {dt}")
method("matmul", data((4,), "float32"), data((4,), "float32"), "1-D @ 1-D -> scalar")
method("matmul", data((3, 4), "float32"), data((4,), "float32"), "2-D @ 1-D")
method("matmul", data((4,), "float32"), data((4, 2), "float32"), "1-D @ 2-D")
method("matmul", data((2, 3, 4), "float32"), data((2, 4, 5), "float32"), "equal batch")
method("matmul", data((5, 1, 2, 3), "float32"), data((4, 3, 6), "float32"), "broadcast batch (squeeze + transpose)")
method("matmul", data((1, 2, 3), "float32"), data((1, 3, 2), "float32"), "both batch dims 1")
method("matmul", data((2, 1, 3, 4), "float32"), data((1, 5, 4, 2), "float32"), "both sides broadcast")
method("matmul", data((2, 3, 4), "int32"), data((4,), "int32"), "batched @ 1-D")
method("matmul", data((4,), "float32"), data((2, 4, 3), "float32"), "1-D @ batched")
method("matmul", data((3, 4), "int8"), data((4, 2), "float32"), "int8 @ float32 promotes")
method("matmul", data((3, 4), "uint8"), data((4, 2), "int8"), "uint8 @ int8 -> int16")
method("matmul", data((3, 4), "float16"), data((4, 2), "float32"), "float16 @ float32")
method("matmul", data((0, 4), "float32"), data((4, 2), "float32"), "empty")
method("dot", data((3, 4), "float32"), data((4, 2), "float32"), "2-D")
method("dot", data((3, 4), "float32"), data((4,), "float32"), "matrix . vector")
method("dot", data((4,), "int32"), data((4,), "int32"), "vector . vector")
method("dot", data((2, 3, 4), "float32"), data((5, 4, 6), "float32"), "N-D: last axis with second-to-last")
method("dot", data((2, 3, 4), "float32"), data((4,), "float32"), "N-D . vector")
method("dot", data((2, 3), "float32"), 2.5, "array . number")
method("dot", data((2, 3), "int8"), 3, "int8 . weak int stays int8")
method("dot", data((2, 3), "int32"), 1.5, "int32 . float -> float32")
method("dot", data((), "float32"), data((2, 2), "float32"), "scalar array . matrix")
method("dot", data((3, 4), "int8"), data((4, 2), "uint8"), "int8 . uint8 -> int16")

# --- a product big enough to cross every block boundary ----------------------
# Inputs follow a formula the test reproduces: small integers, so float32 is exact.
M, K, N = 67, 300, 515
a = ((np.arange(M)[:, None] * 31 + np.arange(K)[None, :] * 17) % 11 - 5).astype(np.float32)
b = ((np.arange(K)[:, None] * 13 + np.arange(N)[None, :] * 7) % 9 - 4).astype(np.float32)
big = a.astype(np.int64) @ b.astype(np.int64)
# Stored compactly: every row and column sum, plus whole rows/columns at the block edges.
rows = [0, 3, 4, 63, 64, 65, 66]
cols = [0, 3, 4, 255, 256, 257, 511, 512, 513, 514]
cases.append({"kind": "big", "note": "67x300 @ 300x515 float32 (formula inputs)", "M": M, "K": K, "N": N,
              "row_sums": big.sum(1).tolist(), "col_sums": big.sum(0).tolist(),
              "rows": rows, "row_values": big[rows].tolist(), "cols": cols, "col_values": big[:, cols].T.tolist()})


# --- errors JAX raises (the test checks ours throw too) ------------------------
def error(lhs_shape, rhs_shape, dn, ldt="float32", rdt="float32", pref=None, note=""):
    try:
        jax.eval_shape(lambda a, b: lax.dot_general(a, b, dn, preferred_element_type=pref),
                       jax.ShapeDtypeStruct(lhs_shape, ldt), jax.ShapeDtypeStruct(rhs_shape, rdt))
    except (TypeError, ValueError) as e:
        cases.append({"kind": "error", "note": note, "lhs": {"shape": list(lhs_shape), "dtype": ldt},
                      "rhs": {"shape": list(rhs_shape), "dtype": rdt},
                      "dimension_numbers": [[list(dn[0][0]), list(dn[0][1])], [list(dn[1][0]), list(dn[1][1])]],
                      "preferred_element_type": pref, "jax_error": str(e).splitlines()[0]})
        return
    raise AssertionError(f"JAX accepted {note}")


error((2, 3), (4, 5), MM, note="contracting sizes differ")
error((2, 3), (3, 4), (((2,), (0,)), ((), ())), note="lhs contracting axis out of range")
error((2, 3), (3, 4), (((1,), (2,)), ((), ())), note="rhs contracting axis out of range")
error((2, 3, 4), (2, 4, 5), (((2,), (1,)), ((0,), ())), note="batch counts differ")
error((2, 3, 4), (3, 4, 5), (((2,), (1,)), ((0,), (0,))), note="batch sizes differ")
error((2, 3), (3, 3), (((1, 1), (0, 1)), ((), ())), note="repeated lhs contracting axis")
error((3, 3, 4), (3, 4, 5), (((2,), (1,)), ((0, 0), (0, 0))), note="repeated batch axis")
error((3, 4), (3, 4), (((0,), (0,)), ((0,), (0,))), note="axis both batch and contracting")
error((2, 3), (3, 2, 2), (((1,), (0,)), ((), ())), ldt="int32", rdt="uint32", pref="int8",
      note="preferred_element_type narrower than an integer result")
error((2, 3), (3, 4), (((1,), (0, 1)), ((), ())), note="contracting counts differ")


# --- make_jaxpr texts -----------------------------------------------------------
def jaxpr(name, f, *args):
    cases.append({"kind": "jaxpr", "name": name, "args": [{"shape": list(a.shape), "dtype": str(a.dtype)} for a in args],
                  "text": str(jax.make_jaxpr(f)(*args))})


f32 = lambda *s: jax.ShapeDtypeStruct(s, jnp.float32)
i8 = lambda *s: jax.ShapeDtypeStruct(s, jnp.int8)
jaxpr("dot_general_plain", lambda x, y: lax.dot_general(x, y, (((1,), (0,)), ((), ()))), f32(2, 3), f32(3, 4))
jaxpr("dot_general_batched_precision", lambda x, y: lax.dot_general(
    x, y, (((2,), (1,)), ((0,), (0,))), precision=(lax.Precision.HIGH, lax.Precision.DEFAULT)), f32(2, 3, 4), f32(2, 4, 5))
jaxpr("dot_general_preferred_int32", lambda x, y: lax.dot_general(
    x, y, (((0,), (0,)), ((), ())), preferred_element_type=jnp.int32), i8(3, 2), i8(3, 5))
jaxpr("lax_dot_highest", lambda x, y: lax.dot(x, y, precision="highest"), f32(4), f32(4))
jaxpr("batch_matmul", lambda x, y: lax.batch_matmul(x, y), f32(2, 3, 4), f32(2, 4, 5))
jaxpr("matmul_method", lambda x, y: x @ y, f32(2, 3), f32(3, 4))
jaxpr("matmul_broadcast", lambda x, y: x @ y, f32(5, 1, 2, 3), f32(4, 3, 6))
jaxpr("matmul_vec_vec", lambda x, y: x @ y, f32(3), f32(3))
jaxpr("matmul_int8_f32", lambda x, y: x @ y, i8(2, 3), f32(3))
jaxpr("dot_method_3d", lambda x, y: jnp.dot(x, y), f32(2, 3, 4), f32(5, 4, 6))

write("linalg", [c for c in cases if c is not None])
