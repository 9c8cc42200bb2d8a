"""Goldens for @jaxts/numpy's products and einsum, jnp.linalg and jnp.fft
(packages/numpy/src/products.ts, einsum.ts, linalg.ts, fft.ts).

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_numpy_linalg.py
     (NumPy 2.4, SciPy, opt_einsum and JAX 0.10.2 with x64 enabled; writes
     packages/numpy/test/fixtures/{products,linalg,fft}.json).

Values come from NumPy (np.linalg, np.fft, np.einsum; scipy.linalg for
solve_triangular). The expected dtype is jnp's: products take JAX's promoted
dtype (int32 + float32 -> float32), linalg and fft compute integer inputs in
float32. Where JAX defines a result NumPy does not (a singular matrix in inv or
solve gives inf/nan instead of an error; cholesky of a matrix that is not
positive definite gives NaNs), the value is JAX's (x64 on, so float64 inputs
stay float64). einsum_path cases record opt_einsum's contraction path (what
jnp.einsum_path returns) for "greedy", "optimal" and explicit settings.

A case is {"fn", "args", "kw", "out"}: `fn` names the TypeScript function,
`args` its positional arguments (arrays as {dtype, shape, data}), `kw` its
options object, `out` the result (a list for tuple results). Complex FFT
results are {"real", "imag"} pairs, as the TypeScript API returns them.
"""
import os

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import opt_einsum  # noqa: E402
import scipy.linalg  # noqa: E402

import common  # noqa: E402
from common import enc  # noqa: E402

common.FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "numpy", "test", "fixtures")

R = np.random.default_rng(20240611)


def rand(shape, dtype="float32", lo=-2.0, hi=2.0):
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return R.integers(-5, 6, size=shape).astype(dtype)
    return R.uniform(lo, hi, size=shape).astype(dtype)


def enc_val(v):
    if isinstance(v, dict):
        return {k: enc_val(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc_val(x) for x in v]
    if isinstance(v, (np.ndarray, np.generic, jax.Array)):
        return enc(np.asarray(v))
    if isinstance(v, float) and not np.isfinite(v):
        return "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


class Cases:
    def __init__(self):
        self.cases = []

    def add(self, fn, args, kw, out, note=""):
        self.cases.append({"fn": fn, "args": enc_val(list(args)), "kw": enc_val(kw), "out": enc_val(out), "note": note})


def jdtype(*xs):
    """jnp's result dtype of the operands (explicit dtypes; x64 on)."""
    return np.dtype(jnp.result_type(*[np.asarray(x).dtype for x in xs]))


def inexact(x):
    d = np.asarray(x).dtype
    return d if d.kind == "f" else np.dtype("float32")


# ---------------------------------------------------------------------------
# products and einsum

P = Cases()


def prod_case(fn, np_fn, a, b, kw=None, note=""):
    kw = kw or {}
    out = np.asarray(np_fn(a, b)).astype(jdtype(a, b))
    P.add(fn, [a, b], kw, out, note)


for dt in ["float32", "float64", "int32"]:
    for sa, sb in [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 3, 4), (5, 4, 2)), ((0,), (0,)), ((2, 0), (0, 3))]:
        prod_case("dot", np.dot, rand(sa, dt), rand(sb, dt), note=f"{dt} {sa} {sb}")
prod_case("dot", np.dot, rand((2, 3), "int32"), rand((3,), "float32"), note="int32 . float32")
prod_case("dot", np.dot, rand((2, 3), "float32"), rand((3, 2), "float64"), note="float32 . float64")
a23 = rand((2, 3), "float32")
P.add("dot", [a23, 2.5], {}, (a23 * np.float32(2.5)).astype(np.float32), "array . weak scalar")
P.add("dot", [a23, a23.T], {"preferredElementType": "float64"}, (a23.astype(np.float64) @ a23.T.astype(np.float64)), "preferred f64")

for dt in ["float32", "float64", "int32"]:
    prod_case("vdot", np.vdot, rand((2, 3), dt), rand((3, 2), dt), note=dt)
    prod_case("inner", np.inner, rand((2, 3), dt), rand((4, 3), dt), note=dt)
    prod_case("inner", np.inner, rand((3,), dt), rand((3,), dt), note=dt)
    prod_case("outer", np.outer, rand((3,), dt), rand((2, 2), dt), note=dt)
    prod_case("kron", np.kron, rand((2, 2), dt), rand((2, 3), dt), note=dt)
    prod_case("kron", np.kron, rand((3,), dt), rand((2, 2), dt), note=dt)
prod_case("inner", np.inner, rand((), "float32"), rand((2, 3), "float32"), note="scalar")
prod_case("outer", np.outer, rand((3,), "int32"), rand((2,), "float32"), note="mixed")

