// jnp.save / savez / load: round trips, NumPy-written fixtures (tools/goldens/gen_numpy_io.py,
// which also checks at generation time that NumPy reads what we write), and errors.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { Array, jit } from "@jaxts/core";
import * as jnp from "../src/index.js";

const FIX = fileURLToPath(new URL("./fixtures/", import.meta.url));
const manifest = JSON.parse(readFileSync(join(FIX, "numpy_io.json"), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "jaxts-npy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Enc = { dtype: string; shape: number[]; data: (number | string)[] };
const dec = (v: number | string) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));

function expectEnc(a: Array, want: Enc, what: string) {
  expect(a.dtype.name, what).toBe(want.dtype);
  expect(a.shape, what).toEqual(want.shape);
  const got = [...a.dataSync()].map(Number);
  expect(got, what).toEqual(want.data.map(dec).map((v) => (typeof v === "boolean" ? Number(v) : v)));
}

describe("NumPy-written .npy fixtures", () => {
  for (const c of manifest.npy as { file: string; expected: Enc; byteExact: boolean }[]) {
    test(c.file, async () => {
      const path = join(FIX, "npy", c.file);
      const a = (await jnp.load(path)) as Array;
      expectEnc(a, c.expected, c.file);
      // Same from bytes.
      const bytes = new Uint8Array(readFileSync(path));
      expectEnc(jnp.decodeNpy(bytes), c.expected, c.file);
      // What we write is byte for byte what NumPy writes.
      if (c.byteExact) expect(Buffer.from(jnp.encodeNpy(a)).equals(Buffer.from(bytes)), c.file).toBe(true);
    });
  }
  test("float16 keeps signed zero, subnormals and NaN", async () => {
    const a = (await jnp.load(join(FIX, "npy", "f16.npy"))) as Array;
    const d = a.dataSync();
    expect(Object.is(d[1], -0)).toBe(true);
    expect(d[4]).toBe(2 ** -24 * 1); // 6e-8 rounds to the smallest float16 subnormal
    expect(Number.isNaN(d[7])).toBe(true);
  });
});

describe("NumPy-written .npz fixtures", () => {
  for (const c of manifest.npz as { file: string; expected: Record<string, Enc> }[]) {
    test(c.file, async () => {
      const z = (await jnp.load(join(FIX, "npy", c.file))) as Record<string, Array>;
      expect(Object.keys(z).sort()).toEqual(Object.keys(c.expected).sort());
      for (const [k, want] of Object.entries(c.expected)) expectEnc(z[k]!, want, `${c.file}:${k}`);
    });
  }
});

describe("errors name the file and the problem", () => {
  for (const c of manifest.errors as { file: string; message: string }[]) {
    test(c.file, async () => {
      const path = join(FIX, "npy", c.file);
      await expect(jnp.load(path)).rejects.toThrow(c.message);
      await expect(jnp.load(path)).rejects.toThrow(path);
    });
  }
  test("bad magic", async () => {
    const p = join(dir, "bad.npy");
    writeFileSync(p, "hello world, not numpy");
    await expect(jnp.load(p)).rejects.toThrow(/bad magic.*|.*bad\.npy/);
    await expect(jnp.load(p)).rejects.toThrow(`not a .npy file in ${p}: bad magic`);
  });
  test("truncated data and header", async () => {
    const bytes = new Uint8Array(readFileSync(join(FIX, "npy", "f32_2x3.npy")));
    const p = join(dir, "trunc.npy");
    writeFileSync(p, bytes.subarray(0, bytes.length - 3));
    await expect(jnp.load(p)).rejects.toThrow(`truncated data in ${p}: shape (2, 3) '<f4' needs 24 bytes, file has 21`);
    expect(() => jnp.decodeNpy(bytes.subarray(0, 40))).toThrow("truncated header");
  });
  test("missing file", async () => {
    await expect(jnp.load(join(dir, "nope.npy"))).rejects.toThrow(`[load] could not read ${join(dir, "nope.npy")}`);
  });
  test("bad zip", () => {
    const z = jnp.encodeNpz(jnp.array([1, 2]));
    expect(() => jnp.decodeNpz(z.subarray(0, 30), "x.npz")).toThrow("[decodeNpz] not a readable .npz (zip) file in x.npz");
  });
  test("traced arrays cannot be saved", () => {
    expect(() => jit((x: Array) => (jnp.encodeNpy(x), x))(jnp.array([1, 2]))).toThrow("[encodeNpy] the array is a traced value");
  });
  test("savez rejects a name clash", () => {
    expect(() => jnp.encodeNpz(jnp.array([1]), { arr_0: jnp.array([2]) })).toThrow("arr_0");
  });
});

