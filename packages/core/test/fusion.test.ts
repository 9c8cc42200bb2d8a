// The kernel fuser (src/fuser) and the CPU backend's fused kernels
// (src/backend/cpu/fused.ts): which equations group into kernels, and that a
// fused program computes bit for bit what the equation-by-equation interpreter
// and eager execution compute — for every elementwise golden case and for
// random programs (fast-check).
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { Array, fromTyped, jit, lax, makeJaxpr, type ArrayInput } from "../src/index.js";
import { float32, float64, int32 } from "../src/dtypes.js";
import { cpuBackend } from "../src/backend/cpu/index.js";
import { cpuFusible } from "../src/backend/cpu/fused.js";
import { scalarKernels } from "../src/backend/cpu/kernels.js";
import { planFusion } from "../src/fuser/index.js";
import { elementwiseSpecial as special } from "./cases.js";
import { decode, loadGolden, type EncodedArray } from "./golden.js";

afterEach(() => {
  cpuBackend.fusion = true;
});

const L = lax as unknown as Record<string, (...a: any[]) => Array>;
const f32 = (xs: number[], shape = [xs.length]) => fromTyped(Float32Array.from(xs), shape, float32);

/** Bitwise equality (NaN equals NaN, -0 differs from 0). */
function expectSame(a: Array, b: Array, what: string): void {
  expect(a.shape, what).toEqual(b.shape);
  expect(a.dtype.name, what).toBe(b.dtype.name);
  const x = a.dataSync();
  const y = b.dataSync();
  const bad: string[] = [];
  for (let i = 0; i < x.length && bad.length < 5; i++) if (!Object.is(x[i], y[i])) bad.push(`[${i}] ${x[i]} vs ${y[i]}`);
  expect(bad, what).toEqual([]);
}

/** Run a jitted function with fusion on and off (fresh jit each time: compiled programs are cached). */
function bothWays(f: (...xs: Array[]) => Array | Array[], args: Array[]): [Array[], Array[]] {
  const run = (fusion: boolean) => {
    cpuBackend.fusion = fusion;
    const out = jit(f)(...args);
    return globalThis.Array.isArray(out) ? out : [out];
  };
  const fused = run(true);
  const plain = run(false);
  cpuBackend.fusion = true;
  return [fused, plain];
}

describe("planFusion", () => {
  const plan = (f: (...xs: Array[]) => unknown, ...args: ArrayInput[]) => planFusion(makeJaxpr(f as any)(...(args as any)).jaxpr, cpuFusible);

  it("fuses an elementwise chain into one kernel that reads x once and writes one output", () => {
    const steps = plan((x) => lax.tanh(x.mul(2).add(1)).mul(x), f32([1, 2, 3]));
    expect(steps.map((s) => s.kind)).toEqual(["kernel"]);
    const k = steps[0]!.kind === "kernel" ? steps[0]!.kernel : null;
    expect(k!.ops.map((o) => o.primitive.name)).toEqual(["mul", "add", "tanh", "mul"]);
    expect(k!.inputs).toEqual([{ aval: expect.anything(), broadcast: false, expand: false }]);
    expect(k!.outputs).toEqual([3]);
  });

  it("writes out intermediates read after the kernel; other equations split runs", () => {
    const steps = plan(
      (x, w) => {
        const h = lax.tanh(x.add(1)).mul(2);
        const y = h.matmul(w);
        return [lax.exp(y).sub(1), h.sum()];
      },
      f32([1, 2, 3, 4], [2, 2]),
      f32([1, 0, 0, 1], [2, 2]),
    );
    expect(steps.map((s) => (s.kind === "kernel" ? `kernel(${s.eqns.map((e) => e.primitive.name)})` : s.eqn.primitive.name))).toEqual([
      "kernel(add,tanh,mul)",
      "dot_general",
      "kernel(exp,sub)",
      "reduce_sum",
    ]);
    const first = steps[0]!;
    expect(first.kind === "kernel" && first.outvars.length).toBe(1); // h: read by dot_general and reduce_sum
  });

  it("broadcasts size-1 operands, and does not fuse a single equation or across shapes", () => {
    const steps = plan((x, s) => x.mul(s).add(s).sum().add(1), f32([1, 2, 3]), f32([2], []));
    expect(steps.map((s) => s.kind)).toEqual(["kernel", "eqn", "eqn"]);
    const k = steps[0]!.kind === "kernel" ? steps[0]!.kernel : null;
    expect(k!.inputs.map((i) => i.broadcast)).toEqual([false, true]);
  });
});