for dt in ["float32", "float64", "int32"]:
    for sa, sb in [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 1, 3, 4), (5, 4, 2)), ((1, 3, 4), (2, 4, 2)),
                   ((0, 2, 3), (3, 4)), ((2, 3, 0), (0, 4)), ((4,), (2, 4, 3))]:
        prod_case("matmul", np.matmul, rand(sa, dt), rand(sb, dt), note=f"{dt} {sa} {sb}")
prod_case("matmul", np.matmul, rand((2, 3), "int32"), rand((3, 2), "float32"), note="mixed")

for a_s, b_s, axes in [((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2, 3), (4, 5), 0), ((3, 2), (3, 4), [0, 0]),
                       ((2, 3, 4), (4, 3, 5), [[1, 2], [1, 0]]), ((2, 3, 4), (5, 4), [-1, -1])]:
    for dt in ["float32", "float64"]:
        a = rand(a_s, dt)
        b = rand(b_s, dt)
        P.add("tensordot", [a, b, axes], {}, np.tensordot(a, b, axes).astype(jdtype(a, b)), f"{dt} axes={axes}")

for a_s, b_s, axis in [((2, 3), (3,), -1), ((3, 2), (3, 1), 0), ((4, 1, 3), (2, 3), -1), ((0, 3), (3,), -1)]:
    a = rand(a_s, "float32")
    b = rand(b_s, "float32")
    P.add("vecdot", [a, b], {"axis": axis}, np.vecdot(a, b, axis=axis).astype(np.float32), f"axis={axis}")
for a_s, b_s in [((2, 3), (3,)), ((4, 2, 3), (3,)), ((2, 3), (5, 3))]:
    a = rand(a_s, "float32")
    b = rand(b_s, "float32")
    P.add("matvec", [a, b], {}, np.matvec(a, b).astype(np.float32), f"{a_s} {b_s}")
for a_s, b_s in [((3,), (3, 2)), ((3,), (4, 3, 2)), ((5, 3), (3, 2))]:
    a = rand(a_s, "float32")
    b = rand(b_s, "float32")
    P.add("vecmat", [a, b], {}, np.vecmat(a, b).astype(np.float32), f"{a_s} {b_s}")

