// @jaxts/core: arrays, dtypes, primitives (lax), tracing and Jaxprs, PyTrees,
// backends.
import { registerBackend } from "./backend/registry.js";
import { cpuBackend } from "./backend/cpu/index.js";
import "./methods.js";
import "./indexing.js";

registerBackend(cpuBackend);

export { Array, Tracer, array, asArray, scalar, fromTyped, type ArrayInput, type NestedArray, type ArrayOptions } from "./array.js";
export * from "./dtypes.js";
export { ShapedArray, broadcastShapes, type Shape } from "./shape.js";
export { ConcretizationTypeError, UnexpectedTracerError } from "./errors.js";
// NumPy print options and array2string (repr of arrays follows them, as in JAX).
export { array2string, formatScalar, getPrintOptions, setPrintOptions, resetPrintOptions, type PrintOptions, type Array2StringOptions } from "./format.js";
export { Primitive, bind, type Params } from "./core.js";
export { Jaxpr, ClosedJaxpr, JaxprEqn, Var, Literal, DropVar, evalJaxpr, checkJaxpr, JaxprTypeError } from "./jaxpr.js";
export { makeJaxpr, ShapeDtypeStruct } from "./staging.js";
export { stopGradient } from "./primitives/elementwise.js";
export {
  IndexUpdateRef,
  NonConcreteBooleanIndexError,
  rewritingTake,
  scatterUpdate,
  type IndexItem,
  type IndexOptions,
  type IndexGetOptions,
  type Slice,
} from "./indexing.js";
export * as lax from "./lax.js";
export * as random from "./random/index.js";
// NumPy-style promotion and broadcasting, shared with @jaxts/numpy.
export { promoteArgs, broadcastArrays, broadcastTo, promoteIntegerDType, type PromoteOptions } from "./methods.js";
// jnp.matmul / jnp.dot with precision and preferredElementType (Array.matmul/dot without options).
export { matmul as numpyMatmul, dot as numpyDot, type ProductOptions } from "./methods.js";
export { jvp, linearize, vjp, grad, valueAndGrad, vmap, jit, jacfwd, jacrev, hessian, evalShape, linearTranspose } from "./transforms/index.js";
export type { GradOptions, VmapOptions, JitOptions, Jitted, JacOptions } from "./transforms/index.js";
export { customJvp, customVjp, checkpoint, remat, checkpointPolicies, CheckpointPolicy } from "./transforms/index.js";
export type { CustomJvp, CustomVjp, CustomOptions, CheckpointOptions, CheckpointPolicyFn } from "./transforms/index.js";
// Higher-order primitives that are not in `lax`, for backends that lower Jaxprs.
export { jitP } from "./transforms/jit.js";
export { checkpointP } from "./transforms/checkpoint.js";
export { customJvpCallP, customVjpCallP, customLinP } from "./transforms/custom.js";
export { addAnyP } from "./transforms/zeros.js";
export * as tree from "./tree.js";
export type { Backend, Device, Executable, Buffer } from "./backend/interface.js";
export {
  registerBackend,
  getBackend,
  defaultBackend,
  setDefaultBackend,
  devices,
  backendNames,
  devicePut,
} from "./backend/registry.js";
export { registerCpuKernel, registerCpuKernel1 } from "./backend/cpu/kernels.js";
