// The one place that turns the plan's batch decisions (plan.batch, plan.sample, plan.batch.kernel) into the
// code of the batch-walking functions — lossAndGradient, evaluate, predictBatch and createPredictor — and the
// helper functions they call. The section emitters (backward.ts, loss.ts, forward.ts) ask here; none of
// them re-decides.
//   per-sample  forward, loss and backward one sample at a time through the layer functions
//   fused       lossAndGradient's loop body is the whole net in locals (src/emit/fused.ts)
//   blocked     chunks of samples through each layer's chunk functions (src/emit/batched.ts)
//   kernels     blocked, with the products in WebAssembly (src/emit/wasm/emit.ts); the TS blocked code is
//               the fallback when the module cannot instantiate them
import type { FunctionDeclarationStructure } from "ts-morph";
import type { PlannedLayerBase } from "../layers/types.js";
import type { PlanOf } from "../plan/types.js";
import { mul, type EmitContext } from "./code.js";
import { blockedEvaluateLoop, blockedLossAndGradientLoop, blockedPredictBatchLoop, chunkFunctions } from "./batched.js";
import { fusedHelpers, fusedLossAndGradientBody } from "./fused.js";
import { emitEvaluateKernels, emitLossAndGradientKernels, emitPredictBatchKernels, kernelPredictorLines } from "./wasm/emit.js";
import { hasPreprocessing } from "./preprocess.js";

type Plan = PlanOf<PlannedLayerBase>;

export type BatchStrategy = "per-sample" | "fused" | "blocked" | "kernels";

export function strategyOf(plan: Plan): BatchStrategy {
  if (plan.batch.shape === "blocked") return plan.batch.kernel.kind === "wasm" ? "kernels" : "blocked";
  return plan.sample.shape === "fused" ? "fused" : "per-sample";
}

function unreachable(strategy: never): never {
  throw new Error(`emit: unknown batch strategy ${String(strategy)}`);
}

/** lossAndGradient's body, and the functions it calls that only this strategy has (emitted before it). */
export function lossAndGradientParts(ctx: EmitContext): { helpers: FunctionDeclarationStructure[]; body: string[] } {
  const strategy = strategyOf(ctx.plan);
  switch (strategy) {
    case "per-sample":
      return { helpers: [], body: perSampleLossAndGradient(ctx) };
    case "fused":
      return { helpers: fusedHelpers(ctx), body: fusedLossAndGradientBody(ctx) };
    case "blocked":
      return { helpers: chunkFunctions(ctx), body: ["const gin = options?.inputGradient ?? null;", ...blockedLossAndGradientLoop(ctx)] };
    case "kernels":
      return {
        helpers: [...chunkFunctions(ctx), emitLossAndGradientKernels(ctx)],
        body: [
          "const gin = options?.inputGradient ?? null;",
          "if (KERNELS !== null) return lossAndGradientKernels(KERNELS, params, xs, ys, count, grad, gin);",
          ...blockedLossAndGradientLoop(ctx),
        ],
      };
    default:
      return unreachable(strategy);
  }
}

/** evaluate's body, and the functions after it that only this strategy has. */
export function evaluateParts(ctx: EmitContext, accuracy: boolean): { body: string[]; after: FunctionDeclarationStructure[] } {
  const strategy = strategyOf(ctx.plan);
  switch (strategy) {
    case "per-sample":
    case "fused":
      return { body: perSampleEvaluate(ctx, accuracy), after: [] };
    case "blocked":
      return { body: blockedEvaluateLoop(ctx, accuracy), after: [] };
    case "kernels":
      return {
        body: [
          `if (KERNELS !== null) return evaluateKernels(KERNELS, params, xs, ys, count${hasPreprocessing(ctx) ? ", false" : ""});`,
          ...blockedEvaluateLoop(ctx, accuracy),
        ],
        after: [emitEvaluateKernels(ctx, accuracy)],
      };
    default:
      return unreachable(strategy);
  }
}

/**
 * The body of the batched predict over network inputs (predictBatch, or predictBatchInputs in a module that
 * preprocesses) after `result` is bound: the outputs of rows 0 … count − 1 of xs into result, row after row;
 * and the functions after it that only this strategy has.
 */
export function predictBatchParts(ctx: EmitContext): { body: string[]; after: FunctionDeclarationStructure[] } {
  const strategy = strategyOf(ctx.plan);
  switch (strategy) {
    case "per-sample":
    case "fused":
      return { body: perSamplePredictBatch(ctx), after: [] };
    case "blocked":
      return { body: blockedPredictBatchLoop(ctx), after: [] };
    case "kernels":
      return {
        body: [
          `if (KERNELS !== null) return predictBatchKernels(KERNELS, params, xs, count, result${hasPreprocessing(ctx) ? ", false" : ""});`,
          ...blockedPredictBatchLoop(ctx),
        ],
        after: [emitPredictBatchKernels(ctx)],
      };
    default:
      return unreachable(strategy);
  }
}

