// `stop early` across a resume, in process: a run cut after evaluated epoch k (what a checkpoint captures),
// saved through checkpoint.json and resumed, must end exactly as the uninterrupted run — same stop epoch,
// same best epoch, bit-identical parameters and history — for every k, including cuts inside the patience
// window (best epoch < k < stop epoch). The reference interpreter, resumed the same way, is the oracle
// for the stop and best epochs. And resuming without the early-stopping state is shown to differ, so the
// comparison can fail.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { loadSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { loadData } from "../../src/data/load.js";
import type { Dataset } from "../../src/data/dataset.js";
import type { EarlyStoppingState, GeneratedModule, OptimizerState, TrainOptions, TrainingReport } from "../../src/module-api.js";
import { buildCheckpoint, readCheckpoint, writeCheckpoint, type RunIdentity } from "../../src/train/checkpoint.js";
import { tempDir, writeSpec } from "./helpers.js";

// Adam on a small noisy problem with a held-out quarter: the validation loss improves, then stalls.
const SPEC = `model patient
data planar n=80 seed=3
split 0.25
layer fc 2->8 tanh
layer fc 8->1 sigmoid
loss crossentropy
init xavier seed=2
adam lr=0.05 epochs=400 batch=8 shuffle
stop early monitor=val_loss patience=6 min_delta=0.001
`;

const freshEarly = (n: number): EarlyStoppingState => ({ bestEpoch: -1, bestValue: 0, waited: 0, best: new Float64Array(n) });

let module: GeneratedModule;
let train: Dataset;
let held: Dataset;
let specPath: string;
let dir: string;

beforeAll(async () => {
  dir = tempDir("nnc-resume-early-");
  specPath = writeSpec(dir, "patient.nn", SPEC);
  const spec = loadSpec(specPath);
  module = await buildAndLoad(spec);
  const data = loadData(spec, dir);
  train = data.train;
  held = data.test!;
});

function run(options: TrainOptions, params = module.createParameters()): { params: Float64Array; report: TrainingReport } {
  const report = module.train(params, train.features, train.targets, train.count, {
    test: { xs: held.features, ys: held.targets, count: held.count },
    ...options,
  });
  return { params: params as Float64Array, report };
}

describe("stop early survives a resume", { timeout: 120_000 }, () => {
  test("cut after every evaluated epoch, saved as a checkpoint and resumed: the uninterrupted run, bit for bit", () => {
    const whole = run({ earlyStopping: freshEarly(module.meta.parameters) });
    expect(whole.report.stoppedBy).toBe("early");
    const stop = whole.report.epochs;
    const best = whole.report.bestEpoch!;
    expect(stop - best).toBe(7); // patience 6: the 6th evaluation without improvement after the best one stops
    expect(best).toBeGreaterThan(3);

    // The interpreter (float64, generic loops) agrees on when the run stops and which epoch it keeps.
    const oracle = interpret(loadSpec(specPath)).train(module.createParameters(), train.features, train.targets, train.count, {
      test: { xs: held.features, ys: held.targets, count: held.count },
    });
    expect(oracle.stoppedBy).toBe("early");
    expect([oracle.epochs, oracle.bestEpoch]).toEqual([stop, best]);

    const identity: RunIdentity = { epochs: 400, seed: 1, initSeed: 2, evaluateEvery: 1, dataHash: "0".repeat(64), samples: train.count, testDataHash: null };
    const stats = { kind: "none" as const, offset: [0, 0], scale: [1, 1] };
    let insideWindow = 0;
    for (let k = 1; k < stop; k++) {
      // The first k epochs, stopped by the callback right after evaluated epoch k − 1 (where a checkpoint is taken).
      const optimizer: OptimizerState = module.createOptimizer();
      const early = freshEarly(module.meta.parameters);
      const first = run({ optimizer, earlyStopping: early, onEpoch: (m) => m.epoch < k - 1 });
      expect(first.report.epochs).toBe(k);
      const out = join(dir, `cut-${k}`);
      writeCheckpoint(out, buildCheckpoint(module.meta, identity, k, first.params, optimizer, stats, first.report.history, early));
      const saved = readCheckpoint(out, module.meta, identity, module.createOptimizer(), true);
      if (saved.earlyStopping!.waited > 0) insideWindow++;

      const rest = run({ startEpoch: k, optimizer: saved.optimizer, earlyStopping: saved.earlyStopping! }, saved.params);
      expect(rest.report.stoppedBy).toBe("early");
      expect([rest.report.epochs, rest.report.bestEpoch]).toEqual([stop, best]);
      expect(Array.from(rest.params)).toEqual(Array.from(whole.params));
      expect([...saved.checkpoint.history, ...rest.report.history]).toEqual(whole.report.history);
    }
    expect(insideWindow, "some cuts must fall between the best epoch and the stop").toBeGreaterThanOrEqual(6);
  });

  test("without the saved state (what resume did before) the resumed run does not stop where the uninterrupted one does", () => {
    const whole = run({});
    const k = whole.report.bestEpoch! + 3; // inside the patience window
    const optimizer = module.createOptimizer();
    const first = run({ optimizer, onEpoch: (m) => m.epoch < k - 1 });
    const rest = run({ startEpoch: k, optimizer }, first.params);
    expect(rest.report.epochs).not.toBe(whole.report.epochs);
  });

  test("a version 1 checkpoint (no early-stopping state) is refused for a spec with stop early, accepted for one without", () => {
    const identity: RunIdentity = { epochs: 400, seed: 1, initSeed: 2, evaluateEvery: 1, dataHash: "0".repeat(64), samples: train.count, testDataHash: null };
    const out = join(dir, "v1");
    mkdirSync(out);
    const c = buildCheckpoint(
      module.meta,
      identity,
      3,
      module.createParameters(),
      module.createOptimizer(),
      { kind: "none", offset: [0, 0], scale: [1, 1] },
      [],
    );
    const { earlyStopping: _dropped, ...v1 } = { ...c, version: 1 };
    writeSpec(out, "checkpoint.json", JSON.stringify(v1));
    expect(() => readCheckpoint(out, module.meta, identity, module.createOptimizer(), true)).toThrow(
      /version 1 checkpoint.*stop early.*Train again without --resume/,
    );
    expect(readCheckpoint(out, module.meta, identity, module.createOptimizer(), false).checkpoint.epoch).toBe(3);
    // A version 2 checkpoint for a `stop early` spec without the state, or with a malformed one, is refused too.
    writeSpec(out, "checkpoint.json", JSON.stringify(c));
    expect(() => readCheckpoint(out, module.meta, identity, module.createOptimizer(), true)).toThrow(/"earlyStopping" must be/);
    writeSpec(out, "checkpoint.json", JSON.stringify({ ...c, earlyStopping: { bestEpoch: 1, bestValue: "NaN", waited: 1, best: [1, 2] } }));
    expect(() => readCheckpoint(out, module.meta, identity, module.createOptimizer(), true)).toThrow(/"earlyStopping.best" must be/);
    writeSpec(out, "checkpoint.json", JSON.stringify({ ...c, version: 3 }));
    expect(() => readCheckpoint(out, module.meta, identity, module.createOptimizer(), false)).toThrow(/version 3 checkpoint/);
  });
});
