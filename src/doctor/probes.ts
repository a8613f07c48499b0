// The doctor's probes of a trained network: one forward and backward pass of the reference interpreter
// (float64) per sampled row of the training inputs, as the network saw them (after scaling and normalisation).
// They measure what the loss curve alone cannot tell apart: saturated sigmoid/tanh units (flat tails, so
// almost no gradient flows), dead ReLU units (0 for every sample, so no gradient flows at all), the
// gradient's size per layer, and how large the network's inputs are.
import type { Spec } from "../ir.js";
import type { Vector } from "../module-api.js";
import { evaluate, layoutOf, lossAndGradient } from "../interpreter/index.js";
import { ruleOf } from "../layers/index.js";
import { sizeOf, type Shape } from "../layers/rule.js";
import type { LayerTrace } from "../layers/types.js";

/** Sigmoid output a is saturated when |a − 0.5| > 0.49 (a < 0.01 or a > 0.99: σ' = a(1 − a) < 0.0099). */
export const SIGMOID_SATURATION = 0.49;
/** Tanh output a is saturated when |a| > 0.98 (tanh' = 1 − a² < 0.0396). */
export const TANH_SATURATION = 0.98;
/** Probes look at most this many training samples (evenly spaced, so the result is deterministic). */
export const DEFAULT_PROBE_SAMPLES = 512;

/** One layer with an activation (its rule's), in layer order. */
export interface LayerProbe {
  /** The layer's 1-based number among the layers with parameters, as in the weights layout ("layer1.weight"); 0 for one without. */
  layer: number;
  activation: string;
  units: number;
  /** Fraction of (sample, unit) activations in a flat tail; null for activations that do not saturate (relu, linear, …). */
  saturatedFraction: number | null;
  /** Whether a layer with parameters follows it (the output layer and what follows it are not hidden). */
  hidden: boolean;
  /**
   * relu layers only (null otherwise): the 1-based numbers of the dead units, those whose output is 0 for
   * every probed sample. A unit is one output of a dense layer, one filter (all its positions) of a conv layer.
   */
  deadUnits: number[] | null;
  /** How many units `deadUnits` counts from: the layer's outputs, or a conv layer's filters. */
  deadOf: number;
  /** L2 norm of dLoss/dweights of this layer over the probe sample. */
  weightGradientNorm: number;
  /** L2 norm of dLoss/dbiases of this layer. */
  biasGradientNorm: number;
}

export interface Probes {
  samples: number;
  /** Mean loss over the probe sample (eval mode). */
  loss: number;
  layers: LayerProbe[];
  /** Mean |x| of each network input over the sample (after scaling and normalisation). */
  inputMeanAbs: number[];
}

/** Whether activation value `a` of `activation` sits in a flat tail; null when the activation cannot saturate. */
export function isSaturated(activation: string, a: number): boolean | null {
  if (activation === "sigmoid") return Math.abs(a - 0.5) > SIGMOID_SATURATION;
  if (activation === "tanh") return Math.abs(a) > TANH_SATURATION;
  return null;
}

/** Rows 0, stride, 2·stride, … (at most `max`) of a row-major matrix. */
function sampleRows(values: Vector, width: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = values[row * width + j]!;
  });
  return out;
}

/** The probed rows of (xs, ys): at most `maxSamples`, evenly spaced, as float64 copies. */
function probeSample(spec: Spec, xs: Vector, ys: Vector, count: number, maxSamples: number): { n: number; sx: Float64Array; sy: Float64Array } {
  const n = Math.min(count, maxSamples);
  const stride = count / Math.max(1, n);
  const rows = Array.from({ length: n }, (_, i) => Math.floor(i * stride));
  return { n, sx: sampleRows(xs, spec.inputs, rows), sy: sampleRows(ys, spec.outputs, rows) };
}

