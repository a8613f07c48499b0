// The run folder `nnc train` writes (default runs/<model>/), every file through writeFileAtomic:
//   weights.json   the trained weights (weights-file.ts): byte-identical for the same spec, data and seed
//   history.csv    one row per evaluated epoch: epoch,learning_rate,loss,accuracy,test_loss,test_accuracy
//   history.json   the same rows plus the run's settings, stop reason and timing
//   loss.svg       loss and accuracy curves
//   boundary.svg   for 2-D classification inputs: the decision boundary with the training points
//   filters.svg    when the first parameterised layer is a convolution: its learned filters as images
// "epoch" in these files is the 1-based count of epochs completed.
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
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

export function historyCsv(rows: readonly HistoryRow[]): string {
  const cell = (v: number | null): string => (v === null ? "" : String(v));
  const lines = ["epoch,learning_rate,loss,accuracy,test_loss,test_accuracy"];
  for (const r of rows) lines.push([r.epoch, r.learningRate, r.loss, r.accuracy, r.testLoss, r.testAccuracy].map(cell).join(","));
  return lines.join("\n") + "\n";
}

/** JSON numbers cannot be NaN/Infinity: such values (a diverged epoch) are written as strings. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2) + "\n";
}

export interface RunFiles {
  weights: string;
  historyCsv: string;
  historyJson: string;
  lossSvg: string;
  boundarySvg: string | null;
  /** Absent or null: no filters.svg (the net does not start with a convolution). */
  filtersSvg?: string | null;
}

/** Writes the run folder; returns the paths written, in order. */
export function writeRunFolder(dir: string, files: RunFiles): string[] {
  const written: [string, string][] = [
    ["weights.json", files.weights],
    ["history.csv", files.historyCsv],
    ["history.json", files.historyJson],
    ["loss.svg", files.lossSvg],
  ];
  if (files.boundarySvg !== null) written.push(["boundary.svg", files.boundarySvg]);
  if (files.filtersSvg != null) written.push(["filters.svg", files.filtersSvg]);
  return written.map(([name, text]) => {
    const path = join(dir, name);
    writeFileAtomic(path, text);
    return path;
  });
}
