// The fused per-sample shape (plan.sample.shape "fused": tiny nets whose every layer is unrolled). The body of
// lossAndGradient walks the batch one sample at a time and spells out the whole net in the loop body: forward,
// loss, output delta and backward, every pre-activation, activation and delta a local constant, and one
// running gradient sum per parameter in a local, written to grad once at the end of the batch. At this size
// the per-layer functions' calls and their scratch-array loads and stores cost more than the arithmetic;
// locals let V8 keep the whole sample in registers (measured: docs/performance.md, optimisation 7).
// Every expression is the maths table's text and every sum runs in the per-layer code's (the interpreter's)
// order, so the numbers are bit-identical to the "layers" shape. Each layer's part comes from its rule's fused
// hooks (src/layers/<kind>/fused.ts); this file is the loop around them and the loss.
import type { FunctionDeclarationStructure } from "ts-morph";
import { ACTIVATIONS, LOSSES, literal, substitute } from "../maths.js";
import { ruleOf } from "../layers/index.js";
import type { PlannedLayerBase } from "../layers/types.js";
import type { LayerRule } from "../layers/rule.js";
import { add, functionStructure, mul, type EmitContext } from "./code.js";
import { lossPassCall, passCall } from "./wasm/passes.js";
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

/** The batch-wide pass of a layer's activation: activateTanh, activateSigmoid. */
function passName(l: PlannedLayerBase): string {
  const kind = l.activation!.kind;
  return `activate${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}

/** The output layer's position when the body computes the loss's batch-wide part into FL<p> (else null). */
function lossPartAt(ctx: EmitContext): number | null {
  const p = ctx.plan.layers[ctx.plan.layers.length - 1]!.position;
  return ctx.plan.buffers.some((b) => b.name === `FL${p}`) ? p : null;
}

/** The TS form of the loss's batch-wide pass (WebAssembly's softplus where it loads). */
const LOSS_PART_PASS = "lossPart";

/** The batch-wide activation passes the fused body calls, one per activation kind, and the loss's part where it has one (emitted before it). */
export function fusedHelpers(ctx: EmitContext): FunctionDeclarationStructure[] {
  const part = LOSSES[ctx.plan.loss.kind].batchTerm;
  const lossPart =
    lossPartAt(ctx) === null || part === undefined
      ? []
      : [
          functionStructure({
            name: LOSS_PART_PASS,
            doc: "The loss term's batch-wide part of z (maths: batchTerm) in place over v's first n values.",
            parameters: [
              ["v", "Float64Array"],
              ["n", "number"],
            ],
            returns: "void",
            body: ["for (let i = 0; i < n; i++) {", "const z = v[i];", `v[i] = ${substitute(part.part.text, { z: "z" })};`, "}"],
          }),
        ];
  return [...activationPasses(ctx), ...lossPart];
}

function activationPasses(ctx: EmitContext): FunctionDeclarationStructure[] {
  const byName = new Map(ctx.plan.layers.filter((l) => ctx.plan.sample.batchActivations.includes(l.position)).map((l) => [passName(l), l.activation!]));
  return [...byName].map(([name, activation]) =>
    functionStructure({
      name,
      doc: `${ACTIVATIONS[activation.kind].doc.split(";")[0]!} in place over v's first n values: a loop of its own, where V8 inlines the call (docs/performance.md, 13).`,
      parameters: [
        ["v", "Float64Array"],
        ["n", "number"],
      ],
      returns: "void",
      body: [
        "for (let i = 0; i < n; i++) {",
        "const z = v[i];",
        `v[i] = ${substitute(ACTIVATIONS[activation.kind].forward.text, { z: "z", alpha: literal(activation.alpha) })};`,
        "}",
      ],
    }),
  );
}

/** The local holding output k's batch-wide loss part, read back from FL<p>. */
function lossPartLocal(p: number, k: number): string {
  return `lp${p}_${k}`;
}

