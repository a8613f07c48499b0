// The differential suite over random convolutional IRs (test/support/random-conv-spec.ts), split across test
// files so vitest's workers share it. Every spec is checked against the float64 reference interpreter
// (direct convolution and pooling loops: src/layers/conv/interpret.ts, src/layers/pool/interpret.ts) in
// the measured policy's code; some specs also in every code shape the image layers have: per-sample with
// all windows looped and all unrolled (bit for bit the same in f64: the same summation order), and the
// blocked strategy through im2col in TS and in the WebAssembly kernels.
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
        if (!options.everyShape(seed)) return;
        // The per-sample code with every window looped and every window unrolled: the same sums in the same order.
        const perSample = { batchShape: "per-sample" } as const;
        const looped = await loadModule(compileSpecUnformatted(spec, { ...perSample, unrollLimit: 0 }).text);
        const unrolled = await loadModule(compileSpecUnformatted(spec, { ...perSample, unrollLimit: Infinity }).text);
        expect(formatMismatches(compareModules(looped, interpret(spec), spec, { seed, ...SMALL }))).toBe("");
        if (spec.precision === "f64")
          expect(formatMismatches(compareModules(looped, unrolled, spec, { seed, ...SMALL, tolerance: 0, trainTolerance: 0 }))).toBe("");
        // The blocked strategy (im2col and the planned product) in TS and in the WebAssembly kernels, with chunks of 3 so a batch spans several.
        if (spec.layers.some((l) => l.kind === "dropout")) return;
        for (const kernel of ["ts", "wasm"] as const) {
          const blocked = await loadModule(compileSpecUnformatted(spec, { batchShape: "blocked", kernel, chunkLimit: 3 }).text);
          expect(formatMismatches(compareModules(blocked, interpret(spec), spec, { seed, ...SMALL }))).toBe("");
        }
      });
    }
  });
}
