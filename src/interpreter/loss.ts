// The loss of one sample and its gradient at the output layer, compiled from LOSSES (src/maths.ts).
import type { Activation, Layer, Spec } from "../ir.js";
import { ruleOf } from "../layers/index.js";
import { LOSSES, compileFormula } from "../maths.js";
import type { Vector } from "../module-api.js";
import { activationBackward } from "./activations.js";
import type { LayerTrace } from "./forward.js";

const LOSS_VARIABLES = ["a", "y", "z", "K", "lse", "sumY"] as const;
type LossFn = (a: number, y: number, z: number, K: number, lse: number, sumY: number) => number;

const compiled = new Map<string, { term: LossFn; delta: LossFn }>();
function lossFunctions(kind: Spec["loss"]["kind"]): { term: LossFn; delta: LossFn } {
  let fns = compiled.get(kind);
  if (fns === undefined) {
    fns = {
      term: compileFormula(LOSSES[kind].term, LOSS_VARIABLES) as LossFn,
      delta: compileFormula(LOSSES[kind].delta, LOSS_VARIABLES) as LossFn,
    };
    compiled.set(kind, fns);
  }
  return fns;
}

/** The output layer and its activation. */
export interface OutputLayer {
  layer: Layer;
  activation: Activation;
}

/**
 * The output layer: the last layer, whose rule must give it an activation (the loss reads its a and z: a dense
 * layer today), checked against what the loss requires.
 */
export function outputLayer(spec: Spec): OutputLayer {
  const last = spec.layers[spec.layers.length - 1];
  const activation = last === undefined ? null : ruleOf(last).activation(last);
  if (last === undefined || activation === null) throw new Error(`spec ${spec.name}: the last layer must be a dense layer`);
  const requires = LOSSES[spec.loss.kind].requires;
  if (requires !== null && activation.kind !== requires) {
    throw new Error(`spec ${spec.name}: loss ${spec.loss.kind} needs a ${requires} output layer, not ${activation.kind}`);
  }
  return { layer: last, activation };
}

/**
 * The activation of the last layer that has one (the output layer's in a valid spec), or null when no layer
 * has one: what the gradient checker's targets and the doctor read, without outputLayer's checks.
 */
export function lastActivation(spec: Spec): Activation | null {
  for (let l = spec.layers.length - 1; l >= 0; l--) {
    const layer = spec.layers[l]!;
    const activation = ruleOf(layer).activation(layer);
    if (activation !== null) return activation;
  }
  return null;
}

/** log Σ_k e^{z_k}, computed stably as max + log Σ e^{z_k − max}. */
export function logSumExp(z: Float64Array): number {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) if (z[k]! > max) max = z[k]!;
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += Math.exp(z[k]! - max);
  return max + Math.log(sum);
}

function sumTargets(ys: Vector, offset: number, K: number): number {
  let sum = 0;
  for (let k = 0; k < K; k++) sum += ys[offset + k]!;
  return sum;
}

/** The loss of one sample: the sum of the loss's element terms over the outputs (before the batch mean). */
export function sampleLoss(spec: Spec, output: LayerTrace, ys: Vector, offset: number): number {
  const { term } = lossFunctions(spec.loss.kind);
  const K = spec.outputs;
  const z = output.z!;
  const lse = spec.loss.kind === "categorical_crossentropy" ? logSumExp(z) : 0;
  let loss = 0;
  for (let k = 0; k < K; k++) loss += term(output.output[k]!, ys[offset + k]!, z[k]!, K, lse, 0);
  return loss;
}

/**
 * dL/dz of the output layer for one sample (before the batch mean). Fused losses (sigmoid + binary CE,
 * softmax + categorical CE) give it directly; mse gives dL/da, chained through the activation (softmax
 * through its full Jacobian).
 */
export function outputDelta(spec: Spec, output: LayerTrace, ys: Vector, offset: number): Float64Array {
  const math = LOSSES[spec.loss.kind];
  const { delta } = lossFunctions(spec.loss.kind);
  const { activation } = outputLayer(spec);
  const K = spec.outputs;
  const z = output.z!;
  const a = output.output;
  const sumY = spec.loss.kind === "categorical_crossentropy" ? sumTargets(ys, offset, K) : 0;
  const d = new Float64Array(K);
  for (let k = 0; k < K; k++) d[k] = delta(a[k]!, ys[offset + k]!, z[k]!, K, 0, sumY);
  if (math.fused) return d;
  const dz = new Float64Array(K);
  activationBackward(activation, z, a, d, dz);
  return dz;
}

/** Whether accuracy is defined: several outputs (argmax), or one sigmoid output (threshold 0.5). */
export function hasAccuracy(spec: Spec): boolean {
  return spec.outputs > 1 || outputLayer(spec).activation.kind === "sigmoid";
}

/** Is one sample classified right? argmax of outputs vs argmax of targets (first maximum wins), or a ≥ 0.5 vs y ≥ 0.5. */
export function isCorrect(spec: Spec, a: Float64Array, ys: Vector, offset: number): boolean {
  if (spec.outputs === 1) return a[0]! >= 0.5 === ys[offset]! >= 0.5;
  let predicted = 0;
  let actual = 0;
  for (let k = 1; k < spec.outputs; k++) {
    if (a[k]! > a[predicted]!) predicted = k;
    if (ys[offset + k]! > ys[offset + actual]!) actual = k;
  }
  return predicted === actual;
}
