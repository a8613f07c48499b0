// Stage 3 of `nnc import`: the imported network (network.ts) → the text of NAME.nn and the flat parameter
// vector in nnc's layout (every layer's weight then bias, in layer order: src/layers/layout.ts). The text
// states where the model came from and which training settings nnc chose, since ONNX stores none.
import type { Activation } from "../ir.js";
import type { ImportedLayer, ImportedNetwork } from "./network.js";

export interface SourceInfo {
  /** The .onnx file as the user named it (basename: the spec does not depend on the working folder). */
  file: string;
  irVersion: number;
  opset: number;
  producer: string;
}

/** The training defaults nnc import writes (nnc's own defaults, docs/language.md), stated in the spec's comment. */
export const IMPORT_TRAINING = { optimizer: "sgd", lr: 0.01, epochs: 10, batch: 32 } as const;

/**
 * The shortest decimal that reads back as the same float32 (an ONNX float attribute such as LeakyRelu's
 * alpha 0.10000000149011612 is written 0.1): readable, and `nnc export` writes the same float32 again.
 */
export function float32Text(value: number): string {
  for (let digits = 1; digits <= 17; digits++) {
    const text = Number(value.toPrecision(digits)).toString();
    if (Math.fround(Number(text)) === Math.fround(value)) return text;
  }
  return String(value);
}

function activationText(a: Activation): string {
  if (a.kind === "leaky_relu") return `leaky_relu(${float32Text(a.alpha)})`;
  return a.kind;
}

const pair = (p: readonly [number, number]): string => (p[0] === p[1] ? `${p[0]}` : `${p[0]}x${p[1]}`);

function layerText(layer: ImportedLayer): string {
  switch (layer.kind) {
    case "fc":
      return `layer fc ${layer.inputs}->${layer.outputs} ${activationText(layer.activation)}`;
    case "conv": {
      const options = [`kernel=${pair(layer.kernel)}`];
      if (layer.stride[0] !== 1 || layer.stride[1] !== 1) options.push(`stride=${pair(layer.stride)}`);
      if (layer.padding[0] !== 0 || layer.padding[1] !== 0) options.push(`padding=${pair(layer.padding)}`);
      return `layer conv ${layer.filters} ${options.join(" ")} ${activationText(layer.activation)}`;
    }
    case "maxpool":
    case "avgpool": {
      const square = layer.kernel[0] === layer.kernel[1];
      const words = [`layer ${layer.kind}`, square ? `${layer.kernel[0]}` : `kernel=${pair(layer.kernel)}`];
      if (layer.stride[0] !== layer.kernel[0] || layer.stride[1] !== layer.kernel[1]) words.push(`stride=${pair(layer.stride)}`);
      return words.join(" ");
    }
    case "flatten":
      return "layer flatten";
    case "dropout":
      return `layer dropout p=${float32Text(layer.rate)}`;
  }
}

/** The parameters in nnc's order: per layer with parameters, its weight then its bias. */
export function parameterVector(network: ImportedNetwork): Float64Array {
  const parts: Float64Array[] = [];
  for (const layer of network.layers) if (layer.kind === "fc" || layer.kind === "conv") parts.push(layer.weight, layer.bias);
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The loss nnc's front end would pick for the last layer (docs/language.md, loss). */
function lossFor(network: ImportedNetwork): "crossentropy" | "mse" {
  const last = [...network.layers].reverse().find((l) => l.kind === "fc" || l.kind === "conv");
  const kind = last && (last.kind === "fc" || last.kind === "conv") ? last.activation.kind : "linear";
  return kind === "sigmoid" || kind === "softmax" ? "crossentropy" : "mse";
}

export function specText(network: ImportedNetwork, name: string, source: SourceInfo, weightsFile: string): string {
  const loss = lossFor(network);
  const t = IMPORT_TRAINING;
  const shape = network.inputShape.length === 3 ? `[batch, ${network.inputShape.join(", ")}] (NCHW)` : `[batch, ${network.inputShape[0]}]`;
  const lines = [
    `# ${name}.nn — imported by nnc import from ${source.file} (ONNX IR ${source.irVersion}, opset ${source.opset}${source.producer ? `, ${source.producer}` : ""}).`,
    `# Input ${shape}, row-major as in ONNX.`,
    `# Weights: ${weightsFile}, the ONNX initialisers in nnc's order (fc [outputs][inputs]: Gemm`,
    "# transB=1 as stored, transB=0 and MatMul transposed; conv W [filters][channels][kh][kw] as stored).",
    ...(network.preprocessing
      ? [`# The input normalisation in front of the first layer (${network.preprocessing.nodes.join(", ")}) is in the weights file.`]
      : []),
    ...network.notes.map((note) => `# ${note}.`),
    `# ONNX stores no training settings: nnc import chose loss ${loss} (${loss === "mse" ? "the last layer is not sigmoid or softmax" : "from the last layer's activation"})`,
    `# and nnc's defaults ${t.optimizer} lr=${t.lr} epochs=${t.epochs} batch=${t.batch}. Edit them, then fine-tune from the imported weights:`,
    `#   nnc train ${name}.nn --weights ${weightsFile} --data FEATURES.npy,LABELS.npy`,
    `model ${name}`,
    ...(network.inputShape.length === 3 ? [`input ${network.inputShape.join("x")}`] : []),
    ...network.layers.map(layerText),
    `loss ${loss}`,
    `${t.optimizer} lr=${t.lr} epochs=${t.epochs} batch=${t.batch}`,
  ];
  return `${lines.join("\n")}\n`;
}
