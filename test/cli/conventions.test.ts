// CLI conventions (docs/cli.md), checked on the built CLI (`node bin/nnc.js`) for every command registered
// when the test runs (read from `nnc --help`, so a new command is checked without editing this file):
// version, examples in every --help, colour only on a terminal and never with NO_COLOR, exit codes
// (0 ok, 1 user error without a stack trace), --json where the conventions ask for it.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useColor } from "../../src/commands/color.js";
import { VERSION } from "../../src/version.js";

const root = join(import.meta.dirname, "../..");
const ESC = "\u001b[";
const STACK_LINE = /^\s+at .+[:(]\d+/m;
// Each spawn loads the whole CLI (about 1.5 s of CPU, more on a busy machine): the loops get long timeouts.

function nnc(args: string[], env: NodeJS.ProcessEnv = { NO_COLOR: "1" }) {
  const r = spawnSync(process.execPath, [join(root, "bin/nnc.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Command names listed under "Commands:" in a help text (without commander's own `help`). */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1] ?? "";
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== "help");
}

let commands: string[][] = [];
const dir = mkdtempSync(join(tmpdir(), "nnc-cli-"));
const malformed = join(dir, "bad.nn");

beforeAll(() => {
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
  writeFileSync(malformed, "layer fc 2->\nsgd lr=oops\n");
  const top = commandsIn(nnc(["--help"]).stdout);
  commands = top.flatMap((c) => [[c], ...commandsIn(nnc([c, "--help"]).stdout).map((sub) => [c, sub])]);
});

describe("version", () => {
  it("src/version.ts equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(VERSION).toBe(pkg.version);
  });

  it("--version prints it and exits 0", () => {
    const r = nnc(["--version"]);
    expect([r.status, r.stdout.trim()]).toEqual([0, VERSION]);
  });
});

describe("help", () => {
  it("lists the core commands", () => {
    const names = commands.map((c) => c.join(" "));
    for (const c of ["parse", "fmt", "build", "train", "predict"]) expect(names).toContain(c);
  });

  it("every command's --help shows at least one example of itself and exits 0", () => {
    const missing: string[] = [];
    for (const c of commands) {
      const r = nnc([...c, "--help"]);
      expect(r.status, c.join(" ")).toBe(0);
      if (!/\nExamples:\n/.test(r.stdout) || !r.stdout.includes(`$ nnc ${c.join(" ")}`)) missing.push(c.join(" "));
    }
    expect(missing, "commands whose --help has no `Examples:` (use withExamples/examples from src/commands/help.ts)").toEqual([]);
  }, 300_000);
});

describe("colour", () => {
  it("useColor: only on a TTY, never when NO_COLOR is set (an empty NO_COLOR counts as unset)", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });

  it("diagnostics through a pipe have no escape codes, even without NO_COLOR", () => {
    const r = nnc(["parse", malformed], { NO_COLOR: "" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("NN003");
    expect(r.stderr).not.toContain(ESC);
  });

  // `script` runs the CLI on a pseudo-terminal, so stderr.isTTY is true (util-linux; present on Debian).
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.runIf(hasScript)("on a terminal diagnostics are coloured, and NO_COLOR turns that off", () => {
    const onTty = (env: string) =>
      spawnSync("script", ["-qec", `${env} ${process.execPath} bin/nnc.js parse ${malformed}`, "/dev/null"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "" },
      });
    const coloured = onTty("");
    expect(coloured.stdout).toContain("NN003");
    expect(coloured.stdout).toContain(ESC);
    const plain = onTty("NO_COLOR=1");
    expect(plain.stdout).toContain("NN003");
    expect(plain.stdout).not.toContain(ESC);
  });
});

describe("exit codes", () => {
  it("0 on success", () => {
    expect(nnc(["parse", "specs/gender.nn"]).status).toBe(0);
    expect(nnc(["fmt", "--check", "specs/gender.nn"]).status).toBe(0);
  });

  it("1 without a stack trace for a missing file, for every command that takes a spec", () => {
    const specCommands = commands.filter((c) => ["parse", "fmt", "build", "check", "train"].includes(c.join(" ")));
    expect(specCommands.length).toBeGreaterThanOrEqual(4);
    for (const c of specCommands) {
      const r = nnc([...c, join(dir, "missing.nn")]);
      expect([c.join(" "), r.status]).toEqual([c.join(" "), 1]);
      expect(r.stderr).toContain("missing.nn");
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  }, 300_000);

  it("1 without a stack trace for a malformed spec, with file:line:col", () => {
    for (const c of [["parse"], ["fmt"], ["build"]]) {
      if (!commands.some((x) => x.join(" ") === c.join(" "))) continue;
      const r = nnc([...c, malformed]);
      expect([c.join(" "), r.status]).toEqual([c.join(" "), 1]);
      expect(r.stderr).toContain(`${malformed}:1:13`);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });

  it("1 without a stack trace for a bad flag, a missing argument or an unknown command", () => {
    for (const args of [
      ["parse", "--bogus", "specs/gender.nn"],
      ["parse"],
      ["frobnicate"],
      ["fmt", "--check", "--write", "specs/gender.nn"],
      ["predict", "specs/gender.nn"],
    ]) {
      const r = nnc(args);
      expect([args.join(" "), r.status]).toEqual([args.join(" "), 1]);
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  }, 300_000);
});

describe("--json", () => {
  it("parse, check, train and predict offer --json (those registered now)", () => {
    const wanted = ["parse", "check", "train", "predict"].filter((c) => commands.some((x) => x.join(" ") === c));
    expect(wanted).toEqual(expect.arrayContaining(["parse", "train", "predict"]));
    for (const c of wanted) expect(nnc([c, "--help"]).stdout, c).toContain("--json");
  }, 300_000);

  it("parse --json prints one JSON document", () => {
    const r = nnc(["parse", "--json", "specs/planar.nn"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "planar", inputs: 2 });
  });
});
