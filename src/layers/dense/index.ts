// The dense (fully connected) layer's rule: y = act(W·x + b), W stored row-major [outputs][inputs], then b.
import type { DenseLayer } from "../../ir.js";
import { ACTIVATIONS } from "../../maths.js";
import type { LayerRule } from "../rule.js";
import { denseChecks } from "./checks.js";
import { interpretDenseBackward, interpretDenseForward } from "./interpret.js";
import { denseChunkBuffers, denseMatmul, describeDense, planDense, type PlannedDense } from "./plan.js";
import { denseBackward, denseBackwardCall, denseForward, denseForwardCall } from "./sample.js";
import { denseBackwardChunk, denseBackwardChunkCall, denseForwardChunk, denseForwardChunkCall } from "./chunk.js";
import { denseKernelBackward, denseKernelForward } from "./kernels.js";
import { denseFusedBackward, denseFusedForward } from "./fused.js";
import { batchName } from "../../plan/base.js";
import { DENSE_KINKS } from "./kinks.js";
import { DENSE_LIMITS } from "./limits.js";

export type { PlannedDense } from "./plan.js";

export const DENSE_RULE: LayerRule<DenseLayer, PlannedDense> = {
  kind: "dense",
  syntax: {
    word: "fc",
    options: {},
    // `fc 2->4`: inputs and outputs; `fc 10`: outputs, the inputs being whatever comes in (an image flattened).
    lower(ctx, range) {
      const to = ctx.size("to");
      const lone = Number.isNaN(to);
      return { kind: "dense", inputs: lone ? ctx.width : ctx.size("from"), outputs: lone ? ctx.size("from") : to, activation: ctx.activation(), range };
    },
    checks: denseChecks,
    widths: (layer) => ({ inputs: layer.inputs, outputs: layer.outputs }),
    statementWith: (layer, activation) => `layer fc ${layer.inputs}->${layer.outputs} ${activation}`,
  },
  describe: describeDense,
  outputShape: (layer) => [layer.outputs],
  activation: (layer) => layer.activation,
  tensors: (layer) => [
    { suffix: "weight", shape: [layer.outputs, layer.inputs], role: { kind: "weight", fanIn: layer.inputs, fanOut: layer.outputs } },
    { suffix: "bias", shape: [layer.outputs], role: { kind: "bias" } },
  ],
  interpret: {
    forward: (layer, params, tensors, input) => interpretDenseForward(layer, params, tensors, input),
    backward: interpretDenseBackward,
  },
  plan: planDense,
  decisions: (l) => [
    ["forward", l.forward],
    ["backward", l.backward],
  ],
  planLine: (l) => `dense ${l.inputs}→${l.outputs} ${l.activation.kind}`,
  sample: { forward: denseForward, forwardCall: denseForwardCall, backward: denseBackward, backwardCall: denseBackwardCall, drawsMasks: false },
  blocked: {
    supported: true,
    matmuls: (l) => [denseMatmul(l)],
    chunkBuffers: denseChunkBuffers,
    sampleBackwardBuffers: (l) => [l.dz, ...(l.ga === null ? [] : [l.ga])],
    activations: (l) => [
      { layer: l.position, kind: l.activation.kind, input: batchName(l.z ?? l.a), output: batchName(l.a), delta: batchName(l.dz), width: l.outputs },
    ],
    forwardChunk: denseForwardChunk,
    forwardChunkCall: denseForwardChunkCall,
    backwardChunk: denseBackwardChunk,
    backwardChunkCall: denseBackwardChunkCall,
    kernelForward: denseKernelForward,
    kernelBackward: denseKernelBackward,
  },
  fused: { supported: true, locals: (l) => [l.dz, ...(l.ga === null ? [] : [l.ga])], forward: denseFusedForward, backward: denseFusedBackward },
  forwardCost: (l) => l.forward,
  hasKinks: (layer) => ACTIVATIONS[layer.activation.kind].kinkAtZero,
  kinks: DENSE_KINKS,
  limits: DENSE_LIMITS,
  // Gemm with B = W [outputs][inputs] and transB=1; a Flatten first when an image comes in (NCHW row-major = nnc's order).
  onnx(layer, sink) {
    if (sink.shape.length > 1) sink.node("Flatten", [], [{ name: "axis", int: 1 }]);
    sink.node("Gemm", [sink.parameter(0, [layer.outputs, layer.inputs]), sink.parameter(1, [layer.outputs])], [{ name: "transB", int: 1 }]);
    sink.activation(layer.activation);
  },
};
