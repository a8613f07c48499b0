// Kinks: ReLU and leaky ReLU are not differentiable at z = 0, so a central difference whose ±eps step
// moves some pre-activation across 0 measures a blend of two slopes and means nothing. The checker
// computes every pre-activation of the batch (with the very dropout masks the module draws) before and
// after each perturbation, and skips — and counts — an entry whose step crosses, or comes near, a kink.
//
// Max pooling has kinks too: where two taps of a window tie, the max switches to another input. For a layer
// with kinks but no activation the watched values are the interpreter trace's `gaps` (the window maximum
// minus its runner-up): a step that closes a gap crosses a tie, the same test as z crossing 0.
//
// The watched values are those of the layers with an activation (the interpreter's traces have z exactly
// there) and of the kink layers without one (their gaps), in layer order. Each layer's batch arithmetic is
// its rule's `kinks` hook (src/layers/<kind>/kinks.ts); a spec with a layer whose rule has none is computed
// from the interpreter's traces instead.
import type { Layer, Spec } from "../ir.js";
import { ruleOf } from "../layers/index.js";
import { sizeOf, type LayerTrace, type PlacedTensor, type Shape, type UnitsKinkForward } from "../layers/rule.js";
import { forwardSample } from "../interpreter/forward.js";
import { layoutOf } from "../interpreter/parameters.js";
import { createRng } from "../prng.js";

/** True when some layer of the spec has a unit that is not differentiable somewhere (its rule's hasKinks). */
export function hasKinks(spec: Spec): boolean {
  return spec.layers.some((l) => ruleOf(l).hasKinks(l));
}

/**
 * Pre-activations z of every layer with an activation for a whole batch (count × units each, row-major), in
 * float64, following the module contract (src/module-api.ts): parameter layout, and in training mode the
 * dropout masks drawn from createRng(dropoutSeed), one uniform per unit in order sample, dropout layer, unit.
 */
export function batchPreActivations(spec: Spec, params: Float64Array, xs: Float64Array, count: number, dropoutSeed: number | null): Float64Array[] {
  return new KinkProbe(spec, params, xs, count, dropoutSeed).base;
}

/** How the probe computes the pre-activations: the rules' incremental batch forward, or the interpreter's traces. */
interface BatchForward {
  readonly base: Float64Array[];
  afterParameter(index: number): Float64Array[];
  afterInput(sample: number): Float64Array[];
}

/**
 * The batch forward pass, kept so that the pre-activations after a one-entry perturbation can be
 * recomputed cheaply: layers before the perturbed one are unchanged, and in the perturbed layer only one
 * unit (a parameter) or one sample (an input) moves. `params` and `xs` are read live (the checker
 * perturbs them in place). When some layer's rule has no `kinks` hook, every call is a full forward pass
 * of the interpreter (`incremental` is false).
 */
export class KinkProbe {
  readonly base: Float64Array[];
  readonly incremental: boolean;
  private readonly forward: BatchForward;

  constructor(spec: Spec, params: Float64Array, xs: Float64Array, count: number, dropoutSeed: number | null) {
    this.incremental = spec.layers.every((l) => ruleOf(l).kinks !== undefined);
    this.forward = this.incremental ? new UnitsForward(spec, params, xs, count, dropoutSeed) : new TracesForward(spec, params, xs, count, dropoutSeed);
    this.base = this.forward.base;
  }

  /** Pre-activations after the parameter at `index` (a flat index) changed. */
  afterParameter(index: number): Float64Array[] {
    return this.forward.afterParameter(index);
  }

  /** Pre-activations after an input of sample `sample` changed. */
  afterInput(sample: number): Float64Array[] {
    return this.forward.afterInput(sample);
  }
}

interface UnitsStep {
  layer: Layer;
  rule: UnitsKinkForward;
  tensors: PlacedTensor[];
  /** The flat parameter range of its tensors, [start, end). */
  start: number;
  end: number;
  units: number;
  /** Mask multipliers (count × inputs) applied to this layer's input, composed over the mask layers before it; null = none. */
  mask: Float64Array | null;
}

/** The incremental batch forward over the rules' `kinks` hooks: units layers, with the mask layers folded into their inputs. */
class UnitsForward implements BatchForward {
  readonly base: Float64Array[];
  /** The (masked) input of each units layer at the base point. */
  private readonly inputs: Float64Array[] = [];
  private readonly steps: UnitsStep[] = [];

