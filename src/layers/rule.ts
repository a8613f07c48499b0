// What a layer kind is, in one place: the LayerRule interface. Each kind (src/layers/<kind>/) provides
// one rule: its description, output shape, parameter tensors (the layout rule), the reference
// interpreter's forward and backward, its plan (buffers and code-form decisions), the code it emits per
// code form, which batch strategies it supports (and why not), and what the gradient checker and the
// resource limits need to know. The plan, the interpreter, the emitters, the checker, the limits and the
// CLI iterate the table (src/layers/index.ts) instead of branching on a kind; activations work the same
// way through ACTIVATIONS (src/maths.ts). The recipe for a new kind is in docs/architecture.md.
import type { FunctionDeclarationStructure } from "ts-morph";
import type { Activation, Layer, Precision, SourceRange } from "../ir.js";
import type { LossMath } from "../maths.js";
import type { TensorLayout, Vector } from "../module-api.js";
import type { Rng } from "../prng.js";
import type { ChunkActivation, Decide, InputGradientTarget, InputSource, PlannedBuffer, PlannedMatmul, ShapeDecision } from "../plan/base.js";
import type { EmitContext } from "../emit/code.js";
import type { OptionTable } from "../front/option-types.js";
import type { LayerCheck } from "../front/checks/layer-check.js";
import type { FusedEnv } from "../emit/fused-locals.js";
import type { LayerNode, LayerTrace, OnnxSink, PlacedTensor, PlannedLayerBase, Shape, TensorRule } from "./types.js";

export { sizeOf } from "./types.js";
export type { LayerNode, LayerTrace, OnnxAttribute, OnnxSink, PlacedTensor, PlannedLayerBase, Shape, TensorRule } from "./types.js";

/** What the planner hands a rule for one layer. */
export interface LayerPlanContext {
  position: number;
  isLast: boolean;
  input: InputSource;
  gradientTarget: InputGradientTarget;
  /** The shape coming in (the previous layer's output shape, or the spec's input), and its size in units. */
  shape: Shape;
  width: number;
  /** 1-based number among the layers with parameters (0 for a layer without them): names its tensors. */
  number: number;
  /** This layer's tensors, placed (empty for a layer without parameters). */
  tensors: PlacedTensor[];
  precision: Precision;
  loss: LossMath;
  decide: Decide;
}

/** A batch strategy a rule supports, or why not (the plan states the reason when it picks another). */
export type Support = { supported: true } | { supported: false; reason: string };

/** What lowering hands a rule for one `layer WORD …` statement (src/front/lower.ts). */
export interface LayerLowerContext {
  /** Units coming in: the previous layer's output width (or the declared input), NaN when unknown. */
  width: number;
  /** A size written in the statement (`from`, `to`: a literal or a `let` name), resolved; NaN when absent or invalid. */
  size(which: "from" | "to"): number;
  /** The same as a pair: `2` → [2, 2], `2x3` → [2, 3]; [NaN, NaN] when absent or invalid. */
  sizePair(which: "from" | "to"): [number, number];
  /** An option's value as written, or its default from the rule's option table (lenient: the validator reports bad values). */
  option(name: string): number;
  /** The statement's activation (`linear` when none is written), leaky_relu's slope filled in. */
  activation(): Activation;
  /** The shape coming in: the previous layer's output shape, or the spec's `input` ([NaN] when unknown). */
  shape: Shape;
  /** A `pair` or `padding` option as [rows, columns] (`5` → [5, 5], `3x5` → [3, 5]); its default when left out or written as a word ([NaN, NaN] when it has none). */
  pair(name: string): [number, number];
  /** True when a `padding` option is written `same`. */
  same(name: string): boolean;
}

/** The front end's part of a rule: the word after `layer`, its options, and lowering a statement to the IR node. */
export interface LayerSyntax<L extends LayerNode = Layer> {
  /** `layer fc …`, `layer dropout …`. */
  word: string;
  /** Its options (docs/language.md lists them; the validator checks names, types and ranges against them). */
  options: OptionTable;
  /** The statement as an IR node (lenient: never fails; the validator reports what is wrong). */
  lower(ctx: LayerLowerContext, range: SourceRange): L;
  /** The front end's checks of one layer of this kind (stable codes: src/front/validate.ts lists them), run on each such layer. */
  checks: readonly LayerCheck<L>[];
  /** True when its lone size may be a pair: `maxpool 2x3` (rows × columns of the window). */
  pairSize?: boolean;
  /** The widths the layer declares (a dense layer's `inputs->outputs`), or null when it takes its input's (dropout): the spec's inputs are the first declared input width, its outputs the last declared output width. */
  widths(layer: L): { inputs: number; outputs: number } | null;
  /** The layer's statement written with another activation (`layer fc 1->2 leaky_relu(0.1)`), for advice such as the doctor's; absent when the kind has no activation to change. */
  statementWith?(layer: L, activation: string): string;
}

