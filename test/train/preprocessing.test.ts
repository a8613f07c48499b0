// The module owns its preprocessing (issue 17): fitPreprocessing against src/data/normalize.ts's
// fitNormalization bit for bit, preprocess against scale + applyNormalization, predict over raw inputs
// against `nnc predict`, saveWeights files in `nnc predict` and nnc train's files in the module, weights
// identity by meaning (comments and training settings do not matter; a layer size or the normalisation
// does, named), and classify.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildAndLoad } from "../../src/harness/load.js";
import { compileSpec } from "../../src/compile.js";
import { parseSpec, loadSpec } from "../../src/front/index.js";
import type { Spec } from "../../src/ir.js";
import type { GeneratedModule } from "../../src/module-api.js";
import { applyNormalization, fitNormalization } from "../../src/data/normalize.js";
import { loadData } from "../../src/data/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { createRng } from "../../src/prng.js";
import { runTraining } from "../../src/train/run.js";
import { runPredict } from "../../src/train/predict.js";
import { UserError } from "../../src/errors.js";
import { captured, tempDir } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");

function spec(text: string, fileName = "t.nn"): Spec {
  const { spec, diagnostics } = parseSpec(text, fileName);
  if (spec === null) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return spec;
}

/** The gender net with the given normalisation (and data scale), on the four people. */
function genderText(normalize: string, scale = 1, extra = ""): string {
  return [
    "model gender",
    "layer fc 2->2 sigmoid",
    "layer fc 2->1 sigmoid",
    "loss mse",
    "init normal std=0.5 seed=2",
    "sgd lr=0.5 epochs=30 batch=1",
    ...(normalize === "none" ? [] : [`normalize ${normalize}`]),
    ...(scale === 1 ? [] : [`data inline scale=${scale}`]),
    extra,
    "row 60.3, 165 -> 1",
    "row 72.6, 183 -> 0",
    "row 68.9, 178 -> 0",
    "row 54.4, 152 -> 1",
    "",
  ].join("\n");
}

/** The bits of each number, so equality means bit for bit (0 and −0, NaN payloads aside). */
function bits(values: ArrayLike<number>): string[] {
  return Array.from(new BigUint64Array(Float64Array.from(values).buffer), (b) => b.toString(16));
}

function randomRows(count: number, inputs: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const xs = new Float64Array(count * inputs);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < inputs; j++) xs[r * inputs + j] = j === inputs - 1 ? 7.25 : 100 * rng.gaussian() + 40 * j; // last column constant
  }
  return xs;
}

