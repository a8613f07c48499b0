// The front end's checks of one `layer dropout`, run by src/front/validate.ts on each dropout layer.
import type { DropoutLayer } from "../../ir.js";
import type { LayerCheck } from "../../front/checks/layer-check.js";

export const dropoutChecks: readonly LayerCheck<DropoutLayer>[] = [
  {
    code: "NN008",
    run({ statement: s }, report) {
      if (s.from) report(s.from.range, "`layer dropout` takes no sizes: its size is the width of the layer before it");
      if (s.activation) report(s.activation.kind.range, "`layer dropout` takes no activation");
    },
  },
  {
    code: "NN026",
    run({ statement: s, index, count }, report) {
      if (!s.kind) return;
      if (index === 0) report(s.kind.range, "dropout cannot be the first layer", "put it after a `layer fc`; to drop inputs, add a wider first layer");
      else if (index === count - 1)
        report(s.kind.range, "dropout cannot be the last layer", "the output feeds the loss directly; put dropout between hidden layers");
    },
  },
];
