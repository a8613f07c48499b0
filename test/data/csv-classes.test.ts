// CSV label columns of class names (issue 17): mapped by the spec's `classes` when it has them, else by the
// sorted distinct names; each row's class checked against an index computed here from the names written,
// independently of the reader; unknown labels and counts that do not fit the network refused in one line.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv.js";
import { loadData } from "../../src/data/load.js";
import { parseSpec } from "../../src/front/index.js";
import type { Spec } from "../../src/ir.js";
import { userErrorOf } from "./errors.js";
import { tempDir, write } from "./fixtures.js";

const IRIS = "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n6.4,4.5, versicolor \n";
/** The species column as written, in row order. */
const species = ["setosa", "versicolor", "virginica", "setosa", "versicolor"];

function spec(source: string): Spec {
  const { spec, diagnostics } = parseSpec(source, "iris.nn");
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return spec!;
}

describe("a CSV label column of names", () => {
  it("without classes: the distinct names sorted by code unit, each row its name's index", () => {
    const t = parseCsv("x,y\n1,b\n2,B\n3,a\n4,_\n5,b\n", "t.csv", "y", true);
    // Code-unit order: "B" (66) < "_" (95) < "a" (97) < "b" (98), whatever the locale.
    expect(t.classes).toEqual(["B", "_", "a", "b"]);
    expect([...t.labels]).toEqual(["b", "B", "a", "_", "b"].map((n) => t.classes!.indexOf(n)));
    expect([...t.features]).toEqual([1, 2, 3, 4, 5]);
  });

  it("with the spec's classes: each name maps to its index there, in the spec's order", () => {
    const classes = ["virginica", "setosa", "versicolor"];
    const t = parseCsv(IRIS, "iris.csv", "species", true, { names: classes, whose: "the spec's classes" });
    expect(t.classes).toEqual(classes);
    expect([...t.labels]).toEqual(species.map((n) => classes.indexOf(n)));
  });

  it("numbers stay class indices or values (classes null)", () => {
    const t = parseCsv("x,y\n1,0\n2,2\n", "t.csv", "y", true);
    expect(t.classes).toBeNull();
    expect([...t.labels]).toEqual([0, 2]);
  });

  it("refuses an unknown label naming the file, line, row and the known classes, with a did-you-mean", () => {
    const message = userErrorOf(() =>
      parseCsv(IRIS + "5.0,1.5,setsa\n", "iris.csv", "species", true, { names: ["setosa", "versicolor", "virginica"], whose: "the spec's classes" }),
    );
    expect(message).toBe(
      `iris.csv:7: field 3 ('species'): label "setsa" (row 6) is not one of the spec's classes (setosa, versicolor, virginica); did you mean "setosa"?`,
    );
  });

  it("refuses an empty label in a column of names", () => {
    expect(userErrorOf(() => parseCsv("x,y\n1,a\n2, \n", "t.csv", "y", true))).toMatch(/^t\.csv:3: field 2 \('y'\): empty label \(row 2\)/);
  });
});

describe("loadData with a CSV of names", () => {
  const dir = tempDir();
  write(dir, "iris.csv", IRIS);
  const net = "layer fc 2->3 softmax\n";

  it("returns the derived classes and one-hot targets in their order", () => {
    const loaded = loadData(spec(`${net}data csv "iris.csv" label=species\n`), dir);
    expect(loaded.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect([...loaded.train.labels!]).toEqual([0, 1, 2, 0, 1]);
    expect([...loaded.train.targets.subarray(0, 6)]).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it("maps by the spec's classes when it has them", () => {
    const loaded = loadData(spec(`classes virginica, versicolor, setosa\n${net}data csv "iris.csv" label=species\n`), dir);
    expect(loaded.classes).toEqual(["virginica", "versicolor", "setosa"]);
    expect([...loaded.train.labels!]).toEqual([2, 1, 0, 2, 1]);
  });

  it("maps a test file by the training file's classes, even when it holds fewer of them", () => {
    write(dir, "test.csv", "sepal,petal,species\n6.0,5.0,virginica\n5.0,1.3,setosa\n");
    const loaded = loadData(spec(`${net}data csv "iris.csv" label=species\ntest csv "test.csv" label=species\n`), dir);
    expect([...loaded.test!.labels!]).toEqual([2, 0]);
    write(dir, "bad-test.csv", "sepal,petal,species\n6.0,5.0,virginca\n");
    expect(userErrorOf(() => loadData(spec(`${net}data csv "iris.csv" label=species\ntest csv "bad-test.csv" label=species\n`), dir))).toMatch(
      /bad-test\.csv:2: .*label "virginca" \(row 1\) is not one of the classes of .*iris\.csv \(setosa, versicolor, virginica\); did you mean "virginica"\?$/,
    );
  });

  it("one sigmoid output takes exactly two names: the first is target 0", () => {
    write(dir, "people.csv", "kg,cm,sex\n60,165,female\n80,185,male\n");
    const loaded = loadData(spec(`layer fc 2->1 sigmoid\ndata csv "people.csv" label=sex\n`), dir);
    expect(loaded.classes).toEqual(["female", "male"]);
    expect([...loaded.train.targets]).toEqual([0, 1]);
  });

  it("refuses names that do not fit the outputs, or a regression, saying what fits", () => {
    expect(userErrorOf(() => loadData(spec(`layer fc 2->1 sigmoid\ndata csv "iris.csv" label=species\n`), dir))).toMatch(
      /iris\.csv: the labels name 3 classes \(setosa, versicolor, virginica\), but the model has 1 output .*3 outputs$/,
    );
    expect(userErrorOf(() => loadData(spec(`layer fc 2->3\ndata csv "iris.csv" label=species\n`), dir))).toMatch(
      /iris\.csv: the labels are class names .* but the model is a regression \(its last layer is linear\)/,
    );
  });
});
