// The interpreter against values worked out by hand in the test (independent of the maths table's text).
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/prng.js";
import { interpret, parameterLayout, preActivations } from "../../src/interpreter/index.js";
import { f64, makeSpec } from "./spec-builder.js";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("one sigmoid neuron (1 → 1)", () => {
  // w = 0.5, b = −0.2, x = 2 → z = 0.8
  const params = f64([0.5, -0.2]);
  const xs = f64([2]);
  const a = sigmoid(0.8);

  it("binary cross-entropy: L = −[y log a + (1−y) log(1−a)], dL/dz = a − y", () => {
    const m = interpret(makeSpec({ layers: [[1, 1, "sigmoid"]], loss: "binary_crossentropy" }));
    const y = 0.75;
    const grad = new Float64Array(2);
    const dx = new Float64Array(1);
    const loss = m.lossAndGradient(params, xs, f64([y]), 1, grad, { inputGradient: dx });
    expect(loss).toBeCloseTo(-(y * Math.log(a) + (1 - y) * Math.log(1 - a)), 14);
    expect(grad[0]).toBeCloseTo((a - y) * 2, 14); // dL/dw = (a − y) x
    expect(grad[1]).toBeCloseTo(a - y, 14); // dL/db = a − y
    expect(dx[0]).toBeCloseTo((a - y) * 0.5, 14); // dL/dx = (a − y) w
    expect(m.predict(params, xs)[0]).toBeCloseTo(a, 15);
  });

  it("mse: L = (a − y)², dL/dz = 2(a − y) a(1 − a)", () => {
    const m = interpret(makeSpec({ layers: [[1, 1, "sigmoid"]], loss: "mse" }));
    const grad = new Float64Array(2);
    const loss = m.lossAndGradient(params, xs, f64([1]), 1, grad);
    expect(loss).toBeCloseTo((a - 1) ** 2, 15);
    const dz = 2 * (a - 1) * a * (1 - a);
    expect(grad[0]).toBeCloseTo(dz * 2, 15);
    expect(grad[1]).toBeCloseTo(dz, 15);
  });

  it("averages loss and gradient over the batch", () => {
    const m = interpret(makeSpec({ layers: [[1, 1, "linear"]], loss: "mse" }));
    // a = 0.5x − 0.2: x=2 → 0.8 (y=1, err −0.2); x=−1 → −0.7 (y=0, err −0.7)
    const grad = new Float64Array(2);
    const loss = m.lossAndGradient(params, f64([2, -1]), f64([1, 0]), 2, grad);
    expect(loss).toBeCloseTo((0.04 + 0.49) / 2, 15);
    expect(grad[0]).toBeCloseTo((2 * -0.2 * 2 + 2 * -0.7 * -1) / 2, 15);
    expect(grad[1]).toBeCloseTo((2 * -0.2 + 2 * -0.7) / 2, 15);
  });
});

describe("a two-layer net by hand (2 → 2 tanh → 1 linear, mse)", () => {
  it("backpropagates through tanh", () => {
    const spec = makeSpec({
      layers: [
        [2, 2, "tanh"],
        [2, 1, "linear"],
      ],
      loss: "mse",
    });
    const m = interpret(spec);
    // W1 = [[0.1, 0.2], [−0.3, 0.4]], b1 = [0.05, −0.05], W2 = [[0.7, −0.6]], b2 = [0.1]
    const params = f64([0.1, 0.2, -0.3, 0.4, 0.05, -0.05, 0.7, -0.6, 0.1]);
    const x = [1, -2];
    const y = 0.3;
    const z1 = [0.1 * 1 + 0.2 * -2 + 0.05, -0.3 * 1 + 0.4 * -2 - 0.05];
    const h = z1.map(Math.tanh);
    const out = 0.7 * h[0]! - 0.6 * h[1]! + 0.1;
    const dOut = 2 * (out - y);
    const dh = [dOut * 0.7, dOut * -0.6];
    const dz1 = dh.map((g, k) => g * (1 - h[k]! ** 2));
    const expected = [dz1[0]! * x[0]!, dz1[0]! * x[1]!, dz1[1]! * x[0]!, dz1[1]! * x[1]!, dz1[0]!, dz1[1]!, dOut * h[0]!, dOut * h[1]!, dOut];
    const grad = new Float64Array(9);
    const loss = m.lossAndGradient(params, f64(x), f64([y]), 1, grad);
    expect(loss).toBeCloseTo((out - y) ** 2, 15);
    expected.forEach((g, j) => expect(grad[j]).toBeCloseTo(g, 14));
    expect(preActivations(spec, params, f64(x)).map((z) => Array.from(z))).toEqual([
      [expect.closeTo(z1[0]!, 15), expect.closeTo(z1[1]!, 15)],
      [expect.closeTo(0.7 * h[0]! - 0.6 * h[1]! + 0.1, 15)],
    ]);
  });
});

