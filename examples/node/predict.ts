// Using a generated module from your own Node script: load the weights `nnc train specs/planar.nn` wrote,
// then classify a few points with the module's predict(). The module (generated/planar.ts) has no imports
// and no runtime: this script needs nothing from nnc.
//
// Node 20 cannot run TypeScript itself, so run this file through one of:
//   npx tsx examples/node/predict.ts [weights.json] [x,y ...]
//   npx esbuild examples/node/predict.ts --bundle --platform=node --format=esm --outfile=out/predict.mjs && node out/predict.mjs [weights.json] [x,y ...]
import { readFileSync } from "node:fs";
import * as planar from "../../generated/planar.js";

const [weightsPath = "runs/planar/weights.json", ...points] = process.argv.slice(2);

// loadWeights checks the file is for this network (model name, layout, normalisation, network hash), then
// returns the parameters with the normalisation statistics after them: predict takes raw inputs.
const params = planar.loadWeights(JSON.parse(readFileSync(weightsPath, "utf8")));

const rows = points.length > 0 ? points : ["0,0", "1,2", "-2,1", "3,-1.5"];
const out = new Float64Array(planar.meta.outputs);
for (const row of rows) {
  const raw = row.split(",").map(Number);
  if (raw.length !== planar.meta.inputs || raw.some((v) => !Number.isFinite(v))) {
    console.error(`expected ${planar.meta.inputs} comma-separated numbers, got "${row}"`);
    process.exit(1);
  }
  planar.predict(params, Float64Array.from(raw), out);
  // One sigmoid output: the probability of class 1. String(p) prints the shortest text that reads back as the same double.
  console.log(`${raw.join(", ")} → p(class 1) = ${String(out[0])} → class ${out[0]! >= 0.5 ? 1 : 0}`);
}
