// The conv layer's per-sample code, every bound a literal: forwardLayer<p> (copy the input inside a zero
// border when the layer pads — so no window ever tests an index — then per filter and output position the
// window's products in (c, ky, kx) order, plus the bias, then the activation) and backwardLayer<p> (dL/dz;
// dL/db and dL/dW summed over the positions; dL/d(input) scattered back through the same windows, then
// cropped out of the border). The window is unrolled (one line per weight, offsets as literals) or looped,
// as the plan decided.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, literal, substitute } from "../../maths.js";
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
import type { PlannedConv } from "./plan.js";
import { copyIntoBorder, cropOutOfBorder, taps } from "./border.js";
import { pairText } from "../window.js";

/** Where the window reads: the padded copy, or the layer's input itself. */
function source(l: PlannedConv): (i: Index) => string {
  return l.padded !== null ? (i) => `${l.padded}[${i}]` : (i) => inputAt(l.input, i);
}

/** for f / oy / ox over the outputs, with `wf` (the filter's first weight), `at` (the window's corner in the padded input) and `j` (the output). */
function eachPosition(l: PlannedConv, body: string[]): string[] {
  const g = l.geometry;
  return [
    `for (let f = 0; f < ${l.filters}; f++) {`,
    `const wf = ${l.weightOffset} + f * ${l.window};`,
    `for (let oy = 0; oy < ${g.outHeight}; oy++) {`,
    `for (let ox = 0; ox < ${g.outWidth}; ox++) {`,
    `const at = oy * ${g.stride[0] * g.paddedWidth} + ox * ${g.stride[1]};`,
    `const j = (f * ${g.outHeight} + oy) * ${g.outWidth} + ox;`,
    ...body,
    "}",
    "}",
    "}",
  ];
}

/** Loops over the window (c, ky, kx), with `w` its weight index and `i` its input index. */
function windowLoops(l: PlannedConv, body: string[]): string[] {
  const g = l.geometry;
  return [
    `for (let c = 0; c < ${g.channels}; c++) {`,
    `for (let ky = 0; ky < ${g.kernel[0]}; ky++) {`,
    `const wr = wf + (c * ${g.kernel[0]} + ky) * ${g.kernel[1]};`,
    `const ir = at + (c * ${g.paddedHeight} + ky) * ${g.paddedWidth};`,
    `for (let kx = 0; kx < ${g.kernel[1]}; kx++) {`,
    "const w = wr + kx;",
    "const i = ir + kx;",
    ...body,
    "}",
    "}",
    "}",
  ];
}

export function convForward(ctx: EmitContext, l: PlannedConv): FunctionDeclarationStructure {
  const act = ACTIVATIONS[l.activation.kind];
  if (act.vector) throw new Error(`emit: conv layer ${l.position} has a softmax (the validator refuses it)`);
  const read = source(l);
  const activate = substitute(act.forward.text, { z: "z", alpha: literal(l.activation.alpha) });
  const store = [...(l.z !== null ? [`${l.z}[j] = z;`] : []), `${l.a}[j] = ${activate};`];
  const body: string[] = l.padded !== null ? copyIntoBorder(l, (i) => inputAt(l.input, i)) : [];
  if (l.forwardWindow.shape === "unrolled") {
    const terms = taps(l).map(({ w, at }) => `params[wf + ${w}] * ${read(add("at", at))}`);
    body.push(...eachPosition(l, [`const z = ${terms.join(" + ")} + params[${l.biasOffset} + f];`, ...store]));
  } else {
    body.push(
      ...eachPosition(l, ["let sum = 0;", ...windowLoops(l, [`sum += params[w] * ${read("i")};`]), `const z = sum + params[${l.biasOffset} + f];`, ...store]),
    );
  }
  const g = l.geometry;
  return functionStructure({
    name: forwardName(l.position),
    doc: `Layer ${l.position}: conv ${g.channels}×${g.height}×${g.width} → ${l.filters}×${g.outHeight}×${g.outWidth}, ${pairText(g.kernel)} window, stride ${pairText(g.stride)}, padding ${pairText(g.padding)}, ${l.activation.kind} (${act.doc}); window ${l.forwardWindow.shape}: ${l.forwardWindow.reason}.`,
    parameters: [["params", ctx.array], ...inputParameters(l.input, ctx.array)],
    returns: "void",
    body,
  });
}