EINSUM = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij", [(2, 3)]),
    ("ji", [(2, 3)]),
    ("i,i", [(4,), (4,)]),
    ("i,j->ij", [(3,), (2,)]),
    ("i,j", [(3,), (2,)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("...ij,jk", [(2, 3, 4), (4, 5)]),
    ("i...->...", [(3, 2, 2)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("ij...,j...->i...", [(3, 2, 5), (2, 1)]),
    ("iij,jk->ik", [(3, 3, 2), (2, 4)]),
    ("ii,ij->j", [(3, 3), (3, 2)]),
    ("iji->j", [(2, 3, 2)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ij,ij->", [(2, 3), (2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,jk,kl,lm->im", [(2, 3), (3, 4), (4, 5), (5, 2)]),
    ("ab,bc,cd,de,ef->af", [(2, 3), (3, 2), (2, 4), (4, 3), (3, 2)]),
    ("abc,cd,bde->ae", [(2, 3, 4), (4, 5), (3, 5, 2)]),
    ("ijk,ikl,ilm->ijm", [(2, 3, 4), (2, 4, 3), (2, 3, 2)]),
    ("Ab,bC->AC", [(2, 3), (3, 4)]),
    ("bA", [(2, 3)]),
    ("ij,jk->ik", [(0, 3), (3, 4)]),
    ("ij,jk->ik", [(2, 0), (0, 4)]),
    ("i,i->", [(0,), (0,)]),
    ("ab,cd->", [(2, 3), (4, 5)]),
    ("i,j,k->ijk", [(2,), (3,), (2,)]),
    ("ij,kj,lj->ikl", [(2, 3), (4, 3), (2, 3)]),
    ("ij,jk->ik", [(1, 3), (3, 4)]),
    ("ij,ij->i", [(1, 3), (4, 3)]),
]
for spec, shapes in EINSUM:
    for dt in ["float32", "float64"]:
        ops = [rand(s, dt) for s in shapes]
        P.add("einsum", [spec, *ops], {}, np.asarray(np.einsum(spec, *ops)).astype(dt), f"{spec} {dt}")
for spec, shapes in [("ij,jk->ik", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]), ("i,i", [(4,), (4,)])]:
    ops = [rand(s, "int32") for s in shapes]
    P.add("einsum", [spec, *ops], {}, np.asarray(np.einsum(spec, *ops)).astype(np.int32), f"{spec} int32")
ops = [rand((2, 3), "int32"), rand((3, 2), "float32")]
P.add("einsum", ["ij,jk->ik", *ops], {}, np.einsum("ij,jk->ik", *ops).astype(np.float32), "int32 x float32")
for opt in [False, "greedy", "optimal", [[1, 2], [0, 1]]]:
    ops = [rand(s, "float64") for s in [(2, 3), (3, 4), (4, 5)]]
    P.add("einsum", ["ij,jk,kl->il", *ops], {"optimize": opt}, np.einsum("ij,jk,kl->il", *ops), f"optimize={opt}")
# interleaved form
ops = [rand((2, 3), "float32"), rand((3, 4), "float32")]
P.add("einsumInterleaved", [ops[0], [0, 1], ops[1], [1, 2], [0, 2]], {}, np.einsum(ops[0], [0, 1], ops[1], [1, 2], [0, 2]), "interleaved")

PATHS = [
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,jk,kl->il", [(20, 3), (3, 40), (40, 2)]),
    ("ab,bc,cd,de,ef->af", [(2, 30), (30, 2), (2, 40), (40, 3), (3, 20)]),
    ("abc,cd,bde->ae", [(2, 3, 4), (4, 5), (3, 5, 2)]),
    ("ij,kj,lj->ikl", [(2, 3), (4, 3), (2, 3)]),
    ("i,j,k->ijk", [(2,), (3,), (2,)]),
    ("ab,ab,bc,cd->ad", [(3, 4), (3, 4), (4, 5), (5, 2)]),
    ("ea,fb,abcd,gc,hd->efgh", [(10, 10), (10, 10), (10, 10, 10, 10), (10, 10), (10, 10)]),
    ("ij,jk,kl,lm,mn,no->io", [(5, 2), (2, 7), (7, 3), (3, 9), (9, 2), (2, 4)]),
]
for spec, shapes in PATHS:
    ops = [np.zeros(s, np.float32) for s in shapes]
    for opt in ["greedy", "optimal"]:
        path, _ = opt_einsum.contract_path(spec, *ops, optimize=opt)
        P.add("einsumPath", [spec, *[{"shape": list(s)} for s in shapes]], {"optimize": opt}, [list(map(list, path))], f"{spec} {opt}")
    path, _ = jnp.einsum_path(spec, *ops)  # JAX's default ("auto")
    P.add("einsumPath", [spec, *[{"shape": list(s)} for s in shapes]], {}, [list(map(list, path))], f"{spec} auto")

common.write("products", P.cases)

# ---------------------------------------------------------------------------
# linalg

L = Cases()


def well_conditioned(shape, dtype):
    n = shape[-1]
    return (rand(shape, "float64") + n * np.eye(n)).astype(dtype)


def spd(shape, dtype):
    x = rand(shape, "float64")
    return (x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def sym_distinct(shape, dtype):
    n = shape[-1]
    q, _ = np.linalg.qr(rand(shape, "float64"))
    w = np.sort(R.uniform(-3, 3, size=shape[:-1]), axis=-1) + np.arange(n) * 0.7  # well separated
    return (q @ (w[..., :, None] * np.swapaxes(q, -1, -2))).astype(dtype)


def ld(dt, fn, args, kw, out, note=""):
    L.add(fn, args, kw, out, note)


SQ_SHAPES = [(1, 1), (2, 2), (3, 3), (4, 4), (6, 6), (2, 3, 3), (2, 2, 4, 4), (0, 3, 3), (0, 0)]
for dt in ["float32", "float64"]:
    for sh in SQ_SHAPES:
        a = well_conditioned(sh, dt) if sh[-1] else np.zeros(sh, dt)
        ld(dt, "det", [a], {}, np.linalg.det(a).astype(dt), f"{dt} {sh}")
        s, l = np.linalg.slogdet(a)
        ld(dt, "slogdet", [a], {}, [s.astype(dt), l.astype(dt)], f"{dt} {sh}")
        ld(dt, "inv", [a], {}, np.linalg.inv(a).astype(dt) if a.size or sh[-1] == 0 else np.zeros(sh, dt), f"{dt} {sh}")
    neg = well_conditioned((4, 4), dt)
    neg[[0, 1]] = neg[[1, 0]]  # odd permutation: negative determinant
    ld(dt, "det", [neg], {}, np.linalg.det(neg).astype(dt), "negative")
    s, l = np.linalg.slogdet(neg)
    ld(dt, "slogdet", [neg], {}, [s.astype(dt), l.astype(dt)], "negative")
ld("int32", "det", [np.array([[1, 2, 0, 1], [3, 4, 1, 0], [0, 1, 2, 1], [1, 0, 1, 3]], np.int32)], {},
   np.float32(np.linalg.det(np.array([[1, 2, 0, 1], [3, 4, 1, 0], [0, 1, 2, 1], [1, 0, 1, 3]], float))), "int32 -> float32")
for dt in ["float32", "float64"]:
    sing = np.array([[1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 1, 2]], dt)
    ld(dt, "det", [sing], {}, np.array(0, dt), "singular 4x4")
    ld(dt, "slogdet", [sing], {}, [np.array(0, dt), np.array(-np.inf, dt)], "singular 4x4")
    ld(dt, "det", [np.array([[1, 2], [2, 4]], dt)], {}, np.array(0, dt), "singular 2x2")
    ld(dt, "slogdet", [np.array([[1, 2], [2, 4]], dt)], {}, [np.array(0, dt), np.array(-np.inf, dt)], "singular 2x2")

for dt in ["float32", "float64"]:
    for sa, sb in [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 4)), ((2, 3, 3), (3, 2)), ((3, 3), (2, 3, 1)),
                   ((4, 4), (4,)), ((1, 1), (1,)), ((0, 3, 3), (0, 3, 2))]:
        a = well_conditioned(sa, dt)
        b = rand(sb, dt)
        bb = b if len(sb) > 1 else b
        x = np.linalg.solve(a, b) if len(sb) != 1 else np.linalg.solve(a, b)
        ld(dt, "solve", [a, b], {}, x.astype(dt), f"{dt} {sa} {sb}")

# Singular inputs: JAX gives non-finite values instead of raising.
for dt in ["float64"]:
    sing = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], dt)
    ld(dt, "inv", [sing], {}, np.asarray(jnp.linalg.inv(sing)), "singular (JAX)")
    ld(dt, "solve", [sing, np.array([1.0, 2.0, 3.0], dt)], {}, np.asarray(jnp.linalg.solve(sing, np.array([1.0, 2.0, 3.0], dt))), "singular (JAX)")

