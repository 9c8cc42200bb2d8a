"""Goldens for conv_general_dilated (lax.convGeneralDilated / conv /
convWithGeneralPadding).

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_conv.py
(JAX 0.10.2 defines the semantics: writes packages/core/test/fixtures/conv.json.)

Values: JAX's conv_general_dilated on the CPU with 64-bit mode on, run on the
inputs widened to float64 and the result cast to the output dtype, so float
results are correctly rounded (integer results are exact sums, wrapped like
XLA's; the generator checks them against JAX's own integer convolution).

Each case gives the wrapper's arguments as the test passes them: `args`
(encoded lhs, rhs) and `params` {windowStrides, padding ("SAME" / "VALID" /
"SAME_LOWER" or [[lo, hi], ...]), lhsDilation, rhsDilation, dimensionNumbers
(null or three layout strings), featureGroupCount, batchGroupCount,
preferredElementType}. Error cases hold what JAX rejects; jaxpr cases hold
make_jaxpr texts.
"""
import numpy as np

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

from common import enc, rng, sample, with_specials, write  # noqa: E402

R = rng(5)
cases = []


def data(shape, dtype, special=False):
    x = sample(shape, dtype, R)
    return with_specials(x) if special else x


def run(lhs, rhs, p, lhs_in=None, rhs_in=None):
    return lax.conv_general_dilated(
        lhs if lhs_in is None else lhs_in, rhs if rhs_in is None else rhs_in,
        p["windowStrides"], p["padding"] if isinstance(p["padding"], str) else [tuple(x) for x in p["padding"]],
        lhs_dilation=p.get("lhsDilation"), rhs_dilation=p.get("rhsDilation"),
        dimension_numbers=None if p.get("dimensionNumbers") is None else tuple(p["dimensionNumbers"]),
        feature_group_count=p.get("featureGroupCount", 1), batch_group_count=p.get("batchGroupCount", 1),
        preferred_element_type=p.get("preferredElementType"))


def conv(lhs, rhs, note, **p):
    p.setdefault("windowStrides", [1] * (lhs.ndim - 2))
    p.setdefault("padding", "VALID")
    direct = run(lhs, rhs, p)  # dtype and shape as JAX gives them
    out_dtype = np.dtype(direct.dtype)
    wide = np.asarray(run(lhs, rhs, {**p, "preferredElementType": None},
                          lhs.astype(np.float64), rhs.astype(np.float64)))
    if out_dtype == np.bool_:
        out = wide != 0
    elif out_dtype.kind in "iu":
        out = wide.astype(np.int64).astype(out_dtype)
    else:
        out = wide.astype(out_dtype)
    if out_dtype.kind in "iub":
        assert np.array_equal(out, np.asarray(direct)), note
    assert out.shape == direct.shape
    params = {k: v for k, v in p.items()}
    cases.append({"kind": "conv", "note": note, "args": [enc(lhs), enc(rhs)], "params": params, "out": enc(out)})


NCHW = ["NCHW", "OIHW", "NCHW"]
NHWC = ["NHWC", "HWIO", "NHWC"]

# --- 2-D basics over dtypes ---------------------------------------------------
for dt in ["float32", "float64", "float16", "int32", "int8", "uint8", "uint32", "bool"]:
    conv(data((2, 3, 6, 5), dt), data((4, 3, 3, 2), dt), f"NCHW valid {dt}")
    conv(data((2, 5, 6, 3), dt), data((3, 2, 3, 4), dt), f"NHWC same, stride 2 {dt}",
         windowStrides=[2, 2], padding="SAME", dimensionNumbers=NHWC)

# int8 sums past the type's range wrap.
conv(np.full((1, 2, 4, 4), 100, "int8"), np.full((1, 2, 2, 2), 3, "int8"), "int8 wraparound")

# --- padding -------------------------------------------------------------------
x = data((1, 2, 7, 6), "float32")
w = data((3, 2, 3, 4), "float32")
for pad in ["SAME", "VALID", "SAME_LOWER", "same"]:
    for st in [[1, 1], [2, 3]]:
        conv(x, w, f"padding {pad} strides {st}", windowStrides=st, padding=pad)
