// What each statement accepts: its kind words and its options with type, range and default. One table read
// by lower.ts (defaults), validate.ts (unknown options, types, ranges) and the docs test (docs/language.md
// must list every option). Changing a default here changes the language: update docs/language.md too.

import { layerWords } from "../layers/index.js";

export type { NumberRange, OptionSpec, OptionTable, OptionType } from "./option-types.js";
import type { NumberRange, OptionSpec, OptionTable } from "./option-types.js";

// Seeds are 32-bit: the generators take `seed >>> 0`, so 2^32 would silently be seed 0 and 1e300 another seed.
const seed: OptionSpec = { type: "integer", min: 0, max: 4294967295, default: 1, doc: "seed of the pseudo-random generator (0 to 2^32 − 1)" };
/** Which generator draws: nnc's own (src/prng.ts) or numpy's legacy RandomState (src/numpy-random.ts). */
const rng: OptionSpec = {
  type: "name",
  words: ["nnc", "numpy"],
  default: "nnc",
  doc: "generator: nnc's own, or numpy's legacy RandomState (`np.random.seed(seed)`, then `rand`/`randn`)",
};

/** Options every optimiser statement takes. */
export const trainingOptions: OptionTable = {
  lr: { type: "number", min: 0, minExclusive: true, default: 0.01, doc: "learning rate (adam: 0.001)" },
  // A bound, so `epochs=1e300` (a training loop that never ends) is a range error, not accepted.
  epochs: { type: "integer", min: 1, max: 1e9, default: 10, doc: "passes over the training data (at most 10^9)" },
  batch: { type: "integer", min: 1, default: 32, doc: "samples per gradient step" },
  shuffle: { type: "flag", default: false, doc: "reshuffle the training data every epoch" },
  l2: { type: "number", min: 0, default: 0, doc: "L2 weight decay λ (adds λ·w to each weight's gradient; biases exempt)" },
  seed: { ...seed, doc: "seed of the shuffle and of dropout masks" },
};

const beta: OptionSpec = { type: "number", min: 0, max: 1, maxExclusive: true, default: 0.9, doc: "" };
const eps: OptionSpec = { type: "number", min: 0, minExclusive: true, default: 1e-8, doc: "added to the denominator" };

/** Optimiser keyword → its own options (on top of trainingOptions). */
export const optimizerOptions: Readonly<Record<"sgd" | "momentum" | "rmsprop" | "adam", OptionTable>> = {
  sgd: {},
  momentum: {
    beta: { ...beta, doc: "velocity decay" },
    nesterov: { type: "flag", default: false, doc: "Nesterov look-ahead" },
  },
  rmsprop: {
    rho: { ...beta, doc: "decay of the squared-gradient average" },
    eps,
  },
  adam: {
    beta1: { ...beta, doc: "decay of the first-moment average" },
    beta2: { ...beta, default: 0.999, doc: "decay of the second-moment average" },
    eps,
  },
};

/** Default learning rate per optimiser (adam's conventional 0.001; 0.01 for the others). */
export const defaultLearningRate: Readonly<Record<keyof typeof optimizerOptions, number>> = {
  sgd: 0.01,
  momentum: 0.01,
  rmsprop: 0.01,
  adam: 0.001,
};

const floor: OptionSpec = { type: "number", min: 0, default: 0, doc: "the learning rate never goes below this" };

