// Scratch benchmark (issue 7, tiny nets): the bench's W1 (2-2-1 sigmoid, mse, per-sample SGD), W2 (2-4 tanh-1
// sigmoid, BCE, full batch 400) and W3 (1-32 relu-1 linear, mse, batch 100) through lossAndGradient + step, for
// modules built into several directories (`node bin/nnc.js build bench/specs/w1-gender.nn … -o DIR`), so an old
// and a new emitter can be compared. Variants are interleaved in one process, each with its own driver (its own
// call sites, so V8 inlines each module's functions as it would in a user's loop), median of rounds of
// samples per second of process CPU time (the machine is shared).
// Usage: npx tsx scripts/perf-tiny.ts ROUNDS DIR… (ONLY=W3 to run the workloads whose id starts with W3)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadModule } from "../src/harness/load.js";
import type { GeneratedModule } from "../src/module-api.js";
import { genderData, planarData, squareData, type Dataset } from "../bench/data.js";
import { median } from "./perf-timing.js";

const rounds = Number(process.argv[2] ?? 5);
const dirs = process.argv.slice(3);
if (dirs.length === 0) throw new Error("usage: npx tsx scripts/perf-tiny.ts ROUNDS DIR…");

interface Workload {
  id: string;
  file: string;
  data: Dataset;
  batch: number;
  /** W1's harness slices each sample with subarray (an allocation per call); "pre-sliced" passes views made once. */
  slicing: "subarray" | "pre-sliced" | "none";
}

const all: Workload[] = [
  { id: "W1 pre-sliced", file: "w1_gender.ts", data: genderData(), batch: 1, slicing: "pre-sliced" },
  { id: "W1 subarray", file: "w1_gender.ts", data: genderData(), batch: 1, slicing: "subarray" },
  { id: "W2", file: "w2_planar.ts", data: planarData(400), batch: 400, slicing: "none" },
  { id: "W3", file: "w3_square.ts", data: squareData(1000), batch: 100, slicing: "none" },
];

const workloads = all.filter((w) => w.id.startsWith(process.env.ONLY ?? ""));

type Driver = (m: GeneratedModule, d: Dataset, batch: number, milliseconds: number) => number;

/** A fresh copy of the timing loop per (variant, workload): separate type feedback per module. */
function makeDriver(slicing: Workload["slicing"]): Driver {
  const body = `
    const params = m.createParameters();
    const grad = new Float64Array(params.length);
    const state = m.createOptimizer();
    const ni = d.inputs, no = d.outputs, count = d.count;
    const xsViews = [], ysViews = [];
    for (let s = 0; s < count; s++) { xsViews.push(d.xs.subarray(s * ni, (s + 1) * ni)); ysViews.push(d.ys.subarray(s * no, (s + 1) * no)); }
    let samples = 0, b = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    while (performance.now() - start < milliseconds) {
      for (let r = 0; r < 64; r++, b++) {
        const first = (b * batch) % count;
        const n = Math.min(batch, count - first);
        ${
          slicing === "pre-sliced"
            ? "m.lossAndGradient(params, xsViews[first], ysViews[first], 1, grad);"
            : slicing === "subarray"
              ? "m.lossAndGradient(params, d.xs.subarray(first * ni, (first + 1) * ni), d.ys.subarray(first * no, (first + 1) * no), 1, grad);"
              : "m.lossAndGradient(params, d.xs.subarray(first * ni), d.ys.subarray(first * no), n, grad);"
        }
        m.step(params, grad, state, 0);
        samples += n;
      }
    }
    const used = process.cpuUsage(cpu);
    if (!Number.isFinite(params[0])) console.warn("diverged (NaN arithmetic can be slower)");
    return samples / ((used.user + used.system) / 1e6);`;
  return new Function("m", "d", "batch", "milliseconds", "process", body).bind(null) as unknown as Driver;
}

const modules = new Map<string, GeneratedModule>();
for (const dir of dirs) {
  for (const w of workloads) {
    if (!modules.has(join(dir, w.file))) modules.set(join(dir, w.file), await loadModule(readFileSync(join(dir, w.file), "utf8")));
  }
}
const drivers = new Map<string, Driver>();
const results = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const w of workloads) {
    for (const dir of dirs) {
      const key = `${w.id} ${dir}`;
      if (!drivers.has(key)) drivers.set(key, makeDriver(w.slicing));
      const driver = drivers.get(key)!;
      const rate = (driver as unknown as (...a: unknown[]) => number)(modules.get(join(dir, w.file))!, w.data, w.batch, 400, process);
      if (round > 0) results.set(key, [...(results.get(key) ?? []), rate]); // round 0 warms up
    }
  }
}
for (const w of workloads) {
  const base = median(results.get(`${w.id} ${dirs[0]}`)!);
  for (const dir of dirs) {
    const rates = results.get(`${w.id} ${dir}`)!;
    const m = median(rates);
    const unit = w.batch === 1 ? "steps/s" : w.id === "W2" ? "iterations/s" : "samples/s";
    const scale = w.id === "W2" ? 1 / w.batch : 1;
    const f = (x: number): string => ((x * scale) / 1e6).toFixed(w.id === "W2" ? 4 : 2);
    // The best round too: on a loaded machine it is the least disturbed one.
    console.log(`${w.id.padEnd(14)} ${dir.padEnd(28)} ${f(m).padStart(8)} M ${unit} (best ${f(Math.max(...rates))})  ×${(m / base).toFixed(2)}`);
  }
}
