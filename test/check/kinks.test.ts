// Kink handling: the checker's own batch forward (with dropout masks) against the interpreter's, and a
// crafted ReLU kink whose entries must be skipped and counted (and would have failed if compared).
import { describe, expect, it } from "vitest";
import { forwardAll, interpret } from "../../src/interpreter/index.js";
import { forwardSample } from "../../src/interpreter/forward.js";
import { createRng } from "../../src/prng.js";
import { batchPreActivations, checkGradients, checkInputs, dropoutMasks, stepNearKink } from "../../src/check/index.js";
import { KinkProbe } from "../../src/check/kinks.js";
import { makeSpec } from "./fixtures.js";

describe("batchPreActivations", () => {
  const spec = makeSpec(["4->6 relu", "dropout:0.4", "6->5 leaky_relu(0.2)", "dropout:0.25", "5->3 softmax"], "categorical_crossentropy");
  const module = interpret(spec);
  const params = Float64Array.from(module.createParameters(3));
  for (let i = 0; i < params.length; i++) params[i]! += 0.05 * Math.sin(i); // non-zero biases too
  const count = 5;
  const xs = checkInputs(spec, count, 11);

  it("matches the interpreter's per-sample pre-activations in eval mode", () => {
    const batch = batchPreActivations(spec, params, xs, count, null);
    for (let s = 0; s < count; s++) {
      const x = xs.subarray(s * 4, s * 4 + 4);
      const zs = forwardAll(spec, params, x)
        .filter((t) => t.z !== null)
        .map((t) => t.z!);
      zs.forEach((z, l) => {
        const k = z.length;
        for (let j = 0; j < k; j++) expect(batch[l]![s * k + j]).toBeCloseTo(z[j]!, 12);
      });
    }
  });

  it("draws the module contract's dropout masks (sample, layer, unit order) and applies them", () => {
    const seed = 1234;
    const masks = dropoutMasks(spec, count, seed);
    const rng = createRng(seed); // the interpreter draws from one stream across the batch
    const batch = batchPreActivations(spec, params, xs, count, seed);
    for (let s = 0; s < count; s++) {
      const traces = forwardSample(spec, params, xs, s * 4, rng);
      const interpreterMasks = traces.filter((t) => t.mask !== null).map((t) => t.mask!);
      expect(interpreterMasks).toHaveLength(2);
      interpreterMasks.forEach((m, d) => expect(Array.from(masks[d]!.subarray(s * m.length, (s + 1) * m.length))).toEqual(Array.from(m)));
      const zs = traces.filter((t) => t.z !== null).map((t) => t.z!);
      zs.forEach((z, l) => {
        for (let j = 0; j < z.length; j++) expect(batch[l]![s * z.length + j]).toBeCloseTo(z[j]!, 12);
      });
    }
    expect(masks[0]!.some((v) => v === 0)).toBe(true);
  });

  it("recomputes incrementally after one entry changed exactly as a full forward pass does", () => {
    const p = Float64Array.from(params);
    const x = Float64Array.from(xs);
    const probe = new KinkProbe(spec, p, x, count, 77);
    const expectSame = (got: Float64Array[]) => {
      const full = batchPreActivations(spec, p, x, count, 77);
      expect(got.map((z) => Array.from(z))).toEqual(full.map((z) => Array.from(z)));
    };
    expect(p.length).toBe(83); // 24+6, 30+5, 15+3
    for (const at of [0, 13, 26, 37, 62, 69, 80, 82]) {
      const original = p[at]!;
      p[at] = original + 0.3;
      expectSame(probe.afterParameter(at));
      p[at] = original;
    }
    for (const at of [0, 7, 19]) {
      const original = x[at]!;
      x[at] = original - 0.4;
      expectSame(probe.afterInput(Math.floor(at / 4)));
      x[at] = original;
    }
  });
});

describe("stepNearKink", () => {
  const z = (...v: number[]) => [Float64Array.from(v)];
  it("flags a change of side and a value within twice the step of 0", () => {
    expect(stepNearKink(z(0.5, 1e-7), z(0.5, -1e-7), z(0.5, 3e-7), [0])).toBe(true);
    expect(stepNearKink(z(1.5e-7), z(2.5e-7), z(0.5e-7), [0])).toBe(true);
    expect(stepNearKink(z(3e-7), z(4e-7), z(2e-7), [0])).toBe(false);
    expect(stepNearKink(z(0.5, -0.2), z(0.5 + 1e-6, -0.2), z(0.5 - 1e-6, -0.2), [0])).toBe(false);
    // Layers without a kink are not looked at.
    expect(stepNearKink(z(1e-9), z(-1e-9), z(3e-9), [])).toBe(false);
  });
});

describe("a parameter point on a ReLU kink", () => {
  // 1 -> 2 relu -> 1 linear, mse; hidden unit 0's bias is chosen so its pre-activation for sample 0 is 0.
  const spec = makeSpec(["1->2 relu", "2->1 linear"], "mse");
  const base = interpret(spec);
  const count = 3;
  const x0 = checkInputs(spec, count, 1)[0]!;
  // layout: layer1.weight [2,1] @0, layer1.bias [2] @2, layer2.weight [1,2] @4, layer2.bias [1] @6
  const params = Float64Array.from([0.8, -0.6, -0.8 * x0, 0.3, 1.1, 0.7, 0.05]);
  const module = { ...base, createParameters: () => Float64Array.from(params) };

  it("skips and counts the entries whose step crosses the kink, and still passes the rest", () => {
    const report = checkGradients({ spec, module }, { parameters: "init" });
    expect(report.parameters).toBe("createParameters(1)");
    const w1 = report.rows.find((r) => r.name === "layer1.weight")!;
    const b1 = report.rows.find((r) => r.name === "layer1.bias")!;
    const input = report.rows.find((r) => r.name === "input")!;
    // Perturbing w[0] or b[0] moves z0 of sample 0 across 0; so does perturbing x of sample 0.
    expect(w1.skipped).toBe(1);
    expect(b1.skipped).toBe(1);
    expect(input.skipped).toBe(1);
    expect(report.rows.find((r) => r.name === "layer2.weight")!.skipped).toBe(0);
    expect(report.passed).toBe(true);
  });

  it("those entries would have failed if compared (the skip is not cosmetic)", () => {
    const xs = checkInputs(spec, count, 1);
    const ys = new Float64Array(count);
    // Reproduce the checker's targets (mse, linear output: N(0,1)) via a run of the checker is unnecessary:
    // any targets show the one-sided slopes differ at the kink.
    ys.set([0.3, -0.2, 0.9]);
    const grad = new Float64Array(7);
    const scratch = new Float64Array(7);
    const p = Float64Array.from(params);
    base.lossAndGradient(p, xs, ys, count, grad);
    const eps = 1e-6;
    p[2] = params[2]! + eps;
    const plus = base.lossAndGradient(p, xs, ys, count, scratch);
    p[2] = params[2]! - eps;
    const minus = base.lossAndGradient(p, xs, ys, count, scratch);
    const numeric = (plus - minus) / (2 * eps);
    expect(Math.abs(numeric - grad[2]!) / Math.max(Math.abs(numeric), Math.abs(grad[2]!))).toBeGreaterThan(1e-3);
  });
});
