// docs/syntax.html for people (issue 19): statement diagrams in the words you type, generated at build time
// as inline SVG (no script, nothing loaded), and the lists of layer kinds, activations and options taken from
// the validator's tables. Checked as text, and in Debian's headless chromium (playwright-core; skipped
// without /usr/bin/chromium: apt-get install -y chromium): standards mode, no console error, no request
// beyond the file, every diagram drawn, every list complete.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { nnParser } from "../../grammar/parser.js";
import { activationWords, dataOnlyOptions, kindOptions, optimizerOptions, splitOptions, trainingOptions } from "../../src/front/schema.js";
import { layerWords } from "../../src/layers/index.js";
import { parseSyntax } from "../../src/front/syntax.js";
import { examples } from "../../scripts/syntax-page.js";

const root = join(import.meta.dirname, "../..");
const page = join(root, "docs/syntax.html");
const html = readFileSync(page, "utf8");
const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
/** The statement rules a person writes (the parser's others are internal). */
const statementRules = nnParser()
  .getSerializedGastProductions()
  .map((r) => (r as unknown as { name: string }).name)
  .filter((name) => name.endsWith("Statement") && name !== "unknownStatement");
/** Every option name of every table the validator checks against. */
const optionNames = new Set([
  ...Object.keys(trainingOptions),
  ...Object.values(optimizerOptions).flatMap(Object.keys),
  ...Object.values(kindOptions).flatMap((kinds) => Object.values(kinds).flatMap(Object.keys)),
  ...Object.keys(dataOnlyOptions),
  ...Object.keys(splitOptions),
]);

describe("docs/syntax.html as text", () => {
  it("is one standards-mode document with no script and no external resource", () => {
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    expect(html.match(/<!doctype/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("shows typed words, not the parser's token classes or internal rules", () => {
    for (const internal of [
      "NumberLiteral",
      "Identifier",
      "StringLiteral",
      "Arrow",
      "unknownStatement",
      "looseToken",
      "settingValue",
      "layerStatement",
      '="undefined"',
    ])
      expect(html, internal).not.toContain(internal);
    const layer = /<section class="statement" id="statement-layer">([\s\S]*?)<\/section>/.exec(html)![1]!;
    // (The library escapes `_` and `<` in SVG text, not `>`.)
    for (const word of ["layer", "->", ...Object.keys(layerWords())]) expect(layer, word).toContain(`>${word}</text>`);
  });

  it("links only to anchors it has", () => {
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(20);
    expect(targets.filter((t) => !ids.has(t))).toEqual([]);
  });

  it("has examples that parse, each under the statement it shows", () => {
    for (const [heading, lines] of Object.entries(examples)) {
      const keywords = heading.split(", ");
      for (const line of lines) {
        expect(keywords, line).toContain(line.split(" ")[0]);
        expect(parseSyntax(line, "example.nn").diagnostics, line).toEqual([]);
      }
    }
  });

  it("is linked from docs/language.md", () => {
    expect(readFileSync(join(root, "docs/language.md"), "utf8")).toMatch(/\]\(syntax\.html\)/);
  });
});

describe.runIf(chromium)("docs/syntax.html in headless chromium", () => {
  it(`draws a diagram per statement (${statementRules.length}) and lists every layer kind, activation and option`, async () => {
    const { chromium: browserType } = await import("playwright-core");
    const browser = await browserType.launch({ executablePath: chromium!, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const tab = await browser.newPage();
      const requests: string[] = [];
      const problems: string[] = [];
      tab.on("request", (r) => {
        if (r.url() !== pathToFileURL(page).href) requests.push(r.url());
      });
      tab.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      tab.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
      const seen = await tab.evaluate(() => {
        const texts = (selector: string) => [...document.querySelectorAll(selector)].map((e) => e.textContent ?? "");
        return {
          mode: document.compatMode,
          diagrams: [...document.querySelectorAll("section.statement svg")].map((svg) => svg.getBoundingClientRect().width),
          parts: document.querySelectorAll("section.part svg").length,
          headings: texts("section.statement h3"),
          kinds: texts(".kinds tbody td:first-child"),
          activations: texts(".activations tbody td:first-child code"),
          options: texts("table.options tbody td:first-child"),
        };
      });
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      expect(seen.mode).toBe("CSS1Compat");
      expect(seen.diagrams).toHaveLength(statementRules.length);
      for (const width of seen.diagrams) expect(width).toBeGreaterThan(50);
      expect(seen.parts).toBe(2);
      expect(seen.headings).toContain("layer");
      expect(seen.headings).toContain("sgd, momentum, rmsprop, adam");
      expect(seen.kinds).toEqual(Object.keys(layerWords()));
      expect(new Set(seen.activations)).toEqual(new Set([...activationWords, "leaky_relu(0.1)"]));
      expect([...optionNames].filter((o) => !seen.options.includes(o))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
