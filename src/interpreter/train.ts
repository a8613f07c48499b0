// The training loop of a spec, exactly as src/module-api.ts describes it. Where that text leaves a choice,
// the choice made here is written down (and is what the generated module must do too):
// - Epoch e visits samples in shuffleIndices order from createRng(epochSeed(seed, e)) when shuffle is on,
//   else 0..n−1; batch b is the next run of batchSize samples (the last may be shorter), copied into a
//   batch buffer in that order; its dropout seed is batchSeed(seed, e, b).
// - After every batch: onBatch(e, b, batches, loss); a non-finite batch loss stops at once (before the step)
//   with "non_finite"; otherwise step(params, grad, state, e); then shouldStop() → "interrupted".
// - Epoch e is evaluated when (e + 1) % evaluateEvery === 0 or it is the last epoch: eval-mode loss and
//   accuracy on the whole training set (and testLoss/testAccuracy when options.test is given).
//   A non-finite evaluated loss stops with "non_finite" and that epoch is NOT added to the history.
//   Otherwise the metrics are pushed to the history, stop criteria are checked in spec order (first that
//   fires wins), onEpoch(metrics) is called, and if no criterion fired and it returned false → "callback".
// - "non_finite" restores the parameters of the end of the last epoch that ended with every batch loss and
//   every parameter finite (the starting parameters if none did), and report.epochs counts the epochs up to
//   that one: the weights kept are exactly those of a run told to stop after report.epochs epochs, whether
//   the fault showed in a batch or in an evaluation.
// - loss_below fires when loss < value; accuracy_above when accuracy ≠ null and accuracy ≥ value.
// - early: monitors testLoss/testAccuracy, or the training loss/accuracy when no test set is given. The first
//   evaluation sets the best; later ones improve when value < best − minDelta (loss) or value > best + minDelta
//   (accuracy), else a wait counter grows; wait ≥ patience stops with "early", restores the best epoch's
//   parameters and reports bestEpoch. Training that ends any other way keeps the last parameters.
//   options.earlyStopping, when given, is that state (resume), updated in place after every evaluation.
// - Otherwise report.epochs = 1 + the last epoch all of whose batches ran (so resuming at startEpoch = epochs
//   with the returned optimiser state continues the same run), or startEpoch when none did.
import type { Spec, StopCriterion } from "../ir.js";
import {
  batchSeed,
  epochSeed,
  type EarlyStoppingState,
  type EpochMetrics,
  type StopReason,
  type TrainOptions,
  type TrainingReport,
  type Vector,
} from "../module-api.js";
import { createRng, shuffleIndices } from "../prng.js";
import { evaluate, lossAndGradient } from "./loss-and-gradient.js";
import { createOptimizer, learningRate, step } from "./optimizer.js";

type EarlyStop = Extract<StopCriterion, { kind: "early" }>;

interface EarlyState {
  criterion: EarlyStop;
  /** bestEpoch −1: no evaluation yet. */
  state: EarlyStoppingState;
}

function allFinite(values: Vector): boolean {
  for (let j = 0; j < values.length; j++) if (!Number.isFinite(values[j]!)) return false;
  return true;
}

/** The epoch's samples in visiting order. */
export function epochOrder(spec: Spec, count: number, epoch: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (spec.training.shuffle) shuffleIndices(order, createRng(epochSeed(spec.training.seed, epoch)));
  return order;
}

/** Checks one early-stopping criterion after an evaluated epoch; true when it says stop. */
function earlyStopFires(state: EarlyState, metrics: EpochMetrics, params: Vector): boolean {
  const { monitor, minDelta, patience } = state.criterion;
  const value = monitor === "val_loss" ? (metrics.testLoss ?? metrics.loss) : metrics.testAccuracy !== undefined ? metrics.testAccuracy : metrics.accuracy;
  if (value === null) return false;
  const s = state.state;
  const improved = s.bestEpoch < 0 || (monitor === "val_loss" ? value < s.bestValue - minDelta : value > s.bestValue + minDelta);
  if (improved) {
    s.bestValue = value;
    s.bestEpoch = metrics.epoch;
    for (let j = 0; j < params.length; j++) s.best[j] = params[j]!;
    s.waited = 0;
    return false;
  }
  s.waited += 1;
  return s.waited >= patience;
}

