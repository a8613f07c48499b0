// The dropout layer's plan: its output, mask (f64, so 1/(1 − rate) is exact) and dL/da buffers, and the
// code form of its per-unit loop. It owns no parameters.
import type { DropoutLayer } from "../../ir.js";
import type { PlannedBuffer, ShapeDecision } from "../../plan/base.js";
import type { LayerPlanContext, PlannedLayerBase } from "../rule.js";

export interface PlannedDropout extends PlannedLayerBase {
  kind: "dropout";
  size: number;
  rate: number;
  a: string;
  /** 0 or 1/(1 − rate) per unit, drawn per sample in training; 1 in evaluation. */
  mask: string;
  ga: string;
  activation: null;
  z: null;
  dz: null;
  shape: ShapeDecision;
}

export function planDropout(layer: DropoutLayer, ctx: LayerPlanContext): { planned: PlannedDropout; buffers: PlannedBuffer[] } {
  const { position, precision, width } = ctx;
  if (layer.size !== width) throw new Error(`plan: dropout layer ${position} has size ${layer.size} but gets ${width}`);
  const a = `A${position}`;
  const mask = `MASK${position}`;
  const ga = `GA${position}`;
  const buffers: PlannedBuffer[] = [
    { name: a, size: width, precision, holds: `layer ${position} dropout output` },
    { name: mask, size: width, precision: "f64", holds: `layer ${position} dropout mask (0 or 1/(1 − rate))` },
    { name: ga, size: width, precision, holds: `layer ${position} dL/da` },
  ];
  const planned: PlannedDropout = {
    kind: "dropout",
    position,
    size: width,
    rate: layer.rate,
    activation: null,
    z: null,
    dz: null,
    summary: `dropout ${layer.rate}`,
    input: ctx.input,
    gradientTarget: ctx.gradientTarget,
    a,
    mask,
    ga,
    shape: ctx.decide(width, `dropout over ${width} units`),
  };
  return { planned, buffers };
}
