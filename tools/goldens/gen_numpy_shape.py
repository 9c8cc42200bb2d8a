"""Goldens for @jaxts/numpy's array creation, shape manipulation and indexing
(packages/numpy/src/creation.ts, manipulation.ts, indexing.ts, and core's
x.get / x.at engine).

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_numpy_shape.py
     (NumPy 2.4 + JAX 0.10.2, x64 off; writes packages/numpy/test/fixtures/
     {creation,manipulation,indexing,indexing_jaxpr}.json).

Values come from NumPy. Where jnp's result dtype or weak type differs from
NumPy's (int32/float32 defaults, weak scalars) or where JAX defines semantics
NumPy does not have (out-of-bounds reads clamp or fill, out-of-bounds updates
are dropped, repeated indices accumulate, size=/fill_value=), the expected
value is JAX's, and `check(...)` asserts it agrees with NumPy wherever both
define it. float64 cases are NumPy only (JAX runs with x64 off).

A case is {"fn", "args", "kw", "out", "weak"?}: `fn` names the jnp function
(or an indexing form such as "get"), `args` are its positional arguments in the
TypeScript call's order (arrays encoded as {dtype, shape, data}; index items as
numbers, null, "...", strings, {start, stop, step} slices or arrays), `kw` its
options object (camelCase), `out` the result (or a list of results).
"""
import math
import os

import jax
import jax.numpy as jnp
import numpy as np

import common
from common import enc, rng, sample

common.FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "numpy", "test", "fixtures")

R = rng(4)
DTYPES = ["float32", "float64", "float16", "int32", "int8", "uint8", "uint32", "bool"]


def data(shape, dtype, lo=-3.0, hi=3.0):
    return sample(shape, dtype, R, lo, hi)


def arr_enc(a):
    a = np.asarray(a)
    if a.dtype == np.int64:  # NumPy's default int; jnp's is int32 (x64 off)
        assert a.size == 0 or (a.min() >= -2**31 and a.max() < 2**31)
        a = a.astype(np.int32)
    return enc(a)


def enc_arg(v):
    """Arrays (NumPy or JAX) encode as {dtype, shape, data}; lists recurse; other values stay."""
    if isinstance(v, (np.ndarray, jax.Array, np.generic)):
        return arr_enc(np.asarray(v))
    if isinstance(v, (list, tuple)):
        return [enc_arg(x) for x in v]
    if isinstance(v, dict):
        return {k: enc_arg(x) for k, x in v.items()}
    return v


def enc_out(v):
    if isinstance(v, (list, tuple)):
        return [enc_out(x) for x in v]
    return arr_enc(np.asarray(v))


def weak_of(v):
    if isinstance(v, (list, tuple)):
        return [weak_of(x) for x in v]
    return bool(getattr(v, "weak_type", False))


def check(jax_out, np_out, note=""):
    """JAX's values agree with NumPy's (same shape, close values; dtypes may differ). None: no NumPy counterpart."""
    if np_out is None:
        return
    if isinstance(jax_out, (list, tuple)):
        assert len(jax_out) == len(np_out), note
        for a, b in zip(jax_out, np_out):
            check(a, b, note)
        return
    a = np.asarray(jax_out)
    b = np.asarray(np_out)
    assert a.shape == b.shape, (note, a.shape, b.shape)
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        tol = 1e-2 if np.float16 in (a.dtype, b.dtype) else 1e-5
        np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), rtol=tol, atol=tol, err_msg=note)
    else:
        np.testing.assert_array_equal(a.astype(np.int64), b.astype(np.int64), err_msg=note)


class Cases:
    def __init__(self):
        self.cases = []

    def add(self, fn, args, kw, out, weak=None, note=""):
        c = {"fn": fn, "args": enc_arg(list(args)), "kw": enc_arg(kw), "out": enc_out(out), "note": note}
        if weak is not None:
            c["weak"] = weak
        self.cases.append(c)

    def jax(self, fn, args, kw, jax_fn, np_fn=None, note=""):
        """Expected value from JAX (x64 off); cross-checked with NumPy when np_fn is given."""
        out = jax_fn()
        if np_fn is not None:
            check(out, np_fn(), f"{fn} {note}")
        self.add(fn, args, kw, out, weak_of(out), note)

    def np(self, fn, args, kw, np_fn, note=""):
        self.add(fn, args, kw, np_fn(), None, note)


# ---------------------------------------------------------------------------
# Creation

C = Cases()

for obj in [1, 2.5, True, [1, 2, 3], [1.5, 2], [True, False], [[1, 2], [3, 4]], [True, 2], [[1.5], [2.0]]]:
    C.jax("array", [obj], {}, lambda: jnp.array(obj), lambda: np.array(obj), note=repr(obj))
for obj, dt in [([1.7, -2.2], "int32"), ([1, 2], "float16"), ([0, 3], "bool"), ([255, 7], "uint8"), (3, "float32")]:
    C.jax("array", [obj], {"dtype": dt}, lambda: jnp.array(obj, dtype=dt), note=f"{obj} {dt}")
C.jax("array", [[1, 2]], {"ndmin": 3}, lambda: jnp.array([1, 2], ndmin=3), lambda: np.array([1, 2], ndmin=3))
C.jax("asarray", [[[1, 2]]], {}, lambda: jnp.asarray([[1, 2]]))
C.jax("asarray", [7], {}, lambda: jnp.asarray(7))

for shape in [3, [2, 3], [], [0, 4]]:
    for dt in [None, "int32", "bool", "float16", "uint8"]:
        kw = {} if dt is None else {"dtype": dt}
        s = tuple(shape) if isinstance(shape, list) else shape
        C.jax("zeros", [shape], kw, lambda: jnp.zeros(s, dtype=dt), lambda: np.zeros(s, dtype=dt or "float32"))
        C.jax("ones", [shape], kw, lambda: jnp.ones(s, dtype=dt), lambda: np.ones(s, dtype=dt or "float32"))
        C.jax("empty", [shape], kw, lambda: jnp.zeros(s, dtype=dt))
for shape, fill, dt in [([2, 2], 2, None), ([3], 2.5, None), ([2], True, None), ([2, 3], 7, "float16"), ([2, 3], -1, "uint8"),
                        ([2, 3], np.array([1.0, 2.0, 3.0], np.float32), None), ([], 4, "int8")]:
    kw = {} if dt is None else {"dtype": dt}
    C.jax("full", [shape, fill], kw, lambda: jnp.full(tuple(shape), fill, dtype=dt), note=f"{shape} {fill} {dt}")

protos = [np.arange(6, dtype=np.int32).reshape(2, 3), data((3,), "float16"), data((2, 1), "bool")]
for p in protos:
    for dt, shp in [(None, None), ("float32", None), (None, [4]), ("int8", [2, 2])]:
        kw = {}
        if dt is not None:
            kw["dtype"] = dt
        if shp is not None:
            kw["shape"] = shp
        sh = None if shp is None else tuple(shp)
        C.jax("zerosLike", [p], kw, lambda: jnp.zeros_like(p, dtype=dt, shape=sh))
        C.jax("onesLike", [p], kw, lambda: jnp.ones_like(p, dtype=dt, shape=sh))
        C.jax("emptyLike", [p], kw, lambda: jnp.zeros_like(p, dtype=dt, shape=sh))
        C.jax("fullLike", [p, 2.7], kw, lambda: jnp.full_like(p, 2.7, dtype=dt, shape=sh))
C.jax("zerosLike", [1.5], {}, lambda: jnp.zeros_like(1.5))
C.jax("onesLike", [3], {}, lambda: jnp.ones_like(3))

