// The contract of a generated module, as the harness, checker, trainer and bench see it once loaded.
// The code generator emits exactly these exports (with literal sizes and the spec's precision), and the
// reference interpreter (src/interpreter/) implements the same operations generically for any Spec, with
// the same semantics, so the two can be compared number for number.
//
// Semantics both must follow:
// - Arguments (generated modules; src/emit/checks.ts): every exported function checks its arguments once
//   at its entry and throws a TypeError (wrong kind) or RangeError (wrong size or value) naming the
//   function and the argument: arrays hold at least what the call reads, counts are whole numbers ≥ 1 no
//   larger than the arrays, seeds integers in 0…2^32 − 1, epochs integers in 0…10^9 (docs/module.md,
//   "Checked arguments"). The interpreter does not check; callers that compare the two pass valid calls.
// - Parameters: one flat array. Layout: for each dense layer in order, its weights [outputs][inputs]
//   row-major, then its biases [outputs]. Dropout layers have none. `meta.layout` lists every tensor.
// - Preprocessing: predict, createPredictor, evaluate and classify take raw inputs: x · data scale, then
//   (x − offset[j]) / scale[j] with the statistics stored after the trainable parameters (meta.preprocessing).
//   lossAndGradient, step and train take network inputs (what preprocess returns).
// - Data: xs is row-major count × inputs, ys row-major count × outputs (dense targets: one-hot for
//   classes). f64 modules take Float64Array, f32 modules Float32Array (params, xs, ys, grad, outputs).
// - lossAndGradient: mean loss over the `count` samples (see LOSSES in src/maths.ts); `grad` is
//   overwritten with dLoss/dparams, L2 NOT included (the optimiser step adds it). With options.training
//   and dropout layers, masks are drawn from createRng(options.dropoutSeed ?? 0), fresh per call, one
//   uniform per unit in order sample, dropout layer, unit (keep when uniform ≥ rate, scale 1/(1 − rate)).
//   options.inputGradient (count × inputs) receives dLoss/dxs when given.
// - Batch order: epoch e (0-based) visits the samples in the order of a Fisher–Yates shuffle of 0..n−1
//   (shuffleIndices in src/prng.ts) drawn from createRng(epochSeed(training.seed, e)) when shuffle is on,
//   else 0..n−1; batches are consecutive runs of batchSize (the last may be shorter). Stateless per
//   epoch, so a resumed run sees the same order. Dropout seed of batch b in epoch e:
//   batchSeed(training.seed, e, b).
// - step(params, grad, state, epoch): adds L2 to the weights' gradients (grad is modified), increments
//   state.t, then applies the optimiser with learningRate(epoch).
// - train: for each epoch, for each batch: lossAndGradient (training mode), step. At the end of every
//   `evaluateEvery`-th epoch (and the last), metrics are computed in eval mode on the whole training set
//   (and the test set when given); stop criteria are checked on them. A non-finite loss stops training
//   with stoppedBy "non_finite", restores the parameters of the last epoch that ended with every parameter
//   finite and reports that epoch count (report.epochs: the weights kept are exactly those of a run told
//   to stop after report.epochs epochs, whether the fault showed in a batch or in an evaluation). Early
//   stopping restores the best parameters; its state (best value, best epoch, wait count, best parameters)
//   lives in options.earlyStopping when given, updated in place, so a checkpoint can save it and a
//   resumed run continue it.
// - accuracy: argmax over outputs when outputs > 1; output ≥ 0.5 vs target ≥ 0.5 for one sigmoid output;
//   null for a single non-sigmoid output (regression).

export type Vector = Float64Array | Float32Array;

/**
 * What createPredictor returns: (x, out?) => the output for one sample. Typed through a method so its
 * parameters are checked bivariantly, as the interface's methods are: a module's own (x: Float64Array) =>
 * … then conforms, as its predict(params: Float64Array, …) does.
 */
export type Predictor = { predict(x: Vector, out?: Vector): Vector }["predict"];

export interface TensorLayout {
  /** "layer1.weight", "layer1.bias", … (1-based dense-layer numbers, dropout layers not counted). */
  name: string;
  offset: number;
  /** [outputs, inputs] for weights, [outputs] for biases. */
  shape: readonly number[];
  size: number;
}

/** The preprocessing of raw inputs (src/network-identity.ts): data scale, then per-input normalisation. */
export interface PreprocessingMeta {
  /** The spec's data `scale` (1 = none), applied first. */
  scale: number;
  /** x' = (x − offset[j]) / scale[j] per input; the statistics live in the parameter vector. */
  normalize: "none" | "zero_mean" | "min_max" | "z_score";
  /** Index of offset[inputs], then scale[inputs], in the parameter vector: the trainable parameter count. */
  offset: number;
  /** 2 · inputs when the spec normalises, else 0. */
  size: number;
}

