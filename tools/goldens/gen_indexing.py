"""Goldens for the indexing primitives: dynamic_slice, dynamic_update_slice, gather
and the scatter family, plus the Jaxpr text JAX prints for them.

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_indexing.py
     (JAX 0.10.2 + NumPy; writes packages/core/test/fixtures/indexing.json and
     packages/core/test/fixtures/indexing_jaxpr.json).

Expected values are computed by JAX itself (jax.lax on the CPU backend), because
NumPy has no gather/scatter with XLA's dimension numbers, clamping and
out-of-bounds modes. Each value case names the lax wrapper (`op`, camelCase),
its arguments (`args`, encoded arrays; dynamic-slice start indices are 0-d
arrays of their index dtype) and its static arguments (`params`, snake_case as
JAX's), and the JAX result (`out`). The Jaxpr cases are printed with x64 off
(so indices print as i32), the value cases are computed with x64 on so that
float64 inputs keep their dtype.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from common import enc, enc_scalar, rng, sample, write

R = rng(11)
ALL = ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32", "bool"]
NUMERIC = [d for d in ALL if d != "bool"]
MODES = ["clip", "fill", "promise_in_bounds"]


def data(shape, dtype):
    """Random values; floats get NaN/inf/-0.0 where there is room."""
    x = sample(shape, dtype, R)
    if np.dtype(dtype).kind == "f" and x.size >= 6:
        flat = x.reshape(-1)
        flat[1] = np.nan
        flat[3] = np.inf
        flat[4] = -0.0
    return x


def gdn(offset_dims, collapsed, start_map, obatch=(), ibatch=()):
    return dict(offset_dims=list(offset_dims), collapsed_slice_dims=list(collapsed), start_index_map=list(start_map),
                operand_batching_dims=list(obatch), start_indices_batching_dims=list(ibatch))


def sdn(window, inserted, to_operand, obatch=(), ibatch=()):
    return dict(update_window_dims=list(window), inserted_window_dims=list(inserted),
                scatter_dims_to_operand_dims=list(to_operand), operand_batching_dims=list(obatch),
                scatter_indices_batching_dims=list(ibatch))


def to_gdn(d):
    return lax.GatherDimensionNumbers(**{k: tuple(v) for k, v in d.items()})


def to_sdn(d):
    return lax.ScatterDimensionNumbers(**{k: tuple(v) for k, v in d.items()})


# ---------------------------------------------------------------------------
# Jaxpr texts (x64 off)

jaxpr_cases = []


def show(name, f, *args):
    jaxpr_cases.append({"name": name, "jaxpr": str(jax.make_jaxpr(f)(*args))})


f32_5 = jnp.zeros(5, jnp.float32)
i31 = jnp.zeros((3, 1), jnp.int32)
TAKE = to_gdn(gdn((), (0,), (0,)))
ROWS = to_sdn(sdn((), (0,), (0,)))
show("gather_default", lambda x, i: lax.gather(x, i, TAKE, (1,)), f32_5, i31)
show("gather_fill_f32", lambda x, i: lax.gather(x, i, TAKE, (1,), mode="fill"), f32_5, i31)
show("gather_fill_i8", lambda x, i: lax.gather(x, i, TAKE, (1,), mode="fill"), jnp.zeros(5, jnp.int8), i31)
show("gather_fill_u8", lambda x, i: lax.gather(x, i, TAKE, (1,), mode="fill"), jnp.zeros(5, jnp.uint8), i31)
show("gather_fill_i32", lambda x, i: lax.gather(x, i, TAKE, (1,), mode="fill"), jnp.zeros(5, jnp.int32), i31)
show("gather_fill_u32", lambda x, i: lax.gather(x, i, TAKE, (1,), mode="fill"), jnp.zeros(5, jnp.uint32), i31)
show("gather_fill_bool", lambda x, i: lax.gather(x, i, TAKE, (1,), mode="fill"), jnp.zeros(5, jnp.bool_), i31)
show("gather_fill_value", lambda x, i: lax.gather(x, i, TAKE, (1,), mode="fill", fill_value=2.5), f32_5, i31)
show("gather_clip_flags",
     lambda x, i: lax.gather(x, i, to_gdn(gdn((1,), (2,), (2,), (0,), (0,))), (1, 3, 1), mode="clip",
                             indices_are_sorted=True, unique_indices=True, fill_value=7.0),
     jnp.zeros((2, 3, 4), jnp.float32), jnp.zeros((2, 5, 1), jnp.int32))
show("scatter", lambda x, i, y: lax.scatter(x, i, y, ROWS), f32_5, i31, jnp.zeros(3, jnp.float32))
show("scatter_add", lambda x, i, y: lax.scatter_add(x, i, y, ROWS), f32_5, i31, jnp.zeros(3, jnp.float32))
show("scatter_sub", lambda x, i, y: lax.scatter_sub(x, i, y, ROWS), f32_5, i31, jnp.zeros(3, jnp.float32))
show("scatter_mul", lambda x, i, y: lax.scatter_mul(x, i, y, ROWS, mode="clip"), f32_5, i31, jnp.zeros(3, jnp.float32))
show("scatter_min_i32", lambda x, i, y: lax.scatter_min(x, i, y, ROWS, mode="promise_in_bounds"),
     jnp.zeros(5, jnp.int32), i31, jnp.zeros(3, jnp.int32))
show("scatter_max_u8", lambda x, i, y: lax.scatter_max(x, i, y, ROWS, indices_are_sorted=True, unique_indices=True),
     jnp.zeros(5, jnp.uint8), jnp.zeros((3, 1), jnp.int8), jnp.zeros(3, jnp.uint8))
show("scatter_add_twice", lambda x, i, y: lax.scatter_add(lax.scatter_add(x, i, y, ROWS), i, y, ROWS),
     f32_5, i31, jnp.zeros(3, jnp.float32))
show("scatter_window",
     lambda x, i, y: lax.scatter(x, i, y, to_sdn(sdn((1,), (0,), (0,)))),
     jnp.zeros((4, 3), jnp.float32), jnp.zeros((2, 1), jnp.int32), jnp.zeros((2, 3), jnp.float32))
show("dynamic_slice_traced", lambda x, i: lax.dynamic_slice(x, (i,), (2,)), f32_5, jnp.int32(0))
show("dynamic_slice_static_neg", lambda x: lax.dynamic_slice(x, (-1,), (2,)), f32_5)
show("dynamic_slice_u8", lambda x, i: lax.dynamic_slice(x, (i,), (2,)), f32_5, jnp.uint8(1))
show("dynamic_slice_weak", lambda x, i, j: lax.dynamic_slice(x, (i, j), (1, 2)), jnp.zeros((2, 3), jnp.float32), 0, 1)
show("dynamic_slice_no_neg", lambda x, i: lax.dynamic_slice(x, (i,), (2,), allow_negative_indices=False), f32_5,
     jnp.int32(0))
show("dynamic_update_slice", lambda x, y, i: lax.dynamic_update_slice(x, y, (i,)), f32_5, jnp.zeros(2, jnp.float32),
     jnp.int32(0))
show("dynamic_update_slice_2d", lambda x, y, i: lax.dynamic_update_slice(x, y, (i, 1)), jnp.zeros((3, 4), jnp.float32),
     jnp.zeros((1, 2), jnp.float32), jnp.int32(0))
show("dynamic_slice_in_dim_i8", lambda x, i: lax.dynamic_slice_in_dim(x, i, 2, 1), jnp.zeros((3, 4), jnp.float32),
     jnp.int8(1))
show("dynamic_update_slice_in_dim", lambda x, y, i: lax.dynamic_update_slice_in_dim(x, y, i, 0),
     jnp.zeros((3, 4), jnp.float32), jnp.zeros((1, 4), jnp.float32), jnp.int32(1))

write("indexing_jaxpr", jaxpr_cases)

# ---------------------------------------------------------------------------
# Values (x64 on, so float64 stays float64)

jax.config.update("jax_enable_x64", True)
cases = []


def add(op, args, params, out, note=""):
    cases.append({"op": op, "note": note, "args": [enc(a) for a in args], "params": params, "out": enc(np.asarray(out))})


def run_gather(x, idx, dn, sizes, mode, note, fill=None):
    kw = {} if fill is None else {"fill_value": fill}
    out = lax.gather(x, idx, to_gdn(dn), tuple(sizes), mode=mode, **kw)
    params = {"dimension_numbers": dn, "slice_sizes": list(sizes), "mode": mode}
    if fill is not None:
        params["fill_value"] = enc_scalar(fill)
    add("gather", [x, idx], params, out, note)


I32 = np.int32

# --- gather: take along axis 0 of a vector, every dtype and mode (with OOB indices) ---
take_idx = np.array([[0], [4], [2], [2], [-1], [5], [7]], I32)
for dt in ALL:
    for mode in MODES:
        run_gather(data((5,), dt), take_idx, gdn((), (0,), (0,)), (1,), mode, f"take 1-D {dt}")
# index dtypes
for idt, vals in [("int8", [0, 4, -1, 100]), ("uint8", [0, 4, 200, 3]), ("uint32", [0, 4, 2**32 - 1, 2**31 + 1]),
                  ("int16", [1, -3, 300, 2]), ("int32", [-2**31, 2**31 - 1, 3, 0])]:
    for mode in MODES:
        run_gather(data((5,), "float32"), np.array(vals, idt)[:, None], gdn((), (0,), (0,)), (1,), mode,
                   f"take with {idt} indices")
# custom fill values
run_gather(data((5,), "float32"), take_idx, gdn((), (0,), (0,)), (1,), "fill", "fill 2.5", fill=2.5)
run_gather(data((5,), "int32"), take_idx, gdn((), (0,), (0,)), (1,), "fill", "fill 7 int", fill=7)
run_gather(data((5,), "uint8"), take_idx, gdn((), (0,), (0,)), (1,), "fill", "fill 300 into uint8 wraps", fill=300)
run_gather(data((5,), "bool"), take_idx, gdn((), (0,), (0,)), (1,), "fill", "fill False", fill=False)

# --- rows of a matrix (take axis 0) and columns (take axis 1) ---
for dt in ["float32", "int8", "bool", "float16"]:
    for mode in MODES:
        run_gather(data((4, 3), dt), np.array([[3], [0], [-2], [4], [1]], I32), gdn((1,), (0,), (0,)), (1, 3), mode,
                   "rows (take axis 0)")
        run_gather(data((3, 4), dt), np.array([[3], [0], [9], [1]], I32), gdn((0,), (1,), (1,)), (3, 1), mode,
                   "columns (take axis 1)")
# 2-D batch of row indices
run_gather(data((4, 3), "float32"), np.array([[[3], [0]], [[1], [1]], [[2], [3]]], I32), gdn((2,), (0,), (0,)), (1, 3),
           "promise_in_bounds", "rows, 2-D batch")
# offset dims interleaved in the output: (4,5,6) indexed on axis 1 -> (4,3,6)
run_gather(data((4, 5, 6), "float64"), np.array([[4], [0], [2]], I32), gdn((0, 2), (1,), (1,)), (4, 1, 6), "clip",
           "offset dims (0, 2) around the batch dim")
# a non-collapsed size-1 window dimension
run_gather(data((4, 5), "int32"), np.array([[1], [3]], I32), gdn((1, 2), (), (0,)), (1, 5), "clip",
           "size-1 window dim kept")
# scalar batch: indices of shape (1,)
run_gather(data((4, 5), "uint32"), np.array([2], I32), gdn((0,), (0,), (0,)), (1, 5), "clip", "single index vector")

# --- 2-D index vectors: points, and permuted start_index_map ---
pts = np.array([[0, 0], [3, 4], [1, 2], [4, 1], [-1, 2], [2, 5]], I32)
for dt in ["float32", "int32", "uint8"]:
    for mode in MODES:
        run_gather(data((4, 5), dt), pts, gdn((), (0, 1), (0, 1)), (1, 1), mode, "points (2-D index vectors)")
        run_gather(data((5, 4), dt), pts, gdn((), (0, 1), (1, 0)), (1, 1), mode, "points, start_index_map (1, 0)")

# --- windows: 2x3 windows of a 6x7 matrix, some partly out of bounds ---
starts = np.array([[0, 0], [4, 4], [5, 1], [2, 6], [-1, -3], [1, 2]], I32)
for dt in ["float32", "int8", "float64"]:
    for mode in MODES:
        run_gather(data((6, 7), dt), starts, gdn((1, 2), (), (0, 1)), (2, 3), mode, "2x3 windows")
        run_gather(data((6, 7), dt), starts[:, :1], gdn((1, 2), (), (0,)), (2, 3), mode,
                   "windows indexed on axis 0 only (axis 1 starts at 0)")
        run_gather(data((6, 7), dt), starts, gdn((1,), (0,), (0, 1)), (1, 4), mode, "collapsed row, window of 4")

# --- batching dims (take_along_axis-style) ---
for mode in MODES:
    # along axis 2 with operand batch dim 0: (2,3,4) x (2,5,1) -> (2,5,3)
    run_gather(data((2, 3, 4), "float32"), np.array([[[1], [2], [0], [3], [5]], [[0], [3], [-1], [2], [1]]], I32),
               gdn((2,), (2,), (2,), (0,), (0,)), (1, 3, 1), mode, "batched gather on axis 2")
    # take_along_axis on axis 1 of (2,3,4) with indices (2,5,4): batching dims (0, 2)
    idx = R.integers(-1, 4, size=(2, 5, 4, 1)).astype(I32)
    run_gather(data((2, 3, 4), "int32"), idx, gdn((), (1,), (1,), (0, 2), (0, 2)), (1, 1, 1), mode,
               "take_along_axis axis 1")
    # batching dims in swapped order: operand (2,3,4) dims (0,1) <-> indices dims (1,0) of (3,2,5,1)
    idx = R.integers(0, 5, size=(3, 2, 5, 1)).astype(I32)
    run_gather(data((2, 3, 4), "float16"), idx, gdn((), (2,), (2,), (0, 1), (1, 0)), (1, 1, 1), mode,
               "batching dims in swapped order")

# --- zero-size ---
run_gather(data((5,), "float32"), np.zeros((0, 1), I32), gdn((), (0,), (0,)), (1,), "fill", "no indices")
run_gather(data((3, 0), "float32"), np.array([[1], [2]], I32), gdn((1,), (0,), (0,)), (1, 0), "clip",
           "zero-size window")
run_gather(data((0, 3), "int8"), np.zeros((0, 1), I32), gdn((1,), (0,), (0,)), (1, 3), "fill",
           "empty operand, no indices (slice size beyond the operand is allowed)")
run_gather(data((4, 3), "float32"), np.zeros((2, 0), I32), gdn((1, 2), (), ()), (4, 3), "clip",
           "empty index vector: whole operand per batch element")


# --- scatter family ---------------------------------------------------------
SCATTERS = {"scatter": lax.scatter, "scatterAdd": lax.scatter_add, "scatterSub": lax.scatter_sub,
            "scatterMul": lax.scatter_mul, "scatterMin": lax.scatter_min, "scatterMax": lax.scatter_max}


def run_scatter(op, x, idx, upd, dn, mode, note):
    out = SCATTERS[op](x, idx, upd, to_sdn(dn), mode=mode)
    add(op, [x, idx, upd], {"dimension_numbers": dn, "mode": mode}, out, note)


def ops_for(dt):
    return list(SCATTERS) if dt != "bool" else ["scatter", "scatterMin", "scatterMax"]


def small(shape, dt):
    """Update values that keep products of a few duplicates in range for small ints."""
    if dt in ("int8", "uint8", "int32", "uint32"):
        lo = 0 if dt.startswith("u") else -3
        return R.integers(lo, 4, size=shape).astype(dt)
    return data(shape, dt)


dup_idx = np.array([[1], [1], [4], [0], [1], [-1], [5], [4]], I32)
for dt in ALL:
    for op in ops_for(dt):
        for mode in MODES:
            run_scatter(op, data((5,), dt), dup_idx, small((8,), dt), sdn((), (0,), (0,)), mode,
                        f"scalars with duplicates and OOB, {dt}")
# integer overflow wraps; float16 rounds after every update
add_big = np.array([100, 100, 100], np.int8)
run_scatter("scatterAdd", np.array([1, 2, 3], np.int8), np.array([[0], [0], [2]], I32), add_big, sdn((), (0,), (0,)),
            "fill", "int8 add wraps")
run_scatter("scatterMul", np.array([100000, 2, 3], np.int32), np.array([[0], [0]], I32),
            np.array([100000, 100000], np.int32), sdn((), (0,), (0,)), "fill", "int32 mul wraps")
run_scatter("scatterMul", np.array([4000000000, 2, 3], np.uint32), np.array([[0], [0]], I32),
            np.array([3, 4000000000], np.uint32), sdn((), (0,), (0,)), "fill", "uint32 mul wraps")
run_scatter("scatterSub", np.array([1, 2, 3], np.uint8), np.array([[0], [0]], I32), np.array([5, 250], np.uint8),
            sdn((), (0,), (0,)), "fill", "uint8 sub wraps")
run_scatter("scatterAdd", np.array([1, 2, 3], np.float16), np.array([[0], [0], [0]], I32),
            np.array([0.0004, 0.0004, 0.0004], np.float16), sdn((), (0,), (0,)), "fill",
            "float16 rounds after each add")
run_scatter("scatterAdd", np.array([1, 2, 3], np.float32), np.array([[0], [0], [0]], I32),
            np.array([1e-8, 1e-8, 1e-8], np.float32), sdn((), (0,), (0,)), "fill", "float32 rounds after each add")
# NaN in min/max
for op in ["scatterMin", "scatterMax"]:
    run_scatter(op, np.array([1.0, np.nan, 3.0, -np.inf], np.float32), np.array([[0], [2], [1], [3]], I32),
                np.array([np.nan, 2.0, 0.0, 5.0], np.float32), sdn((), (0,), (0,)), "fill", "NaN propagates")

# index dtypes
for idt, vals in [("int8", [0, 4, -1, 100, 2]), ("uint8", [0, 4, 200, 3, 3]), ("uint32", [0, 2**32 - 1, 2**31 + 1, 2, 2]),
                  ("int16", [1, -3, 300, 2, 1])]:
    for mode in MODES:
        run_scatter("scatterAdd", data((5,), "float32"), np.array(vals, idt)[:, None], data((5,), "float32"),
                    sdn((), (0,), (0,)), mode, f"{idt} indices")

# row windows: operand (4,3), rows at indices, updates (n,3)
rows = np.array([[3], [0], [3], [-1], [4], [1]], I32)
for dt in ["float32", "int32", "bool"]:
    for op in ops_for(dt):
        for mode in MODES:
            run_scatter(op, data((4, 3), dt), rows, small((6, 3), dt), sdn((1,), (0,), (0,)), mode, "row updates")
# column windows: operand (3,4), columns, updates (3, n) with update_window_dims=(0,)
for mode in MODES:
    run_scatter("scatterAdd", data((3, 4), "float64"), np.array([[3], [0], [9], [3]], I32), data((3, 4), "float64"),
                sdn((0,), (1,), (1,)), mode, "column updates")
# windows partly out of bounds: length-2 windows into a length-5 vector
for op in ["scatter", "scatterAdd", "scatterMax"]:
    for mode in MODES:
        run_scatter(op, data((5,), "float32"), np.array([[4], [-1], [1], [3], [2]], I32), data((5, 2), "float32"),
                    sdn((1,), (), (0,)), mode, "length-2 windows, some OOB")
# 2-D windows into a matrix with 2-D start vectors
for mode in MODES:
    run_scatter("scatterAdd", data((6, 7), "int32"), np.array([[0, 0], [4, 4], [5, 1], [2, 6], [-1, -3], [1, 2]], I32),
                small((6, 2, 3), "int32"), sdn((1, 2), (), (0, 1)), mode, "2x3 windows")
# points with 2-D index vectors (duplicates), and permuted scatter_dims_to_operand_dims
pts_dup = np.array([[0, 0], [3, 4], [1, 2], [3, 4], [4, 1], [-1, 2], [1, 2]], I32)
for op in ["scatter", "scatterAdd", "scatterMul", "scatterMin"]:
    for mode in MODES:
        run_scatter(op, data((4, 5), "float32"), pts_dup, data((7,), "float32"), sdn((), (0, 1), (0, 1)), mode,
                    "points with duplicates")
        run_scatter(op, data((5, 4), "float32"), pts_dup, data((7,), "float32"), sdn((), (0, 1), (1, 0)), mode,
                    "points, scatter_dims_to_operand_dims (1, 0)")
# update window dims interleaved: operand (4,5,6) on axis 1, updates (4,3,6)
run_scatter("scatterAdd", data((4, 5, 6), "float32"), np.array([[4], [0], [4]], I32), data((4, 3, 6), "float32"),
            sdn((0, 2), (1,), (1,)), "fill", "update_window_dims (0, 2)")
# 2-D batch of indices
run_scatter("scatterAdd", data((5,), "int32"), np.array([[[1], [2], [1]], [[0], [4], [1]]], I32),
            small((2, 3), "int32"), sdn((), (0,), (0,)), "fill", "2-D batch of indices")
# batching dims: put_along_axis on axis 1 of (2,3,4) with indices (2,5,4)
for op in ["scatter", "scatterAdd", "scatterMax"]:
    for mode in MODES:
        idx = R.integers(-1, 4, size=(2, 5, 4, 1)).astype(I32)
        run_scatter(op, data((2, 3, 4), "float32"), idx, data((2, 5, 4), "float32"),
                    sdn((), (1,), (1,), (0, 2), (0, 2)), mode, "put_along_axis axis 1 (batching dims)")
        idx = R.integers(0, 5, size=(3, 2, 5, 1)).astype(I32)
        run_scatter(op, data((2, 3, 4), "float32"), idx, data((3, 2, 5), "float32"),
                    sdn((), (2,), (2,), (0, 1), (1, 0)), mode, "batching dims in swapped order")
# batched rows: operand (2,4,3), batch dim 0, rows on axis 1, updates (2, n, 3)
run_scatter("scatterAdd", data((2, 4, 3), "float32"), np.array([[[1], [3]], [[0], [0]]], I32),
            data((2, 2, 3), "float32"), sdn((2,), (1,), (1,), (0,), (0,)), "fill", "batched row windows")
# zero-size
run_scatter("scatterAdd", data((5,), "float32"), np.zeros((0, 1), I32), np.zeros((0,), np.float32),
            sdn((), (0,), (0,)), "fill", "no updates")
run_scatter("scatter", data((4, 0), "float32"), np.array([[1], [2]], I32), np.zeros((2, 0), np.float32),
            sdn((1,), (0,), (0,)), "clip", "zero-size windows")
run_scatter("scatter", np.zeros((0,), np.float32), np.zeros((0, 1), I32), np.zeros((0,), np.float32),
            sdn((), (0,), (0,)), "fill", "empty operand")


# --- dynamic_slice / dynamic_update_slice -------------------------------------
def scalars(vals, idt):
    return [np.array(v, idt) for v in vals]


def run_ds(x, starts, idt, sizes, note, allow_neg=True):
    st = scalars(starts, idt)
    out = lax.dynamic_slice(x, [jnp.asarray(s) for s in st], tuple(sizes), allow_negative_indices=allow_neg)
    add("dynamicSlice", [x, *st], {"slice_sizes": list(sizes), "allow_negative_indices": allow_neg}, out, note)


def run_dus(x, upd, starts, idt, note, allow_neg=True):
    st = scalars(starts, idt)
    out = lax.dynamic_update_slice(x, upd, [jnp.asarray(s) for s in st], allow_negative_indices=allow_neg)
    add("dynamicUpdateSlice", [x, upd, *st], {"allow_negative_indices": allow_neg}, out, note)


for dt in ALL:
    x = data((5,), dt)
    for s in [0, 2, 3, 4, 7, -1, -2, -9]:
        run_ds(x, [s], "int32", (2,), f"1-D {dt} start {s}")
        run_dus(x, data((2,), dt), [s], "int32", f"1-D {dt} start {s}")
for dt in ["float32", "int8", "bool"]:
    x = data((4, 5, 3), dt)
    for st in [[1, 2, 0], [3, 4, 2], [-1, 0, -3], [9, -9, 1]]:
        run_ds(x, st, "int32", (2, 3, 2), f"3-D {dt}")
        run_dus(x, data((2, 3, 2), dt), st, "int32", f"3-D {dt}")
for idt, st in [("int8", [-1, 100]), ("uint8", [200, 1]), ("uint32", [2**32 - 1, 2]), ("int16", [-300, 2]),
                ("int32", [-2**31, 2**31 - 1])]:
    x = data((4, 5), "float32")
    run_ds(x, st, idt, (2, 2), f"{idt} starts")
    run_dus(x, data((2, 2), "float32"), st, idt, f"{idt} starts")
x = data((4, 5), "float64")
for st in [[-1, -2], [2, -5]]:
    run_ds(x, st, "int32", (2, 2), "negative starts clamp to 0 with allow_negative_indices=False", allow_neg=False)
    run_dus(x, data((2, 2), "float64"), st, "int32", "negative starts clamp with allow_negative_indices=False",
            allow_neg=False)
run_ds(data((4, 5), "float32"), [2, 3], "int32", (0, 2), "zero-size slice")
run_ds(data((0, 5), "float32"), [2, 3], "int32", (0, 2), "empty operand")
run_ds(data((), "float32"), [], "int32", (), "rank 0")
run_dus(data((4, 5), "int32"), np.zeros((0, 2), np.int32), [2, 3], "int32", "zero-size update")
run_dus(data((4, 5), "int32"), data((4, 5), "int32"), [2, 3], "int32", "whole-array update")
run_dus(data((), "float32"), data((), "float32"), [], "int32", "rank 0")

# in-dim helpers (start indices as 0-d arrays of their dtype)
for idt in ["int32", "int8"]:
    x = data((3, 6), "float32")
    for s in [1, -2, 5, -8]:
        si = np.array(s, idt)
        add("dynamicSliceInDim", [x, si], {"slice_size": 3, "axis": 1},
            lax.dynamic_slice_in_dim(x, jnp.asarray(si), 3, 1), f"{idt} start {s}")
        add("dynamicIndexInDim", [x, si], {"axis": 1, "keepdims": True},
            lax.dynamic_index_in_dim(x, jnp.asarray(si), 1, True), f"{idt} index {s}")
        add("dynamicIndexInDim", [x, si], {"axis": -1, "keepdims": False},
            lax.dynamic_index_in_dim(x, jnp.asarray(si), -1, False), f"{idt} index {s}, no keepdims")
        u = data((3, 2), "float32")
        add("dynamicUpdateSliceInDim", [x, u, si], {"axis": 1},
            lax.dynamic_update_slice_in_dim(x, u, jnp.asarray(si), 1), f"{idt} start {s}")
        u = data((6,), "float32")
        add("dynamicUpdateIndexInDim", [x, u, si], {"axis": 0},
            lax.dynamic_update_index_in_dim(x, u, jnp.asarray(si), 0), f"{idt} index {s}, rank-1 update")
        u = data((3, 1), "float32")
        add("dynamicUpdateIndexInDim", [x, u, si], {"axis": 1},
            lax.dynamic_update_index_in_dim(x, u, jnp.asarray(si), 1), f"{idt} index {s}")

write("indexing", cases)
