// Timing helpers: warm up, then take the median of several timed runs.
import { performance } from "node:perf_hooks";

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
