// The front end's diagnostics as LSP diagnostics: every NN code, its severity, the message with the hint on a
// second line (editors show both; the hint alone is also kept in `data` for the code actions), and the range
// in UTF-16 positions.
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "../ir.js";
import { toLspRange } from "./positions.js";

/** What a published diagnostic carries back to the server in a code-action request. */
export interface DiagnosticData {
  hint?: string;
}

/** Diagnostics sent per document at most: a hostile 1 MB spec has ~140,000, which no editor shows usefully. */
export const PUBLISHED_DIAGNOSTICS = 1000;

export function toLspDiagnostic(document: TextDocument, d: Diagnostic): LspDiagnostic {
  const data: DiagnosticData = d.hint === undefined ? {} : { hint: d.hint };
  return {
    range: toLspRange(document, d.range),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "nnc",
    message: d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`,
    data,
  };
}

export function toLspDiagnostics(document: TextDocument, diagnostics: readonly Diagnostic[]): LspDiagnostic[] {
  return diagnostics.slice(0, PUBLISHED_DIAGNOSTICS).map((d) => toLspDiagnostic(document, d));
}
