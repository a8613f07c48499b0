// The doctor's dead-ReLU finding: the probes find the units that are 0 on every sample (checked against
// weights chosen so the sign of each unit's sum is known by hand), the diagnosis reports them only in hidden
// layers and only when at least half a layer is dead, and the case a new user met — a 1-2-1 relu net fitting
// x² that ends at loss 0.89 with "no problems found" — is now named, with a fix that was measured to work.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { diagnose, probeNetwork, type DoctorInput, type LayerProbe, type Probes } from "../../src/doctor/index.js";
import { loadSpec, parseSpec } from "../../src/front/index.js";
import { trainSpec, withSeed } from "../../src/train/run.js";

const NET = `model dead
layer fc 1->3 relu
layer fc 3->1 relu
loss mse
sgd lr=0.1 epochs=1
row 0 -> 0
`;

describe("probeNetwork: dead relu units", () => {
  const spec = parseSpec(NET, "dead.nn").spec!;
  // Layer 1: unit 1 = relu(x − 10) (x ≤ 2: always 0), unit 2 = relu(x) (positive for x > 0),
  // unit 3 = relu(−x + 5) (always positive); layer 2 (the output) = relu(−a1 − a2 − a3 − 100): always 0.
  const params = Float64Array.from([1, 1, -1, -10, 0, 5, -1, -1, -1, -100]);
  const xs = Float64Array.from([-2, -1, 0.5, 2]);
  const ys = new Float64Array(4);

  test("the units 0 for every sample, in hidden layers and in the output layer", () => {
    const p = probeNetwork(spec, params, xs, ys, 4);
    expect(p.layers.map((l) => [l.layer, l.hidden, l.deadUnits, l.deadOf])).toEqual([
      [1, true, [1], 3],
      [2, false, [1], 1],
    ]);
  });

  test("a unit positive on a single sample is alive", () => {
    // Only x = 2 makes unit 1 positive once its bias is −1.5.
    const p = probeNetwork(spec, Float64Array.from([1, 1, -1, -1.5, 0, 5, -1, -1, -1, -100]), xs, ys, 4);
    expect(p.layers[0]!.deadUnits).toEqual([]);
  });

  test("a conv layer's unit is a filter: dead when all its positions are 0", () => {
    const conv = parseSpec(`model c\ninput 1x2x2\nlayer conv 2 relu kernel=1\nlayer flatten\nlayer fc 8->1\nloss mse\nsgd lr=0.1 epochs=1\n`, "c.nn").spec!;
    // Filter 1: w = 1, b = −10 (0 everywhere on inputs ≤ 1); filter 2: w = 1, b = 0 (positive at the one positive pixel).
    const at = new Float64Array(2 + 2 + 8 + 1);
    at.set([1, 1, -10, 0]);
    const p = probeNetwork(conv, at, Float64Array.from([-1, -1, 1, -1]), new Float64Array(1), 1);
    expect(p.layers[0]).toMatchObject({ deadUnits: [1], deadOf: 2, units: 8, hidden: true });
  });
});

const layer = (over: Partial<LayerProbe>): LayerProbe => ({
  layer: 1,
  activation: "relu",
  units: 2,
  saturatedFraction: null,
  hidden: true,
  deadUnits: [],
  deadOf: 2,
  weightGradientNorm: 0.1,
  biasGradientNorm: 0.1,
  ...over,
});
const probes = (...layers: LayerProbe[]): Probes => ({ samples: 200, loss: 0.89, inputMeanAbs: [1], layers });

function input(over: Partial<DoctorInput>): DoctorInput {
  return {
    learningRate: 0.1,
    loss: "mse",
    outputActivation: "linear",
    normalize: "none",
    stoppedBy: "epochs",
    epochs: 200,
    history: Array.from({ length: 200 }, (_, i) => ({ epoch: i + 1, loss: 0.89 + 1 / (1 + i), accuracy: null })),
    probes: null,
    init: "xavier",
    initProbes: null,
    leakyStatements: { 1: "layer fc 1->2 leaky_relu(0.1)" },
    ...over,
  };
}

