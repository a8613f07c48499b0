// After `nnc train` of a classifier: the confusion matrix and per-class accuracy of the trained network on
// the test split when there is one (else the training data), in the terminal summary (--json: one
// {"type":"confusion"} line before "done") and as confusion.svg in the run folder. src/train/run.ts counts
// it (trainedConfusion) when the run asks for it, then hands it here.
//
// Each row's class comes from the trained module's own outputs of those rows (its predictBatch, batched
// through the same forward and kernels as its evaluate, run in the training worker: src/train/worker.ts), so
// the diagonal is exactly the accuracy the run reports, in f32 as in f64. (The float64 reference interpreter
// did this row by row before: 8.6 of a one-epoch Fashion run's 26 s, and an f32 row whose outputs tied
// within f32 rounding could be counted differently from the module's accuracy.)
import type { Dataset } from "../data/dataset.js";
import type { Spec } from "../ir.js";
import type { Vector } from "../module-api.js";
import { confusionSvg } from "../plot/confusion.js";
import type { Streams } from "../train/progress.js";
import { classCountOf, classNames } from "./classes.js";
import { confusionJson, confusionMatrix, formatConfusion, type ConfusionMatrix } from "./confusion.js";

/** The predicted class of each of `count` rows of outputs (count × width): argmax for several outputs (first maximum wins), ≥ 0.5 for one. */
export function predictedClasses(outputs: Vector, count: number, width: number): Int32Array {
  const classes = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const o = r * width;
    if (width === 1) classes[r] = outputs[o]! >= 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let k = 1; k < width; k++) if (outputs[o + k]! > outputs[o + best]!) best = k;
      classes[r] = best;
    }
  }
  return classes;
}

/** Which rows the confusion matrix counts: the test split (or test file) when it has labelled rows, else the training data; null when those have no class labels (a regression). */
export function confusionRows(train: Dataset, test: Dataset | null): "test" | "training" | null {
  const on = test !== null && test.labels !== null && test.count > 0 ? "test" : "training";
  return (on === "test" ? test! : train).labels === null ? null : on;
}

export interface TrainedConfusion {
  matrix: ConfusionMatrix;
  /** Which rows it counts: the test split (or test file), else the training data. */
  on: "test" | "training";
}

/**
 * The confusion matrix of a trained classifier from the module's `outputs` of the rows confusionRows names
 * (null for a regression: rows without class labels).
 */
export function trainedConfusion(spec: Spec, outputs: Vector, train: Dataset, test: Dataset | null): TrainedConfusion | null {
  const on = confusionRows(train, test);
  if (on === null) return null;
  const data = on === "test" ? test! : train;
  const names = classNames(classCountOf(spec.outputs), spec.classes);
  return { matrix: confusionMatrix(data.labels!, predictedClasses(outputs, data.count, spec.outputs), names), on };
}

/** The --json line of the matrix (nnc train writes it before its "done" line). */
export function confusionLine(result: TrainedConfusion): string {
  return `${JSON.stringify({ type: "confusion", on: result.on, ...confusionJson(result.matrix) })}\n`;
}

export interface ConfusionReportInputs {
  spec: Spec;
  /** trainedConfusion's result (null for a regression: nothing to report). */
  confusion: TrainedConfusion | null;
  /** Print the matrix as text (not in --json mode, where confusionLine went out before "done"). */
  text: boolean;
  streams: Streams;
}

/**
 * Prints the matrix as text (unless `text` is off) and draws confusion.svg; returns the drawing (null for a
 * regression). nnc train writes it with the rest of its run folder, as one unit (src/train/run-unit.ts).
 */
export async function reportTrainedConfusion(o: ConfusionReportInputs): Promise<string | null> {
  if (o.confusion === null) return null;
  const { matrix, on } = o.confusion;
  if (o.text) o.streams.stdout.write(`on the ${on} data (${matrix.total} rows):\n${formatConfusion(matrix, "  ")}`);
  return await confusionSvg(matrix, `${o.spec.name}: confusion matrix (${on} data)`);
}
