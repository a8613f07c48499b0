// classify(params, x) for classifiers (softmax outputs, or one sigmoid output): the most probable class of
// one raw sample, its name and its probability. Names are the spec's classes (meta.classes), else
// "class <index>"; the ClassName type is the union of those names.
import type { FunctionDeclarationStructure, VariableStatementStructure } from "ts-morph";
import { constStructure, functionStructure, type EmitContext } from "./code.js";

export type ClassifierKind = "softmax" | "sigmoid" | null;

/** softmax: argmax over the outputs; sigmoid: one output, p ≥ 0.5 is class 1; null: not a classifier. */
export function classifierKind(ctx: EmitContext): ClassifierKind {
  const activation = ctx.plan.outputActivation.kind;
  if (activation === "softmax" && ctx.plan.outputs > 1) return "softmax";
  if (activation === "sigmoid" && ctx.plan.outputs === 1) return "sigmoid";
  return null;
}

/** The class names classify reports, in output order (2 for one sigmoid output). */
function classCount(ctx: EmitContext): number {
  return classifierKind(ctx) === "sigmoid" ? 2 : ctx.plan.outputs;
}

/** The ClassName type and Classification interface (classifiers only). */
export function emitClassifyTypes(ctx: EmitContext): string[] {
  if (classifierKind(ctx) === null) return [];
  const names = ctx.spec.classes ?? null;
  const type = names === null ? "`class ${number}`" : names.map((n) => JSON.stringify(n)).join(" | ");
  return [
    `/** A class classify can return: ${names === null ? 'the spec names none, so "class 0", "class 1" and so on' : "the spec's class names"}. */\nexport type ClassName = ${type};`,
    `/** One sample's most probable class (index in output order), its name and its probability. */
export interface Classification {
  index: number;
  name: ClassName;
  probability: number;
}`,
  ];
}

/** classify's scratch output (classifiers only). */
export function emitClassifyBuffer(ctx: EmitContext): VariableStatementStructure[] {
  if (classifierKind(ctx) === null) return [];
  return [constStructure("CLASS_OUTPUT", `new ${ctx.array}(${ctx.plan.outputs})`, "Scratch: classify's network output.")];
}

/** The name expression of class `index` (an expression text). */
function nameOf(ctx: EmitContext, index: string): string {
  if ((ctx.spec.classes ?? null) !== null) return `CLASS_NAMES[${index}]!`;
  return /^\d+$/.test(index) ? JSON.stringify(`class ${index}`) : `\`class \${${index}}\``;
}

export function emitClassify(ctx: EmitContext): (FunctionDeclarationStructure | VariableStatementStructure)[] {
  const kind = classifierKind(ctx);
  if (kind === null) return [];
  const names = ctx.spec.classes ?? null;
  const list =
    names === null
      ? []
      : [
          constStructure(
            "CLASS_NAMES",
            `[${names.map((n) => JSON.stringify(n)).join(", ")}]`,
            `The ${classCount(ctx)} class names, in output order (meta.classes).`,
            { type: "readonly ClassName[]" },
          ),
        ];
  const body =
    kind === "softmax"
      ? [
          `const p = predict(params, x, CLASS_OUTPUT);`,
          "let index = 0;",
          `for (let k = 1; k < ${ctx.plan.outputs}; k++) if (p[k]! > p[index]!) index = k;`,
          `return { index, name: ${nameOf(ctx, "index")}, probability: p[index]! };`,
        ]
      : [
          `const p = predict(params, x, CLASS_OUTPUT)[0]!;`,
          `return p >= 0.5 ? { index: 1, name: ${nameOf(ctx, "1")}, probability: p } : { index: 0, name: ${nameOf(ctx, "0")}, probability: 1 - p };`,
        ];
  const doc =
    kind === "softmax"
      ? `The most probable of the ${ctx.plan.outputs} classes for one raw sample x (preprocessed as predict does): the first largest softmax output, its name and probability.`
      : "The class of one raw sample x (preprocessed as predict does) from the one sigmoid output p: p ≥ 0.5 is class 1 with probability p, else class 0 with probability 1 − p.";
  return [
    ...list,
    functionStructure({
      name: "classify",
      exported: true,
      doc,
      parameters: [
        ["params", ctx.array],
        ["x", ctx.array],
      ],
      returns: "Classification",
      body,
    }),
  ];
}
