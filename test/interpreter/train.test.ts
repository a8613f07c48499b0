// The training loop: batch order, stop criteria, restoring parameters, resuming, callbacks.
import { describe, expect, it } from "vitest";
import { epochSeed } from "../../src/module-api.js";
import { createRng, shuffleIndices } from "../../src/prng.js";
import { epochOrder, interpret } from "../../src/interpreter/index.js";
import { f64, makeSpec, type SpecSketch } from "./spec-builder.js";

// 8 samples of a 1 → 1 regression whose sample i has target i, so a batch's loss says which sample it was.
const xs = f64([0, 0, 0, 0, 0, 0, 0, 0]);
const ys = f64([0, 1, 2, 3, 4, 5, 6, 7]);

function visitOrder(shuffle: boolean, epoch: number): number[] {
  // lr = 0: parameters never move, w = b = 0, so batch loss = target², i.e. sample index².
  const spec = makeSpec({ layers: [[1, 1, "linear"]], loss: "mse", learningRate: 0, shuffle, epochs: epoch + 1, seed: 11, init: { kind: "zeros" } });
  const m = interpret(spec);
  const seen: number[] = [];
  m.train(m.createParameters(), xs, ys, 8, { onBatch: (e, _b, _n, loss) => void (e === epoch && seen.push(Math.round(Math.sqrt(loss)))) });
  return seen;
}

