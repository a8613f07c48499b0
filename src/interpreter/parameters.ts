// Parameter layout and initial values of a spec, for the reference interpreter. The layout is the one
// rule of src/layers/layout.ts (each layer's rule lists its tensors: dense, its weights [outputs][inputs]
// row-major, then its biases [outputs]; dropout none), all in one flat array.
import type { Spec } from "../ir.js";
import { INITIALIZERS, compileFormula } from "../maths.js";
import type { TensorLayout } from "../module-api.js";
import { createNumpyRng } from "../numpy-random.js";
import { createRng } from "../prng.js";
import { parameterLayoutOf, tensorLayouts, type ParameterLayout } from "../layers/layout.js";

/** The spec's parameter layout: every tensor placed, per layer and in vector order. */
export function layoutOf(spec: Spec): ParameterLayout {
  return parameterLayoutOf(spec.layers);
}

/** Every tensor of the flat parameter array: "layer1.weight", "layer1.bias", … (layers with parameters numbered from 1). */
export function parameterLayout(spec: Spec): TensorLayout[] {
  return tensorLayouts(layoutOf(spec).tensors);
}

export function parameterCount(spec: Spec): number {
  return layoutOf(spec).count;
}

/** True for each index of the flat array that holds a weight (L2 applies to these), false for biases. */
export function weightMask(spec: Spec): Uint8Array {
  const { tensors, count } = layoutOf(spec);
  const mask = new Uint8Array(count);
  for (const tensor of tensors) {
    if (tensor.role.kind === "weight") mask.fill(1, tensor.offset, tensor.offset + tensor.size);
  }
  return mask;
}

const DRAW_VARIABLES = ["uniform", "gaussian", "fanIn", "fanOut", "std", "limit"] as const;

/**
 * Initial parameters: one draw per weight from a single stream seeded by `seed` (default: the spec's init
 * seed), tensor by tensor in layout order, row-major; biases 0. Always float64 (the interpreter's precision).
 */
export function createParameters(spec: Spec, seed: number = spec.init.seed): Float64Array {
  const { tensors, count } = layoutOf(spec);
  const params = new Float64Array(count);
  const scheme = spec.init.scheme;
  const draw = compileFormula<[() => number, () => number, number, number, number, number]>(INITIALIZERS[scheme.kind].draw, DRAW_VARIABLES);
  const rng = spec.init.rng === "numpy" ? createNumpyRng(seed) : createRng(seed);
  const std = scheme.kind === "normal" ? scheme.std : 0;
  const limit = scheme.kind === "uniform" ? scheme.limit : 0;
  for (const { role, offset, size } of tensors) {
    if (role.kind !== "weight") continue;
    for (let i = 0; i < size; i++) params[offset + i] = draw(rng.uniform, rng.gaussian, role.fanIn, role.fanOut, std, limit);
  }
  return params;
}
