// The training panel (issue 20) in headless Debian chromium (playwright-core, as test/browser does): the
// planar spec trains in the page's worker to ≥ 90 % and to the very weights Node's train() gives the same
// module (chunked, paused and stepped training is the same run); the boundary canvas is drawn and changes;
// the curves advance; pause, step and resume do what they say; a lesson loads its spec and the doctor's
// words appear; `nnc check` shows its table.
import { existsSync } from "node:fs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModule } from "../../src/harness/load.js";
import { compileText, ROOT, servePanel } from "./training-serve.js";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`test/playground: SKIPPED: ${CHROMIUM} is absent (apt-get install -y chromium).`);

const planarText = readFileSync(join(ROOT, "specs/planar.nn"), "utf8");

async function openPanel(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
  await page.exposeFunction("nncCompile", (text: string) => compileText(text));
  await page.goto(url);
  await page.waitForFunction(() => typeof (window as unknown as { nncLoad?: unknown }).nncLoad === "function");
  return page;
}

const data = (page: Page, key: string): Promise<string | undefined> => page.$eval("#panel", (el, k) => (el as HTMLElement).dataset[k], key);
const epoch = async (page: Page): Promise<number> => Number((await data(page, "epoch")) ?? 0);

/** The canvas's pixels (RGBA) and how many are neither white nor transparent. */
async function pixels(page: Page, role: string): Promise<{ hex: string; inked: number }> {
  return page.$eval(`canvas[data-role=${role}]`, (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! > 0 && !(d[i]! > 250 && d[i + 1]! > 250 && d[i + 2]! > 250)) inked++;
      hash = (Math.imul(hash, 31) + d[i]! * 65536 + d[i + 1]! * 256 + d[i + 2]!) | 0;
    }
    return { hex: String(hash), inked };
  });
}

async function load(page: Page, text: string): Promise<void> {
  const before = await data(page, "ready");
  await page.evaluate((t) => (window as unknown as { nncLoad(t: string): Promise<void> }).nncLoad(t), text);
  await page.waitForFunction((b) => document.querySelector<HTMLElement>("#panel")!.dataset["ready"] !== b, before);
}