describe("softmax", () => {
  // 1 → 2 softmax: z = [w0 x + b0, w1 x + b1]
  const params = f64([1, -1, 0.5, 0]);
  const x = f64([2]);
  const z = [2.5, -2];
  const e = z.map(Math.exp);
  const p = e.map((v) => v / (e[0]! + e[1]!));

  it("categorical cross-entropy: L = −log p_y, dL/dz = p − y", () => {
    const m = interpret(makeSpec({ layers: [[1, 2, "softmax"]], loss: "categorical_crossentropy" }));
    const grad = new Float64Array(4);
    const loss = m.lossAndGradient(params, x, f64([0, 1]), 1, grad);
    expect(loss).toBeCloseTo(-Math.log(p[1]!), 13);
    const dz = [p[0]!, p[1]! - 1];
    expect(Array.from(grad)).toEqual([expect.closeTo(dz[0]! * 2, 14), expect.closeTo(dz[1]! * 2, 14), expect.closeTo(dz[0]!, 14), expect.closeTo(dz[1]!, 14)]);
  });

  it("mse goes through the full Jacobian: dL/dz_k = p_k (g_k − Σ_j g_j p_j)", () => {
    const m = interpret(makeSpec({ layers: [[1, 2, "softmax"]], loss: "mse" }));
    const y = [1, 0];
    const g = p.map((pk, k) => (2 * (pk - y[k]!)) / 2);
    const dot = g[0]! * p[0]! + g[1]! * p[1]!;
    const dz = p.map((pk, k) => pk * (g[k]! - dot));
    const grad = new Float64Array(4);
    const loss = m.lossAndGradient(params, x, f64(y), 1, grad);
    expect(loss).toBeCloseTo(((p[0]! - 1) ** 2 + p[1]! ** 2) / 2, 15);
    expect(grad[2]).toBeCloseTo(dz[0]!, 15);
    expect(grad[3]).toBeCloseTo(dz[1]!, 15);
    expect(grad[0]).toBeCloseTo(dz[0]! * 2, 15);
  });

  it("is stable for huge pre-activations (max subtracted; log-sum-exp for the loss)", () => {
    const m = interpret(makeSpec({ layers: [[1, 3, "softmax"]], loss: "categorical_crossentropy" }));
    const big = f64([1000, 0, -1000, 0, 0, 0]); // z = [1000x, 0, −1000x]
    expect(Array.from(m.predict(big, f64([1])))).toEqual([1, 0, 0]);
    const grad = new Float64Array(6);
    const loss = m.lossAndGradient(big, f64([1]), f64([0, 1, 0]), 1, grad);
    expect(loss).toBeCloseTo(1000, 10); // −log p_1 = lse − z_1 = 1000
    expect(grad.every(Number.isFinite)).toBe(true);
  });

  it("binary cross-entropy stays finite for saturated sigmoids", () => {
    const m = interpret(makeSpec({ layers: [[1, 1, "sigmoid"]], loss: "binary_crossentropy" }));
    const loss = m.lossAndGradient(f64([800, 0]), f64([1]), f64([0]), 1, new Float64Array(2));
    expect(loss).toBeCloseTo(800, 10);
  });
});

describe("activations on a 1 → 1 net", () => {
  it.each([
    ["relu", 0, -1.5, 0, 0],
    ["relu", 0, 1.5, 1.5, 1],
    ["leaky_relu", 0.1, -1.5, -0.15, 0.1],
    ["linear", 0, -1.5, -1.5, 1],
  ] as const)("%s(α=%s) at z=%s gives a=%s, a′=%s", (kind, alpha, z, a, slope) => {
    const m = interpret(makeSpec({ layers: [[1, 1, kind, alpha]], loss: "mse" }));
    const params = f64([1, 0]);
    expect(m.predict(params, f64([z]))[0]).toBeCloseTo(a, 15);
    const grad = new Float64Array(2);
    m.lossAndGradient(params, f64([z]), f64([0]), 1, grad);
    expect(grad[1]).toBeCloseTo(2 * a * slope, 15);
  });
});

