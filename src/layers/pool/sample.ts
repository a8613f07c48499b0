// The pooling layers' code, every bound a literal, per sample and over a chunk (the same lines, the chunk's
// wrapped in a loop over its samples with row offsets). Max: per channel and window, the first maximum in
// row-major order (a later tap wins only when strictly greater: the interpreter's tie rule) and its input
// index within the sample, kept for the backward, which adds each dL/da to that input. Average: the window's
// sum over its size, and each dL/da shared equally back over the window.
import type { FunctionDeclarationStructure } from "ts-morph";
import { batchName } from "../../plan/base.js";
import { add, functionStructure, type EmitContext, type Index } from "../../emit/code.js";
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
  type ChunkRows,
} from "../../emit/layer-io.js";
import type { PlannedPool } from "./plan.js";
import { pairText } from "../window.js";

/** How the lines reach one sample's numbers: its input i, its output / argmax / dL/da j, its input gradient i. */
interface SampleAccess {
  input(i: Index): string;
  output(j: Index): string;
  argmax(j: Index): string;
  gradient(j: Index): string;
  target(i: Index): string;
}

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

/** The window's taps (after the first with skipFirst), unrolled or looped (`i`: the tap's input index). */
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

function forwardLines(l: PlannedPool, io: SampleAccess): string[] {
  const taps = l.geometry.kernel[0] * l.geometry.kernel[1];
  if (l.argmax === null) return eachWindow(l, ["let sum = 0;", ...eachTap(l, false, (i) => [`sum += ${io.input(i)};`]), `${io.output("j")} = sum / ${taps};`]);
  return eachWindow(l, [
    `let best = ${io.input("at")};`,
    "let arg = at;",
    ...eachTap(l, true, (i) => ["{", `const v = ${io.input(i)};`, "if (v > best) {", "best = v;", `arg = ${i};`, "}", "}"]),
    `${io.output("j")} = best;`,
    `${io.argmax("j")} = arg;`,
  ]);
}

function backwardLines(l: PlannedPool, io: SampleAccess): string[] {
  const taps = l.geometry.kernel[0] * l.geometry.kernel[1];
  const scatter =
    l.argmax !== null
      ? [`for (let j = 0; j < ${l.outputs}; j++) ${io.target(io.argmax("j"))} += ${io.gradient("j")};`]
      : eachWindow(l, [`const d = ${io.gradient("j")} / ${taps};`, ...eachTap(l, false, (i) => [`${io.target(i)} += d;`])]);
  return [`for (let k = 0; k < ${l.inputs}; k++) ${io.target("k")} = 0;`, ...scatter];
}

/** One sample's numbers in the per-sample buffers. */
function sampleAccess(l: PlannedPool): SampleAccess {
  return {
    input: (i) => inputAt(l.input, i),
    output: (j) => `${l.a}[${j}]`,
    argmax: (j) => `${l.argmax}[${j}]`,
    gradient: (j) => `${l.ga}[${j}]`,
    target: (i) => targetAt(l.gradientTarget, i),
  };
}

/** Sample s of a chunk: its rows at si (input), so (outputs) and ti (input gradient), which chunkLoop defines. */
function chunkAccess(l: PlannedPool, input: ChunkRows, target: ChunkRows): SampleAccess {
  return {
    input: (i) => `${input.array}[${add("si", i)}]`,
    output: (j) => `${batchName(l.a)}[${add("so", j)}]`,
    argmax: (j) => `${batchName(l.argmax!)}[${add("so", j)}]`,
    gradient: (j) => `${batchName(l.ga)}[${add("so", j)}]`,
    target: (i) => `${target.array}[${add("ti", i)}]`,
  };
}

/** The lines for each sample of the chunk, with its row offsets. */
function chunkLoop(l: PlannedPool, input: ChunkRows | null, target: ChunkRows | null, body: string[]): string[] {
  return [
    "for (let s = 0; s < n; s++) {",
    ...(input !== null ? [`const si = ${add(input.base, `s * ${l.inputs}`)};`] : []),
    `const so = s * ${l.outputs};`,
    ...(target !== null ? [`const ti = ${add(target.base, `s * ${l.inputs}`)};`] : []),
    ...body,
    "}",
  ];
}

