// The run folder's pictures, drawn by src/plot: loss/accuracy curves over the epochs (the loss named, the
// learning rate under a schedule, early stopping's kept epoch marked), for 2-D classification data the
// decision boundary in the raw (un-normalised) input space with the training points, for regression with
// one input the fitted curve against the training points, and for a net whose first parameterised layer
// is a convolution its learned filters. Axis names come from the CSV header or the built-in set, class
// names from the spec (plot-labels.ts).
import type { NormalizationStats } from "../data/normalize.js";
import type { GeneratedModule, TrainingReport, Vector } from "../module-api.js";
import { decisionBoundarySvg, type BoundaryOptions } from "../plot/decision-boundary.js";
export { firstLayerFiltersSvg } from "../plot/filters.js";
import { lossCurveSvg, type LossCurveOptions } from "../plot/loss-curve.js";
import { fitSvg } from "../plot/fit.js";
import { applyNormalization } from "../data/normalize.js";
import { predictSample } from "../interpreter/forward.js";
import type { Spec } from "../ir.js";
import type { Dataset } from "../data/dataset.js";
import { dataNames, keptEpoch, lossName } from "./plot-labels.js";
import { classOf } from "./predict.js";
import { withStatistics } from "./statistics.js";
import type { HistoryRow } from "./outputs.js";

/** loss.svg; `title` defaults to "MODEL: loss and accuracy" (or "MODEL: loss" without accuracy). */
export async function curvesSvg(rows: readonly HistoryRow[], model: string, options: LossCurveOptions & { title?: string } = {}): Promise<string> {
  const points = rows.map((r) => ({
    epoch: r.epoch,
    loss: r.loss,
    accuracy: r.accuracy ?? undefined,
    testLoss: r.testLoss ?? undefined,
    testAccuracy: r.testAccuracy ?? undefined,
    learningRate: r.learningRate,
  }));
  const title = options.title ?? `${model}: ${rows.some((r) => r.accuracy !== null) ? "loss and accuracy" : "loss"}`;
  return await lossCurveSvg(points, title, options);
}

/** How loss.svg is labelled for this spec and run. */
export function lossPlotOptions(spec: Spec, report: TrainingReport, regression: boolean): LossCurveOptions & { title: string } {
  const kept = keptEpoch(report);
  const marked = report.stoppedBy === "early" || report.stoppedBy === "non_finite" ? kept : null;
  return {
    title: `${spec.name}: ${regression ? "training loss (regression)" : "loss and accuracy"}`,
    lossName: lossName(spec.loss.kind),
    learningRate: spec.training.schedule.kind !== "constant",
    keptEpoch: marked,
    keptLabel: report.stoppedBy === "early" ? `early stopping kept epoch ${kept}` : `kept: epoch ${kept}, the last finite`,
    emptyNote: report.stoppedBy === "non_finite" ? `the loss became non-finite during epoch ${report.epochs + 1}` : "no finite loss to draw",
  };
}

export interface RunPictureInputs {
  spec: Spec;
  /** The spec's folder (resolves a CSV's path for its header). */
  specDir: string;
  module: GeneratedModule;
  params: Vector;
  stats: NormalizationStats;
  /** The training data as the network saw it (its targets are raw: only features are normalised). */
  train: Dataset;
  rawTrainFeatures: Float64Array;
  rows: readonly HistoryRow[];
  report: TrainingReport;
}

/** loss.svg, and boundary.svg or fit.svg where the data has the shape for them (null otherwise). */
export async function runPictures(o: RunPictureInputs): Promise<{ lossSvg: string; boundarySvg: string | null; fitSvg: string | null }> {
  const name = o.module.meta.name;
  const regression = o.train.labels === null;
  const names = dataNames(o.spec, o.specDir);
  const lossSvg = await curvesSvg(o.rows, name, lossPlotOptions(o.spec, o.report, regression));
  const boundary =
    o.train.inputs === 2 && o.train.labels
      ? await boundarySvg(o.module, o.params, o.stats, o.rawTrainFeatures, o.train.labels, name, {
          axes: [names.inputs[0]!, names.inputs[1]!],
          classNames: o.spec.classes,
        })
      : null;
  const fit = o.train.inputs === 1 && regression && o.module.meta.outputs === 1 ? await fitPlot(o, names) : null;
  return { lossSvg, boundarySvg: boundary, fitSvg: fit };
}

/**
 * fit.svg: the training points (raw x, target y) and the network's output over their x range. The output is
 * the reference interpreter's forward pass (float64; the module computes the same numbers, src/module-api.ts)
 * on x normalised as the training data was, so this picture does not depend on how the module takes inputs.
 */
async function fitPlot(o: RunPictureInputs, names: { inputs: string[]; target: string }): Promise<string> {
  const input = new Float64Array(1);
  const predict = (x: number): number => {
    input[0] = x;
    applyNormalization(o.stats, input, 1, 1);
    return predictSample(o.spec, o.params, input)[0]!;
  };
  const points = Array.from(o.rawTrainFeatures, (x, i) => ({ x, y: o.train.targets[i]! }));
  return await fitSvg(predict, points, `${o.module.meta.name}: fitted curve (regression)`, { x: names.inputs[0]!, y: names.target });
}

/** The predicted class at (x, y) in raw input space: the module's predict normalises the point as training data was (stats in the vector). */
export function boundaryFunction(module: GeneratedModule, params: Vector, stats: NormalizationStats): (x: number, y: number) => number {
  const full = withStatistics(module, params, stats);
  const input = module.meta.precision === "f32" ? new Float32Array(2) : new Float64Array(2);
  const out = module.meta.precision === "f32" ? new Float32Array(module.meta.outputs) : new Float64Array(module.meta.outputs);
  return (x, y) => {
    input[0] = x;
    input[1] = y;
    return classOf(module, module.predict(full, input, out)) ?? 0;
  };
}

export async function boundarySvg(
  module: GeneratedModule,
  params: Vector,
  stats: NormalizationStats,
  rawFeatures: Float64Array,
  labels: Int32Array,
  model: string,
  options: BoundaryOptions = {},
): Promise<string> {
  const points = Array.from(labels, (label, i) => ({ x: rawFeatures[2 * i]!, y: rawFeatures[2 * i + 1]!, label }));
  return await decisionBoundarySvg(boundaryFunction(module, params, stats), points, `${model}: decision boundary`, options);
}
