// Lexing corner cases, documented defaults, and how the IR is filled (hand-written expectations).
import { describe, expect, it } from "vitest";
import { scan } from "../../grammar/scanner.js";
import { formatDiagnostics, parseSpec } from "../../src/front/index.js";

const kinds = (source: string) => scan(source).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe("lexer", () => {
  it("splits 289->20 into number, arrow, number, and keeps -3 a number", () => {
    expect(kinds("289->20")).toEqual(["NumberLiteral:289", "Arrow:->", "NumberLiteral:20"]);
    expect(kinds("2->-3")).toEqual(["NumberLiteral:2", "Arrow:->", "NumberLiteral:-3"]);
    expect(kinds("H->1")).toEqual(["Identifier:H", "Arrow:->", "NumberLiteral:1"]);
  });
  it("reads hyphenated names, keyword prefixes and leaky_relu(0.1)", () => {
    expect(kinds("zero-mean models data-x")).toEqual(["Identifier:zero-mean", "Identifier:models", "Identifier:data-x"]);
    expect(kinds("leaky_relu(0.1)")).toEqual(["Identifier:leaky_relu", "LParen:(", "NumberLiteral:0.1", "RParen:)"]);
    expect(kinds("loss")).toEqual(["Loss:loss"]);
  });
  it("reads comparisons and exponents", () => {
    expect(kinds("< <= > >= 1e-3 .5")).toEqual(["Less:<", "LessEqual:<=", "Greater:>", "GreaterEqual:>=", "NumberLiteral:1e-3", "NumberLiteral:.5"]);
  });
});

