// The conv layer's rule: a 2-D convolution (PyTorch's Conv2d, groups 1, dilation 1) over a C×H×W input,
// y = act(W ⋆ x + b), W stored [filters][channels][kh][kw], then b [filters] (PyTorch's layout, so ONNX and
// PyTorch weights map 1:1). Per-sample code, and the blocked strategy through im2col and the planned matrix
// product (src/layers/conv/chunk.ts; the WebAssembly kernels run the product).
import type { ConvLayer } from "../../ir.js";
import { ACTIVATIONS } from "../../maths.js";
import type { LayerRule } from "../rule.js";
import { convChecks } from "./checks.js";
import { interpretConvBackward, interpretConvForward } from "./interpret.js";
import { convChunkOnlyBuffers, convMatmul, convOutputShape, describeConv, planConv, type PlannedConv } from "./plan.js";
import { convBackwardChunk, convBackwardChunkCall, convForwardChunk, convForwardChunkCall, convKernelBackward, convKernelForward } from "./chunk.js";
import { convBackward, convBackwardCall, convForward, convForwardCall } from "./sample.js";
import { CONV_LIMITS } from "./limits.js";
import { sizeOf } from "../types.js";
import { pairText } from "../window.js";

export type { PlannedConv } from "./plan.js";

export const CONV_RULE: LayerRule<ConvLayer, PlannedConv> = {
  kind: "conv",
  syntax: {
    word: "conv",
    options: {
      kernel: { type: "pair", min: 1, default: null, required: true, doc: "window size: `kernel=5` (5×5) or `kernel=3x5` (rows × columns)" },
      stride: { type: "pair", min: 1, default: 1, doc: "step between windows: `stride=2` or `stride=1x2`" },
      padding: { type: "padding", min: 0, default: 0, doc: "zeros added on each side: `padding=1`, `padding=1x2`, or `padding=same` (odd kernel, stride 1)" },
    },
    lower(ctx, range) {
      const kernel = ctx.pair("kernel");
      const to = ctx.size("to");
      return {
        kind: "conv",
        input: [...ctx.shape],
        filters: Number.isNaN(to) ? ctx.size("from") : to,
        kernel,
        stride: ctx.pair("stride"),
        // `same` keeps H × W: (k − 1)/2 on each side (NN064 refuses an even kernel or a stride).
        padding: ctx.same("padding") ? [(kernel[0] - 1) / 2, (kernel[1] - 1) / 2] : ctx.pair("padding"),
        activation: ctx.activation(),
        range,
      };
    },
    checks: convChecks,
    widths: (layer) => ({ inputs: sizeOf(layer.input), outputs: sizeOf(convOutputShape(layer)) }),
  },
  describe: describeConv,
  outputShape: (layer) => convOutputShape(layer),
  activation: (layer) => layer.activation,
  tensors(layer) {
    const channels = layer.input[0]!;
    const fanIn = channels * layer.kernel[0] * layer.kernel[1];
    return [
      // PyTorch's fans for a conv weight: in = channels·kh·kw, out = filters·kh·kw (torch.nn.init._calculate_fan_in_and_fan_out).
      {
        suffix: "weight",
        shape: [layer.filters, channels, layer.kernel[0], layer.kernel[1]],
        role: { kind: "weight", fanIn, fanOut: layer.filters * layer.kernel[0] * layer.kernel[1] },
      },
      { suffix: "bias", shape: [layer.filters], role: { kind: "bias" } },
    ];
  },
  interpret: {
    forward: (layer, params, tensors, input) => interpretConvForward(layer, params, tensors, input),
    backward: interpretConvBackward,
  },
  plan: planConv,
  decisions: (l) => [
    ["forward window", l.forwardWindow],
    ["backward window", l.backwardWindow],
  ],
  planLine: (l) =>
    `conv ${l.geometry.channels}×${l.geometry.height}×${l.geometry.width} → ${l.filters}×${l.geometry.outHeight}×${l.geometry.outWidth} (${pairText(l.geometry.kernel)}, stride ${pairText(l.geometry.stride)}, padding ${pairText(l.geometry.padding)}) ${l.activation.kind}`,
  sample: { forward: convForward, forwardCall: convForwardCall, backward: convBackward, backwardCall: convBackwardCall, drawsMasks: false },
  blocked: {
    supported: true,
    matmuls: (l) => [convMatmul(l)],
    chunkBuffers: (l) => [l.z, l.a, l.ga, l.fusedOutput ? l.dz : null].filter((name): name is string => name !== null),
    chunkOnlyBuffers: convChunkOnlyBuffers,
    sampleBackwardBuffers: (l) => [l.dz, ...(l.ga === null ? [] : [l.ga])],
    // The activation runs in the transpose out of the product's channel-last rows (no f32 element-wise kernel).
    activations: () => [],
    forwardChunk: convForwardChunk,
    forwardChunkCall: convForwardChunkCall,
    backwardChunk: convBackwardChunk,
    backwardChunkCall: convBackwardChunkCall,
    kernelForward: (ctx, l, kernel) => convKernelForward(ctx, l, kernel),
    kernelBackward: convKernelBackward,
  },
  fused: { supported: false, reason: "conv layers loop over their output positions" },
  forwardCost: (l) => l.cost,
  hasKinks: (layer) => ACTIVATIONS[layer.activation.kind].kinkAtZero,
  limits: CONV_LIMITS,
  // Conv with W [filters][channels][kh][kw] (the same layout) and symmetric pads [py, px, py, px].
  onnx(layer, sink) {
    const [kh, kw] = layer.kernel;
    const [py, px] = layer.padding;
    sink.node(
      "Conv",
      [sink.parameter(0, [layer.filters, layer.input[0]!, kh, kw]), sink.parameter(1, [layer.filters])],
      [
        { name: "kernel_shape", ints: [kh, kw] },
        { name: "strides", ints: [...layer.stride] },
        { name: "pads", ints: [py, px, py, px] },
      ],
    );
    sink.activation(layer.activation);
  },
};
