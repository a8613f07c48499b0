// Measurement script (docs/performance.md, optimisation 5): precision f32 modules, TS blocked vs wasm kernels
// (f32 storage, f64x2 arithmetic), lossAndGradient + step per batch, CPU-time samples/s, median of rounds.
import { compileSpecUnformatted } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import { dense, makeSpec } from "../test/codegen/specs.js";

const letters = { ...makeSpec("letters", [dense(289, 20, "sigmoid"), dense(20, 26, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { learningRate: 1, batchSize: 1024 }), precision: "f32" as const };
const fashion = { ...makeSpec("fashion", [dense(784, 128, "relu"), dense(128, 10, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { learningRate: 0.1, batchSize: 64 }), precision: "f32" as const };
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
for (const spec of [letters, fashion]) {
  const B = spec.training.batchSize;
  const count = B * 4;
  const xs = new Float32Array(count * spec.inputs).map((_, i) => ((i * 7919) % 1000) / 1000);
  const ys = new Float32Array(count * spec.outputs);
  for (let s = 0; s < count; s++) ys[s * spec.outputs + (s % spec.outputs)] = 1;
  const mods: [string, GeneratedModule][] = [];
  for (const kernel of ["ts", "wasm"] as const) mods.push([kernel, (await loadModule(compileSpecUnformatted(spec, { kernel }).text)) as GeneratedModule]);
  const res = new Map<string, number[]>(mods.map(([n]) => [n, []]));
  for (let round = 0; round < 5; round++) {
    for (const [name, m] of mods) {
      const p = m.createParameters();
      const g = new Float32Array(p.length);
      const st = m.createOptimizer();
      let samples = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let b = 0; performance.now() - t0 < 400; b++) {
        const f = (b % 4) * B;
        m.lossAndGradient(p, xs.subarray(f * spec.inputs), ys.subarray(f * spec.outputs), B, g);
        m.step(p, g, st, 0);
        samples += B;
      }
      const u = process.cpuUsage(c0);
      res.get(name)!.push(samples / ((u.user + u.system) / 1e6));
    }
  }
  console.log(`${spec.name} f32`, mods.map(([n]) => `${n} ${(median(res.get(n)!) / 1000).toFixed(1)}k`).join("  "));
}
