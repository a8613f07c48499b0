// Checks of class names: the `classes` statement against the network's outputs (NN070–NN072) and the rows
// whose target is a class name (NN073). A classifier ends in sigmoid or softmax: softmax (or several
// sigmoid outputs, one-hot) has one class per output; one sigmoid output has two classes, the first for an
// output below 0.5 (target 0) and the second above (target 1).
import { lastDeclaring, statementsOf } from "../lower.js";
import { spanRange } from "../ranges.js";
import type { NameNode, StatementNode } from "../statements.js";
import { closest } from "../suggest.js";
import { isSizeValue } from "./shared.js";
import { classCountOf, listClasses } from "../../report/classes.js";
import type { Check } from "./types.js";

/** The range of a `classes` statement's names (its keyword when it has none). */
function namesRange(s: StatementNode) {
  const first = s.names[0];
  return first === undefined ? s.keyword.range : spanRange(first.range, s.names.at(-1)!.range);
}

/** The class-name rows: rows whose target is a name. */
function namedRows(statements: StatementNode[]): { row: StatementNode; name: NameNode }[] {
  const out: { row: StatementNode; name: NameNode }[] = [];
  for (const row of statementsOf(statements, "row")) {
    const name = row.names[0];
    if (name !== undefined) out.push({ row, name });
  }
  return out;
}

export const classChecks: readonly Check[] = [
  {
    code: "NN070",
    run({ statements, lowered }, report) {
      const s = statementsOf(statements, "classes")[0];
      const last = lastDeclaring(lowered.spec.layers);
      const outputs = lowered.spec.outputs;
      if (s === undefined || last === undefined || !isSizeValue(outputs)) return;
      const kind = last.activation?.kind;
      if (kind !== "sigmoid" && kind !== "softmax") return; // NN072
      const expected = classCountOf(outputs);
      if (s.names.length === expected) return;
      const why = outputs === 1 ? "one sigmoid output is two classes: the first below 0.5, the second above" : `one class per output`;
      report(
        namesRange(s),
        `\`classes\` names ${s.names.length} class${s.names.length === 1 ? "" : "es"} but the network has ${outputs} output${outputs === 1 ? "" : "s"} (${why})`,
        `name ${expected} classes, in output order`,
      );
    },
  },
  {
    code: "NN071",
    run({ statements }, report) {
      const s = statementsOf(statements, "classes")[0];
      if (s === undefined) return;
      const seen = new Map<string, NameNode>();
      for (const name of s.names) {
        if (name.value === "") {
          report(name.range, "a class name is empty", 'name the class, e.g. `"other"`');
          continue;
        }
        const first = seen.get(name.value);
        if (first !== undefined)
          report(name.range, `class \`${name.value}\` is named twice`, `the first is at column ${first.range.startColumn}; each class needs its own name`);
        else seen.set(name.value, name);
      }
    },
  },
  {
    code: "NN072",
    run({ statements, lowered }, report) {
      const s = statementsOf(statements, "classes")[0];
      const last = lastDeclaring(lowered.spec.layers);
      if (s === undefined || last === undefined) return;
      const kind = last.activation?.kind ?? "linear";
      if (kind === "sigmoid" || kind === "softmax") return;
      report(
        s.keyword.range,
        `\`classes\` on a regression: the last layer's activation is ${kind}`,
        "a classifier ends in softmax (one class per output) or sigmoid (one output: two classes); remove `classes` for a regression",
      );
    },
  },
  {
    code: "NN073",
    run({ statements, lowered }, report) {
      const rows = namedRows(statements);
      if (rows.length === 0) return;
      const classes = lowered.spec.classes;
      if (classes === null) {
        for (const { name } of rows)
          report(
            name.range,
            `the row's label \`${name.value}\` is a class name, but the spec has no \`classes\` statement`,
            `add e.g. \`classes ${name.value}, …\` (in output order), or write the class index`,
          );
        return;
      }
      const known = new Set(classes);
      const list = listClasses(classes);
      for (const { name } of rows) {
        if (known.has(name.value)) continue;
        const near = closest(name.value, classes);
        report(name.range, `\`${name.value}\` is not a class of this spec (classes: ${list})`, near === null ? undefined : `did you mean \`${near}\`?`);
      }
    },
  },
];
