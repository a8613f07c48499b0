// The conv layer in the blocked batch strategy, through im2col: each sample's windows become rows of
// COLS<p>B (one row per output position, the window's c, ky, kx in the weights' order), one planned matrix
// product ZT = COLS·Wᵀ + b over the chunk's n × positions rows (src/emit/matmul.ts in TS, the f<p>/w<p>/x<p>
// kernels on the WebAssembly path), and the element-wise work around it: the transpose of ZT (channel-last)
// into the layer's channel-major z and a with the activation, dL/dz back into channel-last DZT for the
// weight and row gradients, and col2im — each row gradient added back onto the input its window read.
// Windows read a zero-bordered copy of each sample (PAD<p>, as the per-sample code) when the layer pads.
// The forward sums are the per-sample code's (window in order, then the bias): bit-identical in f64.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, literal, substitute } from "../../maths.js";
import { batchName } from "../../plan/base.js";
import { add, functionStructure, type EmitContext, type Index } from "../../emit/code.js";
import { forwardProduct, inputGradientProduct, weightGradientProduct } from "../../emit/matmul.js";
import {
  backwardChunkName,
  chunkBackwardParameters,
  chunkForwardParameters,
  chunkInputArguments,
  chunkInputRows,
  chunkTargetArguments,
  chunkTargetRows,
  forwardChunkName,
  kernelInputGradientCopy,
  type ChunkRows as Rows,
} from "../../emit/layer-io.js";
import { convMatmul, type PlannedConv } from "./plan.js";
import { copyIntoBorder, cropOutOfBorder, taps } from "./border.js";
import { pairText } from "../window.js";

/** for oy / ox over the output positions, with `at` (the window's corner in the padded input) and `r` (the position's im2col row in the chunk). */
function eachPosition(l: PlannedConv, body: string[]): string[] {
  const g = l.geometry;
  return [
    `for (let oy = 0; oy < ${g.outHeight}; oy++) {`,
    `for (let ox = 0; ox < ${g.outWidth}; ox++) {`,
    `const at = oy * ${g.stride[0] * g.paddedWidth} + ox * ${g.stride[1]};`,
    `const r = sc + (oy * ${g.outWidth} + ox) * ${l.window};`,
    ...body,
    "}",
    "}",
  ];
}

/** One line per tap (unrolled window) or loops over it, `i` the tap's input index and `k` its im2col column. */
function eachTap(l: PlannedConv, unrolled: boolean, body: (i: Index, k: Index) => string): string[] {
  const g = l.geometry;
  if (unrolled) return taps(l).map(({ w, at }) => body(add("at", at), add("r", w)));
  return [
    `for (let c = 0; c < ${g.channels}; c++) {`,
    `for (let ky = 0; ky < ${g.kernel[0]}; ky++) {`,
    `const ir = at + (c * ${g.paddedHeight} + ky) * ${g.paddedWidth};`,
    `const kr = r + (c * ${g.kernel[0]} + ky) * ${g.kernel[1]};`,
    `for (let kx = 0; kx < ${g.kernel[1]}; kx++) ${body("ir + kx", "kr + kx")}`,
    "}",
    "}",
  ];
}

/** im2col of the chunk's n samples into COLS<p>B (through the zero-bordered PAD<p> when the layer pads). */
export function im2col(l: PlannedConv, input: Rows): string[] {
  const COLS = batchName(l.cols);
  const read = l.padded !== null ? (i: Index) => `${l.padded}[${i}]` : (i: Index) => `${input.array}[${add("si", i)}]`;
  const copy = l.padded === null ? [] : copyIntoBorder(l, (i) => `${input.array}[${add("si", i)}]`);
  return [
    "for (let s = 0; s < n; s++) {",
    `const si = ${add(input.base, `s * ${l.inputs}`)};`,
    `const sc = s * ${l.positions * l.window};`,
    ...copy,
    ...eachPosition(
      l,
      eachTap(l, l.forwardWindow.shape === "unrolled", (i, k) => `${COLS}[${k}] = ${read(i)};`),
    ),
    "}",
  ];
}

