// What the bundler plugins (esbuild.ts, vite.ts) share: a `.nn` file read from disk, compiled by the same
// stages as `nnc build`, and turned into the JavaScript a bundler loads for `import planar from "./planar.nn"`
// — the generated module with its types erased (esbuild's transform: a bundle needs no comments) and a
// default export holding every exported value, so both the default and the named imports work. Diagnostics
// come back as data (file, 1-based line, 0-based column, the source line) for each bundler to show its way.
import { existsSync, readFileSync } from "node:fs";
import { basename, isAbsolute, relative, sep } from "node:path";
import { transform } from "esbuild";
import { compile } from "../compile.js";
import type { Diagnostic } from "../ir.js";
import { readSpecFile } from "../front/index.js";
import { writeFileAtomic } from "../atomic-write.js";
import { toJavaScript } from "../javascript.js";
import { PRETTIER_OPTIONS } from "../format.js";

/** One diagnostic where a bundler wants it: `line` 1-based, `column` 0-based (esbuild's and Rollup's convention). */
export interface SpecMessage {
  file: string;
  line: number;
  column: number;
  /** Characters the range covers on its first line (at least 1). */
  length: number;
  lineText: string;
  /** `NN012: the message` (and its hint on a second line). */
  text: string;
}

export type SpecModuleResult = { ok: true; code: string; warnings: SpecMessage[] } | { ok: false; errors: SpecMessage[]; warnings: SpecMessage[] };

/** Where the spec goes in the generated header (`from src/planar.nn`): relative to the project root, so the output never holds an absolute path. */
function headerName(path: string, root: string): string {
  const rel = relative(root, path);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  return (inside ? rel : path).split(sep).join("/");
}

function toMessage(d: Diagnostic, path: string, source: string): SpecMessage {
  const { startLine, startColumn, endLine, endColumn } = d.range;
  const lineText = source.split(/\r?\n/)[startLine - 1] ?? "";
  const length = endLine === startLine ? Math.max(1, endColumn - startColumn + 1) : Math.max(1, lineText.length - startColumn + 1);
  return { file: path, line: startLine, column: Math.max(0, startColumn - 1), length, lineText, text: `${d.code}: ${d.message}${d.hint ? `\n${d.hint}` : ""}` };
}

/** The value exports of a generated module (its `export const` and `export function` declarations, as the emitter writes them). */
export function valueExports(moduleText: string): string[] {
  return [...moduleText.matchAll(/^export (?:async function|const|function) ([A-Za-z_$][\w$]*)/gm)].map((match) => match[1]!);
}

/** The plugins' options. */
export interface SpecModuleOptions {
  /**
   * Also write `<spec>.nn.d.ts` beside each imported spec: its exact declarations (`nnc build --js`'s, plus
   * the default export), which TypeScript finds for `import … from "./planar.nn"` before any `declare module
   * "*.nn"`. Written atomically, and only when it changes. Default false (nnc/client types every spec).
   */
  declarations?: boolean;
}

/** `<spec>.nn.d.ts`: the module's declarations and its default export, when they differ from what is there. */
async function writeDeclarations(path: string, moduleText: string, names: string[]): Promise<void> {
  const { dts } = await toJavaScript(`${basename(path, ".nn")}.ts`, moduleText);
  const header = `// The declarations of ./${basename(path)} as nnc's bundler plugins load it (their declarations option).`;
  const declared = dts.replace(/^\/\/ The declarations of .*$/m, header);
  const members = names.map((name) => `${name}: typeof ${name};`).join(" ");
  const raw = `${declared}\n/** Every value export as one object: \`import spec from "./${basename(path)}"\` (nnc's bundler plugins). */\ndeclare const module: { ${members} };\nexport default module;\n`;
  const { format } = await import("prettier");
  const text = await format(raw, PRETTIER_OPTIONS);
  const target = `${path}.d.ts`;
  if (!existsSync(target) || readFileSync(target, "utf8") !== text) writeFileAtomic(target, text);
}

/** Compile the spec at `path` (absolute) to the JavaScript a bundler loads for it. `root`: the project folder (names the spec in the header). */
export async function compileSpecModule(path: string, root: string, options: SpecModuleOptions = {}): Promise<SpecModuleResult> {
  // Bounded as every command reads specs (a UserError for an unreadable or oversized file).
  const { source } = readSpecFile(path);
  const { diagnostics, outputs } = await compile(source, headerName(path, root));
  const errors = diagnostics.filter((d) => d.severity === "error").map((d) => toMessage(d, path, source));
  const warnings = diagnostics.filter((d) => d.severity !== "error").map((d) => toMessage(d, path, source));
  const text = [...outputs.values()][0];
  if (errors.length > 0 || text === undefined) return { ok: false, errors, warnings };
  const names = valueExports(text);
  if (options.declarations === true) await writeDeclarations(path, text, names);
  // The default export: the module's values as one object, so `import planar from "./planar.nn"` reads as
  // `import * as planar from "./generated/planar.js"` does.
  const withDefault = `${text}\nexport default { ${names.join(", ")} };\n`;
  const { code } = await transform(withDefault, { loader: "ts", format: "esm", target: "es2022", sourcefile: path });
  return { ok: true, code, warnings };
}
