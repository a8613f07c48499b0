// The differential suite over random convolutional IRs (test/support/random-conv-spec.ts), split across test
// files so vitest's workers share it. Every spec is checked against the float64 reference interpreter
// (direct convolution and pooling loops: src/layers/conv/interpret.ts, src/layers/pool/interpret.ts) in
// the measured policy's code; some specs also in every code shape the image layers have (all windows
// looped, all unrolled), which must agree with each other bit for bit (the same summation order).
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { compareModules, formatMismatches } from "../support/differential.js";
import { randomConvSpec } from "../support/random-conv-spec.js";

/** Few samples: the interpreter's conv loops are slow, and each spec runs forward, gradients, steps and train(). */
const SMALL = { samples: 2, trainSamples: 4, epochs: 2 } as const;

export function randomConvSuite(first: number, last: number, options: { everyShape: (seed: number) => boolean }): void {
  describe(`generated conv module = interpreter on random conv IRs ${first}–${last}`, () => {
    for (let seed = first; seed <= last; seed++) {
      it(`random conv spec ${seed}`, async () => {
        const spec = randomConvSpec(seed);
        const module = await loadModule(compileSpecUnformatted(spec).text);
        expect(formatMismatches(compareModules(module, interpret(spec), spec, { seed, ...SMALL }))).toBe("");
        if (!options.everyShape(seed) || spec.precision !== "f64") return;
        const looped = await loadModule(compileSpecUnformatted(spec, { unrollLimit: 0 }).text);
        const unrolled = await loadModule(compileSpecUnformatted(spec, { unrollLimit: Infinity }).text);
        expect(formatMismatches(compareModules(looped, interpret(spec), spec, { seed, ...SMALL }))).toBe("");
        expect(formatMismatches(compareModules(looped, unrolled, spec, { seed, ...SMALL, tolerance: 0, trainTolerance: 0 }))).toBe("");
      });
    }
  });
}
