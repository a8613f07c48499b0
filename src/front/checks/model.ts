// Checks of the `model` statement.
import { statementsOf } from "../lower.js";
import { pointRange } from "../ranges.js";
import type { Check } from "./types.js";

export const modelChecks: readonly Check[] = [
  {
    code: "NN015",
    run({ statements, lowered, source }, report) {
      const name = lowered.spec.name;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return;
      const model = statementsOf(statements, "model")[0];
      if (model?.kind) report(model.kind.range, `the model name \`${name}\` is not allowed`, "use letters, digits, `_` and `-`, starting with a letter or `_`");
      else
        report(
          pointRange(source, 0),
          `the file name gives the model name \`${name}\`, which is not allowed`,
          "add a `model NAME` statement (letters, digits, `_`, `-`)",
        );
    },
  },
];
