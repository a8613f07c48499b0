// nnc train in-process (runTraining): the run folder, determinism, normalisation, predict, refusals, atomicity.
import { readFileSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadSpec } from "../../src/front/index.js";
import { interpret } from "../../src/interpreter/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import { UserError } from "../../src/errors.js";
import { runTraining, trainSpec } from "../../src/train/run.js";
import { runPredict } from "../../src/train/predict.js";
import { checkWeights } from "../../src/train/weights-file.js";
import { GENDER, captured, tempDir, writeSpec } from "./helpers.js";

const ROWS = [
  [60.3, 165, 1],
  [72.6, 183, 0],
  [68.9, 178, 0],
  [54.4, 152, 1],
];

async function train(specPath: string, out: string, extra: Partial<Parameters<typeof runTraining>[0]> = {}) {
  const streams = captured();
  const result = await runTraining({ specPath, out, mode: "plain", streams, ...extra });
  return { ...result, streams };
}

describe("nnc train (in-process)", () => {
  const dir = tempDir();
  const spec = writeSpec(dir, "gender.nn", GENDER);

  test("tiny inline spec: writes the run folder; weights load; one history row per epoch; no temp files", async () => {
    const out = join(dir, "run-a");
    const r = await train(spec, out);
    expect(r.exitCode).toBe(0);
    expect(
      readdirSync(out)
        .filter((f) => !f.startsWith("."))
        .sort(),
    ).toEqual(["boundary.svg", "confusion.svg", "history.csv", "history.json", "loss.svg", "weights.json"]);
    expect(readdirSync(out).some((f) => f.endsWith(".tmp"))).toBe(false);
    const module = await buildAndLoad(loadSpec(spec));
    const weights = checkWeights(JSON.parse(readFileSync(join(out, "weights.json"), "utf8")), module.meta, "weights.json");
    expect(weights.run).toMatchObject({ epochs: 60, stoppedBy: "epochs", interrupted: false, seed: 1, initSeed: 2 });
    const csv = readFileSync(join(out, "history.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("epoch,learning_rate,loss,accuracy,test_loss,test_accuracy,kept");
    expect(csv).toHaveLength(61);
    expect(csv[60]!.startsWith("60,0.5,")).toBe(true);
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8")) as { history: unknown[]; stoppedBy: string };
    expect(history.history).toHaveLength(60);
    expect(r.streams.out()).toMatch(/^epoch 60\/60 loss [\d.]+ acc [\d.]+%/m);
  });

  test("the runner trains exactly what the reference interpreter trains on hand-normalised data", async () => {
    const out = join(dir, "run-oracle");
    await train(spec, out);
    // z-score by hand: population mean and standard deviation of each column of the four rows.
    const stats = [0, 1].map((j) => {
      const column = ROWS.map((row) => row[j]!);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
      return { mean, std };
    });
    const xs = Float64Array.from(ROWS.flatMap((row) => [0, 1].map((j) => (row[j]! - stats[j]!.mean) / stats[j]!.std)));
    const ys = Float64Array.from(ROWS.map((row) => row[2]!));
    const reference = interpret(loadSpec(spec));
    const params = reference.createParameters();
    reference.train(params, xs, ys, 4);
    const saved = JSON.parse(readFileSync(join(out, "weights.json"), "utf8")) as { values: number[]; normalization: { offset: number[]; scale: number[] } };
    expect(saved.normalization.offset[0]).toBeCloseTo(stats[0]!.mean, 12);
    expect(saved.normalization.scale[1]).toBeCloseTo(stats[1]!.std, 12);
    saved.values.forEach((v, i) => expect(v).toBeCloseTo(params[i]!, 10));
  });

  test("same seed → byte-identical weights.json; another --seed → different weights", async () => {
    const a = join(dir, "seed-a");
    const b = join(dir, "seed-b");
    const c = join(dir, "seed-c");
    await train(spec, a, { seed: 7 });
    await train(spec, b, { seed: 7 });
    await train(spec, c, { seed: 8 });
    const bytes = (d: string) => readFileSync(join(d, "weights.json"));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    expect(JSON.parse(bytes(a).toString()).run).toMatchObject({ seed: 7, initSeed: 7 });
  });

  test("planar, few epochs: the README's spec runs from the repository with built-in data", async () => {
    const out = join(dir, "planar");
    const r = await train("specs/planar.nn", out, { epochs: 30 });
    expect(r.exitCode).toBe(0);
    expect(
      readdirSync(out)
        .filter((f) => !f.startsWith("."))
        .sort(),
    ).toEqual(["boundary.svg", "confusion.svg", "history.csv", "history.json", "loss.svg", "weights.json"]);
    expect(readFileSync(join(out, "boundary.svg"), "utf8")).toMatch(/^<svg/);
    expect(readFileSync(join(out, "loss.svg"), "utf8")).toMatch(/^<svg/);
    expect(readdirSync(out).some((f) => f.endsWith(".tmp"))).toBe(false);
  });

  test("the final training and test metrics are the final parameters' own: reused from the last epoch, or evaluated again", async () => {
    // One spec with a test split; all epochs done (the last epoch's metrics are reused), stopped early (the best
    // weights restored: evaluated again) and, in f32, over two threads. Oracle: the module's own evaluate over
    // the returned parameters and data.
    const base = ["layer fc 2->4 tanh", "layer fc 4->1 sigmoid", "loss crossentropy", "init xavier seed=3", "data planar n=120", "split 0.25"];
    for (const [name, extra, threads] of [
      ["all epochs", ["sgd lr=0.5 epochs=12 batch=8 shuffle"], undefined],
      ["stopped early", ["sgd lr=3 epochs=200 batch=8 shuffle", "stop early monitor=val_loss patience=2"], undefined],
      ["f32, 2 threads", ["precision f32", "sgd lr=0.5 epochs=6 batch=64 shuffle"], 2],
    ] as const) {
      const spec = loadSpec(writeSpec(dir, `final-${name.replace(/\W+/g, "-")}.nn`, [...base, ...extra, ""].join("\n")));
      const r = await trainSpec(spec, dir, { mode: "json", streams: captured(), threads });
      const m = r.module;
      const vector = (v: Float64Array) => (m.meta.precision === "f32" ? Float32Array.from(v) : v);
      const evaluate = m.evaluateInputs ?? m.evaluate;
      expect(r.trainEval, name).toEqual(evaluate(r.params, vector(r.train.features), vector(r.train.targets), r.train.count));
      expect(r.testEval, name).toEqual(evaluate(r.params, vector(r.test!.features), vector(r.test!.targets), r.test!.count));
      if (name === "stopped early") expect(r.report.stoppedBy).toBe("early");
    }
  });

  test("the README's command: specs/planar.nn as written reaches at least 90% training accuracy", async () => {
    const out = join(dir, "planar-full");
    const r = await train("specs/planar.nn", out);
    expect(r.report).toMatchObject({ epochs: 10000, stoppedBy: "epochs" });
    expect(r.trainEval.accuracy).toBeGreaterThanOrEqual(0.9);
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8")) as { evaluateEvery: number; history: unknown[] };
    expect(history.evaluateEvery).toBe(10);
    expect(history.history).toHaveLength(1000);
  });

  test("predict: saved normalisation re-applied to raw input equals module.predict on manually normalised input", async () => {
    const out = join(dir, "run-predict");
    await train(spec, out);
    const streams = captured();
    await runPredict({ specPath: spec, weightsPath: join(out, "weights.json"), inputs: ["60,170", "75 185"], json: true, streams });
    const lines = streams
      .out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { input: number[]; output: number[]; class: number });
    expect(lines).toHaveLength(2);
    const saved = JSON.parse(readFileSync(join(out, "weights.json"), "utf8"));
    const module = await buildAndLoad(loadSpec(spec));
    const params = module.loadWeights(saved);
    [
      [60, 170],
      [75, 185],
    ].forEach((raw, r) => {
      // The module's predict takes raw input and applies the saved normalisation itself (issue 17).
      const x = Float64Array.from(raw, (v, j) => (v - saved.normalization.offset[j]) / saved.normalization.scale[j]);
      expect(Array.from(module.preprocess(params, Float64Array.from(raw), 1))).toEqual(Array.from(x));
      const expected = module.predict(params, Float64Array.from(raw))[0]!;
      expect(lines[r]!.input).toEqual(raw);
      expect(lines[r]!.output[0]).toBe(expected);
      expect(lines[r]!.class).toBe(expected >= 0.5 ? 1 : 0);
    });
    // Trained on these people, the model tells the lighter, shorter one apart from the heavier, taller one.
    expect(lines[0]!.class).toBe(1);
    expect(lines[1]!.class).toBe(0);

    const text = captured();
    await runPredict({ specPath: spec, weightsPath: join(out, "weights.json"), inputs: ["60,170"], json: false, streams: text });
    expect(text.out()).toMatch(/^60, 170 → [\d.]+ → class 1\n$/);
  });

  test("predict --data: labelled rows give predictions and accuracy", async () => {
    const out = join(dir, "run-predict-data");
    await train(spec, out);
    const csv = join(dir, "people.csv");
    writeFileSync(csv, "kg,cm,female\n" + ROWS.map((r) => r.join(",")).join("\n") + "\n");
    const streams = captured();
    await runPredict({ specPath: spec, weightsPath: join(out, "weights.json"), data: csv, label: "female", json: false, streams });
    const lines = streams.out().trim().split("\n");
    // 4 predictions with their true labels, the summary line, then the confusion matrix (test/report/predict.test.ts).
    for (const line of lines.slice(0, 4)) expect(line).toMatch(/ → class (\d) \(true: class \1\)$/);
    expect(lines[4]).toMatch(/^4 rows: loss [\d.e-]+, accuracy 100\.00% \(0 wrong\)$/);
    expect(lines[5]).toBe("confusion matrix (rows: true class, columns: predicted)");
  });

  test("predict accepts weights after a comment is added, and refuses a different shape, naming it", async () => {
    const out = join(dir, "run-refuse");
    await train(spec, out);
    const weights = join(out, "weights.json");
    const edited = writeSpec(dir, "gender.nn", GENDER + "# edited\n");
    const refusal = async (specPath: string) => {
      const error = await runPredict({ specPath, weightsPath: weights, inputs: ["1,2"], json: false, streams: captured() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      return (error as Error).message;
    };
    // A comment changes the spec hash, not what the weights mean: they still load (identity by meaning).
    expect(await runPredict({ specPath: edited, weightsPath: weights, inputs: ["1,2"], json: false, streams: captured() })).toBe(0);
    const wider = writeSpec(dir, "wider.nn", GENDER.replace("2->2", "2->3").replace("fc 2->1", "fc 3->1").replace("model gender", "model gender"));
    const shape = await refusal(wider);
    expect(shape).toMatch(/shape: layer1\.weight is \[2, 2\] in the weights, \[3, 2\] in the spec/);
    writeSpec(dir, "gender.nn", GENDER);
  });

  test("bad --input is a user error naming the value", async () => {
    const out = join(dir, "run-input");
    await train(spec, out);
    const bad = (input: string) => runPredict({ specPath: spec, weightsPath: join(out, "weights.json"), inputs: [input], json: false, streams: captured() });
    await expect(bad("1,2,3")).rejects.toThrow(/3 values, but the model takes 2 inputs/);
    await expect(bad("60,tall")).rejects.toThrow(/"tall"/);
  });

  test("a run that fails data validation writes nothing: the existing run folder stays byte-identical", async () => {
    const out = join(dir, "run-keep");
    await train(spec, out);
    // The run's files (the names users read; the generation folder behind them is src/train/run-unit.ts's).
    const named = () => readdirSync(out).filter((f) => !f.startsWith("."));
    const before = Object.fromEntries(named().map((f) => [f, readFileSync(join(out, f))]));
    const badCsv = join(dir, "bad.csv");
    writeFileSync(badCsv, "kg,cm,female\n60,165,1\n70,abc,0\n");
    await expect(train(spec, out, { data: badCsv, label: "female" })).rejects.toThrow(/bad\.csv:3: .*"abc" is not a number/);
    await expect(train(spec, out, { data: join(dir, "missing.csv"), label: "female" })).rejects.toBeInstanceOf(UserError);
    const after = named();
    expect(readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(after.sort()).toEqual(Object.keys(before).sort());
    for (const f of after) expect(readFileSync(join(out, f)).equals(before[f]!)).toBe(true);
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });
});