describe("dropout", () => {
  it("draws one uniform per unit (sample, layer, unit), keeps u ≥ rate and scales by 1/(1 − rate); identity in eval mode", () => {
    const spec = makeSpec({ layers: [{ dropout: 0.4, size: 3 }, [3, 1, "linear"]], loss: "mse" });
    const m = interpret(spec);
    const params = f64([1, 2, 3, 0]);
    const xs = f64([1, 1, 1, 2, 2, 2]);
    const rng = createRng(7);
    let expectedLoss = 0;
    const expectedGrad = [0, 0, 0, 0];
    for (let s = 0; s < 2; s++) {
      const kept = [0, 1, 2].map(() => (rng.uniform() >= 0.4 ? 1 / 0.6 : 0));
      const inputs = kept.map((k) => k * xs[s * 3]!);
      const out = inputs[0]! * 1 + inputs[1]! * 2 + inputs[2]! * 3;
      expectedLoss += out ** 2 / 2;
      inputs.forEach((v, i) => (expectedGrad[i] = expectedGrad[i]! + (2 * out * v) / 2));
      expectedGrad[3] = expectedGrad[3]! + out;
    }
    const grad = new Float64Array(4);
    expect(m.lossAndGradient(params, xs, f64([0, 0]), 2, grad, { training: true, dropoutSeed: 7 })).toBeCloseTo(expectedLoss, 13);
    expectedGrad.forEach((g, j) => expect(grad[j]).toBeCloseTo(g, 13));
    // Eval mode: no dropout.
    expect(m.lossAndGradient(params, xs, f64([0, 0]), 2, grad)).toBeCloseTo((36 + 144) / 2, 13);
  });
});

describe("parameters", () => {
  const spec = makeSpec({
    layers: [[3, 2, "tanh"], { dropout: 0.5, size: 2 }, [2, 1, "sigmoid"]],
    loss: "mse",
    init: { kind: "normal", std: 0.3 },
    initSeed: 42,
  });

  it("lays out weights row-major then biases, layer by layer", () => {
    expect(parameterLayout(spec)).toEqual([
      { name: "layer1.weight", offset: 0, shape: [2, 3], size: 6 },
      { name: "layer1.bias", offset: 6, shape: [2], size: 2 },
      { name: "layer2.weight", offset: 8, shape: [1, 2], size: 2 },
      { name: "layer2.bias", offset: 10, shape: [1], size: 1 },
    ]);
  });

  it("draws weights from one stream in row-major order, biases 0; a seed overrides the spec's", () => {
    for (const seed of [42, 5]) {
      const rng = createRng(seed);
      const w = Array.from({ length: 8 }, () => 0.3 * rng.gaussian());
      const expected = [...w.slice(0, 6), 0, 0, ...w.slice(6, 8), 0];
      const params = interpret(spec).createParameters(seed === 42 ? undefined : seed);
      expected.forEach((v, j) => expect(params[j]).toBeCloseTo(v, 15));
    }
  });

  it("xavier, he, uniform and zeros draw with their own scales", () => {
    const xavier = interpret({ ...spec, init: { ...spec.init, scheme: { kind: "xavier" } } }).createParameters();
    const rng = createRng(42);
    const limit1 = Math.sqrt(6 / 5);
    for (let j = 0; j < 6; j++) expect(xavier[j]).toBeCloseTo(limit1 * (2 * rng.uniform() - 1), 15);
    const limit2 = Math.sqrt(6 / 3);
    expect(xavier[8]).toBeCloseTo(limit2 * (2 * rng.uniform() - 1), 15);
    const he = interpret({ ...spec, init: { ...spec.init, scheme: { kind: "he" } } }).createParameters();
    const g = createRng(42);
    expect(he[0]).toBeCloseTo(Math.sqrt(2 / 3) * g.gaussian(), 15);
    const uniform = interpret({ ...spec, init: { ...spec.init, scheme: { kind: "uniform", limit: 0.05 } } }).createParameters();
    expect(uniform[0]).toBeCloseTo(0.05 * (2 * createRng(42).uniform() - 1), 15);
    expect(Array.from(interpret({ ...spec, init: { ...spec.init, scheme: { kind: "zeros" } } }).createParameters())).toEqual(new Array(11).fill(0));
  });
});