ARANGE = [
    ([5], {}), ([0], {}), ([-2], {}), ([2.5], {}), ([2, 7], {}), ([7, 2], {}), ([1, 10, 3], {}), ([10, 1, -3], {}),
    ([0.5, 3], {}), ([0, 1, 0.1], {}), ([1, 2, 0.25], {}), ([5], {"dtype": "float32"}), ([3], {"dtype": "uint8"}),
    ([0, 5, 0.5], {"dtype": "float16"}), ([0.5, 4], {"dtype": "int32"}), ([-1, 1, 0.3], {}), ([3, 3], {}),
]
for args, kw in ARANGE:
    dt = kw.get("dtype")
    C.jax("arange", args, kw, lambda: jnp.arange(*args, dtype=dt), lambda: np.arange(*args, dtype=dt), note=str(args))
C.np("arange", [0, 1, 0.1], {"dtype": "float64"}, lambda: np.arange(0, 1, 0.1, dtype=np.float64))
C.jax("arange", [np.int8(5)], {}, lambda: jnp.arange(np.int8(5)))

LIN = [
    (0, 1, 5, {}), (0, 1, 50, {}), (1, 0, 4, {}), (0, 10, 5, {"endpoint": False}), (2, 3, 1, {}), (2, 3, 1, {"endpoint": False}),
    (2, 3, 0, {}), (0, 10, 7, {"dtype": "int32"}), (-5, 5, 6, {"dtype": "int32"}), (0, 1, 4, {"dtype": "float16"}),
    (np.array([0.0, 1.0], np.float32), np.array([1.0, 3.0], np.float32), 3, {}),
    (np.array([0.0, 1.0], np.float32), 5.0, 3, {"axis": -1}),
    (np.array([[0.0], [1.0]], np.float32), np.array([1.0, 2.0, 3.0], np.float32), 4, {"axis": 1}),
    (0, np.array([1, 2], np.int32), 3, {"axis": 0}),
]
for start, stop, num, kw in LIN:
    jkw = {k: v for k, v in kw.items()}
    C.jax("linspace", [start, stop, num], kw, lambda: jnp.linspace(start, stop, num, **jkw),
          lambda: np.linspace(start, stop, num, **jkw).astype(kw.get("dtype") or "float32") if kw.get("dtype") != "int32" else None,
          note=f"{start} {stop} {num} {kw}")
for start, stop, num, ep in [(0, 1, 5, True), (0, 10, 4, False), (2, 3, 1, False), (2, 3, 1, True)]:
    out = jnp.linspace(start, stop, num, endpoint=ep, retstep=True)
    C.add("linspaceRetstep", [start, stop, num], {"endpoint": ep, "retstep": True}, list(out), weak_of(list(out)))
C.np("linspace", [np.float64(0), np.float64(1), 7], {"dtype": "float64"}, lambda: np.linspace(0, 1, 7))

for start, stop, num, kw in [(0, 2, 3, {}), (0, 3, 4, {"base": 2.0}), (1, 0, 5, {"endpoint": False}), (0, 2, 3, {"dtype": "int32"}),
                             (np.array([0.0, 1.0], np.float32), 2.0, 3, {"axis": -1})]:
    C.jax("logspace", [start, stop, num], kw, lambda: jnp.logspace(start, stop, num, **kw),
          lambda: np.logspace(start, stop, num, **kw), note=f"{start} {stop} {kw}")
for start, stop, num, kw in [(1, 1000, 4, {}), (-1, -16, 5, {}), (2, 32, 5, {"endpoint": False}),
                             (np.array([1.0, 2.0], np.float32), np.array([16.0, 32.0], np.float32), 5, {"axis": 1})]:
    C.jax("geomspace", [start, stop, num], kw, lambda: jnp.geomspace(start, stop, num, **kw),
          lambda: np.geomspace(start, stop, num, **kw), note=f"{start} {stop} {kw}")

for args, kw in [([3], {}), ([2, 4], {}), ([4, 3], {"k": 1}), ([4], {"k": -2}), ([3], {"k": 5}), ([3, 3], {"dtype": "int32"}),
                 ([0], {}), ([2, 3], {"dtype": "bool", "k": -1})]:
    jkw = dict(kw)
    C.jax("eye", args, kw, lambda: jnp.eye(*args, **jkw), lambda: np.eye(*args, **{k: v for k, v in jkw.items()}))
C.jax("identity", [3], {}, lambda: jnp.identity(3), lambda: np.identity(3))
C.jax("identity", [2], {"dtype": "int8"}, lambda: jnp.identity(2, dtype="int8"))
for args in [[3], [3, 5], [4, 2, 1], [3, 4, -1], [3, None, -5]]:
    C.jax("tri", args, {}, lambda: jnp.tri(*args), lambda: np.tri(*args))
C.jax("tri", [2, 3, 0], {"dtype": "int32"}, lambda: jnp.tri(2, 3, 0, dtype="int32"))
for dt in ["float32", "int32", "bool", "float64"]:
    m = data((2, 3, 4), dt)
    for k in [0, 1, -1, 5]:
        C.np("tril", [m, k], {}, lambda: np.tril(m, k))
        C.np("triu", [m, k], {}, lambda: np.triu(m, k))
v1 = data((3,), "float32")
m2 = data((3, 4), "int32")
for k in [0, 1, -2]:
    C.np("diag", [v1, k], {}, lambda: np.diag(v1, k))
    C.np("diag", [m2, k], {}, lambda: np.diag(m2, k))
    C.np("diagflat", [m2[:2, :2], k], {}, lambda: np.diagflat(m2[:2, :2], k))
m3 = data((3, 4, 5), "float64")
for off, a1, a2 in [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (2, 1, 2), (0, -1, 0), (-3, 2, 0), (7, 0, 1)]:
    C.np("diagonal", [m3, off, a1, a2], {}, lambda: np.diagonal(m3, off, a1, a2))
    C.np("trace", [m3, off, a1, a2], {}, lambda: np.trace(m3, off, a1, a2))
mi8 = data((3, 3), "int8")
C.jax("trace", [mi8], {}, lambda: jnp.trace(mi8), lambda: np.trace(mi8))
C.jax("trace", [mi8, 0, 0, 1], {"dtype": "float32"}, lambda: jnp.trace(mi8, dtype="float32"))
C.jax("trace", [data((2, 2), "bool")], {}, lambda: jnp.trace(np.array([[True, True], [False, True]])),
      lambda: np.trace(np.array([[True, True], [False, True]])))
C.cases[-1]["args"] = enc_arg([np.array([[True, True], [False, True]])])

xs = [np.arange(3, dtype=np.float32), np.arange(4, dtype=np.int32) * 10, np.array([5.0, 6.0], np.float32)]
for n in [1, 2, 3]:
    for indexing in ["xy", "ij"]:
        for sparse in [False, True]:
            args = xs[:n]
            C.jax("meshgrid", args, {"indexing": indexing, "sparse": sparse},
                  lambda: jnp.meshgrid(*args, indexing=indexing, sparse=sparse),
                  lambda: np.meshgrid(*args, indexing=indexing, sparse=sparse))
for dims, kw in [([2, 3], {}), ([3], {}), ([2, 1, 3], {"dtype": "float32"}), ([2, 3], {"sparse": True}), ([], {})]:
    C.jax("indices", [dims], kw, lambda: jnp.indices(tuple(dims), dtype=kw.get("dtype"), sparse=kw.get("sparse", False)),
          lambda: np.indices(tuple(dims), sparse=kw.get("sparse", False)))

