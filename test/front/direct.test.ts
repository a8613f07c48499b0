// The direct statement reader (src/front/direct.ts) against the Chevrotain parser, the definition of the
// grammar. For every statement of every input: the reader accepts it exactly when Chevrotain parses it
// without a syntax error, and then both give the same StatementNode. Inputs: every spec, the docs' examples
// come through the specs and seeds, the big hardening kinds, and thousands of random and mutated specs.
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Newline, Semicolon } from "../../grammar/tokens.js";
import { Scanner } from "../../grammar/scanner.js";
import { parseStatement } from "../../grammar/parser.js";
import { parseDirect, StatementTokens } from "../../src/front/direct.js";
import { collectStatements, none, type ValueNode } from "../../src/front/statements.js";
import { parseSyntax, tokensForChevrotain } from "../../src/front/syntax.js";
import { anySpecText, bigSpecs, pieces, seeds } from "../hardening/spec-fuzz.js";

/** Null when the reader and Chevrotain agree on every statement of `source` (and a refused statement's shortened
 * token list gives Chevrotain's first error on the whole statement), else the first disagreement. */
function disagreement(source: string): string | null {
  const scanner = new Scanner(source);
  const statement = new StatementTokens(source);
  let found: string | null = null;
  const compare = () => {
    if (statement.count === 0 || found !== null) return;
    const tokens = statement.toTokens();
    const text = source.slice(tokens[0]!.startOffset, Math.min(tokens.at(-1)!.endOffset! + 1, tokens[0]!.startOffset + 200));
    const direct = parseDirect(statement);
    const chevrotain = parseStatement(tokens);
    const parsed = collectStatements(chevrotain.cst);
    const clean = chevrotain.errors.length === 0;
    if (direct === null && !clean) {
      // What the front end hands Chevrotain for a refused statement gives the same first error.
      const first = parseStatement(tokensForChevrotain(statement, undefined)).errors[0];
      const full = chevrotain.errors[0]!;
      if (first?.message !== full.message || !Object.is(first.token.startOffset, full.token.startOffset)) {
        found = `${JSON.stringify(text)}: first error ${first?.message} at ${first?.token.startOffset}, whole statement: ${full.message} at ${full.token.startOffset}`;
      }
    }
    if ((direct !== null) !== clean) {
      found = `${JSON.stringify(text)}: direct ${direct === null ? "refused" : "accepted"}, Chevrotain ${clean ? "no error" : chevrotain.errors[0]!.message}`;
    } else if (direct !== null && !isDeepStrictEqual(parsed, [direct])) {
      found = `${JSON.stringify(text)}: direct ${JSON.stringify(direct).slice(0, 2000)}\nChevrotain ${JSON.stringify(parsed).slice(0, 2000)}`;
    }
    statement.clear();
  };
  while (scanner.next()) {
    if (scanner.type === Newline || scanner.type === Semicolon) compare();
    else statement.add(scanner);
  }
  compare();
  return found;
}

