// The model summary table (`nnc parse --summary`), like Keras's model.summary(): one row per layer with its
// kind, output shape, parameter count and activation, walked from the spec's input shape through the layer
// rules (`outputShape`, `limits.parameters`, `activation`, `describe`); then the totals and the memory the
// generated module needs (the plan's estimate, src/plan.ts).
import type { Spec } from "./ir.js";
import { ruleOf } from "./layers/index.js";
import type { Shape } from "./layers/types.js";
import { shapeText } from "./layers/window.js";
import { formatBytes } from "./limits.js";
import type { Plan } from "./plan.js";

export interface SummaryRow {
  /** 1-based layer number, as in the module's comments and `--plan`. */
  index: number;
  /** The word after `layer`: fc, conv, maxpool, … */
  kind: string;
  /** The rule's one-liner piece: "4 tanh", "conv 6 5×5 relu (6×13×13)". */
  description: string;
  outputShape: Shape;
  parameters: number;
  /** "tanh", "leaky_relu(0.1)", or null for a layer without one (pooling, flatten, dropout). */
  activation: string | null;
}

export interface ModelSummary {
  name: string;
  inputShape: Shape;
  rows: SummaryRow[];
  parameters: number;
  memory: Plan["memory"];
  precision: Plan["precision"];
}

/** The summary's rows and totals; the parameter total is checked against the plan's layout. */
export function modelSummary(spec: Spec, plan: Plan): ModelSummary {
  let shape: Shape = spec.inputShape;
  const rows = spec.layers.map((layer, i): SummaryRow => {
    const rule = ruleOf(layer);
    shape = rule.outputShape(layer, shape);
    const act = rule.activation(layer);
    return {
      index: i + 1,
      kind: rule.syntax?.word ?? layer.kind,
      description: rule.describe(layer),
      outputShape: shape,
      parameters: rule.limits.parameters(layer),
      activation: act === null ? null : act.kind === "leaky_relu" ? `leaky_relu(${act.alpha})` : act.kind,
    };
  });
  const parameters = rows.reduce((sum, r) => sum + r.parameters, 0);
  if (parameters !== plan.parameters) throw new Error(`summary: the layers' parameters add up to ${parameters}, the plan's layout has ${plan.parameters}`);
  return { name: spec.name, inputShape: spec.inputShape, rows, parameters, memory: plan.memory, precision: plan.precision };
}

const count = (n: number): string => n.toLocaleString("en-US");

/**
 * The table as text:
 *
 *     Model: letters-cnn (input 1×17×17)
 *     #  layer    output shape  parameters  activation
 *     …
 *     Total parameters: 7,772 (f64: 62.2 kB), all trainable
 */
export function formatSummary(s: ModelSummary): string {
  const header = ["#", "layer", "output shape", "parameters", "activation"];
  const body = [
    ["", "input", shapeText(s.inputShape), "0", "–"],
    ...s.rows.map((r) => [String(r.index), r.kind, shapeText(r.outputShape), count(r.parameters), r.activation ?? "–"]),
  ];
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 || c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const rule = (ch: string): string => ch.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const m = s.memory;
  const optimizer = m.optimizerState > 0 ? `, optimiser state ${formatBytes(m.optimizerState)}` : "";
  return [
    `Model: ${s.name}`,
    rule("─"),
    line(header),
    rule("─"),
    ...body.map(line),
    rule("═"),
    `Total parameters: ${count(s.parameters)} (${s.precision}: ${formatBytes(s.parameters * m.bytesPerNumber)}), all trainable`,
    `Memory of the module: ${formatBytes(m.total)} (parameters ${formatBytes(m.parameters)}, gradient ${formatBytes(m.gradient)}${optimizer}, scratch ${formatBytes(m.scratch)}, train() buffers ${formatBytes(m.training)})`,
    "",
  ].join("\n");
}
