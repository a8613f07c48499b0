// What the two chunked paths of the blocked batch strategy share (the TS chunk functions in batched.ts and
// the WebAssembly kernels in wasm/emit.ts): the output layer's row copies into its per-sample buffers, and
// evaluate's chunk loop (loss and accuracy one row at a time, in sample order, through the per-sample
// functions: the same sums in the same order as the per-sample evaluate), and the batched predict's chunk loop.
import { batchName } from "../plan/base.js";
import type { EmitContext } from "./code.js";

/** Row copies from the chunk buffers of the last layer into its per-sample buffers (what sampleLoss and sampleCorrect read), for row s at o = s · outputs. */
export function lastRowCopies(ctx: EmitContext): string[] {
  const last = ctx.plan.layers[ctx.plan.layers.length - 1]!;
  const K = ctx.plan.outputs;
  return [
    ...(last.z !== null ? [`for (let k = 0; k < ${K}; k++) ${last.z}[k] = ${batchName(last.z)}[o + k];`] : []),
    `for (let k = 0; k < ${K}; k++) ${last.a}[k] = ${batchName(last.a)}[o + k];`,
  ];
}

/**
 * The head of a loop over the rows in chunks of the plan's chunk size: samples first … first + n − 1, xo their
 * offset in xs. The caller writes the body and closes the loop.
 */
export function chunkLoopHead(ctx: EmitContext): string[] {
  const CH = ctx.plan.batch.chunk;
  return [`for (let first = 0; first < count; first += ${CH}) {`, `const n = Math.min(${CH}, count - first);`, `const xo = first * ${ctx.plan.inputs};`];
}

/**
 * The chunked evaluate loop both evaluate paths share: `forwardLines` run the forward of samples
 * first…first+n−1 (xo is their offset in xs) into the chunk buffers (TS chunk functions or the kernels);
 * then loss and accuracy one row at a time in sample order.
 */
export function chunkedEvaluateLoop(ctx: EmitContext, accuracy: boolean, forwardLines: string[]): string[] {
  const { plan } = ctx;
  return [
    "let loss = 0;",
    ...(accuracy ? ["let correct = 0;"] : []),
    ...chunkLoopHead(ctx),
    ...forwardLines,
    "for (let s = 0; s < n; s++) {",
    `const o = s * ${plan.outputs};`,
    `const yo = (first + s) * ${plan.outputs};`,
    ...lastRowCopies(ctx),
    "loss += sampleLoss(ys, yo);",
    ...(accuracy ? ["correct += sampleCorrect(ys, yo);"] : []),
    "}",
    "}",
    `return { loss: loss / count, accuracy: ${accuracy ? "correct / count" : "null"} };`,
  ];
}

/**
 * The chunked batched-predict loop both blocked paths share: `forwardLines` run the forward of samples
 * first…first+n−1 into the chunk buffers, then the last layer's output rows go into result in one copy.
 */
export function chunkedPredictBatchLoop(ctx: EmitContext, forwardLines: string[]): string[] {
  const { plan } = ctx;
  const last = plan.layers[plan.layers.length - 1]!;
  return [
    ...chunkLoopHead(ctx),
    ...forwardLines,
    `result.set(${batchName(last.a)}.subarray(0, n * ${plan.outputs}), first * ${plan.outputs});`,
    "}",
    "return result;",
  ];
}

/** The loss and the output delta of the chunk's rows, one row at a time through the per-sample functions, the delta copied into its chunk buffer. */
export function rowLossAndDelta(ctx: EmitContext): string[] {
  const { plan } = ctx;
  const K = plan.outputs;
  const delta = plan.outputDelta;
  return [
    "// Loss and output delta one row at a time, through the per-sample functions.",
    "for (let s = 0; s < n; s++) {",
    `const o = s * ${K};`,
    `const yo = (first + s) * ${K};`,
    ...lastRowCopies(ctx),
    "loss += sampleLoss(ys, yo);",
    "outputDelta(ys, yo);",
    `for (let k = 0; k < ${K}; k++) ${batchName(delta)}[o + k] = ${delta}[k];`,
    "}",
  ];
}
