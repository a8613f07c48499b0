// The ONNX protobuf codec: protobufjs (light build, no .proto parser at run time) over the descriptor of the
// ONNX project's own onnx.proto (src/onnx/onnx.proto → onnx.descriptor.json by scripts/onnx-descriptor.mjs).
// Nothing here knows what the graph means: read.ts and write.ts do. The interfaces below name only the
// fields nnc reads or writes; protobufjs keeps the rest of a decoded message (and skips unknown fields).
import protobuf from "protobufjs/light.js";
import descriptor from "./onnx.descriptor.json" with { type: "json" };

/** An int64 as protobufjs decodes it: a number, or a Long when `long` is installed (it is: protobufjs depends on it). */
export type Int64 = number | { toNumber(): number; low: number; high: number };

export interface TensorProto {
  dims?: Int64[];
  data_type?: number;
  name?: string;
  float_data?: number[];
  double_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  raw_data?: Uint8Array;
  data_location?: number;
  external_data?: { key?: string; value?: string }[];
  segment?: unknown;
  doc_string?: string;
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  ref_attr_name?: string;
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
}

export interface DimensionProto {
  dim_value?: Int64;
  dim_param?: string;
}

export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: DimensionProto[] } };
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparse_initializer?: unknown[];
  doc_string?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: { key?: string; value?: string }[];
  functions?: unknown[];
  training_info?: unknown[];
}

/** TensorProto.DataType values nnc reads or writes. */
export const DataType = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values nnc reads or writes. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

let modelType: protobuf.Type | null = null;

/** The ModelProto type, built once from the descriptor. */
function model(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType("onnx.ModelProto");
  return modelType;
}

/** Decodes a .onnx file's bytes; throws protobufjs's error (the caller names the file) on malformed input. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return model().decode(bytes) as unknown as ModelProto;
}

/** Encodes a ModelProto (plain objects are fine: protobufjs encodes by field, ignoring absent ones). */
export function encodeModel(message: ModelProto): Uint8Array {
  const type = model();
  const problem = type.verify(message as Record<string, unknown>);
  if (problem !== null) throw new Error(`internal: ONNX model does not verify: ${problem}`);
  return type.encode(type.fromObject(message as Record<string, unknown>)).finish();
}

/** An int64 field as a JS number (ONNX dims, attributes and versions all fit in 53 bits in practice). */
export function int64(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === "number" ? value : value.toNumber();
}
