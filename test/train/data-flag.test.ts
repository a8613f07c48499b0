// --data: the loader is picked by extension, paths resolve against the current folder, bad forms are named.
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { dataSourceFromFlag, withTrainingSource } from "../../src/train/data-flag.js";
import { parseInputRow } from "../../src/train/predict.js";

const { spec } = parseSpec("model m\nlayer fc 2->1 sigmoid\nsgd lr=0.1 epochs=1\n", "m.nn");

describe("--data", () => {
  test("npy pair, csv with label, idx pair", () => {
    expect(dataSourceFromFlag("x.npy,y.npy", spec!)).toEqual({ kind: "npy", features: resolve("x.npy"), labels: resolve("y.npy"), range: null });
    expect(dataSourceFromFlag("t.csv", spec!, "species")).toMatchObject({ kind: "csv", path: resolve("t.csv"), label: "species", header: true });
    expect(dataSourceFromFlag("t.csv", spec!, "2")).toMatchObject({ kind: "csv", label: 2, header: false });
    expect(dataSourceFromFlag("a-idx3-ubyte.gz,b-idx1-ubyte.gz", spec!)).toMatchObject({ kind: "idx", images: resolve("a-idx3-ubyte.gz") });
  });

  test("wrong forms are user errors naming the value", () => {
    expect(() => dataSourceFromFlag("x.npy", spec!)).toThrow(/--data "x.npy": expected FEATURES.npy,LABELS.npy/);
    expect(() => dataSourceFromFlag("t.csv", spec!)).toThrow(/--label/);
    expect(() => dataSourceFromFlag("t.txt", spec!)).toThrow(/unknown file type/);
    expect(() => dataSourceFromFlag("x.npy,", spec!)).toThrow(/empty file name/);
  });

  test("replaces only the training source", () => {
    const replaced = withTrainingSource(spec!, dataSourceFromFlag("x.npy,y.npy", spec!));
    expect(replaced.data).toMatchObject({ test: null, split: 0, normalize: "none", scale: 1 });
    expect(spec!.data).toBeNull();
  });
});

describe("--input", () => {
  test("parses numbers separated by commas or spaces", () => {
    expect(Array.from(parseInputRow("89,190", 2))).toEqual([89, 190]);
    expect(Array.from(parseInputRow(" -1.5e2 , .25", 2))).toEqual([-150, 0.25]);
  });
  test("wrong count and non-numbers are named", () => {
    expect(() => parseInputRow("1,2,3", 2)).toThrow(/3 values, but the model takes 2 inputs/);
    expect(() => parseInputRow("1,abc", 2)).toThrow(/value 2 \("abc"\) is not a finite number/);
    expect(() => parseInputRow("1,Infinity", 2)).toThrow(/not a finite number/);
  });
});
