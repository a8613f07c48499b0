// The compiler's core bundles for a page (issue 20): text → diagnostics → module → .js with no Node built-in.
// The Node-only edges left in src/ are the lazy loader of ts-morph (src/emit/ts-morph.ts, node:module's
// createRequire, kept so the CLI does not load TypeScript on every command) and the spec-file reader's node:fs;
// the playground swaps them for playground/src/shims/. Any new Node import on the path fails this test. Also: the playground's own build has no error or warning, and its sources type-check.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

describe("the compiler's core in a browser bundle", () => {
  it("src/compile.ts, src/javascript.ts and src/lsp's pure functions bundle for platform=browser with only the ts-morph loader and the spec-file reader swapped", async () => {
    const swapped: string[] = [];
    const onlyTsMorph: Plugin = {
      name: "only-ts-morph",
      setup(b) {
        b.onResolve({ filter: /\/ts-morph\.js$/ }, (args) => {
          swapped.push("src/emit/ts-morph.ts (node:module)");
          return { path: join(ROOT, "playground/src/shims/ts-morph.ts") };
        });
        // src/front/index.ts's spec-file reader (src/read-bounded.ts, node:fs) comes along with parseSpec, which
        // src/lsp/vocabulary.ts imports; a page never reads a file, so the playground gives it a stub.
        b.onResolve({ filter: /^node:fs$/ }, (args) => {
          if (!args.importer.endsWith("src/read-bounded.ts")) return undefined;
          swapped.push(`${args.importer.slice(ROOT.length + 1)} (node:fs)`);
          return { path: join(ROOT, "playground/src/shims/no-fs.ts") };
        });
        // ts-morph itself is the page's business (the playground build gives it its Node built-ins); here only src/ counts.
        b.onResolve({ filter: /^ts-morph$/ }, () => ({ path: "ts-morph", external: true }));
        b.onResolve({ filter: /^prettier$/ }, () => ({ path: "prettier", external: true }));
      },
    };
    const entry = [
      'export { frontEnd, compileSpec } from "./src/compile.js";',
      'export { toJavaScript } from "./src/javascript.js";',
      'export { analyse } from "./src/lsp/analysis.js";',
      'export { toLspDiagnostics } from "./src/lsp/diagnostics.js";',
      'export { codeActions } from "./src/lsp/actions.js";',
      'export { hover } from "./src/lsp/hover.js";',
    ].join("\n");
    const result = await build({
      stdin: { contents: entry, resolveDir: ROOT, loader: "ts" },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      plugins: [onlyTsMorph],
      // vscode-languageserver is the server's (Node) package; the pure functions use only its protocol types.
      alias: { "vscode-languageserver": "vscode-languageserver-types" },
    }).catch((error: { errors: { text: string; location: { file: string } | null }[] }) => ({ errors: error.errors, warnings: [] }));
    expect(result.errors.map((e) => `${e.location?.file}: ${e.text}`)).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect([...new Set(swapped)].sort()).toEqual(["src/emit/ts-morph.ts (node:module)", "src/read-bounded.ts (node:fs)"]);
  }, 60_000);

  it("the playground's own build (scripts/build-playground.mjs) has no error and no warning", async () => {
    const { BUILD_OPTIONS } = (await import(join(ROOT, "scripts/build-playground.mjs"))) as { BUILD_OPTIONS: Parameters<typeof build>[0] };
    const result = await build({ ...BUILD_OPTIONS, outdir: "/site", write: false, logLevel: "silent" });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.outputFiles.map((f) => f.path.replace("/site/", "")).filter((p) => !p.startsWith("chunk-"))).toEqual(
      expect.arrayContaining(["main.js", "compile-worker.js"]),
    );
  }, 60_000);

  it("the playground's sources type-check (tsc -p playground, strict, DOM types)", () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "playground")], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 120_000);
});
