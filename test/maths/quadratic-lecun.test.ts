// `loss quadratic` (½ Σ_k (a_k − y_k)², mean over the batch: the letters lab's QuadraticLoss) and `init lecun`
// (N(0, 1/fan_in) as randn / √fan_in, the lab's FullyConnect), each against numbers worked out by hand or
// made by numpy, in the generated module and in the reference interpreter. (Gradients against finite
// differences: `nnc check`, test/check/specs.test.ts on specs/letters-quadratic.nn.)
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadData } from "../../src/data/load.js";
import { parseSpec } from "../../src/front/index.js";
import { interpret } from "../../src/interpreter/index.js";
import type { GeneratedModule } from "../../src/module-api.js";
import { buildModule } from "../../src/train/module-build.js";

const spec = (text: string) => {
  const { spec, diagnostics } = parseSpec(text, "t.nn");
  expect(diagnostics).toEqual([]);
  return spec!;
};

describe("loss quadratic", () => {
  // One linear layer 2 → 2 with W = [[1, 2], [3, 4]] and b = [0.5, −1]: the outputs are W·x + b.
  const linear = spec("model q\ninput 2\nlayer fc 2->2 linear\nloss quadratic\nsgd lr=0.1 epochs=1 batch=2\n");
  const params = Float64Array.from([1, 2, 3, 4, 0.5, -1]);
  // Sample 1: x = (1, 0) → a = (1.5, 2), y = (1, 0): ½((0.5)² + 2²) = 2.125.
  // Sample 2: x = (0, 1) → a = (2.5, 3), y = (0, 1): ½(2.5² + 2²) = 5.125.   Mean over the batch: 3.625.
  const xs = Float64Array.from([1, 0, 0, 1]);
  const ys = Float64Array.from([1, 0, 0, 1]);
  // dL/dW[j][i] = mean over samples of (a_j − y_j)·x_i; dL/db_j = mean of (a_j − y_j).
  // errors: sample 1 (0.5, 2), sample 2 (2.5, 2) → dW = [[0.25, 1.25], [1, 1]], db = [1.5, 2].
  const grad = [0.25, 1.25, 1, 1, 1.5, 2];

  const check = (module: GeneratedModule) => {
    const g = new Float64Array(6);
    expect(module.lossAndGradient(params, xs, ys, 2, g)).toBeCloseTo(3.625, 12);
    expect(Array.from(g).map((v) => Number(v.toFixed(12)))).toEqual(grad);
  };

  it("the generated module: value and gradient by hand", async () => check((await buildModule(linear)).module));
  it("the reference interpreter: value and gradient by hand", () => check(interpret(linear)));
  it("lowers as its own kind, written as `quadratic`; mse stays the mean over outputs", () => {
    expect(linear.loss).toMatchObject({ kind: "quadratic", written: "quadratic" });
    const mse = interpret(spec("model m\ninput 2\nlayer fc 2->2 linear\nloss mse\nsgd lr=0.1 epochs=1 batch=2\n"));
    // mse = (1/K) Σ (a − y)² = (2/K)·quadratic with K = 2 outputs: the same 3.625 here.
    expect(mse.lossAndGradient(params, xs, ys, 2, new Float64Array(6))).toBeCloseTo(3.625, 12);
  });
  it("regression targets outside [0, 1] are accepted, as for mse (only cross-entropy needs probabilities)", () => {
    const s = spec("model c\nlayer fc 2->1 linear\nloss quadratic\nsgd lr=0.1 epochs=1 batch=2\nrow 1, 2 -> 7.5\nrow 0, 1 -> -3\n");
    expect(Array.from(loadData(s, ".").train.targets)).toEqual([7.5, -3]);
  });
});

describe("init lecun", () => {
  const ref = JSON.parse(readFileSync(new URL("../fixtures/numpy-reference.json", import.meta.url), "utf8")) as Record<string, { randn: number[] }>;

  it("rng=numpy: np.random.seed(0); np.random.randn(3, 3) / np.sqrt(3), bit for bit, biases 0", async () => {
    const s = spec("model l\ninput 3\nlayer fc 3->3 sigmoid\nloss quadratic\ninit lecun seed=0 rng=numpy\nsgd lr=1 epochs=1 batch=1\n");
    const expected = [...ref.seed0!.randn.map((v) => v / Math.sqrt(3)), 0, 0, 0];
    expect(Array.from(interpret(s).createParameters()).slice(0, 12)).toEqual(expected);
    expect(Array.from((await buildModule(s)).module.createParameters()).slice(0, 12)).toEqual(expected);
  });

  it("nnc's generator: each layer's weights have standard deviation ≈ 1/√fan_in", () => {
    const s = spec("model l\ninput 400\nlayer fc 400->100 sigmoid\nlayer fc 100->50 sigmoid\nloss quadratic\ninit lecun seed=4\nsgd lr=1 epochs=1 batch=1\n");
    const p = interpret(s).createParameters();
    const std = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, x) => a + x * x, 0) / v.length);
    // 40 000 and 5 000 draws: the sample std is within 2 % and 5 % of the target with overwhelming probability.
    expect(std(p.subarray(0, 40000)) * Math.sqrt(400)).toBeGreaterThan(0.98);
    expect(std(p.subarray(0, 40000)) * Math.sqrt(400)).toBeLessThan(1.02);
    expect(std(p.subarray(40100, 45100)) * Math.sqrt(100)).toBeGreaterThan(0.95);
    expect(std(p.subarray(40100, 45100)) * Math.sqrt(100)).toBeLessThan(1.05);
  });
});
