// Reads one DataSource of the IR into RawData: features and per-row targets as the source gave them.
// Each source says what one sample is (sampleShape: a file's dimensions after the count, [width] for flat
// rows); shapes against the spec are checked later, in one place (toDataset, through shape.ts).
import { resolve, isAbsolute, join } from "node:path";
import { UserError } from "../errors.js";
import type { DataSource, SourceRange } from "../ir.js";
import { builtinData } from "./builtin.js";
import { readCsv, type KnownClasses } from "./csv.js";
import type { RawData } from "./dataset.js";
import { readIdx } from "./idx.js";
import { readNpy } from "./npy.js";

/** `classes`: the names a CSV label column of names maps to (see readCsv); null to take its sorted distinct names. */
export function readSource(source: DataSource, baseDir: string, specFile: string, classes: KnownClasses | null = null): RawData {
  const where = position(specFile, source.range);
  const path = (p: string) => (isAbsolute(p) ? p : join(baseDir, p));
  switch (source.kind) {
    case "builtin":
      return builtinData(source.name, source.options, where, source.rng ?? "nnc");
    case "inline":
      return inlineRows(source, specFile);
    case "npy":
      return npyPair(path(source.features), path(source.labels));
    case "csv":
      return csvTable(path(source.path), source.label, source.header, classes);
    case "idx":
      return idxPair(path(source.images), path(source.labels));
  }
}

/** Resolves a spec path as loadData does (for callers that want to print or check it). */
export function resolveDataPath(p: string, baseDir: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

function position(specFile: string, range: SourceRange | null): string {
  return range ? `${specFile}:${range.startLine}:${range.startColumn}` : specFile;
}

function inlineRows(source: Extract<DataSource, { kind: "inline" }>, specFile: string): RawData {
  const { rows } = source;
  if (rows.length === 0) throw new UserError(`${position(specFile, source.range)}: inline data has no rows`);
  const inputs = rows[0]!.inputs.length;
  const targetWidth = rows[0]!.targets.length;
  const features = new Float64Array(rows.length * inputs);
  const targets = new Float64Array(rows.length * targetWidth);
  rows.forEach((row, r) => {
    const at = position(specFile, row.range ?? source.range);
    if (row.inputs.length !== inputs || row.targets.length !== targetWidth) {
      throw new UserError(
        `${at}: inline row ${r + 1} has ${row.inputs.length} inputs and ${row.targets.length} targets, ` + `but row 1 has ${inputs} and ${targetWidth}`,
      );
    }
    [...row.inputs, ...row.targets].forEach((v) => {
      if (!Number.isFinite(v)) throw new UserError(`${at}: inline row ${r + 1} contains ${v}; data must be finite`);
    });
    features.set(row.inputs, r * inputs);
    targets.set(row.targets, r * targetWidth);
  });
  return {
    source: `${specFile} (inline data)`,
    count: rows.length,
    inputs,
    sampleShape: [inputs],
    features,
    targetWidth,
    targets,
    targetFile: specFile,
    rowText: (r) => (rows[r]!.range ? `line ${rows[r]!.range!.startLine}` : `inline row ${r + 1}`),
  };
}

function npyPair(featuresPath: string, labelsPath: string): RawData {
  const x = readNpy(featuresPath);
  const y = readNpy(labelsPath);
  if (x.shape.length === 0) throw new UserError(`${featuresPath}: features must have shape (count,) or (count, inputs, …), got a scalar ()`);
  if (y.shape.length === 0 || y.shape.length > 2) {
    throw new UserError(`${labelsPath}: labels must have shape (count,) or (count, outputs), got (${y.shape.join(", ")})`);
  }
  const count = x.shape[0]!;
  if (y.shape[0] !== count) {
    throw new UserError(`${labelsPath}: ${y.shape[0]} labels, but ${featuresPath} has ${count} rows (the first dimensions must match)`);
  }
  const sampleShape = x.shape.slice(1);
  const targetWidth = y.shape.length === 2 ? y.shape[1]! : 1;
  return {
    source: featuresPath,
    count,
    inputs: sampleShape.reduce((a, b) => a * b, 1),
    sampleShape,
    features: x.data,
    targetWidth,
    targets: y.data,
    targetFile: labelsPath,
    rowText: (r) => (y.shape.length === 1 ? `element ${r}` : `row ${r}`),
  };
}

function csvTable(path: string, label: string | number, header: boolean, classes: KnownClasses | null): RawData {
  const table = readCsv(path, label, header, classes);
  return {
    classes: table.classes,
    source: path,
    count: table.count,
    inputs: table.width,
    sampleShape: [table.width],
    features: table.features,
    targetWidth: 1,
    targets: table.labels,
    targetFile: path,
    rowText: (r) => `line ${table.lines[r]}`,
  };
}

function idxPair(imagesPath: string, labelsPath: string): RawData {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (labels.dims.length > 2) {
    throw new UserError(`${labelsPath}: labels must have 1 dimension (count) or 2 (count × outputs), got ${labels.dims.join("×")}`);
  }
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new UserError(`${labelsPath}: ${labels.dims[0]} labels, but ${imagesPath} has ${count} items (the first dimensions must match)`);
  }
  return {
    source: imagesPath,
    count,
    inputs: images.dims.slice(1).reduce((a, b) => a * b, 1),
    sampleShape: images.dims.slice(1),
    features: images.data,
    targetWidth: labels.dims.length === 2 ? labels.dims[1]! : 1,
    targets: labels.data,
    targetFile: labelsPath,
    rowText: (r) => `item ${r}`,
  };
}
