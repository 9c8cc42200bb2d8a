import { describe, expect, it } from "vitest";
import { IMAGE_SIZE, loadAll, mulberry32, permutation, SPLIT_SEED, splitMnist } from "../src/data.js";

describe("data", () => {
  const all = loadAll();

  it("has the 10,000 digits of the mnist package, pixels in [0, 1]", () => {
    expect(all.n).toBe(10000);
    expect(all.images.length).toBe(10000 * IMAGE_SIZE);
    const counts = new Array(10).fill(0);
    for (const l of all.labels) counts[l]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of all.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
  });

  it("the 8,000 / 2,000 split is deterministic and disjoint", () => {
    const a = splitMnist(all);
    const b = splitMnist(all);
    expect(a.train.n).toBe(8000);
    expect(a.test.n).toBe(2000);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(Buffer.from(a.test.images.buffer).equals(Buffer.from(b.test.images.buffer))).toBe(true);
    expect(Buffer.from(a.train.images.buffer).equals(Buffer.from(b.train.images.buffer))).toBe(true);
    const perm = permutation(all.n, mulberry32(SPLIT_SEED));
    expect(new Set(perm).size).toBe(all.n);
    // Pinned: a change in the PRNG, the permutation or the data shows here.
    expect(Array.from(a.test.labels.subarray(0, 12))).toEqual(Array.from(perm.subarray(8000, 8012), (i) => all.labels[i]!));
    expect(Array.from(a.train.images.subarray(0, IMAGE_SIZE))).toEqual(Array.from(all.images.subarray(perm[0]! * IMAGE_SIZE, (perm[0]! + 1) * IMAGE_SIZE)));
    expect(Array.from(perm.subarray(0, 6))).toEqual(PINNED_PERM_HEAD);
    // Every class is in both parts.
    for (const part of [a.train, a.test]) expect(new Set(part.labels).size).toBe(10);
  });

  it("mulberry32 is a deterministic generator in [0, 1)", () => {
    const r1 = mulberry32(5);
    const r2 = mulberry32(5);
    for (let i = 0; i < 100; i++) {
      const v = r1();
      expect(v).toBe(r2());
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});

const PINNED_PERM_HEAD = [8836, 2469, 9948, 8687, 8490, 3960];
