// The forward pass of one sample through the spec's layers, in float64, keeping everything the
// backward pass needs (each layer's input, pre-activations, outputs and dropout masks).
import type { Spec } from "../ir.js";
import type { Rng } from "../prng.js";
import type { Vector } from "../module-api.js";
import { activate } from "./activations.js";

/** What one layer saw and produced for one sample. */
export interface LayerTrace {
  /** The layer's input vector. */
  input: Float64Array;
  /** Dense layers: pre-activations z = W·input + b; null for dropout. */
  z: Float64Array | null;
  /** The layer's output (a = f(z) for dense layers). */
  output: Float64Array;
  /** Dropout in training mode: per unit 0 (dropped) or 1/(1 − rate) (kept); null otherwise (identity). */
  mask: Float64Array | null;
}

/**
 * Run one sample (xs[offset .. offset+inputs)) forward. With `dropout` (training mode), each dropout layer
 * draws one uniform per unit in order; a unit is kept when the uniform is ≥ rate and then scaled by
 * 1/(1 − rate). Without it, dropout is the identity.
 */
export function forwardSample(spec: Spec, params: Vector, xs: Vector, offset: number, dropout: Rng | null): LayerTrace[] {
  let current = new Float64Array(spec.inputs);
  for (let i = 0; i < spec.inputs; i++) current[i] = xs[offset + i]!;
  const traces: LayerTrace[] = [];
  let paramOffset = 0;
  for (const layer of spec.layers) {
    if (layer.kind === "dense") {
      const weights = paramOffset;
      const biases = weights + layer.outputs * layer.inputs;
      paramOffset = biases + layer.outputs;
      const z = new Float64Array(layer.outputs);
      for (let o = 0; o < layer.outputs; o++) {
        let sum = 0;
        for (let i = 0; i < layer.inputs; i++) sum += params[weights + o * layer.inputs + i]! * current[i]!;
        z[o] = sum + params[biases + o]!;
      }
      const output = new Float64Array(layer.outputs);
      activate(layer.activation, z, output);
      traces.push({ input: current, z, output, mask: null });
      current = output;
    } else {
      if (dropout === null) {
        traces.push({ input: current, z: null, output: current, mask: null });
        continue;
      }
      const mask = new Float64Array(layer.size);
      const output = new Float64Array(layer.size);
      const scale = 1 / (1 - layer.rate);
      for (let k = 0; k < layer.size; k++) {
        mask[k] = dropout.uniform() >= layer.rate ? scale : 0;
        output[k] = current[k]! * mask[k]!;
      }
      traces.push({ input: current, z: null, output, mask });
      current = output;
    }
  }
  return traces;
}

/** The network's output for one sample in eval mode. */
export function predictSample(spec: Spec, params: Vector, x: Vector): Float64Array {
  const traces = forwardSample(spec, params, x, 0, null);
  return traces.length === 0 ? Float64Array.from(x) : traces[traces.length - 1]!.output;
}

/** Pre-activations of every dense layer for one sample in eval mode (the gradient checker's kink test). */
export function preActivations(spec: Spec, params: Vector, x: Vector): Float64Array[] {
  return forwardSample(spec, params, x, 0, null)
    .filter((trace) => trace.z !== null)
    .map((trace) => trace.z!);
}
