// CPU kernels for dot_general, and the matrix-multiply routines that
// conv_general_dilated reuses.
//
// dot_general is reduced to a batch of matrix products [M, K] x [K, N]: each
// operand is viewed as (batch, rows, cols) with one stride per group of axes,
// copied into that layout first only when its axes cannot be grouped so. Floats
// go through a packed, cache-blocked kernel that accumulates in doubles (so
// float32 and float16 products are accumulated more precisely than their
// storage type, and rounded once); integers accumulate in int32 with
// wraparound, which is exact modulo 2^32 and so also modulo the narrower
// integer widths.
//
// The float kernel has two implementations with the same results bit for bit:
// a WebAssembly SIMD one (wasm/gemm.wat, a 2x8 tile of f64x2 lanes over j;
// used wherever WebAssembly with fixed-width SIMD validates, ~5x faster) and
// the plain-JS one below (a 4x4 tile; used otherwise, or after
// setGemmKernel("js")). Both split k into blocks of KC, form each block's
// partial sum from +0 in k order with one rounded multiply and one rounded add
// per step (no FMA), and add the partial sums to C in k order; lanes and tile
// shapes only change which elements are computed together, never the order of
// one element's sum, and float32/float16 inputs are exact in doubles. Small or
// skinny products (gemmFloatSmall) stay in JS on both.
//
// Numerics decision (measured on a 2-core AMD EPYC, Zen 5, Node 20): keeping
// float64 accumulation in wasm (f64x2) gives ~28 GFLOP/s in the kernel, ~23 for
// the whole GEMM on 1024^3 float32, and 16-22 in tools/bench's matmul 256/1024
// (jit call and read-back included) against ~4-4.3 for the JS kernel; at 8 mul
// + 8 add per k step of the 2x8 tile it is at the machine's FP-port bound for
// unfused f64x2. Accumulating float32 in float32 (f32x4, a 2x16 tile, what
// XLA's CPU dot does) measured ~57 GFLOP/s in the kernel and ~40 for the whole
// GEMM in the same prototype (1.7x). We keep float64 accumulation: it
// keeps every result bit-identical to before and to the JS fallback (which would
// otherwise have to emulate float32 rounding step by step), stays more accurate
// than float32, and the 1.7x was not worth a change of results; and conv could
// not follow (with float32 accumulation 5 conv golden tests fail their
// tolerances), so dot and conv would round differently.
import { castScalar, float16, roundToFloat16, type TypedArray } from "../../dtypes.js";
import { dotGeneralP, type DotGeneralParams } from "../../primitives/linalg.js";
import { shapeSize, stridesOf, type Shape } from "../../shape.js";
import { alloc, registerCpuKernel1 } from "./kernels.js";
import { gemmWasmBytes } from "./wasm/gemm_wasm.js";

type Data = ArrayLike<number>;

/** An operand seen as a batch of matrices: (b, i, j) is at data[b*sB + i*sR + j*sC]. */
export interface MatrixView {
  data: Data;
  sB: number;
  sR: number;
  sC: number;
}

// ---------------------------------------------------------------------------
// Float matrix product

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

// Packing buffers, grown on demand and reused (kernels run synchronously).
let packA = new Float64Array(0);
let packB = new Float64Array(0);
function packBuffers(kc: number, mc: number, nc: number): void {
  const a = kc * (Math.ceil(mc / MR) * MR);
  const b = kc * (Math.ceil(nc / NR) * NR);
  if (packA.length < a) packA = new Float64Array(a);
  if (packB.length < b) packB = new Float64Array(b);
}

/**
 * C[cOff + i*N + j] += sum_k A[aOff + i*sAM + k*sAK] * B[bOff + k*sBK + j*sBN]
 * for i < M, j < N, accumulating in doubles.
 */
