"""Optax 0.2.8 goldens for @jaxts/optax-like: schedules, losses, clipping, and the
first updates of each optimizer, computed by real Optax with float64 (jax x64).

Run: /tmp/jaxvenv/bin/python tools/goldens/gen_optax.py
(needs jax 0.10.2 and optax 0.2.8 from /opt/pypi/files in that venv)
"""
import json
import os
import sys

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np
import optax

sys.path.insert(0, os.path.dirname(__file__))
from common import enc  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optax-like", "test", "fixtures", "optax.json")
r = np.random.default_rng(0)

steps = list(range(0, 40, 3)) + [7, 10, 25, 100]
schedules = [
    ("constantSchedule", dict(value=0.3), optax.constant_schedule(0.3)),
    ("linearSchedule", dict(initValue=1.0, endValue=0.1, transitionSteps=20, transitionBegin=5), optax.linear_schedule(1.0, 0.1, 20, 5)),
    ("polynomialSchedule", dict(initValue=1.0, endValue=0.01, power=2.5, transitionSteps=30), optax.polynomial_schedule(1.0, 0.01, 2.5, 30)),
    ("cosineDecaySchedule", dict(initValue=0.5, decaySteps=30, alpha=0.1, exponent=2.0), optax.cosine_decay_schedule(0.5, 30, 0.1, 2.0)),
    ("warmupCosineDecaySchedule", dict(initValue=0.0, peakValue=1.0, warmupSteps=5, decaySteps=35, endValue=0.05), optax.warmup_cosine_decay_schedule(0.0, 1.0, 5, 35, 0.05)),
    ("exponentialDecay", dict(initValue=1.0, transitionSteps=4, decayRate=0.7, transitionBegin=3, endValue=0.2), optax.exponential_decay(1.0, 4, 0.7, 3, False, 0.2)),
    ("exponentialDecay staircase", dict(initValue=1.0, transitionSteps=4, decayRate=0.5, staircase=True), optax.exponential_decay(1.0, 4, 0.5, staircase=True)),
    ("piecewiseConstantSchedule", dict(initValue=1.0, boundariesAndScales={"10": 0.5, "20": 0.1}), optax.piecewise_constant_schedule(1.0, {10: 0.5, 20: 0.1})),
    ("sgdrSchedule", dict(cycles=[dict(initValue=0.0, peakValue=1.0, warmupSteps=3, decaySteps=12), dict(initValue=0.1, peakValue=0.5, warmupSteps=2, decaySteps=20)]),
     optax.sgdr_schedule([dict(init_value=0.0, peak_value=1.0, warmup_steps=3, decay_steps=12), dict(init_value=0.1, peak_value=0.5, warmup_steps=2, decay_steps=20)])),
]
sched_cases = [dict(name=n, kwargs=kw, steps=steps, values=[float(f(jnp.asarray(s, jnp.int32))) for s in steps]) for n, kw, f in schedules]

p = r.normal(size=(4, 5))
t = r.normal(size=(4, 5))
logits = r.normal(size=(4, 5)) * 2
probs = np.exp(t) / np.exp(t).sum(-1, keepdims=True)
labels_int = r.integers(0, 5, size=(4,))
bin_labels = (r.uniform(size=(4, 5)) > 0.5).astype(np.float64)
pm1 = np.sign(r.normal(size=(4, 5)))
loss_cases = [
    dict(name="squaredError", args=[enc(p), enc(t)], out=enc(optax.squared_error(p, t))),
    dict(name="l2Loss", args=[enc(p), enc(t)], out=enc(optax.l2_loss(p, t))),
    dict(name="huberLoss", args=[enc(p * 2), enc(t)], opts=dict(delta=0.7), out=enc(optax.huber_loss(p * 2, t, delta=0.7))),
    dict(name="logCosh", args=[enc(p * 3), enc(t)], out=enc(optax.log_cosh(p * 3, t))),
    dict(name="softmaxCrossEntropy", args=[enc(logits), enc(probs)], out=enc(optax.softmax_cross_entropy(logits, probs))),
    dict(name="softmaxCrossEntropyWithIntegerLabels", args=[enc(logits), enc(labels_int.astype(np.int32))], out=enc(optax.softmax_cross_entropy_with_integer_labels(logits, labels_int))),
    dict(name="sigmoidBinaryCrossEntropy", args=[enc(logits), enc(bin_labels)], out=enc(optax.sigmoid_binary_cross_entropy(logits, bin_labels))),
    dict(name="klDivergence", args=[enc(np.log(probs[::-1].copy())), enc(probs)], out=enc(optax.kl_divergence(np.log(probs[::-1].copy()), probs))),
    dict(name="hingeLoss", args=[enc(p), enc(pm1)], out=enc(optax.hinge_loss(p, pm1))),
    dict(name="cosineSimilarity", args=[enc(p), enc(t)], opts=dict(epsilon=0.1), out=enc(optax.cosine_similarity(p, t, epsilon=0.1))),
    dict(name="cosineDistance", args=[enc(p), enc(t)], out=enc(optax.cosine_distance(p, t))),
    dict(name="smoothLabels", args=[enc(probs), 0.2], out=enc(optax.smooth_labels(probs, 0.2))),
]

