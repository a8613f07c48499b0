// trainParallel in a page (headless Chromium): the page's main thread (where Atomics.wait throws, so the
// caller awaits Atomics.waitAsync) trains over 1 and 2 module Web Workers running serveTrainingWorker, in a
// page served with Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy (docs/module.md). The
// parameters are the same bytes for both worker counts and equal Node's trainParallel bit for bit (a ReLU
// net with mse and momentum: no transcendental function, so no engine's last-bit rounding enters; initial
// parameters and data are Node's, passed in). The same page served without those headers has no
// SharedArrayBuffer, and trainParallel says which headers it needs.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpecUnformatted } from "../../src/compile.js";
import type { Spec } from "../../src/ir.js";
import type { GeneratedModule } from "../../src/module-api.js";
import { dense, makeSpec } from "../codegen/specs.js";
import { data, load, startWorkers, stopWorkers } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
const COUNT = 300;

const spec = (): Spec =>
  makeSpec(
    "page_parallel",
    [dense(3, 16, "relu"), dense(16, 2, "linear")],
    "mse",
    { kind: "momentum", beta: 0.9, nesterov: false },
    {
      batchSize: 64,
      learningRate: 0.05,
      epochs: 3,
    },
  );

const PAGE = String.raw`
import { trainParallel } from "./module.js";
const input = JSON.parse(document.getElementById("input").textContent);
const out = { isolated: self.crossOriginIsolated, runs: [], error: null };
try {
  for (const n of [1, 2]) {
    const workers = Array.from({ length: n }, () => new Worker("./worker.js", { type: "module" }));
    const params = Float64Array.from(input.params);
    await trainParallel(params, Float64Array.from(input.xs), Float64Array.from(input.ys), input.count, workers);
    workers.forEach((w) => w.terminate());
    out.runs.push(Array.from(params));
  }
} catch (error) {
  out.error = String(error && error.message);
}
window.nnc = out;
document.body.dataset.ready = "true";
`;

interface PageOut {
  isolated: boolean;
  runs: number[][];
  error: string | null;
}

describe.skipIf(!HAS_CHROMIUM)("trainParallel in headless chromium (module Web Workers, cross-origin isolated)", () => {
  let dir: string;
  let isolatedPage: PageOut;
  let plainPage: PageOut;
  let node: Float64Array;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nnc-parallel-page-"));
    const { text } = compileSpecUnformatted(spec());
    writeFileSync(join(dir, "module.ts"), text);
    writeFileSync(join(dir, "page.js"), PAGE);
    writeFileSync(join(dir, "worker-entry.js"), 'import { serveTrainingWorker } from "./module.js";\nserveTrainingWorker(self);\n');
    const resolveModule = {
      name: "module",
      setup: (b: { onResolve: (o: { filter: RegExp }, f: () => { path: string }) => void }) =>
        b.onResolve({ filter: /module\.js$/ }, () => ({ path: join(dir, "module.ts") })),
    };
    await build({
      entryPoints: { page: join(dir, "page.js"), worker: join(dir, "worker-entry.js") },
      bundle: true,
      format: "esm",
      outdir: join(dir, "out"),
      logLevel: "error",
      plugins: [resolveModule],
    });

    // Node's run, and the inputs the page gets (so no engine difference enters through initialisation or data).
    const l = await load(spec());
    const m = l.m as GeneratedModule & Required<Pick<GeneratedModule, "trainParallel">>;
    const { xs, ys } = data(spec(), COUNT, false);
    const initial = m.createParameters();
    node = initial.slice() as Float64Array;
    const workers = startWorkers(l.url, 2);
    try {
      await m.trainParallel(node, xs, ys, COUNT, workers);
    } finally {
      await stopWorkers(workers);
    }
    const input = JSON.stringify({ params: Array.from(initial), xs: Array.from(xs), ys: Array.from(ys), count: COUNT });
    writeFileSync(
      join(dir, "out", "index.html"),
      `<!doctype html><script type="application/json" id="input">${input}</script><script type="module" src="./page.js"></script>`,
    );

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    try {
      const run = async (isolated: boolean): Promise<PageOut> => {
        const context = await browser.newContext();
        // Served from memory at http://localhost/ (module workers need an http origin), with or without the isolation headers.
        await context.route("**/*", async (route) => {
          const url = new URL(route.request().url());
          const file = join(dir, "out", decodeURIComponent(url.pathname));
          if (url.host !== "localhost" || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
          const headers: Record<string, string> = isolated
            ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" }
            : {};
          return route.fulfill({ status: 200, headers, contentType: extname(file) === ".html" ? "text/html" : "text/javascript", body: readFileSync(file) });
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(String(error)));
        await page.goto("http://localhost/index.html");
        await page.waitForSelector("body[data-ready=true]", { state: "attached", timeout: 60_000 }).catch(() => {
          throw new Error(`the page never became ready; page errors: ${errors.join("; ") || "none"}`);
        });
        const out = (await page.evaluate(() => (window as unknown as { nnc: unknown }).nnc)) as PageOut;
        await context.close();
        return out;
      };
      isolatedPage = await run(true);
      plainPage = await run(false);
    } finally {
      await browser.close();
    }
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("an isolated page trains on its main thread over 1 and 2 workers: the same bits, and Node's", () => {
    expect(isolatedPage.error).toBeNull();
    expect(isolatedPage.isolated).toBe(true);
    expect(isolatedPage.runs.length).toBe(2);
    expect(isolatedPage.runs[1]).toEqual(isolatedPage.runs[0]);
    expect(isolatedPage.runs[0]).toEqual(Array.from(node));
  });

  it("without the headers the page is not isolated, and trainParallel names them", () => {
    expect(plainPage.isolated).toBe(false);
    expect(plainPage.runs.length).toBe(0);
    expect(plainPage.error).toMatch(/Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/);
  });
});
