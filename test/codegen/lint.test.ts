// Every generated module passes typescript-eslint's recommended rules (issue 17: "passes a lint with a
// well-kept linter's recommended TypeScript rules"), as test/codegen/typecheck.test.ts checks tsc: every
// spec in specs/, random specs, and random specs under every forced code shape, linted by one process
// (scripts/lint-generated.mjs; it explains how typescript-eslint gets the TypeScript 6 JS API it needs). A
// control file shows the rules are on.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, compileSpecUnformatted, type CompileOptions } from "../../src/compile.js";
import { loadSpec } from "../../src/front/index.js";
import { randomSpec } from "../support/random-spec.js";
import { lettersSpec } from "./specs.js";

const SHAPES: [string, CompileOptions][] = [
  ["loops", { unrollLimit: 0 }],
  ["unrolled", { unrollLimit: Infinity }],
  ["blocked_ts", { batchShape: "blocked", kernel: "ts", chunkLimit: 8 }],
  ["blocked_wasm", { batchShape: "blocked", kernel: "wasm" }],
  ["f32", { precision: "f32" }],
  ["layers", { sampleShape: "layers" }],
];

interface LintReport {
  file: string;
  messages: { rule: string | null; line: number; column: number; text: string }[];
}

function lint(files: string[]): LintReport[] {
  const run = spawnSync(process.execPath, [resolve("scripts/lint-generated.mjs"), ...files], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`scripts/lint-generated.mjs failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as LintReport[];
}

describe("generated modules pass typescript-eslint's recommended rules", () => {
  const dir = mkdtempSync(join(tmpdir(), "nnc-lint-"));
  const files: string[] = [];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const write = (name: string, text: string): void => {
      writeFileSync(join(dir, name), text);
      files.push(join(dir, name));
    };
    for (const file of readdirSync("specs").filter((f) => f.endsWith(".nn")))
      write(`spec_${file.replace(/\.nn$/, "")}.ts`, (await compileSpec(loadSpec(`specs/${file}`))).text);
    write("letters_f32.ts", (await compileSpec(lettersSpec(), { precision: "f32" })).text);
    for (let seed = 1; seed <= 20; seed++) write(`random_${seed}.ts`, compileSpecUnformatted(randomSpec(seed)).text);
    for (const [shape, options] of SHAPES)
      for (let seed = 201; seed <= 203; seed++) write(`random_${shape}_${seed}.ts`, compileSpecUnformatted(randomSpec(seed), options).text);
  }, 120_000);

  it("no rule fires on any module", () => {
    const reports = lint(files);
    expect(reports.length).toBe(files.length);
    const findings = reports.flatMap((r) => r.messages.map((m) => `${r.file.slice(dir.length + 1)}:${m.line}:${m.column} ${m.rule}: ${m.text}`));
    expect(findings).toEqual([]);
    // ~40 s for these 53 modules on two busy cores (one ESLint process; the big conv modules dominate).
  }, 240_000);

  it("the rules are on (control): a needless let, an explicit any and an unused variable are reported", () => {
    const control = join(dir, "control.ts");
    writeFileSync(control, "let once = 1;\nexport const f = (x: any): number => once + x;\nconst unused = 2;\n");
    const [report] = lint([control]);
    expect(report!.messages.map((m) => m.rule).sort()).toEqual(["@typescript-eslint/no-explicit-any", "@typescript-eslint/no-unused-vars", "prefer-const"]);
  });
});