for x, dt in [(np.array([1.7, -2.2, 300.5], np.float32), "int32"), (np.array([1, 0, 2], np.int32), "bool"),
              (np.array([1, 2], np.int8), None), (np.array([True, False]), "float16")]:
    C.jax("astype", [x, dt], {}, lambda: jnp.astype(x, dt), lambda: x.astype(dt or "float32"))
# fromfunction: the TypeScript test maps each name to the same function of the coordinates.
FROMFN = {"i+2j": lambda i, j: i + 2 * j, "i*j-k": lambda i, j, k: i * j - k, "sq": lambda i: i * i}
for name, shape, dt in [("i+2j", (2, 3), None), ("i*j-k", (2, 3, 2), "int32"), ("sq", (4,), None), ("i+2j", (0, 2), None)]:
    f = FROMFN[name]
    C.jax(f"fromfunction.{name}", [list(shape)], {} if dt is None else {"dtype": dt},
          lambda: jnp.fromfunction(f, shape, dtype=dt or float), lambda: np.fromfunction(f, shape, dtype=dt or float))

common.write("creation", C.cases)

# ---------------------------------------------------------------------------
# Manipulation

M = Cases()


def several(shape):
    return [data(shape, dt) for dt in DTYPES]


for x in several((2, 3, 4)):
    M.np("reshape", [x, [4, -1]], {}, lambda: x.reshape(4, -1))
    M.np("reshape", [x, [6, 4]], {"order": "F"}, lambda: x.reshape((6, 4), order="F"))
    M.np("ravel", [x], {}, lambda: x.ravel())
    M.np("ravel", [x], {"order": "F"}, lambda: x.ravel(order="F"))
    M.np("transpose", [x], {}, lambda: x.transpose())
    M.np("transpose", [x, [1, 0, 2]], {}, lambda: x.transpose(1, 0, 2))
    M.np("swapaxes", [x, 0, -1], {}, lambda: np.swapaxes(x, 0, -1))
    M.np("moveaxis", [x, 0, -1], {}, lambda: np.moveaxis(x, 0, -1))
    M.np("moveaxis", [x, [0, 1], [2, 0]], {}, lambda: np.moveaxis(x, [0, 1], [2, 0]))
    M.np("rollaxis", [x, 2, 0], {}, lambda: np.rollaxis(x, 2, 0))
    M.np("rollaxis", [x, 0, 3], {}, lambda: np.rollaxis(x, 0, 3))
    M.np("expandDims", [x, [0, -1]], {}, lambda: np.expand_dims(x, (0, -1)))
    M.np("flip", [x], {}, lambda: np.flip(x))
    M.np("flip", [x, [0, 2]], {}, lambda: np.flip(x, (0, 2)))
    M.np("fliplr", [x], {}, lambda: np.fliplr(x))
    M.np("flipud", [x], {}, lambda: np.flipud(x))
    M.np("roll", [x, 2], {}, lambda: np.roll(x, 2))
    M.np("roll", [x, -1, 1], {}, lambda: np.roll(x, -1, 1))
    M.np("roll", [x, [1, 5], [0, 2]], {}, lambda: np.roll(x, (1, 5), (0, 2)))
    for k in [-1, 0, 1, 2, 3, 5]:
        M.np("rot90", [x, k], {}, lambda: np.rot90(x, k))
    M.np("rot90", [x, 1, [2, 0]], {}, lambda: np.rot90(x, 1, (2, 0)))
    M.np("tile", [x, 2], {}, lambda: np.tile(x, 2))
    M.np("tile", [x, [2, 1, 1, 2]], {}, lambda: np.tile(x, (2, 1, 1, 2)))
    M.np("repeat", [x, 2], {}, lambda: np.repeat(x, 2))
    M.np("repeat", [x, 3], {"axis": 1}, lambda: np.repeat(x, 3, axis=1))
    M.np("repeat", [x, [1, 0, 2]], {"axis": -2}, lambda: np.repeat(x, [1, 0, 2], axis=-2))
    M.np("split", [x, 2], {"axis": 2}, lambda: np.split(x, 2, axis=2))
    M.np("split", [x, [1, 3]], {"axis": -1}, lambda: np.split(x, [1, 3], axis=-1))
    M.np("arraySplit", [x, 3], {"axis": 2}, lambda: np.array_split(x, 3, axis=2))
    M.np("unstack", [x], {"axis": 1}, lambda: list(np.moveaxis(x, 1, 0)))
    M.np("resize", [x, [5, 7]], {}, lambda: np.resize(x, (5, 7)))
    M.np("append", [x, x[:1]], {"axis": 0}, lambda: np.append(x, x[:1], axis=0))
    M.np("append", [x, x[:, :, :1]], {}, lambda: np.append(x, x[:, :, :1]))
    M.np("squeeze", [x[:, :1, :1]], {}, lambda: np.squeeze(x[:, :1, :1]))
    M.np("squeeze", [x[:, :1, :1], -1], {}, lambda: np.squeeze(x[:, :1, :1], -1))
    M.np("broadcastTo", [x[:, :1], [3, 2, 5, 4]], {}, lambda: np.broadcast_to(x[:, :1], (3, 2, 5, 4)))

for dt in ["float32", "int32", "bool", "float64", "uint8"]:
    a = data((2, 3), dt)
    b = data((4, 3), dt)
    M.np("concatenate", [[a, b]], {}, lambda: np.concatenate([a, b]))
    M.np("concatenate", [[a, b[:2]], -1], {}, lambda: np.concatenate([a, b[:2]], -1))
    M.np("concatenate", [[a, b], None], {}, lambda: np.concatenate([a, b], None))
    M.np("stack", [[a, a]], {}, lambda: np.stack([a, a]))
    M.np("stack", [[a, a, a], -1], {}, lambda: np.stack([a, a, a], -1))
    M.np("hstack", [[a, a]], {}, lambda: np.hstack([a, a]))
    M.np("vstack", [[a, b]], {}, lambda: np.vstack([a, b]))
    M.np("dstack", [[a, a]], {}, lambda: np.dstack([a, a]))
    M.np("columnStack", [[a[0], a[1]]], {}, lambda: np.column_stack([a[0], a[1]]))
    M.np("hstack", [[a[0], a[1][:2]]], {}, lambda: np.hstack([a[0], a[1][:2]]))
    M.np("vstack", [[a[0], a[1]]], {}, lambda: np.vstack([a[0], a[1]]))
    M.np("dstack", [[a[0], a[1]]], {}, lambda: np.dstack([a[0], a[1]]))
    M.np("hsplit", [b, 3], {}, lambda: np.hsplit(b, 3))
    M.np("vsplit", [b, [1, 3]], {}, lambda: np.vsplit(b, [1, 3]))
    M.np("dsplit", [b.reshape(2, 1, 6), 2], {}, lambda: np.dsplit(b.reshape(2, 1, 6), 2))
    M.np("atleast1d", [a[0, 0]], {}, lambda: np.atleast_1d(a[0, 0]))
    M.np("atleast2d", [a[0]], {}, lambda: np.atleast_2d(a[0]))
    M.np("atleast3d", [a[0]], {}, lambda: np.atleast_3d(a[0]))
    M.np("atleast3d", [a], {}, lambda: np.atleast_3d(a))
    M.np("atleast3d", [a[0, 0]], {}, lambda: np.atleast_3d(a[0, 0]))
    M.np("insert", [b, 1, a[0]], {"axis": 0}, lambda: np.insert(b, 1, a[0], axis=0))
    M.np("insert", [b, [0, 2, 2], a[0].reshape(3, 1)], {"axis": 0}, lambda: np.insert(b, [0, 2, 2], a[0].reshape(3, 1), axis=0))
    M.np("insert", [b, [0, 2, 2], a[0]], {"axis": 0}, lambda: np.insert(b, [0, 2, 2], a[0].reshape(1, 3), axis=0))
    M.np("insert", [a, -1, b[:, 0][:2]], {"axis": 1}, lambda: np.insert(a, -1, b[:, 0][:2], axis=1))
    M.np("insert", [a, {"start": 0, "stop": 3, "step": 2}, a[0, 0]], {"axis": 1},
         lambda: np.insert(a, slice(0, 3, 2), a[0, 0], axis=1))
    M.np("insert", [a, 3, a[1]], {}, lambda: np.insert(a, 3, a[1]))
    M.np("delete", [b, 1], {"axis": 0}, lambda: np.delete(b, 1, axis=0))
    M.np("delete", [b, -1], {"axis": 1}, lambda: np.delete(b, -1, axis=1))
    M.np("delete", [b, [0, 2, 2]], {"axis": 0}, lambda: np.delete(b, [0, 2, 2], axis=0))
    M.np("delete", [b, {"start": 1, "stop": None, "step": 2}], {"axis": 0}, lambda: np.delete(b, slice(1, None, 2), axis=0))
    M.np("delete", [b, [True, False, True]], {"axis": 1}, lambda: np.delete(b, [True, False, True], axis=1))
    M.np("delete", [b, [3, 0]], {}, lambda: np.delete(b, [3, 0]))
    M.np("deleteUnique", [b, np.array([2, 0], np.int32)], {"axis": 0}, lambda: np.delete(b, [2, 0], axis=0))
    M.np("deleteUnique", [b, np.array([-1], np.int32)], {"axis": 1}, lambda: np.delete(b, [-1], axis=1))

