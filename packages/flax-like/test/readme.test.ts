// The README's example, as written there (checkpoint in a temporary directory).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { random, type Array } from "@jaxts/core";
import * as jnp from "@jaxts/numpy";
import { Module, Conv, Dense, BatchNorm, Dropout, maxPool, relu, type Scope, paramCount, tabulate, saveCheckpoint, loadCheckpoint } from "../src/index.js";

class CNN extends Module {
  call(scope: Scope, x: Array): Array {
    x = maxPool(relu(scope.child(new Conv(16, [3, 3]))(x)), [2, 2], { strides: [2, 2] });
    x = scope.child(new BatchNorm())(x);
    x = x.reshape([x.shape[0]!, -1]);
    x = scope.child(new Dropout(0.1))(x);
    return scope.child(new Dense(10))(x);
  }
}

it("README example", async () => {
  const model = new CNN();
  const x = jnp.zeros([8, 28, 28, 1]);
  const variables = model.init(random.key(0), x);
  expect(Object.keys(variables.params)).toEqual(["Conv_0", "BatchNorm_0", "Dense_0"]);
  expect(paramCount(variables)).toBe(3 * 3 * 16 + 16 + 32 + 14 * 14 * 16 * 10 + 10);
  const table = tabulate(model, random.key(0), x).split("\n");
  expect(table.slice(2, 7).map((l) => l.split("|")[1]!.trim())).toEqual(["(root)", "Conv_0", "BatchNorm_0", "Dropout_0", "Dense_0"]);
  expect(table[3]).toMatch(/\| Conv_0 +\| Conv +\| f32\[8,28,28,1\] +\| f32\[8,28,28,16\] +\| +160 \|/);
  const logits = model.apply(variables, x);
  expect(logits.shape).toEqual([8, 10]);
  const [trainLogits, { batchStats }] = model.apply(variables, x, { train: true, mutable: ["batchStats"], rngs: { dropout: random.key(1) } });
  expect(trainLogits.shape).toEqual([8, 10]);
  expect(Object.keys(batchStats)).toEqual(["BatchNorm_0"]);
  const file = join(mkdtempSync(join(tmpdir(), "jaxts-readme-")), "cnn.safetensors");
  await saveCheckpoint(file, variables);
  const restored = await loadCheckpoint(file, variables);
  expect([...model.apply(restored, x).dataSync()]).toEqual([...logits.dataSync()]);
});
