// Stage 1 of `nnc import`: the decoded ModelProto → a plain graph (nodes with typed attributes, constant
// tensors as float64 or integer arrays, the one graph input and output with their shapes), checking what
// every later stage relies on: IR version 6–9, a default-domain opset 11–18, one input and one output,
// tensors stored inside the file. What the graph computes is map.ts's business.
import { OnnxImportError } from "./errors.js";
import { AttributeType, DataType, decodeModel, int64, type AttributeProto, type ModelProto, type TensorProto } from "./proto.js";

export const IR_VERSIONS = { min: 6, max: 9 } as const;
export const OPSETS = { min: 11, max: 18 } as const;

export interface Tensor {
  dims: number[];
  /** FLOAT and DOUBLE tensors as float64 (exact: every f32 is a double); INT64/INT32 as numbers. */
  values: Float64Array;
  /** TensorProto.DataType of the stored values. */
  dataType: number;
}

export type Attribute =
  | { type: "float"; value: number }
  | { type: "int"; value: number }
  | { type: "string"; value: string }
  | { type: "floats"; value: number[] }
  | { type: "ints"; value: number[] }
  | { type: "tensor"; value: Tensor }
  | { type: "other"; value: number };

export interface GraphNode {
  /** The node's name, or `#<index> <op>` when the file leaves it empty (names are optional in ONNX). */
  name: string;
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, Attribute>;
}

export interface OnnxGraph {
  file: string;
  irVersion: number;
  opset: number;
  producer: string;
  graphName: string;
  input: { name: string; dims: (number | null)[] | null; elemType: number };
  output: { name: string };
  nodes: GraphNode[];
  /** Initialisers and Constant nodes' values, by value name. */
  constants: Map<string, Tensor>;
  metadata: Map<string, string>;
}

/** Presence of an optional proto2 field: protobufjs puts unset fields' defaults on the prototype. */
function has(message: object, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, field);
}

/** A tensor's values; `where` names it for errors. External data and unsupported element types are refused. */
export function tensorValues(t: TensorProto, where: () => string, file: string): Tensor {
  const dims = (t.dims ?? []).map(int64);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataType = t.data_type ?? 0;
  if (has(t, "data_location") && t.data_location === 1) {
    throw new OnnxImportError(file, `${where()} is stored outside the .onnx file (external data); nnc reads single-file models only`);
  }
  const raw = has(t, "raw_data") ? t.raw_data! : null;
  let values: Float64Array;
  // Copy raw bytes first: protobufjs hands out a view into the file's buffer (a Node Buffer, whose slice()
  // is another view), which may not be aligned for a typed array. ONNX stores them little-endian, as x86/ARM.
  const rawView = <A>(make: (b: ArrayBuffer) => A): A => {
    const copy = new Uint8Array(raw!.length);
    copy.set(raw!);
    return make(copy.buffer);
  };
  if (dataType === DataType.FLOAT) {
    values = raw ? Float64Array.from(rawView((b) => new Float32Array(b))) : Float64Array.from(t.float_data ?? []);
  } else if (dataType === DataType.DOUBLE) {
    values = raw ? rawView((b) => new Float64Array(b)) : Float64Array.from(t.double_data ?? []);
  } else if (dataType === DataType.INT64) {
    values = raw
      ? Float64Array.from(
          rawView((b) => new BigInt64Array(b)),
          Number,
        )
      : Float64Array.from((t.int64_data ?? []).map(int64));
  } else if (dataType === 6 /* INT32 */) {
    values = raw ? Float64Array.from(rawView((b) => new Int32Array(b))) : Float64Array.from(t.int32_data ?? []);
  } else {
    throw new OnnxImportError(file, `${where()} has element type ${dataType} (${dataTypeName(dataType)}); nnc reads float, double and int64 tensors`);
  }
  if (values.length !== count) throw new OnnxImportError(file, `${where()} has ${values.length} values for dims [${dims.join(", ")}] (${count})`);
  return { dims, values, dataType };
}

function dataTypeName(type: number): string {
  const names: Record<number, string> = {
    2: "uint8",
    3: "int8",
    4: "uint16",
    5: "int16",
    9: "bool",
    10: "float16",
    12: "uint32",
    13: "uint64",
    16: "bfloat16",
  };
  return names[type] ?? "unsupported";
}