describe("diagnose: dead_relu", () => {
  test("half of a hidden layer dead after training, alive at init: leaky_relu, more units, a smaller lr", () => {
    const findings = diagnose(input({ probes: probes(layer({ deadUnits: [2] })), initProbes: probes(layer({ deadUnits: [] })) }));
    expect(findings.map((f) => f.kind)).toEqual(["dead_relu"]);
    const f = findings[0]!;
    expect(f.summary).toBe("1 of layer 1's 2 relu units is dead after training: 0 for every training sample, so the layer works with 1 instead of 2");
    expect(f.details).toEqual(["layer 1 (2 relu units): unit 2 is 0 for all 200 training samples probed; alive at init: it died in training"]);
    expect(f.fix).toContain("`layer fc 1->2 leaky_relu(0.1)`");
    expect(f.fix).toContain("lr=0.01");
    expect(f.fix).not.toContain("init he");
    expect(f.figures).toMatchObject({ layer: 1, deadUnits: 1, units: 2, when: "after training", initDeadUnits: 0 });
  });

  test("dead since init: `init he` is suggested instead of a smaller learning rate", () => {
    const dead = layer({ units: 4, deadOf: 4, deadUnits: [1, 3, 4] });
    const f = diagnose(input({ probes: probes(dead), initProbes: probes(dead) }))[0]!;
    expect(f.summary).toMatch(/^3 of layer 1's 4 relu units are dead after training/);
    expect(f.details[0]).toContain("units 1, 3 and 4 are 0 for all 200 training samples probed; they were already dead at init (`init xavier`)");
    expect(f.fix).toContain("`init he`");
    expect(f.fix).not.toContain("lr=");
  });

  test("a whole layer dead: the output no longer depends on the input", () => {
    const f = diagnose(input({ probes: probes(layer({ deadUnits: [1, 2] })) }))[0]!;
    expect(f.summary).toContain("so the network's output no longer depends on its input");
  });

  test("silent: no dead units, fewer than half dead, a dead output layer, non-relu layers", () => {
    expect(diagnose(input({ probes: probes(layer({ deadUnits: [] })) }))).toEqual([]);
    expect(diagnose(input({ probes: probes(layer({ units: 32, deadOf: 32, deadUnits: [1, 2, 3, 4, 5, 6, 7, 8] })) }))).toEqual([]);
    expect(diagnose(input({ probes: probes(layer({ hidden: false, deadUnits: [1, 2] })) }))).toEqual([]);
    expect(diagnose(input({ probes: probes(layer({ activation: "tanh", deadUnits: null, saturatedFraction: 0 })) }))).toEqual([]);
  });

  test("a diverged run: its init is probed, and units dead there are reported as at init", () => {
    const f = diagnose(
      input({ stoppedBy: "non_finite", epochs: 3, history: [], probes: probes(layer({ deadUnits: [] })), initProbes: probes(layer({ deadUnits: [1] })) }),
    );
    expect(f.map((x) => x.kind)).toEqual(["non_finite", "dead_relu"]);
    expect(f[1]!.summary).toMatch(/^1 of layer 1's 2 relu units is dead at init/);
  });
});

describe("the 1-2-1 relu net a new user tried", () => {
  const dir = mkdtempSync(join(tmpdir(), "nnc-dead-relu-"));
  const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };
  const run = async (activation: string) => {
    const path = join(dir, `${activation.replace(/\W/g, "")}.nn`);
    writeFileSync(
      path,
      `model relu121\ndata square n=200 min=-2 max=2\nlayer fc 1->2 ${activation}\nlayer fc 2->1 linear\nloss mse\nsgd lr=0.1 epochs=200 batch=20 shuffle\n`,
    );
    return trainSpec(withSeed(loadSpec(path), 3), dir, { mode: "json", streams: quiet, diagnose: true });
  };

  test("relu: loss ≈ 0.89 with one unit dead is no longer 'no problems found'", async () => {
    const r = await run("relu");
    expect(r.trainEval.loss).toBeGreaterThan(0.8);
    const dead = r.findings.find((f) => f.kind === "dead_relu");
    expect(dead, JSON.stringify(r.findings)).toBeDefined();
    expect(dead!.figures).toMatchObject({ layer: 1, deadUnits: 1, units: 2, when: "after training" });
    expect(dead!.fix).toContain("`layer fc 1->2 leaky_relu(0.1)`");
  }, 60_000);

  test("the suggested leaky_relu(0.1): no dead units, and the loss falls far below", async () => {
    const r = await run("leaky_relu(0.1)");
    expect(r.findings.map((f) => f.kind)).not.toContain("dead_relu");
    expect(r.trainEval.loss).toBeLessThan(0.3);
  }, 60_000);
});
