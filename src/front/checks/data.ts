// Checks of the data statements: `data`, `test`, `split`, `normalize` and inline `row`s.
import { statementsOf } from "../lower.js";
import { pathKinds } from "../schema.js";
import { spanRange } from "../ranges.js";
import { isSizeValue, kindsFor, reportOutOfRange } from "./shared.js";
import type { Check } from "./types.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export const dataChecks: readonly Check[] = [
  {
    code: "NN007",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "data", "test")) {
        const kind = s.kind?.text ?? "";
        if (pathKinds.includes(kind) && !s.path) {
          report(s.kind!.range, `\`${s.keyword.text} ${kind}\` needs a quoted file path`, `write e.g. \`${s.keyword.text} ${kind} "file.${kind}"\``);
        }
      }
    },
  },
  {
    code: "NN008",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "data", "test")) {
        const kind = s.kind?.text ?? "";
        if (s.path && kindsFor("data")!.includes(kind) && !pathKinds.includes(kind)) report(s.path.range, `\`${s.keyword.text} ${kind}\` takes no file path`);
        if (s.keyword.text === "test" && kind === "inline")
          report(s.kind!.range, "`test inline` is not supported", "use `split` to hold out part of the rows, or a test file");
      }
    },
  },
  {
    code: "NN012",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "split")) reportOutOfRange(report, s.numbers[0], "the split fraction", { min: 0, max: 1, maxExclusive: true });
    },
  },
  {
    code: "NN027",
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
    run({ statements, lowered }, report) {
      const outputs = lowered.spec.outputs;
      if (!isSizeValue(outputs)) return;
      for (const s of statementsOf(statements, "row")) {
        const t = s.targets;
        if (t.length === 0 || t.length === outputs) continue;
        if (t.length === 1 && outputs > 1) {
          const c = t[0]!.value;
          if (!(Number.isInteger(c) && c >= 0 && c < outputs))
            report(t[0]!.range, `class index ${t[0]!.text} is not a whole number in 0…${outputs - 1}`, `one target per output (${outputs}) or one class index`);
          continue;
        }
        report(
          spanRange(t[0]!.range, t.at(-1)!.range),
          `this row has ${plural(t.length, "target")} but the network has ${plural(outputs, "output")}`,
          outputs > 1 ? "give one per output or a single class index" : undefined,
        );
      }
    },
  },
  {
    code: "NN029",
    run({ statements }, report) {
      const data = statementsOf(statements, "data")[0];
      const rows = statementsOf(statements, "row");
      if (data?.kind && data.kind.text !== "inline" && rows.length > 0)
        report(
          rows[0]!.keyword.range,
          `rows are inline data, but \`data ${data.kind.text}\` is on line ${data.range.startLine}`,
          "remove the rows or the data statement",
        );
      if (data?.kind?.text === "inline" && rows.length === 0) report(data.kind.range, "`data inline` needs `row` statements", "add e.g. `row 0.5, 1 -> 0`");
    },
  },
  {
    code: "NN033",
    run({ statements, lowered }, report) {
      if (lowered.spec.data !== null) return;
      for (const s of statementsOf(statements, "test", "split", "normalize")) {
        report(s.keyword.range, `\`${s.keyword.text}\` needs training data`, "add a `data` statement or `row`s");
      }
    },
  },
  {
    code: "NN034",
    run({ statements }, report) {
      const split = statementsOf(statements, "split")[0];
      const test = statementsOf(statements, "test")[0];
      if (split && test && (split.numbers[0]?.value ?? 0) > 0)
        report(split.keyword.range, `\`split\` and \`test\` (line ${test.range.startLine}) both define the test set`, "keep one");
    },
  },
  {
    code: "NN040",
    run({ statements }, report) {
      const looks: Record<string, RegExp> = { npy: /\.npy$/i, csv: /\.(csv|tsv|txt)$/i, idx: /(ubyte|\.idx\d?)(\.gz)?$/i };
      for (const s of statementsOf(statements, "data", "test")) {
        const kind = s.kind?.text ?? "";
        const pattern = Object.hasOwn(looks, kind) ? looks[kind] : undefined;
        if (!pattern) continue;
        const files = [s.path, ...s.settings.filter((x) => x.name.text === "labels").map((x) => x.value)];
        for (const f of files) {
          if (f?.type === "string" && !pattern.test(f.value))
            report(f.range, `\`${f.value}\` does not look like a ${kind} file`, `expected a name matching ${pattern.source}`);
        }
      }
    },
  },
];
