// The CLI's side of the module's preprocessing: the normalisation statistics nnc fits (src/data/normalize.ts)
// written into the parameter vector where the module keeps them (meta.preprocessing), so the module's
// predict, evaluate and classify see raw inputs exactly as nnc predict does.
import type { GeneratedModule, Vector } from "../module-api.js";
import type { NormalizationStats } from "../data/normalize.js";

/**
 * A full parameter vector (trainable parameters, then the statistics) from `params` (either length) and
 * `stats`: a new vector in the module's precision; `params` is not changed.
 */
export function withStatistics(module: Pick<GeneratedModule, "meta" | "createParameters">, params: ArrayLike<number>, stats: NormalizationStats): Vector {
  const { parameters, preprocessing, inputs } = module.meta;
  const full = module.createParameters();
  for (let i = 0; i < parameters; i++) full[i] = params[i]!;
  if (preprocessing.size > 0) {
    if (stats.kind !== preprocessing.normalize) throw new Error(`internal: ${stats.kind} statistics for a module that normalises ${preprocessing.normalize}`);
    full.set(stats.offset, preprocessing.offset);
    full.set(stats.scale, preprocessing.offset + inputs);
  }
  return full;
}
