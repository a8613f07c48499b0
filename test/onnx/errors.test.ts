// What nnc import refuses, and how: one UserError naming the file, the node, its op and the attribute (or
// the version, or the value) at fault. The CLI side (exit 1, no stack trace, nothing written) is cli.test.ts.
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { importOnnx } from "../../src/onnx/import.js";
import { encodeModel, type NodeProto, type TensorProto } from "../../src/onnx/proto.js";
import { attr, floats, int64s, model, node, randomFloats, type ModelOptions } from "./support.js";

function refusal(o: ModelOptions | Uint8Array): string {
  const bytes = o instanceof Uint8Array ? o : encodeModel(model(o));
  try {
    importOnnx(bytes, "bad.onnx");
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error("nnc import accepted the model");
}

const fc = (x: string, y: string, seed: number, inputs = 4, outputs = 3): { nodes: NodeProto[]; initializers: TensorProto[] } => ({
  nodes: [node("Gemm", [x, `w${seed}`, `b${seed}`], [y], [attr.int("transB", 1)], `gemm${seed}`)],
  initializers: [randomFloats(`w${seed}`, [outputs, inputs], seed), randomFloats(`b${seed}`, [outputs], seed + 1)],
});

/** x [batch, 1, 8, 8] → one node → Flatten → Gemm: the node under test is `n`. */
function image(n: NodeProto, extra: TensorProto[] = [], features = 16): ModelOptions {
  const tail = fc("f", "y", 50, features, 2);
  return {
    inputDims: ["batch", 1, 8, 8],
    nodes: [n, node("Flatten", [n.output![0]!], ["f"]), ...tail.nodes],
    initializers: [...extra, ...tail.initializers],
  };
}
const convW = randomFloats("cw", [1, 1, 3, 3], 7);

describe("nnc import refuses, naming the node, op and attribute", () => {
  it("an op nnc has no layer for", () => {
    const a = fc("x", "h", 1);
    const message = refusal({ inputDims: ["batch", 4], nodes: [...a.nodes, node("Sqrt", ["h"], ["y"], [], "root")], initializers: a.initializers });
    expect(message).toMatch(/^bad\.onnx: node "root" \(Sqrt\): op Sqrt is not supported; nnc imports Gemm, MatMul/);
  });

  const cases: [string, NodeProto, RegExp, TensorProto[]?, number?][] = [
    [
      "Conv dilations",
      node("Conv", ["x", "cw"], ["c"], [attr.ints("dilations", [2, 2])], "conv"),
      /node "conv" \(Conv\), attribute dilations: dilations=\[2, 2\]/,
      [convW],
    ],
    ["Conv group", node("Conv", ["x", "cw"], ["c"], [attr.int("group", 2)], "conv"), /node "conv" \(Conv\), attribute group: group=2/, [convW]],
    ["Conv auto_pad", node("Conv", ["x", "cw"], ["c"], [attr.string("auto_pad", "SAME_UPPER")], "conv"), /attribute auto_pad: auto_pad=SAME_UPPER/, [convW]],
    [
      "Conv asymmetric pads",
      node("Conv", ["x", "cw"], ["c"], [attr.ints("pads", [0, 0, 1, 1])], "conv"),
      /attribute pads: pads=\[0, 0, 1, 1\].*asymmetric/,
      [convW],
    ],
    [
      "MaxPool pads",
      node("MaxPool", ["x"], ["c"], [attr.ints("kernel_shape", [2, 2]), attr.ints("pads", [1, 1, 1, 1])], "pool"),
      /node "pool" \(MaxPool\), attribute pads/,
    ],
    [
      "AveragePool ceil_mode",
      node("AveragePool", ["x"], ["c"], [attr.ints("kernel_shape", [2, 2]), attr.int("ceil_mode", 1)], "pool"),
      /\(AveragePool\), attribute ceil_mode/,
    ],
    ["MaxPool without kernel_shape", node("MaxPool", ["x"], ["c"], [], "pool"), /attribute kernel_shape: kernel_shape is missing/],
    [
      "an attribute nnc does not know",
      node("MaxPool", ["x"], ["c"], [attr.ints("kernel_shape", [2, 2]), attr.int("frobnicate", 1)], "pool"),
      /attribute frobnicate: nnc does not know/,
    ],
  ];
  for (const [what, n, pattern, extra, features] of cases) {
    it(what, () => {
      const message = refusal(image(n, extra ?? [], features ?? 16));
      expect(message).toMatch(/^bad\.onnx: node /);
      expect(message).toMatch(pattern);
    });
  }

  it("Softmax on the batch axis", () => {
    const a = fc("x", "h", 1);
    const message = refusal({
      inputDims: ["batch", 4],
      nodes: [...a.nodes, node("Softmax", ["h"], ["y"], [attr.int("axis", 0)], "sm")],
      initializers: a.initializers,
    });
    expect(message).toMatch(/node "sm" \(Softmax\), attribute axis: axis=0 on \[batch, 3\]/);
  });

  it("Gemm transA", () => {
    const message = refusal({
      inputDims: ["batch", 4],
      nodes: [node("Gemm", ["x", "w", "b"], ["y"], [attr.int("transA", 1), attr.int("transB", 1)], "g")],
      initializers: [randomFloats("w", [3, 4], 1), randomFloats("b", [3], 2)],
    });
    expect(message).toMatch(/node "g" \(Gemm\), attribute transA: transA=1/);
  });

  it("an activation with no layer before it, and two in a row", () => {
    expect(refusal({ inputDims: ["batch", 4], nodes: [node("Relu", ["x"], ["y"], [], "r")], initializers: [] })).toMatch(
      /node "r" \(Relu\): nnc has activations only/,
    );
    const a = fc("x", "h", 1);
    expect(
      refusal({
        inputDims: ["batch", 4],
        nodes: [...a.nodes, node("Sigmoid", ["h"], ["s"]), node("Relu", ["s"], ["y"], [], "r2")],
        initializers: a.initializers,
      }),
    ).toMatch(/node "r2" \(Relu\)/);
  });

  it("BatchNormalization with no layer before it", () => {
    const stats = ["g", "b", "m", "v"].map((n) => floats(n, [4], [1, 1, 1, 1]));
    const a = fc("n", "y", 1);
    const message = refusal({
      inputDims: ["batch", 4],
      nodes: [node("BatchNormalization", ["x", "g", "b", "m", "v"], ["n"], [], "bn"), ...a.nodes],
      initializers: [...stats, ...a.initializers],
    });
    expect(message).toMatch(/node "bn" \(BatchNormalization\): nnc folds BatchNormalization into the Gemm, MatMul or Conv right before it/);
  });

  it("a graph that branches", () => {
    const a = fc("x", "h1", 1);
    const b = fc("x", "h2", 3);
    const message = refusal({
      inputDims: ["batch", 4],
      nodes: [...a.nodes, ...b.nodes, node("Add", ["h1", "h2"], ["y"])],
      initializers: [...a.initializers, ...b.initializers],
    });
    expect(message).toMatch(/the value "x" feeds 2 nodes \("gemm1" \(Gemm\), "gemm3" \(Gemm\)\)/);
  });

  it("Reshape to anything but [batch, features]", () => {
    const a = fc("r", "y", 1, 64, 2);
    const message = refusal({
      inputDims: ["batch", 1, 8, 8],
      nodes: [node("Reshape", ["x", "s"], ["r"], [], "rs"), ...a.nodes],
      initializers: [int64s("s", [-1, 8, 8]), ...a.initializers],
    });
    expect(message).toMatch(/node "rs" \(Reshape\): to \[-1, 8, 8\]: nnc reshapes only to \[batch, 64\]/);
  });

  it("a network the ops allow but nnc's language does not (softmax before another layer)", () => {
    const a = fc("x", "h", 1);
    const b = fc("s", "y", 3, 3, 2);
    const message = refusal({
      inputDims: ["batch", 4],
      nodes: [...a.nodes, node("Softmax", ["h"], ["s"]), ...b.nodes],
      initializers: [...a.initializers, ...b.initializers],
    });
    expect(message).toMatch(/^bad\.onnx: nnc cannot express this network as a spec \(the layer at fault: fc from "gemm1", "s"\):\n.*NN022: softmax/s);
  });

  it("IR versions outside 6–9, opsets outside 11–18, other domains", () => {
    const a = fc("x", "y", 1);
    const base = { inputDims: ["batch", 4], ...a };
    expect(refusal({ ...base, irVersion: 5 })).toBe("bad.onnx: IR version 5: nnc reads IR versions 6–9");
    expect(refusal({ ...base, irVersion: 10 })).toBe("bad.onnx: IR version 10: nnc reads IR versions 6–9");
    expect(refusal({ ...base, opset: 10 })).toBe("bad.onnx: opset 10: nnc reads opsets 11–18");
    expect(refusal({ ...base, opset: 19 })).toBe("bad.onnx: opset 19: nnc reads opsets 11–18");
    const custom = { ...a.nodes[0]!, domain: "com.example" };
    expect(refusal({ ...base, nodes: [custom] })).toMatch(/node "gemm1" \(Gemm\): is in the domain "com.example"/);
  });

  it("a file that is not ONNX, weights stored outside the file, an input without a fixed feature size", () => {
    expect(refusal(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))).toMatch(/^bad\.onnx: not an ONNX model/);
    const a = fc("x", "y", 1);
    const external = { ...a.initializers[0]!, raw_data: undefined, data_location: 1, external_data: [{ key: "location", value: "w.bin" }] };
    expect(refusal({ inputDims: ["batch", 4], nodes: a.nodes, initializers: [external, a.initializers[1]!] })).toMatch(
      /initialiser "w1" is stored outside the .onnx file/,
    );
    expect(refusal({ inputDims: ["batch", "features"], ...a })).toMatch(/the graph input "x" has shape \[\?, \?\]: every dimension but the first/);
  });

  it("weights computed by the graph, a node off the input-to-output path, a value that goes nowhere", () => {
    const computed = refusal({
      inputDims: ["batch", 4],
      nodes: [node("Relu", ["w0"], ["w"], [], "make-w"), node("Gemm", ["x", "w"], ["y"], [attr.int("transB", 1)], "g")],
      initializers: [randomFloats("w0", [3, 4], 1)],
    });
    expect(computed).toMatch(/node "g" \(Gemm\): input 2 \(B, the weights, "w"\) is computed by the graph; nnc needs it stored in the file as an initialiser/);
    const a = fc("x", "y", 1);
    const stray = refusal({
      inputDims: ["batch", 4],
      nodes: [...a.nodes, node("Relu", ["c"], ["d"], [], "stray")],
      initializers: [...a.initializers, floats("c", [1], [1])],
    });
    expect(stray).toBe('bad.onnx: node "stray" (Relu): is not on the path from the input "x" to the output "y"; nnc imports a chain of layers');
    const cycle = refusal({
      inputDims: ["batch", 4],
      nodes: [node("Identity", ["x"], ["a"], [], "i1"), node("Identity", ["a"], ["x"], [], "i2")],
      initializers: [],
    });
    expect(cycle).toBe('bad.onnx: node "i1" (Identity): the graph has a cycle back to this node');
    const nowhere = refusal({ inputDims: ["batch", 4], nodes: a.nodes, initializers: a.initializers, output: "z" });
    expect(nowhere).toBe('bad.onnx: the value "y" is not used by any node and is not the graph\'s output "z"');
  });
});
