// The run folder's pictures, drawn by src/plot: loss/accuracy curves over the epochs, for 2-D classification
// data the decision boundary in the raw (un-normalised) input space with the training points, and for a net
// whose first parameterised layer is a convolution its learned filters.
import type { NormalizationStats } from "../data/normalize.js";
import { applyNormalization } from "../data/normalize.js";
import type { GeneratedModule, Vector } from "../module-api.js";
import { decisionBoundarySvg } from "../plot/decision-boundary.js";
export { firstLayerFiltersSvg } from "../plot/filters.js";
import { lossCurveSvg } from "../plot/loss-curve.js";
import { classOf } from "./predict.js";
import type { HistoryRow } from "./outputs.js";

export async function curvesSvg(rows: readonly HistoryRow[], model: string): Promise<string> {
  const points = rows.map((r) => ({
    epoch: r.epoch,
    loss: r.loss,
    accuracy: r.accuracy ?? undefined,
    testLoss: r.testLoss ?? undefined,
    testAccuracy: r.testAccuracy ?? undefined,
  }));
  return await lossCurveSvg(points, `${model}: loss and accuracy`);
}

/** The predicted class at (x, y) in raw input space, the point normalised exactly as training data was. */
export function boundaryFunction(module: GeneratedModule, params: Vector, stats: NormalizationStats): (x: number, y: number) => number {
  const input = new Float64Array(2);
  const x32 = module.meta.precision === "f32" ? new Float32Array(2) : null;
  return (x, y) => {
    input[0] = x;
    input[1] = y;
    applyNormalization(stats, input, 1, 2);
    let xin: Vector = input;
    if (x32) {
      x32.set(input);
      xin = x32;
    }
    return classOf(module, module.predict(params, xin)) ?? 0;
  };
}

export async function boundarySvg(
  module: GeneratedModule,
  params: Vector,
  stats: NormalizationStats,
  rawFeatures: Float64Array,
  labels: Int32Array,
  model: string,
): Promise<string> {
  const points = Array.from(labels, (label, i) => ({ x: rawFeatures[2 * i]!, y: rawFeatures[2 * i + 1]!, label }));
  return await decisionBoundarySvg(boundaryFunction(module, params, stats), points, `${model}: decision boundary`);
}
