// The documentation and the shipped specs are part of the language's contract: every ```nn block in
// docs/language.md and every specs/*.nn parses without errors; every ```nn-error block produces the code
// at the position its first line states; every option in the schema and every code is documented.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { dataOnlyOptions, kindOptions, optimizerOptions, splitOptions, trainingOptions } from "../../src/front/schema.js";
import { checks, syntaxCodes } from "../../src/front/validate.js";

const root = join(import.meta.dirname, "../..");
const doc = readFileSync(join(root, "docs/language.md"), "utf8");
const blocks = [...doc.matchAll(/```(nn|nn-error)\n([\s\S]*?)```/g)].map((m, i) => ({ kind: m[1]!, source: m[2]!, index: i }));
const specFiles = readdirSync(join(root, "specs")).filter((f) => f.endsWith(".nn"));

describe("docs/language.md", () => {
  it("has examples of both kinds", () => {
    expect(blocks.filter((b) => b.kind === "nn").length).toBeGreaterThanOrEqual(10);
    expect(blocks.filter((b) => b.kind === "nn-error").length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.filter((b) => b.kind === "nn"))("```nn block $index parses without errors", ({ source }) => {
    const { spec, diagnostics } = parseSpec(source, "example.nn");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(spec).not.toBeNull();
  });

  it.each(blocks.filter((b) => b.kind === "nn-error"))("```nn-error block $index gives its stated code", ({ source }) => {
    const m = /^# expect (NN\d{3}) at (\d+):(\d+)/.exec(source);
    expect(m, "first line must be `# expect NNxxx at L:C`").not.toBeNull();
    const { spec, diagnostics } = parseSpec(source, "example.nn");
    expect(spec).toBeNull();
    const hit = diagnostics.find((d) => d.code === m![1]);
    expect(hit).toBeDefined();
    expect([hit!.range.startLine, hit!.range.startColumn]).toEqual([Number(m![2]), Number(m![3])]);
  });

  it("documents every option of every statement", () => {
    const tables = [
      trainingOptions,
      dataOnlyOptions,
      splitOptions,
      ...Object.values(optimizerOptions),
      ...Object.values(kindOptions).flatMap((k) => Object.values(k)),
    ];
    const names = new Set(tables.flatMap((t) => Object.keys(t)));
    expect([...names].filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });

  it("lists every diagnostic code", () => {
    const codes = [...checks.map((c) => c.code), ...syntaxCodes.map((c) => c.code)];
    expect(codes.filter((c) => !doc.includes(`| ${c} |`))).toEqual([]);
  });
});

describe("specs/", () => {
  it("holds the course networks", () => {
    for (const name of [
      "gender",
      "gender-raw",
      "planar",
      "planar-logistic",
      "square",
      "letters",
      "letters-quadratic",
      "fashion",
      "letters-cnn",
      "fashion-cnn",
    ]) {
      expect(specFiles).toContain(`${name}.nn`);
    }
  });

  it.each(specFiles)("%s parses with no diagnostics and starts with a comment", (file) => {
    const source = readFileSync(join(root, "specs", file), "utf8");
    expect(source.startsWith("# ")).toBe(true);
    const { spec, diagnostics } = parseSpec(source, `specs/${file}`);
    expect(diagnostics).toEqual([]);
    expect(spec!.name).toBe(file.replace(/\.nn$/, ""));
  });

  const load = (file: string) => parseSpec(readFileSync(join(root, "specs", file), "utf8"), file).spec!;

  it("gender: 2-2-1 sigmoid, mse, per-sample sgd, zero-mean, stop at loss < 0.1, four rows", () => {
    const s = load("gender.nn");
    expect(s.layers.map((l) => (l.kind === "dense" ? [l.inputs, l.outputs, l.activation.kind] : l.kind))).toEqual([
      [2, 2, "sigmoid"],
      [2, 1, "sigmoid"],
    ]);
    expect(s.loss.kind).toBe("mse");
    expect([s.training.learningRate, s.training.epochs, s.training.batchSize]).toEqual([0.1, 1000, 1]);
    expect(s.data!.normalize).toBe("zero_mean");
    expect(s.training.stop).toEqual([expect.objectContaining({ kind: "loss_below", value: 0.1 })]);
    expect(s.data!.train.kind === "inline" && s.data!.train.rows.map((r) => [...r.inputs, ...r.targets])).toEqual([
      [60.3, 165, 1],
      [72.6, 183, 0],
      [68.9, 178, 0],
      [54.4, 152, 1],
    ]);
    expect(load("gender-raw.nn").data!.normalize).toBe("none");
  });

  it("planar: H = 4 by default, sweep values, N(0, 0.01²) seed 3, binary cross-entropy", () => {
    const s = load("planar.nn");
    expect(s.variables).toEqual({ H: 4 });
    expect(s.sweeps.map((w) => [w.variable, w.values])).toEqual([["H", [1, 2, 3, 4, 5, 20, 50]]]);
    expect(s.init).toMatchObject({ scheme: { kind: "normal", std: 0.01 }, seed: 3 });
    expect(s.loss.kind).toBe("binary_crossentropy");
    expect(s.data!.train).toMatchObject({ kind: "builtin", name: "planar", options: { n: 400 } });
    const h20 = parseSpec(readFileSync(join(root, "specs/planar.nn"), "utf8"), "planar.nn", { variables: { H: 20 } }).spec!;
    expect(h20.layers.map((l) => (l.kind === "dense" ? `${l.inputs}->${l.outputs}` : ""))).toEqual(["2->20", "20->1"]);
    expect(h20.variables).toEqual({ H: 20 });
  });

  it("square: step schedule halving from 0.1 with a floor of 0.001", () => {
    const s = load("square.nn");
    expect(s.training.schedule).toEqual({ kind: "step", factor: 0.5, every: 25, min: 0.001 });
    expect(s.training.shuffle).toBe(true);
  });

  it("fashion: 784-256-128-10 softmax, categorical cross-entropy, idx with scale 1/255", () => {
    const s = load("fashion.nn");
    expect(s.inputs).toBe(784);
    expect(s.outputs).toBe(10);
    expect(s.loss.kind).toBe("categorical_crossentropy");
    expect(s.data!.scale).toBeCloseTo(1 / 255, 15);
    expect(s.data!.test!.kind).toBe("idx");
  });
});

describe("docs/syntax.html", () => {
  it("is what scripts/syntax-diagrams.mjs makes from the current grammar and tables", async () => {
    const { syntaxPage } = await import("../../scripts/syntax-page.js");
    const html = readFileSync(join(root, "docs/syntax.html"), "utf8");
    expect(html === syntaxPage(root), "run `npm run syntax-diagrams`").toBe(true);
  });
});
