// nnc build --weights: the trained vector baked into the module, written exactly, with predictTrained /
// classifyTrained that need no params argument. Checked against the plain module's predict(loadWeights(file), x),
// bit for bit; the CLI path refuses weights that do not fit, naming the file.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.js";
import { exactDecimal } from "../../src/emit/baked.js";
import { withBakedWeights } from "../../src/commands/build-weights.js";
import { UserError } from "../../src/errors.js";
import { loadModule } from "../../src/harness/load.js";
import { createRng } from "../../src/prng.js";
import type { Vector } from "../../src/module-api.js";
import { lettersSpec } from "./specs.js";
import { bakedModule } from "./baked-support.js";
import { tempDir } from "../train/helpers.js";
import { buildCli, nnc } from "../support/cli.js";

const GENDER =
  "model gender\nlayer fc 2->2 sigmoid\nlayer fc 2->1 sigmoid\nloss mse\nnormalize z-score\nclasses male, female\nrow 60, 165 -> female\nrow 72, 183 -> male\n";

function bits(v: ArrayLike<number>): string[] {
  return Array.from(new BigUint64Array(Float64Array.from(v).buffer), (b) => b.toString(16));
}

type Baked = {
  TRAINED_PARAMETERS: Vector;
  predictTrained(x: Vector, out?: Vector): Vector;
  classifyTrained?(x: Vector): { index: number; name: string; probability: number };
};

describe("baked weights", () => {
  for (const [name, source, options] of [
    ["gender (z-score, named classes, f64)", GENDER, {}],
    ["letters 289-20-26 (f32, blocked with kernels)", lettersSpec(), { precision: "f32" as const }],
    ["a softmax net without preprocessing", "model three\nlayer fc 4->6 tanh\nlayer fc 6->3 softmax\nloss crossentropy\n", {}],
  ] as const) {
    test(`${name}: predictTrained(x) = predict(loadWeights(file), x) bit for bit, and the vector is exact`, async () => {
      const { module, params, text } = await bakedModule(source, options);
      const baked = (await loadModule(text)) as unknown as Baked & typeof module;
      const file = JSON.parse(JSON.stringify(module.saveWeights(params)));
      const loaded = module.loadWeights(file);
      expect(baked.TRAINED_PARAMETERS.constructor).toBe(loaded.constructor);
      expect(bits(baked.TRAINED_PARAMETERS)).toEqual(bits(loaded));
      const rng = createRng(5);
      for (let s = 0; s < 6; s++) {
        const row = Array.from({ length: module.meta.inputs }, () => 60 + 30 * rng.gaussian());
        const x = module.meta.precision === "f32" ? Float32Array.from(row) : Float64Array.from(row);
        expect(bits(baked.predictTrained(x))).toEqual(bits(module.predict(loaded, x)));
        if (module.classify !== undefined) expect(baked.classifyTrained!(x)).toEqual(module.classify(loaded, x));
      }
      expect(baked.classifyTrained === undefined).toBe(module.classify === undefined);
      // The header lists the baked exports; baking is deterministic.
      expect(text).toContain("// export function predictTrained(");
      expect((await bakedModule(source, options)).text).toBe(text);
    });
  }

  test("exactDecimal: the shortest decimal that reads back as the same f64 or f32", () => {
    const rng = createRng(8);
    for (let i = 0; i < 2000; i++) {
      const v = rng.gaussian() * 10 ** Math.round(6 * rng.gaussian());
      expect(Number(exactDecimal(v, "f64"))).toBe(v);
      const f = Math.fround(v);
      const text = exactDecimal(f, "f32");
      expect(Math.fround(Number(text))).toBe(f);
      expect(text.length).toBeLessThanOrEqual(String(f).length);
    }
    expect(exactDecimal(Math.fround(0.1), "f32")).toBe("0.1");
    expect(exactDecimal(-0, "f64")).toBe("-0");
  });

  test("the CLI path reads a weights file through loadWeights, and refuses another network's weights naming the file", async () => {
    const dir = tempDir("nnc-baked-");
    const specPath = join(dir, "gender.nn");
    writeFileSync(specPath, GENDER);
    const { module, params } = await bakedModule(GENDER);
    const weightsPath = join(dir, "w.json");
    writeFileSync(weightsPath, JSON.stringify(module.saveWeights(params)));
    const { outputs } = await compile(GENDER, "gender.nn");
    const baked = (await loadModule((await withBakedWeights(specPath, outputs, weightsPath)).get("gender.ts")!)) as unknown as Baked;
    expect(bits(baked.TRAINED_PARAMETERS)).toEqual(bits(params));
    const wider = join(dir, "wider.nn");
    writeFileSync(wider, GENDER.replace("2->2", "2->3").replace("2->1", "3->1"));
    const error = await withBakedWeights(wider, outputs, weightsPath).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(`${weightsPath}: weights do not match the spec`);
    expect((error as Error).message).toContain("shape: layer1.weight is [2, 2] in the weights, [3, 2] in the spec");
  });

  test(
    "nnc build SPEC --weights W.json writes the baked module; weights of another network: exit 1, one message, nothing written",
    { timeout: 120_000 },
    async () => {
      buildCli();
      const dir = tempDir("nnc-baked-cli-");
      const specPath = join(dir, "gender.nn");
      writeFileSync(specPath, GENDER);
      const { module, params } = await bakedModule(GENDER);
      const weightsPath = join(dir, "w.json");
      writeFileSync(weightsPath, JSON.stringify(module.saveWeights(params)));
      const ok = nnc("build", specPath, "--weights", weightsPath, "-o", join(dir, "out"));
      expect(ok.status, ok.stderr).toBe(0);
      const baked = (await loadModule(readFileSync(join(dir, "out", "gender.ts"), "utf8"))) as unknown as Baked;
      expect(bits(baked.TRAINED_PARAMETERS)).toEqual(bits(params));
      writeFileSync(specPath, GENDER.replace("z-score", "min-max"));
      const refused = nnc("build", specPath, "--weights", weightsPath, "-o", join(dir, "refused"));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("normalisation: the weights were trained on inputs normalised z-score, the spec says min-max");
      expect(refused.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(join(dir, "refused"))).toBe(false);
    },
  );
});
