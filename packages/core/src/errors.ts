// Error kinds a JAX user knows. Messages name the operation and the values at fault.

/** A traced value was used where a concrete value is needed (JS control flow, Number(x), x.item()). */
export class ConcretizationTypeError extends TypeError {
  override name = "ConcretizationTypeError";
}

/** A tracer escaped the transformation that created it and was used later. */
export class UnexpectedTracerError extends Error {
  override name = "UnexpectedTracerError";
}

export function concretizationMessage(what: string, aval: string, context?: string): string {
  return (
    `Abstract tracer value encountered where a concrete value is expected: ${what} of a traced array with shape/dtype ${aval}` +
    `. The value of a traced array is not known while the function is being transformed. ` +
    (context ? `${context} ` : "") +
    `Use lax.cond / lax.switch / lax.whileLoop / lax.foriLoop instead of JavaScript control flow on traced values, ` +
    `or mark the argument static with jit's staticArgnums / staticArgnames.`
  );
}