export function gemmFloat(
  M: number,
  K: number,
  N: number,
  A: Data,
  aOff: number,
  sAM: number,
  sAK: number,
  B: Data,
  bOff: number,
  sBK: number,
  sBN: number,
  C: Float64Array,
  cOff: number,
): void {
  if (M === 0 || N === 0 || K === 0) return;
  if (M < MR || N < NR || M * N * K < 8192) {
    gemmFloatSmall(M, K, N, A, aOff, sAM, sAK, B, bOff, sBK, sBN, C, cOff);
    return;
  }
  const w = wasmGemm();
  if (w !== null && gemmFloatWasm(w, M, K, N, A, aOff, sAM, sAK, B, bOff, sBK, sBN, C, cOff)) return;
  packBuffers(Math.min(K, KC), Math.min(M, MC), Math.min(N, NC));
  const Ap = packA;
  const Bp = packB;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = Math.min(KC, K - pc);
    for (let jc = 0; jc < N; jc += NC) {
      const nc = Math.min(NC, N - jc);
      // B[pc:pc+kc, jc:jc+nc] as column panels of width NR: Bp[jp*kc + k*NR + jj].
      for (let jp = 0; jp < nc; jp += NR) {
        const w = Math.min(NR, nc - jp);
        let dst = jp * kc;
        let src = bOff + pc * sBK + (jc + jp) * sBN;
        for (let k = 0; k < kc; k++, dst += NR, src += sBK) {
          let jj = 0;
          for (; jj < w; jj++) Bp[dst + jj] = B[src + jj * sBN]!;
          for (; jj < NR; jj++) Bp[dst + jj] = 0;
        }
      }
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        // A[ic:ic+mc, pc:pc+kc] as row panels of height MR: Ap[ip*kc + k*MR + ii].
        for (let ip = 0; ip < mc; ip += MR) {
          const h = Math.min(MR, mc - ip);
          const base = ip * kc;
          for (let ii = 0; ii < MR; ii++) {
            if (ii < h) {
              let src = aOff + (ic + ip + ii) * sAM + pc * sAK;
              for (let k = 0, dst = base + ii; k < kc; k++, dst += MR, src += sAK) Ap[dst] = A[src]!;
            } else {
              for (let k = 0, dst = base + ii; k < kc; k++, dst += MR) Ap[dst] = 0;
            }
          }
        }
        for (let jp = 0; jp < nc; jp += NR) {
          const w = Math.min(NR, nc - jp);
          for (let ip = 0; ip < mc; ip += MR) {
            micro4x4(Ap, ip * kc, Bp, jp * kc, kc, C, cOff + (ic + ip) * N + jc + jp, N, Math.min(MR, mc - ip), w);
          }
        }
      }
    }
  }
}

/** The register tile: a 4x4 block of C from an MR-panel of A and an NR-panel of B. */
function micro4x4(
  Ap: Float64Array,
  ao: number,
  Bp: Float64Array,
  bo: number,
  kc: number,
  C: Float64Array,
  co: number,
  ldc: number,
  h: number,
  w: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0, a = ao, b = bo; k < kc; k++, a += 4, b += 4) {
    const a0 = Ap[a]!, a1 = Ap[a + 1]!, a2 = Ap[a + 2]!, a3 = Ap[a + 3]!;
    const b0 = Bp[b]!, b1 = Bp[b + 1]!, b2 = Bp[b + 2]!, b3 = Bp[b + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (h === 4 && w === 4) {
    let o = co;
    C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += ldc;
    C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += ldc;
    C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += ldc;
    C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
    return;
  }
  // Edge tile: store only the rows/columns inside C.
  storeRow(C, co, w, c00, c01, c02, c03);
  if (h > 1) storeRow(C, co + ldc, w, c10, c11, c12, c13);
  if (h > 2) storeRow(C, co + 2 * ldc, w, c20, c21, c22, c23);
  if (h > 3) storeRow(C, co + 3 * ldc, w, c30, c31, c32, c33);
}

function storeRow(C: Float64Array, o: number, w: number, v0: number, v1: number, v2: number, v3: number): void {
  C[o] += v0;
  if (w > 1) C[o + 1] += v1;
  if (w > 2) C[o + 2] += v2;
  if (w > 3) C[o + 3] += v3;
}

// ---------------------------------------------------------------------------
// The WebAssembly SIMD kernel (wasm/gemm.wat, assembled into wasm/gemm_wasm.ts)

// The WebAssembly API, typed here because the compiler's lib has no DOM types.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface WasmGemm {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  /** C[mc x nc] (row stride ldc doubles) += Ap[mc x kc] * Bp[kc x nc]; pointers in bytes. */
  gemm(mc: number, nc: number, kc: number, ap: number, bp: number, cp: number, ldc: number): void;
  /** Row-major A rows at src into 2-row panels at dst. */
  pack_a(src: number, dst: number, mc: number, kc: number): void;
  /** kc row-major B rows (stride lds doubles) at src into 8-column panels at dst. */
  pack_b(src: number, dst: number, kc: number, nc: number, lds: number): void;
}

// The wasm kernel's register tile (mc and nc of a call are padded to these) and
// cache blocks. The k blocking (KC) is shared with the JS kernel: it decides how
// a k sum is split into partial sums, so it must be the same for the two kernels
// to agree. The blocks bound the module's memory to about 4 MiB: the packed B
// run (at most WB_MAX doubles), the A and C blocks and a staging area.
const WMR = 2;
const WNR = 8;
const WMC = 128;
const WNC = 512;
const WB_MAX = 1 << 18;
const WNC_MIN = 64;

