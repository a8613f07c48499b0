// Builds the playground (issue 20) into docs/playground/: a static site of plain files (no CDN, no server
// logic), so it works offline and can be hosted anywhere; `nnc playground` serves the same folder.
//
//   node scripts/build-playground.mjs [--out DIR] [--check]
//
// Deterministic: esbuild with fixed options and no source maps or timestamps, so the committed folder is what
// the sources give (--check compares and exits 1 naming the first stale file; test/playground runs it).
//
// The page bundles the compiler's pure core (src/compile.ts, src/javascript.ts, src/lsp's pure functions); three
// Node-only edges are swapped for page versions in playground/src/shims/: ts-morph's lazy createRequire,
// prettier (prettier/standalone + plugins, same options) and node:fs (only the CLI's spec-file reader uses it).
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outFlag = process.argv.indexOf("--out");
const outDir = resolve(outFlag >= 0 ? process.argv[outFlag + 1] : join(root, "docs", "playground"));
const check = process.argv.includes("--check");
const shims = join(root, "playground", "src", "shims");

/** What ts-morph's code asks of os when it loads (line endings, the platform's path rules). */
const OS = 'module.exports = { platform: () => "linux", EOL: "\\n", homedir: () => "/", tmpdir: () => "/tmp", cpus: () => [] };';

/** Swaps the Node-only edges for the page's shims. */
const pageShims = {
  name: "page-shims",
  setup(b) {
    b.onResolve({ filter: /\/ts-morph\.js$/ }, (args) => (args.importer.startsWith(join(root, "src")) ? { path: join(shims, "ts-morph.ts") } : undefined));
    b.onResolve({ filter: /^prettier$/ }, () => ({ path: join(shims, "prettier.ts") }));
    b.onResolve({ filter: /^node:fs$/ }, (args) => (args.importer.endsWith(join("src", "read-bounded.ts")) ? { path: join(shims, "no-fs.ts") } : undefined));
    // ts-morph's in-memory file system never touches the real one: its Node built-ins are empty objects in the
    // page, except path (path-browserify, which @ts-morph/common itself depends on).
    b.onResolve({ filter: /^(node:)?path$/ }, (args) =>
      b.resolve("path-browserify", { kind: args.kind, resolveDir: join(root, "node_modules", "@ts-morph", "common") }),
    );
    b.onResolve({ filter: /^(node:)?(fs|fs\/promises|os|inspector|url|module|crypto|perf_hooks|util)$/ }, (args) => ({ path: args.path, namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, (args) => ({ contents: /os$/.test(args.path) ? OS : "module.exports = {};", loader: "js" }));
    b.onResolve({ filter: /^vscode-languageserver$/ }, (args) => b.resolve("vscode-languageserver-types", { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

export const BUILD_OPTIONS = {
  absWorkingDir: root,
  entryPoints: { main: "playground/src/main.ts", "compile-worker": "playground/src/compile-worker.ts" },
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  minify: true,
  // One shared chunk for what the page and the compile worker both load (the compiler, ts-morph): fetched once.
  splitting: true,
  chunkNames: "chunk-[hash]",
  legalComments: "linked",
  loader: { ".nn": "text" },
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [pageShims],
  logLevel: "silent",
  write: false,
};

/** Every file of the site: path relative to the site → bytes. */
export async function playgroundFiles() {
  const result = await build({ ...BUILD_OPTIONS, outdir: "/site" });
  const files = new Map();
  for (const file of result.outputFiles) files.set(relative("/site", file.path), Buffer.from(file.contents));
  for (const name of ["index.html", "styles.css"]) files.set(name, readFileSync(join(root, "playground", name)));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function listed(dir, prefix = "") {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listed(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let files;
  try {
    files = await playgroundFiles();
  } catch (error) {
    for (const e of error.errors ?? []) console.error(`${e.location?.file ?? "?"}:${e.location?.line ?? 0}:${e.location?.column ?? 0}: ${e.text}`);
    if (!error.errors) console.error(String(error));
    process.exit(1);
  }
  if (check) {
    const present = listed(outDir);
    for (const [name, bytes] of files) {
      const path = join(outDir, name);
      if (!existsSync(path) || !readFileSync(path).equals(bytes)) {
        console.error(`${relative(root, path)}: stale (run npm run playground:build)`);
        process.exit(1);
      }
    }
    const extra = present.find((name) => !files.has(name));
    if (extra !== undefined) {
      console.error(`${relative(root, join(outDir, extra))}: not made by the sources (run npm run playground:build)`);
      process.exit(1);
    }
    console.log(`${relative(root, outDir) || "."}: up to date (${files.size} files)`);
  } else {
    rmSync(outDir, { recursive: true, force: true });
    for (const [name, bytes] of files) {
      mkdirSync(dirname(join(outDir, name)), { recursive: true });
      writeFileSync(join(outDir, name), bytes);
    }
    const total = [...files.values()].reduce((n, b) => n + b.length, 0);
    console.log(`${relative(root, outDir)}: ${files.size} files, ${(total / 1e6).toFixed(2)} MB`);
  }
}
