// Whole-module check of the unroll policy: samples/s of lossAndGradient + step for a few networks built
// three ways (every function looped, the measured policy, every function unrolled). Run:
//   npx tsx scripts/measure-shapes.ts
// Timed in process CPU time (best of 5 rounds of 200 ms), so other load on the machine matters less.
// Figures drift between runs and machines: compare ratios within one run.
import { compileSpecUnformatted } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import type { Layer, Spec } from "../src/ir.js";
import { createRng } from "../src/prng.js";

function spec(name: string, sizes: number[], acts: string[], loss: Spec["loss"]["kind"], batch: number): Spec {
  const layers: Layer[] = acts.map((a, i) => ({
    kind: "dense",
    inputs: sizes[i]!,
    outputs: sizes[i + 1]!,
    activation: { kind: a as "tanh", alpha: 0 },
    range: null,
  }));
  return {
    name,
    fileName: `${name}.nn`,
    sourceHash: "0",
    inputs: sizes[0]!,
    inputShape: [sizes[0]!],
    outputs: sizes[sizes.length - 1]!,
    classes: null,
    layers,
    loss: { kind: loss, written: "mse", range: null },
    init: { scheme: { kind: "xavier" }, seed: 1, range: null },
    training: {
      optimizer: { kind: "sgd" },
      learningRate: 0.01,
      epochs: 1,
      batchSize: batch,
      shuffle: false,
      weightDecay: 0,
      schedule: { kind: "constant" },
      stop: [],
      seed: 1,
      range: null,
    },
    data: null,
    precision: "f64",
    variables: {},
    sweeps: [],
  };
}

const nets = [
  spec("gender 2-2-1", [2, 2, 1], ["sigmoid", "sigmoid"], "mse", 1),
  spec("planar 2-4-1", [2, 4, 1], ["tanh", "sigmoid"], "binary_crossentropy", 400),
  spec("square 1-32-1", [1, 32, 1], ["relu", "linear"], "mse", 100),
  spec("16-16-16", [16, 16, 16], ["tanh", "sigmoid"], "binary_crossentropy", 64),
  spec("24-24-24", [24, 24, 24], ["tanh", "sigmoid"], "binary_crossentropy", 64),
  spec("32-32-32", [32, 32, 32], ["tanh", "sigmoid"], "binary_crossentropy", 64),
  spec("letters 289-20-26", [289, 20, 26], ["sigmoid", "sigmoid"], "binary_crossentropy", 256),
];

console.log("| network | all loops samples/s | policy samples/s | all unrolled samples/s |");
console.log("|---|---|---|---|");
/** Milliseconds of CPU this process used: robust against other processes sharing the cores. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

for (const s of nets) {
  const rng = createRng(3);
  const n = s.training.batchSize;
  const xs = new Float64Array(n * s.inputs).map(() => rng.uniform());
  const ys = new Float64Array(n * s.outputs).map(() => (rng.uniform() < 0.5 ? 0 : 1));
  const row: string[] = [];
  for (const unrollLimit of [0, undefined, Infinity]) {
    const m = await loadModule(compileSpecUnformatted(s, { unrollLimit }).text);
    const params = m.createParameters();
    const grad = new Float64Array(params.length);
    const state = m.createOptimizer();
    const run = (): void => {
      m.lossAndGradient(params, xs, ys, n, grad);
      m.step(params, grad, state, 0);
    };
    const warm = cpuMs();
    while (cpuMs() - warm < 300) for (let k = 0; k < 100; k++) run();
    let best = 0;
    for (let round = 0; round < 5; round++) {
      let calls = 0;
      const start = cpuMs();
      while (cpuMs() - start < 200) {
        // Read the clock every `inner` calls only: getrusage costs about a microsecond.
        const inner = Math.max(1, Math.ceil(20000 / n));
        for (let k = 0; k < inner; k++) run();
        calls += inner;
      }
      best = Math.max(best, (calls * n) / ((cpuMs() - start) / 1000));
    }
    row.push(Math.round(best).toLocaleString("en-US"));
  }
  console.log(`| ${s.name} | ${row.join(" | ")} |`);
}
