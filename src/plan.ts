// The plan: every decision the code generator makes about one spec, as pure, printable data, before any
// code is written. Parameter layout (offsets per tensor), scratch buffers and their sizes, the memory the
// module needs, and per layer the code shape (fully unrolled vs loops with literal bounds) with the reason.
// The emitters in src/emit/ only read the plan and the spec; a later performance pass changes the plan's
// decisions (e.g. a new code shape) without touching the emitters of the other stages.
import type { Activation, LossKind, Precision, Spec } from "./ir.js";
import { ACTIVATIONS, LOSSES } from "./maths.js";
import type { TensorLayout } from "./module-api.js";

/**
 * Fully unroll a function when it does at most this many multiply-adds. Measured with
 * scripts/measure-unroll.mjs (figures in docs/module.md): unrolled code is 1.1–4× faster than literal-bound
 * loops up to about 1,000 multiply-adds per function, and past ~2,000 (≈50 KB of source) V8 stops
 * optimising the function and it runs 20–40× slower. 512 keeps every unrolled function well inside the
 * fast region.
 */
export const UNROLL_LIMIT = 512;

export type CodeShape = "unrolled" | "loop";

/**
 * How lossAndGradient walks a batch. "per-sample": forward, loss and backward one sample at a time through
 * the per-layer functions (tiny nets: everything stays in registers and unrolled code). "blocked": layer by
 * layer over a chunk of samples as matrix products (Z = X·Wᵀ + b, dW += δᵀ·X, dX = δ·W) with register
 * blocking (several samples × several outputs per inner loop, accumulators in locals). Both sum every
 * product in the same order as the interpreter, so an f64 module gives bit-identical results either way.
 */
export type BatchShape = "per-sample" | "blocked";

/**
 * Blocked batches are processed in chunks of at most this many samples (the chunk's activations and deltas
 * are module-level buffers). Measured with scripts/perf-batch.ts (docs/performance.md, "Optimisations").
 */
export const CHUNK_LIMIT = 256;

/** Register tile of the blocked shape (measured: docs/performance.md, "Optimisations"). */
export const TILE = { samples: 4, outputs: 4 };

export interface BatchDecision {
  shape: BatchShape;
  /** Samples per chunk (rows of the batch buffers); 0 for per-sample. */
  chunk: number;
  /**
   * Register tile of the blocked matrix products: `samples` rows × `outputs` columns of accumulators in
   * locals per inner loop (forward: samples × outputs; dW: outputs × inputs; dX: samples × inputs).
   */
  tile: { samples: number; outputs: number };
  reason: string;
  /**
   * Who runs the blocked shape's matrix products: "wasm" (f64x2 SIMD kernels emitted into the module,
   * src/emit/wasm/, used when the module can instantiate them; the TS blocked code stays as the fallback) or
   * "ts" (the TS blocked code only). Always "ts" for per-sample.
   */
  kernel: { kind: KernelKind; reason: string };
}

export type KernelKind = "wasm" | "ts";

/**
 * How the per-sample batch shape runs one sample. "fused": lossAndGradient's loop body is the whole net,
 * forward, loss, output delta and backward, with every activation and delta in a local constant and one
 * running gradient sum per parameter in a local (written to grad once per batch): tiny nets whose every layer
 * is unrolled, where calls and scratch-array traffic cost more than the arithmetic (docs/performance.md,
 * optimisation 7). "layers": the per-layer functions through the scratch buffers (every other net).
 */
export type SampleShape = "fused" | "layers";

export interface SampleDecision {
  shape: SampleShape;
  reason: string;
}

export interface ShapeDecision {
  shape: CodeShape;
  /** Multiply-adds the function does per sample. */
  multiplyAdds: number;
  reason: string;
}

/** Where a layer reads its input: the sample row of `x` (at offset `xo`), or the previous layer's activations. */
export type InputSource = { kind: "sample" } | { kind: "buffer"; name: string };

