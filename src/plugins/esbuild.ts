// The esbuild plugin (`nnc/esbuild`): `import planar from "./planar.nn"` (or `import { predict } from
// "./planar.nn"`) compiles the spec at build time to its generated module. Spec diagnostics are esbuild
// errors and warnings with file, line and column; in watch mode (and `esbuild --serve`) editing the spec
// rebuilds. Typed with esbuild's own Plugin type; at run time it needs nothing of esbuild but what calls it.
//
//   import { build } from "esbuild";
//   import nnc from "nnc/esbuild";
//   await build({ entryPoints: ["src/main.ts"], bundle: true, outdir: "dist", plugins: [nnc()] });
import type { PartialMessage, Plugin } from "esbuild";
import { UserError } from "../errors.js";
import { compileSpecModule, type SpecMessage, type SpecModuleOptions } from "./spec-module.js";

function toEsbuild(message: SpecMessage): PartialMessage {
  const [text, ...notes] = message.text.split("\n");
  return {
    text: text!,
    location: { file: message.file, line: message.line, column: message.column, length: message.length, lineText: message.lineText },
    notes: notes.map((note) => ({ text: note })),
  };
}

/** The plugin. `declarations: true` also writes each imported spec's exact `<spec>.nn.d.ts` (docs/web.md). */
export function nnc(options: SpecModuleOptions = {}): Plugin {
  return {
    name: "nnc",
    setup(build) {
      const root = build.initialOptions.absWorkingDir ?? process.cwd();
      build.onLoad({ filter: /\.nn$/ }, async (args) => {
        try {
          const result = await compileSpecModule(args.path, root, options);
          const warnings = result.warnings.map(toEsbuild);
          if (!result.ok) return { errors: result.errors.map(toEsbuild), warnings, watchFiles: [args.path] };
          return { contents: result.code, loader: "js", warnings, watchFiles: [args.path] };
        } catch (error) {
          // An unreadable or oversized file (UserError): its one-line message, not a stack trace.
          if (error instanceof UserError) return { errors: [{ text: error.message }], watchFiles: [args.path] };
          throw error;
        }
      });
    },
  };
}

export default nnc;
