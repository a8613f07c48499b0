// The plan's types: the batch, sample and kernel decisions, the memory estimate, and the plan itself,
// generic in its planned layers so that the emitters' context and the layer rules (which the planner
// imports) can name a plan without importing the planner: no import cycle, types included.
import type { Activation, LossKind, Precision } from "../ir.js";
import type { TensorLayout } from "../module-api.js";
import type { PlacedTensor, PlannedLayerBase } from "../layers/types.js";
import type { PlannedBuffer, PlannedMatmul, ShapeDecision } from "./base.js";
import type { KernelPlan } from "./kernels.js";

/**
 * How lossAndGradient walks a batch. "per-sample": forward, loss and backward one sample at a time through
 * the per-layer functions (tiny nets: everything stays in registers and unrolled code). "blocked": layer by
 * layer over a chunk of samples as matrix products (Z = X·Wᵀ + b, dW += δᵀ·X, dX = δ·W) with register
 * blocking (several samples × several outputs per inner loop, accumulators in locals). Both sum every
 * product in the same order as the interpreter, so an f64 module gives bit-identical results either way.
 */
export type BatchShape = "per-sample" | "blocked";

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
  /**
   * Fused only: read every parameter into a local once per batch (measured faster for batches of several
   * samples, W2 and W3; not for W1's batches of one, where it is the same loads plus a longer function).
   */
  hoistParameters: boolean;
  /**
   * Fused only (empty otherwise): the layers, by position, whose activation calls one of nnc's elementary
   * functions (tanh, σ) and runs batch-wide: their z for a block of samples into a buffer, then the
   * activation over that buffer in a loop of its own, then the rest of the net per sample. A loop of its own
   * lets V8 inline the one call, which in the fused body its inlining budget would not (docs/performance.md,
   * 13). Batches of one keep the single loop.
   */
  batchActivations: number[];
  /** Fused with batchActivations: the samples per block, the rows of the buffers FA<p> and FZ<p> (else 0). */
  block: number;
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

/** The plan of one spec, its layers of type L: every rule's planned form (src/plan.ts Plan), or only their common part (what the emitters' context and the layer rules see). */
export interface PlanOf<L extends PlannedLayerBase> {
  name: string;
  fileName: string;
  sourceHash: string;
  precision: Precision;
  inputs: number;
  /** How a sample is read: [units], or [channels, height, width] (the spec's inputShape). */
  inputShape: number[];
  outputs: number;
  parameters: number;
  layout: TensorLayout[];
  /** The layout's tensors with their roles (what init and L2 apply to). */
  tensors: PlacedTensor[];
  layers: L[];
  buffers: PlannedBuffer[];
  loss: { kind: LossKind; fused: boolean };
  /** Name of the buffer holding the network's output. */
  output: string;
  /** The buffer outputDelta writes: the output layer's dL/dz when the loss is fused with its activation, else its dL/da. */
  outputDelta: string;
  /** The activation whose kind decides accuracy for a single output (the last layer's that has one). */
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
  /** The matrix products of the blocked batch shape, in layer order (empty for per-sample). */
  matmuls: PlannedMatmul[];
  /** The WebAssembly kernels' element-wise kernels and memory layout (null without kernels). */
  kernels: KernelPlan | null;
  memory: MemoryEstimate;
}
