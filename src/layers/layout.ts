// The one parameter-layout rule: every layer's tensors (its rule's `tensors`), in layer order, each
// tensor after the previous one in one flat vector; tensors are named layer<n>.<suffix> with n counting
// the layers that own parameters (dense layers today: layer1.weight, layer1.bias, layer2.weight, …).
// The plan and the reference interpreter place parameters here (and through them the module's meta, init,
// L2 and the gradient checker); the limits count each rule's parameters without building the layout, for
// 55,000-layer specs.
import type { Layer } from "../ir.js";
import type { TensorLayout } from "../module-api.js";
import { ruleOf } from "./index.js";
import type { PlacedTensor } from "./rule.js";

export interface ParameterLayout {
  /** Every tensor in vector order. */
  tensors: PlacedTensor[];
  /** Per layer (index of spec.layers), its tensors (empty for a layer without parameters). */
  byLayer: PlacedTensor[][];
  /** Per layer, its 1-based number among the layers with parameters (0: it has none). */
  numbers: number[];
  /** Numbers in the flat vector. */
  count: number;
}

export function parameterLayoutOf(layers: readonly Layer[]): ParameterLayout {
  const tensors: PlacedTensor[] = [];
  const byLayer: PlacedTensor[][] = [];
  const numbers: number[] = [];
  let offset = 0;
  let number = 0;
  for (const layer of layers) {
    const rules = ruleOf(layer).tensors(layer);
    if (rules.length > 0) number += 1;
    const placed = rules.map((t): PlacedTensor => {
      const size = t.shape.reduce((product, n) => product * n, 1);
      const tensor = { name: `layer${number}.${t.suffix}`, offset, shape: t.shape, size, role: t.role };
      offset += size;
      return tensor;
    });
    byLayer.push(placed);
    numbers.push(rules.length > 0 ? number : 0);
    tensors.push(...placed);
  }
  return { tensors, byLayer, numbers, count: offset };
}

/** The tensors as the module's meta lists them (name, offset, shape, size). */
export function tensorLayouts(tensors: readonly PlacedTensor[]): TensorLayout[] {
  return tensors.map(({ name, offset, shape, size }) => ({ name, offset, shape, size }));
}
