// The fused per-sample shape (plan.sample.shape "fused": tiny nets whose every layer is unrolled). The body of
// lossAndGradient walks the batch one sample at a time and spells out the whole net in the loop body: forward,
// loss, output delta and backward, every pre-activation, activation and delta a local constant, and one
// running gradient sum per parameter in a local, written to grad once at the end of the batch. At this size
// the per-layer functions' calls and their scratch-array loads and stores cost more than the arithmetic;
// locals let V8 keep the whole sample in registers (measured: docs/performance.md, optimisation 7).
// Every expression is the maths table's text and every sum runs in the per-layer code's (the interpreter's)
// order, so the numbers are bit-identical to the "layers" shape. Each layer's part comes from its rule's fused
// hooks (src/layers/<kind>/fused.ts); this file is the loop around them and the loss.
import { LOSSES, substitute } from "../maths.js";
import { ruleOf } from "../layers/index.js";
import type { PlannedLayerBase } from "../layers/types.js";
import type { LayerRule } from "../layers/rule.js";
import { add, mul, type EmitContext } from "./code.js";
import { fusedA, fusedDz, fusedGa, fusedGradient, fusedMax, fusedSum, fusedZ, type FusedEnv } from "./fused-locals.js";

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

type Fused = LayerRule["fused"];

/** The fused hooks of a layer's rule (the plan fuses a net only when every layer's rule supports it). */
function fusedHooks(l: PlannedLayerBase): Required<Pick<Fused, "forward" | "backward">> {
  const { forward, backward } = ruleOf(l).fused;
  if (forward === undefined || backward === undefined) throw new Error(`emit: layer ${l.position} (${l.kind}) has no fused code`);
  return { forward, backward };
}

/** lossAndGradient's body for the fused shape (the signature is the per-sample one's). */
export function fusedLossAndGradientBody(ctx: EmitContext): string[] {
  const { plan } = ctx;
  const layers = plan.layers;
  const last = layers[layers.length - 1]!;
  const K = plan.outputs;
  const loss = LOSSES[plan.loss.kind];
  // Batches of several samples read each parameter into a local once per batch (measured faster for W2 and W3,
  // not for W1's batches of one, where it is the same loads plus a longer function).
  const hoist = plan.sample.hoistParameters;
  const w = (i: number): string => (hoist ? `p${i}` : `params[${i}]`);
  /** Layer n's environment: its input is the sample's x_i for the first layer, else the previous layer's a_i. */
  const env = (n: number): FusedEnv => ({
    w,
    input: (i) => (n === 0 ? `x${i}` : fusedA(layers[n - 1]!.position, i)),
    lossGivesDz: n === layers.length - 1 && loss.fused,
  });

  const body: string[] = ["const gin = options?.inputGradient ?? null;"];
  body.push("// One running sum per parameter, kept in locals across the batch (grad is written once, below).");
  for (const t of plan.layout)
    body.push(
      `// ${t.name}`,
      `let ${range(t.size)
        .map((i) => `${fusedGradient(t.offset + i)} = 0`)
        .join(", ")};`,
    );
  if (hoist) {
    body.push("// The parameters, read once per batch.");
    for (const t of plan.layout)
      body.push(
        `// ${t.name}`,
        `const ${range(t.size)
          .map((i) => `p${t.offset + i} = params[${t.offset + i}]`)
          .join(", ")};`,
      );
  }
  body.push("let loss = 0;", "for (let s = 0; s < count; s++) {", `const xo = ${mul("s", plan.inputs)};`, `const yo = ${mul("s", K)};`);
  body.push(...range(plan.inputs).map((i) => `const x${i} = xs[${add("xo", i)}];`));

  // Forward, layer by layer.
  layers.forEach((l, n) => body.push(...fusedHooks(l).forward(l, env(n))));

  // The sample's loss (its terms summed over the outputs, then added to the batch's) and dL/dz or dL/da at
  // the output.
  const p = last.position;
  const categorical = plan.loss.kind === "categorical_crossentropy";
  body.push("// loss and its gradient at the output", ...range(K).map((k) => `const y${k} = ys[${add("yo", k)}];`));
  if (categorical) {
    // log Σ e^z with the maximum subtracted: the softmax above already summed exactly these exponentials.
    body.push(`const lse = ${fusedMax(p)} + Math.log(${fusedSum(p)});`);
    body.push(`let sumY = 0;`, ...range(K).map((k) => `sumY += y${k};`));
  }
  const bind = (k: number): Record<string, string | number> => ({ a: fusedA(p, k), y: `y${k}`, z: fusedZ(p, k), K, lse: "lse", sumY: "sumY" });
  const terms = range(K).map((k) => substitute(loss.term.text, bind(k)));
  body.push(K === 1 ? `loss += ${terms[0]};` : `loss += ${terms.map((t) => `(${t})`).join(" + ")};`);
  body.push(...range(K).map((k) => `const ${loss.fused ? fusedDz(p, k) : fusedGa(p, k)} = ${substitute(loss.delta.text, bind(k))};`));

  // Backward, from the output layer to the first; each layer's dL/d(input) is the previous layer's dL/da.
  for (let n = layers.length - 1; n >= 0; n--) {
    const l = layers[n]!;
    const { lines, inputGradient } = fusedHooks(l).backward(l, env(n));
    body.push(...lines);
    if (n === 0) {
      body.push("if (gin !== null) {", ...inputGradient.map((sum, i) => `gin[${add("xo", i)}] = ${sum};`), "}");
    } else {
      body.push(...inputGradient.map((sum, i) => `const ${fusedGa(layers[n - 1]!.position, i)} = ${sum};`));
    }
  }
  body.push("}");
  body.push("// The mean over the batch.");
  for (let i = 0; i < plan.parameters; i++) body.push(`grad[${i}] = ${fusedGradient(i)} / count;`);
  body.push(`if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`, "return loss / count;");
  return body;
}
