// The loss of one sample, its gradient at the output (dL/dz when the loss is fused with the output
// activation, else dL/da), per-sample accuracy, and evaluate. Formulas come from the maths table.
import type { FunctionDeclarationStructure } from "ts-morph";
import { LOSSES, substitute } from "../maths.js";
import { add, functionStructure, repeat, type EmitContext, type Index } from "./code.js";
import { evaluateParts } from "./strategy.js";

export function emitLoss(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan } = ctx;
  const K = plan.outputs;
  const shape = plan.outputShape.shape;
  const math = LOSSES[plan.loss.kind];
  const out = plan.output;
  const z = plan.layers[plan.layers.length - 1]!.z;
  const y = (k: Index): string => `ys[${add("yo", k)}]`;
  const bind = (k: Index): Record<string, string | number> => ({
    a: `${out}[${k}]`,
    y: y(k),
    z: z === null ? "0" : `${z}[${k}]`,
    K,
    lse: "lse",
    sumY: "sumY",
  });
  const categorical = plan.loss.kind === "categorical_crossentropy";
  // log Σ e^z, with the maximum subtracted for stability.
  const logSumExp = [
    `let max = ${z}[0];`,
    ...repeat(K - 1, shape, "k", (k) => [`if (${z}[${add(k, 1)}] > max) max = ${z}[${add(k, 1)}];`]),
    "let sum = 0;",
    ...repeat(K, shape, "k", (k) => [`sum += Math.exp(${z}[${k}] - max);`]),
    "const lse = max + Math.log(sum);",
  ];
  const sampleLoss = functionStructure({
    name: "sampleLoss",
    doc: `${plan.loss.kind}: ${math.doc}. The loss of the sample whose targets start at ys[yo], after forwardSample.`,
    parameters: [
      ["ys", ctx.array],
      ["yo", "number"],
    ],
    returns: "number",
    body: [
      ...(categorical ? logSumExp : []),
      "let loss = 0;",
      ...repeat(K, shape, "k", (k) => [`loss += ${substitute(math.term.text, bind(k))};`]),
      "return loss;",
    ],
  });
  const target = plan.outputDelta;
  const outputDelta = functionStructure({
    name: "outputDelta",
    doc: `Writes ${math.fused ? "dL/dz" : "dL/da"} of the sample's loss into ${target}${math.fused ? " (fused with the output activation)" : ""}.`,
    parameters: [
      ["ys", ctx.array],
      ["yo", "number"],
    ],
    returns: "void",
    body: [
      ...(categorical ? ["let sumY = 0;", ...repeat(K, shape, "k", (k) => [`sumY += ${y(k)};`])] : []),
      ...repeat(K, shape, "k", (k) => [`${target}[${k}] = ${substitute(math.delta.text, bind(k))};`]),
    ],
  });
  const accuracyKind = K > 1 ? "argmax" : plan.outputActivation.kind === "sigmoid" ? "threshold" : "none";
  const correctBody =
    accuracyKind === "argmax"
      ? [
          "let best = 0;",
          "let target = 0;",
          `for (let k = 1; k < ${K}; k++) {`,
          `if (${out}[k] > ${out}[best]) best = k;`,
          "if (ys[yo + k] > ys[yo + target]) target = k;",
          "}",
          "return best === target ? 1 : 0;",
        ]
      : accuracyKind === "threshold"
        ? [`return ${out}[0] >= 0.5 === ys[yo] >= 0.5 ? 1 : 0;`]
        : [];
  const sampleCorrect = functionStructure({
    name: "sampleCorrect",
    doc:
      accuracyKind === "argmax"
        ? "1 when the output's argmax is the target's argmax (first maximum wins), else 0."
        : accuracyKind === "threshold"
          ? "1 when output ≥ 0.5 agrees with target ≥ 0.5 (one sigmoid output), else 0."
          : "A single non-sigmoid output is a regression: there is no accuracy (always 0, unused).",
    parameters: [
      ["ys", ctx.array],
      ["yo", "number"],
    ],
    returns: "number",
    body: correctBody,
  });
  // The batch strategy (src/emit/strategy.ts) gives evaluate's body: per sample, or in chunks (the wasm kernels when loaded).
  const evaluateStrategy = evaluateParts(ctx, accuracyKind !== "none");
  const evaluate = functionStructure({
    name: "evaluate",
    exported: true,
    doc: `Mean loss and accuracy (${accuracyKind === "none" ? "null: regression" : accuracyKind}) over count samples, in evaluation mode (no dropout).`,
    parameters: [
      ["params", ctx.array],
      ["xs", ctx.array],
      ["ys", ctx.array],
      ["count", "number"],
    ],
    returns: "{ loss: number; accuracy: number | null }",
    body: evaluateStrategy.body,
  });
  // The fused per-sample shape computes the output delta inline (src/emit/fused.ts).
  // A regression has no accuracy: no sampleCorrect, and evaluate counts nothing (lint: no unused `correct`).
  return [
    sampleLoss,
    ...(plan.sample.shape === "fused" ? [] : [outputDelta]),
    ...(accuracyKind === "none" ? [] : [sampleCorrect]),
    evaluate,
    ...evaluateStrategy.after,
  ];
}
