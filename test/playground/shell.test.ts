// The playground's shell in a real browser (issue 20): Debian's chromium through playwright-core, as
// test/browser does, on the committed static site (docs/playground/) served by `nnc playground`. It checks
// what a user sees: a mistake's diagnostic at its line and column, its quick fix applied by click, a control
// editing the text (comments kept), the URL restoring the spec and the seed, and the downloaded module being
// byte for byte what `nnc build` and `nnc build --js` write.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import * as edit from "../../playground/src/spec-edit.js";
import { decodeState, encodeState } from "../../playground/src/url-state.js";
import { parseSpec } from "../../src/front/index.js";
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`test/playground: SKIPPED: ${CHROMIUM} is absent (install it with: apt-get install -y chromium; .ci/run does).`);

describe("docs/playground is what the sources give", () => {
  it("scripts/build-playground.mjs --check finds nothing stale", () => {
    const run = spawnSync(process.execPath, [join(ROOT, "scripts/build-playground.mjs"), "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 120_000);
});

describe("the controls' text edits (playground/src/spec-edit.ts)", () => {
  const text =
    "# top\nmodel m   # the name\ndata planar\nlet H = 4\nlayer fc 2->H tanh # hidden\nlayer fc H->1 sigmoid\nloss crossentropy\nsgd lr=1.2 epochs=10 batch=400 # fast\n";
  it("change one value on its line and keep every other byte", () => {
    expect(edit.setOptimiserOption(text, "lr", "0.3")).toBe(text.replace("lr=1.2", "lr=0.3"));
    expect(edit.setOptimiserOption(text, "momentum", "0.9")).toBe(text.replace("batch=400 # fast", "batch=400 momentum=0.9 # fast"));
    expect(edit.setHiddenSize(text, 9)).toBe(text.replace("let H = 4", "let H = 9"));
    expect(edit.setHiddenSize(text.replace("let H = 4\n", "").replaceAll("H", "4"), 6)).toBe(
      text.replace("let H = 4\n", "").replace("2->H", "2->6").replace("H->1", "6->1"),
    );
    expect(edit.setHiddenActivation(text, "relu")).toBe(text.replace("2->H tanh #", "2->H relu #"));
    expect(edit.setOptimiser(text, "adam")).toBe(text.replace("sgd lr", "adam lr"));
    expect(edit.setNormalisation(text, "z-score")).toBe(text.replace("data planar\n", "data planar\nnormalize z-score\n"));
    expect(edit.setNormalisation(edit.setNormalisation(text, "z-score"), "min-max")).toBe(text.replace("data planar\n", "data planar\nnormalize min-max\n"));
  });
  it("read back what the text says", () => {
    expect([edit.optimiserOption(text, "lr"), edit.hiddenSize(text), edit.hiddenActivation(text), edit.optimiser(text), edit.normalisation(text)]).toEqual([
      "1.2",
      4,
      "tanh",
      "sgd",
      "none",
    ]);
  });
  it("each edit gives a spec the front end accepts (the real parser, not the editor's regexes)", () => {
    for (const edited of [
      edit.setOptimiserOption(text, "lr", "0.3"),
      edit.setHiddenSize(text, 9),
      edit.setHiddenActivation(text, "relu"),
      edit.setOptimiser(text, "adam"),
      edit.setNormalisation(text, "z-score"),
    ])
      expect(parseSpec(edited, "m.nn").diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

describe("the URL state (playground/src/url-state.ts)", () => {
  const state = { text: 'model m # ü, emoji 🙂, quotes " and #s=\n', seed: 123456789, panel: { data: "spiral", lesson: "x2" } };
  it("round-trips the text, the seed and the panel exactly", () => {
    expect(decodeState(encodeState(state))).toEqual(state);
    expect(encodeState(state)).toMatch(/^#s=[A-Za-z0-9+\-$]+$/);
  });
  it("a link cut short, not ours, or with a bad field gives null (the page starts fresh), and never a __proto__ key", () => {
    const hash = encodeState(state);
    expect(decodeState(hash.slice(0, hash.length - 9))).toBeNull();
    expect(decodeState("#other")).toBeNull();
    expect(decodeState(`#s=${compressToEncodedURIComponent(JSON.stringify({ text: "x", seed: 1.5, panel: {} }))}`)).toBeNull();
    const hostile = decodeState(`#s=${compressToEncodedURIComponent('{"text":"x","seed":1,"panel":{"__proto__":"a","ok":"b","n":3}}')}`);
    expect(hostile).toEqual({ text: "x", seed: 1, panel: { ok: "b" } });
    expect(Object.getPrototypeOf(hostile!.panel)).toBe(Object.prototype);
  });
});

describe("nnc playground's server", () => {
  it("refuses a bad port in one line, exit 1", () => {
    const run = spawnSync(process.execPath, [join(ROOT, "bin/nnc.js"), "playground", "--port", "http"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("--port: http is not a port number");
  });
});

const SPEC = `# flower.nn — a comment the controls must keep
model flower
data planar
layer fc 2->4 tanh   # hidden
layer fc 4->1 sigmoid
loss crossentropy
init normal std=0.5 seed=7
sgd lr=0.5 epochs=300 batch=400
`;

/** The spec with a typo whose hint is a "did you mean" (a quick fix). */
const MISTAKE = SPEC.replace("loss crossentropy", "loss crossentropi");

describe.skipIf(!HAS_CHROMIUM)("the playground shell in headless chromium", () => {
  let server: ChildProcess;
  let base = "";
  let browser: Browser;
  let page: Page;

  /** The editor's text (CodeMirror's lines joined). */
  const editorText = (tab: Page = page): Promise<string> => tab.evaluate(() => [...document.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
  /** Replaces the editor's text as a user would (select all, type). */
  const typeSpec = async (text: string): Promise<void> => {
    await page.click(".cm-content");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(text);
  };
  const compiledAfter = async (previous: string | undefined): Promise<string> => {
    await page.waitForFunction((p) => document.body.dataset["compiled"] !== undefined && document.body.dataset["compiled"] !== p, previous, {
      timeout: 60_000,
    });
    return (await page.evaluate(() => document.body.dataset["compiled"]))!;
  };

  beforeAll(async () => {
    server = spawn(process.execPath, [join(ROOT, "bin/nnc.js"), "playground", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    base = await new Promise<string>((resolveUrl, reject) => {
      let out = "";
      server.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0];
        if (url !== undefined) resolveUrl(url);
      });
      server.once("exit", (code) => reject(new Error(`nnc playground exited (${code})`)));
    });
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
    const context = await browser.newContext({ acceptDownloads: true });
    // Offline after load: any request that is not to the local server fails the test below.
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  it("loads with no request leaving 127.0.0.1 and compiles the default spec", async () => {
    const outside: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) outside.push(r.url());
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base);
    await compiledAfter(undefined);
    expect(await page.textContent("#module-code")).toContain("export function");
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it("shows a mistake's diagnostic at its line and column, and its quick fix repairs the text", async () => {
    await typeSpec(MISTAKE);
    const marker = page.locator(".cm-lintRange-error").first();
    await marker.waitFor({ timeout: 30_000 });
    // The squiggle covers `crossentropi` at the line and column `nnc parse` reports (line 6, column 6).
    const cli = spawnSync(process.execPath, [join(ROOT, "bin/nnc.js"), "parse", writeTemp("mistake.nn", MISTAKE)], { encoding: "utf8" });
    const where = /mistake\.nn:(\d+):(\d+): error (NN\d+)/.exec(cli.stderr + cli.stdout);
    expect(where?.slice(1, 3)).toEqual(["6", "6"]);
    expect(await marker.textContent()).toBe("crossentropi");
    const at = await marker.evaluate((el) => {
      const lines = [...document.querySelectorAll(".cm-line")];
      const line = lines.find((l) => l.contains(el))!;
      const before = document.createRange();
      before.setStart(line, 0);
      before.setEndBefore(el);
      return [lines.indexOf(line) + 1, before.toString().length + 1];
    });
    expect(at).toEqual([Number(where![1]), Number(where![2])]);
    await marker.hover();
    const tooltip = page.locator(".cm-tooltip-lint");
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toContain(where![3]);
    await tooltip.locator("button.cm-diagnosticAction").first().click();
    await page.waitForFunction(() => document.querySelectorAll(".cm-lintRange-error").length === 0, undefined, { timeout: 30_000 });
    expect(await editorText()).toBe(SPEC);
  }, 120_000);

  it("highlights .nn: statement keywords, comments and numbers each in their own colour", async () => {
    const colours = await page.evaluate(() => {
      const colourOf = (text: string): string | null => {
        const span = [...document.querySelectorAll(".cm-line span")].find((s) => s.textContent === text);
        return span === undefined ? null : getComputedStyle(span).color;
      };
      return {
        keyword: colourOf("layer"),
        comment: colourOf("# hidden"),
        number: colourOf("0.5"),
        plain: getComputedStyle(document.querySelector(".cm-line")!).color,
      };
    });
    expect(colours.keyword).not.toBeNull();
    expect(colours.comment).not.toBeNull();
    expect(colours.number).not.toBeNull();
    expect(new Set([colours.keyword, colours.comment, colours.number, colours.plain]).size).toBe(4);
  });

  it("hover shows a layer's shapes and parameter count (the language server's hover)", async () => {
    const word = page.locator(".cm-line", { hasText: "layer fc 2->4 tanh" }).first();
    const box = (await word.boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + box.height / 2);
    const tip = page.locator(".nn-hover");
    await tip.waitFor({ timeout: 10_000 });
    const text = (await tip.textContent())!;
    expect(text).toMatch(/12 parameters|parameters: 12/);
    await page.mouse.move(0, 0);
  }, 60_000);

  it("the server answers 404 outside the site (no path escapes docs/playground), 400 to a malformed escape, and keeps serving", async () => {
    // Raw request paths (fetch would normalise the dots away before they reach the server).
    const { port } = new URL(base);
    const cases: [string, number][] = [
      ["/../package.json", 404],
      ["/%2e%2e/package.json", 404],
      ["/..%2fpackage.json", 404],
      ["/nope.js", 404],
      ["/%E0%A4%A", 400],
      ["/index.html", 200],
    ];
    for (const [path, expected] of cases) {
      const status = await new Promise<number>((done, fail) =>
        request({ host: "127.0.0.1", port: Number(port), path }, (response) => {
          response.resume();
          done(response.statusCode ?? 0);
        })
          .on("error", fail)
          .end(),
      );
      expect(status, path).toBe(expected);
    }
  });

  it("a control edits the spec text and keeps its comments", async () => {
    const before = await page.evaluate(() => document.body.dataset["compiled"]);
    await page.fill("#control-lr", "0.25");
    await page.press("#control-lr", "Enter");
    await page.locator("#control-hidden").fill("7");
    await page.press("#control-hidden", "Enter");
    await page.waitForFunction(() => document.querySelector(".cm-content")!.textContent!.includes("lr=0.25"), undefined, { timeout: 10_000 });
    const text = await editorText();
    expect(text).toContain("sgd lr=0.25 epochs=300 batch=400");
    expect(text).toContain("layer fc 2->7 tanh   # hidden");
    expect(text).toContain("layer fc 7->1 sigmoid");
    expect(text).toContain("# flower.nn — a comment the controls must keep");
    await compiledAfter(before);
  }, 120_000);

  it("the downloads are byte for byte nnc build's .ts and nnc build --js's .js", async () => {
    const spec = await editorText();
    const dir = mkdtempSync(join(tmpdir(), "nnc-playground-"));
    // The page names its text spec.nn (the header says which file a module came from): the same name here.
    writeFileSync(join(dir, "spec.nn"), spec);
    for (const flags of [[], ["--js"]]) {
      const built = spawnSync(process.execPath, [join(ROOT, "bin/nnc.js"), "build", ...flags, "spec.nn", "--out", "."], { encoding: "utf8", cwd: dir });
      expect(built.stderr).toBe("");
    }
    for (const [button, file] of [
      ["#download-ts", "flower.ts"],
      ["#download-js", "flower.js"],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
      expect(download.suggestedFilename()).toBe(file);
      const saved = join(dir, `page-${file}`);
      await download.saveAs(saved);
      expect(readFileSync(saved, "utf8"), file).toBe(readFileSync(join(dir, file), "utf8"));
      expect(readFileSync(saved).equals(readFileSync(join(dir, file))), file).toBe(true);
    }
  }, 120_000);

  it("keeps working offline once loaded: an edit still compiles with the network cut", async () => {
    const before = await page.evaluate(() => document.body.dataset["compiled"]);
    await page.context().setOffline(true);
    try {
      await page.fill("#control-epochs", "50");
      await page.press("#control-epochs", "Enter");
      await compiledAfter(before);
      expect(await page.textContent("#module-code")).toContain("export function");
      expect(await editorText()).toContain("epochs=50");
    } finally {
      await page.context().setOffline(false);
    }
  }, 120_000);

  it("reopening the URL restores the same spec and seed", async () => {
    const text = await editorText();
    const state = decodeHash(new URL(page.url()).hash);
    expect(state.text.replace(/\n$/, "")).toBe(text.replace(/\n$/, ""));
    // A link with another seed: the page keeps it (and writes it back into its URL unchanged).
    const link = `${base}#s=${compressToEncodedURIComponent(JSON.stringify({ v: 1, text: state.text, seed: 4242, panel: state.panel }))}`;
    const fresh = await browser.newPage();
    await fresh.goto(link);
    await fresh.waitForFunction(() => document.body.dataset["compiled"] !== undefined, undefined, { timeout: 60_000 });
    expect(await editorText(fresh)).toBe(text);
    const reopened = decodeHash(new URL(fresh.url()).hash);
    expect(reopened.seed).toBe(4242);
    expect(reopened.text).toBe(state.text);
    await fresh.close();
  }, 120_000);
});

function writeTemp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "nnc-playground-"));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** The page's URL state (playground/src/url-state.ts's format), decoded independently of the page's code. */
function decodeHash(hash: string): { text: string; seed: number; panel: Record<string, string> } {
  expect(hash.startsWith("#s=")).toBe(true);
  return JSON.parse(decompressFromEncodedURIComponent(hash.slice(3))) as { text: string; seed: number; panel: Record<string, string> };
}
