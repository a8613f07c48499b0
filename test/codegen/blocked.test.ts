// The blocked batch shape (src/emit/batched.ts): lossAndGradient as register-blocked matrix products over
// chunks of samples. Checked against the reference interpreter (1e-12 relative, f64; compareModules' f32
// tolerances for f32 specs) and, because it sums every product in the interpreter's order, bit for bit
// against the per-sample shape; chunks smaller than the batch and tiles that do not divide the sizes force
// every remainder loop. The gradient checker must pass on blocked modules too.
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { checkGradients } from "../../src/check/index.js";
import { planSpec } from "../../src/plan.js";
import { compareModules, formatMismatches } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";
import { dense, dropout, lettersSpec, makeSpec } from "./specs.js";

const fashionSpec = makeSpec("fashion", [dense(784, 128, "relu"), dense(128, 10, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 64 });

describe("plan: which nets get the blocked batch shape", () => {
  it("medium nets (a layer too big to unroll) are blocked, in chunks of at most the batch", () => {
    const letters = planSpec(lettersSpec());
    expect(letters.batch.shape).toBe("blocked");
    expect(letters.batch.chunk).toBe(256);
    expect(letters.batchBuffers.map((b) => [b.name, b.size])).toEqual([
      ["A1B", 256 * 20],
      ["DZ1B", 256 * 20],
      ["GA1B", 256 * 20],
      ["Z2B", 256 * 26],
      ["A2B", 256 * 26],
      ["DZ2B", 256 * 26],
    ]);
    expect(planSpec(fashionSpec).batch).toMatchObject({ shape: "blocked", chunk: 64 });
  });
  it("tiny nets, batches of one and dropout stay per-sample", () => {
    expect(planSpec(makeSpec("t", [dense(2, 4, "tanh"), dense(4, 1, "sigmoid")], "binary_crossentropy")).batch.shape).toBe("per-sample");
    expect(planSpec(makeSpec("b", [dense(100, 20, "relu"), dense(20, 1, "linear")], "mse", { kind: "sgd" }, { batchSize: 1 })).batch.shape).toBe("per-sample");
    const withDropout = makeSpec("d", [dense(100, 20, "relu"), dropout(20, 0.5), dense(20, 3, "softmax")], "categorical_crossentropy");
    expect(planSpec(withDropout).batch.shape).toBe("per-sample");
    expect(planSpec(withDropout, { batchShape: "blocked" }).batch.shape).toBe("per-sample");
  });
});

describe("blocked = interpreter, and = per-sample bit for bit", () => {
  const tiles = [
    { samples: 4, outputs: 4 },
    { samples: 3, outputs: 2 },
    { samples: 1, outputs: 5 },
  ];
  for (let seed = 1; seed <= 24; seed++) {
    it(`random spec ${seed}`, async () => {
      const spec = randomSpec(seed, { dropout: false });
      const tile = tiles[seed % tiles.length]!;
      const chunkLimit = 1 + (seed % 4);
      const compiled = compileSpecUnformatted(spec, { batchShape: "blocked", chunkLimit, tile });
      expect(compiled.plan.batch.shape).toBe("blocked");
      const blocked = await loadModule(compiled.text);
      expect(formatMismatches(compareModules(blocked, interpret(spec), spec, { seed, samples: 7 }))).toBe("");
      if (spec.precision === "f64") {
        const perSample = await loadModule(compileSpecUnformatted(spec, { batchShape: "per-sample" }).text);
        expect(formatMismatches(compareModules(blocked, perSample, spec, { seed, samples: 7, tolerance: 0, trainTolerance: 0 }))).toBe("");
      }
    });
  }

  it("a letters-shaped net (289-20-26, batch 1024) with the plan's own choice and a 1024-sample chunk", async () => {
    const spec = lettersSpec();
    for (const chunkLimit of [256, 1024]) {
      const module = await loadModule(compileSpecUnformatted(spec, { chunkLimit }).text);
      expect(formatMismatches(compareModules(module, interpret(spec), spec, { samples: 9, trainSamples: 6, epochs: 1 }))).toBe("");
    }
  });

  it("passes the gradient check (f64, medium net, blocked by the plan)", async () => {
    const spec = makeSpec("medium", [dense(40, 24, "tanh"), dense(24, 5, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 16 });
    const compiled = compileSpecUnformatted(spec);
    expect(compiled.plan.batch.shape).toBe("blocked");
    const report = checkGradients({ spec, module: await loadModule(compiled.text) });
    expect(report.rows.filter((r) => r.status === "fail")).toEqual([]);
    expect(report.passed).toBe(true);
  });
});
