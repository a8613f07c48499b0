// nnc export: every spec in specs/, with weights and a normalisation of its kind, runs in onnxruntime on raw
// inputs and gives what nnc predict's path gives (scale, saved normalisation, the generated module) within
// 1e-5 relative; export then import gives the same network and bit-identical weights (float32 weights with
// the default float32 tensors, any weights with --float64).
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizationStats } from "../../src/data/normalize.js";
import { parseSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import type { Layer, Spec } from "../../src/ir.js";
import { importOnnx } from "../../src/onnx/import.js";
import { decodeModel, int64 } from "../../src/onnx/proto.js";
import { exportOnnx } from "../../src/onnx/write.js";
import { predictRows } from "../../src/train/predict.js";
import { runTraining } from "../../src/train/run.js";
import { checkWeights } from "../../src/train/weights-file.js";
import { parameterLayoutOf } from "../../src/layers/layout.js";
import { maxRelativeError, randoms, runOrt } from "./support.js";

const SPECS = join(import.meta.dirname, "../../specs");
const specFiles = readdirSync(SPECS).filter((f) => f.endsWith(".nn"));

function load(file: string): Spec {
  const { spec, diagnostics } = parseSpec(readFileSync(join(SPECS, file), "utf8"), join(SPECS, file));
  if (spec === null) throw new Error(JSON.stringify(diagnostics));
  return spec;
}

/**
 * Weights as training leaves them: every parameter non-zero, biases too (at the scale of a Xavier draw,
 * 2.4/√(fan-in + fan-out) of each weight tensor, so outputs are not saturated), and a normalisation of the spec's kind.
 */
function trainedLike(spec: Spec, params: Float64Array, seed: number): NormalizationStats {
  const r = randoms(seed);
  let amplitude = 1;
  for (const t of parameterLayoutOf(spec.layers).tensors) {
    if (t.role.kind === "weight") amplitude = 2.4 / Math.sqrt(t.role.fanIn + t.role.fanOut);
    for (let k = 0; k < t.size; k++) params[t.offset + k] = amplitude * r();
  }
  const kind = spec.data?.normalize ?? "none";
  const n = spec.inputs;
  if (kind === "none") return { kind, offset: new Array<number>(n).fill(0), scale: new Array<number>(n).fill(1) };
  return { kind, offset: Array.from({ length: n }, () => 3 * r()), scale: Array.from({ length: n }, () => (kind === "zero_mean" ? 1 : 0.5 + Math.abs(r()))) };
}

/** Raw rows as the spec's data would hold them: pixels 0–255 where the spec scales by 1/255. */
function rawRows(spec: Spec, rows: number, seed: number): Float64Array {
  const r = randoms(seed);
  const scale = spec.data?.scale ?? 1;
  return Float64Array.from({ length: rows * spec.inputs }, () => (scale < 0.1 ? Math.round(255 * (r() + 0.5)) : 4 * r()));
}

describe("nnc export of every spec in specs/", () => {
  it("finds the specs", () => expect(specFiles.length).toBeGreaterThanOrEqual(10));

  for (const file of specFiles) {
    it(`${file}: onnxruntime on raw inputs = nnc predict within 1e-5 relative`, async () => {
      const spec = load(file);
      const module = await buildAndLoad(spec);
      const params = new Float64Array(module.meta.parameters);
      const normalization = trainedLike(spec, params, 7);
      const bytes = exportOnnx({ spec, params, normalization });
      const rows = 5;
      const raw = rawRows(spec, rows, 11);
      const expected = predictRows(
        module,
        module.meta.precision === "f32" ? Float32Array.from(params) : params,
        normalization,
        spec.data?.scale ?? 1,
        raw,
        rows,
      );
      const ort = await runOrt(bytes, raw, [rows, ...spec.inputShape]);
      const nnc = expected.flatMap((p) => p.output);
      expect(maxRelativeError(nnc, ort)).toBeLessThan(1e-5);

      // The preprocessing is explicit ops at the front, and the model says what it was made from.
      const m = decodeModel(bytes);
      const ops = m.graph!.node!.map((n) => n.op_type);
      const scaled = (spec.data?.scale ?? 1) !== 1;
      const kind = normalization.kind;
      expect(ops.slice(0, 3).filter((op) => op === "Mul" || op === "Sub" || op === "Div")).toEqual([
        ...(scaled ? ["Mul"] : []),
        ...(kind !== "none" ? ["Sub"] : []),
        ...(kind === "min_max" || kind === "z_score" ? ["Div"] : []),
      ]);
      expect(int64(m.opset_import![0]!.version)).toBe(13);
      expect(Object.fromEntries(m.metadata_props!.map((p) => [p.key, p.value]))).toMatchObject({ "nnc.model": spec.name, "nnc.specHash": spec.sourceHash });
    });
  }
});

describe("export → import round trip", () => {
  for (const file of ["planar.nn", "fashion.nn", "gender.nn", "letters.nn"]) {
    it(`${file}: same layers, bit-identical weights and normalisation (float32 weights, and any weights with --float64)`, () => {
      const spec = load(file);
      const params = new Float64Array(parameterLayoutOf(spec.layers).count);
      const normalization = trainedLike(spec, params, 3);
      const f32 = params.map(Math.fround);
      const back = importOnnx(exportOnnx({ spec, params: f32, normalization }), `${spec.name}.onnx`);
      expect(back.name).toBe(spec.name);
      expect(back.spec.layers.map(({ range: _, ...l }) => l)).toEqual(spec.layers.map(({ range: _, ...l }) => l));
      expect(back.weights.values).toEqual(Array.from(f32));
      const exact = importOnnx(exportOnnx({ spec, params, normalization, float64: true }), `${spec.name}.onnx`);
      expect(exact.weights.values).toEqual(Array.from(params));
      expect(exact.weights.values).not.toEqual(back.weights.values); // the control: float32 did round them
      if ((spec.data?.scale ?? 1) === 1) {
        expect(exact.weights.normalization).toEqual(normalization.kind === "none" ? back.weights.normalization : normalization);
      }
    });
  }
});

describe("convolutional specs", () => {
  // Conv with stride and padding, both poolings, an fc after an explicit flatten and one after a pool
  // (nnc's implicit flattening: export writes the Flatten), z-score inputs.
  const CNN = `model cnn
input 2x9x9
layer conv 3 tanh kernel=3 stride=2 padding=1
layer maxpool 2 stride=1
layer conv 4 relu kernel=3x2 padding=1x0
layer avgpool kernel=2x1
layer fc 24->5 relu
layer fc 5->3 softmax
data npy "x.npy" labels="y.npy"
normalize z-score
loss crossentropy
`;
  const LETTERS_CNN = `model cnn_letters
input 1x17x17
layer conv 6 relu kernel=5
layer maxpool 2
layer flatten
layer fc 216->26 softmax
loss crossentropy
`;
  for (const [name, text] of [
    ["strides, padding, both pools, implicit flatten", CNN],
    ["the letters CNN", LETTERS_CNN],
  ] as const) {
    it(`${name}: onnxruntime = nnc predict within 1e-5, and the round trip is bit-identical`, async () => {
      const { spec, diagnostics } = parseSpec(text, `${name}.nn`);
      if (spec === null) throw new Error(JSON.stringify(diagnostics));
      const module = await buildAndLoad(spec);
      const params = new Float64Array(module.meta.parameters);
      const normalization = trainedLike(spec, params, 5);
      const f32 = params.map(Math.fround);
      const bytes = exportOnnx({ spec, params: f32, normalization });
      const rows = 3;
      const raw = rawRows(spec, rows, 13);
      const nnc = predictRows(module, f32, normalization, 1, raw, rows).flatMap((p) => p.output);
      const ort = await runOrt(bytes, raw, [rows, ...spec.inputShape]);
      expect(maxRelativeError(nnc, ort)).toBeLessThan(1e-5);
      const back = importOnnx(bytes, "cnn.onnx");
      // The implicit flattening before an fc comes back as an explicit flatten layer (ONNX has a Flatten node there).
      const shaped = (l: Layer): boolean => l.kind === "conv" || l.kind === "maxpool" || l.kind === "avgpool";
      const explicit: unknown[] = spec.layers.flatMap(({ range: _, ...l }, i): unknown[] =>
        l.kind === "dense" && i > 0 && shaped(spec.layers[i - 1]!) ? ["flatten", l] : [l],
      );
      const imported: unknown[] = back.spec.layers.map(({ range: _, ...l }) => (l.kind === "flatten" ? "flatten" : l));
      expect(imported).toEqual(explicit.map((l) => ((l as Layer).kind === "flatten" ? "flatten" : l)));
      if (text === CNN) expect(explicit).toContain("flatten");
      expect(back.weights.values).toEqual(Array.from(f32));
    });
  }
});

describe("dropout and leaky_relu", () => {
  it("dropout is exported as Dropout (the identity in onnxruntime) and comes back as a dropout layer; leaky_relu's alpha as a float32", async () => {
    const text = "model drop\nlayer fc 3->6 leaky_relu(0.2)\nlayer dropout p=0.3\nlayer fc 6->2 softmax\nloss crossentropy\n";
    const { spec } = parseSpec(text, "drop.nn");
    const module = await buildAndLoad(spec!);
    const params = new Float64Array(module.meta.parameters);
    const normalization = trainedLike(spec!, params, 9);
    const bytes = exportOnnx({ spec: spec!, params, normalization });
    expect(decodeModel(bytes).graph!.node!.map((n) => n.op_type)).toEqual(["Gemm", "LeakyRelu", "Dropout", "Gemm", "Softmax", "Identity"]);
    const raw = rawRows(spec!, 4, 2);
    const nnc = predictRows(module, params, normalization, 1, raw, 4).flatMap((p) => p.output);
    expect(maxRelativeError(nnc, await runOrt(bytes, raw, [4, 3]))).toBeLessThan(1e-5);
    const back = importOnnx(bytes, "drop.onnx");
    expect(back.specText).toContain("layer fc 3->6 leaky_relu(0.2)\nlayer dropout p=0.3\nlayer fc 6->2 softmax\n");
  });
});

describe("trained weights", () => {
  it("gender.nn trained by nnc train (zero-mean inputs): the exported model on raw heights and weights = nnc predict", async () => {
    const out = mkdtempSync(join(tmpdir(), "nnc-onnx-trained-"));
    const streams = { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } };
    const run = await runTraining({ specPath: join(SPECS, "gender.nn"), out, epochs: 200, mode: "plain", streams });
    expect(run.exitCode).toBe(0);
    const spec = load("gender.nn");
    const module = await buildAndLoad(spec);
    const weights = checkWeights(JSON.parse(readFileSync(join(out, "weights.json"), "utf8")), module.meta, "weights.json");
    expect(weights.normalization.kind).toBe("zero_mean");
    const bytes = exportOnnx({ spec, params: weights.values, normalization: weights.normalization });
    const raw = Float64Array.from([60.3, 165, 72.6, 183, 54.4, 152, 80, 190]);
    const nnc = predictRows(module, module.loadWeights(weights), weights.normalization, 1, raw, 4).flatMap((p) => p.output);
    expect(maxRelativeError(nnc, await runOrt(bytes, raw, [4, 2]))).toBeLessThan(1e-5);
  });
});
