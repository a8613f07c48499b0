// The in-memory data set the trainer consumes, and the one place that turns what a source gave
// (features plus one class index or several target values per row) into dense targets, checking
// widths and label ranges against the spec.
import { UserError } from "../errors.js";
import type { LossKind } from "../ir.js";
import { checkSampleShape } from "./shape.js";

export interface Dataset {
  /** Row-major count × inputs. */
  features: Float64Array;
  /** Row-major count × outputs: one-hot when the source gave class indices for several outputs; the raw value for one output. */
  targets: Float64Array;
  count: number;
  inputs: number;
  outputs: number;
  /** Class index per row when the data is classification (class indices, one-hot rows, or 0/1 for one output); null for regression. */
  labels: Int32Array | null;
  /** Where the rows came from, for messages and reports (a path, "builtin planar", "inline"). */
  source: string;
}

/** What a reader hands over before the spec's shapes are applied. */
export interface RawData {
  source: string;
  count: number;
  /** Feature values per row. */
  inputs: number;
  /** One sample's dimensions as the source gives them (a file's dimensions after the count; [inputs] for flat rows): checked against the spec's input shape (shape.ts). */
  sampleShape: number[];
  features: Float64Array;
  /** Target values per row: 1 (a class index or a single value) or the number of outputs. */
  targetWidth: number;
  targets: Float64Array;
  /** The file the targets came from (the labels file for npy / IDX), for label messages. */
  targetFile: string;
  /** Names a row in that file, e.g. "line 18", "element 17", "row 3". */
  rowText: (row: number) => string;
  /** The class names the targets are indices into, when the source wrote names (a CSV label column of strings). */
  classes?: string[] | null;
}

export interface ModelShape {
  inputs: number;
  /** The spec's input shape: [inputs] (flat) or [C, H, W]. */
  inputShape: readonly number[];
  outputs: number;
  loss: LossKind;
}

export function toDataset(raw: RawData, model: ModelShape): Dataset {
  const { count, targetWidth, targets, targetFile, rowText } = raw;
  const { inputs, outputs, loss } = model;
  if (count === 0) throw new UserError(`${raw.source}: no rows`);
  checkSampleShape(raw.source, count, raw.sampleShape, model.inputShape);
  // The shape check saw the right count of numbers; a difference here is an IR whose inputs and inputShape disagree (a bug, not bad data).
  if (raw.inputs !== inputs) throw new Error(`${raw.source}: ${raw.inputs} numbers per row but input shape ${model.inputShape.join("x")} holds ${inputs}`);
  const dense = new Float64Array(count * outputs);
  let labels: Int32Array | null = new Int32Array(count);
  const probabilities = loss === "binary_crossentropy" || loss === "categorical_crossentropy";

  if (targetWidth === 1 && outputs > 1) {
    // One class index per row → one-hot.
    for (let r = 0; r < count; r++) {
      const v = targets[r]!;
      if (!Number.isInteger(v) || v < 0 || v >= outputs) {
        throw new UserError(`${targetFile}: ${rowText(r)}: label ${v} is not a class index 0..${outputs - 1} (the model has ${outputs} outputs)`);
      }
      dense[r * outputs + v] = 1;
      labels[r] = v;
    }
  } else if (targetWidth === outputs) {
    dense.set(targets.subarray(0, count * outputs));
    for (let r = 0; r < count; r++) {
      const row = targets.subarray(r * outputs, (r + 1) * outputs);
      // Cross-entropy needs targets in [0, 1]; soft targets (not exactly 0/1) are allowed.
      const bad = probabilities ? row.findIndex((v) => v < 0 || v > 1) : -1;
      if (bad >= 0) {
        throw new UserError(`${targetFile}: ${rowText(r)}: target ${row[bad]} is outside [0, 1], which ${loss} needs${outputs > 1 ? ` (output ${bad})` : ""}`);
      }
      if (labels) labels = classOf(row, r, labels);
    }
  } else {
    throw new UserError(
      `${targetFile}: ${targetWidth} target values per row, but the model has ${outputs} output${outputs === 1 ? "" : "s"} ` +
        `(give ${outputs > 1 ? `one class index or ${outputs} values` : "one value"} per row)`,
    );
  }
  return { features: raw.features.subarray(0, count * inputs), targets: dense, count, inputs, outputs, labels, source: raw.source };
}

/** Records row r's class when it is a class (0/1 for one output, one-hot for several); returns null at the first row that is not. */
function classOf(row: Float64Array, r: number, labels: Int32Array): Int32Array | null {
  if (row.length === 1) {
    if (row[0] !== 0 && row[0] !== 1) return null;
    labels[r] = row[0]!;
    return labels;
  }
  let hot = -1;
  for (let k = 0; k < row.length; k++) {
    if (row[k] === 1 && hot < 0) hot = k;
    else if (row[k] !== 0) return null;
  }
  if (hot < 0) return null;
  labels[r] = hot;
  return labels;
}

/** The rows at `indices` (in that order) as a new data set. */
export function selectRows(data: Dataset, indices: ArrayLike<number>): Dataset {
  const { inputs, outputs } = data;
  const count = indices.length;
  const features = new Float64Array(count * inputs);
  const targets = new Float64Array(count * outputs);
  const labels = data.labels ? new Int32Array(count) : null;
  for (let i = 0; i < count; i++) {
    const r = indices[i]!;
    features.set(data.features.subarray(r * inputs, (r + 1) * inputs), i * inputs);
    targets.set(data.targets.subarray(r * outputs, (r + 1) * outputs), i * outputs);
    if (labels) labels[i] = data.labels![r]!;
  }
  return { features, targets, count, inputs, outputs, labels, source: data.source };
}
