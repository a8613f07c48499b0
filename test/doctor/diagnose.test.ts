// The doctor's pure diagnosis on hand-made histories and probes: each finding fires on its failure, with the
// right numbers, and stays silent on healthy runs.
import { describe, expect, test } from "vitest";
import { diagnose, type DoctorInput } from "../../src/doctor/index.js";
import type { Probes } from "../../src/doctor/probes.js";

const rows = (losses: number[], first = 1) => losses.map((loss, i) => ({ epoch: first + i, loss, accuracy: null }));

function input(over: Partial<DoctorInput>): DoctorInput {
  return {
    learningRate: 0.5,
    loss: "mse",
    outputActivation: "sigmoid",
    normalize: "z_score",
    stoppedBy: "epochs",
    epochs: 100,
    history: rows(Array.from({ length: 100 }, (_, i) => 1 / (1 + i))),
    probes: null,
    init: "xavier",
    initProbes: null,
    leakyStatements: {},
    ...over,
  };
}

const saturatedProbes: Probes = {
  samples: 4,
  loss: 0.25,
  inputMeanAbs: [64.05, 169.5],
  layers: [
    {
      layer: 1,
      activation: "sigmoid",
      units: 2,
      saturatedFraction: 1,
      hidden: true,
      deadUnits: null,
      deadOf: 2,
      weightGradientNorm: 1e-72,
      biasGradientNorm: 1e-74,
    },
    {
      layer: 2,
      activation: "sigmoid",
      units: 1,
      saturatedFraction: 0,
      hidden: false,
      deadUnits: null,
      deadOf: 1,
      weightGradientNorm: 7.8e-5,
      biasGradientNorm: 1e-5,
    },
  ],
};

