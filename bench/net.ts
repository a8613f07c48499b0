// The fully connected nets the benchmark trains, described as plain data every contestant reads.
// Parameter layout (shared with nnc's generated modules): for each dense layer in order, its weights
// [outputs][inputs] row-major, then its bias [outputs]; one flat float64 array.

export type BenchActivation = "linear" | "sigmoid" | "tanh" | "relu" | "softmax";

/** Same meanings as src/ir.ts LossKind (mse: mean over batch and outputs; bce: summed over outputs, mean over batch; cce: mean over batch). */
export type BenchLoss = "mse" | "binary_crossentropy" | "categorical_crossentropy";

export interface BenchLayer {
  inputs: number;
  outputs: number;
  activation: BenchActivation;
}

export interface NetShape {
  layers: BenchLayer[];
  loss: BenchLoss;
}

export interface LayerOffsets {
  weights: number;
  bias: number;
}

/** Where each layer's weights and bias start in the flat parameter array. */
export function layerOffsets(net: NetShape): LayerOffsets[] {
  const out: LayerOffsets[] = [];
  let at = 0;
  for (const l of net.layers) {
    out.push({ weights: at, bias: at + l.inputs * l.outputs });
    at += l.inputs * l.outputs + l.outputs;
  }
  return out;
}

export function parameterCount(net: NetShape): number {
  return net.layers.reduce((n, l) => n + l.inputs * l.outputs + l.outputs, 0);
}

export function inputCount(net: NetShape): number {
  return net.layers[0]!.inputs;
}

export function outputCount(net: NetShape): number {
  return net.layers[net.layers.length - 1]!.outputs;
}

/** Multiply-adds of one forward pass for one sample (for FLOP-rate figures). */
export function forwardMacs(net: NetShape): number {
  return net.layers.reduce((n, l) => n + l.inputs * l.outputs, 0);
}

/** "289-20 sigmoid-26 sigmoid" style label. */
export function describeNet(net: NetShape): string {
  return `${net.layers[0]!.inputs}-` + net.layers.map((l) => `${l.outputs} ${l.activation}`).join("-");
}
