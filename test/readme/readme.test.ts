// README cannot drift: every ```sh block's commands run here, in README's order, in a temporary copy of
// the repository (node_modules linked, not reinstalled), each asserted to exit 0 and to print or write what
// README says. Other fenced blocks are checked by their tag:
//   ```nn file=NAME      written into the copy before the commands run (the "save this as" spec);
//   ```LANG excerpt=PATH  every line (but "// …" / "# …" elisions) appears in PATH, in order;
//   ```sh setup           the set-up commands: `npm ci` and `npm test` are not run here (one would replace
//                         node_modules under the running suite, the other is this suite) but must be what
//                         .ci/run runs; the rest of the line runs like any command;
//   ```sh no-run          shown, not run (kept few: at most MAX_NO_RUN).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const MAX_NO_RUN = 2;

interface Block {
  lang: string;
  attrs: string[];
  body: string;
  line: number;
}

function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, attrs: open[2]!.split(/\s+/).filter(Boolean), body: body.join("\n"), line: start + 1 });
  }
  return blocks;
}

const attr = (block: Block, name: string) => block.attrs.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const commandsOf = (block: Block) =>
  block.body
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

const blocks = fencedBlocks(README);
const shBlocks = blocks.filter((block) => block.lang === "sh");
const setupBlocks = shBlocks.filter((block) => block.attrs.includes("setup"));
const tourCommands = shBlocks.filter((block) => block.attrs.length === 0).flatMap(commandsOf);
const setupLines = setupBlocks.flatMap(commandsOf);
/** The set-up line's commands (split on &&) that this test runs: all but npm ci / npm test. */
const NOT_RUN_HERE = ["npm ci", "npm test"];
const setupCommands = setupLines.flatMap((line) => line.split("&&").map((part) => part.trim())).filter((command) => !NOT_RUN_HERE.includes(command));
const allCommands = [...setupCommands, ...tourCommands];

