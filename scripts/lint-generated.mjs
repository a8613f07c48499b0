// Lints generated modules with typescript-eslint's recommended rules (test/codegen/lint.test.ts runs it):
//
//   node scripts/lint-generated.mjs FILE.ts…     prints one JSON array: per file, the messages (rule, line, column, text)
//
// typescript-eslint parses with TypeScript's JS API, which it supports up to TypeScript 6.0; this repo's
// `typescript` is 7 (the native compiler, no JS API). TypeScript 6 is installed under the alias
// `typescript-6` (package.json), and in this process every require("typescript") resolves to it: only
// typescript-eslint asks for it here. package.json's overrides let typescript-eslint's peer dependency be
// satisfied by the root's typescript, so `npm ci` needs no --legacy-peer-deps.
import Module, { createRequire } from "node:module";
import { resolve } from "node:path";

const require = createRequire(import.meta.url);
const typescript6 = require.resolve("typescript-6");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === "typescript" ? typescript6 : request, ...rest);
};

const { ESLint } = require("eslint");
const tseslint = require("typescript-eslint");

const files = process.argv.slice(2).map((file) => resolve(file));
if (files.length === 0) {
  process.stderr.write("usage: node scripts/lint-generated.mjs FILE.ts…\n");
  process.exit(1);
}
const eslint = new ESLint({
  // Only these rules: no eslint.config.* is looked up, so a project's own config cannot change the verdict.
  overrideConfigFile: true,
  overrideConfig: [...tseslint.configs.recommended, { files: ["**/*.ts"] }],
  cwd: resolve(files[0], ".."),
});
const results = await eslint.lintFiles(files);
const report = results.map((result) => ({
  file: result.filePath,
  messages: result.messages.map((m) => ({ rule: m.ruleId, line: m.line, column: m.column, text: m.message })),
}));
process.stdout.write(`${JSON.stringify(report)}\n`);
