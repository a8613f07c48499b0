// Small hand-made specs for the interpreter's tests.
import type { ActivationKind, Layer, LossKind, Optimizer, Schedule, Spec, StopCriterion, InitScheme } from "../../src/ir.js";

export type LayerSketch = [inputs: number, outputs: number, activation: ActivationKind, alpha?: number] | { dropout: number; size: number };

export interface SpecSketch {
  layers: LayerSketch[];
  loss: LossKind;
  optimizer?: Optimizer;
  learningRate?: number;
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  weightDecay?: number;
  schedule?: Schedule;
  stop?: StopCriterion[];
  init?: InitScheme;
  initSeed?: number;
  seed?: number;
  name?: string;
  hash?: string;
}

export function makeSpec(s: SpecSketch): Spec {
  const layers: Layer[] = s.layers.map((l) =>
    Array.isArray(l)
      ? { kind: "dense", inputs: l[0], outputs: l[1], activation: { kind: l[2], alpha: l[2] === "leaky_relu" ? (l[3] ?? 0.01) : 0 }, range: null }
      : { kind: "dropout", size: l.size, rate: l.dropout, range: null },
  );
  const dense = layers.filter((l) => l.kind === "dense");
  return {
    name: s.name ?? "test",
    fileName: "test.nn",
    sourceHash: s.hash ?? "abc123",
    inputs: dense[0]!.inputs,
    inputShape: [dense[0]!.inputs],
    outputs: dense[dense.length - 1]!.outputs,
    classes: null,
    layers,
    loss: { kind: s.loss, written: s.loss === "mse" ? "mse" : "crossentropy", range: null },
    init: { scheme: s.init ?? { kind: "xavier" }, seed: s.initSeed ?? 1, range: null },
    training: {
      optimizer: s.optimizer ?? { kind: "sgd" },
      learningRate: s.learningRate ?? 0.1,
      epochs: s.epochs ?? 1,
      batchSize: s.batchSize ?? 1,
      shuffle: s.shuffle ?? false,
      weightDecay: s.weightDecay ?? 0,
      schedule: s.schedule ?? { kind: "constant" },
      stop: s.stop ?? [],
      seed: s.seed ?? 1,
      range: null,
    },
    data: null,
    precision: "f64",
    variables: {},
    sweeps: [],
  };
}

export const f64 = (values: number[]): Float64Array => Float64Array.from(values);
