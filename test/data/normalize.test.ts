import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/data/dataset.js";
import { applyNormalization, fitNormalization, parseNormalizationStats } from "../../src/data/normalize.js";
import { userErrorOf } from "./errors.js";

function dataset(rows: number[][]): Dataset {
  return {
    features: new Float64Array(rows.flat()),
    targets: new Float64Array(rows.length),
    count: rows.length,
    inputs: rows[0]!.length,
    outputs: 1,
    labels: null,
    source: "t",
  };
}

// Training rows: feature 0 = 1, 2, 3, 6 (mean 3, population std sqrt(3.5), min 1, max 6); feature 1 constant 5.
const train = dataset([
  [1, 5],
  [2, 5],
  [3, 5],
  [6, 5],
]);

describe("normalisation", () => {
  it("fits hand-computed statistics on the training rows", () => {
    expect(fitNormalization("none", train)).toEqual({ kind: "none", offset: [0, 0], scale: [1, 1] });
    expect(fitNormalization("zero_mean", train)).toEqual({ kind: "zero_mean", offset: [3, 5], scale: [1, 1] });
    expect(fitNormalization("min_max", train)).toEqual({ kind: "min_max", offset: [1, 5], scale: [5, 1] });
    const z = fitNormalization("z_score", train);
    expect(z.offset).toEqual([3, 5]);
    expect(z.scale[0]).toBeCloseTo(Math.sqrt(3.5), 14);
    expect(z.scale[1]).toBe(1); // zero variance: centred, not scaled
  });
  it("z-score makes the training features mean 0, variance 1; a constant feature becomes 0", () => {
    const stats = fitNormalization("z_score", train);
    const f = train.features.slice();
    applyNormalization(stats, f, 4, 2);
    const col0 = [f[0]!, f[2]!, f[4]!, f[6]!];
    expect(col0.reduce((a, b) => a + b) / 4).toBeCloseTo(0, 14);
    expect(col0.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 14);
    expect([f[1], f[3], f[5], f[7]]).toEqual([0, 0, 0, 0]);
  });
  it("train statistics are applied to test rows (no refit), and survive a JSON round trip", () => {
    const stats = JSON.parse(JSON.stringify(fitNormalization("min_max", train)));
    const parsed = parseNormalizationStats(stats, 2, "w.json");
    const test = new Float64Array([11, 5, 1, 7]);
    applyNormalization(parsed, test, 2, 2);
    // (11 − 1) / 5 = 2 lies outside [0, 1]: test data is not refitted.
    expect([...test]).toEqual([2, 0, 0, 2]);
  });
  it("refuses statistics of the wrong width or with a zero scale", () => {
    const stats = fitNormalization("z_score", train);
    expect(userErrorOf(() => applyNormalization(stats, new Float64Array(3), 1, 3))).toMatch(/for 2 inputs, but the data has 3/);
    expect(userErrorOf(() => parseNormalizationStats({ kind: "z_score", offset: [0, 0], scale: [1, 0] }, 2, "w.json"))).toMatch(/^w\.json: normalisation/);
    expect(userErrorOf(() => parseNormalizationStats({ kind: "other", offset: [0], scale: [1] }, 1, "w.json"))).toMatch(/kind/);
  });
});
