// Mutation tests: the proof the checker works. Real generated module text (compileSpec) gets one planted
// bug by a text edit, is loaded with loadModule, and the gradient check must FAIL, naming the right
// tensors; the unmutated module must pass. Every edit is located by a pattern in a named function of the
// generated text, and a pattern that does not match fails the test (a mutation that silently did not
// apply proves nothing). Every code shape the generator emits is covered: per-sample loops, fully
// unrolled per-layer functions, the fused per-sample body (tiny nets: every edit lands in lossAndGradient), the blocked batch shape with TS kernels (its layer functions are backwardChunkN instead of
// backwardLayerN), and with WebAssembly kernels (TS edits in lossAndGradientKernels, byte edits in the kernels).
import { describe, expect, it } from "vitest";
import { compileSpec } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { checkGradients } from "../../src/check/index.js";
import type { Spec } from "../../src/ir.js";
import { makeSpec } from "./fixtures.js";
import { uleb } from "../../src/emit/wasm/encoder.js";
import { kernelLayout } from "../../src/emit/wasm/kernels.js";
import { planSpec } from "../../src/plan.js";
import { kernelBytesOf, mutateKernelBytes } from "../support/kernel-bytes.js";
import { failing, mutate, type Edit } from "../support/mutate.js";

interface Mutation {
  what: string;
  spec: Spec;
  fn: string;
  edits: Edit[];
  /** The rows that must fail (exactly). */
  fails: string[];
}

const tanhSpec = makeSpec(["3->4 tanh", "4->2 sigmoid"], "binary_crossentropy", "f64", "tanhnet");
const sigmoidSoftmax = makeSpec(["3->4 sigmoid", "4->3 softmax"], "categorical_crossentropy", "f64", "sigsoft");

const mutations: Mutation[] = [
  {
    what: "a flipped sign in tanh′ (hidden layer)",
    spec: tanhSpec,
    fn: "backwardLayer1",
    edits: [
      { pattern: /\(1 - (A1B?)\[(\w+)\]! \* \1\[\2\]!\)/, replace: "($1[$2]! * $1[$2]! - 1)" },
      { pattern: /\(1 - (a1_\d+) \* \1\)/, replace: "($1 * $1 - 1)" }, // fused
    ],
    fails: ["layer1.weight", "layer1.bias", "input"],
  },
  {
    what: "sigmoid′ replaced by 1 (hidden layer)",
    spec: sigmoidSoftmax,
    fn: "backwardLayer1",
    edits: [
      { pattern: /\((A1B?)\[(\w+)\]! \* \(1 - \1\[\2\]!\)\)/g, replace: "1" },
      { pattern: /\((a1_\d+) \* \(1 - \1\)\)/g, replace: "1" }, // fused
    ],
    fails: ["layer1.weight", "layer1.bias", "input"],
  },
  {
    what: "a bias gradient dropped (output layer)",
    spec: sigmoidSoftmax,
    fn: "backwardLayer2",
    edits: [
      { pattern: /^\s*grad\[[^\]]+\]! \+= d\w*;\n/m, replace: "" },
      { pattern: /^\s*for \(let s = 0; s < n; s\+\+\) acc \+= [^;]+;\n/m, replace: "" }, // blocked
      { pattern: /^\s*g\d+ \+= dz2_\d+;\n/m, replace: "" }, // fused
    ],
    fails: ["layer2.bias"],
  },
  {
    what: "the softmax–cross-entropy gradient off by a factor 1.5",
    spec: sigmoidSoftmax,
    fn: "outputDelta",
    edits: [
      { pattern: /(DZ2\[[^\]]+\] = )([^;]+);/g, replace: (_m, lhs, rhs) => `${lhs}1.5 * (${rhs});` },
      { pattern: /(const dz2_\d+ = )([^;]+);/g, replace: (_m, lhs, rhs) => `${lhs}1.5 * (${rhs});` }, // fused
    ],
    fails: ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias", "input"],
  },
  {
    what: "a wrong input index in one weight's gradient (output layer)",
    spec: sigmoidSoftmax,
    fn: "backwardLayer2",
    edits: [
      { pattern: /(grad\[\d+\]! \+= d0 \* )in1;/, replace: "$1in2;" }, // unrolled
      { pattern: /(grad\[row \+ i\]! \+= d \* A1\[)i\]/, replace: "$1i === 1 ? 2 : i]" }, // loops
      { pattern: /(const u1 = A1B\[xr \+ )1\]/, replace: "$12]" }, // blocked
      { pattern: /(g\d+ \+= dz2_0 \* )a1_1;/, replace: "$1a1_2;" }, // fused
    ],
    fails: ["layer2.weight"],
  },
  {
    what: "a wrong weight index in the input gradient",
    spec: sigmoidSoftmax,
    fn: "backwardLayer1",
    edits: [
      { pattern: /(gin\[gino\] = )params\[0\]! \* d0/, replace: "$1params[1]! * d0" }, // unrolled
      { pattern: /(gin\[gino \+ i\]! \+= params\[row \+ )i\]/, replace: "$1(i === 0 ? 1 : i)]" }, // loops
      { pattern: /(const v0 = params\[w)\]/, replace: "$1 + 1]" }, // blocked
      { pattern: /(gin\[xo\] = )(params\[|p)0(\]!)? \* dz1_0/, replace: "$1$21$3 * dz1_0" }, // fused
    ],
    fails: ["input"],
  },
];

