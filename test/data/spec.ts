// A minimal Spec for data tests: only inputs (and their shape), outputs, loss and data matter to loadData.
import type { Data, DataSource, LossKind, Spec } from "../../src/ir.js";

export function specWith(inputs: number, outputs: number, loss: LossKind, train: DataSource, data: Partial<Data> = {}): Spec {
  return {
    name: "t",
    fileName: "t.nn",
    sourceHash: "0",
    inputs,
    inputShape: [inputs],
    outputs,
    classes: null,
    layers: [],
    loss: { kind: loss, written: loss === "mse" ? "mse" : "crossentropy", range: null },
    init: { scheme: { kind: "zeros" }, seed: 0, range: null },
    training: {
      optimizer: { kind: "sgd" },
      learningRate: 0.1,
      epochs: 1,
      batchSize: 1,
      shuffle: false,
      weightDecay: 0,
      schedule: { kind: "constant" },
      stop: [],
      seed: 0,
      range: null,
    },
    data: { train, test: null, split: 0, splitSeed: 0, normalize: "none", scale: 1, range: null, ...data },
    precision: "f64",
    variables: {},
    sweeps: [],
  };
}

export const range = (line: number, column: number) => ({
  startOffset: 0,
  endOffset: 0,
  startLine: line,
  startColumn: column,
  endLine: line,
  endColumn: column,
});

/** The same for an image input [C, H, W] (`input 1x28x28`): inputs is the product. */
export function imageSpecWith(inputShape: number[], outputs: number, loss: LossKind, train: DataSource, data: Partial<Data> = {}): Spec {
  return {
    ...specWith(
      inputShape.reduce((a, b) => a * b, 1),
      outputs,
      loss,
      train,
      data,
    ),
    inputShape,
  };
}
