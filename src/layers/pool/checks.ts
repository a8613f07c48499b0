// The front end's checks of one `layer maxpool` / `layer avgpool`: the shared window checks (image input
// NN060, window fits NN061, windows cover the input NN062), the window given once (NN013), and no
// activation (NN008).
import type { PoolLayer } from "../../ir.js";
import type { LayerCheck } from "../../front/checks/layer-check.js";
import { windowChecks } from "../window-checks.js";

export const poolChecks: readonly LayerCheck<PoolLayer>[] = [
  {
    code: "NN007",
    run({ statement: s }, report) {
      if (!s.from && !s.settings.some((x) => x.name.text === "kernel"))
        report(s.kind!.range, `\`layer ${s.kind!.text}\` needs its window`, `write e.g. \`layer ${s.kind!.text} 2\``);
    },
  },
  {
    code: "NN008",
    run({ statement: s }, report) {
      if (s.to) report(s.to.range, `\`layer ${s.kind!.text}\` takes one size, its window: it keeps the channels`);
      if (s.activation) report(s.activation.kind.range, `\`layer ${s.kind!.text}\` takes no activation`);
    },
  },
  {
    code: "NN013",
    run({ statement: s }, report) {
      const kernel = s.settings.find((x) => x.name.text === "kernel");
      if (s.from && kernel)
        report(kernel.range, `the window is given twice: \`${s.kind!.text} ${s.from.type === "number" ? s.from.text : "…"}\` and \`kernel=\``, "keep one");
    },
  },
  ...windowChecks<PoolLayer>(() => [0, 0]),
];
