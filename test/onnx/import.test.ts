// nnc import of the PyTorch fixtures: the module nnc generates from the imported spec and weights must give
// what onnxruntime gives on the same model and inputs, and what PyTorch computed (output.npy), within 1e-5
// relative (float32 accuracy). Both oracles are independent of nnc.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAndLoad } from "../../src/harness/load.js";
import { formatSpec } from "../../src/fmt/index.js";
import { importOnnx } from "../../src/onnx/import.js";
import { readOnnx } from "../../src/onnx/read.js";
import { fixture, MANIFEST, maxRelativeError, runOrt } from "./support.js";

/** The module's predictions for every row of a fixture's input, concatenated. */
async function nncOutputs(name: string): Promise<{ out: Float64Array; specText: string; weights: unknown }> {
  const f = fixture(name);
  const result = importOnnx(f.bytes, f.path, { name });
  const module = await buildAndLoad(result.spec);
  const params = module.loadWeights(JSON.parse(result.weightsText));
  const [rows] = f.input.shape as [number];
  const width = f.input.data.length / rows;
  const out = new Float64Array(f.output.data.length);
  const outputs = out.length / rows;
  for (let r = 0; r < rows; r++) out.set(module.predict(params, f.input.data.slice(r * width, (r + 1) * width)), r * outputs);
  return { out, specText: result.specText, weights: JSON.parse(result.weightsText) };
}

// unsupported_batchnorm has BatchNormalization after a Gemm: nnc folds it into that layer (docs/onnx.md).
const FIXTURES = ["mlp_planar_tanh_sigmoid", "mlp_letters_sigmoid", "mlp_fashion_relu_softmax", "mlp_leaky_linear", "unsupported_batchnorm", "cnn_letters"];

describe("nnc import of the PyTorch fixtures", () => {
  it("covers every fixture in the manifest", () => {
    expect(Object.keys(MANIFEST).sort()).toEqual([...FIXTURES].sort());
  });

  for (const name of FIXTURES) {
    it(`${name}: the generated module equals onnxruntime and PyTorch within 1e-5 relative`, async () => {
      const f = fixture(name);
      const { out } = await nncOutputs(name);
      const ort = await runOrt(f.bytes, f.input.data, MANIFEST[name]!.input_shape);
      expect(out.length).toBe(MANIFEST[name]!.output_shape.reduce((a, b) => a * b, 1));
      expect(maxRelativeError(out, ort)).toBeLessThan(1e-5);
      expect(maxRelativeError(out, f.output.data)).toBeLessThan(1e-5);
      // A control: the comparison would notice a wrong network (the outputs are not all alike).
      expect(
        maxRelativeError(
          out,
          out.map((v) => v * 1.001),
        ),
      ).toBeGreaterThan(1e-5);
    });
  }

  it("the spec is nnc fmt-canonical, says where it came from and which training defaults it chose", async () => {
    const { specText } = await nncOutputs("mlp_fashion_relu_softmax");
    const formatted = formatSpec(specText, "x.nn");
    expect(formatted.ok && formatted.changed).toBe(false);
    expect(specText).toContain("imported by nnc import from model.onnx (ONNX IR 7, opset 13, pytorch 1.13.0)");
    expect(specText).toContain("nnc import chose loss crossentropy");
    expect(specText).toMatch(/^layer fc 784->128 relu\nlayer fc 128->10 softmax\nloss crossentropy\nsgd lr=0.01 epochs=10 batch=32\n$/m);
  });

  it("weights are the ONNX float32 initialisers exactly (Gemm transB=1: W as stored, then the bias)", () => {
    const f = fixture("mlp_planar_tanh_sigmoid");
    const graph = readOnnx(f.bytes, f.path);
    const result = importOnnx(f.bytes, f.path);
    const expected = ["0.weight", "0.bias", "2.weight", "2.bias"].flatMap((n) => Array.from(graph.constants.get(n)!.values));
    expect(result.weights.values).toEqual(expected);
    // and they are float32 values, not rounded decimals
    expect(expected.every((v) => Math.fround(v) === v)).toBe(true);
    expect(result.name).toBe("model");
    expect(result.weights.normalization.kind).toBe("none");
  });

  it("BatchNormalization folded into the Gemm before it is noted in the spec", () => {
    const f = fixture("unsupported_batchnorm");
    const { specText } = importOnnx(f.bytes, f.path, { name: "bn" });
    expect(specText).toContain('# BatchNormalization "/1/BatchNormalization" folded into layer 1');
  });

  it("docs/onnx.md's example spec is what nnc import writes for the Fashion fixture (--name fashion)", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/onnx.md"), "utf8");
    const example = /```nn\n([\s\S]*?)```/.exec(doc)![1];
    const f = fixture("mlp_fashion_relu_softmax");
    expect(importOnnx(f.bytes, f.path, { name: "fashion" }).specText).toBe(example);
  });
});
