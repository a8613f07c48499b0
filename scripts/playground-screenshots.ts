// Remakes docs/img/playground-<lesson>.png: the training panel's test page (playground/src/training/test-page.html,
// the fake host, the real compiler in Node), each lesson clicked, trained to the end, and the panel photographed.
// Usage: npx tsx scripts/playground-screenshots.ts [lesson-id …]   (Chromium at /usr/bin/chromium)
import { join } from "node:path";
import { chromium } from "playwright-core";
import { compileText, ROOT, servePanel } from "../test/playground/training-serve.js";

const wanted = process.argv.slice(2);
const { url, server } = await servePanel();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
await page.exposeFunction("nncCompile", (text: string) => compileText(text));
await page.goto(url);
await page.waitForFunction(() => typeof (window as unknown as { nncLoad?: unknown }).nncLoad === "function");
// The lessons as the page lists them (lessons.ts imports .nn files as text, which only the bundle can).
const ids = await page.$$eval("button[data-lesson]", (bs) => bs.map((b) => (b as HTMLElement).dataset["lesson"]!));
for (const lesson of ids.filter((id) => wanted.length === 0 || wanted.includes(id)).map((id) => ({ id }))) {
  const before = await page.$eval("#panel", (p) => (p as HTMLElement).dataset["ready"] ?? "");
  await page.click(`button[data-lesson=${lesson.id}]`);
  await page.waitForFunction((b) => (document.querySelector("#panel") as HTMLElement).dataset["ready"] !== b, before);
  await page.click("button[data-action=run]");
  await page.waitForFunction(() => (document.querySelector("#panel") as HTMLElement).dataset["done"] === "true", undefined, { timeout: 300_000 });
  await page.waitForTimeout(300);
  const file = join(ROOT, `docs/img/playground-${lesson.id}.png`);
  await page.locator("#panel").screenshot({ path: file });
  console.log(`wrote ${file}`);
}
await browser.close();
server.close();
