// A new layer kind through the layer-rule table alone (issue 13): the per-unit scale y = s ⊙ x of
// test/support/scale-layer.ts is one rule entry and its maths; registered here, it is planned, emitted in
// every code shape its rule supports, gradient-checked against finite differences, compared with the
// float64 reference interpreter, and trained — with no change to src/.
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted, type CompileOptions } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { checkGradients } from "../../src/check/index.js";
import { planSpec, formatPlan } from "../../src/plan.js";
import type { ActivationKind, Layer, LossKind, Spec } from "../../src/ir.js";
import { compareModules, formatMismatches } from "../support/differential.js";
import { registerScaleLayer, scaleLayer } from "../support/scale-layer.js";

registerScaleLayer();

function dense(inputs: number, outputs: number, kind: ActivationKind): Layer {
  return { kind: "dense", inputs, outputs, activation: { kind, alpha: kind === "leaky_relu" ? 0.1 : 0 }, range: null };
}

/** 3 → scale → fc 3→5 tanh → scale → fc 5→K out, with the loss that fits the output. */
function scaleSpec(name: string, loss: LossKind, output: ActivationKind, outputs: number, batchSize: number): Spec {
  return {
    name,
    fileName: `${name}.nn`,
    sourceHash: "0".repeat(64),
    inputs: 3,
    inputShape: [3],
    outputs,
    classes: null,
    layers: [scaleLayer(3), dense(3, 5, "tanh"), scaleLayer(5), dense(5, outputs, output)],
    loss: { kind: loss, written: loss === "mse" ? "mse" : "crossentropy", range: null },
    init: { scheme: { kind: "normal", std: 0.5 }, seed: 7, range: null },
    training: {
      optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      learningRate: 0.02,
      epochs: 3,
      batchSize,
      shuffle: true,
      weightDecay: 0.001,
      schedule: { kind: "constant" },
      stop: [],
      seed: 5,
      range: null,
    },
    data: null,
    precision: "f64",
    variables: {},
    sweeps: [],
  };
}

const SPECS = [
  scaleSpec("scale_mse", "mse", "linear", 2, 4),
  scaleSpec("scale_bce", "binary_crossentropy", "sigmoid", 1, 5),
  scaleSpec("scale_softmax", "categorical_crossentropy", "softmax", 3, 6),
];

/** Every code shape the scale rule supports, forced through the plan options. */
const SHAPES: [string, CompileOptions, string][] = [
  ["per-sample unrolled", { unrollLimit: Infinity }, "per-sample"],
  ["per-sample loops", { unrollLimit: 0, batchShape: "per-sample" }, "per-sample"],
  ["blocked TS", { batchShape: "blocked", kernel: "ts", chunkLimit: 3 }, "blocked"],
  ["blocked WebAssembly kernels", { batchShape: "blocked", chunkLimit: 3 }, "blocked"],
];

describe("a layer kind added through the rule table alone (per-unit scale)", () => {
  it("is planned through its rule: layout, buffers, and the fused body refused with the rule's reason", () => {
    const plan = planSpec(SPECS[0]!, { unrollLimit: Infinity, sampleShape: "fused" });
    expect(plan.layout.map((t) => `${t.name}@${t.offset}`)).toEqual([
      "layer1.scale@0",
      "layer2.weight@3",
      "layer2.bias@18",
      "layer3.scale@23",
      "layer4.weight@28",
      "layer4.bias@38",
    ]);
    expect(plan.parameters).toBe(40);
    expect(plan.sample.shape).toBe("layers");
    expect(plan.sample.reason).toBe("layer 1: the test's scale layer has no fused code");
    expect(formatPlan(plan)).toContain("layer 3 scale 5: unrolled");
    expect(interpret(SPECS[0]!).meta.layout).toEqual(plan.layout);
  });

  for (const spec of SPECS) {
    for (const [label, options, batch] of SHAPES) {
      it(`${spec.name}, ${label}: the module equals the interpreter (1e-12) and passes the gradient check`, async () => {
        const compiled = compileSpecUnformatted(spec, options);
        expect(compiled.plan.batch.shape).toBe(batch);
        if (label.includes("kernels")) expect(compiled.plan.batch.kernel.kind).toBe("wasm");
        const module = await loadModule(compiled.text);
        expect(formatMismatches(compareModules(module, interpret(spec), spec, { samples: 7, trainSamples: 10, epochs: 2 }))).toBe("");
        const report = checkGradients({ spec, module });
        expect(report.rows.filter((r) => r.status !== "pass").map((r) => `${r.name}: ${r.note ?? ""}`)).toEqual([]);
        expect(report.passed).toBe(true);
        expect(report.rows.map((r) => r.name)).toContain("layer3.scale");
      });
    }
  }

  it("trains: the scale weights move and the loss falls (per-sample and blocked modules give the same numbers)", async () => {
    const spec = {
      ...scaleSpec("scale_train", "mse", "linear", 1, 8),
      training: { ...scaleSpec("x", "mse", "linear", 1, 8).training, epochs: 40, weightDecay: 0 },
    };
    // y = 2·x0 − x1 + 0.5·x2 on 64 fixed points.
    const count = 64;
    const xs = Float64Array.from({ length: count * 3 }, (_, i) => Math.sin(1.7 * i + 0.3));
    const ys = Float64Array.from({ length: count }, (_, s) => 2 * xs[3 * s]! - xs[3 * s + 1]! + 0.5 * xs[3 * s + 2]!);
    const perSample = await loadModule(compileSpecUnformatted(spec, { batchShape: "per-sample" }).text);
    const blocked = await loadModule(compileSpecUnformatted(spec, { batchShape: "blocked", chunkLimit: 3 }).text);
    const runs = [perSample, blocked].map((m) => {
      const params = m.createParameters();
      const before = Float64Array.from(params);
      const report = m.train(params, xs, ys, count);
      return { before, params, history: report.history.map((h) => h.loss) };
    });
    const [first, second] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(first.history.at(-1)!).toBeLessThan(first.history[0]! / 4);
    expect(Array.from(first.params.subarray(0, 3))).not.toEqual(Array.from(first.before.subarray(0, 3)));
    expect(Array.from(second.params)).toEqual(Array.from(first.params));
  });
});
