// The pure compiler core: Spec → Plan → ts-morph SourceFile → prettier → text. No file system: the CLI
// (src/commands/build.ts) is the only place that writes the result.
import type { Diagnostic, Spec } from "./ir.js";
import { parseSpec, type ParseSpecOptions } from "./front/index.js";
import { planSpec, type Plan, type PlanOptions } from "./plan.js";
import { emitModuleText } from "./emit/module.js";
import { formatModule } from "./format.js";

export interface CompiledModule {
  /** Output file name: `<spec name>.ts`. */
  fileName: string;
  text: string;
  plan: Plan;
}

/** precision overrides the spec's; unrollLimit overrides the measured unroll threshold (tests). */
export type CompileOptions = PlanOptions;

/** Plan and emit, without formatting: valid, deterministic TypeScript (what the random-IR tests compile, as prettier is the slow part). */
export function compileSpecUnformatted(spec: Spec, options: CompileOptions = {}): CompiledModule {
  const plan = planSpec(spec, options);
  return { fileName: `${spec.name}.ts`, text: emitModuleText(spec, plan), plan };
}

/** Plan, emit and format one module (async only because prettier's format is). */
export async function compileSpec(spec: Spec, options: CompileOptions = {}): Promise<CompiledModule> {
  const compiled = compileSpecUnformatted(spec, options);
  return { ...compiled, text: await formatModule(compiled.text) };
}

export interface CompileResult {
  /** The front end's diagnostics (errors and warnings), sorted by position. */
  diagnostics: Diagnostic[];
  /** Output file name (`<model name>.ts`, relative to the output folder) → module text; empty on errors. */
  outputs: Map<string, string>;
}

/** Source text → diagnostics and formatted module(s). Pure (no file system); async because prettier is. */
export async function compile(source: string, fileName: string, options: CompileOptions & ParseSpecOptions = {}): Promise<CompileResult> {
  const { spec, diagnostics } = parseSpec(source, fileName, { variables: options.variables });
  const outputs = new Map<string, string>();
  if (spec !== null) {
    const compiled = await compileSpec(spec, options);
    outputs.set(compiled.fileName, compiled.text);
  }
  return { diagnostics, outputs };
}
