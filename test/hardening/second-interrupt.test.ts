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

/** Trains into `out`; SIGINTs at each delay (ms after the first epoch line); resolves with how it ended and how long after the first SIGINT. */
function interrupt(out: string, delays: number[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("node", [NNC, "train", spec, "--out", out, "--json", "--checkpoint-every", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let first = 0;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      if (first !== 0 || !d.toString().includes('"type":"epoch"')) return;
      first = Date.now();
      for (const delay of delays) setTimeout(() => child.kill("SIGINT"), delay);
    });
    child.on("close", (code, signal) => resolve({ code, signal, ms: Date.now() - first, stderr }));
  });
}

beforeAll(async () => {
  buildCli();
  writeFileSync(spec, SPEC);
  // A finished run to interrupt over: one Ctrl-C (saves the interrupted run, keeps the checkpoint).
  const once = await interrupt(finished, [0]);
  saveMs = once.ms;
  expect(once.signal).toBeNull();
  expect(once.code).toBe(130);
  expect(once.stderr).toContain("Ctrl-C again to quit without saving");
}, 60_000);

describe("a second Ctrl-C", () => {
  test("quits at once while the first is saving, killed by SIGINT; the folder keeps the previous run whole", { timeout: 60_000 }, async () => {
    const before = Object.fromEntries(UNIT.map((n) => [n, readFileSync(join(finished, n), "utf8")]));
    // A save takes hundreds of milliseconds (plots: the single Ctrl-C of beforeAll took saveMs); the second
    // Ctrl-C comes 100 ms after the first.
    const out = cpCopy("twice");
    const r = await interrupt(out, [0, 100]);
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
