// The `markdown` reporter: a summary for a CI run's page (GitHub's $GITHUB_STEP_SUMMARY, a GitLab or
// Gitea comment): a heading with the verdict, one table row per spec, then the failing tensors (nnc check)
// or the diagnostics (nnc parse). Cells are escaped (`|`, backslashes, markup, newlines), so any file name
// or message keeps the table's shape.
import { sci } from "../check/format.js";
import { diagnosticLine, errorsOf, filePassed, warningsOf, type FileResult } from "./results.js";

/** A table cell: no line breaks, `|` and markdown/HTML markup escaped. */
export function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;");
}

function table(header: string[], align: string[], rows: string[][]): string[] {
  return [`| ${header.join(" | ")} |`, `|${align.join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export function markdownCheck(results: readonly FileResult[]): string {
  const failed = results.filter((r) => !filePassed(r));
  const tensors = results.reduce((n, r) => n + (r.check?.rows.length ?? 0), 0);
  const verdict = failed.length === 0 ? "all passed" : `${failed.length} failed`;
  const lines = [`### nnc check: ${plural(results.length, "spec")}, ${plural(tensors, "tensor")} — ${verdict}`, ""];
  const rows = results.map((r) => {
    const c = r.check;
    const result = filePassed(r) ? "✅ passed" : c ? "❌ FAILED" : `❌ ${plural(errorsOf(r).length, "error")}`;
    if (!c) return [cell(r.file), "", "0", "", "", "", result];
    const fails = c.rows.filter((row) => row.status === "fail").length;
    const worstRel = Math.max(0, ...c.rows.filter((row) => row.kind !== "f32").map((row) => row.maxRelError));
    return [cell(r.file), cell(c.model), String(c.rows.length), String(fails), sci(worstRel), `${c.seconds.toFixed(2)} s`, result];
  });
  lines.push(...table(["spec", "model", "tensors", "failing", "max rel error", "time", "result"], ["---", "---", "--:", "--:", "--:", "--:", "---"], rows));
  const failing = results.flatMap((r) =>
    (r.check?.rows ?? [])
      .filter((row) => row.status === "fail")
      .map((row) => {
        const w = row.worst[0];
        return [
          cell(r.file),
          cell(row.name),
          sci(row.maxAbsError),
          sci(row.maxRelError),
          w ? cell(`${row.name}${w.position} (index ${w.index})`) : cell(row.note ?? ""),
          `${row.failed}/${row.checked}`,
        ];
      }),
  );
  if (failing.length > 0) {
    lines.push("", "#### Failing tensors", "");
    lines.push(...table(["spec", "tensor", "max abs", "max rel", "worst entry", "failed/checked"], ["---", "---", "--:", "--:", "---", "--:"], failing));
  }
  const diagnostics = results.flatMap((r) => [...errorsOf(r), ...warningsOf(r)]);
  if (diagnostics.length > 0) lines.push("", "#### Diagnostics", "", ...diagnostics.map((d) => `- ${cell(diagnosticLine(d))}`));
  return lines.join("\n") + "\n";
}

export function markdownParse(results: readonly FileResult[]): string {
  const failed = results.filter((r) => !filePassed(r));
  const lines = [`### nnc parse: ${plural(results.length, "spec")} — ${failed.length === 0 ? "no errors" : `${failed.length} with errors`}`, ""];
  const rows = results.map((r) => [
    cell(r.file),
    cell(r.spec?.name ?? ""),
    String(errorsOf(r).length),
    String(warningsOf(r).length),
    filePassed(r) ? "✅ ok" : "❌ errors",
  ]);
  lines.push(...table(["spec", "model", "errors", "warnings", "result"], ["---", "---", "--:", "--:", "---"], rows));
  const diagnostics = results.flatMap((r) => r.diagnostics);
  if (diagnostics.length > 0) lines.push("", "#### Diagnostics", "", ...diagnostics.map((d) => `- ${cell(diagnosticLine(d))}`));
  return lines.join("\n") + "\n";
}
