// A layer kind that exists only in the tests, defined through the layer-rule table alone (issue 13's proof
// that the architecture absorbs a new kind): a per-unit scale y = s ⊙ x with a learnable s, one rule entry
// and its maths. Nothing in src/ names it. It supports the per-sample strategy (unrolled or looped) and the
// blocked one (TS chunk functions, and TS on the WebAssembly kernels' memory views); not the fused body, so
// the plan picks another strategy with the rule's reason.
import type { Layer } from "../../src/ir.js";
import { registerLayerRule } from "../../src/layers/index.js";
import type { LayerRule, PlannedLayerBase } from "../../src/layers/rule.js";
import { add, functionStructure, repeat } from "../../src/emit/code.js";
import {
  backwardChunkName,
  backwardName,
  chunkBackwardParameters,
  chunkForwardParameters,
  chunkInputArguments,
  chunkTargetArguments,
  forwardChunkName,
  forwardName,
  inputArguments,
  inputAt,
  inputParameters,
  targetArguments,
  targetAt,
  targetParameters,
  whenTarget,
} from "../../src/emit/layer-io.js";
import { batchName, type ShapeDecision } from "../../src/plan/base.js";

/** The IR node: `size` units in and out. */
export interface ScaleLayer {
  kind: "scale";
  size: number;
  range: null;
}

interface PlannedScale extends PlannedLayerBase {
  kind: "scale";
  size: number;
  /** Offset of s in the parameter vector. */
  offset: number;
  a: string;
  ga: string;
  shape: ShapeDecision;
}

/** A scale layer for a spec's layers (the IR's Layer union does not name the kind: the table does). */
export function scaleLayer(size: number): Layer {
  return { kind: "scale", size, range: null } as unknown as Layer;
}

/** The chunk rows of the layer's input: xs from xo (TS), XB (kernels), or the previous layer's chunk buffer. */
function chunkInput(l: PlannedScale, kernels: boolean): { array: string; base: string | number } {
  if (l.input.kind === "buffer") return { array: batchName(l.input.name), base: 0 };
  return kernels ? { array: "XB", base: 0 } : { array: "x", base: "xo" };
}

/** a[s,k] = s_k · x[s,k] over the chunk's n rows (parameters in `params`). */
function chunkForwardLines(l: PlannedScale, params: string, kernels: boolean): string[] {
  const input = chunkInput(l, kernels);
  return [
    "for (let s = 0; s < n; s++) {",
    `for (let k = 0; k < ${l.size}; k++) ${batchName(l.a)}[s * ${l.size} + k] = ${params}[${add(l.offset, "k")}] * ${input.array}[${add(input.base, `s * ${l.size}`, "k")}];`,
    "}",
  ];
}

/** ds_k += Σ_s g[s,k]·x[s,k] (samples ascending onto the running gradient), dx[s,k] = g[s,k]·s_k. */
function chunkBackwardLines(l: PlannedScale, params: string, grad: string, kernels: boolean): string[] {
  const input = chunkInput(l, kernels);
  const GA = batchName(l.ga);
  const lines = [
    `for (let k = 0; k < ${l.size}; k++) {`,
    `let acc = ${grad}[${add(l.offset, "k")}];`,
    `for (let s = 0; s < n; s++) acc += ${GA}[s * ${l.size} + k] * ${input.array}[${add(input.base, `s * ${l.size}`, "k")}];`,
    `${grad}[${add(l.offset, "k")}] = acc;`,
    "}",
  ];
  const dx = (target: string, base: string | number): string[] => [
    "for (let s = 0; s < n; s++) {",
    `for (let k = 0; k < ${l.size}; k++) ${target}[${add(base, `s * ${l.size}`, "k")}] = ${GA}[s * ${l.size} + k] * ${params}[${add(l.offset, "k")}];`,
    "}",
  ];
  if (l.gradientTarget.kind === "buffer") return [...lines, ...dx(batchName(l.gradientTarget.name), 0)];
  return [...lines, "if (gin !== null) {", ...dx("gin", kernels ? "xo" : "gino"), "}"];
}

