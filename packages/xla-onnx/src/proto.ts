// Building ONNX graphs and models with onnx-buf's generated schema
// (@bufbuild/protobuf does the encoding).
import { create, toBinary } from "@bufbuild/protobuf";
import {
  AttributeProto_AttributeType as AT,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from "onnx-buf";
import { DT } from "./dtypes.js";

/** The default ONNX opset and IR version of the models we build (ORT 1.30 accepts up to 26 / 13). */
export const OPSET = 21;
export const IR_VERSION = 10;

/** A tensor constant: values plus element type and shape. */
export interface TensorValue {
  dtype: DT;
  dims: readonly number[];
  /** Values (float16 as numbers: they are converted to half bits). */
  values: ArrayLike<number> | ArrayLike<bigint>;
}

export type AttrValue =
  | number
  | readonly number[]
  | string
  | { float: number }
  | { floats: readonly number[] }
  | { tensor: TensorValue }
  | { graph: GraphProto };

/** Encode values as little-endian raw data of an ONNX element type. */
export function rawBytes(dtype: DT, values: ArrayLike<number> | ArrayLike<bigint>): Uint8Array<ArrayBuffer> {
  const n = values.length;
  const num = (i: number) => Number(values[i]!);
  let arr: ArrayBufferView;
  switch (dtype) {
    case DT.FLOAT:
      arr = Float32Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.DOUBLE:
      arr = Float64Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.FLOAT16: {
      const u = new Uint16Array(n);
      const f = new Float32Array(1);
      for (let i = 0; i < n; i++) {
        f[0] = num(i);
        u[i] = halfBits(f[0]);
      }
      arr = u;
      break;
    }
    case DT.INT8:
      arr = Int8Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.UINT8:
    case DT.BOOL:
      arr = Uint8Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.INT16:
      arr = Int16Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.UINT16:
      arr = Uint16Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.INT32:
      arr = Int32Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.UINT32:
      arr = Uint32Array.from({ length: n }, (_, i) => num(i));
      break;
    case DT.INT64:
      arr = BigInt64Array.from({ length: n }, (_, i) => BigInt.asIntN(64, BigInt(values[i]!)));
      break;
    case DT.UINT64:
      arr = BigUint64Array.from({ length: n }, (_, i) => BigInt.asUintN(64, BigInt(values[i]!)));
      break;
    default:
      throw new TypeError(`[onnx] cannot encode element type ${dtype}`);
  }
  return new Uint8Array(arr.buffer as ArrayBuffer, arr.byteOffset, arr.byteLength).slice();
}

import { f32ToF16Bits as halfBits } from "./dtypes.js";

export function tensorProto(name: string, t: TensorValue): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dataType: t.dtype,
    dims: t.dims.map((d) => BigInt(d)),
    rawData: rawBytes(t.dtype, t.values),
  });
}

function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new TypeError(`[onnx] attribute ${name}: use {float} for non-integers`);
    return create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(v) });
  }
  if (typeof v === "string") return create(AttributeProtoSchema, { name, type: AT.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return create(AttributeProtoSchema, { name, type: AT.INTS, ints: v.map((x: number) => BigInt(x)) });
  const o = v as Exclude<AttrValue, number | string | readonly number[]>;
  if ("float" in o) return create(AttributeProtoSchema, { name, type: AT.FLOAT, f: o.float });
  if ("floats" in o) return create(AttributeProtoSchema, { name, type: AT.FLOATS, floats: [...o.floats] });
  if ("tensor" in o) return create(AttributeProtoSchema, { name, type: AT.TENSOR, t: tensorProto("", o.tensor) });
  return create(AttributeProtoSchema, { name, type: AT.GRAPH, g: o.graph });
}

export function valueInfo(name: string, dtype: DT | null, dims: readonly number[] | null): ValueInfoProto {
  if (dtype === null) return create(ValueInfoProtoSchema, { name });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: "tensorType",
        value: create(TypeProto_TensorSchema, {
          elemType: dtype,
          shape:
            dims === null
              ? undefined
              : create(TensorShapeProtoSchema, {
                  dim: dims.map((d) => create(TensorShapeProto_DimensionSchema, { value: { case: "dimValue", value: BigInt(d) } })),
                }),
        }),
      },
    }),
  });
}

let graphCounter = 0;

/** Constants with more elements than this become initializers. */
const LARGE_CONSTANT = 256;

