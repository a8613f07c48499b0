// Builds the generated module for a spec and loads it twice over: as a live module for this thread
// (meta, createParameters, saveWeights, predict for plots) and as JavaScript text for the training worker.
import { transformSync } from "esbuild";
import type { Spec } from "../ir.js";
import type { GeneratedModule } from "../module-api.js";
import { compileSpec } from "../compile.js";
import { loadModule } from "../harness/load.js";

export async function buildModule(spec: Spec): Promise<{ module: GeneratedModule; javascript: string }> {
  const { text } = await compileSpec(spec, {});
  const module = await loadModule(text);
  // The worker imports the module from a data: URL, so it needs plain JavaScript (types stripped).
  const javascript = transformSync(text, { loader: "ts", format: "esm", target: "node20" }).code;
  return { module, javascript };
}
