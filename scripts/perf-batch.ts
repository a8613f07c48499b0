// Scratch benchmark (issue 7): letters (289-20 sigmoid-26 sigmoid, BCE, batch 1024) and fashion (784-128
// relu-10 softmax, CE, batch 64), SGD, lossAndGradient + step per batch, samples/s per second of process CPU time (the machine is shared); variants interleaved
// in one process, median of rounds. Usage: npx tsx scripts/perf-batch.ts [rounds] [variant names…]
import { compileSpecUnformatted, type CompileOptions } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import { dense, makeSpec } from "../test/codegen/specs.js";
import type { Spec } from "../src/ir.js";
import { median } from "./perf-timing.js";

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

export const variants: Record<string, CompileOptions> = {
  "per-sample": { batchShape: "per-sample" },
  blocked: { kernel: "ts" },
  wasm: { kernel: "wasm" },
  "wasm c1024": { kernel: "wasm", chunkLimit: 1024 },
  "wasm c64": { kernel: "wasm", chunkLimit: 64 },
  "o1 (predict 1 output/pass)": { tile: { samples: 4, outputs: 1 } },
  "t4x4 c1024": { tile: { samples: 4, outputs: 4 }, chunkLimit: 1024 },
  "t4x4 c64": { tile: { samples: 4, outputs: 4 }, chunkLimit: 64 },
  t2x4: { tile: { samples: 2, outputs: 4 } },
  t4x2: { tile: { samples: 4, outputs: 2 } },
  t2x2: { tile: { samples: 2, outputs: 2 } },
  t3x4: { tile: { samples: 3, outputs: 4 } },
  t4x8: { tile: { samples: 4, outputs: 8 } },
};

const rounds = Number(process.argv[2] ?? 5);
const names = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(variants);

function data(spec: Spec, count: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(count * spec.inputs);
  const ys = new Float64Array(count * spec.outputs);
  let seed = 1;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < xs.length; i++) xs[i] = rand();
  for (let s = 0; s < count; s++) ys[s * spec.outputs + Math.floor(rand() * spec.outputs)] = 1;
  return { xs, ys };
}

/** Samples/s of `batches` lossAndGradient + step calls over consecutive batches. */
function time(m: GeneratedModule, spec: Spec, xs: Float64Array, ys: Float64Array, count: number, seconds: number): number {
  const B = spec.training.batchSize;
  const params = m.createParameters();
  const grad = new Float64Array(params.length);
  const state = m.createOptimizer();
  let samples = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  let b = 0;
  while (performance.now() - start < seconds * 1000) {
    const first = (b * B) % count;
    const n = Math.min(B, count - first);
    m.lossAndGradient(params, xs.subarray(first * spec.inputs), ys.subarray(first * spec.outputs), n, grad);
    m.step(params, grad, state, 0);
    samples += n;
    b++;
  }
  const used = process.cpuUsage(cpu);
  return samples / ((used.user + used.system) / 1e6);
}

function latency(m: GeneratedModule, xs: Float64Array, inputs: number): number {
  const params = m.createParameters();
  const out = new Float64Array(m.meta.outputs);
  const x = xs.subarray(0, inputs);
  let calls = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < 200) {
    for (let k = 0; k < 100; k++) m.predict(params, x, out);
    calls += 100;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / calls;
}

for (const [label, spec, count] of [
  ["letters", letters, 8192],
  ["fashion", fashion, 4096],
] as const) {
  const { xs, ys } = data(spec, count);
  const modules = new Map<string, GeneratedModule>();
  for (const name of names) modules.set(name, (await loadModule(compileSpecUnformatted(spec, variants[name]!).text)) as GeneratedModule);
  const results = new Map<string, number[]>(names.map((n) => [n, []]));
  const lat = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const name of names) time(modules.get(name)!, spec, xs, ys, count, 0.3); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, k) => names[(k + r) % names.length]!);
    for (const name of order) {
      results.get(name)!.push(time(modules.get(name)!, spec, xs, ys, count, 0.6));
      lat.get(name)!.push(latency(modules.get(name)!, xs, spec.inputs));
    }
  }
  for (const name of names) {
    console.log(
      `${label.padEnd(8)} ${name.padEnd(14)} ${(median(results.get(name)!) / 1000).toFixed(1).padStart(7)}k samples/s   predict ${median(lat.get(name)!).toFixed(2)} µs   [${results
        .get(name)!
        .map((v) => (v / 1000).toFixed(0))
        .join(" ")}]`,
    );
  }
}
