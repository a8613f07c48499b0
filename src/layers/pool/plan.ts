// The pooling layers' plan: geometry, output and dL/da buffers, max pooling's argmax buffer (input indices,
// f64 so they are exact in an f32 module too), and the code form of the window (unrolled or looped).
import type { PoolLayer } from "../../ir.js";
import type { PlannedBuffer, ShapeDecision } from "../../plan/base.js";
import type { LayerPlanContext, PlannedLayerBase } from "../rule.js";
import { pairText, shapeText, windowGeometry, type WindowGeometry } from "../window.js";

export interface PlannedPool<K extends "maxpool" | "avgpool" = "maxpool" | "avgpool"> extends PlannedLayerBase {
  kind: K;
  geometry: WindowGeometry;
  inputs: number;
  outputs: number;
  a: string;
  ga: string;
  /** Max pooling: per output, the input index of its window's first maximum (null for average pooling). */
  argmax: string | null;
  activation: null;
  z: null;
  dz: null;
  window: ShapeDecision;
}

export type PlannedMaxPool = PlannedPool<"maxpool">;
export type PlannedAvgPool = PlannedPool<"avgpool">;

/** "maxpool 2×2 (6×6×6)", with the stride when it is not the window, and the output shape. */
export function describePool(layer: PoolLayer): string {
  const stride = layer.stride[0] !== layer.kernel[0] || layer.stride[1] !== layer.kernel[1] ? ` stride ${pairText(layer.stride)}` : "";
  return `${layer.kind} ${pairText(layer.kernel)}${stride} (${shapeText(poolOutputShape(layer))})`;
}

export function poolOutputShape(layer: PoolLayer): number[] {
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, [0, 0]);
  return [g.channels, g.outHeight, g.outWidth];
}

export function planPool<K extends "maxpool" | "avgpool">(layer: PoolLayer<K>, ctx: LayerPlanContext): { planned: PlannedPool<K>; buffers: PlannedBuffer[] } {
  const { position, precision } = ctx;
  if (shapeText(layer.input) !== shapeText(ctx.shape))
    throw new Error(`plan: ${layer.kind} layer ${position} takes ${shapeText(layer.input)} but gets ${shapeText(ctx.shape)}`);
  const g = windowGeometry(layer.input, layer.kernel, layer.stride, [0, 0]);
  const outputs = g.channels * g.outHeight * g.outWidth;
  const a = `A${position}`;
  const ga = `GA${position}`;
  const argmax = layer.kind === "maxpool" ? `ARG${position}` : null;
  const buffers: PlannedBuffer[] = [{ name: a, size: outputs, precision, holds: `layer ${position} ${layer.kind} output` }];
  if (argmax !== null) buffers.push({ name: argmax, size: outputs, precision: "f64", holds: `layer ${position} input index of each window's first maximum` });
  buffers.push({ name: ga, size: outputs, precision, holds: `layer ${position} dL/da` });
  const taps = layer.kernel[0] * layer.kernel[1];
  const planned: PlannedPool<K> = {
    kind: layer.kind,
    position,
    geometry: g,
    inputs: g.channels * g.height * g.width,
    outputs,
    a,
    ga,
    argmax,
    activation: null,
    z: null,
    dz: null,
    summary: describePool(layer),
    input: ctx.input,
    gradientTarget: ctx.gradientTarget,
    window: ctx.decide(taps, `${layer.kind} window ${pairText(layer.kernel)}`),
  };
  return { planned, buffers };
}
