// Running the same computation on the CPU backend and on the ONNX backend and
// comparing both with core's NumPy/JAX goldens.
import { expect } from "vitest";
import { Array, devicePut, fromTyped, getBackend, tree } from "@jaxts/core";
import { decode, expectMatches, loadGolden, tolerance, type EncodedArray } from "../../core/test/golden.js";
import { init, type OnnxBackend } from "../src/index.js";

export { decode, expectMatches, loadGolden, type EncodedArray };

let backend: OnnxBackend | null = null;
export async function onnx(): Promise<OnnxBackend> {
  backend ??= await init({ setDefault: false, executionProviders: ["cpu"], intraOpNumThreads: 1 });
  return backend;
}

/** Place CPU arrays on the ONNX backend. */
export function toOnnx<T>(x: T): T {
  return tree.map((a: unknown) => (a instanceof Array ? devicePut(a, "onnx") : a), x as any) as T;
}

/** Bring a (possibly pending) ONNX array back to the CPU backend. */
export async function toCpu(a: Array): Promise<Array> {
  if (a.backend === getBackend("cpu")) return a;
  const data = await a.data();
  return fromTyped(data, a.shape, a.dtype, a.weakType, "cpu");
}

export async function allToCpu(x: Array | Array[]): Promise<Array[]> {
  const xs = globalThis.Array.isArray(x) ? x : [x];
  return Promise.all(xs.map(toCpu));
}

/** Values equal (NaN = NaN), within `tol` relative/absolute for floats. */
export function expectClose(got: Array, want: Array, label: string, scale = 1): void {
  expect(got.dtype.name, `${label}: dtype`).toBe(want.dtype.name);
  expect(got.shape, `${label}: shape`).toEqual(want.shape);
  const t = tolerance(want.dtype);
  const a = got.dataSync();
  const b = want.dataSync();
  const bad: string[] = [];
  for (let i = 0; i < b.length && bad.length < 5; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const ok = Number.isNaN(y) ? Number.isNaN(x) : !Number.isFinite(y) ? x === y : Math.abs(x - y) <= scale * (t.atol + t.rtol * Math.abs(y));
    if (!ok) bad.push(`[${i}] onnx ${x}, cpu ${y}`);
  }
  expect(bad, `${label}: onnx vs cpu`).toEqual([]);
}

/**
 * Run `f` on CPU arrays and on their ONNX copies; compare the ONNX result with the
 * golden `out` (and, when given, a tolerance scale) and with the CPU result.
 */
export async function checkBoth(
  f: (args: Array[]) => Array | Array[],
  args: Array[],
  outs: EncodedArray | EncodedArray[] | null,
  label: string,
  opts: { scale?: number; rtol?: number; atol?: number } = {},
): Promise<void> {
  const cpu = f(args);
  const onx = f(toOnnx(args));
  const cpuL = globalThis.Array.isArray(cpu) ? cpu : [cpu];
  const onxL = await allToCpu(onx);
  expect(onxL.length, label).toBe(cpuL.length);
  const golden = outs === null ? null : globalThis.Array.isArray(outs) ? outs : [outs];
  onxL.forEach((o, i) => {
    const l = `${label}${onxL.length > 1 ? ` out ${i}` : ""}`;
    if (golden) {
      const t = tolerance(o.dtype);
      const s = opts.scale ?? 1;
      expectMatches(o, golden[i]!, { label: l, rtol: opts.rtol ?? t.rtol * s, atol: opts.atol ?? t.atol * s });
    }
    expectClose(o, cpuL[i]!, l, opts.scale ?? 1);
  });
}
