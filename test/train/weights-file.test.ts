// The weights file: its text format, and the refusal of weights that do not fit the spec (naming which part differs).
import { describe, expect, test } from "vitest";
import { interpreterMeta } from "../../src/interpreter/index.js";
import { parseSpec } from "../../src/front/index.js";
import type { Spec } from "../../src/ir.js";
import { UserError } from "../../src/errors.js";
import { buildWeightsFile, checkWeights, formatWeightsFile, type TrainedWeights } from "../../src/train/weights-file.js";

function spec(source: string): Spec {
  const { spec, diagnostics } = parseSpec(source, "t.nn");
  if (!spec) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return spec;
}

const SOURCE =
  "model tiny\nlayer fc 2->3 tanh\nlayer fc 3->1 sigmoid\nloss crossentropy\nsgd lr=0.1 epochs=2\nnormalize z-score\nrow 1, 2 -> 1\nrow 3, 4 -> 0\n";
const tiny = spec(SOURCE);
const meta = interpreterMeta(tiny);

function weightsFor(s: Spec, values?: number[]): TrainedWeights {
  const m = interpreterMeta(s);
  const saved = {
    format: "nnc-weights" as const,
    version: 1 as const,
    model: m.name,
    specHash: m.specHash,
    networkHash: m.networkHash,
    precision: m.precision,
    parameters: m.parameters,
    layout: [...m.layout],
    values: values ?? Array.from({ length: m.parameters }, (_, i) => i / 10 - 0.3),
    normalization: { kind: m.preprocessing.normalize, offset: [0, 0], scale: [1, 1] },
  };
  const run = {
    seed: 1,
    initSeed: 1,
    epochs: 2,
    stoppedBy: "epochs" as const,
    interrupted: false,
    loss: 0.5,
    accuracy: 0.75,
    testLoss: null,
    testAccuracy: null,
  };
  return buildWeightsFile(saved, "specs/t.nn", { kind: m.preprocessing.normalize, offset: [1, 2], scale: [3, 4] }, run);
}

function refusal(json: unknown): string {
  try {
    checkWeights(json, meta, "w.json");
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error("checkWeights accepted the file");
}

describe("weights file", () => {
  test("round-trips through its text and passes the check", () => {
    const w = weightsFor(tiny);
    const back = checkWeights(JSON.parse(formatWeightsFile(w)), meta, "w.json");
    expect(back.values).toEqual(w.values);
    expect(back.normalization).toEqual({ kind: "z_score", offset: [1, 2], scale: [3, 4] });
    expect(back.spec).toBe("t.nn");
    expect(back.run.accuracy).toBe(0.75);
  });

  test("values keep every bit (shortest round-trip decimal)", () => {
    const values = Array.from({ length: meta.parameters }, (_, i) => Math.PI / (i + 7) - 1e-17 * i);
    const text = formatWeightsFile(weightsFor(tiny, values));
    expect((JSON.parse(text) as { values: number[] }).values).toEqual(values);
    expect(text).not.toMatch(/time|date/i);
  });

  test("accepts another spec text of the same network: a comment, epochs and lr (the spec hash is provenance only)", () => {
    const other = spec(SOURCE.replace("epochs=2", "epochs=50").replace("lr=0.1", "lr=0.3") + "# a comment changes the hash\n");
    expect(other.sourceHash).not.toBe(tiny.sourceHash);
    const w = weightsFor(other);
    expect(checkWeights(JSON.parse(formatWeightsFile(w)), meta, "w.json").values).toEqual(w.values);
  });

  test("refuses the same layout with another activation (the network hash), naming the network and the fix", () => {
    const message = refusal(weightsFor(spec(SOURCE.replace("tanh", "relu"))));
    expect(message).toContain("network: the layout matches but a layer's settings");
    expect(message).toContain("retrain with `nnc train SPEC`, or use the spec they were trained from ('t.nn'");
    expect(message).not.toContain("shape:");
  });

  test("accepts a file written before the network hash when layout and normalisation match", () => {
    const { networkHash: _, ...old } = weightsFor(spec(SOURCE.replace("tanh", "relu")));
    expect(checkWeights(old, meta, "w.json").model).toBe("tiny");
  });

  test("refuses a different shape, naming the tensor and both shapes", () => {
    const wider = spec(SOURCE.replace("2->3", "2->5").replace("3->1", "5->1"));
    const message = refusal(weightsFor(wider));
    expect(message).toMatch(/shape: layer1\.weight is \[5, 2\] in the weights, \[3, 2\] in the spec/);
    expect(message).not.toContain("spec hash");
    expect(message).not.toContain("network:");
  });

  test("refuses a different model name", () => {
    const message = refusal(weightsFor(spec(SOURCE.replace("model tiny", "model other"))));
    expect(message).toContain("model name: weights are for 'other', the spec defines 'tiny'");
  });

  test("refuses a file that is not nnc weights, and bad values or normalisation", () => {
    expect(refusal({ hello: 1 })).toContain("not an nnc weights file");
    const w = weightsFor(tiny);
    expect(refusal({ ...w, values: w.values.slice(1) })).toContain(`"values" must be ${meta.parameters} finite numbers`);
    expect(refusal({ ...w, normalization: { kind: "z_score", offset: [0], scale: [1] } })).toContain("normalisation");
  });

  test("refuses another normalisation, and a file without one when the spec normalises, naming the field", () => {
    expect(refusal(weightsFor(spec(SOURCE.replace("z-score", "min-max"))))).toContain(
      "normalisation: the weights were trained on inputs normalised min-max, the spec says z-score",
    );
    const { normalization: _, ...bare } = weightsFor(tiny);
    expect(refusal(bare)).toContain('no "normalization" field: the spec normalises its inputs (z-score)');
  });

  test("never writes non-finite values", () => {
    expect(() =>
      weightsFor(
        tiny,
        Array.from({ length: meta.parameters }, () => NaN),
      ),
    ).toThrow(/NaN/);
  });
});
