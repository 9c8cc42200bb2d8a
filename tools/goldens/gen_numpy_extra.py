"""Goldens for @jaxts/numpy's window functions, vander, packbits/unpackbits and
histogram2d/histogramdd (written to packages/numpy/test/fixtures/numpy_extra.json).

Run with the JAX 0.10.2 interpreter:
    /tmp/jaxvenv/bin/python tools/goldens/gen_numpy_extra.py

Uses gen_numpy_math's Suite: JAX gives the dtype and shape, NumPy (`ref`) the
values, checked against JAX's before they are written; src="jax" cases take
JAX's values (e.g. JAX's int32 counts of an unweighted histogramdd).
"""
import json
import os
import sys

import numpy as np

import jax
import jax.numpy as jnp

sys.path.insert(0, os.path.dirname(__file__))
import gen_numpy_math as gm  # noqa: E402
from gen_numpy_math import FIXTURES, Suite, unif  # noqa: E402

R = gm.R


class ExtraSuite(Suite):
    def write(self):
        os.makedirs(FIXTURES, exist_ok=True)
        path = os.path.join(FIXTURES, self.name + ".json")
        with open(path, "w") as f:
            json.dump({"generator": "tools/goldens/gen_numpy_extra.py", "numpy": np.__version__, "jax": jax.__version__, "cases": self.cases},
                      f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {path}: {len(self.cases)} cases")


def f32(f):
    return lambda *a, **k: np.asarray(f(*a, **k)).astype(np.float32)


def windows(s):
    for name in ["bartlett", "blackman", "hamming", "hanning"]:
        ref = f32(getattr(np, name))
        for m in [0, 1, 2, 3, 4, 7, 16]:
            s.add(name, [m], ref=ref, label=f"M={m}")
    for m, beta in [(0, 1.5), (1, 1.5), (2, 0.5), (5, 1.5), (12, 8.6), (9, 0.0 + 0.25)]:
        s.add("kaiser", [m, beta], ref=f32(np.kaiser), label=f"M={m} beta={beta}")
    s.add("kaiser", [6, 3], ref=f32(np.kaiser), label="int beta")
    s.add("kaiser", [6, np.array(2.5, np.float32)], ref=f32(np.kaiser), label="f32 array beta")
    s.add("kaiser", [6, np.array(2.5, np.float64)], ref=np.kaiser, label="f64 beta")


def vander(s):
    xf = np.array([0.5, -1.25, 2.0, 3.0], np.float32)
    xi = np.array([1, 2, 3, -2], np.int32)
    s.add("vander", [xf], ref=np.vander, label="f32")
    s.add("vander", [xi], ref=np.vander, label="int32")
    s.add("vander", [xi, 2], ref=np.vander, label="N=2")
    s.add("vander", [xi, 6], ref=np.vander, label="N=6")
    s.add("vander", [xi, 0], ref=np.vander, label="N=0")
    s.add("vander", [xf, None], {"increasing": True}, ref=np.vander, label="increasing")
    s.add("vander", [xi, 3], {"increasing": True}, ref=np.vander, label="N=3 increasing")
    s.add("vander", [np.array([2, 3], np.uint8), 5], ref=np.vander, label="uint8 wraps")
    s.add("vander", [np.array([1.5, -0.5, 2.0], np.float64)], ref=np.vander, label="f64")
    s.add("vander", [np.zeros((0,), np.float32)], ref=np.vander, label="empty")


def bits(s):
    b = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1], np.uint8)
    s.add("packbits", [b], ref=np.packbits, label="11 bits, padded")
    s.add("packbits", [b], {"bitorder": "little"}, ref=np.packbits, label="little")
    s.add("packbits", [np.array([[True, False, True], [False, True, True]])], {"axis": 1}, ref=np.packbits, label="bool axis=1")
    s.add("packbits", [np.array([[3, 0, -2], [0, 0, 7]], np.int32)], {"axis": 0}, ref=np.packbits, label="int32 nonzero, axis=0")
    m = R.integers(0, 2, size=(2, 9, 3)).astype(np.uint8)
    s.add("packbits", [m], {"axis": 1, "bitorder": "little"}, ref=np.packbits, label="3-D axis=1 little")
    s.add("packbits", [m], {"axis": -1}, ref=np.packbits, label="3-D axis=-1")
    s.add("packbits", [m], ref=np.packbits, label="3-D flattened")
    s.add("packbits", [np.zeros((0,), np.uint8)], ref=np.packbits, label="empty")
    u = np.array([[154, 3], [49, 255], [0, 128]], np.uint8)
    s.add("unpackbits", [u], ref=np.unpackbits, label="flattened")
    s.add("unpackbits", [u], {"axis": 1}, ref=np.unpackbits, label="axis=1")
    s.add("unpackbits", [u], {"axis": 0, "bitorder": "little"}, ref=np.unpackbits, label="axis=0 little")
    for c in [5, 12, 20, -3, 0]:
        s.add("unpackbits", [u[0]], {"count": c}, ref=np.unpackbits, label=f"count={c}")
    s.add("unpackbits", [u[0]], {"count": -30}, src="jax", label="count=-30 (JAX: empty; NumPy raises)")
    s.add("unpackbits", [u], {"axis": 1, "count": 11, "bitorder": "little"}, ref=np.unpackbits, label="axis=1 count=11 little")
    s.add("unpackbits", [np.array(27, np.uint8)], ref=lambda x: np.unpackbits(x.reshape(1)), label="scalar")


def flat_hist(f):
    """histogramdd's (hist, [edges...]) as one flat tuple (the test flattens ours the same way)."""
    def g(*a, **k):
        out = f(*a, **k)
        rest = out[1] if isinstance(out[1], (list, tuple)) and len(out) == 2 else out[1:]
        return (out[0], *rest)
    return g


