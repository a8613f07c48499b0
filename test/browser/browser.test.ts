// The web example (examples/web) in a real browser: bundle the page with esbuild, open it in headless
// Debian chromium (playwright-core), and check that the predictions the page computed are bit for bit
// the ones Node computes with the same generated module and weights (with each engine's own Math, since the
// module's tanh and σ are nnc's own functions; and with portable-math.ts installed, which a module calling
// Math.exp would need), that both agree with the reference
// interpreter (the independent oracle), and that the Node example script prints the same numbers.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModule } from "../../src/harness/load.js";
import { loadSpec } from "../../src/front/index.js";
import { interpret } from "../../src/interpreter/index.js";
import type { GeneratedModule, Vector } from "../../src/module-api.js";
import { installPortableMath } from "./portable-math.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(`test/browser: SKIPPED: ${CHROMIUM} is absent (install it with: apt-get install -y chromium; .ci/run does).`);
}

interface PagePoint {
  x: number;
  y: number;
  p: number;
  hex: string;
}
interface PageResult {
  model: string;
  extent: number;
  grid: number;
  gridHex: string;
  points: PagePoint[];
}

function hexOf(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("hex");
}

/** The page's grid of cell centres (examples/web/main.ts: y up, row-major), predicted by `module`. */
function gridPredictions(module: GeneratedModule, params: Vector, extent: number, grid: number): Float64Array {
  const out = new Float64Array(grid * grid);
  for (let row = 0; row < grid; row++) {
    for (let col = 0; col < grid; col++) {
      const x = -extent + ((col + 0.5) * 2 * extent) / grid;
      const y = extent - ((row + 0.5) * 2 * extent) / grid;
      out[row * grid + col] = module.predict(params, new Float64Array([x, y]))[0]!;
    }
  }
  return out;
}

/** Max |a − b| / max(|b|, 1e-300) over two equal-length arrays. */
function maxRelativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-300));
  return worst;
}

function gridOf(result: PageResult): Float64Array {
  return new Float64Array(Uint8Array.from(Buffer.from(result.gridHex, "hex")).buffer);
}

