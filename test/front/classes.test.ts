// `classes NAME, …` and rows labelled by class name (issue 17): what they lower to, what is refused and
// where, and that `nnc fmt` keeps them. Codes and positions for every NN07x are in diagnostics.test.ts;
// here: the meaning (Spec.classes, each row's target) and the messages' content a user relies on.
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { formatSpec } from "../../src/fmt/index.js";
import type { Spec } from "../../src/ir.js";

function ok(source: string): Spec {
  const { spec, diagnostics } = parseSpec(source, "c.nn");
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return spec!;
}

function errors(source: string) {
  return parseSpec(source, "c.nn").diagnostics.filter((d) => d.severity === "error");
}

const rowsOf = (spec: Spec) => (spec.data?.train.kind === "inline" ? spec.data.train.rows.map((r) => r.targets) : []);

describe("classes", () => {
  it("fills Spec.classes in output order, names and strings as written (strings unquoted)", () => {
    const spec = ok('classes setosa, "Iris versicolor", data\nlayer fc 4->3 softmax\n');
    expect(spec.classes).toEqual(["setosa", "Iris versicolor", "data"]);
    expect(ok("layer fc 4->3 softmax\n").classes).toBeNull();
  });

  it("maps a row's class name to its index: one sigmoid output's first class is target 0, the second 1", () => {
    const spec = ok("classes male, female\nlayer fc 2->1 sigmoid\nrow 60.3, 165 -> female\nrow 72.6, 183 -> male\nrow 1, 2 -> 1\n");
    expect(rowsOf(spec)).toEqual([[1], [0], [1]]);
  });

  it("maps names to class indices for softmax and for several sigmoid outputs", () => {
    const softmax = ok('classes a, "b c", d\nlayer fc 2->3 softmax\nrow 1, 2 -> d\nrow 1, 2 -> "b c"\nrow 1, 2 -> 0, 0, 1\n');
    expect(rowsOf(softmax)).toEqual([[2], [1], [0, 0, 1]]);
    const sigmoids = ok("classes a, b, c\nlayer fc 2->3 sigmoid\nrow 1, 2 -> b\n");
    expect(rowsOf(sigmoids)).toEqual([[1]]);
  });

  it("counts one sigmoid output as two classes, softmax as one per output", () => {
    expect(errors("classes a\nlayer fc 2->1 sigmoid\n").map((d) => d.code)).toEqual(["NN070"]);
    expect(errors("classes a, b, c\nlayer fc 2->1 sigmoid\n").map((d) => d.code)).toEqual(["NN070"]);
    expect(errors("classes a, b, c, d\nlayer fc 2->3 softmax\n").map((d) => d.code)).toEqual(["NN070"]);
    expect(errors("classes a, b, c\nlayer fc 2->3 softmax\n")).toEqual([]);
  });

  it("refuses classes on a regression (a linear, tanh or relu output)", () => {
    for (const act of ["", " linear", " tanh", " relu"]) {
      expect(errors(`classes a, b\nlayer fc 2->1${act}\n`).map((d) => d.code)).toEqual(["NN072"]);
    }
  });

  it("names the known classes and the nearest one for an unknown row label", () => {
    const [d] = errors("classes male, female\nlayer fc 2->1 sigmoid\nrow 60.3, 165 -> femal\n");
    expect(d!.code).toBe("NN073");
    expect(d!.message).toContain("male, female");
    expect(d!.message).toContain("`femal`");
    expect(d!.hint).toContain("`female`");
    expect([d!.range.startLine, d!.range.startColumn, d!.range.endColumn]).toEqual([3, 18, 22]);
  });

  it("says to add a classes statement when a row has a name and the spec has none", () => {
    const [d] = errors("layer fc 2->1 sigmoid\nrow 60.3, 165 -> female\n");
    expect(d!.code).toBe("NN073");
    expect(d!.hint).toContain("classes female");
  });

  it("reports a duplicate at its second occurrence, pointing to the first", () => {
    const [d] = errors("classes a, b, a\nlayer fc 2->3 softmax\n");
    expect(d!.code).toBe("NN071");
    expect(d!.range.startColumn).toBe(15);
    expect(d!.hint).toContain("column 9");
  });
});

describe("nnc fmt on classes and named rows", () => {
  const messy = 'classes   male ,"Iris  x";  layer fc 2->1 sigmoid\nrow 60.3,165->  male # a comment\nrow 1 ,2 ->"Iris  x"\n';

  it("prints the canonical layout, idempotently, with the same meaning", () => {
    const first = formatSpec(messy, "m.nn");
    expect(first.ok).toBe(true);
    const text = (first as { text: string }).text;
    expect(text).toBe('classes male, "Iris  x"\nlayer fc 2->1 sigmoid\nrow 60.3, 165 -> male # a comment\nrow 1, 2 -> "Iris  x"\n');
    const again = formatSpec(text, "m.nn") as { text: string; changed: boolean };
    expect(again.changed).toBe(false);
    const before = ok(messy);
    const after = ok(text);
    expect(after.classes).toEqual(before.classes);
    expect(rowsOf(after)).toEqual(rowsOf(before));
    expect(rowsOf(after)).toEqual([[0], [1]]);
  });
});
