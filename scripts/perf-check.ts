// Scratch: blocked vs interpreter vs per-sample on a few nets (bit-identity check before measuring).
import { compileSpecUnformatted } from "../src/compile.js";
import { loadModule } from "../src/harness/load.js";
import { interpret } from "../src/interpreter/index.js";
import { compareModules, formatMismatches } from "../test/support/differential.js";
import { dense, makeSpec } from "../test/codegen/specs.js";

const specs = [
  makeSpec("l", [dense(29, 7, "sigmoid"), dense(7, 6, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: 8 }),
  makeSpec("f", [dense(13, 9, "relu"), dense(9, 5, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 8 }),
  makeSpec(
    "t",
    [dense(6, 5, "tanh"), dense(5, 3, "softmax"), dense(3, 2, "linear")],
    "mse",
    { kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    { batchSize: 8 },
  ),
];
for (const spec of specs) {
  const blocked = await loadModule(compileSpecUnformatted(spec, { batchShape: "blocked", chunkLimit: 3 }).text);
  const plain = await loadModule(compileSpecUnformatted(spec, { batchShape: "per-sample" }).text);
  console.log(spec.name, "vs interp:", formatMismatches(compareModules(blocked, interpret(spec), spec, { samples: 7 })) || "ok");
  console.log(
    spec.name,
    "vs per-sample exact:",
    formatMismatches(compareModules(blocked, plain, spec, { samples: 7, tolerance: 0, trainTolerance: 0 })) || "ok",
  );
}
