// Every generated module passes `tsc --strict` with lib ES2022 only (no DOM, no Node types): proof that it
// uses no Node or browser API, and that it satisfies the GeneratedModule contract of src/module-api.ts.
// The same modules, plus random specs under every forced code shape, type-check under the strictest settings
// people use: @tsconfig/strictest (noUncheckedIndexedAccess, exactOptionalPropertyTypes, noUnused*, …) and
// create-vite's vanilla-ts template (test/codegen/tsconfig/). The modules are written to a temporary folder
// once and checked by one spawn of the native tsc per configuration.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSpec, compileSpecUnformatted, type CompileOptions } from "../../src/compile.js";
import { strategyOf } from "../../src/emit/strategy.js";
import { loadSpec } from "../../src/front/index.js";
import { randomSpec } from "../support/random-spec.js";
import { dense, dropout, lettersSpec, makeSpec } from "./specs.js";
import { bakedModuleText } from "./baked-support.js";

const dir = mkdtempSync(join(tmpdir(), "nnc-typecheck-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tsc -p config: its output (empty when clean) and exit status. */
function tsc(config: string): { output: string; status: number | null } {
  const run = spawnSync(resolve("node_modules/.bin/tsc"), ["-p", config], { encoding: "utf8" });
  return { output: run.stdout + run.stderr, status: run.status };
}

/** Random specs under each forced code shape: loops everywhere, unrolled everywhere, blocked TS and kernels, f32, per-sample layers. */
const SHAPES: [string, CompileOptions][] = [
  ["loops", { unrollLimit: 0 }],
  ["unrolled", { unrollLimit: Infinity }],
  ["blocked_ts", { batchShape: "blocked", kernel: "ts", chunkLimit: 8 }],
  ["blocked_wasm", { batchShape: "blocked", kernel: "wasm" }],
  ["f32", { precision: "f32" }],
  ["layers", { sampleShape: "layers" }],
];

const BAKED_GENDER =
  "model gender\nlayer fc 2->2 sigmoid\nlayer fc 2->1 sigmoid\nloss mse\nnormalize z-score\nclasses male, female\nrow 60, 165 -> female\nrow 72, 183 -> male\n";

const modules = new Map<string, string>();
const strategies = new Set<string>();

beforeAll(async () => {
  for (const file of readdirSync("specs").filter((f) => f.endsWith(".nn"))) {
    const compiled = await compileSpec(loadSpec(`specs/${file}`));
    modules.set(`spec_${compiled.fileName}`, compiled.text);
    strategies.add(strategyOf(compiled.plan));
  }
  modules.set("letters_f32.ts", (await compileSpec(lettersSpec(), { precision: "f32" })).text);
  const everything = makeSpec(
    "everything",
    [dropout(3, 0.2), dense(3, 5, "leaky_relu", 0.1), dropout(5, 0.5), dense(5, 4, "relu"), dense(4, 3, "softmax")],
    "mse",
    { kind: "momentum", beta: 0.9, nesterov: true },
    {
      weightDecay: 1e-3,
      schedule: { kind: "cosine", min: 0, period: 3, periodIsEpochs: false },
      stop: [
        { kind: "early", monitor: "val_accuracy", patience: 1, minDelta: 0, range: null },
        { kind: "loss_below", value: 0.1, range: null },
      ],
    },
  );
  modules.set("everything.ts", (await compileSpec(everything)).text);
  // Weights baked in (nnc build --weights): named classes and a normalisation, f64 and f32.
  modules.set("baked_gender.ts", await bakedModuleText(BAKED_GENDER));
  modules.set("baked_gender_f32.ts", await bakedModuleText(BAKED_GENDER, { precision: "f32" }));
  for (let seed = 1; seed <= 40; seed++) modules.set(`random_${seed}.ts`, compileSpecUnformatted(randomSpec(seed)).text);
  for (const [shape, options] of SHAPES)
    for (let seed = 101; seed <= 110; seed++) {
      const compiled = compileSpecUnformatted(randomSpec(seed), options);
      modules.set(`random_${shape}_${seed}.ts`, compiled.text);
      strategies.add(strategyOf(compiled.plan));
    }
  mkdirSync(join(dir, "m"));
  for (const [name, text] of modules) writeFileSync(join(dir, "m", name), text);
}, 120_000);

// One tsc over ~120 modules takes 20–80 s on a loaded 2-core machine.
describe("generated modules type-check strictly without Node or DOM types", { timeout: 240_000 }, () => {
  it("covers every spec, every batch strategy and every forced code shape", () => {
    expect(modules.size).toBe(readdirSync("specs").filter((f) => f.endsWith(".nn")).length + 4 + 40 + SHAPES.length * 10);
    expect([...strategies].sort()).toEqual(["blocked", "fused", "kernels", "per-sample"]);
  });

  it("tsc --strict, lib ES2022, types [] accepts every module and its GeneratedModule conformance", () => {
    const checks: string[] = ['import type { GeneratedModule } from "./module-api.js";'];
    let n = 0;
    for (const name of modules.keys()) {
      checks.push(`import * as m${n} from "./m/${name.replace(/\.ts$/, ".js")}";`, `export const c${n}: GeneratedModule = m${n};`);
      n++;
    }
    copyFileSync("src/module-api.ts", join(dir, "module-api.ts"));
    writeFileSync(join(dir, "conformance.ts"), checks.join("\n") + "\n");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "ES2022",
          moduleResolution: "bundler",
          lib: ["ES2022"],
          types: [],
          skipLibCheck: false,
        },
        include: ["*.ts", "m/*.ts"],
      }),
    );
    expect(tsc(dir)).toEqual({ output: "", status: 0 });
  });

  it("@tsconfig/strictest (+ verbatimModuleSyntax, erasableSyntaxOnly, bundler resolution) accepts every module", () => {
    const config = join(dir, "strictest.json");
    writeFileSync(config, JSON.stringify({ extends: resolve("test/codegen/tsconfig/strictest.json"), include: ["m/*.ts"] }));
    expect(tsc(config)).toEqual({ output: "", status: 0 });
  });

  it("create-vite's vanilla-ts template tsconfig accepts every module", () => {
    const config = join(dir, "vite.json");
    // types: vite/client (the template's) is not installed here, and declares nothing a module uses.
    writeFileSync(
      config,
      JSON.stringify({ extends: resolve("test/codegen/tsconfig/vite-vanilla-ts.json"), compilerOptions: { types: [] }, include: ["m/*.ts"] }),
    );
    expect(tsc(config)).toEqual({ output: "", status: 0 });
  });

  it("the strict configurations refuse what they are for (control): an unused local, an unchecked index, a Node API", () => {
    const control = join(dir, "control");
    mkdirSync(control);
    writeFileSync(
      join(control, "bad.ts"),
      "const UNUSED = 1;\nexport function first(a: Float64Array): number {\n  return a[0];\n}\nexport const argv: string[] = process.argv;\n",
    );
    writeFileSync(join(control, "strictest.json"), JSON.stringify({ extends: resolve("test/codegen/tsconfig/strictest.json"), include: ["*.ts"] }));
    writeFileSync(
      join(control, "vite.json"),
      JSON.stringify({ extends: resolve("test/codegen/tsconfig/vite-vanilla-ts.json"), compilerOptions: { types: [] }, include: ["*.ts"] }),
    );
    const strictest = tsc(join(control, "strictest.json"));
    expect(strictest.status).not.toBe(0);
    expect(strictest.output).toContain("TS6133"); // UNUSED
    expect(strictest.output).toContain("TS2322"); // a[0] is number | undefined
    expect(strictest.output).toContain("process");
    const vite = tsc(join(control, "vite.json"));
    expect(vite.output).toContain("TS6133");
    expect(vite.output).not.toContain("TS2322"); // the template does not check indexed access
  });

  it("the plain configuration refuses Node and DOM APIs (control)", () => {
    const control = join(dir, "control-plain");
    mkdirSync(control);
    writeFileSync(join(control, "uses-node.ts"), "export const argv: string[] = process.argv;\nexport const doc = document.title;\n");
    writeFileSync(
      join(control, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", lib: ["ES2022"], types: [] }, include: ["*.ts"] }),
    );
    const result = tsc(control);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("process");
    expect(result.output).toContain("document");
  });
});
