// Numerical faults at run time: a loss that becomes NaN/±Infinity stops `nnc train` with exit 1 and a
// diagnosis, and the weights kept are the last good ones — exactly the weights of a run told to stop after
// that many epochs (an independent run, compared value for value), all finite and loadable by predict.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { buildCli, nnc } from "../support/cli.js";
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

    // The oracle: the longest independent run that ends without a fault ends with the same parameters.
    // (When the fault shows in epoch E's evaluation rather than in a batch, report.epochs counts E although
    // the weights kept are those after E − 1 epochs: that run is the one that finishes cleanly.)
    let clean = nnc("train", spec, "--out", join(dir, "short"), "--epochs", String(epochs));
    if (clean.status !== 0) clean = nnc("train", spec, "--out", join(dir, "short"), "--epochs", String(epochs - 1));
    expect(clean.status, clean.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "short", "weights.json"), "utf8")).values).toEqual(weights.values);

    // And they are usable.
    const p = nnc("predict", spec, "--weights", join(dir, "run", "weights.json"), "--input", "1");
    expect(p.status, p.stderr).toBe(0);
  });
});
