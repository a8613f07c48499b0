// Each layer's input and output shape, walked through the layer rules from the spec's input shape as the
// planner does (rule.outputShape), so a kind added later (conv: 6×13×13) shows whatever shape its rule
// returns. Lenient: the lowered spec of a spec with errors may hold NaN sizes or a kind with no rule yet,
// and the walk then stops at that layer instead of throwing.
import type { Diagnostic, Spec } from "../ir.js";
import type { Lowered } from "../front/lower.js";
import { ruleOf } from "../layers/index.js";
import type { Shape } from "../layers/types.js";

export interface LayerShapes {
  input: Shape;
  output: Shape;
  /** Numbers in the layer's parameter tensors. */
  parameters: number;
}

/** The spec's input shape: `inputShape` (C×H×W specs) when the IR has it, else the flat input width. */
export function inputShapeOf(spec: Spec): Shape {
  const declared = (spec as { inputShape?: readonly number[] }).inputShape;
  return declared !== undefined && declared.length > 0 ? declared : [spec.inputs];
}

const known = (shape: Shape): boolean => shape.length > 0 && shape.every((n) => Number.isInteger(n) && n >= 1);

/** One entry per layer of `spec` while the shapes are known; shorter when a layer's shape cannot be worked out. */
export function layerShapes(spec: Spec): LayerShapes[] {
  const out: LayerShapes[] = [];
  let shape = inputShapeOf(spec);
  for (const layer of spec.layers) {
    if (!known(shape)) break;
    try {
      const rule = ruleOf(layer);
      const output = rule.outputShape(layer, shape);
      if (!known(output)) break;
      const parameters = rule.tensors(layer).reduce((sum, t) => sum + t.shape.reduce((p, n) => p * n, 1), 0);
      out.push({ input: shape, output, parameters });
      shape = output;
    } catch {
      break;
    }
  }
  return out;
}

/** "6×13×13", "4". */
export function formatShape(shape: Shape): string {
  return shape.join("×");
}

/**
 * The shapes the editor shows: layerShapes, up to the first layer whose statement holds an error (its sizes,
 * kind or activation are wrong, so the lenient lowering's values for it, and everything after it, are guesses).
 */
export function shownShapes(lowered: Lowered, diagnostics: readonly Diagnostic[]): LayerShapes[] {
  const shapes = layerShapes(lowered.spec);
  const errors = diagnostics.filter((d) => d.severity === "error").map((d) => d.range.startOffset);
  if (errors.length === 0) return shapes;
  const broken = lowered.layerStatements.findIndex((s) => errors.some((at) => at >= s.range.startOffset && at <= s.range.endOffset));
  return broken < 0 ? shapes : shapes.slice(0, broken);
}
