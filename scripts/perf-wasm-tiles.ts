// Measurement script (docs/performance.md, optimisations 5 and 7): wasm kernel tile variants + per-call copy cost (count = 1).
// Usage: npx tsx scripts/perf-wasm-tiles.ts [tiles, e.g. 4x2,2x4] [f64|f32]
import { compileSpecUnformatted } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import { WASM_TILE, WASM_TILE_F32 } from "../src/emit/wasm/kernels.js";
import type { GeneratedModule } from "../src/module-api.js";
import { dense, makeSpec } from "../test/codegen/specs.js";
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
const tiles = (process.argv[2] ?? "4x2,2x2,4x1,2x4,3x2,4x3").split(",").map((t) => t.split("x").map(Number) as [number, number]);
const precision = process.argv[3] === "f32" ? "f32" : "f64";
const Arr = precision === "f32" ? Float32Array : Float64Array;
for (const spec of [letters, fashion]) {
  const B = spec.training.batchSize,
    count = B * 4;
  const xs = new Arr(count * spec.inputs).map((_, i) => ((i * 7919) % 1000) / 1000);
  const ys = new Arr(count * spec.outputs);
  for (let s = 0; s < count; s++) ys[s * spec.outputs + (s % spec.outputs)] = 1;
  const mods: [string, GeneratedModule][] = [];
  for (const [r, v] of tiles) {
    const tile = precision === "f32" ? WASM_TILE_F32 : WASM_TILE;
    tile.rows = r;
    tile.vectors = v;
    mods.push([`${r}x${v}`, (await loadModule(compileSpecUnformatted(spec, { precision }).text)) as GeneratedModule]);
  }
  const res = new Map<string, number[]>();
  const one = new Map<string, number[]>();
  // variants interleaved in an order rotated each round
  for (let round = 0; round < 5; round++)
    for (let k = 0; k < mods.length; k++) {
      const [name, m] = mods[(k + round) % mods.length]!;
      const p = m.createParameters(),
        g = new Arr(p.length);
      let samples = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let b = 0; performance.now() - t0 < 400; b++) {
        const f = (b % 4) * B;
        m.lossAndGradient(p, xs.subarray(f * spec.inputs), ys.subarray(f * spec.outputs), B, g);
        samples += B;
      }
      const u = process.cpuUsage(c0);
      (res.get(name) ?? res.set(name, []).get(name)!).push(samples / ((u.user + u.system) / 1e6));
      let calls = 0;
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      while (performance.now() - t1 < 150) {
        m.lossAndGradient(p, xs, ys, 1, g);
        calls++;
      }
      const u1 = process.cpuUsage(c1);
      (one.get(name) ?? one.set(name, []).get(name)!).push((u1.user + u1.system) / calls);
    }
  for (const [name] of mods)
    console.log(
      spec.name,
      precision,
      name,
      (median(res.get(name)!) / 1000).toFixed(1) + "k samples/s (lossAndGradient only)",
      "count=1 call " + median(one.get(name)!).toFixed(1) + " µs",
    );
}
