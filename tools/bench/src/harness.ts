// Timing helpers: warm up, then take the median of several timed runs; and the
// MLP loss the benchmarks time.
import { performance } from "node:perf_hooks";
import { lax, type Array } from "@jaxts/core";

export interface Timing {
  name: string;
  medianMs: number;
  minMs: number;
  runs: number;
}

/** Median wall time of `fn` over `runs` runs after `warmup` untimed ones. */
export async function time(name: string, fn: () => unknown | Promise<unknown>, opts: { warmup?: number; runs?: number } = {}): Promise<Timing> {
  const warmup = opts.warmup ?? 5;
  const runs = opts.runs ?? 30;
  for (let i = 0; i < warmup; i++) await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { name, medianMs: ts[Math.floor(ts.length / 2)]!, minMs: ts[0]!, runs };
}

export function markdownTable(rows: (string | number)[][], header: string[]): string {
  const fmt = (v: string | number) => (typeof v === "number" ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3)) : v);
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(fmt).join(" | ")} |`),
  ].join("\n");
}

/** The parameters of a 784-256-10 MLP. */
export interface MlpParams {
  w1: Array;
  b1: Array;
  w2: Array;
  b2: Array;
}

/** Mean softmax cross-entropy of a 784-256-10 ReLU MLP. */
export function mlpLoss(p: MlpParams, x: Array, onehot: Array): Array {
  const h = lax.max(x.matmul(p.w1).add(p.b1), 0);
  const logits = h.matmul(p.w2).add(p.b2);
  const m = lax.stopGradient(logits.max(1, { keepdims: true }));
  const lse = lax.log(lax.exp(logits.sub(m)).sum(1, { keepdims: true })).add(m);
  return lse.sub(logits).mul(onehot).sum(1).mean();
}

/** Deterministic N(0, scale²) values (Box-Muller on an LCG). */
export function randn(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = (s + 1) / 4294967297;
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = s / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v) * scale;
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v) * scale;
  }
  return out;
}
