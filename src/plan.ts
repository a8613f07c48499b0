// The plan: every decision the code generator makes about one spec, as pure, printable data, before any
// code is written. Parameter layout (offsets per tensor), scratch buffers and their sizes, the memory the
// module needs, and per layer the code shape (fully unrolled vs loops with literal bounds) with the reason.
// The emitters in src/emit/ only read the plan and the spec; a later performance pass changes the plan's
// decisions (e.g. a new code shape) without touching the emitters of the other stages.
import type { Activation, LossKind, Precision, Spec } from "./ir.js";
import { ACTIVATIONS, LOSSES, OPTIMIZERS, callsElementary } from "./maths.js";
import type { TensorLayout } from "./module-api.js";
import { ruleOf, type PlannedLayer } from "./layers/index.js";
import { parameterLayoutOf, tensorLayouts } from "./layers/layout.js";
import { sizeOf, type PlacedTensor, type Shape } from "./layers/rule.js";
import type { ChunkActivation, CodeShape, InputGradientTarget, InputSource, PlannedBuffer, PlannedMatmul, ShapeDecision } from "./plan/base.js";
import { planKernels, type KernelPlan } from "./plan/kernels.js";

export type { ChunkActivation, CodeShape, InputGradientTarget, InputSource, PlannedBuffer, PlannedMatmul, ShapeDecision } from "./plan/base.js";
export type { KernelPlan } from "./plan/kernels.js";
export type { BatchDecision, BatchShape, KernelKind, MemoryEstimate, PlanOf, SampleDecision, SampleShape } from "./plan/types.js";
import type { BatchDecision, BatchShape, KernelKind, MemoryEstimate, PlanOf, SampleDecision, SampleShape } from "./plan/types.js";

/** The plan of one spec (src/plan/types.ts), with every layer in its rule's planned form. */
export type Plan = PlanOf<PlannedLayer>;
import { batchName } from "./plan/base.js";
import { preprocessingOf } from "./network-identity.js";
export { batchName } from "./plan/base.js";
export type { PlannedDense, PlannedDropout, PlannedLayer } from "./layers/index.js";

/**
 * Fully unroll a function when it does at most this many multiply-adds. Measured with
 * scripts/measure-unroll.mjs (figures in docs/module.md): unrolled code is 1.1–4× faster than literal-bound
 * loops up to about 1,000 multiply-adds per function, and past ~2,000 (≈50 KB of source) V8 stops
 * optimising the function and it runs 20–40× slower. 512 keeps every unrolled function well inside the
 * fast region.
 */
export const UNROLL_LIMIT = 512;

/**
 * Blocked batches are processed in chunks of at most this many samples (the chunk's activations and deltas
 * are module-level buffers). Measured with scripts/perf-batch.ts (docs/performance.md, "Optimisations").
 */
export const CHUNK_LIMIT = 256;

