// The training recipe of docs/web.md (examples/worker/) in Chromium: the page trains the planar network in
// a Web Worker (progress posted per evaluated epoch, the parameters transferred back) and on the main thread
// with trainAsync (the page renders animation frames meanwhile). Both must give, bit for bit, what train()
// gives in Node from the page's rows and initial weights (taken from the page: making them runs Math.cos,
// sin and log, which engines round differently in the last bit), with the same exp, tanh and log1p installed
// in every realm (the worker, the page, Node; test/browser/portable-math.ts says why).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import type { GeneratedModule } from "../../src/module-api.js";
import { installPortableMath } from "../browser/portable-math.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);

interface PageResult {
  rows: number[];
  labels: number[];
  initial: number[];
  worker: number[];
  progress: number[];
  transferred: boolean;
  page: number[];
  frames: number;
  pauseMicroseconds: number;
}

/** examples/worker/main.ts's rows (two spirals), rebuilt here for Node. */
function spirals(count: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(count * 2);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const arm = i % 2;
    const t = (i / count) * 3 * Math.PI;
    const r = 0.5 + t / 2;
    xs[i * 2] = r * Math.cos(t + arm * Math.PI);
    xs[i * 2 + 1] = r * Math.sin(t + arm * Math.PI);
    ys[i] = arm;
  }
  return { xs, ys };
}

describe.skipIf(!HAS_CHROMIUM)("examples/worker in headless chromium: train in a Web Worker, trainAsync on the page", () => {
  let dir: string;
  let result: PageResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nnc-worker-"));
    // The module as the current compiler makes it (generated/planar.ts is what the example imports).
    const { outputs } = await compile(readFileSync(join(ROOT, "specs/planar.nn"), "utf8"), "specs/planar.nn");
    writeFileSync(join(dir, "planar.ts"), outputs.get("planar.ts")!);
    const portable = `(${installPortableMath.toString()})();`;
    await build({
      entryPoints: [join(ROOT, "examples/worker/main.ts"), join(ROOT, "examples/worker/worker.ts")],
      bundle: true,
      format: "esm",
      outdir: join(dir, "out"),
      banner: { js: portable },
      logLevel: "error",
      plugins: [{ name: "module", setup: (b) => b.onResolve({ filter: /generated\/planar\.js$/ }, () => ({ path: join(dir, "planar.ts") })) }],
    });
    writeFileSync(join(dir, "index.html"), readFileSync(join(ROOT, "examples/worker/index.html")));

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    try {
      const context = await browser.newContext();
      // Served from memory at http://app.test/ (module workers need an http origin; no server, no network).
      await context.route("**/*", async (route) => {
        const url = new URL(route.request().url());
        const file = join(dir, decodeURIComponent(url.pathname));
        if (url.host !== "app.test" || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
        return route.fulfill({ status: 200, contentType: extname(file) === ".html" ? "text/html" : "text/javascript", body: readFileSync(file) });
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto("http://app.test/index.html");
      await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 }).catch(() => {
        throw new Error(`the page never became ready; page errors: ${errors.join("; ") || "none"}`);
      });
      const nnc = (await page.evaluate(() => (window as unknown as { nnc: unknown }).nnc)) as Omit<PageResult, "pauseMicroseconds">;
      // What one pause costs in this browser: a MessageChannel round trip, as trainAsync's pause makes it.
      const pauseMicroseconds = await page.evaluate(async () => {
        const start = performance.now();
        for (let i = 0; i < 500; i++) {
          await new Promise<void>((done) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              channel.port1.close();
              done();
            };
            channel.port2.postMessage(null);
          });
        }
        return ((performance.now() - start) * 1000) / 500;
      });
      result = { ...nnc, pauseMicroseconds };
    } finally {
      await browser.close();
    }
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the worker's parameters and progress equal train() in Node bit for bit, and were transferred, not copied", async () => {
    const restore = installPortableMath();
    let params: Float64Array;
    let losses: number[];
    try {
      const module: GeneratedModule = await loadModule(readFileSync(join(dir, "planar.ts"), "utf8"));
      // The page's rows are examples/worker/main.ts's spirals (up to the engines' last bits of cos and sin).
      const { xs, ys } = spirals(400);
      for (let i = 0; i < xs.length; i++) expect(Math.abs(result.rows[i]! - xs[i]!)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(xs[i]!)));
      expect(result.labels).toEqual(Array.from(ys));
      params = Float64Array.from(result.initial);
      losses = module
        .train(params, Float64Array.from(result.rows), Float64Array.from(result.labels), 400, { epochs: 2000, evaluateEvery: 200 })
        .history.map((m) => m.loss);
    } finally {
      restore();
    }
    expect(result.progress.length).toBe(10);
    expect(result.progress).toEqual(losses);
    expect(result.worker).toEqual(Array.from(params));
    expect(result.transferred).toBe(true);
  });

  it("trainAsync on the page gives the worker's parameters bit for bit while the page renders frames", () => {
    expect(result.page).toEqual(result.worker);
    expect(result.frames).toBeGreaterThan(1);
    console.log(`test/web/worker: ${result.frames} frames during trainAsync; one pause (MessageChannel) ${result.pauseMicroseconds.toFixed(1)} µs in Chromium`);
  });
});
