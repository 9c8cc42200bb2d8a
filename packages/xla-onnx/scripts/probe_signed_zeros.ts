// Probe how ONNX Runtime's CPU kernels treat signed zeros (the behaviour the
// lowerings in src/lower work around; see util.ts whereT/maxF/minF and
// test/signed_zero.test.ts). Run: npx tsx scripts/probe_signed_zeros.ts
// Findings with onnxruntime-node 1.30 (float16, float32 and float64 alike
// unless said):
// - Where(c, X, Y): a -0 taken from X comes out +0; Y is exact; NaN/inf exact.
// - Where(Not(c), a, b) is rewritten as Where(c, b, a) from optimization level
//   basic up (NotWhereFusion): `b` then comes through X. Xor(c, true) is not.
// - Add(v, 0) whose output is not a graph output is removed (NoopElimination,
//   level basic up) once the 0 is a constant (also after constant folding),
//   so -0 + 0 stays -0: a sign of zero cannot be fixed by adding +0.
// - Max/Min of -0 and +0 return the second operand (float16: the first);
//   ReduceMax/ReduceMin the first; ScatterElements max/min the update.
// - Sign(-0) = +0 (float16 Sign(NaN) = 0). Abs, Neg, Floor, Ceil, Round,
//   Sqrt, Mod(fmod), Cast, Clip, Expand, Gather, Pad, Slice, Concat, TopK,
//   ScatterElements (none/add/mul) and CumSum keep -0.
// - Integer types have no -0; Where, Max, Min on them are exact.
// - Max/Min propagate NaN from either operand (same shapes or broadcast).
// - Relu(-0) = -0, Relu(NaN) = NaN (every position; Abs(Relu(x)) is max(x, +0)).
// - MaxPool skips NaN by position, breaks -0/+0 ties by position, and float32
//   windows of -inf alone give -3.4e38 (1-D/3-D kernels): see lower/window.ts.
// - DivMulFusion (level basic up) rewrites Mul(Div(1, y), z) as Div(z, y) where
//   the Div's numerator is a one-element constant 1, for int32/int64 too.
import { ort } from "../src/ort.js";
import { GraphBuilder, modelBytes } from "../src/proto.js";
import { DT, fromF16Bits, toF16Bits } from "../src/dtypes.js";

const Z = -0;
const show = (a: ArrayLike<number>) => Array.from(a, (x) => (Object.is(x, -0) ? "-0" : String(x))).join(",");
const NAMES: Partial<Record<DT, "float16" | "float32" | "float64" | "int32">> = { [DT.FLOAT16]: "float16", [DT.FLOAT]: "float32", [DT.DOUBLE]: "float64", [DT.INT32]: "int32" };

function tensor(t: DT, v: number[]): import("onnxruntime-node").Tensor {
  if (t === DT.FLOAT16) return new ort.Tensor("float16", toF16Bits(v), [v.length]);
  if (t === DT.FLOAT) return new ort.Tensor("float32", Float32Array.from(v), [v.length]);
  if (t === DT.DOUBLE) return new ort.Tensor("float64", Float64Array.from(v), [v.length]);
  return new ort.Tensor("int32", Int32Array.from(v), [v.length]);
}

async function run(t: DT, label: string, inputs: Record<string, number[]>, build: (g: GraphBuilder) => string, opt: "disabled" | "all") {
  const g = new GraphBuilder();
  for (const [k, v] of Object.entries(inputs)) g.addInput(k, k === "c" ? DT.BOOL : t, [v.length]);
  const o = build(g);
  g.addOutput(o, t, null);
  const s = await ort.InferenceSession.create(modelBytes(g.toGraph()), { graphOptimizationLevel: opt });
  const feeds: Record<string, import("onnxruntime-node").Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) feeds[k] = k === "c" ? new ort.Tensor("bool", Uint8Array.from(v), [v.length]) : tensor(t, v);
  const r = (await s.run(feeds))[o]!.data as ArrayLike<number>;
  console.log(`${NAMES[t]!.padEnd(8)} ${opt.padEnd(8)} ${label.padEnd(58)} ${show(t === DT.FLOAT16 ? fromF16Bits(r) : r)}`);
}