# block, trim_zeros, apply_along_axis, apply_over_axes
b1, b2 = data((2, 2), "float32"), data((2, 3), "float32")
b3, b4 = data((1, 2), "float32"), data((1, 3), "float32")
for blocks in [[b1, b2], [[b1, b2], [b3, b4]], [np.float32(1.0), data((3,), "float32")], [[[b1]], [[b1]]]]:
    M.jax("block", [blocks], {}, lambda: jnp.block(blocks), lambda: np.block(blocks))
tz = np.array([0, 0, 1.5, 0, 2, 0, 0], np.float32)
tz2 = np.array([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]], np.int32)
for arg, trim, axis in [(tz, "fb", None), (tz, "f", None), (tz, "b", None), (tz2, "fb", None), (tz2, "fb", 1), (np.zeros(3, np.float32), "fb", None)]:
    kw = {} if axis is None else {"axis": axis}
    M.jax("trimZeros", [arg, trim], kw, lambda: jnp.trim_zeros(arg, trim, axis=axis))
aa = data((2, 3, 4), "float32")
AALONG = {"cumsum": np.cumsum, "sort": np.sort, "outer": lambda v: np.outer(v, v)}
JALONG = {"cumsum": jnp.cumsum, "sort": jnp.sort, "outer": lambda v: jnp.outer(v, v)}
for name in AALONG:
    for axis in [0, 1, -1]:
        M.jax(f"applyAlongAxis.{name}", [axis, aa], {}, lambda: jnp.apply_along_axis(JALONG[name], axis, aa),
              lambda: np.apply_along_axis(AALONG[name], axis, aa))
for axes in [[0], [0, 2], [-1, 1]]:
    M.jax("applyOverAxes.sum", [aa, axes], {}, lambda: jnp.apply_over_axes(jnp.sum, aa, axes), lambda: np.apply_over_axes(np.sum, aa, axes))

# Promotion across inputs (jnp's lattice: these agree with NumPy's for the cases below).
pi = np.arange(3, dtype=np.int32)
pf = data((2,), "float32")
pb = np.array([True, False])
pu = np.array([200, 3], np.uint8)
pi8 = np.array([-3, 7], np.int8)
M.jax("concatenate", [[pi, pf]], {}, lambda: jnp.concatenate([pi, pf]), lambda: np.concatenate([pi, pf]).astype(np.float32))
M.jax("concatenate", [[pb, pi8]], {}, lambda: jnp.concatenate([pb, pi8]), lambda: np.concatenate([pb, pi8]))
M.jax("concatenate", [[pu, pi8]], {}, lambda: jnp.concatenate([pu, pi8]), lambda: np.concatenate([pu, pi8]))
M.jax("stack", [[pu, pf]], {}, lambda: jnp.stack([pu, pf]))
M.jax("concatenate", [[pi, pf]], {"dtype": "int8"}, lambda: jnp.concatenate([pi, pf], dtype="int8"))
M.jax("broadcastArrays", [np.arange(3, dtype=np.float32), np.ones((2, 1), np.int32)], {},
      lambda: jnp.broadcast_arrays(np.arange(3, dtype=np.float32), np.ones((2, 1), np.int32)),
      lambda: np.broadcast_arrays(np.arange(3, dtype=np.float32), np.ones((2, 1), np.int32)))

# repeat: array repeats with and without totalRepeatLength (JAX pads with the last element / truncates).
rx = data((3, 2), "float32")
M.jax("repeat", [rx, np.array([2, 0, 3], np.int32)], {"axis": 0}, lambda: jnp.repeat(rx, np.array([2, 0, 3]), axis=0),
      lambda: np.repeat(rx, [2, 0, 3], axis=0))
for total in [5, 7, 3]:
    M.jax("repeat", [rx, np.array([2, 0, 3], np.int32)], {"axis": 0, "totalRepeatLength": total},
          lambda: jnp.repeat(rx, np.array([2, 0, 3]), axis=0, total_repeat_length=total))
M.jax("repeat", [rx, 2], {"axis": 1, "totalRepeatLength": 4}, lambda: jnp.repeat(rx, 2, axis=1, total_repeat_length=4),
      lambda: np.repeat(rx, 2, axis=1))
M.jax("repeat", [np.float32(1.5), 3], {}, lambda: jnp.repeat(np.float32(1.5), 3), lambda: np.repeat(np.float32(1.5), 3))
M.jax("repeat", [rx, 0], {"axis": 0}, lambda: jnp.repeat(rx, 0, axis=0), lambda: np.repeat(rx, 0, axis=0))

# tile / roll / split corner cases
t1 = data((3,), "int32")
M.np("tile", [t1, [2, 2]], {}, lambda: np.tile(t1, (2, 2)))
M.np("tile", [t1, 0], {}, lambda: np.tile(t1, 0))
M.np("roll", [t1, 7], {}, lambda: np.roll(t1, 7))
M.np("roll", [np.zeros((0, 3), np.float32), 1, 0], {}, lambda: np.roll(np.zeros((0, 3), np.float32), 1, 0))
M.np("split", [np.arange(6, dtype=np.int32), [2, 10]], {}, lambda: np.split(np.arange(6, dtype=np.int32), [2, 10]))
M.np("split", [np.arange(6, dtype=np.int32), [4, 2]], {}, lambda: np.split(np.arange(6, dtype=np.int32), [4, 2]))
M.np("arraySplit", [np.arange(7, dtype=np.float32), 3], {}, lambda: np.array_split(np.arange(7, dtype=np.float32), 3))
M.np("resize", [t1, [2, 2]], {}, lambda: np.resize(t1, (2, 2)))
M.jax("resize", [np.zeros(0, np.float32), [2]], {}, lambda: jnp.resize(np.zeros(0, np.float32), (2,)))
M.np("broadcastShapes", [[2, 1, 3], [4, 1], []], {}, lambda: np.array(np.broadcast_shapes((2, 1, 3), (4, 1), ()), np.int32))

