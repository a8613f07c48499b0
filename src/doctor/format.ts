// The doctor's findings as the "doctor:" block `nnc train` prints after training, and as the JSON object
// `nnc train --json` prints before its "done" line.
import type { Finding } from "./diagnose.js";
import { nonFiniteAsString } from "../json-text.js";

export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "doctor: no problems found\n";
  const lines = [`doctor: ${findings.length} problem${findings.length === 1 ? "" : "s"} found`];
  for (const f of findings) {
    lines.push(`  - ${f.summary}`);
    for (const d of f.details) lines.push(`    ${d}`);
    lines.push(`    why: ${f.cause}`);
    lines.push(`    fix: ${f.fix}`);
  }
  return lines.join("\n") + "\n";
}

/** One JSON-lines object; non-finite figures become strings (JSON has no NaN). */
export function findingsJson(findings: readonly Finding[]): string {
  return JSON.stringify({ type: "doctor", findings }, nonFiniteAsString) + "\n";
}
