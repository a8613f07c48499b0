// The .nn vocabulary: Chevrotain token types, in the order the lexer tries them (`allTokens`).
//
// Keywords are only the words that start a statement (`model`, `layer`, `sgd`, …). Each keyword has
// `longer_alt: Identifier` (so `models` or `data-x` lex as names) and the category `Name`, so wherever the
// grammar accepts a name (an option, a value, an activation) a keyword is accepted too: `stop loss < 0.1`.
// Everything else (`fc`, `sigmoid`, `normal`, `planar`, option names) is a plain name, checked after parsing,
// where a typo can get a "did you mean" instead of a bare syntax error.
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Category matched by every name-like token: identifiers and keywords. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA });

/** `[A-Za-z_][A-Za-z0-9_]*` with inner hyphens (`zero-mean`); `H->1` still lexes as `H`, `->`, `1`. */
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/,
  categories: [Name],
});

/** A statement keyword: a name in the `Name` category that the lexer prefers only when the whole word matches. */
function keyword(word: string): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name],
  });
}

export const Model = keyword("model");
export const Input = keyword("input");
export const Let = keyword("let");
export const Sweep = keyword("sweep");
export const Layer = keyword("layer");
export const Loss = keyword("loss");
export const Sgd = keyword("sgd");
export const Momentum = keyword("momentum");
export const Rmsprop = keyword("rmsprop");
export const Adam = keyword("adam");
export const Schedule = keyword("schedule");
export const Init = keyword("init");
export const Data = keyword("data");
export const Test = keyword("test");
export const Classes = keyword("classes");
export const Row = keyword("row");
export const Split = keyword("split");
export const Normalize = keyword("normalize");
export const Stop = keyword("stop");
export const Precision = keyword("precision");

/** Statement keywords, for "unknown statement, did you mean …". */
export const statementKeywords: readonly TokenType[] = [
  Model,
  Input,
  Let,
  Sweep,
  Layer,
  Loss,
  Sgd,
  Momentum,
  Rmsprop,
  Adam,
  Schedule,
  Init,
  Data,
  Test,
  Classes,
  Row,
  Split,
  Normalize,
  Stop,
  Precision,
];

/** `1x17x17`, `3x5`: whole numbers joined by `x` (no sign, no spaces), for shapes and kernel sizes. Tried
 * before NumberLiteral, so `3x5` is one token; the longest run of `x` and digits is taken and the lexer
 * goes on after it as everywhere else (`1x2e3` is `1x2` then the name `e3`, `1x` is `1` then `x`). */
export const Dims = createToken({ name: "Dims", pattern: /\d+(?:x\d+)+/ });

/** `12`, `-3`, `0.5`, `.5`, `1e-3`. The sign is part of the number; `->` never is (a digit must follow `-`). */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
});

/** Category for string tokens, so the parser accepts an unterminated string and a later check reports it. */
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA });
export const ClosedString = createToken({
  name: "ClosedString",
  pattern: /"(?:[^"\\\r\n]|\\.)*"/,
  categories: [StringLiteral],
});
/** A string that reaches the end of its line without a closing quote (reported as NN002). */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\.)*\\?/,
  categories: [StringLiteral],
});

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'" });
export const LessEqual = createToken({ name: "LessEqual", pattern: /<=/, label: "'<='" });
export const Less = createToken({ name: "Less", pattern: /</, label: "'<'" });
export const GreaterEqual = createToken({ name: "GreaterEqual", pattern: />=/, label: "'>='" });
export const Greater = createToken({ name: "Greater", pattern: />/, label: "'>'" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });

/** Statements end at a newline or `;`. */
export const Newline = createToken({ name: "Newline", pattern: /\r\n|\r|\n/, line_breaks: true, label: "newline" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "';'" });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

/** Lexer order: whitespace and comments, keywords before Identifier, longer operators before their prefixes. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semicolon,
  ...statementKeywords,
  Identifier,
  Name,
  Dims,
  NumberLiteral,
  ClosedString,
  UnterminatedString,
  StringLiteral,
  Arrow,
  LessEqual,
  Less,
  GreaterEqual,
  Greater,
  Equals,
  Comma,
  LParen,
  RParen,
];

let lexer: Lexer | undefined;

/** Chevrotain's lexer for these tokens: the reference the front end's hand-written scanner (grammar/scanner.ts)
 * is tested against. Built on first use (building it analyses every pattern, which every `nnc` command
 * reading a spec would otherwise pay for at start-up). */
export function chevrotainLexer(): Lexer {
  return (lexer ??= new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false }));
}
