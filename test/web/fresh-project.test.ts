// Issue 17's "done when": nnc as a user gets it, in a fresh Vite vanilla-ts project and a fresh esbuild
// project (their template files: test/web/fixtures/), each importing a spec through the package's plugin.
// From the packed tarball: the project's tsc (template config and @tsconfig/strictest), its build
// (`vite build`; the esbuild project's build.mjs), the built page opened in Chromium, and the page's
// outputs, class names and probabilities for raw input rows (kg, cm) checked against `nnc predict` run by
// the installed package on the same rows and weights.
//
// Offline and quick: the tarball is unpacked into each project's node_modules/nnc (what `npm install
// nnc.tgz` puts there), and the packages it and the projects depend on (esbuild, prettier, ts-morph, …;
// vite, @tsconfig/strictest) are links into this repository's node_modules, which `npm ci` installed from
// the same lockfile — no registry, no npm cache needed on a fresh CI clone. About 30 s on 2 busy cores.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const FIXTURES = join(ROOT, "test/web/fixtures");
const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`test/web/fresh-project: the page checks are SKIPPED: ${CHROMIUM} is absent (apt-get install -y chromium; .ci/run does).`);

/** The spec the projects import (as src/model.nn): specs/gender.nn (kg, cm → female; zero-mean normalised) with class names. */
const SPEC = readFileSync(join(ROOT, "specs/gender.nn"), "utf8");
/** Raw rows (kg, cm), as a page's form would give them. */
const INPUTS = [
  [60, 165],
  [80, 190],
  [54.4, 152],
  [72.6, 183],
  [66, 172],
];

/** One line of `nnc predict --json`. */
interface Prediction {
  input: number[];
  output: number[];
  class: number;
  name: string;
}

/** What the page leaves in window.nnc. */
interface PageResult {
  model: string;
  classes: string[] | null;
  outputs: number[][];
  classified: { index: number; name: string; probability: number }[];
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  return spawnSync(command, args, { cwd, encoding: "utf8", env: { ...env, NO_COLOR: "1" }, timeout: 170_000 });
}

