// nnc import of small ONNX graphs made here (the forms PyTorch 1.13 does not write: MatMul + Add, Gemm with
// transB=0, alpha and beta, opset 11's Softmax, Reshape, Dropout, Identity, Constant nodes, a normalisation
// in front), each checked against onnxruntime on the same model and inputs (1e-5 relative).
import { describe, expect, it } from "vitest";
import { buildAndLoad } from "../../src/harness/load.js";
import { importOnnx } from "../../src/onnx/import.js";
import { encodeModel, type ModelProto } from "../../src/onnx/proto.js";
import { attr, floats, int64s, maxRelativeErrorFloored, model, node, randomFloats, randoms, runOrt } from "./support.js";

async function compareWithOrt(
  m: ModelProto,
  inputs: number,
  rows = 6,
  sample: number[] = [inputs],
  oracle: ModelProto = m,
): Promise<{ specText: string; error: number }> {
  const bytes = encodeModel(m);
  const result = importOnnx(bytes, "made.onnx");
  const module = await buildAndLoad(result.spec);
  // nnc import's weights file names the network its values mean, as nnc train's does.
  expect(result.weights.networkHash).toBe(module.meta.networkHash);
  // The spec normalises nothing (a spec without data cannot say `normalize`), so the module refuses a file with a
  // normalisation it cannot hold: nnc predict applies it before the module (src/train/predict.ts), as below.
  const { normalization: _, ...weights } = JSON.parse(result.weightsText) as Record<string, unknown>;
  const none = { kind: "none", offset: new Array<number>(inputs).fill(0), scale: new Array<number>(inputs).fill(1) };
  const params = module.loadWeights({ ...weights, normalization: none });
  const r = randoms(99);
  const x = Float64Array.from({ length: rows * inputs }, () => Math.fround(4 * r()));
  const ort = await runOrt(encodeModel(oracle), x, [rows, ...sample]);
  const outputs = ort.length / rows;
  const out = new Float64Array(ort.length);
  // nnc predict's path: the saved normalisation, then the module
  const { offset, scale, kind } = result.weights.normalization;
  for (let i = 0; i < rows; i++) {
    const row = x.slice(i * inputs, (i + 1) * inputs);
    if (kind !== "none") for (let j = 0; j < inputs; j++) row[j] = (row[j]! - offset[j]!) / scale[j]!;
    out.set(module.predict(params, row), i * outputs);
  }
  // Relative error, floored at 10 % of the largest output (maxRelativeErrorFloored): some of these nets end linear.
  return { specText: result.specText, error: maxRelativeErrorFloored(out, ort) };
}

