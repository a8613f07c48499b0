// The pooling layers' part of the resource limits (src/limits.ts): ~2.5 KB of module text for the two
// functions plus ~80 bytes per tap of an unrolled window; no parameters; buffers a, dL/da and (max) argmax.
import type { PoolLayer } from "../../ir.js";
import type { LayerLimits, TextSizeSink } from "../rule.js";
import { windowGeometry } from "../window.js";
import type { PlannedPool } from "./plan.js";

function poolText(sink: TextSizeSink, taps: number | null): void {
  sink.add(2_500 + 80 * (taps ?? 0));
}

export const POOL_LIMITS: LayerLimits<PoolLayer, PlannedPool> = {
  text: (l, unrolled, sink) => poolText(sink, unrolled(l.window)),
  textOfSpec: (layer, _width, unrolled, sink) => poolText(sink, unrolled(layer.kernel[0] * layer.kernel[1])),
  parameters: () => 0,
  bufferUnits(layer) {
    const g = windowGeometry(layer.input, layer.kernel, layer.stride, [0, 0]);
    return 3 * g.channels * g.outHeight * g.outWidth;
  },
};
