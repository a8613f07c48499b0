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
  return new KinkProbe(spec, params, xs, count, dropoutSeed).base;
}

interface DenseStep {
  layer: DenseLayer;
  /** Offset of the layer's weights in the parameter vector (biases follow them). */
  offset: number;
  /** Dropout multipliers (count × inputs) applied to this layer's input, composed over consecutive dropout layers; null = none. */
  mask: Float64Array | null;
}

/**
 * The batch forward pass, kept so that the pre-activations after a one-entry perturbation can be
 * recomputed cheaply: layers before the perturbed one are unchanged, and in the perturbed layer only one
 * unit (a parameter) or one sample (an input) moves. `params` and `xs` are read live (the checker
 * perturbs them in place).
 */
export class KinkProbe {
  readonly base: Float64Array[];
  /** The (masked) input of each dense layer at the base point. */
  private readonly inputs: Float64Array[];
  private readonly steps: DenseStep[];

  constructor(
    private readonly spec: Spec,
    private readonly params: Float64Array,
    private readonly xs: Float64Array,
    private readonly count: number,
    dropoutSeed: number | null,
  ) {
    const masks = dropoutSeed === null ? null : dropoutMasks(spec, count, dropoutSeed);
    this.steps = [];
    let offset = 0;
    let pending: Float64Array | null = null;
    let dropoutIndex = 0;
    for (const layer of spec.layers) {
      if (layer.kind === "dropout") {
        const mask = masks?.[dropoutIndex];
        if (mask) pending = pending ? pending.map((v, i) => v * mask[i]!) : mask;
        dropoutIndex++;
        continue;
      }
      this.steps.push({ layer, offset, mask: pending });
      pending = null;
      offset += layer.outputs * layer.inputs + layer.outputs;
    }
    this.inputs = [];
    this.base = this.forwardFrom(0, xs, null, true);
  }

  /** Pre-activations after the parameter at `index` (a flat index) changed. */
  afterParameter(index: number): Float64Array[] {
    const l = this.steps.findIndex((st) => index >= st.offset && index < st.offset + st.layer.outputs * (st.layer.inputs + 1));
    const { layer, offset } = this.steps[l]!;
    const local = index - offset;
    const unit = local < layer.outputs * layer.inputs ? Math.floor(local / layer.inputs) : local - layer.outputs * layer.inputs;
    const z = Float64Array.from(this.base[l]!);
    const a = this.inputs[l]!;
    for (let s = 0; s < this.count; s++) z[s * layer.outputs + unit] = this.unit(layer, offset, a, s, unit);
    const result = this.base.slice(0, l);
    result.push(z);
    if (l + 1 < this.steps.length) result.push(...this.forwardFrom(l + 1, activate(layer, z, this.count), null));
    return result;
  }

  /** Pre-activations after an input of sample `sample` changed. */
  afterInput(sample: number): Float64Array[] {
    return this.forwardFrom(0, this.xs, sample);
  }

  /**
   * Forward from dense step `first` with that step's (unmasked) input `a`; only sample `row` when given
   * (the other rows are copied from the base). `record` keeps each layer's input (the base pass).
   */
  private forwardFrom(first: number, a: Float64Array, row: number | null, record = false): Float64Array[] {
    const out: Float64Array[] = [];
    for (let l = first; l < this.steps.length; l++) {
      const { layer, offset, mask } = this.steps[l]!;
      const input = mask ? a.map((v, i) => v * mask[i]!) : a;
      if (record) this.inputs.push(input);
      const z = row === null ? new Float64Array(this.count * layer.outputs) : Float64Array.from(this.base[l]!);
      for (let s = 0; s < this.count; s++) {
        if (row !== null && s !== row) continue;
        for (let o = 0; o < layer.outputs; o++) z[s * layer.outputs + o] = this.unit(layer, offset, input, s, o);
      }
      out.push(z);
      a = activate(layer, z, this.count);
    }
    return out;
  }

  /** z of one unit for one sample. */
  private unit(layer: DenseLayer, offset: number, a: Float64Array, s: number, o: number): number {
    const p = this.params;
    const n = layer.inputs;
    let sum = p[offset + layer.outputs * n + o]!;
    const row = offset + o * n;
    for (let i = 0; i < n; i++) sum += p[row + i]! * a[s * n + i]!;
    return sum;
  }

}

/** The activations' forward formulas, compiled once (from the same table the emitter pastes). */
const FORWARD = new Map(
  Object.entries(ACTIVATIONS).map(([kind, maths]) => [kind, compileFormula<[number, number]>(maths.forward, ["z", "alpha"])]),
);

function activate(layer: DenseLayer, z: Float64Array, count: number): Float64Array {
  const maths = ACTIVATIONS[layer.activation.kind];
  const f = FORWARD.get(layer.activation.kind)!;
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
