// The float64 reference interpreter: plain generic loops over the IR, the living definition of what a spec
// means and the naive baseline. `interpret(spec)` has the very shape of a generated module, so tests and the
// bench can treat the two alike.
import type { Spec } from "../ir.js";
import type { GeneratedModule, ModuleMeta, Vector } from "../module-api.js";
import { forwardSample, predictSample } from "./forward.js";
import { evaluate, lossAndGradient } from "./loss-and-gradient.js";
import { outputLayer } from "./loss.js";
import { createOptimizer, learningRate, step } from "./optimizer.js";
import { createParameters, parameterCount, parameterLayout } from "./parameters.js";
import { train } from "./train.js";
import { ruleOf } from "../layers/index.js";
import { createRng } from "../prng.js";
import { loadWeights, saveWeights } from "./weights.js";
import { networkHash, preprocessingOf } from "../network-identity.js";
import { preprocessRows, withIdentityStatistics } from "./preprocess.js";

export { preActivations } from "./forward.js";
export type { LayerTrace } from "./forward.js";
export { createParameters, layoutOf, parameterCount, parameterLayout, weightMask } from "./parameters.js";
export { epochOrder } from "./train.js";
export { logSumExp } from "./loss.js";

export function interpreterMeta(spec: Spec): ModuleMeta {
  return {
    name: spec.name,
    specHash: spec.sourceHash,
    networkHash: networkHash(spec),
    inputs: spec.inputs,
    outputs: spec.outputs,
    parameters: parameterCount(spec),
    preprocessing: preprocessingOf(spec, parameterCount(spec)),
    classes: spec.classes ?? null,
    precision: spec.precision,
    loss: spec.loss.kind,
    optimizer: spec.training.optimizer.kind,
    layout: parameterLayout(spec),
    activations: spec.layers.flatMap((layer) => ruleOf(layer).activation(layer)?.kind ?? []),
    training: {
      learningRate: spec.training.learningRate,
      epochs: spec.training.epochs,
      batchSize: spec.training.batchSize,
      shuffle: spec.training.shuffle,
      seed: spec.training.seed,
    },
  };
}

/** The spec as a module with the GeneratedModule interface. Computes in float64 whatever the spec's precision. */
export function interpret(spec: Spec): GeneratedModule {
  outputLayer(spec);
  return {
    meta: interpreterMeta(spec),
    createRng,
    createParameters: (seed) => withIdentityStatistics(spec, createParameters(spec, seed)),
    fitPreprocessing: () => {
      throw new Error("the interpreter fits no statistics: src/data/normalize.ts's fitNormalization is the reference");
    },
    preprocess: (params, xs, count, out) => {
      const result = preprocessRows(spec, params, xs, count);
      if (out === undefined) return result;
      out.set(result);
      return out;
    },
    predict: (params, x, out) => {
      const a = predictSample(spec, params, preprocessRows(spec, params, x, 1));
      const result: Vector = out ?? new Float64Array(spec.outputs);
      for (let k = 0; k < spec.outputs; k++) result[k] = a[k]!;
      return result;
    },
    lossAndGradient: (params, xs, ys, count, grad, options) => lossAndGradient(spec, params, xs, ys, count, grad, options),
    evaluate: (params, xs, ys, count) => evaluate(spec, params, preprocessRows(spec, params, xs, count), ys, count),
    evaluateInputs: (params, xs, ys, count) => evaluate(spec, params, xs, ys, count),
    createOptimizer: () => createOptimizer(spec),
    learningRate: (epoch) => learningRate(spec, epoch),
    // The optimiser and the training loop see the trainable parameters only (a view: updated in place),
    // never the normalisation statistics after them.
    step: (params, grad, state, epoch) => step(spec, params.subarray(0, parameterCount(spec)), grad, state, epoch),
    train: (params, xs, ys, count, options) => train(spec, params.subarray(0, parameterCount(spec)), xs, ys, count, options),
    saveWeights: (params) => saveWeights(spec, params),
    loadWeights: (json) => loadWeights(spec, json),
  };
}

/** Every layer's input, pre-activations, output and dropout mask for one sample in eval mode (for diagnostics such as saturation statistics). */
export function forwardAll(spec: Spec, params: Vector, x: Vector) {
  return forwardSample(spec, params, x, 0, null);
}

export { lossAndGradient, evaluate, createOptimizer, learningRate, step, train, saveWeights, loadWeights };
