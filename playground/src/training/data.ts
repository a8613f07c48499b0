// The training rows of a compiled spec, made in the page: the same generators and checks nnc train uses
// (src/data/builtin.ts, dataset.ts, normalize.ts — all free of node: imports), so the page trains on the
// very rows the CLI would. File sources (csv, npy, idx) cannot be read by a page; a dropped CSV becomes
// inline rows in the spec text instead (csv-drop.ts), so the text stays the single source of truth.
import { builtinData } from "../../../src/data/builtin.js";
import { toDataset, type Dataset, type RawData } from "../../../src/data/dataset.js";
import { applyNormalization, fitNormalization, type NormalizationStats } from "../../../src/data/normalize.js";
import { specInputShape } from "../../../src/data/shape.js";
import type { DataSource, Spec } from "../../../src/ir.js";

export interface PageData {
  /** Normalised rows, as train() wants them (the statistics also go into the parameter vector). */
  train: Dataset;
  /** The rows before normalisation (for drawing points in the input plane). */
  rawFeatures: Float64Array;
  stats: NormalizationStats;
}

export function pageData(spec: Spec): PageData {
  const data = spec.data;
  if (!data) throw new Error("the spec has no data statement, so there is nothing to train on");
  const model = { inputs: spec.inputs, inputShape: specInputShape(spec), outputs: spec.outputs, loss: spec.loss.kind };
  const train = toDataset(readPageSource(data.train), model);
  if (data.scale !== 1) for (let i = 0; i < train.features.length; i++) train.features[i] = train.features[i]! * data.scale;
  const rawFeatures = Float64Array.from(train.features);
  const stats = fitNormalization(data.normalize, train);
  applyNormalization(stats, train.features, train.count, train.inputs);
  return { train, rawFeatures, stats };
}

function readPageSource(source: DataSource): RawData {
  switch (source.kind) {
    case "builtin":
      return builtinData(source.name, source.options, "data", source.rng ?? "nnc");
    case "inline":
      return inlineRows(source.rows);
    default:
      throw new Error(`data ${source.kind}: a page cannot read files; drop a CSV on the panel to put its rows into the spec`);
  }
}

function inlineRows(rows: Extract<DataSource, { kind: "inline" }>["rows"]): RawData {
  if (rows.length === 0) throw new Error("inline data has no rows");
  const inputs = rows[0]!.inputs.length;
  const targetWidth = rows[0]!.targets.length;
  const features = new Float64Array(rows.length * inputs);
  const targets = new Float64Array(rows.length * targetWidth);
  rows.forEach((row, r) => {
    if (row.inputs.length !== inputs || row.targets.length !== targetWidth) throw new Error(`inline row ${r + 1} has a different width from row 1`);
    features.set(row.inputs, r * inputs);
    targets.set(row.targets, r * targetWidth);
  });
  return {
    source: "inline",
    count: rows.length,
    inputs,
    sampleShape: [inputs],
    features,
    targetWidth,
    targets,
    targetFile: "inline",
    rowText: (r) => `inline row ${r + 1}`,
  };
}

/** The full parameter vector: trainable parameters, then the normalisation statistics where meta.preprocessing says. */
export function withStats<V extends Float64Array | Float32Array>(
  params: V,
  preprocessing: { offset: number; size: number },
  inputs: number,
  stats: NormalizationStats,
): V {
  if (preprocessing.size > 0) {
    params.set(stats.offset, preprocessing.offset);
    params.set(stats.scale, preprocessing.offset + inputs);
  }
  return params;
}
