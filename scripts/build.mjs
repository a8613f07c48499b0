// Bundles the CLI and library entry points into dist/ with esbuild (dependencies stay external), then
// emits the library's type declarations into dist/types/ with tsc (package.json "types" points there).
//
//   node scripts/build.mjs [--out DIR]     (default dist; test/package builds a private copy with --out)
//
// Several test files rebuild dist/ while others run the CLI from it, so every output appears atomically:
// each bundle file is written beside its target and renamed over it, and the declarations are emitted
// into a fresh folder that replaces dist/types/ by rename.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const outFlag = process.argv.indexOf("--out");
const outDir = resolve(outFlag >= 0 ? process.argv[outFlag + 1] : join(root, "dist"));
const unique = `${process.pid}.${Date.now()}`;

function writeAtomic(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${unique}.tmp`);
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

const bundle = await build({
  absWorkingDir: root,
  // The bundler plugins are entry points of their own (package.json "exports": nnc/esbuild, nnc/vite), so
  // importing one loads the compiler's chunks but not the CLI.
  entryPoints: { cli: "src/cli.ts", index: "src/index.ts", esbuild: "src/plugins/esbuild.ts", vite: "src/plugins/vite.ts" },
  outdir: outDir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Dependencies stay external, except Chevrotain: every spec-reading command loads it, and as a package
  // it is ~300 separate lodash-es modules whose resolution and loading took ~0.3 s of `nnc parse`
  // (bundled: one chunk, ~30 ms). It stays in package.json's dependencies for the library's types.
  external: Object.keys(packageJson.dependencies).filter((name) => name !== "chevrotain"),
  // Split chunks so each CLI command's code (and the heavy packages it imports) loads only when that command runs.
  splitting: true,
  sourcemap: true,
  logLevel: "warning",
  write: false,
});
for (const file of bundle.outputFiles) writeAtomic(file.path, file.contents);
// Scripts left in the output folder by an older or different build would be packed and shipped: remove them.
const written = new Set(bundle.outputFiles.map((file) => file.path));
for (const name of readdirSync(outDir)) {
  const path = join(outDir, name);
  if (/\.js(\.map)?$/.test(name) && !written.has(path)) rmSync(path, { force: true });
}

// Declarations for src/index.ts, the two plugins and what they reach. tsc 7 is native and has no JS API, so it runs as a
// process; files on the command line (not tsconfig.json, which is noEmit and covers tests too), with
// tsconfig.json's compiler options, so the two checks agree.
const typesDir = join(outDir, "types");
const fresh = join(outDir, `.types.${unique}`);
const tsc = spawnSync(
  join(root, "node_modules/.bin/tsc"),
  [
    "--ignoreConfig",
    "src/index.ts",
    "src/plugins/esbuild.ts",
    "src/plugins/vite.ts",
    "--declaration",
    "--emitDeclarationOnly",
    "--outDir",
    fresh,
    "--rootDir",
    ".",
    "--module",
    "NodeNext",
    "--moduleResolution",
    "NodeNext",
    "--target",
    "ES2022",
    "--strict",
    "--skipLibCheck",
    "--esModuleInterop",
    "--resolveJsonModule",
    "--types",
    "node",
  ],
  { cwd: root, encoding: "utf8" },
);
// A type error in what src/index.ts reaches fails the build (exit 1, after the outputs are in place: tsc
// still emits). The failure is the same for every concurrent build of the same sources, so test files that
// rebuild dist/ in parallel all see it and none sees a half-written folder. `npm run typecheck` covers the rest.
if (tsc.status !== 0) {
  process.stderr.write(`build: tsc reported problems while emitting declarations:\n${tsc.stdout}${tsc.stderr}`);
  process.exitCode = 1;
}
if (!existsSync(join(fresh, "src/index.d.ts"))) {
  rmSync(fresh, { recursive: true, force: true });
  process.stderr.write(`build: ${join(typesDir, "src/index.d.ts")} was not written${tsc.error ? ` (${tsc.error.message})` : ""}\n`);
  process.exit(1);
}
// Another build may swap its own folder in between our two renames: then move that one aside too and retry.
for (let attempt = 0; ; attempt++) {
  const old = join(outDir, `.types-old.${unique}.${attempt}`);
  try {
    if (existsSync(typesDir)) renameSync(typesDir, old);
    renameSync(fresh, typesDir);
    rmSync(old, { recursive: true, force: true });
    break;
  } catch (error) {
    rmSync(old, { recursive: true, force: true });
    if (attempt >= 5 || !["ENOTEMPTY", "EEXIST", "ENOENT"].includes(error.code)) throw error;
  }
}
