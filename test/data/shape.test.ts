// Image inputs (`input C×H×W`): every source gives flat C-major rows, and loadData checks the file's
// per-sample shape against the spec's input shape (src/data/shape.ts). Flat specs read as before.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadData } from "../../src/data/load.js";
import { userErrorOf } from "./errors.js";
import { f64le, i64le, idxBytes, npyBytes, tempDir, write } from "./fixtures.js";
import { imageSpecWith, range, specWith } from "./spec.js";

const npySource = { kind: "npy", features: "x.npy", labels: "y.npy", range: null } as const;
const idxSource = { kind: "idx", images: "images-idx3-ubyte", labels: "labels-idx1-ubyte", range: null } as const;

/** count samples of `numbers` distinct values each: 0, 1, 2, … (so any reordering shows). */
const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

/** An npy pair in a fresh folder: features of `shape` holding 0, 1, 2, … and one label 0 per sample. */
function npyPair(shape: number[]): string {
  const dir = tempDir();
  const total = shape.reduce((a, b) => a * b, 1);
  write(dir, "x.npy", npyBytes("<f8", shape, f64le(iota(total))));
  write(dir, "y.npy", npyBytes("<i8", [shape[0]!], i64le(new Array(shape[0]!).fill(0))));
  return dir;
}

describe("image specs read .npy features as (N, C, H, W), (N, H, W) or flat (N, C·H·W)", () => {
  it("every accepted layout gives the same flat C-major rows", () => {
    // A 2-channel 2×3 image: numpy's C order is channel, then row, then column, which is PyTorch's NCHW flattening.
    const spec = imageSpecWith([2, 2, 3], 2, "categorical_crossentropy", npySource);
    const fourD = loadData(spec, npyPair([2, 2, 2, 3])).train;
    const flat = loadData(spec, npyPair([2, 12])).train;
    expect(fourD.inputs).toBe(12);
    expect([...fourD.features]).toEqual(iota(24));
    expect([...flat.features]).toEqual([...fourD.features]);
    // Element [n=1, c=1, y=0, x=2] of the 4-D file is row 1, position c·H·W + y·W + x = 6 + 0 + 2.
    expect(fourD.features[1 * 12 + 1 * 6 + 0 * 3 + 2]).toBe(12 + 8);
  });
  it("(N, H, W) is one channel", () => {
    const train = loadData(imageSpecWith([1, 3, 2], 2, "categorical_crossentropy", npySource), npyPair([4, 3, 2])).train;
    expect(train.count).toBe(4);
    expect([...train.features.subarray(6, 12)]).toEqual([6, 7, 8, 9, 10, 11]);
  });
  it("a shape that does not fit names the file, its shape and the expected C×H×W", () => {
    const cases: [number[], number[], string][] = [
      [[5, 28, 27], [1, 28, 28], "features are 5 × 28 × 27, the spec's input is 1x28x28 (784 numbers per sample)"],
      [[5, 783], [1, 28, 28], "features are 5 × 783 (783 numbers per sample), the spec's input is 1x28x28 (784 numbers per sample)"],
      [[5, 3, 4, 4], [1, 4, 4], "features are 5 × 3 × 4 × 4, the spec's input is 1x4x4 (16 numbers per sample)"],
      [[5], [1, 1, 2], "features are 5 numbers, one per sample, the spec's input is 1x1x2 (2 numbers per sample)"],
      // An H × W sample is one channel, so it cannot fill three.
      [[5, 4, 4], [3, 4, 4], "features are 5 × 4 × 4, the spec's input is 3x4x4 (48 numbers per sample); an H × W sample is read as 1 channel"],
      // The right count of numbers in another layout is refused (it would silently mix rows and channels), with the layouts that fit.
      [
        [5, 4, 7],
        [1, 7, 4],
        "features are 5 × 4 × 7, the spec's input is 1x7x4 (28 numbers per sample); the numbers per sample agree, the layout does not: save it as (N, 1, 7, 4), (N, 7, 4) or (N, 28)",
      ],
      [
        [5, 2, 3, 4],
        [3, 2, 4],
        "features are 5 × 2 × 3 × 4, the spec's input is 3x2x4 (24 numbers per sample); the numbers per sample agree, the layout does not: save it as (N, 3, 2, 4) or (N, 24)",
      ],
    ];
    for (const [file, input, message] of cases) {
      const dir = npyPair(file);
      expect(userErrorOf(() => loadData(imageSpecWith(input, 2, "categorical_crossentropy", npySource), dir))).toBe(`${join(dir, "x.npy")}: ${message}`);
    }
  });
  it("a separate test file is checked the same way", () => {
    const dir = npyPair([3, 2, 2]);
    write(dir, "tx.npy", npyBytes("<f8", [1, 2, 3], f64le(iota(6))));
    write(dir, "ty.npy", npyBytes("<i8", [1], i64le([0])));
    const spec = imageSpecWith([1, 2, 2], 2, "categorical_crossentropy", npySource, {
      test: { kind: "npy", features: "tx.npy", labels: "ty.npy", range: null },
    });
    expect(userErrorOf(() => loadData(spec, dir))).toBe(`${join(dir, "tx.npy")}: features are 1 × 2 × 3, the spec's input is 1x2x2 (4 numbers per sample)`);
  });
});

