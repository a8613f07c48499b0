// `nnc predict`: the spec's module with trained weights applied to new, raw inputs. The inputs go through
// exactly what training data went through, in the module (predict and evaluate take raw inputs): the spec's
// `scale`, then the normalisation saved in the weights (which loadWeights puts into the parameter vector).
import { dirname } from "node:path";
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import type { GeneratedModule, Vector } from "../module-api.js";
import { loadData } from "../data/load.js";
import { applyNormalization, type NormalizationStats } from "../data/normalize.js";
import { withStatistics } from "./statistics.js";
import { loadSpec } from "../front/index.js";
import { parameterCount } from "../interpreter/parameters.js";
import { dataSourceFromFlag, withTrainingSource } from "./data-flag.js";
import { buildModule } from "./module-build.js";
import type { Streams } from "./progress.js";
import { checkWeights, readWeightsFile } from "./weights-file.js";
import { chooseWeights, labelledSpec, predictionNames, truthOf, writePredictions, writeSummary } from "../report/predict-command.js";

export interface PredictOptions {
  specPath: string;
  /** --weights; default: the run folder `nnc train` writes for the spec (runs/<model>/weights.json). */
  weightsPath?: string | undefined;
  /** --input rows, each "v1,v2,…" (raw values, as in the training data). */
  inputs?: string[];
  /** --data: labelled rows in train's --data forms; accuracy, loss and the confusion matrix are reported too.
   * Without --input and --data: the spec's own training data. */
  data?: string;
  label?: string;
  json: boolean;
  streams: Streams;
}

export interface Prediction {
  input: number[];
  output: number[];
  /** argmax for several outputs, output ≥ 0.5 for one sigmoid output, null for regression. */
  class: number | null;
}

/** A flag's value as a message quotes it: whole when short, else its start and its length (a 60,000-value row is not echoed back). */
function quoted(text: string): string {
  return text.length <= 80 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 60))}… (${text.length.toLocaleString("en-US")} characters)`;
}

/** Parses one --input value; a wrong count or a non-number is a UserError naming it. */
export function parseInputRow(text: string, inputs: number): Float64Array {
  const parts = text.split(/[,\s]+/).filter((p) => p !== "");
  if (parts.length !== inputs) {
    throw new UserError(
      `--input ${quoted(text)}: ${parts.length} value${parts.length === 1 ? "" : "s"}, but the model takes ${inputs} input${inputs === 1 ? "" : "s"}`,
    );
  }
  return Float64Array.from(parts, (p, i) => {
    const v = Number(p);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(p) || !Number.isFinite(v)) {
      throw new UserError(`--input ${quoted(text)}: value ${i + 1} (${quoted(p)}) is not a finite number`);
    }
    return v;
  });
}

/** Outputs that are not finite (weights whose forward overflows) are an error naming the row, not "NaN → class 0". */
function checkFinite(predictions: readonly Prediction[]): void {
  const row = predictions.findIndex((p) => p.output.some((v) => !Number.isFinite(v)));
  if (row < 0) return;
  const bad = predictions[row]!.output.find((v) => !Number.isFinite(v))!;
  throw new UserError(
    `the network's output for row ${row + 1} is ${bad}: its forward pass overflows with these weights (they are not from a finished, finite training run, or the inputs are far outside the training data)`,
  );
}

export function classOf(module: GeneratedModule, output: ArrayLike<number>): number | null {
  if (output.length > 1) {
    let best = 0;
    for (let k = 1; k < output.length; k++) if (output[k]! > output[best]!) best = k;
    return best;
  }
  return module.meta.activations[module.meta.activations.length - 1] === "sigmoid" ? (output[0]! >= 0.5 ? 1 : 0) : null;
}

/**
 * Raw rows → module.predict, which applies the data scale and the normalisation itself (meta.preprocessing):
 * `stats` are written into a copy of params' statistics, `scale` must be the module's (the spec's data scale).
 * Weights normalised where the spec is not (nnc import's: see externalNormalization) are normalised here first.
 */
