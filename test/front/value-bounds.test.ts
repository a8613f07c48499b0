// Values that would silently mean something else are range errors (issue 21): seeds are 32-bit (the
// generators take `seed >>> 0`: 2^32 would be seed 0, 1e300 another seed), and epochs are bounded (a
// loop of 1e300 epochs never ends).
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";

const NET = "model v\nlayer fc 2->1 sigmoid\nloss crossentropy\n";
const codesAt = (source: string) => parseSpec(NET + source, "v.nn").diagnostics.map((d) => `${d.code}@${d.range.startLine}:${d.range.startColumn}`);

describe("seeds and epochs out of range", () => {
  it.each([
    ["sgd lr=0.1 seed=4294967296", "NN012@4:17"],
    ["sgd lr=0.1 seed=1e300", "NN012@4:17"],
    ["sgd lr=0.1 epochs=1e300", "NN012@4:19"],
    ["sgd lr=0.1 epochs=1000000001", "NN012@4:19"],
    ["init normal seed=4294967296", "NN012@4:18"],
    ["data planar\nsplit 0.2 seed=99999999999", "NN012@5:16"],
  ])("%s is NN012 at the value's option", (line, expected) => {
    expect(codesAt(line + "\n")).toContain(expected);
  });

  it.each(["sgd lr=0.1 seed=4294967295 epochs=1000000000", "init normal seed=0", "data planar\nsplit 0.2 seed=4294967295"])("%s is accepted", (line) => {
    expect(codesAt(line + "\n")).toEqual([]);
  });
});
