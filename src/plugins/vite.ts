// The Vite plugin (`nnc/vite`), which is a plain Rollup plugin (Vite's and Rolldown's plugins are Rollup's):
// `import planar from "./planar.nn"` (or named imports) compiles the spec at build time to its generated
// module. A spec error stops the build with Rollup's `this.error` (file, line and column: Vite shows the
// frame and, in dev, its overlay); warnings go through `this.warn`; the spec is a watched file, so `vite`
// (dev) and `vite build --watch` re-compile when it changes. No Vite or Rollup code is imported: the hooks
// are typed structurally below, so the package needs neither at run time.
//
//   // vite.config.ts
//   import { defineConfig } from "vite";
//   import nnc from "nnc/vite";
//   export default defineConfig({ plugins: [nnc()] });
import { UserError } from "../errors.js";
import { compileSpecModule, type SpecMessage, type SpecModuleOptions } from "./spec-module.js";

/** Rollup's error and warning object, as much of it as this plugin fills. */
export interface RollupLogLike {
  message: string;
  id?: string;
  loc?: { file?: string; line: number; column: number };
  frame?: string;
}

/** What the hooks use of Rollup's plugin context (Vite's and Rolldown's have the same). */
export interface LoadContext {
  error(error: RollupLogLike | string): never;
  warn(warning: RollupLogLike | string): void;
  addWatchFile(id: string): void;
}

/** The plugin object: assignable to Vite's `Plugin` and to Rollup's. */
export interface NncRollupPlugin {
  name: string;
  enforce: "pre";
  configResolved(config: { root: string }): void;
  load(this: LoadContext, id: string): Promise<{ code: string; map: null; moduleType: "js" } | null>;
}

/** The source line with a caret under the range, as Rollup prints a frame. */
function frameOf(message: SpecMessage): string {
  return `${message.line} | ${message.lineText}\n${" ".repeat(String(message.line).length)} | ${" ".repeat(message.column)}${"^".repeat(message.length)}`;
}

function toRollup(message: SpecMessage): RollupLogLike {
  return { message: message.text, id: message.file, loc: { file: message.file, line: message.line, column: message.column }, frame: frameOf(message) };
}

/** The plugin. `declarations: true` also writes each imported spec's exact `<spec>.nn.d.ts` (docs/web.md). */
export function nnc(options: SpecModuleOptions = {}): NncRollupPlugin {
  let root = process.cwd();
  return {
    name: "nnc",
    // Before Vite's own plugins, so nothing else tries to read a .nn file as an asset.
    enforce: "pre",
    configResolved(config) {
      root = config.root;
    },
    async load(id) {
      // Vite adds queries (`?import`, `?v=…`) in dev; virtual modules start with \0.
      const path = id.split("?")[0]!;
      if (id.startsWith("\0") || !path.endsWith(".nn")) return null;
      this.addWatchFile(path);
      let result;
      try {
        result = await compileSpecModule(path, root, options);
      } catch (error) {
        if (error instanceof UserError) this.error({ message: error.message, id: path });
        throw error;
      }
      for (const warning of result.warnings) this.warn(toRollup(warning));
      if (!result.ok) {
        const [first, ...rest] = result.errors;
        if (first === undefined) this.error({ message: `nnc: ${path} did not compile`, id: path });
        const more = rest.length === 0 ? "" : `\n${rest.map((e) => `${e.file}:${e.line}:${e.column + 1}: ${e.text}`).join("\n")}`;
        this.error({ ...toRollup(first), message: `${first.text}${more}` });
      }
      // moduleType: Rolldown (Vite 8) types a module by its extension unless told; Rollup ignores the field.
      return { code: result.code, map: null, moduleType: "js" };
    },
  };
}

export default nnc;