conv(x, w, "explicit padding", padding=[[1, 2], [0, 3]])
conv(x, w, "explicit asymmetric padding, strides", padding=[[2, 0], [3, 1]], windowStrides=[2, 2])
conv(x, w, "negative padding crops", padding=[[-1, -2], [0, -1]])
conv(x, w, "negative low, positive high", padding=[[-2, 1], [1, -1]], windowStrides=[1, 2])

# --- dilations -------------------------------------------------------------------
conv(x, w, "rhs dilation (atrous)", rhsDilation=[2, 1])
conv(x, w, "rhs dilation SAME", rhsDilation=[2, 2], padding="SAME")
conv(x, w, "lhs dilation (transposed conv)", lhsDilation=[2, 2], padding=[[2, 2], [3, 3]])
conv(x, w, "lhs dilation + stride", lhsDilation=[3, 2], padding=[[1, 0], [2, 1]], windowStrides=[2, 2])
conv(x, w, "lhs and rhs dilation, negative padding", lhsDilation=[2, 1], rhsDilation=[1, 2], padding=[[-1, 1], [0, -1]])
conv(x, w, "everything", lhsDilation=[2, 3], rhsDilation=[2, 1], padding=[[3, -1], [2, 4]], windowStrides=[3, 2])

# --- layouts ----------------------------------------------------------------------
conv(data((2, 6, 5, 3), "float32"), data((3, 2, 3, 4), "float32"), "NHWC/HWIO explicit pads",
     dimensionNumbers=NHWC, padding=[[1, 0], [0, 2]], windowStrides=[1, 2])
conv(data((3, 6, 2, 5), "float32"), data((2, 3, 4, 3), "float32"), "CHNW / HIOW / NWHC (odd layouts)",
     dimensionNumbers=["CHNW", "HIOW", "NWHC"], padding="SAME")
conv(data((6, 5, 2, 3), "float32"), data((4, 3, 2, 3), "float32"), "HWNC / OIWH / WCNH (spatial order from rhs)",
     dimensionNumbers=["HWNC", "OIWH", "WCNH"], windowStrides=[2, 1], padding=[[0, 1], [1, 1]])

# --- 1-D and 3-D -------------------------------------------------------------------
for dt in ["float32", "int32"]:
    conv(data((2, 9, 3), dt), data((3, 3, 4), dt), f"1-D NWC {dt}", dimensionNumbers=["NWC", "WIO", "NWC"],
         windowStrides=[2], padding="SAME")
    conv(data((2, 3, 9), dt), data((4, 3, 2), dt), f"1-D NCW dilations {dt}", rhsDilation=[3], lhsDilation=[2],
         padding=[[1, 1]])
    conv(data((1, 2, 4, 5, 3), dt), data((3, 2, 2, 3, 2), dt), f"3-D NCDHW {dt}", padding="SAME", windowStrides=[1, 2, 1])
    conv(data((2, 4, 3, 5, 2), dt), data((2, 2, 3, 2, 3), dt), f"3-D NDHWC {dt}",
         dimensionNumbers=["NDHWC", "DHWIO", "NDHWC"], rhsDilation=[1, 1, 2], padding=[[0, 1], [1, 0], [1, 1]])
conv(data((2, 3), "float32"), data((4, 3), "float32"), "0-D spatial (a matmul)")

# --- groups ---------------------------------------------------------------------------
conv(data((2, 6, 5, 5), "float32"), data((6, 1, 3, 3), "float32"), "depthwise (feature_group_count = C)",
     featureGroupCount=6, padding="SAME")
conv(data((2, 6, 5, 5), "float32"), data((4, 3, 2, 2), "float32"), "feature_group_count 2", featureGroupCount=2)
conv(data((2, 5, 5, 6), "float32"), data((3, 3, 2, 9), "float32"), "feature groups, NHWC, multiplier 3",
     featureGroupCount=3, dimensionNumbers=NHWC, padding="SAME", windowStrides=[2, 1])
conv(data((1, 4, 6), "int8"), data((4, 2, 3), "int8"), "feature groups 1-D int8", featureGroupCount=2)
conv(data((4, 3, 5, 5), "float32"), data((6, 3, 2, 2), "float32"), "batch_group_count 2", batchGroupCount=2)
conv(data((6, 2, 4, 4), "float32"), data((3, 2, 3, 3), "float32"), "batch_group_count 3, SAME", batchGroupCount=3,
     padding="SAME")