/** Where a layer's backward writes dL/d(input): the caller's input-gradient row, or the previous layer's gradient buffer. */
export type InputGradientTarget = { kind: "sample" } | { kind: "buffer"; name: string };

export interface PlannedDense {
  kind: "dense";
  /** 1-based position among all layers (names the scratch buffers: Z2, A2, …). */
  position: number;
  /** 1-based number among dense layers (names the tensors: layer1.weight, …). */
  number: number;
  inputs: number;
  outputs: number;
  activation: Activation;
  weightOffset: number;
  biasOffset: number;
  input: InputSource;
  gradientTarget: InputGradientTarget;
  /** Buffer names: pre-activations (null when nothing reads them), activations, dL/dz, dL/da (null when never written). */
  z: string | null;
  a: string;
  dz: string;
  ga: string | null;
  /** True for the last layer when the loss is fused (the loss writes dL/dz directly). */
  fusedOutput: boolean;
  forward: ShapeDecision;
  backward: ShapeDecision;
}

export interface PlannedDropout {
  kind: "dropout";
  position: number;
  size: number;
  rate: number;
  input: InputSource;
  gradientTarget: InputGradientTarget;
  a: string;
  /** 0 or 1/(1 − rate) per unit, drawn per sample in training; 1 in evaluation. */
  mask: string;
  ga: string;
  shape: ShapeDecision;
}

export type PlannedLayer = PlannedDense | PlannedDropout;

export interface PlannedBuffer {
  name: string;
  size: number;
  /** The buffer's element type: the spec's precision, except masks (always f64 so 1/(1−rate) is exact). */
  precision: Precision;
  holds: string;
}

export interface MemoryEstimate {
  bytesPerNumber: number;
  /** The flat parameter vector. */
  parameters: number;
  /** A gradient vector the size of the parameters (lossAndGradient's `grad`). */
  gradient: number;
  /** Optimiser state slots (momentum / rmsprop / adam). */
  optimizerState: number;
  /** Module-level scratch buffers (activations, pre-activations, deltas, masks; the blocked shape's chunk buffers; the wasm kernels' copies of parameters, gradient, chunk inputs and input gradient). */
  scratch: number;
  /** train()'s own buffers: one batch of inputs and targets, the shuffle order, two parameter snapshots. */
  training: number;
  total: number;
}

export interface Plan {
  name: string;
  fileName: string;
  sourceHash: string;
  precision: Precision;
  inputs: number;
  outputs: number;
  parameters: number;
  layout: TensorLayout[];
  layers: PlannedLayer[];
  buffers: PlannedBuffer[];
  loss: { kind: LossKind; fused: boolean };
  /** Name of the buffer holding the network's output. */
  output: string;
  /** The activation whose kind decides accuracy for a single output (the last dense layer's). */
  outputActivation: Activation;
  hasDropout: boolean;
  /** Code shape of the per-output loops (loss, output delta, accuracy): one element per output. */
  outputShape: ShapeDecision;
  unrollLimit: number;
  /** How lossAndGradient walks a batch (per sample, or blocked matrix products over chunks). */
  batch: BatchDecision;
  /** How the per-sample shape runs a sample in lossAndGradient (always "layers" for blocked). */
  sample: SampleDecision;
  /** Chunk-sized buffers of the blocked batch shape (empty for per-sample): rows × layer width. */
  batchBuffers: PlannedBuffer[];
  memory: MemoryEstimate;
}

export interface PlanOptions {
  /** Overrides the spec's precision. */
  precision?: Precision;
  /** Overrides UNROLL_LIMIT (tests force all-loops with 0 and all-unrolled with Infinity). */
  unrollLimit?: number;
  /** Forces the batch shape (tests cover both on every kind of net); default: decided by the plan. */
  batchShape?: BatchShape;
  /** Overrides CHUNK_LIMIT (tests use small chunks so a batch spans several). */
  chunkLimit?: number;
  /** Overrides TILE (measurement scripts and tests). */
  tile?: { samples?: number; outputs?: number };
  /** Forces the blocked shape's kernel ("ts" keeps the TS blocked code only); default: decided by the plan. */
  kernel?: KernelKind;
  /** Forces the per-sample shape's sample code: "layers" always; "fused" whenever every layer is unrolled, f64, no dropout (tests cover both). */
  sampleShape?: SampleShape;
}

