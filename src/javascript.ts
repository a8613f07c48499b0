// A generated module as plain JavaScript for a page without a TypeScript step (`nnc build --js`, and the
// bundler plugins): the ES module and its declarations, both from one in-memory TypeScript program.
//
// TypeScript's own emitter (the compiler API bundled in ts-morph; typescript 7 in this repo has no JS API)
// rather than esbuild's transform: it keeps every comment (the header's signatures, the doc comments, the
// "why" notes) and the order of the statements, so the .js reads like the .ts with the types taken out;
// esbuild drops comments and moves the exports to the end. Both outputs go through the same fixed prettier
// options as the .ts, so they are byte-identical from build to build.
import { PRETTIER_OPTIONS } from "./format.js";
import { tsMorph } from "./emit/ts-morph.js";

export interface JavaScriptModule {
  /** `<model>.js`: the module as an ES2022 module, types erased, comments kept. */
  js: string;
  /** `<model>.d.ts`: its declarations (the exported functions' signatures and doc comments, the types). */
  dts: string;
}

/** Erase the types of one generated module (`<model>.ts`) and declare them. Throws only on a bug (the module type-checks). */
export async function toJavaScript(fileName: string, text: string): Promise<JavaScriptModule> {
  const { Project, ts } = tsMorph();
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      lib: ["lib.es2022.d.ts"],
      types: [],
      strict: true,
      declaration: true,
      removeComments: false,
      newLine: ts.NewLineKind.LineFeed,
    },
  });
  const path = `/module/${fileName}`;
  project.createSourceFile(path, text);
  const emitted = project.emitToMemory();
  const problems = emitted.getDiagnostics();
  if (problems.length > 0) {
    const messages = problems.map((d) => ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n"));
    throw new Error(`toJavaScript: TypeScript could not emit ${fileName}: ${messages.join("; ")}`);
  }
  const stem = path.replace(/\.ts$/, "");
  const find = (suffix: string): string => {
    const file = emitted.getFiles().find((f) => f.filePath === `${stem}${suffix}`);
    if (file === undefined) throw new Error(`toJavaScript: no ${stem}${suffix} emitted`);
    return file.text;
  };
  // The emitter keeps the .ts's header in the .js but not in the .d.ts (it is attached to no declaration):
  // the declarations say where they come from themselves.
  const origin = text.slice(0, text.indexOf("\n"));
  const header = `${origin}\n// The declarations of ./${javaScriptNames(fileName).js} (nnc build --js): its exports, their types and doc comments.\n`;
  const { format } = await import("prettier");
  return {
    js: await format(find(".js"), { ...PRETTIER_OPTIONS, parser: "babel" }),
    dts: await format(header + find(".d.ts"), PRETTIER_OPTIONS),
  };
}

/** The file names `nnc build --js` writes for a module named `<model>.ts`. */
export function javaScriptNames(fileName: string): { js: string; dts: string } {
  const stem = fileName.replace(/\.ts$/, "");
  return { js: `${stem}.js`, dts: `${stem}.d.ts` };
}