let wasmInstance: WasmGemm | null | undefined; // undefined: not loaded yet
let wasmAllowed = true;

/** The wasm kernel, instantiated on first use; null when WebAssembly SIMD is unavailable or disabled. */
function wasmGemm(): WasmGemm | null {
  if (!wasmAllowed) return null;
  if (wasmInstance === undefined) {
    wasmInstance = null;
    const WA = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      // Validating the kernel module itself is the feature test: it fails
      // where fixed-width SIMD is not supported.
      if (WA !== undefined && WA.validate(gemmWasmBytes)) {
        wasmInstance = new WA.Instance(new WA.Module(gemmWasmBytes), {}).exports as unknown as WasmGemm;
      }
    } catch {
      // e.g. a Content-Security-Policy without 'wasm-unsafe-eval': stay on the JS kernel
    }
  }
  return wasmInstance;
}

/**
 * Which kernel float dot_general (and conv) use: "wasm" where WebAssembly SIMD
 * is available, else "js". `setGemmKernel("js")` forces the JS kernel (for
 * tests and benchmarks); both give the same results bit for bit.
 */
export function gemmKernel(): "wasm" | "js" {
  return wasmGemm() === null ? "js" : "wasm";
}
export function setGemmKernel(kernel: "auto" | "js"): void {
  wasmAllowed = kernel === "auto";
}

const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;

/**
 * Copy X[r0+i, c0+k] (at off + row*sR + col*sC) for i < rows, k < cols into
 * mem[dst + i*ld + k], with zeros in the columns cols..ld-1 and the rows
 * rows..rowsPad-1. Contiguous rows of a typed array go through subarray/set,
 * which converts to doubles natively.
 */
function copyRows(mem: Float64Array, dst: number, X: Data, off: number, sR: number, sC: number, r0: number, rows: number, rowsPad: number, c0: number, cols: number, ld: number): void {
  if (sC === 1 && ArrayBuffer.isView(X)) {
    const T = X as unknown as Float32Array;
    for (let i = 0; i < rows; i++) {
      const src = off + (r0 + i) * sR + c0;
      mem.set(T.subarray(src, src + cols), dst + i * ld);
    }
  } else if (sR === 1) {
    // Transposed: read down the rows, which are contiguous.
    for (let k = 0; k < cols; k++) {
      const src = off + r0 + (c0 + k) * sC;
      for (let i = 0, d = dst + k; i < rows; i++, d += ld) mem[d] = X[src + i]!;
    }
  } else {
    for (let i = 0; i < rows; i++) {
      let src = off + (r0 + i) * sR + c0 * sC;
      for (let k = 0, d = dst + i * ld; k < cols; k++, src += sC) mem[d + k] = X[src]!;
    }
  }
  if (cols < ld) for (let i = 0; i < rows; i++) mem.fill(0, dst + i * ld + cols, dst + (i + 1) * ld);
  if (rows < rowsPad) mem.fill(0, dst + rows * ld, dst + rowsPad * ld);
}

/**
 * gemmFloat on the wasm kernel. For each strip of nc columns, B is packed once
 * for a run of k (all of K unless that would pass WB_MAX doubles); then each
 * block of mc rows of C is copied into wasm memory once, gets the products of
 * the run's KC-long k blocks added in k order (A's block packed for each), and
 * is copied back. The per-element arithmetic is the JS kernel's. Returns false
 * (having done nothing) when the module's memory cannot grow to the blocks.
 */
