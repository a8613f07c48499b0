// The blocked batch shape (plan.batch.shape === "blocked"): lossAndGradient walks a batch in chunks of
// plan.batch.chunk samples, layer by layer, as matrix products with register blocking:
//   forward   Z = X·Wᵀ + b    tile: samples × outputs, loop over inputs
//   backward  dW += δᵀ·X      tile: outputs × inputs,  loop over samples (bias: loop over samples)
//             dX = δ·W        tile: samples × inputs,  loop over outputs
// Each accumulator is a local and sums its products in the interpreter's order (inputs ascending then the
// bias; samples ascending onto the running gradient; outputs ascending from 0), so an f64 module gives
// bit-identical results to the per-sample shape. Loss and output delta reuse the per-sample functions on
// one row at a time (their cost is per output, not per weight).
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, literal, substitute } from "../maths.js";
import { batchName, type PlannedDense } from "../plan.js";
import { add, functionStructure, tiled, type EmitContext, type Index } from "./code.js";
import { emitLossAndGradientKernels, lastRowCopies } from "./wasm/emit.js";

export function forwardChunkName(position: number): string {
  return `forwardChunk${position}`;
}

export function backwardChunkName(position: number): string {
  return `backwardChunk${position}`;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k);
}

/** The layer's input rows: the chunk's rows of xs (from xo) or the previous layer's chunk buffer. */
function inputRows(l: PlannedDense): { array: string; base: Index; parameters: [string, string][]; args: string[] } {
  return l.input.kind === "sample"
    ? { array: "x", base: "xo", parameters: [["x", ""], ["xo", "number"]], args: ["xs", "xo"] }
    : { array: batchName(l.input.name), base: 0, parameters: [], args: [] };
}

function withArray(parameters: [string, string][], array: string): [string, string][] {
  return parameters.map(([name, type]) => [name, type === "" ? array : type]);
}

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

