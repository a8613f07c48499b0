// The run folder `nnc train` writes (default runs/<model>/), every file through writeFileAtomic:
//   weights.json   the trained weights (weights-file.ts): byte-identical for the same spec, data and seed
//   history.csv    one row per evaluated epoch: epoch,learning_rate,loss,accuracy,test_loss,test_accuracy,kept
//                  (kept: 1 on the row of the epoch whose weights weights.json holds, e.g. early stopping's best)
//   history.json   the same rows plus the run's settings, stop reason, kept epoch and timing
//   loss.svg       loss curves (with accuracy for classifiers, the learning rate under a schedule)
//   boundary.svg   for 2-D classification inputs: the decision boundary with the training points
//   fit.svg        for regression with one input: the fitted curve against the training points
//   filters.svg    when the first parameterised layer is a convolution: its learned filters as images
//   confusion.svg  for classifiers: the confusion matrix (drawn by src/plot/confusion.ts)
// "epoch" in these files is the 1-based count of epochs completed.
//
// The files switch in as one unit (src/train/run-unit.ts): a kill at any moment leaves all of the previous
// run's files or all of this one's. checkpoint.json (written while training) is not part of the unit.
import { writeRunUnit } from "./run-unit.js";
import type { EpochMetrics } from "../module-api.js";

export interface HistoryRow {
  epoch: number;
  learningRate: number;
  loss: number;
  accuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
}

export function historyRows(history: readonly EpochMetrics[]): HistoryRow[] {
  return history.map((m) => ({
    epoch: m.epoch + 1,
    learningRate: m.learningRate,
    loss: m.loss,
    accuracy: m.accuracy,
    testLoss: m.testLoss ?? null,
    testAccuracy: m.testAccuracy ?? null,
  }));
}

/** `keptEpoch`: the 1-based epoch whose weights were kept (src/train/plot-labels.ts keptEpoch), marked 1 in the `kept` column. */
export function historyCsv(rows: readonly HistoryRow[], keptEpoch: number | null = null): string {
  const cell = (v: number | null): string => (v === null ? "" : String(v));
  const lines = ["epoch,learning_rate,loss,accuracy,test_loss,test_accuracy,kept"];
  for (const r of rows)
    lines.push([r.epoch, r.learningRate, r.loss, r.accuracy, r.testLoss, r.testAccuracy, r.epoch === keptEpoch ? 1 : null].map(cell).join(","));
  return lines.join("\n") + "\n";
}

export interface RunFiles {
  weights: string;
  historyCsv: string;
  historyJson: string;
  lossSvg: string;
  boundarySvg: string | null;
  /** Absent or null: no fit.svg (not a regression with one input). */
  fitSvg?: string | null;
  /** Absent or null: no filters.svg (the net does not start with a convolution). */
  filtersSvg?: string | null;
  /** Absent or null: no confusion.svg (not a classifier). */
  confusionSvg?: string | null;
}

/** Writes the run folder as one unit; returns the paths written, in order. */
export function writeRunFolder(dir: string, files: RunFiles): string[] {
  const written: [string, string][] = [
    ["weights.json", files.weights],
    ["history.csv", files.historyCsv],
    ["history.json", files.historyJson],
    ["loss.svg", files.lossSvg],
  ];
  if (files.boundarySvg !== null) written.push(["boundary.svg", files.boundarySvg]);
  if (files.fitSvg != null) written.push(["fit.svg", files.fitSvg]);
  if (files.filtersSvg != null) written.push(["filters.svg", files.filtersSvg]);
  if (files.confusionSvg != null) written.push(["confusion.svg", files.confusionSvg]);
  return writeRunUnit(dir, written);
}
