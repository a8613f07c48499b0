// One nnc train or sweep per run folder (issue 21): a second one into a folder another is writing is refused with
// one line naming the holder's pid, and writes nothing; the lock a killed run leaves is taken over; a
// folder nnc made for a run whose data was refused is removed again.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../src/train/run-lock.js";
import { NNC, ROOT, buildCli, nncWithin } from "../support/cli.js";
import { tempDir, write } from "../data/fixtures.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = (...args: string[]) => nncWithin(60_000, args);
const LONG = "model held\nlayer fc 2->8 tanh\nlayer fc 8->1 sigmoid\nloss crossentropy\nsgd lr=0.5 epochs=1000000 batch=4\ndata planar n=400\n";

beforeAll(buildCli, 120_000);

describe("a run folder has one writer", () => {
  it("a second nnc train into a folder another is writing is refused; after a kill -9 the lock is taken over", async () => {
    const dir = tempDir();
    const spec = write(dir, "held.nn", LONG);
    const out = join(dir, "run");
    const first = spawn("node", [NNC, "train", spec, "--out", out, "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((r) => first.on("exit", r));
    try {
      for (let i = 0; i < 2000 && !existsSync(join(out, LOCK_FILE)); i++) await sleep(10);
      expect(readFileSync(join(out, LOCK_FILE), "utf8")).toBe(`${first.pid}\n`);
      const second = run("train", spec, "--out", out, "--epochs", "1");
      expect(second.status).toBe(1);
      expect(second.stderr).toBe(`nnc: ${out} is in use by another nnc train or sweep (pid ${first.pid}): wait for it to finish, or give another --out\n`);
      expect(second.stdout).toBe("");
    } finally {
      first.kill("SIGKILL");
      await exited;
    }
    // The killed run's lock remains, naming a pid that no longer runs: the next run takes it over and ends
    // with a complete folder and no lock.
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    const next = run("train", spec, "--out", out, "--epochs", "2");
    expect(next.status, next.stderr).toBe(0);
    expect(readdirSync(out)).not.toContain(LOCK_FILE);
    expect(readdirSync(out)).toContain("weights.json");
  }, 120_000);

  it("nnc sweep takes the same lock: a train into a folder a sweep is writing is refused, and a sweep into a train's", async () => {
    const dir = tempDir();
    const spec = write(dir, "held.nn", LONG.replace("layer fc 2->8 tanh\nlayer fc 8->1", "let H = 8\nsweep H = 2, 8\nlayer fc 2->H tanh\nlayer fc H->1"));
    for (const [holderCommand, otherCommand] of [
      ["sweep", "train"],
      ["train", "sweep"],
    ] as const) {
      const out = join(dir, `held-by-${holderCommand}`);
      const holder = spawn("node", [NNC, holderCommand, spec, "--out", out, "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      const exited = new Promise((r) => holder.on("exit", r));
      try {
        for (let i = 0; i < 2000 && !existsSync(join(out, LOCK_FILE)); i++) await sleep(10);
        expect(readFileSync(join(out, LOCK_FILE), "utf8")).toBe(`${holder.pid}\n`);
        const other = run(otherCommand, spec, "--out", out, "--epochs", "1");
        expect(other.status, otherCommand).toBe(1);
        expect(other.stderr).toBe(`nnc: ${out} is in use by another nnc train or sweep (pid ${holder.pid}): wait for it to finish, or give another --out\n`);
        expect(other.stdout).toBe("");
      } finally {
        holder.kill("SIGKILL");
        await exited;
      }
    }
  }, 120_000);

  it("a folder made for a run whose data is refused is removed again (nothing left behind)", () => {
    const dir = tempDir();
    const spec = write(dir, "bad.nn", 'model bad\nlayer fc 2->1 sigmoid\nloss crossentropy\ndata npy "missing-x.npy" labels="missing-y.npy"\n');
    const out = join(dir, "fresh");
    const r = run("train", spec, "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing-x\.npy/);
    expect(existsSync(out)).toBe(false);
  });
});
