// Checks of the `loss` statement against the network it trains.
import { lastDeclaring, statementsOf } from "../lower.js";
import type { Check } from "./types.js";

export const lossChecks: readonly Check[] = [
  {
    code: "NN023",
    run({ statements, lowered }, report) {
      const loss = statementsOf(statements, "loss")[0];
      const last = lastDeclaring(lowered.spec.layers)?.activation;
      if (loss?.kind?.text !== "crossentropy" || !last) return;
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
