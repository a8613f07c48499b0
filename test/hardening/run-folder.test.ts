// A run folder changes as one unit (src/train/run-unit.ts, docs/guarantees.md section 8): `nnc train` is
// SIGKILLed just before EVERY write and rename it makes (NNC_TEST_KILL_AT=N, src/atomic-write.ts's test-only
// hook, N = 1, 2, … until a run is no longer killed), each time over a folder holding a finished run of
// seed 1, while it trains seed 2 with a checkpoint every epoch. After every kill the folder's files are,
// byte for byte, all those of the seed-1 run or all those of the seed-2 run (history.json without its
// timings), and a checkpoint there belongs to the seed-2 run. `nnc build`: at every point too; `nnc sweep`
// (the same switch code as train): at every third point, to keep the suite's time.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NNC, ROOT, buildCli } from "../support/cli.js";
import { tempDir } from "../train/helpers.js";

const SPEC = `model unit
layer fc 2->2 sigmoid
layer fc 2->1 sigmoid
loss mse
init normal std=0.5 seed=2
sgd lr=0.5 epochs=2 batch=1 shuffle
normalize z-score
row 60.3, 165 -> 1
row 72.6, 183 -> 0
row 68.9, 178 -> 0
row 54.4, 152 -> 1
`;

const UNIT = ["weights.json", "history.csv", "history.json", "loss.svg", "boundary.svg", "confusion.svg"];

