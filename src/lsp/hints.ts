// Inlay hints: each layer's output shape at the end of its line (`→ 4`, `→ 6×13×13`), walked through the
// layer rules from the spec's input shape (shapes.ts), so any kind's shape shows as its rule computes it.
import { InlayHintKind, type InlayHint, type Range } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Analysis } from "./analysis.js";
import { endOf } from "./positions.js";
import { formatShape, shownShapes } from "./shapes.js";

export function inlayHints(document: TextDocument, analysis: Analysis, range: Range): InlayHint[] {
  const lowered = analysis.lowered;
  if (lowered === null) return [];
  const shapes = shownShapes(lowered, analysis.diagnostics);
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const hints: InlayHint[] = [];
  shapes.forEach((shape, i) => {
    const statement = lowered.layerStatements[i];
    if (statement === undefined || statement.range.endOffset < from || statement.range.startOffset > to) return;
    hints.push({
      position: endOf(document, statement.range),
      label: `→ ${formatShape(shape.output)}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `layer ${i + 1}: ${formatShape(shape.input)} → ${formatShape(shape.output)}, ${shape.parameters} parameters`,
    });
  });
  return hints;
}