# pad: every mode, several widths and dtypes
PAD_WIDTHS = [1, [2, 1], [[1, 2], [0, 3]], [[0, 0], [4, 5]]]
def pad_case(dt, args, kw, jax_fn, np_fn, note=""):
    """float64 comes from NumPy (JAX runs with x64 off); other dtypes from JAX, cross-checked with NumPy."""
    if dt == "float64":
        M.np("pad", args, kw, np_fn, note)
    else:
        M.jax("pad", args, kw, jax_fn, np_fn, note)
        if dt == "float16" and kw.get("mode") == "linear_ramp":
            # XLA computes float16 chains in float32 and rounds once; we round every step.
            M.cases[-1]["tol"] = 1e-2


for dt in ["float32", "int32", "float64", "uint8", "float16"]:
    x = data((3, 4), dt, lo=0.0, hi=9.0)
    for w in PAD_WIDTHS:
        for mode in ["constant", "edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean", "median", "linear_ramp", "empty"]:
            if mode == "empty":
                M.np("pad", [x, w], {"mode": mode}, lambda: np.pad(x, w, mode="constant"))
                continue
            if mode in ("mean", "median") and dt in ("float16",):
                continue
            pad_case(dt, [x, w], {"mode": mode}, lambda: jnp.pad(x, w, mode=mode),
                     lambda: np.pad(x, w, mode=mode) if not (mode in ("mean", "median") and dt in ("int32", "uint8")) else None,
                     note=f"{dt} {w} {mode}")
    pad_case(dt, [x, [[1, 2], [3, 1]]], {"mode": "constant", "constantValues": [[-1, 2], [3, 4]]},
             lambda: jnp.pad(x, [[1, 2], [3, 1]], constant_values=np.array([[-1, 2], [3, 4]])),
             lambda: np.pad(x, [[1, 2], [3, 1]], constant_values=[[-1, 2], [3, 4]]) if dt != "uint8" else None)
    pad_case(dt, [x, 2], {"mode": "constant", "constantValues": 7}, lambda: jnp.pad(x, 2, constant_values=7),
             lambda: np.pad(x, 2, constant_values=7))
    pad_case(dt, [x, [[2, 3], [1, 4]]], {"mode": "linear_ramp", "endValues": [[5, -1], [0, 2]]},
             lambda: jnp.pad(x, [[2, 3], [1, 4]], mode="linear_ramp", end_values=((5, -1), (0, 2))),
             lambda: np.pad(x, [[2, 3], [1, 4]], mode="linear_ramp", end_values=((5, -1), (0, 2))) if dt in ("float64",) else None)
    for mode in ["maximum", "minimum", "mean"]:
        pad_case(dt, [x, [[2, 3], [1, 4]]], {"mode": mode, "statLength": [[1, 2], [3, 1]]},
                 lambda: jnp.pad(x, [[2, 3], [1, 4]], mode=mode, stat_length=((1, 2), (3, 1))),
                 lambda: np.pad(x, [[2, 3], [1, 4]], mode=mode, stat_length=((1, 2), (3, 1))) if dt in ("float64", "float32") else None)
    if dt in ("float32", "float64", "int32"):
        for mode in ["reflect", "symmetric"]:
            pad_case(dt, [x, [[5, 7], [9, 2]]], {"mode": mode, "reflectType": "odd"},
                     lambda: jnp.pad(x, [[5, 7], [9, 2]], mode=mode, reflect_type="odd"),
                     lambda: np.pad(x, [[5, 7], [9, 2]], mode=mode, reflect_type="odd") if dt != "int32" else None)
x1 = data((1, 3), "float32")
for mode in ["reflect", "symmetric", "wrap", "edge"]:
    M.jax("pad", [x1, [[2, 3], [7, 4]]], {"mode": mode}, lambda: jnp.pad(x1, [[2, 3], [7, 4]], mode=mode),
          lambda: np.pad(x1, [[2, 3], [7, 4]], mode=mode))
xnan = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]], np.float32)
for mode in ["maximum", "mean", "median"]:
    M.jax("pad", [xnan, 1], {"mode": mode}, lambda: jnp.pad(xnan, 1, mode=mode), lambda: np.pad(xnan, 1, mode=mode))
M.jax("pad", [np.zeros((0, 2), np.float32), [[0, 0], [1, 1]]], {"mode": "edge"},
      lambda: jnp.pad(np.zeros((0, 2), np.float32), [[0, 0], [1, 1]], mode="edge"))
M.jax("pad", [np.float32(3.0), 2], {}, lambda: jnp.pad(np.float32(3.0), 2))

common.write("manipulation", M.cases)

# ---------------------------------------------------------------------------
# Indexing: reads (x.get), updates (x.at), and the indexing functions


def to_py_index(items):
    out = []
    for it in items:
        if it is None:
            out.append(None)
        elif isinstance(it, str):
            out.extend(parse_str(it))
        elif isinstance(it, dict):
            out.append(slice(it.get("start"), it.get("stop"), it.get("step")))
        elif isinstance(it, list):
            out.append(np.array(it, dtype=None if it else np.int32))
        else:
            out.append(it)
    return tuple(out)


def parse_str(s):
    toks = [t.strip() for t in s.split(",")]
    if len(toks) > 1 and toks[-1] == "":
        toks.pop()
    res = []
    for t in toks:
        if t == "...":
            res.append(Ellipsis)
        elif t in ("None", "newaxis"):
            res.append(None)
        elif ":" in t:
            parts = [None if p.strip() == "" else int(p) for p in t.split(":")]
            res.append(slice(*parts))
        else:
            res.append(int(t))
    return res


I = Cases()
x3 = data((3, 4, 5), "float32")
GET = [
    [1], [-1], [0, 2], [-1, -2, -3], ["1:3"], ["::-1"], [":, 0"], ["..., None"], ["1:3, ..., None"], ["::2, 1:"],
    [{"start": 1, "stop": None, "step": 2}], [{"start": None, "stop": None, "step": -2}], [None, 1], ["...", 1],
    [1, "...", 2], ["5:1:-2, :, 4::-3"], ["-10:10"], ["3:1"], ["1:", None, "::-1", None],
    [[0, 2]], [[2, 0, 2, -1]], [[[0, 1], [2, 2]]], [[0, 2], [1, 3]], [":", [0, 2]], [":", [[0], [3]], [1, 2, 4]],
    [[0, 2], ":", [1, 4]], [[0, 2], "1:3", [1, 4]], [1, None, [0, 3]], ["::2", [0, 1]], [[1], 0, [0, 4]],
    [[], ":"], ["...", [4, 0]], [[0, 1], None, [2, 3], None],
    [[True, False, True]], [":", [False, True, True, False]], [[[True, False, False, True, True]] * 3 + [], 0],
    [True], [False], [1, True], [[True, False, True], 0, "1:3"],
]
for idx in GET:
    if idx == [[[True, False, False, True, True]] * 3 + [], 0]:
        continue
    py = to_py_index(idx)
    I.jax("get", [x3, *idx], {}, lambda: jnp.asarray(x3)[tuple(jnp.asarray(i) if isinstance(i, np.ndarray) else i for i in py)], lambda: x3[py],
          note=str(idx))
