// Numerical faults at run time: a loss that becomes NaN/±Infinity stops `nnc train` with exit 1 and a
// diagnosis, and the weights kept are the last good ones — exactly the weights of a run told to stop after
// that many epochs (an independent run, compared value for value), all finite and loadable by predict.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { buildCli, nnc } from "../support/cli.js";
import { loadSpec } from "../../src/front/index.js";
import { loadData } from "../../src/data/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { DIVERGING, tempDir, writeSpec } from "../train/helpers.js";

beforeAll(buildCli);

describe("non-finite loss", { timeout: 300_000 }, () => {
  test("stops with exit 1 and a diagnosis, keeping the weights of the last finite epoch", () => {
    const dir = tempDir("nnc-nan-");
    const spec = writeSpec(dir, "blowup.nn", DIVERGING);
    const r = nnc("train", spec, "--out", join(dir, "run"));
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/training diverged: the loss became non-finite/);
    expect(r.stderr).toMatch(/try a smaller one/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const weights = JSON.parse(readFileSync(join(dir, "run", "weights.json"), "utf8"));
    expect(weights.run.stoppedBy).toBe("non_finite");
    const epochs: number = weights.run.epochs;
    expect(epochs).toBeGreaterThan(0);
    expect(epochs).toBeLessThan(300);
    expect(weights.values.every(Number.isFinite)).toBe(true);

    // The oracle: an independent run told to stop after `epochs` epochs ends cleanly with the same parameters.
    // (DIVERGING's single batch per epoch makes the fault show first in an evaluation: epoch E + 1 leaves
    // finite weights whose training loss overflows. The run reports E, as a fault inside a batch does, and
    // not E + 1, which kept the weights of E while claiming one epoch more.)
    const history = readFileSync(join(dir, "run", "history.csv"), "utf8")
      .trimEnd()
      .split("\n");
    expect(history.at(-1)!.split(",")[0]).toBe(String(epochs)); // the last history row is the epoch the weights are from
    expect(r.stderr).toContain(`after ${epochs} complete epochs`);
    const clean = nnc("train", spec, "--out", join(dir, "short"), "--epochs", String(epochs));
    expect(clean.status, clean.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "short", "weights.json"), "utf8")).values).toEqual(weights.values);
    // One epoch more does fault: `epochs` is the last finite one, not merely a finite one.
    expect(nnc("train", spec, "--out", join(dir, "longer"), "--epochs", String(epochs + 1)).status).toBe(1);

    // And they are usable.
    const p = nnc("predict", spec, "--weights", join(dir, "run", "weights.json"), "--input", "1");
    expect(p.status, p.stderr).toBe(0);
  });

  test("a fault inside a batch (no evaluation before it) reports the epoch count of the weights kept, as the reference interpreter does", () => {
    const dir = tempDir("nnc-nan-batch-");
    const spec = writeSpec(dir, "blowup.nn", DIVERGING);
    // --eval-every 1000: no evaluation before the fault, so it shows in the first batch whose loss overflows.
    const r = nnc("train", spec, "--out", join(dir, "run"), "--eval-every", "1000");
    expect(r.status, r.stderr).toBe(1);
    const weights = JSON.parse(readFileSync(join(dir, "run", "weights.json"), "utf8"));
    expect(weights.run.stoppedBy).toBe("non_finite");
    expect(r.stderr).toContain(`after ${weights.run.epochs} complete epochs`);
    expect(weights.values.every(Number.isFinite)).toBe(true);

    // The oracle: the float64 interpreter, same spec, data and options, from the same initial weights.
    // (Not checked, because it does not hold: that the kept weights' own loss is finite. With one batch per
    // epoch, the overflowing batch loss IS the loss of the kept weights; only an evaluation would have seen it.)
    const parsed = loadSpec(spec);
    const { train } = loadData(parsed, dir);
    const reference = interpret(parsed);
    const params = reference.createParameters();
    const report = reference.train(params, train.features, train.targets, train.count, { evaluateEvery: 1000 });
    expect(report.stoppedBy).toBe("non_finite");
    expect(report.epochs).toBe(weights.run.epochs);
    expect(Array.from(params)).toEqual(weights.values);
  });
});