/** Statements of every shape, with the variations each allows. */
const shapes = [
  "model m",
  "model layer",
  "input 3",
  "input H",
  "let H = 3",
  "let H = -1e3",
  "sweep H = 1, 2, 3",
  "sweep H = 4",
  "layer fc 2->3 tanh",
  "layer fc 2 -> 3",
  "layer fc H->3 relu alpha=0.1",
  "layer fc H -> W",
  "layer fc tanh",
  "layer dropout p=0.5",
  "layer fc 2->3 leaky_relu(0.1)",
  "layer fc 2->3 leaky_relu(0.1) alpha=2",
  "layer fc 2->3 tanh shuffle lr",
  "layer fc 2->3 lr=1 tanh",
  "layer fc sigmoid(3)",
  "layer fc 2->3 tanh(",
  "layer fc 2->3 (0.1)",
  "layer fc 2",
  "layer fc 2->",
  "layer fc H",
  "layer fc H lr=2",
  "layer fc",
  "layer 2->3",
  "layer fc 2->3 tanh=1",
  "layer fc 2->3 a=",
  'layer fc 2->3 a="x" b=c d=-1',
  "layer fc 2->3 tanh 5",
  // lone sizes, dims, activations anywhere among the settings
  "layer fc 26 softmax",
  "layer fc H softmax",
  "layer fc H",
  "layer conv 6 kernel=5 relu",
  "layer conv 6 relu kernel=5",
  "layer conv F kernel=3x5 stride=1x2 padding=same leaky_relu(0.2)",
  "layer conv 6 relu kernel=5 tanh",
  "layer maxpool 2",
  "layer avgpool 2x3 stride=1",
  "layer flatten",
  "layer fc 1x2->3",
  "layer fc 2->1x2",
  "layer fc 2 3",
  "layer fc 2 ->",
  "layer fc H(",
  "layer fc H(1)",
  "layer fc H=2",
  "layer fc 1x2 = 3",
  "layer conv 6 kernel=",
  "layer conv 6 relu(1x2)",
  "layer conv 6 relu(2) (",
  "layer conv 6 kernel=5 relu 7",
  "layer fc relu(0.1) 3",
  "layer fc 3 -> relu tanh",
  "layer model layer=layer",
  "input 1x17x17",
  "input 1x17x17 2",
  "input 1x",
  "sgd lr=1x2",
  "split 1x2",
  "row 1x2 -> 1",
  "let H = 2x2",
  "foo 1x2 bar",
  "loss mse",
  "loss",
  "loss 1",
  "sgd",
  "sgd lr=0.1 epochs=2 shuffle",
  "adam lr=",
  "momentum beta=0.9",
  'rmsprop decay="x',
  "schedule step factor=0.5 every=2",
  "init he seed=3",
  "init",
  "data planar",
  'data npy "x.npy" labels="y.npy"',
  'test csv "a',
  'data "x"',
  "data inline shuffle",
  "row 1, 2 -> 3",
  "row 1 -> 2, 3",
  "row 1,, 2 -> 3",
  "row -> 1",
  "row 1 -> ",
  "row 1, 2",
  "row a -> 1",
  "row 1, 2 -> female",
  'row 1, 2 -> "Iris setosa"',
  "row 1 -> data",
  "row 1 -> a, b",
  "row 1 -> a 2",
  "row 1 -> 1, a",
  'row 1 -> "a',
  "classes male, female",
  'classes a, "b c", layer',
  "classes a",
  "classes",
  "classes a,",
  "classes a b",
  "classes 1, 2",
  "classes a, , b",
  'classes "x',
  "classes a=1",
  "split 0.2 seed=1",
  "split",
  "normalize z-score",
  "normalize",
  "stop loss < 0.1",
  "stop accuracy >= 0.98",
  "stop early patience=3",
  "stop loss <",
  "stop loss < x",
  "stop early < 1 patience=2",
  "precision f32",
  "precision",
  "lyer fc 2->2 tanh",
  "x",
  'x = ( ) , "s',
  "fc 1",
  "1 fc",
  "-> x",
  "= 3",
  '"s" x',
  "model m extra",
  "let H",
  "let H = x",
  "sweep H = 1,",
  "let = 3",
  // long broken statements: the front end hands Chevrotain only the start
  "sgd " + "( ".repeat(50),
  "layer fc 2->3 tanh " + "= ".repeat(50),
  "row " + "1 ".repeat(50) + "-> 1",
  "( " + "x ".repeat(50),
  "layer fc 2->3 " + "a=1 ".repeat(30) + "b= c= d=",
  "row " + "1, ".repeat(40) + "-> 1,",
  "sweep H = " + "1, ".repeat(40),
];

/** The conv syntax's words and literals, on top of the hardening pieces. */
const convPieces = ["conv", "maxpool", "avgpool", "flatten", "kernel", "stride", "padding", "same", "1x17x17", "3x5", "2", "6", "input", "relu(0.1)"];

