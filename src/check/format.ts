// Printing a check: a table per spec, failing entries under it, and one summary line.
import type { CheckReport, RowReport, SpecReport } from "./report.js";

/** A number in short scientific notation ("3.1e-11"), 0 as "0". */
export function sci(value: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return String(value);
  return value.toExponential(1).replace("e+", "e");
}

function statusText(row: RowReport): string {
  if (row.status === "fail") return "FAIL";
  return row.note ? "pass*" : "pass";
}

export function formatSpecReport(report: SpecReport): string {
  const mode = report.training ? `training mode, dropout seed ${report.dropoutSeed}` : "eval mode";
  const lines = [
    `${report.file} — ${report.model} · ${report.precision} · ${report.loss} · ${report.samples} samples · ${mode}`,
    `  parameters: ${report.parameters} · eps ${sci(report.eps)} · fail when rel > ${sci(report.tolerance)} and abs > ${sci(report.effectiveAtol)} · cap ${report.cap} entries/tensor · loss ${report.lossValue.toPrecision(6)}`,
  ];
  const header = ["tensor", "entries", "checked", "skipped", "max abs", "max rel", "status"];
  const body = report.rows.map((r) => [r.name, String(r.entries), String(r.checked), String(r.skipped), sci(r.maxAbsError), sci(r.maxRelError), statusText(r)]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const render = (cells: string[]): string =>
    "  " +
    cells
      .map((cell, c) => (c === 0 || c === cells.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd();
  lines.push(render(header), ...body.map(render));
  for (const row of report.rows) {
    if (row.note) lines.push(`  ${row.status === "fail" ? "FAIL" : "*"} ${row.name}: ${row.note}`);
    for (const w of row.worst) {
      lines.push(
        `  FAIL ${row.name}${w.position}: analytic ${w.analytic.toPrecision(8)}, numeric ${w.numeric.toPrecision(8)} (abs ${sci(w.absError)}, rel ${sci(w.relError)})`,
      );
    }
    if (row.failed > row.worst.length) lines.push(`  … ${row.failed - row.worst.length} more failing entries in ${row.name}`);
  }
  lines.push(`  ${report.passed ? "passed" : "FAILED"} in ${report.seconds.toFixed(2)} s`);
  return lines.join("\n");
}

export function formatSummary(report: CheckReport): string {
  const failed = report.specs.filter((s) => !s.passed);
  const rows = report.specs.reduce((n, s) => n + s.rows.length, 0);
  const skipped = report.specs.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.skipped, 0), 0);
  const head = `nnc check: ${report.specs.length} spec${report.specs.length === 1 ? "" : "s"}, ${rows} tensors, ${skipped} entries skipped at kinks`;
  if (failed.length === 0) return `${head} — all passed`;
  const which = failed.map(
    (s) =>
      `${s.file} (${s.rows
        .filter((r) => r.status === "fail")
        .map((r) => r.name)
        .join(", ")})`,
  );
  return `${head} — ${failed.length} FAILED: ${which.join("; ")}`;
}

export function formatCheckReport(report: CheckReport): string {
  return [...report.specs.map(formatSpecReport), formatSummary(report)].join("\n\n") + "\n";
}
