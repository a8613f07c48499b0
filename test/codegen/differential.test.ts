// Differential tests (issue 3's acceptance bar): every spec in specs/ (formatted, as `nnc build` writes it)
// and random IRs 1–120 (the rest in differential-more.test.ts) against the reference interpreter.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSpec, compileSpecUnformatted } from "../../src/compile.js";
import { loadSpec } from "../../src/front/index.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { compareModules, formatMismatches } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";
import { randomDifferentialSuite } from "./random-range.js";

const specFiles = readdirSync("specs")
  .filter((f) => f.endsWith(".nn"))
  .sort();

describe("generated module = interpreter on every spec in specs/", () => {
  it("finds the specs", () => {
    expect(specFiles.length).toBeGreaterThan(0);
  });
  for (const file of specFiles) {
    it(file, async () => {
      const spec = loadSpec(`specs/${file}`);
      const module = await loadModule((await compileSpec(spec)).text);
      // Few samples: fashion's 784-256-128-10 interpreter runs are slow.
      const mismatches = compareModules(module, interpret(spec), spec, { samples: 3, trainSamples: 6, epochs: 2 });
      expect(formatMismatches(mismatches)).toBe("");
    });
  }
});

describe("code shapes agree: everything looped, everything unrolled, the measured policy", () => {
  for (const seed of [3, 17, 41, 77, 123, 256]) {
    it(`random spec ${seed}: loops and unrolled code give the same numbers as the interpreter`, async () => {
      // f64: an f32 module rounds at different points in the two shapes (a sum kept in a double vs accumulated in a Float32Array).
      const spec = randomSpec(seed, { maxSize: 12, precision: "f64" });
      const looped = await loadModule(compileSpecUnformatted(spec, { unrollLimit: 0 }).text);
      const unrolled = await loadModule(compileSpecUnformatted(spec, { unrollLimit: Infinity }).text);
      expect(formatMismatches(compareModules(looped, interpret(spec), spec))).toBe("");
      expect(formatMismatches(compareModules(unrolled, interpret(spec), spec))).toBe("");
      // Same summation order in both shapes: bit-identical.
      expect(formatMismatches(compareModules(looped, unrolled, spec, { tolerance: 0, trainTolerance: 0 }))).toBe("");
      // Everything unrolled is the fused per-sample body when the net has no dropout; the per-layer functions agree bit for bit.
      const layers = await loadModule(compileSpecUnformatted(spec, { unrollLimit: Infinity, sampleShape: "layers" }).text);
      expect(formatMismatches(compareModules(unrolled, layers, spec, { tolerance: 0, trainTolerance: 0 }))).toBe("");
    });
  }
});

randomDifferentialSuite(1, 120);