describe("batch order", () => {
  it("visits 0..n−1 in order without shuffle", () => {
    expect(visitOrder(false, 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(visitOrder(false, 2)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("with shuffle, epoch e is a Fisher–Yates shuffle from createRng(epochSeed(seed, e)), different per epoch", () => {
    const expected = (e: number) => {
      const order = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
      shuffleIndices(order, createRng(epochSeed(11, e)));
      return Array.from(order);
    };
    expect(visitOrder(true, 0)).toEqual(expected(0));
    expect(visitOrder(true, 1)).toEqual(expected(1));
    expect(expected(0)).not.toEqual(expected(1));
    expect(expected(0)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("makes consecutive batches of batchSize, the last one shorter", () => {
    const spec = makeSpec({ layers: [[1, 1, "linear"]], loss: "mse", learningRate: 0, batchSize: 3, init: { kind: "zeros" } });
    const losses: number[] = [];
    const counts: number[] = [];
    interpret(spec).train(f64([0, 0]), xs, ys, 8, { onBatch: (_e, _b, n, loss) => void (losses.push(loss), counts.push(n)) });
    expect(losses).toEqual([(0 + 1 + 4) / 3, (9 + 16 + 25) / 3, (36 + 49) / 2]);
    expect(counts).toEqual([3, 3, 3]);
    expect(Array.from(epochOrder(spec, 3, 0))).toEqual([0, 1, 2]);
  });
});

describe("one epoch of sgd by hand", () => {
  it("steps once per batch with the batch's mean gradient, then evaluates on the whole set", () => {
    const spec = makeSpec({ layers: [[1, 1, "linear"]], loss: "mse", learningRate: 0.1, batchSize: 2 });
    const px = f64([1, 2, 3]);
    const py = f64([1, 0, 2]);
    let w = 0.5;
    let b = 0;
    for (const batch of [[0, 1], [2]]) {
      let gw = 0;
      let gb = 0;
      for (const s of batch) {
        const err = w * px[s]! + b - py[s]!;
        gw += (2 * err * px[s]!) / batch.length;
        gb += (2 * err) / batch.length;
      }
      w -= 0.1 * gw;
      b -= 0.1 * gb;
    }
    const loss = [0, 1, 2].reduce((sum, s) => sum + (w * px[s]! + b - py[s]!) ** 2, 0) / 3;
    const params = f64([0.5, 0]);
    const report = interpret(spec).train(params, px, py, 3);
    expect(params[0]).toBeCloseTo(w, 15);
    expect(params[1]).toBeCloseTo(b, 15);
    expect(report.history).toEqual([{ epoch: 0, learningRate: 0.1, loss: expect.closeTo(loss, 14), accuracy: null }]);
    expect(report).toMatchObject({ epochs: 1, stoppedBy: "epochs" });
  });
});

// A small classification problem for the stop criteria.
const classSpec = (extra: Partial<SpecSketch>) =>
  makeSpec({
    layers: [
      [2, 3, "tanh"],
      [3, 1, "sigmoid"],
    ],
    loss: "binary_crossentropy",
    learningRate: 0.5,
    batchSize: 4,
    epochs: 200,
    ...extra,
  });
const cx = f64([0, 0, 0, 1, 1, 0, 1, 1, 0.2, 0.1, 0.9, 0.8]);
const cy = f64([0, 0, 0, 1, 0, 1]);

describe("stop criteria", () => {
  it("stops after the first epoch whose loss is below the target", () => {
    const m = interpret(classSpec({ stop: [{ kind: "loss_below", value: 0.3, range: null }] }));
    const report = m.train(m.createParameters(), cx, cy, 6);
    expect(report.stoppedBy).toBe("loss_below");
    const h = report.history;
    expect(h[h.length - 1]!.loss).toBeLessThan(0.3);
    expect(h.slice(0, -1).every((e) => e.loss >= 0.3)).toBe(true);
    expect(report.epochs).toBe(h.length);
  });

  it("stops when accuracy reaches the target", () => {
    const m = interpret(classSpec({ stop: [{ kind: "accuracy_above", value: 1, range: null }] }));
    const report = m.train(m.createParameters(), cx, cy, 6);
    expect(report.stoppedBy).toBe("accuracy_above");
    expect(report.history[report.history.length - 1]!.accuracy).toBe(1);
    expect(report.history.slice(0, -1).every((e) => e.accuracy! < 1)).toBe(true);
  });

  it("early stopping keeps the parameters of the best validation epoch", () => {
    // The validation set has the opposite labels, so validation loss rises as training succeeds.
    const spec = classSpec({ stop: [{ kind: "early", monitor: "val_loss", patience: 2, minDelta: 0, range: null }] });
    const m = interpret(spec);
    const test = { xs: cx, ys: f64([1, 1, 1, 0, 1, 0]), count: 6 };
    const params = m.createParameters();
    const report = m.train(params, cx, cy, 6, { test });
    expect(report.stoppedBy).toBe("early");
    const best = report.bestEpoch!;
    const losses = report.history.map((e) => e.testLoss!);
    expect(losses[best]).toBe(Math.min(...losses));
    expect(report.history.length).toBe(best + 3); // patience 2
    // The kept parameters are those at the end of the best epoch: rerun to that epoch.
    const rerun = m.createParameters();
    m.train(rerun, cx, cy, 6, { epochs: best + 1 });
    expect(Array.from(params)).toEqual(Array.from(rerun));
  });

  it("a non-finite loss stops training and restores the last finite epoch's parameters", () => {
    const spec = makeSpec({ layers: [[1, 1, "linear"]], loss: "mse", learningRate: 1e80, batchSize: 3, epochs: 50 });
    const m = interpret(spec);
    const params = f64([0.5, 0.1]);
    const report = m.train(params, f64([1, 2, 3]), f64([1, 0, 2]), 3);
    expect(report.stoppedBy).toBe("non_finite");
    expect(report.history.length).toBeGreaterThan(0);
    expect(report.history.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(Array.from(params).every(Number.isFinite)).toBe(true);
    const rerun = f64([0.5, 0.1]);
    m.train(rerun, f64([1, 2, 3]), f64([1, 0, 2]), 3, { epochs: report.history.length });
    expect(Array.from(params)).toEqual(Array.from(rerun));
  });
});

describe("options", () => {
  it("evaluates every N epochs and always the last", () => {
    const m = interpret(classSpec({ epochs: 7 }));
    const report = m.train(m.createParameters(), cx, cy, 6, { evaluateEvery: 3 });
    expect(report.history.map((e) => e.epoch)).toEqual([2, 5, 6]);
    expect(report.epochs).toBe(7);
  });

  it("resuming at startEpoch with the returned optimiser state continues the same run (dropout and shuffle included)", () => {
    const spec = makeSpec({
      layers: [[2, 4, "relu"], { dropout: 0.3, size: 4 }, [4, 1, "sigmoid"]],
      loss: "binary_crossentropy",
      optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      learningRate: 0.05,
      batchSize: 2,
      shuffle: true,
      epochs: 4,
    });
    const m = interpret(spec);
    const whole = m.createParameters();
    m.train(whole, cx, cy, 6);
    const resumed = m.createParameters();
    const first = m.train(resumed, cx, cy, 6, { epochs: 2 });
    const second = m.train(resumed, cx, cy, 6, { startEpoch: first.epochs, optimizer: first.optimizer });
    expect(second.epochs).toBe(4);
    expect(second.history.map((e) => e.epoch)).toEqual([2, 3]);
    expect(Array.from(resumed)).toEqual(Array.from(whole));
  });

  it("onEpoch returning false stops with 'callback'; shouldStop stops with 'interrupted'", () => {
    const m = interpret(classSpec({ epochs: 10 }));
    const byCallback = m.train(m.createParameters(), cx, cy, 6, { onEpoch: (e) => e.epoch < 2 });
    expect(byCallback).toMatchObject({ stoppedBy: "callback", epochs: 3 });
    let batches = 0;
    const interrupted = m.train(m.createParameters(), cx, cy, 6, { shouldStop: () => ++batches === 3 });
    // 2 batches per epoch: batch 3 is the first of epoch 1, so epoch 0 is complete (and evaluated), epoch 1 is not.
    expect(interrupted).toMatchObject({ stoppedBy: "interrupted", epochs: 1 });
    expect(interrupted.history.map((e) => e.epoch)).toEqual([0]);
  });
});
