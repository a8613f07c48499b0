// CSV data loader: one table, an optional header row, one label column (by header name or 0-based index);
// every other column is a feature. Quoting and field splitting are papaparse's; this module picks the delimiter and adds the
// checks a training run needs, each reported with the 1-based line number and field.
import Papa from "papaparse";
import { UserError } from "../errors.js";
import { readDataFile } from "./read-file.js";

export interface CsvTable {
  /** Row-major count × width (the label column removed). */
  features: Float64Array;
  /** One value per row, as written in the label column. */
  labels: Float64Array;
  count: number;
  /** Number of feature columns. */
  width: number;
  /** 1-based line number of each data row, for later messages (e.g. a label out of range). */
  lines: Int32Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function readCsv(path: string, label: string | number, header: boolean): CsvTable {
  const text = readDataFile(path, "CSV file")
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  return parseCsv(text, path, label, header);
}

export function parseCsv(text: string, fileName: string, label: string | number, header: boolean): CsvTable {
  const rows = splitRows(text, fileName);
  let names: string[] | null = null;
  if (header) {
    const first = rows.shift();
    if (!first) throw new UserError(`${fileName}: no header row (the file has no non-blank lines)`);
    names = first.fields.map((f) => f.trim());
  }
  if (rows.length === 0) throw new UserError(`${fileName}: no data rows${header ? " after the header" : ""}`);

  const columns = names ? names.length : rows[0]!.fields.length;
  const firstLine = rows[0]!.line;
  let labelIndex: number;
  if (typeof label === "number") {
    if (!Number.isInteger(label) || label < 0 || label >= columns) {
      throw new UserError(`${fileName}: label column index ${label} is out of range: the table has ${columns} columns (0-based indices 0..${columns - 1})`);
    }
    labelIndex = label;
  } else {
    if (!names)
      throw new UserError(`${fileName}: the label column is given by name ('${label}'), which needs a header row; use header=true or a 0-based column index`);
    labelIndex = names.indexOf(label);
    if (labelIndex < 0) throw new UserError(`${fileName}:1: no column named '${label}' in the header (columns: ${names.join(", ")})`);
  }
  if (columns < 2) throw new UserError(`${fileName}: the table has ${columns} column; it needs the label column and at least one feature column`);

  const width = columns - 1;
  const count = rows.length;
  const features = new Float64Array(count * width);
  const labels = new Float64Array(count);
  const lines = new Int32Array(count);
  rows.forEach((row, r) => {
    if (row.fields.length !== columns) {
      const reference = names ? `the header has ${columns}` : `the first row (line ${firstLine}) has ${columns}`;
      throw new UserError(`${fileName}:${row.line}: ${row.fields.length} fields, but ${reference}`);
    }
    lines[r] = row.line;
    let f = 0;
    row.fields.forEach((raw, c) => {
      const value = parseNumber(raw, () => `${fileName}:${row.line}: field ${c + 1}${names ? ` ('${names[c]}')` : ""}`);
      if (c === labelIndex) labels[r] = value;
      else features[r * width + f++] = value;
    });
  });
  return { features, labels, count, width, lines };
}

function parseNumber(raw: string, where: () => string): number {
  const s = raw.trim();
  if (s === "") throw new UserError(`${where()}: empty field; expected a number`);
  if (/^[+-]?(nan|inf|infinity)$/i.test(s)) throw new UserError(`${where()}: ${s} is not a finite number; data must be finite`);
  if (!NUMBER.test(s)) throw new UserError(`${where()}: ${JSON.stringify(raw)} is not a number`);
  const value = Number(s);
  if (!Number.isFinite(value)) throw new UserError(`${where()}: ${s} overflows to ${value}; data must be finite`);
  return value;
}

interface Row {
  fields: string[];
  /** 1-based line where the row starts. */
  line: number;
}

/** Rows with their starting line; blank lines (anywhere) are skipped. */
function splitRows(text: string, fileName: string): Row[] {
  const rows: Row[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: guessDelimiter(text),
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      const error = result.errors[0];
      if (error) throw new UserError(`${fileName}:${line}: ${error.message}`);
      const fields = result.data;
      if (!(fields.length === 1 && fields[0]!.trim() === "")) rows.push({ fields, line });
      for (let i = start; i < end; i++) if (text.charCodeAt(i) === 10) line++;
      start = end;
    },
  });
  return rows;
}

/** The first of ',', tab, ';' found on the first non-blank line; ',' when none is (a one-column table). */
function guessDelimiter(text: string): string {
  const first = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return [",", "\t", ";"].find((d) => first.includes(d)) ?? ",";
}
