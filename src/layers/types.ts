// The layer vocabulary every stage shares, with no imports of the stages themselves (so the rule interface,
// the plan's types and the emitters' context can all use it without import cycles): an IR layer node, a data
// shape, parameter tensors as a rule declares them and as the layout places them, the common part of a
// planned layer, and one layer's interpreter trace.
import type { Activation, Layer, SourceRange } from "../ir.js";
import type { TensorLayout } from "../module-api.js";
import type { InputGradientTarget, InputSource } from "../plan/base.js";

/** What every layer of the IR is (src/ir.ts Layer is the union of the kinds src/ names; tests add their own). */
export interface LayerNode {
  kind: string;
  range: SourceRange | null;
}

/** A layer's data shape: [units] for flat layers, [channels, height, width] for images (row-major, channel first). */
export type Shape = readonly number[];

/** Numbers in a shape. */
export function sizeOf(shape: Shape): number {
  return shape.reduce((product, n) => product * n, 1);
}

/** One parameter tensor of a layer, relative to the layer: the layout rule (src/layers/layout.ts places them). */
export interface TensorRule {
  /** "weight" or "bias": the tensor's name is layer<number>.<suffix>. */
  suffix: string;
  shape: number[];
  /** weight: drawn by the spec's initialiser with this fan-in and fan-out, and decayed by L2; bias: 0, no L2. */
  role: { kind: "weight"; fanIn: number; fanOut: number } | { kind: "bias" };
}

/** A tensor of the flat parameter vector as the layout placed it (TensorLayout is what the module's meta lists). */
export interface PlacedTensor extends TensorLayout {
  role: TensorRule["role"];
}

/** What every planned layer has, whatever its kind (the rest is the kind's own). */
export interface PlannedLayerBase {
  kind: string;
  /** 1-based position among all layers (names the scratch buffers: Z2, A2, …). */
  position: number;
  input: InputSource;
  gradientTarget: InputGradientTarget;
  /** The buffer of the layer's output, and of dL/d(output) (null when never written: the loss gives dL/dz). */
  a: string;
  ga: string | null;
  /** The buffers of the layer's pre-activations (null when it has none, or nothing reads them) and of dL/dz (null when it has no pre-activations). */
  z: string | null;
  dz: string | null;
  /** The layer's activation (meta.activations lists them), or null when it has none. */
  activation: Activation | null;
  /** The network one-liner's piece (the rule's describe). */
  summary: string;
}

/** One layer's trace of one sample in the interpreter (what its backward needs). */
export interface LayerTrace {
  /** The layer's input vector. */
  input: Float64Array;
  /** Pre-activations (layers with an activation), else null. */
  z: Float64Array | null;
  /** The layer's output. */
  output: Float64Array;
  /** Dropout in training mode: per unit 0 or 1/(1 − rate); null otherwise. */
  mask: Float64Array | null;
  /** Max pooling: per output, the input index its gradient goes to (the window's first maximum). */
  argmax?: Int32Array;
  /** Max pooling: per output, the maximum minus the window's runner-up (0 at a tie, where the max has a kink; Infinity for a one-tap window). */
  gaps?: Float64Array;
}

/** An ONNX attribute a rule's export writes: a list of whole numbers, one whole number, or a float. */
export type OnnxAttribute = { name: string; ints: number[] } | { name: string; int: number } | { name: string; float: number };

/**
 * What a layer rule's ONNX export writes one layer into (`nnc export`, src/onnx/write.ts implements it): nodes
 * applied in order to the current value, named `<prefix>/<op>`, and initializers named `<prefix>.<suffix>`.
 */
export interface OnnxSink {
  /** `layer3` for the third layer. */
  prefix: string;
  /** The per-sample shape coming in. */
  shape: Shape;
  /** The layer's parameter tensor `index` (its rule's tensors, in order) as an initializer of these dims; its name. */
  parameter(index: number, dims: number[]): string;
  /** A constant initializer (`float32`: always FLOAT, whatever the export's element type); its name. */
  constant(suffix: string, dims: number[], values: number[], float32?: boolean): string;
  /** A node reading the current value and `extra` inputs; it becomes the current value. */
  node(op: string, extra?: string[], attributes?: OnnxAttribute[]): void;
  /** The activation's node (none for linear). */
  activation(activation: Activation): void;
}
