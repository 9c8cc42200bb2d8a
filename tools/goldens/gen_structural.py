"""Goldens for the structural (shape) primitives and the Array shape methods.

Run: python3 tools/goldens/gen_structural.py   (NumPy only; writes
packages/core/test/fixtures/structural.json).

Every expected value is computed with NumPy: broadcast_in_dim as transpose +
reshape + np.broadcast_to, pad (with negative low/high and interior padding) as
a strided assignment into a filled array followed by a crop, the rest with the
matching NumPy function. Each case names the lax wrapper or Array method
(`op`), its arguments (`args`, encoded arrays) and its static arguments
(`params`, in the wrapper's argument order and camelCase names).
"""
import numpy as np

from common import enc, rng, sample, with_specials, write

R = rng(7)
ALL = ["float32", "float64", "float16", "int32", "uint8", "int8", "uint32", "bool"]
NUMERIC = [d for d in ALL if d != "bool"]
cases = []


def data(shape, dtype, special=True):
    """Random values; floats get NaN, +-inf and -0.0 sprinkled in."""
    x = sample(shape, dtype, R)
    return with_specials(x, negative_zero=True) if special else x


def add(op, args, params, out, note=""):
    cases.append({"op": op, "note": note, "args": [enc(a) for a in args], "params": params, "out": enc(out)})


# --- broadcast_in_dim --------------------------------------------------------
def broadcast_in_dim(x, shape, bdims):
    perm = np.argsort(bdims, kind="stable")
    xt = np.transpose(x, perm) if x.ndim else x
    sorted_dims = [bdims[i] for i in perm]
    expanded = [1] * len(shape)
    for k, d in enumerate(sorted_dims):
        expanded[d] = xt.shape[k]
    return np.broadcast_to(xt.reshape(expanded), shape).copy()


for dt in ALL:
    x = data((3,), dt)
    add("broadcastInDim", [x], {"shape": [2, 3], "broadcastDimensions": [1]}, broadcast_in_dim(x, [2, 3], [1]), dt)
    x = data((3, 1), dt)
    add("broadcastInDim", [x], {"shape": [2, 3, 4], "broadcastDimensions": [1, 2]},
        broadcast_in_dim(x, [2, 3, 4], [1, 2]), dt)
for dt in ["float32", "int8", "bool"]:
    x = data((3, 1), dt)
    add("broadcastInDim", [x], {"shape": [2, 3, 4], "broadcastDimensions": [1, 0]},
        broadcast_in_dim(x, [2, 3, 4], [1, 0]), "non-increasing dims (implicit transpose)")
    x = data((2, 3), dt)
    add("broadcastInDim", [x], {"shape": [3, 5, 2], "broadcastDimensions": [2, 0]},
        broadcast_in_dim(x, [3, 5, 2], [2, 0]), "transposing broadcast")
    x = data((), dt)
    add("broadcastInDim", [x], {"shape": [2, 3], "broadcastDimensions": []}, broadcast_in_dim(x, [2, 3], []), "scalar")
    x = data((4,), dt)
    add("broadcastInDim", [x], {"shape": [1, 4, 1], "broadcastDimensions": [1]},
        broadcast_in_dim(x, [1, 4, 1], [1]), "insert size-1 dims only")
    x = data((0, 1), dt)
    add("broadcastInDim", [x], {"shape": [2, 0, 5], "broadcastDimensions": [1, 2]},
        broadcast_in_dim(x, [2, 0, 5], [1, 2]), "zero-size")
    x = data((1,), dt)
    add("broadcastInDim", [x], {"shape": [0, 3], "broadcastDimensions": [1]},
        broadcast_in_dim(x, [0, 3], [1]), "to empty")
    x = data((2, 1, 3), dt)
    add("broadcastInDim", [x], {"shape": [4, 2, 5, 3], "broadcastDimensions": [1, 2, 3]},
        broadcast_in_dim(x, [4, 2, 5, 3], [1, 2, 3]), "middle broadcast")

