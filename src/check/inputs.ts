// The random point a gradient check is taken at: parameters, a batch of inputs and valid targets, and
// which entries of each tensor to check. Everything is drawn from createRng (src/prng.ts) with the
// check's seed, one independent stream per purpose, so a seed names the exact same check everywhere.
import type { Spec } from "../ir.js";
import type { GeneratedModule, TensorLayout } from "../module-api.js";
import { createRng } from "../prng.js";
import { lastActivation } from "../interpreter/loss.js";

/** Stream ids mixed into the seed so parameters, data, targets and entry samples never share draws. */
const STREAM = { parameters: 1, inputs: 2, targets: 3, entries: 4, dropout: 5 } as const;

export function streamSeed(seed: number, stream: keyof typeof STREAM, index = 0): number {
  return (seed ^ Math.imul(STREAM[stream], 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/**
 * Parameters to check at. "random": weights N(0, 1/fan_in) (LeCun normal: pre-activations of order 1, so
 * sigmoid/tanh are neither saturated nor linear) and biases N(0, 0.1²) (non-zero, so a bug that ignores or
 * mishandles a bias changes the numbers). "init": the module's own createParameters(seed), unless that is
 * degenerate (some weight tensor all zeros, e.g. `init zeros`, where hidden gradients vanish by symmetry):
 * then the random parameters are used and `source` says so.
 */
export function checkParameters(module: GeneratedModule, mode: "random" | "init", seed: number): { params: Float64Array; source: string } {
  const layout = module.meta.layout;
  if (mode === "init") {
    const init = Float64Array.from(module.createParameters(seed));
    const degenerate = layout.some((t) => t.name.endsWith(".weight") && init.subarray(t.offset, t.offset + t.size).every((v) => v === 0));
    if (!degenerate) return { params: init, source: `createParameters(${seed})` };
  }
  const rng = createRng(streamSeed(seed, "parameters"));
  const params = new Float64Array(module.meta.parameters);
  for (const tensor of layout) {
    const isWeight = tensor.shape.length === 2;
    const std = isWeight ? 1 / Math.sqrt(tensor.shape[1]!) : 0.1;
    for (let i = 0; i < tensor.size; i++) params[tensor.offset + i] = std * rng.gaussian();
  }
  const source = mode === "init" ? `random normal (createParameters(${seed}) has an all-zero weight tensor)` : `random normal, seed ${seed}`;
  return { params, source };
}

/** A batch of inputs, N(0, 1) per feature. */
export function checkInputs(spec: Spec, count: number, seed: number): Float64Array {
  const rng = createRng(streamSeed(seed, "inputs"));
  const xs = new Float64Array(count * spec.inputs);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.gaussian();
  return xs;
}

/**
 * Valid targets for the spec's loss: one-hot rows for categorical cross-entropy (softmax); independent
 * 0/1 labels for binary cross-entropy (sigmoid outputs; several outputs are several labels); N(0, 1)
 * values for mse (uniform in (0, 1) when the output is a sigmoid, whose range that is).
 */
export function checkTargets(spec: Spec, count: number, seed: number): Float64Array {
  const rng = createRng(streamSeed(seed, "targets"));
  const k = spec.outputs;
  const ys = new Float64Array(count * k);
  const outputActivation = lastActivation(spec)?.kind ?? "linear";
  for (let s = 0; s < count; s++) {
    const row = ys.subarray(s * k, (s + 1) * k);
    switch (spec.loss.kind) {
      case "categorical_crossentropy":
        row[Math.min(k - 1, Math.floor(rng.uniform() * k))] = 1;
        break;
      case "binary_crossentropy":
        for (let j = 0; j < k; j++) row[j] = rng.uniform() < 0.5 ? 1 : 0;
        break;
      case "mse":
      case "quadratic":
        for (let j = 0; j < k; j++) row[j] = outputActivation === "sigmoid" ? rng.uniform() : rng.gaussian();
        break;
    }
  }
  return ys;
}

/** Which entries (0-based, within the tensor) to check: all of them up to `cap`, else a sorted seeded sample of `cap`. */
export function entriesToCheck(size: number, cap: number, seed: number, tensorIndex: number): Int32Array {
  if (size <= cap) return Int32Array.from({ length: size }, (_, i) => i);
  // Partial Fisher–Yates: the first `cap` slots of a shuffle of 0..size−1.
  const rng = createRng(streamSeed(seed, "entries", tensorIndex));
  const pool = Int32Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < cap; i++) {
    const j = i + Math.floor(rng.uniform() * (size - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, cap).sort();
}

/** The "input" pseudo-tensor: dLoss/dxs, count × inputs. */
export function inputTensor(count: number, inputs: number): TensorLayout {
  return { name: "input", offset: 0, shape: [count, inputs], size: count * inputs };
}
