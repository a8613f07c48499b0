// loadData: every data source of a spec read, checked against the model's shape, scaled and split,
// before any training starts. Returns raw (un-normalised) features; normalisation statistics are fitted
// on the training split by the caller (normalize.ts), so predict can apply the same ones later.
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import { lastDeclaring } from "../front/lower.js";
import { classCountOf, listClasses } from "../report/classes.js";
import { toDataset, type Dataset, type RawData } from "./dataset.js";
import { specInputShape } from "./shape.js";
import { readSource } from "./sources.js";
import { splitDataset } from "./split.js";

/** What loadData read: the data sets, and `classes`, the class names when the training source wrote its labels
 * as names (a CSV label column of strings): the spec's own classes, or the sorted distinct names when the spec
 * has none (nnc train then trains with them as Spec.classes); null when the labels are numbers. */
export interface LoadedData {
  train: Dataset;
  test: Dataset | null;
  classes: string[] | null;
}

export function loadData(spec: Spec, baseDir: string): LoadedData {
  const data = spec.data;
  if (!data) throw new UserError(`${spec.fileName}: the spec has no data statement, so there is nothing to train on`);
  if (!Number.isFinite(data.scale) || data.scale === 0) {
    throw new UserError(`${spec.fileName}: data scale must be a finite, non-zero number, got ${data.scale}`);
  }
  const model = { inputs: spec.inputs, inputShape: specInputShape(spec), outputs: spec.outputs, loss: spec.loss.kind };
  const specClasses = spec.classes === null ? null : { names: spec.classes, whose: "the spec's classes" };
  const trainRaw = readSource(data.train, baseDir, spec.fileName, specClasses);
  const classes = trainRaw.classes ?? null;
  if (classes !== null) checkClassNames(spec, trainRaw, classes);
  const all = toDataset(trainRaw, model);
  // A test file's names map to the training data's classes (its own might be fewer, or in another order).
  let test = data.test
    ? toDataset(
        readSource(data.test, baseDir, spec.fileName, specClasses ?? (classes && { names: classes, whose: `the classes of ${trainRaw.targetFile}` })),
        model,
      )
    : null;
  let train = all;
  // A separate test source wins over `split` (documented in docs/data.md).
  if (!test && data.split > 0) ({ train, test } = splitDataset(all, data.split, data.splitSeed));
  scaleFeatures(train.features, data.scale);
  if (test) scaleFeatures(test.features, data.scale);
  return { train, test, classes };
}

/** Names in a label column need a classifier with one output per name (one sigmoid output: two names). */
function checkClassNames(spec: Spec, raw: RawData, classes: readonly string[]): void {
  const activation = lastDeclaring(spec.layers)?.activation?.kind ?? "linear";
  if (activation !== "sigmoid" && activation !== "softmax")
    throw new UserError(
      `${raw.targetFile}: the labels are class names (${listClasses(classes)}), but the model is a regression (its last layer is ${activation}); end it with softmax or sigmoid to classify`,
    );
  const expected = classCountOf(spec.outputs);
  if (classes.length !== expected) {
    const why = spec.outputs === 1 ? "one sigmoid output is two classes" : "one class per output";
    throw new UserError(
      `${raw.targetFile}: the labels name ${classes.length} class${classes.length === 1 ? "" : "es"} (${listClasses(classes)}), but the model has ${spec.outputs} output${spec.outputs === 1 ? "" : "s"} (${why}): give the last layer ${classes.length === 2 ? "1 sigmoid output or 2 softmax outputs" : `${classes.length} outputs`}`,
    );
  }
}

/** Multiplies every feature by `scale` in place (e.g. 1/255 for pixels); 1 leaves the data untouched. Predict applies it to raw input before normalising. */
export function scaleFeatures(features: Float64Array, scale: number): void {
  if (scale === 1) return;
  for (let i = 0; i < features.length; i++) features[i]! *= scale;
}