for dt in ["float32", "uint8"]:
    x = data((2, 3), dt)
    add("broadcast", [x], {"sizes": [4]}, np.broadcast_to(x, (4, 2, 3)).copy(), dt)
    x = data((), dt)
    add("broadcast", [x], {"sizes": [2, 3]}, np.broadcast_to(x, (2, 3)).copy(), "scalar")

# --- reshape ----------------------------------------------------------------
for dt in ALL:
    x = data((2, 3, 4), dt)
    add("reshape", [x], {"newSizes": [6, 4], "dimensions": None}, x.reshape(6, 4), dt)
    add("reshape", [x], {"newSizes": [4, 6], "dimensions": [2, 0, 1]}, np.transpose(x, (2, 0, 1)).reshape(4, 6),
        "with dimensions")
for dt in ["float32", "int32", "bool"]:
    x = data((6,), dt)
    add("reshape", [x], {"newSizes": [1, 2, 1, 3], "dimensions": None}, x.reshape(1, 2, 1, 3), "size-1 dims")
    x = data((1,), dt)
    add("reshape", [x], {"newSizes": [], "dimensions": None}, x.reshape(()), "to scalar")
    x = data((), dt)
    add("reshape", [x], {"newSizes": [1, 1], "dimensions": None}, x.reshape(1, 1), "from scalar")
    x = data((0, 3), dt)
    add("reshape", [x], {"newSizes": [3, 0, 5], "dimensions": None}, x.reshape(3, 0, 5), "zero-size")
    x = data((2, 3), dt)
    add("reshape", [x], {"newSizes": [6], "dimensions": [1, 0]}, x.T.reshape(6), "transpose then flatten")

# --- squeeze / expand_dims -------------------------------------------------
for dt in ALL:
    x = data((1, 3, 1, 2), dt)
    add("squeeze", [x], {"dimensions": [0, 2]}, np.squeeze(x, (0, 2)), dt)
for dt in ["float32", "int8"]:
    x = data((1, 3, 1), dt)
    add("squeeze", [x], {"dimensions": [-1]}, np.squeeze(x, -1), "negative axis")
    add("squeeze", [x], {"dimensions": [2, -3]}, np.squeeze(x, (2, 0)), "unsorted, negative")
    x = data((1, 0, 1), dt)
    add("squeeze", [x], {"dimensions": [0]}, np.squeeze(x, 0), "zero-size")
    x = data((1,), dt)
    add("squeeze", [x], {"dimensions": [0]}, np.squeeze(x, 0), "to scalar")
    x = data((2, 3), dt)
    add("expandDims", [x], {"dimensions": [0]}, np.expand_dims(x, 0), dt)
    add("expandDims", [x], {"dimensions": [-1, 1]}, np.expand_dims(x, (-1, 1)), "negative, several")
    add("expandDims", [x], {"dimensions": [0, 2, 4]}, np.expand_dims(x, (0, 2, 4)), "interleaved")
    x = data((), dt)
    add("expandDims", [x], {"dimensions": [0]}, np.expand_dims(x, 0), "scalar")
for dt in ["uint32", "float16", "bool"]:
    x = data((3,), dt)
    add("expandDims", [x], {"dimensions": [0, 2]}, np.expand_dims(x, (0, 2)), dt)

# --- transpose / rev -------------------------------------------------------
for dt in ALL:
    x = data((2, 3, 4), dt)
    add("transpose", [x], {"permutation": [2, 0, 1]}, np.transpose(x, (2, 0, 1)), dt)
    add("rev", [x], {"dimensions": [0, 2]}, np.flip(x, (0, 2)), dt)