mask2 = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
I.jax("get", [x3, mask2], {}, lambda: jnp.asarray(x3)[mask2], lambda: x3[mask2])
I.jax("get", [x3, ":", mask2[0]], {}, lambda: jnp.asarray(x3)[:, mask2[0]], lambda: x3[:, mask2[0]])
I.jax("get", [x3, np.array([2, 0], np.uint8), "::-1"], {}, lambda: jnp.asarray(x3)[np.array([2, 0], np.uint8), ::-1], lambda: x3[np.array([2, 0], np.uint8), ::-1])
I.jax("get", [x3, np.array(2, np.int8)], {}, lambda: jnp.asarray(x3)[np.array(2, np.int8)], lambda: x3[2])
I.jax("get", [x3, np.array(-1, np.int32), 1], {}, lambda: jnp.asarray(x3)[np.array(-1, np.int32), 1], lambda: x3[-1, 1])
for dt in ["int8", "bool", "float16", "uint32", "float64"]:
    y = data((4, 3), dt)
    for idx in [[1], ["::-1, 1"], [[3, 0, 0]], [":", [2, -1]], [y.shape[0] - 1, None]]:
        py = to_py_index(idx)
        I.np("get", [y, *idx], {}, lambda: y[py], note=f"{dt} {idx}")
# Out of bounds: reads clamp (static ints via dynamic_slice, arrays via gather).
x2 = jnp.asarray(data((4, 3), "float32"))
for idx in [[10], [-10], [1, 7], [np.array([5, -7, 1], np.int32)], [np.array(9, np.int32)], ["5:9"]]:
    py = tuple(jnp.asarray(i) if isinstance(i, np.ndarray) else (slice(5, 9) if i == "5:9" else i) for i in idx)
    I.jax("get", [x2, *idx], {}, lambda: x2[py], note=str(idx))
for mode, fill in [("fill", None), ("fill", -1.0), ("clip", None), ("promise_in_bounds", None), ("drop", 2.5)]:
    for idx in [[np.array([5, -7, 1, -1], np.int32)], [1, 7], [np.array([[0, 3], [4, 1]], np.int32), ":"]]:
        py = tuple(jnp.asarray(i) if isinstance(i, np.ndarray) else slice(None) if i == ":" else i for i in idx)
        kw = {"mode": mode}
        if fill is not None:
            kw["fillValue"] = fill
        I.jax("at.get", [x2, *idx], kw, lambda: x2.at[py].get(mode=mode, fill_value=fill), note=f"{idx} {mode}")
xi = np.arange(12, dtype=np.int32).reshape(4, 3)
I.jax("at.get", [xi, 9], {"mode": "fill"}, lambda: jnp.asarray(xi).at[9].get(mode="fill"))
I.jax("at.get", [xi.astype(np.uint8), np.array([9, 0], np.int32)], {"mode": "fill"}, lambda: jnp.asarray(xi.astype(np.uint8)).at[np.array([9, 0])].get(mode="fill"))
I.jax("at.get", [xi > 5, 9], {"mode": "fill"}, lambda: jnp.asarray(xi > 5).at[9].get(mode="fill"))
I.jax("at.get", [x2, -1], {"wrapNegativeIndices": False, "mode": "fill"}, lambda: x2.at[-1].get(wrap_negative_indices=False, mode="fill"))

# Updates
UPD = [
    ([1], 5.0), ([-1, 2], -3.0), (["1:3"], np.array([1.0, 2.0, 3.0], np.float32)), ([":", 0], np.array([9.0, 8.0, 7.0, 6.0], np.float32)),
    ([np.array([0, 0, 2], np.int32)], 1.5), ([np.array([0, 0, 2], np.int32), np.array([1, 1, 1], np.int32)], np.array([1.0, 2.0, 4.0], np.float32)),
    ([np.array([5, -1, 9, -9], np.int32)], 2.0), (["::-2", 1], np.array([1.0, 2.0], np.float32)), ([None, 2], 3.0),
    ([np.array([[0], [2]], np.int32), np.array([0, 2], np.int32)], np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)),
    (["...", 1], 0.5), ([True, 1], 4.0), ([np.array([True, False, True, True])], -1.0), ([7], 1.0), ([1, -5], 2.0),
]
OPS = ["set", "add", "subtract", "multiply", "divide", "power", "min", "max"]
for idx, val in UPD:
    py = tuple(jnp.asarray(i) if isinstance(i, np.ndarray) else (to_py_index([i]) if isinstance(i, str) else (i,)) [0] if isinstance(i, str) else i for i in idx)
    for op in OPS:
        def run(op=op):
            ref = x2.at[py]
            return getattr(ref, op)(val)
        np_fn = None
        if op in ("set", "add", "subtract", "multiply", "divide", "min", "max") and not any(isinstance(i, np.ndarray) and i.dtype != bool for i in idx) and not (len(idx) <= 2 and all(isinstance(i, (int, bool)) for i in idx) and idx in ([7], [1, -5], [True, 1])):
            def np_fn(op=op):
                y = np.array(x2, np.float64)
                f = {"set": lambda a, b: b, "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide,
                     "min": np.minimum, "max": np.maximum}[op]
                key = tuple(k for i in idx for k in (parse_str(i) if isinstance(i, str) else [i]))
                y[key] = f(y[key], val)
                return y
        I.jax(f"at.{op}", [x2, *idx, val], {}, run, np_fn, note=f"{idx} {op}")
for mode in ["clip", "drop", "promise_in_bounds"]:
    for op in ["set", "add", "max"]:
        idx = (np.array([5, -1, 9, 1], np.int32),)
        I.jax(f"at.{op}", [x2, *idx, 2.0], {"mode": mode}, lambda: getattr(x2.at[jnp.asarray(idx[0])], op)(2.0, mode=mode), note=mode)
I.jax("at.set", [x2, -1, 7.0], {"mode": "drop", "wrapNegativeIndices": False},
      lambda: x2.at[-1].set(7.0, mode="drop", wrap_negative_indices=False))
# Promotion: int32 array updated with floats (computed in float32, cast back), uint8 wraparound, bool.
I.jax("at.set", [xi, 1, 2.7], {}, lambda: jnp.asarray(xi).at[1].set(2.7))
I.jax("at.add", [xi, np.array([0, 0], np.int32), 1.6], {}, lambda: jnp.asarray(xi).at[np.array([0, 0])].add(1.6))
I.jax("at.divide", [xi, 2, 4], {}, lambda: jnp.asarray(xi).at[2].divide(4))
I.jax("at.power", [xi, 1, 2], {}, lambda: jnp.asarray(xi).at[1].power(2))
I.jax("at.add", [xi.astype(np.uint8), 0, 250], {}, lambda: jnp.asarray(xi.astype(np.uint8)).at[0].add(250))
I.jax("at.multiply", [xi.astype(np.int8), np.array([3, 3, 3], np.int32), 5], {}, lambda: jnp.asarray(xi.astype(np.int8)).at[np.array([3, 3, 3])].multiply(5))
I.jax("at.set", [xi > 5, ":, 1", True], {}, lambda: jnp.asarray(xi > 5).at[:, 1].set(True))
I.jax("at.max", [xi > 5, 0, True], {}, lambda: jnp.asarray(xi > 5).at[0].max(True))
I.jax("at.min", [xi, np.array([1, 1, 2], np.int32), np.array([[3], [0], [100]], np.int32)], {},
      lambda: jnp.asarray(xi).at[np.array([1, 1, 2])].min(np.array([[3], [0], [100]], np.int32)))
I.jax("at.set", [np.zeros(0, np.float32), np.array([], np.int32), 1.0], {}, lambda: jnp.zeros(0).at[jnp.array([], jnp.int32)].set(1.0))
I.jax("at.add", [x2, np.array([], np.int32), 1.0], {}, lambda: x2.at[jnp.array([], jnp.int32)].add(1.0))
# apply: the function is applied once per hit (repeated indices apply it repeatedly).
I.jax("at.apply.square", [x2, np.array([0, 0, 2], np.int32)], {}, lambda: x2.at[np.array([0, 0, 2])].apply(lambda v: v * v))
I.jax("at.apply.neg", [x2, ":, 1"], {}, lambda: x2.at[:, 1].apply(lambda v: -v))
I.jax("at.apply.neg", [x2, np.array([1, 7], np.int32)], {}, lambda: x2.at[np.array([1, 7])].apply(lambda v: -v))
I.jax("at.apply.square", [x2, np.array([3, 9, 3, 3], np.int32)], {"mode": "clip"},
      lambda: x2.at[np.array([3, 9, 3, 3])].apply(lambda v: v * v, mode="clip"))

