// The WebAssembly kernels' part of the plan (plan.batch.kernel.kind === "wasm"): which element-wise kernels
// the module gets (f32 modules: σ and tanh layers, and the sigmoid + binary cross-entropy output), and the
// kernel memory layout — every region at a literal byte offset, decided here once and read by the kernel
// builder (src/emit/wasm/kernels.ts) and the module's views of that memory (src/emit/wasm/emit.ts).
import type { LossKind, Optimizer, Precision } from "../ir.js";
import type { ChunkActivation, PlannedBuffer } from "./base.js";

/** The optimisers whose step runs in the kernels (the u kernel). */
export type KernelStep = Extract<Optimizer, { kind: "sgd" | "adam" }>;

/** An f32 element-wise activation kernel: s<p> (σ) or h<p> (tanh) over the chunk's rows of one layer. */
export interface ActivationKernel extends ChunkActivation {
  name: string;
}

export interface KernelMemory {
  /** Byte offset of each region (P, PT when packedForward, G, XB, chunk buffers by name, GINB, YB and LOSS with the o kernel, LR with the u kernel). */
  offsets: Map<string, number>;
  /** Numbers in each region (of the module's precision; LOSS is one f64). */
  sizes: Map<string, number>;
  /** Bytes per number in each region. */
  elementBytes: Map<string, number>;
  pages: number;
}

export interface KernelPlan {
  activations: ActivationKernel[];
  /** The o kernel (σ, dL/dz = a − y and the loss of the output layer), or null: f32 sigmoid + binary cross-entropy only. */
  outputLoss: ChunkActivation | null;
  /**
   * The u kernel, or null: the optimiser's step over the parameters in kernel memory, in f64 arithmetic whatever
   * the precision (f32 values promoted, each stored value rounded once), so the same numbers as the TS step.
   * SGD: p ← p − lr·g, the rate in the f64 slot LR. Adam: its moments in M and V (copied in and out per step, as
   * the parameters), LR holding lr and the bias corrections c1, c2. Momentum and RMSprop stay in TS.
   */
  step: KernelStep | null;
  /**
   * f<p> reads the weights from their transpose in PT (the r kernel, per copy of the parameters): f32 only.
   * Measured (docs/performance.md, "Kernels near the ceiling"): f32 forward 88–100 % of the SIMD128 ceiling
   * against 57–66 % gathering from the weight rows; f64 slower (W5 f1 65–70 % against 83 %, and the 2 × 2
   * transpose ~170 µs a call), so f64 keeps the gather.
   */
  packedForward: boolean;
  /**
   * The c kernel, or null: the spec's data scale when it scales its inputs and normalises nothing, applied in
   * place to the chunk's raw rows in XB, so the raw entries (the predictor, predictBatch, evaluate) preprocess in
   * the kernels: f32 promoted, multiplied in f64, rounded once, as the TS preprocess (the same bits).
   */
  inputScale: number | null;
  memory: KernelMemory;
}

/** Bytes read past a region's end by a tail vector (never stored). */
const SLACK = 64;

export function planKernels(input: {
  precision: Precision;
  parameters: number;
  inputs: number;
  outputs: number;
  chunk: number;
  batchBuffers: PlannedBuffer[];
  /** Every layer's activation after its product, in layer order. */
  activations: ChunkActivation[];
  /** Position of the network's last layer. */
  lastLayer: number;
  loss: LossKind;
  optimizer: Optimizer;
  /** The data scale of a spec that scales its inputs and normalises nothing; else null. */
  inputScale: number | null;
}): KernelPlan {
  const f32 = input.precision === "f32";
  const activations = f32
    ? input.activations.flatMap((op) =>
        op.kind === "sigmoid" ? [{ ...op, name: `s${op.layer}` }] : op.kind === "tanh" ? [{ ...op, name: `h${op.layer}` }] : [],
      )
    : [];
  const last = input.activations[input.activations.length - 1];
  const outputLoss =
    f32 && last !== undefined && last.layer === input.lastLayer && last.kind === "sigmoid" && input.loss === "binary_crossentropy" ? last : null;
  const E = f32 ? 4 : 8;
  const o = input.optimizer;
  const step = o.kind === "sgd" || o.kind === "adam" ? o : null;
  const regions: [string, number, number][] = [
    ["P", input.parameters, E],
    ["G", input.parameters, E],
    // the weights transposed (the r kernel, per call), for the forward's contiguous vector loads
    ...(f32 ? ([["PT", input.parameters, E]] as [string, number, number][]) : []),
    ["XB", input.chunk * input.inputs, E],
    ...input.batchBuffers.map((b): [string, number, number] => [b.name, b.size, E]),
    ["GINB", input.chunk * input.inputs, E],
    // the o kernel's chunk targets and the f64 running loss (f32 sigmoid + binary cross-entropy only)
    ...(outputLoss !== null
      ? ([
          ["YB", input.chunk * input.outputs, E],
          ["LOSS", 1, 8],
        ] as [string, number, number][])
      : []),
    // Adam's moments (the u kernel's state, copied in and out per step)
    ...(step?.kind === "adam"
      ? ([
          ["M", input.parameters, E],
          ["V", input.parameters, E],
        ] as [string, number, number][])
      : []),
    // the u kernel's learning rate, and Adam's bias corrections c1, c2 after it (f64)
    ...(step !== null ? ([["LR", step.kind === "adam" ? 3 : 1, 8]] as [string, number, number][]) : []),
  ];
  const offsets = new Map<string, number>();
  const sizes = new Map<string, number>();
  const elementBytes = new Map<string, number>();
  let at = 0;
  for (const [name, size, bytes] of regions) {
    offsets.set(name, at);
    sizes.set(name, size);
    elementBytes.set(name, bytes);
    at += Math.ceil((size * bytes) / 16) * 16;
  }
  return {
    activations,
    outputLoss,
    step,
    packedForward: f32,
    inputScale: input.inputScale,
    memory: { offsets, sizes, elementBytes, pages: Math.max(1, Math.ceil((at + SLACK) / 65536)) },
  };
}
