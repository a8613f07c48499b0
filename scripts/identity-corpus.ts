// The byte-identity oracle for refactors that must not change output: compiles every spec in specs/ and
// 300 random specs under eight plan-option sets, interprets each random spec (loss,
// gradient and a short train() run), and prints one sha256 line per case. Run before and after a change and
// diff the two listings: any line that differs names the case whose generated code or interpreter numbers
// changed.
//
//   npx tsx scripts/identity-corpus.ts [RANDOM_SPECS=300] > before.txt   (…change…)   npx tsx scripts/identity-corpus.ts | diff before.txt -
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compileSpecUnformatted, type CompileOptions } from "../src/compile.js";
import { parseSpec } from "../src/front/index.js";
import { interpret } from "../src/interpreter/index.js";
import { createRng } from "../src/prng.js";
import type { Spec } from "../src/ir.js";
import { randomSpec } from "../test/support/random-spec.js";

const OPTION_SETS: [string, CompileOptions][] = [
  ["default", {}],
  ["loops", { unrollLimit: 0 }],
  ["unrolled", { unrollLimit: Infinity }],
  ["blocked-wasm", { batchShape: "blocked", chunkLimit: 3 }],
  ["blocked-ts", { batchShape: "blocked", kernel: "ts", chunkLimit: 5, tile: { samples: 3, outputs: 2 } }],
  ["layers", { sampleShape: "layers" }],
  ["fused", { sampleShape: "fused", unrollLimit: Infinity }],
  ["f32-blocked", { precision: "f32", batchShape: "blocked", unrollLimit: 0 }],
];

const sha = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);
const root = join(import.meta.dirname, "..");
const specs: [string, Spec][] = [];
for (const name of readdirSync(join(root, "specs"))
  .filter((f) => f.endsWith(".nn"))
  .sort()) {
  const path = join("specs", name);
  const { spec } = parseSpec(readFileSync(join(root, path), "utf8"), path);
  if (spec !== null) specs.push([path, spec]);
}
const randomCount = Number(process.argv[2] ?? 300);
for (let seed = 1; seed <= randomCount; seed++) specs.push([`random ${seed}`, randomSpec(seed)]);

for (const [name, spec] of specs) {
  for (const [label, options] of OPTION_SETS) {
    // Fully unrolling specs/' large nets (784-256-…) would build gigabytes of source: random specs only.
    if (options.unrollLimit === Infinity && !name.startsWith("random")) continue;
    let text: string;
    try {
      text = compileSpecUnformatted(spec, options).text;
    } catch (error) {
      text = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    console.log(`${name} ${label} ${sha(text)}`);
  }
  if (name.startsWith("random")) console.log(`${name} interpreter ${sha(interpreterTrace(spec))}`);
}

/** The interpreter's loss, gradient and a 2-epoch train() on seeded random data, as text. */
function interpreterTrace(spec: Spec): string {
  const m = interpret(spec);
  const rng = createRng(7);
  const count = 6;
  const xs = Float64Array.from({ length: count * spec.inputs }, () => rng.uniform() * 2 - 1);
  const ys = Float64Array.from({ length: count * spec.outputs }, () => rng.uniform());
  const params = m.createParameters(3);
  const grad = new Float64Array(params.length);
  const loss = m.lossAndGradient(params, xs, ys, count, grad, { training: true, dropoutSeed: 5 });
  const report = m.train(params, xs, ys, count, { epochs: 2 });
  return JSON.stringify([loss, Array.from(grad), Array.from(params), report.history, m.meta]);
}