for dt in ["float32", "float64"]:
    for sh in [(1, 1), (3, 3), (5, 5), (2, 4, 4), (0, 2, 2)]:
        a = spd(sh, dt)
        c = np.linalg.cholesky(a).astype(dt)
        ld(dt, "cholesky", [a], {}, c, f"{dt} {sh}")
        ld(dt, "cholesky", [a], {"upper": True}, np.swapaxes(c, -1, -2), f"{dt} {sh} upper")
    nonpd = np.array([[1.0, 2.0], [2.0, 1.0]], dt)
    ld(dt, "cholesky", [nonpd], {}, np.asarray(jnp.linalg.cholesky(nonpd)), "not PD (JAX: NaN)")
    lower_only = np.tril(spd((3, 3), dt)) + np.triu(np.full((3, 3), 100.0, dt), 1)
    ld(dt, "cholesky", [lower_only], {"symmetrizeInput": False}, np.linalg.cholesky(np.tril(lower_only) + np.tril(lower_only, -1).T).astype(dt), "reads lower")

for dt in ["float32", "float64"]:
    for sh in [(4, 3), (3, 4), (3, 3), (5, 2), (2, 4, 3), (1, 1), (0, 3), (3, 0), (6, 1)]:
        a = rand(sh, dt)
        for mode in ["reduced", "complete"]:
            q, r = np.linalg.qr(a, mode=mode)
            ld(dt, "qr", [a, mode], {}, [q.astype(dt), r.astype(dt)], f"{dt} {sh} {mode}")
        ld(dt, "qr", [a, "r"], {}, np.linalg.qr(a, mode="r").astype(dt), f"{dt} {sh} r")

for dt in ["float32", "float64"]:
    for sh in [(1, 1), (2, 2), (3, 3), (5, 5), (8, 8), (2, 4, 4), (0, 3, 3)]:
        a = sym_distinct(sh, dt)
        w, v = np.linalg.eigh(a)
        ld(dt, "eigh", [a], {}, [w.astype(dt), v.astype(dt)], f"{dt} {sh}")
        ld(dt, "eigvalsh", [a], {}, w.astype(dt), f"{dt} {sh}")
    a = sym_distinct((4, 4), dt)
    skew = a + np.triu(rand((4, 4), dt), 1)
    w, v = np.linalg.eigh(skew, UPLO="L")
    ld(dt, "eigh", [skew, "L"], {"symmetrizeInput": False}, [w.astype(dt), v.astype(dt)], "lower triangle only")
    w, v = np.linalg.eigh(skew, UPLO="U")
    ld(dt, "eigh", [skew, "U"], {"symmetrizeInput": False}, [w.astype(dt), v.astype(dt)], "upper triangle only")