describe("lowering and defaults", () => {
  it("parses the one-liner with every default filled", () => {
    const { spec, diagnostics } = parseSpec("layer fc 289->20 sigmoid; loss crossentropy; sgd lr=1 epochs=20", "nets/one.nn");
    expect(diagnostics).toEqual([]);
    expect(spec).toMatchObject({
      name: "one",
      fileName: "nets/one.nn",
      inputs: 289,
      outputs: 20,
      loss: { kind: "binary_crossentropy", written: "crossentropy" },
      init: { scheme: { kind: "xavier" }, seed: 1, range: null },
      training: {
        optimizer: { kind: "sgd" },
        learningRate: 1,
        epochs: 20,
        batchSize: 32,
        shuffle: false,
        weightDecay: 0,
        schedule: { kind: "constant" },
        stop: [],
        seed: 1,
      },
      data: null,
      precision: "f64",
      variables: {},
      sweeps: [],
    });
    expect(spec!.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(spec!.layers[0]!.range).toMatchObject({ startLine: 1, startColumn: 1, endColumn: 24 });
  });

  it("defaults the loss by the output activation and resolves crossentropy after softmax", () => {
    expect(parseSpec("layer fc 2->1 sigmoid", "a.nn").spec!.loss).toEqual({ kind: "binary_crossentropy", written: "crossentropy", range: null });
    expect(parseSpec("layer fc 2->1 linear", "a.nn").spec!.loss.kind).toBe("mse");
    expect(parseSpec("layer fc 2->1 tanh", "a.nn").spec!.loss.kind).toBe("mse");
    expect(parseSpec("layer fc 2->3 softmax\nloss crossentropy", "a.nn").spec!.loss.kind).toBe("categorical_crossentropy");
    expect(parseSpec("layer fc 2->3", "a.nn").spec!.layers[0]).toMatchObject({ activation: { kind: "linear", alpha: 0 } });
  });

  it("fills optimiser defaults (adam lr 0.001) and leaky_relu alpha", () => {
    const adam = parseSpec("layer fc 2->3 leaky_relu\nlayer fc 3->1 leaky_relu(0.2)\nadam", "a.nn").spec!;
    expect(adam.training.optimizer).toEqual({ kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(adam.training.learningRate).toBe(0.001);
    expect(adam.layers.map((l) => (l.kind === "dense" ? l.activation.alpha : -1))).toEqual([0.01, 0.2]);
    const m = parseSpec("layer fc 2->1\nmomentum lr=0.5 nesterov shuffle=true l2=0.1", "a.nn").spec!;
    expect(m.training).toMatchObject({ optimizer: { kind: "momentum", beta: 0.9, nesterov: true }, learningRate: 0.5, shuffle: true, weightDecay: 0.1 });
  });

  it("gives dropout the width before it and keeps the order", () => {
    const s = parseSpec("layer fc 4->7 relu\nlayer dropout p=0.25\nlayer fc 7->2 softmax", "d.nn").spec!;
    expect(s.layers[1]).toMatchObject({ kind: "dropout", size: 7, rate: 0.25 });
    expect(s.outputs).toBe(2);
  });

  it("fills data defaults: builtin options, split, normalisation, scale; cosine period = epochs", () => {
    const s = parseSpec("layer fc 1->1\ndata square n=50\nsplit 0.1\nnormalize min-max\nsgd epochs=7\nschedule cosine", "q.nn").spec!;
    expect(s.data).toMatchObject({
      train: { kind: "builtin", name: "square", options: { n: 50, min: -2, max: 2, seed: 1 } },
      test: null,
      split: 0.1,
      splitSeed: 1,
      normalize: "min_max",
      scale: 1,
    });
    expect(s.training.schedule).toEqual({ kind: "cosine", min: 0, period: 7, periodIsEpochs: true });
  });

  it("lowers csv labels by name or index, and stop early", () => {
    const s = parseSpec('layer fc 4->3 softmax\ndata csv "t.csv" label=3 header=false\nsplit 0.2\nstop early monitor=val_accuracy patience=3', "c.nn").spec!;
    expect(s.data!.train).toMatchObject({ kind: "csv", path: "t.csv", label: 3, header: false });
    expect(s.training.stop).toEqual([expect.objectContaining({ kind: "early", monitor: "val_accuracy", patience: 3, minDelta: 0 })]);
  });

  it("applies variable overrides and unescapes strings", () => {
    const src = 'let H = 3\nlayer fc 2->H tanh\nlayer fc H->1 sigmoid\ndata npy "a \\"b\\".npy" labels="y.npy"';
    const s = parseSpec(src, "v.nn", { variables: { H: 8 } }).spec!;
    expect(s.variables).toEqual({ H: 8 });
    expect(s.layers.map((l) => (l.kind === "dense" ? l.outputs : 0))).toEqual([8, 1]);
    expect(s.data!.train).toMatchObject({ features: 'a "b".npy' });
  });

  it("accepts CRLF and comments everywhere", () => {
    const { spec, diagnostics } = parseSpec("# head\r\nlayer fc 2->1 sigmoid # out\r\n\r\nsgd lr=1 ; # end", "w.nn");
    expect(diagnostics).toEqual([]);
    expect(spec!.training.learningRate).toBe(1);
  });
});

describe("formatDiagnostics", () => {
  it("prints file:line:col, the source line and a caret under the exact token, then the hint", () => {
    const source = "layer fc 289->24 sigmoid\nlayer fc 20->26 sigmoid\n";
    const { diagnostics } = parseSpec(source, "specs/letters.nn");
    expect(formatDiagnostics(diagnostics, source)).toBe(
      [
        "specs/letters.nn:2:10: error NN020: layer 2 takes 20 inputs but layer 1 gives 24",
        "  layer fc 20->26 sigmoid",
        "           ^~",
        "  hint: write `24->…` here, or change layer 1",
        "",
      ].join("\n"),
    );
    expect(formatDiagnostics(diagnostics, source, { color: true })).toContain("\u001b[");
  });
});

describe("readSpecFile and loadSpec", async () => {
  const { loadSpec, readSpecFile } = await import("../../src/front/index.js");
  const { UserError } = await import("../../src/errors.js");
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "nnc-load-"));

  it("loads a good spec and rejects a missing file or a directory with a UserError", () => {
    const good = join(dir, "ok.nn");
    writeFileSync(good, "layer fc 2->1 sigmoid\n");
    expect(loadSpec(good).name).toBe("ok");
    expect(() => readSpecFile(join(dir, "missing.nn"))).toThrow(UserError);
    expect(() => readSpecFile(dir)).toThrow(/the spec must be a file, but this is a directory/);
  });

  it("turns errors into one UserError whose message holds the formatted diagnostics", () => {
    const bad = join(dir, "bad.nn");
    writeFileSync(bad, "layer fc 2->3 tanh\nlayer fc 4->1 sigmoid\n");
    expect(() => loadSpec(bad)).toThrow(UserError);
    expect(() => loadSpec(bad)).toThrow(`${bad}:2:10: error NN020`);
  });
});
