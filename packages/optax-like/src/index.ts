// @jaxts/optax-like: Optax for jaxts. Gradient transformations are pure
// `{init, update}` pairs over PyTrees with plain-data state, so a whole training
// step (valueAndGrad + update + applyUpdates) jits as one program.
export * from "./base.js";
export * from "./transforms.js";
export * from "./wrappers.js";
export * from "./alias.js";
export * from "./schedules.js";
export * from "./clipping.js";
export * as losses from "./losses.js";
export * from "./losses.js";
export * from "./lbfgs.js";
