// trainAsync: the same training as train(), bit for bit (parameters, history, report), on every batch
// strategy (fused, per-sample, blocked TS, blocked wasm kernels) and with dropout, stop criteria and
// shuffling from random specs; it really hands the event loop back (macrotasks run while it trains, none
// while train() does); an AbortSignal stops it after the batch it is in, as shouldStop does.
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted, type CompileOptions } from "../../src/compile.js";
import { strategyOf } from "../../src/emit/strategy.js";
import { loadSpec } from "../../src/front/index.js";
import { loadModule } from "../../src/harness/load.js";
import type { GeneratedModule, TrainOptions, TrainingReport, Vector } from "../../src/module-api.js";
import type { Spec } from "../../src/ir.js";
import { randomSpec } from "../support/random-spec.js";
import { lettersSpec } from "../codegen/specs.js";

type AsyncOptions = TrainOptions & { signal?: { readonly aborted: boolean }; yieldEveryMs?: number };
type WithAsync = GeneratedModule & { trainAsync(params: Vector, xs: Vector, ys: Vector, count: number, options?: AsyncOptions): Promise<TrainingReport> };

/** Deterministic data for a module (an LCG independent of the module's PRNG); targets one-hot or 0/1. */
function dataFor(module: GeneratedModule, count: number): { xs: Vector; ys: Vector } {
  const f32 = module.meta.precision === "f32";
  const xs = f32 ? new Float32Array(count * module.meta.inputs) : new Float64Array(count * module.meta.inputs);
  const ys = f32 ? new Float32Array(count * module.meta.outputs) : new Float64Array(count * module.meta.outputs);
  let state = 12345;
  for (let i = 0; i < xs.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    xs[i] = (state / 2 ** 32) * 2 - 1;
  }
  for (let s = 0; s < count; s++) ys[s * module.meta.outputs + (s % module.meta.outputs)] = module.meta.outputs === 1 ? s % 2 : 1;
  return { xs, ys };
}

async function load(spec: Spec, options: CompileOptions = {}): Promise<{ module: WithAsync; strategy: string }> {
  const compiled = compileSpecUnformatted(spec, options);
  return { module: (await loadModule(compiled.text)) as WithAsync, strategy: strategyOf(compiled.plan) };
}

/** train and trainAsync from the same start: the parameters and reports must be identical. */
async function expectSame(module: WithAsync, count: number, options: TrainOptions, asyncOptions: AsyncOptions): Promise<void> {
  const { xs, ys } = dataFor(module, count);
  const a = module.createParameters(2);
  const b = module.createParameters(2);
  const sync = module.train(a, xs, ys, count, options);
  const viaAsync = await module.trainAsync(b, xs, ys, count, { ...options, ...asyncOptions });
  expect(viaAsync.stoppedBy).toBe(sync.stoppedBy);
  expect(viaAsync.epochs).toBe(sync.epochs);
  expect(viaAsync.history).toEqual(sync.history);
  expect(viaAsync.bestEpoch).toBe(sync.bestEpoch);
  expect(Array.from(b)).toEqual(Array.from(a));
}

describe("trainAsync", () => {
  it("equals train bit for bit on the specs of every batch strategy, pausing after every batch or every 10 ms", async () => {
    const strategies = new Set<string>();
    const cases: [string, Spec, CompileOptions][] = [
      ["planar", loadSpec("specs/planar.nn"), {}],
      ["gender", loadSpec("specs/gender.nn"), {}],
      ["gender (per-layer functions)", loadSpec("specs/gender.nn"), { sampleShape: "layers" }],
      ["letters (kernels)", lettersSpec(), {}],
      ["letters (blocked TS)", lettersSpec(), { kernel: "ts" }],
    ];
    for (const [name, spec, options] of cases) {
      const { module, strategy } = await load(spec, options);
      strategies.add(strategy);
      const count = name.startsWith("letters") ? 300 : 40;
      for (const yieldEveryMs of [0, 10]) {
        await expectSame(module, count, { epochs: name.startsWith("letters") ? 2 : 30 }, { yieldEveryMs });
      }
    }
    expect([...strategies].sort()).toEqual(["blocked", "fused", "kernels", "per-sample"]);
  }, 120_000);

  it("equals train bit for bit on random specs (dropout, stop criteria, early stopping, shuffling, f32) under forced code shapes", async () => {
    const shapes: CompileOptions[] = [
      {},
      { batchShape: "blocked", kernel: "ts", chunkLimit: 8 },
      { batchShape: "blocked", kernel: "wasm" },
      { sampleShape: "layers" },
    ];
    let dropout = 0;
    let stops = 0;
    let early = 0;
    let shuffled = 0;
    let f32 = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const spec = randomSpec(seed, { maxSize: 12 });
      if (spec.layers.some((layer) => layer.kind === "dropout")) dropout++;
      if (spec.training.stop.length > 0) stops++;
      if (spec.training.stop.some((stop) => stop.kind === "early")) early++;
      if (spec.training.shuffle) shuffled++;
      if (spec.precision === "f32") f32++;
      const { module } = await load(spec, shapes[seed % shapes.length]!);
      const evalSet = dataFor(module, 7);
      await expectSame(module, 23, { epochs: 6, test: { xs: evalSet.xs, ys: evalSet.ys, count: 7 } }, { yieldEveryMs: 0 });
    }
    expect(dropout).toBeGreaterThan(0);
    expect(stops).toBeGreaterThan(0);
    expect(early).toBeGreaterThan(0);
    expect(shuffled).toBeGreaterThan(0);
    expect(f32).toBeGreaterThan(0);
  }, 120_000);

  it("hands the event loop back while training (macrotasks run), and train() does not", async () => {
    const { module } = await load(loadSpec("specs/planar.nn"));
    const { xs, ys } = dataFor(module, 400);
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    module.train(module.createParameters(), xs, ys, 400, { epochs: 300 });
    const duringSync = ticks;
    const started = ticks;
    const params = module.createParameters();
    const report = await module.trainAsync(params, xs, ys, 400, { epochs: 300, yieldEveryMs: 1 });
    const duringAsync = ticks - started;
    ticking = false;
    expect(duringSync).toBe(0);
    expect(report.epochs).toBe(300);
    expect(duringAsync).toBeGreaterThan(0);
  });

  it("an aborted signal stops after the batch it is in, as shouldStop does (stoppedBy interrupted)", async () => {
    const { module } = await load(loadSpec("specs/gender.nn"));
    const { xs, ys } = dataFor(module, 8);
    const controller = new AbortController();
    const a = module.createParameters();
    const b = module.createParameters();
    let polls = 0;
    const sync = module.train(a, xs, ys, 8, { epochs: 50, shouldStop: () => ++polls === 37 });
    let batches = 0;
    const viaAsync = await module.trainAsync(b, xs, ys, 8, {
      epochs: 50,
      signal: controller.signal,
      onBatch: () => {
        if (++batches === 37) controller.abort();
      },
    });
    expect(sync.stoppedBy).toBe("interrupted");
    expect(viaAsync.stoppedBy).toBe("interrupted");
    expect(viaAsync.epochs).toBe(sync.epochs);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