export interface LayerRule<L extends LayerNode = Layer, P extends PlannedLayerBase = PlannedLayerBase> {
  kind: L["kind"];
  /** How the layer is written and lowered (absent for kinds that only the tests build directly). */
  syntax?: LayerSyntax<L>;
  /** The network one-liner's piece (module header, `nnc parse`): "4 tanh", "dropout 0.5". */
  describe(layer: L): string;
  /** The output shape for an input shape (the validator has checked that the two fit). */
  outputShape(layer: L, input: Shape): Shape;
  /** The layer's activation (meta.activations lists them in order), or null when it has none. */
  activation(layer: L): Activation | null;
  /** The layer's parameter tensors in layout order (empty: none). */
  tensors(layer: L): TensorRule[];

  /** The reference interpreter (float64, plain loops: the oracle the emitted code is tested against). */
  interpret: {
    /** One sample forward; `rng` is the dropout generator in training mode, else null. */
    forward(layer: L, params: Vector, tensors: PlacedTensor[], input: Float64Array, rng: Rng | null): LayerTrace;
    /**
     * dL/d(input) from dL/d(output) `gOut` (or from `dz` when the loss gave dL/dz of the output layer),
     * adding the parameter gradient into `sums`.
     */
    backward(
      layer: L,
      params: Vector,
      tensors: PlacedTensor[],
      trace: LayerTrace,
      gOut: Float64Array | null,
      dz: Float64Array | null,
      sums: Float64Array,
    ): Float64Array;
  };

  /** Plans the layer: its planned form and its scratch buffers (in declaration order). Its output shape is outputShape's. */
  plan(layer: L, ctx: LayerPlanContext): { planned: P; buffers: PlannedBuffer[] };
  /** Code-form decisions to print in `nnc build --plan` (what, decision). */
  decisions(planned: P): [string, ShapeDecision][];
  /** The plan's one-line summary of the layer (`nnc build --plan`). */
  planLine(planned: P): string;

  /** Per-sample code (every net can run it). */
  sample: {
    forward(ctx: EmitContext, planned: P): FunctionDeclarationStructure;
    forwardCall(planned: P): string;
    backward(ctx: EmitContext, planned: P): FunctionDeclarationStructure;
    backwardCall(planned: P): string;
    /** True when the layer draws from the dropout generator (the per-sample functions then take rng). */
    drawsMasks: boolean;
  };
  /**
   * The blocked batch strategy (matrix products over chunks): supported, with the layer's matrix products and
   * the buffers that get chunk-sized copies (`<name>B`, chunk rows × the buffer's size), or why not.
   */
  blocked: Support & {
    matmuls?(planned: P): PlannedMatmul[];
    chunkBuffers?(planned: P): string[];
    /** Buffers only the blocked strategy has (a convolution's im2col rows), at their per-sample sizes: the plan gives them chunk copies (<name>B, the module's precision) and no per-sample buffer. */
    chunkOnlyBuffers?(planned: P): Omit<PlannedBuffer, "precision">[];
    /** Buffers only the per-sample backward uses: a blocked module has no per-sample backward, so its plan drops them. */
    sampleBackwardBuffers?(planned: P): string[];
    /** The activation after the product (what the f32 element-wise kernels can take over). */
    activations?(planned: P): ChunkActivation[];
    /** The TS chunk functions and their calls (forward in layer order, backward in reverse). */
    forwardChunk?(ctx: EmitContext, planned: P): FunctionDeclarationStructure;
    forwardChunkCall?(planned: P): string;
    backwardChunk?(ctx: EmitContext, planned: P): FunctionDeclarationStructure;
    backwardChunkCall?(planned: P): string;
    /** The kernel path's lines: the forward (`kernel` f, or p from the transposed weights; `outputByLoss`: the o kernel does the activation), and the backward. */
    kernelForward?(ctx: EmitContext, planned: P, kernel: "f" | "p", outputByLoss: boolean): string[];
    kernelBackward?(ctx: EmitContext, planned: P): string[];
  };
  /** The fused per-sample body (the whole net in one function's locals): supported, with the buffers it keeps in locals instead, or why not. */
  fused: Support & {
    locals?(planned: P): string[];
    /** The layer's forward with every value a local (src/emit/fused-locals.ts names them). */
    forward?(planned: P, env: FusedEnv): string[];
    /** dL/dz and the parameter gradient onto the running sums; dL/d(input) per input as expressions (the driver places them). */
    backward?(planned: P, env: FusedEnv): { lines: string[]; inputGradient: string[] };
  };
  /** Multiply-adds of the layer's forward per sample, and whether it is looped (a looped layer makes the plan block a batch). */
  forwardCost(planned: P): ShapeDecision;

