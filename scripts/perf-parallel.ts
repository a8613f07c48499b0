// `npx tsx scripts/perf-parallel.ts [rounds]`: trainParallel's scaling on the W4 and W5 nets (bench/specs/), in three parts.
// 1. Capacity: how many cores this machine gives us now (the bench's probeCapacity). Two worker threads each run
//    lossAndGradient on one slice's rows for 1.5 s, independently (no synchronisation), against one alone: on an
//    idle 2-core machine the total is ~2×; on a busy one less, and the scaling below can be no better than that.
// 2. Scaling: train() on this thread, trainParallel on 1 thread (this one) and on 2 (this one and a worker), interleaved round by round, one epoch of
//    random data each (W4 30,000 samples, W5 10,000), samples/s from the onBatch clock after the first 5 batches
//    (start-up and JIT warm-up excluded), median of the rounds.
// 3. Parts (process CPU time, one thread, so a busy machine disturbs it less): per batch, lossAndGradient over the
//    whole batch and over its slices, the step, the copies and the slice sums the caller or the workers add; and the
//    batch time they predict for 1 and 2 threads without any synchronisation cost.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { transform } from "esbuild";
import { compileSpecUnformatted } from "../src/compile.js";
import { loadSpec } from "../src/front/index.js";
import type { GeneratedModule, Vector } from "../src/module-api.js";
import { probeCapacity } from "../bench/contestants/parallel.js";

type Parallel = GeneratedModule & Required<Pick<GeneratedModule, "trainParallel">> & { PARALLEL_SLICE: number };

const rounds = Number(process.argv[2] ?? 5);
const SERVE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.url).then((m) => m.serveTrainingWorker(parentPort));
`;
/** A vector of the module's precision, in shared memory when `shared`. */
function vector(m: GeneratedModule, n: number, shared = false): Vector {
  const f32 = m.meta.precision === "f32";
  const bytes = n * (f32 ? 4 : 8);
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return f32 ? new Float32Array(buffer) : new Float64Array(buffer);
}

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function capacity(url: string): Promise<string> {
  const { one, all } = await probeCapacity(url, 2, 1500);
  return `two independent threads do ${(all / one).toFixed(2)}× one's work (${Math.round(one)} vs ${Math.round(all)} lossAndGradient calls/s)`;
}

async function scaling(m: Parallel, url: string, count: number): Promise<void> {
  const I = m.meta.inputs;
  const O = m.meta.outputs;
  const xs = vector(m, count * I, true);
  const ys = vector(m, count * O, true);
  for (let i = 0; i < xs.length; i++) xs[i] = Math.random();
  for (let s = 0; s < count; s++) ys[s * O + (s % O)] = 1;
  const pool = Array.from({ length: 1 }, () => new Worker(SERVE, { eval: true, workerData: { url } }));
  const batch = m.meta.training.batchSize;
  const initial = m.createParameters();
  const rates: Record<"train" | "1 thread" | "2 threads", number[]> = { train: [], "1 thread": [], "2 threads": [] };
  for (let r = 0; r < rounds; r++) {
    for (const kind of Object.keys(rates) as (keyof typeof rates)[]) {
      const times: number[] = [];
      const options = { epochs: 1, evaluateEvery: 1000, onBatch: () => void times.push(performance.now()) };
      const params = initial.slice();
      if (kind === "train") m.train(params, xs, ys, count, options);
      // trainParallel's caller takes slices too: 1 thread is no worker, 2 threads one.
      else await m.trainParallel(params, xs, ys, count, pool.slice(0, kind === "1 thread" ? 0 : 1), options);
      const skip = 5;
      rates[kind].push(((times.length - 1 - skip) * batch) / ((times.at(-1)! - times[skip]!) / 1000));
    }
  }
  await Promise.all(pool.map((w) => w.terminate()));
  for (const [kind, r] of Object.entries(rates))
    console.log(`  ${kind.padEnd(9)} ${Math.round(median(r)).toString().padStart(7)} samples/s   (rounds: ${r.map(Math.round).join(", ")})`);
  console.log(
    `  2 threads ÷ train(): ${(median(rates["2 threads"]) / median(rates.train)).toFixed(2)}; 2 threads ÷ 1 thread: ${(median(rates["2 threads"]) / median(rates["1 thread"])).toFixed(2)}`,
  );
}

