// The conv layer's plan: its tensors' offsets, its geometry, its scratch buffers (z only when something reads
// it; a zero-bordered copy of the input and of its gradient when it pads, so the window loops never test an
// index) and the code form of its window (unrolled or looped, as the dense policy decides by multiply-adds).
import type { Activation, ConvLayer } from "../../ir.js";
import { ACTIVATIONS } from "../../maths.js";
import { batchName, type PlannedBuffer, type PlannedMatmul, type ShapeDecision } from "../../plan/base.js";
import type { LayerPlanContext, PlannedLayerBase } from "../rule.js";
import { pairText, shapeText, windowGeometry, type WindowGeometry } from "../window.js";

export interface PlannedConv extends PlannedLayerBase {
  kind: "conv";
  number: number;
  geometry: WindowGeometry;
  filters: number;
  /** Weights per filter: channels × kh × kw. */
  window: number;
  /** Units in and out. */
  inputs: number;
  outputs: number;
  activation: Activation;
  weightOffset: number;
  biasOffset: number;
  z: string | null;
  a: string;
  dz: string;
  ga: string | null;
  /** The padded copy of the input and of dL/d(input) (null when the layer does not pad). */
  padded: string | null;
  paddedGradient: string | null;
  fusedOutput: boolean;
  /** The window's code form in the forward and in the backward (weight and input gradients). */
  forwardWindow: ShapeDecision;
  backwardWindow: ShapeDecision;
  /** Multiply-adds per sample of the whole forward (always looped over the output positions). */
  cost: ShapeDecision;
  /** Output positions per filter (OH × OW): the rows per sample of the im2col product. */
  positions: number;
  /** The blocked strategy's chunk-only buffers: the im2col rows (positions × window), the product's output and dL/dz channel-last (positions × filters), and dL/d(rows). */
  cols: string;
  zt: string;
  dzt: string;
  dcols: string;
}

/** "conv 6 5×5 relu (6×13×13)", with stride and padding when not 1 and 0, and the output shape. */
export function describeConv(layer: ConvLayer): string {
  const parts = [`conv ${layer.filters} ${pairText(layer.kernel)}`];
  if (layer.stride[0] !== 1 || layer.stride[1] !== 1) parts.push(`stride ${pairText(layer.stride)}`);
  if (layer.padding[0] !== 0 || layer.padding[1] !== 0) parts.push(`padding ${pairText(layer.padding)}`);
  const act = layer.activation;
  parts.push(act.kind === "leaky_relu" ? `leaky_relu(${act.alpha})` : act.kind);
  parts.push(`(${shapeText(convOutputShape(layer))})`);
  return parts.join(" ");
}

export function convOutputShape(layer: ConvLayer): number[] {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, layer.padding);
  return [layer.filters, g.outHeight, g.outWidth];
}

