// Inputs that used to reach NN099 (an internal error in a check) get the user-facing diagnostic instead.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";

const planar = readFileSync("specs/planar.nn", "utf8");
const codes = (source: string, variables?: Record<string, number>) => parseSpec(source, "p.nn", variables ? { variables } : {}).diagnostics.map((d) => d.code);

describe("no internal errors", () => {
  for (const value of [NaN, Infinity, -Infinity]) {
    it(`a variable override H=${value} is NN017 (not a valid size) at each use, not a planner crash`, () => {
      expect(codes(planar, { H: value })).toEqual(["NN017", "NN017"]);
    });
  }

  for (const word of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    it(`\`data ${word} "x.npy"\` is an unknown data kind (NN006), not NN099`, () => {
      const source = `data ${word} "x.npy"\n${planar.replace(/^data .*$/m, "")}`;
      expect(codes(source)).toContain("NN006");
      expect(codes(source)).not.toContain("NN099");
    });
  }
});