/** Register tile of the blocked shape (measured: docs/performance.md, "Optimisations"). */
export const TILE = { samples: 4, outputs: 4 };

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
  const lastActivation = ruleOf(last).activation(last);
  if (lossMath.fused && lastActivation === null) {
    throw new Error(`plan: ${spec.loss.kind} needs a dense output layer (it reads the pre-activations)`);
  }
  if (lossMath.requires !== null && lastActivation?.kind !== lossMath.requires) {
    throw new Error(`plan: ${spec.loss.kind} requires a ${lossMath.requires} output layer`);
  }

  const parameterLayout = parameterLayoutOf(spec.layers);
  const layers: PlannedLayer[] = [];
  const buffers: PlannedBuffer[] = [];
  let input: InputSource = { kind: "sample" };
  let shape: Shape = spec.inputShape;
  let outputActivation: Activation = { kind: "linear", alpha: 0 };

  spec.layers.forEach((layer, index) => {
    const position = index + 1;
    const gradientTarget: InputGradientTarget = input.kind === "sample" ? { kind: "sample" } : { kind: "buffer", name: `GA${position - 1}` };
    const rule = ruleOf(layer);
    const planned = rule.plan(layer, {
      position,
      isLast: index === spec.layers.length - 1,
      input,
      gradientTarget,
      shape,
      width: sizeOf(shape),
      number: parameterLayout.numbers[index]!,
      tensors: parameterLayout.byLayer[index]!,
      precision,
      loss: lossMath,
      decide,
    });
    layers.push(planned.planned as PlannedLayer);
    buffers.push(...planned.buffers);
    outputActivation = rule.activation(layer) ?? outputActivation;
    shape = rule.outputShape(layer, shape);
    input = { kind: "buffer", name: planned.planned.a };
  });
  if (sizeOf(shape) !== spec.outputs) throw new Error(`plan: the last layer gives ${sizeOf(shape)} outputs but the spec declares ${spec.outputs}`);

  const batch = Math.max(1, spec.training.batchSize);
  const hasDropout = layers.some((l) => ruleOf(l).sample.drawsMasks);
  const batchDecision = decideBatch(layers, batch, options, precision);
  const sample = decideSample(layers, batchDecision, options, precision, limit, spec.training.batchSize);
  if (sample.shape === "fused") {
    // The fused body keeps some buffers (dense: dL/dz and dL/da) in locals: those are never read.
    const unused = new Set(layers.flatMap((l) => ruleOf(l).fused.locals?.(l) ?? []));
    buffers.splice(0, buffers.length, ...buffers.filter((b) => !unused.has(b.name)));
    buffers.push(...fusedBlockBuffers(layers, buffers, sample, spec.loss.kind));
  }
  const batchBuffers: PlannedBuffer[] = [];
  const matmuls: PlannedMatmul[] = [];
  const activations: ChunkActivation[] = [];
  if (batchDecision.shape === "blocked") {
    const sizes = new Map(buffers.map((b) => [b.name, b.size]));
    for (const l of layers) {
      const blocked = ruleOf(l).blocked;
      for (const name of blocked.chunkBuffers?.(l) ?? []) {
        const size = sizes.get(name)!;
        batchBuffers.push({
          name: batchName(name),
          size: batchDecision.chunk * size,
          precision,
          holds: `${name} for a chunk of ${batchDecision.chunk} samples (row-major)`,
        });
      }
      for (const b of blocked.chunkOnlyBuffers?.(l) ?? []) {
        batchBuffers.push({
          precision,
          name: batchName(b.name),
          size: batchDecision.chunk * b.size,
          holds: `${b.holds}, for a chunk of ${batchDecision.chunk} samples`,
        });
      }
      matmuls.push(...(blocked.matmuls?.(l) ?? []));
      activations.push(...(blocked.activations?.(l) ?? []));
    }
    // The blocked strategies back-propagate through the chunk copies: the per-sample dL/dz, dL/da are never
    // read, except the output delta (the chunk's rows go through outputDelta one at a time).
    const unused = new Set(layers.flatMap((l) => ruleOf(l).blocked.sampleBackwardBuffers?.(l) ?? []));
    unused.delete(outputDeltaOf(layers[layers.length - 1]!, lossMath.fused));
    buffers.splice(0, buffers.length, ...buffers.filter((b) => !unused.has(b.name)));
  }

  const parameters = parameterLayout.count;
  const preprocessing = preprocessingOf(spec, parameters);
  const kernels =
    batchDecision.kernel.kind === "wasm"
      ? planKernels({
          precision,
          parameters,
          inputs: spec.inputs,
          outputs: spec.outputs,
          chunk: batchDecision.chunk,
          batchBuffers,
          activations,
          lastLayer: layers.length,
          loss: spec.loss.kind,
          optimizer: spec.training.optimizer,
          inputScale: preprocessing.normalize === "none" && preprocessing.scale !== 1 ? preprocessing.scale : null,
        })
      : null;
  const bytesPerNumber = precision === "f32" ? 4 : 8;
  const slots = OPTIMIZERS[spec.training.optimizer.kind].slots.length;
  // The wasm kernels' memory holds the chunk buffers (counted above) plus a copy of the parameters (and
  // their transpose PT, f32), the gradient, the chunk's inputs and input gradient (src/emit/wasm/kernels.ts;
  // ignoring < 64 KiB of page rounding).
  const bytes = precision === "f32" ? 4 : 8;
  const copies = kernels?.packedForward === true ? 3 : 2;
  const kernelCopies = kernels !== null ? (copies * parameters + 2 * batchDecision.chunk * spec.inputs) * bytes : 0;
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
    inputShape: spec.inputShape,
    outputs: spec.outputs,
    parameters,
    layout: tensorLayouts(parameterLayout.tensors),
    tensors: parameterLayout.tensors,
    layers,
    buffers,
    loss: { kind: spec.loss.kind, fused: lossMath.fused },
    output: layers[layers.length - 1]!.a,
    outputDelta: outputDeltaOf(layers[layers.length - 1]!, lossMath.fused),
    outputActivation,
    hasDropout,
    outputShape: decide(spec.outputs, `loss over ${spec.outputs} outputs`),
    unrollLimit: limit,
    batch: batchDecision,
    sample,
    batchBuffers,
    matmuls,
    kernels,
    memory,
  };
}