function attributeOf(a: AttributeProto, where: () => string, file: string): Attribute {
  switch (a.type) {
    case AttributeType.FLOAT:
      return { type: "float", value: a.f ?? 0 };
    case AttributeType.INT:
      return { type: "int", value: int64(a.i) };
    case AttributeType.STRING:
      return { type: "string", value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case AttributeType.FLOATS:
      return { type: "floats", value: [...(a.floats ?? [])] };
    case AttributeType.INTS:
      return { type: "ints", value: (a.ints ?? []).map(int64) };
    case AttributeType.TENSOR:
      return { type: "tensor", value: tensorValues(a.t ?? {}, where, file) };
    default:
      return { type: "other", value: a.type ?? 0 };
  }
}

/** Decodes and checks a .onnx file's bytes. */
export function readOnnx(bytes: Uint8Array, file: string): OnnxGraph {
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new OnnxImportError(file, `not an ONNX model (protobuf decoding failed: ${(error as Error).message})`);
  }
  const graph = model.graph;
  if (!graph || !has(model, "graph")) throw new OnnxImportError(file, "not an ONNX model (no graph)");
  const irVersion = int64(model.ir_version);
  if (irVersion < IR_VERSIONS.min || irVersion > IR_VERSIONS.max) {
    throw new OnnxImportError(file, `IR version ${irVersion}: nnc reads IR versions ${IR_VERSIONS.min}–${IR_VERSIONS.max}`);
  }
  const defaultOpset = (model.opset_import ?? []).find((o) => (o.domain ?? "") === "" || o.domain === "ai.onnx");
  if (!defaultOpset) throw new OnnxImportError(file, "no opset_import for the default ONNX domain");
  const opset = int64(defaultOpset.version);
  if (opset < OPSETS.min || opset > OPSETS.max) throw new OnnxImportError(file, `opset ${opset}: nnc reads opsets ${OPSETS.min}–${OPSETS.max}`);
  if ((graph.sparse_initializer ?? []).length > 0) throw new OnnxImportError(file, "sparse initialisers are not supported");

  const constants = new Map<string, Tensor>();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? "";
    constants.set(
      name,
      tensorValues(t, () => `initialiser "${name}"`, file),
    );
  }

  const nodes: GraphNode[] = (graph.node ?? []).map((n, index) => {
    const op = n.op_type ?? "";
    const name = n.name !== undefined && n.name !== "" ? n.name : `#${index} ${op}`;
    const attributes = new Map<string, Attribute>();
    for (const a of n.attribute ?? []) {
      const attributeName = a.name ?? "";
      if (a.ref_attr_name) throw new OnnxImportError(file, "refers to a function attribute", { node: { name, op }, attribute: attributeName });
      attributes.set(
        attributeName,
        attributeOf(a, () => `node "${name}" (${op}) attribute ${attributeName}`, file),
      );
    }
    return { name, op, domain: n.domain ?? "", inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attributes };
  });

  // Graph inputs: since IR 4, initialisers may also be listed as inputs (overridable); the data input is the one that is not.
  const inputs = (graph.input ?? []).filter((i) => !constants.has(i.name ?? ""));
  if (inputs.length !== 1) {
    throw new OnnxImportError(
      file,
      `the graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(", ") || "none"}); nnc imports a network with one input`,
    );
  }
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) {
    throw new OnnxImportError(
      file,
      `the graph has ${outputs.length} outputs (${outputs.map((o) => o.name).join(", ") || "none"}); nnc imports a network with one output`,
    );
  }
  const input = inputs[0]!;
  const tensorType = input.type?.tensor_type;
  const shape = tensorType && has(tensorType, "shape") ? tensorType.shape : undefined;
  // A dimension is known when it has a dim_value; a dim_param ("batch") or nothing is symbolic (null).
  const dims = shape ? (shape.dim ?? []).map((d) => (has(d, "dim_value") ? int64(d.dim_value) : null)) : null;
  const metadata = new Map((model.metadata_props ?? []).map((p) => [p.key ?? "", p.value ?? ""]));
  return {
    file,
    irVersion,
    opset,
    producer: [model.producer_name, model.producer_version].filter((s) => s !== undefined && s !== "").join(" "),
    graphName: graph.name ?? "",
    input: { name: input.name ?? "", dims, elemType: tensorType?.elem_type ?? 0 },
    output: { name: outputs[0]!.name ?? "" },
    nodes,
    constants,
    metadata,
  };
}
