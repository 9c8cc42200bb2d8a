// The transformations, gathered for the public API.
export { jvp } from "./jvp.js";
export { linearize, vjp } from "./transpose.js";
export { grad, valueAndGrad, type GradOptions } from "./grad.js";
export { vmap, type VmapOptions } from "./vmap.js";
export { jit, type JitOptions, type Jitted } from "./jit.js";
export { customJvp, customVjp, type CustomJvp, type CustomVjp, type CustomOptions } from "./custom.js";
export { checkpoint, remat, checkpointPolicies, CheckpointPolicy, type CheckpointOptions, type CheckpointPolicyFn } from "./checkpoint.js";
export { jacfwd, jacrev, hessian, evalShape, linearTranspose, type JacOptions } from "./jacobian.js";
