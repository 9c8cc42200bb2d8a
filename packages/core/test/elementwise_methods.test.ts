// Elementwise Array methods (jnp semantics) against goldens from
// tools/goldens/gen_elementwise.py: result dtypes from JAX's promotion table,
// values from NumPy in that dtype, jnp's formulas where NumPy differs.
import { describe, expect, it } from "vitest";
import { Array, array, evalJaxpr, lax, makeJaxpr, scalar, type ArrayInput } from "../src/index.js";
import { float32 } from "../src/dtypes.js";
import { decode, expectMatches, loadGolden, type EncodedArray } from "./golden.js";

type Operand = EncodedArray | { scalar: number | string | boolean };
interface Case {
  method: string;
  x: EncodedArray;
  y?: Operand;
  dtype_arg?: string;
  bounds?: (Operand | null)[];
  out: EncodedArray;
  out_weak: boolean | null;
}

function operand(o: Operand): ArrayInput {
  if ("scalar" in o) {
    const v = o.scalar;
    return v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number | boolean);
  }
  return decode(o);
}

function describeCase(c: Case): string {
  const op = (o: Operand | null | undefined) =>
    o == null ? "null" : "scalar" in o ? JSON.stringify(o.scalar) : `${o.dtype}[${o.shape}]`;
  const args = c.bounds ? c.bounds.map(op).join(", ") : c.dtype_arg ?? (c.y ? op(c.y) : "");
  return `${c.x.dtype}[${c.x.shape}].${c.method}(${args})`;
}

/** The call, with `x` (and array operands) passed in so it can be traced. */
function call(c: Case, x: Array, ys: ArrayInput[]): Array {
  const m = c.method;
  if (m === "astype") return x.astype(c.dtype_arg!);
  if (m === "clip") return x.clip(ys[0] as ArrayInput | null, ys[1] as ArrayInput | null);
  if (c.y === undefined) return (x as any)[m]();
  return (x as any)[m](ys[0]);
}

const cases = loadGolden<Case>("elementwise_methods");
const byMethod = new Map<string, Case[]>();
for (const c of cases) byMethod.set(c.method, [...(byMethod.get(c.method) ?? []), c]);

describe("Array methods vs goldens", () => {
  for (const [method, cs] of byMethod) {
    it(method, () => {
      for (const c of cs) {
        const what = describeCase(c);
        const ys = c.bounds ? c.bounds.map((b) => (b === null ? null : operand(b))) : c.y ? [operand(c.y)] : [];
        const out = call(c, decode(c.x), ys as ArrayInput[]);
        expectMatches(out, c.out, { label: what });
        if (c.out_weak !== null) expect(out.weakType, `${what}: weak type`).toBe(c.out_weak);
      }
    });
  }

  it("covers every elementwise method", () => {
    const methods = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "lt", "and", "or", "xor", "floorDiv", "mod",
      "neg", "abs", "not", "astype", "clip"];
    expect(methods.filter((m) => !byMethod.has(m))).toEqual([]);
  });
});

describe("Array methods under makeJaxpr", () => {
  for (const [method, cs] of byMethod) {
    it(`${method}: traced result has the eager shape, dtype and weak type and evaluates to it`, () => {
      for (const c of cs) {
        const what = describeCase(c);
        const ys = c.bounds ? c.bounds.map((b) => (b === null ? null : operand(b))) : c.y ? [operand(c.y)] : [];
        const x = decode(c.x);
        const eager = call(c, x, ys as ArrayInput[]);
        // Array operands are traced; JS scalars stay JS scalars (weak constants).
        const arrays = ys.filter((y): y is Array => y instanceof Array);
        const f = (xt: Array, ...ats: Array[]) => {
          let k = 0;
          return call(c, xt, ys.map((y) => (y instanceof Array ? ats[k++]! : y)) as ArrayInput[]);
        };
        const closed = makeJaxpr(f)(x, ...arrays);
        const aval = closed.jaxpr.outvars[0]!.aval;
        expect([aval.shape, aval.dtype.name, aval.weakType], what).toEqual([eager.shape, eager.dtype.name, eager.weakType]);
        const [again] = evalJaxpr(closed.jaxpr, closed.consts, [x, ...arrays]);
        expect([...again!.dataSync()], what).toEqual([...eager.dataSync()]);
      }
    });
  }
});

