// jax.nn's activation functions (jax/_src/nn/functions.py), each composed the
// way JAX composes it so values, dtypes and derivatives agree with JAX's: the
// same jnp building blocks (whose max/min/where/abs derivatives split ties as
// lax does), JAX's custom JVPs for relu, relu6 and log1mexp (relu'(0) = 0),
// and the same constants in the same dtypes.
import { Array, customJvp, lax, scalar, type ArrayInput } from "@jaxts/core";
import { arr, constLike, float32, fmt, fullLike, normAxis, promoteDtypes } from "../math_helpers.js";
import { split } from "../manipulation.js";
import { where } from "../misc.js";
import {
  abs,
  add,
  clip,
  divide,
  expm1,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  log1p,
  exp,
  logaddexp,
  logicalAnd,
  maximum,
  minimum,
  multiply,
  negative,
  sqrt,
  square,
  tanh as jnpTanh,
} from "../ufuncs.js";

/** jax.nn.identity: the argument unmodified (as an Array). */
export function identity(x: ArrayInput): Array {
  return arr("identity", x);
}

/** A parameter passed through unconverted, so a JS number keeps full precision until promotion (a weak scalar). */
function param(op: string, v: ArrayInput, what: string): ArrayInput {
  arr(op, v, what);
  return v;
}

/**
 * A weakly typed float constant: JAX's Python float literals (`6.`, `1.0`),
 * which turn integer inputs into float32 (a JS number like 6 would count as an
 * integer).
 */
const wf = (v: number): Array => scalar(v, float32, true);

const zeroTangent = (g: Array): Array => fullLike(g, 0);

const reluImpl = customJvp(function relu(x: Array): Array {
  return maximum(x, 0);
});
// relu'(0) = 0 (https://dl.acm.org/doi/10.5555/3540261.3540297).
reluImpl.defjvps((g: Array, _ans: Array, x: Array) => lax.select(greater(x, 0), g, zeroTangent(g)));

/** jax.nn.relu: max(x, 0), with relu'(0) = 0 under differentiation. */
export function relu(x: ArrayInput): Array {
  return reluImpl(arr("relu", x));
}

const relu6Impl = customJvp(function relu6(x: Array): Array {
  return minimum(maximum(x, 0), wf(6.0));
});
relu6Impl.defjvps((g: Array, _ans: Array, x: Array) => lax.select(logicalAnd(greater(x, 0), less(x, 6)), g, zeroTangent(g)));

/** jax.nn.relu6: min(max(x, 0), 6), with zero derivative at 0 and at 6. */
export function relu6(x: ArrayInput): Array {
  return relu6Impl(arr("relu6", x));
}

/** jax.nn.squareplus(x, b = 4): (x + sqrt(x² + b)) / 2. */
export function squareplus(x: ArrayInput, b: ArrayInput = 4): Array {
  const xa = arr("squareplus", x);
  return divide(add(xa, sqrt(add(square(xa), param("squareplus", b, "b")))), 2);
}

/** jax.nn.softplus: log(1 + exp(x)), as logaddexp(x, 0). */
export function softplus(x: ArrayInput): Array {
  return logaddexp(arr("softplus", x), 0);
}

/** jax.nn.sparse_plus: 0 for x <= -1, (x + 1)²/4 on (-1, 1), x for x >= 1. */
export function sparsePlus(x: ArrayInput): Array {
  const xa = arr("sparse_plus", x);
  const mid = divide(lax.integerPow(add(xa, wf(1.0)), 2), 4);
  return where(lessEqual(xa, -1.0), wf(0.0), where(greaterEqual(xa, 1.0), xa, mid));
}

/** jax.nn.soft_sign: x / (|x| + 1). */
export function softSign(x: ArrayInput): Array {
  const xa = arr("soft_sign", x);
  return divide(xa, add(abs(xa), 1));
}

/** jax.nn.sigmoid: 1 / (1 + exp(-x)) (lax.logistic; float inputs). */
export function sigmoid(x: ArrayInput): Array {
  const xa = arr("sigmoid", x);
  if (xa.dtype.kind !== "f") throw new TypeError(`[sigmoid] requires a floating-point input, got ${fmt(xa)}`);
  return lax.logistic(xa);
}

/** jax.nn.sparse_sigmoid: 0 for x <= -1, (x + 1)/2 on (-1, 1), 1 for x >= 1. */
export function sparseSigmoid(x: ArrayInput): Array {
  return multiply(0.5, clip(add(arr("sparse_sigmoid", x), wf(1.0)), wf(0.0), wf(2.0)));
}

/** jax.nn.silu (swish): x · sigmoid(x). */
export function silu(x: ArrayInput): Array {
  const xa = arr("silu", x);
  return multiply(xa, sigmoid(xa));
}
export const swish = silu;

/** jax.nn.mish: x · tanh(softplus(x)). */
export function mish(x: ArrayInput): Array {
  const xa = arr("mish", x);
  return multiply(xa, jnpTanh(softplus(xa)));
}

/** jax.nn.log_sigmoid: log(sigmoid(x)) = -softplus(-x). */
export function logSigmoid(x: ArrayInput): Array {
  return negative(softplus(negative(arr("log_sigmoid", x))));
}

