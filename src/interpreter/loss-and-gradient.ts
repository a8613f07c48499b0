// Batched loss and gradient (backpropagation with plain loops), and evaluation, for the interpreter.
import type { Spec } from "../ir.js";
import type { Vector } from "../module-api.js";
import { createRng } from "../prng.js";
import { activationBackward } from "./activations.js";
import { forwardSample } from "./forward.js";
import { hasAccuracy, isCorrect, outputDelta, outputLayer, sampleLoss } from "./loss.js";
import { parameterCount } from "./parameters.js";

export interface LossAndGradientOptions {
  training?: boolean;
  dropoutSeed?: number;
  inputGradient?: Vector;
}

/**
 * Mean loss over `count` samples; `grad` is overwritten with dLoss/dparams (no L2: the optimiser step adds
 * it). In training mode, dropout masks come from createRng(dropoutSeed ?? 0), fresh per call, drawn in the
 * order sample, dropout layer, unit. `inputGradient` (count × inputs), when given, receives dLoss/dxs.
 */
export function lossAndGradient(
  spec: Spec,
  params: Vector,
  xs: Vector,
  ys: Vector,
  count: number,
  grad: Vector,
  options: LossAndGradientOptions = {},
): number {
  outputLayer(spec);
  const dropout = options.training === true ? createRng(options.dropoutSeed ?? 0) : null;
  const sums = new Float64Array(parameterCount(spec));
  const inputGradient = options.inputGradient;
  let loss = 0;
  for (let s = 0; s < count; s++) {
    const traces = forwardSample(spec, params, xs, s * spec.inputs, dropout);
    const last = traces.length - 1;
    loss += sampleLoss(spec, traces[last]!, ys, s * spec.outputs);

    // Walk back through the layers. `gOut` is dL/d(output of the layer being visited).
    let gOut = new Float64Array(0);
    let paramEnd = sums.length;
    for (let l = last; l >= 0; l--) {
      const layer = spec.layers[l]!;
      const trace = traces[l]!;
      if (layer.kind === "dropout") {
        if (trace.mask !== null) gOut = gOut.map((g, k) => g * trace.mask![k]!);
        continue;
      }
      const biases = paramEnd - layer.outputs;
      const weights = biases - layer.outputs * layer.inputs;
      paramEnd = weights;
      let dz: Float64Array;
      if (l === last) {
        dz = outputDelta(spec, trace, ys, s * spec.outputs);
      } else {
        dz = new Float64Array(layer.outputs);
        activationBackward(layer.activation, trace.z!, trace.output, gOut, dz);
      }
      const gIn = new Float64Array(layer.inputs);
      for (let o = 0; o < layer.outputs; o++) {
        sums[biases + o] = sums[biases + o]! + dz[o]!;
        for (let i = 0; i < layer.inputs; i++) {
          sums[weights + o * layer.inputs + i] = sums[weights + o * layer.inputs + i]! + dz[o]! * trace.input[i]!;
          gIn[i] = gIn[i]! + params[weights + o * layer.inputs + i]! * dz[o]!;
        }
      }
      gOut = gIn;
    }
    if (inputGradient !== undefined) {
      for (let i = 0; i < spec.inputs; i++) inputGradient[s * spec.inputs + i] = gOut[i]! / count;
    }
  }
  for (let j = 0; j < sums.length; j++) grad[j] = sums[j]! / count;
  return loss / count;
}

/** Mean loss and accuracy (null when undefined, see hasAccuracy) over `count` samples in eval mode. */
export function evaluate(spec: Spec, params: Vector, xs: Vector, ys: Vector, count: number): { loss: number; accuracy: number | null } {
  const withAccuracy = hasAccuracy(spec);
  let loss = 0;
  let correct = 0;
  for (let s = 0; s < count; s++) {
    const traces = forwardSample(spec, params, xs, s * spec.inputs, null);
    const output = traces[traces.length - 1]!;
    loss += sampleLoss(spec, output, ys, s * spec.outputs);
    if (withAccuracy && isCorrect(spec, output.output, ys, s * spec.outputs)) correct++;
  }
  return { loss: loss / count, accuracy: withAccuracy ? correct / count : null };
}
