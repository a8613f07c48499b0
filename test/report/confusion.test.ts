// The confusion matrix against an independent count: for each (true, predicted) pair, the rows that have
// it, counted by filtering (not by the indexed increment the module does), on random labels; per-class
// accuracy and precision against their definitions; the text table names every class.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { confusionMatrix, formatConfusion } from "../../src/report/confusion.js";

describe("confusionMatrix", () => {
  it("counts each (true, predicted) pair as filtering the rows does, on 300 random label sets", () => {
    const labels = fc
      .integer({ min: 1, max: 6 })
      .chain((k) => fc.tuple(fc.constant(k), fc.array(fc.tuple(fc.integer({ min: 0, max: k - 1 }), fc.integer({ min: 0, max: k - 1 })), { maxLength: 60 })));
    fc.assert(
      fc.property(labels, ([k, pairs]) => {
        const names = Array.from({ length: k }, (_, i) => `c${i}`);
        const m = confusionMatrix(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
          names,
        );
        for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) expect(m.counts[t]![p]).toBe(pairs.filter(([a, b]) => a === t && b === p).length);
        expect(m.correct).toBe(pairs.filter(([a, b]) => a === b).length);
        expect(m.total).toBe(pairs.length);
        m.perClass.forEach((c, i) => {
          const rows = pairs.filter(([a]) => a === i);
          const predicted = pairs.filter(([, b]) => b === i);
          expect(c.support).toBe(rows.length);
          expect(c.predicted).toBe(predicted.length);
          expect(c.accuracy).toBe(rows.length === 0 ? null : rows.filter(([, b]) => b === i).length / rows.length);
          expect(c.precision).toBe(predicted.length === 0 ? null : predicted.filter(([a]) => a === i).length / predicted.length);
        });
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it("refuses a class index outside the names (a bug, not a user error)", () => {
    expect(() => confusionMatrix([0, 2], [0, 1], ["a", "b"])).toThrow(/outside 0…1/);
    expect(() => confusionMatrix([0], [0, 1], ["a", "b"])).toThrow(/1 true labels but 2 predictions/);
  });

  it("prints a table with every class name on both axes, then one line per class", () => {
    const text = formatConfusion(confusionMatrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], ["setosa", "Iris virginica"]));
    const lines = text.trimEnd().split("\n");
    expect(lines[1]!.trim().split(/\s{2,}/)).toEqual(["setosa", "Iris virginica"]);
    expect(lines[2]!.trim().split(/\s{2,}/)).toEqual(["setosa", "1", "1"]);
    expect(lines[3]!.trim().split(/\s{2,}/)).toEqual(["Iris virginica", "1", "2"]);
    expect(text).toContain("setosa: 50.0% of 2 rows, precision 50.0% of 2");
    expect(text).toContain("Iris virginica: 66.7% of 3 rows, precision 66.7% of 3");
  });

  it("leaves the matrix out past 12 classes but keeps every class's line", () => {
    const names = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
    const text = formatConfusion(confusionMatrix([0, 25], [0, 24], names));
    expect(text).not.toContain("confusion matrix");
    expect(text).toContain("Z: 0.0% of 1 rows");
    expect(text).toContain("C: — of 0 rows");
  });
});
