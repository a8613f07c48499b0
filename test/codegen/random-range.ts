// The differential suite over random IRs, split across test files so vitest's two workers share it.
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { compareModules, formatMismatches } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";

/**
 * Random specs `first` … `last`: each generated module (pre-prettier text: formatting changes no behaviour
 * and prettier costs ~0.3 s per module; the specs/ and golden modules go through prettier) must agree with
 * the reference interpreter to 1e-12 relative (f64; compareModules' f32 tolerances for f32 specs) in forward
 * output, loss, gradients, input gradients, optimiser steps and a short train().
 */
export function randomDifferentialSuite(first: number, last: number): void {
  describe(`generated module = interpreter on random IRs ${first}–${last}`, () => {
    for (let seed = first; seed <= last; seed++) {
      it(`random spec ${seed}`, async () => {
        const spec = randomSpec(seed);
        const module = await loadModule(compileSpecUnformatted(spec).text);
        const mismatches = compareModules(module, interpret(spec), spec, { seed });
        expect(formatMismatches(mismatches)).toBe("");
      });
    }
  });
}
