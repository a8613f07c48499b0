// The module's own preprocessing of raw inputs: the spec's data scale (a literal), then the normalisation
// x' = (x − offset[j]) / scale[j], whose statistics travel in the parameter vector after the trainable
// parameters (as Keras's Normalization layer keeps its mean and variance as non-trainable weights).
// fitPreprocessing fits them with exactly src/data/normalize.ts's arithmetic; preprocess applies them; the
// raw-input evaluate wraps the network-input one (evaluateInputs, which train() uses).
import type { FunctionDeclarationStructure, VariableStatementStructure } from "ts-morph";
import { preprocesses, preprocessingOf, type Preprocessing } from "../network-identity.js";
import { constStructure, functionStructure, type EmitContext } from "./code.js";

export function preprocessingOfContext(ctx: EmitContext): Preprocessing {
  return preprocessingOf(ctx.spec, ctx.plan.parameters);
}

/** True when raw inputs go through a scale or a normalisation before the network. */
export function hasPreprocessing(ctx: EmitContext): boolean {
  return preprocesses(preprocessingOfContext(ctx));
}

/** Length of the parameter vector: trainable parameters, then the statistics when the spec normalises. */
export function vectorLength(ctx: EmitContext): number {
  const p = preprocessingOfContext(ctx);
  return p.offset + p.size;
}

/** The exported offsets of the statistics (only when the spec normalises). */
export function emitPreprocessingConstants(ctx: EmitContext): VariableStatementStructure[] {
  const p = preprocessingOfContext(ctx);
  if (p.size === 0) return [];
  const n = ctx.plan.inputs;
  return [
    constStructure(
      "NORMALIZATION_OFFSET",
      String(p.offset),
      `Offset of the ${p.normalize} normalisation's offset[${n}] in the parameter vector (not trained).`,
      {
        exported: true,
      },
    ),
    constStructure("NORMALIZATION_SCALE", String(p.offset + n), `Offset of the normalisation's scale[${n}] in the parameter vector (not trained; never 0).`, {
      exported: true,
    }),
  ];
}

/** predict's scratch for one sample's network inputs (modules that preprocess). */
export function emitPreprocessingBuffer(ctx: EmitContext): VariableStatementStructure[] {
  if (!hasPreprocessing(ctx)) return [];
  return [constStructure("INPUT", `new ${ctx.array}(${ctx.plan.inputs})`, "Scratch: one sample's network inputs (predict preprocesses its raw x into it).")];
}

/** `x · scale` with the literal folded away when the scale is 1. */
function scaled(read: string, scale: number): string {
  return scale === 1 ? read : `${read} * ${scale}`;
}

function emitPreprocess(ctx: EmitContext): FunctionDeclarationStructure {
  const p = preprocessingOfContext(ctx);
  const n = ctx.plan.inputs;
  const V = ctx.array;
  const alloc = `const result = out ?? new ${V}(count * ${n});`;
  let body: string[];
  let what: string;
  if (p.size > 0) {
    what = `x · ${p.scale}, then (x − offset[j]) / scale[j] with the ${p.normalize} statistics in params (NORMALIZATION_OFFSET, NORMALIZATION_SCALE)`;
    if (p.scale === 1) what = `(x − offset[j]) / scale[j] with the ${p.normalize} statistics in params (NORMALIZATION_OFFSET, NORMALIZATION_SCALE)`;
    body = [
      alloc,
      "for (let r = 0; r < count; r++) {",
      `const o = r * ${n};`,
      `for (let j = 0; j < ${n}; j++) result[o + j] = (${scaled("xs[o + j]!", p.scale)} - params[${p.offset} + j]!) / params[${p.offset + n} + j]!;`,
      "}",
      "return result;",
    ];
  } else if (p.scale !== 1) {
    what = `x · ${p.scale} (the spec's data scale; it normalises nothing)`;
    body = ["void params;", alloc, `for (let i = 0; i < count * ${n}; i++) result[i] = xs[i]! * ${p.scale};`, "return result;"];
  } else {
    what = "a copy: this spec neither scales nor normalises its inputs";
    body = ["void params;", alloc, `result.set(xs.subarray(0, count * ${n}));`, "return result;"];
  }
  return functionStructure({
    name: "preprocess",
    exported: true,
    doc: `Raw rows (count × ${n}, as in the training data) → the network inputs lossAndGradient, step and train take: ${what}. Writes into \`out\` when given.`,
    parameters: [
      ["params", V],
      ["xs", V],
      ["count", "number"],
      ["out?", V],
    ],
    returns: V,
    body,
  });
}

