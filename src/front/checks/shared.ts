// What several check groups share: the option table of each statement and the kind words after each
// keyword, computed once per spec or once per keyword (four checks ask for every statement, and asking each
// time was ~20 ms on 100,000 statements), and the range check behind NN012.
import { isOptimizerKeyword, knownStatements } from "../lower.js";
import {
  dataOnlyOptions,
  describeRange,
  inRange,
  kindOptions,
  optimizerOptions,
  splitOptions,
  trainingOptions,
  type NumberRange,
  type OptionTable,
} from "../schema.js";
import type { NumberNode, StatementNode } from "../statements.js";
import type { Report } from "./types.js";

/** The table of a statement that takes no options (shared: `let`, `row`, … are most of a big spec). */
export const noOptions: OptionTable = {};

/** The options a statement accepts, or null when its kind is unknown (NN006 reports that). Shared tables, not
 * copies: four checks ask per statement, and a merged table per call was measurable on 55,000 statements. */
export function optionsFor(s: StatementNode): OptionTable | null {
  const keyword = s.keyword.text;
  if (isOptimizerKeyword(keyword)) return (optimizerTables[keyword] ??= { ...trainingOptions, ...optimizerOptions[keyword] });
  if (keyword === "split") return splitOptions;
  const table = kindOptions[keyword === "test" ? "data" : keyword];
  if (!table) return noOptions;
  const kind = s.kind?.text ?? "";
  const kindTable = table[kind];
  if (!kindTable) return null;
  if (keyword !== "data") return kindTable;
  // Only the schema's own kinds are kept (a word like `constructor` finds an inherited value: computed each time).
  if (!Object.hasOwn(table, kind)) return { ...kindTable, ...dataOnlyOptions };
  return (dataTables[kind] ??= { ...kindTable, ...dataOnlyOptions });
}
const optimizerTables: Partial<Record<string, OptionTable>> = Object.create(null);
const dataTables: Partial<Record<string, OptionTable>> = Object.create(null);

/** Kinds allowed after a keyword (`layer` → fc, dropout), or null for statements without a kind word. One
 * shared list per keyword (Object.keys per statement was measurable on 55,000 statements). */
export function kindsFor(keyword: string): readonly string[] | null {
  const key = keyword === "test" ? "data" : keyword;
  const table = kindOptions[key];
  if (!table) return null;
  if (!Object.hasOwn(kindOptions, key)) return Object.keys(table);
  return (kindLists[key] ??= Object.keys(table));
}
const kindLists: Partial<Record<string, readonly string[]>> = Object.create(null);

export function isSizeValue(v: number): boolean {
  return Number.isInteger(v) && v >= 1;
}

export interface OptionTables {
  /** optionsFor of each of knownStatements(statements), same order. */
  tables: readonly (OptionTable | null)[];
  /** Indices (into knownStatements) of the statements that have settings, ascending: NN010 and NN011 look only at
   * those (a pass each over 100,000 statements without settings was ~8 ms). */
  withSettings: readonly number[];
}

/** The option tables of the known statements, computed once per spec. */
export function optionTablesOf(statements: StatementNode[]): OptionTables {
  let result = optionTables.get(statements);
  if (result === undefined) {
    // optionsFor depends only on the keyword and kind words: a run of statements with the same words (a big
    // spec is mostly such runs) reuses the previous table instead of three table lookups each.
    const tables: (OptionTable | null)[] = [];
    const withSettings: number[] = [];
    let keyword: string | undefined;
    let kind: string | undefined;
    let table: OptionTable | null = null;
    for (const s of knownStatements(statements)) {
      if (s.keyword.text !== keyword || s.kind?.text !== kind) {
        keyword = s.keyword.text;
        kind = s.kind?.text;
        table = optionsFor(s);
      }
      if (s.settings.length > 0) withSettings.push(tables.length);
      tables.push(table);
    }
    result = { tables, withSettings };
    optionTables.set(statements, result);
  }
  return result;
}
const optionTables = new WeakMap<StatementNode[], OptionTables>();

/** NN012: reports a finite `n` outside `range`. `what` is the subject of the message, or null for the option
 * named `option` (quoted only when reported: not a string per setting). */
export function reportOutOfRange(report: Report, n: NumberNode | null | undefined, what: string | null, range: NumberRange, option?: string): void {
  if (n && Number.isFinite(n.value) && !inRange(n.value, range)) report(n.range, `${what ?? `\`${option}\``} must be ${describeRange(range)}, got ${n.text}`);
}
