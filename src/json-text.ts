// JSON as nnc writes it, where a number can be NaN or ±Infinity (a diverged epoch's loss): JSON has no such
// numbers and JSON.stringify would write null, so they are written as their strings ("NaN", "Infinity").
// Pure (no file system), so the page's doctor (playground) can use it too.

/** JSON.stringify's replacer that writes NaN/±Infinity as strings. */
export const nonFiniteAsString = (_key: string, v: unknown): unknown => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v);

/** Indented JSON, NaN/±Infinity as strings, with a final newline (the run folder's and the sweep's .json files). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, nonFiniteAsString, 2) + "\n";
}
