// The front end's checks of one `layer conv` (run by src/front/validate.ts on each conv layer): an image
// input to slide over (NN060), a window that fits its padded input (NN061), windows that cover the input as
// written (NN062, a warning: PyTorch's floor mode drops the rest silently), the input channels when written
// (NN063), `padding=same` only where it is exact (NN064), and no softmax (NN065). Shared with the pooling
// layers through src/layers/window-checks.ts.
import type { ConvLayer } from "../../ir.js";
import type { LayerCheck } from "../../front/checks/layer-check.js";
import { windowChecks } from "../window-checks.js";

export const convChecks: readonly LayerCheck<ConvLayer>[] = [
  {
    code: "NN007",
    run({ statement: s }, report) {
      if (!s.from) report(s.kind!.range, "`layer conv` needs its number of filters", "write e.g. `layer conv 6 relu kernel=5`");
    },
  },
  ...windowChecks<ConvLayer>((layer) => layer.padding),
  {
    code: "NN063",
    run({ layer, statement: s }, report) {
      const channels = layer.input[0]!;
      if (s.from && s.to && s.from.type === "number" && layer.input.length === 3 && Number.isFinite(channels) && s.from.value !== channels)
        report(
          s.from.range,
          `this layer takes ${s.from.value} channels but its input has ${channels} (${layer.input.join("×")})`,
          `write \`${channels}->${layer.filters}\`, or just \`${layer.filters}\``,
        );
    },
  },
  {
    code: "NN064",
    run({ layer, statement: s }, report) {
      const padding = s.settings.find((x) => x.name.text === "padding");
      if (padding?.value?.type !== "name" || padding.value.value !== "same") return;
      const even = layer.kernel.some((k) => k % 2 === 0);
      const strided = layer.stride.some((k) => k !== 1);
      if (even || strided)
        report(
          padding.value.range,
          `\`padding=same\` needs an odd kernel and stride 1 (here kernel ${layer.kernel.join("x")}, stride ${layer.stride.join("x")})`,
          "give the padding as a number, e.g. `padding=1`",
        );
    },
  },
  {
    code: "NN065",
    run({ layer, statement: s }, report) {
      if (layer.activation.kind === "softmax" && s.activation)
        report(s.activation.kind.range, "softmax is for the output of an `fc` layer, not a conv layer", "end the net with e.g. `layer fc 10 softmax`");
    },
  },
];
