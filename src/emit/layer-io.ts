// How a layer function reads its input and writes its input gradient, for every layer rule's emitted code:
// the sample row of x (at xo) or the previous layer's buffer; the caller's input-gradient row gin (at gino,
// when given) or the previous layer's dL/da buffer.
import { batchName, type InputGradientTarget, type InputSource } from "../plan/base.js";
import { add, type Index } from "./code.js";

/** The input element i of a layer: the sample row of x, or the previous layer's buffer. */
export function inputAt(source: InputSource, i: Index): string {
  return source.kind === "sample" ? `x[${add("xo", i)}]` : `${source.name}[${i}]`;
}

/** Parameters a layer function takes to read its input. */
export function inputParameters(source: InputSource, array: string): [string, string][] {
  return source.kind === "sample"
    ? [
        ["x", array],
        ["xo", "number"],
      ]
    : [];
}

export function inputArguments(source: InputSource): string[] {
  return source.kind === "sample" ? ["x", "xo"] : [];
}

export function forwardName(position: number): string {
  return `forwardLayer${position}`;
}

export function backwardName(position: number): string {
  return `backwardLayer${position}`;
}

/** The blocked strategy's chunk functions of a layer (src/emit/batched.ts calls them). */
export function forwardChunkName(position: number): string {
  return `forwardChunk${position}`;
}

export function backwardChunkName(position: number): string {
  return `backwardChunk${position}`;
}

/** What a chunk function's caller passes for its input rows (the chunk's rows of xs from xo) and its input gradient (gin from xo): nothing when they are the previous layer's chunk buffers. */
export function chunkInputArguments(source: InputSource): string[] {
  return source.kind === "sample" ? ["xs", "xo"] : [];
}

export function chunkTargetArguments(target: InputGradientTarget): string[] {
  return target.kind === "sample" ? ["gin", "xo"] : [];
}

/** The parameters of a layer's chunk functions, matching the arguments above: forward (params, its input rows, n) and backward (… grad, n, its input gradient). */
export function chunkForwardParameters(source: InputSource, array: string): [string, string][] {
  return [["params", array], ...inputParameters(source, array), ["n", "number"]];
}

export function chunkBackwardParameters(source: InputSource, target: InputGradientTarget, array: string): [string, string][] {
  return [["params", array], ...inputParameters(source, array), ["grad", array], ["n", "number"], ...targetParameters(target, array)];
}

/** The same for a layer without parameters (pooling, flatten): forward (its input rows, n) and backward (n, its input gradient). */
export function unweightedChunkForwardParameters(source: InputSource, array: string): [string, string][] {
  return [...inputParameters(source, array), ["n", "number"]];
}

export function unweightedChunkBackwardParameters(target: InputGradientTarget, array: string): [string, string][] {
  return [["n", "number"], ...targetParameters(target, array)];
}

export function targetAt(target: InputGradientTarget, i: Index): string {
  return target.kind === "sample" ? `gin[${add("gino", i)}]` : `${target.name}[${i}]`;
}

export function targetParameters(target: InputGradientTarget, array: string): [string, string][] {
  return target.kind === "sample"
    ? [
        ["gin", `${array} | null`],
        ["gino", "number"],
      ]
    : [];
}

export function targetArguments(target: InputGradientTarget): string[] {
  return target.kind === "sample" ? ["gin", "gino"] : [];
}

/** Wrap statements that write the caller's input gradient in a null check. */
export function whenTarget(target: InputGradientTarget, statements: string[]): string[] {
  return target.kind === "sample" ? ["if (gin !== null) {", ...statements, "}"] : statements;
}

/** Where a chunk's sample rows are, for the image layers' chunk code: an array and the offset of the chunk's first row. */
export interface ChunkRows {
  array: string;
  base: Index;
}

/**
 * A layer's input rows over a chunk: in a TS chunk function the chunk's rows of x from xo (the sample) or the
 * previous layer's chunk buffer; on the kernel path (inline in lossAndGradientKernels and the predictor) the
 * sample rows are in XB from 0.
 */
export function chunkInputRows(source: InputSource, path: "chunk" | "kernels"): ChunkRows {
  if (source.kind === "buffer") return { array: batchName(source.name), base: 0 };
  return path === "chunk" ? { array: "x", base: "xo" } : { array: "XB", base: 0 };
}

/**
 * A layer's input-gradient rows over a chunk: gin from gino in a TS chunk function, GINB on the kernel path
 * (copied into gin after: kernelInputGradientCopy; both only when gin is given), or the previous layer's
 * chunk buffer.
 */
export function chunkTargetRows(target: InputGradientTarget, path: "chunk" | "kernels"): ChunkRows {
  if (target.kind === "buffer") return { array: batchName(target.name), base: 0 };
  return path === "chunk" ? { array: "gin", base: "gino" } : { array: "GINB", base: 0 };
}

/** The kernel path's copy of the chunk's input gradient (GINB) into the caller's gin, as the dense layer's x kernel leaves it. */
export function kernelInputGradientCopy(inputs: number): string {
  return `gin.set(GINB.subarray(0, n * ${inputs}), xo);`;
}
