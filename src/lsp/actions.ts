// Code actions: a quick fix for every diagnostic whose fix the front end knows.
//   - every "did you mean `X`?" hint (unknown statement, kind, option, value, activation, variable): X in place of the word;
//   - NN014 (a statement given twice): remove the repeat;
//   - NN020 (widths do not chain; hint "write `N->…` here"): N as the layer's input width;
//   - NN021 (`input` differs from the first layer's inputs): the first layer takes what `input` says;
//   - NN023 (crossentropy after an output that is not sigmoid/softmax): `loss mse`, or a sigmoid output
//     (and a softmax output when there are several outputs);
//   - NN024 (softmax over one output): sigmoid;
//   - NN030 (`stop early` without validation data): add `split 0.2`;
//   - NN041 (a `let` no size uses): remove the statement.
// The diagnostics come back from the editor as they were published (code, range, and the hint in `data`).
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { lastDeclaring } from "../front/lower.js";
import type { StatementNode } from "../front/statements.js";
import { statementAt, type Analysis } from "./analysis.js";
import type { DiagnosticData } from "./diagnostics.js";
import { endOf, toLspRange } from "./positions.js";

export function codeActions(document: TextDocument, analysis: Analysis, diagnostics: readonly LspDiagnostic[]): CodeAction[] {
  return diagnostics.flatMap((d) => (d.source === "nnc" ? actionsFor(document, analysis, d) : []));
}

function fix(document: TextDocument, title: string, diagnostic: LspDiagnostic, edits: TextEdit[], preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: { changes: { [document.uri]: edits } } };
}

function actionsFor(document: TextDocument, analysis: Analysis, d: LspDiagnostic): CodeAction[] {
  const hint = (d.data as DiagnosticData | undefined)?.hint ?? "";
  const meant = /did you mean `([^`]+)`\?/.exec(hint)?.[1];
  if (meant !== undefined) return [fix(document, `Change to \`${meant}\``, d, [{ range: d.range, newText: meant }], true)];
  switch (d.code) {
    case "NN014": {
      const statement = statementAt(analysis.statements, document.offsetAt(d.range.start));
      return statement === undefined ? [] : [fix(document, "Remove this repeated statement", d, [removal(document, statement)])];
    }
    case "NN021": {
      const message = typeof d.message === "string" ? d.message : d.message.value;
      const declared = /`input` says (\d+)/.exec(message)?.[1];
      return declared === undefined ? [] : [fix(document, `Take ${declared} inputs (as \`input\` says)`, d, [{ range: d.range, newText: declared }])];
    }
    case "NN030": {
      const line = d.range.start.line;
      return [
        fix(document, "Hold out 20 % of the training data (`split 0.2`)", d, [
          { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: "split 0.2\n" },
        ]),
      ];
    }
    case "NN020": {
      const width = /^write `(\d+)->…`/.exec(hint)?.[1];
      return width === undefined ? [] : [fix(document, `Take ${width} inputs (the previous layer's outputs)`, d, [{ range: d.range, newText: width }], true)];
    }
    case "NN023":
      return crossentropyFixes(document, analysis, d);
    case "NN024":
      return [fix(document, "Use sigmoid for a single output", d, [{ range: d.range, newText: "sigmoid" }], true)];
    case "NN041": {
      const statement = statementAt(analysis.statements, document.offsetAt(d.range.start));
      return statement === undefined ? [] : [fix(document, `Remove the unused \`let ${statement.variable?.text ?? ""}\``, d, [removal(document, statement)])];
    }
    default:
      return [];
  }
}

function crossentropyFixes(document: TextDocument, analysis: Analysis, d: LspDiagnostic): CodeAction[] {
  const actions = [fix(document, "Use `loss mse`", d, [{ range: d.range, newText: "mse" }])];
  const lowered = analysis.lowered;
  const last = lowered === null ? undefined : lastDeclaring(lowered.spec.layers);
  if (lowered === null || last === undefined) return actions;
  const statement = lowered.layerStatements[lowered.spec.layers.indexOf(last.layer)];
  if (statement === undefined) return actions;
  actions.push(fix(document, "Make the output layer sigmoid", d, [activationEdit(document, statement, "sigmoid")]));
  if (last.outputs >= 2) actions.push(fix(document, "Make the output layer softmax", d, [activationEdit(document, statement, "softmax")]));
  return actions;
}

/** Replaces the layer's activation, or writes one after its sizes. */
function activationEdit(document: TextDocument, statement: StatementNode, activation: string): TextEdit {
  if (statement.activation !== null) return { range: toLspRange(document, statement.activation.range), newText: activation };
  const after = statement.to ?? statement.from ?? statement.kind ?? statement.keyword;
  const at = endOf(document, after.range);
  return { range: { start: at, end: at }, newText: ` ${activation}` };
}

/** The statement's whole line (its trailing comment included) when nothing else is on it, else just the statement. */
function removal(document: TextDocument, statement: StatementNode): TextEdit {
  const range: Range = toLspRange(document, statement.range);
  const line = range.start.line;
  const before = document.getText({ start: { line, character: 0 }, end: range.start });
  const after = document.getText({ start: range.end, end: { line: line + 1, character: 0 } });
  const alone = range.end.line === line && before.trim() === "" && /^[ \t]*(#.*)?(\r\n|\r|\n)?$/.test(after);
  if (alone) return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: "" };
  return { range, newText: "" };
}