  constructor(
    spec: Spec,
    private readonly params: Float64Array,
    private readonly xs: Float64Array,
    private readonly count: number,
    dropoutSeed: number | null,
  ) {
    const masks = dropoutSeed === null ? null : dropoutMasks(spec, count, dropoutSeed);
    const { byLayer } = layoutOf(spec);
    let pending: Float64Array | null = null;
    let maskIndex = 0;
    spec.layers.forEach((layer, l) => {
      const rule = ruleOf(layer);
      const kinks = rule.kinks!;
      const tensors = byLayer[l]!;
      const hasActivation = rule.activation(layer) !== null;
      if (kinks.kind === "mask") {
        if (hasActivation || tensors.length > 0)
          throw new Error(`gradient check: layer kind ${layer.kind} is a mask in its kinks hook but has an activation or parameters`);
        const mask = masks?.[maskIndex];
        if (mask) pending = kinks.compose(mask, pending);
        maskIndex++;
        return;
      }
      if (!hasActivation || rule.sample.drawsMasks)
        throw new Error(`gradient check: layer kind ${layer.kind} is a units layer in its kinks hook but has no activation, or draws masks`);
      const start = tensors[0]?.offset ?? 0;
      const end = tensors.length > 0 ? tensors[tensors.length - 1]!.offset + tensors[tensors.length - 1]!.size : start;
      this.steps.push({ layer, rule: kinks, tensors, start, end, units: kinks.units(layer), mask: pending });
      pending = null;
    });
    this.base = this.forwardFrom(0, xs, null, true);
  }

  afterParameter(index: number): Float64Array[] {
    const l = this.steps.findIndex((st) => index >= st.start && index < st.end);
    if (l < 0) throw new Error(`gradient check: no units layer owns parameter ${index}`);
    const { layer, rule, tensors, units } = this.steps[l]!;
    const unit = rule.unitOf(layer, tensors, index);
    const z = Float64Array.from(this.base[l]!);
    const a = this.inputs[l]!;
    for (let s = 0; s < this.count; s++) z[s * units + unit] = rule.z(layer, this.params, tensors, a, s, unit);
    const result = this.base.slice(0, l);
    result.push(z);
    if (l + 1 < this.steps.length) result.push(...this.forwardFrom(l + 1, rule.activate(layer, z, this.count), null));
    return result;
  }

  afterInput(sample: number): Float64Array[] {
    return this.forwardFrom(0, this.xs, sample);
  }

  /**
   * Forward from units step `first` with that step's (unmasked) input `a`; only sample `row` when given
   * (the other rows are copied from the base). `record` keeps each layer's input (the base pass).
   */
  private forwardFrom(first: number, a: Float64Array, row: number | null, record = false): Float64Array[] {
    const out: Float64Array[] = [];
    for (let l = first; l < this.steps.length; l++) {
      const { layer, rule, tensors, units, mask } = this.steps[l]!;
      const input = mask ? a.map((v, i) => v * mask[i]!) : a;
      if (record) this.inputs.push(input);
      const z = row === null ? new Float64Array(this.count * units) : Float64Array.from(this.base[l]!);
      for (let s = 0; s < this.count; s++) {
        if (row !== null && s !== row) continue;
        for (let o = 0; o < units; o++) z[s * units + o] = rule.z(layer, this.params, tensors, input, s, o);
      }
      out.push(z);
      a = rule.activate(layer, z, this.count);
    }
    return out;
  }
}

/**
 * The slow path, for a spec with a layer whose rule has no `kinks` hook: the interpreter's forward of every
 * sample (one dropout stream across the batch, as the module draws it), its traces' z gathered per layer,
 * after every perturbation. Correct for any rule the interpreter runs; a whole forward pass each time.
 */
class TracesForward implements BatchForward {
  readonly base: Float64Array[];
  /** The watched layers (watchedLayers): index into spec.layers, units (their output's size), and whether the trace's gaps are watched instead of z. */
  private readonly layers: { index: number; units: number; gaps: boolean }[] = [];
  private readonly layout: ReturnType<typeof layoutOf>;
  /** The base point's traces per sample (eval mode only: with dropout every call is a whole pass). */
  private readonly traces: LayerTrace[][] = [];

  constructor(
    private readonly spec: Spec,
    private readonly params: Float64Array,
    private readonly xs: Float64Array,
    private readonly count: number,
    private readonly dropoutSeed: number | null,
  ) {
    let shape: Shape = spec.inputShape;
    spec.layers.forEach((layer, index) => {
      const rule = ruleOf(layer);
      shape = rule.outputShape(layer, shape);
      const watched = watchedValues(layer);
      if (watched !== null) this.layers.push({ index, units: sizeOf(shape), gaps: watched === "gaps" });
    });
    this.layout = layoutOf(spec);
    if (dropoutSeed === null) for (let s = 0; s < count; s++) this.traces.push(forwardSample(spec, params, xs, s * spec.inputs, null, this.layout));
    this.base = this.all();
  }