for dt in ["float32", "float64"]:
    for sh in [(4, 3), (3, 4), (3, 3), (6, 2), (2, 6), (2, 4, 3), (1, 1), (5, 1), (7, 7)]:
        a = rand(sh, dt)
        for full in [True, False]:
            u, s, vh = np.linalg.svd(a, full_matrices=full)
            ld(dt, "svd", [a], {"fullMatrices": full}, [u.astype(dt), s.astype(dt), vh.astype(dt)], f"{dt} {sh} full={full}")
        ld(dt, "svd", [a], {"computeUv": False}, np.linalg.svd(a, compute_uv=False).astype(dt), f"{dt} {sh} values")
    rankdef = (rand((5, 2), dt).astype(np.float64) @ rand((2, 4), dt).astype(np.float64)).astype(dt)
    u, s, vh = np.linalg.svd(rankdef, full_matrices=True)
    ld(dt, "svd", [rankdef], {"fullMatrices": True}, [u.astype(dt), s.astype(dt), vh.astype(dt)], "rank 2 of 4")
    ld(dt, "svd", [np.zeros((3, 2), dt)], {"fullMatrices": False}, [np.asarray(v).astype(dt) for v in np.linalg.svd(np.zeros((3, 2)), full_matrices=False)], "zeros")
    h = sym_distinct((4, 4), dt)
    u, s, vh = np.linalg.svd(h, hermitian=True)
    ld(dt, "svd", [h], {"hermitian": True}, [u.astype(dt), s.astype(dt), vh.astype(dt)], "hermitian")
    m = rand((3, 5), dt)
    ld(dt, "svdvals", [m], {}, np.linalg.svdvals(m).astype(dt), "svdvals")

def jax_rtol(a):
    """JAX's default pinv cutoff, 10·max(m, n)·eps (NumPy's default keeps tiny singular values)."""
    return 10 * max(a.shape[-2:]) * np.finfo(a.dtype).eps


for dt in ["float32", "float64"]:
    for sh in [(4, 3), (3, 4), (3, 3), (2, 4, 3), (0, 3)]:
        a = rand(sh, dt)
        ld(dt, "pinv", [a], {}, np.linalg.pinv(a, rtol=jax_rtol(a)).astype(dt), f"{dt} {sh}")
    rankdef = (rand((4, 2), dt).astype(np.float64) @ rand((2, 3), dt).astype(np.float64)).astype(dt)
    ld(dt, "pinv", [rankdef], {}, np.linalg.pinv(rankdef, rtol=jax_rtol(rankdef)).astype(dt), "rank deficient")
    ld(dt, "pinv", [rankdef], {"rtol": 0.5}, np.linalg.pinv(rankdef, rtol=0.5).astype(dt), "rtol")
    h = sym_distinct((3, 3), dt)
    ld(dt, "pinv", [h], {"hermitian": True}, np.linalg.pinv(h, hermitian=True, rtol=jax_rtol(h)).astype(dt), "hermitian")

for dt in ["float32", "float64"]:
    for sa, sb in [((5, 3), (5,)), ((5, 3), (5, 2)), ((3, 5), (3,)), ((4, 4), (4, 2))]:
        a = rand(sa, dt)
        b = rand(sb, dt)
        x, res, rank, s = np.linalg.lstsq(a, b)
        # JAX (numpy_resid=False) always returns ‖b - a x‖² per column.
        b2 = b.reshape(b.shape[0], -1)  # JAX keeps a (1,) residual for 1-D b
        r = b2 - a.astype(np.float64) @ x.reshape(x.shape[0], -1).astype(np.float64)
        res_j = (r ** 2).sum(axis=0)
        ld(dt, "lstsq", [a, b], {}, [x.astype(dt), res_j.astype(dt), np.int32(rank), s.astype(dt)], f"{dt} {sa} {sb}")
        ld(dt, "lstsq", [a, b], {"numpyResid": True}, [x.astype(dt), res.astype(dt), np.int32(rank), s.astype(dt)], f"{dt} {sa} {sb} numpy resid")
    rankdef = (rand((5, 2), dt).astype(np.float64) @ rand((2, 3), dt).astype(np.float64)).astype(dt)
    b = rand((5,), dt)
    x, res, rank, s = np.linalg.lstsq(rankdef, b, rcond=1e-4)  # a cutoff well above rounding noise
    ld(dt, "lstsq", [rankdef, b], {"numpyResid": True, "rcond": 1e-4}, [x.astype(dt), res.astype(dt), np.int32(rank), s.astype(dt)], "rank deficient")

for dt in ["float32", "float64"]:
    for a in [rand((4, 3), dt), (rand((4, 2), dt).astype(np.float64) @ rand((2, 3), dt).astype(np.float64)).astype(dt), np.zeros((3, 3), dt),
              np.eye(4, dtype=dt), rand((2, 3, 3), dt), rand((3,), dt), np.zeros((3,), dt)]:
        ld(dt, "matrixRank", [a], {}, np.asarray(np.linalg.matrix_rank(a)).astype(np.int32), f"{dt} {a.shape}")
    a = np.diag(np.array([1.0, 0.1, 0.01], dt))
    ld(dt, "matrixRank", [a], {"rtol": 0.05}, np.int32(2), "rtol")

