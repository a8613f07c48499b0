// The conv layer's part of the resource limits (src/limits.ts): ~4 KB of module text for its two functions,
// plus ~40 bytes per weight of an unrolled window (forward, and twice that for the backward's two
// gradients); parameters filters × channels × kh × kw + filters; buffers z, a, dL/dz, dL/da of its output
// and, when it pads, the bordered input and its gradient.
import type { ConvLayer } from "../../ir.js";
import type { LayerLimits, TextSizeSink } from "../rule.js";
import { windowGeometry } from "../window.js";
import type { PlannedConv } from "./plan.js";

function convText(sink: TextSizeSink, forward: number | null, backward: number | null): void {
  sink.add(4_000 + 40 * (forward ?? 0) + 40 * (backward ?? 0));
}

export const CONV_LIMITS: LayerLimits<ConvLayer, PlannedConv> = {
  text: (l, unrolled, sink) => convText(sink, unrolled(l.forwardWindow), unrolled(l.backwardWindow)),
  textOfSpec(layer, _width, unrolled, sink) {
    const window = (layer.input[0] ?? 0) * layer.kernel[0] * layer.kernel[1];
    convText(sink, unrolled(window), unrolled(2 * window));
  },
  parameters: (layer) => layer.filters * (layer.input[0] ?? 0) * layer.kernel[0] * layer.kernel[1] + layer.filters,
  bufferUnits(layer) {
    const g = windowGeometry(layer.input, layer.kernel, layer.stride, layer.padding);
    return 4 * layer.filters * g.outHeight * g.outWidth + 2 * g.channels * g.paddedHeight * g.paddedWidth;
  },
};
