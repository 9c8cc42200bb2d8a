// jnp.fft with complex values as {real, imag} pairs: NumPy goldens (sizes that
// take the direct DFT, the four-step split and Bluestein; n/s/axes/norm;
// float32/float64), gradients through the composed transforms, vmap, jit, and
// error messages.
import { describe, expect, test } from "vitest";
import { Array, array, grad, jit, makeJaxpr } from "@jaxts/core";
import * as fft from "../src/fft.js";
import { loadGolden, type EncodedArray } from "../../core/test/golden.js";
import { checkGrads, checkJit, checkVmap, randArray, rng } from "../../core/test/check.js";
import { decodeArg, expectClose, values, type Case } from "./linalg_golden.js";

const cases = loadGolden<Case>("fft", import.meta.url);

type Fn = (args: any[], kw: any) => Array | fft.Complex;
const FNS: Record<string, Fn> = {
  fft: ([a], kw) => fft.fft(a, kw),
  ifft: ([a], kw) => fft.ifft(a, kw),
  rfft: ([a], kw) => fft.rfft(a, kw),
  irfft: ([a], kw) => fft.irfft(a, kw),
  hfft: ([a], kw) => fft.hfft(a, kw),
  ihfft: ([a], kw) => fft.ihfft(a, kw),
  fftn: ([a], kw) => fft.fftn(a, kw),
  ifftn: ([a], kw) => fft.ifftn(a, kw),
  rfftn: ([a], kw) => fft.rfftn(a, kw),
  irfftn: ([a], kw) => fft.irfftn(a, kw),
  fft2: ([a], kw) => fft.fft2(a, kw),
  ifft2: ([a], kw) => fft.ifft2(a, kw),
  rfft2: ([a], kw) => fft.rfft2(a, kw),
  irfft2: ([a], kw) => fft.irfft2(a, kw),
  fftfreq: ([n, d], kw) => fft.fftfreq(n, d, kw),
  rfftfreq: ([n, d], kw) => fft.rfftfreq(n, d, kw),
  fftshift: ([x], kw) => fft.fftshift(x, kw.axes),
  ifftshift: ([x], kw) => fft.ifftshift(x, kw.axes),
};