/** A normalisation's statistics as weights files hold them (src/data/normalize.ts's NormalizationStats). */
export interface NormalizationJson {
  kind: "none" | "zero_mean" | "min_max" | "z_score";
  offset: number[];
  scale: number[];
}

export interface ModuleMeta {
  name: string;
  specHash: string;
  /** sha256 of what the parameters mean (src/network-identity.ts): weights load when it matches. */
  networkHash: string;
  inputs: number;
  outputs: number;
  /** Trainable parameters (gradient and optimiser length); the vector is this plus preprocessing.size. */
  parameters: number;
  preprocessing: PreprocessingMeta;
  /** Names of the output classes, in output order; null when the spec names none. */
  classes: readonly string[] | null;
  precision: "f64" | "f32";
  loss: string;
  optimizer: string;
  layout: readonly TensorLayout[];
  /** Activation of each dense layer, e.g. ["tanh", "sigmoid"]. */
  activations: readonly string[];
  training: {
    learningRate: number;
    epochs: number;
    batchSize: number;
    shuffle: boolean;
    seed: number;
  };
}

export interface OptimizerState {
  /** Steps taken so far (Adam's bias correction uses it). */
  t: number;
  /** Per-parameter state arrays by slot name (momentum "v", rmsprop "s", adam "m" and "v"). */
  slots: Record<string, Vector>;
}

export interface EpochMetrics {
  /** 0-based epoch just completed. */
  epoch: number;
  learningRate: number;
  loss: number;
  accuracy: number | null;
  testLoss?: number;
  testAccuracy?: number | null;
}

/** Where `stop early` stands: train() updates it in place after every evaluated epoch. */
export interface EarlyStoppingState {
  /** 0-based epoch of the best monitored value so far; -1 before the first evaluation. */
  bestEpoch: number;
  /** The best monitored value (meaningless while bestEpoch is -1). */
  bestValue: number;
  /** Evaluations since bestEpoch without an improvement (stops at patience). */
  waited: number;
  /** The parameters at the end of bestEpoch (restored when early stopping fires); length = parameters. */
  best: Vector;
}

export interface TrainOptions {
  /** Overrides the spec's epoch count. */
  epochs?: number;
  /** Resume: first epoch to run (0-based) and the optimiser state saved with it. */
  startEpoch?: number;
  optimizer?: OptimizerState;
  /** Resume: the early-stopping state saved with it (ignored by specs without `stop early`). */
  earlyStopping?: EarlyStoppingState;
  test?: { xs: Vector; ys: Vector; count: number };
  /** Compute metrics and check stop criteria every N epochs (default 1); the last epoch always. */
  evaluateEvery?: number;
  /** Called after each evaluated epoch; returning false stops training ("callback"). */
  onEpoch?: (metrics: EpochMetrics) => boolean | void;
  /** Called after each batch with its (training-mode) loss. */
  onBatch?: (epoch: number, batch: number, batches: number, loss: number) => void;
  /** Polled after each batch; true stops training after that batch ("interrupted"). */
  shouldStop?: () => boolean;
}

export type StopReason = "epochs" | "loss_below" | "accuracy_above" | "early" | "interrupted" | "callback" | "non_finite";

export interface TrainingReport {
  /** Epochs completed (including any before startEpoch). */
  epochs: number;
  stoppedBy: StopReason;
  history: EpochMetrics[];
  /** Epoch whose parameters were kept by early stopping. */
  bestEpoch?: number;
  optimizer: OptimizerState;
}

export interface WeightsJson {
  format: "nnc-weights";
  version: 1;
  model: string;
  /** The spec text's hash, for provenance only (not checked). */
  specHash: string;
  /** What the values mean (checked with the layout); absent in files written before it existed. */
  networkHash: string;
  precision: "f64" | "f32";
  /** The trainable values' count (the normalisation is in `normalization`, not in `values`). */
  parameters: number;
  layout: TensorLayout[];
  values: number[];
  /** The input normalisation (kind "none": offset 0, scale 1). */
  normalization: NormalizationJson;
  /** The spec's data scale the network was trained with (absent in older files). */
  dataScale?: number;
}

/** What classify returns: the most probable class, its name (meta.classes, else "class <index>") and probability. */
export interface Classification {
  index: number;
  name: string;
  probability: number;
}

