// nnc import, then nnc train --weights: an imported model is trained further by nnc. The starting point is
// checked against onnxruntime (the loss of the ONNX model on the data, computed from onnxruntime's outputs,
// equals nnc's loss when nnc barely moves the weights), and training on lowers that loss.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeNpy } from "../../src/data/npy-write.js";
import { UserError } from "../../src/errors.js";
import { loadSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import { importOnnx } from "../../src/onnx/import.js";
import { runTraining } from "../../src/train/run.js";
import { checkWeights } from "../../src/train/weights-file.js";
import { captured, tempDir } from "../train/helpers.js";
import { fixture, randoms, runOrt } from "./support.js";

const dir = tempDir("nnc-onnx-fine-");
const f = fixture("mlp_planar_tanh_sigmoid");
const imported = importOnnx(f.bytes, f.path, { name: "planar_torch" });
writeFileSync(join(dir, imported.weightsFile), imported.weightsText);

// 200 points; label 1 in the first and third quadrants (not what the network was trained on).
const ROWS = 200;
const r = randoms(5);
const xs = Float64Array.from({ length: 2 * ROWS }, () => 8 * r());
const ys = Float64Array.from({ length: ROWS }, (_, i) => (xs[2 * i]! * xs[2 * i + 1]! > 0 ? 1 : 0));
writeFileSync(join(dir, "x.npy"), encodeNpy(xs, [ROWS, 2]));
writeFileSync(join(dir, "y.npy"), encodeNpy(ys, [ROWS, 1]));
const data = `${join(dir, "x.npy")},${join(dir, "y.npy")}`;

/** The imported spec with its optimiser line edited, as a user would. */
function editedSpec(optimizer: string, extra = ""): string {
  const text = imported.specText.replace(/^sgd .*$/m, optimizer) + extra;
  const path = join(dir, "planar_torch.nn");
  writeFileSync(path, text);
  return path;
}

async function train(specPath: string, out: string, weights: string | undefined) {
  const streams = captured();
  const result = await runTraining({ specPath, out: join(dir, out), data, mode: "plain", streams, ...(weights ? { initialWeights: weights } : {}) });
  return { ...result, streams };
}

/** Binary cross-entropy of the ONNX model's own outputs (onnxruntime) on the data: the imported starting point. */
async function onnxLoss(): Promise<number> {
  const out = await runOrt(f.bytes, xs, [ROWS, 2]);
  let sum = 0;
  for (let i = 0; i < ROWS; i++) sum -= ys[i]! * Math.log(out[i]!) + (1 - ys[i]!) * Math.log(1 - out[i]!);
  return sum / ROWS;
}

describe("fine-tuning an imported model (nnc train --weights)", () => {
  const weightsPath = join(dir, imported.weightsFile);

  it("starts from the imported weights: with a negligible learning rate nnc's loss is the ONNX model's", async () => {
    const spec = editedSpec("sgd lr=1e-12 epochs=1 batch=200");
    const expected = await onnxLoss();
    const fromImport = await train(spec, "still", weightsPath);
    expect(fromImport.exitCode).toBe(0);
    expect(Math.abs(fromImport.trainEval.loss - expected) / expected).toBeLessThan(1e-5);
    expect(fromImport.streams.err()).toContain(`starting from the weights in ${weightsPath}`);
    // Control: from the spec's own init the loss is another number.
    const fromInit = await train(spec, "init", undefined);
    expect(Math.abs(fromInit.trainEval.loss - expected) / expected).toBeGreaterThan(1e-3);
  });

  it("trains on from there: the loss goes down, and the new weights load for the edited spec", async () => {
    const spec = editedSpec("adam lr=0.05 epochs=150 batch=50 shuffle");
    const start = await onnxLoss();
    const run = await train(spec, "tuned", weightsPath);
    expect(run.exitCode).toBe(0);
    expect(run.trainEval.loss).toBeLessThan(0.8 * start);
    const module = await buildAndLoad(loadSpec(spec));
    const saved = checkWeights(JSON.parse(readFileSync(join(dir, "tuned/weights.json"), "utf8")), module.meta, "weights.json");
    expect(saved.values).not.toEqual(imported.weights.values);
    expect(saved.normalization.kind).toBe("none");
  });

  it("refuses weights of another layout, a spec normalising differently, and --resume with --weights", async () => {
    const wider = join(dir, "wider.nn");
    writeFileSync(wider, imported.specText.replace("layer fc 2->4 tanh\nlayer fc 4->1 sigmoid", "layer fc 2->5 tanh\nlayer fc 5->1 sigmoid"));
    await expect(train(wider, "x1", weightsPath)).rejects.toThrow(
      /weights do not match the spec:\n {2}- shape: layer1.weight is \[4, 2\] in the weights, \[5, 2\] in the spec/,
    );
    const normalised = editedSpec("sgd lr=0.1 epochs=1", `data npy "x.npy" labels="y.npy"\nnormalize z-score\n`);
    await expect(train(normalised, "x2", weightsPath)).rejects.toThrow(/trained on inputs normalised none, the spec says z-score/);
    const streams = captured();
    const both = runTraining({ specPath: normalised, out: join(dir, "x3"), data, mode: "plain", streams, resume: true, initialWeights: weightsPath });
    await expect(both).rejects.toThrow(UserError);
    await expect(both).rejects.toThrow("give --weights (start from given weights) or --resume (continue a stopped run), not both");
  });
});

describe("fine-tuning an imported CNN", () => {
  it("cnn_letters with image data (N, 1, 17, 17): with a negligible learning rate nnc's loss is the ONNX model's", async () => {
    const cnn = fixture("cnn_letters");
    const result = importOnnx(cnn.bytes, cnn.path, { name: "cnn_torch" });
    const specPath = join(dir, "cnn_torch.nn");
    writeFileSync(specPath, result.specText.replace(/^sgd .*$/m, "sgd lr=1e-12 epochs=1 batch=8"));
    writeFileSync(join(dir, "cnn_torch.weights.json"), result.weightsText);
    // Labels: a class per image (rotating, so the loss is not the model's own argmax's).
    const rows = cnn.input.shape[0]!;
    const labels = Float64Array.from({ length: rows }, (_, i) => (3 * i) % 26);
    writeFileSync(join(dir, "cnn-x.npy"), encodeNpy(Float32Array.from(cnn.input.data), cnn.input.shape));
    writeFileSync(join(dir, "cnn-y.npy"), encodeNpy(labels, [rows]));
    const probabilities = await runOrt(cnn.bytes, cnn.input.data, cnn.input.shape);
    let expected = 0;
    for (let i = 0; i < rows; i++) expected -= Math.log(probabilities[i * 26 + labels[i]!]!) / rows;
    const streams = captured();
    const run = await runTraining({
      specPath,
      out: join(dir, "cnn-run"),
      data: `${join(dir, "cnn-x.npy")},${join(dir, "cnn-y.npy")}`,
      mode: "plain",
      streams,
      initialWeights: join(dir, "cnn_torch.weights.json"),
    });
    expect(run.exitCode).toBe(0);
    expect(Math.abs(run.trainEval.loss - expected) / expected).toBeLessThan(1e-5);
  });
});