for dt in ["float32", "float64", "int32"]:
    a = (rand((3, 3), "float64") if dt != "int32" else rand((3, 3), "int32")).astype(dt)
    for n in [0, 1, 2, 3, 5, 8]:
        ld(dt, "matrixPower", [a, n], {}, np.linalg.matrix_power(a, n).astype(dt), f"{dt} n={n}")
    if dt != "int32":
        a = well_conditioned((2, 3, 3), dt)
        for n in [-1, -3]:
            ld(dt, "matrixPower", [a, n], {}, np.linalg.matrix_power(a, n).astype(dt), f"{dt} n={n}")

VEC_ORDS = [None, 2, 1, 0, np.inf, -np.inf, 3, 0.5, -1]
MAT_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


def enc_ord(o):
    if o is None or isinstance(o, str):
        return o
    if np.isinf(o):
        return "inf" if o > 0 else "-inf"
    return o


for dt in ["float32", "float64"]:
    v = rand((5,), dt)
    v[2] = 0
    for o in VEC_ORDS:
        ld(dt, "norm", [v, enc_ord(o)], {}, np.asarray(np.linalg.norm(v, o)).astype(dt), f"{dt} vector ord={o}")
    m = rand((3, 4), dt)
    for o in MAT_ORDS:
        ld(dt, "norm", [m, enc_ord(o)], {}, np.asarray(np.linalg.norm(m, o)).astype(dt), f"{dt} matrix ord={o}")
    t = rand((2, 3, 4), dt)
    ld(dt, "norm", [t], {}, np.asarray(np.linalg.norm(t)).astype(dt), "any rank, ord None")
    for o in [None, 1, np.inf, 3]:
        for ax in [0, -1, 1]:
            for kd in [False, True]:
                ld(dt, "norm", [t, enc_ord(o), ax, kd], {}, np.asarray(np.linalg.norm(t, o, ax, kd)).astype(dt), f"{dt} ord={o} axis={ax} keepdims={kd}")
    for o in MAT_ORDS:
        for ax in [(0, 2), (2, 1), (-1, -2)]:
            for kd in [False, True]:
                ld(dt, "norm", [t, enc_ord(o), list(ax), kd], {}, np.asarray(np.linalg.norm(t, o, ax, kd)).astype(dt), f"{dt} ord={o} axes={ax} keepdims={kd}")
    ld(dt, "norm", [np.zeros((0,), dt)], {}, np.asarray(0, dt), "empty")
    ld(dt, "norm", [np.array([np.nan, 1.0], dt)], {}, np.asarray(np.nan, dt), "nan")
    ld(dt, "norm", [np.array([np.inf, 1.0], dt)], {}, np.asarray(np.inf, dt), "inf")
    ld(dt, "vectorNorm", [t], {"axis": [0, 2], "ord": 1}, np.linalg.vector_norm(t, axis=(0, 2), ord=1).astype(dt), "vector_norm axes")
    ld(dt, "vectorNorm", [t], {}, np.asarray(np.linalg.vector_norm(t)).astype(dt), "vector_norm all")
    ld(dt, "vectorNorm", [t], {"axis": -1, "keepdims": True, "ord": np.inf}, np.linalg.vector_norm(t, axis=-1, keepdims=True, ord=np.inf).astype(dt), "vector_norm inf")
    for o in ["fro", "nuc", 2, -1]:
        ld(dt, "matrixNorm", [t], {"ord": o}, np.linalg.matrix_norm(t, ord=o).astype(dt), f"matrix_norm {o}")
    ld(dt, "matrixNorm", [t], {"keepdims": True}, np.linalg.matrix_norm(t, keepdims=True).astype(dt), "matrix_norm keepdims")
ld("int32", "norm", [np.array([3, 4], np.int32)], {}, np.float32(5), "int -> float32")

for dt in ["float32", "float64"]:
    a = well_conditioned((3, 3), dt)
    for p in [None, 2, -2, 1, -1, "fro", "nuc", np.inf, -np.inf]:
        ld(dt, "cond", [a, enc_ord(p)], {}, np.asarray(np.linalg.cond(a, p)).astype(dt), f"{dt} p={p}")
    r3 = rand((2, 3, 4), dt)
    ld(dt, "cond", [r3], {}, np.linalg.cond(r3).astype(dt), "batched non-square")

