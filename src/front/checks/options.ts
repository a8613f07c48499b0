// Checks of the `name=value` settings of any statement against its option table (src/front/schema.ts):
// a required option missing (NN007), an unknown option (NN010), a value of the wrong type (NN011) or out of
// range (NN012), an option given twice (NN013). A "pair" option (a conv or pool layer's kernel, stride) is a
// whole number or `AxB`; a "padding" option also takes the word `same`: the value's form is NN011's, each
// number's range NN012's. The tables come from optionTablesOf, once per spec; NN010–
// NN012 visit only the statements that have settings. Message text is built only when something is
// reported (a 1 MB spec can hold 140,000 well-typed settings).
import { knownStatements } from "../lower.js";
import { describeRange, inRange, type NumberRange, type OptionSpec, type OptionTable } from "../schema.js";
import type { SettingNode, StatementNode, ValueNode } from "../statements.js";
import { suggestion } from "../suggest.js";
import { kindsFor, noOptions, optionTablesOf, reportOutOfRange } from "./shared.js";
import type { Check } from "./types.js";

function valueText(v: ValueNode): string {
  return v.type === "number" || v.type === "dims" ? v.text : v.type === "string" ? JSON.stringify(v.value) : v.value;
}

/** "got `x`" for a message about a setting's value. */
function got(value: ValueNode | null): string {
  return value ? `got \`${valueText(value)}\`` : "got nothing";
}

const columnIndex: NumberRange = { min: 0 };

/** The range of each number of a pair or padding option: the option's own, else n ≥ 1 (pair) or n ≥ 0 (padding). */
function partRange(spec: OptionSpec): NumberRange {
  if (spec.min !== undefined || spec.max !== undefined) return spec;
  return spec.type === "padding" ? { min: 0 } : { min: 1 };
}

/** True when `value` has the form of a pair option: a whole number, or dims with exactly two parts. */
function isPairForm(value: ValueNode | null): boolean {
  if (value?.type === "number") return !Number.isFinite(value.value) || Number.isInteger(value.value);
  return value?.type === "dims" && value.values.length === 2;
}

/** NN011's message for a pair or padding option whose value has the wrong form. */
function pairFormMessage(name: string, spec: OptionSpec, value: ValueNode | null): string {
  const same = spec.type === "padding" ? ", two joined by `x` or `same`" : " or two joined by `x`";
  const detail = value?.type === "dims" ? ` (${value.values.length} parts)` : "";
  return `\`${name}\` needs a whole number${same}, ${got(value)}${detail}`;
}

/** Calls `visit` on each known statement that has settings, in order, with its option table (null: an unknown kind). */
function eachWithSettings(statements: StatementNode[], visit: (s: StatementNode, options: OptionTable | null) => void): void {
  const known = knownStatements(statements);
  const { tables, withSettings } = optionTablesOf(statements);
  for (const i of withSettings) visit(known[i]!, tables[i] as OptionTable | null);
}

/** Calls `visit` on each setting that its statement's option table has, in order, with that option's spec. */
function eachKnownSetting(statements: StatementNode[], visit: (setting: SettingNode, spec: OptionSpec) => void): void {
  eachWithSettings(statements, (s, table) => {
    const options = table ?? noOptions;
    for (const setting of s.settings) {
      const spec = options[setting.name.text];
      if (spec) visit(setting, spec);
    }
  });
}

