// Lexing and parsing with diagnostics: NN001 (a character no token starts with), NN002 (unterminated
// string), NN003 (syntax error), NN018 (an unknown escape in a string, src/front/escapes.ts). The scanner (grammar/scanner.ts) walks the whole text; each statement is
// read on its own, by the direct reader (direct.ts) or, when broken, by Chevrotain, so one run reports every
// broken statement (its first error) and a statement that holds a syntax error is left out of the semantic
// checks (no cascades).
import { EOF, tokenMatcher, type IRecognitionException, type IToken } from "chevrotain";
import type { Diagnostic, SourceRange } from "../ir.js";
import { ClosedString, Newline, Semicolon, UnterminatedString } from "../../grammar/tokens.js";
import { Scanner } from "../../grammar/scanner.js";
import { MAX_LOOKAHEAD, MAX_PARSE_ERRORS, parseStatement } from "../../grammar/parser.js";
import { collectStatements, type StatementNode } from "./statements.js";
import { parseDirect, StatementTokens } from "./direct.js";
import { isRealToken, lineAndColumn, pointRange, tokenRange } from "./ranges.js";
import { unknownEscapeDiagnostic, unknownEscapes } from "./escapes.js";

export interface SyntaxResult {
  /** Statements without syntax errors, in source order. */
  statements: StatementNode[];
  diagnostics: Diagnostic[];
}

function rangeAt(source: string, offset: number, length: number): SourceRange {
  const start = pointRange(source, offset);
  const endOffset = Math.max(start.startOffset, Math.min(offset + Math.max(1, length) - 1, source.length - 1));
  const end = lineAndColumn(source, endOffset);
  return { ...start, endOffset, endLine: end.line, endColumn: end.column };
}

/** Token names in Chevrotain's messages → words a spec writer knows. */
const friendly: Record<string, string> = {
  Name: "a name",
  Identifier: "a name",
  NumberLiteral: "a number",
  Dims: "dims such as `3x5`",
  StringLiteral: "a quoted string",
  EOF: "the end of the statement",
  Newline: "the end of the line",
};

function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return "the end of the file";
  if (tokenMatcher(token, UnterminatedString)) return "string";
  return token.image === "\n" || token.image === "\r\n" || token.image === "\r" ? "the end of the line" : `\`${token.image}\``;
}

