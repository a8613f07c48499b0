// The front end's entry points: .nn text → validated IR + diagnostics (pure; the stages are listed in
// src/compile.ts: syntax.ts → lower.ts → validate.ts → limits.ts), and the one place spec files are read
// from disk. See docs/language.md for the language.
import type { Diagnostic, Spec } from "../ir.js";
import { UserError } from "../errors.js";
import { formatDiagnostics } from "./diagnostics.js";
import { pointRange } from "./ranges.js";
import { frontEnd } from "../compile.js";
import { READ_LIMITS, readTextBounded } from "../read-bounded.js";

export { formatDiagnostics } from "./diagnostics.js";

export interface ParseSpecOptions {
  /** Values that replace the spec's `let` values (nnc sweep binds H=1, 2, …). */
  variables?: Record<string, number>;
}

export interface ParseSpecResult {
  /** Null when any diagnostic is an error. */
  spec: Spec | null;
  /** Sorted by position. */
  diagnostics: Diagnostic[];
}

/**
 * Parses and validates a spec: the compiler's front-end stages, parse → lower → validate → limits
 * (src/compile.ts). Pure and total: any input gives diagnostics, never an exception.
 */
export function parseSpec(source: string, fileName: string, options: ParseSpecOptions = {}): ParseSpecResult {
  try {
    const { spec, diagnostics } = frontEnd(source, fileName, options.variables ?? {});
    return { spec, diagnostics };
  } catch (error) {
    // Unreachable by design (every stage is total); kept so a bug still reaches the user as a diagnostic.
    const message = `internal error in the front end (please report): ${error instanceof Error ? error.message : String(error)}`;
    return { spec: null, diagnostics: [{ code: "NN099", severity: "error", message, fileName, range: pointRange(source, 0) }] };
  }
}

/**
 * Reads a spec file as UTF-8 (a byte-order mark dropped), bounded by READ_LIMITS.spec; a missing file, a
 * folder, a special file, invalid UTF-8 or an oversized file is a UserError naming the path.
 */
export function readSpecFile(path: string): { source: string; fileName: string } {
  return { source: readTextBounded(path, "spec", READ_LIMITS.spec, { allowEmpty: true }), fileName: path };
}

/** Reads, parses and validates a spec; errors become one UserError whose message is the formatted diagnostics. Warnings are dropped (use parseSpec to see them). */
export function loadSpec(path: string, options: ParseSpecOptions = {}): Spec {
  const { source, fileName } = readSpecFile(path);
  const { spec, diagnostics } = parseSpec(source, fileName, options);
  if (spec === null) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    throw new UserError(`${errors.length} error${errors.length === 1 ? "" : "s"} in ${fileName}\n${formatDiagnostics(diagnostics, source).trimEnd()}`);
  }
  return spec;
}