# take
tx = data((3, 4), "float32")
for idx, axis, kw in [
    (np.array([0, 5, -1, -6], np.int32), None, {}), (np.array([[1, 0], [3, 9]], np.int32), 1, {}),
    (np.array([1, 4, -5], np.int32), 0, {"mode": "clip"}), (np.array([1, 4, -5, 7], np.int32), 1, {"mode": "wrap"}),
    (np.array([7, 0], np.int32), 0, {"mode": "fill", "fillValue": -2.0}), (np.array(2, np.int32), 1, {}),
    (np.array([], np.int32), 1, {}), (np.array([2, 0], np.uint8), -1, {}),
]:
    jkw = {("fill_value" if k == "fillValue" else k): v for k, v in kw.items()}
    np_fn = None
    if kw.get("mode") in ("clip", "wrap") or np.all((idx >= -tx.shape[axis or 0] if axis is not None else idx >= -tx.size)):
        np_fn = None
    I.jax("take", [tx, idx, axis], kw, lambda: jnp.take(tx, idx, axis=axis, **jkw), note=f"{idx} {axis} {kw}")
I.jax("take", [tx, np.array([0, 2], np.int32), 1], {}, lambda: jnp.take(tx, np.array([0, 2]), axis=1),
      lambda: np.take(tx, [0, 2], axis=1))
for dt in ["int32", "uint8", "bool"]:
    ti = data((5,), dt)
    I.jax("take", [ti, np.array([4, 9, -1], np.int32), None], {}, lambda: jnp.take(ti, np.array([4, 9, -1])))

# take_along_axis / put_along_axis
ta = data((3, 4, 2), "float32")
order = np.argsort(ta, axis=1).astype(np.int32)
I.jax("takeAlongAxis", [ta, order, 1], {}, lambda: jnp.take_along_axis(ta, order, 1), lambda: np.take_along_axis(ta, order, 1))
for idx, axis in [(np.array([[[0]], [[3]], [[1]]], np.int32), 1), (np.array([[[1, 0]]], np.int32), 2),
                  (np.array([[[0], [5], [-1]]], np.int32), 1), (np.array([2, 0, 23, -24], np.int32), None),
                  (np.zeros((3, 1, 1), np.int32) + np.array([0, 1, 2], np.int32).reshape(3, 1, 1), 0)]:
    I.jax("takeAlongAxis", [ta, idx, axis], {}, lambda: jnp.take_along_axis(ta, idx, axis), note=f"{idx.shape} {axis}")
I.jax("takeAlongAxis", [ta, np.array([[[0, 5]]], np.int32), 1], {"mode": "clip"},
      lambda: jnp.take_along_axis(ta, np.array([[[0, 5]]]), 1, mode="clip"))
I.jax("takeAlongAxis", [ta, np.array([[[0, 5]]], np.int32), 1], {"mode": "fill", "fillValue": 0.5},
      lambda: jnp.take_along_axis(ta, np.array([[[0, 5]]]), 1, mode="fill", fill_value=0.5))
pa = data((3, 4), "float32")
pidx = np.array([[1], [0], [3]], np.int32)
I.jax("putAlongAxis", [pa, pidx, 99.0, 1], {"inplace": False}, lambda: jnp.put_along_axis(pa, pidx, 99.0, 1, inplace=False),
      lambda: (lambda y: (np.put_along_axis(y, pidx, 99.0, 1), y)[1])(pa.copy()))
I.jax("putAlongAxis", [pa, np.array([[0, 2, 1, 1]], np.int32), np.array([[1.0, 2.0, 3.0, 4.0]], np.float32), 0], {"inplace": False},
      lambda: jnp.put_along_axis(pa, np.array([[0, 2, 1, 1]]), np.array([[1.0, 2.0, 3.0, 4.0]], np.float32), 0, inplace=False))
I.jax("putAlongAxis", [pa, np.array([0, 11], np.int32), np.array([-1.0, -2.0], np.float32), None], {"inplace": False},
      lambda: jnp.put_along_axis(pa, np.array([0, 11]), np.array([-1.0, -2.0], np.float32), None, inplace=False))

# nonzero & co
nz = np.array([[0, 1.5, 0], [2, 0, -1], [0, 0, 0], [np.nan, 0, 3]], np.float32)
for a in [nz, nz[:, 0], (nz > 0), np.zeros((0, 3), np.float32), np.array([0, 0], np.int8)]:
    I.jax("nonzero", [a], {}, lambda: jnp.nonzero(a), lambda: np.nonzero(a))
    I.jax("flatnonzero", [a], {}, lambda: jnp.flatnonzero(a), lambda: np.flatnonzero(a))
    I.jax("argwhere", [a], {}, lambda: jnp.argwhere(a), lambda: np.argwhere(a))
    for size, fill in [(2, None), (7, None), (7, -1), (0, None)]:
        kw = {"size": size}
        if fill is not None:
            kw["fillValue"] = fill
        I.jax("nonzero", [a], kw, lambda: jnp.nonzero(a, size=size, fill_value=fill))
        I.jax("flatnonzero", [a], kw, lambda: jnp.flatnonzero(a, size=size, fill_value=fill))
        I.jax("argwhere", [a], kw, lambda: jnp.argwhere(a, size=size, fill_value=fill))
I.jax("nonzero", [nz], {"size": 6, "fillValue": [-1, 9]}, lambda: jnp.nonzero(nz, size=6, fill_value=(-1, 9)))
I.jax("argwhere", [np.float32(2.0)], {}, lambda: jnp.argwhere(np.float32(2.0)), lambda: np.argwhere(np.float32(2.0)))

cx = data((3, 4), "int32")
for cond, axis in [([True, False, True], 0), ([False, True, True, False], 1), ([True, False, True, True, False], None),
                   ([0, 2, 0], -2), ([True, True, False, False, False], 1)]:
    npc = np.array(cond)
    I.jax("compress", [npc, cx, axis], {}, lambda: jnp.compress(npc, cx, axis=axis), lambda: np.compress(npc, cx, axis=axis))
for size, fill in [(2, 0), (3, -7), (1, 0)]:
    npc = np.array([False, True, True, False])
    I.jax("compress", [npc, cx, 1], {"size": size, "fillValue": fill}, lambda: jnp.compress(npc, cx, axis=1, size=size, fill_value=fill))

ch = [np.arange(4, dtype=np.int32) * 10, np.float32(-1.5), np.arange(4, dtype=np.float32).reshape(1, 4) + 100]
for a, mode in [(np.array([0, 1, 2, 1], np.int32), "raise"), (np.array([[0, 5, -1, 2]], np.int32), "wrap"),
                (np.array([0, 5, -1, 2], np.int32), "clip")]:
    I.jax("choose", [a, ch], {"mode": mode}, lambda: jnp.choose(a, ch, mode=mode), lambda: np.choose(a, ch, mode=mode))

pl = data((3, 4), "float32")
pm = pl > 0
I.jax("place", [pl, pm, np.array([1.0, 2.0], np.float32)], {"inplace": False},
      lambda: jnp.place(pl, pm, np.array([1.0, 2.0], np.float32), inplace=False),
      lambda: (lambda y: (np.place(y, pm, [1.0, 2.0]), y)[1])(pl.copy()))
