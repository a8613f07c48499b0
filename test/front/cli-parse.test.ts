// End to end: the built CLI (`node bin/nnc.js parse …`), as a user runs it after `npm run build`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const nnc = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, "bin/nnc.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

beforeAll(() => {
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
});

describe("nnc parse", () => {
  it("prints the letters IR as sorted JSON with ranges", () => {
    const r = nnc("parse", "specs/letters.nn", "--json");
    expect(r.status).toBe(0);
    const ir = JSON.parse(r.stdout);
    expect(Object.keys(ir)).toEqual([...Object.keys(ir)].sort());
    expect(ir).toMatchObject({ name: "letters", fileName: "specs/letters.nn", inputs: 289, outputs: 26, precision: "f64" });
    expect(ir.layers.map((l: { inputs: number; outputs: number; activation: { kind: string } }) => [l.inputs, l.outputs, l.activation.kind])).toEqual([
      [289, 20, "sigmoid"],
      [20, 26, "sigmoid"],
    ]);
    expect(ir.loss).toMatchObject({ kind: "binary_crossentropy", written: "crossentropy" });
    expect(ir.training).toMatchObject({ learningRate: 1, epochs: 20, batchSize: 1024, shuffle: true, optimizer: { kind: "sgd" } });
    expect(ir.data.train).toMatchObject({ kind: "npy", features: "../data/letters/train-x.npy", labels: "../data/letters/train-y.npy" });
    expect(ir.data.test).toMatchObject({ kind: "npy", features: "../data/letters/val-x.npy" });
    expect(ir.layers[0].range).toMatchObject({ startLine: expect.any(Number), startColumn: 1 });
    expect(ir.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    // Deterministic: the same bytes twice.
    expect(nnc("parse", "specs/letters.nn", "--json").stdout).toBe(r.stdout);
  });

  it("prints a one-line summary without --json", () => {
    const r = nnc("parse", "specs/planar.nn");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("planar: 2 → 4 tanh → 1 sigmoid");
  });

  it("prints every error with a caret on stderr and exits 1, without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-parse-"));
    const file = join(dir, "broken.nn");
    writeFileSync(file, "layer fc 289->24 sigmoid\nlayer fc 20->26 sigmod\nsgd lr=-1\n");
    const r = nnc("parse", file);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${file}:2:10: error NN020: layer 2 takes 20 inputs but layer 1 gives 24`);
    expect(r.stderr).toContain(`${file}:2:17: error NN006`);
    expect(r.stderr).toContain(`${file}:3:8: error NN012`);
    expect(r.stderr).toContain("           ^~\n");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints the first 100 diagnostics and a count; --json lists every one on stdout, exit 1 either way", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-parse-"));
    const file = join(dir, "many.nn");
    writeFileSync(file, "model m\nlayer fc 2->1 sigmoid\nloss mse\nsgd" + " lr=0.1".repeat(150) + "\n");
    const text = nnc("parse", file);
    expect(text.status).toBe(1);
    expect(text.stderr).toContain("nnc: 149 errors in");
    expect(text.stderr.match(/error NN013/g)).toHaveLength(100);
    expect(text.stderr).toContain("… and 49 more (149 in all; `nnc parse --json` lists every one)");
    const json = nnc("parse", file, "--json");
    expect(json.status).toBe(1);
    const listed = JSON.parse(json.stdout) as { diagnostics: { code: string; range: { startLine: number; startColumn: number } }[] };
    expect(listed.diagnostics).toHaveLength(149);
    expect(listed.diagnostics.every((d) => d.code === "NN013" && d.range.startLine === 4)).toBe(true);
    expect(listed.diagnostics[0]!.range.startColumn).toBe(12);
    expect(json.stderr).toContain("149 errors in");
    expect(json.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a missing file and exits 1", () => {
    const r = nnc("parse", "specs/no-such.nn");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("specs/no-such.nn");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