describe("direct reader = Chevrotain, statement by statement", () => {
  it("on every statement shape and its broken variants", () => {
    for (const shape of shapes) expect(disagreement(shape)).toBeNull();
  });

  it("on every spec and the hardening seeds", () => {
    for (const source of seeds) expect(disagreement(source)).toBeNull();
  });

  it("on the big hardening inputs", () => {
    for (const [kind, source] of Object.entries(bigSpecs(20_000))) expect(disagreement(source), kind).toBeNull();
  });

  it("on 4,000 random and mutated specs and 2,000 statements made of pieces", () => {
    fc.assert(
      fc.property(anySpecText, (source) => disagreement(source) === null),
      { numRuns: 4000, seed: 21 },
    );
    const all = [...pieces, ...convPieces];
    const statement = fc.tuple(fc.constantFrom(...all.filter((p) => /^[a-z]/.test(p))), fc.array(fc.constantFrom(...all), { maxLength: 8 }));
    fc.assert(
      fc.property(statement, ([head, rest]) => disagreement([head, ...rest].join(" ")) === null),
      { numRuns: 2000, seed: 22 },
    );
  });

  it("on 2,000 classes and row statements made of names, strings, numbers and commas", () => {
    const part = fc.constantFrom("male", "female", '"Iris setosa"', '"x', "data", "1", "-2.5", ",", "->", "=", "(", "1x2", "H", "");
    const statement = fc.tuple(fc.constantFrom("classes", "row", "row 1, 2 ->", "row 3 ->"), fc.array(part, { maxLength: 7 }));
    fc.assert(
      fc.property(statement, ([head, rest]) => disagreement([head, ...rest].join(" ")) === null),
      { numRuns: 2000, seed: 23 },
    );
  });

  it("on 3,000 layer statements made of sizes, activations and settings in any order", () => {
    const part = fc.constantFrom(
      "2",
      "H",
      "1x2",
      "->",
      "relu",
      "leaky_relu(0.1)",
      "(",
      ")",
      "kernel=3x5",
      "stride=2",
      "padding=same",
      "p=",
      "=",
      "tanh",
      "fc",
      "conv",
      ",",
      '"s"',
      "-1",
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 7 }), (rest) => disagreement(["layer", ...rest].join(" ")) === null),
      { numRuns: 3000, seed: 23 },
    );
  });
});

