// The weights file `nnc train` writes and `nnc predict` reads: the generated module's saveWeights()
// (format, model, spec hash, layout, values) plus what a prediction needs besides the parameters (the
// normalisation fitted on the training split) and a short summary of the run.
//
// It holds no timestamps or timings, so the same spec, data and seed give a byte-identical file.
// Loading checks identity by meaning (src/network-identity.ts): the model name, the layout, the
// normalisation kind and the network hash (what the values mean), never the spec's text, so comments,
// formatting and training settings do not matter; it names each difference and how to fix it. Files
// written before the network hash existed load when their layout and normalisation kind match.
import { READ_LIMITS, readTextBounded } from "../read-bounded.js";
import { basename } from "node:path";
import { UserError } from "../errors.js";
import { parseNormalizationStats, type NormalizationStats } from "../data/normalize.js";
import type { ModuleMeta, StopReason, TensorLayout, WeightsJson } from "../module-api.js";
import { validate } from "../schema/validate.js";
import { weightsFileSchema } from "../schema/files.js";

/** What the run did, for people reading the file (no timings: they would break byte-identical reruns). */
export interface RunSummary {
  /** Seed of batch order and dropout (the spec's, or --seed). */
  seed: number;
  /** Seed of the initial weights (the spec's, or --seed). */
  initSeed: number;
  /** Epochs completed. */
  epochs: number;
  stoppedBy: StopReason;
  /** True when Ctrl-C stopped the run: the weights are those after the last completed batch. */
  interrupted: boolean;
  /** Final metrics in eval mode on the (normalised) training and test sets; null where not applicable. */
  loss: number | null;
  accuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
}

export interface TrainedWeights extends WeightsJson {
  /** File name of the spec the weights were trained from (no folders, so the file does not depend on cwd). */
  spec: string;
  /** Fitted on the training split (kind "none" when the spec normalises nothing); predict applies it to raw input. */
  normalization: NormalizationStats;
  run: RunSummary;
}

/**
 * What `nnc import` writes (src/onnx/import.ts): the same fields nnc predict and loadWeights read, with where
 * the weights came from instead of a run summary (they were trained elsewhere).
 */
export interface ImportedWeights extends WeightsJson {
  spec: string;
  /** The input normalisation the ONNX graph applied before its first layer; kind "none" when it applied none. */
  normalization: NormalizationStats;
  imported: { format: "onnx"; file: string; irVersion: number; opset: number; producer: string };
}

/**
 * The file's text: one field per line, each layout tensor on one line, the values and the normalisation
 * on one line each (a 100k-parameter model stays compact), the run summary indented.
 */
