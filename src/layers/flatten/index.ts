// The flatten layer's rule: C×H×W → C·H·W units, channel-major as PyTorch's flatten. The memory is already in
// that order, so its code is a copy forward and back; an fc layer after an image flattens implicitly, and
// `layer flatten` only says so in the spec. No parameters.
import type { FlattenLayer } from "../../ir.js";
import type { FunctionDeclarationStructure } from "ts-morph";
import type { PlannedBuffer, ShapeDecision } from "../../plan/base.js";
import type { LayerRule, PlannedLayerBase } from "../rule.js";
import { sizeOf } from "../types.js";
import { shapeText } from "../window.js";
import { add, functionStructure, repeat } from "../../emit/code.js";
import { batchName } from "../../plan/base.js";
import {
  backwardChunkName,
  backwardName,
  unweightedChunkBackwardParameters,
  unweightedChunkForwardParameters,
  chunkInputArguments,
  chunkInputRows,
  chunkTargetArguments,
  chunkTargetRows,
  forwardChunkName,
  forwardName,
  inputArguments,
  inputAt,
  inputParameters,
  kernelInputGradientCopy,
  targetArguments,
  targetAt,
  targetParameters,
  whenTarget,
} from "../../emit/layer-io.js";
import type { LayerCheck } from "../../front/checks/layer-check.js";

export interface PlannedFlatten extends PlannedLayerBase {
  kind: "flatten";
  from: number[];
  size: number;
  a: string;
  ga: string;
  activation: null;
  z: null;
  dz: null;
  shape: ShapeDecision;
}

const flattenChecks: readonly LayerCheck<FlattenLayer>[] = [
  {
    code: "NN008",
    run({ statement: s }, report) {
      if (s.from) report(s.from.range, "`layer flatten` takes no sizes: it keeps every number of the layer before it");
      if (s.activation) report(s.activation.kind.range, "`layer flatten` takes no activation");
    },
  },
];

/** The chunk's rows copied (in a TS chunk function, or inline on the kernel path). */
function flattenChunkForward(l: PlannedFlatten, path: "chunk" | "kernels"): string[] {
  const input = chunkInputRows(l.input, path);
  return [`for (let k = 0; k < n * ${l.size}; k++) ${batchName(l.a)}[k] = ${input.array}[${add(input.base, "k")}];`];
}

function flattenChunkBackward(l: PlannedFlatten, path: "chunk" | "kernels"): string[] {
  const target = chunkTargetRows(l.gradientTarget, path);
  const copy = `for (let k = 0; k < n * ${l.size}; k++) ${target.array}[${add(target.base, "k")}] = ${batchName(l.ga)}[k];`;
  if (l.gradientTarget.kind === "buffer") return [copy];
  return ["if (gin !== null) {", copy, ...(path === "kernels" ? [kernelInputGradientCopy(l.size)] : []), "}"];
}