const f32 = (xs: number[]) => array(xs, { dtype: "float32" });

describe("jnp semantics details", () => {
  it("float32 + a JS float stays float32 and strong; int32 + a JS float is weak float32", () => {
    const a = f32([1, 2]).add(1.5);
    expect([a.dtype.name, a.weakType]).toEqual(["float32", false]);
    const b = array([1, 2]).add(2.5);
    expect([b.dtype.name, b.weakType, b.tolist()]).toEqual(["float32", true, [3.5, 4.5]]);
  });

  it("a JS integer wraps into the array's integer dtype (jnp converts Python ints with astype)", () => {
    const u = array([250, 3], { dtype: "uint8" }).add(300);
    expect([u.dtype.name, u.tolist()]).toEqual(["uint8", [38, 47]]);
    expect(array([1], { dtype: "int8" }).mul(-129).tolist()).toEqual([127]);
  });

  it("a JS integer beyond the int64 range cannot become an integer (JAX's OverflowError)", () => {
    expect(() => array([1, 2]).add(2 ** 64)).toThrow(/^\[add\] the JS integer 18446744073709552000 is too large to convert to int32$/);
    expect(f32([1]).add(2 ** 64).tolist()).toEqual([2 ** 64]);
  });

  it("weak operands of a method stay weak only if every operand is", () => {
    const w = scalar(2, float32, true);
    expect(w.add(1).weakType).toBe(true);
    expect(w.add(f32([1])).weakType).toBe(false);
    expect(scalar(2).add(0.5).dtype.name).toBe("float32");
  });

  it("bool add is logical or, bool mul logical and, bool sub an error (as jnp)", () => {
    const a = array([true, true, false]);
    const b = array([true, false, false]);
    expect(a.add(b).tolist()).toEqual([true, true, false]);
    expect(a.mul(b).tolist()).toEqual([true, false, false]);
    expect(() => a.sub(b)).toThrow(/^\[sub\] requires numeric \(non-bool\) inputs, got bool\[3\]$/);
  });

  it("pow with a JS integer exponent is integer_pow; negative powers of integers are an error", () => {
    const jaxpr = makeJaxpr((x: Array) => x.pow(3))(f32([1, 2]));
    expect(jaxpr.jaxpr.eqns.map((e) => e.primitive.name)).toEqual(["integer_pow"]);
    expect(() => array([2]).pow(-1)).toThrow(/^\[integer_pow\] negative exponent -1 needs a floating-point base, got i32\[1\]$/);
    expect(f32([2]).pow(-1).tolist()).toEqual([0.5]);
  });

  it("broadcasting errors name the method and every shape", () => {
    expect(() => f32([1, 2]).add(f32([1, 2, 3]))).toThrow(/^\[add\] shapes \(2\), \(3\) cannot be broadcast together$/);
    expect(() => f32([1, 2]).clip(f32([0, 0, 0]))).toThrow(/^\[maximum\] shapes \(3\), \(2\) cannot be broadcast together$/);
  });

  it("bitwise methods reject floats; neg rejects bool; astype rejects unknown dtypes", () => {
    expect(() => f32([1]).and(1)).toThrow(/^\[and\] requires integer or bool inputs, got f32\[1\]$/);
    expect(() => array([true]).neg()).toThrow(/^\[neg\] requires numeric \(non-bool\) inputs, got bool\[1\]$/);
    expect(() => f32([1]).astype("int64")).toThrow(/^\[dtype\] unknown dtype "int64"/);
  });

  it("clip(min, max) traces as max then min, like jnp.clip", () => {
    const closed = makeJaxpr((x: Array) => x.clip(0, 1))(f32([0.5]));
    expect(closed.jaxpr.eqns.map((e) => e.primitive.name)).toEqual(["max", "min"]);
    expect(lax.max).toBeTypeOf("function");
  });
});