/**
 * Accumulates nodes, constants and graph inputs/outputs. Value names are unique
 * across nested graphs built from one root (subgraphs share the counter's prefix).
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  readonly initializers: TensorProto[] = [];
  private counter: { n: number };
  private readonly prefix: string;
  private constCache = new Map<string, string>();
  /** The outermost graph: it holds the initializers (visible in every subgraph). */
  private readonly root: GraphBuilder;
  /**
   * What is known of each value built here or in a related graph (names are
   * unique across them): the node that computes it, or the constant it is.
   * Lowering rules read it to specialize on constant operands (util.ts splatOf).
   */
  private readonly known: Map<string, { op: string; inputs: readonly string[]; attrs: Record<string, AttrValue | undefined> } | { tensor: TensorValue }>;

  constructor(parent?: GraphBuilder) {
    this.counter = parent ? parent.counter : { n: 0 };
    this.prefix = parent ? parent.prefix : `g${graphCounter++}_`;
    this.root = parent ? parent.root : this;
    this.known = parent ? parent.known : new Map();
  }

  /** The node (op, inputs, attributes) that computes value `name`, if built by this builder family. */
  producer(name: string): { op: string; inputs: readonly string[]; attrs: Record<string, AttrValue | undefined> } | undefined {
    const k = this.known.get(name);
    return k && "op" in k ? k : undefined;
  }

  /** The tensor value `name` is bound to, when it is a constant or initializer made by constant(). */
  constValue(name: string): TensorValue | undefined {
    const k = this.known.get(name);
    return k && "tensor" in k ? k.tensor : undefined;
  }

  /** A fresh value name. */
  fresh(hint = "v"): string {
    return `${hint}_${this.prefix}${this.counter.n++}`;
  }

  /** A nested graph (If branch, Loop body) sharing this builder's name space. */
  child(): GraphBuilder {
    return new GraphBuilder(this);
  }

  addInput(name: string, dtype: DT, dims: readonly number[] | null): void {
    this.inputs.push(valueInfo(name, dtype, dims));
  }
  addOutput(name: string, dtype: DT | null, dims: readonly number[] | null): void {
    this.outputs.push(valueInfo(name, dtype, dims));
  }

  /** Add a node; returns its output names. */
  node(op: string, inputs: readonly string[], attrs: Record<string, AttrValue | undefined> = {}, nOutputs = 1, domain = ""): string[] {
    const outs = Array.from({ length: nOutputs }, () => this.fresh(op.toLowerCase()));
    if (nOutputs === 1 && domain === "") this.known.set(outs[0]!, { op, inputs: [...inputs], attrs });
    this.nodes.push(
      create(NodeProtoSchema, {
        opType: op,
        domain,
        name: this.fresh(`n_${op}`),
        input: [...inputs],
        output: outs,
        attribute: Object.entries(attrs)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => attribute(k, v!)),
      }),
    );
    return outs;
  }

  /** Single-output node. */
  op(op: string, inputs: readonly string[], attrs: Record<string, AttrValue | undefined> = {}): string {
    return this.node(op, inputs, attrs)[0]!;
  }

  /**
   * A constant tensor. Small ones are Constant nodes, deduplicated within this
   * graph; large ones (and `weight`s, e.g. arrays a function closes over) are
   * initializers of the outermost graph, where ONNX tools expect weights and
   * ONNX Runtime can pre-pack them (e.g. MatMul's constant B).
   */
  constant(t: TensorValue, weight = false): string {
    if (weight || t.values.length > LARGE_CONSTANT) {
      const name = this.fresh("init");
      this.root.initializers.push(tensorProto(name, t));
      this.known.set(name, { tensor: t });
      return name;
    }
    const key = `${t.dtype}|${t.dims.join(",")}|${Array.from(t.values as ArrayLike<number>, (v) => (Object.is(v, -0) ? "-0" : String(v))).join(",")}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = this.op("Constant", [], { value: { tensor: t } });
    this.known.set(name, { tensor: t });
    this.constCache.set(key, name);
    return name;
  }

  scalar(v: number, dtype: DT): string {
    return this.constant({ dtype, dims: [], values: [v] });
  }
  /** A 1-D int64 constant (shapes, axes, indices). */
  i64(values: readonly number[]): string {
    return this.constant({ dtype: DT.INT64, dims: [values.length], values });
  }

  toGraph(name = "jaxts"): GraphProto {
    return create(GraphProtoSchema, {
      name,
      node: this.nodes,
      input: this.inputs,
      output: this.outputs,
      initializer: this.initializers,
    });
  }
}

/** Serialize a model around a graph. */
export function modelBytes(graph: GraphProto, opts: { opset?: number; irVersion?: number; docString?: string } = {}): Uint8Array {
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(opts.irVersion ?? IR_VERSION),
    producerName: "jaxts",
    producerVersion: "0.0.0",
    docString: opts.docString ?? "",
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: "", version: BigInt(opts.opset ?? OPSET) })],
    graph,
  });
  return toBinary(ModelProtoSchema, model);
}