function parts(m: Parallel): void {
  const I = m.meta.inputs;
  const O = m.meta.outputs;
  const P = m.meta.parameters;
  const B = m.meta.training.batchSize;
  const S = m.PARALLEL_SLICE;
  const K = Math.ceil(B / S);
  const xs = vector(m, B * I).map(() => Math.random());
  const ys = vector(m, B * O);
  for (let s = 0; s < B; s++) ys[s * O + (s % O)] = 1;
  const p = m.createParameters();
  const g = vector(m, P);
  const state = m.createOptimizer();
  const views = Array.from({ length: K }, () => vector(m, P));
  const shared = vector(m, P, true);
  const time = (f: () => void, reps: number): number => {
    for (let i = 0; i < 20; i++) f();
    const r: number[] = [];
    for (let k = 0; k < 7; k++) {
      const t = cpuMs();
      for (let i = 0; i < reps; i++) f();
      r.push((cpuMs() - t) / reps);
    }
    return median(r);
  };
  const whole = time(() => void m.lossAndGradient(p, xs, ys, B, g), 50);
  const sliced = time(() => {
    for (let k = 0; k < K; k++) m.lossAndGradient(p, xs.subarray(k * S * I), ys.subarray(k * S * O), S, views[k]!);
  }, 50);
  const step = time(() => m.step(p, g, state, 0), 200);
  const copies = time(() => {
    shared.set(p.subarray(0, P));
    g.set(shared);
  }, 200);
  // As sumSlices does it for a full batch: the slices in order, one division, unrolled over the slice count.
  const [v0, v1 = v0, v2 = v0, v3 = v0] = views as [Vector, ...Vector[]];
  const sums = time(() => {
    if (K === 1) for (let i = 0; i < P; i++) g[i] = v0[i]!;
    else if (K === 2) for (let i = 0; i < P; i++) g[i] = (v0[i]! + v1[i]!) / 2;
    else if (K === 3) for (let i = 0; i < P; i++) g[i] = (v0[i]! + v1[i]! + v2[i]!) / 3;
    else for (let i = 0; i < P; i++) g[i] = (v0[i]! + v1[i]! + v2[i]! + v3[i]!) / 4;
  }, 100);
  const us = (ms: number): string => `${Math.round(ms * 1000)} µs`;
  console.log(`  ${P} parameters, batch ${B} = ${K} slices of ${S}`);
  console.log(`  lossAndGradient: whole batch ${us(whole)}, as ${K} slices ${us(sliced)} (${(sliced / whole).toFixed(2)}×)`);
  console.log(`  step ${us(step)} and copies (parameters in, gradient out) ${us(copies)} on the caller; slice sums ${us(sums)} shared by the workers`);
  for (const w of [1, 2]) {
    const batch = sliced / Math.min(w, K) + sums / w + step + copies;
    console.log(
      `  predicted, ${w} thread${w === 1 ? "" : "s"}, no synchronisation cost: ${us(batch)} a batch, ${((whole + step) / batch).toFixed(2)}× train()`,
    );
  }
}

for (const [file, count] of [
  ["w4-letters.nn", 30_000],
  ["w5-fashion.nn", 10_000],
] as const) {
  const { text } = compileSpecUnformatted(loadSpec(join(import.meta.dirname, "..", "bench", "specs", file)));
  const { code } = await transform(text, { loader: "ts", format: "esm", target: "es2022" });
  const url = `data:text/javascript;base64,${Buffer.from(code, "utf8").toString("base64")}`;
  const m = (await import(url)) as Parallel;
  console.log(`${m.meta.name} (${rounds} rounds)`);
  console.log(`  capacity before: ${await capacity(url)}`);
  await scaling(m, url, count);
  console.log(`  capacity after: ${await capacity(url)}`);
  parts(m);
}
