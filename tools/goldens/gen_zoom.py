"""Optax 0.2.8 zoom line search goldens for @jaxts/optax-like (float64, jax x64).

1. `scale_by_zoom_linesearch` alone, chained after `sgd` (the update direction is
   -lr * grad), on functions chosen so each branch of the algorithm runs: a
   quadratic, Rosenbrock (first trial overshoots: zoom), a 1-D quartic whose first
   trial satisfies the decrease but not the curvature condition (slope > 0: zoom
   with low = the trial), a function around 1e8 whose decrease is below float64
   resolution (accepted only by the approximate-Wolfe condition; with
   approx_dec_rtol=None the line search fails and takes the last trial), and a
   log barrier whose first trial leaves the domain (NaN value).  For each step:
   the stepsize (state.learning_rate), number of line-search steps, decrease and
   curvature errors, and the iterate.  The trial stepsizes of the first step are
   recorded too (from optax's internal zoom_linesearch loop), to document which
   branch ran.
2. `optax.lbfgs()` with default settings (zoom, initial_guess_strategy='one') on
   Rosenbrock and on a least-squares problem, 20 steps.

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_zoom.py
"""
import json
import os
import sys

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np
import optax
from optax._src import linesearch as ls_mod

sys.path.insert(0, os.path.dirname(__file__))
from common import enc_scalar  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optax-like", "test", "fixtures", "zoom.json")

r = np.random.default_rng(1)
M = r.normal(size=(3, 3))
QA = M @ M.T + 0.3 * np.eye(3)
QB = r.normal(size=3)
LA = r.normal(size=(8, 4))
LB = r.normal(size=8)


def quad(x):
    return 0.5 * x @ jnp.asarray(QA) @ x - jnp.asarray(QB) @ x


def rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def quartic(x):
    return jnp.sum(x**4) + 0.5 * jnp.sum(x**2)


def flat(x):
    return 1e8 + jnp.sum(jnp.asarray([1.0, 3.0]) * x**2)


def barrier(x):
    return jnp.sum(x - jnp.log(x))


def lstsq(x):
    res = jnp.asarray(LA) @ x - jnp.asarray(LB)
    return 0.5 * res @ res


FNS = {"quad": quad, "rosen": rosen, "quartic": quartic, "flat": flat, "barrier": barrier, "lstsq": lstsq}


def trials(f, x, lr, **kw):
    """Trial stepsizes of one zoom line search along -lr * grad f(x), with the phase."""
    names = ["max_linesearch_steps", "max_stepsize", "tol", "increase_factor", "slope_rtol", "curv_rtol", "approx_dec_rtol"]
    zkw = {k: v for k, v in kw.items() if k in names}
    init, step, cond = ls_mod.zoom_linesearch(**zkw)
    v, g = jax.value_and_grad(f)(x)
    s = init(-lr * g, x, value=v, grad=g, initial_guess_strategy="one")
    out = []
    while cond(s):
        phase = "zoom" if bool(s.interval_found) else "search"
        s = step(s, value_and_grad_fn=jax.value_and_grad(f), fn_kwargs={})
        out.append({"phase": phase, "stepsize": float(s.stepsize), "decreaseError": enc_scalar(float(s.decrease_error)),
                    "curvatureError": enc_scalar(float(s.curvature_error)), "failed": bool(s.failed)})
    return out


def run(f, x0, opt, steps):
    x = jnp.asarray(x0)
    state = opt.init(x)
    vg = optax.value_and_grad_from_state(f)
    out = []
    for _ in range(steps):
        value, grad = vg(x, state=state)
        updates, state = opt.update(grad, state, x, value=value, grad=grad, value_fn=f)
        x = optax.apply_updates(x, updates)
        zs = optax.tree.get(state, "info")
        out.append({
            "x": np.asarray(x).tolist(),
            "learningRate": float(optax.tree.get(state, "learning_rate")),
            "value": enc_scalar(float(optax.tree.get(state, "value"))),
            "numLinesearchSteps": int(zs.num_linesearch_steps),
            "decreaseError": enc_scalar(float(zs.decrease_error)),
            "curvatureError": enc_scalar(float(zs.curvature_error)),
        })
    return out