describe("fitPreprocessing and preprocess = nnc's fitNormalization and applyNormalization, bit for bit", () => {
  for (const normalize of ["zero-mean", "min-max", "z-score"]) {
    for (const scale of [1, 0.01]) {
      test(`${normalize}, data scale ${scale}: random rows with a constant column, and the spec's own rows`, async () => {
        const s = spec(genderText(normalize, scale));
        const m = await buildAndLoad(s);
        const { parameters: P, inputs: n, preprocessing } = m.meta;
        expect(preprocessing).toEqual({ scale, normalize: normalize.replace("-", "_"), offset: P, size: 2 * n });
        for (const [raw, count] of [
          [randomRows(37, 2, 11), 37],
          [Float64Array.from([60.3, 165, 72.6, 183, 68.9, 178, 54.4, 152]), 4],
        ] as const) {
          const params = m.createParameters();
          expect(Array.from(params.subarray(P))).toEqual([0, 0, 1, 1]); // identity until fitted
          m.fitPreprocessing(params, raw, count);
          const scaled = raw.map((v) => v * scale);
          const stats = fitNormalization(s.data!.normalize, {
            features: scaled,
            targets: new Float64Array(count),
            count,
            inputs: n,
            outputs: 1,
            labels: null,
            source: "t",
          });
          expect(bits(params.subarray(P, P + n))).toEqual(bits(stats.offset));
          expect(bits(params.subarray(P + n))).toEqual(bits(stats.scale));
          const expected = scaled.slice();
          applyNormalization(stats, expected, count, n);
          expect(bits(m.preprocess(params, raw, count))).toEqual(bits(expected));
          // predict over a raw row = the interpreter (float64 oracle) over the row as nnc normalises it.
          const row = raw.subarray(0, n);
          expect(m.predict(params, row)[0]).toBeCloseTo(interpret(s).predict(params, row)[0]!, 12);
          const oracle = interpret(spec(genderText("none"))).predict(params.subarray(0, P), expected.subarray(0, n))[0]!;
          expect(Math.abs(m.predict(params, row)[0]! - oracle)).toBeLessThan(1e-12);
        }
      });
    }
  }

  test("on the training data loadData reads for specs/gender.nn (zero-mean)", async () => {
    const s = loadSpec(join(ROOT, "specs", "gender.nn"));
    const m = await buildAndLoad(s);
    const { train } = loadData(s, join(ROOT, "specs"));
    const params = m.createParameters();
    m.fitPreprocessing(params, train.features, train.count);
    const stats = fitNormalization(s.data!.normalize, train);
    expect(bits(params.subarray(m.meta.parameters, m.meta.parameters + 2))).toEqual(bits(stats.offset));
  });

  test("a module that neither scales nor normalises: raw inputs are network inputs, the vector has no statistics", async () => {
    const s = spec(genderText("none"));
    const m = await buildAndLoad(s);
    expect(m.meta.preprocessing).toEqual({ scale: 1, normalize: "none", offset: m.meta.parameters, size: 0 });
    expect(m.evaluateInputs).toBeUndefined();
    const params = m.createParameters();
    expect(params.length).toBe(m.meta.parameters);
    const raw = Float64Array.from([60.3, 165]);
    m.fitPreprocessing(params, raw, 1);
    expect(Array.from(m.preprocess(params, raw, 1))).toEqual([60.3, 165]);
    expect(m.predict(params, raw)[0]).toBe(interpret(s).predict(params, raw)[0]);
  });

  test("evaluate takes raw rows, evaluateInputs network inputs (what train() sees)", async () => {
    const s = spec(genderText("z-score"));
    const m = await buildAndLoad(s);
    const raw = Float64Array.from([60.3, 165, 72.6, 183, 68.9, 178, 54.4, 152]);
    const ys = Float64Array.from([1, 0, 0, 1]);
    const params = m.createParameters();
    m.fitPreprocessing(params, raw, 4);
    expect(m.evaluate(params, raw, ys, 4)).toEqual(m.evaluateInputs!(params, m.preprocess(params, raw, 4), ys, 4));
    const net = interpret(s).evaluateInputs!(params, m.preprocess(params, raw, 4), ys, 4);
    expect(Math.abs(m.evaluate(params, raw, ys, 4).loss - net.loss)).toBeLessThan(1e-12);
  });
});

describe("every code shape preprocesses the same way", () => {
  // Rows over several chunks, the last one short (the kernel path preprocesses chunk by chunk into kernel memory).
  const ROWS = 150;
  for (const [shape, options] of [
    ["blocked TS", { batchShape: "blocked", kernel: "ts", chunkLimit: 2 }],
    ["blocked with wasm kernels (the predictor preprocesses straight into kernel memory)", { batchShape: "blocked", kernel: "wasm" }],
    ["per-sample layers", { sampleShape: "layers" }],
  ] as const) {
    test(`${shape}: predict, createPredictor, predictBatch and evaluate over raw rows = the fused module's, bit for bit (z-score, data scale 0.01)`, async () => {
      const s = spec(genderText("z-score", 0.01));
      const [m, reference] = [await buildAndLoad(s, options), await buildAndLoad(s)];
      const raw = randomRows(ROWS, 2, 4);
      const ys = Float64Array.from({ length: ROWS }, (_, i) => i % 2);
      const params = m.createParameters(6);
      m.fitPreprocessing(params, raw, ROWS);
      const run = m.createPredictor!(params);
      for (let r = 0; r < ROWS; r++) {
        const x = raw.subarray(2 * r, 2 * r + 2);
        const expected = bits(reference.predict(params, x));
        expect(bits(m.predict(params, x))).toEqual(expected);
        expect(bits(run(x))).toEqual(expected);
      }
      expect(m.evaluate(params, raw, ys, ROWS)).toEqual(reference.evaluate(params, raw, ys, ROWS));
      // predictBatch takes raw rows (predict's, row by row); predictBatchInputs the network inputs preprocess gives.
      const rows = Array.from({ length: ROWS }, (_, r) => Array.from(reference.predict(params, raw.subarray(2 * r, 2 * r + 2)))).flat();
      expect(bits(m.predictBatch!(params, raw, ROWS))).toEqual(bits(rows));
      expect(bits(m.predictBatchInputs!(params, m.preprocess(params, raw, ROWS), ROWS))).toEqual(bits(rows));
    });
  }
});

