// nnc export: every spec in specs/, with weights and a normalisation of its kind, runs in onnxruntime on raw
// inputs and gives what nnc predict's path gives (scale, saved normalisation, the generated module) within
// 1e-5 relative; export then import gives the same network and bit-identical weights (float32 weights with
// the default float32 tensors, any weights with --float64).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizationStats } from "../../src/data/normalize.js";
import { parseSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import type { Spec } from "../../src/ir.js";
import { importOnnx } from "../../src/onnx/import.js";
import { decodeModel, int64 } from "../../src/onnx/proto.js";
import { exportOnnx } from "../../src/onnx/write.js";
import { predictRows } from "../../src/train/predict.js";
import { maxRelativeError, randoms, runOrt } from "./support.js";

const SPECS = join(import.meta.dirname, "../../specs");
const specFiles = readdirSync(SPECS).filter((f) => f.endsWith(".nn"));

function load(file: string): Spec {
  const { spec, diagnostics } = parseSpec(readFileSync(join(SPECS, file), "utf8"), join(SPECS, file));
  if (spec === null) throw new Error(JSON.stringify(diagnostics));
  return spec;
}

/**
 * Weights as training leaves them: every parameter non-zero, biases too (at the scale of a Xavier draw,
 * 2.4/√(fan-in + fan-out), so outputs are not saturated), and a normalisation of the spec's kind.
 */
function trainedLike(spec: Spec, params: Float64Array, seed: number): NormalizationStats {
  const r = randoms(seed);
  let offset = 0;
  for (const layer of spec.layers) {
    if (layer.kind !== "dense") continue;
    const amplitude = 2.4 / Math.sqrt(layer.inputs + layer.outputs);
    for (let k = 0; k < layer.outputs * (layer.inputs + 1); k++) params[offset++] = amplitude * r();
  }
  if (offset !== params.length) throw new Error("only dense layers have parameters here");
  const kind = spec.data?.normalize ?? "none";
  const n = spec.inputs;
  if (kind === "none") return { kind, offset: new Array<number>(n).fill(0), scale: new Array<number>(n).fill(1) };
  return { kind, offset: Array.from({ length: n }, () => 3 * r()), scale: Array.from({ length: n }, () => (kind === "zero_mean" ? 1 : 0.5 + Math.abs(r()))) };
}

/** Raw rows as the spec's data would hold them: pixels 0–255 where the spec scales by 1/255. */
function rawRows(spec: Spec, rows: number, seed: number): Float64Array {
  const r = randoms(seed);
  const scale = spec.data?.scale ?? 1;
  return Float64Array.from({ length: rows * spec.inputs }, () => (scale < 0.1 ? Math.round(255 * (r() + 0.5)) : 4 * r()));
}

describe("nnc export of every spec in specs/", () => {
  it("finds the specs", () => expect(specFiles.length).toBeGreaterThanOrEqual(10));

  for (const file of specFiles) {
    it(`${file}: onnxruntime on raw inputs = nnc predict within 1e-5 relative`, async () => {
      const spec = load(file);
      const module = await buildAndLoad(spec);
      const params = new Float64Array(module.meta.parameters);
      const normalization = trainedLike(spec, params, 7);
      const bytes = exportOnnx({ spec, params, normalization });
      const rows = 5;
      const raw = rawRows(spec, rows, 11);
      const expected = predictRows(
        module,
        module.meta.precision === "f32" ? Float32Array.from(params) : params,
        normalization,
        spec.data?.scale ?? 1,
        raw,
        rows,
      );
      const ort = await runOrt(bytes, raw, [rows, spec.inputs]);
      const nnc = expected.flatMap((p) => p.output);
      expect(maxRelativeError(nnc, ort)).toBeLessThan(1e-5);

      // The preprocessing is explicit ops at the front, and the model says what it was made from.
      const m = decodeModel(bytes);
      const ops = m.graph!.node!.map((n) => n.op_type);
      const scaled = (spec.data?.scale ?? 1) !== 1;
      const kind = normalization.kind;
      expect(ops.slice(0, 3).filter((op) => op === "Mul" || op === "Sub" || op === "Div")).toEqual([
        ...(scaled ? ["Mul"] : []),
        ...(kind !== "none" ? ["Sub"] : []),
        ...(kind === "min_max" || kind === "z_score" ? ["Div"] : []),
      ]);
      expect(int64(m.opset_import![0]!.version)).toBe(13);
      expect(Object.fromEntries(m.metadata_props!.map((p) => [p.key, p.value]))).toMatchObject({ "nnc.model": spec.name, "nnc.specHash": spec.sourceHash });
    });
  }
});

describe("export → import round trip", () => {
  for (const file of ["planar.nn", "fashion.nn", "gender.nn", "letters.nn"]) {
    it(`${file}: same layers, bit-identical weights and normalisation (float32 weights, and any weights with --float64)`, () => {
      const spec = load(file);
      const params = new Float64Array(spec.layers.reduce((n, l) => n + (l.kind === "dense" ? l.outputs * (l.inputs + 1) : 0), 0));
      const normalization = trainedLike(spec, params, 3);
      const f32 = params.map(Math.fround);
      const back = importOnnx(exportOnnx({ spec, params: f32, normalization }), `${spec.name}.onnx`);
      expect(back.name).toBe(spec.name);
      expect(back.spec.layers.map(({ range: _, ...l }) => l)).toEqual(spec.layers.map(({ range: _, ...l }) => l));
      expect(back.weights.values).toEqual(Array.from(f32));
      const exact = importOnnx(exportOnnx({ spec, params, normalization, float64: true }), `${spec.name}.onnx`);
      expect(exact.weights.values).toEqual(Array.from(params));
      expect(exact.weights.values).not.toEqual(back.weights.values); // the control: float32 did round them
      if ((spec.data?.scale ?? 1) === 1) {
        expect(exact.weights.normalization).toEqual(normalization.kind === "none" ? back.weights.normalization : normalization);
      }
    });
  }
});
