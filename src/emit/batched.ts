// The blocked batch strategy's TS code (plan.batch.shape === "blocked"): lossAndGradient and evaluate walk
// a batch in chunks of plan.batch.chunk samples, layer by layer, through each layer's rule's chunk
// functions (dense: its matrix product with register blocking, src/emit/matmul.ts, and the element-wise
// work around it, src/layers/dense/chunk.ts). Loss and output delta reuse the per-sample functions on one
// row at a time (their cost is per output, not per weight). Every sum runs in the interpreter's order, so an
// f64 module gives bit-identical results to the per-sample strategy. The WebAssembly kernel path
// (src/emit/wasm/emit.ts) is the same walk with the products in the kernels; src/emit/strategy.ts decides
// which runs.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ruleOf } from "../layers/index.js";
import type { PlannedLayerBase } from "../layers/types.js";
import type { LayerRule } from "../layers/rule.js";
import type { EmitContext } from "./code.js";
import { chunkLoopHead, chunkedEvaluateLoop, chunkedPredictBatchLoop, rowLossAndDelta } from "./chunk.js";

type Blocked = LayerRule["blocked"];

/** The TS chunk hooks of a layer's rule (the plan blocks a batch only when every layer's rule supports it). */
function chunkHooks(l: PlannedLayerBase): Required<Pick<Blocked, "forwardChunk" | "forwardChunkCall" | "backwardChunk" | "backwardChunkCall">> {
  const { forwardChunk, forwardChunkCall, backwardChunk, backwardChunkCall } = ruleOf(l).blocked;
  if (forwardChunk === undefined || forwardChunkCall === undefined || backwardChunk === undefined || backwardChunkCall === undefined) {
    throw new Error(`emit: layer ${l.position} (${l.kind}) has no blocked chunk code`);
  }
  return { forwardChunk, forwardChunkCall, backwardChunk, backwardChunkCall };
}

/** The chunk functions of every layer: forwards in layer order, then backwards. */
export function chunkFunctions(ctx: EmitContext): FunctionDeclarationStructure[] {
  const layers = ctx.plan.layers;
  return [...layers.map((l) => chunkHooks(l).forwardChunk(ctx, l)), ...layers.map((l) => chunkHooks(l).backwardChunk(ctx, l))];
}

function forwardChunkCalls(ctx: EmitContext): string[] {
  return ctx.plan.layers.map((l) => chunkHooks(l).forwardChunkCall(l));
}

/** The blocked evaluate's loop through the TS chunk functions. */
export function blockedEvaluateLoop(ctx: EmitContext, accuracy: boolean): string[] {
  return chunkedEvaluateLoop(ctx, accuracy, forwardChunkCalls(ctx));
}

/** The blocked batched predict's loop through the TS chunk functions: each chunk's output rows copied into result. */
export function blockedPredictBatchLoop(ctx: EmitContext): string[] {
  return chunkedPredictBatchLoop(ctx, forwardChunkCalls(ctx));
}

/** The blocked lossAndGradient's loop through the TS chunk functions (after `gin` is bound). */
export function blockedLossAndGradientLoop(ctx: EmitContext): string[] {
  const { plan } = ctx;
  return [
    `for (let i = 0; i < ${plan.parameters}; i++) grad[i] = 0;`,
    "let loss = 0;",
    ...chunkLoopHead(ctx),
    ...forwardChunkCalls(ctx),
    ...rowLossAndDelta(ctx),
    ...[...plan.layers].reverse().map((l) => chunkHooks(l).backwardChunkCall(l)),
    "}",
    `for (let i = 0; i < ${plan.parameters}; i++) grad[i] /= count;`,
    `if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`,
    "return loss / count;",
  ];
}
