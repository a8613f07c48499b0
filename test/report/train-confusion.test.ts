// The confusion matrix after training, against independent counts: its diagonal against the module's own
// accuracy (the generated code's evaluate, in the worker), its row sums against the labels counted here;
// on the test split when there is one; confusion.svg written and naming every class; nothing for a
// regression. And the classes a CSV of names gives a spec without `classes`.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import type { Spec } from "../../src/ir.js";
import { classesStatement } from "../../src/report/classes.js";
import { withDataClasses } from "../../src/report/data-classes.js";
import { reportTrainedConfusion } from "../../src/report/train-confusion.js";
import { trainSpec } from "../../src/train/run.js";

const dir = mkdtempSync(join(tmpdir(), "nnc-confusion-"));

function captured() {
  let out = "";
  let err = "";
  return {
    streams: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
    out: () => out,
    err: () => err,
  };
}

function spec(source: string, name = "c.nn"): Spec {
  const path = join(dir, name);
  writeFileSync(path, source);
  const { spec, diagnostics } = parseSpec(source, path);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return spec!;
}

/** Three blobs in the plane, 30 points each, labelled by name; deterministic and overlapping a little. */
function blobs(): string {
  const lines = ["x,y,kind"];
  const centres: [number, number, string][] = [
    [0, 0, "round"],
    [2, 0, "square"],
    [1, 1.6, "Iris virginica"],
  ];
  for (let i = 0; i < 30; i++)
    for (const [cx, cy, name] of centres) {
      const a = (i * 2.399963) % (2 * Math.PI);
      const r = 0.15 + (0.9 * ((i * 7) % 30)) / 30;
      lines.push(`${(cx + r * Math.cos(a)).toFixed(4)},${(cy + r * Math.sin(a)).toFixed(4)},${name.includes(" ") ? `"${name}"` : name}`);
    }
  return lines.join("\n") + "\n";
}

describe("the confusion matrix after nnc train", () => {
  writeFileSync(join(dir, "blobs.csv"), blobs());
  const source =
    'model blobs\nlayer fc 2->8 tanh\nlayer fc 8->3 softmax\nadam lr=0.05 epochs=60 batch=16\ndata csv "blobs.csv" label=kind\nsplit 0.3 seed=2\nnormalize z-score\n';

  it("a CSV of names gives the spec its sorted classes and shows the line to add", () => {
    const c = captured();
    const named = withDataClasses(spec(source), dir, c.streams);
    expect(named.classes).toEqual(["Iris virginica", "round", "square"]);
    const line = classesStatement(named.classes!);
    expect(line).toBe('classes "Iris virginica", round, square');
    expect(c.err()).toContain(`\`${line}\``);
    // The line parses back to the same classes.
    expect(spec(`${line}\n${source}`, "with-line.nn").classes).toEqual(named.classes);
  });

  it("counts the test split: diagonal = the module's test accuracy, rows = the labels; writes confusion.svg with the names", async () => {
    const named = withDataClasses(spec(source), dir, captured().streams);
    const c = captured();
    const run = await trainSpec(named, dir, { mode: "json", streams: c.streams, confusion: true });
    // --json: the confusion line just before "done".
    const lines = c
      .out()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)!.type).toBe("done");
    const line = lines.at(-2) as { type: string; on: string; counts: number[][]; classes: string[]; correct: number; total: number };
    expect(line.type).toBe("confusion");
    expect(line.on).toBe("test");
    expect(line.classes).toEqual(named.classes);
    expect(line.total).toBe(run.test!.count);
    expect(line.counts).toEqual(run.confusion!.matrix.counts);
    expect(line.correct / line.total).toBeCloseTo(run.testEval!.accuracy!, 12);
    const support = [0, 0, 0];
    for (const label of run.test!.labels!) support[label]!++;
    expect(line.counts.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(support);

    const text = captured();
    const svg = await reportTrainedConfusion({ spec: named, confusion: run.confusion, text: true, streams: text.streams });
    expect(text.out()).toMatch(/^on the test data \(27 rows\):\n {2}confusion matrix/);
    expect(text.out()).toContain("  per class (accuracy of its rows, precision of its predictions):");
    if (svg === null) throw new Error("a classifier's confusion matrix has a drawing");
    expect(svg.startsWith("<svg")).toBe(true);
    for (const name of named.classes!) expect(svg).toContain(`>${name}</text>`);
    expect(svg).toContain("predicted class");
  });

  it("counts the training data without a test set (class 0/1 names without classes), nothing for a regression", async () => {
    const rows = "row 0, 0 -> 0\nrow 0, 1 -> 1\nrow 1, 0 -> 1\nrow 1, 1 -> 0\n";
    const xor = spec(`layer fc 2->4 tanh\nlayer fc 4->1 sigmoid\nsgd lr=1 epochs=300 batch=4\ninit xavier seed=2\n${rows}`, "xor.nn");
    const run = await trainSpec(xor, dir, { mode: "json", streams: captured().streams, confusion: true });
    const { on, matrix } = run.confusion!;
    expect(on).toBe("training");
    expect(matrix.classes).toEqual(["class 0", "class 1"]);
    expect(matrix.correct / matrix.total).toBe(run.trainEval.accuracy);
    const c = captured();
    expect(await reportTrainedConfusion({ spec: xor, confusion: run.confusion, text: false, streams: c.streams })).toMatch(/^<svg/);
    expect(c.out()).toBe("");

    const fit = spec(`layer fc 1->4 tanh\nlayer fc 4->1\nsgd lr=0.1 epochs=5 batch=4\nrow 0 -> 0\nrow 1 -> 1\nrow 2 -> 4\n`, "fit.nn");
    const fitted = await trainSpec(fit, dir, { mode: "json", streams: captured().streams, confusion: true });
    expect(fitted.confusion).toBeNull();
    const none = captured();
    expect(await reportTrainedConfusion({ spec: fit, confusion: fitted.confusion, text: true, streams: none.streams })).toBeNull();
    expect(none.out()).toBe("");
  });
});
