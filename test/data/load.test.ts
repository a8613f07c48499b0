import { describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadData } from "../../src/data/load.js";
import { userErrorOf } from "./errors.js";
import { f64le, i64le, idxBytes, npyBytes, tempDir, write } from "./fixtures.js";
import { range, specWith } from "./spec.js";

const npySource = { kind: "npy", features: "x.npy", labels: "y.npy", range: null } as const;

describe("loadData: npy pairs", () => {
  it("loads features and class indices, one-hot for several outputs, relative to baseDir", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [3, 2], f64le([1, 2, 3, 4, 5, 6])));
    write(dir, "y.npy", npyBytes("<i8", [3], i64le([2, 0, 1])));
    const { train, test } = loadData(specWith(2, 3, "categorical_crossentropy", npySource), dir);
    expect(test).toBeNull();
    expect(train.count).toBe(3);
    expect([...train.features]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...train.targets]).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect([...train.labels!]).toEqual([2, 0, 1]);
    expect(train.source).toBe(join(dir, "x.npy"));
  });
  it("a single output keeps the raw value; labels only when every value is 0 or 1", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [2], f64le([1, 2])));
    write(dir, "y.npy", npyBytes("<f8", [2, 1], f64le([0.25, 4])));
    const reg = loadData(specWith(1, 1, "mse", npySource), dir).train;
    expect([...reg.targets]).toEqual([0.25, 4]);
    expect(reg.labels).toBeNull();
    write(dir, "y.npy", npyBytes("<f8", [2], f64le([1, 0])));
    expect([...loadData(specWith(1, 1, "binary_crossentropy", npySource), dir).train.labels!]).toEqual([1, 0]);
  });
  it("multi-dimensional features are flattened per row", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [1, 2, 2], f64le([1, 2, 3, 4])));
    write(dir, "y.npy", npyBytes("<f8", [1], f64le([1])));
    expect(loadData(specWith(4, 2, "categorical_crossentropy", npySource), dir).train.inputs).toBe(4);
  });
  it("labels out of range, negative or fractional name the labels file and the element", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [3, 1], f64le([1, 2, 3])));
    const spec = specWith(1, 3, "categorical_crossentropy", npySource);
    for (const [labels, bad] of [
      [[0, 3, 1], "element 1: label 3"],
      [[0, 1, -1], "element 2: label -1"],
      [[0.5, 1, 1], "element 0: label 0.5"],
    ] as const) {
      write(dir, "y.npy", npyBytes("<f8", [3], f64le([...labels])));
      expect(userErrorOf(() => loadData(spec, dir))).toBe(`${join(dir, "y.npy")}: ${bad} is not a class index 0..2 (the model has 3 outputs)`);
    }
  });
  it("binary cross-entropy targets outside [0, 1] are refused", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [2, 1], f64le([1, 2])));
    write(dir, "y.npy", npyBytes("<f8", [2], f64le([1, 2])));
    expect(userErrorOf(() => loadData(specWith(1, 1, "binary_crossentropy", npySource), dir))).toMatch(/y\.npy: element 1: target 2 is outside \[0, 1\]/);
  });
  it("feature width and label width mismatches say both numbers", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [2, 3], f64le([1, 2, 3, 4, 5, 6])));
    write(dir, "y.npy", npyBytes("<f8", [2, 2], f64le([0, 1, 1, 0])));
    expect(userErrorOf(() => loadData(specWith(2, 2, "mse", npySource), dir))).toMatch(/x\.npy: each row has 3 feature values, but the model takes 2 inputs/);
    expect(userErrorOf(() => loadData(specWith(3, 4, "mse", npySource), dir))).toMatch(/y\.npy: 2 target values per row, but the model has 4 outputs/);
  });
  it("features and labels of different lengths are refused", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [3, 1], f64le([1, 2, 3])));
    write(dir, "y.npy", npyBytes("<f8", [2], f64le([0, 1])));
    expect(userErrorOf(() => loadData(specWith(1, 1, "mse", npySource), dir))).toMatch(/y\.npy: 2 labels, but .*x\.npy has 3 rows/);
  });
  it("a directory or a missing labels file is refused before anything else", () => {
    const dir = tempDir();
    write(dir, "x.npy", npyBytes("<f8", [1, 1], f64le([1])));
    expect(userErrorOf(() => loadData(specWith(1, 1, "mse", npySource), dir))).toMatch(/y\.npy: cannot read.*no such file/);
    mkdirSync(join(dir, "y.npy"));
    expect(userErrorOf(() => loadData(specWith(1, 1, "mse", npySource), dir))).toMatch(/y\.npy: .*must be a file/);
  });
});

