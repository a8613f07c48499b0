// The blocked evaluate (chunks through the blocked forward: wasm kernels when loaded, TS chunk functions
// otherwise), predictBatch (the same chunked forward, outputs out) and createPredictor (a parameter snapshot; wasm modules keep it in kernel memory). Oracles: the
// reference interpreter (1e-12 relative for f64, 1e-4 for f32) and, for f64, the per-sample module bit for
// bit (the blocked forward sums in the interpreter's order). The predictor is checked after the caller
// changes params (the snapshot must not move), with a second predictor and lossAndGradient/evaluate
// overwriting the kernel memory in between, and in a module loaded without WebAssembly.
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted, type CompileOptions } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { randomData } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";
import { createRng } from "../../src/prng.js";
import { dense, lettersSpec, makeSpec } from "./specs.js";
import type { GeneratedModule } from "../../src/module-api.js";
import type { Spec } from "../../src/ir.js";

type Vector = Float64Array | Float32Array;

const fashionSpec = makeSpec("fashion", [dense(784, 128, "relu"), dense(128, 10, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 64 });

let distinct = 0;
async function load(spec: Spec, options: CompileOptions, withoutWebAssembly = false): Promise<GeneratedModule> {
  const text = `${compileSpecUnformatted(spec, options).text}\nexport const loadedAs = ${++distinct};\n`;
  const g = globalThis as { WebAssembly?: unknown };
  const saved = g.WebAssembly;
  if (withoutWebAssembly) g.WebAssembly = undefined;
  try {
    return await loadModule(text);
  } finally {
    g.WebAssembly = saved;
  }
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): string {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let k = 0; k < actual.length; k++) {
    const a = actual[k]!;
    const e = expected[k]!;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) return `[${k}] ${a} ≠ ${e}`;
  }
  return "";
}

const VARIANTS: Record<string, CompileOptions> = {
  wasm: { batchShape: "blocked", kernel: "wasm", chunkLimit: 7 },
  "ts blocked": { batchShape: "blocked", kernel: "ts", chunkLimit: 7 },
  "per-sample": { batchShape: "per-sample" },
};

const specs: [string, Spec][] = [
  ["letters", lettersSpec()],
  ["fashion", fashionSpec],
  ...Array.from({ length: 6 }, (_, k): [string, Spec] => [
    `random ${k + 1}`,
    { ...randomSpec(200 + k, { dropout: false }), precision: k % 3 === 2 ? "f32" : "f64" },
  ]),
];

