// The dense layer's per-sample code: forwardLayer<p> (z = W·in + b, products summed in input order, then the
// bias; a = act(z), the activation's text from the maths table) and backwardLayer<p> (dL/dz from dL/da
// through the activation's derivative unless the loss gave dL/dz; dL/dW = dz · inᵀ and dL/db = dz added to
// grad; dL/d(input) = Wᵀ · dz where someone reads it), unrolled or looped as the plan decided.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, callsElementary, literal, substitute } from "../../maths.js";
import { add, functionStructure, mul, repeat, tiled, type EmitContext, type Index } from "../../emit/code.js";
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
import type { PlannedDense } from "./plan.js";

export function denseForward(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
  const act = ACTIVATIONS[l.activation.kind];
  const activate = substitute(act.forward.text, { z: "z", alpha: literal(l.activation.alpha) });
  // tanh and σ call nnc's elementary functions: z goes into A here, and one loop below applies them (one call site).
  const later = !act.vector && callsElementary(act.forward);
  const store = (j: Index): string[] => [...(l.z !== null ? [`${l.z}[${j}] = z;`] : []), ...(act.vector ? [] : [`${l.a}[${j}] = ${later ? "z" : activate};`])];
  const body: string[] = [];
  if (l.forward.shape === "unrolled") {
    for (let i = 0; i < l.inputs; i++) body.push(`const in${i} = ${inputAt(l.input, i)};`);
    // One output assigns z once: a const then (typescript-eslint's prefer-const; test/codegen/lint.test.ts).
    if (l.outputs > 1) body.push("let z: number;");
    for (let j = 0; j < l.outputs; j++) {
      const terms: string[] = [];
      for (let i = 0; i < l.inputs; i++) terms.push(`params[${l.weightOffset + j * l.inputs + i}] * in${i}`);
      terms.push(`params[${l.biasOffset + j}]`);
      body.push(`${l.outputs > 1 ? "" : "const "}z = ${terms.join(" + ")};`, ...store(j));
    }
  } else {
    // Several outputs per pass over the input (each input element loaded once per tile, one accumulator
    // per output, each summing in input order): measured faster than one output at a time (docs/performance.md).
    const R = ctx.plan.batch.tile.outputs;
    body.push(
      ...tiled(l.outputs, R, "j", (j, cols) => {
        const cs = Array.from({ length: cols }, (_, c) => c);
        return [
          ...cs.map((c) => `const row${c} = ${add(l.weightOffset, typeof j === "number" ? (j + c) * l.inputs : `(${add(j, c)}) * ${l.inputs}`)};`),
          ...cs.map((c) => `let z${c} = 0;`),
          `for (let i = 0; i < ${l.inputs}; i++) {`,
          `const u = ${inputAt(l.input, "i")};`,
          ...cs.map((c) => `z${c} += params[row${c} + i] * u;`),
          "}",
          ...cs.flatMap((c) => ["{", `const z = z${c} + params[${add(l.biasOffset, j, c)}];`, ...store(add(j, c)), "}"]),
        ];
      }),
    );
  }
  if (later) body.push(`for (let k = 0; k < ${l.outputs}; k++) {`, `const z = ${l.a}[k];`, `${l.a}[k] = ${activate};`, "}");
  if (act.vector) {
    // softmax: a_k = e^(z_k − max z) / Σ_j e^(z_j − max z), over the whole layer.
    const z = l.z!;
    const exp = (k: Index): string => substitute(act.forward.text, { z: `(${z}[${k}] - max)` });
    const shape = l.forward.shape === "unrolled" ? "unrolled" : "loop";
    body.push(
      `let max = ${z}[0];`,
      ...repeat(l.outputs - 1, shape, "k", (k) => [`if (${z}[${add(k, 1)}] > max) max = ${z}[${add(k, 1)}];`]),
      "let sum = 0;",
      ...repeat(l.outputs, shape, "k", (k) => [`${l.a}[${k}] = ${exp(k)};`, `sum += ${l.a}[${k}];`]),
      ...repeat(l.outputs, shape, "k", (k) => [`${l.a}[${k}] /= sum;`]),
    );
  }
  return functionStructure({
    name: forwardName(l.position),
    doc: `Layer ${l.position}: dense ${l.inputs} → ${l.outputs} ${l.activation.kind} (${ACTIVATIONS[l.activation.kind].doc}); ${l.forward.shape}: ${l.forward.reason}.`,
    parameters: [["params", ctx.array], ...inputParameters(l.input, ctx.array)],
    returns: "void",
    body,
  });
}

export function denseBackward(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
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

export function denseForwardCall(l: PlannedDense): string {
  return `${forwardName(l.position)}(${["params", ...inputArguments(l.input)].join(", ")});`;
}

export function denseBackwardCall(l: PlannedDense): string {
  return `${backwardName(l.position)}(${["params", ...inputArguments(l.input), "grad", ...targetArguments(l.gradientTarget)].join(", ")});`;
}
