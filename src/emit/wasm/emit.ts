// The generated module's side of the wasm kernels (plan.batch.kernel.kind === "wasm"): the kernel bytes as
// a hex string, a loader that instantiates them synchronously at module load inside try/catch (null when
// WebAssembly or its SIMD is missing: the TS blocked code then runs), the chunk buffers as views of the
// kernel's memory (plain arrays without it), and lossAndGradientKernels: the blocked lossAndGradient with
// the matrix products in the kernels and the element-wise work (activations, loss, deltas, bias gradient)
// in TS on the same views. The module stays one file with no imports; the few WebAssembly names it uses
// are declared narrowly here, so it type-checks with lib ES2022 alone.
import { hasPreprocessing, vectorLength } from "../preprocess.js";
import type { FunctionDeclarationStructure } from "ts-morph";
import { ruleOf } from "../../layers/index.js";
import type { PlannedLayerBase } from "../../layers/types.js";
import type { LayerRule } from "../../layers/rule.js";
import { batchName } from "../../plan/base.js";
import type { KernelMemory, KernelStep } from "../../plan/kernels.js";
import { chunkLoopHead, chunkedEvaluateLoop, chunkedPredictBatchLoop, rowLossAndDelta } from "../chunk.js";
import { functionStructure, type EmitContext } from "../code.js";
import { buildKernels } from "./kernels.js";

type KernelForward = NonNullable<LayerRule["blocked"]["kernelForward"]>;
type KernelBackward = NonNullable<LayerRule["blocked"]["kernelBackward"]>;

/** The kernel path's hooks of a layer's rule (the plan chose kernels only when every layer's rule supports the blocked strategy). */
function kernelHooks(l: PlannedLayerBase): { forward: KernelForward; backward: KernelBackward } {
  const { kernelForward, kernelBackward } = ruleOf(l).blocked;
  if (kernelForward === undefined || kernelBackward === undefined) throw new Error(`emit: layer ${l.position} (${l.kind}) has no kernel-path code`);
  return { forward: kernelForward, backward: kernelBackward };
}

/** True when the o kernel computes the output layer's σ, dL/dz and the loss (f32 sigmoid + binary cross-entropy). */
function outputByLoss(ctx: EmitContext): boolean {
  return (ctx.plan.kernels?.outputLoss ?? null) !== null;
}