/** Buffer names of the blocked batch shape: chunk rows of a layer's z, a, dL/dz, dL/da. */
export function batchName(name: string): string {
  return `${name}B`;
}

/** Plan one spec. Throws an Error for IRs the validator should have refused (they are not user input). */
export function planSpec(spec: Spec, options: PlanOptions = {}): Plan {
  const precision = options.precision ?? spec.precision;
  const limit = options.unrollLimit ?? UNROLL_LIMIT;
  const decide = (multiplyAdds: number, what: string): ShapeDecision =>
    multiplyAdds <= limit
      ? { shape: "unrolled", multiplyAdds, reason: `${what}: ${multiplyAdds} multiply-adds ≤ ${limit}, unrolled code is faster` }
      : {
          shape: "loop",
          multiplyAdds,
          reason: `${what}: ${multiplyAdds} multiply-adds > ${limit}, loops with literal bounds keep the function small and optimisable`,
        };
  if (spec.layers.length === 0) throw new Error("plan: a spec needs at least one layer");
  const lossMath = LOSSES[spec.loss.kind];
  const last = spec.layers[spec.layers.length - 1]!;
  if (lossMath.fused && last.kind !== "dense") {
    throw new Error(`plan: ${spec.loss.kind} needs a dense output layer (it reads the pre-activations)`);
  }
  if (lossMath.requires !== null && (last.kind !== "dense" || last.activation.kind !== lossMath.requires)) {
    throw new Error(`plan: ${spec.loss.kind} requires a ${lossMath.requires} output layer`);
  }

  const layout: TensorLayout[] = [];
  const layers: PlannedLayer[] = [];
  const buffers: PlannedBuffer[] = [];
  let offset = 0;
  let denseNumber = 0;
  let input: InputSource = { kind: "sample" };
  let width = spec.inputs;
  let outputActivation: Activation = { kind: "linear", alpha: 0 };

  spec.layers.forEach((layer, index) => {
    const position = index + 1;
    const isLast = index === spec.layers.length - 1;
    const gradientTarget: InputGradientTarget = input.kind === "sample" ? { kind: "sample" } : { kind: "buffer", name: `GA${position - 1}` };
    if (layer.kind === "dense") {
      if (layer.inputs !== width) throw new Error(`plan: layer ${position} takes ${layer.inputs} inputs but gets ${width}`);
      denseNumber += 1;
      const weightOffset = offset;
      const biasOffset = offset + layer.inputs * layer.outputs;
      layout.push({ name: `layer${denseNumber}.weight`, offset: weightOffset, shape: [layer.outputs, layer.inputs], size: layer.inputs * layer.outputs });
      layout.push({ name: `layer${denseNumber}.bias`, offset: biasOffset, shape: [layer.outputs], size: layer.outputs });
      offset = biasOffset + layer.outputs;
      const act = ACTIVATIONS[layer.activation.kind];
      const fusedOutput = isLast && lossMath.fused;
      const needsZ = act.derivative.variables.includes("z") || (isLast && lossMath.term.variables.includes("z")) || act.vector;
      const z = needsZ ? `Z${position}` : null;
      const a = `A${position}`;
      const dz = `DZ${position}`;
      const ga = fusedOutput ? null : `GA${position}`;
      if (z !== null) buffers.push({ name: z, size: layer.outputs, precision, holds: `layer ${position} pre-activations z` });
      buffers.push({ name: a, size: layer.outputs, precision, holds: `layer ${position} activations a = ${layer.activation.kind}(z)` });
      buffers.push({ name: dz, size: layer.outputs, precision, holds: `layer ${position} dL/dz` });
      if (ga !== null) buffers.push({ name: ga, size: layer.outputs, precision, holds: `layer ${position} dL/da` });
      const macs = layer.inputs * layer.outputs;
      layers.push({
        kind: "dense",
        position,
        number: denseNumber,
        inputs: layer.inputs,
        outputs: layer.outputs,
        activation: layer.activation,
        weightOffset,
        biasOffset,
        input,
        gradientTarget,
        z,
        a,
        dz,
        ga,
        fusedOutput,
        forward: decide(macs, `forward ${layer.inputs}→${layer.outputs}`),
        backward: decide(2 * macs, `backward ${layer.inputs}→${layer.outputs} (weight gradient + input gradient)`),
      });
      outputActivation = layer.activation;
      width = layer.outputs;
      input = { kind: "buffer", name: a };
    } else {
      if (layer.size !== width) throw new Error(`plan: dropout layer ${position} has size ${layer.size} but gets ${width}`);
      const a = `A${position}`;
      const mask = `MASK${position}`;
      const ga = `GA${position}`;
      buffers.push({ name: a, size: width, precision, holds: `layer ${position} dropout output` });
      buffers.push({ name: mask, size: width, precision: "f64", holds: `layer ${position} dropout mask (0 or 1/(1 − rate))` });
      buffers.push({ name: ga, size: width, precision, holds: `layer ${position} dL/da` });
      layers.push({
        kind: "dropout",
        position,
        size: width,
        rate: layer.rate,
        input,
        gradientTarget,
        a,
        mask,
        ga,
        shape: decide(width, `dropout over ${width} units`),
      });
      input = { kind: "buffer", name: a };
    }
  });
  if (width !== spec.outputs) throw new Error(`plan: the last layer gives ${width} outputs but the spec declares ${spec.outputs}`);

  const batch = Math.max(1, spec.training.batchSize);
  const hasDropout = layers.some((l) => l.kind === "dropout");
  const batchDecision = decideBatch(layers, hasDropout, batch, options, precision);
  const sample = decideSample(layers, hasDropout, batchDecision, options, precision, limit);
  if (sample.shape === "fused") {
    // The fused body keeps dL/dz and dL/da in locals: those scratch buffers are never read.
    const unused = new Set(layers.flatMap((l) => (l.kind === "dense" ? [l.dz, l.ga] : [])));
    buffers.splice(0, buffers.length, ...buffers.filter((b) => !unused.has(b.name)));
  }
  const batchBuffers: PlannedBuffer[] = [];
  if (batchDecision.shape === "blocked") {
    for (const l of layers) {
      if (l.kind !== "dense") continue;
      for (const name of [l.z, l.a, l.dz, l.ga]) {
        if (name === null) continue;
        batchBuffers.push({ name: batchName(name), size: batchDecision.chunk * l.outputs, precision, holds: `${name} for a chunk of ${batchDecision.chunk} samples (row-major)` });
      }
    }
  }

  const bytesPerNumber = precision === "f32" ? 4 : 8;
  const parameters = offset;
  const slots = { sgd: 0, momentum: 1, rmsprop: 1, adam: 2 }[spec.training.optimizer.kind];
  // The wasm kernels' memory holds the chunk buffers (counted above) plus a copy of the parameters and the
  // gradient, the chunk's inputs and input gradient (src/emit/wasm/kernels.ts; ignoring < 64 KiB of page
  // rounding).
  const bytes = precision === "f32" ? 4 : 8;
  const kernelCopies = batchDecision.kernel.kind === "wasm" ? (2 * offset + 2 * batchDecision.chunk * spec.inputs) * bytes : 0;
  const scratch = [...buffers, ...batchBuffers].reduce((sum, b) => sum + b.size * (b.precision === "f32" ? 4 : 8), 0) + kernelCopies;
  const memory: MemoryEstimate = {
    bytesPerNumber,
    parameters: parameters * bytesPerNumber,
    gradient: parameters * bytesPerNumber,
    optimizerState: slots * parameters * bytesPerNumber,
    scratch,
    training: batch * (spec.inputs + spec.outputs) * bytesPerNumber + 2 * parameters * bytesPerNumber,
    total: 0,
  };
  memory.total = memory.parameters + memory.gradient + memory.optimizerState + memory.scratch + memory.training;

  return {
    name: spec.name,
    fileName: spec.fileName,
    sourceHash: spec.sourceHash,
    precision,
    inputs: spec.inputs,
    outputs: spec.outputs,
    parameters,
    layout,
    layers,
    buffers,
    loss: { kind: spec.loss.kind, fused: lossMath.fused },
    output: layers[layers.length - 1]!.a,
    outputActivation,
    hasDropout,
    outputShape: decide(spec.outputs, `loss over ${spec.outputs} outputs`),
    unrollLimit: limit,
    batch: batchDecision,
    sample,
    batchBuffers,
    memory,
  };
}

