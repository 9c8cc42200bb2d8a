// The `lax` namespace: one function per primitive (plus a few conveniences),
// with JAX's names in camelCase and JAX's argument order.
export * from "./primitives/elementwise.js";
export * from "./primitives/reduction.js";
export * from "./primitives/structural.js";
export * from "./primitives/sort.js";
export * from "./primitives/linalg.js";
export * from "./primitives/indexing.js";
export * from "./primitives/conv.js";
export * from "./primitives/control_flow.js";