export const optionChecks: readonly Check[] = [
  {
    code: "NN007",
    run({ statements }, report) {
      const known = knownStatements(statements);
      const { tables } = optionTablesOf(statements);
      for (let i = 0; i < known.length; i++) {
        const s = known[i]!;
        const options = tables[i];
        for (const name in options) {
          const spec = options[name]!;
          if (spec.required && !s.settings.some((x) => x.name.text === name)) {
            report(s.kind?.range ?? s.keyword.range, `\`${s.keyword.text} ${s.kind?.text ?? ""}\` needs \`${name}=…\``, spec.doc);
          }
        }
      }
    },
  },
  {
    code: "NN010",
    run({ statements }, report) {
      eachWithSettings(statements, (s, options) => {
        if (!options) return;
        for (const setting of s.settings) {
          if (!Object.hasOwn(options, setting.name.text)) {
            const where = s.kind && kindsFor(s.keyword.text) ? `${s.keyword.text} ${s.kind.text}` : s.keyword.text;
            report(
              setting.name.range,
              `\`${setting.name.text}\` is not an option of \`${where}\``,
              suggestion(setting.name.text, Object.keys(options), "options"),
            );
          }
        }
      });
    },
  },
  {
    code: "NN011",
    run({ statements }, report) {
      eachKnownSetting(statements, ({ name, value }, spec) => {
        const at = value?.range ?? name.range;
        switch (spec.type) {
          case "number":
            if (value?.type !== "number") report(at, `\`${name.text}\` needs a number, ${got(value)}`, `write e.g. \`${name.text}=${spec.default ?? 1}\``);
            break;
          case "integer":
            if (value?.type !== "number")
              report(at, `\`${name.text}\` needs a whole number, ${got(value)}`, `write e.g. \`${name.text}=${spec.default ?? 1}\``);
            else if (Number.isFinite(value.value) && !Number.isInteger(value.value)) report(at, `\`${name.text}\` needs a whole number, ${got(value)}`);
            break;
          case "flag":
            if (value && !(value.type === "name" && (value.value === "true" || value.value === "false"))) {
              report(at, `\`${name.text}\` is a flag: write \`${name.text}\`, \`${name.text}=true\` or \`${name.text}=false\`, ${got(value)}`);
            }
            break;
          case "name":
            if (value?.type !== "name") report(at, `\`${name.text}\` needs a name, ${got(value)}`, spec.words ? `one of ${spec.words.join(", ")}` : undefined);
            else if (spec.words && !spec.words.includes(value.value))
              report(at, `\`${name.text}\` must be one of ${spec.words.join(", ")}, ${got(value)}`, suggestion(value.value, spec.words, "values"));
            break;
          case "string":
            if (value?.type !== "string") report(at, `\`${name.text}\` needs a quoted string, ${got(value)}`, `write e.g. \`${name.text}="file"\``);
            break;
          case "name_or_integer":
            if (!(value?.type === "name" || (value?.type === "number" && Number.isInteger(value.value)))) {
              report(at, `\`${name.text}\` needs a column name or a 0-based column index, ${got(value)}`);
            }
            break;
          case "pair":
            if (!isPairForm(value))
              report(at, pairFormMessage(name.text, spec, value), `write e.g. \`${name.text}=3\` (3×3) or \`${name.text}=3x5\` (rows × columns)`);
            break;
          case "padding":
            if (value?.type === "name" ? value.value !== "same" : !isPairForm(value)) {
              const hint = value?.type === "name" ? suggestion(value.value, ["same"], "values") : undefined;
              report(
                at,
                pairFormMessage(name.text, spec, value),
                hint ?? `write e.g. \`${name.text}=1\`, \`${name.text}=1x2\` (rows, columns) or \`${name.text}=same\``,
              );
            }
            break;
        }
      });
    },
  },
  {
    code: "NN012",
    run({ statements }, report) {
      eachKnownSetting(statements, ({ name, value }, spec) => {
        if (value?.type === "dims") {
          // Only a well-formed pair has its numbers checked (any other dims is NN011's).
          if ((spec.type === "pair" || spec.type === "padding") && value.values.length === 2) {
            const range = partRange(spec);
            const bad = value.values.find((n) => Number.isFinite(n) && !inRange(n, range));
            if (bad !== undefined) report(value.range, `each number of \`${name.text}\` must be ${describeRange(range)}, got ${value.text}`);
          }
          return;
        }
        if (value?.type !== "number") return;
        if (spec.type === "number" || spec.type === "integer") reportOutOfRange(report, value, null, spec, name.text);
        if (spec.type === "name_or_integer") reportOutOfRange(report, value, null, columnIndex, name.text);
        if ((spec.type === "pair" || spec.type === "padding") && Number.isInteger(value.value))
          reportOutOfRange(report, value, null, partRange(spec), name.text);
      });
    },
  },
  {
    code: "NN013",
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
];
