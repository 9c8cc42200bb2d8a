// onnxruntime-node, loaded once. It is CommonJS; the default import is its
// module object.
import ortModule from "onnxruntime-node";

export const ort: typeof import("onnxruntime-node") = ortModule;
export type OrtTensor = import("onnxruntime-node").Tensor;
export type OrtSession = import("onnxruntime-node").InferenceSession;
