// Scratch measurement (issue 21): what the generated module's argument checks cost. The W4 net
// (bench/specs/w4-letters.nn: 289-20-26 sigmoid, f32, wasm kernels) is built once; the "unchecked" variant
// is the same module text with every call of a check helper replaced by `void 0` (a regex over the
// unformatted text), so the two differ in the checks only. Timed: predict and a createPredictor predictor
// on one sample (µs per call), and lossAndGradient + step on one batch of 1024 (ms per batch). Rounds
// alternate the variants; medians of process CPU time (scripts/perf-timing.ts).
// Usage: npx tsx scripts/perf-checks.ts [rounds=3]
import { readFileSync } from "node:fs";
import { compileSpecUnformatted } from "../src/compile.js";
import { parseSpec } from "../src/front/index.js";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import { cpuMicrosPerCall, median } from "./perf-timing.js";

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

const figures: Record<string, { predict: number[]; predictor: number[]; batch: number[] }> = {};
for (const name of Object.keys(variants)) figures[name] = { predict: [], predictor: [], batch: [] };
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
    // Round 0 warms up the JIT and is not counted.
    if (r === 0) continue;
    figures[name]!.predict.push(predict);
    figures[name]!.predictor.push(viaPredictor);
    figures[name]!.batch.push(batch / 1000);
  }
}

console.log(`W4 (289-20-26, f32, wasm kernels); ${removed} check calls removed for "unchecked"; medians of ${rounds} interleaved rounds (process CPU)`);
console.log("variant    predict µs  predictor µs  lossAndGradient+step ms (batch 1024)");
for (const [name, f] of Object.entries(figures)) {
  console.log(
    `${name.padEnd(10)} ${median(f.predict).toFixed(3).padStart(10)}  ${median(f.predictor).toFixed(3).padStart(12)}  ${median(f.batch).toFixed(3).padStart(10)}`,
  );
}