for dt in ["float32", "int32"]:
    x = data((37, 53), dt)
    add("transpose", [x], {"permutation": [1, 0]}, x.T, "2-D, larger")
    x = data((2, 33, 18), dt)
    add("transpose", [x], {"permutation": [0, 2, 1]}, np.transpose(x, (0, 2, 1)), "batched, tiled")
    x = data((17, 3, 35), dt)
    add("transpose", [x], {"permutation": [2, 1, 0]}, np.transpose(x, (2, 1, 0)), "reversed axes, tiled")
    x = data((20, 16, 3), dt)
    add("transpose", [x], {"permutation": [1, 2, 0]}, np.transpose(x, (1, 2, 0)), "tiled, exact tile")
    x = data((2, 3, 4, 5), dt)
    add("transpose", [x], {"permutation": [0, 3, 1, 2]}, np.transpose(x, (0, 3, 1, 2)), "4-D")
    add("transpose", [x], {"permutation": [1, 0, 2, 3]}, np.transpose(x, (1, 0, 2, 3)), "contiguous inner block")
    add("transpose", [x], {"permutation": [0, 1, 2, 3]}, x, "identity")
    x = data((0, 3), dt)
    add("transpose", [x], {"permutation": [1, 0]}, x.T, "zero-size")
    x = data((), dt)
    add("transpose", [x], {"permutation": []}, x, "scalar")
    x = data((3, 4), dt)
    add("rev", [x], {"dimensions": [-1]}, np.flip(x, -1), "negative axis")
    add("rev", [x], {"dimensions": []}, x, "no dims")
    x = data((2, 0), dt)
    add("rev", [x], {"dimensions": [0, 1]}, np.flip(x, (0, 1)), "zero-size")


# --- pad -------------------------------------------------------------------
def pad(x, pv, config):
    """XLA pad: low/high may be negative (crop); interior inserts between elements."""
    pos = [(max(lo, 0), max(hi, 0), it) for lo, hi, it in config]
    shape = [lo + hi + (d + (d - 1) * it if d else 0) for (lo, hi, it), d in zip(pos, x.shape)]
    out = np.full(shape, pv, dtype=x.dtype)
    out[tuple(slice(lo, lo + (d + (d - 1) * it if d else 0), it + 1) for (lo, hi, it), d in zip(pos, x.shape))] = x
    crop = tuple(slice(-lo if lo < 0 else 0, n - (-hi if hi < 0 else 0)) for (lo, hi, _), n in zip(config, shape))
    return out[crop]


for dt in ALL:
    x = data((3,), dt)
    pv = data((), dt, special=False)
    add("pad", [x, pv], {"paddingConfig": [[1, 2, 0]]}, pad(x, pv, [(1, 2, 0)]), dt)
    x = data((2, 3), dt)
    add("pad", [x, pv], {"paddingConfig": [[1, -1, 1], [-1, 2, 2]]}, pad(x, pv, [(1, -1, 1), (-1, 2, 2)]),
        "negative and interior")
for dt in ["float32", "int32", "float16"]:
    pv = np.array(-7, dtype=dt)
    x = data((5,), dt)
    for cfg in [[(-1, -2, 0)], [(-7, 2, 0)], [(-7, 3, 0)], [(2, -4, 0)], [(0, 0, 3)], [(-2, -3, 2)], [(-13, 0, 2)],
                [(-4, -4, 1)]]:
        add("pad", [x, pv], {"paddingConfig": [list(c) for c in cfg]}, pad(x, pv, cfg), f"1-D {cfg}")
    x = data((0, 2), dt)
    add("pad", [x, pv], {"paddingConfig": [[1, 1, 3], [0, 1, 0]]}, pad(x, pv, [(1, 1, 3), (0, 1, 0)]),
        "zero-size operand")
    x = data((), dt)
    add("pad", [x, pv], {"paddingConfig": []}, pad(x, pv, []), "scalar")
    x = data((2, 3, 2), dt)
    cfg = [(0, 1, 1), (-1, 0, 0), (2, -3, 1)]
    add("pad", [x, pv], {"paddingConfig": [list(c) for c in cfg]}, pad(x, pv, cfg), "3-D mixed")
x = np.array([1.5, np.nan, np.inf], np.float32)
pv = np.array(np.nan, np.float32)
add("pad", [x, pv], {"paddingConfig": [[1, 1, 1]]}, pad(x, pv, [(1, 1, 1)]), "NaN padding value")