export function convBackward(ctx: EmitContext, l: PlannedConv): FunctionDeclarationStructure {
  const act = ACTIVATIONS[l.activation.kind];
  const g = l.geometry;
  const read = source(l);
  const body: string[] = [];
  if (!l.fusedOutput) {
    const derivative = substitute(act.derivative.text, { a: `${l.a}[k]`, z: l.z === null ? "0" : `${l.z}[k]`, alpha: literal(l.activation.alpha) });
    body.push(`for (let k = 0; k < ${l.outputs}; k++) ${l.dz}[k] = ${l.ga}[k] * (${derivative});`);
  }
  const unrolled = l.backwardWindow.shape === "unrolled";
  // dL/db and dL/dW, summed over the output positions in order.
  const weightGradient = unrolled
    ? taps(l).map(({ w, at }) => `grad[wf + ${w}] += d * ${read(add("at", at))};`)
    : windowLoops(l, [`grad[w] += d * ${read("i")};`]);
  body.push(...eachPosition(l, [`const d = ${l.dz}[j];`, `grad[${l.biasOffset} + f] += d;`, ...weightGradient]));
  // dL/d(input): each output's dL/dz back through its window's weights, into the padded gradient (then
  // cropped) or straight into the target.
  const into = l.paddedGradient !== null ? (i: Index) => `${l.paddedGradient}[${i}]` : (i: Index) => targetAt(l.gradientTarget, i);
  const size = l.paddedGradient !== null ? g.channels * g.paddedHeight * g.paddedWidth : l.inputs;
  const inputGradient = unrolled
    ? taps(l).map(({ w, at }) => `${into(add("at", at))} += params[wf + ${w}] * d;`)
    : windowLoops(l, [`${into("i")} += params[w] * d;`]);
  const crop = l.paddedGradient === null ? [] : cropOutOfBorder(l, (i) => targetAt(l.gradientTarget, i));
  body.push(
    ...whenTarget(l.gradientTarget, [
      `for (let k = 0; k < ${size}; k++) ${into("k")} = 0;`,
      ...eachPosition(l, [`const d = ${l.dz}[j];`, ...inputGradient]),
      ...crop,
    ]),
  );
  const from = l.fusedOutput ? `dL/dz in ${l.dz} (written by the loss)` : `dL/da in ${l.ga}`;
  return functionStructure({
    name: backwardName(l.position),
    doc: `Layer ${l.position} backward (conv ${l.filters} ${pairText(g.kernel)} ${l.activation.kind}): from ${from}, adds dL/dW and dL/db to grad and writes dL/d(input) to ${l.gradientTarget.kind === "sample" ? "gin (when given)" : l.gradientTarget.name}; window ${l.backwardWindow.shape}: ${l.backwardWindow.reason}.`,
    parameters: [
      ["params", ctx.array],
      ...inputParameters(l.padded !== null ? { kind: "buffer", name: l.padded } : l.input, ctx.array),
      ["grad", ctx.array],
      ...targetParameters(l.gradientTarget, ctx.array),
    ],
    returns: "void",
    body,
  });
}

export function convForwardCall(l: PlannedConv): string {
  return `${forwardName(l.position)}(${["params", ...inputArguments(l.input)].join(", ")});`;
}

export function convBackwardCall(l: PlannedConv): string {
  const reads = l.padded !== null ? [] : inputArguments(l.input);
  return `${backwardName(l.position)}(${["params", ...reads, "grad", ...targetArguments(l.gradientTarget)].join(", ")});`;
}
