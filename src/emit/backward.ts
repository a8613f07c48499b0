// Backward pass: one function per layer, run from the output back to the input. A dense layer turns
// dL/da into dL/dz with its activation's derivative (unless the loss already gave dL/dz), accumulates
// dL/dW = dz · inᵀ and dL/db = dz into `grad`, and writes dL/d(input) = Wᵀ · dz where someone reads it.
// Then lossAndGradient: the per-sample loop over forward, loss, backward.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, literal, substitute } from "../maths.js";
import type { InputGradientTarget, PlannedDense, PlannedDropout } from "../plan.js";
import { add, functionStructure, mul, repeat, type EmitContext, type Index } from "./code.js";
import { inputArguments, inputAt, inputParameters } from "./forward.js";
import { emitBlocked } from "./batched.js";
import { fusedLossAndGradientBody } from "./fused.js";

export function backwardName(position: number): string {
  return `backwardLayer${position}`;
}

function targetAt(target: InputGradientTarget, i: Index): string {
  return target.kind === "sample" ? `gin[${add("gino", i)}]` : `${target.name}[${i}]`;
}

function targetParameters(target: InputGradientTarget, array: string): [string, string][] {
  return target.kind === "sample" ? [["gin", `${array} | null`], ["gino", "number"]] : [];
}

function targetArguments(target: InputGradientTarget): string[] {
  return target.kind === "sample" ? ["gin", "gino"] : [];
}

/** Wrap statements that write the caller's input gradient in a null check. */
function whenTarget(target: InputGradientTarget, statements: string[]): string[] {
  return target.kind === "sample" ? ["if (gin !== null) {", ...statements, "}"] : statements;
}

function denseBackward(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
  const act = ACTIVATIONS[l.activation.kind];
  const shape = l.backward.shape;
  const body: string[] = [];
  if (!l.fusedOutput) {
    const ga = l.ga!;
    if (act.vector) {
      // softmax Jacobian: dL/dz_k = a_k (g_k − Σ_j g_j a_j).
      body.push("let dot = 0;", ...repeat(l.outputs, shape, "k", (k) => [`dot += ${ga}[${k}] * ${l.a}[${k}];`]));
      body.push(...repeat(l.outputs, shape, "k", (k) => [`${l.dz}[${k}] = ${l.a}[${k}] * (${ga}[${k}] - dot);`]));
    } else {
      body.push(
        ...repeat(l.outputs, shape, "k", (k) => {
          const derivative = substitute(act.derivative.text, {
            a: `${l.a}[${k}]`,
            z: l.z === null ? "0" : `${l.z}[${k}]`,
            alpha: literal(l.activation.alpha),
          });
          return [`${l.dz}[${k}] = ${ga}[${k}] * (${derivative});`];
        }),
      );
    }
  }
  if (shape === "unrolled") {
    for (let i = 0; i < l.inputs; i++) body.push(`const in${i} = ${inputAt(l.input, i)};`);
    for (let j = 0; j < l.outputs; j++) {
      body.push(`const d${j} = ${l.dz}[${j}];`, `grad[${l.biasOffset + j}] += d${j};`);
      for (let i = 0; i < l.inputs; i++) body.push(`grad[${l.weightOffset + j * l.inputs + i}] += d${j} * in${i};`);
    }
    const sums: string[] = [];
    for (let i = 0; i < l.inputs; i++) {
      const terms: string[] = [];
      for (let j = 0; j < l.outputs; j++) terms.push(`params[${l.weightOffset + j * l.inputs + i}] * d${j}`);
      sums.push(`${targetAt(l.gradientTarget, i)} = ${terms.join(" + ")};`);
    }
    body.push(...whenTarget(l.gradientTarget, sums));
  } else {
    body.push(
      `for (let j = 0; j < ${l.outputs}; j++) {`,
      `const d = ${l.dz}[j];`,
      `grad[${add(l.biasOffset, "j")}] += d;`,
      `const row = ${add(l.weightOffset, mul("j", l.inputs))};`,
      `for (let i = 0; i < ${l.inputs}; i++) grad[row + i] += d * ${inputAt(l.input, "i")};`,
      "}",
    );
    // dL/d(input)_i = Σ_j W_ji dz_j, accumulated row by row (contiguous reads of W), j ascending.
    body.push(
      ...whenTarget(l.gradientTarget, [
        `for (let i = 0; i < ${l.inputs}; i++) ${targetAt(l.gradientTarget, "i")} = 0;`,
        `for (let j = 0; j < ${l.outputs}; j++) {`,
        `const d = ${l.dz}[j];`,
        `const row = ${add(l.weightOffset, mul("j", l.inputs))};`,
        `for (let i = 0; i < ${l.inputs}; i++) ${targetAt(l.gradientTarget, "i")} += params[row + i] * d;`,
        "}",
      ]),
    );
  }
  const from = l.fusedOutput ? `dL/dz in ${l.dz} (written by the loss)` : `dL/da in ${l.ga}`;
  return functionStructure({
    name: backwardName(l.position),
    doc: `Layer ${l.position} backward (dense ${l.inputs} → ${l.outputs} ${l.activation.kind}): from ${from}, adds dL/dW and dL/db to grad and writes dL/d(input) to ${l.gradientTarget.kind === "sample" ? "gin (when given)" : l.gradientTarget.name}; ${shape}: ${l.backward.reason}.`,
    parameters: [["params", ctx.array], ...inputParameters(l.input, ctx.array), ["grad", ctx.array], ...targetParameters(l.gradientTarget, ctx.array)],
    returns: "void",
    body,
  });
}

