// The exported types of a generated module: src/module-api.ts's contract with the spec's array type.
import type { EmitContext } from "./code.js";

export function emitTypes(ctx: EmitContext): string[] {
  const V = ctx.array;
  return [
    `/** The numeric array type of this module (parameters, data, gradients): ${ctx.plan.precision}. */\nexport type Vector = ${V};`,
    `/** One tensor of the flat parameter vector. */
export interface TensorLayout {
  name: string;
  offset: number;
  shape: readonly number[];
  size: number;
}`,
    `export interface ModuleMeta {
  name: string;
  specHash: string;
  inputs: number;
  outputs: number;
  parameters: number;
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
    `export interface TrainOptions {
  /** Overrides the spec's epoch count. */
  epochs?: number;
  /** Resume: first epoch to run (0-based) and the optimiser state saved with it. */
  startEpoch?: number;
  optimizer?: OptimizerState;
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
  specHash: string;
  precision: "f64" | "f32";
  parameters: number;
  layout: TensorLayout[];
  values: number[];
}`,
    `type Rng = ReturnType<typeof createRng>;`,
  ];
}
