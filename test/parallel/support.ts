// Helpers of the trainParallel tests: a module's JavaScript loaded both here and in worker_threads Workers
// (eval workers importing the same data: URL, as nnc train's sub-workers do), and the slice-by-slice reference
// that drives the float64 interpreter through the same decomposition as the workers.
import { Worker } from "node:worker_threads";
import { transform } from "esbuild";
import { compileSpecUnformatted, type CompileOptions } from "../../src/compile.js";
import type { Spec } from "../../src/ir.js";
import { epochSeed, type GeneratedModule, type Vector } from "../../src/module-api.js";
import { createRng, shuffleIndices } from "../../src/prng.js";

const WORKER = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.url).then((m) => m.serveTrainingWorker(parentPort));
`;

export interface Loaded {
  m: GeneratedModule;
  url: string;
  text: string;
}

export async function load(spec: Spec, options: CompileOptions = {}): Promise<Loaded> {
  const { text } = compileSpecUnformatted(spec, options);
  const { code } = await transform(text, { loader: "ts", format: "esm", target: "es2022" });
  const url = `data:text/javascript;base64,${Buffer.from(code, "utf8").toString("base64")}`;
  return { m: (await import(/* @vite-ignore */ url)) as GeneratedModule, url, text };
}

export function startWorkers(url: string, n: number): Worker[] {
  return Array.from({ length: n }, () => new Worker(WORKER, { eval: true, workerData: { url } }));
}

export async function stopWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.terminate()));
}

/** Deterministic data: uniform inputs in [-1, 1), one-hot (classes) or smooth (regression) targets. */
export function data(spec: Spec, count: number, f32: boolean): { xs: Vector; ys: Vector } {
  const rng = createRng(99);
  const A = f32 ? Float32Array : Float64Array;
  const xs = new A(count * spec.inputs);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.uniform() * 2 - 1;
  const ys = new A(count * spec.outputs);
  for (let s = 0; s < count; s++) {
    if (spec.outputs === 1) ys[s] = Math.sin(3 * xs[s * spec.inputs]!) * 0.5 + 0.5;
    else ys[s * spec.outputs + Math.floor(rng.uniform() * spec.outputs)] = 1;
  }
  return { xs, ys };
}

export function bytesOf(v: Vector): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * trainParallel's arithmetic done by `oracle` (the interpreter) on one thread: the same shuffled batches, each cut
 * into slices of `slice` samples, each slice's lossAndGradient, the slice gradients combined as the workers combine
 * them (full batch: sum in slice order over the slice count; a shorter one: weighted by rows, over n), one step.
 */
export function slicedTraining(
  oracle: GeneratedModule,
  spec: Spec,
  params: Vector,
  xs: Vector,
  ys: Vector,
  count: number,
  slice: number,
  epochs: number,
): void {
  const P = oracle.meta.parameters;
  const I = spec.inputs;
  const O = spec.outputs;
  const batch = Math.max(1, spec.training.batchSize);
  const slices = Math.ceil(batch / slice);
  const state = oracle.createOptimizer();
  const order = new Int32Array(count);
  const grad = new Float64Array(P);
  const views = Array.from({ length: slices }, () => new Float64Array(P));
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = 0; i < count; i++) order[i] = i;
    if (spec.training.shuffle) shuffleIndices(order, createRng(epochSeed(spec.training.seed, epoch)));
    for (let first = 0; first < count; first += batch) {
      const n = Math.min(batch, count - first);
      const pieces = Math.ceil(n / slice);
      for (let k = 0; k < pieces; k++) {
        const rows = Math.min(slice, n - k * slice);
        const bx = new Float64Array(rows * I);
        const by = new Float64Array(rows * O);
        for (let s = 0; s < rows; s++) {
          const row = order[first + k * slice + s]!;
          for (let i = 0; i < I; i++) bx[s * I + i] = xs[row * I + i]!;
          for (let o = 0; o < O; o++) by[s * O + o] = ys[row * O + o]!;
        }
        oracle.lossAndGradient(params, bx, by, rows, views[k]!);
      }
      const last = n - (pieces - 1) * slice;
      for (let i = 0; i < P; i++) {
        if (pieces === slices && last === slice) {
          let sum = views[0]![i]!;
          for (let k = 1; k < slices; k++) sum += views[k]![i]!;
          grad[i] = sum / slices;
        } else {
          let sum = 0;
          for (let k = 0; k < pieces - 1; k++) sum += views[k]![i]! * slice;
          grad[i] = (sum + views[pieces - 1]![i]! * last) / n;
        }
      }
      oracle.step(params, grad, state, epoch);
    }
  }
}
