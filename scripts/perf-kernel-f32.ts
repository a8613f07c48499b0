// Measurement script (docs/performance.md, optimisations 5 and 7): the letters (289-20-26, BCE, batch 1 024)
// and Fashion (784-128-10, CE, batch 64) nets as f64 and `precision f32` modules, TS blocked vs wasm kernels
// (f64x2 for f64; f32x4 for f32), interleaved in one process, median of rounds, per second of process CPU
// time: lossAndGradient + step (samples/s), evaluate over 10 000 samples (ms), and the createPredictor
// call (µs). With `--before DIR` (a checkout of an earlier commit, e.g. `git archive HEAD | tar -x -C DIR`
// with node_modules linked), the same variants compiled by DIR's compiler run interleaved with ours, so
// before/after is measured in one process. Usage: npx tsx scripts/perf-kernel-f32.ts [rounds] [--before DIR]
import { compileSpecUnformatted as compileHere, type CompileOptions } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import type { Spec } from "../src/ir.js";
import { dense, makeSpec } from "../test/codegen/specs.js";
import { median, cpuMs, cpuMicrosPerCall } from "./perf-timing.js";

const args = process.argv.slice(2);
const beforeAt = args.indexOf("--before");
const beforeDir = beforeAt >= 0 ? args[beforeAt + 1]! : null;
const rounds = Number(args.find((a, k) => /^\d+$/.test(a) && args[k - 1] !== "--before") ?? 5);
type Compile = (spec: Spec, options: CompileOptions) => { text: string };
const compilers: [string, Compile][] = [["", compileHere]];
if (beforeDir !== null)
  compilers.push(["before ", ((await import(`${beforeDir}/src/compile.ts`)) as { compileSpecUnformatted: Compile }).compileSpecUnformatted]);

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
const variants: [string, CompileOptions][] = [
  ["f64 wasm", { kernel: "wasm" }],
  ["f32 ts", { kernel: "ts", precision: "f32" }],
  ["f32 wasm", { kernel: "wasm", precision: "f32" }],
];

for (const base of [letters, fashion]) {
  const B = base.training.batchSize;
  const evalCount = 10000;
  let seed = 1;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const xs = Float64Array.from({ length: evalCount * base.inputs }, rand);
  const ys = new Float64Array(evalCount * base.outputs);
  for (let s = 0; s < evalCount; s++) ys[s * base.outputs + Math.floor(rand() * base.outputs)] = 1;
  const mods: { name: string; m: GeneratedModule; xs: Float64Array | Float32Array; ys: Float64Array | Float32Array }[] = [];
  for (const [prefix, compile] of compilers) {
    for (const [name, options] of variants) {
      const f32 = options.precision === "f32";
      const m = (await loadModule(compile(base, options).text)) as GeneratedModule;
      mods.push({ name: prefix + name, m, xs: f32 ? Float32Array.from(xs) : xs, ys: f32 ? Float32Array.from(ys) : ys });
    }
  }
  const res = new Map(mods.map(({ name }) => [name, { train: [] as number[], evaluate: [] as number[], predictor: [] as number[] }]));
  for (let round = 0; round <= rounds; round++) {
    for (let k = 0; k < mods.length; k++) {
      const { name, m, xs: X, ys: Y } = mods[(k + round) % mods.length]!;
      const p = m.createParameters();
      const g = new (p.constructor as Float64ArrayConstructor)(p.length);
      const st = m.createOptimizer();
      let samples = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let b = 0; performance.now() - t0 < 400; b++) {
        const f = (b % 4) * B;
        m.lossAndGradient(p, X.subarray(f * base.inputs), Y.subarray(f * base.outputs), B, g);
        m.step(p, g, st, 0);
        samples += B;
      }
      const u = process.cpuUsage(c0);
      const e = cpuMs(() => m.evaluate(p, X, Y, evalCount));
      const run = m.createPredictor!(p);
      const x = X.subarray(0, base.inputs);
      const out = new (p.constructor as Float64ArrayConstructor)(base.outputs);
      const q = cpuMicrosPerCall(() => run(x, out));
      if (round === 0) continue; // warm-up
      const r = res.get(name)!;
      r.train.push(samples / ((u.user + u.system) / 1e6));
      r.evaluate.push(e);
      r.predictor.push(q);
    }
  }
  for (const { name } of mods) {
    const r = res.get(name)!;
    console.log(
      `${base.name.padEnd(8)} ${name.padEnd(16)} train ${(median(r.train) / 1000).toFixed(1).padStart(6)}k samples/s [${r.train.map((v) => (v / 1000).toFixed(0)).join(" ")}]   evaluate(10k) ${median(r.evaluate).toFixed(1).padStart(6)} ms   predictor ${median(r.predictor).toFixed(2).padStart(6)} µs`,
    );
  }
}
