// Hover: what the front end and the plan know about the word under the cursor.
//   `layer` statement → the layer's input → output shape, its parameter count, the activation's formula;
//   `model` → the whole module's memory (the limits stage's plan) and its parameters;
//   an option name → its type, range, default and meaning (the schema table);
//   a `let` variable → its value.
import { MarkupKind, type Hover, type Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Layer } from "../ir.js";
import type { StatementNode } from "../front/statements.js";
import { ruleOf } from "../layers/index.js";
import { estimateModuleBytes, formatBytes } from "../limits.js";
import { statementAt, type Analysis } from "./analysis.js";
import { toLspRange, touches } from "./positions.js";
import { formatShape, shownShapes } from "./shapes.js";
import { activationFormula, describeOption, optionTable, STATEMENT_DOCS } from "./vocabulary.js";
import { variableAt } from "./variables.js";

const markdown = (lines: string[]): Hover["contents"] => ({ kind: MarkupKind.Markdown, value: lines.join("\n\n") });

export function hover(document: TextDocument, analysis: Analysis, position: Position): Hover | null {
  const offset = document.offsetAt(position);
  const statement = statementAt(analysis.statements, offset);
  if (statement === undefined) return null;
  const setting = statement.settings.find((s) => touches(s.name.range, offset));
  if (setting !== undefined) {
    const spec = optionTable(statement.keyword.text, statement.kind?.text ?? null)?.[setting.name.text];
    if (spec === undefined) return null;
    const lines = [`**${setting.name.text}**: ${describeOption(spec)}`];
    if (spec.doc) lines.push(spec.doc);
    return { contents: markdown(lines), range: toLspRange(document, setting.name.range) };
  }
  const variable = variableAt(analysis, offset);
  if (variable !== undefined) {
    const value = analysis.lowered?.spec.variables[variable.name];
    const text = value === undefined ? `\`${variable.name}\`: not declared` : `\`let ${variable.name} = ${value}\``;
    return { contents: markdown([text]), range: toLspRange(document, variable.range) };
  }
  if (statement.keyword.text === "layer") return layerHover(document, analysis, statement);
  if (statement.keyword.text === "model") return modelHover(document, analysis, statement);
  if (touches(statement.keyword.range, offset) && statement.known) {
    const doc = STATEMENT_DOCS[statement.keyword.text];
    return doc === undefined ? null : { contents: markdown([`\`${doc}\``]), range: toLspRange(document, statement.keyword.range) };
  }
  return null;
}

function layerHover(document: TextDocument, analysis: Analysis, statement: StatementNode): Hover | null {
  const lowered = analysis.lowered;
  if (lowered === null) return null;
  const index = lowered.layerStatements.indexOf(statement);
  const layer: Layer | undefined = lowered.spec.layers[index];
  if (index < 0 || layer === undefined) return null;
  const lines: string[] = [];
  let summary = `layer ${index + 1}${statement.kind === null ? "" : ` (${statement.kind.text})`}`;
  let activation: string | undefined;
  try {
    const rule = ruleOf(layer);
    summary += `: ${rule.describe(layer)}`;
    activation = rule.activation(layer)?.kind;
  } catch {
    // A kind without a rule yet: the number alone.
  }
  lines.push(`**${summary}**`);
  const shapes = shownShapes(lowered, analysis.diagnostics)[index];
  if (shapes !== undefined) {
    lines.push(`shape ${formatShape(shapes.input)} → ${formatShape(shapes.output)}`);
    lines.push(`${shapes.parameters} parameter${shapes.parameters === 1 ? "" : "s"}`);
  } else {
    lines.push("shape unknown (fix the errors above this layer)");
  }
  const formula = activation === undefined ? undefined : activationFormula(activation);
  if (formula !== undefined) lines.push(`${activation}: ${formula}`);
  return { contents: markdown(lines), range: toLspRange(document, statement.range) };
}

function modelHover(document: TextDocument, analysis: Analysis, statement: StatementNode): Hover {
  const lines = [`**model ${analysis.lowered?.spec.name ?? statement.kind?.text ?? ""}**`];
  const plan = analysis.plan;
  if (plan !== null) {
    const m = plan.memory;
    lines.push(`${plan.parameters} parameters; module memory ${formatBytes(m.total)} (${m.total} bytes)`);
    lines.push(
      [
        `- parameters ${formatBytes(m.parameters)}`,
        `- gradient ${formatBytes(m.gradient)}`,
        `- optimiser state ${formatBytes(m.optimizerState)}`,
        `- scratch ${formatBytes(m.scratch)}`,
        `- training buffers ${formatBytes(m.training)}`,
      ].join("\n"),
    );
    lines.push(`generated module ≈ ${formatBytes(estimateModuleBytes(plan))} of TypeScript (${plan.precision})`);
  } else {
    lines.push("memory: not known until the spec has no errors");
  }
  return { contents: markdown(lines), range: toLspRange(document, statement.range) };
}
