// The checker against the reference interpreter (correct gradients: must pass) and against modules whose
// gradient is corrupted in JS (must fail, naming the tensor). The numeric side is the oracle here.
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/interpreter/index.js";
import { checkGradients, checkInputs, checkTargets, entriesToCheck, formatCheckReport, entryFails, relativeError } from "../../src/check/index.js";
import type { SpecReport } from "../../src/check/index.js";
import { corrupted, makeSpec } from "./fixtures.js";

function failing(report: SpecReport): string[] {
  return report.rows.filter((r) => r.status === "fail").map((r) => r.name);
}

const correct = [
  makeSpec(["2->4 tanh", "4->1 sigmoid"], "binary_crossentropy"),
  makeSpec(["6->5 sigmoid", "5->4 sigmoid"], "binary_crossentropy"),
  makeSpec(["5->8 relu", "dropout:0.3", "8->6 leaky_relu(0.1)", "6->3 softmax"], "categorical_crossentropy"),
  makeSpec(["3->5 relu", "5->2 linear"], "mse"),
  makeSpec(["3->4 tanh", "4->2 sigmoid"], "mse"),
  makeSpec(["4->3 linear"], "mse"),
];

describe("checkGradients on the reference interpreter", () => {
  for (const spec of correct) {
    it(`passes ${spec.layers.map((l) => (l.kind === "dense" ? `${l.inputs}->${l.outputs} ${l.activation.kind}` : `dropout`)).join(", ")} / ${spec.loss.kind}`, () => {
      const report = checkGradients({ spec, module: interpret(spec) });
      expect(failing(report)).toEqual([]);
      expect(report.passed).toBe(true);
      // Every tensor plus the input is a row, and every entry of these small tensors was compared or skipped.
      expect(report.rows.map((r) => r.name)).toEqual([...interpret(spec).meta.layout.map((t) => t.name), "input"]);
      for (const row of report.rows) expect(row.checked + row.skipped).toBe(row.entries);
      expect(report.rows.every((r) => r.checked > 0)).toBe(true);
    });
  }

  it("checks dropout specs in training mode with a fixed dropout seed, and eval mode otherwise", () => {
    expect(checkGradients({ spec: correct[2]!, module: interpret(correct[2]!) }).training).toBe(true);
    expect(checkGradients({ spec: correct[0]!, module: interpret(correct[0]!) }).training).toBe(false);
  });

  it("samples at most `cap` entries of a large tensor, seeded", () => {
    const spec = makeSpec(["30->20 sigmoid", "20->3 softmax"], "categorical_crossentropy");
    const report = checkGradients({ spec, module: interpret(spec) }, { cap: 50 });
    const w1 = report.rows.find((r) => r.name === "layer1.weight")!;
    expect(w1.entries).toBe(600);
    expect(w1.checked).toBe(50);
    expect(report.passed).toBe(true);
  });
});

describe("checkGradients on corrupted gradients", () => {
  const spec = makeSpec(["3->4 tanh", "4->2 sigmoid"], "binary_crossentropy");
  const module = interpret(spec);
  const layout = (name: string) => module.meta.layout.find((t) => t.name === name)!;

  const cases: { what: string; corrupt: Parameters<typeof corrupted>[1]; expected: string[] }[] = [
    { what: "one weight entry's sign flipped", corrupt: (g) => void (g[layout("layer1.weight").offset + 5]! *= -1), expected: ["layer1.weight"] },
    { what: "a bias gradient dropped", corrupt: (g) => g.fill(0, layout("layer2.bias").offset, layout("layer2.bias").offset + 2), expected: ["layer2.bias"] },
    {
      what: "two weight entries swapped (wrong index)",
      corrupt: (g) => {
        const o = layout("layer2.weight").offset;
        [g[o], g[o + 3]] = [g[o + 3]!, g[o]!];
      },
      expected: ["layer2.weight"],
    },
    {
      what: "output-layer gradient off by 1 %",
      corrupt: (g) => {
        for (let i = layout("layer2.weight").offset; i < g.length; i++) g[i]! *= 1.01;
      },
      expected: ["layer2.weight", "layer2.bias"],
    },
    { what: "input gradient halved", corrupt: (_g, gx) => gx?.forEach((v, i) => (gx[i] = v / 2)), expected: ["input"] },
  ];
  for (const c of cases) {
    it(`fails on ${c.what}, naming ${c.expected.join(", ")}`, () => {
      const report = checkGradients({ spec, module: corrupted(module, c.corrupt) });
      expect(report.passed).toBe(false);
      expect(failing(report)).toEqual(c.expected);
      const row = report.rows.find((r) => r.name === c.expected[0])!;
      expect(row.worst.length).toBeGreaterThan(0);
      expect(formatCheckReport({ tool: "nnc check", passed: false, specs: [report] })).toContain(`FAIL ${c.expected[0]}`);
    });
  }

  it("fails a NaN gradient", () => {
    const report = checkGradients({ spec, module: corrupted(module, (g) => void (g[0] = NaN)) });
    expect(failing(report)).toEqual(["layer1.weight"]);
  });
});