conv(data((4, 5, 5, 3), "float32"), data((2, 2, 3, 4), "float32"), "batch groups NHWC", batchGroupCount=2,
     dimensionNumbers=NHWC, padding=[[1, 0], [0, 1]])
conv(data((4, 2, 6), "int32"), data((4, 2, 3), "int32"), "batch groups 1-D int32", batchGroupCount=4, windowStrides=[2])

# --- preferred_element_type ------------------------------------------------------------
conv(np.full((1, 2, 4, 4), 100, "int8"), np.full((1, 2, 2, 2), 3, "int8"), "int8 -> int32", preferredElementType="int32")
conv(data((1, 2, 4, 4), "int8"), data((2, 2, 2, 2), "int8"), "int8 -> float32", preferredElementType="float32")
conv(data((1, 2, 4, 4), "uint8"), data((2, 2, 2, 2), "uint8"), "uint8 -> int32", preferredElementType="int32")
conv(data((1, 2, 4, 4), "float16"), data((2, 2, 2, 2), "float16"), "float16 -> float32", preferredElementType="float32")
conv(data((1, 2, 4, 4), "float32"), data((2, 2, 2, 2), "float32"), "float32 -> float64", preferredElementType="float64")

# --- zero-size -------------------------------------------------------------------------
conv(data((0, 2, 4, 4), "float32"), data((3, 2, 2, 2), "float32"), "empty batch")
conv(data((2, 0, 4, 4), "float32"), data((3, 0, 2, 2), "float32"), "no input features: zeros")
conv(data((2, 2, 4, 4), "float32"), data((0, 2, 2, 2), "float32"), "no output features")
conv(data((2, 2, 2, 2), "float32"), data((3, 2, 3, 3), "float32"), "window larger than input: empty output")
conv(data((2, 2, 0, 4), "float32"), data((3, 2, 1, 2), "float32"), "zero-size spatial input, SAME", padding="SAME")

# --- NaN / inf ---------------------------------------------------------------------------
for dt in ["float32", "float64", "float16"]:
    conv(data((1, 2, 5, 5), dt, special=True), data((2, 2, 2, 2), dt), f"nan/inf propagate {dt}", padding="SAME")
conv(np.full((1, 1, 3, 3), np.inf, "float32"), np.array([[[[1.0, -1.0]]]], "float32"), "inf - inf = nan")
# Padding and lhs-dilation holes are skipped, not multiplied: an inf/nan weight over them gives no nan.
w_inf = np.array([[[[np.inf, 1.0], [1.0, 1.0]]]], "float32")
conv(data((1, 1, 3, 3), "float32"), w_inf, "inf weight over padding", padding="SAME")
conv(data((1, 1, 3, 3), "float32"), w_inf, "inf weight over lhs-dilation holes", padding=[[1, 1], [1, 1]], lhsDilation=[2, 2])
conv(data((1, 2, 4, 3), "float64"), np.where(data((2, 2, 2, 2), "float64") > 1, np.nan, 1.0), "nan weights over padding",
     padding=[[2, 1], [1, 2]])


# --- errors JAX raises ----------------------------------------------------------------------
def error(lhs_shape, rhs_shape, note, ldt="float32", rdt="float32", **p):
    p.setdefault("windowStrides", [1] * (len(lhs_shape) - 2))
    p.setdefault("padding", "VALID")
    try:
        jax.eval_shape(lambda a, b: run(a, b, p), jax.ShapeDtypeStruct(lhs_shape, ldt), jax.ShapeDtypeStruct(rhs_shape, rdt))
    except (TypeError, ValueError, RuntimeError) as e:
        cases.append({"kind": "error", "note": note, "lhs": {"shape": list(lhs_shape), "dtype": ldt},
                      "rhs": {"shape": list(rhs_shape), "dtype": rdt}, "params": p,
                      "jax_error": str(e).splitlines()[0]})
        return
    raise AssertionError(f"JAX accepted {note}")


