// The exported types of a generated module: src/module-api.ts's contract with the spec's array type.
import type { EmitContext } from "./code.js";
import { emitClassifyTypes } from "./classify.js";

export function emitTypes(ctx: EmitContext): string[] {
  const V = ctx.array;
  const early = ctx.spec.training.stop.some((s) => s.kind === "early");
  return [
    `/** The numeric array type of this module (parameters, data, gradients): ${ctx.plan.precision}. */\nexport type Vector = ${V};`,
    `/** One tensor of the flat parameter vector. */
export interface TensorLayout {
  name: string;
  offset: number;
  shape: readonly number[];
  size: number;
}`,
    `/** What raw inputs go through: x · scale, then (x − offset[j]) / scale[j] with the statistics at params[offset …]. */
export interface PreprocessingMeta {
  scale: number;
  normalize: "none" | "zero_mean" | "min_max" | "z_score";
  /** Index of the statistics (offset[inputs], then scale[inputs]) in the parameter vector. */
  offset: number;
  /** 2 · inputs when the spec normalises, else 0. */
  size: number;
}`,
    `export interface ModuleMeta {
  name: string;
  specHash: string;
  networkHash: string;
  inputs: number;
  outputs: number;
  /** Trainable parameters; the vector is parameters + preprocessing.size long. */
  parameters: number;
  preprocessing: PreprocessingMeta;
  classes: readonly string[] | null;
  precision: "f64" | "f32";
  loss: string;
  optimizer: string;
  layout: readonly TensorLayout[];
  activations: readonly string[];
  training: { learningRate: number; epochs: number; batchSize: number; shuffle: boolean; seed: number };
}`,
    `/** Optimiser state: the step count and the per-parameter slots. */
export interface OptimizerState {
  t: number;
  slots: Record<string, Vector>;
}`,
    `export interface EpochMetrics {
  epoch: number;
  learningRate: number;
  loss: number;
  accuracy: number | null;
  testLoss?: number;
  testAccuracy?: number | null;
}`,
    // Only a spec with \`stop early\` has early-stopping state to save and resume.
    ...(early
      ? [
          `/** Where \`stop early\` stands: train() updates it in place after every evaluated epoch (a checkpoint saves it). */
export interface EarlyStoppingState {
  /** 0-based epoch of the best monitored value so far; -1 before the first evaluation. */
  bestEpoch: number;
  bestValue: number;
  /** Evaluations since bestEpoch without an improvement. */
  waited: number;
  /** The parameters at the end of bestEpoch. */
  best: Vector;
}`,
        ]
      : []),
    `export interface TrainOptions {
  /** Overrides the spec's epoch count. */
  epochs?: number;
  /** Resume: first epoch to run (0-based) and the optimiser state saved with it. */
  startEpoch?: number;
  optimizer?: OptimizerState;${early ? "\n  /** Resume: the early-stopping state saved with it. */\n  earlyStopping?: EarlyStoppingState;" : ""}
  test?: { xs: Vector; ys: Vector; count: number };
  /** Compute metrics and check stop criteria every N epochs (default 1); the last epoch always. */
  evaluateEvery?: number;
  /** Called after each evaluated epoch; returning false stops training. */
  onEpoch?: (metrics: EpochMetrics) => boolean | void;
  /** Called after each batch with its (training-mode) loss. */
  onBatch?: (epoch: number, batch: number, batches: number, loss: number) => void;
  /** Polled after each batch; true stops training after that batch. */
  shouldStop?: () => boolean;
}`,
    `export type StopReason = "epochs" | "loss_below" | "accuracy_above" | "early" | "interrupted" | "callback" | "non_finite";`,
    `export interface TrainingReport {
  epochs: number;
  stoppedBy: StopReason;
  history: EpochMetrics[];
  bestEpoch?: number;
  optimizer: OptimizerState;
}`,
    `export interface WeightsJson {
  format: "nnc-weights";
  version: 1;
  model: string;
  /** Provenance only: loadWeights checks networkHash and the layout. */
  specHash: string;
  networkHash: string;
  precision: "f64" | "f32";
  parameters: number;
  layout: TensorLayout[];
  /** The trainable parameters. */
  values: number[];
  /** The input normalisation's statistics (kind "none": offset 0, scale 1), as nnc train's weights file has them. */
  normalization: { kind: PreprocessingMeta["normalize"]; offset: number[]; scale: number[] };
  /** The data scale the network was trained with (absent in older files). */
  dataScale?: number;
}`,
    ...emitClassifyTypes(ctx),
    // The PRNG type of the shuffle and the dropout masks (declared only where one of them uses it).
    ...(ctx.spec.training.shuffle || ctx.plan.hasDropout ? [`type Rng = ReturnType<typeof createRng>;`] : []),
  ];
}