describe("fft: NumPy goldens", () => {
  const byFn = new Map<string, Case[]>();
  for (const c of cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  for (const [fn, cs] of byFn) {
    test(`${fn} (${cs.length} cases)`, () => {
      for (const c of cs) {
        const out = FNS[fn]!(decodeArg(c.args) as any[], decodeArg(c.kw));
        const label = `${fn} ${c.note}`;
        if (out instanceof Array) expectClose(out, c.out as EncodedArray, label, 0.25);
        else {
          const want = c.out as { real: EncodedArray; imag: EncodedArray };
          expectClose(out.real, want.real, `${label} real`, 0.25);
          expectClose(out.imag, want.imag, `${label} imag`, 0.25);
        }
      }
    });
  }
});

describe("fft: API", () => {
  const x = array([1, 2, 3, 4], { dtype: "float64" });
  test("positional arguments (JAX's order) equal the options object", () => {
    const a = fft.fft(x, 6, -1, "ortho");
    const b = fft.fft(x, { n: 6, axis: -1, norm: "ortho" });
    expect(values(a.real)).toEqual(values(b.real));
    expect(values(a.imag)).toEqual(values(b.imag));
    const c = fft.fftn(array([[1, 2], [3, 4]], { dtype: "float64" }), null, [0]);
    expect(values(c.real)).toEqual([4, 6, -2, -2]);
  });
  test("a real input is a complex input with zero imaginary part; results are {real, imag} of the input's float dtype", () => {
    const y = fft.fft(x);
    expect(y.real.dtype.name).toBe("float64");
    const z = fft.fft({ real: x, imag: x.mul(0) });
    expect(values(z.real)).toEqual(values(y.real));
    expect(fft.fft(array([1, 2], { dtype: "int32" })).real.dtype.name).toBe("float32");
  });
  test("round trips: ifft(fft(x)) and irfft(rfft(x)) (all three algorithms)", () => {
    for (const n of [5, 64, 67, 96, 250]) {
      const v = randArray([2, n], rng(n));
      const back = fft.ifft(fft.fft(v));
      values(back.real).forEach((b, i) => expect(b).toBeCloseTo(values(v)[i]!, 12));
      values(back.imag).forEach((b) => expect(Math.abs(b)).toBeLessThan(1e-12));
      const r = fft.irfft(fft.rfft(v), n);
      values(r).forEach((b, i) => expect(b).toBeCloseTo(values(v)[i]!, 12));
    }
  });
  test("transforms are dot_generals with constant matrices (no complex dtype, no new primitive)", () => {
    const text = makeJaxpr((v: Array) => fft.fft(v))(randArray([8], rng(1))).toString();
    expect(text).toContain("dot_general");
  });
  test("fftshift / ifftshift shift both parts of a Complex", () => {
    const y = fft.fft(x);
    const s = fft.fftshift(y);
    expect(values(s.real)).toEqual(values(fft.fftshift(y.real)));
    expect(values(fft.ifftshift(s).imag)).toEqual(values(y.imag));
  });
});

describe("fft: gradients (float64; compositions of linear maps)", () => {
  const r = rng(31);
  const cfn = (f: (z: fft.Complex) => fft.Complex | Array) => (re: Array, im: Array) => f({ real: re, imag: im });
  test("1-D transforms", () => {
    for (const n of [4, 7]) {
      checkGrads(cfn((z) => fft.fft(z)), [randArray([2, n], r), randArray([2, n], r)], 2);
      checkGrads(cfn((z) => fft.ifft(z, { norm: "ortho" })), [randArray([n], r), randArray([n], r)], 2);
      checkGrads((v: Array) => fft.rfft(v), [randArray([3, n], r)], 2);
      checkGrads(cfn((z) => fft.irfft(z, { n: 2 * n - 2 })), [randArray([n], r), randArray([n], r)], 2);
      checkGrads(cfn((z) => fft.hfft(z)), [randArray([n], r), randArray([n], r)], 1);
      checkGrads((v: Array) => fft.ihfft(v), [randArray([n], r)], 1);
    }
  });
  test("four-step and Bluestein sizes", () => {
    checkGrads(cfn((z) => fft.fft(z)), [randArray([96], r), randArray([96], r)], 1);
    checkGrads((v: Array) => fft.rfft(v), [randArray([67], r)], 1);
  });
  test("n-D transforms", () => {
    checkGrads(cfn((z) => fft.fft2(z)), [randArray([3, 4], r), randArray([3, 4], r)], 2);
    checkGrads((v: Array) => fft.rfftn(v, { s: [4, 6] }), [randArray([3, 5], r)], 2);
    checkGrads(cfn((z) => fft.irfftn(z, { axes: [0, 1] })), [randArray([3, 4], r), randArray([3, 4], r)], 1);
    checkGrads(cfn((z) => fft.ifftn(z, { norm: "forward" })), [randArray([2, 3, 2], r), randArray([2, 3, 2], r)], 1);
  });
  test("the gradient of a power spectrum", () => {
    const v = randArray([8], r);
    const g = grad((u: Array) => {
      const y = fft.rfft(u);
      return y.real.mul(y.real).add(y.imag.mul(y.imag)).sum();
    })(v);
    expect(values(g).every(Number.isFinite)).toBe(true);
    checkGrads((u: Array) => {
      const y = fft.fft(u);
      return y.real.mul(y.real).add(y.imag.mul(y.imag)).sum();
    }, [v], 2);
  });
});

describe("fft: vmap and jit", () => {
  const r = rng(5);
  test("vmap equals a loop", () => {
    checkVmap((v: Array) => fft.fft(v), [randArray([3, 8], r)]);
    checkVmap((v: Array) => fft.rfft(v, { axis: 0 }), [randArray([2, 5, 3], r)]);
    checkVmap((re: Array, im: Array) => fft.ifft2({ real: re, imag: im }), [randArray([2, 3, 4], r), randArray([3, 4], r)], { inAxes: [0, null] });
    checkVmap((v: Array) => fft.fft(v), [randArray([2, 67], r)], { tol: { rtol: 1e-9, atol: 1e-9 } });
  });
  test("jit equals eager", () => {
    checkJit((v: Array) => fft.fftn(v), [randArray([4, 6], r)]);
    checkJit((v: Array) => fft.irfft(fft.rfft(v)), [randArray([10], r)]);
    expect(values(jit((v: Array) => fft.fftfreq(4).add(v))(array([0, 0, 0, 0], { dtype: "float32" })))).toEqual([0, 0.25, -0.5, -0.25]);
  });
});

describe("fft: errors name the function and the offending argument", () => {
  const x = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
  test("bad arguments", () => {
    expect(() => fft.fft(x, { norm: "bad" as never })).toThrow(/\[fft\.fft\] invalid norm value "bad"; should be "backward", "ortho" or "forward"/);
    expect(() => fft.fftn(x, { axes: [0, 0] })).toThrow(/\[fft\.fftn\] does not support repeated axes/);
    expect(() => fft.fftn(x, { s: [2], axes: [0, 1] })).toThrow(/\[fft\.fftn\] shape and axes have different lengths/);
    expect(() => fft.fft(x, { n: 0 })).toThrow(/\[fft\.fft\] shape should be positive integers/);
    expect(() => fft.fft(x, { axis: 2 })).toThrow(/\[fft\.fft\] axis 2 is out of bounds/);
    expect(() => fft.rfft({ real: x, imag: x } as never)).toThrow(/\[fft\.rfft\] takes a real array; got a complex \{real, imag\} pair/);
    expect(() => fft.fft({ real: x, imag: array([1, 2], { dtype: "float32" }) })).toThrow(/\[fft\.fft\] the real and imaginary parts must have the same shape, got f32\[2,3\] and f32\[2\]/);
    expect(() => fft.fft2(x, { axes: [0] })).toThrow(/\[fft\.fft2\] only supports 2 axes/);
    expect(() => fft.irfft(array([1], { dtype: "float32" }))).toThrow(/\[fft\.irfft\] invalid number of data points \(0\)/);
    expect(() => fft.fftfreq(-1)).toThrow(/\[fft\.fftfreq\] the n argument only takes a non-negative integer/);
  });
});