/**
 * Blocked when some dense layer is too big to unroll (a medium net: matrix products over a chunk reuse each
 * weight and input load across several samples and outputs), unless dropout (its masks are drawn sample by
 * sample, layer by layer, and the blocked order would change the stream) or a batch of one.
 */
function decideBatch(layers: PlannedLayer[], hasDropout: boolean, batch: number, options: PlanOptions, precision: Precision): BatchDecision {
  const shape = decideShape(layers, hasDropout, batch, options);
  return { ...shape, kernel: shape.shape === "blocked" ? decideKernel(precision, options) : { kind: "ts", reason: "per-sample code has no matrix products" } };
}

/**
 * WebAssembly SIMD kernels for every blocked module (measured 2–4× faster than the TS kernels at every
 * size tried: docs/performance.md): f64x2 for f64 modules; f32x4 for f32 modules (f32 storage and f32
 * arithmetic, as TF.js and PyTorch compute f32 nets; their TS fallback computes in f64 and rounds on store).
 */
function decideKernel(precision: Precision, options: PlanOptions): { kind: KernelKind; reason: string } {
  if (options.kernel !== undefined) return { kind: options.kernel, reason: "forced by the kernel option" };
  return {
    kind: "wasm",
    reason: `${precision === "f32" ? "f32x4 SIMD kernels in WebAssembly (f32 storage and f32 arithmetic)" : "f64x2 SIMD kernels in WebAssembly"}, measured faster at every size tried (TS blocked code as the fallback when the module cannot instantiate them)`,
  };
}

