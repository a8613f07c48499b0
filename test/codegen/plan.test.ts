// The plan: layout offsets, buffers, memory and code-shape decisions, checked against hand-computed values.
import { describe, expect, it } from "vitest";
import { formatPlan, planSpec, UNROLL_LIMIT } from "../../src/plan.js";
import { dense, dropout, lettersSpec, makeSpec } from "./specs.js";

describe("planSpec", () => {
  it("lays out letters' parameters: weights row-major then biases, layer by layer", () => {
    const plan = planSpec(lettersSpec());
    expect(plan.layout).toEqual([
      { name: "layer1.weight", offset: 0, shape: [20, 289], size: 5780 },
      { name: "layer1.bias", offset: 5780, shape: [20], size: 20 },
      { name: "layer2.weight", offset: 5800, shape: [26, 20], size: 520 },
      { name: "layer2.bias", offset: 6320, shape: [26], size: 26 },
    ]);
    expect(plan.parameters).toBe(6346);
  });

  it("estimates memory in bytes from parameters, gradient, optimiser state, scratch and train() buffers", () => {
    const plan = planSpec(lettersSpec());
    expect(plan.memory.parameters).toBe(6346 * 8);
    expect(plan.memory.gradient).toBe(6346 * 8);
    expect(plan.memory.optimizerState).toBe(0); // plain sgd
    // A1 (20: sigmoid needs no z) + Z2, A2, DZ2 (26 each: BCE reads z; fused, so no GA2; DZ2 is the output
    // delta). A blocked plan has no per-sample backward: no DZ1, GA1.
    expect(plan.buffers.map((b) => b.name)).toEqual(["A1", "Z2", "A2", "DZ2"]);
    expect(planSpec(lettersSpec(), { batchShape: "per-sample" }).buffers.map((b) => b.name)).toEqual(["A1", "DZ1", "GA1", "Z2", "A2", "DZ2"]);
    // Plus the blocked batch shape's chunk buffers (256 rows of A1, DZ1, GA1, Z2, A2, DZ2).
    const scratch = (20 + 3 * 26) * 8 + (3 * 20 + 3 * 26) * 8 * 256;
    expect(plan.memory.scratch).toBe(scratch + (2 * 6346 + 2 * 256 * 289) * 8); // + the wasm kernels' copies: parameters, gradient, chunk inputs and input gradient
    // f32: 4-byte numbers, and a third copy of the parameters (their transpose PT, for the packed forward)
    expect(planSpec(lettersSpec(), { precision: "f32" }).memory.scratch).toBe(scratch / 2 + (3 * 6346 + 2 * 256 * 289) * 4);
    expect(planSpec(lettersSpec(), { kernel: "ts" }).memory.scratch).toBe(scratch);
    expect(plan.memory.training).toBe(1024 * (289 + 26) * 8 + 2 * 6346 * 8);
    expect(plan.memory.total).toBe(plan.memory.parameters + plan.memory.gradient + plan.memory.scratch + plan.memory.training);
    expect(planSpec(lettersSpec(), { precision: "f32" }).memory.parameters).toBe(6346 * 4);
  });

  it("unrolls small layers and loops large ones, with the reason", () => {
    const plan = planSpec(makeSpec("p", [dense(2, 4, "tanh"), dense(4, 200, "relu"), dense(200, 1, "sigmoid")], "binary_crossentropy"));
    const shapes = plan.layers.map((l) => (l.kind === "dense" ? [l.forward.shape, l.backward.shape] : []));
    expect(shapes).toEqual([
      ["unrolled", "unrolled"], // 8 and 16 multiply-adds
      ["loop", "loop"], // 800 and 1600
      ["unrolled", "unrolled"], // 200 and 400
    ]);
    const first = plan.layers[0]!;
    expect(first.kind === "dense" && first.forward.reason).toContain(`8 multiply-adds ≤ ${UNROLL_LIMIT}`);
    expect(formatPlan(plan)).toContain("layer 2 dense 4→200 relu");
  });

  it("fuses the per-sample code of tiny all-unrolled f64 nets, and only those", () => {
    // W2's net: forward 8 + 4, backward 16 + 8 = 36 multiply-adds, one function's worth.
    const tiny = makeSpec("t", [dense(2, 4, "tanh"), dense(4, 1, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: 400 });
    const plan = planSpec(tiny);
    expect(plan.sample.shape).toBe("fused");
    expect(plan.sample.reason).toContain(`36 multiply-adds per sample (forward and backward) ≤ ${UNROLL_LIMIT}`);
    // dL/dz and dL/da live in locals: no DZ/GA buffers (Z2 stays: evaluate's loss reads it). tanh and σ run
    // batch-wide over blocks of the 400 samples: FA1, FA2, FZ2 (the loss reads z at the output) and FL2 (the
    // loss's batch-wide part, log(1 + e^−|z|)).
    expect(plan.buffers.map((b) => b.name)).toEqual(["A1", "Z2", "A2", "FA1", "FA2", "FZ2", "FL2"]);
    expect(plan.sample.batchActivations).toEqual([1, 2]);
    expect(plan.sample.block).toBe(400);
    expect(plan.buffers.find((b) => b.name === "FA1")!.size).toBe(1600);
    // A batch of one keeps the single loop; a relu net has nothing to run batch-wide.
    const one = planSpec(makeSpec("t", [dense(2, 4, "tanh"), dense(4, 1, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: 1 }));
    expect([one.sample.shape, one.sample.batchActivations, one.sample.block]).toEqual(["fused", [], 0]);
    const relu = planSpec(makeSpec("r", [dense(1, 8, "relu"), dense(8, 1, "linear")], "mse", { kind: "sgd" }, { batchSize: 100 }));
    expect([relu.sample.shape, relu.sample.batchActivations]).toEqual(["fused", []]);
    // Batches over 1 024 are walked in blocks of 1 024.
    expect(
      planSpec(makeSpec("t", [dense(2, 4, "tanh"), dense(4, 1, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: 5000 })).sample.block,
    ).toBe(1024);
    expect(formatPlan(plan)).toContain("sample fused:");
    expect(planSpec(tiny, { sampleShape: "layers" }).buffers.map((b) => b.name)).toEqual(["A1", "DZ1", "GA1", "Z2", "A2", "DZ2"]);
    expect(planSpec(tiny, { precision: "f32" }).sample.shape).toBe("layers");
    expect(planSpec(tiny, { unrollLimit: 20 }).sample.shape).toBe("layers"); // every layer unrolled, the sum (36) too big
    expect(planSpec(tiny, { unrollLimit: 0, batchShape: "per-sample" }).sample.shape).toBe("layers");
    expect(planSpec(makeSpec("d", [dense(3, 5, "relu"), dropout(5, 0.5), dense(5, 2, "softmax")], "categorical_crossentropy")).sample.shape).toBe("layers");
    expect(planSpec(lettersSpec()).sample.shape).toBe("layers"); // blocked
  });

  it("plans dropout: a mask buffer, gradients routed through it", () => {
    const plan = planSpec(makeSpec("d", [dense(3, 5, "relu"), dropout(5, 0.5), dense(5, 2, "softmax")], "categorical_crossentropy"));
    expect(plan.hasDropout).toBe(true);
    const d = plan.layers[1]!;
    expect(d.kind).toBe("dropout");
    expect(d.kind === "dropout" && d.mask).toBe("MASK2");
    const out = plan.layers[2]!;
    expect(out.kind === "dense" && out.input).toEqual({ kind: "buffer", name: "A2" });
    expect(out.kind === "dense" && out.gradientTarget).toEqual({ kind: "buffer", name: "GA2" });
    expect(out.kind === "dense" && out.fusedOutput).toBe(true);
  });

  it("refuses IRs the validator should have refused", () => {
    expect(() => planSpec(makeSpec("x", [dense(3, 2, "relu"), dropout(2, 0.5)], "binary_crossentropy"))).toThrow(/dense output layer/);
    expect(() => planSpec(makeSpec("x", [dense(3, 2, "relu"), dense(3, 1, "linear")], "mse"))).toThrow(/takes 3 inputs but gets 2/);
  });
});
