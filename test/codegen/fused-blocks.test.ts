// The fused body's batch-wide activations (plan.sample.batchActivations, src/emit/fused.ts): tanh and σ
// layers get their z for a block of samples into FA<p>, one pass over it, then the rest per sample. That
// must give the same bits as the single loop and the per-layer functions, and as the reference interpreter
// (which runs the same nncTanh/nncExp text), including batches longer than a block and a last partial block.
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { planSpec } from "../../src/plan.js";
import type { GeneratedModule } from "../../src/module-api.js";
import type { Spec } from "../../src/ir.js";
import { dense, makeSpec } from "./specs.js";

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Result {
  loss: number;
  grad: Float64Array;
  inputGradient: Float64Array;
}

function run(module: GeneratedModule, spec: Spec, count: number): Result {
  const rnd = random(count * 7919 + spec.inputs);
  const params = module.createParameters(5) as Float64Array;
  const xs = Float64Array.from({ length: count * spec.inputs }, () => 6 * rnd() - 3);
  const ys = new Float64Array(count * spec.outputs);
  for (let s = 0; s < count; s++) {
    if (spec.loss.kind === "categorical_crossentropy") ys[s * spec.outputs + Math.floor(rnd() * spec.outputs)] = 1;
    else for (let k = 0; k < spec.outputs; k++) ys[s * spec.outputs + k] = rnd() < 0.5 ? 1 : 0;
  }
  const grad = new Float64Array(params.length);
  const inputGradient = new Float64Array(xs.length);
  const loss = module.lossAndGradient(params, xs, ys, count, grad, { inputGradient });
  return { loss, grad, inputGradient };
}

/** The indices where two arrays differ in any bit. */
function differing(a: Float64Array, b: Float64Array): number[] {
  return Array.from(a.keys()).filter((i) => !Object.is(a[i], b[i]));
}

const NETS: [string, Spec][] = [
  [
    "W2's 2-4-1 tanh/σ with binary cross-entropy",
    makeSpec("w2", [dense(2, 4, "tanh"), dense(4, 1, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: 8 }),
  ],
  [
    "tanh, relu, σ, then a softmax output (a looped-in relu between batch-wide layers, a per-sample layer after them)",
    makeSpec(
      "mix",
      [dense(3, 4, "tanh"), dense(4, 3, "relu"), dense(3, 3, "sigmoid"), dense(3, 4, "softmax")],
      "categorical_crossentropy",
      { kind: "sgd" },
      { batchSize: 8 },
    ),
  ],
  [
    "three σ outputs with binary cross-entropy (its log(1 + e^−|z|) batch-wide over 3 outputs a row)",
    makeSpec("bce3", [dense(3, 5, "tanh"), dense(5, 3, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: 8 }),
  ],
  ["σ hidden, linear output with mse", makeSpec("sq", [dense(2, 3, "sigmoid"), dense(3, 2, "linear")], "mse", { kind: "sgd" }, { batchSize: 8 })],
];

describe("the fused body's batch-wide activations", () => {
  for (const [what, spec] of NETS) {
    it(`${what}: the same bits as the per-layer code and the interpreter, over 2½ blocks`, async () => {
      const plan = planSpec(spec);
      expect(plan.sample.shape).toBe("fused");
      expect(plan.sample.batchActivations.length).toBeGreaterThan(0);
      expect(plan.sample.block).toBe(8);
      const fused = await loadModule(compileSpecUnformatted(spec).text);
      const layers = await loadModule(compileSpecUnformatted(spec, { sampleShape: "layers" }).text);
      const reference = interpret(spec);
      for (const count of [1, 8, 21]) {
        const a = run(fused, spec, count);
        for (const other of [run(layers, spec, count), run(reference, spec, count)]) {
          expect(Object.is(a.loss, other.loss)).toBe(true);
          expect(differing(a.grad, other.grad)).toEqual([]);
          expect(differing(a.inputGradient, other.inputGradient)).toEqual([]);
        }
      }
    });
  }

  it("the passes run in WebAssembly f64x2 where it is available, and the TS passes without it give the same bits", async () => {
    const [, spec] = NETS[0]!;
    const text = compileSpecUnformatted(spec).text;
    expect(text).toContain("const PASSES = loadPasses();");
    expect(text).toMatch(/if \(PASSES !== null\) PASSES\.tanh\(0, rows \* 4\);/);
    const withWasm = await loadModule(text);
    const withoutWasm = await loadModule(text.replace("const PASSES = loadPasses();", "const PASSES: Passes | null = null;"));
    const reference = interpret(spec);
    for (const count of [8, 21]) {
      const a = run(withWasm, spec, count);
      for (const other of [run(withoutWasm, spec, count), run(reference, spec, count)]) {
        expect(Object.is(a.loss, other.loss)).toBe(true);
        expect(differing(a.grad, other.grad)).toEqual([]);
      }
    }
  });

  it("the comparison can fail: Math.tanh in place of nncTanh in the pass moves bits", async () => {
    const [, spec] = NETS[0]!;
    const text = compileSpecUnformatted(spec).text;
    expect(text).toContain("v[i] = nncTanh(z);");
    // The TS pass (WebAssembly turned off, so it runs) with Math.tanh planted in it.
    const planted = await loadModule(
      text.replace("v[i] = nncTanh(z);", "v[i] = Math.tanh(z);").replace("const PASSES = loadPasses();", "const PASSES: Passes | null = null;"),
    );
    const reference = interpret(spec);
    const counts = [8, 21, 64, 200].map((count) => {
      const a = run(planted, spec, count);
      const b = run(reference, spec, count);
      return differing(a.grad, b.grad).length + (Object.is(a.loss, b.loss) ? 0 : 1);
    });
    expect(counts.some((n) => n > 0)).toBe(true);
  });
});
