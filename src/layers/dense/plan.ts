// The dense layer's plan: its tensors' offsets, scratch buffers (z only when something reads it, dL/da
// only when the loss does not write dL/dz directly) and the code form of its forward and backward.
import type { Activation, DenseLayer } from "../../ir.js";
import { ACTIVATIONS } from "../../maths.js";
import { batchName, type PlannedBuffer, type PlannedMatmul, type ShapeDecision } from "../../plan/base.js";
import type { LayerPlanContext, PlannedLayerBase } from "../rule.js";

export interface PlannedDense extends PlannedLayerBase {
  kind: "dense";
  /** 1-based number among the layers with parameters (names the tensors: layer1.weight, …). */
  number: number;
  inputs: number;
  outputs: number;
  activation: Activation;
  weightOffset: number;
  biasOffset: number;
  /** Buffer names: pre-activations (null when nothing reads them), activations, dL/dz, dL/da (null when never written). */
  z: string | null;
  a: string;
  dz: string;
  ga: string | null;
  /** True for the last layer when the loss is fused (the loss writes dL/dz directly). */
  fusedOutput: boolean;
  forward: ShapeDecision;
  backward: ShapeDecision;
}

/** "4 tanh", "3 leaky_relu(0.1)": the network one-liner's piece. */
export function describeDense(layer: DenseLayer): string {
  return `${layer.outputs} ${layer.activation.kind === "leaky_relu" ? `leaky_relu(${layer.activation.alpha})` : layer.activation.kind}`;
}

export function planDense(layer: DenseLayer, ctx: LayerPlanContext): { planned: PlannedDense; buffers: PlannedBuffer[] } {
  const { position, precision } = ctx;
  if (layer.inputs !== ctx.width) throw new Error(`plan: layer ${position} takes ${layer.inputs} inputs but gets ${ctx.width}`);
  const [weight, bias] = ctx.tensors as [(typeof ctx.tensors)[0], (typeof ctx.tensors)[0]];
  const act = ACTIVATIONS[layer.activation.kind];
  const fusedOutput = ctx.isLast && ctx.loss.fused;
  const needsZ = act.derivative.variables.includes("z") || (ctx.isLast && ctx.loss.term.variables.includes("z")) || act.vector;
  const z = needsZ ? `Z${position}` : null;
  const a = `A${position}`;
  const dz = `DZ${position}`;
  const ga = fusedOutput ? null : `GA${position}`;
  const buffers: PlannedBuffer[] = [];
  if (z !== null) buffers.push({ name: z, size: layer.outputs, precision, holds: `layer ${position} pre-activations z` });
  buffers.push({ name: a, size: layer.outputs, precision, holds: `layer ${position} activations a = ${layer.activation.kind}(z)` });
  buffers.push({ name: dz, size: layer.outputs, precision, holds: `layer ${position} dL/dz` });
  if (ga !== null) buffers.push({ name: ga, size: layer.outputs, precision, holds: `layer ${position} dL/da` });
  const macs = layer.inputs * layer.outputs;
  const planned: PlannedDense = {
    kind: "dense",
    position,
    number: ctx.number,
    inputs: layer.inputs,
    outputs: layer.outputs,
    activation: layer.activation,
    summary: describeDense(layer),
    weightOffset: weight.offset,
    biasOffset: bias.offset,
    input: ctx.input,
    gradientTarget: ctx.gradientTarget,
    z,
    a,
    dz,
    ga,
    fusedOutput,
    forward: ctx.decide(macs, `forward ${layer.inputs}→${layer.outputs}`),
    backward: ctx.decide(2 * macs, `backward ${layer.inputs}→${layer.outputs} (weight gradient + input gradient)`),
  };
  return { planned, buffers };
}

/** The dense layer as one matrix product of the blocked batch: Z = X·Wᵀ + b (into A when nothing reads z). */
export function denseMatmul(l: PlannedDense): PlannedMatmul {
  return {
    id: l.position,
    rowsPerSample: 1,
    inputs: l.inputs,
    outputs: l.outputs,
    weightOffset: l.weightOffset,
    biasOffset: l.biasOffset,
    input: l.input.kind === "sample" ? l.input : { kind: "buffer", name: batchName(l.input.name) },
    output: batchName(l.z ?? l.a),
    delta: batchName(l.dz),
    inputGradient: l.gradientTarget.kind === "sample" ? l.gradientTarget : { kind: "buffer", name: batchName(l.gradientTarget.name) },
  };
}

/** The chunk buffers of the blocked batch: chunk rows of z, a, dL/dz and dL/da (those the layer has). */
export function denseChunkBuffers(l: PlannedDense): string[] {
  return [l.z, l.a, l.dz, l.ga].filter((name): name is string => name !== null);
}
