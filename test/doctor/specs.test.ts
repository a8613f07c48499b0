// The doctor on the real failure specs in specs/, trained by the generated modules exactly as `nnc train`
// trains them (trainSpec), and on healthy specs; plus the doctor block in `nnc train`'s output.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadSpec } from "../../src/front/index.js";
import { trainSpec } from "../../src/train/run.js";

const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };
const train = async (name: string) => trainSpec(loadSpec(join("specs", name)), "specs", { mode: "json", streams: quiet, diagnose: true });

describe("the doctor on specs/", () => {
  test("gender-raw.nn: saturated first layer, near-zero gradient, z-score suggested", async () => {
    const run = await train("gender-raw.nn");
    expect(run.findings.map((f) => f.kind)).toEqual(["saturated"]);
    const f = run.findings[0]!;
    expect(f.figures.layer).toBe(1);
    expect(f.figures.saturatedFraction as number).toBeGreaterThanOrEqual(0.5);
    expect(f.figures.layer1GradientNorm as number).toBeLessThan(1e-6);
    expect(f.figures.inputMeanAbs).toBeCloseTo((165 + 183 + 178 + 152) / 4, 10);
    expect(f.fix).toContain("normalize z-score");
  });

  test("square-diverge.nn: non-finite loss, named at the epoch where it overflowed", async () => {
    const run = await train("square-diverge.nn");
    expect(run.report.stoppedBy).toBe("non_finite");
    expect(run.findings.map((f) => f.kind)).toEqual(["non_finite"]);
    // Epochs 1–5 evaluated finite; epoch 6's batches ran and its evaluation overflowed: the weights and the
    // epoch count kept are those of epoch 5.
    expect(run.report.epochs).toBe(5);
    expect(run.report.history.map((h) => h.epoch + 1)).toEqual([1, 2, 3, 4, 5]);
    expect(run.findings[0]!.figures.epoch).toBe(6);
    expect(run.findings[0]!.cause).toContain("linear (unbounded)");
  });

  test("gender-lr-too-large.nn: the loss rose in epoch 1 (0.25 before training, 0.5 after): the learning rate named first", async () => {
    const run = await train("gender-lr-too-large.nn");
    expect(run.findings[0]!.kind).toBe("unstable");
    expect(run.findings[0]!.figures.pattern).toBe("rose_from_start");
    // The loss before training, independently: the interpreter's createParameters on the (zero-mean) rows.
    expect(run.findings[0]!.figures.initialLoss as number).toBeCloseTo(0.25, 2);
    expect(run.findings[0]!.figures.firstLoss as number).toBeCloseTo(0.5, 2);
    expect(run.findings[0]!.fix).toMatch(/smaller learning rate \(try lr=/);
  });

  test("gender-zero-mean.nn (lr 0.001) converges: no rise from the start is reported", async () => {
    const run = await train("gender-zero-mean.nn");
    expect(run.findings.filter((f) => f.figures.pattern === "rose_from_start")).toEqual([]);
  });

  test("planar-oscillate.nn: oscillating loss, smaller lr suggested", async () => {
    const run = await train("planar-oscillate.nn");
    expect(run.findings.map((f) => [f.kind, f.figures.pattern])).toEqual([["unstable", "oscillating"]]);
    expect(run.findings[0]!.fix).toContain("lr=3");
  });

  test("healthy runs: gender.nn and planar.nn give no findings", async () => {
    expect((await train("gender.nn")).findings).toEqual([]);
    expect((await train("planar.nn")).findings).toEqual([]);
  }, 60_000);
});

describe("nnc train prints the doctor", () => {
  const out = mkdtempSync(join(tmpdir(), "nnc-doctor-"));
  const nnc = (...args: string[]) => spawnSync("node", ["bin/nnc.js", ...args], { encoding: "utf8" });

  test("a 'doctor:' block after training", () => {
    const r = nnc("train", "specs/gender-raw.nn", "--out", join(out, "raw"));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^doctor: 1 problem found\n {2}- the loss is stuck at 0\.25/m);
    expect(r.stdout).toContain("fix: add `normalize z-score`");
  }, 60_000);

  test("--json: a doctor object before the done line", () => {
    const r = nnc("train", "specs/square-diverge.nn", "--out", join(out, "div"), "--json");
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; findings?: { kind: string; figures: { epoch: number } }[] });
    expect(lines.at(-1)!.type).toBe("done");
    expect(lines.at(-2)!.type).toBe("doctor");
    expect(lines.at(-2)!.findings!.map((f) => f.kind)).toEqual(["non_finite"]);
  }, 60_000);
});
