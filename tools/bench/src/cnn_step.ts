// One jitted SGD step of a small CNN (conv3x3(16)-relu-maxpool-conv3x3(32)-relu-maxpool-dense,
// batch 128 of 28x28) on the ONNX backend: median ms over 30 steps after warm-up.
// A probe for the cost of the ONNX lowerings of max/relu/pooling and their gradients.
//   pnpm --filter @jaxts/bench cnn-step
import { jit, lax, random, valueAndGrad, devicePut, type Array } from "@jaxts/core";
import { init } from "@jaxts/xla-onnx";
await init({ setDefault: false, executionProviders: ["cpu"] });
const k = (i: number, s: number[]) => devicePut(random.normal(random.key(i), s, "float32").mul(0.1), "onnx");
const p = { w1: k(1, [16, 1, 3, 3]), w2: k(2, [32, 16, 3, 3]), w3: k(3, [32 * 7 * 7, 10]) };
const x = k(4, [128, 1, 28, 28]);
const pool = (h: Array) => lax.reduceWindow(h, -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2], "VALID");
const loss = (p: any, x: Array) => {
  let h = lax.max(lax.convGeneralDilated(x, p.w1, [1, 1], "SAME"), 0);
  h = pool(h);
  h = lax.max(lax.convGeneralDilated(h, p.w2, [1, 1], "SAME"), 0);
  h = pool(h);
  const logits = h.reshape(128, -1).matmul(p.w3);
  return logits.mul(logits).mean();
};
const step = jit((p: any, x: Array) => {
  const [l, g] = valueAndGrad(loss)(p, x);
  return [l, { w1: p.w1.sub(g.w1.mul(0.01)), w2: p.w2.sub(g.w2.mul(0.01)), w3: p.w3.sub(g.w3.mul(0.01)) }];
});
// Every timed step starts from the same parameters (chained updates of this
// untrained loss would drift to inf/NaN, and the lowering has NaN-aware paths).
for (let i = 0; i < 5; i++) await (step(p, x) as any)[0].data();
const ts: number[] = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  const [l] = step(p, x) as any;
  await l.data();
  ts.push(performance.now() - t0);
}
ts.sort((a, b) => a - b);
const [l0] = step(p, x) as any;
console.log(`CNN step median ms ${ts[15]!.toFixed(1)} (loss ${(await l0.data())[0]})`);
