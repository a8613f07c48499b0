// What `nnc parse` and `nnc build --summary` print about a spec: the one-line summary (the network, then
// every training setting in the spec's own words, defaults included, so a learner sees what will run), and
// the model summary table, like Keras's model.summary(): one row per layer with its kind, output shape,
// parameter count and activation, walked from the spec's input shape through the layer rules (`outputShape`,
// `limits.parameters`, `activation`, `describe`); then the totals and the memory the generated module needs
// (the plan's estimate, src/plan.ts).
import type { Data, Init, Schedule, Spec, StopCriterion, Training } from "./ir.js";
import { ruleOf } from "./layers/index.js";
import type { Shape } from "./layers/types.js";
import { shapeText } from "./layers/window.js";
import { formatBytes } from "./limits.js";
import { planSpec, type Plan } from "./plan.js";

/**
 * One line a person can check at a glance, every setting written as the spec would write it:
 * `gender: 2 → 2 sigmoid → 1 sigmoid · mse · sgd lr=0.1 epochs=1000 batch=1 no shuffle seed=1 · schedule constant · init xavier seed=1 · data inline (4 rows) · no split · normalize zero-mean · stop loss < 0.1`.
 */
export function oneLineSummary(spec: Spec): string {
  const net = [shapeText(spec.inputShape), ...spec.layers.map((layer) => ruleOf(layer).describe(layer))].join(" → ");
  const parts = [net, spec.loss.kind];
  if (spec.classes !== null) parts.push(`classes ${spec.classes.map((c) => (/^[A-Za-z_][\w-]*$/.test(c) ? c : JSON.stringify(c))).join(", ")}`);
  parts.push(optimizerText(spec.training), scheduleText(spec.training.schedule), initText(spec.init), ...dataTexts(spec.data));
  parts.push(spec.training.stop.length === 0 ? "no stop rule (all epochs)" : `stop ${spec.training.stop.map(stopText).join(", ")}`);
  if (spec.precision !== "f64") parts.push(`precision ${spec.precision}`);
  return `${spec.name}: ${parts.join(" · ")}\n`;
}

/** `nnc parse --summary` and `nnc build --summary`: the one-liner, then the table. */
export function summaryText(spec: Spec): string {
  return oneLineSummary(spec) + formatSummary(modelSummary(spec, planSpec(spec)));
}

function optimizerText(t: Training): string {
  const o = t.optimizer;
  const own =
    o.kind === "momentum"
      ? ` beta=${o.beta}${o.nesterov ? " nesterov" : ""}`
      : o.kind === "rmsprop"
        ? ` rho=${o.rho} eps=${o.eps}`
        : o.kind === "adam"
          ? ` beta1=${o.beta1} beta2=${o.beta2} eps=${o.eps}`
          : "";
  // `shuffle` is a flag: its absence is spelled out, since a learner from PyTorch expects shuffling by default.
  const l2 = t.weightDecay > 0 ? ` l2=${t.weightDecay}` : "";
  return `${o.kind} lr=${t.learningRate}${own} epochs=${t.epochs} batch=${t.batchSize} ${t.shuffle ? "shuffle" : "no shuffle"}${l2} seed=${t.seed}`;
}

function scheduleText(s: Schedule): string {
  if (s.kind === "step") return `schedule step factor=${s.factor} every=${s.every} min=${s.min}`;
  if (s.kind === "exponential") return `schedule exponential gamma=${s.gamma} min=${s.min}`;
  if (s.kind === "cosine") return `schedule cosine min=${s.min} period=${s.period}`;
  return "schedule constant";
}

function initText(init: Init): string {
  const s = init.scheme;
  const own = s.kind === "normal" ? ` std=${s.std}` : s.kind === "uniform" ? ` limit=${s.limit}` : "";
  return `init ${s.kind}${own} seed=${init.seed}${init.rng === "numpy" ? " rng=numpy" : ""}`;
}

/** The source as `data …` / `test …` names it: a built-in's name, inline's row count, a file's path. */
function sourceText(source: Data["train"]): string {
  if (source.kind === "builtin") return `${source.name}${source.rng === "numpy" ? " rng=numpy" : ""}`;
  if (source.kind === "inline") return `inline (${source.rows.length} row${source.rows.length === 1 ? "" : "s"})`;
  if (source.kind === "csv") return `csv ${JSON.stringify(source.path)} label=${source.label}`;
  if (source.kind === "npy") return `npy ${JSON.stringify(source.features)}`;
  return `idx ${JSON.stringify(source.images)}`;
}

function dataTexts(data: Data | null): string[] {
  if (data === null) return ["no data"];
  const out = [`data ${sourceText(data.train)}${data.scale !== 1 ? ` scale=${data.scale}` : ""}`];
  if (data.test !== null) out.push(`test ${sourceText(data.test)}`);
  else out.push(data.split > 0 ? `split ${data.split} seed=${data.splitSeed}` : "no split");
  out.push(`normalize ${data.normalize.replace("_", "-")}`);
  return out;
}

function stopText(s: StopCriterion): string {
  if (s.kind === "loss_below") return `loss < ${s.value}`;
  if (s.kind === "accuracy_above") return `accuracy >= ${s.value}`;
  return `early monitor=${s.monitor} patience=${s.patience} min_delta=${s.minDelta}`;
}

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
