// Probe which element types ONNX Runtime's CPU provider implements per op
// (prints a table used to write src/lower/support.ts).
import { ort } from "../src/ort.js";
import { GraphBuilder, modelBytes } from "../src/proto.js";
import { DT, ONNX_TYPE_NAMES } from "../src/dtypes.js";

const types = [DT.BOOL, DT.INT8, DT.INT16, DT.INT32, DT.INT64, DT.UINT8, DT.UINT16, DT.UINT32, DT.UINT64, DT.FLOAT16, DT.FLOAT, DT.DOUBLE];
type Spec = { op: string; arity: number; attrs?: Record<string, any>; extra?: (g: GraphBuilder) => string[]; outType?: DT | "same"; name?: string };
const unary = "Abs Neg Sign Sin Cos Tan Asin Acos Atan Sinh Cosh Tanh Asinh Acosh Atanh Exp Log Sqrt Reciprocal Floor Ceil Round Erf IsNaN IsInf Sigmoid Not BitwiseNot Identity Softplus".split(" ");
const binary = "Add Sub Mul Div Pow Max Min And Or Xor BitwiseAnd BitwiseOr BitwiseXor BitShift Equal Less LessOrEqual Greater GreaterOrEqual".split(" ");
const specs: Spec[] = [
  ...unary.map((op) => ({ op, arity: 1 })),
  ...binary.map((op) => ({ op, arity: 2, attrs: op === "BitShift" ? { direction: "LEFT" } : {} })),
  { op: "Mod", arity: 2, attrs: { fmod: 1 }, name: "Mod_fmod1" },
  { op: "Mod", arity: 2, attrs: { fmod: 0 }, name: "Mod_fmod0" },
  { op: "ReduceSum", arity: 1, extra: (g) => [g.i64([0])] },
  { op: "ReduceMax", arity: 1, extra: (g) => [g.i64([0])] },
  { op: "ReduceMin", arity: 1, extra: (g) => [g.i64([0])] },
  { op: "ReduceProd", arity: 1, extra: (g) => [g.i64([0])] },
  { op: "ArgMax", arity: 1, attrs: { axis: 0 } },
  { op: "ArgMin", arity: 1, attrs: { axis: 0 } },
  { op: "CumSum", arity: 1, extra: (g) => [g.scalar(0, DT.INT32)] },
  { op: "MatMul", arity: 2 },
  { op: "Transpose", arity: 1 },
  { op: "Concat", arity: 2, attrs: { axis: 0 } },
  { op: "Expand", arity: 1, extra: (g) => [g.i64([2, 4])] },
  { op: "Slice", arity: 1, extra: (g) => [g.i64([0]), g.i64([2]), g.i64([0]), g.i64([1])] },
  { op: "Pad", arity: 1, extra: (g) => [g.i64([1, 1])] },
  { op: "Reshape", arity: 1, extra: (g) => [g.i64([4])] },
  { op: "Gather", arity: 1, extra: (g) => [g.i64([0])] },
  { op: "GatherND", arity: 1, extra: (g) => g.constant({ dtype: DT.INT64, dims: [1, 1], values: [0] }) && [g.constant({ dtype: DT.INT64, dims: [1, 1], values: [0] })] },
  { op: "Where", arity: 2, extra: undefined, name: "Where" },
  { op: "TopK", arity: 1, extra: (g) => [g.i64([1])], attrs: { axis: 0 } },
  { op: "Clip", arity: 1 },
  { op: "Range", arity: 0 },
];

async function tryModel(build: (g: GraphBuilder) => void): Promise<boolean | string> {
  const g = new GraphBuilder();
  build(g);
  try {
    const s = await ort.InferenceSession.create(modelBytes(g.toGraph()), { graphOptimizationLevel: "disabled" });
    await s.release();
    return true;
  } catch (e) {
    const m = String(e);
    if (/implementation|NOT_IMPLEMENTED|not supported|Type Error|type constraint|Type \(/i.test(m)) return false;
    return m.slice(0, 160);
  }
}

const results: Record<string, string[]> = {};
for (const s of specs) {
  const name = s.name ?? s.op;
  const ok: string[] = [];
  for (const t of types) {
    const r = await tryModel((g) => {
      const ins: string[] = [];
      if (s.op === "Where") {
        g.addInput("c", DT.BOOL, [2, 2]);
        g.addInput("a", t, [2, 2]);
        g.addInput("b", t, [2, 2]);
        const o = g.op("Where", ["c", "a", "b"]);
        g.addOutput(o, t, null);
        return;
      }
      if (s.op === "Range") {
        const o = g.op("Range", [g.scalar(0, t), g.scalar(3, t), g.scalar(1, t)]);
        g.addOutput(o, t, null);
        return;
      }
      if (s.op === "Clip") {
        g.addInput("a", t, [2, 2]);
        const o = g.op("Clip", ["a", g.scalar(0, t), g.scalar(1, t)]);
        g.addOutput(o, t, null);
        return;
      }
      for (let i = 0; i < s.arity; i++) {
        g.addInput(`x${i}`, t, [2, 2]);
        ins.push(`x${i}`);
      }
      const outs = g.node(s.op, [...ins, ...(s.extra ? s.extra(g) : [])], s.attrs ?? {}, s.op === "TopK" ? 2 : 1);
      g.addOutput(outs[0]!, null, null);
    });
    if (r === true) ok.push(ONNX_TYPE_NAMES[t]!);
    else if (r !== false) ok.push(`?${ONNX_TYPE_NAMES[t]}:${r}`);
  }
  results[name] = ok;
  console.log(`${name}: ${ok.join(" ")}`);
}
