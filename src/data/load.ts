// loadData: every data source of a spec read, checked against the model's shape, scaled and split,
// before any training starts. Returns raw (un-normalised) features; normalisation statistics are fitted
// on the training split by the caller (normalize.ts), so predict can apply the same ones later.
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import { toDataset, type Dataset } from "./dataset.js";
import { specInputShape } from "./shape.js";
import { readSource } from "./sources.js";
import { splitDataset } from "./split.js";

export function loadData(spec: Spec, baseDir: string): { train: Dataset; test: Dataset | null } {
  const data = spec.data;
  if (!data) throw new UserError(`${spec.fileName}: the spec has no data statement, so there is nothing to train on`);
  if (!Number.isFinite(data.scale) || data.scale === 0) {
    throw new UserError(`${spec.fileName}: data scale must be a finite, non-zero number, got ${data.scale}`);
  }
  const model = { inputs: spec.inputs, inputShape: specInputShape(spec), outputs: spec.outputs, loss: spec.loss.kind };
  const all = toDataset(readSource(data.train, baseDir, spec.fileName), model);
  let test = data.test ? toDataset(readSource(data.test, baseDir, spec.fileName), model) : null;
  let train = all;
  // A separate test source wins over `split` (documented in docs/data.md).
  if (!test && data.split > 0) ({ train, test } = splitDataset(all, data.split, data.splitSeed));
  scaleFeatures(train.features, data.scale);
  if (test) scaleFeatures(test.features, data.scale);
  return { train, test };
}

/** Multiplies every feature by `scale` in place (e.g. 1/255 for pixels); 1 leaves the data untouched. Predict applies it to raw input before normalising. */
export function scaleFeatures(features: Float64Array, scale: number): void {
  if (scale === 1) return;
  for (let i = 0; i < features.length; i++) features[i]! *= scale;
}
