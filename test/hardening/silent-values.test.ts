// Values that used to pass silently (issue 21): weights whose forward overflows printed "NaN → class 0"
// with exit 0; a 60,000-value --input was echoed whole in a 120,000-character error line.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCli, nncWithin } from "../support/cli.js";
import { tempDir, write } from "../data/fixtures.js";

const run = (...args: string[]) => nncWithin(30_000, args);
const SPEC = "model reg\nlayer fc 2->3 tanh\nlayer fc 3->1\nloss mse\nsgd lr=0.1 epochs=2 batch=2\nrow 0, 0 -> 0\nrow 1, 1 -> 2\n";

let dir: string;
let spec: string;
let weights: string;
beforeAll(() => {
  buildCli();
  dir = tempDir();
  spec = write(dir, "reg.nn", SPEC);
  const trained = run("train", spec, "--out", join(dir, "run"));
  expect(trained.status, trained.stderr).toBe(0);
  weights = join(dir, "run", "weights.json");
}, 120_000);

describe("nnc predict refuses what it cannot answer", () => {
  it("weights whose forward overflows: exit 1 naming the row, not NaN with exit 0", () => {
    const json = JSON.parse(readFileSync(weights, "utf8")) as { values: number[] };
    json.values = json.values.map((_, i) => (i % 2 === 0 ? 1e308 : -1e308));
    const huge = join(dir, "huge.json");
    writeFileSync(huge, JSON.stringify(json));
    const r = run("predict", spec, "--weights", huge, "--input", "1,1");
    expect(r.status, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/^nnc: the network's output for row 1 is (NaN|-?Infinity): its forward pass overflows/);
    expect(r.stdout).not.toMatch(/NaN/);
    // The same file's good twin still predicts.
    expect(run("predict", spec, "--weights", weights, "--input", "1,1").status).toBe(0);
  });

  it("a 60,000-value --input is quoted by its start and length", () => {
    const long = Array.from({ length: 60_000 }, () => "1").join(",");
    const r = run("predict", spec, "--weights", weights, "--input", long);
    expect(r.status).toBe(1);
    expect(r.stderr.length).toBeLessThan(300);
    expect(r.stderr).toMatch(/--input "1,1,1.*"… \(119,999 characters\): 60000 values, but the model takes 2 inputs/);
  });

  it("--seed past 2^32 − 1 and --epochs past 10^9 are refused (the spec's seed= and epochs= ranges), not aliased or endless", () => {
    const seed = run("train", spec, "--seed", "4294967296", "--out", join(dir, "never"));
    expect([seed.status, seed.stderr]).toEqual([1, 'nnc: --seed must be a whole number from 0 to 4294967295, got "4294967296"\n']);
    const epochs = run("train", spec, "--epochs", "1000000001", "--out", join(dir, "never"));
    expect([epochs.status, epochs.stderr]).toEqual([1, 'nnc: --epochs must be a whole number from 1 to 1000000000, got "1000000001"\n']);
    expect(run("check", spec, "--seed", "4294967296").status).toBe(1);
  });
});
