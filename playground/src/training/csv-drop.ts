// A CSV dropped on the panel becomes inline rows in the spec text (`row a, b -> label`), replacing the data
// line, so the text stays the single source of truth and `nnc train` on the saved spec trains the same rows.
// Parsed with papaparse as src/data/csv.ts does (numbers; a header line is skipped when its cells are not numbers).
import Papa from "papaparse";

export function csvToRows(specText: string, csv: string, fileName: string): string {
  const parsed = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true });
  const table = parsed.data.map((row) => row.map((cell) => cell.trim()));
  if (table.length > 0 && table[0]!.some((cell) => cell !== "" && !Number.isFinite(Number(cell)))) table.shift();
  if (table.length === 0) throw new Error(`${fileName}: no rows`);
  const width = table[0]!.length;
  if (width < 2) throw new Error(`${fileName}: line 1 has ${width} column; a row needs features and a label (the last column)`);
  const rows = table.map((cells, i) => {
    if (cells.length !== width) throw new Error(`${fileName}: line ${i + 1} has ${cells.length} columns, line 1 has ${width}`);
    const bad = cells.find((c) => !Number.isFinite(Number(c)) || c === "");
    if (bad !== undefined) throw new Error(`${fileName}: line ${i + 1}: '${bad}' is not a number`);
    return `row ${cells.slice(0, -1).join(", ")} -> ${cells[cells.length - 1]}`;
  });
  const kept = specText.split("\n").filter((l) => !/^\s*(data|row)\b/.test(l));
  return `${kept.join("\n").replace(/\n*$/, "")}\n\n# rows from ${fileName.replace(/[\r\n]/g, " ")}\n${rows.join("\n")}\n`;
}
