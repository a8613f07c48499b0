// The checks every sliding-window layer (conv, maxpool, avgpool) shares: an image input (NN060), a window no
// larger than its padded input (NN061), and windows that cover the input as written (NN062, a warning).
import type { SourceRange } from "../ir.js";
import type { LayerCheck } from "../front/checks/layer-check.js";
import type { StatementNode } from "../front/statements.js";
import type { LayerNode } from "./types.js";
import { pairText, shapeText, windowGeometry } from "./window.js";

interface WindowLayer extends LayerNode {
  input: number[];
  kernel: [number, number];
  stride: [number, number];
}

/** The range of a setting's value (or of its name when it has none), else the layer kind's. */
export function settingRange(s: StatementNode, name: string): SourceRange {
  const setting = s.settings.find((x) => x.name.text === name);
  return setting?.value?.range ?? setting?.name.range ?? s.kind!.range;
}

function known(values: readonly number[]): boolean {
  return values.every((v) => Number.isInteger(v) && v >= 0);
}

export function windowChecks<L extends WindowLayer>(paddingOf: (layer: L) => [number, number]): LayerCheck<L>[] {
  return [
    {
      code: "NN060",
      run({ layer, statement: s, index }, report) {
        if (layer.input.length === 3) return;
        const word = s.kind!.text;
        if (!known(layer.input)) {
          // Unknown only when nothing says the input's shape (an earlier layer's own error leaves it unknown too: that one is reported there).
          if (index === 0)
            report(s.kind!.range, `\`layer ${word}\` needs the input's shape (channels × height × width)`, "declare it first, e.g. `input 1x28x28`");
          return;
        }
        report(
          s.kind!.range,
          index === 0
            ? `\`layer ${word}\` needs an image input (channels × height × width), but \`input\` gives ${layer.input[0]} numbers`
            : `\`layer ${word}\` needs an image (channels × height × width), but layer ${index} gives ${layer.input[0]} numbers`,
          index === 0 ? "write the input's shape, e.g. `input 1x28x28`" : "put image layers before the fc layers",
        );
      },
    },
    {
      code: "NN061",
      run({ layer, statement: s }, report) {
        const padding = paddingOf(layer);
        if (layer.input.length !== 3 || !known(layer.input) || !known(layer.kernel) || !known(padding)) return;
        const g = windowGeometry(layer.input, layer.kernel, layer.stride, padding);
        if (layer.kernel[0] <= g.paddedHeight && layer.kernel[1] <= g.paddedWidth) return;
        const padded = padding[0] > 0 || padding[1] > 0 ? ` (${g.paddedHeight}×${g.paddedWidth} with padding ${pairText(padding)})` : "";
        // At the window as written: `kernel=…`, or the lone size of `maxpool 5`.
        const written = settingRange(s, "kernel");
        report(
          written === s.kind!.range && s.from ? s.from.range : written,
          `the ${pairText(layer.kernel)} window is larger than its input ${shapeText(layer.input)}${padded}`,
          "use a smaller kernel, pad the input, or pool less before this layer",
        );
      },
    },
    {
      code: "NN062",
      run({ layer, statement: s }, report) {
        const padding = paddingOf(layer);
        if (layer.input.length !== 3 || !known(layer.input) || !known(layer.kernel) || !known(layer.stride) || !known(padding)) return;
        const g = windowGeometry(layer.input, layer.kernel, layer.stride, padding);
        if (g.outHeight === 0 || g.outWidth === 0) return;
        const rows = g.paddedHeight - ((g.outHeight - 1) * layer.stride[0] + layer.kernel[0]);
        const columns = g.paddedWidth - ((g.outWidth - 1) * layer.stride[1] + layer.kernel[1]);
        if (rows === 0 && columns === 0) return;
        const left = [rows > 0 ? (rows === 1 ? "row" : `${rows} rows`) : "", columns > 0 ? (columns === 1 ? "column" : `${columns} columns`) : ""]
          .filter(Boolean)
          .join(" and ");
        report(
          s.kind!.range,
          `${pairText(layer.kernel)} windows with stride ${pairText(layer.stride)} over ${g.paddedHeight}×${g.paddedWidth} leave the last ${left} unused (→ ${g.outHeight}×${g.outWidth}, as PyTorch's floor mode)`,
          "fine if intended; otherwise change the kernel, stride or padding so the windows divide the input",
        );
      },
    },
  ];
}