/**
 * Blocked when some layer is too big to unroll (a medium net: matrix products over a chunk reuse each
 * weight and input load across several samples and outputs), unless a layer's rule cannot run blocked
 * (dropout: its masks are drawn sample by sample, layer by layer, and the blocked order would change the
 * stream) or a batch of one.
 */
function decideBatch(layers: PlannedLayer[], batch: number, options: PlanOptions, precision: Precision): BatchDecision {
  const shape = decideShape(layers, batch, options);
  return {
    ...shape,
    kernel: shape.shape === "blocked" ? decideKernel(layers, precision, options) : { kind: "ts", reason: "per-sample code has no matrix products" },
  };
}

/**
 * WebAssembly SIMD kernels for every blocked module (measured 2–4× faster than the TS kernels at every
 * size tried: docs/performance.md): f64x2 for f64 modules; f32x4 for f32 modules (f32 storage and f32
 * arithmetic, as TF.js and PyTorch compute f32 nets; their TS fallback computes in f64 and rounds on store).
 */
function decideKernel(layers: PlannedLayer[], precision: Precision, options: PlanOptions): { kind: KernelKind; reason: string } {
  const without = layers.find((l) => ruleOf(l).blocked.kernelForward === undefined || ruleOf(l).blocked.kernelBackward === undefined);
  if (without !== undefined) return { kind: "ts", reason: `layer ${without.position}: its rule has no kernel-path code (blocked TS code only)` };
  if (options.kernel !== undefined) return { kind: options.kernel, reason: "forced by the kernel option" };
  return {
    kind: "wasm",
    reason: `${precision === "f32" ? "f32x4 SIMD kernels in WebAssembly (f32 storage and f32 arithmetic)" : "f64x2 SIMD kernels in WebAssembly"}, measured faster at every size tried (TS blocked code as the fallback when the module cannot instantiate them)`,
  };
}

/** The hooks a rule that supports a strategy must give (checked here, so a missing one is a stated reason, never an emit-time failure). */
const REQUIRED_HOOKS = {
  blocked: ["forwardChunk", "forwardChunkCall", "backwardChunk", "backwardChunkCall"],
  fused: ["forward", "backward"],
} as const;

/** The first layer whose rule does not support a strategy, with the rule's reason. */
function unsupported(layers: PlannedLayer[], strategy: "blocked" | "fused"): string | null {
  for (const l of layers) {
    const support = ruleOf(l)[strategy];
    if (!support.supported) return `layer ${l.position}: ${support.reason}`;
    const missing = REQUIRED_HOOKS[strategy].filter((hook) => (support as Record<string, unknown>)[hook] === undefined);
    if (missing.length > 0) return `layer ${l.position}: its rule supports the ${strategy} strategy but has no ${missing.join(", ")}`;
  }
  return null;
}

