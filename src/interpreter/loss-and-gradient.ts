// Batched loss and gradient (backpropagation with plain loops), and evaluation, for the interpreter.
import type { Spec } from "../ir.js";
import type { Vector } from "../module-api.js";
import { createRng } from "../prng.js";
import { ruleOf } from "../layers/index.js";
import type { LayerTrace } from "../layers/types.js";
import { forwardSample } from "./forward.js";
import { hasAccuracy, isCorrect, outputDelta, outputLayer, sampleLoss } from "./loss.js";
import { layoutOf } from "./parameters.js";

export interface LossAndGradientOptions {
  training?: boolean;
  dropoutSeed?: number;
  inputGradient?: Vector;
  /** Sees each sample's forward traces (every layer's input, pre-activations and output) before its backward pass: the doctor's probes read them instead of running the forward again. */
  onTraces?: (sample: number, traces: LayerTrace[]) => void;
}

/**
 * Mean loss over `count` samples; `grad` is overwritten with dLoss/dparams (no L2: the optimiser step adds
 * it). In training mode, dropout masks come from createRng(dropoutSeed ?? 0), fresh per call, drawn in the
 * order sample, dropout layer, unit. `inputGradient` (count × inputs), when given, receives dLoss/dxs.
 */
export function lossAndGradient(spec: Spec, params: Vector, xs: Vector, ys: Vector, count: number, grad: Vector, options: LossAndGradientOptions = {}): number {
  outputLayer(spec);
  const dropout = options.training === true ? createRng(options.dropoutSeed ?? 0) : null;
  const layout = layoutOf(spec);
  const { byLayer } = layout;
  const sums = new Float64Array(layout.count);
  const inputGradient = options.inputGradient;
  let loss = 0;
  for (let s = 0; s < count; s++) {
    const traces = forwardSample(spec, params, xs, s * spec.inputs, dropout, layout);
    options.onTraces?.(s, traces);
    const last = traces.length - 1;
    loss += sampleLoss(spec, traces[last]!, ys, s * spec.outputs);

    // Walk back through the layers. `gOut` is dL/d(output of the layer being visited); the output layer's
    // dL/dz comes from the loss.
    let gOut: Float64Array | null = null;
    for (let l = last; l >= 0; l--) {
      const layer = spec.layers[l]!;
      const dz = l === last ? outputDelta(spec, traces[l]!, ys, s * spec.outputs) : null;
      gOut = ruleOf(layer).interpret.backward(layer, params, byLayer[l]!, traces[l]!, gOut, dz, sums);
    }
    if (inputGradient !== undefined) {
      for (let i = 0; i < spec.inputs; i++) inputGradient[s * spec.inputs + i] = gOut![i]! / count;
    }
  }
  for (let j = 0; j < sums.length; j++) grad[j] = sums[j]! / count;
  return loss / count;
}

/** Mean loss and accuracy (null when undefined, see hasAccuracy) over `count` samples in eval mode. */
export function evaluate(spec: Spec, params: Vector, xs: Vector, ys: Vector, count: number): { loss: number; accuracy: number | null } {
  const withAccuracy = hasAccuracy(spec);
  // The layout once per call, not once per sample.
  const layout = layoutOf(spec);
  let loss = 0;
  let correct = 0;
  for (let s = 0; s < count; s++) {
    const traces = forwardSample(spec, params, xs, s * spec.inputs, null, layout);
    const output = traces[traces.length - 1]!;
    loss += sampleLoss(spec, output, ys, s * spec.outputs);
    if (withAccuracy && isCorrect(spec, output.output, ys, s * spec.outputs)) correct++;
  }
  return { loss: loss / count, accuracy: withAccuracy ? correct / count : null };
}
