// After `nnc train` of a classifier: the confusion matrix and per-class accuracy of the trained network on
// the test split when there is one (else the training data), in the terminal summary (--json: one
// {"type":"confusion"} line before "done") and as confusion.svg in the run folder. src/train/run.ts counts
// it (trainedConfusion) when the run asks for it, then hands it here.
//
// Each row's class comes from the float64 reference interpreter (src/interpreter) on the inputs the network
// was trained and evaluated on (scaled and normalised), with the trained parameters: the same forward pass
// as the module's, without depending on how the module preprocesses raw inputs. (For an f32 module a row
// whose outputs tie within f32 rounding could be counted differently from the module's accuracy.)
import type { Dataset } from "../data/dataset.js";
import { forwardSample } from "../interpreter/forward.js";
import { layoutOf } from "../interpreter/parameters.js";
import type { Spec } from "../ir.js";
import type { Vector } from "../module-api.js";
import { confusionSvg } from "../plot/confusion.js";
import type { Streams } from "../train/progress.js";
import { classCountOf, classNames } from "./classes.js";
import { confusionJson, confusionMatrix, formatConfusion, type ConfusionMatrix } from "./confusion.js";

/** The predicted class of each row of `data` (network inputs): argmax for several outputs, ≥ 0.5 for one. */
export function predictedClasses(spec: Spec, params: Vector, data: Dataset): Int32Array {
  const classes = new Int32Array(data.count);
  const layout = layoutOf(spec);
  for (let r = 0; r < data.count; r++) {
    const out = forwardSample(spec, params, data.features, r * data.inputs, null, layout).at(-1)!.output;
    if (out.length === 1) classes[r] = out[0]! >= 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let k = 1; k < out.length; k++) if (out[k]! > out[best]!) best = k;
      classes[r] = best;
    }
  }
  return classes;
}

export interface TrainedConfusion {
  matrix: ConfusionMatrix;
  /** Which rows it counts: the test split (or test file), else the training data. */
  on: "test" | "training";
}

/** The confusion matrix of a trained classifier (null for a regression: rows without class labels). */
export function trainedConfusion(spec: Spec, params: Vector, train: Dataset, test: Dataset | null): TrainedConfusion | null {
  const on = test !== null && test.labels !== null && test.count > 0 ? "test" : "training";
  const data = on === "test" ? test! : train;
  if (data.labels === null) return null;
  const names = classNames(classCountOf(spec.outputs), spec.classes);
  return { matrix: confusionMatrix(data.labels, predictedClasses(spec, params, data), names), on };
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
