"""Write the public names of jax.numpy, jax.numpy.linalg, jax.numpy.fft and jax.nn
(JAX 0.10.2) to tools/numpy-coverage/jax_names.json, for the coverage table.

Run with a Python that has JAX: /tmp/jaxvenv/bin/python tools/goldens/gen_jnp_names.py
"""
import json
import os
import types

import jax
import jax.numpy as jnp
import jax.nn as jnn

def public(mod):
    out = []
    for n in sorted(dir(mod)):
        if n.startswith("_"):
            continue
        v = getattr(mod, n)
        if isinstance(v, types.ModuleType):
            continue
        out.append(n)
    return out

names = {
    "jax_version": jax.__version__,
    "numpy": public(jnp),
    "linalg": public(jnp.linalg),
    "fft": public(jnp.fft),
    "nn": public(jnn),
    "nn.initializers": public(jnn.initializers),
}
path = os.path.join(os.path.dirname(__file__), "..", "numpy-coverage", "jax_names.json")
with open(path, "w") as f:
    json.dump(names, f, indent=1)
    f.write("\n")
print({k: len(v) for k, v in names.items() if isinstance(v, list)})
