// The run folder's two pictures, drawn by src/plot: loss/accuracy curves over the epochs, and for 2-D
// classification data the decision boundary in the raw (un-normalised) input space with the training points.
import type { NormalizationStats } from "../data/normalize.js";
import { applyNormalization } from "../data/normalize.js";
import type { GeneratedModule, Vector } from "../module-api.js";
import { decisionBoundarySvg, lossCurveSvg } from "../plot/index.js";
import type { HistoryRow } from "./outputs.js";

export async function curvesSvg(rows: readonly HistoryRow[], model: string): Promise<string> {
  return await lossCurveSvg(rows, `${model}: loss and accuracy`);
}

/**
 * The boundary plot's colour at (x, y) in raw input space: the output probability for one output, the
 * argmax class for several. The point is normalised exactly as training data was.
 */
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
    const out = module.predict(params, xin);
    if (out.length === 1) return out[0]!;
    let best = 0;
    for (let k = 1; k < out.length; k++) if (out[k]! > out[best]!) best = k;
    return best;
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
