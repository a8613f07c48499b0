// `nnc predict`'s run: the spec's module with trained weights on raw rows, reported for a person. It reads
// the weights `nnc train` wrote for the spec (runs/<model>/weights.json) unless --weights says otherwise and
// names the file it used; prints each prediction with its class name (the spec's classes, else the weights
// file's, else "class N"); with labelled rows (--data, or the spec's own data) each row's true label, a mark
// on the wrong ones, the loss and accuracy, the confusion matrix and per-class accuracy. The numbers come
// from the module (src/train/predict.ts: predictRows applies the data scale and the saved normalisation).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import { loadData } from "../data/load.js";
import { loadSpec } from "../front/index.js";
import { dataSourceFromFlag, withTrainingSource } from "../train/data-flag.js";
import { buildModule } from "../train/module-build.js";
import { parseInputRow, predictRows, type Prediction } from "../train/predict.js";
import type { Streams } from "../train/progress.js";
import { checkWeights, readWeightsFile } from "../train/weights-file.js";
import { classCountOf, classNames, weightsClasses } from "./classes.js";
import { predictionConfusion, predictionJson, predictionText, summaryJson, summaryText, type Truth } from "./predictions.js";

export interface PredictCommandOptions {
  specPath: string;
  /** --weights; default: the run folder `nnc train` writes for this spec (runs/<model>/weights.json). */
  weightsPath?: string;
  /** --input rows, each "v1,v2,…" (raw values, as in the training data). */
  inputs?: string[];
  /** --data: labelled rows in train's --data forms. Without --input and --data, the spec's own training data. */
  data?: string;
  label?: string;
  json: boolean;
  streams: Streams;
}

/** The weights `nnc train SPEC` writes by default: runs/<model>/weights.json, relative to the current folder (src/train/run.ts). */
export function defaultWeightsPath(spec: Spec): string {
  return join("runs", spec.name, "weights.json");
}

/** The classifier's class names, or null for a regression (last layer neither sigmoid nor softmax). */
function namesFor(spec: Spec, weights: unknown, predictions: readonly Prediction[]): string[] | null {
  if (predictions.length > 0 && predictions[0]!.class === null) return null;
  return classNames(classCountOf(spec.outputs), spec.classes, weightsClasses(weights));
}

export async function runPredictCommand(options: PredictCommandOptions): Promise<number> {
  const { streams } = options;
  const inputs = options.inputs ?? [];
  if (inputs.length > 0 && options.data !== undefined) throw new UserError("give either --input or --data, not both");
  const spec = loadSpec(options.specPath);
  if (inputs.length === 0 && options.data === undefined && spec.data === null)
    throw new UserError(`predict needs --input "v1,v2,…" or --data FILE (${options.specPath} has no data of its own to predict)`);

  const weightsPath = options.weightsPath ?? defaultWeightsPath(spec);
  if (options.weightsPath === undefined && !existsSync(weightsPath))
    throw new UserError(`no trained weights at ${weightsPath}: run \`nnc train ${options.specPath}\` first, or give --weights FILE`);
  const json = readWeightsFile(weightsPath);
  const { module } = await buildModule(spec);
  const weights = checkWeights(json, module.meta, weightsPath);
  const params = module.loadWeights(weights);
  const scale = spec.data?.scale ?? 1;
  if (!options.json) streams.stderr.write(`nnc: predicting with ${weightsPath}\n`);

  if (inputs.length > 0) {
    const rows = inputs.map((text) => parseInputRow(text, module.meta.inputs));
    const raw = new Float64Array(rows.length * module.meta.inputs);
    rows.forEach((row, r) => raw.set(row, r * module.meta.inputs));
    const predictions = predictRows(module, params, weights.normalization, scale, raw, rows.length);
    write(predictions, namesFor(spec, json, predictions), null, options);
    return 0;
  }

  // Labelled rows: --data, or the spec's own training data, read and checked as for training (no split), but
  // not scaled: the module applies the data scale and the normalisation itself. A CSV of class names maps by
  // the names the network was trained with (the spec's, else the weights file's).
  const source = options.data === undefined ? spec : withTrainingSource(spec, dataSourceFromFlag(options.data, spec, options.label));
  const labelled: Spec = { ...source, classes: spec.classes ?? weightsClasses(json), data: { ...source.data!, test: null, split: 0, scale: 1 } };
  const { train: rows } = loadData(labelled, dirname(options.specPath));
  const predictions = predictRows(module, params, weights.normalization, scale, rows.features, rows.count);
  const names = namesFor(labelled, json, predictions);
  const truth: Truth = { labels: rows.labels, targets: rows.targets, outputs: rows.outputs };
  write(predictions, names, truth, options);
  // Loss and accuracy on the same raw rows, by the module's own evaluate.
  const f32 = module.meta.precision === "f32";
  const metrics = module.evaluate(
    params,
    f32 ? Float32Array.from(rows.features) : rows.features,
    f32 ? Float32Array.from(rows.targets) : rows.targets,
    rows.count,
  );
  const confusion = names === null ? null : predictionConfusion(predictions, truth, names);
  streams.stdout.write(options.json ? `${JSON.stringify(summaryJson(rows.count, metrics, confusion))}\n` : summaryText(rows.count, metrics, confusion));
  return 0;
}

function write(predictions: readonly Prediction[], names: readonly string[] | null, truth: Truth | null, options: PredictCommandOptions): void {
  const lines = predictions.map((p, r) => (options.json ? JSON.stringify(predictionJson(p, names, truth, r)) : predictionText(p, names, truth, r)));
  if (lines.length > 0) options.streams.stdout.write(lines.join("\n") + "\n");
}
