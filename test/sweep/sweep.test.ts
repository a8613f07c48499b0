// nnc sweep: flag parsing and refusals, and a small sweep whose every variant is checked against the reference
// interpreter trained on the same spec with the variable bound.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { UserError } from "../../src/errors.js";
import { loadSpec, parseSpec } from "../../src/front/index.js";
import { interpret } from "../../src/interpreter/index.js";
import { loadData } from "../../src/data/load.js";
import { applyNormalization, fitNormalization } from "../../src/data/normalize.js";
import { parseVarFlag, runSweep, sweepVariable, variantSpec } from "../../src/sweep/run.js";
import { sweepCsv, sweepMarkdown } from "../../src/sweep/table.js";

const dir = mkdtempSync(join(tmpdir(), "nnc-sweep-"));
const SOURCE = `model tiny
data planar n=80 seed=5
let H = 2
sweep H = 1, 3
layer fc 2->H tanh
layer fc H->1 sigmoid
loss crossentropy
init normal std=0.5 seed=4
sgd lr=0.5 epochs=40 batch=80
`;
const specFile = join(dir, "tiny.nn");
writeFileSync(specFile, SOURCE);
const quiet = () => {
  let out = "";
  return { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, out: () => out };
};

describe("sweep flags and refusals", () => {
  test("--var NAME=v1,v2", () => {
    expect(parseVarFlag("H=1,2, 30")).toEqual({ name: "H", values: [1, 2, 30] });
    expect(() => parseVarFlag("H")).toThrow(UserError);
    expect(() => parseVarFlag("H=1,x")).toThrow(/"x" is not a finite number/);
  });

  test("the spec's sweep statement, or --var; unknown variables and missing sweeps are user errors", () => {
    const spec = loadSpec(specFile);
    expect(sweepVariable(spec, undefined)).toEqual({ name: "H", values: [1, 3] });
    expect(sweepVariable(spec, { name: "H", values: [7] })).toEqual({ name: "H", values: [7] });
    expect(() => sweepVariable(spec, { name: "K", values: [1] })).toThrow(/no `let K` to sweep \(variables: H\)/);
    const plain = parseSpec("model p\ndata planar\nlayer fc 2->1 sigmoid\nloss crossentropy\n", "p.nn").spec!;
    expect(() => sweepVariable(plain, undefined)).toThrow(/has no `sweep` statement/);
  });

  test("a value the spec cannot take is a user error with the diagnostics", () => {
    expect(() => variantSpec(SOURCE, "tiny.nn", "H", 0)).toThrow(UserError);
    expect(variantSpec(SOURCE, "tiny.nn", "H", 3).layers[0]).toMatchObject({ outputs: 3 });
  });
});

describe("runSweep", () => {
  test("one generated module per value; each equals the interpreter trained with that value", async () => {
    const out = join(dir, "out");
    const streams = quiet();
    const result = await runSweep({ specPath: specFile, out, json: false, streams });
    expect(result.rows.map((r) => r.value)).toEqual([1, 3]);
    for (const row of result.rows) {
      const spec = variantSpec(SOURCE, specFile, "H", row.value);
      const { train } = loadData(spec, dir);
      applyNormalization(fitNormalization(spec.data!.normalize, train), train.features, train.count, train.inputs);
      const oracle = interpret(spec);
      const params = oracle.createParameters();
      const report = oracle.train(params, train.features, train.targets, train.count, {});
      const final = oracle.evaluate(params, train.features, train.targets, train.count);
      expect(row.epochs).toBe(report.epochs);
      expect(row.loss).toBeCloseTo(final.loss, 9);
      expect(row.accuracy).toBe(final.accuracy);
      expect(row.boundary).toBe(`boundary-H=${row.value}.svg`);
      expect(readFileSync(join(out, row.boundary!), "utf8")).toMatch(/^<svg/);
    }
    expect(readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n")).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).rows).toHaveLength(2);
    expect(streams.out()).toContain("| H | train loss | train accuracy | epochs | stopped by | time (s) | doctor |");
  });

  test("table formats: accuracy as percent, test columns only when present, doctor findings listed", () => {
    const row = {
      variable: "H",
      value: 2,
      loss: 0.123456,
      accuracy: 0.9,
      testLoss: null,
      testAccuracy: null,
      epochs: 5,
      stoppedBy: "epochs",
      seconds: 1.234,
      boundary: null,
      doctor: ["unstable"],
    };
    expect(sweepMarkdown([row]).split("\n")[2]).toBe("| 2 | 0.1235 | 90.00 % | 5 | epochs | 1.23 | unstable |");
    expect(sweepMarkdown([{ ...row, testLoss: 0.5, testAccuracy: 0.8 }]).split("\n")[0]).toContain("test accuracy");
    expect(sweepCsv([row]).split("\n")[1]).toBe("H,2,0.123456,0.9,,,5,epochs,1.234,unstable");
  });
});

describe("nnc sweep CLI", () => {
  test("--var and --json: one variant line per value, then done; files written", () => {
    const out = join(dir, "cli");
    const r = spawnSync("node", ["bin/nnc.js", "sweep", specFile, "--var", "H=2", "--epochs", "5", "--out", out, "--json"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(["variant", "done"]);
    expect(lines[0]).toMatchObject({ variable: "H", value: 2, epochs: 5 });
    expect(existsSync(join(out, "sweep.md"))).toBe(true);
  });

  test("a bad --var is exit 1 with a message, no stack trace", () => {
    const r = spawnSync("node", ["bin/nnc.js", "sweep", specFile, "--var", "K=1"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("no `let K` to sweep");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
