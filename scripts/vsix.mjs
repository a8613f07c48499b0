// Packs the VS Code extension (editors/vscode) into dist/nn-language.vsix, offline (`npm run vsix`; prepack
// runs it, so the npm package ships the .vsix beside the CLI it starts):
//   1. type-checks the extension's source (editors/vscode/tsconfig.json);
//   2. bundles editors/vscode/src/extension.ts with vscode-languageclient into editors/vscode/dist/extension.js
//      (esbuild, CommonJS as VS Code loads it, `vscode` external), so the .vsix needs no node_modules;
//   3. packs with @vscode/vsce's API (no dependencies listed or installed, nothing fetched).
//
//   node scripts/vsix.mjs [--out FILE]      (default dist/nn-language.vsix)
import { build } from "esbuild";
import { createVSIX } from "@vscode/vsce";
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const extension = join(root, "editors/vscode");
const outFlag = process.argv.indexOf("--out");
const out = resolve(outFlag >= 0 ? process.argv[outFlag + 1] : join(root, "dist/nn-language.vsix"));

const tsc = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", join(extension, "tsconfig.json")], { encoding: "utf8" });
if (tsc.status !== 0) {
  process.stderr.write(`vsix: the extension does not type-check:\n${tsc.stdout}${tsc.stderr}`);
  process.exit(1);
}

// Written beside its target and renamed over it: test files pack the extension concurrently (test/editor,
// test/readme, test/package), and vsce must never read a half-written bundle.
const bundle = await build({
  entryPoints: [join(extension, "src/extension.ts")],
  outfile: join(extension, "dist/extension.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  minify: true,
  logLevel: "warning",
  write: false,
});
for (const file of bundle.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}

mkdirSync(dirname(out), { recursive: true });
// dependencies: false — the bundle holds them (vsce would otherwise run npm to list node_modules).
await createVSIX({ cwd: extension, packagePath: out, dependencies: false, allowMissingRepository: true, allowStarActivation: false });
process.stdout.write(`vsix: wrote ${out}\n`);