/** jax.nn.elu(x, alpha = 1): x for x > 0, alpha (exp(x) - 1) otherwise. */
export function elu(x: ArrayInput, alpha: ArrayInput = 1.0): Array {
  const xa = arr("elu", x);
  const pos = greater(xa, 0);
  return where(pos, xa, multiply(param("elu", alpha, "alpha"), expm1(where(pos, wf(0.0), xa))));
}

/** jax.nn.leaky_relu(x, negative_slope = 0.01): x for x >= 0, negative_slope · x otherwise. */
export function leakyRelu(x: ArrayInput, negativeSlope: ArrayInput = 1e-2): Array {
  const xa = arr("leaky_relu", x);
  return where(greaterEqual(xa, 0), xa, multiply(param("leaky_relu", negativeSlope, "negative_slope"), xa));
}

/** jax.nn.hard_tanh: x clipped to [-1, 1]. */
export function hardTanh(x: ArrayInput): Array {
  const xa = arr("hard_tanh", x);
  return where(greater(xa, 1), 1, where(less(xa, -1), -1, xa));
}

/** jax.nn.celu(x, alpha = 1): max(x, 0) + alpha (exp(min(x, 0) / alpha) - 1). */
export function celu(x: ArrayInput, alpha: ArrayInput = 1.0): Array {
  const xa = arr("celu", x);
  const a = param("celu", alpha, "alpha");
  return add(maximum(xa, wf(0.0)), multiply(a, expm1(divide(minimum(xa, wf(0.0)), a))));
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** jax.nn.selu: scale · elu(x, alpha) with the self-normalizing constants. */
export function selu(x: ArrayInput): Array {
  return multiply(SELU_SCALE, elu(arr("selu", x), SELU_ALPHA));
}

/**
 * jax.nn.gelu(x, approximate = true): x Φ(x), by default with the tanh
 * approximation x/2 (1 + tanh(√(2/π) (x + 0.044715 x³))); exact: x/2 erfc(-x/√2).
 * `approximate` may be passed positionally or as `{ approximate }`.
 */
export function gelu(x: ArrayInput, approximate: boolean | { approximate?: boolean } = true): Array {
  const approx = typeof approximate === "object" && approximate !== null ? (approximate.approximate ?? true) : approximate;
  if (typeof approx !== "boolean") throw new TypeError(`[gelu] approximate must be a boolean, got ${typeof approx}`);
  const [xa] = promoteDtypes("gelu", [arr("gelu", x)], { toFloat: true }) as [Array];
  // NumPy scalars of x's dtype (strongly typed), as JAX's np.sqrt(...).astype(dtype).
  const strong = (v: number) => scalar(v, xa.dtype, false);
  if (approx) {
    const inner = multiply(strong(Math.sqrt(2 / Math.PI)), add(xa, multiply(0.044715, lax.integerPow(xa, 3))));
    const cdf = multiply(0.5, add(1.0, jnpTanh(inner)));
    return multiply(xa, cdf);
  }
  return lax.convertElementType(multiply(multiply(0.5, xa), lax.erfc(multiply(negative(xa), strong(Math.sqrt(0.5))))), xa.dtype);
}

/** jax.nn.glu(x, axis = -1): the first half of x along `axis` times sigmoid of the second half. */
export function glu(x: ArrayInput, axis: number | { axis?: number } = -1): Array {
  const xa = arr("glu", x);
  const ax = typeof axis === "object" && axis !== null ? (axis.axis ?? -1) : axis;
  if (xa.ndim === 0) throw new TypeError(`[glu] requires an array of rank >= 1, got ${fmt(xa)}`);
  const a = normAxis("glu", ax, xa.ndim);
  if (xa.shape[a]! % 2 !== 0) throw new RangeError(`[glu] axis size must be divisible by 2, got ${fmt(xa)} with axis ${ax}`);
  const [x1, x2] = split(xa, 2, a) as [Array, Array];
  return multiply(x1, sigmoid(x2));
}

/** jax.nn.hard_sigmoid: relu6(x + 3) / 6. */
export function hardSigmoid(x: ArrayInput): Array {
  return divide(relu6(add(arr("hard_sigmoid", x), wf(3.0))), wf(6.0));
}

/** jax.nn.hard_silu (hard_swish): x · hard_sigmoid(x). */
export function hardSilu(x: ArrayInput): Array {
  const xa = arr("hard_silu", x);
  return multiply(xa, hardSigmoid(xa));
}
export const hardSwish = hardSilu;

/** jax.nn.tanh (jnp.tanh). */
export function tanh(x: ArrayInput): Array {
  return jnpTanh(arr("tanh", x));
}

const log1mexpImpl = customJvp(function log1mexp(x: Array): Array {
  const c = log(constLike(x, 2.0));
  return where(less(x, c), log(negative(expm1(negative(x)))), log1p(negative(exp(negative(x)))));
});
log1mexpImpl.defjvps((g: Array, _ans: Array, x: Array) => divide(g, expm1(x)));

/** jax.nn.log1mexp: log(1 - exp(-x)) computed stably (defined for x >= 0), derivative 1 / expm1(x). */
export function log1mexp(x: ArrayInput): Array {
  const [xa] = promoteDtypes("log1mexp", [arr("log1mexp", x)], { toFloat: true }) as [Array];
  return log1mexpImpl(xa);
}
