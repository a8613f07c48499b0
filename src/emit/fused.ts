// The fused per-sample shape (plan.sample.shape "fused": tiny nets whose every layer is unrolled). The body of
// lossAndGradient walks the batch one sample at a time and spells out the whole net in the loop body: forward,
// loss, output delta and backward, every pre-activation, activation and delta a local constant, and one
// running gradient sum per parameter in a local, written to grad once at the end of the batch. At this size
// the per-layer functions' calls and their scratch-array loads and stores cost more than the arithmetic;
// locals let V8 keep the whole sample in registers (measured: docs/performance.md, optimisation 7).
// Every expression is the maths table's text and every sum runs in the per-layer code's (the interpreter's)
// order, so the numbers are bit-identical to the "layers" shape.
import { ACTIVATIONS, LOSSES, literal, substitute } from "../maths.js";
import type { PlannedDense } from "../plan.js";
import { add, mul, type EmitContext } from "./code.js";

/** Local names of one dense layer's unit k: z (pre-activation), a (activation), dz (dL/dz), ga (dL/da). */
const z = (l: PlannedDense, k: number): string => `z${l.position}_${k}`;
const a = (l: PlannedDense, k: number): string => `a${l.position}_${k}`;
const dz = (l: PlannedDense, k: number): string => `dz${l.position}_${k}`;
const ga = (l: PlannedDense, k: number): string => `ga${l.position}_${k}`;
/** The running gradient sum of parameter i. */
const g = (i: number): string => `g${i}`;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** lossAndGradient's body for the fused shape (the signature is the per-sample one's). */
export function fusedLossAndGradientBody(ctx: EmitContext): string[] {
  const { plan } = ctx;
  const dense = plan.layers as PlannedDense[]; // the plan fuses only nets without dropout
  const first = dense[0]!;
  const last = dense[dense.length - 1]!;
  const K = plan.outputs;
  const loss = LOSSES[plan.loss.kind];
  // Batches of several samples read each parameter into a local once per batch (measured faster for W2 and W3,
  // not for W1's batches of one, where it is the same loads plus a longer function).
  const hoist = ctx.spec.training.batchSize > 1;
  const w = (i: number): string => (hoist ? `p${i}` : `params[${i}]`);
  /** The input element i of layer l: the sample's x_i for the first layer, else the previous layer's a_i. */
  const input = (l: PlannedDense, i: number): string => (l === first ? `x${i}` : a(dense[dense.indexOf(l) - 1]!, i));

  const body: string[] = ["const gin = options?.inputGradient ?? null;"];
  body.push("// One running sum per parameter, kept in locals across the batch (grad is written once, below).");
  for (const t of plan.layout) body.push(`// ${t.name}`, `let ${range(t.size).map((i) => `${g(t.offset + i)} = 0`).join(", ")};`);
  if (hoist) {
    body.push("// The parameters, read once per batch.");
    for (const t of plan.layout) body.push(`// ${t.name}`, `const ${range(t.size).map((i) => `p${t.offset + i} = params[${t.offset + i}]`).join(", ")};`);
  }
  body.push("let loss = 0;", "for (let s = 0; s < count; s++) {", `const xo = ${mul("s", plan.inputs)};`, `const yo = ${mul("s", K)};`);
  body.push(...range(plan.inputs).map((i) => `const x${i} = xs[${add("xo", i)}];`));

  // Forward, layer by layer: z = W·in + b (products in input order, then the bias), a = act(z).
  for (const l of dense) {
    const act = ACTIVATIONS[l.activation.kind];
    body.push(`// layer ${l.position} forward: dense ${l.inputs} → ${l.outputs} ${l.activation.kind}`);
    for (let j = 0; j < l.outputs; j++) {
      const terms = range(l.inputs).map((i) => `${w(l.weightOffset + j * l.inputs + i)} * ${input(l, i)}`);
      body.push(`const ${z(l, j)} = ${[...terms, w(l.biasOffset + j)].join(" + ")};`);
      if (!act.vector) body.push(`const ${a(l, j)} = ${substitute(act.forward.text, { z: z(l, j), alpha: literal(l.activation.alpha) })};`);
    }
    if (act.vector) {
      // softmax: a_k = e^(z_k − max z) / Σ_j e^(z_j − max z), the maximum and the sum in unit order.
      const max = `max${l.position}`;
      const sum = `sum${l.position}`;
      const e = (k: number): string => `e${l.position}_${k}`;
      body.push(`let ${max} = ${z(l, 0)};`, ...range(l.outputs - 1).map((k) => `if (${z(l, k + 1)} > ${max}) ${max} = ${z(l, k + 1)};`));
      body.push(...range(l.outputs).map((k) => `const ${e(k)} = ${substitute(act.forward.text, { z: `(${z(l, k)} - ${max})` })};`));
      body.push(`const ${sum} = ${range(l.outputs).map(e).join(" + ")};`);
      body.push(...range(l.outputs).map((k) => `const ${a(l, k)} = ${e(k)} / ${sum};`));
    }
  }

  // The sample's loss (its terms summed over the outputs, then added to the batch's) and dL/dz or dL/da at
  // the output.
  const categorical = plan.loss.kind === "categorical_crossentropy";
  body.push("// loss and its gradient at the output", ...range(K).map((k) => `const y${k} = ys[${add("yo", k)}];`));
  if (categorical) {
    // log Σ e^z with the maximum subtracted: the softmax above already summed exactly these exponentials.
    body.push(`const lse = max${last.position} + Math.log(sum${last.position});`);
    body.push(`let sumY = 0;`, ...range(K).map((k) => `sumY += y${k};`));
  }
  const bind = (k: number): Record<string, string | number> => ({ a: a(last, k), y: `y${k}`, z: z(last, k), K, lse: "lse", sumY: "sumY" });
  const terms = range(K).map((k) => substitute(loss.term.text, bind(k)));
  body.push(K === 1 ? `loss += ${terms[0]};` : `loss += ${terms.map((t) => `(${t})`).join(" + ")};`);
  body.push(...range(K).map((k) => `const ${loss.fused ? dz(last, k) : ga(last, k)} = ${substitute(loss.delta.text, bind(k))};`));

  // Backward, from the output layer to the first.
  for (let n = dense.length - 1; n >= 0; n--) {
    const l = dense[n]!;
    const act = ACTIVATIONS[l.activation.kind];
    body.push(`// layer ${l.position} backward: dL/dz, then dL/dW = dz · inᵀ and dL/db = dz, then dL/d(input) = Wᵀ · dz`);
    if (!(l === last && loss.fused)) {
      if (act.vector) {
        // softmax Jacobian: dL/dz_k = a_k (g_k − Σ_j g_j a_j).
        const dot = `dot${l.position}`;
        body.push(`let ${dot} = 0;`, ...range(l.outputs).map((k) => `${dot} += ${ga(l, k)} * ${a(l, k)};`));
        body.push(...range(l.outputs).map((k) => `const ${dz(l, k)} = ${a(l, k)} * (${ga(l, k)} - ${dot});`));
      } else {
        for (let k = 0; k < l.outputs; k++) {
          const derivative = substitute(act.derivative.text, { a: a(l, k), z: z(l, k), alpha: literal(l.activation.alpha) });
          body.push(`const ${dz(l, k)} = ${ga(l, k)} * (${derivative});`);
        }
      }
    }
    for (let j = 0; j < l.outputs; j++) {
      body.push(`${g(l.biasOffset + j)} += ${dz(l, j)};`);
      for (let i = 0; i < l.inputs; i++) body.push(`${g(l.weightOffset + j * l.inputs + i)} += ${dz(l, j)} * ${input(l, i)};`);
    }
    const inputGradient = range(l.inputs).map((i) => range(l.outputs).map((j) => `${w(l.weightOffset + j * l.inputs + i)} * ${dz(l, j)}`).join(" + "));
    if (l === first) {
      body.push("if (gin !== null) {", ...inputGradient.map((sum, i) => `gin[${add("xo", i)}] = ${sum};`), "}");
    } else {
      body.push(...inputGradient.map((sum, i) => `const ${ga(dense[n - 1]!, i)} = ${sum};`));
    }
  }
  body.push("}");
  body.push("// The mean over the batch.");
  for (let i = 0; i < plan.parameters; i++) body.push(`grad[${i}] = ${g(i)} / count;`);
  body.push(`if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`, "return loss / count;");
  return body;
}