for dt in ["float32", "float64", "int32"]:
    x = rand((2, 3, 4), dt)
    for off in [0, 1, -1, 5]:
        ld(dt, "trace", [x], {"offset": off}, np.linalg.trace(x, offset=off).astype(np.int32 if dt == "int32" else dt), f"{dt} offset={off}")
        ld(dt, "diagonal", [x], {"offset": off}, np.linalg.diagonal(x, offset=off), f"{dt} offset={off}")
    a = rand((2, 3), dt)
    b = rand((3,), dt)
    ld(dt, "cross", [a, b], {}, np.linalg.cross(a, b).astype(dt), dt)
    a = rand((3, 2), dt)
    b = rand((3, 2), dt)
    ld(dt, "cross", [a, b], {"axis": 0}, np.linalg.cross(a, b, axis=0).astype(dt), f"{dt} axis 0")
    a = rand((3,), dt)
    b = rand((4,), dt)
    ld(dt, "outer", [a, b], {}, np.linalg.outer(a, b).astype(dt), dt)

for dt in ["float32", "float64"]:
    for shapes in [[(3,), (3, 4), (4,)], [(2, 3), (3, 4), (4, 5), (5, 2)], [(3,), (3,)], [(2, 3), (3, 4)], [(10, 2), (2, 8), (8, 3), (3, 9), (9, 1)]]:
        arrs = [rand(s, dt) for s in shapes]
        ld(dt, "multiDot", [arrs], {}, np.linalg.multi_dot(arrs).astype(dt), f"{dt} {shapes}")
    a = well_conditioned((6, 6), dt).reshape(6, 2, 3)
    ld(dt, "tensorinv", [a, 1], {}, np.linalg.tensorinv(a, 1).astype(dt), "ind=1")
    a = well_conditioned((6, 6), dt).reshape(2, 3, 6)
    ld(dt, "tensorinv", [a, 2], {}, np.linalg.tensorinv(a, 2).astype(dt), "ind=2")
    a = well_conditioned((6, 6), dt).reshape(2, 3, 6)
    b = rand((2, 3), dt)
    ld(dt, "tensorsolve", [a, b], {}, np.linalg.tensorsolve(a, b).astype(dt), "tensorsolve")
    a3 = np.moveaxis(a, 2, 0)  # (6, 2, 3); axes=[0] moves it back to the end
    b3 = rand((2, 3), dt)
    ld(dt, "tensorsolve", [a3, b3], {"axes": [0]}, np.linalg.tensorsolve(a3, b3, axes=(0,)).astype(dt), "tensorsolve axes")

for dt in ["float32", "float64"]:
    for lower in [True, False]:
        for trans in [0, 1]:
            for unit in [False, True]:
                a = well_conditioned((4, 4), dt)
                b = rand((4, 2), dt)
                x = scipy.linalg.solve_triangular(a.astype(np.float64), b.astype(np.float64), trans=trans, lower=lower, unit_diagonal=unit)
                ld(dt, "solveTriangular", [a, b], {"lower": lower, "trans": trans, "unitDiagonal": unit}, x.astype(dt), f"{dt} lower={lower} trans={trans} unit={unit}")
    a = well_conditioned((2, 3, 3), dt)
    b = rand((2, 3), dt)
    x = np.stack([scipy.linalg.solve_triangular(a[i].astype(np.float64), b[i].astype(np.float64), lower=True) for i in range(2)])
    ld(dt, "solveTriangular", [a, b], {"lower": True}, x.astype(dt), f"{dt} batched vector rhs")
    a = well_conditioned((3, 3), dt)
    b = rand((3,), dt)
    ld(dt, "solveTriangular", [a, b], {"trans": "T"}, scipy.linalg.solve_triangular(a.astype(np.float64), b.astype(np.float64), trans="T").astype(dt), f"{dt} trans T")

common.write("linalg", L.cases)

# ---------------------------------------------------------------------------
# fft

F = Cases()


def cx(z, dt):
    z = np.asarray(z)
    return {"real": z.real.astype(dt), "imag": z.imag.astype(dt)}