# --- concatenate -----------------------------------------------------------
for dt in ALL:
    a, b = data((2, 3), dt), data((2, 1), dt)
    add("concatenate", [a, b], {"dimension": 1}, np.concatenate([a, b], 1), dt)
    a, b, c = data((1, 3), dt), data((2, 3), dt), data((3, 3), dt)
    add("concatenate", [a, b, c], {"dimension": 0}, np.concatenate([a, b, c], 0), "three")
for dt in ["float32", "uint8"]:
    a, b = data((2, 0, 4), dt), data((2, 3, 4), dt)
    add("concatenate", [a, b, a], {"dimension": -2}, np.concatenate([a, b, a], -2), "negative dim, empty operand")
    a, b = data((0, 2), dt), data((0, 3), dt)
    add("concatenate", [a, b], {"dimension": 1}, np.concatenate([a, b], 1), "zero-size output")
    a = data((4,), dt)
    add("concatenate", [a], {"dimension": 0}, a, "single operand")
    a, b = data((2, 2, 3), dt), data((2, 2, 5), dt)
    add("concatenate", [a, b], {"dimension": 2}, np.concatenate([a, b], 2), "last dim")

# --- iota ------------------------------------------------------------------
for dt in NUMERIC:
    add("iota", [], {"dtype": dt, "size": 5}, np.arange(5).astype(dt), dt)
    add("broadcastedIota", [], {"dtype": dt, "shape": [2, 3, 4], "dimension": 1},
        np.broadcast_to(np.arange(3).astype(dt).reshape(1, 3, 1), (2, 3, 4)).copy(), dt)
for dt in ["int32", "float32"]:
    add("broadcastedIota", [], {"dtype": dt, "shape": [3, 2], "dimension": -1},
        np.broadcast_to(np.arange(2).astype(dt), (3, 2)).copy(), "negative dimension")
    add("broadcastedIota", [], {"dtype": dt, "shape": [3, 0], "dimension": 0}, np.zeros((3, 0), dt), "zero-size")
    add("iota", [], {"dtype": dt, "size": 0}, np.zeros((0,), dt), "empty")
add("iota", [], {"dtype": "uint8", "size": 300}, np.arange(300).astype(np.uint8), "uint8 wraps")
add("iota", [], {"dtype": "int8", "size": 200}, np.arange(200).astype(np.int8), "int8 wraps")
add("iota", [], {"dtype": "float16", "size": 2100}, np.arange(2100).astype(np.float16), "float16 rounds past 2048")

# --- slice -----------------------------------------------------------------
for dt in ALL:
    x = data((4, 5), dt)
    add("slice", [x], {"startIndices": [1, 0], "limitIndices": [3, 5], "strides": None}, x[1:3, 0:5], dt)
    add("slice", [x], {"startIndices": [0, 1], "limitIndices": [4, 5], "strides": [3, 2]}, x[0:4:3, 1:5:2],
        "strided")
for dt in ["float32", "int32"]:
    x = data((3, 4, 5), dt)
    add("slice", [x], {"startIndices": [1, 1, 1], "limitIndices": [3, 4, 5], "strides": [1, 2, 3]},
        x[1:3, 1:4:2, 1:5:3], "3-D strided")
    add("slice", [x], {"startIndices": [0, 0, 0], "limitIndices": [3, 4, 5], "strides": [1, 1, 1]}, x, "full")
    add("slice", [x], {"startIndices": [2, 4, 0], "limitIndices": [2, 4, 5], "strides": None}, x[2:2, 4:4, :],
        "empty")
    add("slice", [x], {"startIndices": [0, 3, 4], "limitIndices": [3, 4, 5], "strides": [5, 7, 1]},
        x[0:3:5, 3:4:7, 4:5:1], "stride past limit")
    x = data((), dt)
    add("slice", [x], {"startIndices": [], "limitIndices": [], "strides": None}, x, "scalar")
    x = data((6, 4), dt)
    add("sliceInDim", [x], {"startIndex": 1, "limitIndex": -1, "stride": 2, "axis": 0}, x[1:-1:2], "negative limit")
    add("sliceInDim", [x], {"startIndex": -3, "limitIndex": None, "stride": 1, "axis": -1}, x[:, -3:],
        "negative start, default limit, negative axis")
    add("sliceInDim", [x], {"startIndex": None, "limitIndex": 2, "stride": 1, "axis": 1}, x[:, :2], "default start")
    x = data((2, 3, 4), dt)
    add("collapse", [x], {"startDimension": 0, "stopDimension": 2}, x.reshape(6, 4), "0:2")
    add("collapse", [x], {"startDimension": 1, "stopDimension": None}, x.reshape(2, 12), "1:")
    add("collapse", [x], {"startDimension": -2, "stopDimension": None}, x.reshape(2, 12), "-2:")
    add("collapse", [x], {"startDimension": 1, "stopDimension": 1}, x.reshape(2, 1, 3, 4), "empty range")