describe("the layer and input syntax of shaped layers (issue 14)", () => {
  const only = (source: string) => {
    const { statements, diagnostics } = parseSyntax(source, "t.nn");
    expect(diagnostics).toEqual([]);
    expect(statements).toHaveLength(1);
    return statements[0]!;
  };
  const size = (v: ValueNode | null) => (v === null ? null : v.type === "dims" ? v.values : v.type === "name" || v.type === "string" ? v.value : v.value);

  it("input CxHxW is one dims size", () => {
    const s = only("input 1x17x17");
    expect(s.size).toMatchObject({ type: "dims", values: [1, 17, 17], text: "1x17x17", range: { startColumn: 7, endColumn: 13 } });
  });

  it("a lone size is `from` with no `to`; a name is a size unless `=` or `(` follows it or it is an activation word without `->`", () => {
    expect([size(only("layer fc 26 softmax").from), only("layer fc 26 softmax").to]).toEqual([26, null]);
    expect(size(only("layer conv F kernel=3").from)).toBe("F");
    expect(size(only("layer maxpool 2x3").from)).toEqual([2, 3]);
    const flatten = only("layer flatten");
    expect([flatten.from, flatten.to, flatten.activation, flatten.activations, flatten.settings]).toEqual([null, null, null, [], []]);
    expect(only("layer dropout p=0.5").from).toBeNull();
    expect(only("layer fc tanh(2)").from).toBeNull();
    expect(only("layer fc relu").from).toBeNull();
    expect(only("layer fc relu").activation?.kind.text).toBe("relu");
    expect(size(only("layer fc relu->4").from)).toBe("relu");
    expect(size(only("layer conv F relu kernel=3").from)).toBe("F");
  });

  it("activations may come before, between or after the settings, all kept in order", () => {
    for (const source of ["layer conv 6 kernel=5 relu", "layer conv 6 relu kernel=5"]) {
      const s = only(source);
      expect(s.activation?.kind.text).toBe("relu");
      expect(s.activations.map((a) => a.kind.text)).toEqual(["relu"]);
      expect(s.settings.map((x) => [x.name.text, size(x.value)])).toEqual([["kernel", 5]]);
    }
    const two = only("layer conv 6 leaky_relu(0.2) kernel=3x5 stride=1x2 padding=same tanh");
    expect(two.activations.map((a) => [a.kind.text, a.alpha?.value ?? null, a.range.startColumn])).toEqual([
      ["leaky_relu", 0.2, 14],
      ["tanh", null, 65],
    ]);
    expect(two.activation).toBe(two.activations[0]);
    expect(two.settings.map((x) => [x.name.text, size(x.value)])).toEqual([
      ["kernel", [3, 5]],
      ["stride", [1, 2]],
      ["padding", "same"],
    ]);
  });

  it("a statement without activations shares the frozen empty list", () => {
    expect(only("layer fc 2->3").activations).toBe(none);
    expect(only("sgd lr=1").activations).toBe(none);
  });

  it("refuses dims where only a number goes, with the position of the dims", () => {
    for (const source of ["let H = 2x2", "row 1x2 -> 1", "split 1x2", "layer fc 2->3 relu(1x2)"]) {
      const { diagnostics } = parseSyntax(source, "t.nn");
      expect(
        diagnostics.map((d) => d.code),
        source,
      ).toEqual(["NN003"]);
      expect(source.slice(diagnostics[0]!.range.startOffset, diagnostics[0]!.range.endOffset + 1)).toMatch(/^\d+x\d+$/);
    }
  });

  it("names dims among what was expected, in words", () => {
    expect(parseSyntax("input", "t.nn").diagnostics[0]!.message).toBe(
      "syntax error: unexpected the end of the file, expected a number or dims such as `3x5` or a name",
    );
  });

  it("refuses a dims literal with an exponent at the name after it (`1x2e3` is `1x2`, then `e3`)", () => {
    const { diagnostics } = parseSyntax("input 1x2e3", "t.nn");
    expect(diagnostics.map((d) => [d.code, d.message, d.range.startColumn])).toEqual([["NN003", "syntax error: unexpected `e3`", 10]]);
    expect(diagnostics[0]!.hint).toMatch(/whole numbers joined by `x`/);
    // Not for a name after a space.
    expect(parseSyntax("input 1x2 e3", "t.nn").diagnostics[0]!.hint).toBeUndefined();
  });
});

describe("parseSyntax", () => {
  it("reads each statement alone: a broken line never takes the next one with it", () => {
    // Chevrotain's recovery, parsing the whole file, used to delete the line break after `layer` (the next
    // token, `layer`, is a name) and read both lines as one broken statement.
    const { statements, diagnostics } = parseSyntax("layer\nlayer fc 2->3 tanh\n", "t.nn");
    expect(diagnostics.map((d) => [d.code, d.range.startLine])).toEqual([["NN003", 1]]);
    expect(statements.map((s) => [s.keyword.range.startLine, s.kind?.text])).toEqual([[2, "fc"]]);
  });

  it("stops after 100 syntax errors at the next statement, and reports it", () => {
    const source = "layer fc 2->\n".repeat(150) + "loss mse\n";
    const { statements, diagnostics } = parseSyntax(source, "t.nn");
    const syntax = diagnostics.filter((d) => d.code === "NN003");
    expect(syntax).toHaveLength(101);
    expect(syntax.at(-1)!.message).toMatch(/too many syntax errors \(100\)/);
    expect(syntax.at(-1)!.range.startLine).toBe(101);
    expect(statements).toHaveLength(0);
  });
});