describe("the kernel path preprocesses raw rows chunk by chunk into kernel memory", () => {
  // evaluate and predictBatch over raw rows against evaluateInputs and predictBatchInputs over what preprocess
  // returns (preprocess itself is checked against scale + applyNormalization above), bit for bit: f32 with the
  // loss in the kernels (sigmoid + binary cross-entropy, evaluateKernels' o-kernel loop), and f64 (its row loop).
  for (const [precision, loss] of [
    ["f32", "crossentropy"],
    ["f64", "mse"],
  ] as const) {
    test(`${precision}, ${loss}: 150 rows in several chunks, z-score after a data scale of 0.5`, async () => {
      const s = spec(
        [
          `precision ${precision}`,
          "layer fc 3->5 tanh",
          "layer fc 5->1 sigmoid",
          `loss ${loss}`,
          "sgd lr=0.1 epochs=1 batch=16",
          "normalize z-score",
          "data inline scale=0.5",
          "row 1, 2, 3 -> 1",
          "row 4, 5, 7 -> 0",
          "",
        ].join("\n"),
      );
      const m = await buildAndLoad(s, { batchShape: "blocked", kernel: "wasm" });
      const rows = 150;
      const A = precision === "f32" ? Float32Array : Float64Array;
      const raw = A.from(randomRows(rows, 3, 11));
      const ys = A.from(Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0)));
      const params = m.createParameters(3);
      m.fitPreprocessing(params, raw, rows);
      const inputs = m.preprocess(params, raw, rows);
      expect(m.evaluate(params, raw, ys, rows)).toEqual(m.evaluateInputs!(params, inputs, ys, rows));
      expect(bits(m.predictBatch!(params, raw, rows))).toEqual(bits(m.predictBatchInputs!(params, inputs, rows)));
    });
  }
});

describe("a data scale alone runs in the kernels (the c kernel)", () => {
  // The c kernel scales the chunk's raw rows in kernel memory; oracle: the TS preprocess. evaluate and predictBatch
  // over raw rows against evaluateInputs / predictBatchInputs over preprocess's output, bit for bit; the predictor
  // on a raw row against the same net's predictor without the scale on preprocess's output of that row.
  for (const precision of ["f32", "f64"] as const) {
    test(`${precision}: scale 1/255, 149 rows (pixel-like and arbitrary values), chunks of 16, and the predictor`, async () => {
      const lines = (scale: string): string =>
        [
          `precision ${precision}`,
          "layer fc 7->5 relu",
          "layer fc 5->3 softmax",
          "loss crossentropy",
          "sgd lr=0.1 epochs=1 batch=16",
          `data inline${scale}`,
          "row 1, 2, 3, 4, 5, 6, 7 -> 1",
          "row 4, 5, 7, 0, 1, 2, 3 -> 2",
          "",
        ].join("\n");
      const options = { batchShape: "blocked", kernel: "wasm" } as const;
      const scaled = spec(lines(" scale=0.00392156862745098"));
      const { text } = await compileSpec(scaled, options);
      expect(text).toContain("k.c(n)");
      expect(text).toContain("k.c(1)");
      const [m, plain] = [await buildAndLoad(scaled, options), await buildAndLoad(spec(lines("")), options)];
      const rows = 149;
      const A = precision === "f32" ? Float32Array : Float64Array;
      // 7 inputs and a last chunk of 5 rows (35 numbers), the predictor's 7: whole vectors, then the rest one by one.
      const raw = A.from(Array.from(randomRows(rows, 7, 5), (v, i) => (i % 2 === 0 ? Math.abs(Math.round(v)) % 256 : v)));
      const ys = A.from(Array.from({ length: rows * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)));
      const params = m.createParameters(4);
      const inputs = m.preprocess(params, raw, rows);
      expect(m.evaluate(params, raw, ys, rows)).toEqual(m.evaluateInputs!(params, inputs, ys, rows));
      expect(bits(m.predictBatch!(params, raw, rows))).toEqual(bits(m.predictBatchInputs!(params, inputs, rows)));
      const run = m.createPredictor!(params);
      const reference = plain.createPredictor!(params);
      for (const r of [0, 1, 77, 148]) expect(bits(run(raw.subarray(7 * r, 7 * r + 7)))).toEqual(bits(reference(inputs.subarray(7 * r, 7 * r + 7))));
    });
  }
});