export function planConv(layer: ConvLayer, ctx: LayerPlanContext): { planned: PlannedConv; buffers: PlannedBuffer[] } {
  const { position, precision } = ctx;
  if (shapeText(layer.input) !== shapeText(ctx.shape))
    throw new Error(`plan: conv layer ${position} takes ${shapeText(layer.input)} but gets ${shapeText(ctx.shape)}`);
  const [weight, bias] = ctx.tensors as [(typeof ctx.tensors)[0], (typeof ctx.tensors)[0]];
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, layer.padding);
  const act = ACTIVATIONS[layer.activation.kind];
  const fusedOutput = ctx.isLast && ctx.loss.fused;
  const needsZ = act.derivative.variables.includes("z") || (ctx.isLast && ctx.loss.term.variables.includes("z")) || act.vector;
  const inputs = g.channels * g.height * g.width;
  const outputs = layer.filters * g.outHeight * g.outWidth;
  const pads = layer.padding[0] > 0 || layer.padding[1] > 0;
  const paddedSize = g.channels * g.paddedHeight * g.paddedWidth;
  const z = needsZ ? `Z${position}` : null;
  const a = `A${position}`;
  const dz = `DZ${position}`;
  const ga = fusedOutput ? null : `GA${position}`;
  const padded = pads ? `PAD${position}` : null;
  const paddedGradient = pads ? `GPAD${position}` : null;
  const buffers: PlannedBuffer[] = [];
  if (padded !== null)
    buffers.push({
      name: padded,
      size: paddedSize,
      precision,
      holds: `layer ${position} input with its zero border (${g.channels}×${g.paddedHeight}×${g.paddedWidth})`,
    });
  if (z !== null) buffers.push({ name: z, size: outputs, precision, holds: `layer ${position} pre-activations z` });
  buffers.push({ name: a, size: outputs, precision, holds: `layer ${position} activations a = ${layer.activation.kind}(z)` });
  buffers.push({ name: dz, size: outputs, precision, holds: `layer ${position} dL/dz` });
  if (ga !== null) buffers.push({ name: ga, size: outputs, precision, holds: `layer ${position} dL/da` });
  if (paddedGradient !== null) buffers.push({ name: paddedGradient, size: paddedSize, precision, holds: `layer ${position} dL/d(input) with its border` });
  const window = g.channels * layer.kernel[0] * layer.kernel[1];
  const positions = g.outHeight * g.outWidth;
  const planned: PlannedConv = {
    kind: "conv",
    position,
    number: ctx.number,
    geometry: g,
    filters: layer.filters,
    window,
    inputs,
    outputs,
    activation: layer.activation,
    summary: describeConv(layer),
    weightOffset: weight.offset,
    biasOffset: bias.offset,
    input: ctx.input,
    gradientTarget: ctx.gradientTarget,
    z,
    a,
    dz,
    ga,
    padded,
    paddedGradient,
    fusedOutput,
    forwardWindow: ctx.decide(window, `forward window ${g.channels}×${pairText(layer.kernel)}`),
    backwardWindow: ctx.decide(2 * window, `backward window ${g.channels}×${pairText(layer.kernel)} (weight gradient + input gradient)`),
    positions,
    cols: `COLS${position}`,
    zt: `ZT${position}`,
    dzt: `DZT${position}`,
    dcols: `DCOLS${position}`,
    cost: {
      shape: "loop",
      multiplyAdds: layer.filters * positions * window,
      reason: `${layer.filters} filters × ${positions} positions × ${window} weights: looped over the positions`,
    },
  };
  return { planned, buffers };
}

/** The convolution as one matrix product of the blocked batch, through im2col: ZT = COLS·Wᵀ + b, one row per sample and output position. */
export function convMatmul(l: PlannedConv): PlannedMatmul {
  return {
    id: l.position,
    rowsPerSample: l.positions,
    inputs: l.window,
    outputs: l.filters,
    weightOffset: l.weightOffset,
    biasOffset: l.biasOffset,
    input: { kind: "buffer", name: batchName(l.cols) },
    output: batchName(l.zt),
    delta: batchName(l.dzt),
    inputGradient: { kind: "buffer", name: batchName(l.dcols) },
  };
}

/** The im2col buffers, at their per-sample sizes (the plan gives them chunk copies only). */
export function convChunkOnlyBuffers(l: PlannedConv): Omit<PlannedBuffer, "precision">[] {
  const rows = l.positions;
  return [
    { name: l.cols, size: rows * l.window, holds: `layer ${l.position} im2col rows (${rows} positions × ${l.window} window inputs)` },
    { name: l.zt, size: rows * l.filters, holds: `layer ${l.position} z channel-last (${rows} positions × ${l.filters} filters)` },
    { name: l.dzt, size: rows * l.filters, holds: `layer ${l.position} dL/dz channel-last` },
    { name: l.dcols, size: rows * l.window, holds: `layer ${l.position} dL/d(im2col rows)` },
  ];
}
