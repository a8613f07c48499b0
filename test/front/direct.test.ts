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
import { collectStatements } from "../../src/front/statements.js";
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
    const statement = fc.tuple(fc.constantFrom(...pieces.filter((p) => /^[a-z]/.test(p))), fc.array(fc.constantFrom(...pieces), { maxLength: 8 }));
    fc.assert(
      fc.property(statement, ([head, rest]) => disagreement([head, ...rest].join(" ")) === null),
      { numRuns: 2000, seed: 22 },
    );
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
