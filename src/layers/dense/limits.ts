// The dense layer's part of the resource limits (src/limits.ts): ~30 bytes of module text per unrolled
// multiply-add of its forward and backward functions; a layer that loops both ways runs blocked (~13.5 KB of
// blocked code, and the wasm kernels once per module). Its forward has inputs × outputs multiply-adds and its
// backward twice that (src/layers/dense/plan.ts); every buffer it can have is z, a, dL/dz, dL/da.
import type { DenseLayer } from "../../ir.js";
import type { LayerLimits, TextSizeSink } from "../rule.js";
import type { PlannedDense } from "./plan.js";

function denseText(sink: TextSizeSink, forward: number | null, backward: number | null): void {
  if (forward !== null) sink.add(30 * forward);
  if (backward !== null) sink.add(30 * backward);
  if (forward === null && backward === null) {
    sink.add(13_500);
    sink.blocked();
  }
}

export const DENSE_LIMITS: LayerLimits<DenseLayer, PlannedDense> = {
  text: (l, unrolled, sink) => denseText(sink, unrolled(l.forward), unrolled(l.backward)),
  textOfSpec(layer, _width, unrolled, sink) {
    const macs = layer.inputs * layer.outputs;
    denseText(sink, unrolled(macs), unrolled(2 * macs));
  },
  parameters: (layer) => layer.inputs * layer.outputs + layer.outputs,
  bufferUnits: (layer) => 4 * layer.outputs,
};