describe.skipIf(!HAS_CHROMIUM)("examples/web in headless chromium", () => {
  let dir: string;
  let browser: Browser | undefined;
  /** The page as a user sees it (chromium's own Math functions) and with portable Math installed first. */
  let native: PageResult;
  let portable: PageResult;
  let module: GeneratedModule;
  let params: Vector;
  const weightsPath = join(ROOT, "examples/web/weights.json");

  async function openPage(initScript?: string): Promise<PageResult> {
    const tab = await browser!.newPage();
    if (initScript !== undefined) await tab.addInitScript(initScript);
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto(pathToFileURL(join(dir, "index.html")).href);
    await tab.waitForSelector("body[data-ready=true]", { timeout: 30_000 }).catch(() => {
      throw new Error(`the page never became ready; page errors: ${errors.join("; ") || "none"}`);
    });
    const result = (await tab.evaluate(() => (window as unknown as { nnc: unknown }).nnc)) as PageResult;
    await tab.close();
    return result;
  }

  beforeAll(async () => {
    // Bundle as a user would (README: npx esbuild examples/web/main.ts --bundle --format=iife --outfile=…/out/main.js), into a tmp copy of the page.
    dir = mkdtempSync(join(tmpdir(), "nnc-web-"));
    copyFileSync(join(ROOT, "examples/web/index.html"), join(dir, "index.html"));
    await build({ entryPoints: [join(ROOT, "examples/web/main.ts")], bundle: true, format: "iife", outfile: join(dir, "out/main.js"), logLevel: "error" });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    native = await openPage();
    portable = await openPage(`(${installPortableMath.toString()})();`);

    // Node: the same generated module source, transpiled in-process, with the same weights.
    module = await loadModule(readFileSync(join(ROOT, "generated/planar.ts"), "utf8"));
    params = module.loadWeights(JSON.parse(readFileSync(weightsPath, "utf8")));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("with the same Math functions in both engines, the page's predictions equal Node's bit for bit (points and all 8,100 grid cells)", () => {
    const restore = installPortableMath();
    let nodeGrid: Float64Array;
    let nodePoints: string[];
    try {
      nodeGrid = gridPredictions(module, params, portable.extent, portable.grid);
      nodePoints = portable.points.map((point) => hexOf(Float64Array.of(module.predict(params, Float64Array.of(point.x, point.y))[0]!)));
    } finally {
      restore();
    }
    expect(portable.model).toBe("planar");
    expect(portable.points.length).toBeGreaterThanOrEqual(4);
    expect(portable.points.map((point) => point.hex)).toEqual(nodePoints);
    const pageGrid = gridOf(portable);
    expect(pageGrid.length).toBe(portable.grid * portable.grid);
    // Cell by cell, so a failure names the first differing cell.
    let firstDiff = -1;
    for (let i = 0; i < nodeGrid.length && firstDiff < 0; i++) if (!Object.is(pageGrid[i], nodeGrid[i])) firstDiff = i;
    expect(firstDiff, firstDiff >= 0 ? `cell ${firstDiff}: page ${pageGrid[firstDiff]} vs node ${nodeGrid[firstDiff]}` : "").toBe(-1);
  });

  it("with each engine's own Math, the page's predictions equal Node's bit for bit: the planar module's tanh and σ are nnc's own", () => {
    const nodeGrid = gridPredictions(module, params, native.extent, native.grid);
    const pageGrid = gridOf(native);
    let identical = 0;
    for (let i = 0; i < nodeGrid.length; i++) if (Object.is(pageGrid[i], nodeGrid[i])) identical++;
    console.log(`test/browser: ${identical} of ${nodeGrid.length} grid cells bit-identical between Node ${process.versions.v8} and chromium with native Math`);
    // With V8's Math.tanh/Math.exp (before 2026-12-03) 7,729 of 8,100 were identical, the rest within 1e-14.
    expect(identical).toBe(nodeGrid.length);
    expect(maxRelativeDiff(pageGrid, nodeGrid)).toBe(0);
    const nodePoints = native.points.map((point) => module.predict(params, Float64Array.of(point.x, point.y))[0]!);
    expect(native.points.map((point) => point.hex)).toEqual(nodePoints.map((p) => hexOf(Float64Array.of(p))));
    // A trained planar boundary: both classes present, confidently.
    expect(nodeGrid.some((p) => p > 0.99)).toBe(true);
    expect(nodeGrid.some((p) => p < 0.01)).toBe(true);
  });

  it("the page's predictions agree with the reference interpreter (independent oracle) to 1e-12", () => {
    const oracle = interpret(loadSpec(join(ROOT, "specs/planar.nn")));
    const oracleParams = oracle.loadWeights(JSON.parse(readFileSync(weightsPath, "utf8")));
    const expected = gridPredictions(oracle, oracleParams, native.extent, native.grid);
    const pageGrid = gridOf(native);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(pageGrid[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-12);
  });

  it("the Node example script (examples/node/predict.ts via tsx) prints Node's numbers exactly", () => {
    const args = native.points.map((point) => `${point.x},${point.y}`);
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "examples/node/predict.ts", weightsPath, ...args], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const printed = run.stdout
      .trim()
      .split("\n")
      .map((line) => Number(/p\(class 1\) = (\S+)/.exec(line)![1]));
    expect(printed.length).toBe(native.points.length);
    native.points.forEach((point, i) => {
      expect(Object.is(printed[i], module.predict(params, Float64Array.of(point.x, point.y))[0])).toBe(true);
      expect(Math.abs(printed[i]! - point.p)).toBeLessThanOrEqual(1e-14 * Math.abs(point.p));
    });
  });
});

describe("portable Math (the test helper) is accurate", () => {
  it("exp, tanh and log1p agree with Node's to 1e-15 relative", () => {
    const xs = Array.from({ length: 2001 }, (_, i) => -30 + (60 * i) / 2000 + 1e-3);
    const restore = installPortableMath();
    let values: number[][];
    try {
      values = [xs.map((x) => Math.exp(x)), xs.map((x) => Math.tanh(x)), xs.filter((x) => x > -0.5 && x < 1).map((x) => Math.log1p(x))];
    } finally {
      restore();
    }
    expect(maxRelativeDiff(values[0]!, xs.map(Math.exp))).toBeLessThan(1e-15);
    expect(maxRelativeDiff(values[1]!, xs.map(Math.tanh))).toBeLessThan(1e-15);
    expect(maxRelativeDiff(values[2]!, xs.filter((x) => x > -0.5 && x < 1).map(Math.log1p))).toBeLessThan(1e-15);
    expect(Math.exp).not.toBe(undefined);
  });
});

describe("examples type-check", () => {
  it("examples/node and examples/web are strict TypeScript against the generated module", () => {
    const tsc = join(ROOT, "node_modules/.bin/tsc");
    const args = [
      "--ignoreConfig",
      "examples/web/main.ts",
      "examples/node/predict.ts",
      "--noEmit",
      "--strict",
      "--module",
      "NodeNext",
      "--moduleResolution",
      "NodeNext",
      "--target",
      "ES2022",
      "--lib",
      "ES2022,DOM",
      "--types",
      "node",
      "--resolveJsonModule",
    ];
    expect(() => execFileSync(tsc, args, { cwd: ROOT, encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });
});
