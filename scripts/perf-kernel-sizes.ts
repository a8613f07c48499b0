// Measurement script (docs/performance.md, optimisation 5): wasm vs TS blocked kernels across net sizes the plan makes blocked (lossAndGradient + step, CPU time)
import { compileSpecUnformatted } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import { dense, makeSpec } from "../test/codegen/specs.js";
import { median } from "./perf-timing.js";
const specs = [
  makeSpec("n32", [dense(32, 32, "tanh"), dense(32, 32, "tanh"), dense(32, 4, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 64 }),
  makeSpec("n100", [dense(100, 20, "relu"), dense(20, 1, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: 32 }),
  makeSpec("n600", [dense(600, 3, "relu"), dense(3, 1, "linear")], "mse", { kind: "sgd" }, { batchSize: 16 }),
  makeSpec("n64b4", [dense(64, 64, "relu"), dense(64, 10, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 4 }),
];
for (const spec of specs) {
  const B = spec.training.batchSize,
    count = B * 8;
  const xs = new Float64Array(count * spec.inputs).map((_, i) => ((i * 7919) % 1000) / 1000);
  const ys = new Float64Array(count * spec.outputs);
  for (let s = 0; s < count; s++) ys[s * spec.outputs + (s % spec.outputs)] = 1;
  const mods: [string, GeneratedModule][] = [];
  for (const kernel of ["ts", "wasm"] as const) mods.push([kernel, (await loadModule(compileSpecUnformatted(spec, { kernel }).text)) as GeneratedModule]);
  const res = new Map<string, number[]>();
  for (let round = 0; round < 5; round++)
    for (const [name, m] of mods) {
      const p = m.createParameters(),
        g = new Float64Array(p.length),
        st = m.createOptimizer();
      let samples = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let b = 0; performance.now() - t0 < 300; b++) {
        const f = (b % 8) * B;
        m.lossAndGradient(p, xs.subarray(f * spec.inputs), ys.subarray(f * spec.outputs), B, g);
        m.step(p, g, st, 0);
        samples += B;
      }
      const u = process.cpuUsage(c0);
      (res.get(name) ?? res.set(name, []).get(name)!).push(samples / ((u.user + u.system) / 1e6));
    }
  console.log(spec.name, `batch ${B}`, mods.map(([n]) => `${n} ${(median(res.get(n)!) / 1000).toFixed(1)}k`).join("  "));
}
