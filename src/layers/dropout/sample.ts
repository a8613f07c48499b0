// The dropout layer's per-sample code: forwardLayer<p> draws one uniform per unit in training (a unit is
// kept when the draw is ≥ rate, and scaled by 1/(1 − rate)) and is the identity in evaluation;
// backwardLayer<p> multiplies dL/da by the same mask.
import type { FunctionDeclarationStructure } from "ts-morph";
import { literal } from "../../maths.js";
import { functionStructure, repeat, type EmitContext } from "../../emit/code.js";
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
import type { PlannedDropout } from "./plan.js";

export function dropoutForward(ctx: EmitContext, l: PlannedDropout): FunctionDeclarationStructure {
  const scale = literal(1 / (1 - l.rate));
  return functionStructure({
    name: forwardName(l.position),
    doc: `Layer ${l.position}: inverted dropout over ${l.size} units, rate ${l.rate}. Training (rng given): keep a unit when a uniform draw is ≥ ${l.rate} and scale it by 1/(1 − ${l.rate}); evaluation: identity.`,
    parameters: [...inputParameters(l.input, ctx.array), ["rng", "Rng | null"]],
    returns: "void",
    body: [
      "if (rng === null) {",
      ...repeat(l.size, l.shape.shape, "k", (k) => [`${l.mask}[${k}] = 1;`, `${l.a}[${k}] = ${inputAt(l.input, k)};`]),
      "return;",
      "}",
      ...repeat(l.size, l.shape.shape, "k", (k) => [
        `${l.mask}[${k}] = rng.uniform() >= ${literal(l.rate)} ? ${scale} : 0;`,
        `${l.a}[${k}] = ${inputAt(l.input, k)} * ${l.mask}[${k}];`,
      ]),
    ],
  });
}

export function dropoutBackward(ctx: EmitContext, l: PlannedDropout): FunctionDeclarationStructure {
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

export function dropoutForwardCall(l: PlannedDropout): string {
  return `${forwardName(l.position)}(${[...inputArguments(l.input), "rng"].join(", ")});`;
}

export function dropoutBackwardCall(l: PlannedDropout): string {
  return `${backwardName(l.position)}(${targetArguments(l.gradientTarget).join(", ")});`;
}
