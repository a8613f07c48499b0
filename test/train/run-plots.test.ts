// The run folder a learner reads, end to end (runTraining, in-process): a regression's fit.svg and its
// loss.svg (titled as a regression, the loss named, the schedule's learning rate, no test entry); early
// stopping's kept epoch in the end line, history.csv, history.json and on loss.svg, checked against the
// history itself (the epoch of the lowest validation loss); a CSV's header on the decision boundary's
// axes; a run diverging in epoch 1 drawn without vega warnings; the first progress line's samples/s
// without the worker's start-up.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi, type MockInstance } from "vitest";
import { runTraining } from "../../src/train/run.js";
import { captured, tempDir, writeSpec } from "./helpers.js";

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

async function train(specPath: string, out: string, mode: "plain" | "json" = "plain", extra: Partial<Parameters<typeof runTraining>[0]> = {}) {
  const streams = captured();
  const result = await runTraining({ specPath, out, mode, streams, ...extra });
  return { ...result, streams };
}

let warn: MockInstance;
let error: MockInstance;
beforeEach(() => {
  warn = vi.spyOn(console, "warn");
  error = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = [...warn.mock.calls, ...error.mock.calls];
  vi.restoreAllMocks();
  expect(calls).toEqual([]);
});

describe("the run folder a learner reads", () => {
  const dir = tempDir("nnc-learner-");

  test("regression with one input: fit.svg, and loss.svg titled as such with the MSE axis and the learning rate", async () => {
    const spec = writeSpec(
      dir,
      "sq.nn",
      "model sq\ndata square n=100\nlayer fc 1->8 relu\nlayer fc 8->1 linear\nloss mse\nsgd lr=0.05 epochs=30 batch=20 shuffle\nschedule step factor=0.5 every=10\n",
    );
    const out = join(dir, "sq");
    const r = await train(spec, out);
    expect(r.exitCode).toBe(0);
    expect(
      readdirSync(out)
        .filter((f) => !f.startsWith("."))
        .sort(),
    ).toEqual(["fit.svg", "history.csv", "history.json", "loss.svg", "weights.json"]);
    const loss = texts(readFileSync(join(out, "loss.svg"), "utf8"));
    expect(loss).toEqual(expect.arrayContaining(["sq: training loss (regression)", "loss (MSE)", "Learning rate (schedule)", "train"]));
    expect(loss).not.toContain("test");
    expect(loss).not.toContain("Accuracy");
    const fit = texts(readFileSync(join(out, "fit.svg"), "utf8"));
    expect(fit).toEqual(expect.arrayContaining(["sq: fitted curve (regression)", "x", "y = x²", "training data", "network"]));
  }, 60_000);

  test("early stopping: the kept epoch is the lowest validation loss, named in the end line, history and loss.svg", async () => {
    const spec = writeSpec(
      dir,
      "early.nn",
      "model early\ndata planar n=400\nlayer fc 2->16 tanh\nlayer fc 16->1 sigmoid\nloss crossentropy\nadam lr=0.05 epochs=300 batch=32 shuffle\nsplit 0.3 seed=2\nstop early monitor=val_loss patience=10\n",
    );
    const out = join(dir, "early");
    const r = await train(spec, out);
    expect(r.report.stoppedBy).toBe("early");
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8")) as { keptEpoch: number; history: { epoch: number; testLoss: number }[] };
    // The oracle: the first epoch with the lowest validation loss (min_delta 0: a tie is no improvement).
    const best = history.history.reduce((a, b) => (b.testLoss < a.testLoss ? b : a));
    expect(history.keptEpoch).toBe(best.epoch);
    expect(history.history.at(-1)!.epoch).toBe(best.epoch + 10); // stopped after patience 10 without improvement
    expect(r.streams.out()).toContain(`(early stopping: kept the weights of epoch ${best.epoch}, the best on the validation data)`);
    const csv = readFileSync(join(out, "history.csv"), "utf8").trim().split("\n");
    const kept = csv.filter((l) => l.endsWith(",1"));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.split(",")[0]).toBe(String(best.epoch));
    expect(texts(readFileSync(join(out, "loss.svg"), "utf8"))).toContain(`early stopping kept epoch ${best.epoch}`);
  }, 60_000);

  test("a CSV's header names the decision boundary's axes", async () => {
    writeFileSync(join(dir, "people.csv"), "kg,cm,female\n60.3,165,1\n72.6,183,0\n68.9,178,0\n54.4,152,1\n");
    const spec = writeSpec(
      dir,
      "people.nn",
      'model people\nlayer fc 2->2 sigmoid\nlayer fc 2->1 sigmoid\nloss mse\nsgd lr=0.5 epochs=20 batch=1\ndata csv "people.csv" label=female\nnormalize z-score\n',
    );
    const out = join(dir, "people");
    await train(spec, out);
    const boundary = texts(readFileSync(join(out, "boundary.svg"), "utf8"));
    expect(boundary).toEqual(expect.arrayContaining(["kg", "cm"]));
    expect(boundary).not.toContain("x₁");
  }, 60_000);

  test("the spec's class names in the decision boundary's legend", async () => {
    const spec = writeSpec(
      dir,
      "named.nn",
      "model named\nlayer fc 2->2 sigmoid\nlayer fc 2->1 sigmoid\nloss mse\nsgd lr=0.5 epochs=20 batch=1\nnormalize z-score\nclasses male, female\nrow 60.3, 165 -> 1\nrow 72.6, 183 -> 0\nrow 68.9, 178 -> 0\nrow 54.4, 152 -> 1\n",
    );
    const out = join(dir, "named");
    await train(spec, out);
    const boundary = texts(readFileSync(join(out, "boundary.svg"), "utf8"));
    expect(boundary).toEqual(expect.arrayContaining(["male", "female", "x₁", "x₂"]));
    expect(boundary).not.toContain("0");
  }, 60_000);

  test("a run that diverges in its first epoch: plots drawn, a note instead of a curve, no vega warning", async () => {
    const spec = writeSpec(
      dir,
      "div.nn",
      "model div\ndata square n=200\nlayer fc 1->32 relu\nlayer fc 32->1 linear\nloss mse\ninit he\nsgd lr=1000000 epochs=100 batch=10\n",
    );
    const out = join(dir, "div");
    const r = await train(spec, out);
    expect(r.report.stoppedBy).toBe("non_finite");
    expect(r.report.history).toEqual([]);
    expect(texts(readFileSync(join(out, "loss.svg"), "utf8"))).toContain("the loss became non-finite during epoch 1");
    expect(r.streams.err()).not.toContain("WARN");
  }, 60_000);

  test("samples/s on the first progress line leaves out the worker's start-up", async () => {
    const spec = writeSpec(dir, "p.nn", "model p\ndata planar\nlayer fc 2->4 tanh\nlayer fc 4->1 sigmoid\nloss crossentropy\nsgd lr=1.2 epochs=40 batch=400\n");
    const at: Record<string, number> = {};
    let first = "";
    const streams = {
      stdout: {
        write: (t: string) => {
          if (t.startsWith("training ")) at.header = performance.now();
          if (t.startsWith("epoch 1/")) [at.epoch, first] = [performance.now(), t];
          return true;
        },
      },
      stderr: { write: () => true },
    };
    await runTraining({ specPath: spec, out: join(dir, "p"), mode: "plain", streams, evaluateEvery: 1 });
    // Between the header line and epoch 1's line: the worker's start-up (thread, module import, wasm compile:
    // ~0.2 s here) and one epoch of 400 samples (~1.5 ms, a few more while the JIT warms up). The rate used
    // to count from the header (about 2,300 samples/s); the time it implies now is the epoch's alone.
    const rate = Number(/\| (\d+) samples\/s$/.exec(first.trim())![1]);
    const implied = 400 / rate;
    expect(implied).toBeLessThan(0.25 * ((at.epoch! - at.header!) / 1000));
  }, 60_000);
});
