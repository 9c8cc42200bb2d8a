// Schedules (optax/schedules/_schedule.py, _join.py): functions of an int32 step
// count (an Array or a number) returning a float32 scalar Array, built from
// array ops only, so they run inside `jit` on a traced count.
import { Array, asArray, float32, type ArrayInput } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import type { Schedule } from "./base.js";

const f32 = (x: ArrayInput): Array => asArray(x).astype(float32);

function checkSteps(name: string, what: string, n: number): void {
  if (!Number.isFinite(n)) throw new RangeError(`[${name}] ${what} must be a finite number, got ${n}`);
}

/** Always `value`. */
export function constantSchedule(value: number): Schedule {
  return (count) => jnp.fullLike(f32(count), value);
}

/**
 * `(init - end) · (1 - t/transitionSteps)^power + end` with `t = clip(count - transitionBegin, 0, transitionSteps)`;
 * constant `initValue` when `transitionSteps <= 0`.
 */
export function polynomialSchedule(opts: { initValue: number; endValue: number; power: number; transitionSteps: number; transitionBegin?: number }): Schedule {
  const { initValue, endValue, power, transitionSteps } = opts;
  checkSteps("polynomialSchedule", "transitionSteps", transitionSteps);
  if (transitionSteps <= 0) return constantSchedule(initValue);
  const begin = Math.max(0, opts.transitionBegin ?? 0);
  return (count) => {
    const c = jnp.clip(f32(count).sub(begin), 0, transitionSteps);
    const frac = asArray(1).sub(c.div(transitionSteps));
    return frac.pow(power).mul(initValue - endValue).add(endValue);
  };
}

/** Linear interpolation from `initValue` to `endValue` over `transitionSteps` (after `transitionBegin`). */
export function linearSchedule(opts: { initValue: number; endValue: number; transitionSteps: number; transitionBegin?: number }): Schedule {
  return polynomialSchedule({ ...opts, power: 1 });
}

/** `init · ((1 - alpha) · (½(1 + cos(π·min(t, decaySteps)/decaySteps)))^exponent + alpha)`. */
export function cosineDecaySchedule(opts: { initValue: number; decaySteps: number; alpha?: number; exponent?: number }): Schedule {
  const { initValue, decaySteps, alpha = 0, exponent = 1 } = opts;
  if (!(decaySteps > 0)) throw new RangeError(`[cosineDecaySchedule] requires positive decaySteps, got ${decaySteps}`);
  return (count) => {
    const c = jnp.minimum(f32(count), decaySteps);
    const cosine = jnp.cos(c.mul(Math.PI / decaySteps)).add(1).mul(0.5);
    return cosine.pow(exponent).mul(1 - alpha).add(alpha).mul(initValue);
  };
}

/** `schedules[0]` until `boundaries[0]`, then `schedules[1](step - boundaries[0])`, and so on. */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  if (schedules.length !== boundaries.length + 1) {
    throw new RangeError(`[joinSchedules] expected ${boundaries.length + 1} schedules for ${boundaries.length} boundaries, got ${schedules.length}`);
  }
  return (step) => {
    const s = asArray(step);
    let out = f32(schedules[0]!(s));
    boundaries.forEach((b, i) => {
      out = jnp.where(s.lt(b), out, f32(schedules[i + 1]!(s.sub(b))));
    });
    return out;
  };
}

/** Linear warmup from `initValue` to `peakValue` over `warmupSteps`, then cosine decay to `endValue` at `decaySteps` (total). */
export function warmupCosineDecaySchedule(opts: { initValue: number; peakValue: number; warmupSteps: number; decaySteps: number; endValue?: number; exponent?: number }): Schedule {
  const { initValue, peakValue, warmupSteps, decaySteps, endValue = 0, exponent = 1 } = opts;
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return joinSchedules(
    [
      linearSchedule({ initValue, endValue: peakValue, transitionSteps: warmupSteps }),
      cosineDecaySchedule({ initValue: peakValue, decaySteps: decaySteps - warmupSteps, alpha, exponent }),
    ],
    [warmupSteps],
  );
}

