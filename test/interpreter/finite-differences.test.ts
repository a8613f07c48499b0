// The interpreter's gradients against central finite differences of its own loss, in float64: per tensor,
// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, 1e-8) ≤ 1e-6. Parameters whose ±h perturbation moves
// any relu/leaky_relu pre-activation across its kink are skipped (and counted).
import { describe, expect, it } from "vitest";
import type { ActivationKind, LossKind, Spec } from "../../src/ir.js";
import { createRng } from "../../src/prng.js";
import { interpret, parameterLayout, preActivations } from "../../src/interpreter/index.js";
import { randomData } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";
import { makeSpec, type LayerSketch } from "./spec-builder.js";

const H = 1e-5;
const TOLERANCE = 1e-6;

interface Result {
  worst: number;
  worstTensor: string;
  skipped: number;
  checked: number;
}

function kinkPattern(spec: Spec, params: Float64Array, xs: Float64Array, count: number): string {
  const kinked = spec.layers.filter((l) => l.kind === "dense").map((l) => l.activation.kind === "relu" || l.activation.kind === "leaky_relu");
  let pattern = "";
  for (let s = 0; s < count; s++) {
    preActivations(spec, params, xs.subarray(s * spec.inputs, (s + 1) * spec.inputs)).forEach((z, l) => {
      if (kinked[l]) for (const v of z) pattern += v > 0 ? "1" : "0";
    });
  }
  return pattern;
}

function norm(values: number[]): number {
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0));
}

/** Checks dLoss/dparams and dLoss/dxs; `wrong` scales the analytic gradient (a planted bug). */
function gradientCheck(spec: Spec, seed: number, options: { training?: boolean; wrong?: number } = {}): Result {
  const m = interpret(spec);
  const rng = createRng(seed);
  const count = 3;
  const data = randomData(spec, count, rng);
  const xs = Float64Array.from(data.xs);
  const ys = Float64Array.from(data.ys);
  const params = Float64Array.from({ length: m.meta.parameters }, () => 0.8 * rng.gaussian());
  const lossOptions = { training: options.training === true, dropoutSeed: 5 };
  const grad = new Float64Array(params.length);
  const inputGrad = new Float64Array(xs.length);
  m.lossAndGradient(params, xs, ys, count, grad, { ...lossOptions, inputGradient: inputGrad });
  if (options.wrong !== undefined) grad[grad.length - 1] = grad[grad.length - 1]! * options.wrong;
  const loss = (p: Float64Array, x: Float64Array) => m.lossAndGradient(p, x, ys, count, new Float64Array(params.length), lossOptions);
  const base = kinkPattern(spec, params, xs, count);

  const result: Result = { worst: 0, worstTensor: "", skipped: 0, checked: 0 };
  const checkTensor = (name: string, vector: Float64Array, analytic: Float64Array, indices: number[], evaluate: () => number) => {
    const a: number[] = [];
    const n: number[] = [];
    for (const j of indices) {
      const saved = vector[j]!;
      vector[j] = saved + H;
      const plus = evaluate();
      const kinkPlus = kinkPattern(spec, params, xs, count);
      vector[j] = saved - H;
      const minus = evaluate();
      const kinkMinus = kinkPattern(spec, params, xs, count);
      vector[j] = saved;
      if (kinkPlus !== base || kinkMinus !== base) {
        result.skipped++;
        continue;
      }
      a.push(analytic[j]!);
      n.push((plus - minus) / (2 * H));
      result.checked++;
    }
    if (a.length === 0) return;
    const error = norm(a.map((v, k) => v - n[k]!)) / Math.max(norm(a), norm(n), 1e-8);
    if (error > result.worst) {
      result.worst = error;
      result.worstTensor = name;
    }
  };
  for (const tensor of parameterLayout(spec)) {
    const indices = Array.from({ length: tensor.size }, (_, k) => tensor.offset + k);
    checkTensor(tensor.name, params, grad, indices, () => loss(params, xs));
  }
  checkTensor(
    "inputs",
    xs,
    inputGrad,
    Array.from({ length: xs.length }, (_, k) => k),
    () => loss(params, xs),
  );
  return result;
}

const OUTPUTS: [LossKind, ActivationKind, number][] = [
  ["mse", "linear", 3],
  ["mse", "sigmoid", 2],
  ["mse", "tanh", 3],
  ["mse", "relu", 3],
  ["mse", "leaky_relu", 2],
  ["mse", "softmax", 3],
  ["binary_crossentropy", "sigmoid", 1],
  ["binary_crossentropy", "sigmoid", 3],
  ["categorical_crossentropy", "softmax", 4],
];
const HIDDEN: ActivationKind[] = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"];

describe("gradients match central finite differences", () => {
  for (const [loss, output, K] of OUTPUTS) {
    it(`${loss} with a ${output} output, every hidden activation`, () => {
      for (const [h, hidden] of HIDDEN.entries()) {
        const layers: LayerSketch[] = [[3, 4, hidden, 0.1], { dropout: 0.3, size: 4 }, [4, 3, HIDDEN[(h + 2) % 5]!, 0.2], [3, K, output]];
        const spec = makeSpec({ layers, loss });
        for (const training of [false, true]) {
          const r = gradientCheck(spec, 10 * h + 1, { training });
          expect(r.worst, `${hidden} hidden, training=${training}: worst ${r.worstTensor}`).toBeLessThanOrEqual(TOLERANCE);
          expect(r.checked).toBeGreaterThan(r.skipped);
        }
      }
    });
  }

  it("on 40 random small specs", () => {
    let skipped = 0;
    let checked = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const spec = randomSpec(seed, { maxSize: 6, precision: "f64" });
      const r = gradientCheck(spec, seed, { training: seed % 2 === 0 });
      expect(r.worst, `random spec ${seed}: worst ${r.worstTensor}`).toBeLessThanOrEqual(TOLERANCE);
      skipped += r.skipped;
      checked += r.checked;
    }
    expect(checked).toBeGreaterThan(10 * skipped);
  });

  it("catches a planted wrong gradient (the check has teeth)", () => {
    const spec = makeSpec({
      layers: [
        [2, 3, "tanh"],
        [3, 1, "sigmoid"],
      ],
      loss: "binary_crossentropy",
    });
    expect(gradientCheck(spec, 3).worst).toBeLessThanOrEqual(TOLERANCE);
    expect(gradientCheck(spec, 3, { wrong: 1.001 }).worst).toBeGreaterThan(TOLERANCE);
  });
});
