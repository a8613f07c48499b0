// `nnc export`'s model: a checked spec and its parameters → an ONNX ModelProto, opset 13, IR version 8.
// The graph takes the raw inputs `nnc predict` takes: the spec's data `scale` (Mul) and the normalisation
// saved with the weights (Sub offset, Div scale) are its first nodes, then one group of nodes per layer,
// written by the layer's rule (`onnx` in src/layers/<kind>/index.ts):
//
//   fc        → Gemm (B = W [outputs][inputs] with transB=1, C = bias) + the activation's node (Flatten first after conv/pool)
//   conv      → Conv (W [filters][channels][kh][kw], pads [py, px, py, px]) + the activation's node
//   maxpool   → MaxPool, avgpool → AveragePool (kernel_shape, strides, no pads)
//   flatten   → Flatten axis=1 (NCHW row-major = nnc's C-major order)
//   dropout   → Dropout with its ratio (the identity at inference; `nnc import` reads it back as a dropout layer)
//
// Tensors are float32 (what every ONNX runtime runs), or float64 with `float64` (bit-exact weights; in
// onnxruntime's CPU provider Conv, AveragePool and LeakyRelu have no double kernels). The spec's name,
// file, hash, normalisation kind and scale are in metadata_props, so an import of the file restores them.
import { basename } from "node:path";
import type { Activation, Spec } from "../ir.js";
import type { NormalizationStats } from "../data/normalize.js";
import { parameterLayoutOf } from "../layers/layout.js";
import { ruleOf } from "../layers/index.js";
import type { OnnxAttribute } from "../layers/types.js";
import { VERSION } from "../version.js";
import { float32Text } from "./spec-text.js";
import { AttributeType, DataType, encodeModel, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from "./proto.js";

export const EXPORT_OPSET = 13;
export const EXPORT_IR_VERSION = 8;

export interface ExportInput {
  spec: Spec;
  params: ArrayLike<number>;
  normalization: NormalizationStats;
  /** DOUBLE tensors instead of FLOAT. */
  float64?: boolean;
}

const ACTIVATION_OPS: Record<Activation["kind"], string | null> = {
  linear: null,
  relu: "Relu",
  leaky_relu: "LeakyRelu",
  sigmoid: "Sigmoid",
  tanh: "Tanh",
  softmax: "Softmax",
};

class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  current = "input";

  constructor(readonly dataType: number) {}

  tensor(name: string, dims: number[], values: ArrayLike<number>, dataType = this.dataType): string {
    const typed = dataType === DataType.DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
    this.initializers.push({ name, dims, data_type: dataType, raw_data: new Uint8Array(typed.buffer) });
    return name;
  }

  /** Appends a node reading the current value (and `extra` inputs), making `name` the current value. */
  node(op: string, name: string, extra: string[] = [], attribute: AttributeProto[] = []): void {
    this.nodes.push({ op_type: op, name, input: [this.current, ...extra], output: [name], attribute });
    this.current = name;
  }
}

const ints = (name: string, value: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: value });
const int = (name: string, value: number): AttributeProto => ({ name, type: AttributeType.INT, i: value });
const float = (name: string, value: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f: value });

/** A rule's attribute as the proto's. */
function attributeProto(a: OnnxAttribute): AttributeProto {
  if ("ints" in a) return ints(a.name, a.ints);
  return "int" in a ? int(a.name, a.int) : float(a.name, a.float);
}

function activationNode(b: GraphBuilder, a: Activation, prefix: string): void {
  const op = ACTIVATION_OPS[a.kind];
  if (op === null) return;
  // Softmax over the outputs: axis 1 of [batch, outputs] (the same under opset 11's and 13's semantics).
  const attributes = a.kind === "leaky_relu" ? [float("alpha", Number(float32Text(a.alpha)))] : a.kind === "softmax" ? [int("axis", 1)] : [];
  b.node(op, `${prefix}/${op}`, [], attributes);
}

export function buildOnnxModel(input: ExportInput): ModelProto {
  const { spec, params, normalization } = input;
  const dataType = input.float64 ? DataType.DOUBLE : DataType.FLOAT;
  const b = new GraphBuilder(dataType);
  let shape: number[] = [...spec.inputShape];
  const inputShape = [...shape];
  const scale = spec.data?.scale ?? 1;

  // The preprocessing nnc predict applies to raw input, in its order: × scale, then (x − offset) / scale.
  if (scale !== 1) b.node("Mul", "preprocess/Mul", [b.tensor("preprocess/data_scale", [], [scale])]);
  if (normalization.kind !== "none") {
    b.node("Sub", "preprocess/Sub", [b.tensor("preprocess/offset", shape, normalization.offset)]);
    if (normalization.kind !== "zero_mean") b.node("Div", "preprocess/Div", [b.tensor("preprocess/scale", shape, normalization.scale)]);
  }

  // Each layer's rule writes its nodes (src/layers/<kind>/index.ts `onnx`); the shapes follow the rules' outputShape.
  const layout = parameterLayoutOf(spec.layers);
  spec.layers.forEach((layer, index) => {
    const prefix = `layer${index + 1}`;
    const tensors = layout.byLayer[index]!;
    const rule = ruleOf(layer);
    rule.onnx(layer, {
      prefix,
      shape,
      parameter: (k, dims) => {
        const t = tensors[k]!;
        return b.tensor(
          `${prefix}.${t.name.slice(t.name.indexOf(".") + 1)}`,
          dims,
          Array.from({ length: t.size }, (_, i) => params[t.offset + i]!),
        );
      },
      constant: (suffix, dims, values, float32) => b.tensor(`${prefix}.${suffix}`, dims, values, float32 ? DataType.FLOAT : undefined),
      node: (op, extra = [], attributes = []) => b.node(op, `${prefix}/${op}`, extra, attributes.map(attributeProto)),
      activation: (a) => activationNode(b, a, prefix),
    });
    shape = [...rule.outputShape(layer, shape)];
  });
  // The graph's output is the last node's value, renamed "output" by an Identity (stable name for users).
  b.node("Identity", "output");

  const valueInfo = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensor_type: { elem_type: dataType, shape: { dim: dims.map((d) => (typeof d === "string" ? { dim_param: d } : { dim_value: d })) } } },
  });
  return {
    ir_version: EXPORT_IR_VERSION,
    opset_import: [{ domain: "", version: EXPORT_OPSET }],
    producer_name: "nnc",
    producer_version: VERSION,
    doc_string: `Exported by nnc ${VERSION} from ${basename(spec.fileName)} (sha256 ${spec.sourceHash}). Takes raw inputs, as nnc predict does: the data scale and the normalisation the weights were trained with are the first nodes.`,
    metadata_props: [
      { key: "nnc.model", value: spec.name },
      { key: "nnc.spec", value: basename(spec.fileName) },
      { key: "nnc.specHash", value: spec.sourceHash },
      { key: "nnc.normalize", value: normalization.kind },
      { key: "nnc.scale", value: String(scale) },
    ],
    graph: {
      name: spec.name,
      node: b.nodes,
      initializer: b.initializers,
      input: [valueInfo("input", ["batch", ...inputShape])],
      output: [valueInfo("output", ["batch", spec.outputs])],
    },
  };
}

export function exportOnnx(input: ExportInput): Uint8Array {
  return encodeModel(buildOnnxModel(input));
}