describe("loadData: other sources, scale and split", () => {
  it("CSV labels out of range name the line", () => {
    const dir = tempDir();
    write(dir, "d.csv", "a,b,y\n1,2,0\n3,4,1\n5,6,7\n");
    const spec = specWith(2, 3, "categorical_crossentropy", { kind: "csv", path: "d.csv", label: "y", header: true, range: null });
    expect(userErrorOf(() => loadData(spec, dir))).toBe(`${join(dir, "d.csv")}: line 4: label 7 is not a class index 0..2 (the model has 3 outputs)`);
  });
  it("IDX images and labels load with scale 1/255", () => {
    const dir = tempDir();
    write(dir, "img", idxBytes(0x08, [2, 1, 2], new Uint8Array([0, 255, 51, 102]), true));
    write(dir, "lab", idxBytes(0x08, [2], new Uint8Array([1, 0])));
    const spec = specWith(2, 2, "categorical_crossentropy", { kind: "idx", images: "img", labels: "lab", range: null }, { scale: 1 / 255 });
    const { train } = loadData(spec, dir);
    expect([...train.features]).toEqual([0, 1, 0.2, 0.4]);
    expect([...train.targets]).toEqual([0, 1, 1, 0]);
  });
  it("inline rows: class index or values; a ragged row names its line", () => {
    const rows = [
      { inputs: [-2, -1], targets: [1], range: range(4, 6) },
      { inputs: [25, 6], targets: [0], range: range(5, 6) },
    ];
    const { train } = loadData(specWith(2, 1, "binary_crossentropy", { kind: "inline", rows, range: range(3, 1) }), "/nowhere");
    expect([...train.features]).toEqual([-2, -1, 25, 6]);
    expect([...train.labels!]).toEqual([1, 0]);
    const ragged = [...rows, { inputs: [1], targets: [0], range: range(6, 6) }];
    expect(userErrorOf(() => loadData(specWith(2, 1, "mse", { kind: "inline", rows: ragged, range: range(3, 1) }), "."))).toMatch(
      /^t\.nn:6:6: inline row 3 has 1 inputs/,
    );
  });
  it("a seeded split is reproducible, disjoint and complete", () => {
    const planar = { kind: "builtin", name: "planar", options: {}, range: null } as const;
    const spec = specWith(2, 1, "binary_crossentropy", planar, { split: 0.25, splitSeed: 7 });
    const a = loadData(spec, ".");
    const b = loadData(spec, ".");
    expect(a.train.count).toBe(300);
    expect(a.test!.count).toBe(100);
    expect([...a.test!.features]).toEqual([...b.test!.features]);
    const c = loadData(specWith(2, 1, "binary_crossentropy", planar, { split: 0.25, splitSeed: 8 }), ".");
    expect([...c.test!.features]).not.toEqual([...a.test!.features]);
    // Every original row appears exactly once across the two parts.
    const whole = loadData(specWith(2, 1, "binary_crossentropy", planar), ".").train;
    const key = (f: Float64Array, r: number) => `${f[2 * r]},${f[2 * r + 1]}`;
    const all = new Set(Array.from({ length: whole.count }, (_, r) => key(whole.features, r)));
    const parts = [...Array.from({ length: 300 }, (_, r) => key(a.train.features, r)), ...Array.from({ length: 100 }, (_, r) => key(a.test!.features, r))];
    expect(new Set(parts).size).toBe(400);
    for (const p of parts) expect(all.has(p)).toBe(true);
  });
  it("a split that leaves no test rows is refused; a spec without data is refused", () => {
    const square = { kind: "builtin", name: "square", options: { n: 3 }, range: null } as const;
    expect(userErrorOf(() => loadData(specWith(1, 1, "mse", square, { split: 0.1 }), "."))).toMatch(/split 0\.1 of 3 rows leaves no test rows/);
    expect(userErrorOf(() => loadData({ ...specWith(1, 1, "mse", square), data: null }, "."))).toMatch(/no data statement/);
  });
  it("unknown built-in options and shape mismatches are refused", () => {
    const bad = { kind: "builtin", name: "planar", options: { petal: 3 }, range: range(2, 1) } as const;
    expect(userErrorOf(() => loadData(specWith(2, 1, "mse", bad), "."))).toBe(
      "t.nn:2:1: unknown option 'petal' for built-in data planar (known: n, noise, petals, seed)",
    );
    const square = { kind: "builtin", name: "square", options: {}, range: null } as const;
    expect(userErrorOf(() => loadData(specWith(2, 1, "mse", square), "."))).toMatch(
      /builtin square: each row has 1 feature value, but the model takes 2 inputs/,
    );
  });
});
