// A second Ctrl-C quits at once (docs/training.md, exit codes): `nnc train` over a folder holding a finished
// run gets SIGINT once training runs, then SIGINT again shortly after, while it is saving. It must end at
// once, killed by SIGINT (the shell's status 130), well before a save completes, and leave the folder whole:
// every file of the previous run (byte for byte) and a checkpoint that parses. A single Ctrl-C, as before,
// saves the interrupted run (exit 130) and keeps its checkpoint.
import { spawn } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { NNC, ROOT, buildCli } from "../support/cli.js";
import { tempDir } from "../train/helpers.js";

const SPEC = `model twice
layer fc 2->2 sigmoid
layer fc 2->1 sigmoid
loss mse
init normal std=0.5 seed=2
sgd lr=0.5 epochs=100000000 batch=1 shuffle
normalize z-score
row 60.3, 165 -> 1
row 72.6, 183 -> 0
row 68.9, 178 -> 0
row 54.4, 152 -> 1
`;

const UNIT = ["weights.json", "history.csv", "loss.svg", "boundary.svg", "confusion.svg"];
const dir = tempDir("nnc-twice-");
const spec = join(dir, "twice.nn");
const finished = join(dir, "finished");
let saveMs = 0;

/**
 * Trains into `out` and SIGINTs once the first epoch line is out; with `again`, SIGINTs a second time as soon
 * as the first has been taken (its "Ctrl-C again" line is on stderr), which is before the save starts: the
 * worker still has to finish its batch. Waiting for that line, not for a fixed delay, keeps the order of the
 * two signals whatever the machine's load (with a 100 ms delay a loaded machine could deliver both before the
 * first listener ran, and the second was then no second Ctrl-C). `ms` counts from the last SIGINT sent.
 */
function interrupt(out: string, again: boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("node", [NNC, "train", spec, "--out", out, "--json", "--checkpoint-every", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let sent = 0;
    let last = 0;
    const sigint = (): void => {
      sent++;
      last = Date.now();
      child.kill("SIGINT");
    };
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (again && sent === 1 && stderr.includes("Ctrl-C again")) sigint();
    });
    child.stdout.on("data", (d: Buffer) => {
      if (sent === 0 && d.toString().includes('"type":"epoch"')) sigint();
    });
    child.on("close", (code, signal) => resolve({ code, signal, ms: Date.now() - last, stderr }));
  });
}

beforeAll(async () => {
  buildCli();
  writeFileSync(spec, SPEC);
  // A finished run to interrupt over: one Ctrl-C (saves the interrupted run, keeps the checkpoint).
  const once = await interrupt(finished, false);
  saveMs = once.ms;
  expect(once.signal).toBeNull();
  expect(once.code).toBe(130);
  expect(once.stderr).toContain("Ctrl-C again to quit without saving");
}, 60_000);

describe("a second Ctrl-C", () => {
  test("quits at once while the first is saving, killed by SIGINT; the folder keeps the previous run whole", { timeout: 60_000 }, async () => {
    const before = Object.fromEntries(UNIT.map((n) => [n, readFileSync(join(finished, n), "utf8")]));
    // A save takes hundreds of milliseconds (plots: the single Ctrl-C of beforeAll took saveMs from its
    // SIGINT to the end); the second Ctrl-C comes as soon as the first is taken, before the save.
    const out = cpCopy("twice");
    const r = await interrupt(out, true);
    expect(r.signal).toBe("SIGINT");
    expect(r.code).toBeNull();
    expect(r.ms).toBeLessThan(Math.max(400, saveMs));
    for (const n of UNIT) expect(readFileSync(join(out, n), "utf8"), n).toBe(before[n]);
    const checkpoint = JSON.parse(readFileSync(join(out, "checkpoint.json"), "utf8")) as { format: string; epoch: number };
    expect(checkpoint.format).toBe("nnc-checkpoint");
    expect(checkpoint.epoch).toBeGreaterThan(0);
  });
});

function cpCopy(name: string): string {
  const to = join(dir, name);
  cpSync(finished, to, { recursive: true, verbatimSymlinks: true });
  return to;
}