/** "expected a number" from Chevrotain's "Expecting token of type --> NumberLiteral <--" / alternatives lists. */
function expectation(error: IRecognitionException): string | undefined {
  const names = new Set<string>();
  for (const match of error.message.matchAll(/-->\s*([A-Za-z]+)\s*<--|\[([A-Za-z]+)/g)) {
    const name = match[1] ?? match[2];
    if (name) names.add(friendly[name] ?? `\`${name.toLowerCase()}\``);
  }
  if (names.size === 0 || names.size > 4) return undefined;
  return `expected ${[...names].join(" or ")}`;
}

function parseDiagnostic(error: IRecognitionException, source: string, fileName: string, lastToken: IToken | undefined): Diagnostic {
  const token = error.token;
  const atEnd = !isRealToken(token) || token.tokenType === EOF;
  const range = atEnd ? (lastToken ? tokenRange(lastToken) : pointRange(source, source.length)) : tokenRange(token);
  const what = atEnd ? "the end of the file" : describeToken(token);
  const expected = expectation(error);
  const diagnostic: Diagnostic = {
    code: "NN003",
    severity: "error",
    message: `syntax error: unexpected ${what}${expected ? `, ${expected}` : ""}`,
    fileName,
    range,
  };
  // A name glued to the digits before it (`1x2e3`, `1x`, `3x5.5`): the number or dims ended at that letter.
  if (!atEnd && /^[A-Za-z_]/.test(token.image) && /[0-9]/.test(source.charAt(token.startOffset - 1)))
    diagnostic.hint =
      "a number or size ends where a letter follows it: sizes are whole numbers joined by `x` (`1x17x17`, `3x5`), no sign, fraction or exponent";
  return diagnostic;
}

export function parseSyntax(source: string, fileName: string): SyntaxResult {
  const scanner = new Scanner(source, MAX_PARSE_ERRORS + 1);
  const unterminated: Diagnostic[] = [];
  /** NN018: unknown escapes in strings (src/front/escapes.ts), at most MAX_PARSE_ERRORS of them. */
  const escapes: Diagnostic[] = [];
  const collected: StatementNode[] = [];
  const parseErrors: IRecognitionException[] = [];
  let stoppedAt: IToken | undefined;
  // Statements end at a separator and never span one: each is read on its own, directly when it has a
  // statement's shape (direct.ts), else by Chevrotain (grammar/parser.ts), which reports the syntax errors.
  const statement = new StatementTokens(source);
  /** Ends the buffered statement; `atSeparator`: the scanner stands on the `;` or line break that ends it. */
  const endStatement = (atSeparator: boolean): void => {
    if (statement.count === 0) return;
    if (parseErrors.length >= MAX_PARSE_ERRORS) {
      // Parsing stops here; the scan goes on (every NN001/NN002 of the file is still counted) but reads no
      // more statements.
      stoppedAt = statement.toTokens(1)[0];
      statement.clear();
      return;
    }
    const direct = parseDirect(statement);
    if (direct !== null) {
      collected.push(direct);
    } else {
      // A broken statement: Chevrotain reports its first syntax error (one per statement; the statement is
      // left out of the checks anyway).
      // Only a statement that goes to Chevrotain needs its separator as a token object.
      const { cst, errors } = parseStatement(tokensForChevrotain(statement, atSeparator ? scanner.token() : undefined));
      for (const s of collectStatements(cst)) collected.push(s);
      if (errors.length > 0) parseErrors.push(errors[0]!);
    }
    statement.clear();
  };
  let tokenCount = 0;
  while (scanner.next()) {
    tokenCount++;
    const type = scanner.type;
    if (type === Newline || type === Semicolon) {
      endStatement(true);
      continue;
    }
    if ((type === ClosedString || type === UnterminatedString) && escapes.length < MAX_PARSE_ERRORS) {
      const token = scanner.token();
      for (const at of unknownEscapes(token.image).slice(0, MAX_PARSE_ERRORS - escapes.length)) {
        const offset = token.startOffset + at;
        escapes.push(unknownEscapeDiagnostic(source.charAt(offset + 1), fileName, rangeAt(source, offset, 2)));
      }
    }
    if (type === UnterminatedString) {
      unterminated.push({
        code: "NN002",
        severity: "error",
        message: 'unterminated string: add the closing `"`',
        fileName,
        range: tokenRange(scanner.token()),
      });
    }
    if (stoppedAt === undefined) statement.add(scanner);
  }
  endStatement(false);

  const diagnostics: Diagnostic[] = [];
  const lexErrors = scanner.errors;
  // At most MAX_PARSE_ERRORS characters reported (a binary file would give one per stray byte run).
  if (scanner.errorCount > MAX_PARSE_ERRORS) {
    const first = lexErrors[MAX_PARSE_ERRORS]!;
    diagnostics.push({
      code: "NN001",
      severity: "error",
      message: `too many unexpected characters (${scanner.errorCount}): only the first ${MAX_PARSE_ERRORS} are reported`,
      fileName,
      range: rangeAt(source, first.offset, first.length),
    });
  }
  for (const e of lexErrors.slice(0, MAX_PARSE_ERRORS)) {
    const bad = source.slice(e.offset, e.offset + e.length);
    diagnostics.push({
      code: "NN001",
      severity: "error",
      message: `unexpected character${e.length > 1 ? "s" : ""} ${JSON.stringify(bad.length > 20 ? bad.slice(0, 20) + "…" : bad)}`,
      hint: "names are letters, digits, `_` and inner `-`; strings are double-quoted; `#` starts a comment",
      fileName,
      range: rangeAt(source, e.offset, e.length),
    });
  }
  for (const d of unterminated) diagnostics.push(d);
  for (const d of escapes) diagnostics.push(d);
  // The scanner still holds the file's last token (an error at the end of the file points at it).
  const lastToken = tokenCount > 0 ? scanner.token() : undefined;
  const errorOffsets: number[] = [];
  for (const e of parseErrors) {
    const d = parseDiagnostic(e, source, fileName, lastToken);
    diagnostics.push(d);
    errorOffsets.push(isRealToken(e.token) && e.token.tokenType !== EOF ? e.token.startOffset : source.length);
  }
  if (stoppedAt !== undefined) {
    diagnostics.push({
      code: "NN003",
      severity: "error",
      message: `too many syntax errors (${parseErrors.length}): the rest of the file was not checked`,
      fileName,
      range: tokenRange(stoppedAt),
    });
  }
  const statements = errorOffsets.length === 0 ? collected : markBroken(collected, errorOffsets, source);
  return { statements, diagnostics };
}

/**
 * The tokens of a statement the direct reader refused, for Chevrotain, ending with the statement's separator.
 * Chevrotain's steps up to its first error depend only on the tokens up to MAX_LOOKAHEAD past it, and that
 * error lies at most two tokens past where the direct reader stopped; so the rest of a long broken line is
 * not handed over (recovering through 400,000 tokens took seconds) and the first error is still the same
 * (test/front/direct.test.ts compares it with a parse of the whole statement).
 */
export function tokensForChevrotain(statement: StatementTokens, separator: IToken | undefined): IToken[] {
  const tokens = statement.toTokens(statement.position + 3 + MAX_LOOKAHEAD);
  if (separator !== undefined) tokens.push(separator);
  return tokens;
}

/** Drops each statement a syntax error falls in: at or after its start, with no `;` or line break between. */
function markBroken(statements: StatementNode[], errorOffsets: number[], source: string): StatementNode[] {
  const sorted = [...statements].sort((a, b) => a.range.startOffset - b.range.startOffset);
  const broken = new Set<StatementNode>();
  for (const offset of errorOffsets) {
    // The last statement starting at or before the error (binary search: linear time for many errors).
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.range.startOffset <= offset) lo = mid + 1;
      else hi = mid;
    }
    const owner: StatementNode | undefined = sorted[lo - 1];
    if (!owner) continue;
    const between = source.slice(owner.range.endOffset + 1, offset);
    if (offset <= owner.range.endOffset || !/[\r\n;]/.test(between)) broken.add(owner);
  }
  return sorted.filter((s) => !broken.has(s));
}