  /** The layers before the one that owns the parameter are unchanged: each sample's forward reruns from that layer on its cached input. */
  afterParameter(index: number): Float64Array[] {
    if (this.dropoutSeed !== null) return this.all();
    const first = this.layout.byLayer.findIndex((tensors) => tensors.some((t) => index >= t.offset && index < t.offset + t.size));
    const out = this.base.map((values) => values.slice());
    for (let s = 0; s < this.count; s++) this.write(out, s, this.forwardFrom(this.traces[s]!, Math.max(0, first)));
    return out;
  }

  /** Only that sample's forward (the others are the base's), unless dropout ties every sample to one stream. */
  afterInput(sample: number): Float64Array[] {
    if (this.dropoutSeed !== null) return this.all();
    const out = this.base.map((values) => values.slice());
    this.write(out, sample, forwardSample(this.spec, this.params, this.xs, sample * this.spec.inputs, null, this.layout));
    return out;
  }

  /** Traces from layer `first` on (the earlier ones as cached), from the cached input of layer `first`. */
  private forwardFrom(cached: LayerTrace[], first: number): LayerTrace[] {
    const traces = cached.slice(0, first);
    let current = cached[first]!.input;
    for (let l = first; l < this.spec.layers.length; l++) {
      const layer = this.spec.layers[l]!;
      const trace = ruleOf(layer).interpret.forward(layer, this.params, this.layout.byLayer[l]!, current, null);
      traces.push(trace);
      current = trace.output;
    }
    return traces;
  }

  private all(): Float64Array[] {
    const { spec, count } = this;
    const rng = this.dropoutSeed === null ? null : createRng(this.dropoutSeed);
    const out = this.layers.map(({ units }) => new Float64Array(count * units));
    for (let s = 0; s < count; s++)
      this.write(out, s, this.dropoutSeed === null ? this.traces[s]! : forwardSample(spec, this.params, this.xs, s * spec.inputs, rng, this.layout));
    return out;
  }

  /** Sample s's watched values from its traces into out. */
  private write(out: Float64Array[], s: number, traces: LayerTrace[]): void {
    const { spec } = this;
    this.layers.forEach(({ index, units, gaps }, k) => {
      const values = gaps ? traces[index]!.gaps : traces[index]!.z;
      if (values?.length !== units)
        throw new Error(
          `gradient check: layer ${index + 1} (${spec.layers[index]!.kind}) ${gaps ? "has kinks" : "has an activation"} but its interpreter trace has no ${units} ${gaps ? "gaps" : "pre-activations"}`,
        );
      out[k]!.set(values, s * units);
    });
  }
}

/**
 * Per mask layer (a rule whose `kinks` hook is a mask: dropout), count × size multipliers: 0 (dropped) or
 * 1/(1 − rate) (kept), drawn from createRng(seed) in order sample, mask layer, unit. Throws for a spec with a
 * layer that draws from the dropout stream without such a hook (its draws would be missing from the order).
 */
export function dropoutMasks(spec: Spec, count: number, seed: number): Float64Array[] {
  const layers = spec.layers.flatMap((layer) => {
    const rule = ruleOf(layer);
    const kinks = rule.kinks;
    const mask = kinks?.kind === "mask";
    if (mask !== rule.sample.drawsMasks)
      throw new Error(
        `gradient check: layer kind ${layer.kind} ${mask ? "has a mask kinks hook but draws no masks" : "draws masks but its rule has no mask kinks hook"}`,
      );
    return kinks?.kind === "mask" ? [{ layer, kinks }] : [];
  });
  const sizes = layers.map(({ layer, kinks }) => kinks.size(layer));
  const masks = sizes.map((size) => new Float64Array(count * size));
  const rng = createRng(seed);
  for (let s = 0; s < count; s++) {
    layers.forEach(({ layer, kinks }, d) => kinks.draw(layer, rng, masks[d]!, s * sizes[d]!));
  }
  return masks;
}

/** What the checker watches in a layer: its pre-activations (a layer with an activation), its trace's gaps (a kink layer without one: max pooling), or nothing. */
function watchedValues(layer: Layer): "z" | "gaps" | null {
  const rule = ruleOf(layer);
  if (rule.activation(layer) !== null) return "z";
  return rule.hasKinks(layer) ? "gaps" : null;
}

/** Indices (into the watched values, one entry per layer with an activation or with kinks) of the layers with a kink. */
export function kinkLayers(spec: Spec): number[] {
  const out: number[] = [];
  let k = 0;
  spec.layers.forEach((layer) => {
    if (watchedValues(layer) === null) return;
    if (ruleOf(layer).hasKinks(layer)) out.push(k);
    k++;
  });
  return out;
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
