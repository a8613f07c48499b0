// The dropout layer's rule: inverted dropout (in training each unit is zeroed with probability `rate` and
// the survivors scaled by 1/(1 − rate); the identity in evaluation). No parameters.
import type { DropoutLayer } from "../../ir.js";
import type { LayerRule } from "../rule.js";
import { dropoutChecks } from "./checks.js";
import { interpretDropoutBackward, interpretDropoutForward } from "./interpret.js";
import { planDropout, type PlannedDropout } from "./plan.js";
import { dropoutBackward, dropoutBackwardCall, dropoutForward, dropoutForwardCall } from "./sample.js";
import { DROPOUT_KINKS } from "./kinks.js";
import { DROPOUT_LIMITS } from "./limits.js";

export type { PlannedDropout } from "./plan.js";

export const DROPOUT_RULE: LayerRule<DropoutLayer, PlannedDropout> = {
  kind: "dropout",
  syntax: {
    word: "dropout",
    options: { p: { type: "number", min: 0, max: 1, maxExclusive: true, default: 0.5, doc: "probability of zeroing a unit in training" } },
    lower: (ctx, range) => ({ kind: "dropout", size: ctx.width, rate: ctx.option("p"), range }),
    checks: dropoutChecks,
    widths: () => null,
  },
  describe: (layer) => `dropout ${layer.rate}`,
  outputShape: (_layer, input) => input,
  activation: () => null,
  tensors: () => [],
  interpret: {
    forward: (layer, _params, _tensors, input, rng) => interpretDropoutForward(layer, input, rng),
    backward: (_layer, _params, _tensors, trace, gOut) => interpretDropoutBackward(trace, gOut!),
  },
  plan: planDropout,
  decisions: (l) => [["units", l.shape]],
  planLine: (l) => `dropout ${l.size} rate ${l.rate}: ${l.shape.shape}`,
  sample: { forward: dropoutForward, forwardCall: dropoutForwardCall, backward: dropoutBackward, backwardCall: dropoutBackwardCall, drawsMasks: true },
  blocked: { supported: false, reason: "dropout masks are drawn sample by sample; the per-sample walk keeps their order" },
  fused: { supported: false, reason: "dropout masks are drawn and kept by the layer functions" },
  forwardCost: (l) => l.shape,
  hasKinks: () => false,
  kinks: DROPOUT_KINKS,
  limits: DROPOUT_LIMITS,
  // Dropout with its ratio: the identity at inference (`nnc import` reads it back as a dropout layer).
  onnx: (layer, sink) => sink.node("Dropout", [sink.constant("ratio", [], [layer.rate], true)]),
};