function dropoutBackward(ctx: EmitContext, l: PlannedDropout): FunctionDeclarationStructure {
  return functionStructure({
    name: backwardName(l.position),
    doc: `Layer ${l.position} backward (dropout): dL/d(input) = dL/da · mask.`,
    parameters: targetParameters(l.gradientTarget, ctx.array),
    returns: "void",
    body: whenTarget(
      l.gradientTarget,
      repeat(l.size, l.shape.shape, "k", (k) => [`${targetAt(l.gradientTarget, k)} = ${l.ga}[${k}] * ${l.mask}[${k}];`]),
    ),
  });
}

export function emitBackward(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan } = ctx;
  const fused = plan.sample.shape === "fused";
  const layers = fused ? [] : plan.layers.map((l) => (l.kind === "dense" ? denseBackward(ctx, l) : dropoutBackward(ctx, l)));
  const calls = [...plan.layers].reverse().map((l) => {
    const args = l.kind === "dense" ? ["params", ...inputArguments(l.input), "grad", ...targetArguments(l.gradientTarget)] : targetArguments(l.gradientTarget);
    return `${backwardName(l.position)}(${args.join(", ")});`;
  });
  const sample = functionStructure({
    name: "backwardSample",
    doc: "Back-propagates one sample (after forwardSample and outputDelta), accumulating into grad.",
    parameters: [["params", ctx.array], ["x", ctx.array], ["xo", "number"], ["grad", ctx.array], ["gin", `${ctx.array} | null`], ["gino", "number"]],
    returns: "void",
    body: calls,
  });
  const dropout = plan.hasDropout;
  const blocked = plan.batch.shape === "blocked" ? emitBlocked(ctx) : null;
  const lossAndGradient = functionStructure({
    name: "lossAndGradient",
    exported: true,
    doc: [
      `Mean loss over the first \`count\` samples of xs (count × ${plan.inputs}) and ys (count × ${plan.outputs}); overwrites grad`,
      `(${plan.parameters}) with dLoss/dparams (L2 not included: step adds it). options.training turns dropout on, with masks`,
      "from createRng(options.dropoutSeed ?? 0); options.inputGradient (count × inputs) receives dLoss/dxs.",
      "Allocates nothing" + (dropout ? " except the mask generator in training mode." : "."),
    ].join("\n"),
    parameters: [
      ["params", ctx.array],
      ["xs", ctx.array],
      ["ys", ctx.array],
      ["count", "number"],
      ["grad", ctx.array],
      ["options?", `{ training?: boolean; dropoutSeed?: number; inputGradient?: ${ctx.array} }`],
    ],
    returns: "number",
    body: blocked?.lossAndGradientBody ?? (fused ? fusedLossAndGradientBody(ctx) : null) ?? [
      ...(dropout ? ["const rng = options?.training === true ? createRng(options.dropoutSeed ?? 0) : null;"] : []),
      "const gin = options?.inputGradient ?? null;",
      `for (let i = 0; i < ${plan.parameters}; i++) grad[i] = 0;`,
      "let loss = 0;",
      "for (let s = 0; s < count; s++) {",
      `const xo = s * ${plan.inputs};`,
      `const yo = s * ${plan.outputs};`,
      `forwardSample(params, xs, xo${dropout ? ", rng" : ""});`,
      "loss += sampleLoss(ys, yo);",
      "outputDelta(ys, yo);",
      "backwardSample(params, xs, xo, grad, gin, xo);",
      "}",
      `for (let i = 0; i < ${plan.parameters}; i++) grad[i] /= count;`,
      `if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`,
      "return loss / count;",
    ],
  });
  // The fused shape spells the whole backward out inside lossAndGradient (src/emit/fused.ts).
  return [...layers, ...(fused ? [] : [sample]), ...(blocked?.functions ?? []), lossAndGradient];
}