/** ZT<p>B (channel-last) into the layer's channel-major z and a, with the activation. */
export function transposeActivate(l: PlannedConv): string[] {
  const act = ACTIVATIONS[l.activation.kind];
  const ZT = batchName(l.zt);
  const P = l.positions;
  const F = l.filters;
  return [
    "for (let s = 0; s < n; s++) {",
    `const zt = s * ${P * F};`,
    `const o = s * ${F * P};`,
    `for (let p = 0; p < ${P}; p++) {`,
    `for (let f = 0; f < ${F}; f++) {`,
    `const z = ${ZT}[zt + p * ${F} + f];`,
    `const at = o + f * ${P} + p;`,
    ...(l.z !== null ? [`${batchName(l.z)}[at] = z;`] : []),
    `${batchName(l.a)}[at] = ${substitute(act.forward.text, { z: "z", alpha: literal(l.activation.alpha) })};`,
    "}",
    "}",
    "}",
  ];
}

/**
 * dL/dz of the chunk, channel-last into DZT<p>B (from dL/da through the activation's derivative, or the loss's
 * dL/dz for the output layer), with dL/db onto `grad` in the same pass: per filter, its running sum from the
 * gradient, rows ascending (sample, then position) — the planned product's bias sum, without its second
 * pass over the strided rows.
 */
export function channelLastDelta(l: PlannedConv, grad: string): string[] {
  const act = ACTIVATIONS[l.activation.kind];
  const P = l.positions;
  const F = l.filters;
  const at = "o + p";
  const value = l.fusedOutput
    ? `${batchName(l.dz)}[${at}]`
    : `${batchName(l.ga!)}[${at}] * (${substitute(act.derivative.text, {
        a: `${batchName(l.a)}[${at}]`,
        z: l.z === null ? "0" : `${batchName(l.z)}[${at}]`,
        alpha: literal(l.activation.alpha),
      })})`;
  return [
    `for (let f = 0; f < ${F}; f++) {`,
    `let acc = ${grad}[${l.biasOffset} + f];`,
    "for (let s = 0; s < n; s++) {",
    `const o = s * ${F * P} + f * ${P};`,
    `const dt = s * ${P * F} + f;`,
    `for (let p = 0; p < ${P}; p++) {`,
    `const d = ${value};`,
    `${batchName(l.dzt)}[dt + p * ${F}] = d;`,
    "acc += d;",
    "}",
    "}",
    `${grad}[${l.biasOffset} + f] = acc;`,
    "}",
  ];
}

/** col2im: each row gradient of DCOLS<p>B added back onto the input its window read, into the target rows (through GPAD<p>, then cropped, when the layer pads). */
export function col2im(l: PlannedConv, target: Rows): string[] {
  const g = l.geometry;
  const DCOLS = batchName(l.dcols);
  const into = l.paddedGradient !== null ? (i: Index) => `${l.paddedGradient}[${i}]` : (i: Index) => `${target.array}[${add("ti", i)}]`;
  const size = l.paddedGradient !== null ? g.channels * g.paddedHeight * g.paddedWidth : l.inputs;
  const crop = l.paddedGradient === null ? [] : cropOutOfBorder(l, (i) => `${target.array}[${add("ti", i)}]`);
  return [
    "for (let s = 0; s < n; s++) {",
    `const ti = ${add(target.base, `s * ${l.inputs}`)};`,
    `const sc = s * ${l.positions * l.window};`,
    `for (let k = 0; k < ${size}; k++) ${into("k")} = 0;`,
    ...eachPosition(
      l,
      eachTap(l, l.backwardWindow.shape === "unrolled", (i, k) => `${into(i)} += ${DCOLS}[${k}];`),
    ),
    ...crop,
    "}",
  ];
}