export function train(spec: Spec, params: Vector, xs: Vector, ys: Vector, count: number, options: TrainOptions = {}): TrainingReport {
  const training = spec.training;
  const epochs = options.epochs ?? training.epochs;
  const startEpoch = options.startEpoch ?? 0;
  const evaluateEvery = options.evaluateEvery ?? 1;
  const state = options.optimizer ?? createOptimizer(spec);
  const batches = Math.ceil(count / training.batchSize);
  const batchXs = new Float64Array(training.batchSize * spec.inputs);
  const batchYs = new Float64Array(training.batchSize * spec.outputs);
  const grad = new Float64Array(params.length);
  const history: EpochMetrics[] = [];
  const early: EarlyState[] = training.stop
    .filter((c): c is EarlyStop => c.kind === "early")
    .map((criterion) => ({ criterion, state: options.earlyStopping ?? { bestEpoch: -1, bestValue: 0, waited: 0, best: new Float64Array(params.length) } }));
  let lastFinite = Float64Array.from(params);
  let finiteEpochs = startEpoch;
  let completed = startEpoch;

  const finish = (stoppedBy: StopReason, bestEpoch?: number): TrainingReport => {
    const report: TrainingReport = { epochs: completed, stoppedBy, history, optimizer: state };
    if (bestEpoch !== undefined) report.bestEpoch = bestEpoch;
    return report;
  };
  const restore = (values: Vector): void => {
    for (let j = 0; j < params.length; j++) params[j] = values[j]!;
  };

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const order = epochOrder(spec, count, epoch);
    for (let b = 0; b < batches; b++) {
      const first = b * training.batchSize;
      const size = Math.min(training.batchSize, count - first);
      for (let s = 0; s < size; s++) {
        const sample = order[first + s]!;
        for (let i = 0; i < spec.inputs; i++) batchXs[s * spec.inputs + i] = xs[sample * spec.inputs + i]!;
        for (let k = 0; k < spec.outputs; k++) batchYs[s * spec.outputs + k] = ys[sample * spec.outputs + k]!;
      }
      const loss = lossAndGradient(spec, params, batchXs, batchYs, size, grad, { training: true, dropoutSeed: batchSeed(training.seed, epoch, b) });
      options.onBatch?.(epoch, b, batches, loss);
      if (!Number.isFinite(loss)) {
        restore(lastFinite);
        completed = finiteEpochs;
        return finish("non_finite");
      }
      step(spec, params, grad, state, epoch);
      if (options.shouldStop?.() === true) {
        if (b === batches - 1) completed = epoch + 1;
        return finish("interrupted");
      }
    }
    completed = epoch + 1;

    if ((epoch + 1) % evaluateEvery === 0 || epoch === epochs - 1) {
      const train = evaluate(spec, params, xs, ys, count);
      if (!Number.isFinite(train.loss)) {
        restore(lastFinite);
        completed = finiteEpochs;
        return finish("non_finite");
      }
      const metrics: EpochMetrics = { epoch, learningRate: learningRate(spec, epoch), loss: train.loss, accuracy: train.accuracy };
      if (options.test !== undefined) {
        const test = evaluate(spec, params, options.test.xs, options.test.ys, options.test.count);
        metrics.testLoss = test.loss;
        metrics.testAccuracy = test.accuracy;
      }
      history.push(metrics);
      let stoppedBy: StopReason | null = null;
      let bestEpoch: number | undefined;
      for (const criterion of training.stop) {
        if (stoppedBy !== null) break;
        if (criterion.kind === "loss_below" && metrics.loss < criterion.value) stoppedBy = "loss_below";
        if (criterion.kind === "accuracy_above" && metrics.accuracy !== null && metrics.accuracy >= criterion.value) stoppedBy = "accuracy_above";
        if (criterion.kind === "early") {
          const earlyState = early.find((e) => e.criterion === criterion)!;
          if (earlyStopFires(earlyState, metrics, params)) {
            stoppedBy = "early";
            bestEpoch = earlyState.state.bestEpoch;
            restore(earlyState.state.best);
          }
        }
      }
      const carryOn = options.onEpoch?.(metrics);
      if (stoppedBy !== null) return finish(stoppedBy, bestEpoch);
      if (carryOn === false) return finish("callback");
    }
    if (allFinite(params)) {
      lastFinite = Float64Array.from(params);
      finiteEpochs = epoch + 1;
    }
  }
  return finish("epochs");
}
