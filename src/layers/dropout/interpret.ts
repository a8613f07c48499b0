// Dropout in the reference interpreter: in training, one uniform per unit in order (kept when ≥ rate,
// then scaled by 1/(1 − rate)); the identity in evaluation. Backward multiplies by the same mask.
import type { DropoutLayer } from "../../ir.js";
import type { Rng } from "../../prng.js";
import type { LayerTrace } from "../rule.js";

export function interpretDropoutForward(layer: DropoutLayer, input: Float64Array, rng: Rng | null): LayerTrace {
  if (rng === null) return { input, z: null, output: input, mask: null };
  const mask = new Float64Array(layer.size);
  const output = new Float64Array(layer.size);
  const scale = 1 / (1 - layer.rate);
  for (let k = 0; k < layer.size; k++) {
    mask[k] = rng.uniform() >= layer.rate ? scale : 0;
    output[k] = input[k]! * mask[k]!;
  }
  return { input, z: null, output, mask };
}

export function interpretDropoutBackward(trace: LayerTrace, gOut: Float64Array): Float64Array {
  const mask = trace.mask;
  return mask === null ? gOut : gOut.map((g, k) => g * mask[k]!);
}
