// docs/syntax.html works offline: Chevrotain's diagram scripts and CSS are inlined, a Content-Security-Policy
// keeps the browser from fetching the unpkg.com copies that createSyntaxDiagramsCode still names, and in a
// real headless chromium (Debian's, driven by playwright-core) the page draws one diagram per grammar rule
// without a single network request (the
// five unpkg.com tags are reported by chromium as requests failed with "csp", i.e. blocked before any I/O).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { nnParser } from "../../grammar/parser.js";

const root = join(import.meta.dirname, "../..");
const page = join(root, "docs/syntax.html");
const html = readFileSync(page, "utf8");
const rules = nnParser().getSerializedGastProductions().length;
const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

describe("docs/syntax.html offline", () => {
  it("inlines chevrotain's diagram scripts and CSS byte for byte", () => {
    for (const asset of ["diagrams.css", "vendor/railroad-diagrams.js", "src/diagrams_builder.js", "src/diagrams_behavior.js", "src/main.js"]) {
      const text = readFileSync(join(root, "node_modules/chevrotain/diagrams", asset), "utf8").replaceAll("</script", "<\\/script");
      expect(html.includes(text), asset).toBe(true);
    }
  });

  it("blocks external resources with a CSP that comes before any of them", () => {
    const csp = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(csp).toBeGreaterThan(0);
    expect(html.slice(csp, csp + 200)).toContain("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
    const firstExternal = html.search(/<(script|link)[^>]+(src|href)=['"]https?:/);
    expect(csp).toBeLessThan(firstExternal === -1 ? Infinity : firstExternal);
  });

  it("is linked from docs/language.md", () => {
    expect(readFileSync(join(root, "docs/language.md"), "utf8")).toMatch(/\]\(syntax\.html\)/);
  });

  it.runIf(chromium)(`draws one diagram per grammar rule (${rules}) in headless chromium, every external request blocked by the CSP`, async () => {
    const { chromium: browserType } = await import("playwright-core");
    const browser = await browserType.launch({ executablePath: chromium!, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const tab = await browser.newPage();
      // Chromium reports the unpkg.com tags as requests that fail with "csp": blocked before any network I/O.
      const requests: string[] = [];
      const blocked: string[] = [];
      tab.on("request", (r) => {
        if (!r.url().startsWith("file:")) requests.push(r.url());
      });
      tab.on("requestfailed", (r) => {
        if (r.failure()?.errorText === "csp") blocked.push(r.url());
      });
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
      const drawn = await tab.evaluate(() => ({
        svgs: document.querySelectorAll("#diagrams svg").length,
        titles: [...document.querySelectorAll("#diagrams h2")].map((h) => h.textContent),
      }));
      expect(errors).toEqual([]);
      expect(requests.length).toBe(5);
      expect(blocked).toEqual(requests);
      expect(drawn.svgs).toBe(rules);
      expect(drawn.titles).toContain("layerStatement");
    } finally {
      await browser.close();
    }
  });
});
