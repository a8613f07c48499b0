// Step 1 of lowering, fast path: a statement whose tokens form one of the statement shapes exactly (no syntax
// error) becomes a StatementNode straight from its tokens, without Chevrotain. Any other statement — one the
// grammar rejects, or one this reader does not know — is left to the Chevrotain parser (grammar/parser.ts),
// which stays the definition of the grammar and the source of every syntax error message.
//
// Why: Chevrotain's parser and the tree it builds cost ~10 µs per statement, and a 1 MB spec has ~55,000
// statements (issue 8: "a 1 MB spec parses in under a second"). test/front/direct.test.ts checks that for
// every statement this reader accepts, Chevrotain gives no error and exactly the same StatementNode.
//
// The shapes, as in grammar/parser.ts (NAME is an identifier or a keyword; SIZE a number, DIMS or a NAME):
//   model|loss|normalize|precision NAME          input SIZE               let NAME = NUMBER
//   sweep NAME = NUMBER (, NUMBER)*              row NUMBER (, NUMBER)* -> (NUMBER (, NUMBER)* | CLASS)
//   classes CLASS (, CLASS)*                     where CLASS = NAME | STRING
//   layer NAME [SIZE [-> SIZE]] (ACTIVATION | SETTING)*    where ACTIVATION = NAME [( NUMBER )], not followed
//                                                by =, and a NAME size is not followed by = or (
//   sgd|momentum|rmsprop|adam SETTING*           schedule|init NAME SETTING*
//   data|test NAME [STRING] SETTING*             split NUMBER SETTING*
//   stop NAME [< | <= | > | >= NUMBER] SETTING*  WORD anything (an unknown statement: WORD is no keyword)
//   SETTING = NAME [= NUMBER | DIMS | STRING | NAME]
import type { IToken, TokenType } from "chevrotain";
import type { SourceRange } from "../ir.js";
import * as T from "../../grammar/tokens.js";
import { chevrotainToken, type Scanner } from "../../grammar/scanner.js";
import {
  emptyStatement,
  none,
  numberNodeOf,
  valueNode,
  type ActivationNode,
  type NameNode,
  type NumberNode,
  type StatementNode,
  type ValueNode,
  type Word,
} from "./statements.js";
import { spanRange } from "./ranges.js";
import { ACTIVATIONS } from "../maths.js";

/** The activation words, which a lone layer size never is (the grammar's gate, grammar/parser.ts). */
const ACTIVATION_WORDS: ReadonlySet<string> = new Set(Object.keys(ACTIVATIONS));

const names = new Set<TokenType>([T.Identifier, ...T.statementKeywords]);
const strings = new Set<TokenType>([T.ClosedString, T.UnterminatedString]);
/** What a SIZE or a setting's value may be besides a name. */
const numeric = new Set<TokenType>([T.NumberLiteral, T.Dims]);
const comparators = new Set<TokenType>([T.Less, T.LessEqual, T.Greater, T.GreaterEqual]);
const optimizers = new Set<TokenType>([T.Sgd, T.Momentum, T.Rmsprop, T.Adam]);

/** The tokens of one statement, as plain columns, and a read position. One instance is reused from statement
 * to statement: no object per token, no reader object per statement. */
export class StatementTokens {
  count = 0;
  /** The next token to read (parseDirect's reading methods below). */
  position = 0;
  private readonly types: TokenType[] = [];
  /** offset, length, line and column of each token, four to a token (a typed array: no per-element
   * bookkeeping, and one statement of a 1 MB spec can have 400,000 tokens). */
  private places = new Int32Array(4 * 64);

  constructor(private readonly source: string) {}

  /** Appends the scanner's current token. */
  add(scanner: Scanner): void {
    const n = this.count++;
    if (4 * n === this.places.length) {
      const grown = new Int32Array(2 * this.places.length);
      grown.set(this.places);
      this.places = grown;
    }
    this.types[n] = scanner.type;
    const at = 4 * n;
    this.places[at] = scanner.offset;
    this.places[at + 1] = scanner.length;
    this.places[at + 2] = scanner.line;
    this.places[at + 3] = scanner.column;
  }

  clear(): void {
    this.count = 0;
    this.position = 0;
  }

  /** The type of token `i`; undefined past the end (so a shape check there fails). */
  type(i: number): TokenType | undefined {
    return i < this.count ? this.types[i] : undefined;
  }