export const FLATTEN_RULE: LayerRule<FlattenLayer, PlannedFlatten> = {
  kind: "flatten",
  syntax: {
    word: "flatten",
    options: {},
    lower: (ctx, range) => ({ kind: "flatten", input: [...ctx.shape], range }),
    checks: flattenChecks,
    widths: () => null,
  },
  describe: (layer) => `flatten ${sizeOf(layer.input)}`,
  outputShape: (layer) => [sizeOf(layer.input)],
  activation: () => null,
  tensors: () => [],
  interpret: {
    forward: (_layer, _params, _tensors, input) => ({ input, z: null, output: Float64Array.from(input), mask: null }),
    backward: (_layer, _params, _tensors, _trace, gOut) => Float64Array.from(gOut!),
  },
  plan(layer, ctx): { planned: PlannedFlatten; buffers: PlannedBuffer[] } {
    const { position, precision, width } = ctx;
    const planned: PlannedFlatten = {
      kind: "flatten",
      position,
      from: [...layer.input],
      size: width,
      a: `A${position}`,
      ga: `GA${position}`,
      activation: null,
      z: null,
      dz: null,
      summary: `flatten ${width}`,
      input: ctx.input,
      gradientTarget: ctx.gradientTarget,
      shape: ctx.decide(width, `flatten copy of ${width} numbers`),
    };
    return {
      planned,
      buffers: [
        { name: planned.a, size: width, precision, holds: `layer ${position} ${shapeText(layer.input)} flattened` },
        { name: planned.ga, size: width, precision, holds: `layer ${position} dL/da` },
      ],
    };
  },
  decisions: (l) => [["copy", l.shape]],
  planLine: (l) => `flatten ${shapeText(l.from)} → ${l.size}: ${l.shape.shape}`,
  sample: {
    forward: (ctx, l): FunctionDeclarationStructure =>
      functionStructure({
        name: forwardName(l.position),
        doc: `Layer ${l.position}: flatten ${shapeText(l.from)} → ${l.size} (channel-major: the same order, copied).`,
        parameters: inputParameters(l.input, ctx.array),
        returns: "void",
        body: repeat(l.size, l.shape.shape, "k", (k) => [`${l.a}[${k}] = ${inputAt(l.input, k)};`]),
      }),
    forwardCall: (l) => `${forwardName(l.position)}(${inputArguments(l.input).join(", ")});`,
    backward: (ctx, l): FunctionDeclarationStructure =>
      functionStructure({
        name: backwardName(l.position),
        doc: `Layer ${l.position} backward (flatten): dL/d(input) = dL/da, copied.`,
        parameters: targetParameters(l.gradientTarget, ctx.array),
        returns: "void",
        body: whenTarget(
          l.gradientTarget,
          repeat(l.size, l.shape.shape, "k", (k) => [`${targetAt(l.gradientTarget, k)} = ${l.ga}[${k}];`]),
        ),
      }),
    backwardCall: (l) => `${backwardName(l.position)}(${targetArguments(l.gradientTarget).join(", ")});`,
    drawsMasks: false,
  },
  blocked: {
    supported: true,
    matmuls: () => [],
    chunkBuffers: (l) => [l.a, l.ga],
    sampleBackwardBuffers: (l) => [l.ga],
    activations: () => [],
    forwardChunk: (ctx, l) =>
      functionStructure({
        name: forwardChunkName(l.position),
        doc: `Layer ${l.position} forward over a chunk of n samples (flatten ${shapeText(l.from)} → ${l.size}: copied).`,
        parameters: unweightedChunkForwardParameters(l.input, ctx.array),
        returns: "void",
        body: flattenChunkForward(l, "chunk"),
      }),
    forwardChunkCall: (l) => `${forwardChunkName(l.position)}(${[...chunkInputArguments(l.input), "n"].join(", ")});`,
    backwardChunk: (ctx, l) =>
      functionStructure({
        name: backwardChunkName(l.position),
        doc: `Layer ${l.position} backward over a chunk of n samples (flatten: dL/d(input) = dL/da, copied).`,
        parameters: unweightedChunkBackwardParameters(l.gradientTarget, ctx.array),
        returns: "void",
        body: flattenChunkBackward(l, "chunk"),
      }),
    backwardChunkCall: (l) => `${backwardChunkName(l.position)}(${["n", ...chunkTargetArguments(l.gradientTarget)].join(", ")});`,
    kernelForward: (_ctx, l) => flattenChunkForward(l, "kernels"),
    kernelBackward: (_ctx, l) => flattenChunkBackward(l, "kernels"),
  },
  fused: { supported: false, reason: "flatten layers copy between buffers" },
  forwardCost: (l) => l.shape,
  hasKinks: () => false,
  limits: {
    text: (l, unrolled, sink) => sink.add(1_500 + 60 * (unrolled(l.shape) ?? 0)),
    textOfSpec: (layer, _width, unrolled, sink) => sink.add(1_500 + 60 * (unrolled(sizeOf(layer.input)) ?? 0)),
    parameters: () => 0,
    bufferUnits: (layer) => 2 * sizeOf(layer.input),
  },
  onnx: (_layer, sink) => sink.node("Flatten", [], [{ name: "axis", int: 1 }]),
};
