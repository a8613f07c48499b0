// Mutation tests for the image layers (issue 14): real generated conv modules get one planted bug by a text
// edit — padding off by one, the stride ignored in the backward, the kernel flipped in a gradient, the
// wrong argmax kept by max pooling — and `nnc check`'s gradient check must FAIL, naming exactly the tensors
// the bug touches; the unmutated modules pass. In every code shape the image layers have: per-sample with
// looped and with unrolled windows, blocked TS (im2col and col2im in the chunk functions) and the
// WebAssembly kernel path (the same element-wise TS inline in lossAndGradientKernels).
import { describe, expect, it } from "vitest";
import { compileSpec } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { checkGradients } from "../../src/check/index.js";
import type { Layer, Spec } from "../../src/ir.js";
import type { PlanOptions } from "../../src/plan.js";
import { failing, mutate, type Edit } from "../support/mutate.js";
import { specOf } from "./fixtures.js";

/** A conv fixture: categorical cross-entropy over the layers' 3 outputs (test/check/fixtures.ts specOf). */
function convSpec(name: string, inputShape: number[], layers: Layer[]): Spec {
  return specOf(name, inputShape, layers, "categorical_crossentropy");
}

/** 2×6×5 → conv 3 3×3, stride 2×1, padding 1 (a 2×8×7 bordered copy), tanh → fc 45→3 softmax: smooth everywhere. */
const padded = convSpec(
  "convpad",
  [2, 6, 5],
  [
    { kind: "conv", input: [2, 6, 5], filters: 3, kernel: [3, 3], stride: [2, 1], padding: [1, 1], activation: { kind: "tanh", alpha: 0 }, range: null },
    { kind: "dense", inputs: 45, outputs: 3, activation: { kind: "softmax", alpha: 0 }, range: null },
  ],
);

/** 1×6×6 → conv 2 3×3 tanh (2×4×4) → maxpool 2 (2×2×2) → fc 8→3 softmax. */
const pooled = convSpec(
  "convpool",
  [1, 6, 6],
  [
    { kind: "conv", input: [1, 6, 6], filters: 2, kernel: [3, 3], stride: [1, 1], padding: [0, 0], activation: { kind: "tanh", alpha: 0 }, range: null },
    { kind: "maxpool", input: [2, 4, 4], kernel: [2, 2], stride: [2, 2], range: null },
    { kind: "dense", inputs: 8, outputs: 3, activation: { kind: "softmax", alpha: 0 }, range: null },
  ],
);

type Shape = "loops" | "unrolled" | "blocked" | "wasm";

const SHAPES: Record<Shape, PlanOptions> = {
  loops: { unrollLimit: 0, batchShape: "per-sample" },
  unrolled: { unrollLimit: Infinity, batchShape: "per-sample" },
  blocked: { unrollLimit: 0, batchShape: "blocked", kernel: "ts" },
  wasm: { unrollLimit: 0, batchShape: "blocked", kernel: "wasm" },
};

/** The function a per-sample layer function's code lives in, per shape. */
function fnOf(shape: Shape, fn: string): string {
  if (shape === "wasm") return "lossAndGradientKernels";
  if (shape === "blocked") return fn.replace("Layer", "Chunk");
  return fn;
}

interface Mutation {
  what: string;
  spec: Spec;
  fn: string;
  shapes: Shape[];
  edits: Edit[];
  fails: string[];
}

/** The last match of `pattern` (no later one in the function). */
const last = (pattern: string): RegExp => new RegExp(`${pattern}(?![^]*${pattern})`);
/** 17 − k: the 3-channel… here 2 × 3 × 3 = 18-weight window read back to front. */
const flip = (_m: string, head: string, k: string): string => `${head}${17 - Number(k)}]`;

const mutations: Mutation[] = [
  {
    what: "the padding off by one where dL/d(input) is cropped out of its border",
    spec: padded,
    fn: "backwardLayer1",
    shapes: ["loops", "unrolled", "blocked", "wasm"],
    // The crop reads GPAD1 one padded row (7 numbers) off: as if the top padding were 2.
    edits: [{ pattern: /(= GPAD1\[to \+ col)\]/, replace: "$1 + 7]" }],
    fails: ["input"],
  },
  {
    what: "the row stride ignored in the input gradient",
    spec: padded,
    fn: "backwardLayer1",
    shapes: ["loops", "unrolled", "blocked", "wasm"],
    edits: [{ pattern: last("oy \\* 14"), replace: "oy * 7" }],
    fails: ["input"],
  },
  {
    what: "the row stride ignored in the weight gradient",
    spec: padded,
    fn: "backwardLayer1",
    shapes: ["loops", "unrolled"],
    edits: [{ pattern: /oy \* 14/, replace: "oy * 7" }],
    fails: ["layer1.weight"],
  },
  {
    what: "the kernel flipped in the weight gradient",
    spec: padded,
    fn: "backwardLayer1",
    shapes: ["loops", "unrolled"],
    edits: [
      { pattern: /grad\[w\]! \+= d \* PAD1\[i\]!/, replace: "grad[2 * wf + 17 - w]! += d * PAD1[i]!" },
      { pattern: /(grad\[wf \+ )(\d+)\]/g, replace: flip },
    ],
    fails: ["layer1.weight"],
  },
  {
    what: "the kernel flipped in the input gradient",
    spec: padded,
    fn: "backwardLayer1",
    shapes: ["loops", "unrolled", "blocked", "wasm"],
    edits: [
      { pattern: /GPAD1\[i\]! \+= params\[w\]! \* d/, replace: "GPAD1[i]! += params[2 * wf + 17 - w]! * d" },
      { pattern: /(GPAD1\[[^\]]+\]! \+= params\[wf \+ )(\d+)\]/g, replace: flip },
      { pattern: /GPAD1\[ir \+ kx\]! \+= DCOLS1B\[kr \+ kx\]!/, replace: "GPAD1[ir + kx]! += DCOLS1B[kr + 2 - kx]!" }, // col2im
    ],
    fails: ["input"],
  },
  {
    what: "max pooling keeping the window's first tap as its argmax",
    spec: pooled,
    fn: "forwardLayer2",
    shapes: ["loops", "unrolled", "blocked", "wasm"],
    edits: [
      { pattern: /arg = i;/g, replace: "arg = at;" },
      { pattern: /arg = at \+ \d+;/g, replace: "arg = at;" },
    ],
    fails: ["layer1.weight", "layer1.bias", "input"],
  },
];

for (const shape of Object.keys(SHAPES) as Shape[]) {
  describe(`conv mutations caught by the gradient check: ${shape}`, () => {
    const textOf = async (spec: Spec): Promise<string> => (await compileSpec(spec, SHAPES[shape])).text;
    for (const spec of [padded, pooled]) {
      it(`the unmutated ${spec.name} module passes`, async () => {
        expect(failing(checkGradients({ spec, module: await loadModule(await textOf(spec)) }))).toEqual([]);
      });
    }
    for (const m of mutations.filter((x) => x.shapes.includes(shape))) {
      it(`catches ${m.what}`, async () => {
        const original = await textOf(m.spec);
        const mutated = mutate(original, fnOf(shape, m.fn), m.edits);
        expect(mutated).not.toBe(original);
        const report = checkGradients({ spec: m.spec, module: await loadModule(mutated) });
        expect(report.passed).toBe(false);
        expect(failing(report)).toEqual(m.fails);
      });
    }
  });
}
