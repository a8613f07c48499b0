// The semantic checks of a spec: the table of their stable codes and the driver that runs them. Each code
// has a severity and a one-line title (docs/language.md lists them); what it checks is in parts, grouped by
// what they look at: statements of one kind or one concern in src/front/checks/*.ts, one layer kind's rules
// in src/layers/<kind>/checks.ts. The driver runs the codes in table order and, for each code, its parts
// in the order of `groups` and then of the layer rules' checks (LAYER_RULES, syntax.checks). Tests assert code and position, never wording.
// Syntax codes NN001–NN003 come from syntax.ts; NN099 from index.ts and from here (a check that throws).
import type { Diagnostic, Severity } from "../ir.js";
import { LAYER_RULES } from "../layers/index.js";
import type { LayerNode } from "../layers/rule.js";
import { activationChecks } from "./checks/activations.js";
import { classChecks } from "./checks/classes.js";
import { commonChecks } from "./checks/common.js";
import { dataChecks } from "./checks/data.js";
import { lossChecks } from "./checks/loss.js";
import { modelChecks } from "./checks/model.js";
import { networkChecks } from "./checks/network.js";
import { optionChecks } from "./checks/options.js";
import { trainingChecks } from "./checks/training.js";
import type { Check, CheckCode, CheckContext, LayerCheck, Report } from "./checks/types.js";
import { variableChecks } from "./checks/variables.js";
import { pointRange } from "./ranges.js";

export type { CheckContext } from "./checks/types.js";

/** Every code the checks report, in the order they run. */
export const checks: readonly CheckCode[] = [
  { code: "NN004", severity: "error", title: "unknown statement" },
  { code: "NN005", severity: "error", title: "a number too large to represent" },
  {
    code: "NN006",
    severity: "error",
    title: "unknown kind word (layer kind, activation, loss, init, schedule, data source, normalisation, precision, stop metric)",
  },
  { code: "NN007", severity: "error", title: "a required part is missing (layer sizes, data path, labels, stop target)" },
  {
    code: "NN008",
    severity: "error",
    title: "a part the statement does not take (sizes on dropout, a path on a generator, an argument to a non-leaky activation, …)",
  },
  { code: "NN009", severity: "error", title: "a layer with two activations" },
  { code: "NN010", severity: "error", title: "unknown option for its statement" },
  { code: "NN011", severity: "error", title: "option value of the wrong type (number, whole number, flag, name, string)" },
  { code: "NN012", severity: "error", title: "value out of range (lr > 0, 0 ≤ p < 1, batch ≥ 1, split in [0, 1), …)" },
  { code: "NN013", severity: "error", title: "an option given twice in one statement" },
  {
    code: "NN014",
    severity: "error",
    title:
      "a statement that may appear once is repeated (model, input, loss, optimiser, schedule, init, data, test, classes, split, normalize, precision, a let/sweep variable, a stop kind)",
  },
  { code: "NN015", severity: "error", title: "model name is not [A-Za-z_][A-Za-z0-9_-]* (it becomes a file name and an identifier)" },
  { code: "NN016", severity: "error", title: "unknown variable (a size or sweep names no `let`)" },
  { code: "NN017", severity: "error", title: "a size (layer, input, sweep value) is not a whole number ≥ 1" },
  { code: "NN020", severity: "error", title: "layer sizes do not chain (layer k's inputs ≠ layer k−1's outputs)" },
  { code: "NN021", severity: "error", title: "`input` differs from the first layer's inputs" },
  { code: "NN022", severity: "error", title: "softmax on a layer other than the last" },
  { code: "NN023", severity: "error", title: "crossentropy on an output that is not sigmoid or softmax, or not a dense layer" },
  { code: "NN024", severity: "error", title: "softmax over a single output (always 1)" },
  { code: "NN025", severity: "error", title: "the spec has no layers" },
  { code: "NN026", severity: "error", title: "dropout as the first or the last layer" },
  { code: "NN027", severity: "error", title: "a `row` has the wrong number of inputs" },
  { code: "NN028", severity: "error", title: "a `row` has the wrong number of targets, or a class index out of range" },
  { code: "NN029", severity: "error", title: "`row` statements with a non-inline `data`, or `data inline` without rows" },
  { code: "NN030", severity: "error", title: "`stop early` without validation data (no `split` and no `test`)" },
  { code: "NN032", severity: "error", title: "stop comparison in the wrong direction (`loss >`, `accuracy <`)" },
  { code: "NN033", severity: "error", title: "`test`, `split` or `normalize` without training data" },
  { code: "NN034", severity: "error", title: "both `split` and `test` define the test set" },
  { code: "NN060", severity: "error", title: "a conv or pooling layer without an image input (channels × height × width)" },
  { code: "NN061", severity: "error", title: "a conv or pooling window larger than its (padded) input" },
  { code: "NN062", severity: "warning", title: "windows that leave the input's last rows or columns unused (the stride does not divide as written)" },
  { code: "NN063", severity: "error", title: "a conv layer's written input channels differ from its input's" },
  { code: "NN064", severity: "error", title: "`padding=same` with an even kernel or a stride other than 1" },
  { code: "NN065", severity: "error", title: "softmax on a conv layer" },
  { code: "NN070", severity: "error", title: "`classes` names more or fewer classes than the outputs (one per output; one sigmoid output: two)" },
  { code: "NN071", severity: "error", title: "a class name given twice, or empty" },
  { code: "NN072", severity: "error", title: "`classes` on a regression (the last layer is neither sigmoid nor softmax)" },
  { code: "NN073", severity: "error", title: "a row's class-name label is no class of the spec (or the spec has no `classes`)" },
  { code: "NN040", severity: "warning", title: "a data file name does not look like its format (paths are not opened by the front end)" },
  { code: "NN041", severity: "warning", title: "a `let` variable no size uses" },
  { code: "NN042", severity: "warning", title: "a step schedule that never steps (every ≥ epochs)" },
  { code: "NN043", severity: "warning", title: "a variable override names no `let` in the spec" },
];

