// The dense layer in the reference interpreter: plain loops in float64, z_o = Σ_i W_oi·in_i (inputs
// ascending) + b_o, a = act(z); backward dL/db_o += dz_o, dL/dW_oi += dz_o·in_i, dL/d(in)_i += W_oi·dz_o
// (outputs ascending). The oracle every emitted form of the layer is tested against.
import type { DenseLayer } from "../../ir.js";
import type { Vector } from "../../module-api.js";
import { activate, activationBackward } from "../../interpreter/activations.js";
import type { LayerTrace, PlacedTensor } from "../rule.js";

export function interpretDenseForward(layer: DenseLayer, params: Vector, tensors: PlacedTensor[], input: Float64Array): LayerTrace {
  const weights = tensors[0]!.offset;
  const biases = tensors[1]!.offset;
  const z = new Float64Array(layer.outputs);
  for (let o = 0; o < layer.outputs; o++) {
    let sum = 0;
    for (let i = 0; i < layer.inputs; i++) sum += params[weights + o * layer.inputs + i]! * input[i]!;
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
  let dz = given;
  if (dz === null) {
    dz = new Float64Array(layer.outputs);
    activationBackward(layer.activation, trace.z!, trace.output, gOut!, dz);
  }
  const gIn = new Float64Array(layer.inputs);
  for (let o = 0; o < layer.outputs; o++) {
    sums[biases + o] = sums[biases + o]! + dz[o]!;
    for (let i = 0; i < layer.inputs; i++) {
      sums[weights + o * layer.inputs + i] = sums[weights + o * layer.inputs + i]! + dz[o]! * trace.input[i]!;
      gIn[i] = gIn[i]! + params[weights + o * layer.inputs + i]! * dz[o]!;
    }
  }
  return gIn;
}
