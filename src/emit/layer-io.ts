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