/** A local the code names (a whole identifier, not a prefix of a longer one). */
function names(code: string, local: string): boolean {
  return new RegExp(`(?<![\\w$])${local}(?![\\w$])`).test(code);
}

/** lossAndGradient's body for the fused shape (the signature is the per-sample one's). */
export function fusedLossAndGradientBody(ctx: EmitContext): string[] {
  const { plan } = ctx;
  const layers = plan.layers;
  // Batches of several samples read each parameter into a local once per batch (measured faster for W2 and W3,
  // not for W1's batches of one, where it is the same loads plus a longer function).
  const hoist = plan.sample.hoistParameters;
  const w = (i: number): string => (hoist ? `p${i}` : `params[${i}]`);
  const wide = new Set(plan.sample.batchActivations);
  /** Layer n's environment: its input is the sample's x_i for the first layer, else the previous layer's a_i. */
  const env = (n: number): FusedEnv => ({
    w,
    input: (i) => (n === 0 ? `x${i}` : fusedA(layers[n - 1]!.position, i)),
    lossGivesDz: n === layers.length - 1 && LOSSES[plan.loss.kind].fused,
    activationBatchWide: wide.has(layers[n]!.position),
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
  body.push("let loss = 0;");
  if (wide.size === 0) {
    body.push("for (let s = 0; s < count; s++) {", ...sampleLines(ctx, env, 0, (code) => usedDeclarations(inputLines(ctx, "s"), code)), "}");
  } else {
    body.push(...blockedBody(ctx, env));
  }
  body.push("// The mean over the batch.");
  for (let i = 0; i < plan.parameters; i++) body.push(`grad[${i}] = ${fusedGradient(i)} / count;`);
  body.push(`if (gin !== null) for (let i = 0; i < count * ${plan.inputs}; i++) gin[i] /= count;`, "return loss / count;");
  return body;
}

/** The declarations of sample `s`'s input offset, target offset and inputs (each kept only where read). */
function inputLines(ctx: EmitContext, s: string): string[] {
  const { plan } = ctx;
  return [`const xo = ${mul(s, plan.inputs)};`, `const yo = ${mul(s, plan.outputs)};`, ...range(plan.inputs).map((i) => `const x${i} = xs[${add("xo", i)}];`)];
}

/**
 * The declarations among `lines` (each `const name = …;`) that `code`, or a later kept declaration, reads: so
 * no unused local is written (noUnusedLocals), whatever the net.
 */
function usedDeclarations(lines: string[], code: string): string[] {
  const kept: string[] = [];
  let reads = code;
  for (const line of [...lines].reverse()) {
    const name = /^const (\w+) =/.exec(line)![1]!;
    if (!names(reads, name)) continue;
    kept.unshift(line);
    reads += `\n${line}`;
  }
  return kept;
}

/**
 * The per-sample part from layer `from` on: the forward of layers from..last, the loss and its gradient at
 * the output, the backward of every layer, and the input gradient. `loads` gives the declarations the code
 * reads (the sample's inputs and targets, and in the blocked form the earlier layers' values).
 */
function sampleLines(ctx: EmitContext, env: (n: number) => FusedEnv, from: number, loads: (code: string) => string[]): string[] {
  const { plan } = ctx;
  const layers = plan.layers;
  const last = layers[layers.length - 1]!;
  const K = plan.outputs;
  const loss = LOSSES[plan.loss.kind];
  const body: string[] = [];
  // Forward, layer by layer.
  for (let n = from; n < layers.length; n++) body.push(...fusedHooks(layers[n]!).forward(layers[n]!, env(n)));

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
  const bind = (k: number): Record<string, string | number> => ({
    a: fusedA(p, k),
    y: `y${k}`,
    z: fusedZ(p, k),
    K,
    lse: "lse",
    sumY: "sumY",
    t: lossPartLocal(p, k),
  });
  // With a batch-wide part (read back from FL<p>), the rest of the term; the same bits (maths: batchTerm).
  const term = lossPartAt(ctx) === p && loss.batchTerm !== undefined ? loss.batchTerm.rest : loss.term;
  const terms = range(K).map((k) => substitute(term.text, bind(k)));
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
  return [...loads(body.join("\n")), ...body];
}

/**
 * The fused body with batch-wide activations (plan.sample.batchActivations), block by block of
 * plan.sample.block samples: one loop per batch-wide layer computes the forward up to its z for the block
 * into FA<p> (and FZ<p> where the later code reads z), the pass activate<Kind>(FA<p>, …) turns them into
 * activations in place, and a last loop runs the rest per sample with the earlier layers' values read back.
 * Each value is computed by the same expression as in the single loop, and the sums run in the same sample
 * order, so the numbers are the same bits.
 */
function blockedBody(ctx: EmitContext, env: (n: number) => FusedEnv): string[] {
  const { plan } = ctx;
  const layers = plan.layers;
  const B = plan.sample.block;
  const buffers = new Set(plan.buffers.map((b) => b.name));
  const wide = plan.sample.batchActivations;
  const early = layers.findIndex((l) => l.position === wide[wide.length - 1]) + 1;
  const width = (n: number): number => plan.buffers.find((b) => b.name === layers[n]!.a)!.size;
  /** Row r's sample: its index in the batch, then its offsets and inputs. */
  const sample = ["const s = first + r;", ...inputLines(ctx, "s")];
  /** Layer n's values for row r of the block, read back from its buffers. */
  const readBack = (n: number): string[] => {
    const p = layers[n]!.position;
    const row = mul("r", width(n));
    return range(width(n)).flatMap((k) => [
      `const ${fusedA(p, k)} = FA${p}[${add(row, k)}];`,
      ...(buffers.has(`FZ${p}`) ? [`const ${fusedZ(p, k)} = FZ${p}[${add(row, k)}];`] : []),
      ...(buffers.has(`FL${p}`) ? [`const ${lossPartLocal(p, k)} = FL${p}[${add(row, k)}];`] : []),
    ]);
  };
  const body = [`for (let first = 0; first < count; first += ${B}) {`, `const rows = Math.min(${B}, count - first);`];
  let from = 0;
  for (const position of wide) {
    const to = layers.findIndex((l) => l.position === position);
    const lines: string[] = [];
    for (let n = from; n <= to; n++) {
      const l = layers[n]!;
      lines.push(...fusedHooks(l).forward(l, env(n)));
      const p = l.position;
      const row = mul("r", width(n));
      const value = (k: number): string => (n === to ? fusedZ(p, k) : fusedA(p, k));
      lines.push(...range(width(n)).map((k) => `FA${p}[${add(row, k)}] = ${value(k)};`));
      if (buffers.has(`FZ${p}`)) lines.push(...range(width(n)).map((k) => `FZ${p}[${add(row, k)}] = ${fusedZ(p, k)};`));
      if (buffers.has(`FL${p}`)) lines.push(...range(width(n)).map((k) => `FL${p}[${add(row, k)}] = ${fusedZ(p, k)};`));
    }
    const code = lines.join("\n");
    const loads = usedDeclarations(from === 0 ? sample : readBack(from - 1), code);
    body.push(`// layer ${position}'s z for the block's rows, then its activation over them`, "for (let r = 0; r < rows; r++) {", ...loads, ...lines, "}");
    body.push(passCall(ctx, layers[to]!, passName(layers[to]!), String(mul("rows", width(to)))));
    if (buffers.has(`FL${position}`)) {
      body.push(
        "// the loss's batch-wide part of the output's z (maths: batchTerm)",
        lossPassCall(ctx, position, LOSS_PART_PASS, String(mul("rows", width(to)))),
      );
    }
    from = to + 1;
  }
  const readBacks = range(early).flatMap(readBack);
  body.push(
    "// the rest of the net per sample, the earlier layers' values read back",
    "for (let r = 0; r < rows; r++) {",
    ...sampleLines(ctx, env, early, (code) => usedDeclarations([...sample, ...readBacks], code)),
    "}",
    "}",
  );
  return body;
}
