// Forward pass: one function per layer (its rule's per-sample code: src/layers/<kind>/sample.ts), a
// per-sample driver, predict and createPredictor.
import type { FunctionDeclarationStructure, VariableStatementStructure } from "ts-morph";
import { ruleOf } from "../layers/index.js";
import { functionStructure, repeat, type EmitContext } from "./code.js";
import { predictorParts } from "./strategy.js";
import { hasPreprocessing, vectorLength } from "./preprocess.js";
import { emitClassify } from "./classify.js";

/** Signature pieces of forwardSample: dropout networks take the mask generator. */
export function rngParameter(ctx: EmitContext): [string, string][] {
  return ctx.plan.hasDropout ? [["rng", "Rng | null"]] : [];
}

export function emitForward(ctx: EmitContext): (FunctionDeclarationStructure | VariableStatementStructure)[] {
  const { plan } = ctx;
  const layers = plan.layers.map((l) => ruleOf(l).sample.forward(ctx, l));
  const calls = plan.layers.map((l) => ruleOf(l).sample.forwardCall(l));
  const sample = functionStructure({
    name: "forwardSample",
    doc: `Runs every layer on the sample at x[xo … xo + ${plan.inputs - 1}]; the output lands in ${plan.output}.`,
    parameters: [["params", ctx.array], ["x", ctx.array], ["xo", "number"], ...rngParameter(ctx)],
    returns: "void",
    body: calls,
  });
  const pre = hasPreprocessing(ctx);
  const predict = functionStructure({
    name: "predict",
    exported: true,
    doc: pre
      ? `The network's output for one raw sample x (${plan.inputs} numbers, as in the training data: preprocessed into INPUT first), in evaluation mode. Writes into \`out\` when given (no allocation).`
      : `The network's output for one raw sample x (${plan.inputs} numbers; this spec neither scales nor normalises), in evaluation mode. Writes into \`out\` when given (no allocation).`,
    parameters: [
      ["params", ctx.array],
      ["x", ctx.array],
      ["out?", ctx.array],
    ],
    returns: ctx.array,
    body: [
      ...(pre ? ["preprocess(params, x, 1, INPUT);"] : []),
      `forwardSample(params, ${pre ? "INPUT" : "x"}, 0${plan.hasDropout ? ", null" : ""});`,
      `const result = out ?? new ${ctx.array}(${plan.outputs});`,
      ...repeat(plan.outputs, plan.outputShape.shape, "k", (k) => [`result[${k}] = ${plan.output}[${k}];`]),
      "return result;",
    ],
  });
  const strategy = predictorParts(ctx);
  const predictor = functionStructure({
    name: "createPredictor",
    exported: true,
    doc: [
      `A fast predict for deployment: copies params once (a snapshot: later changes to params do not reach it; create a new predictor`,
      `after training further) and returns (x, out?) => the network's output for one raw sample, as predict(snapshot, x, out).`,
      strategy.doc,
    ].join("\n"),
    parameters: [["params", ctx.array]],
    returns: `(x: ${ctx.array}, out?: ${ctx.array}) => ${ctx.array}`,
    body: [`const snapshot = params.slice(0, ${vectorLength(ctx)});`, ...strategy.body],
  });
  return [...layers, sample, predict, predictor, ...emitClassify(ctx)];
}
