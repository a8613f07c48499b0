// The training panel's test page (playground/src/training/test-page.html) bundled with esbuild and served over
// http (workers from Blob URLs need a real origin), plus the compile the fake host asks for: the real front
// and back end in Node, as the shell runs them in the page.
import type { Server } from "node:http";
import { mkdtempSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build, transform, type Plugin } from "esbuild";
import { parseSpec } from "../../src/front/index.js";
import { compileSpecUnformatted } from "../../src/compile.js";
import { staticServer } from "../../src/commands/playground.js";
import type { CompiledSpec } from "../../playground/src/contract.js";

export const ROOT = resolve(import.meta.dirname, "../..");

export async function compileText(text: string): Promise<CompiledSpec | null> {
  const { spec } = parseSpec(text, "playground.nn");
  if (!spec) return null;
  const { text: moduleTs } = compileSpecUnformatted(spec);
  const { code } = await transform(moduleTs, { loader: "ts", format: "esm", target: "es2022" });
  return { specText: text, model: spec.name, moduleTs, moduleJs: code, spec: JSON.parse(JSON.stringify(spec)) };
}

/**
 * The panel's imports reach two Node-only modules it never calls: node:module (src/emit/ts-morph.ts, the emitter,
 * through the layer registry) and node:crypto (the weights' network hash, through the doctor's interpreter). The
 * shell's build swaps in real page versions (playground/src/shims); the panel's own test page needs only
 * stand-ins that throw if ever called.
 */
const pageStubs: Plugin = {
  name: "page-stubs",
  setup(b) {
    b.onResolve({ filter: /^node:(crypto|module)$/ }, (a) => ({ path: a.path, namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, (a) => ({
      contents:
        a.path === "node:crypto"
          ? "export function createHash() { throw new Error('node:crypto is not in the page'); }"
          : "export function createRequire() { return () => { throw new Error('ts-morph is not in the training panel'); }; }",
      loader: "js",
    }));
  },
};

export async function servePanel(): Promise<{ url: string; server: Server; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "nnc-playground-"));
  const src = join(ROOT, "playground/src/training");
  await build({
    entryPoints: [join(src, "test-entry.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outfile: join(dir, "test-entry.js"),
    loader: { ".nn": "text" },
    logLevel: "silent",
    plugins: [pageStubs],
  });
  copyFileSync(join(src, "test-page.html"), join(dir, "index.html"));
  const server = staticServer(dir);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  writeFileSync(join(dir, ".port"), String(port));
  return { url: `http://127.0.0.1:${port}/`, server, dir };
}