describe("IDX images", () => {
  function idxPair(dims: number[]): string {
    const dir = tempDir();
    const total = dims.reduce((a, b) => a * b, 1);
    write(dir, idxSource.images, idxBytes(0x08, dims, new Uint8Array(iota(total))));
    write(dir, idxSource.labels, idxBytes(0x08, [dims[0]!], new Uint8Array(dims[0]!)));
    return dir;
  }
  it("N × H × W images are 1 × H × W, in the file's pixel order", () => {
    const train = loadData(imageSpecWith([1, 4, 5], 10, "categorical_crossentropy", idxSource), idxPair([3, 4, 5])).train;
    expect(train.inputs).toBe(20);
    expect([...train.features]).toEqual(iota(60));
  });
  it("images of another size are refused with both shapes", () => {
    const dir = idxPair([3, 4, 5]);
    expect(userErrorOf(() => loadData(imageSpecWith([1, 5, 4], 10, "categorical_crossentropy", idxSource), dir))).toMatch(
      new RegExp(
        `^${join(dir, idxSource.images)}: features are 3 × 4 × 5, the spec's input is 1x5x4 \\(20 numbers per sample\\); the numbers per sample agree`,
      ),
    );
    expect(userErrorOf(() => loadData(imageSpecWith([1, 28, 28], 10, "categorical_crossentropy", idxSource), dir))).toBe(
      `${join(dir, idxSource.images)}: features are 3 × 4 × 5, the spec's input is 1x28x28 (784 numbers per sample)`,
    );
  });
  it("a flat spec still reads them flattened (the MLP path)", () => {
    const train = loadData(specWith(20, 10, "categorical_crossentropy", idxSource), idxPair([3, 4, 5])).train;
    expect([...train.features]).toEqual(iota(60));
    expect(userErrorOf(() => loadData(specWith(21, 10, "categorical_crossentropy", idxSource), idxPair([3, 4, 5])))).toMatch(
      /images-idx3-ubyte: each row has 20 feature values, but the model takes 21 inputs$/,
    );
  });
});

describe("flat sources fit any shape of their size", () => {
  it("CSV rows of C·H·W numbers", () => {
    const dir = tempDir();
    write(dir, "d.csv", "1,2,3,4,5,6,7,8,0\n8,7,6,5,4,3,2,1,1\n");
    const csv = { kind: "csv", path: "d.csv", label: 8, header: false, range: null } as const;
    const train = loadData(imageSpecWith([2, 2, 2], 2, "categorical_crossentropy", csv), dir).train;
    expect([...train.features]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(userErrorOf(() => loadData(imageSpecWith([1, 3, 3], 2, "categorical_crossentropy", csv), dir))).toBe(
      `${join(dir, "d.csv")}: features are 2 × 8 (8 numbers per sample), the spec's input is 1x3x3 (9 numbers per sample)`,
    );
  });
  it("inline rows", () => {
    const rows = [
      { inputs: [1, 0, 0, 1], targets: [1], range: range(4, 1) },
      { inputs: [0, 1, 1, 0], targets: [0], range: range(5, 1) },
    ];
    const inline = { kind: "inline", rows, range: range(3, 1) } as const;
    expect([...loadData(imageSpecWith([1, 2, 2], 1, "binary_crossentropy", inline), ".").train.features]).toEqual([1, 0, 0, 1, 0, 1, 1, 0]);
    expect(userErrorOf(() => loadData(imageSpecWith([1, 2, 3], 1, "binary_crossentropy", inline), "."))).toBe(
      "t.nn (inline data): features are 2 × 4 (4 numbers per sample), the spec's input is 1x2x3 (6 numbers per sample)",
    );
  });
});

describe("flat specs are unchanged", () => {
  it("3-D and 4-D .npy features are flattened, whatever their layout", () => {
    for (const shape of [
      [2, 3, 4],
      [2, 2, 3, 2],
      [2, 12],
    ]) {
      const train = loadData(specWith(12, 2, "categorical_crossentropy", npySource), npyPair(shape)).train;
      expect([...train.features]).toEqual(iota(24));
    }
  });
  it("a Spec without inputShape (made before the IR had one) is read flat", () => {
    const { inputShape: _, ...old } = specWith(12, 2, "categorical_crossentropy", npySource);
    expect(loadData(old as never, npyPair([2, 3, 4])).train.inputs).toBe(12);
  });
});