export const SCALE_RULE: LayerRule<ScaleLayer, PlannedScale> = {
  kind: "scale",
  describe: (layer) => `scale ${layer.size}`,
  outputShape: (_layer, input) => input,
  activation: () => null,
  tensors: (layer) => [{ suffix: "scale", shape: [layer.size], role: { kind: "weight", fanIn: 1, fanOut: 1 } }],
  interpret: {
    forward: (layer, params, tensors, input) => {
      const s = tensors[0]!.offset;
      const output = new Float64Array(layer.size);
      for (let k = 0; k < layer.size; k++) output[k] = params[s + k]! * input[k]!;
      return { input, z: null, output, mask: null };
    },
    backward: (layer, params, tensors, trace, gOut, _dz, sums) => {
      const s = tensors[0]!.offset;
      const gIn = new Float64Array(layer.size);
      for (let k = 0; k < layer.size; k++) {
        sums[s + k] = sums[s + k]! + gOut![k]! * trace.input[k]!;
        gIn[k] = gOut![k]! * params[s + k]!;
      }
      return gIn;
    },
  },
  plan: (layer, ctx) => {
    if (layer.size !== ctx.width) throw new Error(`plan: scale layer ${ctx.position} has size ${layer.size} but gets ${ctx.width}`);
    const a = `A${ctx.position}`;
    const ga = `GA${ctx.position}`;
    return {
      planned: {
        kind: "scale",
        position: ctx.position,
        input: ctx.input,
        gradientTarget: ctx.gradientTarget,
        a,
        ga,
        z: null,
        dz: null,
        activation: null,
        summary: `scale ${layer.size}`,
        size: layer.size,
        offset: ctx.tensors[0]!.offset,
        shape: ctx.decide(layer.size, `scale over ${layer.size} units`),
      },
      buffers: [
        { name: a, size: layer.size, precision: ctx.precision, holds: `layer ${ctx.position} scaled units` },
        { name: ga, size: layer.size, precision: ctx.precision, holds: `layer ${ctx.position} dL/da` },
      ],
    };
  },
  decisions: (l) => [["units", l.shape]],
  planLine: (l) => `scale ${l.size}: ${l.shape.shape}`,
  sample: {
    forward: (ctx, l) =>
      functionStructure({
        name: forwardName(l.position),
        doc: `Layer ${l.position}: scale, a = s ⊙ in over ${l.size} units.`,
        parameters: [["params", ctx.array], ...inputParameters(l.input, ctx.array)],
        returns: "void",
        body: repeat(l.size, l.shape.shape, "k", (k) => [`${l.a}[${k}] = params[${add(l.offset, k)}] * ${inputAt(l.input, k)};`]),
      }),
    forwardCall: (l) => `${forwardName(l.position)}(${["params", ...inputArguments(l.input)].join(", ")});`,
    backward: (ctx, l) =>
      functionStructure({
        name: backwardName(l.position),
        doc: `Layer ${l.position} backward (scale): ds += dL/da ⊙ in; dL/d(input) = dL/da ⊙ s.`,
        parameters: [["params", ctx.array], ...inputParameters(l.input, ctx.array), ["grad", ctx.array], ...targetParameters(l.gradientTarget, ctx.array)],
        returns: "void",
        body: [
          ...repeat(l.size, l.shape.shape, "k", (k) => [`grad[${add(l.offset, k)}] += ${l.ga}[${k}] * ${inputAt(l.input, k)};`]),
          ...whenTarget(
            l.gradientTarget,
            repeat(l.size, l.shape.shape, "k", (k) => [`${targetAt(l.gradientTarget, k)} = ${l.ga}[${k}] * params[${add(l.offset, k)}];`]),
          ),
        ],
      }),
    backwardCall: (l) => `${backwardName(l.position)}(${["params", ...inputArguments(l.input), "grad", ...targetArguments(l.gradientTarget)].join(", ")});`,
    drawsMasks: false,
  },
  blocked: {
    supported: true,
    chunkBuffers: (l) => [l.a, l.ga],
    forwardChunk: (ctx, l) =>
      functionStructure({
        name: forwardChunkName(l.position),
        doc: `Layer ${l.position} forward over a chunk of n samples (scale ${l.size}).`,
        parameters: chunkForwardParameters(l.input, ctx.array),
        returns: "void",
        body: chunkForwardLines(l, "params", false),
      }),
    forwardChunkCall: (l) => `${forwardChunkName(l.position)}(${["params", ...chunkInputArguments(l.input), "n"].join(", ")});`,
    backwardChunk: (ctx, l) =>
      functionStructure({
        name: backwardChunkName(l.position),
        doc: `Layer ${l.position} backward over a chunk of n samples (scale ${l.size}).`,
        parameters: chunkBackwardParameters(l.input, l.gradientTarget, ctx.array),
        returns: "void",
        body: chunkBackwardLines(l, "params", "grad", false),
      }),
    backwardChunkCall: (l) =>
      `${backwardChunkName(l.position)}(${["params", ...chunkInputArguments(l.input), "grad", "n", ...chunkTargetArguments(l.gradientTarget)].join(", ")});`,
    kernelForward: (_ctx, l) => chunkForwardLines(l, "KP", true),
    kernelBackward: (_ctx, l) => chunkBackwardLines(l, "KP", "KG", true),
  },
  fused: { supported: false, reason: "the test's scale layer has no fused code" },
  forwardCost: (l) => l.shape,
  hasKinks: () => false,
  limits: {
    text: (l, unrolled, sink) => sink.add(2_500 + 60 * (unrolled(l.shape) ?? 0)),
    textOfSpec: (layer, _width, unrolled, sink) => sink.add(2_500 + 60 * (unrolled(layer.size) ?? 0)),
    parameters: (layer) => layer.size,
    bufferUnits: (layer) => 2 * layer.size,
  },
  // y = s ⊙ x is ONNX's Mul with s as an initializer.
  onnx: (layer, sink) => sink.node("Mul", [sink.parameter(0, [layer.size])]),
};

let registered = false;
/** Adds the scale kind to the layer-rule table (once per test process). */
export function registerScaleLayer(): void {
  if (!registered) registerLayerRule(SCALE_RULE);
  registered = true;
}
