// The semantic checks of a spec, as a table: each entry has a stable code, a severity, a one-line title
// (docs/language.md lists them) and a function that reports problems through `report`. Checks read the
// statements (for exact token ranges) and the leniently lowered Spec (for meaning). Tests assert code and
// position, never wording. Syntax codes NN001–NN003 come from syntax.ts; NN099 from index.ts.
import type { Diagnostic, Severity, SourceRange } from "../ir.js";
import { statementKeywords } from "../../grammar/tokens.js";
import { isOptimizerKeyword, knownStatements, lastDenseLayer, optimizerKeywords, resolveSize, statementsOf, type Lowered } from "./lower.js";
import {
  activationWords,
  dataOnlyOptions,
  describeRange,
  inRange,
  kindOptions,
  optimizerOptions,
  pathKinds,
  splitOptions,
  trainingOptions,
  type NumberRange,
  type OptionTable,
} from "./schema.js";
import type { NumberNode, StatementNode, ValueNode } from "./statements.js";
import { closest, suggestion } from "./suggest.js";
import { pointRange, spanRange } from "./ranges.js";

export interface CheckContext {
  source: string;
  fileName: string;
  statements: StatementNode[];
  lowered: Lowered;
  /** Variable overrides passed to parseSpec (nnc sweep). */
  overrides: Record<string, number>;
}

type Report = (range: SourceRange, message: string, hint?: string) => void;

export interface Check {
  code: string;
  severity: Severity;
  title: string;
  run(ctx: CheckContext, report: Report): void;
}

/** Codes reported outside this table, listed here so the docs and tests see every code in one place. */
export const syntaxCodes: readonly { code: string; severity: Severity; title: string }[] = [
  { code: "NN001", severity: "error", title: "a character that starts no token" },
  { code: "NN002", severity: "error", title: "a string without its closing quote" },
  { code: "NN003", severity: "error", title: "syntax error (every broken statement is reported)" },
  { code: "NN099", severity: "error", title: "internal error in the front end (a bug: please report)" },
];

const keywordWords = statementKeywords.map((t) => t.name.toLowerCase());

/** The table of a statement that takes no options (shared: `let`, `row`, … are most of a big spec). */
const noOptions: OptionTable = {};

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
function kindsFor(keyword: string): readonly string[] | null {
  const key = keyword === "test" ? "data" : keyword;
  const table = kindOptions[key];
  if (!table) return null;
  if (!Object.hasOwn(kindOptions, key)) return Object.keys(table);
  return (kindLists[key] ??= Object.keys(table));
}
const kindLists: Partial<Record<string, readonly string[]>> = Object.create(null);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function isSizeValue(v: number): boolean {
  return Number.isInteger(v) && v >= 1;
}

function valueText(v: ValueNode): string {
  return v.type === "number" ? v.text : v.type === "string" ? JSON.stringify(v.value) : v.value;
}

/** "got `x`" for a message about a setting's value: called only when reporting (not for each of 140,000
 * well-typed settings). */
function got(value: ValueNode | null): string {
  return value ? `got \`${valueText(value)}\`` : "got nothing";
}

/** Adds `s` to its group (in place: copying the group per statement made 100,000 `let H = 2` quadratic). */
function groupPush(groups: Map<string, StatementNode[]>, key: string, s: StatementNode): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, [s]);
  else group.push(s);
}

/** Reports the second and later statements of a group that may appear once. */
function reportRepeats(group: readonly StatementNode[], what: string, report: Report): void {
  if (group.length < 2) return;
  // One message and hint for the whole group (100,000 `let H = 2` share them).
  const message = `${what} is given twice`;
  const hint = `the first is on line ${group[0]!.range.startLine}; keep one`;
  for (let i = 1; i < group.length; i++) report(group[i]!.keyword.range, message, hint);
}

function layerNumber(ctx: CheckContext, s: StatementNode): number {
  // Indexed once per spec (an indexOf per layer made 10,000-layer specs quadratic: found by the hardening fuzz).
  let numbers = layerNumbers.get(ctx.statements);
  if (!numbers) {
    numbers = new Map(statementsOf(ctx.statements, "layer").map((l, i) => [l, i + 1]));
    layerNumbers.set(ctx.statements, numbers);
  }
  return numbers.get(s) ?? 0;
}
const layerNumbers = new WeakMap<StatementNode[], Map<StatementNode, number>>();


