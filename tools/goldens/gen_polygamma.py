"""Goldens for lax.polygamma (mpmath, 30 digits), float64 and float32.

Run: python3 tools/goldens/gen_polygamma.py
"""
import mpmath
import numpy as np

from common import enc, write

mpmath.mp.dps = 30
cases = []
for dt in ["float64", "float32"]:
    ms, xs = [], []
    for m in [1, 2, 3, 4]:
        for x in [0.05, 0.3, 1.0, 1.5, 2.7, 7.25, 15.0, 42.0, 1e3, -0.5, -1.7, -3.25]:
            ms.append(m)
            xs.append(x)
    m_arr = np.array(ms, dt)
    x_arr = np.array(xs, dt)
    out = np.array([float(mpmath.polygamma(int(m), mpmath.mpf(float(x)))) for m, x in zip(m_arr, x_arr)], np.float64).astype(dt)
    cases.append({"m": enc(m_arr), "x": enc(x_arr), "out": enc(out)})
# poles (non-positive integers), as JAX 0.10.2's lax.polygamma gives them: +inf for
# odd m, NaN for even m (the sign flips across the pole); digamma (m = 0) is NaN there.
cases.append({
    "m": enc(np.array([1.0, 2.0, 3.0, 4.0, 1.0], "float64")),
    "x": enc(np.array([0.0, -2.0, -1.0, -5.0, -3.0], "float64")),
    "out": enc(np.array([np.inf, np.nan, np.inf, np.nan, np.inf])),
})
write("polygamma", cases)