function decideShape(layers: PlannedLayer[], batch: number, options: PlanOptions): Omit<BatchDecision, "kernel"> {
  const chunk = Math.max(1, Math.min(batch, options.chunkLimit ?? CHUNK_LIMIT));
  const tile = { samples: options.tile?.samples ?? TILE.samples, outputs: options.tile?.outputs ?? TILE.outputs };
  const refused = unsupported(layers, "blocked");
  if (refused !== null) return { shape: "per-sample", chunk: 0, tile, reason: refused };
  if (options.batchShape !== undefined) {
    return options.batchShape === "blocked"
      ? { shape: "blocked", chunk, tile, reason: "forced by the batchShape option" }
      : { shape: "per-sample", chunk: 0, tile, reason: "forced by the batchShape option" };
  }
  if (batch < 2) return { shape: "per-sample", chunk: 0, tile, reason: "batch of one sample: nothing to block over" };
  const looped = layers.find((l) => ruleOf(l).forwardCost(l).shape === "loop");
  if (looped === undefined)
    return { shape: "per-sample", chunk: 0, tile, reason: "every layer is small enough to unroll: per-sample unrolled code is fastest" };
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
 * points), every layer's rule supports it (dropout does not: masks live in the layer functions' buffers),
 * every function unrolled, and the multiply-adds of all layers together within the unroll limit (one
 * function, so the same size bound that keeps V8 optimising it).
 */
function decideSample(
  layers: PlannedLayer[],
  batch: Omit<BatchDecision, "kernel">,
  options: PlanOptions,
  precision: Precision,
  limit: number,
  batchSize: number,
): SampleDecision {
  const hoistParameters = batchSize > 1;
  if (batch.shape !== "per-sample") return layerByLayer("blocked batches run layer by layer");
  if (options.sampleShape === "layers") return layerByLayer("forced by the sampleShape option");
  const refused = unsupported(layers, "fused");
  if (refused !== null) return layerByLayer(refused);
  if (precision !== "f64") return layerByLayer("f32 rounds at every store into the scratch buffers; locals would move the rounding points");
  const decisions = layers.flatMap((l) =>
    ruleOf(l)
      .decisions(l)
      .map(([, d]) => d),
  );
  if (decisions.some((d) => d.shape !== "unrolled")) return layerByLayer("some layer is looped");
  const macs = decisions.reduce((sum, d) => sum + d.multiplyAdds, 0);
  // Batch-wide activations need several samples; a batch of one keeps the single loop.
  const batchActivations = batchSize > 1 ? layers.filter(activationCallsElementary).map((l) => l.position) : [];
  const block = batchActivations.length === 0 ? 0 : Math.min(batchSize, FUSED_BLOCK_LIMIT);
  const wide = { hoistParameters, batchActivations, block };
  if (options.sampleShape === "fused") return { shape: "fused", reason: "forced by the sampleShape option", ...wide };
  if (macs > limit)
    return layerByLayer(`the whole net does ${macs} multiply-adds per sample (forward and backward) > ${limit}: too big for one unrolled function`);
  return {
    shape: "fused",
    reason: `the whole net does ${macs} multiply-adds per sample (forward and backward) ≤ ${limit}: one unrolled loop body with activations, deltas and gradient sums in locals`,
    ...wide,
  };
}

/**
 * The fused body's block buffers when it has batch-wide activations: for every layer up to the last of them,
 * FA<p> (its activations, or its z until the pass turns them into activations), FZ<p> when the
 * per-sample loop after the passes reads z (a derivative of z, or the loss's term at the output), and FL<p>
 * at the output when the loss has a batch-wide part (binary cross-entropy's log(1 + e^−|z|)).
 */
function fusedBlockBuffers(layers: PlannedLayer[], buffers: PlannedBuffer[], sample: SampleDecision, loss: LossKind): PlannedBuffer[] {
  const last = sample.batchActivations[sample.batchActivations.length - 1];
  if (last === undefined) return [];
  const widths = new Map(buffers.map((b) => [b.name, b.size]));
  return layers
    .filter((l) => l.position <= last)
    .flatMap((l) => {
      const act = ACTIVATIONS[l.activation?.kind ?? "linear"];
      const size = sample.block * widths.get(l.a)!;
      const rows = `for a block of ${sample.block} samples (row-major)`;
      const readsZ = act.derivative.variables.includes("z") || (l.position === layers.length && LOSSES[loss].term.variables.includes("z"));
      // The output layer's loss term, where the loss factors one out for a batch-wide pass (maths: batchTerm).
      const lossPart = l.position === layers.length && LOSSES[loss].batchTerm !== undefined;
      return [
        { name: `FA${l.position}`, size, precision: "f64" as const, holds: `layer ${l.position}'s activations ${rows}` },
        ...(readsZ ? [{ name: `FZ${l.position}`, size, precision: "f64" as const, holds: `layer ${l.position}'s pre-activations ${rows}` }] : []),
        ...(lossPart
          ? [{ name: `FL${l.position}`, size, precision: "f64" as const, holds: `the loss's batch-wide part of layer ${l.position}'s z ${rows}` }]
          : []),
      ];
    });
}

