// How a layer function reads its input and writes its input gradient, for every layer rule's emitted code:
// the sample row of x (at xo) or the previous layer's buffer; the caller's input-gradient row gin (at gino,
// when given) or the previous layer's dL/da buffer.
import type { InputGradientTarget, InputSource } from "../plan/base.js";
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
