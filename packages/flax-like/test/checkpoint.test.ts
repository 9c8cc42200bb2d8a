// safetensors checkpoints: byte and file round trips with the tree restored
// exactly, loading against a target, mismatch errors naming the key path,
// atomic file writes, and a file written by the reference Python implementation.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Array, ShapeDtypeStruct, random } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import {
  CheckpointError,
  Conv,
  Dense,
  MLP,
  assertWritable,
  fromSafetensors,
  loadCheckpoint,
  parseSafetensors,
  saveCheckpoint,
  toSafetensors,
  toSafetensorsSync,
} from "../src/index.js";

const vals = (x: Array) => [...x.dataSync()];

function sampleTree() {
  return {
    params: { "Dense_0": { kernel: jnp.arange(6).reshape([2, 3]).astype("float32").div(4), bias: jnp.array([1.5, -2, 3]) } },
    stats: [jnp.array([1, 2, 3], { dtype: "int32" }), null, { m: jnp.array(2.5, { dtype: "float64" }) }],
    half: jnp.array([0.5, -1, 65504, 1e-7, -0], { dtype: "float16" }),
    flags: jnp.array([true, false]),
    bytes: jnp.array([0, 255], { dtype: "uint8" }),
    empty: jnp.zeros([0, 3]),
    step: 7,
    nan: NaN,
    done: false,
    "a/b": jnp.ones([1]),
  };
}

function expectSameTree(got: any, want: any, path = ""): void {
  if (want instanceof Array) {
    expect(got, path).toBeInstanceOf(Array);
    expect(got.dtype.name, `${path} dtype`).toBe(want.dtype.name);
    expect(got.shape, `${path} shape`).toEqual(want.shape);
    expect(vals(got), `${path} values`).toEqual(vals(want));
  } else if (globalThis.Array.isArray(want)) {
    expect(globalThis.Array.isArray(got), path).toBe(true);
    expect(got.length).toBe(want.length);
    want.forEach((w, i) => expectSameTree(got[i], w, `${path}/${i}`));
  } else if (want !== null && typeof want === "object") {
    expect(Object.keys(got), path).toEqual(Object.keys(want));
    for (const k of Object.keys(want)) expectSameTree(got[k], want[k], `${path}/${k}`);
  } else {
    expect(got, path).toEqual(want);
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), "jaxts-ckpt-"));

