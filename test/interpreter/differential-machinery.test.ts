// The differential machinery itself: random specs are valid and cover the language; compareModules finds
// nothing between two identical modules and names the place of planted differences.
import { describe, expect, it } from "vitest";
import type { Spec } from "../../src/ir.js";
import type { GeneratedModule } from "../../src/module-api.js";
import { interpret } from "../../src/interpreter/index.js";
import { compareModules, formatMismatches } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";

describe("randomSpec", () => {
  const specs = Array.from({ length: 300 }, (_, seed) => randomSpec(seed));

  it("gives valid specs: chained sizes 1–40, softmax only last, losses that fit the output", () => {
    for (const spec of specs) {
      let width = spec.inputs;
      spec.layers.forEach((layer, i) => {
        const last = i === spec.layers.length - 1;
        if (layer.kind === "dropout") {
          expect(layer.size).toBe(width);
          expect(last).toBe(false);
          expect(layer.rate).toBeGreaterThan(0);
          expect(layer.rate).toBeLessThan(1);
          return;
        }
        if (layer.kind !== "dense") throw new Error(`the random MLP generator made a ${layer.kind} layer`);
        expect(layer.inputs).toBe(width);
        expect(layer.outputs).toBeGreaterThanOrEqual(1);
        expect(layer.outputs).toBeLessThanOrEqual(40);
        if (!last) expect(layer.activation.kind).not.toBe("softmax");
        width = layer.outputs;
      });
      expect(width).toBe(spec.outputs);
      const output = spec.layers[spec.layers.length - 1]!;
      expect(output.kind).toBe("dense");
      if (output.kind !== "dense") continue;
      if (spec.loss.kind === "binary_crossentropy") expect(output.activation.kind).toBe("sigmoid");
      if (spec.loss.kind === "categorical_crossentropy") expect(output.activation.kind).toBe("softmax");
      if (output.activation.kind === "softmax") expect(spec.outputs).toBeGreaterThanOrEqual(2);
      expect(() => interpret(spec)).not.toThrow();
    }
  });

  it("covers every activation, loss, optimiser, schedule, init, dropout, L2 and precision", () => {
    const seen = new Set<string>();
    for (const spec of specs) {
      const dense = spec.layers.filter((l) => l.kind === "dense");
      dense.forEach((l) => seen.add(`act:${l.activation.kind}`));
      seen.add(`loss:${spec.loss.kind}`);
      seen.add(`opt:${spec.training.optimizer.kind}`);
      if (spec.training.optimizer.kind === "momentum") seen.add(`nesterov:${spec.training.optimizer.nesterov}`);
      seen.add(`schedule:${spec.training.schedule.kind}`);
      seen.add(`init:${spec.init.scheme.kind}`);
      seen.add(`dropout:${spec.layers.some((l) => l.kind === "dropout")}`);
      seen.add(`l2:${spec.training.weightDecay > 0}`);
      seen.add(`precision:${spec.precision}`);
      seen.add(`depth:${dense.length}`);
      seen.add(`shuffle:${spec.training.shuffle}`);
      spec.training.stop.forEach((s) => seen.add(`stop:${s.kind}`));
    }
    const expected = [
      ...["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"].map((a) => `act:${a}`),
      ...["mse", "binary_crossentropy", "categorical_crossentropy"].map((l) => `loss:${l}`),
      ...["sgd", "momentum", "rmsprop", "adam"].map((o) => `opt:${o}`),
      "nesterov:true",
      "nesterov:false",
      ...["constant", "step", "exponential", "cosine"].map((s) => `schedule:${s}`),
      ...["normal", "uniform", "xavier", "he", "zeros"].map((i) => `init:${i}`),
      "dropout:true",
      "dropout:false",
      "l2:true",
      "l2:false",
      "precision:f64",
      "precision:f32",
      "depth:1",
      "depth:2",
      "depth:3",
      "depth:4",
      "shuffle:true",
      "shuffle:false",
      "stop:loss_below",
      "stop:accuracy_above",
      "stop:early",
    ];
    expect(expected.filter((e) => !seen.has(e))).toEqual([]);
  });

  it("is deterministic per seed", () => {
    expect(randomSpec(17)).toEqual(randomSpec(17));
    expect(randomSpec(17)).not.toEqual(randomSpec(18));
  });
});

/** The interpreter with one operation replaced. */
function mutant(spec: Spec, change: (m: GeneratedModule) => Partial<GeneratedModule>): GeneratedModule {
  const m = interpret(spec);
  return { ...m, ...change(m) };
}

