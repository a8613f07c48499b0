// probeNetwork against hand-computed saturation fractions and finite-difference gradient norms.
import { describe, expect, test } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { interpret } from "../../src/interpreter/index.js";
import { isSaturated, probeNetwork } from "../../src/doctor/probes.js";

const SPEC = `model probe
layer fc 1->2 sigmoid
layer fc 2->1 tanh
loss mse
sgd lr=0.1 epochs=1
row 0 -> 0
`;

describe("probeNetwork", () => {
  const spec = parseSpec(SPEC, "probe.nn").spec!;
  // layer1: W = [10, 0.1], b = [0, 0]; layer2: W = [3, 3], b = [0]
  const params = Float64Array.from([10, 0.1, 0, 0, 3, 3, 0]);
  const xs = Float64Array.from([-1, 0, 0.1, 1]);
  const ys = Float64Array.from([0.5, -0.5, 0.2, 0.9]);

  test("the saturation thresholds", () => {
    expect(isSaturated("sigmoid", 0.995)).toBe(true);
    expect(isSaturated("sigmoid", 0.985)).toBe(false);
    expect(isSaturated("tanh", -0.99)).toBe(true);
    expect(isSaturated("tanh", 0.97)).toBe(false);
    expect(isSaturated("relu", 100)).toBeNull();
  });

  test("fractions of saturated activations, by hand", () => {
    const p = probeNetwork(spec, params, xs, ys, 4);
    // Layer 1 unit 1: σ(−10), σ(0), σ(1), σ(10) → 2 of 4 saturated; unit 2: σ(±0.1·x) never → 2 of 8.
    expect(p.layers[0]!.saturatedFraction).toBe(2 / 8);
    // Layer 2: tanh(3σ(10x) + 3σ(0.1x)): x=−1 → tanh(3·4.5e-5 + 3·0.475) = tanh(1.425) ≈ 0.89 (no);
    // x=0 → tanh(3) ≈ 0.995 (yes); x=0.1 → tanh(3·0.731 + 3·0.5025) ≈ tanh(3.70) (yes); x=1 → tanh(≈4.5) (yes).
    expect(p.layers[1]!.saturatedFraction).toBe(3 / 4);
    expect(p.inputMeanAbs[0]).toBeCloseTo((1 + 0 + 0.1 + 1) / 4, 15);
    expect(p.samples).toBe(4);
  });

  test("gradient norms per layer equal central finite differences of the mean loss", () => {
    const p = probeNetwork(spec, params, xs, ys, 4);
    const module = interpret(spec);
    const loss = (q: Float64Array) => module.evaluate(q, xs, ys, 4).loss;
    const fd = (indices: number[]) => {
      let sum = 0;
      for (const j of indices) {
        const plus = Float64Array.from(params);
        const minus = Float64Array.from(params);
        plus[j]! += 1e-6;
        minus[j]! -= 1e-6;
        sum += ((loss(plus) - loss(minus)) / 2e-6) ** 2;
      }
      return Math.sqrt(sum);
    };
    expect(p.layers[0]!.weightGradientNorm).toBeCloseTo(fd([0, 1]), 7);
    expect(p.layers[0]!.biasGradientNorm).toBeCloseTo(fd([2, 3]), 7);
    expect(p.layers[1]!.weightGradientNorm).toBeCloseTo(fd([4, 5]), 7);
    expect(p.layers[1]!.biasGradientNorm).toBeCloseTo(fd([6]), 7);
    expect(p.loss).toBeCloseTo(loss(params), 14);
  });

  test("samples at most maxSamples rows, evenly spaced", () => {
    const p = probeNetwork(spec, params, xs, ys, 4, 2);
    expect(p.samples).toBe(2);
    // Rows 0 and 2 (x = −1, 0.1): layer 1 unit 1 saturated only at x = −1.
    expect(p.layers[0]!.saturatedFraction).toBe(1 / 4);
  });
});
