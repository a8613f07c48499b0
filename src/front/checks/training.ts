// Checks of how training runs and stops: the `stop` statements and the learning-rate `schedule`
// (the optimiser's own settings are option checks, options.ts).
import { statementsOf } from "../lower.js";
import { reportOutOfRange } from "./shared.js";
import type { Check } from "./types.js";

export const trainingChecks: readonly Check[] = [
  {
    code: "NN007",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "stop")) {
        const kind = s.kind?.text;
        if ((kind === "loss" || kind === "accuracy") && !s.comparator) {
          report(s.kind!.range, `\`stop ${kind}\` needs a target`, kind === "loss" ? "write e.g. `stop loss < 0.1`" : "write e.g. `stop accuracy >= 0.98`");
        }
      }
    },
  },
  {
    code: "NN008",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "stop")) {
        if (s.kind?.text === "early" && s.comparator)
          report(s.comparator.range, "`stop early` takes no comparison", "write e.g. `stop early monitor=val_loss patience=5`");
      }
    },
  },
  {
    code: "NN012",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "stop")) {
        if (s.kind?.text === "loss") reportOutOfRange(report, s.numbers[0], "the loss target", { min: 0, minExclusive: true });
        if (s.kind?.text === "accuracy") reportOutOfRange(report, s.numbers[0], "the accuracy target", { min: 0, minExclusive: true, max: 1 });
      }
    },
  },
  {
    code: "NN030",
    run({ statements, lowered }, report) {
      const data = lowered.spec.data;
      const hasValidation = data !== null && (data.split > 0 || data.test !== null);
      for (const s of statementsOf(statements, "stop")) {
        if (s.kind?.text === "early" && !hasValidation)
          report(s.kind.range, "`stop early` watches validation data, but there is none", "add `split 0.2` or a `test` statement");
      }
    },
  },
  {
    code: "NN032",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "stop")) {
        const op = s.comparator?.text;
        if (!op) continue;
        if (s.kind?.text === "loss" && op.startsWith(">"))
          report(s.comparator!.range, "`stop loss` needs `<`: training stops when the loss falls below the target");
        if (s.kind?.text === "accuracy" && op.startsWith("<"))
          report(s.comparator!.range, "`stop accuracy` needs `>=`: training stops when accuracy reaches the target");
      }
    },
  },
  {
    code: "NN042",
    run({ statements, lowered }, report) {
      const { schedule, epochs } = lowered.spec.training;
      const s = statementsOf(statements, "schedule")[0];
      if (schedule.kind === "step" && schedule.every >= epochs && s?.kind) {
        report(s.kind.range, `the step schedule never steps: every=${schedule.every} but training runs ${epochs} epochs`);
      }
    },
  },
];