SIZES = [1, 2, 3, 5, 8, 12, 64, 67, 96, 128]
for dt in ["float32", "float64"]:
    for n in SIZES:
        x = rand((n,), dt)
        F.add("fft", [x], {}, cx(np.fft.fft(x), dt), f"{dt} n={n}")
        F.add("rfft", [x], {}, cx(np.fft.rfft(x), dt), f"{dt} n={n}")
        z = cx(rand((n,), dt) + 1j * rand((n,), dt), dt)
        zc = z["real"].astype(np.float64) + 1j * z["imag"].astype(np.float64)
        F.add("ifft", [z], {}, cx(np.fft.ifft(zc), dt), f"{dt} n={n}")
        F.add("fft", [z], {}, cx(np.fft.fft(zc), dt), f"{dt} complex n={n}")
        if n > 1:
            F.add("irfft", [z], {}, np.fft.irfft(zc).astype(dt), f"{dt} n={n}")
            F.add("hfft", [z], {}, np.fft.hfft(zc).astype(dt), f"{dt} n={n}")
        F.add("ihfft", [x], {}, cx(np.fft.ihfft(x), dt), f"{dt} n={n}")
    x = rand((3, 10), dt)
    for n in [None, 4, 16, 7]:
        for norm in [None, "ortho", "forward", "backward"]:
            F.add("fft", [x], {"n": n, "norm": norm}, cx(np.fft.fft(x, n=n, norm=norm), dt), f"{dt} n={n} norm={norm}")
            F.add("ifft", [x], {"n": n, "norm": norm}, cx(np.fft.ifft(x, n=n, norm=norm), dt), f"{dt} ifft real input n={n} norm={norm}")
            F.add("rfft", [x], {"n": n, "norm": norm}, cx(np.fft.rfft(x, n=n, norm=norm), dt), f"{dt} n={n} norm={norm}")
            z = cx(np.fft.rfft(x), dt)
            zc = z["real"].astype(np.float64) + 1j * z["imag"].astype(np.float64)
            F.add("irfft", [z], {"n": n, "norm": norm}, np.fft.irfft(zc, n=n, norm=norm).astype(dt), f"{dt} n={n} norm={norm}")
    for axis in [0, -2]:
        F.add("fft", [x], {"axis": axis}, cx(np.fft.fft(x, axis=axis), dt), f"{dt} axis={axis}")
        F.add("rfft", [x], {"axis": axis}, cx(np.fft.rfft(x, axis=axis), dt), f"{dt} axis={axis}")
        F.add("irfft", [x], {"axis": axis}, np.fft.irfft(x, axis=axis).astype(dt), f"{dt} real input axis={axis}")
    x3 = rand((2, 3, 4), dt)
    z3 = cx(rand((2, 3, 4), dt) + 1j * rand((2, 3, 4), dt), dt)
    z3c = z3["real"].astype(np.float64) + 1j * z3["imag"].astype(np.float64)
    for s, axes in [(None, None), (None, [0, 2]), ([4, 5], None), ([2, 6], [2, 0]), (None, [-1])]:
        kw = {"s": s, "axes": axes}
        F.add("fftn", [z3], kw, cx(np.fft.fftn(z3c, s=s, axes=axes), dt), f"{dt} s={s} axes={axes}")
        F.add("ifftn", [z3], kw, cx(np.fft.ifftn(z3c, s=s, axes=axes), dt), f"{dt} s={s} axes={axes}")
        F.add("rfftn", [x3], kw, cx(np.fft.rfftn(x3, s=s, axes=axes), dt), f"{dt} s={s} axes={axes}")
        F.add("irfftn", [z3], kw, np.fft.irfftn(z3c, s=s, axes=axes).astype(dt), f"{dt} s={s} axes={axes}")
    for norm in [None, "ortho", "forward"]:
        F.add("fft2", [z3], {"norm": norm}, cx(np.fft.fft2(z3c, norm=norm), dt), f"{dt} norm={norm}")
        F.add("ifft2", [z3], {"norm": norm}, cx(np.fft.ifft2(z3c, norm=norm), dt), f"{dt} norm={norm}")
        F.add("rfft2", [x3], {"norm": norm}, cx(np.fft.rfft2(x3, norm=norm), dt), f"{dt} norm={norm}")
        F.add("irfft2", [z3], {"norm": norm}, np.fft.irfft2(z3c, norm=norm).astype(dt), f"{dt} norm={norm}")
    F.add("fft2", [z3], {"axes": [0, 1], "s": [3, 2]}, cx(np.fft.fft2(z3c, axes=(0, 1), s=(3, 2)), dt), f"{dt} axes s")
    F.add("fft", [np.zeros((0, 4), dt)], {}, cx(np.zeros((0, 4)), dt), f"{dt} empty batch")
F.add("fft", [np.arange(6, dtype=np.int32)], {}, cx(np.fft.fft(np.arange(6)), "float32"), "int32 -> float32")
for n, d in [(1, 1.0), (5, 1.0), (8, 0.1), (7, 2.0)]:
    F.add("fftfreq", [n, d], {}, np.fft.fftfreq(n, d).astype(np.float32), f"n={n} d={d}")
    F.add("rfftfreq", [n, d], {}, np.fft.rfftfreq(n, d).astype(np.float32), f"n={n} d={d}")
F.add("fftfreq", [6, 0.5], {"dtype": "float64"}, np.fft.fftfreq(6, 0.5), "float64")
for shape, axes in [((5,), None), ((4, 5), None), ((4, 5), 0), ((4, 5), [1]), ((3, 4, 5), [0, 2])]:
    x = rand(shape, "float32")
    kw = {} if axes is None else {"axes": axes}
    F.add("fftshift", [x], kw, np.fft.fftshift(x, axes=axes), f"{shape} {axes}")
    F.add("ifftshift", [x], kw, np.fft.ifftshift(x, axes=axes), f"{shape} {axes}")

common.write("fft", F.cases)
