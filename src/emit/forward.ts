// Forward pass: one function per layer (its rule's per-sample code: src/layers/<kind>/sample.ts), a
// per-sample driver, predict and createPredictor.
import type { FunctionDeclarationStructure, VariableStatementStructure } from "ts-morph";
import { ruleOf } from "../layers/index.js";
import { functionStructure, mul, repeat, type EmitContext } from "./code.js";
import { predictBatchParts, predictorParts, rawEntryLines } from "./strategy.js";
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
  return [...layers, sample, predict, predictor, ...emitPredictBatch(ctx), ...emitClassify(ctx)];
}

/**
 * The batched predict: predictBatch over raw rows (what predict takes, one row after another) and, in a module
 * that preprocesses, predictBatchInputs over network inputs (what preprocess returns; nnc train's confusion
 * matrix calls it on the data it trained on), which predictBatch wraps. Evaluation mode; the rows' outputs in order.
 */
function emitPredictBatch(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan } = ctx;
  const V = ctx.array;
  const pre = hasPreprocessing(ctx);
  const parameters: [string, string][] = [
    ["params", V],
    ["xs", V],
    ["count", "number"],
    ["out?", V],
  ];
  const shape = `count × ${plan.outputs}`;
  const strategy = predictBatchParts(ctx);
  const inputs = functionStructure({
    name: pre ? "predictBatchInputs" : "predictBatch",
    exported: true,
    doc: pre
      ? `The network's outputs (${shape}) for count rows of network inputs xs (count × ${plan.inputs}: what preprocess returns), in evaluation mode, as predict row by row. Writes into \`out\` when given.`
      : `The network's outputs (${shape}) for count raw rows xs (count × ${plan.inputs}; this spec neither scales nor normalises), in evaluation mode, as predict row by row, in one call. Writes into \`out\` when given (no allocation).`,
    parameters,
    returns: V,
    body: [`const result = out ?? new ${V}(${mul("count", plan.outputs)});`, ...strategy.body],
  });
  if (!pre) return [inputs, ...strategy.after];
  const kernelLines = rawEntryLines(ctx, "predictBatch");
  const kernels = kernelLines.length > 0;
  const raw = functionStructure({
    name: "predictBatch",
    exported: true,
    doc: kernels
      ? `The network's outputs (${shape}) for count raw rows xs (count × ${plan.inputs}, as in the training data), in evaluation mode, as predict row by row, in one call: each chunk preprocessed into kernel memory on the kernel path, else preprocess (into a new array), then predictBatchInputs. Writes into \`out\` when given.`
      : `The network's outputs (${shape}) for count raw rows xs (count × ${plan.inputs}, as in the training data), in evaluation mode, as predict row by row, in one call: preprocess (into a new array), then predictBatchInputs. Writes into \`out\` when given.`,
    parameters,
    returns: V,
    body: [...kernelLines, "return predictBatchInputs(params, preprocess(params, xs, count), count, out);"],
  });
  return [inputs, ...strategy.after, raw];
}