/** nnc predict --json on raw rows: one output array per row. */
async function nncPredict(specPath: string, weightsPath: string, rows: string[]): Promise<{ output: number[]; class: number | null }[]> {
  const streams = captured();
  expect(await runPredict({ specPath, weightsPath, inputs: rows, json: true, streams })).toBe(0);
  return streams
    .out()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { output: number[]; class: number | null });
}

async function train(dir: string, name: string, text: string): Promise<{ specPath: string; weightsPath: string }> {
  const specPath = join(dir, `${name}.nn`);
  writeFileSync(specPath, text);
  const out = join(dir, name);
  const run = await runTraining({ specPath, out, mode: "json", streams: captured() });
  expect(run.exitCode).toBe(0);
  return { specPath, weightsPath: join(out, "weights.json") };
}

const ROWS = ["61,170", "75,185", "52,150"];
const rowsOf = (texts: string[]) => texts.map((t) => Float64Array.from(t.split(",").map(Number)));

describe("complete weights files: the module and nnc predict read each other's", { timeout: 120_000 }, () => {
  const dir = tempDir("nnc-pre-");
  for (const [name, text] of [
    ["zero-mean", readFileSync(join(ROOT, "specs", "gender.nn"), "utf8")],
    ["z-score", genderText("z-score")],
    ["min-max", genderText("min-max")],
  ] as const) {
    test(`${name}: nnc train's weights.json in the module = nnc predict on the same raw rows; the module's saveWeights in nnc predict`, async () => {
      const { specPath, weightsPath } = await train(dir, name, text);
      const m: GeneratedModule = await buildAndLoad(loadSpec(specPath));
      const params = m.loadWeights(JSON.parse(readFileSync(weightsPath, "utf8")));
      expect(params.length).toBe(m.meta.parameters + 4);
      const cli = await nncPredict(specPath, weightsPath, ROWS);
      const raw = rowsOf(ROWS);
      raw.forEach((x, i) => {
        expect(Array.from(m.predict(params, x))).toEqual(cli[i]!.output);
        expect(m.classify!(params, x).index).toBe(cli[i]!.class);
      });
      // The module's own file: everything nnc predict needs, the same outputs.
      const saved = join(dir, `${name}.module-weights.json`);
      writeFileSync(saved, JSON.stringify(m.saveWeights(params)));
      expect(await nncPredict(specPath, saved, ROWS)).toEqual(cli);
      // createPredictor over raw rows too.
      const run = m.createPredictor!(params);
      expect(Array.from(run(raw[0]!))).toEqual(cli[0]!.output);
    });
  }

  test("the module refuses a file without its normalisation, naming the field", async () => {
    const m = await buildAndLoad(spec(genderText("z-score")));
    const { normalization: _, ...bare } = m.saveWeights(m.createParameters());
    expect(() => m.loadWeights(bare)).toThrow(/no "normalization" field: this network normalises its inputs \(z_score\)/);
  });
});

