"""Fixtures for jnp.save / jnp.savez / jnp.load (packages/numpy/src/io.ts).

Writes small .npy/.npz files with NumPy under packages/numpy/test/fixtures/npy/
and a manifest (numpy_io.json) of the values jnp.load gives for each (x64
disabled: 8-byte integers wrap to 32 bits). Then it runs
tools/goldens/numpy_io_write.ts (tsx), which loads each fixture with jaxts and
writes it back with jaxts' save/savez, and checks here that NumPy reads those
bytes back to the same values. CI has no Python: the check happens at
generation time, and the fixtures are committed.
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

from common import enc

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(ROOT, "packages", "numpy", "test", "fixtures")
NPY = os.path.join(FIX, "npy")


def jax_value(a):
    """What jnp.load returns: 8-byte ints wrap to 32 bits (float64 stays float64 in jaxts)."""
    a = np.asarray(a)
    if a.dtype.kind in "iu" and a.dtype.itemsize == 8:
        return a.astype(np.int32 if a.dtype.kind == "i" else np.uint32)
    return a.astype(a.dtype.newbyteorder("="))


def main():
    shutil.rmtree(NPY, ignore_errors=True)
    os.makedirs(NPY)
    r = np.random.default_rng(0)
    arrays = {
        "f32_2x3": np.arange(6, dtype=np.float32).reshape(2, 3) / 3,
        "f64_scalar": np.array(3.5),
        "i16_empty": np.zeros((0,), np.int16),
        "f32_empty_2d": np.zeros((3, 0), np.float32),
        "bool": np.array([True, False, True]),
        "u8": np.array([0, 1, 255], np.uint8),
        "i8": np.array([-128, 0, 127], np.int8),
        "u16": np.array([0, 65535], np.uint16),
        "i32_3d": r.integers(-1000, 1000, size=(2, 3, 4)).astype(np.int32),
        "u32": np.array([0, 4294967295, 7], np.uint32),
        "f16": np.array([0.0, -0.0, 1.5, 65504, 6e-8, np.inf, -np.inf, np.nan], np.float16),
        "f64": np.array([np.pi, -1e300, 5e-324, np.nan]),
        "i64": np.array([1, -2, 2**31, 2**40 + 5], np.int64),
        "u64": np.array([1, 2**32 + 3], np.uint64),
        "f32_big_endian": np.array([1.5, -2.25, 1e-3], ">f4"),
        "i32_big_endian": np.array([[1, -2], [3, 70000]], ">i4"),
        "long_axis": np.zeros((1234567, 0), np.uint8),
    }
    cases = []
    for name, a in arrays.items():
        np.save(os.path.join(NPY, name + ".npy"), a)
        # Files NumPy writes in native little-endian, version 1.0: our writer must match them byte for byte.
        exact = a.dtype.byteorder in "=|<" and a.dtype.itemsize < 8 or a.dtype == np.float64
        cases.append({"file": name + ".npy", "expected": enc(jax_value(a)), "byteExact": bool(exact)})
    # Version 2.0 and 3.0 headers.
    for ver in [(2, 0), (3, 0)]:
        name = f"f32_v{ver[0]}"
        a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
        with open(os.path.join(NPY, name + ".npy"), "wb") as f:
            np.lib.format.write_array(f, a, version=ver)
        cases.append({"file": name + ".npy", "expected": enc(a), "byteExact": False})

    # Files that must fail, with the error text we expect to see.
    errors = []
    np.save(os.path.join(NPY, "fortran.npy"), np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
    errors.append({"file": "fortran.npy", "message": "Fortran-order"})
    np.save(os.path.join(NPY, "structured.npy"), np.zeros(2, dtype=[("a", "<i4"), ("b", "<f4")]))
    errors.append({"file": "structured.npy", "message": "unsupported dtype"})
    np.save(os.path.join(NPY, "complex.npy"), np.array([1 + 2j], np.complex64))
    errors.append({"file": "complex.npy", "message": "unsupported dtype '<c8'"})

    # .npz: positional and named, stored and compressed.
    npz = []
    x = np.arange(4, dtype=np.float32)
    y = np.array([[1, 2], [3, 4]], np.int32)
    np.savez(os.path.join(NPY, "positional.npz"), x, y)
    npz.append({"file": "positional.npz", "expected": {"arr_0": enc(x), "arr_1": enc(y)}})
    np.savez(os.path.join(NPY, "named.npz"), w=y, b=np.array([True, False]), h=np.array([1.5], np.float16))
    npz.append({"file": "named.npz", "expected": {"w": enc(y), "b": enc(np.array([True, False])), "h": enc(np.array([1.5], np.float16))}})
    np.savez_compressed(os.path.join(NPY, "compressed.npz"), x=x, y=y)
    npz.append({"file": "compressed.npz", "expected": {"x": enc(x), "y": enc(y)}})

    with open(os.path.join(FIX, "numpy_io.json"), "w") as f:
        json.dump({"generator": "tools/goldens/gen_numpy_io.py", "numpy": np.__version__,
                   "npy": cases, "errors": errors, "npz": npz}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {NPY} and numpy_io.json: {len(cases)} npy, {len(npz)} npz, {len(errors)} error cases")

    # Read back with NumPy what jaxts writes.
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["npx", "tsx", "--conditions=@jaxts/source", os.path.join(ROOT, "tools", "goldens", "numpy_io_write.ts"), out],
                       check=True, cwd=os.path.join(ROOT, "packages", "numpy"))
        n = 0
        for c in cases:
            a = np.load(os.path.join(out, c["file"]))
            want = jax_value(np.load(os.path.join(NPY, c["file"])))
            assert a.dtype == want.dtype and a.shape == want.shape, (c["file"], a.dtype, a.shape, want.dtype, want.shape)
            np.testing.assert_array_equal(a, want, err_msg=c["file"])
            n += 1
        with np.load(os.path.join(out, "all.npz")) as z:
            assert list(z.keys()) == ["arr_0", "arr_1", "named"], list(z.keys())
            np.testing.assert_array_equal(z["arr_0"], x)
            np.testing.assert_array_equal(z["arr_1"], y)
            np.testing.assert_array_equal(z["named"], np.array([True, False]))
        print(f"NumPy read back {n} .npy files and 1 .npz written by jaxts")


if __name__ == "__main__":
    main()
