// Builds the generated module for a spec and loads it twice over: as a live module for this thread
// (meta, createParameters, saveWeights, predict for plots) and as JavaScript text for the training worker.
import { transform } from "esbuild";
import type { Spec } from "../ir.js";
import type { GeneratedModule } from "../module-api.js";
import { compileSpecUnformatted } from "../compile.js";
import { loadModule } from "../harness/load.js";

export async function buildModule(spec: Spec): Promise<{ module: GeneratedModule; javascript: string }> {
  // Unformatted: prettier changes no behaviour and is the slow part of compiling.
  const { text } = compileSpecUnformatted(spec);
  const module = await loadModule(text);
  // The worker imports the module from a data: URL, so it needs plain JavaScript (types stripped, as loadModule does).
  const { code } = await transform(text, { loader: "ts", format: "esm", target: "es2022" });
  return { module, javascript: code };
}
