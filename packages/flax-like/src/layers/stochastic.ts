// Dropout (flax/linen/stochastic.py) with an explicit "dropout" rng.
import { Array, lax, random } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Module, type Scope } from "../module.js";
import { canonAxes } from "../util.js";

export interface DropoutOptions {
  /** axes along which the same mask is used (e.g. the spatial axes) */
  broadcastDims?: readonly number[];
  /** identity when true (default: `!train` of the init/apply call) */
  deterministic?: boolean;
  /** the rng stream to draw masks from (default "dropout") */
  rngCollection?: string;
}

/**
 * Zero each element with probability `rate` and scale the rest by 1/(1-rate),
 * in training mode; the identity otherwise. Masks come from `makeRng("dropout")`,
 * so the same key gives the same mask.
 */
export class Dropout extends Module {
  constructor(
    readonly rate: number,
    readonly options: DropoutOptions = {},
  ) {
    super();
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`[Dropout] rate must be in [0, 1], got ${rate}`);
  }
  call(scope: Scope, inputs: Array): Array {
    const deterministic = this.options.deterministic ?? !scope.train;
    if (this.rate === 0 || deterministic) return inputs;
    if (this.rate === 1) return jnp.zerosLike(inputs);
    const keep = 1 - this.rate;
    const rng = scope.makeRng(this.options.rngCollection ?? "dropout");
    const bdims = canonAxes(inputs.ndim, this.options.broadcastDims ?? [], "Dropout");
    const maskShape = inputs.shape.map((d, i) => (bdims.includes(i) ? 1 : d));
    const mask = jnp.broadcastTo(random.bernoulli(rng, keep, maskShape), inputs.shape);
    return lax.select(mask, inputs.div(keep), jnp.zerosLike(inputs));
  }
}