export function predictRows(module: GeneratedModule, params: Vector, stats: NormalizationStats, scale: number, raw: Float64Array, count: number): Prediction[] {
  const { inputs, preprocessing } = module.meta;
  if (scale !== preprocessing.scale) throw new Error(`internal: rows for data scale ${scale}, the module scales by ${preprocessing.scale}`);
  const external = externalNormalization(module, stats);
  const full = withStatistics(module, params, external ? identityStatistics(inputs) : stats);
  const rows = raw.slice(0, count * inputs);
  if (external) applyNormalization(stats, rows, count, inputs);
  const x = module.meta.precision === "f32" ? Float32Array.from(rows) : rows;
  const result: Prediction[] = [];
  for (let r = 0; r < count; r++) {
    const out = module.predict(full, x.subarray(r * inputs, (r + 1) * inputs));
    const output = Array.from(out);
    result.push({ input: Array.from(raw.subarray(r * inputs, (r + 1) * inputs)), output, class: classOf(module, output) });
  }
  return result;
}

/**
 * True when the weights carry a normalisation the spec does not declare (nnc import's weights: ONNX puts it in
 * front of the first layer, and a spec without data cannot say `normalize`): the module has no statistics to
 * hold it, so nnc predict applies it to the rows itself, before the module (whose data scale is then 1).
 */
export function externalNormalization(module: GeneratedModule, stats: NormalizationStats): boolean {
  const external = module.meta.preprocessing.size === 0 && stats.kind !== "none";
  if (external && module.meta.preprocessing.scale !== 1) {
    throw new UserError(
      `the weights normalise the inputs (${stats.kind}) but the spec does not, and it scales them by ${module.meta.preprocessing.scale}: add \`normalize\` to the spec`,
    );
  }
  return external;
}

function identityStatistics(inputs: number): NormalizationStats {
  return { kind: "none", offset: new Array<number>(inputs).fill(0), scale: new Array<number>(inputs).fill(1) };
}

export async function runPredict(options: PredictOptions): Promise<number> {
  const { streams } = options;
  const spec = loadSpec(options.specPath);
  // The flags, and the weights file (--weights, else the run folder's), named on stderr (src/report/predict-command.ts).
  const weightsPath = chooseWeights(spec, options);
  // Bounded by the spec's size: another, larger network's weights are refused before being parsed.
  const json = readWeightsFile(weightsPath, parameterCount(spec) + 2 * spec.inputs);
  const { module } = await buildModule(spec);
  const weights = checkWeights(json, module.meta, weightsPath);
  const external = externalNormalization(module, weights.normalization);
  const params = module.loadWeights(external ? { ...weights, normalization: identityStatistics(module.meta.inputs) } : weights);
  const scale = spec.data?.scale ?? 1;

  if (options.inputs && options.inputs.length > 0) {
    const rows = options.inputs.map((text) => parseInputRow(text, module.meta.inputs));
    const raw = new Float64Array(rows.length * module.meta.inputs);
    rows.forEach((row, r) => raw.set(row, r * module.meta.inputs));
    const predictions = predictRows(module, params, weights.normalization, scale, raw, rows.length);
    checkFinite(predictions);
    writePredictions(predictions, predictionNames(spec, json, predictions), null, options);
    return 0;
  }

  // --data: labelled rows, read and checked exactly as for training (no split), but not scaled: the module
  // applies the data scale and the normalisation itself.
  // --data, else the spec's own data; a CSV of class names maps by the names the network was trained with.
  const labelled: Spec = labelledSpec(spec, json, options);
  labelled.data = { ...labelled.data!, test: null, split: 0, scale: 1 };
  const { train: rows } = loadData(labelled, dirname(options.specPath));
  const predictions = predictRows(module, params, weights.normalization, scale, rows.features, rows.count);
  checkFinite(predictions);
  const names = predictionNames(labelled, json, predictions);
  writePredictions(predictions, names, truthOf(rows), options);
  // Loss and accuracy on the same raw rows, by the module's own evaluate.
  const f32 = module.meta.precision === "f32";
  const x = rows.features.slice();
  if (external) applyNormalization(weights.normalization, x, rows.count, rows.inputs);
  const metrics = module.evaluate(params, f32 ? Float32Array.from(x) : x, f32 ? Float32Array.from(rows.targets) : rows.targets, rows.count);
  writeSummary(predictions, names, truthOf(rows), rows.count, metrics, options);
  return 0;
}
