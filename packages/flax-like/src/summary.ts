// Parameter counting and a tabulate-style summary (flax.linen.Module.tabulate).
import { Array, tree } from "@jaxts/core";
import type { Module, Variables } from "./module.js";
import { arrayLeaves } from "./module.js";

/**
 * Number of scalars in the parameters: the leaves of `variables.params` when
 * there is a "params" collection, else of the whole tree.
 */
export function paramCount(variables: unknown): number {
  const t = variables !== null && typeof variables === "object" && "params" in (variables as object) ? (variables as Variables).params : variables;
  return arrayLeaves(t).reduce((n, a) => n + a.size, 0);
}

/** Bytes of the parameters (or of all leaves, as paramCount chooses). */
export function paramBytes(variables: unknown): number {
  const t = variables !== null && typeof variables === "object" && "params" in (variables as object) ? (variables as Variables).params : variables;
  return arrayLeaves(t).reduce((n, a) => n + a.size * a.dtype.itemsize, 0);
}

export interface SummaryRow {
  /** module path, "" for the root */
  path: string;
  /** the module's type name */
  module: string;
  inputs: string;
  outputs: string;
  /** parameters owned directly by this module (not its children) */
  params: number;
  /** parameters of this module and its children */
  totalParams: number;
}

const describe = (x: unknown): string => {
  const leaves = tree.leaves(x);
  const s = leaves.map((l) => (l instanceof Array ? `${l.dtype.short}[${l.shape.join(",")}]` : typeof l === "number" ? "scalar" : String(l)));
  return s.length === 1 ? s[0]! : `(${s.join(", ")})`;
};

function subtree(vars: Variables, collection: string, path: readonly string[]): unknown {
  let d: any = vars[collection];
  for (const p of path) {
    if (d === undefined || d === null) return undefined;
    d = d[p];
  }
  return d;
}

function ownCount(d: unknown): number {
  if (d === null || typeof d !== "object") return 0;
  return Object.values(d as object).reduce((n: number, v) => n + (v instanceof Array ? v.size : 0), 0);
}

/** One row per module call during init: path, type, input/output shapes, parameter counts. */
export function summaryRows(model: Module, key: Array | Record<string, Array>, ...inputsAndOptions: unknown[]): SummaryRow[] {
  const calls: { path: readonly string[]; module: Module; inputs: unknown[]; output: unknown; order: number }[] = [];
  const [out, vars] = model.runInit(key, inputsAndOptions, (path, module, inputs, output, order) => calls.push({ path, module, inputs, output, order }));
  const rootInputs = inputsAndOptions.filter((x) => x instanceof Array || globalThis.Array.isArray(x));
  const rows: SummaryRow[] = [
    { path: "", module: model.typeName, inputs: describe(rootInputs), outputs: describe(out), params: ownCount(vars.params), totalParams: arrayLeaves(vars.params ?? {}).reduce((n, a) => n + a.size, 0) },
  ];
  const seen = new Set<string>();
  // Calls are reported when they return (children first); list them in the order they started.
  calls.sort((a, b) => a.order - b.order);
  for (const c of calls) {
    const p = c.path.join("/");
    if (seen.has(p)) continue;
    seen.add(p);
    const sub = subtree(vars, "params", c.path);
    rows.push({
      path: p,
      module: c.module.typeName,
      inputs: describe(c.inputs),
      outputs: describe(c.output),
      params: ownCount(sub),
      totalParams: arrayLeaves(sub ?? {}).reduce((n, a) => n + a.size, 0),
    });
  }
  return rows;
}

/**
 * A text table of the model (like flax's `tabulate`): one row per module with
 * its path, type, input and output shapes and parameter count, and a total.
 */
export function tabulate(model: Module, key: Array | Record<string, Array>, ...inputsAndOptions: unknown[]): string {
  const rows = summaryRows(model, key, ...inputsAndOptions);
  const header = ["path", "module", "inputs", "outputs", "params"];
  const body = rows.map((r) => [r.path || "(root)", r.module, r.inputs, r.outputs, r.params ? r.params.toLocaleString("en-US") : ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => (i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ") + " |";
  const sep = "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|";
  const total = rows[0]!.totalParams;
  return [line(header), sep, ...body.map(line), sep, `Total parameters: ${total.toLocaleString("en-US")}`].join("\n");
}
