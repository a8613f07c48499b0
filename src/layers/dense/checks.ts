// The front end's checks of one `layer fc` (a dense layer), run by src/front/validate.ts on each dense
// layer. Rules that relate several layers (the chain of widths, softmax only last) are in
// src/front/checks/network.ts.
import type { DenseLayer } from "../../ir.js";
import type { LayerCheck } from "../../front/checks/layer-check.js";

export const denseChecks: readonly LayerCheck<DenseLayer>[] = [
  {
    code: "NN007",
    run({ layer, statement: s, index }, report) {
      if (!s.from) report(s.kind!.range, "`layer fc` needs its sizes", "write e.g. `layer fc 2->4 tanh`, or `layer fc 4 tanh` after another layer");
      // `fc 4` takes its inputs from what comes in: the first layer has nothing before it unless `input` says.
      else if (!s.to && index === 0 && !Number.isFinite(layer.inputs))
        report(
          s.from.range,
          "the first `layer fc` needs its inputs",
          `write \`INPUTS->${s.from.type === "number" ? s.from.text : "…"}\`, or declare \`input\``,
        );
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
