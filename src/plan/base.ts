// The plan's vocabulary that every layer rule (src/layers/) and every emitter shares: code-form decisions,
// where a layer reads its input and writes its input gradient, scratch buffers, and the planned matrix
// product. Kept apart from src/plan.ts (the planner itself) so that the layer rules can use these types
// without importing the planner that imports them.
import type { ActivationKind, Precision } from "../ir.js";

export type CodeShape = "unrolled" | "loop";

export interface ShapeDecision {
  shape: CodeShape;
  /** Multiply-adds the function does per sample. */
  multiplyAdds: number;
  reason: string;
}

/** Unrolled or looped for a function of `multiplyAdds`, with the reason (the unroll limit is the plan's). */
export type Decide = (multiplyAdds: number, what: string) => ShapeDecision;

/** Where a layer reads its input: the sample row of `x` (at offset `xo`), or the previous layer's activations. */
export type InputSource = { kind: "sample" } | { kind: "buffer"; name: string };

/** Where a layer's backward writes dL/d(input): the caller's input-gradient row, or the previous layer's gradient buffer. */
export type InputGradientTarget = { kind: "sample" } | { kind: "buffer"; name: string };

export interface PlannedBuffer {
  name: string;
  size: number;
  /** The buffer's element type: the spec's precision, except masks (always f64 so 1/(1−rate) is exact). */
  precision: Precision;
  holds: string;
}

/** Buffer names of the blocked batch shape: chunk rows of a layer's z, a, dL/dz, dL/da. */
export function batchName(name: string): string {
  return `${name}B`;
}

/**
 * One matrix product of the blocked batch shape over a chunk of n samples (n known at run time), as the
 * TS blocked code and the WebAssembly kernels run it:
 *   forward          Y = X·Wᵀ + b     X: n × inputs, W: outputs × inputs (row-major), Y: n × outputs
 *   weight gradient  dW += δᵀ·X      δ: n × outputs (dL/dY), onto the gradient at W's offset (bias: Σ rows of δ)
 *   input gradient   dX = δ·W        dX: n × inputs
 * A dense layer is one; a convolution is one through im2col (X: one row per sample and output position, the
 * window's C·kh·kw inputs; Y and δ channel-last: the rule transposes them to and from its C-major buffers).
 */
export interface PlannedMatmul {
  /** Names its functions: the TS chunk functions and the kernels f<id>, w<id>, x<id>, p<id> (the layer's position). */
  id: number;
  /** Rows per sample: 1 for a dense layer; a convolution through im2col has one row per output position (its regions hold chunk × rowsPerSample rows). */
  rowsPerSample: number;
  inputs: number;
  outputs: number;
  /** W [outputs][inputs] row-major, then b [outputs], in the parameter vector. */
  weightOffset: number;
  biasOffset: number;
  /** Chunk regions: X ("sample": the chunk's rows of xs, XB in kernel memory), Y, δ, and dX ("sample": the caller's input gradient, GINB in kernel memory). */
  input: InputSource;
  output: string;
  delta: string;
  inputGradient: InputGradientTarget;
}

/**
 * A layer's activation over the chunk's rows after its product (blocked batch strategy): what the f32
 * element-wise kernels can take over. `input` holds z (or a, computed in place, when nothing reads z).
 */
export interface ChunkActivation {
  /** The layer's position. */
  layer: number;
  kind: ActivationKind;
  input: string;
  output: string;
  /** dL/dz rows (what the o kernel writes for the output layer). */
  delta: string;
  width: number;
}
