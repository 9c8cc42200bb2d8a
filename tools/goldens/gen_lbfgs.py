"""Optax 0.2.8 L-BFGS goldens for @jaxts/optax-like (float64, jax x64): iterates of
optax.lbfgs on a small quadratic (no line search; backtracking line search) and on
the Rosenbrock function (backtracking line search).

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_lbfgs.py
"""
import json
import os

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np
import optax

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optax-like", "test", "fixtures", "lbfgs.json")
r = np.random.default_rng(0)
M = r.normal(size=(4, 4))
A = M @ M.T + 0.5 * np.eye(4)
b = r.normal(size=4)
x0 = r.normal(size=4)


def quad(p):
    x = jnp.concatenate([p["u"], p["v"]])
    return 0.5 * x @ jnp.asarray(A) @ x - jnp.asarray(b) @ x


def rosen(p):
    x = p["x"]
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def run(f, params, opt, steps, extra):
    state = opt.init(params)
    vg = optax.value_and_grad_from_state(f)
    out = []
    for _ in range(steps):
        if extra:
            value, grad = vg(params, state=state)
            updates, state = opt.update(grad, state, params, value=value, grad=grad, value_fn=f)
        else:
            grad = jax.grad(f)(params)
            updates, state = opt.update(grad, state, params)
        params = optax.apply_updates(params, updates)
        out.append({k: np.asarray(v).tolist() for k, v in params.items()})
    return out


qp = {"u": jnp.asarray(x0[:2]), "v": jnp.asarray(x0[2:])}
bt = lambda: optax.scale_by_backtracking_linesearch(max_backtracking_steps=20, store_grad=True)
fx = {
    "A": A.tolist(), "b": b.tolist(), "x0": x0.tolist(),
    "quadNoLinesearch": run(quad, qp, optax.lbfgs(linesearch=None, memory_size=2), 5, False),
    "quadNoLinesearchLr": run(quad, qp, optax.lbfgs(learning_rate=0.5, linesearch=None, scale_init_precond=False), 4, False),
    "quadBacktracking": run(quad, qp, optax.lbfgs(linesearch=bt()), 6, True),
    "rosenBacktracking": run(rosen, {"x": jnp.asarray([-1.2, 1.0])}, optax.lbfgs(linesearch=bt()), 8, True),
}
with open(OUT, "w") as fh:
    json.dump(fx, fh)
print("wrote", OUT)