function run(args: string[], killAt = 0): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, NNC_TEST_KILL_AT: String(killAt) };
    const child = spawn("node", [NNC, ...args], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** The unit's files as read through the folder's names (null: absent); history.json without its timings. */
function snapshot(dir: string): Record<string, string | null> {
  const files: Record<string, string | null> = {};
  for (const name of UNIT) {
    const path = join(dir, name);
    if (!existsSync(path)) files[name] = null;
    else if (name !== "history.json") files[name] = readFileSync(path, "utf8");
    else {
      const { seconds: _s, samplesPerSecond: _r, ...rest } = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      files[name] = JSON.stringify(rest);
    }
  }
  return files;
}

/** Runs `make(N, folder)` for N = 1, 2, … (a few at a time) until one is not killed; returns the killed folders in order. */
async function everyKillPoint(fresh: (n: number) => string, args: (dir: string) => string[]): Promise<{ killed: string[]; finished: string }> {
  const killed: string[] = [];
  for (let first = 1; ; first += 3) {
    const batch = [first, first + 1, first + 2].map(async (n) => {
      const dir = fresh(n);
      const r = await run(args(dir), n);
      if (r.signal !== "SIGKILL") expect(r.code, r.stderr).toBe(0);
      return { dir, killedRun: r.signal === "SIGKILL" };
    });
    const results = await Promise.all(batch);
    for (const r of results) {
      if (!r.killedRun) return { killed, finished: r.dir };
      killed.push(r.dir);
    }
  }
}

const work = tempDir("nnc-unit-");
const spec = join(work, "unit.nn");

beforeAll(() => {
  buildCli();
  writeFileSync(spec, SPEC);
});

describe("nnc train: a kill at every write and rename leaves one whole run", () => {
  test("each kill point: all files of the old run or all of the new one; the checkpoint is the new run's", { timeout: 120_000 }, async () => {
    const old = join(work, "old");
    const fresh = join(work, "fresh");
    const train = (dir: string, seed: number) => ["train", spec, "--out", dir, "--seed", String(seed), "--checkpoint-every", "0"];
    expect((await run(train(old, 1))).code).toBe(0);
    expect((await run(train(fresh, 2))).code).toBe(0);
    const before = snapshot(old);
    const after = snapshot(fresh);
    expect(before["weights.json"]).not.toBe(after["weights.json"]);
    expect(after["boundary.svg"]).not.toBeNull();

    const { killed, finished } = await everyKillPoint(
      (n) => {
        const dir = join(work, `kill-${n}`);
        cpSync(old, dir, { recursive: true, verbatimSymlinks: true });
        return dir;
      },
      (dir) => train(dir, 2),
    );
    // Checkpoints (2 points each), 6 files, the links and the switch: well over a dozen points.
    expect(killed.length).toBeGreaterThan(12);
    let sawOld = 0;
    let sawNew = 0;
    for (const dir of killed) {
      const now = snapshot(dir);
      const isOld = JSON.stringify(now) === JSON.stringify(before);
      const isNew = JSON.stringify(now) === JSON.stringify(after);
      expect(isOld || isNew, `${dir} mixes two runs`).toBe(true);
      if (isOld) sawOld++;
      else sawNew++;
      const checkpoint = join(dir, "checkpoint.json");
      if (existsSync(checkpoint)) expect((JSON.parse(readFileSync(checkpoint, "utf8")) as { seed: number }).seed).toBe(2);
      // The next run into a killed folder completes and tidies it: the new run, no leftover generations.
      if (dir === killed[killed.length - 1]) {
        expect((await run(train(dir, 2))).code).toBe(0);
        expect(snapshot(dir)).toEqual(after);
      }
    }
    // Both sides of the switch were hit.
    expect(sawOld).toBeGreaterThan(0);
    expect(sawNew).toBeGreaterThan(0);
    expect(snapshot(finished)).toEqual(after);
  });

  test("a folder of plain files (an older nnc's) is adopted: the first run switches it as a unit too", async () => {
    const dir = join(work, "plain");
    mkdirSync(dir);
    writeFileSync(join(dir, "weights.json"), "old weights\n");
    writeFileSync(join(dir, "history.csv"), "old history\n");
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    // Killed at every point up to the switch of the adopted folder: the plain files read the same.
    for (const n of [1, 2, 3, 4]) {
      const r = await run(["train", spec, "--out", dir, "--seed", "2"], n);
      expect(r.signal).toBe("SIGKILL");
      expect(readFileSync(join(dir, "weights.json"), "utf8")).toBe("old weights\n");
      expect(readFileSync(join(dir, "history.csv"), "utf8")).toBe("old history\n");
    }
    expect((await run(["train", spec, "--out", dir, "--seed", "2"])).code).toBe(0);
    expect(readFileSync(join(dir, "weights.json"), "utf8")).toContain('"nnc-weights"');
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine\n");
  });
});

describe("nnc sweep and nnc build: a kill at every write leaves one whole set", () => {
  const SWEEP = SPEC.replace("model unit", "model unitsweep").replace(
    "layer fc 2->2 sigmoid\nlayer fc 2->1",
    "let H = 2\nsweep H = 1, 2\nlayer fc 2->H sigmoid\nlayer fc H->1",
  );
  const sweepSpec = join(work, "sweep.nn");

  /** Which H the sweep folder's table files name (sweep.json, sweep.csv, sweep.md, boundary plots), as one set. */
  function sweepSet(dir: string): string {
    const json = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { values: number[] };
    const csv = readFileSync(join(dir, "sweep.csv"), "utf8").trim().split("\n").slice(1);
    const md = readFileSync(join(dir, "sweep.md"), "utf8");
    const plots = json.values.map((v) => existsSync(join(dir, `boundary-H=${v}.svg`)));
    expect(csv.map((line) => Number(line.split(",")[1]))).toEqual(json.values);
    expect(plots.every(Boolean)).toBe(true);
    for (const v of json.values) expect(md).toContain(`| ${v} |`);
    return json.values.join(",");
  }

  test("nnc sweep: the old table and plots, or the new ones", { timeout: 120_000 }, async () => {
    writeFileSync(sweepSpec, SWEEP);
    const old = join(work, "sweep-old");
    expect((await run(["sweep", sweepSpec, "--var", "H=1", "--out", old])).code).toBe(0);
    expect(sweepSet(old)).toBe("1");
    // Every third point (the table is 4 files; nnc train above is killed at every point of the same code).
    const points = [1, 4, 7, 10, 13, 16, 1000];
    const results = await Promise.all(
      points.map(async (n) => {
        const dir = join(work, `sweep-kill-${n}`);
        cpSync(old, dir, { recursive: true, verbatimSymlinks: true });
        const r = await run(["sweep", sweepSpec, "--var", "H=3", "--out", dir], n);
        return { dir, killedRun: r.signal === "SIGKILL" };
      }),
    );
    const killed = results.filter((r) => r.killedRun).map((r) => r.dir);
    const finished = results[results.length - 1]!.dir;
    expect(results[results.length - 1]!.killedRun).toBe(false);
    expect(killed.length).toBeGreaterThan(3);
    const seen = new Set(killed.map(sweepSet));
    expect([...seen].sort()).toEqual(["1", "3"]);
    expect(sweepSet(finished)).toBe("3");
  });

  test("nnc build: each module is the old one or the new one, byte for byte", { timeout: 60_000 }, async () => {
    const out = join(work, "modules");
    const other = join(work, "other.nn");
    writeFileSync(other, SPEC.replace("model unit", "model other"));
    expect((await run(["build", spec, other, "-o", out])).code).toBe(0);
    const oldUnit = readFileSync(join(out, "unit.ts"), "utf8");
    const oldOther = readFileSync(join(out, "other.ts"), "utf8");
    writeFileSync(spec, SPEC.replace("sigmoid\nlayer", "tanh\nlayer"));
    writeFileSync(other, SPEC.replace("model unit", "model other").replace("sigmoid\nlayer", "tanh\nlayer"));
    // Two modules, a temporary and a rename each: points 1–4 kill, 5 finishes (each point in its own copy, side by side).
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        const copy = join(work, `modules-${n}`);
        cpSync(out, copy, { recursive: true });
        const r = await run(["build", spec, other, "-o", copy], n);
        const fresh = [readFileSync(join(copy, "unit.ts"), "utf8"), readFileSync(join(copy, "other.ts"), "utf8")];
        return { killedRun: r.signal === "SIGKILL", fresh };
      }),
    );
    writeFileSync(spec, SPEC);
    expect(results.map((r) => r.killedRun)).toEqual([true, true, true, true, false]);
    const [newUnit, newOther] = results[4]!.fresh;
    expect(newUnit).not.toBe(oldUnit);
    for (const { fresh } of results) {
      expect([oldUnit, newUnit]).toContain(fresh[0]);
      expect([oldOther, newOther]).toContain(fresh[1]);
    }
    // The kill before the first module's rename leaves both old; the one after it, the first new and the second old.
    expect(results[1]!.fresh).toEqual([oldUnit, oldOther]);
    expect(results[2]!.fresh).toEqual([newUnit, oldOther]);
  });
});

// A full disk (a 150 KiB tmpfs: room for one run's files, not two): the second run fails in one line and the
// first run's files stay, all of them. Needs root to mount: skipped, and reported so, where it cannot.
const root = process.getuid?.() === 0 && spawnSync("mount", ["--version"]).status === 0;
describe.skipIf(!root)("a full disk (tmpfs; needs root)", () => {
  const at = join(work, "full");
  afterAll(() => void spawnSync("umount", [at]));
  test("the new run's files do not fit: one line, exit 1, the previous run whole", async () => {
    mkdirSync(at);
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=150k", "tmpfs", at]).status).toBe(0);
    const dir = join(at, "run");
    expect((await run(["train", spec, "--out", dir, "--seed", "1"])).code).toBe(0);
    const before = snapshot(dir);
    const r = await run(["train", spec, "--out", dir, "--seed", "2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^nnc: cannot write .*\/run\/[a-z.]+: no space left on device\n$/);
    expect(snapshot(dir)).toEqual(before);
  });
});