describe("uniform operations and scalar broadcasts", () => {
  // The pattern of relu's gradient: constants converted and broadcast, selected per element.
  const f = (x: Array) => {
    const j = lax.max(x, 0);
    const half = lax.broadcastInDim(lax.convertElementType(0.5, "float32"), x.shape, []);
    const one = lax.broadcastInDim(lax.convertElementType(1, "float32"), x.shape, []);
    const zero = lax.broadcastInDim(lax.convertElementType(0, "float32"), x.shape, []);
    return [lax.selectN(lax.eq(x, j), zero, lax.selectN(lax.eq(j, 0), one, half)), lax.add(lax.convertElementType(2, "float32"), 1)];
  };
  const x = f32([-1, 0, -0, 2, NaN, 3], [2, 3]);

  it("join the run: one kernel, constants computed once", () => {
    const steps = planFusion(makeJaxpr(f)(x).jaxpr, cpuFusible);
    expect(steps.map((s) => s.kind)).toEqual(["kernel"]);
    const k = steps[0]!.kind === "kernel" ? steps[0]!.kernel : null;
    expect(k!.shape).toEqual([2, 3]);
    const uniform = k!.ops.filter((o) => o.uniform).map((o) => o.primitive.name);
    expect(uniform).toEqual(expect.arrayContaining(["convert_element_type", "add"]));
    expect(k!.ops.filter((o) => !o.uniform).map((o) => o.primitive.name)).toEqual(expect.arrayContaining(["broadcast_in_dim", "select_n", "max"]));
    expect(k!.outputs.map((i) => k!.ops[i]!.uniform)).toEqual([false, true]);
  });

  it("compute what the interpreter computes", () => {
    const [fused, plain] = bothWays(f, [x]);
    const eager = f(x);
    fused.forEach((o, i) => {
      expectSame(o, plain[i]!, `out ${i}: fused vs unfused`);
      expectSame(o, eager[i]!, `out ${i}: fused vs eager`);
    });
  });

  it("operands with size-1 dimensions (a bias row or column) are read through an index map", () => {
    const x = f32([1, -2, 3, -4, 5, -6], [2, 3]);
    const row = f32([0.5, -0.25, 2], [1, 3]);
    const col = f32([3, -1], [2, 1]);
    const g = (x: Array, r: Array, c: Array) => lax.tanh(lax.add(lax.mul(x, r), c)).mul(r).sub(c);
    const steps = planFusion(makeJaxpr(g)(x, row, col).jaxpr, cpuFusible);
    expect(steps.map((s) => s.kind)).toEqual(["kernel"]);
    const k = steps[0]!.kind === "kernel" ? steps[0]!.kernel : null;
    expect(k!.inputs.map((i) => i.expand)).toEqual([false, true, true]);
    const [[fused], [plain]] = bothWays(g, [x, row, col]);
    expectSame(fused!, plain!, "fused vs unfused");
    expectSame(fused!, g(x, row, col), "fused vs eager");
  });

  it("a broadcast of a vector is not fused (it would need an index map)", () => {
    const steps = planFusion(makeJaxpr((v: Array) => lax.broadcastInDim(v, [2, 3], [1]).mul(2).add(1))(f32([1, 2, 3])).jaxpr, cpuFusible);
    expect(steps.map((s) => (s.kind === "kernel" ? "kernel" : s.eqn.primitive.name))).toEqual(["broadcast_in_dim", "kernel"]);
  });
});