function denseForwardChunk(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
  const { samples: RS, outputs: RO } = ctx.plan.batch.tile;
  const act = ACTIVATIONS[l.activation.kind];
  const input = inputRows(l);
  const In = l.inputs;
  const Out = l.outputs;
  const Z = l.z === null ? null : batchName(l.z);
  const A = batchName(l.a);
  const body = tiled("n", RS, "s", (s, rows) => [
    ...range(rows).map((r) => `const x${r} = ${add(input.base, `(${add(s, r)}) * ${In}`)};`),
    ...tiled(Out, RO, "j", (j, cols) => {
      const acc = (r: number, c: number): string => `a${r}_${c}`;
      const lines = [
        ...range(cols).map((c) => `const w${c} = ${add(l.weightOffset, typeof j === "number" ? (j + c) * In : `(${add(j, c)}) * ${In}`)};`),
        ...range(rows).flatMap((r) => range(cols).map((c) => `let ${acc(r, c)} = 0;`)),
        `for (let i = 0; i < ${In}; i++) {`,
        ...range(rows).map((r) => `const u${r} = ${input.array}[x${r} + i];`),
        ...range(cols).map((c) => `const v${c} = params[w${c} + i];`),
        ...range(rows).flatMap((r) => range(cols).map((c) => `${acc(r, c)} += v${c} * u${r};`)),
        "}",
      ];
      for (const r of range(rows)) {
        for (const c of range(cols)) {
          const at = add(`(${add(s, r)}) * ${Out}`, j, c);
          lines.push(`{`, `const z = ${acc(r, c)} + params[${add(l.biasOffset, j, c)}];`);
          if (Z !== null) lines.push(`${Z}[${at}] = z;`);
          if (!act.vector) lines.push(`${A}[${at}] = ${substitute(act.forward.text, { z: "z", alpha: literal(l.activation.alpha) })};`);
          lines.push("}");
        }
      }
      return lines;
    }),
  ]);
  if (act.vector) body.push(...softmaxRows(l));
  return functionStructure({
    name: forwardChunkName(l.position),
    doc: `Layer ${l.position} forward over a chunk of n samples (dense ${In} → ${Out} ${l.activation.kind}): ${Z ?? A} = X·Wᵀ + b in ${RS} × ${RO} register tiles, then the activation into ${A}.`,
    parameters: [["params", ctx.array], ...withArray(input.parameters, ctx.array), ["n", "number"]],
    returns: "void",
    body,
  });
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

/** dL/db_j onto the running gradient `grad`: each sample's dz, samples ascending. */
export function biasGradient(l: PlannedDense, grad: string): string[] {
  const Out = l.outputs;
  const DZ = batchName(l.dz);
  const body: string[] = [];
  // dL/db_j: the running gradient plus each sample's dz, samples ascending.
  body.push(
    `for (let j = 0; j < ${Out}; j++) {`,
    `let acc = ${grad}[${add(l.biasOffset, "j")}];`,
    `for (let s = 0; s < n; s++) acc += ${DZ}[s * ${Out} + j];`,
    `${grad}[${add(l.biasOffset, "j")}] = acc;`,
    "}",
  );
  return body;
}

function denseBackwardChunk(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
  const { samples: RS, outputs: RO } = ctx.plan.batch.tile;
  const act = ACTIVATIONS[l.activation.kind];
  const input = inputRows(l);
  const In = l.inputs;
  const Out = l.outputs;
  const DZ = batchName(l.dz);
  const body: string[] = [...chunkDelta(l), ...biasGradient(l, "grad")];
  // dL/dW_ji: tiles of outputs × inputs, samples ascending onto the running gradient.
  body.push(
    ...tiled(In, RO, "i", (i, cols) =>
      tiled(Out, RS, "j", (j, rows) => {
        const g = (r: number, c: number): Index => add(l.weightOffset, typeof j === "number" ? (j + r) * In : `(${add(j, r)}) * ${In}`, i, c);
        const acc = (r: number, c: number): string => `g${r}_${c}`;
        return [
          ...range(rows).flatMap((r) => range(cols).map((c) => `let ${acc(r, c)} = grad[${g(r, c)}];`)),
          "for (let s = 0; s < n; s++) {",
          `const xr = ${add(input.base, `s * ${In}`, i)};`,
          `const dr = ${add(`s * ${Out}`, j)};`,
          ...range(rows).map((r) => `const d${r} = ${DZ}[${add("dr", r)}];`),
          ...range(cols).map((c) => `const u${c} = ${input.array}[${add("xr", c)}];`),
          ...range(rows).flatMap((r) => range(cols).map((c) => `${acc(r, c)} += d${r} * u${c};`)),
          "}",
          ...range(rows).flatMap((r) => range(cols).map((c) => `grad[${g(r, c)}] = ${acc(r, c)};`)),
        ];
      }),
    ),
  );
  // dL/d(input)_si = Σ_j W_ji dz_sj, outputs ascending from 0: tiles of samples × inputs.
  if (l.gradientTarget.kind === "sample" || l.gradientTarget.kind === "buffer") {
    const target = l.gradientTarget.kind === "sample" ? { array: "gin", base: "gino" as Index } : { array: batchName(l.gradientTarget.name), base: 0 as Index };
    const dx = tiled("n", RS, "s", (s, rows) => [
      ...range(rows).map((r) => `const t${r} = ${add(target.base, `(${add(s, r)}) * ${In}`)};`),
      ...range(rows).map((r) => `const e${r} = (${add(s, r)}) * ${Out};`),
      ...tiled(In, RO, "i", (i, cols) => {
        const acc = (r: number, c: number): string => `h${r}_${c}`;
        return [
          ...range(rows).flatMap((r) => range(cols).map((c) => `let ${acc(r, c)} = 0;`)),
          `for (let j = 0; j < ${Out}; j++) {`,
          `const w = ${add(l.weightOffset, `j * ${In}`, i)};`,
          ...range(cols).map((c) => `const v${c} = params[${add("w", c)}];`),
          ...range(rows).map((r) => `const d${r} = ${DZ}[e${r} + j];`),
          ...range(rows).flatMap((r) => range(cols).map((c) => `${acc(r, c)} += v${c} * d${r};`)),
          "}",
          ...range(rows).flatMap((r) => range(cols).map((c) => `${target.array}[${add(`t${r}`, i, c)}] = ${acc(r, c)};`)),
        ];
      }),
    ]);
    body.push(...(l.gradientTarget.kind === "sample" ? ["if (gin !== null) {", ...dx, "}"] : dx));
  }
  const targetParameters: [string, string][] = l.gradientTarget.kind === "sample" ? [["gin", `${ctx.array} | null`], ["gino", "number"]] : [];
  return functionStructure({
    name: backwardChunkName(l.position),
    doc: `Layer ${l.position} backward over a chunk of n samples (dense ${In} → ${Out} ${l.activation.kind}): ${DZ}, then dL/db and dL/dW added to grad and dL/d(input) written, in register tiles.`,
    parameters: [["params", ctx.array], ...withArray(input.parameters, ctx.array), ["grad", ctx.array], ["n", "number"], ...targetParameters],
    returns: "void",
    body,
  });
}

function forwardChunkCalls(ctx: EmitContext): string[] {
  return ctx.plan.layers
    .filter((l): l is PlannedDense => l.kind === "dense")
    .map((l) => `${forwardChunkName(l.position)}(${["params", ...inputRows(l).args, "n"].join(", ")});`);
}

/**
 * The blocked evaluate's body: the forward chunk functions (or the kernels, through evaluateKernels) over
 * chunks of plan.batch.chunk samples, then loss and accuracy one row at a time in sample order, through the
 * per-sample functions: the same sums in the same order as the per-sample evaluate.
 */
export function blockedEvaluateBody(ctx: EmitContext, accuracy: boolean): string[] {
  return [
    ...(ctx.plan.batch.kernel.kind === "wasm" ? ["if (KERNELS !== null) return evaluateKernels(KERNELS, params, xs, ys, count);"] : []),
    ...chunkedEvaluateLoop(ctx, accuracy, forwardChunkCalls(ctx)),
  ];
}

/**
 * The chunked evaluate loop both evaluate paths share: `forwardLines` run the forward of samples
 * first…first+n−1 (xo is their offset in xs) into the chunk buffers (TS chunk functions or the kernels);
 * then loss and accuracy one row at a time in sample order.
 */
export function chunkedEvaluateLoop(ctx: EmitContext, accuracy: boolean, forwardLines: string[]): string[] {
  const { plan } = ctx;
  const CH = plan.batch.chunk;
  return [
    "let loss = 0;",
    "let correct = 0;",
    `for (let first = 0; first < count; first += ${CH}) {`,
    `const n = Math.min(${CH}, count - first);`,
    `const xo = first * ${plan.inputs};`,
    ...forwardLines,
    "for (let s = 0; s < n; s++) {",
    `const o = s * ${plan.outputs};`,
    `const yo = (first + s) * ${plan.outputs};`,
    ...lastRowCopies(ctx),
    "loss += sampleLoss(ys, yo);",
    "correct += sampleCorrect(ys, yo);",
    "}",
    "}",
    `return { loss: loss / count, accuracy: ${accuracy ? "correct / count" : "null"} };`,
  ];
}

/** The blocked lossAndGradient's body and its chunk functions (plan.batch.shape === "blocked", no dropout). */
export function emitBlocked(ctx: EmitContext): { functions: FunctionDeclarationStructure[]; lossAndGradientBody: string[] } {
  const { plan } = ctx;
  const dense = plan.layers.filter((l): l is PlannedDense => l.kind === "dense");
  if (dense.length !== plan.layers.length) throw new Error("emit: the blocked batch shape does not handle dropout");
  const last = dense[dense.length - 1]!;
  const K = plan.outputs;
  const CH = plan.batch.chunk;
  const functions = [...dense.map((l) => denseForwardChunk(ctx, l)), ...dense.map((l) => denseBackwardChunk(ctx, l))];
  const forwardCalls = forwardChunkCalls(ctx);
  const backwardCalls = [...dense].reverse().map((l) => {
    const args = ["params", ...inputRows(l).args, "grad", "n", ...(l.gradientTarget.kind === "sample" ? ["gin", "xo"] : [])];
    return `${backwardChunkName(l.position)}(${args.join(", ")});`;
  });
  const delta = last.fusedOutput ? last.dz : last.ga!;
  const rowCopies = lastRowCopies(ctx);
  const kernels = plan.batch.kernel.kind === "wasm";
  if (kernels) functions.push(emitLossAndGradientKernels(ctx));
  const lossAndGradientBody = [
    "const gin = options?.inputGradient ?? null;",
    ...(kernels ? ["if (KERNELS !== null) return lossAndGradientKernels(KERNELS, params, xs, ys, count, grad, gin);"] : []),
    `for (let i = 0; i < ${plan.parameters}; i++) grad[i] = 0;`,
    "let loss = 0;",
    `for (let first = 0; first < count; first += ${CH}) {`,
    `const n = Math.min(${CH}, count - first);`,
    `const xo = first * ${plan.inputs};`,
    ...forwardCalls,
    "// Loss and output delta one row at a time, through the per-sample functions.",
    "for (let s = 0; s < n; s++) {",
    `const o = s * ${K};`,
    `const yo = (first + s) * ${K};`,
    ...rowCopies,
    "loss += sampleLoss(ys, yo);",
    "outputDelta(ys, yo);",
    `for (let k = 0; k < ${K}; k++) ${batchName(delta)}[o + k] = ${delta}[k];`,
    "}",
    ...backwardCalls,
    "}",
    `for (let i = 0; i < ${plan.parameters}; i++) grad[i] /= count;`,
    `if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`,
    "return loss / count;",
  ];
  return { functions, lossAndGradientBody };
}