describe("blocked evaluate, predictBatch and createPredictor", () => {
  for (const [label, spec] of specs) {
    const f32 = spec.precision === "f32";
    const tol = f32 ? 1e-4 : 1e-12;
    it(`${label} (${spec.precision}): evaluate and predictBatch over several chunks and the predictor match the interpreter`, async () => {
      const reference = interpret(spec);
      const rng = createRng(7);
      const count = 23; // 3 full chunks of 7 and a tail of 2
      const data = randomData(spec, count, rng, f32);
      const Array_ = f32 ? Float32Array : Float64Array;
      const params0 = Array.from(reference.createParameters(3));
      const results = new Map<string, { loss: number; accuracy: number | null }>();
      for (const [name, options] of Object.entries(VARIANTS)) {
        const m = await load(spec, options);
        const params = Array_.from(params0.map((v) => (f32 ? Math.fround(v) : v)));
        const xs = Array_.from(data.xs);
        const ys = Array_.from(data.ys);
        const got = m.evaluate(params, xs, ys, count);
        const want = reference.evaluate(Float64Array.from(params), Float64Array.from(xs), Float64Array.from(ys), count);
        expect(close([got.loss], [want.loss], tol), `${name} evaluate loss`).toBe("");
        if (!f32) expect(got.accuracy, `${name} accuracy`).toBe(want.accuracy);
        results.set(name, got);

        // The predictor against the interpreter's predict, sample by sample.
        const run = m.createPredictor!(params);
        const sample = (s: number): Vector => xs.subarray(s * spec.inputs, (s + 1) * spec.inputs);
        const expected = (p: ArrayLike<number>, s: number): Float64Array =>
          reference.predict(Float64Array.from(p), Float64Array.from(sample(s))) as Float64Array;
        for (let s = 0; s < 5; s++) expect(close(run(sample(s)), expected(params, s), tol), `${name} predictor sample ${s}`).toBe("");
        // `out` is written and returned.
        const out = new Array_(spec.outputs);
        expect(run(sample(0), out)).toBe(out);
        expect(close(out, expected(params, 0), tol)).toBe("");

        // The caller changes params: the old predictor keeps its snapshot; a new one sees the change.
        const before = Array.from(params);
        for (let i = 0; i < params.length; i++) params[i] = params[i]! * 0.5 + 0.01;
        const run2 = m.createPredictor!(params);
        // Kernel memory overwritten by lossAndGradient and evaluate between predictor calls.
        m.lossAndGradient(params, xs, ys, count, new Array_(params.length));
        expect(close(run(sample(1)), expected(before, 1), tol), `${name} old predictor after params changed`).toBe("");
        expect(close(run2(sample(1)), expected(params, 1), tol), `${name} new predictor`).toBe("");
        m.evaluate(params, xs, ys, count);
        expect(close(run(sample(2)), expected(before, 2), tol), `${name} old predictor after evaluate`).toBe("");
        expect(close(run2(sample(2)), expected(params, 2), tol), `${name} new predictor after the old one`).toBe("");
        // predict stays exact for any params.
        expect(close(m.predict(params, sample(3)), expected(params, 3), tol)).toBe("");

        // predictBatch: every row's outputs in order, as the interpreter's predict (f64: the module's own predict bit for bit).
        const O = spec.outputs;
        const batch = m.predictBatch!(params, xs, count);
        expect(batch.length, `${name} predictBatch length`).toBe(count * O);
        expect(batch.constructor).toBe(Array_);
        for (let s = 0; s < count; s++) {
          const row = batch.subarray(s * O, (s + 1) * O);
          expect(close(row, expected(params, s), tol), `${name} predictBatch row ${s}`).toBe("");
          if (!f32) expect(Array.from(row), `${name} predictBatch row ${s} = predict`).toEqual(Array.from(m.predict(params, sample(s))));
        }
        const into = new Array_(count * O + 3).fill(-7);
        expect(m.predictBatch!(params, xs, count, into)).toBe(into);
        expect(Array.from(into.subarray(0, count * O))).toEqual(Array.from(batch));
        expect(Array.from(into.subarray(count * O))).toEqual([-7, -7, -7]);
        expect(m.predictBatch!(params, xs, 0).length).toBe(0);
        // Kernel memory holds the last call's parameters: a predictor made before must not see them.
        expect(close(run2(sample(4)), expected(params, 4), tol), `${name} predictor after predictBatch`).toBe("");
      }
      // f64: the blocked forward sums in the interpreter's order, so all three shapes agree bit for bit.
      if (!f32) {
        expect(results.get("wasm")).toEqual(results.get("per-sample"));
        expect(results.get("ts blocked")).toEqual(results.get("per-sample"));
      }
    });
  }

  it("without WebAssembly the wasm module's evaluate, predictBatch and predictor fall back to TS and still match", async () => {
    const spec = lettersSpec();
    const m = await load(spec, VARIANTS["wasm"]!, true);
    const withKernels = await load(spec, VARIANTS["wasm"]!);
    const reference = interpret(spec);
    const data = randomData(spec, 19, createRng(3));
    const xs = Float64Array.from(data.xs);
    const ys = Float64Array.from(data.ys);
    const params = m.createParameters();
    expect(m.evaluate(params, xs, ys, 19)).toEqual(withKernels.evaluate(params, xs, ys, 19));
    expect(close([m.evaluate(params, xs, ys, 19).loss], [reference.evaluate(params, xs, ys, 19).loss], 1e-12)).toBe("");
    const run = m.createPredictor!(params);
    const x = xs.subarray(0, spec.inputs);
    const first = Array.from(run(x));
    expect(first).toEqual(Array.from(withKernels.createPredictor!(params)(x)));
    expect(close(first, reference.predict(params, x), 1e-12)).toBe("");
    expect(Array.from(m.predictBatch!(params, xs, 19))).toEqual(Array.from(withKernels.predictBatch!(params, xs, 19)));
    params.fill(0.1); // the snapshot does not move with params
    expect(Array.from(run(x))).toEqual(first);
    expect(Array.from(run(x))).not.toEqual(Array.from(m.predict(params, x)));
  });
});