describe("graphs made here, against onnxruntime", () => {
  it("MatMul + Add (bias first), Tanh, MatMul without bias, Sigmoid", async () => {
    const m = model({
      inputDims: ["n", 3],
      nodes: [
        node("MatMul", ["x", "w1"], ["m1"]),
        node("Add", ["b1", "m1"], ["a1"]),
        node("Tanh", ["a1"], ["t1"]),
        node("MatMul", ["t1", "w2"], ["m2"]),
        node("Sigmoid", ["m2"], ["y"]),
      ],
      initializers: [randomFloats("w1", [3, 5], 1), randomFloats("b1", [5], 2), randomFloats("w2", [5, 2], 3)],
    });
    const { specText, error } = await compareWithOrt(m, 3);
    expect(specText).toContain("layer fc 3->5 tanh\nlayer fc 5->2 sigmoid\n");
    expect(error).toBeLessThan(1e-5);
  });

  it("Gemm with transB=0, alpha, beta and a [1, N] bias; Softmax at opset 11 (default axis 1)", async () => {
    const m = model({
      opset: 11,
      irVersion: 6,
      inputDims: [1, 4],
      nodes: [
        node("Gemm", ["x", "w", "c"], ["g"], [attr.float("alpha", 0.5), attr.float("beta", 2), attr.int("transB", 0)]),
        node("Relu", ["g"], ["r"]),
        node("Gemm", ["r", "w2", "c2"], ["g2"], [attr.int("transB", 1)]),
        node("Softmax", ["g2"], ["y"]),
      ],
      initializers: [randomFloats("w", [4, 6], 4, 2), randomFloats("c", [1, 6], 5), randomFloats("w2", [3, 6], 6, 2), randomFloats("c2", [3], 7)],
    });
    const { specText, error } = await compareWithOrt(m, 4, 1);
    expect(specText).toContain("layer fc 4->6 relu\nlayer fc 6->3 softmax\n");
    expect(error).toBeLessThan(1e-5);
    // Controls: the comparison notices an import that ignored alpha, or read B as if transB were 1.
    const gemm = m.graph!.node![0]!;
    const variant = (attribute: typeof gemm.attribute, dims?: number[]): ModelProto => ({
      ...m,
      graph: {
        ...m.graph!,
        node: [{ ...gemm, attribute }, ...m.graph!.node!.slice(1)],
        initializer: m.graph!.initializer!.map((t) => (t.name === "w" && dims ? { ...t, dims } : t)),
      },
    });
    const noAlpha = variant([attr.float("beta", 2), attr.int("transB", 0)]);
    expect((await compareWithOrt(m, 4, 1, [4], noAlpha)).error).toBeGreaterThan(1e-3);
    const transposed = variant([attr.float("alpha", 0.5), attr.float("beta", 2), attr.int("transB", 1)], [6, 4]);
    expect((await compareWithOrt(m, 4, 1, [4], transposed)).error).toBeGreaterThan(1e-3);
  });

  it("Softmax at opset 13 with axis=-1, LeakyRelu alpha, Dropout between layers, Identity, Reshape by a Constant node, IR 9 / opset 18", async () => {
    const m = model({
      opset: 18,
      irVersion: 9,
      inputDims: ["batch", 4],
      nodes: [
        node("Constant", [], ["shape"], [{ name: "value", type: 4, t: int64s("", [-1, 4]) }]),
        node("Reshape", ["x", "shape"], ["flat"]),
        node("Gemm", ["flat", "w", "c"], ["g"], [attr.int("transB", 1)]),
        node("LeakyRelu", ["g"], ["l"], [attr.float("alpha", 0.2)]),
        node("Dropout", ["l", "ratio"], ["d"]),
        node("Identity", ["d"], ["i"]),
        node("Gemm", ["i", "w2", "c2"], ["g2"], [attr.int("transB", 1)]),
        node("Softmax", ["g2"], ["y"], [attr.int("axis", -1)]),
      ],
      initializers: [
        randomFloats("w", [5, 4], 8, 2),
        randomFloats("c", [5], 9),
        floats("ratio", [], [0.25]),
        randomFloats("w2", [3, 5], 10, 2),
        randomFloats("c2", [3], 11),
      ],
    });
    const { specText, error } = await compareWithOrt(m, 4);
    expect(specText).toContain("layer fc 4->5 leaky_relu(0.2)\nlayer dropout p=0.25\nlayer fc 5->3 softmax\n");
    expect(error).toBeLessThan(1e-5);
  });

  it("a leading Mul, Sub and Div become the weights file's normalisation", async () => {
    const m = model({
      inputDims: ["batch", 3],
      nodes: [
        node("Mul", ["x", "s"], ["xs"]),
        node("Sub", ["xs", "o"], ["xo"]),
        node("Div", ["xo", "d"], ["xd"]),
        node("Gemm", ["xd", "w", "c"], ["y"], [attr.int("transB", 1)]),
      ],
      initializers: [
        floats("s", [], [0.5]),
        floats("o", [1, 3], [1, -2, 3]),
        floats("d", [3], [2, 4, 0.5]),
        randomFloats("w", [2, 3], 12),
        randomFloats("c", [2], 13),
      ],
    });
    const { specText, error } = await compareWithOrt(m, 3);
    expect(specText).toContain("input normalisation in front of the first layer (xs, xo, xd) is in the weights file");
    expect(error).toBeLessThan(1e-5);
  });

  it("Conv with stride and pads, its BatchNormalization folded, Relu, AveragePool, a Conv without B plus an Add bias, MaxPool, Reshape [0, -1], Gemm", async () => {
    const bn = (p: string, n: number, seed: number) => [
      randomFloats(`${p}g`, [n], seed, 2),
      randomFloats(`${p}b`, [n], seed + 1),
      randomFloats(`${p}m`, [n], seed + 2),
      floats(
        `${p}v`,
        [n],
        Array.from({ length: n }, (_, k) => 0.5 + k / n),
      ),
    ];
    const m = model({
      inputDims: ["batch", 2, 9, 9],
      nodes: [
        node("Conv", ["x", "w1", "b1"], ["c1"], [attr.ints("kernel_shape", [3, 3]), attr.ints("strides", [2, 2]), attr.ints("pads", [1, 1, 1, 1])]),
        node("BatchNormalization", ["c1", "ng", "nb", "nm", "nv"], ["n1"], [attr.float("epsilon", 1e-3), attr.float("momentum", 0.9)]),
        node("Relu", ["n1"], ["r1"]),
        node("AveragePool", ["r1"], ["p1"], [attr.ints("kernel_shape", [2, 2]), attr.ints("strides", [1, 1])]),
        node("Conv", ["p1", "w2"], ["c2"], [attr.ints("pads", [0, 1, 0, 1])]),
        node("Add", ["c2", "b2"], ["a2"]),
        node("Sigmoid", ["a2"], ["s2"]),
        node("MaxPool", ["s2"], ["p2"], [attr.ints("kernel_shape", [2, 2]), attr.ints("strides", [2, 2])]),
        node("Reshape", ["p2", "shape"], ["f"]),
        node("Gemm", ["f", "w3", "b3"], ["y"], [attr.int("transB", 1)]),
      ],
      initializers: [
        randomFloats("w1", [3, 2, 3, 3], 20),
        randomFloats("b1", [3], 21),
        ...bn("n", 3, 22),
        randomFloats("w2", [4, 3, 2, 3], 26),
        randomFloats("b2", [1, 4, 1, 1], 27),
        int64s("shape", [0, -1]),
        randomFloats("w3", [2, 8], 28),
        randomFloats("b3", [2], 29),
      ],
    });
    const { specText, error } = await compareWithOrt(m, 2 * 9 * 9, 3, [2, 9, 9]);
    expect(specText).toContain(
      "input 2x9x9\nlayer conv 3 relu kernel=3 stride=2 padding=1\nlayer avgpool 2 stride=1\nlayer conv 4 sigmoid kernel=2x3 padding=0x1\nlayer maxpool 2\nlayer flatten\nlayer fc 8->2 linear\n",
    );
    expect(specText).toContain('BatchNormalization "n1" folded into layer 1');
    expect(error).toBeLessThan(1e-5);
  });

  it("Relu after MaxPool (PyTorch's MNIST example) moves onto the conv: the same numbers; after AveragePool it is refused", async () => {
    const tail = [node("Flatten", ["a"], ["f"]), node("Gemm", ["f", "w2", "b2"], ["y"], [attr.int("transB", 1)])];
    const weights = [randomFloats("w1", [2, 1, 3, 3], 40), randomFloats("b1", [2], 41), randomFloats("w2", [3, 18], 42), randomFloats("b2", [3], 43)];
    const m = (pool: string) =>
      model({
        inputDims: ["batch", 1, 8, 8],
        nodes: [
          node("Conv", ["x", "w1", "b1"], ["c"]),
          node(pool, ["c"], ["p"], [attr.ints("kernel_shape", [2, 2]), attr.ints("strides", [2, 2])]),
          node("Relu", ["p"], ["a"], [], "relu"),
          ...tail,
        ],
        initializers: weights,
      });
    const { specText, error } = await compareWithOrt(m("MaxPool"), 64, 4, [1, 8, 8]);
    expect(specText).toContain("layer conv 2 relu kernel=3\nlayer maxpool 2\nlayer flatten\n");
    expect(specText).toContain('Relu "relu" after MaxPool "p" moved onto the conv before it');
    expect(error).toBeLessThan(1e-5);
    expect(() => importOnnx(encodeModel(m("AveragePool")), "avg.onnx")).toThrow(/node "relu" \(Relu\): nnc has activations only on its fc and conv layers/);
  });

  it("opset 12 and earlier: Dropout's ratio attribute (opset 11); a Gemm without C", async () => {
    const m = model({
      opset: 11,
      inputDims: ["batch", 3],
      nodes: [
        node("Gemm", ["x", "w"], ["g"], [attr.int("transB", 1)]),
        node("Sigmoid", ["g"], ["s"]),
        node("Dropout", ["s"], ["d", "mask"], [attr.float("ratio", 0.4)]),
        node("Gemm", ["d", "w2", "c2"], ["y"], [attr.int("transB", 1)]),
      ],
      initializers: [randomFloats("w", [4, 3], 30), randomFloats("w2", [2, 4], 31), randomFloats("c2", [2], 32)],
    });
    const { specText, error } = await compareWithOrt(m, 3);
    expect(specText).toContain("layer fc 3->4 sigmoid\nlayer dropout p=0.4\nlayer fc 4->2 linear\n");
    expect(error).toBeLessThan(1e-5);
  });
});