error((1, 2, 5, 5), (3, 2, 2), "ranks differ")
error((1, 4, 5, 5), (3, 2, 2, 2), "input features differ")
error((1, 4, 5, 5), (3, 2, 2, 2), "feature_group_count does not divide features", featureGroupCount=3)
error((1, 4, 5, 5), (3, 2, 2, 2), "out features not a multiple of feature_group_count", featureGroupCount=2)
error((3, 2, 5, 5), (4, 2, 2, 2), "batch_group_count does not divide batch", batchGroupCount=2)
error((4, 2, 5, 5), (3, 2, 2, 2), "out features not a multiple of batch_group_count", batchGroupCount=2)
error((4, 4, 5, 5), (4, 2, 2, 2), "both group counts > 1", batchGroupCount=2, featureGroupCount=2)
error((1, 2, 5, 5), (3, 2, 2, 2), "window_strides of the wrong length", windowStrides=[1])
error((1, 2, 5, 5), (3, 2, 2, 2), "padding of the wrong length", padding=[[0, 0]])
error((1, 2, 5, 5), (3, 2, 2, 2), "negative padding larger than the input", padding=[[-3, -3], [0, 0]])
error((1, 2, 5, 5), (3, 2, 2, 2), "dilation 0", rhsDilation=[0, 1], padding=[[0, 0], [0, 0]])
error((1, 2, 5, 5), (3, 2, 2, 2), "mixed dtypes", rdt="float16")
error((1, 2, 5, 5), (3, 2, 2, 2), "preferred narrower", preferredElementType="float16")
error((1, 2, 5, 5), (3, 2, 2, 2), "preferred float -> int", preferredElementType="int32")
error((1, 2, 5, 5), (3, 2, 2, 2), "preferred signed -> unsigned", ldt="int8", rdt="int8", preferredElementType="uint32")
error((1, 2, 5, 5), (3, 2, 2, 2), "unknown padding string", padding="FULL")
error((1, 2, 5, 5), (3, 2, 2, 2), "string padding with lhs dilation", padding="SAME", lhsDilation=[2, 2])
error((1, 5, 5, 2), (2, 2, 2, 3), "layout string with a repeated character", dimensionNumbers=["NHHC", "HWIO", "NHWC"])
error((1, 5, 5, 2), (2, 2, 2, 3), "layout strings with different spatial characters",
      dimensionNumbers=["NHWC", "HDIO", "NHWC"])
error((1, 5, 5, 2), (2, 2, 2, 3), "layout string of the wrong length", dimensionNumbers=["NHWC", "HWIO", "NHW"])


# --- make_jaxpr texts -----------------------------------------------------------------------
def jaxpr(name, f, *args):
    with jax.enable_x64(False):
        text = str(jax.make_jaxpr(f)(*args))
    cases.append({"kind": "jaxpr", "name": name, "args": [{"shape": list(a.shape), "dtype": str(a.dtype)} for a in args],
                  "text": text})


f32 = lambda *s: jax.ShapeDtypeStruct(s, jnp.float32)
jaxpr("conv_nhwc_groups", lambda x, w: lax.conv_general_dilated(
    x, w, (2, 1), "SAME", rhs_dilation=(1, 2), dimension_numbers=("NHWC", "HWIO", "NHWC"), feature_group_count=2),
    f32(2, 7, 6, 4), f32(3, 3, 2, 6))
jaxpr("conv_lhs_dilation_precision", lambda x, w: lax.conv_general_dilated(
    x, w, (1,), [(1, -1)], lhs_dilation=(2,), precision=("highest", "default"), preferred_element_type=jnp.float32),
    f32(1, 2, 5), f32(3, 2, 2))
jaxpr("conv_with_general_padding", lambda x, w: lax.conv_with_general_padding(
    x, w, (1, 1), ((0, 1), (1, 0)), (1, 1), (2, 2)), f32(1, 1, 6, 6), f32(2, 1, 2, 2))
jaxpr("conv_3d_batch_groups", lambda x, w: lax.conv_general_dilated(
    x, w, (1, 1, 1), "VALID", batch_group_count=2), f32(4, 1, 3, 3, 3), f32(2, 1, 2, 2, 2))

write("conv", cases)
