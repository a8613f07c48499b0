// The front end's checks of one `layer fc` (a dense layer), run by src/front/validate.ts on each dense
// layer. Rules that relate several layers (the chain of widths, softmax only last) are in
// src/front/checks/network.ts.
import type { DenseLayer } from "../../ir.js";
import type { LayerCheck } from "../../front/checks/layer-check.js";

export const denseChecks: readonly LayerCheck<DenseLayer>[] = [
  {
    code: "NN007",
    run({ statement: s }, report) {
      if (!s.from || !s.to) report(s.kind!.range, "`layer fc` needs its sizes", "write e.g. `layer fc 2->4 tanh`");
    },
  },
  {
    code: "NN024",
    run({ layer, statement: s }, report) {
      if (layer.activation.kind === "softmax" && layer.outputs === 1 && s.activation) {
        report(s.activation.kind.range, "softmax over one output is always 1", "use sigmoid for a single output");
      }
    },
  },
];
