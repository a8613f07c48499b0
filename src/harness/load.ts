// Loads a generated module's source in-process: esbuild strips the types, and the JavaScript is imported
// from a data: URL. No shell, no temporary files, nothing written to disk.
import { transform } from "esbuild";
import type { Spec } from "../ir.js";
import type { GeneratedModule } from "../module-api.js";
import { compileSpecUnformatted, type CompileOptions } from "../compile.js";

/** Transpile and import one module's TypeScript source. */
export async function loadModule(source: string): Promise<GeneratedModule> {
  const { code } = await transform(source, { loader: "ts", format: "esm", target: "es2022" });
  const url = `data:text/javascript;base64,${Buffer.from(code, "utf8").toString("base64")}`;
  return (await import(/* @vite-ignore */ url)) as GeneratedModule;
}

/** Compile a spec (unformatted: formatting changes no behaviour) and load it. */
export async function buildAndLoad(spec: Spec, options: CompileOptions = {}): Promise<GeneratedModule> {
  return loadModule(compileSpecUnformatted(spec, options).text);
}