describe("diagnose", () => {
  test("a smoothly falling loss gives no findings", () => {
    expect(diagnose(input({}))).toEqual([]);
  });

  test("non-finite in an evaluation or a batch: the epoch after the last finite one (report.epochs counts the weights kept)", () => {
    expect(diagnose(input({ stoppedBy: "non_finite", epochs: 29, history: rows([1, 2]).map((r) => ({ ...r, epoch: r.epoch * 10 })) }))[0]!.figures.epoch).toBe(
      30,
    );
    expect(diagnose(input({ stoppedBy: "non_finite", epochs: 25, history: rows([1, 2]).map((r) => ({ ...r, epoch: r.epoch * 10 })) }))[0]!.figures.epoch).toBe(
      26,
    );
    expect(diagnose(input({ stoppedBy: "non_finite", epochs: 0, history: [] }))[0]!.figures.epoch).toBe(1);
  });

  test("non-finite in a batch: names the epoch after the last completed one, the growth, and a 10× smaller lr", () => {
    const [f, ...rest] = diagnose(
      input({ stoppedBy: "non_finite", epochs: 5, outputActivation: "linear", learningRate: 0.3, history: rows([595.5, 1.9e6, 1.3e17, 4e49, 1.3e147]) }),
    );
    expect(rest).toEqual([]);
    expect(f!.kind).toBe("non_finite");
    expect(f!.figures).toMatchObject({ epoch: 6, learningRate: 0.3, firstLoss: 595.5, lastFiniteLoss: 1.3e147 });
    expect(f!.summary).toContain("during epoch 6");
    expect(f!.details[0]).toContain("595.5 (epoch 1) to 1.30e+147 (epoch 5)");
    expect(f!.cause).toContain("linear (unbounded)");
    expect(f!.fix).toContain("lr=0.03");
  });

  test("non-finite with a bounded output blames the learning rate, and suggests normalising large raw inputs", () => {
    const probes = { ...saturatedProbes, layers: [] };
    const [f] = diagnose(input({ stoppedBy: "non_finite", epochs: 0, history: [], normalize: "none", probes }));
    expect(f!.summary).toContain("epoch 1");
    expect(f!.cause).toContain("learning rate 0.5 is too large");
    expect(f!.fix).toContain("normalize z-score");
  });

  test("oscillation: many rises, one of them ≥ 10 %", () => {
    const losses = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 0.2 : 0.35));
    const [f] = diagnose(input({ learningRate: 30, history: rows(losses) }));
    expect(f!.kind).toBe("unstable");
    expect(f!.figures.pattern).toBe("oscillating");
    expect(f!.figures.window).toBe(50);
    expect(f!.figures.largestRise).toBeCloseTo(0.75, 12);
    expect(f!.figures.risingFraction).toBeCloseTo(25 / 49, 12);
    expect(f!.fix).toContain("lr=3");
  });

  test("a small 2-cycle ripple (< 10 % per rise) on a falling loss is not an oscillation", () => {
    const losses = Array.from({ length: 60 }, (_, i) => 0.2 - i * 0.0005 + (i % 2 === 0 ? 0 : 0.003));
    expect(diagnose(input({ history: rows(losses) }))).toEqual([]);
  });

  test("rising: the loss ends ≥ 1.5× its best", () => {
    const losses = [...Array.from({ length: 20 }, (_, i) => 1 - i * 0.04), ...Array.from({ length: 20 }, (_, i) => 0.24 * 1.05 ** (i + 1))];
    const [f] = diagnose(input({ history: rows(losses) }));
    expect(f!.kind).toBe("unstable");
    expect(f!.figures.pattern).toBe("rising");
    expect(f!.figures.bestEpoch).toBe(20);
    expect(f!.summary).toContain(`${(1.05 ** 20).toPrecision(3)}×`);
  });

  test("saturated: stuck loss plus a saturated sigmoid layer; reports fractions, gradient norms and z-score", () => {
    const history = rows(Array.from({ length: 100 }, (_, i) => 0.2691 - (0.0191 * i) / 99));
    const [f, ...rest] = diagnose(input({ normalize: "none", probes: saturatedProbes, history }));
    expect(rest).toEqual([]);
    expect(f!.kind).toBe("saturated");
    expect(f!.figures).toMatchObject({ layer: 1, saturatedFraction: 1, inputMeanAbs: 169.5, layer1GradientNorm: 1e-72 });
    expect(f!.details.join("\n")).toContain("layer 1 (2 sigmoid): 100 % of its activations are saturated");
    expect(f!.details.join("\n")).toContain("layer 1 1.00e-72, layer 2 7.80e-5");
    expect(f!.fix).toContain("normalize z-score");
  });

  test("saturation is not reported when the loss fell (> 10 %) or a stop target was reached", () => {
    expect(diagnose(input({ probes: saturatedProbes }))).toEqual([]);
    const flat = rows(Array.from({ length: 10 }, () => 0.25));
    expect(diagnose(input({ probes: saturatedProbes, history: flat, stoppedBy: "loss_below" }))).toEqual([]);
    expect(diagnose(input({ probes: saturatedProbes, history: flat })).map((f) => f.kind)).toEqual(["saturated"]);
    const unsaturated = { ...saturatedProbes, layers: saturatedProbes.layers.map((l) => ({ ...l, saturatedFraction: 0.4 })) };
    expect(diagnose(input({ probes: unsaturated, history: flat }))).toEqual([]);
  });

  test("an oscillating loss that happens to end high is unstable, not stuck (planar-oscillate.nn at lr 30)", () => {
    // Down to 0.16 and back up to 1.0 at the last evaluation, every few epochs, with saturated units at the end.
    const losses = [0.69, ...Array.from({ length: 59 }, (_, i) => (i % 3 === 0 ? 0.16 : 0.5)), 1.0];
    const kinds = diagnose(input({ probes: saturatedProbes, history: rows(losses) })).map((f) => f.kind);
    expect(kinds).toEqual(["unstable"]);
    // The same end after a window that never fell below 90 % of the first is stuck.
    const stuck = [0.69, ...Array.from({ length: 59 }, (_, i) => (i % 3 === 0 ? 0.65 : 0.7)), 1.0];
    expect(diagnose(input({ probes: saturatedProbes, history: rows(stuck) })).map((f) => f.kind)).toContain("saturated");
  });
});
