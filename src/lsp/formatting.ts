// Document formatting: `nnc fmt`'s canonical layout (src/fmt), as one edit over the whole document. A spec
// with a syntax error is left alone (as `nnc fmt` refuses it); its diagnostics are already shown.
import type { TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { formatSpec } from "../fmt/index.js";

export function formatDocument(document: TextDocument, fileName: string): TextEdit[] {
  const source = document.getText();
  const result = formatSpec(source, fileName);
  if (!result.ok || !result.changed) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(source.length) }, newText: result.text }];
}
