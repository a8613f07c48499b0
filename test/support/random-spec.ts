// A seeded generator of random VALID Spec objects for differential tests: random depth (1–4 dense layers),
// sizes 1–40, every activation (softmax only on the output), every loss that fits the output, every
// optimiser, schedule and initialiser, with and without dropout and L2, mostly f64 with some f32.
// Specs are built directly (no parsing), with data: null.
import type { Activation, ActivationKind, Layer, LossKind, Optimizer, Precision, Schedule, Spec, StopCriterion, InitScheme } from "../../src/ir.js";
import { createRng, type Rng } from "../../src/prng.js";

export interface RandomSpecOptions {
  /** Force a precision (default: f64, f32 for about one spec in seven). */
  precision?: Precision;
  /** Largest layer width (default 40). */
  maxSize?: number;
  /** Largest number of dense layers (default 4). */
  maxDepth?: number;
  /** Force a loss. */
  loss?: LossKind;
  /** Allow dropout layers (default true). */
  dropout?: boolean;
  /** Allow stop criteria (default true). */
  stop?: boolean;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.uniform() * items.length)]!;
}
function integer(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.uniform() * (max - min + 1));
}
function between(rng: Rng, min: number, max: number): number {
  return min + rng.uniform() * (max - min);
}
function chance(rng: Rng, p: number): boolean {
  return rng.uniform() < p;
}

const HIDDEN: ActivationKind[] = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"];

function activation(rng: Rng, kind: ActivationKind): Activation {
  return { kind, alpha: kind === "leaky_relu" ? pick(rng, [0.01, 0.1, between(rng, 0.01, 0.3)]) : 0 };
}

function randomOptimizer(rng: Rng): Optimizer {
  switch (pick(rng, ["sgd", "momentum", "rmsprop", "adam"] as const)) {
    case "sgd":
      return { kind: "sgd" };
    case "momentum":
      return { kind: "momentum", beta: between(rng, 0.5, 0.95), nesterov: chance(rng, 0.5) };
    case "rmsprop":
      return { kind: "rmsprop", rho: between(rng, 0.8, 0.99), eps: pick(rng, [1e-8, 1e-6]) };
    case "adam":
      return { kind: "adam", beta1: between(rng, 0.8, 0.95), beta2: pick(rng, [0.999, between(rng, 0.9, 0.999)]), eps: pick(rng, [1e-8, 1e-7]) };
  }
}

function randomSchedule(rng: Rng): Schedule {
  switch (pick(rng, ["constant", "step", "exponential", "cosine"] as const)) {
    case "constant":
      return { kind: "constant" };
    case "step":
      return { kind: "step", factor: between(rng, 0.3, 0.9), every: integer(rng, 1, 3), min: pick(rng, [0, 1e-4]) };
    case "exponential":
      return { kind: "exponential", gamma: between(rng, 0.7, 0.99), min: pick(rng, [0, 1e-4]) };
    case "cosine":
      return { kind: "cosine", min: pick(rng, [0, 1e-4]), period: integer(rng, 1, 5), periodIsEpochs: false };
  }
}

function randomInit(rng: Rng): InitScheme {
  switch (pick(rng, ["normal", "uniform", "xavier", "he", "zeros"] as const)) {
    case "normal":
      return { kind: "normal", std: between(rng, 0.01, 1) };
    case "uniform":
      return { kind: "uniform", limit: between(rng, 0.01, 1) };
    case "xavier":
      return { kind: "xavier" };
    case "he":
      return { kind: "he" };
    case "zeros":
      return { kind: "zeros" };
  }
}

function randomStop(rng: Rng): StopCriterion[] {
  const stop: StopCriterion[] = [];
  if (chance(rng, 0.15)) stop.push({ kind: "loss_below", value: between(rng, 0.01, 0.5), range: null });
  if (chance(rng, 0.1)) stop.push({ kind: "accuracy_above", value: between(rng, 0.5, 1), range: null });
  if (chance(rng, 0.15)) {
    stop.push({
      kind: "early",
      monitor: pick(rng, ["val_loss", "val_accuracy"] as const),
      patience: integer(rng, 0, 2),
      minDelta: pick(rng, [0, 1e-3]),
      range: null,
    });
  }
  return stop;
}

/** A random valid spec, the same for the same seed. */
export function randomSpec(seed: number, options: RandomSpecOptions = {}): Spec {
  const rng = createRng(seed);
  const maxSize = options.maxSize ?? 40;
  const depth = integer(rng, 1, options.maxDepth ?? 4);
  const sizes = Array.from({ length: depth + 1 }, () => integer(rng, 1, maxSize));

  const loss: LossKind = options.loss ?? pick(rng, ["mse", "binary_crossentropy", "categorical_crossentropy"] as const);
  if (loss === "categorical_crossentropy" && sizes[depth]! < 2) sizes[depth] = integer(rng, 2, Math.max(2, maxSize));
  let output: ActivationKind;
  if (loss === "binary_crossentropy") output = "sigmoid";
  else if (loss === "categorical_crossentropy") output = "softmax";
  else output = pick(rng, sizes[depth]! >= 2 ? [...HIDDEN, "softmax"] : HIDDEN);

  const layers: Layer[] = [];
  for (let l = 0; l < depth; l++) {
    const last = l === depth - 1;
    layers.push({ kind: "dense", inputs: sizes[l]!, outputs: sizes[l + 1]!, activation: activation(rng, last ? output : pick(rng, HIDDEN)), range: null });
    if (!last && options.dropout !== false && chance(rng, 0.25)) {
      layers.push({ kind: "dropout", size: sizes[l + 1]!, rate: between(rng, 0.05, 0.5), range: null });
    }
  }

  const optimizer = randomOptimizer(rng);
  const adaptive = optimizer.kind === "adam" || optimizer.kind === "rmsprop";
  const hash = Array.from({ length: 8 }, () =>
    Math.floor(rng.uniform() * 2 ** 32)
      .toString(16)
      .padStart(8, "0"),
  ).join("");
  const precision: Precision = options.precision ?? (chance(rng, 1 / 7) ? "f32" : "f64");
  return {
    name: `random_${seed}`,
    fileName: `random_${seed}.nn`,
    sourceHash: hash,
    inputs: sizes[0]!,
    inputShape: [sizes[0]!],
    outputs: sizes[depth]!,
    classes: null,
    layers,
    loss: { kind: loss, written: loss === "mse" ? "mse" : "crossentropy", range: null },
    init: { scheme: randomInit(rng), seed: integer(rng, 0, 1000), range: null },
    training: {
      optimizer,
      learningRate: adaptive ? between(rng, 0.001, 0.02) : between(rng, 0.005, 0.2),
      epochs: integer(rng, 2, 3),
      batchSize: integer(rng, 1, 8),
      shuffle: chance(rng, 0.5),
      weightDecay: chance(rng, 0.5) ? 0 : between(rng, 1e-4, 1e-2),
      schedule: randomSchedule(rng),
      stop: options.stop === false ? [] : randomStop(rng),
      seed: integer(rng, 0, 2 ** 31),
      range: null,
    },
    data: null,
    precision,
    variables: {},
    sweeps: [],
  };
}
