// What `nnc predict` (src/train/predict.ts: runPredict) shows a person, and the choices around it: which
// weights file (the run folder `nnc train` writes for the spec unless --weights says otherwise, named on
// stderr), which rows (--input, --data, or the spec's own data), which class names (the spec's classes,
// else the weights file's, else "class N"), and the output: each prediction with its class name; with
// labelled rows each row's true label, a mark on the wrong ones, then the loss, accuracy, confusion matrix
// and per-class accuracy. The numbers themselves come from the module (runPredict).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import type { Dataset } from "../data/dataset.js";
import { dataSourceFromFlag, withTrainingSource } from "../train/data-flag.js";
import type { Streams } from "../train/progress.js";
import { classCountOf, classNames, weightsClasses } from "./classes.js";
import { predictionConfusion, predictionJson, predictionText, summaryJson, summaryText, type Metrics, type Prediction, type Truth } from "./predictions.js";

/** What these helpers read of nnc predict's options. */
export interface PredictChoices {
  specPath: string;
  /** --weights; default: defaultWeightsPath. */
  weightsPath?: string | undefined;
  inputs?: string[] | undefined;
  data?: string | undefined;
  label?: string | undefined;
  json: boolean;
  streams: Streams;
}

/** The weights `nnc train SPEC` writes by default: runs/<model>/weights.json, relative to the current folder (src/train/run.ts). */
export function defaultWeightsPath(spec: Spec): string {
  return join("runs", spec.name, "weights.json");
}

/**
 * Checks the flags against the spec (--input or --data, not both; neither: the spec's own data) and returns
 * the weights file to read: --weights, else the run folder's, which must exist (else a UserError saying how
 * to make it). Names the default file on stderr when it chose it (not with --json).
 */
export function chooseWeights(spec: Spec, options: PredictChoices): string {
  const inputs = options.inputs ?? [];
  if (inputs.length > 0 && options.data !== undefined) throw new UserError("give either --input or --data, not both");
  if (inputs.length === 0 && options.data === undefined && spec.data === null)
    throw new UserError(`predict needs --input "v1,v2,…" or --data FILE (${options.specPath} has no data of its own to predict)`);
  const path = options.weightsPath ?? defaultWeightsPath(spec);
  if (options.weightsPath === undefined && !existsSync(path))
    throw new UserError(`no trained weights at ${path}: run \`nnc train ${options.specPath}\` first, or give --weights FILE`);
  // Said only when nnc chose the file: a --weights the user wrote needs no echo (and a successful run keeps stderr empty).
  if (!options.json && options.weightsPath === undefined) options.streams.stderr.write(`nnc: predicting with ${path}\n`);
  return path;
}

/** The spec whose training source is the labelled rows to predict (--data, else its own data), with the
 * class names the network was trained with (the spec's, else the weights file's), so a CSV of names maps by them. */
export function labelledSpec(spec: Spec, weightsJson: unknown, options: PredictChoices): Spec {
  const source = options.data === undefined ? spec : withTrainingSource(spec, dataSourceFromFlag(options.data, spec, options.label));
  return { ...source, classes: spec.classes ?? weightsClasses(weightsJson) };
}

/** The class names to print, or null for a regression (its predictions have no class). */
export function predictionNames(spec: Spec, weightsJson: unknown, predictions: readonly Prediction[]): string[] | null {
  if (predictions.length > 0 && predictions[0]!.class === null) return null;
  return classNames(classCountOf(spec.outputs), spec.classes, weightsClasses(weightsJson));
}

/** The true labels of labelled rows, for the report. */
export function truthOf(rows: Dataset): Truth {
  return { labels: rows.labels, targets: rows.targets, outputs: rows.outputs };
}

/** Each prediction, as text or one JSON object per line. */
export function writePredictions(predictions: readonly Prediction[], names: readonly string[] | null, truth: Truth | null, options: PredictChoices): void {
  const lines = predictions.map((p, r) => (options.json ? JSON.stringify(predictionJson(p, names, truth, r)) : predictionText(p, names, truth, r)));
  if (lines.length > 0) options.streams.stdout.write(lines.join("\n") + "\n");
}

/** After labelled rows: the loss and accuracy (the module's evaluate), then the confusion matrix of a classifier. */
export function writeSummary(
  predictions: readonly Prediction[],
  names: readonly string[] | null,
  truth: Truth,
  rows: number,
  metrics: Metrics,
  options: PredictChoices,
): void {
  const confusion = names === null ? null : predictionConfusion(predictions, truth, names);
  options.streams.stdout.write(options.json ? `${JSON.stringify(summaryJson(rows, metrics, confusion))}\n` : summaryText(rows, metrics, confusion));
}