/** Codes reported outside this table, listed here so the docs and tests see every code in one place. */
export const syntaxCodes: readonly CheckCode[] = [
  { code: "NN001", severity: "error", title: "a character that starts no token" },
  { code: "NN002", severity: "error", title: "a string without its closing quote" },
  { code: "NN003", severity: "error", title: "syntax error (every broken statement is reported)" },
  { code: "NN018", severity: "error", title: 'an unknown escape in a string (a string knows only `\\\\` and `\\"`)' },
  { code: "NN099", severity: "error", title: "internal error in the front end (a bug: please report)" },
];

/** The groups by statement or concern; a code's parts run in this order, then its layer kinds' parts. */
const groups: readonly (readonly Check[])[] = [
  commonChecks,
  optionChecks,
  activationChecks,
  modelChecks,
  variableChecks,
  networkChecks,
  lossChecks,
  dataChecks,
  classChecks,
  trainingChecks,
];

/** A layer kind's check as a part: calls it on each layer of that kind, in order (its rule's syntax.checks). */
function onEachLayer(kind: string, check: LayerCheck<LayerNode>): Check {
  return {
    code: check.code,
    run({ lowered }, report) {
      const { layers } = lowered.spec;
      const { layerStatements } = lowered;
      const count = layers.length;
      for (let index = 0; index < count; index++) {
        const layer = layers[index]!;
        if (layer.kind === kind) check.run({ layer, statement: layerStatements[index]!, index, count }, report);
      }
    },
  };
}

/** Every layer kind's checks, from the layer-rule table (src/layers/<kind>/checks.ts). */
function layerParts(): Check[] {
  return Object.values(LAYER_RULES).flatMap((rule) => (rule.syntax?.checks ?? []).map((check) => onEachLayer(rule.kind, check as LayerCheck<LayerNode>)));
}

/** The parts of every code, in the order they run. */
const runOrder: readonly { code: string; severity: Severity; parts: Check[] }[] = (() => {
  const byCode = new Map(checks.map((c) => [c.code, { code: c.code, severity: c.severity, parts: [] as Check[] }]));
  for (const part of [...groups.flat(), ...layerParts()]) {
    const entry = byCode.get(part.code);
    if (!entry) throw new Error(`check ${part.code} is not in the table of codes (src/front/validate.ts)`);
    entry.parts.push(part);
  }
  for (const entry of byCode.values()) if (entry.parts.length === 0) throw new Error(`code ${entry.code} has no check`);
  return [...byCode.values()];
})();

/** Runs every check; a code whose check throws (a bug) becomes one NN099 diagnostic instead of an exception. */
export function validate(ctx: CheckContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { code, severity, parts } of runOrder) {
    // Two literals, not a hint added afterwards (a shape change per diagnostic; 100,000 diagnostics).
    const report: Report = (range, message, hint) => {
      const fileName = ctx.fileName;
      diagnostics.push(hint === undefined ? { code, severity, message, fileName, range } : { code, severity, message, fileName, range, hint });
    };
    try {
      for (const part of parts) part.run(ctx, report);
    } catch (error) {
      const message = `internal error in check ${code}: ${error instanceof Error ? error.message : String(error)}`;
      diagnostics.push({ code: "NN099", severity: "error", message, fileName: ctx.fileName, range: pointRange(ctx.source, 0) });
    }
  }
  return diagnostics;
}
