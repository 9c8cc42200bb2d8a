import { spawnSync } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULTS, parseOptions, USAGE, UsageError } from "../src/cli.js";
import { main, type Io } from "../src/main.js";

function capture(): Io & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
    out: () => out,
    err: () => err,
  };
}

describe("flags", () => {
  it("defaults per model", () => {
    expect(parseOptions([])).toEqual({ model: "mlp", ...DEFAULTS.mlp, backend: undefined, checkpoint: undefined, seed: 0, help: false });
    expect(parseOptions(["--model", "cnn"])).toMatchObject({ model: "cnn", ...DEFAULTS.cnn });
  });

  it("parses every flag", () => {
    const o = parseOptions(["--model=cnn", "--epochs", "3", "--batch-size", "32", "--lr", "1e-3", "--backend", "onnx", "--checkpoint", "a/b.safetensors", "--seed=-7"]);
    expect(o).toEqual({ model: "cnn", epochs: 3, batchSize: 32, lr: 1e-3, backend: "onnx", checkpoint: "a/b.safetensors", seed: -7, help: false });
    expect(parseOptions(["--backend", "cpu"]).backend).toBe("cpu");
    expect(parseOptions(["-h"]).help).toBe(true);
  });

  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["extra"], /positional/],
    [["--backend", "tpu"], /--backend must be one of cpu, onnx, got 'tpu'/],
    [["--model", "resnet"], /--model must be one of mlp, cnn/],
    [["--epochs", "0"], /--epochs must be a positive integer, got '0'/],
    [["--epochs", "2.5"], /--epochs must be a positive integer/],
    [["--batch-size", "x"], /--batch-size must be a positive integer/],
    [["--lr=-1"], /--lr must be a positive number/],
    [["--seed", "1.5"], /--seed must be an integer/],
    [["--epochs"], /argument missing/],
  ])("rejects %j", (argv, msg) => {
    expect(() => parseOptions(argv as string[])).toThrow(UsageError);
    expect(() => parseOptions(argv as string[])).toThrow(msg);
  });
});

describe("main", () => {
  it("unknown flag or backend: usage on stderr, exit code 2", async () => {
    for (const argv of [["--bogus"], ["--backend", "tpu"]]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err()).toContain("error: ");
      expect(io.err()).toContain(USAGE);
      expect(io.out()).toBe("");
    }
  });

  it("--help prints the usage and exits 0", async () => {
    const io = capture();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.out()).toBe(USAGE);
  });

  it("an unwritable checkpoint path fails before training starts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mnist-cli-"));
    for (const file of [join(dir, "missing", "x.safetensors"), dir]) {
      const io = capture();
      expect(await main(["--checkpoint", file, "--epochs", "1"], io)).toBe(1);
      expect(io.err()).toMatch(/^error: \[assertWritable\] cannot write a checkpoint to /);
      expect(io.out()).toBe(""); // no data loaded, nothing trained
    }
    expect(await readdir(dir)).toEqual([]); // no probe or temporary files left
  });

  it("the process exits with code 2 and prints the usage on an unknown flag", () => {
    const script = fileURLToPath(new URL("../src/main.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@jaxts/source", script, "--nope"], { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--nope'");
    expect(r.stderr).toContain("Usage: ");
  });
});
