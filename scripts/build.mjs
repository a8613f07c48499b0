// Bundles the CLI and library entry points into dist/ with esbuild (dependencies stay external), then
// emits the library's type declarations into dist/types/ with tsc (package.json "types" points there).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";

await build({
  entryPoints: { cli: "src/cli.ts", index: "src/index.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});

// Declarations for src/index.ts and what it reaches. tsc 7 is native and has no JS API, so it runs as a
// process; files on the command line (not tsconfig.json, which is noEmit and covers tests too).
const typesDir = "dist/types";
const entry = `${typesDir}/src/index.d.ts`;
rmSync(typesDir, { recursive: true, force: true });
const tsc = spawnSync(
  "node_modules/.bin/tsc",
  ["--ignoreConfig", "src/index.ts", "--declaration", "--emitDeclarationOnly", "--outDir", typesDir, "--rootDir", ".",
    "--module", "NodeNext", "--moduleResolution", "NodeNext", "--target", "ES2022", "--strict", "--skipLibCheck", "--types", "node"],
  { encoding: "utf8" },
);
// A type error elsewhere is `npm run typecheck`'s business (and tsc still emits); a missing entry is ours.
if (tsc.status !== 0) process.stderr.write(`build: tsc reported problems while emitting declarations:\n${tsc.stdout}${tsc.stderr}`);
if (!existsSync(entry)) {
  process.stderr.write(`build: ${entry} was not written${tsc.error ? ` (${tsc.error.message})` : ""}\n`);
  process.exit(1);
}
