// Parameter layout and initial values of a spec, for the reference interpreter.
// Layout (module-api.ts): for each dense layer in order, its weights [outputs][inputs] row-major, then
// its biases [outputs], all in one flat array. Dropout layers own no parameters.
import type { DenseLayer, Spec } from "../ir.js";
import { INITIALIZERS, compileFormula } from "../maths.js";
import type { TensorLayout } from "../module-api.js";
import { createRng } from "../prng.js";

/** Where one dense layer's tensors live in the flat parameter array. */
export interface DenseOffsets {
  layer: DenseLayer;
  /** 0-based index of the layer in spec.layers (dropout layers included). */
  layerIndex: number;
  weightOffset: number;
  biasOffset: number;
}

/** The dense layers of a spec with their offsets, in order. */
export function denseOffsets(spec: Spec): DenseOffsets[] {
  const result: DenseOffsets[] = [];
  let offset = 0;
  spec.layers.forEach((layer, layerIndex) => {
    if (layer.kind !== "dense") return;
    const weightOffset = offset;
    offset += layer.outputs * layer.inputs;
    const biasOffset = offset;
    offset += layer.outputs;
    result.push({ layer, layerIndex, weightOffset, biasOffset });
  });
  return result;
}

/** Every tensor of the flat parameter array: "layer1.weight", "layer1.bias", … (dense layers numbered from 1). */
export function parameterLayout(spec: Spec): TensorLayout[] {
  const layout: TensorLayout[] = [];
  denseOffsets(spec).forEach(({ layer, weightOffset, biasOffset }, i) => {
    layout.push({ name: `layer${i + 1}.weight`, offset: weightOffset, shape: [layer.outputs, layer.inputs], size: layer.outputs * layer.inputs });
    layout.push({ name: `layer${i + 1}.bias`, offset: biasOffset, shape: [layer.outputs], size: layer.outputs });
  });
  return layout;
}

export function parameterCount(spec: Spec): number {
  return parameterLayout(spec).reduce((sum, tensor) => sum + tensor.size, 0);
}

/** True for each index of the flat array that holds a weight (L2 applies to these), false for biases. */
export function weightMask(spec: Spec): Uint8Array {
  const mask = new Uint8Array(parameterCount(spec));
  for (const tensor of parameterLayout(spec)) {
    if (tensor.name.endsWith(".weight")) mask.fill(1, tensor.offset, tensor.offset + tensor.size);
  }
  return mask;
}

const DRAW_VARIABLES = ["uniform", "gaussian", "fanIn", "fanOut", "std", "limit"] as const;

/**
 * Initial parameters: one draw per weight from a single stream seeded by `seed` (default: the spec's init
 * seed), row-major, layer by layer; biases 0. Always float64 (the interpreter's precision).
 */
export function createParameters(spec: Spec, seed: number = spec.init.seed): Float64Array {
  const params = new Float64Array(parameterCount(spec));
  const scheme = spec.init.scheme;
  const draw = compileFormula<[() => number, () => number, number, number, number, number]>(INITIALIZERS[scheme.kind].draw, DRAW_VARIABLES);
  const rng = createRng(seed);
  const std = scheme.kind === "normal" ? scheme.std : 0;
  const limit = scheme.kind === "uniform" ? scheme.limit : 0;
  for (const { layer, weightOffset } of denseOffsets(spec)) {
    for (let i = 0; i < layer.outputs * layer.inputs; i++) {
      params[weightOffset + i] = draw(rng.uniform, rng.gaussian, layer.inputs, layer.outputs, std, limit);
    }
  }
  return params;
}
