// Forward pass: one function per layer (dense: z = W·in + b, products summed in input order, then the bias; a = act(z); dropout: a = in · mask), a
// per-sample driver, and predict. Dense layers are unrolled or looped as the plan decides; the activation
// formula comes from the maths table.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, literal, substitute } from "../maths.js";
import type { InputSource, PlannedDense, PlannedDropout } from "../plan.js";
import { add, functionStructure, repeat, tiled, type EmitContext, type Index } from "./code.js";
import { kernelPredictorLines } from "./wasm/emit.js";

/** The input element i of a layer: the sample row of x, or the previous layer's buffer. */
export function inputAt(source: InputSource, i: Index): string {
  return source.kind === "sample" ? `x[${add("xo", i)}]` : `${source.name}[${i}]`;
}

/** Parameters a layer function takes to read its input. */
export function inputParameters(source: InputSource, array: string): [string, string][] {
  return source.kind === "sample" ? [["x", array], ["xo", "number"]] : [];
}

export function inputArguments(source: InputSource): string[] {
  return source.kind === "sample" ? ["x", "xo"] : [];
}

export function forwardName(position: number): string {
  return `forwardLayer${position}`;
}

function denseForward(ctx: EmitContext, l: PlannedDense): FunctionDeclarationStructure {
  const act = ACTIVATIONS[l.activation.kind];
  const activate = substitute(act.forward.text, { z: "z", alpha: literal(l.activation.alpha) });
  const store = (j: Index): string[] => [
    ...(l.z !== null ? [`${l.z}[${j}] = z;`] : []),
    ...(act.vector ? [] : [`${l.a}[${j}] = ${activate};`]),
  ];
  const body: string[] = [];
  if (l.forward.shape === "unrolled") {
    for (let i = 0; i < l.inputs; i++) body.push(`const in${i} = ${inputAt(l.input, i)};`);
    body.push("let z: number;");
    for (let j = 0; j < l.outputs; j++) {
      const terms: string[] = [];
      for (let i = 0; i < l.inputs; i++) terms.push(`params[${l.weightOffset + j * l.inputs + i}] * in${i}`);
      terms.push(`params[${l.biasOffset + j}]`);
      body.push(`z = ${terms.join(" + ")};`, ...store(j));
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

function dropoutForward(ctx: EmitContext, l: PlannedDropout): FunctionDeclarationStructure {
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

/** Signature pieces of forwardSample: dropout networks take the mask generator. */
export function rngParameter(ctx: EmitContext): [string, string][] {
  return ctx.plan.hasDropout ? [["rng", "Rng | null"]] : [];
}

export function emitForward(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan } = ctx;
  const layers = plan.layers.map((l) => (l.kind === "dense" ? denseForward(ctx, l) : dropoutForward(ctx, l)));
  const calls = plan.layers.map((l) =>
    l.kind === "dense"
      ? `${forwardName(l.position)}(${["params", ...inputArguments(l.input)].join(", ")});`
      : `${forwardName(l.position)}(${[...inputArguments(l.input), "rng"].join(", ")});`,
  );
  const sample = functionStructure({
    name: "forwardSample",
    doc: `Runs every layer on the sample at x[xo … xo + ${plan.inputs - 1}]; the output lands in ${plan.output}.`,
    parameters: [["params", ctx.array], ["x", ctx.array], ["xo", "number"], ...rngParameter(ctx)],
    returns: "void",
    body: calls,
  });
  const predict = functionStructure({
    name: "predict",
    exported: true,
    doc: `The network's output for one sample x (${plan.inputs} numbers), in evaluation mode. Writes into \`out\` when given (no allocation).`,
    parameters: [["params", ctx.array], ["x", ctx.array], ["out?", ctx.array]],
    returns: ctx.array,
    body: [
      `forwardSample(params, x, 0${plan.hasDropout ? ", null" : ""});`,
      `const result = out ?? new ${ctx.array}(${plan.outputs});`,
      ...repeat(plan.outputs, plan.outputShape.shape, "k", (k) => [`result[${k}] = ${plan.output}[${k}];`]),
      "return result;",
    ],
  });
  const kernels = plan.batch.kernel.kind === "wasm";
  const predictor = functionStructure({
    name: "createPredictor",
    exported: true,
    doc: [
      `A fast predict for deployment: copies params once (a snapshot: later changes to params do not reach it; create a new predictor`,
      `after training further) and returns (x, out?) => the network's output for one sample, as predict(snapshot, x, out).`,
      kernels
        ? "Runs the forward in the WebAssembly kernels with the snapshot kept in kernel memory (copied back in only after lossAndGradient, evaluate or another predictor used it); the TS predict without them."
        : "This module has no kernels: the snapshot goes through predict.",
    ].join("\n"),
    parameters: [["params", ctx.array]],
    returns: `(x: ${ctx.array}, out?: ${ctx.array}) => ${ctx.array}`,
    body: [
      `const snapshot = params.slice(0, ${plan.parameters});`,
      ...(kernels
        ? [
            "const k = KERNELS;",
            "if (k === null) return (x, out) => predict(snapshot, x, out);",
            `return (x: ${ctx.array}, out?: ${ctx.array}): ${ctx.array} => {`,
            ...kernelPredictorLines(ctx),
            "};",
          ]
        : ["return (x, out) => predict(snapshot, x, out);"]),
    ],
  });
  return [...layers, sample, predict, predictor];
}