function gemmFloatWasm(
  w: WasmGemm,
  M: number,
  K: number,
  N: number,
  A: Data,
  aOff: number,
  sAM: number,
  sAK: number,
  B: Data,
  bOff: number,
  sBK: number,
  sBN: number,
  C: Float64Array,
  cOff: number,
): boolean {
  let ncMax = Math.min(roundUp(N, WNR), WNC);
  if (K * ncMax > WB_MAX) ncMax = Math.min(ncMax, Math.max(WNC_MIN, Math.floor(WB_MAX / K / WNR) * WNR));
  const kRun = Math.min(K, Math.max(KC, Math.floor(WB_MAX / ncMax / KC) * KC));
  const kcMax = Math.min(K, KC);
  const mcMax = roundUp(Math.min(M, WMC), WMR);
  // Memory layout (in doubles): packed B run, packed A block, C block, and a
  // staging area where blocks of A and B are copied before packing.
  const bP = 0;
  const aP = bP + kRun * ncMax;
  const cP = aP + mcMax * kcMax;
  const sP = cP + mcMax * ncMax;
  const bytes = (sP + kcMax * Math.max(mcMax, ncMax)) * 8;
  const have = w.memory.buffer.byteLength;
  if (have < bytes) {
    try {
      w.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return false;
    }
  }
  const mem = new Float64Array(w.memory.buffer);
  for (let jc = 0; jc < N; jc += ncMax) {
    const nc = Math.min(ncMax, N - jc);
    const ncp = roundUp(nc, WNR);
    for (let pr = 0; pr < K; pr += kRun) {
      const kr = Math.min(kRun, K - pr);
      // B[pr:pr+kr, jc:jc+nc]: one block of panels per KC-long k block, at bP + (pc - pr)*ncp.
      for (let pc = pr; pc < pr + kr; pc += KC) {
        const kc = Math.min(KC, pr + kr - pc);
        copyRows(mem, sP, B, bOff, sBK, sBN, pc, kc, kc, jc, nc, ncp);
        w.pack_b(sP * 8, (bP + (pc - pr) * ncp) * 8, kc, ncp, ncp);
      }
      for (let ic = 0; ic < M; ic += WMC) {
        const mc = Math.min(WMC, M - ic);
        const mcp = roundUp(mc, WMR);
        // The C block in (its padding rows and columns are scratch), the
        // products added by the kernel one k block at a time, the C block out.
        for (let i = 0; i < mc; i++) {
          const o = cOff + (ic + i) * N + jc;
          mem.set(C.subarray(o, o + nc), cP + i * ncp);
        }
        for (let pc = pr; pc < pr + kr; pc += KC) {
          const kc = Math.min(KC, pr + kr - pc);
          copyRows(mem, sP, A, aOff, sAM, sAK, ic, mc, mcp, pc, kc, kc);
          w.pack_a(sP * 8, aP * 8, mcp, kc);
          w.gemm(mcp, ncp, kc, aP * 8, (bP + (pc - pr) * ncp) * 8, cP * 8, ncp);
        }
        for (let i = 0; i < mc; i++) {
          const r = cP + i * ncp;
          C.set(mem.subarray(r, r + nc), cOff + (ic + i) * N + jc);
        }
      }
    }
  }
  return true;
}

/** Small or skinny products: plain loops, no packing. */
function gemmFloatSmall(
  M: number,
  K: number,
  N: number,
  A: Data,
  aOff: number,
  sAM: number,
  sAK: number,
  B: Data,
  bOff: number,
  sBK: number,
  sBN: number,
  C: Float64Array,
  cOff: number,
): void {
  if (N === 1) {
    for (let i = 0; i < M; i++) {
      let s = 0;
      for (let k = 0, a = aOff + i * sAM, b = bOff; k < K; k++, a += sAK, b += sBK) s += A[a]! * B[b]!;
      C[cOff + i] += s;
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    const ci = cOff + i * N;
    for (let k = 0; k < K; k++) {
      const a = A[aOff + i * sAM + k * sAK]!;
      const bk = bOff + k * sBK;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j * sBN]!;
    }
  }
}

// ---------------------------------------------------------------------------
// Integer matrix product (wraps modulo 2^32)

/** C[cOff + i*N + j] += sum_k A[i,k] * B[k,j] in int32 arithmetic. */
export function gemmInt(
  M: number,
  K: number,
  N: number,
  A: Data,
  aOff: number,
  sAM: number,
  sAK: number,
  B: Data,
  bOff: number,
  sBK: number,
  sBN: number,
  C: Int32Array,
  cOff: number,
): void {
  if (M === 0 || N === 0 || K === 0) return;
  // B as a contiguous K x N int32 block, so the inner loop runs over contiguous data.
  let Bc: Int32Array;
  if (B instanceof Int32Array && sBN === 1 && sBK === N) {
    Bc = B.subarray(bOff, bOff + K * N);
  } else {
    Bc = new Int32Array(K * N);
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) Bc[k * N + j] = B[bOff + k * sBK + j * sBN]!;
  }
  for (let i = 0; i < M; i++) {
    const ci = cOff + i * N;
    for (let k = 0; k < K; k++) {
      const a = A[aOff + i * sAM + k * sAK]! | 0;
      const bk = k * N;
      for (let j = 0; j < N; j++) C[ci + j] = (C[ci + j]! + Math.imul(a, Bc[bk + j]!)) | 0;
    }
  }
}

// ---------------------------------------------------------------------------
// Layout helpers

