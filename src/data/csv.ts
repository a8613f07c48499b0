// CSV data loader: one table, an optional header row, one label column (by header name or 0-based index);
// every other column is a feature. Quoting and field splitting are papaparse's; this module picks the delimiter and adds the
// checks a training run needs, each reported with the 1-based line number and field.
//
// The label column holds numbers (class indices or target values) or, when any of its fields is not a
// number, class names ("setosa"): each name becomes its index in the spec's `classes` when the spec has
// them, else in the sorted list of the distinct names (sorted by UTF-16 code unit, as JavaScript's sort:
// the order of scikit-learn's LabelEncoder and torchvision's ImageFolder for ASCII names).
import Papa from "papaparse";
import { UserError } from "../errors.js";
import { closest } from "../front/suggest.js";
import { listClasses } from "../report/classes.js";
import { readDataFile } from "./read-file.js";

export interface CsvTable {
  /** Row-major count × width (the label column removed). */
  features: Float64Array;
  /** One value per row: the number written in the label column, or the class index of the name written there. */
  labels: Float64Array;
  /** The class names the labels were mapped by (the spec's classes, or the sorted distinct names); null when the labels are numbers. */
  classes: string[] | null;
  count: number;
  /** Number of feature columns. */
  width: number;
  /** 1-based line number of each data row, for later messages (e.g. a label out of range). */
  lines: Int32Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The class names a label column of names maps to, and whose they are, for messages ("the spec's classes"). */
export interface KnownClasses {
  names: readonly string[];
  whose: string;
}

/** `classes`: the names a label column of names maps to (the spec's `classes`, or a training file's names for
 * its test file); null to take the sorted distinct names. */
export function readCsv(path: string, label: string | number, header: boolean, classes: KnownClasses | null = null): CsvTable {
  const text = readDataFile(path, "CSV file")
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  return parseCsv(text, path, label, header, classes);
}

export function parseCsv(text: string, fileName: string, label: string | number, header: boolean, classes: KnownClasses | null = null): CsvTable {
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
    // A header naming the label column more than once leaves which one is the label a guess (the others
    // would silently become features): refuse it, naming each position.
    const same = names.flatMap((n, i) => (n === label ? [i + 1] : []));
    if (same.length > 1) {
      throw new UserError(
        `${fileName}:1: the header names the label column '${label}' ${same.length} times (columns ${same.join(", ")}): rename all but one, or give label= as a 0-based column index`,
      );
    }
  }
  if (columns < 2) throw new UserError(`${fileName}: the table has ${columns} column; it needs the label column and at least one feature column`);

  const width = columns - 1;
  const count = rows.length;
  const features = new Float64Array(count * width);
  const labels = new Float64Array(count);
  const lines = new Int32Array(count);
  for (const row of rows) {
    if (row.fields.length !== columns) {
      const reference = names ? `the header has ${columns}` : `the first row (line ${firstLine}) has ${columns}`;
      throw new UserError(`${fileName}:${row.line}: ${row.fields.length} fields, but ${reference}`);
    }
  }
  const labelClasses = classNamesOf(rows, labelIndex, classes);
  const labelColumn = names ? ` ('${names[labelIndex]}')` : "";
  rows.forEach((row, r) => {
    lines[r] = row.line;
    let f = 0;
    row.fields.forEach((raw, c) => {
      if (c === labelIndex && labelClasses !== null)
        labels[r] = classIndex(raw, labelClasses, () => `${fileName}:${row.line}: field ${c + 1}${labelColumn}`, r);
      else {
        const value = parseNumber(raw, () => `${fileName}:${row.line}: field ${c + 1}${names ? ` ('${names[c]}')` : ""}`);
        if (c === labelIndex) labels[r] = value;
        else features[r * width + f++] = value;
      }
    });
  });
  return { features, labels, count, width, lines, classes: labelClasses === null ? null : labelClasses.names };
}

/** A label column's names and their indices; null when every label is a number (class indices or values). */
interface LabelClasses {
  names: string[];
  index: Map<string, number>;
  /** Whose names they are, for messages: "the spec's classes", "the classes of train.csv"; null when derived here. */
  whose: string | null;
}

/** The class names of a label column of names: `classes` when given, else its distinct names sorted by code
 * unit; null when all its fields are numbers. */
function classNamesOf(rows: readonly Row[], labelIndex: number, classes: KnownClasses | null): LabelClasses | null {
  const written = rows.map((row) => row.fields[labelIndex]!.trim());
  if (written.every((s) => NUMBER.test(s) && Number.isFinite(Number(s)))) return null;
  // Sorted by UTF-16 code unit (the default sort: no locale, the same order everywhere).
  const names = classes !== null ? [...classes.names] : [...new Set(written.filter((s) => s !== ""))].sort();
  return { names, index: new Map(names.map((n, i) => [n, i])), whose: classes?.whose ?? null };
}

/** A label field's class index; an empty field or a name that is no class is a UserError naming the row and the classes. */
function classIndex(raw: string, classes: LabelClasses, where: () => string, row: number): number {
  const name = raw.trim();
  if (name === "") throw new UserError(`${where()}: empty label (row ${row + 1}); the label column holds class names: ${listClasses(classes.names)}`);
  const index = classes.index.get(name);
  if (index !== undefined) return index;
  const near = closest(name, classes.names);
  throw new UserError(
    `${where()}: label ${JSON.stringify(name)} (row ${row + 1}) is not one of ${classes.whose ?? "the classes"} (${listClasses(classes.names)})${near === null ? "" : `; did you mean ${JSON.stringify(near)}?`}`,
  );
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
