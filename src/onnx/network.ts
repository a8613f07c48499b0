// What `nnc import` makes of an ONNX graph before writing any text: nnc's layers with their weights in
// nnc's parameter order, the preprocessing found in front of the first layer, and notes for the spec's
// header comment. map.ts builds it; spec-text.ts turns it into NAME.nn and the flat parameter vector.
import { windowCount } from "../layers/window.js";
import type { Activation, Normalization } from "../ir.js";

export type ImportedLayer =
  /** weight [outputs][inputs] row-major (PyTorch's Linear and Gemm transB=1 order), bias [outputs]. */
  | { kind: "fc"; inputs: number; outputs: number; activation: Activation; weight: Float64Array; bias: Float64Array; nodes: string[] }
  /** weight [filters][channels][kh][kw] (ONNX Conv's W, PyTorch's order), bias [filters]. */
  | {
      kind: "conv";
      input: [number, number, number];
      filters: number;
      kernel: [number, number];
      stride: [number, number];
      padding: [number, number];
      activation: Activation;
      weight: Float64Array;
      bias: Float64Array;
      nodes: string[];
    }
  | { kind: "maxpool" | "avgpool"; input: [number, number, number]; kernel: [number, number]; stride: [number, number]; nodes: string[] }
  | { kind: "flatten"; input: [number, number, number]; nodes: string[] }
  | { kind: "dropout"; size: number; rate: number; nodes: string[] };

/** x' = (x − offset) / scale per input number, as nnc's normalisation (src/data/normalize.ts). */
export interface Preprocessing {
  kind: Exclude<Normalization, "none">;
  offset: Float64Array;
  scale: Float64Array;
  nodes: string[];
}

export interface ImportedNetwork {
  /** Per sample: [units] or [channels, height, width]. */
  inputShape: number[];
  layers: ImportedLayer[];
  preprocessing: Preprocessing | null;
  /** Lines for the spec's comment: folded BatchNormalization, dropped Identity/Dropout, … */
  notes: string[];
}

/** The per-sample shape after a layer. */
export function outputShapeOf(layer: ImportedLayer, shape: number[]): number[] {
  switch (layer.kind) {
    case "fc":
      return [layer.outputs];
    case "conv": {
      const [, h, w] = layer.input;
      return [layer.filters, windows(h, layer.kernel[0], layer.stride[0], layer.padding[0]), windows(w, layer.kernel[1], layer.stride[1], layer.padding[1])];
    }
    case "maxpool":
    case "avgpool": {
      const [c, h, w] = layer.input;
      return [c, windows(h, layer.kernel[0], layer.stride[0], 0), windows(w, layer.kernel[1], layer.stride[1], 0)];
    }
    case "flatten":
      return [layer.input[0] * layer.input[1] * layer.input[2]];
    case "dropout":
      return shape;
  }
}

/** Output positions of a window sliding over n positions (floor mode, as ONNX with ceil_mode 0): the image layers' own count. */
const windows = windowCount;