function decideShape(layers: PlannedLayer[], hasDropout: boolean, batch: number, options: PlanOptions): Omit<BatchDecision, "kernel"> {
  const chunk = Math.max(1, Math.min(batch, options.chunkLimit ?? CHUNK_LIMIT));
  const tile = { samples: options.tile?.samples ?? TILE.samples, outputs: options.tile?.outputs ?? TILE.outputs };
  if (hasDropout) return { shape: "per-sample", chunk: 0, tile, reason: "dropout masks are drawn sample by sample; the per-sample walk keeps their order" };
  if (options.batchShape !== undefined) {
    return options.batchShape === "blocked"
      ? { shape: "blocked", chunk, tile, reason: "forced by the batchShape option" }
      : { shape: "per-sample", chunk: 0, tile, reason: "forced by the batchShape option" };
  }
  if (batch < 2) return { shape: "per-sample", chunk: 0, tile, reason: "batch of one sample: nothing to block over" };
  const looped = layers.find((l) => l.kind === "dense" && l.forward.shape === "loop");
  if (looped === undefined) return { shape: "per-sample", chunk: 0, tile, reason: "every layer is small enough to unroll: per-sample unrolled code is fastest" };
  return {
    shape: "blocked",
    chunk,
    tile,
    reason: `layer ${looped.position} is too big to unroll: matrix products over chunks of ${chunk} samples with register blocking`,
  };
}

