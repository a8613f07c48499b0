// A module with weights baked in, as `nnc build --weights` writes it, for tests: the spec's module with its
// own createParameters(3) vector (statistics fitted on a few raw rows when it normalises) baked into it.
import { compileSpec, type CompileOptions } from "../../src/compile.js";
import { bakeWeights } from "../../src/emit/baked.js";
import { parseSpec } from "../../src/front/index.js";
import { loadModule } from "../../src/harness/load.js";
import type { Spec } from "../../src/ir.js";
import type { GeneratedModule, Vector } from "../../src/module-api.js";

export function specOf(source: string | Spec): Spec {
  if (typeof source !== "string") return source;
  const { spec, diagnostics } = parseSpec(source, "baked.nn");
  if (spec === null) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return spec;
}

/** The plain module, a trained-like vector for it (seed 3, statistics fitted on raw rows) and the baked text. */
export async function bakedModule(
  source: string | Spec,
  options: CompileOptions = {},
): Promise<{ module: GeneratedModule; params: Vector; text: string; plain: string }> {
  const { text: plain } = await compileSpec(specOf(source), options);
  const module = await loadModule(plain);
  const params = module.createParameters(3);
  const n = module.meta.inputs;
  const rows = Array.from({ length: 5 * n }, (_, i) => ((i * 37) % 11) + 0.25 * i);
  const raw = module.meta.precision === "f32" ? Float32Array.from(rows) : Float64Array.from(rows);
  module.fitPreprocessing(params, raw, 5);
  const text = await bakeWeights(plain, module.meta, module.classify !== undefined, { values: params, file: "w.json", spec: "baked.nn" });
  return { module, params, text, plain };
}

export async function bakedModuleText(source: string | Spec, options: CompileOptions = {}): Promise<string> {
  return (await bakedModule(source, options)).text;
}