/** The product's rows: n samples × the output positions. */
export function productRows(l: PlannedConv): string {
  return `n * ${l.positions}`;
}

export function convForwardChunk(ctx: EmitContext, l: PlannedConv): FunctionDeclarationStructure {
  const m = convMatmul(l);
  const product = forwardProduct(m, ctx.plan.batch.tile, (at) => [`${m.output}[${at}] = z;`], "rows");
  return functionStructure({
    name: forwardChunkName(l.position),
    doc: `Layer ${l.position} forward over a chunk of n samples (conv ${l.filters} ${pairText(l.geometry.kernel)} ${l.activation.kind}): im2col into ${m.input.kind === "buffer" ? m.input.name : "XB"}, ${m.output} = rows·Wᵀ + b over n × ${l.positions} rows in register tiles, then channel-major z and the activation.`,
    parameters: chunkForwardParameters(l.input, ctx.array),
    returns: "void",
    body: [...im2col(l, chunkInputRows(l.input, "chunk")), `const rows = ${productRows(l)};`, ...product, ...transposeActivate(l)],
  });
}

export function convBackwardChunk(ctx: EmitContext, l: PlannedConv): FunctionDeclarationStructure {
  const tile = ctx.plan.batch.tile;
  const m = convMatmul(l);
  const inputGradient = [...inputGradientProduct(m, tile, "rows"), ...col2im(l, chunkTargetRows(l.gradientTarget, "chunk"))];
  return functionStructure({
    name: backwardChunkName(l.position),
    doc: `Layer ${l.position} backward over a chunk of n samples (conv ${l.filters} ${pairText(l.geometry.kernel)} ${l.activation.kind}): dL/dz channel-last, dL/db and dL/dW over n × ${l.positions} rows, then dL/d(rows) = δ·W and col2im into the input gradient.`,
    parameters: chunkBackwardParameters(l.input, l.gradientTarget, ctx.array),
    returns: "void",
    body: [
      ...channelLastDelta(l, "grad"),
      `const rows = ${productRows(l)};`,
      ...weightGradientProduct(m, tile, "rows"),
      ...(l.gradientTarget.kind === "sample" ? ["if (gin !== null) {", ...inputGradient, "}"] : inputGradient),
    ],
  });
}

export function convForwardChunkCall(l: PlannedConv): string {
  return `${forwardChunkName(l.position)}(${["params", ...chunkInputArguments(l.input), "n"].join(", ")});`;
}

export function convBackwardChunkCall(l: PlannedConv): string {
  return `${backwardChunkName(l.position)}(${["params", ...chunkInputArguments(l.input), "grad", "n", ...chunkTargetArguments(l.gradientTarget)].join(", ")});`;
}

/** The kernel path's forward: im2col from XB or the previous chunk buffer, the f<p> (or p<p>) kernel over n × positions rows, then the transpose and activation in TS on the views. */
export function convKernelForward(_ctx: EmitContext, l: PlannedConv, kernel: "f" | "p"): string[] {
  return [...im2col(l, chunkInputRows(l.input, "kernels")), `k.${kernel}${l.position}(${productRows(l)});`, ...transposeActivate(l)];
}

/** The kernel path's backward: dL/dz channel-last in TS, dL/db onto KG, the w<p> kernel, then (when someone reads it) x<p> and col2im into the input gradient. */
export function convKernelBackward(_ctx: EmitContext, l: PlannedConv): string[] {
  const m = convMatmul(l);
  const lines = [...channelLastDelta(l, "KG"), `k.w${l.position}(${productRows(l)});`];
  const gradient = [`k.x${l.position}(${productRows(l)});`, ...col2im(l, chunkTargetRows(l.gradientTarget, "kernels"))];
  return l.gradientTarget.kind === "buffer" ? [...lines, ...gradient] : [...lines, "if (gin !== null) {", ...gradient, kernelInputGradientCopy(l.inputs), "}"];
}
