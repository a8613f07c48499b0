// `nnc import` as a pure function: .onnx bytes → the text of NAME.nn and NAME.weights.json (nothing is
// written here; src/commands/import.ts writes both only when everything succeeded). The stages:
// read.ts (decode, versions) → map.ts (ops → nnc layers) → spec-text.ts (text, parameter order), then the
// text goes through nnc's own formatter and front end, so what is written is canonical and known to parse,
// and the weights document is the one nnc's interpreter saves for that spec (same hash and layout as the
// generated module's loadWeights checks).
import { basename } from "node:path";
import type { Spec } from "../ir.js";
import { formatDiagnostics, parseSpec } from "../front/index.js";
import { formatSpec } from "../fmt/index.js";
import { saveWeights } from "../interpreter/weights.js";
import { formatWeightsFile, type ImportedWeights } from "../train/weights-file.js";
import type { NormalizationStats } from "../data/normalize.js";
import { OnnxImportError } from "./errors.js";
import { mapGraph } from "./map.js";
import type { ImportedNetwork } from "./network.js";
import { readOnnx } from "./read.js";
import { parameterVector, specText } from "./spec-text.js";

export interface ImportOptions {
  /** The model name (and file names NAME.nn, NAME.weights.json); default: the graph's nnc.model metadata, else the file's stem. */
  name?: string;
}

export interface ImportResult {
  name: string;
  specFile: string;
  weightsFile: string;
  specText: string;
  weightsText: string;
  spec: Spec;
  weights: ImportedWeights;
  network: ImportedNetwork;
}

const MODEL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A valid `model` name from a file stem: other characters become _, a leading digit gets a leading _. */
export function modelNameFrom(stem: string): string {
  const cleaned = stem.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^-+/, "");
  const name = /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
  return name === "_" ? "imported" : name;
}

export function importOnnx(bytes: Uint8Array, file: string, options: ImportOptions = {}): ImportResult {
  const graph = readOnnx(bytes, file);
  const network = mapGraph(graph);
  const name = options.name ?? modelNameFrom(graph.metadata.get("nnc.model") ?? basename(file).replace(/\.onnx$/i, ""));
  if (!MODEL_NAME.test(name)) throw new OnnxImportError(file, `--name ${JSON.stringify(name)} is not a model name ([A-Za-z_][A-Za-z0-9_-]*)`);
  const specFile = `${name}.nn`;
  const weightsFile = `${name}.weights.json`;
  const source = { file: basename(file), irVersion: graph.irVersion, opset: graph.opset, producer: graph.producer };
  const raw = specText(network, name, source, weightsFile);

  // nnc's formatter makes the text canonical (`nnc fmt --check` passes on it); the front end must accept it.
  const formatted = formatSpec(raw, specFile);
  if (!formatted.ok) throw new Error(`internal: nnc import wrote a spec the formatter refuses:\n${formatDiagnostics(formatted.diagnostics, raw)}`);
  const text = formatted.text;
  const { spec, diagnostics } = parseSpec(text, specFile);
  if (spec === null) {
    // The ops were all known but their combination is not an nnc network (softmax not last, a dropout last, …).
    // Name the ONNX nodes behind each layer an error points at: the layer statements are in layer order.
    const layerLines = text.split("\n").flatMap((line, i) => (line.startsWith("layer ") ? [i + 1] : []));
    const nodes = diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => network.layers[layerLines.indexOf(d.range.startLine)])
      .filter((l) => l !== undefined)
      .map((l) => `${l.kind} from ${l.nodes.map((n) => `"${n}"`).join(", ")}`);
    const from = nodes.length > 0 ? ` (the layer${nodes.length === 1 ? "" : "s"} at fault: ${nodes.join("; ")})` : "";
    throw new OnnxImportError(
      file,
      `nnc cannot express this network as a spec${from}:\n${formatDiagnostics(diagnostics, text).trimEnd()}\nThe spec nnc import made:\n${text}`,
    );
  }
  const params = parameterVector(network);
  const saved = saveWeights(spec, params);
  if (saved.parameters !== params.length) throw new Error(`internal: ${params.length} imported numbers for ${saved.parameters} parameters`);
  const p = network.preprocessing;
  const normalization: NormalizationStats = p
    ? { kind: p.kind, offset: Array.from(p.offset), scale: Array.from(p.scale) }
    : { kind: "none", offset: new Array<number>(spec.inputs).fill(0), scale: new Array<number>(spec.inputs).fill(1) };
  const weights: ImportedWeights = { ...saved, spec: specFile, normalization, imported: { format: "onnx", ...source } };
  return { name, specFile, weightsFile, specText: text, weightsText: formatWeightsFile(weights), spec, weights, network };
}
