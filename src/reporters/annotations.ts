// The `github` reporter: GitHub Actions annotations (src/reporters/github.ts formats them). nnc check: an
// `::error` per failing tensor on its layer's line (tensorRange), a `::warning` per front-end warning, an
// `::error` per error of a spec that does not parse; then the one-line summary as plain log text.
// nnc parse: an annotation per diagnostic, at its own position.
import type { Diagnostic } from "../ir.js";
import { formatSummary } from "../check/format.js";
import { formatAnnotation, type Annotation } from "./github.js";
import { filePassed, rowFailureMessage, tensorRange, type FileResult } from "./results.js";

function diagnosticAnnotation(d: Diagnostic): Annotation {
  const r = d.range;
  return {
    level: d.severity === "error" ? "error" : "warning",
    file: d.fileName,
    line: r.startLine,
    col: r.startColumn,
    ...(r.endLine !== r.startLine ? { endLine: r.endLine } : {}),
    title: `nnc ${d.code}`,
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
}

export function githubCheck(results: readonly FileResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(...result.diagnostics.map((d) => formatAnnotation(diagnosticAnnotation(d))));
    const { spec, check } = result;
    if (!spec || !check) continue;
    for (const row of check.rows) {
      if (row.status !== "fail") continue;
      const range = tensorRange(spec, row.name);
      const where = range ? { line: range.startLine, col: range.startColumn } : {};
      lines.push(
        formatAnnotation({ level: "error", file: result.file, ...where, title: `nnc check: gradient of ${row.name}`, message: rowFailureMessage(row) }),
      );
    }
  }
  const checked = results.filter((r) => r.check !== null).map((r) => r.check!);
  const broken = results.filter((r) => r.spec === null);
  const summary =
    checked.length > 0 ? formatSummary({ tool: "nnc check", passed: checked.every((c) => c.passed), specs: checked }) : "nnc check: no spec checked";
  lines.push(
    broken.length > 0 ? `${summary}; ${broken.length} spec${broken.length === 1 ? "" : "s"} with errors: ${broken.map((r) => r.file).join(", ")}` : summary,
  );
  return lines.join("\n") + "\n";
}

export function githubParse(results: readonly FileResult[]): string {
  const lines = results.flatMap((r) => r.diagnostics.map((d) => formatAnnotation(diagnosticAnnotation(d))));
  const failed = results.filter((r) => !filePassed(r)).length;
  lines.push(`nnc parse: ${results.length} spec${results.length === 1 ? "" : "s"}, ${failed === 0 ? "no errors" : `${failed} with errors`}`);
  return lines.join("\n") + "\n";
}
