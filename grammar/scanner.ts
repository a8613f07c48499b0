// A hand-written lexer that gives exactly what the Chevrotain lexer built from grammar/tokens.ts gives
// (`chevrotainLexer().tokenize`): the same token types, images, offsets, lines and columns, and the same error runs.
//
// Why a second lexer: Chevrotain's tries each token's regular expression in turn and cost ~130–300 ms on a
// 1 MB spec, a third of the "1 MB parses in under a second" budget (issue 8); a switch on the first
// character does the same job in a fraction of that. tokens.ts stays the definition of the vocabulary:
// test/front/scanner.test.ts compares the two lexers on every spec, the docs' examples and thousands of
// random and mutated inputs, token by token.
import type { ILexingError, IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

export interface ScanResult {
  tokens: IToken[];
  /** One error per run of characters that start no token (as Chevrotain reports them). */
  errors: ILexingError[];
}

const keywordByImage = new Map<string, TokenType>(T.statementKeywords.map((t) => [(t.PATTERN as RegExp).source, t]));
/** Longer words are never keywords (no slice and lookup for a 1 MB name). */
const longestKeyword = Math.max(...[...keywordByImage.keys()].map((k) => k.length));

const enum Char {
  Tab = 9,
  LineFeed = 10,
  VerticalTab = 11,
  FormFeed = 12,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Hash = 35,
  LParen = 40,
  RParen = 41,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Digit0 = 48,
  Digit9 = 57,
  Semicolon = 59,
  Less = 60,
  Equals = 61,
  Greater = 62,
  UpperA = 65,
  UpperZ = 90,
  UpperE = 69,
  Backslash = 92,
  Underscore = 95,
  LowerA = 97,
  LowerE = 101,
  LowerX = 120,
  LowerZ = 122,
  Plus = 43,
  NoBreakSpace = 0xa0,
  LineSeparator = 0x2028,
  ParagraphSeparator = 0x2029,
  ByteOrderMark = 0xfeff,
}

const isDigit = (c: number): boolean => c >= Char.Digit0 && c <= Char.Digit9;
const isNameStart = (c: number): boolean => (c >= Char.LowerA && c <= Char.LowerZ) || (c >= Char.UpperA && c <= Char.UpperZ) || c === Char.Underscore;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
const isSpace = (c: number): boolean =>
  c === Char.Space || c === Char.Tab || c === Char.FormFeed || c === Char.VerticalTab || c === Char.NoBreakSpace || c === Char.ByteOrderMark;
/** What `.` in a JavaScript regular expression does not match (the string pattern's `\\.`). */
const isLineTerminator = (c: number): boolean => c === Char.LineFeed || c === Char.CarriageReturn || c === Char.LineSeparator || c === Char.ParagraphSeparator;

/** Length of the NumberLiteral at `i` (`-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`), 0 if none starts there. */
function numberLength(source: string, i: number): number {
  let j = i;
  if (source.charCodeAt(j) === Char.Minus) j++;
  if (isDigit(source.charCodeAt(j))) {
    while (isDigit(source.charCodeAt(j))) j++;
    if (source.charCodeAt(j) === Char.Dot) {
      j++;
      while (isDigit(source.charCodeAt(j))) j++;
    }
  } else if (source.charCodeAt(j) === Char.Dot && isDigit(source.charCodeAt(j + 1))) {
    j++;
    while (isDigit(source.charCodeAt(j))) j++;
  } else {
    return 0;
  }
  const e = source.charCodeAt(j);
  if (e === Char.LowerE || e === Char.UpperE) {
    let k = j + 1;
    const sign = source.charCodeAt(k);
    if (sign === Char.Plus || sign === Char.Minus) k++;
    if (isDigit(source.charCodeAt(k))) {
      while (isDigit(source.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j - i;
}

/** Length of the Dims at `i` (`\d+(?:x\d+)+`), 0 if none starts there: digits, then one or more `x` each
 * followed by digits (an `x` not followed by a digit ends it, and is not part of it). */
function dimsLength(source: string, i: number): number {
  let j = i;
  while (isDigit(source.charCodeAt(j))) j++;
  if (j === i) return 0;
  let end = i;
  while (source.charCodeAt(j) === Char.LowerX && isDigit(source.charCodeAt(j + 1))) {
    j += 2;
    while (isDigit(source.charCodeAt(j))) j++;
    end = j;
  }
  return end - i;
}

/** Length of the Identifier at `i` (`[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*`); the caller checked the first character. */
function identifierLength(source: string, i: number): number {
  let j = i + 1;
  for (;;) {
    while (isNamePart(source.charCodeAt(j))) j++;
    if (source.charCodeAt(j) === Char.Minus && isNamePart(source.charCodeAt(j + 1))) j += 2;
    else return j - i;
  }
}

/** The string token at `i` (a `"`): ClosedString if the closing quote comes before the line ends, else
 * UnterminatedString up to the line end (with a trailing `\` that escapes nothing). */
function stringToken(source: string, i: number): { type: TokenType; length: number } {
  let j = i + 1;
  for (;;) {
    const c = source.charCodeAt(j);
    if (c === Char.Quote) return { type: T.ClosedString, length: j + 1 - i };
    if (c === Char.Backslash) {
      if (j + 1 < source.length && !isLineTerminator(source.charCodeAt(j + 1))) {
        j += 2;
        continue;
      }
      return { type: T.UnterminatedString, length: j + 1 - i };
    }
    if (Number.isNaN(c) || c === Char.LineFeed || c === Char.CarriageReturn) return { type: T.UnterminatedString, length: j - i };
    j++;
  }
}

/** True where some token (or skipped whitespace/comment) starts: where an error run ends. The same tests as
 * Scanner.next's dispatch, in the same helpers. */
function startsToken(source: string, i: number): boolean {
  const c = source.charCodeAt(i);
  return (
    isSpace(c) ||
    c === Char.Hash ||
    c === Char.LineFeed ||
    c === Char.CarriageReturn ||
    isNameStart(c) ||
    c === Char.Quote ||
    numberLength(source, i) > 0 ||
    operator(source, i) !== undefined
  );
}

/** The token type and length of the operator at `i`, or undefined. */
function operator(source: string, i: number): TokenType | undefined {
  const c = source.charCodeAt(i);
  const next = source.charCodeAt(i + 1);
  switch (c) {
    case Char.Minus:
      return next === Char.Greater ? T.Arrow : undefined;
    case Char.Less:
      return next === Char.Equals ? T.LessEqual : T.Less;
    case Char.Greater:
      return next === Char.Equals ? T.GreaterEqual : T.Greater;
    case Char.Equals:
      return T.Equals;
    case Char.Comma:
      return T.Comma;
    case Char.LParen:
      return T.LParen;
    case Char.RParen:
      return T.RParen;
    case Char.Semicolon:
      return T.Semicolon;
    default:
      return undefined;
  }
}

const operatorLength = (type: TokenType): number => (type === T.Arrow || type === T.LessEqual || type === T.GreaterEqual ? 2 : 1);

/** A token as Chevrotain's lexer builds it with `positionTracking: "full"` (same fields, same order; tokens
 * never span lines). */
export function chevrotainToken(source: string, type: TokenType, offset: number, length: number, line: number, column: number): IToken {
  return {
    image: source.slice(offset, offset + length),
    startOffset: offset,
    endOffset: offset + length - 1,
    startLine: line,
    endLine: line,
    startColumn: column,
    endColumn: column + length - 1,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
  };
}

/**
 * A cursor over the tokens of `source`: `next()` moves to the next token (skipping whitespace, comments and
 * runs of characters that start no token, which it records in `errors`) and describes it in plain fields,
 * without building a token object. The front end's direct parser (src/front/direct.ts) reads most
 * statements this way: a 1 MB spec has up to a million tokens, and as objects they all survived to the end
 * of the parse, so building and garbage-collecting them was most of the lexer's time.
 */
export class Scanner {
  /** The current token (valid after `next()` returned true). */
  type: TokenType = T.Newline;
  offset = 0;
  length = 0;
  line = 1;
  column = 1;
  /** Runs of characters that start no token, in source order, as Chevrotain reports them (the first
   * `keepErrors`; `errorCount` counts them all). */
  readonly errors: ILexingError[] = [];
  errorCount = 0;
  private position = 0;
  private nextLine = 1;
  private nextColumn = 1;

  /** `keepErrors`: the front end reports only the first hundred or so, and a 1 MB binary file has ~100,000. */
  constructor(
    readonly source: string,
    private readonly keepErrors = Infinity,
  ) {}

  /** The current token as a Chevrotain token object. */
  token(): IToken {
    return chevrotainToken(this.source, this.type, this.offset, this.length, this.line, this.column);
  }

  /** Moves to the next token; false at the end of the source. */
  next(): boolean {
    const source = this.source;
    const end = source.length;
    let i = this.position;
    let line = this.nextLine;
    let column = this.nextColumn;
    while (i < end) {
      const c = source.charCodeAt(i);
      let j = i + 1;
      let type: TokenType | undefined;
      if (isSpace(c)) {
        while (j < end && isSpace(source.charCodeAt(j))) j++;
      } else if (c === Char.Hash) {
        while (j < end && source.charCodeAt(j) !== Char.LineFeed && source.charCodeAt(j) !== Char.CarriageReturn) j++;
      } else if (c === Char.LineFeed || c === Char.CarriageReturn) {
        if (c === Char.CarriageReturn && source.charCodeAt(j) === Char.LineFeed) j++;
        type = T.Newline;
      } else if (isNameStart(c)) {
        j = i + identifierLength(source, i);
        // A keyword only when the whole word is one (Chevrotain: the keyword's `longer_alt: Identifier`).
        type = j - i <= longestKeyword ? (keywordByImage.get(source.slice(i, j)) ?? T.Identifier) : T.Identifier;
      } else {
        // Dims before NumberLiteral (the order of allTokens): `3x5` is one token, not `3` and the name `x5`.
        const dims = isDigit(c) ? dimsLength(source, i) : 0;
        const number = dims > 0 ? 0 : numberLength(source, i);
        if (dims > 0) {
          j = i + dims;
          type = T.Dims;
        } else if (number > 0) {
          j = i + number;
          type = T.NumberLiteral;
        } else if (c === Char.Quote) {
          const string = stringToken(source, i);
          j = i + string.length;
          type = string.type;
        } else {
          type = operator(source, i);
          if (type !== undefined) {
            j = i + operatorLength(type);
          } else {
            // Characters that start no token: one error for the whole run, up to where a token can start.
            while (j < end && !startsToken(source, j)) j++;
            if (this.errorCount++ < this.keepErrors)
              this.errors.push({
                offset: i,
                line,
                column,
                length: j - i,
                message: `unexpected character: ->${source.charAt(i)}<- at offset: ${i}, skipped ${j - i} characters.`,
              });
          }
        }
      }
      if (type !== undefined) {
        this.type = type;
        this.offset = i;
        this.length = j - i;
        this.line = line;
        this.column = column;
        this.position = j;
        if (type === T.Newline) {
          this.nextLine = line + 1;
          this.nextColumn = 1;
        } else {
          this.nextLine = line;
          this.nextColumn = column + (j - i);
        }
        return true;
      }
      column += j - i;
      i = j;
    }
    this.position = end;
    this.nextLine = line;
    this.nextColumn = column;
    return false;
  }
}

/** Tokenizes `source` as `chevrotainLexer().tokenize(source)` does (whitespace and comments skipped). Never throws. */
export function scan(source: string): ScanResult {
  const scanner = new Scanner(source);
  const tokens: IToken[] = [];
  while (scanner.next()) tokens.push(scanner.token());
  return { tokens, errors: scanner.errors };
}
