// Sequential and MLP.
import { Array } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Module, type Scope } from "../module.js";
import { Dense, type DenseOptions } from "./linear.js";
import { Dropout } from "./stochastic.js";

export type Layer = Module | ((...inputs: any[]) => any);

/**
 * Apply layers in order; a layer returning a JS array (a tuple) passes it to
 * the next layer as separate arguments. Modules are named `layers_<index>` as Flax does.
 */
export class Sequential extends Module {
  readonly layers: readonly Layer[];
  constructor(layers: readonly Layer[]) {
    super();
    if (!globalThis.Array.isArray(layers) || layers.length === 0) throw new TypeError("[Sequential] needs a non-empty list of layers");
    this.layers = [...layers];
  }
  call(scope: Scope, ...inputs: any[]): any {
    let args = inputs;
    let out: any;
    this.layers.forEach((layer, i) => {
      const f = layer instanceof Module ? scope.child(`layers_${i}`, layer) : layer;
      out = f(...args);
      args = globalThis.Array.isArray(out) ? out : [out];
    });
    return out;
  }
}

export interface MLPOptions extends DenseOptions {
  /** between layers (default relu) */
  activation?: (x: Array) => Array;
  /** also apply the activation after the last layer (default false) */
  activateFinal?: boolean;
  /** dropout after each hidden activation (default 0) */
  dropoutRate?: number;
}

/** Dense layers of the given widths with an activation between them (`Dense_0`, `Dense_1`, ...). */
export class MLP extends Module {
  readonly features: readonly number[];
  constructor(
    features: readonly number[],
    readonly options: MLPOptions = {},
  ) {
    super();
    if (!globalThis.Array.isArray(features) || features.length === 0) throw new TypeError("[MLP] needs a non-empty list of layer widths");
    this.features = [...features];
  }
  call(scope: Scope, inputs: Array): Array {
    const { activation = jnp.nn.relu, activateFinal = false, dropoutRate = 0, ...dense } = this.options;
    let x = inputs;
    this.features.forEach((f, i) => {
      x = scope.child(new Dense(f, dense))(x);
      const last = i === this.features.length - 1;
      if (!last || activateFinal) x = activation(x);
      if (!last && dropoutRate > 0) x = scope.child(new Dropout(dropoutRate))(x);
    });
    return x;
  }
}
