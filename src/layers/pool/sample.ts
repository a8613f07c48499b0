// The pooling layers' per-sample code, every bound a literal. Max: per channel and window, the first
// maximum in row-major order (a later tap wins only when strictly greater: the interpreter's tie rule) and
// its input index, kept for the backward, which adds each dL/da to that input. Average: the window's sum
// over its size, and each dL/da shared equally back over the window.
import type { FunctionDeclarationStructure } from "ts-morph";
import { add, functionStructure, type EmitContext, type Index } from "../../emit/code.js";
import {
  backwardName,
  forwardName,
  inputArguments,
  inputAt,
  inputParameters,
  targetArguments,
  targetAt,
  targetParameters,
  whenTarget,
} from "../../emit/layer-io.js";
import type { PlannedPool } from "./plan.js";
import { pairText } from "../window.js";

/** Window offsets from its corner, row-major. */
function taps(l: PlannedPool): number[] {
  const g = l.geometry;
  const out: number[] = [];
  for (let ky = 0; ky < g.kernel[0]; ky++) for (let kx = 0; kx < g.kernel[1]; kx++) out.push(ky * g.width + kx);
  return out;
}

/** for c / oy / ox over the outputs, with `at` (the window's corner in the input) and `j` (the output). */
function eachWindow(l: PlannedPool, body: string[]): string[] {
  const g = l.geometry;
  return [
    `for (let c = 0; c < ${g.channels}; c++) {`,
    `for (let oy = 0; oy < ${g.outHeight}; oy++) {`,
    `for (let ox = 0; ox < ${g.outWidth}; ox++) {`,
    `const at = (c * ${g.height} + oy * ${g.stride[0]}) * ${g.width} + ox * ${g.stride[1]};`,
    `const j = (c * ${g.outHeight} + oy) * ${g.outWidth} + ox;`,
    ...body,
    "}",
    "}",
    "}",
  ];
}

/** The window's taps after the first, unrolled or looped (`i`: the tap's input index). */
function eachTap(l: PlannedPool, skipFirst: boolean, body: (i: Index) => string[]): string[] {
  const g = l.geometry;
  if (l.window.shape === "unrolled")
    return taps(l)
      .slice(skipFirst ? 1 : 0)
      .flatMap((t) => body(add("at", t)));
  return [
    `for (let ky = 0; ky < ${g.kernel[0]}; ky++) {`,
    `for (let kx = 0; kx < ${g.kernel[1]}; kx++) {`,
    ...(skipFirst ? ["if (ky === 0 && kx === 0) continue;"] : []),
    `const i = at + ky * ${g.width} + kx;`,
    ...body("i"),
    "}",
    "}",
  ];
}

function doc(l: PlannedPool): string {
  const g = l.geometry;
  return `${l.kind} ${g.channels}×${g.height}×${g.width} → ${g.channels}×${g.outHeight}×${g.outWidth}, ${pairText(g.kernel)} window, stride ${pairText(g.stride)}`;
}

export function poolForward(ctx: EmitContext, l: PlannedPool): FunctionDeclarationStructure {
  const taps = l.geometry.kernel[0] * l.geometry.kernel[1];
  const body =
    l.argmax !== null
      ? eachWindow(l, [
          `let best = ${inputAt(l.input, "at")};`,
          "let arg = at;",
          ...eachTap(l, true, (i) => ["{", `const v = ${inputAt(l.input, i)};`, "if (v > best) {", "best = v;", `arg = ${i};`, "}", "}"]),
          `${l.a}[j] = best;`,
          `${l.argmax}[j] = arg;`,
        ])
      : eachWindow(l, ["let sum = 0;", ...eachTap(l, false, (i) => [`sum += ${inputAt(l.input, i)};`]), `${l.a}[j] = sum / ${taps};`]);
  return functionStructure({
    name: forwardName(l.position),
    doc: `Layer ${l.position}: ${doc(l)}${l.argmax !== null ? " (the first maximum in row-major order wins a tie)" : ""}; window ${l.window.shape}: ${l.window.reason}.`,
    parameters: inputParameters(l.input, ctx.array),
    returns: "void",
    body,
  });
}

export function poolBackward(ctx: EmitContext, l: PlannedPool): FunctionDeclarationStructure {
  const taps = l.geometry.kernel[0] * l.geometry.kernel[1];
  const scatter =
    l.argmax !== null
      ? [`for (let j = 0; j < ${l.outputs}; j++) ${targetAt(l.gradientTarget, `${l.argmax}[j]`)} += ${l.ga}[j];`]
      : eachWindow(l, [`const d = ${l.ga}[j] / ${taps};`, ...eachTap(l, false, (i) => [`${targetAt(l.gradientTarget, i)} += d;`])]);
  return functionStructure({
    name: backwardName(l.position),
    doc: `Layer ${l.position} backward (${doc(l)}): dL/d(input) from dL/da in ${l.ga}, ${l.argmax !== null ? "each to its window's maximum" : "shared equally over each window"}.`,
    parameters: targetParameters(l.gradientTarget, ctx.array),
    returns: "void",
    body: whenTarget(l.gradientTarget, [`for (let k = 0; k < ${l.inputs}; k++) ${targetAt(l.gradientTarget, "k")} = 0;`, ...scatter]),
  });
}

export function poolForwardCall(l: PlannedPool): string {
  return `${forwardName(l.position)}(${inputArguments(l.input).join(", ")});`;
}

export function poolBackwardCall(l: PlannedPool): string {
  return `${backwardName(l.position)}(${targetArguments(l.gradientTarget).join(", ")});`;
}
