// The nets the benchmark trains, described as plain data every contestant reads.
// Parameter layout (shared with nnc's generated modules, which lay conv weights out as PyTorch does):
// first the image layers in order (each conv: its weights [filters][channels][kh][kw], then its bias
// [filters]; pools have none), then each dense layer in order: its weights [outputs][inputs] row-major,
// then its bias [outputs]; one flat float64 array. The image stage works on C×H×W maps (channel-major,
// PyTorch's NCHW per sample) and its last map is flattened C-major into the first dense layer's inputs.

export type BenchActivation = "linear" | "sigmoid" | "tanh" | "relu" | "softmax";

/** Same meanings as src/ir.ts LossKind (mse: mean over batch and outputs; bce: summed over outputs, mean over batch; cce: mean over batch). */
export type BenchLoss = "mse" | "binary_crossentropy" | "categorical_crossentropy";

export interface BenchLayer {
  inputs: number;
  outputs: number;
  activation: BenchActivation;
}

/** A C×H×W map. */
export interface MapShape {
  channels: number;
  height: number;
  width: number;
}

/** A square-kernel convolution, stride 1, zero padding `padding` on every side. */
export interface ConvLayer {
  kind: "conv";
  filters: number;
  kernel: number;
  padding: number;
  activation: BenchActivation;
}

/** Max pooling over size×size windows with stride `size`, floor mode (a remainder row/column is dropped, as PyTorch and nnc do). */
export interface PoolLayer {
  kind: "maxpool";
  size: number;
}

export type ImageLayer = ConvLayer | PoolLayer;

export interface NetShape {
  /** Convolutional nets: the input map and the image layers before the dense ones (absent for MLPs). */
  image?: { input: MapShape; layers: ImageLayer[] };
  layers: BenchLayer[];
  loss: BenchLoss;
}

export interface LayerOffsets {
  weights: number;
  bias: number;
}

/** The map each image layer reads and the one it writes. */
export interface ImageStep {
  layer: ImageLayer;
  input: MapShape;
  output: MapShape;
}

export function imageSteps(net: NetShape): ImageStep[] {
  if (!net.image) return [];
  const steps: ImageStep[] = [];
  let m = net.image.input;
  for (const l of net.image.layers) {
    const out: MapShape =
      l.kind === "conv"
        ? { channels: l.filters, height: m.height + 2 * l.padding - l.kernel + 1, width: m.width + 2 * l.padding - l.kernel + 1 }
        : { channels: m.channels, height: Math.floor(m.height / l.size), width: Math.floor(m.width / l.size) };
    steps.push({ layer: l, input: m, output: out });
    m = out;
  }
  return steps;
}

/** Conv layers' offsets in image-layer order (null for a pool). */
export function imageOffsets(net: NetShape): (LayerOffsets | null)[] {
  let at = 0;
  return imageSteps(net).map((s) => {
    if (s.layer.kind !== "conv") return null;
    const n = s.layer.filters * s.input.channels * s.layer.kernel * s.layer.kernel;
    const o = { weights: at, bias: at + n };
    at += n + s.layer.filters;
    return o;
  });
}

function imageParameterCount(net: NetShape): number {
  return imageSteps(net).reduce((n, s) => n + (s.layer.kind === "conv" ? s.layer.filters * (s.input.channels * s.layer.kernel * s.layer.kernel + 1) : 0), 0);
}

/** Where each dense layer's weights and bias start in the flat parameter array (after the image layers' parameters). */
export function layerOffsets(net: NetShape): LayerOffsets[] {
  const out: LayerOffsets[] = [];
  let at = imageParameterCount(net);
  for (const l of net.layers) {
    out.push({ weights: at, bias: at + l.inputs * l.outputs });
    at += l.inputs * l.outputs + l.outputs;
  }
  return out;
}

export function parameterCount(net: NetShape): number {
  return imageParameterCount(net) + net.layers.reduce((n, l) => n + l.inputs * l.outputs + l.outputs, 0);
}

export function mapSize(m: MapShape): number {
  return m.channels * m.height * m.width;
}

export function inputCount(net: NetShape): number {
  return net.image ? mapSize(net.image.input) : net.layers[0]!.inputs;
}

export function outputCount(net: NetShape): number {
  return net.layers[net.layers.length - 1]!.outputs;
}

/** Multiply-adds of one forward pass for one sample (for FLOP-rate figures). */
export function forwardMacs(net: NetShape): number {
  const conv = imageSteps(net).reduce((n, s) => n + (s.layer.kind === "conv" ? mapSize(s.output) * s.input.channels * s.layer.kernel * s.layer.kernel : 0), 0);
  return conv + net.layers.reduce((n, l) => n + l.inputs * l.outputs, 0);
}

/**
 * Multiply-adds of one training sample's matrix products: the forward, each layer's weight gradient (as many
 * as its forward) and each layer's input gradient (as many again) except the first layer's, which no
 * contestant computes. Element-wise work (activations, loss, bias sums, pooling, the optimiser) is not counted.
 */
export function trainingMacs(net: NetShape): number {
  const conv = imageSteps(net).flatMap((s) => (s.layer.kind === "conv" ? [mapSize(s.output) * s.input.channels * s.layer.kernel * s.layer.kernel] : []));
  const products = [...conv, ...net.layers.map((l) => l.inputs * l.outputs)];
  return 2 * products.reduce((n, m) => n + m, 0) + products.slice(1).reduce((n, m) => n + m, 0);
}

/** Throws unless the image stage's flattened output feeds the first dense layer. */
export function checkNet(net: NetShape): void {
  const steps = imageSteps(net);
  if (steps.length === 0) return;
  const last = steps[steps.length - 1]!.output;
  if (mapSize(last) !== net.layers[0]!.inputs)
    throw new Error(
      `image stage ends in ${last.channels}×${last.height}×${last.width} = ${mapSize(last)} values; the first dense layer reads ${net.layers[0]!.inputs}`,
    );
}

/** "289-20 sigmoid-26 sigmoid" style label; conv nets: "1×17×17-conv 6 5×5 relu-maxpool 2-26 softmax". */
export function describeNet(net: NetShape): string {
  if (net.image) {
    const { channels: c, height: h, width: w } = net.image.input;
    const img = net.image.layers.map((l) =>
      l.kind === "conv" ? `conv ${l.filters} ${l.kernel}×${l.kernel}${l.padding ? ` pad ${l.padding}` : ""} ${l.activation}` : `maxpool ${l.size}`,
    );
    return [`${c}×${h}×${w}`, ...img, ...net.layers.map((l) => `${l.outputs} ${l.activation}`)].join("-");
  }
  return `${net.layers[0]!.inputs}-` + net.layers.map((l) => `${l.outputs} ${l.activation}`).join("-");
}
