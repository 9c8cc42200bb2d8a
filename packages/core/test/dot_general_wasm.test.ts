// The CPU backend's float GEMM runs on a WebAssembly SIMD kernel where it can
// (src/backend/cpu/wasm/gemm.wat) and on a plain-JS kernel otherwise; both must
// give the same results bit for bit. Each case runs once on each (forcing the
// JS kernel with setGemmKernel("js")) and compares every output element with
// Object.is (so +0 and -0 differ, and NaN equals NaN whatever its payload).
import { afterEach, describe, expect, it } from "vitest";
import { Array, dtype as toDType, fromTyped, lax } from "../src/index.js";
import { gemmKernel, setGemmKernel } from "../src/backend/cpu/linalg.js";
import { roundToFloat16 } from "../src/dtypes.js";

type DT = "float32" | "float64" | "float16";
type DN = Parameters<typeof lax.dotGeneral>[2];

let seed = 12345;
function rand(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}

/** Random values of a dtype; `special` mixes in zeros of both signs, infinities, NaN, tiny and huge values. */
function randArray(shape: number[], dt: DT, special = false): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dt === "float64" ? new Float64Array(n) : new Float32Array(n);
  const specials = [0, -0, Infinity, -Infinity, NaN, 1e-40, -3e-39, 3e38, -1e30, 2 ** -149];
  for (let i = 0; i < n; i++) {
    let v = (rand() * 2 - 1) * 2 ** Math.floor(rand() * 8 - 4);
    if (special && rand() < 0.05) v = specials[Math.floor(rand() * specials.length)]!;
    data[i] = dt === "float16" ? roundToFloat16(v) : v;
  }
  return fromTyped(data, shape, toDType(dt));
}

function bothKernels(f: () => Array): [Float32Array | Float64Array, Float32Array | Float64Array] {
  setGemmKernel("auto");
  const w = f().dataSync() as Float32Array;
  setGemmKernel("js");
  const j = f().dataSync() as Float32Array;
  setGemmKernel("auto");
  return [w, j];
}

function expectSame(w: ArrayLike<number>, j: ArrayLike<number>, label: string): void {
  expect(w.length, label).toBe(j.length);
  const bad: string[] = [];
  for (let i = 0; i < w.length && bad.length < 5; i++) if (!Object.is(w[i], j[i])) bad.push(`[${i}] wasm ${w[i]} js ${j[i]}`);
  expect(bad, label).toEqual([]);
}

afterEach(() => setGemmKernel("auto"));

describe("float GEMM: the wasm kernel equals the JS kernel bit for bit", () => {
  it("the wasm kernel is in use on this platform", () => {
    // Node >= 16 has WebAssembly SIMD; without it every comparison below would be vacuous.
    expect(gemmKernel()).toBe("wasm");
    setGemmKernel("js");
    expect(gemmKernel()).toBe("js");
  });

  const sizes = [1, 3, 5, 17, 64, 65, 257];
  it("float32 [M, K] x [K, N] over M, K, N in {1, 3, 5, 17, 64, 65, 257}", () => {
    for (const M of sizes) {
      for (const K of sizes) {
        for (const N of sizes) {
          const x = randArray([M, K], "float32");
          const y = randArray([K, N], "float32");
          const [w, j] = bothKernels(() => lax.dotGeneral(x, y, [[[1], [0]], [[], []]]));
          expectSame(w, j, `${M}x${K}x${N}`);
        }
      }
    }
  });

  it("across the k blocks, k runs and column strips (K up to 2100, N up to 1100)", () => {
    for (const [M, K, N] of [
      [130, 600, 1100],
      [67, 2100, 40],
      [9, 513, 9],
      [257, 1000, 65],
      [4, 3000, 4],
    ] as const) {
      for (const dt of ["float32", "float64"] as const) {
        const x = randArray([M, K], dt);
        const y = randArray([K, N], dt);
        const [w, j] = bothKernels(() => lax.dotGeneral(x, y, [[[1], [0]], [[], []]]));
        expectSame(w, j, `${dt} ${M}x${K}x${N}`);
      }
    }
  });

  it("float64 and float16, and preferred_element_type", () => {
    for (const [M, K, N] of [
      [17, 65, 64],
      [65, 257, 17],
      [5, 300, 33],
    ] as const) {
      for (const dt of ["float64", "float16"] as const) {
        const x = randArray([M, K], dt);
        const y = randArray([K, N], dt);
        const [w, j] = bothKernels(() => lax.dotGeneral(x, y, [[[1], [0]], [[], []]]));
        expectSame(w, j, `${dt} ${M}x${K}x${N}`);
      }
      const x = randArray([M, K], "float16");
      const y = randArray([K, N], "float16");
      const [w, j] = bothKernels(() => lax.dotGeneral(x, y, [[[1], [0]], [[], []]], { preferredElementType: "float32" }));
      expectSame(w, j, `float16 -> float32 ${M}x${K}x${N}`);
    }
  });

  it("transposed and batched dimension numbers", () => {
    const cases: [number[], number[], DN][] = [
      [[65, 17], [65, 64], [[[0], [0]], [[], []]]], // A^T B
      [[17, 65], [64, 65], [[[1], [1]], [[], []]]], // A B^T
      [[257, 5], [64, 257], [[[0], [1]], [[], []]]], // A^T B^T
      [[3, 17, 65], [3, 65, 64], [[[2], [1]], [[0], [0]]]], // batched
      [[17, 3, 65], [65, 3, 64], [[[2], [0]], [[1], [1]]]], // batch axes not leading
      [[2, 65, 5, 9], [9, 2, 5, 33], [[[3, 2], [0, 2]], [[0], [1]]]], // two contracting axes
      [[4, 3, 40, 20], [4, 20, 3, 50], [[[3], [1]], [[0, 1], [0, 2]]]], // two batch axes
    ];
    for (const [ls, rs, dn] of cases) {
      for (const dt of ["float32", "float64"] as const) {
        const x = randArray(ls, dt);
        const y = randArray(rs, dt);
        const [w, j] = bothKernels(() => lax.dotGeneral(x, y, dn));
        expectSame(w, j, `${dt} ${JSON.stringify(ls)} ${JSON.stringify(rs)} ${JSON.stringify(dn)}`);
      }
    }
  });

  it("signed zeros, infinities, NaN, subnormal and huge values", () => {
    for (const [M, K, N] of [
      [17, 65, 64],
      [64, 300, 9],
      [33, 5, 65],
    ] as const) {
      for (const dt of ["float32", "float64"] as const) {
        const x = randArray([M, K], dt, true);
        const y = randArray([K, N], dt, true);
        const [w, j] = bothKernels(() => lax.dotGeneral(x, y, [[[1], [0]], [[], []]]));
        expectSame(w, j, `${dt} ${M}x${K}x${N}`);
      }
    }
    // All-zero products: every sum is +0 (a partial sum starts from +0), on both kernels.
    const z = fromTyped(new Float32Array(64 * 64).fill(-0), [64, 64], toDType("float32"));
    const [w, j] = bothKernels(() => lax.dotGeneral(z, z, [[[1], [0]], [[], []]]));
    expectSame(w, j, "-0 @ -0");
    expect(Object.is(w[0], 0)).toBe(true);
  });

  it("conv_general_dilated (which runs on the same GEMM)", () => {
    const x = randArray([2, 16, 20, 20], "float32");
    const k = randArray([32, 16, 3, 3], "float32");
    const [w, j] = bothKernels(() => lax.convGeneralDilated(x, k, [1, 1], "SAME"));
    expectSame(w, j, "conv 2x16x20x20 * 32x16x3x3");
  });
});
