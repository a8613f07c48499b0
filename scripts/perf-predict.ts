// Scratch measurement (issue 7, W6 and evaluate): evaluate over 10k samples and single-sample latency of
// predict and createPredictor, letters 289-20-26 and fashion 784-128-10, variants interleaved in one
// process, median of rounds, per second of process CPU time. "wasm f32" is the same net compiled with precision f32 (half the bytes of weights to stream per sample; f32x4 kernels since optimisation 8). "per-sample" is the per-sample shape (the
// evaluate every module had before the blocked evaluate). Usage: npx tsx scripts/perf-predict.ts [rounds]
import { compileSpecUnformatted, type CompileOptions } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import { dense, makeSpec } from "../test/codegen/specs.js";
import type { Spec } from "../src/ir.js";
import { median, cpuMs, cpuMicrosPerCall } from "./perf-timing.js";

const letters = makeSpec(
  "letters",
  [dense(289, 20, "sigmoid"), dense(20, 26, "sigmoid")],
  "binary_crossentropy",
  { kind: "sgd" },
  { learningRate: 1, batchSize: 1024 },
);
const fashion = makeSpec(
  "fashion",
  [dense(784, 128, "relu"), dense(128, 10, "softmax")],
  "categorical_crossentropy",
  { kind: "sgd" },
  { learningRate: 0.1, batchSize: 64 },
);

const variants: Record<string, CompileOptions> = {
  "per-sample": { batchShape: "per-sample" },
  "blocked ts": { kernel: "ts" },
  wasm: { kernel: "wasm" },
  "wasm f32": { kernel: "wasm", precision: "f32" },
};
const rounds = Number(process.argv[2] ?? 5);
const COUNT = 10000;

function data(spec: Spec, count: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(count * spec.inputs);
  const ys = new Float64Array(count * spec.outputs);
  let seed = 1;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < xs.length; i++) xs[i] = rand();
  for (let s = 0; s < count; s++) ys[s * spec.outputs + Math.floor(rand() * spec.outputs)] = 1;
  return { xs, ys };
}

for (const [label, spec] of [
  ["letters", letters],
  ["fashion", fashion],
] as const) {
  const { xs, ys } = data(spec, COUNT);
  const names = Object.keys(variants);
  const modules = new Map<string, GeneratedModule>();
  for (const name of names) modules.set(name, (await loadModule(compileSpecUnformatted(spec, variants[name]!).text)) as GeneratedModule);
  const figures = new Map<string, { evaluate: number[]; predict: number[]; predictor: number[] }>(
    names.map((n) => [n, { evaluate: [], predict: [], predictor: [] }]),
  );
  for (let r = 0; r <= rounds; r++) {
    for (const name of names.map((_, k) => names[(k + r) % names.length]!)) {
      const m = modules.get(name)!;
      const params = m.createParameters();
      const out = new Float64Array(spec.outputs);
      const x = xs.subarray(0, spec.inputs);
      const run = m.createPredictor!(params);
      const f = figures.get(name)!;
      const e = cpuMs(() => m.evaluate(params, xs, ys, COUNT));
      const p = cpuMicrosPerCall(() => m.predict(params, x, out));
      const q = cpuMicrosPerCall(() => run(x, out));
      if (r > 0) (f.evaluate.push(e), f.predict.push(p), f.predictor.push(q)); // round 0 warms up
    }
  }
  for (const name of names) {
    const f = figures.get(name)!;
    console.log(
      `${label.padEnd(8)} ${name.padEnd(11)} evaluate(10k) ${median(f.evaluate).toFixed(1).padStart(6)} ms   predict ${median(f.predict).toFixed(2).padStart(6)} µs   predictor ${median(f.predictor).toFixed(2).padStart(6)} µs`,
    );
  }
}