def histograms():
    s = ExtraSuite("numpy_histogram")
    hr = np.random.default_rng(33)
    x = hr.normal(size=40).astype(np.float32)
    y = (0.5 * x + hr.normal(size=40)).astype(np.float32)
    x[3], y[5] = 4.0, -3.0

    def add(fn, args, kw=None, **o):
        jf = flat_hist(getattr(jnp, fn))
        rf = flat_hist(getattr(np, fn))
        s.add(fn, args, kw, jfn=jf, ref=rf, **o)

    add("histogram2d", [x, y], label="default 10 bins")
    add("histogram2d", [x, y], {"bins": 4}, label="bins=4")
    add("histogram2d", [x, y], {"bins": [3, 5]}, label="bins per axis")
    add("histogram2d", [x, y], {"bins": np.array([-3.0, -1.0, 0.0, 0.5, 4.0], np.float32)}, label="shared edges")
    add("histogram2d", [x, y], {"bins": [np.array([-1.0, 0.0, 1.0], np.float32), 3]}, label="edges and count")
    add("histogram2d", [x, y], {"bins": 3, "range": [(-1, 1), (-2.5, 2.5)]}, label="range (outliers dropped)")
    add("histogram2d", [x, y], {"bins": 3, "range": [None, (-2, 2)]}, label="range with None")
    add("histogram2d", [x, y], {"bins": [3, 4], "weights": hr.uniform(0, 2, size=40).astype(np.float32)}, label="weights")
    add("histogram2d", [x, y], {"bins": [3, 4], "density": True}, label="density")
    add("histogram2d", [np.array([1, 2, 2, 3], np.int32), np.array([0, 0, 1, 1], np.int32)], {"bins": 2}, label="int inputs")
    add("histogram2d", [np.array([1.0, 1.0, 1.0], np.float64), np.array([0.5, 2.5, 1.5], np.float64)], {"bins": 2}, label="f64, one x value")
    sample = hr.normal(size=(30, 3)).astype(np.float32)
    add("histogramdd", [sample], label="default")
    add("histogramdd", [sample], {"bins": [2, 3, 4]}, label="bins per dim")
    add("histogramdd", [sample], {"bins": 3, "range": [(-1, 1), None, (-2, 2.5)]}, label="ranges")
    add("histogramdd", [sample], {"bins": [np.array([-2.0, 0.0, 2.0], np.float32), 2, 3], "weights": hr.uniform(size=30).astype(np.float32)}, label="edges, weights")
    add("histogramdd", [sample], {"bins": 2, "density": True}, label="density")
    add("histogramdd", [sample[:, :1]], {"bins": 5}, label="1-D")
    return s


# The functions vectorized in numpy_vectorize.json; test/extra.test.ts writes the same ones with jnp.
VEC_FNS = {
    "dot": (lambda a, b: jnp.dot(a, b), dict(signature="(n),(n)->()")),
    "matvec": (lambda m, v: m @ v, dict(signature="(m,n),(n)->(m)")),
    "stats": (lambda a: (a.mean(0), a.sum(1)), dict(signature="(m,n)->(n),(m)")),
    "center": (lambda a: a - a.mean(), dict(signature="(n)->(n)")),
    "affine": (lambda x, y: x * 2.5 + jnp.sin(y), dict()),
    "clipmax": (lambda x, y: jnp.minimum(x, y.max()), dict(signature="(),(k)->()")),
    "powex": (lambda x, p: x ** p, dict(excluded={1})),
    "outer": (lambda a, b: jnp.outer(a, b), dict(signature="(m),(n)->(m,n)")),
}


def vectorize_cases():
    rv = np.random.default_rng(21)

    def f32(*shape):
        return rv.uniform(-2, 2, size=shape).astype(np.float32)
    calls = [
        ("dot", [f32(2, 3, 4), f32(4)], "loop (2,3) and ()"),
        ("dot", [f32(1, 3, 4), f32(5, 1, 4)], "size-1 loop dims broadcast"),
        ("dot", [f32(4), f32(4)], "no loop dims"),
        ("matvec", [f32(3, 2, 4), f32(5, 1, 4)], "matvec (5,3)"),
        ("stats", [f32(2, 3, 4)], "two outputs"),
        ("stats", [f32(1, 3, 2)], "two outputs, size-1 loop"),
        ("center", [f32(3, 5)], "same core in and out"),
        ("affine", [f32(3, 1), f32(4)], "no signature"),
        ("affine", [f32(2, 3), 0.5], "no signature, scalar"),
        ("clipmax", [f32(2, 3), f32(4, 1, 3, 5)], "scalar core with vector core"),
        ("powex", [f32(2, 3), 3], "excluded exponent"),
        ("outer", [f32(2, 3), f32(4)], "new core dims"),
    ]
    cases = []
    for name, args, label in calls:
        fn, kw = VEC_FNS[name]
        out = jnp.vectorize(fn, **kw)(*args)
        outs = list(out) if isinstance(out, tuple) else [out]
        cases.append({"fn": name, "args": [gm.enc_arg(a) for a in args], "out": [gm.enc(np.asarray(o)) for o in outs],
                      "multi": isinstance(out, tuple), "label": label})
    path = os.path.join(FIXTURES, "numpy_vectorize.json")
    with open(path, "w") as f:
        json.dump({"generator": "tools/goldens/gen_numpy_extra.py", "numpy": np.__version__, "jax": jax.__version__, "cases": cases},
                  f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    s = ExtraSuite("numpy_extra")
    for build in [windows, vander, bits]:
        build(s)
    s.write()
    vectorize_cases()
    histograms().write()