// "blocked" forces the TS kernels (the patterns target backwardChunkN); "wasm" runs the WebAssembly kernel
// path, whose element-wise TS (activation derivatives, bias gradient) lives in lossAndGradientKernels and
// whose matrix products are bytes: those mutations are planted in the bytes below.
const shapes = [
  { shape: "loops", options: { unrollLimit: 0, batchShape: "per-sample" } },
  { shape: "unrolled", options: { unrollLimit: Infinity, sampleShape: "layers" } },
  { shape: "fused", options: { unrollLimit: Infinity } },
  { shape: "blocked", options: { unrollLimit: 0, batchShape: "blocked", kernel: "ts" } },
  { shape: "wasm", options: { unrollLimit: 0, batchShape: "blocked", kernel: "wasm" } },
] as const;

/** Mutations of matrix products: TS patterns in every shape but "wasm" (see the kernel-byte mutations). */
const matrixMutations = new Set(["a wrong input index in one weight's gradient (output layer)", "a wrong weight index in the input gradient"]);

for (const { shape, options } of shapes) {
  const fnOf = (fn: string): string =>
    shape === "blocked"
      ? fn.replace("backwardLayer", "backwardChunk")
      : shape === "wasm"
        ? fn.replace(/^backwardLayer\d+$/, "lossAndGradientKernels")
        : shape === "fused"
          ? "lossAndGradientUnchecked" // the whole per-sample backward and output delta are inline there (the body the checked export calls)
          : fn;
  describe(`mutations of generated code (${shape})`, () => {
    const texts = new Map<Spec, Promise<string>>();
    const textOf = (spec: Spec): Promise<string> => {
      if (!texts.has(spec))
        texts.set(
          spec,
          compileSpec(spec, options).then((c) => c.text),
        );
      return texts.get(spec)!;
    };

    for (const spec of [tanhSpec, sigmoidSoftmax]) {
      it(`the unmutated ${spec.name} module passes`, async () => {
        const report = checkGradients({ spec, module: await loadModule(await textOf(spec)) });
        expect(failing(report)).toEqual([]);
      });
    }

    for (const m of mutations) {
      if (shape === "wasm" && matrixMutations.has(m.what)) continue;
      it(`catches ${m.what}`, async () => {
        const original = await textOf(m.spec);
        const mutated = mutate(original, fnOf(m.fn), m.edits);
        expect(mutated).not.toBe(original);
        const report = checkGradients({ spec: m.spec, module: await loadModule(mutated) });
        expect(report.passed).toBe(false);
        expect(failing(report)).toEqual(m.fails);
      });
    }
  });
}

describe("mutations of the WebAssembly kernels (bytes)", () => {
  const options = { unrollLimit: 0, batchShape: "blocked", kernel: "wasm" } as const;
  const kernelMutations = [
    {
      what: "a wrong weight offset in the input-gradient kernel (x1 reads W[j][i+1])",
      // x1's weight load: v128.load align 3, offset P + layer1.weight offset + 16v = 0 for v = 0 → offset 8;
      // twice: x1's body for a 4-sample tile and for the one-by-one tail.
      occurrences: 2,
      from: () => [0xfd, 0x00, 0x03, ...uleb(0)],
      to: () => [0xfd, 0x00, 0x03, ...uleb(8)],
      fails: ["input"],
    },
    {
      what: "a wrong input offset in the output layer's weight-gradient kernel (w2 reads a[s][i+1])",
      // w2's input load: v128.load align 3, offset A1B → A1B + 8 (the same LEB length).
      from: (spec: Spec) => [0xfd, 0x00, 0x03, ...uleb(kernelLayout(planSpec(spec, options)).offsets.get("A1B")!)],
      to: (spec: Spec) => [0xfd, 0x00, 0x03, ...uleb(kernelLayout(planSpec(spec, options)).offsets.get("A1B")! + 8)],
      occurrences: 1,
      fails: ["layer2.weight"],
    },
  ];
  for (const m of kernelMutations) {
    it(`catches ${m.what}`, async () => {
      const spec = sigmoidSoftmax;
      const original = (await compileSpec(spec, options)).text;
      const mutated = mutateKernelBytes(original, m.from(spec), m.to(spec), m.occurrences);
      expect(WebAssembly.validate(kernelBytesOf(mutated))).toBe(true); // still valid: the wasm path runs, not the fallback
      expect(failing(checkGradients({ spec, module: await loadModule(original) }))).toEqual([]);
      const report = checkGradients({ spec, module: await loadModule(mutated) });
      expect(report.passed).toBe(false);
      expect(failing(report)).toEqual(m.fails);
    });
  }
});

describe("the mutation helper", () => {
  it("refuses a pattern that does not match (so a mutation cannot silently not apply)", () => {
    const text = "function f(a: number): number {\n  return a * 2;\n}\n";
    expect(() => mutate(text, "f", [{ pattern: /a \* 3/, replace: "a" }])).toThrow(/no mutation pattern matched/);
    expect(() => mutate(text, "g", [{ pattern: /a/, replace: "b" }])).toThrow(/no function g/);
    expect(mutate(text, "f", [{ pattern: /a \* 2/, replace: "a * 3" }])).toContain("a * 3");
  });
});