function doc(l: PlannedPool): string {
  const g = l.geometry;
  return `${l.kind} ${g.channels}×${g.height}×${g.width} → ${g.channels}×${g.outHeight}×${g.outWidth}, ${pairText(g.kernel)} window, stride ${pairText(g.stride)}`;
}

export function poolForward(ctx: EmitContext, l: PlannedPool): FunctionDeclarationStructure {
  return functionStructure({
    name: forwardName(l.position),
    doc: `Layer ${l.position}: ${doc(l)}${l.argmax !== null ? " (the first maximum in row-major order wins a tie)" : ""}; window ${l.window.shape}: ${l.window.reason}.`,
    parameters: inputParameters(l.input, ctx.array),
    returns: "void",
    body: forwardLines(l, sampleAccess(l)),
  });
}

export function poolBackward(ctx: EmitContext, l: PlannedPool): FunctionDeclarationStructure {
  return functionStructure({
    name: backwardName(l.position),
    doc: `Layer ${l.position} backward (${doc(l)}): dL/d(input) from dL/da in ${l.ga}, ${l.argmax !== null ? "each to its window's maximum" : "shared equally over each window"}.`,
    parameters: targetParameters(l.gradientTarget, ctx.array),
    returns: "void",
    body: whenTarget(l.gradientTarget, backwardLines(l, sampleAccess(l))),
  });
}

export function poolForwardCall(l: PlannedPool): string {
  return `${forwardName(l.position)}(${inputArguments(l.input).join(", ")});`;
}

export function poolBackwardCall(l: PlannedPool): string {
  return `${backwardName(l.position)}(${targetArguments(l.gradientTarget).join(", ")});`;
}

/** The chunk's forward lines, in a TS chunk function or inline on the kernel path. */
export function poolChunkForwardLines(l: PlannedPool, path: "chunk" | "kernels"): string[] {
  const input = chunkInputRows(l.input, path);
  return chunkLoop(l, input, null, forwardLines(l, chunkAccess(l, input, input)));
}

/** The chunk's backward lines (guarded by gin when the target is the caller's input gradient). */
export function poolChunkBackwardLines(l: PlannedPool, path: "chunk" | "kernels"): string[] {
  const target = chunkTargetRows(l.gradientTarget, path);
  const lines = chunkLoop(l, null, target, backwardLines(l, chunkAccess(l, target, target)));
  if (l.gradientTarget.kind === "buffer") return lines;
  return ["if (gin !== null) {", ...lines, ...(path === "kernels" ? [kernelInputGradientCopy(l.inputs)] : []), "}"];
}

export function poolForwardChunk(ctx: EmitContext, l: PlannedPool): FunctionDeclarationStructure {
  return functionStructure({
    name: forwardChunkName(l.position),
    doc: `Layer ${l.position} forward over a chunk of n samples (${doc(l)}).`,
    parameters: unweightedChunkForwardParameters(l.input, ctx.array),
    returns: "void",
    body: poolChunkForwardLines(l, "chunk"),
  });
}

export function poolBackwardChunk(ctx: EmitContext, l: PlannedPool): FunctionDeclarationStructure {
  return functionStructure({
    name: backwardChunkName(l.position),
    doc: `Layer ${l.position} backward over a chunk of n samples (${doc(l)}).`,
    parameters: unweightedChunkBackwardParameters(l.gradientTarget, ctx.array),
    returns: "void",
    body: poolChunkBackwardLines(l, "chunk"),
  });
}

export function poolForwardChunkCall(l: PlannedPool): string {
  return `${forwardChunkName(l.position)}(${[...chunkInputArguments(l.input), "n"].join(", ")});`;
}

export function poolBackwardChunkCall(l: PlannedPool): string {
  return `${backwardChunkName(l.position)}(${["n", ...chunkTargetArguments(l.gradientTarget)].join(", ")});`;
}