describe("safetensors bytes", () => {
  it("round trip restores the tree exactly (structure, dtypes, shapes, values, scalars)", async () => {
    const t = sampleTree();
    const bytes = await toSafetensors(t);
    expectSameTree(fromSafetensors(bytes), t);
    expect(toSafetensorsSync(t)).toEqual(bytes);
  });

  it("writes the safetensors layout: u64 LE header length, 8-byte aligned JSON, packed data", () => {
    const bytes = toSafetensorsSync({ a: jnp.array([1, 2], { dtype: "float32" }), b: { c: jnp.array([3], { dtype: "int32" }) } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.a).toEqual({ dtype: "F32", shape: [2], data_offsets: [0, 8] });
    expect(header["b/c"]).toEqual({ dtype: "I32", shape: [1], data_offsets: [8, 12] });
    expect(header.__metadata__.format).toBe("jaxts-pytree");
    expect(bytes.length).toBe(8 + n + 12);
    expect([...new Float32Array(bytes.slice(8 + n, 8 + n + 8).buffer)]).toEqual([1, 2]);
  });

  it("model variables survive a round trip and give the same outputs", async () => {
    const model = new MLP([6, 3]);
    const x = jnp.ones([2, 4]);
    const v = model.init(random.key(0), x);
    const back = fromSafetensors(await toSafetensors(v), v);
    expect(vals(model.apply(back, x))).toEqual(vals(model.apply(v, x)));
  });

  it("loads against a target of ShapeDtypeStructs", () => {
    const t = { w: jnp.ones([2, 2]), b: [jnp.zeros([2])] };
    const target = { w: new ShapeDtypeStruct([2, 2], "float32"), b: [new ShapeDtypeStruct([2], "float32")] };
    expectSameTree(fromSafetensors(toSafetensorsSync(t), target), t);
  });

  it("reads a file written by the reference implementation (safetensors.numpy)", () => {
    const file = fileURLToPath(new URL("./fixtures/numpy.safetensors", import.meta.url));
    const t = fromSafetensors(new Uint8Array(readFileSync(file)));
    expect(Object.keys(t).sort()).toEqual(["f64", "half", "ints", "mask", "params/Dense_0/bias", "params/Dense_0/kernel"]);
    expect(vals(t["params/Dense_0/kernel"])).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    expect(t["half"].dtype.name).toBe("float16");
    expect(vals(t["half"])).toEqual([0.5, -1, 65504, 1.1920928955078125e-7]);
    expect(vals(t["ints"])).toEqual([1, -2, 3, 2 ** 31 - 1]);
    expect(t["mask"].dtype.name).toBe("bool");
    expect(t["f64"].shape).toEqual([]);
    expect(t["f64"].dataSync()[0]).toBe(Math.PI);
    expect(parseSafetensors(new Uint8Array(readFileSync(file))).metadata).toEqual({ source: "safetensors.numpy" });
    // And into a nested target by key path.
    const nested = fromSafetensors(new Uint8Array(readFileSync(file)), {
      params: { Dense_0: { kernel: new ShapeDtypeStruct([2, 3], "float32"), bias: new ShapeDtypeStruct([3], "float32") } },
      half: new ShapeDtypeStruct([4], "float16"),
      ints: new ShapeDtypeStruct([2, 2], "int32"),
      mask: new ShapeDtypeStruct([3], "bool"),
      f64: new ShapeDtypeStruct([], "float64"),
    });
    expect(vals(nested.params.Dense_0.bias)).toEqual([1.5, -2.25, 3]);
  });
});

describe("mismatch errors name the key path", () => {
  const model = new Dense(3);
  const v = model.init(random.key(0), jnp.ones([1, 4]));
  const bytes = toSafetensorsSync(v);
  it("shape", () => {
    const other = new Dense(3).init(random.key(0), jnp.ones([1, 5]));
    expect(() => fromSafetensors(bytes, other)).toThrow(CheckpointError);
    expect(() => fromSafetensors(bytes, other)).toThrow(/shape mismatch at "params\/kernel": checkpoint has float32\[4,3\], target expects float32\[5,3\]/);
  });
  it("dtype", () => {
    const other = new Dense(3, { paramDtype: "float64" }).init(random.key(0), jnp.ones([1, 4]));
    expect(() => fromSafetensors(bytes, other)).toThrow(/dtype mismatch at "params\/kernel": checkpoint has F32 \(float32\[4,3\]\), target expects float64\[4,3\]/);
  });
  it("structure: missing and extra entries", () => {
    const noBias = new Dense(3, { useBias: false }).init(random.key(0), jnp.ones([1, 4]));
    expect(() => fromSafetensors(bytes, noBias)).toThrow(/structure mismatch: "params\/bias" is in the checkpoint but not in the target/);
    const conv = new Conv(3, [2]).init(random.key(0), jnp.ones([1, 4, 2]));
    expect(() => fromSafetensors(toSafetensorsSync(noBias), conv)).toThrow(/"params\/bias" is in the target but not in the checkpoint/);
    expect(() => fromSafetensors(bytes, { params: [v.params.kernel, v.params.bias] })).toThrow(/structure mismatch: "params": object in the checkpoint, list of 2 in the target/);
  });
  it("corrupt bytes", () => {
    expect(() => fromSafetensors(new Uint8Array(4))).toThrow(/too short/);
    const bad = bytes.slice(0, bytes.length - 4);
    expect(() => fromSafetensors(bad)).toThrow(/data offsets .* inconsistent/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    expect(() => fromSafetensors(huge)).toThrow(/header length 1000 exceeds/);
  });
  it("unsupported leaves when saving", async () => {
    await expect(toSafetensors({ a: { b: "text" } })).rejects.toThrow(/unsupported value at "a\/b": string/);
  });
});

describe("files", () => {
  it("save and load round trip, with and without a target", async () => {
    const dir = tmp();
    const file = join(dir, "model.safetensors");
    const t = sampleTree();
    await saveCheckpoint(file, t);
    expectSameTree(await loadCheckpoint(file), t);
    expectSameTree(await loadCheckpoint(file, t), t);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
  });

  it("a failed save leaves the existing file untouched and no temporary file behind", async () => {
    const dir = tmp();
    const file = join(dir, "ckpt.safetensors");
    await saveCheckpoint(file, { w: jnp.ones([2]) });
    const before = readFileSync(file);
    await expect(saveCheckpoint(file, { w: jnp.ones([2]), bad: new Date() })).rejects.toThrow(/unsupported value at "bad": Date/);
    expect(readFileSync(file)).toEqual(before);
    // A failure at rename time (the target is a directory): the temp file is removed.
    const asDir = join(dir, "sub");
    mkdirSync(asDir);
    await expect(saveCheckpoint(asDir, { w: jnp.ones([2]) })).rejects.toThrow(/could not write .*sub/);
    expect(readdirSync(dir).sort()).toEqual(["ckpt.safetensors", "sub"]);
    expect(readFileSync(file)).toEqual(before);
  });

  it("load errors name the file; assertWritable checks a path without touching it", async () => {
    const dir = tmp();
    await expect(loadCheckpoint(join(dir, "missing.safetensors"))).rejects.toThrow(/could not read .*missing.safetensors/);
    const file = join(dir, "x.safetensors");
    writeFileSync(file, toSafetensorsSync({ a: jnp.ones([2]) }));
    await expect(loadCheckpoint(file, { a: jnp.ones([3]) })).rejects.toThrow(/shape mismatch at "a".*\(file .*x.safetensors\)/);
    await expect(assertWritable(join(dir, "new.safetensors"))).resolves.toBeUndefined();
    await expect(assertWritable(join(dir, "no", "such", "dir.safetensors"))).rejects.toThrow(/cannot write a checkpoint to/);
    expect(readdirSync(dir)).toEqual(["x.safetensors"]);
  });
});