/** What README's commands must show; each entry must match at least one command (README keeps its tour). */
const predictPhrase = /`(0, 1 → [\d.]+ → class 1)`/.exec(README)?.[1];
const planarAccuracy = /\((\d+) % training\s+accuracy/.exec(README)?.[1];
const nodeExampleOutput = /^0\.5, 1 → p\(class 1\) = \S+ → class 0\n-2, 1 → p\(class 1\) = \S+ → class 1\n$/;
const EXPECTATIONS: Array<{ command: RegExp; output?: RegExp | string; files?: string[] }> = [
  { command: /^npm run build$/, files: ["dist/cli.js", "dist/index.js", "dist/types/src/index.d.ts"] },
  { command: /^node bin\/nnc\.js train specs\/planar\.nn$/, output: `acc ${planarAccuracy}.`, files: ["runs/planar/weights.json", "runs/planar/boundary.svg"] },
  { command: /^node bin\/nnc\.js build xor\.nn$/, output: /wrote generated\/xor\.ts/, files: ["generated/xor.ts"] },
  { command: /^node bin\/nnc\.js check xor\.nn$/, output: /all passed/ },
  {
    command: /^node bin\/nnc\.js check xor\.nn --reporter markdown --reporter junit=reports\/xor-check\.xml$/,
    output: /### nnc check: 1 spec, \d+ tensors — all passed/,
    files: ["reports/xor-check.xml"],
  },
  { command: /^node bin\/nnc\.js train xor\.nn$/, output: /acc 100\.00%/, files: ["runs/xor/weights.json", "runs/xor/boundary.svg"] },
  { command: /^node bin\/nnc\.js predict xor\.nn /, output: predictPhrase ?? "README has no `0, 1 → … → class 1` phrase" },
  { command: /^npx tsx examples\/node\/predict\.ts runs\/planar\/weights\.json 0\.5,1 -2,1$/, output: nodeExampleOutput },
  { command: /^npx esbuild examples\/node\/predict\.ts .*--outfile=out\/predict\.mjs$/, files: ["out/predict.mjs"] },
  { command: /^node out\/predict\.mjs runs\/planar\/weights\.json 0\.5,1 -2,1$/, output: nodeExampleOutput },
  { command: /^npx esbuild examples\/web\/main\.ts .*--outfile=examples\/web\/out\/main\.js$/, files: ["examples/web/out/main.js"] },
  {
    command: /^node bin\/nnc\.js export xor\.nn --weights runs\/xor\/weights\.json -o xor\.onnx$/,
    output: /wrote xor\.onnx \(ONNX opset 13, float32/,
    files: ["xor.onnx"],
  },
  {
    command: /^node bin\/nnc\.js import xor\.onnx -o imported --name xor_onnx$/,
    output: /wrote imported\/xor_onnx\.nn \(2 layers\)/,
    files: ["imported/xor_onnx.nn", "imported/xor_onnx.weights.json"],
  },
  { command: /^node bin\/nnc\.js predict imported\/xor_onnx\.nn /, output: /^0, 1 → 0\.99\d* → class 1$/m },
  { command: /^npm run vsix$/, output: /vsix: wrote .*dist\/nn-language\.vsix/, files: ["dist/nn-language.vsix"] },
];

/** The environment without npm's per-script variables (npm test sets npm_config_*, which would leak into a child npm). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  return { ...env, NO_COLOR: "1", NO_UPDATE_NOTIFIER: "1" };
}

describe("README", () => {
  it("has the set-up block: one line that trains the planar spec, one that runs the suite, as .ci/run does", () => {
    expect(setupBlocks.length).toBe(1);
    expect(setupLines).toEqual(["npm ci && npm run build && node bin/nnc.js train specs/planar.nn", "npm test"]);
    const ci = readFileSync(join(ROOT, ".ci/run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it(`marks few blocks no-run (at most ${MAX_NO_RUN}) and shows the whole tour`, () => {
    expect(shBlocks.filter((block) => block.attrs.includes("no-run")).length).toBeLessThanOrEqual(MAX_NO_RUN);
    for (const block of shBlocks)
      expect(
        block.attrs.every((a) => a === "setup" || a === "no-run"),
        `README line ${block.line}: ${block.attrs.join(" ")}`,
      ).toBe(true);
    for (const expectation of EXPECTATIONS) {
      expect(
        allCommands.some((command) => expectation.command.test(command)),
        `no README command matches ${expectation.command}`,
      ).toBe(true);
    }
    expect(predictPhrase).toBeDefined();
    expect(planarAccuracy).toBeDefined();
  });

  it("quotes excerpts that are really in the files they name", () => {
    const excerpts = blocks.filter((block) => attr(block, "excerpt") !== undefined);
    expect(excerpts.length).toBeGreaterThanOrEqual(2);
    for (const block of excerpts) {
      const path = attr(block, "excerpt")!;
      const fileLines = readFileSync(join(ROOT, path), "utf8").split("\n");
      let at = 0;
      for (const line of block.body.split("\n")) {
        if (/^\s*(\/\/|#) …$/.test(line)) continue;
        const found = fileLines.indexOf(line, at);
        expect(found, `README line ${block.line}: "${line}" is not in ${path} (after line ${at})`).toBeGreaterThanOrEqual(0);
        at = found + 1;
      }
    }
  });

  it("links only to files that exist, and its picture is the planar decision boundary", () => {
    const targets = [...README.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^(https?:|#)/.test(t))
      .map((t) => t.split("#")[0]!);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) expect(existsSync(join(ROOT, target)), target).toBe(true);
    const svg = readFileSync(join(ROOT, "docs/img/planar-boundary.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("planar: decision boundary");
  });
});

describe("README's commands, run in a copy of the repository", () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), "nnc-readme-"));
    for (const entry of [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "bin",
      "scripts",
      "src",
      "grammar",
      "specs",
      "generated",
      "examples",
      "editors",
    ]) {
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true, filter: (source) => !source.includes(`${join("examples", "web", "out")}`) });
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
    for (const block of blocks.filter((b) => attr(b, "file") !== undefined)) writeFileSync(join(copy, attr(block, "file")!), `${block.body}\n`);
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  // One test per command, in README's order (later commands use earlier ones' output, as a reader would).
  for (const command of allCommands) {
    it(
      command,
      () => {
        const result = spawnSync("bash", ["-c", command], { cwd: copy, encoding: "utf8", env: cleanEnv(), timeout: 170_000 });
        expect(result.status, `exit ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
        for (const expectation of EXPECTATIONS.filter((e) => e.command.test(command))) {
          if (typeof expectation.output === "string") expect(result.stdout).toContain(expectation.output);
          else if (expectation.output) expect(result.stdout).toMatch(expectation.output);
          for (const file of expectation.files ?? []) expect(existsSync(join(copy, file)), `${command} should write ${file}`).toBe(true);
        }
      },
      180_000,
    );
  }
});