def zoom_case(fn, x0, lr, steps, **kw):
    ls = optax.scale_by_zoom_linesearch(**kw)
    opt = optax.chain(optax.sgd(learning_rate=lr), ls)
    tkw = dict(kw)
    if "max_learning_rate" in tkw:
        tkw["max_stepsize"] = tkw.pop("max_learning_rate")
    return {"fn": fn, "x0": x0, "lr": lr, "opts": kw, "steps": run(FNS[fn], x0, opt, steps),
            "firstTrials": trials(FNS[fn], jnp.asarray(x0), lr, **tkw) if kw.get("initial_guess_strategy") == "one" or steps == 1 else None}


cases = {
    "quadKeep": zoom_case("quad", [1.0, -2.0, 0.5], 1.0, 6, max_linesearch_steps=20),
    "quadOne": zoom_case("quad", [1.0, -2.0, 0.5], 1.0, 6, max_linesearch_steps=20, initial_guess_strategy="one"),
    "rosenKeep": zoom_case("rosen", [-1.2, 1.0], 1.0, 8, max_linesearch_steps=20),
    "rosenOneMax": zoom_case("rosen", [-1.2, 1.0], 1.0, 8, max_linesearch_steps=20, initial_guess_strategy="one", max_learning_rate=1.0),
    "rosenFewSteps": zoom_case("rosen", [-1.2, 1.0], 1.0, 4, max_linesearch_steps=3, initial_guess_strategy="one"),
    "quarticCurvature": zoom_case("quartic", [1.0], 0.396, 1, max_linesearch_steps=20, initial_guess_strategy="one"),
    "quarticGrow": zoom_case("quartic", [1.0, -0.5], 0.002, 3, max_linesearch_steps=20, initial_guess_strategy="one", increase_factor=3.0),
    "flatApprox": zoom_case("flat", [1e-5, -2e-5], 0.1, 1, max_linesearch_steps=20, initial_guess_strategy="one"),
    "flatNoApprox": zoom_case("flat", [1e-5, -2e-5], 0.1, 1, max_linesearch_steps=20, initial_guess_strategy="one", approx_dec_rtol=None),
    "barrierDomain": zoom_case("barrier", [3.0, 5.0], 10.0, 4, max_linesearch_steps=20, initial_guess_strategy="one"),
    "quadTolCurv": zoom_case("quad", [1.0, -2.0, 0.5], 0.2, 4, max_linesearch_steps=20, initial_guess_strategy="one",
                             tol=1e-3, slope_rtol=0.3, curv_rtol=0.1, stepsize_precision=1e-3),
}

# Document (and check) which branch each special case exercises.
t = cases["quarticCurvature"]["firstTrials"]
assert t[0]["phase"] == "search" and t[0]["decreaseError"] == 0 and t[0]["curvatureError"] > 0 and t[1]["phase"] == "zoom", t
t = cases["flatApprox"]["firstTrials"]
assert len(t) == 1 and t[0]["decreaseError"] == 0, t
assert cases["flatNoApprox"]["steps"][0]["decreaseError"] > 0, cases["flatNoApprox"]
t = cases["barrierDomain"]["firstTrials"]
assert t[0]["decreaseError"] == "inf" and t[1]["phase"] == "zoom", t
assert any(c["phase"] == "zoom" for c in cases["rosenOneMax"]["firstTrials"])

lb = {
    "rosen": {"x0": [-1.2, 1.0], "steps": run(rosen, [-1.2, 1.0], optax.lbfgs(), 20)},
    "lstsq": {"x0": [0.5, -1.0, 2.0, 0.0], "steps": run(lstsq, [0.5, -1.0, 2.0, 0.0], optax.lbfgs(), 20)},
}

with open(OUT, "w") as fh:
    json.dump({"QA": QA.tolist(), "QB": QB.tolist(), "LA": LA.tolist(), "LB": LB.tolist(), "zoom": cases, "lbfgs": lb}, fh)
print("wrote", OUT)
for k, c in cases.items():
    print(k, [(s["learningRate"], s["numLinesearchSteps"]) for s in c["steps"]],
          [(x["phase"], round(x["stepsize"], 4)) for x in (c["firstTrials"] or [])])
for k, c in lb.items():
    print(k, c["steps"][-1]["x"], [s["numLinesearchSteps"] for s in c["steps"]])
