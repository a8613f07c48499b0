// The forward pass of one sample through the spec's layers, in float64, keeping everything the
// backward pass needs (each layer's input, pre-activations, outputs and dropout masks): each layer's rule's
// interpreter forward (src/layers/<kind>/interpret.ts), in layer order.
import type { Spec } from "../ir.js";
import type { Rng } from "../prng.js";
import type { Vector } from "../module-api.js";
import { ruleOf } from "../layers/index.js";
import type { LayerTrace } from "../layers/rule.js";
import type { ParameterLayout } from "../layers/layout.js";
import { layoutOf } from "./parameters.js";

export type { LayerTrace } from "../layers/rule.js";

/**
 * Run one sample (xs[offset .. offset+inputs)) forward. With `dropout` (training mode), each dropout layer
 * draws one uniform per unit in order; a unit is kept when the uniform is ≥ rate and then scaled by
 * 1/(1 − rate). Without it, dropout is the identity.
 */
export function forwardSample(
  spec: Spec,
  params: Vector,
  xs: Vector,
  offset: number,
  dropout: Rng | null,
  layout: ParameterLayout = layoutOf(spec),
): LayerTrace[] {
  let current: Float64Array = new Float64Array(spec.inputs);
  for (let i = 0; i < spec.inputs; i++) current[i] = xs[offset + i]!;
  const { byLayer } = layout;
  const traces: LayerTrace[] = [];
  spec.layers.forEach((layer, l) => {
    const trace = ruleOf(layer).interpret.forward(layer, params, byLayer[l]!, current, dropout);
    traces.push(trace);
    current = trace.output;
  });
  return traces;
}

/** The network's output for one sample in eval mode. */
export function predictSample(spec: Spec, params: Vector, x: Vector): Float64Array {
  const traces = forwardSample(spec, params, x, 0, null);
  return traces.length === 0 ? Float64Array.from(x) : traces[traces.length - 1]!.output;
}

/** Pre-activations of every layer that has them (dense) for one sample in eval mode (the gradient checker's kink test). */
export function preActivations(spec: Spec, params: Vector, x: Vector): Float64Array[] {
  return forwardSample(spec, params, x, 0, null)
    .filter((trace) => trace.z !== null)
    .map((trace) => trace.z!);
}
