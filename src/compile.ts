// The pure compiler core: Spec → Plan → ts-morph SourceFile → prettier → text. No file system: the CLI
// (src/commands/build.ts) is the only place that writes the result.
import type { Precision, Spec } from "./ir.js";
import { planSpec, type Plan } from "./plan.js";
import { emitModuleText } from "./emit/module.js";
import { formatModule } from "./format.js";

export interface CompiledModule {
  /** Output file name: `<spec name>.ts`. */
  fileName: string;
  text: string;
  plan: Plan;
}

export interface CompileOptions {
  /** Overrides the spec's precision. */
  precision?: Precision;
}

/** Plan and emit, without formatting: valid, deterministic TypeScript (what the random-IR tests compile, as prettier is the slow part). */
export function compileSpecUnformatted(spec: Spec, options: CompileOptions = {}): CompiledModule {
  const plan = planSpec(spec, options.precision ?? spec.precision);
  return { fileName: `${spec.name}.ts`, text: emitModuleText(spec, plan), plan };
}

/** Plan, emit and format one module (async only because prettier's format is). */
export async function compileSpec(spec: Spec, options: CompileOptions = {}): Promise<CompiledModule> {
  const compiled = compileSpecUnformatted(spec, options);
  return { ...compiled, text: await formatModule(compiled.text) };
}