  text(i: number): string {
    const offset = this.places[4 * i]!;
    return this.source.slice(offset, offset + this.places[4 * i + 1]!);
  }

  /** Token `i`'s range, as `tokenRange` gives it for a Chevrotain token (tokens never span lines). */
  range(i: number): SourceRange {
    const places = this.places;
    const offset = places[4 * i]!;
    const length = places[4 * i + 1]!;
    const line = places[4 * i + 2]!;
    const column = places[4 * i + 3]!;
    return { startOffset: offset, endOffset: offset + length - 1, startLine: line, startColumn: column, endLine: line, endColumn: column + length - 1 };
  }

  /** The first `limit` tokens as Chevrotain's lexer builds them, for the Chevrotain parser. */
  toTokens(limit = this.count): IToken[] {
    const tokens: IToken[] = [];
    const places = this.places;
    for (let i = 0; i < Math.min(limit, this.count); i++) {
      tokens.push(chevrotainToken(this.source, this.types[i]!, places[4 * i]!, places[4 * i + 1]!, places[4 * i + 2]!, places[4 * i + 3]!));
    }
    return tokens;
  }

  // Reading: each method reads at `position`; a shape check past the end fails (type() is undefined there).

  is(set: Set<TokenType>, ahead = 0): boolean {
    const type = this.type(this.position + ahead);
    return type !== undefined && set.has(type);
  }

  isType(type: TokenType, ahead = 0): boolean {
    return this.type(this.position + ahead) === type;
  }

  atEnd(): boolean {
    return this.position === this.count;
  }

  word(): Word {
    const i = this.position++;
    return { text: this.text(i), range: this.range(i) };
  }

  number(): NumberNode {
    const i = this.position++;
    return numberNodeOf(this.text(i), this.range(i));
  }

  value(): ValueNode {
    const i = this.position++;
    return valueNode(this.type(i)!, this.text(i), this.range(i));
  }

  /** NUMBER (, NUMBER)* into `out`; false if it does not start with a number or a comma is not followed by one. */
  numberList(out: NumberNode[]): boolean {
    if (!this.isType(T.NumberLiteral)) return false;
    out.push(this.number());
    while (this.isType(T.Comma)) {
      this.position++;
      if (!this.isType(T.NumberLiteral)) return false;
      out.push(this.number());
    }
    return true;
  }

  /** CLASS (, CLASS)* into `out`, each a name or a string; false if it does not start with one or a comma is not followed by one. */
  nameList(out: NameNode[]): boolean {
    if (!this.isClassName()) return false;
    out.push(this.value() as NameNode);
    while (this.isType(T.Comma)) {
      this.position++;
      if (!this.isClassName()) return false;
      out.push(this.value() as NameNode);
    }
    return true;
  }

  /** At a class name: a name or a (closed or unterminated) string. */
  isClassName(): boolean {
    return this.is(names) || this.is(strings);
  }

  /** SIZE: a number, dims or a name. */
  size(): ValueNode | null {
    return this.is(numeric) || this.is(names) ? this.value() : null;
  }

  /** `NAME = VALUE` or a bare NAME (at a name) into `s.settings`; false if `=` is not followed by a value. */
  setting(s: StatementNode): boolean {
    const out = s.settings === none ? (s.settings = []) : s.settings;
    const name = this.word();
    if (!this.isType(T.Equals)) {
      out.push({ name, value: null, range: spanRange(name.range, name.range) });
      return true;
    }
    this.position++;
    if (!(this.is(numeric) || this.is(strings) || this.is(names))) return false;
    const value = this.value();
    out.push({ name, value, range: spanRange(name.range, value.range) });
    return true;
  }

  /** SETTING* up to the end of the statement into `s.settings` (a new array only if there is one); false if
   * anything else is left. */
  settings(s: StatementNode): boolean {
    while (this.is(names)) if (!this.setting(s)) return false;
    return this.atEnd();
  }
}

/** The statement's node if its tokens form a statement shape exactly, else null (Chevrotain decides). After
 * null, `tokens.position` is at most two tokens before the first token that breaks the shape (the reader
 * looks at most two tokens ahead). */
export function parseDirect(tokens: StatementTokens): StatementNode | null {
  if (tokens.count === 0) return null;
  const r = tokens;
  r.position = 0;
  const first = tokens.type(0)!;
  const s = emptyStatement(r.word(), first !== T.Identifier);
  if (!readShape(first, r, s)) return null;
  const last = tokens.count - 1;
  if (last > 0) s.range = spanRange(s.keyword.range, tokens.range(last));
  return s;
}

