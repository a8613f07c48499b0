// Checks that relate several layers (one layer kind's own rules are in src/layers/<kind>/checks.ts): the
// chain of widths (NN020), `input` against the first layer (NN021), softmax only on the last layer (NN022),
// a spec without layers (NN025). Each is one pass over the lowered layers: no filtered copy or pair object
// per layer, and a layer's number is looked up only for a report (55,000 layers).
import { firstDeclaring, lastDeclaring, resolveSize, statementsOf } from "../lower.js";
import { ruleOf } from "../../layers/index.js";
import type { Shape } from "../../layers/types.js";
import { shapeText } from "../../layers/window.js";
import { pointRange } from "../ranges.js";
import type { StatementNode } from "../statements.js";
import { isSizeValue } from "./shared.js";
import type { Check, CheckContext } from "./types.js";

/** The 1-based number of a `layer` statement among the layer statements. */
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

export const networkChecks: readonly Check[] = [
  {
    code: "NN020",
    run(ctx, report) {
      const { layers } = ctx.lowered.spec;
      // The previous layer that declares its widths (its rule's syntax.widths: dense layers): its outputs and statement.
      let previousOutputs = NaN;
      let previous: StatementNode | null = null;
      // The shape coming into each layer (an image flattens into an fc layer: the message says both shapes).
      let shape: Shape = ctx.lowered.spec.inputShape;
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i]!;
        const rule = ruleOf(layer);
        const incoming = shape;
        shape = rule.outputShape(layer, shape);
        const widths = rule.syntax?.widths(layer) ?? null;
        if (widths === null) continue;
        const s = ctx.lowered.layerStatements[i]!;
        if (previous && isSizeValue(previousOutputs) && isSizeValue(widths.inputs) && widths.inputs !== previousOutputs && s.from) {
          const number = layerNumber(ctx, previous);
          const image = incoming.length > 1 ? `${shapeText(incoming)} (${previousOutputs} numbers flattened)` : String(previousOutputs);
          report(
            s.from.range,
            `layer ${layerNumber(ctx, s)} takes ${widths.inputs} inputs but layer ${number} gives ${image}`,
            incoming.length > 1
              ? `write \`${previousOutputs}->…\` or just \`layer fc N\` here, or change layer ${number}`
              : `write \`${previousOutputs}->…\` here, or change layer ${number}`,
          );
        }
        previousOutputs = widths.outputs;
        previous = s;
      }
    },
  },
  {
    code: "NN021",
    run({ statements, lowered }, report) {
      const input = statementsOf(statements, "input")[0];
      const declared = resolveSize(input?.size ?? null, lowered.spec.variables);
      const first = firstDeclaring(lowered.spec.layers);
      const s = first === undefined ? undefined : lowered.layerStatements[lowered.spec.layers.indexOf(first.layer)];
      if (!input?.size || !first || !s?.from || !isSizeValue(declared) || !isSizeValue(first.inputs)) return;
      if (declared !== first.inputs)
        report(s.from.range, `the first layer takes ${first.inputs} inputs but \`input\` says ${declared}`, `\`input\` is on line ${input.range.startLine}`);
    },
  },
  {
    code: "NN022",
    run({ lowered }, report) {
      // Every layer with an activation (its rule's: dense layers) before the last layer that declares its widths.
      const { layers } = lowered.spec;
      const last = lastDeclaring(layers);
      const end = last === undefined ? -1 : layers.lastIndexOf(last.layer);
      for (let i = 0; i < end; i++) {
        const s = lowered.layerStatements[i]!;
        if (s.activation?.kind.text === "softmax" && ruleOf(layers[i]!).activation(layers[i]!) !== null)
          report(s.activation.kind.range, "softmax is only allowed on the last layer", "use relu, tanh or sigmoid in hidden layers");
      }
    },
  },
  {
    code: "NN025",
    run({ lowered, source }, report) {
      if (lowered.spec.layers.length === 0) report(pointRange(source, 0), "the spec has no layers", "add e.g. `layer fc 2->1 sigmoid`");
    },
  },
];
