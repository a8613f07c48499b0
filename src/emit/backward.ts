// Backward pass: one function per layer (its rule's per-sample code: src/layers/<kind>/sample.ts), run from
// the output back to the input, adding each layer's parameter gradient into `grad` and writing dL/d(input)
// where someone reads it. Then lossAndGradient, whose body the plan's batch strategy picks: the per-sample
// loop over forward, loss and backward, the fused body, or the blocked chunks.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ruleOf } from "../layers/index.js";
import { functionStructure, type EmitContext } from "./code.js";
import { lossAndGradientParts, strategyOf } from "./strategy.js";

export function emitBackward(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan } = ctx;
  // The per-sample backward functions exist only where lossAndGradient walks sample by sample (the fused body
  // spells the backward out; the blocked strategies go through the chunk functions).
  const perSample = strategyOf(plan) === "per-sample";
  const layers = perSample ? plan.layers.map((l) => ruleOf(l).sample.backward(ctx, l)) : [];
  const calls = [...plan.layers].reverse().map((l) => ruleOf(l).sample.backwardCall(l));
  const sample = functionStructure({
    name: "backwardSample",
    doc: "Back-propagates one sample (after forwardSample and outputDelta), accumulating into grad.",
    parameters: [
      ["params", ctx.array],
      ["x", ctx.array],
      ["xo", "number"],
      ["grad", ctx.array],
      ["gin", `${ctx.array} | null`],
      ["gino", "number"],
    ],
    returns: "void",
    body: calls,
  });
  const dropout = plan.hasDropout;
  const strategy = lossAndGradientParts(ctx);
  const lossAndGradient = functionStructure({
    name: "lossAndGradient",
    exported: true,
    doc: [
      `Mean loss over the first \`count\` samples of xs (count × ${plan.inputs}) and ys (count × ${plan.outputs}); overwrites grad`,
      `(${plan.parameters}) with dLoss/dparams (L2 not included: step adds it). options.training turns dropout on, with masks`,
      "from createRng(options.dropoutSeed ?? 0); options.inputGradient (count × inputs) receives dLoss/dxs.",
      "Allocates nothing" + (dropout ? " except the mask generator in training mode." : "."),
    ].join("\n"),
    parameters: [
      ["params", ctx.array],
      ["xs", ctx.array],
      ["ys", ctx.array],
      ["count", "number"],
      ["grad", ctx.array],
      ["options?", `{ training?: boolean; dropoutSeed?: number; inputGradient?: ${ctx.array} }`],
    ],
    returns: "number",
    body: strategy.body,
  });
  return [...layers, ...(perSample ? [sample] : []), ...strategy.helpers, lossAndGradient];
}