/**
 * The first lines of a raw-row entry of a module that preprocesses (evaluate, predictBatch): on the kernel path,
 * the kernel entry that preprocesses chunk by chunk into kernel memory (src/emit/wasm/emit.ts); none elsewhere,
 * where the entry preprocesses every row into a new array and calls evaluateInputs or predictBatchInputs.
 */
export function rawEntryLines(ctx: EmitContext, entry: "evaluate" | "predictBatch"): string[] {
  if (strategyOf(ctx.plan) !== "kernels") return [];
  return entry === "evaluate"
    ? ["if (KERNELS !== null) return evaluateKernels(KERNELS, params, xs, ys, count, true);"]
    : [`if (KERNELS !== null) return predictBatchKernels(KERNELS, params, xs, count, out ?? new ${ctx.array}(${mul("count", ctx.plan.outputs)}), true);`];
}

/** createPredictor's body after the snapshot is taken, and its doc's last line. */
export function predictorParts(ctx: EmitContext): { doc: string; body: string[] } {
  if (strategyOf(ctx.plan) !== "kernels")
    return { doc: "This module has no kernels: the snapshot goes through predict.", body: ["return (x, out) => predict(snapshot, x, out);"] };
  return {
    doc: "Runs the forward in the WebAssembly kernels with the snapshot kept in kernel memory (copied back in only after lossAndGradient, evaluate or another predictor used it); the TS predict without them.",
    body: [
      "const k = KERNELS;",
      "if (k === null) return (x, out) => predict(snapshot, x, out);",
      `return (x: ${ctx.array}, out?: ${ctx.array}): ${ctx.array} => {`,
      // The checks predict makes: a short x would leave the previous call's inputs in kernel memory.
      `checkLength("predictor", "x", x, ${ctx.plan.inputs}, "the spec's inputs");`,
      `if (out !== undefined) checkLength("predictor", "out", out, ${ctx.plan.outputs}, "the spec's outputs");`,
      ...kernelPredictorLines(ctx),
      "};",
    ],
  };
}

/** The per-sample lossAndGradient: forwardSample, the loss, outputDelta and backwardSample per sample, then the batch mean. */
function perSampleLossAndGradient(ctx: EmitContext): string[] {
  const { plan } = ctx;
  const dropout = plan.hasDropout;
  return [
    ...(dropout ? ["const rng = options?.training === true ? createRng(options.dropoutSeed ?? 0) : null;"] : []),
    "const gin = options?.inputGradient ?? null;",
    `for (let i = 0; i < ${plan.parameters}; i++) grad[i] = 0;`,
    "let loss = 0;",
    "for (let s = 0; s < count; s++) {",
    `const xo = ${mul("s", plan.inputs)};`,
    `const yo = ${mul("s", plan.outputs)};`,
    `forwardSample(params, xs, xo${dropout ? ", rng" : ""});`,
    "loss += sampleLoss(ys, yo);",
    "outputDelta(ys, yo);",
    "backwardSample(params, xs, xo, grad, gin, xo);",
    "}",
    `for (let i = 0; i < ${plan.parameters}; i++) grad[i] /= count;`,
    `if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`,
    "return loss / count;",
  ];
}

/** The per-sample evaluate: forwardSample (no dropout), the loss and sampleCorrect per sample. */
function perSampleEvaluate(ctx: EmitContext, accuracy: boolean): string[] {
  const { plan } = ctx;
  return [
    "let loss = 0;",
    ...(accuracy ? ["let correct = 0;"] : []),
    "for (let s = 0; s < count; s++) {",
    `const yo = ${mul("s", plan.outputs)};`,
    `forwardSample(params, xs, s * ${plan.inputs}${plan.hasDropout ? ", null" : ""});`,
    "loss += sampleLoss(ys, yo);",
    ...(accuracy ? ["correct += sampleCorrect(ys, yo);"] : []),
    "}",
    `return { loss: loss / count, accuracy: ${accuracy ? "correct / count" : "null"} };`,
  ];
}

/** The per-sample batched predict: forwardSample (no dropout) per row, its output copied into the row of result. */
function perSamplePredictBatch(ctx: EmitContext): string[] {
  const { plan } = ctx;
  return [
    "for (let s = 0; s < count; s++) {",
    `forwardSample(params, xs, ${mul("s", plan.inputs)}${plan.hasDropout ? ", null" : ""});`,
    `const o = ${mul("s", plan.outputs)};`,
    `for (let k = 0; k < ${plan.outputs}; k++) result[o + k] = ${plan.output}[k];`,
    "}",
    "return result;",
  ];
}
