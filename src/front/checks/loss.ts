// Checks of the `loss` statement against the network it trains.
import { ruleOf } from "../../layers/index.js";
import { lastDeclaring, statementsOf } from "../lower.js";
import type { Check } from "./types.js";

export const lossChecks: readonly Check[] = [
  {
    code: "NN023",
    run({ statements, lowered }, report) {
      const loss = statementsOf(statements, "loss")[0];
      if (loss?.kind?.text !== "crossentropy") return;
      const { layers } = lowered.spec;
      // A last layer without an activation (pooling, flatten; dropout last is NN026) has no output to read
      // probabilities from (the planner would refuse the spec).
      const output = layers.at(-1);
      // A kind whose own checks refuse it as the last layer (dropout: NN026) is left to them.
      const refusedLast = output !== undefined && (ruleOf(output).syntax?.checks.some((c) => c.code === "NN026") ?? false);
      if (output !== undefined && !refusedLast && ruleOf(output).activation(output) === null) {
        report(
          loss.kind.range,
          `crossentropy needs a dense output layer, but the last layer is ${output.kind}`,
          "end with `layer fc N softmax` (one class of several) or `layer fc 1 sigmoid`, or use `loss mse`",
        );
        return;
      }
      const declaring = lastDeclaring(layers);
      const last = declaring?.activation;
      if (!last) return;
      const act = last.kind;
      if (act !== "sigmoid" && act !== "softmax") {
        report(
          loss.kind.range,
          `crossentropy needs probabilities, but the last layer's activation is ${act}`,
          "end with sigmoid (one or independent outputs) or softmax (one class of several), or use `loss mse`",
        );
      }
    },
  },
];