describe("round trips", () => {
  const cases: [string, Array][] = [
    ["float32", jnp.array([[1.25, -2], [Infinity, NaN]], "float32")],
    ["float16", jnp.array([0.1, 1000, -3], "float16")],
    ["float64", jnp.array([Math.PI, 1e-310], "float64")],
    ["int8", jnp.array([-128, 127], "int8")],
    ["uint16", jnp.array([0, 65535], "uint16")],
    ["int32", jnp.arange(24).reshape([2, 3, 4])],
    ["uint32", jnp.array([4294967295], "uint32")],
    ["bool", jnp.array([true, false, true])],
    ["scalar", jnp.array(7)],
    ["empty", jnp.zeros([0, 3])],
  ];
  for (const [name, a] of cases) {
    test(name, async () => {
      const back = jnp.decodeNpy(jnp.encodeNpy(a));
      expect(back.dtype).toBe(a.dtype);
      expect(back.shape).toEqual(a.shape);
      expect([...back.dataSync()]).toEqual([...a.dataSync()]);
      const p = await jnp.save(join(dir, name), a);
      expect(p).toBe(join(dir, `${name}.npy`));
      const f = (await jnp.load(p)) as Array;
      expect([...f.dataSync()]).toEqual([...a.dataSync()]);
    });
  }
  test("JS values are converted like jnp.asarray", () => {
    const b = jnp.decodeNpy(jnp.encodeNpy([[1, 2], [3, 4]]));
    expect(b.dtype.name).toBe("int32");
    expect(b.shape).toEqual([2, 2]);
  });
  test("savez: positional and named, from a path and from bytes", async () => {
    const x = jnp.arange(5, { dtype: "float32" });
    const y = jnp.array([true, false]);
    const p = await jnp.savez(join(dir, "z"), x, { flag: y });
    expect(p).toBe(join(dir, "z.npz"));
    for (const z of [await jnp.load(p), await jnp.load(new Uint8Array(readFileSync(p)))] as Record<string, Array>[]) {
      expect(Object.keys(z)).toEqual(["arr_0", "flag"]);
      expect([...z.arr_0!.dataSync()]).toEqual([0, 1, 2, 3, 4]);
      expect(z.flag!.dtype.name).toBe("bool");
    }
  });
  test("save is atomic: no temp files left, an existing file survives a failed save", async () => {
    const p = join(dir, "atomic.npy");
    await jnp.save(p, jnp.array([1, 2, 3]));
    const before = readFileSync(p);
    mkdirSync(join(dir, "isdir.npy"));
    const listing = readdirSync(dir).sort();
    await expect(jnp.save(join(dir, "no_such_dir", "x.npy"), jnp.array([1]))).rejects.toThrow("[save] could not write");
    // The rename fails when the target is a directory: the temp file is removed.
    await expect(jnp.save(join(dir, "isdir.npy"), jnp.array([1]))).rejects.toThrow(`[save] could not write ${join(dir, "isdir.npy")}`);
    expect(readFileSync(p).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(listing);
    expect(existsSync(join(dir, "no_such_dir"))).toBe(false);
  });
});

describe("frombuffer / fromstring (JAX 0.10.2 semantics)", () => {
  const vals = (a: Array) => globalThis.Array.from(a.dataSync());
  test("frombuffer reads little-endian elements; the default float64 bytes give float32", () => {
    const a = jnp.frombuffer(new Float64Array([1.5, -2.25, 1e-3]));
    expect(a.dtype.name).toBe("float32");
    expect(vals(a)).toEqual([1.5, -2.25, Math.fround(1e-3)]);
    const b = jnp.frombuffer(new Int16Array([1, -2, 3]), "int16", 2, 2);
    expect([b.dtype.name, vals(b)]).toEqual(["int16", [-2, 3]]);
    const h = jnp.frombuffer(new Uint16Array([0x3c00, 0xc000, 0x7c00]), "float16");
    expect([h.dtype.name, vals(h)]).toEqual(["float16", [1, -2, Infinity]]);
    expect(jnp.frombuffer(new Uint8Array(0), "uint8").shape).toEqual([0]);
    expect(vals(jnp.frombuffer(new Uint8Array([0, 2, 1]).buffer, "bool"))).toEqual([0, 1, 1]);
  });
  test("frombuffer errors name the sizes", () => {
    expect(() => jnp.frombuffer(new Uint8Array([1, 2, 3]), "int16")).toThrow(/\[frombuffer\] buffer size must be a multiple of element size \(3 bytes, 2-byte/);
    expect(() => jnp.frombuffer(new Uint8Array(4), "int16", 3)).toThrow(/\[frombuffer\] buffer is smaller than requested size/);
    expect(() => jnp.frombuffer(new Uint8Array(4), "int16", -1, 5)).toThrow(/\[frombuffer\] offset/);
    expect(() => jnp.frombuffer(new Uint8Array(4), "nope")).toThrow(/\[frombuffer\] data type "nope" not understood/);
  });
  test("fromstring parses separated numbers; binary mode and bad items are refused", () => {
    const a = jnp.fromstring("1 2 3.5", null, -1, { sep: " " });
    expect([a.dtype.name, vals(a)]).toEqual(["float32", [1, 2, 3.5]]);
    expect(vals(jnp.fromstring(" 1 ,  2 , 3 ", "int32", 2, { sep: "," }))).toEqual([1, 2]);
    expect(vals(jnp.fromstring("1\n2\t-4", "int16", -1, { sep: " " }))).toEqual([1, 2, -4]);
    expect(() => jnp.fromstring("1,2", null)).toThrow(/binary mode of fromstring is removed/);
    expect(() => jnp.fromstring("1,x", null, -1, { sep: "," })).toThrow(/unmatched data: "x"/);
    expect(() => jnp.fromstring("1.5", "int32", -1, { sep: " " })).toThrow(/not an integer/);
  });
});