function layerByLayer(reason: string): SampleDecision {
  return { shape: "layers", reason, hoistParameters: false, batchActivations: [], block: 0 };
}

/** The most samples a fused block holds: its buffers are block × width numbers (src/emit/fused.ts). */
const FUSED_BLOCK_LIMIT = 1024;

/** True for a layer whose element-wise activation calls one of nnc's elementary functions (tanh, σ). */
function activationCallsElementary(l: PlannedLayer): boolean {
  if (l.activation === null) return false;
  const act = ACTIVATIONS[l.activation.kind];
  return !act.vector && callsElementary(act.forward);
}

function outputDeltaOf(last: PlannedLayer, fused: boolean): string {
  const delta = fused ? last.dz : last.ga;
  if (delta === null) throw new Error(`plan: the output layer ${last.position} has no ${fused ? "dL/dz" : "dL/da"} buffer for the loss`);
  return delta;
}

/** The plan as readable text (for `DEBUG`-style dumps and docs). */
export function formatPlan(plan: Plan): string {
  const lines = [`plan ${plan.name} (${plan.precision}): ${plan.parameters} parameters, unroll limit ${plan.unrollLimit} multiply-adds per function`];
  for (const t of plan.layout) lines.push(`  ${t.name} [${t.shape.join(", ")}] at ${t.offset} (${t.size})`);
  for (const l of plan.layers) {
    const rule = ruleOf(l);
    lines.push(`  layer ${l.position} ${rule.planLine(l)}`);
    for (const [what, d] of rule.decisions(l)) lines.push(`    ${what} ${d.shape}: ${d.reason}`);
  }
  lines.push(`  batch ${plan.batch.shape}${plan.batch.shape === "blocked" ? ` (chunks of ${plan.batch.chunk})` : ""}: ${plan.batch.reason}`);
  if (plan.batch.shape === "per-sample") lines.push(`  sample ${plan.sample.shape}: ${plan.sample.reason}`);
  if (plan.sample.hoistParameters) lines.push("  parameters read into locals once per batch (batches of several samples)");
  if (plan.sample.batchActivations.length > 0)
    lines.push(
      `  batch-wide activations of layers ${plan.sample.batchActivations.join(", ")} over blocks of ${plan.sample.block} samples (one inlined call site each)`,
    );
  if (plan.batch.shape === "blocked") lines.push(`  kernel ${plan.batch.kernel.kind}: ${plan.batch.kernel.reason}`);
  if (plan.kernels !== null) {
    const k = plan.kernels;
    if (k.activations.length > 0) lines.push(`  element-wise kernels: ${k.activations.map((a) => `${a.name} (${a.kind} of layer ${a.layer})`).join(", ")}`);
    if (k.outputLoss !== null) lines.push(`  output loss kernel o: σ, dL/dz and the loss of layer ${k.outputLoss.layer}`);
    const regions = [...k.memory.offsets].map(([name, at]) => `${name}@${at}`);
    lines.push(`  kernel memory: ${k.memory.pages} pages of 64 KiB; ${regions.join(", ")}`);
  }
  for (const m of plan.matmuls) {
    const from = m.input.kind === "sample" ? "the chunk's inputs" : m.input.name;
    lines.push(`  matmul ${m.id}: ${m.output} = ${from} · W[${m.outputs}×${m.inputs}]ᵀ + b (W at ${m.weightOffset}, b at ${m.biasOffset}); δ ${m.delta}`);
  }
  for (const b of [...plan.buffers, ...plan.batchBuffers]) lines.push(`  buffer ${b.name} [${b.size}] ${b.precision}: ${b.holds}`);
  const m = plan.memory;
  lines.push(
    `  memory: parameters ${m.parameters} B, gradient ${m.gradient} B, optimiser ${m.optimizerState} B, scratch ${m.scratch} B, training ${m.training} B, total ${m.total} B`,
  );
  return lines.join("\n");
}
