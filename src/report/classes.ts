// Class names as reports show them: the spec's `classes` (Spec.classes), else the names a weights file
// carries (the classes a CSV's string labels gave when it was trained), else "class 0", "class 1", …
// One sigmoid output has two classes (index 0 below 0.5, 1 at or above); several outputs have one each.

/** How many classes a classifier with this many outputs has: one sigmoid output is two. */
export function classCountOf(outputs: number): number {
  return outputs === 1 ? 2 : outputs;
}

/** The names to show for `count` classes: the first list that has exactly `count` strings, else "class k". */
export function classNames(count: number, ...candidates: readonly (readonly string[] | null | undefined)[]): string[] {
  for (const names of candidates) if (names && names.length === count && names.every((n) => typeof n === "string")) return [...names];
  return Array.from({ length: count }, (_, k) => `class ${k}`);
}

/** The `classes` field of a weights file's JSON, when it has a list of strings; null otherwise. */
export function weightsClasses(json: unknown): string[] | null {
  const value = typeof json === "object" && json !== null ? (json as { classes?: unknown }).classes : undefined;
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
}

/** A name as a `.nn` class name: bare when it is an identifier, else a quoted string (`\"` and `\\` escaped). */
function spelled(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/.test(name) ? name : `"${name.replace(/[\\"]/g, "\\$&")}"`;
}

/** The `classes` statement that names these classes: `classes setosa, versicolor, "Iris virginica"`. */
export function classesStatement(names: readonly string[]): string {
  return `classes ${names.map(spelled).join(", ")}`;
}

/** The names as a list for messages: `male, female`, a name that is no identifier quoted (at most 12, then "…"). */
export function listClasses(names: readonly string[]): string {
  const shown = names.slice(0, 12).map(spelled);
  return shown.join(", ") + (names.length > 12 ? `, … (${names.length} in all)` : "");
}
