// `nnc fmt` end to end on the built CLI: stdout by default, --write rewrites only files that change (a
// canonical file keeps its bytes and mtime), --check lists unformatted files and exits 1, a syntax error is
// refused with diagnostics and the file left untouched, and the shipped specs are canonical.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const nnc = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, "bin/nnc.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
const dir = mkdtempSync(join(tmpdir(), "nnc-fmt-"));
const messy = "# net\nlayer fc 2 -> 1 sigmoid;loss mse\nsgd epochs=3 lr=0.5   # fast\n\n\n";
const tidy = "# net\nlayer fc 2->1 sigmoid\nloss mse\nsgd lr=0.5 epochs=3 # fast\n";

beforeAll(() => {
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
});

describe("nnc fmt", () => {
  it("prints the canonical text and leaves the file alone", () => {
    const file = join(dir, "a.nn");
    writeFileSync(file, messy);
    const r = nnc("fmt", file);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, tidy, ""]);
    expect(readFileSync(file, "utf8")).toBe(messy);
  });

  it("--check lists the unformatted files and exits 1; 0 when all are canonical", () => {
    const bad = join(dir, "c1.nn");
    const good = join(dir, "c2.nn");
    writeFileSync(bad, messy);
    writeFileSync(good, tidy);
    const r = nnc("fmt", "--check", good, bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`${bad}\n`);
    expect(r.stderr).toContain("1 file is not formatted");
    expect(readFileSync(bad, "utf8")).toBe(messy);
    expect(nnc("fmt", "--check", good).status).toBe(0);
  });

  it("--write rewrites only the files that change", () => {
    const bad = join(dir, "w1.nn");
    const good = join(dir, "w2.nn");
    writeFileSync(bad, messy);
    writeFileSync(good, tidy);
    const old = new Date("2020-01-01T00:00:00Z");
    utimesSync(good, old, old);
    const r = nnc("fmt", "--write", bad, good);
    expect([r.status, r.stdout]).toEqual([0, `formatted ${bad}\n`]);
    expect(readFileSync(bad, "utf8")).toBe(tidy);
    expect(statSync(good).mtime.getTime()).toBe(old.getTime());
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a spec with a syntax error: diagnostics, exit 1, file untouched, other files still done", () => {
    const broken = join(dir, "broken.nn");
    const other = join(dir, "other.nn");
    writeFileSync(broken, "layer fc 2->;  sgd   lr=1\n");
    writeFileSync(other, messy);
    const r = nnc("fmt", "--write", broken, other);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${broken}:1:13: error NN003`);
    expect(r.stderr).toContain("not formatted because of syntax errors");
    expect(readFileSync(broken, "utf8")).toBe("layer fc 2->;  sgd   lr=1\n");
    expect(readFileSync(other, "utf8")).toBe(tidy);
  });

  it("specs/*.nn are canonical (nnc fmt --check)", () => {
    const specs = readdirSync(join(root, "specs"))
      .filter((f) => f.endsWith(".nn"))
      .map((f) => `specs/${f}`);
    const r = nnc("fmt", "--check", ...specs);
    expect([r.status, r.stdout]).toEqual([0, ""]);
  });
});