  /** The gradient checker: true when some unit of the layer is not differentiable at a point the checker must avoid (ReLU at 0). */
  hasKinks(layer: L): boolean;
  /**
   * The gradient checker's incremental batch forward of the layer (src/check/kinks.ts). Absent: the checker
   * computes every pre-activation from the interpreter's traces instead (correct, but a whole forward pass per
   * perturbation).
   */
  kinks?: KinkForward<L>;
  /** What the layer adds to the resource limits' estimates (src/limits.ts). */
  limits: LayerLimits<L, P>;
  /** `nnc export`: the layer as ONNX nodes (docs/onnx.md lists what each kind becomes). */
  onnx(layer: L, sink: OnnxSink): void;
}

/**
 * How the gradient checker's KinkProbe runs a layer over a batch (count samples, row-major, float64). "units":
 * a layer with pre-activations, computed unit by unit, so that after a one-parameter change only the unit it
 * moves is recomputed. "mask": an element-wise multiplier drawn per sample from the dropout stream in
 * training (the identity otherwise), folded into the input of the next units layer. Only a units layer may
 * own parameters.
 */
export type KinkForward<L extends LayerNode = Layer> = UnitsKinkForward<L> | MaskKinkForward<L>;

export interface UnitsKinkForward<L extends LayerNode = Layer> {
  kind: "units";
  /** Pre-activations per sample. */
  units(layer: L): number;
  /** z of unit `unit` of sample `s`, from the layer's batch input (count × its input width). */
  z(layer: L, params: Float64Array, tensors: PlacedTensor[], input: Float64Array, s: number, unit: number): number;
  /** The unit whose z a change of the parameter at flat index `index` (in one of the layer's tensors) moves. */
  unitOf(layer: L, tensors: PlacedTensor[], index: number): number;
  /** The layer's output for a batch of its pre-activations (count × units). */
  activate(layer: L, z: Float64Array, count: number): Float64Array;
}

export interface MaskKinkForward<L extends LayerNode = Layer> {
  kind: "mask";
  /** Units of one sample's mask. */
  size(layer: L): number;
  /** Draws one sample's mask into out[offset, offset + size) from the dropout stream, as the module draws it (src/module-api.ts). */
  draw(layer: L, rng: Rng, out: Float64Array, offset: number): void;
  /** The multiplier of the next units layer's input once this layer's batch mask (count × size) is applied after `pending` (null: none yet). */
  compose(mask: Float64Array, pending: Float64Array | null): Float64Array;
}

/** The module-text estimate being summed (src/limits.ts): a rule adds its calibrated bytes to it. */
export interface TextSizeSink {
  add(bytes: number): void;
  /** The layer runs blocked: the module gets the blocked batch code's shared part and the wasm kernels (counted once). */
  blocked(): void;
}

/**
 * A layer's part of the resource limits (src/limits.ts). The two text hooks add through the same calibrated
 * constants (the kind's limits.ts), one from the plan's decisions and one from the spec alone; the limits
 * test holds them equal.
 */
export interface LayerLimits<L extends LayerNode = Layer, P extends PlannedLayerBase = PlannedLayerBase> {
  /** Its text bytes beyond the per-layer base, from its planned code forms (`unrolled`: a decision's multiply-adds when unrolled, else null). */
  text(planned: P, unrolled: (decision: ShapeDecision) => number | null, sink: TextSizeSink): void;
  /** The same from the spec alone, for the code forms planSpec gives it by default (`unrolled(n)`: n when n multiply-adds are unrolled, else null); `width`: units coming in. */
  textOfSpec(layer: L, width: number, unrolled: (multiplyAdds: number) => number | null, sink: TextSizeSink): void;
  /** Numbers in its parameter tensors (the sizes of tensors(layer), without building them: 55,000-layer specs). */
  parameters(layer: L): number;
  /** Per sample, the units of every scratch buffer the plan can give it, whatever it decides; `width`: units coming in. */
  bufferUnits(layer: L, width: number): number;
}
