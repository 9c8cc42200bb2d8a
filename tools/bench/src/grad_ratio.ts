// The cheap-gradient principle: for a jitted MLP loss, time(valueAndGrad(loss))
// should be a small multiple of time(loss) (at most 4; our goal is at most 3).
// Prints a Markdown table and a JSON line.
import { array, jit, valueAndGrad, type Array } from "@jaxts/core";
import { markdownTable, mlpLoss as loss, randn, time, type MlpParams as Params } from "./harness.js";

function randnArray(shape: number[], seed: number, scale: number): Array {
  return array(randn(shape.reduce((a, b) => a * b, 1), seed, scale)).reshape(shape);
}

async function main() {
  const batch = 128;
  const p: Params = {
    w1: randnArray([784, 256], 1, 0.05),
    b1: randnArray([256], 2, 0.01),
    w2: randnArray([256, 10], 3, 0.05),
    b2: randnArray([10], 4, 0.01),
  };
  const x = randnArray([batch, 784], 5, 1);
  const labels = globalThis.Array.from({ length: batch }, (_, i) => (i * 7) % 10);
  const onehot = array(labels.map((l) => globalThis.Array.from({ length: 10 }, (_, k) => (k === l ? 1 : 0))), { dtype: "float32" });

  const f = jit(loss);
  const vg = jit(valueAndGrad(loss));
  const fwd = await time("loss (jit)", () => f(p, x, onehot).dataSync());
  const both = await time("valueAndGrad(loss) (jit)", () => {
    const [v, g] = vg(p, x, onehot) as [Array, Params];
    v.dataSync();
    g.w1.dataSync();
  });
  const ratio = both.medianMs / fwd.medianMs;
  console.log(
    markdownTable(
      [
        [fwd.name, fwd.medianMs, fwd.minMs],
        [both.name, both.medianMs, both.minMs],
        ["ratio valueAndGrad / loss", ratio, both.minMs / fwd.minMs],
      ],
      ["workload (MLP 784-256-10, batch 128, CPU backend)", "median ms", "min ms"],
    ),
  );
  console.log(JSON.stringify({ bench: "grad_ratio", lossMs: fwd.medianMs, valueAndGradMs: both.medianMs, ratio }));
}

await main();