describe("fused kernels equal the interpreter bit for bit", () => {
  interface Case {
    op: string;
    args: EncodedArray[];
    params?: Record<string, unknown>;
  }
  const cases = loadGolden<Case>("elementwise");
  const byOp = new Map<string, Case[]>();
  for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

  for (const [op, cs] of byOp) {
    it(`${op} in a chain`, () => {
      const apply = special[op] ?? ((xs: Array[]) => L[op]!(...xs));
      for (const c of cs) {
        const args = c.args.map(decode);
        // op, then eq and select_n: three fusible equations whose result is op's.
        const f = (...xs: Array[]) => {
          const y = apply(xs, c.params ?? {});
          return lax.selectN(lax.eq(y, y), y, y);
        };
        const what = `${op}${JSON.stringify(c.params ?? {})}(${c.args.map((a) => `${a.dtype}[${a.shape}]`)})`;
        const [[fused], [plain]] = bothWays(f, args);
        expectSame(fused!, plain!, `${what}: fused vs unfused`);
        expectSame(fused!, apply(args, c.params ?? {}), `${what}: fused vs eager`);
        const jaxpr = makeJaxpr(f)(...args).jaxpr;
        const prim = jaxpr.eqns[0]!.primitive;
        if (scalarKernels.has(prim) && jaxpr.eqns.length >= 3) {
          expect(cpuBackend.compile(jaxpr).stats!.fusedKernels, `${what}: fused`).toBeGreaterThan(0);
        }
      }
    });
  }
});

describe("random programs: fused = unfused = eager, bit for bit (fast-check)", () => {
  type Step = { op: string; a: number; b: number };
  const unary = ["neg", "sin", "exp", "tanh", "log1p", "abs", "sqrt", "floor", "logistic", "square"];
  const binary = ["add", "sub", "mul", "div", "max", "min", "pow", "atan2", "rem"];
  const apply = (s: Step, vals: Array[]): Array => {
    const a = vals[s.a % vals.length]!;
    const b = vals[s.b % vals.length]!;
    if (unary.includes(s.op)) return L[s.op]!(s.op === "log1p" || s.op === "sqrt" ? lax.abs(a) : a);
    if (binary.includes(s.op)) return L[s.op]!(a, b);
    if (s.op === "select") return lax.selectN(lax.gt(a, b), a, b);
    if (s.op === "scalar") return lax.mul(a, 0.7);
    if (s.op === "cast") return lax.convertElementType(lax.convertElementType(a, "float16"), a.dtype);
    // Not fusible: splits the run and makes earlier values escape.
    return lax.cumsum(a, 0);
  };
  const step = fc.record({
    op: fc.constantFrom(...unary, ...binary, "select", "scalar", "cast", "cumsum"),
    a: fc.nat(20),
    b: fc.nat(20),
  });

  for (const dtype of ["float32", "float64"] as const) {
    it(`${dtype} programs`, () => {
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }), (steps, xs) => {
          const x = fromTyped(Float64Array.from(xs), [4], float64).astype(dtype);
          const s = fromTyped(Float64Array.of(xs[0]! / 2), [], float64).astype(dtype);
          const f = (x: Array, s: Array) => {
            const vals = [x, s.add(x)];
            for (const st of steps) vals.push(apply(st, vals));
            return [vals[vals.length - 1]!, vals[Math.floor(vals.length / 2)]!];
          };
          const [fused, plain] = bothWays(f, [x, s]);
          const eager = f(x, s);
          fused.forEach((o, i) => {
            expectSame(o, plain[i]!, `fused vs unfused ${JSON.stringify(steps)}`);
            expectSame(o, eager[i]!, `fused vs eager ${JSON.stringify(steps)}`);
          });
        }),
        { numRuns: 60 },
      );
    });
  }

  it("int32 and bool chains wrap and round like stores", () => {
    const x = fromTyped(Int32Array.of(2147483647, -2147483648, 7, -3), [4], int32);
    const f = (x: Array) => {
      const y = x.add(x).mul(3).sub(1);
      const b = lax.gt(y, 0);
      return [y, lax.selectN(b, y, x.mul(x)), lax.convertElementType(y, "uint8"), lax.convertElementType(y, "int8")];
    };
    const [fused, plain] = bothWays(f, [x]);
    const eager = f(x);
    fused.forEach((o, i) => {
      expectSame(o, plain[i]!, `int chain out ${i}: fused vs unfused`);
      expectSame(o, eager[i]!, `int chain out ${i}: fused vs eager`);
    });
  });
});