export function formatWeightsFile(weights: TrainedWeights | ImportedWeights): string {
  const fields = Object.entries(weights).map(([key, value]) => {
    let text: string;
    if (key === "layout") text = `[\n${(value as TensorLayout[]).map((t) => `    ${JSON.stringify(t)}`).join(",\n")}\n  ]`;
    else if (key === "values" || key === "normalization") text = JSON.stringify(value);
    else text = JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(",\n")}\n}\n`;
}

export function buildWeightsFile(saved: WeightsJson, specFile: string, normalization: NormalizationStats, run: RunSummary): TrainedWeights {
  // Non-finite values cannot be written as JSON numbers; the trainer never keeps them (it restores the last finite epoch).
  const bad = saved.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`internal: parameter ${bad} is ${saved.values[bad]} when saving weights`);
  // The fields in the order files have always had them (spec and normalization after the values).
  const { normalization: _saved, ...fields } = saved;
  return { ...fields, spec: basename(specFile), normalization, run };
}

/**
 * A weights file's size bound: ~25 characters per JSON number plus its comma, and room for the layout and
 * the other fields; READ_LIMITS.weights when the caller does not know how many values to expect.
 */
export function weightsFileLimit(values: number | undefined): number {
  return values === undefined ? READ_LIMITS.weights : Math.min(READ_LIMITS.weights, 1024 * 1024 + 40 * values);
}

/** Reads and parses a weights file (at most weightsFileLimit(values) bytes); shape and hash checks happen in checkWeights. */
export function readWeightsFile(path: string, values?: number): unknown {
  // Past the spec's own bound the file is another network's weights (the reader's default message otherwise).
  const tooLarge = (limit: string) =>
    `${path}: weights do not match the spec: the file is larger (over ${limit}) than weights of ${values!.toLocaleString("en-US")} values can be (another network's weights?)`;
  const text = readTextBounded(path, "weights file", weightsFileLimit(values), values === undefined ? {} : { tooLarge });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${path}: not a JSON weights file (${(error as Error).message})`);
  }
}

/** What checkWeights compares: the module's meta (networkHash and preprocessing optional: fine-tuning leaves them out). */
export type WeightsIdentity = Pick<ModuleMeta, "name" | "specHash" | "layout" | "parameters" | "inputs"> &
  Partial<Pick<ModuleMeta, "networkHash" | "preprocessing">>;

/**
 * Checks a parsed weights file against the module built from the spec and returns it typed.
 * Throws one UserError listing every difference (model name, layout tensors, normalisation, network) and
 * how to fix it. The spec hash is kept in files for provenance and not compared.
 */
export function checkWeights(json: unknown, meta: WeightsIdentity, path: string): TrainedWeights {
  if (typeof json !== "object" || json === null || (json as { format?: unknown }).format !== "nnc-weights") {
    throw new UserError(`${path}: not an nnc weights file (no "format": "nnc-weights")`);
  }
  // Every field's type first (src/schema/files.ts), so what follows compares well-formed values.
  const w = validate(weightsFileSchema, json, path) as unknown as Partial<TrainedWeights>;
  const differences: string[] = [];
  if (w.model !== meta.name) differences.push(`model name: weights are for '${String(w.model)}', the spec defines '${meta.name}'`);
  differences.push(...shapeDifferences(w.layout, meta.layout, w.parameters, meta.parameters));
  const kind = (w.normalization as { kind?: unknown } | undefined)?.kind;
  const want = meta.preprocessing?.normalize;
  // A spec that normalises nothing may still be given weights with a normalisation: nnc import's (ONNX has the
  // normalisation as nodes in front of the first layer, and a spec cannot say `normalize` without data);
  // nnc predict applies it before the module (src/train/predict.ts).
  if (want !== undefined && want !== "none" && kind !== undefined && kind !== want) {
    differences.push(`normalisation: the weights were trained on inputs normalised ${spelled(kind)}, the spec says ${spelled(want)}`);
  }
  const scale = meta.preprocessing?.scale;
  if (scale !== undefined && typeof w.dataScale === "number" && w.dataScale !== scale) {
    differences.push(`data scale: the weights were trained on inputs scaled by ${w.dataScale}, the spec scales by ${scale}`);
  }
  if (differences.length === 0 && meta.networkHash !== undefined && typeof w.networkHash === "string" && w.networkHash !== meta.networkHash) {
    differences.push(
      `network: the layout matches but a layer's settings (activation, window, stride, padding, dropout rate), the input shape or the data scale differ ` +
        `(network hash ${short(w.networkHash)} in the weights, ${short(meta.networkHash)} in the spec)`,
    );
  }
  if (differences.length > 0) {
    const named = typeof w.spec === "string" ? `, or use the spec they were trained from ('${w.spec}', the file's "spec" field)` : "";
    throw new UserError(`${path}: weights do not match the spec:\n  - ${differences.join("\n  - ")}\n  retrain with \`nnc train SPEC\`${named}`);
  }
  if (!Array.isArray(w.values) || w.values.length !== meta.parameters || !w.values.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new UserError(`${path}: "values" must be ${meta.parameters} finite numbers`);
  }
  if (w.normalization === undefined) {
    if (want !== undefined && want !== "none") {
      throw new UserError(
        `${path}: no "normalization" field: the spec normalises its inputs (${spelled(want)}), and the weights need the statistics they were trained with`,
      );
    }
    throw new UserError(`${path}: no "normalization" field (nnc train, nnc import and a module's saveWeights write one)`);
  }
  const normalization = parseNormalizationStats(w.normalization, meta.inputs, `${path}: "normalization"`);
  return { ...(w as TrainedWeights), normalization };
}

function spelled(kind: unknown): string {
  return String(kind).replace("_", "-");
}

function short(hash: unknown): string {
  return typeof hash === "string" ? hash.slice(0, 12) : String(hash);
}

function shapeDifferences(
  layout: readonly TensorLayout[] | undefined,
  expected: readonly TensorLayout[],
  parameters: number | undefined,
  expectedParameters: number,
): string[] {
  if (!Array.isArray(layout)) return ["shape: the weights file has no layout"];
  const result: string[] = [];
  const names = new Set([...layout.map((t) => t.name), ...expected.map((t) => t.name)]);
  for (const name of names) {
    const have = layout.find((t) => t.name === name);
    const want = expected.find((t) => t.name === name);
    const shape = (t: TensorLayout | undefined): string => (t ? `[${t.shape.join(", ")}]` : "absent");
    if (!have || !want || shape(have) !== shape(want)) result.push(`shape: ${name} is ${shape(have)} in the weights, ${shape(want)} in the spec`);
    else if (have.offset !== want.offset) result.push(`shape: ${name} ${shape(want)} is at offset ${have.offset} in the weights, ${want.offset} in the spec`);
  }
  if (result.length === 0 && parameters !== expectedParameters) {
    result.push(`shape: ${String(parameters)} parameters in the weights, ${expectedParameters} in the spec`);
  }
  return result;
}
