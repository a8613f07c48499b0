// The typed IR of a .nn spec: what the front end (grammar → lower → validate) produces and what every
// later stage (plan, emit, reference interpreter, harness, trainer) reads. Plain JSON-serialisable data.
//
// Every node that came from the source keeps its `range`, so any later stage can point back at the
// exact token. Values that were left out of the spec are filled with documented defaults by `lower`
// (see docs/language.md); `range` of a defaulted node is the range of the statement that implied it,
// or null when nothing in the source implied it.

/** 1-based line and column, 0-based offsets; `end*` points at the last character (inclusive). */
export interface SourceRange {
  startOffset: number;
  endOffset: number;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export type ActivationKind = "linear" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "softmax";

export interface Activation {
  kind: ActivationKind;
  /** Negative-side slope; only meaningful for leaky_relu (default 0.01), 0 for the others. */
  alpha: number;
}

/** A fully connected layer: y = act(W x + b), W stored row-major [outputs][inputs]. */
export interface DenseLayer {
  kind: "dense";
  inputs: number;
  outputs: number;
  activation: Activation;
  range: SourceRange | null;
}

/** Inverted dropout: in training each unit is zeroed with probability `rate` and the survivors are scaled by 1/(1-rate); identity otherwise. */
export interface DropoutLayer {
  kind: "dropout";
  /** Units in and out (equal): the width of the layer before it. */
  size: number;
  rate: number;
  range: SourceRange | null;
}

/**
 * A 2-D convolution over a C×H×W input (PyTorch's Conv2d with groups 1 and dilation 1, cross-correlation as
 * PyTorch computes it): y[f][oy][ox] = act(b[f] + Σ_c Σ_ky Σ_kx W[f][c][ky][kx] · x[c][oy·sy + ky − py][ox·sx + kx − px]),
 * reading 0 outside the input. W stored [filters][channels][kh][kw], then b [filters] (PyTorch's order).
 * Output filters × OH × OW with OH = ⌊(H + 2·py − kh) / sy⌋ + 1 (OW alike).
 */
export interface ConvLayer {
  kind: "conv";
  /** The shape coming in, [channels, height, width]: the previous layer's output, or the spec's `input C×H×W`. */
  input: number[];
  filters: number;
  /** [rows, columns] of the window. */
  kernel: [number, number];
  /** [rows, columns] between windows. */
  stride: [number, number];
  /** Zeros added on each side [top and bottom, left and right] (symmetric, as PyTorch's padding=(py, px)). */
  padding: [number, number];
  activation: Activation;
  range: SourceRange | null;
}

/**
 * 2-D pooling over each channel of a C×H×W input, no padding (PyTorch's MaxPool2d / AvgPool2d with padding 0,
 * floor mode): y[c][oy][ox] = max (or mean) of x[c][oy·sy + ky][ox·sx + kx] over the window. Max pooling's
 * backward sends the gradient to the first maximum in row-major window order (the tie rule the interpreter and
 * the generated code share). No parameters.
 */
export interface PoolLayer<K extends "maxpool" | "avgpool" = "maxpool" | "avgpool"> {
  kind: K;
  /** The shape coming in, [channels, height, width]. */
  input: number[];
  kernel: [number, number];
  /** Defaults to the kernel (non-overlapping windows). */
  stride: [number, number];
  range: SourceRange | null;
}
export type MaxPoolLayer = PoolLayer<"maxpool">;
export type AvgPoolLayer = PoolLayer<"avgpool">;

/** Flattening C×H×W to C·H·W units, channel-major as PyTorch's flatten (the memory is already in that order: the identity). */
export interface FlattenLayer {
  kind: "flatten";
  /** The shape coming in. */
  input: number[];
  range: SourceRange | null;
}

export type Layer = DenseLayer | DropoutLayer | ConvLayer | MaxPoolLayer | AvgPoolLayer | FlattenLayer;

/**
 * mse: mean over the batch and over the outputs of (a − y)² (PyTorch's MSELoss / TF.js meanSquaredError).
 * quadratic: ½ Σ_k (a_k − y_k)², summed over the outputs, mean over the batch (the course's QuadraticLoss).
 * binary_crossentropy: −Σ_k [y_k log a_k + (1−y_k) log(1−a_k)], summed over outputs, mean over the batch (sigmoid outputs).
 * categorical_crossentropy: −Σ_k y_k log p_k, mean over the batch (softmax output).
 */
export type LossKind = "mse" | "quadratic" | "binary_crossentropy" | "categorical_crossentropy";

export interface Loss {
  kind: LossKind;
  /** What the spec said: `crossentropy` is resolved to binary or categorical by the output activation. */
  written: "mse" | "quadratic" | "crossentropy";
  range: SourceRange | null;
}

export type Optimizer =
  | { kind: "sgd" }
  | { kind: "momentum"; beta: number; nesterov: boolean }
  | { kind: "rmsprop"; rho: number; eps: number }
  | { kind: "adam"; beta1: number; beta2: number; eps: number };

/** The learning rate at a 0-based epoch e, from the base rate lr. */
export type Schedule =
  | { kind: "constant" }
  /** lr · factor^floor(e / every), never below `min`. */
  | { kind: "step"; factor: number; every: number; min: number }
  /** lr · gamma^e, never below `min`. */
  | { kind: "exponential"; gamma: number; min: number }
  /**
   * min + (lr − min) · (1 + cos(π · min(e, period) / period)) / 2. periodIsEpochs: the spec left period out, so it is
   * the epoch count, and a run's other epoch count (nnc train --epochs) moves it along (withEpochs).
   */
  | { kind: "cosine"; min: number; period: number; periodIsEpochs: boolean };

export type StopCriterion =
  /** Stop after the epoch whose mean training loss is below `value` (the course's "stop when loss < 0.1"). */
  | { kind: "loss_below"; value: number; range: SourceRange | null }
  /** Stop when training accuracy reaches at least `value` (0–1). */
  | { kind: "accuracy_above"; value: number; range: SourceRange | null }
  /** Early stopping: stop when `monitor` has not improved by more than `minDelta` for `patience` epochs; keep the best weights. */
  | {
      kind: "early";
      monitor: "val_loss" | "val_accuracy";
      patience: number;
      minDelta: number;
      range: SourceRange | null;
    };

export interface Training {
  optimizer: Optimizer;
  learningRate: number;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  /** L2 weight decay λ: adds λ·w to the gradient of every weight (not biases); 0 = off. */
  weightDecay: number;
  schedule: Schedule;
  stop: StopCriterion[];
  /** Seed of the batch-order shuffle and of dropout masks. */
  seed: number;
  range: SourceRange | null;
}

export type InitScheme =
  /** N(0, std²). */
  | { kind: "normal"; std: number }
  /** U(−limit, limit). */
  | { kind: "uniform"; limit: number }
  /** Glorot/Xavier uniform: U(±sqrt(6 / (fan_in + fan_out))). */
  | { kind: "xavier" }
  /** He/Kaiming normal: N(0, 2 / fan_in). */
  | { kind: "he" }
  /** LeCun normal: N(0, 1 / fan_in), drawn as randn / √fan_in (the course's letters lab). */
  | { kind: "lecun" }
  | { kind: "zeros" };

export interface Init {
  /** Applies to weights; biases always start at 0. */
  scheme: InitScheme;
  seed: number;
  /** `rng=numpy`: drawn from numpy's legacy RandomState seeded with `seed` (src/numpy-random.ts); absent: nnc's own generator. */
  rng?: "numpy";
  range: SourceRange | null;
}

export type BuiltinDataName = "planar" | "square" | "xor" | "circles" | "spiral" | "gauss";

export interface InlineRow {
  inputs: number[];
  /** Either one value per output, or (for several outputs) a single class index. */
  targets: number[];
  range: SourceRange | null;
}

/** Paths are as written in the spec, resolved later relative to the spec's folder. */
export type DataSource =
  /** planar: the "flower" set (options n=400, noise=0.2, petals=4, seed); square: y = x² (options n=1000, min=-2, max=2, seed). */
  | {
      kind: "builtin";
      name: BuiltinDataName;
      options: Record<string, number>;
      /** `rng=numpy` (planar): numpy's legacy RandomState, the course's load_planar_dataset; absent: nnc's own generator. */
      rng?: "numpy";
      range: SourceRange | null;
    }
  | { kind: "inline"; rows: InlineRow[]; range: SourceRange | null }
  /** Features file and labels file (.npy). */
  | { kind: "npy"; features: string; labels: string; range: SourceRange | null }
  /** One table; `label` names the label column (by header name or 0-based index). */
  | { kind: "csv"; path: string; label: string | number; header: boolean; range: SourceRange | null }
  /** IDX (MNIST family), optionally gzip-compressed. */
  | { kind: "idx"; images: string; labels: string; range: SourceRange | null };

export type Normalization = "none" | "zero_mean" | "min_max" | "z_score";

export interface Data {
  train: DataSource;
  /** A separate test set; when null and `split` > 0, the test set is split off the training data. */
  test: DataSource | null;
  /** Fraction of the training data held out as the test/validation set (0 = none). */
  split: number;
  splitSeed: number;
  normalize: Normalization;
  /** Multiply every feature by this before normalisation (e.g. 1/255 for pixels); 1 = off. */
  scale: number;
  range: SourceRange | null;
}

export type Precision = "f64" | "f32";

/** `sweep H = 1, 2, 3`: train one variant per value of a `let` variable (nnc sweep). */
export interface Sweep {
  variable: string;
  values: number[];
  range: SourceRange | null;
}

export interface Spec {
  /** A safe identifier-like name ([A-Za-z_][A-Za-z0-9_-]*): the module's file name and meta.name. */
  name: string;
  /** The spec file as given to the compiler (for headers and diagnostics). */
  fileName: string;
  /** Hex sha256 of the spec's source text. */
  sourceHash: string;
  /** Numbers per sample (the product of inputShape). */
  inputs: number;
  /** How a sample is read: [units] for a flat vector, [channels, height, width] for images (`input 1x28x28`). */
  inputShape: number[];
  outputs: number;
  /**
   * Names of the output classes, in output order (`classes male, female`, or the label strings of a CSV
   * data set); null when the spec names none (outputs are then "class 0", "class 1", …, or a regression).
   */
  classes: string[] | null;
  layers: Layer[];
  loss: Loss;
  init: Init;
  training: Training;
  data: Data | null;
  precision: Precision;
  /** Values of the spec's `let` variables after overrides (e.g. { H: 4 }); sizes above are already resolved. */
  variables: Record<string, number>;
  sweeps: Sweep[];
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** Stable code, e.g. "NN012". Tests assert code and position, not wording. */
  code: string;
  severity: Severity;
  message: string;
  /** Optional extra line, e.g. "did you mean `epochs`?". */
  hint?: string;
  fileName: string;
  range: SourceRange;
}