/** For each statement with a kind word (`layer fc`, `init normal`, …): kind → options. */
export const kindOptions: Readonly<Record<string, Readonly<Record<string, OptionTable>>>> = {
  // `layer WORD`: each layer kind's rule holds its word and options (src/layers/<kind>/index.ts).
  layer: layerWords(),
  loss: { mse: {}, quadratic: {}, crossentropy: {} },
  schedule: {
    constant: {},
    step: {
      factor: { type: "number", min: 0, minExclusive: true, default: 0.5, doc: "multiplier applied every `every` epochs" },
      every: { type: "integer", min: 1, default: 10, doc: "epochs between steps" },
      min: floor,
    },
    exponential: {
      gamma: { type: "number", min: 0, minExclusive: true, default: 0.95, doc: "multiplier per epoch" },
      min: floor,
    },
    cosine: {
      min: floor,
      period: { type: "integer", min: 1, default: null, doc: "epochs of one half cosine (default: the epoch count, nnc train --epochs included)" },
    },
  },
  init: {
    normal: { std: { type: "number", min: 0, minExclusive: true, default: 0.01, doc: "standard deviation" }, seed, rng },
    uniform: { limit: { type: "number", min: 0, minExclusive: true, default: 0.05, doc: "weights in (−limit, limit)" }, seed, rng },
    xavier: { seed, rng },
    he: { seed, rng },
    lecun: { seed, rng },
    zeros: { seed },
  },
  data: {
    planar: {
      n: { type: "integer", min: 1, default: 400, doc: "points" },
      noise: { type: "number", min: 0, default: 0.2, doc: "noise amplitude" },
      petals: { type: "integer", min: 1, default: 4, doc: "petals of the flower" },
      seed,
      rng,
    },
    square: {
      n: { type: "integer", min: 1, default: 1000, doc: "points" },
      min: { type: "number", default: -2, doc: "smallest x" },
      max: { type: "number", default: 2, doc: "largest x" },
      seed,
    },
    xor: {
      n: { type: "integer", min: 2, default: 400, doc: "points" },
      noise: { type: "number", min: 0, default: 0, doc: "Gaussian noise on each coordinate" },
      seed,
    },
    circles: {
      n: { type: "integer", min: 2, default: 400, doc: "points" },
      noise: { type: "number", min: 0, default: 0.1, doc: "Gaussian noise on each coordinate" },
      factor: { type: "number", min: 0, default: 0.5, doc: "inner ring's radius (the outer ring's is 1)" },
      seed,
    },
    spiral: {
      n: { type: "integer", min: 2, default: 400, doc: "points" },
      noise: { type: "number", min: 0, default: 0.1, doc: "Gaussian noise on each coordinate" },
      turns: { type: "number", min: 0, minExclusive: true, default: 1.5, doc: "turns of each arm" },
      seed,
    },
    gauss: {
      n: { type: "integer", min: 2, default: 400, doc: "points" },
      spread: { type: "number", min: 0, default: 0.5, doc: "standard deviation of each blob" },
      distance: { type: "number", min: 0, default: 2, doc: "distance between the blobs' centres along the diagonal" },
      seed,
    },
    npy: { labels: { type: "string", default: null, required: true, doc: "labels file (.npy)" } },
    csv: {
      label: { type: "name_or_integer", default: null, required: true, doc: "label column: header name or 0-based index" },
      header: { type: "flag", default: true, doc: "the first row names the columns" },
    },
    idx: { labels: { type: "string", default: null, required: true, doc: "labels file (IDX, optionally .gz)" } },
    inline: {},
  },
  normalize: { "zero-mean": {}, "min-max": {}, "z-score": {}, none: {} },
  precision: { f64: {}, f32: {} },
  stop: {
    loss: {},
    accuracy: {},
    early: {
      monitor: { type: "name", words: ["val_loss", "val_accuracy"], default: "val_loss", doc: "validation metric to watch" },
      patience: { type: "integer", min: 1, default: 5, doc: "epochs without improvement before stopping" },
      min_delta: { type: "number", min: 0, default: 0, doc: "smallest change that counts as an improvement" },
    },
  },
};

/** Options of `data` (every kind) beyond kindOptions.data[kind]. `test` statements do not take these. */
export const dataOnlyOptions: OptionTable = {
  scale: { type: "number", min: 0, minExclusive: true, default: 1, doc: "multiply every feature by this before normalisation (train and test)" },
};

export const splitOptions: OptionTable = { seed: { ...seed, doc: "seed of the hold-out shuffle" } };

/** Data kinds whose statement takes a quoted path. */
export const pathKinds: readonly string[] = ["npy", "csv", "idx"];

/** Activation words after `layer fc IN->OUT`. */
export const activationWords: readonly string[] = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"];
export const defaultLeakyAlpha = 0.01;

/** "> 0", "in [0, 1)", "≥ 1": the range in words, for messages and docs. */
export function describeRange(r: NumberRange): string {
  const lo = r.min !== undefined ? `${r.minExclusive ? "(" : "["}${r.min}` : null;
  const hi = r.max !== undefined ? `${r.max}${r.maxExclusive ? ")" : "]"}` : null;
  if (lo && hi) return `in ${lo}, ${hi}`;
  if (lo) return `${r.minExclusive ? ">" : "≥"} ${r.min}`;
  if (hi) return `${r.maxExclusive ? "<" : "≤"} ${r.max}`;
  return "any number";
}

export function inRange(value: number, r: NumberRange): boolean {
  if (r.min !== undefined && (r.minExclusive ? !(value > r.min) : !(value >= r.min))) return false;
  if (r.max !== undefined && (r.maxExclusive ? !(value < r.max) : !(value <= r.max))) return false;
  return true;
}