for ind, vals, mode in [(np.array([0, 5, 11], np.int32), np.array([1.0, 2.0, 3.0], np.float32), None),
                        (np.array([[1, 2], [3, 4]], np.int32), np.float32(7.0), None),
                        (np.array([0, 20, -30], np.int32), np.array([1.0, 2.0], np.float32), "clip"),
                        (np.array([0, 20, -30], np.int32), np.array([1.0, 2.0], np.float32), "wrap"),
                        (np.array([1, 13, -1], np.int32), np.array([5.0], np.float32), None)]:
    np_fn = None
    if mode is not None or np.all((ind >= 0) & (ind < pl.size)):
        np_fn = (lambda y: (np.put(y, ind, vals, mode=mode or "raise"), y)[1])
        np_fn = (lambda f=np_fn: f(pl.copy()))
    I.jax("put", [pl, ind, vals, mode], {"inplace": False}, lambda: jnp.put(pl, ind, vals, mode=mode, inplace=False), np_fn,
          note=f"{ind} {mode}")

for idx, shape in [(np.array([0, 5, 11, 7], np.int32), [3, 4]), (np.array(17, np.int32), [2, 3, 4]), (np.array([-1, 12, 30, -20], np.int32), [3, 4]),
                   (np.array([3, 250], np.uint8), [4, 4])]:
    np_fn = (lambda: np.unravel_index(idx, shape)) if np.all((idx >= 0) & (idx < np.prod(shape))) else None
    I.jax("unravelIndex", [idx, shape], {}, lambda: jnp.unravel_index(idx, shape), np_fn)
for mi, dims, mode in [([np.array([0, 2, 1], np.int32), np.array([3, 0, 1], np.int32)], [3, 4], "raise"),
                       ([np.array([[0], [4]], np.int32), np.array([5, -1], np.int32)], [3, 4], "clip"),
                       ([np.array([0, 4], np.int32), np.array([5, -1], np.int32)], [3, 4], "wrap")]:
    I.jax("ravelMultiIndex", [mi, dims], {"mode": mode}, lambda: jnp.ravel_multi_index(tuple(mi), dims, mode=mode),
          lambda: np.ravel_multi_index(tuple(mi), dims, mode=mode))

for n, ndim in [(3, 2), (2, 3), (0, 2)]:
    I.jax("diagIndices", [n, ndim], {}, lambda: jnp.diag_indices(n, ndim), lambda: np.diag_indices(n, ndim))
I.jax("diagIndicesFrom", [np.zeros((3, 3, 3), np.float32)], {}, lambda: jnp.diag_indices_from(np.zeros((3, 3, 3))),
      lambda: np.diag_indices_from(np.zeros((3, 3, 3))))
for n, k, m in [(3, 0, None), (4, 1, None), (3, -1, 5), (4, 2, 2), (2, -5, None), (3, 9, None)]:
    I.jax("trilIndices", [n, k, m], {}, lambda: jnp.tril_indices(n, k, m), lambda: np.tril_indices(n, k, m))
    I.jax("triuIndices", [n, k, m], {}, lambda: jnp.triu_indices(n, k, m), lambda: np.triu_indices(n, k, m))
for k in [0, -1, 2]:
    I.jax("trilIndicesFrom", [np.zeros((3, 4), np.float32), k], {}, lambda: jnp.tril_indices_from(np.zeros((3, 4)), k),
          lambda: np.tril_indices_from(np.zeros((3, 4)), k))
    I.jax("triuIndicesFrom", [np.zeros((4, 2), np.float32), k], {}, lambda: jnp.triu_indices_from(np.zeros((4, 2)), k),
          lambda: np.triu_indices_from(np.zeros((4, 2)), k))
for a, val in [(data((3, 4), "float32"), np.float32(9.0)), (data((3, 3, 3), "int32"), np.array([1, 2], np.int32)),
               (data((4, 2), "float32"), np.array([[5.0, 6.0, 7.0]], np.float32))]:
    I.jax("fillDiagonal", [a, val], {"inplace": False}, lambda: jnp.fill_diagonal(a, val, inplace=False),
          lambda: (lambda y: (np.fill_diagonal(y, val), y)[1])(a.copy()))

for args in [[np.array([0, 2], np.int32), np.array([1, 3, 0], np.int32)], [np.array([1], np.int32)], [np.array([], np.int32), np.array([2], np.int32)]]:
    I.jax("ix_", args, {}, lambda: jnp.ix_(*args), lambda: np.ix_(*args))
for n, k in [(3, 0), (4, 1), (3, -1)]:
    I.jax("maskIndices.triu", [n, k], {}, lambda: jnp.mask_indices(n, jnp.triu, k), lambda: np.mask_indices(n, np.triu, k))

common.write("indexing", I.cases)

# ---------------------------------------------------------------------------
# Jaxprs of indexing under make_jaxpr (x64 off), to compare printed text.

J = []
f34 = jnp.zeros((3, 4), jnp.float32)
f5 = jnp.zeros(5, jnp.float32)
PROGRAMS = {
    "get_int": (lambda x: x[1], [f34]),
    "get_slice_rev": (lambda x: x[1:3, ::-1], [f34]),
    "get_col": (lambda x: x[:, 0], [f34]),
    "get_newaxis": (lambda x: x[..., None], [f34]),
    "get_strided": (lambda x: x[::2, 1:], [f34]),
    "get_neg_ints": (lambda x: x[-1, -2], [f34]),
    "get_oob_static": (lambda x: x[10], [f34]),
    "get_oob_static_1d": (lambda x: x[10], [f5]),
    "get_traced": (lambda x, i: x[i], [f34, jnp.int32(1)]),
    "get_traced_weak": (lambda x, i: x[i], [f5, 2]),
    "get_traced_i8": (lambda x, i: x[i], [f5, jnp.int8(2)]),
    "get_traced_slice": (lambda x, i: x[i, 1:3], [f34, jnp.int8(2)]),
    "get_traced_rev": (lambda x, i: x[i, ::-1], [f34, jnp.uint8(2)]),
    "get_array": (lambda x, i: x[i], [f34, jnp.zeros(2, jnp.int32)]),
    "get_two_arrays": (lambda x, i, j: x[i, j], [f34, jnp.zeros(2, jnp.int32), jnp.zeros(2, jnp.int32)]),
    "get_col_array": (lambda x, i: x[:, i], [f34, jnp.zeros(2, jnp.int32)]),
    "get_int_none_array": (lambda x, i: x[1, None, i], [f34, jnp.zeros(2, jnp.int32)]),
    "get_strided_array": (lambda x, i: x[::2, i], [f34, jnp.zeros(2, jnp.int32)]),
    "at_set_int": (lambda x: x.at[1].set(5.0), [f34]),
    "at_add_array": (lambda x, i: x.at[i].add(1.0), [f34, jnp.zeros(2, jnp.int32)]),
    "at_mul_slice_int": (lambda x: x.at[1:, 2].multiply(2.0), [f34]),
    "at_get_fill": (lambda x, i: x.at[i].get(mode="fill", fill_value=-1.5), [f5, jnp.zeros(3, jnp.int32)]),
    "at_set_traced": (lambda x, i, v: x.at[i].set(v), [f5, jnp.int32(0), jnp.float32(1)]),
    "at_min_clip": (lambda x, i, v: x.at[i].min(v, mode="clip"), [f34, jnp.zeros((2, 1), jnp.int32), jnp.zeros((2, 1, 4), jnp.float32)]),
}
for name, (f, args) in PROGRAMS.items():
    J.append({"name": name, "jaxpr": str(jax.make_jaxpr(f)(*args))})
common.write("indexing_jaxpr", J)
