// The pooling layers' rules, max and average: one rule per kind (`layer maxpool 2`, `layer avgpool 2`)
// sharing their geometry, plan, code and checks; no parameters, no padding (PyTorch's MaxPool2d/AvgPool2d
// with padding 0). Per-sample code and chunk code (the same lines over a chunk's samples; no matrix product).
import type { AvgPoolLayer, MaxPoolLayer, PoolLayer } from "../../ir.js";
import type { LayerRule } from "../rule.js";
import { sizeOf } from "../types.js";
import { pairText } from "../window.js";
import { poolChecks } from "./checks.js";
import { interpretPoolBackward, interpretPoolForward } from "./interpret.js";
import { describePool, planPool, poolOutputShape, type PlannedAvgPool, type PlannedMaxPool, type PlannedPool } from "./plan.js";
import {
  poolBackward,
  poolBackwardCall,
  poolBackwardChunk,
  poolBackwardChunkCall,
  poolChunkBackwardLines,
  poolChunkForwardLines,
  poolForward,
  poolForwardCall,
  poolForwardChunk,
  poolForwardChunkCall,
} from "./sample.js";
import { POOL_LIMITS } from "./limits.js";

export type { PlannedAvgPool, PlannedMaxPool, PlannedPool } from "./plan.js";

function poolRule<K extends "maxpool" | "avgpool">(kind: K, doc: string): LayerRule<PoolLayer<K>, PlannedPool<K>> {
  return {
    kind,
    syntax: {
      word: kind,
      options: {
        kernel: { type: "pair", min: 1, default: null, doc: `window size, if not written after \`${kind}\`: \`kernel=2\` or \`kernel=2x3\`` },
        stride: { type: "pair", min: 1, default: null, doc: "step between windows (default: the window, so windows do not overlap)" },
      },
      lower(ctx, range) {
        const size = ctx.sizePair("from");
        const kernel = !Number.isNaN(size[0]) ? size : ctx.pair("kernel");
        const stride = ctx.pair("stride");
        return {
          kind,
          input: [...ctx.shape],
          kernel,
          stride: Number.isNaN(stride[0]) ? kernel : stride,
          range,
        };
      },
      checks: poolChecks,
      pairSize: true,
      widths: (layer) => ({ inputs: sizeOf(layer.input), outputs: sizeOf(poolOutputShape(layer)) }),
    },
    describe: describePool,
    outputShape: (layer) => poolOutputShape(layer),
    activation: () => null,
    tensors: () => [],
    interpret: {
      forward: (layer, _params, _tensors, input) => interpretPoolForward(layer, input),
      backward: (layer, _params, _tensors, trace, gOut) => interpretPoolBackward(layer, trace, gOut!),
    },
    plan: planPool,
    decisions: (l) => [["window", l.window]],
    planLine: (l) =>
      `${l.kind} ${l.geometry.channels}×${l.geometry.height}×${l.geometry.width} → ${l.geometry.channels}×${l.geometry.outHeight}×${l.geometry.outWidth} (${pairText(l.geometry.kernel)}, stride ${pairText(l.geometry.stride)}): ${doc}`,
    sample: { forward: poolForward, forwardCall: poolForwardCall, backward: poolBackward, backwardCall: poolBackwardCall, drawsMasks: false },
    blocked: {
      supported: true,
      matmuls: () => [],
      chunkBuffers: (l) => [l.a, ...(l.argmax !== null ? [l.argmax] : []), l.ga],
      sampleBackwardBuffers: (l) => [l.ga],
      activations: () => [],
      forwardChunk: poolForwardChunk,
      forwardChunkCall: poolForwardChunkCall,
      backwardChunk: poolBackwardChunk,
      backwardChunkCall: poolBackwardChunkCall,
      kernelForward: (_ctx, l) => poolChunkForwardLines(l, "kernels"),
      kernelBackward: (_ctx, l) => poolChunkBackwardLines(l, "kernels"),
    },
    fused: { supported: false, reason: `${kind} layers loop over their windows` },
    forwardCost: (l) => ({
      shape: "loop",
      multiplyAdds: l.outputs * l.geometry.kernel[0] * l.geometry.kernel[1],
      reason: `${l.outputs} windows of ${l.geometry.kernel[0] * l.geometry.kernel[1]}`,
    }),
    // A max is not differentiable where two taps of a window tie; the checker reads the gaps from the interpreter's trace.
    hasKinks: () => kind === "maxpool",
    limits: POOL_LIMITS,
    // MaxPool / AveragePool, no pads (ceil_mode 0: the same floor as nnc's).
    onnx: (layer, sink) =>
      sink.node(
        kind === "maxpool" ? "MaxPool" : "AveragePool",
        [],
        [
          { name: "kernel_shape", ints: [...layer.kernel] },
          { name: "strides", ints: [...layer.stride] },
        ],
      ),
  };
}

export const MAXPOOL_RULE: LayerRule<MaxPoolLayer, PlannedMaxPool> = poolRule("maxpool", "the first maximum of each window (row-major) wins a tie");
export const AVGPOOL_RULE: LayerRule<AvgPoolLayer, PlannedAvgPool> = poolRule("avgpool", "the mean of each window");