interface OptionTables {
  /** optionsFor of each of knownStatements(statements), same order. */
  tables: readonly (OptionTable | null)[];
  /** Indices (into knownStatements) of the statements that have settings, ascending: NN010 and NN011 look only at
   * those (a pass each over 100,000 statements without settings was ~8 ms). */
  withSettings: readonly number[];
}

/** The option tables of the known statements, computed once per spec: four checks ask for every statement,
 * and asking each time was ~20 ms on 100,000 statements. */
function optionTablesOf(statements: StatementNode[]): OptionTables {
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

export const checks: readonly Check[] = [
  {
    code: "NN004",
    severity: "error",
    title: "unknown statement",
    run({ statements }, report) {
      // One "did you mean" per distinct word (55,000 `lyer` lines measured the same word 55,000 times).
      const hints = new Map<string, string>();
      for (const s of statements) {
        if (s.known) continue;
        const word = s.keyword.text;
        let hint = hints.get(word);
        if (hint === undefined) hints.set(word, (hint = suggestion(word, keywordWords, "statements")));
        report(s.keyword.range, `unknown statement \`${word}\``, hint);
      }
    },
  },
  {
    code: "NN005",
    severity: "error",
    title: "a number too large to represent",
    run({ statements, source }, report) {
      // A number literal (-?digits[.digits][e±digits]) overflows only at a magnitude ≥ 1.8e308: an exponent
      // of 3+ digits, or (exponent ≤ 99) an integer part of 210+ digits. Without either in the text nothing
      // can be reported, and one scan (~1 ms) saves reading the ~150,000 number nodes of 1 MB of rows
      // (~10-25 ms: each node and its boxed value is a cache miss).
      if (!/\d{210}|[eE][+-]?\d{3}/.test(source)) return;
      // Every number written in a statement, in this order, without building an array of them (one big
      // array of all numbers was ~0.3 s on 55,000 layers).
      const check = (n: NumberNode): void => {
        if (!Number.isFinite(n.value)) report(n.range, `the number ${n.text.length > 30 ? n.text.slice(0, 30) + "…" : n.text} is too large`);
      };
      for (const s of statements) {
        for (const n of s.numbers) check(n);
        for (const n of s.inputs) check(n);
        for (const n of s.targets) check(n);
        if (s.from?.type === "number") check(s.from);
        if (s.to?.type === "number") check(s.to);
        if (s.size?.type === "number") check(s.size);
        for (const x of s.settings) if (x.value?.type === "number") check(x.value);
        if (s.activation?.alpha) check(s.activation.alpha);
      }
    },
  },
  {
    code: "NN006",
    severity: "error",
    title: "unknown kind word (layer kind, activation, loss, init, schedule, data source, normalisation, precision, stop metric)",
    run({ statements }, report) {
      let keyword: string | undefined;
      let kinds: readonly string[] | null = null;
      for (const s of knownStatements(statements)) {
        // Looked up again only when the keyword changes (runs of `layer`/`row`/`let` in big specs).
        if (s.keyword.text !== keyword) kinds = kindsFor((keyword = s.keyword.text));
        if (kinds && s.kind && !kinds.includes(s.kind.text)) {
          report(s.kind.range, `unknown ${s.keyword.text} \`${s.kind.text}\``, suggestion(s.kind.text, kinds, `${s.keyword.text} kinds`));
        }
        if (s.activation && !activationWords.includes(s.activation.kind.text)) {
          report(s.activation.kind.range, `unknown activation \`${s.activation.kind.text}\``, suggestion(s.activation.kind.text, activationWords, "activations"));
        }
      }
    },
  },
  {
    code: "NN007",
    severity: "error",
    title: "a required part is missing (layer sizes, data path, labels, stop target)",
    run({ statements }, report) {
      const known = knownStatements(statements);
      const { tables } = optionTablesOf(statements);
      for (let i = 0; i < known.length; i++) {
        const s = known[i]!;
        const kind = s.kind?.text ?? "";
        const at = s.kind?.range ?? s.keyword.range;
        if (s.keyword.text === "layer" && kind === "fc" && (!s.from || !s.to)) report(at, "`layer fc` needs its sizes", "write e.g. `layer fc 2->4 tanh`");
        if ((s.keyword.text === "data" || s.keyword.text === "test") && pathKinds.includes(kind) && !s.path) {
          report(at, `\`${s.keyword.text} ${kind}\` needs a quoted file path`, `write e.g. \`${s.keyword.text} ${kind} "file.${kind}"\``);
        }
        if (s.keyword.text === "stop" && (kind === "loss" || kind === "accuracy") && !s.comparator) {
          report(at, `\`stop ${kind}\` needs a target`, kind === "loss" ? "write e.g. `stop loss < 0.1`" : "write e.g. `stop accuracy >= 0.98`");
        }
        const options = tables[i];
        for (const name in options) {
          const spec = options[name]!;
          if (spec.required && !s.settings.some((x) => x.name.text === name)) {
            report(at, `\`${s.keyword.text} ${kind}\` needs \`${name}=…\``, spec.doc);
          }
        }
      }
    },
  },
  {
    code: "NN008",
    severity: "error",
    title: "a part the statement does not take (sizes on dropout, a path on a generator, an argument to a non-leaky activation, …)",
    run({ statements }, report) {
      for (const s of knownStatements(statements)) {
        const kind = s.kind?.text ?? "";
        if (s.keyword.text === "layer" && kind === "dropout") {
          if (s.from) report(s.from.range, "`layer dropout` takes no sizes: its size is the width of the layer before it");
          if (s.activation) report(s.activation.kind.range, "`layer dropout` takes no activation");
        }
        if (s.activation?.alpha && s.activation.kind.text !== "leaky_relu" && activationWords.includes(s.activation.kind.text)) {
          report(s.activation.alpha.range, `\`${s.activation.kind.text}\` takes no argument`, "only leaky_relu(alpha) has one");
        }
        if ((s.keyword.text === "data" || s.keyword.text === "test") && s.path && kindsFor("data")!.includes(kind) && !pathKinds.includes(kind)) {
          report(s.path.range, `\`${s.keyword.text} ${kind}\` takes no file path`);
        }
        if (s.keyword.text === "test" && kind === "inline") report(s.kind!.range, "`test inline` is not supported", "use `split` to hold out part of the rows, or a test file");
        if (s.keyword.text === "stop" && kind === "early" && s.comparator) report(s.comparator.range, "`stop early` takes no comparison", "write e.g. `stop early monitor=val_loss patience=5`");
      }
    },
  },
  {
    code: "NN010",
    severity: "error",
    title: "unknown option for its statement",
    run({ statements }, report) {
      const known = knownStatements(statements);
      const { tables, withSettings } = optionTablesOf(statements);
      for (const i of withSettings) {
        const s = known[i]!;
        const options = tables[i];
        if (!options) continue;
        for (const setting of s.settings) {
          if (!Object.hasOwn(options, setting.name.text)) {
            const where = s.kind && kindsFor(s.keyword.text) ? `${s.keyword.text} ${s.kind.text}` : s.keyword.text;
            report(setting.name.range, `\`${setting.name.text}\` is not an option of \`${where}\``, suggestion(setting.name.text, Object.keys(options), "options"));
          }
        }
      }
    },
  },
  {
    code: "NN011",
    severity: "error",
    title: "option value of the wrong type (number, whole number, flag, name, string)",
    run({ statements }, report) {
      const known = knownStatements(statements);
      const { tables, withSettings } = optionTablesOf(statements);
      for (const i of withSettings) {
        const s = known[i]!;
        const options = tables[i] ?? noOptions;
        for (const { name, value } of s.settings) {
          const spec = options[name.text];
          if (!spec) continue;
          const at = value?.range ?? name.range;
          switch (spec.type) {
            case "number":
              if (value?.type !== "number") report(at, `\`${name.text}\` needs a number, ${got(value)}`, `write e.g. \`${name.text}=${spec.default ?? 1}\``);
              break;
            case "integer":
              if (value?.type !== "number") report(at, `\`${name.text}\` needs a whole number, ${got(value)}`, `write e.g. \`${name.text}=${spec.default ?? 1}\``);
              else if (Number.isFinite(value.value) && !Number.isInteger(value.value)) report(at, `\`${name.text}\` needs a whole number, ${got(value)}`);
              break;
            case "flag":
              if (value && !(value.type === "name" && (value.value === "true" || value.value === "false"))) {
                report(at, `\`${name.text}\` is a flag: write \`${name.text}\`, \`${name.text}=true\` or \`${name.text}=false\`, ${got(value)}`);
              }
              break;
            case "name":
              if (value?.type !== "name") report(at, `\`${name.text}\` needs a name, ${got(value)}`, spec.words ? `one of ${spec.words.join(", ")}` : undefined);
              else if (spec.words && !spec.words.includes(value.value)) report(at, `\`${name.text}\` must be one of ${spec.words.join(", ")}, ${got(value)}`, suggestion(value.value, spec.words, "values"));
              break;
            case "string":
              if (value?.type !== "string") report(at, `\`${name.text}\` needs a quoted string, ${got(value)}`, `write e.g. \`${name.text}="file"\``);
              break;
            case "name_or_integer":
              if (!(value?.type === "name" || (value?.type === "number" && Number.isInteger(value.value)))) {
                report(at, `\`${name.text}\` needs a column name or a 0-based column index, ${got(value)}`);
              }
              break;
          }
        }
      }
    },
  },
  {
    code: "NN012",
    severity: "error",
    title: "value out of range (lr > 0, 0 ≤ p < 1, batch ≥ 1, split in [0, 1), …)",
    run({ statements }, report) {
      // `what` is the subject of the message, or null for an option's name (quoted only when reported: not a
      // string per setting).
      const check = (n: NumberNode | null | undefined, what: string | null, range: NumberRange, option?: string) => {
        if (n && Number.isFinite(n.value) && !inRange(n.value, range)) report(n.range, `${what ?? `\`${option}\``} must be ${describeRange(range)}, got ${n.text}`);
      };
      const columnIndex: NumberRange = { min: 0 };
      const known = knownStatements(statements);
      const { tables } = optionTablesOf(statements);
      for (let i = 0; i < known.length; i++) {
        const s = known[i]!;
        const options = tables[i] ?? noOptions;
        for (const { name, value } of s.settings) {
          const spec = options[name.text];
          if (spec && value?.type === "number" && (spec.type === "number" || spec.type === "integer")) check(value, null, spec, name.text);
          if (spec?.type === "name_or_integer" && value?.type === "number") check(value, null, columnIndex, name.text);
        }
        if (s.keyword.text === "split") check(s.numbers[0], "the split fraction", { min: 0, max: 1, maxExclusive: true });
        if (s.keyword.text === "stop" && s.kind?.text === "loss") check(s.numbers[0], "the loss target", { min: 0, minExclusive: true });
        if (s.keyword.text === "stop" && s.kind?.text === "accuracy") check(s.numbers[0], "the accuracy target", { min: 0, minExclusive: true, max: 1 });
        if (s.activation?.kind.text === "leaky_relu") check(s.activation.alpha, "leaky_relu's alpha", { min: 0 });
      }
    },
  },
  {
    code: "NN013",
    severity: "error",
    title: "an option given twice in one statement",
    run({ statements }, report) {
      for (const s of statements) {
        if (s.settings.length < 2) continue; // no Map for the 55,000 statements with one option or none
        // Name → its message, built at the first repeat and shared by the others (140,000 `lr=0.1`).
        const seen = new Map<string, string | null>();
        for (const setting of s.settings) {
          const name = setting.name.text;
          const message = seen.get(name);
          if (message === undefined) seen.set(name, null);
          else if (message === null) {
            const first = `\`${name}\` is given twice in this statement`;
            seen.set(name, first);
            report(setting.name.range, first);
          } else report(setting.name.range, message);
        }
      }
    },
  },
  {
    code: "NN014",
    severity: "error",
    title: "a statement that may appear once is repeated (model, input, loss, optimiser, schedule, init, data, test, split, normalize, precision, a let/sweep variable, a stop kind)",
    run({ statements }, report) {
      for (const keyword of ["model", "input", "loss", "schedule", "init", "data", "test", "split", "normalize", "precision"]) {
        reportRepeats(statementsOf(statements, keyword), `\`${keyword}\``, report);
      }
      reportRepeats(statementsOf(statements, ...optimizerKeywords), "an optimiser (sgd, momentum, rmsprop, adam)", report);
      for (const keyword of ["let", "sweep"]) {
        const byName = new Map<string, StatementNode[]>();
        // A run of the same name is pushed to the previous group without a Map lookup (100,000 `let H = 2`).
        let lastName: string | undefined;
        let lastGroup: StatementNode[] | undefined;
        for (const s of statementsOf(statements, keyword)) {
          if (!s.variable) continue;
          if (s.variable.text === lastName) lastGroup!.push(s);
          else {
            lastName = s.variable.text;
            groupPush(byName, lastName, s);
            lastGroup = byName.get(lastName);
          }
        }
        for (const [name, group] of byName) reportRepeats(group, `\`${keyword} ${name}\``, report);
      }
      const byKind = new Map<string, StatementNode[]>();
      for (const s of statementsOf(statements, "stop")) if (s.kind) groupPush(byKind, s.kind.text, s);
      for (const [kind, group] of byKind) reportRepeats(group, `\`stop ${kind}\``, report);
    },
  },
  {
    code: "NN015",
    severity: "error",
    title: "model name is not [A-Za-z_][A-Za-z0-9_-]* (it becomes a file name and an identifier)",
    run({ statements, lowered, source }, report) {
      const name = lowered.spec.name;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return;
      const model = statementsOf(statements, "model")[0];
      if (model?.kind) report(model.kind.range, `the model name \`${name}\` is not allowed`, "use letters, digits, `_` and `-`, starting with a letter or `_`");
      else report(pointRange(source, 0), `the file name gives the model name \`${name}\`, which is not allowed`, "add a `model NAME` statement (letters, digits, `_`, `-`)");
    },
  },
  {
    code: "NN016",
    severity: "error",
    title: "unknown variable (a size or sweep names no `let`)",
    run({ statements, lowered }, report) {
      const variables = lowered.spec.variables;
      const names = Object.keys(variables);
      // One function for the three sizes (not a [from, to, size] array per statement: 55,000 layers).
      const check = (v: ValueNode | null): void => {
        if (v?.type === "name" && !Object.hasOwn(variables, v.value)) {
          report(v.range, `unknown variable \`${v.value}\``, closest(v.value, names) ? suggestion(v.value, names, "variables") : `declare it first: \`let ${v.value} = 4\``);
        }
      };
      for (const s of statementsOf(statements, "layer", "input")) {
        check(s.from);
        check(s.to);
        check(s.size);
      }
      for (const s of statementsOf(statements, "sweep")) {
        if (s.variable && !Object.hasOwn(variables, s.variable.text)) report(s.variable.range, `\`sweep ${s.variable.text}\` needs \`let ${s.variable.text} = …\``);
      }
    },
  },
  {
    code: "NN017",
    severity: "error",
    title: "a size (layer, input, sweep value) is not a whole number ≥ 1",
    run({ statements, lowered }, report) {
      const variables = lowered.spec.variables;
      // One function for the three sizes (not a [from, to, size] array per statement: 55,000 layers).
      const check = (v: ValueNode | null): void => {
        if (!v || v.type === "string") return;
        const value = resolveSize(v, variables);
        if (Number.isNaN(value) || !Number.isFinite(value) || isSizeValue(value)) return;
        report(v.range, v.type === "name" ? `\`${v.value}\` is ${value}, not a valid size` : `size ${v.text} must be a whole number ≥ 1`);
      };
      for (const s of statementsOf(statements, "layer", "input")) {
        check(s.from);
        check(s.to);
        check(s.size);
      }
      for (const s of statementsOf(statements, "sweep")) {
        for (const n of s.numbers) if (Number.isFinite(n.value) && !isSizeValue(n.value)) report(n.range, `sweep value ${n.text} must be a whole number ≥ 1`);
      }
    },
  },
  {
    code: "NN020",
    severity: "error",
    title: "layer sizes do not chain (layer k's inputs ≠ layer k−1's outputs)",
    run(ctx, report) {
      const { layers } = ctx.lowered.spec;
      // The previous dense layer's outputs and statement; its number is looked up only for a report (not
      // twice per layer: 55,000 layers).
      let previousOutputs = NaN;
      let previous: StatementNode | null = null;
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i]!;
        if (layer.kind !== "dense") continue;
        const s = ctx.lowered.layerStatements[i]!;
        if (previous && isSizeValue(previousOutputs) && isSizeValue(layer.inputs) && layer.inputs !== previousOutputs && s.from) {
          const number = layerNumber(ctx, previous);
          report(
            s.from.range,
            `layer ${layerNumber(ctx, s)} takes ${layer.inputs} inputs but layer ${number} gives ${previousOutputs}`,
            `write \`${previousOutputs}->…\` here, or change layer ${number}`,
          );
        }
        previousOutputs = layer.outputs;
        previous = s;
      }
    },
  },
  {
    code: "NN021",
    severity: "error",
    title: "`input` differs from the first layer's inputs",
    run({ statements, lowered }, report) {
      const input = statementsOf(statements, "input")[0];
      const declared = resolveSize(input?.size ?? null, lowered.spec.variables);
      const firstIndex = lowered.spec.layers.findIndex((l) => l.kind === "dense");
      const first = lowered.spec.layers[firstIndex];
      const s = lowered.layerStatements[firstIndex];
      if (!input?.size || !first || first.kind !== "dense" || !s?.from || !isSizeValue(declared) || !isSizeValue(first.inputs)) return;
      if (declared !== first.inputs) report(s.from.range, `the first layer takes ${first.inputs} inputs but \`input\` says ${declared}`, `\`input\` is on line ${input.range.startLine}`);
    },
  },
  {
    code: "NN022",
    severity: "error",
    title: "softmax on a layer other than the last",
    run({ lowered }, report) {
      // Every dense layer before the last dense one (a loop: no pair object per layer).
      const { layers } = lowered.spec;
      let lastDense = layers.length - 1;
      while (lastDense >= 0 && layers[lastDense]!.kind !== "dense") lastDense--;
      for (let i = 0; i < lastDense; i++) {
        const s = lowered.layerStatements[i]!;
        if (layers[i]!.kind === "dense" && s.activation?.kind.text === "softmax") report(s.activation.kind.range, "softmax is only allowed on the last layer", "use relu, tanh or sigmoid in hidden layers");
      }
    },
  },
  {
    code: "NN023",
    severity: "error",
    title: "crossentropy on an output that is not sigmoid or softmax",
    run({ statements, lowered }, report) {
      const loss = statementsOf(statements, "loss")[0];
      const last = lastDenseLayer(lowered.spec.layers);
      if (loss?.kind?.text !== "crossentropy" || !last || last.kind !== "dense") return;
      const act = last.activation.kind;
      if (act !== "sigmoid" && act !== "softmax") {
        report(loss.kind.range, `crossentropy needs probabilities, but the last layer's activation is ${act}`, "end with sigmoid (one or independent outputs) or softmax (one class of several), or use `loss mse`");
      }
    },
  },
  {
    code: "NN024",
    severity: "error",
    title: "softmax over a single output (always 1)",
    run({ lowered }, report) {
      lowered.spec.layers.forEach((l, i) => {
        const s = lowered.layerStatements[i]!;
        if (l.kind === "dense" && l.activation.kind === "softmax" && l.outputs === 1 && s.activation) {
          report(s.activation.kind.range, "softmax over one output is always 1", "use sigmoid for a single output");
        }
      });
    },
  },
  {
    code: "NN025",
    severity: "error",
    title: "the spec has no layers",
    run({ lowered, source }, report) {
      if (lowered.spec.layers.length === 0) report(pointRange(source, 0), "the spec has no layers", "add e.g. `layer fc 2->1 sigmoid`");
    },
  },
  {
    code: "NN026",
    severity: "error",
    title: "dropout as the first or the last layer",
    run({ lowered }, report) {
      const { layers } = lowered.spec;
      layers.forEach((l, i) => {
        const s = lowered.layerStatements[i]!;
        if (l.kind !== "dropout" || !s.kind) return;
        if (i === 0) report(s.kind.range, "dropout cannot be the first layer", "put it after a `layer fc`; to drop inputs, add a wider first layer");
        else if (i === layers.length - 1) report(s.kind.range, "dropout cannot be the last layer", "the output feeds the loss directly; put dropout between hidden layers");
      });
    },
  },
  {
    code: "NN027",
    severity: "error",
    title: "a `row` has the wrong number of inputs",
    run({ statements, lowered }, report) {
      const inputs = lowered.spec.inputs;
      if (!isSizeValue(inputs)) return;
      for (const s of statementsOf(statements, "row")) {
        if (s.inputs.length > 0 && s.inputs.length !== inputs) {
          report(spanRange(s.inputs[0]!.range, s.inputs.at(-1)!.range), `this row has ${plural(s.inputs.length, "input")} but the network takes ${inputs}`);
        }
      }
    },
  },
  {
    code: "NN028",
    severity: "error",
    title: "a `row` has the wrong number of targets, or a class index out of range",
    run({ statements, lowered }, report) {
      const outputs = lowered.spec.outputs;
      if (!isSizeValue(outputs)) return;
      for (const s of statementsOf(statements, "row")) {
        const t = s.targets;
        if (t.length === 0 || t.length === outputs) continue;
        if (t.length === 1 && outputs > 1) {
          const c = t[0]!.value;
          if (!(Number.isInteger(c) && c >= 0 && c < outputs)) report(t[0]!.range, `class index ${t[0]!.text} is not a whole number in 0…${outputs - 1}`, `one target per output (${outputs}) or one class index`);
          continue;
        }
        report(spanRange(t[0]!.range, t.at(-1)!.range), `this row has ${plural(t.length, "target")} but the network has ${plural(outputs, "output")}`, outputs > 1 ? "give one per output or a single class index" : undefined);
      }
    },
  },
  {
    code: "NN029",
    severity: "error",
    title: "`row` statements with a non-inline `data`, or `data inline` without rows",
    run({ statements }, report) {
      const data = statementsOf(statements, "data")[0];
      const rows = statementsOf(statements, "row");
      if (data?.kind && data.kind.text !== "inline" && rows.length > 0) report(rows[0]!.keyword.range, `rows are inline data, but \`data ${data.kind.text}\` is on line ${data.range.startLine}`, "remove the rows or the data statement");
      if (data?.kind?.text === "inline" && rows.length === 0) report(data.kind.range, "`data inline` needs `row` statements", "add e.g. `row 0.5, 1 -> 0`");
    },
  },
  {
    code: "NN030",
    severity: "error",
    title: "`stop early` without validation data (no `split` and no `test`)",
    run({ statements, lowered }, report) {
      const data = lowered.spec.data;
      const hasValidation = data !== null && (data.split > 0 || data.test !== null);
      for (const s of statementsOf(statements, "stop")) {
        if (s.kind?.text === "early" && !hasValidation) report(s.kind.range, "`stop early` watches validation data, but there is none", "add `split 0.2` or a `test` statement");
      }
    },
  },
  {
    code: "NN032",
    severity: "error",
    title: "stop comparison in the wrong direction (`loss >`, `accuracy <`)",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "stop")) {
        const op = s.comparator?.text;
        if (!op) continue;
        if (s.kind?.text === "loss" && op.startsWith(">")) report(s.comparator!.range, "`stop loss` needs `<`: training stops when the loss falls below the target");
        if (s.kind?.text === "accuracy" && op.startsWith("<")) report(s.comparator!.range, "`stop accuracy` needs `>=`: training stops when accuracy reaches the target");
      }
    },
  },
  {
    code: "NN033",
    severity: "error",
    title: "`test`, `split` or `normalize` without training data",
    run({ statements, lowered }, report) {
      if (lowered.spec.data !== null) return;
      for (const s of statementsOf(statements, "test", "split", "normalize")) {
        report(s.keyword.range, `\`${s.keyword.text}\` needs training data`, "add a `data` statement or `row`s");
      }
    },
  },
  {
    code: "NN034",
    severity: "error",
    title: "both `split` and `test` define the test set",
    run({ statements }, report) {
      const split = statementsOf(statements, "split")[0];
      const test = statementsOf(statements, "test")[0];
      if (split && test && (split.numbers[0]?.value ?? 0) > 0) report(split.keyword.range, `\`split\` and \`test\` (line ${test.range.startLine}) both define the test set`, "keep one");
    },
  },
  {
    code: "NN040",
    severity: "warning",
    title: "a data file name does not look like its format (paths are not opened by the front end)",
    run({ statements }, report) {
      const looks: Record<string, RegExp> = { npy: /\.npy$/i, csv: /\.(csv|tsv|txt)$/i, idx: /(ubyte|\.idx\d?)(\.gz)?$/i };
      for (const s of statementsOf(statements, "data", "test")) {
        const kind = s.kind?.text ?? "";
        const pattern = looks[kind];
        if (!pattern) continue;
        const files = [s.path, ...s.settings.filter((x) => x.name.text === "labels").map((x) => x.value)];
        for (const f of files) {
          if (f?.type === "string" && !pattern.test(f.value)) report(f.range, `\`${f.value}\` does not look like a ${kind} file`, `expected a name matching ${pattern.source}`);
        }
      }
    },
  },
  {
    code: "NN041",
    severity: "warning",
    title: "a `let` variable no size uses",
    run({ statements }, report) {
      const used = new Set<string>();
      const use = (v: ValueNode | null): void => {
        if (v?.type === "name") used.add(v.value);
      };
      for (const s of statementsOf(statements, "layer", "input")) {
        use(s.from);
        use(s.to);
        use(s.size);
      }
      for (const s of statementsOf(statements, "let")) {
        if (s.variable && !used.has(s.variable.text)) report(s.variable.range, `variable \`${s.variable.text}\` is never used`, "use it as a size, e.g. `layer fc 2->" + s.variable.text + " tanh`");
      }
    },
  },
  {
    code: "NN042",
    severity: "warning",
    title: "a step schedule that never steps (every ≥ epochs)",
    run({ statements, lowered }, report) {
      const { schedule, epochs } = lowered.spec.training;
      const s = statementsOf(statements, "schedule")[0];
      if (schedule.kind === "step" && schedule.every >= epochs && s?.kind) {
        report(s.kind.range, `the step schedule never steps: every=${schedule.every} but training runs ${epochs} epochs`);
      }
    },
  },
  {
    code: "NN043",
    severity: "warning",
    title: "a variable override names no `let` in the spec",
    run({ overrides, lowered, source }, report) {
      for (const name of Object.keys(overrides)) {
        if (!Object.hasOwn(lowered.spec.variables, name)) report(pointRange(source, 0), `\`${name}\` is given a value but the spec has no \`let ${name}\``);
      }
    },
  },
];

/** Runs every check; a check that throws (a bug) becomes one NN099 diagnostic instead of an exception. */
export function validate(ctx: CheckContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const check of checks) {
    // Two literals, not a hint added afterwards (a shape change per diagnostic; 100,000 diagnostics).
    const report: Report = (range, message, hint) => {
      const { code, severity } = check;
      const fileName = ctx.fileName;
      diagnostics.push(hint === undefined ? { code, severity, message, fileName, range } : { code, severity, message, fileName, range, hint });
    };
    try {
      check.run(ctx, report);
    } catch (error) {
      const message = `internal error in check ${check.code}: ${error instanceof Error ? error.message : String(error)}`;
      diagnostics.push({ code: "NN099", severity: "error", message, fileName: ctx.fileName, range: pointRange(ctx.source, 0) });
    }
  }
  return diagnostics;
}
