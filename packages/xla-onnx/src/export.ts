// exportOnnx: a jitted function as a standalone ONNX model.
import { makeJaxpr, type Array } from "@jaxts/core";
import { onnxType } from "./dtypes.js";
import { jaxprSupport, lowerEqns, arrayConsts } from "./lower/jaxpr.js";
import "./lower/index.js";
import { GraphBuilder, modelBytes, OPSET } from "./proto.js";

export interface ExportOptions {
  /** Graph input names (default x0, x1, ...). */
  inputNames?: string[];
  /** Graph output names (default y0, y1, ...). */
  outputNames?: string[];
  /** Model doc string. */
  docString?: string;
}

/**
 * Trace `fn` on example arguments (Arrays; their shapes and dtypes fix the
 * model's input types) and return the serialized ONNX ModelProto. Values the
 * function closes over become constants in the graph.
 */
export function exportOnnx(fn: (...args: Array[]) => Array | Array[], exampleArgs: Array[], opts: ExportOptions = {}): Uint8Array {
  const closed = makeJaxpr(fn)(...exampleArgs);
  const jaxpr = closed.jaxpr;
  const ok = jaxprSupport(jaxpr);
  if (ok !== true) throw new Error(`[exportOnnx] cannot export: ${ok}`);
  const g = new GraphBuilder();
  const consts = arrayConsts(g, closed.consts);
  const names = jaxpr.invars.map((v, i) => {
    const n = opts.inputNames?.[i] ?? `x${i}`;
    g.addInput(n, onnxType(v.aval.dtype), v.aval.shape);
    return n;
  });
  const outs = lowerEqns(g, jaxpr, [...consts, ...names]);
  const taken = new Set<string>();
  outs.forEach((o, i) => {
    const want = opts.outputNames?.[i] ?? `y${i}`;
    if (taken.has(want)) throw new Error(`[exportOnnx] duplicate output name '${want}'`);
    taken.add(want);
    g.op("Identity", [o]);
    // Rename: an Identity whose output carries the public name.
    const node = g.nodes[g.nodes.length - 1]!;
    node.output = [want];
    const a = jaxpr.outvars[i]!.aval;
    g.addOutput(want, onnxType(a.dtype), a.shape);
  });
  return modelBytes(g.toGraph("jaxts_export"), { opset: OPSET, docString: opts.docString });
}