function expectOk(result: SpawnSyncReturns<string>, what: string): void {
  expect(result.status, `${what} failed (status ${result.status}):\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/** The git-tracked files of the folders package.json "files" ships (what a clean clone packs). */
function trackedFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--", "bin", "docs", "specs", "examples", "generated"], { cwd: ROOT, encoding: "utf8" });
  return listed.stdout.split("\0").filter((file) => file !== "" && existsSync(join(ROOT, file)));
}

/** Link `name` in `folder`'s node_modules to this repository's installed copy. */
function linkPackage(nodeModules: string, name: string): void {
  const target = join(nodeModules, name);
  mkdirSync(join(target, ".."), { recursive: true });
  symlinkSync(join(ROOT, "node_modules", name), target, "dir");
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

describe("a fresh Vite project and a fresh esbuild project, from the packed tarball", () => {
  let tmp: string;
  let nnc: string;
  let expected: Prediction[];
  let browser: Browser | undefined;

  /** A fresh project from its fixture, nnc unpacked into it, src/model.nn and src/data.ts written. */
  function project(fixture: string, links: string[], weights: unknown): string {
    const dir = join(tmp, fixture);
    cpSync(join(FIXTURES, fixture), dir, { recursive: true });
    const nodeModules = join(dir, "node_modules");
    cpSync(nnc, join(nodeModules, "nnc"), { recursive: true });
    // nnc's own dependencies, resolved from its folder as npm would have installed them.
    symlinkSync(join(ROOT, "node_modules"), join(nodeModules, "nnc/node_modules"), "dir");
    for (const name of links) linkPackage(nodeModules, name);
    writeFileSync(join(dir, "src/model.nn"), SPEC);
    writeFileSync(
      join(dir, "src/data.ts"),
      `// Written by the test: the raw rows to predict and the weights nnc train wrote.\nexport const inputs: number[][] = ${JSON.stringify(INPUTS)};\nexport const weights: unknown = ${JSON.stringify(weights)};\n`,
    );
    return dir;
  }

  /** Open dist/index.html of a built project in Chromium, served from memory at http://app.test/ (no server, no network). */
  async function openPage(dist: string): Promise<PageResult> {
    const context = await browser!.newContext();
    await context.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      const file = join(dist, url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname));
      if (url.host !== "app.test" || !file.startsWith(dist) || !existsSync(file)) return route.fulfill({ status: 404, body: "not found" });
      return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? "application/octet-stream", body: readFileSync(file) });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto("http://app.test/");
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 }).catch(() => {
      throw new Error(`the page never became ready; page errors: ${errors.join("; ") || "none"}`);
    });
    const result = (await page.evaluate(() => (window as unknown as { nnc: unknown }).nnc)) as PageResult;
    await context.close();
    return result;
  }

  /**
   * The page's outputs for the raw rows equal nnc predict's (to the last bits: the engines' Math.exp may differ
   * there), and classify names the class nnc predict names, with the probability of that class.
   */
  function expectSameAsPredict(page: PageResult): void {
    const close = (got: number, want: number, what: string): void => {
      expect(Math.abs(got - want), `${what}: page ${got}, nnc predict ${want}`).toBeLessThanOrEqual(1e-12 * Math.abs(want) + 1e-300);
    };
    expect(page.model).toBe("gender");
    expect(page.classes).toEqual(["male", "female"]);
    expect(page.outputs.length).toBe(INPUTS.length);
    for (let i = 0; i < INPUTS.length; i++) {
      const want = expected[i]!;
      expect(page.outputs[i]!.length).toBe(want.output.length);
      for (let j = 0; j < want.output.length; j++) close(page.outputs[i]![j]!, want.output[j]!, `row ${i} output ${j}`);
      expect(page.classified[i]!.name, `row ${i}`).toBe(want.name);
      expect(page.classified[i]!.index, `row ${i}`).toBe(want.class);
      // One sigmoid output: p(female) = output, p(male) = 1 − output.
      close(page.classified[i]!.probability, want.class === 1 ? want.output[0]! : 1 - want.output[0]!, `row ${i} probability`);
    }
    // Both classes occur, so a page that always says one name cannot pass.
    expect(new Set(page.classified.map((c) => c.name))).toEqual(new Set(["male", "female"]));
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "nnc-fresh-"));
    // Pack a private staging copy with its own build (other test files rebuild the repository's dist/).
    const stage = join(tmp, "stage");
    for (const entry of ["package.json", "README.md", "LICENSE", "client.d.ts"]) cpSync(join(ROOT, entry), join(stage, entry));
    for (const file of trackedFiles()) cpSync(join(ROOT, file), join(stage, file));
    expectOk(run(process.execPath, [join(ROOT, "scripts/build.mjs"), "--out", join(stage, "dist")], ROOT), "scripts/build.mjs --out");
    const pack = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], stage);
    expectOk(pack, "npm pack");
    const tarball = join(tmp, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
    const unpacked = join(tmp, "unpacked");
    mkdirSync(unpacked);
    expectOk(run("tar", ["-xzf", tarball, "-C", unpacked], tmp), "tar -xzf");
    nnc = join(unpacked, "package");

    // Trained weights and nnc predict's outputs, from the installed package's CLI in a scratch project.
    const trainer = join(tmp, "trainer");
    mkdirSync(trainer);
    cpSync(nnc, join(trainer, "node_modules/nnc"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(trainer, "node_modules/nnc/node_modules"), "dir");
    writeFileSync(join(trainer, "model.nn"), SPEC);
    const cli = join(trainer, "node_modules/nnc/bin/nnc.js");
    expectOk(run(process.execPath, [cli, "train", "model.nn", "--out", "run"], trainer), "nnc train");
    const predicted = run(
      process.execPath,
      [cli, "predict", "model.nn", "--weights", "run/weights.json", "--json", ...INPUTS.flatMap((row) => ["--input", row.join(",")])],
      trainer,
    );
    expectOk(predicted, "nnc predict");
    expected = predicted.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Prediction);
    expect(expected.map((p) => p.input)).toEqual(INPUTS);
    const weights = JSON.parse(readFileSync(join(trainer, "run/weights.json"), "utf8")) as unknown;

    project("vite-vanilla-ts", ["vite", "@tsconfig/strictest"], weights);
    project("esbuild", ["esbuild", "@tsconfig/strictest"], weights);
    if (HAS_CHROMIUM)
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const tsc = join(ROOT, "node_modules/.bin/tsc");

  describe("Vite vanilla-ts", () => {
    it("tsc passes with the template's tsconfig and with @tsconfig/strictest (the .nn import typed by nnc/client)", () => {
      const dir = join(tmp, "vite-vanilla-ts");
      expectOk(run(tsc, ["-p", "tsconfig.json"], dir), "tsc -p tsconfig.json");
      expectOk(run(tsc, ["-p", "tsconfig.strictest.json"], dir), "tsc -p tsconfig.strictest.json");
      // The declaration is what makes it pass: a misuse of the module is an error.
      writeFileSync(join(dir, "src/wrong.ts"), 'import spec from "./model.nn";\nexport const name: number = spec.meta.name;\n');
      const wrong = run(tsc, ["-p", "tsconfig.json"], dir);
      rmSync(join(dir, "src/wrong.ts"));
      expect(wrong.status).not.toBe(0);
      expect(wrong.stdout).toMatch(/src\/wrong\.ts\(2,14\): error TS2322/);
    });

    it("vite build bundles the page, the generated module in it", () => {
      const dir = join(tmp, "vite-vanilla-ts");
      expectOk(run(process.execPath, [join(dir, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], dir), "vite build");
      const assets = readdirSync(join(dir, "dist/assets")).filter((name) => name.endsWith(".js"));
      expect(assets.length).toBe(1);
      expect(readFileSync(join(dir, "dist/assets", assets[0]!), "utf8")).toMatch(/name: ?[`"]gender[`"]/);
    });

    it.skipIf(!HAS_CHROMIUM)("the built page in Chromium gives nnc predict's outputs, class names and probabilities for the raw rows", async () => {
      expectSameAsPredict(await openPage(join(tmp, "vite-vanilla-ts/dist")));
    });
  });

  describe("esbuild", () => {
    it("tsc passes with @tsconfig/strictest", () => {
      expectOk(run(tsc, ["-p", "tsconfig.json"], join(tmp, "esbuild")), "tsc -p tsconfig.json");
    });

    it("build.mjs bundles the page through nnc/esbuild", () => {
      const dir = join(tmp, "esbuild");
      expectOk(run(process.execPath, ["build.mjs"], dir), "node build.mjs");
      cpSync(join(dir, "index.html"), join(dir, "dist/index.html"));
      expect(readFileSync(join(dir, "dist/main.js"), "utf8")).toMatch(/name: ?[`"]gender[`"]/);
    });

    it.skipIf(!HAS_CHROMIUM)("the built page in Chromium gives nnc predict's outputs, class names and probabilities for the raw rows", async () => {
      expectSameAsPredict(await openPage(join(tmp, "esbuild/dist")));
    });
  });
});