/** `init · decayRate^((count - transitionBegin) / transitionSteps)` (floored with `staircase`), clipped at `endValue`. */
export function exponentialDecay(opts: {
  initValue: number;
  transitionSteps: number;
  decayRate: number;
  transitionBegin?: number;
  staircase?: boolean;
  endValue?: number | null;
}): Schedule {
  const { initValue, transitionSteps, decayRate, staircase = false, endValue = null } = opts;
  checkSteps("exponentialDecay", "transitionSteps", transitionSteps);
  if (transitionSteps <= 0 || decayRate === 0) return constantSchedule(initValue);
  const begin = Math.max(0, opts.transitionBegin ?? 0);
  return (count) => {
    const dc = f32(count).sub(begin);
    let p = dc.div(transitionSteps);
    if (staircase) p = jnp.floor(p);
    let v = jnp.where(dc.le(0), initValue, jnp.power(asArray(decayRate).astype(float32), p).mul(initValue));
    if (endValue !== null) v = decayRate < 1 ? jnp.maximum(v, endValue) : jnp.minimum(v, endValue);
    return v;
  };
}

/** Linear warmup to `peakValue`, then `exponentialDecay` from the peak. */
export function warmupExponentialDecaySchedule(opts: {
  initValue: number;
  peakValue: number;
  warmupSteps: number;
  transitionSteps: number;
  decayRate: number;
  transitionBegin?: number;
  staircase?: boolean;
  endValue?: number | null;
}): Schedule {
  const { initValue, peakValue, warmupSteps, ...rest } = opts;
  return joinSchedules(
    [linearSchedule({ initValue, endValue: peakValue, transitionSteps: warmupSteps }), exponentialDecay({ initValue: peakValue, ...rest })],
    [warmupSteps],
  );
}

/** `initValue`, multiplied by `boundariesAndScales[b]` once `count >= b`, for each boundary in increasing order. */
export function piecewiseConstantSchedule(initValue: number, boundariesAndScales: Record<number, number> = {}): Schedule {
  const entries = Object.entries(boundariesAndScales)
    .map(([b, s]) => [Number(b), s] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [b, s] of entries) {
    if (!(s >= 0)) throw new RangeError(`[piecewiseConstantSchedule] expects non-negative scale factors, got ${s} at boundary ${b}`);
  }
  return (count) => {
    const c = f32(count);
    let v: Array = jnp.fullLike(c, initValue);
    for (const [b, s] of entries) {
      const indicator = jnp.maximum(0, jnp.sign(asArray(b).astype(float32).sub(c)));
      v = v.mul(indicator).add(asArray(1).sub(indicator).mul(s).mul(v));
    }
    return v;
  };
}

/** SGDR (Loshchilov & Hutter 2017): warm-restarted cosine cycles, one `warmupCosineDecaySchedule` per entry. */
export function sgdrSchedule(cycles: readonly Parameters<typeof warmupCosineDecaySchedule>[0][]): Schedule {
  const boundaries: number[] = [];
  let step = 0;
  for (const c of cycles) {
    step += c.decaySteps;
    boundaries.push(step);
  }
  return joinSchedules(cycles.map(warmupCosineDecaySchedule), boundaries.slice(0, -1));
}

/** Cosine decay restarted every `decaySteps`, `numCycles` times (a convenience over `sgdrSchedule` without warmup). */
export function cosineRestartsSchedule(opts: { initValue: number; decaySteps: number; numCycles: number; alpha?: number }): Schedule {
  const { initValue, decaySteps, numCycles, alpha = 0 } = opts;
  const cycle = cosineDecaySchedule({ initValue, decaySteps, alpha });
  return joinSchedules(
    globalThis.Array.from({ length: numCycles }, () => cycle),
    globalThis.Array.from({ length: numCycles - 1 }, (_, i) => (i + 1) * decaySteps),
  );
}
