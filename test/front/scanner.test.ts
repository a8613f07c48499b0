// The hand-written lexer (grammar/scanner.ts) against the Chevrotain lexer built from grammar/tokens.ts, the
// definition of the vocabulary: same tokens (type, image, offsets, lines, columns) and the same error runs
// (offset, length, line, column) on every spec, the big hardening inputs and thousands of random and
// mutated texts, including every character class at every boundary.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ILexingError, IToken } from "chevrotain";
import { chevrotainLexer } from "../../grammar/tokens.js";
import { scan } from "../../grammar/scanner.js";
import { anySpecText, bigSpecs, pieces, seeds } from "../hardening/spec-fuzz.js";

const tokenView = (t: IToken) => [t.tokenType.name, t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn, t.tokenTypeIdx];
const errorView = (e: ILexingError) => [e.offset, e.length, e.line, e.column];

/** Null when both lexers agree on `source`, else the first difference (for a readable failure). */
function difference(source: string): string | null {
  const expected = chevrotainLexer().tokenize(source);
  const actual = scan(source);
  const n = Math.max(expected.tokens.length, actual.tokens.length);
  for (let i = 0; i < n; i++) {
    const a = expected.tokens[i] && JSON.stringify(tokenView(expected.tokens[i]!));
    const b = actual.tokens[i] && JSON.stringify(tokenView(actual.tokens[i]!));
    if (a !== b) return `token ${i}: chevrotain ${a}, scanner ${b} in ${JSON.stringify(source.slice(0, 200))}`;
  }
  const a = JSON.stringify(expected.errors.map(errorView));
  const b = JSON.stringify(actual.errors.map(errorView));
  return a === b ? null : `errors: chevrotain ${a}, scanner ${b} in ${JSON.stringify(source.slice(0, 200))}`;
}

/** Every character class the lexer cares about, and their neighbours. */
const alphabet = [...'aZ_09-.eE+<>=,()";#\\ \t\f\v\r\n\u00a0\ufeff\u2028\u2029\u0000é😀x1'];

describe("scanner = Chevrotain lexer", () => {
  it("on every spec and the hardening seeds", () => {
    for (const source of seeds) expect(difference(source)).toBeNull();
  });

  it("on the 1 MB hardening inputs", () => {
    for (const [kind, source] of Object.entries(bigSpecs(200_000))) expect(difference(source), kind).toBeNull();
  });

  it("on hand-picked edges (numbers, strings, keywords, operators, error runs)", () => {
    const edges = [
      "",
      "1",
      "-1",
      "-",
      "->",
      "-->",
      "-.5",
      "-.",
      ".5",
      ".",
      "1.",
      "1.e5",
      "1e",
      "1e+",
      "1e-3x",
      "1E+05",
      "2-3",
      "2->3",
      "models model model- model-x model_ modelling let lets sgd2",
      "a-b-c a- a-- a-1 _",
      '"',
      '"a',
      '"a"',
      '"a\\"',
      '"a\\',
      '"a\\\n"',
      '"a\\\u2028"',
      '"a\\\u2029',
      '"\\\\"',
      '"x\r"',
      "<<=>>==,()",
      "#c\r\nx",
      "#c\rx",
      "é-x",
      "--5",
      "-x",
      "\u0000\u0001 a",
      "a\r\n\r\nb",
      "\r\r\n\n",
      "x\u00a0\ufeffy",
      "1.2.3",
      "..5",
      "9".repeat(400),
      // Dims: digits joined by `x`, tried before numbers
      "1x17x17",
      "3x5",
      "1x",
      "x1",
      "1x2x",
      "1xx2",
      "12x3e4",
      "1x2e3",
      "1x2->3",
      "2->3x4",
      "-1x2",
      "1.5x2",
      "1x2.5",
      "1e3x4",
      "0x0",
      "1X2",
      "a1x2 _1x2",
      "kernel=3x5 stride=1x2",
      "1x2x3x4x5x6",
      "9".repeat(300) + "x" + "9".repeat(300),
    ];
    for (const source of edges) expect(difference(source)).toBeNull();
  });

  it("on 4,000 random strings over the characters that matter", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 40 }), (source) => difference(source) === null),
      { numRuns: 4000, seed: 11 },
    );
  });

  it("on 3,000 random and mutated specs", () => {
    fc.assert(
      fc.property(anySpecText, (source) => difference(source) === null),
      { numRuns: 3000, seed: 12 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => difference(parts.join("")) === null),
      { numRuns: 1000, seed: 13 },
    );
  });
});

describe("Dims tokens", () => {
  const view = (source: string) => scan(source).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

  it("joins whole numbers with x into one token, and ends where the next character cannot continue it", () => {
    expect(view("1x17x17")).toEqual(["Dims:1x17x17"]);
    expect(view("kernel=3x5")).toEqual(["Identifier:kernel", "Equals:=", "Dims:3x5"]);
    expect(view("1x")).toEqual(["NumberLiteral:1", "Identifier:x"]);
    expect(view("x1")).toEqual(["Identifier:x1"]);
    expect(view("1x2x")).toEqual(["Dims:1x2", "Identifier:x"]);
    // No exponents in dims: the name that follows is left for the parser to refuse.
    expect(view("1x2e3")).toEqual(["Dims:1x2", "Identifier:e3"]);
    expect(view("12x3e4")).toEqual(["Dims:12x3", "Identifier:e4"]);
    expect(view("1x2->3")).toEqual(["Dims:1x2", "Arrow:->", "NumberLiteral:3"]);
    // No sign and no fraction: `-1x2` is the number -1 then the name x2.
    expect(view("-1x2")).toEqual(["NumberLiteral:-1", "Identifier:x2"]);
    expect(view("1.5x2")).toEqual(["NumberLiteral:1.5", "Identifier:x2"]);
    expect(view("1X2")).toEqual(["NumberLiteral:1", "Identifier:X2"]);
  });
});
