// The dense layer in the fused per-sample body (src/emit/fused.ts): its forward and backward spelled out
// with every value a local (names: src/emit/fused-locals.ts), the maths table's text, every sum in the
// per-layer code's (the interpreter's) order, so the numbers are bit-identical to the "layers" shape.
import { ACTIVATIONS, literal, substitute } from "../../maths.js";
import { fusedA, fusedDz, fusedGa, fusedGradient, fusedMax, fusedSum, fusedZ, type FusedEnv } from "../../emit/fused-locals.js";
import type { PlannedDense } from "./plan.js";

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** z = W·in + b (products in input order, then the bias), a = act(z) (unless the driver applies act batch-wide). */
export function denseFusedForward(l: PlannedDense, env: FusedEnv): string[] {
  const act = ACTIVATIONS[l.activation.kind];
  const p = l.position;
  const body = [`// layer ${p} forward: dense ${l.inputs} → ${l.outputs} ${l.activation.kind}`];
  for (let j = 0; j < l.outputs; j++) {
    const terms = range(l.inputs).map((i) => `${env.w(l.weightOffset + j * l.inputs + i)} * ${env.input(i)}`);
    body.push(`const ${fusedZ(p, j)} = ${[...terms, env.w(l.biasOffset + j)].join(" + ")};`);
    if (!act.vector && !env.activationBatchWide)
      body.push(`const ${fusedA(p, j)} = ${substitute(act.forward.text, { z: fusedZ(p, j), alpha: literal(l.activation.alpha) })};`);
  }
  if (act.vector) {
    // softmax: a_k = e^(z_k − max z) / Σ_j e^(z_j − max z), the maximum and the sum in unit order.
    const max = fusedMax(p);
    const sum = fusedSum(p);
    const e = (k: number): string => `e${p}_${k}`;
    body.push(`let ${max} = ${fusedZ(p, 0)};`, ...range(l.outputs - 1).map((k) => `if (${fusedZ(p, k + 1)} > ${max}) ${max} = ${fusedZ(p, k + 1)};`));
    body.push(...range(l.outputs).map((k) => `const ${e(k)} = ${substitute(act.forward.text, { z: `(${fusedZ(p, k)} - ${max})` })};`));
    body.push(`const ${sum} = ${range(l.outputs).map(e).join(" + ")};`);
    body.push(...range(l.outputs).map((k) => `const ${fusedA(p, k)} = ${e(k)} / ${sum};`));
  }
  return body;
}

/** dL/dz (unless the loss gave it), then dL/dW = dz · inᵀ and dL/db = dz onto the running sums; returns dL/d(input) per input as sums of products. */
export function denseFusedBackward(l: PlannedDense, env: FusedEnv): { lines: string[]; inputGradient: string[] } {
  const act = ACTIVATIONS[l.activation.kind];
  const p = l.position;
  const body = [`// layer ${p} backward: dL/dz, then dL/dW = dz · inᵀ and dL/db = dz, then dL/d(input) = Wᵀ · dz`];
  if (!env.lossGivesDz) {
    if (act.vector) {
      // softmax Jacobian: dL/dz_k = a_k (g_k − Σ_j g_j a_j).
      const dot = `dot${p}`;
      body.push(`let ${dot} = 0;`, ...range(l.outputs).map((k) => `${dot} += ${fusedGa(p, k)} * ${fusedA(p, k)};`));
      body.push(...range(l.outputs).map((k) => `const ${fusedDz(p, k)} = ${fusedA(p, k)} * (${fusedGa(p, k)} - ${dot});`));
    } else {
      for (let k = 0; k < l.outputs; k++) {
        const derivative = substitute(act.derivative.text, { a: fusedA(p, k), z: fusedZ(p, k), alpha: literal(l.activation.alpha) });
        body.push(`const ${fusedDz(p, k)} = ${fusedGa(p, k)} * (${derivative});`);
      }
    }
  }
  for (let j = 0; j < l.outputs; j++) {
    body.push(`${fusedGradient(l.biasOffset + j)} += ${fusedDz(p, j)};`);
    for (let i = 0; i < l.inputs; i++) body.push(`${fusedGradient(l.weightOffset + j * l.inputs + i)} += ${fusedDz(p, j)} * ${env.input(i)};`);
  }
  const inputGradient = range(l.inputs).map((i) =>
    range(l.outputs)
      .map((j) => `${env.w(l.weightOffset + j * l.inputs + i)} * ${fusedDz(p, j)}`)
      .join(" + "),
  );
  return { lines: body, inputGradient };
}