/** Copy `data` (row-major `shape`) into the layout of its axes permuted by `perm`. */
export function permuteCopy<T extends TypedArray>(data: T, shape: Shape, perm: readonly number[]): T {
  const n = shapeSize(shape);
  const out = new (data.constructor as new (n: number) => T)(n);
  if (n === 0) return out;
  const st = stridesOf(shape);
  const nd = perm.length;
  const dims = perm.map((p) => shape[p]!);
  const ist = perm.map((p) => st[p]!);
  const idx = new Array<number>(nd).fill(0);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = data[src]!;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < dims[d]!) {
        src += ist[d]!;
        break;
      }
      idx[d] = 0;
      src -= ist[d]! * (dims[d]! - 1);
    }
  }
  return out;
}

const isRun = (axes: readonly number[], start: number) => axes.every((a, i) => a === start + i);

/**
 * View an operand as (batch, rows, cols) where each group is a list of axes
 * (flattened row-major in the given order). When the groups are not already
 * consecutive runs of axes in that order, the data is copied into that layout.
 */
export function matrixView(
  data: TypedArray,
  shape: Shape,
  batch: readonly number[],
  rows: readonly number[],
  cols: readonly number[],
): MatrixView {
  const nb = batch.length;
  const nr = rows.length;
  const contiguous = isRun(batch, 0) && isRun(rows, nb) && isRun(cols, nb + nr);
  const perm = [...batch, ...rows, ...cols];
  const src = contiguous ? data : permuteCopy(data, shape, perm);
  const dims = perm.map((p) => shape[p]!);
  const R = shapeSize(dims.slice(nb, nb + nr));
  const Cn = shapeSize(dims.slice(nb + nr));
  return { data: src, sB: R * Cn, sR: Cn, sC: 1 };
}

/** Like matrixView, but keeps a transposed operand (cols before rows) in place. */
function matrixViewAllowT(
  data: TypedArray,
  shape: Shape,
  batch: readonly number[],
  rows: readonly number[],
  cols: readonly number[],
): MatrixView {
  const nb = batch.length;
  if (rows.length > 0 && cols.length > 0 && isRun(batch, 0) && isRun(cols, nb) && isRun(rows, nb + cols.length)) {
    const R = shapeSize(rows.map((a) => shape[a]!));
    const Cn = shapeSize(cols.map((a) => shape[a]!));
    return { data, sB: R * Cn, sR: 1, sC: R };
  }
  return matrixView(data, shape, batch, rows, cols);
}

// ---------------------------------------------------------------------------
// dot_general

registerCpuKernel1(dotGeneralP, ([x, y], params: DotGeneralParams, [xa, ya], out) => {
  const o = alloc(out);
  const [[lc, rc], [lb, rb]] = params.dimension_numbers;
  const lf = xa!.shape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
  const rf = ya!.shape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  const nBatch = shapeSize(lb.map((d) => xa!.shape[d]!));
  const M = shapeSize(lf.map((d) => xa!.shape[d]!));
  const K = shapeSize(lc.map((d) => xa!.shape[d]!));
  const N = shapeSize(rf.map((d) => ya!.shape[d]!));
  if (o.length === 0 || K === 0) return o;
  const A = matrixViewAllowT(x!, xa!.shape, lb, lf, lc);
  const B = matrixViewAllowT(y!, ya!.shape, rb, rc, rf);
  const od = out.dtype;
  // Floats, and float operands with an integer preferred_element_type (XLA
  // computes in floating point, then converts), go through the float kernel.
  if (od.kind === "f" || xa!.dtype.kind === "f" || ya!.dtype.kind === "f") {
    const acc = o instanceof Float64Array ? o : new Float64Array(o.length);
    for (let b = 0; b < nBatch; b++) {
      gemmFloat(M, K, N, A.data, b * A.sB, A.sR, A.sC, B.data, b * B.sB, B.sR, B.sC, acc, b * M * N);
    }
    if (od.kind !== "f") for (let i = 0; i < o.length; i++) o[i] = castScalar(acc[i]!, od);
    else if (od === float16) for (let i = 0; i < o.length; i++) o[i] = roundToFloat16(acc[i]!);
    else if (acc !== o) o.set(acc);
    return o;
  }
  const acc = o instanceof Int32Array ? o : new Int32Array(o.length);
  for (let b = 0; b < nBatch; b++) {
    gemmInt(M, K, N, A.data, b * A.sB, A.sR, A.sC, B.data, b * B.sB, B.sR, B.sC, acc, b * M * N);
  }
  if (od.kind === "b") for (let i = 0; i < o.length; i++) o[i] = acc[i] !== 0 ? 1 : 0;
  else if (acc !== o) o.set(acc); // typed-array stores wrap to the narrower integer type
  return o;
});
