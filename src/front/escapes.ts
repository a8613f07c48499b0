// Escapes in spec strings (issue 21): a string knows `\\` (a backslash) and `\"` (a quote); any other
// backslash used to vanish silently (`"C:\data\train.npy"` read as `C:datatrain.npy`, then reported missing).
// Now each unknown escape is NN018 at its backslash, so a Windows path is refused where it is written.
import type { Diagnostic } from "../ir.js";

/** The escapes a string may hold: `\\` → `\`, `\"` → `"` (src/front/statements.ts unquotes them). */
export const KNOWN_ESCAPES = ["\\", '"'] as const;

/**
 * Offsets (within `image`, a string token with its opening quote) of each backslash whose escape is not a
 * known one. A backslash at the very end of an unterminated string escapes nothing and is NN002's.
 */
export function unknownEscapes(image: string): number[] {
  const found: number[] = [];
  let j = image.indexOf("\\", 1);
  while (j !== -1 && j + 1 < image.length) {
    const next = image.charAt(j + 1);
    if (next !== "\\" && next !== '"') found.push(j);
    j = image.indexOf("\\", j + 2);
  }
  return found;
}

/** NN018's words for the escape `\c`; the caller gives the range of the backslash and the character. */
export function unknownEscapeDiagnostic(c: string, fileName: string, range: Diagnostic["range"]): Diagnostic {
  const shown = /^[\u0020-\u007e]$/.test(c) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`;
  return {
    code: "NN018",
    severity: "error",
    message: `unknown escape \`\\${shown}\` in a string: a string knows only \`\\\\\` (a backslash) and \`\\"\` (a quote)`,
    hint: "write \\\\ for a backslash, or use forward slashes (`data/train.npy` works on Windows too)",
    fileName,
    range,
  };
}
