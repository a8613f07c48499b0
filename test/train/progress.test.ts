// Progress output when not on a terminal: a bounded number of plain lines; --json: exactly one object per epoch.
import { describe, expect, test } from "vitest";
import { createReporter, chooseMode } from "../../src/train/progress.js";
import { captured } from "./helpers.js";

const info = { model: "m", epochs: 10000, batchesPerEpoch: 1, samples: 400, batchSize: 400, testSamples: 0 };
const end = { epochs: 10000, stoppedBy: "epochs" as const, seconds: 1.5, loss: 0.25, accuracy: 0.9, testLoss: null, testAccuracy: null };
const metrics = (epoch: number) => ({ epoch, learningRate: 1.2, loss: 1 / (epoch + 1), accuracy: 0.5 });

describe("progress", () => {
  test("mode: --json wins; otherwise a bar only on a terminal", () => {
    expect(chooseMode(true, true)).toBe("json");
    expect(chooseMode(false, true)).toBe("bar");
    expect(chooseMode(false, false)).toBe("plain");
  });

  test("plain: 10 000 epochs give the header, 21 epoch lines (first, every 500th, last) and the summary", () => {
    const streams = captured();
    const r = createReporter("plain", streams);
    r.start(info);
    for (let e = 0; e < 10000; e++) {
      r.batch(e, 0, 1);
      r.epoch(metrics(e));
    }
    r.finish(end);
    const lines = streams.out().trim().split("\n");
    expect(lines[0]).toBe("training m: 400 samples, 10000 epochs of 1 batch");
    const epochLines = lines.filter((l) => l.startsWith("epoch "));
    expect(epochLines).toHaveLength(21);
    expect(epochLines[0]).toMatch(/^epoch 1\/10000 loss 1\.0000 acc 50\.00% \| \d+ samples\/s$/);
    expect(epochLines[1]).toMatch(/^epoch 500\/10000 /);
    expect(epochLines[20]).toMatch(/^epoch 10000\/10000 loss 0\.0001 /);
    expect(lines.at(-1)).toBe("stopped after 10000 epochs (all epochs done) in 1.50 s; final loss 0.2500 acc 90.00%");
    expect(streams.err()).toBe("");
  });

  test("json: one parseable object per epoch, 1-based epochs, then done", () => {
    const streams = captured();
    const r = createReporter("json", streams);
    r.start({ ...info, epochs: 3 });
    for (let e = 0; e < 3; e++) r.epoch(metrics(e));
    r.finish({ ...end, epochs: 3 });
    const lines = streams
      .out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.type, l.epoch])).toEqual([
      ["epoch", 1],
      ["epoch", 2],
      ["epoch", 3],
      ["done", undefined],
    ]);
    expect(lines[1]).toMatchObject({ epochs: 3, loss: 0.5, accuracy: 0.5, learningRate: 1.2, testLoss: null });
  });

  test("samples/s counts training only: start-up before trainingStarted() is left out (injected clock)", () => {
    let t = 0;
    const now = () => t;
    for (const mode of ["plain", "json"] as const) {
      const streams = captured();
      const r = createReporter(mode, streams, now);
      t = 1000;
      r.start({ ...info, epochs: 3 });
      t = 1800; // 0.8 s of worker start-up, module import and wasm compile
      r.trainingStarted();
      t = 1810; // epoch 1: 400 samples in 10 ms
      r.epoch(metrics(0));
      t = 1830; // epochs 2 and 3: 10 ms each
      r.epoch(metrics(2));
      const out = streams.out();
      if (mode === "plain") {
        expect(out).toContain("epoch 1/3 loss 1.0000 acc 50.00% | 40000 samples/s\n");
        expect(out).toContain("epoch 3/3 loss 0.3333 acc 50.00% | 40000 samples/s\n");
      } else {
        const first = JSON.parse(out.split("\n")[0]!) as { seconds: number; samplesPerSecond: number };
        expect(first.seconds).toBeCloseTo(0.01, 12);
        expect(first.samplesPerSecond).toBeCloseTo(40000, 6);
      }
    }
  });

  test("a resumed run counts only its own epochs; without trainingStarted() the clock runs from start()", () => {
    let t = 0;
    const streams = captured();
    const r = createReporter("plain", streams, () => t);
    r.start({ ...info, epochs: 12, startEpoch: 10 });
    t = 20; // epoch 11 done: 400 samples in 20 ms
    r.epoch(metrics(10));
    expect(streams.out()).toContain("epoch 11/12 loss 0.0909 acc 50.00% | 20000 samples/s\n");
  });
});
