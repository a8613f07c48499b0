// The dropout layer's part of the resource limits (src/limits.ts): ~60 bytes of module text per unit when its
// loop is unrolled (one decision over its units, src/layers/dropout/plan.ts); no parameters; its buffers are
// the output, the mask and dL/da.
import type { DropoutLayer } from "../../ir.js";
import type { LayerLimits, TextSizeSink } from "../rule.js";
import type { PlannedDropout } from "./plan.js";

function dropoutText(sink: TextSizeSink, units: number | null): void {
  if (units !== null) sink.add(60 * units);
}

export const DROPOUT_LIMITS: LayerLimits<DropoutLayer, PlannedDropout> = {
  text: (l, unrolled, sink) => dropoutText(sink, unrolled(l.shape)),
  textOfSpec: (_layer, width, unrolled, sink) => dropoutText(sink, unrolled(width)),
  parameters: () => 0,
  bufferUnits: (_layer, width) => 3 * width,
};
