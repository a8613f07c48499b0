// Scratch measurement (issue 21): what the generated module's argument checks cost. The W4 net
// (bench/specs/w4-letters.nn: 289-20-26 sigmoid, f32, wasm kernels) is built once; the "unchecked" variant
// is the same module text with every call of a check helper replaced by `void 0` (a regex over the
// unformatted text), so the two differ in the checks only. Timed: predict and a createPredictor predictor
// on one sample (µs per call), and lossAndGradient + step on one batch of 1024 (ms per batch); and the
// worst case for per-call checks, W1 (bench/specs/w1-gender.nn: 2-2-1, 4 samples, batch 1): train() for
// 1000 epochs, 4000 batches (ms; train calls the unchecked lossAndGradient and step per batch, src/emit/checks.ts).
// Rounds alternate the variants; medians of process CPU time (scripts/perf-timing.ts).
// Usage: npx tsx scripts/perf-checks.ts [rounds=3]
import { readFileSync } from "node:fs";
import { compileSpecUnformatted } from "../src/compile.js";
import { parseSpec } from "../src/front/index.js";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import { cpuMicrosPerCall, cpuMs, median } from "./perf-timing.js";

const CHECK_CALL = /(?<!function )\bcheck(?:Length|Integer|Finite|Object|Optimizer|TrainOptions)\([^;]*\);/g;

const { spec } = parseSpec(readFileSync("bench/specs/w4-letters.nn", "utf8"), "w4-letters.nn");
if (spec === null) throw new Error("bench/specs/w4-letters.nn does not parse");
const checked = compileSpecUnformatted(spec).text;
const unchecked = checked.replace(CHECK_CALL, "void 0;");
const removed = (checked.match(CHECK_CALL) ?? []).length;
const variants: Record<string, GeneratedModule> = {
  checked: await loadModule(checked),
  unchecked: await loadModule(unchecked),
};
// The regex really took the checks out (and only them): a one-short x is refused by one variant only. Tried on
// separate instances of the modules (another text, another import): an out-of-bounds read in the timed
// instance would slow its typed-array loads for the rest of the run.
const refuses = (m: GeneratedModule): boolean => {
  try {
    m.predict(m.createParameters(), new Float32Array(spec.inputs - 1));
    return false;
  } catch {
    return true;
  }
};
if (!refuses(await loadModule(`${checked}\n// sanity`)) || refuses(await loadModule(`${unchecked}\n// sanity`)))
  throw new Error("the unchecked variant is not the module without its checks");
const rounds = Number(process.argv[2] ?? 3);
const BATCH = 1024;

let seed = 1;
const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
const xs = new Float32Array(BATCH * spec.inputs).map(() => rand());
const ys = new Float32Array(BATCH * spec.outputs);
for (let s = 0; s < BATCH; s++) ys[s * spec.outputs + Math.floor(rand() * spec.outputs)] = 1;
const x = xs.subarray(0, spec.inputs);
const out = new Float32Array(spec.outputs);

// W1: the same two variants of the tiny per-sample net.
const w1 = parseSpec(readFileSync("bench/specs/w1-gender.nn", "utf8"), "w1-gender.nn").spec;
if (w1 === null) throw new Error("bench/specs/w1-gender.nn does not parse");
const w1Text = compileSpecUnformatted(w1).text;
const w1Variants: Record<string, GeneratedModule> = { checked: await loadModule(w1Text), unchecked: await loadModule(w1Text.replace(CHECK_CALL, "void 0;")) };
const w1Raw = Float64Array.of(60.3, 165, 72.6, 183, 68.9, 178, 54.4, 152);
const w1Ys = Float64Array.of(1, 0, 0, 1);

const figures: Record<string, { predict: number[]; predictor: number[]; batch: number[]; w1: number[] }> = {};
for (const name of Object.keys(variants)) figures[name] = { predict: [], predictor: [], batch: [], w1: [] };
for (let r = 0; r <= rounds; r++) {
  const order = r % 2 === 0 ? ["checked", "unchecked"] : ["unchecked", "checked"];
  for (const name of order) {
    const m = variants[name]!;
    const params = m.createParameters();
    const grad = new Float32Array(m.meta.parameters);
    const state = m.createOptimizer();
    const predictor = m.createPredictor!(params);
    const predict = cpuMicrosPerCall(() => void m.predict(params, x, out));
    const viaPredictor = cpuMicrosPerCall(() => void predictor(x, out));
    const batch = cpuMicrosPerCall(() => {
      m.lossAndGradient(params, xs, ys, BATCH, grad);
      m.step(params, grad, state, 0);
    });
    const tiny = w1Variants[name]!;
    const w1Params = tiny.createParameters();
    const w1Xs = tiny.preprocess(w1Params, w1Raw, 4);
    const w1Train =
      cpuMs(() => {
        for (let k = 0; k < 10; k++) tiny.train(w1Params.slice(), w1Xs, w1Ys, 4, { epochs: 1000 });
      }) / 10;
    // Round 0 warms up the JIT and is not counted.
    if (r === 0) continue;
    figures[name]!.w1.push(w1Train);
    figures[name]!.predict.push(predict);
    figures[name]!.predictor.push(viaPredictor);
    figures[name]!.batch.push(batch / 1000);
  }
}

console.log(`W4 (289-20-26, f32, wasm kernels); ${removed} check calls removed for "unchecked"; medians of ${rounds} interleaved rounds (process CPU)`);
console.log("variant    W4 predict µs  W4 predictor µs  W4 lossAndGradient+step ms (batch 1024)  W1 train ms (1000 epochs)");
for (const [name, f] of Object.entries(figures)) {
  const cell = (values: number[], width: number): string => median(values).toFixed(3).padStart(width);
  console.log(`${name.padEnd(10)} ${cell(f.predict, 13)}  ${cell(f.predictor, 15)}  ${cell(f.batch, 42)}  ${cell(f.w1, 25)}`);
}
