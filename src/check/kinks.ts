// Kinks: ReLU and leaky ReLU are not differentiable at z = 0, so a central difference whose ±eps step
// moves some pre-activation across 0 measures a blend of two slopes and means nothing. The checker
// computes every pre-activation of the batch (with the very dropout masks the module draws) before and
// after each perturbation, and skips — and counts — an entry whose step crosses, or comes near, a kink.
import type { DenseLayer, Spec } from "../ir.js";
import { ACTIVATIONS, compileFormula } from "../maths.js";
import { createRng } from "../prng.js";

/** True when some dense layer of the spec has an activation with a kink at 0. */
export function hasKinks(spec: Spec): boolean {
  return spec.layers.some((l) => l.kind === "dense" && ACTIVATIONS[l.activation.kind].kinkAtZero);
}

/**
 * Pre-activations z of every dense layer for a whole batch (count × outputs each, row-major), in float64,
 * following the module contract (src/module-api.ts): parameter layout, and in training mode the dropout
 * masks drawn from createRng(dropoutSeed), one uniform per unit in order sample, dropout layer, unit.
 */
export function batchPreActivations(
  spec: Spec,
  params: Float64Array,
  xs: Float64Array,
  count: number,
  dropoutSeed: number | null,
): Float64Array[] {
  const masks = dropoutSeed === null ? null : dropoutMasks(spec, count, dropoutSeed);
  const out: Float64Array[] = [];
  let a = xs;
  let offset = 0;
  let dropoutIndex = 0;
  for (const layer of spec.layers) {
    if (layer.kind === "dropout") {
      if (masks) {
        const mask = masks[dropoutIndex]!;
        a = a.map((v, i) => v * mask[i]!);
      }
      dropoutIndex++;
      continue;
    }
    const z = denseForward(layer, params, offset, a, count);
    offset += layer.outputs * layer.inputs + layer.outputs;
    out.push(z);
    a = activate(layer, z, count);
  }
  return out;
}

function denseForward(layer: DenseLayer, params: Float64Array, offset: number, a: Float64Array, count: number): Float64Array {
  const { inputs, outputs } = layer;
  const biases = offset + outputs * inputs;
  const z = new Float64Array(count * outputs);
  for (let s = 0; s < count; s++) {
    for (let o = 0; o < outputs; o++) {
      let sum = params[biases + o]!;
      const row = offset + o * inputs;
      for (let i = 0; i < inputs; i++) sum += params[row + i]! * a[s * inputs + i]!;
      z[s * outputs + o] = sum;
    }
  }
  return z;
}

function activate(layer: DenseLayer, z: Float64Array, count: number): Float64Array {
  const maths = ACTIVATIONS[layer.activation.kind];
  const f = compileFormula<[number, number]>(maths.forward, ["z", "alpha"]);
  const a = z.map((v) => f(v, layer.activation.alpha));
  if (maths.vector) {
    // softmax: forward text is exp(z) after subtracting the row maximum; normalise by the row sum.
    const k = layer.outputs;
    for (let s = 0; s < count; s++) {
      const row = z.subarray(s * k, (s + 1) * k);
      const max = Math.max(...row);
      let sum = 0;
      for (let j = 0; j < k; j++) sum += a[s * k + j] = f(row[j]! - max, 0);
      for (let j = 0; j < k; j++) a[s * k + j]! /= sum;
    }
  }
  return a;
}

/** Per dropout layer, count × size multipliers: 0 (dropped) or 1/(1 − rate) (kept). */
export function dropoutMasks(spec: Spec, count: number, seed: number): Float64Array[] {
  const layers = spec.layers.filter((l) => l.kind === "dropout");
  const masks = layers.map((l) => new Float64Array(count * l.size));
  const rng = createRng(seed);
  for (let s = 0; s < count; s++) {
    layers.forEach((l, d) => {
      for (let u = 0; u < l.size; u++) masks[d]![s * l.size + u] = rng.uniform() >= l.rate ? 1 / (1 - l.rate) : 0;
    });
  }
  return masks;
}

/** Indices (into the dense layers) whose activation has a kink at 0. */
export function kinkLayers(spec: Spec): number[] {
  const dense = spec.layers.filter((l): l is DenseLayer => l.kind === "dense");
  return dense.flatMap((l, i) => (ACTIVATIONS[l.activation.kind].kinkAtZero ? [i] : []));
}

/**
 * Does the step from `base` to `plus` / `minus` reach a kink? Yes when some kink pre-activation changes
 * side of 0 (z > 0 is the derivative's branch), or sits within twice its own change of 0: the step
 * moves z by about eps × dz/dθ, so a z that close could cross on a curved path or land on the kink.
 */
export function stepNearKink(base: Float64Array[], plus: Float64Array[], minus: Float64Array[], layers: number[]): boolean {
  for (const l of layers) {
    const z0 = base[l]!;
    const zp = plus[l]!;
    const zm = minus[l]!;
    for (let k = 0; k < z0.length; k++) {
      const b = z0[k]!;
      const p = zp[k]!;
      const m = zm[k]!;
      if (b > 0 !== p > 0 || b > 0 !== m > 0) return true;
      const delta = Math.max(Math.abs(p - b), Math.abs(m - b));
      if (delta > 0 && Math.abs(b) <= 2 * delta) return true;
    }
  }
  return false;
}
