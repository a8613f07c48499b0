// The front end's entry points: .nn text → validated IR + diagnostics (pure; the stages are listed in
// src/compile.ts: syntax.ts → lower.ts → validate.ts → limits.ts), and the one place spec files are read
// from disk. See docs/language.md for the language.
import { readFileSync, statSync } from "node:fs";
import type { Diagnostic, Spec } from "../ir.js";
import { UserError } from "../errors.js";
import { formatDiagnostics } from "./diagnostics.js";
import { pointRange } from "./ranges.js";
import { frontEnd } from "../compile.js";

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

/** Reads a spec file as UTF-8; a missing file or a directory is a UserError naming the path. */
export function readSpecFile(path: string): { source: string; fileName: string } {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UserError(`cannot read spec ${path}: no such file`);
  }
  if (!isFile) throw new UserError(`cannot read spec ${path}: not a file`);
  try {
    return { source: readFileSync(path, "utf8"), fileName: path };
  } catch (error) {
    throw new UserError(`cannot read spec ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
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