/** What trainParallel and serveTrainingWorker talk through (a Node Worker or parentPort, a page's Worker or `self`). */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  on?(type: "message" | "error", listener: (data: unknown) => void): unknown;
  off?(type: "message" | "error", listener: (data: unknown) => void): unknown;
  addEventListener?(type: "message" | "error", listener: (event: { data?: unknown; message?: unknown }) => void): void;
  removeEventListener?(type: "message" | "error", listener: (event: { data?: unknown; message?: unknown }) => void): void;
  start?(): void;
}

/** What `import()` of a generated module gives. */
export interface GeneratedModule {
  meta: ModuleMeta;
  /** nnc's seeded PRNG (src/prng.ts, pasted): a seed from 0 to 2^32 − 1 means the same numbers everywhere. */
  createRng(seed: number): { uniform(): number; gaussian(): number };
  /** Trainable parameters from the init, followed by identity preprocessing statistics (offset 0, scale 1). */
  createParameters(seed?: number): Vector;
  /** Raw rows → the preprocessing statistics, written into params (exactly src/data/normalize.ts's fitNormalization). */
  fitPreprocessing(params: Vector, xs: Vector, count: number): void;
  /** Raw rows → network inputs (data scale, then the statistics in params). */
  preprocess(params: Vector, xs: Vector, count: number, out?: Vector): Vector;
  /** One raw sample (preprocessed inside). */
  predict(params: Vector, x: Vector, out?: Vector): Vector;
  /** Classifiers only (softmax outputs, or one sigmoid output): the class of one raw sample. */
  classify?(params: Vector, x: Vector): Classification;
  /** A predict over a snapshot of params (copied once; wasm modules keep it in kernel memory). Optional: older modules lack it. */
  createPredictor?(params: Vector): Predictor;
  /** count raw rows → their outputs (count × outputs), in evaluation mode, batched (the kernels when loaded). Optional: older modules lack it. */
  predictBatch?(params: Vector, xs: Vector, count: number, out?: Vector): Vector;
  /** predictBatch over network inputs (what preprocess returns): modules that preprocess only. */
  predictBatchInputs?(params: Vector, xs: Vector, count: number, out?: Vector): Vector;
  lossAndGradient(
    params: Vector,
    xs: Vector,
    ys: Vector,
    count: number,
    grad: Vector,
    options?: { training?: boolean; dropoutSeed?: number; inputGradient?: Vector },
  ): number;
  /** Over raw rows. */
  evaluate(params: Vector, xs: Vector, ys: Vector, count: number): { loss: number; accuracy: number | null };
  /** Over network inputs (what preprocess returns; train() uses it); only modules that preprocess have it, elsewhere evaluate is the same. */
  evaluateInputs?(params: Vector, xs: Vector, ys: Vector, count: number): { loss: number; accuracy: number | null };
  createOptimizer(): OptimizerState;
  learningRate(epoch: number): number;
  step(params: Vector, grad: Vector, state: OptimizerState, epoch: number): void;
  train(params: Vector, xs: Vector, ys: Vector, count: number, options?: TrainOptions): TrainingReport;
  /**
   * train() over worker threads, each running this module's serveTrainingWorker: bit-identical parameters for any number
   * of workers (fixed slices of PARALLEL_SLICE samples, summed in slice order). Optional: older modules lack it.
   */
  trainParallel?(
    params: Vector,
    xs: Vector,
    ys: Vector,
    count: number,
    workers: readonly MessageEndpoint[],
    options?: TrainOptions & { signal?: { readonly aborted: boolean }; yieldEveryMs?: number },
  ): Promise<TrainingReport>;
  /** A worker's side of trainParallel. */
  serveTrainingWorker?(port: MessageEndpoint): void;
  /** trainParallel's slice size (fixed by the spec's batch size). */
  PARALLEL_SLICE?: number;
  saveWeights(params: Vector): WeightsJson;
  loadWeights(json: unknown): Vector;
}

/** Seed of epoch e's shuffle. Both the interpreter and the generated module use exactly this mixing. */
export const EPOCH_SEED_SOURCE = "(seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0";
/** Seed of the dropout masks of batch b in epoch e. */
export const BATCH_SEED_SOURCE = "(seed ^ Math.imul(epoch + 1, 0x9e3779b1) ^ Math.imul(batch + 1, 0x85ebca6b)) >>> 0";

export const epochSeed = new Function("seed", "epoch", `return ${EPOCH_SEED_SOURCE};`) as (seed: number, epoch: number) => number;
export const batchSeed = new Function("seed", "epoch", "batch", `return ${BATCH_SEED_SOURCE};`) as (seed: number, epoch: number, batch: number) => number;