params = {"b": r.normal(size=(3,)), "w": r.normal(size=(4, 3)), "k": r.normal(size=(2, 2, 3, 4))}
grads = [{k: r.normal(size=v.shape) * s for k, v in params.items()} for s in (1.0, 3.0, 0.5)]
encp = lambda tr: {k: enc(v) for k, v in tr.items()}
clip_cases = []
for name, kw, tx in [
    ("clip", dict(maxDelta=0.8), optax.clip(0.8)),
    ("clipByGlobalNorm", dict(maxNorm=2.0), optax.clip_by_global_norm(2.0)),
    ("clipByBlockRms", dict(threshold=0.5), optax.clip_by_block_rms(0.5)),
    ("adaptiveGradClip", dict(clipping=0.3), optax.adaptive_grad_clip(0.3)),
]:
    u, _ = tx.update(grads[1], tx.init(params), params)
    clip_cases.append(dict(name=name, kwargs=kw, updates=encp(grads[1]), out=encp(u)))
clip_cases.append(dict(name="globalNorm", updates=encp(grads[1]), out=enc(optax.tree.norm(grads[1]))))

# camelCase options as the TS API spells them, next to the Optax call.
opt_specs = [
    ("sgd", [0.1], dict(momentum=0.9, nesterov=True), optax.sgd(0.1, momentum=0.9, nesterov=True)),
    ("adam", [0.1], {}, optax.adam(0.1)),
    ("adamw", [0.1], dict(weightDecay=0.2), optax.adamw(0.1, weight_decay=0.2)),
    ("nadam", [0.1], {}, optax.nadam(0.1)),
    ("amsgrad", [0.1], {}, optax.amsgrad(0.1)),
    ("radam", [0.1], dict(threshold=1.5), optax.radam(0.1, threshold=1.5)),
    ("adamax", [0.1], {}, optax.adamax(0.1)),
    ("rmsprop", [0.1], dict(centered=True, momentum=0.5), optax.rmsprop(0.1, centered=True, momentum=0.5)),
    ("adagrad", [0.1], {}, optax.adagrad(0.1)),
    ("adadelta", [0.5], {}, optax.adadelta(0.5)),
    ("adafactor", [0.1], dict(minDimSizeToFactor=3, momentum=0.9, weightDecayRate=0.01), optax.adafactor(0.1, min_dim_size_to_factor=3, momentum=0.9, weight_decay_rate=0.01)),
    ("lamb", [0.1], dict(weightDecay=0.1), optax.lamb(0.1, weight_decay=0.1)),
    ("lars", [0.1], dict(weightDecay=0.01), optax.lars(0.1, weight_decay=0.01)),
    ("lion", [0.1], {}, optax.lion(0.1)),
    ("yogi", [0.1], {}, optax.yogi(0.1)),
    ("novograd", [0.1], dict(weightDecay=0.1), optax.novograd(0.1, weight_decay=0.1)),
]
opt_cases = []
for name, args, kw, tx in opt_specs:
    pr = {k: jnp.asarray(v) for k, v in params.items()}
    st = tx.init(pr)
    ups = []
    for g in grads:
        u, st = tx.update({k: jnp.asarray(v) for k, v in g.items()}, st, pr)
        ups.append(encp({k: np.asarray(v) for k, v in u.items()}))
        pr = optax.apply_updates(pr, u)
    opt_cases.append(dict(name=name, args=args, kwargs=kw, updates=ups))

with open(OUT, "w") as f:
    json.dump({"generator": "tools/goldens/gen_optax.py", "optax": optax.__version__, "jax": jax.__version__,
               "params": encp(params), "grads": [encp(g) for g in grads],
               "cases": dict(schedules=sched_cases, losses=loss_cases, clipping=clip_cases, optimizers=opt_cases)}, f, separators=(",", ":"))
    f.write("\n")
print("wrote", OUT)
