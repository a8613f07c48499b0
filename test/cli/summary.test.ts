// `nnc parse --summary`: the model summary table (src/summary.ts), per layer its kind, output shape, parameters
// and activation, the totals and the module's memory. Shapes and counts are worked out by hand below.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { planSpec } from "../../src/plan.js";
import { formatSummary, modelSummary, oneLineSummary } from "../../src/summary.js";
import { buildCli, nnc } from "../support/cli.js";

const CNN = [
  "model tiny-cnn",
  "input 1x17x17",
  "layer conv 6 relu kernel=5",
  "layer maxpool 2",
  "layer conv 4 leaky_relu(0.1) kernel=3 padding=1",
  "layer flatten",
  "layer dropout p=0.25",
  "layer fc 10 tanh",
  "layer fc 26 softmax",
  "adam lr=0.001 epochs=1 batch=8",
  "",
].join("\n");

describe("modelSummary", () => {
  const spec = parseSpec(CNN, "tiny-cnn.nn").spec!;
  const plan = planSpec(spec);
  const s = modelSummary(spec, plan);

  it("walks the shapes from the input through every layer rule", () => {
    // conv 5×5 over 17×17: 13×13; maxpool 2 over 13×13: ⌊13/2⌋ = 6; conv 3×3 padding 1 keeps 6×6; flatten 4·6·6 = 144.
    expect(s.rows.map((r) => [r.kind, r.outputShape.join("x")])).toEqual([
      ["conv", "6x13x13"],
      ["maxpool", "6x6x6"],
      ["conv", "4x6x6"],
      ["flatten", "144"],
      ["dropout", "144"],
      ["fc", "10"],
      ["fc", "26"],
    ]);
  });

  it("counts parameters per layer: weights + biases", () => {
    // conv1: 6·1·5·5 + 6 = 156; conv2: 4·6·3·3 + 4 = 220; fc 144→10: 1440 + 10; fc 10→26: 260 + 26.
    expect(s.rows.map((r) => r.parameters)).toEqual([156, 0, 220, 0, 0, 1450, 286]);
    expect(s.parameters).toBe(2112);
    expect(plan.parameters).toBe(2112);
  });

  it("names each activation, none for pooling, flatten and dropout", () => {
    expect(s.rows.map((r) => r.activation)).toEqual(["relu", null, "leaky_relu(0.1)", null, null, "tanh", "softmax"]);
  });

  it("prints the table, the totals and the plan's memory", () => {
    const text = formatSummary(s);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Model: tiny-cnn");
    expect(lines).toContain("   input    1×17×17                0  –");
    expect(lines).toContain("1  conv     6×13×13              156  relu");
    expect(lines).toContain("2  maxpool  6×6×6                  0  –");
    expect(lines).toContain("6  fc       10                 1,450  tanh");
    expect(text).toContain("Total parameters: 2,112 (f64: 16.9 kB), all trainable");
    // adam: two slots, so the optimiser state is twice the parameters' bytes.
    expect(plan.memory.optimizerState).toBe(2 * 2112 * 8);
    expect(text).toContain(`optimiser state 33.8 kB`);
    expect(text).toMatch(
      /^Memory of the module: \S+ \S+ \(parameters 16\.9 kB, gradient 16\.9 kB, optimiser state 33\.8 kB, scratch .*, train\(\) buffers .*\)$/m,
    );
  });

  it("an fc net without image layers: planar 2 → 4 tanh → 1 sigmoid has 17 parameters, no optimiser state", () => {
    const planar = parseSpec("layer fc 2->4 tanh\nlayer fc 4->1 sigmoid\n", "p.nn").spec!;
    const text = formatSummary(modelSummary(planar, planSpec(planar)));
    expect(text).toContain("1  fc     4                     12  tanh");
    expect(text).toContain("Total parameters: 17 (f64: 136 bytes)");
    expect(text).not.toContain("optimiser state");
  });
});

