// A loss term factored for a batch-wide pass (LossMath.batchTerm, src/maths.ts) must be the term itself, letter
// for letter, once its part is put back: the fused blocked body computes `part` for a whole block (in f64x2,
// src/emit/wasm/elementary.ts) and `rest` per sample, and claims the interpreter's bits for the loss.
import { describe, expect, it } from "vitest";
import { LOSSES, substitute } from "../../src/maths.js";

describe("loss terms factored for batch-wide passes", () => {
  const factored = Object.entries(LOSSES).filter(([, loss]) => loss.batchTerm !== undefined);
  it("binary cross-entropy is one of them", () => {
    expect(factored.map(([kind]) => kind)).toContain("binary_crossentropy");
  });
  for (const [kind, loss] of factored) {
    it(`${kind}: rest with t = part is the term's text`, () => {
      const { part, rest } = loss.batchTerm!;
      expect(rest.variables).toContain("t");
      expect(substitute(rest.text, { t: part.text })).toBe(loss.term.text);
    });
  }
});
