// The dense layer in the reference interpreter: plain loops in float64, z_o = Σ_i W_oi·in_i (inputs
// ascending) + b_o, a = act(z); backward dL/db_o += dz_o, dL/dW_oi += dz_o·in_i, dL/d(in)_i += W_oi·dz_o
// (outputs ascending). The oracle every emitted form of the layer is tested against.
import type { DenseLayer } from "../../ir.js";
import type { Vector } from "../../module-api.js";
import { activate, layerDelta } from "../../interpreter/activations.js";
import type { LayerTrace, PlacedTensor } from "../rule.js";

export function interpretDenseForward(layer: DenseLayer, params: Vector, tensors: PlacedTensor[], input: Float64Array): LayerTrace {
  const weights = tensors[0]!.offset;
  const biases = tensors[1]!.offset;
  const n = layer.inputs;
  const z = new Float64Array(layer.outputs);
  for (let o = 0; o < layer.outputs; o++) {
    // Loads hoisted out of the inner loop (the same operations in the same order: the same bits).
    const row = weights + o * n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += params[row + i]! * input[i]!;
    z[o] = sum + params[biases + o]!;
  }
  const output = new Float64Array(layer.outputs);
  activate(layer.activation, z, output);
  return { input, z, output, mask: null };
}

export function interpretDenseBackward(
  layer: DenseLayer,
  params: Vector,
  tensors: PlacedTensor[],
  trace: LayerTrace,
  gOut: Float64Array | null,
  given: Float64Array | null,
  sums: Float64Array,
): Float64Array {
  const weights = tensors[0]!.offset;
  const biases = tensors[1]!.offset;
  const dz = layerDelta(layer.activation, trace, gOut, given, layer.outputs);
  const n = layer.inputs;
  const input = trace.input;
  const gIn = new Float64Array(n);
  for (let o = 0; o < layer.outputs; o++) {
    // Loads hoisted out of the inner loop (the same operations in the same order: the same bits). The doctor
    // probes 512 rows of a run's data through here: Fashion's 784-256-128-10 took 1.5 s with them in the loop.
    const d = dz[o]!;
    const row = weights + o * n;
    sums[biases + o] = sums[biases + o]! + d;
    for (let i = 0; i < n; i++) {
      sums[row + i] = sums[row + i]! + d * input[i]!;
      gIn[i] = gIn[i]! + params[row + i]! * d;
    }
  }
  return gIn;
}