# --- Array methods (NumPy semantics) -------------------------------------------
for dt in ["float32", "int32", "uint8", "bool", "float16"]:
    x = data((2, 3, 4), dt)
    add("m.reshape", [x], {"args": [4, -1]}, x.reshape(4, -1), dt)
    add("m.reshape", [x], {"args": [[-1]]}, x.reshape(-1), "list form")
    add("m.reshape", [x], {"args": [3, 2, 4]}, x.reshape(3, 2, 4), "")
    add("m.transpose", [x], {"args": []}, x.transpose(), "reverse")
    add("m.transpose", [x], {"args": [1, -1, 0]}, x.transpose(1, -1, 0), "")
    add("m.transpose", [x], {"args": [[2, 0, 1]]}, x.transpose([2, 0, 1]), "list form")
    add("m.T", [x], {}, x.T, "")
    add("m.ravel", [x], {}, x.ravel(), "")
    add("m.swapaxes", [x], {"args": [0, -1]}, np.swapaxes(x, 0, -1), "")
    y = data((1, 3, 1), dt)
    add("m.squeeze", [y], {"args": []}, y.squeeze(), "all size-1")
    add("m.squeeze", [y], {"args": [-1]}, y.squeeze(-1), "one axis")
    add("m.squeeze", [y], {"args": [[0, 2]]}, y.squeeze((0, 2)), "axes")
    add("m.expandDims", [x], {"args": [1]}, np.expand_dims(x, 1), "")
    add("m.expandDims", [x], {"args": [[0, -1]]}, np.expand_dims(x, (0, -1)), "axes")
    z = data((3, 1), dt)
    add("m.broadcastTo", [z], {"args": [[2, 3, 4]]}, np.broadcast_to(z, (2, 3, 4)).copy(), "")
    add("m.broadcastTo", [z], {"args": [[3, 1]]}, z, "same shape")
    add("m.broadcastTo", [z], {"args": [[3, 0]]}, np.broadcast_to(z, (3, 0)).copy(), "to zero-size")
    s = data((), dt)
    add("m.reshape", [s], {"args": [1, 1, -1]}, s.reshape(1, 1, -1), "scalar")
    add("m.ravel", [s], {}, s.ravel(), "scalar")
    e = data((0, 3), dt)
    add("m.reshape", [e], {"args": [3, -1, 1]}, e.reshape(3, -1, 1), "zero-size")
    add("m.T", [e], {}, e.T, "zero-size")

# Binary methods broadcast their operands (NumPy rules).
for dt in ["float32", "int32", "uint8", "float64"]:
    a, b = data((3, 1), dt), data((1, 4), dt)
    add("m.add", [a, b], {}, a + b, "(3,1)+(1,4)")
    a, b = data((4,), dt), data((2, 3, 4), dt)
    add("m.mul", [a, b], {}, a * b, "(4,)*(2,3,4)")
    a, b = data((2, 1, 3), dt), data((5, 1), dt)
    add("m.sub", [a, b], {}, a - b, "(2,1,3)-(5,1)")
    a, b = data((0, 1), dt), data((1, 3), dt)
    add("m.maximum", [a, b], {}, np.maximum(a, b), "(0,1) with (1,3)")
    a, b = data((3, 1), dt), data((3,), dt)
    add("m.lt", [a, b], {}, a < b, "comparison (3,1)<(3,)")

write("structural", cases)
