// Running the same computation on the CPU backend and on the ONNX backend and
// comparing both with core's NumPy/JAX goldens.
import { afterAll, beforeAll, expect, vi, type MockInstance } from "vitest";
import { Array, devicePut, dtype, fromTyped, getBackend, jit, tree } from "@jaxts/core";
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

/** `dtype[shape]` of an encoded golden array, for labels. */
export const fmtEncoded = (a: EncodedArray): string => `${a.dtype}[${a.shape}]`;

/** Golden cases grouped by a key, in first-seen order. */
export function groupBy<C>(cs: C[], key: (c: C) => string): Map<string, C[]> {
  const m = new Map<string, C[]>();
  for (const c of cs) m.set(key(c), [...(m.get(key(c)) ?? []), c]);
  return m;
}

/** A case of core's elementwise golden (tools/goldens/gen_elementwise.py). */
export interface ElemCase {
  op: string;
  args: EncodedArray[];
  out: EncodedArray;
  params?: Record<string, any>;
  rtol?: number | null;
  atol?: number | null;
}

/** A case of core's reduction golden (tools/goldens/gen_reduction.py). */
export interface RedCase {
  kind: string;
  op: string;
  x: EncodedArray;
  out: EncodedArray;
  axes?: number[];
  axis?: number;
  reverse?: boolean;
  index_dtype?: string;
  note?: string;
  window_dimensions?: number[];
  window_strides?: number[];
  padding?: any;
  base_dilation?: number[];
  window_dilation?: number[];
}

/**
 * For a test file whose equations must all lower: records the CPU-fallback
 * count before its tests and watches console.warn; the returned check fails
 * when an equation ran on the CPU backend since, or a fallback warning appeared.
 */
export function guardFallbacks(): (label: string) => void {
  let warn: MockInstance<typeof console.warn>;
  let fallbacks0 = 0;
  beforeAll(async () => {
    fallbacks0 = (await onnx()).info().cpuFallbacks;
    warn = vi.spyOn(console, "warn");
  });
  afterAll(() => warn.mockRestore());
  return (label) => {
    expect(backend!.info().cpuFallbacks, `${label}: CPU fallbacks`).toBe(fallbacks0);
    const msgs = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("[@jaxts/xla-onnx]"));
    expect(msgs, `${label}: fallback warnings`).toEqual([]);
  };
}

/**
 * jit(f) on CPU arrays and on their ONNX copies: equal results (within `scale`
 * times the dtype's tolerance), and no equation ran on the CPU backend.
 */
export async function jitOnBoth(f: (...xs: Array[]) => Array | Array[], args: Array[], label: string, scale = 8): Promise<void> {
  const b = await onnx();
  const jf = jit(f);
  const want = jf(...args);
  const before = b.info().cpuFallbacks;
  const got = jf(...toOnnx(args));
  const w = globalThis.Array.isArray(want) ? want : [want];
  const gl = globalThis.Array.isArray(got) ? got : [got];
  expect(gl.length, label).toBe(w.length);
  for (let i = 0; i < w.length; i++) expectClose(await toCpu(gl[i]!), w[i]!, `${label} out ${i}`, scale);
  expect(b.info().cpuFallbacks, `${label}: no CPU fallback`).toBe(before);
}

/** A CPU array of dtype `d` from exact values. */
export function arr(xs: readonly number[], d: string, shape: number[] = [xs.length]): Array {
  const dt = dtype(d);
  return fromTyped(dt.storage.from(xs as number[]), shape, dt, false, "cpu");
}

/** A number as a label shows it: -0 as "-0". */
export const fmtBits = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));
/** Same value, -0 apart from +0, NaN equal to NaN. */
export const sameBits = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

export type ArrayFn = (...xs: Array[]) => Array | Array[];
const listOf = (r: Array | Array[]): Array[] => (globalThis.Array.isArray(r) ? r : [r]);

/**
 * f on onnx, eagerly and under jit, equals `want` (default: f on the CPU
 * backend) element by element with sameBits. `zerosOnly`: compare only where
 * either side is a zero or NaN. `onOnnx` wraps the two ONNX runs (to make
 * constants f builds live on onnx too); `after` runs last (e.g. a fallback check).
 */
export async function expectSameBits(
  f: ArrayFn,
  args: Array[],
  label: string,
  opts: { want?: Array | Array[]; zerosOnly?: boolean; onOnnx?: <T>(run: () => T) => T; after?: (label: string) => void } = {},
): Promise<void> {
  const want = listOf(opts.want ?? f(...args)).map((w) => w.dataSync());
  const wrap = opts.onOnnx ?? (<T>(run: () => T) => run());
  const runs = wrap((): [string, Array[]][] => [
    ["eager", listOf(f(...toOnnx(args)))],
    ["jit", listOf(jit(f)(...toOnnx(args)) as Array | Array[])],
  ]);
  for (const [mode, outs] of runs) {
    expect(outs.length, `${label} ${mode}: outputs`).toBe(want.length);
    for (let k = 0; k < outs.length; k++) {
      const got = (await toCpu(outs[k]!)).dataSync();
      const w = want[k]!;
      expect(got.length, `${label} ${mode}: size`).toBe(w.length);
      const bad: string[] = [];
      for (let i = 0; i < w.length && bad.length < 8; i++) {
        const a = got[i]!;
        const b = w[i]!;
        const check = !opts.zerosOnly || a === 0 || b === 0 || Number.isNaN(a) || Number.isNaN(b);
        if (check && !sameBits(a, b)) bad.push(`[${i}] onnx ${fmtBits(a)}, want ${fmtBits(b)}`);
      }
      expect(bad, `${label} ${mode}${outs.length > 1 ? ` out ${k}` : ""}`).toEqual([]);
    }
  }
  opts.after?.(label);
}
