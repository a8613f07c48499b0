// `nnc build SPEC --weights W.json`: checks the weights file as nnc predict checks it (model name, layout,
// normalisation, network hash: src/train/weights-file.ts), reads it through the module's own loadWeights,
// and bakes the vector into the module's text (src/emit/baked.ts). Any refusal is one UserError naming the
// file; nothing is written.
import { basename } from "node:path";
import { UserError } from "../errors.js";
import { loadSpec } from "../front/index.js";
import { bakeWeights } from "../emit/baked.js";
import { buildModule } from "../train/module-build.js";
import { checkWeights, readWeightsFile } from "../train/weights-file.js";

/** `outputs` (model file name → formatted module text) with the weights in `weightsPath` baked into the module. */
export async function withBakedWeights(specPath: string, outputs: Map<string, string>, weightsPath: string): Promise<Map<string, string>> {
  const spec = loadSpec(specPath);
  const { module } = await buildModule(spec);
  const weights = checkWeights(readWeightsFile(weightsPath, module.meta.parameters + module.meta.preprocessing.size), module.meta, weightsPath);
  if (module.meta.preprocessing.size === 0 && weights.normalization.kind !== "none") {
    throw new UserError(
      `${weightsPath}: the weights normalise their inputs (${weights.normalization.kind}) but ${basename(specPath)} does not, so the module has nowhere to keep the statistics: ` +
        `add \`normalize ${weights.normalization.kind.replace("_", "-")}\` (and its data) to the spec`,
    );
  }
  let values;
  try {
    values = module.loadWeights(weights);
  } catch (error) {
    throw new UserError(`${weightsPath}: ${(error as Error).message}`);
  }
  const baked = new Map<string, string>();
  for (const [name, text] of outputs) {
    baked.set(name, await bakeWeights(text, module.meta, module.classify !== undefined, { values, file: basename(weightsPath), spec: weights.spec ?? null }));
  }
  return baked;
}