describe("weights identity by meaning", { timeout: 120_000 }, () => {
  const dir = tempDir("nnc-identity-");
  test("a comment, epochs and lr keep weights loadable in nnc predict and the module; a layer size or the normalisation is refused, named", async () => {
    const original = genderText("z-score");
    const { weightsPath } = await train(dir, "original", original);
    const expected = await nncPredict(join(dir, "original.nn"), weightsPath, ROWS);
    const json = JSON.parse(readFileSync(weightsPath, "utf8")) as { networkHash: string; specHash: string };
    const edited = "# retitled, retuned\n" + original.replace("epochs=30", "epochs=500").replace("lr=0.5", "lr=0.05");
    const editedPath = join(dir, "edited.nn");
    writeFileSync(editedPath, edited);
    const editedSpec = loadSpec(editedPath);
    expect(editedSpec.sourceHash).not.toBe(json.specHash);
    expect(await nncPredict(editedPath, weightsPath, ROWS)).toEqual(expected);
    const m = await buildAndLoad(editedSpec);
    expect(m.meta.networkHash).toBe(json.networkHash);
    expect(Array.from(m.predict(m.loadWeights(json), rowsOf(ROWS)[0]!))).toEqual(expected[0]!.output);

    const refusal = async (text: string): Promise<string> => {
      const path = join(dir, "changed.nn");
      writeFileSync(path, text);
      const error = await nncPredict(path, weightsPath, ROWS).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      return (error as Error).message;
    };
    const wider = await refusal(original.replace("2->2", "2->3").replace("2->1", "3->1"));
    expect(wider).toContain("shape: layer1.weight is [2, 2] in the weights, [3, 2] in the spec");
    expect(wider).toContain("retrain with `nnc train SPEC`, or use the spec they were trained from ('original.nn'");
    const minMax = await refusal(original.replace("z-score", "min-max"));
    expect(minMax).toContain("normalisation: the weights were trained on inputs normalised z-score, the spec says min-max");
    const scaled = await refusal(genderText("z-score", 0.5));
    expect(scaled).toContain("data scale: the weights were trained on inputs scaled by 1, the spec scales by 0.5");
    const halved = await buildAndLoad(spec(genderText("z-score", 0.5)));
    expect(() => halved.loadWeights(json)).toThrow(/data scale 1 in the weights, 0\.5 in this network/);
    const relu = await refusal(original.replace("2->2 sigmoid", "2->2 relu"));
    expect(relu).toContain("network: the layout matches but a layer's settings");
    // The module names the same differences.
    const other = await buildAndLoad(spec(original.replace("z-score", "min-max")));
    expect(() => other.loadWeights(json)).toThrow(/inputs normalised z_score in the weights, min_max in this network/);
  });
});

describe("classify", () => {
  test("one sigmoid output: p ≥ 0.5 is class 1 with p, else class 0 with 1 − p; names from `classes`", async () => {
    const m = await buildAndLoad(spec(genderText("z-score", 1, "classes male, female")));
    expect(m.meta.classes).toEqual(["male", "female"]);
    const params = m.createParameters(3);
    m.fitPreprocessing(params, Float64Array.from([60.3, 165, 72.6, 183, 68.9, 178, 54.4, 152]), 4);
    let seen = 0;
    for (const x of rowsOf(["40,120", "61,170", "90,200", "75,185", "52,150", "100,100"])) {
      const p = m.predict(params, x)[0]!;
      const c = m.classify!(params, x);
      expect(c).toEqual(p >= 0.5 ? { index: 1, name: "female", probability: p } : { index: 0, name: "male", probability: 1 - p });
      seen |= 1 << c.index;
    }
    expect(seen).toBeGreaterThan(0);
  });

  test("softmax: the first largest output, its probability, 'class k' without names; no classify for a regression", async () => {
    const s = spec("model three\nlayer fc 4->5 tanh\nlayer fc 5->3 softmax\nloss crossentropy\ninit normal std=2 seed=4\n");
    const m = await buildAndLoad(s);
    const rng = createRng(9);
    const params = m.createParameters();
    const indices = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const x = Float64Array.from({ length: 4 }, () => 3 * rng.gaussian());
      const p = Array.from(m.predict(params, x));
      const c = m.classify!(params, x);
      expect(c.index).toBe(p.indexOf(Math.max(...p)));
      expect(c).toEqual({ index: c.index, name: `class ${c.index}`, probability: p[c.index] });
      indices.add(c.index);
    }
    expect(indices.size).toBeGreaterThan(1);
    const regression = await buildAndLoad(spec("model r\nlayer fc 2->1 linear\nloss mse\n"));
    expect(regression.classify).toBeUndefined();
  });
});