describe("f32 modules", () => {
  // The interpreter of an f32 spec computes in float64 but stores into the Float32Arrays it is given: a
  // faithful stand-in for a float32 module (rounding only at the boundaries).
  const spec32 = makeSpec(["5->6 tanh", "6->3 softmax"], "categorical_crossentropy", "f32");
  const spec64 = { ...spec32, precision: "f64" as const };

  it("runs the finite differences on the float64 build and compares the f32 module with it", () => {
    const report = checkGradients({ spec: spec32, module: interpret(spec32), float64Module: interpret(spec64) });
    expect(report.precision).toBe("f32");
    expect(report.rows.slice(-3).map((r) => r.name)).toEqual(["f32 loss", "f32 gradient", "f32 input"]);
    expect(failing(report)).toEqual([]);
  });

  it("fails when the f32 module's gradient is off", () => {
    const bad = corrupted(interpret(spec32), (g) => void (g[3]! *= 1.05));
    const report = checkGradients({ spec: spec32, module: bad, float64Module: interpret(spec64) });
    expect(failing(report)).toEqual(["f32 gradient"]);
    expect(report.rows.find((r) => r.name === "f32 gradient")!.worst[0]!.position).toBe("layer1.weight[0,3]");
  });

  it("refuses an f32 module without a float64 build", () => {
    expect(() => checkGradients({ spec: spec32, module: interpret(spec32) })).toThrow(/float64 build/);
  });
});

describe("parameters, batch and targets", () => {
  it("falls back to random parameters when createParameters gives an all-zero weight tensor", () => {
    const spec = makeSpec(["3->4 tanh", "4->2 sigmoid"], "binary_crossentropy");
    const zeros = { ...interpret(spec), createParameters: () => new Float64Array(interpret(spec).meta.parameters) };
    const report = checkGradients({ spec, module: zeros }, { parameters: "init" });
    expect(report.parameters).toMatch(/all-zero/);
    expect(report.passed).toBe(true);
    const init = checkGradients({ spec, module: interpret(spec) }, { parameters: "init" });
    expect(init.parameters).toBe("createParameters(1)");
  });

  it("draws valid targets: one-hot for softmax, 0/1 for sigmoid cross-entropy", () => {
    const soft = makeSpec(["3->5 softmax"], "categorical_crossentropy");
    const ys = checkTargets(soft, 20, 7);
    for (let s = 0; s < 20; s++) {
      const row = Array.from(ys.subarray(s * 5, s * 5 + 5));
      expect(row.filter((v) => v === 1)).toHaveLength(1);
      expect(row.filter((v) => v === 0)).toHaveLength(4);
    }
    const bce = checkTargets(makeSpec(["3->5 sigmoid"], "binary_crossentropy"), 20, 7);
    expect(bce.every((v) => v === 0 || v === 1)).toBe(true);
    expect(new Set(bce).size).toBe(2);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const spec = makeSpec(["3->4 tanh", "4->2 sigmoid"], "binary_crossentropy");
    expect(checkInputs(spec, 4, 3)).toEqual(checkInputs(spec, 4, 3));
    expect(checkInputs(spec, 4, 3)).not.toEqual(checkInputs(spec, 4, 4));
    const a = checkGradients({ spec, module: interpret(spec) }, { seed: 9 });
    const b = checkGradients({ spec, module: interpret(spec) }, { seed: 9 });
    expect(a.rows).toEqual(b.rows);
  });

  it("samples distinct sorted entries, all of them up to the cap", () => {
    expect(Array.from(entriesToCheck(5, 10, 1, 0))).toEqual([0, 1, 2, 3, 4]);
    const sample = Array.from(entriesToCheck(1000, 100, 1, 0));
    expect(sample).toHaveLength(100);
    expect(new Set(sample).size).toBe(100);
    expect(sample).toEqual([...sample].sort((x, y) => x - y));
    expect(sample.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(Array.from(entriesToCheck(1000, 100, 1, 1))).not.toEqual(sample);
  });
});

describe("the pass rule", () => {
  it("uses |a − n| / max(|a|, |n|, 1e-12)", () => {
    expect(relativeError(1, 1.001)).toBeCloseTo(0.001 / 1.001, 12);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(0, 1e-13)).toBeCloseTo(0.1, 12);
  });
  it("fails only when both the relative and the absolute error are large", () => {
    expect(entryFails(1, 1 + 1e-4, 1e-5, 1e-8)).toBe(true);
    expect(entryFails(1, 1 + 1e-6, 1e-5, 1e-8)).toBe(false);
    expect(entryFails(1e-10, 3e-10, 1e-5, 1e-8)).toBe(false);
    expect(entryFails(NaN, 1, 1e-5, 1e-8)).toBe(true);
  });
});