describe("compareModules", () => {
  it("finds nothing between two interpreters of the same spec (30 random specs, f32 ones included)", () => {
    for (let seed = 1000; seed < 1030; seed++) {
      const spec = randomSpec(seed, { maxSize: 12 });
      const mismatches = compareModules(interpret(spec), interpret(spec), spec);
      expect(mismatches, formatMismatches(mismatches)).toEqual([]);
    }
  });

  const spec = randomSpec(5, { maxSize: 6, loss: "mse", dropout: false, stop: false, precision: "f64" });

  it("names the tensor and index of a gradient entry off by 1e-9 relative", () => {
    const last = spec.layers.filter((l) => l.kind === "dense").length;
    const b = mutant(spec, (m) => ({
      lossAndGradient: (...args) => {
        const loss = m.lossAndGradient(...args);
        const grad = args[4];
        grad[grad.length - 1] = grad[grad.length - 1]! * (1 + 1e-9) + 1e-9;
        return loss;
      },
    }));
    const mismatches = compareModules(interpret(spec), b, spec);
    expect(mismatches.find((m) => m.what === "lossAndGradient.grad (eval)")?.where).toBe(`layer${last}.bias[${spec.outputs - 1}]`);
  });

  it("catches a step that uses the wrong epoch's learning rate", () => {
    const scheduled: Spec = { ...spec, training: { ...spec.training, schedule: { kind: "exponential", gamma: 0.5, min: 0 } } };
    const b = mutant(scheduled, (m) => ({ step: (p, g, s, e) => m.step(p, g, s, e + 1) }));
    const what = new Set(compareModules(interpret(scheduled), b, scheduled).map((m) => m.what));
    expect(what.has("step(epoch 0).params")).toBe(true);
    expect(what.has("step(epoch 0).grad with L2")).toBe(false);
  });

  it("catches a different batch order in train()", () => {
    const shuffled: Spec = { ...spec, training: { ...spec.training, shuffle: true, batchSize: 2 } };
    const plain: Spec = { ...shuffled, training: { ...shuffled.training, shuffle: false } };
    const b = mutant(shuffled, () => ({ train: interpret(plain).train }));
    const what = new Set(compareModules(interpret(shuffled), b, shuffled).map((m) => m.what));
    expect(what.has("train onBatch losses")).toBe(true);
    expect(what.has("train params")).toBe(true);
  });

  it("catches dropout masks drawn from another seed", () => {
    const withDropout = randomSpec(7, { maxSize: 6 });
    withDropout.layers.splice(1, 0, { kind: "dropout", size: (withDropout.layers[0] as { outputs: number }).outputs, rate: 0.5, range: null });
    if (withDropout.layers[0]!.kind !== "dense" || withDropout.layers.length < 3) {
      withDropout.layers = [
        { kind: "dense", inputs: withDropout.inputs, outputs: 5, activation: { kind: "tanh", alpha: 0 }, range: null },
        { kind: "dropout", size: 5, rate: 0.5, range: null },
        { kind: "dense", inputs: 5, outputs: withDropout.outputs, activation: { kind: "linear", alpha: 0 }, range: null },
      ];
      withDropout.loss = { kind: "mse", written: "mse", range: null };
    }
    const b = mutant(withDropout, (m) => ({
      lossAndGradient: (p, xs, ys, n, g, o) => m.lossAndGradient(p, xs, ys, n, g, o && { ...o, dropoutSeed: (o.dropoutSeed ?? 0) + 1 }),
    }));
    const what = new Set(compareModules(interpret(withDropout), b, withDropout).map((m) => m.what));
    expect(what.has("lossAndGradient.grad (training)")).toBe(true);
    expect(what.has("lossAndGradient.grad (eval)")).toBe(false);
  });

  it("holds f64 modules to 1e-12 but float32 rounding passes for f32 specs", () => {
    const rounded = (s: Spec) => mutant(s, (m) => ({ predict: (p, x) => Float32Array.from(m.predict(p, x)) }));
    const f32: Spec = { ...spec, precision: "f32" };
    const f64Mismatches = compareModules(interpret(spec), rounded(spec), spec).filter((m) => m.what.startsWith("predict"));
    expect(f64Mismatches.length).toBeGreaterThan(0);
    expect(compareModules(interpret(f32), rounded(f32), f32)).toEqual([]);
  });
});
