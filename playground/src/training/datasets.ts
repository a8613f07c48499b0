// The panel's data-set menu edits the spec's `data` line (the text is the single source of truth): a
// built-in set becomes `data NAME`; gender becomes the inline rows of specs/gender.nn.

export const DATA_SETS = ["planar", "xor", "circles", "spiral", "gauss", "gender", "square"] as const;
export type DataSetName = (typeof DATA_SETS)[number];

/** specs/gender.nn's rows (kg, cm -> class), the course's four people. */
const GENDER_ROWS = ["row 60.3, 165 -> 1", "row 72.6, 183 -> 0", "row 68.9, 178 -> 0", "row 54.4, 152 -> 1"];

/** The spec text with its training data replaced by the named set (other lines untouched). */
export function withDataSet(text: string, name: DataSetName): string {
  const lines = text.split("\n");
  const isData = (l: string): boolean => /^\s*(data|row)\b/.test(l);
  let at = lines.findIndex(isData);
  if (at < 0) at = Math.max(0, lines.findIndex((l) => /^\s*model\b/.test(l)) + 1);
  const kept = lines.filter((l, i) => !isData(l) || i === at);
  const index = kept.findIndex(isData);
  const replacement = name === "gender" ? [] : [`data ${name}`];
  if (index >= 0) kept.splice(index, 1, ...replacement);
  else kept.splice(at, 0, ...replacement);
  let out = kept.join("\n");
  if (name === "gender") out = `${out.replace(/\n*$/, "")}\n\n${GENDER_ROWS.join("\n")}\n`;
  return out;
}

/** The set a spec's text trains on, when it is one of the menu's. */
export function dataSetOf(text: string): DataSetName | null {
  const m = /^\s*data\s+(\w+)/m.exec(text);
  if (m) return (DATA_SETS as readonly string[]).includes(m[1]!) ? (m[1] as DataSetName) : null;
  return /^\s*row\b/m.test(text) ? "gender" : null;
}