/**
 * Fused per-sample code when the whole net is small enough to unroll as one function: per-sample batches, f64
 * (an f32 module rounds at every store into its Float32Array buffers; locals would move those rounding
 * points), no dropout (masks live in the layer functions' buffers), every dense layer unrolled, and the
 * forward plus backward multiply-adds of all layers together within the unroll limit (one function, so the
 * same size bound that keeps V8 optimising it).
 */
function decideSample(layers: PlannedLayer[], hasDropout: boolean, batch: Omit<BatchDecision, "kernel">, options: PlanOptions, precision: Precision, limit: number): SampleDecision {
  if (batch.shape !== "per-sample") return { shape: "layers", reason: "blocked batches run layer by layer" };
  if (options.sampleShape === "layers") return { shape: "layers", reason: "forced by the sampleShape option" };
  if (hasDropout) return { shape: "layers", reason: "dropout masks are drawn and kept by the layer functions" };
  if (precision !== "f64") return { shape: "layers", reason: "f32 rounds at every store into the scratch buffers; locals would move the rounding points" };
  const dense = layers.filter((l): l is PlannedDense => l.kind === "dense");
  if (dense.some((l) => l.forward.shape !== "unrolled" || l.backward.shape !== "unrolled")) return { shape: "layers", reason: "some layer is looped" };
  const macs = dense.reduce((sum, l) => sum + l.forward.multiplyAdds + l.backward.multiplyAdds, 0);
  if (options.sampleShape === "fused") return { shape: "fused", reason: "forced by the sampleShape option" };
  if (macs > limit) return { shape: "layers", reason: `the whole net does ${macs} multiply-adds per sample (forward and backward) > ${limit}: too big for one unrolled function` };
  return {
    shape: "fused",
    reason: `the whole net does ${macs} multiply-adds per sample (forward and backward) ≤ ${limit}: one unrolled loop body with activations, deltas and gradient sums in locals`,
  };
}

/** The plan as readable text (for `DEBUG`-style dumps and docs). */
export function formatPlan(plan: Plan): string {
  const lines = [`plan ${plan.name} (${plan.precision}): ${plan.parameters} parameters, unroll limit ${plan.unrollLimit} multiply-adds per function`];
  for (const t of plan.layout) lines.push(`  ${t.name} [${t.shape.join(", ")}] at ${t.offset} (${t.size})`);
  for (const l of plan.layers) {
    if (l.kind === "dense") {
      lines.push(`  layer ${l.position} dense ${l.inputs}→${l.outputs} ${l.activation.kind}`);
      lines.push(`    forward ${l.forward.shape}: ${l.forward.reason}`);
      lines.push(`    backward ${l.backward.shape}: ${l.backward.reason}`);
    } else {
      lines.push(`  layer ${l.position} dropout ${l.size} rate ${l.rate}: ${l.shape.shape}`);
    }
  }
  lines.push(`  batch ${plan.batch.shape}${plan.batch.shape === "blocked" ? ` (chunks of ${plan.batch.chunk})` : ""}: ${plan.batch.reason}`);
  if (plan.batch.shape === "per-sample") lines.push(`  sample ${plan.sample.shape}: ${plan.sample.reason}`);
  if (plan.batch.shape === "blocked") lines.push(`  kernel ${plan.batch.kernel.kind}: ${plan.batch.kernel.reason}`);
  for (const b of [...plan.buffers, ...plan.batchBuffers]) lines.push(`  buffer ${b.name} [${b.size}] ${b.precision}: ${b.holds}`);
  const m = plan.memory;
  lines.push(
    `  memory: parameters ${m.parameters} B, gradient ${m.gradient} B, optimiser ${m.optimizerState} B, scratch ${m.scratch} B, training ${m.training} B, total ${m.total} B`,
  );
  return lines.join("\n");
}