describe.skipIf(!HAS_CHROMIUM)("the training panel in headless chromium", () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await servePanel());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it("trains planar in the worker to ≥ 90 %, the same weights as Node's train(), with live boundary and curves, pause, step and resume", async () => {
    const page = await openPanel(browser, url);
    await load(page, planarText);
    await page.click("button[data-action=step]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.dataset["epoch"] === "1");
    await page.waitForTimeout(100);
    const first = await pixels(page, "boundary");
    const lossFirst = await pixels(page, "loss");
    expect(first.inked).toBeGreaterThan(1000);

    // Run, then pause: the epoch count stops moving.
    await page.click("button[data-action=run]");
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>("#panel")!.dataset["epoch"] ?? 0) > 1000);
    await page.click("button[data-action=run]");
    await page.waitForTimeout(200);
    const paused = await epoch(page);
    await page.waitForTimeout(400);
    expect(await epoch(page)).toBe(paused);
    expect(paused).toBeLessThan(10_000);
    const later = await pixels(page, "boundary");
    expect(later.hex).not.toBe(first.hex);
    expect((await pixels(page, "loss")).hex).not.toBe(lossFirst.hex);

    // Step: exactly one more epoch.
    await page.click("button[data-action=step]");
    await page.waitForFunction((p) => Number(document.querySelector<HTMLElement>("#panel")!.dataset["epoch"]) === p + 1, paused);

    // Resume to the end.
    await page.click("button[data-action=run]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.dataset["done"] === "true", undefined, { timeout: 60_000 });
    expect(await epoch(page)).toBe(10_000);
    const accuracy = Number(await data(page, "accuracy"));
    expect(accuracy).toBeGreaterThanOrEqual(0.9);

    // The oracle for the chunked, paused, stepped run: one train() call in Node on the same module and rows.
    const compiled = (await compileText(planarText))!;
    const module = await loadModule(compiled.moduleTs);
    const { pageData } = await import("../../playground/src/training/data.js");
    const rows = pageData(compiled.spec as never);
    const params = module.createParameters(1);
    const report = module.train(params, rows.train.features, rows.train.targets, rows.train.count, {});
    const weights = JSON.parse((await page.evaluate(() => (window as unknown as { nncHost: { weights: string } }).nncHost.weights)) as string) as {
      values: number[];
    };
    expect(weights.values.length).toBe(params.length);
    // Not bit for bit: chromium's Math.tanh/exp differ from Node's in the last bit on some arguments
    // (test/browser/portable-math.ts), and 10 000 epochs amplify that to ~1e-7; a different run would differ by O(1).
    weights.values.forEach((v, i) => expect(Math.abs(v - params[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(params[i]!))));
    expect(Math.abs(report.history.at(-1)!.accuracy! - accuracy)).toBeLessThanOrEqual(1 / 400);
    // The per-unit pictures: one canvas per hidden unit (H = 4), drawn.
    expect(await page.$$eval("[data-role=units] canvas", (cs) => cs.length)).toBe(4);
    await page.close();
  }, 120_000);

  it("a lesson loads its spec and the doctor's words appear; the converging lesson gets none", async () => {
    const page = await openPanel(browser, url);
    await load(page, planarText);
    await page.click("button[data-lesson=gender-linear]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.textContent!.includes("gender-linear"));
    const texts = await page.evaluate(() => (window as unknown as { nncHost: { texts: string[] } }).nncHost.texts);
    expect(texts.at(-1)).toBe(readFileSync(join(ROOT, "specs/gender-linear.nn"), "utf8"));
    await page.click("button[data-action=run]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.dataset["done"] === "true", undefined, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector("[data-role=doctor]")!.childElementCount > 0);
    expect(await page.$eval("[data-role=doctor]", (d) => d.textContent)).not.toMatch(/^doctor:|nothing wrong/);
    const words = await page.$eval("[data-role=doctor]", (d) => d.textContent ?? "");
    expect(words).toMatch(/Fix:/);

    await page.click("button[data-lesson=gender-zero-mean]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.textContent!.includes("gender-zero-mean"));
    await page.click("button[data-action=run]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.dataset["done"] === "true", undefined, { timeout: 60_000 });
    await page.waitForSelector("[data-role=doctor] .healthy");
    expect(await page.$$("[data-role=doctor] .finding")).toHaveLength(0);
    await page.close();
  }, 120_000);

  it("nnc check runs on the compiled module and shows its table; reset starts over with a new seed", async () => {
    const page = await openPanel(browser, url);
    await load(page, planarText);
    await page.click("button[data-action=check]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.dataset["checked"] === "true");
    const table = await page.$eval("[data-role=check]", (p) => p.textContent ?? "");
    expect(table).toContain("planar");
    expect(table).not.toMatch(/^nnc check:/);

    // Reset: a new seed through the host, and a fresh run (no epochs yet).
    await page.click("button[data-action=step]");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#panel")!.dataset["epoch"] === "1");
    const before = await data(page, "ready");
    await page.click("button[data-action=reset]");
    await page.waitForFunction((b) => document.querySelector<HTMLElement>("#panel")!.dataset["ready"] !== b, before);
    expect(await page.evaluate(() => (window as unknown as { nncHost: { seed: number } }).nncHost.seed)).toBe(2);
    expect(await data(page, "epoch")).toBeUndefined();
    await page.close();
  }, 60_000);

  it("the data-set menu edits the spec's data line", async () => {
    const page = await openPanel(browser, url);
    await load(page, planarText);
    await page.selectOption("select[data-role=dataset]", "square");
    const texts = await page.evaluate(() => (window as unknown as { nncHost: { texts: string[] } }).nncHost.texts);
    expect(texts.at(-1)).toMatch(/^data square$/m);
    expect(texts.at(-1)).not.toMatch(/^data planar$/m);
    await page.close();
  }, 60_000);
});

describe("the panel's text edits (no browser)", () => {
  it("a dropped CSV becomes row lines that the front end reads back as the same numbers", async () => {
    const { csvToRows } = await import("../../playground/src/training/csv-drop.js");
    const { parseSpec } = await import("../../src/front/index.js");
    const { pageData } = await import("../../playground/src/training/data.js");
    const text = csvToRows(planarText, "x,y,label\n0.5,-1.25,1\n2,3e-1,0\n-4,7,1\n", "mine.csv");
    expect(text).not.toMatch(/^data /m);
    const { spec, diagnostics } = parseSpec(text, "p.nn");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const rows = pageData(spec!);
    expect(Array.from(rows.rawFeatures)).toEqual([0.5, -1.25, 2, 0.3, -4, 7]);
    expect(Array.from(rows.train.targets)).toEqual([1, 0, 1]);
    expect(() => csvToRows(planarText, "1,2,0\n1,x,1\n", "bad.csv")).toThrow(/^bad.csv: line 2: 'x' is not a number$/);
  });

  it("the data menu's edit keeps every other line and swaps rows for a data line and back", async () => {
    const { withDataSet, dataSetOf } = await import("../../playground/src/training/datasets.js");
    const spiral = withDataSet(planarText, "spiral");
    expect(spiral.replace(/^data spiral$/m, "data planar")).toBe(planarText);
    const gender = withDataSet(spiral, "gender");
    expect(dataSetOf(gender)).toBe("gender");
    expect(gender).not.toMatch(/^data /m);
    expect(withDataSet(gender, "circles")).toMatch(/^data circles$/m);
    expect(withDataSet(gender, "circles")).not.toMatch(/^row /m);
  });
});
