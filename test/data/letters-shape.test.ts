// The letters generator's files (`nnc data letters`) as a CNN reads them (`input 1x17x17`) and as the course's
// MLP does (`input 289`): the same rows either way, and a wrong image shape refused.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { writeLettersDataset } from "../../src/commands/data.js";
import { loadData } from "../../src/data/load.js";
import { readNpy } from "../../src/data/npy.js";
import { userErrorOf } from "./errors.js";
import { tempDir } from "./fixtures.js";
import { imageSpecWith, specWith } from "./spec.js";

const DEJAVU = "/usr/share/fonts/truetype/dejavu";

describe("letters files", () => {
  const dir = tempDir();
  writeLettersDataset({ out: dir, train: 52, val: 26, seed: 3, fonts: [DEJAVU] });
  const source = { kind: "npy", features: "train-x.npy", labels: "train-y.npy", range: null } as const;
  const test = { kind: "npy", features: "val-x.npy", labels: "val-y.npy", range: null } as const;

  it("are written as (N, 17, 17) images", () => {
    expect(readNpy(join(dir, "train-x.npy")).shape).toEqual([52, 17, 17]);
    expect(readNpy(join(dir, "val-x.npy")).shape).toEqual([26, 17, 17]);
  });
  it("read as 1×17×17 and as 289 flat inputs give the same rows", () => {
    const image = loadData(imageSpecWith([1, 17, 17], 26, "categorical_crossentropy", source, { test }), dir);
    const flat = loadData(specWith(289, 26, "categorical_crossentropy", source, { test }), dir);
    expect(image.train.inputs).toBe(289);
    expect(image.test!.count).toBe(26);
    expect([...image.train.features]).toEqual([...flat.train.features]);
    expect([...image.train.labels!]).toEqual([...flat.train.labels!]);
    // Row-major with row 0 at the top: the pixels of a row are contiguous, as readNpy gives them.
    expect([...image.train.features.subarray(17, 34)]).toEqual([...readNpy(join(dir, "train-x.npy")).data.subarray(17, 34)]);
  });
  it("another image shape is refused, naming the file", () => {
    expect(userErrorOf(() => loadData(imageSpecWith([17, 17, 1], 26, "categorical_crossentropy", source), dir))).toBe(
      `${join(dir, "train-x.npy")}: features are 52 × 17 × 17, the spec's input is 17x17x1 (289 numbers per sample); ` +
        "the numbers per sample agree, the layout does not: save it as (N, 17, 17, 1) or (N, 289)",
    );
  });
});
