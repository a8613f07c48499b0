// Formatting diagnostics for people: `file:line:col: error NN012: message`, the source line, a caret under
// the exact token, then the hint. Also the ordering every caller sees (by position, then code).
import type { Diagnostic } from "../ir.js";

const RED = "\u001b[31m";
const YELLOW = "\u001b[33m";
const BOLD = "\u001b[1m";
const CYAN = "\u001b[36m";
const RESET = "\u001b[0m";

/** The text of 1-based line `line` (without its line break), or "" past the end. */
export function sourceLine(source: string, line: number): string {
  // Split once per source, not once per diagnostic (thousands of diagnostics on a 1 MB spec).
  if (splitCache.source !== source) splitCache = { source, lines: source.split(/\r\n|\r|\n/) };
  return splitCache.lines[line - 1] ?? "";
}
let splitCache: { source: string; lines: string[] } = { source: "", lines: [""] };

/** Characters of a source line shown around the caret: a 1 MB one-line spec prints a window, not the megabyte. */
const WINDOW = 160;

/** Stable order: by start offset, then code, then message. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.range.startOffset - b.range.startOffset || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}

/** Tabs and control characters would shift the caret: show them as one visible character each. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\t" ? " " : "·"));
}

export function formatDiagnostic(d: Diagnostic, source: string, color = false): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  const { startLine, startColumn, endLine, endColumn } = d.range;
  const severityColor = d.severity === "error" ? RED : YELLOW;
  const head = `${d.fileName}:${startLine}:${startColumn}: ${paint(BOLD + severityColor, `${d.severity} ${d.code}`)}: ${paint(BOLD, d.message)}`;
  let line = sourceLine(source, startLine);
  let width = endLine === startLine ? Math.max(1, endColumn - startColumn + 1) : Math.max(1, line.length - startColumn + 1);
  let column = startColumn;
  // The window is cut before `visible` runs (it keeps the length): 140,000 diagnostics on one 1 MB line
  // each rewrote the whole line, which never finished.
  if (line.length > WINDOW) {
    const from = Math.max(0, startColumn - 1 - WINDOW / 4);
    const to = Math.min(line.length, from + WINDOW);
    line = `${from > 0 ? "…" : ""}${line.slice(from, to)}${to < line.length ? "…" : ""}`;
    column = startColumn - from + (from > 0 ? 1 : 0);
    width = Math.min(width, WINDOW - (startColumn - 1 - from));
  }
  line = visible(line);
  const caret = " ".repeat(Math.max(0, column - 1)) + "^" + "~".repeat(Math.max(0, width - 1));
  const lines = [head, `  ${line}`, `  ${paint(severityColor, caret)}`];
  if (d.hint) lines.push(`  ${paint(CYAN, "hint:")} ${d.hint}`);
  return lines.join("\n");
}

/** Diagnostics printed for people before the rest is summed up in one line (a 1 MB hostile spec has
 * ~140,000; printed in full they were 42 MB on the terminal). `nnc parse --json` lists every one. */
export const PRINTED_DIAGNOSTICS = 100;

/** The diagnostics, sorted, separated by blank lines — the first `limit` (default PRINTED_DIAGNOSTICS),
 * then one line counting the others; ends with a newline when non-empty. */
export function formatDiagnostics(diagnostics: Diagnostic[], source: string, options: { color?: boolean; limit?: number } = {}): string {
  if (diagnostics.length === 0) return "";
  const limit = options.limit ?? PRINTED_DIAGNOSTICS;
  const shown = sortDiagnostics(diagnostics)
    .slice(0, limit)
    .map((d) => formatDiagnostic(d, source, options.color ?? false));
  const hidden = diagnostics.length - shown.length;
  if (hidden > 0) shown.push(`… and ${hidden} more (${diagnostics.length} in all; \`nnc parse --json\` lists every one)`);
  return shown.join("\n\n") + "\n";
}
