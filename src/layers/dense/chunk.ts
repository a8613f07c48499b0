// The dense layer in the blocked batch strategy: its matrix product (src/emit/matmul.ts) plus the element-wise
// work around it — the activation after the forward product, dL/dz before the backward products — over a
// chunk of n samples in the chunk buffers (<buffer>B, n rows × outputs).
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, callsElementary, literal, substitute } from "../../maths.js";
import { batchName } from "../../plan/base.js";
import { functionStructure, type EmitContext } from "../../emit/code.js";
import { biasGradient, forwardProduct, inputGradientProduct, weightGradientProduct } from "../../emit/matmul.js";
import {
  backwardChunkName,
  chunkBackwardParameters,
  chunkForwardParameters,
  chunkInputArguments,
  chunkTargetArguments,
  forwardChunkName,
} from "../../emit/layer-io.js";
import { denseMatmul, type PlannedDense } from "./plan.js";

/** Softmax over each of the chunk's n rows of Z<p>B into A<p>B, as the per-sample forward: a_k = e^(z_k − max) / Σ_j e^(z_j − max). */
export function softmaxRows(l: PlannedDense): string[] {
  const act = ACTIVATIONS[l.activation.kind];
  const Z = batchName(l.z!);
  const A = batchName(l.a);
  const Out = l.outputs;
  const exp = substitute(act.forward.text, { z: `(${Z}[o + k] - max)` });
  return [
    "for (let s = 0; s < n; s++) {",
    `const o = s * ${Out};`,
    `let max = ${Z}[o];`,
    `for (let k = 1; k < ${Out}; k++) if (${Z}[o + k] > max) max = ${Z}[o + k];`,
    "let sum = 0;",
    `for (let k = 0; k < ${Out}; k++) {`,
    `${A}[o + k] = ${exp};`,
    `sum += ${A}[o + k];`,
    "}",
    `for (let k = 0; k < ${Out}; k++) ${A}[o + k] /= sum;`,
    "}",
  ];
}

/** The activation over the chunk's n rows, in TS, after the kernels' forward product (which wrote z, or a in place). */
export function chunkActivation(l: PlannedDense): string[] {
  const act = ACTIVATIONS[l.activation.kind];
  if (act.vector) return softmaxRows(l);
  const source = batchName(l.z ?? l.a);
  const A = batchName(l.a);
  return [
    `for (let k = 0; k < n * ${l.outputs}; k++) {`,
    `const z = ${source}[k];`,
    `${A}[k] = ${substitute(act.forward.text, { z: "z", alpha: literal(l.activation.alpha) })};`,
    "}",
  ];
}

/** dL/dz over the chunk's n rows (from dL/da and the activation's derivative; nothing when the loss wrote it). */
export function chunkDelta(l: PlannedDense): string[] {
  const act = ACTIVATIONS[l.activation.kind];
  const Out = l.outputs;
  const DZ = batchName(l.dz);
  const body: string[] = [];
  if (!l.fusedOutput) {
    const GA = batchName(l.ga!);
    const A = batchName(l.a);
    if (act.vector) {
      // softmax Jacobian per row: dL/dz_k = a_k (g_k − Σ_j g_j a_j).
      body.push(
        "for (let s = 0; s < n; s++) {",
        `const o = s * ${Out};`,
        "let dot = 0;",
        `for (let k = 0; k < ${Out}; k++) dot += ${GA}[o + k] * ${A}[o + k];`,
        `for (let k = 0; k < ${Out}; k++) ${DZ}[o + k] = ${A}[o + k] * (${GA}[o + k] - dot);`,
        "}",
      );
    } else {
      const derivative = substitute(act.derivative.text, {
        a: `${A}[k]`,
        z: l.z === null ? "0" : `${batchName(l.z)}[k]`,
        alpha: literal(l.activation.alpha),
      });
      body.push(`for (let k = 0; k < n * ${Out}; k++) ${DZ}[k] = ${GA}[k] * (${derivative});`);
    }
  }
  return body;
}

export function denseForwardChunk(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
  const tile = ctx.plan.batch.tile;
  const act = ACTIVATIONS[l.activation.kind];
  const m = denseMatmul(l);
  const Z = l.z === null ? null : batchName(l.z);
  const A = batchName(l.a);
  const activate = substitute(act.forward.text, { z: "z", alpha: literal(l.activation.alpha) });
  // tanh and σ call nnc's elementary functions: z goes into A in the tiles, and one loop applies them (one call site).
  const later = !act.vector && callsElementary(act.forward);
  const body = forwardProduct(m, tile, (at) => [
    ...(Z !== null ? [`${Z}[${at}] = z;`] : []),
    ...(act.vector ? [] : [`${A}[${at}] = ${later ? "z" : activate};`]),
  ]);
  if (later) body.push(`for (let k = 0; k < n * ${l.outputs}; k++) {`, `const z = ${A}[k];`, `${A}[k] = ${activate};`, "}");
  if (act.vector) body.push(...softmaxRows(l));
  return functionStructure({
    name: forwardChunkName(l.position),
    doc: `Layer ${l.position} forward over a chunk of n samples (dense ${l.inputs} → ${l.outputs} ${l.activation.kind}): ${Z ?? A} = X·Wᵀ + b in ${tile.samples} × ${tile.outputs} register tiles, then the activation into ${A}.`,
    parameters: chunkForwardParameters(l.input, ctx.array),
    returns: "void",
    body,
  });
}

export function denseBackwardChunk(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
  const tile = ctx.plan.batch.tile;
  const m = denseMatmul(l);
  const body: string[] = [...chunkDelta(l), ...biasGradient(m, "grad"), ...weightGradientProduct(m, tile), ...inputGradientProduct(m, tile)];
  return functionStructure({
    name: backwardChunkName(l.position),
    doc: `Layer ${l.position} backward over a chunk of n samples (dense ${l.inputs} → ${l.outputs} ${l.activation.kind}): ${m.delta}, then dL/db and dL/dW added to grad and dL/d(input) written, in register tiles.`,
    parameters: chunkBackwardParameters(l.input, l.gradientTarget, ctx.array),
    returns: "void",
    body,
  });
}

export function denseForwardChunkCall(l: PlannedDense): string {
  return `${forwardChunkName(l.position)}(${["params", ...chunkInputArguments(l.input), "n"].join(", ")});`;
}

export function denseBackwardChunkCall(l: PlannedDense): string {
  const args = ["params", ...chunkInputArguments(l.input), "grad", "n", ...chunkTargetArguments(l.gradientTarget)];
  return `${backwardChunkName(l.position)}(${args.join(", ")});`;
}
