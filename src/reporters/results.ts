// What the CI reporters read: one result per spec file given on the command line. `nnc parse` fills the
// front end's diagnostics (and the spec, when it has no error); `nnc check` also the gradient check's
// report of every spec that parsed. A spec with errors is reported (as failures) instead of stopping the
// command, so a CI run lists every broken spec at once.
import type { Diagnostic, SourceRange, Spec } from "../ir.js";
import type { RowReport, SpecReport } from "../check/report.js";
import { sci } from "../check/format.js";
import { parameterLayoutOf } from "../layers/layout.js";

export interface FileResult {
  /** The spec file as given. */
  file: string;
  /** The front end's diagnostics, errors and warnings, sorted by position. */
  diagnostics: Diagnostic[];
  /** Null when a diagnostic is an error. */
  spec: Spec | null;
  /** nnc check: the gradient check (null for nnc parse, and for a spec with errors). */
  check: SpecReport | null;
}

export function errorsOf(result: FileResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}

export function warningsOf(result: FileResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "warning");
}

/** Whether a file passed: no error diagnostic and, for nnc check, every tensor passed. */
export function filePassed(result: FileResult): boolean {
  return result.spec !== null && errorsOf(result).length === 0 && (result.check === null || result.check.passed);
}

/** `file:line:col: severity CODE: message (hint)`, the first line of the text diagnostics. */
export function diagnosticLine(d: Diagnostic): string {
  return `${d.fileName}:${d.range.startLine}:${d.range.startColumn}: ${d.severity} ${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
}

/**
 * The source range a gradient-check row belongs to: a parameter tensor `layer<n>.…` is the n-th layer with
 * parameters (the layout rule of src/layers/layout.ts), `input` the first layer (where the input enters);
 * the f32 comparison rows are about the whole module (null: the whole file).
 */
export function tensorRange(spec: Spec, tensor: string): SourceRange | null {
  const m = /^layer(\d+)\./.exec(tensor);
  if (m) {
    const index = parameterLayoutOf(spec.layers).numbers.indexOf(Number(m[1]));
    return index >= 0 ? (spec.layers[index]!.range ?? null) : null;
  }
  if (tensor === "input") return spec.layers[0]?.range ?? null;
  return null;
}

/** One line for a failing tensor: the max errors, the worst entry (position and flat index) and how many entries failed. */
export function rowFailureMessage(row: RowReport): string {
  const worst = row.worst[0];
  const errors = `max rel error ${sci(row.maxRelError)}, max abs error ${sci(row.maxAbsError)}`;
  if (!worst) return `${row.name}: ${row.note ?? "failed"} (${errors})`;
  const at = `worst entry ${row.name}${worst.position} (index ${worst.index}): analytic ${worst.analytic.toPrecision(8)}, numeric ${worst.numeric.toPrecision(8)}`;
  return `${row.name}: ${errors}; ${at}; ${row.failed} of ${row.checked} checked entries failed${row.note ? ` (${row.note})` : ""}`;
}
