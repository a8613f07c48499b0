// Weights JSON: round trip, and refusal of another network's weights with a message naming what differs.
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/interpreter/index.js";
import { makeSpec } from "./spec-builder.js";

const spec = makeSpec({
  layers: [
    [1, 2, "tanh"],
    [2, 1, "linear"],
  ],
  loss: "mse",
  name: "net",
  hash: "aaa",
});
const m = interpret(spec);

describe("weights", () => {
  it("round-trips through JSON text", () => {
    const params = m.createParameters(3);
    const json = JSON.parse(JSON.stringify(m.saveWeights(params)));
    expect(json).toMatchObject({ format: "nnc-weights", version: 1, model: "net", specHash: "aaa", precision: "f64", parameters: 7 });
    expect(Array.from(m.loadWeights(json))).toEqual(Array.from(params));
  });

  const saved = () => JSON.parse(JSON.stringify(m.saveWeights(m.createParameters())));

  it.each([
    ["not an object", () => 42, /not a JSON object/],
    ["another format", () => ({ ...saved(), format: "keras" }), /format/],
    ["another model", () => ({ ...saved(), model: "other" }), /model "other"/],
    ["another network hash", () => ({ ...saved(), networkHash: "bbb" }), /network hash bbb/],
    ["another parameter count", () => ({ ...saved(), parameters: 8 }), /parameter count 8/],
    ["a missing value", () => ({ ...saved(), values: saved().values.slice(1) }), /6 values, expected 7/],
    ["a non-number value", () => ({ ...saved(), values: [...saved().values.slice(1), "x"] }), /value 6/],
  ])("refuses %s", (_what, make, message) => {
    expect(() => m.loadWeights(make())).toThrow(message);
  });

  it("accepts another spec hash: it is provenance only (identity by meaning: the network hash)", () => {
    const params = m.createParameters(4);
    expect(Array.from(m.loadWeights({ ...JSON.parse(JSON.stringify(m.saveWeights(params))), specHash: "bbb" }))).toEqual(Array.from(params));
  });

  it("refuses weights of a network with the same name, hash and parameter count but another layout", () => {
    // 2 → 1 → 2 also has 7 parameters.
    const other = interpret(
      makeSpec({
        layers: [
          [2, 1, "tanh"],
          [1, 2, "linear"],
        ],
        loss: "mse",
        name: "net",
        hash: "aaa",
      }),
    );
    const json = JSON.parse(JSON.stringify(other.saveWeights(other.createParameters())));
    expect(() => m.loadWeights(json)).toThrow(/layout tensor 1 is layer1.weight \[1×2\] at 0, this module has layer1.weight \[2×1\] at 0/);
  });
});