function memoryOf(ctx: EmitContext): KernelMemory {
  if (ctx.plan.kernels === null) throw new Error("emit: the plan has no kernels");
  return ctx.plan.kernels.memory;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The few WebAssembly names a module uses, declared so it needs no DOM or WebAssembly lib. */
export const WEBASSEMBLY_DECLARATION = [
  "/** The few WebAssembly names this module uses (declared here so it needs no DOM or WebAssembly lib). */",
  "declare const WebAssembly: {",
  "  Module: new (bytes: Uint8Array) => object;",
  "  Instance: new (module: object, imports: Record<string, never>) => { exports: object };",
  "};",
].join("\n");

/** A function `name` that instantiates the hex bytes in `bytesConstant` synchronously, or returns null without WebAssembly (or SIMD). */
export function wasmLoader(name: string, bytesConstant: string, exportsType: string, doc: string): string {
  return [
    `/** ${doc} */`,
    `function ${name}(): ${exportsType} | null {`,
    "  try {",
    `    const bytes = new Uint8Array(${bytesConstant}.length / 2);`,
    `    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(${bytesConstant}.slice(2 * i, 2 * i + 2), 16);`,
    `    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as ${exportsType};`,
    "  } catch {",
    "    return null;",
    "  }",
    "}",
  ].join("\n");
}

/** A function `name`(offset, size): a `array` view of `instance`'s memory, or a plain `array` when `instance` is null (no WebAssembly). */
export function memoryView(name: string, instance: string, array: string, doc: string): string {
  return [
    `/** ${doc} */`,
    `function ${name}(offset: number, size: number): ${array} {`,
    `  return ${instance} !== null ? new ${array}(${instance}.memory.buffer, offset, size) : new ${array}(size);`,
    "}",
  ].join("\n");
}

/** Byte offset of a region of the kernel memory (see src/emit/wasm/kernels.ts). */
function offset(layout: KernelMemory, name: string): number {
  const at = layout.offsets.get(name);
  if (at === undefined) throw new Error(`emit: no kernel region ${name}`);
  return at;
}

/** Module-level statements: WebAssembly declarations, kernel bytes, loader, and the views the kernel path uses. */
export function emitKernelSetup(ctx: EmitContext): string[] {
  const { bytes, layout, functions } = buildKernels(ctx.plan);
  const view = (name: string): string => `scratch(${offset(layout, name)}, ${layout.sizes.get(name)})`;
  return [
    WEBASSEMBLY_DECLARATION,
    [
      "/** The exports of the kernel module: its memory and one function of the chunk's sample count per matrix product. */",
      "interface Kernels {",
      "  memory: { buffer: ArrayBuffer };",
      ...functions.map((f) => `  ${f}(n: number): void;`),
      "}",
    ].join("\n"),
    `/** WebAssembly SIMD kernels (${bytes.length} bytes, hex), generated by nnc for exactly these sizes: f<p> Z = X·Wᵀ + b, w<p> dW += δᵀ·X, x<p> dX = δ·W, t the weights transposed (into the gradient's memory, for createPredictor), ${ctx.plan.kernels?.packedForward === true ? "r the same into PT (for f<p>), " : ""}p<p> Z = X·Wᵀ + b from them, g the gradient ÷ count${ctx.plan.kernels?.inputScale != null ? ", c the data scale over the chunk's raw inputs" : ""}${stepDoc(ctx.plan.kernels?.step ?? null)}${elementwiseDoc(ctx)}. */\nconst KERNEL_BYTES = "${hex(bytes)}";`,
    wasmLoader(
      "loadKernels",
      "KERNEL_BYTES",
      "Kernels",
      "Instantiates the kernels synchronously; null when this runtime has no WebAssembly (or no SIMD): the TS blocked code runs instead.",
    ),
    "const KERNELS = loadKernels();",
    memoryView("scratch", "KERNELS", ctx.array, "A chunk buffer: a view of the kernel memory at a fixed byte offset, or a plain array without kernels."),
    "/** The predictor snapshot (createPredictor) whose parameters KP holds (and whose weights KG's memory holds transposed); null after lossAndGradient or evaluate copied theirs in. */\nlet KP_SNAPSHOT: object | null = null;",
    `/** Kernel memory: parameters (copied in per call, or a predictor's snapshot), gradient (copied out), the chunk's inputs and input gradient. */\nconst KP = ${view("P")};\nconst KG = ${view("G")};\nconst XB = ${view("XB")};\nconst GINB = ${view("GINB")};`,
    ...(ctx.plan.kernels?.step?.kind === "sgd"
      ? [
          `/** The u kernel's learning rate (the SGD step in the kernels). */\nconst KLR = KERNELS !== null ? new Float64Array(KERNELS.memory.buffer, ${offset(layout, "LR")}, 1) : new Float64Array(1);`,
        ]
      : []),
    ...(ctx.plan.kernels?.step?.kind === "adam"
      ? [
          `/** The u kernel's learning rate and bias corrections c1, c2 (the Adam step in the kernels). */\nconst KLR = KERNELS !== null ? new Float64Array(KERNELS.memory.buffer, ${offset(layout, "LR")}, 3) : new Float64Array(3);`,
          `/** Adam's moments m and v in kernel memory (the u kernel's state, copied in and out per step). */\nconst KM = ${view("M")};\nconst KV = ${view("V")};`,
        ]
      : []),
    ...(outputByLoss(ctx)
      ? [
          `/** The o kernel's inputs and output: the chunk's targets, and the running loss (f64: the sum of the samples' losses so far). */\nconst YB = ${view("YB")};\nconst LOSS = KERNELS !== null ? new Float64Array(KERNELS.memory.buffer, ${offset(layout, "LOSS")}, 1) : new Float64Array(1);`,
        ]
      : []),
  ];
}

/** The element-wise kernels' part of KERNEL_BYTES' doc (f32 modules with sigmoid or tanh layers). */
/** The kernel list's words for the u kernel. */
function stepDoc(step: KernelStep | null): string {
  return step === null ? "" : `, u the ${step.kind === "adam" ? "Adam" : "SGD"} step`;
}

function elementwiseDoc(ctx: EmitContext): string {
  const kinds = new Set(ctx.plan.kernels?.activations.map((a) => a.kind) ?? []);
  if (kinds.size === 0) return "";
  const activations = [...(kinds.has("sigmoid") ? ["s<p> a = σ(z)"] : []), ...(kinds.has("tanh") ? ["h<p> a = tanh z"] : [])].join(", ");
  const o = outputByLoss(ctx) ? ", o the output's σ, dL/dz = a − y and the loss (in f64, added to LOSS)" : "";
  return `; ${activations} in f32 (vectorised exp, within 2 ulps: docs/module.md)${o}`;
}

/** Initialiser of a chunk buffer (plan.batchBuffers) on the kernel path: a view of the kernel memory. */
export function kernelBufferInitializer(ctx: EmitContext, name: string, size: number): string {
  return `scratch(${offset(memoryOf(ctx), name)}, ${size})`;
}

/**
 * The kernel path's forward over the chunk's n samples, whose input rows are already in XB (kernels `k`,
 * parameters in KP): per layer its rule's kernel lines (dense: the kernel's Z = X·Wᵀ + b, then the
 * activation in TS on the views or in an f32 element-wise kernel; with byLoss the output layer's
 * activation is left to the o kernel).
 */
export function kernelForwardLines(ctx: EmitContext, kernel: "f" | "p" = "f", byLoss = false): string[] {
  const layers = ctx.plan.layers;
  return layers.flatMap((l, index) => kernelHooks(l).forward(ctx, l, kernel, byLoss && index === layers.length - 1));
}

/**
 * A chunk's rows into kernel memory (XB). In a module that preprocesses, the kernel entries take `raw`: true
 * when xs are raw rows (evaluate, predictBatch), each chunk then preprocessed straight into XB, as the predictor
 * does, where the raw entry would otherwise preprocess every row into a new array first (W5, 10,000 rows: a
 * 31 MB array, and ~30 of predictBatch's 105 ms).
 */
function chunkIntoKernelMemory(ctx: EmitContext): string[] {
  const chunk = `xs.subarray(xo, xo + n * ${ctx.plan.inputs})`;
  switch (rawInputsPath(ctx)) {
    case "copy":
      return [`XB.set(${chunk});`];
    case "scale kernel":
      return [`XB.set(${chunk});`, "if (raw) k.c(n); // the data scale in the kernels"];
    case "preprocess":
      return [`if (raw) preprocess(params, ${chunk}, n, XB);`, `else XB.set(${chunk});`];
  }
}

/**
 * How raw rows become network inputs in kernel memory, for the chunks and the predictor: copied (the spec
 * neither scales nor normalises), copied then the c kernel's data scale in place (the TS preprocess's bits), or
 * the TS preprocess straight into XB (a normalisation reads its statistics from the parameter vector).
 */
function rawInputsPath(ctx: EmitContext): "copy" | "scale kernel" | "preprocess" {
  if (!hasPreprocessing(ctx)) return "copy";
  return ctx.plan.kernels?.inputScale != null ? "scale kernel" : "preprocess";
}

/**
 * The start of every kernel entry but the predictor's: the trainable parameters into KP (a longer vector's
 * statistics stay in TS), the predictor's snapshot marked gone (its transposed weights share KG's memory), and
 * for the packed f32 forward the weights transposed into PT.
 */
function paramsIntoKernelMemory(ctx: EmitContext): string[] {
  return [
    `KP.set(params.subarray(0, ${ctx.plan.parameters}));`,
    "KP_SNAPSHOT = null;",
    ...(ctx.plan.kernels?.packedForward === true ? ["k.r(0); // the weights transposed into PT, for the forward's contiguous vector loads"] : []),
  ];
}

/** The kernel entries' `raw` parameter, in a module that preprocesses (chunkIntoKernelMemory). */
function rawParameter(ctx: EmitContext): [string, string][] {
  return hasPreprocessing(ctx) ? [["raw", "boolean"]] : [];
}

/** evaluate on the kernel path (the blocked evaluate calls it when KERNELS is not null). */
export function emitEvaluateKernels(ctx: EmitContext, accuracy: boolean): FunctionDeclarationStructure {
  const { plan } = ctx;
  const CH = plan.batch.chunk;
  return functionStructure({
    name: "evaluateKernels",
    doc: `evaluate with the forward's matrix products in the WebAssembly kernels: parameters copied into kernel memory, chunks of ${CH} samples, then loss and accuracy one row at a time in sample order.`,
    parameters: [["k", "Kernels"], ["params", ctx.array], ["xs", ctx.array], ["ys", ctx.array], ["count", "number"], ...rawParameter(ctx)],
    returns: "{ loss: number; accuracy: number | null }",
    body: [
      ...paramsIntoKernelMemory(ctx),
      ...(outputByLoss(ctx)
        ? evaluateByLossKernel(ctx, accuracy)
        : chunkedEvaluateLoop(ctx, accuracy, [...chunkIntoKernelMemory(ctx), ...kernelForwardLines(ctx)])),
    ],
  });
}

/** The batched predict on the kernel path (the blocked predictBatch calls it when KERNELS is not null). */
export function emitPredictBatchKernels(ctx: EmitContext): FunctionDeclarationStructure {
  const { plan } = ctx;
  return functionStructure({
    name: "predictBatchKernels",
    doc: `The batched predict with the forward in the WebAssembly kernels: parameters copied into kernel memory, chunks of ${plan.batch.chunk} samples${hasPreprocessing(ctx) ? " (preprocessed into kernel memory when raw)" : ""}, each chunk's output rows copied into result.`,
    parameters: [["k", "Kernels"], ["params", ctx.array], ["xs", ctx.array], ["count", "number"], ["result", ctx.array], ...rawParameter(ctx)],
    returns: ctx.array,
    body: [...paramsIntoKernelMemory(ctx), ...chunkedPredictBatchLoop(ctx, [...chunkIntoKernelMemory(ctx), ...kernelForwardLines(ctx)])],
  });
}

/** evaluateKernels' loop when the o kernel computes the loss (f32 sigmoid + binary cross-entropy): chunk by chunk, then accuracy one row at a time in sample order. */
function evaluateByLossKernel(ctx: EmitContext, accuracy: boolean): string[] {
  const { plan } = ctx;
  const last = plan.layers[plan.layers.length - 1]!;
  const K = plan.outputs;
  return [
    "LOSS[0] = 0;",
    "let correct = 0;",
    ...chunkLoopHead(ctx),
    ...chunkIntoKernelMemory(ctx),
    ...kernelForwardLines(ctx, "f", true),
    `YB.set(ys.subarray(first * ${K}, (first + n) * ${K}));`,
    "k.o(n); // σ and the loss in the kernels (and dL/dz, unused here)",
    ...(accuracy
      ? [
          "for (let s = 0; s < n; s++) {",
          `const o = s * ${K};`,
          `for (let k = 0; k < ${K}; k++) ${last.a}[k] = ${batchName(last.a)}[o + k];`,
          `correct += sampleCorrect(ys, (first + s) * ${K});`,
          "}",
        ]
      : []),
    "}",
    `return { loss: LOSS[0] / count, accuracy: ${accuracy ? "correct / count" : "null"} };`,
  ];
}

/** The predictor's body on the kernel path: its parameter snapshot into KP (and its weights transposed into KG's memory) unless KP already holds it, the sample into XB, the forward with n = 1 from the transposed weights, the output row out. */
export function kernelPredictorLines(ctx: EmitContext): string[] {
  const last = ctx.plan.layers[ctx.plan.layers.length - 1]!;
  return [
    "if (KP_SNAPSHOT !== snapshot) {",
    // The snapshot's normalisation statistics (after the trainable parameters) stay in TS: preprocess reads them.
    vectorLength(ctx) > ctx.plan.parameters ? `KP.set(snapshot.subarray(0, ${ctx.plan.parameters}));` : "KP.set(snapshot);",
    "k.t(0); // the weights transposed into KG's memory, for contiguous vector loads in p<p>",
    "KP_SNAPSHOT = snapshot;",
    "}",
    ...{
      copy: [`XB.set(x.subarray(0, ${ctx.plan.inputs}));`],
      "scale kernel": [`XB.set(x.subarray(0, ${ctx.plan.inputs}));`, "k.c(1); // the data scale in the kernels: the raw sample's network inputs"],
      preprocess: ["preprocess(snapshot, x, 1, XB); // the raw sample's network inputs, straight into kernel memory"],
    }[rawInputsPath(ctx)],
    "const n = 1;",
    ...kernelForwardLines(ctx, "p"),
    `const result = out ?? new ${ctx.array}(${ctx.plan.outputs});`,
    `for (let k = 0; k < ${ctx.plan.outputs}; k++) result[k] = ${batchName(last.a)}[k];`,
    "return result;",
  ];
}

/** lossAndGradient on the kernel path (the TS blocked lossAndGradient calls it when KERNELS is not null). */
export function emitLossAndGradientKernels(ctx: EmitContext): FunctionDeclarationStructure {
  const { plan } = ctx;
  const K = plan.outputs;
  const CH = plan.batch.chunk;
  const byLoss = outputByLoss(ctx);
  const forward = kernelForwardLines(ctx, "f", byLoss);
  const backward = [...plan.layers].reverse().flatMap((l) => kernelHooks(l).backward(ctx, l));
  const lossAndDelta = byLoss
    ? [`YB.set(ys.subarray(first * ${K}, (first + n) * ${K}));`, "k.o(n); // σ, dL/dz = a − y and the loss in the kernels"]
    : rowLossAndDelta(ctx);
  const body = [
    ...paramsIntoKernelMemory(ctx),
    "KG.fill(0);",
    byLoss ? "LOSS[0] = 0;" : "let loss = 0;",
    ...chunkLoopHead(ctx),
    `XB.set(xs.subarray(xo, xo + n * ${plan.inputs}));`,
    ...forward,
    ...lossAndDelta,
    ...backward,
    "}",
    "k.g(count); // KG[i] / count in the kernels",
    `grad.set(KG.subarray(0, ${plan.parameters}));`,
    `if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`,
    `return ${byLoss ? "LOSS[0]" : "loss"} / count;`,
  ];
  return functionStructure({
    name: "lossAndGradientKernels",
    doc: `lossAndGradient with the matrix products in the WebAssembly kernels: parameters copied into kernel memory, chunks of ${CH} samples, gradient copied out. Same sums in the same order as the TS blocked code.`,
    parameters: [
      ["k", "Kernels"],
      ["params", ctx.array],
      ["xs", ctx.array],
      ["ys", ctx.array],
      ["count", "number"],
      ["grad", ctx.array],
      ["gin", `${ctx.array} | null`],
    ],
    returns: "number",
    body,
  });
}
