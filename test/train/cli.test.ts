// nnc train / nnc predict as a user runs them (node bin/nnc.js, stdout piped so not a TTY): log lines,
// --json lines, exit codes for a diverging run and for Ctrl-C, and usage errors without stack traces.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ROOT, buildCli, nnc } from "../support/cli.js";
import { DIVERGING, GENDER, tempDir, writeSpec } from "./helpers.js";

beforeAll(buildCli);

// Each test starts the CLI (a few seconds on a busy 2-core machine), hence the longer timeout.
describe("nnc train CLI", { timeout: 180_000 }, () => {
  const dir = tempDir();
  const gender = writeSpec(dir, "gender.nn", GENDER);

  test("not a TTY: plain log lines, then the files written; predict classifies", () => {
    const out = join(dir, "plain");
    const r = nnc("train", gender, "--out", out, "--epochs", "40");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^training gender: 4 samples, 40 epochs of 4 batches$/m);
    expect(r.stdout).toMatch(/^epoch 1\/40 loss [\d.]+ acc [\d.]+% \| \d+ samples\/s$/m);
    expect(r.stdout).toMatch(/^epoch 40\/40 /m);
    expect(r.stdout).toMatch(/^stopped after 40 epochs \(all epochs done\)/m);
    expect(r.stdout).toContain(join(out, "weights.json"));
    expect(r.stdout).not.toMatch(/\x1b\[/); // no terminal escape codes in a pipe
    const p = nnc("predict", gender, "--weights", join(out, "weights.json"), "--input", "55,150");
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/^55, 150 → [\d.e-]+ → class 1$/m);
  });

  test("--json: one JSON object per epoch on stdout, then a done line", () => {
    const out = join(dir, "json");
    const r = nnc("train", gender, "--out", out, "--epochs", "25", "--json");
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const epochs = lines.filter((l) => l.type === "epoch");
    expect(epochs.map((l) => l.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(epochs[0]).toMatchObject({ epochs: 25, learningRate: 0.5, testLoss: null });
    expect(typeof epochs[0]!.loss).toBe("number");
    expect(lines.at(-1)).toMatchObject({ type: "done", epochs: 25, stoppedBy: "epochs" });
    // 25 epoch lines, the doctor's object (src/doctor), the confusion matrix (gender is a classifier), then done.
    expect(lines.at(-3)).toMatchObject({ type: "doctor", findings: [] });
    expect(lines.at(-2)).toMatchObject({ type: "confusion", on: "training", classes: ["class 0", "class 1"], total: 4 });
    expect(lines).toHaveLength(28);
  });

  test("--epochs moves a cosine period the spec left out (the epoch count), not one it gave", () => {
    const rates = (name: string, schedule: string): number[] => {
      const spec = writeSpec(dir, name, GENDER.replace("shuffle\n", `shuffle\n${schedule}\n`));
      const r = nnc("train", spec, "--out", join(dir, `${name}-run`), "--epochs", "4", "--json");
      expect(r.status, r.stderr).toBe(0);
      return r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { type: string; learningRate?: number })
        .filter((l) => l.type === "epoch")
        .map((l) => l.learningRate!);
    };
    // lr 0.5; cosine to 0 over `period` epochs: 0.5 · (1 + cos(π e / period)) / 2 for 0-based epoch e.
    const cosine = (period: number): number[] => [0, 1, 2, 3].map((e) => (0.5 * (1 + Math.cos((Math.PI * e) / period))) / 2);
    const spanned = rates("cos-default.nn", "schedule cosine");
    cosine(4).forEach((rate, e) => expect(spanned[e]).toBeCloseTo(rate, 12));
    const given = rates("cos-60.nn", "schedule cosine period=60");
    cosine(60).forEach((rate, e) => expect(given[e]).toBeCloseTo(rate, 12));
  });

  test("a diverging run stops with a diagnosis, exit 1, and keeps the last finite weights", () => {
    const spec = writeSpec(dir, "boom.nn", DIVERGING);
    const out = join(dir, "boom");
    const r = nnc("train", spec, "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/training diverged: the loss became non-finite .*Learning rate 50: try a smaller one/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const weights = JSON.parse(readFileSync(join(out, "weights.json"), "utf8"));
    expect(weights.run.stoppedBy).toBe("non_finite");
    expect(weights.values.every(Number.isFinite)).toBe(true);
  });

  test("user errors exit 1 with one message and no stack trace, and write nothing", () => {
    const out = join(dir, "never");
    for (const args of [
      ["train", join(dir, "missing.nn"), "--out", out],
      ["train", gender, "--out", out, "--epochs", "ten"],
      ["train", gender, "--out", out, "--data", "x.txt"],
    ]) {
      const r = nnc(...args);
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(/^nnc: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(out)).toBe(false);
  });

  test("Ctrl-C stops after the current batch, saves the weights marked interrupted, exits 130", async () => {
    const out = join(dir, "interrupted");
    const child = spawn(
      "node",
      [join(ROOT, "bin/nnc.js"), "train", "specs/planar.nn", "--out", out, "--epochs", "100000000", "--eval-every", "100", "--json"],
      {
        cwd: ROOT,
      },
    );
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes('"type":"epoch"')) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("stopping after the current batch");
    const weights = JSON.parse(readFileSync(join(out, "weights.json"), "utf8"));
    expect(weights.run).toMatchObject({ stoppedBy: "interrupted", interrupted: true });
    expect(weights.run.epochs).toBeGreaterThanOrEqual(100);
    expect(weights.run.epochs).toBeLessThan(100000000);
    expect(readdirSync(out).some((f) => f.endsWith(".tmp"))).toBe(false);
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toMatchObject({ type: "done", stoppedBy: "interrupted" });
  });
});