for (const t of [DT.FLOAT, DT.DOUBLE, DT.FLOAT16]) {
  for (const opt of ["disabled", "all"] as const) {
    await run(t, "Where(c=[1,1,0], X=[-0,-0,-0], Y=5)      want -0,-0,5", { c: [1, 1, 0], x: [Z, Z, Z], y: [5, 5, 5] }, (g) => g.op("Where", ["c", "x", "y"]), opt);
    await run(t, "Where(c=[0,0,1], X=5, Y=[-0,-0,-0])      want -0,-0,5", { c: [0, 0, 1], x: [5, 5, 5], y: [Z, Z, Z] }, (g) => g.op("Where", ["c", "x", "y"]), opt);
    await run(t, "Where(Not(c=[1,0]), 1, Y=[-0,-0])         want -0,1", { c: [1, 0], y: [Z, Z] }, (g) => g.op("Where", [g.op("Not", ["c"]), g.scalar(1, t), "y"]), opt);
    await run(t, "Where(Xor(c=[1,0], true), 1, Y=[-0,-0])   want -0,1", { c: [1, 0], y: [Z, Z] }, (g) => g.op("Where", [g.op("Xor", ["c", g.constant({ dtype: DT.BOOL, dims: [], values: [1] })]), g.scalar(1, t), "y"]), opt);
    // -|x| + 0 (Add not a graph output, so ORT may remove it), then * 0 to see its sign.
    await run(t, "Mul(Add(-|x|, Abs(+0 const)), 0), x=[0,1] want 0,-0", { x: [0, 1] }, (g) => g.op("Mul", [g.op("Add", [g.op("Mul", [g.op("Abs", ["x"]), g.scalar(-1, t)]), g.op("Abs", [g.scalar(0, t)])]), g.scalar(0, t)]), opt);
  }
  await run(t, "Max(x=[-0,0], y=[0,-0])                   IEEE 0,0", { x: [Z, 0], y: [0, Z] }, (g) => g.op("Max", ["x", "y"]), "disabled");
  await run(t, "Min(x=[-0,0], y=[0,-0])                   IEEE -0,-0", { x: [Z, 0], y: [0, Z] }, (g) => g.op("Min", ["x", "y"]), "disabled");
  await run(t, "ReduceMax([-0,0])                         IEEE 0", { x: [Z, 0] }, (g) => g.op("ReduceMax", ["x", g.i64([0])], { keepdims: 1 }), "disabled");
  await run(t, "ReduceMin([0,-0])                         IEEE -0", { x: [0, Z] }, (g) => g.op("ReduceMin", ["x", g.i64([0])], { keepdims: 1 }), "disabled");
  await run(t, "ScatterElements max([-0,0] <- [0,-0])     IEEE 0,0", { x: [Z, 0], u: [0, Z] }, (g) => g.op("ScatterElements", ["x", g.i64([0, 1]), "u"], { reduction: "max" }), "disabled");
  await run(t, "ScatterElements min([-0,0] <- [0,-0])     IEEE -0,-0", { x: [Z, 0], u: [0, Z] }, (g) => g.op("ScatterElements", ["x", g.i64([0, 1]), "u"], { reduction: "min" }), "disabled");
  await run(t, "Sign([-0,0,NaN])                          XLA -0,0,NaN", { x: [Z, 0, NaN] }, (g) => g.op("Sign", ["x"]), "disabled");
  await run(t, "Round([-0.3,-0.5]), Floor/Ceil keep -0    want -0,-0", { x: [-0.3, -0.5] }, (g) => g.op("Round", ["x"]), "disabled");
  await run(t, "ReduceSum([-0,-0])                        XLA (+0 init) 0", { x: [Z, Z] }, (g) => g.op("ReduceSum", ["x", g.i64([0])], { keepdims: 1 }), "disabled");
}
await run(DT.INT32, "Where(c=[1,0], X=[0,-3], Y=[7,0])        want 0,0", { c: [1, 0], x: [0, -3], y: [7, 0] }, (g) => g.op("Where", ["c", "x", "y"]), "all");
await run(DT.INT32, "Max(x=[0,-3], y=[0,2])                    want 0,2", { x: [0, -3], y: [0, 2] }, (g) => g.op("Max", ["x", "y"]), "all");
for (const t of [DT.FLOAT, DT.DOUBLE, DT.FLOAT16]) {
  await run(t, "Max(x=[NaN,1,NaN], y=[1,NaN,NaN])          want NaN,NaN,NaN", { x: [NaN, 1, NaN], y: [1, NaN, NaN] }, (g) => g.op("Max", ["x", "y"]), "all");
  await run(t, "Relu([-0,0,NaN,-1])                       max: 0,0,NaN,0", { x: [Z, 0, NaN, -1] }, (g) => g.op("Relu", ["x"]), "all");
  await run(t, "MaxPool k2 s2 [-inf,-inf,-0,0,NaN,1,1,NaN] XLA -inf,0,NaN,NaN", { x: [-Infinity, -Infinity, Z, 0, NaN, 1, 1, NaN] }, (g) => g.op("MaxPool", [g.op("Reshape", ["x", g.i64([1, 1, 8])])], { kernel_shape: [2], strides: [2] }), "all");
}
await run(DT.INT32, "1 - Div(1, y) * y, y=[2,3]                want 1,1", { y: [2, 3] }, (g) => g.op("Sub", [g.scalar(1, DT.INT32), g.op("Mul", [g.op("Div", [g.scalar(1, DT.INT32), "y"]), "y"])]), "all");