function emitFitPreprocessing(ctx: EmitContext): FunctionDeclarationStructure {
  const p = preprocessingOfContext(ctx);
  const n = ctx.plan.inputs;
  const P = p.offset;
  const doc =
    p.size === 0
      ? "This spec normalises nothing: there are no statistics to fit (present so every module has the same exports)."
      : [
          `Fits the ${p.normalize} statistics on raw rows (count × ${n}, the training split) and writes them into params at NORMALIZATION_OFFSET and`,
          "NORMALIZATION_SCALE, with exactly the arithmetic of nnc's fitNormalization (so the numbers are nnc train's, bit for bit in f64):",
          p.normalize === "zero_mean"
            ? "offset the mean, scale 1."
            : p.normalize === "min_max"
              ? "offset the minimum, scale max − min (a constant input: offset its value, scale 1)."
              : "offset the mean, scale the population standard deviation, two passes (a constant input: scale 1).",
        ].join("\n");
  const fit = (body: string[]): FunctionDeclarationStructure =>
    functionStructure({
      name: "fitPreprocessing",
      exported: true,
      doc,
      parameters: [
        ["params", ctx.array],
        ["xs", ctx.array],
        ["count", "number"],
      ],
      returns: "void",
      body,
    });
  if (p.size === 0) return fit(["void params;", "void xs;", "void count;"]);
  const read = scaled(`xs[r * ${n} + j]!`, p.scale);
  const minMax = p.normalize === "min_max";
  const loop = [
    `for (let j = 0; j < ${n}; j++) {`,
    "let sum = 0;",
    ...(minMax ? ["let min = Infinity;", "let max = -Infinity;"] : []),
    "for (let r = 0; r < count; r++) {",
    `const v = ${read};`,
    "sum += v;",
    ...(minMax ? ["if (v < min) min = v;", "if (v > max) max = v;"] : []),
    "}",
    "const mean = sum / count;",
  ];
  if (p.normalize === "zero_mean") loop.push(`params[${P} + j] = mean;`, `params[${P + n} + j] = 1;`);
  else if (minMax) loop.push(`params[${P} + j] = max > min ? min : mean;`, `params[${P + n} + j] = max > min ? max - min : 1;`);
  else {
    loop.push(
      "let squares = 0;",
      "for (let r = 0; r < count; r++) {",
      `const d = ${read} - mean;`,
      "squares += d * d;",
      "}",
      "const std = Math.sqrt(squares / count);",
      `params[${P} + j] = mean;`,
      `params[${P + n} + j] = std > 0 ? std : 1;`,
    );
  }
  loop.push("}");
  return fit([`if (count === 0) throw new Error("fitPreprocessing: cannot fit ${p.normalize} normalisation on 0 rows");`, ...loop]);
}

/** The raw-input evaluate of a module that preprocesses (the network-input one is evaluateInputs); `kernelLines`: its kernel path (rawEntryLines). */
function emitRawEvaluate(ctx: EmitContext, kernelLines: string[]): FunctionDeclarationStructure {
  const V = ctx.array;
  return functionStructure({
    name: "evaluate",
    exported: true,
    doc:
      kernelLines.length > 0
        ? `{ loss, accuracy } in evaluation mode over raw rows xs (count × ${ctx.plan.inputs}, as in the training data): each chunk preprocessed into kernel memory on the kernel path, else preprocess (into a new array), then evaluateInputs.`
        : `{ loss, accuracy } in evaluation mode over raw rows xs (count × ${ctx.plan.inputs}, as in the training data): preprocess (into a new array), then evaluateInputs.`,
    parameters: [
      ["params", V],
      ["xs", V],
      ["ys", V],
      ["count", "number"],
    ],
    returns: "{ loss: number; accuracy: number | null }",
    body: [...kernelLines, "return evaluateInputs(params, preprocess(params, xs, count), ys, count);"],
  });
}

/** preprocess, fitPreprocessing and, in a module that preprocesses, the raw evaluate (`rawEvaluateLines`: its kernel path, rawEntryLines). */
export function emitPreprocessing(ctx: EmitContext, rawEvaluateLines: string[]): FunctionDeclarationStructure[] {
  return [emitPreprocess(ctx), emitFitPreprocessing(ctx), ...(hasPreprocessing(ctx) ? [emitRawEvaluate(ctx, rawEvaluateLines)] : [])];
}
