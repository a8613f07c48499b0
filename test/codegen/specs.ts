// Hand-built Spec objects for code-generator tests (no parsing needed).
import type { Activation, DenseLayer, DropoutLayer, Layer, LossKind, Optimizer, Spec } from "../../src/ir.js";

export function dense(inputs: number, outputs: number, kind: Activation["kind"], alpha = kind === "leaky_relu" ? 0.01 : 0): Layer {
  return { kind: "dense", inputs, outputs, activation: { kind, alpha }, range: null };
}

export function dropout(size: number, rate: number): Layer {
  return { kind: "dropout", size, rate, range: null };
}

export function makeSpec(name: string, layers: Layer[], loss: LossKind, optimizer: Optimizer = { kind: "sgd" }, extra: Partial<Spec["training"]> = {}): Spec {
  const first = layers[0]!;
  const last = layers[layers.length - 1]!;
  return {
    name,
    fileName: `specs/${name}.nn`,
    sourceHash: "0".repeat(64),
    inputs: first.kind === "dropout" ? first.size : (first as DenseLayer).inputs,
    inputShape: [first.kind === "dropout" ? first.size : (first as DenseLayer).inputs],
    outputs: last.kind === "dense" ? last.outputs : (last as DropoutLayer).size,
    classes: null,
    layers,
    loss: { kind: loss, written: loss === "mse" ? "mse" : "crossentropy", range: null },
    init: { scheme: { kind: "xavier" }, seed: 1, range: null },
    training: {
      optimizer,
      learningRate: 0.5,
      epochs: 3,
      batchSize: 4,
      shuffle: true,
      weightDecay: 0,
      schedule: { kind: "constant" },
      stop: [],
      seed: 1,
      range: null,
      ...extra,
    },
    data: null,
    precision: "f64",
    variables: {},
    sweeps: [],
  };
}

/** The letters network: 289 → 20 sigmoid → 26 sigmoid, binary cross-entropy, SGD lr 1, batch 1024. */
export const lettersSpec = (): Spec =>
  makeSpec(
    "letters",
    [dense(289, 20, "sigmoid"), dense(20, 26, "sigmoid")],
    "binary_crossentropy",
    { kind: "sgd" },
    { learningRate: 1, epochs: 20, batchSize: 1024 },
  );