/** Reads what follows the keyword into `s`; true when the whole statement has its keyword's shape. */
function readShape(keyword: TokenType, r: StatementTokens, s: StatementNode): boolean {
  switch (keyword) {
    case T.Identifier:
      // An unknown statement takes any tokens; its word is also its `kind` (the grammar labels it so).
      s.kind = { text: s.keyword.text, range: s.keyword.range };
      r.position = r.count;
      return true;
    case T.Model:
    case T.Loss:
    case T.Normalize:
    case T.Precision:
      if (!r.is(names)) return false;
      s.kind = r.word();
      return r.atEnd();
    case T.Input:
      s.size = r.size();
      return s.size !== null && r.atEnd();
    case T.Let:
    case T.Sweep:
      if (!(r.is(names) && r.isType(T.Equals, 1))) return false;
      s.variable = r.word();
      r.position++;
      if (keyword === T.Let) {
        if (!r.isType(T.NumberLiteral)) return false;
        s.numbers = [r.number()];
        return r.atEnd();
      }
      s.numbers = [];
      return r.numberList(s.numbers) && r.atEnd();
    case T.Row:
      s.inputs = [];
      if (!r.numberList(s.inputs) || !r.isType(T.Arrow)) return false;
      r.position++;
      if (r.isClassName()) {
        s.names = [r.value() as NameNode];
        return r.atEnd();
      }
      s.targets = [];
      return r.numberList(s.targets) && r.atEnd();
    case T.Classes:
      s.names = [];
      return r.nameList(s.names) && r.atEnd();
    case T.Layer:
      return readLayer(r, s);
    case T.Schedule:
    case T.Init:
      if (!r.is(names)) return false;
      s.kind = r.word();
      return r.settings(s);
    case T.Data:
    case T.Test:
      if (!r.is(names)) return false;
      s.kind = r.word();
      if (r.is(strings)) s.path = r.value() as Extract<ValueNode, { type: "string" }>;
      return r.settings(s);
    case T.Split:
      if (!r.isType(T.NumberLiteral)) return false;
      s.numbers = [r.number()];
      return r.settings(s);
    case T.Stop:
      if (!r.is(names)) return false;
      s.kind = r.word();
      if (r.is(comparators)) {
        s.comparator = r.word();
        if (!r.isType(T.NumberLiteral)) return false;
        s.numbers = [r.number()];
      }
      return r.settings(s);
    default:
      return optimizers.has(keyword) && r.settings(s);
  }
}

/** layer NAME [SIZE [-> SIZE]] (ACTIVATION | SETTING)* */
function readLayer(r: StatementTokens, s: StatementNode): boolean {
  if (!r.is(names)) return false;
  s.kind = r.word();
  // Sizes when a number or dims follows, or a name followed by `->`, or one not followed by `=` or `(` that is no activation word (the grammar's gate).
  if (
    r.is(numeric) ||
    (r.is(names) && (r.isType(T.Arrow, 1) || (!r.isType(T.Equals, 1) && !r.isType(T.LParen, 1) && !ACTIVATION_WORDS.has(r.text(r.position)))))
  ) {
    s.from = r.value();
    if (r.isType(T.Arrow)) {
      r.position++;
      s.to = r.size();
      if (s.to === null) return false;
    }
  }
  // Then, in any order: a name followed by `=` is a setting, any other name an activation.
  while (r.is(names)) {
    if (r.isType(T.Equals, 1)) {
      if (!r.setting(s)) return false;
      continue;
    }
    const kind = r.word();
    let alpha: NumberNode | null = null;
    let end = kind.range;
    if (r.isType(T.LParen)) {
      if (!(r.isType(T.NumberLiteral, 1) && r.isType(T.RParen, 2))) return false;
      r.position++;
      alpha = r.number();
      end = r.range(r.position++);
    }
    const activation: ActivationNode = { kind, alpha, range: spanRange(kind.range, end) };
    // `[activation]`, not `[]` then push: an array grown by push gets room for 16 (55,000 layers, each kept).
    if (s.activations === none) {
      s.activations = [activation];
      s.activation = activation;
    } else s.activations.push(activation);
  }
  return r.atEnd();
}