describe("the one-line summary: every training setting", () => {
  const line = (body: string) => oneLineSummary(parseSpec(`model m\nlayer fc 2->1 sigmoid\n${body}`, "m.nn").spec!);

  it("spells out the defaults: no shuffle, constant schedule, xavier init, no data", () => {
    expect(line("")).toBe(
      "m: 2 → 1 sigmoid · binary_crossentropy · sgd lr=0.01 epochs=10 batch=32 no shuffle seed=1 · schedule constant · init xavier seed=1 · no data · no stop rule (all epochs)\n",
    );
  });

  it("names the schedule, shuffle, l2, split, normalisation, scale and each stop rule as the spec writes them", () => {
    const text = line(
      [
        "momentum lr=0.5 beta=0.8 nesterov epochs=40 batch=16 shuffle l2=0.001 seed=7",
        "schedule step factor=0.25 every=5 min=0.01",
        "init normal std=0.3 seed=4",
        "data planar n=100 scale=2",
        "split 0.2 seed=9",
        "normalize z-score",
        "stop loss < 0.05",
        "stop accuracy >= 0.97",
        "stop early monitor=val_accuracy patience=3 min_delta=0.01",
        "precision f32",
        "",
      ].join("\n"),
    );
    expect(text.trimEnd().split(" · ")).toEqual([
      "m: 2 → 1 sigmoid",
      "binary_crossentropy",
      "momentum lr=0.5 beta=0.8 nesterov epochs=40 batch=16 shuffle l2=0.001 seed=7",
      "schedule step factor=0.25 every=5 min=0.01",
      "init normal std=0.3 seed=4",
      "data planar scale=2",
      "split 0.2 seed=9",
      "normalize z-score",
      "stop loss < 0.05, accuracy >= 0.97, early monitor=val_accuracy patience=3 min_delta=0.01",
      "precision f32",
    ]);
  });

  it("the class names, after the loss, quoted when they are not identifiers", () => {
    expect(line('classes male, "fe male"\n')).toContain(' · binary_crossentropy · classes male, "fe male" · sgd lr=0.01');
  });

  it("the other schedules, a test set instead of a split, inline rows", () => {
    expect(line("adam lr=0.002 epochs=6\nschedule cosine min=0.0001\nrow 1, 2 -> 1\nrow 3, 4 -> 0\n")).toContain(
      "adam lr=0.002 beta1=0.9 beta2=0.999 eps=1e-8 epochs=6 batch=32 no shuffle seed=1 · schedule cosine min=0.0001 period=6 · init xavier seed=1 · data inline (2 rows) · no split · normalize none",
    );
    expect(line('schedule exponential gamma=0.9\ndata csv "a.csv" label=y\ntest csv "b.csv" label=y\n')).toContain(
      'schedule exponential gamma=0.9 min=0 · init xavier seed=1 · data csv "a.csv" label=y · test csv "b.csv" label=y · normalize none',
    );
  });
});

describe("nnc parse --summary", () => {
  beforeAll(buildCli, 120_000);

  it("prints the one-liner, then the table", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-summary-"));
    const file = join(dir, "tiny-cnn.nn");
    writeFileSync(file, CNN);
    const r = nnc("parse", "--summary", file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^tiny-cnn: 1×17×17 → conv 6 5×5 relu/);
    expect(r.stdout).toContain("7  fc       26                   286  softmax");
    expect(nnc("parse", "--summary", "--json", file).status).toBe(1);
  });

  it("nnc build --summary: writes the module, then prints the same one-liner and table", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-build-summary-"));
    const file = join(dir, "tiny-cnn.nn");
    writeFileSync(file, CNN);
    const r = nnc("build", "--summary", file, "-o", dir);
    expect(r.status, r.stderr).toBe(0);
    const [wrote, ...rest] = r.stdout.split("\n");
    expect(wrote).toMatch(/^wrote .*tiny-cnn\.ts \(\d+ bytes\)$/);
    expect(existsSync(join(dir, "tiny-cnn.ts"))).toBe(true);
    expect(rest.join("\n")).toBe(nnc("parse", "--summary", file).stdout);
  });
});