/** probeNetwork's loss alone (the same rows, the same sum: a forward pass, no backward), for the loss before training. */
export function probeLoss(spec: Spec, params: Vector, xs: Vector, ys: Vector, count: number, maxSamples = DEFAULT_PROBE_SAMPLES): number {
  const { n, sx, sy } = probeSample(spec, xs, ys, count, maxSamples);
  return n > 0 ? evaluate(spec, params, sx, sy, n).loss : NaN;
}

/**
 * Probes `params` of `spec` on (xs, ys): the training inputs as the network saw them and their dense targets.
 * Pure (reads only its arguments); costs one forward and backward pass over at most `maxSamples` rows (the
 * activations are read from lossAndGradient's own forward traces).
 */
export function probeNetwork(spec: Spec, params: Vector, xs: Vector, ys: Vector, count: number, maxSamples = DEFAULT_PROBE_SAMPLES): Probes {
  const { n, sx, sy } = probeSample(spec, xs, ys, count, maxSamples);

  // The probed layers: those with an activation (their rule's), with their output's size.
  const layout = layoutOf(spec);
  const probed: { index: number; activation: string; units: number; channels: number }[] = [];
  let shape: Shape = spec.inputShape;
  spec.layers.forEach((layer, index) => {
    const rule = ruleOf(layer);
    shape = rule.outputShape(layer, shape);
    const activation = rule.activation(layer);
    // An image-shaped output [C, H, W] is C filters of H·W positions each; a flat one is `units` units.
    const channels = shape.length === 3 ? shape[0]! : sizeOf(shape);
    if (activation !== null) probed.push({ index, activation: activation.kind, units: sizeOf(shape), channels });
  });
  const lastWeighted = layout.byLayer.reduce((last, tensors, i) => (tensors.length > 0 ? i : last), -1);
  const saturated = probed.map(() => 0);
  // alive[d][u]: some probed sample gave unit u of probed layer d a positive output (relu layers only).
  const alive = probed.map((p) => (p.activation === "relu" ? new Uint8Array(p.channels) : null));
  const inputMeanAbs = new Array<number>(spec.inputs).fill(0);
  for (let s = 0; s < n; s++) for (let i = 0; i < spec.inputs; i++) inputMeanAbs[i]! += Math.abs(sx[s * spec.inputs + i]!) / n;
  const observe = (_: number, traces: LayerTrace[]): void => {
    probed.forEach(({ index, activation, units, channels }, d) => {
      const output = traces[index]!.output;
      for (const a of output) if (isSaturated(activation, a) === true) saturated[d]! += 1;
      const seen = alive[d];
      if (seen) {
        const per = units / channels;
        for (let j = 0; j < output.length; j++) if (output[j]! > 0) seen[Math.floor(j / per)] = 1;
      }
    });
  };

  const grad = new Float64Array(layout.count);
  const loss = n > 0 ? lossAndGradient(spec, params, sx, sy, n, grad, { onTraces: observe }) : NaN;
  // L2 norm of the gradient over a layer's tensors of one role (its weights, or its biases).
  const norm = (index: number, role: "weight" | "bias"): number => {
    let sum = 0;
    for (const tensor of layout.byLayer[index]!) {
      if (tensor.role.kind !== role) continue;
      for (let j = tensor.offset; j < tensor.offset + tensor.size; j++) sum += grad[j]! ** 2;
    }
    return Math.sqrt(sum);
  };

  const layers = probed.map(({ index, activation, units, channels }, d): LayerProbe => {
    const canSaturate = isSaturated(activation, 0) !== null;
    const seen = alive[d];
    return {
      layer: layout.numbers[index]!,
      activation,
      units,
      saturatedFraction: canSaturate && n > 0 ? saturated[d]! / (n * units) : null,
      hidden: index < lastWeighted,
      deadUnits: seen && n > 0 ? [...seen].flatMap((a, u) => (a === 0 ? [u + 1] : [])) : null,
      deadOf: channels,
      weightGradientNorm: norm(index, "weight"),
      biasGradientNorm: norm(index, "bias"),
    };
  });
  return { samples: n, loss, layers, inputMeanAbs };
}
